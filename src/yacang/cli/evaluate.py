"""``yacang evaluate run|list|explain|sensitivity|systems|export|call …``: regional evaluation on an indicator system."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import typer

from yacang.cli.common import abort, console, open_warehouse, out_dir_arg, print_frame, region_arg
from yacang.evaluation.outputs import remark_notes, remark_text, score_rule

app = typer.Typer(help="地区评价：指标体系打分、解释、稳健性、评分表与结果通报、成效明显市（州）申报", no_args_is_help=True)
call_app = typer.Typer(help="“成效明显市（州）”申报：发布通知、查看、评审、公布", no_args_is_help=True)
app.add_typer(call_app, name="call")

DATA_HELP = "数据仓库缺少分省增速、分省地区生产总值或全国增速时，从此目录导入公开数据文件（默认 ../shared/data）"
METHOD_HELP = "评价方法：wsum（加权综合指数）/ topsis / vikor"


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="evaluate")


@contextmanager
def _errors() -> Iterator[None]:
    from yacang.evaluation.errors import EvaluationError

    try:
        yield
    except EvaluationError as exc:
        abort(str(exc))


def _ranking_frame(sc: pd.DataFrame, with_interval: bool) -> pd.DataFrame:
    out = pd.DataFrame({
        "名次": [str(int(r)) if r > 0 else "—" for r in sc["rank"]],
        "地区": sc["name"], "得分": sc["score"].round(1),
    })
    if with_interval:
        out["名次区间(5%–95%)"] = [f"{int(a)}–{int(b)}" if pd.notna(a) and r > 0 else ""
                                for a, b, r in zip(sc["p05"], sc["p95"], sc["rank"], strict=True)]
    out["说明"] = [remark_text(row, short=True) for _, row in sc.iterrows()]
    return out


@app.command("run")
def run_cmd(
    year: list[int] = typer.Option([2022], "--year", help="评价年度，可多次给出（如 --year 2022 --year 2023）"),
    data: Path = typer.Option(Path("../shared/data"), "--data", help=DATA_HELP),
    system: str = typer.Option("wenzengzhang", "--system", help="指标体系：内置代码或 YAML 文件"),
    method: str = typer.Option("wsum", "--method", help=METHOD_HELP),
    draws: int = typer.Option(1000, "--draws", min=0, max=100_000, help="蒙特卡洛权重扰动次数（0 为不计算名次区间）"),
    spread: float = typer.Option(0.2, "--spread", min=0.0, max=0.9, help="每个权重的随机扰动幅度（0.2 即 ±20%）"),
    month_yoy: str = typer.Option("estimate", "--month-yoy",
                                  help="仅有当月同比的省份：estimate 以当月均值估算全年，gap 按缺值处理"),
) -> None:
    """用真实数据对 31 个省份打分排名（含权重扰动下的名次区间），结果存入数据仓库。"""
    from yacang.evaluation.runs import province_run

    with open_warehouse() as wh:
        for y in year:
            with _errors():
                out = province_run(wh, y, data, system=system, method=method, draws=draws, spread=spread,
                                   month_yoy=month_yoy)
            _print_run(out, y)


def _print_run(out, year: int) -> None:
    from yacang.evaluation.engine import METHOD_ZH

    res = out.result
    sc = res.table()
    if out.intervals is not None:
        iv = out.intervals.table.set_index("region")
        sc["p05"], sc["p95"] = sc["region"].map(iv["p05"]), sc["region"].map(iv["p95"])
    title = f"{year}年 各省份{res.system.name}排名（{METHOD_ZH[res.method]}）"
    print_frame(_ranking_frame(sc, out.intervals is not None), title)
    for note in remark_notes(sc):
        console.print(note, highlight=False)
    for m in out.messages:
        console.print(f"· {m}", highlight=False)
    weights = "，".join(f"{res.system.indicator(c).name} {w:.1%}" for c, w in res.weights.values.items())
    console.print(f"· 权重：{weights}", highlight=False)
    for c in res.weights.checks:
        console.print(f"· {c}", highlight=False)
    if out.intervals is not None:
        console.print(f"· 名次区间：各权重在 ±{out.intervals.spread:.0%} 内随机扰动 {out.intervals.draws} 次后名次的"
                      "第 5 至第 95 百分位", highlight=False)
    console.print(f"· 数据来源：{res.inp.source}", highlight=False)
    if out.run_id:
        console.print(f"· 已存入数据仓库（{out.run_id}）；逐项解释：yacang evaluate explain --run '{out.run_id}' "
                      "--region 地区", highlight=False, soft_wrap=True)


LEVELS = ("province", "prefecture", "county")
DEFAULTS = {"system": "wenzengzhang", "method": "wsum"}
RUN_HELP = "评价结果编号（yacang evaluate list 列出）；不给则取同一体系、方法、年度最近一次的评价"


def _stored_run(wh, system: str, method: str, level: str, year: str, run_id: str | None = None,
                kind: str = "real") -> tuple[str, dict]:
    """The run asked for by id, else the newest of (system, method, level, year); when runs with other
    options (``--month-yoy`` …) are stored too, say which one is read and how to pick another."""
    from yacang.evaluation.runs import matching_runs
    from yacang.warehouse import evaluation as tables

    if run_id:
        run = tables.get_run(wh, run_id)
        if run is None:
            abort(f"数据仓库中没有评价结果 {run_id}：yacang evaluate list 列出已存的评价")
        return run_id, run
    if level not in LEVELS:
        abort(f"评价层级应为 {' / '.join(LEVELS)}，收到“{level}”")
    found = matching_runs(wh, system, method, level, year, kind)
    if found.empty:
        options = "".join(f" --{k} {v}" for k, v in (("system", system), ("method", method)) if v != DEFAULTS[k])
        abort(f"数据仓库中没有 {year} 年 {system}（{method}，{level}）的评价结果：请先运行 "
              f"yacang evaluate run --year {year}{options}（yacang evaluate list 列出已存的评价）")
    rid = str(found.iloc[0]["run_id"])
    if len(found) > 1:
        how = _treatment(found.iloc[0]["source"])
        console.print(f"· 共有 {len(found)} 次该年度的评价（数据或选项不同），此处为最近一次 {rid}"
                      + (f"（{how}）" if how else "") + "；其他见 yacang evaluate list，用 --run 指定",
                      highlight=False, soft_wrap=True)
    return rid, tables.get_run(wh, rid)


def _treatment(source: object) -> str:
    """How a real-data run treated the 当月-only provinces (``--month-yoy``), as its source text says."""
    from yacang.evaluation.runs import treatment_of

    return treatment_of(source)


@app.command("list")
def list_cmd(year: int | None = typer.Option(None, "--year", help="只列某一年度")) -> None:
    """列出数据仓库中已存的评价结果：编号、体系、方法、年度、数据处理方式（选项不同的评价各自保留）。"""
    from yacang.warehouse import evaluation as tables

    with open_warehouse(read_only=True) as wh:
        runs = tables.runs(wh)
    if year is not None and not runs.empty:
        runs = runs[runs["period"].astype(str) == str(year)]
    if runs.empty:
        abort("数据仓库中没有评价结果：请先运行 yacang evaluate run")
    from yacang.evaluation.engine import METHOD_ZH
    from yacang.evaluation.runs import kind_zh

    console.print(f"已存评价结果 {len(runs)} 个（explain / export 用 --run 编号 指定其一）：", highlight=False)
    for r in runs.itertuples(index=False):
        how = _treatment(r.source)
        draws = f"名次区间 ±{r.spread:.0%} × {int(r.draws)} 次" if pd.notna(r.draws) and r.draws > 0 else "未算名次区间"
        console.print(f"{r.run_id}  {r.system_name}（{METHOD_ZH.get(r.method, r.method)}）{r.period}年 {kind_zh(r.data_kind)}"
                      + (f"：{how}" if how else "") + f"；{draws}；{r.created_at}", highlight=False, soft_wrap=True)


@app.command("explain")
def explain_cmd(
    region: str = typer.Option(..., "--region", help="地区代码或名称，如 110000 或 北京"),
    year: int = typer.Option(2022, "--year"),
    system: str = typer.Option("wenzengzhang", "--system"),
    method: str = typer.Option("wsum", "--method", help=METHOD_HELP),
    level: str = typer.Option("province", "--level", help="评价层级：province / prefecture / county"),
    run_id: str | None = typer.Option(None, "--run", help=RUN_HELP),
) -> None:
    """解释一个地区的得分：每个指标的数值、标准化得分、权重、得分与失分，按维度汇总；否决与缺值说明。"""
    from yacang.evaluation.explain import basis_lines, value_text
    from yacang.evaluation.system import load_system
    from yacang.warehouse import evaluation as tables

    code = region_arg(region)
    with open_warehouse(read_only=True) as wh:
        rid, run = _stored_run(wh, system, method, level, str(year), run_id)
        sc = tables.scores(wh, rid)
        every = tables.items(wh, rid)
    period = run["period"]  # the run's own (``--run`` of another year or system than the defaults)
    it = every[every["region"] == code]
    if it.empty:
        abort(f"{period} 年评价中没有地区 {region}")
    with _errors():
        s = load_system(run["system"])
    row = sc[sc["region"] == code].iloc[0]
    rank = f"第 {int(row['rank'])} 名（共 {int((sc['rank'] > 0).sum())} 个参评地区）" if row["rank"] > 0 else row["status"]
    interval = f"，名次区间 {int(row['p05'])}–{int(row['p95'])}" if pd.notna(row["p05"]) and row["rank"] > 0 else ""
    console.print(f"{row['name']} {period}年 {run['system_name']}：得分 {row['score']:.1f}，{rank}{interval}", highlight=False)
    table = pd.DataFrame({
        "指标": it["name"], "数值": [value_text(s.indicator(c), v) + ("（缺值已补齐）" if imp else "")
                                 for c, v, imp in zip(it["indicator"], it["value"], it["imputed"], strict=True)],
        "标准化得分": (100 * it["norm"]).round(1), "权重%": (100 * it["weight"]).round(1), "得分": it["points"].round(1),
        "较最优失分": it["lost"].round(1)})
    print_frame(table, "逐项得分（得分 = 100 × 权重 × 标准化值）")
    if run["method"] != "wsum":
        console.print(f"· {score_rule(run['method'])}", highlight=False)
    groups = it.groupby("grp", sort=False)[["weight", "points", "lost"]].sum()
    print_frame(pd.DataFrame({"维度": [s.group(g).name for g in groups.index], "权重%": (100 * groups["weight"]).round(1),
                              "得分": groups["points"].round(1), "较最优失分": groups["lost"].round(1)}), "分维度")
    console.print("标准化依据：", highlight=False)
    for line in basis_lines(s, every, run["notes"], dict(zip(sc["region"], sc["name"], strict=True))):
        console.print(f"· {line}", highlight=False)
    notes = {}
    for name, note in zip(it["name"], it["note"], strict=True):
        if isinstance(note, str) and note:
            notes.setdefault(note, []).append(name)
    for note, names in notes.items():
        console.print(f"· {'、'.join(names)}：{note}", highlight=False)
    console.print(f"· 数据来源：{run['source']}", highlight=False)


@app.command("sensitivity")
def sensitivity_cmd(
    year: int = typer.Option(2022, "--year"),
    data: Path = typer.Option(Path("../shared/data"), "--data", help=DATA_HELP),
    system: str = typer.Option("wenzengzhang", "--system"),
    method: str = typer.Option("wsum", "--method", help=METHOD_HELP),
    draws: int = typer.Option(1000, "--draws", min=10, max=100_000),
    spread: float = typer.Option(0.2, "--spread", min=0.0, max=0.9),
) -> None:
    """稳健性：不同方法的名次一致性、权重扰动下的名次区间、对各地区名次影响最大的指标。"""
    from yacang.evaluation.real_data import warehouse_input
    from yacang.evaluation.robustness import decisive_indicator, method_agreement, rank_intervals
    from yacang.evaluation.scoring import score
    from yacang.evaluation.system import load_system

    with open_warehouse() as wh, _errors():
        inp, _ = warehouse_input(wh, year, data)
        s = load_system(system)
        pairs, ranks = method_agreement(s, inp)
        res = score(s, inp, method)
        iv = rank_intervals(res, draws=draws, spread=spread).table.set_index("region")
        dec = decisive_indicator(res).set_index("region")
    from yacang.evaluation.engine import METHOD_ZH

    print_frame(pd.DataFrame({"方法一": pairs["a"].map(lambda m: METHOD_ZH.get(m, m)),
                              "方法二": pairs["b"].map(lambda m: METHOD_ZH.get(m, m)),
                              "Spearman ρ": [f"{v:.3f}" for v in pairs["spearman"]],
                              "Kendall τ": [f"{v:.3f}" for v in pairs["kendall"]]}), f"{year}年 方法间名次一致性")
    t = ranks.sort_values("wsum")
    print_frame(pd.DataFrame({
        "地区": t["name"], "加权综合": t["wsum"], "TOPSIS": t["topsis"], "VIKOR": t["vikor"], "方法间极差": t["range"],
        "扰动区间": [f"{iv.loc[c, 'p05']}–{iv.loc[c, 'p95']}" for c in t.index]}),
        f"{year}年 各省份名次：三种方法与权重扰动（±{spread:.0%}，{draws} 次）")
    print_frame(pd.DataFrame({"地区": [dec.loc[c, "name"] for c in t.index],
                              "关键指标": [dec.loc[c, "indicator"] for c in t.index],
                              "不计该指标时": [dec.loc[c, "meaning"].replace("不计该指标时", "") for c in t.index]}),
                "对各地区名次影响最大的指标")
    console.print(f"· 数据来源：{inp.source}", highlight=False)


@app.command("systems")
def systems_cmd(system: str | None = typer.Argument(None, help="指标体系代码；不给则列出全部")) -> None:
    """列出内置指标体系，或显示一个体系的维度、指标、方向、标准化方法、否决与加分项。"""
    from yacang.evaluation.system import NORMALISATION_ZH, builtin_systems, load_system

    with _errors():
        if system is None:
            for code in sorted(builtin_systems()):
                s = load_system(code)
                console.print(f"{code}：{s.name}（{len(s.indicators)} 项指标，{len(s.groups)} 个维度）", highlight=False)
            return
        s = load_system(system)
    print_frame(pd.DataFrame({"维度": [s.group(i.group).name for i in s.indicators], "指标": [i.name for i in s.indicators],
                              "单位": [i.unit for i in s.indicators], "方向": [i.direction_zh for i in s.indicators],
                              "标准化": [NORMALISATION_ZH[i.normalisation] for i in s.indicators]}), s.name)
    console.print("一票否决：" + "、".join(v.name for v in s.vetoes), highlight=False)
    console.print("加分项：" + "、".join(f"{b.name}（+{b.points:g}）" for b in s.bonuses) + f"，封顶 {s.bonus_cap:g} 分",
                  highlight=False)
    for ref in s.references:
        console.print(f"· 参照：{ref}", highlight=False)


@app.command("export")
def export_cmd(
    year: int = typer.Option(2022, "--year"),
    system: str = typer.Option("wenzengzhang", "--system"),
    method: str = typer.Option("wsum", "--method", help=METHOD_HELP),
    level: str = typer.Option("province", "--level"),
    out: Path = typer.Option(Path("yacang-output"), "--out", help="输出目录"),
    run_id: str | None = typer.Option(None, "--run", help=RUN_HELP),
) -> None:
    """从数据仓库中的评价结果生成 XLSX 评分表和 DOCX 结果通报。"""
    from yacang.evaluation.outputs import write_docx, write_xlsx
    from yacang.warehouse import evaluation as tables

    out_dir_arg(out, "--out")
    with open_warehouse(read_only=True) as wh:
        rid, run = _stored_run(wh, system, method, level, str(year), run_id)
        sc, it = tables.scores(wh, rid), tables.items(wh, rid)
    # named after the run read (``--run`` may name another year, system or method than the defaults)
    stem = f"{run['period']}_{run['system']}_{run['method']}" + (f"_{rid.rsplit('|', 1)[-1]}" if run_id else "")
    x = write_xlsx(out / f"评分表_{stem}.xlsx", run, sc, it)
    d = write_docx(out / f"结果通报_{stem}.docx", run, sc, it)
    console.print(f"已生成：{x}\n已生成：{d}", highlight=False)


# 申报 calls ----------------------------------------------------------------------------------
USER_HELP = "以哪个账号操作（必填：地区由账号决定）"


@contextmanager
def _session(user: str) -> Iterator[tuple[object, object]]:
    """An app-DB session (schema upgraded) and the scope of ``user``; errors → red message, exit 1."""
    from yacang.appdb.base import app_db_url, get_engine, session_scope
    from yacang.appdb.migrate import upgrade
    from yacang.auth.service import AuthError, get_user, scope_of
    from yacang.evaluation.errors import EvaluationError

    url = app_db_url()
    upgrade(url)
    try:
        with session_scope(get_engine(url)) as s:
            yield s, scope_of(get_user(s, user))
    except (EvaluationError, AuthError) as exc:
        abort(str(exc))


def _call_table(calls) -> pd.DataFrame:
    from yacang.evaluation.workflow import LEVEL_ZH, STATUS_ZH, region_name

    return pd.DataFrame({"编号": [c.id for c in calls], "通知": [c.title for c in calls],
                         "发布地区": [region_name(c.issuer_region) for c in calls],
                         "层级": [LEVEL_ZH.get(c.level, c.level) for c in calls], "名额": [c.quota for c in calls],
                         "状态": [STATUS_ZH.get(c.status, c.status) for c in calls]})


@call_app.command("create")
def call_create(user: str = typer.Option(..., "--user", help=USER_HELP), year: int = typer.Option(..., "--year"),
                quota: int = typer.Option(..., "--quota", help="入围名额"),
                system: str = typer.Option("zhizao_gaozhiliang", "--system"), title: str = typer.Option("", "--title")):
    """发布申报通知：所辖下一级地区申报（省 → 市州，市 → 县）。"""
    from yacang.evaluation import workflow as wf

    with _session(user) as (s, scope):
        call = wf.create_call(s, scope, year=year, quota=quota, system=system, title=title)
        print_frame(_call_table([call]), "已发布申报通知")


@call_app.command("list")
def call_list(user: str = typer.Option(..., "--user", help=USER_HELP)):
    """列出本账号可见的申报通知。"""
    from yacang.evaluation import workflow as wf

    with _session(user) as (s, scope):
        print_frame(_call_table(wf.list_calls(s, scope)), "申报通知")


@call_app.command("submit")
def call_submit(call_id: int = typer.Argument(...), user: str = typer.Option(..., "--user", help=USER_HELP),
                values: Path = typer.Option(..., "--values", help="JSON 文件：{指标代码: 数值}"),
                narrative: str = typer.Option("", "--narrative"), draft: bool = typer.Option(False, "--draft")):
    """本地区填报并提交申报（地区由账号决定）。"""
    from yacang.evaluation import workflow as wf

    try:
        data = json.loads(values.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        abort(f"{values}：无法读取 JSON（{exc}）；应为 {{\"iva_ytd\": 6.5, …}}")
    if not isinstance(data, dict):
        abort(f"{values}：应为 JSON 对象 {{指标代码: 数值}}")
    with _session(user) as (s, scope):
        sub = wf.submit(s, scope, call_id, values=data, narrative=narrative, final=not draft)
        console.print(f"{sub.region_name}：{wf.STATUS_ZH[sub.status]}（申报编号 {sub.id}）", highlight=False)


@call_app.command("review")
def call_review(call_id: int = typer.Argument(...), user: str = typer.Option(..., "--user", help=USER_HELP),
                step: str = typer.Option(..., "--step", help="check（核对）/ score（评分）/ shortlist（按名次入围）/ publish（公布）")):
    """评审：与数据仓库核对、评分排名、按名次确定入围、公布名单。"""
    from yacang.evaluation import workflow as wf
    from yacang.evaluation.real_data import national_iva_ytd

    if step not in ("check", "score", "shortlist", "publish"):
        abort(f"未知的评审步骤：{step}（check / score / shortlist / publish）")
    wh = open_warehouse() if step in ("check", "score") else None
    try:
        with _session(user) as (s, scope):
            call = wf.get_call(s, scope, call_id)
            if step == "check":
                rows = wf.check_values(s, scope, call_id, wh)
                console.print(f"核对 {len(rows)} 项，差异 {sum(c.flagged for c in rows)} 项", highlight=False)
            elif step == "score":
                nat = national_iva_ytd(wh, call.year)
                wf.score_call(s, scope, call_id, national={} if nat is None else {"iva_ytd": nat}, wh=wh)
            elif step == "shortlist":
                wf.shortlist(s, scope, call_id)
            else:
                wf.publish(s, scope, call_id)
            subs = wf.submissions(s, scope, call)
            print_frame(pd.DataFrame({"地区": [x.region_name for x in subs],
                                      "状态": [wf.STATUS_ZH.get(x.status, x.status) for x in subs],
                                      "得分": [x.score for x in subs],
                                      "名次": [x.rank if x.rank else ("—" if x.rank == 0 else "") for x in subs],
                                      "入围": ["入围" if x.shortlisted else "" for x in subs]}),
                        f"{call.title}（{wf.STATUS_ZH.get(call.status, call.status)}）")
    finally:
        if wh is not None:
            wh.close()

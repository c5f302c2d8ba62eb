"""``yacang alerts run|list|silence|ack`` and ``yacang materials``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import typer

from yacang import validation
from yacang.cli.common import (
    abort,
    chart_arg,
    console,
    date_arg,
    emit_frame,
    fail_known_errors,
    open_warehouse,
    print_frame,
)
from yacang.formatting import date_zh
from yacang.periods import period_label

alerts_app = typer.Typer(help="苗头性问题预警：运行规则、查看、静默、确认", no_args_is_help=True)

LEVEL_ORDER = {"红": 0, "橙": 1, "黄": 2, "蓝": 3}
STATE_INPUT = {"firing": "firing", "触发中": "firing", "pending": "pending", "待定": "pending",
               "resolved": "resolved", "已解除": "resolved", "silenced": "silenced", "已静默": "silenced",
               "acked": "acked", "已确认": "acked", "all": "all", "全部": "all"}
FORMATS = ("table", "csv", "json", "xlsx")


def _period(text: str):
    """A period option; 2022-01/2022-02 mean the merged 1-2月 (NBS, since 2013), said in a note."""
    from yacang.periods import parse_period, reporting_period

    p, note = reporting_period(parse_period(text))
    if p.kind not in ("month", "jan_feb"):  # the rules compare months (lag 1 = the month before)
        abort(f"预警按月评估：--period 应为月份，如 2022-03（1-2月写 2022-02），收到“{text}”（{p.label_zh()}）")
    if note:
        console.print(f"注：{note}", highlight=False)
    return p


@alerts_app.command("run")
def run_cmd(
    period: str = typer.Option(..., "--period", help="评估到的月份，如 2022-03（2022-02 按1-2月）"),
    rules: Path | None = typer.Option(None, "--rules", help="规则文件（默认内置“苗头性问题”规则包）"),
    region: str | None = typer.Option(None, "--region", help="只显示此地区及其下级的预警（代码或名称）"),
) -> None:
    """按规则评估到指定月份，保存状态变化与当前状态，列出本期正在触发（未静默）的预警。"""
    from yacang.alerts.evaluate import NoFactsError, evaluate_alerts
    from yacang.alerts.regions import AlertRegionError
    from yacang.alerts.rules import RuleError

    with fail_known_errors():
        p = _period(period)
        code = _region_code(region) if region else None
    wh = open_warehouse()
    try:
        rows = evaluate_alerts(wh, p, rules)
        basis, units = evaluated_on(wh, p)
    except (RuleError, NoFactsError, AlertRegionError) as exc:
        abort(str(exc))
    finally:
        wh.close()
    if code:
        rows = rows[_in_region(rows["region"], code)]
        if not _in_region(pd.Series(sorted(units), dtype=str), code).any():  # nothing evaluated there: not all clear
            abort(f"{region}在{p.label_zh()}没有预警指标数据，无法判断有无预警（{basis}）")
    if rows.empty:
        console.print(f"{p.label_zh()}：没有正在触发的预警。", highlight=False)
        console.print(basis, highlight=False)
        return
    counts = rows["severity"].value_counts()
    by_level = "，".join(f"{lv}色 {int(counts[lv])} 条" for lv in LEVEL_ORDER if lv in counts)
    console.print(f"[bold]{p.label_zh()} 正在触发的预警：共 {len(rows)} 条（{by_level}）[/]")
    rows = rows.assign(_o=rows["severity"].map(LEVEL_ORDER).fillna(9)).sort_values(["_o", "rule_id", "region", "key"])
    shown = 200
    for r in rows.head(shown).itertuples(index=False):
        console.print(f"  [{r.severity}] {r.rule_name}：{r.message}", highlight=False, markup=False)
    if len(rows) > shown:
        console.print(f"共 {len(rows)} 条，仅显示前 {shown} 条，用 yacang alerts list --limit/--format 查看全部")
    console.print(basis, highlight=False)


def evaluated_on(wh, period) -> tuple[str, set[str]]:
    """What an evaluation rested on: how many units had figures for the period, and whose data they are
    (a month with only the national figure fires no regional rule — that is not the same as all clear);
    and the regions of those units."""
    from yacang.alerts.fact_table import collect_facts
    from yacang.alerts.regions import region_of
    from yacang.alerts.rules import SCOPE_ZH
    from yacang.warehouse.provenance import provenance

    facts = collect_facts(wh)
    now = facts[facts["period"] == period.code]
    units = {region_of(*u) for u in now[["scope", "key", "parent"]].drop_duplicates().astype(str).itertuples(index=False)}
    parts = []
    groups = dict(tuple(now.groupby("scope")["key"]))
    for scope, keys in sorted(groups.items(), key=lambda kv: kv[0] != "region"):
        keys = set(keys.astype(str))
        if scope == "region" and "100000" in keys:
            parts.append("全国")
            keys.discard("100000")
        if keys:
            parts.append(f"{SCOPE_ZH.get(scope, scope)} {len(keys)} {'家' if scope == 'enterprise' else '个'}")
    return f"评估范围：{period.label_zh()}有数据的：{'、'.join(parts) or '（无）'}；{provenance(wh).sentence()}", units


def _region_code(text: str) -> str:
    from yacang.catalog.regions import resolve_region

    return resolve_region(text).code


def _in_region(regions: pd.Series, code: str) -> pd.Series:
    """Rows whose (stored) region is ``code`` or lies below it."""
    from yacang.catalog.regions import is_descendant

    inside = {c: c == code or is_descendant(c, code) for c in pd.unique(regions.astype(str))}
    return regions.astype(str).map(inside).astype(bool)


def alerts_table(df: pd.DataFrame) -> pd.DataFrame:
    """Stored alert rows as the table officials read (Chinese headers and state labels)."""
    from yacang.alerts.engine import state_label

    acked = df["acked_by"].notna() if "acked_by" in df else pd.Series(False, index=df.index)
    return pd.DataFrame({
        "级别": df["severity"].fillna(""),
        "状态": [state_label(s, bool(si), bool(a)) for s, si, a in zip(df["state"], df["silenced"].fillna(False),
                                                                     acked, strict=True)],
        "规则": df["rule_name"].fillna(""),
        "地区": df["region_name"],
        "对象": df["name"].fillna(df["key"]),
        "起始时期": [period_label(p) for p in df["since"]],
        "提示": _messages(df),
        "备注": ["与上级地区同时触发" if isinstance(r, str) and r else "" for r in df.get("repeat_of", [None] * len(df))],
        "指纹": df["fingerprint"],
    })


def _messages(df: pd.DataFrame) -> list[str]:
    """Each row's message; a resolved alert's stored text is rendered at the period it cleared (“同比增长0.5%，
    已连续下降”, “同比—”), which contradicts its state, so it says when it cleared instead."""
    return [f"已于{period_label(since)}解除（规则条件不再满足）" if state == "resolved" else ("" if pd.isna(m) else str(m))
            for state, since, m in zip(df["state"], df["since"], df["message"], strict=True)]


@alerts_app.command("list")
def list_cmd(
    period: str | None = typer.Option(None, "--period", help="查看此时期的状态（默认最近一次评估的时期）"),
    state: str = typer.Option("触发中", "--state", help="触发中 / 待定 / 已解除 / 已静默 / 已确认 / 全部"),
    rule: str | None = typer.Option(None, "--rule", help="规则ID或规则名称"),
    region: str | None = typer.Option(None, "--region", help="地区（代码或名称），含下级"),
    level: str | None = typer.Option(None, "--level", help="级别：红 / 橙 / 黄 / 蓝"),
    limit: int = typer.Option(50, "--limit", min=1, help="表格最多显示的条数"),
    fmt: str = typer.Option("table", "--format", help="table / csv / json / xlsx（csv、json、xlsx 输出全部）"),
    output: Path | None = typer.Option(None, "--output", "-o", help="输出文件（xlsx 必填；csv/json 默认输出到屏幕）"),
) -> None:
    """查看预警（状态按最近一次评估；含已静默、已确认的记录），可按地区、级别、规则、时期、状态筛选。"""
    from yacang.alerts.fact_table import names_for
    from yacang.alerts.store import evaluated_period, load_history
    from yacang.warehouse.provenance import provenance

    wanted = STATE_INPUT.get(state.strip().lower() if state.isascii() else state.strip())
    if wanted is None:
        abort(f"--state {state!r} 无效：可用 触发中、待定、已解除、已静默、已确认、全部")
    if fmt not in FORMATS:
        abort(f"--format {fmt!r} 无效：可用 {' / '.join(FORMATS)}")
    if level is not None and level.removesuffix("色") not in LEVEL_ORDER:
        abort(f"--level {level!r} 无效：可用 红、橙、黄、蓝")
    if fmt == "xlsx" and output is None:
        abort("--format xlsx 需要用 --output 指定文件，如 -o 预警.xlsx")
    with fail_known_errors():
        p = _period(period) if period else None
        code = _region_code(region) if region else None
    wh = open_warehouse()
    try:
        df = load_history(wh, period=p.code if p else None,
                          state=wanted if wanted in ("firing", "pending", "resolved") else None)
        last = evaluated_period(wh)
        source = provenance(wh).sentence()
        known = _known_rules(wh) if rule else {}
    finally:
        wh.close()
    if rule and rule not in known and rule not in known.values():
        abort(f"--rule {rule!r} 无效：没有此规则。可用（规则ID或名称）：{_rules_words(known)}")
    if last is None:
        abort("尚未评估预警：先运行 yacang alerts run --period 月份（如 2022-03），或 yacang run")
    if wanted == "silenced":
        df = df[df["silenced"].fillna(False).astype(bool)]
    elif wanted == "acked":
        df = df[df["acked_by"].notna()]
    if rule:
        df = df[(df["rule_id"] == rule) | (df["rule_name"] == rule)]
    if level:
        df = df[df["severity"] == level.removesuffix("色")]
    if code:
        df = df[_in_region(df["region"], code)]
    when = p.label_zh() if p else f"最近一次评估：{last.label_zh()}"
    if df.empty:
        console.print(f"没有符合条件的预警（{when}）。评估到其他月份请运行 yacang alerts run --period 月份。")
        return
    df = df.assign(region_name=names_for(df["region"].astype(str)).to_numpy(),
                   _o=df["severity"].map(LEVEL_ORDER).fillna(9))
    df = df.sort_values(["_o", "rule_id", "region", "key"])
    table = alerts_table(df)
    if fmt == "table":
        print_frame(table.head(limit), f"预警（{when}，{STATE_ZH_TITLE.get(wanted, '')}）", max_rows=limit)
        if len(table) > limit:
            console.print(f"共 {len(table)} 条，仅显示前 {limit} 条，用 --limit/--format 查看全部")
        else:
            console.print(f"共 {len(table)} 条")
        console.print(source, highlight=False)
        return
    emit_frame(table, fmt, title="预警", output=output, what="条预警")


def _known_rules(wh) -> dict[str, str]:
    """Rule id → name of every rule an official may filter by: those of the packaged rule packs and of any
    pack whose alerts are stored."""
    from yacang.alerts.rules import default_pack_path, load_pack
    from yacang.alerts.store import load_history

    known = {r.id: r.name for f in sorted(default_pack_path().parent.glob("*.yaml")) for r in load_pack(f).rules}
    stored = load_history(wh)[["rule_id", "rule_name"]].dropna().drop_duplicates()
    return known | dict(zip(stored["rule_id"], stored["rule_name"], strict=True))


def _rules_words(known: dict[str, str]) -> str:
    """“id（名称）、…” of the rules an official may name."""
    return "、".join(f"{i}（{n}）" for i, n in sorted(known.items()))


STATE_ZH_TITLE = {"firing": "触发中", "pending": "待定", "resolved": "已解除", "silenced": "已静默", "acked": "已确认",
                  "all": "全部状态"}



@alerts_app.command("silence")
def silence_cmd(
    match: list[str] = typer.Option(..., "--match", "-m", help="匹配条件，如 key=440000、rule_id=target_gap（可多个）"),
    reason: str = typer.Option(..., "--reason", help="静默原因（必填）"),
    author: str = typer.Option(..., "--author", help="操作人"),
    hours: float = typer.Option(24 * 30, "--hours", help="静默时长（小时，默认30天）"),
) -> None:
    """静默匹配的预警：仍然记录，但不再通报；到期自动恢复。"""
    from yacang.alerts.silences import Silence, SilenceError, parse_matchers
    from yacang.alerts.store import add_silence

    try:
        s = Silence(matchers=parse_matchers(match), author=author, reason=reason,
                    expires_at=dt.datetime.now().replace(microsecond=0) + dt.timedelta(hours=hours))
    except SilenceError as exc:
        abort(str(exc))
    wh = open_warehouse()
    try:
        known = _known_rules(wh)
        for m in s.matchers:
            if m.op == "=" and m.label in ("rule_id", "rule_name") and m.value not in (
                    known if m.label == "rule_id" else known.values()):
                abort(f"没有{'规则ID' if m.label == 'rule_id' else '规则名称'}为“{m.value}”的规则，静默不会生效。"
                      f"可用：{_rules_words(known)}")
        sid = add_silence(wh, s)
    finally:
        wh.close()
    console.print(f"已静默（编号 {sid}）：{'，'.join(match)}，至 {s.expires_at:%Y-%m-%d %H:%M}；原因：{reason}")


@alerts_app.command("ack")
def ack_cmd(
    fingerprint: str = typer.Argument(..., help="预警指纹（yacang alerts list 中的“指纹”列）"),
    author: str = typer.Option(..., "--author", help="确认人"),
    comment: str = typer.Option("", "--comment", help="处理说明"),
) -> None:
    """确认一条预警（记录确认人和说明）。"""
    from yacang.alerts.store import add_ack, load_history

    wh = open_warehouse()
    try:
        if fingerprint not in set(load_history(wh)["fingerprint"]):
            abort(f"没有指纹为 {fingerprint} 的预警：请从 yacang alerts list --state 全部 的“指纹”列复制")
        add_ack(wh, fingerprint, author, comment)
    finally:
        wh.close()
    console.print(f"已确认预警 {fingerprint}（{author}）")


@alerts_app.command("capacity")
def capacity_cmd(month: str | None = typer.Option(None, "--month", help="月份，如 2023-06（默认最新）")) -> None:
    """产能预警：各行业/产品产能利用率所处区间（低于70%红、70–75%黄、75–85%合理，可配置）。"""
    from yacang.alerts.capacity import assess_capacity_warehouse

    with fail_known_errors():
        from yacang.periods import parse_period

        at = pd.Period(f"{parse_period(month).year}-{parse_period(month).end:02d}", "M") if month else None
    wh = open_warehouse(read_only=True)
    try:
        found = assess_capacity_warehouse(wh)
        meta = wh.series().set_index("series_id")
    finally:
        wh.close()
    if not found:
        abort("仓库中没有开工率或产能利用率序列。先导入高频数据，例如 yacang ingest …/high_frequency_supply_prices/observations.csv")
    table = capacity_table(found, at)
    if table.empty:
        first = min(df.index.min() for df in found.values())
        abort(f"{at.year}年{at.month}月及以前没有产能利用率数据（最早为 {first.year}年{first.month}月）")
    print_frame(table, "产能预警")
    console.print("数据来源：" + "；".join(
        f"{df.attrs['name']} {meta.loc[df.attrs['series'], 'original_name'] if df.attrs['series'] in meta.index else df.attrs['series']}"
        for df in found.values()), highlight=False, markup=False)


def capacity_table(found: dict, at: pd.Period | None) -> pd.DataFrame:
    """Each product's latest month up to ``at`` (default: the latest any product has), 2026年1月 as officials
    write it; a product whose data stopped more than two months before is marked 已停更."""
    latest = at or max(df.index.max() for df in found.values())
    rows = []
    for df in found.values():
        sel = df.loc[:latest]
        if sel.empty:
            continue
        when, last = sel.index[-1], sel.iloc[-1]
        label = f"{when.year}年{when.month}月" + ("（已停更）" if (latest - when).n > 2 else _part_month(df, when))
        rows.append((df.attrs["name"], label, round(float(last["utilisation"]), 1), _band_words(df, last)))
    return pd.DataFrame(rows, columns=["行业/产品", "月份", "利用率(%)", "区间"])


def _part_month(df: pd.DataFrame, when: pd.Period) -> str:
    """``（至16日）`` when the month's mean rests on readings up to a day before the month's end."""
    day = df.attrs.get("last_day")
    return f"（至{day.day}日）" if day is not None and day.to_period("M") == when and day < when.end_time.normalize() else ""


def _band_words(df: pd.DataFrame, last: pd.Series) -> str:
    """The band shown; when this month's value lies in another band not yet held long enough to switch,
    say so (77.1% 黄 looks wrong without it)."""
    raw = last.get("raw_band", last["band"])
    if raw == last["band"]:
        return last["band"]
    return f"{last['band']}（本月值属{raw}，连续{df.attrs.get('min_months', 2)}个月才切换）"


def materials_cmd(
    date: str | None = typer.Option(None, "--date", help="评估日期，如 2021-10-20（默认最新）"),
    chart: Path | None = typer.Option(None, "--chart", help="输出预警时间线图（.png 或 .html）"),
    start: str | None = typer.Option(None, "--from", help="时间线起始日期（默认截止日前5年）"),
) -> None:
    """大宗原材料供给“红黄蓝”预警：各材料当前等级与触发原因、所用序列及其最新数据日期。"""
    from yacang.alerts.materials import UNASSESSED_REASON, assess_warehouse, series_words, unassessed

    date = date_arg(date, "--date ").isoformat() if date else None
    start = date_arg(start, "--from ").isoformat() if start else None
    chart_arg(chart)
    if start and date and start > date:
        abort(f"--from {start} 晚于评估日期 --date {date}：时间线应从评估日期之前开始")
    if date and date > validation.today().isoformat():  # every series would look 已停更
        abort(f"评估日期 {date} 晚于今天（{validation.today()}）：红黄蓝预警只评估已有数据的日期")
    if start and chart is None:  # it would be ignored without a word
        abort("--from 是时间线图的起始日期，只与 --chart 一起使用，例如 --chart 红黄蓝.png --from 2020-01-01")

    wh = open_warehouse(read_only=True)
    try:
        found = assess_warehouse(wh, asof=date)  # each material's series chosen for the date assessed
        sources = [(a.name, series_words(wh, a)) for a in found]
    finally:
        wh.close()
    if not found:
        abort("仓库中没有原材料价格或开工率序列。先导入高频数据，例如 yacang ingest …/high_frequency_supply_prices/observations.csv")
    if date and all(a.frame.empty or a.frame.index.min() > pd.Timestamp(date) for a in found):
        first = min(a.frame.index.min() for a in found if not a.frame.empty)
        abort(f"{date_zh(pd.Timestamp(date))}及以前没有原材料价格或开工率数据（最早为{date_zh(first)}）：请换一个评估日期")
    print_frame(materials_table(found, date), f"红黄蓝预警（{date_zh(pd.Timestamp(date)) if date else '最新'}）")
    console.print("数据来源（各材料按配置顺序取评估日仍在更新的第一个序列；都已停更时取数据最新的一个并注明）：", highlight=False)
    for name, words in sources:
        console.print(f"  {name}：{words}", highlight=False, markup=False)
    if missing := unassessed(found):
        console.print(f"未评估（{UNASSESSED_REASON}）：{'、'.join(m.name for m in missing)}",
                      highlight=False, markup=False)
    if chart is not None:
        from yacang.alerts.charts import materials_html, materials_png, write_chart
        from yacang.alerts.materials import sources_line

        end = pd.Timestamp(date) if date else max(a.frame.index.max() for a in found if not a.frame.empty)
        start = start or str((end - pd.DateOffset(years=5)).date())  # World Bank prices go back to 1960
        source = sources_line(found)
        content = (materials_html(found, start=start, end=date, source=source) if chart.suffix.lower() == ".html"
                   else materials_png(found, start=start, end=date, source=source))
        console.print(f"时间线图：{write_chart(content, chart)}")


def materials_table(found: list, date: str | None) -> pd.DataFrame:
    """One row per material: level, reason, and each series' latest date, marked 已停更 when it is older than
    the series can stand on the day assessed (:func:`yacang.alerts.materials.material_status`)."""
    from yacang.alerts.materials import material_status

    return pd.DataFrame([(m.name, m.level_words, m.reason, m.dates_text()) for m in material_status(found, date)],
                        columns=["材料", "等级", "原因", "数据日期"])


def register(app: typer.Typer) -> None:
    """Add ``alerts`` and ``materials`` to the main app (``lights`` lives in :mod:`yacang.cli.lights`)."""
    app.add_typer(alerts_app, name="alerts")
    app.command("materials")(materials_cmd)

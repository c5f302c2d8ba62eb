"""``yacang chains list|show|import|links|shock|report``: 产业链供应链 in the terminal (Chinese output)."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import pandas as pd
import typer

from yacang.catalog.regions import RegionCatalog
from yacang.chains.brief import members_source, region_label
from yacang.chains.losses import losses
from yacang.cli.common import (
    console,
    date_arg,
    err_console,
    fail_known_errors,
    open_warehouse,
    out_dir_arg,
    print_frame,
    region_arg,
)

app = typer.Typer(help="产业链供应链：图谱、链上企业、供货关系、冲击推演、堵点卡点、一链一策", no_args_is_help=True)


def _known(fn):
    """Located input errors (ChainError and the project's others) print in Chinese and exit 1."""
    @functools.wraps(fn)
    def run(*args, **kwargs):
        with fail_known_errors():
            return fn(*args, **kwargs)

    return run


def register(app_: typer.Typer) -> None:
    """Add ``yacang chains`` (its demo set is the entry point ``chains`` of ``yacang.demo_sets``)."""
    app_.add_typer(app, name="chains", help="产业链供应链：图谱、链上企业、供货关系、冲击推演、一链一策")



def _ensure_maps(wh) -> None:
    from yacang.chains.maps import shipped_chains
    from yacang.warehouse import chains as store

    if store.maps(wh).empty:
        store.save_maps(wh, shipped_chains())
        console.print("（首次使用：已载入随包提供的产业链图谱 动力电池、集成电路、新能源汽车、光伏）")


@app.command("list")
@_known
def list_() -> None:
    """列出仓库中的产业链：环节数、链上企业数、链主数、供货关系数。"""
    from yacang.warehouse import chains as store

    with open_warehouse() as wh:
        _ensure_maps(wh)
        maps, segs, mem = store.maps(wh), store.segments(wh), store.members(wh)
        lk = store.links(wh)
        rows = []
        for m in maps.itertuples():
            mm = mem[mem["chain"] == m.chain]
            rows.append({"代码": m.chain, "产业链": m.name, "环节": int((segs["chain"] == m.chain).sum()),
                         "链上企业": mm["uscc"].nunique(), "链主": int((mm["role"] == "链主").sum()),
                         "供货关系": int(lk["customer"].isin(set(mm["uscc"])).sum())})
        print_frame(pd.DataFrame(rows), title="产业链")
        src = members_source(mem["uscc"])
        console.print("尚无链上企业（yacang chains import 按行业小类挂接企业名录中的企业）" if mem.empty
                      else f"链上企业数据来源：{src}", highlight=False)


@app.command()
@_known
def show(chain: str = typer.Argument(..., help="产业链代码或名称，如 battery 或 动力电池"),
         on: str = typer.Option("", "--date", help="原材料预警的日期（缺省为最新）"),
         stress: int = typer.Option(0, "--stress", help="逐个环节停产这么多天，列出造成链上产值损失最大的环节（0 为不算）")
         ) -> None:
    """显示一条产业链：环节（行业小类、原材料）、链主与关键节点、原材料预警、堵点卡点。"""
    from yacang.chains.brief import brief
    from yacang.chains.materials import segment_materials_zh
    from yacang.chains.shocks import MAX_DAYS

    if not 0 <= stress <= MAX_DAYS:
        err_console.print(f"[bold red]错误[/]：--stress 应为 0 至 {MAX_DAYS} 的天数（收到 {stress}）")
        raise SystemExit(1)
    with open_warehouse() as wh:
        _ensure_maps(wh)
        try:
            b = brief(wh, chain, on=date_arg(on, "日期") if on else None)
        except KeyError:
            err_console.print(f"[bold red]错误[/]：没有产业链 {chain}（yacang chains list 查看）")
            raise SystemExit(1) from None
        c = b["chain"]
        console.print(f"[bold]{c.name}产业链[/]（{c.code}）：{c.description}；数据来源：{b['data_source']}")
        print_frame(pd.DataFrame([{"链位": s.stage, "环节": s.name, "行业小类": "、".join(s.industries),
                                   "上游环节": "、".join(c.segment(i).name for i in s.inputs),
                                   "原材料": segment_materials_zh(s.materials),
                                   "链上企业": int((b["members"]["segment"] == s.code).sum())} for s in c.segments]),
                    title="环节")
        if not b["leaders"].empty:
            from yacang.chains.report import context

            print_frame(pd.DataFrame([{"企业": r["name"], "角色": r["role"], "环节": r["segment_name"], "地区": r["region"],
                                       "月份": r["period_label"], "当月产值（万元）": r["output"], "产值同比": r["yoy"]}
                                      for r in context(b)["leaders"]]),
                        title="链主与关键节点（最新月份工业总产值同比，同口径、现价）")
        flags = b["material_flags"]
        for f in flags.itertuples():
            console.print(f"原材料预警：[bold]{f.material_name} {f.level}色[/]，涉及环节 {f.segments}")
        console.print(f"原材料预警依据：{b['material_basis']}", highlight=False)
        ss = b["single_source"]
        if not ss.empty:
            n = b["names"]
            print_frame(pd.DataFrame({"供应商": ss["supplier"].map(n), "客户": ss["customer"].map(n),
                                      "供货占比(%)": ss["share"] * 100, "可替代程度(%)": ss["substitutability"] * 100,
                                      "库存天数": ss["inventory_days"]}), title="堵点卡点：单一来源依赖", max_rows=20)
        for d in b["dominators"]:
            console.print(f"支配节点：{d['target_name']} 的全部供应路径都经过 "
                          + "、".join(x["name"] for x in d["dominators"]))
        if stress > 0:
            from yacang.chains.chokepoints import segment_losses
            from yacang.chains.shocks import network

            net = network(wh, date_arg(on, "日期") if on else dt.date.today())
            seg = segment_losses(net, b["members"], days=stress)
            seg["segment"] = seg["segment"].map({s.code: s.name for s in c.segments})
            print_frame(seg.rename(columns={"segment": "环节", "members": "停产企业", "affected": "受波及的链上企业",
                                            "output_lost": "链上其他企业产值损失（万元）"}),
                        title=f"堵点：各环节停产 {stress} 天造成的链上产值损失（{net.data_source}）")


@app.command("import")
@_known
def import_(paths: list[Path] = typer.Argument(None, help="产业链图谱 YAML/XLSX；缺省为随包提供的图谱"),
            members: Path = typer.Option(None, "--members", help="企业上链申报表 XLSX（产业链代码、环节代码、统一社会信用代码、角色）"),
            attach: bool = typer.Option(True, "--attach/--no-attach", help="按行业小类把企业名录中的企业挂到环节上")) -> None:
    """导入产业链图谱（有错误时整份文件不入库，并列出文件、行、列），挂接链上企业。"""
    from yacang.chains.maps import load_chain_file, shipped_chains
    from yacang.chains.members import attach_by_industry, check_members
    from yacang.warehouse import chains as store

    chains = [c for p in paths for c in load_chain_file(p)] if paths else shipped_chains()
    with open_warehouse() as wh:
        declared = None
        if members is not None:  # checked against the maps being imported before anything is written
            stored = store.segments(wh)
            known = {(c.code, s.code) for c in chains for s in c.segments}
            known |= {(c, s) for c, s in zip(stored["chain"], stored["segment"], strict=True)
                      if c not in {m.code for m in chains}}
            declared = check_members(wh, members, known)
        store.save_maps(wh, chains)
        console.print(f"已导入产业链图谱 {len(chains)} 条：" + "、".join(f"{c.name}（{len(c.segments)} 个环节）" for c in chains))
        if attach:
            n = attach_by_industry(wh)
            console.print(f"按行业小类挂接链上企业 {n:,} 条（角色：配套）")
        if declared is not None:
            n = store.save_members(wh, declared)
            console.print(f"申报的链上企业 {n:,} 条（{members.name}）")


@app.command()
@_known
def links(path: Path = typer.Argument(None, help="供货关系表 XLSX；缺省为列出已有关系"),
          region: str = typer.Option("", "--region", help="只列出两端都在该地区内的关系"),
          template: Path = typer.Option(None, "--template", help="写出空白的供货关系表和企业上链申报表（XLSX）到该目录")
          ) -> None:
    """导入供货关系（供应商→客户：供货占比、可替代程度、库存天数），或列出已有关系。"""
    from yacang.catalog.regions import region_prefix
    from yacang.chains.links import LINK_FORM, import_links
    from yacang.warehouse import chains as store

    if template is not None:
        from yacang.chains.members import MEMBER_FORM
        from yacang.chains.sheets import write_form

        out_dir_arg(template, "--template")
        a = write_form(template / "供货关系表.xlsx", list(LINK_FORM),
                       [["（供应商18位代码）", "（客户18位代码）", "35%", 0.2, 15, "锂电铜箔", "3251", "battery"]])
        b = write_form(template / "企业上链申报表.xlsx", list(MEMBER_FORM), [["battery", "cell", "（18位代码）", "链主"]])
        console.print(f"已写出：{a}、{b}（第2行为填写示例，导入前请删除）")
        return
    with open_warehouse() as wh:
        if path is not None:
            n = import_links(wh, path)
            console.print(f"已导入供货关系 {n:,} 条（{path.name}；重复导入同一文件不会重复计入）")
            return
        lk = store.links(wh, region_prefix=region_prefix(region_arg(region) or region) if region else None)
        # shares as percentages (0.04 printed as 0.0 at one decimal), as the form takes them (35%)
        lk = lk.assign(share=lk["share"] * 100, substitutability=lk["substitutability"] * 100)
        print_frame(lk.rename(columns={"supplier": "供应商", "customer": "客户", "share": "供货占比(%)",
                                       "substitutability": "可替代程度(%)", "inventory_days": "库存天数", "product": "产品",
                                       "chain": "产业链", "supplier_region": "供应商地区", "customer_region": "客户地区"}),
                    title=f"供货关系（共 {len(lk):,} 条）", max_rows=50)
        if not lk.empty:
            console.print(f"数据来源：{members_source(pd.concat([lk['supplier'], lk['customer']]))}", highlight=False)


@app.command()
@_known
def shock(region: str = typer.Option("", "--region", help="地区停产：代码或名称（含下级），如 310000、上海"),
          enterprise: list[str] = typer.Option(None, "--enterprise", help="企业停产：统一社会信用代码（可多次）"),
          material: str = typer.Option("", "--material", help="原材料短缺：品种代码，如 lithium_carbonate"),
          level: str = typer.Option("", "--level", help="原材料预警级别 黄/红；缺省按仓库价格序列在开始日期的级别"),
          start: str = typer.Option(..., "--start", help="冲击开始日期，如 2022-04-01"),
          days: int = typer.Option(30, "--days", help="冲击持续天数"),
          horizon: int = typer.Option(0, "--horizon", help="模拟天数（缺省为冲击天数加14天）"),
          dataset: str = typer.Option("auto", "--data", help="auto/demo/real：用示例数据或实际数据（不混用）"),
          top: int = typer.Option(15, "--top", help="列出受影响最大的企业数（1 至 10000）")) -> None:
    """冲击推演：按天、按周的受影响企业和产值损失（万元），分产业链、分省份，结果存入仓库可比较。"""
    from yacang.chains.shocks import Scenario, material_level_on, run_scenario
    from yacang.warehouse import chains as store

    d0 = date_arg(start, "开始日期")
    if not 1 <= top <= 10_000:
        err_console.print(f"[bold red]错误[/]：--top 应为 1 至 10000 的整数（收到 {top}）")
        raise SystemExit(1)
    region = region_arg(region) or region
    kinds = [k for k, v in (("region", region), ("enterprise", enterprise), ("material", material)) if v]
    if len(kinds) != 1:
        err_console.print("[bold red]错误[/]：请只指定一种冲击：--region、--enterprise 或 --material")
        raise SystemExit(1)
    with open_warehouse() as wh:
        if kinds[0] == "material" and not level:
            from yacang.chains.materials import material_names

            level = material_level_on(wh, material, d0)
            console.print(f"{material_names().get(material, material)}在 {d0} 的预警级别：{level or '无'}")
        sc = Scenario(kinds[0], d0, days, horizon or days + 14, region=region, usccs=tuple(enterprise or ()),
                      material=material, level=level)
        sid, _, _ = run_scenario(wh, sc, dataset=dataset)
        head = store.scenarios(wh).set_index("scenario_id").loc[sid]
        console.print(f"[bold]{head['name']}[/]（情景 {sid}，数据来源：{head['data_source']}）")
        lost = losses(store.scenario_enterprises(wh, sid))
        console.print(f"直接停减产企业 {int(head['n_direct']):,} 家，受波及企业合计 {int(head['n_affected']):,} 家，"
                      f"{sc.horizon} 天内产值损失（万元）{lost.text()}")
        if lost.unknown:
            console.print(f"其中 {lost.unknown:,} 家受影响企业在冲击前没有月报，产值损失无法估算，未计入上面的合计")
        _print_shock_tables(wh, sid)
        from yacang.chains.alerts import evaluate_chain_alerts

        hist = evaluate_chain_alerts(wh, d0.strftime("%Y-%m"))
        firing = hist[(hist["state"] == "firing") & (hist["period"] == d0.strftime("%Y-%m"))]
        console.print(f"产业链预警（关键节点企业停产、单一来源依赖、链主上游受阻）：{len(firing)} 条，已存入预警记录")
        ents = store.scenario_enterprises(wh, sid)
        ents = ents[~ents["direct"]].head(top)
        rc = RegionCatalog.load()
        print_frame(pd.DataFrame({
            "统一社会信用代码": ents["uscc"], "企业": ents["name"], "地区": [region_label(r, rc) for r in ents["region"]],
            "首次受影响（第几天）": ents["first_day"], "最低开工水平(%)": ents["min_level"] * 100,
            "产值损失（万元）": ents["output_lost"]}), title="受波及的下游企业（不含直接停产）")


def _print_shock_tables(wh, sid: str) -> None:
    """按周, 分产业链 and 分省份 of a stored scenario, chains and provinces by name, amounts in 万元."""
    from yacang.chains.shocks import weekly
    from yacang.warehouse import chains as store

    rc = RegionCatalog.load()
    w = weekly(store.scenario_daily(wh, sid))
    print_frame(pd.DataFrame({"周": w["week"], "起始日": w["start"], "受影响企业（日最多）": w["affected"],
                              "产值损失（万元）": w["output_lost"]}), title="按周")
    names = dict(zip(store.maps(wh)["chain"], store.maps(wh)["name"], strict=False))
    for kind, head, label in (("chain", "产业链", lambda k: names.get(k, k)),
                              ("province", "省份", lambda k: region_label(k, rc))):
        g = store.scenario_groups(wh, sid, kind)
        print_frame(pd.DataFrame({head: [label(k) for k in g["key"]], "受影响企业": g["affected"],
                                  "产值损失（万元）": g["output_lost"]}), title=f"分{head}")


@app.command()
@_known
def scenarios(compare: list[str] = typer.Argument(None, help="要比较的情景编号；缺省列出全部")) -> None:
    """列出或比较已存的冲击情景。"""
    from yacang.warehouse import chains as store

    with open_warehouse() as wh:
        df = store.compare_scenarios(wh, compare) if compare else store.scenarios(wh)
    unknown = sorted(set(compare or ()) - set(df["scenario_id"]))
    if unknown:
        err_console.print(f"[bold red]错误[/]：没有情景 {'、'.join(unknown)}（yacang chains scenarios 列出已存的情景）")
        raise SystemExit(1)
    with open_warehouse() as wh:  # an unknown loss (no report before the shock) is said, never printed as 0.0
        lost = [losses(store.scenario_enterprises(wh, sid)).text() for sid in df["scenario_id"]]
    df = df.assign(output_lost=lost)
    print_frame(df[["scenario_id", "name", "n_direct", "n_affected", "output_lost", "data_source"]].rename(columns={
        "scenario_id": "情景", "name": "名称", "n_direct": "直接停减产", "n_affected": "受影响企业",
        "output_lost": "产值损失（万元）", "data_source": "数据来源"}), title="冲击情景")


@app.command()
@_known
def report(chain: str = typer.Argument(..., help="产业链代码或名称，如 battery 或 动力电池"),
           fmt: str = typer.Option("html,pdf", "--format", help="html,pdf,docx"),
           out: Path = typer.Option(Path("yacang-output"), "-o", "--out", help="输出目录")) -> None:
    """一链一策：单页报告（图谱、链主与关键节点、原材料预警、堵点卡点、诉求与白名单、最近情景）。"""
    from yacang.chains.report import write_report

    formats = tuple(f.strip().lower() for f in fmt.split(",") if f.strip())
    bad = set(formats) - {"html", "pdf", "docx"}
    if bad:
        err_console.print(f"[bold red]错误[/]：不支持的格式 {'、'.join(sorted(bad))}（可用 html、pdf、docx）")
        raise SystemExit(1)
    out_dir_arg(out)
    with open_warehouse() as wh:
        _ensure_maps(wh)
        session = _app_session()
        try:
            paths = write_report(wh, chain, out, formats=formats, session=session)
        except KeyError:
            err_console.print(f"[bold red]错误[/]：没有产业链 {chain}（yacang chains list 查看）")
            raise SystemExit(1) from None
        finally:
            if session is not None:
                session.close()
        for p in paths:
            console.print(f"已写出：{p}")


def _app_session():
    """A session on the app database (appeals, whitelist) if it exists; None otherwise."""
    from sqlalchemy import inspect
    from sqlalchemy.orm import Session

    from yacang.appdb.base import app_db_url, get_engine

    engine = get_engine(app_db_url())
    if "dispatch_appeals" not in inspect(engine).get_table_names():
        return None
    return Session(engine)

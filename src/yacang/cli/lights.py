"""``yacang lights``: 景气预警信号灯 (official fixed critical points by default) and its backtest."""

from __future__ import annotations

from pathlib import Path

import typer

from yacang.cli.common import abort, chart_arg, console, open_warehouse, print_frame, region_arg, source_line


def lights_cmd(
    start: str | None = typer.Option(None, "--from", help="起始月份，如 2019-01"),
    end: str | None = typer.Option(None, "--to", help="截止月份，如 2022-12"),
    region: str = typer.Option("100000", "--region", help="地区：代码或名称，如 110000、北京（默认全国）"),
    method: str = typer.Option("official", "--method", help="official（固定临界点，国家统计局方法）/ percentile（近十年滚动分位数）"),
    points: Path | None = typer.Option(None, "--points", help="覆盖临界点的 YAML 文件（格式同内置 lights_points.yaml）"),
    pmi: bool = typer.Option(False, "--pmi", help="综合灯加入制造业PMI（先行扩散指数，默认不计入）"),
    backtest: bool = typer.Option(False, "--backtest", help="与国家统计局等公开描述的景气灯对照（2002-2021，逐条注明出处）"),
    compare_rules: bool = typer.Option(False, "--compare-rules", help="各临界点规则在同一回测上的一致率"),
    chart: Path | None = typer.Option(None, "--chart", help="输出信号灯图（.png 或 .html）"),
) -> None:
    """景气预警信号灯：各指标五区（红/黄/绿/浅蓝/蓝）、预警指数与综合灯。"""
    from yacang.alerts.lights import (
        NATIONAL_INDICATORS,
        PMI_INDICATOR,
        LightsError,
        lights_from_warehouse,
        load_points,
    )

    _check_arguments(start, end, chart)
    try:
        versions = load_points(points) if (points is not None or method == "official") else None
    except LightsError as exc:
        abort(str(exc))
    region = region_arg(region) or region
    indicators = [*NATIONAL_INDICATORS, *([PMI_INDICATOR] if pmi else [])]
    if compare_rules:
        _print_rules(region, indicators)
        return
    wh = open_warehouse(read_only=True)
    try:
        lights = lights_from_warehouse(wh, region, indicators=indicators, method=method, points=versions)
        source = source_line(wh, region)
        console.print(source, highlight=False)
    except LightsError as exc:
        abort(str(exc))
    finally:
        wh.close()
    _print_method(method, versions, points)
    if backtest:
        _print_backtest(lights)
        return
    table = lights.table(start, end)
    if table.empty:
        first, last = lights.composite.index.min(), lights.composite.index.max()
        abort(f"所选时段没有信号灯：综合灯有数据的月份为 {first.year}年{first.month}月至{last.year}年{last.month}月，"
              "请调整 --from/--to")
    compact = table[["月份", *(c for c in table.columns if c.endswith("灯") and c != "信号灯"), "总分", "信号灯"]]
    if "index" in lights.composite:
        idx = lights.composite["index"].reindex(lights.composite.index)
        months = [f"{p.year}年{p.month}月" for p in idx.index]
        compact = compact.assign(预警指数=compact["月份"].map(dict(zip(months, idx.round(1), strict=True))))
    compact = _with_member_composite(compact, lights)
    print_frame(compact.rename(columns=lambda c: c.removesuffix("灯") if c != "信号灯" else c),
                "景气预警信号灯（各指标分区与综合灯）", max_rows=400)
    if len(lights.indicators) < 3:
        names = "、".join(i.name for i in lights.indicators)
        console.print(f"注：仓库中本地区只有 {len(lights.indicators)} 个指标（{names}），综合灯只反映这些指标，"
                      "不是多指标综合；临界点为全国数据推导", highlight=False)
    if gaps := _months_without_lights(lights, start, end):
        console.print(f"注：所选时段内 {'、'.join(gaps)} 没有信号灯（当月有数据的指标不足），表中不列", highlight=False)
    if chart is not None:
        from yacang.alerts.charts import lights_html, lights_png, write_chart

        content = (lights_html(lights, start, end, versions=versions, source=source) if chart.suffix.lower() == ".html"
                   else lights_png(lights, start, end, source=source))
        console.print(f"信号灯图：{write_chart(content, chart)}")


def _months_without_lights(lights, start: str | None, end: str | None) -> list[str]:
    """Months between --from and --to (within the lights' span) that have no composite light."""
    import pandas as pd

    from yacang.alerts.lights import as_month

    idx = lights.composite.index
    lo, hi = max(as_month(start, idx.min()), idx.min()), min(as_month(end, idx.max()), idx.max())
    return [f"{p.year}年{p.month}月" for p in pd.period_range(lo, hi, freq="M").difference(idx)]


def _check_arguments(start: str | None, end: str | None, chart: Path | None) -> None:
    """Refuse a bad --from/--to or --chart before anything is read or printed."""
    from yacang.periods import PeriodError, parse_period

    parsed = {}
    for option, value in (("--from", start), ("--to", end)):
        if value is not None:
            try:
                parsed[option] = parse_period(value)
            except PeriodError as exc:
                abort(f"{option} 无效：{exc}")
    if len(parsed) == 2 and parsed["--from"].end_date > parsed["--to"].end_date:
        abort(f"--from {parsed['--from'].label_zh()} 晚于 --to {parsed['--to'].label_zh()}：请交换两者")
    chart_arg(chart)


def _print_rules(region: str, indicators) -> None:
    from yacang.alerts.lights import LightsError, warehouse_series
    from yacang.alerts.lights_rules import compare_rules

    wh = open_warehouse(read_only=True)
    try:
        series, used, ytd = warehouse_series(wh, region, indicators)
    finally:
        wh.close()
    if not used:
        abort(f"仓库中没有地区 {region} 的信号灯指标，请先导入数据")
    try:
        table = compare_rules(series, used, ytd)
    except LightsError as exc:
        abort(str(exc))
    print_frame(table, "临界点规则对照（各类：一致/相差不超过一档/行数；规则事先确定，不按月调整）", max_rows=20)


def _with_member_composite(compact, lights):
    """Add 统计局成员综合: the composite of NBS's 预警指数 members we have (工业生产、利润、进出口)."""
    from yacang.alerts.lights import NBS_MEMBERS, LightsError

    try:
        members = lights.composite_of(NBS_MEMBERS)
    except LightsError:
        return compact
    labels = {f"{p.year}年{p.month}月": light for p, light in members["light"].items()}
    return compact.assign(统计局成员综合=compact["月份"].map(labels).fillna(""))


def _print_method(method: str, versions, points: Path | None) -> None:
    from yacang.alerts.lights import method_words, points_file

    if method == "official" and versions:
        console.print(f"临界点文件：{points or points_file()}")
    console.print(method_words("official" if method == "official" and versions else "percentile", versions))
    console.print("工业增加值、出口交货值各年1月、2月均取1-2月累计增速；利润、营业收入、出口交货值缺月时沿用最近公布值至多2个月。")


def _print_backtest(lights) -> None:
    from yacang.alerts.lights import BAND_EVIDENCE
    from yacang.alerts.lights_backtest import backtest as run_backtest
    from yacang.alerts.lights_backtest import disagreements, summary

    months = run_backtest(lights)
    counts = summary(months)
    table = run_backtest(lights, collapse=True)
    sources = list(dict.fromkeys(table["出处"]))
    shown = table.assign(出处=[f"[{sources.index(s) + 1}]" for s in table["出处"]])
    title = "；".join(f"{k} {same}/{n}（相差不超过一档 {near}/{n}）" for k, (same, near, n) in counts.items())
    print_frame(shown, f"回测：与公开描述的景气灯对照，一致 — {title}", max_rows=200)
    for i, source in enumerate(sources, 1):
        console.print(f"[{i}] {source}")
    why = disagreements(lights, months)
    if why:
        console.print("综合灯分歧说明（每段一行；分数 红5 黄4 绿3 浅蓝2 蓝1，十项指数=100×总分/30）：", highlight=False)
        for line in why:
            console.print(line, highlight=False, soft_wrap=True)
    first = {ind.name: lights.values[ind.code].first_valid_index() for ind in lights.indicators}
    console.print("数据起点：" + "，".join(f"{k} {v.year}年{v.month}月" for k, v in first.items() if v is not None)
                  + "；2007–2009年各指标均有数据。")
    console.print("灯区界线依据：" + "；".join(BAND_EVIDENCE))
    console.print("注：国家统计局预警指数由十个宏观指标构成（工业生产、投资、消费、进出口、财政收入、利润、居民收入、贷款、M2、CPI），"
                  "共享数据只有其中三项（工业生产↔规上工业增加值、利润↔利润总额、进出口≈出口交货值），“综合”行用这三项的综合灯对照，"
                  "成员列给出各项灯号（找出分歧来自哪一项）；“十指标替换”行把统计局同月公布的十项灯号中的这三项换成本系统的灯号后重算；"
                  "PPI、营业收入不属统计局预警指数，计入“工业综合”（对照中国经济景气监测中心的中经工业预警指数，季度取三个月预警指数的平均）。"
                  "体系：统计局=国家统计局宏观经济预警指数，门户网=中国发展门户网综合警情指数，景气中心=中经产业景气指数，"
                  "中经网=国家信息中心经济监测预警系统；“未核实”行不计入一致率。")


def register(app: typer.Typer) -> None:
    """Add ``lights`` to the main app."""
    app.command("lights")(lights_cmd)

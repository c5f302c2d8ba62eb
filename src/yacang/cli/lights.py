"""``yacang lights``: 景气预警信号灯 (official fixed critical points by default) and its backtest."""

from __future__ import annotations

from pathlib import Path

import typer

from yacang.cli.common import abort, console, open_warehouse, print_frame


def lights_cmd(
    start: str | None = typer.Option(None, "--from", help="起始月份，如 2019-01"),
    end: str | None = typer.Option(None, "--to", help="截止月份，如 2022-12"),
    region: str = typer.Option("100000", "--region", help="地区代码"),
    method: str = typer.Option("official", "--method", help="official（固定临界点，国家统计局方法）/ percentile（近十年滚动分位数）"),
    points: Path | None = typer.Option(None, "--points", help="覆盖临界点的 YAML 文件（格式同内置 lights_points.yaml）"),
    backtest: bool = typer.Option(False, "--backtest", help="与公开描述的景气灯时期（2007-2009、2020）对照"),
    chart: Path | None = typer.Option(None, "--chart", help="输出信号灯图（.png 或 .html）"),
) -> None:
    """景气预警信号灯：各指标五区（红/黄/绿/浅蓝/蓝）、预警指数与综合灯。"""
    from yacang.alerts.lights import LightsError, lights_from_warehouse, load_points
    from yacang.alerts.lights import backtest as run_backtest

    try:
        versions = load_points(points) if (points is not None or method == "official") else None
    except LightsError as exc:
        abort(str(exc))
    wh = open_warehouse(read_only=True)
    try:
        lights = lights_from_warehouse(wh, region, method=method, points=versions)
    except LightsError as exc:
        abort(str(exc))
    finally:
        wh.close()
    if method == "official" and versions:
        console.print("方法：固定临界点（" + "；".join(f"{v.version} 自{v.effective_from}起，{v.window[0]}至{v.window[1]}，{v.method}"
                                          for v in versions) + "）；2021年增长率取两年平均；预警指数=100×总分/(3×指标数)，"
                      "红≥133.3、黄≥116.7、绿≥83.3、浅蓝≥66.7")
    else:
        console.print("方法：近十年滚动分位数（10/25/75/90），综合灯按平均分就近归区")
    console.print("1-2月合并发布的指标，1月、2月两行均为1-2月合计数；2013年前单独发布的2月值不计入1月。")
    if backtest:
        table = run_backtest(lights)
        agree = int((table["一致"] == "是").sum())
        print_frame(table.drop(columns=["出处"]), f"回测：与公开描述的综合景气灯对照（一致 {agree}/{len(table)}）", max_rows=100)
        for source in dict.fromkeys(table["出处"]):
            console.print(f"出处：{source}")
        console.print("注：国家统计局的预警指数由十个宏观指标构成（含CPI、投资、信贷、M2等），本系统用工业指标，对照仅作合理性检验。")
        return
    table = lights.table(start, end)
    compact = table[["月份", *(c for c in table.columns if c.endswith("灯") and c != "信号灯"), "总分", "信号灯"]]
    if "index" in lights.composite:
        idx = lights.composite["index"].reindex(lights.composite.index)
        months = [f"{p.year}年{p.month}月" for p in idx.index]
        compact = compact.assign(预警指数=compact["月份"].map(dict(zip(months, idx.round(1), strict=True))))
    print_frame(compact.rename(columns=lambda c: c.removesuffix("灯") if c != "信号灯" else c),
                "景气预警信号灯（各指标分区与综合灯）", max_rows=400)
    if chart is not None:
        from yacang.alerts.charts import lights_html, lights_png, write_chart

        content = lights_html(lights, start, end) if chart.suffix == ".html" else lights_png(lights, start, end)
        console.print(f"信号灯图：{write_chart(content, chart)}")


def register(app: typer.Typer) -> None:
    """Add ``lights`` to the main app."""
    app.command("lights")(lights_cmd)

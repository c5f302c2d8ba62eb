"""CLI for yacang.microdata: the report template, loading reports, review (审核) and 催报."""

from __future__ import annotations

from pathlib import Path

import typer

from yacang.cli.common import period_arg

template_app = typer.Typer(help="生成空白报表模板", no_args_is_help=True)
microdata_app = typer.Typer(help="企业月报：导入、审核、催报", no_args_is_help=True)


@template_app.command("report")
def template_report(out: Path = typer.Option(Path("规上工业企业月报模板.xlsx"), "--out", "-o", help="输出文件")) -> None:
    """写出空白的规上工业企业月报 Excel 模板（中文表头，计量单位千元）。"""
    from yacang.cli.common import abort, console
    from yacang.microdata.report_workbook import write_template

    if out.suffix.lower() != ".xlsx":  # the template is an Excel workbook, whatever the name says
        abort(f"模板是 Excel 工作簿，输出文件名应以 .xlsx 结尾（收到 {out.name}），例如 -o 月报模板.xlsx")
    path = write_template(out)
    console.print(f"已生成模板：{path}", highlight=False)


@microdata_app.command("load")
def load(files: list[Path] = typer.Argument(..., help="填好的模板 .xlsx 或 .csv")) -> None:
    """导入企业月报（整文件成功或整文件拒绝；重复导入不重复入库）。"""
    from yacang.cli.common import console, fail_known_errors, open_warehouse
    from yacang.microdata.report_workbook import load_report_file

    with fail_known_errors():
        wh = open_warehouse()
        try:
            for f in files:
                console.print(load_report_file(wh, f).text_zh(), highlight=False)
        finally:
            wh.close()


@microdata_app.command("review")
def review(period: str = typer.Option(..., "--period", "-p", help="报告期，如 2022-03、2022年1-2月", callback=period_arg),
           apply: bool = typer.Option(False, "--apply", help="按审核结果退回有错误的报表、通过无问题的报表")) -> None:
    """审核：逻辑性、波动性（同比、同行业同规模）检查，列出审核队列。"""
    from yacang.cli.common import console, fail_known_errors, open_warehouse, print_frame
    from yacang.microdata.review import apply_review, run_review

    with fail_known_errors():
        wh = open_warehouse()
        try:
            q = run_review(wh, period)
            if q.empty:
                console.print("审核未发现问题")
            else:
                print_frame(_review_table(wh, q), title=f"审核队列（{len(q)} 条）")
            if apply:
                c = apply_review(wh, period)
                console.print(f"退回 {c['returned']} 份，通过 {c['accepted']} 份，待人工核实 {c['pending']} 份")
        finally:
            wh.close()


def _review_table(wh, queue):
    """The review queue as officials read it: the enterprise's registered name beside its code, 报告期 in
    Chinese (2022年12月, 2022年1-2月)."""
    from yacang.microdata.store import MicrodataStore
    from yacang.periods import parse_period

    names = MicrodataStore(wh).table("enterprises").select("uscc", "name").to_pandas()
    q = queue.merge(names, on="uscc", how="left")
    q = q.assign(period=[parse_period(p).label_zh() for p in q["period"]], name=q["name"].fillna("（未登记）"))
    return q[["uscc", "name", "period", "severity", "message"]].rename(columns={
        "uscc": "统一社会信用代码", "name": "企业名称", "period": "报告期", "severity": "类别", "message": "审核意见"})


@microdata_app.command("late")
def late(period: str | None = typer.Option(None, "--period", "-p", help="报告期（默认上个月，1-2月合并）",
                                           callback=lambda v: period_arg(v) if v else v),
         level: str = typer.Option("province", "--level", help="province / prefecture / county"),
         fmt: str = typer.Option("table", "--format", help="table / csv / json / xlsx（后三种输出未报企业全部名单）"),
         output: Path | None = typer.Option(None, "--output", "-o", help="输出文件（xlsx 必填）")) -> None:
    """催报：分地区报送率和未报企业名单。"""
    import datetime as dt

    from yacang.cli.common import (
        console,
        emit_frame,
        fail_known_errors,
        open_warehouse,
        print_frame,
        region_names,
    )
    from yacang.microdata.review import reporting_status
    from yacang.periods import parse_period, previous_reporting_period

    if period is None:
        period = previous_reporting_period(dt.date.today()).code
        console.print(f"报告期：{parse_period(period).label_zh()}（上个月）", highlight=False)
    with fail_known_errors():
        wh = open_warehouse()
        try:
            rate, missing = reporting_status(wh, period, level=level)
        finally:
            wh.close()
        rate = rate.assign(region=region_names(rate["region"])) if not rate.empty else rate
        missing = missing.assign(region=region_names(missing["region"])) if not missing.empty else missing
        rate = rate.rename(columns={"region": "地区", "expected": "应报", "received": "已报", "rate": "报送率(%)"})
        if not missing.empty:
            missing = missing.assign(is_key=missing["is_key"].map({True: "是", False: "否"}))
        missing = missing.rename(columns={"uscc": "统一社会信用代码", "name": "企业名称", "region": "地区",
                                          "industry": "行业", "is_key": "重点企业", "status": "情况"})
        if fmt != "table":
            emit_frame(missing, fmt, title=f"未报企业_{period}", output=output, what="家未报企业")
            return
        print_frame(rate, title="报送率")
        print_frame(missing, title=f"未报企业（{len(missing)} 家）")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.add_typer(template_app, name="template", help="生成空白模板（企业月报等）")
    app.add_typer(microdata_app, name="microdata", help="企业月报：导入、审核、催报")

"""The Typer app of the ``yacang`` command: each area's subcommands live in their own module."""

from __future__ import annotations

import typer

from yacang.cli import (
    alerts,
    analysis,
    catalog,
    chains,
    check,
    demo,
    dispatch,
    evaluate,
    ingest,
    lights,
    measures,
    microdata,
    policy,
    report,
    run,
    schedule,
    series,
    serve,
    web,
)
from yacang.cli.common import console

app = typer.Typer(
    name="yacang",
    help="压舱 yacang — 工业经济运行监测调度与预警",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

run.register(app)
ingest.register(app)
microdata.register(app)
measures.register(app)
demo.register(app)
alerts.register(app)
lights.register(app)
web.register(app)
serve.register(app)
schedule.register(app)
dispatch.register(app)
chains.register(app)
evaluate.register(app)
app.add_typer(catalog.app, name="catalog", help="行政区划、行业分类、指标目录")
app.add_typer(series.app, name="series", help="查看仓库中的序列（支持 --as-of 历史版本）")
app.add_typer(check.app, name="check", help="数据一致性核对")
app.add_typer(policy.app, name="policy", help="政策文件与新闻：清洗、去重、措施台账、事实核对")
app.add_typer(report.app, name="report", help="通报：生成月度通报（HTML/PDF/DOCX/XLSX）")
app.add_typer(analysis.app, name="analysis", help="分析研判：季节调整、合成指数、转折点、现时预测")


@app.command()
def version() -> None:
    """Print the version."""
    from yacang import __version__

    console.print(f"yacang {__version__}")

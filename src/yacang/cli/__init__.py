"""The ``yacang`` command: a thin Typer app; each area's subcommands live in their own module."""

from __future__ import annotations

import sys

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
from yacang.cli.common import console, fail_known_errors

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


# Commands that always run in this process: they start the server, prompt, or only write local files.
LOCAL_COMMANDS = frozenset({"serve", "version", "init", "users", "template", "schedule", "--help", "-h"})


def main() -> None:
    """Console entry point: while ``yacang serve`` runs on this YACANG_HOME, commands go to its job
    queue (it owns the warehouse); otherwise they run here. Known errors print in Chinese, no traceback."""
    argv = sys.argv[1:]
    if argv and argv[0] not in LOCAL_COMMANDS and "--help" not in argv:
        from yacang.service import read_server_file
        from yacang.settings import get_settings

        info = read_server_file(get_settings().home)
        if info is not None:
            from yacang.service.client import ServiceError, run_through_server

            try:
                raise SystemExit(run_through_server(info, argv))
            except ServiceError as exc:
                from yacang.cli.common import err_console

                err_console.print(f"[bold red]错误[/]：{exc}", highlight=False)
                raise SystemExit(1) from None
    with fail_known_errors():
        app()


if __name__ == "__main__":
    sys.exit(main())

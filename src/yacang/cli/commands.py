"""The Typer app of the ``yacang`` command: each area's subcommands live in their own module."""

from __future__ import annotations

from functools import cache
from types import ModuleType

import typer

from yacang.cli.common import console

# Each area's module and how it joins the app: ``register(app)`` adds its top-level commands, a Typer
# ``app`` is added as a group under its name.
REGISTERED = ("run", "ingest", "microdata", "measures", "demo", "alerts", "lights", "web", "serve", "schedule",
              "dispatch", "chains", "evaluate")
GROUPS = {"catalog": "行政区划、行业分类、指标目录", "series": "查看仓库中的序列（支持 --as-of 历史版本）",
          "check": "数据一致性核对", "policy": "政策文件与新闻：清洗、去重、措施台账、事实核对",
          "report": "通报：生成月度通报（HTML/PDF/DOCX/XLSX）", "analysis": "分析研判：季节调整、合成指数、转折点、现时预测"}
# The module of each command a registering module adds (the rest are the groups above, and ``version``).
COMMAND_MODULE = {"run": "run", "init": "run", "ingest": "ingest", "measures": "measures", "demo": "demo",
                  "materials": "alerts", "alerts": "alerts", "lights": "lights", "serve": "serve",
                  "schedule": "schedule", "template": "microdata", "microdata": "microdata", "users": "web",
                  "appeals": "dispatch", "whitelist": "dispatch", "keyent": "dispatch", "projects": "dispatch",
                  "chains": "chains", "evaluate": "evaluate"}


def build_app(command: str | None = None) -> typer.Typer:
    """The ``yacang`` app; for a known ``command``, with only the module that defines it (a command starts
    without importing every area: ``yacang run`` needs none of the others)."""
    from yacang.cli.usage_errors import install

    install()  # usage errors in Chinese
    app = typer.Typer(name="yacang", help="压舱 yacang — 工业经济运行监测调度与预警", no_args_is_help=True,
                      add_completion=False, pretty_exceptions_enable=False)
    only = COMMAND_MODULE.get(command) if command is not None else None
    if command in GROUPS:
        only = command
    for name in REGISTERED:
        if only in (None, name):
            area(name).register(app)
    for name, help_text in GROUPS.items():
        if only in (None, name):
            app.add_typer(area(name).app, name=name, help=help_text)
    app.command()(version)
    return app


def area(name: str) -> ModuleType:
    """The CLI module of one area, imported on demand (one branch an area: each a direct import, so the
    import graph tests/test_architecture.py checks sees it; no import by name)."""
    if name == "run":
        from yacang.cli import run as module
    elif name == "ingest":
        from yacang.cli import ingest as module
    elif name == "microdata":
        from yacang.cli import microdata as module
    elif name == "measures":
        from yacang.cli import measures as module
    elif name == "demo":
        from yacang.cli import demo as module
    elif name == "alerts":
        from yacang.cli import alerts as module
    elif name == "lights":
        from yacang.cli import lights as module
    elif name == "web":
        from yacang.cli import web as module
    elif name == "serve":
        from yacang.cli import serve as module
    elif name == "schedule":
        from yacang.cli import schedule as module
    elif name == "dispatch":
        from yacang.cli import dispatch as module
    elif name == "chains":
        from yacang.cli import chains as module
    elif name == "evaluate":
        from yacang.cli import evaluate as module
    elif name == "catalog":
        from yacang.cli import catalog as module
    elif name == "series":
        from yacang.cli import series as module
    elif name == "check":
        from yacang.cli import check as module
    elif name == "policy":
        from yacang.cli import policy as module
    elif name == "report":
        from yacang.cli import report as module
    elif name == "analysis":
        from yacang.cli import analysis as module
    else:
        raise ValueError(f"no CLI area {name!r}")
    return module


def version() -> None:
    """Print the version."""
    from yacang import __version__

    console.print(f"yacang {__version__}")


@cache
def full_app() -> typer.Typer:
    return build_app()


def __getattr__(name: str):
    if name == "app":  # every command (tests, the server's job runner, ``--help``)
        return full_app()
    raise AttributeError(name)

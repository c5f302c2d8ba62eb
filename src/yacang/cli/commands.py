"""The Typer app of the ``yacang`` command: each area's subcommands live in their own module."""

from __future__ import annotations

import importlib
from functools import cache

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
    app = typer.Typer(name="yacang", help="压舱 yacang — 工业经济运行监测调度与预警", no_args_is_help=True,
                      add_completion=False, pretty_exceptions_enable=False)
    only = COMMAND_MODULE.get(command) if command is not None else None
    if command in GROUPS:
        only = command
    for name in REGISTERED:
        if only in (None, name):
            importlib.import_module(f"yacang.cli.{name}").register(app)
    for name, help_text in GROUPS.items():
        if only in (None, name):
            app.add_typer(importlib.import_module(f"yacang.cli.{name}").app, name=name, help=help_text)
    app.command()(version)
    return app


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

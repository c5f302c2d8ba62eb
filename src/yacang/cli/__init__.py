"""The ``yacang`` command. Starting is cheap: the areas' modules (and the Typer app that joins them,
:mod:`yacang.cli.commands`) are imported only when a command runs here rather than in the server."""

from __future__ import annotations

import atexit
import gc
import sys


def __getattr__(name: str):
    if name == "app":  # ``from yacang.cli import app`` (tests, the server's job runner)
        from yacang.cli.commands import app

        return app
    raise AttributeError(name)


# Commands that always run in this process: they start the server, prompt, or only write local files.
LOCAL_COMMANDS = frozenset({"serve", "version", "init", "users", "template", "schedule", "--help", "-h"})


def skip_final_collection() -> None:
    """At exit, no last garbage collection over every object the command made (0.5–1 s after ``yacang
    run``): the process is ending and the OS takes its memory back; atexit handlers still run."""
    atexit.register(gc.freeze)


def main() -> None:
    """Console entry point: while ``yacang serve`` runs on this YACANG_HOME, commands go to its job
    queue (it owns the warehouse); otherwise they run here. Known errors print in Chinese, no traceback."""
    argv = sys.argv[1:]
    if argv in (["version"], ["--version"]):  # answered before importing the areas (fast start)
        from yacang import __version__

        print(f"yacang {__version__}")
        return
    if argv and argv[0] not in LOCAL_COMMANDS and "--help" not in argv:
        from yacang.service import ServiceError, read_server_file
        from yacang.settings import get_settings

        try:  # a server file that cannot be trusted is refused (fail closed), in Chinese
            info = read_server_file(get_settings().home)
            if info is not None:
                from yacang.service.client import run_through_server

                raise SystemExit(run_through_server(info, argv))
        except ServiceError as exc:
            from yacang.cli.common import err_console

            err_console.print(f"[bold red]错误[/]：{exc}", highlight=False)
            raise SystemExit(1) from None
    from yacang.cli.commands import build_app
    from yacang.cli.common import fail_known_errors

    skip_final_collection()
    with fail_known_errors():
        build_app(argv[0] if argv else None)()


if __name__ == "__main__":
    sys.exit(main())

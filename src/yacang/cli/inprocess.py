"""Run a ``yacang`` command inside this process (a server job), its output sent to a sink."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import nullcontext


def run_cli(argv: list[str], sink: Callable[[str], int], cwd: str | None = None, *, service: bool = True) -> int:
    """Run ``yacang <argv>`` in this process with its output sent to ``sink`` (its stderr to ``sink.err``
    when the sink has one); returns the exit code.

    ``cwd``: the directory relative paths are read from (the process changes directory for the job's
    duration; jobs run one at a time and the server's own paths are absolute). ``service``: a job of the
    server, which holds the warehouse; False for a command of a process without one (``yacang schedule``),
    which opens the warehouse as the CLI does, waiting while another process holds it."""
    here = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        return _run_cli(argv, sink, service)
    finally:
        os.chdir(here)


def _run_cli(argv: list[str], sink: Callable[[str], int], service: bool = True) -> int:
    import click

    from yacang.cli.commands import app
    from yacang.cli.common import fail_known_errors
    from yacang.service.capture import captured, service_job

    with captured(sink, getattr(sink, "err", None)), (service_job() if service else nullcontext()):
        try:
            with fail_known_errors():
                result = app(args=list(argv), prog_name="yacang", standalone_mode=False)
            return int(result) if isinstance(result, int) else 0
        except SystemExit as exc:
            return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except click.exceptions.Exit as exc:
            return exc.exit_code
        except click.ClickException as exc:
            exc.show()
            return exc.exit_code
        except click.exceptions.Abort:
            sink("已中止\n")
            return 1

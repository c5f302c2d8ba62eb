"""Starting the CLI is cheap: ``yacang version`` and the hand-over to a running server import no area."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
sys.argv = ["yacang", "version"]
from yacang.cli import main
main()
heavy = sorted(m for m in ("ibis", "duckdb", "pandas", "sqlalchemy", "typer", "yacang.cli.commands") if m in sys.modules)
print("HEAVY=" + ",".join(heavy))
"""


def test_version_imports_no_area_module():
    r = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "yacang 0.1.0" in r.stdout
    assert r.stdout.strip().endswith("HEAVY="), r.stdout


LAZY_PROBE = """
import sys
sys.argv = ["yacang", *sys.argv[1:]]
from yacang.cli import main
try:
    main()
except SystemExit:
    pass
print("AREAS=" + ",".join(sorted(m.split(".")[-1] for m in sys.modules if m.startswith("yacang.cli.")
                                 and m.split(".")[-1] not in ("common", "commands", "inprocess", "summary", "usage_errors"))))
"""


def test_a_command_imports_only_the_area_that_defines_it():
    r = subprocess.run([sys.executable, "-c", LAZY_PROBE, "run", "--help"], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert "--source" in r.stdout  # run's own help
    assert r.stdout.strip().splitlines()[-1] == "AREAS=run", r.stdout
    r = subprocess.run([sys.executable, "-c", LAZY_PROBE, "analysis", "--help"], capture_output=True, text=True,
                       timeout=120)
    assert r.stdout.strip().splitlines()[-1] == "AREAS=analysis", r.stdout
    assert "nowcast" in r.stdout


def test_each_command_is_the_same_in_its_own_app_as_in_the_full_app():
    import typer.main

    from yacang.cli.commands import build_app, full_app

    full = typer.main.get_command(full_app())
    assert len(full.commands) == 26  # every area's command or group
    for name, cmd in full.commands.items():
        own = typer.main.get_command(build_app(name)).commands
        assert set(own) <= set(full.commands) and name in own, name
        assert _help(own[name], name) == _help(cmd, name), name
        assert sorted(getattr(own[name], "commands", {})) == sorted(getattr(cmd, "commands", {})), name
    assert set(typer.main.get_command(build_app("no-such-command")).commands) == set(full.commands)


def _help(cmd, name: str) -> str:
    import click

    return cmd.get_help(click.Context(cmd, info_name=name))

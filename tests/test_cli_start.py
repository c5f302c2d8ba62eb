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

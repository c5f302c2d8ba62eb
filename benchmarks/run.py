"""Time and peak memory of ``yacang run`` at the default demo size, by stage, in a fresh YACANG_HOME.

Usage: ``python benchmarks/run.py [--enterprises N] [--quick]``. Prints one table: the whole job on
an empty home (demo built), the same job again (demo present: measures, alerts, bulletin only), and
each stage of the second run on its own. Peak memory is the process's maximum resident set size
(``resource.getrusage``), measured in a child process per row so rows do not inherit each other's peak.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import json, os, resource, sys, time
from pathlib import Path
stage, enterprises = sys.argv[1], int(sys.argv[2])
from yacang.job_config import Config, DemoSection
from yacang.warehouse import Warehouse
from yacang.periods import parse_period
cfg = Config(demo=DemoSection(enterprises=enterprises))
wh = Warehouse.open()
t0 = time.perf_counter()
if stage == "run":
    from yacang.jobs.main_job import run_main_job
    run_main_job(wh, cfg)
elif stage == "measures":
    from yacang.report.measures_source import MeasuresSource
    MeasuresSource.from_warehouse(wh).bulletin_input("100000", parse_period("2022-12"))
elif stage == "alerts":
    from yacang.alerts.evaluate import evaluate_alerts
    evaluate_alerts(wh, parse_period("2022-12"))
elif stage == "bulletin":
    from yacang.report.bulletin import build_bulletin, write_bulletin
    from yacang.report.measures_source import MeasuresSource
    b = build_bulletin(wh, "2022-12", source=MeasuresSource.from_warehouse(wh))
    write_bulletin(b, Path(os.environ["YACANG_HOME"]) / "out", ["html", "pdf", "docx", "xlsx"])
secs = time.perf_counter() - t0
wh.close()
print(json.dumps({"seconds": secs, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(stage: str, home: Path, enterprises: int) -> dict[str, float]:
    env = dict(os.environ, YACANG_HOME=str(home))
    out = subprocess.run([sys.executable, "-c", CHILD, stage, str(enterprises)], env=env, cwd=home.parent,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--enterprises", type=int, default=20_000, help="demo size (default: the demo's default)")
    ap.add_argument("--quick", action="store_true", help="3,000 enterprises")
    args = ap.parse_args()
    n = 3_000 if args.quick else args.enterprises
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        t = time.perf_counter()
        rows.append(("yacang run, empty home (builds the demo)", measure("run", home, n)))
        rows.append(("yacang run again (demo present)", measure("run", home, n)))
        for stage, label in (("measures", "  measures (national bulletin input)"), ("alerts", "  alerts (rule pack, history)"),
                             ("bulletin", "  bulletin (build + 4 formats)")):
            rows.append((label, measure(stage, home, n)))
        total = time.perf_counter() - t
    print(f"\nyacang run at {n:,} demo enterprises (36 months ending 2022-12); wall {total:.0f} s for the table\n")
    print(f"{'what':45s} {'seconds':>9s} {'peak MB':>9s}")
    for label, r in rows:
        print(f"{label:45s} {r['seconds']:9.1f} {r['peak_mb']:9.0f}")


if __name__ == "__main__":
    main()

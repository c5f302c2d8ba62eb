"""Time of ``yacang run`` at the default demo size, by stage: fresh, repeat unchanged, one new month.

Usage: ``python benchmarks/run.py [--enterprises N] [--quick]``. Three runs, each in its own process
(interpreter start and imports included, as a user's ``yacang run``):

1. **fresh**: an empty YACANG_HOME (the demo is generated and written);
2. **repeat, nothing new**: the same home again (the inputs' fingerprint matches: the last result is reused;
   all runs import one frozen copy of ``src/yacang``, so edits to the tree meanwhile do not count as new code);
3. **one new month**: a second home holds the demo up to 2022-11 and has run once; the 2022-12 reports
   (and PPI and aggregate series) are added — timed separately, not part of the run — and ``yacang run``
   computes 2022-12.

Each run's stages come from the job's own progress events (:mod:`yacang.jobs.progress`); the rows of a
run add up to its wall time: "start-up" (interpreter, imports, configuration, opening the warehouse)
and "other" (process spawn, closing) are printed, and "other" is asserted small. Peak memory is the
child's maximum resident set size. The machine may be busy (other processes): the load average is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import time
T0, E0 = time.perf_counter(), time.time()
import json, resource, sys
from pathlib import Path
mode, enterprises = sys.argv[1], int(sys.argv[2])
from yacang.job_config import load_config
from yacang.warehouse import Warehouse
from yacang.settings import get_settings
cfg = load_config()
cfg.demo.enterprises = enterprises
cfg.yacang.output_dir = str(get_settings().ensure_home() / "out")
rows, sub = [], []
import yacang
assert yacang.__file__.startswith(sys.argv[3]), yacang.__file__  # the frozen copy
if mode == "add_month":
    from yacang.demo.generator import DemoSpec, generate
    from yacang.demo.writer import add_period
    wh = Warehouse.open()
    t = time.perf_counter()
    data = generate(DemoSpec(enterprises=enterprises, seed=cfg.demo.seed))
    n = add_period(wh, data, data.periods[-1])
    wh.close()
    print(json.dumps({"seconds": time.perf_counter() - t, "reports": n}))
    sys.exit(0)
if mode == "seed_month":  # the demo up to 2022-11 in an empty home, before its first run
    from yacang.demo.build import run_demo
    from yacang.demo.generator import DemoSpec, generate
    from yacang.demo.writer import upto
    wh = Warehouse.open()
    spec = DemoSpec(enterprises=enterprises, seed=cfg.demo.seed)
    full = generate(spec)
    run_demo(wh, spec, data=upto(full, full.periods[-2]))
    wh.close()
    print(json.dumps({}))
    sys.exit(0)
from yacang.jobs.main_job import run_main_job
from yacang.cli.summary import print_summary
from yacang.cli import skip_final_collection
from yacang.cli.commands import build_app
build_app("run")  # the command's own app, as ``yacang run`` builds it
skip_final_collection()  # as the yacang command does
import io, contextlib
wh = Warehouse.open()
rows.append(["start-up (imports, config, open warehouse)", time.perf_counter() - T0, time.process_time(), "start"])
cpu = {}
def record(ev):
    if ev.kind == "start":
        cpu[ev.key] = time.process_time()
    elif ev.kind == "end":
        (rows if ev.depth == 0 else sub).append([ev.label, ev.seconds, time.process_time() - cpu[ev.key], ev.key])
t = time.perf_counter()
summary = run_main_job(wh, cfg, progress=record)
t1, c = time.perf_counter(), time.process_time()
with contextlib.redirect_stdout(io.StringIO()):
    print_summary(summary, time.perf_counter() - t)
rows.append(["print summary", time.perf_counter() - t1, time.process_time() - c, "print"])
t, c = time.perf_counter(), time.process_time()
wh.close()
rows.append(["close warehouse", time.perf_counter() - t, time.process_time() - c, "close"])
print(json.dumps({"rows": rows, "sub": sub, "period": summary.period.code, "reused": "save" not in cpu,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "cpu": time.process_time(),
                  "worker_cpu": sum(getattr(resource.getrusage(resource.RUSAGE_CHILDREN), f) for f in ("ru_utime", "ru_stime")),
                  "started": E0, "ended": time.time()}), flush=True)
"""


REPO = Path(__file__).resolve().parents[1]


def freeze(tmp: Path) -> Path:
    """A copy of ``src/yacang`` (modification times kept) that every run imports: other people editing the
    tree during the benchmark would otherwise change the code's fingerprint between the runs."""
    dst = tmp / "src"
    shutil.copytree(REPO / "src" / "yacang", dst / "yacang", ignore=shutil.ignore_patterns("__pycache__"))
    return dst


def child(mode: str, home: Path, enterprises: int, code: Path) -> dict:
    env = dict(os.environ, YACANG_HOME=str(home), PYTHONPATH=str(code), YACANG_NODE_ROOT=str(REPO))
    t, e = time.perf_counter(), time.time()
    out = subprocess.run([sys.executable, "-c", CHILD, mode, str(enterprises), str(code)], env=env, cwd=home,
                         capture_output=True, text=True)
    wall, e1 = time.perf_counter() - t, time.time()
    if out.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{out.stderr[-4000:]}")
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["wall"] = wall
    if "started" in res:  # interpreter start before the child's first line, and its exit after the last
        res["rows"].insert(0, ["interpreter start", res["started"] - e, 0.0, "boot"])
        res["rows"].append(["interpreter exit", e1 - res["ended"], 0.0, "exit"])
    return res


def table(title: str, r: dict) -> float:
    """Print one run's stages (wall and CPU seconds); returns the share of the wall time left unexplained."""
    reused = "（上次结果沿用）" if r.get("reused") else ""
    worker = f" (+ {r['worker_cpu']:.1f} s in the PDF worker)" if r.get("worker_cpu") else ""
    print(f"\n{title}{reused} — wall {r['wall']:.1f} s, CPU {r['cpu']:.1f} s{worker}, peak {r['peak_mb']:.0f} MB")
    print(f"  {'stage':52s} {'wall s':>8s} {'CPU s':>8s}")
    subs: dict[str, list] = {}
    for label, secs, cpu, key in r["sub"]:
        subs.setdefault(_parent_of(key), []).append((label, secs, cpu))
    total = 0.0
    for label, secs, cpu, key in r["rows"]:
        print(f"  {label:52s} {secs:8.2f} {cpu:8.2f}")
        total += secs
        for sl, ss, sc in subs.get(key, []):
            print(f"      {sl:48s} {ss:8.2f} {sc:8.2f}")
    other = r["wall"] - total
    print(f"  {'other (unexplained)':52s} {other:8.2f}")
    print(f"  {'= wall':52s} {r['wall']:8.2f}")
    return abs(other) / r["wall"]


def _parent_of(key: str) -> str:
    return "data" if key.startswith("demo_") else key


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--enterprises", type=int, default=20_000, help="demo size (default: the demo's default)")
    ap.add_argument("--quick", action="store_true", help="3,000 enterprises")
    args = ap.parse_args()
    n = 3_000 if args.quick else args.enterprises
    load0 = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        code = freeze(Path(tmp))
        fresh_home, month_home = Path(tmp) / "fresh", Path(tmp) / "month"
        fresh_home.mkdir()
        month_home.mkdir()
        fresh = child("run", fresh_home, n, code)
        repeat = child("run", fresh_home, n, code)
        child("seed_month", month_home, n, code)
        before = child("run", month_home, n, code)
        added = child("add_month", month_home, n, code)
        month = child("run", month_home, n, code)
    load1 = os.getloadavg()
    print(f"\nyacang run at {n:,} demo enterprises (36 months ending 2022-12); "
          f"load average {load0[0]:.1f} at start, {load1[0]:.1f} at end (2 cores)")
    shares = [table("1. fresh: empty home, demo generated", fresh),
              table("2. repeat, nothing new", repeat),
              table(f"3. one new month: 2022-12 added to a home that ran {before['period']}", month)]
    print(f"\n  (adding the month: {added['seconds']:.1f} s for {added['reports']:,} report rows, outside the run)")
    print(f"\nsummary: fresh {fresh['wall']:.1f} s, repeat {repeat['wall']:.1f} s, one new month {month['wall']:.1f} s")
    assert month["period"] == "2022-12" and before["period"] == "2022-11", (before["period"], month["period"])
    assert repeat["reused"] and not fresh["reused"] and not month["reused"]
    assert max(shares) < 0.03, f"stages leave {max(shares):.1%} of a run unexplained"


if __name__ == "__main__":
    main()

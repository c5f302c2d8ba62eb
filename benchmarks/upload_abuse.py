"""Time and peak memory of hostile and careless uploads: refused by the caps, or parsed as before.

Usage: ``python benchmarks/upload_abuse.py [--quick]``. For each crafted file (built here, in a temp
folder) one row per path:

- ``guarded``: what an upload does now — :func:`yacang.ingest.limits.precheck`, then the report
  parser only if the file passes;
- ``isolated``: what the upload route does now — ``precheck`` in the server, then the parser in a worker
  process with memory and time limits (:func:`yacang.ingest.isolated.parse_isolated`, default limits);
  peak memory is the larger of the server's and the worker's (the worker reports its own); the worker
  pool (a forkserver with the parser preloaded) is started before timing, as in a running server;
- ``naive``: the parser alone, as uploads ran it before (pandas + openpyxl on the whole file), run in a
  child process with an address-space limit (``--naive-mem``, default 3 GB) and a time limit
  (``--naive-seconds``), so a bomb cannot take the machine down; a row that hits a limit says so.

Each row runs in a fresh child process; peak memory is that child's maximum resident set size
(``resource.getrusage``). For the valid report file all paths must produce the same batch (asserted:
same rows, same values). The last table measures a reader's latency on the warehouse lock while an
upload is handled: guarded and isolated (parsed outside the lock, crafted files refused before
parsing) against the old order (parsed while holding the lock; only for the empty-rows file, whose
naive parse is bounded in time rather than in memory).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
mode, path, mem = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
if mode == "naive" and mem:
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
from yacang.ingest.errors import IngestError
import yacang.microdata.report_workbook as rw
import pandas as pd
if mode == "naive":
    rw.precheck = lambda p: None  # the parser alone, as uploads ran it before the caps
if mode == "isolated":  # a running server's forkserver is warm: start it (and its preloads) before timing
    from benchmarks.upload_abuse import measured_parse, valid_reports
    from yacang.ingest.isolated import parse_isolated, preload
    preload("yacang.microdata.report_workbook")  # as the upload route does
    parse_isolated(measured_parse, valid_reports(path.parent / "warm.csv", 1))
t0 = time.perf_counter()
outcome, digest, worker_mb = "", "", 0.0
try:
    if mode == "isolated":
        from yacang.ingest.limits import precheck
        precheck(path)
        batch, worker_mb = parse_isolated(measured_parse, path)
    else:
        batch = rw.parse_report_file(path)
    outcome = f"parsed {len(batch.reports):,} rows, {len(batch.errors):,} errors"
    digest = str(pd.util.hash_pandas_object(batch.reports.fillna(-1), index=False).sum())
except IngestError as exc:
    outcome = "refused: " + str(exc.args[0]).split("：", 1)[-1][:40]
except MemoryError:
    outcome = "MemoryError (address-space limit)"
seconds = time.perf_counter() - t0
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, worker_mb)
if worker_mb:
    outcome += f" (worker peak {worker_mb:.0f} MB)"
print(json.dumps({"seconds": seconds, "peak_mb": peak, "outcome": outcome, "digest": digest}))
"""


def measured_parse(path: Path):
    """The report parser as the isolated worker runs it, with the worker's own peak memory (MB)."""
    import resource

    from yacang.microdata.report_workbook import parse_report_file

    batch = parse_report_file(path)
    return batch, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(mode: str, path: Path, mem: int, timeout: float) -> dict:
    try:
        out = subprocess.run([sys.executable, "-c", CHILD, mode, str(path), str(mem)], capture_output=True,
                             text=True, timeout=timeout, cwd=REPO, check=False)
    except subprocess.TimeoutExpired:
        return {"seconds": timeout, "peak_mb": float("nan"), "outcome": f"killed after {timeout:.0f} s", "digest": ""}
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        return {"seconds": float("nan"), "peak_mb": float("nan"),
                "outcome": "crashed: " + (out.stderr.strip().splitlines() or ["?"])[-1][:60], "digest": ""}
    return json.loads(lines[-1])


def valid_reports(path: Path, n: int) -> Path:
    from yacang.microdata.uscc import make_uscc

    head = "统一社会信用代码,企业名称,报告期,工业总产值(当期价格),工业总产值上年同期,工业销售产值,计量单位\n"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(head)
        for i in range(n):
            u = make_uscc("440106", f"MA{i:07d}")
            fh.write(f"{u},企业{i},2022-05,{1000 + i % 97},{900 + i % 89},{990 + i % 91},千元\n")
    return path


def bad_reports(path: Path, n: int) -> Path:
    head = "统一社会信用代码,企业名称,报告期,工业总产值(当期价格),工业总产值上年同期,工业销售产值,计量单位\n"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(head)
        fh.writelines("x,某企业,2022-05,inf,nan,-1,千元\n" for _ in range(n))
    return path


def reader_latency(path: Path, order: str, seconds: float) -> tuple[float, float, str]:
    """Max and median latency of a reader taking the warehouse lock while the upload is handled
    (``order``: guarded, isolated or old)."""
    from yacang.ingest.errors import IngestError
    from yacang.ingest.isolated import parse_isolated
    from yacang.ingest.limits import precheck
    from yacang.microdata.report_workbook import parse_report_file
    from yacang.warehouse import Warehouse

    lock = threading.RLock()
    wh = Warehouse.memory()
    done = threading.Event()
    outcome: list[str] = []

    def upload() -> None:
        try:
            if order == "old":
                with lock:  # the old upload: parse while holding the warehouse lock
                    import pandas as pd

                    pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
                    outcome.append("parsed under the lock")
            elif order == "isolated":
                precheck(path)
                parse_isolated(parse_report_file, path)  # in a limited worker, outside the lock
                with lock:
                    outcome.append("written")
            else:
                parse_report_file(path)  # precheck + parse, outside the lock
                with lock:
                    outcome.append("written")
        except IngestError as exc:
            outcome.append("refused: " + str(exc.args[0]).split("：", 1)[-1][:30])
        finally:
            done.set()

    t = threading.Thread(target=upload, daemon=True)
    t.start()
    lat: list[float] = []
    start = time.perf_counter()
    while not done.is_set() and time.perf_counter() - start < seconds:
        t0 = time.perf_counter()
        with lock:
            wh.db.execute("SELECT 1").fetchall()
        lat.append(time.perf_counter() - t0)
        time.sleep(0.01)
    if not done.is_set():
        outcome.append(f"still parsing after {seconds:.0f} s")
    lat.sort()
    return (lat[-1] if lat else 0.0), (lat[len(lat) // 2] if lat else 0.0), outcome[0] if outcome else ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller files, short naive limits")
    ap.add_argument("--naive-mem", type=float, default=3.0, help="address-space limit of the naive child (GB)")
    ap.add_argument("--naive-seconds", type=float, default=None, help="time limit of the naive child")
    args = ap.parse_args()
    from tests.security import crafted

    rows = 600_000 if args.quick else 2_000_000  # over the 500,000-row cap either way
    gib = 0.25 if args.quick else 1.0
    naive_s = args.naive_seconds or (30.0 if args.quick else 120.0)
    mem = int(args.naive_mem * (1 << 30))
    tmp = Path(tempfile.mkdtemp(prefix="upload_abuse_"))
    files = {
        f"{rows:,} empty rows (xlsx)": crafted.empty_rows_xlsx(tmp / "rows.xlsx", rows=rows),
        f"{gib:g} GiB shared string (xlsx)": crafted.huge_shared_string_xlsx(tmp / "sst.xlsx", gib=gib),
        "truncated template (xlsx)": None,
        f"{rows // 2:,} bad rows (csv)": bad_reports(tmp / "bad.csv", rows // 2),
        "20,000 valid reports (csv)": valid_reports(tmp / "ok.csv", 20_000),
    }
    from yacang.microdata.report_workbook import write_template

    files["truncated template (xlsx)"] = crafted.truncated(write_template(tmp / "t.xlsx"), tmp / "trunc.xlsx")
    print(f"{'file':34} {'size':>9}  {'path':8} {'seconds':>8} {'peak MB':>8}  outcome")
    for name, path in files.items():
        size = path.stat().st_size
        res = {}
        for mode in ("guarded", "isolated", "naive"):
            r = child(mode, path, mem if mode == "naive" else 0, naive_s if mode == "naive" else 60.0)
            res[mode] = r
            print(f"{name:34} {size / 1024:>7.0f}KB  {mode:8} {r['seconds']:>8.2f} {r['peak_mb']:>8.0f}  {r['outcome']}")
        if name.startswith("20,000 valid"):
            assert res["guarded"]["digest"] and res["guarded"]["digest"] == res["naive"]["digest"] \
                == res["isolated"]["digest"], "every path must parse a valid file exactly as the parser alone"
            assert res["guarded"]["outcome"] == res["naive"]["outcome"] == res["isolated"]["outcome"].split(" (worker")[0]
    print()
    print("reader on the warehouse lock while an upload is handled (reads every 10 ms)")
    print(f"{'file':34} {'upload order':36} {'max ms':>8} {'median ms':>10}  upload outcome")
    runs = [(f"{rows:,} empty rows (xlsx)", order) for order in ("guarded", "isolated", "old")]
    runs += [(f"{gib:g} GiB shared string (xlsx)", order) for order in ("guarded", "isolated")]
    runs += [("20,000 valid reports (csv)", "isolated")]
    labels = {"guarded": "guarded: caps, parse outside lock", "isolated": "isolated: caps, parse in a worker",
              "old": "old: parse under the lock"}
    for name, order in runs:
        mx, med, outcome = reader_latency(files[name], order, naive_s)
        print(f"{name:34} {labels[order]:36} {mx * 1000:>8.1f} {med * 1000:>10.2f}  {outcome}")


if __name__ == "__main__":
    main()

"""Load test of the 总览 API: N concurrent clients on loopback for D seconds; p50/p95/p99 and errors.

    python benchmarks/web.py            # 50 clients × 60 s per variant
    python benchmarks/web.py --quick    # 50 clients × 10 s per variant
    python benchmarks/web.py --mixed    # also: the 20,000-enterprise demo, 10% of clients submitting reports

The mixed variant (issue 13): readers GET the overview while enterprise accounts POST monthly reports
(``/api/reports``) for months after the demo, each client its own enterprise and months; afterwards the
warehouse is counted — every accepted submission must be there exactly once.

Its own data: a warehouse with monthly 规上工业增加值 当月/累计 growth for the nation, 31 provinces and
their prefectures (synthetic, seeded), 2019–2025. The app runs under uvicorn in a subprocess (one
worker, as `yacang serve` runs it); the clients are asyncio + httpx with Bearer tokens of a national
analyst. Two variants in the same run: yacang (views cached per data version) and the naive
baseline (YACANG_WEB_CACHE=0: every request recomputes the view from the warehouse).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def build_data(home: Path, seed: int = 7) -> str:
    """Warehouse + app DB under ``home``; returns an API token."""
    os.environ["YACANG_HOME"] = str(home)
    from yacang.appdb.base import get_engine
    from yacang.appdb.migrate import upgrade
    from yacang.auth import service
    from yacang.catalog.regions import mainland_provinces
    from yacang.ingest.batch import SERIES_COLUMNS, Batch
    from yacang.periods import month_range, parse_period
    from yacang.settings import get_settings, reset_settings
    from yacang.warehouse import Warehouse

    reset_settings()
    rng = np.random.default_rng(seed)
    periods = [p.code for p in month_range(parse_period("2019-01/02"), parse_period("2025-12"))]
    regions = ["100000"] + [p.code for p in mainland_provinces()]
    regions += [p[:2] + f"{k:02d}" + "00" for p in regions[1:] for k in range(1, 13)]
    series, obs = [], []
    for code in regions:
        base = rng.normal(5.5, 1.5)
        for measure in ("yoy", "ytd_yoy"):
            sid = f"demo:iva.{measure}.{code}.TOTAL"
            series.append({"series_id": sid, "indicator": "iva", "measure": measure, "region": code,
                           "industry": "TOTAL", "category": "", "frequency": "M", "unit": "%", "source": "demo",
                           "original_name": sid, "jan_feb": ""})
            vals = base + rng.normal(0, 1.0, len(periods)).cumsum() * 0.3
            obs += [{"series_id": sid, "period": p, "value": round(float(v), 1)} for p, v in zip(periods, vals, strict=True)]
    o = pd.DataFrame(obs).assign(flags="", source_row=0, source_col="")
    s = get_settings()
    s.ensure_home()
    wh = Warehouse.open(s.warehouse_path)
    wh.write_batch(Batch("bench.csv", "bench", f"bench-{seed}", pd.DataFrame(series)[SERIES_COLUMNS], o))
    wh.close()
    url = f"sqlite:///{home / 'app.sqlite'}"
    upgrade(url)
    from sqlalchemy.orm import Session

    with Session(get_engine(url)) as sess:
        user = service.add_user(sess, "bench", "bench-password-1", "analyst", region="100000")
        token = service.create_token(sess, user, "bench")
        sess.commit()
    print(f"data: {len(series)} series × {len(periods)} periods = {len(o):,} observations, {len(regions)} regions")
    return token


SUBMIT_VALUES = {"output_value": 1000, "output_value_prev": 900, "sales_value": 950, "sales_value_prev": 880,
                 "export_delivery": 100, "export_delivery_prev": 90, "revenue": 1100, "revenue_prev": 1000,
                 "profit": 50, "profit_prev": 45, "electricity": 10, "electricity_prev": 9,
                 "employment": 100, "employment_prev": 98}


def build_demo(home: Path, enterprises: int, submitters: int) -> tuple[str, list[str], list[str]]:
    """The calibrated demo under ``home``; an analyst token, and enterprise tokens with their USCCs."""
    os.environ["YACANG_HOME"] = str(home)
    from sqlalchemy.orm import Session

    from yacang.appdb.base import get_engine
    from yacang.appdb.migrate import upgrade
    from yacang.auth import service
    from yacang.demo import DemoSpec, run_demo
    from yacang.settings import get_settings, reset_settings
    from yacang.warehouse import Warehouse

    reset_settings()
    s = get_settings()
    s.ensure_home()
    url = f"sqlite:///{home / 'app.sqlite'}"
    upgrade(url)
    wh = Warehouse.open(s.warehouse_path)
    run_demo(wh, DemoSpec(enterprises=enterprises, seed=2022))
    usccs = [u for (u,) in wh.db.execute("SELECT uscc FROM enterprises ORDER BY uscc LIMIT ?", [submitters]).fetchall()]
    wh.close()
    with Session(get_engine(url)) as sess:
        token = service.create_token(sess, service.add_user(sess, "bench", "bench-password-1", "analyst",
                                                            region="100000"), "bench")
        ent_tokens = [service.create_token(sess, service.add_user(sess, f"ent{i}", "bench-password-1", "enterprise",
                                                                  uscc=u), "bench") for i, u in enumerate(usccs)]
        sess.commit()
    print(f"data: demo with {enterprises:,} enterprises; {submitters} enterprise accounts submit")
    return token, ent_tokens, usccs


async def _submitter(host: str, port: int, token: str, stop: float, latencies: list[float],
                     accepted: list[str]) -> int:
    """One enterprise posting its reports month after month (2023-03, 2023-04 … last month) until ``stop``;
    after the last month it starts again with changed values (revisions: still one row per month)."""
    today = time.localtime()
    valid = [f"{y}-{m:02d}" for y in range(2023, today.tm_year + 1) for m in range(3, 13)
             if (y, m) < (today.tm_year, today.tm_mon)]  # a future period is refused
    errors, sent = 0, 0
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.monotonic() < stop:
            period = valid[sent % len(valid)]
            values = {**SUBMIT_VALUES, "output_value": SUBMIT_VALUES["output_value"] + sent // len(valid)}
            sent += 1
            body = json.dumps({"period": period, "unit": "千元", "values": values}).encode()
            request = (f"POST /api/reports HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
                       f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
            t0 = time.perf_counter()
            ok = False
            try:
                status, _, _ = await _exchange(reader, writer, request)
                ok = status == 200
                if ok:
                    accepted.append(period)
            except (asyncio.IncompleteReadError, ConnectionError, ValueError):
                reader, writer = await asyncio.open_connection(host, port)
            latencies.append(time.perf_counter() - t0)
            errors += not ok
    finally:
        writer.close()
    return errors


async def mixed_load(port: int, token: str, ent_tokens: list[str], clients: int, seconds: float):
    read = (f"GET /api/overview?region=100000 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Authorization: Bearer {token}\r\nAccept: application/json\r\n\r\n").encode()
    reads: list[float] = []
    misses: list[float] = []  # reads the server computed (X-Cache: miss), reported apart from cache hits
    writes: list[float] = []
    accepted: list[list[str]] = [[] for _ in ent_tokens]
    stop = time.monotonic() + seconds
    tasks = [_client("127.0.0.1", port, read, stop, reads, misses) for _ in range(clients - len(ent_tokens))]
    tasks += [_submitter("127.0.0.1", port, t, stop, writes, accepted[i]) for i, t in enumerate(ent_tokens)]
    errors = await asyncio.gather(*tasks)
    return np.array(reads) * 1000, np.array(misses) * 1000, np.array(writes) * 1000, sum(errors), accepted


def run_mixed(home: Path, token: str, ent_tokens: list[str], usccs: list[str], clients: int, seconds: float) -> dict:
    port = free_port()
    proc = start_server(home, port, True)
    try:
        asyncio.run(load(port, "/api/overview?region=100000", token, 2, 1.0))  # warm-up
        reads, misses, writes, errors, accepted = asyncio.run(mixed_load(port, token, ent_tokens, clients, seconds))
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    from yacang.warehouse import Warehouse

    wh = Warehouse.open(home / "warehouse.duckdb", read_only=True)
    try:
        stored = wh.db.execute("SELECT uscc, period, count(*) FROM reports WHERE period >= '2023' "
                               "GROUP BY uscc, period").fetchall()
    finally:
        wh.close()
    expected = {(u, p) for u, ps in zip(usccs, accepted, strict=True) for p in ps}
    got = {(u, p) for u, p, _n in stored}
    both = np.concatenate([reads, misses, writes])
    return {"reads": len(reads) + len(misses), "hits": len(reads), "misses": len(misses),
            "hit_p95": np.percentile(reads, 95) if len(reads) else float("nan"),
            "miss_p95": np.percentile(misses, 95) if len(misses) else float("nan"), "writes": len(writes), "p50": np.percentile(both, 50), "p95": np.percentile(both, 95),
            "p99": np.percentile(both, 99), "read_p95": np.percentile(np.concatenate([reads, misses]), 95),
            "write_p95": np.percentile(writes, 95) if len(writes) else float("nan"), "errors": errors,
            "lost": len(expected - got), "extra": len(got - expected), "duplicated": sum(n > 1 for _u, _p, n in stored),
            "accepted": len(expected)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(home: Path, port: int, cache: bool) -> subprocess.Popen:
    env = {**os.environ, "YACANG_HOME": str(home), "YACANG_WEB_CACHE": "1" if cache else "0"}
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "yacang.web.app:create_app", "--factory",
                             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
                             "--backlog", "2048"],
                            env=env, cwd=home.parent)
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


async def _exchange(reader, writer, request: bytes) -> tuple[int, dict[bytes, bytes], bytes]:
    """One request on a keep-alive HTTP/1.1 connection: (status, headers with lower-case names, body)."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(b":") for x in lines[1:] if x)}
    body = await reader.readexactly(int(headers.get(b"content-length", b"0")))
    return int(lines[0].split(b" ", 2)[1]), headers, body


async def _client(host: str, port: int, request: bytes, stop: float, latencies: list[float],
                  misses: list[float] | None = None) -> int:
    """One keep-alive HTTP/1.1 connection sending requests back to back (a minimal wrk-like client:
    httpx's own per-request CPU cost would dominate on a 2-core box). Returns its error count."""
    errors = 0
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            ok = False
            miss = False
            try:
                status, headers, body = await _exchange(reader, writer, request)
                miss = headers.get(b"x-cache") == b"miss"
                ok = status == 200 and len(json.loads(body)["children"]) == 31
            except (asyncio.IncompleteReadError, ConnectionError, ValueError, KeyError):
                reader, writer = await asyncio.open_connection(host, port)
            (misses if miss and misses is not None else latencies).append(time.perf_counter() - t0)
            errors += not ok
    finally:
        writer.close()
    return errors


async def load(port: int, path: str, token: str, clients: int, seconds: float) -> tuple[np.ndarray, int]:
    request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
               "Accept: application/json\r\n\r\n").encode()
    latencies: list[float] = []
    stop = time.monotonic() + seconds
    errors = await asyncio.gather(*(_client("127.0.0.1", port, request, stop, latencies) for _ in range(clients)))
    return np.array(latencies) * 1000, sum(errors)


def cpu_seconds(pid: int) -> float:
    """User+system CPU of a process from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_variant(home: Path, token: str, cache: bool, clients: int, seconds: float) -> dict:
    port = free_port()
    proc = start_server(home, port, cache)
    try:
        path = "/api/overview?region=100000"
        asyncio.run(load(port, path, token, 2, 1.0))  # warm-up
        cpu0 = cpu_seconds(proc.pid)
        lat, errors = asyncio.run(load(port, path, token, clients, seconds))
        cpu = cpu_seconds(proc.pid) - cpu0
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return {"requests": len(lat), "rps": len(lat) / seconds, "p50": np.percentile(lat, 50),
            "p95": np.percentile(lat, 95), "p99": np.percentile(lat, 99), "errors": errors,
            "cpu_ms": cpu * 1000 / max(len(lat), 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="10 s per variant instead of 60 s")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=None)
    ap.add_argument("--mixed", action="store_true", help="also run readers with enterprise submissions on the demo")
    ap.add_argument("--enterprises", type=int, default=20000, help="demo size for --mixed")
    ap.add_argument("--mixed-only", action="store_true", help="only the mixed run (skip the overview variants)")
    args = ap.parse_args()
    seconds = args.seconds or (10.0 if args.quick else 60.0)
    if not args.mixed_only:
        overview_variants(args, seconds)
    if args.mixed or args.mixed_only:
        mixed(args, seconds)


def overview_variants(args: argparse.Namespace, seconds: float) -> None:
    """The overview API with cached views against the naive recompute-per-request baseline."""
    with tempfile.TemporaryDirectory(prefix="yacang-bench-web-") as tmp:
        home = Path(tmp) / "home"
        token = build_data(home)
        rows = {}
        for name, cache in (("yacang (cached views)", True), ("naive (recompute per request)", False)):
            print(f"running {name}: {args.clients} clients × {seconds:.0f} s …", flush=True)
            rows[name] = run_variant(home, token, cache, args.clients, seconds)
    print(f"\nGET /api/overview?region=100000 — {args.clients} concurrent clients, {seconds:.0f} s each, loopback")
    print(f"{'variant':32} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"
          f" {'server CPU ms/req':>18}")
    for name, r in rows.items():
        print(f"{name:32} {r['requests']:>9,} {r['rps']:>8.1f} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['p99']:>8.1f} "
              f"{r['errors']:>7} {r['cpu_ms']:>18.2f}")
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (server, clients and anything else share them)")
    ours = rows["yacang (cached views)"]
    verdict = "met" if ours["p95"] < 200 and ours["errors"] == 0 else "NOT met"
    print(f"goal p95 < 200 ms with 0 errors: {verdict}")


def mixed(args: argparse.Namespace, seconds: float) -> None:
    """Readers and submitting enterprises together on the demo; every accepted row counted."""
    submitters = max(1, args.clients // 10)
    with tempfile.TemporaryDirectory(prefix="yacang-bench-mixed-") as tmp:
        home = Path(tmp) / "home"
        token, ent_tokens, usccs = build_demo(home, args.enterprises, submitters)
        print(f"running mixed: {args.clients - submitters} readers + {submitters} submitting enterprises × "
              f"{seconds:.0f} s …", flush=True)
        m = run_mixed(home, token, ent_tokens, usccs, args.clients, seconds)
    print(f"\nmixed on the {args.enterprises:,}-enterprise demo: reads {m['reads']:,}, submissions {m['writes']:,} "
          f"(accepted {m['accepted']:,})")
    print(f"reads: cache hits {m['hits']:,} (p95 {m['hit_p95']:.1f} ms), misses {m['misses']:,} "
          f"(p95 {m['miss_p95']:.1f} ms)")
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (shared with other work)")
    print(f"p50 {m['p50']:.1f} ms, p95 {m['p95']:.1f} ms, p99 {m['p99']:.1f} ms (reads p95 {m['read_p95']:.1f}, "
          f"submissions p95 {m['write_p95']:.1f}); errors {m['errors']}; rows lost {m['lost']}, "
          f"extra {m['extra']}, duplicated {m['duplicated']}")
    ok = m["p95"] < 300 and m["p99"] < 1000 and not (m["errors"] or m["lost"] or m["extra"] or m["duplicated"])
    print(f"goal p95 < 300 ms, p99 < 1 s, 0 errors, nothing lost or duplicated: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()

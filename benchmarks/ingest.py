"""Benchmark: loading a tidy long CSV with validation into a fresh DuckDB warehouse.

Generates ``date, series_id, value, flag`` rows (1,000,000 by default, 100,000 with ``--quick``) plus a
``series_catalog.csv`` in a temporary directory, then times

* yacang: :func:`yacang.ingest.tidy.parse_tidy` (vectorised validation: ids, dates, numbers, duplicate
  keys) + :meth:`yacang.warehouse.Warehouse.write_batch` into a new DuckDB file;
* naive baseline: pandas ``iterrows`` — per row look up the id, parse the date and the number, check the
  key against a set, and ``INSERT`` the row into DuckDB. It runs on the first ``--naive-rows`` rows
  (default 5,000) and its rows/s is extrapolated to the whole file (stated in the output).

Run: ``python benchmarks/ingest.py [--quick] [--rows N] [--naive-rows N]``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table

from yacang.ingest.numbers import NumberError, parse_number
from yacang.ingest.tidy import parse_tidy
from yacang.periods import PeriodError, parse_period
from yacang.warehouse import Warehouse

console = Console()


def generate(folder: Path, rows: int, n_series: int = 1000, seed: int = 7) -> Path:
    """Daily observations for ``n_series`` raw series (and a catalog); ``rows`` in total."""
    rng = np.random.default_rng(seed)
    days = -(-rows // n_series)
    dates = pd.date_range("2000-01-01", periods=days, freq="D").strftime("%Y-%m-%d")
    ids = [f"S{i:05d}" for i in range(n_series)]
    frame = pd.DataFrame({
        "date": np.repeat(dates.to_numpy(), n_series)[:rows],
        "series_id": np.tile(ids, days)[:rows],
        "value": np.round(rng.normal(100, 15, rows), 2),
        "flag": "",
    })
    path = folder / "observations.csv"
    frame.to_csv(path, index=False)
    pd.DataFrame({"series_id": ids, "indicator": [f"中国:开工率:测试品种{i}" for i in range(n_series)],
                  "frequency": "D", "unit": "%", "vendor": "Wind"}).to_csv(folder / "series_catalog.csv", index=False)
    return path


def run_yacang(csv: Path, db: Path) -> dict[str, float]:
    t0 = time.perf_counter()
    batch = parse_tidy(csv)
    t1 = time.perf_counter()
    assert not batch.errors, batch.errors[:3]
    wh = Warehouse.open(db)
    result = wh.write_batch(batch)
    wh.close()
    t2 = time.perf_counter()
    return {"rows": result.n_observations, "parse": t1 - t0, "write": t2 - t1, "total": t2 - t0}


def run_naive(csv: Path, db: Path, limit: int) -> dict[str, float]:
    """Row by row: what a first script would do."""
    t0 = time.perf_counter()
    catalog = set(pd.read_csv(csv.parent / "series_catalog.csv", dtype=str)["series_id"])
    df = pd.read_csv(csv, dtype=str, keep_default_na=False, nrows=limit)
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE obs (series_id VARCHAR, period VARCHAR, value DOUBLE)")
    seen: set[tuple[str, str]] = set()
    errors = 0
    for _, row in df.iterrows():
        try:
            period = parse_period(row["date"]).code
            value = parse_number(row["value"])
        except (PeriodError, NumberError):
            errors += 1
            continue
        key = (row["series_id"], period)
        if row["series_id"] not in catalog or key in seen:
            errors += 1
            continue
        seen.add(key)
        con.execute("INSERT INTO obs VALUES (?, ?, ?)", [row["series_id"], period, value])
    con.close()
    elapsed = time.perf_counter() - t0
    return {"rows": len(df), "total": elapsed, "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="100,000 rows instead of 1,000,000")
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--naive-rows", type=int, default=None, help="rows for the naive baseline (default 5,000; quick 2,000)")
    args = parser.parse_args()
    rows = args.rows or (100_000 if args.quick else 1_000_000)
    naive_rows = min(rows, args.naive_rows or (2_000 if args.quick else 5_000))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        csv = generate(folder, rows)
        console.print(f"生成 {rows:,} 行长表CSV（{csv.stat().st_size / 1e6:.1f} MB）用时 {time.perf_counter() - t:.1f} 秒")
        fast = run_yacang(csv, folder / "fast.duckdb")
        naive = run_naive(csv, folder / "naive.duckdb", naive_rows)
    table = Table(title=f"导入 {rows:,} 行长表CSV（含校验）到新的 DuckDB 文件")
    for col in ("方法", "行数", "解析校验秒", "入库秒", "合计秒", "行/秒", "倍数"):
        table.add_column(col, justify="right" if col != "方法" else "left", no_wrap=True)
    fast_rate = fast["rows"] / fast["total"]
    naive_rate = naive["rows"] / naive["total"]
    table.add_row("yacang", f"{fast['rows']:,}", f"{fast['parse']:.2f}", f"{fast['write']:.2f}",
                  f"{fast['total']:.2f}", f"{fast_rate:,.0f}", f"{fast_rate / naive_rate:.0f}×")
    table.add_row("朴素基线*", f"{rows:,}", "", "", f"{rows / naive_rate:,.0f}", f"{naive_rate:,.0f}", "1×")
    console.print(table)
    console.print("yacang：pyarrow 读取 + 向量化校验（编号、时期、数值、重复键）+ Warehouse.write_batch")
    console.print(f"* 朴素基线：pandas iterrows 逐行校验并逐行 INSERT；实测前 {naive['rows']:,} 行"
                  f"（{naive['total']:.1f} 秒），按行/秒外推到 {rows:,} 行")


if __name__ == "__main__":
    main()

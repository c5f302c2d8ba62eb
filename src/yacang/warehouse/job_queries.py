"""Named warehouse queries of the main job, the alert inputs and the demo writer (issue 12: no raw SQL on
warehouse tables outside ``warehouse/``).

Each function takes an open :class:`~yacang.warehouse.store.Warehouse` and returns a plain value or a
frame; writes run in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd

from yacang.warehouse.alerts import has_microdata_reports
from yacang.warehouse.report_queries import insert_reports, refresh_report_divisions
from yacang.warehouse.report_ytd import one_stamp, refresh_registry, refresh_report_ytd, reports_of_ppi
from yacang.warehouse.schema import MICRODATA_SCHEMA_SQL
from yacang.warehouse.transaction import transaction

__all__ = [
    "append_reports", "ensure_microdata_tables", "has_microdata", "has_table", "max_report_year", "replace_demo_microdata",
    "report_period_codes", "reported_counts_by_prefecture", "scale_coverage_by_period", "store_targets",
    "table_digests", "targets_frame",
]


def table_digests(wh, exclude: tuple[str, ...] = ()) -> dict[str, str]:
    """An order-independent digest of every base table's rows (count, xor and sum of row hashes), by table."""
    tables = [t for (t,) in wh.db.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE' "
        "ORDER BY table_name").fetchall() if t not in exclude]
    out = {}
    for t in tables:
        n, x, s = wh.db.execute(f'SELECT count(*), bit_xor(hash(r)), sum(hash(r) >> 40) FROM "{t}" r').fetchall()[0]
        out[t] = f"{n}:{x}:{s}"
    return out


def has_table(wh, name: str) -> bool:
    return bool(wh.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]))


def has_microdata(wh) -> bool:
    """Whether the warehouse holds enterprise reports (registry and at least one report row)."""
    return has_microdata_reports(wh)


def ensure_microdata_tables(wh) -> None:
    for stmt in MICRODATA_SCHEMA_SQL:
        wh.db.execute(stmt)


def report_period_codes(wh) -> list[str]:
    """Distinct report period codes in ``reports`` (unsorted)."""
    return [r[0] for r in wh.db.execute("SELECT DISTINCT period FROM reports").fetchall()]


def max_report_year(wh) -> int:
    return int(wh.scalar("SELECT max(CAST(substr(period, 1, 4) AS INTEGER)) FROM reports"))


def targets_frame(wh, indicator: str = "iva") -> pd.DataFrame:
    """Stored annual targets of ``indicator`` (columns region, year, growth; empty without the table)."""
    if not has_table(wh, "targets"):
        return pd.DataFrame({"region": pd.Series(dtype="string"), "year": pd.Series(dtype="int64"),
                             "growth": pd.Series(dtype="float64")})
    return wh.db.execute("SELECT region, year, growth FROM targets WHERE indicator = ?", [indicator]).df()


def store_targets(wh, df: pd.DataFrame) -> None:
    """Upsert targets (columns region, year, indicator, growth)."""
    ensure_microdata_tables(wh)
    wh.db.register("_yc_targets_in", df[["region", "year", "indicator", "growth"]])
    try:
        wh.db.execute("INSERT OR REPLACE INTO targets SELECT region, year, indicator, growth FROM _yc_targets_in")
    finally:
        wh.db.unregister("_yc_targets_in")


def scale_coverage_by_period(wh) -> pd.DataFrame:
    """Per report period: enterprises of that year's 规上 set with a counted report (``n``) and the size of
    the set (``n_scale``)."""
    return wh.db.execute(
        """SELECT r.period, count(DISTINCT r.uscc) AS n, any_value(s.n_scale) AS n_scale
           FROM reports r
           JOIN (SELECT year, count(*) AS n_scale FROM enterprise_years WHERE above_scale GROUP BY year) s
             ON s.year = CAST(substr(r.period, 1, 4) AS INTEGER)
           JOIN enterprise_years e ON e.uscc = r.uscc AND e.year = s.year AND e.above_scale
           WHERE r.status IN ('submitted', 'accepted')
           GROUP BY r.period""").df()


def reported_counts_by_prefecture(wh, periods: list[str]) -> pd.DataFrame:
    """For each of ``periods`` and each prefecture (region code's first four digits + "00"): the year's 规上
    enterprises (``n``) and how many of them have a report of any status for the period (``n_reported``)."""
    if not periods:
        return pd.DataFrame({"period": [], "prefecture": [], "n": [], "n_reported": []})
    want = pd.DataFrame({"period": periods, "year": [int(p[:4]) for p in periods]})
    wh.db.register("_yc_periods", want)
    try:
        return wh.db.execute(
            """SELECT w.period, substr(e.region, 1, 4) || '00' AS prefecture, count(*) AS n,
                      count(r.uscc) AS n_reported
               FROM _yc_periods w
               JOIN enterprise_years y ON y.year = w.year AND y.above_scale
               JOIN enterprises e ON e.uscc = y.uscc
               LEFT JOIN (SELECT DISTINCT uscc, period FROM reports) r ON r.uscc = y.uscc AND r.period = w.period
               GROUP BY ALL""").df()
    finally:
        wh.db.unregister("_yc_periods")


def replace_demo_microdata(wh, *, org_prefix: str, source_file: str, enterprises: pd.DataFrame,
                           enterprise_years: pd.DataFrame, reports: pd.DataFrame,
                           upserts: dict[str, pd.DataFrame]) -> None:
    """Replace the demo's enterprises (USCC organisation-code prefix ``org_prefix``), their 规上 years and
    reports (and reports from ``source_file``) in one transaction; upsert the keyed tables of ``upserts``."""
    db = wh.db
    ensure_microdata_tables(wh)
    with transaction(db):
        demo_ids = "SELECT uscc FROM enterprises WHERE substr(uscc, 9, 2) = ?"
        db.execute(f"DELETE FROM reports WHERE source_file = ? OR uscc IN ({demo_ids})", [source_file, org_prefix])
        db.execute(f"DELETE FROM enterprise_years WHERE uscc IN ({demo_ids})", [org_prefix])
        db.execute(f"DELETE FROM enterprises WHERE uscc IN ({demo_ids})", [org_prefix])
        _insert(db, "enterprises", enterprises)
        _insert(db, "enterprise_years", enterprise_years)
        _insert_reports(db, reports)
        for table, df in upserts.items():
            _insert(db, table, df, replace=True)
        refresh_report_ytd(db)


def append_reports(wh, reports: pd.DataFrame, upserts: dict[str, pd.DataFrame] | None = None) -> None:
    """Add report rows (a new month) and upsert keyed tables (its PPI …), in one transaction."""
    db = wh.db
    with transaction(db), one_stamp(db):  # the maintained table checked once before, stamped once after
        for table, df in (upserts or {}).items():  # first: the reports take their division from the registry
            _insert(db, table, df, replace=True)
        _insert_reports(db, reports)
        with _registered(db, reports[["uscc", "period"]]) as name:
            changed = [f"SELECT uscc, period FROM {name}"]
            if "division_ppi" in (upserts or {}):  # a new deflator re-deflates the reports of its month
                db.register("_yc_ppi_in", upserts["division_ppi"])
                changed.append(f"SELECT * FROM {reports_of_ppi('_yc_ppi_in')}")
            refresh_report_ytd(db, f"({' UNION '.join(changed)})")
            if len(changed) > 1:
                db.unregister("_yc_ppi_in")
        if {"enterprises", "enterprise_years"} & set(upserts or {}):  # the registry came with the month
            refresh_report_divisions(db)
            refresh_registry(db)


def _insert(db, table: str, df: pd.DataFrame, *, replace: bool = False) -> None:
    cols = ", ".join(df.columns)
    with _registered(db, df) as name:
        db.execute(f"INSERT {'OR REPLACE ' if replace else ''}INTO {table} ({cols}) SELECT {cols} FROM {name}")


def _insert_reports(db, df: pd.DataFrame) -> None:
    """Report rows, each with its enterprise's division (the one report writer). Handed to DuckDB as Arrow
    (its scan of a pandas frame's text columns took twice as long: 0.3 s for the demo's 574,000 rows)."""
    import pyarrow as pa

    with _registered(db, pa.Table.from_pandas(df, preserve_index=False)) as name:
        insert_reports(db, name, list(df.columns))


@contextmanager
def _registered(db, df) -> Iterator[str]:
    """``df`` (a pandas frame or Arrow table) registered on ``db`` for the block, under the name yielded."""
    db.register("_yc_rows_in", df)
    try:
        yield "_yc_rows_in"
    finally:
        db.unregister("_yc_rows_in")

"""Named queries on the enterprise report tables (``reports``, ``enterprises``, ``report_status_history``,
``batches``) for online reporting (直报) and the report lists, so no area outside the warehouse writes
SQL against them.

Scope restrictions come from the caller as a SQL predicate with its parameters (``scope``), written on
the aliases ``r`` (reports) and ``e`` (enterprises): the warehouse does not know who is asking.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from yacang.warehouse.report_ytd import refresh_report_ytd
from yacang.warehouse.transaction import transaction

Where = tuple[str, list]  # a SQL predicate and its parameters
REPORT_VALUES = ("output_value", "output_value_prev", "sales_value", "sales_value_prev", "export_delivery",
                 "export_delivery_prev", "revenue", "revenue_prev", "profit", "profit_prev", "electricity",
                 "electricity_prev", "employment", "employment_prev")
LOCKED_STATUSES = ("accepted", "revision_requested")
_LIST_COLUMNS = """r.uscc, e.name, e.region, r.period, r.output_value, r.output_value_prev, r.sales_value,
                   r.export_delivery, r.revenue, r.profit, r.status, r.vintage"""


class ReportLocked(Exception):
    """The report was accepted (or its revision is pending): it changes only through a granted 更正."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


@dataclass(frozen=True)
class Saved:
    """What :func:`save_report` did: ``kind`` is new / revised / same; ``repeated`` when the same
    content (hash) was loaded before."""

    kind: str
    repeated: bool


_DIVISION = "substr(e.industry, 1, 2)"


def insert_reports(db, source: str, columns: Sequence[str], params: Sequence[object] = ()) -> None:
    """``INSERT INTO reports`` the rows of ``source`` (a table, view or parenthesised query with ``columns``;
    ``params`` for its placeholders), each with its enterprise's division from the registry: the one way
    report rows are written.

    A row whose enterprise is not (yet) in the registry gets no division and counts in no measure, as
    before the division was carried; registering the enterprise fills it (:func:`refresh_report_divisions`)."""
    cols = ", ".join(columns)
    picked = ", ".join(f"s.{c}" for c in columns)
    db.execute(f"""INSERT INTO reports ({cols}, division)
                   SELECT {picked}, {_DIVISION} FROM {source} s LEFT JOIN enterprises e ON e.uscc = s.uscc""",
               list(params))


def refresh_report_divisions(db, usccs_from: str | None = None) -> None:
    """Bring the division carried on report rows in step with the registry, for the enterprises listed in
    ``usccs_from`` (a table or view with a ``uscc`` column), or all: call after the registry changes.
    The moved reports' 当月/累计 sums move with them (:mod:`yacang.warehouse.report_ytd`)."""
    only = f" AND reports.uscc IN (SELECT uscc FROM {usccs_from})" if usccs_from else ""
    where = f"WHERE reports.uscc = e.uscc AND reports.division IS DISTINCT FROM {_DIVISION}{only}"
    db.execute(f"""CREATE OR REPLACE TEMP TABLE _yc_moved AS
                   SELECT reports.uscc, reports.period FROM reports, enterprises e {where}""")
    db.execute(f"UPDATE reports SET division = {_DIVISION} FROM enterprises e {where}")
    if db.execute("SELECT count(*) FROM _yc_moved").fetchall()[0][0]:
        refresh_report_ytd(db, "_yc_moved")
    db.execute("DROP TABLE _yc_moved")


def enterprise_of(wh, uscc: str) -> dict | None:
    """The registry row of one enterprise (uscc, name, region, industry, size_class), or None."""
    df = wh.db.execute("SELECT uscc, name, region, industry, size_class FROM enterprises WHERE uscc = ?",
                       [uscc]).df()
    return None if df.empty else df.iloc[0].to_dict()


def output_of(wh, usccs: list[str]) -> pd.DataFrame:
    """工业总产值 and its 上年同期 of every report of ``usccs`` with a positive 上年同期 (uscc, period,
    output_value, output_value_prev); empty when the warehouse has no reports table yet."""
    cols = ["uscc", "period", "output_value", "output_value_prev"]
    if not usccs or not wh.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'reports'"):
        return pd.DataFrame(columns=cols)
    wh.db.register("_usccs", pd.DataFrame({"uscc": list(usccs)}))
    try:
        return wh.db.execute(f"""SELECT {', '.join('r.' + c for c in cols)} FROM reports r JOIN _usccs USING (uscc)
                                 WHERE r.output_value_prev > 0""").df()
    finally:
        wh.db.unregister("_usccs")


def report_status(wh, uscc: str, period: str) -> str | None:
    row = wh.db.execute("SELECT status FROM reports WHERE uscc = ? AND period = ?", [uscc, period]).fetchone()
    return None if row is None else str(row[0])


def reports_in_scope(wh, scope: Where, period: str | None = None) -> pd.DataFrame:
    """Every report ``scope`` admits, with the enterprise's name and region, newest vintage first."""
    clause, params = scope
    where, args = [clause], list(params)
    if period:
        where.append("r.period = ?")
        args.append(period)
    return wh.db.execute(f"""SELECT {_LIST_COLUMNS} FROM reports r JOIN enterprises e USING (uscc)
                             WHERE {' AND '.join(where)} ORDER BY r.vintage DESC, r.uscc""", args).df()


def report_periods(wh, scope: Where) -> list[str]:
    """The distinct report periods ``scope`` admits (unordered)."""
    clause, params = scope
    rows = wh.db.execute(f"SELECT DISTINCT r.period FROM reports r JOIN enterprises e USING (uscc) WHERE {clause}",
                         params).fetchall()
    return [p for p, in rows]


def reports_page(wh, scope: Where, *, period: str | None = None, q: str = "", region_prefix: str | None = None,
                 status: str | None = None, offset: int = 0, limit: int | None = 50) -> tuple[pd.DataFrame, int]:
    """One page of the reports ``scope`` admits, filtered (name/USCC text, region code prefix, status),
    ordered by region, USCC and period, with the count of all matching rows; ``limit=None``: all."""
    clause, params = scope
    where, args = [clause], list(params)
    if period:
        where.append("r.period = ?")
        args.append(period)
    if q:
        where.append("(e.name LIKE ? OR r.uscc LIKE ?)")
        args += [f"%{q}%", f"%{q}%"]
    if region_prefix:
        where.append("e.region LIKE ?")
        args.append(region_prefix + "%")
    if status:
        where.append("r.status = ?")
        args.append(status)
    cut = "" if limit is None else f"LIMIT {int(limit)} OFFSET {int(offset)}"
    cond = " AND ".join(where)
    df = wh.db.execute(f"""SELECT {_LIST_COLUMNS}, count(*) OVER () AS _total
                           FROM reports r JOIN enterprises e USING (uscc)
                           WHERE {cond} ORDER BY e.region, r.uscc, r.period {cut}""", args).df()
    if not df.empty:
        total = int(df["_total"].iloc[0])
    elif offset > 0:  # a page past the end: count what there is
        total = int(wh.db.execute(f"SELECT count(*) FROM reports r JOIN enterprises e USING (uscc) WHERE {cond}",
                                  args).fetchone()[0])
    else:
        total = 0
    return df.drop(columns="_total"), total


def save_report(wh, row: Mapping[str, object], *, source_file: str, sha256: str, fmt: str,
                now: dt.datetime | None = None) -> Saved:
    """Store one checked report (values in the warehouse's units) as ``submitted``, all-or-nothing.

    The same effect as the file loader for one row: a changed report replaces the stored one (its
    status history says 报送 or 重新报送（更正）), an identical one is left as it is, and the load is
    recorded in ``batches``. Raises :class:`ReportLocked` when the stored report is accepted or awaits
    a revision and the values differ. Short: a few statements on one key, for the writer's lock."""
    import uuid

    now = now or dt.datetime.now().replace(microsecond=0)
    uscc, period = str(row["uscc"]), str(row["period"])
    values = [None if pd.isna(row.get(f)) else float(row[f]) for f in REPORT_VALUES]
    db = wh.db
    with transaction(db):
        stored = db.execute(f"SELECT status, {', '.join(REPORT_VALUES)} FROM reports WHERE uscc = ? AND period = ?",
                            [uscc, period]).fetchone()
        same = stored is not None and list(stored[1:]) == values
        if stored is not None and not same and stored[0] in LOCKED_STATUSES:
            raise ReportLocked(str(stored[0]))
        kind = "same" if same else ("new" if stored is None else "revised")
        repeated = db.execute("SELECT count(*) FROM batches WHERE sha256 = ? AND status = 'loaded'",
                              [sha256]).fetchone()[0] > 0
        if kind != "same":
            db.execute("DELETE FROM reports WHERE uscc = ? AND period = ?", [uscc, period])
            values_sql = ", ".join(f"?::DOUBLE AS {c}" for c in REPORT_VALUES)
            insert_reports(db, f"""(SELECT ? AS uscc, ? AS period, {values_sql}, 'submitted' AS status,
                                   ?::TIMESTAMP AS vintage, ? AS source_file, ?::INTEGER AS source_row)""",
                           ("uscc", "period", *REPORT_VALUES, "status", "vintage", "source_file", "source_row"),
                           [uscc, period, *values, now, source_file, int(row.get("source_row") or 1)])
            refresh_report_ytd(db, "(SELECT ? AS uscc, ? AS period)", [uscc, period])
            db.execute("INSERT INTO report_status_history VALUES (?, ?, 'submitted', ?, 'loader', ?, ?)",
                       [uscc, period, "报送" if kind == "new" else "重新报送（更正）", now, source_file])
        db.execute("INSERT INTO batches VALUES (?, ?, ?, ?, ?, 0, 1, ?, ?, 0, 'loaded')",
                   [uuid.uuid4().hex[:16], source_file, sha256, f"report-{fmt}", now, int(kind == "new"),
                    int(kind == "revised")])
    return Saved(kind, repeated)

"""Each enterprise's 当月 and 累计 sums by report month, kept in step with the reports (``report_ytd``).

A month's measures need five windows of the same enterprises' reports (当月 and 累计 this year and last
year, 累计 to the previous month). Summed from ``reports`` that is a scan of every report of two years and
a grouping of millions of rows to the enterprise grain each time a table is asked for. ``report_ytd``
holds those sums already: one row per (year, report month ``m``, enterprise) with the month's sums
(``*_m``, ``n_m`` rows) and the running 累计 from 1-2月 (``*_ytd``), so a month's five windows are three
slices of one table (:mod:`yacang.measures.windows` reads them). ``m`` is the month's ordinal in NBS
practice: 2 for the merged 1-2月 (and separate January/February rows), then 3…12. Once an enterprise has
reported in a year it has a row for every later month up to the year's last reported month (its 累计
carried, its 当月 empty), so a 累计 window is always one row.

Definition (the same as summing the reports, tested against it): counted reports only (``submitted``,
``accepted``), each joined to its (period, division) PPI (上年同月 = 100) — a row without PPI counts nowhere,
as in the measures — and ``real_output`` = Σ 工业总产值 × 100 / PPI (real VA is that × 增加值率, applied by
the reader with the window year's rate). Growth needs nothing else; the other columns are plain sums.

Kept in step by the writers (:func:`refresh_report_ytd` in the transaction that changes reports, their
status or division, or the PPI), each recomputing only the years, months and enterprises it touched:
a new month costs one month's reports joined to the previous month's rows. A stamp of what the table was
built from (:func:`stamp`: row counts, Σ counted output, the PPI) lets readers check it is current
(:func:`is_current`); when it is not they sum the reports instead, never a stale table.

Each row also carries its enterprise's county (``region``) and whether it is 规上 in the row's year
(``above``), from the registry, so a slice needs no join to the registry to be restricted to the year's
规上 set or grouped by area. They are attributes, not sums: a registry write updates them in place
(:func:`refresh_registry`), and the stamp keeps a fingerprint of the registry they were taken from (kept
apart from the reports' part: a report writer does not vouch for the registry).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import ibis
import ibis.expr.types as ir
import pandas as pd

SUMMED = ("output_value_prev", "output_value", "sales_value", "export_delivery", "export_delivery_prev",
          "electricity", "electricity_prev", "profit")
FIGURES = ("real_output", *SUMMED)  # every summed figure, as *_m and *_ytd columns
COUNTED = ("submitted", "accepted")
READ_CHECK = ("output_value",)  # the figure a reader's stamp check sums (is_current)
# a report period's month ordinal (1-2月, January and February → 2) and its year, in SQL
MONTH_SQL = "CASE WHEN substr(period, 6, 2) IN ('01', '02') THEN 2 ELSE CAST(substr(period, 6, 2) AS INTEGER) END"
YEAR_SQL = "CAST(substr(period, 1, 4) AS INTEGER)"
MONTH_CODE = r"\d{4}-(0[1-9]|1[0-2]|01/02)"  # the report periods the table covers (months and 1-2月)
# a subset this share of a year's enterprises or more is recomputed for everyone (one scan, not a filter)
WHOLE_YEAR_SHARE = 0.25
TABLES = ("report_ytd", "report_ytd_state")  # derived from reports and PPI (left out of input digests)

DDL: tuple[str, ...] = (
    f"""CREATE TABLE IF NOT EXISTS report_ytd (
        year INTEGER NOT NULL, m INTEGER NOT NULL, uscc VARCHAR NOT NULL, division VARCHAR,
        region VARCHAR, above BOOLEAN NOT NULL,
        n_m INTEGER NOT NULL, {', '.join(f'{c}_m DOUBLE' for c in FIGURES)},
        n_ytd INTEGER NOT NULL, {', '.join(f'{c}_ytd DOUBLE' for c in FIGURES)}
    )""",
    # the stamp (:func:`stamp`) as JSON: what it covers can grow without a schema change
    "CREATE TABLE IF NOT EXISTS report_ytd_state (stamp VARCHAR)",
)
COLUMNS = ("year", "m", "uscc", "division", "region", "above", "n_m", *(f"{c}_m" for c in FIGURES),
           "n_ytd", *(f"{c}_ytd" for c in FIGURES))


def refresh_report_ytd(db, changed: str | None = None, params: Sequence[object] = ()) -> None:
    """Recompute ``report_ytd`` where ``changed`` (a table, view or parenthesised query with ``uscc`` and
    ``period``, ``params`` for its placeholders: the report rows written, deleted or re-statused, or every
    report of enterprises whose division or PPI changed) says the reports changed, or everywhere
    (``None``, and always when the table was never built or was not current before the transaction);
    then record the stamp. Call inside the writer's transaction, after its writes."""
    with _in_batch(db):
        whole = changed is None or not _patchable(db)
        if changed is None:
            _ensure_layout(db)  # (_patchable did when asked)
        plan = [(y, 2, None) for y in _years(db)] if whole else _plan(db, changed, params)
        for year, from_m, usccs in plan:
            _rebuild(db, year, from_m, usccs)
        # rows rebuilt from scratch took the registry as it is now
        _stamp_after(db, registry=whole, periods=None if whole else _periods_of(db, changed, params))


def refresh_registry(db, usccs_from: str | None = None) -> None:
    """Bring the county and 规上 flags carried on ``report_ytd`` in step with the registry for the
    enterprises listed in ``usccs_from`` (a table or view with ``uscc``), or all; then record the stamp.
    Call inside the transaction that writes ``enterprises`` or ``enterprise_years``, after its writes (a
    changed industry also needs :func:`~yacang.warehouse.report_queries.refresh_report_divisions`)."""
    with _in_batch(db):
        if not _patchable(db):
            refresh_report_ytd(db)
            return
        _carry_registry(db, usccs_from)
        _stamp_after(db, registry=True, periods=set())


def _carry_registry(db, usccs_from: str | None) -> None:
    """Update the county and 规上 flag carried on the rows of the enterprises in ``usccs_from`` (or all)."""
    only = f" AND report_ytd.uscc IN (SELECT uscc FROM {usccs_from})" if usccs_from else ""
    db.execute(f"""UPDATE report_ytd SET region = a.region, above = a.above
                   FROM (SELECT y.year, y.uscc, e.region, coalesce(ey.above_scale, false) AS above
                         FROM (SELECT DISTINCT year, uscc FROM report_ytd WHERE true{only}) y
                         LEFT JOIN enterprises e ON e.uscc = y.uscc
                         LEFT JOIN enterprise_years ey ON ey.uscc = y.uscc AND ey.year = y.year) a
                   WHERE report_ytd.year = a.year AND report_ytd.uscc = a.uscc
                     AND (report_ytd.region IS DISTINCT FROM a.region OR report_ytd.above <> a.above)""")


@dataclass
class _Batch:
    """The refreshes of one writer's transaction inside :func:`one_stamp`."""
    db: object
    patchable: bool | None = None  # the check before the first patch (then: the table is this transaction's)
    refreshed: bool = False
    registry: bool = False  # some refresh took the registry as it is now
    # report periods the refreshes touched over a table checked current before them (None: rebuilt whole)
    periods: set[str] | None = field(default_factory=set)


_BATCH: ContextVar[_Batch | None] = ContextVar("report_ytd_batch", default=None)


@contextmanager
def one_stamp(db) -> Iterator[None]:
    """Several refreshes of one transaction (a registry write moves reports to a new division, then re-carries
    counties) with one check of the committed table before the first and one stamp after the last: each
    refresh alone checks and stamps, two scans of every report. The stamp is recorded when the block ends
    without an error (an error rolls the transaction back: nothing to stamp)."""
    batch = _Batch(db)
    token = _BATCH.set(batch)
    try:
        yield
    finally:
        _BATCH.reset(token)
    if batch.refreshed:
        _record_stamp(db, registry=batch.registry, periods=batch.periods)


@contextmanager
def _in_batch(db) -> Iterator[None]:
    """The :func:`one_stamp` block a refresh is in, or one of its own."""
    if _batch_of(db) is not None:
        yield
        return
    with one_stamp(db):
        yield


def _batch_of(db) -> _Batch | None:
    batch = _BATCH.get()
    return batch if batch is not None and batch.db is db else None


def _stamp_after(db, *, registry: bool, periods: set[str] | None) -> None:
    """Note a refresh for the stamp recorded at the end of its :func:`one_stamp` block: whether it took the
    registry as it is now, and which report periods it touched (None: it rebuilt the table whole)."""
    batch = _batch_of(db)
    if batch is None:
        raise RuntimeError("report_ytd refreshed outside a one_stamp block")
    batch.refreshed, batch.registry, batch.patchable = True, batch.registry or registry, True
    batch.periods = None if periods is None or batch.periods is None else batch.periods | periods


def _periods_of(db, changed: str, params: Sequence[object]) -> set[str]:
    """The report periods ``changed`` names (any code, months or not: the stamp covers every report)."""
    return {str(p) for p, in db.execute(f"SELECT DISTINCT period FROM {changed}", list(params)).fetchall()}


def _patchable(db) -> bool:
    """Whether a writer may patch the table where it wrote (else it rebuilds it whole): the table has the
    current layout (an earlier one is dropped here), was built, and was current before the transaction —
    or, inside :func:`one_stamp`, was checked so by the block's first refresh or brought in step by it."""
    batch = _batch_of(db)
    if batch is not None and batch.patchable is not None:
        return batch.patchable
    fresh = _ensure_layout(db)
    built = db.execute("SELECT count(*) FROM report_ytd_state").fetchall()[0][0] > 0
    answer = not fresh and built and _was_current(db)
    if batch is not None:
        batch.patchable = answer
    return answer


def _ensure_layout(db) -> bool:
    """Create the tables if missing; a ``report_ytd`` of an earlier layout (derived data) is dropped and
    created anew. Returns whether the table is new (to be built from scratch)."""
    have = [c for c, *_ in db.execute("""SELECT column_name FROM information_schema.columns
                                         WHERE table_name = 'report_ytd' ORDER BY ordinal_position""").fetchall()]
    if have and have != list(COLUMNS):
        db.execute("DROP TABLE report_ytd")
    for stmt in DDL:
        db.execute(stmt)
    return have != list(COLUMNS)


def _was_current(db) -> bool:
    """Whether the table was current before the writer's transaction (its stamp against the committed
    reports and PPI, read through a second connection, which does not see the transaction's writes). A
    table left stale by a write around the writers is rebuilt, not patched where this write touched and
    then stamped current."""
    cursor = db.cursor()
    try:
        return is_current(ibis.duckdb.from_connection(cursor), thorough=True)
    finally:
        cursor.close()


def _years(db) -> list[int]:
    """Every year with report months, or with rows in the table (a year whose reports are all gone)."""
    kept = {int(y) for y, in db.execute("SELECT DISTINCT year FROM report_ytd").fetchall()}
    return sorted(set(_months_by_year(db)) | kept)


def report_month(code: str) -> int | None:
    """The table's month ``m`` of a report period code (1-2月, January and February → 2; March… → 3…),
    None for a code that is not a month (the reports of such periods are not in the table)."""
    if not re.fullmatch(MONTH_CODE, code):
        return None
    return max(2, int(code[5:7]))


def _months_by_year(db) -> dict[int, int]:
    """Each year's last report month among all its reports (the extent every enterprise's rows reach)."""
    out: dict[int, int] = {}
    for (code,) in db.execute("SELECT DISTINCT period FROM reports").fetchall():  # few: parsed here
        m = report_month(str(code))
        if m is not None:
            out[int(code[:4])] = max(out.get(int(code[:4]), 2), m)
    return out


def _plan(db, changed: str, params: Sequence[object]) -> list[tuple[int, int, str | None]]:
    """(year, first month to recompute, the enterprises to recompute or None for all) for each year
    ``changed`` touches; the enterprises are a temporary table ``_ytd_only_<year>``."""
    rows = db.execute(f"""SELECT {YEAR_SQL} AS y, min({MONTH_SQL}), count(DISTINCT uscc) FROM {changed}
                          WHERE regexp_full_match(period, '{MONTH_CODE}') GROUP BY y ORDER BY y""", list(params)).fetchall()
    plan: list[tuple[int, int, str | None]] = []
    for year, from_m, n in rows:
        # the year's enterprises: every one has a row at the year's last month (one month's rows, not the year's)
        known = db.execute("""SELECT count(*) FROM report_ytd WHERE year = ?
                              AND m = (SELECT max(m) FROM report_ytd WHERE year = ?)""", [year, year]).fetchall()[0][0]
        if n >= WHOLE_YEAR_SHARE * known:
            plan.append((int(year), int(from_m), None))
            continue
        only = f"_ytd_only_{int(year)}"
        db.execute(f"""CREATE OR REPLACE TEMP TABLE {only} AS SELECT DISTINCT uscc FROM {changed}
                       WHERE regexp_full_match(period, '{MONTH_CODE}') AND {YEAR_SQL} = {int(year)}""", list(params))
        plan.append((int(year), int(from_m), only))
    return plan


def _rebuild(db, year: int, from_m: int, only: str | None) -> None:
    """Months ``from_m``… of ``year`` for the enterprises in table ``only`` (None: all): deleted and
    recomputed month by month, each from the month's reports and the month before's rows; when the
    year's extent moved, the other enterprises' rows are carried to it (or cut back)."""
    old = db.execute("SELECT max(m) FROM report_ytd WHERE year = ?", [year]).fetchall()[0][0]
    last = _months_by_year(db).get(year)
    if old is not None:  # a month past the extent + 1: the months between are carried first (from old's rows)
        from_m = min(from_m, old + 1)
    mine = _among(only)
    db.execute(f"DELETE FROM report_ytd WHERE year = ? AND m >= ?{mine}", [year, from_m])
    if last is None:  # no reports left in the year
        db.execute("DELETE FROM report_ytd WHERE year = ?", [year])
        return
    _registry_of(db, year, only)
    for m in range(from_m, last + 1):
        db.execute(f"INSERT INTO report_ytd {_month_rows(year, m, only)}")
    db.execute(f"DROP TABLE {REGISTRY}")
    if only is None or old is None:
        return
    if last < old:
        db.execute("DELETE FROM report_ytd WHERE year = ? AND m > ?", [year, last])
    others = _among(only, negate=True)
    for m in range(old + 1, last + 1):  # the others' 累计 carried into the months the change added
        db.execute(f"""INSERT INTO report_ytd SELECT year, {m}, uscc, division, region, above, 0,
                       {', '.join('NULL' for _ in FIGURES)},
                       n_ytd, {', '.join(f'{c}_ytd' for c in FIGURES)}
                       FROM report_ytd WHERE year = {year} AND m = {m - 1}{others}""")


def _among(only: str | None, column: str = "uscc", negate: bool = False) -> str:
    """`` AND <column> [NOT] IN`` the enterprises of table ``only`` (nothing when ``only`` is None)."""
    return f" AND {column} {'NOT ' if negate else ''}IN (SELECT uscc FROM {only})" if only else ""


def _month_rows(year: int, m: int, only: str | None) -> str:
    """The rows of month ``m``: the month's counted, deflatable reports summed per enterprise, full-joined
    to the month before's rows (the 累计 carried and added to), with the county and 规上 flag of the
    registry."""
    codes = [f"{year}-01/02", f"{year}-01", f"{year}-02"] if m == 2 else [f"{year}-{m:02d}"]
    marks = ", ".join(f"'{c}'" for c in codes)
    statuses = ", ".join(f"'{s}'" for s in COUNTED)
    month = f"""SELECT r.uscc, r.division, count(*) AS n, sum(r.output_value * 100.0 / d.index_yoy) AS real_output,
                       {', '.join(f'sum(r.{c}) AS {c}' for c in SUMMED)}
                FROM reports r JOIN division_ppi d ON d.period = r.period AND d.division = r.division
                WHERE r.period IN ({marks}) AND r.status IN ({statuses}){_among(only, 'r.uscc')}
                GROUP BY r.uscc, r.division"""
    if m == 2:
        sums = f"""SELECT uscc, division, n AS n_m, {', '.join(f'{c} AS {c}_m' for c in FIGURES)}, n AS n_ytd,
                          {', '.join(f'{c} AS {c}_ytd' for c in FIGURES)} FROM ({month})"""
    else:
        def added(c: str) -> str:  # NULL only when both are (as one sum over the 累计's reports)
            return (f"CASE WHEN p.{c} IS NULL THEN y.{c}_ytd WHEN y.{c}_ytd IS NULL THEN p.{c} "
                    f"ELSE y.{c}_ytd + p.{c} END AS {c}_ytd")

        sums = f"""SELECT coalesce(p.uscc, y.uscc) AS uscc, coalesce(p.division, y.division) AS division,
                          coalesce(p.n, 0) AS n_m, {', '.join(f'p.{c} AS {c}_m' for c in FIGURES)},
                          coalesce(y.n_ytd, 0) + coalesce(p.n, 0) AS n_ytd, {', '.join(added(c) for c in FIGURES)}
                   FROM ({month}) p
                   FULL JOIN (SELECT * FROM report_ytd WHERE year = {year} AND m = {m - 1}{_among(only)}) y
                     ON p.uscc = y.uscc AND p.division = y.division"""
    rest = ", ".join(f"x.{c}" for c in COLUMNS[6:])
    return f"""SELECT {year}, {m}, x.uscc, x.division, g.region, coalesce(g.above, false), {rest}
               FROM ({sums}) x LEFT JOIN {REGISTRY} g ON g.uscc = x.uscc"""


REGISTRY = "_yc_ytd_registry"  # the registry of the year being rebuilt (_rebuild): county and 规上 flag


def _registry_of(db, year: int, only: str | None) -> None:
    """The county and 规上 flag of the year of every registered enterprise (of table ``only``), once for the
    months :func:`_month_rows` builds."""
    db.execute(f"""CREATE OR REPLACE TEMP TABLE {REGISTRY} AS
                   SELECT e.uscc, e.region, coalesce(ey.above_scale, false) AS above FROM enterprises e
                   LEFT JOIN enterprise_years ey ON ey.uscc = e.uscc AND ey.year = {int(year)}
                   WHERE true{_among(only, 'e.uscc')}""")


def reports_of_ppi(source: str) -> str:
    """The report rows whose deflator a PPI change touches: those of the (period, division) pairs in
    ``source`` (a table or view with ``period`` and ``division``), as a ``changed`` for the refresh."""
    return f"(SELECT r.uscc, r.period FROM reports r JOIN {source} s ON r.period = s.period AND r.division = s.division)"


# the stamp -------------------------------------------------------------------------------------------
def stamp(con: ibis.BaseBackend, figures: Sequence[str] = SUMMED,
          years: Iterable[int] | None = None, *, divisions: bool = True,
          periods: Iterable[str] | None = None) -> dict[str, dict]:
    """What ``report_ytd`` depends on, cheaply (one scan): by year and report period as stored, the report
    rows, counted rows and the Σ of ``figures`` over them (by default every figure the table sums); with
    ``divisions`` also which counted rows and output are in which division (``division_mix``, exact, and
    ``division_output``: a report moved to another division, or two reports' values swapped across
    divisions, keeps every plain count and sum); and the PPI table's rows, sums and a fingerprint of which
    index is whose (two indexes swapped by hand). With ``years`` only those years' reports are read (a
    range of periods, which the storage skips to: a year's rows of the table come from that year's reports
    alone, so a reader of two years need not check ten). Kept by period, a report moved to another month of
    its year changes two periods' counts. Engine-independent (Ibis), so a published copy checks on Spark
    too. On DuckDB the writers' check (``divisions``) also fingerprints which enterprise each counted report
    and its output are under (``enterprise_hash_mix``, by DuckDB's ``hash`` of the USCC: a report moved to
    another enterprise of its division and month). With ``periods`` only those report periods are read
    (a writer re-stamping what it wrote)."""
    r = con.table("reports")
    wanted = sorted({int(y) for y in years}) if years is not None else None
    if wanted:
        # every code of the years (2022, 2022-03, 2022Q1 …) lies in ["2022", "2023"): its year is its first four
        r = r.filter((r.period >= str(wanted[0])) & (r.period < str(wanted[-1] + 1)))
    if periods is not None:
        r = r.filter(r.period.isin(sorted(periods)) if periods else ibis.literal(False))
    a = _report_sums(con, r, figures, ["period", "division"] if divisions else ["period"], divisions)
    if divisions:  # which division each counted row and its output are in (code ≥ 1; none: 1)
        code = pd.to_numeric(a["division"], errors="coerce").fillna(-1).astype("int64") + 2
        value = "output_value" if "output_value" in figures else figures[0]
        a = a.assign(division_mix=a["n_counted"].fillna(0).astype("int64") * code,
                     division_output=a[f"sum_{value}"] * code)
    # a period's rows added up at once (one pandas grouping, not one a period: a fixed cost of the check)
    by_period = a.drop(columns=["division"], errors="ignore").groupby("period", sort=True).sum(min_count=1)
    parts: dict[str, dict] = {}
    for period, values in by_period.to_dict("index").items():
        parts.setdefault(str(period)[:4], {})[str(period)] = {k: _number(v) for k, v in values.items()}
    if wanted is not None:
        parts = {str(y): parts[str(y)] for y in wanted if str(y) in parts}
    p = con.table("division_ppi")
    b = p.aggregate(n_ppi=p.count(), ppi_sum=p.index_yoy.sum(),
                    ppi_weighted=(p.index_yoy * p.division.cast("float64")).sum(),
                    ppi_mix=_mixed(_ppi_key(p), (p.index_yoy.cast("float64") * 1000).round().cast("int64")).sum()).to_pandas().iloc[0]
    return {"reports": parts, "ppi": {k: _number(v) for k, v in b.items()}}


def _report_sums(con: ibis.BaseBackend, r: ir.Table, figures: Sequence[str], keys: list[str],
                 enterprises: bool) -> pd.DataFrame:
    """The report rows of ``r`` by ``keys``: ``n_reports``, and over the counted ones ``n_counted``, Σ of
    each figure (``sum_<figure>``) and, with ``enterprises`` on DuckDB, ``enterprise_hash_mix``. Grouped
    by the period code as stored (a few dozen groups; a computed year key per row cost 3× the scan) and
    the division (the writers' check); the caller adds the rows of a period up in pandas.

    Two groupings stacked (one query): every row counted by period, then the counted rows — filtered by
    status in the scan — summed. Filtered aggregates over every row (``sum(x) FILTER (WHERE status IN
    …)``) cost DuckDB the status test per row and aggregate, and ran on one thread: 2.6× the time at
    9.9 million reports. Each group's figures are on one of its two rows (NULL on the other: a group
    without counted rows has no second row, as its filtered sums were NULL)."""
    counted = r.filter(r.status.isin(list(COUNTED)))
    sums = {"n_counted": counted.count(), **{f"sum_{c}": counted[c].sum() for c in figures}}
    if enterprises and con.name == "duckdb":
        output = (counted.output_value.fill_null(0) * 100).round().cast("int64") % MIX + 1
        sums["enterprise_hash_mix"] = _mixed(_coded(counted.uscc, "hash"), output).sum()
    c = counted.group_by(keys).aggregate(**sums)
    every = r.group_by(keys).aggregate(n_reports=r.count())
    every = every.select(*keys, "n_reports", **{k: ibis.null(c.schema()[k]) for k in sums})
    c = c.select(*keys, n_reports=ibis.null("int64"), **{k: c[k] for k in sums})
    return ibis.union(every, c, distinct=False).to_pandas()


def registry_stamp(con: ibis.BaseBackend, *, writer: bool = False) -> dict[str, float]:
    """What the carried ``region`` and ``above`` were taken from: the registry's rows, Σ of its county codes,
    the 规上 rows by year, and a fingerprint of which enterprise has which county and which is 规上 in which
    year (:func:`_mixed`: catches two enterprises swapping counties or 规上 flags, or an enterprise re-coded
    in the same county, which leave every count and sum as they were). Every value is a sum of integers;
    the fingerprints are compared exactly (:func:`_same`).

    The fingerprints code the USCC in two ways: portably (its last characters, :func:`_uscc_code`: the same
    on every engine, so a published copy checks on Spark) and, on DuckDB, by DuckDB's own ``hash`` (a third
    of the cost: the readers' check runs before every month's computation). A reader computes its engine's
    kind; the writer (DuckDB) records both. A DuckDB whose ``hash`` changed between versions only makes
    the table not current once (rebuilt by the next write or run), never a stale table read."""
    kinds = ("portable", "hash") if writer else ("hash",) if con.name == "duckdb" else ("portable",)
    e = con.table("enterprises")
    county = e.region.try_cast("int64").fill_null(0)
    a = e.aggregate(n_enterprises=e.count(), region_sum=e.region.try_cast("float64").sum(),
                    **{_fingerprint("county", k): _mixed(_coded(e.uscc, k), county + 1).sum() for k in kinds})
    ey = con.table("enterprise_years")
    above = ey.above_scale.cast("int64")
    b = ey.aggregate(n_scale_rows=ey.count(), n_above=above.sum(), above_years=(above * ey.year.cast("int64")).sum(),
                     **{_fingerprint("above", k): (above * _mixed(_coded(ey.uscc, k), ey.year.cast("int64"))).sum()
                        for k in kinds})
    return {k: _number(v) for k, v in (*a.to_pandas().iloc[0].items(), *b.to_pandas().iloc[0].items())}


def _fingerprint(what: str, kind: str) -> str:
    return f"{what}_mix" if kind == "portable" else f"{what}_hash_mix"


def _coded(uscc: ir.StringValue, kind: str) -> ir.IntegerValue:
    """A number for a USCC, mixed by :func:`_mixed`: portable (:func:`_uscc_code`) or DuckDB's ``hash``
    (reduced modulo :data:`MIX`; Ibis reads the hash as a signed integer, so it may be negative — the sums
    stay exact either way)."""
    return _uscc_code(uscc) if kind == "portable" else (uscc.hash() % MIX).cast("int64")


MIX = 1_000_003  # a prime: a row's fingerprint (:func:`_mixed`) is below it, so the sums stay exact in a double


def _uscc_code(uscc: ir.StringValue) -> ir.IntegerValue:
    """A number of a USCC's last three characters (the 18th a check character of the whole code)."""
    code = ibis.literal(0, "int64")
    for i in (15, 16, 17):
        code = code * 128 + uscc.substr(i, 1).ascii_str().cast("int64").fill_null(0)
    return code


def _ppi_key(p: ir.Table) -> ir.IntegerValue:
    """A number of a PPI row's (period, division): which index is whose (a swap of two indexes of a
    division changes :func:`_mixed` of it, not the plain sums)."""
    def part(x: ir.StringValue) -> ir.IntegerValue:
        return x.try_cast("int64").fill_null(0)

    ym = part(p.period.substr(0, 4)) * 100 + part(p.period.substr(5, 2))
    return (ym * 100 + part(p.division)) * 16 + p.period.length().cast("int64")


def _mixed(code: ir.IntegerValue, value: ir.IntegerValue) -> ir.IntegerValue:
    """An enterprise's code and one of its attributes mixed into one number below :data:`MIX`."""
    return (code * value) % MIX


def _number(v: object) -> float:
    return 0.0 if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def _record_stamp(db, *, registry: bool, periods: set[str] | None = None) -> None:
    """Stamp the table: the reports' part always — only the ``periods`` a writer touched, over the stamp
    kept (checked current before the writer's refreshes: nothing else has re-stamped it since), or every
    period (None); the registry's part anew when ``registry`` (the writer took every row's county and 规上
    flag from the registry as it is now), else the one kept (a report writer leaves the registry's part as
    it found it; none kept, none written: not current)."""
    con = ibis.duckdb.from_connection(db)
    columns = [c for c, *_ in db.execute("DESCRIBE report_ytd_state").fetchall()]
    if columns != ["stamp"]:  # an earlier layout of the stamp: replaced
        db.execute("DROP TABLE report_ytd_state")
        db.execute(DDL[1])
    kept = [json.loads(x) for x, in db.execute("SELECT stamp FROM report_ytd_state").fetchall()]
    before = kept[0] if len(kept) == 1 and isinstance(kept[0].get("reports"), dict) else None
    if periods is None or before is None:
        values: dict[str, object] = dict(stamp(con))
    else:
        values = dict(stamp(con, periods=periods))
        values["reports"] = _merged(before["reports"], values["reports"], periods)
    reg = registry_stamp(con, writer=True) if registry else (before or {}).get("registry")
    if reg is not None:
        values["registry"] = reg
    # the table's extent (each year's last month) kept beside the stamp: a reader of a current table
    # need not scan the table for it
    extent = {str(y): int(m) for y, m in db.execute("SELECT year, max(m) FROM report_ytd GROUP BY year").fetchall()}
    db.execute("DELETE FROM report_ytd_state")
    db.execute("INSERT INTO report_ytd_state VALUES (?)", [json.dumps({**values, "extent": extent}, sort_keys=True)])


def _merged(kept: dict[str, dict], now: dict[str, dict], periods: set[str]) -> dict[str, dict]:
    """The reports' part of a stamp: ``kept`` with ``periods`` replaced by ``now``'s (gone when it has none)."""
    out = {y: {q: v for q, v in parts.items() if q not in periods} for y, parts in kept.items()}
    for y, parts in now.items():
        out.setdefault(y, {}).update(parts)
    return {y: parts for y, parts in out.items() if parts}


def is_current(con: ibis.BaseBackend, *, thorough: bool = False) -> bool:
    """Whether ``report_ytd`` was built from the reports and PPI as they are now (its stamp matches): a
    table written around the writers (an older version, a hand edit) is not used.

    Readers compare, period by period, the row counts, Σ 工业总产值 and the PPI (scanning one figure of every
    report costs a tenth of the month's computation at 450,000 enterprises, all nine figures a third and
    0.5 GB more); the writers (before patching the table in place) and ``yacang run`` compare every figure
    and which division each counted report is in (``thorough``), so an edit around the writers to 利润
    alone, or a report moved to another division, is rebuilt away at the next write or run."""
    return _kept_stamp(con, thorough) is not None


def current_extent(con: ibis.BaseBackend, years: Iterable[int]) -> dict[int, int] | None:
    """Each of ``years``' last report month in ``report_ytd`` (years without rows left out), or None when
    the table is not current (:func:`is_current`, the readers' check). From the stamp when the writer kept
    it there, else from the table."""
    wanted = sorted(set(years))
    kept = _kept_stamp(con, thorough=False, years=wanted)
    if kept is None:
        return None
    if isinstance(kept.get("extent"), dict):
        return {y: int(kept["extent"][str(y)]) for y in wanted if str(y) in kept["extent"]}
    t = con.table("report_ytd")  # a stamp written before the extent was kept
    ext = t.filter(t.year.isin(wanted)).group_by("year").aggregate(last=t.m.max()).to_pandas()
    return dict(zip(ext["year"].astype(int), ext["last"].astype(int), strict=True))


def _kept_stamp(con: ibis.BaseBackend, thorough: bool, years: Sequence[int] | None = None) -> dict | None:
    """The stamp kept with ``report_ytd`` when it matches the inputs as they are now (the reports of
    ``years`` only, or all), else None."""
    if not {"report_ytd", "report_ytd_state", "reports", "division_ppi", "enterprises",
            "enterprise_years"} <= _tables(con):
        return None
    state = con.table("report_ytd_state")
    if state.columns != ("stamp",):  # an earlier layout of the stamp
        return None
    rows = state.to_pandas()
    if len(rows) != 1:
        return None
    kept = json.loads(rows.iloc[0]["stamp"])
    if not all(isinstance(kept.get(k), dict) for k in ("reports", "ppi", "registry")):
        return None  # an earlier layout of the stamp, or no registry part
    now = stamp(con, SUMMED if thorough else READ_CHECK, years, divisions=thorough)
    checked = [str(y) for y in years] if years is not None else sorted(set(kept["reports"]) | set(now["reports"]))
    same_reports = all(_same_periods(kept["reports"].get(y, {}), now["reports"].get(y, {})) for y in checked)
    if not (same_reports and _same(kept["ppi"], now["ppi"]) and _same(kept["registry"], registry_stamp(con))):
        return None
    return kept


def _same_periods(kept: dict, now: dict[str, dict[str, float]]) -> bool:
    """A year's periods as kept and as now: the same periods (a period kept with rows is not missing
    now), each with the same values (:func:`_same`)."""
    if not isinstance(kept, dict) or not all(isinstance(v, dict) for v in kept.values()):
        return False  # an earlier layout (one part a year)
    if set(kept) != set(now):
        return False
    return all(_same(kept[q], now[q]) for q in now)


def _same(kept: dict, now: dict[str, float]) -> bool:
    """Every value of ``now`` kept, equal: to rounding of the sums of doubles, the fingerprints (``*_mix``,
    sums of integers, :func:`_mixed`) exactly."""
    return all(k in kept and (kept[k] == v if k.endswith("_mix") else
                              math.isclose(kept[k], v, rel_tol=1e-9, abs_tol=1e-6)) for k, v in now.items())


def _tables(con: ibis.BaseBackend) -> set[str]:
    """The backend's table names (DuckDB's through information_schema: its ``list_tables`` needs a newer
    DuckDB client than the one installed)."""
    if con.name == "duckdb":
        return {t for t, in con.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    return set(con.list_tables())


def ensure_current(db) -> bool:
    """Rebuild ``report_ytd`` when it is not current (an older warehouse file, a write around the writers);
    returns whether it was rebuilt. For the jobs that write (``yacang run``, ingest)."""
    if not _ensure_layout(db) and is_current(ibis.duckdb.from_connection(db), thorough=True):
        return False
    db.execute("DELETE FROM report_ytd")
    refresh_report_ytd(db)
    return True

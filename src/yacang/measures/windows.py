"""All of a month's comparisons in one *wide* enterprise panel.

The monthly table needs five windows of the same enterprises' reports: 当月 and 累计 this year, the
same two last year (for 两年平均), and 累计 to the previous period (for 位次变化). Building five panels
scans the reports five times; :func:`monthly_panel` reads them as three slices of the maintained
当月/累计 table (:mod:`yacang.warehouse.report_ytd`) when it is current, otherwise scans the union of
their periods once and sums each window with a filtered sum; either way with the 规上 set and 增加值率 of
the window's year. Window
``w``'s columns are suffixed ``_w`` (``va_ytd``, ``n_month``…). :func:`window_view` turns one window
back into the narrow panel that :func:`~yacang.measures.real_growth.aggregate` and the drags take;
:func:`aggregate_windows` groups once and gives every window's growth and pull side by side.

Semantics are those of :func:`~yacang.measures.real_growth.enterprise_panel` window by window (tested).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import pandas as pd

from yacang.catalog.regions import NATION
from yacang.measures.real_growth import (
    COUNTED_STATUSES,
    SUM_COLUMNS,
    _rates,
    area_columns,
    attribute_columns,
    previous_period,
    report_periods,
)
from yacang.periods import Period, parse_period
from yacang.warehouse import report_ytd
from yacang.warehouse.engine import small_table

FULL = SUM_COLUMNS  # windows that need breadth, losses and ratios
SHORT = ("va", "va_base")  # windows only needed for growth


@dataclass(frozen=True)
class Window:
    name: str
    year: int
    periods: tuple[str, ...]
    columns: tuple[str, ...]


def monthly_windows(period: str | Period) -> list[Window]:
    """month, ytd (full), month_ly, ytd_ly, ytd_prev (growth only) for ``period``."""
    p = parse_period(str(period)) if not isinstance(period, Period) else period
    ly = p.shift_years(-1)
    prev = parse_period(previous_period(p))
    return [
        Window("month", p.year, tuple(report_periods(p, cumulative=False)), FULL),
        Window("ytd", p.year, tuple(report_periods(p, cumulative=True)), FULL),
        Window("month_ly", ly.year, tuple(report_periods(ly, cumulative=False)), SHORT),
        Window("ytd_ly", ly.year, tuple(report_periods(ly, cumulative=True)), SHORT),
        Window("ytd_prev", prev.year, tuple(report_periods(prev, cumulative=True)), SHORT),
    ]


def monthly_panel(con: ibis.BaseBackend, period: str | Period, *, windows: Sequence[Window] | None = None,
                  statuses: Sequence[str] = COUNTED_STATUSES, maintained: bool = True) -> ir.Table:
    """One row per enterprise that is 规上 in the year of at least one window with a report in it
    (``maintained=False``: summed from the reports even when the maintained table is current)."""
    wins = list(windows or monthly_windows(period))
    return with_attributes(con, window_sums(con, wins, statuses, maintained=maintained))


def with_attributes(con: ibis.BaseBackend, sums: ir.Table) -> ir.Table:
    """Window sums by enterprise (``uscc`` …) with the enterprise's attributes (registered enterprises)."""
    ent = con.table("enterprises")
    e = ent.join(sums, "uscc")
    return e.select(*attribute_columns(e), *(e[k] for k in sums.columns if k != "uscc"))


def window_atoms(wins: Sequence[Window]) -> list[tuple[str, ...]]:
    """The union of the windows' periods split into *atoms*: maximal groups of periods that belong to
    exactly the same windows (for a December: 当月, the rest of 累计, and the same two last year).
    Every window is a union of atoms, so per-atom sums are enough to build every window's sums."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for q in sorted({q for w in wins for q in w.periods}):
        groups.setdefault(tuple(w.name for w in wins if q in w.periods), []).append(q)
    return [tuple(v) for v in groups.values()]


def _factors(con: ibis.BaseBackend, periods: Sequence[str], atoms: Sequence[Sequence[str]] = ()) -> ir.Table:
    """The deflator of each (period, division): 100 / PPI (上年同月=100), with the period's atom.

    A few hundred rows, fetched and passed back as an in-memory table: as a subquery its row estimate
    misled DuckDB into joining it with the whole enterprise registry first (a 10-million-row
    intermediate), a known table keeps the plan reports ⋈ factors. On Spark it is a registered temporary
    view (:func:`~yacang.warehouse.engine.small_table`), so ``.cache()`` finds it."""
    ppi = con.table("division_ppi")
    ppi = ppi.filter(ppi.period.isin(list(periods)))
    df = ppi.select("period", "division", factor=100.0 / ppi.index_yoy).to_pandas()
    atom_of = {q: k for k, a in enumerate(atoms) for q in a}
    df["_atom"] = [atom_of.get(q, 0) for q in df["period"]]  # which atom a period belongs to
    df["_atom"] = df["_atom"].astype("int32")
    return small_table(con, "yc_factors", df)


# the figure summed for each panel column: real VA is 增加值率 × Σ 工业总产值 × 100 / PPI, its base
# 增加值率 × Σ 上年同期 (the rate of the window's year, applied per enterprise in window_sums)
RAW = {"va": "real_output", "va_base": "output_value_prev"}


def _raw(columns: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(RAW.get(c, c) for c in columns))


def window_sums(con: ibis.BaseBackend, wins: Sequence[Window], statuses: Sequence[str] = COUNTED_STATUSES, *,
                maintained: bool = True) -> ir.Table:
    """Per enterprise (uscc only): each window's row count ``n_w`` and sums, for the enterprises 规上 in
    the window's year; a window the enterprise is not in has ``n_w = 0`` and NULL sums.

    From the maintained 当月/累计 table (:mod:`yacang.warehouse.report_ytd`: three slices for a month's
    five windows) when it is current and every window is a 当月 or a 累计 (:func:`_windows_from_ytd`),
    otherwise from one scan of the reports (:func:`_sums_from_reports`); both give the same table (tested).
    Real VA and its base take the 增加值率 of the window's year: a window of a year with no 增加值率 for the
    division counts no rows, as a report row without PPI counts nowhere. ``maintained=False`` always sums
    the reports (the reference the table is checked against).
    """
    if maintained and tuple(statuses) == COUNTED_STATUSES:
        fast = _windows_from_ytd(con, wins)
        if fast is not None:
            return fast
    years = sorted({w.year for w in wins})
    raw = _sums_from_reports(con, wins, statuses)
    ey = con.table("enterprise_years")
    member = (ey.filter(ey.above_scale & ey.year.isin(years)).group_by("uscc")
              .aggregate(**{f"m_{y}": ibis.ifelse(ey.year == y, 1, 0).max() for y in years}))
    e = raw.join(member, "uscc")
    for y in years:  # a year without 增加值率 (a first-year warehouse) counts nothing in its windows
        ry = _rates(con, y).select(_div="division", **{f"rate_{y}": "va_rate"})
        e = e.left_join(ry, e.division == ry._div).drop("_div")
    out: dict[str, ir.Value] = {}
    for w in wins:
        rate = e[f"rate_{w.year}"]
        inside = (e[f"m_{w.year}"].fill_null(0) == 1) & rate.notnull()
        out[f"n_{w.name}"] = ibis.ifelse(inside, e[f"n__{w.name}"].fill_null(0.0), 0.0).cast("int64")
        for c in w.columns:
            x = e[f"{RAW.get(c, c)}__{w.name}"]
            out[f"{c}_{w.name}"] = ibis.ifelse(inside, x * rate if c in RAW else x, ibis.null("float64"))
    return _with_rows(e.select("uscc", **out), wins)


def _with_rows(t: ir.Table, wins: Sequence[Window]) -> ir.Table:
    """The enterprises with report rows in at least one window."""
    return t.filter(sum((t[f"n_{w.name}"] for w in wins[1:]), t[f"n_{wins[0].name}"]) > 0)


def _sums_from_reports(con: ibis.BaseBackend, wins: Sequence[Window], statuses: Sequence[str]) -> ir.Table:
    """(uscc, division, ``n__w`` and the raw sums ``<figure>__w`` of each window) from one scan of the reports.

    Each report row carries its enterprise's division and meets its (period, division) deflator in one
    hash join against a small table (rows without PPI or a registered enterprise drop out); then one
    aggregation to the enterprise grain with as few aggregate states as possible (the cost of a wide
    hash aggregation grows with their number): every figure is summed per *atom* (:func:`window_atoms`,
    4 for a December, not 5 overlapping windows), only the figures some window of the atom needs (counts
    summed as floats: an integer sum is 128-bit in DuckDB). Windows are sums of atoms."""
    all_periods = sorted({q for w in wins for q in w.periods})
    atoms = window_atoms(wins)
    r = con.table("reports")
    r = r.filter(r.period.isin(all_periods) & r.status.isin(list(statuses)))
    # the division is carried on the report row (from the registry): no join of every row to the registry
    r = r.join(_factors(con, all_periods, atoms), ["period", "division"])
    r = r.mutate(real_output=r.output_value * r.factor)
    needs = [_raw({c for w in wins if a[0] in w.periods for c in w.columns}) for a in atoms]
    null = ibis.null("float64")
    zero = ibis.literal(0.0)
    metrics: dict[str, ir.Value] = {}
    for k, need in enumerate(needs):
        inside = r._atom == k
        metrics[f"n__{k}"] = ibis.ifelse(inside, 1.0, zero).sum()
        for c in sorted(need):
            metrics[f"{c}__{k}"] = ibis.ifelse(inside, r[c], null).sum()
    e = r.group_by(["uscc", "division"]).aggregate(**metrics)
    out: dict[str, ir.Value] = {}
    for w in wins:
        mine = [k for k, a in enumerate(atoms) if a[0] in w.periods]
        for c in ["n", *_raw(w.columns)]:
            out[f"{c}__{w.name}"] = _atoms_total([e[f"{c}__{k}"] for k in mine])
    return e.select("uscc", "division", **out)


def _atoms_total(parts: Sequence[ir.NumericValue]) -> ir.NumericValue:
    """The window's sum from its atoms' sums: NULL only when every atom's is (as one sum over the window)."""
    if len(parts) == 1:
        return parts[0]
    acc = parts[0].fill_null(0.0)
    every_null = parts[0].isnull()
    for x in parts[1:]:
        acc = acc + x.fill_null(0.0)
        every_null = every_null & x.isnull()
    return ibis.ifelse(every_null, ibis.null("float64"), acc)


def ytd_slice(w: Window) -> tuple[str, int] | None:
    """Which column set and month of ``report_ytd`` window ``w`` is (``("ytd", m)`` for 累计 to month m,
    ``("m", m)`` for 当月), or None when it is neither (then the reports are summed)."""
    months = {report_ytd.report_month(q) for q in w.periods}
    if None in months or any(int(q[:4]) != w.year for q in w.periods):
        return None
    m = max(months)  # type: ignore[type-var]
    code = f"{w.year}-01/02" if m == 2 else f"{w.year}-{m:02d}"
    if list(w.periods) == report_periods(code, cumulative=True):
        return ("ytd", m)
    if list(w.periods) == report_periods(code, cumulative=False):
        return ("m", m)
    return None


def _windows_from_ytd(con: ibis.BaseBackend, wins: Sequence[Window]) -> ir.Table | None:
    """:func:`window_sums` from the maintained ``report_ytd``, or None when a window is not a slice or the
    table is not current."""
    slices = month_slices(con, wins)
    return None if slices is None else slices_sums(slices, wins)


def slices_sums(slices: Slices, wins: Sequence[Window]) -> ir.Table:
    """:func:`window_sums` of windows ``wins`` from the slices that serve them (:func:`month_slices`). The
    windows share slices (a December's five windows are three: this December's 当月 and 累计, last
    December's, this November's 累计); each slice has one row an enterprise, so the slices are outer-joined
    on the enterprise (cheaper than grouping their union)."""
    names = {w.name for w in wins}
    mine = [s for s, members in slices if names & {w.name for w in members}]
    acc = _outer_join_all([s.select("uscc", *(c for c in s.columns if c.startswith(SUM_PREFIXES))) for s in mine],
                          ["uscc"])
    acc = acc.mutate(**{f"n_{w.name}": acc[f"n_{w.name}"].fill_null(0) for w in wins})
    return _with_rows(acc.select("uscc", *(c for c in window_columns(wins))), wins)


def month_cells(con: ibis.BaseBackend, wins: Sequence[Window]) -> ir.Table | None:
    """:func:`aggregate_windows` of the wide panel by (province, prefecture, county, division), straight from
    the maintained table (:func:`slices_cells`), or None when it cannot be (a window is not a slice, the
    table is not current: then group :func:`monthly_panel`). The same table (tested)."""
    slices = month_slices(con, wins)
    return None if slices is None else slices_cells(slices, wins)


def slices_cells(slices: Slices, wins: Sequence[Window], *, derived: bool = True) -> ir.Table:
    """The area × division cells of every window: each slice grouped by the county and division its rows
    carry, the slices' cells outer-joined (no join at the enterprise grain). ``derived=False``: the
    counts and sums only, without growth, pull and the shares (for :func:`level_tables`, which re-sums
    them: a third less to compile)."""
    parts = []
    for s, members in slices:
        s = s.filter(s.region.notnull())  # an enterprise not in the registry is in no area (as in the panel)
        parts.append(s.group_by(county=s.region, division=s.division).aggregate(**_metrics(s, members)))
    acc = _outer_join_all(parts, ["county", "division"])
    counts = [c for c in acc.columns if c.startswith("n_")]
    acc = acc.mutate(**{c: acc[c].fill_null(0) for c in counts}, **area_columns(acc.county))
    keys = ["province", "prefecture", "county", "division"]
    acc = acc.select(*keys, *(c for c in acc.columns if c not in keys))
    return _derive(acc, wins) if derived else acc



def window_enterprises(slices: Slices, w: Window) -> ir.Table:
    """Window ``w``'s enterprises straight from the slice that serves it: uscc, nation, province,
    prefecture, county (from the county the rows carry), division and the window's sums without suffix
    (as :func:`window_view`), those with rows in it and a county (as in the cells). No join to the
    registry (:func:`with_attributes` joins all its attributes; join the few a caller needs)."""
    (s,) = [s for s, members in slices if w in members]
    s = s.filter((s[f"n_{w.name}"] > 0) & s.region.notnull())
    sums = {c[: -len(w.name) - 1]: s[c] for c in s.columns if c.endswith(f"_{w.name}") and not c.startswith("n_")}
    return s.select("uscc", nation=ibis.literal(NATION), **area_columns(s.region), county=s.region,
                    division=s.division, **sums)

SUM_PREFIXES = ("n_", *(f"{c}_" for c in SUM_COLUMNS))
Slices = list[tuple[ir.Table, list[Window]]]


def month_slices(con: ibis.BaseBackend, wins: Sequence[Window]) -> Slices | None:
    """The slices of ``report_ytd`` the windows read, each with the windows it serves: one row an
    enterprise 规上 in the slice's year (the flag its row carries), with its county (``region``), division
    and, for each window ``w``, ``n_w`` and the sums ``<column>_w`` (real VA and its base with the year's
    增加值率). None when a window is not a slice or the table is not current (checked once here: read
    several things from the same slices with :func:`slices_sums` and :func:`slices_cells`)."""
    kinds = [ytd_slice(w) for w in wins]
    last = None if any(k is None for k in kinds) else report_ytd.current_extent(con, {w.year for w in wins})
    if last is None:
        return None
    t = con.table("report_ytd")
    groups: dict[tuple[int, int], list[tuple[Window, str]]] = {}
    for w, (kind, m) in zip(wins, kinds, strict=True):  # type: ignore[misc]
        groups.setdefault((w.year, slice_month(kind, w.year, m, last)), []).append((w, kind))
    out = []
    rates = {year: _rates(con, year) for year, _ in groups}  # one expression a year (two slices share one)
    for (year, month), members in groups.items():
        s = t.filter((t.year == year) & (t.m == month) & t.above).join(rates[year], "division")
        cols: dict[str, ir.Value] = {}
        for w, kind in members:
            cols[f"n_{w.name}"] = s[f"n_{kind}"].cast("int64")
            for c in w.columns:
                x = s[f"{RAW.get(c, c)}_{kind}"]
                cols[f"{c}_{w.name}"] = x * s.va_rate if c in RAW else x
        out.append((s.select("uscc", "region", "division", **cols), [w for w, _ in members]))
    return out


def _outer_join_all(parts: Sequence[ir.Table], keys: Sequence[str]) -> ir.Table:
    """The tables outer-joined on ``keys`` (their other columns distinct), the keys coalesced."""
    acc = parts[0]
    for nxt in parts[1:]:
        nxt = nxt.rename(**{f"_{k}": k for k in keys}).view()  # the same base table: a distinct relation
        acc = acc.view()
        j = acc.outer_join(nxt, [acc[k] == nxt[f"_{k}"] for k in keys])
        joined = {*keys, *(f"_{k}" for k in keys)}  # the keys of both sides: coalesced into one
        acc = j.select(*(ibis.coalesce(j[k], j[f"_{k}"]).name(k) for k in keys),
                       *(j[c] for c in j.columns if c not in joined))
    return acc


def slice_month(kind: str, year: int, m: int, last: dict[int, int]) -> int:
    """The month of the maintained table a window reads: a 累计 past the year's last report month is the
    累计 to that month (the same reports); a 当月 is its own month (no rows when nobody reported)."""
    return min(m, last.get(year, m)) if kind == "ytd" else m


def window_columns(wins: Sequence[Window]) -> list[str]:
    """The columns of :func:`window_sums` after ``uscc``, in order."""
    return [c for w in wins for c in (f"n_{w.name}", *(f"{x}_{w.name}" for x in w.columns))]


def window_view(wide: ir.Table, name: str) -> ir.Table:
    """The narrow panel (columns of :func:`enterprise_panel`) of one window of a wide panel."""
    suffix = f"_{name}"
    sums = [c for c in wide.columns if c.endswith(suffix) and not c.startswith("n_")]
    base = [c for c in wide.columns if not c.startswith("n_") and not any(c.startswith(f"{s}_") for s in SUM_COLUMNS)]
    t = wide.filter(wide[f"n_{name}"] > 0)
    cols = {c[: -len(suffix)]: t[c] for c in sums}
    # growth-only windows: the other sums are unknown (NULL), so breadth etc. come out NULL
    cols |= {c: ibis.null("float64") for c in SUM_COLUMNS if c not in cols}
    return t.select(*base, **{c: cols[c] for c in SUM_COLUMNS})


def aggregate_windows(wide: ir.Table, by: Sequence[str], windows: Sequence[Window]) -> ir.Table:
    """Group once by ``by``; for every window: n, va, va_base, growth, pull (against the window's total)
    and, for full windows, breadth (增长面/减产面), 亏损面 and 亏损深度."""
    metrics = _metrics(wide, windows)
    g = wide.group_by(list(by)).aggregate(**metrics) if by else wide.aggregate(**metrics)
    return _derive(g, windows)


def _metrics(wide: ir.Table, windows: Sequence[Window]) -> dict[str, ir.Value]:
    """The counts and sums of :func:`aggregate_windows` over the enterprises of ``wide``, per window."""
    metrics: dict[str, ir.Value] = {}
    for w in windows:
        n = w.name
        has = wide[f"n_{n}"] > 0
        va, base = wide[f"va_{n}"], wide[f"va_base_{n}"]
        metrics[f"n_{n}"] = wide.uscc.count(where=has)
        metrics[f"va_{n}"] = va.sum()
        metrics[f"va_base_{n}"] = base.sum()
        if w.columns == FULL:
            profit = wide[f"profit_{n}"]
            metrics[f"n_growing_{n}"] = wide.uscc.count(where=has & (va > base))
            metrics[f"n_declining_{n}"] = wide.uscc.count(where=has & (va < base))
            metrics[f"n_loss_{n}"] = wide.uscc.count(where=has & (profit < 0))
            metrics[f"loss_amount_{n}"] = (-profit).sum(where=profit < 0)
            metrics[f"profit_amount_{n}"] = profit.sum(where=profit > 0)
    return metrics


def rollup_windows(agg: ir.Table, by: Sequence[str], windows: Sequence[Window]) -> ir.Table:
    """:func:`aggregate_windows` by ``by`` from a finer :func:`aggregate_windows` result ``agg`` (its keys
    must include ``by``): every metric is a count or a sum, so re-summing the groups gives exactly the
    same table as grouping the enterprises again — a table of area × division cells instead of every
    enterprise (growth and pull are recomputed from the sums, never averaged)."""
    return _derive(_resum(agg, by, windows), windows)


def rollup_levels(agg: ir.Table, levels: Sequence[Sequence[str]], windows: Sequence[Window]) -> ir.Table:
    """:func:`rollup_windows` for several groupings at once, in one query (one job on Spark instead of
    one a table): the rows of grouping ``levels[i]`` carry ``level = i`` and NULL in the keys it does
    not group by; pull is against the total (the same for every grouping). Rows come ordered by level,
    then keys. Split with :func:`split_levels`.

    GROUPING SETS by hand: each cell is repeated once per grouping (an unnested array of the level
    numbers), its keys outside the grouping set to NULL, and everything grouped once by (level, keys) —
    one aggregation whatever the number of groupings (a union of one aggregation per grouping is as
    many copies of every metric: eight times the expression to build and compile). Re-summing the
    coarser groupings from prefecture × division first (and the county × division cells taken as they
    are) saved a fifth of DuckDB's work at 450,000 enterprises and cost as much compiling the larger
    query: not done."""
    keys = _level_keys(levels)
    x = agg.mutate(level=ibis.literal(list(range(len(levels))), LEVEL_NUMBERS).unnest())
    x = x.mutate(**{k: ibis.ifelse(x.level.isin([i for i, by in enumerate(levels) if k in by]), x[k],
                                   ibis.null("string")) for k in keys})
    g = _resum(x, ["level", *keys], windows)
    # every grouping: the same total, Σ over the first grouping's rows (a window; five scalar subqueries
    # over the cells cost DuckDB a tenth more)
    g = _derive(g, windows, one_grouping=g.level == 0)
    # ordered by each grouping's own keys in its own order (the j-th key of the row's grouping)
    order = [ibis.cases(*((g.level == i, g[by[j]]) for i, by in enumerate(levels) if len(by) > j),
                        else_=ibis.null("string")) for j in range(max(map(len, levels), default=0))]
    return g.order_by([g.level, *order])


LEVEL_NUMBERS = dt.Array(dt.int64)  # a type object: the first parse of a type string ("array<int64>") costs 0.07 s


def level_tables(cells: ir.Table, levels: Sequence[Sequence[str]], windows: Sequence[Window]) -> list[pd.DataFrame]:
    """The tables of every grouping in ``levels`` from finer cells (:func:`rollup_levels`), fetched in one
    query and split (:func:`split_levels`). Fetched through Arrow: every column is a key, a count or a
    float, and Ibis's own conversion turns each column with a NULL into Python objects and back (a third
    of the fetch at 80,000 rows)."""
    return split_levels(rollup_levels(cells, levels, windows).to_pyarrow().to_pandas(), levels)


def split_levels(df: pd.DataFrame, levels: Sequence[Sequence[str]]) -> list[pd.DataFrame]:
    """The tables of a :func:`rollup_levels` result (fetched, ordered by level then keys): one per grouping,
    with only its own keys, ordered by them."""
    keys = _level_keys(levels)
    bounds = df["level"].searchsorted(range(len(levels) + 1))  # each grouping's rows are contiguous
    out = []
    for i, by in enumerate(levels):
        part = df.iloc[bounds[i]:bounds[i + 1]]
        out.append(part[[*by, *(c for c in df.columns if c != "level" and c not in keys)]].reset_index(drop=True))
    return out


def _level_keys(levels: Sequence[Sequence[str]]) -> list[str]:
    """Every key of the groupings, in the order first named."""
    return list(dict.fromkeys(k for by in levels for k in by))


def _resum(agg: ir.Table, by: Sequence[str], windows: Sequence[Window]) -> ir.Table:
    """The counts and sums of :func:`aggregate_windows` re-summed from ``agg`` by ``by``."""
    metrics: dict[str, ir.Value] = {}
    for w in windows:
        n = w.name
        names = ["n", "va", "va_base"]
        if w.columns == FULL:
            names += ["n_growing", "n_declining", "n_loss", "loss_amount", "profit_amount"]
        for c in names:
            if c.startswith("n"):  # counts summed as floats (exact below 2**53): an integer sum is 128-bit in DuckDB
                metrics[f"{c}_{n}"] = agg[f"{c}_{n}"].cast("float64").sum().cast("int64")
            else:
                metrics[f"{c}_{n}"] = agg[f"{c}_{n}"].sum()
    return agg.group_by(list(by)).aggregate(**metrics) if by else agg.aggregate(**metrics)


def _derive(g: ir.Table, windows: Sequence[Window], one_grouping: ir.BooleanValue | None = None) -> ir.Table:
    """Growth, pull, breadth and 亏损 ratios of each window from the grouped counts and sums (pull against
    the total base of the table; when ``g`` stacks several groupings of the same cells, of its rows where
    ``one_grouping`` holds: one grouping's groups hold every cell once)."""
    derived: dict[str, ir.Value] = {}
    for w in windows:
        n = w.name
        va, base = g[f"va_{n}"], g[f"va_base_{n}"]
        count = g[f"n_{n}"].nullif(0)  # x/0 is NULL on DuckDB but an error on Spark (ANSI): be explicit
        total = base.sum(where=one_grouping).over(ibis.window())
        derived[f"growth_{n}"] = (va / base.nullif(0.0) - 1.0) * 100.0
        derived[f"pull_{n}"] = (va - base) / total.nullif(0.0) * 100.0
        if w.columns == FULL:
            derived[f"growing_share_{n}"] = g[f"n_growing_{n}"] / count * 100.0
            derived[f"declining_share_{n}"] = g[f"n_declining_{n}"] / count * 100.0
            derived[f"loss_share_{n}"] = g[f"n_loss_{n}"] / count * 100.0
            derived[f"loss_depth_{n}"] = (g[f"loss_amount_{n}"].fill_null(0.0)
                                          / g[f"profit_amount_{n}"].nullif(0.0) * 100.0)
    return g.mutate(**derived)

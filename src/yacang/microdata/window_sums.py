"""A month's windows from one scan of the reports, and every level's table from one grouped statement.

The monthly table compares five *windows* of the same enterprises' reports (当月 and 累计 this year,
both last year, 累计 to the previous period). :func:`window_sums` gives, per enterprise, every window's
report count ``n_<w>`` and sums (``va_<w>``, ``va_base_<w>``, …) in **one** SQL statement:

- the reports are scanned once and aggregated to the enterprise grain with filtered sums: 工业总产值 per
  report period (it is deflated per period and division) and the other figures per *atom* (groups of
  periods in exactly the same windows, :func:`window_atoms`);
- the enterprise's division, its deflators (增加值率 × 100 ÷ PPI per period, a few dozen rows passed as
  literal values), 规上 membership by year and the base's 增加值率 are applied on that enterprise-grain
  table, so no report row is joined to the registry (the joins are ~20 times smaller).

That is exact when each division has a deflator for every period that has any (the normal case: PPI
comes by period for all divisions). Otherwise a report row without its deflator must drop out alone, as
the narrow panel drops it, and :func:`window_sums` joins each report row to its deflator instead
(``plan="rows"``, the same result, slower).

:func:`level_tables` then groups the wide panel into area × division cells once and re-sums the cells
into every requested level with ``GROUPING SETS`` in one statement (every metric is a count or a sum),
with growth, pull (against the level's own total), breadth and 亏损 ratios.

The SQL is written in DuckDB's dialect and run through Ibis (``Backend.sql`` / ``Table.sql``), which
transpiles it for PySpark; semantics are those of :mod:`yacang.measures.windows`, window by window.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import ibis
import ibis.expr.types as ir
import pandas as pd

COUNTED_STATUSES = ("submitted", "accepted")
SUM_ON_ROWS = ("output_value_prev", "sales_value", "export_delivery", "export_delivery_prev", "electricity",
               "electricity_prev", "profit")  # summed as reported (output_value is deflated per period)
BREADTH = ("n_growing", "n_declining", "n_loss", "loss_amount", "profit_amount")


class WindowLike(Protocol):
    """A window of report periods (:class:`yacang.measures.windows.Window`)."""

    name: str
    year: int
    periods: tuple[str, ...]
    columns: tuple[str, ...]


def window_atoms(wins: Sequence[WindowLike]) -> list[tuple[str, ...]]:
    """The union of the windows' periods split into *atoms*: maximal groups of periods that belong to
    exactly the same windows (for a December: 当月, the rest of 累计, and the same two last year)."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for q in sorted({q for w in wins for q in w.periods}):
        groups.setdefault(tuple(w.name for w in wins if q in w.periods), []).append(q)
    return [tuple(v) for v in groups.values()]


def _is_full(w: WindowLike) -> bool:
    return "profit" in w.columns


def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _num(x: float | None) -> str:
    return "CAST(NULL AS DOUBLE)" if x is None or pd.isna(x) else f"CAST({float(x)!r} AS DOUBLE)"


def _rates_by_year(params: pd.DataFrame, years: Sequence[int]) -> dict[int, dict[str, float]]:
    """增加值率 per division for each year (the latest year ≤ it when that year is missing)."""
    out: dict[int, dict[str, float]] = {}
    for y in years:
        p = params[params["year"] <= y].sort_values("year")
        out[y] = dict(zip(p["division"], p["va_rate"], strict=True))  # later years overwrite earlier
    return out


def deflators(con: ibis.BaseBackend, periods: Sequence[str],
              years: Sequence[int]) -> tuple[dict[tuple[str, str], float], dict[int, dict[str, float]]]:
    """(period, division) → 增加值率 of the period's year × 100 ÷ PPI (上年同月 = 100), where both exist;
    and 增加值率 by division for each of ``years`` (the bases')."""
    ppi = con.table("division_ppi")
    ppi = ppi.filter(ppi.period.isin(list(periods))).to_pandas()
    params = con.table("division_params").to_pandas()
    rates = _rates_by_year(params, sorted({int(q[:4]) for q in periods} | set(years)))
    out = {}
    for q, d, idx in zip(ppi["period"], ppi["division"], ppi["index_yoy"], strict=True):
        rate = rates[int(q[:4])].get(d)
        if rate is not None:
            out[(q, d)] = rate * 100.0 / idx
    return out, {y: rates[y] for y in years}


def choose_plan(factors: dict[tuple[str, str], float], divisions: Sequence[str]) -> str:
    """``"enterprise"`` when every division with a deflator for some period has one for every period
    that has any (deflating at the enterprise grain is then exact), else ``"rows"``."""
    periods = {q for q, _ in factors}
    for d in divisions:
        have = {q for q in periods if (q, d) in factors}
        if have and have != periods:
            return "rows"
    return "enterprise"


def window_sums(con: ibis.BaseBackend, wins: Sequence[WindowLike], *,
                statuses: Sequence[str] = COUNTED_STATUSES, plan: str | None = None) -> ir.Table:
    """Per enterprise (``uscc``): each window's ``n_<w>`` and sums, from one scan of the reports.

    Enterprises 规上 in the year of at least one window and with a counted report in some window; in a
    window of a year it is not 规上 in, its count and sums are 0. ``plan`` forces ``"enterprise"`` or
    ``"rows"`` (tests); by default :func:`choose_plan` picks the fast one when it is exact.
    """
    all_periods = sorted({q for w in wins for q in w.periods})
    factors, rates = deflators(con, all_periods, sorted({w.year for w in wins}))
    ent = con.table("enterprises")
    divisions = ent.select(division=ent.industry.substr(0, 2)).distinct().to_pandas()["division"].tolist()
    plan = plan or choose_plan(factors, divisions)
    sql = _window_sums_sql(wins, factors, rates, statuses, plan)
    schema = {"uscc": "string"}
    for w in wins:
        schema[f"n_{w.name}"] = "int64"
        schema |= {f"{c}_{w.name}": "float64" for c in w.columns}
    # the schema is given: Ibis would otherwise run the statement once more to find it
    return con.sql(sql, schema=schema, dialect="duckdb")


def _atom_sums(wins: Sequence[WindowLike], atoms: list[tuple[str, tuple[str, ...]]], periods: list[str], plan: str) -> list[str]:
    """The filtered sums of the enterprise-grain aggregation (``s``)."""
    # sum(CASE …) rather than FILTER: DuckDB updates a filtered aggregate through a selection per
    # aggregate, several times slower with forty of them
    out = []
    if plan == "enterprise":  # 工业总产值 per period, deflated after the join at the enterprise grain
        out += [f"sum(CASE WHEN pi = {i} THEN output_value END) AS ov__{i}" for i in range(len(periods))]
    for k, (first, live) in enumerate(atoms):
        needs = [c for c in _atom_needs(wins, first) if not (plan == "enterprise" and c == "output_value")]
        if not live:  # no period of the atom has a deflator: no row of it counts
            out.append(f"CAST(0.0 AS DOUBLE) AS n__{k}")
            out += [f"CAST(NULL AS DOUBLE) AS {c}__{k}" for c in ("va", "output_value", *needs)]
            continue
        lo, hi = periods.index(live[0]), periods.index(live[-1])
        inside = f"pi = {lo}" if lo == hi else f"pi BETWEEN {lo} AND {hi}"
        out.append(f"sum(CASE WHEN {inside} THEN 1.0 ELSE 0.0 END) AS n__{k}")
        if plan == "rows":
            out.append(f"sum(CASE WHEN {inside} THEN output_value * factor END) AS va__{k}")
        out += [f"sum(CASE WHEN {inside} THEN {c} END) AS {c}__{k}" for c in needs]
    return out


def _atom_needs(wins: Sequence[WindowLike], first: str) -> list[str]:
    """The reported figures (other than 工业总产值's deflated VA) some window of the atom (whose first
    period is ``first``) needs."""
    need = {c for w in wins if first in w.periods for c in w.columns} | {"output_value_prev"}
    return [c for c in ("output_value", *SUM_ON_ROWS) if c in need]


def _window_sums_sql(wins: Sequence[WindowLike], factors: dict[tuple[str, str], float],
                     rates: dict[int, dict[str, float]], statuses: Sequence[str], plan: str) -> str:
    wins = list(wins)
    years = sorted({w.year for w in wins})
    # periods without any deflator drop out (as a report row without its deflator does); an atom keeps
    # its place (its windows still sum it) with only the periods that have one
    factored = {q for q, _ in factors}
    atoms = [(a[0], tuple(q for q in a if q in factored)) for a in window_atoms(wins)]
    periods = [q for _, live in atoms for q in live]  # numbered atom by atom: an atom is a range of pi
    divisions = sorted({d for _, d in factors}) or ["-"]
    pi = ("CASE period " + " ".join(f"WHEN {_lit(q)} THEN {i}" for i, q in enumerate(periods)) + " END"
          if periods else "CAST(NULL AS INTEGER)")  # no deflator at all: no report row counts
    cols = sorted({c for first, live in atoms if live for c in _atom_needs(wins, first)} | {"output_value"})
    statuses_in = f"status IN ({', '.join(_lit(s) for s in statuses)})"
    if plan == "enterprise":
        fvals = ", ".join("(" + ", ".join([_lit(d), *(_num(factors.get((q, d))) for q in periods)]) + ")"
                          for d in divisions)
        fcte = (f"f AS (SELECT * FROM (VALUES {fvals}) AS f(division, "
                + ", ".join(f"f__{i}" for i in range(len(periods))) + "))")
        rows = (f"r AS (SELECT * FROM (SELECT uscc, {pi} AS pi, {', '.join(cols)} FROM reports "
                f"WHERE {statuses_in}) AS x WHERE pi IS NOT NULL)")
    elif plan == "rows":
        fvals = ", ".join(f"({_lit(q)}, {_lit(d)}, {_num(v)})" for (q, d), v in sorted(factors.items()))
        fcte = f"f AS (SELECT * FROM (VALUES {fvals}) AS f(period, division, factor))"
        rows = (f"r AS (SELECT x.uscc, {pi.replace('period', 'x.period', 1)} AS pi, "
                + ", ".join(f"x.{c}" for c in cols) + ", f.factor FROM reports x "
                "JOIN (SELECT uscc, substr(industry, 1, 2) AS division FROM enterprises) e ON e.uscc = x.uscc "
                f"JOIN f ON f.period = x.period AND f.division = e.division WHERE x.{statuses_in})")
    else:
        raise ValueError(f"unknown plan {plan!r} (enterprise or rows)")
    sums = f"s AS (SELECT uscc, {', '.join(_atom_sums(wins, atoms, periods, plan))} FROM r GROUP BY uscc)"
    member = ("m AS (SELECT uscc, " + ", ".join(f"max(CASE WHEN year = {y} THEN 1 ELSE 0 END) AS m_{y}" for y in years)
              + f" FROM enterprise_years WHERE above_scale AND year IN ({', '.join(map(str, years))}) GROUP BY uscc)")
    return ("WITH " + ",\n".join([fcte, rows, sums, member, _rates_cte(rates)]) + "\n"
            + _final_select(wins, atoms, periods, plan))


def _rates_cte(rates: dict[int, dict[str, float]]) -> str:
    """The base's 增加值率 by division and window year, as a literal table (left-joined: a year without
    增加值率 leaves that year's bases NULL)."""
    years = sorted(rates)
    divisions = sorted({d for r in rates.values() for d in r}) or ["-"]
    vals = ", ".join("(" + ", ".join([_lit(d), *(_num(rates[y].get(d)) for y in years)]) + ")" for d in divisions)
    return f"rt AS (SELECT * FROM (VALUES {vals}) AS rt(division, " + ", ".join(f"rate_{y}" for y in years) + "))"


def _null_sum(terms: list[str]) -> str:
    """Σ terms, NULL when every term is NULL (as one sum over the rows would be)."""
    if len(terms) == 1:
        return terms[0]
    return (f"CASE WHEN coalesce({', '.join(terms)}) IS NULL THEN NULL ELSE "
            + " + ".join(f"coalesce({t}, 0.0)" for t in terms) + " END")


def _final_select(wins: Sequence[WindowLike], atoms: list[tuple[str, tuple[str, ...]]], periods: list[str],
                  plan: str) -> str:
    def va_atom(k: int) -> str:
        if plan == "rows" or not atoms[k][1]:
            return f"s.va__{k}"
        return _null_sum([f"s.ov__{i} * f.f__{i}" for i in (periods.index(q) for q in atoms[k][1])])

    def ov_atom(k: int) -> str:
        if plan == "rows" or not atoms[k][1]:
            return f"s.output_value__{k}"
        return _null_sum([f"s.ov__{periods.index(q)}" for q in atoms[k][1]])

    def atom_sum(c: str, k: int) -> str:
        return va_atom(k) if c == "va" else ov_atom(k) if c == "output_value" else f"s.{c}__{k}"

    def total(c: str, mine: list[int]) -> str:
        part = [atom_sum(c, k) for k in mine]
        if len(part) == 1:
            return part[0]
        return "(" + " + ".join(f"coalesce({p}, 0.0)" for p in part) + ")"  # an empty atom adds nothing

    out = []
    for w in wins:
        m = f"coalesce(m.m_{w.year}, 0)"
        mine = [k for k, (first, _live) in enumerate(atoms) if first in w.periods]
        out.append(f"CAST({total('n', mine)} * {m} AS BIGINT) AS n_{w.name}")
        for c in w.columns:
            if c == "va_base":
                out.append(f"{total('output_value_prev', mine)} * rt.rate_{w.year} * {m} AS va_base_{w.name}")
            else:
                out.append(f"{total(c, mine)} * {m} AS {c}_{w.name}")
    join_f = "JOIN f ON f.division = e.division " if plan == "enterprise" else ""
    body = (f"SELECT s.uscc, {', '.join(out)} FROM s "
            "JOIN (SELECT uscc, substr(industry, 1, 2) AS division FROM enterprises) e ON e.uscc = s.uscc "
            f"{join_f}JOIN m ON m.uscc = s.uscc LEFT JOIN rt ON rt.division = e.division")
    return f"SELECT * FROM ({body}) AS w WHERE " + " + ".join(f"n_{w.name}" for w in wins) + " > 0"


def _cell_metrics(wins: Sequence[WindowLike]) -> list[str]:
    """Per window, the counts and sums of the enterprises of a cell (as ``aggregate_windows``)."""
    out = []
    for w in wins:
        n, has = w.name, f"n_{w.name} > 0"
        va, base = f"va_{n}", f"va_base_{n}"
        out += [f"sum(CASE WHEN {has} THEN 1 ELSE 0 END) AS n_{n}", f"sum({va}) AS {va}", f"sum({base}) AS {base}"]
        if _is_full(w):
            p = f"profit_{n}"
            out += [f"sum(CASE WHEN {has} AND {va} > {base} THEN 1 ELSE 0 END) AS n_growing_{n}",
                    f"sum(CASE WHEN {has} AND {va} < {base} THEN 1 ELSE 0 END) AS n_declining_{n}",
                    f"sum(CASE WHEN {has} AND {p} < 0 THEN 1 ELSE 0 END) AS n_loss_{n}",
                    f"sum(CASE WHEN {p} < 0 THEN -{p} END) AS loss_amount_{n}",
                    f"sum(CASE WHEN {p} > 0 THEN {p} END) AS profit_amount_{n}"]
    return out


def _metric_names(w: WindowLike) -> list[str]:
    return ["n", "va", "va_base", *(BREADTH if _is_full(w) else ())]


def _derived(wins: Sequence[WindowLike], flags: list[str]) -> list[str]:
    """Growth, pull (against the level's own total), breadth and 亏损 ratios from the sums."""
    part = f"OVER (PARTITION BY {', '.join(flags)})" if flags else "OVER ()"
    out = []
    for w in wins:
        n = w.name
        va, base, count = f"va_{n}", f"va_base_{n}", f"nullif(n_{n}, 0)"
        out += [f"({va} / nullif({base}, 0.0) - 1.0) * 100.0 AS growth_{n}",
                f"({va} - {base}) / nullif(sum({base}) {part}, 0.0) * 100.0 AS pull_{n}"]
        if _is_full(w):
            out += [f"n_growing_{n} / {count} * 100.0 AS growing_share_{n}",
                    f"n_declining_{n} / {count} * 100.0 AS declining_share_{n}",
                    f"n_loss_{n} / {count} * 100.0 AS loss_share_{n}",
                    f"coalesce(loss_amount_{n}, 0.0) / nullif(profit_amount_{n}, 0.0) * 100.0 AS loss_depth_{n}"]
    return out


def level_tables(panel: ir.Table, wins: Sequence[WindowLike],
                 levels: Sequence[Sequence[str]]) -> dict[tuple[str, ...], pd.DataFrame]:
    """Every level's table (``levels``: tuples of the panel's columns, ``()`` = the whole panel) in one
    statement: the enterprises are grouped once into cells (by every key of any level), the cells
    re-summed into each level with ``GROUPING SETS`` (exact: every metric is a count or a sum).

    ``panel`` is a materialised wide panel (``.cache()``: a named table of its backend) with the columns
    of :func:`window_sums` and the keys. Each table has the level's keys, then for every window
    ``n``, ``va``, ``va_base`` (and for full windows ``n_growing``, ``n_declining``, ``n_loss``,
    ``loss_amount``, ``profit_amount``), ``growth``, ``pull`` (百分点 of the level's total growth) and for
    full windows ``growing_share``, ``declining_share``, ``loss_share``, ``loss_depth`` — the columns
    of ``yacang.measures.windows.aggregate_windows``.
    """
    levels = [tuple(lv) for lv in levels]
    keys = list(dict.fromkeys(k for lv in levels for k in lv))
    flags = [f"g__{k}" for k in keys]
    sums = [f"{c}_{w.name}" for w in wins for c in _metric_names(w)]
    rolled = [f"CAST(sum({c}) AS BIGINT) AS {c}" if c.startswith("n_") else f"sum({c}) AS {c}" for c in sums]
    sets = ", ".join("(" + ", ".join(lv) + ")" for lv in levels)
    cells = (f"SELECT {', '.join([*keys, *_cell_metrics(wins)])} FROM {panel.get_name()}"
             + (f" GROUP BY {', '.join(keys)}" if keys else ""))
    grouped = (f"SELECT {', '.join([*keys, *(f'CAST(GROUPING({k}) AS INTEGER) AS g__{k}' for k in keys), *rolled])} "
               f"FROM c GROUP BY GROUPING SETS ({sets})") if keys else f"SELECT {', '.join(rolled)} FROM c"
    sql = f"WITH c AS ({cells}), g AS ({grouped}) SELECT *, {', '.join(_derived(wins, flags))} FROM g"
    ptypes = panel.schema()
    schema = {k: ptypes[k] for k in keys} | dict.fromkeys(flags, "int32")
    schema |= {c: "int64" if c.startswith("n_") else "float64" for c in sums}
    schema |= {d.rsplit(" AS ", 1)[1]: "float64" for d in _derived(wins, flags)}
    df = panel._find_backend().sql(sql, schema=schema, dialect="duckdb").to_pandas()
    out = {}
    for lv in levels:
        mine = pd.Series(True, index=df.index)
        for k in keys:
            mine &= df[f"g__{k}"] == (0 if k in lv else 1)
        cols = [*lv, *(c for c in df.columns if c not in keys and c not in flags)]
        out[lv] = df.loc[mine, cols].reset_index(drop=True)
    return out

"""All of a month's comparisons from one scan of the reports: a *wide* enterprise panel.

The monthly table needs five windows of the same enterprises' reports: 当月 and 累计 this year, the
same two last year (for 两年平均), and 累计 to the previous period (for 位次变化). Building five panels
scans the reports five times; :func:`monthly_panel` scans the union of their periods once, joining each
row to the 规上 set and 增加值率 of the row's own year, and sums each window with a filtered sum. Window
``w``'s columns are suffixed ``_w`` (``va_ytd``, ``n_month``…). :func:`window_view` turns one window
back into the narrow panel that :func:`~yacang.measures.real_growth.aggregate` and the drags take;
:func:`aggregate_windows` groups once and gives every window's growth and pull side by side.

Semantics are those of :func:`~yacang.measures.real_growth.enterprise_panel` window by window (tested).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from yacang.measures.real_growth import (
    COUNTED_STATUSES,
    SUM_COLUMNS,
    _rates,
    attribute_columns,
    previous_period,
    report_periods,
)
from yacang.periods import Period, parse_period

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
                  statuses: Sequence[str] = COUNTED_STATUSES) -> ir.Table:
    """One row per enterprise that is 规上 in the year of at least one window with a report in it."""
    wins = list(windows or monthly_windows(period))
    sums = window_sums(con, wins, statuses)
    ent = con.table("enterprises")
    e = ent.join(sums, "uscc")
    return e.select(*attribute_columns(e), *(e[k] for k in sums.columns if k != "uscc"))


def window_sums(con: ibis.BaseBackend, wins: Sequence[Window], statuses: Sequence[str] = COUNTED_STATUSES) -> ir.Table:
    """Per enterprise (uscc only): each window's row count ``n_w`` and sums, from one scan of the reports."""
    all_periods = sorted({q for w in wins for q in w.periods})
    years = sorted({w.year for w in wins})
    r = con.table("reports")
    r = r.filter(r.period.isin(all_periods) & r.status.isin(list(statuses)))
    r = r.mutate(yr=r.period.substr(0, 4).cast("int32"))
    ent = con.table("enterprises")
    # small tables joined first, so the big report scan meets one hash join on (uscc, year) and one on
    # (period, division): members = 规上 (enterprise, year) with the division; deflator = (period, division)
    # → 增加值率 × 100 / PPI and 增加值率.
    ey = con.table("enterprise_years")
    members = (ey.filter(ey.above_scale & ey.year.isin(years))
               .join(ent.select("uscc", division=ent.industry.substr(0, 2)), "uscc")
               .select("uscc", "division", yr=ey.year.cast("int32")))
    rates = _rates(con, years[0]).mutate(yr=ibis.literal(years[0], type="int32"))
    for y in years[1:]:
        rates = rates.union(_rates(con, y).mutate(yr=ibis.literal(y, type="int32")))
    ppi = con.table("division_ppi")
    ppi = ppi.filter(ppi.period.isin(all_periods))
    ppi = ppi.mutate(yr=ppi.period.substr(0, 4).cast("int32"))
    deflator = ppi.join(rates, ["division", "yr"]).select(
        dkey=ppi.period.concat("|", ppi.division), factor=rates.va_rate * 100.0 / ppi.index_yoy,
        va_rate=rates.va_rate)
    # The deflator is joined on one key computed from both sides (period from the report, division from
    # the register), so the optimiser cannot join it to the members before the reports (it would, and
    # blow the intermediate up to members × periods).
    rows = r.join(members, ["uscc", "yr"])
    rows = rows.mutate(dkey=rows.period.concat("|", rows.division))
    rows = rows.join(deflator, "dkey")
    rows = rows.mutate(va=rows.output_value * rows.factor, va_base=rows.output_value_prev * rows.va_rate)
    # Windows overlap (当月 ⊂ 累计), so the sorted periods are cut into runs that belong to exactly the
    # same windows ("atoms"); a row's atom is found with a few string comparisons (period codes sort in
    # time order: 2023-01 < 2023-01/02 < 2023-02 < 2023-03 …), and each window's sums are filtered
    # sums over its atoms, all in one aggregation.
    runs: list[tuple[str, frozenset[str]]] = []  # (last period of the run, windows)
    for q in all_periods:
        names = frozenset(w.name for w in wins if q in w.periods)
        if runs and runs[-1][1] == names:
            runs[-1] = (q, names)
        else:
            runs.append((q, names))
    rows = rows.mutate(atom=ibis.cases(*((rows.period <= last, i) for i, (last, _) in enumerate(runs)), else_=-1))
    # 0/1 weights instead of FILTER clauses: plain vectorised products, markedly faster in DuckDB. A window
    # an enterprise has no rows in sums to 0 with n_w = 0 (window_view and aggregate_windows test n_w).
    rows = rows.mutate(**{f"w_{w.name}": ibis.ifelse(rows.atom.isin(
        [i for i, (_, names) in enumerate(runs) if w.name in names]), 1.0, 0.0) for w in wins})
    metrics: dict[str, ir.Value] = {}
    for w in wins:
        weight = rows[f"w_{w.name}"]
        metrics[f"n_{w.name}"] = weight.sum().cast("int64")
        for c in w.columns:
            metrics[f"{c}_{w.name}"] = (rows[c] * weight).sum()
    return rows.group_by("uscc").aggregate(**metrics)


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
    g = wide.group_by(list(by)).aggregate(**metrics) if by else wide.aggregate(**metrics)
    w_all = ibis.window()
    derived: dict[str, ir.Value] = {}
    for w in windows:
        n = w.name
        va, base = g[f"va_{n}"], g[f"va_base_{n}"]
        derived[f"growth_{n}"] = (va / base - 1.0) * 100.0
        derived[f"pull_{n}"] = (va - base) / base.sum().over(w_all) * 100.0
        if w.columns == FULL:
            derived[f"growing_share_{n}"] = g[f"n_growing_{n}"] / g[f"n_{n}"] * 100.0
            derived[f"declining_share_{n}"] = g[f"n_declining_{n}"] / g[f"n_{n}"] * 100.0
            derived[f"loss_share_{n}"] = g[f"n_loss_{n}"] / g[f"n_{n}"] * 100.0
            derived[f"loss_depth_{n}"] = g[f"loss_amount_{n}"].fill_null(0.0) / g[f"profit_amount_{n}"] * 100.0
    return g.mutate(**derived)

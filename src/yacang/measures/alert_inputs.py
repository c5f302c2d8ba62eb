"""Microdata measures as facts for the alert engine (``yacang.alerts.fact_table`` long format).

For each recent report period and each region (nation, provinces, prefectures): 当月/累计 同口径 growth,
减产面, 亏损面, 增长面, 出口交货值 and 用电量 growth, the gap to the annual target, the reporting rate; and
for key enterprises their pull (拉动) on their province's 累计 growth.

All periods at once: two slices a period of the maintained 当月/累计 table
(:mod:`yacang.warehouse.report_ytd`), or when it is not current one scan of the reports, build the
enterprise panel of every (period, 当月/累计) pair — each report row joined to the periods whose window
contains it — and one grouping gives the
prefecture cells; provinces and the nation are sums of those cells (every figure is a count or a sum, so
re-summing gives the same totals as grouping the enterprises again). Semantics are those of
:func:`~yacang.measures.real_growth.enterprise_panel` and :func:`~yacang.measures.real_growth.aggregate`
period by period (tested against them).
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from yacang.catalog.regions import NATION, parent_code, province_codes
from yacang.measures.real_growth import COUNTED_STATUSES, SUM_COLUMNS, _rates, area_columns, report_periods
from yacang.measures.windows import slice_month
from yacang.periods import parse_period
from yacang.warehouse import job_queries, report_ytd
from yacang.warehouse.engine import small_table

LEVELS = ("nation", "province", "prefecture")
FACT_COLUMNS = ["scope", "key", "parent", "period", "metric", "value"]
KINDS = {"month": False, "ytd": True}  # 当月 / 累计
MONTH_METRICS = {"iva_yoy": "growth", "decline_share": "declining_share", "export_yoy": "export_growth",
                 "electricity_yoy": "electricity_growth"}
YTD_METRICS = {"iva_ytd_yoy": "growth", "loss_share": "loss_share", "growth_share": "growing_share"}
CELL_SUMS = ("n", "n_growing", "n_declining", "n_loss", "va", "va_base", "export_delivery",
             "export_delivery_prev", "electricity", "electricity_prev")


def _parent(level: str, code: str) -> str:
    return "" if level == "nation" else parent_code(code)


def report_periods_upto(wh, period: str | None, n: int) -> list[str]:
    """The last ``n`` report periods present in ``reports`` up to ``period`` (all if None)."""
    ps = sorted(parse_period(c) for c in job_queries.report_period_codes(wh))
    if period is not None:
        end = parse_period(period)
        ps = [p for p in ps if p.sort_key() <= end.sort_key()]
    return [p.code for p in ps[-n:]]


def _window_map(periods: Sequence[str]) -> pd.DataFrame:
    """(target, kind, period, year): the report periods that make up each target's 当月 and 累计."""
    rows = [(t, kind, q, parse_period(t).year) for t in periods for kind, cum in KINDS.items()
            for q in report_periods(t, cumulative=cum)]
    return pd.DataFrame(rows, columns=["target", "kind", "period", "year"]).astype({"year": "int64"})


def multi_period_panel(con: ibis.BaseBackend, periods: Sequence[str], *,
                       statuses: Sequence[str] = COUNTED_STATUSES, maintained: bool = True) -> ir.Table:
    """One row per (target period, kind, 规上 enterprise of the target's year): ``kind`` is ``month`` (当月)
    or ``ytd`` (累计); the sums of :data:`SUM_COLUMNS` over the window, and province, prefecture, is_key.

    Read from the maintained 当月/累计 table (two slices a target) when it is current, otherwise summed
    from the reports, each row joined to every window that contains it (``maintained=False``: always)."""
    sums = None
    if maintained and tuple(statuses) == COUNTED_STATUSES:
        sums = _sums_from_ytd(con, periods)
    sums = _sums_from_reports(con, periods, statuses) if sums is None else sums.drop("region")
    ent = con.table("enterprises")
    attrs = ent.select("uscc", **area_columns(ent.region), is_key=ent.is_key.fill_null(False))
    return sums.join(attrs, "uscc")


def _sums_from_ytd(con: ibis.BaseBackend, periods: Sequence[str]) -> ir.Table | None:
    """(target, kind, uscc, region, the sums) from ``report_ytd``: 当月 is the target month's ``*_m``
    columns, 累计 its ``*_ytd`` (to the year's last report month when the target lies past it), ``region``
    the county the row carries; None when the table is not current."""
    targets = [(code, int(code[:4]), report_ytd.report_month(code)) for code in periods]
    years = sorted({y for _, y, _ in targets})
    last = None if any(m is None for _, _, m in targets) else report_ytd.current_extent(con, years)
    if last is None:
        return None
    t = con.table("report_ytd")
    parts = []
    for code, year, m in targets:
        for kind, suffix in (("month", "m"), ("ytd", "ytd")):
            month = slice_month(suffix, year, m, last)  # type: ignore[arg-type]
            s = t.filter((t.year == year) & (t.m == month) & (t[f"n_{suffix}"] > 0) & t.above)  # 规上 that year
            parts.append(s.select("uscc", "region", "division", "year", target=ibis.literal(code),
                                  kind=ibis.literal(kind), **{c: s[f"{c}_{suffix}"] for c in report_ytd.FIGURES}))
    rows = ibis.union(*parts, distinct=False) if len(parts) > 1 else parts[0]
    rates = [_rates(con, y).mutate(year=ibis.literal(y, "int32")) for y in years]
    rows = rows.join(ibis.union(*rates) if len(rates) > 1 else rates[0], ["year", "division"])
    return rows.select("target", "kind", "uscc", "region", va=rows.real_output * rows.va_rate,
                       va_base=rows.output_value_prev * rows.va_rate,
                       **{c: rows[c] for c in SUM_COLUMNS if c not in ("va", "va_base")})


def _sums_from_reports(con: ibis.BaseBackend, periods: Sequence[str], statuses: Sequence[str]) -> ir.Table:
    """(target, kind, uscc, the sums) from one scan of the reports, each row joined to its windows."""
    wmap = _window_map(periods)
    years = sorted(set(wmap["year"]))
    r = con.table("reports")
    r = r.filter(r.period.isin(sorted(set(wmap["period"]))) & r.status.isin(list(statuses)))
    ey = con.table("enterprise_years")
    members = ey.filter(ey.above_scale & ey.year.isin(years)).select("uscc", "year")
    rates = [_rates(con, y).mutate(year=ibis.literal(y, "int64")) for y in years]
    rows = (r.join(small_table(con, "yc_fact_windows", wmap), "period")
            .join(members, ["uscc", "year"])  # the division is on the report row
            .join(con.table("division_ppi"), ["period", "division"])
            .join(ibis.union(*rates) if len(rates) > 1 else rates[0], ["year", "division"]))
    rows = rows.mutate(va=rows.output_value * rows.va_rate * 100.0 / rows.index_yoy,
                       va_base=rows.output_value_prev * rows.va_rate)
    return rows.group_by(["target", "kind", "uscc"]).aggregate(**{c: rows[c].sum() for c in SUM_COLUMNS})


def prefecture_cells(panel: ir.Table) -> ir.Table:
    """Counts and sums of :func:`multi_period_panel` by (target, kind, province, prefecture)."""
    t = panel
    return t.group_by(["target", "kind", "province", "prefecture"]).aggregate(
        n=t.uscc.count(),
        n_growing=(t.va > t.va_base).cast("int64").sum(),
        n_declining=(t.va < t.va_base).cast("int64").sum(),
        n_loss=(t.profit < 0).cast("int64").sum(),
        **{c: t[c].sum() for c in ("va", "va_base", "export_delivery", "export_delivery_prev",
                                   "electricity", "electricity_prev")},
    )


def _cells_and_key_rows(con: ibis.BaseBackend, periods: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The prefecture cells of every (period, 当月/累计) and the key enterprises' 累计 rows (target, uscc,
    province, va, va_base). From the maintained table when it is current: its rows grouped by the county
    they carry, only the key enterprises joined to the registry; else from the enterprise panel."""
    sums = _sums_from_ytd(con, periods)
    if sums is None:
        panel = multi_period_panel(con, periods, maintained=False).cache()  # read twice
        try:
            return prefecture_cells(panel).to_pandas(), panel.filter(panel.is_key & (panel.kind == "ytd")).select(
                "target", "uscc", "province", "va", "va_base").to_pandas()
        finally:
            panel.release()
    t = sums.filter(sums.region.notnull())  # an enterprise not in the registry is in no area (as in the panel)
    t = t.mutate(**area_columns(t.region))
    ent = con.table("enterprises")
    key = ent.filter(ent.is_key.fill_null(False)).select("uscc")
    ytd = t.filter(t.kind == "ytd")
    key_rows = ytd.join(key, "uscc").select("target", "uscc", "province", "va", "va_base")
    return prefecture_cells(t).to_pandas(), key_rows.to_pandas()


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    return num.astype(float) / den.astype(float).replace(0.0, np.nan)


def level_measures(cells: pd.DataFrame, level: str) -> pd.DataFrame:
    """The cells summed to ``level`` (NULL-propagating sums, as SQL), with growth and the shares."""
    keys = ["target", "kind"] + ([] if level == "nation" else [level])
    g = cells.groupby(keys, sort=False)[list(CELL_SUMS)].sum(min_count=1).reset_index()
    if level == "nation":
        g["nation"] = NATION
    g["growth"] = (_ratio(g["va"], g["va_base"]) - 1.0) * 100.0
    g["declining_share"] = _ratio(g["n_declining"], g["n"]) * 100.0
    g["growing_share"] = _ratio(g["n_growing"], g["n"]) * 100.0
    g["loss_share"] = _ratio(g["n_loss"], g["n"]) * 100.0
    g["export_growth"] = (_ratio(g["export_delivery"], g["export_delivery_prev"]) - 1.0) * 100.0
    g["electricity_growth"] = (_ratio(g["electricity"], g["electricity_prev"]) - 1.0) * 100.0
    return g.rename(columns={level: "key"})


def _long(g: pd.DataFrame, level: str, metrics: dict[str, str]) -> pd.DataFrame:
    """Region facts of one level, all targets: one row per (unit, target, metric)."""
    parents = pd.Series([_parent(level, k) for k in g["key"].astype(str)], index=g.index)
    return pd.concat([pd.DataFrame({"scope": "region", "key": g["key"].astype(str), "parent": parents,
                                    "period": g["target"], "metric": metric, "value": g[col].astype(float)})
                      for metric, col in metrics.items()], ignore_index=True)


def _reporting_rates(wh, periods: Sequence[str]) -> pd.DataFrame:
    """Share of the year's 规上 enterprises that reported for each period (%), by region level."""
    counts = job_queries.reported_counts_by_prefecture(wh, list(periods))
    if counts.empty:
        return pd.DataFrame(columns=FACT_COLUMNS)
    counts["province"] = province_codes(counts["prefecture"])
    counts["nation"] = NATION
    frames = []
    for level in LEVELS:
        g = counts.groupby(["period", level], sort=False)[["n", "n_reported"]].sum().reset_index()
        g["rate"] = g["n_reported"].to_numpy(dtype=float) / g["n"].to_numpy(dtype=float) * 100.0
        frames.append(_long(g.rename(columns={"period": "target", level: "key"}), level, {"reporting_rate": "rate"}))
    return pd.concat(frames, ignore_index=True)


def _key_enterprise_pulls(key_rows: pd.DataFrame, provinces: pd.DataFrame) -> pd.DataFrame:
    """拉动 of each key enterprise on its province's 累计 growth (百分点), every target period."""
    base = provinces.set_index(["target", "key"])["va_base"].replace(0.0, np.nan)
    den = base.reindex(pd.MultiIndex.from_arrays([key_rows["target"], key_rows["province"]])).to_numpy()
    pull = (key_rows["va"] - key_rows["va_base"]).to_numpy(dtype=float) / den * 100.0
    return pd.DataFrame({"scope": "enterprise", "key": key_rows["uscc"].to_numpy(),
                         "parent": key_rows["province"].to_numpy(), "period": key_rows["target"].to_numpy(),
                         "metric": "enterprise_pull", "value": pull})


def _target_gaps(ytd: pd.DataFrame, level: str, targets: pd.DataFrame) -> pd.DataFrame:
    """累计 growth minus the annual target of the region (units without a target left out)."""
    t = ytd.assign(year=[parse_period(c).year for c in ytd["target"]])
    goal = targets.drop_duplicates(["region", "year"], keep="last").set_index(["region", "year"])["growth"]
    g = goal.reindex(pd.MultiIndex.from_arrays([t["key"].astype(str), t["year"]])).to_numpy(dtype=float)
    t["gap"] = t["growth"].to_numpy(dtype=float) - g
    return _long(t, level, {"target_gap": "gap"})


def alert_facts(wh, *, period: str | None = None, n_periods: int = 13) -> pd.DataFrame:
    """Facts for the last ``n_periods`` report periods up to ``period`` (enough for ``for``/``lag`` rules)."""
    periods = report_periods_upto(wh, period, n_periods)
    if not periods:
        return pd.DataFrame(columns=FACT_COLUMNS)
    cells, key_rows = _cells_and_key_rows(wh.con, periods)
    targets = job_queries.targets_frame(wh)
    frames: list[pd.DataFrame] = []
    for level in LEVELS:
        g = level_measures(cells, level)
        month, ytd = g[g["kind"] == "month"], g[g["kind"] == "ytd"]
        frames += [_long(month, level, MONTH_METRICS), _long(ytd, level, YTD_METRICS),
                   _target_gaps(ytd, level, targets)]
        if level == "province":
            frames.append(_key_enterprise_pulls(key_rows, ytd))
    frames.append(_reporting_rates(wh, periods))
    out = pd.concat(frames, ignore_index=True)
    order = {code: i for i, code in enumerate(periods)}
    out = out[out["value"].notna()]
    return out.iloc[np.argsort(out["period"].map(order).to_numpy(), kind="stable")].reset_index(drop=True)

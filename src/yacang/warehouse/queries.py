"""Named read queries the dashboard and other areas need from the warehouse (latest values of a
concept across regions or industries), so no area outside the warehouse writes SQL against its tables."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from yacang.catalog.regions import NATION, level_of
from yacang.warehouse.series_choice import best_series, preference_order

VALUE_COLUMNS = ["region", "period", "period_end", "value"]


def children_clause(code: str) -> tuple[str, list[str]]:
    """SQL predicate (on ``region``) for the direct children of ``code``, by GB/T 2260 pattern."""
    level = level_of(code)
    if level == "nation":
        return "region LIKE '__0000' AND region <> ?", [NATION]
    if level == "province":
        return "region LIKE ? AND region LIKE '____00' AND region <> ?", [code[:2] + "%", code]
    if level == "prefecture":
        return "region LIKE ? AND region NOT LIKE '____00'", [code[:4] + "%"]
    return "FALSE", []


def _chosen(wh, where: list[str], params: list, keys: list[str]) -> pd.DataFrame:
    meta = wh.db.execute(f"SELECT series_id, region, industry, source FROM series WHERE {' AND '.join(where)}",
                         params).df()
    return best_series(meta, keys)


def _latest_observations(wh, series_ids: list[str], as_of: dt.date | str | None) -> pd.DataFrame:
    """The latest vintage of each period of the series, as known on ``as_of`` (inclusive)."""
    cutoff = pd.Timestamp(as_of) + pd.Timedelta(days=1) if as_of else pd.Timestamp("2999-01-01")
    return wh.db.execute(
        """SELECT series_id, period, period_end, value FROM (
               SELECT series_id, period, period_end, value,
                      row_number() OVER (PARTITION BY series_id, period ORDER BY vintage DESC, loaded_at DESC) rn
               FROM observations WHERE series_id IN (SELECT unnest(?)) AND vintage < ?)
           WHERE rn = 1""", [series_ids, cutoff.to_pydatetime()]).df()


def region_values(wh, indicator: str, measure: str, *, regions: list[str] | None = None,
                  children_of: str | None = None, industry: str = "TOTAL",
                  as_of: dt.date | str | None = None) -> pd.DataFrame:
    """Latest-vintage values of one concept for several regions: region, period, period_end, value.

    Each region's best series (:func:`~yacang.warehouse.series_choice.best_series`), extended back in time
    with its other series (in order of preference) for the periods before the best one starts: a city
    table of one month over nine years of a Wind panel gives the nine years and that month. ``regions``
    lists the regions; ``children_of`` selects the direct children of a region by code pattern.
    """
    where = ["indicator = ?", "measure = ?", "industry = ?", "coalesce(category, '') = ''"]
    params: list = [indicator, measure, industry]
    if regions is not None:
        if not regions:
            return pd.DataFrame(columns=VALUE_COLUMNS)
        where.append("region IN (SELECT unnest(?))")
        params.append(list(regions))
    if children_of is not None:
        clause, extra = children_clause(children_of)
        where.append(clause)
        params += extra
    meta = wh.db.execute(f"SELECT series_id, region, industry, source FROM series WHERE {' AND '.join(where)}",
                         params).df()
    if meta.empty:
        return pd.DataFrame(columns=VALUE_COLUMNS)
    ranked = preference_order(meta).reset_index(drop=True)
    ranked["rank"] = ranked.index
    obs = _latest_observations(wh, ranked["series_id"].tolist(), as_of)
    df = obs.merge(ranked[["series_id", "region", "rank"]], on="series_id")
    best = df.groupby("region")["rank"].transform("min")  # the best series with observations
    starts = df[df["rank"] == best].groupby("region")["period_end"].min()
    earlier = df["period_end"] < df["region"].map(starts)
    df = df[(df["rank"] == best) | earlier].sort_values("rank").drop_duplicates(["region", "period"])
    return df[VALUE_COLUMNS].sort_values(["region", "period_end"]).reset_index(drop=True)


def industry_latest(wh, region: str, indicator: str, measure: str) -> pd.DataFrame:
    """The latest value of each industry (divisions, sections, groupings) of a region: industry, period, value."""
    where = ["indicator = ?", "measure = ?", "region = ?", "industry <> 'TOTAL'", "coalesce(category, '') = ''"]
    chosen = _chosen(wh, where, [indicator, measure, region], ["industry"])
    if chosen.empty:
        return pd.DataFrame(columns=["industry", "period", "value"])
    obs = _latest_observations(wh, chosen["series_id"].tolist(), None)
    last = obs.sort_values("period_end").drop_duplicates("series_id", keep="last")
    return last.merge(chosen[["series_id", "industry"]], on="series_id")[["industry", "period", "value"]]

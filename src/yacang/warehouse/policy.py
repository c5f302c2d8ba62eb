"""Named queries the policy cross-check needs: the series catalogue ranked by source, and the values of
many (series, period) pairs in one query (latest vintage known at a date).

The cross-check of a document's facts therefore costs one catalogue read per run and one value query
per document, however many facts the document states.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from yacang.warehouse.series_choice import SOURCE_PREFERENCE
from yacang.warehouse.store import Warehouse


def ranked_series(wh: Warehouse) -> dict[tuple[str, str, str, str, str], str]:
    """(indicator, measure, region, industry, category) → the preferred series id (NBS before Wind …;
    a series without a vintage suffix before one with)."""
    df = wh.series()
    if df.empty:
        return {}
    rank = {s: i for i, s in enumerate(SOURCE_PREFERENCE)}
    df = df.assign(_r=df["source"].map(lambda s: rank.get(s, len(rank))),
                   _v=df["series_id"].str.contains("~").astype(int))
    df = df.sort_values(["_r", "_v", "series_id"])
    out: dict[tuple[str, str, str, str, str], str] = {}
    for row in df.itertuples(index=False):
        out.setdefault((row.indicator, row.measure, row.region, row.industry, row.category or ""), row.series_id)
    return out


def values_for(wh: Warehouse, pairs: set[tuple[str, str]], as_of: dt.date | None = None
               ) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], float]]:
    """Values of many (series id, period) pairs in one query: the latest vintage of each, and the latest
    vintage published by the end of ``as_of`` (empty without ``as_of``)."""
    if not pairs:
        return {}, {}
    keys = pd.DataFrame(sorted(pairs), columns=["series_id", "period"])
    wh.db.register("_policy_pairs", keys)
    try:
        rows = wh.db.execute(
            """SELECT o.series_id, o.period, o.value, o.vintage
               FROM observations o JOIN _policy_pairs p USING (series_id, period)
               WHERE o.value IS NOT NULL
               ORDER BY o.vintage, o.loaded_at"""
        ).fetchall()
    finally:
        wh.db.unregister("_policy_pairs")
    cutoff = None if as_of is None else dt.datetime.combine(as_of, dt.time()) + dt.timedelta(days=1)
    latest: dict[tuple[str, str], float] = {}
    published: dict[tuple[str, str], float] = {}
    for sid, period, value, vintage in rows:  # in vintage order: later rows overwrite
        latest[(sid, period)] = float(value)
        if cutoff is not None and vintage < cutoff:
            published[(sid, period)] = float(value)
    return latest, published

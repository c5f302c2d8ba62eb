"""Named queries the policy cross-check needs: the series catalogue ranked by source, and all vintages
of a set of series in one query.

The cross-check therefore costs one catalogue read per run and at most one value query per document
(series already read for an earlier document are not read again), however many facts it states.
"""

from __future__ import annotations

import datetime as dt

from yacang.warehouse.series_choice import preference_order
from yacang.warehouse.store import Warehouse


def ranked_series(wh: Warehouse) -> dict[tuple[str, str, str, str, str], str]:
    """(indicator, measure, region, industry, category) → the preferred series id (NBS before Wind …;
    a series without a vintage suffix before one with)."""
    df = wh.series()
    if df.empty:
        return {}
    df = preference_order(df)  # the one rule (warehouse.series_choice)
    out: dict[tuple[str, str, str, str, str], str] = {}
    for row in df.itertuples(index=False):
        out.setdefault((row.indicator, row.measure, row.region, row.industry, row.category or ""), row.series_id)
    return out


def observations_of(wh: Warehouse, series_ids: set[str]
                    ) -> dict[tuple[str, str], list[tuple[dt.datetime, dt.datetime, float]]]:
    """Every vintage of every period of the given series, in one query:
    (series id, period) → [(vintage, loaded_at, value)] in vintage order."""
    if not series_ids:
        return {}
    t = wh.table("observations")
    rows = (t.filter(t.series_id.isin(sorted(series_ids)), t.value.notnull())
            .select("series_id", "period", "vintage", "loaded_at", "value")
            .order_by(["vintage", "loaded_at"]).to_pyarrow().to_pylist())
    out: dict[tuple[str, str], list[tuple[dt.datetime, dt.datetime, float]]] = {}
    for r in rows:
        out.setdefault((r["series_id"], r["period"]), []).append((r["vintage"], r["loaded_at"], float(r["value"])))
    return out

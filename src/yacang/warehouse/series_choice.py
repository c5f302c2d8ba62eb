"""The one rule for which series stands for a concept when several sources carry it.

Preferred source first (NBS, then Wind, iFinD …), a plain series before its ``~variant``s (such as
Wind's ``~split`` January/February), then the series id, so the choice is the same everywhere: the
dashboard, the bulletin, the alert facts and ``Warehouse.find_series`` show the same number.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

# NBS first, then a provincial statistics bureau's own tables, then the data vendors.
SOURCE_PREFERENCE = ("nbs", "provincial", "wind", "ifind", "mysteel", "worldbank", "investing", "demo", "report")


def preference_order(meta: pd.DataFrame) -> pd.DataFrame:
    """Series rows (columns ``series_id``, ``source``) sorted best first."""
    rank = {s: i for i, s in enumerate(SOURCE_PREFERENCE)}
    return (meta.assign(_r=meta["source"].map(lambda s: rank.get(s, len(rank))),
                        _v=meta["series_id"].str.contains("~", regex=False).astype(int))
            .sort_values(["_r", "_v", "series_id"]).drop(columns=["_r", "_v"]))


def best_series(meta: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """One series row per combination of ``keys`` (e.g. indicator, measure, region, industry, category)."""
    if meta.empty:
        return meta
    return preference_order(meta).drop_duplicates(list(keys), keep="first").reset_index(drop=True)

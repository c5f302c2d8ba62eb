"""Rankings of sibling regions (or industries) as the monthly bulletin prints them.

Competition ranking ("1224"): equal values share the best rank and the next rank skips. Values are
compared at one decimal as published (half up, :mod:`yacang.formatting`), so 5.04 and 4.96 (both 5.0)
tie, and 2.25 and 2.3 tie too. 位次变化 is previous rank −
current rank (positive = moved up).
"""

from __future__ import annotations

import pandas as pd

from yacang import formatting as fmt


def competition_rank(values: pd.Series, *, ascending: bool = False, decimals: int | None = 1) -> pd.Series:
    """Rank 1 = highest (or lowest if ``ascending``); ties share the best rank; NaN stays unranked."""
    v = values.map(lambda x: fmt.rounded_float(x, decimals)).astype(float) if decimals is not None else values
    return v.rank(method="min", ascending=ascending).astype("Int64")


def rank_change(current: pd.Series, previous: pd.Series) -> pd.Series:
    """位次变化: previous − current (both ranks, aligned by index); positive means moved up."""
    return (previous.reindex(current.index).astype("Int64") - current.astype("Int64")).rename("rank_change")


def versus_parent_zh(value: float, parent: float, parent_name: str) -> str:
    """“高于全省1.2个百分点” / “低于全国0.3个百分点” / “与全国持平” (one decimal)."""
    if pd.isna(value) or pd.isna(parent):
        return ""
    return fmt.compare_to(value, parent, parent_name)


def change_zh(change: object) -> str:
    """位次变化 as text: ↑2 / ↓1 / 持平 / (blank when unknown)."""
    if change is None or pd.isna(change):
        return ""
    c = int(change)
    return "持平" if c == 0 else (f"↑{c}" if c > 0 else f"↓{-c}")


def rank_table(current: pd.Series, previous: pd.Series | None = None, *, parent: float | None = None,
               parent_name: str = "上级") -> pd.DataFrame:
    """Growth, rank, previous rank, change and the gap to the parent for sibling units."""
    out = pd.DataFrame({"value": current})
    out["rank"] = competition_rank(current)
    if previous is not None:
        out["prev_rank"] = competition_rank(previous).reindex(out.index)
        out["rank_change"] = rank_change(out["rank"], out["prev_rank"])
    if parent is not None:
        out["vs_parent_pp"] = [float(fmt.diff(v, parent)) if not pd.isna(v) else float("nan") for v in current]
        out["vs_parent"] = [versus_parent_zh(v, parent, parent_name) for v in current]
    return out.sort_values(["rank"], na_position="last")

"""Growth arithmetic for published series (pandas), in percent as NBS publishes it.

Series are indexed by period codes (``2021-12``, ``2022-01/02``); growth rates are in % (9.6 means 9.6%).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from yacang.periods import parse_period


def yoy(levels: pd.Series) -> pd.Series:
    """当月同比 (%) from levels: each period against the same period a year earlier (NaN if absent)."""
    prev = levels.index.map(lambda c: parse_period(str(c)).shift_years(-1).code)
    base = levels.reindex(prev).to_numpy(dtype=float)
    return pd.Series((levels.to_numpy(dtype=float) / base - 1.0) * 100.0, index=levels.index, name="yoy")


def ytd_levels(levels: pd.Series) -> pd.Series:
    """累计值: running sum of monthly levels within each year (the merged 1-2月 counts once)."""
    keys = [parse_period(str(c)) for c in levels.index]
    order = sorted(range(len(keys)), key=lambda i: keys[i].sort_key())
    s = levels.iloc[order]
    years = [keys[i].year for i in order]
    return s.groupby(years).cumsum().reindex(levels.index)


def ytd_growth(levels: pd.Series) -> pd.Series:
    """累计同比 (%) from monthly levels: year-to-date sum against last year's year-to-date sum.

    Needs last year's months to be complete up to the same month (else NaN).
    """
    cum = ytd_levels(levels)
    keys = {str(c): parse_period(str(c)) for c in levels.index}
    counts = pd.Series(1, index=levels.index).groupby([k.year for k in keys.values()]).cumsum()
    counts.index = levels.index
    out = yoy(cum)
    prev_count = counts.reindex(levels.index.map(lambda c: keys[str(c)].shift_years(-1).code)).to_numpy()
    out[prev_count != counts.to_numpy()] = np.nan
    return out.rename("ytd_yoy")


def two_year_average(g_this: float | pd.Series, g_last: float | pd.Series) -> float | pd.Series:
    """两年平均增长 (%): √((1+g₁)(1+g₂)) − 1 with g in %; used when the base year was abnormal."""
    out = (np.sqrt((1.0 + g_this / 100.0) * (1.0 + g_last / 100.0)) - 1.0) * 100.0
    return out if isinstance(out, pd.Series) else float(out)


# Years whose level was distorted (2020: the epidemic), so NBS printed 两年平均 the year after (2021);
# the default of ``[report] two_year_base_years`` in yacang.toml (config.ReportConfig).
DISTORTED_BASE_YEARS: tuple[int, ...] = (2020,)


def two_year_shown(year: int, distorted_base_years: tuple[int, ...] | None = None) -> bool:
    """NBS practice: print 两年平均 only when the base year (``year − 1``) was distorted (2021 vs 2020).

    ``None``: ``[report] two_year_base_years`` of ``yacang.toml`` in the working directory (default
    :data:`DISTORTED_BASE_YEARS`).
    """
    if distorted_base_years is None:
        from yacang.job_config import load_config

        distorted_base_years = tuple(load_config().report.two_year_base_years)
    return (year - 1) in distorted_base_years


def contribution(delta_parts: pd.Series, delta_total: float | None = None) -> pd.Series:
    """贡献率 (%): each part's increase as a share of the total increase (parts sum to 100)."""
    total = float(delta_parts.sum()) if delta_total is None else float(delta_total)
    return delta_parts / total * 100.0


def pull(delta_parts: pd.Series, base_total: float) -> pd.Series:
    """拉动 (百分点): each part's increase over the total base × 100; sums to the total growth."""
    return delta_parts / float(base_total) * 100.0


def weighted_growth(growth: pd.Series, weights: pd.Series) -> float:
    """Growth of a total from parts' growth rates and base weights (renormalised over parts present)."""
    both = pd.concat([growth, weights], axis=1, keys=["g", "w"]).dropna()
    if both.empty:
        return float("nan")
    return float((both["g"] * both["w"]).sum() / both["w"].sum())

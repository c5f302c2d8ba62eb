"""Base-effect (基数) nowcasts: the change of 同比 from last year's change of 同比.

If 同比 chained exactly into a level, ``y(T) − y(T−1) ≈ D(T) − D(T−12)`` with ``D`` the month-on-month
change (log points), and last year's change of 同比 is ``D(T−12) − D(T−24)``. When the month-on-month
changes themselves do not repeat, this year's change of 同比 undoes last year's: the **两年平均**
(two-year average growth) stays where it was, and (in log points ×100)::

    ly(T) = ly(T−1) − share·[ly(T−12) − ly(T−13)]          ly = 100·log(1 + 同比/100)

``share = 1`` is the exact arithmetic of a constant two-year growth (a random walk of the 两年平均);
``share = None`` estimates ``Δly(T) = a − share·Δly(T−12)`` by OLS on every release since ``start_year``
before T outside :data:`yacang.analysis.nowcast.ESTIMATION_GAP`. The benchmark prints both beside
AR(1): on the published NBS series the estimated share is 0.16 on the releases before 2015 and
−0.06 on those before 2025-12, not 1 (NBS's 同比 compare the same enterprise sample in both years and
do not chain into a level), so the exact base arithmetic is not what the data follow outside the
2020 shock (2.65× AR(1)'s RMSE over 2015–2025 without 2020–2021).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from yacang.analysis.nowcast import AR1, ESTIMATION_GAP, NowcastInputs


def change_of_yoy(inputs: NowcastInputs, periods: list[pd.Period]) -> np.ndarray:
    """Per release, ``ly(p) − ly(previous release)`` (log points ×100; NaN where either is unknown)."""
    ly = 100.0 * np.log1p(inputs.target / 100.0)
    return np.array([ly.get(p, np.nan) - ly.get(inputs.previous_release(p), np.nan) for p in periods], dtype=float)


@dataclass
class BaseEffectNowcaster:
    """This year's change of 同比 as minus ``share`` times last year's (see module doc)."""

    name: str = "基数效应(两年平均不变)"
    share: float | None = 1.0  # None: estimated (with a constant)
    start_year: int = 2006
    min_obs: int = 36
    columns: tuple[str, ...] = ()  # reads no indicator

    def nowcast(self, inputs: NowcastInputs, period: pd.Period) -> float:
        ly = 100.0 * np.log1p(inputs.target / 100.0)
        ly_prev = float(ly.get(inputs.previous_release(period), np.nan))
        last_year = change_of_yoy(inputs, [inputs.same_release_last_year(period)])[0]
        if np.isnan(ly_prev) or np.isnan(last_year):
            return AR1().nowcast(inputs, period)
        if self.share is not None:
            return float(np.expm1((ly_prev - self.share * last_year) / 100.0) * 100.0)
        periods = [p for p in inputs.target.index
                   if p.year >= self.start_year and p < period and p not in ESTIMATION_GAP]
        dy = change_of_yoy(inputs, periods)
        dy12 = change_of_yoy(inputs, [inputs.same_release_last_year(p) for p in periods])
        ok = ~np.isnan(dy) & ~np.isnan(dy12)
        if ok.sum() < self.min_obs:
            return AR1().nowcast(inputs, period)
        slope, const = np.polyfit(dy12[ok], dy[ok], 1)
        return float(np.expm1((ly_prev + const + slope * last_year) / 100.0) * 100.0)


def base_models() -> list[BaseEffectNowcaster]:
    """The exact two-year arithmetic and its estimated share."""
    return [BaseEffectNowcaster(), BaseEffectNowcaster(name="基数效应(份额估计)", share=None)]

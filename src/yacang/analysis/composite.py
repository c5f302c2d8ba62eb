"""Composite indices from user-chosen monthly components.

**NBS-style 合成指数** (the composite-index method NBS 中国经济景气监测中心 adapted from the US
Department of Commerce / Conference Board), :class:`NBSCompositeIndex`:

1. symmetric rate of change of each component,
   ``c(t) = 200·(y(t) − y(t−1)) / (y(t) + y(t−1))``; for components that are rates or can be ≤ 0
   (同比, PPI, …) the plain difference ``c(t) = y(t) − y(t−1)`` is used instead;
2. standardisation: ``A = mean |c(t)|`` over the sample, ``s(t) = c(t) / A``;
3. weighted average rate ``R(t) = Σ w·s(t) / Σ w`` (over the components observed in month t);
4. index standardisation ``V(t) = R(t) / F``, with ``F = mean|R| / mean|P|`` where ``P`` is the
   average rate of a reference (coincident) group; ``F = 1`` without a reference;
5. recursion ``I(1) = 100``, ``I(t) = I(t−1)·(200 + V(t)) / (200 − V(t))``;
6. rebasing so that the mean of ``base_year`` is 100 (if given).

**OECD-style composite leading indicator**, :class:`OECDLeadingIndicator`: each component optionally
seasonally adjusted (:mod:`yacang.analysis.seasonal`), detrended and smoothed with a double
Hodrick–Prescott filter (λ = 133 107.94 removes the trend — cycles longer than about 10 years — and
λ = 13.93 then removes noise shorter than about 12 months), as a ratio to trend (``100·y/trend``)
for positive level series or a deviation from trend otherwise, normalised
(``(c − mean) / mean absolute deviation``), and averaged; the index is ``100 + average``.
The HP filter is two-sided, so the last months are revised as data arrive (as the OECD's are).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from yacang.analysis.monthly import as_monthly, expand_jan_feb

HP_TREND_LAMBDA = 133107.94
HP_SMOOTH_LAMBDA = 13.93


def components_frame(components: Mapping[str, pd.Series] | pd.DataFrame) -> pd.DataFrame:
    """Align named monthly series on one monthly PeriodIndex (merged 1-2月 values repeated)."""
    if isinstance(components, pd.DataFrame):
        components = {c: components[c] for c in components.columns}
    if not components:
        raise ValueError("至少需要一个成分指标")
    cols = {}
    for name, s in components.items():
        m, merged = as_monthly(s)
        cols[name] = expand_jan_feb(m, merged, "rate")
    return pd.DataFrame(cols).sort_index()


def symmetric_change(y: pd.Series, *, difference: bool = False) -> pd.Series:
    """NBS symmetric rate of change (or the plain first difference for rate-type components)."""
    prev = y.shift(1)
    if difference:
        return y - prev
    return 200.0 * (y - prev) / (y + prev)


@dataclass
class CompositeResults:
    """Output of :class:`NBSCompositeIndex` (index, its inputs and the factors used)."""

    index: pd.Series
    rates: pd.DataFrame  # standardised component rates s(t)
    average_rate: pd.Series  # R(t)
    standardised_rate: pd.Series  # V(t)
    amplitude: pd.Series  # A per component
    index_factor: float  # F


class NBSCompositeIndex:
    """NBS-style 合成指数 (see module doc).

    ``rate_components`` lists the components differenced instead of symmetric-rated; by default,
    every component with a value ≤ 0 is treated that way. Months where components of less than
    ``min_coverage`` of the total weight are observed carry the index forward (and trailing ones are
    dropped).
    """

    def __init__(
        self,
        components: Mapping[str, pd.Series] | pd.DataFrame,
        *,
        weights: Mapping[str, float] | None = None,
        rate_components: Iterable[str] | None = None,
        reference_rate: pd.Series | None = None,
        base_year: int | None = None,
        min_coverage: float = 0.6,
    ) -> None:
        self.data = components_frame(components)
        self.min_coverage = min_coverage
        self.weights = {c: float((weights or {}).get(c, 1.0)) for c in self.data.columns}
        if rate_components is None:
            rate_components = [c for c in self.data.columns if (self.data[c] <= 0).any()]
        self.rate_components = set(rate_components)
        self.reference_rate = reference_rate
        self.base_year = base_year

    def fit(self) -> CompositeResults:
        rates = {}
        amp = {}
        for c in self.data.columns:
            ch = symmetric_change(self.data[c], difference=c in self.rate_components)
            a = ch.abs().mean()
            if not a or np.isnan(a):
                raise ValueError(f"成分“{c}”没有变化或数据不足，无法标准化")
            amp[c] = a
            rates[c] = ch / a
        s = pd.DataFrame(rates)
        w = pd.Series(self.weights)
        observed = s.notna()
        avg = (s.fillna(0.0) * w).sum(axis=1) / (observed * w).sum(axis=1).replace(0.0, np.nan)
        coverage = observed.mul(w, axis=1).sum(axis=1) / w.sum()
        avg = avg.where(coverage >= self.min_coverage)
        avg = avg.iloc[1:]  # the first month has no rate of change
        last = avg.last_valid_index()
        s, avg = s.loc[:last], avg.loc[:last]
        factor = 1.0
        if self.reference_rate is not None:
            ref, _ = as_monthly(self.reference_rate)
            factor = float(avg.abs().mean() / ref.abs().mean())
        v = avg / factor
        idx = [100.0]
        for val in v:
            prev = idx[-1]
            idx.append(prev if np.isnan(val) else prev * (200.0 + val) / (200.0 - val))
        index = pd.Series(idx, index=s.index, name="composite_index")
        if self.base_year is not None:
            base = index[index.index.year == self.base_year]
            if base.empty:
                raise ValueError(f"基期 {self.base_year} 年不在指数区间内")
            index = index / base.mean() * 100.0
        return CompositeResults(index, s, avg.rename("R"), v.rename("V"), pd.Series(amp), factor)


def double_hp(y: pd.Series, *, ratio: bool = False) -> pd.Series:
    """Cycle of ``y``: HP(λ=133107.94) detrending, then HP(λ=13.93) smoothing (OECD).

    ``ratio=True`` returns the ratio to trend ×100 − 100 (for positive levels), else the deviation.
    """
    from statsmodels.tsa.filters.hp_filter import hpfilter

    x = y.dropna()
    if len(x) < 36:
        raise ValueError(f"“{y.name}”不足 36 个月，无法做 HP 滤波")
    if ratio:
        if (x <= 0).any():
            raise ValueError(f"“{y.name}”含非正值，不能用趋势比（ratio-to-trend）")
        _, trend = hpfilter(np.log(x), lamb=HP_TREND_LAMBDA)
        cycle = 100.0 * (np.exp(np.log(x) - trend) - 1.0)
    else:
        _, trend = hpfilter(x, lamb=HP_TREND_LAMBDA)
        cycle = x - trend
    _, smooth = hpfilter(cycle, lamb=HP_SMOOTH_LAMBDA)
    return pd.Series(np.asarray(smooth), index=x.index, name=y.name)


def normalise(c: pd.Series) -> pd.Series:
    """(c − mean) / mean absolute deviation."""
    d = c - c.mean()
    mad = d.abs().mean()
    if not mad:
        raise ValueError(f"“{c.name}”没有波动，无法标准化")
    return d / mad


@dataclass
class CLIResults:
    """Output of :class:`OECDLeadingIndicator`."""

    index: pd.Series  # 100 + average normalised cycle
    cycles: pd.DataFrame  # normalised component cycles
    coverage: pd.Series  # share of components present per month


class OECDLeadingIndicator:
    """OECD-style composite leading indicator (see module doc).

    ``seasonal`` names the components to seasonally adjust first (X-13/STL with the Spring
    Festival); ``ratio`` names those detrended as ratio to trend; ``min_coverage`` is the share of
    components a month needs (OECD uses 60 %).
    """

    def __init__(
        self,
        components: Mapping[str, pd.Series] | pd.DataFrame,
        *,
        seasonal: Iterable[str] = (),
        ratio: Iterable[str] = (),
        min_coverage: float = 0.6,
        sa_method: str = "auto",
    ) -> None:
        self.data = components_frame(components)
        self.seasonal = set(seasonal)
        self.ratio = set(ratio)
        self.min_coverage = min_coverage
        self.sa_method = sa_method

    def fit(self) -> CLIResults:
        from yacang.analysis.seasonal import SeasonalAdjustment

        cycles = {}
        for c in self.data.columns:
            y = self.data[c]
            y = y.loc[y.first_valid_index() : y.last_valid_index()].interpolate()
            if c in self.seasonal:
                y = SeasonalAdjustment(y, method=self.sa_method, jan_feb="rate").fit().adjusted.rename(c)  # type: ignore[arg-type]
            cycles[c] = normalise(double_hp(y.rename(c), ratio=c in self.ratio))
        frame = pd.DataFrame(cycles).reindex(self.data.index)
        coverage = frame.notna().mean(axis=1)
        avg = frame.mean(axis=1).where(coverage >= self.min_coverage)
        index = (100.0 + avg).dropna().rename("cli")
        return CLIResults(index, frame, coverage.rename("coverage"))

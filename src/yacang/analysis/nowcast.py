"""Nowcast of 规模以上工业增加值 当月同比 before its release.

NBS releases the month's industrial value added around the 15th of the next month. Earlier come the
manufacturing PMI and its sub-indices (last day of the month), PPI/PPIRM (around the 10th), and the
weekly/daily high-frequency operating rates, output and coal burn of the month itself. A nowcast of
month T therefore uses: the target up to the previous release, and every indicator up to month T —
except those published with 工业增加值 itself (出口交货值), which are known only to T−1
(:attr:`NowcastInputs.lags`).

The target lives on the **release calendar**: one observation per release; in years with a merged
1-2月 release, February stands for the merged January–February figure and January has no row.
Indicators are monthly; for a merged release they are averaged over January and February.

Models (all share ``nowcast(inputs, period) -> float`` and see only the information set of
:func:`information_set`):

* :class:`RandomWalk` — the previous release;
* :class:`AR1` — OLS of a release on the previous one;
* :class:`WorkdayBridgeNowcaster` — the change of 同比 from the last release explained by the change
  of the working-day ratio, of PMI 生产 and PPI, and mean reversion (2020–2021 left out of the estimation);
* :class:`BridgeNowcaster` — one bridge regression per indicator, averaged (forecast combination).
  Each explains ``D(t)``, the month-on-month change of a log pseudo-level chained from 同比
  (:func:`pseudo_level`), by release-slot dummies, the change of the Spring Festival regressor, last
  year's same-slot ``D`` and the indicator ``x(t), x(t−1)``; the nowcast
  ``y(T) = exp(C(T−1) + D̂(T) − C(T−12)) − 1`` then carries base effects (2021's rebound from
  2020) exactly. Estimated on the last 48 releases, leaving out the 2020-02…04 shock;
* :class:`DFMNowcaster` — statsmodels ``DynamicFactorMQ`` on the monthly panel (calendar-adjusted
  ``D`` of the target, PMI levels, monthly changes of the 同比-type indicators), re-estimated every
  ``refit_every`` months on the data available then and applied to the current information set;
  the nowcast is the smoothed target at T, converted back to 同比 as above;
* :class:`CalendarNowcaster` — the calendar/base-effect part alone (an ablation);
* :class:`yacang.analysis.nowcast_delta.DeltaBridgeNowcaster` — the change of 同比 on the changes of
  working days, of the Spring Festival placement and of PMI 生产 (from last month or a year ago),
  estimated on every release including the 2020 shock;
* :class:`yacang.analysis.nowcast_ridge.RidgeDeltaBridgeNowcaster` — the same calendar terms and the
  change of **every** loaded indicator (PMI, PPI, 出口交货值 one release back, the high-frequency
  operating rates and outputs), ridge-shrunk with a penalty fixed on 2010–2014;
* :mod:`yacang.analysis.nowcast_small` — small Δ同比 bridges on the calendar and PMI 生产 (level, changes,
  a deep-contraction hinge, PPI/出口交货值, fixed ½–½ with AR(1) or the random walk), specified and
  committed before scoring (issue 18; a side table of the benchmark, not in the default table);
* :class:`yacang.analysis.nowcast_base.BaseEffectNowcaster` — last year's change of 同比 reversed
  (the 两年平均 arithmetic; a side table of the benchmark, not in the default table).

The default nowcast (:func:`default_combination`) is the equal-weight mean of the two Δ同比 bridges
and AR(1): over 2015–2025 without 2020–2021 it is the best of the table (``benchmarks/nowcast.py``).

The result names every indicator the models read (used, or absent and why) and, from
:mod:`yacang.analysis.nowcast_unusual`, each used indicator whose change is far outside its history
(PMI 生产 in 2022-04): there the linear bridges extrapolate and the reader is told so.

:func:`nowcast_alert` turns a nowcast into the alert-message dict used by the CLI's ``--json``.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import numpy as np
import pandas as pd

from yacang.analysis.monthly import as_monthly
from yacang.formatting import date_zh
from yacang.periods import Period, jan_feb_merged

if TYPE_CHECKING:
    from yacang.analysis.nowcast_unusual import UnusualMove


# -- inputs and the information set ------------------------------------------------------------------
@dataclass
class NowcastInputs:
    """The target on its release calendar and the monthly indicators."""

    target: pd.Series  # PeriodIndex of release periods; Feb = 1-2月 in merged years
    indicators: pd.DataFrame  # monthly PeriodIndex
    merged_years: set[int] = field(default_factory=set)
    labels: dict[str, str] = field(default_factory=dict)  # column -> Chinese name
    lags: dict[str, int] = field(default_factory=dict)  # column -> releases behind the target (0 if absent)

    @classmethod
    def build(
        cls,
        target: pd.Series,
        indicators: pd.DataFrame | dict[str, pd.Series],
        labels: dict[str, str] | None = None,
        *,
        merge_all_jan_feb: bool = True,
        lags: dict[str, int] | None = None,
    ) -> NowcastInputs:
        """From a target series (codes, PeriodIndex or DatetimeIndex) and monthly indicators.

        With ``merge_all_jan_feb`` every year is put on the NBS release calendar of 2013 on: where
        January and February were published separately, their mean stands for 1-2月. ``lags`` gives,
        per indicator, how many releases it trails the target: 出口交货值 comes out with 工业增加值, so
        when month T is nowcast only its T−1 value is known (lag 1).
        """
        y, merged = as_monthly(target)
        if merge_all_jan_feb:
            for year in sorted(set(y.index.year)):
                jan, feb = pd.Period(f"{year}-01", "M"), pd.Period(f"{year}-02", "M")
                if year not in merged and jan in y.index and feb in y.index and pd.notna(y[jan]) and pd.notna(y[feb]):
                    y[feb] = (y[jan] + y[feb]) / 2.0
                    y[jan] = np.nan
                    merged.add(year)
        y = y.dropna()
        if isinstance(indicators, dict):
            cols = {k: as_monthly(v)[0] for k, v in indicators.items()}
            indicators = pd.DataFrame(cols)
        else:
            indicators = pd.DataFrame({c: as_monthly(indicators[c])[0] for c in indicators.columns})
        return cls(y.rename("target"), indicators.sort_index(), set(merged), dict(labels or {}), dict(lags or {}))

    def replace(self, **changes: object) -> NowcastInputs:
        """A copy with some fields replaced (sets and dicts copied)."""
        fields = {"target": self.target, "indicators": self.indicators, "merged_years": set(self.merged_years),
                  "labels": dict(self.labels), "lags": dict(self.lags)}
        fields.update(changes)
        return NowcastInputs(**fields)  # type: ignore[arg-type]

    def lag(self, column: str) -> int:
        return int(self.lags.get(column, 0))

    def is_merged(self, period: pd.Period) -> bool:
        return period.year in self.merged_years and period.month == 2

    def release_periods(self, start: pd.Period, end: pd.Period) -> list[pd.Period]:
        """Release periods between start and end (no January in merged years)."""
        out = []
        for p in pd.period_range(start, end, freq="M"):
            if p.month == 1 and p.year in self.merged_years:
                continue
            out.append(p)
        return out

    def previous_release(self, period: pd.Period) -> pd.Period:
        p = period - 1
        if p.month == 1 and p.year in self.merged_years:
            p = p - 1
        return p

    def same_release_last_year(self, period: pd.Period) -> pd.Period:
        p = period - 12
        if p.month == 1 and p.year in self.merged_years:  # last year merged, this year not
            p = p + 1
        return p

    def indicator_at(self, period: pd.Period) -> pd.Series:
        """Indicators for the release ``period`` (mean over January–February for a merged release)."""
        if self.is_merged(period):
            rows = self.indicators.reindex([period - 1, period])
            return rows.mean(axis=0)
        return self.indicators.reindex([period]).iloc[0]

    def release_indicators(self, periods: list[pd.Period]) -> pd.DataFrame:
        """:meth:`indicator_at` for many releases at once (one row per period)."""
        idx = pd.PeriodIndex(periods, freq="M")
        now = self.indicators.reindex(idx).to_numpy(dtype=float)
        merged = np.array([self.is_merged(p) for p in periods], dtype=bool)
        if merged.any():
            before = self.indicators.reindex(idx - 1).to_numpy(dtype=float)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # both months missing: NaN
                mean = np.nanmean(np.stack([before, now]), axis=0)
            now = np.where(merged[:, None], mean, now)
        return pd.DataFrame(now, index=idx, columns=self.indicators.columns)


def information_set(inputs: NowcastInputs, period: pd.Period) -> NowcastInputs:
    """What is known just before the release of ``period``: the target before it, indicators to it.

    The release calendar: PMI (last day of the month), PPI (about the 10th) and high-frequency data
    (within the month) precede the ~15th release of 工业增加值, so they are known up to ``period``;
    an indicator with lag ``k`` (:attr:`NowcastInputs.lags`, e.g. 出口交货值, published together with
    工业增加值) only up to the release ``k`` steps earlier. Every model receives only this, which is
    what makes the backtest pseudo-real-time (latest vintages, but no value released after the
    nowcast date).
    """
    first_month = period - 1 if inputs.is_merged(period) else period
    target = inputs.target[inputs.target.index < first_month]
    indicators = inputs.indicators[inputs.indicators.index <= period].copy()
    for column in indicators.columns:
        last = period
        for _ in range(inputs.lag(column)):
            last = inputs.previous_release(last)
        indicators.loc[indicators.index > last, column] = np.nan
    return inputs.replace(target=target, indicators=indicators)


def release_back(inputs: NowcastInputs, period: pd.Period, steps: int) -> pd.Period:
    """The release ``steps`` releases before ``period``."""
    for _ in range(steps):
        period = inputs.previous_release(period)
    return period


class Nowcaster(Protocol):
    name: str

    def nowcast(self, inputs: NowcastInputs, period: pd.Period) -> float: ...


# -- benchmarks ------------------------------------------------------------------------------------------
def _release_history(inputs: NowcastInputs, period: pd.Period) -> pd.DataFrame:
    """y, y(t−1 release), y(t−12) on the release calendar, for releases before ``period``."""
    y = inputs.target
    periods = [p for p in y.index if p < period]
    rows = []
    for p in periods:
        prev, ly = inputs.previous_release(p), inputs.same_release_last_year(p)
        rows.append((p, y.get(p), y.get(prev, np.nan), y.get(ly, np.nan)))
    return pd.DataFrame(rows, columns=["period", "y", "y_prev", "y_ly"]).set_index("period")


@dataclass
class RandomWalk:
    name: str = "随机游走"

    def nowcast(self, inputs: NowcastInputs, period: pd.Period) -> float:
        return float(inputs.target.get(inputs.previous_release(period), np.nan))


@dataclass
class AR1:
    name: str = "AR(1)"
    window: int | None = 120  # releases used (rolling, as the bridge regressions); None: all

    def nowcast(self, inputs: NowcastInputs, period: pd.Period) -> float:
        h = _release_history(inputs, period).dropna(subset=["y", "y_prev"])
        if self.window:
            h = h.iloc[-self.window :]
        prev = inputs.target.get(inputs.previous_release(period), np.nan)
        if len(h) < 12 or np.isnan(prev):
            return float(prev)
        b, a = np.polyfit(h["y_prev"], h["y"], 1)
        return float(a + b * prev)


# -- bridge regressions ----------------------------------------------------------------------------------
# -- bridge regressions on the pseudo-level ------------------------------------------------------------
SHOCK_PERIODS = frozenset(pd.period_range("2020-02", "2020-04", freq="M"))
"""Releases left out of the bridge estimation once known: the 2020 lockdown collapse and rebound,
whose month-on-month swings would otherwise distort the release-slot effects for a decade."""


def pseudo_level(inputs: NowcastInputs) -> pd.Series:
    """Log pseudo-level chained from 同比: ``C(t) = log(1 + y(t)/100) + C(t−12)`` on the release calendar.

    Each release slot (1-2月, 3月 … 12月) is its own chain starting at 0, so ``C(t) − C(t−1)`` is the
    month-on-month log change of the underlying level plus a constant per slot (absorbed by slot
    dummies). A model of this change, converted back with ``y(t) = exp(C(t) − C(t−12)) − 1``,
    reproduces base effects (2021, 2022) exactly.
    """
    c: dict[pd.Period, float] = {}
    for p in sorted(inputs.target.index):
        base = c.get(inputs.same_release_last_year(p), 0.0)
        c[p] = float(np.log1p(inputs.target[p] / 100.0)) + base
    return pd.Series(c, dtype=float).sort_index()


def _festival_change(periods: list[pd.Period], merged_years: set[int]) -> np.ndarray:
    """Change of the centred festival regressor from the previous release (merged 1-2月 averaged)."""
    from yacang.analysis.calendar import SPRING_FESTIVAL, festival_regressor
    from yacang.analysis.monthly import merge_regressor

    first = max(min(periods) - 13, pd.Period(f"{min(SPRING_FESTIVAL)}-01", "M"))
    idx = pd.period_range(first, max(periods), freq="M")
    x = merge_regressor(festival_regressor(idx), merged_years)
    prev = [p - 2 if (p.month == 3 and p.year in merged_years) else p - 1 for p in periods]
    return x.reindex(periods).to_numpy() - x.reindex(prev).to_numpy()


@dataclass
class CalendarFrame:
    """The pseudo-level change ``D`` of past releases and its calendar design (see :func:`calendar_frame`)."""

    periods: list[pd.Period]  # past releases, then the nowcast period last
    d: np.ndarray  # D of the past releases (len(periods) − 1)
    design: np.ndarray  # one row per period: constant, slot dummies, festival change, clean D(t−12)
    train: np.ndarray  # indices of past releases usable for estimation (window applied)
    c_prev: float  # C of the previous release
    c_ly: float  # C of the same release a year earlier

    def to_yoy(self, d_hat: float) -> float:
        """同比 (%) of the nowcast period given its predicted ``D``."""
        return float(np.expm1(self.c_prev + d_hat - self.c_ly) * 100.0)


def calendar_frame(inputs: NowcastInputs, period: pd.Period, window: int | None) -> CalendarFrame:
    """Design shared by the D-models: release-slot dummies, the festival change, and last year's
    same-slot ``D`` (which tracks slowly changing seasonality; shock releases in it are replaced by
    the slot's average so that the 2020 collapse does not leak into 2021's estimate)."""
    level = pseudo_level(inputs)
    periods = [p for p in level.index if p < period]
    all_p = [*periods, period]
    prev = [inputs.previous_release(p) for p in periods]
    d = level.reindex(periods).to_numpy() - level.reindex(prev).to_numpy()
    clean = pd.Series(d, index=pd.PeriodIndex(periods, freq="M"))
    clean[[p in SHOCK_PERIODS for p in periods]] = np.nan
    slot_mean = clean.groupby(clean.index.month).mean()

    def lag12(p: pd.Period) -> float:
        q = inputs.same_release_last_year(p)
        v = clean.get(q, np.nan)
        return float(slot_mean.get(q.month, np.nan)) if np.isnan(v) else float(v)

    design = np.column_stack([_slot_design(all_p, inputs.merged_years), [lag12(p) for p in all_p]])
    ok = ~np.isnan(d) & ~np.array([p in SHOCK_PERIODS for p in periods]) & ~np.isnan(design[:-1]).any(axis=1)
    train = np.flatnonzero(ok)
    if window:
        train = train[-window:]
    return CalendarFrame(
        all_p, d, design, train,
        float(level.get(inputs.previous_release(period), np.nan)),
        float(level.get(inputs.same_release_last_year(period), np.nan)),
    )


@dataclass
class BridgeNowcaster:
    """Forecast combination of one bridge regression per indicator (see module doc).

    Each equation explains the month-on-month change of the pseudo-level (:func:`pseudo_level`),
    ``D(t) = C(t) − C(t−1)``, by the calendar design of :func:`calendar_frame` and the indicator
    ``x(t), x(t−1)``; ``ŷ(T) = exp(C(T−1) + D̂(T) − C(T−12)) − 1``.
    """

    name: str = "桥接回归"
    columns: list[str] | None = None
    min_obs: int = 36
    window: int | None = 48  # releases used for estimation (rolling, about 4½ years), None for all
    last: dict[str, float] = field(default_factory=dict)  # per-indicator nowcasts of the last call

    def nowcast(self, inputs: NowcastInputs, period: pd.Period) -> float:
        cf = calendar_frame(inputs, period, None)
        xs = inputs.release_indicators(cf.periods)
        xs_prev = inputs.release_indicators([inputs.previous_release(p) for p in cf.periods])
        self.last = {}
        if np.isnan(cf.c_prev) or np.isnan(cf.c_ly) or np.isnan(cf.design[-1]).any():
            return AR1().nowcast(inputs, period)
        for c in self.columns or list(inputs.indicators.columns):
            feats = np.column_stack([cf.design, xs[c].to_numpy(), xs_prev[c].to_numpy()])
            ok = np.isin(np.arange(len(cf.d)), cf.train) & ~np.isnan(feats[:-1]).any(axis=1)
            rows = np.flatnonzero(ok)
            if self.window:
                rows = rows[-self.window :]
            if len(rows) < self.min_obs or np.isnan(feats[-1]).any():
                continue
            beta, *_ = np.linalg.lstsq(feats[rows], cf.d[rows], rcond=None)
            self.last[c] = cf.to_yoy(float(feats[-1] @ beta))
        if not self.last:
            return AR1().nowcast(inputs, period)
        return float(np.mean(list(self.last.values())))


# -- dynamic factor model --------------------------------------------------------------------------------
def _slot_design(periods: list[pd.Period], merged_years: set[int]) -> np.ndarray:
    """Constant, release-slot dummies (against January, or 1-2月 when merged) and the festival change."""
    slots = pd.get_dummies(pd.Categorical([p.month for p in periods], categories=range(1, 13)),
                           drop_first=True).to_numpy(float)
    return np.column_stack([np.ones(len(periods)), slots, _festival_change(periods, merged_years)])


@dataclass
class DFMNowcaster:
    """``DynamicFactorMQ`` nowcaster (see module doc).

    The target enters as the calendar-adjusted month-on-month change of the pseudo-level
    (:func:`pseudo_level`; the :func:`calendar_frame` effects removed by OLS over the last
    ``window`` releases, the 2020 shock left out), which shares the PMI's month-on-month nature;
    同比-type indicators (PPI, high-frequency yoy) enter as their monthly change. The smoothed
    target at T is converted back to 同比 as in :class:`BridgeNowcaster`.
    """

    name: str = "动态因子模型"
    factors: int = 1
    factor_order: int = 2
    refit_every: int = 12
    window: int = 48
    level_columns: tuple[str, ...] = ("pmi", "pmi_output", "pmi_new_orders")
    maxiter: int = 100
    _fit: object = None
    _fit_period: pd.Period | None = None
    _fit_columns: tuple[str, ...] = ()

    def panel(self, inputs: NowcastInputs, period: pd.Period) -> tuple[pd.DataFrame, CalendarFrame, float]:
        """Monthly panel (adjusted target change, indicators), the calendar frame and its effect at T."""
        cf = calendar_frame(inputs, period, self.window)
        beta, *_ = np.linalg.lstsq(cf.design[cf.train], cf.d[cf.train], rcond=None)
        calendar = cf.design @ beta
        periods = cf.periods[:-1]
        start = periods[cf.train[0]] - 24 if len(cf.train) else period - 72
        idx = pd.period_range(start, period, freq="M")
        y = pd.Series(cf.d - calendar[:-1], index=pd.PeriodIndex(periods, freq="M"))
        y[[p in SHOCK_PERIODS for p in y.index]] = np.nan
        panel = pd.DataFrame(index=idx)
        panel["target"] = y.reindex(idx)
        for c in inputs.indicators.columns:
            x = inputs.indicators[c]
            x = x if c in self.level_columns else x.diff()
            x = x.reindex(idx)
            if x.notna().sum() >= 24:
                panel[c] = x
        return panel, cf, float(calendar[-1])

    def nowcast(self, inputs: NowcastInputs, period: pd.Period) -> float:
        from statsmodels.tsa.statespace.dynamic_factor_mq import DynamicFactorMQ

        panel, cf, calendar = self.panel(inputs, period)
        panel.index = pd.DatetimeIndex(panel.index.to_timestamp(how="end").normalize(), freq="ME")
        cols = tuple(panel.columns)
        stale = (
            self._fit is None
            or self._fit_columns != cols
            or self._fit_period is None
            or period < self._fit_period
            or (period - self._fit_period).n >= self.refit_every
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if stale:
                mod = DynamicFactorMQ(panel, factors=self.factors, factor_orders=self.factor_order,
                                      idiosyncratic_ar1=True)
                res = mod.fit(disp=False, maxiter=self.maxiter)
                self._fit, self._fit_period, self._fit_columns = res, period, cols
            else:
                res = self._fit.apply(panel)  # type: ignore[attr-defined]
            pred = res.get_prediction(information_set="smoothed").predicted_mean
        return cf.to_yoy(float(pred["target"].iloc[-1]) + calendar)


@dataclass
class CalendarNowcaster:
    """No indicators: the pseudo-level change predicted by the calendar design alone.

    An ablation for the backtest: what part of the gain over AR(1) comes from handling base
    effects and the calendar, rather than from the early indicators.
    """

    name: str = "基数与日历效应(无指标)"
    window: int = 48
    columns: tuple[str, ...] = ()  # reads no indicator

    def nowcast(self, inputs: NowcastInputs, period: pd.Period) -> float:
        cf = calendar_frame(inputs, period, self.window)
        if len(cf.train) < 24 or np.isnan(cf.c_prev) or np.isnan(cf.c_ly) or np.isnan(cf.design[-1]).any():
            return AR1().nowcast(inputs, period)
        beta, *_ = np.linalg.lstsq(cf.design[cf.train], cf.d[cf.train], rcond=None)
        return cf.to_yoy(float(cf.design[-1] @ beta))


def shock_base_effect(inputs: NowcastInputs, periods: list[pd.Period]) -> np.ndarray:
    """Per release, the abnormal part (log points ×100) of the year-earlier release's month-on-month
    change when that release was a shock month (:data:`SHOCK_PERIODS`), else 0: the base effect
    that adds to the change of 同比 (``y(T) − y(T−1) ≈ D(T) − D(T−12)``) with a minus sign."""
    level = pseudo_level(inputs)
    prev = {p: inputs.previous_release(p) for p in level.index}
    d = pd.Series({p: level[p] - level[prev[p]] for p in level.index if prev[p] in level.index}, dtype=float)
    normal = d[[p not in SHOCK_PERIODS for p in d.index]]
    slot_mean = normal.groupby(normal.index.month).mean()

    def part(p: pd.Period) -> float:
        if p not in SHOCK_PERIODS or p not in d.index:
            return 0.0
        return 100.0 * float(d[p] - slot_mean.get(p.month, np.nan))

    return np.array([part(inputs.same_release_last_year(p)) for p in periods], dtype=float)


ESTIMATION_GAP = frozenset(pd.period_range("2020-01", "2021-06", freq="M"))
"""Releases left out of the working-day change bridge's estimation: the lockdown months and the
2021 releases whose changes are dominated by the 2020 base."""


@dataclass
class WorkdayBridgeNowcaster:
    """Change bridge with the working-day calendar: the strong model of the change of 同比.

    Last month's 同比 is known at nowcast time, so the model explains its change (log points ×100)
    ``Δy(T) = a + b·Δwd(T) + Σ c_k·Δx_k(T) + r·g(T−1)`` with ``Δwd`` the change of the year-on-year log
    ratio of working days (:mod:`yacang.analysis.nowcast_workdays`), ``Δx`` the change from the
    previous release of each indicator in ``columns`` (for one with a publication lag, its latest
    known change) and ``g`` the gap of the last release from the mean of the last ``reversion``
    releases (mean reversion; None leaves it out). OLS on every release since ``start_year`` before ``period`` outside
    :data:`ESTIMATION_GAP`; the 2020 base effect enters deterministically (:func:`shock_base_effect`).
    An indicator missing at ``period`` is dropped from that month's equation (see ``last_missing``).
    The specification (PMI 生产 and PPI changes, the 24-release gap) was chosen on nowcasts of
    2010–2014, before the evaluation window.
    """

    name: str = "工作日同比变动桥接"
    columns: tuple[str, ...] = ("pmi_output", "ppi")
    reversion: int | None = 24
    start_year: int = 2006
    min_obs: int = 36
    last_missing: list[str] = field(default_factory=list)
    last_used: list[str] = field(default_factory=list)  # indicators the last nowcast read ([] on the AR(1) fallback)

    def _changes(self, inputs: NowcastInputs, periods: list[pd.Period], column: str) -> np.ndarray:
        k = inputs.lag(column)
        now = [release_back(inputs, p, k) for p in periods]
        before = [inputs.previous_release(p) for p in now]
        return (inputs.release_indicators(now)[column].to_numpy()
                - inputs.release_indicators(before)[column].to_numpy())

    def nowcast(self, inputs: NowcastInputs, period: pd.Period) -> float:
        from yacang.analysis.nowcast_workdays import workday_yoy

        y = inputs.target
        ly = 100.0 * np.log1p(y / 100.0)
        periods = [p for p in y.index if self.start_year <= p.year and p < period]
        all_p = [*periods, period]
        prev = [inputs.previous_release(p) for p in all_p]
        dy = np.array([ly.get(p, np.nan) - ly.get(q, np.nan) for p, q in zip(all_p, prev, strict=True)])

        def wd(p: pd.Period) -> float:
            ly_p = inputs.same_release_last_year(p)
            return workday_yoy(p, ly_p, inputs.is_merged(p), inputs.is_merged(ly_p))

        dwd = np.array([wd(p) - wd(q) for p, q in zip(all_p, prev, strict=True)])
        base = shock_base_effect(inputs, all_p)
        cols = [c for c in self.columns if c in inputs.indicators.columns]
        xs = {c: self._changes(inputs, all_p, c) for c in cols}
        self.last_missing = [c for c in self.columns if c not in xs or np.isnan(xs[c][-1])]
        extra = [xs[c] for c in cols if c not in self.last_missing]
        if self.reversion:
            trailing = ly.rolling(self.reversion, min_periods=self.reversion).mean()
            extra.append(np.array([ly.get(q, np.nan) - trailing.get(q, np.nan) for q in prev]))
        feats = np.column_stack([np.ones(len(all_p)), dwd, *extra])
        usable = np.array([p not in ESTIMATION_GAP for p in periods]) & ~np.isnan(dy[:-1])
        rows = np.flatnonzero(usable & ~np.isnan(feats[:-1]).any(axis=1))
        ly_prev = float(ly.get(prev[-1], np.nan))
        self.last_used = []
        if len(rows) < self.min_obs or np.isnan(ly_prev):
            return AR1().nowcast(inputs, period)
        self.last_used = [c for c in cols if c not in self.last_missing]
        beta, *_ = np.linalg.lstsq(feats[rows], dy[rows] + base[rows], rcond=None)
        return float(np.expm1((ly_prev + float(feats[-1] @ beta) - base[-1]) / 100.0) * 100.0)


@dataclass
class ChangeBridgeNowcaster:
    """Bridge regressions on the change of 同比, with the base effect handled exactly.

    Since ``y(T) − y(T−1) ≈ D(T) − D(T−12)``, the change of 同比 is modelled per indicator as
    ``a + b·Δx(T)`` — Δx the 12-month change of PMI-type levels (month-on-month signals), the
    1-month change of 同比-type indicators — on releases whose own and year-earlier ``D`` are
    normal. When the year-earlier release was a shock month (2020-02…04), its abnormal part
    ``D(T−12) − slot mean`` is subtracted deterministically: this is the base effect. Averaged over
    indicators; with no indicator it is a random walk with base-effect correction.
    """

    name: str = "同比变动桥接"
    columns: list[str] | None = None
    level_columns: tuple[str, ...] = ("pmi", "pmi_output", "pmi_new_orders")
    window: int = 48
    min_obs: int = 24
    last: dict[str, float] = field(default_factory=dict)

    def nowcast(self, inputs: NowcastInputs, period: pd.Period) -> float:
        periods = [p for p in inputs.target.index if p < period]
        all_p = [*periods, period]
        y = inputs.target
        prev = {p: inputs.previous_release(p) for p in all_p}
        ly = 100.0 * np.log1p(y / 100.0)  # 同比 in log points, so that changes add up exactly
        dy = np.array([ly.get(p, np.nan) - ly.get(prev[p], np.nan) for p in all_p], dtype=float)
        base = shock_base_effect(inputs, all_p)
        clean_dy = dy + base  # the change of 同比 without the base effect
        usable = np.array([
            p not in SHOCK_PERIODS and inputs.same_release_last_year(p) not in SHOCK_PERIODS
            and inputs.previous_release(p) not in SHOCK_PERIODS for p in all_p
        ])
        ly_prev = float(ly.get(prev[period], np.nan))
        xs = inputs.release_indicators(all_p)
        self.last = {}
        for c in self.columns or list(inputs.indicators.columns):
            lag = 12 if c in self.level_columns else 1
            back = [p - lag if lag == 12 else prev[p] for p in all_p]
            dx = xs[c].to_numpy() - inputs.release_indicators(back)[c].to_numpy()
            ok = usable[:-1] & ~np.isnan(dx[:-1]) & ~np.isnan(clean_dy[:-1])
            rows = np.flatnonzero(ok)[-self.window :]
            if len(rows) < self.min_obs or np.isnan(dx[-1]):
                continue
            b, a = np.polyfit(dx[rows], clean_dy[rows], 1)
            self.last[c] = float(np.expm1((ly_prev + a + b * dx[-1] - base[-1]) / 100.0) * 100.0)
        if not self.last:
            return float(np.expm1((ly_prev - base[-1]) / 100.0) * 100.0)
        return float(np.mean(list(self.last.values())))


# -- the result and the alert ----------------------------------------------------------------------------
INDICATOR_STATES = {"used": "已用", "not_loaded": "仓库中没有", "unpublished": "尚未发布", "missing": "应已发布但尚无数据",
                    "unused": "有值但未用"}
"""What :attr:`IndicatorStatus.state` can be, with its Chinese word."""


def _spec(key: str):
    """The :class:`yacang.analysis.data.IndicatorSpec` of a column key, or None for an ad hoc column."""
    from yacang.analysis.data import INDICATORS

    return next((s for s in INDICATORS if s.key == key), None)


def release_date(key: str, month: pd.Period) -> dt.date | None:
    """When month ``month``'s value of indicator ``key`` comes out by the release calendar
    (``IndicatorSpec.release_day``: a day of the next month, 0 for the month's own last day); None
    for a column the catalogue does not know."""
    spec = _spec(key)
    if spec is None:
        return None
    if spec.release_day == 0:
        return month.end_time.date()
    after = month + 1
    return dt.date(after.year, after.month, spec.release_day)


def as_release(month: pd.Period, merged: bool) -> Period:
    """A release as the one period type (:mod:`yacang.periods`): ``.code`` ``2022-01/02``, ``.label_zh()``
    ``2022年1-2月`` for a merged 1-2月, else the month."""
    return Period.jan_feb(month.year) if merged else Period.month(month.year, month.month)


@dataclass(frozen=True)
class IndicatorStatus:
    """One indicator the nowcast's models read, or would read: used, or absent and why.

    ``state`` is one of :data:`INDICATOR_STATES`: ``used``; ``not_loaded`` (no such series in the
    data); ``unpublished`` (the value the nowcast needs — for the period, or the release before it
    for an indicator published with 工业增加值 — is due after ``as_of`` by the release calendar);
    ``missing`` (due by ``as_of`` but not in the data: not loaded yet, or a gap); ``unused`` (the value is
    there but no model could use it: too little history to estimate its equation). ``skipped_by`` names
    the models that read it, had its value and still left it out.
    """

    key: str
    label: str
    models: tuple[str, ...]  # the models that read it
    state: str
    month: pd.Period | None = None  # the release whose value is needed (None when not loaded)
    merged: bool = False  # that release is a merged 1-2月
    due: dt.date | None = None  # its release date by the calendar
    skipped_by: tuple[str, ...] = ()  # models that had the value but could not use it

    @property
    def used(self) -> bool:
        return self.state == "used"

    @property
    def reason(self) -> str:
        """Why it is absent, in one Chinese phrase ('' when used)."""
        if self.state == "used":
            return ""
        if self.state == "not_loaded":
            return f"仓库中没有{self.label}，请先用 yacang ingest 导入"
        when = as_release(self.month, self.merged).label_zh() if self.month is not None else ""
        if self.state == "unused":
            return f"{when}的{self.label}已有，但历史数据不足，无法估计其方程，未用"
        due = date_zh(self.due) if self.due is not None else ""
        if self.state == "unpublished":
            return f"{when}的{self.label}按发布日历约{due}发布，尚未发布" if due else f"{when}的{self.label}尚未发布"
        if due:
            return f"{when}的{self.label}按发布日历应已于约{due}发布，数据中尚无，请导入最新数据"
        return f"{when}的{self.label}尚无数据"

    def record(self) -> dict[str, object]:
        """A JSON/CSV row: key, label, state (and its Chinese word), month, due date, reason, models."""
        return {"key": self.key, "label": self.label, "state": self.state, "状态": INDICATOR_STATES[self.state],
                "month": as_release(self.month, self.merged).code if self.month else None,
                "due": self.due.isoformat() if self.due else None, "reason": self.reason,
                "models": list(self.models), "skipped_by": list(self.skipped_by)}


def columns_used(model: Nowcaster) -> list[str] | None:
    """The indicator columns ``model``'s last nowcast actually read (an equation was estimated with
    them), or None when the model does not say (then every column it reads with a value counts)."""
    if isinstance(model, AR1 | RandomWalk | CalendarNowcaster):
        return []
    if hasattr(model, "last_used"):
        return list(model.last_used)
    if isinstance(model, BridgeNowcaster | ChangeBridgeNowcaster):
        return list(model.last)
    if isinstance(model, DFMNowcaster):
        return [c for c in model._fit_columns if c != "target"]
    return None


def indicator_statuses(models: list[Nowcaster], inputs: NowcastInputs, info: NowcastInputs,
                       period: pd.Period, as_of: dt.date) -> list[IndicatorStatus]:
    """Per indicator the ``models`` read (explicit ``columns``; a model without them reads every loaded
    column; AR(1) and the random walk none), whether the information set ``info`` of ``period``
    has the value it needs, and if not why (see :class:`IndicatorStatus`). Call after the models'
    nowcasts of ``period``: a model that had the value but could not use it (:func:`columns_used`)
    is named in ``skipped_by``."""
    wanted: dict[str, list[str]] = {}
    for m in models:
        if isinstance(m, AR1 | RandomWalk):
            continue
        cols = getattr(m, "columns", None)
        for c in (inputs.indicators.columns if cols is None else cols):
            wanted.setdefault(c, []).append(m.name)
    out = []
    for key, names in wanted.items():
        spec = _spec(key)
        label = inputs.labels.get(key) or (spec.label if spec is not None else key)
        if key not in info.indicators.columns:
            out.append(IndicatorStatus(key, label, tuple(names), "not_loaded"))
            continue
        month = release_back(info, period, info.lag(key))
        merged = info.is_merged(month)
        skipped: tuple[str, ...] = ()
        if pd.notna(info.indicator_at(month).get(key)):
            due = None
            used = {m.name: columns_used(m) for m in models if m.name in names}
            skipped = tuple(n for n in names if used[n] is not None and key not in used[n])
            state = "unused" if len(skipped) == len(names) else "used"
        else:
            due = release_date(key, month)
            state = "unpublished" if due is not None and as_of < due else "missing"
        out.append(IndicatorStatus(key, label, tuple(names), state, month, merged, due, skipped))
    return out


@dataclass
class NowcastResult:
    """A nowcast of one release, with each indicator the models read (used, or absent and why)."""

    period: pd.Period
    value: float
    previous: float
    merged: bool
    model: str
    by_model: dict[str, float] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # loaded indicators with no value yet for the period
    used: list[str] = field(default_factory=list)  # indicators with a value for the period
    indicators: list[IndicatorStatus] = field(default_factory=list)  # every indicator a model reads
    unusual: list[UnusualMove] = field(default_factory=list)  # rare moves of the used indicators

    @property
    def warning(self) -> str:
        """A Chinese warning when indicators of the period are missing ('' when none are)."""
        if not self.missing:
            return ""
        if not self.used:
            return (f"警告：{self.label}的先行指标（{'、'.join(self.missing)}）均尚无数据，"
                    "本次预测只依据历史同比与基数、日历效应，可靠性低。")
        return f"警告：{self.label}的 {'、'.join(self.missing)} 尚无数据，本次预测只用已有的 {'、'.join(self.used)}。"

    @property
    def label(self) -> str:
        if self.merged:
            return f"{self.period.year}年1-2月"
        return f"{self.period.year}年{self.period.month}月"

    @property
    def change(self) -> float:
        return self.value - self.previous

    @property
    def absent(self) -> list[IndicatorStatus]:
        """The indicators the models would read that the nowcast did not have."""
        return [s for s in self.indicators if not s.used]

    def model_indicators(self, model: str) -> tuple[list[str], list[IndicatorStatus]]:
        """Labels of the indicators ``model`` used, and those it would have read but lacked."""
        mine = [s for s in self.indicators if model in s.models]
        return ([s.label for s in mine if s.used and model not in s.skipped_by],
                [s for s in mine if not s.used or model in s.skipped_by])

    def model_words(self, model: str) -> str:
        """One model's 所用指标: the indicators it read, then those it lacked and why; 无 with the
        reason when it read none."""
        used, absent = self.model_indicators(model)
        lacked = "；".join(s.reason or f"{s.label}历史数据不足，本模型未用" for s in absent)
        if used:
            return "、".join(used) + (f"（缺：{lacked}）" if lacked else "")
        return f"无（{lacked}）" if lacked else "无（只用历史同比）"

    def used_words(self) -> str:
        """The nowcast's 所用先行指标: the indicators used, or 无 with the reasons."""
        if self.used:
            lacked = "；".join(s.reason for s in self.absent)
            return "、".join(self.used) + (f"（缺：{lacked}）" if lacked else "")
        return "无（" + "；".join([*(s.reason for s in self.absent), "只依据历史同比与基数、日历效应"]) + "）"

    def indicator_records(self) -> list[dict[str, object]]:
        """:meth:`IndicatorStatus.record` of every indicator (the JSON/CSV outputs)."""
        return [s.record() for s in self.indicators]


def default_combination() -> list[Nowcaster]:
    """The default nowcast: equal-weight mean of the two Δ同比 bridges and AR(1) (backtest ``组合``)."""
    from yacang.analysis.nowcast_delta import delta_models

    return [*delta_models(), AR1()]


def release_period(period: pd.Period | str) -> tuple[pd.Period, str | None]:
    """The release a nowcast period names, by the one period parser (:func:`yacang.periods.parse_period`)
    and its 1-2月 rule (:func:`yacang.periods.reporting_period`): ``2025-12``, ``2025年12月``, and from 2013
    ``2025-01``, ``2025-02``, ``2025-01/02`` or ``2025年1-2月`` (all the merged 1-2月, returned as February,
    with the rule's note; a 1-2月 before 2013 also stands for February, the nowcast's merged calendar). Anything but a month or 1-2月 raises :class:`yacang.periods.PeriodError`
    with a Chinese message."""
    from yacang.periods import Period, PeriodError, parse_period, reporting_period

    text = str(period) if not isinstance(period, pd.Period) else f"{period.year}-{period.month:02d}"
    try:
        parsed = parse_period(text)
    except PeriodError as exc:
        raise PeriodError(f"现时预测的时期应为月份，如 2025-12、2025年12月或 2025年1-2月；收到“{period}”（{exc}）") from exc
    if parsed.kind not in ("month", "jan_feb"):
        raise PeriodError(f"现时预测按月进行，“{period}”是{parsed.label_zh()}；请给出月份，如 "
                          f"{Period.month(parsed.year, parsed.end).code}")
    release, note = reporting_period(parsed)
    return pd.Period(year=release.year, month=release.end, freq="M"), note


def _next_release(inputs: NowcastInputs) -> pd.Period:
    """The first release after the target's last: the next month, 1-2月 jointly (as February) from 2013."""
    period = inputs.target.index.max() + 1
    return period + 1 if period.month == 1 and _merges(inputs, period.year) else period


def _merges(inputs: NowcastInputs, year: int) -> bool:
    """Whether ``year``'s January and February are one release: merged in the data or by NBS practice."""
    return year in inputs.merged_years or jan_feb_merged(year)


def _release_label(inputs: NowcastInputs, month: pd.Period) -> str:
    return as_release(month, month.month == 2 and _merges(inputs, month.year)).label_zh()


def nowcast(
    inputs: NowcastInputs,
    period: pd.Period | str | None = None,
    models: list[Nowcaster] | None = None,
    as_of: dt.date | None = None,
) -> NowcastResult:
    """Nowcast the first unreleased period (or ``period``) with each model; the value is their mean.

    Default models (:func:`default_combination`, the backtest's ``组合``): the two Δ同比 bridges of
    :mod:`yacang.analysis.nowcast_delta` and AR(1), with equal weights. ``result.indicators`` names
    every indicator the models read, used or absent and why, judged against the release calendar
    on ``as_of`` (default today); the models use only those present. ``result.missing`` (loaded
    but without the needed value) also goes into ``result.warning``.
    """
    following = _next_release(inputs)
    if period is None:
        period = following
        key = "pmi" if "pmi" in inputs.indicators.columns else inputs.indicators.columns[0]
        known = inputs.indicators[key].dropna().index
        if len(known) == 0 or period > known.max():
            name = inputs.labels.get(key, key)
            raise ValueError(f"{_release_label(inputs, period)}的{name}尚未发布，暂不能现时预测")
    period = release_period(period)[0]
    if period > following:  # a forecast several releases ahead is not a nowcast
        latest = inputs.target.index.max()
        raise ValueError(f"最近已发布的是{_release_label(inputs, latest)}，只能现时预测其下一期"
                         f"{_release_label(inputs, following)}（或回溯已发布的月份），不能预测"
                         f"{_release_label(inputs, period)}")
    if period.month == 2 and _merges(inputs, period.year) and period.year not in inputs.merged_years:
        inputs = inputs.replace(merged_years=inputs.merged_years | {period.year})
    info = information_set(inputs, period)
    models = models if models is not None else default_combination()
    values = {m.name: m.nowcast(info, period) for m in models}
    statuses = indicator_statuses(models, inputs, info, period, as_of or dt.date.today())
    missing = [s.label for s in statuses if s.state in ("unpublished", "missing")]
    used = [s.label for s in statuses if s.used]
    finite = [v for v in values.values() if np.isfinite(v)]
    if not finite:
        raise ValueError(f"{period} 无法现时预测：历史数据不足")
    prev = float(info.target.get(info.previous_release(period), np.nan))
    name = "+".join(values) if len(values) > 1 else next(iter(values))
    return NowcastResult(period, float(np.mean(finite)), prev, info.is_merged(period), name, values, missing, used,
                         statuses, _unusual(info, period, statuses))


def _unusual(info: NowcastInputs, period: pd.Period, statuses: list[IndicatorStatus]) -> list[UnusualMove]:
    """The rare moves (:mod:`yacang.analysis.nowcast_unusual`) of the indicators the nowcast used."""
    from yacang.analysis.nowcast_unusual import unusual_moves

    keys = [s.key for s in statuses if s.used]
    units = {k: "点" if (spec := _spec(k)) is None or spec.measure == "level" else "个百分点" for k in keys}
    return unusual_moves(info, period, keys, units)


def nowcast_report(result: NowcastResult, band: object | None = None) -> list[str]:
    """The CLI's text lines for a nowcast: headline, missing-indicator warning, density bands.

    ``band`` is a :class:`yacang.analysis.backtest.DensityBand` (or None). Every line is Chinese
    plain text (no markup), one item per line.
    """
    lines = [f"{result.label} 规模以上工业增加值当月同比现时预测：{result.value:.1f}%（上期 {result.previous:.1f}%）"]
    if result.warning:
        lines.append(result.warning)
    lines.extend(move.words for move in result.unusual)
    if band is not None:
        lo70, hi70 = band.bands[70]  # type: ignore[attr-defined]
        lo90, hi90 = band.bands[90]  # type: ignore[attr-defined]
        since = band.since  # type: ignore[attr-defined]
        since_zh = as_release(since, since.month == 2 and jan_feb_merged(since.year)).label_zh()
        lines.append(f"预测区间：70% [{lo70:.1f}%, {hi70:.1f}%]，90% [{lo90:.1f}%, {hi90:.1f}%]"
                     f"（依据{since_zh}以来{band.n}期伪实时误差的分位数，"  # type: ignore[attr-defined]
                     f"RMSE {band.rmse:.2f}个百分点，不含2020–2021年）")  # type: ignore[attr-defined]
    return lines


def nowcast_or_backcast(inputs: NowcastInputs, period: pd.Period | str | None = None) -> tuple[NowcastResult, str]:
    """:func:`nowcast` of ``period``; without one, when nothing unreleased can be nowcast yet (its PMI is
    not out), the latest release re-run from its own information set, and the Chinese note saying so."""
    try:
        return nowcast(inputs, period), ""
    except ValueError as exc:
        if period is not None:
            raise
        latest = inputs.target.index.max()
        note = (f"{exc}；改为对已发布的最近一期做回溯现时预测（只用其发布前的数据），"
                f"实际值 {inputs.target[latest]:.1f}%。")
        return nowcast(inputs, latest), note


def nowcast_record(inputs: NowcastInputs, result: NowcastResult) -> dict[str, object]:
    """The full alert record (CLI ``--json``, ``GET /api/nowcast``): :func:`nowcast_alert` with the
    actual value when the month is released, the missing-indicator warning, rare moves and each
    indicator's use."""
    actual = inputs.target.get(result.period)
    record = nowcast_alert(result, actual=None if actual is None or pd.isna(actual) else float(actual))
    if result.warning:
        record["warning"] = result.warning
    if result.unusual:
        record["unusual"] = [move.record() for move in result.unusual]
    record["indicators"] = result.indicator_records()
    return record


def _growth_words(value: float) -> str:
    """同比增长5.1% / 同比下降1.0%: the sign in words, as NBS writes it."""
    return f"同比增长{value:.1f}%" if value >= 0 else f"同比下降{abs(value):.1f}%"


def nowcast_alert(result: NowcastResult, indicator: str = "规模以上工业增加值",
                  actual: float | None = None) -> dict[str, object]:
    """The alert-message dict for alerts and the bulletin.

    ``{"rule": "nowcast", "period": "2025-12", "level": "yellow"|"info", "value": 5.1,
    "change": -0.3, "message": "预计12月规模以上工业增加值同比增长5.1%，较上月回落0.3个百分点"}``.
    A fall of 1 percentage point or more, or a forecast decline, is marked ``yellow``. With
    ``actual`` (the month is already released: a backcast) the message says so and gives the error,
    and the level is ``info``: a month already published is not an early warning.
    """
    v, d = round(result.value, 1), round(result.change, 1)
    when = "1-2月" if result.merged else f"{result.period.month}月"
    prev_word = "上年12月" if result.merged else "上月"
    if np.isnan(d):
        trend = ""
    elif d > 0:
        trend = f"，较{prev_word}加快{d:.1f}个百分点"
    elif d < 0:
        trend = f"，较{prev_word}回落{abs(d):.1f}个百分点"
    else:
        trend = f"，与{prev_word}持平"
    release = as_release(result.period, result.merged)
    alert: dict[str, object] = {
        "rule": "nowcast",
        "period": release.code,
        "level": "yellow" if (v < 0 or (not np.isnan(d) and d <= -1.0)) else "info",
        "value": v,
        "change": d,
        "model": result.model,
        "message": f"预计{when}{indicator}{_growth_words(v)}{trend}",
    }
    if actual is not None:
        a = round(float(actual), 1)
        alert |= {"level": "info", "backcast": True, "actual": a,
                  "message": f"回溯（{release.label_zh()}已发布）：现时预测{indicator}{_growth_words(v)}{trend}；"
                             f"实际{_growth_words(a)}，误差{v - a:+.1f}个百分点"}
    return alert

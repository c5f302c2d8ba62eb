"""Pseudo-real-time backtest of nowcasters.

For each release period from ``start`` to ``end`` every model gets only
:func:`yacang.analysis.nowcast.information_set` (the target before the release, indicators up to the
month) — never a value released later. The data are the latest vintages ("pseudo" real time): NBS
rarely revises 当月同比, so the difference from true real time is small.

Scores: RMSE, MAE, and direction accuracy (share of releases where the sign of the predicted change
from the previous release matches the actual one; undefined for the random walk), with RMSE ratios to
AR(1) and to the random walk. Windows (:meth:`BacktestResults.table`): the whole span **excluding
2020–2021** (lockdown and base-effect years, where any model that knows the base wins for free),
2023–2025 separately, and 2020–2021 alone. ``组合`` is the equal-weight mean of the two Δ同比 bridges
and AR(1) of the same information set (computed from their columns; the default nowcast of
:func:`yacang.analysis.nowcast.nowcast`); ``截尾组合`` the trimmed mean of every non-naive model
and AR(1) (highest and lowest nowcast dropped); ``滚动择优`` takes, at each release, the nowcast of the model with the lowest RMSE over the
previous ``SELECTION_WINDOW`` releases (2020–2021 left out) — rolling-origin selection, which uses
only errors known before the release; ``滚动加权`` weights every model of the table (the naive ones
included) by the inverse of its mean squared error over the same past releases (Bates–Granger). The
weighting rule was fixed before its evaluation scores were seen, as the clean alternative to 滚动择优.
Two more rules on the same past errors, both written down before their scores were seen:
``收缩加权`` shrinks those weights halfway toward equal weights (:data:`SHRINKAGE`), ``前半等权``
takes the equal-weight mean of the better half of the models.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from yacang.analysis.nowcast import (
    AR1,
    BridgeNowcaster,
    CalendarNowcaster,
    ChangeBridgeNowcaster,
    DFMNowcaster,
    Nowcaster,
    NowcastInputs,
    RandomWalk,
    WorkdayBridgeNowcaster,
    default_combination,
    information_set,
)
from yacang.analysis.nowcast_delta import delta_models
from yacang.analysis.nowcast_ridge import RidgeDeltaBridgeNowcaster

COVID = (pd.Period("2020-01", "M"), pd.Period("2020-06", "M"))


COMBINED = "组合"
COMBINED_OF = tuple(m.name for m in default_combination())
TRIMMED = "截尾组合"
SELECTED = "滚动择优"
WEIGHTED = "滚动加权"
SHRUNK = "收缩加权"
TOP_HALF = "前半等权"
SELECTION_WINDOW = 36
SHRINKAGE = 0.5
"""Share of the inverse-MSE weights in :func:`shrinkage_combination` (the rest is equal weights);
fixed before its scores were seen."""


def default_models() -> list[Nowcaster]:
    """Every model of the benchmark table, the naive ones included."""
    return [*delta_models(), WorkdayBridgeNowcaster(), RidgeDeltaBridgeNowcaster(), DFMNowcaster(), BridgeNowcaster(),
            ChangeBridgeNowcaster(), CalendarNowcaster(), AR1(), RandomWalk()]


def trimmed_mean(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Row-wise mean of ``columns`` without the highest and the lowest value (NaN skipped)."""
    values = np.sort(frame[columns].to_numpy(dtype=float), axis=1)  # NaN sort last
    n = np.sum(~np.isnan(values), axis=1)
    out = np.full(len(frame), np.nan)
    for i, k in enumerate(n):
        if k >= 3:
            out[i] = float(values[i, 1 : k - 1].mean())
    return pd.Series(out, index=frame.index)


def rolling_selection(frame: pd.DataFrame, candidates: list[str], window: int = SELECTION_WINDOW,
                      exclude_years: tuple[int, ...] = (2020, 2021)) -> pd.Series:
    """At each release, the nowcast of the candidate with the lowest RMSE over the previous ``window``
    releases (``exclude_years`` left out); NaN until ``window`` past errors exist."""
    out = pd.Series(np.nan, index=frame.index)
    errors = frame[candidates].sub(frame["actual"], axis=0) ** 2
    past_ok = ~np.isin(frame.index.year, exclude_years)
    for i, period in enumerate(frame.index):
        past = errors.iloc[:i][past_ok[:i]].tail(window)
        if len(past) < window:
            continue
        best = past.mean().idxmin()
        out[period] = frame.loc[period, best]
    return out


def _rolling_weighted(frame: pd.DataFrame, candidates: list[str], window: int, exclude_years: tuple[int, ...],
                      weigh: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """At each release, the candidates' nowcasts weighted by ``weigh(past MSE per candidate)`` (weights
    summing to 1), the MSE over the previous ``window`` releases outside ``exclude_years``; NaN until
    ``window`` past errors exist or when a candidate has no nowcast."""
    out = pd.Series(np.nan, index=frame.index)
    errors = frame[candidates].sub(frame["actual"], axis=0) ** 2
    past_ok = ~np.isin(frame.index.year, exclude_years)
    for i, period in enumerate(frame.index):
        past = errors.iloc[:i][past_ok[:i]].tail(window)
        now = frame.loc[period, candidates].astype(float)
        if len(past) < window or now.isna().any():
            continue
        out[period] = float((now * weigh(past.mean())).sum())
    return out


def inverse_mse_combination(frame: pd.DataFrame, candidates: list[str], window: int = SELECTION_WINDOW,
                            exclude_years: tuple[int, ...] = (2020, 2021)) -> pd.Series:
    """At each release, the mean of the candidates weighted by the inverse of their mean squared error
    over the previous ``window`` releases (``exclude_years`` left out; Bates–Granger weights, the
    textbook default of forecast combination); NaN until ``window`` past errors exist. Like
    :func:`rolling_selection` it uses only errors known before the release."""
    return _rolling_weighted(frame, candidates, window, exclude_years, lambda mse: (1.0 / mse) / (1.0 / mse).sum())


def shrinkage_combination(frame: pd.DataFrame, candidates: list[str], shrinkage: float = SHRINKAGE,
                          window: int = SELECTION_WINDOW, exclude_years: tuple[int, ...] = (2020, 2021)) -> pd.Series:
    """Inverse-MSE weights shrunk toward equal weights: ``w = s·w_invMSE + (1 − s)/N`` with the fixed
    share ``s`` (the forecast-combination puzzle: estimated weights are noisy, equal weights hard to
    beat); past errors as in :func:`inverse_mse_combination`."""
    def weigh(mse: pd.Series) -> pd.Series:
        inv = (1.0 / mse) / (1.0 / mse).sum()
        return shrinkage * inv + (1.0 - shrinkage) / len(mse)

    return _rolling_weighted(frame, candidates, window, exclude_years, weigh)


def top_half_combination(frame: pd.DataFrame, candidates: list[str], window: int = SELECTION_WINDOW,
                         exclude_years: tuple[int, ...] = (2020, 2021)) -> pd.Series:
    """Equal weights over the better half of the candidates (the ⌈N/2⌉ lowest past MSEs; trimming
    by past performance, Aiolfi–Timmermann); past errors as in :func:`inverse_mse_combination`."""
    def weigh(mse: pd.Series) -> pd.Series:
        keep = mse.sort_values(kind="stable").index[: (len(mse) + 1) // 2]
        return pd.Series([1.0 / len(keep) if c in keep else 0.0 for c in mse.index], index=mse.index)

    return _rolling_weighted(frame, candidates, window, exclude_years, weigh)


@dataclass
class BacktestResults:
    """Nowcasts per release period and model, with the actual value and the previous release."""

    predictions: pd.DataFrame  # index period; columns: actual, previous, <model>...
    models: list[str]

    def scores(self, mask: pd.Series | None = None) -> pd.DataFrame:
        p = self.predictions if mask is None else self.predictions[mask]
        rows = []
        for m in self.models:
            err = p[m] - p["actual"]
            ok = err.notna()
            e = err[ok]
            if m == RandomWalk.name or (p.loc[ok, m] == p.loc[ok, "previous"]).all():
                direction = np.nan
            else:
                dp = np.sign(p.loc[ok, m] - p.loc[ok, "previous"])
                da = np.sign(p.loc[ok, "actual"] - p.loc[ok, "previous"])
                direction = float((dp == da).mean() * 100)
            rows.append({"模型": m, "月数": int(ok.sum()), "RMSE": float(np.sqrt((e**2).mean())),
                         "MAE": float(e.abs().mean()), "方向准确率%": direction})
        out = pd.DataFrame(rows)
        for ref, col in ((AR1.name, "RMSE/AR(1)"), (RandomWalk.name, "RMSE/随机游走")):
            base = out.loc[out["模型"] == ref, "RMSE"]
            if len(base):
                out[col] = out["RMSE"] / float(base.iloc[0])
        return out

    def covid_mask(self) -> pd.Series:
        idx = self.predictions.index
        return pd.Series((idx >= COVID[0]) & (idx <= COVID[1]), index=idx)

    def window(self, start: int, end: int, exclude: tuple[int, ...] = ()) -> pd.Series:
        years = self.predictions.index.year
        return pd.Series((years >= start) & (years <= end) & ~np.isin(years, exclude), index=self.predictions.index)

    def table(self) -> dict[str, pd.DataFrame]:
        first, last = int(self.predictions.index.year.min()), int(self.predictions.index.year.max())
        out = {f"{first}–{last}年（不含2020–2021年）": self.scores(self.window(first, last, (2020, 2021)))}
        if last >= 2023:
            out[f"{max(first, 2023)}–{last}年"] = self.scores(self.window(max(first, 2023), last))
        covid = self.window(2020, 2021)
        if covid.any():
            out["2020–2021年（封控与基数年份）"] = self.scores(covid)
        return {k: v for k, v in out.items() if v["月数"].sum() > 0}


def backtest(
    inputs: NowcastInputs,
    start: str = "2015-01",
    end: str = "2025-12",
    models: list[Nowcaster] | None = None,
    progress: Callable[[pd.Period], None] | None = None,
) -> BacktestResults:
    """Nowcast every release in [start, end] from its own information set (see module doc)."""
    models = models if models is not None else default_models()
    rows = []
    for period in inputs.release_periods(pd.Period(start, "M"), pd.Period(end, "M")):
        if period not in inputs.target.index:
            continue
        info = information_set(inputs, period)
        row = {
            "period": period,
            "actual": float(inputs.target[period]),
            "previous": float(info.target.get(info.previous_release(period), np.nan)),
        }
        for m in models:
            row[m.name] = m.nowcast(info, period)
        rows.append(row)
        if progress:
            progress(period)
    frame = pd.DataFrame(rows).set_index("period")
    frame.index = pd.PeriodIndex(frame.index, freq="M")
    names = [m.name for m in models]
    parts = [c for c in COMBINED_OF if c in frame.columns]
    if len(parts) >= 2:
        frame[COMBINED] = frame[parts].mean(axis=1)
        names.insert(0, COMBINED)
    pool = [m.name for m in models if m.name != RandomWalk.name]
    if len(pool) >= 4:
        frame[TRIMMED] = trimmed_mean(frame, pool)
        names.insert(1, TRIMMED)
    candidates = [n for n in names if n not in (AR1.name, RandomWalk.name)]
    if len(candidates) >= 2 and len(frame) > SELECTION_WINDOW:
        frame[SELECTED] = rolling_selection(frame, candidates)
        names.insert(0, SELECTED)
        every = [m.name for m in models]
        frame[WEIGHTED] = inverse_mse_combination(frame, every)
        frame[SHRUNK] = shrinkage_combination(frame, every)
        frame[TOP_HALF] = top_half_combination(frame, every)
        names[1:1] = [WEIGHTED, SHRUNK, TOP_HALF]
    return BacktestResults(frame, names)


@dataclass
class DensityBand:
    """Predictive bands of a nowcast from its own past pseudo-real-time errors."""

    rmse: float
    n: int
    bands: dict[int, tuple[float, float]]  # coverage % → (low, high)
    since: pd.Period


def density_band(inputs: NowcastInputs, period: pd.Period, value: float, n: int = 36,
                 models: list[Nowcaster] | None = None, exclude_years: tuple[int, ...] = (2020, 2021)) -> DensityBand:
    """Bands around ``value`` from the errors of the combined nowcast over the ``n`` releases before
    ``period`` (each from its own information set, ``exclude_years`` left out): the 70 % band adds the
    15 % and 85 % quantiles of the past errors (actual − nowcast) to ``value``, the 90 % band the 5 %
    and 95 % quantiles (linear interpolation), so skewed errors give asymmetric bands. By default the
    errors are those of the default combination (:func:`yacang.analysis.nowcast.default_combination`)."""
    releases = [p for p in inputs.release_periods(period - 12 * 6, period - 1)
                if p in inputs.target.index and p.year not in exclude_years][-n:]
    if len(releases) < 12:
        raise ValueError(f"{period} 之前可用于估计误差的发布期不足 12 期，无法给出预测区间")
    res = backtest(inputs, str(releases[0]), str(releases[-1]),
                   models=models or default_combination())
    pred = res.predictions.loc[res.predictions.index.isin(releases)]
    col = COMBINED if COMBINED in pred.columns else res.models[0]
    err = (pred["actual"] - pred[col]).dropna()
    rmse = float(np.sqrt((err**2).mean()))
    bands = {cover: (value + float(err.quantile((1 - cover / 100) / 2)), value + float(err.quantile((1 + cover / 100) / 2)))
             for cover in (70, 90)}
    return DensityBand(rmse, len(err), bands, releases[0])

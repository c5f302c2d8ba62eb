"""Ridge Δ同比 bridge on every loaded indicator (PMI, PPI, 出口交货值 and the high-frequency series).

The change of 同比 from the last release (log points ×100) is explained by the calendar (the change
of the working-day year-on-year ratio and of the Spring Festival placement, as in
:mod:`yacang.analysis.nowcast_delta`) and by the change from the previous release of **every**
indicator column (PMI-type levels, 同比-type and high-frequency log-yoy series alike; an indicator
published with 工业增加值 enters with its latest known change)::

    Δy(T) = a + b·Δwd(T) + c·Δsf(T) + Σ_k d_k·Δx_k(T)

Estimation is ridge regression on every release since ``start_year`` before T, outside
:data:`yacang.analysis.nowcast.ESTIMATION_GAP` (the 2020 lockdown and 2021 base-effect releases);
the 2020 base effect enters deterministically (:func:`yacang.analysis.nowcast.shock_base_effect`).
The indicator changes are standardised on the estimation rows and their coefficients shrunk by
``penalty`` (the constant and the calendar terms are not shrunk). An indicator enters once it has
``min_obs`` estimation rows with a value; on older rows where it did not exist yet its
standardised change is 0 (its mean), and an indicator without a value at T is left out that month.

The rule was fixed before its 2015–2025 scores were seen: every column (no selection), the
estimation sample of the working-day bridge (chosen on 2010–2014), and ``penalty`` chosen from
{1, 10, 100, 1000} on the nowcasts of 2010–2014 alone (:func:`choose_penalty`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from yacang.analysis.nowcast import AR1, ESTIMATION_GAP, NowcastInputs, release_back, shock_base_effect
from yacang.analysis.nowcast_delta import festival_yoy_change, release_changes, workday_yoy_change

PENALTIES = (1.0, 10.0, 100.0, 1000.0)
"""The grid :func:`choose_penalty` searches on the 2010–2014 nowcasts."""


def ridge(x: np.ndarray, y: np.ndarray, penalty: float, free: int) -> np.ndarray:
    """Coefficients minimising ``|y − x·b|² + penalty·Σ_{j≥free} b_j²`` (the first ``free`` columns
    unpenalised): ``b = (x'x + penalty·P)⁻¹ x'y`` with ``P`` the identity except zeros for the
    first ``free`` columns."""
    p = np.eye(x.shape[1]) * penalty
    p[:free, :free] = 0.0
    return np.linalg.solve(x.T @ x + p, x.T @ y)


def indicator_changes(inputs: NowcastInputs, periods: list[pd.Period], column: str) -> np.ndarray:
    """Per release, the change of ``column`` from the previous release, for an indicator published
    ``k`` releases behind the target its change ``k`` releases back (see :attr:`NowcastInputs.lags`)."""
    k = inputs.lag(column)
    now = [release_back(inputs, p, k) for p in periods]
    before = [inputs.previous_release(p) for p in now]
    return (inputs.release_indicators(now)[column].to_numpy()
            - inputs.release_indicators(before)[column].to_numpy())


@dataclass
class RidgeDeltaBridgeNowcaster:
    """Ridge Δ同比 bridge on the calendar and every indicator's change (see module doc)."""

    name: str = "岭回归Δ同比桥接(全部指标)"
    penalty: float = 10.0
    columns: tuple[str, ...] | None = None  # None: every loaded column
    start_year: int = 2006
    min_obs: int = 36
    gap: frozenset[pd.Period] = ESTIMATION_GAP  # releases left out of the estimation
    last_used: list[str] = field(default_factory=list)  # indicators the last nowcast read

    def nowcast(self, inputs: NowcastInputs, period: pd.Period) -> float:
        all_p, dy = release_changes(inputs, self.start_year, period)
        periods = all_p[:-1]
        base = shock_base_effect(inputs, all_p)
        calendar = np.column_stack([np.ones(len(all_p)), workday_yoy_change(inputs, all_p),
                                    festival_yoy_change(inputs, all_p)])
        train = np.flatnonzero(np.array([p not in self.gap for p in periods])
                               & ~np.isnan(dy[:-1]) & ~np.isnan(calendar[:-1]).any(axis=1))
        ly_prev = float(100.0 * np.log1p(inputs.target.get(inputs.previous_release(period), np.nan) / 100.0))
        self.last_used = []
        if len(train) < self.min_obs or np.isnan(ly_prev) or np.isnan(calendar[-1]).any():
            return AR1().nowcast(inputs, period)
        cols = [c for c in (self.columns or inputs.indicators.columns) if c in inputs.indicators.columns]
        feats = []
        for c in cols:
            dx = indicator_changes(inputs, all_p, c)
            seen = dx[train][~np.isnan(dx[train])]
            if len(seen) < self.min_obs or np.isnan(dx[-1]) or seen.std() == 0:
                continue
            z = (dx - seen.mean()) / seen.std()
            feats.append(np.where(np.isnan(z), 0.0, z))
            self.last_used.append(c)
        x = np.column_stack([calendar, *feats])
        beta = ridge(x[train], dy[train] + base[train], self.penalty, calendar.shape[1])
        return float(np.expm1((ly_prev + float(x[-1] @ beta) - base[-1]) / 100.0) * 100.0)


def choose_penalty(inputs: NowcastInputs, start: str = "2010-01", end: str = "2014-12",
                   penalties: tuple[float, ...] = PENALTIES) -> tuple[float, dict[float, float]]:
    """The penalty with the lowest pseudo-real-time RMSE over the releases ``start`` … ``end`` (the
    selection window), and the RMSE of each."""
    from yacang.analysis.nowcast import information_set

    releases = [p for p in inputs.release_periods(pd.Period(start, "M"), pd.Period(end, "M"))
                if p in inputs.target.index]
    rmse = {}
    for lam in penalties:
        model = RidgeDeltaBridgeNowcaster(penalty=lam)
        err = [model.nowcast(information_set(inputs, p), p) - float(inputs.target[p]) for p in releases]
        rmse[lam] = float(np.sqrt(np.mean(np.square(err))))
    return min(rmse, key=rmse.__getitem__), rmse

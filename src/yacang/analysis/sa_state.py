"""季调环比 from published 当月同比 by a state-space model of the monthly changes.

NBS's 同比 and its 季调环比 are not two views of one level series: 同比 compares each month with the
same month a year earlier on the current set of enterprises (可比口径), so a level chain-linked from
同比 carries, in every calendar month, a random walk of the year-to-year sample and rounding noise, and
a seasonal adjustment of that chain passes the noise into its 环比 (``x13-sa`` in
``benchmarks/seasonal.py``). This module reads 同比 instead as what it is, a noisy 12-month sum of the
seasonally adjusted monthly changes ``m`` (log points ×100)::

    g[t]        = m[t] + m[t−1] + … + m[t−11] + ε[t]                     (single month)
    g[1-2月, y] = ½·(g[Jan] + g[Feb]) = ½·m[t−12] + m[t−11] + … + m[t−1] + ½·m[t] + ε[t]   (t = February)
    m[t] = μ[t] + v[t],   μ[t] = μ[t−1] + w[t]

with ``g = 100·ln(1 + 同比/100)``, ε the 同比's own noise (it does not accumulate), v the month's
news (it stays in every later 同比 for a year, which is how the two are told apart) and μ a slowly
moving underlying growth. The merged 1-2月 is the mean of the two months' log 同比 (the log of the
sum ratio to first order), so January and February are never split by a rule. The three variances are
estimated by maximum likelihood on the 同比 alone (nothing is fitted to published 环比); the Kalman
filter gives the **concurrent** estimate (data up to the month only, as a first release is made) and
the smoother the revised one.

No level is chain-linked, so there is no anchor year to choose. ``calendar=True`` adds the Spring
Festival and working-day differences against a year earlier (:func:`calendar_terms`) to the 同比
equation, with estimated coefficients.

**Shocks.** The pandemic months :data:`PANDEMIC_SHOCKS` (2020-01…03, 2022-04/05) are fixed
interventions: their news is free in every fit whose data reach them, so a later vintage does not
smooth a lockdown into its neighbours (with automatic detection alone the fits as of 2024-02 and
2025-02 freed only 2020-01 and 2020-03, and the fit as of 2020-04 freed nothing). Besides, a month whose smoothed
news exceeds ``crit`` standard deviations (default 3.5, the range X-13 uses for outliers) gets a free
variance and the model is refitted (at most ``rounds`` times); the newest month is also freed when its
standardized forecast error exceeds ``shock_z`` (default 5), so a shock is not smoothed away when it is
the last observation, and so is the month after such a shock (``rebound``: a shock may reverse, like
X-13's temporary changes). In a merged 1-2月 both months are freed: the data cannot say which of them
took the shock.

**What a merged shock leaves unidentified.** With January (a), February (b) and March (c) free, the
1-2月 同比 fixes only X = a + b/2 (the 1-2月 mean level against December) and March's 同比 only
Y = a + b + c; February alone is the prior's split. In 2020 (X ≈ −19.7, Y ≈ −4.7 log points) NBS's
first releases (February −26.63 %, March +32.13 %) would need January between −5.1 % and −3.1 % for
February and between −7.7 % and −5.5 % for March to come within 1.5 points: no split meets both, and
the release gives no January. The concurrent 1-2月 figure is the mean of January's estimate with data
up to January (its forecast) and February's with data up to February.

**Measured** (``benchmarks/seasonal.py``, concurrent estimates against 40 first-release NBS figures):
MAE 0.23 point on the 34 ordinary months (X-13 on the chained level 0.67, 同比/12 0.25); shock months
all of the right sign, within 1.5 points in 3 of 6 (2020-04 1.96 against 2.27, 2020-05 1.03 against
1.53, 2022-04 −8.35 against −7.08). Not met: 2020-02/03 (above) and 2022-05 (3.72 against 5.61: the
同比 give May 2022 minus May 2021 = 3.64 log points, NBS's first releases 4.94, so 1.3 points of the
published figure are in NBS's re-estimated seasonal factors, not in the 同比).

Reported figures: ``sa_mom`` = exp(m/100) − 1 in %; for 1-2月 the average monthly change from December
to February, exp((m[Jan] + m[Feb]) / 200) − 1, because January and February cannot be separated.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from statsmodels.tsa.statespace.mlemodel import MLEModel

from yacang.analysis.calendar import DEFAULT_WINDOW, festival_regressor
from yacang.measures.calendar import calendar_view
from yacang.periods import parse_period

K = 13  # m[t] … m[t−12]
STATE_MU = 0
FREE_VARIANCE = 1e3
"""Variance of the news in a shock month (log points², sd ≈ 32): effectively unrestricted."""
DEFAULT_START = 2002
"""First year used: the export starts in mid-1998 and the first years are sparse."""
PANDEMIC_SHOCKS: tuple[str, ...] = ("2020-01", "2020-02", "2020-03", "2022-04", "2022-05")
"""Fixed interventions (news freed in every fit whose data include the month), stated once from the
events and never fitted: the national lockdown and restart of 2020 (from 23 January to March; January
and February are one merged 1-2月 observation, so both are freed) and the Shanghai lockdown of
April–May 2022 (28 March to 1 June). X-13 users enter the same episodes as fixed outliers."""


@dataclass
class YoyObservations:
    """Log 同比 on a monthly grid: NaN where nothing was published; ``joint`` marks a 1-2月 value."""

    values: pd.Series
    joint: np.ndarray
    codes: dict[pd.Period, str]


def observations(yoy: pd.Series, ytd: pd.Series | None = None, start_year: int | None = DEFAULT_START,
                 ) -> YoyObservations:
    """Published 当月同比 (period codes) as model observations.

    A February published alone (pre-2013 years) is a single-month observation; otherwise the 1-2月
    figure is the joint observation at February. January is never observed on its own.
    """
    view = calendar_view(yoy, ytd)
    by_code = {str(c): float(v) for c, v in view.items() if not pd.isna(v)}
    first = parse_period(next(iter(by_code)))
    last = parse_period(list(by_code)[-1])
    y0 = first.year if start_year is None else max(first.year, start_year)
    idx = pd.period_range(pd.Period(year=y0, month=1, freq="M"), pd.Period(year=last.year, month=last.end, freq="M"),
                          freq="M")
    vals = np.full(len(idx), np.nan)
    joint = np.zeros(len(idx), bool)
    codes: dict[pd.Period, str] = {}
    for i, p in enumerate(idx):
        if p.month == 1:
            continue
        code = str(p)
        if p.month == 2 and code not in by_code:
            code = f"{p.year}-01/02"
            joint[i] = code in by_code
        if code in by_code:
            vals[i] = 100 * np.log1p(by_code[code] / 100)
            codes[p] = code
    return YoyObservations(pd.Series(vals, index=idx, name="log_yoy"), joint, codes)


def design(joint: np.ndarray) -> np.ndarray:
    """Observation rows (1 × (K+1) × n): state 0 is μ, states 1..13 are m[t] … m[t−12]."""
    z = np.zeros((1, K + 1, len(joint)))
    for t, j in enumerate(joint):
        if j:
            z[0, 1:13, t] += 0.5
            z[0, 2:14, t] += 0.5
        else:
            z[0, 1:13, t] = 1.0
    return z


def calendar_terms(obs: YoyObservations, window: tuple[int, int] = DEFAULT_WINDOW) -> pd.DataFrame:
    """Calendar differences against a year earlier, per observation: the centred Spring Festival
    regressor and the relative working-day deviation (调休 included), each this year minus last year;
    for a 1-2月 observation the mean of January's and February's. Working days outside the holiday
    table (before 2000) count as no difference."""
    from yacang.analysis.holiday_calendar import FIRST_YEAR, LAST_YEAR, working_day_regressor

    idx = obs.values.index
    wide = pd.period_range(idx[0] - 12, idx[-1], freq="M")
    fest = festival_regressor(wide, window)
    inside = wide[(wide.year >= FIRST_YEAR) & (wide.year <= LAST_YEAR)]
    wd = working_day_regressor(inside).reindex(wide)
    out = pd.DataFrame(0.0, index=idx, columns=["festival", "working_days"])
    for t, p in enumerate(idx):
        months = [p - 1, p] if obs.joint[t] else [p]
        out.iloc[t, 0] = np.mean([fest[q] - fest[q - 12] for q in months])
        diff = [wd[q] - wd[q - 12] for q in months]
        out.iloc[t, 1] = 0.0 if np.isnan(diff).any() else float(np.mean(diff))
    return out


class YoySAModel(MLEModel):
    """The state-space model of the module doc; ``free`` are time indices whose news is unrestricted.

    ``exog`` (observations × k): calendar differences (:func:`calendar_terms`) whose coefficients
    (log points ×100 per unit) are estimated with the variances; their effect is in the 同比 only,
    never in the adjusted changes ``m``.
    """

    def __init__(self, obs: YoyObservations, free: set[int] = frozenset(), exog: pd.DataFrame | None = None) -> None:
        super().__init__(obs.values.to_numpy(), k_states=K + 1, k_posdef=2, initialization="diffuse")
        self.exog_terms = exog
        self.nobs_all = len(obs.values)
        self["design"] = design(obs.joint)
        trans = np.zeros((K + 1, K + 1))
        trans[STATE_MU, STATE_MU] = 1.0
        trans[1, STATE_MU] = 1.0
        for k in range(2, K + 1):
            trans[k, k - 1] = 1.0
        self["transition"] = trans
        sel = np.zeros((K + 1, 2))
        sel[STATE_MU, 0] = sel[1, 0] = sel[1, 1] = 1.0
        self["selection"] = sel
        self.free = np.zeros(self.nobs_all, bool)
        for t in free:
            if 0 <= t < self.nobs_all:
                self.free[t] = True

    @property
    def param_names(self) -> list[str]:
        extra = [] if self.exog_terms is None else [f"beta_{c}" for c in self.exog_terms.columns]
        return ["var_trend", "var_news", "var_yoy_noise", *extra]

    @property
    def start_params(self) -> np.ndarray:
        return np.r_[0.05, 0.5, 0.5, np.zeros(len(self.param_names) - 3)]

    def transform_params(self, unconstrained: np.ndarray) -> np.ndarray:
        return np.r_[unconstrained[:3] ** 2, unconstrained[3:]]

    def untransform_params(self, constrained: np.ndarray) -> np.ndarray:
        return np.r_[constrained[:3] ** 0.5, constrained[3:]]

    def update(self, params: np.ndarray, **kwargs: object) -> np.ndarray:
        params = super().update(params, **kwargs)
        q = np.zeros((2, 2, self.nobs_all))
        q[0, 0, :] = params[0]
        q[1, 1, :] = params[1]
        # state_cov[t] drives the move from t to t+1: the news of month t sits at t−1
        q[1, 1, np.roll(self.free, -1)] = FREE_VARIANCE
        self["state_cov"] = q
        self["obs_cov"] = np.array([[params[2]]])
        if self.exog_terms is not None:
            self["obs_intercept"] = (self.exog_terms.to_numpy() @ params[3:])[None, :]
        return params


@dataclass
class YoySAResult:
    """Fit of :class:`YoySAModel` on data up to ``obs.values.index[-1]``."""

    obs: YoyObservations
    concurrent: pd.Series  # filtered m[t] (log points ×100), data up to t
    revised: pd.Series  # smoothed m[t], all data
    shocks: list[pd.Period]
    params: dict[str, float]
    notes: list[str] = field(default_factory=list)


def _shock_months(res: object, obs: YoyObservations, crit: float, shock_z: float) -> set[int]:
    """Time indices of months whose news is a shock (see module doc)."""
    sd = float(np.sqrt(res.params[1]))  # type: ignore[attr-defined]
    news = res.smoother_results.smoothed_state_disturbance[1]  # type: ignore[attr-defined]
    out = {int(t) + 1 for t in np.where(np.abs(news) > crit * sd)[0]}
    z = np.nan_to_num(res.standardized_forecasts_error[0])  # type: ignore[attr-defined]
    last = len(obs.values) - 1
    while last >= 0 and np.isnan(obs.values.iloc[last]):
        last -= 1
    if last >= 0 and abs(z[last]) > shock_z:
        out |= {last - 1, last} if obs.joint[last] else {last}
    return out


def _rebound(res: object, obs: YoyObservations, shock_z: float) -> set[int]:
    """The newest month and the one before it, when the one before was a shock when it was published."""
    seen = np.where(np.isfinite(obs.values.to_numpy()))[0]
    if len(seen) < 2 or seen[-1] - seen[-2] != 1:
        return set()
    prev = int(seen[-2])
    z = np.nan_to_num(res.standardized_forecasts_error[0])  # type: ignore[attr-defined]
    if abs(z[prev]) <= shock_z:
        return set()
    return {prev - 1, prev, prev + 1} if obs.joint[prev] else {prev, prev + 1}


def intervention_indices(obs: YoyObservations, months: Iterable[str]) -> set[int]:
    """Time indices of the intervention ``months`` (``YYYY-MM``) that the data cover (none later)."""
    idx = obs.values.index
    periods = (pd.Period(m, freq="M") for m in months)
    return {int(idx.get_loc(p)) for p in periods if idx[0] <= p <= idx[-1]}


def fit_yoy_sa(yoy: pd.Series, ytd: pd.Series | None = None, *, start_year: int | None = DEFAULT_START,
               crit: float = 3.5, shock_z: float = 5.0, rounds: int = 4, rebound: bool = True,
               calendar: bool = False, interventions: Iterable[str] = PANDEMIC_SHOCKS) -> YoySAResult:
    """Fit the model on the published 同比 (period codes) and return concurrent and revised changes.

    ``calendar`` adds the Spring Festival and working-day differences to the 同比 equation;
    ``interventions`` are months freed from the start whenever the data reach them
    (:data:`PANDEMIC_SHOCKS`; ``()`` for automatic detection only).
    """
    obs = observations(yoy, ytd, start_year)
    exog = calendar_terms(obs) if calendar else None
    if int(np.isfinite(obs.values).sum()) < 36:
        raise ValueError(f"同比序列只有 {int(np.isfinite(obs.values).sum())} 个发布值，至少需要 36 个")
    free: set[int] = intervention_indices(obs, interventions)
    for _ in range(rounds):
        model = YoySAModel(obs, free, exog)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # optimiser chatter; convergence is checked below
            res = model.fit(disp=False, maxiter=200)
        new = _shock_months(res, obs, crit, shock_z)
        if rebound:
            new |= _rebound(res, obs, shock_z)
        if new <= free:
            break
        free |= new
    idx = obs.values.index
    notes = []
    if not res.mle_retvals.get("converged", True):
        notes.append("极大似然估计未完全收敛，结果仅供参考")
    return YoySAResult(
        obs,
        pd.Series(res.filtered_state[1], index=idx, name="m_concurrent"),
        pd.Series(res.smoothed_state[1], index=idx, name="m_revised"),
        sorted(idx[t] for t in free if 0 <= t < len(idx)),
        dict(zip(model.param_names, map(float, res.params), strict=True)),
        notes,
    )


def _pct(log_points: float) -> float:
    return 100 * float(np.expm1(log_points / 100))


def sa_mom_rows(obs: YoyObservations, m: pd.Series) -> pd.DataFrame:
    """季调环比 by release period from monthly changes ``m``: 1-2月 joint (one row), others single."""
    rows = []
    for p, code in obs.codes.items():
        if p not in m.index:
            continue
        joint = code.endswith("/02")
        if joint:
            jan = p - 1
            if jan not in m.index:
                continue
            value = _pct((m[jan] + m[p]) / 2)
        else:
            value = _pct(m[p])
        rows.append({"period": code, "label": parse_period(code).label_zh(), "sa_mom": value, "joint": joint})
    return pd.DataFrame(rows)


def _upto(series: pd.Series | None, last: pd.Period) -> pd.Series | None:
    if series is None:
        return None
    keep = [c for c in series.index if parse_period(str(c)).end_date <= last.end_time.date()]
    return series[keep]


def concurrent_table(yoy: pd.Series, ytd: pd.Series | None, months: list[str], **kwargs: object) -> pd.DataFrame:
    """For each month ``YYYY-MM`` the 季调环比 from data up to that month only (a refit per month).

    February stands for the 1-2月 release when it was merged. Columns: ``month``, ``period``,
    ``sa_mom``, ``shock`` (the month was freed as a shock).
    """
    rows = []
    for text in months:
        last = pd.Period(text, freq="M")
        res = fit_yoy_sa(_upto(yoy, last), _upto(ytd, last), **kwargs)  # type: ignore[arg-type]
        table = sa_mom_rows(res.obs, res.concurrent)
        hit = table[table["period"].isin([text, f"{last.year}-01/02"])] if last.month == 2 else \
            table[table["period"] == text]
        if hit.empty:
            raise ValueError(f"{text} 没有季调环比（该月未发布同比或数据不足）")
        row = hit.iloc[-1]
        rows.append({"month": text, "period": row["period"], "sa_mom": float(row["sa_mom"]),
                     "shock": last in res.shocks})
    return pd.DataFrame(rows)


__all__ = ["PANDEMIC_SHOCKS", "YoyObservations", "YoySAModel", "YoySAResult", "concurrent_table", "design",
           "fit_yoy_sa", "intervention_indices", "observations", "sa_mom_rows"]

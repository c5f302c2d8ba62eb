"""Seasonal adjustment recovers a known Spring Festival effect and leaves none behind."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yacang.analysis import seasonal
from yacang.analysis.calendar import festival_regressor
from yacang.analysis.seasonal import SeasonalAdjustment, residual_festival_t

BETA = -0.30  # log effect of a whole festival window falling in one month (≈ −26 %)
SEASONS = np.array([0.0, -0.05, 0.05, 0.02, 0.0, 0.01, 0.0, -0.01, 0.0, 0.02, 0.01, 0.04])


def simulated(seed: int = 7) -> tuple[pd.Series, pd.Series]:
    """A positive monthly flow with trend, fixed seasonality and the festival effect (7,20)."""
    rng = np.random.default_rng(seed)
    idx = pd.period_range("2002-01", "2023-12", freq="M")
    x = festival_regressor(idx, (7, 20)).to_numpy()
    n = len(idx)
    base = np.log(100) + 0.005 * np.arange(n) + np.cumsum(rng.normal(0, 0.008, n)) + rng.normal(0, 0.008, n)
    y = pd.Series(np.exp(base + np.tile(SEASONS, n // 12) + BETA * x), index=idx, name="sim")
    true_sa = pd.Series(np.exp(base), index=idx)
    return y, true_sa


def merge_jan_feb(y: pd.Series, from_year: int) -> pd.Series:
    out = y.copy()
    for year in range(from_year, y.index.year.max() + 1):
        jan, feb = pd.Period(f"{year}-01", "M"), pd.Period(f"{year}-02", "M")
        out[feb] += out[jan]
        out = out.drop(jan)
    return out


def test_unadjusted_series_has_a_festival_pattern() -> None:
    y, _ = simulated()
    # the check used below must be able to fail: the raw series shows the effect strongly
    assert abs(residual_festival_t(y)) > 5


def test_stl_recovers_festival_effect() -> None:
    y, _true_sa = simulated()
    res = SeasonalAdjustment(y, method="stl").fit()
    assert res.method == "stl"
    # tolerance: coefficient within 0.03 (10 %) of the true −0.30
    assert res.diagnostics["festival_coef"] == pytest.approx(BETA, abs=0.03)
    assert abs(res.diagnostics["residual_festival_t"]) < 2
    # the festival factor of 2023-01 (17/27 of the window) is exp(β·x)
    x = festival_regressor(y.index, (7, 20))
    p = pd.Period("2023-01", "M")
    assert res.festival[p] == pytest.approx(np.exp(BETA * x[p]), rel=0.03)


@pytest.mark.slow
def test_x13_recovers_festival_effect_and_sa_series() -> None:
    y, true_sa = simulated()
    res = SeasonalAdjustment(y, method="x13").fit()
    assert res.method == "x13"
    assert res.diagnostics["festival_coef"] == pytest.approx(BETA, abs=0.03)
    assert abs(res.diagnostics["residual_festival_t"]) < 2
    # the adjusted series follows the true non-seasonal level: month-on-month changes agree
    err = np.log(res.adjusted).diff() - np.log(true_sa).diff()
    assert err.abs().mean() < 0.01  # < 1 % a month on average
    assert 0.8 < res.seasonal.mean() < 1.2


@pytest.mark.slow
def test_x13_with_merged_jan_feb() -> None:
    y, _ = simulated()
    merged = merge_jan_feb(y, 2013)
    res = SeasonalAdjustment(merged, method="x13", jan_feb="flow").fit()
    assert res.merged_years == set(range(2013, 2024))
    # the two halves of a split 1-2月 add up to the published total
    p1, p2 = pd.Period("2020-01", "M"), pd.Period("2020-02", "M")
    assert res.original[p1] + res.original[p2] == pytest.approx(merged[p2])
    assert res.diagnostics["festival_coef"] == pytest.approx(BETA, abs=0.05)
    assert abs(res.diagnostics["residual_festival_t"]) < 2


def test_falls_back_to_stl_without_x13(monkeypatch: pytest.MonkeyPatch) -> None:
    y, _ = simulated()
    monkeypatch.setattr(seasonal, "x13_binary", lambda: None)
    res = SeasonalAdjustment(y).fit()
    assert res.method == "stl"
    assert "x13as" in res.diagnostics["fallback_reason"]
    with pytest.raises(RuntimeError, match="x13as"):
        SeasonalAdjustment(y, method="x13").fit()


def test_gaps_and_short_series_are_refused() -> None:
    y, _ = simulated()
    with pytest.raises(ValueError, match="缺失"):
        SeasonalAdjustment(y.drop(pd.Period("2010-05", "M")))
    with pytest.raises(ValueError, match="36"):
        SeasonalAdjustment(y.iloc[:30])

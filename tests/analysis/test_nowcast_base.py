"""Base-effect nowcasts: the two-year arithmetic by hand, the estimated share, no look-ahead."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yacang.analysis.nowcast import NowcastInputs, information_set
from yacang.analysis.nowcast_base import BaseEffectNowcaster


def _log(y: float) -> float:
    return 100 * np.log1p(y / 100)


def test_two_year_arithmetic_by_hand() -> None:
    """Last year 同比 went 5.0 → 2.0 from May to June; this May it is 6.0. A constant two-year growth
    gives ly(June) = ly(6.0) − [ly(2.0) − ly(5.0)]: 1.06·1.05/1.02 − 1 = 9.1176 %."""
    idx = pd.period_range("2018-01", "2019-05", freq="M")
    y = pd.Series(4.0, index=idx)
    y[pd.Period("2018-05", "M")], y[pd.Period("2018-06", "M")], y[pd.Period("2019-05", "M")] = 5.0, 2.0, 6.0
    inputs = NowcastInputs.build(y, {}, merge_all_jan_feb=False)
    p = pd.Period("2019-06", "M")
    assert BaseEffectNowcaster().nowcast(inputs, p) == pytest.approx((1.06 * 1.05 / 1.02 - 1) * 100)
    half = BaseEffectNowcaster(share=0.5).nowcast(inputs, p)
    assert half == pytest.approx(100 * np.expm1((_log(6.0) - 0.5 * (_log(2.0) - _log(5.0))) / 100))


def test_estimated_share_recovers_an_exact_relation() -> None:
    """Δly(T) = 0.1 − 0.4·Δly(T−12) + a seasonal pattern that repeats: the OLS share is exact."""
    rng = np.random.default_rng(2)
    idx = pd.period_range("2004-01", "2016-12", freq="M")
    ly = {p: 8.0 + rng.normal(0, 1.0) for p in idx[:13]}
    for p in idx[13:]:
        ly[p] = ly[p - 1] + 0.1 - 0.4 * (ly[p - 12] - ly[p - 13])
    y = pd.Series({p: 100 * np.expm1(v / 100) for p, v in ly.items()})
    inputs = NowcastInputs.build(y, {}, merge_all_jan_feb=False)
    p = pd.Period("2016-06", "M")
    got = BaseEffectNowcaster(share=None).nowcast(information_set(inputs, p), p)
    assert got == pytest.approx(y[p], abs=1e-6)


def test_no_look_ahead(real: NowcastInputs) -> None:
    p = pd.Period("2023-04", "M")
    for model in (BaseEffectNowcaster(), BaseEffectNowcaster(share=None)):
        before = model.nowcast(information_set(real, p), p)
        target = real.target.copy()
        target[target.index >= p] -= 7.0
        after = model.nowcast(information_set(real.replace(target=target), p), p)
        assert np.isfinite(before) and after == before

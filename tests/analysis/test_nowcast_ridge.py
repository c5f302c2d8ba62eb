"""Ridge Δ同比 bridge and the shrinkage / top-half combinations: by hand, exact recovery, no look-ahead."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.analysis.realdata import later_data_changed
from yacang.analysis.backtest import shrinkage_combination, top_half_combination
from yacang.analysis.nowcast import NowcastInputs, information_set
from yacang.analysis.nowcast_delta import festival_yoy_change, workday_yoy_change
from yacang.analysis.nowcast_ridge import RidgeDeltaBridgeNowcaster, indicator_changes, ridge


def test_ridge_by_hand() -> None:
    """Rows (1, 1) and (1, −1), y = (3, 1): x'x = diag(2, 2), x'y = (4, 2). Penalty 2 on the slope
    only: b = (4/2, 2/(2+2)) = (2, 0.5); unpenalised OLS gives (2, 1)."""
    x = np.array([[1.0, 1.0], [1.0, -1.0]])
    y = np.array([3.0, 1.0])
    assert ridge(x, y, 2.0, free=1) == pytest.approx([2.0, 0.5])
    assert ridge(x, y, 0.0, free=1) == pytest.approx([2.0, 1.0])
    assert ridge(x, y, 2.0, free=0) == pytest.approx([4 / 4, 2 / 4])  # both shrunk: (2+2)⁻¹·x'y


def _synthetic(slope: float) -> tuple[NowcastInputs, pd.Series]:
    """同比 built so that Δ同比 (log points) = 0.2 + 0.3·Δwd − 1.5·Δsf + slope·ΔPMI exactly (no merging),
    with a second indicator that is pure noise."""
    rng = np.random.default_rng(5)
    idx = pd.period_range("2004-01", "2014-12", freq="M")
    pmi = pd.Series(50 + rng.normal(0, 1.5, len(idx)), index=idx)
    noise = pd.Series(rng.normal(0, 1.0, len(idx)), index=idx)
    shell = NowcastInputs.build(pd.Series(0.0, index=idx), {"pmi_output": pmi}, merge_all_jan_feb=False)
    periods = list(idx[13:])
    dwd, dsf = workday_yoy_change(shell, periods), festival_yoy_change(shell, periods)
    ly = {idx[12]: 6.0}
    for p, w, f in zip(periods, dwd, dsf, strict=True):
        ly[p] = ly[p - 1] + 0.2 + 0.3 * w - 1.5 * f + slope * (pmi[p] - pmi[p - 1])
    yoy = pd.Series({p: 100 * np.expm1(v / 100) for p, v in ly.items()})
    inputs = NowcastInputs.build(yoy, {"pmi_output": pmi, "noise": noise}, merge_all_jan_feb=False)
    return inputs, yoy


def test_small_penalty_recovers_an_exact_relation() -> None:
    inputs, yoy = _synthetic(0.6)
    p = pd.Period("2014-06", "M")
    model = RidgeDeltaBridgeNowcaster(penalty=1e-9)
    assert model.nowcast(information_set(inputs, p), p) == pytest.approx(yoy[p], abs=1e-5)
    assert model.last_used == ["pmi_output", "noise"]


def test_large_penalty_leaves_the_calendar_equation() -> None:
    """With a huge penalty the indicators' coefficients vanish: the nowcast is the previous 同比 plus
    the calendar-only OLS fit, computed here with numpy's lstsq on the same releases."""
    inputs, yoy = _synthetic(0.0)  # the PMI does not matter: the calendar equation is exact
    p = pd.Period("2014-06", "M")
    got = RidgeDeltaBridgeNowcaster(penalty=1e12).nowcast(information_set(inputs, p), p)
    assert got == pytest.approx(yoy[p], abs=1e-5)
    inputs, yoy = _synthetic(0.6)
    got = RidgeDeltaBridgeNowcaster(penalty=1e12).nowcast(information_set(inputs, p), p)
    periods = [q for q in yoy.index if pd.Period("2006-01", "M") <= q < p]
    ly = 100 * np.log1p(yoy / 100)
    dy = np.array([ly[q] - ly[q - 1] for q in periods])
    design = np.column_stack([np.ones(len(periods) + 1), workday_yoy_change(inputs, [*periods, p]),
                              festival_yoy_change(inputs, [*periods, p])])
    beta, *_ = np.linalg.lstsq(design[:-1], dy, rcond=None)
    expected = 100 * np.expm1((ly[p - 1] + design[-1] @ beta) / 100)
    assert got == pytest.approx(expected, abs=1e-4)
    assert abs(got - yoy[p]) > 0.01  # and it differs from the truth, which needs the PMI


def test_indicator_change_of_a_lagged_column() -> None:
    """出口交货值 (lag 1): the change used for release T is x(T−1) − x(T−2)."""
    idx = pd.period_range("2015-01", "2015-12", freq="M")
    x = pd.Series(np.arange(12.0) ** 2, index=idx)
    inputs = NowcastInputs.build(pd.Series(5.0, index=idx), {"export_delivery": x}, merge_all_jan_feb=False,
                                 lags={"export_delivery": 1})
    got = indicator_changes(inputs, [pd.Period("2015-06", "M")], "export_delivery")
    assert got[0] == pytest.approx(4.0**2 - 3.0**2)  # May minus April


def test_no_look_ahead(real: NowcastInputs) -> None:
    """2022-04: changing every value released after the nowcast date (the target from April on, the
    indicators after April, and April's 出口交货值, out only with 工业增加值) changes nothing."""
    p = pd.Period("2022-04", "M")
    model = RidgeDeltaBridgeNowcaster()
    before = model.nowcast(information_set(real, p), p)
    after = model.nowcast(information_set(later_data_changed(real, p), p), p)
    assert np.isfinite(before) and after == before
    assert "export_delivery" in model.last_used and "steel_daily" in model.last_used


def _errors_frame() -> pd.DataFrame:
    idx = pd.period_range("2019-01", "2019-12", freq="M")
    return pd.DataFrame({"actual": 0.0, "a": 1.0, "b": 2.0, "c": 3.0}, index=idx)  # squared errors 1, 4, 9


def test_shrinkage_combination_by_hand() -> None:
    """a, b with squared errors 1 and 4: inverse-MSE weights 0.8, 0.2; halfway to equal weights 0.65,
    0.35; nowcast 0.65·1 + 0.35·2 = 1.35."""
    got = shrinkage_combination(_errors_frame(), ["a", "b"], window=6)
    assert got.iloc[:6].isna().all()
    assert got.iloc[6:].tolist() == pytest.approx([1.35] * 6)
    assert shrinkage_combination(_errors_frame(), ["a", "b"], shrinkage=0.0, window=6).iloc[-1] == pytest.approx(1.5)


def test_top_half_combination_by_hand() -> None:
    """Three candidates with squared errors 1, 4, 9: the better half is ⌈3/2⌉ = 2 (a, b): (1 + 2)/2."""
    got = top_half_combination(_errors_frame(), ["c", "a", "b"], window=6)
    assert got.iloc[:6].isna().all()
    assert got.iloc[6:].tolist() == pytest.approx([1.5] * 6)

"""Δ同比 bridge: calendar changes by hand, exact recovery, missing PMI, no look-ahead across 2020."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from tests.analysis.realdata import later_data_changed
from yacang.analysis.backtest import COMBINED_OF, density_band
from yacang.analysis.nowcast import AR1, NowcastInputs, information_set, nowcast
from yacang.analysis.nowcast_delta import (
    DeltaBridgeNowcaster,
    delta_models,
    festival_yoy_change,
    workday_yoy_change,
)


def _merged_calendar() -> NowcastInputs:
    idx = pd.period_range("2012-01", "2016-12", freq="M")
    return NowcastInputs.build(pd.Series(5.0, index=idx), {"pmi_output": pd.Series(50.0, index=idx)})


def test_festival_change_by_hand() -> None:
    """Window 7 days before 春节 to 19 after. 2015: 春节 19 Feb, window 12 Feb – 10 Mar (17 days in
    February, 10 in March); 2014: 31 Jan, window 24 Jan – 19 Feb (none in March). The centring
    cancels in year-on-year differences, and the merged 1-2月 counts January + February."""
    inputs = _merged_calendar()
    got = festival_yoy_change(inputs, [pd.Period("2015-03", "M"), pd.Period("2015-04", "M")])
    # March: 10/27 this year, 0 last year; 1-2月: 17/27 against 27/27
    assert got[0] == pytest.approx(10 / 27 - (17 / 27 - 1))
    assert got[1] == pytest.approx(0 - 10 / 27)  # April: nothing; March was +10/27
    # 2016: 春节 8 Feb, window 1–27 Feb; 2015-03 had 10/27 → 2016-03 yoy −10/27, 1-2月 yoy +10/27
    assert festival_yoy_change(inputs, [pd.Period("2016-03", "M")])[0] == pytest.approx(-10 / 27 - 10 / 27)


def test_workday_change_by_hand() -> None:
    """2024-04: 22 working days against 20 in 2023-04; 2024-03: 21 (no holiday) against 23."""
    inputs = _merged_calendar()
    inputs = inputs.replace(merged_years=inputs.merged_years | {2023, 2024})
    got = workday_yoy_change(inputs, [pd.Period("2024-04", "M")])[0]
    assert got == pytest.approx(100 * np.log(22 / 20) - 100 * np.log(21 / 23))


def _synthetic(b: tuple[float, float, float, float], pmi_lag: int) -> tuple[NowcastInputs, pd.Series]:
    """同比 built so that Δ同比 (log points) = b0 + b1·Δwd + b2·Δsf + b3·ΔPMI exactly (no merging)."""
    rng = np.random.default_rng(3)
    idx = pd.period_range("2004-01", "2013-12", freq="M")
    pmi = pd.Series(50 + rng.normal(0, 1.5, len(idx)), index=idx)
    shell = NowcastInputs.build(pd.Series(0.0, index=idx), {"pmi_output": pmi}, merge_all_jan_feb=False)
    periods = list(idx[13:])
    dwd = workday_yoy_change(shell, periods)
    dsf = festival_yoy_change(shell, periods)
    back = [p - 12 if pmi_lag == 12 else p - 1 for p in periods]
    dx = pmi.reindex(periods).to_numpy() - pmi.reindex(back).to_numpy()
    ly = {idx[12]: 8.0}
    for p, w, f, x in zip(periods, dwd, dsf, dx, strict=True):
        ly[p] = ly[p - 1] + b[0] + b[1] * w + b[2] * f + b[3] * x
    yoy = pd.Series({p: 100 * np.expm1(v / 100) for p, v in ly.items()})
    return NowcastInputs.build(yoy, {"pmi_output": pmi}, merge_all_jan_feb=False), yoy


@pytest.mark.parametrize("pmi_lag", [1, 12])
def test_recovers_an_exact_relation(pmi_lag: int) -> None:
    inputs, yoy = _synthetic((0.1, 0.25, -2.0, 0.6), pmi_lag)
    p = pd.Period("2013-06", "M")
    model = DeltaBridgeNowcaster(pmi_lag=pmi_lag)
    assert model.nowcast(information_set(inputs, p), p) == pytest.approx(yoy[p], abs=1e-6)
    assert model.last_missing == []


def test_missing_pmi_leaves_the_calendar_equation() -> None:
    """Without PMI 生产 for the month the model drops it (named in last_missing) and still nowcasts:
    with a PMI coefficient of 0 the calendar equation is exact."""
    inputs, yoy = _synthetic((0.1, 0.25, -2.0, 0.0), 1)
    p = pd.Period("2013-06", "M")
    ind = inputs.indicators.copy()
    ind.loc[p, "pmi_output"] = np.nan
    model = DeltaBridgeNowcaster()
    got = model.nowcast(information_set(inputs.replace(indicators=ind), p), p)
    assert model.last_missing == ["pmi_output"]
    assert got == pytest.approx(yoy[p], abs=1e-6)
    res = nowcast(inputs.replace(indicators=ind), p, models=[model, AR1()], as_of=dt.date(2013, 7, 1))
    assert res.missing == ["PMI:生产"] and "PMI:生产" in res.warning  # the catalogue's label
    (status,) = res.indicators
    assert (status.state, status.month, status.due) == ("missing", p, dt.date(2013, 6, 30))  # PMI: the month's last day
    early = nowcast(inputs.replace(indicators=ind), p, models=[model, AR1()], as_of=dt.date(2013, 6, 29))
    assert early.indicators[0].state == "unpublished"
    assert early.indicators[0].reason == "2013年6月的PMI:生产按发布日历约2013年6月30日发布，尚未发布"


@pytest.mark.parametrize("pmi_lag", [1, 12])
def test_no_look_ahead_after_the_shock(real: NowcastInputs, pmi_lag: int) -> None:
    """2022-04 (a year after the 2021 base months, with the 2020 shock in the estimation): changing
    every value released after the nowcast date changes nothing."""
    p = pd.Period("2022-04", "M")
    model = DeltaBridgeNowcaster(pmi_lag=pmi_lag)
    before = model.nowcast(information_set(real, p), p)
    after = model.nowcast(information_set(later_data_changed(real, p, export_of_p=False), p), p)
    assert np.isfinite(before) and after == before


def test_default_nowcast_is_the_backtest_combination(real: NowcastInputs) -> None:
    res = nowcast(real, "2025-12")
    assert tuple(res.by_model) == COMBINED_OF == (*(m.name for m in delta_models()), "AR(1)")
    assert res.value == pytest.approx(np.mean(list(res.by_model.values())))
    assert res.missing == [] and res.used == ["PMI:生产"]  # the only indicator the combination reads
    band = density_band(real, res.period, res.value, n=24)
    assert band.n == 24 and band.bands[90][0] < band.bands[70][0] < res.value < band.bands[70][1] < band.bands[90][1]

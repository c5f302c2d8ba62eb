"""Nowcast release calendar: working days, publication lags, missing indicators, bands, report text."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from yacang.analysis.backtest import density_band
from yacang.analysis.nowcast import (
    NowcastInputs,
    NowcastResult,
    WorkdayBridgeNowcaster,
    information_set,
    nowcast,
    nowcast_report,
)
from yacang.analysis.nowcast_workdays import WorkdayTableError, release_workdays, workday_yoy, workdays


def test_workdays_counted_by_hand() -> None:
    # 2024-02: 21 weekdays; 12–16 Feb off (春节); Sun 4 and Sun 18 Feb are make-up working days
    assert workdays(pd.Period("2024-02", "M")) == 21 - 5 + 2
    # 2024-09: 21 weekdays; 16–17 Sep off (中秋); Sat 14 and Sun 29 Sep worked
    assert workdays(pd.Period("2024-09", "M")) == 21 - 2 + 2
    # 2024-10: 23 weekdays; 1–4 and 7 Oct off (国庆); Sat 12 Oct worked
    assert workdays(pd.Period("2024-10", "M")) == 23 - 5 + 1
    # 2024-04 has 22 working days, 2023-04 has 20 (5 Apr off, Sun 23 Apr worked)
    assert workday_yoy(pd.Period("2024-04", "M"), pd.Period("2023-04", "M"), False, False) == pytest.approx(
        100 * np.log(22 / 20))
    assert release_workdays(pd.Period("2024-02", "M"), merged=True) == 22 + 18  # 1-2月 together
    with pytest.raises(WorkdayTableError):
        workdays(pd.Period("1999-12", "M"))


def test_export_delivery_enters_one_release_late(real: NowcastInputs) -> None:
    """出口交货值 comes out with 工业增加值: at the nowcast of T only its T−1 value is known."""
    assert real.lag("export_delivery") == 1
    p = pd.Period("2019-06", "M")
    info = information_set(real, p)
    assert np.isnan(info.indicators.loc[p, "export_delivery"])
    assert info.indicators.loc[p - 1, "export_delivery"] == pytest.approx(0.7)  # 2019-05 as published
    model = WorkdayBridgeNowcaster(columns=("pmi_output", "export_delivery"))
    before = model.nowcast(info, p)
    changed = real.indicators.copy()
    changed.loc[p, "export_delivery"] += 50.0  # published with the release being nowcast
    assert model.nowcast(information_set(real.replace(indicators=changed), p), p) == before
    changed.loc[p - 1, "export_delivery"] += 50.0  # published a month earlier: it is used
    assert model.nowcast(information_set(real.replace(indicators=changed), p), p) != pytest.approx(before)


def _synthetic(export_end: str) -> NowcastInputs:
    rng = np.random.default_rng(7)
    idx = pd.period_range("2004-01", "2012-12", freq="M")
    pmi = pd.Series(50 + rng.normal(0, 1.5, len(idx)), index=idx)
    level = np.cumsum(0.006 + 0.01 * (pmi.to_numpy() - 50))
    yoy = pd.Series(100 * np.expm1(level[12:] - level[:-12]), index=idx[12:])
    export = pd.Series(rng.normal(5, 3, len(idx)), index=idx)[:export_end]
    return NowcastInputs.build(yoy, {"pmi_output": pmi, "export_delivery": export},
                               {"pmi_output": "PMI:生产", "export_delivery": "出口交货值"},
                               merge_all_jan_feb=False, lags={"export_delivery": 1})


def test_missing_indicator_respects_the_lag() -> None:
    models = [WorkdayBridgeNowcaster(columns=("pmi_output", "export_delivery"))]
    res = nowcast(_synthetic("2012-11"), "2012-12", models=models)
    assert res.missing == [] and res.warning == ""  # the November value is all that is due
    res = nowcast(_synthetic("2012-10"), "2012-12", models=models)
    assert res.missing == ["出口交货值"] and res.used == ["PMI:生产"]
    assert res.warning == "警告：2012年12月的 出口交货值 尚无数据，本次预测只用已有的 PMI:生产。"
    assert models[0].last_missing == ["export_delivery"]


class _Zero:
    name = "零"

    def nowcast(self, inputs: NowcastInputs, period: pd.Period) -> float:
        return 0.0


def test_density_band_is_made_of_error_quantiles() -> None:
    inputs = _synthetic("2012-12")
    p = pd.Period("2012-12", "M")
    band = density_band(inputs, p, 6.0, n=24, models=[_Zero()])
    past = inputs.target[(inputs.target.index < p)].iloc[-24:]  # errors of a zero nowcast = actual values
    assert band.n == 24 and band.since == past.index[0]
    assert band.bands[70][0] == pytest.approx(6.0 + np.quantile(past, 0.15))
    assert band.bands[90][1] == pytest.approx(6.0 + np.quantile(past, 0.95))
    assert band.rmse == pytest.approx(np.sqrt((past**2).mean()))


def test_report_lines() -> None:
    r = NowcastResult(pd.Period("2026-02", "M"), 5.04, 5.2, True, "x", missing=["高炉开工率"], used=["制造业PMI"])

    band = SimpleNamespace(bands={70: (4.0, 6.0), 90: (3.26, 6.75)}, since=pd.Period("2023-02", "M"), n=36, rmse=1.234)
    lines = nowcast_report(r, band)
    assert lines[0] == "2026年1-2月 规模以上工业增加值当月同比现时预测：5.0%（上期 5.2%）"
    assert lines[1] == "警告：2026年1-2月的 高炉开工率 尚无数据，本次预测只用已有的 制造业PMI。"
    assert lines[2] == ("预测区间：70% [4.0%, 6.0%]，90% [3.3%, 6.8%]（依据2023年1-2月以来36期伪实时误差的分位数，"
                        "RMSE 1.23个百分点，不含2020–2021年）")
    assert nowcast_report(NowcastResult(pd.Period("2025-05", "M"), 6.0, 5.0, False, "x")) == [
        "2025年5月 规模以上工业增加值当月同比现时预测：6.0%（上期 5.0%）"]


def test_workday_bridge_recovers_an_exact_relation() -> None:
    """Δ同比 (log points) = 0.2 + 0.3·Δ工作日 + 0.5·ΔPMI − 0.1·ΔPPI exactly: the nowcast hits it."""
    rng = np.random.default_rng(11)
    idx = pd.period_range("2003-01", "2012-12", freq="M")
    pmi = pd.Series(50 + rng.normal(0, 1.5, len(idx)), index=idx)
    ppi = pd.Series(rng.normal(2, 3, len(idx)), index=idx)

    def wd(p: pd.Period) -> float:
        return workday_yoy(p, p - 12, False, False)

    ly = {idx[12]: 8.0}
    for p in idx[13:]:
        ly[p] = (ly[p - 1] + 0.2 + 0.3 * (wd(p) - wd(p - 1)) + 0.5 * (pmi[p] - pmi[p - 1])
                 - 0.1 * (ppi[p] - ppi[p - 1]))
    yoy = pd.Series({p: 100 * np.expm1(v / 100) for p, v in ly.items()})
    inputs = NowcastInputs.build(yoy, {"pmi_output": pmi, "ppi": ppi}, merge_all_jan_feb=False)
    p = pd.Period("2012-06", "M")
    got = WorkdayBridgeNowcaster().nowcast(information_set(inputs, p), p)
    assert got == pytest.approx(yoy[p], abs=1e-6)


def test_target_takes_the_published_jan_feb(shared_data) -> None:
    """1-2月 is NBS's published figure (the February 累计同比), never a mean of single months."""
    from yacang.analysis.data import target_from_csv

    t = target_from_csv(shared_data / "national_industry_monthly_wind")
    assert t["2009-01/02"] == pytest.approx(3.8)  # NBS 2009年1-2月: 3.8% (January −2.9, February 11.0)
    assert t["2010-01/02"] == pytest.approx(20.7)
    assert t["2025-01/02"] == pytest.approx(5.9)
    assert "2009-01" not in t.index and "2009-02" not in t.index and "2013-01" not in t.index


def test_rolling_selection_uses_only_past_errors() -> None:
    from yacang.analysis.backtest import rolling_selection

    idx = pd.period_range("2018-01", "2022-12", freq="M")
    actual = pd.Series(np.arange(len(idx), dtype=float), index=idx)
    a = actual + 1.0  # error 1 throughout
    b = actual + np.where(idx < pd.Period("2019-07", "M"), 2.0, 0.5)  # worse first, then better
    b[(idx.year == 2020)] = actual[idx.year == 2020] + 100.0  # terrible in 2020, which is left out
    frame = pd.DataFrame({"actual": actual, "a": a, "b": b})
    got = rolling_selection(frame, ["a", "b"], window=6)
    assert got.iloc[:6].isna().all()  # six past errors needed
    assert got[pd.Period("2018-07", "M")] == a[pd.Period("2018-07", "M")]
    # squared errors over the six releases before 2019-10 (2019-04…09):
    # a: mean 1.0; b: (3·4 + 3·0.25)/6 = 2.125 → still a; by 2019-12 b has 5 of 6 at 0.5: (4 + 5·0.25)/6 = 0.875 → b
    assert got[pd.Period("2019-10", "M")] == a[pd.Period("2019-10", "M")]
    assert got[pd.Period("2019-12", "M")] == b[pd.Period("2019-12", "M")]
    # in 2021 the 2020 errors are skipped: the last six valid errors of b are 2019-07…12 at 0.5 → b
    assert got[pd.Period("2021-01", "M")] == b[pd.Period("2021-01", "M")]


def test_inverse_mse_combination_by_hand() -> None:
    from yacang.analysis.backtest import inverse_mse_combination

    idx = pd.period_range("2019-01", "2021-06", freq="M")
    actual = pd.Series(0.0, index=idx)
    a = pd.Series(1.0, index=idx)  # squared error 1
    b = pd.Series(2.0, index=idx)  # squared error 4
    b[idx.year == 2020] = 50.0  # left out of the weights
    frame = pd.DataFrame({"actual": actual, "a": a, "b": b})
    got = inverse_mse_combination(frame, ["a", "b"], window=6)
    assert got.iloc[:6].isna().all()
    # weights 1/1 and 1/4: (1·1 + 2·0.25) / 1.25 = 1.2
    assert got[pd.Period("2019-07", "M")] == pytest.approx(1.2)
    # in 2021 the 2020 errors are skipped (the weights are those of 2019), applied to 2021's nowcasts
    assert got[pd.Period("2021-03", "M")] == pytest.approx(1.2)
    # in 2020 the weights still come from 2019: (1 + 50·0.25) / 1.25 = 10.8
    assert got[pd.Period("2020-05", "M")] == pytest.approx(10.8)

"""景气预警信号灯: zones by hand, 1-2月 handling, and the real national series around 2008, 2020, 2021."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.alerts.realdata import national_light_series
from yacang.alerts.lights import (
    NATIONAL_INDICATORS,
    Indicator,
    LightsError,
    composite_light,
    compute_lights,
    rolling_thresholds,
    to_monthly,
    zone_scores,
)


def test_zone_scores_by_hand():
    s = pd.Series([0.5, 1.5, 2.5, 3.5, 4.5, np.nan])
    th = pd.DataFrame([[1, 2, 3, 4]] * 6, columns=["t1", "t2", "t3", "t4"])
    assert zone_scores(s, th).tolist()[:5] == [1, 2, 3, 4, 5]
    assert np.isnan(zone_scores(s, th).iloc[5])
    assert zone_scores(s, th, inverse=True).tolist()[:5] == [5, 4, 3, 2, 1]


def test_composite_cuts_scale_with_indicator_count():
    total = pd.Series([5.0, 12.0, 24.0, 10.0])
    n = pd.Series([5, 5, 5, 2])
    # averages 1.0, 2.4, 4.8, 5.0 → nearest zone
    assert composite_light(total, n).tolist() == ["蓝", "浅蓝", "红", "红"]


def test_to_monthly_spreads_merged_jan_feb():
    s = to_monthly(pd.Series({"2021-01/02": 35.1, "2021-03": 14.1, "2022-02": 5.0, "2022-03": 8.5}))
    assert s[pd.Period("2021-01", "M")] == 35.1 and s[pd.Period("2021-02", "M")] == 35.1
    assert s[pd.Period("2022-01", "M")] == 5.0  # 累计 at February stands for 1-2月
    assert np.isnan(s[pd.Period("2021-06", "M")])


def test_trailing_quantile_thresholds_have_no_lookahead():
    idx = pd.period_range("2000-01", periods=60, freq="M")
    s = pd.Series(np.arange(60, dtype=float), index=idx)
    ind = Indicator("x", "x", window_years=10, min_years=3)
    th = rolling_thresholds(s, ind)
    # at month 48 the history is 0..47 → percentiles of that range only
    assert th.iloc[48].tolist() == pytest.approx(np.quantile(np.arange(48.0), [0.1, 0.25, 0.75, 0.9]).tolist())
    with pytest.raises(LightsError, match="thresholds"):
        Indicator("x", "某指标", thresholds=(1, 3, 2, 4))


@pytest.fixture(scope="module")
def national(shared_data):
    return compute_lights(national_light_series(shared_data), [i for _, _, i in NATIONAL_INDICATORS])


def _light(lights, month):
    return lights.composite.loc[pd.Period(month, "M"), "light"]


@pytest.mark.slow
def test_real_lights_cold_in_2008_09_and_2020(national):
    for m in ("2008-11", "2008-12", "2009-01", "2009-02", "2009-03", "2020-02", "2020-03", "2020-04"):
        assert _light(national, m) in ("蓝", "浅蓝"), m


@pytest.mark.slow
def test_real_lights_hot_in_2021_h1(national):
    for m in ("2021-01", "2021-02", "2021-03", "2021-04", "2021-05", "2021-06"):
        assert _light(national, m) in ("黄", "红"), m


@pytest.mark.slow
def test_real_indicator_zones_match_published_figures(national):
    # NBS: 2021年1-2月 规上工业增加值同比 35.1%; PPI 2021年6月 +8.8%; 利润 1-2月 +178.9% → all 红
    assert national.values.loc[pd.Period("2021-02", "M"), "iva_yoy"] == 35.1
    assert national.scores.loc[pd.Period("2021-02", "M"), "iva_yoy"] == 5
    assert national.values.loc[pd.Period("2021-06", "M"), "ppi_yoy"] == pytest.approx(8.8)
    assert national.scores.loc[pd.Period("2021-06", "M"), "ppi_yoy"] == 5
    # PMI 2008年11月 38.8 is the lowest reading up to then → 蓝
    assert national.scores.loc[pd.Period("2008-11", "M"), "pmi"] == 1

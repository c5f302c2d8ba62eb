"""景气预警信号灯: zones by hand, 1-2月 handling, and the real national series around 2008, 2020, 2021."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.alerts.realdata import national_light_series
from yacang.alerts.lights import (
    NATIONAL_INDICATORS,
    OFFICIAL_CUTS,
    Indicator,
    LightsError,
    backtest,
    composite_light,
    compute_lights,
    derive_points,
    load_points,
    rolling_thresholds,
    to_monthly,
    two_year_average,
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


def test_official_scoring_by_hand(tmp_path):
    # one indicator, critical points (5, 6, 8, 9): 4.0 蓝1, 5.5 浅蓝2, 7.0 绿3, 8.5 黄4, 9.5 红5
    f = tmp_path / "pts.yaml"
    f.write_text("versions:\n  - version: t\n    effective_from: '2015-01'\n    window: ['2010-01', '2014-12']\n"
                 "    method: test\n    points:\n      a: [5, 6, 8, 9]\n      b: [0, 1, 2, 3]\n      c: [0, 1, 2, 3]\n",
                 encoding="utf-8")
    pts = load_points(f)
    months = ["2015-03", "2015-04", "2015-05", "2015-06", "2015-07"]
    series = {"a": pd.Series([4.0, 5.5, 7.0, 8.5, 9.5], index=months),
              "b": pd.Series([2.5] * 5, index=months),  # 黄 4 every month
              "c": pd.Series([1.5] * 5, index=months)}  # 绿 3 every month
    inds = [Indicator("a", "甲"), Indicator("b", "乙"), Indicator("c", "丙")]
    lights = compute_lights(series, inds, points=pts)
    assert lights.scores["a"].tolist() == [1, 2, 3, 4, 5]
    # totals 8..12 of 15 → 预警指数 100·total/9: 88.9 绿, 100 绿, 111.1 绿, 122.2 黄, 133.3 红 (bands 83.3/116.7/133.3)
    assert lights.composite["total"].tolist() == [8, 9, 10, 11, 12]
    assert lights.composite["index"].round(1).tolist() == [88.9, 100.0, 111.1, 122.2, 133.3]
    assert lights.composite["light"].tolist() == ["绿", "绿", "绿", "黄", "红"]


def test_official_bands_match_nbs_2008_releases():
    # NBS 2008: 预警指数 113.3 and 110.7 绿, 85.3 绿, 78.7 浅蓝 (ten indicators, 100 = all 绿)
    totals = pd.Series([34.0, 33.2, 25.6, 23.6])  # 预警指数 × 30 / 100
    n = pd.Series([10, 10, 10, 10])
    assert composite_light(totals, n, OFFICIAL_CUTS).tolist() == ["绿", "绿", "绿", "浅蓝"]


def test_two_year_average_in_base_effect_year():
    idx = pd.period_range("2020-03", "2021-03", freq="M")
    s = pd.Series([-1.1] + [0.0] * 11 + [14.1], index=idx)
    out = two_year_average(s)
    # 2021年3月 14.1% on 2020年3月 −1.1%: √(1.141 × 0.989) − 1 = 6.23 %
    assert out[pd.Period("2021-03", "M")] == pytest.approx(100 * (np.sqrt(1.141 * 0.989) - 1))
    assert out[pd.Period("2020-03", "M")] == -1.1


def test_bad_points_file_names_file_version_and_indicator(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("versions:\n  - version: v9\n    effective_from: '2013-01'\n    window: ['2013-01', '2019-12']\n"
                 "    method: m\n    points:\n      iva_yoy: [5, 4, 8, 9]\n", encoding="utf-8")
    with pytest.raises(LightsError, match=r"bad\.yaml.*v9.*iva_yoy"):
        load_points(f)


def test_packaged_points_are_the_stated_percentiles(shared_data):
    """The shipped critical points are what their stated method gives on the stated window."""
    series = national_light_series(shared_data)
    nbs = pd.read_csv(shared_data / "nbs_official_export_iva_ppi" / "iva_total_monthly.csv", dtype={"date": str})
    ytd = nbs.set_index("date")["iva_ytd_yoy_pct"]
    for version in load_points():
        for _, _, ind in NATIONAL_INDICATORS:
            m = to_monthly(series[ind.code], ytd if ind.code == "iva_yoy" else None)
            if ind.growth:
                m = two_year_average(m)
            assert derive_points(m, version.window) == version.points[ind.code], (version.version, ind.code)


def test_lights_never_put_february_alone_in_january(shared_data):
    series = national_light_series(shared_data)
    nbs = pd.read_csv(shared_data / "nbs_official_export_iva_ppi" / "iva_total_monthly.csv", dtype={"date": str})
    ytd = nbs.set_index("date")["iva_ytd_yoy_pct"]
    # the warehouse-style series carries 2009-02 = 11.0 (February alone); 1-2月 was 3.8
    raw = pd.concat([series["iva_yoy"], pd.Series({"2009-02": 11.0})])
    raw = raw[~raw.index.duplicated(keep="last")]
    m = to_monthly(raw, ytd)
    assert m[pd.Period("2009-01", "M")] == 3.8 and m[pd.Period("2009-02", "M")] == 3.8


@pytest.fixture(scope="module")
def national(shared_data):
    nbs = pd.read_csv(shared_data / "nbs_official_export_iva_ppi" / "iva_total_monthly.csv", dtype={"date": str})
    return compute_lights(national_light_series(shared_data), [i for _, _, i in NATIONAL_INDICATORS],
                          ytd={"iva_yoy": nbs.set_index("date")["iva_ytd_yoy_pct"]})


@pytest.fixture(scope="module")
def national_pct(shared_data):
    nbs = pd.read_csv(shared_data / "nbs_official_export_iva_ppi" / "iva_total_monthly.csv", dtype={"date": str})
    return compute_lights(national_light_series(shared_data), [i for _, _, i in NATIONAL_INDICATORS],
                          method="percentile", ytd={"iva_yoy": nbs.set_index("date")["iva_ytd_yoy_pct"]})


def _light(lights, month):
    return lights.composite.loc[pd.Period(month, "M"), "light"]


@pytest.mark.slow
def test_real_percentile_lights_cold_in_2008_09_and_2020(national_pct):
    for m in ("2008-11", "2008-12", "2009-01", "2009-02", "2009-03", "2020-02", "2020-03", "2020-04"):
        assert _light(national_pct, m) in ("蓝", "浅蓝"), m


@pytest.mark.slow
def test_real_official_lights_backtest(national):
    table = backtest(national)
    assert len(table) == 14 and set(table["一致"]) <= {"是", "否"}
    got = dict(zip(table["月份"], table["本系统"], strict=True))
    # the deepest cold months agree with the published lights; 2008-01/02 绿 agree
    assert got["2020年2月"] == "蓝" and got["2008年1月"] == "绿" and got["2008年2月"] == "绿"
    # crisis months are cold (蓝 or 浅蓝) on industrial indicators, as NBS's lights were from 2008-12
    for m in ("2008年12月", "2009年2月"):
        assert got[m] in ("蓝", "浅蓝"), m


@pytest.mark.slow
def test_real_official_2021_base_effect_not_hot_in_h2(national):
    # industry grew 3.1–6.4 % in 2021 H2 (两年平均 5.0–5.8 %): with 两年平均 its light is never 黄/红
    months = [pd.Period(f"2021-{m:02d}", "M") for m in range(7, 12)]
    assert all(national.scores.loc[p, "iva_yoy"] <= 3 for p in months)
    # 2021年9月: 3.1 % on 2020年9月 6.9 % → 两年平均 √(1.031·1.069) − 1 = 4.98 %
    assert national.values.loc[months[2], "iva_yoy"] == pytest.approx(100 * (np.sqrt(1.031 * 1.069) - 1))
    # PPI (+9.5…13.5 %, no base effect) stays 红, so the composite is mostly, not always, 绿
    lights = [_light(national, str(p)) for p in months]
    assert lights.count("绿") >= 3 and "红" not in lights, lights


@pytest.mark.slow
def test_real_indicator_zones_match_published_figures(national_pct):
    national = national_pct
    # NBS: 2021年1-2月 规上工业增加值同比 35.1%; PPI 2021年6月 +8.8%; 利润 1-2月 +178.9% → all 红
    assert national.values.loc[pd.Period("2021-02", "M"), "iva_yoy"] == 35.1
    assert national.scores.loc[pd.Period("2021-02", "M"), "iva_yoy"] == 5
    assert national.values.loc[pd.Period("2021-06", "M"), "ppi_yoy"] == pytest.approx(8.8)
    assert national.scores.loc[pd.Period("2021-06", "M"), "ppi_yoy"] == 5
    # PMI 2008年11月 38.8 is the lowest reading up to then → 蓝
    assert national.scores.loc[pd.Period("2008-11", "M"), "pmi"] == 1


@pytest.mark.slow
def test_cli_lights_backtest(yacang_home, shared_data):
    from typer.testing import CliRunner

    from yacang.cli import app
    from yacang.settings import get_settings
    from yacang.warehouse import Warehouse
    from yacang.warehouse.load import load_file

    settings = get_settings()
    settings.ensure_home()
    wh = Warehouse.open(settings.warehouse_path)
    try:
        for f in ("iva_monthly.csv", "pmi_and_sales_output_ratio_monthly.csv", "ppi_ppirm_monthly.csv",
                  "industrial_enterprise_finance_monthly.csv", "export_delivery_value_monthly.csv"):
            load_file(wh, shared_data / "national_industry_monthly_wind" / f)
    finally:
        wh.close()
    result = CliRunner().invoke(app, ["lights", "--backtest"])
    assert result.exit_code == 0, result.output
    assert "回测" in result.output and "2008年12月" in result.output and "2020年2月" in result.output
    assert "lemofix.com" in result.output  # the episodes are cited
    bad = CliRunner().invoke(app, ["lights", "--points", str(yacang_home / "missing.yaml")])
    assert bad.exit_code != 0 and "无法读取" in bad.output

"""景气预警信号灯: zones and bands by hand, 1-2月 and gap handling, and the real national series around 2008, 2020, 2021."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.alerts.realdata import national_light_series
from yacang.alerts.lights import (
    DEFAULT_CUTS,
    NATIONAL_INDICATORS,
    PMI_INDICATOR,
    Indicator,
    LightsError,
    carry_forward,
    composite_light,
    compute_lights,
    derive_points,
    jan_feb_from_ytd,
    lights_from_warehouse,
    load_points,
    official_light,
    prepare,
    rolling_thresholds,
    to_monthly,
    two_year_average,
    warehouse_series,
    zone_scores,
)

WIND_FILES = ("iva_monthly.csv", "pmi_and_sales_output_ratio_monthly.csv", "ppi_ppirm_monthly.csv",
              "industrial_enterprise_finance_monthly.csv", "export_delivery_value_monthly.csv")


def load_national(wh, shared_data) -> None:
    """The national Wind files, ingested as ``yacang ingest`` does."""
    from yacang.warehouse.load import load_file

    for f in WIND_FILES:
        load_file(wh, shared_data / "national_industry_monthly_wind" / f)


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
              "c": pd.Series([2.5] * 5, index=months)}  # 黄 4 every month
    inds = [Indicator("a", "甲"), Indicator("b", "乙"), Indicator("c", "丙")]
    lights = compute_lights(series, inds, points=pts)
    assert lights.scores["a"].tolist() == [1, 2, 3, 4, 5]
    # totals 9..13 → 预警指数 100·total/9: 100 绿, 111.1 绿, 122.2 黄, 133.3 黄 (the 红 line itself is 黄), 144.4 红
    assert lights.composite["total"].tolist() == [9, 10, 11, 12, 13]
    assert lights.composite["index"].round(1).tolist() == [100.0, 111.1, 122.2, 133.3, 144.4]
    assert lights.composite["light"].tolist() == ["绿", "绿", "黄", "黄", "红"]
    # the composite of two of them: a + b = 5..9 of 2 → averages 2.5 绿 (line), 3.0, 3.5 绿 (line), 4.0 黄, 4.5 红
    assert lights.composite_of(["a", "b"])["light"].tolist() == ["绿", "绿", "绿", "黄", "红"]


def test_installation_points_file_overrides_the_package(yacang_home):
    # $YACANG_HOME/lights_points.yaml is the configuration: used by default (CLI, web page, bulletin)
    yacang_home.mkdir(parents=True, exist_ok=True)
    (yacang_home / "lights_points.yaml").write_text(
        "versions:\n  - version: 本地\n    effective_from: '2015-01'\n    window: ['2010-01', '2014-12']\n"
        "    method: m\n    points:\n      a: [0, 1, 2, 3]\n", encoding="utf-8")
    assert [v.version for v in load_points()] == ["本地"]
    lights = compute_lights({"a": pd.Series([0.5, 2.5], index=["2015-03", "2015-04"])}, [Indicator("a", "甲")])
    assert lights.scores["a"].tolist() == [2, 4]  # 0.5 in (0, 1] 浅蓝; 2.5 in (2, 3] 黄
    (yacang_home / "lights_points.yaml").unlink()
    assert "2013版" in [v.version for v in load_points()]  # back to the package file


def test_official_bands_match_published_index_values():
    # NBS: 121.3 and 117.3 黄 (2007-09/08), 114.7 / 113.3 / 110.7 绿 (2008), 85.3 绿 and 78.7 浅蓝 (2008-11/12);
    # CEMAC's 中经 indices: 116.7 "接近黄绿临界线" (绿), 83.3 "绿灯区的下临界线" (绿), 66.7 浅蓝 "接近蓝灯区临界点"
    published = {121.3: "黄", 117.3: "黄", 116.7: "绿", 114.7: "绿", 113.3: "绿", 110.7: "绿", 85.3: "绿",
                 83.3: "绿", 78.7: "浅蓝", 66.7: "浅蓝"}
    # as sums of ten scores (预警指数 × 30 / 100; the lines 35, 25 and 20 exactly)
    totals = pd.Series([36.39, 35.19, 35.0, 34.41, 33.99, 33.21, 25.59, 25.0, 23.61, 20.0])
    assert official_light(totals, pd.Series([10] * 10)).tolist() == list(published.values())


def test_official_bands_by_hand_for_ten_indicators():
    # sums of ten scores → 预警指数 100·Σ/30: 19 → 63.3 蓝, 20 → 66.7 浅蓝, 24 → 80.0 浅蓝, 25 → 83.3 绿,
    # 35 → 116.7 绿, 36 → 120.0 黄, 40 → 133.3 黄, 41 → 136.7 红
    totals = pd.Series([19.0, 20.0, 24.0, 25.0, 35.0, 36.0, 40.0, 41.0])
    assert official_light(totals, pd.Series([10] * 8)).tolist() == ["蓝", "浅蓝", "浅蓝", "绿", "绿", "黄", "黄", "红"]


def test_official_bands_scale_with_the_number_of_indicators():
    # five indicators: 预警指数 = 100·sum/15; the lines on the average score are 2.0/2.5 (in the zone above)
    # and 3.5/4.0 (in the zone below)
    totals = pd.Series([21.0, 20.0, 19.0, 18.0, 17.0, 13.0, 12.0, 10.0, 9.0])
    n = pd.Series([5] * 9)
    # averages 4.2 红, 4.0 黄, 3.8 黄, 3.6 黄, 3.4 绿, 2.6 绿, 2.4 浅蓝, 2.0 浅蓝, 1.8 蓝
    assert official_light(totals, n).tolist() == ["红", "黄", "黄", "黄", "绿", "绿", "浅蓝", "浅蓝", "蓝"]
    # one indicator missing (four left): 16 → 4.0 黄, 14 → 3.5 绿, 13 → 3.25 绿, 10 → 2.5 绿, 9 → 2.25 浅蓝, 7 → 1.75 蓝
    totals4 = pd.Series([16.0, 14.0, 13.0, 10.0, 9.0, 7.0])
    assert official_light(totals4, pd.Series([4] * 6)).tolist() == ["黄", "绿", "绿", "绿", "浅蓝", "蓝"]
    # the percentile option keeps nearest-zone rounding: 3.5 → 黄, 4.5 → 红
    assert composite_light(pd.Series([14.0, 18.0]), pd.Series([4, 4]), DEFAULT_CUTS).tolist() == ["黄", "红"]


def test_carry_forward_fills_inner_gaps_at_most_two_months():
    # published Feb, May, Sep only (quarterly-style): Mar/Apr carry Feb, Jun/Jul carry May, Aug stays empty
    s = pd.Series([1.0, 2.0, 3.0], index=pd.PeriodIndex(["2007-02", "2007-05", "2007-09"], freq="M"))
    out = carry_forward(s, 2)
    assert out.index[0] == pd.Period("2007-02", "M") and out.index[-1] == pd.Period("2007-09", "M")  # no extension
    got = {str(p): (None if np.isnan(v) else v) for p, v in out.items()}
    assert got == {"2007-02": 1.0, "2007-03": 1.0, "2007-04": 1.0, "2007-05": 2.0, "2007-06": 2.0, "2007-07": 2.0,
                   "2007-08": None, "2007-09": 3.0}


def test_jan_feb_scored_on_the_joint_figure_for_flows_only():
    # 2009: January −2.93 (vendor), February alone +11.0, 1-2月 累计 +3.8 (NBS)
    raw = pd.Series({"2009-01": -2.93, "2009-02": 11.0, "2009-03": 8.3})
    ytd = pd.Series({"2009-01": -2.93, "2009-02": 3.8, "2009-03": 5.1})
    m = jan_feb_from_ytd(to_monthly(raw, ytd), ytd)
    assert m[pd.Period("2009-01", "M")] == 3.8 and m[pd.Period("2009-02", "M")] == 3.8
    assert m[pd.Period("2009-03", "M")] == 8.3
    flow = prepare(raw, Indicator("f", "流量", growth=True), ytd=ytd)
    price = prepare(raw, Indicator("p", "价格"), ytd=ytd)  # prices are monthly: January stays January
    assert flow[pd.Period("2009-02", "M")] == 3.8 and price[pd.Period("2009-01", "M")] == -2.93


def test_two_year_average_in_base_effect_year():
    idx = pd.period_range("2020-03", "2021-03", freq="M")
    s = pd.Series([-1.1] + [0.0] * 11 + [14.1], index=idx)
    out = two_year_average(s)
    # 2021年3月 14.1% on 2020年3月 −1.1%: √(1.141 × 0.989) − 1 = 6.23 %
    assert out[pd.Period("2021-03", "M")] == pytest.approx(100 * (np.sqrt(1.141 * 0.989) - 1))
    assert out[pd.Period("2020-03", "M")] == -1.1


def test_base_effect_month_without_its_base_is_not_scored():
    """A series that starts in 2021 has no 2020 base: 2021年3月 +14.1 % is left unscored, not lit red."""
    idx = pd.period_range("2021-01", "2022-03", freq="M")
    s = pd.Series([7.0] * 12 + [6.0, 6.0, 5.0], index=idx)
    out = two_year_average(s)
    assert out[pd.Period("2021-03", "M")] != out[pd.Period("2021-03", "M")]  # NaN
    assert out[pd.Period("2022-03", "M")] == 5.0  # 2022 is not a base-effect year


def test_bad_points_file_names_file_version_and_indicator(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("versions:\n  - version: v9\n    effective_from: '2013-01'\n    window: ['2013-01', '2019-12']\n"
                 "    method: m\n    points:\n      iva_yoy: [5, 4, 8, 9]\n", encoding="utf-8")
    with pytest.raises(LightsError, match=r"bad\.yaml.*v9.*iva_yoy"):
        load_points(f)


@pytest.fixture(scope="module")
def national_wh(shared_data):
    from yacang.warehouse import Warehouse

    wh = Warehouse.memory()
    load_national(wh, shared_data)
    yield wh
    wh.close()


@pytest.mark.slow
def test_packaged_points_are_the_stated_percentiles(national_wh):
    """The shipped critical points are what their stated method gives on the stated window."""
    series, used, ytd = warehouse_series(national_wh, indicators=[*NATIONAL_INDICATORS, PMI_INDICATOR])
    assert [i.code for i in used] == [i.code for _, _, i in [*NATIONAL_INDICATORS, PMI_INDICATOR]]
    for version in load_points():
        for ind in used:
            m = prepare(series[ind.code], ind, ytd=ytd.get(ind.code))
            assert derive_points(m, version.window) == version.points[ind.code], (version.version, ind.code)


@pytest.mark.slow
def test_every_indicator_has_data_in_2007_2009(national_wh):
    lights = lights_from_warehouse(national_wh)
    crisis = lights.values.loc[pd.Period("2007-01", "M"): pd.Period("2009-12", "M")]
    assert crisis.notna().all().all(), crisis.isna().sum().to_dict()
    assert (lights.composite.loc[pd.Period("2007-01", "M"): pd.Period("2009-12", "M"), "n"] == 5).all()


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
def national(national_wh):
    return lights_from_warehouse(national_wh)


@pytest.fixture(scope="module")
def national_pct(national_wh):
    return lights_from_warehouse(national_wh, indicators=[*NATIONAL_INDICATORS, PMI_INDICATOR], method="percentile")


def _light(lights, month):
    return lights.composite.loc[pd.Period(month, "M"), "light"]


@pytest.mark.slow
def test_real_percentile_lights_cold_in_2008_09_and_2020(national_pct):
    for m in ("2008-11", "2008-12", "2009-01", "2009-02", "2009-03", "2020-02", "2020-03", "2020-04"):
        assert _light(national_pct, m) in ("蓝", "浅蓝"), m


@pytest.mark.slow
def test_real_official_2021_base_effect_not_hot_in_h2(national):
    # industry grew 3.1–6.4 % in 2021 H2 (两年平均 5.0–5.8 %): with 两年平均 its light is never 黄/红
    months = [pd.Period(f"2021-{m:02d}", "M") for m in range(7, 12)]
    assert all(national.scores.loc[p, "iva_yoy"] <= 3 for p in months)
    # 2021年9月: 3.1 % on 2020年9月 6.9 % → 两年平均 √(1.031·1.069) − 1 = 4.98 %
    assert national.values.loc[months[2], "iva_yoy"] == pytest.approx(100 * (np.sqrt(1.031 * 1.069) - 1))
    # NBS published 两年平均: 2021年1-2月 8.1 % (35.1 % on −13.5 %), 3月 6.2 % (14.1 % on −1.1 %)
    assert round(national.values.loc[pd.Period("2021-01", "M"), "iva_yoy"], 1) == 8.1
    assert round(national.values.loc[pd.Period("2021-02", "M"), "iva_yoy"], 1) == 8.1
    assert round(national.values.loc[pd.Period("2021-03", "M"), "iva_yoy"], 1) == 6.2
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


def test_a_points_file_that_is_not_text_is_named(tmp_path):
    f = tmp_path / "chart.png"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    with pytest.raises(LightsError, match=r"chart\.png 不是 UTF-8 文本"):
        load_points(f)


def test_ppi_months_missing_from_wind_come_from_nbs_index(shared_data):
    """Wind's PPI export lacks 2019年6月 and ends at 2025年12月; NBS's own export (上年同月=100) has
    2019年6月 100.0, 2026年1月 98.6, 2026年2月 99.1 — the light reads those as 0.0, −1.4, −0.9."""
    from yacang.warehouse import Warehouse
    from yacang.warehouse.load import load_file

    wh = Warehouse.memory()
    try:
        load_file(wh, shared_data / "national_industry_monthly_wind" / "ppi_ppirm_monthly.csv")
        load_file(wh, shared_data / "nbs_official_export_iva_ppi" / "original_reconstructed"
                  / "98年-26年2月工业生产者出厂价格指数.csv")
        ppi = lights_from_warehouse(wh, min_indicators=1).values["ppi_yoy"]
    finally:
        wh.close()
    assert ppi[pd.Period("2019-06", "M")] == 0.0
    assert ppi[pd.Period("2026-01", "M")] == pytest.approx(-1.4)
    assert ppi[pd.Period("2026-02", "M")] == pytest.approx(-0.9)
    # Wind's own figures around the gap are kept (2019年5月 +0.6, 7月 −0.3)
    assert ppi[pd.Period("2019-05", "M")] == 0.6 and ppi[pd.Period("2019-07", "M")] == -0.3


def test_method_words_write_months_as_officials_read_them():
    """The method line printed the points' windows as codes (自1990-01起，2000-01至2012-12)."""
    from yacang.alerts.lights import method_words

    words = method_words("official", load_points())
    # lights_points.yaml: 2000版 effective_from 1990-01, window 2000-01…2012-12; 2013版 2013-01, 2013-01…2019-12
    assert "2000版 自1990年1月起，2000年1月至2012年12月" in words
    assert "2013版 自2013年1月起，2013年1月至2019年12月" in words
    assert "-01" not in words and "-12" not in words
    with pytest.raises(LightsError, match="窗口 2000年1月至2001年12月 内只有 12 个"):
        derive_points(pd.Series(1.0, index=pd.period_range("2000-01", periods=12, freq="M")), ("2000-01", "2001-12"))


def test_the_board_labels_months_as_officials_write_them() -> None:
    from yacang.alerts.charts import month_ticks

    months = pd.period_range("2019-01", "2020-12", freq="M")
    assert month_ticks(months) == (list(range(24)), [f"{y}年{m}月" for y in (2019, 2020) for m in range(1, 13)])
    ticks, labels = month_ticks(pd.period_range("2000-01", "2019-12", freq="M"))
    assert ticks[:3] == [0, 10, 20] and labels[:3] == ["2000年1月", "2000年11月", "2001年9月"]

"""The typed-in facts match the published series, and the demo's national growth follows them."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.demo.reference import published_iva, real_growth
from yacang.demo import calibration as cal

TOLERANCE_PP = 0.05  # |demo − published| for every 当月同比, percentage points
YTD_TOLERANCE_PP = 2.0  # 累计同比 follows only approximately (see test below)


def test_typed_national_figures_equal_published_series(shared_data):
    yoy, ytd = published_iva(shared_data)
    for period, value in cal.NATIONAL_IVA_YOY.items():
        assert value == pytest.approx(yoy[period], abs=1e-9), period
    for period, value in cal.NATIONAL_IVA_YTD_YOY.items():
        assert value == pytest.approx(ytd[period], abs=1e-9), period
    # spot checks known by heart: 2022年3月 5.0, 1-3月 6.5; 2020年1-2月 −13.5
    assert cal.NATIONAL_IVA_YOY["2022-03"] == 5.0
    assert cal.NATIONAL_IVA_YTD_YOY["2022-03"] == 6.5
    assert cal.NATIONAL_IVA_YOY["2020-01/02"] == -13.5


def test_division_ppi_table_equals_published_ppi(shared_data):
    folder = shared_data / "national_industry_monthly_wind"
    cat = pd.read_csv(folder / "series_catalog.csv", dtype=str)
    ppi = pd.read_csv(folder / "ppi_ppirm_monthly.csv", dtype={"date": str})
    ids = cat[cat["series_id"].isin([f"PPI{i:03d}" for i in range(48, 87)])]
    table = cal.division_ppi_yoy()
    checked = 0
    for sid, code in zip(ids["series_id"], ids["gb4754_2017_code"], strict=True):
        s = ppi[(ppi["series_id"] == sid) & (ppi["date"] >= "2018-01") & (ppi["date"] <= "2025-12")]
        for date, value in zip(s["date"], s["value"], strict=True):
            assert table.loc[code, date] == pytest.approx(value, abs=0.05), (code, date)
            checked += 1
    assert checked > 3000
    # the merged 1-2月 deflator averages January and February: 黑色金属冶炼 (31) 2022
    s31 = ppi[(ppi["series_id"] == "PPI071")].set_index("date")["value"]
    assert cal.period_ppi_index("31", 2022, 0) == pytest.approx(100 + (s31["2022-01"] + s31["2022-02"]) / 2)


def test_national_growth_follows_published_path(small_demo, shared_data):
    """Independent pandas calculation over the generated rows against NBS's published 当月同比."""
    d = small_demo
    yoy, _ = published_iva(shared_data)
    g = real_growth(d.reports, d.enterprises, d.division_ppi, d.division_params)
    assert list(g.index) == sorted(d.periods)
    gaps = (g - yoy.reindex(g.index)).abs()
    assert gaps.notna().all()
    assert gaps.max() <= TOLERANCE_PP, gaps.sort_values().tail()


def test_cumulative_growth_is_close_to_published(small_demo, shared_data):
    """累计同比 is not calibrated directly: NBS's published 累计 use revised 上年同期 bases that no single
    consistent panel reproduces; it stays within 2 points (largest in early 2021, after the 2020 drop)."""
    d = small_demo
    _, ytd = published_iva(shared_data)
    r = d.reports.merge(d.enterprises[["uscc", "industry"]], on="uscc")
    r["division"] = r["industry"].str[:2]
    r["year"] = r["period"].str[:4].astype(int)
    ppi = d.division_ppi.set_index(["period", "division"])["index_yoy"]
    rate = d.division_params.set_index(["year", "division"])["va_rate"]
    r["num"] = r["output_value"] / ppi.loc[list(zip(r["period"], r["division"], strict=True))].to_numpy() * 100
    r["num"] *= rate.loc[list(zip(r["year"], r["division"], strict=True))].to_numpy()
    r["den"] = r["output_value_prev"] * rate.loc[list(zip(r["year"], r["division"], strict=True))].to_numpy()
    by = r.groupby("period")[["num", "den"]].sum()
    for year in (2020, 2021, 2022):
        acc_num = acc_den = 0.0
        for k in range(11):
            p = cal.period_code(year, k)
            acc_num += by.loc[p, "num"]
            acc_den += by.loc[p, "den"]
            got = (acc_num / acc_den - 1) * 100
            assert abs(got - ytd[p]) <= YTD_TOLERANCE_PP, (p, got, ytd[p])
        if year == 2022:  # 全年: published 3.6
            assert abs(got - 3.6) <= 0.3

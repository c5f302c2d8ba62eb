"""The typed-in facts match the published series, and the demo's national growth follows them."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.demo.reference import published_iva, real_growth
from yacang.demo import calibration as cal
from yacang.demo import ppi

TOLERANCE_PP = 0.05  # |demo − published| for every 当月同比, percentage points
PPI_TRACK_TOLERANCE_PP = 0.05 + 1e-9  # VA-weighted division PPI vs national: rounding to 0.1 only


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


def test_typed_national_ppi_equals_published_series(shared_data):
    """All 96 typed PPI 当月同比 equal the NBS portal export (index − 100) and Wind's PPI001 where it has them."""
    nbs = pd.read_csv(shared_data / "nbs_official_export_iva_ppi" / "ppi_total_monthly.csv", dtype={"date": str})
    nbs = nbs.set_index("date")["ppi_yoy_index_prev_year_eq_100"] - 100.0
    folder = shared_data / "national_industry_monthly_wind"
    wind = pd.read_csv(folder / "ppi_ppirm_monthly.csv", dtype={"date": str})
    wind = wind[wind["series_id"] == "PPI001"].set_index("date")["value"]
    assert len(cal.NATIONAL_PPI_YOY) == 96
    assert min(cal.NATIONAL_PPI_YOY) == "2018-01" and max(cal.NATIONAL_PPI_YOY) == "2025-12"
    for month, value in cal.NATIONAL_PPI_YOY.items():
        assert value == pytest.approx(nbs[month], abs=1e-6), month
        if month in wind.index:
            assert value == pytest.approx(wind[month], abs=1e-9), month
    assert wind.reindex(list(cal.NATIONAL_PPI_YOY)).notna().sum() >= 90
    # known by heart: the 2021年10月 peak 13.5%, 2023年6月 trough −5.4%
    assert cal.NATIONAL_PPI_YOY["2021-10"] == 13.5 and cal.NATIONAL_PPI_YOY["2023-06"] == -5.4


def _published_ppi(shared_data) -> pd.Series:
    nbs = pd.read_csv(shared_data / "nbs_official_export_iva_ppi" / "ppi_total_monthly.csv", dtype={"date": str})
    return nbs.set_index("date")["ppi_yoy_index_prev_year_eq_100"] - 100.0


def test_division_ppi_va_weighted_mean_tracks_published_national(shared_data):
    """VA-weighted mean of the demo's division 当月同比 = published national PPI, to rounding (≤ 0.05 points)."""
    table = ppi.division_ppi_yoy()
    divisions = [d for d in table.index if d != "TOTAL"]
    assert len(divisions) == 41
    weights = pd.Series({d: cal.DIVISION_VA_WEIGHTS[d] for d in divisions})
    weights /= weights.sum()
    published = _published_ppi(shared_data)
    months = [f"{y}-{m:02d}" for y in range(2018, 2026) for m in range(1, 13)]
    for month in months:
        mean = sum(weights[d] * table.loc[d, month] for d in divisions)
        assert abs(mean - published[month]) <= PPI_TRACK_TOLERANCE_PP, (month, mean, published[month])


def test_generated_deflators_track_national_by_report_period(small_demo, shared_data):
    """The deflators the demo writes (1-2月合并: mean of January and February) average back to the nation."""
    published = _published_ppi(shared_data)
    d = small_demo.division_ppi
    assert d.groupby("period").size().eq(41).all()
    w = d["division"].map(cal.DIVISION_VA_WEIGHTS)
    d = d.assign(wx=w * (d["index_yoy"] - 100.0), w=w)
    by = d.groupby("period")[["wx", "w"]].sum()
    mean = by["wx"] / by["w"]
    for period, got in mean.items():
        y = period[:4]
        want = ((published[f"{y}-01"] + published[f"{y}-02"]) / 2 if period.endswith("01/02")
                else published[period])
        assert abs(got - want) <= PPI_TRACK_TOLERANCE_PP, (period, got, want)


def test_division_ppi_sensitivities_shape_the_paths():
    """Upstream divisions swing several times as much as the nation; equipment and utilities far less."""
    t = ppi.division_ppi_yoy()
    nat = t.loc["TOTAL"]
    swing = (t.loc[:, "2021-10"] - t.loc[:, "2023-06"])  # national: 13.5 − (−5.4) = 18.9 points
    assert swing["TOTAL"] == pytest.approx(18.9)
    for d in ("06", "07", "08", "25", "31"):
        assert swing[d] > 2 * 18.9, d
        assert t.loc[d].corr(nat) > 0.9, d
    for d in ("26", "28", "30", "32"):
        assert swing[d] > 18.9, d
    for d in ("14", "16", "18", "27", "36", "39", "40", "44", "46"):
        assert abs(swing[d]) < 0.5 * 18.9, d
    assert (t.drop(index="TOTAL") > -60).all().all()  # every index stays well above 0
    # merged 1-2月 deflator: mean of January and February (黑色金属冶炼 31, 2022)
    assert ppi.period_ppi_index("31", 2022, 0) == pytest.approx(100 + (t.loc["31", "2022-01"] + t.loc["31", "2022-02"]) / 2)
    assert ppi.period_ppi_index("31", 2022, 1) == pytest.approx(100 + t.loc["31", "2022-03"])


def test_division_ppi_does_not_depend_on_demo_seed(small_demo):
    from tests.demo.conftest import SMALL
    from yacang.demo.generator import DemoSpec, generate

    other = generate(DemoSpec(**{**SMALL, "enterprises": 300, "seed": 99}))
    pd.testing.assert_frame_equal(other.division_ppi, small_demo.division_ppi)


def test_calibration_deflates_by_division_ppi(small_demo, shared_data):
    """Deflated by division PPI the demo hits the published 当月同比; deflated by the national PPI it does not
    (in 2021-22 upstream prices rose far faster than the national index)."""
    d = small_demo
    yoy, _ = published_iva(shared_data)
    published = _published_ppi(shared_data)
    national = d.division_ppi.copy()
    national["index_yoy"] = 100.0 + national["period"].map(
        lambda p: (published[p[:4] + "-01"] + published[p[:4] + "-02"]) / 2 if p.endswith("01/02") else published[p])
    by_div = real_growth(d.reports, d.enterprises, d.division_ppi, d.division_params)
    by_nat = real_growth(d.reports, d.enterprises, national, d.division_params)
    assert (by_div - yoy.reindex(by_div.index)).abs().max() <= TOLERANCE_PP
    gaps = by_nat - yoy.reindex(by_nat.index)
    assert gaps.abs().max() > 0.3, gaps.abs().max()


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
    """累计同比 follows the published 累计 within 0.05 points in every period: NBS's 累计 rest on revised
    (核实) 上年同期 bases, and so does the demo (one factor per period, cal.base_revisions)."""
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
            assert abs(got - ytd[p]) <= 0.05, (p, got, ytd[p])
        if year == 2022:  # 全年: published 3.6, and the demo prints 3.6
            assert abs(got - 3.6) < 0.05

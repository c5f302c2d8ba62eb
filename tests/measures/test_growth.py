"""Growth arithmetic for published series: yoy, ytd from levels, two-year average, contribution, pull."""

from __future__ import annotations

import pandas as pd
import pytest

from yacang.measures.growth import (
    contribution,
    pull,
    two_year_average,
    weighted_growth,
    yoy,
    ytd_growth,
    ytd_levels,
)


@pytest.fixture(scope="module")
def iva(shared_data):
    df = pd.read_csv(shared_data / "national_industry_monthly_wind" / "iva_monthly.csv", dtype={"date": str})
    return {sid: g.set_index("date")["value"] for sid, g in df[df["series_id"].isin(["IVA001", "IVA022"])].groupby("series_id")}


def test_two_year_average_2021_annual_is_6_1(iva):
    # published 累计同比 for December: 2021 9.6, 2020 2.8
    g21, g20 = iva["IVA022"]["2021-12"], iva["IVA022"]["2020-12"]
    assert (g21, g20) == (9.6, 2.8)
    assert round(two_year_average(g21, g20), 1) == 6.1


def test_two_year_average_december_2021_is_5_8(iva):
    g21, g20 = iva["IVA001"]["2021-12"], iva["IVA001"]["2020-12"]
    assert (g21, g20) == (4.3, 7.3)
    assert round(two_year_average(g21, g20), 1) == 5.8


def test_two_year_average_on_series():
    out = two_year_average(pd.Series([10.0, 0.0]), pd.Series([10.0, -19.0]))
    # √(1.1·1.1) − 1 = 10%; √(1·0.81) − 1 = −10%
    assert out.tolist() == pytest.approx([10.0, -10.0])


def test_yoy_and_ytd_from_levels():
    levels = pd.Series(
        [200.0, 100.0, 110.0, 210.0, 120.0, 110.0],
        index=["2021-01/02", "2021-03", "2021-04", "2022-01/02", "2022-03", "2022-04"],
    )
    # 当月: 210/200 = +5%, 120/100 = +20%, 110/110 = 0
    assert yoy(levels).loc["2022-01/02":].tolist() == pytest.approx([5.0, 20.0, 0.0])
    # 累计: 210/200; 330/300 = +10%; 440/410 = +7.317%
    assert ytd_levels(levels).loc["2022-04"] == 440.0
    assert ytd_growth(levels).loc["2022-01/02":].tolist() == pytest.approx([5.0, 10.0, 30 / 410 * 100])
    assert ytd_growth(levels).loc[:"2021-04"].isna().all()


def test_ytd_growth_needs_complete_last_year():
    levels = pd.Series([100.0, 120.0, 130.0], index=["2021-03", "2022-01/02", "2022-03"])
    # 2021 lacks 1-2月: 累计 not comparable
    assert ytd_growth(levels).isna().all()


def test_contribution_and_pull():
    # base 100 = 60 + 40; parts grow by +6 and −1: total +5%
    delta = pd.Series({"a": 6.0, "b": -1.0})
    assert contribution(delta).tolist() == pytest.approx([120.0, -20.0])
    assert pull(delta, 100.0).tolist() == pytest.approx([6.0, -1.0])
    assert pull(delta, 100.0).sum() == pytest.approx(5.0)


def test_weighted_growth_renormalises_missing():
    g = pd.Series({"06": 10.0, "07": 0.0, "08": None})
    w = pd.Series({"06": 0.25, "07": 0.25, "08": 0.5})
    assert weighted_growth(g, w) == pytest.approx(5.0)

"""alerts.fact_table: published series on their release calendar before they become facts."""

from __future__ import annotations

import pandas as pd

from yacang.alerts.fact_table import on_release_calendar


def test_a_february_1_2_figure_joins_the_merged_period():
    obs = pd.DataFrame({
        "series_id": ["ytd", "ytd", "ytd", "month", "month", "ytd"],
        # Wind stores 1-2月 累计 in the February cell; the 当月 series already has 1-2月
        "period": ["2022-02", "2022-03", "2021-12", "2022-01/02", "2022-03", "2022-04"],
        "value": [7.5, 6.5, 9.6, 7.5, 5.0, None],
    })
    out = on_release_calendar(obs).sort_values(["series_id", "period"]).reset_index(drop=True)
    assert out.values.tolist() == [["month", "2022-01/02", 7.5], ["month", "2022-03", 5.0],
                                   ["ytd", "2021-12", 9.6], ["ytd", "2022-01/02", 7.5], ["ytd", "2022-03", 6.5]]


def test_a_monthly_release_keeps_january_and_february():
    # PPI and PMI publish January and February each: nothing is merged
    obs = pd.DataFrame({"series_id": ["ppi"] * 3, "period": ["2022-01", "2022-02", "2022-03"], "value": [9.1, 8.8, 8.3]})
    assert on_release_calendar(obs)["period"].tolist() == ["2022-01", "2022-02", "2022-03"]


def test_jan_feb_month_figure_is_its_ytd_where_the_series_leaves_it_blank(shared_data):
    """iva_monthly.csv: 烟草制品业 当月同比 (IVA043) has 2018-12 −17.7 and 2019-03 5 but no 1-2月; its 累计
    (IVA105) 2019-02 is 15 — 1-2月's 当月 figure, as NBS publishes 1-2月 as one period."""
    from yacang.alerts.fact_table import facts_from_warehouse
    from yacang.warehouse import Warehouse
    from yacang.warehouse.load import load_file

    wh = Warehouse.memory()
    try:
        load_file(wh, shared_data / "national_industry_monthly_wind" / "iva_monthly.csv")
        f = facts_from_warehouse(wh)
    finally:
        wh.close()
    tobacco = f[(f["key"] == "100000/16") & (f["metric"] == "iva_yoy")].set_index("period")["value"]
    assert tobacco["2018-12"] == -17.7 and tobacco["2019-01/02"] == 15.0 and tobacco["2019-03"] == 5.0
    # a 1-2月 the 当月 series gives is kept as given (全国 2020年1-2月 −13.5, published)
    nation = f[(f["key"] == "100000") & (f["metric"] == "iva_yoy")].set_index("period")["value"]
    assert nation["2020-01/02"] == -13.5

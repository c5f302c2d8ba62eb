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

"""Seasonal adjustment of a real flow: 出口交货值 当月值 with 1-2月 from the February 累计值."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.analysis.realdata import national
from yacang.analysis.seasonal import SeasonalAdjustment
from yacang.measures.calendar import flow_view


def export_delivery(shared_data) -> pd.Series:
    df = pd.read_csv(national(shared_data) / "export_delivery_value_monthly.csv", dtype={"date": str})
    value = df[df.series_id == "EXD003"].set_index("date")["value"]
    ytd = df[df.series_id == "EXD076"].set_index("date")["value"]
    return flow_view(value, ytd)


def test_flow_view_by_hand(shared_data) -> None:
    s = export_delivery(shared_data)
    # 2007: 1-2月 = February 累计值 9390 亿元 (the Wind 当月值 4341 is February alone); March kept
    assert s["2007-01/02"] == pytest.approx(9390.0)
    assert s["2007-03"] == pytest.approx(5450.5)
    assert "2007-02" not in s.index and "2007-01" not in s.index


@pytest.mark.slow
def test_real_export_delivery_adjusts_without_residual_festival(shared_data) -> None:
    res = SeasonalAdjustment(export_delivery(shared_data), jan_feb="flow").fit()
    assert res.method == "x13"
    assert abs(res.diagnostics["residual_festival_t"]) < 2
    # adjusted January and February of a merged year add up to roughly the adjusted level of two months
    jan, feb, dec = (pd.Period(p, "M") for p in ("2024-01", "2024-02", "2023-12"))
    assert 0.8 < (res.adjusted[jan] + res.adjusted[feb]) / (2 * res.adjusted[dec]) < 1.2

"""The one monthly calendar: 1-2月 merged since 2013, pre-2013 February alone only where published."""

from __future__ import annotations

import pandas as pd
import pytest

from yacang.measures.calendar import CalendarError, calendar_view, monthly_grid


def nbs_iva(shared_data) -> tuple[pd.Series, pd.Series]:
    d = pd.read_csv(shared_data / "nbs_official_export_iva_ppi" / "iva_total_monthly.csv", dtype={"date": str})
    d = d.set_index("date")
    return d["iva_yoy_pct"], d["iva_ytd_yoy_pct"]


def test_2009_february_alone_and_jan_feb(shared_data) -> None:
    yoy, ytd = nbs_iva(shared_data)
    view = calendar_view(yoy, ytd)
    # NBS: 2009 1-2月 3.8 (the February 累计), February alone 11.0; no January alone was published
    assert view["2009-01/02"] == 3.8 and view["2009-02"] == 11.0
    assert "2009-01" not in view.index
    grid = monthly_grid(view)
    jan, feb = grid.loc[pd.Period("2009-01", "M")], grid.loc[pd.Period("2009-02", "M")]
    assert jan["value"] == 3.8 and jan["period"] == "2009-01/02" and jan["joint"]
    assert feb["value"] == 3.8 and feb["joint"]  # never 2009-01 = 11.0, February alone stays in the view


def test_2008_february_cell_is_the_merged_figure(shared_data) -> None:
    yoy, ytd = nbs_iva(shared_data)
    view = calendar_view(yoy, ytd)
    # 2008: the February cell (15.4) equals the February 累计 (15.4): it is 1-2月, not February alone
    assert view["2008-01/02"] == 15.4 and "2008-02" not in view.index


def test_since_2013_one_merged_period_and_vendor_split_left_out() -> None:
    values = pd.Series({"2012-12": 10.3, "2013-01": 17.7, "2013-02": 2.2, "2013-03": 8.9})
    ytd = pd.Series({"2013-02": 9.9, "2013-03": 9.5})
    view = calendar_view(values, ytd, merged=True)  # a vendor's split of 1-2月 looks like two months
    assert view.index.tolist() == ["2012-12", "2013-01/02", "2013-03"]
    assert view["2013-01/02"] == 9.9
    assert any("17.7" in n and "未采用" in n for n in view.attrs["notes"])  # named, not silently dropped


def test_both_months_published_stay_separate() -> None:
    view = calendar_view(pd.Series({"2005-01": 20.9, "2005-02": 7.6, "2005-03": 16.0}))
    grid = monthly_grid(view)
    assert grid["value"].tolist() == [20.9, 7.6, 16.0]
    assert not grid["joint"].any()


def test_lone_february_without_ytd_is_not_moved_to_january() -> None:
    grid = monthly_grid(calendar_view(pd.Series({"2009-02": 11.0, "2009-03": 8.3})))
    # without the 累计 series nothing says 11.0 is 1-2月: it stays February alone, January is not invented
    assert grid.index[0] == pd.Period("2009-02", "M")
    assert grid.loc[pd.Period("2009-02", "M"), "period"] == "2009-02"
    assert grid.loc[pd.Period("2009-02", "M"), "value"] == 11.0


def test_monthly_releases_keep_january_and_february() -> None:
    # PMI and PPI publish January and February separately: nothing merged, nothing dropped
    pmi = pd.Series({"2020-01": 50.0, "2020-02": 35.7, "2020-03": 52.0})
    grid = monthly_grid(calendar_view(pmi))
    assert grid["value"].tolist() == [50.0, 35.7, 52.0] and not grid["joint"].any()


def test_conflicting_duplicates_refused() -> None:
    with pytest.raises(CalendarError, match="两个不同的值"):
        calendar_view(pd.Series([1.0, 2.0], index=["2020-03", "2020年3月"]))


def test_merged_view_drops_single_months_where_1_2_exists() -> None:
    """2009 (NBS): 2月 11.0 alone and 1-2月 3.8 (the February 累计); January −2.9 is Wind's own split.
    On the merged calendar 2009 has 1-2月 3.8 and no single January/February; 2014 (merged release)
    keeps its 1-2月 8.6 and drops the vendor's January value."""
    from yacang.measures.calendar import merged_view

    single = pd.Series({"2009-01": -2.9, "2009-02": 11.0, "2009-03": 8.3, "2014-01": 8.5, "2014-02": 8.6,
                        "2014-03": 8.8})
    ytd = pd.Series({"2009-02": 3.8, "2009-03": 5.1, "2014-02": 8.6, "2014-03": 8.7})
    view = merged_view(single, ytd)
    assert view.to_dict() == {"2009-01/02": 3.8, "2009-03": 8.3, "2014-01/02": 8.6, "2014-03": 8.8}


def test_flow_view_takes_1_2_from_february_ytd_and_fills_gaps() -> None:
    """当月值 flows: 1-2月 = February 累计值 (100 + 120 = 220 here); a missing April is 累计 Apr − 累计 Mar."""
    from yacang.measures.calendar import flow_view

    values = pd.Series({"2022-03": 130.0, "2022-05": 150.0})
    ytd = pd.Series({"2022-02": 220.0, "2022-03": 350.0, "2022-04": 490.0, "2022-05": 640.0})
    out = flow_view(values, ytd)
    assert out.to_dict() == {"2022-01/02": 220.0, "2022-03": 130.0, "2022-04": 140.0, "2022-05": 150.0}

"""yacang.microdata.window_sums on DuckDB and Spark: every window per enterprise in one statement, every
level in one GROUPING SETS statement, against the numbers worked by hand in panel.py / test_measures.py.

2023-03 当月 real VA / base: E1 250/200, E2 100/100, E3 80/100, E4 150/100 (E5 not 规上); 1-3月: E1 750/700,
E2 300/300, E3 380/300, E4 250/200. Profits 当月 E1 5, E2 −5, E3 −1, E4 3; 1-3月 E1 15, E2 −10, E3 7, E4 5.
"""

from __future__ import annotations

import pytest

from tests.conformance.panel import E1, E2, E3, E4
from yacang.measures.real_growth import attribute_columns
from yacang.measures.windows import monthly_windows
from yacang.microdata.window_sums import level_tables, window_sums

LEVELS = [(), ("province",), ("prefecture", "division")]


@pytest.fixture(scope="module")
def wide(con):
    sums = window_sums(con, monthly_windows("2023-03"))
    e = con.table("enterprises").join(sums, "uscc")
    return e.select(*attribute_columns(e), *(e[k] for k in sums.columns if k != "uscc")).cache()


def test_window_sums_per_enterprise(con, wide):
    df = wide.to_pandas().set_index("uscc")
    assert sorted(df.index) == sorted([E1, E2, E3, E4])  # E5 is not 规上 in 2023
    assert df.loc[E1, ["va_month", "va_base_month", "va_ytd", "va_base_ytd"]].tolist() == pytest.approx(
        [250, 200, 750, 700])
    assert df.loc[E3, ["va_month", "va_base_month", "va_ytd", "va_base_ytd"]].tolist() == pytest.approx(
        [80, 100, 380, 300])
    assert df.loc[E2, ["n_month", "n_ytd", "n_ytd_prev", "profit_ytd"]].tolist() == [1, 2, 1, -10]
    # no 2022 增加值率 (a first-year warehouse) and no 2022 reports: last year's windows are empty
    assert df["n_month_ly"].tolist() == [0, 0, 0, 0]


def test_level_tables_by_hand(con, wide):
    t = level_tables(wide, monthly_windows("2023-03"), LEVELS)
    nat = t[()].iloc[0]
    assert nat["growth_month"] == pytest.approx(16.0) and nat["growth_ytd"] == pytest.approx(12.0)
    assert nat["n_ytd"] == 4 and nat["growing_share_month"] == pytest.approx(50.0)
    assert nat["declining_share_month"] == pytest.approx(25.0) and nat["growing_share_ytd"] == pytest.approx(75.0)
    assert nat["loss_share_month"] == pytest.approx(50.0) and nat["loss_depth_month"] == pytest.approx(6 / 8 * 100)
    assert nat["loss_share_ytd"] == pytest.approx(25.0) and nat["loss_depth_ytd"] == pytest.approx(10 / 27 * 100)
    prov = t[("province",)].set_index("province")
    assert prov.loc["440000", ["growth_month", "growth_ytd"]].tolist() == pytest.approx([7.5, 10.0])
    assert prov.loc["320000", ["growth_month", "growth_ytd"]].tolist() == pytest.approx([50.0, 25.0])
    assert prov.loc["440000", ["pull_month", "pull_ytd"]].tolist() == pytest.approx([6.0, 26 / 3])
    assert prov.loc["440000", "growth_ytd_prev"] == pytest.approx(1000 / 900 * 100 - 100)
    cells = t[("prefecture", "division")].set_index(["prefecture", "division"])
    # 深圳 × 36 (E2, E3): 当月 180/200, pull on the national total −20/500
    assert cells.loc[("440300", "36"), "growth_month"] == pytest.approx(-10.0)
    assert cells.loc[("440300", "36"), "pull_month"] == pytest.approx(-4.0)
    assert cells["pull_ytd"].sum() == pytest.approx(12.0)
    assert str(cells["n_month"].dtype) == "int64" and len(cells) == 3

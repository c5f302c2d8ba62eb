"""Consistency checks: hand-worked sums and the real NBS-vs-Wind comparison."""

import pandas as pd
import pytest

from tests.ingest.helpers import NBS_IVA, NBS_PPI, WIND_MAIN
from yacang.checks.consistency import compare, cumulate, ytd_from_monthly
from yacang.checks.report import cross_source, ytd_checks
from yacang.warehouse import Warehouse
from yacang.warehouse.load import load_files


def test_cumulate_counts_a_merged_january_february_for_two_months():
    monthly = pd.Series({"2022-01/02": 10.0, "2022-03": 6.0, "2022-04": 5.0, "2022-06": 1.0})
    # 1-2月 10, 1-3月 16, 1-4月 21; May missing so June cannot be summed
    assert cumulate(monthly).to_dict() == {"2022-02": 10.0, "2022-03": 16.0, "2022-04": 21.0}


def test_cumulate_starts_from_the_published_jan_feb_ytd_when_monthly_lacks_it():
    monthly = pd.Series({"2023-03": 3.0, "2023-04": 4.0})
    ytd = pd.Series({"2023-02": 7.0, "2023-03": 10.0, "2023-04": 14.5})
    result = ytd_from_monthly(monthly, ytd, label="x", monthly_id="m", ytd_id="y", rel=0.01, absolute=0.1)
    t = result.table.set_index("period")
    assert t.loc["2023-03", "left"] == 10.0 and bool(t.loc["2023-03", "agree"])
    assert t.loc["2023-04", "left"] == 14.0 and not bool(t.loc["2023-04", "agree"])  # 0.5 > max(1%×14.5, 0.1)


def test_compare_uses_one_decimal_tolerance():
    c = compare(pd.Series({"2022-03": 5.0, "2022-04": -2.9, "2022-05": 0.7}),
                pd.Series({"2022-03": 5.04, "2022-04": -2.8, "2022-06": 3.9}),
                label="t", left_id="a", right_id="b")
    assert c.n_agree == 1 and c.mismatches["period"].tolist() == ["2022-04"]
    assert c.only_left == ["2022-05"] and c.only_right == ["2022-06"]


@pytest.fixture(scope="module")
def warehouse(shared_data):
    wh = Warehouse.memory()
    outcomes = load_files(wh, [shared_data / WIND_MAIN, shared_data / NBS_IVA, shared_data / NBS_PPI])
    assert all(o.ok for o in outcomes)
    yield wh
    wh.close()


@pytest.mark.slow
def test_total_iva_monthly_growth_agrees_on_290_months(warehouse):
    by_label = {c.label: c for c in cross_source(warehouse)}
    iva = by_label["规上工业增加值 当月同比（国家统计局发布的单月）"]
    # PROVENANCE of the shared data: all 290 overlapping months of NBS and Wind match exactly
    assert len(iva.table) == 290 and iva.n_agree == 290
    ytd = by_label["规上工业增加值 累计同比"]
    assert len(ytd.mismatches) == 0 and "2007-11" in ytd.only_left  # 2007-11 is missing in Wind (PROVENANCE)


@pytest.mark.slow
def test_ppi_months_that_differ_are_all_before_2006_11(warehouse):
    ppi = next(c for c in cross_source(warehouse) if c.label.startswith("PPI"))
    bad = ppi.mismatches["period"].tolist()
    # PROVENANCE: 11 differences in 1998-10 → 2006-10, agreement from 2006-11 on
    assert len(bad) == 11 and bad[0] == "1998-10" and bad[-1] == "2006-10"
    assert "2019-06" in ppi.only_left  # Wind wrote 0.0 as a gap filler; NBS has 100.0


@pytest.mark.slow
def test_export_delivery_ytd_is_checked_against_monthly_sums(warehouse):
    checks = {c.label: c for c in ytd_checks(warehouse)}
    total = checks["出口交货值 全部工业（wind）"]
    t = total.table.set_index("period")
    # 2019: 1-2月 17254.6 + 3月 10292.0 = 27546.6 against the published 1-3月 27662.8 (−0.42%, within 1%)
    assert t.loc["2019-03", "left"] == pytest.approx(27546.6)
    assert t.loc["2019-03", "right"] == 27662.8 and bool(t.loc["2019-03", "agree"])
    assert total.n_agree > len(total.table) / 2

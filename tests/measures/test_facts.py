"""Microdata facts for the alert engine, checked on the hand-built panel (see tests/microdata/handbuilt.py)."""

import pytest

from tests.microdata import handbuilt
from yacang.measures import alert_facts
from yacang.warehouse.report_ytd import is_current, refresh_report_ytd


@pytest.fixture(params=["reports", "maintained"])
def facts(wh, request):
    handbuilt.build(wh)  # reports inserted around the writers: the facts sum the reports
    if request.param == "maintained":  # the maintained table built: the facts read its slices
        refresh_report_ytd(wh.db)
        assert is_current(wh.con)
    df = alert_facts(wh, period="2022-03")
    return df.set_index(["key", "period", "metric"])["value"]


def test_region_facts_by_hand(facts) -> None:
    # 当月 2022-03 (this year's 规上 set A, B, C): real VA 250 + 100 + 60 = 410 against 225 + 100 + 40 = 365
    assert facts["100000", "2022-03", "iva_yoy"] == pytest.approx((410 / 365 - 1) * 100)
    # nobody declines (B is flat), so 减产面 is 0
    assert facts["100000", "2022-03", "decline_share"] == pytest.approx(0.0)
    # 累计 1-3月 广东: 750 + 300 + 180 = 1230 against 725 + 300 + 140 = 1165; target 6.0
    ytd = (1230 / 1165 - 1) * 100
    assert facts["440000", "2022-03", "iva_ytd_yoy"] == pytest.approx(ytd)
    assert facts["440000", "2022-03", "target_gap"] == pytest.approx(ytd - 6.0)
    # every 2022 规上 enterprise reported for 2022-03
    assert facts["440000", "2022-03", "reporting_rate"] == pytest.approx(100.0)


def test_key_enterprise_pull_by_hand(facts) -> None:
    # A (key) adds 750 − 725 = 25 to 广东's 累计 base of 1165
    assert facts[handbuilt.A, "2022-03", "enterprise_pull"] == pytest.approx(25 / 1165 * 100)
    assert (handbuilt.B, "2022-03", "enterprise_pull") not in facts.index  # not a key enterprise


def test_engine_reads_them(wh) -> None:
    from yacang.alerts.fact_table import collect_facts

    handbuilt.build(wh)
    f = collect_facts(wh)
    assert {"decline_share", "reporting_rate", "target_gap", "enterprise_pull"} <= set(f["metric"])

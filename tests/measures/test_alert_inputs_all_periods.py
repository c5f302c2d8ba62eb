"""The alert facts of every period come from one scan; each must equal what the per-period panel
(:func:`enterprise_panel` + :func:`aggregate`, a separate query path) gives for that period alone."""

from __future__ import annotations

import pandas as pd
import pytest

from yacang.measures import alert_facts
from yacang.measures.real_growth import aggregate, enterprise_panel


@pytest.fixture(scope="module")
def demo_wh():
    from yacang.demo.generator import DemoSpec, generate
    from yacang.demo.writer import write_microdata
    from yacang.warehouse import Warehouse

    wh = Warehouse.memory()
    write_microdata(wh, generate(DemoSpec(enterprises=1500, months=24, end="2022-12", seed=11)))
    yield wh
    wh.close()


@pytest.fixture(scope="module")
def facts(demo_wh) -> pd.Series:
    return alert_facts(demo_wh, period="2022-12").set_index(["key", "period", "metric"])["value"]


@pytest.mark.parametrize("period", ["2022-01/02", "2022-07", "2022-12", "2021-12"])
def test_each_period_equals_its_own_panel(demo_wh, facts, period) -> None:
    con = demo_wh.con
    for level in ("nation", "province", "prefecture"):
        by = [] if level == "nation" else [level]
        mon = aggregate(enterprise_panel(con, period, cumulative=False), by).to_pandas()
        cum = aggregate(enterprise_panel(con, period, cumulative=True), by).to_pandas()
        keys_m = ["100000"] * len(mon) if level == "nation" else list(mon[level])
        keys_c = ["100000"] * len(cum) if level == "nation" else list(cum[level])
        for k, g, d in zip(keys_m, mon["growth"], mon["declining_share"], strict=True):
            assert facts[k, period, "iva_yoy"] == pytest.approx(g, rel=1e-9)
            assert facts[k, period, "decline_share"] == pytest.approx(d, rel=1e-9)
        for k, g, loss in zip(keys_c, cum["growth"], cum["loss_share"], strict=True):
            assert facts[k, period, "iva_ytd_yoy"] == pytest.approx(g, rel=1e-9)
            assert facts[k, period, "loss_share"] == pytest.approx(loss, rel=1e-9)


def test_periods_kept_and_key_pulls(demo_wh, facts) -> None:
    periods = sorted(set(facts.index.get_level_values("period")))
    assert len(periods) == 13 and "2021-11" in periods and "2021-10" not in periods  # 11 in 2022 (1-2月 merged) + 2
    cum = enterprise_panel(demo_wh.con, "2022-07", cumulative=True).to_pandas()
    base = cum.groupby("province")["va_base"].sum()
    key = cum[cum["is_key"]].iloc[0]
    expected = (key["va"] - key["va_base"]) / base[key["province"]] * 100
    assert facts[key["uscc"], "2022-07", "enterprise_pull"] == pytest.approx(expected, rel=1e-9)


def test_the_facts_come_from_the_maintained_table_and_equal_the_reports_scan(demo_wh) -> None:
    """The demo's writers keep the 当月/累计 table current, so the facts above were read from it; the same
    panel summed from the reports (every row joined to its windows) is the same, row for row."""
    from yacang.measures.alert_inputs import multi_period_panel, report_periods_upto
    from yacang.warehouse.report_ytd import is_current

    assert is_current(demo_wh.con)
    periods = report_periods_upto(demo_wh, "2022-12", 13)
    key = ["target", "kind", "uscc"]
    fast = multi_period_panel(demo_wh.con, periods).to_pandas().sort_values(key).reset_index(drop=True)
    slow = (multi_period_panel(demo_wh.con, periods, maintained=False).to_pandas()
            .sort_values(key).reset_index(drop=True))
    assert len(fast) == len(slow) > 1500
    pd.testing.assert_frame_equal(fast[sorted(fast.columns)], slow[sorted(slow.columns)], check_dtype=False,
                                  rtol=1e-12)

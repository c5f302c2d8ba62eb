"""Critical-point rules: the real-time versions by hand, and the rule table on the real national series."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.alerts.test_lights import load_national
from yacang.alerts.lights import LightsError, warehouse_series
from yacang.alerts.lights_backtest import backtest, summary
from yacang.alerts.lights_rules import RULES, compare_rules, realtime_versions, rule_points


def _years_series() -> dict[str, pd.Series]:
    idx = pd.period_range("2000-01", "2009-12", freq="M")
    level = pd.Series([float(p.year - 2000) for p in idx], index=idx)  # 0 in 2000 … 9 in 2009
    short = level.loc[pd.Period("2004-01", "M"):]  # starts 2004: only 12 months in 2000–2004
    return {"a": level, "b": short}


def test_realtime_versions_by_hand():
    v2005, v2008 = realtime_versions(_years_series(), [2005, 2008], span=5)
    # 2005版 from 2000–2004: sixty values, twelve each of 0..4 → 10/25/75/90th percentiles 0, 1, 3, 4
    assert v2005.window == ("2000-01", "2004-12") and v2005.points["a"] == (0.0, 1.0, 3.0, 4.0)
    assert v2005.effective_from == "1990-01"  # the first version also applies before 2005 (no earlier window)
    assert "b" not in v2005.points  # 12 months in the window: too short, no points (no score) from this version
    # 2008版 from 2003–2007: twelve each of 3..7 → 3, 4, 6, 7; "b" has 2004–2007 (48 months, twelve each of 4..7):
    # 4, 4.75, 6.25, 7 rounded to 0.1 (half to even: 4.8, 6.2)
    assert v2008.effective_from == "2008-01" and v2008.points["a"] == (3.0, 4.0, 6.0, 7.0)
    assert v2008.points["b"] == (4.0, 4.8, 6.2, 7.0)
    with pytest.raises(LightsError, match="未知的临界点规则"):
        rule_points("tuned", _years_series(), 2009)


@pytest.mark.slow
def test_rule_table_on_real_data(shared_data):
    from yacang.warehouse import Warehouse

    wh = Warehouse.memory()
    try:
        load_national(wh, shared_data)
        series, used, ytd = warehouse_series(wh)
        from yacang.alerts.lights import lights_from_warehouse

        default = summary(backtest(lights_from_warehouse(wh)))
    finally:
        wh.close()
    table = compare_rules(series, used, ytd).set_index("规则")
    assert list(table.index) == list(RULES)
    # the packaged rule is what `yacang lights --backtest` shows
    assert table.loc["packaged", "子集综合"] == "{}/{}/{}".format(*default["子集综合"])
    # month-by-month trailing percentiles agree less with the like-for-like subsets than the fixed points
    same = {r: int(table.loc[r, "子集综合"].split("/")[0]) for r in RULES}
    assert same["percentile"] < same["packaged"]

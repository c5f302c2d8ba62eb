"""Storing an evaluation: transitions handed to DuckDB as one batch per rule (messages not copied), the
connection's row-order setting left as it was, text columns of the grid hashed by Arrow or pandas alike."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from tests.alerts.helpers import monthly_facts
from yacang.alerts import store
from yacang.alerts.engine import Grid, _with_nulls, changes
from yacang.alerts.rules import parse_pack

NEG = {"id": "neg", "name": "当月工业负增长", "scope": "region", "value": "iva_yoy", "direction": "below",
       "levels": {"黄": 0, "红": -3}, "message": "{name}{period_label}规上工业增加值同比{value:增减}"}


def test_messages_followed_by_nulls_share_their_characters():
    msgs = pa.array(["甲市2022年3月增长1.0%", None, "乙"])
    out = _with_nulls(msgs, 2)
    assert out.to_pylist() == ["甲市2022年3月增长1.0%", None, "乙", None, None]
    assert out.buffers()[2].address == msgs.buffers()[2].address  # the characters are not copied
    assert _with_nulls(msgs.slice(1), 1).to_pylist() == [None, "乙", None]  # a slice (offset) is copied first
    assert _with_nulls(pa.array([], pa.string()), 2).to_pylist() == [None, None]


def test_transitions_are_each_rules_firing_rows_then_its_resolutions():
    # 2021-03..09; neg (黄 ≤ 0, 红 ≤ -3): 330000 fires 04, 红 06, 黄 07, resolved 08; 110000 fires 05, resolved 06;
    # neg2 (黄 ≤ -1.5): both fire 05, 110000 resolved 06, 330000 07. Within a period, units in key order.
    pack = parse_pack({"rules": [NEG, {**NEG, "id": "neg2", "levels": {"黄": -1.5}}]})
    facts = monthly_facts({"330000": [5, -1, -2, -4, -1, 2, 3], "110000": [1, 2, -2, 1, 1, 1, 1]}, "iva_yoy")
    t = changes(pack, Grid.from_facts(facts), names={"330000": "浙江", "110000": "北京"}).table
    rows = list(zip(*(t.column(c).to_pylist() for c in ("rule_id", "key", "period", "state", "severity", "message")),
                    strict=True))
    assert rows == [
        ("neg", "330000", "2021-04", "firing", "黄", "浙江2021年4月规上工业增加值同比下降1.0%"),
        ("neg", "110000", "2021-05", "firing", "黄", "北京2021年5月规上工业增加值同比下降2.0%"),
        ("neg", "330000", "2021-06", "firing", "红", "浙江2021年6月规上工业增加值同比下降4.0%"),
        ("neg", "330000", "2021-07", "firing", "黄", "浙江2021年7月规上工业增加值同比下降1.0%"),
        ("neg", "110000", "2021-06", "resolved", "黄", None), ("neg", "330000", "2021-08", "resolved", "黄", None),
        ("neg2", "110000", "2021-05", "firing", "黄", "北京2021年5月规上工业增加值同比下降2.0%"),
        ("neg2", "330000", "2021-05", "firing", "黄", "浙江2021年5月规上工业增加值同比下降2.0%"),
        ("neg2", "110000", "2021-06", "resolved", "黄", None), ("neg2", "330000", "2021-07", "resolved", "黄", None)]
    assert len(t.to_batches()) == 2  # one batch per rule


@pytest.mark.parametrize("before", [True, False])
def test_saving_restores_the_connections_row_order_setting(wh, before):
    pack = parse_pack({"rules": [NEG]})
    facts = monthly_facts({"330000": [5, -1, -2, -4, -1, 2, 3]}, "iva_yoy")
    wh.db.execute(f"SET preserve_insertion_order = {str(before).lower()}")
    store.save_changes(wh, changes(pack, Grid.from_facts(facts)), ["neg"], pack=pack)
    assert wh.db.execute("SELECT current_setting('preserve_insertion_order')").fetchall()[0][0] is before
    # 黄 from 2021-04, 红 in 06 (-4 ≤ -3), 黄 in 07, resolved in 08
    rows = wh.db.execute("SELECT period, state, severity FROM alert_transitions ORDER BY ord").fetchall()
    assert rows == [("2021-04", "firing", "黄"), ("2021-06", "firing", "红"), ("2021-07", "firing", "黄"),
                    ("2021-08", "resolved", "黄")]


def test_grid_from_arrow_text_and_from_object_text_is_the_same():
    facts = pd.DataFrame({"scope": ["region"] * 4, "key": ["330000", "110000", "330000", "110000"],
                          "parent": ["100000"] * 4, "period": ["2022-03", "2022-03", "2022-01/02", "2022-01/02"],
                          "metric": ["a", "a", "a", "b"], "value": [1.0, 2.0, 3.0, 4.0]})
    arrow = Grid.from_facts(facts.astype({c: "str" for c in ("scope", "key", "parent", "period", "metric")}))
    obj = Grid.from_facts(facts.astype({c: object for c in ("scope", "key", "parent", "period", "metric")}))
    for g in (arrow, obj):
        assert g.keys.tolist() == ["110000", "330000"] and g.periods == ["2022-01/02", "2022-03"]
        assert np.array_equal(g.arrays["a"], [[np.nan, 2.0], [3.0, 1.0]], equal_nan=True)
        assert np.array_equal(g.arrays["b"], [[4.0, np.nan], [np.nan, np.nan]], equal_nan=True)

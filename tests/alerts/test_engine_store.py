"""Storing an evaluation: transitions handed to DuckDB in a few batches cut at rule boundaries, the
connection's row-order setting left as it was, text columns of the grid hashed by Arrow or pandas alike."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from tests.alerts.helpers import monthly_facts
from yacang.alerts import store
from yacang.alerts.engine import Grid, _in_batches, changes
from yacang.alerts.rules import parse_pack

NEG = {"id": "neg", "name": "当月工业负增长", "scope": "region", "value": "iva_yoy", "direction": "below",
       "levels": {"黄": 0, "红": -3}, "message": "{name}{period_label}规上工业增加值同比{value:增减}"}


def test_batches_keep_each_rules_firing_rows_then_its_resolutions():
    # 3 rules: (2 firing, 1 resolved), (0, 0), (1, 2) → 6 rows; messages only on the firing rows
    nf, nr = np.array([2, 0, 1]), np.array([1, 0, 2])
    cols = {"row": pa.array(np.arange(6, dtype=np.int32))}
    msgs = [pa.array(["a0", "a1"]), pa.array([], pa.string()), pa.array(["c0"])]
    t = _in_batches(cols, msgs, nf, nr, parts=2)
    assert t.column("row").to_pylist() == [0, 1, 2, 3, 4, 5]
    assert t.column("message").to_pylist() == ["a0", "a1", None, "c0", None, None]
    assert 1 <= len(t.to_batches()) <= 3 and msgs == [None, None, None]  # released once gathered
    no_msgs = _in_batches(cols, None, nf, nr)
    assert no_msgs.num_rows == 6 and no_msgs.column("message").null_count == 6


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

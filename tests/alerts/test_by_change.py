"""The fused by-change scan, the grid pivot, Arrow-assembled messages and code-based regions/repeats."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yacang.alerts.engine import Grid, scan_changes, state_changes, step_states
from yacang.alerts.messages import Coded, render_arrow
from yacang.alerts.regions import alert_regions
from yacang.alerts.store import mark_repeats


def test_scan_by_hand_for_2_keep_1():
    # one unit, 8 periods; level index per period (-1: condition not met)
    sev = np.array([[0], [1], [-1], [0], [0], [1], [-1], [-1]], dtype=np.int8)
    s = scan_changes(sev >= 0, sev, for_n=2, keep=1)
    # t0 pending (run 1 < for 2); t1 fires at level 1; t2 cleared once (kept firing); t3 level 0; t5 level 1;
    # t6 cleared once (kept); t7 cleared twice > keep → resolved at level 1
    assert list(zip(s["f_col"], s["f_sev"], strict=True)) == [(1, 1), (3, 0), (5, 1)]
    assert list(zip(s["r_col"], s["r_sev"], strict=True)) == [(7, 1)]
    assert not s["firing"][0] and not s["pending"][0] and s["fired"][0]


def test_scan_pending_at_the_end_and_firing_since_the_episode_start():
    # unit 0: −, a, a(fires, for 2), a → firing since t2 at level 0; unit 1: a, −, −, a → pending since t3
    act = np.array([[0, 1], [1, 0], [1, 0], [1, 1]], dtype=bool)
    s = scan_changes(act, np.where(act, 0, -1).astype(np.int8), for_n=2, keep=0)
    assert s["firing"].tolist() == [True, False] and s["pending"].tolist() == [False, True]
    assert s["fire_since"][0] == 2 and 4 - s["run"][1] == 3
    assert s["r_unit"].size == 0 and s["f_unit"].tolist() == [0]


@pytest.mark.parametrize(("for_n", "keep"), [(1, 0), (2, 0), (1, 2), (3, 1)])
def test_scan_equals_the_per_period_state_grid(for_n, keep):
    """The fused scan keeps exactly the changes the per-period state grid has (step_states + state_changes)."""
    rng = np.random.default_rng(for_n * 10 + keep)
    sev = np.where(rng.random((300, 24)) < 0.45, rng.integers(0, 3, (300, 24)), -1).astype(np.int8)
    state, sev_state = step_states(sev >= 0, sev, for_n, keep)
    ref = state_changes(state, sev_state.astype(np.int16))
    r, t = np.nonzero(ref["change"])
    stored = ref["stored"][r, t]
    s = scan_changes(np.ascontiguousarray((sev >= 0).T), np.ascontiguousarray(sev.T), for_n, keep)
    got_f = sorted(zip(s["f_unit"].tolist(), s["f_col"].tolist(), s["f_sev"].tolist(), strict=True))
    got_r = sorted(zip(s["r_unit"].tolist(), s["r_col"].tolist(), s["r_sev"].tolist(), strict=True))
    f, res = stored == 2, stored == 3
    assert got_f == sorted(zip(r[f].tolist(), t[f].tolist(), sev_state[r[f], t[f]].tolist(), strict=True))
    assert got_r == sorted(zip(r[res].tolist(), t[res].tolist(), sev_state[r[res], t[res]].tolist(), strict=True))
    cur = np.flatnonzero(s["fired"] | s["pending"])
    assert cur.tolist() == ref["cur"].tolist()


def test_grid_pivot_orders_keys_and_periods_and_takes_first_rows():
    facts = pd.DataFrame({
        "scope": ["region"] * 5, "key": ["330000", "110000", "330000", "110000", "330000"],
        "parent": ["100000", "100000", "100000", None, "100000"],
        "period": ["2022-03", "2022-01/02", "2021-12", "2022-03", "2022-01/02"],
        "metric": ["a", "a", "a", "b", "b"], "value": [1.0, 2.0, 3.0, 4.0, 5.0]})
    g = Grid.from_facts(facts)
    assert g.keys.tolist() == ["110000", "330000"]
    assert g.periods == ["2021-12", "2022-01/02", "2022-03"]  # calendar order, not text order
    assert g.parents.tolist() == ["100000", "100000"]
    np.testing.assert_array_equal(g.arrays["a"], [[np.nan, 2.0, np.nan], [3.0, np.nan, 1.0]])
    np.testing.assert_array_equal(g.arrays["b"], [[np.nan, np.nan, 4.0], [np.nan, 5.0, np.nan]])


def test_messages_from_distinct_texts():
    names = Coded(np.array([1, 0, 1]), np.array(["示例市10", "浙江省"], dtype=object))
    out = render_arrow("{name}{period_label}增加值同比{value:增减}", 3,
                       {"name": names, "period_label": np.array(["2022年12月", "2022年1-2月", "2022年3月"], dtype=object)},
                       {"value": np.array([-3.75, 6.5, np.nan])})
    assert out.to_pylist() == ["浙江省2022年12月增加值同比下降3.8%", "示例市10 2022年1-2月增加值同比增长6.5%",
                               "浙江省2022年3月增加值同比—"]


def test_regions_and_repeats_on_categorical_columns():
    df = pd.DataFrame({"rule_id": ["neg"] * 4, "scope": ["region", "region", "region", "industry"],
                       "key": ["100000", "330000", "320000", "330000/36"],
                       "parent": ["", "100000", "100000", "330000"], "state": ["firing"] * 4,
                       "severity": ["黄", "黄", "红", "黄"]})
    cat = df.astype("category")
    assert alert_regions(cat["scope"], cat["key"], cat["parent"], {}).tolist() == ["100000", "330000", "320000", "330000"]
    # 浙江 黄 under a 黄 nation repeats it; 江苏 红 is worse than its parent; an industry never repeats
    assert mark_repeats(cat).fillna("").tolist() == ["", "100000", "", ""]
    assert mark_repeats(df).fillna("").tolist() == ["", "100000", "", ""]


def test_silence_matchers_on_categorical_columns_with_missing_values():
    from yacang.alerts.silences import Matcher

    labels = pd.Series(["330000", None, "320000", "330000"], dtype="category")
    assert Matcher.parse("region=330000").mask(labels).tolist() == [True, False, False, True]
    assert Matcher.parse("region!=330000").mask(labels).tolist() == [False, True, True, False]
    assert Matcher.parse("region=~3[23].*").mask(labels).tolist() == [True, False, True, True]

"""Alert history by change: transitions and current state, states at past periods, no stale alerts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.alerts.helpers import monthly_facts
from yacang.alerts import store
from yacang.alerts.engine import Grid, changes, evaluate
from yacang.alerts.evaluate import stale
from yacang.alerts.rules import parse_pack

NEG = {"id": "neg", "name": "当月工业负增长", "scope": "region", "value": "iva_yoy", "direction": "below",
       "levels": {"黄": 0, "红": -3}, "labels": {"measure": "当月"},
       "message": "{name}{period_label}规上工业增加值同比{value:增减}"}


def _save(wh, pack, facts):
    grid = Grid.from_facts(facts)
    ch = changes(pack, grid, names={"330000": "浙江省"})
    store.save_changes(wh, ch, [r.id for r in pack.rules], pack=pack, names={"330000": "浙江省"})
    return ch


def test_only_changes_are_stored(wh):
    # 2021-03..09: 5, -1, -2, -4, -1, 2, 3 → 黄 from 04, 红 in 06 (-4 ≤ -3), 黄 in 07, resolved in 08
    facts = monthly_facts({"330000": [5, -1, -2, -4, -1, 2, 3]}, "iva_yoy")
    ch = _save(wh, parse_pack({"rules": [NEG]}), facts)
    t = ch.transitions
    assert list(zip(t["period"], t["state"], t["severity"], strict=True)) == [
        ("2021-04", "firing", "黄"), ("2021-06", "firing", "红"), ("2021-07", "firing", "黄"),
        ("2021-08", "resolved", "黄")]
    assert t["message"].tolist()[:2] == ["浙江省2021年4月规上工业增加值同比下降1.0%",
                                         "浙江省2021年6月规上工业增加值同比下降4.0%"]
    cur = store.load_history(wh)
    assert cur[["state", "since", "last_active", "region"]].values.tolist() == [["resolved", "2021-08", "2021-07", "330000"]]
    # the state at a past period is the last change at or before it
    june = store.load_history(wh, period="2021-06", state="firing")
    assert june[["severity", "since", "value"]].values.tolist() == [["红", "2021-06", -4.0]]
    assert store.load_history(wh, period="2021-03").empty  # nothing had happened yet
    assert store.load_history(wh, period="2022-01/02").empty  # not evaluated that far


def test_alert_of_a_unit_whose_data_stop_resolves(wh):
    # 320000 reports −2 for two months and then nothing: the alert must not stay firing
    facts = monthly_facts({"330000": [1, 1, 1, 1, 1], "320000": [-2, -2]}, "iva_yoy")
    pack = parse_pack({"rules": [dict(NEG, keep_firing_for=1)]})
    _save(wh, pack, facts)
    cur = store.load_history(wh)
    assert cur.set_index("key").loc["320000", "state"] == "resolved"
    assert stale(cur[cur["state"] == "firing"], pack).empty


def test_by_change_equals_the_per_period_frame_on_random_series(wh):
    """The vectorised changes and the changes derived from the engine's per-period frame agree."""
    rng = np.random.default_rng(3)
    vals = {f"{11 + i:02d}0000": list(np.round(rng.normal(1, 3, 20), 1)) for i in range(25)}
    facts = monthly_facts(vals, "iva_yoy")
    pack = parse_pack({"rules": [dict(NEG, **{"for": 2, "keep_firing_for": 1})]})
    grid = Grid.from_facts(facts)
    direct = changes(pack, grid, messages=False)
    derived = store.changes_from_cells(evaluate(pack, grid), grid.periods)
    cols = ["rule_id", "key", "period", "state", "severity", "value"]
    text = ["rule_id", "key", "period", "state", "severity"]
    a = direct.transitions[cols].astype(dict.fromkeys(text, str)).sort_values(["key", "period"]).reset_index(drop=True)
    b = derived.transitions[cols].astype(dict.fromkeys(text, str)).sort_values(["key", "period"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    assert set(a["state"]) == {"firing", "resolved"}  # pending episodes that never fired leave no history
    assert "pending" in set(direct.current["state"])  # but a unit pending now is in the current state
    ccols = ["key", "state", "severity", "since"]
    pd.testing.assert_frame_equal(
        direct.current[ccols].astype(str).sort_values("key").reset_index(drop=True),
        derived.current[ccols].astype(str).sort_values("key").reset_index(drop=True), check_dtype=False)


def test_a_child_repeating_its_parents_alert_is_marked(wh):
    # nation −1 (黄); 浙江 −2 (黄: repeats it); 江苏 −5 (红: worse than the parent, its own finding)
    facts = monthly_facts({"100000": [-1], "330000": [-2], "320000": [-5]}, "iva_yoy",
                          parents={"330000": "100000", "320000": "100000"})
    _save(wh, parse_pack({"rules": [NEG]}), facts)
    cur = store.load_history(wh).set_index("key")
    assert cur["repeat_of"].fillna("").to_dict() == {"100000": "", "320000": "", "330000": "100000"}


def test_pending_leaves_no_history_but_shows_as_current(wh):
    # for: 3 — 浙江 −1, −1, 2 (pending twice, never fired); 江苏 2, 2, −1, −1 at the end (pending since 2021-05)
    facts = monthly_facts({"330000": [-1, -1, 2, 2], "320000": [2, 2, -1, -1]}, "iva_yoy")
    ch = _save(wh, parse_pack({"rules": [dict(NEG, **{"for": 3})]}), facts)
    assert ch.transitions.empty
    cur = store.load_history(wh)
    assert cur[["key", "state", "since"]].values.tolist() == [["320000", "pending", "2021-05"]]


def test_firing_since_is_the_start_of_the_episode_not_the_last_level_change(wh):
    # −1 (黄) from 2021-03, −4 (红) in 2021-04, still −4 in 2021-05: firing since 2021-03, level 红
    facts = monthly_facts({"330000": [-1, -4, -4]}, "iva_yoy")
    _save(wh, parse_pack({"rules": [NEG]}), facts)
    cur = store.load_history(wh)
    assert cur[["state", "severity", "since"]].values.tolist() == [["firing", "红", "2021-03"]]


def test_an_alert_kept_after_its_condition_cleared_says_so(wh):
    from yacang.alerts.silences import HOLDING_NOTE, reported, with_holding_note

    # 2021-03..05: 5, -1, 2 with keep_firing_for 1: 4月 fires (−1), 5月 grows 2.0% but stays firing
    _save(wh, parse_pack({"rules": [dict(NEG, keep_firing_for=1)]}), monthly_facts({"330000": [5, -1, 2]}, "iva_yoy"))
    april = with_holding_note(store.load_history(wh, period="2021-04", state="firing"))
    assert april["message"].tolist() == ["浙江省2021年4月规上工业增加值同比下降1.0%"]
    may = with_holding_note(store.load_history(wh, period="2021-05", state="firing"))
    assert may["message"].tolist() == ["浙江省2021年5月规上工业增加值同比增长2.0%" + HOLDING_NOTE]
    # what goes to officials (bulletin, run summary) carries the note: reported() adds it
    assert reported(store.load_history(wh, period="2021-05", state="firing"))["message"].tolist() == \
        ["浙江省2021年5月规上工业增加值同比增长2.0%" + HOLDING_NOTE]

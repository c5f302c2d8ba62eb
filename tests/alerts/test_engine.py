"""Alert states on hand-made series: pending → firing after N periods, resolved, keep_firing_for."""

from __future__ import annotations

import numpy as np

from tests.alerts.helpers import monthly_facts, periods_from
from yacang.alerts.engine import evaluate, step_states
from yacang.alerts.rules import parse_pack


def _pack(**rule):
    base = {"id": "neg", "name": "当月负增长", "scope": "region", "value": "iva_yoy", "direction": "below",
            "levels": {"黄": 0, "红": -3}}
    base.update(rule)
    return parse_pack({"rules": [base]})


def _states(df, key="330000"):
    d = df[df["key"] == key].set_index("period")
    return d["state"].to_dict(), d["severity"].to_dict()


def test_pending_then_firing_after_n_periods_then_resolved():
    # growth: 5, -1, -2, -4, -1, 2, 3  → condition holds in periods 2..5 (4 periods)
    facts = monthly_facts({"330000": [5, -1, -2, -4, -1, 2, 3]}, "iva_yoy")
    df = evaluate(_pack(**{"for": 3}), facts)
    p = periods_from(2021, 3, 7)
    states, sev = _states(df)
    assert p[0] not in states  # inactive: not recorded
    assert [states[p[1]], states[p[2]]] == ["pending", "pending"]
    assert states[p[3]] == "firing" and sev[p[3]] == "红"  # third consecutive period, value -4 ≤ -3
    assert states[p[4]] == "firing" and sev[p[4]] == "黄"
    assert states[p[5]] == "resolved"  # first period after the condition clears
    assert p[6] not in states


def test_pending_that_clears_before_for_never_fires():
    facts = monthly_facts({"330000": [1, -1, -1, 2, 3]}, "iva_yoy")
    states, _ = _states(evaluate(_pack(**{"for": 3}), facts))
    assert set(states.values()) == {"pending"}


def test_keep_firing_for_holds_then_resolves():
    # condition: periods 1..2 true, 3..4 false, 5 false
    facts = monthly_facts({"330000": [-1, -1, 2, 2, 2, 2]}, "iva_yoy")
    p = periods_from(2021, 3, 6)
    states, sev = _states(evaluate(_pack(**{"for": 1, "keep_firing_for": 2}), facts))
    assert [states[x] for x in p[:4]] == ["firing"] * 4  # two periods after clearing still firing
    assert sev[p[3]] == "黄"  # keeps the last severity
    assert states[p[4]] == "resolved"
    assert p[5] not in states


def test_keep_firing_for_bridges_a_short_gap():
    facts = monthly_facts({"330000": [-1, -1, 2, -1, 2, 2]}, "iva_yoy")
    p = periods_from(2021, 3, 6)
    states, _ = _states(evaluate(_pack(**{"for": 2, "keep_firing_for": 1}), facts))
    assert [states[x] for x in p[:5]] == ["pending", "firing", "firing", "firing", "firing"]
    assert states[p[5]] == "resolved"


def test_missing_value_is_not_a_warning():
    facts = monthly_facts({"330000": [-1, None, -1], "320000": [1, 1, 1]}, "iva_yoy")
    states, _ = _states(evaluate(_pack(), facts))
    # the missing month counts as "not met": the alert resolves there and fires again afterwards
    assert states == {"2021-03": "firing", "2021-04": "resolved", "2021-05": "firing"}


def test_when_rule_consecutive_declines_and_parent():
    # 3 consecutive declines of 当月 growth fire on the third decline
    facts = monthly_facts({"330000": [8, 7, 6, 5, 6]}, "iva_yoy")
    pack = parse_pack({"rules": [{"id": "dec", "name": "连续回落", "scope": "region",
                                  "when": "iva_yoy < lag(iva_yoy, 1)", "for": 3}]})
    states, sev = _states(evaluate(pack, facts))
    p = periods_from(2021, 3, 5)
    assert [states.get(x) for x in p] == [None, "pending", "pending", "firing", "resolved"]
    assert sev[p[3]] == "黄"


def test_parent_gap_between_units():
    import pandas as pd

    nation = monthly_facts({"100000": [8, 8, 8]}, "iva_ytd_yoy")
    prov = monthly_facts({"330000": [7, 5, 3], "320000": [9, 9, 9]}, "iva_ytd_yoy",
                         parents={"330000": "100000", "320000": "100000"})
    pack = parse_pack({"rules": [{"id": "gap", "name": "低于上级", "scope": "region",
                                  "value": "iva_ytd_yoy - parent(iva_ytd_yoy)", "direction": "below",
                                  "levels": {"蓝": -1, "黄": -2, "红": -4}}]})
    df = evaluate(pack, pd.concat([nation, prov]))
    assert set(df["key"]) == {"330000"}  # nation has no parent, 320000 is above
    got = df.set_index("period")["severity"].to_dict()
    assert got == {"2021-03": "蓝", "2021-04": "黄", "2021-05": "红"}  # gaps -1, -3, -5
    assert df["value"].tolist() == [-1.0, -3.0, -5.0]


def test_step_states_matches_a_per_row_reference():
    rng = np.random.default_rng(7)
    active = rng.random((200, 30)) < 0.5
    sev = np.zeros(active.shape, dtype=np.int64)
    state, _ = step_states(active, sev, 3, 2)
    for i in range(200):  # reference: plain Python state machine, one row at a time
        run, firing, cleared = 0, False, 0
        for t in range(30):
            a = bool(active[i, t])
            run = run + 1 if a else 0
            code = 0
            if firing:
                cleared = 0 if a else cleared + 1
                if cleared > 2:
                    firing, code = False, 3
                else:
                    code = 2
            elif a and run >= 3:
                firing, code, cleared = True, 2, 0
            elif a:
                code = 1
            assert state[i, t] == code, (i, t)

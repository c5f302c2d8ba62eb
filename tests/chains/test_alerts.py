"""The chains rule pack on the hand-built world: 关键节点企业停产, 单一来源依赖, 链主上游受阻."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.chains.conftest import U
from yacang.chains.alerts import evaluate_chain_alerts
from yacang.chains.members import import_members
from yacang.chains.sheets import write_form
from yacang.chains.shocks import Scenario, run_scenario


def test_chain_rules_fire_and_are_stored(chain_wh, tmp_path):
    head = ["产业链代码", "环节代码", "统一社会信用代码", "角色"]
    import_members(chain_wh, write_form(tmp_path / "m.xlsx", head, [["nev", "chips", U["E1"], "关键节点"],
                                                                     ["nev", "vehicle", U["E5"], "链主"]]))
    run_scenario(chain_wh, Scenario("region", dt.date(2022, 4, 1), 10, 14, region="310000"))
    hist = evaluate_chain_alerts(chain_wh, "2022-04")
    firing = hist[hist["state"] == "firing"].set_index(["rule_id", "key"])
    # E1 (关键节点) stopped 10 days ≥ 7 → 红
    assert firing.loc[("chain_key_node_stop", U["E1"]), "severity"] == "红"
    assert "停产10天" in firing.loc[("chain_key_node_stop", U["E1"]), "message"]
    # E5 (链主) lowest level 0.94 (test_shocks, by hand) → 6% ≥ 5 → 蓝
    row = firing.loc[("chain_leader_blocked", U["E5"])]
    assert row["severity"] == "蓝" and row["value"] == pytest.approx(6.0)
    # single sources: E4 70% → 黄, E6 60% → 黄, E3 50% → 黄 (threshold reached)
    ss = firing.loc["chain_single_source"]
    assert ss["value"].to_dict() == pytest.approx({U["E4"]: 70.0, U["E6"]: 60.0, U["E3"]: 50.0})
    assert set(ss["severity"]) == {"黄"}
    from yacang.alerts.store import load_history

    def stored():
        h = load_history(chain_wh)
        return h[h["rule_id"].str.startswith("chain_")].sort_values(["rule_id", "key"]).reset_index(drop=True)

    first = stored()
    assert len(first) == 5 and set(first["state"]) == {"firing"}
    e1 = first[first["key"] == U["E1"]].iloc[0]
    assert e1["name"] == "上海浦东芯片制造有限公司" and e1["severity"] == "红"
    evaluate_chain_alerts(chain_wh, "2022-04")  # again: replaces, does not add
    assert stored()[["rule_id", "key", "severity"]].equals(first[["rule_id", "key", "severity"]])

"""NBS wording of messages, the one region rule (fail closed), facts that fail closed, round/coalesce."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.alerts.helpers import monthly_facts
from yacang.alerts import store
from yacang.alerts.engine import Grid, changes
from yacang.alerts.expr import compile_expr
from yacang.alerts.messages import MessageError, render
from yacang.alerts.regions import AlertRegionError, alert_regions
from yacang.alerts.rules import RuleError, parse_pack


@pytest.mark.parametrize(("value", "spec", "text"), [
    (-3.7, "增减", "下降3.7%"), (3.7, "增减", "增长3.7%"), (0.04, "增减", "持平"), (-0.04, "增减", "持平"),
    (0.25, "增减", "增长0.3%"), (2.25, ".1f", "2.3"), (-0.04, ".1f", "0.0"), (-7.25, "百分点", "7.3个百分点"),
    (-7.2, "高低", "低7.2个百分点"), (1.05, "高低", "高1.1个百分点"), (float("nan"), "增减", "—"),
])
def test_numbers_in_nbs_wording(value, spec, text):
    out = render("{value:" + spec + "}", 1, {}, {"value": np.array([value])})
    assert out.tolist() == [text]


def test_a_name_ending_in_a_digit_never_runs_into_the_year():
    out = render("{name}{period_label}减产面{value:.1f}%", 1, {"name": np.array(["示例市10"], dtype=object),
                                                           "period_label": np.array(["2022年12月"], dtype=object)},
                 {"value": np.array([52.0])})
    assert out.tolist() == ["示例市10 2022年12月减产面52.0%"]


def test_unknown_format_spec_is_refused_with_rule_and_field():
    with pytest.raises(MessageError):
        render("{value:增速}", 1, {}, {"value": np.array([1.0])})
    rule = {"id": "neg", "name": "负增长", "scope": "region", "value": "iva_yoy", "direction": "below",
            "levels": {"黄": 0}, "message": "{value:增速}"}
    with pytest.raises(RuleError, match=r"规则 'neg' 字段 'message'"):
        parse_pack({"rules": [rule]})


def test_round_half_up_and_coalesce_in_rules():
    class Ctx:
        def metric(self, name):
            return {"x": np.array([[1.05, 2.25, np.nan]]), "n": np.array([[np.nan, 10.0, 40.0]])}[name]

    assert compile_expr("round(x, 1)")(Ctx()).tolist()[0][:2] == [1.1, 2.3]  # half up as printed (Python's round(2.25, 1) is 2.2)
    assert compile_expr("coalesce(n, 1000) >= 30")(Ctx()).tolist() == [[1.0, 0.0, 1.0]]


def test_region_rule_enterprise_by_registered_region_never_the_nation():
    scope = pd.Series(["region", "industry", "enterprise", "enterprise", "material"])
    key = pd.Series(["440100", "440000/36", "91440101X", "91320102Y", "steel"])
    parent = pd.Series(["440000", "440000", "440000", "320000", ""])
    got = alert_regions(scope, key, parent, {"91440101X": "440106"})
    # registered 天河区 (not the province the fact came with); an unregistered whitelist enterprise keeps
    # the region of its server record; materials are national
    assert got.tolist() == ["440100", "440000", "440106", "320000", "100000"]
    with pytest.raises(AlertRegionError, match="91999999Z"):
        alert_regions(pd.Series(["enterprise"]), pd.Series(["91999999Z"]), pd.Series([""]), {})
    with pytest.raises(AlertRegionError):
        alert_regions(pd.Series(["enterprise"]), pd.Series(["91999999Z"]), pd.Series(["100000"]), {})


def test_an_alert_without_a_region_stores_nothing(wh):
    facts = monthly_facts({"91999999Z": [-2.0, -2.0]}, "enterprise_pull", scope="enterprise")
    pack = parse_pack({"rules": [{"id": "drag", "name": "拖累", "scope": "enterprise", "value": "enterprise_pull",
                                  "direction": "below", "levels": {"黄": -0.5}}]})
    with pytest.raises(AlertRegionError):
        store.save_changes(wh, changes(pack, Grid.from_facts(facts)), ["drag"], pack=pack)
    assert store.load_history(wh, state="firing").empty


def test_facts_from_microdata_fail_closed(wh, monkeypatch):
    """An error computing the microdata facts is an error, never an empty result."""
    from yacang.alerts import fact_table as alert_facts_module
    from yacang.measures import alert_inputs as measures_facts

    monkeypatch.setattr(alert_facts_module, "has_microdata_reports", lambda _wh: True)

    def broken(*_a, **_k):
        raise RuntimeError("measures failed")

    monkeypatch.setattr(measures_facts, "alert_facts", broken)
    with pytest.raises(RuntimeError, match="measures failed"):
        alert_facts_module.collect_facts(wh)

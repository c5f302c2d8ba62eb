"""Rule-file validation, silences, mute windows, acknowledgements and the stored history."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.alerts.helpers import monthly_facts
from yacang.alerts import store
from yacang.alerts.engine import evaluate
from yacang.alerts.expr import ExprError, compile_expr
from yacang.alerts.rules import RuleError, load_pack, parse_pack
from yacang.alerts.silences import Silence, SilenceError, apply_silences, parse_matchers, reported

RULE = {"id": "neg", "name": "当月负增长", "scope": "region", "value": "iva_yoy", "direction": "below",
        "levels": {"黄": 0, "红": -3}, "labels": {"measure": "当月"}}


def _bad(**change):
    r = dict(RULE)
    r.update(change)
    return {"rules": [r]}


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"value": "iva_yoyy"}, "value", "未知指标 iva_yoyy"),
    ({"levels": {"黄": -3, "红": 0}}, "(整条规则)", "阈值次序不对"),
    ({"levels": {"黄": 0, "紫": -3}}, "levels", "级别名"),
    ({"scope": "county"}, "scope", "取值无效"),
    ({"for": 0}, "for", "取值过小"),
    ({"value": "__import__('os').system('echo hi')"}, "value", "不允许"),
    ({"when": "iva_yoy + 1"}, "when", "应为判断式"),
    ({"message": "{name}{nonsense}"}, "message", "nonsense"),
    ({"colour": "red"}, "colour", "不认识的字段"),
])
def test_invalid_rule_names_rule_and_field(change, field, words):
    with pytest.raises(RuleError) as ei:
        parse_pack(_bad(**change), source="my.yaml")
    msg = str(ei.value)
    assert "my.yaml" in msg and "规则 'neg'" in msg and f"字段 {field!r}" in msg and words in msg


def test_invalid_rule_file_on_disk(tmp_path):
    p = tmp_path / "rules.yaml"
    p.write_text("rules:\n  - id: ok_rule\n    name: 好\n    scope: region\n    when: iva_yoy < 0\n"
                 "  - id: bad_rule\n    name: 坏\n    scope: region\n    value: iva_yoy\n    direction: above\n"
                 "    levels: {黄: 5, 红: 2}\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"规则 'bad_rule'.*阈值次序不对"):
        load_pack(p)


def test_default_pack_loads_and_uses_documented_metrics():
    from yacang.alerts.fact_table import METRICS

    pack = load_pack()
    used = set().union(*(r.metrics for r in pack.rules))
    assert used <= set(METRICS)
    assert {"target_gap", "decline_share", "enterprise_pull", "loss_share", "reporting_rate",
            "export_yoy", "electricity_yoy"} <= used


def test_expressions_never_eval_python():
    for text in ("open('x')", "a.b", "x[0]", "lambda: 1", "(1).__class__"):
        with pytest.raises(ExprError):
            compile_expr(text)


def test_silenced_alert_is_recorded_but_not_reported(wh):
    facts = monthly_facts({"330000": [-1, -2], "320000": [-1, -2]}, "iva_yoy")
    pack = parse_pack({"rules": [RULE]})
    now = dt.datetime(2021, 5, 1, 12)
    s = Silence(parse_matchers("region=330000,rule_id=neg"), author="张三", reason="已知停产检修",
                expires_at=now + dt.timedelta(days=7), starts_at=now - dt.timedelta(hours=1))
    store.add_silence(wh, s)
    df = apply_silences(evaluate(pack, facts), store.load_silences(wh, now=now), pack, now=now)
    store.save_history(wh, df)
    hist = store.load_history(wh, period="2021-04")
    assert set(hist["key"]) == {"330000", "320000"}  # both recorded
    row = hist.set_index("key").loc["330000"]
    assert bool(row["silenced"]) and row["silence_id"] == s.id
    assert set(reported(df[df["period"] == "2021-04"])["key"]) == {"320000"}
    # after expiry the silence no longer applies
    later = apply_silences(evaluate(pack, facts), store.load_silences(wh, now=now), pack,
                           now=now + dt.timedelta(days=8))
    assert set(reported(later[later["period"] == "2021-04"])["key"]) == {"330000", "320000"}


def test_silence_needs_author_reason_and_valid_matchers():
    exp = dt.datetime(2030, 1, 1)
    with pytest.raises(SilenceError, match="原因"):
        Silence(parse_matchers("key=1"), author="a", reason=" ", expires_at=exp)
    with pytest.raises(SilenceError, match="匹配条件"):
        parse_matchers("地区 330000")


def test_mute_window_holds_for_jan_feb():
    # merged 1-2月 period and March; the 当月 rule is muted in 1-2月, a 累计 rule is not
    import pandas as pd

    facts = pd.DataFrame({"scope": "region", "key": "330000", "parent": "", "period": ["2022-01/02", "2022-03"],
                          "metric": "iva_yoy", "value": [-5.0, -5.0]})
    cum = dict(RULE, id="cum", labels={"measure": "累计"})
    pack = parse_pack({"mute_windows": [{"name": "1-2月", "months": [1, 2], "matchers": {"measure": "当月"}}],
                       "rules": [RULE, cum]})
    df = evaluate(pack, facts)
    muted = df.set_index(["rule_id", "period"])["muted"].to_dict()
    assert muted == {("neg", "2022-01/02"): True, ("neg", "2022-03"): False,
                     ("cum", "2022-01/02"): False, ("cum", "2022-03"): False}
    rep = reported(df)
    assert set(zip(rep["rule_id"], rep["period"], strict=False)) == {("neg", "2022-03"), ("cum", "2022-01/02"), ("cum", "2022-03")}


def test_ack_and_idempotent_rerun(wh):
    facts = monthly_facts({"330000": [-1, -2, 1]}, "iva_yoy")
    pack = parse_pack({"rules": [RULE]})
    df = evaluate(pack, facts)

    def snapshot():
        q = ("SELECT count(*), sum(hash(rule_id, key, period, state, severity, value)) FROM alert_transitions",
             "SELECT count(*), sum(hash(fingerprint, state, severity, since, region)) FROM alert_current")
        return [wh.db.execute(x).fetchone() for x in q]

    store.save_history(wh, df)
    first = snapshot()
    store.save_history(wh, df)  # same evaluation again: replaces, changes nothing
    assert snapshot() == first
    # -1 (黄) → -2 (still 黄, no new row) → 1 (resolved): two transitions, one current row
    assert first[0][0] == 2 and first[1][0] == 1
    fp = df["fingerprint"].iloc[0]
    store.add_ack(wh, fp, "李四", "已电话了解情况")
    hist = store.load_history(wh, state="resolved")
    assert (hist["acked_by"] == "李四").all() and hist["since"].tolist() == ["2021-05"]

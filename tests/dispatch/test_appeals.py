"""Appeals: the state machine, SLA clocks (controllable clock), escalation, closing rules."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.dispatch.conftest import ENT_A, ENT_B, HANGZHOU, NINGBO, T0, ent_scope, file
from yacang.dispatch import appeals as ap
from yacang.dispatch.errors import DispatchError, DispatchForbidden


def walk_to_resolved(session, clock, a, *, respond_after=30, plan_after=600, resolve_after=3000):
    """Move a case along, each step ``*_after`` minutes after filing."""
    clock.set(T0 + dt.timedelta(minutes=5))
    ap.assign(session, HANGZHOU, a.id, "电子信息科", clock=clock)
    clock.set(T0 + dt.timedelta(minutes=respond_after))
    ap.respond(session, HANGZHOU, a.id, "已联系", clock=clock)
    clock.set(T0 + dt.timedelta(minutes=plan_after))
    ap.plan(session, HANGZHOU, a.id, "协调供应商", clock=clock)
    clock.set(T0 + dt.timedelta(minutes=resolve_after))
    ap.resolve(session, HANGZHOU, a.id, "芯片已到货", clock=clock)


def test_default_sla_deadlines_from_filing(session, clock):
    a = file(session, clock)
    assert a.respond_due == T0 + dt.timedelta(minutes=60)
    assert a.plan_due == T0 + dt.timedelta(hours=24)
    assert a.resolve_due == T0 + dt.timedelta(days=7)
    assert a.code == "SQ2022030100001"
    assert a.handler_level == "county" and a.handler_region == "330106"


def test_on_time_case_full_cycle(session, clock):
    a = file(session, clock)
    walk_to_resolved(session, clock, a)  # 30 min < 60, 10 h < 24 h, 50 h < 7 d
    assert ap.sla_state(a, clock.now()) == {"respond": "按时", "plan": "按时", "resolve": "按时"}
    assert ap.run_escalation(session, clock) == []
    ap.rate(session, ent_scope(ENT_A), a.id, 5, "满意", clock=clock)
    clock.advance(hours=1)
    ap.close(session, HANGZHOU, a.id, "电话回访，企业满意", clock=clock)
    assert a.status == "closed" and a.satisfaction == 5 and a.escalations == 0
    steps = [e["action"] for e in ap.timeline(a)]
    assert steps == ["file", "assign", "respond", "plan", "resolve", "rate", "close"]


def test_response_breach_escalates_county_to_prefecture(session, clock):
    a = file(session, clock)
    clock.set(T0 + dt.timedelta(minutes=60))  # exactly at the deadline: not yet breached
    assert ap.run_escalation(session, clock) == []
    clock.set(T0 + dt.timedelta(minutes=61))
    out = ap.run_escalation(session, clock)
    assert len(out) == 1 and "响应" in out[0][1]
    # the deadline as officials read it: Beijing time (the database stores naive UTC; 10:00 UTC is 18:00), not 8 h behind
    due = T0 + dt.timedelta(minutes=60)
    assert f"超过时限（北京时间{due + dt.timedelta(hours=8):%Y-%m-%d %H:%M}）" in out[0][1]
    assert (a.handler_region, a.handler_level, a.escalations) == ("330100", "prefecture", 1)
    assert ap.is_overdue(a, clock.now())
    # idempotent: the same breach does not escalate twice
    clock.advance(minutes=30)
    assert ap.run_escalation(session, clock) == []
    assert a.escalations == 1


def test_second_breach_escalates_to_province_then_stays(session, clock):
    a = file(session, clock)
    clock.set(T0 + dt.timedelta(hours=25))  # respond and plan both breached
    ap.run_escalation(session, clock)
    assert (a.handler_region, a.handler_level, a.escalations) == ("330000", "province", 2)
    clock.set(T0 + dt.timedelta(days=8))  # resolve breached too: already at province
    notes = ap.run_escalation(session, clock)
    assert len(notes) == 1 and "省级" in notes[0][1]
    assert (a.handler_region, a.escalations) == ("330000", 2)
    assert [e.action for e in a.events].count("escalate") == 3


def test_late_response_is_recorded_as_breached(session, clock):
    a = file(session, clock)
    walk_to_resolved(session, clock, a, respond_after=90)
    assert ap.sla_state(a, clock.now())["respond"] == "超时完成"
    assert ap.breached_stages(a, clock.now()) == ["respond"]
    assert not ap.is_overdue(a, clock.now())


def test_sla_configurable_per_type(session, clock):
    from tests.dispatch.conftest import ADMIN

    ap.set_sla(session, ADMIN, "用能", respond=30, plan=12 * 60, resolve=3 * 24 * 60)
    a = file(session, clock, kind="用能")
    b = file(session, clock, kind="缺芯")
    assert a.respond_due == T0 + dt.timedelta(minutes=30) and a.resolve_due == T0 + dt.timedelta(days=3)
    assert b.respond_due == T0 + dt.timedelta(minutes=60)
    clock.set(T0 + dt.timedelta(minutes=45))
    assert [c for c, _ in ap.run_escalation(session, clock)] == [a.code]
    with pytest.raises(DispatchForbidden):
        ap.set_sla(session, HANGZHOU, "用能", respond=10, plan=20, resolve=30)
    with pytest.raises(DispatchError, match="响应 ≤ 方案 ≤ 办结"):
        ap.set_sla(session, ADMIN, "用能", respond=100, plan=20, resolve=30)


def test_invalid_transitions_fail_with_clear_chinese_errors(session, clock):
    a = file(session, clock)
    with pytest.raises(DispatchError, match="当前状态为「已提交」，不能办结"):
        ap.resolve(session, HANGZHOU, a.id, "已解决", clock=clock)
    walk_to_resolved(session, clock, a)
    with pytest.raises(DispatchError, match="企业尚未评价满意度，不能结案"):
        ap.close(session, HANGZHOU, a.id, "已回访", clock=clock)
    with pytest.raises(DispatchForbidden, match="只有提出诉求的企业本身可以评价"):
        ap.rate(session, HANGZHOU, a.id, 5, clock=clock)
    with pytest.raises(DispatchError):  # another enterprise cannot even see the case
        ap.rate(session, ent_scope(ENT_B), a.id, 1, clock=clock)
    with pytest.raises(DispatchError, match="1至5分"):
        ap.rate(session, ent_scope(ENT_A), a.id, 6, clock=clock)
    ap.rate(session, ent_scope(ENT_A), a.id, 4, clock=clock)
    with pytest.raises(DispatchError, match="结案必须填写回访情况"):
        ap.close(session, HANGZHOU, a.id, "  ", clock=clock)


def test_resolving_needs_a_note(session, clock):
    a = file(session, clock)
    with pytest.raises(DispatchError, match="办结必须填写办理结果说明"):
        ap.resolve(session, HANGZHOU, a.id, "", clock=clock)


def test_reopen_restarts_clocks(session, clock):
    a = file(session, clock)
    walk_to_resolved(session, clock, a)
    ap.rate(session, ent_scope(ENT_A), a.id, 2, clock=clock)
    ap.close(session, HANGZHOU, a.id, "企业不满意", clock=clock)
    clock.advance(days=1)
    with pytest.raises(DispatchError, match="说明原因"):
        ap.reopen(session, ent_scope(ENT_A), a.id, "", clock=clock)
    ap.reopen(session, ent_scope(ENT_A), a.id, "芯片质量不合格，问题未解决", clock=clock)
    assert a.status == "reopened" and a.reopen_count == 1 and a.satisfaction is None
    assert a.respond_due == clock.now() + dt.timedelta(minutes=60)
    ap.assign(session, HANGZHOU, a.id, "电子信息科", clock=clock)
    assert a.status == "assigned"


def test_officer_outside_region_cannot_act(session, clock):
    a = file(session, clock)
    with pytest.raises(DispatchError):
        ap.assign(session, NINGBO, a.id, "某科", clock=clock)
    with pytest.raises(DispatchForbidden, match="只能为本企业"):
        ap.file_appeal(session, ent_scope(ENT_B), uscc=ENT_A[0], enterprise_name="冒名", region=ENT_A[2],
                       appeal_type="缺芯", description="x", clock=clock)
    with pytest.raises(DispatchError, match="诉求类型“缺钱”无效"):
        file(session, clock, kind="缺钱")


def test_an_appeal_filed_without_a_title_gets_its_first_sentence_not_a_cut_bracket():
    """The lists showed the first 30 characters: “…调整用电时段（1”."""
    long = "受有序用电影响，企业生产线每周需停产两天，请协调供电部门调整用电时段（3月5日反映）"
    assert ap.title_of(long) == "受有序用电影响，企业生产线每周需停产两天，请协调供电部门调…"
    assert ap.title_of("受有序用电影响，企业生产线每周需停产两天，请调整用电时段（12月25日反映）") == (
        "受有序用电影响，企业生产线每周需停产两天，请调整用电时段…")  # not “…时段（1”
    assert ap.title_of("芯片断供。请协调供应商。") == "芯片断供"
    assert ap.title_of("  短诉求（3月1日反映）") == "短诉求（3月1日反映）"
    assert len(ap.title_of("甲" * 100)) == ap.TITLE_CHARS

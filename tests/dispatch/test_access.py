"""Permissions through the service functions: enterprises see their own cases only; officers their subtree."""

from __future__ import annotations

import pytest

from tests.dispatch.conftest import (
    ADMIN,
    ENT_A,
    ENT_B,
    ENT_C,
    GD,
    HANGZHOU,
    HZ_ANALYST,
    NINGBO,
    PROVINCE,
    ent_scope,
    file,
)
from yacang.dispatch import appeals as ap
from yacang.dispatch.errors import DispatchForbidden, DispatchNotFound


@pytest.fixture()
def cases(session, clock):
    return {e[0]: file(session, clock, e) for e in (ENT_A, ENT_B, ENT_C)}


def codes(rows):
    return sorted(a.uscc for a in rows)


def test_enterprise_cannot_read_another_enterprises_appeal(session, cases):
    a, b = cases[ENT_A[0]], cases[ENT_B[0]]
    assert ap.get_appeal(session, ent_scope(ENT_A), a.id) is a
    with pytest.raises(DispatchNotFound):
        ap.get_appeal(session, ent_scope(ENT_A), b.id)
    with pytest.raises(DispatchNotFound):
        ap.get_appeal(session, ent_scope(ENT_A), b.code)
    assert codes(ap.list_appeals(session, ent_scope(ENT_A))) == [ENT_A[0]]


def test_prefecture_officer_sees_only_its_subtree(session, cases):
    assert codes(ap.list_appeals(session, HANGZHOU)) == sorted([ENT_A[0], ENT_B[0]])
    assert codes(ap.list_appeals(session, NINGBO)) == [ENT_C[0]]
    assert codes(ap.list_appeals(session, HZ_ANALYST)) == sorted([ENT_A[0], ENT_B[0]])
    with pytest.raises(DispatchNotFound):
        ap.get_appeal(session, HANGZHOU, cases[ENT_C[0]].id)
    assert len(ap.list_appeals(session, PROVINCE)) == 3
    assert len(ap.list_appeals(session, ADMIN)) == 3
    assert ap.list_appeals(session, GD) == []


def test_analyst_reads_but_cannot_act(session, cases, clock):
    with pytest.raises(DispatchForbidden, match="需要地区运行监测人员或管理员"):
        ap.assign(session, HZ_ANALYST, cases[ENT_A[0]].id, "科室", clock=clock)


def test_enterprise_cannot_act_as_officer(session, cases, clock):
    with pytest.raises(DispatchForbidden):
        ap.assign(session, ent_scope(ENT_A), cases[ENT_A[0]].id, "科室", clock=clock)

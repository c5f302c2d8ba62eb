"""Whitelists: apply → review → publish, validity, history, scoping, marks and XLSX export."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from tests.dispatch.conftest import (
    ADMIN,
    ENT_A,
    ENT_B,
    ENT_C,
    HANGZHOU,
    HANGZHOU_2,
    NINGBO,
    PROVINCE,
    ent_scope,
)
from yacang.dispatch import whitelists as wl
from yacang.dispatch.errors import DispatchError, DispatchForbidden

Y0, Y1 = dt.date(2022, 1, 1), dt.date(2022, 12, 31)


def apply(session, clock, ent, cat="supply_chain", scope=None):
    return wl.apply(session, scope or PROVINCE, category_ref=cat, uscc=ent[0], enterprise_name=ent[1], region=ent[2],
                    reason="链主企业关键配套", valid_from=Y0, valid_to=Y1, clock=clock)


def test_lifecycle_and_history(session, clock):
    e = apply(session, clock, ENT_A, scope=ent_scope(ENT_A))
    assert e.status == "applied" and e.category.name == "重点产业链供应链企业"
    with pytest.raises(DispatchError, match="不能发布"):
        wl.publish(session, HANGZHOU, e.id, clock=clock)
    with pytest.raises(DispatchForbidden):
        wl.review(session, ent_scope(ENT_A), e.id, clock=clock)
    clock.advance(days=1)
    wl.review(session, HANGZHOU, e.id, note="材料齐全", clock=clock)
    clock.advance(days=1)
    with pytest.raises(DispatchForbidden, match="双人复核"):
        wl.publish(session, HANGZHOU, e.id, clock=clock)  # the reviewer may not also publish
    wl.publish(session, HANGZHOU_2, e.id, clock=clock)
    assert [h.action for h in e.history] == ["apply", "review", "publish"]
    assert (e.applied_by, e.reviewed_by, e.published_by) == (ent_scope(ENT_A).username, "hz", "hz2")
    assert wl.marks(session, on=dt.date(2022, 6, 1)) == {ENT_A[0]: ["重点产业链供应链企业"]}
    assert wl.marks(session, on=dt.date(2023, 1, 1)) == {}  # validity ended
    with pytest.raises(DispatchError, match="不能重复申请"):
        apply(session, clock, ENT_A)


def test_reject_needs_reason_and_unpublished_entries_are_not_marks(session, clock):
    e = apply(session, clock, ENT_B)
    with pytest.raises(DispatchError, match="说明原因"):
        wl.review(session, HANGZHOU, e.id, approve=False, clock=clock)
    wl.review(session, HANGZHOU, e.id, approve=False, note="不符合条件", clock=clock)
    assert e.status == "rejected"
    assert wl.marks(session, on=dt.date(2022, 6, 1)) == {}


def test_user_defined_category_and_scope(session, clock):
    with pytest.raises(DispatchForbidden):
        wl.add_category(session, HANGZHOU, "specialized", "专精特新企业")
    wl.add_category(session, ADMIN, "specialized", "专精特新企业")
    apply(session, clock, ENT_A, "specialized", scope=HANGZHOU)
    wl.apply(session, NINGBO, category_ref="foreign_trade", uscc=ENT_C[0], enterprise_name=ENT_C[1], region=ENT_C[2],
             reason="出口占比高", valid_from=Y0, valid_to=Y1, clock=clock)
    with pytest.raises(DispatchForbidden):
        apply(session, clock, ENT_C, scope=HANGZHOU)  # 宁波 is outside 杭州
    assert [e.uscc for e in wl.list_entries(session, HANGZHOU)] == [ENT_A[0]]
    assert [e.uscc for e in wl.list_entries(session, ent_scope(ENT_C))] == [ENT_C[0]]
    assert len(wl.list_entries(session, ADMIN)) == 2
    with pytest.raises(DispatchError, match="没有白名单类别"):
        wl.list_entries(session, ADMIN, category_ref="nope")


def test_xlsx_export(session, clock):
    from openpyxl import load_workbook

    e = apply(session, clock, ENT_A)
    wl.review(session, HANGZHOU, e.id, clock=clock)
    wl.publish(session, HANGZHOU_2, e.id, clock=clock)
    apply(session, clock, ENT_B, "raw_materials")
    data = wl.export_xlsx(wl.list_entries(session, HANGZHOU))
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["全部", "重点产业链供应链企业", "原材料保供企业"]
    ws = wb["全部"]
    assert [c.value for c in ws[1]][:3] == ["类别", "企业名称", "统一社会信用代码"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [(r[2], r[5]) for r in rows] == [(ENT_A[0], "已发布"), (ENT_B[0], "已申请")]
    assert rows[0][6].date() == Y0


def test_applicant_cannot_review_or_publish_own_application(session, clock, monkeypatch):
    e = apply(session, clock, ENT_A, scope=HANGZHOU)
    with pytest.raises(DispatchForbidden, match="职责分离"):
        wl.review(session, HANGZHOU, e.id, clock=clock)
    wl.review(session, HANGZHOU_2, e.id, clock=clock)
    with pytest.raises(DispatchForbidden, match="职责分离"):
        wl.publish(session, HANGZHOU, e.id, clock=clock)
    # four-eyes off (a one-person office): the reviewer may publish, the applicant still may not
    monkeypatch.setenv("YACANG_WHITELIST_FOUR_EYES", "0")
    wl.publish(session, HANGZHOU_2, e.id, clock=clock)
    assert e.status == "published"


def test_export_writes_formula_text_as_text(session, clock):
    from openpyxl import load_workbook

    wl.apply(session, PROVINCE, category_ref="supply_chain", uscc=ENT_A[0], enterprise_name='=HYPERLINK("http://x","y")',
             region=ENT_A[2], reason="+cmd|' /C calc'!A0", valid_from=Y0, valid_to=Y1, clock=clock)
    wb = load_workbook(io.BytesIO(wl.export_xlsx(wl.list_entries(session, ADMIN))))
    row = next(wb["全部"].iter_rows(min_row=2, values_only=True))
    assert row[1] == "'=HYPERLINK(\"http://x\",\"y\")" and row[4] == "'+cmd|' /C calc'!A0"
    cell = wb["全部"]["B2"]
    assert cell.data_type == "s"  # a string cell, not a formula

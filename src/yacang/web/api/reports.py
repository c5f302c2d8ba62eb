"""Enterprise reports (直报): check, submit, list, detail, accept / return (审核), revision requests (更正).

Every value goes through the one validation layer (:mod:`yacang.validation`, via the report parser):
NaN, inf, negative amounts and future periods are refused with the field named, nothing is stored. A
report an officer has accepted is changed only after a revision request the officer grants.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from yacang.auth import audit
from yacang.auth.roles import Role
from yacang.ingest.errors import IngestError
from yacang.microdata.report_workbook import ReportLoadSummary
from yacang.microdata.store import MicrodataStore
from yacang.periods import PeriodError, parse_period
from yacang.warehouse import report_queries
from yacang.web import reports_service
from yacang.web.data import records
from yacang.web.deps import Caller, caller, client_ip, db, deny, official_writer, state
from yacang.web.params import PeriodText

router = APIRouter(tags=["企业直报"])
LOCKED = {"accepted": "该报表已审核通过，不能直接修改：请提交更正申请，经审核人员同意后再报送",
          "revision_requested": "该报表的更正申请尚待审核人员同意，同意后才能重新报送"}


class ReportIn(BaseModel):
    period: str = Field(max_length=16)
    uscc: str | None = Field(None, max_length=18)  # enterprises may omit it (their own); officers name it
    unit: Literal["千元", "万元"] = "千元"
    values: dict[str, str | float | int | None] = Field(max_length=40)


class ReviewIn(BaseModel):
    period: str = Field(max_length=16)
    action: Literal["accept", "return", "grant_revision"]
    reason: str = Field("", max_length=500)


class RevisionIn(BaseModel):
    period: str = Field(max_length=16)
    reason: str = Field(min_length=1, max_length=500)


def _target(request: Request, who: Caller, body_uscc: str | None, wh) -> dict:
    """The enterprise a report is for, checked against the caller's scope (403/404, audited)."""
    if who.scope.role == Role.ENTERPRISE:
        if body_uscc and body_uscc != who.scope.uscc:
            deny(request, who, 403, "企业账号只能报送本企业的报表", "other_enterprise", target=body_uscc)
        uscc = who.scope.uscc or ""
    elif who.scope.role == Role.ANALYST:
        deny(request, who, 403, "分析人员为只读，不能报送报表", "role")
    else:
        if not body_uscc:
            raise HTTPException(422, "请指定企业的统一社会信用代码 uscc")
        uscc = body_uscc
    ent = reports_service.enterprise_of(wh, uscc)
    if ent is None or not who.scope.reads_enterprise(uscc, ent["region"]):
        if request.method != "GET":
            deny(request, who, 404, f"没有企业 {uscc}（或不在本账号范围内）", "scope", target=uscc)
        raise HTTPException(404, f"没有企业 {uscc}（或不在本账号范围内）")
    return ent


def _values(body: ReportIn) -> dict[str, str]:
    return {k: "" if v is None else str(v) for k, v in body.values.items()}


@contextmanager
def _store_errors() -> Iterator[None]:
    """The report store's refusals as HTTP: no such report 404, a transition it does not allow 409."""
    try:
        yield
    except IngestError as exc:
        raise HTTPException(404, str(exc)) from None
    except ValueError as exc:
        raise HTTPException(409, str(exc)) from None


def _period(text: str) -> str:
    try:
        return parse_period(text).code
    except PeriodError as exc:
        raise HTTPException(422, f"报告期“{text}”无法识别：{exc}") from None


@router.post("/reports/check", summary="报送前审核（不保存）：返回逐项错误与提示")
def check(body: ReportIn, request: Request, who: Caller = Depends(caller)) -> dict:
    with state(request).reader() as wh:
        ent = _target(request, who, body.uscc, wh)
        c = reports_service.check_form(wh, ent["uscc"], ent["name"], body.period, _values(body), body.unit)
    return {"ok": c.ok, "errors": c.errors, "hints": c.hints}


@router.post("/reports", summary="报送月报（有错误时不保存，返回 422 与逐项错误）")
def submit(body: ReportIn, request: Request, who: Caller = Depends(caller), session: Session = Depends(db)) -> dict:
    """Parse, review and check on this thread's reader (no lock); then one short write under the
    writer's lock, which checks the stored status again (a review may have come in between)."""
    st = state(request)
    with st.reader() as wh:
        ent = _target(request, who, body.uscc, wh)
        status = report_queries.report_status(wh, ent["uscc"], _period(body.period))
        if status in LOCKED:
            raise HTTPException(409, {"message": LOCKED[status], "errors": [], "hints": []})
        c = reports_service.check_form(wh, ent["uscc"], ent["name"], body.period, _values(body), body.unit)
    if not c.ok:
        raise HTTPException(422, {"message": "报表有错误，未保存，请按提示修改后再报送", "errors": c.errors,
                                  "hints": c.hints})
    row = c.batch.reports.iloc[0].to_dict()
    period = str(row["period"])
    audit.record(session, "report_submit", user_id=who.user.id, username=who.username,
                 target=f"{ent['uscc']}:{period}", detail={"hints": len(c.hints)}, ip=client_ip(request))
    session.flush()  # the audit row is written (and the app DB locked) before the warehouse
    try:
        with st.warehouse() as wh:
            saved = report_queries.save_report(wh, row, source_file=c.batch.source_file, sha256=c.batch.sha256,
                                               fmt=c.batch.format)
    except report_queries.ReportLocked as exc:
        raise HTTPException(409, {"message": LOCKED[exc.status], "errors": [], "hints": c.hints}) from None
    st.changed("reports")  # statistics views (overview, materials) stay cached
    session.commit()
    summary = ReportLoadSummary(c.batch.source_file, 1, int(saved.kind == "new"), int(saved.kind == "revised"),
                                int(saved.kind == "same"), saved.repeated)
    return {"ok": True, "uscc": ent["uscc"], "period": period, "hints": c.hints, "summary": summary.text_zh()}


@router.get("/reports", summary="报表列表（企业：本企业；地区用户：辖区内企业）")
def list_reports(request: Request, period: PeriodText | None = None, who: Caller = Depends(caller)) -> list[dict]:
    with state(request).reader() as wh:
        df = reports_service.reports_in_scope(wh, who.scope, period)
    return records(df)


@router.get("/reports/{uscc}", summary="某企业的报表与状态历史")
def report_detail(uscc: str, request: Request, period: PeriodText | None = None, who: Caller = Depends(caller)) -> dict:
    with state(request).reader() as wh:
        ent = reports_service.enterprise_of(wh, uscc)
        if ent is None or not who.scope.reads_enterprise(uscc, ent["region"]):
            raise HTTPException(404, f"没有企业 {uscc}（或不在本账号范围内）")
        store = MicrodataStore(wh)
        reps, hist = store.reports_of(uscc, period), store.history_of(uscc, period)
    return {"enterprise": records(pd.DataFrame([ent]))[0], "reports": records(reps), "history": records(hist)}


@router.post("/reports/{uscc}/review", summary="审核：通过、退回（须注明原因）或同意更正申请")
def review(uscc: str, body: ReviewIn, request: Request, who: Caller = Depends(official_writer),
           session: Session = Depends(db)) -> dict:
    st = state(request)
    period = _period(body.period)
    with st.warehouse() as wh:
        ent = reports_service.enterprise_of(wh, uscc)
        if ent is None or not who.scope.reads_enterprise(uscc, ent["region"]):
            deny(request, who, 404, f"没有企业 {uscc}（或不在本账号范围内）", "scope", target=uscc)
        if body.action == "return" and not body.reason.strip():
            raise HTTPException(422, "退回报表必须注明原因")
        store = MicrodataStore(wh)
        action = "report_revision_grant" if body.action == "grant_revision" else "report_review"
        audit.record(session, action, user_id=who.user.id, username=who.username, target=f"{uscc}:{period}",
                     detail={"action": body.action, "reason": body.reason}, ip=client_ip(request))
        session.flush()
        with _store_errors():
            if body.action == "grant_revision":
                store.grant_revision(uscc, period, by=who.username, reason=body.reason or "同意更正")
                status = "returned"
            else:
                status = "accepted" if body.action == "accept" else "returned"
                store.set_status(uscc, period, status, reason=body.reason, by=who.username)
    st.changed("reports")  # a report's status: no published series, alert or price level changes
    session.commit()
    return {"ok": True, "status": status}


@router.post("/reports/{uscc}/revision-request", summary="申请更正已审核通过的报表（企业本身）")
def revision_request(uscc: str, body: RevisionIn, request: Request, who: Caller = Depends(caller),
                     session: Session = Depends(db)) -> dict:
    if who.scope.role != Role.ENTERPRISE or who.scope.uscc != uscc:
        deny(request, who, 403, "只有企业本身可以申请更正本企业的报表", "not_own_enterprise", target=uscc)
    period = _period(body.period)
    st = state(request)
    with st.warehouse() as wh:
        audit.record(session, "report_revision_request", user_id=who.user.id, username=who.username,
                     target=f"{uscc}:{period}", detail={"reason": body.reason}, ip=client_ip(request))
        session.flush()
        with _store_errors():
            MicrodataStore(wh).request_revision(uscc, period, body.reason, by=who.username)
    st.changed("reports")
    session.commit()
    return {"ok": True, "status": "revision_requested"}

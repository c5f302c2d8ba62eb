"""Enterprise reports (直报): check, submit, list, detail, accept / return (审核)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel
from sqlalchemy.orm import Session

from yacang.auth import audit
from yacang.auth.roles import Role
from yacang.ingest.errors import IngestError
from yacang.web import integrations, reports_service
from yacang.web.deps import Caller, caller, client_ip, db, official_writer, state

router = APIRouter(tags=["企业直报"])


class ReportIn(BaseModel):
    period: str
    uscc: str | None = None  # enterprises may omit it (their own); officers/admins name the enterprise
    unit: Literal["千元", "万元"] = "千元"
    values: dict[str, str | float | int | None]


class ReviewIn(BaseModel):
    period: str
    action: Literal["accept", "return"]
    reason: str = ""


def _target(who: Caller, body_uscc: str | None, wh) -> dict:
    """The enterprise a report is for, checked against the caller's scope (404 outside it)."""
    if who.scope.role == Role.ENTERPRISE:
        if body_uscc and body_uscc != who.scope.uscc:
            raise HTTPException(403, "企业账号只能报送本企业的报表")
        uscc = who.scope.uscc or ""
    elif who.scope.role == Role.ANALYST:
        raise HTTPException(403, "分析人员为只读，不能报送报表")
    else:
        if not body_uscc:
            raise HTTPException(422, "请指定企业的统一社会信用代码 uscc")
        uscc = body_uscc
    ent = reports_service.enterprise_of(wh, uscc)
    if ent is None or not who.scope.reads_enterprise(uscc, ent["region"]):
        raise HTTPException(404, f"没有企业 {uscc}（或不在本账号范围内）")
    return ent


def _values(body: ReportIn) -> dict[str, str]:
    return {k: "" if v is None else str(v) for k, v in body.values.items()}


@router.post("/reports/check", summary="报送前审核（不保存）：返回逐项错误与提示")
def check(body: ReportIn, request: Request, who: Caller = Depends(caller)) -> dict:
    with state(request).warehouse() as wh:
        ent = _target(who, body.uscc, wh)
        c = reports_service.check_form(wh, ent["uscc"], ent["name"], body.period, _values(body), body.unit)
    return {"ok": c.ok, "errors": c.errors, "hints": c.hints}


@router.post("/reports", summary="报送月报（有错误时不保存，返回 422 与逐项错误）")
def submit(body: ReportIn, request: Request, who: Caller = Depends(caller), session: Session = Depends(db)) -> dict:
    st = state(request)
    with st.warehouse() as wh:
        ent = _target(who, body.uscc, wh)
        c = reports_service.check_form(wh, ent["uscc"], ent["name"], body.period, _values(body), body.unit)
        if not c.ok:
            raise HTTPException(422, {"message": "报表有错误，未保存，请按提示修改后再报送", "errors": c.errors,
                                      "hints": c.hints})
        summary = integrations.load_reports(wh, c.batch)
    st.changed()
    period = str(c.batch.reports["period"].iloc[0])
    audit.record(session, "report_submit", user_id=who.user.id, username=who.username,
                 target=f"{ent['uscc']}:{period}", detail={"hints": len(c.hints)}, ip=client_ip(request))
    return {"ok": True, "uscc": ent["uscc"], "period": period, "hints": c.hints,
            "summary": getattr(summary, "text_zh", lambda: "")()}


@router.get("/reports", summary="报表列表（企业：本企业；地区用户：辖区内企业）")
def list_reports(request: Request, period: str | None = None, who: Caller = Depends(caller)) -> list[dict]:
    with state(request).warehouse() as wh:
        df = reports_service.reports_in_scope(wh, who.scope, period)
    return integrations.frame_records(df)


@router.get("/reports/{uscc}", summary="某企业的报表与状态历史")
def report_detail(uscc: str, request: Request, period: str | None = None, who: Caller = Depends(caller)) -> dict:
    with state(request).warehouse() as wh:
        ent = reports_service.enterprise_of(wh, uscc)
        if ent is None or not who.scope.reads_enterprise(uscc, ent["region"]):
            raise HTTPException(404, f"没有企业 {uscc}（或不在本账号范围内）")
        where, params = "uscc = ?", [uscc]
        if period:
            where, params = where + " AND period = ?", [*params, period]
        reps = wh.db.execute(f"SELECT * FROM reports WHERE {where} ORDER BY period", params).df()
        hist = wh.db.execute(f"SELECT * FROM report_status_history WHERE {where} ORDER BY changed_at",
                             params).df()
    return {"enterprise": integrations.frame_records(__import__("pandas").DataFrame([ent]))[0],
            "reports": integrations.frame_records(reps), "history": integrations.frame_records(hist)}


@router.post("/reports/{uscc}/review", summary="审核：通过或退回（退回须注明原因）")
def review(uscc: str, body: ReviewIn, request: Request, who: Caller = Depends(official_writer),
           session: Session = Depends(db)) -> dict:
    st = state(request)
    with st.warehouse() as wh:
        ent = reports_service.enterprise_of(wh, uscc)
        if ent is None or not who.scope.reads_enterprise(uscc, ent["region"]):
            raise HTTPException(404, f"没有企业 {uscc}（或不在本账号范围内）")
        if body.action == "return" and not body.reason.strip():
            raise HTTPException(422, "退回报表必须注明原因")
        status = "accepted" if body.action == "accept" else "returned"
        try:
            integrations.set_report_status(wh, uscc, body.period, status, body.reason, who.username)
        except (ValueError, LookupError, IngestError) as exc:
            raise HTTPException(404, str(exc)) from None
    st.changed()
    audit.record(session, "report_review", user_id=who.user.id, username=who.username, target=f"{uscc}:{body.period}",
                 detail={"action": body.action, "reason": body.reason}, ip=client_ip(request))
    return {"ok": True, "status": status}

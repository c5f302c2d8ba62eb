"""Alerts (list, acknowledge, silence), raw-material 红黄蓝 warnings and signal lights."""

from __future__ import annotations

import datetime as dt
import json

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from yacang.alerts.silences import Silence, parse_matchers
from yacang.alerts.store import add_ack, add_silence
from yacang.auth import audit
from yacang.web import views
from yacang.web.deps import Caller, client_ip, db, official_writer, require_region, state, statistics_reader
from yacang.web.params import PeriodText, RegionCode

router = APIRouter(tags=["预警"])


class AckIn(BaseModel):
    comment: str = Field("", max_length=2000)


class SilenceIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)
    days: int = Field(default=30, ge=1, le=366)


@router.get("/alerts", summary="预警列表（本账号地区范围内）")
def alerts(request: Request, state_: str | None = Query(None, alias="state"), period: PeriodText | None = None,
           region: RegionCode | None = None, who: Caller = Depends(statistics_reader)) -> list[dict]:
    with state(request).reader() as wh:
        df = views.alerts_in_scope(wh, who.scope, state=state_, period=period, region=region)
    return df.to_dict("records")


def _find(request: Request, who: Caller, fingerprint: str) -> dict:
    with state(request).reader() as wh:
        df = views.alerts_in_scope(wh, None)
    df = df[df["fingerprint"] == fingerprint]
    if df.empty or not who.scope.reads_region(df["region"].iloc[0]):
        raise HTTPException(404, f"没有预警 {fingerprint}（或不在本账号地区范围内）")
    row = df.iloc[0].to_dict()
    if not who.scope.covers(row["region"]):
        raise HTTPException(403, "只能处理本地区范围内的预警")
    return row


@router.post("/alerts/{fingerprint}/ack", summary="确认预警")
def ack(fingerprint: str, body: AckIn, request: Request, who: Caller = Depends(official_writer),
        session: Session = Depends(db)) -> dict:
    row = _find(request, who, fingerprint)
    # the audit row first (record flushes it): a write the log cannot record is not made
    audit.record(session, "ack", user_id=who.user.id, username=who.username, target=fingerprint,
                 detail={"rule_id": row["rule_id"], "key": row["key"], "comment": body.comment}, ip=client_ip(request))
    st = state(request)
    with st.warehouse() as wh:
        add_ack(wh, fingerprint, who.username, body.comment)
    st.changed()
    return {"ok": True, "fingerprint": fingerprint}


@router.post("/alerts/{fingerprint}/silence", summary="静默预警（须注明原因）")
def silence(fingerprint: str, body: SilenceIn, request: Request, who: Caller = Depends(official_writer),
            session: Session = Depends(db)) -> dict:
    row = _find(request, who, fingerprint)
    if not body.reason.strip():
        raise HTTPException(422, "静默必须注明原因")
    st = state(request)
    expires = dt.datetime.now().replace(microsecond=0) + dt.timedelta(days=body.days)
    try:
        matchers = parse_matchers([f"rule_id={row['rule_id']}", f"key={row['key']}"])
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    # the audit row first (record flushes it): a write the log cannot record is not made; the silence's id
    # is added to it below, in the same transaction
    detail = {"reason": body.reason, "days": body.days}
    event = audit.record(session, "silence", user_id=who.user.id, username=who.username, target=fingerprint,
                         detail=detail, ip=client_ip(request))
    with st.warehouse() as wh:
        try:
            sid = add_silence(wh, Silence(matchers, who.username, body.reason, expires))
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None
    st.changed()
    event.detail = json.dumps({"silence_id": sid, **detail}, ensure_ascii=False)
    return {"ok": True, "silence_id": sid, "expires_at": expires.isoformat()}


@router.get("/materials", summary="大宗原材料红黄蓝预警（全国价格数据）")
def materials(request: Request, who: Caller = Depends(statistics_reader)) -> list[dict]:
    st = state(request)
    key = ("materials", st.version)
    if key not in st.cache:
        with st.reader() as wh:
            st.cache[key] = views.material_levels(wh)
    return st.cache[key]


@router.get("/lights", summary="景气预警信号灯（全国）")
def lights(request: Request, start: PeriodText | None = None, end: PeriodText | None = None, region: str = "100000",
           who: Caller = Depends(statistics_reader)) -> list[dict]:
    require_region(who, region)
    with state(request).reader() as wh:
        return views.signal_lights(wh, region, start, end)

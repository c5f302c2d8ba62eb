"""Enterprise appeals (企业诉求, 一企一案): a state machine with SLA clocks and escalation.

States: filed 已提交 → assigned 已分派 → responded 已响应 → planned 已制定方案 → resolved 已办结 →
closed 已结案; resolved or closed → reopened 已重新打开 → assigned … Every step is an event on the
case's timeline.

SLA clocks run from filing (or reopening): 响应 (respond) 60 minutes, 方案 (plan) 24 hours, 办结
(resolve) 7 days by default, configurable per appeal type (:func:`set_sla`). When a stage is
breached the case is escalated once for that stage to the next level (county → prefecture →
province); :func:`run_escalation` does it for every open case and is idempotent.

Closing needs the resolution note, the enterprise's own satisfaction rating (1–5) and a callback
(回访) note.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from yacang.appdb.base import row_id
from yacang.auth.roles import Role
from yacang.auth.scope import Scope
from yacang.catalog.regions import level_of, parent_code, region_name
from yacang.dispatch.access import require_filer, require_official, require_read, scoped
from yacang.dispatch.clock import SYSTEM, Clock
from yacang.dispatch.errors import (
    NAME_MAX,
    NOTE_MAX,
    DispatchConflict,
    DispatchError,
    DispatchForbidden,
    DispatchNotFound,
    dispatch_text,
)
from yacang.dispatch.listing import Listed, in_subtree, matching, paged
from yacang.dispatch.models import Appeal, AppealEvent, SlaRule
from yacang.formatting import beijing_time
from yacang.validation import Invalid, check_text

APPEAL_TYPES = ("缺芯", "缺柜", "缺工", "用能", "物流", "资金", "用地", "审批", "其他")
URGENCIES = ("一般", "紧急", "特急")
STATUS_ZH = {
    "filed": "已提交", "assigned": "已分派", "responded": "已响应", "planned": "已制定方案",
    "resolved": "已办结", "closed": "已结案", "reopened": "已重新打开",
}
OPEN = ("filed", "assigned", "responded", "planned", "reopened")
DONE = ("resolved", "closed")
ACTION_ZH = {
    "file": "提交诉求", "assign": "分派", "respond": "响应", "plan": "制定方案", "resolve": "办结",
    "rate": "评价", "close": "回访结案", "reopen": "重新打开", "escalate": "超时升级",
}
# action -> (states it applies to, state it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "assign": (("filed", "reopened"), "assigned"),
    "respond": (("assigned",), "responded"),
    "plan": (("responded",), "planned"),
    "resolve": (("planned",), "resolved"),
    "rate": (("resolved",), "resolved"),
    "close": (("resolved",), "closed"),
    "reopen": (("resolved", "closed"), "reopened"),
}
STAGES = ("respond", "plan", "resolve")
STAGE_ZH = {"respond": "响应", "plan": "方案", "resolve": "办结"}
LEVEL_ZH = {"county": "县级", "prefecture": "市级", "province": "省级", "nation": "国家级"}


@dataclass(frozen=True)
class Sla:
    """Time limits in minutes, each counted from filing (or reopening)."""

    respond: int = 60
    plan: int = 24 * 60
    resolve: int = 7 * 24 * 60

    def due(self, start: dt.datetime) -> tuple[dt.datetime, dt.datetime, dt.datetime]:
        m = dt.timedelta(minutes=1)
        return start + self.respond * m, start + self.plan * m, start + self.resolve * m


DEFAULT_SLA = Sla()


def sla_for(session: Session, appeal_type: str) -> Sla:
    rule = session.get(SlaRule, appeal_type)
    return DEFAULT_SLA if rule is None else Sla(rule.respond_minutes, rule.plan_minutes, rule.resolve_minutes)


def set_sla(session: Session, scope: Scope, appeal_type: str, *, respond: int, plan: int, resolve: int) -> Sla:
    """Configure the SLA of one type (admin only); limits must grow 响应 ≤ 方案 ≤ 办结."""
    if not scope.is_admin:
        raise DispatchForbidden("只有系统管理员可以设置办理时限")
    _check_type(appeal_type)
    if not 0 < respond <= plan <= resolve:
        raise DispatchError(f"时限应为正数且 响应 ≤ 方案 ≤ 办结（分钟），收到 {respond}/{plan}/{resolve}")
    rule = session.get(SlaRule, appeal_type) or SlaRule(appeal_type=appeal_type)
    rule.respond_minutes, rule.plan_minutes, rule.resolve_minutes = respond, plan, resolve
    session.add(rule)
    session.flush()
    return Sla(respond, plan, resolve)


def _check_type(appeal_type: str) -> None:
    if appeal_type not in APPEAL_TYPES:
        raise DispatchError(f"诉求类型“{appeal_type}”无效，可选：{'、'.join(APPEAL_TYPES)}")


def _event(appeal: Appeal, now: dt.datetime, actor: str, action: str, frm: str, to: str, note: str = "") -> None:
    appeal.events.append(AppealEvent(at=now, actor=actor, action=action, from_status=frm, to_status=to, note=note))


# filing ----------------------------------------------------------------------------------------
TITLE_CHARS = 30


def title_of(description: str) -> str:
    """A title for an appeal filed without one: its first sentence, shortened to :data:`TITLE_CHARS` with “…”
    when longer, never cut inside brackets (the list showed “…调整用电时段（1”)."""
    text = description.strip()
    first = next((part for part in re.split(r"[。！？；\n]", text) if part.strip()), text).strip()
    if len(first) <= TITLE_CHARS:
        return first
    cut = first[:TITLE_CHARS - 1]
    if cut.rfind("（") > cut.rfind("）"):
        cut = cut[:cut.rfind("（")]
    return cut.rstrip("，、：,: ") + "…"


def file_appeal(session: Session, scope: Scope, *, uscc: str, enterprise_name: str, region: str, appeal_type: str,
                description: str, title: str = "", urgency: str = "一般", attachments: list[str] | None = None,
                clock: Clock = SYSTEM) -> Appeal:
    """An enterprise files for itself; an officer (or admin) may file on behalf of one in its subtree."""
    _check_type(appeal_type)
    if urgency not in URGENCIES:
        raise DispatchError(f"紧急程度“{urgency}”无效，可选：{'、'.join(URGENCIES)}")
    try:
        description = check_text(description, "诉求内容", max_length=5000, required=True)
        title = check_text(title, "诉求标题", max_length=128)
    except Invalid as exc:
        raise DispatchError(str(exc)) from None
    level = require_filer(scope, uscc, region, "提交诉求", "代企业提交诉求")
    same = session.scalar(select(Appeal).where(Appeal.uscc == uscc, Appeal.appeal_type == appeal_type,
                                               Appeal.dedup_key == dedup_key(description), Appeal.status.in_(OPEN)))
    if same is not None:
        raise DispatchConflict(f"已有相同内容的诉求在办理中（{same.code}，{STATUS_ZH[same.status]}），请勿重复提交")
    now = clock.now()
    r, p, v = sla_for(session, appeal_type).due(now)
    a = Appeal(code="", uscc=uscc, enterprise_name=enterprise_name, region=region, appeal_type=appeal_type,
               title=title or title_of(description), description=description.strip(), urgency=urgency,
               attachments=list(attachments or []), status="filed", handler_region=region, handler_level=level,
               escalations=0, escalated_stages="", filed_by=scope.username, filed_at=now,
               respond_due=r, plan_due=p, resolve_due=v, reopen_count=0, dedup_key=dedup_key(description))
    session.add(a)
    session.flush()
    a.code = f"SQ{now:%Y%m%d}{a.id:05d}"
    _event(a, now, scope.username, "file", "", "filed", f"{appeal_type}｜{urgency}｜{a.title}")
    session.flush()
    return a


def dedup_key(description: str) -> str:
    """Identity of an appeal's text (whitespace-insensitive): one open case per enterprise, type and text."""
    return hashlib.sha256("".join(description.split()).encode()).hexdigest()


# reading ---------------------------------------------------------------------------------------
def get_appeal(session: Session, scope: Scope, ref: int | str) -> Appeal:
    """A case by id or code, if the scope may read it (otherwise "not found")."""
    rid = row_id(ref)
    a = session.get(Appeal, rid) if rid is not None else session.scalar(select(Appeal).where(Appeal.code == str(ref)))
    if a is None:
        raise DispatchNotFound(f"没有找到诉求 {ref}（或不在本账号的查看范围内）")
    require_read(scope, a.uscc, a.region, f"诉求 {ref}")
    return a


def appeals_query(scope: Scope, *, status: str | None = None, appeal_type: str | None = None,
                  region: str | None = None, q: str | None = None, month: str | None = None) -> Select:
    """The cases ``scope`` may read, newest first, narrowed by status, type, region subtree, text (code,
    enterprise name or USCC, title) and filing month (``2022-03``)."""
    query = scoped(select(Appeal), scope, Appeal.uscc, Appeal.region).order_by(Appeal.filed_at.desc(),
                                                                                Appeal.id.desc())
    if status:
        query = query.where(Appeal.status == status)
    if appeal_type:
        query = query.where(Appeal.appeal_type == appeal_type)
    if month:
        start, end = _month_bounds(month)
        query = query.where(Appeal.filed_at >= start, Appeal.filed_at < end)
    query = in_subtree(query, Appeal.region, region)
    return matching(query, q, Appeal.code, Appeal.enterprise_name, Appeal.uscc, Appeal.title)


def _month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    try:
        start = dt.datetime.strptime(month, "%Y-%m")
    except ValueError:
        raise DispatchError(f"月份“{month}”无效，应写作 2022-03") from None
    return start, (start + dt.timedelta(days=32)).replace(day=1)


def list_appeals(session: Session, scope: Scope, *, status: str | None = None, appeal_type: str | None = None,
                 region: str | None = None) -> list[Appeal]:
    return list(session.scalars(appeals_query(scope, status=status, appeal_type=appeal_type, region=region)))


def appeals_page(session: Session, scope: Scope, *, offset: int = 0, limit: int | None = 50,
                 **filters: str | None) -> Listed[Appeal]:
    """One page of :func:`appeals_query` (``limit=None``: all) with the count of every matching case."""
    return paged(session, appeals_query(scope, **filters), offset=offset, limit=limit)


# transitions -----------------------------------------------------------------------------------
def _transition(appeal: Appeal, action: str) -> str:
    allowed, to = TRANSITIONS[action]
    if appeal.status not in allowed:
        need = "、".join(f"「{STATUS_ZH[s]}」" for s in allowed)
        raise DispatchError(f"诉求 {appeal.code} 当前状态为「{STATUS_ZH[appeal.status]}」，不能{ACTION_ZH[action]}"
                            f"（只有{need}的诉求可以{ACTION_ZH[action]}）")
    return to


def _official_step(session: Session, scope: Scope, ref: int | str, action: str, clock: Clock) -> tuple[Appeal, str, dt.datetime]:
    a = get_appeal(session, scope, ref)
    require_official(scope, a.region, ACTION_ZH[action])
    return a, _transition(a, action), clock.now()


def assign(session: Session, scope: Scope, ref: int | str, department: str, note: str = "",
           clock: Clock = SYSTEM) -> Appeal:
    if not department.strip():
        raise DispatchError("分派时请填写承办部门")
    department = dispatch_text(department, "承办部门", max_length=NAME_MAX)
    note = dispatch_text(note, "分派说明", max_length=NOTE_MAX)
    a, to, now = _official_step(session, scope, ref, "assign", clock)
    frm, a.status, a.department, a.assigned_at = a.status, to, department.strip(), now
    _event(a, now, scope.username, "assign", frm, to, f"承办部门：{a.department}" + (f"；{note}" if note else ""))
    session.flush()
    return a


def respond(session: Session, scope: Scope, ref: int | str, note: str = "", clock: Clock = SYSTEM) -> Appeal:
    note = dispatch_text(note, "响应说明", max_length=NOTE_MAX)
    a, to, now = _official_step(session, scope, ref, "respond", clock)
    frm, a.status, a.responded_at, a.response_note = a.status, to, now, note.strip()
    _event(a, now, scope.username, "respond", frm, to, note.strip() or "已联系企业")
    session.flush()
    return a


def plan(session: Session, scope: Scope, ref: int | str, note: str, clock: Clock = SYSTEM) -> Appeal:
    return _noted_step(session, scope, ref, "plan", note, "请填写办理方案（措施、责任人、完成时间）", clock)


def resolve(session: Session, scope: Scope, ref: int | str, note: str, clock: Clock = SYSTEM) -> Appeal:
    return _noted_step(session, scope, ref, "resolve", note, "办结必须填写办理结果说明", clock)


_NOTED = {"plan": ("planned_at", "plan_note"), "resolve": ("resolved_at", "resolution_note")}


def _noted_step(session: Session, scope: Scope, ref: int | str, action: str, note: str, missing: str,
                clock: Clock) -> Appeal:
    """A step that needs a written note (方案, 办结 result): the time and note are kept on the case."""
    if not note.strip():
        raise DispatchError(missing)
    note = dispatch_text(note, "办理说明", max_length=NOTE_MAX)
    a, to, now = _official_step(session, scope, ref, action, clock)
    at_attr, note_attr = _NOTED[action]
    frm, a.status = a.status, to
    setattr(a, at_attr, now)
    setattr(a, note_attr, note.strip())
    _event(a, now, scope.username, action, frm, to, note.strip())
    session.flush()
    return a


def rate(session: Session, scope: Scope, ref: int | str, score: int, comment: str = "",
         clock: Clock = SYSTEM) -> Appeal:
    """The enterprise that filed the case rates how it was handled (1 很不满意 … 5 很满意)."""
    a = get_appeal(session, scope, ref)
    if scope.role != Role.ENTERPRISE or scope.uscc != a.uscc:
        raise DispatchForbidden("只有提出诉求的企业本身可以评价满意度")
    _transition(a, "rate")
    comment = dispatch_text(comment, "评价意见", max_length=NOTE_MAX)
    if not 1 <= int(score) <= 5:
        raise DispatchError(f"满意度应为1至5分，收到 {score}")
    now = clock.now()
    a.satisfaction, a.satisfaction_comment = int(score), comment.strip()
    _event(a, now, scope.username, "rate", a.status, a.status, f"满意度 {int(score)} 分" + (f"；{comment}" if comment else ""))
    session.flush()
    return a


def close(session: Session, scope: Scope, ref: int | str, callback_note: str, clock: Clock = SYSTEM) -> Appeal:
    """结案: after 回访 (callback), once the enterprise has rated the handling."""
    a, to, now = _official_step(session, scope, ref, "close", clock)
    if not a.resolution_note:
        raise DispatchError(f"诉求 {a.code} 没有办理结果说明，不能结案")
    if a.satisfaction is None:
        raise DispatchError(f"诉求 {a.code} 企业尚未评价满意度，不能结案（请企业在案件页评价）")
    if not callback_note.strip():
        raise DispatchError("结案必须填写回访情况")
    callback_note = dispatch_text(callback_note, "回访情况", max_length=NOTE_MAX)
    frm, a.status, a.closed_at, a.callback_note = a.status, to, now, callback_note.strip()
    _event(a, now, scope.username, "close", frm, to, f"回访：{a.callback_note}")
    session.flush()
    return a


def reopen(session: Session, scope: Scope, ref: int | str, reason: str, clock: Clock = SYSTEM) -> Appeal:
    """Reopen a resolved or closed case (the enterprise itself or an official); SLA clocks restart."""
    a = get_appeal(session, scope, ref)
    if scope.role == Role.ENTERPRISE:
        if scope.uscc != a.uscc:
            raise DispatchForbidden("企业账号只能重新打开本企业的诉求")
    else:
        require_official(scope, a.region, "重新打开诉求")
    to = _transition(a, "reopen")
    if not reason.strip():
        raise DispatchError("重新打开诉求必须说明原因")
    reason = dispatch_text(reason, "重新打开的原因", max_length=NOTE_MAX)
    now = clock.now()
    frm = a.status
    r, p, v = sla_for(session, a.appeal_type).due(now)
    a.status, a.respond_due, a.plan_due, a.resolve_due = to, r, p, v
    a.assigned_at = a.responded_at = a.planned_at = a.resolved_at = a.closed_at = None
    a.resolution_note = a.callback_note = a.satisfaction_comment = ""
    a.satisfaction = None
    a.escalated_stages = ""
    a.reopen_count += 1
    _event(a, now, scope.username, "reopen", frm, to, reason.strip())
    session.flush()
    return a


# SLA -------------------------------------------------------------------------------------------
def _stage_times(a: Appeal) -> dict[str, tuple[dt.datetime, dt.datetime | None]]:
    return {"respond": (a.respond_due, a.responded_at), "plan": (a.plan_due, a.planned_at),
            "resolve": (a.resolve_due, a.resolved_at)}


def sla_state(a: Appeal, now: dt.datetime) -> dict[str, str]:
    """Each stage: 按时 (done in time), 超时完成 (done late), 未到期 (running), 已超时 (running, breached)."""
    out = {}
    for stage, (due, done) in _stage_times(a).items():
        if done is not None:
            out[stage] = "按时" if done <= due else "超时完成"
        else:
            out[stage] = "未到期" if now <= due else "已超时"
    return out


def breached_stages(a: Appeal, now: dt.datetime) -> list[str]:
    return [s for s, v in sla_state(a, now).items() if v in ("已超时", "超时完成")]


def is_overdue(a: Appeal, now: dt.datetime) -> bool:
    """Open and past at least one deadline it has not met."""
    return a.status in OPEN and "已超时" in sla_state(a, now).values()


def next_due(a: Appeal) -> tuple[str, dt.datetime] | None:
    """The next deadline the case is running against (stage, when), None when resolved."""
    for stage, (due, done) in _stage_times(a).items():
        if done is None:
            return stage, due
    return None


def _up(code: str) -> tuple[str, str] | None:
    """The next handling level above a county or prefecture (a province is the top: no escalation)."""
    if level_of(code) not in ("county", "prefecture"):
        return None
    up = parent_code(code)
    return (up, level_of(up)) if up else None


def escalate_if_breached(a: Appeal, now: dt.datetime, actor: str = "系统") -> list[str]:
    """Escalate once for each stage newly breached; return the Chinese notes of what happened."""
    if a.status not in OPEN:
        return []
    done = set(filter(None, a.escalated_stages.split(",")))
    notes = []
    for stage in STAGES:
        due, finished = _stage_times(a)[stage]
        if stage in done or finished is not None or now <= due:
            continue
        done.add(stage)
        up = _up(a.handler_region)
        if up is None:
            note = f"「{STAGE_ZH[stage]}」超过时限（北京时间{beijing_time(due, seconds=False)}），已在{LEVEL_ZH.get(a.handler_level, '省级')}督办"
        else:
            a.handler_region, a.handler_level = up
            a.escalations += 1
            note = (f"「{STAGE_ZH[stage]}」超过时限（北京时间{beijing_time(due, seconds=False)}），升级至{LEVEL_ZH[up[1]]}"
                    f"（{region_name(up[0])}）督办")
        _event(a, now, actor, "escalate", a.status, a.status, note)
        notes.append(note)
    a.escalated_stages = ",".join(s for s in STAGES if s in done)
    return notes


def run_escalation(session: Session, clock: Clock = SYSTEM) -> list[tuple[str, str]]:
    """Check every open case against its clocks; escalate breaches. Returns (case code, note) pairs."""
    now = clock.now()
    out = []
    for a in session.scalars(select(Appeal).where(Appeal.status.in_(OPEN))):
        for note in escalate_if_breached(a, now):
            out.append((a.code, note))
    session.flush()
    return out


def overdue(session: Session, scope: Scope, clock: Clock = SYSTEM) -> list[Appeal]:
    """Open cases in scope past a deadline, most overdue first."""
    now = clock.now()
    rows = [a for a in list_appeals(session, scope) if is_overdue(a, now)]
    return sorted(rows, key=lambda a: min(d for _, (d, f) in _stage_times(a).items() if f is None))


# views -----------------------------------------------------------------------------------------
def timeline(a: Appeal) -> list[dict[str, str]]:
    return [{"时间": f"{e.at:%Y-%m-%d %H:%M}", "操作人": e.actor, "操作": ACTION_ZH.get(e.action, e.action),
             "状态": STATUS_ZH.get(e.to_status, e.to_status), "说明": e.note, "action": e.action}
            for e in a.events]


def to_dict(a: Appeal, now: dt.datetime | None = None) -> dict[str, object]:
    now = now or SYSTEM.now()
    nd = next_due(a)
    return {
        "id": a.id, "code": a.code, "uscc": a.uscc, "enterprise_name": a.enterprise_name, "region": a.region,
        "appeal_type": a.appeal_type, "title": a.title, "description": a.description, "urgency": a.urgency,
        "attachments": list(a.attachments or []), "department": a.department, "status": a.status,
        "status_zh": STATUS_ZH[a.status], "handler_region": a.handler_region, "handler_level": a.handler_level,
        "escalations": a.escalations, "filed_at": a.filed_at.isoformat(), "respond_due": a.respond_due.isoformat(),
        "plan_due": a.plan_due.isoformat(), "resolve_due": a.resolve_due.isoformat(),
        "next_due": None if nd is None or a.status in DONE else {"stage": STAGE_ZH[nd[0]], "due": nd[1].isoformat()},
        "sla": {STAGE_ZH[k]: v for k, v in sla_state(a, now).items()}, "overdue": is_overdue(a, now),
        "resolution_note": a.resolution_note, "callback_note": a.callback_note, "satisfaction": a.satisfaction,
        "reopen_count": a.reopen_count,
    }

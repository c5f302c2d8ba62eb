"""Whitelists (白名单): categories, entries applied → reviewed → published, validity, history, export.

Built-in categories: 重点产业链供应链企业, 重点外贸企业, 原材料保供企业; administrators may add more.
An entry is in force on a day when it is published and the day lies in [valid_from, valid_to].
:func:`marks` answers "which lists is this enterprise on" for every other view (enterprise pages,
alerts, bulletin tables).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from yacang.auth.scope import Scope
from yacang.catalog.regions import RegionCatalog, region_label
from yacang.dispatch.access import require_filer, require_official, require_read, scoped
from yacang.dispatch.clock import SYSTEM, Clock
from yacang.dispatch.errors import (
    NOTE_MAX,
    DispatchConflict,
    DispatchError,
    DispatchForbidden,
    DispatchNotFound,
    dispatch_text,
)
from yacang.dispatch.listing import Listed, in_subtree, matching, paged
from yacang.dispatch.models import WhitelistCategory, WhitelistEntry, WhitelistEvent
from yacang.exports import write_xlsx_row
from yacang.validation import Invalid, check_text

BUILTIN = (("supply_chain", "重点产业链供应链企业"), ("foreign_trade", "重点外贸企业"),
           ("raw_materials", "原材料保供企业"))
STATUS_ZH = {"applied": "已申请", "reviewed": "已审核", "published": "已发布", "rejected": "未通过"}
ACTION_ZH = {"apply": "申请", "review": "审核通过", "reject": "审核不通过", "publish": "发布", "revoke": "撤销"}


def ensure_categories(session: Session) -> list[WhitelistCategory]:
    """Create the built-in categories if absent; return all categories."""
    have = {c.code for c in session.scalars(select(WhitelistCategory))}
    for code, name in BUILTIN:
        if code not in have:
            session.add(WhitelistCategory(code=code, name=name, builtin=True))
    session.flush()
    return list(session.scalars(select(WhitelistCategory).order_by(WhitelistCategory.id)))


def add_category(session: Session, scope: Scope, code: str, name: str) -> WhitelistCategory:
    if not scope.is_admin:
        raise DispatchForbidden("只有系统管理员可以新增白名单类别")
    if not re.fullmatch(r"[a-z][a-z0-9_]{1,31}", code):
        raise DispatchError(f"类别代码“{code}”无效：只能用小写字母、数字和下划线，以字母开头")
    if not name.strip():
        raise DispatchError("请填写类别名称")
    ensure_categories(session)
    if session.scalar(select(WhitelistCategory).where((WhitelistCategory.code == code) | (WhitelistCategory.name == name))):
        raise DispatchError(f"白名单类别已存在：{code} / {name}")
    c = WhitelistCategory(code=code, name=name.strip(), builtin=False)
    session.add(c)
    session.flush()
    return c


def category(session: Session, ref: str) -> WhitelistCategory:
    ensure_categories(session)
    c = session.scalar(select(WhitelistCategory).where((WhitelistCategory.code == ref) | (WhitelistCategory.name == ref)))
    if c is None:
        names = "、".join(x.name for x in session.scalars(select(WhitelistCategory)))
        raise DispatchError(f"没有白名单类别“{ref}”，现有：{names}")
    return c


def _log(e: WhitelistEntry, now: dt.datetime, actor: str, action: str, note: str = "") -> None:
    e.history.append(WhitelistEvent(at=now, actor=actor, action=action, note=note))


def apply(session: Session, scope: Scope, *, category_ref: str, uscc: str, enterprise_name: str, region: str,
          reason: str, valid_from: dt.date, valid_to: dt.date, clock: Clock = SYSTEM) -> WhitelistEntry:
    """An enterprise applies for itself, or an officer nominates one in its subtree."""
    cat = category(session, category_ref)
    try:
        reason = check_text(reason, "列入白名单的理由", max_length=2000, required=True)
    except Invalid as exc:
        raise DispatchError(str(exc)) from None
    if valid_to < valid_from:
        raise DispatchError(f"有效期止（{valid_to}）早于有效期起（{valid_from}）")
    require_filer(scope, uscc, region, "申请列入白名单", "推荐企业列入白名单")
    dup = session.scalar(select(WhitelistEntry).where(
        WhitelistEntry.category_id == cat.id, WhitelistEntry.uscc == uscc,
        WhitelistEntry.status.in_(("applied", "reviewed", "published")), WhitelistEntry.valid_to >= valid_from))
    if dup is not None:
        raise DispatchConflict(f"该企业已在“{cat.name}”中（{STATUS_ZH[dup.status]}，有效期至 {dup.valid_to}），不能重复申请")
    now = clock.now()
    e = WhitelistEntry(category_id=cat.id, uscc=uscc, enterprise_name=enterprise_name, region=region,
                       reason=reason.strip(), status="applied", valid_from=valid_from, valid_to=valid_to,
                       applied_by=scope.username, applied_at=now)
    session.add(e)
    _log(e, now, scope.username, "apply", reason.strip())
    session.flush()
    return e


def get_entry(session: Session, scope: Scope, entry_id: int) -> WhitelistEntry:
    e = session.get(WhitelistEntry, int(entry_id))
    if e is None:
        raise DispatchNotFound(f"没有找到白名单条目 {entry_id}（或不在本账号的查看范围内）")
    require_read(scope, e.uscc, e.region, f"白名单条目 {entry_id}")
    return e


def four_eyes() -> bool:
    """Whether publication needs a second person besides the reviewer (default on;
    ``YACANG_WHITELIST_FOUR_EYES=0`` turns it off for a one-person office)."""
    return os.environ.get("YACANG_WHITELIST_FOUR_EYES", "1").strip() not in ("0", "false", "no")


def _separate_duties(e: WhitelistEntry, scope: Scope, action: str) -> None:
    """The applicant may not review or publish their own application; with four-eyes the reviewer
    may not publish what they reviewed."""
    if action in ("review", "reject", "publish") and scope.username and scope.username == e.applied_by:
        raise DispatchForbidden(f"职责分离：申请人（{e.applied_by}）不能{ACTION_ZH[action]}本人提交的白名单申请")
    if action == "publish" and four_eyes() and scope.username and scope.username == e.reviewed_by:
        raise DispatchForbidden(f"双人复核：审核人（{e.reviewed_by}）不能发布本人审核的白名单条目，请由另一位人员发布")


def _step(session: Session, scope: Scope, entry_id: int, action: str, frm: tuple[str, ...], to: str, note: str,
          clock: Clock) -> WhitelistEntry:
    note = dispatch_text(note, "审核意见", max_length=NOTE_MAX)
    e = get_entry(session, scope, entry_id)
    require_official(scope, e.region, ACTION_ZH[action] + "白名单")
    _separate_duties(e, scope, action)
    if e.status not in frm:
        need = "、".join(STATUS_ZH[s] for s in frm)
        raise DispatchError(f"白名单条目 {e.id} 当前为「{STATUS_ZH[e.status]}」，不能{ACTION_ZH[action]}（应为{need}）")
    now = clock.now()
    e.status = to
    if action in ("review", "reject"):
        e.reviewed_by, e.reviewed_at = scope.username, now
    if action == "publish":
        e.published_by, e.published_at = scope.username, now
    _log(e, now, scope.username, action, note)
    session.flush()
    return e


def review(session: Session, scope: Scope, entry_id: int, *, approve: bool = True, note: str = "",
           clock: Clock = SYSTEM) -> WhitelistEntry:
    if not approve and not note.strip():
        raise DispatchError("审核不通过时请说明原因")
    return _step(session, scope, entry_id, "review" if approve else "reject", ("applied",),
                 "reviewed" if approve else "rejected", note, clock)


def publish(session: Session, scope: Scope, entry_id: int, note: str = "", clock: Clock = SYSTEM) -> WhitelistEntry:
    return _step(session, scope, entry_id, "publish", ("reviewed",), "published", note, clock)


def revoke(session: Session, scope: Scope, entry_id: int, reason: str, clock: Clock = SYSTEM) -> WhitelistEntry:
    """Take a published entry off the list before its validity ends (ends it today)."""
    if not reason.strip():
        raise DispatchError("撤销白名单须说明原因")
    e = _step(session, scope, entry_id, "revoke", ("published",), "rejected", reason, clock)
    e.valid_to = min(e.valid_to, clock.now().date())
    return e


def entries_query(session: Session, scope: Scope, *, category_ref: str | None = None, status: str | None = None,
                  in_force_on: dt.date | None = None, region: str | None = None, q: str | None = None) -> Select:
    """The entries ``scope`` may read, by category, region and id, narrowed by category, status, the day
    they are in force, region subtree and text (enterprise name or USCC)."""
    ensure_categories(session)
    query = scoped(select(WhitelistEntry), scope, WhitelistEntry.uscc, WhitelistEntry.region).order_by(
        WhitelistEntry.category_id, WhitelistEntry.region, WhitelistEntry.id)
    if category_ref:
        query = query.where(WhitelistEntry.category_id == category(session, category_ref).id)
    if status:
        query = query.where(WhitelistEntry.status == status)
    if in_force_on is not None:
        query = query.where(WhitelistEntry.status == "published", WhitelistEntry.valid_from <= in_force_on,
                            WhitelistEntry.valid_to >= in_force_on)
    query = in_subtree(query, WhitelistEntry.region, region)
    return matching(query, q, WhitelistEntry.enterprise_name, WhitelistEntry.uscc)


def list_entries(session: Session, scope: Scope, *, category_ref: str | None = None, status: str | None = None,
                 in_force_on: dt.date | None = None) -> list[WhitelistEntry]:
    return list(session.scalars(entries_query(session, scope, category_ref=category_ref, status=status,
                                              in_force_on=in_force_on)))


def entries_page(session: Session, scope: Scope, *, offset: int = 0, limit: int | None = 50,
                 **filters) -> Listed[WhitelistEntry]:
    """One page of :func:`entries_query` (``limit=None``: all) with the count of every matching entry."""
    return paged(session, entries_query(session, scope, **filters), offset=offset, limit=limit)


def marks(session: Session, usccs: list[str] | None = None, on: dt.date | None = None) -> dict[str, list[str]]:
    """USCC → names of the whitelists it is on (published, in force on ``on``; default today)."""
    on = on or SYSTEM.now().date()
    q = select(WhitelistEntry.uscc, WhitelistCategory.name).join(WhitelistCategory).where(
        WhitelistEntry.status == "published", WhitelistEntry.valid_from <= on, WhitelistEntry.valid_to >= on)
    if usccs is not None:
        q = q.where(WhitelistEntry.uscc.in_(list(usccs)))
    out: dict[str, list[str]] = {}
    for uscc, name in session.execute(q):
        out.setdefault(uscc, []).append(name)
    return out


def to_dict(e: WhitelistEntry, *, history: bool = True) -> dict[str, object]:
    """The entry as JSON-ready values; ``history=False`` leaves the event list out (lists and exports)."""
    out = {"id": e.id, "category": e.category.name, "uscc": e.uscc, "enterprise_name": e.enterprise_name,
            "region": e.region, "reason": e.reason, "status": e.status, "status_zh": STATUS_ZH[e.status],
            "valid_from": e.valid_from.isoformat(), "valid_to": e.valid_to.isoformat(), "applied_by": e.applied_by,
            "reviewed_by": e.reviewed_by, "published_by": e.published_by}
    if history:
        out["history"] = [{"at": h.at.isoformat(), "actor": h.actor, "action": ACTION_ZH.get(h.action, h.action),
                           "note": h.note} for h in e.history]
    return out


EXPORT_COLUMNS = ["类别", "企业名称", "统一社会信用代码", "地区", "列入理由", "状态", "有效期起", "有效期止",
                  "申请人", "审核人", "发布人", "发布时间"]


def export_rows(entries: list[WhitelistEntry]) -> list[list[object]]:
    catalog = RegionCatalog.load()
    return [[e.category.name, e.enterprise_name, e.uscc, region_label(e.region, catalog), e.reason, STATUS_ZH[e.status], e.valid_from,
             e.valid_to, e.applied_by, e.reviewed_by, e.published_by,
             f"{e.published_at:%Y-%m-%d %H:%M}" if e.published_at else ""] for e in entries]


def export_xlsx(entries: list[WhitelistEntry], title: str = "白名单") -> bytes:
    """An XLSX workbook (xlsxwriter): one sheet per category plus 全部, dates as dates, header frozen."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    head = wb.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    groups: dict[str, list[WhitelistEntry]] = {"全部": entries}
    for e in entries:
        groups.setdefault(e.category.name, []).append(e)
    for name, rows in groups.items():
        ws = wb.add_worksheet(name[:31])
        write_xlsx_row(ws, 0, EXPORT_COLUMNS, head)
        for i, row in enumerate(export_rows(rows), start=1):
            write_xlsx_row(ws, i, row, date_format=date)  # enterprise text is written as text, never a formula
        ws.freeze_panes(1, 0)
        ws.set_column(0, 0, 22)
        ws.set_column(1, 1, 28)
        ws.set_column(2, 2, 22)
        ws.set_column(4, 4, 40)
        ws.set_column(6, 7, 12)
    wb.set_properties({"title": title})
    wb.close()
    return buf.getvalue()

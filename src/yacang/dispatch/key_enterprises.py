"""Key enterprises (重点企业): per-region monitoring lists and weekly/daily quick reports (快报).

A quick report carries a few indicators — 产量, 用电量, 订单, 开工率 — and the problems met. Reports
are kept in the app database (who sent what, when) and written to the warehouse at their own
frequency as series of source ``report`` (:func:`quick_report_batch`, :func:`feed_warehouse`):
``report:{indicator}.value.{region}.{division}.{uscc}~{D|W}``. A weekly report is stored at the
week's last day (Sunday), so a week has one period code whatever day it was sent.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from yacang.auth.roles import Role
from yacang.auth.scope import Scope
from yacang.catalog.regions import RegionError, level_of
from yacang.catalog.series_ids import series_id
from yacang.dispatch import registry
from yacang.dispatch.access import require_official, require_read, scoped
from yacang.dispatch.clock import SYSTEM, Clock
from yacang.dispatch.errors import DispatchError, DispatchForbidden, DispatchNotFound, dispatch_text
from yacang.dispatch.listing import Listed, in_subtree, matching, paged
from yacang.dispatch.models import KeyEnterprise, QuickReport
from yacang.microdata.uscc import UsccError, validate_uscc
from yacang.validation import QUICK_FIELDS, Invalid, check_day, check_fields, check_text

FREQUENCIES = ("月", "周", "日")
FREQ_CODE = {"周": "W", "日": "D"}
INDICATORS = {  # field -> (indicator id, Chinese name, unit)
    "production": ("production", "产量", "企业自报单位"),
    "electricity": ("electricity", "用电量", "万千瓦时"),
    "orders": ("orders", "订单", "万元"),
    "operating_rate": ("operating_rate", "开工率", "%"),
}
SOURCE = "report"


def register(session: Session, scope: Scope, *, wh, uscc: str, name: str = "", region: str = "", industry: str = "",
             frequency: str = "月", contact_name: str = "", contact_phone: str = "") -> KeyEnterprise:
    """Put an enterprise on (or update it in) its region's key list: the one entry point of every caller.

    The server's records decide who the enterprise is (:func:`yacang.dispatch.registry.lookup` in the
    warehouse ``wh``'s 企业名录, then the key list): a known enterprise keeps its recorded name and region
    whatever ``name`` and ``region`` say. An unknown one needs both, and its region must be in the
    caller's jurisdiction like any other. ``wh`` is required (``None`` only where no warehouse exists:
    then only the key list is consulted)."""
    if frequency not in FREQUENCIES:
        raise DispatchError(f"监测频次“{frequency}”无效，可选：月/周/日")
    uscc = (uscc or "").strip()
    if not uscc:
        raise DispatchError("请填写企业统一社会信用代码")
    known = registry.lookup(session, wh, uscc)
    if known is not None:  # the records decide name and region, not the request
        name, region = known.name, known.region
    elif not ((name or "").strip() and (region or "").strip()):
        raise DispatchError(f"企业 {uscc} 不在企业名录中：请填写企业名称和所在地区代码")
    else:
        _check_unknown(scope, uscc, region.strip())
    name = dispatch_text(name, "企业名称", max_length=128, required=True)
    region = region.strip()
    industry = dispatch_text(industry, "行业代码", max_length=4)
    contact_name = dispatch_text(contact_name, "联系人", max_length=32)
    contact_phone = dispatch_text(contact_phone, "联系电话", max_length=32)
    try:
        level_of(region)
    except RegionError as exc:
        raise DispatchError(f"企业所在地区代码无效：{exc}") from None
    require_official(scope, region, "维护重点企业名单")
    existing = session.scalar(select(KeyEnterprise).where(KeyEnterprise.uscc == uscc))
    if existing is not None and existing.region != region and not scope.covers(existing.region):
        raise DispatchForbidden(f"企业 {uscc} 已列入地区 {existing.region} 的重点企业名单，本账号不能将其改登记到"
                                f"地区 {region}（企业所在地区以登记为准）")
    if existing is not None and existing.region != region and not scope.is_admin:
        raise DispatchForbidden(f"企业 {uscc} 登记在地区 {existing.region}，不能改为 {region}；企业迁移请由系统管理员办理")
    k = existing or KeyEnterprise(uscc=uscc)
    k.name, k.region, k.industry, k.frequency = name, region, industry, frequency
    k.contact_name, k.contact_phone, k.active = contact_name, contact_phone, True
    session.add(k)
    session.flush()
    return k


def _check_unknown(scope: Scope, uscc: str, region: str) -> None:
    """An enterprise in no record: its code must be a valid USCC whose registration authority (characters
    3–8) is in the province of the claimed region, so an official cannot list another province's
    enterprise as its own. An enterprise that moved across provinces is listed by the administrator."""
    try:
        uscc = validate_uscc(uscc)
    except UsccError as exc:
        raise DispatchError(str(exc)) from None
    if not scope.is_admin and uscc[2:4] != region[:2]:
        raise DispatchForbidden(f"企业 {uscc} 的登记管理机关代码为 {uscc[2:8]}，与所在地区 {region} 不在同一省份；"
                                "异地迁入的企业请由系统管理员登记")


def key_query(scope: Scope, *, region: str | None = None, frequency: str | None = None, q: str | None = None) -> Select:
    """The active key enterprises ``scope`` may read, in ``region``'s subtree, of one ``frequency``, whose
    name or USCC contains ``q``; ordered by region and USCC. The scope applies first: no filter widens it."""
    query = scoped(select(KeyEnterprise), scope, KeyEnterprise.uscc, KeyEnterprise.region).where(
        KeyEnterprise.active.is_(True)).order_by(KeyEnterprise.region, KeyEnterprise.uscc)
    query = matching(in_subtree(query, KeyEnterprise.region, region), q, KeyEnterprise.name, KeyEnterprise.uscc)
    if frequency:
        if frequency not in FREQUENCIES:
            raise DispatchError(f"监测频次“{frequency}”无效，可选：{'/'.join(FREQUENCIES)}")
        query = query.where(KeyEnterprise.frequency == frequency)
    return query


def list_key(session: Session, scope: Scope, *, region: str | None = None, frequency: str | None = None) -> list[KeyEnterprise]:
    return list(session.scalars(key_query(scope, region=region, frequency=frequency)))


def key_page(session: Session, scope: Scope, *, region: str | None = None, frequency: str | None = None,
             q: str | None = None, offset: int = 0, limit: int | None = 50) -> Listed[KeyEnterprise]:
    """One page of :func:`key_query` and the count of all its rows (``limit=None``: every row)."""
    return paged(session, key_query(scope, region=region, frequency=frequency, q=q), offset=offset, limit=limit)


def names_of(session: Session, usccs: set[str]) -> dict[str, str]:
    """USCC → name of the listed key enterprises (for labelling rows the caller may already read)."""
    if not usccs:
        return {}
    rows = session.execute(select(KeyEnterprise.uscc, KeyEnterprise.name).where(KeyEnterprise.uscc.in_(sorted(usccs))))
    return {u: n for u, n in rows}


def get_key(session: Session, scope: Scope, uscc: str) -> KeyEnterprise:
    k = session.scalar(select(KeyEnterprise).where(KeyEnterprise.uscc == uscc))
    if k is None:
        raise DispatchNotFound(f"企业 {uscc} 不在重点企业名单中")
    require_read(scope, k.uscc, k.region, f"重点企业 {uscc}")
    return k


def week_end(day: dt.date) -> dt.date:
    """The Sunday closing ``day``'s week (ISO weeks, Monday first)."""
    return day + dt.timedelta(days=6 - day.weekday())


def submit(session: Session, scope: Scope, *, uscc: str, day: dt.date, frequency: str,
           production: float | str | None = None, electricity: float | str | None = None,
           orders: float | str | None = None, operating_rate: float | str | None = None, problems: str = "",
           clock: Clock = SYSTEM) -> QuickReport:
    """Store a weekly (周) or daily (日) quick report; re-sending the same day/week replaces it.

    The indicators are numbers or a form's text; blank is None, and NaN/inf are refused."""
    k = get_key(session, scope, uscc)
    if scope.role == Role.ENTERPRISE:
        if scope.uscc != uscc:
            raise DispatchForbidden("企业账号只能报送本企业快报")
    else:
        require_official(scope, k.region, "代企业报送快报")
    if frequency not in FREQ_CODE:
        raise DispatchError(f"快报频次应为“周”或“日”，收到“{frequency}”")
    if k.frequency != frequency:
        raise DispatchError(f"{k.name} 的监测频次为“{k.frequency}”，请报送{k.frequency}报")
    values = {"production": production, "electricity": electricity, "orders": orders, "operating_rate": operating_rate}
    try:  # the one validation layer: finite, in range (NaN/inf refused)
        values = check_fields(values, QUICK_FIELDS)
        now = clock.now()
        check_day(day, on=now.date(), label="报送日期")
        problems = check_text(problems, "存在问题", max_length=2000)
    except Invalid as exc:
        raise DispatchError(str(exc)) from None
    if all(v is None for v in values.values()):  # after cleaning: blank text is no value either
        raise DispatchError("快报至少填写一项指标（产量、用电量、订单、开工率）")
    production, electricity, orders, operating_rate = (values.get(f) for f in
                                                        ("production", "electricity", "orders", "operating_rate"))
    when = week_end(day) if frequency == "周" else day
    r = session.scalar(select(QuickReport).where(QuickReport.uscc == uscc, QuickReport.frequency == frequency,
                                                 QuickReport.day == when)) or QuickReport(uscc=uscc, frequency=frequency, day=when)
    r.production, r.electricity, r.orders, r.operating_rate = production, electricity, orders, operating_rate
    r.problems, r.submitted_by, r.submitted_at = problems.strip(), scope.username, now
    session.add(r)
    session.flush()
    return r


def list_reports(session: Session, scope: Scope, *, uscc: str | None = None, since: dt.date | None = None) -> list[QuickReport]:
    keys = {k.uscc: k for k in list_key(session, scope)}
    q = select(QuickReport).where(QuickReport.uscc.in_(list(keys))).order_by(QuickReport.day.desc(), QuickReport.uscc)
    if uscc:
        q = q.where(QuickReport.uscc == uscc)
    if since:
        q = q.where(QuickReport.day >= since)
    return list(session.scalars(q))


def quick_report_batch(reports: list[QuickReport], keys: dict[str, KeyEnterprise]):
    """The reports as a warehouse :class:`~yacang.ingest.batch.Batch` (None if there is nothing)."""
    from yacang.ingest.batch import SERIES_COLUMNS, Batch

    series, obs = [], []
    for r in reports:
        k = keys.get(r.uscc)
        if k is None:
            continue
        industry = (k.industry or "")[:2] or "TOTAL"
        for field, (ind, zh, unit) in INDICATORS.items():
            v = getattr(r, field)
            if v is None:
                continue
            sid = series_id(SOURCE, ind, "value", k.region, industry, r.uscc, FREQ_CODE[r.frequency])
            series.append({"series_id": sid, "indicator": ind, "measure": "value", "region": k.region,
                           "industry": industry, "category": r.uscc, "frequency": FREQ_CODE[r.frequency],
                           "unit": unit, "source": SOURCE, "original_name": f"重点企业快报:{k.name}:{zh}:{r.frequency}",
                           "jan_feb": ""})
            obs.append({"series_id": sid, "period": r.day.isoformat(), "value": float(v), "flags": "",
                        "source_row": r.id, "source_col": zh})
    if not obs:
        return None
    o = pd.DataFrame(obs).sort_values(["series_id", "period"]).reset_index(drop=True)
    o = o.astype({"series_id": "string", "period": "string", "value": "float64", "flags": "string",
                  "source_row": "Int64", "source_col": "string"})
    s = pd.DataFrame(series).drop_duplicates("series_id")[SERIES_COLUMNS].reset_index(drop=True)
    digest = hashlib.sha256(pd.util.hash_pandas_object(o[["series_id", "period", "value"]], index=False).values.tobytes()).hexdigest()
    return Batch(source_file=f"重点企业快报 {o['period'].min()}..{o['period'].max()}", format="dispatch_quick_report",
                 sha256=digest, series=s, observations=o)


def feed_warehouse(session: Session, wh, scope: Scope | None = None, *, since: dt.date | None = None):
    """Write the quick reports (in ``scope``, default all) to the warehouse; returns the BatchResult or None."""
    scope = scope or Scope(Role.ADMIN)
    keys = {k.uscc: k for k in list_key(session, scope)}
    batch = quick_report_batch(list_reports(session, scope, since=since), keys)
    return None if batch is None else wh.write_batch(batch)


def to_dict(k: KeyEnterprise) -> dict[str, object]:
    return {"uscc": k.uscc, "name": k.name, "region": k.region, "industry": k.industry, "frequency": k.frequency,
            "contact_name": k.contact_name, "contact_phone": k.contact_phone}


def report_dict(r: QuickReport) -> dict[str, object]:
    return {"uscc": r.uscc, "frequency": r.frequency, "day": r.day.isoformat(), "production": r.production,
            "electricity": r.electricity, "orders": r.orders, "operating_rate": r.operating_rate,
            "problems": r.problems, "submitted_by": r.submitted_by, "submitted_at": r.submitted_at.isoformat()}

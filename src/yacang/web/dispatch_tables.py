"""The dispatch lists (诉求, 白名单, 重大项目) as pages and API lists: scoped by the caller's records on the
server, filtered, paged, exported to XLSX — one definition per list for the page and the API.

Each list is a :class:`DispatchList`: its filters (query-string names), its XLSX columns and a fetch
that returns one page of display rows (names with codes, Chinese state labels) and the total.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from yacang.auth import audit
from yacang.catalog.regions import RegionCatalog, region_label
from yacang.dispatch import appeals as ap
from yacang.dispatch import key_enterprises as ke
from yacang.dispatch import projects as pj
from yacang.dispatch import whitelists as wl
from yacang.dispatch.clock import SYSTEM
from yacang.dispatch.errors import DispatchError
from yacang.dispatch.listing import Listed
from yacang.formatting import beijing_time
from yacang.validation import Invalid
from yacang.web.deps import Caller, client_ip, state
from yacang.web.tables import EXPORT_CAP, TablePage, filter_region, paging, xlsx_response

Fetch = Callable[[Session, Caller, dict, RegionCatalog, int, "int | None"], Listed[dict]]


@dataclass(frozen=True)
class DispatchList:
    name: str  # 诉求 …: the sheet and file name
    filters: tuple[str, ...]  # query-string names, besides page / size / format
    columns: list[tuple[str, str]]  # XLSX: key, Chinese header
    fetch: Fetch


def _appeal_row(a, now: dt.datetime, regions: RegionCatalog) -> dict:
    r = ap.to_dict(a, now)
    nd = r["next_due"]
    r.update(region_label=region_label(a.region, regions), overdue_zh="是" if r["overdue"] else "否",
             next_due_text=f"{nd['stage']} {beijing_time(nd['due'], seconds=False)}" if nd else "",
             filed_text=beijing_time(a.filed_at, seconds=False))  # the app database stores UTC
    return r


def _appeals(session: Session, who: Caller, f: dict, regions: RegionCatalog, offset: int, limit: int | None):
    now = SYSTEM.now()
    found = ap.appeals_page(session, who.scope, status=f.get("status") or None, appeal_type=f.get("type") or None,
                            region=f.get("region") or None, q=f.get("q"), month=f.get("month") or None,
                            offset=offset, limit=limit)
    return Listed([_appeal_row(a, now, regions) for a in found.rows], found.total)


def _whitelist(session: Session, who: Caller, f: dict, regions: RegionCatalog, offset: int, limit: int | None):
    on = None
    if f.get("on"):
        try:
            on = dt.date.fromisoformat(f["on"])
        except ValueError:
            raise DispatchError(f"日期“{f['on']}”无效，应写作 2022-03-15") from None
    found = wl.entries_page(session, who.scope, category_ref=f.get("category") or None, status=f.get("status") or None,
                            in_force_on=on, region=f.get("region") or None, q=f.get("q"), offset=offset, limit=limit)
    rows = []
    for e in found.rows:
        r = wl.to_dict(e, history=False)
        r["region_label"] = region_label(e.region, regions)
        rows.append(r)
    return Listed(rows, found.total)


def _thresholds(f: dict) -> pj.Thresholds:
    try:
        yellow, red = float(f.get("yellow") or 10), float(f.get("red") or 30)
    except ValueError:
        raise DispatchError(f"灯号阈值应为数字（百分点），收到 {f.get('yellow')}/{f.get('red')}") from None
    try:
        return pj.Thresholds(yellow, red)
    except Invalid as exc:  # inf, NaN, negative, or 黄灯 above 红灯
        raise DispatchError(str(exc)) from None


def _projects(session: Session, who: Caller, f: dict, regions: RegionCatalog, offset: int, limit: int | None):
    if not f.get("period"):
        raise DispatchError("请指定月份 period（如 2022-06）")
    found = pj.schedule_page(session, who.scope, f["period"], light=f.get("light") or None,
                             region=f.get("region") or None, q=f.get("q"), offset=offset, limit=limit,
                             thresholds=_thresholds(f))
    from yacang.catalog.industries import IndustryCatalog

    industries = IndustryCatalog.load()
    for r in found.rows:
        r["region_label"] = region_label(str(r["region"]), regions)
        r["industry_label"] = pj.industry_label(str(r["industry"] or ""), industries)
    return found


def _registry(session: Session, who: Caller, f: dict, regions: RegionCatalog, offset: int, limit: int | None):
    from yacang.dispatch.listing import paged

    found = paged(session, pj.projects_query(who.scope, region=f.get("region") or None, q=f.get("q")),
                  offset=offset, limit=limit)
    return Listed([{**pj.to_dict(p), "region_label": region_label(p.region, regions)} for p in found.rows],
                  found.total)


def _key_enterprises(session: Session, who: Caller, f: dict, regions: RegionCatalog, offset: int, limit: int | None):
    from yacang.catalog.industries import IndustryCatalog

    found = ke.key_page(session, who.scope, region=f.get("region") or None, frequency=f.get("frequency") or None,
                        q=f.get("q"), offset=offset, limit=limit)
    marks = wl.marks(session, [k.uscc for k in found.rows])
    industries = IndustryCatalog.load()
    rows = [{**ke.to_dict(k), "region_label": region_label(k.region, regions),
             "industry_label": pj.industry_label(k.industry or "", industries),
             "contact": f"{k.contact_name} {k.contact_phone}".strip(), "whitelist": "、".join(marks.get(k.uscc, []))}
            for k in found.rows]
    return Listed(rows, found.total)


APPEALS = DispatchList("诉求", ("q", "region", "status", "type", "month"), [
    ("code", "编号"), ("enterprise_name", "企业名称"), ("uscc", "统一社会信用代码"), ("region_label", "地区"),
    ("appeal_type", "诉求类型"), ("urgency", "紧急程度"), ("title", "标题"), ("status_zh", "状态"),
    ("department", "承办部门"), ("filed_text", "提交时间"), ("next_due_text", "下一时限"),
    ("escalations", "升级督办次数"), ("satisfaction", "满意度（分）"), ("overdue_zh", "是否超期")], _appeals)
WHITELIST = DispatchList("白名单", ("q", "region", "status", "category", "on"), [
    ("category", "类别"), ("enterprise_name", "企业名称"), ("uscc", "统一社会信用代码"), ("region_label", "地区"),
    ("reason", "列入理由"), ("status_zh", "状态"), ("valid_from", "有效期起"), ("valid_to", "有效期止"),
    ("applied_by", "申请人"), ("reviewed_by", "审核人"), ("published_by", "发布人")], _whitelist)
PROJECTS = DispatchList("重大项目", ("q", "region", "light", "period", "yellow", "red"), [
    ("code", "编号"), ("name", "项目名称"), ("region_label", "地区"), ("industry_label", "行业"),
    ("light_zh", "灯号"), ("planned_investment", "计划总投资（亿元）"), ("invest_cum", "累计完成投资（亿元）"),
    ("invest_month", "当月完成投资（亿元）"), ("planned_pct", "计划进度（%）"), ("actual_pct", "实际进度（%）"),
    ("lag", "落后（百分点）")], _projects)


def listing(request: Request, who: Caller, session: Session, spec: DispatchList, filters: dict[str, str],
            page: int | None, size: int | None, export: str | None) -> TablePage | Response:
    """One page of ``spec`` for the caller (a :class:`TablePage`), or with ``export="xlsx"`` the whole
    filtered list as an XLSX file (audited). The 地区 filter is resolved (name or code) and checked
    against the caller's scope: 422 unknown, 403 outside."""
    from yacang.web.api.dispatch import http_errors

    st = state(request)
    page, size = paging(page, size)
    filters = {k: (filters.get(k) or "").strip() for k in spec.filters}
    filters["region"] = filter_region(st, who, filters.get("region")) or ""
    if export not in (None, "", "xlsx"):
        raise HTTPException(422, f"导出格式应为 xlsx，收到 {export}")
    with http_errors():
        if export == "xlsx":
            found = spec.fetch(session, who, filters, st.regions, 0, EXPORT_CAP + 1)
        else:
            found = spec.fetch(session, who, filters, st.regions, (page - 1) * size, size)
    if export == "xlsx":
        if found.total > EXPORT_CAP:
            raise HTTPException(422, f"筛选结果 {found.total} 行，超过单次导出上限 {EXPORT_CAP} 行：请缩小筛选范围")
        audit.record(session, "export", user_id=who.user.id, username=who.username, target=f"{spec.name}.xlsx",
                     detail={"rows": found.total, **{k: v for k, v in filters.items() if v}}, ip=client_ip(request))
        session.commit()
        return xlsx_response(f"{spec.name}.xlsx", spec.columns, found.rows, spec.name)
    return TablePage(found.rows, found.total, page, size, filters)


def api_listing(request: Request, who: Caller, session: Session, spec: DispatchList, page: int | None,
                size: int | None, export: str | None) -> Response:
    """The API form of :func:`listing`: the page's rows as a JSON list, the total in ``X-Total-Count``
    (page and size in ``X-Page`` / ``X-Page-Size``); ``format=xlsx`` the whole filtered list."""
    out = listing(request, who, session, spec, dict(request.query_params), page, size, export)
    if isinstance(out, Response):
        return out
    return JSONResponse(out.rows, headers={"X-Total-Count": str(out.total), "X-Page": str(out.page),
                                           "X-Page-Size": str(out.size)})
REGISTRY = DispatchList("重大项目名录", ("q", "region"), [
    ("code", "编号"), ("name", "项目名称"), ("region_label", "地区"), ("industry", "行业代码"),
    ("planned_investment", "计划总投资（亿元）"), ("planned_start", "计划开工"), ("planned_finish", "计划竣工"),
    ("actual_start", "实际开工"), ("owner", "业主单位")], _registry)
KEY_ENTERPRISES = DispatchList("重点企业", ("q", "region", "frequency"), [
    ("name", "企业名称"), ("uscc", "统一社会信用代码"), ("region_label", "地区"), ("industry_label", "行业"),
    ("frequency", "监测频次"), ("contact_name", "联系人"), ("contact_phone", "联系电话"), ("whitelist", "白名单")],
    _key_enterprises)

"""Dispatch pages (server-rendered, Chinese UI): 诉求 list and case view with timeline, statistics,
白名单, 重点企业 quick reports, 重大项目 lights. Each page calls the same service functions as the API
(:mod:`yacang.web.api.dispatch`) with the caller's scope; forms carry the session's CSRF token. Every form
write goes through the API's own write function (validated by the service, audited and committed in one
place), so a page and its API twin check and audit alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from yacang.auth import audit
from yacang.auth.roles import Role
from yacang.catalog.regions import region_label
from yacang.dispatch import appeals as ap
from yacang.dispatch import attachments
from yacang.dispatch import key_enterprises as ke
from yacang.dispatch import projects as pj
from yacang.dispatch import whitelists as wl
from yacang.dispatch.clock import SYSTEM
from yacang.formatting import beijing_time
from yacang.web.api.dispatch import (
    ActionIn,
    apply_whitelist,
    commit_audited,
    enterprise_identity,
    http_errors,
    publish_whitelist,
    register_key,
    register_project,
    report_project_progress,
    review_whitelist,
    run_action,
    submit_quick_report,
)
from yacang.web.deps import Caller, caller, client_ip, db, optional_caller, state
from yacang.web.dispatch_tables import APPEALS, KEY_ENTERPRISES, PROJECTS, WHITELIST, listing
from yacang.web.params import RowId

router = APIRouter(include_in_schema=False)
T = TypeVar("T")

DISPATCH_NAV = [("/dispatch/appeals", "诉求"), ("/dispatch/whitelist", "白名单"), ("/dispatch/keyent", "重点企业"),
                ("/dispatch/projects", "项目")]


def page_caller(who: Caller | None = Depends(optional_caller)) -> Caller:
    if who is None:
        raise HTTPException(401, "请先登录")
    return who


def render(request: Request, name: str, who: Caller, status_code: int = 200, **ctx) -> HTMLResponse:
    """The pages' one renderer (:func:`yacang.web.pages.render`: navigation and the 数据来源 footer) with
    the appeal states."""
    from yacang.web.pages import render as render_page

    return render_page(request, name, who, status_code, **{"STATUS_ZH": ap.STATUS_ZH, **ctx})


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


async def _files(request: Request) -> list[tuple[str, bytes]]:
    form = await request.form()
    out = []
    for v in form.getlist("attachments"):
        if not isinstance(v, str) and v.filename:
            out.append((v.filename, await v.read()))
    return out


_SHOWN = (403, 404, 409, 422)  # refusals shown on the page the form came from


async def _posted(request: Request, session: Session, url: str, act: Callable[[dict[str, str]], T],
                  done: Callable[[T], str]) -> RedirectResponse:
    """A form post: ``act`` on the form's fields — one of the API's writes (:mod:`yacang.web.api.dispatch`),
    which audits and commits it, and audits a refusal of scope — then back to ``url`` with ``done``'s
    message, or with the refusal (rolled back)."""
    f = await _form(request)
    try:
        with http_errors():  # the form's own parse errors (dates, numbers): 422
            out = act(f)
    except HTTPException as exc:
        if exc.status_code not in _SHOWN:
            raise
        session.rollback()
        return RedirectResponse(f"{url}?error={exc.detail}", status_code=303)
    return RedirectResponse(f"{url}?msg={done(out)}", status_code=303)


def _date_field(f: dict[str, str], key: str, label: str) -> dt.date:
    from yacang.dispatch.errors import DispatchError

    try:
        return dt.date.fromisoformat(f.get(key, "").strip())
    except ValueError:
        raise DispatchError(f"{label}应为日期（2022-03-15），收到“{f.get(key, '')}”") from None


def _float_field(f: dict[str, str], key: str, label: str) -> float:
    from yacang.dispatch.errors import DispatchError

    try:
        return float(f.get(key, "").strip())
    except ValueError:
        raise DispatchError(f"{label}应为数字，收到“{f.get(key, '')}”") from None


# appeals ----------------------------------------------------------------------------------------
@router.get("/dispatch")
def dispatch_home():
    return RedirectResponse("/dispatch/appeals", status_code=303)


@router.get("/dispatch/appeals")
def appeals_page(request: Request, who: Caller = Depends(page_caller), session: Session = Depends(db),
                 page: int | None = None, size: int | None = None, format: str | None = None, msg: str = "",
                 error: str = ""):
    """诉求: the cases in scope, filtered (text, region, status, type, filing month) and paged on the server."""
    from yacang.dispatch.stats import appeal_stats, overdue_table

    ap.run_escalation(session)  # the SLA clocks are checked whenever cases are looked at (and by the run job)
    t = listing(request, who, session, APPEALS, dict(request.query_params), page, size, format)
    if isinstance(t, Response):
        return t
    official = who.scope.role != Role.ENTERPRISE
    stats = appeal_stats(session, who.scope, "type") if official else None
    od = overdue_table(session, who.scope) if official else None
    return render(request, "dispatch_appeals.html", who, t=t, path="/dispatch/appeals", types=ap.APPEAL_TYPES,
                  urgencies=ap.URGENCIES, msg=msg, error=error,
                  stats=None if stats is None else stats.astype(object).where(stats.notna(), None).to_dict("records"),
                  overdue=None if od is None else od.head(50).to_dict("records"),
                  can_file=who.scope.role in (Role.ENTERPRISE, Role.OFFICER, Role.ADMIN))


@router.post("/dispatch/appeals")
async def appeals_file(request: Request, who: Caller = Depends(caller), session: Session = Depends(db)):
    f = await _form(request)
    files = await _files(request)
    try:
        with http_errors():
            for fname, data in files:  # check every file before anything is stored
                attachments.check(fname, data)
        uscc, name, region = enterprise_identity(request, who, f.get("uscc") or None, f.get("enterprise_name", ""),
                                                 f.get("region", ""))
        with http_errors():
            a = ap.file_appeal(session, who.scope, uscc=uscc, enterprise_name=name, region=region,
                               appeal_type=f.get("appeal_type", ""), description=f.get("description", ""),
                               title=f.get("title", ""), urgency=f.get("urgency", "一般"))
            for fname, data in files:
                attachments.save(state(request).home, a, fname, data)
    except HTTPException as exc:
        if exc.status_code != 422:
            raise
        session.rollback()
        return RedirectResponse(f"/dispatch/appeals?error={exc.detail}", status_code=303)
    # committed before the browser follows the redirect (the db dependency may commit after sending)
    commit_audited(session, request, who, "appeal_file", a.code, {"type": a.appeal_type, "uscc": uscc, "region": region})
    return RedirectResponse(f"/dispatch/appeals/{a.code}?msg=已受理，编号 {a.code}", status_code=303)


@router.get("/dispatch/appeals/{ref}")
def appeal_page(ref: str, request: Request, who: Caller = Depends(page_caller), session: Session = Depends(db),
                msg: str = "", error: str = ""):
    with http_errors():
        a = ap.get_appeal(session, who.scope, ref)
    ap.escalate_if_breached(a, SYSTEM.now())
    now = SYSTEM.now()
    official = who.scope.writes and who.scope.covers(a.region)
    mine = who.scope.role == Role.ENTERPRISE and who.scope.uscc == a.uscc
    regions = state(request).regions
    # the app database stores UTC: the timeline's times in Beijing time, as the audit log shows them
    timeline = [{**row, "时间": beijing_time(e.at, seconds=False)} for row, e in zip(ap.timeline(a), a.events, strict=True)]
    return render(request, "dispatch_appeal.html", who, a=ap.to_dict(a, now), timeline=timeline,
                  official=official, mine=mine, msg=msg, error=error, whitelists=wl.marks(session, [a.uscc]).get(a.uscc, []),
                  level_zh=ap.LEVEL_ZH.get(a.handler_level, a.handler_level),
                  region_label=region_label(a.region, regions), handler_label=region_label(a.handler_region, regions))


@router.post("/dispatch/appeals/{ref}/{action}")
async def appeal_step(ref: str, action: str, request: Request, who: Caller = Depends(caller),
                      session: Session = Depends(db)):
    f = await _form(request)
    # not validated by pydantic here: the services check the texts and the score (Chinese messages)
    body = ActionIn.model_construct(note=f.get("note", ""), department=f.get("department", ""),
                                    comment=f.get("comment", ""),
                                    score=int(f["score"]) if f.get("score", "").isdigit() else None)
    try:
        a = run_action(session, who, ref, action, body, request)
    except HTTPException as exc:
        if exc.status_code != 422:
            raise
        return RedirectResponse(f"/dispatch/appeals/{ref}?error={exc.detail}", status_code=303)
    commit_audited(session, request, who, f"appeal_{action}", a.code)
    return RedirectResponse(f"/dispatch/appeals/{a.code}?msg={ap.ACTION_ZH[action]}完成", status_code=303)


@router.get("/dispatch/appeals/{ref}/attachments/{name}")
def appeal_attachment(ref: str, name: str, request: Request, who: Caller = Depends(page_caller),
                      session: Session = Depends(db)):
    from fastapi.responses import FileResponse

    with http_errors():
        a = ap.get_appeal(session, who.scope, ref)
        path = attachments.path_of(state(request).home, a, name)
    return FileResponse(path, filename=path.name)


# whitelist ----------------------------------------------------------------------------------------
@router.get("/dispatch/whitelist")
def whitelist_page(request: Request, who: Caller = Depends(page_caller), session: Session = Depends(db),
                   page: int | None = None, size: int | None = None, format: str | None = None, msg: str = "",
                   error: str = ""):
    """白名单: the entries in scope, filtered (text, region, category, status, in force on a day) and paged."""
    t = listing(request, who, session, WHITELIST, dict(request.query_params), page, size, format)
    if isinstance(t, Response):
        return t
    return render(request, "dispatch_whitelist.html", who, t=t, path="/dispatch/whitelist",
                  categories=wl.ensure_categories(session), statuses=wl.STATUS_ZH, can_act=who.scope.writes,
                  msg=msg, error=error, can_apply=who.scope.role in (Role.ENTERPRISE, Role.OFFICER, Role.ADMIN))


@router.post("/dispatch/whitelist")
async def whitelist_apply(request: Request, who: Caller = Depends(caller), session: Session = Depends(db)):
    def act(f: dict[str, str]) -> wl.WhitelistEntry:
        return apply_whitelist(session, request, who, f.get("uscc") or None, category=f.get("category", ""),
                               reason=f.get("reason", ""), valid_from=_date_field(f, "valid_from", "有效期起"),
                               valid_to=_date_field(f, "valid_to", "有效期止"))

    return await _posted(request, session, "/dispatch/whitelist", act, lambda e: f"已申请列入“{e.category.name}”")


@router.post("/dispatch/whitelist/{entry_id}/{action}")
async def whitelist_step(entry_id: RowId, action: str, request: Request, who: Caller = Depends(caller),
                         session: Session = Depends(db)):
    if action not in ("review", "publish"):
        raise HTTPException(404, f"未知操作 {action}")

    def act(f: dict[str, str]) -> wl.WhitelistEntry:
        if action == "review":
            return review_whitelist(session, request, who, entry_id, approve=f.get("approve", "1") == "1",
                                    note=f.get("note", ""))
        return publish_whitelist(session, request, who, entry_id)

    return await _posted(request, session, "/dispatch/whitelist", act,
                         lambda e: f"白名单条目 {e.id}：{wl.STATUS_ZH.get(e.status, e.status)}")


@router.get("/dispatch/whitelist.xlsx")
def whitelist_export(request: Request, who: Caller = Depends(page_caller), session: Session = Depends(db)):
    rows = wl.list_entries(session, who.scope)
    audit.record(session, "export", user_id=who.user.id, username=who.username, target="whitelist.xlsx",
                 detail={"rows": len(rows)}, ip=client_ip(request))
    return Response(wl.export_xlsx(rows), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename*=UTF-8''%E7%99%BD%E5%90%8D%E5%8D%95.xlsx"})


# key enterprises ------------------------------------------------------------------------------------
@router.get("/dispatch/keyent")
def keyent_page(request: Request, who: Caller = Depends(page_caller), session: Session = Depends(db),
                page: int | None = None, size: int | None = None, format: str | None = None, msg: str = "",
                error: str = ""):
    """重点企业: the list in scope, filtered (name/USCC, region, frequency) and paged on the server."""
    t = listing(request, who, session, KEY_ENTERPRISES, dict(request.query_params), page, size, format)
    if isinstance(t, Response):
        return t
    mine = None
    if who.scope.role == Role.ENTERPRISE:
        mine = next((k for k in ke.list_key(session, who.scope) if k.uscc == who.scope.uscc), None)
    recent = ke.list_reports(session, who.scope)[:100]
    names = ke.names_of(session, {r.uscc for r in recent})
    reports = [{**ke.report_dict(r), "name": names.get(r.uscc, r.uscc)} for r in recent]
    return render(request, "dispatch_keyent.html", who, t=t, path="/dispatch/keyent", frequencies=ke.FREQUENCIES,
                  mine=mine, reports=reports, msg=msg, error=error, today=SYSTEM.now().date().isoformat())


@router.post("/dispatch/keyent")
async def keyent_add(request: Request, who: Caller = Depends(caller), session: Session = Depends(db)):
    def act(f: dict[str, str]) -> ke.KeyEnterprise:  # name and region: the server's records decide (the service)
        return register_key(session, request, who, uscc=f.get("uscc", "").strip(), name=f.get("name", ""),
                            region=f.get("region", "").strip(), industry=f.get("industry", "").strip(),
                            frequency=f.get("frequency", "月"), contact_name=f.get("contact_name", ""),
                            contact_phone=f.get("contact_phone", ""))

    return await _posted(request, session, "/dispatch/keyent", act, lambda k: f"已列入重点企业：{k.name}（{k.frequency}报）")


@router.post("/dispatch/keyent/report")
async def keyent_report(request: Request, who: Caller = Depends(caller), session: Session = Depends(db)):
    def act(f: dict[str, str]):  # the indicators as typed: the service refuses text, NaN and inf
        r, _res = submit_quick_report(session, request, who, f.get("uscc", "").strip() or None,
                                      day=_date_field(f, "day", "报送日期"), frequency=f.get("frequency", ""),
                                      problems=f.get("problems", ""), **{k: f.get(k, "") for k in ke.INDICATORS})
        return r

    return await _posted(request, session, "/dispatch/keyent", act, lambda r: f"已报送{r.frequency}报（{r.day}）")


# projects -------------------------------------------------------------------------------------------
@router.get("/dispatch/projects")
def projects_page(request: Request, who: Caller = Depends(page_caller), session: Session = Depends(db),
                  period: str = "", page: int | None = None, size: int | None = None, format: str | None = None,
                  msg: str = "", error: str = ""):
    """重大项目: lights of the projects in scope for a month (default: the latest reported), filtered
    (text, region, light) and paged; the workload summaries and late starts below."""
    if who.scope.role == Role.ENTERPRISE:
        raise HTTPException(403, "企业账号不能查看重大项目调度")
    period = period or pj.latest_period(session, who.scope) or f"{SYSTEM.now():%Y-%m}"
    t = listing(request, who, session, PROJECTS, {**request.query_params, "period": period}, page, size, format)
    if isinstance(t, Response):
        return t
    with http_errors():
        by_region = pj.workload(session, who.scope, period, "region").to_dict("records")
        by_industry = pj.workload(session, who.scope, period, "industry").to_dict("records")
    late = pj.not_started(session, who.scope, on=min(SYSTEM.now().date(), _month_end(period)))
    return render(request, "dispatch_projects.html", who, t=t, path="/dispatch/projects", period=period,
                  by_region=by_region, by_industry=by_industry, late=late.head(50).to_dict("records"),
                  late_total=len(late), lights=pj.LIGHT_ZH, msg=msg, error=error, can_act=who.scope.writes)


@router.post("/dispatch/projects")
async def project_add(request: Request, who: Caller = Depends(caller), session: Session = Depends(db)):
    def act(f: dict[str, str]) -> pj.Project:
        return register_project(
            session, request, who, code=f.get("code", "").strip(), name=f.get("name", "").strip(),
            region=f.get("region", "").strip(), industry=f.get("industry", "").strip(),
            planned_investment=_float_field(f, "planned_investment", "计划总投资"),
            planned_start=_date_field(f, "planned_start", "计划开工日期"),
            planned_finish=_date_field(f, "planned_finish", "计划竣工日期"), owner=f.get("owner", ""))

    return await _posted(request, session, "/dispatch/projects", act, lambda p: f"已登记：{p.name}")


@router.post("/dispatch/projects/progress")
async def project_progress(request: Request, who: Caller = Depends(caller), session: Session = Depends(db)):
    def act(f: dict[str, str]):
        return report_project_progress(session, request, who, f.get("project", "").strip(),
                                       period=f.get("period", "").strip(),
                                       invest_cum=_float_field(f, "invest_cum", "累计完成投资"), note=f.get("note", ""))

    return await _posted(request, session, "/dispatch/projects", act,
                         lambda r: f"已报送 {r.period} 进度：累计完成 {r.invest_cum:.1f} 亿元")


def _month_end(period: str) -> dt.date:
    from yacang.periods import parse_period

    return parse_period(period).end_date

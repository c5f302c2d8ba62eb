"""Server-rendered pages (Jinja2, Chinese UI). Each page calls the same functions as the JSON API."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from functools import partial
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from yacang.auth import audit, service
from yacang.auth.roles import ROLE_ZH, ROLES, Role
from yacang.catalog.regions import level_of, region_label, region_name
from yacang.formatting import beijing_time
from yacang.ingest.errors import IngestError
from yacang.microdata.report_workbook import load_reports
from yacang.web import data, reports_service, views
from yacang.web.api import files as files_api
from yacang.web.api.auth import do_login, user_dict
from yacang.web.deps import (
    SESSION_COOKIE,
    Caller,
    caller,
    client_ip,
    db,
    optional_caller,
    require_region,
    state,
)
from yacang.web.request_errors import form_model

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
LOGIN_CSRF = "yacang_login_csrf"


def fmt1(x) -> str:
    from yacang.formatting import fmt  # half up, no "-0.0": the bulletin's figure

    return fmt(x)


templates.env.filters["fmt1"] = fmt1
templates.env.filters["bjtime"] = beijing_time  # audit and job times: stored UTC, shown in Beijing time
templates.env.filters["bjtime_local"] = partial(beijing_time, naive="local")  # the warehouse's local stamps


def period_zh(code: object, measure: str = "") -> str:
    """A period code as officials write it: 2022年12月, or 2022年1-12月 for a 累计 measure (ytd_*);
    a code that is not a period is shown as it is."""
    from yacang.periods import PeriodError, parse_period

    if not code:
        return ""
    try:
        return parse_period(str(code)).label_zh(cumulative=str(measure).startswith("ytd"))
    except PeriodError:
        return str(code)


templates.env.filters["period_zh"] = period_zh
templates.env.globals["ROLE_ZH"] = {r.value: z for r, z in ROLE_ZH.items()}


def navigation(who: Caller | None) -> list[tuple[str, str]]:
    """The top navigation a user's role allows (the server still checks every request)."""
    from yacang.web.dispatch_pages import DISPATCH_NAV

    if who is None:
        return []
    r = who.scope.role
    nav: list[tuple[str, str]] = []
    if r != Role.ENTERPRISE:
        nav += [("/", "总览"), ("/industries", "行业"), ("/enterprises", "企业"), ("/alerts", "预警")]
    if r in (Role.ADMIN, Role.OFFICER):
        nav += [("/data", "数据")]
    nav += [("/report", "直报")]
    if r != Role.ENTERPRISE:
        nav += [("/bulletins", "通报")]
    nav += DISPATCH_NAV if r != Role.ENTERPRISE else DISPATCH_NAV[:3]
    if r != Role.ENTERPRISE:
        nav += [("/evaluation", "地区评价"), ("/chains", "产业链")]
    if r == Role.ADMIN:
        nav += [("/users", "用户")]
    return nav


def render(request: Request, name: str, who: Caller | None, status_code: int = 200, **ctx) -> HTMLResponse:
    sources = data_sources(request) if who is not None else ""
    return templates.TemplateResponse(request, name, {"who": who, "nav": navigation(who), "path": request.url.path,
                                                      "data_sources": sources, **ctx}, status_code=status_code)


def data_sources(request: Request) -> str:
    """In words, what the warehouse holds (示例数据 / 国家统计局 / 省统计局 / 企业月报), cached per data version:
    every page says which data it shows."""
    from yacang.warehouse.provenance import provenance

    st = state(request)
    key = ("provenance", st.version, st.reports_version)
    if key not in st.cache:
        with st.reader() as wh:
            st.cache[key] = provenance(wh).sentence()
    return st.cache[key]


def error_page(request: Request, status: int, detail) -> HTMLResponse:
    message = detail.get("message", str(detail)) if isinstance(detail, dict) else str(detail)
    titles = {403: "无权访问", 404: "未找到", 422: "输入有误", 429: "请稍后再试", 503: "暂不可用"}
    return templates.TemplateResponse(request, "error.html", {"who": None, "nav": [], "path": "",
                                      "title": titles.get(status, "出错了"), "message": message},
                                      status_code=status)


# login -------------------------------------------------------------------------------
@router.get("/login")
def login_page(request: Request, next: str = "/", error: str = ""):
    token = secrets.token_urlsafe(16)
    resp = render(request, "login.html", None, next=next if next.startswith("/") else "/", error=error,
                  login_csrf=token)
    resp.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="strict", path="/login")
    return resp


@router.post("/login")
def login_submit(request: Request, username: str = Form(...), password: str = Form(...), next: str = Form("/"),
                 csrf_token: str = Form(""), session: Session = Depends(db)):
    cookie = request.cookies.get(LOGIN_CSRF, "")
    if not (cookie and hmac.compare_digest(cookie, csrf_token)):
        return login_page(request, next, "页面已过期，请重新登录")
    resp = RedirectResponse(next if next.startswith("/") and not next.startswith("//") else "/", status_code=303)
    try:
        do_login(request, resp, session, username, password)
    except HTTPException as exc:
        r = login_page(request, next, str(exc.detail))
        r.status_code = exc.status_code
        return r
    resp.delete_cookie(LOGIN_CSRF, path="/login")
    return resp


@router.post("/logout")
def logout(request: Request, who: Caller = Depends(caller), session: Session = Depends(db)):
    service.close_session(session, request.cookies.get(SESSION_COOKIE, ""))
    state(request).auth_cache.clear()
    audit.record(session, "logout", user_id=who.user.id, username=who.username, ip=client_ip(request))
    session.commit()
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(SESSION_COOKIE, path="/")
    return resp


def page_caller(who: Caller | None = Depends(optional_caller)) -> Caller:
    if who is None:
        raise HTTPException(401, "请先登录")
    return who


def reader(who: Caller = Depends(page_caller)) -> Caller:
    if not who.scope.reads_statistics:
        raise HTTPException(403, "企业账号只能使用“直报”页面")
    return who


# overview and drill-down -------------------------------------------------------------
def statistics_args(period: str | None, indicator: str | None = None, measure: str | None = None) -> str | None:
    """The overview's and 行业 page's query as the warehouse stores it: the period as its code (2022年3月 →
    2022-03, so the page shows that month and not the latest one under the title 2022年3月); an unknown
    period, indicator or measure is a 422 with the reason instead of a page titled “abc” or “增加值foo”."""
    from yacang.catalog.indicators import INDICATORS, MEASURES
    from yacang.periods import PeriodError, parse_period

    if indicator is not None and indicator not in INDICATORS:
        raise HTTPException(422, f"未知的指标：{indicator}（如 iva 规上工业增加值、gdp 地区生产总值）")
    if measure is not None and measure not in MEASURES:
        raise HTTPException(422, f"未知的口径：{measure}（如 ytd_yoy 累计同比、yoy 当月同比）")
    if not period:
        return None
    try:
        return parse_period(period).code
    except PeriodError as exc:
        raise HTTPException(422, str(exc)) from None


def known_region(request: Request, code: str) -> None:
    """404 for a code that is no administrative division: malformed, or under no province (999999)."""
    from yacang.catalog.regions import NATION, province_code

    try:
        level_of(code)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from None
    if code != NATION and province_code(code) not in state(request).regions:
        raise HTTPException(404, f"没有行政区划 {code}（{province_code(code)} 不是省级代码）")


@router.get("/")
def home(request: Request, who: Caller = Depends(page_caller), period: str | None = None,
         indicator: str = "iva", measure: str = "ytd_yoy"):
    if who.scope.role == Role.ENTERPRISE:
        return RedirectResponse("/report", status_code=303)
    return region_page(who.scope.region, request, who, period, indicator, measure)


@router.get("/regions/{code}")
def region_page(code: str, request: Request, who: Caller = Depends(reader), period: str | None = None,
                indicator: str = "iva", measure: str = "ytd_yoy"):
    known_region(request, code)
    require_region(who, code)
    period = statistics_args(period, indicator, measure)
    view = views.overview(state(request), who.scope, code, period=period, indicator=indicator, measure=measure)
    return render(request, "overview.html", who, view=view, has_geo=state(request).geojson is not None,
                  can_drill=level_of(code) != "county")


@router.get("/industries")
def industries_page(request: Request, who: Caller = Depends(reader), region: str | None = None,
                    measure: str = "ytd_yoy"):
    from yacang.web.tables import filter_region

    statistics_args(None, None, measure)
    code = filter_region(state(request), who, region) or who.scope.region
    require_region(who, code)
    with state(request).reader() as wh:
        period, rows, older = data.split_by_period(data.industry_values(wh, code, "iva", measure))
    return render(request, "industries.html", who, rows=rows, older=older, period=period, region=code,
                  region_name=region_name(code, state(request).regions), measure=measure,
                  measure_zh=data.MEASURE_ZH.get(measure, measure))


def _reports_table(request: Request, who: Caller, *, period: str | None, q: str, region: str | None,
                   status: str | None, page: int | None, size: int | None, export: str | None, title: str):
    """The scoped, filtered, paged reports table; ``export=xlsx`` returns the whole filtered table."""
    from yacang.web.tables import EXPORT_CAP, TablePage, filter_region, paging, xlsx_response

    st = state(request)
    page, size = paging(page, size)
    region = filter_region(st, who, region)
    with st.reader() as wh:
        periods = reports_service.report_periods(wh, who.scope)
        period = period or (periods[0] if periods else None)
        if export == "xlsx":
            df, total = reports_service.reports_page(wh, who.scope, period=period, q=q, region=region,
                                                     status=status, limit=EXPORT_CAP + 1)
        else:
            df, total = reports_service.reports_page(wh, who.scope, period=period, q=q, region=region,
                                                     status=status, offset=(page - 1) * size, limit=size)
    rows = data.records(df)
    for r in rows:
        r["region_label"] = region_label(r['region'], st.regions)
        r["status_zh"] = reports_service.STATUS_ZH.get(r["status"], r["status"])
        r["period_label"] = period_zh(r["period"])
    if export == "xlsx":
        if total > EXPORT_CAP:
            raise HTTPException(422, f"筛选结果 {total} 行，超过单次导出上限 {EXPORT_CAP} 行：请按地区或报告期缩小范围")
        return xlsx_response(f"{title}_{period_zh(period) if period else '全部'}.xlsx", reports_service.REPORT_COLUMNS,
                             rows, title)
    filters = {"period": period or "", "q": q, "region": region or "", "status": status or ""}
    return TablePage(rows, total, page, size, filters), periods


@router.get("/enterprises")
def enterprises_page(request: Request, who: Caller = Depends(reader), period: str | None = None, q: str = "",
                     region: str | None = None, status: str | None = None, page: int | None = None,
                     size: int | None = None, format: str | None = None):
    out = _reports_table(request, who, period=period, q=q, region=region, status=status, page=page, size=size,
                         export=format, title="企业报表")
    if not isinstance(out, tuple):
        return out
    table, periods = out
    return render(request, "enterprises.html", who, t=table, periods=periods, path="/enterprises",
                  statuses=reports_service.STATUS_ZH)


@router.get("/enterprises/{uscc}")
def enterprise_page(uscc: str, request: Request, who: Caller = Depends(page_caller)):
    from yacang.catalog.industries import IndustryCatalog
    from yacang.web.api.reports import report_detail

    detail = report_detail(uscc, request, None, who)
    ent = detail["enterprise"]
    labels = {"region": region_label(str(ent.get("region") or ""), state(request).regions),
              "industry": IndustryCatalog.load().label(str(ent.get("industry") or ""))}
    return render(request, "enterprise.html", who, d=detail, labels=labels, status_zh=reports_service.STATUS_ZH)


# alerts ------------------------------------------------------------------------------
ALERT_COLUMNS = [("severity", "级别"), ("rule_name", "规则"), ("object", "对象"), ("region_label", "地区"),
                 ("period_label", "时期"), ("since_label", "起始"), ("message", "说明"), ("state_zh", "状态")]


@router.get("/alerts")
def alerts_page(request: Request, who: Caller = Depends(reader), state_: str = "firing", msg: str = "",
                level: str = "", rule: str = "", q: str = "", region: str | None = None, page: int | None = None,
                size: int | None = None, format: str | None = None):
    """预警: the alerts in scope, filtered (state, level, rule, region, name) and paged on the server."""
    from yacang.alerts.engine import STATE_ZH
    from yacang.alerts.store import evaluated_period
    from yacang.web.tables import TablePage, filter_region, paging, xlsx_response

    st = state(request)
    page, size = paging(page, size)
    region = filter_region(st, who, region)
    with st.reader() as wh:
        df = views.alerts_in_scope(wh, who.scope, state=state_ or None, region=region)
        evaluated = evaluated_period(wh)
    rules = sorted(set(df["rule_name"].dropna())) if not df.empty else []
    if not df.empty:
        keep = [True] * len(df)
        if level:
            keep = [k and s == level for k, s in zip(keep, df["severity"], strict=True)]
        if rule:
            keep = [k and r == rule for k, r in zip(keep, df["rule_name"], strict=True)]
        if q:
            keep = [k and (q in str(n or "") or q in str(key)) for k, n, key in zip(keep, df["name"], df["key"], strict=True)]
        df = views.by_severity(df[keep])
    rows = df.to_dict("records")
    for a in rows:
        a["region_label"] = region_label(a['region'], st.regions)
        a["object"] = _alert_object(a)
        a["period_label"], a["since_label"] = period_zh(a["period"]), period_zh(a.get("since"))
        a["state_zh"] = "已静默" if a.get("silenced") else (
            f"已确认（{a['acked_by']}）" if a.get("acked_by") else STATE_ZH.get(a["state"], a["state"]))
    if format == "xlsx":
        return xlsx_response("预警.xlsx", ALERT_COLUMNS, rows, "预警")
    t = TablePage(rows[(page - 1) * size: page * size], len(rows), page, size,
                  {"state_": state_, "level": level, "rule": rule, "q": q, "region": region or ""})
    return render(request, "alerts.html", who, t=t, path="/alerts", rules=rules, msg=msg, state_=state_,
                  level=level, rule=rule, states=STATE_ZH, can_act=who.scope.writes,
                  evaluated=evaluated.label_zh() if evaluated else "")


def _alert_object(a: dict) -> str:
    """“深圳市（440300）”: the alert's object by name; an object that is its region (an appeal alert keyed
    by the county code) takes the region's label rather than a bare code."""
    if a.get("name") and a["name"] != a["key"]:
        return f"{a['name']}（{a['key']}）"
    return a["region_label"] if a["key"] == a["region"] else str(a["key"])


@router.post("/alerts/{fingerprint}/ack")
def alerts_ack(fingerprint: str, request: Request, comment: str = Form("", max_length=2000), who: Caller = Depends(caller),
               session: Session = Depends(db)):
    from yacang.web.api.alerts import AckIn, ack
    from yacang.web.deps import ensure_writer

    ack(fingerprint, AckIn(comment=comment), request, ensure_writer(who), session)
    return RedirectResponse("/alerts?msg=已确认", status_code=303)


@router.post("/alerts/{fingerprint}/silence")
def alerts_silence(fingerprint: str, request: Request, reason: str = Form("", max_length=2000),
                   days: int = Form(30, ge=1, le=366),
                   who: Caller = Depends(caller), session: Session = Depends(db)):
    from yacang.web.api.alerts import SilenceIn, silence
    from yacang.web.deps import ensure_writer

    if not reason.strip():
        raise HTTPException(422, "静默必须注明原因")
    silence(fingerprint, SilenceIn(reason=reason, days=days), request, ensure_writer(who), session)
    return RedirectResponse("/alerts?msg=已静默", status_code=303)


# data upload -------------------------------------------------------------------------
@router.get("/data")
def data_page(request: Request, who: Caller = Depends(page_caller)):
    if not who.scope.writes:
        raise HTTPException(403, "仅地区运行监测人员和管理员可以上传数据")
    return render(request, "data.html", who, result=None)


@router.get("/data/template.xlsx")
def data_template(who: Caller = Depends(page_caller)):
    """The empty 规上工业 monthly report form (the same workbook as ``yacang template report``)."""
    import tempfile

    from fastapi.responses import Response

    from yacang.microdata.report_workbook import write_template
    from yacang.web.tables import XLSX

    if not who.scope.writes:
        raise HTTPException(403, "仅地区运行监测人员和管理员可以下载填报模板")
    with tempfile.TemporaryDirectory() as tmp:
        content = write_template(Path(tmp) / "template.xlsx").read_bytes()
    return Response(content, media_type=XLSX, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote('规上工业企业月报模板.xlsx')}"})


@router.post("/data")
def data_upload(request: Request, file: UploadFile = File(...), kind: str = Form("reports"),
                who: Caller = Depends(caller), session: Session = Depends(db)):
    if not who.scope.writes:
        raise HTTPException(403, "仅地区运行监测人员和管理员可以上传数据")
    st = state(request)
    path = files_api.save_upload(st, file)
    status, body = files_api.upload_file(st, who, path, "statistics" if kind == "statistics" else "reports")
    if status == 200:
        st.changed()
    audit.record(session, "upload", user_id=who.user.id, username=who.username, target=path.name,
                 detail={"kind": kind, "status": status, "errors": len(body["errors"])}, ip=client_ip(request))
    return render(request, "data.html", who, result=body, status_code=status)


# enterprise reporting ----------------------------------------------------------------
def _report_ctx(request: Request, who: Caller, uscc: str | None):
    with state(request).reader() as wh:
        ent = reports_service.enterprise_of(wh, uscc) if uscc else None
        mine = reports_service.reports_in_scope(wh, who.scope) if who.scope.role == Role.ENTERPRISE else None
    return ent, data.records(mine) if mine is not None else []


@router.get("/report")
def report_page(request: Request, who: Caller = Depends(page_caller), uscc: str | None = None,
                period: str | None = None, q: str = "", region: str | None = None, status: str | None = None,
                page: int | None = None, size: int | None = None, format: str | None = None):
    if who.scope.role == Role.ENTERPRISE:
        uscc = who.scope.uscc
        ent, mine = _report_ctx(request, who, uscc)
        return render(request, "report.html", who, ent=ent, fields=reports_service.FIELDS, values={},
                      errors=[], hints=[], done=None, mine=mine, period=_default_period())
    # officers: the review list, paged and filtered like the enterprises' table
    out = _reports_table(request, who, period=period, q=q, region=region, status=status, page=page, size=size,
                         export=format, title="企业直报")
    if not isinstance(out, tuple):
        return out
    table, periods = out
    return render(request, "review.html", who, t=table, periods=periods, path="/report",
                  statuses=reports_service.STATUS_ZH, can_act=who.scope.writes)


def _default_period() -> str:
    """The month whose reports are due now (the enterprise form's default), 1-2月 merged."""
    from yacang.periods import previous_reporting_period

    return previous_reporting_period(dt.date.today()).code


def _latest_period(request: Request, region: str) -> str:
    """The latest month with data of the caller's region ('' when there is none): the bulletin form's default
    (a 江苏 officer's, not the nation's newer month)."""
    from yacang.jobs.errors import JobError
    from yacang.jobs.period import resolve_period

    with state(request).reader() as wh:
        try:
            return resolve_period(wh, "latest", region).code
        except JobError:
            return ""


@router.post("/report")
async def report_submit(request: Request, who: Caller = Depends(caller), session: Session = Depends(db)):
    if who.scope.role != Role.ENTERPRISE:
        raise HTTPException(403, "只有企业账号在此页面填报；地区用户请在“数据”页上传报表文件")
    form = await request.form()
    values = {f: str(form.get(f, "") or "") for f, _, _ in reports_service.FIELDS}
    period, unit, action = str(form.get("period", "")), str(form.get("unit", "千元")), str(form.get("action", "check"))
    st = state(request)
    done = None
    with st.warehouse() as wh:
        ent = reports_service.enterprise_of(wh, who.scope.uscc or "")
        if ent is None:
            raise HTTPException(404, "本企业不在企业名录中，请联系所在地区运行监测部门登记")
        c = reports_service.check_form(wh, ent["uscc"], ent["name"], period, values, unit if unit in ("千元", "万元") else "千元")
        if action == "submit" and c.ok:
            try:
                load_reports(wh, c.batch)
            except IngestError as exc:
                c.errors.append({"column": "", "field": "", "value": "", "reason": str(exc.args[0])})
            else:
                done = str(c.batch.reports["period"].iloc[0])
    if done:
        st.changed()
        audit.record(session, "report_submit", user_id=who.user.id, username=who.username,
                     target=f"{ent['uscc']}:{done}", detail={"hints": len(c.hints)}, ip=client_ip(request))
    _, mine = _report_ctx(request, who, ent["uscc"])
    return render(request, "report.html", who, ent=ent, fields=reports_service.FIELDS,
                  values={} if done else values, errors=c.errors, hints=c.hints, done=done, mine=mine,
                  period=period, checked=action == "check", unit=unit,
                  status_code=200 if (done or not c.errors) else 422)


@router.post("/report/{uscc}/review")
def report_review(uscc: str, request: Request, period: str = Form(...), action: str = Form(...),
                  reason: str = Form(""), who: Caller = Depends(caller), session: Session = Depends(db)):
    from yacang.web.api.reports import ReviewIn, review
    from yacang.web.deps import ensure_writer

    review(uscc, form_model(ReviewIn, period=period, action=action, reason=reason), request, ensure_writer(who),
           session)
    return RedirectResponse("/report", status_code=303)


# bulletins ---------------------------------------------------------------------------
@router.get("/bulletins")
def bulletins_page(request: Request, who: Caller = Depends(reader), msg: str = "", error: str = ""):
    from yacang.web.api.files import list_bulletins

    files = list_bulletins(request, None, who)
    regions = state(request).regions
    for f in files:
        f["region_label"] = region_label(f["region"], regions)
    return render(request, "bulletins.html", who, files=files, msg=msg, error=error,
                  can_act=who.scope.writes, period=_latest_period(request, who.scope.region))


@router.post("/bulletins")
def bulletins_generate(request: Request, period: str = Form(...), region: str = Form(""),
                       who: Caller = Depends(caller), session: Session = Depends(db)):
    from yacang.web.api.files import BulletinIn, generate
    from yacang.web.deps import ensure_writer

    try:
        body = form_model(BulletinIn, period=period, region=region or who.scope.region,
                          formats=["html", "pdf", "docx", "xlsx"])
        generate(body, request, ensure_writer(who), session)
    except HTTPException as exc:
        if exc.status_code != 422:
            raise
        return RedirectResponse(f"/bulletins?error={quote(str(exc.detail))}", status_code=303)
    return RedirectResponse("/bulletins?msg=通报已生成", status_code=303)


# users -------------------------------------------------------------------------------
@router.get("/users")
def users_page(request: Request, who: Caller = Depends(page_caller), session: Session = Depends(db), msg: str = ""):
    if not who.scope.is_admin:
        raise HTTPException(403, "仅系统管理员可管理用户")

    regions = state(request).regions
    users = [{**user_dict(u), "region_label": region_label(u.region, regions)} for u in service.list_users(session)]
    events = audit.events(session, limit=50)
    return render(request, "users.html", who, users=users, roles=ROLES, msg=msg, events=events,
                  action_zh=audit.ACTION_ZH)


@router.post("/users")
def users_add(request: Request, username: str = Form(...), password: str = Form(...), role: str = Form(...),
              region: str = Form(""), uscc: str = Form(""), display_name: str = Form(""),
              who: Caller = Depends(caller), session: Session = Depends(db)):
    if not who.scope.is_admin:
        raise HTTPException(403, "仅系统管理员可管理用户")
    try:
        if not region.strip() and role not in ("admin", "enterprise"):
            raise ValueError("请填写该用户的辖区（代码或名称，全国为 100000）")
        code = state(request).regions.resolve(region).code if region.strip() else "100000"
        u = service.add_user(session, username, password, role, region=code, uscc=uscc or None,
                             display_name=display_name)
    except (service.AuthError, ValueError, LookupError) as exc:
        return RedirectResponse(f"/users?msg={quote(str(exc))}", status_code=303)
    audit.record(session, "user_add", user_id=who.user.id, username=who.username, target=u.username,
                 ip=client_ip(request))
    session.commit()  # before the redirect, so the list shows it
    return RedirectResponse(f"/users?msg=已新增用户 {u.username}", status_code=303)


@router.post("/users/{username}/disable")
def users_disable(username: str, request: Request, who: Caller = Depends(caller), session: Session = Depends(db)):
    if not who.scope.is_admin:
        raise HTTPException(403, "仅系统管理员可管理用户")
    try:
        service.set_active(session, username, False)
    except service.AuthError as exc:  # no such user
        return RedirectResponse(f"/users?msg={quote(str(exc))}", status_code=303)
    state(request).auth_cache.clear()
    audit.record(session, "user_disable", user_id=who.user.id, username=who.username, target=username,
                 ip=client_ip(request))
    session.commit()
    return RedirectResponse(f"/users?msg=已停用 {username}", status_code=303)

"""Dispatch JSON API (mounted under /api/dispatch): appeals, whitelists, key enterprises, projects.

Every route runs the dispatch service functions with the caller's :class:`~yacang.auth.scope.Scope`,
so scoping is enforced on the server for every read, action and export. Errors map to 404 (not found
or out of scope), 403 (role or region may not act) and 422 (invalid input or transition).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, Response, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from yacang.auth import audit
from yacang.auth.roles import Role
from yacang.dispatch import appeals as ap
from yacang.dispatch import key_enterprises as ke
from yacang.dispatch import projects as pj
from yacang.dispatch import registry
from yacang.dispatch import whitelists as wl
from yacang.dispatch.errors import (
    NAME_MAX,
    NOTE_MAX,
    DispatchConflict,
    DispatchError,
    DispatchForbidden,
    DispatchNotFound,
)
from yacang.web.deps import Caller, caller, client_ip, db, deny, state
from yacang.web.dispatch_tables import APPEALS, KEY_ENTERPRISES, PROJECTS, REGISTRY, WHITELIST, api_listing
from yacang.web.params import RowId

router = APIRouter(prefix="/dispatch", tags=["调度服务"])


@contextmanager
def http_errors(request: Request | None = None, who: Caller | None = None, target: str = "",
                session: Session | None = None) -> Iterator[None]:
    """Dispatch errors → HTTP status with the Chinese message as ``detail``; refusals of writes are audited.

    409 for a duplicate (one open appeal per text, one pending application per list, one quick report
    per day/week — also when two requests race and the database's unique index refuses the second)."""
    try:
        yield
    except DispatchNotFound as exc:
        _refused(request, who, 404, str(exc), "not_found", target, session)
    except DispatchForbidden as exc:
        _refused(request, who, 403, str(exc), "forbidden", target, session)
    except DispatchConflict as exc:
        raise HTTPException(409, str(exc)) from None
    except DispatchError as exc:
        raise HTTPException(422, str(exc)) from None
    except IntegrityError:
        raise HTTPException(409, "该记录已存在（可能是重复提交），请刷新后查看") from None


def _refused(request: Request | None, who: Caller | None, status: int, message: str, reason: str,
             target: str, session: Session | None) -> None:
    if request is not None and request.method not in ("GET", "HEAD"):
        deny(request, who, status, message, reason, target=target, session=session)
    raise HTTPException(status, message)


def _audit(session: Session, request: Request, who: Caller, action: str, target: str, detail=None) -> None:
    """Audit a change in the same transaction as the change (committed together)."""
    audit.record(session, action, user_id=who.user.id, username=who.username, target=target, detail=detail,
                 ip=client_ip(request))


def commit_audited(session: Session, request: Request, who: Caller, action: str, target: str, detail=None) -> None:
    """Audit the change and commit both (visible to the caller's next request even if the db dependency
    commits after the response is sent)."""
    _audit(session, request, who, action, target, detail)
    session.commit()


def enterprise_identity(request: Request, who: Caller, uscc: str | None, *claimed: str,
                        session: Session | None = None) -> tuple[str, str, str]:
    """USCC, registered name and registered region of the enterprise an appeal or application is about.

    Enterprise callers always act for their own USCC; name and region come from the server's records
    (:mod:`yacang.dispatch.registry`), never from the request: ``claimed`` (a name or region a form
    still sends) is ignored. Errors in the lookup propagate (the request fails, nothing is written)."""
    if who.scope.role == Role.ENTERPRISE:
        uscc = who.scope.uscc
    st = state(request)
    with st.warehouse() as wh, http_errors(request, who, uscc or "", session):
        if session is not None:
            reg = registry.resolve(session, wh, uscc or "")
        else:
            with Session(st.engine) as own:
                reg = registry.resolve(own, wh, uscc or "")
    return reg.uscc, reg.name, reg.region


# appeals ----------------------------------------------------------------------------------------
class AppealIn(BaseModel):
    appeal_type: str = Field(description="缺芯/缺柜/缺工/用能/物流/资金/用地/审批/其他")
    description: str = Field(min_length=1)
    title: str = ""
    urgency: str = "一般"
    attachments: list[str] = Field(default_factory=list)
    uscc: str | None = Field(None, max_length=18, description="企业账号可省略（即本企业）；名称与地区以登记为准")


class ActionIn(BaseModel):
    note: str = Field("", max_length=NOTE_MAX)
    department: str = Field("", max_length=NAME_MAX)
    score: int | None = Field(None, ge=1, le=5)
    comment: str = Field("", max_length=NOTE_MAX)


def appeal_detail(a) -> dict:
    return {**ap.to_dict(a), "timeline": ap.timeline(a)}


PAGED = ("分页：page（从1起）、size（20/50/100/200，默认50）；总数在响应头 X-Total-Count；"
         "format=xlsx 导出全部筛选结果（记入审计）")


@router.get("/appeals", summary="企业诉求列表（本账号范围内；分页、筛选、导出）", description=PAGED)
def list_appeals(request: Request, q: str = "", region: str = "", status: str = "",
                 appeal_type: str = Query("", alias="type"), month: str = "", page: int | None = None,
                 size: int | None = None, format: str | None = None, who: Caller = Depends(caller),
                 session: Session = Depends(db)) -> Response:
    ap.run_escalation(session)  # SLA clocks are checked whenever cases are listed (and by the run job)
    return api_listing(request, who, session, APPEALS, page, size, format)


@router.post("/appeals", status_code=201, summary="提交企业诉求")
def file_appeal(body: AppealIn, request: Request, who: Caller = Depends(caller), session: Session = Depends(db)) -> dict:
    uscc, name, region = enterprise_identity(request, who, body.uscc, session=session)
    with http_errors(request, who, uscc, session):
        a = ap.file_appeal(session, who.scope, uscc=uscc, enterprise_name=name, region=region,
                           appeal_type=body.appeal_type, description=body.description, title=body.title,
                           urgency=body.urgency, attachments=[])
        commit_audited(session, request, who, "appeal_file", a.code, {"type": a.appeal_type, "uscc": uscc, "region": region})
    return appeal_detail(a)


@router.get("/appeals/{ref}", summary="诉求详情与办理时间线")
def get_appeal(ref: str, who: Caller = Depends(caller), session: Session = Depends(db)) -> dict:
    with http_errors():
        return appeal_detail(ap.get_appeal(session, who.scope, ref))


@router.post("/appeals/{ref}/attachments", status_code=201, summary="上传诉求附件（提出诉求的企业或承办地区人员）")
async def upload_attachment(ref: str, request: Request, file: UploadFile = File(...), who: Caller = Depends(caller),
                            session: Session = Depends(db)) -> dict:
    from yacang.dispatch import attachments
    from yacang.dispatch.access import require_official

    data = await file.read(attachments.MAX_BYTES + 1)
    with http_errors(request, who, ref, session):
        a = ap.get_appeal(session, who.scope, ref)
        if not (who.scope.role == Role.ENTERPRISE and who.scope.uscc == a.uscc):
            require_official(who.scope, a.region, "上传附件")
        name = attachments.save(state(request).home, a, file.filename or "", data)
        commit_audited(session, request, who, "appeal_attachment", a.code, {"name": name, "bytes": len(data)})
    return {"code": a.code, "attachment": name, "attachments": list(a.attachments)}


@router.get("/appeals/{ref}/attachments/{name}", summary="下载诉求附件")
def download_attachment(ref: str, name: str, request: Request, who: Caller = Depends(caller),
                        session: Session = Depends(db)):
    from fastapi.responses import FileResponse

    from yacang.dispatch import attachments

    with http_errors():
        path = attachments.path_of(state(request).home, ap.get_appeal(session, who.scope, ref), name)
    return FileResponse(path, filename=path.name)


ACTIONS = ("assign", "respond", "plan", "resolve", "rate", "close", "reopen")


def run_action(session: Session, who: Caller, ref: str, action: str, body: ActionIn, request: Request | None = None):
    """One state-machine step (shared by the API and the pages)."""
    if action not in ACTIONS:
        raise HTTPException(404, f"未知操作 {action}（可选 {'/'.join(ACTIONS)}）")
    with http_errors(request, who, str(ref), session):
        if action == "assign":
            return ap.assign(session, who.scope, ref, body.department, body.note)
        if action == "rate":
            if body.score is None:
                raise DispatchError("请选择满意度（1至5分）")
            return ap.rate(session, who.scope, ref, body.score, body.comment)
        return getattr(ap, action)(session, who.scope, ref, body.note)


@router.post("/appeals/{ref}/{action}", summary="办理操作：assign 分派 / respond 响应 / plan 方案 / resolve 办结 / "
             "rate 企业评价 / close 回访结案 / reopen 重新打开")
def appeal_action(ref: str, action: str, body: ActionIn, request: Request, who: Caller = Depends(caller),
                  session: Session = Depends(db)) -> dict:
    a = run_action(session, who, ref, action, body, request)
    commit_audited(session, request, who, f"appeal_{action}", a.code)
    return appeal_detail(a)


@router.get("/stats/appeals", summary="诉求统计：by=type/region/department/month")
def appeal_stats(by: str = "type", level: str = "prefecture", who: Caller = Depends(caller),
                 session: Session = Depends(db)) -> list[dict]:
    from yacang.dispatch.stats import BY
    from yacang.dispatch.stats import appeal_stats as stats

    if by not in BY:
        raise HTTPException(422, f"统计维度应为 {'/'.join(BY)}")
    df = stats(session, who.scope, by, region_level=level)
    return df.astype(object).where(df.notna(), None).to_dict("records")


@router.get("/stats/overdue", summary="超期在办诉求清单")
def overdue(who: Caller = Depends(caller), session: Session = Depends(db)) -> list[dict]:
    from yacang.dispatch.stats import overdue_table

    return overdue_table(session, who.scope).to_dict("records")


# whitelists ---------------------------------------------------------------------------------------
class WhitelistIn(BaseModel):
    category: str = Field(max_length=64)
    reason: str = Field(min_length=1, max_length=2000)
    valid_from: dt.date
    valid_to: dt.date
    uscc: str | None = Field(None, max_length=18, description="企业账号可省略；名称与地区以登记为准")


class ReviewIn(BaseModel):
    approve: bool = True
    note: str = Field("", max_length=NOTE_MAX)


@router.get("/whitelist/categories", summary="白名单类别")
def categories(who: Caller = Depends(caller), session: Session = Depends(db)) -> list[dict]:
    return [{"code": c.code, "name": c.name, "builtin": c.builtin} for c in wl.ensure_categories(session)]


@router.get("/whitelist", summary="白名单条目（本账号范围内；分页、筛选、导出）", description=PAGED)
def whitelist(request: Request, q: str = "", region: str = "", category: str = "", status: str = "",
              on: dt.date | None = None, page: int | None = None, size: int | None = None,
              format: str | None = None, who: Caller = Depends(caller), session: Session = Depends(db)) -> Response:
    return api_listing(request, who, session, WHITELIST, page, size, format)


def apply_whitelist(session: Session, request: Request, who: Caller, uscc: str | None, *, category: str, reason: str,
                    valid_from: dt.date, valid_to: dt.date) -> wl.WhitelistEntry:
    """Apply for (nominate to) a whitelist, audited and committed: the one write of the API and the page."""
    uscc, name, region = enterprise_identity(request, who, uscc, session=session)
    with http_errors(request, who, uscc, session):
        e = wl.apply(session, who.scope, category_ref=category, uscc=uscc, enterprise_name=name, region=region,
                     reason=reason, valid_from=valid_from, valid_to=valid_to)
        commit_audited(session, request, who, "whitelist_apply", f"whitelist:{e.id}", {"uscc": uscc, "region": region})
    return e


def review_whitelist(session: Session, request: Request, who: Caller, entry_id: int, *, approve: bool,
                     note: str) -> wl.WhitelistEntry:
    """Review (approve or reject) an application, audited and committed (API and page)."""
    with http_errors(request, who, f"whitelist:{entry_id}", session):
        e = wl.review(session, who.scope, entry_id, approve=approve, note=note)
        commit_audited(session, request, who, "whitelist_review" if approve else "whitelist_reject",
                        f"whitelist:{e.id}", {"note": note.strip()})
    return e


def publish_whitelist(session: Session, request: Request, who: Caller, entry_id: int) -> wl.WhitelistEntry:
    """Publish a reviewed entry, audited and committed (API and page)."""
    with http_errors(request, who, f"whitelist:{entry_id}", session):
        e = wl.publish(session, who.scope, entry_id)
        commit_audited(session, request, who, "whitelist_publish", f"whitelist:{e.id}")
    return e


@router.post("/whitelist", status_code=201, summary="申请（推荐）列入白名单")
def whitelist_apply(body: WhitelistIn, request: Request, who: Caller = Depends(caller),
                    session: Session = Depends(db)) -> dict:
    return wl.to_dict(apply_whitelist(session, request, who, body.uscc, category=body.category, reason=body.reason,
                                      valid_from=body.valid_from, valid_to=body.valid_to))


@router.post("/whitelist/{entry_id}/review", summary="审核白名单申请（申请人不能审核本人的申请）")
def whitelist_review(entry_id: RowId, body: ReviewIn, request: Request, who: Caller = Depends(caller),
                     session: Session = Depends(db)) -> dict:
    return wl.to_dict(review_whitelist(session, request, who, entry_id, approve=body.approve, note=body.note))


@router.post("/whitelist/{entry_id}/publish", summary="发布白名单条目（双人复核：审核人以外的人员发布）")
def whitelist_publish(entry_id: RowId, request: Request, who: Caller = Depends(caller),
                      session: Session = Depends(db)) -> dict:
    return wl.to_dict(publish_whitelist(session, request, who, entry_id))


@router.get("/whitelist.xlsx", summary="导出白名单（XLSX，本账号范围内）")
def whitelist_xlsx(request: Request, category: str | None = None, who: Caller = Depends(caller),
                   session: Session = Depends(db)) -> Response:
    with http_errors():
        rows = wl.list_entries(session, who.scope, category_ref=category)
    audit.record(session, "export", user_id=who.user.id, username=who.username, target="whitelist.xlsx",
                 detail={"rows": len(rows)}, ip=client_ip(request))
    return Response(wl.export_xlsx(rows), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename*=UTF-8''%E7%99%BD%E5%90%8D%E5%8D%95.xlsx"})


@router.get("/whitelist/marks", summary="企业所在白名单（已发布且在有效期内）")
def whitelist_marks(uscc: list[str] = Query(...), who: Caller = Depends(caller), session: Session = Depends(db)) -> dict:
    visible = {e.uscc for e in wl.list_entries(session, who.scope)}
    return wl.marks(session, [u for u in uscc if u in visible])


# key enterprises ------------------------------------------------------------------------------------
class KeyIn(BaseModel):
    uscc: str = Field(max_length=18)
    name: str = Field("", max_length=128, description="企业名录中已有的企业以登记名称为准")
    region: str = Field("", max_length=6, description="企业名录中已有的企业以登记地区为准")
    industry: str = Field("", max_length=4)
    frequency: str = "月"
    contact_name: str = Field("", max_length=32)
    contact_phone: str = Field("", max_length=32)


class QuickIn(BaseModel):
    day: dt.date
    frequency: str = Field(description="周 或 日")
    uscc: str | None = Field(None, max_length=18)
    production: float | None = Field(None, allow_inf_nan=False)
    electricity: float | None = Field(None, allow_inf_nan=False)
    orders: float | None = Field(None, allow_inf_nan=False)
    operating_rate: float | None = Field(None, allow_inf_nan=False)
    problems: str = Field("", max_length=2000)


@router.get("/key-enterprises", summary="重点企业名单（本账号范围内；分页、筛选、导出）", description=PAGED)
def key_enterprises(request: Request, q: str = "", region: str = "", frequency: str = "", page: int | None = None,
                    size: int | None = None, format: str | None = None, who: Caller = Depends(caller),
                    session: Session = Depends(db)) -> Response:
    return api_listing(request, who, session, KEY_ENTERPRISES, page, size, format)


def register_key(session: Session, request: Request, who: Caller, *, uscc: str, **fields: str) -> ke.KeyEnterprise:
    """Put an enterprise on the key list (:func:`yacang.dispatch.key_enterprises.register`: the server's
    records decide its name and region), audited and committed: the one write of the API and the page."""
    with state(request).warehouse() as wh, http_errors(request, who, f"key:{uscc}", session):
        k = ke.register(session, who.scope, wh=wh, uscc=uscc, **fields)
        commit_audited(session, request, who, "key_register", f"key:{k.uscc}", {"region": k.region, "frequency": k.frequency})
    return k


@router.post("/key-enterprises", status_code=201, summary="列入（更新）重点企业")
def key_enterprise_add(body: KeyIn, request: Request, who: Caller = Depends(caller),
                       session: Session = Depends(db)) -> dict:
    return ke.to_dict(register_key(session, request, who, **body.model_dump()))


@router.get("/quick-reports", summary="重点企业快报")
def quick_reports(uscc: str | None = None, who: Caller = Depends(caller), session: Session = Depends(db)) -> list[dict]:
    return [ke.report_dict(r) for r in ke.list_reports(session, who.scope, uscc=uscc)]


def submit_quick_report(session: Session, request: Request, who: Caller, uscc: str | None, *, day: dt.date,
                        frequency: str, problems: str = "", **values: float | str | None):
    """A quick report (enterprise accounts: always their own USCC), audited, then written to the warehouse
    and committed: the one write of the API and the page. Returns the report and the warehouse result."""
    uscc = who.scope.uscc if who.scope.role == Role.ENTERPRISE else uscc
    if not uscc:
        raise HTTPException(422, "请填写企业统一社会信用代码")
    with http_errors(request, who, uscc, session):
        r = ke.submit(session, who.scope, uscc=uscc, day=day, frequency=frequency, problems=problems, **values)
        _audit(session, request, who, "quick_report", f"快报 {uscc} {r.day}")
        session.flush()  # audit row and report written (app DB locked) before the warehouse
    st = state(request)
    with st.warehouse() as wh:
        res = ke.feed_warehouse(session, wh, since=r.day)
    st.changed()
    session.commit()
    return r, res


@router.post("/quick-reports", status_code=201, summary="报送周报/日报快报（写入数据仓库）")
def quick_report_submit(body: QuickIn, request: Request, who: Caller = Depends(caller),
                        session: Session = Depends(db)) -> dict:
    r, res = submit_quick_report(session, request, who, body.uscc, day=body.day, frequency=body.frequency,
                                 production=body.production, electricity=body.electricity, orders=body.orders,
                                 operating_rate=body.operating_rate, problems=body.problems)
    return {**ke.report_dict(r), "warehouse_new": res.n_new if res else 0}


# projects -------------------------------------------------------------------------------------------
class ProjectIn(BaseModel):
    code: str = Field(max_length=24)
    name: str = Field(max_length=128)
    region: str = Field(max_length=6)
    industry: str = Field("", max_length=4)
    planned_investment: float = Field(allow_inf_nan=False)
    planned_start: dt.date
    planned_finish: dt.date
    owner: str = Field("", max_length=128)
    milestones: list[dict] = Field(default_factory=list, max_length=100)


class ProgressIn(BaseModel):
    period: str = Field(max_length=16)
    invest_cum: float = Field(allow_inf_nan=False)
    milestones_done: dict[str, str] = Field(default_factory=dict, max_length=100)
    actual_start: dt.date | None = None
    note: str = Field("", max_length=2000)


@router.get("/projects", summary="重大项目名录（分页、筛选、导出）", description=PAGED)
def projects(request: Request, q: str = "", region: str = "", page: int | None = None, size: int | None = None,
             format: str | None = None, who: Caller = Depends(caller), session: Session = Depends(db)) -> Response:
    return api_listing(request, who, session, REGISTRY, page, size, format)


def register_project(session: Session, request: Request, who: Caller, *, code: str, **fields) -> pj.Project:
    """Register a major project, audited and committed: the one write of the API and the page."""
    with http_errors(request, who, f"project:{code}", session):
        p = pj.register_project(session, who.scope, code=code, **fields)
        commit_audited(session, request, who, "project_register", f"project:{p.code}", {"region": p.region})
    return p


def report_project_progress(session: Session, request: Request, who: Caller, ref: str, **fields):
    """A project's monthly progress, audited and committed: the one write of the API and the page."""
    with http_errors(request, who, f"project:{ref}", session):
        row = pj.report_progress(session, who.scope, ref, **fields)
        commit_audited(session, request, who, "project_progress", f"project:{ref}", {"period": row.period})
    return row


@router.post("/projects", status_code=201, summary="登记重大项目")
def project_add(body: ProjectIn, request: Request, who: Caller = Depends(caller), session: Session = Depends(db)) -> dict:
    return pj.to_dict(register_project(session, request, who, **body.model_dump()))


@router.post("/projects/{ref}/progress", summary="报送项目月度进度")
def project_progress(ref: str, body: ProgressIn, request: Request, who: Caller = Depends(caller),
                     session: Session = Depends(db)) -> dict:
    report_project_progress(session, request, who, ref, **body.model_dump())
    with http_errors():
        return pj.to_dict(pj.get_project(session, who.scope, ref))


@router.get("/projects-status", summary="项目进度与红黄绿灯（分页、按灯号筛选、导出）", description=PAGED)
def project_status(request: Request, period: str, yellow: float = 10, red: float = 30, q: str = "", region: str = "",
                   light: str = "", page: int | None = None, size: int | None = None, format: str | None = None,
                   who: Caller = Depends(caller), session: Session = Depends(db)) -> Response:
    return api_listing(request, who, session, PROJECTS, page, size, format)


@router.get("/projects-workload", summary="形成实物工作量（按地区或行业）")
def project_workload(period: str, by: str = "region", level: str = "prefecture", who: Caller = Depends(caller),
                     session: Session = Depends(db)) -> list[dict]:
    with http_errors():
        return pj.workload(session, who.scope, period, by, region_level=level).to_dict("records")


@router.get("/projects-late", summary="逾期未开工项目")
def projects_late(who: Caller = Depends(caller), session: Session = Depends(db)) -> list[dict]:
    return pj.not_started(session, who.scope).to_dict("records")

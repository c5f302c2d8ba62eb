"""Evaluation JSON API (under /api/evaluation): stored runs, and the 成效明显市（州） 申报 workflow.

Every route calls :mod:`yacang.evaluation.workflow` with the caller's scope; the region and names come
from the server's records. Errors: 404 (not found or out of scope), 403 (may not act), 422 (invalid).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import APIRouter, Depends, File, HTTPException, Request, Response, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from yacang.evaluation import access
from yacang.evaluation import workflow as wf
from yacang.evaluation.errors import EvaluationError, EvaluationForbidden, EvaluationNotFound
from yacang.web.deps import Caller, caller, client_ip, db, deny, state, statistics_reader
from yacang.web.params import RowId

router = APIRouter(prefix="/evaluation", tags=["地区评价"])


@contextmanager
def http_errors(request: Request | None = None, who: Caller | None = None,
                session: Session | None = None) -> Iterator[None]:
    """Workflow errors → 404 / 403 / 422; a refused action (403) is audited when the request is given."""
    try:
        yield
    except EvaluationNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except EvaluationForbidden as exc:
        if request is not None:
            deny(request, who, 403, str(exc), "evaluation_scope", target=request.url.path, session=session)
        raise HTTPException(403, str(exc)) from None
    except EvaluationError as exc:
        raise HTTPException(422, str(exc)) from None


# stored runs ------------------------------------------------------------------------------------
@router.get("/runs", summary="已存评价结果（真实数据与示例数据分开；申报评分仅发布地区可见）")
def list_runs(request: Request, who: Caller = Depends(statistics_reader), session: Session = Depends(db)) -> list[dict]:
    from yacang.warehouse import evaluation as tables

    with state(request).reader() as wh:
        runs = tables.runs(wh)
    runs = runs.drop(columns=["weights", "notes"], errors="ignore")
    runs["created_at"] = runs["created_at"].astype(str)
    return [r for r in runs.astype(object).where(runs.notna(), None).to_dict("records")
            if access.run_visible(session, who.scope, r)]


def _run(request: Request, who: Caller, session: Session, run_id: str) -> dict:
    from yacang.warehouse import evaluation as tables

    with state(request).reader() as wh:
        run = tables.get_run(wh, run_id)
    if run is None or not access.run_visible(session, who.scope, run):
        raise HTTPException(404, f"没有评价结果 {run_id}")
    return run


@router.get("/runs/{run_id}/scores", summary="一次评价的得分、名次与名次区间（只含本账号范围内的地区）")
def run_scores(run_id: str, request: Request, who: Caller = Depends(statistics_reader),
               session: Session = Depends(db)) -> dict:
    from yacang.warehouse import evaluation as tables

    run = _run(request, who, session, run_id)
    with state(request).reader() as wh:
        full = tables.scores(wh, run_id)
        items = access.visible_rows(who.scope, tables.items(wh, run_id))
    sc = access.visible_rows(who.scope, full)
    groups = items.groupby(["region", "grp"], sort=False)["points"].sum().unstack().fillna(0) if len(items) else None
    return {"run": {k: v for k, v in run.items() if k != "created_at"} | {"created_at": str(run["created_at"])},
            "ranked": int((full["rank"] > 0).sum()),  # how many regions were ranked (the ranks are out of it)
            "scores": sc.astype(object).where(sc.notna(), None).to_dict("records"),
            "groups": {} if groups is None else {r: {g: round(float(v), 3) for g, v in row.items()}
                                                 for r, row in groups.iterrows()}}


@router.get("/runs/{run_id}/regions/{region}", summary="一个地区的逐项得分解释")
def run_region(run_id: str, region: str, request: Request, who: Caller = Depends(statistics_reader),
               session: Session = Depends(db)) -> dict:
    from yacang.warehouse import evaluation as tables

    run = _run(request, who, session, run_id)
    if not access.region_visible(who.scope, region):
        raise HTTPException(404, f"本次评价中没有地区 {region}")
    with state(request).reader() as wh:
        items = tables.items(wh, run_id, region)
    if items.empty:
        raise HTTPException(404, f"本次评价中没有地区 {region}")
    items = items.assign(value_text=_value_texts(run["system"], items))
    return {"region": region, "items": items.astype(object).where(items.notna(), None).to_dict("records")}


def _value_texts(system: str, items) -> list[str]:
    """Each value as officials read it (8.0%, -4.7个百分点, 9个); a system no longer on this server (a YAML
    file used once) has no units to hand: its numbers are shown bare."""
    from yacang.evaluation.explain import value_text
    from yacang.evaluation.system import load_system
    from yacang.formatting import fmt

    try:
        s = load_system(system)
    except EvaluationError:
        return [fmt(v) for v in items["value"]]
    return [value_text(s.indicator(c), v) for c, v in zip(items["indicator"], items["value"], strict=True)]


# 申报 workflow --------------------------------------------------------------------------------
class CallIn(BaseModel):
    year: int = Field(ge=2000, le=2100)
    quota: int = Field(ge=1, le=1000)
    system: str = Field("zhizao_gaozhiliang", max_length=64)
    title: str = Field("", max_length=200)


class SubmissionIn(BaseModel):
    values: dict[str, float | None] = Field(default_factory=dict, max_length=200, description="指标代码 → 数值")
    narrative: str = Field("", max_length=wf.MAX_NARRATIVE)
    vetoes: list[str] = Field(default_factory=list, max_length=100, description="自查的一票否决事项代码")
    bonuses: list[str] = Field(default_factory=list, max_length=100, description="申请的加分项代码")
    final: bool = True


class VetoIn(BaseModel):
    vetoes: list[str] = Field(default_factory=list, max_length=100)
    note: str = Field("", max_length=2000)


class ShortlistIn(BaseModel):
    regions: list[str] | None = Field(None, max_length=1000, description="不给则按名次取名额内的地区")


def call_dict(call) -> dict:
    return {"id": call.id, "title": call.title, "year": call.year, "level": call.level, "system": call.system,
            "quota": call.quota, "issuer_region": call.issuer_region, "issuer_name": wf.region_name(call.issuer_region),
            "status": call.status, "status_zh": wf.STATUS_ZH.get(call.status, call.status)}


def submission_dict(sub) -> dict:
    return {"id": sub.id, "call_id": sub.call_id, "region": sub.region, "region_name": sub.region_name,
            "status": sub.status, "values": sub.values, "narrative": sub.narrative, "vetoes": sub.vetoes,
            "bonuses": sub.bonuses, "score": sub.score, "rank": sub.rank, "shortlisted": sub.shortlisted,
            "submitted_at": str(sub.submitted_at) if sub.submitted_at else None}


@router.get("/calls", summary="申报通知（本账号可见的）")
def list_calls(who: Caller = Depends(caller), session: Session = Depends(db)) -> list[dict]:
    return [call_dict(c) for c in wf.list_calls(session, who.scope)]


@router.post("/calls", status_code=201, summary="发布申报通知（下一级地区申报）")
def create_call(body: CallIn, request: Request, who: Caller = Depends(caller), session: Session = Depends(db)) -> dict:
    with http_errors(request, who, session):
        call = wf.create_call(session, who.scope, year=body.year, quota=body.quota, system=body.system,
                              title=body.title, ip=client_ip(request))
    session.commit()
    return call_dict(call)


@router.get("/calls/{call_id}", summary="申报通知详情：可见的申报材料与公布名单")
def get_call(call_id: RowId, who: Caller = Depends(caller), session: Session = Depends(db)) -> dict:
    with http_errors():
        call = wf.get_call(session, who.scope, call_id)
        subs = wf.submissions(session, who.scope, call)
    return {**call_dict(call), "submissions": [submission_dict(s) for s in subs],
            "published": [{"region": s.region, "region_name": s.region_name, "rank": s.rank, "score": s.score}
                          for s in wf.published_list(session, call)]}


@router.put("/calls/{call_id}/submission", summary="本地区填报或提交申报（地区由账号决定）")
def submit(call_id: RowId, body: SubmissionIn, request: Request, who: Caller = Depends(caller),
           session: Session = Depends(db)) -> dict:
    with http_errors(request, who, session):
        sub = wf.submit(session, who.scope, call_id, values=body.values, narrative=body.narrative,
                        vetoes=body.vetoes, bonuses=body.bonuses, final=body.final, ip=client_ip(request))
    session.commit()
    return submission_dict(sub)


@router.post("/submissions/{sub_id}/attachments", status_code=201, summary="上传申报附件")
async def upload(sub_id: RowId, request: Request, file: UploadFile = File(...), who: Caller = Depends(caller),
                 session: Session = Depends(db)) -> dict:
    data = await file.read(wf.MAX_ATTACHMENT + 1)
    with http_errors(request, who, session):
        att = wf.attach(session, who.scope, sub_id, file.filename or "", data, ip=client_ip(request))
    session.commit()
    return {"id": att.id, "filename": att.filename, "size": att.size, "sha256": att.sha256}


@router.get("/submissions/{sub_id}/attachments/{att_id}", summary="下载申报附件（本地区或评审单位）")
def download(sub_id: RowId, att_id: RowId, who: Caller = Depends(caller), session: Session = Depends(db)) -> Response:
    from urllib.parse import quote

    with http_errors():
        found = [a for a in wf.attachments(session, who.scope, sub_id) if a.id == att_id]
    if not found:
        raise HTTPException(404, f"没有编号为 {att_id} 的附件")
    att = found[0]
    return Response(bytes(att.data), media_type="application/octet-stream",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(att.filename)}"})


@router.get("/submissions/{sub_id}/checks", summary="填报数与仓库数据的核对结果")
def get_checks(sub_id: RowId, who: Caller = Depends(caller), session: Session = Depends(db)) -> list[dict]:
    with http_errors():
        rows = wf.checks(session, who.scope, sub_id)
    return [{"indicator": c.indicator, "submitted": c.submitted, "warehouse": c.warehouse, "flagged": c.flagged,
             "note": c.note, "series_id": c.series_id} for c in rows]


@router.post("/calls/{call_id}/check", summary="评审：填报数与仓库数据核对（差异标记）")
def check(call_id: RowId, request: Request, who: Caller = Depends(caller), session: Session = Depends(db)) -> dict:
    with http_errors(request, who, session), state(request).reader() as wh:
        rows = wf.check_values(session, who.scope, call_id, wh, ip=client_ip(request))
    session.commit()
    return {"checked": len(rows), "flagged": sum(c.flagged for c in rows)}


@router.post("/submissions/{sub_id}/vetoes", summary="评审：认定一票否决事项")
def vetoes(sub_id: RowId, body: VetoIn, request: Request, who: Caller = Depends(caller),
           session: Session = Depends(db)) -> dict:
    with http_errors(request, who, session):
        sub = wf.set_vetoes(session, who.scope, sub_id, body.vetoes, body.note, ip=client_ip(request))
    session.commit()
    return submission_dict(sub)


@router.post("/calls/{call_id}/score", summary="评审：按指标体系评分排名")
def score(call_id: RowId, request: Request, method: str = "wsum", who: Caller = Depends(caller),
          session: Session = Depends(db)) -> dict:
    from yacang.evaluation.real_data import national_iva_ytd

    with http_errors(request, who, session):
        call = wf.get_call(session, who.scope, call_id)
        with state(request).warehouse() as wh:
            nat = national_iva_ytd(wh, call.year)
            res = wf.score_call(session, who.scope, call_id, national={} if nat is None else {"iva_ytd": nat},
                                method=method, wh=wh, ip=client_ip(request))
    state(request).changed()
    session.commit()
    return {"ranking": res.table().astype(object).where(res.table().notna(), None).to_dict("records")}


@router.post("/calls/{call_id}/shortlist", summary="评审：确定入围名单（不超过名额）")
def shortlist(call_id: RowId, body: ShortlistIn, request: Request, who: Caller = Depends(caller),
              session: Session = Depends(db)) -> dict:
    with http_errors(request, who, session):
        chosen = wf.shortlist(session, who.scope, call_id, body.regions, ip=client_ip(request))
    session.commit()
    return {"shortlisted": [s.region for s in chosen]}


@router.post("/calls/{call_id}/publish", summary="公布名单")
def publish(call_id: RowId, request: Request, who: Caller = Depends(caller), session: Session = Depends(db)) -> dict:
    with http_errors(request, who, session):
        call = wf.publish(session, who.scope, call_id, ip=client_ip(request))
    session.commit()
    return call_dict(call)


@router.get("/calls/{call_id}/export.{fmt}", summary="评分表（xlsx）或结果通报（docx）")
def export(call_id: RowId, fmt: str, request: Request, who: Caller = Depends(caller),
           session: Session = Depends(db)) -> Response:
    from yacang.evaluation.runs import export_bytes

    if fmt not in ("xlsx", "docx"):
        raise HTTPException(404, "只提供 xlsx 评分表和 docx 结果通报")
    with http_errors():
        call = wf.get_call(session, who.scope, call_id)
        if not wf.is_reviewer(who.scope, call):  # they hold every region's figures; the list is on the call
            raise EvaluationForbidden("评分表和结果通报只对评审单位开放；公布名单见申报通知")
        with state(request).reader() as wh:
            data = export_bytes(wh, call, fmt)
    media = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}[fmt]
    name = f"call{call.id}_{'评分表' if fmt == 'xlsx' else '结果通报'}.{fmt}"
    from urllib.parse import quote

    return Response(data, media_type=media, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})

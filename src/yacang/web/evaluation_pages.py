"""地区评价 pages: stored rankings (map, ranking with rank intervals, radar/bar breakdown per region) and
the 成效明显市（州） 申报 pages (city: fill and submit; province: check, score, shortlist, publish).

Each page calls the same workflow functions as the API (:mod:`yacang.web.api.evaluation`) with the
caller's scope; forms carry the session's CSRF token; charts use the locally served ECharts.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from yacang.auth.roles import Role
from yacang.catalog.regions import level_of
from yacang.evaluation import access
from yacang.evaluation import workflow as wf
from yacang.evaluation.engine import METHOD_ZH
from yacang.evaluation.errors import EvaluationError
from yacang.evaluation.outputs import remark_notes, remark_text, score_rule
from yacang.evaluation.runs import treatment_of
from yacang.evaluation.system import load_system
from yacang.web.deps import Caller, caller, client_ip, db, state
from yacang.web.dispatch_pages import page_caller, render
from yacang.web.params import RowId

router = APIRouter(include_in_schema=False)
NAV = ("/evaluation", "地区评价")


def _back(url: str, session: Session, *, msg: str = "", error: str = "") -> RedirectResponse:
    if error:
        session.rollback()
        return RedirectResponse(f"{url}?error={quote(error)}", status_code=303)
    session.commit()
    return RedirectResponse(f"{url}?msg={quote(msg)}", status_code=303)


async def _form(request: Request) -> dict[str, list[str]]:
    form = await request.form()
    out: dict[str, list[str]] = {}
    for k, v in form.multi_items():
        if isinstance(v, str):
            out.setdefault(k, []).append(v)
    return out


def _notes(scores: list[dict]) -> list[str]:
    import pandas as pd

    return remark_notes(pd.DataFrame(scores)) if scores else []


@router.get("/evaluation")
def evaluation_page(request: Request, who: Caller = Depends(page_caller), session: Session = Depends(db),
                    run: str = "", msg: str = "", error: str = ""):
    from yacang.warehouse import evaluation as tables

    runs, scores, total = [], [], 0
    if who.scope.reads_statistics:
        with state(request).reader() as wh:
            df = tables.runs(wh)
            runs = [r for r in df.to_dict("records") if r["data_kind"] in access.PUBLIC_KINDS]
            chosen = next((r for r in runs if r["run_id"] == run), None) or next(
                (r for r in sorted(runs, key=lambda r: (r["period"], r["method"] == "wsum"), reverse=True)), None)
            if chosen is not None:
                full = tables.scores(wh, chosen["run_id"])
                total = len(full)
                sc = access.visible_rows(who.scope, full)
                scores = sc.astype(object).where(sc.notna(), None).to_dict("records")
    else:
        chosen = None
    calls = wf.list_calls(session, who.scope) if who.scope.role != Role.ENTERPRISE else []
    below = wf.LEVEL_BELOW.get(level_of(who.scope.region))
    return render(request, "evaluation.html", who, runs=runs, chosen=chosen, scores=scores, calls=calls, msg=msg,
                  error=error, total=total, remark_text=remark_text, remark_notes=_notes, method_zh=METHOD_ZH,
                  score_rule=score_rule, treatment=treatment_of,
                  can_call=who.scope.writes and below in ("prefecture", "county"), level_zh=wf.LEVEL_ZH,
                  below=below, status_zh=wf.STATUS_ZH, has_geo=state(request).geojson is not None)


@router.post("/evaluation/calls")
async def create_call(request: Request, who: Caller = Depends(caller), session: Session = Depends(db)):
    f = await _form(request)
    try:
        call = wf.create_call(session, who.scope, year=int(f.get("year", ["0"])[0] or 0),
                              quota=int(f.get("quota", ["0"])[0] or 0), title=f.get("title", [""])[0],
                              ip=client_ip(request))
    except (EvaluationError, ValueError) as exc:
        return _back("/evaluation", session, error=str(exc) if isinstance(exc, EvaluationError) else "年度和名额须为整数")
    return _back(f"/evaluation/calls/{call.id}", session, msg="申报通知已发布")


@router.get("/evaluation/calls/{call_id}")
def call_page(call_id: RowId, request: Request, who: Caller = Depends(page_caller), session: Session = Depends(db),
              msg: str = "", error: str = ""):
    from fastapi import HTTPException

    try:
        call = wf.get_call(session, who.scope, call_id)
    except EvaluationError as exc:
        raise HTTPException(404, str(exc)) from None
    system = load_system(call.system)
    subs = wf.submissions(session, who.scope, call)
    reviewer = wf.is_reviewer(who.scope, call)
    mine = wf.own_submission(session, who.scope, call)
    can_submit = _may_submit(who, call)
    flags = {s.id: wf.checks(session, who.scope, s.id) for s in subs}
    atts = {s.id: wf.attachments(session, who.scope, s.id) for s in subs}
    return render(request, "evaluation_call.html", who, call=call, system=system, subs=subs, mine=mine,
                  reviewer=reviewer, can_submit=can_submit, flags=flags, atts=atts, msg=msg, error=error,
                  published=wf.published_list(session, call), status_zh=wf.STATUS_ZH, level_zh=wf.LEVEL_ZH,
                  issuer=wf.region_name(call.issuer_region), names={i.code: i.name for i in system.indicators})


def _may_submit(who: Caller, call) -> bool:
    from yacang.catalog.regions import is_descendant

    return (who.scope.role == Role.OFFICER and call.status == "open" and level_of(who.scope.region) == call.level
            and is_descendant(who.scope.region, call.issuer_region))


@router.post("/evaluation/calls/{call_id}/submit")
async def submit(call_id: RowId, request: Request, who: Caller = Depends(caller), session: Session = Depends(db)):
    form = await request.form()
    f = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    url = f"/evaluation/calls/{call_id}"
    try:
        system = load_system(wf.get_call(session, who.scope, call_id).system)
        values = {i.code: f.get(f"v_{i.code}", "").strip() for i in system.indicators}
        sub = wf.submit(session, who.scope, call_id, values=values, narrative=f.get("narrative", ""),
                        vetoes=form.getlist("vetoes"), bonuses=form.getlist("bonuses"),
                        final=f.get("action") != "draft", ip=client_ip(request))
        upload = form.get("attachment")
        if upload is not None and not isinstance(upload, str) and upload.filename:
            wf.attach(session, who.scope, sub.id, upload.filename, await upload.read(wf.MAX_ATTACHMENT + 1),
                      ip=client_ip(request))
    except EvaluationError as exc:
        return _back(url, session, error=str(exc))
    return _back(url, session, msg="已提交申报" if sub.status == "submitted" else "已保存草稿")


@router.post("/evaluation/calls/{call_id}/{action}")
async def review_step(call_id: RowId, action: str, request: Request, who: Caller = Depends(caller),
                      session: Session = Depends(db)):
    from yacang.evaluation.real_data import national_iva_ytd

    url = f"/evaluation/calls/{call_id}"
    done = {"check": "已与数据仓库核对", "score": "已评分", "shortlist": "已按名次确定入围名单", "publish": "名单已公布"}
    if action not in done:
        return _back(url, session, error="未知操作")
    try:
        if action == "check":
            with state(request).reader() as wh:
                wf.check_values(session, who.scope, call_id, wh, ip=client_ip(request))
        elif action == "score":
            call = wf.get_call(session, who.scope, call_id)
            with state(request).warehouse() as wh:
                nat = national_iva_ytd(wh, call.year)
                wf.score_call(session, who.scope, call_id, national={} if nat is None else {"iva_ytd": nat}, wh=wh,
                              ip=client_ip(request))
            state(request).changed()
        elif action == "shortlist":
            wf.shortlist(session, who.scope, call_id, ip=client_ip(request))
        else:
            wf.publish(session, who.scope, call_id, ip=client_ip(request))
    except EvaluationError as exc:
        return _back(url, session, error=str(exc))
    return _back(url, session, msg=done[action])

"""通报发文 pages: the register of issued bulletins (versions, downloads) and the draft page where an
officer chooses the alerts that go into the text, writes 下一步工作建议 and issues a new version.

Scope is the server's: a caller sees the issues of its region subtree (:func:`issues_in_scope`), drafts
and issues only inside it; the 发文机关 and the 文号 pattern come from ``[bulletin]`` of the server's
``yacang.toml``, never from the form. Every issue and download is audited.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse
from sqlalchemy.orm import Session

from yacang.auth import audit
from yacang.catalog.regions import RegionError, resolve_region
from yacang.periods import PeriodError, parse_period, reporting_period
from yacang.report.bulletin import FORMATS
from yacang.report.errors import ReportError
from yacang.report.issue import (
    CHANNEL_ZH,
    add_advice,
    alert_key,
    get_issue,
    issue_bulletin,
    issue_file,
    issues_in_scope,
)
from yacang.web.deps import Caller, caller, client_ip, db, deny, ensure_writer, state
from yacang.web.dispatch_pages import page_caller, render
from yacang.web.params import RowId

router = APIRouter(include_in_schema=False)
SEVERITY_ZH = {"red": "红色", "orange": "橙色", "yellow": "黄色", "blue": "蓝色"}
MAX_ADVICE = 3000


def _config(request: Request):
    """``[bulletin]`` of the server's yacang.toml, read now (an edit is seen without a restart)."""
    from yacang.job_config import ConfigError

    try:
        return state(request).config().bulletin
    except ConfigError as exc:
        raise HTTPException(500, f"服务器的配置文件有误：{exc}") from None


def _region(who: Caller, text: str, request: Request | None = None) -> tuple[str, str]:
    """(code, name) of a region inside the caller's subtree; 422 if unknown, 403 (audited on writes)
    outside the subtree."""
    try:
        r = resolve_region(text or who.scope.region)
    except RegionError as exc:
        raise HTTPException(422, str(exc)) from None
    if not who.scope.covers(r.code):
        msg = f"无权查看或发布地区 {r.name}（{r.code}）的通报（超出本账号的地区范围）"
        if request is not None:
            deny(request, who, 403, msg, "region", target=r.code)
        raise HTTPException(403, msg)
    return r.code, r.name


def _period(request: Request, text: str, region: str):
    """The draft's period: as asked, or the latest month ``region`` has figures for."""
    if not text:
        from yacang.web.pages import _latest_period

        text = _latest_period(request, region)
        if not text:
            raise HTTPException(422, "数据仓库中还没有月度数据，无法起草通报。")
    try:
        p, _note = reporting_period(parse_period(text))
    except PeriodError as exc:
        raise HTTPException(422, f"时期“{text}”无法识别：{exc}") from None
    if p.kind not in ("month", "jan_feb"):
        raise HTTPException(422, f"通报按月编制：时期应为月份（如 2022-03），收到 {text}")
    return p


@router.get("/bulletins/issued")
def issued_page(request: Request, who: Caller = Depends(page_caller), session: Session = Depends(db),
                region: str = "", period: str = "", msg: str = "", error: str = ""):
    if not who.scope.reads_statistics:
        raise HTTPException(403, "无权查看通报：企业账号只能查看本企业报表")
    code = None
    if region:
        code, _name = _region(who, region)
    rows = issues_in_scope(session, who.scope, region=code, period=period or None)
    groups: dict[tuple[str, str], list] = {}
    for r in rows:
        groups.setdefault((r.region, r.period), []).append(r)
    return render(request, "bulletin_issued.html", who, groups=groups, region=region, period=period, msg=msg,
                  error=error, can_issue=who.scope.writes, channel_zh=CHANNEL_ZH, label=_period_label)


def _period_label(code: str) -> str:
    try:
        return parse_period(code).label_zh(cumulative=True)
    except PeriodError:
        return code


@router.get("/bulletins/issued/{issue_id}/{name}")
def issued_file(issue_id: RowId, name: str, request: Request, who: Caller = Depends(page_caller),
                session: Session = Depends(db)):
    row = get_issue(session, who.scope, issue_id)
    path = issue_file(row, name) if row is not None else None
    if path is None:
        raise HTTPException(404, "没有该通报文件")
    audit.record(session, "export", user_id=who.user.id, username=who.username,
                 target=f"bulletin:{row.region}/{row.period}/v{row.version}/{name}", ip=client_ip(request))
    session.commit()
    return FileResponse(path, filename=name)


@router.get("/bulletins/draft")
def draft_page(request: Request, who: Caller = Depends(page_caller), region: str = "", period: str = "",
               error: str = ""):
    ensure_writer(who)
    code, name = _region(who, region)
    p = _period(request, period, code)
    from yacang.jobs.bulletin_inputs import alert_rows, stored_firing

    with state(request).reader() as wh:
        alerts = alert_rows(stored_firing(wh, p), code)
    cfg = _config(request)
    return render(request, "bulletin_draft.html", who, code=code, region_name=name, period=p, alerts=alerts,
                  alert_key=alert_key, severity_zh=SEVERITY_ZH, cfg=cfg, formats=FORMATS, error=error)


@router.post("/bulletins/issue")
async def issue(request: Request, who: Caller = Depends(caller), session: Session = Depends(db)):
    ensure_writer(who)
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    code, _name = _region(who, fields.get("region", ""), request)
    p = _period(request, fields.get("period", ""), code)
    chosen = {v for v in form.getlist("alerts") if isinstance(v, str)}
    formats = [f for f in form.getlist("formats") if isinstance(f, str)]
    back = f"/bulletins/draft?region={code}&period={quote(p.code)}"
    try:
        if not formats or any(f not in FORMATS for f in formats):
            raise ReportError(f"请选择输出格式（可选：{'、'.join(FORMATS)}）。")
        advice = fields.get("advice", "")
        if len(advice) > MAX_ADVICE:
            raise ReportError(f"下一步工作建议过长（{len(advice)} 字，最多 {MAX_ADVICE} 字）。")
        from yacang.jobs.errors import JobError
        from yacang.jobs.main_job import build_full_bulletin

        try:
            with state(request).warehouse() as wh:
                b = build_full_bulletin(wh, p, code, alert_filter=lambda a: alert_key(a) in chosen)
        except (JobError, ValueError, LookupError) as exc:
            raise ReportError(f"无法生成通报：{exc}") from None
        add_advice(b, advice)
        with tempfile.TemporaryDirectory() as tmp:  # the register keeps the archived copies
            _paths, row = issue_bulletin(
                b, Path(tmp), formats, cfg=_config(request), session=session, issued_by=who.username, channel="web",
                user_id=who.user.id, ip=client_ip(request),
                options={"alerts": sorted(chosen), "advice": advice.strip()},
                doc_number=fields.get("doc_number") or None, signer=fields.get("signer") or None,
                issue_date=fields.get("issue_date") or None)
    except ReportError as exc:
        session.rollback()
        return RedirectResponse(f"{back}&error={quote(str(exc))}", status_code=303)
    session.commit()
    msg = f"已发文：{row.title} 第{row.version}版 {row.doc_number}"
    return RedirectResponse(f"/bulletins/issued?region={code}&msg={quote(msg)}", status_code=303)

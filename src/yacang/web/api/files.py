"""Uploads of source files (statistics or enterprise report workbooks) and bulletins (generate, download).

An upload is saved (streamed, size-capped), checked against the caps of :mod:`yacang.ingest.limits`
and parsed **outside** the warehouse lock, in a worker process with memory and time limits
(:func:`yacang.ingest.isolated.parse_isolated`: a limit hit is a 413 saying what to do); the lock is held only for the scope check against the
registry and the write, so a crafted file never blocks other users' reads. The saved file is removed
once handled (the warehouse keeps the batch, the quarantine keeps rejected rows); answers name the
file, never a server path.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import uuid
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from yacang.auth import audit
from yacang.catalog.regions import NATION, region_label
from yacang.ingest.errors import IngestError
from yacang.ingest.isolated import parse_isolated, preload
from yacang.ingest.limits import DEFAULT as LIMITS
from yacang.ingest.limits import LimitExceeded, precheck
from yacang.ingest.vintage import change_counts_zh
from yacang.jobs.errors import JobError
from yacang.jobs.main_job import build_full_bulletin
from yacang.microdata.report_workbook import load_reports, parse_report_file
from yacang.periods import PeriodError, parse_period, reporting_period
from yacang.report.errors import ReportError
from yacang.report.issue import issue_bulletin
from yacang.warehouse.provenance import provenance
from yacang.web import reports_service
from yacang.web.api.stats import check_code
from yacang.web.deps import Caller, client_ip, db, official_writer, require_region, state, statistics_reader

router = APIRouter(tags=["数据与通报"])
log = logging.getLogger(__name__)
MAX_UPLOAD = LIMITS.max_bytes
SAFE_NAME = re.compile(r"[^\w.\-\u4e00-\u9fff]+")
preload("yacang.microdata.report_workbook", "yacang.warehouse.load")  # both parsers, imported once per server


def _errors(errs) -> list[dict]:
    return [{"file": e.file, "row": e.row, "column": e.column, "value": e.value, "reason": e.reason} for e in errs]


def save_upload(st, upload: UploadFile) -> Path:
    """Stream the upload to a private folder (0700/0600), refusing it past the size cap."""
    name = SAFE_NAME.sub("_", Path(upload.filename or "upload").name) or "upload"
    folder = st.home / "uploads" / uuid.uuid4().hex[:12]
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / name
    size = 0
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        while chunk := upload.file.read(1 << 20):
            size += len(chunk)
            if size > MAX_UPLOAD:
                fh.close()
                remove_upload_dir(path)
                raise HTTPException(413, f"文件超过 {MAX_UPLOAD // 1024 // 1024}MB，请拆分后上传")
            fh.write(chunk)
    return path


def upload_file(st, who: Caller, path: Path, kind: str) -> tuple[int, dict]:
    """Validate and load an uploaded file; returns (HTTP status, body with located row errors)."""
    try:
        return _upload(st, who, path, kind)
    finally:
        remove_upload_dir(path)


def _upload(st, who: Caller, path: Path, kind: str) -> tuple[int, dict]:
    body: dict = {"file": path.name, "kind": kind, "ok": False, "errors": [], "summary": ""}
    try:
        precheck(path)  # caps and broken zips: refused before any parser runs
    except LimitExceeded as exc:
        body["errors"], body["summary"] = _errors(exc.errors), str(exc.args[0])
        return 413, body
    except IngestError as exc:
        body["errors"], body["summary"] = _errors(exc.errors), str(exc.args[0])
        return 422, body
    if kind == "reports":
        return _upload_reports(st, who, path, body)
    return _upload_statistics(st, who, path, body)


def _parse(fn, path: Path, body: dict):
    """``fn(path)`` in a limited worker, outside the warehouse lock: (batch, None) or (None, HTTP status)."""
    try:
        return parse_isolated(fn, path, LIMITS), None
    except IngestError as exc:
        body["errors"], body["summary"] = _errors(exc.errors), str(exc.args[0] if exc.args else exc)
        return None, 413 if isinstance(exc, LimitExceeded) else 422


def _upload_reports(st, who: Caller, path: Path, body: dict) -> tuple[int, dict]:
    batch, status = _parse(parse_report_file, path, body)
    if batch is None:
        return status, body
    if batch.errors:
        body["errors"] = _errors(batch.errors)
        body["summary"] = f"{path.name}：发现 {len(batch.errors)} 处错误，整个文件未入库，请修正后重新上传。"
        return 422, body
    with st.warehouse() as wh:
        outside = []
        for r in batch.reports.itertuples(index=False):
            ent = reports_service.enterprise_of(wh, r.uscc)
            if ent is not None and not who.scope.covers(ent["region"]):
                outside.append({"file": path.name, "row": int(r.source_row), "column": "统一社会信用代码",
                                "value": r.uscc, "reason": "该企业不在本账号的地区范围内，不能代为报送"})
        if outside:
            body["errors"], body["summary"] = outside, "文件中含有超出本账号地区范围的企业，整个文件未入库。"
            return 403, body
        try:
            summary = load_reports(wh, batch)
        except IngestError as exc:
            body["errors"], body["summary"] = _errors(exc.errors), str(exc.args[0])
            return 422, body
    body.update(ok=True, summary=summary.text_zh())
    return 200, body


def _upload_statistics(st, who: Caller, path: Path, body: dict) -> tuple[int, dict]:
    from yacang.warehouse.load import parse_file

    batch, status = _parse(parse_file, path, body)
    if batch is None:
        return status, body
    if batch.errors:
        body["errors"] = _errors(batch.errors[: LIMITS.max_errors])
        body["summary"] = f"{path.name}：发现 {len(batch.errors)} 处错误，整个文件未入库，请修正后重新上传。"
        return 422, body
    if batch.observations.empty:
        body["summary"] = f"{path.name}：文件中没有可导入的数据（只有表头或全部为空），未导入。"
        return 422, body
    if not who.scope.is_admin:
        regions = set(batch.series["region"].dropna()) if not batch.series.empty else set()
        bad = sorted(str(r) for r in regions if not who.scope.covers(str(r)))
        if bad:
            body["errors"] = _errors(_outside_rows(st, batch, bad, path.name)[: LIMITS.max_errors])
            body["summary"] = f"文件含有超出本账号地区范围的地区：{'、'.join(bad[:10])}，整个文件未入库。"
            return 403, body
    with st.warehouse() as wh:
        if provenance(wh).is_demo:
            body["summary"] = (f"{path.name}：数据仓库中是示例数据（yacang demo 生成），真实数据不能与之混用，整个文件未入库。"
                               "请管理员为真实数据另设数据目录（YACANG_HOME）并在其上启动服务后再上传。")
            return 409, body
        try:
            result = wh.write_batch(batch)
        except IngestError as exc:
            body["errors"], body["summary"] = _errors(exc.errors), str(exc.args[0] if exc.args else exc)
            return 422, body
    body.update(ok=True, summary=batch_summary_zh(result))
    return 200, body


def _outside_rows(st, batch, codes: list[str], file: str) -> list:
    """The first row of each out-of-scope region, located, so the uploader sees which lines to remove."""
    from yacang.ingest.batch import RowError

    region_of = batch.series.set_index("series_id")["region"].astype(str)
    obs = batch.observations.assign(region=batch.observations["series_id"].map(region_of))
    first = obs[obs["region"].isin(codes)].sort_values("source_row").drop_duplicates("region")
    return [RowError(file, int(r.source_row), "地区", r.region,
                     f"{region_label(r.region, st.regions)}超出本账号的地区范围，"
                     "请删去该地区的行，或由该地区的人员上传") for r in first.itertuples(index=False)]


def batch_summary_zh(result) -> str:
    """A loader's BatchResult in one Chinese line (修订 counts changed values; flags-only rows apart)."""
    if hasattr(result, "text_zh"):
        return result.text_zh()
    again = "（该文件此前已导入，内容相同）" if getattr(result, "already_loaded", False) else ""
    return (f"{Path(str(result.source_file)).name}：{result.n_series} 个序列、{result.n_observations} 个观测值，"
            f"{change_counts_zh(result)}{again}")


@router.post("/uploads", summary="上传数据文件（统计数据或企业月报），返回逐行校验结果")
def upload(request: Request, file: UploadFile = File(...), kind: Literal["statistics", "reports"] = Form("reports"),
           who: Caller = Depends(official_writer), session: Session = Depends(db)):
    st = state(request)
    path = save_upload(st, file)
    audit.record(session, "upload", user_id=who.user.id, username=who.username, target=path.name,
                 detail={"kind": kind, "status": "started"}, ip=client_ip(request))
    session.flush()  # the audit row is written before the warehouse is
    status, body = upload_file(st, who, path, kind)
    if status == 200:
        st.changed()
    audit.record(session, "upload" if status == 200 else "denied" if status == 403 else "upload_failed",
                 user_id=who.user.id, username=who.username, target=path.name,
                 detail={"kind": kind, "status": status, "errors": len(body["errors"])}, ip=client_ip(request))
    session.commit()
    if status != 200:
        raise HTTPException(status, body)
    return body


class BulletinIn(BaseModel):
    period: str = Field(max_length=16)
    region: str = NATION
    formats: list[Literal["html", "pdf", "docx", "xlsx"]] = Field(default_factory=lambda: ["html", "xlsx"])


def bulletin_root(st) -> Path:
    """The configured bulletin folder (read on each request); a broken yacang.toml is a 500 that says so."""
    from yacang.job_config import ConfigError

    try:
        return st.bulletin_root()
    except ConfigError as exc:
        raise HTTPException(500, f"服务器的配置文件有误，无法确定通报目录：{exc}") from None


def bulletin_dir(st, region: str) -> Path:
    return bulletin_root(st) / region


def region_code(st, text: str) -> str:
    """A bulletin's region from a code or a name (深圳, 广东省): 422 with the reason when it names none."""
    from yacang.catalog.regions import RegionError

    text = (text or "").strip()
    if text.isdigit():
        return check_code(text)
    try:
        return st.regions.resolve(text).code
    except RegionError as exc:
        raise HTTPException(422, str(exc)) from None


def _month_code(period: str) -> str:
    try:
        p = parse_period(period)
    except PeriodError as exc:
        raise HTTPException(422, f"时期“{period}”无法识别：{exc}") from None
    if p.kind not in ("month", "jan_feb"):
        raise HTTPException(422, f"通报按月编制：时期应为月份（如 2022-03 或 2022-01/02），收到 {period}")
    return reporting_period(p)[0].code  # 2022-01 is filed as the 1-2月 it is built for


@router.post("/bulletins", summary="生成通报（本地区及下级）")
def generate(body: BulletinIn, request: Request, who: Caller = Depends(official_writer),
             session: Session = Depends(db)) -> dict:
    st = state(request)
    code = region_code(st, body.region)
    if not who.scope.covers(code):
        from yacang.web.deps import deny

        deny(request, who, 403, f"无权生成地区 {code} 的通报（超出本账号的地区范围）", "region", target=code)
    period = _month_code(body.period)  # validated before any directory is made from it
    out = bulletin_dir(st, code) / period.replace("/", "_")
    try:
        with st.reader() as wh:  # a pure read: never waits for a job or blocks a write
            doc = build_full_bulletin(wh, parse_period(period), code)
        out.mkdir(parents=True, exist_ok=True)
        # the same 公文 metadata, register row (version) and audit entry as ``yacang report bulletin``
        paths, _ = issue_bulletin(doc, out, list(body.formats), session=session, issued_by=who.username,
                                  channel="web", user_id=who.user.id, ip=client_ip(request))
    except (ReportError, JobError, ValueError, LookupError) as exc:
        raise HTTPException(422, f"无法生成通报：{exc}") from None
    return {"ok": True, "files": [f"/api/bulletins/{code}/{p.parent.name}/{p.name}" for p in paths]}


@router.get("/bulletins", summary="已生成的通报（本账号地区范围内）")
def list_bulletins(request: Request, region: str | None = None, who: Caller = Depends(statistics_reader)) -> list[dict]:
    st = state(request)
    root = bulletin_root(st)
    out = []
    if root.is_dir():
        for rdir in sorted(root.iterdir()):
            if not who.scope.covers(rdir.name) or (region and rdir.name != region):
                continue
            for f in sorted(rdir.glob("*/*")):
                out.append({"region": rdir.name, "period": f.parent.name, "name": f.name,
                            "url": f"/api/bulletins/{rdir.name}/{f.parent.name}/{f.name}"})
    return out


@router.get("/bulletins/{region}/{period}/{name}", summary="下载通报（记入审计）")
def download(region: str, period: str, name: str, request: Request, who: Caller = Depends(statistics_reader),
             session: Session = Depends(db)):
    code = check_code(region)
    require_region(who, code)
    if not who.scope.covers(code):
        raise HTTPException(403, f"无权下载地区 {code} 的通报")
    st = state(request)
    base = bulletin_dir(st, code).resolve()
    path = (base / period / name).resolve()
    if not path.is_relative_to(base) or not path.is_file():
        raise HTTPException(404, "没有该通报文件")
    audit.record(session, "export", user_id=who.user.id, username=who.username, target=f"bulletin:{code}/{period}/{name}",
                 ip=client_ip(request))
    return FileResponse(path, filename=name)


def remove_upload_dir(path: Path) -> None:
    """Remove an upload's private folder (the file has been loaded or refused)."""
    shutil.rmtree(path.parent, ignore_errors=True)

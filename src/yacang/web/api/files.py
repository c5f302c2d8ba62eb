"""Uploads of source files (statistics or enterprise report workbooks) and bulletins (generate, download)."""

from __future__ import annotations

import logging
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
from yacang.catalog.regions import NATION
from yacang.ingest.errors import IngestError
from yacang.web import integrations, reports_service
from yacang.web.api.stats import check_code
from yacang.web.deps import Caller, client_ip, db, official_writer, require_region, state, statistics_reader

router = APIRouter(tags=["数据与通报"])
log = logging.getLogger(__name__)
MAX_UPLOAD = 50 * 1024 * 1024
SAFE_NAME = re.compile(r"[^\w.\-\u4e00-\u9fff]+")


def _errors(errs) -> list[dict]:
    return [{"file": e.file, "row": e.row, "column": e.column, "value": e.value, "reason": e.reason} for e in errs]


def save_upload(st, upload: UploadFile) -> Path:
    name = SAFE_NAME.sub("_", Path(upload.filename or "upload").name) or "upload"
    folder = st.home / "uploads" / uuid.uuid4().hex[:12]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    size = 0
    with path.open("wb") as fh:
        while chunk := upload.file.read(1 << 20):
            size += len(chunk)
            if size > MAX_UPLOAD:
                raise HTTPException(413, "文件超过 50MB，请拆分后上传")
            fh.write(chunk)
    return path


def upload_file(st, who: Caller, path: Path, kind: str) -> tuple[int, dict]:
    """Validate and load an uploaded file; returns (HTTP status, body with located row errors)."""
    body: dict = {"file": path.name, "kind": kind, "ok": False, "errors": [], "summary": ""}
    with st.warehouse() as wh:
        if kind == "reports":
            try:
                batch = integrations.parse_report_file(path)
            except IngestError as exc:
                body["errors"], body["summary"] = _errors(exc.errors), str(exc.args[0])
                return 422, body
            if batch.errors:
                body["errors"] = _errors(batch.errors)
                body["summary"] = f"{path.name}：发现 {len(batch.errors)} 处错误，整个文件未入库，请修正后重新上传。"
                return 422, body
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
                summary = integrations.load_reports(wh, batch)
            except IngestError as exc:
                body["errors"], body["summary"] = _errors(exc.errors), str(exc.args[0])
                return 422, body
            body.update(ok=True, summary=summary.text_zh())
            return 200, body
        # statistics
        if not who.scope.is_admin:
            parsed = integrations.parse_statistics_file(path)
            if parsed is None:
                raise HTTPException(403, "仅系统管理员可上传统计数据文件（无法预先核对文件中的地区范围）")
            regions = set(parsed.series["region"].dropna()) if not parsed.series.empty else set()
            bad = sorted(r for r in regions if not who.scope.covers(str(r)))
            if bad:
                body["summary"] = f"文件含有超出本账号地区范围的地区：{'、'.join(bad[:10])}，整个文件未入库。"
                return 403, body
        try:
            result = integrations.load_statistics_file(wh, path)
        except IngestError as exc:
            body["errors"], body["summary"] = _errors(exc.errors), str(exc.args[0] if exc.args else exc)
            return 422, body
        body.update(ok=True, summary=integrations.batch_summary_zh(result))
        return 200, body


@router.post("/uploads", summary="上传数据文件（统计数据或企业月报），返回逐行校验结果")
def upload(request: Request, file: UploadFile = File(...), kind: Literal["statistics", "reports"] = Form("reports"),
           who: Caller = Depends(official_writer), session: Session = Depends(db)):
    st = state(request)
    path = save_upload(st, file)
    status, body = upload_file(st, who, path, kind)
    if status == 200:
        st.changed()
    audit.record(session, "upload", user_id=who.user.id, username=who.username, target=path.name,
                 detail={"kind": kind, "status": status, "errors": len(body["errors"])}, ip=client_ip(request))
    if status != 200:
        session.commit()
        raise HTTPException(status, body)
    return body


class BulletinIn(BaseModel):
    period: str
    region: str = NATION
    formats: list[Literal["html", "pdf", "docx", "xlsx"]] = Field(default_factory=lambda: ["html", "xlsx"])


def bulletin_dir(st, region: str) -> Path:
    return st.output_dir / "web-bulletins" / region


@router.post("/bulletins", summary="生成通报（本地区及下级）")
def generate(body: BulletinIn, request: Request, who: Caller = Depends(official_writer),
             session: Session = Depends(db)) -> dict:
    code = check_code(body.region)
    if not who.scope.covers(code):
        raise HTTPException(403, f"无权生成地区 {code} 的通报（超出本账号的地区范围）")
    st = state(request)
    out = bulletin_dir(st, code) / body.period.replace("/", "_")
    out.mkdir(parents=True, exist_ok=True)
    known = (ValueError, LookupError, *integrations.report_errors())
    try:
        with st.warehouse() as wh:
            doc = integrations.build_bulletin(wh, body.period, code, st.regions)
        paths = integrations.write_bulletin(doc, out, list(body.formats))
    except known as exc:
        raise HTTPException(422, f"无法生成通报：{exc}") from None
    except Exception as exc:
        log.exception("bulletin generation failed")
        raise HTTPException(500, f"通报生成失败（内部错误：{type(exc).__name__}），请联系系统管理员查看服务日志。") from None
    audit.record(session, "bulletin", user_id=who.user.id, username=who.username, target=f"{code}:{body.period}",
                 detail={"formats": body.formats}, ip=client_ip(request))
    return {"ok": True, "files": [f"/api/bulletins/{code}/{p.parent.name}/{p.name}" for p in paths]}


@router.get("/bulletins", summary="已生成的通报（本账号地区范围内）")
def list_bulletins(request: Request, region: str | None = None, who: Caller = Depends(statistics_reader)) -> list[dict]:
    st = state(request)
    root = st.output_dir / "web-bulletins"
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
    shutil.rmtree(path.parent, ignore_errors=True)

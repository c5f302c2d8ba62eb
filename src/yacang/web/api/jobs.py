"""Jobs: CLI commands sent to the running server (one writer), their progress and output."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from yacang.auth import audit
from yacang.service.client import TOKEN_HEADER
from yacang.service.jobs import JobRejected
from yacang.web.deps import Caller, client_ip, db, optional_caller, state

router = APIRouter(tags=["作业"])


class JobIn(BaseModel):
    argv: list[str] = Field(..., max_length=200, description="yacang 命令的参数，如 [\"run\", \"--period\", \"2022-03\"]")
    cwd: str | None = Field(None, max_length=4096, description="命令行的工作目录（相对路径按它解释）")


def _local_cli(request: Request) -> bool:
    """The caller holds the job token of this server's home (a CLI command of the same machine and user)."""
    st = state(request)
    sent = request.headers.get(TOKEN_HEADER, "")
    return bool(st.job_token) and bool(sent) and hmac.compare_digest(sent.encode(), st.job_token.encode())


def _require_viewer(request: Request, who: Caller | None) -> None:
    if _local_cli(request) or (who is not None and who.scope.is_admin):
        return
    if who is None:
        raise HTTPException(401, "请先登录")
    raise HTTPException(403, "仅系统管理员可查看作业")


@router.post("/jobs", summary="提交作业（仅本机命令行，凭服务的作业令牌）")
def submit(body: JobIn, request: Request, session: Session = Depends(db)) -> dict:
    if not _local_cli(request):
        audit.record(session, "denied", username="", target="/api/jobs",
                     detail={"reason": "job token", "status": 403}, ip=client_ip(request))
        session.commit()
        raise HTTPException(403, "提交作业需要本机服务的作业令牌（由 yacang 命令行自动使用）")
    try:
        job = state(request).jobs.submit(body.argv, "本机命令行", cwd=body.cwd)
    except JobRejected as exc:
        raise HTTPException(422, str(exc)) from None
    audit.record(session, "job_submit", username="cli", target=job.id, detail={"argv": body.argv},
                 ip=client_ip(request))
    return job.as_dict()


@router.get("/jobs", summary="作业列表（系统管理员）")
def list_jobs(request: Request, who: Caller | None = Depends(optional_caller)) -> list[dict]:
    _require_viewer(request, who)
    return [{k: v for k, v in j.as_dict().items() if k != "lines"} for j in state(request).jobs.list()]


@router.get("/jobs/{job_id}", summary="作业进度与输出")
def show(job_id: str, request: Request, since: int = 0, who: Caller | None = Depends(optional_caller)) -> dict:
    _require_viewer(request, who)
    job = state(request).jobs.get(job_id)
    if job is None:
        raise HTTPException(404, f"没有作业 {job_id}")
    return job.as_dict(max(0, since))

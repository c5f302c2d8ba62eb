"""The CLI's side: send a command to the running server's job queue and relay its output."""

from __future__ import annotations

import contextlib
import json
import sys
import time
import urllib.error
import urllib.request

from yacang.service.server_file import ServerInfo

TOKEN_HEADER = "X-Yacang-Job-Token"


class ServiceError(RuntimeError):
    """The server could not take or report the job (Chinese message)."""


def _call(info: ServerInfo, method: str, path: str, body: dict | None = None, timeout: float = 30) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(info.url + path, data=data, method=method,
                                 headers={TOKEN_HEADER: info.token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return json.loads(resp.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")
        with contextlib.suppress(ValueError):  # a JSON error body: show its detail
            detail = json.loads(detail).get("detail", detail)
        raise ServiceError(f"服务拒绝了作业（HTTP {exc.code}）：{detail}") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        raise ServiceError(f"无法连接正在运行的 yacang 服务（{info.url}，进程 {info.pid}）：{exc}。"
                           "若服务已停止，请删除 YACANG_HOME/server.json 后重试。") from None


def run_through_server(info: ServerInfo, argv: list[str], *, poll: float = 0.5, out=None,
                       start_wait: float = 60) -> int:
    """Submit ``argv`` as a job, print its output as it comes, and return its exit code.

    A server that has just announced itself may not accept connections yet: the submission is retried
    for up to ``start_wait`` seconds before failing."""
    import os

    out = out or sys.stdout
    deadline = time.monotonic() + start_wait
    while True:
        try:
            job = _call(info, "POST", "/api/jobs", {"argv": argv, "cwd": os.getcwd()})
            break
        except ServiceError:
            if time.monotonic() >= deadline or not _starting(info):
                raise
            time.sleep(0.5)
    print(f"服务（{info.url}）正在运行，本命令已作为作业 {job['id']} 提交，由服务执行：", file=sys.stderr)
    since = 0
    while True:
        job = _call(info, "GET", f"/api/jobs/{job['id']}?since={since}")
        for line in job["lines"]:
            print(line, file=out)
        since = job["next"]
        if job["state"] in ("done", "failed"):
            out.flush()
            return int(job["exit_code"] or 0) if job["state"] == "done" else int(job["exit_code"] or 1)
        time.sleep(poll)


def _starting(info: ServerInfo) -> bool:
    """The server's process is alive but its port does not accept connections yet."""
    import socket

    from yacang.service.server_file import _alive

    if not _alive(info.pid):
        return False
    try:
        with socket.create_connection((info.url.split("//")[1].split(":")[0], info.port), timeout=1):
            return False
    except OSError:
        return True

"""The CLI's side: send a command to the running server's job queue and relay its output."""

from __future__ import annotations

import contextlib
import json
import sys
import time
import urllib.error
import urllib.request

from yacang.service.server_file import ServerInfo, ServiceError

TOKEN_HEADER = "X-Yacang-Job-Token"
__all__ = ["TOKEN_HEADER", "ServiceError", "run_through_server"]


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


def run_through_server(info: ServerInfo, argv: list[str], *, poll: float = 0.5, out=None, err=None,
                       start_wait: float = 60) -> int:
    """Submit ``argv`` as a job, print its output as it comes (what the command wrote to stderr to ``err``,
    default this process's stderr), and return its exit code.

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
    try:
        return _relay(info, job["id"], poll, out, err or sys.stderr)
    except KeyboardInterrupt:
        print(f"\n已停止显示输出（Ctrl-C）。作业 {job['id']} 仍由服务执行（排队中的作业也会执行），"
              "可在网页“作业”列表查看其进度与结果。", file=sys.stderr)
        return INTERRUPTED


INTERRUPTED = 130  # the shell's code for a command stopped by Ctrl-C


def _relay(info: ServerInfo, job_id: str, poll: float, out, err) -> int:
    """Print the job's output as it comes, each line to the stream the command wrote it to; its exit code
    once it has ended."""
    since, told_queued = 0, False
    while True:
        job = _call(info, "GET", f"/api/jobs/{job_id}?since={since}")
        if job["state"] == "queued" and not told_queued:  # silence while another job runs looked like a hang
            print("作业排队中：服务正在执行其他作业（一次执行一个），完成后即开始本作业…", file=err)
            err.flush()
            told_queued = True
        to_err = set(job.get("stderr", ()))
        for i, line in enumerate(job["lines"]):
            print(line, file=err if i in to_err else out)
        if to_err:
            err.flush()
        since = job["next"]
        if job["state"] in ("done", "failed"):
            out.flush()
            code = job["exit_code"]
            if job["state"] == "done":
                return 0
            return code if isinstance(code, int) and code != 0 else 1
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

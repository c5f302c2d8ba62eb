"""The server's job queue: CLI commands (ingest, run, bulletin …) run one at a time in the server
process, holding the warehouse's write lock, with their output kept line by line for the CLI and web.
The queue knows nothing of the CLI: the web app gives it the runner."""

from __future__ import annotations

import datetime as dt
import queue
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

STATE_ZH = {"queued": "排队中", "running": "运行中", "done": "已完成", "failed": "失败"}
# Commands that never run as jobs: they start servers, only touch local files, or prompt at the terminal
# (``users add`` asks for a password: in the server it would read the server's stdin and stall the queue).
NOT_A_JOB = frozenset({"serve", "version", "init", "schedule", "users"})


# Runs ``yacang <argv>`` with output to a sink (called with stdout text; its ``err`` attribute, when
# present, takes stderr text), from a directory; returns the exit code (the CLI's
# :func:`yacang.cli.inprocess.run_cli`, passed in by the web app).
Runner = Callable[[list[str], Callable[[str], int], "str | None"], int]


class JobRejected(ValueError):
    """The arguments are not a command the server runs as a job (Chinese message)."""


@dataclass
class Job:
    id: str
    argv: list[str]
    submitted_by: str
    cwd: str | None = None  # the submitting command's directory: relative paths are read from there
    state: str = "queued"
    exit_code: int | None = None
    lines: list[str] = field(default_factory=list)
    stderr: list[int] = field(default_factory=list)  # indices of the lines the command wrote to stderr
    created_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    _partial: dict[bool, str] = field(default_factory=lambda: {False: "", True: ""})  # by "is stderr"

    def write(self, text: str) -> int:
        """The command's stdout."""
        return self._add(text, err=False)

    def write_err(self, text: str) -> int:
        """The command's stderr (kept apart, so that the CLI relays it to its own stderr)."""
        return self._add(text, err=True)

    def _add(self, text: str, *, err: bool) -> int:
        *done, self._partial[err] = (self._partial[err] + text).split("\n")
        for line in done:
            self._line(line, err)
        return len(text)

    def _line(self, line: str, err: bool) -> None:
        if err:
            self.stderr.append(len(self.lines))
        self.lines.append(line)

    def close_output(self) -> None:
        for err in (False, True):
            if self._partial[err]:
                self._line(self._partial[err], err)
                self._partial[err] = ""

    def as_dict(self, since: int = 0) -> dict:
        """The job and its output from line ``since``; the state is read before the lines (a job seen
        ended has all its lines), and ``next`` counts exactly the lines returned, while the job writes."""
        state, exit_code = self.state, self.exit_code
        lines = self.lines[since:]
        end = since + len(lines)
        return {"id": self.id, "argv": self.argv, "command": "yacang " + " ".join(self.argv),
                "state": state, "state_zh": STATE_ZH[state], "exit_code": exit_code,
                "submitted_by": self.submitted_by, "created_at": _iso(self.created_at),
                "started_at": _iso(self.started_at), "finished_at": _iso(self.finished_at),
                "lines": lines, "next": end,
                "stderr": [i - since for i in self.stderr if since <= i < end]}  # positions in "lines"


class _Sink:
    """What a runner writes to: called with stdout text; ``err`` takes stderr text."""

    def __init__(self, job: Job) -> None:
        self._job = job
        self.err = job.write_err

    def __call__(self, text: str) -> int:
        return self._job.write(text)


def _iso(t: dt.datetime | None) -> str | None:
    return t.isoformat() if t else None


def check_argv(argv: list[str]) -> list[str]:
    """Arguments a job may run: a non-empty list of strings naming a yacang command that is not local-only."""
    if not isinstance(argv, list) or not argv or not all(isinstance(a, str) for a in argv):
        raise JobRejected("作业参数应为非空的字符串列表，如 [\"run\", \"--period\", \"2022-03\"]")
    if argv[0].startswith("-") or argv[0] in NOT_A_JOB:
        raise JobRejected(f"命令 {argv[0]!r} 不在服务中作为作业运行")
    return argv


class JobQueue:
    """One worker thread; ``run_lock`` is held while a job runs (the warehouse's single writer)."""

    def __init__(self, run_lock: threading.RLock, runner: Runner, on_done: Callable[[Job], None] | None = None,
                 keep: int = 200) -> None:
        self._run_lock = run_lock
        self._runner = runner
        self._on_done = on_done
        self._keep = keep
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None

    def submit(self, argv: list[str], submitted_by: str, cwd: str | None = None) -> Job:
        if cwd is not None and not Path(cwd).is_dir():
            raise JobRejected(f"工作目录不存在：{cwd}")
        job = Job(id=uuid.uuid4().hex[:12], argv=check_argv(argv), submitted_by=submitted_by, cwd=cwd)
        with self._lock:
            self._jobs[job.id] = job
            self._trim()
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._work, name="yacang-jobs", daemon=True)
                self._worker.start()
        self._queue.put(job)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def list(self) -> list[Job]:
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: j.created_at, reverse=True)

    def stop(self) -> None:
        self._queue.put(None)

    def _trim(self) -> None:
        done = [j for j in sorted(self._jobs.values(), key=lambda j: j.created_at) if j.state in ("done", "failed")]
        for j in done[: max(0, len(self._jobs) - self._keep)]:
            del self._jobs[j.id]

    def _work(self) -> None:
        stopped = False
        try:
            while True:
                job = self._queue.get()
                if job is None:
                    stopped = True
                    return
                self._run(job)
        finally:
            # a command that raised (a bug) ends this thread with its traceback in the server's log; the
            # jobs queued behind it get a fresh worker
            with self._lock:
                if not stopped and not self._queue.empty():
                    self._worker = threading.Thread(target=self._work, name="yacang-jobs", daemon=True)
                    self._worker.start()

    def _run(self, job: Job) -> None:
        job.state, job.started_at = "running", dt.datetime.now(dt.UTC)
        code: int | None = None
        try:
            with self._run_lock:
                code = self._runner(job.argv, _Sink(job), job.cwd)
        finally:
            job.close_output()
            if code is None:
                job.lines.append("作业因内部错误中止（错误详情见服务日志）")
            job.exit_code = 1 if code is None else code
            job.state = "done" if code == 0 else "failed"
            job.finished_at = dt.datetime.now(dt.UTC)
            if self._on_done is not None:
                self._on_done(job)

"""The job queue: a command that raises is reported failed with a message (its traceback goes to the
server's log, not swallowed), and the jobs queued behind it still run."""

from __future__ import annotations

import threading
import time

import pytest

from yacang.service.jobs import JobQueue, JobRejected, check_argv


def test_a_crashing_command_fails_its_job_and_the_next_job_runs():
    def runner(argv, sink, cwd):
        if argv[0] == "boom":
            raise RuntimeError("bug in a command")
        sink("ok\n")
        return 0

    q = JobQueue(threading.RLock(), runner)
    original = threading.excepthook
    threading.excepthook = lambda args: None  # the traceback would go to the server log
    try:
        bad = q.submit(["boom"], "test")
        good = q.submit(["run"], "test")
        deadline = time.monotonic() + 10
        while good.state not in ("done", "failed") and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        threading.excepthook = original
    assert bad.state == "failed" and bad.exit_code == 1 and "内部错误" in bad.lines[-1]
    assert good.state == "done" and good.lines == ["ok"]


def test_commands_that_prompt_or_start_servers_are_not_jobs():
    for argv in (["users", "add", "admin", "--role", "admin"], ["serve"], ["schedule"], ["--help"]):
        with pytest.raises(JobRejected, match="不在服务中作为作业运行"):
            check_argv(argv)
    assert check_argv(["run", "--period", "2022-03"]) == ["run", "--period", "2022-03"]


def test_a_jobs_stderr_lines_are_marked_apart_from_its_output():
    def runner(argv, sink, cwd):
        sink("a,b\n1,")
        sink.err("注：2022-02 即 1-2月\n")
        sink("2\n")
        return 0

    q = JobQueue(threading.RLock(), runner)
    job = q.submit(["microdata", "late"], "test")
    deadline = time.monotonic() + 10
    while job.state != "done" and time.monotonic() < deadline:
        time.sleep(0.02)
    # a stderr line between two halves of an output line does not split it
    assert job.lines == ["a,b", "注：2022-02 即 1-2月", "1,2"]
    assert job.as_dict()["stderr"] == [1]
    assert job.as_dict(since=1)["stderr"] == [0] and job.as_dict(since=2)["stderr"] == []


def test_a_command_run_as_a_job_writes_its_errors_to_the_err_sink(yacang_home):
    from yacang.cli.inprocess import run_cli

    out: list[str] = []
    err: list[str] = []

    class Sink:
        def __call__(self, text: str) -> int:
            out.append(text)
            return len(text)

        def err(self, text: str) -> int:
            err.append(text)
            return len(text)

    assert run_cli(["series", "show", "--indicator", "nope"], Sink()) == 1
    assert "".join(out) == ""
    assert "没有 nope/yoy/100000/TOTAL 的序列" in "".join(err)


def test_a_line_written_while_the_output_is_read_is_not_skipped():
    from yacang.service.jobs import Job

    class Racing(list):
        """A job's lines to which the command adds one just after a reader has taken its slice."""

        def __getitem__(self, index):
            taken = super().__getitem__(index)
            if isinstance(index, slice) and len(self) < 3:
                self.append("written meanwhile")
            return taken

    job = Job(id="j", argv=["run"], submitted_by="test")
    job.lines = Racing(["first", "second"])
    seen = job.as_dict(0)
    assert seen["lines"] == ["first", "second"] and seen["next"] == 2
    assert job.as_dict(seen["next"])["lines"] == ["written meanwhile"]

"""The job queue: a command that raises is reported failed with a message (its traceback goes to the
server's log, not swallowed), and the jobs queued behind it still run."""

from __future__ import annotations

import threading
import time

from yacang.service.jobs import JobQueue


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

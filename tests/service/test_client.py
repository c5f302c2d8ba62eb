"""The CLI's side of a server job: Ctrl-C stops the relay, not the job, and says so; exit codes are relayed."""

from __future__ import annotations

import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from yacang.service import client
from yacang.service.server_file import ServerInfo


def _fake_server(state: str, exit_code: int | None, *, replies=None):
    """A server whose one job is in ``state`` with ``exit_code``, one line of output and one of errors; or,
    with ``replies``, whose job answers each poll with the next of them."""
    answers = replies or iter(lambda: {"id": "job1", "state": state, "exit_code": exit_code,
                                       "lines": ["注：提示", "一行输出"], "next": 2, "stderr": [0]}, None)

    class Handler(BaseHTTPRequestHandler):
        def _send(self, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            self._send({"id": "job1", "state": "queued"})

        def do_GET(self):
            self._send(next(answers))

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.parametrize(("state", "code", "expected"), [("done", 0, 0), ("failed", 2, 2), ("failed", None, 1)])
def test_the_jobs_exit_code_is_the_commands(state, code, expected):
    server = _fake_server(state, code)
    try:
        info = ServerInfo("127.0.0.1", server.server_port, 1, "t")
        out, err = io.StringIO(), io.StringIO()
        assert client.run_through_server(info, ["run"], out=out, err=err, poll=0.01) == expected
        assert out.getvalue() == "一行输出\n" and err.getvalue() == "注：提示\n"  # each to its own stream
    finally:
        server.shutdown()


def test_ctrl_c_stops_the_relay_and_says_the_job_goes_on(monkeypatch, capsys):
    server = _fake_server("running", None)
    caller, real_sleep = threading.get_ident(), time.sleep

    def interrupted(seconds):  # time.sleep is the one module's: other threads (Spark's, on this worker) sleep on
        if threading.get_ident() != caller:
            return real_sleep(seconds)
        raise KeyboardInterrupt

    monkeypatch.setattr(client.time, "sleep", interrupted)
    try:
        info = ServerInfo("127.0.0.1", server.server_port, 1, "t")
        assert client.run_through_server(info, ["run"], out=io.StringIO()) == 130
    finally:
        server.shutdown()
    err = capsys.readouterr().err
    assert "job1" in err and "仍由服务执行" in err


def test_a_queued_job_says_it_waits_for_the_one_running():
    """While another job runs, the relay said nothing at all: it says once that the job is queued."""
    waiting = {"id": "job1", "state": "queued", "exit_code": None, "lines": [], "next": 0, "stderr": []}
    done = {"id": "job1", "state": "done", "exit_code": 0, "lines": ["完成"], "next": 1, "stderr": []}
    server = _fake_server("", None, replies=iter([waiting, waiting, done]))
    try:
        out, err = io.StringIO(), io.StringIO()
        info = ServerInfo("127.0.0.1", server.server_port, 1, "t")
        assert client.run_through_server(info, ["run"], out=out, err=err, poll=0.01) == 0
    finally:
        server.shutdown()
    assert err.getvalue().count("作业排队中") == 1 and out.getvalue() == "完成\n"

"""One writer, many readers: ``yacang serve`` owns the warehouse; CLI commands of the same home run as
its jobs, concurrently submitted; pages keep answering while a job writes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

NBS_EXPORT = "nbs_official_export_iva_ppi/original_reconstructed"
CLI = [sys.executable, "-c", "from yacang.cli import main; main()"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"server did not answer at {url}")


def _token(home: Path) -> str:
    """An officer's API token in the home's app database (made before the server starts)."""
    from yacang.appdb.base import get_engine, session_scope
    from yacang.appdb.migrate import upgrade
    from yacang.auth import service

    url = f"sqlite:///{home / 'app.sqlite'}"
    upgrade(url)
    with session_scope(get_engine(url)) as s:
        user = service.add_user(s, "analyst1", "a-long-enough-password-1", "analyst")
        return service.create_token(s, user, "test")


@pytest.mark.slow
def test_cli_commands_run_through_the_server_while_pages_answer(tmp_path, shared_data):
    home = tmp_path / "home"
    home.mkdir()
    # both jobs load the real NBS export (real files never go into a demo warehouse, so the order in which
    # the server runs the two jobs must not matter): yacang run from [sources], yacang ingest by name
    (tmp_path / "yacang.toml").write_text(f'[yacang]\nformats = ["html"]\n\n[sources]\n'
                                           f'files = ["{shared_data / NBS_EXPORT}/*.csv"]\n', encoding="utf-8")
    env = {**os.environ, "YACANG_HOME": str(home), "YACANG_APP_DB_URL": ""}
    token = _token(home)
    port = _free_port()
    server = subprocess.Popen([*CLI, "serve", "--port", str(port)], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_http(base + "/login")
        info = json.loads((home / "server.json").read_text())
        assert info["port"] == port and (home / "server.json").stat().st_mode & 0o777 == 0o600

        latencies: list[float] = []
        statuses: list[int] = []
        stop = threading.Event()

        def read_pages() -> None:
            req = urllib.request.Request(base + "/api/overview", headers={"Authorization": f"Bearer {token}"})
            while not stop.is_set():
                t0 = time.monotonic()
                with urllib.request.urlopen(req, timeout=30) as r:
                    statuses.append(r.status)
                latencies.append(time.monotonic() - t0)
                time.sleep(0.2)

        reader = threading.Thread(target=read_pages, daemon=True)
        reader.start()
        files = sorted(str(p) for p in (shared_data / NBS_EXPORT).glob("*.csv"))
        ingest = subprocess.Popen([*CLI, "ingest", *files], cwd=tmp_path, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        run = subprocess.Popen([*CLI, "run"], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        out_ingest, _ = ingest.communicate(timeout=900)
        out_run, _ = run.communicate(timeout=900)
        stop.set()
        reader.join(timeout=60)

        assert ingest.returncode == 0, out_ingest
        assert run.returncode == 0, out_run
        assert "由服务执行" in out_ingest and "由服务执行" in out_run  # both went through the server
        assert "新增 1622" in out_ingest or "新增" in out_ingest
        # the job wrote its bulletin relative to the command's own directory
        assert list((tmp_path / "yacang-output").glob("*.html"))
        # pages answered during the jobs, every time, and fast
        assert len(latencies) >= 5 and set(statuses) == {200}
        assert max(latencies[1:]) < 1.0, latencies
        # both jobs ran on the server, one after the other
        from yacang.service.client import TOKEN_HEADER

        req = urllib.request.Request(base + "/api/jobs", headers={TOKEN_HEADER: info["token"]})
        with urllib.request.urlopen(req, timeout=10) as r:
            jobs = json.loads(r.read())
        assert sorted(j["argv"][0] for j in jobs) == ["ingest", "run"]
        assert {j["state"] for j in jobs} == {"done"}
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert not (home / "server.json").exists()  # removed when the server stops


def test_workers_other_than_one_are_refused_with_a_reason(tmp_path):
    env = {**os.environ, "YACANG_HOME": str(tmp_path / "home")}
    r = subprocess.run([*CLI, "serve", "--workers", "2"], cwd=tmp_path, env=env, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 1 and "只允许一个进程写入" in r.stderr


def test_a_job_without_the_servers_token_is_refused(tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    from yacang.settings import reset_settings
    from yacang.warehouse import Warehouse
    from yacang.web import create_app

    monkeypatch.setenv("YACANG_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("YACANG_JOB_TOKEN", "the-real-token")
    reset_settings()
    app = create_app(warehouse=Warehouse.memory(), app_db_url=f"sqlite:///{tmp_path / 'app.sqlite'}")
    client = TestClient(app)
    assert client.post("/api/jobs", json={"argv": ["version"]}).status_code == 403
    assert client.post("/api/jobs", json={"argv": ["run"]}, headers={"X-Yacang-Job-Token": "guess"}).status_code == 403
    r = client.post("/api/jobs", json={"argv": ["serve"]}, headers={"X-Yacang-Job-Token": "the-real-token"})
    assert r.status_code == 422 and "不在服务中" in r.json()["detail"]
    assert client.get("/api/jobs").status_code == 401
    reset_settings()

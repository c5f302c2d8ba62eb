"""One bulletin: ``yacang report bulletin`` is a pure read (twice → both databases unchanged), and the
web's 生成通报 produces the same document as the CLI for the same period and region."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import subprocess
import sys

import duckdb
import pytest

CLI = [sys.executable, "-c", "from yacang.cli import main; main()"]


def _warehouse_digest(path) -> dict[str, str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [t for (t,) in con.execute("SELECT table_name FROM information_schema.tables "
                                            "WHERE table_schema = 'main' ORDER BY 1").fetchall()]
        out = {}
        for t in tables:
            n, h = con.execute(f'SELECT count(*), md5(coalesce(string_agg(md5(CAST(x AS VARCHAR)), \'\' '
                               f'ORDER BY md5(CAST(x AS VARCHAR))), \'\')) FROM "{t}" x').fetchall()[0]
            out[t] = f"{n}:{h}"
        return out
    finally:
        con.close()


def _app_digest(path) -> dict[str, str]:
    con = sqlite3.connect(path)
    try:
        tables = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1")]
        out = {}
        for t in tables:
            rows = sorted(repr(r) for r in con.execute(f'SELECT * FROM "{t}"'))
            out[t] = f"{len(rows)}:{hashlib.sha256(''.join(rows).encode()).hexdigest()}"
        return out
    finally:
        con.close()


def _cli(args, cwd, env, timeout=900) -> str:
    r = subprocess.run([*CLI, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert r.returncode == 0, f"yacang {' '.join(args)}\n{r.stdout}\n{r.stderr}"
    return r.stdout


def _normalised(html: str) -> str:
    """The document without what legitimately differs between two renderings: timestamps."""
    html = re.sub(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?(\.\d+)?", "<time>", html)
    return re.sub(r"\d{1,2}:\d{2}:\d{2}", "<time>", html)


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """A home with a small demo (microdata, appeals, projects) and one alert run (real files are refused in
    a demo warehouse: demo and real data never mix)."""
    base = tmp_path_factory.mktemp("one-bulletin")
    env = {**os.environ, "YACANG_HOME": str(base / "home"), "YACANG_APP_DB_URL": ""}
    _cli(["demo", "--enterprises", "1500", "--seed", "5"], base, env)
    _cli(["alerts", "run", "--period", "2022-03"], base, env)
    return base, env


@pytest.mark.slow
def test_the_cli_bulletin_twice_changes_neither_database(home):
    base, env = home
    wh_path, app_path = base / "home" / "warehouse.duckdb", base / "home" / "app.sqlite"
    before = (_warehouse_digest(wh_path), _app_digest(app_path))
    assert (before[0]["reports"].split(":")[0] != "0" and "alert_current" in before[0]) or "alert_history" in before[0]
    for _ in range(2):
        _cli(["report", "bulletin", "--period", "2022-03", "--region", "440000", "--format", "html",
              "--out", str(base / "cli-out")], base, env)
    after = (_warehouse_digest(wh_path), _app_digest(app_path))
    assert after[0] == before[0], {t: (before[0].get(t), v) for t, v in after[0].items() if before[0].get(t) != v}
    # the only records a bulletin adds are the register of issued versions and their audit entries
    issued = {"bulletin_issues", "audit_log"}
    changed = {t for t, v in after[1].items() if before[1].get(t) != v}
    assert changed <= issued, changed
    con = sqlite3.connect(app_path)
    try:
        versions = [v for (v,) in con.execute("SELECT version FROM bulletin_issues WHERE region = '440000' "
                                                "AND period = '2022-03' ORDER BY version")]
    finally:
        con.close()
    assert versions[-2:] == [versions[-1] - 1, versions[-1]] and len(versions) >= 2


@pytest.mark.slow
def test_web_and_cli_make_the_same_document(home, monkeypatch):
    from fastapi.testclient import TestClient
    from sqlalchemy.orm import Session

    from yacang.appdb.base import get_engine
    from yacang.auth import service
    from yacang.settings import reset_settings
    from yacang.web import create_app

    base, env = home
    _cli(["report", "bulletin", "--period", "2022-03", "--region", "440000", "--format", "html",
          "--out", str(base / "cli-doc")], base, env)
    cli_html = next((base / "cli-doc").glob("*.html")).read_text(encoding="utf-8")

    monkeypatch.setenv("YACANG_HOME", str(base / "home"))
    monkeypatch.setenv("YACANG_APP_DB_URL", "")
    monkeypatch.chdir(base)
    reset_settings()
    get_engine.cache_clear()
    app = create_app()
    with Session(app.state.yacang.engine) as s:
        officer = service.add_user(s, "gd_bulletin", "a-long-enough-password-1", "officer", region="440000")
        token = service.create_token(s, officer, "t")
        s.commit()
    with TestClient(app) as client:
        r = client.post("/api/bulletins", json={"period": "2022-03", "region": "440000", "formats": ["html"]},
                        headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200, r.text
        web_html = client.get(r.json()["files"][0], headers={"Authorization": f"Bearer {token}"}).text
    app.state.yacang.close()
    reset_settings()
    get_engine.cache_clear()
    assert "广东省" in web_html and "2022年1-3月" in web_html
    assert _normalised(web_html) == _normalised(cli_html)

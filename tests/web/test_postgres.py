"""The app on PostgreSQL (a throwaway local server): migrations, login, scoped reads, writes, audit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.harness import postgres_server, require_postgres
from tests.web.conftest import bearer, make_app
from tests.web.fixtures import PASSWORD, tokens

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    require_postgres()
    with postgres_server("yacang_web") as url:
        yield url


def test_app_runs_on_postgresql(yacang_home, shared_data, pg_url):
    from fastapi.testclient import TestClient
    from sqlalchemy import create_engine, text

    app = make_app(yacang_home, shared_data, db_url=pg_url)
    assert app.state.yacang.engine.dialect.name == "postgresql"
    tok = tokens(app.state.yacang.engine)
    with TestClient(app) as c:
        r = c.post("/api/auth/login", json={"username": "gd_officer", "password": PASSWORD})
        assert r.status_code == 200
        csrf = r.json()["csrf_token"]
        v = c.get("/api/overview?region=100000&indicator=gdp&measure=yoy").json()
        assert [x["region"] for x in v["children"]] == ["440000"]
        assert c.post("/api/alerts/fp-440100/ack", json={"comment": "pg"}, headers={"X-CSRF-Token": csrf}).status_code == 200
        assert c.post("/api/alerts/fp-320100/ack", json={}, headers={"X-CSRF-Token": csrf}).status_code == 404
        good = {"period": "2022-04", "values": {"output_value": "100", "output_value_prev": "90", "sales_value": "99"}}
        assert c.post("/api/reports", json=good, headers=bearer(tok["ent_a"])).status_code == 200
        for _ in range(5):
            c.post("/api/auth/login", json={"username": "js_officer", "password": "bad"})
        assert c.post("/api/auth/login", json={"username": "js_officer", "password": PASSWORD}).status_code == 429
    app.state.yacang.close()
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        actions = {r[0] for r in conn.execute(text("SELECT action FROM audit_log"))}
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    engine.dispose()
    assert {"login", "ack", "report_submit", "login_failed"} <= actions
    assert version is not None

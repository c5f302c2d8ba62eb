"""Tokens and sessions: scope, expiry, no minting, revocation at once, logout, password change,
lockout without lockout-DoS, body limits before authentication, no-store, Secure cookies, /docs."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.security.conftest import audit_rows, bearer
from tests.web.fixtures import PASSWORD


def cookie_login(app, username: str, ip: str = "10.1.1.1") -> tuple[TestClient, str]:
    c = TestClient(app, client=(ip, 50000))
    r = c.post("/api/auth/login", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return c, r.json()["csrf_token"]


def test_read_only_token_cannot_write(app, client):
    c, csrf = cookie_login(app, "gd_officer")
    tok = c.post("/api/tokens", json={"name": "看板", "scope": "read", "days": 7}, headers={"X-CSRF-Token": csrf}).json()
    assert tok["scope"] == "read"
    assert client.get("/api/series?region=440000", headers=bearer(tok["token"])).status_code == 200
    r = client.post("/api/bulletins", json={"period": "2022-03", "region": "440000"}, headers=bearer(tok["token"]))
    assert r.status_code == 403 and "只读令牌" in r.json()["detail"]
    assert any(e.action == "denied" and "token_read_only" in e.detail for e in audit_rows(app))


def test_tokens_cannot_mint_tokens(app, client, tokens):
    r = client.post("/api/tokens", json={"name": "x"}, headers=bearer(tokens["gd_officer"]))
    assert r.status_code == 403 and "不能用来创建新令牌" in r.json()["detail"]


def test_revoked_token_stops_at_once_and_others_cannot_revoke_it(app, client):
    c, csrf = cookie_login(app, "gz_officer")
    tok = c.post("/api/tokens", json={"name": "脚本"}, headers={"X-CSRF-Token": csrf}).json()["token"]
    assert client.get("/api/me", headers=bearer(tok)).status_code == 200  # now cached by the server
    mine = c.get("/api/tokens").json()
    assert [t["name"] for t in mine if t["state_zh"] == "有效"] == ["脚本"] and "token" not in mine[0]
    other, other_csrf = cookie_login(app, "js_officer", ip="10.2.2.2")
    assert other.delete(f"/api/tokens/{mine[0]['id']}", headers={"X-CSRF-Token": other_csrf}).status_code == 404
    assert c.delete(f"/api/tokens/{mine[0]['id']}", headers={"X-CSRF-Token": csrf}).status_code == 200
    assert client.get("/api/me", headers=bearer(tok)).status_code == 401


def test_logout_everywhere_ends_sessions_and_tokens(app, client):
    c, csrf = cookie_login(app, "gd_officer")
    tok = c.post("/api/tokens", json={"name": "脚本"}, headers={"X-CSRF-Token": csrf}).json()["token"]
    second, _ = cookie_login(app, "gd_officer", ip="10.3.3.3")
    assert c.post("/api/auth/logout?everywhere=true", headers={"X-CSRF-Token": csrf}).status_code == 200
    assert second.get("/api/me").status_code == 401
    assert client.get("/api/me", headers=bearer(tok)).status_code == 401


def test_password_change_flow(app, client):
    c, csrf = cookie_login(app, "gz_officer")
    other, _ = cookie_login(app, "gz_officer", ip="10.4.4.4")
    tok = c.post("/api/tokens", json={"name": "脚本"}, headers={"X-CSRF-Token": csrf}).json()["token"]
    bad = c.post("/api/me/password", json={"old_password": "wrong-one-1", "new_password": "a-new-pass-22"},
                 headers={"X-CSRF-Token": csrf})
    assert bad.status_code == 403
    ok = c.post("/api/me/password", json={"old_password": PASSWORD, "new_password": "a-new-pass-22"},
                headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 200
    assert c.get("/api/me").status_code == 200  # this session stays
    assert other.get("/api/me").status_code == 401  # the others end
    assert client.get("/api/me", headers=bearer(tok)).status_code == 401  # tokens are revoked
    fresh = TestClient(app, client=("10.5.5.5", 1))
    assert fresh.post("/api/auth/login", json={"username": "gz_officer", "password": "a-new-pass-22"}).status_code == 200
    assert client.post("/api/me/password", json={"old_password": "a", "new_password": "b"},
                       headers=bearer(c.post("/api/tokens", json={}, headers={"X-CSRF-Token": csrf}).json()["token"])
                       ).status_code == 403  # a token cannot change the password


def test_lockout_does_not_lock_the_real_user_out_from_a_fresh_address(app):
    attacker = TestClient(app, client=("6.6.6.6", 1))
    for _ in range(5):
        assert attacker.post("/api/auth/login", json={"username": "gd_officer", "password": "guess-123"}).status_code == 401
    r = attacker.post("/api/auth/login", json={"username": "gd_officer", "password": PASSWORD})
    assert r.status_code == 429 and "后再试" in r.json()["detail"]
    real = TestClient(app, client=("10.9.9.9", 1))
    assert real.post("/api/auth/login", json={"username": "gd_officer", "password": PASSWORD}).status_code == 200


def test_large_login_body_refused_before_authentication(app, client):
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from yacang.auth.models import LoginAttempt

    r = client.post("/api/auth/login", content=b'{"username": "' + b"a" * (2 << 20) + b'"}',
                    headers={"content-type": "application/json"})
    assert r.status_code == 413
    with Session(app.state.yacang.engine) as s:
        assert s.scalar(select(func.count()).select_from(LoginAttempt)) == 0  # never reached the login code
    big = client.post("/api/reports", content=b"x" * (2 << 20), headers={"content-type": "application/json"})
    assert big.status_code == 413  # before authentication too


def test_authenticated_responses_are_not_cached(app, client, tokens):
    r = client.get("/api/me", headers=bearer(tokens["gd_officer"]))
    assert r.headers["cache-control"] == "no-store"
    assert "no-store" not in client.get("/favicon.ico").headers.get("cache-control", "")


@pytest.mark.parametrize(("mode", "proto", "secure"), [("", "https", False), ("proxy", "https", True),
                                                        ("proxy", "http", False), ("1", "http", True)])
def test_secure_cookie_behind_a_proxy(app, monkeypatch, mode, proto, secure):
    monkeypatch.setenv("YACANG_SECURE_COOKIES", mode)
    c = TestClient(app, client=("10.7.7.7", 1))
    r = c.post("/api/auth/login", json={"username": "gd_analyst", "password": PASSWORD},
               headers={"X-Forwarded-Proto": proto})
    assert r.status_code == 200
    assert ("secure" in r.headers["set-cookie"].lower()) is secure


def test_docs_are_off_in_production(monkeypatch, yacang_home):
    from yacang.warehouse import Warehouse
    from yacang.web import create_app

    monkeypatch.setenv("YACANG_PRODUCTION", "1")
    yacang_home.mkdir(parents=True, exist_ok=True)
    app = create_app(warehouse=Warehouse.memory(), app_db_url=f"sqlite:///{yacang_home}/app.sqlite")
    c = TestClient(app)
    assert c.get("/docs").status_code == 404 and c.get("/openapi.json").status_code == 404
    assert app.openapi()["paths"]  # the schema is still there for the authorization matrix


def test_new_api_users_default_to_the_least_privileged_role(app, client, tokens):
    r = client.post("/api/users", json={"username": "newbie", "password": "long-enough-1", "region": "440000"},
                    headers=bearer(tokens["admin"]))
    assert r.status_code == 200 and r.json()["role"] == "analyst"


def test_user_form_offers_the_least_privileged_role_first(app):
    import re

    c, _ = cookie_login(app, "admin")
    page = c.get("/users")
    assert page.status_code == 200
    first = re.search(r'<select name="role"><option value="([a-z]+)"', page.text).group(1)
    assert first == "analyst"  # the form's default is 分析人员（只读）, never 系统管理员


def test_token_revoked_from_the_cli_stops_at_once(app, client, tokens):
    from yacang.auth import service

    assert client.get("/api/me", headers=bearer(tokens["js_officer"])).status_code == 200
    with app.state.yacang.engine.begin() as conn:  # another process (the CLI) revokes it in the database
        from sqlalchemy.orm import Session

        with Session(bind=conn) as s:
            for t, name in service.list_tokens(s):
                if name == "js_officer":
                    service.revoke_token(s, t.id)
            s.flush()
    assert client.get("/api/me", headers=bearer(tokens["js_officer"])).status_code == 401

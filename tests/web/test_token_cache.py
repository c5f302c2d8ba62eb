"""A Bearer token's caller is cached, but every request still sees a change made in the database by
another process (the CLI): disabled user, changed role or region, revoked token."""

from __future__ import annotations

from sqlalchemy import text

from tests.web.conftest import bearer


def _set(app, sql: str, **params) -> None:
    with app.state.yacang.engine.begin() as conn:  # as another process would: straight to the database
        conn.execute(text(sql), params)


def test_cached_token_sees_database_changes_at_once(fresh_app, fresh_client, fresh_tokens):
    h = bearer(fresh_tokens["gd_officer"])
    for _ in range(2):  # the second request is served from the cache
        me = fresh_client.get("/api/me", headers=h)
        assert me.status_code == 200 and me.json()["user"]["region"] == "440000"
    _set(fresh_app, "UPDATE users SET active = 0 WHERE username = 'gd_officer'")
    assert fresh_client.get("/api/me", headers=h).status_code == 401
    _set(fresh_app, "UPDATE users SET active = 1, region = '440100' WHERE username = 'gd_officer'")
    assert fresh_client.get("/api/me", headers=h).json()["user"]["region"] == "440100"  # the new scope, not the cached
    _set(fresh_app, "UPDATE api_tokens SET revoked = 1")
    assert fresh_client.get("/api/me", headers=h).status_code == 401

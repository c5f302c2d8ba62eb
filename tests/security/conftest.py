"""Fixtures for the security tests: the web test app (real national series, enterprises A in 广州 and B
in 南京, users of every role) with one app per test, since every test here writes or attacks."""

from __future__ import annotations

import pytest

from tests.web.conftest import _cheap_argon2, fresh_app, fresh_client, fresh_tokens  # noqa: F401
from tests.web.fixtures import PASSWORD


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def login(client, username: str, password: str = PASSWORD, ip_headers: dict | None = None):
    return client.post("/api/auth/login", json={"username": username, "password": password}, headers=ip_headers or {})


def audit_rows(app, action: str | None = None) -> list:
    from sqlalchemy.orm import Session

    from yacang.auth import audit

    with Session(app.state.yacang.engine) as s:
        return audit.events(s, action=action, limit=1000)


@pytest.fixture()
def app(fresh_app):  # noqa: F811
    return fresh_app


@pytest.fixture()
def client(fresh_client):  # noqa: F811
    return fresh_client


@pytest.fixture()
def tokens(fresh_tokens):  # noqa: F811
    return fresh_tokens

"""Fixtures for the dispatch tests: an in-memory app database, scopes of every role, a clock."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from yacang.auth.roles import Role
from yacang.auth.scope import Scope
from yacang.microdata.uscc import make_uscc

T0 = dt.datetime(2022, 3, 1, 9, 0)
# two enterprises in 杭州 (330100) and one in 宁波 (330200), with valid USCCs (GB 32100 check character)
ENT_A = (make_uscc("330106", "MA2AAAAA1"), "杭州甲电子有限公司", "330106")
ENT_B = (make_uscc("330108", "MA2BBBBB2"), "杭州乙机械有限公司", "330108")
ENT_C = (make_uscc("330203", "MA2CCCCC3"), "宁波丙材料有限公司", "330203")


@pytest.fixture()
def session():
    from yacang.appdb.base import create_all

    engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
    create_all(engine)
    with Session(engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture()
def clock():
    from yacang.dispatch.clock import FixedClock

    return FixedClock(T0)


ADMIN = Scope(Role.ADMIN, username="admin")
PROVINCE = Scope(Role.OFFICER, "330000", username="zj")
HANGZHOU = Scope(Role.OFFICER, "330100", username="hz")
HANGZHOU_2 = Scope(Role.OFFICER, "330100", username="hz2")  # a second officer (separation of duties)
NINGBO = Scope(Role.OFFICER, "330200", username="nb")
HZ_ANALYST = Scope(Role.ANALYST, "330100", username="hz_analyst")
GD = Scope(Role.OFFICER, "440000", username="gd")


def ent_scope(ent) -> Scope:
    return Scope(Role.ENTERPRISE, ent[2], ent[0], username=f"e{ent[0][-4:]}")


def file(session, clock, ent=ENT_A, kind="缺芯", scope=None):
    from yacang.dispatch import appeals as ap

    return ap.file_appeal(session, scope or ent_scope(ent), uscc=ent[0], enterprise_name=ent[1], region=ent[2],
                          appeal_type=kind, description=f"{kind}问题", clock=clock)


@pytest.fixture(scope="module")
def browser():
    """One headless chromium for a module's page tests (tests/harness.chromium)."""
    from tests.harness import chromium

    with chromium() as b:
        yield b


@pytest.fixture(scope="module", autouse=True)
def _cheap_argon2():
    from argon2 import PasswordHasher

    from yacang.auth import passwords

    saved = passwords._HASHER
    passwords._HASHER = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    yield
    passwords._HASHER = saved


@pytest.fixture()
def api(yacang_home):
    """A TestClient on :func:`tests.dispatch.webapp.make_app` and a bearer header per user."""
    from fastapi.testclient import TestClient

    from tests.dispatch.webapp import bearer, make_app, tokens

    app = make_app(yacang_home)
    with TestClient(app) as c:
        tok = tokens(app)
        yield c, {n: bearer(t) for n, t in tok.items()}
    app.state.yacang.close()

"""Fixtures for the web tests: an app on SQLite (or PostgreSQL) with the test data and users.

Building an app takes a second or two, so the read-only tests share one per module (``web_app``);
tests that change data use ``fresh_app``. Password hashing uses cheap argon2 parameters here (the
hashes still verify with the production hasher: argon2 stores its parameters in the hash).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from tests.web import fixtures

GEOJSON = "china_province_geojson/china_provinces_datav_100000_full.geojson"


@pytest.fixture(autouse=True, scope="session")
def _cheap_argon2():
    from yacang.auth import passwords

    saved = passwords._HASHER
    passwords._HASHER = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    yield
    passwords._HASHER = saved


def make_app(home: Path, shared_data: Path, db_url: str | None = None):
    from yacang.appdb.base import get_engine
    from yacang.catalog.imports import import_regions
    from yacang.warehouse import Warehouse
    from yacang.web import create_app

    import_regions(shared_data / "admin_divisions_gbt2260" / "codes_by_year_2010_2024.csv", 2024, home)
    wh = Warehouse.memory()
    fixtures.build_warehouse(wh, shared_data)
    app = create_app(warehouse=wh, geojson=shared_data / GEOJSON, app_db_url=db_url)
    engine = app.state.yacang.engine if db_url is None else get_engine(db_url)
    fixtures.add_users(engine)
    return app


def _home_env(mp: pytest.MonkeyPatch, home: Path) -> None:
    from yacang.appdb.base import get_engine
    from yacang.settings import reset_settings

    mp.setenv("YACANG_HOME", str(home))
    mp.chdir(home.parent)
    mp.delenv("YACANG_APP_DB_URL", raising=False)
    reset_settings()
    get_engine.cache_clear()


@pytest.fixture(scope="module")
def web_app(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[object]:
    """One app per test module (read-only tests)."""
    home = tmp_path_factory.mktemp("web") / "home"
    with pytest.MonkeyPatch.context() as mp:
        _home_env(mp, home)
        app = make_app(home, shared_data)
        yield app
        app.state.yacang.close()


@pytest.fixture()
def fresh_app(yacang_home: Path, shared_data: Path):
    """An app of its own (tests that write)."""
    app = make_app(yacang_home, shared_data)
    yield app
    app.state.yacang.close()


def _client(app):
    from fastapi.testclient import TestClient

    return TestClient(app)


@pytest.fixture(scope="module")
def client(web_app):
    with _client(web_app) as c:
        yield c


@pytest.fixture(scope="module")
def tokens(web_app) -> dict[str, str]:
    return fixtures.tokens(web_app.state.yacang.engine)


@pytest.fixture()
def fresh_client(fresh_app):
    with _client(fresh_app) as c:
        yield c


@pytest.fixture()
def fresh_tokens(fresh_app) -> dict[str, str]:
    return fixtures.tokens(fresh_app.state.yacang.engine)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}

"""A fresh migrated SQLite app database per test; cheap argon2 parameters."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine
from sqlalchemy.orm import Session


@pytest.fixture(autouse=True)
def _cheap_argon2(monkeypatch):
    from yacang.auth import passwords

    monkeypatch.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))


@pytest.fixture()
def session(tmp_path):
    from yacang.appdb.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    upgrade(url)
    engine = create_engine(url)
    with Session(engine) as s:
        yield s
    engine.dispose()

"""Declarative base, engine and session helpers for the application database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from sqlalchemy import Engine, MetaData, create_engine
from sqlalchemy.orm import DeclarativeBase, Session

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def app_db_url() -> str:
    from yacang.settings import get_settings

    s = get_settings()
    if s.app_db_url:
        return s.app_db_url
    s.ensure_home()
    return f"sqlite:///{s.home / 'app.sqlite'}"


@cache
def get_engine(url: str | None = None) -> Engine:
    return create_engine(url or app_db_url(), future=True)


def create_all(engine: Engine | None = None) -> None:
    """Create every table declared on Base (imports the areas' model modules first)."""
    import importlib

    for mod in ("yacang.policy.models",):
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError:
            pass
    Base.metadata.create_all(engine or get_engine())


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise

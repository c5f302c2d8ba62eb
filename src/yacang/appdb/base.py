"""Declarative base, engine and session helpers for the application database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


ID_MAX = 2**31 - 1
"""The largest row id a table can hold (PostgreSQL ``integer``); a larger number names no row."""


def row_id(ref: int | str) -> int | None:
    """``ref`` as a row id when it can be one (ASCII digits, 1 … :data:`ID_MAX`), else None.

    Lookups that take an id or a code ask this first: ``"99999999999999999999"`` is then a code that
    matches nothing, not an integer the database driver refuses (OverflowError, HTTP 500)."""
    if isinstance(ref, int):
        return ref if 1 <= ref <= ID_MAX else None
    text = str(ref)
    if not (text.isascii() and text.isdigit()):
        return None
    n = int(text)
    return n if 1 <= n <= ID_MAX else None


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
    """One engine per URL. SQLite gets WAL and a busy timeout so the web server's threads share it."""
    url = url or app_db_url()
    if url.startswith("sqlite"):
        engine = create_engine(url, future=True, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            if ":memory:" not in url:
                cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        return engine
    return create_engine(url, future=True, pool_pre_ping=True)


def import_models() -> list[str]:
    """Import every area's model module (entry points of group ``yacang.models``); return their names."""
    from yacang.plugins import load

    return sorted(load("yacang.models"))


def create_all(engine: Engine | None = None) -> None:
    """Create every table declared on Base (imports the areas' model modules first)."""
    import_models()
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

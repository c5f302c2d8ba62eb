"""Alembic migrations: an empty database upgrades to a schema equal to the models, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, pool, text

from yacang.appdb.base import Base, import_models
from yacang.appdb.migrate import current_revision, head_revision, upgrade

EXPECTED_AUTH_TABLES = {"users", "web_sessions", "api_tokens", "login_attempts", "audit_log"}


def _check_schema(url: str) -> None:
    import_models()
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()
    assert tables >= EXPECTED_AUTH_TABLES
    assert set(Base.metadata.tables) <= tables, "the initial migration misses tables declared on Base"
    assert diff == [], f"models and migrations differ: {diff}"


def _migrate_empty(url: str) -> None:
    assert current_revision(url) is None
    assert upgrade(url, head_revision()) == head_revision()  # by name: every migration step runs
    _check_schema(url)
    assert upgrade(url) == head_revision()  # idempotent


def test_upgrade_empty_sqlite(tmp_path):
    _migrate_empty(f"sqlite:///{tmp_path / 'app.sqlite'}")


def test_empty_database_to_head_is_created_from_the_models_and_stamped(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    assert upgrade(url) == head_revision()  # "head" on an empty database: create_all + stamp
    _check_schema(url)  # the same schema as the migrations give (test above)
    assert upgrade(url) == head_revision()


def test_database_made_by_create_all_is_stamped_not_recreated(tmp_path):
    from yacang.appdb.base import create_all

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = create_engine(url)
    create_all(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_log (at, username, action, target, detail, ip) "
                          "VALUES ('2024-01-01 00:00:00', 'x', 'login', '', '', '')"))
    engine.dispose()
    assert upgrade(url) == head_revision()
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() == 1
    engine.dispose()


@pytest.mark.postgres
def test_upgrade_empty_postgres(pg_url):
    _migrate_empty(pg_url)


def test_a_database_behind_the_head_is_upgraded_one_at_the_head_is_left_alone(tmp_path, monkeypatch):
    from alembic.script import ScriptDirectory

    from yacang.appdb import migrate

    url = f"sqlite:///{tmp_path / 'behind.sqlite'}"
    revisions = [r.revision for r in ScriptDirectory.from_config(migrate.alembic_config(url)).walk_revisions()]
    first = revisions[-1]  # walk_revisions runs from the head down
    assert upgrade(url, first) == first
    if len(revisions) > 1:
        assert current_revision(url) != head_revision()
    assert upgrade(url) == head_revision()  # "head" on a database behind it: the missing steps run
    _check_schema(url)

    def refuse(*args, **kwargs):
        raise AssertionError("Alembic ran on a database already at the head")

    monkeypatch.setattr(migrate.command, "upgrade", refuse)
    monkeypatch.setattr(migrate.command, "stamp", refuse)
    assert upgrade(url) == head_revision()

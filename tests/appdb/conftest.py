"""App-database fixtures: a throwaway PostgreSQL server (see tests/appdb/pg.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.harness import postgres_server, require_postgres


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    require_postgres()
    with postgres_server() as url:
        yield url

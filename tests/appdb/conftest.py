"""App-database fixtures: a throwaway PostgreSQL server (see tests/appdb/pg.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.appdb.pg import bindir, postgres_server


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    if bindir() is None:
        pytest.skip("PostgreSQL binaries not installed (apt-get install postgresql-15)")
    with postgres_server() as url:
        yield url

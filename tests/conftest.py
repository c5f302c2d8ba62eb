"""Fixtures shared by all test areas: paths to ../shared, an isolated YACANG_HOME, a warehouse."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run (CI must not pass or fail by luck); explore new
# ones locally with ``pytest --hypothesis-profile=default`` (a failure found that way becomes a regression test).
settings.register_profile("yacang", derandomize=True)
settings.load_profile("yacang")

# The CLI's rich consoles fix their width when created if COLUMNS is set then (pytest-xdist's workers set
# it to 80): unset, the width follows COLUMNS at print time, which the CLI tests set to see whole tables.
os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = SHARED / "data"
    if not path.is_dir():
        pytest.fail(f"../shared/data not found at {path}: tests read the real data from beside the repo")
    return path


@pytest.fixture(scope="session")
def seeds() -> Path:
    path = SHARED / "seeds"
    if not path.is_dir():
        pytest.fail(f"../shared/seeds not found at {path}")
    return path


@pytest.fixture()
def yacang_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh YACANG_HOME (and working directory) for a test; settings re-read."""
    from yacang.appdb.base import get_engine
    from yacang.settings import reset_settings

    home = tmp_path / "home"
    monkeypatch.setenv("YACANG_HOME", str(home))
    monkeypatch.chdir(tmp_path)
    reset_settings()
    get_engine.cache_clear()
    yield home
    reset_settings()
    get_engine.cache_clear()


@pytest.fixture()
def wh():
    """An in-memory warehouse."""
    from yacang.warehouse import Warehouse

    w = Warehouse.memory()
    yield w
    w.close()

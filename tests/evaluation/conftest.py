"""Cheap password hashing for the evaluation web tests (hashes still verify with the production hasher)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher


@pytest.fixture(autouse=True, scope="session")
def _cheap_argon2():
    from yacang.auth import passwords

    saved = passwords._HASHER
    passwords._HASHER = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    yield
    passwords._HASHER = saved

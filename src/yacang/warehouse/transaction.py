"""The one way to make a group of warehouse writes all-or-nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def transaction(db) -> Iterator[object]:
    """``with transaction(wh.db) as db:`` — commit when the block completes, roll back when it does not
    (the error itself propagates), so the shared connection is never left inside an open transaction."""
    db.execute("BEGIN TRANSACTION")
    completed = False
    try:
        yield db
        completed = True
    finally:
        db.execute("COMMIT" if completed else "ROLLBACK")

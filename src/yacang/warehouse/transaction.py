"""The one way to make a group of warehouse writes all-or-nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def transaction(db) -> Iterator[object]:
    """``with transaction(wh.db) as db:`` — commit when the block ends, roll back (and re-raise) on any
    error, so the shared connection is never left inside an open or aborted transaction."""
    db.execute("BEGIN TRANSACTION")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")

"""An injectable clock: services ask it for "now" so SLA tests can move time by hand."""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime: ...


class SystemClock:
    """Naive UTC wall clock (the app database stores naive UTC)."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


class FixedClock:
    """A clock that stands still until told to move (tests, demo generation)."""

    def __init__(self, start: dt.datetime) -> None:
        self._now = start

    def now(self) -> dt.datetime:
        return self._now

    def set(self, when: dt.datetime) -> None:
        self._now = when

    def advance(self, **delta: float) -> dt.datetime:
        """Move forward by ``timedelta(**delta)`` (minutes=61, hours=25, days=8 …); return the new now."""
        self._now = self._now + dt.timedelta(**delta)
        return self._now


SYSTEM = SystemClock()

"""Per-thread capture of stdout/stderr, so a CLI command run as a server job writes to its own log
while the server's other threads keep writing to the real streams."""

from __future__ import annotations

import io
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_local = threading.local()
_install_lock = threading.Lock()


class _ThreadStream(io.TextIOBase):
    """Writes go to the current thread's sink when one is set, else to the original stream."""

    def __init__(self, original) -> None:
        self._original = original

    def _sink(self):
        return getattr(_local, "sink", None)

    def write(self, s: str) -> int:
        sink = self._sink()
        return sink(s) if sink is not None else self._original.write(s)

    def flush(self) -> None:
        if self._sink() is None:
            self._original.flush()

    def isatty(self) -> bool:
        return False if self._sink() is not None else self._original.isatty()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8" if self._sink() is not None else getattr(self._original, "encoding", "utf-8")

    def fileno(self) -> int:
        return self._original.fileno()


def _install() -> None:
    with _install_lock:
        if not isinstance(sys.stdout, _ThreadStream):
            sys.stdout = _ThreadStream(sys.stdout)
        if not isinstance(sys.stderr, _ThreadStream):
            sys.stderr = _ThreadStream(sys.stderr)


@contextmanager
def captured(sink: Callable[[str], int]) -> Iterator[None]:
    """Send this thread's stdout and stderr to ``sink`` (a ``write``-like callable) inside the block."""
    _install()
    previous = getattr(_local, "sink", None)
    _local.sink = sink
    try:
        yield
    finally:
        _local.sink = previous


def in_service() -> bool:
    """True inside a server job: the warehouse is the server's, opened in the server's configuration."""
    return bool(getattr(_local, "service", False))


@contextmanager
def service_job() -> Iterator[None]:
    previous = getattr(_local, "service", False)
    _local.service = True
    try:
        yield
    finally:
        _local.service = previous

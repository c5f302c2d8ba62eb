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
    """Writes go to the current thread's sink for this stream (0 stdout, 1 stderr) when one is set, else
    to the original stream."""

    def __init__(self, original, index: int) -> None:
        self._original = original
        self._index = index

    def _sink(self):
        sinks = getattr(_local, "sinks", None)
        return sinks[self._index] if sinks is not None else None

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
            sys.stdout = _ThreadStream(sys.stdout, 0)
        if not isinstance(sys.stderr, _ThreadStream):
            sys.stderr = _ThreadStream(sys.stderr, 1)


@contextmanager
def captured(sink: Callable[[str], int], err_sink: Callable[[str], int] | None = None) -> Iterator[None]:
    """Send this thread's stdout to ``sink`` (a ``write``-like callable) and its stderr to ``err_sink``
    (``sink`` when None) inside the block."""
    _install()
    previous = getattr(_local, "sinks", None)
    _local.sinks = (sink, err_sink or sink)
    try:
        yield
    finally:
        _local.sinks = previous


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

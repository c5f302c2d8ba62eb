"""Progress of a long job (``yacang run``, ingest, a bulletin) as events to a callback.

The jobs layer says what it is doing; the caller decides how to show it (the CLI draws a rich progress
display or prints text lines, a benchmark records the seconds of each stage). Nothing here prints.

Stages nest (the demo's steps inside 示例数据); ``depth`` is 0 for the job's own stages, whose seconds add
up to the job's (see ``benchmarks/run.py``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass(frozen=True)
class StageEvent:
    """``kind``: ``start`` or ``end`` of a stage (``seconds`` set at the end), or ``advance`` (``done`` of
    ``total`` items of the stage finished, ``label`` says which)."""

    kind: str
    key: str
    label: str
    depth: int = 0
    seconds: float = 0.0
    done: int | None = None
    total: int | None = None


ProgressCallback = Callable[[StageEvent], None]


@dataclass
class Stages:
    """Times and reports the stages of one job. ``with stages.stage("alerts", "预警"): ...``"""

    callback: ProgressCallback | None = None
    timings: dict[str, float] = field(default_factory=dict)
    _depth: int = 0

    def _emit(self, event: StageEvent) -> None:
        if self.callback is not None:
            self.callback(event)

    @contextmanager
    def stage(self, key: str, label: str) -> Iterator[None]:
        depth = self._depth
        self._emit(StageEvent("start", key, label, depth))
        self._depth += 1
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self._depth -= 1
            secs = time.perf_counter() - t0
            self.timings[key] = self.timings.get(key, 0.0) + secs
            self._emit(StageEvent("end", key, label, depth, seconds=secs))

    def advance(self, key: str, label: str, done: int, total: int | None = None) -> None:
        self._emit(StageEvent("advance", key, label, self._depth, done=done, total=total))


def stages_of(progress: ProgressCallback | Stages | None) -> Stages:
    """A :class:`Stages` for a job given a callback, an existing :class:`Stages` (nested jobs) or nothing."""
    return progress if isinstance(progress, Stages) else Stages(progress)

"""Parse an untrusted file in a child process with an address-space limit and a wall-clock timeout.

:func:`parse_isolated` runs ``fn(path, *args)`` (a module-level parser such as
``parse_report_file``) in a fresh child of a *forkserver* (the parser's module is preloaded there, so a
child starts in milliseconds, not the seconds pandas takes to import). In the child,
``RLIMIT_AS`` is set to the address space it already uses plus ``Limits.worker_memory`` and
``RLIMIT_CPU`` to the time budget; the parent waits at most ``Limits.worker_seconds`` and kills the
child on expiry. One child per file (never reused), so a crafted file cannot leave a bloated or hung
worker behind.

Outcomes, as exceptions of :mod:`yacang.ingest.errors` a route maps to HTTP statuses:

- the parsed object (pickled back to the parent) — the same object ``fn(path)`` returns in-process;
- the parser's own :class:`IngestError` (located errors), re-raised unchanged;
- :class:`WorkerMemoryExceeded` / :class:`WorkerTimeout` (both :class:`LimitExceeded`: 413 with a Chinese
  message saying what to do);
- :class:`WorkerCrashed` for anything else (a parser bug or a crash: the child's traceback is kept; it is
  not a limit and is not dressed up as one).
"""

from __future__ import annotations

import errno
import logging
import multiprocessing
import os
import resource
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from yacang.ingest.batch import RowError
from yacang.ingest.errors import IngestError
from yacang.ingest.limits import DEFAULT, LimitExceeded, Limits

log = logging.getLogger(__name__)
_CTX = multiprocessing.get_context("forkserver")
_STARTED = threading.Lock()
_preloaded: set[str] = set()
_wanted: list[str] = []
_slots: dict[int, threading.BoundedSemaphore] = {}


class WorkerMemoryExceeded(LimitExceeded):
    """Parsing the file needed more memory than the worker may use."""


class WorkerTimeout(LimitExceeded):
    """Parsing the file took longer than the worker may run; the worker was killed."""


class WorkerCrashed(RuntimeError):
    """The parser failed in the child for a reason that is not a located error or a limit (a bug)."""


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def _address_space() -> int | None:
    """Bytes of address space this process uses now (VmSize; None where /proc is not Linux's)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


_MEMORY_WORDS = ("memoryerror", "memory allocation failed", "cannot allocate memory")


def _child(conn, fn: Callable[..., Any], path: str, args: tuple, memory: int, seconds: float, err_path: str) -> None:
    """Runs in the worker: set the limits, parse, send one message back.

    A located error or running out of memory is a message; anything else (a parser bug) is not caught:
    the worker dies with its traceback written to ``err_path`` (its stderr), which the parent reports.
    """
    sys.stderr = open(err_path, "w", encoding="utf-8")  # noqa: SIM115 (the worker's stderr until it exits)
    used = _address_space()
    if used is not None:  # Linux (the server's platform); elsewhere only the time limits apply
        resource.setrlimit(resource.RLIMIT_AS, (used + memory, used + memory))
    cpu = int(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    try:
        message: tuple = ("ok", fn(Path(path), *args))
    except IngestError as exc:
        message = ("ingest", type(exc).__name__, str(exc.args[0]) if exc.args else "", list(exc.errors))
    except MemoryError as exc:
        message = ("memory", type(exc).__name__, str(exc)[-300:])
    except OSError as exc:
        if exc.errno != errno.ENOMEM:
            raise
        message = ("memory", type(exc).__name__, str(exc)[-300:])
    try:
        conn.send(message)
    except MemoryError:
        conn.send(("memory", "MemoryError", "sending the result"))
    finally:
        conn.close()


def preload(*modules: str) -> None:
    """Modules the forkserver imports when it starts (the parsers a caller will use), so that a worker
    never imports them itself. Only effective before the first :func:`parse_isolated` call."""
    with _STARTED:
        _wanted.extend(m for m in modules if m not in _wanted)


def warm_up(module: str = "yacang.ingest.batch") -> None:
    """Start the forkserver now (with the :func:`preload` modules) rather than on the first upload: on a
    busy machine importing pandas and the parsers there takes seconds. Call at server start-up."""
    from multiprocessing import forkserver

    _ensure_preload(module)
    forkserver.ensure_running()


def _ensure_preload(module: str) -> None:
    """Preload the parser's module and the :func:`preload` ones in the forkserver (only effective before
    it first starts); the main script too, so a child does not re-run it (multiprocessing's main-module
    fix-up) on every upload."""
    with _STARTED:
        if not _preloaded:
            _CTX.set_forkserver_preload(["__main__", *_wanted, module])
        _preloaded.add(module)


def _slot(limits: Limits) -> threading.BoundedSemaphore:
    with _STARTED:
        return _slots.setdefault(limits.max_workers, threading.BoundedSemaphore(limits.max_workers))


def _memory_refusal(name: str, limits: Limits) -> WorkerMemoryExceeded:
    what = f"解析该文件所需内存超过上限 {_mb(limits.worker_memory)}"
    return WorkerMemoryExceeded(f"{name}：{what}，文件未导入。请拆分文件（例如每个文件不超过 10 万行）、删除多余的空行空列后重新上传。",
                                [RowError(name, 0, "", "", what)])


def _timeout_refusal(name: str, limits: Limits) -> WorkerTimeout:
    what = f"解析该文件超过时限 {limits.worker_seconds:g} 秒，已中止"
    return WorkerTimeout(f"{name}：{what}，文件未导入。请拆分文件、删除多余的空行空列或公式后重新上传。",
                         [RowError(name, 0, "", "", what)])


def parse_isolated(fn: Callable[..., Any], path: Path | str, limits: Limits = DEFAULT, *args: Any) -> Any:
    """``fn(path, *args)`` in a memory- and time-limited child; see the module docstring for outcomes.

    ``fn`` must be importable by name (a module-level function); its result must pickle.
    """
    path = Path(path)
    _ensure_preload(fn.__module__)
    with _slot(limits):
        return _run(fn, path, limits, args)


def _run(fn: Callable[..., Any], path: Path, limits: Limits, args: tuple) -> Any:
    recv, send = _CTX.Pipe(duplex=False)
    fd, err_path = tempfile.mkstemp(prefix="yacang-parse-", suffix=".log")
    os.close(fd)
    proc = _CTX.Process(target=_child, args=(send, fn, str(path), args, limits.worker_memory, limits.worker_seconds,
                                             err_path), name=f"yacang-parse-{path.name}", daemon=True)
    try:
        proc.start()
        send.close()  # the parent keeps only the reading end: EOF when the child dies
        if not recv.poll(limits.worker_seconds):
            raise _timeout_refusal(path.name, limits)
        try:
            message = recv.recv()
        except EOFError:
            message = None
        proc.join(5)
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        recv.close()
        stderr = Path(err_path).read_text(encoding="utf-8", errors="replace")[-4000:]
        os.unlink(err_path)
    return _outcome(message, proc.exitcode, path.name, limits, stderr)


def _outcome(message: tuple | None, exitcode: int | None, name: str, limits: Limits, stderr: str = "") -> Any:
    if message is None:  # died without a word: killed by a signal (CPU limit, OOM killer) or crashed
        if exitcode in (-9, -24):  # SIGKILL (OOM killer), SIGXCPU (CPU limit)
            raise _memory_refusal(name, limits) if exitcode == -9 else _timeout_refusal(name, limits)
        if any(w in stderr.lower() for w in _MEMORY_WORDS):  # e.g. a library's own out-of-memory error
            log.warning("upload parser ran out of memory on %s: %s", name, stderr[-300:])
            raise _memory_refusal(name, limits)
        raise WorkerCrashed(f"{name}：解析进程出错（退出码 {exitcode}）\n{stderr}")
    kind = message[0]
    if kind == "ok":
        return message[1]
    if kind == "ingest":
        _, cls, text, errors = message
        raise (LimitExceeded if cls == "LimitExceeded" else IngestError)(text, errors)
    if kind == "memory":
        log.warning("upload parser hit the memory limit on %s: %s", name, message[2][-300:])
        raise _memory_refusal(name, limits)
    raise WorkerCrashed(f"{name}：解析进程出错（{message[1]}）\n{message[2]}")  # an unknown message kind


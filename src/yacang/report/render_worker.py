"""A second process for the bulletin's slow files: the PDF's layout (WeasyPrint) and the charts.

Laying out a 16-page PDF and drawing the charts are pure Python (the GIL holds them to one core) and take
most of the time of writing a bulletin. A :class:`RenderWorker` is a fresh interpreter with the caller's
import path (never a fork of a process whose DuckDB threads may hold locks, never a re-run of the caller's
script) that loads WeasyPrint and the CJK fonts (and matplotlib, when it is to draw) as soon as it starts.
:func:`~yacang.report.bulletin.write_bulletin` uses it two ways:

- started by the caller ahead of time (``yacang run`` and ``yacang report bulletin`` start it when they begin
  computing the bulletin, on the idle second core): it draws the charts, then lays out the PDF while this
  process writes HTML, DOCX and XLSX from the same images;
- started by ``write_bulletin`` itself: it loads WeasyPrint while this process draws the charts, then lays
  out the PDF as above.

The files are the ones a single process writes (same code, same inputs). One request at a time: a
length-prefixed pickle each way over the worker's stdin and stdout (its own prints go to stderr). An error of
writing the files in the worker (:data:`SENT_BACK`) is raised again in the caller (its own exception, the
worker's traceback attached as a note, or a :class:`~yacang.report.errors.ReportError` naming it when it
cannot be rebuilt); any other error stops the worker (its traceback on stderr), and a worker that died, or a
reply that cannot be read, is a ``ReportError``. At most one worker per spare core at a time (the web server
issues bulletins from several threads: the others write in their own process); one core, or
``YACANG_RENDER_WORKER=0``: no worker.
"""

from __future__ import annotations

import json
import os
import pickle
import struct
import subprocess
import sys
import threading
from contextlib import suppress
from pathlib import Path
from typing import Any, BinaryIO

from yacang.report.errors import ReportError
from yacang.report.model import Bulletin, Chart

ENV = "YACANG_RENDER_WORKER"
BOOT = ("import json, os, sys; sys.path[:] = json.loads(os.environ.pop('YACANG_WORKER_PATH')); "
        "from yacang.report.render_worker import main; main()")
HEADER = struct.Struct(">Q")  # the length of the pickle that follows
# what writing a bulletin's files may meet (disk, paths, bad input, the report's own errors): sent back
SENT_BACK = (OSError, ValueError, ReportError)
# what rebuilding an object from its pickle may meet (a class missing or not rebuilt from its arguments)
UNREADABLE = (pickle.UnpicklingError, AttributeError, ImportError, TypeError, EOFError)
_slots = threading.BoundedSemaphore(max(1, (os.cpu_count() or 1) - 1))


def worker_wanted(formats) -> bool:
    """A worker pays when the PDF is asked for and there is a second core (``YACANG_RENDER_WORKER=0``: never)."""
    fmts = {f.strip().lower() for f in formats}
    return "pdf" in fmts and os.environ.get(ENV, "1") != "0" and (os.cpu_count() or 1) >= 2


def render_worker(formats, *, charts: bool = True) -> RenderWorker | None:
    """A started worker when :func:`worker_wanted` and a slot is free, else None (``with render_worker(f) or
    nullcontext()``). ``charts``: it will be asked to draw the charts (so it loads matplotlib too)."""
    if not worker_wanted(formats) or not _slots.acquire(blocking=False):
        return None
    worker = None
    try:
        worker = RenderWorker(charts=charts, slot=True)
    finally:
        if worker is None:  # it did not start: the error goes on, the slot is free again
            _slots.release()
    return worker


class Reply:
    """The answer to the one request in flight, read when asked for."""

    def __init__(self, worker: RenderWorker) -> None:
        self._worker, self._done, self._ok, self._value = worker, False, True, None

    def result(self) -> Any:
        if not self._done:
            self._ok, self._value = self._worker._receive()
            self._done = True
        if not self._ok:
            raise self._value
        return self._value


class RenderWorker:
    """One worker process that draws charts and lays out PDFs; starts loading its libraries at once."""

    def __init__(self, *, charts: bool = True, slot: bool = False) -> None:
        from yacang.settings import get_settings

        # the same home and the same import path as this process (so the same copy of yacang)
        env = dict(os.environ, YACANG_HOME=str(get_settings().home), YACANG_WORKER_PATH=json.dumps(sys.path))
        self._proc = subprocess.Popen([sys.executable, "-c", BOOT, "charts" if charts else "pdf"], env=env,
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._pending: Reply | None = None
        self._slot = slot
        self.draws_charts = charts  # loaded matplotlib: the caller has it draw the charts

    def charts(self, charts: list[Chart]) -> Reply:
        """PNG bytes by chart id (:func:`~yacang.report.charts.png_images`), drawn in the worker."""
        return self._send("charts", charts)

    def pdf(self, b: Bulletin, path: Path, images: dict[str, str] | None) -> Reply:
        """``path`` written by :func:`~yacang.report.render_pdf.render_pdf` in the worker."""
        return self._send("pdf", b, path, images)

    def _send(self, kind: str, *args: Any) -> Reply:
        if self._pending is not None and not self._pending._done:
            raise RuntimeError("the render worker answers one request at a time: read the last reply first")
        data = pickle.dumps((kind, args), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self._proc.stdin.write(HEADER.pack(len(data)) + data)
            self._proc.stdin.flush()
        except OSError as exc:  # BrokenPipeError: the worker is gone
            raise self._died() from exc
        self._pending = Reply(self)
        return self._pending

    def settle(self) -> None:
        """Wait for the request in flight, whatever its outcome (the caller failed and is about to remove
        the files: the worker must not write one after that)."""
        if self._pending is not None and not self._pending._done:
            with suppress(*SENT_BACK):  # (ReportError included)  # the caller's own error is the one that goes on
                self._pending.result()

    def _receive(self) -> tuple[bool, Any]:
        data = read_frame(self._proc.stdout)
        if data is None:
            raise self._died()
        try:
            return pickle.loads(data)
        except UNREADABLE as exc:  # an error the worker sent that cannot be rebuilt here: say what it was
            raise ReportError(f"通报文件生成进程的回复无法读取（{type(exc).__name__}: {exc}），通报文件未生成；"
                              f"可设置 {ENV}=0 在本进程内生成后重试。") from exc

    def _died(self) -> ReportError:
        with suppress(subprocess.TimeoutExpired):
            self._proc.wait(timeout=5)
        return ReportError(f"通报图表与 PDF 的生成进程意外退出（退出码 {self._proc.returncode}），通报文件未生成；"
                           f"请查看上方的错误信息，或设置 {ENV}=0 在本进程内生成后重试。")

    def close(self) -> None:
        try:
            if self._proc.stdin and not self._proc.stdin.closed:
                with suppress(BrokenPipeError):  # the worker is gone already: wait() below reaps it
                    self._proc.stdin.close()  # the worker's loop ends at end of input
            try:
                self._proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._proc.stdout.close()
        finally:
            if self._slot:
                self._slot = False
                _slots.release()

    def __enter__(self) -> RenderWorker:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if exc_type is not None and self._proc.poll() is None:
            self._proc.kill()  # the caller failed: not worth waiting for the worker to finish
        self.close()


def read_frame(stream: BinaryIO) -> bytes | None:
    """One length-prefixed message, or None at the end of the stream (or a message cut short)."""
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    (n,) = HEADER.unpack(head)
    data = stream.read(n)
    return data if len(data) == n else None


def write_frame(stream: BinaryIO, data: bytes) -> None:
    stream.write(HEADER.pack(len(data)) + data)
    stream.flush()


# in the worker process ---------------------------------------------------------------------------------
def _prepare(charts: bool) -> None:
    """Import the renderers and load the fonts (the first layout and the first chart pay for them otherwise)."""
    from weasyprint import HTML

    from yacang.report import render_pdf  # noqa: F401

    HTML(string="<p style='font-family: \"Noto Serif CJK SC\"'>通报</p>").render()
    if charts:
        from yacang.report.charts import _mpl

        _mpl()


def _handle(kind: str, args: tuple) -> Any:
    if kind == "charts":
        from yacang.report.charts import png_images

        return png_images(*args)
    if kind == "pdf":
        from yacang.report.render_pdf import render_pdf

        b, path, images = args
        return render_pdf(b, path, images=images)
    raise ValueError(f"unknown request {kind!r}")


def serve(requests: BinaryIO, replies: BinaryIO) -> None:
    """Answer each request of ``requests`` (until its end) with one (ok, value) reply on ``replies``. A request
    it cannot read, and the errors of writing files (:data:`SENT_BACK`), are sent back and raised again by the
    caller; any other error is a fault of the worker: it stops with its traceback on stderr, and the caller
    reports a worker that died."""
    while (data := read_frame(requests)) is not None:
        write_frame(replies, _answer(data))


def _answer(data: bytes) -> bytes:
    try:
        kind, args = pickle.loads(data)
    except UNREADABLE as exc:
        return _error_reply(exc)
    try:
        value = _handle(kind, args)
    except SENT_BACK as exc:
        return _error_reply(exc)
    return pickle.dumps((True, value), protocol=pickle.HIGHEST_PROTOCOL)


def _error_reply(exc: Exception) -> bytes:
    """The error with the worker's traceback as a note; when it would not load again (an exception class
    that cannot be rebuilt from its pickle), a ReportError that names it."""
    import traceback

    where = "".join(traceback.format_exception(exc))
    try:
        exc.add_note("（通报文件生成进程中的出错位置）\n" + where)
        data = pickle.dumps((False, exc), protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(data)
        return data
    except (pickle.PicklingError, *UNREADABLE):  # an error that cannot travel: its name and traceback do
        return pickle.dumps((False, ReportError(f"通报文件生成出错：{type(exc).__name__}: {exc}\n{where}")))


def main() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's to handle: it stops the worker
    replies = os.fdopen(os.dup(1), "wb")  # the protocol's channel; anything printed goes to stderr
    os.dup2(2, 1)
    _prepare(charts=sys.argv[1:] == ["charts"])
    serve(sys.stdin.buffer, replies)
    replies.close()
    os._exit(0)  # every reply is written: skip tearing down matplotlib and WeasyPrint (~0.4 s)

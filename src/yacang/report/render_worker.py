"""A second process for the bulletin's slow files: the PDF's layout (WeasyPrint) and the charts.

Laying out a 16-page PDF and drawing the charts are pure Python (the GIL holds them to one core) and take
most of the time of writing a bulletin. A :class:`RenderWorker` is a fresh interpreter with the caller's import
path (never a fork of a process whose DuckDB threads may hold locks, never a re-run of the caller's script)
that loads WeasyPrint, matplotlib and the CJK fonts as soon as it starts. :func:`~yacang.report.bulletin.write_bulletin`
uses it two ways:

- started by the caller ahead of time (``yacang run`` and ``yacang report bulletin`` start it when they begin
  computing the bulletin, on the idle second core): it draws the charts, then lays out the PDF while this
  process writes HTML, DOCX and XLSX from the same images;
- started by ``write_bulletin`` itself: it loads its libraries while this process draws the charts, then lays
  out the PDF as above.

The files are the ones a single process writes (same code, same inputs). Requests and replies are pickled
over the worker's stdin and stdout (its own prints go to stderr), answered in order. An error in the worker
is raised again by the caller (its own exception); a worker that died is a
:class:`~yacang.report.errors.ReportError`: the bulletin is not written in part. One core (or
``YACANG_RENDER_WORKER=0``): no worker, everything is written in this process.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from contextlib import suppress
from pathlib import Path
from typing import Any

from yacang.report.errors import ReportError
from yacang.report.model import Bulletin, Chart

ENV = "YACANG_RENDER_WORKER"
BOOT = ("import json, os, sys; sys.path[:] = json.loads(os.environ.pop('YACANG_WORKER_PATH')); "
        "from yacang.report.render_worker import main; main()")


def worker_wanted(formats) -> bool:
    """A worker pays when the PDF is asked for and there is a second core (``YACANG_RENDER_WORKER=0``: never)."""
    fmts = {f.strip().lower() for f in formats}
    return "pdf" in fmts and os.environ.get(ENV, "1") != "0" and (os.cpu_count() or 1) >= 2


class Reply:
    """The answer to one request, read when asked for (replies come back in the order of the requests)."""

    def __init__(self, worker: RenderWorker) -> None:
        self._worker, self._done, self._value = worker, False, None

    def result(self) -> Any:
        while not self._done:
            self._worker._read_next()
        return self._value

    def _set(self, ok: bool, value: Any) -> None:
        if not ok:
            raise value
        self._done, self._value = True, value


class RenderWorker:
    """One worker process that draws charts and lays out PDFs; starts loading its libraries at once."""

    def __init__(self) -> None:
        from yacang.settings import get_settings

        # the same home and the same import path as this process (so the same copy of yacang)
        env = dict(os.environ, YACANG_HOME=str(get_settings().home), YACANG_WORKER_PATH=json.dumps(sys.path))
        self._proc = subprocess.Popen([sys.executable, "-c", BOOT], env=env, stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE)
        self._waiting: list[Reply] = []

    def charts(self, charts: list[Chart]) -> Reply:
        """PNG bytes by chart id (:func:`~yacang.report.charts.png_images`), drawn in the worker."""
        return self._send("charts", charts)

    def pdf(self, b: Bulletin, path: Path, images: dict[str, str] | None) -> Reply:
        """``path`` written by :func:`~yacang.report.render_pdf.render_pdf` in the worker."""
        return self._send("pdf", b, path, images)

    def _send(self, kind: str, *args: Any) -> Reply:
        reply = Reply(self)
        try:
            pickle.dump((kind, args), self._proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self._proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise self._died() from exc
        self._waiting.append(reply)
        return reply

    def _read_next(self) -> None:
        try:
            ok, value = pickle.load(self._proc.stdout)
        except EOFError as exc:
            raise self._died() from exc
        self._waiting.pop(0)._set(ok, value)

    def _died(self) -> ReportError:
        code = self._proc.poll()
        return ReportError(f"通报图表与 PDF 的生成进程意外退出（退出码 {code}），通报文件未生成；"
                           f"请查看上方的错误信息，或设置 {ENV}=0 在本进程内生成后重试。")

    def close(self) -> None:
        if self._proc.stdin and not self._proc.stdin.closed:
            with suppress(BrokenPipeError):  # the worker is gone already: wait() below reaps it
                self._proc.stdin.close()  # the worker's loop ends at end of input
        self._proc.wait()
        self._proc.stdout.close()

    def __enter__(self) -> RenderWorker:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if exc_type is not None and self._proc.poll() is None:
            self._proc.kill()  # the caller failed: not worth waiting for the worker to finish loading
        self.close()


def render_worker(formats) -> RenderWorker | None:
    """A started worker when :func:`worker_wanted`, else None (``with render_worker(f) or nullcontext()``)."""
    return RenderWorker() if worker_wanted(formats) else None


# in the worker process ---------------------------------------------------------------------------------
def _prepare() -> None:
    """Import the renderers and load the fonts (the first layout and the first chart pay for them otherwise);
    WeasyPrint first: when the caller draws the charts itself, the worker is asked for the PDF only."""
    from weasyprint import HTML

    from yacang.report import charts, render_pdf  # noqa: F401

    HTML(string="<p style='font-family: \"Noto Serif CJK SC\"'>通报</p>").render()
    charts._mpl()


def _handle(kind: str, args: tuple) -> Any:
    if kind == "charts":
        from yacang.report.charts import png_images

        return png_images(*args)
    if kind == "pdf":
        from yacang.report.render_pdf import render_pdf

        b, path, images = args
        return render_pdf(b, path, images=images)
    raise ValueError(f"unknown request {kind!r}")


def serve(requests, replies) -> None:
    """Answer pickled requests from ``requests`` until its end, one pickled (ok, value) reply each."""
    while True:
        try:
            kind, args = pickle.load(requests)
        except EOFError:
            return
        try:
            data = pickle.dumps((True, _handle(kind, args)), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # sent back and raised again by the caller
            data = _error_reply(exc)
        replies.write(data)
        replies.flush()


def _error_reply(exc: Exception) -> bytes:
    """The error itself, or (when it cannot be pickled) a ReportError that names it."""
    try:
        return pickle.dumps((False, exc), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # an unpicklable exception still reaches the caller, by name
        return pickle.dumps((False, ReportError(f"通报文件生成出错：{type(exc).__name__}: {exc}")))


def main() -> None:
    replies = os.fdopen(os.dup(1), "wb")  # the protocol's channel; anything printed goes to stderr
    os.dup2(2, 1)
    _prepare()
    serve(sys.stdin.buffer, replies)
    replies.close()
    os._exit(0)  # every reply is written: skip tearing down matplotlib and WeasyPrint (~0.4 s)


if __name__ == "__main__":
    main()

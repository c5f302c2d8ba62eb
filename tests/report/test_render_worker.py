"""The charts and PDF made in a worker process (:mod:`yacang.report.render_worker`): the same files as in
one process, the worker's errors raised in the caller (with its traceback, or by name), a dead worker or an
unreadable reply a clear error, no bulletin left in part, and when no worker is used."""

from __future__ import annotations

import pickle
import subprocess
from pathlib import Path

import pytest

from yacang.report.errors import ReportError
from yacang.report.render_worker import RenderWorker, read_frame, serve, worker_wanted, write_frame

from .fixtures import guangdong_input


@pytest.fixture(scope="module")
def bulletin():
    from yacang.report.regional import compose

    return compose(guangdong_input())


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_the_pdf_of_the_worker_is_the_pdf_of_one_process(bulletin, tmp_path, monkeypatch):
    from yacang.report.bulletin import write_bulletin

    monkeypatch.setenv("YACANG_RENDER_WORKER", "0")
    alone = write_bulletin(bulletin, tmp_path / "alone", ["html", "pdf", "docx"])
    monkeypatch.setenv("YACANG_RENDER_WORKER", "1")
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    calls = []
    with_worker = write_bulletin(bulletin, tmp_path / "worker", ["html", "pdf", "docx"],
                                 on_format=lambda i, n, f: calls.append((i, n, f)))
    assert [p.name for p in with_worker] == [p.name for p in alone]  # the order asked
    assert calls == [(1, 3, "html"), (2, 3, "docx"), (3, 3, "pdf")]  # the PDF reported when the worker is done
    text = _text(with_worker[1])
    assert text == _text(alone[1])
    assert text.count("\f") >= 2 and "广东省" in text  # a real document, not two empty ones
    assert with_worker[0].read_bytes() == alone[0].read_bytes()  # the HTML from the same charts


def test_a_worker_started_ahead_draws_the_charts_too(bulletin, tmp_path, monkeypatch):
    from yacang.report.bulletin import write_bulletin

    monkeypatch.setenv("YACANG_RENDER_WORKER", "0")
    alone = write_bulletin(bulletin, tmp_path / "alone", ["html", "pdf", "docx"])

    def not_here(*args, **kwargs):
        raise AssertionError("the charts were drawn in the caller's process")

    monkeypatch.setattr("yacang.report.charts.png_images", not_here)
    with RenderWorker() as w:  # as yacang run starts it, before the bulletin is built
        ahead = write_bulletin(bulletin, tmp_path / "ahead", ["html", "pdf", "docx"], worker=w)
    assert _text(ahead[1]) == _text(alone[1])
    assert ahead[0].read_bytes() == alone[0].read_bytes()  # the worker's charts are the caller's, byte for byte


def test_an_error_in_the_worker_is_raised_in_the_caller(bulletin, tmp_path):
    with RenderWorker() as w:
        with pytest.raises(FileNotFoundError) as err:
            w.pdf(bulletin, tmp_path / "no such folder" / "b.pdf", None).result()
        assert "render_pdf" in "".join(err.value.__notes__)  # where it happened in the worker
        out = w.pdf(bulletin, tmp_path / "b.pdf", None).result()  # and it still serves the next request
    assert out == tmp_path / "b.pdf" and out.read_bytes().startswith(b"%PDF")


def test_a_worker_that_died_is_a_clear_error(bulletin, tmp_path):
    w = RenderWorker()
    w._proc.kill()
    w._proc.wait()
    with pytest.raises(ReportError, match=r"生成进程意外退出（退出码 -9）.*YACANG_RENDER_WORKER=0"):
        w.pdf(bulletin, tmp_path / "b.pdf", None).result()
    w.close()
    assert not (tmp_path / "b.pdf").exists()


class TwoArgumentError(OSError):
    """Pickles, but cannot be rebuilt from its pickle (its ``__init__`` wants two arguments)."""

    def __init__(self, path, why):
        super().__init__(f"{path}: {why}")


def _serve_once(request: bytes, handle, monkeypatch) -> tuple[bool, object]:
    import io

    import yacang.report.render_worker as rw

    monkeypatch.setattr(rw, "_handle", handle)
    requests, replies = io.BytesIO(), io.BytesIO()
    write_frame(requests, request)
    requests.seek(0)
    serve(requests, replies)
    replies.seek(0)
    ok, value = pickle.loads(read_frame(replies))
    assert read_frame(replies) is None  # one reply a request
    return ok, value


def test_an_error_that_cannot_be_rebuilt_reaches_the_caller_by_name(monkeypatch):
    def handle(kind, args):
        raise TwoArgumentError("/out/通报.pdf", "磁盘已满")

    ok, err = _serve_once(pickle.dumps(("pdf", ())), handle, monkeypatch)
    assert ok is False and isinstance(err, ReportError)
    assert "TwoArgumentError: /out/通报.pdf: 磁盘已满" in str(err) and "handle" in str(err)  # and the traceback


def test_a_request_the_worker_cannot_read_is_answered_with_an_error(monkeypatch):
    import sys
    import types

    module = types.ModuleType("yc_gone_module")

    class Gone:
        pass

    Gone.__module__, Gone.__qualname__ = "yc_gone_module", "Gone"
    module.Gone = Gone
    sys.modules["yc_gone_module"] = module
    try:
        request = pickle.dumps(("pdf", (Gone(),)))
    finally:
        del sys.modules["yc_gone_module"]  # as in a worker that has no such module
    ok, err = _serve_once(request, lambda kind, args: "never called", monkeypatch)
    assert ok is False and isinstance(err, ModuleNotFoundError)


def test_a_fault_of_the_worker_stops_it_and_the_caller_says_so(tmp_path):
    with RenderWorker(charts=False) as w:
        reply = w._send("charts", 123)  # png_images(123): a TypeError, not an error of writing files
        with pytest.raises(ReportError, match="生成进程意外退出（退出码 1）"):
            reply.result()


def test_one_request_at_a_time(bulletin, tmp_path):
    with RenderWorker(charts=False) as w:
        first = w.pdf(bulletin, tmp_path / "a.pdf", None)
        with pytest.raises(RuntimeError, match="one request at a time"):
            w.pdf(bulletin, tmp_path / "b.pdf", None)
        assert first.result() == tmp_path / "a.pdf"
        assert w.pdf(bulletin, tmp_path / "b.pdf", None).result() == tmp_path / "b.pdf"


@pytest.mark.parametrize("worker", ["0", "1"])
def test_a_failed_pdf_leaves_no_file_of_the_bulletin(bulletin, tmp_path, monkeypatch, worker):
    from yacang.report.bulletin import bulletin_stem, write_bulletin

    monkeypatch.setenv("YACANG_RENDER_WORKER", worker)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    out = tmp_path / "out"
    (out / f"{bulletin_stem(bulletin)}.pdf.part").mkdir(parents=True)  # the PDF cannot be written
    with pytest.raises(IsADirectoryError):
        write_bulletin(bulletin, out, ["html", "pdf", "docx", "xlsx"])
    assert sorted(p.name for p in out.iterdir()) == [f"{bulletin_stem(bulletin)}.pdf.part"]  # nothing else


def test_one_worker_a_spare_core(monkeypatch):
    import threading

    import yacang.report.render_worker as rw

    monkeypatch.setattr(rw, "_slots", threading.BoundedSemaphore(1))
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    monkeypatch.delenv("YACANG_RENDER_WORKER", raising=False)
    first = rw.render_worker(["pdf"])
    try:
        assert first is not None
        assert rw.render_worker(["pdf"]) is None  # another thread's bulletin is written in its own process
    finally:
        first.close()
    again = rw.render_worker(["pdf"])  # the slot is free again
    assert again is not None
    again.close()


def test_when_a_worker_is_used(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    monkeypatch.delenv("YACANG_RENDER_WORKER", raising=False)
    assert worker_wanted(["html", "PDF "])
    assert not worker_wanted(["html", "docx", "xlsx"])  # nothing slow to hand over
    monkeypatch.setenv("YACANG_RENDER_WORKER", "0")
    assert not worker_wanted(["pdf"])
    monkeypatch.delenv("YACANG_RENDER_WORKER")
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert not worker_wanted(["pdf"])  # one core: the worker would only wait for it


def test_a_failing_caller_does_not_wait_for_the_worker():
    import signal

    with pytest.raises(RuntimeError), RenderWorker() as w:
        raise RuntimeError("the bulletin could not be built")
    assert w._proc.returncode == -signal.SIGKILL  # stopped, not left to finish loading its libraries
    with RenderWorker() as w:
        pass
    assert w._proc.returncode == 0  # no error: it ends at the end of its input


def test_a_failure_here_while_the_worker_lays_out_the_pdf_leaves_no_file(bulletin, tmp_path, monkeypatch):
    from yacang.report.bulletin import write_bulletin

    monkeypatch.setenv("YACANG_RENDER_WORKER", "1")
    monkeypatch.setattr("os.cpu_count", lambda: 2)

    def broken(*args, **kwargs):
        raise OSError("磁盘已满")

    monkeypatch.setattr("yacang.report.render_docx.render_docx", broken)
    out = tmp_path / "out"
    with pytest.raises(OSError, match="磁盘已满"):
        write_bulletin(bulletin, out, ["pdf", "html", "docx", "xlsx"])  # its own worker (killed on the error)
    assert list(out.iterdir()) == []
    # started ahead, as yacang run does: it lives on after the error (the raises block ends first)
    with RenderWorker() as w, pytest.raises(OSError, match="磁盘已满"):
        write_bulletin(bulletin, out, ["pdf", "html", "docx", "xlsx"], worker=w)
    assert list(out.iterdir()) == []  # not even the PDF the worker was writing meanwhile

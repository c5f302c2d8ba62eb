"""The PDF laid out in a worker process (:mod:`yacang.report.render_worker`): the same PDF as in one
process, the worker's errors raised in the caller, a dead worker a clear error, and when no worker is used."""

from __future__ import annotations

import pickle
import subprocess
from pathlib import Path

import pytest

from yacang.report.errors import ReportError
from yacang.report.render_worker import RenderWorker, serve, worker_wanted

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
        with pytest.raises(FileNotFoundError):
            w.pdf(bulletin, tmp_path / "no such folder" / "b.pdf", None).result()
        out = w.pdf(bulletin, tmp_path / "b.pdf", None).result()  # and it still serves the next request
    assert out == tmp_path / "b.pdf" and out.read_bytes().startswith(b"%PDF")


def test_a_worker_that_died_is_a_clear_error(bulletin, tmp_path):
    w = RenderWorker()
    w._proc.kill()
    w._proc.wait()
    with pytest.raises(ReportError, match=r"生成进程意外退出.*YACANG_RENDER_WORKER=0"):
        w.pdf(bulletin, tmp_path / "b.pdf", None).result()
    w.close()
    assert not (tmp_path / "b.pdf").exists()


def test_an_unpicklable_error_reaches_the_caller_by_name(tmp_path):
    import io

    class Local(Exception):  # defined in a function: pickle cannot find it by name
        pass

    def handle(kind, args):
        raise Local("坏了")

    requests = io.BytesIO(pickle.dumps(("pdf", ())))
    replies = io.BytesIO()
    import yacang.report.render_worker as rw

    orig, rw._handle = rw._handle, handle
    try:
        serve(requests, replies)
    finally:
        rw._handle = orig
    ok, err = pickle.loads(replies.getvalue())
    assert ok is False and isinstance(err, ReportError) and "Local: 坏了" in str(err)


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

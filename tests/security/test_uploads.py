"""H4 and the careless-upload findings: caps before parsing, parsing outside the warehouse lock (in a
limited worker process, see ``test_isolated_parsing.py``), broken and empty files as located errors, no
server paths in answers, uploads not kept.

Wall-clock times are measured by ``benchmarks/upload_abuse.py``; here the properties are shown
directly: the parse worker is never started for an over-cap file, and a reader is served *while* an
upload is inside its parse worker (the parse is paused until the reader has finished).
"""

from __future__ import annotations

import threading

import pytest

from tests.security import crafted
from tests.security.conftest import bearer
from tests.web.fixtures import USCC_A

HEAD = "统一社会信用代码,企业名称,报告期,工业总产值(当期价格),工业总产值上年同期,工业销售产值,计量单位\n"


def upload(client, token, name: str, data: bytes, kind: str = "reports"):
    return client.post("/api/uploads", files={"file": (name, data)}, data={"kind": kind}, headers=bearer(token))


@pytest.fixture()
def no_parsing(monkeypatch):
    """Any start of a parse worker fails the test: over-cap files must be refused before parsing."""
    from yacang.web.api import files

    def never(*a, **k):
        raise AssertionError("the parser was called for a file over the caps")

    monkeypatch.setattr(files, "parse_isolated", never)


def test_two_million_empty_rows_refused_before_parsing(app, client, tokens, tmp_path, no_parsing):
    path = crafted.empty_rows_xlsx(tmp_path / "月报.xlsx", rows=2_000_000)
    assert path.stat().st_size < 300_000  # small on disk, as in the finding
    r = upload(client, tokens["gz_officer"], "月报.xlsx", path.read_bytes())
    assert r.status_code == 413, r.text
    assert "行数超过上限" in r.json()["detail"]["summary"]


def test_shared_string_bomb_refused_while_streaming(app, client, tokens, tmp_path, no_parsing):
    # 200 MB of one string: under the declared-size cap, so it is the streaming count that refuses it
    path = crafted.huge_shared_string_xlsx(tmp_path / "月报.xlsx", gib=0.2)
    r = upload(client, tokens["gz_officer"], "月报.xlsx", path.read_bytes())
    summary = r.json()["detail"]["summary"]
    assert r.status_code == 413 and ("共享字符串" in summary or "压缩炸弹" in summary), summary


@pytest.mark.slow
def test_one_gib_shared_string_refused(app, client, tokens, tmp_path, no_parsing):
    path = crafted.huge_shared_string_xlsx(tmp_path / "月报.xlsx", gib=1.0)
    assert path.stat().st_size < 2_000_000
    r = upload(client, tokens["gz_officer"], "月报.xlsx", path.read_bytes())
    assert r.status_code == 413 and "解压后大小" in r.json()["detail"]["summary"]


def test_reads_are_served_while_an_upload_is_being_parsed(app, client, tokens, tmp_path, monkeypatch):
    from yacang.web.api import files

    st = app.state.yacang
    inside, release = threading.Event(), threading.Event()
    real = files.parse_isolated

    def paused(fn, path, limits):
        inside.set()
        assert release.wait(30), "the reader never finished while the upload was being parsed"
        return real(fn, path, limits)  # the real worker process, real parser

    monkeypatch.setattr(files, "parse_isolated", paused)
    path = tmp_path / "月报.csv"
    path.write_text(HEAD + f"{USCC_A},某企业,2022-05,1000,900,990,千元\n", encoding="utf-8")
    from tests.web.fixtures import USERS  # noqa: F401  (the caller below is a real user)
    from yacang.auth import service
    from yacang.web.deps import Caller

    with __import__("sqlalchemy.orm", fromlist=["Session"]).Session(st.engine, expire_on_commit=False) as s:
        user = service.get_user(s, "gz_officer")
    who = Caller(user, service.scope_of(user), None, True)
    result: dict = {}
    uploader = threading.Thread(target=lambda: result.update(out=files.upload_file(st, who, path, "reports")))
    uploader.start()
    assert inside.wait(30)
    reader_status: list[int] = []
    reader = threading.Thread(target=lambda: reader_status.append(
        client.get("/api/series?region=440000", headers=bearer(tokens["gd_officer"])).status_code))
    reader.start()
    reader.join(20)
    finished_while_parsing = not reader.is_alive()
    release.set()
    uploader.join(30)
    reader.join(5)
    assert finished_while_parsing and reader_status == [200]
    assert result["out"][0] == 200


@pytest.mark.parametrize("case", ["truncated", "renamed", "empty", "garbage"])
def test_broken_workbooks_are_located_errors_not_500(app, client, tokens, tmp_path, case):
    from yacang.microdata.report_workbook import write_template

    template = write_template(tmp_path / "模板.xlsx")
    data = {"truncated": crafted.truncated(template, tmp_path / "t.xlsx").read_bytes(),
            "renamed": crafted.renamed_csv_as_xlsx(tmp_path / "r.xlsx").read_bytes(),
            "empty": b"", "garbage": b"PK\x03\x04" + b"\x00" * 100}[case]
    r = upload(client, tokens["gz_officer"], "月报.xlsx", data)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert detail["errors"] and detail["errors"][0]["file"] == "月报.xlsx"
    assert "Traceback" not in r.text and "BadZipFile" not in r.text


def test_header_only_files_are_not_successful_loads(app, client, tokens):
    r = upload(client, tokens["gz_officer"], "月报.csv", HEAD.encode())
    assert r.status_code == 422 and "没有数据行" in r.json()["detail"]["summary"]


def test_answers_name_no_server_path_and_uploads_are_not_kept(app, client, tokens):
    st = app.state.yacang
    ok = upload(client, tokens["gz_officer"], "月报.csv", (HEAD + f"{USCC_A},某企业,2022-05,1000,900,990,千元\n").encode())
    bad = upload(client, tokens["gz_officer"], "坏.csv", (HEAD + f"{USCC_A},某企业,2022-05,x,900,990,千元\n").encode())
    assert ok.status_code == 200 and bad.status_code == 422
    for r in (ok, bad):
        assert str(st.home) not in r.text and "/uploads/" not in r.text
    assert not any(p.is_file() for p in (st.home / "uploads").rglob("*"))


def test_error_list_is_capped(tmp_path):
    from yacang.ingest.limits import DEFAULT
    from yacang.microdata.report_workbook import parse_report_file

    path = tmp_path / "月报.csv"
    path.write_text(HEAD + "".join(f"{USCC_A},某企业,2022-05,x,x,x,千元\n" for _ in range(5000)), encoding="utf-8")
    batch = parse_report_file(path)
    assert len(batch.errors) == DEFAULT.max_errors + 1 and "错误过多" in batch.errors[-1].reason

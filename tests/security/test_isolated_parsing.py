"""H4, second half: a file that passes the caps is parsed in a worker process with memory and time limits
(:func:`yacang.ingest.isolated.parse_isolated`), so a parser blown up or stuck on a crafted file costs
one killed child, never the server: a limit hit is a 413 with a Chinese message saying what to do,
never a 500, never a worker left running.

Hostile parsers (``crafted.allocating_parser``, ``crafted.sleeping_parser``) write their process id
first, so the test can check the worker is gone afterwards. Budgets here are tiny on purpose; the
defaults (``Limits.worker_memory``/``worker_seconds``) are what uploads use.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from tests.security import crafted
from tests.security.conftest import bearer
from tests.web.fixtures import USCC_A
from yacang.ingest.errors import IngestError
from yacang.ingest.isolated import WorkerCrashed, WorkerMemoryExceeded, WorkerTimeout, parse_isolated
from yacang.ingest.limits import DEFAULT, LimitExceeded

HEAD = "统一社会信用代码,企业名称,报告期,工业总产值(当期价格),工业总产值上年同期,工业销售产值,计量单位\n"
NBS_IVA = "nbs_official_export_iva_ppi/original_reconstructed/98年-26年2月规上工业增加值增长速度.csv"


def tight(**kw) -> object:
    return dataclasses.replace(DEFAULT, **kw)


def gone(pid_file: Path) -> bool:
    """The worker whose pid the hostile parser wrote no longer runs (killed and reaped)."""
    pid = int(pid_file.read_text())
    assert pid != os.getpid(), "the parser ran in the server process, not in a worker"
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")  # reaped by its forkserver soon


def many_reports(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEAD)
        fh.writelines(f"{USCC_A},企业{i},2022-05,{1000 + i},900,990,千元\n" for i in range(n))
    return path


def test_report_file_parsed_in_a_worker_gives_the_values_of_the_file(tmp_path):
    from yacang.microdata.report_workbook import parse_report_file

    path = tmp_path / "月报.csv"
    path.write_text(HEAD + f"{USCC_A},某企业,2022-05,1000,900,990,千元\n", encoding="utf-8")
    batch = parse_isolated(parse_report_file, path)
    assert batch.errors == []
    row = batch.reports.iloc[0]
    # 千元 → 万元: 1000 千元 = 100 万元, 900 → 90, 990 → 99
    assert (row["uscc"], row["period"]) == (USCC_A, "2022-05")
    assert (row["output_value"], row["output_value_prev"], row["sales_value"]) == (100.0, 90.0, 99.0)


def test_real_nbs_export_parsed_in_a_worker(shared_data):
    from yacang.warehouse.load import parse_file

    batch = parse_isolated(parse_file, shared_data / NBS_IVA)
    obs = batch.observations
    value = obs[(obs["series_id"] == "nbs:iva.yoy.100000.TOTAL") & (obs["period"] == "2022-03")]["value"]
    assert list(value) == [pytest.approx(5.0)]  # NBS: 2022年3月规上工业增加值同比增长5.0%


def test_parser_located_errors_come_back_unchanged(tmp_path):
    from yacang.microdata.report_workbook import parse_report_file

    path = tmp_path / "错表.csv"
    path.write_text("企业名称,报告期\n某企业,2022-05\n", encoding="utf-8")
    with pytest.raises(IngestError) as exc:
        parse_isolated(parse_report_file, path)
    assert not isinstance(exc.value, LimitExceeded)
    assert "缺少必需列" in str(exc.value) and "统一社会信用代码" in str(exc.value)


def test_allocation_beyond_the_memory_limit_is_refused_and_the_worker_is_gone(tmp_path):
    pid_file = tmp_path / "pid"
    with pytest.raises(WorkerMemoryExceeded) as exc:  # tries to hold 4 GiB with a 200 MB budget
        parse_isolated(crafted.allocating_parser, pid_file, tight(worker_memory=200 << 20))
    assert isinstance(exc.value, LimitExceeded)
    assert "内存超过上限 200 MB" in exc.value.args[0] and "请拆分文件" in exc.value.args[0]
    assert exc.value.errors[0].file == "pid"
    assert gone(pid_file)


def test_parser_past_the_time_limit_is_killed(tmp_path):
    pid_file = tmp_path / "pid"
    with pytest.raises(WorkerTimeout) as exc:  # sleeps 600 s with a 1 s budget
        parse_isolated(crafted.sleeping_parser, pid_file, tight(worker_seconds=1.0))
    assert "超过时限 1 秒" in exc.value.args[0] and "请拆分文件" in exc.value.args[0]
    assert gone(pid_file)


def test_a_parser_bug_is_not_passed_off_as_a_limit(tmp_path):
    with pytest.raises(WorkerCrashed) as exc:
        parse_isolated(crafted.buggy_parser, tmp_path / "x.csv")
    assert "KeyError" in str(exc.value) and "no such column" in str(exc.value)


def test_real_parser_on_a_file_within_the_caps_but_over_the_memory_budget(tmp_path):
    from yacang.microdata.report_workbook import parse_report_file

    path = many_reports(tmp_path / "月报.csv", 50_000)  # 50,000 rows: under the 500,000-row cap
    with pytest.raises(WorkerMemoryExceeded):
        parse_isolated(parse_report_file, path, tight(worker_memory=16 << 20))


def upload(client, token, path: Path):
    return client.post("/api/uploads", files={"file": (path.name, path.read_bytes())}, data={"kind": "reports"},
                       headers=bearer(token))


@pytest.mark.parametrize(("limit", "says"), [({"worker_memory": 16 << 20}, "内存超过上限 16 MB"),
                                             ({"worker_seconds": 0.5}, "超过时限 0.5 秒")])
def test_upload_over_a_worker_limit_is_413_with_what_to_do(app, client, tokens, tmp_path, monkeypatch, limit, says):
    from tests.security.conftest import audit_rows
    from yacang.web.api import files

    monkeypatch.setattr(files, "LIMITS", tight(**limit))
    path = many_reports(tmp_path / "月报.csv", 50_000)
    r = upload(client, tokens["gz_officer"], path)
    assert r.status_code == 413, r.text[:300]
    detail = r.json()["detail"]
    assert says in detail["summary"] and "请拆分文件" in detail["summary"] and detail["errors"][0]["file"] == "月报.csv"
    failed = [e for e in audit_rows(app, "upload_failed") if e.target == "月报.csv"]
    assert len(failed) == 1
    assert not any(p.is_file() for p in (app.state.yacang.home / "uploads").rglob("*"))
    # nothing was written: the enterprise has no report for the period
    ok = client.get(f"/api/reports/{USCC_A}", headers=bearer(tokens["gz_officer"]))
    assert ok.status_code == 200 and "2022-05" not in ok.text

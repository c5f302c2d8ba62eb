"""Issue metadata (options over [bulletin] over neutral defaults) and the register of issued bulletins."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from .fixtures import guangdong_input


def test_meta_defaults_options_and_errors():
    from yacang.job_config import BulletinConfig
    from yacang.report.errors import ReportError
    from yacang.report.issue import resolve_meta

    m = resolve_meta()
    assert m.issuer == "（发文机关）" and m.doc_number == "" and m.signer == ""  # no real-sounding office
    assert m.issue_date in {dt.datetime.now(ZoneInfo("Asia/Shanghai")).date() + dt.timedelta(days=k) for k in (-1, 0)}
    cfg = BulletinConfig(issuer="甲省工业和信息化厅", doc_number="甲工信运〔{year}〕{seq}号", issue_date="2022-04-18")
    m = resolve_meta(cfg)
    assert (m.issuer, m.doc_number, m.issue_date) == ("甲省工业和信息化厅", "甲工信运〔2022〕1号", dt.date(2022, 4, 18))
    m = resolve_meta(cfg, issuer="乙厅", doc_number="乙〔2023〕7号", issue_date="2023-01-05", signer="赵六")
    assert (m.issuer, m.doc_number, m.issue_date, m.signer) == ("乙厅", "乙〔2023〕7号", dt.date(2023, 1, 5), "赵六")
    for bad in ("2022-02-30", "18/04/2022", "1899-01-01"):
        with pytest.raises(ReportError, match="成文日期"):
            resolve_meta(issue_date=bad)
    with pytest.raises(ReportError, match="文号格式"):
        resolve_meta(doc_number="〔{year}〕{n}号")
    with pytest.raises(ReportError, match="控制字符"):
        resolve_meta(signer="张\x00三")


def test_config_rejects_bad_issue_date(tmp_path):
    from yacang.job_config import ConfigError, load_config

    p = tmp_path / "yacang.toml"
    p.write_text('[bulletin]\nissue_date = "4月18日"\n', "utf-8")
    with pytest.raises(ConfigError, match=r"bulletin\.issue_date"):
        load_config(p)


def test_register_versions_archive_scope_and_audit(yacang_home, tmp_path):
    from sqlalchemy import select

    from yacang.appdb.base import get_engine, session_scope
    from yacang.auth.models import AuditEvent
    from yacang.auth.roles import Role
    from yacang.auth.scope import Scope
    from yacang.job_config import BulletinConfig
    from yacang.report.issue import (
        apply_meta,
        issue_file,
        issues_in_scope,
        record_issue,
        resolve_meta,
        upgrade_app_db,
    )
    from yacang.report.regional import compose

    upgrade_app_db()  # migration 0006 creates the register
    cfg = BulletinConfig(issuer="广东省工业和信息化厅", doc_number="粤工信运〔{year}〕{seq}号", issue_date="2022-04-18")
    out = tmp_path / "out"
    out.mkdir()
    versions = []
    for text in ("第一稿", "第二稿"):
        b = compose(guangdong_input())
        (out / "通报.docx").write_text(text, "utf-8")  # the same file name is rewritten by the next issue
        with session_scope(get_engine()) as s:
            apply_meta(b, resolve_meta(cfg, session=s))
            row = record_issue(s, b, [out / "通报.docx"], issued_by="tester", channel="cli")
            versions.append((row.id, row.version, row.doc_number))
    assert [(v, n) for _, v, n in versions] == [(1, "粤工信运〔2022〕1号"), (2, "粤工信运〔2022〕2号")]
    with session_scope(get_engine()) as s:
        rows = issues_in_scope(s, Scope(Role.ANALYST, region="440000"))
        assert [r.version for r in rows] == [2, 1] and rows[0].region == "440000"
        assert rows[0].provenance and rows[0].issue_date == dt.date(2022, 4, 18)
        first = next(r for r in rows if r.version == 1)
        assert issue_file(first, "通报.docx").read_text("utf-8") == "第一稿"  # v1 kept, not overwritten
        assert issue_file(rows[0], "通报.docx").read_text("utf-8") == "第二稿"
        assert issue_file(first, "../app.sqlite") is None
        assert issues_in_scope(s, Scope(Role.ANALYST, region="320000")) == []  # another province sees nothing
        assert issues_in_scope(s, Scope(Role.ANALYST, region="440300")) == []  # a city does not see its province's
        assert issues_in_scope(s, Scope(Role.ENTERPRISE, region="440000", uscc="x")) == []
        assert len(issues_in_scope(s, Scope(Role.ADMIN))) == 2
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "bulletin")).all()
        assert sorted(e.target for e in events) == ["440000:2022-03:v1", "440000:2022-03:v2"]


@pytest.mark.slow
def test_cli_bulletin_takes_options_over_config_and_registers(yacang_home, shared_data):
    """``yacang report bulletin`` on the real national series: [bulletin] of yacang.toml, options over it,
    a new version each run, a bad 成文日期 refused before anything is written."""
    import docx
    from typer.testing import CliRunner

    from yacang.appdb.base import get_engine, session_scope
    from yacang.auth.roles import Role
    from yacang.auth.scope import Scope
    from yacang.cli import app
    from yacang.report.issue import issue_file, issues_in_scope
    from yacang.settings import get_settings
    from yacang.warehouse import Warehouse

    from .wind_batch import national_batch

    w = Warehouse.open(get_settings().warehouse_path)
    w.write_batch(national_batch(shared_data))
    w.close()
    (yacang_home.parent / "yacang.toml").write_text(
        '[bulletin]\nissuer = "丙省工业和信息化厅"\ndoc_number = "丙工信〔{year}〕{seq}号"\nissue_date = "2022-04-18"\n', "utf-8")
    runner = CliRunner()
    args = ["report", "bulletin", "--period", "2022-03", "--format", "docx", "--out", "out"]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert "第1版  丙工信〔2022〕1号  丙省工业和信息化厅  成文日期 2022年4月18日" in r.output
    r = runner.invoke(app, [*args, "--issue-date", "2022-05-06", "--signer", "钱七", "--issuer", "丁厅"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, [*args, "--issue-date", "2022-04-31"])
    assert r.exit_code == 1 and "成文日期" in r.output
    with session_scope(get_engine()) as s:
        rows = issues_in_scope(s, Scope(Role.ADMIN))
        assert [(x.version, x.doc_number, str(x.issue_date), x.issuer, x.signer) for x in rows] == [
            (2, "丙工信〔2022〕1号", "2022-05-06", "丁厅", "钱七"),  # first issue of 丁厅 in 2022
            (1, "丙工信〔2022〕1号", "2022-04-18", "丙省工业和信息化厅", "")]
        texts = [p.text for p in docx.Document(str(issue_file(rows[1], rows[1].files[0]["name"]))).paragraphs]
    assert texts[0] == "丙省工业和信息化厅" and "2022年4月18日" in texts

"""``yacang policy``: ingest the seeds, list documents, duplicates, measures and facts, add a note."""

from __future__ import annotations

import io
import json

import pandas as pd
from typer.testing import CliRunner

from tests.policy.helpers import NOTICE_SEED, PINYIN_SEED
from yacang.cli.policy import app

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def test_policy_commands_end_to_end(yacang_home, seeds):
    r = _run("ingest", str(seeds))  # a directory stands for its documents
    assert r.exit_code == 0, r.output
    assert r.output.count("新增") == 5
    assert "工信部联运行〔2022〕160号" in r.output and "部分相同 80.0%/17.7%" in r.output
    assert "仓库尚未建立" in r.output
    again = _run("ingest", str(seeds / NOTICE_SEED), str(seeds / PINYIN_SEED), "--no-check")
    assert again.exit_code == 0 and again.output.count("已存在") == 2 and "新增" not in again.output

    docs = _run("docs")
    assert "（取自#1）" in docs.output and "否（见#2）" in docs.output
    show = _run("show", "2")
    assert show.exit_code == 0, show.output
    assert "文号：工信部联运行〔2022〕160号（取自#1）" in show.output and "一、总体要求" in show.output
    assert "2022年四季度、2023年" in show.output and "见于对方" in show.output
    pinyin = _run("show", "#1")
    assert "去除拼音注音 196 处" in pinyin.output  # 197 "(" in the file, one of them "(以下簡稱《通知》)"
    assert _run("show", "99").exit_code == 1
    dups = _run("dups")
    assert "部分相同" in dups.output and "80.0" in dups.output and "17.7" in dups.output

    measures = _run("measures")
    assert measures.exit_code == 0
    assert "完善监测调度和督导激励机制" in measures.output and "东北地区推动全面振兴取得新突破" in measures.output

    note = _run("note", "17", "--region", "湖北", "--officer", "王五", "--status", "推进中", "--text", "已按月通报")
    assert note.exit_code == 0 and "420000" in note.output
    one = _run("measure", "17")
    assert "（十七）完善监测调度和督导激励机制" in one.output and "推进中" in one.output and "王五" in one.output
    assert "28.9" in one.output  # the April post's 制造业占比, linked through manufacturing_share

    facts = _run("facts")
    assert facts.exit_code == 0 and "2022年1-3月" in facts.output
    table = pd.read_csv(io.StringIO(_run("facts", "--format", "csv").output))
    scale = table[table["指标键"] == "manufacturing_va"]  # "制造业增加值规模达到31.4万亿元"
    assert scale["数值"].tolist() == [314000.0] and scale["单位"].tolist() == ["亿元"]
    records = json.loads(_run("facts", "--format", "json", "--no-check").output)
    assert len(records) == len(table) == 17
    assert {"指标键", "口径", "期别代码", "数值", "核对", "仓库值", "位置", "原文"} <= set(records[0])
    assert _run("facts", "--format", "xml").exit_code == 2

    link = _run("link", "5", "--kind", "dispatch", "--key", "chains")
    assert link.exit_code == 0


def test_policy_errors_exit_nonzero(yacang_home, seeds, tmp_path):
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.5 ...")
    r = _run("ingest", str(bad), str(seeds / NOTICE_SEED))
    assert r.exit_code == 1
    assert "新增" in r.output  # the good file is still ingested
    assert _run("measure", "99").exit_code == 1
    assert _run("note", "1", "--region", "火星", "--officer", "x", "--status", "推进中", "--text", "y").exit_code == 1


def test_facts_checked_against_the_warehouse_file(yacang_home, seeds, shared_data):
    from tests.policy.helpers import APRIL_POST, XIAO_POST, load_nbs_iva
    from yacang.cli.common import open_warehouse

    wh = open_warehouse()
    load_nbs_iva(wh, shared_data)
    wh.close()
    r = _run("ingest", str(seeds / XIAO_POST), str(seeds / APRIL_POST))
    assert r.exit_code == 0, r.output
    assert "核对结果：一致 4 条，无数据 13 条" in r.output  # 9.6, 6.5, 两年平均6.1, 比2020年提高6.8
    facts = _run("facts")
    rows = [line for line in facts.output.splitlines()
            if line.startswith("│ 规模以上工业增加值 ") and "累计同比" in line]  # not 制造业规模以上…
    assert len(rows) == 2 and all("一致" in line for line in rows)


def test_show_prints_the_date_and_why(yacang_home):
    from pathlib import Path

    real = Path(__file__).parents[1] / "fixtures" / "policy" / "real"
    r = _run("ingest", str(real / "nbs_2023_04_iva.txt"), "--url", "http://cqtresearch.com/kuaixun/2023/0516/212011.html",
             "--no-check")
    assert r.exit_code == 0, r.output
    show = _run("show", "1")
    assert "日期：2023-05-16（来源网址中的日期" in show.output
    assert "清洗：页面框架行 1 行" in show.output
    r = _run("ingest", str(real / "nbs_2019_07_iva.txt"), "--no-check")
    show = _run("show", "2")
    assert "日期：2019-08-15（正文未写发布日期，按发布日历推断" in show.output
    assert _run("ingest", str(real), "--url", "http://example.org/x.html").exit_code == 2  # one file only

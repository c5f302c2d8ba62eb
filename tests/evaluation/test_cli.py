"""The CLI on real data: the 2022 province ranking with rank intervals, an explanation, sensitivity, exports,
and the 申报 commands as users of the app database."""

from __future__ import annotations

import json

import pytest

from tests.evaluation.test_workflow import values


def run(*args: str):
    from typer.testing import CliRunner

    from yacang.cli import app

    return CliRunner().invoke(app, list(args))


@pytest.mark.slow
def test_province_ranking_2022_explain_sensitivity_export(yacang_home, shared_data, tmp_path):
    r = run("evaluate", "run", "--year", "2022", "--data", str(shared_data), "--draws", "300")
    assert r.exit_code == 0, r.output
    out = r.output
    assert "2022年 各省份工业稳增长评价排名" in out and "名次区间(5%–95%)" in out
    assert "全国规上工业增加值 2022 年累计增长 3.6%" in out  # NBS: 2022 规上工业增加值 +3.6%
    # the six provinces with 当月 data only are named with how their annual growth was obtained
    assert "※ " in out and "北京市" in out and "非官方累计数" in out
    assert out.count("省") + out.count("自治区") + out.count("市") >= 31
    again = run("evaluate", "run", "--year", "2022", "--data", str(shared_data), "--draws", "300")
    # the second run finds the national series already loaded and prints the same ranking (same seed)
    assert "仓库中已有全国序列" in again.output
    assert again.output.split("· ")[0] == out.split("· ")[0]

    e = run("evaluate", "explain", "--region", "上海", "--year", "2022")
    assert e.exit_code == 0, e.output
    # 上海 2022 全年 −0.6% (province file; 上海市统计局: −0.6%); 2021 11.0% → 增速较上年 −11.6 个百分点
    assert "上海市 2022年 工业稳增长评价" in e.output and "-0.6" in e.output and "-11.6" in e.output
    assert "分维度" in e.output and "数据来源" in e.output

    s = run("evaluate", "sensitivity", "--year", "2022", "--data", str(shared_data), "--draws", "100")
    assert s.exit_code == 0, s.output
    assert "Spearman" in s.output and "对各地区名次影响最大的指标" in s.output and "关键指标" in s.output

    x = run("evaluate", "export", "--year", "2022", "--out", str(tmp_path))
    assert x.exit_code == 0, x.output
    from docx import Document
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "评分表_2022_wenzengzhang_wsum.xlsx")
    rows = list(wb["评分表"].iter_rows(min_row=4, values_only=True))
    names = [r[1] for r in rows if r[1]]
    assert len(names) == len(set(names)) == 31 and "西藏自治区" in names and "北京市" in names
    assert any(str(r[0]).startswith("数据来源") for r in rows)
    text = "\n".join(p.text for p in Document(tmp_path / "结果通报_2022_wenzengzhang_wsum.docx").paragraphs)
    assert "关于2022年各省份工业稳增长评价结果的通报" in text and "数据来源" in text

    missing = run("evaluate", "explain", "--region", "上海", "--year", "2019")
    assert missing.exit_code == 1 and "请先运行" in missing.output


def test_call_commands(yacang_home, tmp_path):
    from argon2 import PasswordHasher

    from yacang.appdb.base import app_db_url, get_engine, session_scope
    from yacang.appdb.migrate import upgrade
    from yacang.auth import passwords, service

    saved = passwords._HASHER
    passwords._HASHER = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    try:
        upgrade(app_db_url())
        with session_scope(get_engine()) as s:
            for name, region in (("zj", "330000"), ("hz", "330100"), ("nb", "330200")):
                service.add_user(s, name, "pw-123456", "officer", region=region)
    finally:
        passwords._HASHER = saved
    r = run("evaluate", "call", "create", "--user", "zj", "--year", "2022", "--quota", "1")
    assert r.exit_code == 0, r.output
    for user, level in (("hz", 3), ("nb", 1)):
        f = tmp_path / f"{user}.json"
        f.write_text(json.dumps(values(level)), encoding="utf-8")
        r = run("evaluate", "call", "submit", "1", "--user", user, "--values", str(f))
        assert r.exit_code == 0 and "已提交" in r.output, r.output
    assert run("evaluate", "call", "review", "1", "--user", "hz", "--step", "score").exit_code == 1
    # without the national series in the warehouse the 功效系数 thresholds cannot be set: a clear refusal
    r = run("evaluate", "call", "review", "1", "--user", "zj", "--step", "score")
    assert r.exit_code == 1 and "全国数据" in r.output

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
    assert "全国规上工业增加值累计增速取自数据仓库：wind:iva.ytd_yoy.100000.TOTAL（国家统计局（经Wind转载））" in again.output
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


def _row(out: str, name: str) -> list[str]:
    """The cells of the table row that starts with ``name``."""
    line = next(x for x in out.splitlines() if x.strip("│ ").startswith(name))
    return [c.strip() for c in line.strip().strip("│").split("│")]


def test_explain_gives_values_in_units_and_the_basis_to_redo_a_score_by_hand(yacang_home, shared_data, monkeypatch,
                                                                            tmp_path):
    """Two figures redone by hand from the shared files, and the explanation prints what that needs.

    province_gdp_current_prices.csv (亿元): 北京 2021 41045.6, 2022 41540.9 → 1.2067%; the lowest growth of the
    31 is 吉林 12818.1/13163.8 − 1 = −2.6261%, the highest 山西 25583.9/22870.4 − 1 = 11.8647%, so 北京's
    极差 score is (1.2067 + 2.6261)/(11.8647 + 2.6261) = 0.2645 → 26.5.
    province_iva_yoy_monthly_2015_2024.csv: 广东 2022-12 累计 1.6%; 全国 2022 3.6% (NBS) → 满意值 6.6%、不允许值
    0.6%; 功效系数 60 + 40 × (1.6 − 0.6)/6 = 66.7.
    """
    monkeypatch.setenv("COLUMNS", "200")
    r = run("evaluate", "run", "--year", "2022", "--data", str(shared_data), "--draws", "0")
    assert r.exit_code == 0, r.output
    assert "熵值法" in r.output and "entropy" not in r.output
    said = "".join(r.output.split())
    assert "分省规模以上工业增加值增速（数据仓库，省统计局（经Wind转载）：2021、2022年1-12月累计同比" in said
    assert "分省地区生产总值（现价，数据仓库，国家统计局：2021、2022年）" in said
    assert "已导入AnnualbyProvince.xls（分省地区生产总值，新增620条观测）" in said
    e = run("evaluate", "explain", "--region", "北京", "--year", "2022")
    assert e.exit_code == 0, e.output
    gdp = _row(e.output, "地区生产总值名义增速")
    assert gdp[1:3] == ["1.2%", "26.5"]
    assert "最低 吉林省 -2.6%、最高 山西省 11.9%" in e.output
    change = _row(e.output, "增速较上年变化")
    assert change[1].endswith("个百分点")
    months = _row(e.output, "累计负增长月份数")
    assert months[1] == "9个"  # 北京 2022 当月 below zero in 4–12月 (file), whole months, not 9.0
    g = run("evaluate", "explain", "--region", "广东", "--year", "2022")
    assert _row(g.output, "规上工业增加值增速")[1:3] == ["1.6%", "66.7"]
    assert "功效系数法，满意值 6.6%、不允许值 0.6%" in g.output
    assert "数据来源：分省规模以上工业增加值增速（数据仓库，" in "".join(g.output.split())
    # the 评分表: values as printed (one decimal), units in the headers, the same basis in 说明
    from openpyxl import load_workbook

    x = run("evaluate", "export", "--year", "2022", "--out", str(tmp_path))
    assert x.exit_code == 0, x.output
    wb = load_workbook(next(tmp_path.glob("评分表_2022_*.xlsx")))
    rows = list(wb["指标数值"].iter_rows(values_only=True))
    assert rows[0][1:3] == ("规上工业增加值增速（%）", "两年平均增速（%）")
    assert rows[0][4:] == ("增速较上年变化（百分点）", "累计负增长月份数（个）")
    bj = next(r for r in rows if r[0] == "北京市")
    assert bj[3] == 1.2  # 1.2067 as the reader sees it, not 1.2067066871966903
    notes = [r[0] for r in wb["说明"].iter_rows(values_only=True)]
    assert "评价期：2022年" in notes
    assert any("最低 吉林省 -2.6%、最高 山西省 11.9%" in n for n in notes)


@pytest.mark.slow
def test_a_ranking_from_what_the_user_loaded_needs_no_data_directory(yacang_home, shared_data, tmp_path):
    """The evaluation reads the warehouse: the province table, the NBS portal's 分省年度数据 (here its Chinese
    export, written from the curator's CSV, not the file the run would look for) and the national series,
    loaded with yacang ingest, rank the provinces with --data pointing nowhere."""
    import csv

    rows = list(csv.DictReader((shared_data / "province_gdp_annual/province_gdp_current_prices.csv").open(encoding="utf-8")))
    years = sorted({r["year"] for r in rows}, reverse=True)
    by_name: dict[str, dict[str, str]] = {}
    for r in rows:
        by_name.setdefault(r["province_name"], {})[r["year"]] = r["gdp_100m_yuan"]
    gdp = tmp_path / "分省年度数据.csv"
    gdp.write_text("\n".join(["数据库：分省年度数据", "指标：地区生产总值(亿元)", "地区," + ",".join(f"{y}年" for y in years),
                              *(n + "," + ",".join(v[y] for y in years) for n, v in by_name.items())]) + "\n", "utf-8")
    for f in (shared_data / "province_industry_monthly_wind/province_iva_yoy_monthly_2015_2024.csv", gdp,
              shared_data / "nbs_official_export_iva_ppi/original_reconstructed/98年-26年2月规上工业增加值增长速度.csv"):
        assert run("ingest", str(f)).exit_code == 0
    r = run("evaluate", "run", "--year", "2023", "--data", str(tmp_path / "nowhere"), "--draws", "0")
    assert r.exit_code == 0, r.output
    assert "分省规模以上工业增加值增速取自数据仓库" in r.output and "分省地区生产总值取自数据仓库" in r.output
    # NBS: 2023 规上工业增加值 +4.6%; the GDP table is the NBS portal's, the growth Wind's copy of the bureaus'
    assert "全国规上工业增加值 2023 年累计增长 4.6%" in r.output
    said = " ".join(r.output.split())
    assert ("分省规模以上工业增加值增速（数据仓库，省统计局（经Wind转载）：2022、2023年1-12月累计同比，6省为各月当月同比的简单平均）"
            "；分省地区生产总值（现价，数据仓库，国家统计局：2022、2023年）") in said.replace(" ", "")
    e = run("evaluate", "explain", "--region", "江苏", "--year", "2023")
    # 江苏 2023 全年 7.6 (the province table; 江苏省统计局 2023: +7.6%); GDP 2023/2022 from the NBS table by hand
    gdp_js = {r["year"]: float(r["gdp_100m_yuan"]) for r in rows if r["province_code"] == "320000"}
    assert e.exit_code == 0 and "7.6" in e.output
    assert f"{(gdp_js['2023'] / gdp_js['2022'] - 1) * 100:.1f}" in e.output

"""``yacang chains …`` in a private home: import, bad links with a located Chinese error (exit 1), shock."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from tests.chains.conftest import ENTS, LINK_HEADERS, U, link_rows
from yacang.chains.sheets import write_form
from yacang.cli import app

runner = CliRunner()


def test_cli_end_to_end(yacang_home, tmp_path):
    from yacang.cli.common import open_warehouse
    from yacang.microdata.store import MicrodataStore

    wh = open_warehouse()
    MicrodataStore(wh).add_enterprises(pd.DataFrame([{"uscc": U[k], "name": v[2], "region": v[0], "industry": v[1]}
                                                     for k, v in ENTS.items()]))
    wh.close()
    r = runner.invoke(app, ["chains", "import"])
    assert r.exit_code == 0, r.output
    assert "已导入产业链图谱 4 条" in r.output and "按行业小类挂接链上企业" in r.output
    bad = [[U["E1"], U["E3"], -0.5, "", "", "", ""]]
    r = runner.invoke(app, ["chains", "links", str(write_form(tmp_path / "bad.xlsx", LINK_HEADERS, bad))])
    assert r.exit_code == 1
    assert "bad.xlsx 第2行，列“供货占比”，值“-0.5”：不能为负数" in r.output and "全部未入库" in r.output
    r = runner.invoke(app, ["chains", "links", str(write_form(tmp_path / "ok.xlsx", LINK_HEADERS, link_rows()))])
    assert r.exit_code == 0 and "已导入供货关系 7 条" in r.output
    r = runner.invoke(app, ["chains", "shock", "--region", "310000", "--start", "2022-04-01", "--days", "10",
                            "--horizon", "14"])
    assert r.exit_code == 0, r.output
    # no reports in this home: affected enterprises are listed, their loss unknown (not 0)
    assert "直接停减产企业 2 家，受波及企业合计 5 家" in r.output
    assert "其中 5 家受影响企业在冲击前没有月报，产值损失无法估算" in r.output
    r = runner.invoke(app, ["chains", "shock", "--region", "310000", "--start", "2022-04-01"])
    assert r.exit_code == 0
    r = runner.invoke(app, ["chains", "scenarios"])
    assert r.exit_code == 0 and "冲击情景" in r.output
    from yacang.warehouse import chains as store

    wh = open_warehouse()
    sc = store.scenarios(wh)
    wh.close()
    assert sorted(sc["days"]) == [10, 30]  # the two shocks are two stored, comparable scenarios
    r = runner.invoke(app, ["chains", "shock", "--region", "310000", "--material", "copper", "--start", "2022-04-01"])
    assert r.exit_code == 1 and "只指定一种冲击" in r.output
    r = runner.invoke(app, ["chains", "show", "steel"])
    assert r.exit_code == 1 and "没有产业链 steel" in r.output


def test_show_and_report_take_the_chain_name(yacang_home, tmp_path):
    """README: ``yacang chains report 动力电池``; the name that ``chains list`` prints resolves to the code, and
    the segments' materials read in Chinese (碳酸锂（60%）), not as configuration codes."""
    r = runner.invoke(app, ["chains", "show", "动力电池"])
    assert r.exit_code == 0, r.output
    assert "动力电池产业链（battery）" in r.output
    assert "碳酸锂" in r.output and "lithium_carbonate" not in r.output
    r = runner.invoke(app, ["chains", "show", "光伏产业链"])
    assert r.exit_code == 0 and "（pv）" in r.output
    r = runner.invoke(app, ["chains", "report", "动力电池", "--format", "html,docx", "-o", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "一链一策_动力电池.html").is_file()
    from docx import Document

    text = "\n".join(c.text for t in Document(str(tmp_path / "一链一策_动力电池.docx")).tables
                     for row in t.rows for c in row.cells)
    assert "碳酸锂（60%）" in text and "lithium_carbonate" not in text
    r = runner.invoke(app, ["chains", "report", "钢铁"])
    assert r.exit_code == 1 and "没有产业链 钢铁" in r.output


def test_shock_tables_name_chains_provinces_and_regions(chain_wh, yacang_home, monkeypatch):
    """上海 stops 10 days in the hand-built world: the groups read 新能源汽车 / 上海市, the downstream list names
    宁波's region (浙江省（330212）, counties not imported) — it printed nev, 310000, 330212 and a False column."""
    from tests.chains.test_report import _Shared
    from yacang.cli.common import console

    monkeypatch.setattr("yacang.cli.chains.open_warehouse", lambda: _Shared(chain_wh))
    monkeypatch.setattr(console, "_width", 220)  # restored to None (width from COLUMNS) after
    r = runner.invoke(app, ["chains", "shock", "--region", "上海", "--start", "2022-04-01", "--days", "10"])
    assert r.exit_code == 0, r.output
    out = r.output
    groups = out[out.index("分产业链"):out.index("产业链预警")]
    assert "新能源汽车" in groups and "│ nev" not in groups and "上海市" in groups and "310000" not in groups
    down = out[out.index("受波及的下游企业"):]
    assert ENTS["E5"][2] in down and "浙江省（330212）" in down
    assert "False" not in down and "最低开工水平(%)" in down

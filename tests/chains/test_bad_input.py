"""Bad input to ``yacang chains …`` and the chains API: a Chinese error naming what is wrong and what to do,
exit 1 or HTTP 4xx, never a traceback, a 500 or a silently odd result."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tests.chains.conftest import U
from tests.chains.test_api import client, get, post  # noqa: F401  (the API fixture)
from yacang.cli import app

runner = CliRunner()


def _refused(r, *words: str) -> None:
    """Exit 1 with every word in the output, and no Python exception escaped."""
    assert r.exit_code == 1, r.output
    assert isinstance(r.exception, SystemExit), repr(r.exception)
    assert "Traceback" not in r.output
    for w in words:
        assert w in r.output, r.output


def test_links_members_and_maps_that_are_not_workbooks(yacang_home, tmp_path):
    """A text file given as the links form, a renamed text file (.xlsx) and a binary map: each a located
    Chinese error (it was openpyxl's InvalidFileException / a UnicodeDecodeError traceback)."""
    text = tmp_path / "供货关系.txt"
    text.write_text("供应商,客户\n", encoding="utf-8")
    _refused(runner.invoke(app, ["chains", "links", str(text)]), "供货关系.txt", "不是 Excel 工作簿", "全部未入库")
    renamed = tmp_path / "供货关系.xlsx"
    renamed.write_text("not a workbook", encoding="utf-8")
    _refused(runner.invoke(app, ["chains", "links", str(renamed)]), "供货关系.xlsx", "不是有效的 Excel 工作簿")
    _refused(runner.invoke(app, ["chains", "import", "--no-attach", "--members", str(text)]), "企业上链申报表",
             "不是 Excel 工作簿")
    binary = tmp_path / "map.yaml"
    binary.write_bytes(b"\xff\xfe\x00\x81code: x\n")
    _refused(runner.invoke(app, ["chains", "import", str(binary)]), "map.yaml", "不是 UTF-8 编码")


def test_report_into_a_file_is_refused(yacang_home, tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("x", encoding="utf-8")
    _refused(runner.invoke(app, ["chains", "report", "battery", "-o", str(taken)]), "无法使用输出目录", "已有同名文件")
    assert taken.read_text(encoding="utf-8") == "x"
    _refused(runner.invoke(app, ["chains", "links", "--template", str(taken)]), "无法使用输出目录", "请用 --template")


@pytest.mark.parametrize(("args", "words"), [
    (["--data", "foo"], ["数据集应为 auto、demo 或 real", "foo"]),     # was read as real data
    (["--top", "-3"], ["--top 应为 1 至 10000"]),                       # head(-3) listed all but 3
    (["--days", "5000"], ["冲击天数最多 366 天"]),  # 10⁸ ran for ever (one stored row a day)
    (["--days", "30", "--horizon", "5000"], ["模拟天数最多 400 天"]),
])
def test_shock_options_are_checked(chain_wh, yacang_home, monkeypatch, args, words):
    from tests.chains.test_report import _Shared

    monkeypatch.setattr("yacang.cli.chains.open_warehouse", lambda: _Shared(chain_wh))
    r = runner.invoke(app, ["chains", "shock", "--region", "310000", "--start", "2022-04-01", *args])
    _refused(r, *words)
    from yacang.warehouse import chains as store

    assert store.scenarios(chain_wh).empty  # nothing stored


def test_stress_days_are_checked(yacang_home):
    _refused(runner.invoke(app, ["chains", "show", "battery", "--stress", "100000"]), "--stress 应为 0 至 366")
    _refused(runner.invoke(app, ["chains", "show", "battery", "--stress", "-1"]), "--stress 应为 0 至 366")


def test_unknown_scenarios_to_compare_are_named(yacang_home):
    _refused(runner.invoke(app, ["chains", "scenarios", "nope123"]), "没有情景 nope123")


def test_list_says_which_data_the_members_come_from(chain_wh, yacang_home, monkeypatch):
    from tests.chains.test_report import _Shared

    monkeypatch.setattr("yacang.cli.chains.open_warehouse", lambda: _Shared(chain_wh))
    r = runner.invoke(app, ["chains", "list"])
    assert r.exit_code == 0, r.output
    assert "链上企业数据来源：企业月报与申报" in r.output  # the hand world's enterprises are not the demo's


def test_enterprise_scenario_counts_each_enterprise_once(chain_wh):
    """The same USCC twice is one enterprise (it read “2 家企业企业停产”, a scenario apart from the single one)."""
    import datetime as dt

    from yacang.chains.shocks import Scenario

    once = Scenario("enterprise", dt.date(2022, 4, 1), 3, 17, usccs=(U["E1"],))
    twice = Scenario("enterprise", dt.date(2022, 4, 1), 3, 17, usccs=(U["E1"], U["E1"]))
    assert twice.title() == "1 家企业停产 3 天（自2022年4月1日起）"
    assert twice.scenario_id == once.scenario_id


def test_api_region_stop_with_a_bad_code_is_422_for_anyone(client):  # noqa: F811
    """An administrator covers every region, so a name or a short code reached region_prefix: HTTP 500."""
    for region in ("上海", "31", "9999999"):
        r = post(client, "admin", "/api/chains/scenarios",
                 {"kind": "region", "start": "2022-04-01", "days": 3, "region": region})
        assert r.status_code == 422, (region, r.status_code, r.text)
        assert r.json()["detail"].startswith("地区代码无效"), r.text
    r = post(client, "sh", "/api/chains/scenarios", {"kind": "region", "start": "2022-04-01", "days": 3,
                                                    "region": "310000" * 1000})
    assert r.status_code == 422 and len(r.text) < 2000  # not echoed back whole


def test_api_scenario_hidden_from_the_list_is_not_found_by_id(client):  # noqa: F811
    """上海's stop of E1 alone reaches no 江苏 enterprise (E1 → E3 has 3 days of stock): 江苏's list leaves it out,
    and its id must not open it either (it answered 200 with the scenario's name)."""
    r = post(client, "sh", "/api/chains/scenarios",
             {"kind": "enterprise", "start": "2022-04-01", "days": 2, "usccs": [U["E1"]]})
    assert r.status_code == 201, r.text
    sid = r.json()["scenario_id"]
    assert sid not in [s["scenario_id"] for s in get(client, "js", "/api/chains/scenarios").json()]
    r = get(client, "js", f"/api/chains/scenarios/{sid}")
    assert r.status_code == 404 and "停产" not in r.text
    assert get(client, "sh", f"/api/chains/scenarios/{sid}").status_code == 200


def test_api_shock_is_audited_before_it_is_stored(client, monkeypatch):  # noqa: F811
    """If the audit row cannot be written, no scenario is stored (it was stored first, then audited)."""
    from yacang.auth import audit

    def broken(*a, **k):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        post(client, "sh", "/api/chains/scenarios", {"kind": "region", "start": "2022-04-01", "days": 3,
                                                     "region": "310000"})
    from yacang.warehouse import chains as store

    with client.app_.state.yacang.warehouse() as wh:
        assert store.scenarios(wh).empty


def test_a_name_holding_markup_stays_data_on_the_chain_page(client, chain_wh):  # noqa: F811
    """The graph JSON sat in <script> unescaped (|safe): a registry name with "</script>" ended the block and
    its own <script> ran for every official opening the page."""
    evil = "</script><script>alert(1)</script>上海浦东芯片制造有限公司"
    chain_wh.db.execute("UPDATE enterprises SET name = ? WHERE uscc = ?", [evil, U["E1"]])
    r = get(client, "admin", "/chains/nev")
    assert r.status_code == 200
    assert "<script>alert(1)" not in r.text
    import json
    import re

    raw = re.search(r'<script type="application/json" id="chain-graph-data">(.*?)</script>', r.text, re.S).group(1)
    assert evil in [n["name"] for n in json.loads(raw)["nodes"]]  # the name itself arrives intact, as data


def test_chain_page_scenarios_are_cut_to_the_callers_region(client):  # noqa: F811
    """上海 stops 3 days (E1, E2). On 新能源汽车 (E1 E3 E4 E5 E6), worked by hand (万元 a day: E1 100, E3 50, E5 300,
    E6 30): E1 loses 3 days + 0.4 of day 4 (E2 → E1 share .4, no stock) = 340; E6 (E1 → E6 .6, no stock) 0.6×30×3
    + 0.24×30 = 61.2; E3's 3 days of stock cover E1's stop, then E1's 0.4 gap × .5 × (1 − .2) = .16 × 50 = 8.0;
    E5 .004 × 300 = 1.2 — 4 enterprises, 410.4 nationally. 苏州 sees its own E3 only: 1 enterprise, 8.0 (the page
    showed the national 4 / 410.4, other provinces' losses, which the API gives administrators only)."""
    r = post(client, "sh", "/api/chains/scenarios", {"kind": "region", "start": "2022-04-01", "days": 3,
                                                     "region": "310000"})
    assert r.status_code == 201, r.text
    for user, path in (("sz", "/chains/nev"), ("sz", "/chains/nev/report")):
        text = get(client, user, path).text
        row = text[text.index("地区停产 3 天"):][:400]
        assert ">1<" in row and "8.0" in row and "410.4" not in text, (path, row)
    text = get(client, "admin", "/chains/nev").text
    row = text[text.index("地区停产 3 天"):][:400]
    assert ">4<" in row and "410.4" in row


def test_material_warning_basis_is_on_the_page_and_the_report(client):  # noqa: F811
    for path in ("/chains/battery", "/chains/battery/report"):
        text = get(client, "admin", path).text
        assert "碳酸锂（仓库中无价格序列）" in text, path  # the hand world holds no price series


def test_a_loss_that_cannot_be_estimated_is_not_shown_as_zero(client):  # noqa: F811
    """Reports start in 2022-03: a stop on 2022-01-01 affects 上海's enterprises, but none has a report before
    it. The chain page, the report and the scenario list printed 产值损失 0.0 万元."""
    r = post(client, "sh", "/api/chains/scenarios", {"kind": "region", "start": "2022-01-01", "days": 3,
                                                     "region": "310000"})
    assert r.status_code == 201, r.text
    listed = next(s for s in get(client, "sh", "/api/chains/scenarios").json() if "2022年1月1日" in s["name"])
    assert listed["affected_in_scope"] > 0 and listed["output_lost_in_scope"] is None
    assert listed["unknown_in_scope"] == listed["affected_in_scope"]
    assert listed["output_lost_text"] == "—（无月报，无法估算）"
    for path in ("/chains/nev", "/chains/nev/report"):
        text = get(client, "admin", path).text
        row = text[text.index("自2022年1月1日起"):][:300]
        assert "无月报，无法估算" in row and "0.0" not in row, (path, row)
    page = get(client, "sh", "/chains").text
    row = page[page.index("自2022年1月1日起"):][:300]
    assert "无月报，无法估算" in row and ">0.0<" not in row


def test_links_list_shares_in_percent_with_the_data_source(chain_wh, yacang_home, monkeypatch):
    """Shares printed as fractions at one decimal (0.04 → 0.0); the form takes them as 35%."""
    from tests.chains.test_report import _Shared
    from yacang.cli.common import console

    monkeypatch.setattr("yacang.cli.chains.open_warehouse", lambda: _Shared(chain_wh))
    monkeypatch.setattr(console, "_width", 220)
    r = runner.invoke(app, ["chains", "links"])
    assert r.exit_code == 0, r.output
    assert "供货占比(%)" in r.output and "可替代程度(%)" in r.output
    e7 = next(line for line in r.output.splitlines() if U["E7"] in line)  # E7 → E4: 70%, substitutability 10%
    assert "70.0" in e7 and "10.0" in e7
    assert "数据来源：企业月报与申报" in r.output


def test_a_calm_material_says_there_is_no_shortage(chain_wh):
    """A material without a warning on the day (level '') read “级别应为 黄 或 红，收到“”” — nothing said why."""
    import datetime as dt

    from yacang.chains.errors import ChainError
    from yacang.chains.shocks import Scenario, run_scenario

    with pytest.raises(ChainError, match="2022-04-01 没有黄色或红色预警，不构成短缺") as exc:
        run_scenario(chain_wh, Scenario("material", dt.date(2022, 4, 1), 3, 17, material="lithium_carbonate"))
    assert "--level 黄" in str(exc.value)


def test_import_with_a_bad_declaration_writes_nothing(yacang_home, tmp_path):
    """``chains import --members`` stored the maps and the class members, then refused the declaration with
    “全部未入库（已有数据未改动）” — which was not so."""
    from yacang.chains.sheets import write_form
    from yacang.cli.common import open_warehouse
    from yacang.warehouse import chains as store

    bad = write_form(tmp_path / "申报.xlsx", ["产业链代码", "环节代码", "统一社会信用代码", "角色"],
                     [["battery", "cell", U["E4"], "链主"], ["steel", "x", U["E1"], "链主"]])
    r = runner.invoke(app, ["chains", "import", "--members", str(bad)])
    _refused(r, "申报.xlsx 第3行", "全部未入库")
    with open_warehouse() as wh:
        store.ensure_tables(wh)
        assert store.maps(wh).empty and store.members(wh).empty


def test_scenario_list_says_when_a_loss_is_unknown(chain_wh, yacang_home, monkeypatch):
    """Reports start in 2022-03: the January stop's loss is unknown (it was listed as 0.0); the April stop's is
    470.4 万元 (worked by hand in test_chain_page_scenarios_are_cut_to_the_callers_region, all 5 with reports)."""
    import datetime as dt

    from tests.chains.test_report import _Shared
    from yacang.chains.shocks import Scenario, run_scenario
    from yacang.cli.common import console

    for start in (dt.date(2022, 1, 1), dt.date(2022, 4, 1)):
        run_scenario(chain_wh, Scenario("region", start, 3, 17, region="310000"))
    monkeypatch.setattr("yacang.cli.chains.open_warehouse", lambda: _Shared(chain_wh))
    monkeypatch.setattr(console, "_width", 220)
    r = runner.invoke(app, ["chains", "scenarios"])
    assert r.exit_code == 0, r.output
    jan = next(line for line in r.output.splitlines() if "2022年1月1日" in line)
    apr = next(line for line in r.output.splitlines() if "2022年4月1日" in line)
    assert "无月报，无法估算" in jan and "0.0" not in jan
    assert "470.4" in apr and "无月报" not in apr

"""Link and membership forms: validation with located errors, nothing stored on error, reload idempotent."""

from __future__ import annotations

import pytest

from tests.chains.conftest import LINK_HEADERS, LINKS, U, link_rows
from yacang.chains.errors import ChainError
from yacang.chains.links import import_links
from yacang.chains.members import import_members
from yacang.chains.sheets import write_form
from yacang.microdata.uscc import make_uscc
from yacang.warehouse import chains as store


def test_bad_links_are_located_and_nothing_is_stored(chain_wh, tmp_path):
    before = store.links(chain_wh)
    stranger = make_uscc("440106", "MA1YYYYY9")
    rows = [
        [U["E1"], stranger, .3, 0, 0, "", ""],          # row 2: unknown customer
        [U["E2"], U["E3"], -0.1, 0, 0, "", ""],         # row 3: negative share
        [U["E4"], U["E6"], 1.2, 0, 0, "", ""],          # row 4: share > 1
        [U["E5"], U["E6"], .2, 1.5, -2, "", ""],        # row 5: substitutability > 1, negative stock
        [U["E6"], U["E7"], .2, 0, 0, "", "steel"],      # row 6: unknown chain
        [U["E6"], U["E6"], .2, 0, 0, "", ""],           # row 7: self-link
    ]
    head = [*LINK_HEADERS, "产品行业代码"]
    rows[0].append("")
    for r in rows[1:]:
        r.append("")
    rows[1][7] = "9999"                                 # row 3: unknown class too
    p = write_form(tmp_path / "bad.xlsx", head, rows)
    with pytest.raises(ChainError) as exc:
        import_links(chain_wh, p)
    msgs = [str(e) for e in exc.value.errors]
    assert f"bad.xlsx 第2行，列“客户统一社会信用代码”，值“{stranger}”：企业名录中没有这家企业，请先导入企业名录或核对代码" in msgs
    assert any(m.startswith("bad.xlsx 第3行，列“供货占比”，值“-0.1”：不能为负数") for m in msgs)
    assert any(m.startswith("bad.xlsx 第3行，列“产品行业代码”，值“9999”") for m in msgs)
    assert any(m.startswith("bad.xlsx 第4行，列“供货占比”，值“1.2”：超过 1") for m in msgs)
    assert any(m.startswith("bad.xlsx 第5行，列“可替代程度”") for m in msgs)
    assert any(m.startswith("bad.xlsx 第5行，列“库存天数”，值“-2”：不能为负数") for m in msgs)
    assert any(m.startswith("bad.xlsx 第6行，列“产业链代码”，值“steel”") for m in msgs)
    assert any(m.startswith("bad.xlsx 第7行") and "同一家企业" in m for m in msgs)
    assert len(msgs) == 8
    assert store.links(chain_wh).equals(before)


def test_shares_over_one_per_customer_and_duplicates(chain_wh, tmp_path):
    rows = [[U["E1"], U["E5"], .7, 0, 0, "", ""], [U["E2"], U["E5"], .6, 0, 0, "", ""],
            [U["E1"], U["E5"], .1, 0, 0, "", ""]]
    with pytest.raises(ChainError) as exc:
        import_links(chain_wh, write_form(tmp_path / "dup.xlsx", LINK_HEADERS, rows))
    assert [str(e) for e in exc.value.errors] == [f"dup.xlsx 第4行，列“客户统一社会信用代码”，值“{U['E5']}”：与第2行重复"
                                                  "（同一供应商—客户只填一行）"]
    with pytest.raises(ChainError, match=r"合计 1\.30，超过1"):
        import_links(chain_wh, write_form(tmp_path / "sum.xlsx", LINK_HEADERS, rows[:2]))


def test_reloading_the_same_file_changes_nothing(chain_wh, tmp_path):
    p = write_form(tmp_path / "links.xlsx", LINK_HEADERS, link_rows())
    assert import_links(chain_wh, p) == len(LINKS)
    again = store.links(chain_wh)
    import_links(chain_wh, p)
    assert store.links(chain_wh).equals(again) and len(again) == len(LINKS)
    # percentages are read as shares
    p2 = write_form(tmp_path / "pct.xlsx", LINK_HEADERS, [[U["E7"], U["E1"], "35%", "", "", "碳酸锂", ""]])
    import_links(chain_wh, p2)
    row = store.links(chain_wh).set_index(["supplier", "customer"]).loc[(U["E7"], U["E1"])]
    assert row["share"] == 0.35 and row["inventory_days"] == 0 and row["product"] == "碳酸锂"


def test_members_by_class_and_declaration(chain_wh, tmp_path):
    m = store.members(chain_wh, "nev").set_index("segment")
    # by class: 3612 → 整车 (E5), 3670 → 零部件 (E6), 3973 → 车规级芯片 (E1), 3824 → 电控 (E3), 3841 → 动力电池 (E4)
    assert m.loc["vehicle", "uscc"] == U["E5"] and m.loc["parts", "uscc"] == U["E6"]
    assert set(m["role"]) == {"配套"} and set(m["basis"]) == {"行业"}
    head = ["产业链代码", "环节代码", "统一社会信用代码", "角色"]
    bad = write_form(tmp_path / "m.xlsx", head, [["nev", "vehicle", U["E5"], "链长"], ["nev", "wheels", U["E6"], "配套"],
                                                  ["steel", "x", U["E6"], "配套"]])
    with pytest.raises(ChainError) as exc:
        import_members(chain_wh, bad)
    msgs = [str(e) for e in exc.value.errors]
    assert msgs[0] == "m.xlsx 第2行，列“角色”，值“链长”：角色应为 链主/关键节点/配套"
    assert "第3行，列“环节代码”，值“wheels”" in msgs[1] and "第4行，列“产业链代码”" in msgs[2]
    ok = write_form(tmp_path / "ok.xlsx", head, [["nev", "vehicle", U["E5"], "链主"], ["nev", "battery", U["E4"], "关键节点"]])
    import_members(chain_wh, ok)
    from yacang.chains.members import attach_by_industry

    attach_by_industry(chain_wh)  # re-attaching by class keeps the declared roles
    m = store.members(chain_wh, "nev").set_index("segment")
    assert m.loc["vehicle", "role"] == "链主" and m.loc["vehicle", "basis"] == "申报"
    assert m.loc["battery", "role"] == "关键节点"
    assert len(m) == 5


def test_forms_write_formula_text_as_text(tmp_path) -> None:
    import openpyxl

    from yacang.chains.sheets import write_form

    p = write_form(tmp_path / "f.xlsx", ["企业名称", "供货占比"], [['=HYPERLINK("http://x","点我")', 0.35]])
    ws = openpyxl.load_workbook(p).active
    assert (ws["A2"].data_type, ws["A2"].value) == ("s", '\'=HYPERLINK("http://x","点我")')
    assert ws["B2"].value == 0.35

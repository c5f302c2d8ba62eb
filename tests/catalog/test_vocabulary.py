"""The release vocabulary: every division, section, grouping, ownership type, product and indicator."""

from __future__ import annotations

from yacang.catalog.industries import divisions
from yacang.catalog.vocabulary import alias_pattern, concept, is_quarterly, is_rate, term_for, terms


def test_all_41_divisions_and_their_short_forms():
    assert len(divisions()) == 41
    for d in divisions():
        assert term_for(d.name).key == d.code
    assert term_for("汽车行业").key == "36" and term_for("电子信息制造业").key == "39"
    assert term_for("铁路、船舶、航空航天").key == "37"


def test_sections_groupings_ownership_products():
    assert [term_for(a).key for a in ("采矿业", "制造业", "电力、热力、燃气及水生产和供应业")] == ["B", "C", "D"]
    assert term_for("高技术制造业").key == "HT" and term_for("装备制造业").key == "EQ"
    assert term_for("外商及港澳台投资企业").key == term_for("外商及港澳台商投资企业").key == "foreign"
    assert term_for("钢材").key == "output/steel" and term_for("钢材").unit == "万吨"
    assert term_for("发电量").unit == "亿千瓦时" and term_for("新能源汽车").unit == "万辆"
    for alias in ("产品销售率", "出口交货值", "利润总额", "营业收入利润率", "固定资产投资", "国内生产总值",
                  "第二产业增加值", "社会消费品零售总额", "居民消费价格", "工业生产者出厂价格", "制造业采购经理指数"):
        assert alias in terms(), alias


def test_keys_map_to_warehouse_coordinates():
    c = concept("iva/state_holding")
    assert (c.indicator, c.industry) == ("iva", "TOTAL") and "国有及国有控股企业" in c.categories
    assert (concept("profit/C").indicator, concept("profit/C").industry) == ("profit", "C")
    assert concept("sales_ratio").indicator == "sales_output_ratio"
    assert is_rate("sales_ratio") and is_rate("pmi") and not is_rate("iva")
    assert is_quarterly("gdp") and not is_quarterly("iva")


def test_longest_alias_wins_and_garbled_d_section():
    found = [m.group(0) for m in alias_pattern().finditer("高技术制造业增加值，制造业增加值占GDP比重，电力、热力、燃？xì)饧八纳a和供应业")]
    assert found == ["高技术制造业", "增加值", "制造业增加值占GDP比重", "电力、热力、燃？xì)饧八纳a和供应业"]
    assert term_for(found[-1]).key == "D"

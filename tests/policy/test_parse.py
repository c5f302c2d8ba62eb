"""Notice structure: 6 sections, exactly 17 measures with their titles, and what each measure names."""

from __future__ import annotations

import pytest

from tests.policy.helpers import NOTICE_SEED, PINYIN_SEED, XIAO_POST
from yacang.policy.clean import read_document
from yacang.policy.parse import find_targets, find_time_refs, parse_notice, zh_number

# Read off the notice by hand.
SECTIONS = [
    "总体要求",
    "多措并举，夯实工业经济回稳基础",
    "分业施策，强化重点产业稳定发展",
    "分区施策，促进各地区工业经济协同发展",
    "分企施策，持续提升企业活力",
    "保障措施",
]
MEASURES = {
    1: (2, "加快推动重大项目建设形成实物工作量"),
    2: (2, "深挖市场潜能扩大消费需求"),
    3: (2, "稳定工业产品出口"),
    4: (2, "提升产业链供应链韧性和安全水平"),
    5: (2, "持续壮大新动能"),
    6: (3, "推动原材料行业提质增效"),
    7: (3, "巩固装备制造业良好势头"),
    8: (3, "促进消费品行业稳定恢复"),
    9: (4, "东部工业大省主动发挥稳经济关键支撑作用"),
    10: (4, "中西部地区努力巩固较快增长态势"),
    11: (4, "东北地区推动全面振兴取得新突破"),
    12: (5, "充分发挥大型企业“顶梁柱”作用"),
    13: (5, "加力支持中小企业和民营企业专精特新发展"),
    14: (5, "强化对外资企业的服务保障"),
    15: (6, "强化责任形成合力"),
    16: (6, "加大政策扶持力度优化发展环境"),
    17: (6, "完善监测调度和督导激励机制"),
}
LABELS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六", "十七"]


@pytest.fixture(scope="module")
def notice(seeds):
    doc = read_document(seeds / NOTICE_SEED)
    return parse_notice(doc.text, title=doc.title)


def test_sections_and_seventeen_measures(notice):
    assert [s.title for s in notice.sections] == SECTIONS
    assert [s.number for s in notice.sections] == [1, 2, 3, 4, 5, 6]
    measures = notice.measures
    assert len(measures) == 17
    assert {m.number: (m.section, m.title) for m in measures} == MEASURES
    assert [m.label for m in measures] == [f"（{x}）" for x in LABELS]
    assert notice.warnings == []
    assert notice.is_structured


def test_head_of_notice(notice):
    assert notice.title == "关于巩固回升向好趋势加力振作工业经济的通知"
    assert notice.doc_number is None  # the clean copy has no 文号; the registry takes it from the other copy
    assert notice.addressees == ("各省、自治区、直辖市及计划单列市、新疆生产建设兵团工业和信息化主管部门、"
                                 "发展改革委、国资委")
    assert notice.preamble.startswith("工业是经济增长的主体和引擎")
    assert notice.preamble.endswith("现将有关事项通知如下。")


def test_general_requirements_section(notice):
    general = notice.sections[0]
    assert [p.text.split("。")[0] for p in general.principles] == [
        "坚持聚焦重点、加力提效", "坚持因地制宜、分业施策", "坚持立足当前、兼顾长远", "坚持底线思维、安全发展"]
    assert find_time_refs(general.intro) == ["2022年四季度", "2023年"]


def test_measure_details(notice):
    by_number = {m.number: m for m in notice.measures}
    assert by_number[2].targets == ["2.0升及以下"]
    assert by_number[3].targets == []  # "办好第132届中国进出口商品交易会": an ordinal, not a target
    assert "广交会" in by_number[3].keywords
    assert by_number[12].time_refs == ["2022年"]
    assert {"各有关方面", "各地有关部门", "各有关部门"} <= set(by_number[15].parties)
    assert {"中西部地区", "能源原材料大省", "中央企业"} <= set(by_number[10].parties)
    assert "红黄蓝" in by_number[6].keywords and "产能预警" in by_number[6].keywords
    assert by_number[1].text.startswith("加快推动重大项目建设形成实物工作量。用好政策性开发性金融工具")
    assert by_number[17].text.endswith("进一步坚定信心、提振预期。")


def test_parties_are_who_must_act_not_who_is_helped(notice):
    """Read from the notice: (三) "指导各地建立…"; "解决外贸企业的困难" and "支持中小微企业参加境外展会"
    name those helped. (九) "推动部分产业向中西部和东北地区转移": a destination. (十二) "大型企业要…",
    "特别是中央工业企业要…"; 中小企业, 小微企业, 个体工商户 are paid or spared rent. (八) "地方特色食品"."""
    by_number = {m.number: m for m in notice.measures}
    assert by_number[3].parties == ["各地"]
    assert by_number[9].parties == ["东部工业大省"]
    assert by_number[12].parties == ["大型企业", "中央工业企业"]
    assert by_number[8].parties == []
    assert by_number[2].parties == ["地方", "电商平台", "线下零售商"]  # "引导电商平台和线下零售商开展促销活动"


def test_pinyin_copy_parses_its_number_and_first_section(seeds):
    doc = read_document(seeds / PINYIN_SEED)
    n = parse_notice(doc.text, title=doc.title)
    assert n.doc_number == "工信部联运行〔2022〕160号"
    assert len(n.sections) == 1 and n.measures == [] and not n.is_structured
    assert n.sections[0].title == "总体要求"  # run into its body in this copy
    assert len(n.sections[0].principles) == 4


def test_news_is_not_a_notice(seeds):
    doc = read_document(seeds / XIAO_POST)
    assert not parse_notice(doc.text).is_structured
    assert "3000家左右" in find_targets(doc.text)


def test_sub_items_and_out_of_order_numbers():
    text = "\n".join([
        "关于做好测试工作的通知", "各地工业和信息化主管部门：", "现将有关事项通知如下。",
        "一、重点任务", "（一）加强运行监测。按月调度。", "1.建立重点企业名单。", "2．按周报送用电量。",
        "——坚持问题导向。", "（三）不应成为措施。", "（二）强化要素保障。做好煤电油气运保障。",
        "三、跳号的部分", "二、组织实施", "（三）加强督导。2023年6月底前完成。",
    ])
    n = parse_notice(text)
    assert [s.title for s in n.sections] == ["重点任务", "组织实施"]
    assert [(m.number, m.title) for m in n.measures] == [(1, "加强运行监测"), (2, "强化要素保障"), (3, "加强督导")]
    first = n.measures[0]
    assert [(s.marker, s.text) for s in first.sub_items] == [
        ("1.", "建立重点企业名单。"), ("2.", "按周报送用电量。"), ("——", "坚持问题导向。")]
    assert "（三）不应成为措施" in first.text
    assert n.measures[2].time_refs == ["2023年6月底前"]
    assert any("（三）" in w for w in n.warnings)


@pytest.mark.parametrize(("zh", "n"), [("一", 1), ("十", 10), ("十一", 11), ("十七", 17), ("二十", 20), ("九十九", 99)])
def test_zh_number(zh, n):
    assert zh_number(zh) == n


@pytest.mark.parametrize("bad", ["", "十十", "一二", "百", "x"])
def test_zh_number_rejects(bad):
    with pytest.raises(ValueError):
        zh_number(bad)


def test_ordinals_are_not_targets():
    text = "办好第132届广交会，公布第 3 批名单，力争培育100家专精特新企业，增长5%以上"
    assert find_targets(text) == ["100家", "5%以上"]

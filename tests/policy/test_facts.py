"""Facts of the two Jekyll posts, with periods resolved against the posts' dates."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.policy.helpers import APRIL_POST, MARCH_NEWS, NOTICE_SEED, PINYIN_SEED, XIAO_POST
from yacang.policy.clean import read_document
from yacang.policy.facts import _PERIOD_RE, extract_facts, resolve_period


def _facts(seeds, name):
    doc = read_document(seeds / name)
    return {(f.subject, f.measure, f.period, f.value, f.unit, f.reference): f for f in extract_facts(doc.text, doc.date)}


def test_2021_figures_of_the_march_post(seeds):
    facts = _facts(seeds, XIAO_POST)
    # read in the post: "2021全年，规模以上工业增加值增长9.6%，比2020年提高6.8个百分点，两年平均增长6.1%。其中，
    # 制造业增加值增长9.8%，两年平均增长6.6%；制造业增加值占GDP比重达到27.4%，提高1.1个百分点；
    # 制造业增加值规模达到31.4万亿元"
    expected = {
        ("规模以上工业增加值", "ytd_yoy", "2021-12", 9.6, "%", ""),
        ("规模以上工业增加值", "diff_pp", "2021", 6.8, "百分点", "2020年"),
        ("规模以上工业增加值", "two_year_avg", "2021-12", 6.1, "%", ""),
        ("制造业增加值", "ytd_yoy", "2021-12", 9.8, "%", ""),
        ("制造业增加值", "two_year_avg", "2021-12", 6.6, "%", ""),
        ("制造业增加值占GDP比重", "level", "2021", 27.4, "%", ""),
        ("制造业增加值占GDP比重", "diff_pp", "2021", 1.1, "百分点", "上年同期"),
        ("制造业增加值规模", "value", "2021", 31.4, "万亿元", ""),
    }
    assert set(facts) == expected
    iva = facts[("规模以上工业增加值", "ytd_yoy", "2021-12", 9.6, "%", "")]
    assert (iva.indicator, iva.industry, iva.region, iva.span, iva.period_label) == ("iva", "TOTAL", "100000", "2021", "2021年")
    assert iva.sentence.startswith("2021全年，规模以上工业增加值增长9.6%")
    mfg = facts[("制造业增加值", "ytd_yoy", "2021-12", 9.8, "%", "")]
    assert (mfg.indicator, mfg.industry) == ("iva", "C")
    share = facts[("制造业增加值占GDP比重", "level", "2021", 27.4, "%", "")]
    assert share.indicator == "manufacturing_share"


def test_2022q1_figures_of_the_april_post(seeds):
    facts = _facts(seeds, APRIL_POST)
    # 一季度 in a report of 2022-04-19 is 2022年1-3月: 累计 figures at period 2022-03
    expected = {
        ("规模以上工业增加值", "ytd_yoy", "2022-03", 6.5, "%", ""),
        ("规模以上工业增加值", "diff_pp", "2022Q1", 2.6, "百分点", "去年四季度"),
        ("制造业占比", "level", "2022Q1", 28.9, "%", ""),
        ("制造业占比", "diff_pp", "2022Q1", 1.3, "百分点", "上年同期"),
        ("规模以上工业企业出口交货值", "ytd_yoy", "2022-03", 14.4, "%", ""),
        ("制造业投资", "ytd_yoy", "2022-03", 15.6, "%", ""),
        ("制造业投资", "diff_pp", "2022Q1", 2.1, "百分点", "2021年全年"),
        ("规模以上中小工业企业增加值", "ytd_yoy", "2022-03", 7.8, "%", ""),
        ("规模以上中小工业企业增加值", "diff_pp", "2022Q1", 1.3, "百分点", "整体工业"),
    }
    assert set(facts) == expected
    iva = facts[("规模以上工业增加值", "ytd_yoy", "2022-03", 6.5, "%", "")]
    assert (iva.span, iva.period_label) == ("2022Q1", "2022年1-3月")
    assert facts[("规模以上工业企业出口交货值", "ytd_yoy", "2022-03", 14.4, "%", "")].indicator == "export_delivery"
    inv = facts[("制造业投资", "ytd_yoy", "2022-03", 15.6, "%", "")]
    assert (inv.indicator, inv.industry) == ("fai", "C")
    sme = facts[("规模以上中小工业企业增加值", "ytd_yoy", "2022-03", 7.8, "%", "")]
    assert (sme.indicator, sme.category) == ("iva", "中小企业")


@pytest.mark.parametrize("name", [NOTICE_SEED, PINYIN_SEED, MARCH_NEWS])
def test_texts_without_figures_give_no_facts(seeds, name):
    doc = read_document(seeds / name)
    assert extract_facts(doc.text, doc.date) == []


@pytest.mark.parametrize(
    ("phrase", "date", "code"),
    [
        ("一季度", dt.date(2022, 4, 19), "2022Q1"),
        ("一季度", dt.date(2022, 3, 9), "2021Q1"),  # before the quarter ended: last year's
        ("去年四季度", dt.date(2022, 4, 19), "2021Q4"),
        ("今年一季度", dt.date(2022, 3, 9), "2022Q1"),
        ("2021全年", dt.date(2022, 3, 14), "2021"),
        ("全年", dt.date(2022, 3, 14), "2021"),
        ("上半年", dt.date(2022, 7, 15), "2022H1"),
        ("1-2月", dt.date(2022, 3, 15), "2022-01/02"),
        ("3月份", dt.date(2022, 4, 18), "2022-03"),
        ("前三季度", dt.date(2022, 10, 24), "2022-01/09"),
    ],
)
def test_periods_resolved_against_document_date(phrase, date, code):
    m = _PERIOD_RE.search(phrase)
    assert m is not None
    assert resolve_period(m, date).code == code


def test_declines_regions_and_no_spurious_periods():
    text = ("今年1-3月，广东省规模以上工业增加值同比下降2.5%，比全国低9.0个百分点，达到2016年以来最低。\n"
            "启动实施企业管理提升行动计划（2022—2025年），利润总额同比增长3.0%。")
    facts = extract_facts(text, dt.date(2022, 4, 20))
    got = {(f.region, f.indicator, f.measure, f.period, f.value, f.reference) for f in facts}
    assert ("440000", "iva", "ytd_yoy", "2022-03", -2.5, "") in got
    assert ("440000", "iva", "diff_pp", "2022Q1", -9.0, "全国") in got
    # the second paragraph names no period of its own: no fact is invented for "2022—2025年"
    assert not any(f.indicator == "profit" for f in facts)
    assert all(re.match(r"2022", f.period) for f in facts)

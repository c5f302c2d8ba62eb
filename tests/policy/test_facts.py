"""Facts of the seed posts and of real releases: keys, measures, periods, signs, references, offsets.

Every expected value below was read in the text quoted next to it, never copied from the extractor.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.policy.helpers import APRIL_POST, MARCH_NEWS, NOTICE_SEED, PINYIN_SEED, XIAO_POST
from yacang.policy.clean import clean_text, read_document
from yacang.policy.release_facts import _PERIOD_RE, extract_facts, resolve_period


def _facts(seeds, name):
    doc = read_document(seeds / name)
    return {(f.key, f.measure, f.period, f.value, f.unit, f.reference): f for f in extract_facts(doc.text, doc.date)}


def test_2021_figures_of_the_march_post(seeds):
    facts = _facts(seeds, XIAO_POST)
    # read in the post: "2021全年，规模以上工业增加值增长9.6%，比2020年提高6.8个百分点，两年平均增长6.1%。其中，
    # 制造业增加值增长9.8%，两年平均增长6.6%；制造业增加值占GDP比重达到27.4%，提高1.1个百分点；
    # 制造业增加值规模达到31.4万亿元"
    expected = {
        ("iva", "ytd_yoy", "2021-12", 9.6, "%", ""),
        ("iva", "ytd_diff_pp", "2021-12", 6.8, "百分点", "2020"),
        ("iva", "ytd_two_year_avg", "2021-12", 6.1, "%", ""),
        ("iva/C", "ytd_yoy", "2021-12", 9.8, "%", ""),
        ("iva/C", "ytd_two_year_avg", "2021-12", 6.6, "%", ""),
        ("manufacturing_share", "value", "2021", 27.4, "%", ""),
        ("manufacturing_share", "diff_pp", "2021", 1.1, "百分点", "上年同期"),
        ("manufacturing_va", "ytd_value", "2021-12", 314000.0, "亿元", ""),  # 31.4万亿元
    }
    assert set(facts) == expected
    iva = facts[("iva", "ytd_yoy", "2021-12", 9.6, "%", "")]
    assert (iva.indicator, iva.industry, iva.region, iva.span, iva.period_label) == ("iva", "TOTAL", "100000", "2021", "2021年")
    assert iva.sentence.startswith("规模以上工业增加值增长9.6%")
    mfg = facts[("iva/C", "ytd_yoy", "2021-12", 9.8, "%", "")]
    assert (mfg.indicator, mfg.industry) == ("iva", "C")


def test_2022q1_figures_of_the_april_post(seeds):
    facts = _facts(seeds, APRIL_POST)
    # "一季度规模以上工业增加值同比增长6.5%…高于去年四季度2.6个百分点"; "二是制造业占比进一步提升，一季度为28.9%，
    # 同比提高1.3个百分点"; 出口交货值 14.4%; 制造业投资 15.6%, "比2021年全年加快2.1个百分点"; 中小企业 7.8%, 高于整体工业1.3
    expected = {
        ("iva", "ytd_yoy", "2022-03", 6.5, "%", ""),
        ("iva", "ytd_diff_pp", "2022-03", 2.6, "百分点", "2021Q4"),
        ("manufacturing_share", "value", "2022Q1", 28.9, "%", ""),
        ("manufacturing_share", "diff_pp", "2022Q1", 1.3, "百分点", "上年同期"),
        ("export_delivery", "ytd_yoy", "2022-03", 14.4, "%", ""),
        ("fai/C", "ytd_yoy", "2022-03", 15.6, "%", ""),
        ("fai/C", "ytd_diff_pp", "2022-03", 2.1, "百分点", "2021"),
        ("iva/sme", "ytd_yoy", "2022-03", 7.8, "%", ""),
        ("iva/sme", "ytd_diff_pp", "2022-03", 1.3, "百分点", "整体工业"),
    }
    assert set(facts) == expected
    iva = facts[("iva", "ytd_yoy", "2022-03", 6.5, "%", "")]
    assert (iva.span, iva.period_label) == ("2022Q1", "2022年1-3月")
    sme = facts[("iva/sme", "ytd_yoy", "2022-03", 7.8, "%", "")]
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
        ("1―2月份", dt.date(2020, 4, 17), "2020-01/02"),  # U+2015 as in a real copy
        ("3月份", dt.date(2022, 4, 18), "2022-03"),
        ("4月份", dt.date(2022, 4, 30), "2022-04"),  # released the last day of the month it reports
        ("前三季度", dt.date(2022, 10, 24), "2022-01/09"),
        ("前7个月", dt.date(2022, 8, 16), "2022-01/07"),
        ("前两个月", dt.date(2019, 4, 28), "2019-01/02"),
        ("首9個月", dt.date(2021, 10, 27), "2021-01/09"),
        ("1至10月份", dt.date(2018, 11, 28), "2018-01/10"),
        ("1月至10月", dt.date(2024, 11, 29), "2024-01/10"),
    ],
)
def test_periods_resolved_against_document_date(phrase, date, code):
    m = _PERIOD_RE.search(phrase.replace("個", "个"))
    assert m is not None
    assert resolve_period(m, date)[0].code == code


def _one(text: str, date: dt.date):
    doc = clean_text(text)
    return {(f.key, f.measure, f.period, f.value, f.reference) for f in extract_facts(doc.text, date)}


def test_measures_and_signs_on_real_fragments():
    # nbs_2024_0102_iva_pinyin.txt (环比 is not 同比; 1-2月 is 累计)
    got = _one("1-2月份，全國規模以上工業增加值同比增長7.0%，比上年12月份加快0.2個百分點。從環比看，2月份，"
               "規模以上工業增加值比上月增長0.56%。", dt.date(2024, 3, 18))
    assert got == {("iva", "ytd_yoy", "2024-01/02", 7.0, ""), ("iva", "ytd_diff_pp", "2024-01/02", 0.2, "2023-12"),
                   ("iva", "mom", "2024-02", 0.56, "")}
    # nbs_2021_12_iva_sputnik.txt: 比2019年同期 and a monthly 两年平均 are their own measures
    got = _one("2021年12月份，中国规模以上工业增加值同比实际增长4.3%，比2019年同期增长11.9%，两年平均增长5.8%。",
               dt.date(2022, 1, 17))
    assert got == {("iva", "yoy", "2021-12", 4.3, ""), ("iva", "vs_2019", "2021-12", 11.9, ""),
                   ("iva", "two_year_avg", "2021-12", 5.8, "")}
    # nbs_2020_03_iva_trad.txt: 降幅收窄 is an improvement; the reference is not the fact's period
    got = _one("3月份，規模以上工業增加值同比實際下降1.1%，降幅比1―2月份收窄12.4個百分點。", dt.date(2020, 4, 17))
    assert got == {("iva", "yoy", "2020-03", -1.1, ""), ("iva", "diff_pp", "2020-03", 12.4, "2020-01/02")}
    # nbs_2022_04_economy.txt: "比1-3月份回落2.5个百分点" keeps 1-4月 as the fact's period
    got = _one("1-4月份，全国规模以上工业增加值同比增长4.0%，比1-3月份回落2.5个百分点。", dt.date(2022, 5, 16))
    assert got == {("iva", "ytd_yoy", "2022-04", 4.0, ""), ("iva", "ytd_diff_pp", "2022-04", -2.5, "2022Q1")}
    # miit_2020_h1_press_spam.html: 负增长 is negative
    got = _one("裝備制造業上半年增加值同比增長0.4%，扭轉一季度大幅下降14%的負增長局面。", dt.date(2020, 7, 23))
    assert ("iva/EQ", "ytd_yoy", "2020-03", -14.0, "") in got and ("iva/EQ", "ytd_yoy", "2020-06", 0.4, "") in got
    # nbs_2018_10_profit_commas.txt: 增长3.7倍 is +370%
    got = _one("1至10月份，石油和天然氣開采業利潤總額增長3.7倍。", dt.date(2018, 11, 28))
    assert got == {("profit/07", "ytd_yoy", "2018-10", 370.0, "")}


def test_counts_shares_levels_and_lists_on_real_fragments():
    # nbs_2019_07_iva.txt
    got = _one("分行业看，7月份，41个大类行业中有36个行业增加值保持同比增长。分产品看，7月份，605种产品中有336种产品"
               "同比增长。钢材10582万吨，同比增长9.6%；发电量6573亿千瓦时，增长0.6%。", dt.date(2019, 8, 14))
    assert got == {("industries_up", "count", "2019-07", 36.0, ""), ("products_up", "count", "2019-07", 336.0, ""),
                   ("output/steel", "value", "2019-07", 10582.0, ""), ("output/steel", "yoy", "2019-07", 9.6, ""),
                   ("output/electricity", "value", "2019-07", 6573.0, ""),
                   ("output/electricity", "yoy", "2019-07", 0.6, "")}
    # nbs_2022_04_economy.txt: 分别 pairs the products with the figures
    got = _one("1-4月份，新能源汽车、太阳能电池、移动通信基站设备等绿色智能数字产品产量分别增长112.7%、27.5%、25.9%。",
               dt.date(2022, 5, 16))
    assert got == {("output/nev", "ytd_yoy", "2022-04", 112.7, ""), ("output/solar_cell", "ytd_yoy", "2022-04", 27.5, ""),
                   ("output/base_station", "ytd_yoy", "2022-04", 25.9, "")}
    # city_2022_07_iva.txt: 增长面 is a share; miit_2024_07_press.txt: 万亿元 → 亿元, share of GDP
    got = _one("前7个月，37个大类行业中21个行业生产实现增长，增长面为56.8%。", dt.date(2022, 8, 16))
    assert got == {("industries_up", "count", "2022-07", 21.0, ""), ("industries_up", "share", "2022-07", 56.8, "")}
    got = _one("2023年我国全部工业增加值达到39.9万亿元，占GDP比重31.7%，制造业增加值占GDP比重26.2%，占全球比重约30%。",
               dt.date(2024, 7, 5))
    assert got == {("industry_va", "ytd_value", "2023-12", 399000.0, ""), ("industry_share", "value", "2023", 31.7, ""),
                   ("manufacturing_share", "value", "2023", 26.2, "")}


def test_offsets_point_at_the_figure(seeds):
    doc = read_document(seeds / APRIL_POST)
    for f in extract_facts(doc.text, doc.date):
        written = doc.text[f.start:f.end]
        assert re.fullmatch(r"-?\d+(?:\.\d+)?", written)
        assert abs(float(written)) * (10000 if f.unit == "亿元" and "万亿元" in doc.text[f.end:f.end + 3] else 1) == abs(f.value)
        assert written in f.sentence


def test_local_figures_are_not_national():
    # city_2024_10_pinyin.txt: a city's figures, 拉动 and 贡献率 kept apart from growth
    text = ("1月至10月，全市規模以上工業增加值同比增長10.2%，高於全省2.2個百分點。\n"
            "1月至10月，全市規模以上制造業增加值同比增長10.5%，拉動全市規上工業增長9.2個百分點，"
            "對全市規上工業增長的貢獻率達90.2%。")
    doc = clean_text(text)
    facts = extract_facts(doc.text, dt.date(2024, 11, 29))
    assert {f.region for f in facts} == {""}
    got = {(f.key, f.measure, f.period, f.value, f.reference) for f in facts}
    assert got == {("iva", "ytd_yoy", "2024-10", 10.2, ""), ("iva", "ytd_diff_pp", "2024-10", 2.2, "全省"),
                   ("iva/C", "ytd_yoy", "2024-10", 10.5, ""), ("iva/C", "pull", "2024-10", 9.2, ""),
                   ("iva/C", "contribution", "2024-10", 90.2, "")}

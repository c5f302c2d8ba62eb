"""Regression tests for each cleaning defect of issue 17, on fragments of the real corpus
(tests/fixtures/policy/real, sources in its index.csv)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import opencc
import pytest

from yacang.ingest.encoding import guess_cjk_encoding
from yacang.policy.clean import clean_text, read_document
from yacang.policy.errors import PolicyInputError
from yacang.policy.noise import (
    NoiseReport,
    fix_spaced_numbers,
    join_broken_lines,
    repair_mojibake,
    spam_score,
)
from yacang.policy.release_facts import extract_facts

REAL = Path(__file__).parents[1] / "fixtures" / "policy" / "real"
MESSY = REAL.parent / "messy"
# nbs_2022_04_economy.txt
FRAGMENT = "4月份，全国规模以上工业增加值同比下降2.9%，环比下降7.08%。其中，采矿业增加值同比增长9.5%，制造业下降4.6%。"


def _keys(text: str, date: dt.date) -> set[tuple]:
    doc = clean_text(text)
    return {(f.key, f.measure, f.period, f.value) for f in extract_facts(doc.text, date)}


EXPECTED = {("iva", "yoy", "2022-04", -2.9), ("iva", "mom", "2022-04", -7.08), ("iva/B", "yoy", "2022-04", 9.5),
            ("iva/C", "yoy", "2022-04", -4.6)}


def test_tokenisation_noise_is_removed():
    noisy = "4月份，全国规模@@ 以上@@ 工业@@ 增加@@ 值同@@ 比下降2.9%，环比@@ 下降7.08%。其中，采矿@@ 业增@@ 加值同比增长9.5%，制造@@ 业下降4.6%。"
    doc = clean_text(noisy)
    assert "@@" not in doc.text and doc.noise.token_marks == 9
    assert _keys(noisy, dt.date(2022, 5, 16)) == EXPECTED


def test_seo_spam_lines_are_scored_and_never_the_title():
    # miit_2020_h1_press_spam.html as plain text: the spam line came first and used to become the title
    page = ("性虎精品无码AV导航,日本无码全黄二区三区大片免费看,在线播放五十路熟妇,日韩AV高清无码\n"
            "您当前的位置: 首页 > 资讯中心 > 宏观经济 > 正文\n"
            "2020上半年工业生产稳步回升 信息通信业平稳向好\n"
            "发布时间:2020-07-23 15:44:25 央视新闻客户端\n"
            "工信部表示，今年上半年，我国工业生产主要指标稳步回升。全国规模以上工业增加值同比下降1.3%，"
            "降幅比一季度收窄7.1个百分点，其中二季度增长4.4%。")
    assert spam_score(page.split("\n")[0]) >= 1 > spam_score(page.split("\n")[4])
    doc = clean_text(page)
    assert "无码" not in doc.text and doc.noise.spam_lines
    assert doc.title == "2020上半年工业生产稳步回升信息通信业平稳向好"
    assert doc.date == dt.date(2020, 7, 23)
    facts = {(f.key, f.measure, f.period, f.value) for f in extract_facts(doc.text, doc.date)}
    assert facts == {("iva", "ytd_yoy", "2020-06", -1.3), ("iva", "ytd_diff_pp", "2020-06", 7.1),
                     ("iva", "qtr_yoy", "2020Q2", 4.4)}


def test_spam_phrase_inside_a_sentence_is_cut():
    # nbs_2023_0102_iva_spam.txt: "两《15选5走势图(专业版)》年平均增长了4.9%"
    doc = read_document(REAL / "nbs_2023_0102_iva_spam.txt")
    assert "两年平均增长了4.9%" in doc.text and "走势图" not in doc.text
    assert doc.noise.inline_spam == ["《15选5走势图（专业版）》"]


def test_a_spam_only_page_is_refused_with_a_reason():
    page = "\n".join(["性虎精品无码AV导航,日本无码全黄二区三区大片免费看,在线播放五十路熟妇,日韩AV高清无码"] * 3
                     + ["爸爸叫我CAN,妈妈笑我傻,外婆却说这是爱的昵称的相关文章", "打印", "字大", "字小"])
    with pytest.raises(PolicyInputError, match="垃圾或广告"):
        clean_text(page, source_file="spam.html")


def test_mojibake_repaired_where_it_round_trips_and_marked_otherwise():
    report = NoiseReport()
    garbled = "生产和供应业".encode().decode("gbk")  # a clean round trip: "鐢熶骇鍜屼緵搴斾笟"
    assert repair_mojibake(garbled, report) == "生产和供应业" and report.mojibake_repaired
    lossy = "电力、热力、燃气及水生产和供应业增长1.5%。".encode().decode("gbk", errors="replace")
    report = NoiseReport()
    out = repair_mojibake(lossy, report)
    assert "燃气及水生产和供应业" in out and "〓" in out and report.mojibake_marked >= 1
    # prov_nmg_2023_0102_pinyin.txt: "燃?xì)饧八纳a(chǎn)" cannot be recovered, but the section is still known
    doc = read_document(REAL / "prov_nmg_2023_0102_pinyin.txt")
    facts = {(f.key, f.value) for f in extract_facts(doc.text, doc.date)}
    assert ("iva/D", 8.3) in facts
    # city_2024_10_pinyin.txt: "百分点?!?/p>" (a broken 。</p>) is cleaned and the figure kept
    doc = read_document(REAL / "city_2024_10_pinyin.txt")
    assert "/p>" not in doc.text and doc.noise.mojibake_marked == 1


def test_page_furniture_is_removed():
    doc = read_document(REAL / "nbs_2023_0102_iva_trad_nav.txt")
    lines = doc.text.split("\n")
    assert not {"打印", "字大", "字小"} & set(lines)
    assert not any(ln.startswith("机电之家") for ln in lines)


def test_pdf_line_breaks_inside_sentences_and_numbers():
    # notice_huaihua_2023_9_trad.txt: "整合3000萬元資金" broken after the number
    report = NoiseReport()
    assert join_broken_lines("聯合金融機構、平臺企業整合3000\n萬元資金用于發放消費券。", report) == \
        "聯合金融機構、平臺企業整合3000萬元資金用于發放消費券。"
    doc = read_document(MESSY / "nbs_2023_04_iva__pdf.txt",  # hard-wrapped every 27 characters
                        source_url="http://cqtresearch.com/kuaixun/2023/0516/212011.html")
    assert "同比名义增长0.7%。" in doc.text and doc.noise.joined_lines >= 8
    facts = {(f.key, f.measure, f.value) for f in extract_facts(doc.text, doc.date)}
    assert ("export_delivery", "yoy", 0.7) in facts and ("output/cement", "value", 19392.0) in facts


def test_spaced_numbers_and_a_pasted_phone_number():
    report = NoiseReport()
    assert fix_spaced_numbers("利润总额27 543.8亿元，增长3 . 4%", report) == "利润总额27543.8亿元，增长3.4%"
    # nbs_2019_05_iva_phone_spam.txt: "乙烯152 0173 3840万吨"
    doc = read_document(REAL / "nbs_2019_05_iva_phone_spam.txt")
    facts = {(f.key, f.measure, f.value) for f in extract_facts(doc.text, doc.date)}
    assert ("output/ethylene", "value", 152.0) in facts


def test_doubled_commas_of_a_tokeniser():
    # nbs_2018_10_profit_commas.txt
    doc = read_document(REAL / "nbs_2018_10_profit_commas.txt")
    assert ",," not in doc.text and "，，" not in doc.text and "，。" not in doc.text
    assert "（记者安蓓、陈炜伟）" in doc.text


def test_big5_bytes_are_detected_with_a_confidence(tmp_path):
    trad = opencc.OpenCC("s2t").convert(FRAGMENT)
    data = trad.encode("big5")
    enc, confidence = guess_cjk_encoding(data)
    assert enc == "big5" and confidence > 0.3
    p = tmp_path / "big5.txt"
    p.write_bytes(data)
    doc = read_document(p)
    assert doc.encoding == "big5" and doc.text == FRAGMENT
    assert guess_cjk_encoding(FRAGMENT.encode("gbk"))[0] == "gb18030"
    assert _keys(doc.text, dt.date(2022, 5, 16)) == EXPECTED


def test_messy_big5_copy_reads_like_its_source():
    doc = read_document(MESSY / "nbs_2020_0102_iva__big5.txt")
    src = read_document(REAL / "nbs_2020_0102_iva.txt")
    assert doc.encoding == "big5"
    assert {(f.key, f.value) for f in extract_facts(doc.text, doc.date)} == \
        {(f.key, f.value) for f in extract_facts(src.text, src.date)}

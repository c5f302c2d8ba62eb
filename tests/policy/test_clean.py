"""Cleaning: front matter, HTML, pinyin annotations, traditional → simplified, punctuation, bad input."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.policy.helpers import APRIL_POST, MARCH_NEWS, NOTICE_SEED, PINYIN_SEED, XIAO_POST
from yacang.policy.clean import clean_text, decode_bytes, is_pinyin, read_document, remove_pinyin
from yacang.policy.errors import PolicyInputError


def test_pinyin_seed_cleans_to_simplified_text(seeds):
    raw = (seeds / PINYIN_SEED).read_text(encoding="utf-8")
    doc = read_document(seeds / PINYIN_SEED)
    # Every "(" in the raw file opens a pinyin annotation except the one of "(以下簡稱《通知》)".
    assert raw.count("(") - 1 == doc.removed_pinyin
    assert "(yè)" in raw and "yè" not in doc.text
    assert not re.search(r"[（(][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[)）]", doc.text)
    # traditional forms are gone, simplified ones are there
    for trad, simp in [("工業和信息化部", "工业和信息化部"), ("國家發展改革委", "国家发展改革委"),
                       ("鞏固回升向好趨勢", "巩固回升向好趋势"), ("壓艙石", "压舱石")]:
        assert trad not in doc.text and simp in doc.text
    assert "着力扩需求、促循环、助企业、强动能、稳预期" in doc.text  # 著力 in the source
    assert "著力" not in doc.text
    assert "工信部联运行〔2022〕160号" in doc.text
    assert "（以下简称《通知》），" in doc.text  # half-width marks became full-width
    assert doc.title == "关于巩固回升向好趋势加力振作工业经济的通知"


def test_clean_notice_passes_unchanged_in_wording(seeds):
    doc = read_document(seeds / NOTICE_SEED)
    assert doc.converted_chars == 0 and doc.removed_pinyin == 0
    assert doc.title == "关于巩固回升向好趋势加力振作工业经济的通知"
    assert "确保2022年四季度工业经济运行在合理区间" in doc.text  # "确保 2022 年四季度" in the source
    assert "\n（三）稳定工业产品出口。" in doc.text  # "(三) 稳定…" in the source
    assert "落实好2.0升及以下排量乘用车" in doc.text
    assert "\n\n" not in doc.text


def test_jekyll_post_front_matter_html_and_links(seeds):
    doc = read_document(seeds / XIAO_POST)
    assert doc.format == "jekyll"
    assert doc.title == "工信部部长肖亚庆：着力提振工业有效投资 保当前增长、增发展后劲"
    assert doc.date == dt.date(2022, 3, 14)
    assert doc.source_url == "http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202203142307568630"
    assert doc.source_name == "财联社"
    for junk in ("<p>", "</strong>", "layout:", "返回首页", "finews.withounder.com", "文章来源"):
        assert junk not in doc.text
    assert doc.text.startswith("工信部部长肖亚庆在《学习时报》撰文指出")
    assert "2021全年，规模以上工业增加值增长9.6%，比2020年提高6.8个百分点，两年平均增长6.1%。" in doc.text

    april = read_document(seeds / APRIL_POST)
    assert april.date == dt.date(2022, 4, 19) and april.source_name == "证券日报网"


def test_plain_web_page_breadcrumb_and_publication_date(seeds):
    doc = read_document(seeds / MARCH_NEWS)
    assert doc.date == dt.date(2022, 3, 9)
    assert doc.title == "工信部：全力以赴推动一季度工业经济平稳发展"
    assert "当前的位置" not in doc.text and "阅读量" not in doc.text
    assert "面临着很多困难和挑战" in doc.text


def test_html_entities_and_tags():
    doc = clean_text("<html><head><title>测试&amp;标题</title><style>p{}</style></head><body>"
                     "<h1>测试&amp;标题</h1><p>工业增加值&nbsp;同比增长6.5&#37;，稳中有进。</p><br/>"
                     "<script>var a = '<p>';</script><p>工业經濟回升向好&lt;通知&gt;</p></body></html>")
    assert doc.format == "html"
    assert doc.title == "测试&标题"
    assert "工业增加值同比增长6.5%，稳中有进。" in doc.text
    assert "工业经济回升向好<通知>" in doc.text
    assert "var a" not in doc.text and "p{}" not in doc.text


def test_pinyin_only_after_characters():
    assert is_pinyin("yè") and is_pinyin("zhuàn") and is_pinyin("lüè") and is_pinyin("guo2")
    assert not is_pinyin("GDP") and not is_pinyin("xyz") and not is_pinyin("Ye")
    text, n = remove_pinyin("業(yè)，GDP(gdp)，附件(2)，5G(wǔ)，詳見(xyz)")
    assert n == 1
    assert text == "業，GDP(gdp)，附件(2)，5G(wǔ)，詳見(xyz)"


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "文件为空"),
        (b"  \n\t ", "文件为空"),
        (b"%PDF-1.7\n...", "PDF"),
        (b"PK\x03\x04\x14\x00", "docx"),
        (b"\x00\x4e\x00\x4e\x00\x4e", "空字节"),
        (b"\xff\xfe\x00\xd8", "UTF-16"),
    ],
)
def test_unusable_bytes_give_clear_errors(data, fragment):
    with pytest.raises(PolicyInputError) as exc:
        decode_bytes(data, "bad.txt")
    assert "bad.txt" in str(exc.value) and fragment in str(exc.value)


def test_gb18030_and_utf16_are_decoded():
    assert decode_bytes("工业和信息化部通知".encode("gb18030"), "g.txt") == "工业和信息化部通知"
    assert decode_bytes("工业和信息化部通知".encode("utf-16"), "u.txt") == "工业和信息化部通知"


@pytest.mark.parametrize("text", ["", "hello world, nothing Chinese here", "<p>&nbsp;</p>", "---\ntitle: 标题\n---\n"])
def test_text_without_chinese_body_is_refused(text):
    with pytest.raises(PolicyInputError, match=r"x\.txt"):
        clean_text(text, source_file="x.txt")


def test_read_document_errors_name_the_file(tmp_path):
    with pytest.raises(PolicyInputError, match=r"missing\.txt"):
        read_document(tmp_path / "missing.txt")
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4 binary")
    with pytest.raises(PolicyInputError, match=r"scan\.pdf"):
        read_document(bad)


def test_a_blank_line_after_a_comma_is_a_broken_line_and_cleaning_is_idempotent():
    # found by the property test: the first cleaning kept "一、\n工业", a second one joined it
    first = clean_text("工业和信息化部通知如下一、\n\n工业运行总体平稳，\n\n\n稳中有进。")
    assert first.text == "工业和信息化部通知如下一、工业运行总体平稳，稳中有进。"
    assert clean_text(first.text).text == first.text


def test_oversized_file_refused_before_reading(tmp_path):
    """A 5 MB 'document' (a log or a data dump picked by mistake) is refused, naming the file."""
    big = tmp_path / "误选的大文件.txt"
    big.write_text("工业" * (5 * 2**20 // 6 + 1), encoding="utf-8")
    assert big.stat().st_size > 5 * 2**20
    with pytest.raises(PolicyInputError, match=r"误选的大文件\.txt.*超过政策文本上限"):
        read_document(big)

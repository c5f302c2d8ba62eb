"""Notices as web copies give them: own vs cited 文号 (repaired), kind, title, news linked to the notice."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from yacang.appdb import create_all, session_scope
from yacang.policy import registry
from yacang.policy.clean import clean_text, read_document
from yacang.policy.parse import classify, find_doc_number, find_doc_numbers, parse_notice, title_line

REAL = Path(__file__).parents[1] / "fixtures" / "policy" / "real"
MESSY = REAL.parent / "messy"


@pytest.mark.parametrize(
    ("file", "own", "cited"),
    [
        ("notice_miit_2022_160.txt", "工信部联运行〔2022〕160号", []),
        ("notice_gd_2023_5_spun.txt", "粤府办〔2023〕5号", ["发改投资〔2022〕1652号"]),
        ("notice_huaihua_2023_9_trad.txt", "怀政办发〔2023〕9号", ["湘政办发〔2023〕4号"]),
        ("notice_guandu_2016_measures.txt", None, ["昆政发〔2016〕13号"]),  # cites one, shows none of its own
        ("notice_nantong_2005_4.txt", "通政办发〔2005〕4号", []),
    ],
)
def test_own_and_cited_numbers(file, own, cited):
    doc = read_document(REAL / file)
    numbers = find_doc_numbers(doc.text)
    assert find_doc_number(doc.text) == own
    assert [d.number for d in numbers if not d.own] == cited


def test_numbers_with_lost_brackets_and_hao_are_repaired():
    assert find_doc_number(read_document(MESSY / "notice_miit_2022_160__docno.txt").text) == "工信部联运行〔2022〕160号"
    assert find_doc_number(read_document(MESSY / "notice_nantong_2005_4__docno.txt").text) == "通政办发〔2005〕4号"
    text = clean_text("根据《关于做好工业通信业稳增长工作的通知》（工信厅规函[2018]56）要求，现通知如下。").text
    (d,) = find_doc_numbers(text)
    assert (d.number, d.own) == ("工信厅规函〔2018〕56号", False)


@pytest.mark.parametrize(
    ("file", "kind", "title"),
    [
        ("notice_miit_2022_160.txt", "notice", "工业和信息化部国家发展改革委国务院国资委关于巩固回升向好趋势加力振作工业经济的通知"),
        ("notice_gd_2023_5_spun.txt", "plan", "广东省人民政府办公厅关于印发广东省进一步加鼎力度支持民间投资生长实行方案的通知"),
        ("notice_huaihua_2023_9_trad.txt", "plan", None),
        ("notice_guandu_2016_measures.txt", "opinion", None),
        ("notice_nantong_2005_4.txt", "notice", "市政府办公室关于开展市区工业经济“争先创优”竞赛活动的通知"),
        ("news_160_trad.txt", "news", None),
        ("nbs_2019_07_iva.txt", "release", None),
        ("miit_2020_q3_press.txt", "news", "工信部：前三季度全国规模以上工业累计增速由负转正"),
    ],
)
def test_kind_and_title(file, kind, title):
    doc = read_document(REAL / file)
    n = parse_notice(doc.text, title=doc.title)
    got_kind, why = classify(doc.text, title_line(doc.text) or (n.title if n.doc_number else None), n.doc_number,
                             len(n.measures))
    assert got_kind == kind and why
    if title:
        assert (n.title if n.doc_number else title_line(doc.text)) == title


def test_news_about_a_notice_links_to_it_by_title(yacang_home):
    create_all()
    with session_scope() as s:
        notice = registry.ingest_file(s, REAL / "notice_miit_2022_160.txt")
        news = registry.ingest_file(s, REAL / "news_160_trad.txt")
        links = registry.refresh(s, news).links
    assert [(other, rel) for other, rel, _, _ in links] == [(notice.document_id, "cites")]


def test_registry_shows_date_kind_and_cleaning(yacang_home):
    create_all()
    with (REAL / "index.csv").open(encoding="utf-8") as fh:
        url = next(r["source_url"] for r in csv.DictReader(fh) if r["file"] == "nbs_2023_04_iva.txt")
    with session_scope() as s:
        r = registry.ingest_file(s, REAL / "nbs_2023_04_iva.txt", source_url=url)
        d = registry.document_detail(s, str(r.document_id))
    assert d["date"] == "2023-05-16" and "来源网址" in d["date_how"]
    assert d["kind_zh"] in ("新闻", "统计发布") and d["kind_why"]
    assert "页面框架行" in d["cleaning"]  # "(资料图)"


def test_releases_on_one_template_are_not_copies(yacang_home):
    # the 2020 and 2023 1-2月 releases share their template ("分三大门类看，1—2月份，采矿业增加值…") but not
    # their figures: both stay canonical, neither is taken for a copy of the other
    create_all()
    with session_scope() as s:
        a = registry.ingest_file(s, REAL / "nbs_2020_0102_iva.txt")
        b = registry.ingest_file(s, REAL / "nbs_2023_0102_iva_trad_nav.txt")
        a, b = registry.refresh(s, a), registry.refresh(s, b)
    assert a.links == [] and b.links == []
    assert (a.canonical_id, b.canonical_id) == (a.document_id, b.document_id)

"""Property tests: random and truncated text never crash the cleaner, parser or fact extractor."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.policy.helpers import APRIL_POST, NOTICE_SEED, PINYIN_SEED, XIAO_POST
from yacang.policy.clean import CleanDocument, clean_text, decode_bytes
from yacang.policy.dedup import overlap
from yacang.policy.errors import PolicyInputError
from yacang.policy.parse import parse_notice
from yacang.policy.release_facts import extract_facts

SEEDS = (NOTICE_SEED, PINYIN_SEED, XIAO_POST, APRIL_POST)
# Text made of the pieces documents are made of: Chinese, digits, brackets, markup, pinyin, line breaks.
PIECES = st.sampled_from([
    "工业", "增加值", "同比增长", "6.5%", "一季度", "个百分点", "（一）", "(三) ", "一、", "二、", "——", "1.",
    "。", "，", "：", "\n", " ", "<p>", "</p>", "&amp;", "---\n", "(yè)", "業", "〔2022〕160号", "各地：", "的",
    "2022年", "比2021年提高", "制造业占比", "为", "达到", "万亿元", "<http://x.cn/a>", "[返回](//x)",
])
DOCLIKE = st.lists(PIECES, max_size=120).map("".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _clean_or_error(text: str) -> CleanDocument | None:
    try:
        doc = clean_text(text, source_file="rand.txt")
    except PolicyInputError as exc:
        assert "rand.txt" in str(exc)  # a clear error names the file
        return None
    assert doc.text == doc.text.strip() and "\n\n" not in doc.text
    return doc


@SETTINGS
@given(st.text(max_size=400) | DOCLIKE)
def test_cleaner_returns_text_or_a_clear_error(text):
    doc = _clean_or_error(text)
    if doc is not None:
        assert len(doc.sha256) == 64
        # cleaning is idempotent on its own output
        assert clean_text(doc.text).text == doc.text


@SETTINGS
@given(st.text(max_size=400) | DOCLIKE, st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)) | st.none())
def test_parser_and_facts_never_crash(text, date):
    notice = parse_notice(text)
    numbers = [m.number for m in notice.measures]
    assert numbers == list(range(1, len(numbers) + 1))
    assert [s.number for s in notice.sections] == list(range(1, len(notice.sections) + 1))
    for f in extract_facts(text, date):
        assert f.sentence and f.unit


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes_decode_or_refuse(data):
    try:
        text = decode_bytes(data, "rand.bin")
    except PolicyInputError as exc:
        assert "rand.bin" in str(exc)
        return
    _clean_or_error(text)


@pytest.mark.parametrize("name", SEEDS)
def test_truncated_seeds(seeds, name):
    raw = (seeds / name).read_text(encoding="utf-8")

    @SETTINGS
    @given(st.integers(0, len(raw)), st.integers(0, len(raw)))
    def check(start, stop):
        doc = _clean_or_error(raw[min(start, stop): max(start, stop)])
        if doc is None:
            return
        notice = parse_notice(doc.text, title=doc.title)
        assert len(notice.measures) <= 17 and len(notice.sections) <= 6
        assert [m.number for m in notice.measures] == list(range(1, len(notice.measures) + 1))
        extract_facts(doc.text, doc.date)

    check()


@SETTINGS
@given(DOCLIKE, DOCLIKE)
def test_overlap_is_a_share(a, b):
    ov = overlap(a, b)
    assert 0.0 <= ov.a_in_b <= 1.0 and 0.0 <= ov.b_in_a <= 1.0
    assert overlap(a, a).relation in ("duplicate", "none")


def test_doubled_annotation_is_removed_in_one_pass():
    """Regression (found by hypothesis in CI): "提高(yè)(yè)" left "（yè）" for a second cleaning."""
    from yacang.policy.clean import clean_text

    once = clean_text("工业比2021年提高比2021年提高(yè)(yè)").text
    assert once == "工业比2021年提高比2021年提高"
    assert clean_text(once).text == once

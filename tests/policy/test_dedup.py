"""De-duplication: the pinyin copy of 160号 is linked to the clean notice; unrelated news stay apart."""

from __future__ import annotations

import itertools
import re

from tests.policy.helpers import APRIL_POST, MARCH_NEWS, NOTICE_SEED, PINYIN_SEED, XIAO_POST
from yacang.policy.clean import read_document
from yacang.policy.dedup import clusters, overlap


def _chars(s: str) -> int:
    """Characters the measure counts (Han, letters, digits), computed independently here."""
    return len(re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", s))


def test_pinyin_copy_is_linked_to_clean_notice_with_its_overlap(seeds):
    pinyin = read_document(seeds / PINYIN_SEED).text
    notice = read_document(seeds / NOTICE_SEED).text
    # From "原文如下：" on, the pinyin copy is the notice's opening (主送, preamble, 总体要求) verbatim.
    quoted = pinyin[pinyin.index("原文如下：") + len("原文如下："):].lstrip("\n")
    quoted_body = quoted[quoted.index("\n") + 1:]  # after the 文号 line, which the clean copy lacks
    joined = notice.replace("\n", "")
    for sentence in quoted_body.replace("\n", "").split("。"):
        assert sentence in joined
    share_quoted = _chars(quoted_body) / _chars(pinyin)  # about 0.57
    ov = overlap(pinyin, notice)
    assert ov.relation == "partial" and ov.linked
    # at least the quoted part is found in the notice; the news summary's first paragraph is not
    assert share_quoted - 0.01 <= ov.a_in_b < 0.95
    first_para = pinyin.split("\n")[0]
    assert first_para[:40] not in joined
    # the notice's opening is about a fifth of the notice
    assert abs(ov.b_in_a - _chars(quoted_body) / _chars(notice)) < 0.05
    assert ov.shared_chars >= _chars(quoted_body) - 20


def test_news_reports_are_not_linked(seeds):
    texts = {n: read_document(seeds / n).text for n in (NOTICE_SEED, MARCH_NEWS, XIAO_POST, APRIL_POST)}
    for a, b in itertools.combinations(texts, 2):
        ov = overlap(texts[a], texts[b])
        assert not ov.linked, (a, b, ov)
        assert ov.a_in_b < 0.1 and ov.b_in_a < 0.1


def test_same_text_and_containment(seeds):
    notice = read_document(seeds / NOTICE_SEED).text
    same = overlap(notice, notice.replace("，", ",").replace("\n", "\n\n"))
    assert same.relation == "duplicate" and same.a_in_b == 1.0 and same.b_in_a == 1.0
    other = read_document(seeds / MARCH_NEWS).text  # a report that quotes the notice in full after its own text
    report = other + "\n全文如下：\n" + notice + "\n（完）"
    ov = overlap(notice, report)
    assert ov.relation == "a_in_b" and ov.a_in_b == 1.0
    assert abs(ov.b_in_a - _chars(notice) / _chars(report)) < 0.01
    tiny = overlap(notice, "本报讯：" + notice + "（完）")
    assert tiny.relation == "duplicate"  # a few words around the full text: the same document
    assert overlap(report, notice).relation == "b_in_a"


def test_clusters_union_find():
    assert clusters([1, 2, 3, 4, 5], [(2, 1), (4, 5), (5, 2)]) == [[1, 2, 4, 5], [3]]
    assert clusters([7], []) == [[7]]


def test_prefilter_finds_the_same_links_as_every_pair(seeds):
    from yacang.policy.dedup import find_links, skeleton

    names = sorted(p.name for p in seeds.glob("*.txt"))
    texts = [read_document(seeds / n).text for n in names]
    brute = {(i, j) for i, j in itertools.permutations(range(len(texts)), 2) if overlap(texts[i], texts[j]).linked}
    fast = {(i, j) for i in range(len(texts))
            for j, _ in find_links(texts[i], [(j, t) for j, t in enumerate(texts) if j != i])}
    assert fast == brute == {(0, 1), (1, 0)}
    # unrelated news are rejected by the prefilter itself
    from yacang.policy.dedup import may_overlap

    assert not may_overlap(skeleton(texts[3]), skeleton(texts[4]))


def test_prefilter_never_misses_a_shared_passage_of_75_characters():
    import random

    from yacang.policy.dedup import may_overlap

    rng = random.Random(3)
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 2000)]
    for _ in range(200):
        a = "".join(rng.choice(han) for _ in range(rng.randint(100, 3000)))
        b = "".join(rng.choice(han) for _ in range(rng.randint(100, 3000)))
        start = rng.randint(0, len(a) - 75)
        passage = a[start: start + 75]
        pos = rng.randint(0, len(b))
        assert may_overlap(a, b[:pos] + passage + b[pos:])

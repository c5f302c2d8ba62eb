"""De-duplication: how much of one document's text is found in another.

The measure is **coverage**: the share of a document's characters (Chinese characters, letters and
digits; punctuation and spaces ignored) that lie inside some run of ``K`` consecutive characters also
found in the other document. Coverage of A in B is 1.0 when B contains A in full, whatever else B
says; two copies of the same text cover each other fully. Short common phrases ("坚持稳中求进工作
总基调") cover little, so unrelated documents stay apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from yacang.policy.clean import HAN

K = 12  # shingle length in characters
SAME = 0.95  # coverage above which a text counts as contained in the other
PARTIAL = 0.5  # coverage of the smaller text above which two documents are linked as partial copies
MIN_SHARED = 200  # and at least this many shared characters

_KEEP = re.compile(f"[{HAN}A-Za-z0-9]+")


def skeleton(text: str) -> str:
    """The text without punctuation and spaces (what the overlap measure compares)."""
    return "".join(_KEEP.findall(text)).lower()


@dataclass(frozen=True)
class Overlap:
    """How two documents overlap; ``a_in_b`` is the share of A's characters found in B."""

    a_in_b: float
    b_in_a: float
    shared_chars: int  # characters found in the other document (the smaller of the two counts)
    relation: str  # "duplicate" | "a_in_b" | "b_in_a" | "partial" | "none"

    @property
    def linked(self) -> bool:
        return self.relation != "none"


def _shingles(s: str, k: int = K) -> set[str]:
    return {s[i: i + k] for i in range(len(s) - k + 1)}


def _coverage(s: str, other: set[str], k: int = K) -> int:
    """Number of characters of ``s`` covered by a k-shingle present in ``other``."""
    if len(s) < k:
        return 0
    covered = 0
    reach = -1  # last position covered so far
    for i in range(len(s) - k + 1):
        if s[i: i + k] in other:
            end = i + k - 1
            covered += end - max(reach, i - 1)
            reach = end
    return covered


def overlap(text_a: str, text_b: str, *, k: int = K) -> Overlap:
    """Coverage both ways and the relation it implies."""
    a, b = skeleton(text_a), skeleton(text_b)
    if not a or not b:
        return Overlap(0.0, 0.0, 0, "none")
    if a == b:
        return Overlap(1.0, 1.0, len(a), "duplicate")
    ca = _coverage(a, _shingles(b, k), k)
    cb = _coverage(b, _shingles(a, k), k)
    fa, fb = ca / len(a), cb / len(b)
    if fa >= SAME and fb >= SAME:
        rel = "duplicate"
    elif fa >= SAME:
        rel = "a_in_b"
    elif fb >= SAME:
        rel = "b_in_a"
    elif max(fa, fb) >= PARTIAL and max(ca, cb) >= MIN_SHARED:
        rel = "partial"
    else:
        rel = "none"
    return Overlap(round(fa, 4), round(fb, 4), min(ca, cb), rel)


SAMPLE_STEP = 64  # prefilter: every 64th K-gram of the shorter text is looked up in the longer one


def may_overlap(a: str, b: str, *, step: int = SAMPLE_STEP, k: int = K) -> bool:
    """Cheap prefilter on skeletons: does any evenly spaced K-gram of the shorter occur in the longer?

    Any common passage of at least ``step + k - 1`` characters (75) contains a sampled K-gram, so
    documents sharing such a passage always pass; unrelated texts are rejected with a few substring
    searches instead of building and comparing shingle sets.
    """
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < k:
        return short != "" and short in long_
    return any(short[i: i + k] in long_ for i in range(0, len(short) - k + 1, step))


def find_links(text: str, others: list[tuple[int, str]]) -> list[tuple[int, Overlap]]:
    """The documents among ``others`` (id, text) that ``text`` is linked to, with their overlap."""
    me = skeleton(text)
    out = []
    for other_id, other_text in others:
        if may_overlap(me, skeleton(other_text)):
            ov = overlap(text, other_text)
            if ov.linked:
                out.append((other_id, ov))
    return out


def clusters(ids: list[int], links: list[tuple[int, int]]) -> list[list[int]]:
    """Connected groups of documents (union-find over the links), each sorted, singletons included."""
    parent = {i: i for i in ids}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for i in ids:
        groups.setdefault(find(i), []).append(i)
    return [sorted(g) for g in groups.values()]

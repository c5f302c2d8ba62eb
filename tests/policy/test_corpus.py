"""The real corpus under tests/fixtures/policy: scores against the hand-listed facts, and the messy half
is exactly what tests/fixtures/policy/make_messy.py produces."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest

from yacang.policy.evaluate import corpus, read_expected, score

FIXTURES = Path(__file__).parents[1] / "fixtures" / "policy"


def _make_messy():
    spec = importlib.util.spec_from_file_location("make_messy", FIXTURES / "make_messy.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


def test_corpus_has_30_real_texts_with_sources_and_facts():
    with (FIXTURES / "real" / "index.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 30
    assert all(r["source_url"].startswith("http") for r in rows)
    kinds = {r["kind"] for r in rows}
    assert {"统计发布", "新闻", "通知"} <= kinds
    assert sum(r["kind"] in ("通知", "方案", "意见") for r in rows) >= 3
    for r in rows:
        assert (FIXTURES / "real" / r["file"]).exists()
        assert (FIXTURES / "real" / f"{Path(r['file']).stem}.facts.csv").exists()
    n_facts = sum(len(read_expected(FIXTURES / "real" / f"{Path(r['file']).stem}.facts.csv")) for r in rows)
    assert n_facts >= 200


def test_messy_copies_are_reproducible():
    built = _make_messy().build()
    for name, data in built.items():
        assert (FIXTURES / "messy" / name).read_bytes() == data, name


@pytest.mark.parametrize("half", ["clean", "messy"])
def test_recall_and_precision_goals(half):
    expected = found = correct = 0
    for text, facts, h, url in corpus(FIXTURES):
        if h != half:
            continue
        s = score(text, read_expected(facts), h, url)
        expected, found, correct = expected + s.expected, found + s.found, correct + s.correct
    assert expected > 100
    assert correct / expected >= 0.85
    assert correct / found >= 0.95

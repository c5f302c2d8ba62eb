"""Score the fact extractor against hand-listed facts (strict: key + measure + period + value).

A hand-listed facts file is a CSV with columns ``indicator, measure, period, region, value, unit,
reference, fragment`` written by reading the text (``indicator`` holds the vocabulary key, e.g.
``iva/C``). The corpus index (``index.csv``) gives each text's file, source address and state
(clean or messy); messy copies made from a text are scored against the text's facts.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from yacang.policy.clean import read_document
from yacang.policy.release_facts import Fact, extract_facts

StrictKey = tuple[str, str, str, float]


@dataclass
class Score:
    file: str
    half: str  # clean | messy
    expected: int
    found: int
    correct: int
    missed: list[StrictKey]
    wrong: list[StrictKey]

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0


def strict_key(key: str, measure: str, period: str, value: float) -> StrictKey:
    return (key, measure, period, round(float(value), 4))


def read_expected(path: Path) -> set[StrictKey]:
    with Path(path).open(encoding="utf-8") as fh:
        return {strict_key(r["indicator"], r["measure"], r["period"], float(r["value"])) for r in csv.DictReader(fh)}


def facts_of(path: Path, source_url: str | None = None) -> list[Fact]:
    doc = read_document(path, source_url=source_url)
    return extract_facts(doc.text, doc.date)


def score(path: Path, expected: set[StrictKey], half: str, source_url: str | None = None) -> Score:
    found = {strict_key(f.key, f.measure, f.period, f.value) for f in facts_of(path, source_url)}
    correct = found & expected
    return Score(path.name, half, len(expected), len(found), len(correct), sorted(expected - found),
                 sorted(found - expected))


def corpus(root: Path) -> list[tuple[Path, Path, str, str | None]]:
    """(text, facts CSV, half, source URL) for the real texts under ``root/real`` and the messy copies
    under ``root/messy``."""
    out = []
    real = root / "real"
    urls: dict[str, str] = {}
    with (real / "index.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            urls[r["file"]] = r["source_url"]
            out.append((real / r["file"], real / f"{Path(r['file']).stem}.facts.csv", r["state"], r["source_url"]))
    messy_index = root / "messy" / "index.csv"
    if messy_index.exists():
        with messy_index.open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                base = r["base"]
                out.append((root / "messy" / r["file"], real / f"{Path(base).stem}.facts.csv", "messy", urls.get(base)))
    return out

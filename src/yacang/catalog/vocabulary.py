"""The words official releases use for indicators, breakdowns and products, in one place.

One vocabulary serves the policy fact extractor, ingest labels and the web: each *term* is an alias
as it appears in text ("规上工业增加值", "汽车行业", "外商及港澳台投资企业", "钢材") and what it names.

Roles:

- ``indicator``: a complete concept ("规模以上工业增加值" → ``iva``, "第一产业增加值" → ``gdp/primary``);
- ``family``: the measured quantity of a phrase whose breakdown comes from elsewhere ("增加值",
  "利润总额", "产能利用率": "采矿业增加值" is family ``iva`` with breakdown ``B``);
- ``breakdown``: a part of the whole: 三大门类 (B/C/D), the 41 divisions (06–46, names from
  :mod:`yacang.catalog.industries` plus the short forms in ``data/vocabulary_divisions.csv``), the NBS
  groupings (HT, EQ), ownership types and regions (东部地区 …);
- ``product``: an industrial product with the unit its output is published in ("钢材" 万吨).

A fact's *key* combines a family and a breakdown: ``iva/C``, ``profit/state_holding``,
``output/steel``; :func:`concept` maps a key back to the warehouse coordinates (indicator, industry,
category candidates).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from yacang.catalog.industries import SECTIONS, TOTAL, divisions

INDICATOR, FAMILY, BREAKDOWN, PRODUCT = "indicator", "family", "breakdown", "product"
OUTPUT = "output"  # family of product output (产量)


@dataclass(frozen=True)
class Term:
    """What an alias names."""

    key: str  # iva, gdp/primary, C, 36, state_holding, output/steel
    role: str  # indicator | family | breakdown | product
    indicator: str  # warehouse indicator code ('' for a breakdown)
    industry: str  # TOTAL, B/C/D, 06–46, HT/EQ …
    categories: tuple[str, ...]  # warehouse category labels ('' first when none)
    frequency: str  # M, Q, Y ('' for a breakdown)
    kind: str  # flow, rate, share, price, diffusion ('' for a breakdown)
    unit: str
    name: str  # the standard Chinese name


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("yacang.catalog").joinpath(f"data/{name}").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def terms() -> dict[str, Term]:
    """Every alias → its term (longest aliases win when matching, see :func:`alias_pattern`)."""
    out: dict[str, Term] = {}

    def add(alias: str, term: Term) -> None:
        out.setdefault(alias.strip(), term)

    for r in _rows("vocabulary_terms.csv"):
        cats = tuple(c for c in r["category"].split("|") if c) or ("",)
        t = Term(r["key"], r["role"], r["indicator"], r["industry"] or TOTAL, cats, r["frequency"], r["kind"],
                 r["unit"], r["name"])
        for alias in r["aliases"].split("|"):
            add(alias, t)
    short = {r["code"]: r["aliases"].split("|") for r in _rows("vocabulary_divisions.csv")}
    for d in divisions():
        t = Term(d.code, BREAKDOWN, "", d.code, ("",), "", "", "", d.name)
        for alias in [d.name, *short.get(d.code, [])]:
            add(alias, t)
    for code, name in SECTIONS.items():
        add(name, Term(code, BREAKDOWN, "", code, ("",), "", "", "", name))
    for r in _rows("vocabulary_products.csv"):
        t = Term(f"{OUTPUT}/{r['key']}", PRODUCT, OUTPUT, TOTAL, (r["name"],), "M", "flow", r["unit"], r["name"])
        for alias in r["aliases"].split("|"):
            add(alias, t)
    return out


@cache
def alias_pattern() -> re.Pattern[str]:
    """One regex matching any alias, longest first; the D section also matches with a garbled middle
    ("电力、热力、燃?xì)饧八…供应业", as mojibake leaves it)."""
    names = sorted(terms(), key=len, reverse=True)
    garbled_d = r"电力、?热力、?燃[^，。；,;]{1,24}?供应业"
    return re.compile(garbled_d + "|" + "|".join(map(re.escape, names)))


def term_for(alias: str) -> Term:
    """The term an alias (or a garbled D-section name) names."""
    t = terms().get(alias)
    if t is not None:
        return t
    if alias.startswith("电力") and alias.endswith("供应业"):
        return terms()[SECTIONS["D"]]
    raise KeyError(alias)


@cache
def by_key() -> dict[str, Term]:
    """Key → term (the first alias's term for keys defined more than once)."""
    out: dict[str, Term] = {}
    for t in terms().values():
        out.setdefault(t.key, t)
    return out


def combine(family: Term, breakdown: Term | None) -> str:
    """The fact key of a family (or complete indicator) with an optional breakdown: ``iva`` + ``C`` →
    ``iva/C``."""
    if breakdown is None or "/" in family.key:
        return family.key
    return f"{family.key}/{breakdown.key}"


@dataclass(frozen=True)
class Concept:
    """Warehouse coordinates of a fact key; ``categories`` are tried in order."""

    indicator: str
    industry: str
    categories: tuple[str, ...]
    frequency: str
    kind: str
    unit: str
    name: str


def concept(key: str) -> Concept:
    """Where the warehouse keeps a key's series; raises KeyError for an unknown key."""
    family_key, _, part = key.partition("/")
    keyed = by_key()
    if key in keyed and keyed[key].role in (INDICATOR, PRODUCT):
        t = keyed[key]
        return Concept(t.indicator, t.industry, t.categories, t.frequency, t.kind, t.unit, t.name)
    fam = keyed.get(family_key)
    if fam is None or fam.role not in (INDICATOR, FAMILY):
        raise KeyError(key)
    if not part:
        return Concept(fam.indicator, fam.industry, fam.categories, fam.frequency, fam.kind, fam.unit, fam.name)
    b = keyed.get(part)
    if b is None or b.role != BREAKDOWN:
        raise KeyError(key)
    return Concept(fam.indicator, b.industry, b.categories, fam.frequency, fam.kind, fam.unit,
                   f"{b.name}{fam.name}")


def is_rate(key: str) -> bool:
    """Whether a key is a ratio or level in % (销售率, 产能利用率, PMI, 比重): a change of it in % is a
    change in 百分点, and its level is not a flow."""
    try:
        return concept(key).kind in ("rate", "share", "diffusion")
    except KeyError:
        return False


def is_quarterly(key: str) -> bool:
    try:
        return concept(key).frequency in ("Q", "Y")
    except KeyError:
        return False

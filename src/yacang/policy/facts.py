"""Facts in press releases and news: "一季度规模以上工业增加值同比增长6.5%" → a typed statement.

A fact is (indicator, measure, period, region, value, unit, sentence). Text is read paragraph by
paragraph, sentence by sentence, clause by clause (，；：): the indicator named in a clause is the
subject of the figures after it, and carries on to later clauses of the same sentence
("…增长9.6%，两年平均增长6.1%"); the period named carries on through the paragraph. Reference
phrases (比2020年, 高于去年四季度) never change the current period.

Periods are resolved against the document date: in a report of 2022-04-19 "一季度" is 2022Q1, i.e.
累计 2022年1-3月, stored as measure ``ytd_yoy`` at period ``2022-03`` (the warehouse convention for
累计 series); "2021全年" is ``ytd_yoy`` at ``2021-12``. Shares and levels keep the span's own code
(``2022Q1``, ``2021``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from yacang.catalog.industries import TOTAL
from yacang.catalog.regions import NATION, provinces
from yacang.periods import Period

# measure codes used by facts beyond the catalog's MEASURES
TWO_YEAR_AVG = "two_year_avg"  # 两年平均增长 √((1+g₁)(1+g₂))−1
DIFF_PP = "diff_pp"  # change or gap in 百分点 (比…提高/高于…)

MEASURE_ZH = {
    "ytd_yoy": "累计同比", "yoy": "当月同比", "qtr_yoy": "当季同比", "level": "水平值", "value": "总量",
    TWO_YEAR_AVG: "两年平均增长", DIFF_PP: "增速差(百分点)",
}


@dataclass(frozen=True)
class Subject:
    indicator: str
    industry: str = TOTAL
    category: str = ""
    name: str = ""


# Longest phrases first; an indicator not in the catalog keeps a descriptive code (manufacturing_va).
SUBJECTS: dict[str, Subject] = {
    "规模以上中小工业企业增加值": Subject("iva", TOTAL, "中小企业", "规上中小工业企业增加值"),
    "中小工业企业增加值": Subject("iva", TOTAL, "中小企业", "规上中小工业企业增加值"),
    "规模以上工业企业出口交货值": Subject("export_delivery", TOTAL, "", "出口交货值"),
    "出口交货值": Subject("export_delivery", TOTAL, "", "出口交货值"),
    "规模以上工业增加值": Subject("iva", TOTAL, "", "规模以上工业增加值"),
    "规上工业增加值": Subject("iva", TOTAL, "", "规模以上工业增加值"),
    "工业增加值": Subject("iva", TOTAL, "", "规模以上工业增加值"),
    "高技术制造业增加值": Subject("iva", "HT", "", "高技术制造业增加值"),
    "装备制造业增加值": Subject("iva", "EQ", "", "装备制造业增加值"),
    "制造业增加值占GDP比重": Subject("manufacturing_share", TOTAL, "", "制造业增加值占GDP比重"),
    "制造业增加值占国内生产总值比重": Subject("manufacturing_share", TOTAL, "", "制造业增加值占GDP比重"),
    "制造业增加值比重": Subject("manufacturing_share", TOTAL, "", "制造业增加值占GDP比重"),
    "制造业占比": Subject("manufacturing_share", TOTAL, "", "制造业增加值占GDP比重"),
    "制造业比重": Subject("manufacturing_share", TOTAL, "", "制造业增加值占GDP比重"),
    "制造业增加值规模": Subject("manufacturing_va", "C", "", "制造业增加值（GDP核算）"),
    "制造业增加值": Subject("iva", "C", "", "规上制造业增加值"),
    "制造业投资": Subject("fai", "C", "", "制造业投资"),
    "工业投资": Subject("fai", TOTAL, "", "工业投资"),
    "固定资产投资": Subject("fai", TOTAL, "", "固定资产投资"),
    "利润总额": Subject("profit", TOTAL, "", "利润总额"),
    "营业收入": Subject("revenue", TOTAL, "", "营业收入"),
    "工业生产者出厂价格": Subject("ppi", TOTAL, "", "PPI"),
    "PPI": Subject("ppi", TOTAL, "", "PPI"),
    "制造业PMI": Subject("pmi", TOTAL, "", "制造业PMI"),
    "用电量": Subject("electricity", TOTAL, "", "用电量"),
}
_SUBJECT_RE = re.compile("|".join(sorted(map(re.escape, SUBJECTS), key=len, reverse=True)))

_NUM = r"(\d+(?:\.\d+)?)"
_GROWTH = re.compile(rf"(两年平均|同比|累计)?(?:增长|增速为|增速达到?)\s*(-?{_NUM[1:-1]})\s*[%％]|(同比)?(下降|回落)\s*{_NUM}\s*[%％]")
_DIFF = re.compile(rf"(提高|提升|加快|回升|上升|高于|低于|回落|下降|放缓|收窄|扩大|快于|慢于|高|低|快|慢)\s*{_NUM}\s*个百分点")
_LEVEL = re.compile(rf"(达到|达|为|是|占)\s*{_NUM}\s*([%％]|万亿元|亿元|万元)")
_REFERENCE = re.compile(
    r"(比|较|高于|低于|快于|慢于)(\d{4}年?(?:全年)?|去年(?:全年|同期|[一二三四]季度)?|上年(?:同期)?|上月|整体工业|全国)"
)
_NEG = {"低于", "回落", "下降", "放缓", "收窄", "慢于", "低", "慢"}
_Q = {"一": 1, "二": 2, "三": 3, "四": 4}
_PERIOD_RE = re.compile(
    r"(?P<rel>今年|去年|上年)?(?:(?P<y>\d{4})年?)?"
    r"(?:(?P<full>全年)|第?(?P<q>[一二三四])季度|(?P<h>[上下])半年|前三季度(?P<q3>)"
    r"|(?P<m1>\d{1,2})\s*[-—～~至]\s*(?P<m2>\d{1,2})月(?:份)?|(?P<m>\d{1,2})月份?)"
    r"|(?P<ry>\d{4})年(?!以来|以前|—|-)"
)


@dataclass(frozen=True)
class Fact:
    """One figure stated in a document."""

    indicator: str
    industry: str
    category: str
    region: str
    measure: str
    period: str  # warehouse period code of the figure (ytd → end month: 2022-03)
    span: str  # the span the text speaks of (2022Q1, 2021)
    period_label: str  # 2022年1-3月
    value: float
    unit: str
    subject: str  # the indicator as named in the text
    reference: str  # for differences: what it is compared with ("2020年", "去年四季度", "整体工业")
    sentence: str


# ----------------------------------------------------------------------------------------- periods
def resolve_period(m: re.Match[str], doc_date: dt.date | None) -> Period | None:
    """A period phrase matched by ``_PERIOD_RE`` as a Period, resolved against the document date."""
    g = m.groupdict()
    if g["ry"]:
        return Period.whole_year(int(g["ry"]))
    year: int | None = int(g["y"]) if g["y"] else None
    if year is None and doc_date is not None:
        if g["rel"] == "今年":
            year = doc_date.year
        elif g["rel"] in ("去年", "上年"):
            year = doc_date.year - 1
    if g["full"] is not None:
        year = year or (doc_date.year - 1 if doc_date else None)  # a whole year already published
        return Period.whole_year(year) if year else None
    if g["q"]:
        span = (3 * _Q[g["q"]] - 2, 3 * _Q[g["q"]])
    elif g["h"]:
        span = (1, 6) if g["h"] == "上" else (7, 12)
    elif g["q3"] is not None:
        span = (1, 9)
    elif g["m1"]:
        span = (int(g["m1"]), int(g["m2"]))
    else:
        span = (int(g["m"]), int(g["m"]))
    if not (1 <= span[0] <= span[1] <= 12):
        return None
    if year is None:
        if doc_date is None:
            return None
        # the latest such span that had ended by the document date
        year = doc_date.year
        if Period(year, span[0], span[1]).end_date >= doc_date:
            year -= 1
    return Period(year, span[0], span[1])


def period_for(measure: str, span: Period) -> tuple[str, str]:
    """(warehouse period code, Chinese label) of a figure of ``measure`` over ``span``."""
    if measure in ("ytd_yoy", TWO_YEAR_AVG, "ytd_value") and span.start == 1:
        end = Period.jan_feb(span.year) if span.end == 2 else Period.month(span.year, span.end)
        label = f"{span.year}年" if span.end == 12 else span.label_zh(cumulative=True)
        return end.code, label
    return span.code, span.label_zh()


def growth_measure(span: Period) -> str:
    if span.start == 1 and span.end > 1:
        return "ytd_yoy"
    if span.kind == "quarter":
        return "qtr_yoy"
    return "yoy"


# ----------------------------------------------------------------------------------------- extraction
@cache
def _region_re() -> tuple[re.Pattern[str], dict[str, str]]:
    names: dict[str, str] = {}
    for r in provinces():
        names[r.name] = r.code
        names[r.short_name] = r.code
    names["全国"] = NATION
    pattern = re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True)))
    return pattern, names


def split_sentences(paragraph: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。！？])", paragraph) if s.strip()]


def split_clauses(sentence: str) -> list[str]:
    return [c for c in re.split(r"[，；：,;]", sentence) if c.strip()]


def extract_facts(text: str, doc_date: dt.date | None) -> list[Fact]:
    """All facts in a cleaned text (one paragraph a line)."""
    facts: list[Fact] = []
    region_re, region_codes = _region_re()
    for para in text.split("\n"):
        span: Period | None = None
        for sentence in split_sentences(para):
            subject: Subject | None = None
            subject_name = ""
            region = NATION
            for clause in split_clauses(sentence):
                ref_m = _REFERENCE.search(clause)
                reference = ref_m.group(2) if ref_m else ""
                plain = clause
                if ref_m:  # drop the compared-with phrase, keep a comparing verb (高于2.6个百分点)
                    verb = "" if ref_m.group(1) in ("比", "较") else ref_m.group(1)
                    plain = clause[: ref_m.start()] + verb + clause[ref_m.end():]
                plain = re.sub(r"\d{4}年以来|（[^）]*）", "", plain)
                for pm in _PERIOD_RE.finditer(plain):
                    resolved = resolve_period(pm, doc_date)
                    if resolved is not None:
                        span = resolved
                first_value = _first_value_pos(plain)
                for sm in _SUBJECT_RE.finditer(plain):
                    if first_value is None or sm.start() < first_value:
                        subject, subject_name = SUBJECTS[sm.group(0)], sm.group(0)
                        if rm := list(region_re.finditer(plain[: sm.start()])):
                            region = region_codes[rm[-1].group(0)]
                if subject is None or span is None or first_value is None:
                    continue
                facts.extend(_clause_facts(plain, reference, subject, subject_name, region, span, sentence))
    return facts


def _first_value_pos(clause: str) -> int | None:
    hits = [m.start() for r in (_GROWTH, _DIFF, _LEVEL) if (m := r.search(clause))]
    return min(hits) if hits else None


def _clause_facts(
    clause: str, reference: str, subject: Subject, name: str, region: str, span: Period, sentence: str
) -> list[Fact]:
    out: list[Fact] = []

    def add(measure: str, value: float, unit: str, ref: str = "") -> None:
        code, label = period_for(measure, span)
        out.append(Fact(subject.indicator, subject.industry, subject.category, region, measure, code, span.code,
                        label, value, unit, name, ref, sentence.strip()))

    for m in _GROWTH.finditer(clause):
        if m.group(2) is not None:
            add(TWO_YEAR_AVG if m.group(1) == "两年平均" else growth_measure(span), float(m.group(2)), "%")
        else:
            add(growth_measure(span), -float(m.group(5)), "%")
    for m in _DIFF.finditer(clause):
        value = float(m.group(2)) * (-1 if m.group(1) in _NEG else 1)
        ref = reference or ("上年同期" if "同比" in clause or subject.indicator == "manufacturing_share" else "")
        add(DIFF_PP, value, "百分点", ref)
    for m in _LEVEL.finditer(clause):
        unit = "%" if m.group(3) in ("%", "％") else m.group(3)
        add("level" if unit == "%" else "value", float(m.group(2)), unit)
    return out

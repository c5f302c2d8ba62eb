"""Facts in releases and news: "1-4月份，规模以上工业增加值同比增长4.0%" → a typed statement.

A fact is (key, measure, period, region, value, unit) with the fragment it was read from and its
character offsets in the cleaned text. The words come from the catalog's vocabulary
(:mod:`yacang.catalog.vocabulary`); this module only knows how releases are written:

- text is read paragraph by paragraph, sentence by sentence, clause by clause (，；：); a subject
  named in a clause carries on to the clauses after it ("钢材11483万吨，同比下降5.8%"), a period
  carries on through the paragraph, the measured family (增加值, 利润总额 …) through the document, so
  "制造业下降4.6%" after "采矿业增加值…" is ``iva/C``;
- a period after 比/较/高于… is what a change is measured from, never the fact's own period;
- each figure is classified by the words between it and the previous figure: 同比 growth, 环比
  (比上月, 从环比看), 两年平均, 比2019年同期, 百分点 changes (sign from 提高/回落/收窄 …, the reference
  kept), levels with units (亿元, 万吨 …; 万亿元 converted to 亿元), counts ("41个大类行业中有34个"),
  shares (比重, 增长面), 贡献率 and 拉动;
- "分别" pairs lists of subjects, periods or references with lists of figures.

Periods: a 累计 figure (1-N月, 前N个月, 上半年, 前三季度, 全年; 一季度 for monthly indicators) is
stored at its end month (``2022-04``; 1-2月 as ``2022-01/02``) with a ``ytd_`` measure; a month at
``2022-04``; a quarter of a quarterly figure at ``2022Q2``; a year's rate at ``2022``. Months named
without a year are the latest such month ended by the document date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from yacang.catalog.regions import NATION, provinces
from yacang.catalog.vocabulary import (
    BREAKDOWN,
    FAMILY,
    INDICATOR,
    PRODUCT,
    Term,
    alias_pattern,
    by_key,
    combine,
    concept,
    is_quarterly,
    is_rate,
    term_for,
)
from yacang.periods import Period

# measure codes beyond the catalog's MEASURES
TWO_YEAR_AVG = "two_year_avg"  # 当月两年平均增长 √((1+g₁)(1+g₂))−1
YTD_TWO_YEAR_AVG = "ytd_two_year_avg"
DIFF_PP = "diff_pp"  # change or gap in 百分点, from ``reference``
YTD_DIFF_PP = "ytd_diff_pp"  # the same for a 累计 figure
MOM_DIFF_PP = "mom_diff_pp"  # a change of a 环比 rate
COUNT, SHARE, CONTRIBUTION, PULL = "count", "share", "contribution", "pull"

MEASURE_ZH = {
    "ytd_yoy": "累计同比", "yoy": "当月同比", "qtr_yoy": "当季同比", "mom": "环比", "sa_mom": "季调环比",
    "value": "当期值", "ytd_value": "累计值", TWO_YEAR_AVG: "两年平均增长", YTD_TWO_YEAR_AVG: "累计两年平均增长",
    DIFF_PP: "增减(百分点)", YTD_DIFF_PP: "累计增减(百分点)", MOM_DIFF_PP: "环比增速增减(百分点)", COUNT: "个数", SHARE: "占比", CONTRIBUTION: "贡献率", PULL: "拉动(百分点)",
}
LOCAL = ""  # a province or city the text does not name: never checked against national data
_GDP_BASIS = {"iva": "industry_va", "iva/C": "manufacturing_va"}

_NUM = r"[-−－]?\d+(?:\.\d+)?"
_LEVEL_UNITS = ("万亿元", "亿元", "万元", "亿吨", "万吨", "吨", "万辆", "辆", "亿千瓦时", "万千瓦时", "千瓦时",
                "亿块", "万块", "万重量箱", "万台", "万套", "万千瓦", "万射频模块", "亿立方米", "万立方米", "亿美元", "万个")
_VALUE = re.compile(
    rf"(?P<num>{_NUM})\s*(?P<unit>%|％|倍|个百分点|百分点|个?(?=[和、]\s*{_NUM}\s*个?百分点)|{'|'.join(_LEVEL_UNITS)})"
)
_ZH_N = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
         "十一": 11, "十二": 12}
_Q = {"一": 1, "二": 2, "三": 3, "四": 4}
_DASH = r"[-—–―~～至到]"
_PERIOD_RE = re.compile(
    r"(?P<rel>今年|去年|上年|本年|明年)?(?:(?P<y>(?:19|20)\d{2})\s*年?)?\s*(?:"
    r"(?P<full>全年)"
    r"|第?(?P<q>[一二三四])季度"
    r"|(?P<h>[上下])半年(?:累计)?"
    r"|(?P<q3>前三季度)"
    r"|[前首](?P<firstn>\d{1,2}|十[一二]|[两二三四五六七八九十])个?月(?:份)?"
    r"|(?P<m1>\d{1,2})\s*月?(?:份)?\s*" + _DASH + r"\s*(?P<m2>\d{1,2})\s*月(?:份)?"
    r"|(?P<mlist>\d{1,2}(?:、\d{1,2})+)月份?"
    r"|(?P<m>\d{1,2})\s*月(?:份)?(?![\d日])"
    r")(?!份?(?:以来|起|前))"
    r"|(?P<ry>(?:19|20)\d{2})\s*年(?=[，,]|$|我国|全国|规模|全部|中国|制造业|工业)"
)
_REF_MARK = re.compile(r"(?:比|较|高于|低于|快于|慢于|高出|低出|与|同|由)$")
_GROWTH_POS = r"增长(?!面)了?|增速|增幅|上涨|上升|提高|提升|回升|加快|增加(?!值)"
_GROWTH_NEG = r"负增长|下降|降低|减少|下跌|回落|降幅|下滑|收缩|放缓"
_GROWTH_WORD = re.compile(rf"{_GROWTH_NEG}|{_GROWTH_POS}|(?<!保)持平")
_LEVEL_VERB = re.compile(r"(?:为|是|达到?|恢复到|回升至|升至|降至|保持在|录得)\s*(?:近|约)?\s*$")
_DIFF_NEG = {"回落", "下降", "放缓", "降低", "低于", "慢于", "减少", "缩小", "低", "慢", "下滑", "回调"}
_DIFF_POS = {"提高", "提升", "加快", "回升", "上升", "高于", "高出", "快于", "高", "快", "增加", "上涨"}
_DIFF_VERB = re.compile(r"收窄|扩大|" + "|".join(sorted(_DIFF_NEG | _DIFF_POS, key=len, reverse=True)))
_SCOPE = re.compile(r"全国|全省|全区|全市|全州|全县|我省|我市|我区|本市|本省")
_LOCAL_WORDS = ("全省", "全区", "全市", "全州", "全县", "我省", "我市", "我区", "本市", "本省")


@dataclass(frozen=True)
class Fact:
    """One figure stated in a document."""

    key: str  # vocabulary key: iva/C, output/steel …
    indicator: str
    industry: str
    category: str
    region: str  # GB/T 2260 code, 100000 nation, '' a local area the text does not name
    measure: str
    period: str  # warehouse period code of the figure (ytd → end month: 2022-03; 1-2月: 2022-01/02)
    span: str  # the span the text speaks of (2022Q1, 2021)
    period_label: str  # 2022年1-3月
    value: float
    unit: str
    subject: str  # the subject as named in the text
    reference: str  # for changes: what it is compared with ("2022-03", "上年同期", "全国")
    sentence: str  # the fragment (clause) the figure was read from
    start: int = 0  # offsets of the figure in the cleaned text
    end: int = 0


@dataclass
class _State:
    doc_date: dt.date | None
    default_region: str
    family: Term
    year_hint: int | None = None
    span: Period | None = None
    subject: tuple[Term, ...] | None = None
    subject_text: str = ""
    region: str = NATION
    last_growth: dict[str, float] = field(default_factory=dict)
    last_measure: dict[str, str] = field(default_factory=dict)
    sentence_start: int = -1
    subject_sentence: int = -2


# ----------------------------------------------------------------------------------------- periods
def _firstn(s: str) -> int:
    return int(s) if s.isdigit() else _ZH_N[s]


def resolve_period(m: re.Match[str], doc_date: dt.date | None, year_hint: int | None = None) -> list[Period]:
    """The period(s) a phrase matched by ``_PERIOD_RE`` names (several for "5、6月份")."""
    g = m.groupdict()
    if g["ry"]:
        return [Period.whole_year(int(g["ry"]))]
    year: int | None = int(g["y"]) if g["y"] else None
    if year is None and g["rel"] and doc_date is not None:
        year = doc_date.year - (1 if g["rel"] in ("去年", "上年") else 0) + (1 if g["rel"] == "明年" else 0)
    if g["full"] is not None:
        year = year or (doc_date.year - 1 if doc_date else year_hint)
        return [Period.whole_year(year)] if year else []
    if g["q"]:
        spans = [(3 * _Q[g["q"]] - 2, 3 * _Q[g["q"]])]
    elif g["h"]:
        spans = [(1, 6) if g["h"] == "上" else (7, 12)]
    elif g["q3"] is not None:
        spans = [(1, 9)]
    elif g["firstn"]:
        spans = [(1, _firstn(g["firstn"]))]
    elif g["m1"]:
        spans = [(int(g["m1"]), int(g["m2"]))]
    elif g["mlist"]:
        spans = [(int(x), int(x)) for x in g["mlist"].split("、")]
    else:
        spans = [(int(g["m"]), int(g["m"]))]
    out = []
    for a, b in spans:
        if not (1 <= a <= b <= 12):
            return []
        y = year
        if y is None:
            if doc_date is not None:
                y = doc_date.year
                if Period(y, a, b).end_date > doc_date:
                    y -= 1
            elif year_hint is not None:
                y = year_hint
            else:
                return []
        out.append(Period(y, a, b))
    return out


def _cumulative(span: Period, key: str) -> bool:
    if is_quarterly(key):
        return span.start == 1 and span.end in (6, 9, 12) and span.end > 3
    return span.start == 1 and (span.end > 1)


def _end_code(span: Period) -> str:
    if span.end == 2 and span.start == 1:
        return Period.jan_feb(span.year).code
    return Period.month(span.year, span.end).code


def _own_code(span: Period) -> str:
    if span.start == span.end:
        return Period.month(span.year, span.end).code
    return span.code


def period_code(measure: str, span: Period, key: str) -> tuple[str, str]:
    """(warehouse period code, Chinese label) of a figure of ``measure`` over ``span``."""
    if _cumulative(span, key) and not (is_rate(key) and span.kind == "year" and measure == "value"):
        return _end_code(span), span.label_zh(cumulative=True) if span.end != 12 else f"{span.year}年"
    if span.kind == "year":
        return str(span.year), f"{span.year}年"
    return _own_code(span), span.label_zh()


def growth_measure(span: Period, key: str) -> str:
    if _cumulative(span, key):
        return "ytd_yoy"
    if span.kind == "quarter":
        return "qtr_yoy"
    return "yoy"


def level_measure(span: Period, key: str) -> str:
    if is_rate(key):
        return "ytd_value" if _cumulative(span, key) and span.kind != "year" else "value"
    return "ytd_value" if _cumulative(span, key) or span.kind == "year" else "value"


# ----------------------------------------------------------------------------------------- text units
def _split(text: str, pattern: str, start: int) -> list[tuple[int, str]]:
    out, pos = [], 0
    for piece in re.split(f"({pattern})", text):
        if piece and not re.fullmatch(pattern, piece):
            out.append((start + pos, piece))
        pos += len(piece)
    return out


def _blank(s: str, a: int, b: int) -> str:
    return s[:a] + " " * (b - a) + s[b:]


_REGION_NAMES: dict[str, str] | None = None


def _region_names() -> dict[str, str]:
    global _REGION_NAMES
    if _REGION_NAMES is None:
        names = {}
        for r in provinces():
            names[r.name] = r.code
            if len(r.short_name) >= 2:
                names[r.short_name] = r.code
        _REGION_NAMES = names
    return _REGION_NAMES


def default_region(text: str) -> str:
    """NATION unless the text speaks of 全省/全市/我省 … (then the province it names, or LOCAL)."""
    head = text[:600]
    if not any(w in head for w in _LOCAL_WORDS):
        return NATION
    for name, code in sorted(_region_names().items(), key=lambda kv: -len(kv[0])):
        if name in head[:200]:
            return code
    return LOCAL


# ----------------------------------------------------------------------------------------- extraction
def extract_facts(text: str, doc_date: dt.date | None) -> list[Fact]:
    """All facts in a cleaned text (one paragraph a line), each with its fragment and offsets."""
    hint = None
    if m := re.search(r"((?:19|20)\d{2})\s*年", text):
        hint = int(m.group(1))
    st = _State(doc_date=doc_date, default_region=default_region(text), family=by_key()["iva"], year_hint=hint)
    out: list[Fact] = []
    offset = 0
    for para in text.split("\n"):
        st.subject, st.subject_text = None, ""
        st.region = st.default_region
        for s_start, sentence in _split(para, r"[。！]|(?<![A-Za-z])？(?![A-Za-z\u00c0-\u024f])", offset):
            saved_span = st.span if re.match(r"\s*(?:分(?:季度|月份?|月度)看|其中)", sentence) else None
            mom_context = bool(re.match(r"\s*从环比看", sentence))
            st.last_growth, st.last_measure = {}, {}
            st.sentence_start = s_start
            for c_start, clause in _split(sentence, r"[，；：,;]", s_start):
                if "环比" in clause:
                    mom_context = True
                if "〓" in clause:
                    continue  # bytes lost to a wrong decoding here: no figure is read from it
                out.extend(_clause(clause, c_start, st, mom_context))
            if saved_span is not None:  # "分季度看，一季度…，二季度…": the quarters are the sentence's own
                st.span = saved_span
        offset += len(para) + 1
    return _dedupe(out)


def _dedupe(facts: list[Fact]) -> list[Fact]:
    seen, out = set(), []
    for f in facts:
        k = (f.key, f.measure, f.period, f.region, f.value, f.reference)
        if k not in seen:
            seen.add(k)
            out.append(f)
    return out


def _clause(clause: str, start: int, st: _State, mom_context: bool) -> list[Fact]:
    work = re.sub(r"（[^（）0-9]*）|\([^()0-9]*\)", lambda m: " " * len(m.group(0)), clause)
    # periods: reference, local (…为) or the clause's own
    local_spans: list[tuple[int, list[Period]]] = []
    for_spans: list[tuple[int, Period]] = []  # "1-2月份为下降6.5%", "其中二季度增长4.7%": this figure's own
    ref_spans: list[tuple[int, int, list[Period]]] = []
    for pm in _PERIOD_RE.finditer(work):
        if not pm.group(0).strip():
            continue
        spans = resolve_period(pm, st.doc_date, st.year_hint)
        if not spans:
            continue
        if pm.group("y") or pm.group("ry"):
            st.year_hint = spans[0].year
        before = work[: pm.start()].rstrip()
        joined_ref = bool(ref_spans) and re.fullmatch(r"\s*[和、及与]\s*", work[ref_spans[-1][1]: pm.start()])
        if (_REF_MARK.search(before[-3:] if before else "") or re.search(r"(?:比|较|高于|低于|快于|慢于)(?:同期)?$", before)
                or joined_ref):
            ref_spans.append((pm.start(), pm.end(), spans))
            continue
        after = work[pm.end():].lstrip()
        if (after.startswith(("为", "是")) or before.endswith("其中")) and st.span is not None:
            for_spans.append((pm.start(), spans[0]))
            continue
        if len(spans) == 1:
            st.span = spans[0]
        local_spans.append((pm.start(), spans))
    # scope words
    if sm := _SCOPE.search(work):
        st.region = NATION if sm.group(0) == "全国" and not _in_ref(work, sm.start()) else (
            st.default_region if sm.group(0) != "全国" else st.region)
    # exclusions for subject search: references, 对…贡献率, 拉动…增长
    search = work
    for a, b, _ in ref_spans:
        search = _blank(search, a, b)
    for rx in (r"(?<![业值])占(?:GDP|国内生产总值)的?比重", r"占全球比重", r"占[^，；%]{0,14}?比重", r"对[^，；]{0,20}?(?:增长)?的?贡献率", r"拉动[^，；]{0,20}?增长", r"(?:(?<![占同])比(?![重例率])|较|高于|低于|快于|慢于|高出)[^，；%]{0,20}?(?=\d|(?:提高|回落|加快|上升|下降|回升|收窄|扩大|放缓)|$)"):
        for m in re.finditer(rx, search):
            search = _blank(search, m.start(), m.end())
    values = list(_VALUE.finditer(work))
    first_value = values[0].start() if values else len(work)
    carried = st.subject
    subjects = _subjects(search[:first_value], st)
    if (subjects and len(subjects) == 1 and subjects[0][0].role == FAMILY and carried and len(carried) == 1
            and carried[0].key.startswith(subjects[0][0].key + "/") and st.sentence_start == st.subject_sentence):
        subjects = []  # "汽车制造业表现出色，当月增加值同比增长…": 增加值 refines, the breakdown stays
    if subjects:
        st.subject_sentence = st.sentence_start
        st.subject = tuple(t for t, _ in subjects)
        st.subject_text = "、".join(a for _, a in subjects)
    facts = _counts(work, start, st)
    facts += _parenthetical(work, start, st, clause)
    if st.subject is None or st.span is None:
        return facts
    facts += _values(work, values, start, st, mom_context, ref_spans, local_spans, clause, for_spans)
    return facts


def _in_ref(work: str, pos: int) -> bool:
    return bool(re.search(r"(?:比|较|高于|低于|快于|慢于|高出|分别高出)[^，；]{0,6}$", work[:pos]))


_UNKNOWN_SUBJECT = re.compile(
    r"[\u4e00-\u9fff]{2,10}?(?:总量|总计|合计|总额|余额|账款|存货|成本|费用|销量|销售额|进出口|进口额|出口额|收入|指数|业务量)"
)
_SHORT_ALIAS_LEFT = set("市省国区县州的和及与中其看了：，、（ 全是年月季度日内来")


def _subjects(text: str, st: _State) -> list[tuple[Term, str]]:
    """Subject terms named before the first figure: [(term, alias)], families resolved. A clause whose
    subject is a quantity the vocabulary does not know ("电信业务总量") gets the unknown subject."""
    found: list[tuple[Term, str, int]] = []
    locked = False
    blanked = text
    for m in alias_pattern().finditer(text):
        if len(m.group(0)) <= 3 and m.start() > 0 and re.match(r"[\u4e00-\u9fff]", text[m.start() - 1]) \
                and text[m.start() - 1] not in _SHORT_ALIAS_LEFT and term_for(m.group(0)).role == BREAKDOWN:
            continue  # "计算机及办公设备制造业": 制造业 ends a name the vocabulary does not know
        blanked = _blank(blanked, m.start(), m.end())
        t = term_for(m.group(0))
        found.append((t, m.group(0), m.end()))
        if text[m.end():m.end() + 1] == "等":
            locked = True
            break
    if _UNKNOWN_SUBJECT.search(blanked) and not any(t.role in (INDICATOR, FAMILY, PRODUCT) for t, _, _ in found):
        st.subject = None  # a quantity the vocabulary does not know: its figures are not read
        return []
    if not found:
        return []
    fams = [t for t, _, _ in found if t.role in (INDICATOR, FAMILY)]
    parts = [(t, a) for t, a, _ in found if t.role in (BREAKDOWN, PRODUCT)]
    if locked:
        parts = [(t, a) for t, a, _ in found if t.role in (BREAKDOWN, PRODUCT)]
    family = fams[-1] if fams else None
    if (family is not None and family.role == FAMILY) or (family is not None and "/" not in family.key and parts):
        st.family = family if family.role == FAMILY or family.key == "iva" else st.family
    if family is not None and not parts:
        if (family.role == FAMILY or "/" not in family.key) and family.kind not in ("breadth", "share"):
            st.family = family  # "居民消费价格…其中，城市上涨2.1%": the breakdown is of this indicator
        return [(family, _alias(found, family))]
    out = []
    fam = family if family is not None and family.role in (INDICATOR, FAMILY) and "/" not in family.key else st.family
    for t, a in parts:
        if t.role == PRODUCT:
            out.append((t, a))
        else:
            out.append((_combined(fam, t), a))
    if family is not None and family.role == FAMILY:
        st.family = family
    return out


def _alias(found, term) -> str:
    return next(a for t, a, _ in found if t is term)


def _combined(family: Term, part: Term) -> Term:
    """A family with a breakdown, as one subject (key ``iva/C``)."""
    key = combine(family, part)
    c = concept(key) if _known(key) else None
    return Term(key, INDICATOR, family.indicator, part.industry, part.categories if c is None else c.categories,
                family.frequency, family.kind, family.unit, f"{part.name}{family.name}")


def _known(key: str) -> bool:
    try:
        concept(key)
    except KeyError:
        return False
    return True


def _counts(work: str, start: int, st: _State) -> list[Fact]:
    """"41个大类行业中有34个行业增加值保持同比增长", "617种产品中有169种产品产量同比增长"."""
    out = []
    if st.span is None:
        return out
    for m in re.finditer(r"(?<![\d.])(\d+)\s*(个|种)(?:工业)?(?:大类)?(行业|省区市|省市|省份|产品)?(?:大类)?", work):
        rest = work[m.end():]
        if rest.lstrip().startswith("中"):
            continue  # "41个大类行业中": the whole, not a count of growing ones
        what = m.group(3) or ("产品" if m.group(2) == "种" else "")
        if not what:
            if not re.match(r"(?:工业)?行业", rest):
                continue
            what = "行业"
        tail = rest
        if re.search(r"中(?:有)?$", work[: m.start()]) is None and re.match(r"\s*中", rest):
            continue
        if re.search(r"亏损|转为|持平", tail[:12]):
            continue  # "由亏损转为盈利", "亏损比去年同期减少": neither growing nor shrinking
        up = re.search(r"增长|增加(?!值)|正增长|盈利", tail)
        down = re.search(r"下降|减少|亏损", tail)
        if not (up or down):
            continue
        profit = "利润" in tail or (st.family.key == "profit" and "增加值" not in tail)
        if what == "产品":
            key = "products_up" if up else "products_down"
        elif what.startswith("省"):
            key = "regions_up" if up else "regions_down"
        else:
            key = ("industries_profit_" if profit else "industries_") + ("up" if up and not (down and down.start() < up.start()) else "down")
        code, label = _count_period(st.span)
        out.append(Fact(key, key, "TOTAL", "", st.region, COUNT, code, st.span.code, label, float(m.group(1)),
                        m.group(2), key, "", work.strip(), start + m.start(1), start + m.end(1)))
    return out


def _count_period(span: Period) -> tuple[str, str]:
    if span.start == 1 and span.end > 1:  # a whole year is "2021年", as period_code labels it
        return _end_code(span), span.label_zh(cumulative=True) if span.end != 12 else f"{span.year}年"
    return _own_code(span), span.label_zh()


def _parenthetical(work: str, start: int, st: _State, clause: str) -> list[Fact]:
    """"全国（5.9%）", "较去年同期（-1.1%）": the figure of the region or period named before it."""
    out = []
    if st.subject is None or st.span is None or len(st.subject) != 1:
        return out
    subj = st.subject[0]
    for m in re.finditer(rf"(全国|全省|全区|全市|去年同期|上年同期)\s*[（(]\s*({_NUM})\s*[%％]\s*[）)]", work):
        span, region = st.span, st.region
        if m.group(1) in ("去年同期", "上年同期"):
            span = span.shift_years(-1)
        else:
            region = NATION if m.group(1) == "全国" else LOCAL
        measure = growth_measure(span, subj.key)
        code, label = period_code(measure, span, subj.key)
        out.append(_fact(subj, st, measure, code, span, label, _num(m.group(2)), "%", "", clause,
                         start + m.start(2), start + m.end(2), region=region))
    return out


def _num(s: str) -> float:
    return float(s.replace("−", "-").replace("－", "-"))


def _fact(subj: Term, st: _State, measure: str, code: str, span: Period, label: str, value: float, unit: str,
          ref: str, clause: str, a: int, b: int, region: str | None = None) -> Fact:
    c = concept(subj.key) if _known(subj.key) else None
    indicator = c.indicator if c else subj.indicator
    industry = c.industry if c else subj.industry
    category = (c.categories if c else subj.categories)[0]
    return Fact(subj.key, indicator, industry, category, st.region if region is None else region, measure, code,
                span.code, label, value, unit, st.subject_text or subj.name, ref, clause.strip(), a, b)


def _values(work: str, values: list[re.Match[str]], start: int, st: _State, mom_context: bool,
            ref_spans, local_spans, clause: str, for_spans=()) -> list[Fact]:
    out: list[Fact] = []
    subjects = list(st.subject or ())
    paired = "分别" in work
    n_pct = [v for v in values if v.group("unit") in ("%", "％", "倍")]
    n_pp = [v for v in values if "百分点" in v.group("unit") or v.group("unit") in ("个", "")]
    list_spans = next((s for _, s in local_spans if len(s) > 1), None)
    refs_list = [s for _, _, s in ref_spans]
    prev_end = 0
    prev_sign = 1.0
    idx_pct = idx_pp = 0
    for v in values:
        if re.search(r"\(|（", work[max(0, v.start() - 2): v.start()]) and re.search(r"全国|全省|全市|全区|同期", work[max(0, v.start() - 8): v.start()]):
            continue  # a bracketed figure of another region or period (see _parenthetical)
        ctx = work[prev_end: v.start()]
        prev_end = v.end()
        unit = v.group("unit")
        value = _num(v.group("num"))
        a, b = start + v.start("num"), start + v.end("num")
        span = next((p for pos, p in for_spans if pos < v.start()), st.span)
        if "当月" in work[: v.start()] and span.start != span.end:
            span = Period.month(span.year, span.end)  # "当月增加值同比增长70.9%": the last month of the span
        if "百分点" in unit or unit in ("个", ""):
            region_refs = re.findall(r"全国|全省|全市|全区", work[: n_pp[0].start()]) if n_pp else []
            if len(n_pp) > 1 and len(n_pp) not in (len(subjects), len(refs_list), len(region_refs),
                                                   len(list_spans or ())):
                continue  # "中、小型企业…比上月上升0.6和0.3个百分点": the changes cannot be paired
            subj = subjects[min(idx_pp, len(subjects) - 1)] if paired and len(subjects) == len(n_pp) else subjects[-1]
            ref_span = refs_list[idx_pp] if paired and len(refs_list) == len(n_pp) else (refs_list[-1] if refs_list else None)
            idx_pp += 1
            if re.search(r"合计", ctx):
                continue  # "合计拉动…": the pull of a group the text lists, not of one subject
            if re.search(r"拉动|带动", ctx):
                measure = PULL
                sign = -1.0 if re.search(r"下拉|拖累", ctx) else 1.0
                ref = ""
            else:
                measure = DIFF_PP
                sign = _diff_sign(ctx, st.last_growth.get(subj.key))
                if sign == 0 and ctx.strip(" 、和及") == "" and out and out[-1].measure == DIFF_PP:
                    sign = 1.0 if out[-1].value >= 0 else -1.0
                if sign == 0:
                    continue
                ref = _reference(ctx, work, v.start(), ref_span, span)
                if len(n_pp) > 1 and len(region_refs) == len(n_pp):
                    ref = region_refs[idx_pp - 1]  # "分别高出全国（5.9%）、全省（6.4%）…2.2个和1.7个百分点"
                if ref == "全国" and st.region == NATION and "/" in subj.key and re.search(r"规上工业|规模以上工业", ctx):
                    ref = "整体工业"  # a national breakdown "比全国规上工业增速高出…": compared with the total
                if not ref and is_rate(subj.key):
                    ref = "上年同期"  # "比重提高1.1个百分点": a ratio's change is on the same period a year earlier
            code, label = _count_period(span) if not is_quarterly(subj.key) or span.kind != "quarter" else (span.code, span.label_zh())
            if is_rate(subj.key) and span.kind == "year":
                code = str(span.year)
            if measure == DIFF_PP:
                measure = _diff_measure(span, subj.key)
                if st.last_measure.get(subj.key) in ("mom", "sa_mom") and "同比" not in ctx:
                    measure = MOM_DIFF_PP  # "环比增长0.32%，比上月加快0.13个百分点": a change of the 环比
            out.append(_fact(subj, st, measure, code, span, label, round(sign * value, 4), "百分点", ref, clause, a, b))
            continue
        if unit in ("%", "％", "倍"):
            subj = subjects[min(idx_pct, len(subjects) - 1)] if paired and len(subjects) == len(n_pct) else subjects[-1]
            if paired and list_spans and len(list_spans) == len(n_pct):
                span = list_spans[idx_pct]
            idx_pct += 1
            if unit == "倍":
                value = value * 100
            m_contrib = re.search(r"贡献率", ctx)
            m_share = re.search(r"比重|占比|增长面", ctx) or (subj.kind == "breadth")
            growth = list(_GROWTH_WORD.finditer(ctx))
            if m_contrib:
                code, label = _count_period(span)
                owner = re.search(r"([^，；]{0,12}?)对[^，；]{0,20}?贡献率", work)
                if owner and owner.group(1).endswith("工业") and not alias_pattern().search(owner.group(1)):
                    subj = by_key()["industry_va"]  # "工业对宏观经济增长的贡献率"
                out.append(_fact(subj, st, CONTRIBUTION, code, span, label, value, "%", "", clause, a, b))
                continue
            gdp_share = re.search(r"占(?:GDP|国内生产总值)的?比重", ctx)
            if gdp_share and subj.key in ("industry_va", "iva/C", "manufacturing_va"):
                key = "industry_share" if subj.key == "industry_va" else "manufacturing_share"
                t = by_key()[key]
                st.subject = (t,)  # "…占GDP比重达到27.4%，提高1.1个百分点": the change is the share's
                code, label = period_code("value", span, key)
                out.append(_fact(t, st, level_measure(span, key), code, span, label, value, "%", "", clause, a, b))
                continue
            if re.search(r"占(?:全球|世界)|超过|突破|不低于|不高于|不足", ctx):
                continue  # a share of the world, or a threshold ("连续31个月超过30%"), not a figure of the subject
            if re.search(r"(?<!增长)(?:回升|下降|亏损|盈利)?面(?:达到?|为)\s*$", ctx) and "增长面" not in ctx:
                continue  # a breadth the vocabulary does not name ("回升面达到51.2%")
            if paired and len(n_pct) > 1 and len(subjects) != len(n_pct) and not (
                    list_spans and len(list_spans) == len(n_pct)):
                continue  # "有色、电气机械等…分别增长": the figures cannot be paired with the subjects
            if m_share and not growth:
                measure = SHARE if subj.kind == "breadth" or not is_rate(subj.key) else level_measure(span, subj.key)
                code, label = period_code("value", span, subj.key)
                if measure == SHARE:
                    code, label = _count_period(span)
                out.append(_fact(subj, st, measure, code, span, label, value, "%", "", clause, a, b))
                continue
            if not growth and (_LEVEL_VERB.search(ctx) or is_rate(subj.key)):
                measure = level_measure(span, subj.key)
                code, label = period_code(measure, span, subj.key)
                out.append(_fact(subj, st, measure, code, span, label, value, "%", "", clause, a, b))
                continue
            if growth:
                last = growth[-1].group(0)
                sign = 0.0 if last == "持平" else (-1.0 if re.fullmatch(_GROWTH_NEG, last) else 1.0)
                if re.search(r"降幅", ctx):
                    sign = -1.0
                if sign == 0.0:
                    sign = 1.0
            else:
                sign = prev_sign if ctx.strip(" 、和及") == "" else 1.0
            prev_sign = sign
            value = sign * abs(value) if value >= 0 else value
            if is_rate(subj.key):
                code, label = _count_period(span)
                if is_quarterly(subj.key) and span.kind == "quarter":
                    code, label = span.code, span.label_zh()
                out.append(_fact(subj, st, _diff_measure(span, subj.key), code, span, label, value, "百分点", "上年同期",
                                 clause, a, b))
                continue
            measure = _growth_kind(ctx, work, v.start(), span, subj.key, mom_context)
            code, label = period_code(measure, span, subj.key)
            if measure in ("mom", "sa_mom"):
                code = span.code if span.kind == "quarter" else Period.month(span.year, span.end).code
            st.last_growth[subj.key] = value
            st.last_measure[subj.key] = measure
            out.append(_fact(subj, st, measure, code, span, label, value, "%", "", clause, a, b))
            continue
        # a level with a unit
        subj = subjects[-1]
        if subj.kind in ("rate", "share", "breadth"):
            continue
        unit_out = unit
        if unit == "万亿元":
            value, unit_out = round(value * 10000, 4), "亿元"
        if unit_out == "亿元" and subj.key in _GDP_BASIS:
            # NBS publishes no level of 规上 value added: a level in 亿元 is GDP accounting (全部工业/制造业增加值)
            subj = by_key()[_GDP_BASIS[subj.key]]
            st.subject = (subj,)
        measure = level_measure(span, subj.key)
        code, label = period_code(measure, span, subj.key)
        out.append(_fact(subj, st, measure, code, span, label, value, unit_out, "", clause, a, b))
    # 同比持平 without a figure
    if not values and re.search(r"(?<!保)持平", work) and subjects and not re.search(r"\d", work):
        subj = subjects[-1]
        measure = growth_measure(st.span, subj.key)
        code, label = period_code(measure, st.span, subj.key)
        m = re.search(r"(?<!保)持平", work)
        out.append(_fact(subj, st, measure, code, st.span, label, 0.0, "%", "", clause, start + m.start(), start + m.end()))
    return out


def _diff_measure(span: Period, key: str) -> str:
    if is_rate(key) and span.kind == "year":
        return DIFF_PP
    if is_quarterly(key) and span.kind == "quarter":
        return DIFF_PP
    return YTD_DIFF_PP if span.start == 1 and span.end > 1 else DIFF_PP


def _growth_kind(ctx: str, work: str, pos: int, span: Period, key: str, mom_context: bool) -> str:
    cumulative = _cumulative(span, key)
    if "两年平均" in ctx:
        return YTD_TWO_YEAR_AVG if cumulative else TWO_YEAR_AVG
    if m := re.search(r"(?:比|较)((?:19|20)\d{2})年同期", ctx):
        return ("ytd_vs_" if cumulative else "vs_") + m.group(1)
    if "环比" in ctx or re.search(r"(?:比|较)(?:上月|上个月|\d{1,2}月份?)(?!同期)", ctx) or (mom_context and "同比" not in ctx):
        return "sa_mom" if is_quarterly(key) else "mom"
    return growth_measure(span, key)


def _diff_sign(ctx: str, last_growth: float | None) -> float:
    verbs = list(_DIFF_VERB.finditer(ctx))
    if not verbs:
        return 1.0 if re.search(r"高|快", ctx) else 0.0
    v = verbs[-1].group(0)
    if v == "收窄":
        return 1.0 if ("降幅" in ctx or (last_growth is not None and last_growth < 0)) and "增幅" not in ctx else -1.0
    if v == "扩大":
        return -1.0 if ("降幅" in ctx or (last_growth is not None and last_growth < 0)) else 1.0
    return -1.0 if v in _DIFF_NEG else 1.0


def _reference(ctx: str, work: str, pos: int, ref_spans: list[Period] | None, span: Period) -> str:
    if ref_spans:
        return ref_spans[0].code  # the span compared with: 2022Q1 (1-3月), 2019-06, 2018-01/09
    if re.search(r"上年同月|去年同月", ctx):
        return "上年同月"
    if re.search(r"同比|上年同期|去年同期|同期", ctx):
        return "上年同期"
    if re.search(r"上月|上个月", ctx):
        prev = span.previous_month() if span.start == span.end else span
        return prev.code
    if m := re.search(r"(?:比|较|高于|低于|快于|慢于)((?:19|20)\d{2})年(?!\d|同期)", ctx):
        return m.group(1)
    for w in ("全国", "全省", "全市", "全区", "整体工业", "规上工业", "全部规模以上工业"):
        if w in ctx or w in work[max(0, pos - 30): pos]:
            return w
    return ""

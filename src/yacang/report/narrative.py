"""Official-style Chinese sentences from numbers (通报口径的文字表述).

Pure functions: numbers and labels in, text out. Conventions of NBS releases and 工信 bulletins:

- one decimal, rounded half up (``6.45`` → ``6.5``); growth is 增长/下降 X%, prices 上涨/下降 X%;
- changes of a rate are in 个百分点 and computed on the rounded figures, so the text adds up for a
  reader: 增速 加快/回落, when both are negative 降幅 收窄/扩大, price 涨幅 扩大/回落;
- 1-2月 is one period: a March 当月 figure is compared with "1-2月份", later months with "上月";
- comparisons with the parent region are 高于/低于 X个百分点 or 持平; ranks 居全国第N位, 提升/下降 M位.

Every number printed comes from an argument; a test parses the text back and compares. Rounding and
sign words come from :mod:`yacang.formatting` (the one formatting module for every output).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from yacang import formatting as fmt
from yacang.periods import Period, month_period

# numbers and sign words: the one formatting module (re-exported under the names used here) ----------
round1 = fmt.rounded
fmt1 = fmt.fmt
fmt_amount = fmt.amount
diff1 = fmt.diff
growth = fmt.growth
pp_change = fmt.pp_change
level_change = fmt.level_change
compare_to = fmt.compare_to


def rank_phrase(rank: int, prev_rank: int | None, scope: str, ref: str) -> str:
    """``居全国第5位，比1-2月提升2位`` / ``下降1位`` / ``位次与1-2月持平``."""
    text = f"居{scope}第{rank}位"
    if prev_rank is None:
        return text
    if prev_rank == rank:
        return f"{text}，位次与{ref}持平"
    move = prev_rank - rank
    return f"{text}，比{ref}{'提升' if move > 0 else '下降'}{abs(move)}位"


def pmi_phrase(pmi: float, prev: float | None, ref: str = "上月") -> str:
    """``制造业采购经理指数（PMI）为49.5%，比上月下降0.7个百分点，低于临界点``."""
    text = f"制造业采购经理指数（PMI）为{fmt1(pmi)}%"
    if prev is not None:
        text += "，" + level_change(pmi, prev, ref)
    r = round1(pmi)
    text += "，高于临界点" if r > 50 else ("，低于临界点" if r < 50 else "，位于临界点")
    return text


def target_phrase(ytd: float, target: float, needed: float | None) -> str:
    """Target progress: ``低于年度目标（7.0%）0.5个百分点，后续月份需平均增长7.8%方能完成全年目标``."""
    text = compare_to(ytd, target, f"年度目标（{fmt1(target)}%）")
    if needed is not None and diff1(ytd, target) < 0:
        text += f"，后续月份需平均增长{fmt1(needed)}%方能完成全年目标"
    return text


def breadth_phrase(n_up: int, n_total: int, unit_word: str = "大类行业") -> str:
    """``41个大类行业中有35个行业增加值保持同比增长，增长面为85.4%``."""
    share = 100.0 * n_up / n_total if n_total else 0.0
    return f"{n_total}个{unit_word}中有{n_up}个行业增加值保持同比增长，增长面为{fmt1(share)}%"


def item_growths(items: Iterable[tuple[str, float]], *, price: bool = False) -> str:
    """``汽车制造业增长1.2%，纺织业下降0.3%`` (name then growth)."""
    return "，".join(f"{name}{growth(v, price=price)}" for name, v in items)


def two_year_phrase(avg: float) -> str:
    """``两年平均增长6.6%``."""
    return "两年平均" + growth(avg)


def sentence(*parts: str | None, sep: str = "，") -> str:
    """Join the non-empty parts with ``，`` and end with ``。``."""
    body = sep.join(p for p in parts if p)
    return body + "。" if body and not body.endswith("。") else body


def clauses(*parts: str | None) -> str:
    """Join clauses with ``；`` and end with ``。``."""
    return sentence(*parts, sep="；")


# how a region names itself in the text: 直辖市 全市, 自治区 全区, 自治州 全州 … (suffix order matters: 自治区 before 区)
SCOPE_SUFFIXES = (("自治区", "全区"), ("特别行政区", "全区"), ("自治州", "全州"), ("自治县", "全县"), ("自治旗", "全旗"),
                  ("地区", "全地区"), ("盟", "全盟"), ("旗", "全旗"), ("区", "全区"), ("县", "全县"), ("市", "全市"),
                  ("州", "全州"))
LEVEL_SCOPE = {"nation": "全国", "province": "全省", "prefecture": "全市", "county": "全县"}


def scope_word(level: str, name: str) -> str:
    """``全国``; ``全省`` (广东省), ``全市`` (北京市, 苏州市), ``全区`` (广西壮族自治区, 海淀区), ``全州``, ``全盟`` …"""
    if level == "nation":
        return "全国"
    return next((word for suffix, word in SCOPE_SUFFIXES if name.endswith(suffix)), LEVEL_SCOPE.get(level, "全县"))


# period labels ---------------------------------------------------------------------------------
def month_label(p: Period) -> str:
    """当月 label in text: ``3月份``; the merged period ``1-2月份``."""
    return f"{p.start}-{p.end}月份" if p.is_merged_jan_feb else f"{p.end}月份"


def ytd_label(p: Period) -> str:
    """累计 label: ``1-3月`` (``1-2月``; December ``1-12月``)."""
    return p.label_zh(cumulative=True, with_year=False)


def previous_month_period(p: Period) -> Period:
    """The 当月 period before ``p`` under NBS practice (March 2022 → 1-2月 2022; 1-2月 → December)."""
    if p.start <= 2 and p.end <= 2:
        return Period.month(p.year - 1, 12)
    prev = month_period(p.year, p.end - 1) if p.end > 1 else None
    return prev or Period.month(p.year - 1, 12)


def previous_ytd_period(p: Period) -> Period:
    """The previous 累计 end month: 1-3月 → February (1-2月); 1-2月 → last December (上年全年)."""
    if p.end <= 2:
        return Period.month(p.year - 1, 12)
    return Period.month(p.year, p.end - 1)


def previous_month_ref(p: Period) -> str:
    """How the text names the previous 当月: ``1-2月份`` before March, ``上月`` otherwise."""
    prev = previous_month_period(p)
    if prev.is_merged_jan_feb:
        return "1-2月份"
    if prev.year != p.year:
        return "上年12月份"
    return "上月"


def previous_ytd_ref(p: Period) -> str:
    prev = previous_ytd_period(p)
    return "上年全年" if prev.year != p.year else ytd_label(prev)


# composed sentences ------------------------------------------------------------------------------
def iva_headline(
    scope: str,
    period: Period,
    ytd: float | None,
    ytd_prev: float | None,
    month: float | None,
    month_prev: float | None,
    *,
    indicator: str = "规模以上工业增加值",
) -> str:
    """The lead sentence of a bulletin.

    ``1-3月，全国规模以上工业增加值同比增长6.5%，比1-2月回落1.0个百分点；3月份增长5.0%，比1-2月份
    回落2.5个百分点。`` In 1-2月 the cumulative and the 当月 figure are the same period, so only one
    is given.
    """
    parts: list[str] = []
    if ytd is not None:
        first = f"{ytd_label(period)}，{scope}{indicator}同比{growth(ytd)}"
        if ytd_prev is not None:
            first += "，" + pp_change(ytd, ytd_prev, previous_ytd_ref(period))
        parts.append(first)
    if month is not None and not (period.end <= 2 and ytd is not None):
        second = f"{month_label(period)}{growth(month)}" if ytd is not None else (
            f"{month_label(period)}，{scope}{indicator}同比{growth(month)}")
        if month_prev is not None:
            second += "，" + pp_change(month, month_prev, previous_month_ref(period))
        parts.append(second)
    return clauses(*parts)


def ranking_sentence(
    scope: str,
    period: Period,
    ytd: float,
    parent_ytd: float | None,
    parent_name: str,
    rank: int | None,
    prev_rank: int | None,
    rank_scope: str,
    *,
    indicator: str = "规模以上工业增加值",
) -> str:
    """``1-3月，全省规模以上工业增加值同比增长6.5%，高于全国0.2个百分点，居全国第5位，比1-2月提升2位。``"""
    ref = previous_ytd_ref(period)
    return sentence(
        f"{ytd_label(period)}，{scope}{indicator}同比{growth(ytd)}",
        compare_to(ytd, parent_ytd, parent_name) if parent_ytd is not None else None,
        rank_phrase(rank, prev_rank, rank_scope, ref) if rank is not None else None,
    )


def list_names(names: Sequence[str], limit: int | None = None) -> str:
    """``甲、乙、丙`` (with ``等N个`` when cut)."""
    if limit is not None and len(names) > limit:
        return "、".join(names[:limit]) + f"等{len(names)}个"
    return "、".join(names)

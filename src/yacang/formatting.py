"""The one place where numbers become printed figures (text, tables, CLI, alerts, XLSX, web).

Conventions of NBS releases and 工信 bulletins:

- figures are rounded **half up** (四舍五入) on their decimal representation to the published
  precision (one decimal by default): ``0.25 → 0.3``, ``2.25 → 2.3``, ``-0.05 → -0.1``; Python's
  ``f"{x:.1f}"`` rounds binary floats half-even-ish (``0.25 → 0.2``) and must not be used for output;
- a figure that rounds to zero prints ``0.0``, never ``-0.0``;
- the sign goes into words: 增长/下降 (prices 上涨/下降), 加快/回落 (or, both negative, 降幅收窄/扩大),
  拉动/下拉, 高于/低于, 上升/下降; a zero is 持平;
- differences of rates are in 百分点 and are computed on the rounded figures, so a reader who
  subtracts the printed numbers gets the printed difference;
- amounts in 亿元 or 万元, one decimal, no thousands separator in running text.

API for other areas (alerts, web, CLI) — every function takes a float (or None) and is pure:

========================  =====================================================================
``rounded(x, d=1)``        Decimal rounded half up (``None`` stays ``None``)
``rounded_float(x, d=1)``  the same as a float, for XLSX cells and JSON (numbers, not text)
``fmt(x, d=1)``            ``"6.5"``, ``"0.0"``, ``"—"`` for missing
``growth(x)``              ``"增长6.5%"`` / ``"下降1.2%"`` / ``"持平"``
``growth_parts(x)``        ``("增长", "6.5")`` — word and absolute figure, for message templates
``pp_change(c, p, ref)``   ``"比上月加快0.3个百分点"`` / ``"降幅比上月收窄0.3个百分点"``
``compare_to(x, r, n)``    ``"高于全国0.2个百分点"`` / ``"与全国持平"``
``pull(x, scope)``         ``"拉动全省增长1.2个百分点"`` / ``"下拉0.4个百分点"`` / ``None`` at 0.0
``amount(x, unit)``        ``"11575.6亿元"`` (``from_unit`` converts 万元/千元/元 first)
``date_zh(d)``             ``"2025年7月17日"`` — a day as officials write it (a date or a pandas Timestamp)
========================  =====================================================================
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

NO_DATA = "—"

# Amount units and their size in 元.
UNITS: dict[str, int] = {"元": 1, "千元": 1_000, "万元": 10_000, "亿元": 100_000_000}


def is_missing(x: Any) -> bool:
    """None, NaN (float or numpy) or pandas NA."""
    if x is None:
        return True
    try:
        return bool(math.isnan(x))
    except (TypeError, ValueError):
        return False


# numbers --------------------------------------------------------------------------------------
def rounded(x: float | None, digits: int = 1) -> Decimal | None:
    """Round half up on the shortest decimal representation (0.25 → 0.3, -0.04 → 0.0, never -0.0)."""
    if is_missing(x):
        return None
    xf = float(x)  # type: ignore[arg-type]
    if math.isinf(xf):
        raise ValueError(f"无法输出无穷大数值：{xf}")
    q = Decimal(1).scaleb(-digits)
    d = Decimal(repr(xf)).quantize(q, rounding=ROUND_HALF_UP)
    return abs(d) if d == 0 else d


def rounded_float(x: float | None, digits: int = 1) -> float | None:
    """The rounded figure as a float (XLSX cells, JSON): the number a reader sees, not the full float."""
    d = rounded(x, digits)
    return None if d is None else float(d)


def fmt(x: float | None, digits: int = 1, missing: str = NO_DATA) -> str:
    """``6.5``, ``-1.2``, ``0.0`` (never ``-0.0``); ``missing`` for None/NaN."""
    d = rounded(x, digits)
    return missing if d is None else str(d)


def fmt_thousands(x: float | None, digits: int = 1, missing: str = NO_DATA) -> str:
    """Table amounts with thousands separators: ``11,575.6``."""
    d = rounded(x, digits)
    return missing if d is None else f"{d:,.{digits}f}"


def diff(a: float, b: float, digits: int = 1) -> Decimal:
    """Difference of the rounded figures (what a reader computes from the printed numbers)."""
    ra, rb = rounded(a, digits), rounded(b, digits)
    if ra is None or rb is None:
        raise ValueError("缺少数值，无法计算差值")
    d = ra - rb
    return abs(d) if d == 0 else d


def convert(x: float, from_unit: str, to_unit: str) -> float:
    """Convert an amount between 元/千元/万元/亿元."""
    return float(x) * UNITS[from_unit] / UNITS[to_unit]


def date_zh(d: Any) -> str:
    """A day as officials write it: ``2025年7月17日`` (a ``datetime.date`` or a pandas ``Timestamp``)."""
    return f"{d.year}年{d.month}月{d.day}日"


def amount(x: float | None, unit: str = "亿元", *, from_unit: str | None = None, digits: int = 1) -> str:
    """``11575.6亿元`` (converted from ``from_unit`` when given); ``—`` for missing."""
    if is_missing(x):
        return NO_DATA
    v = convert(float(x), from_unit, unit) if from_unit else float(x)  # type: ignore[arg-type]
    return f"{fmt(v, digits)}{unit}"


def pp(x: float, digits: int = 1) -> str:
    """``1.2个百分点`` (absolute value; the sign belongs in the words around it)."""
    return f"{fmt(abs(float(x)), digits)}个百分点"


# sign words -------------------------------------------------------------------------------------
def sign(x: float | None, digits: int = 1) -> int:
    """-1, 0 or 1 of the *rounded* figure (what decides the printed word)."""
    d = rounded(x, digits)
    if d is None:
        raise ValueError("缺少数值")
    return (d > 0) - (d < 0)


def growth_parts(x: float, *, price: bool = False, digits: int = 1) -> tuple[str, str]:
    """Word and absolute figure: ``("增长", "6.5")``, ``("下降", "1.2")``, ``("持平", "0.0")``."""
    s = sign(x, digits)
    word = "持平" if s == 0 else (("上涨" if price else "增长") if s > 0 else "下降")
    return word, fmt(abs(float(x)), digits)


def growth(x: float, *, price: bool = False, digits: int = 1) -> str:
    """``增长6.5%`` / ``下降1.2%`` / ``持平``; prices ``上涨``."""
    word, figure = growth_parts(x, price=price, digits=digits)
    return word if word == "持平" else f"{word}{figure}%"


def pp_change(cur: float, prev: float, ref: str, *, price: bool = False) -> str:
    """Change of a growth rate against a reference period, in 个百分点.

    ``比1-2月回落1.0个百分点``; both negative: ``降幅比上月收窄0.3个百分点``; prices both positive:
    ``涨幅比上月回落0.5个百分点``; unchanged: ``增速与上月持平``.
    """
    d = diff(cur, prev)
    c, p = rounded(cur), rounded(prev)
    assert c is not None and p is not None
    if d == 0:
        return f"{'涨幅' if price and c > 0 else '增速'}与{ref}持平"
    up = d > 0
    if c < 0 and p < 0:
        return f"降幅比{ref}{'收窄' if up else '扩大'}{pp(d)}"
    if price and c > 0 and p > 0:
        return f"涨幅比{ref}{'扩大' if up else '回落'}{pp(d)}"
    return f"比{ref}{'加快' if up else '回落'}{pp(d)}"


def level_change(cur: float, prev: float, ref: str, unit: str = "个百分点") -> str:
    """Change of a level (PMI, 利润率, 比重): ``比上月下降0.7个百分点`` / ``上升`` / ``与上月持平``."""
    d = diff(cur, prev)
    if d == 0:
        return f"与{ref}持平"
    return f"比{ref}{'上升' if d > 0 else '下降'}{fmt(abs(d))}{unit}"


def compare_to(x: float, ref: float, ref_name: str) -> str:
    """``高于全国0.2个百分点`` / ``低于全国1.1个百分点`` / ``与全国持平``."""
    d = diff(x, ref)
    if d == 0:
        return f"与{ref_name}持平"
    return f"{'高于' if d > 0 else '低于'}{ref_name}{pp(d)}"


def pull(x: float, scope: str = "") -> str | None:
    """``拉动全省增长1.2个百分点`` / ``下拉0.4个百分点``; ``None`` when it rounds to 0.0 (say nothing)."""
    s = sign(x)
    if s == 0:
        return None
    if s > 0:
        return f"拉动{scope}增长{pp(x)}" if scope else f"拉动{pp(x)}"
    return f"下拉{scope}{pp(x)}" if scope else f"下拉{pp(x)}"


def change_word(cur: float, prev: float) -> str:
    """One word for a rate's move: 加快 / 回落 / 持平 (both negative: 收窄 / 扩大)."""
    d = diff(cur, prev)
    if d == 0:
        return "持平"
    c, p = rounded(cur), rounded(prev)
    assert c is not None and p is not None
    if c < 0 and p < 0:
        return "收窄" if d > 0 else "扩大"
    return "加快" if d > 0 else "回落"


def signed(x: float | None, digits: int = 1) -> str:
    """A figure with an explicit sign for compact tables/CLI (``+1.2``, ``-0.4``, ``0.0``)."""
    d = rounded(x, digits)
    if d is None:
        return NO_DATA
    return f"+{d}" if d > 0 else str(d)


BEIJING = "Asia/Shanghai"


def beijing_time(t: Any, *, seconds: bool = True, naive: str = "utc") -> str:
    """A timestamp as officials read it: Beijing time. The application database stores UTC; the warehouse
    stamps the server's local clock (its vintages are compared with dates officials give): a naive time is
    taken as UTC, or with ``naive="local"`` as the server's local time."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    if t is None or is_missing(t):
        return NO_DATA
    if isinstance(t, str):
        t = dt.datetime.fromisoformat(t)
    if hasattr(t, "to_pydatetime"):
        t = t.to_pydatetime()
    if t.tzinfo is None and naive == "utc":
        t = t.replace(tzinfo=dt.UTC)
    return t.astimezone(ZoneInfo(BEIJING)).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")

"""Explicit statistical periods: months, the merged 1-2月, quarters, half-years, years and days.

NBS has not released a February 当月 figure since 2013: January and February are surveyed and
published together. A period is therefore a span of months within one year (``2022-01/02`` is the
merged 1-2月), or a single day for high-frequency data. Cumulative (累计, 年初至今) figures are not a
separate kind of period: a 累计 series is stored at its end month and labelled ``1-3月`` for display.

Canonical codes (what the warehouse stores)::

    2022-03      March 2022                         当月 3月
    2022-01/02   January-February 2022, merged      1-2月
    2022Q1       first quarter                      一季度
    2022H1       first half                         上半年
    2022         the year                           全年
    2022-03-15   a day (daily, weekly, 10-day data) 2022年3月15日
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

JAN_FEB_MERGED_SINCE = 2013


def jan_feb_merged(year: int) -> bool:
    """Whether NBS publishes January and February of ``year`` only as one merged 1-2月 (from 2013)."""
    return year >= JAN_FEB_MERGED_SINCE

_QUARTER_ZH = {1: "一季度", 2: "二季度", 3: "三季度", 4: "四季度"}
# How each kind of period (Period.kind, days apart) is written: its code, and its Chinese label after the year.
_CODE: dict[str, Callable[[Period], str]] = {
    "month": lambda p: f"{p.year}-{p.end:02d}", "jan_feb": lambda p: f"{p.year}-01/02",
    "quarter": lambda p: f"{p.year}Q{p.end // 3}", "half": lambda p: f"{p.year}H{p.end // 6}",
    "year": lambda p: f"{p.year}", "span": lambda p: f"{p.year}-{p.start:02d}/{p.end:02d}"}
_LABEL_ZH: dict[str, Callable[[Period], str]] = {
    "month": lambda p: f"{p.end}月", "jan_feb": lambda p: f"{p.start}-{p.end}月",
    "quarter": lambda p: _QUARTER_ZH[p.end // 3], "half": lambda p: f"{'上' if p.end == 6 else '下'}半年",
    "span": lambda p: f"{p.start}-{p.end}月"}


class PeriodError(ValueError):
    """A period label that cannot be understood."""


@dataclass(frozen=True, order=False)
class Period:
    """A span of months ``start..end`` in ``year``, or a single ``day``."""

    year: int
    start: int
    end: int
    day: dt.date | None = None

    KINDS: ClassVar[tuple[str, ...]] = ("day", "month", "jan_feb", "quarter", "half", "year", "span")

    def __post_init__(self) -> None:
        if not (1 <= self.start <= self.end <= 12):
            if self.start == self.end:
                raise PeriodError(f"月份无效：{self.start}（月份应在 1 至 12 之间）")
            raise PeriodError(f"月份无效：{self.start}—{self.end}（月份应在 1 至 12 之间，且起始月不晚于截止月）")
        if not (1900 <= self.year <= 2200):
            raise PeriodError(f"年份无效：{self.year}")

    # constructors -------------------------------------------------------------------------
    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(year, month, month)

    @classmethod
    def jan_feb(cls, year: int) -> Period:
        return cls(year, 1, 2)

    @classmethod
    def quarter(cls, year: int, q: int) -> Period:
        if q not in (1, 2, 3, 4):
            raise PeriodError(f"季度无效：{q}（应为 1 至 4）")
        return cls(year, 3 * q - 2, 3 * q)

    @classmethod
    def half(cls, year: int, h: int) -> Period:
        if h not in (1, 2):
            raise PeriodError(f"半年无效：{h}（应为 1 或 2）")
        return cls(year, 6 * h - 5, 6 * h)

    @classmethod
    def whole_year(cls, year: int) -> Period:
        return cls(year, 1, 12)

    @classmethod
    def of_day(cls, day: dt.date) -> Period:
        return cls(day.year, day.month, day.month, day)

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse a canonical code or a Chinese label (``2022年3月``, ``2022年1-2月``, ``2022年第一季度``)."""
        return parse_period(text)

    # properties -----------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        if self.day is not None:
            return "day"
        if self.start == self.end:
            return "month"
        if (self.start, self.end) == (1, 2):
            return "jan_feb"
        if self.end - self.start == 2 and self.start % 3 == 1:
            return "quarter"
        if (self.start, self.end) in ((1, 6), (7, 12)):
            return "half"
        if (self.start, self.end) == (1, 12):
            return "year"
        return "span"

    @property
    def code(self) -> str:
        if self.day is not None:
            return self.day.isoformat()
        return _CODE[self.kind](self)

    @property
    def end_date(self) -> dt.date:
        """Last day covered; the natural sort and plotting key."""
        if self.day is not None:
            return self.day
        if self.end == 12:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, self.end + 1, 1) - dt.timedelta(days=1)

    @property
    def months(self) -> int:
        return self.end - self.start + 1

    @property
    def is_merged_jan_feb(self) -> bool:
        return self.kind == "jan_feb"

    def in_merged_jan_feb(self) -> bool:
        """A single January or February of a year NBS publishes only as 1-2月 (no figure of its own)."""
        return self.kind == "month" and self.end in (1, 2) and jan_feb_merged(self.year)

    def sort_key(self) -> tuple[dt.date, int]:
        return (self.end_date, -self.months)

    def __lt__(self, other: Period) -> bool:
        return self.sort_key() < other.sort_key()

    def __str__(self) -> str:
        return self.code

    # labels -------------------------------------------------------------------------------
    def label_zh(self, *, cumulative: bool = False, with_year: bool = True) -> str:
        """Chinese label as officials write it: ``2022年3月``, ``2022年1-3月``, ``2022年一季度``."""
        y = f"{self.year}年" if with_year else ""
        if self.day is not None:
            return f"{y}{self.day.month}月{self.day.day}日"
        if cumulative:
            return f"{y}{self.end}月" if self.end == 1 else f"{y}1-{self.end}月"
        if self.kind == "year":
            return f"{self.year}年" if with_year else "全年"
        return y + _LABEL_ZH[self.kind](self)

    # arithmetic -------------------------------------------------------------------------------
    def shift_years(self, n: int) -> Period:
        if self.day is not None:
            try:
                return Period.of_day(self.day.replace(year=self.day.year + n))
            except ValueError:  # 29 February
                return Period.of_day(self.day.replace(year=self.day.year + n, day=28))
        return Period(self.year + n, self.start, self.end)

    def previous_month(self) -> Period:
        """The month before the start (for spans: before the first month)."""
        if self.start == 1:
            return Period.month(self.year - 1, 12)
        return Period.month(self.year, self.start - 1)


def month_period(year: int, month: int, *, merge_jan_feb: bool = True) -> Period | None:
    """The 当月 period for ``year-month`` under NBS practice.

    From 2013 January has no 当月 figure of its own and February is the merged 1-2月; returns
    ``None`` for January then, and the merged period for February.
    """
    if merge_jan_feb and jan_feb_merged(year) and month in (1, 2):
        return Period.jan_feb(year) if month == 2 else None
    return Period.month(year, month)


_ZH_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), "day"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "month"),
    (re.compile(r"^(\d{4})-(\d{2})/(\d{2})$"), "span"),
    (re.compile(r"^(\d{4})Q([1-4])$", re.I), "quarter"),
    (re.compile(r"^(\d{4})H([12])$", re.I), "half"),
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"), "day"),
    (re.compile(r"^(\d{4})年(\d{1,2})月$"), "month"),
    (re.compile(r"^(\d{4})年(\d{1,2})[-—～~至](\d{1,2})月(?:份)?$"), "span"),
    (re.compile(r"^(\d{4})年第?([一二三四1-4])季度$"), "quarter"),
    (re.compile(r"^(\d{4})年([上下])半年$"), "half_zh"),
    (re.compile(r"^(\d{4})年(?:全年)?$"), "year"),
    (re.compile(r"^(\d{4})(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"), "day"),
]


def parse_period(text: str) -> Period:
    """Parse a period code or Chinese label; raises :class:`PeriodError` naming the label."""
    s = str(text).strip().replace(" ", "").replace("\u3000", "")
    for pattern, kind in _PATTERNS:
        m = pattern.match(s)
        if not m:
            continue
        g = m.groups()
        year = int(g[0])
        try:
            if kind == "day":
                return Period.of_day(dt.date(year, int(g[1]), int(g[2])))
            if kind == "month":
                return Period.month(year, int(g[1]))
            if kind == "span":
                return Period(year, int(g[1]), int(g[2]))
            if kind == "quarter":
                return Period.quarter(year, _ZH_NUM[g[1]])
            if kind == "half":
                return Period.half(year, int(g[1]))
            if kind == "half_zh":
                return Period.half(year, 1 if g[1] == "上" else 2)
            return Period.whole_year(year)
        except (ValueError, KeyError) as exc:
            raise PeriodError(f"无法识别的时期“{text}”（{exc}）") from exc
    raise PeriodError(f"无法识别的时期“{text}”（应为 2022年3月、2022年1-2月、2022年第一季度 或 2022-03 等）")


def period_label(code: object) -> str:
    """A stored period code as officials write it (``2022-03`` → 2022年3月, ``2026-01/02`` → 2026年1-2月);
    blank when there is no code (a missing value in a table)."""
    return parse_period(code).label_zh() if isinstance(code, str) and code else ""


def reporting_period(p: Period) -> tuple[Period, str | None]:
    """``p`` as NBS reports it, with a note when it changed: since 2013 January and February are one
    period (1-2月), so 2022-01 and 2022-02 both mean 2022年1-2月; other periods are returned as they are."""
    if p.in_merged_jan_feb():
        merged = Period.jan_feb(p.year)
        return merged, (f"国家统计局自{JAN_FEB_MERGED_SINCE}年起1-2月合并调查、发布，没有单独的{p.end}月数据："
                        f"{p.code} 按 {merged.label_zh()} 处理")
    return p, None


def previous_reporting_period(today: dt.date) -> Period:
    """The month whose reports are due around ``today`` (the month before), NBS calendar applied."""
    first = today.replace(day=1) - dt.timedelta(days=1)
    return reporting_period(Period.month(first.year, first.month))[0]


def month_range(first: Period, last: Period) -> list[Period]:
    """All single months from ``first`` to ``last`` inclusive."""
    out: list[Period] = []
    y, m = first.year, first.end
    while (y, m) <= (last.year, last.end):
        out.append(Period.month(y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out

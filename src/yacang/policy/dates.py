"""The date of a document, found the way a reader finds it, with the reason it was chosen.

In order of trust:

1. metadata: front matter ``date:`` (ISO or RFC 2822 ``Fri, 16 Jul 2021 03:38:15 GMT``), HTML meta;
2. a date line of the page: 发布时间/发布日期/发表日期/时间/日期/最后更新/更新时间 …;
3. a date standing alone in brackets or on its own line: "（2023年6月15日）", "2023年3月17日",
   "二○○五年一月十四日";
4. the source address: ``/2022/08/16/``, ``/20220117/``, ``202503/t20250328``, ``2023/0516``;
5. a month and day without a year ("3月18日，在国务院新闻办…", "中新社北京3月15日电"): the year is the
   first after the latest period the text speaks of;
6. the release calendar: a text that only names the month it reports ("2022年8月份规模以上工业生产
   主要数据", "2019年7月份，规模以上工业增加值…") was published mid next month (NBS publishes the
   工业生产 release of month M around the 15th of M+1, a quarter's around the 17th of the month after).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass

_ZH_DIGIT = {"○": 0, "〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9}


@dataclass(frozen=True)
class DocDate:
    date: dt.date
    how: str  # Chinese: where the date came from

    def __str__(self) -> str:
        return f"{self.date.isoformat()}（{self.how}）"


def _mk(y: int, m: int, d: int) -> dt.date | None:
    try:
        day = dt.date(y, m, d)
    except ValueError:
        return None
    return day if 1990 <= y <= 2100 else None


_YMD = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"


def parse_date_value(value: str) -> dt.date | None:
    """A date written as ISO, 2022年3月9日, 2022/3/9 or RFC 2822."""
    s = str(value).strip()
    if m := re.search(_YMD, s):
        return _mk(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    try:
        parsed = email.utils.parsedate_to_datetime(s)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.date() if parsed else None


_LINE_LABELS = r"(?:发布时间|发布日期|发表日期|发表时间|时间|日期|最后更新|更新时间|发文日期|成文日期|印发日期)"
_LINE_DATE = re.compile(rf"{_LINE_LABELS}\s*[：:]\s*{_YMD}")
_BRACKET_DATE = re.compile(rf"^[（(]\s*{_YMD}\s*[）)]$")
_ALONE_DATE = re.compile(rf"^{_YMD}(?:\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?(?:\s+\S{{1,12}})?$")
_ISO_IN_LINE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_ZH_DATE = re.compile(r"([○〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日")
_URL_DATES = (
    re.compile(r"/(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:/|$)"),
    re.compile(r"(?:/|\b[a-z]?|-|_)((?:19|20)\d{2})(\d{2})(\d{2})(?:[/_\-.]|\d{0,12}\b)"),
    re.compile(r"/(\d{4})[/-]?(\d{2})(\d{2})/"),
    re.compile(r"/(\d{4})(\d{2})/(\d{2})/"),
)
_URL_STAMP = re.compile(r"(?<!\d)(\d{2})(\d{2})((?:19|20)\d{2})([0-2]\d[0-5]\d[0-5]\d)(?!\d)")  # MMDDYYYYhhmmss
_URL_YEAR = re.compile(r"/((?:19|20)\d{2})/")
_MONTH_DAY = re.compile(r"(?<![\d年月])(\d{1,2})月(\d{1,2})日(?!\d)")


def _zh_int(s: str) -> int:
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_ZH_DIGIT[tens] if tens else 1) * 10 + (_ZH_DIGIT[ones] if ones else 0)
    return int("".join(str(_ZH_DIGIT[c]) for c in s))


def date_from_url(url: str | None) -> dt.date | None:
    if not url:
        return None
    for rx in _URL_DATES:
        for m in rx.finditer(url):
            if d := _mk(int(m.group(1)), int(m.group(2)), int(m.group(3))):
                return d
    for m in _URL_STAMP.finditer(url):
        if d := _mk(int(m.group(3)), int(m.group(1)), int(m.group(2))):
            return d
    return None


def find_date(text: str, meta: dict[str, str] | None = None, url: str | None = None,
              latest_period_end: dt.date | None = None) -> DocDate | None:
    """The document date and why; ``latest_period_end`` is the end of the latest period the text
    names with a year (for the release calendar and for dates written without a year)."""
    meta = meta or {}
    for key in ("date", "published", "pubdate", "发布时间", "发布日期"):
        if meta.get(key) and (d := parse_date_value(meta[key])):
            return DocDate(d, f"元数据 {key}: {meta[key]}")
    lines = [ln.strip() for ln in text.split("\n")]
    head = lines[:40]
    for ln in head:
        if (m := _LINE_DATE.search(ln)) and (d := _mk(int(m.group(1)), int(m.group(2)), int(m.group(3)))):
            return DocDate(d, f"页面日期行“{m.group(0)}”")
    for ln in lines:
        m = _BRACKET_DATE.match(ln) or _ALONE_DATE.match(ln)
        if m and (d := _mk(int(m.group(1)), int(m.group(2)), int(m.group(3)))):
            return DocDate(d, f"正文中单独成行的日期“{ln}”")
        if len(ln) <= 14 and (m := _ZH_DATE.search(ln)):
            try:
                d = _mk(_zh_int(m.group(1)), _zh_int(m.group(2)), _zh_int(m.group(3)))
            except KeyError:
                d = None
            if d:
                return DocDate(d, f"落款日期“{m.group(0)}”")
    for ln in head[:12]:
        m = _ISO_IN_LINE.search(ln) if len(ln) <= 80 else None
        if m and (d := _mk(int(m.group(1)), int(m.group(2)), int(m.group(3)))):
            return DocDate(d, f"页首信息行中的日期“{m.group(0)}”")
    if d := date_from_url(url):
        return DocDate(d, f"来源网址中的日期（{url}）")
    body = "\n".join(head)
    url_year = _URL_YEAR.search(url or "")
    m = _MONTH_DAY.search(body[:300])
    if m and latest_period_end is None and url_year and (d := _mk(int(url_year.group(1)), int(m.group(1)), int(m.group(2)))):
        return DocDate(d, f"正文“{m.group(0)}”未写年份，年份取自来源网址（{url}）")
    if (m := _MONTH_DAY.search(body[:300])) and latest_period_end is not None:
        month, day = int(m.group(1)), int(m.group(2))
        year = latest_period_end.year
        d = _mk(year, month, day)
        if d is not None and d <= latest_period_end:
            d = _mk(year + 1, month, day)
        if d is not None:
            return DocDate(d, f"正文“{m.group(0)}”未写年份，取所述最近时期（止于{latest_period_end:%Y年%m月}）之后的那一年")
    if latest_period_end is not None:
        return DocDate(release_date(latest_period_end),
                       f"正文未写发布日期，按发布日历推断：所述最近时期止于{latest_period_end:%Y年%m月}，次月中旬发布")
    return None


def release_date(period_end: dt.date) -> dt.date:
    """When NBS publishes the release about a period ending on ``period_end``: the 15th of the next
    month for a month, the 17th for a quarter's end month (3, 6, 9, 12)."""
    y, m = (period_end.year + 1, 1) if period_end.month == 12 else (period_end.year, period_end.month + 1)
    return dt.date(y, m, 17 if period_end.month % 3 == 0 else 15)


_Q_END = {"一": 3, "二": 6, "三": 9, "四": 12}
_EXPLICIT = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*年?\s*(?:"
    r"(?:1|一)?\s*[-—–―~～至]\s*(?P<m2>\d{1,2})\s*月(?!\d{1,2}日)"
    r"|(?P<m>\d{1,2})\s*月(?!\d{1,2}\s*日)"
    r"|第?(?P<q>[一二三四])季度|(?P<h>[上下])半年|(?P<q3>前三季度)|(?P<full>全年)"
    r"|(?=[，,。经国规我全中]))"
)


def latest_period_end(text: str) -> dt.date | None:
    """End of the latest period the text names with an explicit year ("2022年8月份", "2023年上半年",
    "2021年，…"), or None. Used for dates written without a year and for the release calendar."""
    best: dt.date | None = None
    for m in _EXPLICIT.finditer(text):
        if re.search(r"[到至争保划计预标为]|实现", text[max(0, m.start() - 3): m.start()]):
            continue  # a target ("到2025年", "确保2022年四季度…", "为2023年实现…"), not a period reported on
        y = int(m.group("y"))
        if m.group("m2") or m.group("m"):
            month = int(m.group("m2") or m.group("m"))
        elif m.group("q"):
            month = _Q_END[m.group("q")]
        elif m.group("h"):
            month = 6 if m.group("h") == "上" else 12
        elif m.group("q3"):
            month = 9
        else:
            month = 12
        if not 1 <= month <= 12:
            continue
        nxt = dt.date(y + 1, 1, 1) if month == 12 else dt.date(y, month + 1, 1)
        end = nxt - dt.timedelta(days=1)
        if best is None or end > best:
            best = end
    return best

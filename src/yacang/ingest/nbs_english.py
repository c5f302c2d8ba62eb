"""NBS's English data portal (data.stats.gov.cn/english) exports, read as the Chinese portal's layout.

Layout (the 指标-fixed layout of :mod:`yacang.ingest.nbs`, in English)::

    Database：Annual by Province
    Indicators：Gross Regional Product(100 million yuan)
    Year：LATEST20
    Region,2023,2022,…
    Beijing,43760.7,41540.9,…
    Data Sources：National Bureau of Statistics

:func:`as_chinese` rewrites the English words (header keys, the indicator and its unit, province names)
so that one parser reads both portals. A word it does not know is left as it is: an unknown region
stays a located error, an unknown indicator a raw series under its English name. The portal writes the
first line's full-width colon as UTF-8 bytes that Excel readers take for Latin-1 (``Databaseï¼\\x9a``);
that is repaired.
"""

from __future__ import annotations

import re

from yacang.catalog.regions import province_of_english

KEYS = {"database": "数据库", "indicators": "指标", "indicator": "指标", "year": "时间", "time": "时间",
        "region": "地区", "data sources": "数据来源", "note": "注"}
INDICATORS = {"gross regional product": "地区生产总值", "gross domestic product": "国内生产总值"}
UNITS = {"100 million yuan": "亿元", "10000 persons": "万人", "%": "%"}
_KEY = re.compile(r"^([A-Za-z ]+?)\s*[：:]\s*(.*)$")
_NAME_UNIT = re.compile(r"^(.*?)\s*\(([^()]*)\)$")

Rows = list[tuple[int, list[str]]]


def repair(text: str) -> str:
    """Text whose UTF-8 bytes were read as Latin-1 (``ï¼\\x9a`` for ``：``) decoded again; else unchanged."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def is_english_export(first_cell: str) -> bool:
    """Whether a file's first cell is the English portal's ``Database：…`` line."""
    m = _KEY.match(repair(first_cell.strip()))
    return bool(m) and m.group(1).casefold() == "database"


def indicator_zh(text: str) -> str:
    """``Gross Regional Product(100 million yuan)`` → ``地区生产总值(亿元)``; an unknown name unchanged."""
    m = _NAME_UNIT.match(text.strip())
    name, unit = (m.group(1), m.group(2)) if m else (text.strip(), "")
    if name.casefold() not in INDICATORS:
        return text
    zh = INDICATORS[name.casefold()]
    return f"{zh}({UNITS.get(unit.casefold(), unit)})" if unit else zh


def as_chinese(rows: Rows) -> Rows:
    """The rows of an English export with the first cell of each line in the Chinese portal's words."""
    out: Rows = []
    header_seen = False
    for line_no, cells in rows:
        first = repair(cells[0].strip()) if cells else ""
        out.append((line_no, [_first_cell(first, header_seen), *cells[1:]] if cells else cells))
        header_seen = header_seen or first.casefold() == "region"
    return out


def _first_cell(first: str, header_seen: bool) -> str:
    if (m := _KEY.match(first)) and (key := KEYS.get(m.group(1).casefold())):
        return f"{key}：{indicator_zh(m.group(2)) if key == '指标' else m.group(2)}"
    if first.casefold() == "region" and not header_seen:
        return "地区"
    if header_seen and (province := province_of_english(first)):
        return province.name
    return first

"""Map vendor indicator names (Wind, iFinD) to catalog indicator × measure × industry × category.

Wind writes ``中国:工业增加值:规模以上工业企业:汽车制造业:累计同比`` — country, indicator, scope, sector,
measure, with ``(1-2月合并)`` / ``(1-2月拆分)`` after the measure. The mapper is a pure function of the
name, so a workbook column and the same name in a tidy CSV's catalog get the same series id.

Rules:
- the measure is the last part (当月同比 → yoy, 累计值 → ytd_value …; ``季调:环比`` → sa_mom); a name
  without a measure word (``中国:资产合计:规模以上工业企业``, ``中国:制造业PMI``) is a ``level``;
- the indicator is the first part that is a catalog alias (工业增加值, PPI, 出口交货值, 利润总额 …);
- the sector is what remains after dropping the scope ``规模以上工业企业``: empty or 全部工业品 → TOTAL;
  a 门类/大类 name (Wind's older variants such as 化学原料及化学制品制造业 included) → its code;
  高技术产业 → HT, 装备制造业 → EQ; ownership types (…企业) → category under TOTAL;
  消费品制造业 / 电子信息制造业 → category under C; anything else (PPI 中类, 生产资料:采掘工业,
  PMI 分项 新订单 …) → category under TOTAL;
- ``(1-2月拆分)`` is Wind's own split of January/February: variant ``split``;
- a leading province (``北京:工业增加值:可比价:规模以上工业企业:当月同比``) is the series' region;
  ``可比价`` is a scope word (growth of 增加值 is always at comparable prices).
A name without a known indicator or measure is not mapped (the loader keeps it as a raw series).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from yacang.catalog.indicators import INDICATORS, indicator_by_alias
from yacang.catalog.industries import TOTAL, IndustryCatalog, IndustryError, divisions
from yacang.catalog.regions import NATION
from yacang.catalog.series_ids import raw_series_id, series_id

MEASURE_WORDS = {
    "当月同比": "yoy", "同比": "yoy", "累计同比": "ytd_yoy", "当月值": "value", "累计值": "ytd_value",
    "环比": "mom", "当季同比": "qtr_yoy", "定基指数": "index", "上年同期累计值": "prev_ytd_value",
    "上年同期": "prev_value", "季调环比": "sa_mom",
}
SCOPE_WORDS = frozenset({"规模以上工业企业", "规上工业", "规模以上工业", "可比价"})
EXTRA_ALIASES = {"制造业PMI": "pmi", "PMI": "pmi", "工业增加值": "iva"}
SPECIAL_SECTORS = {
    "全部工业品": TOTAL, "全部工业": TOTAL, "高技术产业": "HT", "高技术制造业": "HT", "装备制造业": "EQ",
    "采矿业": "B", "制造业": "C", "电力、燃气及水的生产和供应业": "D", "电力、热力、燃气及水生产和供应业": "D",
    "电力、热力、燃气及水的生产和供应业": "D", "开采辅助活动": "11",
}
# Pre-2019 names NBS replaced; kept as a variant so both can sit in one file without clashing.
OLD_NAMES = {"主营业务收入": "main_business", "主营业务成本": "main_business"}
MANUFACTURING_CATEGORIES = frozenset({"消费品制造业", "电子信息制造业"})
# Indicators surveyed and released with January and February merged since 2013 (not prices, not PMI).
JAN_FEB_MERGED = frozenset(INDICATORS) - {"ppi", "ppirm", "pmi", "gdp", "manufacturing_share"}
_SUFFIX = re.compile(r"\((1-2月合并|1-2月拆分)\)$")


@dataclass(frozen=True)
class Mapping:
    """What a vendor name means in catalog terms."""

    indicator: str
    measure: str
    region: str = NATION
    industry: str = TOTAL
    category: str = ""
    variant: str = ""
    jan_feb: str = ""  # 1-2月合并 / 1-2月拆分 / ''

    def series_id(self, source: str) -> str:
        return series_id(source, self.indicator, self.measure, self.region, self.industry, self.category,
                         self.variant)


def map_name(name: str) -> Mapping | None:
    """Map a Wind/iFinD indicator name, or ``None`` if it is not a catalog concept."""
    text = str(name).strip().replace("：", ":")
    suffix = _SUFFIX.search(text)
    jan_feb = suffix.group(1) if suffix else ""
    parts = [p for p in _SUFFIX.sub("", text).split(":") if p]
    region = NATION
    if parts and parts[0] == "中国":
        parts = parts[1:]
    elif parts and (code := _province_code(parts[0])):
        region, parts = code, parts[1:]
    measure = _take_measure(parts)
    indicator = _take_indicator(parts)
    if measure is None or indicator is None:
        return None
    sector = ":".join(p for p in parts if p not in SCOPE_WORDS)
    if measure == "level" and sector and indicator != "pmi":
        return None  # e.g. 中国:PPI:Wind季调 — an unknown measure, not a sector
    industry, category = _sector(sector)
    variant = "split" if jan_feb == "1-2月拆分" else OLD_NAMES.get(_indicator_word(text), "")
    return Mapping(indicator, measure, region, industry, category, variant=variant, jan_feb=jan_feb)


def series_id_for(name: str, source: str, occurrence: int = 1) -> tuple[str, Mapping | None]:
    """Series id for a vendor name: the catalog id when mapped, else ``{source}:raw.<hash>``.

    ``occurrence`` > 1 is the n-th column of one file with this exact name (Wind exports sometimes
    repeat a name with different values); it becomes the variant ``dup<n>`` so nothing is lost.
    """
    m = map_name(name)
    if m and occurrence > 1:
        m = replace(m, variant=f"{m.variant}dup{occurrence}")
    sid = m.series_id(source) if m else raw_series_id(source, str(name).strip())
    if m is None and occurrence > 1:
        sid = f"{sid}~dup{occurrence}"
    return sid, m


def _province_code(word: str) -> str | None:
    """The province a name starts with (北京, 内蒙古自治区 …): Wind's province series ``北京:工业增加值:…``."""
    from yacang.catalog.regions import RegionError

    try:
        region = _provinces().resolve(word, level="province")
    except RegionError:
        return None
    return region.code


def _indicator_word(text: str) -> str:
    return next((p for p in text.split(":") if p in OLD_NAMES), "")


def _take_measure(parts: list[str]) -> str | None:
    """Pop the measure word off ``parts`` (``level`` when the name has none)."""
    if not parts:
        return None
    code = MEASURE_WORDS.get(parts[-1])
    if code is None:
        return "level"
    parts.pop()
    if code == "mom" and parts and parts[-1] == "季调":
        parts.pop()
        return "sa_mom"
    return code


def _take_indicator(parts: list[str]) -> str | None:
    for i, p in enumerate(parts):
        code = EXTRA_ALIASES.get(p) or getattr(indicator_by_alias(p), "code", None)
        if code:
            del parts[i]
            return code
    return None


def _sector(text: str) -> tuple[str, str]:
    """``(industry, category)`` for the sector part of a name."""
    if not text:
        return TOTAL, ""
    if text in SPECIAL_SECTORS:
        return SPECIAL_SECTORS[text], ""
    if text in MANUFACTURING_CATEGORIES:
        return "C", text
    code = industry_code(text)
    if code:
        return code, ""
    return TOTAL, text


def industry_code(name: str) -> str | None:
    """Division or section code of an industry name as NBS or Wind spell it, else ``None``."""
    if name in SPECIAL_SECTORS:
        return SPECIAL_SECTORS[name]
    try:
        return _catalog().find(name).code
    except IndustryError:
        return _loose_divisions().get(_loose(name))


@cache
def _provinces():
    from yacang.catalog.regions import RegionCatalog

    return RegionCatalog()


@cache
def _catalog() -> IndustryCatalog:
    return IndustryCatalog()


@cache
def _loose_divisions() -> dict[str, str]:
    return {_loose(d.name): d.code for d in divisions()}


def _loose(name: str) -> str:
    """Drop the characters Wind and NBS spell differently (及/和, 的, 、, 业)."""
    return re.sub(r"[及和的、，,\s业]", "", name)

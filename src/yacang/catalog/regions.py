"""Regions by GB/T 2260 code: the 34 province-level units built in, deeper levels imported.

The package carries the 34 provinces with NBS's 东部/中部/西部/东北 grouping as its own table (a
public fact). Prefectures and counties change every year and are imported from a 民政部 code list
with ``yacang catalog import-regions``; they are kept under ``YACANG_HOME/catalog``.

This module is the one place that turns what a person or a file writes into a region:

- :func:`resolve_region` / :meth:`RegionCatalog.resolve`: a code or a name at any level, full or short
  form (内蒙古/内蒙古自治区, 深圳/深圳市, 南山/南山区); an unknown code says "代码不存在", an unknown or
  ambiguous name raises :class:`RegionError` naming the candidates (``within=`` or ``level=`` narrows);
- code arithmetic without a catalog: :func:`level_of`, :func:`parent_code`, :func:`province_code`,
  :func:`is_descendant`.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

NATION = "100000"
NATION_NAME = "全国"


class RegionError(LookupError):
    """An unknown or malformed region code, or an unknown or ambiguous name (``candidates`` lists them)."""

    def __init__(self, message: str, candidates: tuple[Region, ...] = ()) -> None:
        super().__init__(message)
        self.candidates = candidates


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    short_name: str
    level: str  # nation / province / prefecture / county
    parent: str | None
    nbs_region: str | None = None


def level_of(code: str) -> str:
    """Level implied by a 6-digit code's pattern (xx0000 province, xxxx00 prefecture, else county)."""
    if not (len(code) == 6 and code.isdigit()):
        raise RegionError(f"行政区划代码应为6位数字：{code!r}")
    if code == NATION:
        return "nation"
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "county"


def parent_code(code: str) -> str | None:
    """The parent by code pattern alone: county → xxxx00, prefecture → xx0000, province → 100000.

    A county of a 直辖市 has no prefecture code in recent lists; :meth:`RegionCatalog.get` knows the
    real parent of an imported code, this function only the arithmetic one.
    """
    level = level_of(code)
    return {"nation": None, "province": NATION, "prefecture": code[:2] + "0000", "county": code[:4] + "00"}[level]


def province_code(code: str) -> str | None:
    """The province a code lies in (itself for a province); ``None`` for the nation."""
    return None if level_of(code) == "nation" else code[:2] + "0000"


def region_prefix(code: str) -> str:
    """The code prefix shared by ``code`` and all of its descendants ('' for the nation)."""
    level = level_of(code)
    return {"nation": "", "province": code[:2], "prefecture": code[:4]}.get(level, code)


def ancestors_of(code: str) -> list[str]:
    """Ancestor codes by pattern, nearest first (prefecture → province → nation)."""
    level = level_of(code)
    out: list[str] = []
    if level == "county":
        out.append(code[:4] + "00")
    if level in ("county", "prefecture"):
        out.append(code[:2] + "0000")
    if level != "nation":
        out.append(NATION)
    return out


def ancestor_at(code: str, level: str) -> str:
    """The ancestor of ``code`` at ``level`` (province / prefecture) by code pattern, or ``code`` itself
    when it is not below that level (a province asked for its prefecture)."""
    for c in (code, *ancestors_of(code)):
        if level_of(c) == level:
            return c
    return code


def province_codes(codes: pd.Series) -> pd.Series:
    """:func:`province_code` of a column of prefecture/county codes, vectorised (registry-sized columns)."""
    return codes.str[:2] + "0000"


def prefecture_codes(codes: pd.Series) -> pd.Series:
    """The prefecture pattern (xxxx00) of a column of county codes, vectorised; a prefecture stays itself."""
    return codes.str[:4] + "00"


def is_descendant(code: str, ancestor: str) -> bool:
    """Whether ``code`` lies strictly below ``ancestor`` (by code pattern)."""
    a, c = level_of(ancestor), level_of(code)
    if code == ancestor or c == "nation":
        return False
    if a == "nation":
        return True
    if a == "province":
        return code[:2] == ancestor[:2]
    if a == "prefecture":
        return c == "county" and code[:4] == ancestor[:4]
    return False


# Administrative suffixes, longest first; what is left is the short form people and tables use.
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "林区", "特区", "地区", "新区", "省", "市",
             "盟", "县", "区", "旗")
# The 55 minority nationalities (a public list), to shorten 延边朝鲜族自治州 → 延边.
_NATIONALITIES = (
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克",
    "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔",
    "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯",
    "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺", "各",
)
_NATIONALITY_END = re.compile("(?:" + "|".join(sorted(_NATIONALITIES, key=len, reverse=True)) + ")族$")


def short_forms(name: str) -> set[str]:
    """The forms of ``name`` a table may use: 深圳市 → {深圳}, 延边朝鲜族自治州 → {延边}; 2 characters at least."""
    out: set[str] = set()
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            stem = name[: -len(suffix)]
            while (m := _NATIONALITY_END.search(stem)) and m.start() >= 2:
                stem = stem[: m.start()]
            out.add(stem)
            break
    return out - {name}


def _clean(text: str) -> str:
    return re.sub(r"[\s\u3000]", "", str(text))


@cache
def provinces() -> tuple[Region, ...]:
    """The 34 province-level units (31 mainland + 台湾, 香港, 澳门)."""
    text = resources.files("yacang.catalog").joinpath("data/provinces.csv").read_text("utf-8")
    return tuple(
        Region(r["code"], r["name"], r["short_name"], "province", NATION, r["nbs_region"])
        for r in csv.DictReader(text.splitlines())
    )


@cache
def _english_names() -> dict[str, str]:
    text = resources.files("yacang.catalog").joinpath("data/provinces.csv").read_text("utf-8")
    return {_english_key(r["name_en"]): r["code"] for r in csv.DictReader(text.splitlines())}


def _english_key(name: str) -> str:
    return re.sub(r"[\s\u3000]+", " ", str(name)).strip().casefold()


def province_of_english(name: str) -> Region | None:
    """The province an English name means as NBS's English data portal writes it (Beijing, Inner Mongolia,
    Tibet), or ``None``; case and spacing do not matter."""
    code = _english_names().get(_english_key(name))
    return next(p for p in provinces() if p.code == code) if code else None


@cache
def mainland_provinces() -> tuple[Region, ...]:
    """The 31 mainland provinces that NBS statistics cover."""
    text = resources.files("yacang.catalog").joinpath("data/provinces.csv").read_text("utf-8")
    keep = {r["code"] for r in csv.DictReader(text.splitlines()) if r["mainland"] == "1"}
    return tuple(p for p in provinces() if p.code in keep)


def nation() -> Region:
    return Region(NATION, NATION_NAME, NATION_NAME, "nation", None)


@lru_cache(maxsize=8)
def _imported_catalog(cls: type, path: str, mtime_ns: int, size: int) -> RegionCatalog:
    """The catalog of an imported list, read once per version of the file (a catalog is never changed
    after construction; a re-import changes the file's time and size, so the next load reads it)."""
    return cls(pd.read_parquet(path))


class RegionCatalog:
    """Built-in provinces plus any imported prefectures and counties, with hierarchy queries."""

    def __init__(self, extra: pd.DataFrame | None = None) -> None:
        self._name_index: dict[str, list[tuple[Region, bool]]] | None = None
        self._by_code: dict[str, Region] = {NATION: nation()}
        for p in provinces():
            self._by_code[p.code] = p
        if extra is not None:
            for row in extra.itertuples(index=False):
                if row.code not in self._by_code:
                    short = min(short_forms(row.name) or {row.name}, key=len)
                    self._by_code[row.code] = Region(
                        row.code, row.name, short, row.level, row.parent,
                        self._by_code.get(row.code[:2] + "0000", nation()).nbs_region,
                    )

    @classmethod
    def load(cls, home: Path | None = None) -> RegionCatalog:
        """Catalog with the imported list under ``home/catalog`` if there is one."""
        from yacang.settings import get_settings

        path = (home or get_settings().home) / "catalog" / "regions.parquet"
        if not path.exists():
            return cls(None)
        stat = path.stat()
        return _imported_catalog(cls, str(path), stat.st_mtime_ns, stat.st_size)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __len__(self) -> int:
        return len(self._by_code)

    def get(self, code: str) -> Region:
        try:
            return self._by_code[code]
        except KeyError:
            raise RegionError(
                f"未知的行政区划代码：{code}（省级代码如 440000；地市、区县需先用 yacang catalog import-regions 导入）"
            ) from None

    def name(self, code: str, *, short: bool = False) -> str:
        r = self.get(code)
        return r.short_name if short else r.name

    def children(self, code: str) -> list[Region]:
        return sorted((r for r in self._by_code.values() if r.parent == code), key=lambda r: r.code)

    def ancestors(self, code: str) -> list[Region]:
        """Parents from the nearest up to the nation."""
        out: list[Region] = []
        parent = self.get(code).parent
        while parent is not None:
            r = self.get(parent)
            out.append(r)
            parent = r.parent
        return out

    def descendants(self, code: str) -> list[Region]:
        out: list[Region] = []
        stack = [code]
        while stack:
            kids = self.children(stack.pop())
            out.extend(kids)
            stack.extend(k.code for k in kids)
        return sorted(out, key=lambda r: r.code)

    def subtree_codes(self, code: str) -> set[str]:
        return {code} | {r.code for r in self.descendants(code)}

    def by_level(self, level: str) -> list[Region]:
        return sorted((r for r in self._by_code.values() if r.level == level), key=lambda r: r.code)

    def _names(self) -> dict[str, list[tuple[Region, bool]]]:
        """name form → [(region, is the full name)], built once."""
        if getattr(self, "_name_index", None) is None:
            index: dict[str, list[tuple[Region, bool]]] = defaultdict(list)
            for r in self._by_code.values():
                index[r.name].append((r, True))
                for form in {r.short_name} | short_forms(r.name):
                    if form != r.name:
                        index[form].append((r, False))
            index["中国"].append((self._by_code[NATION], False))
            self._name_index = dict(index)
        return self._name_index

    def candidates(self, text: str, *, within: str | None = None, level: str | None = None) -> list[Region]:
        """Every region ``text`` may name (code, full name or short form), narrowed by ``within``/``level``.

        A full-name match wins over short-form matches (吉林市 is the city, never the province).
        """
        t = _clean(text)
        if re.fullmatch(r"\d{6}", t):
            found = [self._by_code[t]] if t in self._by_code else []
        else:
            hits = self._names().get(t, [])
            full = [r for r, is_full in hits if is_full]
            found = full or list(dict.fromkeys(r for r, _ in hits))
        if within is not None:
            found = [r for r in found if r.code == within or self.is_below(r.code, within)]
        if level is not None:
            found = [r for r in found if r.level == level]
        return sorted(found, key=lambda r: r.code)

    def is_below(self, code: str, ancestor: str) -> bool:
        """Whether ``code`` lies strictly below ``ancestor`` in this catalog's hierarchy."""
        return any(a.code == ancestor for a in self.ancestors(code)) if code in self else is_descendant(code, ancestor)

    def resolve(self, text: str, *, within: str | None = None, level: str | None = None,
                prefer_level: str | None = None) -> Region:
        """The one region ``text`` names; raises :class:`RegionError` naming the candidates otherwise.

        ``within`` (a code) and ``level`` restrict the search; ``prefer_level`` settles a tie between
        regions of different levels (a province table's 吉林 is the province) and nothing else.
        """
        t = _clean(text)
        if not t:
            raise RegionError("地区为空：请填写地区名称或6位行政区划代码")
        if re.fullmatch(r"\d+", t):
            level_of(t)  # raises for a malformed code
            if t not in self._by_code:
                raise RegionError(f"代码不存在：{t}（省级代码如 440000；地市、区县代码需先用 yacang catalog import-regions 导入）")
        found = self.candidates(t, within=within, level=level)
        if len(found) > 1 and prefer_level is not None:
            preferred = [r for r in found if r.level == prefer_level]
            found = preferred if len(preferred) == 1 else found
        if len(found) == 1:
            return found[0]
        where = f"（在 {self.name(within)} 范围内）" if within and within in self else ""
        if not found:
            hint = "" if len(self) > 40 else "；地市、区县名称需先用 yacang catalog import-regions 导入代码表"
            raise RegionError(f"未知的地区名称：{t}{where}，请使用行政区划全称或6位代码{hint}")
        listed = "、".join(f"{r.name}（{r.code}）" for r in found[:10])
        raise RegionError(f"地区名称“{t}”不唯一{where}：可能是 {listed}，请写全称或6位代码", tuple(found))

    def find(self, name: str) -> Region:
        """Look a region up by code, full or short name (see :meth:`resolve`)."""
        return self.resolve(name)


MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})  # 直辖市: 北京, 天津, 上海, 重庆


def region_name(code: str, catalog: RegionCatalog | None = None) -> str:
    """The catalogue's name of a region code; a 直辖市's 市辖区/县 code (120100, which recent GB/T 2260
    lists omit) takes the 直辖市's name; any other code the catalogue lacks stays a code. The one rule for
    every table, page and message that names a region."""
    catalog = catalog or RegionCatalog.load()
    if code in catalog:
        return catalog.name(code)
    try:
        up = province_code(code) if level_of(code) == "prefecture" else None
    except RegionError:
        return code
    return catalog.name(up) if up in MUNICIPALITIES and up in catalog else code


def region_label(code: str, catalog: RegionCatalog | None = None) -> str:
    """“杭州市西湖区（330106）”: the name with its code (the code alone when the name is unknown)."""
    name = region_name(code, catalog)
    return code if name == code else f"{name}（{code}）"


def resolve_region(text: str, *, within: str | None = None, level: str | None = None,
                   prefer_level: str | None = None, home: Path | None = None) -> Region:
    """Resolve a code or name with the built-in provinces plus the imported code list (see
    :meth:`RegionCatalog.resolve`). The function the CLI, the web and the loaders call."""
    return RegionCatalog.load(home).resolve(text, within=within, level=level, prefer_level=prefer_level)

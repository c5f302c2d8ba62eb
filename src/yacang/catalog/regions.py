"""Regions by GB/T 2260 code: the 34 province-level units built in, deeper levels imported.

The package carries the 34 provinces with NBS's 东部/中部/西部/东北 grouping as its own table (a
public fact). Prefectures and counties change every year and are imported from a 民政部 code list
with ``yacang catalog import-regions``; they are kept under ``YACANG_HOME/catalog``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

NATION = "100000"
NATION_NAME = "全国"
NBS_REGIONS = ("东部", "中部", "西部", "东北")


class RegionError(LookupError):
    """An unknown or malformed region code."""


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
        raise RegionError(f"行政区划代码应为6位数字: {code!r}")
    if code == NATION:
        return "nation"
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "county"


@cache
def provinces() -> tuple[Region, ...]:
    """The 34 province-level units (31 mainland + 台湾, 香港, 澳门)."""
    text = resources.files("yacang.catalog").joinpath("data/provinces.csv").read_text("utf-8")
    return tuple(
        Region(r["code"], r["name"], r["short_name"], "province", NATION, r["nbs_region"])
        for r in csv.DictReader(text.splitlines())
    )


@cache
def mainland_provinces() -> tuple[Region, ...]:
    """The 31 mainland provinces that NBS statistics cover."""
    text = resources.files("yacang.catalog").joinpath("data/provinces.csv").read_text("utf-8")
    keep = {r["code"] for r in csv.DictReader(text.splitlines()) if r["mainland"] == "1"}
    return tuple(p for p in provinces() if p.code in keep)


def nation() -> Region:
    return Region(NATION, NATION_NAME, NATION_NAME, "nation", None)


class RegionCatalog:
    """Built-in provinces plus any imported prefectures and counties, with hierarchy queries."""

    def __init__(self, extra: pd.DataFrame | None = None) -> None:
        self._by_code: dict[str, Region] = {NATION: nation()}
        for p in provinces():
            self._by_code[p.code] = p
        if extra is not None:
            for row in extra.itertuples(index=False):
                if row.code not in self._by_code:
                    self._by_code[row.code] = Region(
                        row.code, row.name, row.name, row.level, row.parent,
                        self._by_code.get(row.code[:2] + "0000", nation()).nbs_region,
                    )

    @classmethod
    def load(cls, home: Path | None = None) -> RegionCatalog:
        """Catalog with the imported list under ``home/catalog`` if there is one."""
        from yacang.settings import get_settings

        path = (home or get_settings().home) / "catalog" / "regions.parquet"
        return cls(pd.read_parquet(path) if path.exists() else None)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __len__(self) -> int:
        return len(self._by_code)

    def get(self, code: str) -> Region:
        try:
            return self._by_code[code]
        except KeyError:
            raise RegionError(
                f"未知的行政区划代码: {code}（省级代码如 440000；地市、区县需先用 yacang catalog import-regions 导入）"
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

    def find(self, name: str) -> Region:
        """Look a region up by full or short name."""
        for r in self._by_code.values():
            if name in (r.name, r.short_name):
                return r
        raise RegionError(f"未知的地区名称: {name}")

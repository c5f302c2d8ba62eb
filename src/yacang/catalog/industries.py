"""Industries by GB/T 4754-2017: 门类 B/C/D, the 41 industrial 大类, NBS groupings; classes imported.

The 41 divisions 06–46 and the two groupings NBS publishes monthly (高技术制造业, 装备制造业) are
public facts carried by the package. 4-digit classes (小类) are imported with
``yacang catalog import-industries``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

TOTAL = "TOTAL"
SECTIONS = {"B": "采矿业", "C": "制造业", "D": "电力、热力、燃气及水生产和供应业"}


class IndustryError(LookupError):
    """An unknown industry code."""


@dataclass(frozen=True)
class Industry:
    code: str
    name: str
    level: str  # total / section / division / group / class / grouping
    parent: str | None


@dataclass(frozen=True)
class Grouping:
    """An NBS grouping defined as a list of divisions or 4-digit classes."""

    code: str
    name: str
    divisions: tuple[str, ...]
    classes: tuple[str, ...]
    source: str
    note: str


@cache
def divisions() -> tuple[Industry, ...]:
    """The 41 industrial divisions (大类) 06–46 with their 门类."""
    text = resources.files("yacang.catalog").joinpath("data/divisions.csv").read_text("utf-8")
    return tuple(Industry(r["code"], r["name"], "division", r["section"]) for r in csv.DictReader(text.splitlines()))


@cache
def other_divisions() -> tuple[Industry, ...]:
    """Non-industrial divisions (大类) that 重大项目 and key enterprises are filed under — 63–65 (门类 I) and
    73, 75 (门类 M) of GB/T 4754-2017 — so their names show; they are not among the 41 of :func:`divisions`."""
    text = resources.files("yacang.catalog").joinpath("data/other_divisions.csv").read_text("utf-8")
    return tuple(Industry(r["code"], r["name"], "other_division", None) for r in csv.DictReader(text.splitlines()))


def division_codes() -> list[str]:
    return [d.code for d in divisions()]


def section_of(code: str) -> str:
    """门类 of a division, group or class code (``3612`` → ``C``)."""
    div = code[:2]
    for d in divisions():
        if d.code == div:
            assert d.parent is not None
            return d.parent
    raise IndustryError(f"不是工业行业代码（应为 06–46 开头）: {code}")


# 装备制造业: NBS uses divisions 33–40 in its monthly releases (统计公报 口径).
EQUIPMENT = Grouping(
    code="EQ",
    name="装备制造业",
    divisions=("33", "34", "35", "36", "37", "38", "39", "40"),
    classes=(),
    source="国家统计局月度统计口径：金属制品业，通用设备，专用设备，汽车，铁路船舶航空航天和其他运输设备，电气机械和器材，计算机通信和其他电子设备，仪器仪表制造业（大类33–40）",
    note="按大类定义",
)

# 高技术制造业: 《高技术产业（制造业）分类（2017）》(国统字〔2017〕200号) defines it by 4-digit classes.
HIGH_TECH = Grouping(
    code="HT",
    name="高技术制造业",
    divisions=("27",),
    classes=(
        # 医药制造
        "2710", "2720", "2730", "2740", "2750", "2761", "2762", "2770", "2780",
        # 航空、航天器及设备制造
        "3741", "3742", "3743", "3744", "3749",
        # 电子及通信设备制造
        "3921", "3922", "3931", "3932", "3933", "3934", "3939", "3940", "3951", "3952", "3953",
        "3971", "3972", "3973", "3974", "3975", "3976", "3979", "3981", "3982", "3983", "3984",
        "3985", "3989", "3991", "3999", "3562", "3563",
        # 计算机及办公设备制造
        "3911", "3912", "3913", "3914", "3915", "3919", "3474", "3475",
        # 医疗仪器设备及仪器仪表制造
        "3581", "3582", "3583", "3584", "3585", "3586", "3589", "4011", "4012", "4013", "4014",
        "4015", "4016", "4019", "4021", "4022", "4023", "4024", "4025", "4028", "4029", "4040",
        "4090",
        # 信息化学品制造
        "2664", "2665",
    ),
    source="《高技术产业（制造业）分类（2017）》国统字〔2017〕200号",
    note="按小类定义；只有大类数据时以医药制造业(27)全部及其余小类所在大类的对应部分近似",
)

GROUPINGS = {g.code: g for g in (HIGH_TECH, EQUIPMENT)}


def grouping(code: str) -> Grouping:
    try:
        return GROUPINGS[code]
    except KeyError:
        raise IndustryError(f"未知的行业分组：{code}（可用：{'、'.join(GROUPINGS)}）") from None


def in_grouping(industry_code: str, g: Grouping) -> bool:
    """Whether a class (4-digit) or division (2-digit) belongs to the grouping."""
    if industry_code[:2] in g.divisions:
        return True
    return len(industry_code) == 4 and industry_code in g.classes


class IndustryCatalog:
    """Built-in sections and divisions plus any imported GB/T 4754-2017 groups and classes."""

    def __init__(self, extra: pd.DataFrame | None = None) -> None:
        self._by_code: dict[str, Industry] = {TOTAL: Industry(TOTAL, "全部工业", "total", None)}
        for s, name in SECTIONS.items():
            self._by_code[s] = Industry(s, name, "section", TOTAL)
        for d in divisions():
            self._by_code[d.code] = d
        for g in GROUPINGS.values():
            self._by_code[g.code] = Industry(g.code, g.name, "grouping", TOTAL)
        for o in other_divisions():
            self._by_code[o.code] = o
        if extra is not None:
            for row in extra.itertuples(index=False):
                self._by_code.setdefault(row.code, Industry(row.code, row.name, row.level, row.parent))

    @classmethod
    def load(cls, home: Path | None = None) -> IndustryCatalog:
        from yacang.settings import get_settings

        path = (home or get_settings().home) / "catalog" / "industries.parquet"
        return cls(pd.read_parquet(path) if path.exists() else None)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Industry:
        try:
            return self._by_code[code]
        except KeyError:
            raise IndustryError(
                f"未知的行业代码：{code}（大类如 36；小类需先用 yacang catalog import-industries 导入）"
            ) from None

    def name(self, code: str) -> str:
        return self.get(code).name

    def label(self, code: str) -> str:
        """“软件和信息技术服务业（65）”: the name with its code; a class not imported names its division
        (“3612（属汽车制造业）”); an unknown code stays a code."""
        if code in self._by_code:
            return f"{self._by_code[code].name}（{code}）"
        if len(code) > 2 and code[:2] in self._by_code:
            return f"{code}（属{self._by_code[code[:2]].name}）"
        return code

    def children(self, code: str) -> list[Industry]:
        return sorted((i for i in self._by_code.values() if i.parent == code), key=lambda i: i.code)

    def ancestors(self, code: str) -> list[Industry]:
        out: list[Industry] = []
        parent = self.get(code).parent
        while parent is not None:
            i = self.get(parent)
            out.append(i)
            parent = i.parent
        return out

    def by_level(self, level: str) -> list[Industry]:
        return sorted((i for i in self._by_code.values() if i.level == level), key=lambda i: i.code)

    def find(self, name: str) -> Industry:
        """Look up by name, tolerating NBS/Wind variants (及/和, 、)."""
        norm = _norm_name(name)
        for i in self._by_code.values():
            if _norm_name(i.name) == norm:
                return i
        raise IndustryError(f"未知的行业名称：{name}")


def _norm_name(name: str) -> str:
    return name.replace("及", "和").replace("、", "").replace("，", "").replace(" ", "").removesuffix("业")

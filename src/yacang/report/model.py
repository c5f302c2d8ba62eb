"""The bulletin (按月通报) as plain data: what it says, independent of how it is rendered.

Providers (:mod:`yacang.report.national`, :mod:`yacang.report.regional`) fill a :class:`Bulletin`;
renderers (HTML, PDF, DOCX, XLSX) only lay it out. Numbers live in tables with their unit and number
format, charts carry their data (not pictures), so each format draws them in its own way and a test
can compare any figure with the warehouse.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from yacang.periods import Period

# Number formats a table column can ask for. Excel codes are in render_xlsx.
NumberFormat = Literal["text", "0.0", "0", "#,##0.0", "#,##0", "rank_change", "light"]
ChartKind = Literal["line", "bar", "map", "lights"]
SECTION_NUMBERS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")

# Status lights: code -> (Chinese name, colour). Used by target progress and signal lights.
LIGHTS: dict[str, tuple[str, str]] = {
    "red": ("红灯", "#d62728"),
    "yellow": ("黄灯", "#e6b800"),
    "green": ("绿灯", "#2ca02c"),
    "lightblue": ("浅蓝灯", "#7fbfff"),
    "blue": ("蓝灯", "#1f5fbf"),
    "grey": ("无数据", "#bbbbbb"),
}


@dataclass(frozen=True)
class Column:
    """One table column: key into the row dicts, header, unit and number format."""

    key: str
    label: str
    unit: str = ""
    fmt: NumberFormat = "text"

    @property
    def header(self) -> str:
        return f"{self.label}（{self.unit}）" if self.unit else self.label


@dataclass
class Table:
    """A titled table; rows are dicts keyed by column key (None = no data)."""

    id: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)


@dataclass
class Chart:
    """A chart described by its data; :mod:`yacang.report.charts` draws it.

    ``data`` by kind:
      - line: ``x`` (labels), ``series`` [{name, values}], optional ``hlines`` [{name, value}]
      - bar: ``categories``, ``values``, optional ``hlines`` [{name, value}] (parent, target)
      - map: ``values`` {region code: value}, ``names`` {code: name}, ``level`` (province/prefecture),
        ``parent`` code, ``unit``
      - lights: ``rows`` [{name, lights: [light code per column]}], ``columns`` (period labels)
    """

    id: str
    title: str
    kind: ChartKind
    data: dict[str, Any]
    caption: str = ""


@dataclass
class Section:
    """一、总体情况 and the like: paragraphs, then tables and charts, then notes."""

    number: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.number}、{self.title}"


@dataclass
class Bulletin:
    """A monthly bulletin for a region and period."""

    title: str
    region_code: str
    region_name: str
    period: Period
    issuer: str
    issue_date: dt.date
    sections: list[Section]
    appendix: list[Table] = field(default_factory=list)  # 附表 (all tables, for the XLSX)
    doc_number: str = ""  # 文号, e.g. 〔2022〕3号
    signer: str = ""  # 签发人 (GB/T 9704: printed on the 版头 of 上行文)
    recipients: str = ""  # 主送机关
    cc: str = ""  # 抄送机关 (版记)
    subtitle: str = ""
    sources: list[str] = field(default_factory=list)  # 数据来源 notes
    facts: dict[str, float] = field(default_factory=dict)  # key figures used by the narrative

    @property
    def period_label(self) -> str:
        return self.period.label_zh()

    def all_tables(self) -> list[Table]:
        """Every table: the sections' tables first, then the 附表 not already among them."""
        seen: set[str] = set()
        out: list[Table] = []
        for t in [t for s in self.sections for t in s.tables] + self.appendix:
            if t.id not in seen:
                seen.add(t.id)
                out.append(t)
        return out

    def appendix_only(self) -> list[Table]:
        """附表 not shown in any section (e.g. the full alert list): printed after the 附件 list."""
        shown = {t.id for s in self.sections for t in s.tables}
        return [t for t in self.appendix if t.id not in shown]

    def all_charts(self) -> list[Chart]:
        return [c for s in self.sections for c in s.charts]

    def text(self) -> str:
        """All narrative text in order (what a reader reads; used by read-back tests)."""
        lines = [self.title, self.subtitle]
        for s in self.sections:
            lines.append(s.heading)
            lines.extend(s.paragraphs)
            lines.extend(s.notes)
        return "\n".join(x for x in lines if x)

    def attachments(self) -> list[str]:
        """附件 list: the 附表 titles."""
        return [f"附表{i}：{t.title}" for i, t in enumerate(self.all_tables(), 1)]


def section_number(i: int) -> str:
    """0 -> 一, 1 -> 二 …"""
    return SECTION_NUMBERS[i]

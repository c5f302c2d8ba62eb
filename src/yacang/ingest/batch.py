"""What a loader produces from one file: series metadata, observations and rejected cells.

A loader is a pure function ``path -> Batch``; it never touches the warehouse. The warehouse writes a
batch all-or-nothing (see :meth:`yacang.warehouse.Warehouse.write_batch`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

OBSERVATION_COLUMNS = ["series_id", "period", "value", "flags", "source_row", "source_col"]
SERIES_COLUMNS = [
    "series_id", "indicator", "measure", "region", "industry", "category",
    "frequency", "unit", "source", "original_name", "jan_feb",
]


@dataclass(frozen=True)
class RowError:
    """One rejected cell or row, located so a person can fix it."""

    file: str
    row: int  # 1-based line/row number in the file as a spreadsheet shows it
    column: str  # column header or letter; "" for a whole row
    value: str
    reason: str  # Chinese, says what to do

    def __str__(self) -> str:
        col = f"，列“{self.column}”" if self.column else ""
        val = f"，值“{self.value}”" if self.value != "" else ""
        return f"{self.file} 第{self.row}行{col}{val}：{self.reason}"


@dataclass
class Batch:
    """Parsed content of one source file."""

    source_file: str
    format: str
    sha256: str
    series: pd.DataFrame  # SERIES_COLUMNS
    observations: pd.DataFrame  # OBSERVATION_COLUMNS; period is a canonical code
    errors: list[RowError] = field(default_factory=list)
    mapped: list[str] = field(default_factory=list)  # original names mapped to catalog indicators
    unmapped: list[str] = field(default_factory=list)  # original names kept as raw series
    vintage: pd.Timestamp | None = None  # publication date if the source states one
    notes: list[str] = field(default_factory=list)
    skipped: int = 0  # cells read but not stored by a documented rule (Wind zeros …), reasons in ``notes``

    @property
    def ok(self) -> bool:
        return not self.errors


SKIP_NON_QUARTER_END = "非季末月份的当季值"
SKIP_JANUARY_YTD = "2013年起1月累计值（国家统计局不发布）"
SKIP_JANUARY_CURRENT = "2013年起1月当月值（国家统计局不发布）"
"""Reasons for values read but not stored by a documented rule, shared by the loaders that apply it."""


def skip_notes(counts: dict[str, int]) -> list[str]:
    """One note per rule that left values out, with how many (:attr:`Batch.skipped` is their sum)."""
    return [f"按规则视为缺失或略去：{k} {v} 个" for k, v in counts.items() if v]


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def empty_series() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="string") for c in SERIES_COLUMNS})


def empty_observations() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "series_id": pd.Series(dtype="string"),
            "period": pd.Series(dtype="string"),
            "value": pd.Series(dtype="float64"),
            "flags": pd.Series(dtype="string"),
            "source_row": pd.Series(dtype="int64"),
            "source_col": pd.Series(dtype="string"),
        }
    )

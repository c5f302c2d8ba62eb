"""Wind / iFinD / Mysteel Excel exports: many series per sheet, newest date first.

Sheets whose row 1 is ``=[1]!edb()`` (cached "Wind") are Wind, ``=[1]!HX_IFIND_EDB(0)`` (cached
"同花顺iFinD") iFinD, sheets named …Mysteel Mysteel; sheets without a vendor row take the workbook's
vendor. Names are mapped with :func:`yacang.ingest.names.map_name`; the rest are kept as raw series with
their original name, unit and frequency. Directory sheets (指标名称 | 频率 | 单位 … down the rows) give
units and frequencies to the data sheets of the same workbook.

Zeros. Wind, iFinD and Mysteel write 0 where there is no data: whole rows of 0 (a weekly series on
days without a release), months not yet released, the rows before a series starts, February 当月 of the
merged indicators, non-quarter months of a 当季 series, every other month of 装备制造业. Rule: an exact 0
is *missing*, and every case is counted in the batch notes (全为0的行 / 序列首尾的0 / 序列中间的0).
Exception: zeros inside the span of a price index's 环比 series (PPI/PPIRM mom, where an unchanged price
is common) are kept. Known cost: a genuine 0.0 of another series is lost (Wind's PPI 当月同比 2019-06 was
0.0; the NBS export has it as 100.0).
January/February of those indicators from 2013: a 当月 January value is dropped (NBS publishes none;
Wind's 1-2月拆分 variant keeps its split estimates flagged ``1-2月拆分,Wind估计``); a February 当月 value
is the merged 1-2月 and is stored at ``YYYY-01/02`` flagged ``1-2月合并`` (for names tagged
``(1-2月合并)`` also before 2013 when that year has no January value: Wind's 工业增加值 series merge 2012
already, its 出口交货值 series carry separate January and February values before 2013); a 累计 January value (not published) is dropped.
Two columns that map to the same series (``…:当月同比`` and ``…:当月同比(1-2月合并)``, a duplicated
column) are merged when they agree; a conflicting value is a duplicate-key error.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

from yacang.ingest.batch import (
    OBSERVATION_COLUMNS,
    SKIP_JANUARY_CURRENT,
    SKIP_JANUARY_YTD,
    SKIP_NON_QUARTER_END,
    Batch,
    RowError,
    skip_notes,
)
from yacang.ingest.errors import IngestError
from yacang.ingest.grid import require_workbook
from yacang.ingest.names import JAN_FEB_MERGED, Mapping, series_id_for
from yacang.ingest.numbers import NumberError, parse_number
from yacang.ingest.sheets import Sheet, directory_entries, is_date, read_workbook, vendor_of
from yacang.ingest.validate import make_batch, merge_identical, series_row, unit_problem
from yacang.periods import Period, PeriodError, jan_feb_merged, parse_period

FORMAT = "wind"
FREQ_ZH = {"日": "D", "周": "W", "旬": "10D", "月": "M", "季": "Q", "年": "Y", "半年": "H"}
SPLIT_FLAG = "1-2月拆分,Wind估计"
MERGED_FLAG = "1-2月合并"


@dataclass
class _Acc:
    """What the sheets of one workbook add up to."""

    file: str
    series: list[dict[str, str]] = field(default_factory=list)
    obs: list[tuple] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    mapped: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    names_seen: Counter = field(default_factory=Counter)


def parse_wind(path: Path | str, *, source: str | None = None) -> Batch:
    """Parse every sheet of a Wind/iFinD workbook into one Batch (pure)."""
    path = Path(path)
    require_workbook(path, FORMAT)
    sheets = read_workbook(path)
    acc = _Acc(path.name)
    directory: dict[str, dict[str, str]] = {}
    for s in sheets:
        if s.kind == "directory":
            directory.update(directory_entries(s))
            acc.notes.append(f"工作表“{s.title}”是指标目录（{len(directory)} 个指标），用作单位和频率，不含数据")
    if not any(s.kind == "data" for s in sheets):
        raise IngestError(f"{path.name}：工作簿中没有数据表（Wind/iFinD 数据表以“指标名称”行开头），未导入。"
                          "若是统计局分地区表，请确认表头以“地区”开头并写明当月/累计；或用 --format 指定格式")
    default_vendor = source or _workbook_vendor(sheets)
    for s in sheets:
        if s.kind == "data":
            _sheet(s, source or vendor_of(s) or default_vendor, directory, acc)
        elif s.kind == "other":
            acc.notes.append(f"工作表“{s.title}”不是数据表（无“指标名称”行），已跳过")
    acc.notes.extend(skip_notes(acc.counts))
    frame = _merge_same_series(pd.DataFrame(acc.obs, columns=OBSERVATION_COLUMNS), acc)
    batch = make_batch(path, FORMAT, acc.series, frame, acc.errors, mapped=acc.mapped, unmapped=acc.unmapped,
                       notes=acc.notes)
    batch.skipped = sum(acc.counts.values())
    return batch


def _workbook_vendor(sheets: list[Sheet]) -> str:
    vendors = Counter(v for s in sheets if (v := vendor_of(s)) and v != "mysteel")
    return vendors.most_common(1)[0][0] if vendors else "wind"


def _sheet(s: Sheet, source: str, directory: dict[str, dict[str, str]], acc: _Acc) -> None:
    dates, rows = _dates(s, acc)
    if not rows:
        acc.notes.append(f"工作表“{s.title}”没有带日期的数据行")
        return
    header = s.rows[s.name_row]
    values = _numbers(s, rows, len(header), acc)
    missing = _zero_fillers(values, s.title, acc)
    for j in range(1, len(header)):
        name = "" if header[j] is None else str(header[j]).strip()
        if not name:
            if np.isfinite(values[:, j - 1]).any():  # a deleted header: its figures cannot be named
                acc.errors.append(RowError(acc.file, s.name_row + 1, f"{s.title}!{get_column_letter(j + 1)}", "",
                                           "该列有数值但“指标名称”行为空：请补上指标名称，或删去该列后重新导入"))
            continue
        if j in s.misaligned:
            acc.notes.append(f"未导入（与日期不对齐）：{s.title}!{get_column_letter(j + 1)}“{name}”")
            continue
        _column(s, j, name, dates, rows, values[:, j - 1], missing[:, j - 1], source, directory, acc)


def _dates(s: Sheet, acc: _Acc) -> tuple[list[dt.date], list[int]]:
    """Dates of the data rows and their 0-based row indexes; undated rows with values are noted."""
    dates, rows, undated = [], [], 0
    for i in range(s.first_data, len(s.rows)):
        first = s.rows[i][0] if s.rows[i] else None
        if is_date(first):
            dates.append(first.date() if isinstance(first, dt.datetime) else first)
            rows.append(i)
        elif first is None or str(first).strip() == "":
            if any(c not in (None, "") for c in s.rows[i][1:]):
                undated += 1
                s.misaligned.update(j for j, c in enumerate(s.rows[i]) if j and c not in (None, ""))
        else:
            d = _text_date(str(first).strip())
            if d is None:
                acc.errors.append(RowError(acc.file, i + 1, f"{s.title}!A", str(first),
                                           "无法识别的日期（应为 2022-03-31 或 2022年3月 等），请更正"))
            else:
                dates.append(d)
                rows.append(i)
    if undated:
        cols = "、".join(get_column_letter(j + 1) for j in sorted(s.misaligned))
        acc.notes.append(f"工作表“{s.title}”有 {undated} 行A列没有日期而{cols}列仍有数值：这些列比A列的日期长，"
                         "与日期不对齐（导出时各序列日期不同），整列未导入；请按各序列自己的日期重新导出")
    return dates, rows


def _text_date(text: str) -> dt.date | None:
    try:
        p = parse_period(text.split(" ")[0])
    except PeriodError:
        return None
    return p.day or p.end_date if p.kind in ("day", "month") else None


def _numbers(s: Sheet, rows: list[int], width: int, acc: _Acc) -> np.ndarray:
    out = np.full((len(rows), max(width - 1, 0)), np.nan)
    header = s.rows[s.name_row]
    for k, i in enumerate(rows):
        row = s.rows[i]
        for j in range(1, min(len(row), width)):
            try:
                v = parse_number(row[j])
            except NumberError:
                acc.errors.append(RowError(acc.file, i + 1, f"{s.title}!{get_column_letter(j + 1)}（{header[j]}）",
                                           str(row[j]), "不是数字（缺失请留空），请更正该单元格"))
                continue
            if v is not None:
                out[k, j - 1] = v
    return out


def _zero_fillers(values: np.ndarray, title: str, acc: _Acc) -> np.ndarray:
    """Mask of zeros that stand for "no data" (rules 1 and 2 of the module doc)."""
    zero = values == 0
    present = np.isfinite(values)
    row_fill = (zero | ~present).all(axis=1) & zero.any(axis=1)
    nonzero = present & ~zero
    idx = np.arange(len(values))[:, None]
    first = np.where(nonzero.any(axis=0), np.argmax(nonzero, axis=0), len(values))
    last = np.where(nonzero.any(axis=0), len(values) - 1 - np.argmax(nonzero[::-1], axis=0), -1)
    edge = zero & ((idx < first) | (idx > last))
    acc.counts["全为0的行中的0"] += int((zero & row_fill[:, None]).sum())
    acc.counts["序列首尾的0"] += int((edge & ~row_fill[:, None]).sum())
    return zero & (row_fill[:, None] | edge)


def _column(s: Sheet, j: int, name: str, dates: list[dt.date], rows: list[int], col: np.ndarray,
            filler: np.ndarray, source: str, directory: dict[str, dict[str, str]], acc: _Acc) -> None:
    acc.names_seen[name] += 1
    sid, mapping = series_id_for(name, source, acc.names_seen[name])
    if acc.names_seen[name] > 1:
        acc.notes.append(f"“{name}”在本文件中第{acc.names_seen[name]}次出现（{s.title}!{get_column_letter(j + 1)}），"
                         f"作为变体 dup{acc.names_seen[name]} 单独保存")
    (acc.mapped if mapping else acc.unmapped).append(name)
    info = directory.get(name, {})
    unit = _meta(s, "单位", j) or info.get("单位", "")
    freq = FREQ_ZH.get(_meta(s, "频率", j) or info.get("频率", ""), "") or _sheet_frequency(s.title, dates)
    col_label = f"{s.title}!{get_column_letter(j + 1)}"
    if mapping and (problem := unit_problem(mapping.measure, unit)):
        acc.errors.append(RowError(acc.file, s.name_row + 1, col_label, unit, problem))
    acc.series.append(series_row(sid, mapping, name, source=source, unit=unit, frequency=freq))
    if mapping is not None and mapping.measure == "qtr_yoy":
        freq = "Q"
    merged = mapping is not None and mapping.indicator in JAN_FEB_MERGED and freq == "M"
    jan_years = {d.year for d, v in zip(dates, col, strict=True) if d.month == 1 and np.isfinite(v) and v != 0}
    keep_zero = mapping is not None and mapping.indicator in ("ppi", "ppirm") and mapping.measure in ("mom", "sa_mom")
    for k, d in enumerate(dates):
        v = col[k]
        if not np.isfinite(v) or filler[k]:
            continue
        if v == 0 and not keep_zero:
            acc.counts["序列中间的0"] += 1
            continue
        placed = _place(d, freq, mapping if merged else None, v, acc, d.year in jan_years)
        if placed is not None:
            acc.obs.append((sid, placed[0], float(v), placed[1], rows[k] + 1, col_label))


def _place(d: dt.date, freq: str, mapping: Mapping | None, v: float, acc: _Acc,
           has_january: bool = False) -> tuple[str, str] | None:
    """Period code and flags of one dated value, applying the January/February rules."""
    if freq in ("D", "W", "10D"):
        return Period.of_day(d).code, ""
    if freq == "Q":
        if d.month % 3:
            acc.counts[SKIP_NON_QUARTER_END] += 1
            return None
        return Period.quarter(d.year, d.month // 3).code, ""
    if freq == "Y":
        return Period.whole_year(d.year).code, ""
    month = Period.month(d.year, d.month)
    if mapping is None or d.month > 2:
        return month.code, ""
    tagged = mapping.jan_feb == "1-2月合并" and not has_january
    if not jan_feb_merged(d.year) and not tagged:
        return month.code, ""
    if mapping.measure not in ("yoy", "value"):
        if d.month == 1 and mapping.measure.startswith(("ytd", "prev_ytd")):
            acc.counts[SKIP_JANUARY_YTD] += 1
            return None
        return month.code, ""
    if mapping.variant == "split":
        return month.code, SPLIT_FLAG
    if d.month == 1:
        acc.counts[SKIP_JANUARY_CURRENT] += 1
        return None
    return Period.jan_feb(d.year).code, MERGED_FLAG


def _meta(s: Sheet, label: str, j: int) -> str:
    row = s.meta.get(label)
    return "" if row is None or j >= len(row) or row[j] is None else str(row[j]).strip()


def _sheet_frequency(title: str, dates: list[dt.date]) -> str:
    """Frequency named by the sheet title (日度, 周度 …), else from the spacing of its rows."""
    for zh, freq in (("日", "D"), ("周", "W"), ("旬", "10D"), ("月", "M"), ("季", "Q"), ("年", "Y")):
        if f"{zh}度" in title:
            return freq
    if len(dates) < 2:
        return "M"
    gap = float(np.median(np.abs(np.diff([d.toordinal() for d in dates]))))
    for limit, freq in ((3.5, "D"), (8.5, "W"), (16, "10D"), (45, "M"), (120, "Q"), (200, "H")):
        if gap <= limit:
            return freq
    return "Y"


def _merge_same_series(obs: pd.DataFrame, acc: _Acc) -> pd.DataFrame:
    """Drop values repeated identically by another column mapped to the same series (see module doc)."""
    obs, n = merge_identical(obs)
    if n:
        acc.notes.append(f"{n} 个数值在映射到同一序列的另一列中重复出现且相同，已合并")
    return obs


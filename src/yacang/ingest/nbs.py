"""NBS data-portal export (data.stats.gov.cn, 导出 CSV): wide, newest-first period columns.

Layout::

    数据库：月度数据
    时间：1998-
    [地区：北京市]
    指标,2026年2月,2026年1月,…            ← period labels (months, 2022年第一季度, 2022年 …)
    规上工业增加值同比增长(%),,,5.2,…
    规上工业增加值累计增长(%),6.3,,5.9,…
    注：1.从2011年起…                      ← footnotes (kept as batch notes)
    　　　2.…
    数据来源：国家统计局

January and February (NBS practice since 2013): there is no January 当月 figure and February's 当月 is
the merged 1-2月. A 当月 series therefore gets no ``YYYY-02`` value from 2013 on; the merged value is
stored at ``YYYY-01/02`` flagged ``1-2月合并``. The portal leaves that cell blank, so it is taken from the
1-2月 累计 of the same indicator (equal by definition) and flagged ``1-2月合并,取自累计``.

The portal exports three layouts, as CSV or as a workbook (XLS/XLSX), in UTF-8 or GBK:

- 地区 fixed (above): header ``指标,<periods>``, one indicator per row, the region in ``地区：``;
- 指标 fixed (分省月度数据 with ``指标：工业增加值_累计增长(%)``): header ``地区,<periods>``, one region
  per row;
- 时间 fixed (``时间：2022年6月``): header ``地区,<indicators>``, one region per row.

The English portal's export (``Database：Annual by Province`` …) is the 指标-fixed layout in English words and is
read after :func:`yacang.ingest.nbs_english.as_chinese`.

Region names in rows resolve through :func:`yacang.catalog.regions.RegionCatalog.resolve` (imported
cities and counties included); an unknown or ambiguous name is a located error and the file loads
nothing.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from yacang.catalog.regions import NATION, RegionCatalog, RegionError
from yacang.ingest.batch import OBSERVATION_COLUMNS, Batch, RowError
from yacang.ingest.encoding import read_text
from yacang.ingest.errors import IngestError
from yacang.ingest.grid import WORKBOOK_SUFFIXES, first_cell, workbook_rows
from yacang.ingest.names import JAN_FEB_MERGED, Mapping, industry_code
from yacang.ingest.nbs_english import as_chinese, is_english_export
from yacang.ingest.numbers import NumberError, parse_number
from yacang.ingest.validate import make_batch, series_row, unit_problem
from yacang.periods import Period, PeriodError, jan_feb_merged, parse_period

FORMAT = "nbs"
SOURCE = "nbs"
HEADER_KEYS = ("数据库", "时间", "地区", "指标")
MERGED_FLAG = "1-2月合并"
FROM_YTD_FLAG = "1-2月合并,取自累计"
# 当月 measure ↔ its 累计 counterpart
YTD_OF = {"yoy": "ytd_yoy", "value": "ytd_value"}


@dataclass
class _Sheet:
    meta: dict[str, str] = field(default_factory=dict)
    meta_rows: dict[str, int] = field(default_factory=dict)
    header_row: int = 0
    row_key: str = "指标"  # first header cell: 指标 (indicator rows) or 地区 (region rows)
    periods: list[tuple[int, Period]] = field(default_factory=list)  # (column index, period)
    labels: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (line number, cells)
    notes: list[str] = field(default_factory=list)


def looks_like_nbs(text: str) -> bool:
    """A CSV that starts like a portal export, Chinese or English (:mod:`yacang.ingest.nbs_english`)."""
    head = text[:2000].replace("\r\n", "\n")
    if is_english_export(head.split("\n", 1)[0].split(",", 1)[0]):
        return "\nRegion," in head
    return ("数据库：" in head or "数据库:" in head) and ("\n指标," in head or "\n地区," in head)


def looks_like_nbs_workbook(path: Path) -> bool:
    """A workbook whose first sheet starts like a portal export (数据库：… or Database：… in A1)."""
    cell = first_cell(path)
    return cell.startswith(("数据库：", "数据库:")) or is_english_export(cell)


def parse_nbs(path: Path | str, *, encoding: str = "auto") -> Batch:
    """Parse one NBS export (any of the three layouts, CSV or workbook) into a Batch (pure)."""
    path = Path(path)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        rows, enc = workbook_rows(path), "工作簿"
    else:
        text, enc = read_text(path, encoding)
        rows = _csv_rows(text)
    if (first := next((c[0] for _, c in rows if c and c[0].strip()), "")) and is_english_export(first):
        rows = as_chinese(rows)  # the English portal's export: the same layout in English words
    errors: list[RowError] = []
    sheet = _split(rows, path.name, errors)
    cells = _layout_cells(sheet, path.name, errors)
    series, obs, mapped, unmapped = [], [], [], []
    for (name, region, line_no, column), items in cells.items():
        mapping = map_nbs_name(name, region)
        unit = _unit_of(name)
        sid = mapping.series_id(SOURCE) if mapping else _raw_id(name if region == NATION else f"{name}@{region}")
        (mapped if mapping else unmapped).append(name)
        if mapping and (problem := unit_problem(mapping.measure, unit)):
            errors.append(RowError(path.name, line_no, column, name, problem))
        jan_feb = MERGED_FLAG if _merges(mapping) and mapping.measure in YTD_OF else ""
        row = series_row(sid, mapping, name, source=SOURCE, unit=unit, frequency=_frequency(sheet), jan_feb=jan_feb)
        if mapping is None and region != NATION:
            row["region"] = region  # an unmapped indicator still belongs to its region (scope checks)
        series.append(row)
        obs.extend(_cells(sid, mapping, items, path.name, errors))
    frame = pd.DataFrame(obs, columns=OBSERVATION_COLUMNS)
    frame, merge_notes = _merge_jan_feb(frame, series)
    notes = [f"编码 {enc}"] + [f"{k}：{v}" for k, v in sheet.meta.items()] + sheet.notes + merge_notes
    return make_batch(path, FORMAT, series, frame, errors, mapped=mapped, unmapped=unmapped, notes=notes)


def _csv_rows(text: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(text.splitlines())
    return [(reader.line_num, cells) for cells in reader]


def map_nbs_name(name: str, region: str = NATION) -> Mapping | None:
    """Map an NBS portal indicator name (规上工业增加值同比增长(%) …) to the catalog."""
    base = re.sub(r"\((?:%|亿元|万元|个|万人)\)$", "", name.strip()).replace("_", "")
    for pattern, indicator in _NBS_INDICATORS:
        m = re.search(pattern, base)
        if not m:
            continue
        measure = _nbs_measure(base[m.end():], indicator)
        if measure is None:
            return None
        industry, category = _nbs_prefix(base[: m.start()])
        if industry is None:
            return None
        return Mapping(indicator, measure, region, industry, category)
    return None


_NBS_INDICATORS = (
    (r"(?:规上|规模以上)?(?:工业)?增加值", "iva"),
    (r"工业生产者出厂价格指数", "ppi"),
    (r"工业生产者购进价格指数", "ppirm"),
    (r"出口交货值", "export_delivery"),
    (r"利润总额", "profit"),
    (r"营业收入", "revenue"),
    (r"(?:地区|国内)生产总值", "gdp"),
)
# Measures named only for some indicators: a bare GDP name is its level (地区生产总值(亿元), current prices).
_OWN_MEASURES = {"gdp": {"": "value", "当季值": "value", "指数(上年=100)": "index_yoy"}}


def _nbs_measure(rest: str, indicator: str) -> str | None:
    rest = rest.strip()
    table = {
        "同比增长": "yoy", "增长": "yoy", "累计增长": "ytd_yoy", "当期值": "value", "累计值": "ytd_value",
        "(上年同月=100)": "index_yoy", "(上年同期=100)": "index_ytd",
        "同比增长(上年同月=100)": "index_yoy", "累计增长(上年同期=100)": "index_ytd",
    }
    return _OWN_MEASURES.get(indicator, {}).get(rest) or table.get(rest)


def _nbs_prefix(prefix: str) -> tuple[str | None, str]:
    """Industry/category from what precedes the indicator (生产资料, 采矿业, 汽车制造业 …)."""
    prefix = prefix.strip()
    if prefix in ("", "全部", "全部工业品"):
        return "TOTAL", ""
    if prefix in ("生产资料", "生活资料"):
        return "TOTAL", prefix
    code = industry_code(prefix)
    return (code, "") if code else (None, "")


def _split(rows: list[tuple[int, list[str]]], name: str, errors: list[RowError]) -> _Sheet:
    """Header lines, the column header, data rows and footnotes, each with its line number."""
    sheet = _Sheet()
    in_notes = False
    for line_no, cells in rows:
        first = cells[0].strip() if cells else ""
        if not any(c.strip() for c in cells):
            continue
        if in_notes or first.startswith(("注：", "注:", "数据来源")):
            in_notes = in_notes or first.startswith(("注", "数据来源"))
            sheet.notes.append(",".join(c for c in cells if c).strip())
            continue
        key = re.split(r"[：:]", first, maxsplit=1)[0]
        if not sheet.header_row and key in HEADER_KEYS and len([c for c in cells if c.strip()]) == 1 \
                and ("：" in first or ":" in first):
            sheet.meta[key] = re.split(r"[：:]", first, maxsplit=1)[1].strip()
            sheet.meta_rows[key] = line_no
        elif not sheet.header_row and first in ("指标", "地区"):
            sheet.header_row, sheet.row_key = line_no, first
            sheet.labels = cells
        elif sheet.header_row:
            sheet.rows.append((line_no, cells))
        else:
            errors.append(RowError(name, line_no, "", first[:30],
                                   "表头之前出现无法识别的内容（应为 数据库：/时间：/地区：/指标： 或 指标,…/地区,… 表头行）"))
    if not sheet.header_row:
        raise IngestError(f"{name}：找不到以“指标”或“地区”开头的表头行，不是国家统计局数据库导出格式"
                          "（或请用 --format 指定格式）")
    return sheet


def _layout_cells(sheet: _Sheet, name: str, errors: list[RowError]) -> dict[tuple, list[tuple]]:
    """``(indicator name, region, line, column) -> [(line, column label, period, raw cell)]`` for any layout."""
    out: dict[tuple, list[tuple]] = {}
    if sheet.row_key == "指标":  # 地区 fixed: indicator rows × period columns
        _periods(sheet.labels, sheet.header_row, sheet, name, errors)
        region = _region(sheet.meta.get("地区", ""), name, sheet.meta_rows.get("地区", 0), errors)
        _orphan_cells(sheet, name, errors)
        for line_no, cells in sheet.rows:
            items = [(line_no, sheet.labels[j].strip(), p, cells[j] if j < len(cells) else "") for j, p in sheet.periods]
            out[(cells[0].strip(), region, line_no, "指标")] = items
        return out
    regions = _row_regions(sheet, name, errors)
    labels = [c.strip() for c in sheet.labels]
    if _all_periods(labels[1:]):  # 指标 fixed: region rows × period columns
        indicator = sheet.meta.get("指标", "")
        if not indicator:
            errors.append(RowError(name, sheet.header_row, "", "",
                                   "地区为行、时期为列的导出需要“指标：…”表头行（说明各列是哪个指标），请补上"))
            return out
        _periods(sheet.labels, sheet.header_row, sheet, name, errors)
        _orphan_cells(sheet, name, errors)
        for line_no, cells in sheet.rows:
            if (region := regions.get(line_no)) is None:
                continue
            items = [(line_no, labels[j], p, cells[j] if j < len(cells) else "") for j, p in sheet.periods]
            out[(indicator, region, line_no, "地区")] = items
        return out
    text = sheet.meta.get("时间", "")  # 时间 fixed: region rows × indicator columns
    try:
        period = parse_period(text)
    except PeriodError:
        errors.append(RowError(name, sheet.meta_rows.get("时间", sheet.header_row), "时间", text,
                               "地区为行、指标为列的导出需要“时间：2022年6月”这样的单一时期，请核对表头"))
        return out
    sheet.periods = [(0, period)]
    _orphan_cells(sheet, name, errors, "指标")
    for line_no, cells in sheet.rows:
        if (region := regions.get(line_no)) is None:
            continue
        for j, label in enumerate(labels[1:], start=1):
            if label:
                out.setdefault((label, region, line_no, label), []).append(
                    (line_no, label, period, cells[j] if j < len(cells) else ""))
    return out


def _orphan_cells(sheet: _Sheet, name: str, errors: list[RowError], what: str = "时期") -> None:
    """A value under a blank header cell, or in a row longer than the header, cannot be placed: reading
    on would shift or drop figures, so each is a located error. ``what`` the header names (时期 or 指标)."""
    width = len(sheet.labels)
    blank = {j for j, label in enumerate(sheet.labels) if j and not label.strip()}
    for line_no, cells in sheet.rows:
        if len(cells) > width:
            errors.append(RowError(name, line_no, f"第{width + 1}列起", ",".join(cells[width:])[:30],
                                   f"本行有 {len(cells)} 列，表头（第{sheet.header_row}行）只有 {width} 列，"
                                   f"数值会错位到别的{what}：请核对表头是否缺列或本行是否多出单元格"))
            continue
        for j in sorted(blank):
            if j < len(cells) and cells[j].strip():
                errors.append(RowError(name, line_no, f"第{j + 1}列", cells[j].strip(),
                                       f"该列在表头（第{sheet.header_row}行）没有{what}标签，数值无法对应："
                                       "请核对表头是否缺列或本行是否多出单元格"))


def _all_periods(labels: list[str]) -> bool:
    filled = [x for x in labels if x]
    if not filled:
        return False
    ok = 0
    for x in filled:
        try:
            parse_period(x)
            ok += 1
        except PeriodError:
            pass
    return ok * 2 > len(filled)  # mostly periods: the odd bad label is reported by _periods


def _row_regions(sheet: _Sheet, name: str, errors: list[RowError]) -> dict[int, str]:
    """Line → region code for the region rows; unknown or ambiguous names are located errors."""
    catalog = RegionCatalog.load()
    names = {line_no: cells[0].strip() for line_no, cells in sheet.rows}
    levels = [c[0].level for c in (catalog.candidates(n) for n in names.values()) if len(c) == 1]
    prefer = max(set(levels), key=levels.count) if levels else None
    out: dict[int, str] = {}
    seen: dict[str, int] = {}
    for line_no, text in names.items():
        try:
            region = catalog.resolve(text, prefer_level=prefer).code
        except RegionError as exc:
            errors.append(RowError(name, line_no, "地区", text, f"{exc}；整个文件未入库"))
            continue
        if region in seen:
            errors.append(RowError(name, line_no, "地区", text,
                                   f"地区重复：与第{seen[region]}行是同一地区（{region}），请删去重复的一行"))
            continue
        seen[region] = line_no
        out[line_no] = region
    return out


def _periods(cells: list[str], line_no: int, sheet: _Sheet, name: str, errors: list[RowError]) -> None:
    seen: dict[str, str] = {}
    for j, label in enumerate(cells[1:], start=1):
        label = label.strip()
        if not label:
            continue
        try:
            p = parse_period(label)
        except PeriodError:
            errors.append(RowError(name, line_no, label, label,
                                   "无法识别的时期标签（应为 2022年3月、2022年第一季度、2022年 等），请更正表头"))
            continue
        if p.code in seen:
            errors.append(RowError(name, line_no, label, label,
                                   f"时期重复：与“{seen[p.code]}”列是同一时期 {p.code}，请删除重复的列"))
            continue
        seen[p.code] = label
        sheet.periods.append((j, p))


def _cells(sid: str, mapping: Mapping | None, items: list[tuple], name: str, errors: list[RowError]) -> list[tuple]:
    out = []
    merges = _merges(mapping) and mapping is not None and mapping.measure in YTD_OF
    for line_no, label, period, raw in items:
        try:
            value = parse_number(raw)
        except NumberError:
            errors.append(RowError(name, line_no, label, str(raw).strip(),
                                   "不是数字（inf、nan 等非有限值也不行；缺失请留空或写“—”），请更正该单元格"))
            continue
        if value is None:
            continue
        flags = ""
        if merges and period.in_merged_jan_feb():
            if period.end == 1:
                errors.append(RowError(name, line_no, label, str(raw).strip(),
                                       "2013年起国家统计局不发布1月当月数据，请核对（1-2月合并数据应放在2月列）"))
                continue
            period, flags = Period.jan_feb(period.year), MERGED_FLAG
        out.append((sid, period.code, value, flags, line_no, label))
    return out


def _merge_jan_feb(obs: pd.DataFrame, series: list[dict[str, str]]) -> tuple[pd.DataFrame, list[str]]:
    """Fill each 当月 series' missing ``YYYY-01/02`` (2013 on) from its 1-2月 累计 counterpart."""
    notes: list[str] = []
    by_id = {s["series_id"]: s for s in series}
    extra = []
    for s in series:
        if s["jan_feb"] != MERGED_FLAG:
            continue
        ytd_id = s["series_id"].replace(f".{s['measure']}.", f".{YTD_OF[s['measure']]}.", 1)
        if ytd_id not in by_id:
            continue
        have = set(obs.loc[obs["series_id"] == s["series_id"], "period"])
        ytd = obs[(obs["series_id"] == ytd_id) & obs["period"].str.match(r"^\d{4}-02$")]
        for row in ytd.itertuples(index=False):
            year = int(row.period[:4])
            code = Period.jan_feb(year).code
            if jan_feb_merged(year) and code not in have:
                extra.append((s["series_id"], code, row.value, FROM_YTD_FLAG, row.source_row, row.source_col))
        if extra:
            notes.append(f"{s['original_name']}：1-2月合并值取自同一指标的1-2月累计（定义上相等），标记“{FROM_YTD_FLAG}”")
    if extra:
        obs = pd.concat([obs, pd.DataFrame(extra, columns=OBSERVATION_COLUMNS)], ignore_index=True)
    return obs, notes


def _merges(mapping: Mapping | None) -> bool:
    return mapping is not None and mapping.indicator in JAN_FEB_MERGED


def _unit_of(name: str) -> str:
    m = re.search(r"\(([^()=]+)\)$", name.strip())
    return m.group(1) if m else ""


def _frequency(sheet: _Sheet) -> str:
    kinds = {p.kind for _, p in sheet.periods}
    if kinds <= {"month", "jan_feb"}:
        return "M"
    if kinds == {"quarter"}:
        return "Q"
    if kinds == {"year"}:
        return "Y"
    return "M" if "month" in kinds else "Q" if "quarter" in kinds else "Y"


def _region(text: str, name: str, line_no: int, errors: list[RowError]) -> str:
    if not text or text in ("全国", "中国"):
        return NATION
    try:
        return RegionCatalog.load().resolve(text).code
    except RegionError as exc:
        errors.append(RowError(name, line_no, "地区", text, f"{exc}；整个文件未入库"))
        return NATION


def _raw_id(name: str) -> str:
    from yacang.catalog.series_ids import raw_series_id

    return raw_series_id(SOURCE, name)

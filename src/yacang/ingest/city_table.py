"""A statistics bureau's table of its regions (各市规模以上工业增加值增速), as published in XLSX/XLS.

Shape (one sheet)::

    2022年1-6月各市规模以上工业增加值增速          ← title: year, month (or 上半年/前三季度/全年), indicator
    单位：%
    地区   | 6月        |      | 1-6月       |              ← header rows (merged cells), 地区 first
           | 增速  | 位次 | 增速  | 位次           ← 当月增速/累计增速/位次 in any combination
    全省   | 3.5   |      | 4.2   |                ← the province itself (全省/全市/合计)
    广州市 | …                                     ← one row per region below it
    注：1.增速按可比价格计算 …                    ← notes (kept in the batch)

Each growth column becomes a series of the region (``provincial:iva.ytd_yoy.<code>.TOTAL`` …) with the
measure the header says (当月 → yoy, 累计 or 1-N月 → ytd_yoy; never guessed: a column that says neither
is a located error). A published 位次 is checked against the growth it ranks (a faster region never has
a worse place) and not stored: ranks are recomputed from the figures. Region names resolve through the
catalog within the province; unknown or ambiguous names, non-numbers and non-finite numbers are located
errors and the file loads nothing.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from yacang.catalog.regions import RegionCatalog, RegionError, province_code, provinces
from yacang.ingest.batch import OBSERVATION_COLUMNS, Batch, RowError
from yacang.ingest.errors import IngestError
from yacang.ingest.grid import WORKBOOK_FAILURES, Rows, require_workbook, workbook_rows
from yacang.ingest.names import Mapping
from yacang.ingest.numbers import NumberError, parse_number
from yacang.ingest.validate import make_batch, series_row
from yacang.periods import Period, jan_feb_merged

FORMAT = "city_table"
SOURCE = "provincial"
REGION_HEADERS = ("地区", "市别", "地市", "城市", "市州", "设区市", "市县", "县区", "区县", "单位", "地区名称")
TOTAL_ROWS = ("全省", "全市", "全区", "全州", "全盟", "合计", "总计", "全省合计", "全市合计")
RANK_WORDS = ("位次", "排位", "排名", "名次")
INDICATORS = (("工业增加值", "iva", "规模以上工业增加值"),)
_RANGE = re.compile(r"1\s*[-—–~～至]\s*(\d{1,2})\s*月")
_MONTH = re.compile(r"(?<![-—–~～至\d])(\d{1,2})\s*月")
_NAMED = {"一季度": 3, "上半年": 6, "前三季度": 9, "全年": 12}


@dataclass
class _Column:
    index: int
    label: str
    measure: str  # yoy / ytd_yoy
    month: int | None
    rank: bool


def looks_like_city_table(path: Path) -> bool:
    """A workbook with a 地区 header over growth columns (增速/增长) and no vendor or portal marks."""
    try:
        rows = workbook_rows(path, limit=12)
    except WORKBOOK_FAILURES:
        return False
    if not rows or (rows[0][1][:1] and rows[0][1][0].startswith(("数据库", "指标名称"))):
        return False
    header = _header_index(rows)
    if header is None:
        return False
    text = "".join("".join(cells) for _, cells in rows[:header + 3])  # title and header rows
    return any(w in text for w in ("增速", "增长", "同比"))


def parse_city_table(path: Path | str) -> Batch:
    """Parse a statistics bureau's region table into a Batch (pure)."""
    path = Path(path)
    require_workbook(path, FORMAT)
    rows = workbook_rows(path)
    header = _header_index(rows)
    if header is None:
        raise IngestError(f"{path.name}：找不到以“地区”（或 市别/城市/市州）开头的表头行，不是分地区统计表")
    errors: list[RowError] = []
    title = " ".join(c for _, cells in rows[:header] for c in cells if c)
    indicator, indicator_name = _indicator(title, path.name, errors)
    year, title_month = _year_month(title)
    first_data = _first_data(rows, header)
    column_notes: list[str] = []
    columns = _columns(rows[header:first_data], path.name, title_month, errors, column_notes, title)
    if year is None:
        errors.append(RowError(path.name, 1, "标题", title[:40], "标题中找不到年份（如“2022年1-6月…”），请在标题写明时期"))
    data, notes = _data_rows(rows[first_data:])
    catalog = RegionCatalog.load()
    province = _province(title, data, catalog)
    regions = _regions(data, province, catalog, path.name, errors)
    obs: list[tuple] = []
    series: list[dict[str, str]] = []
    ranks: dict[str, list[tuple[int, str, float | None, int]]] = {}
    for col in columns:
        month = col.month or title_month
        period = _period(year, month, col, path.name, rows[header][0], errors) if year else None
        for line_no, cells in data:
            region = regions.get(line_no)
            raw = cells[col.index] if col.index < len(cells) else ""
            if region is None:
                continue
            if col.rank:
                _rank_cell(raw, line_no, col, region, ranks, path.name, errors)
                continue
            try:
                value = parse_number(raw)
            except NumberError:
                errors.append(RowError(path.name, line_no, col.label, raw, "不是数字（inf、nan 等非有限值也不行；缺失请留空或写“—”），请更正该单元格"))
                continue
            if value is None or period is None:
                continue
            m = Mapping(indicator, col.measure, region)
            sid = m.series_id(SOURCE)
            flags = "1-2月合并" if period.kind == "jan_feb" else ""
            series.append(series_row(sid, m, f"{indicator_name}{'累计' if col.measure == 'ytd_yoy' else '当月'}增速(%)",
                                     source=SOURCE, unit="%", jan_feb="1-2月合并" if col.measure == "yoy" else ""))
            obs.append((sid, period.code, value, flags, line_no, col.label))
            ranks.setdefault(f"v:{col.measure}", []).append((line_no, region, value, 0))
    errors.extend(_rank_errors(ranks, province, path.name))
    frame = pd.DataFrame(obs, columns=OBSERVATION_COLUMNS)
    notes = [f"标题：{title}", *column_notes, *notes]
    if any(c.rank for c in columns):
        notes.append("位次列已与增速核对（增速高者位次不靠后）；位次不单独入库，通报中由增速重新排出")
    return make_batch(path, FORMAT, series, frame, errors, mapped=[indicator_name], unmapped=[], notes=notes)


def _header_index(rows: Rows) -> int | None:
    for k, (_, cells) in enumerate(rows[:15]):
        first = re.sub(r"\s", "", cells[0]) if cells else ""
        if first in REGION_HEADERS:
            return k
    return None


def _first_data(rows: Rows, header: int) -> int:
    """Index of the first row after the header block that has a number in it."""
    for k in range(header + 1, len(rows)):
        cells = rows[k][1]
        if cells and cells[0].strip() and any(_is_number(c) for c in cells[1:]):
            return k
    return len(rows)


def _is_number(text: str) -> bool:
    try:
        return parse_number(text) is not None
    except NumberError:
        return False


def _columns(block: Rows, name: str, title_month: int | None, errors: list[RowError],
             notes: list[str], title: str = "") -> list[_Column]:
    """Combine the header rows column by column (merged cells forward-filled across) and classify."""
    width = max(len(cells) for _, cells in block)
    labels = [""] * width
    for r, (_, cells) in enumerate(block):
        carry = ""
        for j in range(1, width):
            cell = cells[j].strip() if j < len(cells) else ""
            if r < len(block) - 1:  # upper header rows span the columns to their right (merged cells)
                carry = cell or carry
                cell = carry
            if cell and cell not in labels[j]:
                labels[j] = f"{labels[j]} {cell}".strip()
    line = block[0][0]
    out: list[_Column] = []
    for j in range(1, width):
        label = labels[j]
        if not label:
            continue
        text = re.sub(r"\s", "", label)
        rank = any(w in text for w in RANK_WORDS)
        growth_words = ("增速", "增长", "同比", "%", "％")
        growth = any(w in text for w in growth_words) or (
            any(w in title for w in growth_words) and _measure(text, None)[0] is not None
            and not any(w in text for w in ("亿元", "万元", "绝对", "总量", "比重")))
        if not rank and not growth:
            notes.append(f"第{line}行起表头“{label}”列不是增速或位次，未导入（如需导入请用长表CSV）")
            continue
        measure, month = _measure(text, title_month)
        if measure is None:
            errors.append(RowError(name, line, label, label, "表头未说明是当月还是累计（如“6月”“1-6月”“当月”“累计”），"
                                                          "无法判断口径，请在表头写明"))
            continue
        out.append(_Column(j, label, measure, month, rank))
    if not any(not c.rank for c in out):
        errors.append(RowError(name, line, "", "", "表头中没有增速列（当月增速/累计增速），请核对表格"))
    return out


def _measure(text: str, title_month: int | None) -> tuple[str | None, int | None]:
    if m := _RANGE.search(text):
        return "ytd_yoy", int(m.group(1))
    for word, month in _NAMED.items():
        if word in text:
            return "ytd_yoy", month
    if "累计" in text:
        return "ytd_yoy", None
    if m := _MONTH.search(text):
        return "yoy", int(m.group(1))
    if "当月" in text or "本月" in text:
        return "yoy", None
    return None, None


def _indicator(title: str, name: str, errors: list[RowError]) -> tuple[str, str]:
    for word, code, label in INDICATORS:
        if word in title:
            return code, label
    errors.append(RowError(name, 1, "标题", title[:40], "标题中找不到可识别的指标（如“规模以上工业增加值”），请核对"))
    return "iva", "规模以上工业增加值"


def _year_month(title: str) -> tuple[int | None, int | None]:
    y = re.search(r"(\d{4})\s*年", title)
    year = int(y.group(1)) if y else None
    rest = title[y.end():] if y else title
    if m := _RANGE.search(rest):
        return year, int(m.group(1))
    for word, month in _NAMED.items():
        if word in rest:
            return year, month
    m = _MONTH.search(rest)
    return year, int(m.group(1)) if m else None


def _period(year: int, month: int | None, col: _Column, name: str, line: int,
            errors: list[RowError]) -> Period | None:
    if month is None or not 1 <= month <= 12:
        errors.append(RowError(name, line, col.label, col.label, "无法确定该列的月份，请在标题或表头写明（如“1-6月”）"))
        return None
    if col.measure == "yoy" and jan_feb_merged(year) and month in (1, 2):
        if month == 1:
            errors.append(RowError(name, line, col.label, col.label, "2013年起不发布1月当月数据，请核对表头"))
            return None
        return Period.jan_feb(year)
    return Period.month(year, month)


def _data_rows(rows: Rows) -> tuple[Rows, list[str]]:
    data: Rows = []
    notes: list[str] = []
    in_notes = False
    for line_no, cells in rows:
        first = cells[0].strip() if cells else ""
        if in_notes or first.startswith(("注", "说明", "资料来源", "数据来源")):
            in_notes = True
            text = " ".join(c for c in cells if c)
            if text:
                notes.append(text)
            continue
        if not any(c.strip() for c in cells):
            continue
        data.append((line_no, cells))
    return data, notes


def _province(title: str, data: Rows, catalog: RegionCatalog) -> str | None:
    """The province the table is about: named in the title, else the one all resolvable rows share."""
    for p in provinces():
        if p.name in title or p.short_name in title:
            return p.code
    codes = set()
    for _, cells in data:
        found = catalog.candidates(cells[0], level="prefecture")
        if len(found) == 1:
            codes.add(province_code(found[0].code))
    return codes.pop() if len(codes) == 1 else None


def _regions(data: Rows, province: str | None, catalog: RegionCatalog, name: str,
             errors: list[RowError]) -> dict[int, str]:
    out: dict[int, str] = {}
    seen: dict[str, int] = {}
    for line_no, cells in data:
        text = re.sub(r"[\s\u3000]", "", cells[0])
        try:
            if text in TOTAL_ROWS:
                if province is None:
                    raise RegionError("无法确定“全省”指哪个省：请在标题写明省份（如“广东省2022年…”）")
                code = province
            else:
                code = catalog.resolve(text, within=province, prefer_level="prefecture").code
        except RegionError as exc:
            errors.append(RowError(name, line_no, "地区", text, f"{exc}；整个文件未入库"))
            continue
        if code in seen:
            errors.append(RowError(name, line_no, "地区", text, f"地区重复：与第{seen[code]}行是同一地区（{code}），请删去一行"))
            continue
        seen[code] = line_no
        out[line_no] = code
    return out


def _rank_cell(raw: str, line_no: int, col: _Column, region: str,
               ranks: dict[str, list[tuple[int, str, float | None, int]]], name: str, errors: list[RowError]) -> None:
    try:
        value = parse_number(raw)
    except NumberError:
        value = -1.0
    if value is None:
        return
    if value < 1 or not float(value).is_integer():
        errors.append(RowError(name, line_no, col.label, raw, "位次应为正整数，请更正"))
        return
    ranks.setdefault(f"r:{col.measure}", []).append((line_no, region, None, int(value)))


def _rank_errors(ranks: dict[str, list[tuple[int, str, float | None, int]]], province: str | None,
                 name: str) -> list[RowError]:
    """A published 位次 that contradicts the growth it ranks (a faster region placed behind a slower one)."""
    errors: list[RowError] = []
    for key, rows in ranks.items():
        if not key.startswith("r:"):
            continue
        values = {region: v for _, region, v, _ in ranks.get("v:" + key[2:], []) if region != province}
        placed = sorted((rank, values[region], line, region) for line, region, _, rank in rows if region in values)
        for (r1, v1, _, _), (r2, v2, line2, region2) in itertools.pairwise(placed):
            if v2 is not None and v1 is not None and r2 > r1 and v2 > v1:
                errors.append(RowError(name, line2, "位次", str(r2),
                                       f"位次与增速不一致：{region2} 增速 {v2:g} 高于位次 {r1} 的地区（{v1:g}），"
                                       "却排在其后，请核对该行增速或位次"))
    return errors

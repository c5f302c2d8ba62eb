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
from yacang.ingest.names import JAN_FEB_MERGED, Mapping, industry_code
from yacang.ingest.numbers import NumberError, parse_number
from yacang.ingest.validate import make_batch, series_row, unit_problem
from yacang.periods import JAN_FEB_MERGED_SINCE, Period, PeriodError, parse_period

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
    header_row: int = 0
    periods: list[tuple[int, Period]] = field(default_factory=list)  # (column index, period)
    labels: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (line number, cells)
    notes: list[str] = field(default_factory=list)


def looks_like_nbs(text: str) -> bool:
    head = text[:2000]
    return "数据库：" in head and "\n指标," in head.replace("\r\n", "\n")


def parse_nbs(path: Path | str, *, encoding: str = "auto") -> Batch:
    """Parse one NBS export into a Batch (pure: reads the file, touches nothing else)."""
    path = Path(path)
    text, enc = read_text(path, encoding)
    errors: list[RowError] = []
    sheet = _split(text, path.name, errors)
    region = _region(sheet.meta.get("地区", ""), path.name, errors)
    series, obs, mapped, unmapped = [], [], [], []
    for line_no, cells in sheet.rows:
        name = cells[0].strip()
        mapping = map_nbs_name(name, region)
        unit = _unit_of(name)
        sid = mapping.series_id(SOURCE) if mapping else _raw_id(name)
        (mapped if mapping else unmapped).append(name)
        if mapping and (problem := unit_problem(mapping.measure, unit)):
            errors.append(RowError(path.name, line_no, "指标", name, problem))
        jan_feb = MERGED_FLAG if _merges(mapping) and mapping.measure in YTD_OF else ""
        series.append(series_row(sid, mapping, name, source=SOURCE, unit=unit, frequency=_frequency(sheet),
                                 jan_feb=jan_feb))
        obs.extend(_cells(sid, mapping, line_no, cells, sheet, path.name, errors))
    frame = pd.DataFrame(obs, columns=OBSERVATION_COLUMNS)
    frame, merge_notes = _merge_jan_feb(frame, series)
    notes = [f"编码 {enc}"] + [f"{k}：{v}" for k, v in sheet.meta.items()] + sheet.notes + merge_notes
    return make_batch(path, FORMAT, series, frame, errors, mapped=mapped, unmapped=unmapped, notes=notes)


def map_nbs_name(name: str, region: str = NATION) -> Mapping | None:
    """Map an NBS portal indicator name (规上工业增加值同比增长(%) …) to the catalog."""
    base = re.sub(r"\((?:%|亿元|万元|个|万人)\)$", "", name.strip())
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
)


def _nbs_measure(rest: str, indicator: str) -> str | None:
    rest = rest.strip()
    table = {
        "同比增长": "yoy", "增长": "yoy", "累计增长": "ytd_yoy", "当期值": "value", "累计值": "ytd_value",
        "(上年同月=100)": "index_yoy", "(上年同期=100)": "index_ytd",
        "同比增长(上年同月=100)": "index_yoy", "累计增长(上年同期=100)": "index_ytd",
    }
    return table.get(rest)


def _nbs_prefix(prefix: str) -> tuple[str | None, str]:
    """Industry/category from what precedes the indicator (生产资料, 采矿业, 汽车制造业 …)."""
    prefix = prefix.strip()
    if prefix in ("", "全部", "全部工业品"):
        return "TOTAL", ""
    if prefix in ("生产资料", "生活资料"):
        return "TOTAL", prefix
    code = industry_code(prefix)
    return (code, "") if code else (None, "")


def _split(text: str, name: str, errors: list[RowError]) -> _Sheet:
    """Header lines, period columns, data rows and footnotes, each with its line number."""
    sheet = _Sheet()
    reader = csv.reader(text.splitlines())
    in_notes = False
    for cells in reader:
        line_no = reader.line_num
        first = cells[0].strip() if cells else ""
        if not any(c.strip() for c in cells):
            continue
        if in_notes or first.startswith(("注：", "注:", "数据来源")):
            in_notes = in_notes or first.startswith(("注", "数据来源"))
            sheet.notes.append(",".join(c for c in cells if c).strip())
            continue
        key = re.split(r"[：:]", first, maxsplit=1)[0]
        if not sheet.header_row and key in HEADER_KEYS[:3] and len([c for c in cells if c.strip()]) == 1:
            sheet.meta[key] = re.split(r"[：:]", first, maxsplit=1)[1].strip() if "：" in first or ":" in first else ""
        elif not sheet.header_row and first == "指标":
            sheet.header_row = line_no
            _periods(cells, line_no, sheet, name, errors)
        elif sheet.header_row:
            sheet.rows.append((line_no, cells))
        else:
            errors.append(RowError(name, line_no, "", first[:30],
                                   "表头之前出现无法识别的内容（应为 数据库：/时间：/地区： 或 指标,… 表头行）"))
    if not sheet.header_row:
        raise IngestError(f"{name}：找不到以“指标”开头的表头行，不是国家统计局数据库导出格式（或请用 --format 指定格式）")
    return sheet


def _periods(cells: list[str], line_no: int, sheet: _Sheet, name: str, errors: list[RowError]) -> None:
    seen: dict[str, str] = {}
    sheet.labels = cells
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


def _cells(sid: str, mapping: Mapping | None, line_no: int, cells: list[str], sheet: _Sheet, name: str,
           errors: list[RowError]) -> list[tuple]:
    out = []
    merges = _merges(mapping) and mapping is not None and mapping.measure in YTD_OF
    for j, period in sheet.periods:
        raw = cells[j] if j < len(cells) else ""
        label = sheet.labels[j].strip()
        try:
            value = parse_number(raw)
        except NumberError:
            errors.append(RowError(name, line_no, label, raw.strip(),
                                   "不是数字（缺失请留空或写“—”），请更正该单元格"))
            continue
        if value is None:
            continue
        flags = ""
        if merges and period.kind == "month" and period.year >= JAN_FEB_MERGED_SINCE and period.end in (1, 2):
            if period.end == 1:
                errors.append(RowError(name, line_no, label, raw.strip(),
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
            if year >= JAN_FEB_MERGED_SINCE and code not in have:
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


def _region(text: str, name: str, errors: list[RowError]) -> str:
    if not text or text in ("全国", "中国"):
        return NATION
    try:
        return RegionCatalog().find(text).code
    except RegionError:
        errors.append(RowError(name, 0, "地区", text, "无法识别的地区名称，请使用省级行政区全称（如 北京市）"))
        return NATION


def _raw_id(name: str) -> str:
    from yacang.catalog.series_ids import raw_series_id

    return raw_series_id(SOURCE, name)

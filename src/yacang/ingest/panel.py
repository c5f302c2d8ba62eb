"""A region panel in long form: one row per region × month, the vendor's series name on every row.

Columns (UTF-8 or GBK CSV): a region column (``province`` / ``region`` / ``地区``), a date column
(``date`` / ``period`` / ``时期``), a value column (``value_pct`` / ``value`` / ``数值``) and the vendor
name (``wind_indicator`` / ``indicator`` / ``指标``), e.g. ``北京:工业增加值:可比价:规模以上工业企业:当月同比``;
an optional ``measure`` column (``ytd_yoy`` / ``month_yoy`` / ``yoy``) must agree with the name.

Each region keeps the measure it was published in: a 当月同比 name is stored as ``yoy``, a 累计同比 as
``ytd_yoy`` — never one for the other. 1-2月: a 当月 February value (2013 on) is the merged 1-2月 figure,
stored at ``YYYY-01/02``; a January value of a merged indicator from 2013 on is an error. The region
named in the series name must be the row's region. Every problem is a located error; the file loads
all or nothing.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd

from yacang.catalog.regions import RegionCatalog, RegionError
from yacang.ingest.batch import OBSERVATION_COLUMNS, Batch, RowError
from yacang.ingest.encoding import read_text
from yacang.ingest.errors import IngestError
from yacang.ingest.grid import check_row_widths
from yacang.ingest.names import JAN_FEB_MERGED, map_name
from yacang.ingest.numbers import NumberError, parse_number
from yacang.ingest.validate import make_batch, series_row
from yacang.periods import Period, PeriodError, parse_period

FORMAT = "panel"
REGION_COLS = ("province", "region", "地区", "省份")
DATE_COLS = ("date", "period", "时期", "日期")
VALUE_COLS = ("value_pct", "value", "数值")
NAME_COLS = ("wind_indicator", "indicator", "指标", "指标名称")
MEASURE_ALIASES = {"ytd_yoy": "ytd_yoy", "month_yoy": "yoy", "yoy": "yoy", "累计同比": "ytd_yoy", "当月同比": "yoy"}


def looks_like_panel(header: list[str]) -> bool:
    cols = {c.strip().lstrip("\ufeff") for c in header}
    return all(any(c in cols for c in group) for group in (REGION_COLS, DATE_COLS, VALUE_COLS, NAME_COLS))


def parse_panel(path: Path | str, *, source: str | None = None, encoding: str = "auto") -> Batch:
    """Parse a long region panel into a Batch (pure)."""
    path = Path(path)
    text, enc = read_text(path, encoding)
    check_row_widths(text, path.name)
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    df.columns = [c.strip().lstrip("\ufeff") for c in df.columns]
    cols = {}
    for key, group in (("region", REGION_COLS), ("date", DATE_COLS), ("value", VALUE_COLS), ("name", NAME_COLS)):
        found = next((c for c in group if c in df.columns), None)
        if found is None:
            raise IngestError(f"{path.name}：第1行表头缺少{'/'.join(group)}列，不是分地区长表（实际列：{list(df.columns)}）")
        cols[key] = found
    vendor = source or ("wind" if cols["name"] == "wind_indicator" else "panel")
    catalog = RegionCatalog.load()
    errors: list[RowError] = []
    series: dict[str, dict[str, str]] = {}
    obs: list[tuple] = []
    regions: dict[str, str | RegionError] = {}
    mappings: dict[str, object] = {}
    for i, row in enumerate(df.to_dict("records"), start=2):
        name, label = row[cols["name"]].strip(), row[cols["region"]].strip()
        if label not in regions:
            try:
                regions[label] = catalog.resolve(label, prefer_level="province").code
            except RegionError as exc:
                regions[label] = exc
        region = regions[label]
        if isinstance(region, RegionError):
            errors.append(RowError(path.name, i, cols["region"], label, f"{region}；整个文件未入库"))
            continue
        if name not in mappings:
            mappings[name] = map_name(name)
        m = mappings[name]
        if m is None:
            errors.append(RowError(path.name, i, cols["name"], name, "无法识别的指标名称（应如 北京:工业增加值:…:累计同比），请核对"))
            continue
        if m.region != region:  # type: ignore[attr-defined]
            errors.append(RowError(path.name, i, cols["name"], name,
                                   f"指标名称中的地区（{m.region}）与本行地区“{label}”（{region}）不一致，请核对"))  # type: ignore[attr-defined]
            continue
        stated = row.get("measure", "").strip()
        if stated and MEASURE_ALIASES.get(stated) != m.measure:  # type: ignore[attr-defined]
            errors.append(RowError(path.name, i, "measure", stated,
                                   f"口径列与指标名称不一致（名称为 {m.measure}），请核对，不能把当月当作累计"))  # type: ignore[attr-defined]
            continue
        cell = _cell(row, cols, m, path.name, i, errors)
        if cell is None:
            continue
        sid = m.series_id(vendor)  # type: ignore[attr-defined]
        series.setdefault(sid, series_row(sid, m, name, source=vendor, unit="%" if "同比" in name else ""))  # type: ignore[arg-type]
        obs.append((sid, *cell, i, cols["value"]))
    frame = pd.DataFrame(obs, columns=OBSERVATION_COLUMNS)
    measures = frame.merge(pd.DataFrame(series.values())[["series_id", "region", "measure"]], on="series_id") \
        if series else frame
    notes = [f"编码 {enc}"]
    if series:
        words = {"yoy": "当月同比", "ytd_yoy": "累计同比"}
        per = measures.drop_duplicates("series_id").groupby("measure")["region"].apply(sorted).to_dict()
        parts = []
        for measure, codes in sorted(per.items(), key=lambda kv: len(kv[1])):
            names = "、".join(catalog.name(c, short=True) for c in codes) if len(codes) <= 10 else f"{len(codes)} 个地区"
            parts.append(f"{words.get(measure, measure)}：{names}")
        notes.append("各地区按发布口径保存（不互相换算）——" + "；".join(parts))
    names = sorted(mappings)
    return make_batch(path, FORMAT, list(series.values()), frame, errors,
                      mapped=[n for n in names if mappings[n] is not None],
                      unmapped=[n for n in names if mappings[n] is None], notes=notes, period_column=cols["date"])


def _cell(row: dict[str, str], cols: dict[str, str], m, file: str, line: int,
          errors: list[RowError]) -> tuple[str, float, str] | None:
    """``(period code, value, flags)`` of one row, applying the 1-2月 rule; None (with an error) if bad."""
    raw_date, raw_value = row[cols["date"]].strip(), row[cols["value"]]
    try:
        if len(raw_date) == 10 and raw_date[4] == "-":
            day = dt.date.fromisoformat(raw_date)  # the day is checked too: 2022-04-31 is no date
            p = Period.month(day.year, day.month)
        else:
            p = parse_period(raw_date)
    except (PeriodError, ValueError):
        errors.append(RowError(file, line, cols["date"], raw_date,
                               "无法识别的时期或不存在的日期（应为 2022-03-31、2022-03 或 2022年3月），请更正"))
        return None
    for col, stated_part, actual in (("year", row.get("year", ""), p.year), ("month", row.get("month", ""), p.end)):
        stated_part = str(stated_part).strip()
        if stated_part and p.kind == "month" and not (stated_part.isdigit() and int(stated_part) == actual):
            errors.append(RowError(file, line, col, stated_part,
                                   f"与时期列“{raw_date}”不一致（应为 {actual}），请核对是哪一列有误"))
            return None
    try:
        value = parse_number(raw_value)
    except NumberError:
        errors.append(RowError(file, line, cols["value"], raw_value, "不是数字（inf、nan 等非有限值也不行），请更正该单元格"))
        return None
    if value is None:
        return None
    flags = ""
    if m.indicator in JAN_FEB_MERGED and p.in_merged_jan_feb():
        if p.end == 1:
            errors.append(RowError(file, line, cols["date"], raw_date,
                                   "2013年起1-2月合并发布，不应有1月数据（1-2月数据请放在2月），请核对"))
            return None
        if m.measure == "yoy":
            p, flags = Period.jan_feb(p.year), "1-2月合并"
    return p.code, value, flags

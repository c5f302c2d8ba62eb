"""Investing.com historical-data CSV: ``"Date","Price","Open","High","Low","Vol.","Change %"``.

Dates are MM/DD/YYYY, numbers use thousands separators ("72,500.00"), ``Change %`` ends in "%". Each
numeric column becomes a raw daily series named ``<instrument>:<column>`` (source ``investing``); the
instrument is the file name without " Historical Data". Columns without any value (Vol.) are skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pandas as pd

from yacang.catalog.series_ids import raw_series_id
from yacang.ingest.batch import OBSERVATION_COLUMNS, Batch, RowError
from yacang.ingest.encoding import read_text
from yacang.ingest.errors import IngestError
from yacang.ingest.numbers import NumberError, parse_number
from yacang.ingest.validate import make_batch, series_row

FORMAT = "investing"
SOURCE = "investing"
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def looks_like_investing(header: list[str]) -> bool:
    cols = [c.strip().strip('"').lstrip("\ufeff") for c in header]
    return bool(cols) and cols[0] == "Date" and "Price" in cols


def parse_investing(path: Path | str, *, encoding: str = "auto") -> Batch:
    path = Path(path)
    text, _ = read_text(path, encoding)
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not looks_like_investing(rows[0]):
        raise IngestError(f"{path.name}：不是 Investing.com 历史数据格式（首行应为 \"Date\",\"Price\",…）")
    header = [c.strip().lstrip("\ufeff") for c in rows[0]]
    instrument = re.sub(r"\s*Historical Data$", "", path.stem).strip()
    errors: list[RowError] = []
    dates = [_date(r[0] if r else "", i, path.name, errors) for i, r in enumerate(rows[1:], start=2)]
    series, obs = [], []
    for j, col in enumerate(header[1:], start=1):
        name = f"{instrument}:{col}"
        sid = raw_series_id(SOURCE, name)
        cells = _column(rows, j, col, dates, sid, path.name, errors)
        if cells:
            unit = "%" if col.endswith("%") else ""
            series.append(series_row(sid, None, name, source=SOURCE, unit=unit, frequency="D"))
            obs.extend(cells)
    frame = pd.DataFrame(obs, columns=OBSERVATION_COLUMNS)
    return make_batch(path, FORMAT, series, frame, errors, mapped=[], unmapped=[s["original_name"] for s in series],
                      notes=["Investing.com 日度数据，日期为 MM/DD/YYYY"])


def _date(text: str, line: int, file: str, errors: list[RowError]) -> dt.date | None:
    m = _DATE.match(text.strip())
    try:
        return dt.date(int(m.group(3)), int(m.group(1)), int(m.group(2))) if m else _bad()
    except ValueError:
        errors.append(RowError(file, line, "Date", text, "无法识别的日期（应为 MM/DD/YYYY），请更正"))
        return None


def _bad() -> dt.date:
    raise ValueError("not MM/DD/YYYY")


def _column(rows: list[list[str]], j: int, col: str, dates: list[dt.date | None], sid: str, file: str,
            errors: list[RowError]) -> list[tuple]:
    out = []
    for i, (row, day) in enumerate(zip(rows[1:], dates, strict=True), start=2):
        if day is None or j >= len(row):
            continue
        cell = row[j].strip().removesuffix("%")
        try:
            v = parse_number(cell)
        except NumberError:
            errors.append(RowError(file, i, col, row[j], "不是数字（缺失请留空），请更正"))
            continue
        if v is not None:
            out.append((sid, day.isoformat(), v, "", i, col))
    return out

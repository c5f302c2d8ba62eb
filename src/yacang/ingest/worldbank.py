"""World Bank Commodity Price Data ("Pink Sheet", CMO-Historical-Data-Monthly.xlsx).

Sheets *Monthly Prices* and *Monthly Indices*: a title block, then per column a name (possibly on one of
several header rows), a unit in parentheses, a code row (CRUDE_BRENT, iENERGY …) and rows dated
``1960M01``; "…" means not available. Series are kept as raw series (source ``worldbank``) with their
English name; the id hashes the World Bank's own code (stable, unlike the names' footnote marks), as the
tidy loader does for a catalog keyed by ``code``, so both give the same ids. Values are rounded to 6
decimals: the workbook stores single-precision artefacts (1.63000011444 for 1.63), as the World Bank's
CSV extracts do.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter

from yacang.catalog.series_ids import raw_series_id
from yacang.ingest.batch import OBSERVATION_COLUMNS, Batch, RowError
from yacang.ingest.grid import require_workbook
from yacang.ingest.numbers import NumberError, parse_number
from yacang.ingest.validate import make_batch, series_row
from yacang.periods import Period

FORMAT = "worldbank"
SOURCE = "worldbank"
DECIMALS = 6
_MONTH = re.compile(r"^(\d{4})M(\d{2})$")


def looks_like_worldbank(path: Path) -> bool:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[min(1, len(wb.worksheets) - 1)]
        first = next(ws.iter_rows(min_row=1, max_row=1, max_col=1, values_only=True), (None,))[0]
        return "World Bank Commodity Price Data" in str(first or "")
    finally:
        wb.close()


def parse_worldbank(path: Path | str) -> Batch:
    path = Path(path)
    require_workbook(path, FORMAT)
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    series, obs, errors, notes = [], [], [], []
    for ws in wb.worksheets:
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        start = next((i for i, r in enumerate(rows) if r and _MONTH.match(str(r[0] or ""))), None)
        if start is None or start < 2:
            notes.append(f"工作表“{ws.title}”没有按月（1960M01）排列的数据，已跳过")
            continue
        _sheet(path.name, ws.title, rows, start, series, obs, errors)
    wb.close()
    frame = pd.DataFrame(obs, columns=OBSERVATION_COLUMNS)
    names = [s["original_name"] for s in series]
    return make_batch(path, FORMAT, series, frame, errors, mapped=[], unmapped=names, notes=notes)


def _sheet(file: str, title: str, rows: list[list[object]], start: int, series: list, obs: list,
           errors: list[RowError]) -> None:
    codes = rows[start - 1]
    for j in range(1, len(codes)):
        if not codes[j] or not str(codes[j]).strip():
            continue
        name, unit = _header(rows, start - 1, j)
        sid = raw_series_id(SOURCE, str(codes[j]).strip())
        series.append(series_row(sid, None, name, source=SOURCE, unit=unit, frequency="M"))
        col = f"{title}!{get_column_letter(j + 1)}（{codes[j]}）"
        for i in range(start, len(rows)):
            m = _MONTH.match(str(rows[i][0] or "").strip())
            if not m or j >= len(rows[i]):
                continue
            try:
                v = parse_number(rows[i][j])
            except NumberError:
                errors.append(RowError(file, i + 1, col, str(rows[i][j]), "不是数字（缺失请写 … 或留空）"))
                continue
            if v is not None:
                obs.append((sid, Period.month(int(m.group(1)), int(m.group(2))).code, round(v, DECIMALS), "", i + 1, col))


def _header(rows: list[list[object]], code_row: int, j: int) -> tuple[str, str]:
    """Name (last text above the code row that is not a unit) and unit ``(...)`` of column ``j``."""
    name, unit = "", ""
    for i in range(4, code_row):
        text = str(rows[i][j]).strip() if j < len(rows[i]) and rows[i][j] is not None else ""
        if text.startswith("("):
            unit = text
        elif text:
            name = text
    return re.sub(r"\s+", " ", name), unit

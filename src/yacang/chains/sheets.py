"""Reading the chains area's XLSX forms: header row 1 in Chinese, one record a row, located cells."""

from __future__ import annotations

from pathlib import Path

from yacang.chains.errors import RowError, fail


def read_form(path: Path | str, columns: dict[str, str], required: tuple[str, ...], what: str
              ) -> list[tuple[int, dict[str, object]]]:
    """Rows of the first sheet as ``(row number, {field: value})``; missing headers are located errors."""
    p = Path(path)
    rows = sheet_rows(p, what)
    header = [str(h or "").strip() for h in (rows[0] if rows else [])]
    errors = [RowError(p.name, 1, c, "", f"缺少列“{c}”（表头应含 {'、'.join(columns)}）") for c in required
              if c not in header]
    fail(p.name, errors, what)
    idx = {columns[h]: i for i, h in enumerate(header) if h in columns}
    out = []
    for r, values in enumerate(rows[1:], start=2):
        rec = {k: (values[i] if i < len(values) else None) for k, i in idx.items()}
        if all(v is None or str(v).strip() == "" for v in rec.values()):
            continue
        out.append((r, rec))
    return out


def sheet_rows(path: Path, what: str) -> list[tuple]:
    """The first sheet's rows of an XLSX workbook; a missing, oversized, broken or non-Excel file is a
    located :class:`ChainError` (a text file named .xlsx, a .xls, a truncated zip), never a traceback."""
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    from yacang.ingest.limits import precheck

    if not path.is_file():
        raise FileNotFoundError(f"文件不存在：{path}")
    precheck(path)  # size, rows, zip-bomb caps; a broken workbook is an IngestError
    if not zipfile.is_zipfile(path):
        fail(path.name, [RowError(path.name, 0, "", "", "不是 Excel 工作簿（.xlsx）：请用 Excel 另存为 .xlsx 后导入")], what)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            return list(wb.worksheets[0].iter_rows(values_only=True))
        finally:
            wb.close()
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, IndexError, OSError) as exc:
        fail(path.name, [RowError(path.name, 0, "", "", f"无法读取工作簿（{exc}）：请用 Excel 另存为 .xlsx 后导入")], what)
        raise  # unreachable: fail raises


def text(v: object) -> str:
    return "" if v is None else str(v).strip()


def number(v: object) -> float | None:
    """A finite number (a ``%`` suffix divides by 100), or None."""
    import math

    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    try:
        s = str(v).strip().replace(",", "")
        x = float(s[:-1]) / 100 if s.endswith("%") else float(s)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def write_form(path: Path | str, headers: list[str], rows: list[list[object]], *, sheet: str = "Sheet1") -> Path:
    """A form with bold Chinese headers (templates and tests)."""
    import xlsxwriter

    from yacang.exports import write_xlsx_row

    p = Path(path)
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet(sheet)
    bold = wb.add_format({"bold": True})
    write_xlsx_row(ws, 0, headers, bold)
    for j, h in enumerate(headers):
        ws.set_column(j, j, max(12, len(h) * 2.2))
    for i, row in enumerate(rows, start=1):
        write_xlsx_row(ws, i, row)  # text stays text: a name like "=HYPERLINK(…)" never becomes a formula
    wb.close()
    return p

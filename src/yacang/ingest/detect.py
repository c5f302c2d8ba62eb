"""Which loader reads a file: by extension and a look at the first lines or cells."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from yacang.ingest.encoding import decode_bytes
from yacang.ingest.errors import IngestError

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
ZIP_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def check_readable(path: Path) -> None:
    """Refuse, with a Chinese message, an empty file or an .xlsx/.xlsm that is not a whole workbook
    (cut short by a download or a copy), before any reader opens it."""
    if not path.is_file():
        return
    if path.stat().st_size == 0:
        raise IngestError(f"{path.name}：文件为空（0 字节），未导入。请重新导出或重新下载后再导入")
    if path.suffix.lower() in ZIP_WORKBOOK_SUFFIXES and not zipfile.is_zipfile(path):
        raise IngestError(f"{path.name}：文件已损坏或不完整，不是有效的 Excel 工作簿（{path.suffix}），未导入。"
                          "请在 Wind/iFinD 或 Excel 中重新导出，或重新下载后再导入")


def detect_format(path: Path | str) -> str:
    """``nbs``, ``city_table``, ``wind``, ``worldbank``, ``panel``, ``tidy`` or ``investing`` of a file
    :func:`check_readable` has passed (``resolve_format`` checks first); raises a Chinese
    IngestError if unknown. NBS portal exports are recognised as CSV and as workbooks (XLS/XLSX)."""
    from yacang.ingest.city_table import looks_like_city_table
    from yacang.ingest.investing import looks_like_investing
    from yacang.ingest.nbs import looks_like_nbs, looks_like_nbs_workbook
    from yacang.ingest.panel import looks_like_panel
    from yacang.ingest.tidy import looks_like_tidy
    from yacang.ingest.worldbank import looks_like_worldbank

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"文件不存在：{path}")
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        if looks_like_nbs_workbook(path):
            return "nbs"
        if looks_like_city_table(path):
            return "city_table"
        if suffix == ".xls":
            raise IngestError(f"{path.name}：无法识别的 .xls 工作簿（支持国家统计局导出与分地区统计表；"
                              "Wind/iFinD 请另存为 .xlsx），或请用 --format 指定格式")
        return "worldbank" if looks_like_worldbank(path) else "wind"
    if suffix in (".csv", ".txt"):
        head = _head_text(path)
        if looks_like_nbs(head):
            return "nbs"
        header = next(csv.reader(io.StringIO(head)), [])
        if looks_like_investing(header):
            return "investing"
        if looks_like_tidy(header):
            return "tidy"
        if looks_like_panel(header):
            return "panel"
    raise IngestError(f"{path.name}：无法识别文件格式，请用 --format 指定"
                      "（nbs / city_table / panel / wind / tidy / investing / worldbank）")


def _head_text(path: Path, size: int = 8192) -> str:
    """The first bytes decoded; an encoding error of the whole file (located) is raised as is."""
    data = path.read_bytes()
    try:
        return decode_bytes(data[:size], path.name)[0]
    except (IngestError, UnicodeDecodeError):
        return decode_bytes(data, path.name)[0][:size]  # the cut may split a character; else raises

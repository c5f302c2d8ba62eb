"""Hostile and careless files, built in the test (nothing stored in the repository).

- :func:`empty_rows_xlsx`: a valid workbook whose sheet has millions of empty ``<row/>`` elements —
  a few hundred KB on disk (the finding: 240 KB, 2 million rows).
- :func:`huge_shared_string_xlsx`: a workbook whose ``sharedStrings.xml`` holds one string of 1 GiB,
  about 1 MB compressed.
- :func:`truncated`, :func:`renamed_csv_as_xlsx`: broken workbooks a careless user uploads.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook '
            'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="月报" sheetId="1" r:id="rId1"/></sheets></workbook>')
WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships '
           'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
           '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
           'Target="worksheets/sheet1.xml"/>'
           '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
           'Target="sharedStrings.xml"/></Relationships>')
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet '
              'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
              '<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
SHEET_TAIL = '</sheetData></worksheet>'


def _skeleton(z: zipfile.ZipFile) -> None:
    z.writestr("[Content_Types].xml", CONTENT_TYPES)
    z.writestr("_rels/.rels", RELS)
    z.writestr("xl/workbook.xml", WORKBOOK)
    z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)


def empty_rows_xlsx(path: Path, rows: int = 2_000_000) -> Path:
    """A workbook with ``rows`` empty rows after one header cell."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        _skeleton(z)
        z.writestr("xl/sharedStrings.xml", '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
                   'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>统一社会信用代码</t></si></sst>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(SHEET_HEAD.encode())
            block = b"<row/>" * 10_000  # the row number is optional in SpreadsheetML
            for done in range(0, rows, 10_000):
                f.write(block[: 6 * min(10_000, rows - done)])
            f.write(SHEET_TAIL.encode())
    return path


def huge_shared_string_xlsx(path: Path, gib: float = 1.0) -> Path:
    """A workbook whose single shared string is ``gib`` GiB of one letter."""
    total = int(gib * (1 << 30))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        _skeleton(z)
        z.writestr("xl/worksheets/sheet1.xml", SHEET_HEAD + SHEET_TAIL)
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                    b'count="1" uniqueCount="1"><si><t>')
            chunk = b"a" * (1 << 24)
            written = 0
            while written < total:
                f.write(chunk[: min(len(chunk), total - written)])
                written += min(len(chunk), total - written)
            f.write(b"</t></si></sst>")
    return path


def truncated(src: Path, dst: Path, keep: float = 0.5) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * keep)])
    return dst


def renamed_csv_as_xlsx(dst: Path) -> Path:
    dst.write_text("统一社会信用代码,报告期\n", encoding="utf-8")
    return dst


# hostile parsers for yacang.ingest.isolated (module-level, so a worker process can import them) ----
def allocating_parser(path: Path, gib: float = 4.0) -> bytes:
    """Writes its pid to ``path`` and then tries to hold ``gib`` GiB (a parser blown up by a file)."""
    import os

    path.write_text(str(os.getpid()))
    return b"x" * int(gib * (1 << 30))


def sleeping_parser(path: Path, seconds: float = 600.0) -> None:
    """Writes its pid to ``path`` and then never returns in time (a parser stuck on a file)."""
    import os
    import time

    path.write_text(str(os.getpid()))
    time.sleep(seconds)


def buggy_parser(path: Path) -> None:
    """A parser bug: not a located error, not a limit."""
    raise KeyError("no such column")

"""Server-side paging, filtering and XLSX export for the list pages (企业, 直报, 预警 …), so a page stays
small whatever the number of enterprises: the browser receives one page of rows, never the table."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from urllib.parse import urlencode

from fastapi.responses import Response

PAGE_SIZES = (20, 50, 100, 200)
EXPORT_CAP = 200_000  # rows in one XLSX export; more is refused with a message
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class TablePage:
    """One page of a filtered table, with what the pager and the filter form need."""

    rows: list[dict]
    total: int
    page: int
    size: int
    filters: dict[str, str] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def first(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * self.size + 1

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.size)

    def url(self, path: str, **change: object) -> str:
        """``path`` with the current filters and ``change`` applied (e.g. ``page=3``, ``format="xlsx"``)."""
        params = {k: v for k, v in {**self.filters, "size": self.size, "page": self.page, **change}.items()
                  if v not in (None, "")}
        return f"{path}?{urlencode(params)}"


def filter_region(st, who, text: str | None) -> str | None:
    """A list page's 地区 filter (code or name) as a code inside the caller's scope: 422 unknown, 403 outside."""
    from fastapi import HTTPException

    if not text:
        return None
    try:
        code = st.regions.resolve(text).code
    except LookupError as exc:
        raise HTTPException(422, str(exc)) from None
    if not who.scope.reads_region(code):
        raise HTTPException(403, "只能查看本账号地区范围内的数据")
    return code


PAGE_MAX = 1_000_000
"""The last page a listing serves (a page past the rows is empty; a larger number would overflow the
database's offset)."""


def paging(page: int | None, size: int | None) -> tuple[int, int]:
    """(page, size) within bounds: 1 ≤ page ≤ :data:`PAGE_MAX`, size one of :data:`PAGE_SIZES` (default 50)."""
    size = size if size in PAGE_SIZES else 50
    return min(PAGE_MAX, max(1, int(page or 1))), size


def xlsx_response(filename: str, columns: list[tuple[str, str]], rows: list[dict], title: str) -> Response:
    """An XLSX file of ``rows`` (``columns``: key, Chinese header), text neutralised against formulas."""
    import xlsxwriter

    from yacang.exports import write_xlsx_row

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    ws = book.add_worksheet(title[:31])
    head = book.add_format({"bold": True, "bg_color": "#f2f2f2", "border": 1})
    write_xlsx_row(ws, 0, [label for _, label in columns], head)
    for i, r in enumerate(rows, start=1):
        write_xlsx_row(ws, i, [r.get(k) for k, _ in columns])
    ws.freeze_panes(1, 0)
    ws.set_column(0, len(columns) - 1, 16)
    book.close()
    from urllib.parse import quote

    return Response(buf.getvalue(), media_type=XLSX, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}",
        "Cache-Control": "no-store"})

"""PDF bulletin through WeasyPrint: A4, Noto Serif/Sans CJK (fonts-noto-cjk), page numbers in the footer."""

from __future__ import annotations

import logging
from pathlib import Path

from yacang.report.model import Bulletin
from yacang.report.render_html import html_string


def render_pdf(b: Bulletin, path: Path, *, images: dict[str, str] | None = None) -> Path:
    """``path`` written whole (laid out to a ``.part`` file beside it, then renamed)."""
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # unknown CSS (e.g. flex gaps) is harmless
    html = html_string(b, static=True, images=images)
    part = path.with_name(path.name + ".part")  # whole or not at all: a stopped layout leaves no cut PDF
    try:
        HTML(string=html, base_url=str(path.parent)).write_pdf(part)
        part.replace(path)
    finally:
        part.unlink(missing_ok=True)
    return path

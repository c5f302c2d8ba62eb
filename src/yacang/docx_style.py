"""公文 (GB/T 9704-2012) type for every DOCX the project writes (bulletin, 一链一策, 评分表 notices): the
official faces, their fonts-noto-cjk alternates, and the run/paragraph helpers that set them."""

from __future__ import annotations

from docx.enum.text import WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
KAI_FONT = "楷体_GB2312"
TABLE_FONT = "宋体"
FALLBACK = {TITLE_FONT: "Noto Serif CJK SC", HEADING_FONT: "Noto Sans CJK SC", BODY_FONT: "Noto Serif CJK SC",
            KAI_FONT: "Noto Serif CJK SC", TABLE_FONT: "Noto Serif CJK SC"}
RED = RGBColor(0xC0, 0x00, 0x00)


def set_font(run, east_asia: str, size: float, *, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = "Times New Roman"
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    if color is not None:
        run.font.color.rgb = color


def add_paragraph(doc, text: str, font: str, size: float, *, bold: bool = False, align=None, indent: bool = False,
          color: RGBColor | None = None, space_after: float = 0, line=None):
    """One paragraph in one font; ``line`` an exact line pitch (default 1.6 × size, at least)."""
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    pf = p.paragraph_format
    pf.space_after = Pt(space_after)
    pf.space_before = Pt(0)
    if line is not None:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = line
    else:
        pf.line_spacing = Pt(size * 1.6)
    if indent:
        pf.first_line_indent = Pt(size * 2)
    set_font(p.add_run(text), font, size, bold=bold, color=color)
    return p

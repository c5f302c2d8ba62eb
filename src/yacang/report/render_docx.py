"""DOCX bulletin in 公文 style (GB/T 9704 layout, approximated with python-docx).

Red 版头 and rule, title in 方正小标宋简体 (二号), headings in 黑体 (三号), body in 仿宋_GB2312 (三号 is
usual; 四号 here to fit tables), page numbers "— N —" in the footer, 附件 list at the end. The
official faces are set as East Asian fonts; the document's font table names Noto Serif/Sans CJK as
their alternates (``w:altName``), so viewers without the official fonts fall back to fonts-noto-cjk.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from yacang.report import charts as ch
from yacang.report.format import format_cell, is_numeric, light_color
from yacang.report.model import Bulletin, Table
from yacang.report.render_html import date_zh

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
TABLE_FONT = "宋体"
FALLBACK = {TITLE_FONT: "Noto Serif CJK SC", HEADING_FONT: "Noto Sans CJK SC", BODY_FONT: "Noto Serif CJK SC",
            TABLE_FONT: "Noto Serif CJK SC"}
RED = RGBColor(0xC0, 0x00, 0x00)


def _font(run, east_asia: str, size: float, *, bold: bool = False, color: RGBColor | None = None) -> None:
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


def _para(doc, text: str, font: str, size: float, *, bold: bool = False, align=None, indent: bool = False,
          color: RGBColor | None = None, space_after: float = 0):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    pf = p.paragraph_format
    pf.space_after = Pt(space_after)
    pf.space_before = Pt(0)
    pf.line_spacing = Pt(size * 1.6)
    if indent:
        pf.first_line_indent = Pt(size * 2)
    _font(p.add_run(text), font, size, bold=bold, color=color)
    return p


def _font_alternates(doc) -> None:
    """Declare Noto CJK as the alternate of each official face in word/fontTable.xml."""
    from lxml import etree

    part = next((p for p in doc.part.package.iter_parts() if p.partname.endswith("fontTable.xml")), None)
    if part is None:
        return
    root = etree.fromstring(part.blob)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for name, alt in FALLBACK.items():
        font = etree.SubElement(root, f"{{{w}}}font")
        font.set(f"{{{w}}}name", name)
        alt_el = etree.SubElement(font, f"{{{w}}}altName")
        alt_el.set(f"{{{w}}}val", alt)
        charset = etree.SubElement(font, f"{{{w}}}charset")
        charset.set(f"{{{w}}}val", "86")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number_footer(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("— "), TABLE_FONT, 14)
    run = p.add_run()
    _font(run, TABLE_FONT, 14)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    _font(p.add_run(" —"), TABLE_FONT, 14)


def _shade(cell, color: str) -> None:
    tcpr = cell._element.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), color)
    tcpr.append(shd)


def _table(doc, t: Table, number: int | None = None) -> None:
    cap = f"表{number}  {t.title}" if number else t.title
    _para(doc, cap, HEADING_FONT, 11, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=2)
    table = doc.add_table(rows=1, cols=len(t.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, c in zip(table.rows[0].cells, t.columns, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(c.header), HEADING_FONT, 9, bold=True)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _shade(cell, "EEF1F5")
    # repeat the header row on every page
    trpr = table.rows[0]._tr.get_or_add_trPr()
    hdr = OxmlElement("w:tblHeader")
    hdr.set(qn("w:val"), "true")
    trpr.append(hdr)
    for row in t.rows:
        cells = table.add_row().cells
        for cell, c in zip(cells, t.columns, strict=True):
            v = row.get(c.key)
            p = cell.paragraphs[0]
            if c.fmt == "light" and light_color(v):
                color = light_color(v).lstrip("#")  # type: ignore[union-attr]
                _font(p.add_run("● "), TABLE_FONT, 9, color=RGBColor.from_string(color.upper()))
            _font(p.add_run(format_cell(v, c)), TABLE_FONT, 9)
            if is_numeric(c):
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for n in t.notes:
        _para(doc, "注：" + n, BODY_FONT, 9, space_after=2)
    doc.add_paragraph()


def render_docx(b: Bulletin, path: Path) -> Path:
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    _font_alternates(doc)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    _page_number_footer(sec)

    _para(doc, "工业经济运行监测通报", TITLE_FONT, 30, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    p = _para(doc, f"{b.doc_number}    {b.issuer}    {date_zh(b.issue_date)}", BODY_FONT, 12,
              align=WD_ALIGN_PARAGRAPH.CENTER)
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("val", "single"), ("sz", "18"), ("space", "4"), ("color", "C00000")):
        bottom.set(qn(f"w:{k}"), v)
    bdr.append(bottom)
    ppr.append(bdr)
    doc.add_paragraph()
    _para(doc, b.title, TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)

    n_table = 0
    with tempfile.TemporaryDirectory() as tmp:
        for s in b.sections:
            _para(doc, s.heading, HEADING_FONT, 16, space_after=4)
            for text in s.paragraphs:
                _para(doc, text, BODY_FONT, 14, indent=True)
            for c in s.charts:
                png = ch.render_png(c, Path(tmp) / f"{c.id}.png")
                doc.add_picture(str(png), width=Mm(150))
                doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
                if c.caption:
                    _para(doc, c.caption, BODY_FONT, 9, align=WD_ALIGN_PARAGRAPH.CENTER)
            for t in s.tables:
                n_table += 1
                _table(doc, t, n_table)
            for n in s.notes:
                _para(doc, "注：" + n, BODY_FONT, 10.5)
    if b.sources:
        _para(doc, "数据来源：" + "；".join(b.sources), BODY_FONT, 10.5)
    doc.add_paragraph()
    _para(doc, "附件：" + ("" if b.attachments() else "无"), BODY_FONT, 14, indent=True)
    for i, a in enumerate(b.attachments(), 1):
        _para(doc, f"{i}. {a}", BODY_FONT, 14, indent=True)
    doc.add_paragraph()
    _para(doc, b.issuer, BODY_FONT, 14, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, date_zh(b.issue_date), BODY_FONT, 14, align=WD_ALIGN_PARAGRAPH.RIGHT)
    for t in b.appendix_only():
        doc.add_page_break()
        _para(doc, f"附表{b.all_tables().index(t) + 1}：{t.title}", HEADING_FONT, 16, space_after=4)
        _table(doc, t)
    doc.core_properties.title = b.title
    doc.core_properties.author = b.issuer
    doc.save(str(path))
    return path

"""DOCX bulletin as a 公文 by GB/T 9704-2012 (python-docx).

Page: A4, 版心 156 × 225 mm (天头 37, 下 35, 订口 28, 翻口 26 mm), a document grid of 22 lines of 28
characters (the standard's 每面22行、每行28字 at 三号), page numbers "— N —" in 四号 半角 宋体 on the
outer side (odd pages right, even pages left, one character in). 版头: red 发文机关标志, 发文字号
(with 签发人 when set), red separator; title 二号 小标宋; 主送机关; body 三号 仿宋, 一级标题 三号 黑体,
二级标题 三号 楷体 (a paragraph opening with "（一）" has its heading sentence in 楷体); tables keep
their titles (keep-with-next, rows never split, short tables kept whole); 附件说明, then the 落款
(发文机关署名 and 成文日期 placed as 9704 §7.3.5.2 says), then the 附件 pages, then the 版记 (抄送,
印发机关 and 印发日期 between rules).

The official faces (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312) are named as East Asian fonts; the
font table gives fonts-noto-cjk alternates (``w:altName``): 小标宋/仿宋/楷体 → Noto Serif CJK SC,
黑体 → Noto Sans CJK SC, since Debian ships no 仿宋 or 楷体 face.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from yacang.docx_style import (
    BODY_FONT,
    FALLBACK,
    HEADING_FONT,
    KAI_FONT,
    RED,
    TABLE_FONT,
    TITLE_FONT,
)
from yacang.docx_style import add_paragraph as _para
from yacang.docx_style import set_font as _font
from yacang.formatting import date_zh
from yacang.report import charts as ch
from yacang.report.format import format_cell, is_numeric, light_color
from yacang.report.model import Bulletin, Table
from yacang.report.render_html import KEEP_ROWS, signature_indents, subheading_split, text_width

# GB/T 9704-2012 sizes (pt): 二号 22, 三号 16, 四号 14
SIZE_TITLE, SIZE_BODY, SIZE_PAGE_NO = 22.0, 16.0, 14.0
LINES, CHARS = 22, 28  # 每面22行，每行28字
TEXT_W_MM, TEXT_H_MM = 156, 225
LINE_PITCH = int(TEXT_H_MM / 25.4 * 72 * 20 / LINES)  # twips per line, rounded down so 22 fit: 579 = 28.95 pt
LINE = Pt(LINE_PITCH / 20)
CHAR_PITCH_PT = TEXT_W_MM / 25.4 * 72 / CHARS  # 15.79 pt per character
CHAR_SPACING = -5  # twips: 16 pt − 0.25 pt = 15.75 pt pitch, 28 × 15.75 ≤ 442.2 pt (the 版心 width)


def _tight(run) -> None:
    """Character spacing that fits 28 三号 characters in the 156 mm line."""
    sp = OxmlElement("w:spacing")
    sp.set(qn("w:val"), str(CHAR_SPACING))
    run._element.get_or_add_rPr().append(sp)


def _body(doc, text: str, font: str = BODY_FONT, *, indent: bool = True, align=None):
    """A 三号 paragraph on the page grid (22 lines of 28 characters)."""
    p = _para(doc, text, font, SIZE_BODY, indent=indent, align=align, line=LINE)
    _tight(p.runs[0])
    return p


def _blank(doc, n: int = 1) -> None:
    for _ in range(n):
        _body(doc, "", indent=False)


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


def _page_number(footer, side: str) -> None:
    """"— N —" in 四号 半角 宋体, one character in from the outer edge."""
    p = footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if side == "right" else WD_ALIGN_PARAGRAPH.LEFT
    if side == "right":
        p.paragraph_format.right_indent = Pt(SIZE_PAGE_NO)
    else:
        p.paragraph_format.left_indent = Pt(SIZE_PAGE_NO)
    _font(p.add_run("— "), TABLE_FONT, SIZE_PAGE_NO)
    run = p.add_run()
    _font(run, TABLE_FONT, SIZE_PAGE_NO)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    _font(p.add_run(" —"), TABLE_FONT, SIZE_PAGE_NO)


def _page_setup(doc) -> None:
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    sec.footer_distance = Mm(24)  # the page number's rule sits about 7 mm below the 版心
    grid = sec._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sec._sectPr.append(grid)
    grid.set(qn("w:linePitch"), str(LINE_PITCH))  # no snapping (tables keep their own rows): body
    # paragraphs carry the exact 28.95 pt pitch and a -0.25 pt character spacing (28 characters a line)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(sec.footer, "right")
    _page_number(sec.even_page_footer, "left")


def _rule(p, edge: str, color: str, size_eighths: int, space: int = 1) -> None:
    ppr = p._p.get_or_add_pPr()
    bdr = ppr.find(qn("w:pBdr"))
    if bdr is None:
        bdr = OxmlElement("w:pBdr")
        ppr.append(bdr)
    el = OxmlElement(f"w:{edge}")
    for k, v in (("val", "single"), ("sz", str(size_eighths)), ("space", str(space)), ("color", color)):
        el.set(qn(f"w:{k}"), v)
    bdr.append(el)


def _head(doc, b: Bulletin) -> None:
    """版头: 发文机关标志 (red, 35 mm below the 版心 top), 发文字号 / 签发人, red separator."""
    size = min(36.0, 440 / max(text_width(b.issuer), 1))  # fits the 版心 width
    p = _para(doc, b.issuer, TITLE_FONT, size, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    p.paragraph_format.space_before = Mm(35)
    _blank(doc, 2)
    if b.signer:
        p = _body(doc, b.doc_number, indent=False)
        p.paragraph_format.left_indent = Pt(SIZE_BODY)
        p.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_W_MM) - Pt(SIZE_BODY), alignment=2)  # right tab
        _font(p.add_run("\t签发人："), BODY_FONT, SIZE_BODY)
        _font(p.add_run(b.signer), KAI_FONT, SIZE_BODY)
    else:
        p = _body(doc, b.doc_number, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    _rule(p, "bottom", "C00000", 6, space=11)  # red rule, 4 mm below the 文号, as wide as the 版心
    _blank(doc, 2)


def _body_paragraph(doc, text: str) -> None:
    head, rest = subheading_split(text)
    if not head:
        _body(doc, text)
        return
    p = _body(doc, "")
    p.runs[0]._element.getparent().remove(p.runs[0]._element)
    _font(p.add_run(head), KAI_FONT, SIZE_BODY)
    _tight(p.runs[-1])
    if rest:
        _font(p.add_run(rest), BODY_FONT, SIZE_BODY)
        _tight(p.runs[-1])


def _shade(cell, color: str) -> None:
    tcpr = cell._element.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), color)
    tcpr.append(shd)


def _cell_text(p, text: str, font: str, size: float, *, bold: bool = False, keep: bool = False) -> None:
    pf = p.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.space_after = Pt(0)
    pf.keep_with_next = keep
    _font(p.add_run(text), font, size, bold=bold)


def _table(doc, t: Table, number: int | None = None, *, caption: bool = True) -> None:
    """A table under its title: the title keeps with the table, no row splits, short tables kept whole."""
    if caption:
        cap = f"表{number}  {t.title}" if number else t.title
        p = _para(doc, cap, HEADING_FONT, 12, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=2)
        p.paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=len(t.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    keep_whole = len(t.rows) <= KEEP_ROWS
    for cell, c in zip(table.rows[0].cells, t.columns, strict=True):
        cell.text = ""
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _cell_text(cell.paragraphs[0], c.header, HEADING_FONT, 9, bold=True, keep=True)
        _shade(cell, "EEF1F5")
    trpr = table.rows[0]._tr.get_or_add_trPr()
    hdr = OxmlElement("w:tblHeader")  # repeat the header row on every page
    hdr.set(qn("w:val"), "true")
    trpr.append(hdr)
    for i, row in enumerate(t.rows):
        tr = table.add_row()
        cant = OxmlElement("w:cantSplit")
        cant.set(qn("w:val"), "true")
        tr._tr.get_or_add_trPr().append(cant)
        keep = keep_whole and i < len(t.rows) - 1
        for cell, c in zip(tr.cells, t.columns, strict=True):
            v = row.get(c.key)
            p = cell.paragraphs[0]
            if c.fmt == "light" and light_color(v):
                color = light_color(v).lstrip("#")  # type: ignore[union-attr]
                _font(p.add_run("● "), TABLE_FONT, 9, color=RGBColor.from_string(color.upper()))
            _cell_text(p, format_cell(v, c), TABLE_FONT, 9, keep=keep)
            if is_numeric(c):
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for n in t.notes:
        _para(doc, "注：" + n, BODY_FONT, 10.5, space_after=2)


def _attachment_note(doc, b: Bulletin) -> None:
    """附件说明: 正文下空一行左空二字 "附件：1.名称", further names aligned under the first."""
    items = b.attachments()
    if not items:
        return
    _blank(doc)
    for i, a in enumerate(items, 1):
        p = _body(doc, (f"附件：{i}." if i == 1 else f"{i}.") + a, indent=False)
        p.paragraph_format.left_indent = Pt(SIZE_BODY * 5)  # wrapped lines under the first name
        p.paragraph_format.first_line_indent = Pt(SIZE_BODY * (-3 if i == 1 else 0))  # "附件：" 左空二字


def _signature(doc, b: Bulletin) -> None:
    """落款 without a seal (9704 §7.3.5.2): 署名 右空二字; the date one line below, its first character
    two characters right of the 署名's (or 右空二字 when the date is the longer, the 署名 moved left)."""
    date = date_zh(b.issue_date)
    right_issuer, right_date = signature_indents(b.issuer, date)
    _blank(doc)
    for text, right in ((b.issuer, right_issuer), (date, right_date)):
        p = _body(doc, text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.right_indent = Pt(SIZE_BODY * right)
        p.paragraph_format.keep_with_next = text == b.issuer


def _record(doc, b: Bulletin) -> None:
    """版记: 抄送 and 印发机关/印发日期 in 四号 仿宋 between rules (thick outside, thin between)."""
    p = doc.add_paragraph()
    p.paragraph_format.keep_with_next = True
    date = f"{date_zh(b.issue_date)}印发"
    rows = ([f"抄送：{b.cc}。"] if b.cc else []) + [None]
    for i, text in enumerate(rows):
        if text is None:
            q = _para(doc, b.issuer, BODY_FONT, 14, line=LINE)
            q.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_W_MM) - Pt(14), alignment=2)
            _font(q.add_run("\t" + date), BODY_FONT, 14)
        else:
            q = _para(doc, text, BODY_FONT, 14, line=LINE)
        q.paragraph_format.left_indent = Pt(14)
        q.paragraph_format.right_indent = Pt(14)
        if i == 0:
            _rule(q, "top", "000000", 8)
        _rule(q, "bottom", "000000", 8 if text is None else 4)
        q.paragraph_format.keep_with_next = text is not None


def render_docx(b: Bulletin, path: Path, *, pngs: dict[str, bytes] | None = None) -> Path:
    """The bulletin as a 公文 DOCX; ``pngs``: the charts already drawn (:func:`~yacang.report.charts.png_images`)."""
    pngs = pngs if pngs is not None else ch.png_images(b.all_charts())
    doc = Document()
    _page_setup(doc)
    _font_alternates(doc)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(SIZE_BODY)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    _head(doc, b)
    _para(doc, b.title, TITLE_FONT, SIZE_TITLE, align=WD_ALIGN_PARAGRAPH.CENTER, line=LINE)
    _blank(doc)
    if b.recipients:
        _body(doc, b.recipients.rstrip("：:") + "：", indent=False)

    n_table = 0
    for s in b.sections:
        h = _body(doc, s.heading, HEADING_FONT)
        h.paragraph_format.keep_with_next = True
        for text in s.paragraphs:
            _body_paragraph(doc, text)
        for c in s.charts:
            doc.add_picture(io.BytesIO(pngs[c.id]), width=Mm(150))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            doc.paragraphs[-1].paragraph_format.keep_with_next = bool(c.caption)
            if c.caption:
                _para(doc, c.caption, BODY_FONT, 10.5, align=WD_ALIGN_PARAGRAPH.CENTER)
        for t in s.tables:
            n_table += 1
            _table(doc, t, n_table)
        for n in s.notes:
            _para(doc, "注：" + n, BODY_FONT, 12, line=Pt(20))
    if b.sources:
        _para(doc, "数据来源：" + "；".join(b.sources), BODY_FONT, 12, line=Pt(20))
    _attachment_note(doc, b)
    _signature(doc, b)
    for t in b.appendix_only():
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        n = b.all_tables().index(t) + 1
        _body(doc, f"附件{n}", HEADING_FONT, indent=False)
        _blank(doc)
        p = _para(doc, f"附表{n}：{t.title}", TITLE_FONT, 18, align=WD_ALIGN_PARAGRAPH.CENTER, line=LINE)
        p.paragraph_format.keep_with_next = True
        _table(doc, t, caption=False)
    _record(doc, b)
    doc.core_properties.title = b.title
    doc.core_properties.author = b.issuer
    doc.save(str(path))
    return path

"""公文 check (GB/T 9704-2012) of the bulletin from the real national series: DOCX read back with
python-docx (fonts and sizes per element, page setup, 附件说明 before the 落款, 成文日期 as configured),
PDF with pdffonts/pdftotext (CJK fonts embedded, order, tables on the page of their titles).

Expected values are the standard's, typed here: A4 210 × 297 mm; margins 37/35/28/26 mm; 二号 = 22 pt,
三号 = 16 pt, 四号 = 14 pt; 22 lines in 225 mm → 28.95 pt (579 twips).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata

import pytest
from docx.shared import Pt

from .wind_batch import national_batch

ISSUER = "测试省工业和信息化厅"  # 10 characters
CONFIG = {"issuer": ISSUER, "doc_number": "工运监〔{year}〕{seq}号", "signer": "王五", "issue_date": "2022-04-18",
          "recipients": "各市（州）工业和信息化主管部门", "cc": "省统计局，省发展改革委"}
SUBHEAD = "（一）加强运行调度。"


@pytest.fixture(scope="module")
def bulletin(shared_data):
    from yacang.job_config import BulletinConfig
    from yacang.report.bulletin import build_bulletin
    from yacang.report.issue import apply_meta, resolve_meta
    from yacang.warehouse import Warehouse

    w = Warehouse.memory()
    w.write_batch(national_batch(shared_data))
    b = build_bulletin(w, "2022-03")
    w.close()
    apply_meta(b, resolve_meta(BulletinConfig(**CONFIG)))
    b.sections[-1].paragraphs.append(SUBHEAD + "密切跟踪重点行业运行。")
    return b


@pytest.fixture(scope="module")
def files(bulletin, tmp_path_factory):
    from yacang.report.bulletin import write_bulletin

    out = tmp_path_factory.mktemp("gongwen")
    pdf, docx_path = write_bulletin(bulletin, out, ["pdf", "docx"])
    return pdf, docx_path


def _fonts(run) -> tuple[str | None, float | None]:
    from docx.oxml.ns import qn

    rfonts = run._element.rPr.find(qn("w:rFonts"))
    return rfonts.get(qn("w:eastAsia")), run.font.size.pt if run.font.size else None


def _para(doc, text: str, *, start: bool = False):
    hits = [p for p in doc.paragraphs if (p.text.startswith(text) if start else p.text == text)]
    assert hits, f"paragraph {text!r} not found"
    return hits[0]


def test_meta_as_configured(bulletin):
    assert bulletin.issuer == ISSUER and bulletin.signer == "王五"
    assert bulletin.doc_number == "工运监〔2022〕1号"  # pattern, year of the 成文日期, first of the year
    assert str(bulletin.issue_date) == "2022-04-18"


def test_docx_page_setup(files):
    import docx
    from docx.oxml.ns import qn

    d = docx.Document(str(files[1]))
    s = d.sections[0]
    def mm(*xs):  # stored in twips: compare to 0.1 mm
        return tuple(round(x.mm, 1) for x in xs)

    assert mm(s.page_width, s.page_height) == (210, 297)
    assert mm(s.top_margin, s.bottom_margin, s.left_margin, s.right_margin) == (37, 35, 28, 26)
    assert s._sectPr.find(qn("w:docGrid")).get(qn("w:linePitch")) == "579"
    assert 22 * 28.95 <= 225 / 25.4 * 72 < 23 * 28.95  # 22 lines fill the 版心
    assert d.settings.odd_and_even_pages_header_footer
    odd, even = s.footer.paragraphs[0], s.even_page_footer.paragraphs[0]
    assert odd.text.startswith("— ") and odd.text.endswith(" —") and "PAGE" in odd._p.xml
    assert odd.alignment == 2 and even.alignment == 0  # outside: odd right, even left
    assert odd.paragraph_format.right_indent == Pt(14) and even.paragraph_format.left_indent == Pt(14)
    assert all(_fonts(r) == ("宋体", 14.0) for r in odd.runs if r.text.strip())


def test_docx_fonts_per_element(files, bulletin):
    import docx
    from docx.enum.text import WD_LINE_SPACING

    d = docx.Document(str(files[1]))
    mark = d.paragraphs[0]  # 发文机关标志: red 小标宋
    assert mark.text == ISSUER and mark.runs[0].font.color.rgb == docx.shared.RGBColor(0xC0, 0, 0)
    assert _fonts(mark.runs[0])[0] == "方正小标宋简体"
    number = _para(d, "工运监〔2022〕1号", start=True)
    assert "C00000" in number._p.xml and "w:bottom" in number._p.xml  # red separator under the 文号
    signer = [r for r in number.runs if r.text == "王五"]
    assert signer and _fonts(signer[0]) == ("楷体_GB2312", 16.0)
    assert _fonts(_para(d, bulletin.title).runs[0]) == ("方正小标宋简体", 22.0)  # 二号小标宋
    assert _para(d, "各市（州）工业和信息化主管部门：").paragraph_format.first_line_indent in (None, 0)
    assert _fonts(_para(d, "一、总体情况").runs[0]) == ("黑体", 16.0)  # 一级标题 三号黑体
    body = _para(d, "1-3月，全国规模以上工业增加值同比增长6.5%", start=True)
    assert _fonts(body.runs[0]) == ("仿宋_GB2312", 16.0)  # 三号仿宋
    pf = body.paragraph_format
    assert pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY and pf.line_spacing == Pt(28.95)
    assert pf.first_line_indent == Pt(32)  # 左空二字
    sub = _para(d, SUBHEAD, start=True)
    assert sub.runs[0].text == SUBHEAD and _fonts(sub.runs[0]) == ("楷体_GB2312", 16.0)  # 二级标题 三号楷体
    assert _fonts(sub.runs[1]) == ("仿宋_GB2312", 16.0)
    att = _para(d, "附件：1.", start=True)
    assert _fonts(att.runs[0]) == ("仿宋_GB2312", 16.0)
    # "附件：" 左空二字 (5 − 3 characters); wrapped lines and further names aligned under the first name
    assert (att.paragraph_format.left_indent, att.paragraph_format.first_line_indent) == (Pt(80), Pt(-48))
    paras = d.paragraphs
    i = [p.text for p in paras].index("2022年4月18日")  # 成文日期 as configured, Arabic numerals, no padding
    sig, date = paras[i - 1], paras[i]
    assert sig.text == ISSUER
    for p in (sig, date):
        assert p.alignment == 2 and _fonts(p.runs[0]) == ("仿宋_GB2312", 16.0)
    # 署名 右空二字; date 6.5 characters wide starts two characters right of the 署名 (10 wide): 3.5
    assert sig.paragraph_format.right_indent == Pt(32) and date.paragraph_format.right_indent == Pt(56)


def test_docx_order_and_tables(files, bulletin):
    import docx
    from docx.oxml.ns import qn

    d = docx.Document(str(files[1]))
    texts = [p.text for p in d.paragraphs]
    i_att, i_sig, i_date = texts.index(next(t for t in texts if t.startswith("附件：1."))), texts.index(ISSUER, 1), \
        texts.index("2022年4月18日")
    assert i_att < i_sig < i_date  # 附件说明 before the 落款
    n_att = len(bulletin.attachments())
    assert texts[i_att + n_att - 1].startswith(f"{n_att}.")
    record = [t for t in texts if t.startswith("抄送：")]
    assert record == ["抄送：省统计局，省发展改革委。"] and texts.index(record[0]) > i_date  # 版记 last
    assert any(t.startswith(ISSUER) and t.endswith("2022年4月18日印发") for t in texts[i_date + 1:])
    body = d.element.body
    tables = body.findall(qn("w:tbl"))
    assert len(tables) == len(bulletin.all_tables())
    for tbl in tables:
        prev = tbl.getprevious()
        assert prev.tag == qn("w:p") and prev.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
        rows = tbl.findall(qn("w:tr"))
        assert all(r.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for r in rows[1:])
    ftable = next(p for p in d.part.package.iter_parts() if p.partname.endswith("fontTable.xml")).blob.decode()
    assert re.search(r'w:name="仿宋_GB2312".*?w:altName w:val="Noto Serif CJK SC"', ftable, re.S)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_fonts_order_and_tables(files, bulletin):
    pdf = str(files[0])
    fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout
    embedded = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:] if " yes " in line}
    assert {"Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC"} <= embedded
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout
    assert text.index("附件：1.") < text.index("2022年4月18日") < text.index("2022年4月18日印发")
    assert text.index(ISSUER, text.index("附件：1.")) < text.index("2022年4月18日")
    assert re.search(r"—\s*1\s*—", text) and re.search(r"—\s*2\s*—", text)
    pages = text.split("\f")
    # 28 characters a line (full-width 1, half-width ½): page 1's body lines, none wider, some full
    first = pages[0][pages[0].index("一、总体情况"):].split("\n\n")[0].splitlines()[1:]
    widths = [sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in line) for line in first]
    assert len(widths) >= 4 and max(widths) <= 28 and max(widths) >= 27.5, list(zip(widths, first, strict=True))
    for t in [t for s in bulletin.sections for t in s.tables]:
        c = t.columns[0]
        first = next(str(r[c.key]) for r in t.rows if r.get(c.key) not in (None, ""))
        page = next(i for i, p in enumerate(pages) if t.title in p.replace("\n", ""))
        after = pages[page].replace("\n", "")
        assert first in after[after.index(t.title):], f"表“{t.title}”的首行不在标题所在页"

"""一链一策 report: HTML content from stored data, and a one-page PDF whose text is Chinese."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from tests.chains.conftest import U
from yacang.chains.members import import_members
from yacang.chains.report import write_report
from yacang.chains.sheets import write_form
from yacang.chains.shocks import Scenario, run_scenario


@pytest.mark.slow
def test_report_html_and_one_page_pdf(chain_wh, tmp_path):
    head = ["产业链代码", "环节代码", "统一社会信用代码", "角色"]
    import_members(chain_wh, write_form(tmp_path / "m.xlsx", head, [["nev", "vehicle", U["E5"], "链主"]]))
    run_scenario(chain_wh, Scenario("region", dt.date(2022, 4, 1), 10, 14, region="310000"))
    paths = write_report(chain_wh, "nev", tmp_path / "out", formats=("html", "pdf", "docx"))
    html = paths[0].read_text("utf-8")
    assert "一链一策：新能源汽车产业链" in html and "数据来源：企业月报与申报" in html
    # 链主 E5: 2022-03 产值 9300 万元, 上年同期 9300 → 增长0.0%
    assert "宁波新能源汽车有限公司" in html and "增长0.0%" in html and "9,300.0" in html
    # 单一来源: E1 → E6 60.0% / 0.0% / 0.0 days; E1 → E3 50.0% / 20.0% / 3.0 (both 外省: 上海 → 安徽/江苏)
    assert html.index("合肥汽车零部件有限公司") < html.index("苏州电控有限公司")
    assert "60.0%" in html and "50.0%" in html
    # the stored scenario's nev rows (E1, E3, E6, E5): 1040 + 148 + 187.2 + 127.2 = 1,502.4 万元
    assert "1,502.4" in html
    if shutil.which("pdfinfo") is None:
        pytest.fail("poppler-utils (pdfinfo, pdftotext) not installed")
    info = subprocess.run(["pdfinfo", str(paths[1])], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info
    text = subprocess.run(["pdftotext", str(paths[1]), "-"], capture_output=True, text=True, check=True).stdout
    assert "一链一策：新能源汽车产业链" in text and "单一来源依赖" in text
    # DOCX: the same figures (read back with python-docx)
    from docx import Document

    doc = Document(str(paths[2]))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "一链一策：新能源汽车产业链" in text and "宁波新能源汽车有限公司" in cells and "增长0.0%" in cells
    assert "1,502.4" in cells and "新能源整车" in cells


def test_leaders_read_with_region_and_segment_names(chain_wh, tmp_path, yacang_home, monkeypatch):
    """链主 E5 (宁波 330212, 2022-03): the terminal and the report name its region and segment and say the month
    as officials write it — the terminal printed 'vehicle', '330212', '2022-03' before."""
    from typer.testing import CliRunner

    from yacang.chains.brief import brief, region_label
    from yacang.chains.report import context
    from yacang.cli import app

    head = ["产业链代码", "环节代码", "统一社会信用代码", "角色"]
    import_members(chain_wh, write_form(tmp_path / "m.xlsx", head, [["nev", "vehicle", U["E5"], "链主"]]))
    # county codes are not in the built-in list (provinces only): the province with the code
    assert region_label("330212") == "浙江省（330212）" and region_label("990101") == "990101"
    row = context(brief(chain_wh, "nev"))["leaders"][0]
    assert (row["segment_name"], row["region"], row["period_label"]) == ("新能源整车", "浙江省（330212）", "2022年3月")
    from yacang.cli.common import console

    monkeypatch.setattr("yacang.cli.chains.open_warehouse", lambda: _Shared(chain_wh))
    monkeypatch.setattr(console, "_width", 220)  # restored to None (width from COLUMNS) after
    out = CliRunner().invoke(app, ["chains", "show", "新能源汽车"]).output
    line = next(x for x in out.splitlines() if "宁波新能源汽车有限公司" in x)
    assert "新能源整车" in line and "浙江省（330212）" in line and "2022年3月" in line and "增长0.0%" in line
    assert "vehicle" not in line


class _Shared:
    """The test's warehouse as ``open_warehouse()`` returns it (a context manager the CLI does not close)."""

    def __init__(self, wh):
        self.wh = wh

    def __enter__(self):
        return self.wh

    def __exit__(self, *exc):
        return False


def test_segment_diagram_keeps_long_labels_inside_their_boxes():
    """动力电池's 电池包（PACK）与电池管理系统（3841、3824） is wider than its 170 px box: squeezed to the box
    (textLength) instead of running under the arrows; short labels keep their natural width; the right column
    leaves room for its hook."""
    import re

    from yacang.chains.brief import segment_svg
    from yacang.chains.maps import shipped_chains

    svg = segment_svg(next(c for c in shipped_chains() if c.code == "battery"))
    texts = dict((t, a) for a, t in re.findall(r"<text ([^>]*)>([^<]*)</text>", svg))
    assert 'textLength="160"' in texts["电池包（PACK）与电池管理系统（3841、3824）"]
    assert "textLength" not in texts["电芯（3841）"]
    xs = [int(x) for x in re.findall(r'<rect x="(\d+)" y="\d+" width="170"', svg)]
    assert max(xs) + 170 + 18 <= 680

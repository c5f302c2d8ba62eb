"""Bulletin: narrative phrases, national bulletin from the real series (read back), the four formats."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from yacang.periods import parse_period
from yacang.report import narrative as nv

from .fixtures import FixtureSource, guangdong_input
from .wind_batch import national_batch, wind_value


def test_phrases_by_hand():
    assert nv.fmt1(6.45) == "6.5" and nv.fmt1(-0.04) == "0.0" and nv.fmt1(2.675) == "2.7"
    assert nv.growth(-1.25) == "下降1.3%"
    assert nv.pp_change(6.5, 7.5, "1-2月") == "比1-2月回落1.0个百分点"
    assert nv.pp_change(-2.0, -2.3, "上月") == "降幅比上月收窄0.3个百分点"
    assert nv.pp_change(8.3, 8.8, "上月", price=True) == "涨幅比上月回落0.5个百分点"
    assert nv.compare_to(6.5, 6.3, "全国") == "高于全国0.2个百分点"
    assert nv.rank_phrase(5, 7, "全国", "1-2月") == "居全国第5位，比1-2月提升2位"
    assert nv.previous_month_ref(parse_period("2022-03")) == "1-2月份"
    assert nv.previous_month_ref(parse_period("2022-04")) == "上月"


@pytest.fixture(scope="module")
def national(shared_data, tmp_path_factory):
    from yacang.report.bulletin import build_bulletin
    from yacang.warehouse import Warehouse

    w = Warehouse.memory()
    w.write_batch(national_batch(shared_data))
    yield build_bulletin(w, "2022-03")
    w.close()


def test_national_2022_03_reads_back(national, shared_data):
    text = national.text()
    m = re.search(r"1-3月，全国规模以上工业增加值同比增长(\d+\.\d)%，比1-2月回落(\d+\.\d)个百分点；"
                  r"3月份增长(\d+\.\d)%，比1-2月份回落(\d+\.\d)个百分点", text)
    assert m, text[:300]
    ytd, ytd_feb = wind_value(shared_data, "IVA022", "2022-03"), wind_value(shared_data, "IVA022", "2022-02")
    mon, mon_feb = wind_value(shared_data, "IVA002", "2022-03"), wind_value(shared_data, "IVA002", "2022-02")
    assert (ytd, mon) == (6.5, 5.0)
    assert float(m[1]) == ytd and float(m[3]) == mon
    assert float(m[2]) == round(ytd_feb - ytd, 1) and float(m[4]) == round(mon_feb - mon, 1)
    ppi = re.search(r"PPI）同比上涨(\d+\.\d)%", text)
    assert float(ppi[1]) == wind_value(shared_data, "PPI001", "2022-03")
    pmi = re.search(r"PMI）为(\d+\.\d)%，比上月下降(\d+\.\d)个百分点", text)
    pmi_now, pmi_feb = wind_value(shared_data, "PMI001", "2022-03"), wind_value(shared_data, "PMI001", "2022-02")
    assert float(pmi[1]) == pmi_now and float(pmi[2]) == round(pmi_feb - pmi_now, 1)
    ht = re.search(r"1-3月，高技术制造业增加值同比增长(\d+\.\d)%，高于全国规模以上工业(\d+\.\d)个百分点", text)
    assert float(ht[1]) == wind_value(shared_data, "IVA026", "2022-03")
    assert float(ht[2]) == round(float(ht[1]) - ytd, 1)
    assert "两年平均" not in text  # NBS printed 两年平均 only in 2021 (against the distorted 2020)


def test_four_formats(national, tmp_path, shared_data, yacang_home):
    from yacang.report.bulletin import write_bulletin
    from yacang.report.charts import import_boundaries

    import_boundaries(shared_data / "china_province_geojson" / "china_provinces_datav_100000_full.geojson")
    paths = write_bulletin(national, tmp_path, ["html", "pdf", "docx", "xlsx"])
    html, pdf, docx_path, xlsx = paths
    h = html.read_text("utf-8")
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']https?://", h)
    assert "同比增长6.5%" in h
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "CJK" in fonts and " yes " in fonts
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert int(re.search(r"Pages:\s+(\d+)", info)[1]) >= 3
    import docx

    d = docx.Document(str(docx_path))
    assert any("同比增长6.5%" in p.text for p in d.paragraphs)
    import openpyxl

    wb = openpyxl.load_workbook(xlsx)
    assert wb["附表1"].freeze_panes == "A3"


def test_xlsx_neutralises_formulas(tmp_path):
    import openpyxl

    from yacang.report.regional import compose
    from yacang.report.render_xlsx import render_xlsx

    b = compose(guangdong_input())
    render_xlsx(b, tmp_path / "x.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "x.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    assert any(str(c.value).startswith("'=HYPERLINK") for c in cells)


def test_regional_fixture_ranking_and_map_fallback(yacang_home):
    from yacang.report.bulletin import build_bulletin

    b = build_bulletin(None, "2022-03", "440000", source=FixtureSource())
    assert "高于全国0.2个百分点，居全国第17位，比1-2月提升3位" in b.text()
    assert "湛江市：" in b.text()
    from yacang.report.charts import echarts_option

    opt, geo = echarts_option(next(c for c in b.all_charts() if c.kind == "map"))
    assert geo is None and "未导入边界数据" in opt["title"]["subtext"]


@pytest.mark.slow
def test_docx_converts_with_libreoffice(national, tmp_path):
    lo = shutil.which("libreoffice") or shutil.which("soffice")
    if lo is None:
        pytest.skip("libreoffice not installed (apt-get install libreoffice-writer-nogui)")
    from yacang.report.bulletin import write_bulletin

    (docx_path,) = write_bulletin(national, tmp_path, ["docx"])
    subprocess.run([lo, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx_path)],
                   check=True, capture_output=True, timeout=180)
    assert docx_path.with_suffix(".pdf").stat().st_size > 10_000


def test_lights_and_short_states_stay_on_one_line():
    """The ranking table's 信号灯 ("● 绿灯") and 目标进度 ("严重滞后") cells never wrap; region names may."""
    from yacang.report.model import Column, Table
    from yacang.report.render_html import table_html

    t = Table("rank", "各省（区、市）", [Column("name", "地区"), Column("light", "信号灯", fmt="light"),
                                      Column("state", "目标进度")],
              [{"name": "宁夏回族自治区", "light": "green", "state": "严重滞后"}])
    html = str(table_html(t))
    assert "<td>宁夏回族自治区</td>" in html
    assert html.count('<td class="short">') == 2 and "严重滞后</td>" in html


def test_a_material_whose_data_stopped_is_not_called_normal():
    from yacang.report.inputs import MaterialRow
    from yacang.report.regional import compose

    inp = guangdong_input()
    inp.materials = [MaterialRow("动力煤", "stopped", note="数据已停更，无法评估2024-06-30的等级"),
                     MaterialRow("铜", "none"), MaterialRow("尿素", "yellow")]
    tables = [t for s in compose(inp).sections for t in s.tables if t.id == "materials"]
    levels = {r["material"]: r["level"] for r in tables[0].rows}
    assert levels == {"动力煤": "数据停更", "铜": "正常", "尿素": "黄色"}


def test_a_price_without_a_stated_unit_says_so():
    """Mysteel's and iFinD's indices state no unit: the 价格单位 cell said nothing (焦煤, 水泥, 平板玻璃)."""
    from yacang.report.inputs import MaterialRow
    from yacang.report.regional import compose

    inp = guangdong_input()
    inp.materials = [MaterialRow("水泥", "none", price=142.3), MaterialRow("铜", "blue", price=75520.0, unit="元/吨"),
                     MaterialRow("动力煤", "stopped")]
    rows = next(t for s in compose(inp).sections for t in s.tables if t.id == "materials").rows
    assert {r["material"]: r["unit"] for r in rows} == {"水泥": "未注明", "铜": "元/吨", "动力煤": ""}


def test_material_level_words_for_the_table_and_the_run_summary() -> None:
    """One wording of a 红黄蓝 row's level (the bulletin table, its sentence and `yacang run`'s summary,
    which once printed the code "stopped")."""
    from yacang.report.regional import material_level_zh

    assert [material_level_zh(x) for x in ("red", "yellow", "blue", "stopped", "none", "")] == [
        "红色", "黄色", "蓝色", "数据停更", "正常", "正常"]


def test_a_trend_without_monthly_figures_draws_no_empty_line():
    """A province that publishes 累计 only (江苏 in the province panel) had a 当月同比 legend entry and no line."""
    from yacang.report.regional import compose

    inp = guangdong_input()
    inp.region.history = [("21年12月", None, 9.0), ("22年1-2月", None, 6.1), ("22年3月", None, 6.5)]
    trend = next(c for s in compose(inp).sections for c in s.charts if c.id == "trend")
    assert [(s["name"], s["kind"], s["values"]) for s in trend.data["series"]] == [("累计同比", "ytd", [9.0, 6.1, 6.5])]
    assert [s["name"] for s in next(c for s in compose(guangdong_input()).sections for c in s.charts
                                if c.id == "trend").data["series"]] == ["当月同比", "累计同比"]


def test_the_web_lights_chart_makes_room_for_its_longest_name():
    """规上工业增加值当月同比 was cut at the chart's left edge (a fixed 120 px margin)."""
    from yacang.report.charts import echarts_option
    from yacang.report.model import Chart

    chart = Chart("lights", "全国景气预警信号灯", "lights",
                  {"rows": [{"name": "规上工业增加值当月同比", "lights": ["green"]}], "columns": ["12月"]})
    option, _ = echarts_option(chart)
    assert option["grid"]["containLabel"] is True

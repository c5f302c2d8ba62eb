"""Every printed number right: 效益 against the published Wind values, 两年平均 by NBS practice, sections
without data left out with a note, section 五 (red alerts in the text, the rest in an 附表), target lights,
no "-0.0" and no "下拉0.0个百分点". Reference values are read from the shared CSVs or typed by hand."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest

from yacang.periods import parse_period

from .fixtures import guangdong_input
from .wind_batch import WIND, national_batch, wind_value


def half_up(x: float) -> str:
    """One decimal, 四舍五入 on the decimal text (independent of yacang.formatting)."""
    return str(Decimal(str(x)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@pytest.fixture(scope="module")
def wind_wh(shared_data):
    from yacang.warehouse import Warehouse

    w = Warehouse.memory()
    w.write_batch(national_batch(shared_data))
    yield w
    w.close()


def test_efficiency_2022_12_equals_wind_finance(wind_wh, shared_data, tmp_path):
    from yacang.report.bulletin import build_bulletin, write_bulletin

    fin = pd.read_csv(shared_data / WIND / "industrial_enterprise_finance_monthly.csv", dtype={"date": str})
    ref = fin[fin.date == "2022-12"].set_index("series_id")["value"]
    revenue, revenue_yoy = ref["FIN001"], ref["FIN038"]
    profit, profit_yoy, margin = ref["FIN002"], ref["FIN040"], ref["FIN059"]
    assert profit_yoy < 0  # 2022: profits fell (NBS: 下降4.0%)
    b = build_bulletin(wind_wh, "2022-12")
    text = b.text()
    m = re.search(r"1-12月，全国规模以上工业企业实现营业收入(\d+\.\d)亿元，同比增长(\d+\.\d)%；"
                  r"实现利润总额(\d+\.\d)亿元，同比下降(\d+\.\d)%；营业收入利润率为(\d+\.\d)%", text)
    assert m, text
    assert m.groups() == (half_up(revenue), half_up(revenue_yoy), half_up(profit), half_up(-profit_yoy),
                          half_up(margin))
    rows = {r["name"]: r for r in next(t for t in b.all_tables() if t.id == "efficiency").rows}
    assert rows["利润总额"]["value"] == profit and rows["利润总额"]["yoy"] == profit_yoy
    assert rows["营业收入利润率"]["value"] == margin
    import openpyxl

    (xlsx,) = write_bulletin(b, tmp_path, ["xlsx"])
    wb = openpyxl.load_workbook(xlsx)
    sheet = next(ws for ws in wb.worksheets if str(ws["A1"].value).endswith("工业企业效益与出口"))
    cells = {ws_row[0].value: ws_row for ws_row in sheet.iter_rows(min_row=3) if ws_row[0].value}
    assert cells["利润总额"][3].value == float(half_up(profit))  # a rounded number, not text, not the full float
    assert cells["利润总额"][4].value == float(half_up(profit_yoy))
    assert isinstance(cells["营业收入利润率"][3].value, float)


def test_sections_without_data_left_out_with_a_note(wind_wh):
    from yacang.report.bulletin import build_bulletin

    b = build_bulletin(wind_wh, "2022-12")
    text = b.text()
    assert "通报未列投资情况" in text and "通报未列比重情况" in text
    assert "工业投资" not in text.replace("工业投资、制造业投资数据", "")
    assert not any(t.id in ("investment", "structure") for t in b.all_tables())


def test_two_year_average_printed_as_nbs_did(wind_wh, shared_data, yacang_home):
    from yacang.report.national import national_input
    from yacang.report.regional import compose

    b21 = compose(national_input(wind_wh, parse_period("2021-03")))
    g21, g20 = wind_value(shared_data, "IVA002", "2021-03"), wind_value(shared_data, "IVA002", "2020-03")
    by_hand = (((1 + g21 / 100) * (1 + g20 / 100)) ** 0.5 - 1) * 100
    assert f"3月份两年平均增长{half_up(by_hand)}%" in b21.text()
    inp = national_input(wind_wh, parse_period("2022-03"))
    assert "两年平均" not in compose(inp).text()
    inp.two_year_base_years = (2021,)  # configurable: a province that treats 2021 as distorted
    assert "两年平均" in compose(inp).text()
    inp.two_year_base_years = None
    Path("yacang.toml").write_text("[report]\ntwo_year_base_years = [2020, 2021]\n", encoding="utf-8")
    assert "两年平均" in compose(inp).text()  # from yacang.toml


def test_section_five_red_in_text_rest_in_appendix(tmp_path):
    from yacang.report.regional import compose
    from yacang.report.render_html import html_string

    b = compose(guangdong_input())
    sec = next(s for s in b.sections if s.title == "预警提示")
    body = "\n".join(sec.paragraphs)
    assert "本期共有3条预警处于触发状态（红色1条、黄色2条），涉及2个地区" in body
    assert "湛江市：增速低于目标：累计增速低于年度目标3.9个百分点。" in body
    assert "减产面扩大" not in body and "当月增速连续回落" not in body  # yellow: in the 附表 only
    assert "其余2条黄色预警按地区、规则分组列于附表" in body
    (app,) = b.appendix_only()
    assert [(r["region"], r["rule"]) for r in app.rows] == [
        ("湛江市", "增速低于目标"), ("湛江市", "当月增速连续回落"), ("阳江市", "减产面扩大")]
    n = len(b.all_tables())  # the alert list is the last 附表, numbered as in the 附件 list
    assert b.attachments()[-1] == f"附表{n}：触发中的预警（按地区、规则分组）"
    assert f"附表{n}：触发中的预警" in html_string(b, static=True, images={c.id: "" for c in b.all_charts()})


def test_no_empty_promise_without_alerts():
    from yacang.report.inputs import BulletinInput, RegionFigures
    from yacang.report.regional import compose

    inp = BulletinInput(period=parse_period("2022-03"), region=RegionFigures(
        code="100000", name="全国", scope="全国", ytd=6.5, ytd_prev=7.5, month=5.0, month_prev=7.5))
    b = compose(inp)
    assert "以下为" not in b.text()
    assert "预警提示" not in [s.title for s in b.sections] or any(
        s.paragraphs for s in b.sections if s.title == "预警提示")
    # 5.0 against 7.5: a fall of 2.5 points is a hint worth printing
    assert "依据主要指标，提示如下：当月增速比1-2月份回落2.5个百分点，需关注生产回落" in b.text()
    inp.month_prev = None
    inp.region.month_prev = None
    b = compose(inp)
    assert "预警提示" not in [s.title for s in b.sections]
    assert "通报未列预警提示" in b.text()


def test_no_minus_zero_no_zero_pull_and_ytd_labelled():
    from yacang.report.inputs import IndustryRow
    from yacang.report.regional import compose

    inp = guangdong_input(parse_period("2022-12"))
    inp.divisions.append(IndustryRow("17", "纺织业", -0.04, -0.02, 0.3, pull=-0.04))
    b = compose(inp)
    text = b.text()
    assert "-0.0" not in text and "下拉0.0" not in text and "拉动0.0" not in text
    # the 累计 pulls are introduced with their 累计 period, never right after a 12月份 sentence
    assert "1-12月，拉动作用较大的行业有计算机、通信和其他电子设备制造业累计增长8.2%、拉动全省增长2.3个百分点" in text
    assert "下拉作用较大的行业有汽车制造业累计下降4.6%、下拉0.5个百分点" in text
    from yacang.report.format import format_cell

    col = next(t for t in b.all_tables() if t.id == "industries").column("ytd")
    assert format_cell(-0.04, col) == "0.0"


def test_target_light_same_in_table_text_and_rule(wind_wh):
    from yacang.measures.targets import target_light
    from yacang.report.national import national_input
    from yacang.report.regional import compose

    # 2022 1-12月 3.6 against a target of 9.1: 5.5 points behind → 严重滞后, red (never yellow)
    inp = national_input(wind_wh, parse_period("2022-12"), target=9.1)
    assert (inp.region.target_light, inp.region.target_state) == ("red", "严重滞后")
    assert target_light(inp.region.ytd, 9.1) == ("far_behind", "严重滞后", "red")
    assert "（红灯：严重滞后）" in compose(inp).text()
    gd = guangdong_input()
    gd.subregions[0].target_state = "严重滞后"
    b = compose(gd)
    row = next(r for r in next(t for t in b.all_tables() if t.id == "regions").rows if r["name"] == "广州市")
    assert row["state"] == "严重滞后"


def test_many_alerts_are_summarised_by_rule_so_the_section_stays_short():
    """Past 10 reds the text names the regions per rule; past 25 alerts the 附表 has one row per rule and
    level (the one-by-one list stays on the 预警 page and its export)."""
    from yacang.report.inputs import AlertRow
    from yacang.report.regional import compose

    inp = guangdong_input()
    cities = [("440100", "广州市"), ("440300", "深圳市"), ("440400", "珠海市"), ("440500", "汕头市"),
              ("440600", "佛山市"), ("440700", "江门市"), ("440800", "湛江市"), ("440900", "茂名市"),
              ("441200", "肇庆市"), ("441300", "惠州市"), ("441400", "梅州市"), ("441500", "汕尾市")]
    inp.alerts = [AlertRow(code, name, "当月工业负增长", "red", f"{name}当月下降") for code, name in cities]
    inp.alerts += [AlertRow(code, name, "减产面扩大", "yellow", f"{name}减产面扩大") for code, name in cities]
    inp.alerts += [AlertRow(code, name, "亏损面扩大", "yellow", f"{name}亏损面扩大") for code, name in cities[:6]]
    b = compose(inp)
    body = "\n".join(next(s for s in b.sections if s.title == "预警提示").paragraphs)
    assert "本期共有30条预警处于触发状态（红色12条、黄色18条）" in body
    assert "当月工业负增长（12个）：广州市、深圳市" in body and "广州市当月下降" not in body
    assert "全部30条预警按规则、级别汇总列于附表" in body
    (app,) = b.appendix_only()
    assert [(r["rule"], r["severity"], r["n"]) for r in app.rows] == [
        ("当月工业负增长", "红色", 12), ("亏损面扩大", "黄色", 6), ("减产面扩大", "黄色", 12)]


def test_provinces_publishing_only_the_month_are_named_not_ranked(shared_data):
    """The shared panel has 累计 for 25 provinces and 当月 only for six: the national bulletin ranks the 25
    and names the six with their 当月 figure (北京 2022-06 read from the CSV here, independently)."""
    import pandas as pd

    from yacang.report.regional import compose
    from yacang.warehouse import Warehouse
    from yacang.warehouse.load import load_file

    panel = shared_data / "province_industry_monthly_wind" / "province_iva_yoy_monthly_2015_2024.csv"
    wh = Warehouse.memory()
    load_file(wh, shared_data / "nbs_official_export_iva_ppi" / "original_reconstructed" / "98年-26年2月规上工业增加值增长速度.csv")
    load_file(wh, panel)
    from yacang.report.national import national_input

    b = compose(national_input(wh, parse_period("2022-06")))
    table = next(t for t in b.all_tables() if t.id == "regions")
    assert len(table.rows) == 25
    note = next(n for n in table.notes if "只公布当月增速" in n)
    for name in ("北京", "天津", "河北", "辽宁", "江西", "青海"):
        assert name in note and name not in {r["name"] for r in table.rows}
    df = pd.read_csv(panel)
    v = df[(df["province"] == "北京") & (df["year"] == 2022) & (df["month"] == 6)]
    assert list(v["measure"]) == ["month_yoy"]
    value = float(v["value_pct"].iloc[0])  # −25.4 in the Wind export
    assert f"北京6月份同比{'下降' if value < 0 else '增长'}{abs(value):.1f}%" in note

"""What the bulletin's 红黄蓝 table says about a material whose data stopped before the period."""

from __future__ import annotations

import pandas as pd
import pytest

from yacang.alerts.materials import assess
from yacang.jobs.bulletin_inputs import material_rows_of
from yacang.periods import parse_period


def _daily(values: list[float], start: str = "2020-01-01") -> pd.Series:
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq="D"), dtype=float)


def test_a_stopped_price_is_no_warning_of_a_later_period() -> None:
    # 甲: 400 flat days from 2020-01-01, then +12% (单次涨幅 ≥ 10% → 黄) on 2021-02-04; last quote 2021-02-06
    spike = assess(price=_daily([100.0] * 400 + [112.0] * 3), code="a", name="甲")
    live = assess(price=_daily([100.0] * 600), code="b", name="乙")  # to 2021-08-22, flat
    for a, sid in ((spike, "x"), (live, "y")):
        a.frame.attrs["series"] = {"price": sid}  # as assess_warehouse records which series it read
    prices = {"a": (_daily([100.0] * 400 + [112.0] * 3), "元/吨"), "b": (_daily([100.0] * 600), "元/吨")}
    feb = {r.material: r for r in material_rows_of([spike, live], parse_period("2021-02"), prices)}
    # 2021-02-28: 22 days after the last quote (a daily series stands 45 days), the 黄 held by the hysteresis
    assert feb["甲"].level == "yellow" and "2021年2月4日曾达+12.0%" in feb["甲"].note
    assert feb["甲"].price == 112.0 and feb["甲"].unit == "元/吨"
    # 较常态偏离 on its last quote (2021-02-06): 112 against the mean of the 365 days to it
    # (362 days at 100 and 3 at 112) = 112 / 100.0986… − 1
    assert feb["甲"].change == pytest.approx((112 / ((362 * 100 + 3 * 112) / 365) - 1) * 100)
    assert feb["乙"].level == "none"
    may = {r.material: r for r in material_rows_of([spike, live], parse_period("2021-05"), prices)}
    # 2021-05-31: 114 days after the last quote: no level, the note says the data stopped and what it was
    assert may["甲"].level == "stopped" and may["甲"].price is None  # 数据停更 in the bulletin, not 正常
    assert may["乙"].price == 100.0 and may["乙"].change == pytest.approx(0.0)
    assert may["甲"].note.startswith("数据已停更，无法评估2021年5月31日的等级（停更时为")
    assert may["乙"].level == "none" and not may["乙"].note.startswith("数据已停更")
    # a period before any data: the material is left out
    assert material_rows_of([spike], parse_period("2019-06")) == []


def test_a_stopped_price_of_a_material_still_read_is_not_printed() -> None:
    """乙's assessment runs to 2021-08-22, but the price series the bulletin prints ended 2021-01-01 (a
    daily series stands 45 days): at 2021-05-31 its level stands, its price and 较常态偏离 are left out and
    the note says when the price stopped; at 2021-01-31 (30 days) the price is still printed."""
    live = assess(price=_daily([100.0] * 600), code="b", name="乙")
    live.frame.attrs["series"] = {"price": "y"}
    prices = {"b": (_daily([100.0] * 367), "元/吨")}  # 2020-01-01 … 2021-01-01
    may = material_rows_of([live], parse_period("2021-05"), prices)[0]
    assert may.level == "none" and may.price is None and may.change is None and may.unit == ""  # no unit of no price
    assert "价格数据至2021年1月1日已停更，不列价格" in may.note
    jan = material_rows_of([live], parse_period("2021-01"), prices)[0]
    assert jan.price == 100.0 and "停更" not in jan.note


@pytest.fixture()
def national_wind(shared_data):
    from yacang.warehouse import Warehouse
    from yacang.warehouse.load import load_file

    wh = Warehouse.memory()
    for f in ("iva_monthly.csv", "ppi_ppirm_monthly.csv", "industrial_enterprise_finance_monthly.csv",
              "export_delivery_value_monthly.csv"):
        load_file(wh, shared_data / "national_industry_monthly_wind" / f)
    yield wh
    wh.close()


def test_lights_chart_has_one_1_2_months_column(national_wind) -> None:
    """From 2013 NBS releases 1-2月 jointly: six months to 2023-03 are five columns, January not its own."""
    from yacang.jobs.bulletin_inputs import light_rows

    rows, cols, problem = light_rows(national_wind, parse_period("2023-03"))
    assert cols == ["10月", "11月", "12月", "1-2月", "3月"]
    assert all(len(r.lights) == 5 for r in rows) and rows[-1].name == "综合" and problem is None
    _, cols_2012, _ = light_rows(national_wind, parse_period("2012-03"))  # before 2013: January and February apart
    assert cols_2012 == ["10月", "11月", "12月", "1月", "2月", "3月"]


def test_lights_that_cannot_be_computed_are_said_not_dropped(national_wind, yacang_home) -> None:
    """A broken critical-points file in the home folder (the documented override) made the bulletin silently
    lose its lights; the bulletin now says why. A warehouse with no light series has none and no note."""
    from yacang.jobs.bulletin_inputs import light_rows
    from yacang.warehouse import Warehouse

    yacang_home.mkdir(parents=True, exist_ok=True)
    (yacang_home / "lights_points.yaml").write_text("versions: [1, 2", encoding="utf-8")
    rows, cols, problem = light_rows(national_wind, parse_period("2023-03"))
    assert rows == [] and cols == []
    assert problem.startswith("景气预警信号灯未能计算") and "lights_points.yaml" in problem
    empty = Warehouse.memory()
    assert light_rows(empty, parse_period("2023-03")) == ([], [], None)
    from yacang.jobs.main_job import build_full_bulletin

    b = build_full_bulletin(national_wind, parse_period("2023-03"), "100000")
    assert problem in b.sections[0].notes and "信号灯" not in "".join(c.title for s in b.sections for c in s.charts)


def test_the_bulletin_knows_the_rules_were_run_for_its_period(national_wind, yacang_home, monkeypatch) -> None:
    """Rules run up to 2022-06 (as ``yacang run`` does): a bulletin built later (``report bulletin``, the web)
    of 2022-06 or before is told they were evaluated (so no alert means none fired, not "未接入预警规则引擎
    结果"); of 2022-09, not evaluated, it is not."""
    import yacang.report.bulletin as bulletin
    from yacang.alerts.evaluate import evaluate_alerts
    from yacang.jobs.main_job import build_full_bulletin

    seen: dict[str, bool] = {}
    real = bulletin.build_bulletin

    def spy(wh, period, region, **kw):
        seen[str(period)] = kw["alerts_evaluated"]
        return real(wh, period, region, **kw)

    monkeypatch.setattr(bulletin, "build_bulletin", spy)
    evaluate_alerts(national_wind, parse_period("2022-06"))
    for code in ("2022-03", "2022-06", "2022-09"):
        build_full_bulletin(national_wind, parse_period(code), "100000")
    assert list(seen.values()) == [True, True, False]


def test_a_bulletin_of_real_data_names_only_what_it_read(shared_data, yacang_home) -> None:
    """2014-06 from the NBS export with the Wind workbook's PMI beside it: the 数据来源 line names 国家统计局;
    no note speaks of the warehouse's other holdings (省统计局, 其他来源) the bulletin did not use."""
    from yacang.jobs.main_job import build_full_bulletin
    from yacang.warehouse import Warehouse
    from yacang.warehouse.load import load_file

    wh = Warehouse.memory()
    for f in sorted((shared_data / "nbs_official_export_iva_ppi" / "original_reconstructed").glob("*.csv")):
        load_file(wh, f)
    load_file(wh, shared_data / "province_industry_monthly_wind" / "province_iva_yoy_monthly_2015_2024.csv")
    b = build_full_bulletin(wh, parse_period("2014-06"), "100000")
    wh.close()
    said = b.text() + "".join(b.sources)
    assert "国家统计局" in "".join(b.sources)
    assert "省统计局" not in said and "其他来源" not in said and "示例数据" not in said

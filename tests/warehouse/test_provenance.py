"""warehouse.provenance: the data a warehouse holds, in the words officials read."""

from __future__ import annotations

import pandas as pd

from yacang.ingest.batch import Batch
from yacang.warehouse import Warehouse
from yacang.warehouse.load import load_file
from yacang.warehouse.provenance import provenance, reports_provenance

NBS = "nbs_official_export_iva_ppi/original_reconstructed/98年-26年2月规上工业增加值增长速度.csv"
PANEL = "province_industry_monthly_wind/province_iva_yoy_monthly_2015_2024.csv"


def demo_batch() -> Batch:
    series = pd.DataFrame([{"series_id": "demo:iva.ytd_yoy.100000.TOTAL", "indicator": "iva", "measure": "ytd_yoy",
                            "region": "100000", "industry": "TOTAL", "category": "", "frequency": "M", "unit": "%",
                            "source": "demo", "original_name": "示例", "jan_feb": ""}])
    obs = pd.DataFrame([{"series_id": "demo:iva.ytd_yoy.100000.TOTAL", "period": "2022-03", "value": 6.5, "flags": "",
                         "source_row": 1, "source_col": "x"}])
    return Batch("yacang demo", "demo", "0" * 64, series.astype("string"), obs)


def test_empty_demo_real_and_mixed(shared_data):
    wh = Warehouse.memory()
    assert provenance(wh).kinds == () and "没有数据" in provenance(wh).sentence()
    load_file(wh, shared_data / NBS)
    assert provenance(wh).kinds == ("国家统计局",) and provenance(wh).sentence() == "本期数据来源：国家统计局。"
    load_file(wh, shared_data / PANEL)  # Wind's copy of the provincial bureaus' figures
    p = provenance(wh)
    assert p.kinds == ("国家统计局", "省统计局") and p.words() == "国家统计局、省统计局（经Wind转载）"
    assert not p.is_demo and not p.is_mixed
    wh.write_batch(demo_batch())
    assert provenance(wh).is_mixed
    assert provenance(wh, regions={"110000"}).kinds == ("省统计局",)
    # what one analysis read: the NBS series alone, not the panel nor the demo beside it
    assert provenance(wh, series_ids=["nbs:iva.yoy.100000.TOTAL"]).kinds == ("国家统计局",)


def test_the_nbs_portals_province_tables_are_national_releases(shared_data):
    """分省年度数据 from NBS's portal is 国家统计局's release (it said 省统计局, like Wind's copies of the bureaus)."""
    wh = Warehouse.memory()
    load_file(wh, shared_data / "province_gdp_annual/original/AnnualbyProvince.xls")
    assert provenance(wh, regions={"440000"}).kinds == ("国家统计局",)
    load_file(wh, shared_data / PANEL)
    assert provenance(wh, regions={"440000"}).words() == "国家统计局、省统计局（经Wind转载）"


def test_demo_only_says_it_is_not_real():
    wh = Warehouse.memory()
    wh.write_batch(demo_batch())
    p = provenance(wh)
    assert p.is_demo and not p.is_mixed and "不是真实统计数据" in p.sentence()


def vendor_batch(indicator: str) -> Batch:
    sid = f"ifind:{indicator}.value.100000.TOTAL.x"
    series = pd.DataFrame([{"series_id": sid, "indicator": indicator, "measure": "value", "region": "100000",
                            "industry": "TOTAL", "category": "", "frequency": "W", "unit": "万平方米",
                            "source": "ifind", "original_name": "30大中城市:商品房成交面积", "jan_feb": ""}])
    obs = pd.DataFrame([{"series_id": sid, "period": "2022-03-04", "value": 321.0, "flags": "", "source_row": 2,
                         "source_col": "B"}])
    return Batch("经济数据库.xlsx", "ifind", "1" * 64, series.astype("string"), obs)


def test_a_vendor_series_that_maps_to_no_indicator_is_market_data_not_a_bureau_release():
    wh = Warehouse.memory()
    wh.write_batch(vendor_batch("raw"))  # 商品房成交: no catalog indicator
    p = provenance(wh)
    assert p.kinds == ("其他来源",) and p.words() == "其他来源（经同花顺iFinD转载）"
    wh = Warehouse.memory()
    wh.write_batch(vendor_batch("iva"))  # a mapped series is the bureau's figure, as the vendor carries it
    assert provenance(wh).words() == "国家统计局（经同花顺iFinD转载）"


def test_the_measures_data_are_the_reports_alone(shared_data):
    """Measures computed from the microdata say 企业月报 (or 示例数据), not every series the warehouse holds."""
    from tests.microdata import handbuilt

    wh = Warehouse.memory()
    assert reports_provenance(wh).kinds == ()
    load_file(wh, shared_data / NBS)
    handbuilt.build(wh)
    assert reports_provenance(wh).kinds == ("企业月报",) and "国家统计局" in provenance(wh).kinds

"""The bulletin's 数据来源 names every publisher whose data it shows, from what the data carry: the NBS
portal exports alone give 国家统计局 and nothing else; a 红黄蓝 row read from a World Bank or Wind series adds it."""

from __future__ import annotations

from yacang.report.bulletin import build_bulletin
from yacang.report.inputs import MaterialRow
from yacang.warehouse import Warehouse
from yacang.warehouse.load import load_file

NBS_DIR = "nbs_official_export_iva_ppi/original_reconstructed"
NATIONAL_WIND = "national_industry_monthly_wind/iva_monthly.csv"


def _nbs_only(shared_data) -> Warehouse:
    wh = Warehouse.memory()
    for f in sorted((shared_data / NBS_DIR).glob("*.csv")):  # the NBS data portal's own exports (PROVENANCE)
        load_file(wh, f)
    return wh


def test_nbs_exports_alone_name_only_the_bureau(shared_data):
    wh = _nbs_only(shared_data)
    try:
        b = build_bulletin(wh, "2022-03")
        assert b.sources == ["统计数据（同一指标优先取国家统计局发布数）：国家统计局"]
    finally:
        wh.close()


def test_a_material_price_from_the_world_bank_and_ifind_is_named(shared_data):
    wh = _nbs_only(shared_data)
    try:
        rows = [MaterialRow("铁矿石", "none", 101.2, "美元/干吨", 3.0, source="世界银行"),
                MaterialRow("螺纹钢（钢材）", "blue", 3500.0, "元/吨", 21.0, source="同花顺iFinD、Wind"),
                MaterialRow("铜", "none", 9000.0, "美元/吨", 1.0, source="世界银行"),
                MaterialRow("碳酸锂", "stopped", note="数据已停更", source="Investing.com")]  # shows no data
        b = build_bulletin(wh, "2022-03", materials=rows)
        assert b.sources[0] == "统计数据（同一指标优先取国家统计局发布数）：国家统计局"
        assert b.sources[1] == "大宗原材料价格、开工率和库存（红黄蓝预警）：世界银行、同花顺iFinD、Wind"
    finally:
        wh.close()


def test_figures_read_through_wind_say_so(shared_data):
    """Wind's copy of the national series (divisions, PPI by class) next to the NBS portal's totals: the NBS
    total is read from the bureau's export, the divisions from Wind's copy — both named."""
    wh = _nbs_only(shared_data)
    try:
        load_file(wh, shared_data / NATIONAL_WIND)
        b = build_bulletin(wh, "2022-03")
        assert b.sources[0].endswith("：国家统计局（部分经Wind转载）")
    finally:
        wh.close()

"""Values of a concept by region: the best series, extended back with the region's other series."""

from __future__ import annotations

from pathlib import Path

import pytest

from yacang.warehouse import Warehouse
from yacang.warehouse.load import load_file
from yacang.warehouse.queries import region_values

CITY_TABLE = Path(__file__).resolve().parents[1] / "fixtures/ingest/江苏_2024年1-9月_各设区市规上工业增加值.xlsx"
PANEL = "province_industry_monthly_wind/province_iva_yoy_monthly_2015_2024.csv"


@pytest.fixture()
def jiangsu(yacang_home, shared_data):
    from yacang.catalog.imports import import_regions

    import_regions(shared_data / "admin_divisions_gbt2260/codes_by_year_2010_2024.csv", year=2024)
    wh = Warehouse.memory()
    load_file(wh, CITY_TABLE)  # 江苏省统计局's table of 2024年1-9月 (preferred: the province's own)
    load_file(wh, shared_data / PANEL)  # Wind's copy, 2015–2024
    yield wh
    wh.close()


def test_one_month_of_the_city_table_over_nine_years_of_the_panel(jiangsu) -> None:
    ytd = region_values(jiangsu, "iva", "ytd_yoy", regions=["320000"]).set_index("period")["value"]
    # the panel's rows for 江苏 累计同比 (province_iva_yoy_monthly_2015_2024.csv): 2024-08 8.0; the city
    # table's 全省 1-9月 累计 7.9 (the province's own series is preferred where it has the period)
    assert ytd["2024-08"] == 8.0 and ytd["2024-09"] == 7.9
    assert ytd.index[0] == "2015-02" and len(ytd) > 100
    assert not ytd.index.duplicated().any()

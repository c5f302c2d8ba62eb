"""The national bulletin from the NBS data-portal exports alone (no Wind): PPI comes from its index."""

from __future__ import annotations

from yacang.periods import parse_period
from yacang.report.national import national_input
from yacang.warehouse import Warehouse
from yacang.warehouse.load import load_file

NBS_DIR = "nbs_official_export_iva_ppi/original_reconstructed"


def test_ppi_from_the_portal_index_when_no_growth_series_is_loaded(shared_data):
    wh = Warehouse.memory()
    try:
        for f in sorted((shared_data / NBS_DIR).glob("*.csv")):
            load_file(wh, f)
        prices = national_input(wh, parse_period("2022-03")).prices
        # NBS release of 2022-04-11: PPI 3月 同比上涨8.3%, 2月 8.8% (index 上年同月=100: 108.3, 108.8)
        assert prices is not None and (round(prices.ppi, 1), round(prices.ppi_prev, 1)) == (8.3, 8.8)
    finally:
        wh.close()

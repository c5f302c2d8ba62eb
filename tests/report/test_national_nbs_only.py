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


def test_the_key_table_note_states_only_what_its_rows_are(shared_data):
    from yacang.report.bulletin import build_bulletin

    wh = Warehouse.memory()
    try:
        for f in sorted((shared_data / NBS_DIR).glob("*.csv")):
            load_file(wh, f)
        b = build_bulletin(wh, "2022-03")
        key = next(t for s in b.sections for t in s.tables if t.id == "key")
        # rows: 工业增加值 (可比价) and PPI (当月 only: the portal export has no 累计 index); no PMI, no 现价 rows
        assert [r["name"] for r in key.rows] == ["规模以上工业增加值增速", "工业生产者出厂价格（PPI）涨幅"]
        assert key.notes == ["工业增加值增速按可比价格计算。"]
    finally:
        wh.close()

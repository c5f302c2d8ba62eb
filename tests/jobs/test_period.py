"""jobs.period: the month a bulletin reports on when the user says "latest"."""

from __future__ import annotations

from yacang.jobs.period import resolve_period
from yacang.warehouse import Warehouse
from yacang.warehouse.load import load_file

NBS = "nbs_official_export_iva_ppi/original_reconstructed/98年-26年2月规上工业增加值增长速度.csv"


def test_latest_of_the_nbs_export_is_the_merged_1_2_period(shared_data):
    wh = Warehouse.memory()
    load_file(wh, shared_data / NBS)  # ends with 2026年1-2月, its 累计 stored in the February cell
    latest = resolve_period(wh, "latest")
    assert (latest.code, latest.label_zh()) == ("2026-01/02", "2026年1-2月")


def test_latest_of_a_province_is_its_own_last_published_month(shared_data):
    """江苏's bulletin on "latest" reported 2026年1-2月, the nation's newest month, for which 江苏 has no figure;
    the province panel ends 2024年12月 (累计 for 江苏, 当月 only for 北京)."""
    wh = Warehouse.memory()
    load_file(wh, shared_data / NBS)
    load_file(wh, shared_data / "province_industry_monthly_wind/province_iva_yoy_monthly_2015_2024.csv")
    assert resolve_period(wh, "latest", "320000").code == "2024-12"
    assert resolve_period(wh, "latest", "110000").code == "2024-12"
    assert resolve_period(wh, "latest", "710000").code == "2026-01/02"  # no figure of its own: the nation's
    assert resolve_period(wh, "latest").code == "2026-01/02"

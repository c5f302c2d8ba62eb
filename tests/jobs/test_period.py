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

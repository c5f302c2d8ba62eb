"""A growth rate read from the warehouse: its own series, or NBS's index (上年同月=100) − 100 when only the
index is stored — as the NBS data portal exports PPI."""

from __future__ import annotations

import pytest

from yacang.alerts.lights import lights_from_warehouse
from yacang.analysis.data import series_from_warehouse
from yacang.warehouse import Warehouse
from yacang.warehouse.load import load_file

NBS_PPI = "nbs_official_export_iva_ppi/original_reconstructed/98年-26年2月工业生产者出厂价格指数.csv"
NBS_IVA = "nbs_official_export_iva_ppi/original_reconstructed/98年-26年2月规上工业增加值增长速度.csv"


@pytest.fixture(scope="module")
def nbs_only(shared_data):
    wh = Warehouse.memory()
    load_file(wh, shared_data / NBS_PPI)
    load_file(wh, shared_data / NBS_IVA)
    yield wh
    wh.close()


def test_the_rate_is_the_index_minus_100(nbs_only) -> None:
    assert nbs_only.find_series("ppi", "yoy") is None  # the portal has the index only
    ppi = nbs_only.rate_values("ppi", "yoy")
    # the export's row 工业生产者出厂价格指数(上年同月=100): 2025年12月 98.1, 2025年6月 96.4, 2026年2月 99.1
    assert ppi["2025-12"] == pytest.approx(-1.9) and ppi["2025-06"] == pytest.approx(-3.6)
    assert ppi["2026-02"] == pytest.approx(-0.9)
    assert nbs_only.rate_values("pmi", "yoy") is None


def test_a_stored_rate_is_read_as_it_is(nbs_only) -> None:
    iva = nbs_only.rate_values("iva", "yoy")
    assert iva.name == nbs_only.find_series("iva", "yoy")
    assert list(iva.items()) == list(nbs_only.values(iva.name).items())


def test_the_lights_and_the_nowcast_read_ppi_from_the_index(nbs_only) -> None:
    lights = lights_from_warehouse(nbs_only)
    assert "ppi_yoy" in [i.code for i in lights.indicators]
    values, label = series_from_warehouse(nbs_only, "ppi")
    assert label == "PPI当月同比" and float(values["2025-12"]) == pytest.approx(-1.9)

"""The division carried on each report row: written from the registry, kept in step when the registry
changes, added and filled when an older warehouse file opens (so the measures need no registry join)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.microdata import handbuilt
from yacang.measures.real_growth import enterprise_panel
from yacang.microdata.uscc import make_uscc
from yacang.warehouse import Warehouse
from yacang.warehouse.report_queries import insert_reports


def _divisions(wh: Warehouse) -> dict[tuple[str, str], str | None]:
    df = wh.db.execute("SELECT uscc, period, division FROM reports").df()
    return {(u, p): (None if pd.isna(d) else d) for u, p, d in zip(df.uscc, df.period, df.division, strict=True)}


def _va(wh: Warehouse, uscc: str, period: str) -> float:
    df = enterprise_panel(wh.con, period).to_pandas().set_index("uscc")
    return float(df.loc[uscc, "va"])


def test_reports_carry_their_enterprise_division() -> None:
    wh = Warehouse.memory()
    handbuilt.build(wh)
    got = _divisions(wh)
    assert got[(handbuilt.A, "2022-03")] == "13" and got[(handbuilt.B, "2022-03")] == "36"
    assert got[(handbuilt.C, "2022-01/02")] == "36" and got[(handbuilt.D, "2021-03")] == "13"


def test_a_changed_industry_moves_the_reports_and_their_deflator() -> None:
    wh = Warehouse.memory()
    store = handbuilt.build(wh)
    # A (食品 13: 增加值率 0.25, PPI 105): 2022-03 产值 1050 → 1050 × 0.25 × 100 / 105 = 250
    assert _va(wh, handbuilt.A, "2022-03") == pytest.approx(250.0)
    row = store.enterprise(handbuilt.A)
    store.add_enterprises(pd.DataFrame([{**row, "industry": "3610"}]))
    assert {d for (u, _), d in _divisions(wh).items() if u == handbuilt.A} == {"36"}
    # now 汽车 36: 增加值率 0.20, PPI 98 → 1050 × 0.20 × 100 / 98
    assert _va(wh, handbuilt.A, "2022-03") == pytest.approx(1050 * 0.20 * 100 / 98)


def test_a_report_before_its_enterprise_counts_once_registered() -> None:
    wh = Warehouse.memory()
    store = handbuilt.build(wh)
    late = make_uscc("440304", "00000099E")
    wh.db.register("_late", pd.DataFrame([{"uscc": late, "period": "2022-03", "output_value": 10.0,
                                           "output_value_prev": 8.0, "vintage": pd.Timestamp("2022-04-15")}]))
    insert_reports(wh.db, "_late", ["uscc", "period", "output_value", "output_value_prev", "vintage"])
    assert _divisions(wh)[(late, "2022-03")] is None  # not in the registry: in no measure, as before
    store.add_enterprises(pd.DataFrame([{"uscc": late, "name": "戊汽配", "region": "440304", "industry": "3670",
                                         "size_class": "小型", "ownership": "私营"}]))
    assert _divisions(wh)[(late, "2022-03")] == "36"


def test_an_older_warehouse_gets_the_column_filled_on_open(tmp_path) -> None:
    path = tmp_path / "old.duckdb"
    with Warehouse.open(path) as wh:
        handbuilt.build(wh)
        wh.db.execute("ALTER TABLE reports DROP COLUMN division")  # as written before the column existed
    with Warehouse.open(path) as wh:
        got = _divisions(wh)
        assert got[(handbuilt.A, "2022-03")] == "13" and got[(handbuilt.B, "2022-03")] == "36"
        assert None not in got.values()
        assert _va(wh, handbuilt.A, "2022-03") == pytest.approx(250.0)
    with Warehouse.open(path) as wh:  # opening again changes nothing
        assert _divisions(wh) == got

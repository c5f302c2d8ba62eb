"""The reports' part of the ``report_ytd`` stamp, by hand: every row counted by period, the counted rows
(submitted, accepted) summed, per division for the writers' check — including a period without any counted
report, a report without a division and one without a status."""

from __future__ import annotations

import pytest

from yacang.warehouse import Warehouse, report_ytd

ROWS = [  # uscc, period, 工业总产值, 利润, status, division
    ("91000000000000001A", "2022-03", 100.0, 5.0, "accepted", "13"),
    ("91000000000000002B", "2022-03", 40.0, -2.0, "submitted", "13"),
    ("91000000000000003C", "2022-03", 900.0, 1.0, "returned", "13"),  # not counted
    ("91000000000000004D", "2022-03", 7.0, 1.0, "accepted", None),  # no division
    ("91000000000000005E", "2022-03", 3000.0, 1.0, None, "36"),  # no status: not counted
    ("91000000000000001A", "2022-04", 60.0, 2.0, "returned", "13"),  # a period with nothing counted
    ("91000000000000001A", "2021-03", 80.0, 4.0, "accepted", "13"),
]


@pytest.fixture()
def wh():
    w = Warehouse.memory()
    for uscc, period, out, profit, status, division in ROWS:
        w.db.execute("""INSERT INTO reports (uscc, period, output_value, profit, status, vintage, division)
                        VALUES (?, ?, ?, ?, ?, TIMESTAMP '2024-01-01', ?)""", [uscc, period, out, profit, status, division])
    yield w
    w.close()


def test_the_readers_part_by_hand(wh) -> None:
    got = report_ytd.stamp(wh.con, ("output_value",), [2022], divisions=False)["reports"]
    assert set(got) == {"2022"} and set(got["2022"]) == {"2022-03", "2022-04"}
    assert got["2022"]["2022-03"] == {"n_reports": 5.0, "n_counted": 3.0, "sum_output_value": 147.0}
    assert got["2022"]["2022-04"] == {"n_reports": 1.0, "n_counted": 0.0, "sum_output_value": 0.0}


def test_the_writers_part_by_hand(wh) -> None:
    got = report_ytd.stamp(wh.con, ("output_value", "profit"))["reports"]
    march = got["2022"]["2022-03"]
    assert (march["n_reports"], march["n_counted"]) == (5.0, 3.0)
    assert march["sum_output_value"] == 147.0 and march["sum_profit"] == 4.0  # 5 − 2 + 1
    # Σ counted rows × (division + 2), a division-less row as −1 + 2 = 1: 2 × 15 + 1 × 1
    assert march["division_mix"] == 31.0
    assert march["division_output"] == 140.0 * 15 + 7.0 * 1
    april = got["2022"]["2022-04"]
    assert (april["n_reports"], april["n_counted"], april["sum_output_value"], april["division_mix"]) == (1.0, 0.0, 0.0, 0.0)
    # which enterprise each counted report is under: only counted rows add to it (a moved non-counted one does not)
    before = march["enterprise_hash_mix"]
    wh.db.execute("UPDATE reports SET uscc = '91000000000000009Z' WHERE status = 'returned' AND period = '2022-03'")
    assert report_ytd.stamp(wh.con, ("output_value",))["reports"]["2022"]["2022-03"]["enterprise_hash_mix"] == before
    wh.db.execute("UPDATE reports SET uscc = '91000000000000009Z' WHERE uscc = '91000000000000002B'")
    assert report_ytd.stamp(wh.con, ("output_value",))["reports"]["2022"]["2022-03"]["enterprise_hash_mix"] != before
    assert got["2021"]["2021-03"]["n_counted"] == 1.0 and got["2021"]["2021-03"]["sum_output_value"] == 80.0

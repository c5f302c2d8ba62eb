"""Review of the maintained 当月/累计 table (``report_ytd``): registry edits made around the writers that keep
every count and sum of the registry the same must still make the table not current (the readers sum the
reports), never leave a stale table read as current; a reader's check of its years sees every report of them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.microdata import handbuilt
from yacang.measures.windows import monthly_windows, window_sums
from yacang.microdata.uscc import make_uscc
from yacang.warehouse import Warehouse, report_ytd
from yacang.warehouse.report_queries import save_report
from yacang.warehouse.report_ytd import ensure_current, is_current, refresh_report_ytd


def _built() -> Warehouse:
    wh = Warehouse.memory()
    handbuilt.build(wh)
    refresh_report_ytd(wh.db)
    assert is_current(wh.con, thorough=True)
    return wh


def _windows_equal_the_reports(wh: Warehouse, period: str) -> None:
    """What a reader gets (the table when current) equals summing the reports."""
    wins = monthly_windows(period)
    got = window_sums(wh.con, wins).to_pandas()
    want = window_sums(wh.con, wins, maintained=False).to_pandas()
    cols = sorted(want.columns)
    pd.testing.assert_frame_equal(got.sort_values("uscc").reset_index(drop=True)[cols],
                                  want.sort_values("uscc").reset_index(drop=True)[cols], check_dtype=False, rtol=1e-12)


def test_a_swap_of_two_scale_flags_in_one_year_makes_the_table_stale() -> None:
    wh = _built()
    # the 2022 规上 list corrected by hand: D enters, C leaves (the count and Σ year × flag unchanged)
    assert wh.db.execute("SELECT above_scale FROM enterprise_years WHERE year = 2022 AND uscc IN (?, ?) ORDER BY uscc",
                         [handbuilt.D, handbuilt.C]).fetchall() == [(False,), (True,)]
    wh.db.execute("UPDATE enterprise_years SET above_scale = NOT above_scale WHERE year = 2022 AND uscc IN (?, ?)",
                  [handbuilt.C, handbuilt.D])
    assert not is_current(wh.con)  # C's 2022 rows still say 规上, D's not
    _windows_equal_the_reports(wh, "2022-03")  # C out of the 2022 windows, D in
    assert ensure_current(wh.db) and is_current(wh.con)
    flags = dict(wh.db.execute("SELECT DISTINCT uscc, above FROM report_ytd WHERE year = 2022").fetchall())
    assert flags[handbuilt.C] is False and flags[handbuilt.D] is True


def test_an_enterprise_recoded_in_the_same_county_makes_the_table_stale() -> None:
    wh = _built()
    # C's USCC corrected by hand in the registry (its reports stay under the old code, now unregistered):
    # the registry's row count and Σ of county codes are unchanged
    recoded = make_uscc("440304", "00000005E")
    wh.db.execute("UPDATE enterprises SET uscc = ? WHERE uscc = ?", [recoded, handbuilt.C])
    assert not is_current(wh.con)
    assert ensure_current(wh.db) and is_current(wh.con)
    assert wh.db.execute("SELECT DISTINCT region FROM report_ytd WHERE uscc = ?", [handbuilt.C]).fetchall() == [(None,)]


def test_two_enterprises_swapping_counties_make_the_table_stale() -> None:
    wh = _built()
    # A (440103) and D (320102) swap counties by hand: the Σ of county codes is unchanged
    wh.db.execute("UPDATE enterprises SET region = CASE uscc WHEN ? THEN '320102' ELSE '440103' END "
                  "WHERE uscc IN (?, ?)", [handbuilt.A, handbuilt.A, handbuilt.D])
    assert not is_current(wh.con)
    assert ensure_current(wh.db) and is_current(wh.con)
    assert wh.db.execute("SELECT DISTINCT region FROM report_ytd WHERE uscc = ?", [handbuilt.A]).fetchall() == [("320102",)]


def test_a_report_of_a_whole_year_is_read_by_the_readers_check_of_its_year() -> None:
    wh = _built()
    # a report coded by its year alone (save_report takes any code): not a month, outside the table, but in
    # the stamp of its year; a reader's check of that year (alone or as the first of two) must count it too
    save_report(wh, {"uscc": handbuilt.A, "period": "2022", "output_value": 100.0}, source_file="online",
                sha256="annual", fmt="online", now=dt.datetime(2023, 1, 10))
    assert is_current(wh.con, thorough=True)
    assert report_ytd.current_extent(wh.con, [2022]) == {2022: 3}
    assert report_ytd.current_extent(wh.con, [2022, 2023]) == {2022: 3}
    assert report_ytd.current_extent(wh.con, [2021, 2022]) == {2021: 3, 2022: 3}
    # and it is checked: the annual report edited around the writers makes the 2022 readers fall back
    wh.db.execute("UPDATE reports SET output_value = 101.0 WHERE period = '2022'")
    assert report_ytd.current_extent(wh.con, [2022]) is None
    assert report_ytd.current_extent(wh.con, [2021]) == {2021: 3}


@pytest.mark.spark
@pytest.mark.slow
def test_a_published_copy_is_current_on_spark_and_read_from_the_table(tmp_path) -> None:
    """The stamp DuckDB wrote matches on Spark (try_cast, ascii of the USCC, the year ranges of the
    period codes compute the same), so Spark reads the table, and its windows equal summing the reports."""
    from yacang.warehouse.engine import EngineChoice, microdata_backend

    wh = _built()
    choice = EngineChoice(backend="spark", master="local[1]", parquet_dir=str(tmp_path),
                          conf={"spark.sql.shuffle.partitions": "2", "spark.default.parallelism": "1",
                                "spark.driver.memory": "1g"})
    spark = microdata_backend(wh, choice)
    try:
        assert report_ytd.registry_stamp(spark) == report_ytd.registry_stamp(wh.con)
        assert is_current(spark, thorough=True)
        assert report_ytd.current_extent(spark, [2021, 2022]) == {2021: 3, 2022: 3}
        wins = monthly_windows("2022-03")
        got = window_sums(spark, wins).to_pandas()
        want = window_sums(wh.con, wins, maintained=False).to_pandas()
        cols = sorted(want.columns)
        pd.testing.assert_frame_equal(got.sort_values("uscc").reset_index(drop=True)[cols],
                                      want.sort_values("uscc").reset_index(drop=True)[cols], check_dtype=False,
                                      rtol=1e-12)
    finally:
        wh.close()
        spark.disconnect()

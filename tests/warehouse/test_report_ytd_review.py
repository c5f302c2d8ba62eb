"""Review of the maintained 当月/累计 table (``report_ytd``): registry edits made around the writers that keep
every count and sum of the registry the same must still make the table not current (the readers sum the
reports), never leave a stale table read as current; a reader's check of its years sees every report of them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.microdata import handbuilt
from tests.warehouse.test_report_ytd_random import (
    COUNTIES,
    INDUSTRY,
    WINDOW_TARGETS,
    YEARS,
    World,
    check_table,
    check_windows,
)
from yacang.measures.windows import monthly_windows, window_sums
from yacang.microdata.uscc import make_uscc
from yacang.warehouse import Warehouse, report_ytd
from yacang.warehouse.report_queries import insert_reports, refresh_report_divisions, save_report
from yacang.warehouse.report_ytd import ensure_current, is_current, refresh_registry, refresh_report_ytd
from yacang.warehouse.transaction import transaction


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


def test_two_deflators_of_a_division_swapped_make_the_table_stale() -> None:
    wh = _built()
    # division 13's PPI of 2021-03 (100) and 2022-03 (105) exchanged by hand: the rows, Σ and Σ × division
    # of the PPI are unchanged, A's real output of both months is not (2022-03: 1050 × 100/100, not /105)
    wh.db.execute("UPDATE division_ppi SET index_yoy = CASE period WHEN '2021-03' THEN 105.0 ELSE 100.0 END "
                  "WHERE division = '13' AND period IN ('2021-03', '2022-03')")
    assert not is_current(wh.con)
    _windows_equal_the_reports(wh, "2022-03")
    assert ensure_current(wh.db) and is_current(wh.con)
    assert wh.db.execute("SELECT real_output_m FROM report_ytd WHERE uscc = ? AND year = 2022 AND m = 3",
                         [handbuilt.A]).fetchall() == [(1050.0,)]


@pytest.mark.parametrize("edit", [
    "UPDATE reports SET period = '2022-04' WHERE uscc = '{A}' AND period = '2022-03'",  # a month typed wrong
    "UPDATE reports SET division = '36' WHERE uscc = '{A}'",  # another division (and deflator)
], ids=["another month", "another division"])
def test_a_report_moved_by_hand_is_rebuilt_away_by_the_next_write_or_run(edit: str) -> None:
    wh = _built()
    wh.db.execute(edit.format(A=handbuilt.A))  # every count and sum of the year unchanged
    assert not is_current(wh.con, thorough=True)  # the writers' and yacang run's check: rebuilt
    assert ensure_current(wh.db) and is_current(wh.con, thorough=True)
    _windows_equal_the_reports(wh, "2022-03")



def test_two_reports_values_swapped_across_divisions_are_rebuilt_away() -> None:
    """A (division 13) and B (36) exchange their 2022-03 工业总产值 by hand: every count and Σ of the period
    unchanged, Σ output × division code not (13 × 490 + 36 × 1050 ≠ 13 × 1050 + 36 × 490)."""
    wh = _built()
    wh.db.execute("UPDATE reports SET output_value = CASE uscc WHEN ? THEN 490.0 ELSE 1050.0 END "
                  "WHERE period = '2022-03' AND uscc IN (?, ?)", [handbuilt.A, handbuilt.A, handbuilt.B])
    assert not is_current(wh.con, thorough=True)
    assert ensure_current(wh.db) and is_current(wh.con, thorough=True)
    _windows_equal_the_reports(wh, "2022-03")

def test_a_report_moved_to_another_month_fails_the_readers_check() -> None:
    """The stamp is kept by period: A's March report typed as April moves one row between two periods of
    2022, and a reader of 2022 sums the reports instead of reading a table that has it in March."""
    wh = _built()
    assert report_ytd.current_extent(wh.con, [2022]) == {2022: 3}
    wh.db.execute("UPDATE reports SET period = '2022-04' WHERE uscc = ? AND period = '2022-03'", [handbuilt.A])
    assert report_ytd.current_extent(wh.con, [2022]) is None
    assert report_ytd.current_extent(wh.con, [2021]) == {2021: 3}  # another year's reader is not concerned
    _windows_equal_the_reports(wh, "2022-03")


def test_a_report_moved_to_another_enterprise_of_its_division_is_rebuilt_away() -> None:
    wh = _built()
    # B's 2021-03 report put under C (same division 36, same county): every count and sum by period and
    # division unchanged
    wh.db.execute("UPDATE reports SET uscc = ? WHERE uscc = ? AND period = '2021-03'", [handbuilt.C, handbuilt.B])
    assert not is_current(wh.con, thorough=True)
    assert ensure_current(wh.db) and is_current(wh.con, thorough=True)
    _windows_equal_the_reports(wh, "2022-03")


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
        on_spark = report_ytd.registry_stamp(spark)  # the portable fingerprints (DuckDB's hash is DuckDB's)
        assert {"county_mix", "above_mix"} <= set(on_spark) and not any("hash" in k for k in on_spark)
        written = report_ytd.registry_stamp(wh.con, writer=True)
        assert on_spark == {k: written[k] for k in on_spark}
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


# randomized: the harness of test_report_ytd_random with more writers -------------------------------------
class Review(World):
    """:class:`World` with registry swaps and deletions made by hand, and registry and report writes mixed in
    one transaction (the registry first, then a report: its restricted refresh after the registry's)."""

    def swap(self) -> str:
        """Two enterprises' 规上 flags of a year (or their counties) exchanged by hand, then a writer's write."""
        a, b = self.rng.sample(sorted(self.firms), 2)
        db = self.wh.db
        if self.rng.random() < 0.5:
            year = self.rng.choice(YEARS)
            db.execute("""UPDATE enterprise_years SET above_scale = coalesce(CASE uscc WHEN ? THEN
                          (SELECT above_scale FROM enterprise_years WHERE uscc = ? AND year = ?)
                          ELSE (SELECT above_scale FROM enterprise_years WHERE uscc = ? AND year = ?) END, false)
                          WHERE year = ? AND uscc IN (?, ?)""", [a, b, year, a, year, year, a, b])
        else:
            db.execute("""UPDATE enterprises SET region = CASE uscc WHEN ? THEN (SELECT region FROM enterprises
                          WHERE uscc = ?) ELSE (SELECT region FROM enterprises WHERE uscc = ?) END
                          WHERE uscc IN (?, ?)""", [a, b, a, a, b])
        return f"hand swap {a} {b}, then " + self.rng.choice([self.save, self.status, self.append, self.scale])()

    def delete(self) -> str:
        """An enterprise deleted from the registry by hand (its reports stay), then a writer's write."""
        uscc = self.rng.choice(sorted(self.firms))
        self.wh.db.execute("DELETE FROM enterprise_years WHERE uscc = ?", [uscc])
        self.wh.db.execute("DELETE FROM enterprises WHERE uscc = ?", [uscc])
        del self.firms[uscc]
        return f"hand delete {uscc}, then " + self.rng.choice([self.save, self.status, self.registry])()

    def mixed(self) -> str:
        """One transaction: an enterprise's county and division through the registry writer's refreshes, then
        one of its reports through the report writer's."""
        uscc = self.rng.choice(sorted(self.firms))
        division, region = self.rng.choice(sorted(INDUSTRY)), self.rng.choice(COUNTIES)
        self.firms[uscc] = division
        period = self.rng.choice(self.codes(9))
        db = self.wh.db
        with transaction(db):
            db.register("_incoming", pd.DataFrame([self._registry_row(uscc, division, region)]))
            db.execute("INSERT OR REPLACE INTO enterprises (uscc, name, region, industry, is_key) "
                       "SELECT uscc, name, region, industry, is_key FROM _incoming")
            refresh_report_divisions(db, "_incoming")
            refresh_registry(db, "_incoming")
            db.unregister("_incoming")
            db.execute("DELETE FROM reports WHERE uscc = ? AND period = ?", [uscc, period])
            row = self._report(uscc, period)
            cols = list(row)
            insert_reports(db, f"(SELECT {', '.join('? AS ' + c for c in cols)})", cols, list(row.values()))
            refresh_report_ytd(db, "(SELECT ? AS uscc, ? AS period)", [uscc, period])
        return f"one transaction: {uscc} → {division} {region}, report {period}"

    def step(self) -> str:
        op = self.rng.choice([self.save, self.status, self.ppi, self.registry, self.scale, self.append,
                              self.swap, self.swap, self.delete, self.mixed, self.mixed])
        return op()


def run_review(seed: int, steps: int) -> None:
    world = Review(seed)
    done: list[str] = []
    for i in range(steps + 1):
        if i:
            done.append(world.step())
        try:  # every step ends with a writer's write: the table current and equal to the reports
            assert report_ytd.is_current(world.wh.con, thorough=True)
            check_table(world.wh.db)
            check_windows(world.wh, [world.rng.choice(WINDOW_TARGETS)])
        except AssertionError as exc:
            raise AssertionError(f"seed {seed} after: {done}") from exc


@pytest.mark.parametrize("seed", [5, 19])
def test_random_registry_swaps_deletions_and_mixed_transactions(seed: int) -> None:
    run_review(seed, 6)

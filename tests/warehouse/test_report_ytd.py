"""The maintained 当月/累计 table (``report_ytd``): its rows by hand, kept in step by every writer, and the
month's windows read from it equal to summing the reports."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from tests.microdata import handbuilt
from yacang.measures.windows import monthly_windows, window_sums
from yacang.warehouse import Warehouse, report_ytd
from yacang.warehouse.job_queries import append_reports, replace_demo_microdata
from yacang.warehouse.report_queries import save_report
from yacang.warehouse.report_ytd import ensure_current, is_current, refresh_report_ytd
from yacang.warehouse.transaction import transaction


def _row(wh: Warehouse, uscc: str, year: int, m: int) -> dict:
    df = wh.db.execute("SELECT * FROM report_ytd WHERE uscc = ? AND year = ? AND m = ?", [uscc, year, m]).df()
    assert len(df) == 1, df
    return df.iloc[0].to_dict()


def _built() -> tuple[Warehouse, object]:
    wh = Warehouse.memory()
    store = handbuilt.build(wh)
    refresh_report_ytd(wh.db)
    return wh, store


def test_rows_by_hand() -> None:
    wh, _ = _built()
    # A (13, PPI 105): 1-2月 2100 → 2100 × 100/105 = 2000; 3月 1050 → 1000; 累计 3000 and 上年同期 2000 + 900
    a = _row(wh, handbuilt.A, 2022, 3)
    assert a["n_m"] == 1 and a["n_ytd"] == 2
    assert a["real_output_m"] == pytest.approx(1000.0) and a["real_output_ytd"] == pytest.approx(3000.0)
    assert a["output_value_prev_ytd"] == pytest.approx(2900.0) and a["profit_m"] == pytest.approx(50.0)
    # B (36, PPI 98): 980 → 1000, 490 → 500
    assert _row(wh, handbuilt.B, 2022, 3)["real_output_ytd"] == pytest.approx(1500.0)
    # D reported only 2022-03, not 1-2月: its 1-2月 row does not exist, 3月 has n_ytd 1
    assert wh.db.execute("SELECT count(*) FROM report_ytd WHERE uscc = ? AND year = 2022 AND m = 2",
                         [handbuilt.D]).fetchall()[0][0] == 0
    assert _row(wh, handbuilt.D, 2022, 3)["n_ytd"] == 1
    assert is_current(wh.con)


def _windows_both_ways(wh: Warehouse, period: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """window_sums from the maintained table, then from the reports (the table's stamp removed)."""
    assert is_current(wh.con)
    wins = monthly_windows(period)
    fast = window_sums(wh.con, wins).to_pandas()
    wh.db.execute("ALTER TABLE report_ytd_state RENAME TO report_ytd_state_kept")
    try:
        assert not is_current(wh.con)
        slow = window_sums(wh.con, wins).to_pandas()
    finally:
        wh.db.execute("ALTER TABLE report_ytd_state_kept RENAME TO report_ytd_state")
    key = ["uscc"]
    return (fast.sort_values(key).reset_index(drop=True)[sorted(fast.columns)],
            slow.sort_values(key).reset_index(drop=True)[sorted(slow.columns)])


def _same(wh: Warehouse, period: str) -> None:
    fast, slow = _windows_both_ways(wh, period)
    assert len(fast) == len(slow) > 0
    pd.testing.assert_frame_equal(fast, slow, check_dtype=False, rtol=1e-12)


def _save(wh: Warehouse, uscc: str, period: str, out: float, prev: float, profit: float = 0.0) -> None:
    row = {"uscc": uscc, "period": period, "output_value": out, "output_value_prev": prev, "sales_value": out,
           "profit": profit, "electricity": 10.0, "electricity_prev": 10.0}
    save_report(wh, row, source_file="online", sha256=f"{uscc}{period}{out}", fmt="online",
                now=dt.datetime(2022, 5, 10))


def test_every_writer_keeps_it_in_step() -> None:
    wh, store = _built()
    _same(wh, "2022-03")
    # an online report of a month nobody reported yet: everyone's 累计 is carried to April
    _save(wh, handbuilt.A, "2022-04", 1100.0, 1000.0, 30.0)
    assert _row(wh, handbuilt.B, 2022, 4)["n_ytd"] == 2 and _row(wh, handbuilt.B, 2022, 4)["n_m"] == 0
    _same(wh, "2022-04")
    # a revision of an earlier (accepted) month, through 更正: every later 累计 of that enterprise changes
    store.request_revision(handbuilt.B, "2022-01/02", "数据填报有误")
    store.grant_revision(handbuilt.B, "2022-01/02")
    assert _row(wh, handbuilt.B, 2022, 4)["n_ytd"] == 1  # reopened (已退回): 1-2月 counts nowhere meanwhile
    _save(wh, handbuilt.B, "2022-01/02", 1078.0, 1000.0)  # 1078 × 100/98 = 1100
    assert _row(wh, handbuilt.B, 2022, 4)["real_output_ytd"] == pytest.approx(1100.0 + 500.0)
    _same(wh, "2022-04")
    # 退回: a returned report counts nowhere
    store.set_status(handbuilt.C, "2022-03", "returned", reason="核实")
    assert _row(wh, handbuilt.C, 2022, 3)["n_ytd"] == 1
    _same(wh, "2022-03")
    # a changed industry moves the enterprise and re-deflates its months
    store.add_enterprises(pd.DataFrame([{**store.enterprise(handbuilt.A), "industry": "3610"}]))
    assert _row(wh, handbuilt.A, 2022, 3)["division"] == "36"
    _same(wh, "2022-04")
    # a revised PPI re-deflates the month's reports
    store.set_division_ppi(pd.DataFrame([("2022-03", "36", 90.0)], columns=["period", "division", "index_yoy"]))
    assert _row(wh, handbuilt.B, 2022, 3)["real_output_m"] == pytest.approx(490 * 100 / 90)
    _same(wh, "2022-03")
    _same(wh, "2022-04")
    # kept in step, the table is the one a rebuild from scratch gives
    kept = wh.db.execute("SELECT * FROM report_ytd ORDER BY year, m, uscc").df()
    refresh_report_ytd(wh.db)
    pd.testing.assert_frame_equal(kept, wh.db.execute("SELECT * FROM report_ytd ORDER BY year, m, uscc").df())


def test_a_write_around_the_writers_is_never_read() -> None:
    wh, _ = _built()
    before = window_sums(wh.con, monthly_windows("2022-03")).to_pandas().set_index("uscc")
    wh.db.execute("UPDATE reports SET output_value = 2 * output_value WHERE uscc = ? AND period = '2022-03'",
                  [handbuilt.A])
    assert not is_current(wh.con)
    after = window_sums(wh.con, monthly_windows("2022-03")).to_pandas().set_index("uscc")
    # the doubled 3月 is read from the reports: 2100 × 0.25 × 100/105 = 500 (not the table's 250)
    assert after.loc[handbuilt.A, "va_month"] == pytest.approx(500.0)
    assert before.loc[handbuilt.A, "va_month"] == pytest.approx(250.0)
    assert ensure_current(wh.db) is True and is_current(wh.con) and ensure_current(wh.db) is False
    _same(wh, "2022-03")


def test_a_cumulative_past_the_last_reported_month_is_the_last_one() -> None:
    wh, _ = _built()
    fast = window_sums(wh.con, monthly_windows("2022-05")).to_pandas().set_index("uscc")
    # nobody reported April or May: 1-5月 累计 is 1-3月 (A: (2000 + 1000) × 0.25 = 750), 当月 is empty
    assert fast.loc[handbuilt.A, "va_ytd"] == pytest.approx(750.0)
    assert fast.loc[handbuilt.A, "n_month"] == 0
    _same(wh, "2022-05")


@pytest.mark.parametrize("share", [report_ytd.WHOLE_YEAR_SHARE, 2.0])  # 2.0: one enterprise is a subset
def test_a_month_past_the_next_one_carries_the_months_between(share: float, monkeypatch) -> None:
    """The year ends at 3月; A reports 6月 (nobody reported 4月 or 5月): everyone's 累计 is carried through
    4月 and 5月, and A's 6月 累计 adds to its 1-3月 (it was the 6月 alone, and nobody had 4–5月 rows)."""
    monkeypatch.setattr(report_ytd, "WHOLE_YEAR_SHARE", share)
    wh, store = _built()
    store.set_division_ppi(pd.DataFrame([("2022-06", "13", 100.0)], columns=["period", "division", "index_yoy"]))
    _save(wh, handbuilt.A, "2022-06", 1000.0, 900.0)
    a = _row(wh, handbuilt.A, 2022, 6)  # 2000 + 1000 (1-3月, PPI 105) + 1000 × 100/100
    assert a["n_m"] == 1 and a["n_ytd"] == 3 and a["real_output_ytd"] == pytest.approx(4000.0)
    assert a["output_value_prev_ytd"] == pytest.approx(2000 + 900 + 900)
    for m in (4, 5):
        assert _row(wh, handbuilt.A, 2022, m)["n_m"] == 0 and _row(wh, handbuilt.A, 2022, m)["n_ytd"] == 2
        assert _row(wh, handbuilt.B, 2022, m)["real_output_ytd"] == pytest.approx(1500.0)
    assert _row(wh, handbuilt.B, 2022, 6)["n_ytd"] == 2 and _row(wh, handbuilt.D, 2022, 6)["n_ytd"] == 1
    _same(wh, "2022-06")
    _same(wh, "2022-05")


def test_a_failed_refresh_leaves_the_report_and_the_table_as_they_were(monkeypatch) -> None:
    wh, _ = _built()
    before = wh.db.execute("SELECT * FROM report_ytd ORDER BY year, m, uscc").df()

    def broken(db, **_: object) -> None:
        raise RuntimeError("stamp failed")

    monkeypatch.setattr(report_ytd, "_record_stamp", broken)
    with pytest.raises(RuntimeError):
        _save(wh, handbuilt.A, "2022-04", 1100.0, 1000.0)
    monkeypatch.undo()
    assert wh.db.execute("SELECT count(*) FROM reports WHERE period = '2022-04'").fetchall()[0][0] == 0
    pd.testing.assert_frame_equal(before, wh.db.execute("SELECT * FROM report_ytd ORDER BY year, m, uscc").df())
    assert is_current(wh.con)


def test_a_write_after_one_around_the_writers_rebuilds_instead_of_blessing_a_stale_table(monkeypatch) -> None:
    """B's 3月 is doubled around the writers (the table is stale, not current); then one online report of A
    is saved. Patching only A's rows and recording the stamp would make the stale B rows current: the
    refresh sees the table was not current before the write and rebuilds the year."""
    monkeypatch.setattr(report_ytd, "WHOLE_YEAR_SHARE", 2.0)  # one enterprise of four: the restricted path
    wh, _ = _built()
    wh.db.execute("UPDATE reports SET output_value = 980 WHERE uscc = ? AND period = '2022-03'", [handbuilt.B])
    assert not is_current(wh.con)
    _save(wh, handbuilt.A, "2022-04", 1100.0, 1000.0)
    assert is_current(wh.con)
    assert _row(wh, handbuilt.B, 2022, 3)["real_output_m"] == pytest.approx(980 * 100 / 98)  # 1000, not 500
    _same(wh, "2022-03")


def test_a_year_whose_reports_are_all_replaced_away_leaves_no_rows() -> None:
    """The demo's replacement keeps only A's 2022-03 report: 2021 has no reports left (its rows go) and
    2022 keeps one row, A's 3月 (1050 × 100/105 = 1000), its 1-2月 gone."""
    wh, _ = _built()
    keep = wh.db.execute("SELECT * EXCLUDE (division) FROM reports WHERE uscc = ? AND period = '2022-03'",
                         [handbuilt.A]).df()
    replace_demo_microdata(wh, org_prefix=handbuilt.A[8:10], source_file="fixture",
                           enterprises=wh.db.execute("SELECT * FROM enterprises").df(),
                           enterprise_years=wh.db.execute("SELECT * FROM enterprise_years").df(),
                           reports=keep, upserts={})
    rows = wh.db.execute("SELECT year, m, uscc, n_ytd, real_output_ytd FROM report_ytd").fetchall()
    assert [r[:4] for r in rows] == [(2022, 3, handbuilt.A, 1)] and rows[0][4] == pytest.approx(1000.0)
    assert is_current(wh.con)


def test_the_stamp_sees_any_summed_figure_and_an_earlier_layout() -> None:
    wh, store = _built()
    wh.db.execute("UPDATE reports SET profit = profit + 7 WHERE uscc = ? AND period = '2022-03'", [handbuilt.B])
    assert not is_current(wh.con, thorough=True)  # only 利润 changed: the next writer or yacang run rebuilds
    store.set_status(handbuilt.C, "2022-03", "returned", reason="核实")  # a write about another enterprise
    assert _row(wh, handbuilt.B, 2022, 3)["profit_m"] == pytest.approx(-10.0 + 7)
    assert is_current(wh.con, thorough=True)
    wh.db.execute("DROP TABLE report_ytd_state")
    wh.db.execute("CREATE TABLE report_ytd_state (n_reports BIGINT, n_counted BIGINT)")  # the first layout
    wh.db.execute("INSERT INTO report_ytd_state VALUES (8, 8)")
    assert not is_current(wh.con) and not is_current(wh.con, thorough=True)
    assert ensure_current(wh.db) and is_current(wh.con, thorough=True)


def test_the_extent_comes_with_a_current_stamp_only() -> None:
    wh, store = _built()
    # the handbuilt reports: 2021-03 (A, B, D) and 2022-01/02, 2022-03
    assert report_ytd.current_extent(wh.con, [2021, 2022, 2023]) == {2021: 3, 2022: 3}
    store.set_division_ppi(pd.DataFrame([("2022-05", "13", 104.0)], columns=["period", "division", "index_yoy"]))
    _save(wh, handbuilt.A, "2022-05", 520.0, 500.0)  # a report two months on: the year's last month is 5
    assert report_ytd.current_extent(wh.con, [2022]) == {2022: 5}
    kept = wh.db.execute("SELECT stamp FROM report_ytd_state").fetchall()[0][0]
    without = {k: v for k, v in json.loads(kept).items() if k != "extent"}  # a stamp kept before the extent
    wh.db.execute("UPDATE report_ytd_state SET stamp = ?", [json.dumps(without)])
    assert report_ytd.current_extent(wh.con, [2021, 2022]) == {2021: 3, 2022: 5}  # read from the table
    wh.db.execute("UPDATE reports SET output_value = output_value + 1 WHERE uscc = ?", [handbuilt.A])
    assert report_ytd.current_extent(wh.con, [2022]) is None  # not current: the readers sum the reports


def test_registry_writes_move_the_carried_county_and_scale_flag() -> None:
    wh, store = _built()
    # B moves to county 440305 (same division); C leaves the 2022 规上 set
    store.add_enterprises(pd.DataFrame([{"uscc": handbuilt.B, "name": "乙汽车", "region": "440305",
                                         "industry": "3610"}]))
    store.set_scale_years(pd.DataFrame([(handbuilt.C, 2022, False)], columns=["uscc", "year", "above_scale"]))
    carried = wh.db.execute("SELECT DISTINCT uscc, year, region, above FROM report_ytd").df()
    assert set(carried[carried["uscc"] == handbuilt.B]["region"]) == {"440305"}
    assert carried[(carried["uscc"] == handbuilt.C) & (carried["year"] == 2022)]["above"].tolist() == [False]
    assert is_current(wh.con, thorough=True)
    _same(wh, "2022-03")  # the windows read from the table still equal summing the reports
    # a month that brings registry rows with it (the demo's writer): D back in the 2022 set, in 320104
    append_reports(wh, pd.DataFrame([handbuilt.report(handbuilt.A, "2022-04", 1100, 1000, 40)]), {
        "enterprises": pd.DataFrame([{"uscc": handbuilt.D, "name": "丁饲料", "region": "320104", "industry": "1320"}]),
        "enterprise_years": pd.DataFrame([(handbuilt.D, 2022, True)], columns=["uscc", "year", "above_scale"])})
    d = wh.db.execute("SELECT DISTINCT region, above FROM report_ytd WHERE uscc = ? AND year = 2022",
                      [handbuilt.D]).fetchall()
    assert d == [("320104", True)] and is_current(wh.con, thorough=True)
    _same(wh, "2022-03")



def _stamps_during(monkeypatch, write) -> int:
    calls: list[int] = []
    real = report_ytd.stamp
    monkeypatch.setattr(report_ytd, "stamp", lambda *a, **k: calls.append(1) or real(*a, **k))
    write()
    monkeypatch.setattr(report_ytd, "stamp", real)
    return len(calls)


def test_one_stamp_checks_once_and_stamps_once(monkeypatch) -> None:
    """Three refreshes in one block: one check of the committed table before the first (a stamp of the
    reports), one stamp after the last — not one of each per refresh — and the table current after."""
    wh, _ = _built()

    def three() -> None:
        with transaction(wh.db), report_ytd.one_stamp(wh.db):  # as a writer: the check sees the committed table
            _save_around(wh, handbuilt.A, "2022-03", 1100.0)
            refresh_report_ytd(wh.db, "(SELECT ? AS uscc, ? AS period)", [handbuilt.A, "2022-03"])
            _save_around(wh, handbuilt.B, "2022-03", 500.0)
            refresh_report_ytd(wh.db, "(SELECT ? AS uscc, ? AS period)", [handbuilt.B, "2022-03"])
            report_ytd.refresh_registry(wh.db)

    assert _stamps_during(monkeypatch, three) == 2
    assert is_current(wh.con, thorough=True)
    assert _row(wh, handbuilt.A, 2022, 3)["output_value_m"] == 1100.0
    _same(wh, "2022-03")
    # alone, each refresh checks and stamps: two scans each
    assert _stamps_during(monkeypatch, lambda: refresh_report_ytd(
        wh.db, "(SELECT ? AS uscc, ? AS period)", [handbuilt.A, "2022-03"])) == 2


def test_one_stamp_stamps_nothing_when_the_block_fails() -> None:
    """A block that fails after patching leaves the old stamp: the patched table is not current (readers
    sum the reports; the transaction around a real writer rolls both back)."""
    wh, _ = _built()
    with pytest.raises(RuntimeError), report_ytd.one_stamp(wh.db):  # no transaction: the patch stays
        _save_around(wh, handbuilt.A, "2022-03", 1100.0)
        refresh_report_ytd(wh.db, "(SELECT ? AS uscc, ? AS period)", [handbuilt.A, "2022-03"])
        raise RuntimeError("the writer failed after patching")
    assert not is_current(wh.con)
    assert ensure_current(wh.db) and is_current(wh.con, thorough=True)


def _kept(wh: Warehouse) -> dict:
    (raw,), = wh.db.execute("SELECT stamp FROM report_ytd_state").fetchall()
    return json.loads(raw)


def test_a_patch_restamps_only_the_periods_it_wrote(monkeypatch) -> None:
    """After a writer patched 2022-03, the stamp kept is what a full stamp of every report says (the other
    periods carried from the stamp checked before the transaction), and the stamp after the write read
    only the period written."""
    wh, _ = _built()
    periods: list[object] = []
    real = report_ytd.stamp
    monkeypatch.setattr(report_ytd, "stamp", lambda *a, **k: periods.append(k.get("periods")) or real(*a, **k))
    with transaction(wh.db):
        _save_around(wh, handbuilt.A, "2022-03", 1100.0)
        refresh_report_ytd(wh.db, "(SELECT ? AS uscc, ? AS period)", [handbuilt.A, "2022-03"])
    monkeypatch.setattr(report_ytd, "stamp", real)
    assert periods == [None, {"2022-03"}]  # the check of every report before, the re-stamp of one period after
    full = report_ytd.stamp(wh.con)
    kept = _kept(wh)
    assert kept["reports"].keys() == full["reports"].keys()
    for year, parts in full["reports"].items():
        assert parts.keys() == kept["reports"][year].keys()
        for period, values in parts.items():
            assert values == pytest.approx(kept["reports"][year][period]), period
    (march,), = wh.db.execute("SELECT sum(output_value) FROM reports WHERE period = '2022-03' "
                              "AND status IN ('submitted', 'accepted')").fetchall()
    assert kept["reports"]["2022"]["2022-03"]["sum_output_value"] == pytest.approx(march)  # the 1100 written in
    assert is_current(wh.con, thorough=True)


def test_a_write_the_writer_did_not_name_is_not_stamped_current() -> None:
    """Inside a writer's transaction, a report of another period changed but not named to the refresh: the
    re-stamp of the named period keeps the other period's stamp as checked before, so the table is not
    current and is rebuilt (a full re-stamp would have blessed the unnamed change)."""
    wh, _ = _built()
    with transaction(wh.db):
        _save_around(wh, handbuilt.A, "2022-03", 1100.0)
        _save_around(wh, handbuilt.B, "2021-03", 777.0)  # not named below
        refresh_report_ytd(wh.db, "(SELECT ? AS uscc, ? AS period)", [handbuilt.A, "2022-03"])
    assert not is_current(wh.con, thorough=True)
    assert ensure_current(wh.db) and is_current(wh.con, thorough=True)
    _same(wh, "2021-03")


def test_a_report_deleted_by_a_writer_takes_its_period_out_of_the_stamp() -> None:
    """A period whose every report a writer deleted is gone from the stamp kept (as from a full stamp)."""
    wh, _ = _built()
    codes = [c for c, in wh.db.execute("SELECT DISTINCT period FROM reports ORDER BY 1").fetchall()]
    last = codes[-1]
    usccs = [u for u, in wh.db.execute("SELECT uscc FROM reports WHERE period = ?", [last]).fetchall()]
    with transaction(wh.db):
        wh.db.execute("CREATE TEMP TABLE _gone AS SELECT uscc, period FROM reports WHERE period = ?", [last])
        wh.db.execute("DELETE FROM reports WHERE period = ?", [last])
        refresh_report_ytd(wh.db, "_gone")
    assert usccs and last not in _kept(wh)["reports"].get(last[:4], {})
    assert is_current(wh.con, thorough=True)


def _save_around(wh: Warehouse, uscc: str, period: str, out: float) -> None:
    """A counted report's 工业总产值 changed in place (the writer's own write, before its refresh)."""
    wh.db.execute("UPDATE reports SET output_value = ? WHERE uscc = ? AND period = ?", [out, uscc, period])

def test_a_registry_edit_around_the_writers_makes_the_table_stale() -> None:
    wh, _ = _built()
    wh.db.execute("UPDATE enterprises SET region = '440305' WHERE uscc = ?", [handbuilt.B])
    assert not is_current(wh.con)  # the readers sum the reports; the next writer or yacang run rebuilds
    assert ensure_current(wh.db) and is_current(wh.con)
    assert wh.db.execute("SELECT DISTINCT region FROM report_ytd WHERE uscc = ?", [handbuilt.B]).fetchall() == [("440305",)]


def test_a_reader_checks_only_the_years_it_reads() -> None:
    wh, _ = _built()
    # 2021-03 of A edited around the writers: the 2021 rows are stale, the 2022 rows (2022 reports) are not
    wh.db.execute("UPDATE reports SET output_value = output_value + 1 WHERE uscc = ? AND period = '2021-03'",
                  [handbuilt.A])
    assert report_ytd.current_extent(wh.con, [2022]) == {2022: 3}
    assert report_ytd.current_extent(wh.con, [2021, 2022]) is None  # a March's windows read 2021 too
    assert not is_current(wh.con) and not is_current(wh.con, thorough=True)
    # a year whose reports were all deleted around the writers is stale as well
    wh2, _ = _built()
    wh2.db.execute("DELETE FROM reports WHERE period LIKE '2021%'")
    assert report_ytd.current_extent(wh2.con, [2021]) is None and report_ytd.current_extent(wh2.con, [2022]) is not None

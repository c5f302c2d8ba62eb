"""Turning points on the one monthly calendar: no February turns before 2013 on the real NBS series."""

from __future__ import annotations

import pandas as pd

from yacang.analysis.turning_points import bry_boschan, turning_points_calendar


def nbs_iva(shared_data) -> tuple[pd.Series, pd.Series]:
    d = pd.read_csv(shared_data / "nbs_official_export_iva_ppi" / "iva_total_monthly.csv", dtype={"date": str})
    d = d.set_index("date")
    return d["iva_yoy_pct"].rename("规上工业增加值当月同比"), d["iva_ytd_yoy_pct"]


def test_no_february_turns_before_2013_on_the_real_series(shared_data) -> None:
    yoy, ytd = nbs_iva(shared_data)
    tp = turning_points_calendar(yoy, ytd)
    table = tp.frame()
    assert len(table) >= 8  # 1999–2025 has several cycles
    for _, row in table.iterrows():
        code = row["时间"]
        # a turn in January/February is the 1-2月 release, never February's single-month figure
        assert not code.endswith("-02") and not code.endswith("-01"), code
    # the calendar kept 2009's February alone (11.0) out of the grid: the grid's 2009-02 is 1-2月 3.8
    assert tp.series[pd.Period("2009-02", "M")] == 3.8


def test_february_alone_would_make_spurious_turns(shared_data) -> None:
    """The check above can fail: a naive grid (February's figure in both months) dates turns there."""
    yoy, _ = nbs_iva(shared_data)
    naive = {}
    for code, v in yoy.dropna().items():
        p = pd.Period(code, "M")
        naive[p] = v
        if p.month == 2:
            naive[p - 1] = v
    s = pd.Series(naive).sort_index()
    s = s.reindex(pd.period_range(s.index.min(), s.index.max(), freq="M"))
    tp = bry_boschan(s)
    early = [str(p) for p in tp.peaks.append(tp.troughs) if p.year < 2013 and p.month in (1, 2)]
    assert early, "a naive January/February treatment should produce at least one early-year turn"

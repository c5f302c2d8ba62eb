"""The single-scan wide panel gives, window by window, what the narrow panels give (hand-built panel)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.microdata import handbuilt
from yacang.measures.drags import top_pulls_by
from yacang.measures.real_growth import aggregate, enterprise_panel
from yacang.measures.windows import (
    aggregate_windows,
    level_tables,
    month_cells,
    month_slices,
    monthly_panel,
    monthly_windows,
    rollup_windows,
    slices_cells,
    window_atoms,
    window_enterprises,
    window_view,
)
from yacang.warehouse.report_ytd import refresh_report_ytd

NARROW = {"month": ("2022-03", False), "ytd": ("2022-03", True), "month_ly": ("2021-03", False),
          "ytd_ly": ("2021-03", True), "ytd_prev": ("2022-01/02", True)}


@pytest.fixture()
def fx(wh):
    handbuilt.build(wh)
    return wh


def test_windows_of_march():
    w = {x.name: x for x in monthly_windows("2022-03")}
    assert w["ytd_prev"].periods == ("2022-01/02", "2022-01", "2022-02") and w["month_ly"].year == 2021


def test_atoms_of_december_and_of_march():
    # December: 当月, the rest of 累计 (also 累计 to November), and the same two last year
    dec = window_atoms(monthly_windows("2023-12"))
    assert sorted(len(a) for a in dec) == [1, 1, 12, 12]
    assert ("2023-12",) in dec and ("2022-12",) in dec
    # March: 当月; 1-2月 (in 累计 and in 累计 to the previous period); the same last year
    mar = window_atoms(monthly_windows("2022-03"))
    assert set(mar) == {("2022-03",), ("2022-01", "2022-01/02", "2022-02"), ("2021-03",),
                        ("2021-01", "2021-01/02", "2021-02")}


def test_each_window_equals_the_narrow_panel(fx):
    wide = monthly_panel(fx.con, "2022-03")
    for name, (period, cumulative) in NARROW.items():
        a = aggregate(window_view(wide, name), ["division"]).to_pandas().set_index("division").sort_index()
        b = aggregate(enterprise_panel(fx.con, period, cumulative=cumulative), ["division"]).to_pandas()
        b = b.set_index("division").sort_index()
        assert a["va"].tolist() == pytest.approx(b["va"].tolist()), name
        assert a["va_base"].tolist() == pytest.approx(b["va_base"].tolist()), name
        assert a["n"].tolist() == b["n"].tolist(), name


def test_aggregate_windows_side_by_side(fx):
    wide = monthly_panel(fx.con, "2022-03")
    g = aggregate_windows(wide, ["province"], monthly_windows("2022-03")).to_pandas().set_index("province")
    assert g.loc["440000", "growth_month"] == pytest.approx((410 / 365 - 1) * 100)
    assert g.loc["440000", "growth_ytd"] == pytest.approx((1230 / 1165 - 1) * 100)
    # 2021-03: 广东 (A, B) 325/308.5; 江苏 (D) 100/105
    assert g.loc["440000", "growth_month_ly"] == pytest.approx((325 / 308.5 - 1) * 100)
    assert g.loc["320000", "growth_month_ly"] == pytest.approx((100 / 105 - 1) * 100)
    assert g["pull_month_ly"].sum() == pytest.approx((425 / 413.5 - 1) * 100)
    assert g.loc["440000", "loss_share_month"] == pytest.approx(100 / 3)
    assert g.loc["440000", "growth_ytd_prev"] == pytest.approx((820 / 800 - 1) * 100)


def test_top_pulls_by_group(fx):
    fx.db.execute("UPDATE reports SET output_value = 441 WHERE uscc = ? AND period = '2022-03'", [handbuilt.B])
    panel = enterprise_panel(fx.con, "2022-03")
    up = top_pulls_by(panel, "prefecture", n=1, negative=False)
    assert up["uscc"].tolist() == [handbuilt.A, handbuilt.C]  # 440100: A; 440300: C (+20 on 140)
    assert up["pull"].tolist() == pytest.approx([25 / 225 * 100, 20 / 140 * 100])
    down = top_pulls_by(panel, "prefecture", n=3)
    assert down["uscc"].tolist() == [handbuilt.B] and down["pull"].iloc[0] == pytest.approx(-10 / 140 * 100)
    # nationally (one group, a plain top-N): A +25, C +20, B −10 on the base 225 + 100 + 40 = 365
    up = top_pulls_by(panel, "nation", n=10, negative=False)
    assert up["uscc"].tolist() == [handbuilt.A, handbuilt.C] and up["place"].tolist() == [1, 2]
    assert up["pull"].tolist() == pytest.approx([25 / 365 * 100, 20 / 365 * 100])
    assert top_pulls_by(panel, "nation", n=1, negative=False)["uscc"].tolist() == [handbuilt.A]
    down = top_pulls_by(panel, "nation", n=10)
    assert down["uscc"].tolist() == [handbuilt.B] and down["pull"].iloc[0] == pytest.approx(-10 / 365 * 100)



def test_top_pulls_named_after_choosing_equal_the_named_panel(fx):
    """Names joined to the chosen few (``names``) give the same rows as a panel carrying every name."""
    fx.db.execute("UPDATE reports SET output_value = 441 WHERE uscc = ? AND period = '2022-03'", [handbuilt.B])
    panel = enterprise_panel(fx.con, "2022-03")
    names = fx.con.table("enterprises").select("uscc", "name")
    for level, negative in (("nation", False), ("nation", True), ("prefecture", False), ("province", True)):
        carried = top_pulls_by(panel, level, n=2, negative=negative)
        joined = top_pulls_by(panel.drop("name"), level, n=2, negative=negative, names=names)
        pd.testing.assert_frame_equal(joined, carried)
        assert carried["name"].notna().all() and len(carried)


def test_rollup_equals_grouping_the_enterprises_again(fx):
    wins = monthly_windows("2022-03")
    wide = monthly_panel(fx.con, "2022-03")
    cells = aggregate_windows(wide, ["province", "prefecture", "county", "division"], wins)
    for by in (["province"], ["prefecture", "division"], ["division"], []):
        a = rollup_windows(cells, by, wins).to_pandas()
        b = aggregate_windows(wide, by, wins).to_pandas()
        if by:
            a, b = a.sort_values(by).reset_index(drop=True), b.sort_values(by).reset_index(drop=True)
        for c in b.columns:
            if c in by:
                assert a[c].tolist() == b[c].tolist()
            else:
                assert a[c].astype(float).tolist() == pytest.approx(b[c].astype(float).tolist(), nan_ok=True), (by, c)
    # and by hand: 广东 累计 1230 / 1165 (test_aggregate_windows_side_by_side)
    g = rollup_windows(cells, ["province"], wins).to_pandas().set_index("province")
    assert g.loc["440000", "growth_ytd"] == pytest.approx((1230 / 1165 - 1) * 100)


def test_all_levels_in_one_query_equal_one_query_a_level(fx):
    wins = monthly_windows("2022-03")
    cells = aggregate_windows(monthly_panel(fx.con, "2022-03"), ["province", "prefecture", "county", "division"], wins)
    levels = [("province", "division"), ("prefecture",), ("division",), ()]
    tables = level_tables(cells, levels, wins)
    for by, got in zip(levels, tables, strict=True):
        want = rollup_windows(cells, list(by), wins).to_pandas()
        want = want.sort_values(list(by)).reset_index(drop=True) if by else want
        assert list(got.columns) == list(want.columns), by
        for c in want.columns:
            if c in by:
                assert got[c].tolist() == want[c].tolist()
            else:  # pull against the level's own total: the pulls of one level add up to its growth
                assert got[c].astype(float).tolist() == pytest.approx(want[c].astype(float).tolist(), nan_ok=True), (by, c)
    prov = tables[0]
    assert prov["pull_ytd"].sum() == pytest.approx(tables[3]["growth_ytd"].iloc[0])


def test_month_cells_from_the_maintained_table(fx):
    refresh_report_ytd(fx.db)  # the handbuilt rows were inserted around the writers
    wins = monthly_windows("2022-03")
    cells = month_cells(fx.con, wins)
    assert cells is not None
    c = cells.to_pandas().set_index(["county", "division"])
    # 440304 × 36 in 2022-03: B 490 ÷ 0.98 × 0.20 = 100 on 500 × 0.20 = 100 (flat, 利润 −10);
    # C 294 ÷ 0.98 × 0.20 = 60 on 200 × 0.20 = 40 (growing, 利润 20)
    bc = c.loc[("440304", "36")]
    assert (bc["province"], bc["prefecture"]) == ("440000", "440300")
    assert bc["n_month"] == 2 and bc["va_month"] == pytest.approx(160.0) and bc["va_base_month"] == pytest.approx(140.0)
    assert (bc["n_growing_month"], bc["n_declining_month"], bc["n_loss_month"]) == (1, 0, 1)
    assert bc["loss_amount_month"] == pytest.approx(10.0) and bc["profit_amount_month"] == pytest.approx(20.0)
    assert bc["growth_month"] == pytest.approx((160 / 140 - 1) * 100)
    # 320102 × 13: D left the 规上 set in 2022, so only last year's windows (2021-03: 400 × 0.25 on 420 × 0.25)
    d = c.loc[("320102", "13")]
    assert d["n_month"] == 0 and d["n_month_ly"] == 1 and d["va_month_ly"] == pytest.approx(100.0)
    # the same table as grouping the wide panel of the enterprises
    want = aggregate_windows(monthly_panel(fx.con, "2022-03", maintained=False),
                             ["province", "prefecture", "county", "division"], wins).to_pandas()
    got = cells.to_pandas()[list(want.columns)]
    key = ["county", "division"]
    pd.testing.assert_frame_equal(got.sort_values(key).reset_index(drop=True),
                                  want.sort_values(key).reset_index(drop=True), check_dtype=False, rtol=1e-12)
    # without the derived columns: the same counts and sums
    raw = slices_cells(month_slices(fx.con, wins), wins, derived=False).to_pandas()
    assert not any(c.startswith(("growth_", "pull_", "loss_share_")) for c in raw.columns)
    assert "n_growing_month" in raw.columns and "va_base_ytd_prev" in raw.columns
    pd.testing.assert_frame_equal(raw.sort_values(key).reset_index(drop=True),
                                  got[list(raw.columns)].sort_values(key).reset_index(drop=True), check_dtype=False)



def test_window_enterprises_from_the_slice(fx):
    """The 累计 window's enterprises straight from the maintained slice, by hand (1-3月 2022): A (2100 +
    1050) ÷ 1.05 × 0.25 = 750 on (2000 + 900) × 0.25 = 725; B (980 + 490) ÷ 0.98 × 0.20 = 300 on 300;
    C (588 + 294) ÷ 0.98 × 0.20 = 180 on 140; D left the 规上 set. The same rows as the wide panel's."""
    refresh_report_ytd(fx.db)
    wins = monthly_windows("2022-03")
    ytd = next(w for w in wins if w.name == "ytd")
    got = window_enterprises(month_slices(fx.con, wins), ytd).to_pandas().set_index("uscc").sort_index()
    assert sorted(got.index) == sorted([handbuilt.A, handbuilt.B, handbuilt.C])
    assert got["va"].to_dict() == pytest.approx({handbuilt.A: 750.0, handbuilt.B: 300.0, handbuilt.C: 180.0})
    assert got["va_base"].to_dict() == pytest.approx({handbuilt.A: 725.0, handbuilt.B: 300.0, handbuilt.C: 140.0})
    assert got.loc[handbuilt.B, ["nation", "province", "prefecture", "county", "division"]].tolist() == [
        "100000", "440000", "440300", "440304", "36"]
    want = window_view(monthly_panel(fx.con, "2022-03", maintained=False), "ytd").to_pandas().set_index("uscc")
    want = want.loc[got.index, list(got.columns)]
    pd.testing.assert_frame_equal(got, want, check_dtype=False, rtol=1e-12)

def test_month_cells_need_a_current_table(fx):
    refresh_report_ytd(fx.db)
    fx.db.execute("UPDATE enterprise_years SET above_scale = NOT above_scale WHERE year = 2022")  # around the writers
    assert month_cells(fx.con, monthly_windows("2022-03")) is None


def test_several_top_pulls_in_one_query_equal_pandas(fx):
    """Each list of :func:`top_pulls_sets` (one query) against the same top-N in pandas from the panel's
    rows: pull against the group's Σ base, the n biggest of the sign, ties by code."""
    from yacang.measures.drags import top_pulls_sets

    fx.db.execute("UPDATE reports SET output_value = 441 WHERE uscc = ? AND period = '2022-03'", [handbuilt.B])
    panel = enterprise_panel(fx.con, "2022-03")
    rows = panel.to_pandas()
    specs = [("nation", 2, False), ("nation", 10, True), ("prefecture", 1, False), ("province", 3, True)]
    for (level, n, negative), got in zip(specs, top_pulls_sets(panel, specs), strict=True):
        want = rows.assign(pull=(rows["va"] - rows["va_base"]) / rows.groupby(level)["va_base"].transform("sum") * 100)
        want = want[want["pull"] < 0] if negative else want[want["pull"] > 0]
        want = want.sort_values([level, "pull", "uscc"], ascending=[True, negative, True])
        want = want.groupby(level).head(n)
        assert got[level].tolist() == want[level].tolist(), (level, negative)
        assert got["uscc"].tolist() == want["uscc"].tolist(), (level, negative)
        assert got["name"].tolist() == want["name"].tolist()
        assert got["pull"].tolist() == pytest.approx(want["pull"].tolist())
        assert got["place"].tolist() == (want.groupby(level).cumcount() + 1).tolist()
    # by hand (test_top_pulls_by_group): nationally A +25 and C +20 on 365; 440100's A on 225
    top, _, pref, _ = top_pulls_sets(panel, specs)
    assert top["uscc"].tolist() == [handbuilt.A, handbuilt.C]
    assert top["pull"].tolist() == pytest.approx([25 / 365 * 100, 20 / 365 * 100])
    assert pref["pull"].iloc[0] == pytest.approx(25 / 225 * 100)


"""Every window's sums per enterprise in one statement (yacang.microdata.window_sums), by hand.

Hand-built panel (handbuilt.py), 2022-03. Deflators 增加值率 × 100 ÷ PPI: 2022 division 13 → 0.25/1.05,
36 → 0.20/0.98; 2021 → 0.25 and 0.20. Real VA / base:
A (13): 2022-03 1050 → 250 / 900×0.25 = 225; 1-2月 2100 → 500 / 500; 2021-03 900 → 225 / 212.5.
B (36): 2022-03 490 → 100 / 100; 1-2月 980 → 200 / 200; 2021-03 500 → 100 / 96.
C (36, 规上 from 2022): 2022-03 294 → 60 / 40; 1-2月 588 → 120 / 100.
D (13, 规上 in 2021 only): 2022-03 not counted (0); 2021-03 400 → 100 / 105.
"""

from __future__ import annotations

import pytest

from tests.microdata import handbuilt
from yacang.measures.windows import monthly_windows
from yacang.microdata.window_sums import choose_plan, deflators, window_sums

A, B, C, D = handbuilt.A, handbuilt.B, handbuilt.C, handbuilt.D
WINS = monthly_windows("2022-03")


@pytest.fixture()
def fx(wh):
    handbuilt.build(wh)
    return wh


def _sums(wh, plan=None):
    return window_sums(wh.con, WINS, plan=plan).to_pandas().set_index("uscc")


def _plan(wh) -> str:
    factors, _ = deflators(wh.con, sorted({q for w in WINS for q in w.periods}), [2021, 2022])
    return choose_plan(factors, ["13", "36"])


@pytest.mark.parametrize("plan", ["enterprise", "rows"])
def test_both_plans_by_hand(fx, plan):
    df = _sums(fx, plan)
    assert sorted(df.index) == sorted([A, B, C, D])
    assert df.loc[A, ["va_month", "va_base_month", "va_ytd", "va_base_ytd"]].tolist() == pytest.approx(
        [250, 225, 750, 725])
    assert df.loc[A, ["va_month_ly", "va_base_month_ly", "va_ytd_prev", "va_base_ytd_prev"]].tolist() == \
        pytest.approx([225, 212.5, 500, 500])
    assert df.loc[C, ["va_ytd", "va_base_ytd", "n_ytd", "n_month_ly"]].tolist() == pytest.approx([180, 140, 2, 0])
    assert df.loc[D, ["n_month", "va_month", "n_month_ly", "va_month_ly", "va_base_ytd_ly"]].tolist() == \
        pytest.approx([0, 0, 1, 100, 105])
    assert df.loc[B, ["profit_month", "profit_ytd", "output_value_ytd", "export_delivery_month"]].tolist() == \
        pytest.approx([-10, 0, 1470, 50])
    assert str(df["n_ytd"].dtype) == "int64"


def test_complete_deflators_take_the_enterprise_plan(fx):
    assert _plan(fx) == "enterprise"


def test_a_missing_ppi_drops_only_its_rows(fx):
    """Without PPI for 2022-03 × 36, B's and C's March rows drop out (as the narrow panel drops them),
    their 1-2月 rows stay: only the row plan can do that, and it is chosen."""
    fx.db.execute("DELETE FROM division_ppi WHERE period = '2022-03' AND division = '36'")
    assert _plan(fx) == "rows"
    df = _sums(fx)
    assert df.loc[B, ["n_month", "n_ytd", "va_ytd", "va_base_ytd", "profit_ytd"]].tolist() == pytest.approx(
        [0, 1, 200, 200, 10])
    assert df.loc[C, ["n_month", "va_ytd", "va_base_ytd"]].tolist() == pytest.approx([0, 120, 100])
    assert df.loc[A, ["va_month", "va_ytd"]].tolist() == pytest.approx([250, 750])


def test_a_period_without_any_ppi_counts_no_row(fx):
    """No PPI at all for 2022-03: every March row drops; 累计 is 1-2月 alone, 当月 is empty."""
    fx.db.execute("DELETE FROM division_ppi WHERE period = '2022-03'")
    assert _plan(fx) == "enterprise"
    df = _sums(fx)
    assert df["n_month"].tolist() == [0, 0, 0, 0]
    assert df.loc[A, ["n_ytd", "va_ytd", "va_base_ytd"]].tolist() == pytest.approx([1, 500, 500])
    assert df.loc[C, ["va_ytd", "va_base_ytd"]].tolist() == pytest.approx([120, 100])
    assert df["va_month"].isna().all()  # one atom without rows sums to NULL, as one sum over no rows


def test_returned_reports_do_not_count(fx):
    fx.db.execute("UPDATE reports SET status = 'returned' WHERE uscc = ? AND period = '2022-03'", [A])
    df = _sums(fx)
    assert df.loc[A, ["n_month", "n_ytd", "va_ytd", "va_base_ytd"]].tolist() == pytest.approx([0, 1, 500, 500])

"""Top-N enterprises by pull, both signs (hand-built panel; see test_real_growth for the numbers)."""

from __future__ import annotations

import pytest

from tests.microdata import handbuilt
from yacang.measures.drags import top_pulls
from yacang.measures.real_growth import Scope


def test_top_pulls_both_signs(wh):
    handbuilt.build(wh)
    # make B decline in March: 441/0.98×0.2 = 90 against 100
    wh.db.execute("UPDATE reports SET output_value = 441 WHERE uscc = ? AND period = '2022-03'", [handbuilt.B])
    up, down = top_pulls(wh.con, "2022-03", n=5, cumulative=False)
    assert up["uscc"].tolist() == [handbuilt.A, handbuilt.C]  # +25 and +20 on a base of 365
    assert up["pull"].tolist() == pytest.approx([25 / 365 * 100, 20 / 365 * 100])
    assert down["uscc"].tolist() == [handbuilt.B]
    assert down["pull"].iloc[0] == pytest.approx(-10 / 365 * 100)
    assert up["pull"].sum() + down["pull"].sum() == pytest.approx((400 / 365 - 1) * 100)
    # within a region the base is the region's: Shenzhen (440300) = B + C, base 140
    up_sz, down_sz = top_pulls(wh.con, "2022-03", Scope(region="440300"), n=1, cumulative=False)
    assert up_sz["pull"].tolist() == pytest.approx([20 / 140 * 100])
    assert down_sz["pull"].tolist() == pytest.approx([-10 / 140 * 100])


def test_an_enterprise_without_a_province_is_a_group_of_its_own():
    """A NULL group (an enterprise whose county is not in the code list) is ranked as a group, as a window
    over the groups would: place 1 within it, its pull against its own base."""
    import ibis

    from yacang.measures.drags import top_pulls_by

    panel = ibis.memtable({"uscc": ["A", "B", "C"], "name": ["甲", "乙", "丙"], "province": ["440000", None, None],
                           "division": ["39", "39", "36"], "va": [110.0, 130.0, 90.0],
                           "va_base": [100.0, 100.0, 100.0]})
    up = top_pulls_by(panel, "province", n=3, negative=False)
    got = {(None if p is None or p != p else p, u): (pl, pull) for p, u, pl, pull in
           up[["province", "uscc", "place", "pull"]].itertuples(index=False)}
    assert got == {("440000", "A"): (1, pytest.approx(10.0)), (None, "B"): (1, pytest.approx(30 / 200 * 100))}

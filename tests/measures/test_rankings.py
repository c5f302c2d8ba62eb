"""Rankings of sibling regions: competition ranks with ties, rank change, gap to the parent."""

from __future__ import annotations

import pandas as pd

from yacang.measures.rankings import change_zh, competition_rank, rank_table, versus_parent_zh


def test_competition_ranking_with_ties():
    v = pd.Series({"a": 7.2, "b": 5.04, "c": 4.96, "d": 3.0})  # b and c both publish as 5.0
    assert competition_rank(v).tolist() == [1, 2, 2, 4]


def test_rank_change_and_parent_gap():
    now = pd.Series({"440000": 6.0, "320000": 7.5, "330000": 5.0})
    before = pd.Series({"440000": 8.0, "320000": 6.0, "330000": 7.0})
    t = rank_table(now, before, parent=6.5, parent_name="全国")
    assert t.index.tolist() == ["320000", "440000", "330000"]
    assert t["rank"].tolist() == [1, 2, 3]
    assert t["prev_rank"].tolist() == [3, 1, 2]
    assert t["rank_change"].tolist() == [2, -1, -1]  # 320000 up two places
    assert t.loc["320000", "vs_parent"] == "高于全国1.0个百分点"
    assert t.loc["330000", "vs_parent"] == "低于全国1.5个百分点"
    assert t.loc["440000", "vs_parent_pp"] == -0.5


def test_texts():
    assert versus_parent_zh(6.04, 5.96, "全省") == "与全省持平"
    assert change_zh(2) == "↑2" and change_zh(-1) == "↓1" and change_zh(0) == "持平" and change_zh(pd.NA) == ""

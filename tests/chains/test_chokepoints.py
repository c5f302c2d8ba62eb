"""堵点/卡点 on hand-built graphs."""

from __future__ import annotations

import pandas as pd

from tests.chains.conftest import U
from yacang.chains.chokepoints import dominators, province_dependence, segment_losses, single_source
from yacang.chains.shocks import network
from yacang.warehouse import chains as store


def frame(edges):
    return pd.DataFrame(edges, columns=["supplier", "customer", "share", "substitutability"])


def test_dominator_node():
    # S1→M, S2→M, M→K, S3→K, K→T: every path from a source (S1, S2, S3) to T passes K; M is bypassed by S3.
    lk = frame([("S1", "M", .5, 0), ("S2", "M", .5, 0), ("M", "K", .5, 0), ("S3", "K", .5, 0), ("K", "T", 1, 0)])
    assert dominators(lk, "T") == ["K"]
    assert dominators(lk, "K") == []  # K has two independent supply routes (via M, and S3)
    assert dominators(lk, "M") == []
    # a chain of single suppliers: all of them dominate, nearest first
    assert dominators(frame([("A", "B", 1, 0), ("B", "C", 1, 0), ("C", "D", 1, 0)]), "D") == ["C", "B", "A"]


def test_dominators_with_a_cycle():
    # S→A, A→B, B→A (cycle), B→T: S's supply reaches T only through A then B → both dominate T
    lk = frame([("S", "A", 1, 0), ("A", "B", 1, 0), ("B", "A", .2, 0), ("B", "T", 1, 0)])
    assert dominators(lk, "T") == ["B", "A", "S"]
    assert dominators(frame([("A", "B", 1, 0), ("B", "A", 1, 0)]), "A") == []  # no source outside the cycle


def test_world_single_sources_and_dominators(chain_wh):
    lk = store.links(chain_wh)
    ss = single_source(lk)
    # share ≥ .5 and substitutability ≤ .3: E7→E4 (.7/.1), E1→E6 (.6/0), E1→E3 (.5/.2); largest share first
    assert list(zip(ss["supplier"], ss["customer"], strict=True)) == [(U["E7"], U["E4"]), (U["E1"], U["E6"]),
                                                                       (U["E1"], U["E3"])]
    assert dominators(lk, U["E3"]) == [U["E1"], U["E2"]]
    assert dominators(lk, U["E5"]) == []  # E5 also gets supply from E7→E4, which avoids 上海


def test_province_dependence(chain_wh):
    mem = store.members(chain_wh, "nev")
    dep = province_dependence(store.links(chain_wh), mem).set_index("uscc")
    # E5 (浙江): E3 (江苏) .3 + E4 (浙江) .4 + E6 (安徽) .2 → declared .9, from other provinces .5
    assert abs(dep.loc[U["E5"], "declared"] - 0.9) < 1e-12 and abs(dep.loc[U["E5"], "other_province"] - 0.5) < 1e-12
    # E1 (上海) gets .4 from E2, also in 上海
    assert dep.loc[U["E1"], "other_province"] == 0


def test_segment_losses(chain_wh):
    import datetime as dt

    net = network(chain_wh, dt.date(2022, 4, 1))
    seg = segment_losses(net, store.members(chain_wh, "nev"), days=10).set_index("segment")
    # stopping 车规级芯片 (E1) 10 days costs the other nev members E3 140 + E6 180 + E5 ≤ 10-day horizon:
    # E3 days 4–9 (6 × .4 = 2.4 → 120); E6 days 1–9 (9 × .6 = 5.4 → 162); E5 day 5 .04, days 6–9 .06×4 → .28 → 84
    assert abs(seg.loc["chips", "output_lost"] - (120 + 162 + 84)) < 1e-9
    assert seg.index[0] == "chips"  # the segment whose loss cuts most output
    assert seg.loc["vehicle", "output_lost"] == 0  # 整车 supplies nobody

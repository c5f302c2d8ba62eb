"""Propagation on hand-built graphs; every expected value is worked out by hand in the comments.

Model reminder (see yacang.chains.engine): a customer on day t receives what its supplier shipped on
day t−1; the link's stock (days) covers a gap first; the uncovered gap costs share × (1 − substitutability).
"""

from __future__ import annotations

import numpy as np
import pytest

from yacang.chains.engine import Caps, SupplyGraph, propagate
from yacang.chains.naive import naive_propagate, same_results

A, B, C, D = 0, 1, 2, 3


def graph(n, links):
    s, c, share, sub, inv = (np.array(x, dtype=float) for x in zip(*links, strict=True))
    return SupplyGraph.build(n, s.astype(int), c.astype(int), share, sub, inv)


def run(n, links, caps, days, out=None):
    res = propagate(graph(n, links), caps, days, None if out is None else np.array(out, float), keep_levels=True)
    naive = naive_propagate(n, links, caps, days, out)
    assert same_results(res, naive)  # the per-node reference agrees on every output
    return res


def test_inventory_buffer_delays_the_stop():
    # A → B, share 1, not substitutable, B holds 2 days of A's input. A stops on days 0–4 (end 5).
    # day 0: A=0; B still receives A's day −1 shipment → 1
    # day 1: gap 1, stock 2 → covered 1 (stock 1) → B=1;  day 2: covered 1 (stock 0) → B=1
    # day 3, 4: nothing covered → B=0;  day 5: A back (1) but B gets A's day-4 shipment (0) → B=0
    # day 6, 7: B=1.  Output per day A=10, B=20 万元 → lost A 5×10=50, B 3×20=60.
    links = [(A, B, 1.0, 0.0, 2.0)]
    r = run(2, links, Caps.stop([A], 0, 5), 8, [10, 20])
    assert r.levels[:, B].tolist() == [1, 1, 1, 0, 0, 0, 1, 1]
    assert r.daily_affected.tolist() == [1, 1, 1, 2, 2, 1, 0, 0]
    assert r.first_day.tolist() == [0, 3]
    assert r.lost.tolist() == [50.0, 60.0]
    assert r.daily_lost.tolist() == [10, 10, 10, 30, 30, 20, 0, 0]


def test_substitution_softens_the_loss():
    # A → C share 0.6, half of it replaceable; B → C share 0.4 (B not shocked). No stocks.
    # A stops days 0–2. C on days 1–3: loss = 1 × 0.6 × (1 − 0.5) = 0.3 → level 0.7; day 4 → 1.
    links = [(A, C, 0.6, 0.5, 0.0), (B, C, 0.4, 0.0, 0.0)]
    r = run(3, links, Caps.stop([A], 0, 3), 5)
    assert r.levels[:, C] == pytest.approx([1, 0.7, 0.7, 0.7, 1])
    assert r.level_sum[C] == pytest.approx(0.9)  # 3 days × 0.3
    assert r.first_day[B] == -1 and r.min_level[B] == 1


def test_multi_hop_with_stock_and_partial_substitution():
    # A → B share 0.5, stock 1 day; B → C share 1, substitutability 0.2, no stock. A stops all 5 days.
    # day 1: B's gap covered by its 1-day stock → B=1;  day 2 on: B = 1 − 0.5 = 0.5
    # C sees B's day-2 level on day 3: gap 0.5 × weight 0.8 = 0.4 → C = 0.6 on days 3, 4.
    links = [(A, B, 0.5, 0.0, 1.0), (B, C, 1.0, 0.2, 0.0)]
    r = run(3, links, Caps.stop([A], 0, 10), 5)
    assert r.levels[:, B] == pytest.approx([1, 1, 0.5, 0.5, 0.5])
    assert r.levels[:, C] == pytest.approx([1, 1, 1, 0.6, 0.6])
    assert r.first_day.tolist() == [0, 2, 3]
    assert r.min_level == pytest.approx([0, 0.5, 0.6])


def test_cycle_in_the_supply_graph():
    # D → B share 0.5 (no stock); C → B share 0.5 (stock 1); B → C share 1, substitutability 0.5 (no stock):
    # B and C supply each other. D stops days 0–1.
    # day 1: B = 1 − 0.5 (D's gap) = 0.5;  C = 1 (B's day-0 shipment was full)
    # day 2: B = 0.5 (D's day-1 gap);  C: gap 0.5 × 0.5 = 0.25 → 0.75
    # day 3: D's gap gone; C's gap 0.25 covered by B's stock (1 → 0.75) → B=1;  C: B's day-2 gap → 0.75
    # day 4: C's gap 0.25 covered again (stock 0.5) → B=1;  C: B full on day 3 → 1.  day 5: all 1.
    links = [(D, B, 0.5, 0.0, 0.0), (C, B, 0.5, 0.0, 1.0), (B, C, 1.0, 0.5, 0.0)]
    r = run(4, links, Caps.stop([D], 0, 2), 6)
    assert r.levels[:, B] == pytest.approx([1, 0.5, 0.5, 1, 1, 1])
    assert r.levels[:, C] == pytest.approx([1, 1, 0.75, 0.75, 1, 1])
    assert r.daily_affected.tolist() == [1, 2, 2, 1, 0, 0]
    assert r.level_sum[[B, C]] == pytest.approx([1.0, 0.5])


def test_partial_cap_and_two_shocks_take_the_lower():
    # A capped at 0.6 on days 0–3 and stopped on day 2: its level is the lower cap each day.
    caps = Caps.concat([Caps(np.array([A]), np.array([0]), np.array([4]), np.array([0.6])), Caps.stop([A], 2, 3)])
    r = run(2, [(A, B, 1.0, 0.0, 0.0)], caps, 5)
    assert r.levels[:, A] == pytest.approx([0.6, 0.6, 0.0, 0.6, 1])
    assert r.levels[:, B] == pytest.approx([1, 0.6, 0.6, 0.0, 0.6])
    assert sorted(caps.direct.tolist()) == [A]


def test_duplicate_link_is_refused():
    with pytest.raises(ValueError, match="重复"):
        graph(2, [(A, B, 0.5, 0, 0), (A, B, 0.5, 0, 0)])


def test_random_graphs_agree_with_the_naive_reference():
    rng = np.random.default_rng(7)
    for _ in range(20):
        n, m = 40, 120
        s, c = rng.integers(0, n, m), rng.integers(0, n, m)
        keep = s != c
        pairs = sorted({(int(a), int(b)) for a, b in zip(s[keep], c[keep], strict=True)})
        links = [(a, b, float(rng.uniform(0, 0.6)), float(rng.uniform(0, 1)), float(rng.integers(0, 4)))
                 for a, b in pairs]
        caps = Caps.stop(rng.choice(n, 3, replace=False), 0, 10)
        run(n, links, caps, 15, rng.uniform(1, 100, n).tolist())

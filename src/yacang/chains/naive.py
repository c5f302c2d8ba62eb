"""The naive reference of :mod:`yacang.chains.engine`: per-node BFS over Python dicts, one day at a time.

Same model, written the obvious way: each day, a breadth-first search from the directly shocked
enterprises visits every enterprise downstream, and each visited enterprise recomputes its level from
all of its suppliers. Used by the tests (a second implementation to compare against) and by
``benchmarks/chains.py`` (the baseline); never by the application.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from yacang.chains.engine import ABSORBED, EPS, Caps


def naive_propagate(n: int, links: list[tuple[int, int, float, float, float]], caps: Caps, days: int,
                    daily_output: list[float] | None = None) -> dict[str, list]:
    """``links``: (supplier, customer, share, substitutability, inventory_days). Returns per-day lists
    ``affected``/``lost`` and per-enterprise ``first_day``/``min_level``/``lost_total``."""
    out_links: dict[int, list[int]] = {}
    in_links: dict[int, list[tuple[int, float]]] = {}
    stock: dict[tuple[int, int], float] = {}
    for s, c, share, sub, inv in links:
        out_links.setdefault(s, []).append(c)
        in_links.setdefault(c, []).append((s, share * (1.0 - sub)))
        stock[(s, c)] = inv
    out = daily_output or [1.0] * n
    direct: dict[int, list[tuple[int, int, float]]] = {}
    for i, a, b, v in zip(caps.idx.tolist(), caps.start.tolist(), caps.end.tolist(), caps.cap.tolist(), strict=True):
        direct.setdefault(i, []).append((a, b, v))
    prev = [1.0] * n
    first = [-1] * n
    low = [1.0] * n
    total = [0.0] * n
    affected, lost = [], []
    for t in range(days):
        level = [1.0] * n
        for i, spans in direct.items():
            for a, b, v in spans:
                if a <= t < b:
                    level[i] = min(level[i], v)
        seen = set(direct)
        queue = deque(direct)
        while queue:
            node = queue.popleft()
            for c in out_links.get(node, ()):
                if c not in seen:
                    seen.add(c)
                    queue.append(c)
        for c in seen:
            loss = 0.0
            for s, w in in_links.get(c, ()):
                g = 1.0 - prev[s]
                if g > EPS:
                    cov = min(stock[(s, c)], g)
                    stock[(s, c)] -= cov
                    loss += (g - cov) * w
            if loss > 0:
                level[c] = min(level[c], max(0.0, 1.0 - loss))
        n_aff, day_lost = 0, 0.0
        for i in seen:
            if level[i] > 1.0 - ABSORBED:
                level[i] = 1.0
            if level[i] < 1.0 - EPS:
                n_aff += 1
                day_lost += (1.0 - level[i]) * out[i]
                total[i] += (1.0 - level[i]) * out[i]
                if first[i] < 0:
                    first[i] = t
                low[i] = min(low[i], level[i])
        affected.append(n_aff)
        lost.append(day_lost)
        prev = level
    return {"affected": affected, "lost": lost, "first_day": first, "min_level": low, "lost_total": total}


def same_results(engine_result, naive: dict[str, list]) -> bool:
    """Whether the engine's and the naive results agree (counts exactly, money to 1e-6 relative)."""
    e = engine_result
    return (np.array_equal(e.daily_affected, naive["affected"]) and np.array_equal(e.first_day, naive["first_day"])
            and np.allclose(e.daily_lost, naive["lost"], rtol=1e-6, atol=1e-6)
            and np.allclose(e.min_level, naive["min_level"], atol=1e-9)
            and np.allclose(e.lost, naive["lost_total"], rtol=1e-6, atol=1e-6))

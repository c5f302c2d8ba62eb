"""Day-by-day disruption propagation through supplier→customer links (scipy.sparse graph, numpy state).

The model (one day per step; level 1 = normal output, 0 = stopped):

* a shock caps some enterprises' levels on some days (:class:`Caps`: a stop gives 0, a material shortage
  ``1 − share × severity``);
* what a customer receives on day *t* was shipped by its supplier on day *t−1*: the link's supply gap
  is ``g = 1 − level_supplier(t−1)`` (so one hop takes one day, and a cycle in the supply graph is
  simply followed day after day);
* the customer's stock of that input (``inventory_days``, in days of full use) covers the gap first:
  ``covered = min(stock, g)``, ``stock −= covered``; stocks are not refilled within the horizon
  (conservative);
* the uncovered gap is partly replaced by other sources: the lost share of inputs is
  ``share × (1 − substitutability) × (g − covered)``;
* the customer's level is ``min(cap, max(0, 1 − Σ lost shares))`` (inputs are used in proportion to
  their share of the customer's inputs); a shortfall below :data:`ABSORBED` (0.1% of output) counts as
  none, so a gap circling a loop of suppliers dies out instead of lingering at 10⁻⁶.

Output lost on a day is ``(1 − level) × daily output`` (万元). The graph is a ``scipy.sparse`` CSR matrix
with one row per supplier; each day only the rows of suppliers with a gap are touched, so the work
follows the disruption, not the size of the national graph.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

EPS = 1e-9
ABSORBED = 1e-3  # a shortfall below 0.1% of output is absorbed (below what any report measures)


@dataclass
class SupplyGraph:
    """Enterprises 0..n−1 and links in CSR order (sorted by supplier)."""

    n: int
    indptr: np.ndarray  # CSR row pointers (supplier rows)
    customer: np.ndarray  # int32 per link
    weight: np.ndarray  # share × (1 − substitutability) per link
    inventory: np.ndarray  # inventory days per link
    order: np.ndarray  # CSR position -> index of the link in the input arrays

    @classmethod
    def build(cls, n: int, supplier: np.ndarray, customer: np.ndarray, share: np.ndarray,
              substitutability: np.ndarray, inventory_days: np.ndarray) -> SupplyGraph:
        supplier = np.asarray(supplier, dtype=np.int64)
        customer = np.asarray(customer, dtype=np.int64)
        m = len(supplier)
        # CSR with the link's index as data: gives the supplier-sorted order of the links
        ids = np.arange(1, m + 1, dtype=np.float64)
        csr = sp.csr_array((ids, (supplier, customer)), shape=(n, n))
        csr.sum_duplicates()
        if csr.nnz != m:
            raise ValueError("重复的供货关系（同一供应商—客户出现多次）")
        order = csr.data.astype(np.int64) - 1
        w = (np.asarray(share, float) * (1.0 - np.asarray(substitutability, float)))[order]
        return cls(n, csr.indptr.astype(np.int64), csr.indices.astype(np.int32), w,
                   np.asarray(inventory_days, float)[order].copy(), order)

    def matrix(self) -> sp.csr_array:
        """Supplier × customer matrix of effective weights (share × (1 − substitutability))."""
        return sp.csr_array((self.weight, self.customer, self.indptr), shape=(self.n, self.n))


@dataclass
class Caps:
    """Direct shocks: enterprise ``idx`` is capped at ``cap`` on days ``start`` ≤ t < ``end``."""

    idx: np.ndarray
    start: np.ndarray
    end: np.ndarray
    cap: np.ndarray

    @classmethod
    def stop(cls, idx, start: int, end: int) -> Caps:
        idx = np.asarray(idx, dtype=np.int64)
        k = len(idx)
        return cls(idx, np.full(k, start), np.full(k, end), np.zeros(k))

    @classmethod
    def concat(cls, parts: list[Caps]) -> Caps:
        return cls(*(np.concatenate([getattr(p, f) for p in parts]) for f in ("idx", "start", "end", "cap")))

    def on(self, t: int, n: int) -> np.ndarray:
        level = np.ones(n)
        a = (self.start <= t) & (t < self.end)
        np.minimum.at(level, self.idx[a], self.cap[a])
        return level

    @property
    def direct(self) -> np.ndarray:
        return np.unique(self.idx[self.cap < 1.0 - EPS])


@dataclass
class Propagation:
    """Results over the horizon."""

    daily_affected: np.ndarray  # per day: enterprises below normal
    daily_lost: np.ndarray  # per day: output lost (万元)
    first_day: np.ndarray  # per enterprise: first day below normal, −1 if never
    min_level: np.ndarray  # per enterprise: lowest level
    lost: np.ndarray  # per enterprise: output lost over the horizon (万元)
    level_sum: np.ndarray  # per enterprise: Σ (1 − level) (days of output lost)
    levels: np.ndarray | None = None  # days × n, when asked for (small graphs)


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Concatenation of ``arange(s, e)`` for each pair, without a Python loop."""
    lens = ends - starts
    total = int(lens.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    offs = np.repeat(starts - np.concatenate(([0], np.cumsum(lens)[:-1])), lens)
    return np.arange(total, dtype=np.int64) + offs


def propagate(g: SupplyGraph, caps: Caps, days: int, daily_output: np.ndarray | None = None, *,
              keep_levels: bool = False) -> Propagation:
    """Run the model for ``days`` days under ``caps`` and return per-day and per-enterprise results."""
    n = g.n
    out_day = np.ones(n) if daily_output is None else np.asarray(daily_output, float)
    stock = g.inventory.copy()
    prev = np.ones(n)
    first = np.full(n, -1, dtype=np.int64)
    low = np.ones(n)
    level_sum = np.zeros(n)
    aff = np.zeros(days, dtype=np.int64)
    lost_day = np.zeros(days)
    levels = np.empty((days, n)) if keep_levels else None
    for t in range(days):
        gap = 1.0 - prev
        hit = np.flatnonzero(gap > EPS)
        level = caps.on(t, n)
        if len(hit):
            starts, ends = g.indptr[hit], g.indptr[hit + 1]
            idx = _ranges(starts, ends)
            if len(idx):
                gl = np.repeat(gap[hit], ends - starts)
                st = stock[idx]
                cov = np.minimum(st, gl)
                stock[idx] = st - cov
                loss = np.bincount(g.customer[idx], weights=(gl - cov) * g.weight[idx], minlength=n)
                np.minimum(level, np.clip(1.0 - loss, 0.0, 1.0), out=level)
        level[level > 1.0 - ABSORBED] = 1.0
        below = np.flatnonzero(level < 1.0 - EPS)
        new = below[first[below] < 0]
        first[new] = t
        np.minimum(low, level, out=low)
        short = 1.0 - level[below]
        level_sum[below] += short
        aff[t] = len(below)
        lost_day[t] = float(short @ out_day[below])
        if levels is not None:
            levels[t] = level
        prev = level
    lost = level_sum * out_day
    return Propagation(aff, lost_day, first, low, lost, level_sum, levels)

"""The bit-parallel scan (64 units per word) against the per-period state machine, unit by unit in Python."""

from __future__ import annotations

import numpy as np
import pytest

from yacang.alerts.engine import FIRING, PENDING, scan_changes, step_states


def _by_hand(active: np.ndarray, sev: np.ndarray, for_n: int, keep: int) -> dict[str, list]:
    """The state machine of the module docstring for each unit in plain Python (periods × units in)."""
    n_t, n = active.shape
    out: dict[str, list] = {k: [] for k in ("f", "r", "firing", "pending", "fired", "level", "since", "run", "last")}
    for u in range(n):
        run = cleared = 0
        firing = fired = False
        level, since, last = -1, 0, -1
        prev = None
        for t in range(n_t):
            a = bool(active[t, u])
            run = run + 1 if a else 0
            cleared = cleared + 1 if firing and not a else 0
            ends = firing and cleared > keep
            starts = not firing and a and run >= for_n
            if a:
                level, last = int(sev[t, u]), t
            firing = (firing and not ends) or starts
            fired = fired or firing
            if starts:
                since = t
            code = ("firing", level) if firing else ("resolved",) if fired else None
            if code != prev and code is not None:
                (out["f"] if firing else out["r"]).append((u, t, level))
            prev = code
        out["firing"].append(firing)
        out["pending"].append(n_t > 0 and bool(active[n_t - 1, u]) and not firing)
        out["fired"].append(fired)
        out["level"].append(level)
        out["since"].append(since)
        out["run"].append(run)
        out["last"].append(last)
    return out


@pytest.mark.parametrize(("n_t", "n", "levels", "for_n", "keep", "p"), [
    (36, 200, 2, 1, 0, 0.3), (36, 130, 4, 2, 1, 0.5), (30, 64, 3, 3, 2, 0.6), (12, 65, 1, 1, 3, 0.4),
    (5, 1, 2, 2, 0, 0.7), (1, 70, 2, 1, 1, 0.5), (40, 129, 4, 4, 0, 0.8), (24, 300, 2, 1, 5, 0.2)])
def test_bit_scan_equals_python_by_hand(n_t, n, levels, for_n, keep, p):
    rng = np.random.default_rng(n_t * 1000 + n + for_n * 7 + keep)
    active = rng.random((n_t, n)) < p
    sev = np.where(active, rng.integers(0, levels, (n_t, n)), -1).astype(np.int8)
    s = scan_changes(active, sev, for_n, keep)
    ref = _by_hand(active, sev, for_n, keep)
    # transitions come in period order, then unit order
    assert list(zip(s["f_unit"].tolist(), s["f_col"].tolist(), s["f_sev"].tolist(), strict=True)) == \
        sorted(ref["f"], key=lambda x: (x[1], x[0]))
    assert list(zip(s["r_unit"].tolist(), s["r_col"].tolist(), s["r_sev"].tolist(), strict=True)) == \
        sorted(ref["r"], key=lambda x: (x[1], x[0]))
    for key, ref_key in (("firing", "firing"), ("pending", "pending"), ("fired", "fired"), ("level", "level"),
                         ("fire_since", "since"), ("run", "run"), ("last_active", "last")):
        assert s[key].tolist() == ref[ref_key], key


def test_bit_scan_agrees_with_step_states_on_final_states():
    """A second reference: the per-period state grid of :func:`step_states` says the same final state."""
    rng = np.random.default_rng(7)
    active = rng.random((20, 150)) < 0.45
    sev = np.where(active, rng.integers(0, 2, (20, 150)), -1).astype(np.int8)
    s = scan_changes(active, sev, 2, 1)
    state, _ = step_states(active.T, sev.T, 2, 1)
    assert s["firing"].tolist() == (state[:, -1] == FIRING).tolist()
    assert s["pending"].tolist() == (state[:, -1] == PENDING).tolist()
    assert s["fired"].tolist() == (state == FIRING).any(axis=1).tolist()


def test_bit_scan_by_hand_levels_and_resolution_level():
    # one unit, for 1, keep 1: 黄(0) fires t0, 红(1) t1 is a change of level, t2 cleared once (kept),
    # t3 cleared twice → resolved at 红 (the last active period's level, t1)
    sev = np.array([[0], [1], [-1], [-1], [0]], dtype=np.int8)
    s = scan_changes(sev >= 0, sev, 1, 1)
    assert list(zip(s["f_col"].tolist(), s["f_sev"].tolist(), strict=True)) == [(0, 0), (1, 1), (4, 0)]
    assert list(zip(s["r_col"].tolist(), s["r_sev"].tolist(), strict=True)) == [(3, 1)]
    assert s["firing"].tolist() == [True] and s["fire_since"].tolist() == [4] and s["last_active"].tolist() == [4]

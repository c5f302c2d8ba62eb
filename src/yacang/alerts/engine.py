"""Per-period evaluation of rule packs with alert states pending → firing → resolved.

Facts are pivoted once into ``keys × periods`` arrays (one per metric); each rule's expressions run
on the whole grid, and the state machine steps through the periods with vector operations across all
units at once, so cost grows with periods, not with units × periods in Python.

What is stored (:func:`changes`) comes from one pass per rule (:func:`scan_changes`, on bits: 64 units
per operation) that keeps only the transitions and the state after the last period, never a row per
evaluated cell; expressions are computed once per rule family, and rules run in a few threads; results
stay integer codes until they become dictionary-encoded Arrow columns, and the Chinese messages of the
stored rows are assembled by Arrow from their distinct texts. :func:`evaluate` (every non-inactive cell)
serves small per-period uses.

State machine (per rule and unit, Prometheus-style):

* the condition holds → the alert is **pending** until it has held for ``for`` consecutive periods,
  then **firing** (``for: 1`` fires at once);
* a firing alert stays firing while the condition holds, and for ``keep_firing_for`` periods after it
  clears (if it comes back within that time the alert simply continues);
* in the first period after that it is **resolved** (recorded once), then inactive;
* a pending alert whose condition clears before ``for`` is reached just goes away;
* a missing value counts as "condition not met".
"""

from __future__ import annotations

import hashlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from yacang.alerts.messages import Coded
from yacang.alerts.rules import LEVELS, Rule, RulePack
from yacang.periods import parse_period

INACTIVE, PENDING, FIRING, RESOLVED = 0, 1, 2, 3
STATE_CODES = {PENDING: "pending", FIRING: "firing", RESOLVED: "resolved"}
STATE_ZH = {"pending": "待定", "firing": "触发中", "resolved": "已解除"}
SILENCED_ZH, ACKED_ZH = "已静默", "已确认"


def state_label(state: str, silenced: bool = False, acked: bool = False) -> str:
    """The Chinese label officials see: 触发中 / 待定 / 已解除 / 已静默 / 已确认 (never the code)."""
    if silenced and state in ("firing", "pending"):
        return SILENCED_ZH
    if acked and state in ("firing", "pending"):
        return ACKED_ZH
    return STATE_ZH.get(state, "未知")

HISTORY_COLUMNS = ["rule_id", "rule_name", "scope", "key", "parent", "period", "state", "severity", "value",
                   "fingerprint", "muted", "silenced", "silence_id"]


def _factorize(col: pd.Series, *, sort: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes and distinct values of a column (as :func:`pandas.factorize`); Arrow-backed text
    without missing values is hashed by Arrow, several times faster on millions of rows."""
    dtype = col.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        enc = pc.dictionary_encode(pa.chunked_array(pa.array(col.array)))  # chunks share one dictionary
        chunks = enc.chunks
        uniq = chunks[-1].dictionary if chunks else pa.array([], pa.string())
        if all(c.indices.null_count == 0 and c.dictionary.equals(uniq) for c in chunks):
            codes = np.concatenate([c.indices.to_numpy() for c in chunks]) if len(chunks) > 1 else \
                chunks[0].indices.to_numpy() if chunks else np.array([], dtype=np.int32)
            if sort:
                order = pc.sort_indices(uniq).to_numpy()
                rank = np.empty(len(order), dtype=codes.dtype)
                rank[order] = np.arange(len(order), dtype=codes.dtype)
                codes, uniq = rank[codes], uniq.take(pa.array(order))
            return codes, uniq.to_numpy(zero_copy_only=False).astype(object)
    codes, uniq = pd.factorize(col, sort=sort)
    return codes, np.asarray(uniq, dtype=object)


@dataclass
class Grid:
    """Facts pivoted to ``keys × periods`` arrays (NaN where a fact is missing)."""

    keys: np.ndarray
    periods: list[str]
    scopes: np.ndarray
    parents: np.ndarray
    arrays: dict[str, np.ndarray]
    names: np.ndarray | None = None
    _parent_rows: np.ndarray | None = field(default=None, repr=False)
    _ly_cols: np.ndarray | None = field(default=None, repr=False)

    @classmethod
    def from_facts(cls, facts: pd.DataFrame) -> Grid:
        """Pivot long facts (scope, key, parent, period, metric, value[, name]) with one hash pass per
        column; units sorted by key, periods in calendar order, a unit's metadata from its first row."""
        if facts.empty:
            return cls(np.array([], dtype=object), [], np.array([], dtype=object), np.array([], dtype=object), {})
        kidx, keys = _factorize(facts["key"], sort=True)
        pcodes, puniq = _factorize(facts["period"])
        order = sorted(range(len(puniq)), key=lambda i: parse_period(puniq[i]).sort_key())
        rank = np.empty(len(order), dtype=np.int32)  # int32 codes: half the new memory of int64 on 9M rows
        rank[order] = np.arange(len(order))
        tidx = rank[pcodes]
        first = np.empty(len(keys), dtype=np.int64)
        rows = np.arange(len(kidx), dtype=np.int32 if len(kidx) < 2**31 else np.int64)
        first[kidx[::-1]] = rows[::-1]  # the last write wins: each key's first row
        values = facts["value"].to_numpy(dtype=float)
        mcodes, mnames = _factorize(facts["metric"])
        cube = np.full((len(mnames), len(keys), len(order)), np.nan)
        cube[mcodes, kidx, tidx] = values
        arrays = {str(name): cube[m] for m, name in enumerate(mnames)}
        units = facts.iloc[first]
        parents = units["parent"].to_numpy(dtype=object)
        parents = np.array(["" if p is None or p != p else str(p) for p in parents], dtype=object)
        names = units["name"].astype(str).to_numpy(dtype=object) if "name" in facts else None
        return cls(np.array([str(k) for k in keys], dtype=object), [str(puniq[i]) for i in order],
                   units["scope"].astype(str).to_numpy(dtype=object), parents, arrays, names)

    # the expression Context protocol ------------------------------------------------------
    def metric(self, name: str) -> np.ndarray:
        a = self.arrays.get(name)
        return a if a is not None else np.full((len(self.keys), len(self.periods)), np.nan)

    def parent_rows(self) -> np.ndarray:
        if self._parent_rows is None:
            self._parent_rows = pd.Index(self.keys).get_indexer(self.parents).astype(np.int64)
        return self._parent_rows

    def last_year_cols(self) -> np.ndarray:
        if self._ly_cols is None:
            idx = pd.Index(self.periods)
            prev = [parse_period(p).shift_years(-1).code for p in self.periods]
            self._ly_cols = idx.get_indexer(prev).astype(np.int64)
        return self._ly_cols


@dataclass
class RuleResult:
    """Per-cell output of one rule on a grid."""

    rule: Rule
    rows: np.ndarray  # unit rows in scope
    state: np.ndarray  # rows × periods, state codes
    severity: np.ndarray  # rows × periods, index into rule.level_names (-1 none)
    value: np.ndarray  # rows × periods
    active: np.ndarray | None = None  # rows × periods, the condition held


def _run(expr, grid: Grid, cache: dict | None) -> np.ndarray:
    """An expression on the whole grid, computed once per evaluation when a cache is given (rules of
    one family share their value and when expressions)."""
    shape = (len(grid.keys), len(grid.periods))
    if cache is None:
        return np.broadcast_to(expr(grid), shape)
    if expr.text not in cache:
        cache[expr.text] = np.broadcast_to(expr(grid), shape)
    return cache[expr.text]


def condition(rule: Rule, grid: Grid, rows: np.ndarray | None = None,
              cache: dict | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(active, severity index, value) arrays for ``rule`` on ``grid`` (restricted to ``rows``)."""
    value_expr, when_expr = rule.compiled()
    shape = (len(grid.keys), len(grid.periods))
    if value_expr is not None:
        v = _run(value_expr, grid, cache)
        th = np.array(list(rule.levels.values()))
        vv = v if rows is None else v[rows]
        sev = np.full(vv.shape, -1, dtype=np.int8)
        with np.errstate(invalid="ignore"):
            for t in th:  # levels are ordered: each threshold passed raises the level by one
                sev += (vv >= t) if rule.direction == "above" else (vv <= t)
        active = sev >= 0
    else:
        vv = np.full(shape, np.nan) if rows is None else np.full((len(rows), shape[1]), np.nan)
        sev = np.zeros(vv.shape, dtype=np.int64)
        active = np.ones(vv.shape, dtype=bool)
    if when_expr is not None:
        w = _run(when_expr, grid, cache)
        w = w if rows is None else w[rows]
        active = active & (w == 1.0)
        if value_expr is None:
            vv = np.where(active, 1.0, 0.0)
    sev = np.where(active, sev, -1)
    return active, sev, np.asarray(vv, dtype=float)


def step_states(active: np.ndarray, severity: np.ndarray, for_n: int, keep: int) -> tuple[np.ndarray, np.ndarray]:
    """Run the state machine over the period axis (columns) for all rows at once.

    Works period by period on contiguous (transposed) slices. Returns (state codes, severity index of
    the alert in that period), both rows × periods.
    """
    n_rows, n_t = active.shape
    act = np.ascontiguousarray(active.T)
    sev_in = np.ascontiguousarray(severity.T.astype(np.int8, copy=False))
    state = np.zeros((n_t, n_rows), dtype=np.int8)
    sev_out = np.full((n_t, n_rows), -1, dtype=np.int8)
    run = np.zeros(n_rows, dtype=np.int16)
    firing = np.zeros(n_rows, dtype=bool)
    cleared = np.zeros(n_rows, dtype=np.int16)
    last_sev = np.full(n_rows, -1, dtype=np.int8)
    for t in range(n_t):
        a = act[t]
        run += 1
        run *= a
        gone = firing & ~a
        cleared += 1
        cleared *= gone
        ends = firing & (cleared > keep)
        starts = ~firing & a & (run >= for_n)
        firing = (firing & ~ends) | starts
        np.copyto(last_sev, sev_in[t], where=a)
        col = state[t]
        col[a] = PENDING
        col[firing] = FIRING
        col[ends] = RESOLVED
        np.copyto(sev_out[t], last_sev, where=col > 0)
        last_sev[~firing & ~a] = -1
    return state.T, sev_out.T


def evaluate_rule(rule: Rule, grid: Grid, cache: dict | None = None) -> RuleResult:
    """States of ``rule`` for the units in its scope whose condition held at least once (a unit whose
    condition never held has no state at all, so the state machine skips it)."""
    rows = np.flatnonzero(grid.scopes == rule.scope)
    active, sev, value = condition(rule, grid, rows, cache)
    live = active.any(axis=1)
    if not live.all():
        rows, active, sev, value = rows[live], active[live], sev[live], value[live]
    state, sev_state = step_states(active, sev, rule.for_, rule.keep_firing_for)
    return RuleResult(rule, rows, state, sev_state, value, active)


def fingerprint(rule_id: str, key: str) -> str:
    """Identity of an alert instance across periods (rule + unit)."""
    return hashlib.sha1(f"{rule_id}|{key}".encode()).hexdigest()[:16]


def history_frame(res: RuleResult, grid: Grid) -> pd.DataFrame:
    """The non-inactive cells of a rule result as history rows."""
    r, t = np.nonzero(res.state)
    rule = res.rule
    keys = grid.keys[res.rows[r]]
    levels = np.array([*rule.level_names, ""], dtype=object)
    sev = res.severity[r, t]
    return pd.DataFrame({
        "rule_id": rule.id,
        "rule_name": rule.name,
        "scope": rule.scope,
        "key": keys,
        "parent": grid.parents[res.rows[r]],
        "period": np.asarray(grid.periods, dtype=object)[t] if len(t) else np.array([], dtype=object),
        "state": np.array(["", "pending", "firing", "resolved"], dtype=object)[res.state[r, t]],
        "severity": levels[np.where(sev < 0, len(levels) - 1, sev)],
        "value": res.value[r, t],
        "fingerprint": np.array([fingerprint(rule.id, k) for k in grid.keys[res.rows]], dtype=object)[r],
    })


def evaluate(pack: RulePack, facts: pd.DataFrame | Grid, *, upto: str | None = None) -> pd.DataFrame:
    """All alert states of every rule over every period of the facts (up to ``upto``), mute windows
    applied (``muted``); silences are applied by :func:`yacang.alerts.silences.apply_silences`."""
    grid = facts if isinstance(facts, Grid) else Grid.from_facts(_upto(facts, upto))
    cache: dict = {}
    frames = [history_frame(evaluate_rule(rule, grid, cache), grid) for rule in pack.rules]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    df = pd.concat(frames, ignore_index=True)
    from yacang.alerts.silences import mute_mask

    df["muted"] = mute_mask(df, pack)
    df["silenced"] = False
    df["silence_id"] = ""
    return df[HISTORY_COLUMNS]


def _upto(facts: pd.DataFrame, upto: str | None) -> pd.DataFrame:
    if upto is None:
        return facts
    end = parse_period(upto).sort_key()
    periods = pd.unique(facts["period"])
    keep = {p for p in periods if parse_period(p).sort_key() <= end}
    return facts[facts["period"].isin(keep)]


def severity_rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else -1


def period_ord(code: str) -> int:
    """Order of a period code for storage: year × 100 + its last month (1-2月 → 2)."""
    p = parse_period(code)
    return p.year * 100 + p.end


@dataclass
class Changes:
    """What an evaluation stores: state transitions and the state of each rule × unit at the last period.

    ``table`` holds the transitions as Arrow (dictionary-encoded text columns, written to DuckDB as is);
    :attr:`transitions` is the same as a pandas frame."""

    table: pa.Table  # rule_id, key, period, ord, state, severity, value, message (in no particular order)
    current: pd.DataFrame  # rule_id, rule_name, scope, key, parent, period, ord, state, severity, value,
    #                        since, last_active, message (+ region, name, muted, silenced added by the caller)
    cells: int  # rule × unit × period cells evaluated

    @property
    def transitions(self) -> pd.DataFrame:
        return self.table.to_pandas()


_STATE_NAMES = np.array(["", "pending", "firing", "resolved"], dtype=object)
_FIRING_CODE, _RESOLVED_CODE = 33, 48  # stored code of a cell: firing + level (33 + level index), resolved


def state_changes(state: np.ndarray, sev: np.ndarray) -> dict[str, np.ndarray]:
    """What is stored of a units × periods state grid (vectorised over both axes).

    History records alerts that fired: a change into *firing*, a change of level while firing, and the
    *resolved* that ends it (the alert then stays resolved, no row per period, until it fires again).
    A pending condition that clears before ``for`` is reached never informed anyone and leaves no row;
    a unit pending in the last period is in the current state as *pending*.

    Returns ``stored`` (state codes per cell as recorded), ``change`` (cells with a transition), and for
    the units with a current row (``cur``, row indices): ``cur_state``, ``cur_col`` (the cell its level
    and value come from) and ``since_col`` (start of that state: of the firing episode, of the pending
    run, or the period it resolved). :func:`scan_changes` computes the same while stepping the state
    machine; this form serves frames of per-period states (:func:`yacang.alerts.store.changes_from_cells`).
    """
    n_rows, n_t = state.shape
    h = np.where(state == PENDING, INACTIVE, state)
    fired = np.logical_or.accumulate(h == FIRING, axis=1) if n_t else h.astype(bool)
    stored = np.where((h == INACTIVE) & fired, RESOLVED, h).astype(np.int16)
    code = np.where(stored == RESOLVED, RESOLVED * 16, stored * 16 + sev.astype(np.int16) + 1)
    code = np.where(stored == INACTIVE, 0, code)
    prev = np.concatenate([np.zeros((n_rows, 1), dtype=code.dtype), code[:, :-1]], axis=1)
    change = code != prev
    if not n_t:
        empty = np.array([], dtype=np.int64)
        return {"stored": stored, "change": change, "cur": empty, "cur_state": empty, "cur_col": empty,
                "since_col": empty}
    pending_now = state[:, -1] == PENDING
    cur = np.flatnonzero(fired[:, -1] | pending_now)
    last_change = n_t - 1 - np.argmax(change[cur, ::-1], axis=1)
    pend = pending_now[cur]
    not_pending = state[cur] != PENDING
    pend_start = n_t - np.argmax(not_pending[:, ::-1], axis=1)  # first column of the trailing pending run
    pend_start = np.where(not_pending.all(axis=1), n_t, np.where(not_pending.any(axis=1), pend_start, 0))
    cur_state = np.where(pend, PENDING, stored[cur, -1]).astype(np.int8)
    cur_col = np.where(pend | (cur_state != RESOLVED), n_t - 1, last_change)
    # a firing alert is firing since the start of its episode (a later change of level is not a new start)
    f = stored[cur] == FIRING
    starts = f & ~np.concatenate([np.zeros((len(cur), 1), dtype=bool), f[:, :-1]], axis=1)
    fire_start = n_t - 1 - np.argmax(starts[:, ::-1], axis=1)
    since_col = np.where(pend, pend_start, np.where(cur_state == FIRING, fire_start, last_change))
    return {"stored": stored, "change": change, "cur": cur, "cur_state": cur_state, "cur_col": cur_col,
            "since_col": since_col}


def _load(expr, scope: str, grid: Grid, rows: np.ndarray, cache: dict) -> np.ndarray:
    """An expression's values for the units ``rows`` of ``scope`` as a contiguous periods × units array,
    computed once per evaluation (``cache``)."""
    key = (expr.text, scope)
    if key not in cache:
        a = np.broadcast_to(expr(grid), (len(grid.keys), len(grid.periods)))
        cache[key] = np.ascontiguousarray((a if len(rows) == len(grid.keys) else a[rows]).T)
    return cache[key]


def _condition_t(rule: Rule, grid: Grid, rows: np.ndarray, cache: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(active, level index, value) of ``rule`` for the units ``rows`` as contiguous periods × units
    arrays; expression values are computed once per (expression, scope) in ``cache`` (a rule family)."""
    value_expr, when_expr = rule.compiled()
    shape = (len(grid.periods), len(rows))

    def load(expr) -> np.ndarray:
        return _load(expr, rule.scope, grid, rows, cache)

    if value_expr is not None:
        value = load(value_expr)
        sev = np.full(shape, -1, dtype=np.int8)
        with np.errstate(invalid="ignore"):
            for t in rule.levels.values():  # levels are ordered: each threshold passed raises the level by one
                sev += (value >= t) if rule.direction == "above" else (value <= t)
        active = sev >= 0
    else:
        value, sev, active = np.full(shape, np.nan), np.zeros(shape, dtype=np.int8), np.ones(shape, dtype=bool)
    if when_expr is not None:
        active &= load(when_expr) == 1.0
        sev = np.where(active, sev, np.int8(-1))
        if value_expr is None:
            value = np.where(active, 1.0, 0.0)
    return active, sev, value


def _pack(rows: np.ndarray) -> np.ndarray:
    """Boolean periods × units rows as bits in uint64 words (periods × ⌈units / 64⌉; padding bits 0)."""
    n_t, n = rows.shape
    out = np.zeros((n_t, -(-n // 64) * 8), dtype=np.uint8)
    out[:, : -(-n // 8)] = np.packbits(rows, axis=1, bitorder="little")
    return out.view(np.uint64)


def _unpack(words: np.ndarray, n: int) -> np.ndarray:
    """The boolean rows (or row) of :func:`_pack` words, ``n`` units."""
    return np.unpackbits(words.view(np.uint8), axis=-1, count=n, bitorder="little").view(bool)


def _cells(words: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(period, unit) of the set bits of packed periods × units rows, in period order, then unit order."""
    idx = np.flatnonzero(_unpack(words, n))
    return (idx // n).astype(np.int32), (idx % n).astype(np.int64)


class _Index:
    """A period index per unit held as bit planes of uint64 words (bit b of the index of each of 64 units
    in one word), so setting it for the units of a word row costs one operation per plane."""

    def __init__(self, nb: int, w: int) -> None:
        self.planes = [np.zeros(w, dtype=np.uint64) for _ in range(nb)]

    def set(self, t: int, where: np.ndarray) -> None:
        for b, plane in enumerate(self.planes):
            if (t >> b) & 1:
                plane |= where
            else:
                plane &= ~where

    def values(self, n: int) -> np.ndarray:
        out = np.zeros(n, dtype=np.int64)
        for b, plane in enumerate(self.planes):
            out |= _unpack(plane, n).astype(np.int64) << b
        return out


def scan_changes(active: np.ndarray, sev: np.ndarray, for_n: int, keep: int) -> dict[str, np.ndarray]:
    """The state machine of :func:`step_states` over periods × units arrays, keeping only what is stored
    (see :func:`state_changes`): transitions into firing or to another level (``f_unit``, ``f_col``,
    ``f_sev``), resolutions (``r_unit``, ``r_col``, ``r_sev``), each in period order, and the state after
    the last period (``firing``, ``pending``, ``fired``, ``level``: the level of the last active period,
    ``fire_since``: start of the last firing episode, ``run``: length of the active run at the end,
    ``last_active``: the last period the condition held, -1 if never).

    Units are bits of uint64 words (64 units per operation). What does not depend on the state is known
    for all periods at once: a unit *qualifies* in a period when its condition held in the last ``for``
    periods, and a firing alert *ends* in a period ending ``keep_firing_for`` + 1 periods without it.
    Then, period by period: ends = firing & that; starts = qualifies & not firing; a change of level while
    firing = firing & active & level differs from the level of the last active period (bit planes of the
    level index). A resolution's level is that of the last active period, ``keep + 1`` periods earlier."""
    n_t, n = active.shape
    act = _pack(active)
    qual = act.copy()  # the condition held in each of the last for_n periods
    for j in range(1, for_n):
        qual[j:] &= act[:-j]
        qual[:j] = 0
    brk = ~act  # ... did not hold in each of the last keep + 1 periods (before the first period: not held)
    for j in range(1, keep + 1):
        brk[j:] &= ~act[:-j]
    sev = np.asarray(sev)
    nbits = int(max(int(sev.max()) if sev.size else 0, 0)).bit_length()
    planes = [_pack(sev & np.int8(1 << k)) & act for k in range(nbits)]  # level bits (-1 inactive: masked)
    w = act.shape[1]
    firing, fired, ever, ever_off = (np.zeros(w, dtype=np.uint64) for _ in range(4))
    level = [np.zeros(w, dtype=np.uint64) for _ in range(nbits)]
    nb = max(n_t - 1, 1).bit_length()
    on_at, off_at = _Index(nb, w), _Index(nb, w)  # last period the condition held / did not hold
    into, ended, started = np.empty_like(act), np.empty_like(act), np.empty_like(act)
    for t in range(n_t):
        a = act[t]
        on_at.set(t, a)
        off_at.set(t, ~a)
        ever_off |= ~a
        ends = firing & brk[t]
        starts = qual[t] & ~firing
        changed = np.zeros(w, dtype=np.uint64)
        for k in range(nbits):
            p = planes[k][t]
            changed |= p ^ level[k]
            level[k] = (p & a) | (level[k] & ~a)
        into[t] = starts | (firing & a & changed)
        ended[t], started[t] = ends, starts
        firing = (firing ^ ends) | starts  # ends ⊂ firing, starts ⊂ not firing
        fired |= firing
        ever |= a
    f_col, f_unit = _cells(into, n)
    r_col, r_unit = _cells(ended, n)
    is_start = _unpack(started, n).reshape(-1)[f_col.astype(np.int64) * n + f_unit]
    fire_since = np.zeros(n, dtype=np.int16)
    fire_since[f_unit[is_start]] = f_col[is_start]  # the last write wins: each unit's latest start
    lvl = np.zeros(n, dtype=np.int8)
    for k in range(nbits):
        lvl |= _unpack(level[k], n).astype(np.int8) << k
    run = np.where(_unpack(ever_off, n), n_t - 1 - off_at.values(n), n_t).astype(np.int16)
    last = _unpack(act[-1], n) if n_t else np.zeros(n, dtype=bool)
    firing_b, ever_b = _unpack(firing, n), _unpack(ever, n)
    return {"f_unit": f_unit, "f_col": f_col, "f_sev": sev[f_col, f_unit].astype(np.int8), "r_unit": r_unit,
            "r_col": r_col, "r_sev": sev[r_col - keep - 1, r_unit].astype(np.int8), "firing": firing_b,
            "pending": last & ~firing_b, "fired": _unpack(fired, n), "level": np.where(ever_b, lvl, -1).astype(np.int8),
            "fire_since": fire_since, "run": run, "last_active": np.where(ever_b, on_at.values(n), -1)}


@dataclass
class _RuleChanges:
    """One rule's stored rows as grid codes (unit rows, period columns, levels as indices into LEVELS)."""

    f_row: np.ndarray
    f_col: np.ndarray
    f_sev: np.ndarray
    f_value: np.ndarray
    r_row: np.ndarray
    r_col: np.ndarray
    r_sev: np.ndarray
    r_value: np.ndarray
    c_row: np.ndarray
    c_col: np.ndarray
    c_state: np.ndarray
    c_sev: np.ndarray
    c_value: np.ndarray
    c_since: np.ndarray
    c_last: np.ndarray


def scope_rows(grid: Grid, scope: str, cache: dict) -> np.ndarray:
    """Rows of the units of ``scope`` (int32), found once per evaluation."""
    if ("rows", scope) not in cache:
        cache[("rows", scope)] = np.flatnonzero(grid.scopes == scope).astype(np.int32)
    return cache[("rows", scope)]


def rule_changes(rule: Rule, grid: Grid, cache: dict) -> _RuleChanges:
    """Transitions and current state of one rule on ``grid`` (see :func:`scan_changes`)."""
    rows = scope_rows(grid, rule.scope, cache)
    active, sev, value = _condition_t(rule, grid, rows, cache)
    n_t = active.shape[0]
    s = scan_changes(active, sev, rule.for_, rule.keep_firing_for)
    to_global = np.array([LEVELS.index(n) for n in rule.level_names] + [len(LEVELS)], dtype=np.int8)
    cur = np.flatnonzero(s["fired"] | s["pending"]) if n_t else np.array([], dtype=np.int64)
    pend, fir = s["pending"][cur], s["firing"][cur]
    res = ~pend & ~fir
    last_r = np.full(len(rows), -1, dtype=np.int64)
    last_r[s["r_unit"]] = np.arange(len(s["r_unit"]))  # the last write wins: each unit's latest resolution
    j = last_r[cur[res]]
    col = np.full(len(cur), n_t - 1, dtype=np.int64)
    col[res] = s["r_col"][j]
    lvl = np.where(pend, sev[n_t - 1, cur] if n_t else -1, s["level"][cur])
    lvl[res] = s["r_sev"][j]
    since = np.where(pend, n_t - s["run"][cur], s["fire_since"][cur]).astype(np.int64)
    since[res] = s["r_col"][j]
    last = s["last_active"][cur]
    state = np.where(pend, PENDING, np.where(fir, FIRING, RESOLVED)).astype(np.int8)
    return _RuleChanges(
        rows[s["f_unit"]], s["f_col"], to_global[s["f_sev"]], value[s["f_col"], s["f_unit"]],
        rows[s["r_unit"]], s["r_col"], to_global[s["r_sev"]], value[s["r_col"], s["r_unit"]],
        rows[cur], col, state, to_global[np.where(lvl < 0, len(to_global) - 1, lvl)], value[col, cur], since, last)


class _Texts:
    """Text columns of a grid for messages, prepared once per evaluation as Arrow arrays (unit names,
    parent names, period labels; ``spaced_…`` variants for a field followed by a digit)."""

    def __init__(self, grid: Grid, names: dict[str, str] | None) -> None:
        self.grid, self.names = grid, names or {}
        self._cache: dict = {}
        self._parents: tuple[np.ndarray, np.ndarray] | None = None
        self._lock = threading.RLock()  # rules render in threads: each text column is made once

    def parent_codes(self) -> tuple[np.ndarray, np.ndarray]:
        """Code of each unit's parent and the distinct parents."""
        with self._lock:
            if self._parents is None:
                codes, uniq = pd.factorize(self.grid.parents)
                self._parents = (codes, np.asarray(uniq, dtype=object))
            return self._parents

    def get(self, what: str) -> pa.Array:
        with self._lock:
            if what not in self._cache:
                self._cache[what] = pa.array(self._make(what), pa.string())
            return self._cache[what]

    def _make(self, what: str) -> np.ndarray:
        from yacang.alerts.messages import with_space_if_digit_end

        g = self.grid
        if what.startswith("spaced_"):
            return with_space_if_digit_end(self._make(what[7:]))
        if what in ("name", "parent_name"):
            keys = g.keys if what == "name" else self.parent_codes()[1]
            return np.array([self.names.get(k, k) for k in keys], dtype=object)
        cumulative = what == "label_cum"
        return np.array([parse_period(p).label_zh(cumulative=cumulative) for p in g.periods], dtype=object)


def render_rule(rule: Rule, grid: Grid, rows: np.ndarray, cols: np.ndarray, states: np.ndarray,
                severities: np.ndarray | Coded, values: np.ndarray, names: dict[str, str] | None = None, *,
                texts: _Texts | None = None) -> pa.Array:
    """Messages of one rule at grid cells ``(rows, cols)`` (NBS wording) as an Arrow string array;
    ``states`` as codes (0–3) or names. Only the fields the template uses are built, each from its
    distinct texts (:class:`yacang.alerts.messages.Coded`)."""
    import string

    from yacang.alerts.messages import render_arrow, spaced_fields

    texts = texts or _Texts(grid, names)
    used = {f for _, f, _, _ in string.Formatter().parse(rule.message) if f}
    spaced = spaced_fields(rule.message)
    n = len(rows)
    text: dict[str, np.ndarray | Coded] = {}
    sp = {f: ("spaced_" if f in spaced else "") for f in used}
    if "name" in used:
        text["name"] = Coded(rows, texts.get(sp["name"] + "name"))
    if "parent_name" in used:
        text["parent_name"] = Coded(texts.parent_codes()[0][rows], texts.get(sp["parent_name"] + "parent_name"))
    if "period_label" in used:
        cumulative = rule.labels.get("measure") == "累计"
        text["period_label"] = Coded(cols, texts.get(sp["period_label"] + ("label_cum" if cumulative else "label")))
    if "state" in used:
        st = np.asarray(states)
        st = _STATE_NAMES[st] if st.dtype.kind in "iu" else st.astype(object)
        text["state"] = np.array([STATE_ZH.get(x, "") for x in st], dtype=object)
    simple = {"rule": rule.id, "rule_name": rule.name, "scope": rule.scope}
    for f in used & set(simple):
        text[f] = Coded(np.zeros(n, dtype=np.int64), np.array([simple[f]], dtype=object))
    for f, src in (("key", grid.keys), ("parent", grid.parents)):
        if f in used:
            text[f] = src[rows]
    if "period" in used:
        text["period"] = Coded(cols, np.asarray(grid.periods, dtype=object))
    if "severity" in used:
        text["severity"] = severities
    vals = np.asarray(values, dtype=float)
    numbers = {"value": vals, "abs_value": np.abs(vals)}
    for m in (rule.metrics | _template_metrics(rule)) & used:
        a = grid.arrays.get(m)
        numbers[m] = a[rows, cols] if a is not None else np.full(n, np.nan)
    return render_arrow(rule.message, n, text, numbers, prespaced=True)


def _categorical(codes: np.ndarray, values) -> pd.Categorical:
    """Categorical column of ``values[codes]`` (values may repeat; code -1 → missing); distinct values
    keep the codes as they are."""
    vcodes, uniq = pd.factorize(pd.Index(list(values), dtype=object))
    if len(uniq) == len(vcodes):  # distinct values: vcodes is 0, 1, 2, …
        return pd.Categorical.from_codes(np.asarray(codes), categories=uniq, validate=False)
    vcodes = np.append(vcodes, -1)
    return pd.Categorical.from_codes(vcodes[np.asarray(codes, dtype=np.int64)], categories=uniq, validate=False)


def alert_threads() -> int:
    """Threads for evaluating rules: numpy's and Arrow's kernels release the GIL, so rules (and their
    messages) run side by side on the machine's cores (at most 4; ``YACANG_ALERT_THREADS`` overrides)."""
    env = os.environ.get("YACANG_ALERT_THREADS", "")
    return max(1, int(env)) if env.isdigit() else max(1, min(4, os.cpu_count() or 1))


def _prepare(pack: RulePack, grid: Grid, cache: dict) -> None:
    """Fill ``cache`` with each scope's rows and each rule family's expression values before the rules
    run in threads (each is then computed once, never twice at the same time)."""
    for rule in pack.rules:
        rows = scope_rows(grid, rule.scope, cache)
        for expr in rule.compiled():
            if expr is not None:
                _load(expr, rule.scope, grid, rows, cache)


def _rule_output(rule: Rule, grid: Grid, cache: dict, texts: _Texts | None,
                 sev_texts: np.ndarray) -> tuple[_RuleChanges, pa.Array | None, pa.Array | None]:
    """One rule's changes and, when ``texts`` is given, the messages of its transitions into firing
    and of its current rows."""
    rc = rule_changes(rule, grid, cache)
    if texts is None:
        return rc, None, None
    nf = len(rc.f_row)
    mf = render_rule(rule, grid, rc.f_row, rc.f_col, np.full(nf, FIRING), Coded(rc.f_sev, sev_texts), rc.f_value,
                     texts=texts)
    mc = render_rule(rule, grid, rc.c_row, rc.c_col, rc.c_state, Coded(rc.c_sev, sev_texts), rc.c_value, texts=texts)
    return rc, mf, mc


def _with_nulls(msgs: pa.Array, n_null: int) -> pa.Array:
    """``msgs`` (strings) followed by ``n_null`` nulls, sharing its character data: only the offsets and
    the validity bitmap are new (copying millions of messages is what costs, on fresh memory above all)."""
    if not n_null:
        return msgs
    if msgs.type != pa.string() or msgs.offset:
        msgs = pa.concat_arrays([msgs.cast(pa.string())])
    n = len(msgs)
    off = np.empty(n + n_null + 1, dtype=np.int32)
    off[: n + 1] = np.frombuffer(msgs.buffers()[1], dtype=np.int32, count=n + 1) if n else 0
    off[n + 1:] = off[n]
    valid = np.zeros(n + n_null, dtype=bool)
    valid[:n] = msgs.is_valid().to_numpy(zero_copy_only=False) if n else False
    data = msgs.buffers()[2] if n else None
    return pa.Array.from_buffers(pa.string(), n + n_null, [pa.py_buffer(np.packbits(valid, bitorder="little")),
                                                            pa.py_buffer(off), data or pa.py_buffer(b"")])


TRANSITIONS_SCHEMA = pa.schema([
    ("rule_id", pa.dictionary(pa.int16(), pa.string())), ("key", pa.dictionary(pa.int32(), pa.string())),
    ("period", pa.dictionary(pa.int32(), pa.string())), ("ord", pa.int32()),
    ("state", pa.dictionary(pa.int8(), pa.string())), ("severity", pa.dictionary(pa.int8(), pa.string())),
    ("value", pa.float64()), ("message", pa.string())])


def _rule_batch(i: int, rc: _RuleChanges, fired_msgs: pa.Array | None, ords: np.ndarray,
                dicts: dict[str, pa.Array]) -> pa.RecordBatch:
    """One rule's transitions (into firing, then resolutions) as a record batch of dictionary columns
    sharing the evaluation's dictionaries (indices as narrow as they can be: new memory is what costs);
    the messages of its firing rows are followed by nulls."""
    nf, nr = len(rc.f_row), len(rc.r_row)
    col = np.concatenate([rc.f_col, rc.r_col]).astype(np.int32, copy=False)
    state = np.zeros(nf + nr, dtype=np.int8)
    state[nf:] = 1

    def coded(codes: np.ndarray, name: str) -> pa.DictionaryArray:
        index = TRANSITIONS_SCHEMA.field(name).type.index_type
        return pa.DictionaryArray.from_arrays(pa.array(np.asarray(codes, dtype=index.to_pandas_dtype()), index),
                                              dicts[name])

    msg = _with_nulls(fired_msgs, nr) if fired_msgs is not None else pa.nulls(nf + nr, pa.string())
    return pa.RecordBatch.from_arrays([
        coded(np.full(nf + nr, i, dtype=np.int16), "rule_id"), coded(np.concatenate([rc.f_row, rc.r_row]), "key"),
        coded(col, "period"), pa.array(ords[col], pa.int32()), coded(state, "state"),
        coded(np.concatenate([rc.f_sev, rc.r_sev]), "severity"),
        pa.array(np.concatenate([rc.f_value, rc.r_value]).astype(float, copy=False), pa.float64()), msg],
        schema=TRANSITIONS_SCHEMA)


def changes(pack: RulePack, grid: Grid, *, names: dict[str, str] | None = None, messages: bool = True) -> Changes:
    """Evaluate every rule of ``pack`` on ``grid`` (expressions shared within a rule family) and return
    the transitions and current states, with Chinese messages when ``messages``: for each transition into
    firing or to another level and each current state (what officials read; a resolution is said by its
    state and value, its message stays empty).

    Rules run in a few threads (:func:`alert_threads`), their results taken in the pack's order. Results stay
    integer codes until the end: dictionary-encoded Arrow columns for the transitions, categorical columns
    for the current states; messages are assembled by Arrow (no Python per row)."""
    periods = list(grid.periods)
    ords = np.array([period_ord(p) for p in periods], dtype=np.int32)
    levels = [*LEVELS, ""]
    cache: dict = {}
    _prepare(pack, grid, cache)
    texts = _Texts(grid, names) if messages else None
    sev_texts = np.array(levels, dtype=object)
    with ThreadPoolExecutor(alert_threads()) as pool:
        outs = list(pool.map(lambda r: _rule_output(r, grid, cache, texts, sev_texts), pack.rules))
    cells = sum(len(scope_rows(grid, r.scope, cache)) * len(periods) for r in pack.rules)
    rcs = [o[0] for o in outs]
    nc = np.array([len(rc.c_row) for rc in rcs], dtype=np.int64)

    def cat(parts: list, dtype) -> np.ndarray:
        return np.concatenate(parts) if parts else np.array([], dtype=dtype)

    def msgs(parts: list, n: int) -> pa.ChunkedArray:
        return pa.chunked_array(parts if messages else [pa.nulls(n, pa.string())], pa.string())

    rule_ids = [r.id for r in pack.rules]
    dicts = {"rule_id": pa.array(rule_ids, pa.string()), "key": pa.array(grid.keys, pa.string()),
             "period": pa.array(periods, pa.string()), "state": pa.array(["firing", "resolved"]),
             "severity": pa.array(levels, pa.string())}
    batches = []
    for i, (rc, fired_msgs, _) in enumerate(outs):  # one batch per rule, no copy of its messages
        batches.append(_rule_batch(i, rc, fired_msgs, ords, dicts))
    table = pa.Table.from_batches(batches, schema=TRANSITIONS_SCHEMA)
    rule_c = np.repeat(np.arange(len(rcs), dtype=np.int32), nc)
    row_c = cat([rc.c_row for rc in rcs], np.int32)
    pcodes, puniq = (texts or _Texts(grid, names)).parent_codes()
    current = pd.DataFrame({
        "rule_id": _categorical(rule_c, rule_ids), "rule_name": _categorical(rule_c, [r.name for r in pack.rules]),
        "scope": _categorical(rule_c, [r.scope for r in pack.rules]), "key": _categorical(row_c, grid.keys),
        "parent": _categorical(pcodes[row_c], puniq),
        "period": _categorical(np.zeros(len(row_c), dtype=np.int64), periods[-1:]),
        "ord": np.full(len(row_c), ords[-1] if periods else 0, dtype=np.int32),
        "state": _categorical(cat([rc.c_state for rc in rcs], np.int8), _STATE_NAMES),
        "severity": _categorical(cat([rc.c_sev for rc in rcs], np.int8), levels),
        "value": cat([rc.c_value for rc in rcs], float),
        "since": _categorical(cat([rc.c_since for rc in rcs], np.int64), periods),
        "last_active": _categorical(cat([rc.c_last for rc in rcs], np.int64), periods),  # -1 (never active): missing
        "message": msgs([o[2] for o in outs] if messages else [], len(row_c)).to_pandas()})
    return Changes(table, current, cells)


def _template_metrics(rule: Rule) -> set[str]:
    import string

    from yacang.alerts.rules import MESSAGE_FIELDS

    return {f for _, f, _, _ in string.Formatter().parse(rule.message) if f and f not in MESSAGE_FIELDS}


def render_messages(df: pd.DataFrame, pack: RulePack, grid: Grid, names: dict[str, str] | None = None) -> pd.Series:
    """Chinese message of each history row (``rule_id``, ``key``, ``period``, ``state``, ``severity``,
    ``value``) from its rule's template."""
    if df.empty:
        return pd.Series([], dtype=object)
    out = pd.Series("", index=df.index, dtype=object)
    kidx = pd.Index(grid.keys).get_indexer(df["key"])
    tidx = pd.Index(grid.periods).get_indexer(df["period"])
    texts = _Texts(grid, names)
    for rule_id, idx in df.groupby("rule_id").indices.items():
        rule = pack.rule(rule_id)
        sub = df.iloc[idx]
        msg = render_rule(rule, grid, kidx[idx], tidx[idx], sub["state"].to_numpy(), sub["severity"].to_numpy(),
                          sub["value"].to_numpy(dtype=float), texts=texts)
        out.iloc[idx] = msg.to_numpy(zero_copy_only=False)
    return out

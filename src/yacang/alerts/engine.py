"""Per-period evaluation of rule packs with alert states pending → firing → resolved.

Facts are pivoted once into ``keys × periods`` arrays (one per metric); each rule's expressions run
on the whole grid, and the state machine steps through the periods with vector operations across all
units at once, so cost grows with periods, not with units × periods in Python.

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
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

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
        if facts.empty:
            return cls(np.array([], dtype=object), [], np.array([], dtype=object), np.array([], dtype=object), {})
        units = facts.drop_duplicates("key")[["key", "scope", "parent"] + (["name"] if "name" in facts else [])]
        units = units.sort_values("key").reset_index(drop=True)
        periods = sorted(pd.unique(facts["period"]), key=lambda p: parse_period(p).sort_key())
        kidx = pd.Index(units["key"]).get_indexer(facts["key"])
        tidx = pd.Index(periods).get_indexer(facts["period"])
        values = facts["value"].to_numpy(dtype=float)
        arrays: dict[str, np.ndarray] = {}
        metric_codes, metric_names = pd.factorize(facts["metric"])
        for m, name in enumerate(metric_names):
            sel = metric_codes == m
            a = np.full((len(units), len(periods)), np.nan)
            a[kidx[sel], tidx[sel]] = values[sel]
            arrays[str(name)] = a
        parents = units["parent"].fillna("").astype(str).to_numpy(dtype=object)
        names = units["name"].astype(str).to_numpy(dtype=object) if "name" in units else None
        return cls(units["key"].astype(str).to_numpy(dtype=object), list(periods),
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
    """What an evaluation stores: state transitions and the state of each rule × unit at the last period."""

    transitions: pd.DataFrame  # rule_id, key, period, ord, state, severity, value, message
    current: pd.DataFrame  # rule_id, rule_name, scope, key, parent, period, ord, state, severity, value,
    #                        since, last_active, message (+ region, name, muted, silenced added by the caller)
    cells: int  # rule × unit × period cells evaluated


_STATE_NAMES = np.array(["", "pending", "firing", "resolved"], dtype=object)


def state_changes(state: np.ndarray, sev: np.ndarray) -> dict[str, np.ndarray]:
    """What is stored of a units × periods state grid (vectorised over both axes).

    History records alerts that fired: a change into *firing*, a change of level while firing, and the
    *resolved* that ends it (the alert then stays resolved, no row per period, until it fires again).
    A pending condition that clears before ``for`` is reached never informed anyone and leaves no row;
    a unit pending in the last period is in the current state as *pending*.

    Returns ``stored`` (state codes per cell as recorded), ``change`` (cells with a transition), and for
    the units with a current row (``cur``, row indices): ``cur_state``, ``cur_col`` (the cell its level
    and value come from) and ``since_col`` (start of that state: of the firing episode, of the pending
    run, or the period it resolved).
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


def rule_changes(res: RuleResult, grid: Grid) -> tuple[dict, dict]:
    """Transitions and current state of one rule, as column dicts (see :func:`state_changes`)."""
    state, sev, rows = res.state, res.severity.astype(np.int16), res.rows
    n_t = state.shape[1]
    sc = state_changes(state, sev)
    r, t = np.nonzero(sc["change"])
    levels = [*res.rule.level_names, ""]
    none = len(levels) - 1
    sev_at = sev[r, t]
    trans = {"row": rows[r], "col": t, "state_code": sc["stored"][r, t].astype(np.int8),
             "sev_code": np.where(sev_at < 0, none, sev_at), "value": res.value[r, t]}
    cr, col = sc["cur"], sc["cur_col"]
    act = res.active[cr] if res.active is not None else state[cr] > 0
    last_act = np.where(act.any(axis=1), n_t - 1 - np.argmax(act[:, ::-1], axis=1), -1)
    sev_c = sev[cr, col]
    cur = {"row": rows[cr], "col": col, "state_code": sc["cur_state"], "sev_code": np.where(sev_c < 0, none, sev_c),
           "value": res.value[cr, col], "since_col": sc["since_col"], "last_active_col": last_act}
    return trans, cur


def _categorical(codes: np.ndarray, categories) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=pd.Index(list(categories), dtype=object))


def changes(pack: RulePack, grid: Grid, *, names: dict[str, str] | None = None, messages: bool = True) -> Changes:
    """Evaluate every rule of ``pack`` on ``grid`` (expressions shared within a rule family) and return
    the transitions and current states, with Chinese messages when ``messages``.

    Results are gathered as integer codes and become categorical columns at the end, so the cost is in
    numpy, not in building Python strings per row (messages excepted)."""
    periods = list(grid.periods)
    ords = np.array([period_ord(p) for p in periods], dtype=np.int32)
    levels = [*LEVELS, ""]
    cache: dict = {}
    names_arr = _grid_names(grid, names or {}) if messages else None
    T: dict[str, list] = {k: [] for k in ("rule", "row", "col", "state", "sev", "value", "message")}
    C: dict[str, list] = {k: [] for k in ("rule", "row", "col", "state", "sev", "value", "since", "last", "message")}
    cells = 0
    for i, rule in enumerate(pack.rules):
        res = evaluate_rule(rule, grid, cache)
        cells += int(np.count_nonzero(grid.scopes == rule.scope)) * len(grid.periods)
        trans, cur = rule_changes(res, grid)
        to_global = np.array([levels.index(n) for n in rule.level_names] + [len(levels) - 1], dtype=np.int8)
        for out, part in ((T, trans), (C, cur)):
            n = len(part["row"])
            if not n:
                continue
            out["rule"].append(np.full(n, i, dtype=np.int16))
            out["row"].append(part["row"])
            out["col"].append(part["col"])
            out["state"].append(part["state_code"])
            out["sev"].append(to_global[part["sev_code"]])
            out["value"].append(part["value"])
            if out is C:
                out["since"].append(part["since_col"])
                out["last"].append(part["last_active_col"])
            if messages:
                # what officials read: every current row, and each transition into firing (a resolved
                # transition is said by its state and value; its message stays empty)
                say = np.ones(n, dtype=bool) if out is C else part["state_code"] == FIRING
                msg = np.full(n, None, dtype=object)
                if say.any():
                    msg[say] = render_rule(rule, grid, part["row"][say], part["col"][say], part["state_code"][say],
                                           np.asarray(levels, dtype=object)[to_global[part["sev_code"][say]]],
                                           part["value"][say], names, names_arr=names_arr)
                out["message"].append(msg)
    rule_ids = [r.id for r in pack.rules]
    states = ["", "pending", "firing", "resolved"]

    def cat(parts: list, dtype) -> np.ndarray:
        return np.concatenate(parts) if parts else np.array([], dtype=dtype)

    row_t, col_t = cat(T["row"], np.int64), cat(T["col"], np.int64)
    transitions = pd.DataFrame({
        "rule_id": _categorical(cat(T["rule"], np.int16), rule_ids),
        "key": _categorical(row_t, grid.keys), "period": _categorical(col_t, periods),
        "ord": ords[col_t] if len(col_t) else np.array([], dtype=np.int32),
        "state": _categorical(cat(T["state"], np.int8), states), "severity": _categorical(cat(T["sev"], np.int8), levels),
        "value": cat(T["value"], float),
        "message": cat(T["message"], object) if messages else np.full(len(row_t), None, dtype=object)})
    row_c = cat(C["row"], np.int64)
    rule_c = cat(C["rule"], np.int16)
    last = cat(C["last"], np.int64)
    current = pd.DataFrame({
        "rule_id": _categorical(rule_c, rule_ids),
        "rule_name": np.array([r.name for r in pack.rules], dtype=object)[rule_c],
        "scope": np.array([r.scope for r in pack.rules], dtype=object)[rule_c],
        "key": _categorical(row_c, grid.keys), "parent": grid.parents[row_c] if len(row_c) else [],
        "period": periods[-1] if periods else None, "ord": ords[-1] if periods else 0,
        "state": _categorical(cat(C["state"], np.int8), states), "severity": _categorical(cat(C["sev"], np.int8), levels),
        "value": cat(C["value"], float),
        "since": _categorical(cat(C["since"], np.int64), periods),
        "last_active": _categorical(last, periods),  # -1 (never active) becomes missing
        "message": cat(C["message"], object) if messages else np.full(len(row_c), None, dtype=object)})
    for col in ("rule_id", "rule_name", "scope", "key", "period", "state", "severity", "since", "last_active"):
        if col in current and isinstance(current[col].dtype, pd.CategoricalDtype):
            current[col] = current[col].astype(object)
    return Changes(transitions, current, cells)


def _grid_names(grid: Grid, names: dict[str, str]) -> np.ndarray:
    """Display name of every grid unit (object array aligned with ``grid.keys``)."""
    return np.array([names.get(k, k) for k in grid.keys], dtype=object)


def render_rule(rule: Rule, grid: Grid, rows: np.ndarray, cols: np.ndarray, states: np.ndarray,
                severities: np.ndarray, values: np.ndarray, names: dict[str, str] | None = None, *,
                names_arr: np.ndarray | None = None) -> np.ndarray:
    """Messages of one rule at grid cells ``(rows, cols)`` (column-wise, NBS wording); ``states`` as
    codes (0–3) or names. Only the fields the template uses are built."""
    import string

    from yacang.alerts.messages import render, spaced_fields, with_space_if_digit_end

    names = names or {}
    used = {f for _, f, _, _ in string.Formatter().parse(rule.message) if f}
    spaced = spaced_fields(rule.message)
    n = len(rows)
    text: dict[str, np.ndarray] = {}
    if "name" in used:
        arr = names_arr if names_arr is not None else _grid_names(grid, names)
        text["name"] = (with_space_if_digit_end(arr) if "name" in spaced else arr)[rows]
    if "parent_name" in used:
        uniq, inv = np.unique(grid.parents[rows].astype(str), return_inverse=True)
        arr = np.array([names.get(k, k) for k in uniq], dtype=object)
        text["parent_name"] = (with_space_if_digit_end(arr) if "parent_name" in spaced else arr)[inv]
    if "period_label" in used:
        cumulative = rule.labels.get("measure") == "累计"
        labels = np.array([parse_period(p).label_zh(cumulative=cumulative) for p in grid.periods], dtype=object)
        text["period_label"] = labels[cols]
    if "state" in used:
        st = np.asarray(states)
        st = _STATE_NAMES[st] if st.dtype.kind in "iu" else st.astype(object)
        text["state"] = np.array([STATE_ZH.get(x, "") for x in st], dtype=object)
    simple = {"rule": rule.id, "rule_name": rule.name, "scope": rule.scope}
    for f in used & set(simple):
        text[f] = np.full(n, simple[f], dtype=object)
    for f, src in (("key", grid.keys), ("parent", grid.parents)):
        if f in used:
            text[f] = src[rows]
    if "period" in used:
        text["period"] = np.asarray(grid.periods, dtype=object)[cols]
    if "severity" in used:
        text["severity"] = np.asarray(severities, dtype=object)
    vals = np.asarray(values, dtype=float)
    numbers = {"value": vals, "abs_value": np.abs(vals)}
    for m in (rule.metrics | _template_metrics(rule)) & used:
        a = grid.arrays.get(m)
        numbers[m] = a[rows, cols] if a is not None else np.full(n, np.nan)
    return render(rule.message, n, text, numbers, prespaced=True)


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
    for rule_id, idx in df.groupby("rule_id").indices.items():
        rule = pack.rule(rule_id)
        sub = df.iloc[idx]
        out.iloc[idx] = render_rule(rule, grid, kidx[idx], tidx[idx], sub["state"].to_numpy(),
                                    sub["severity"].to_numpy(), sub["value"].to_numpy(dtype=float), names)
    return out

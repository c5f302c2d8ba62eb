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
        with np.errstate(invalid="ignore"):
            if rule.direction == "above":
                sev = (vv[..., None] >= th).sum(axis=-1) - 1
            else:
                sev = (vv[..., None] <= th).sum(axis=-1) - 1
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

    Returns (state codes, severity index of the alert in that period).
    """
    n_rows, n_t = active.shape
    state = np.zeros((n_rows, n_t), dtype=np.int8)
    sev_out = np.full((n_rows, n_t), -1, dtype=np.int8)
    run = np.zeros(n_rows, dtype=np.int32)
    firing = np.zeros(n_rows, dtype=bool)
    cleared = np.zeros(n_rows, dtype=np.int32)
    last_sev = np.full(n_rows, -1, dtype=np.int8)
    for t in range(n_t):
        a = active[:, t]
        run = np.where(a, run + 1, 0)
        cleared = np.where(firing & ~a, cleared + 1, 0)
        ends = firing & (cleared > keep)
        starts = ~firing & a & (run >= for_n)
        firing = (firing & ~ends) | starts
        last_sev = np.where(a, severity[:, t], last_sev)
        col = np.zeros(n_rows, dtype=np.int8)
        col[a & ~firing] = PENDING
        col[firing] = FIRING
        col[ends] = RESOLVED
        state[:, t] = col
        sev_out[:, t] = np.where(col > 0, last_sev, -1)
        last_sev = np.where(firing, last_sev, np.where(a, last_sev, -1))
    return state, sev_out


def evaluate_rule(rule: Rule, grid: Grid, cache: dict | None = None) -> RuleResult:
    rows = np.flatnonzero(grid.scopes == rule.scope)
    active, sev, value = condition(rule, grid, rows, cache)
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


def state_changes(state: np.ndarray, sev: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ever active, stored state, changed) arrays of a units × periods state grid: after an alert ends
    it stays *resolved* (no new row each period) until it starts again; a level change is a change."""
    n_rows, n_t = state.shape
    ever = np.logical_or.accumulate(state != INACTIVE, axis=1) if n_t else state.astype(bool)
    stored = np.where((state == INACTIVE) & ever, RESOLVED, state).astype(np.int16)
    code = np.where(stored == RESOLVED, RESOLVED * 16, stored * 16 + sev.astype(np.int16) + 1)
    prev = np.concatenate([np.zeros((n_rows, 1), dtype=code.dtype), code[:, :-1]], axis=1)
    return ever, stored, code != prev


def rule_changes(res: RuleResult, grid: Grid) -> tuple[dict, dict]:
    """Transitions and current state of one rule, as column dicts (vectorised over units and periods).

    An alert that ended (a firing alert resolved, or a pending one whose condition cleared) stays
    *resolved* until its condition starts again, so only real changes are recorded; a change of level
    while firing is a change too.
    """
    state, sev, rows = res.state, res.severity.astype(np.int16), res.rows
    n_rows, n_t = state.shape
    ever, stored, change = state_changes(state, sev)
    r, t = np.nonzero(change)
    # the resolved cell carries the level the alert had; sticky resolved cells after a pending one have none
    levels = np.array([*res.rule.level_names, ""], dtype=object)
    sev_at = sev[r, t]
    trans = {"row": rows[r], "col": t, "state": _STATE_NAMES[stored[r, t]],
             "severity": levels[np.where(sev_at < 0, len(levels) - 1, sev_at)], "value": res.value[r, t]}
    has = ever[:, -1] if n_t else np.zeros(n_rows, dtype=bool)
    cr = np.flatnonzero(has)
    last_change = n_t - 1 - np.argmax(change[cr, ::-1], axis=1)
    cur_state = stored[cr, -1]
    live = cur_state != RESOLVED
    col = np.where(live, n_t - 1, last_change)
    act = res.active[cr] if res.active is not None else stored[cr] > 0
    any_act = act.any(axis=1)
    last_act = np.where(any_act, n_t - 1 - np.argmax(act[:, ::-1], axis=1), -1)
    sev_c = sev[cr, col]
    cur = {"row": rows[cr], "col": col, "state": _STATE_NAMES[cur_state],
           "severity": levels[np.where(sev_c < 0, len(levels) - 1, sev_c)], "value": res.value[cr, col],
           "since_col": last_change, "last_active_col": last_act}
    return trans, cur


def changes(pack: RulePack, grid: Grid, *, names: dict[str, str] | None = None, messages: bool = True) -> Changes:
    """Evaluate every rule of ``pack`` on ``grid`` (expressions shared within a rule family) and return
    the transitions and current states, with Chinese messages when ``messages``."""
    periods = np.asarray(grid.periods, dtype=object)
    ords = np.array([period_ord(p) for p in grid.periods], dtype=np.int32)
    cache: dict = {}
    tparts, cparts, cells = [], [], 0
    for rule in pack.rules:
        res = evaluate_rule(rule, grid, cache)
        cells += res.state.size
        trans, cur = rule_changes(res, grid)
        if len(trans["row"]):
            tdf = pd.DataFrame({"rule_id": rule.id, "key": grid.keys[trans["row"]], "period": periods[trans["col"]],
                                "ord": ords[trans["col"]], "state": trans["state"], "severity": trans["severity"],
                                "value": trans["value"]})
            tdf["message"] = (render_rule(rule, grid, trans["row"], trans["col"], tdf["state"].to_numpy(),
                                          tdf["severity"].to_numpy(), trans["value"], names) if messages else None)
            tparts.append(tdf)
        if len(cur["row"]):
            last = periods[-1]
            cdf = pd.DataFrame({"rule_id": rule.id, "rule_name": rule.name, "scope": rule.scope,
                                "key": grid.keys[cur["row"]], "parent": grid.parents[cur["row"]],
                                "period": last, "ord": ords[-1], "state": cur["state"], "severity": cur["severity"],
                                "value": cur["value"], "since": periods[cur["since_col"]],
                                "last_active": np.where(cur["last_active_col"] >= 0,
                                                        periods[np.maximum(cur["last_active_col"], 0)], None)})
            cdf["message"] = (render_rule(rule, grid, cur["row"], cur["col"], cdf["state"].to_numpy(),
                                          cdf["severity"].to_numpy(), cur["value"], names) if messages else None)
            cparts.append(cdf)
    tcols = ["rule_id", "key", "period", "ord", "state", "severity", "value", "message"]
    transitions = pd.concat(tparts, ignore_index=True) if tparts else pd.DataFrame(columns=tcols)
    ccols = ["rule_id", "rule_name", "scope", "key", "parent", "period", "ord", "state", "severity", "value",
             "since", "last_active", "message"]
    current = pd.concat(cparts, ignore_index=True) if cparts else pd.DataFrame(columns=ccols)
    return Changes(transitions, current, cells)


def render_rule(rule: Rule, grid: Grid, rows: np.ndarray, cols: np.ndarray, states: np.ndarray,
                severities: np.ndarray, values: np.ndarray, names: dict[str, str] | None = None) -> np.ndarray:
    """Messages of one rule at grid cells ``(rows, cols)`` (column-wise, NBS wording)."""
    from yacang.alerts.messages import render

    names = names or {}
    n = len(rows)
    keys = grid.keys[rows]
    parents = grid.parents[rows]
    uniq_cols = np.unique(cols)
    cumulative = rule.labels.get("measure") == "累计"
    labels = {int(c): parse_period(grid.periods[c]).label_zh(cumulative=cumulative) for c in uniq_cols}
    key_s, par_s = pd.Series(keys, dtype=object), pd.Series(parents, dtype=object)
    text = {"rule": np.full(n, rule.id, dtype=object), "rule_name": np.full(n, rule.name, dtype=object),
            "scope": np.full(n, rule.scope, dtype=object), "key": keys, "parent": parents,
            "name": key_s.map({k: names.get(k, k) for k in pd.unique(key_s)}).to_numpy(dtype=object),
            "parent_name": par_s.map({k: names.get(k, k) for k in pd.unique(par_s)}).to_numpy(dtype=object),
            "period": np.asarray(grid.periods, dtype=object)[cols],
            "period_label": pd.Series(cols).map(labels).to_numpy(dtype=object),
            "severity": severities, "state": pd.Series(states).map(STATE_ZH).fillna("").to_numpy(dtype=object)}
    vals = np.asarray(values, dtype=float)
    numbers = {"value": vals, "abs_value": np.abs(vals)}
    for m in rule.metrics | _template_metrics(rule):
        a = grid.arrays.get(m)
        numbers[m] = a[rows, cols] if a is not None else np.full(n, np.nan)
    return render(rule.message, n, text, numbers)


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

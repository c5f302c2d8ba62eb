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
STATE_ZH = {"pending": "待定", "firing": "告警", "resolved": "已解除"}

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


def condition(rule: Rule, grid: Grid, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(active, severity index, value) arrays for ``rule`` on ``grid`` (restricted to ``rows``)."""
    value_expr, when_expr = rule.compiled()
    shape = (len(grid.keys), len(grid.periods))
    if value_expr is not None:
        v = np.broadcast_to(value_expr(grid), shape)
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
        w = np.broadcast_to(when_expr(grid), shape)
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


def evaluate_rule(rule: Rule, grid: Grid) -> RuleResult:
    rows = np.flatnonzero(grid.scopes == rule.scope)
    active, sev, value = condition(rule, grid, rows)
    state, sev_state = step_states(active, sev, rule.for_, rule.keep_firing_for)
    return RuleResult(rule, rows, state, sev_state, value)


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
    frames = [history_frame(evaluate_rule(rule, grid), grid) for rule in pack.rules]
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


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def render_messages(df: pd.DataFrame, pack: RulePack, grid: Grid, names: dict[str, str] | None = None) -> pd.Series:
    """Chinese message of each row from its rule's template (formatting in Python: use on few rows)."""
    if df.empty:
        return pd.Series([], dtype=object)
    names = names or {}
    kidx = pd.Index(grid.keys).get_indexer(df["key"])
    tidx = pd.Index(grid.periods).get_indexer(df["period"])
    out = []
    for i, row in enumerate(df.itertuples(index=False)):
        rule = pack.rule(row.rule_id)
        p = parse_period(row.period)
        ctx = _Blank(rule=rule.id, rule_name=rule.name, key=row.key, name=names.get(row.key, row.key),
                     parent=row.parent, parent_name=names.get(row.parent, row.parent), scope=row.scope,
                     period=row.period, period_label=p.label_zh(cumulative=rule.labels.get("measure") == "累计"),
                     value=row.value, abs_value=abs(row.value) if row.value == row.value else row.value,
                     severity=row.severity, state=STATE_ZH.get(row.state, row.state))
        for m in rule.metrics:
            a = grid.arrays.get(m)
            ctx[m] = float(a[kidx[i], tidx[i]]) if a is not None and kidx[i] >= 0 and tidx[i] >= 0 else float("nan")
        try:
            out.append(rule.message.format_map(ctx))
        except (ValueError, TypeError):
            out.append(f"{ctx['name']}{ctx['period_label']}触发“{rule.name}”")
    return pd.Series(out, index=df.index, dtype=object)

"""Alert history by change, silences and acknowledgements (tables and queries in
:mod:`yacang.warehouse.alerts`).

:func:`save_changes` stores an evaluation (transitions + current state, with each alert's region by
the one rule of :mod:`yacang.alerts.regions`); :func:`save_history` accepts the engine's per-period
frame (:func:`yacang.alerts.engine.evaluate`) and stores its changes the same way; :func:`load_history`
reads the state of every alert as of a period.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pyarrow as pa

from yacang.alerts.engine import STATE_CODES, Changes, period_ord, state_changes
from yacang.alerts.regions import alert_regions, text_codes
from yacang.alerts.rules import LEVELS, RulePack, load_pack
from yacang.alerts.silences import Silence, apply_silences, mute_mask, parse_matchers
from yacang.periods import parse_period
from yacang.warehouse import alerts as tables

HISTORY_OUT = ["fingerprint", "rule_id", "rule_name", "scope", "key", "parent", "region", "name", "period", "state",
               "severity", "value", "since", "last_active", "message", "muted", "silenced", "silence_id", "repeat_of"]


def ensure_tables(wh) -> None:
    tables.ensure_alert_tables(wh)


def mark_repeats(df: pd.DataFrame, pack: RulePack | None = None) -> pd.Series:
    """``repeat_of``: for a firing region alert whose parent region fires the same rule at the same or a
    higher level, the parent's key (the child repeats the parent's alert; it is grouped under it). Rules that compare a unit with its
    parent (``parent(...)`` in their expressions) never repeat: the child's gap is its own finding.
    Worked out on integer codes (rule × unit), so it costs little on millions of current rows."""
    out = pd.Series(None, index=df.index, dtype=object)
    if df.empty:
        return out
    relative = {r.id for r in pack.rules if "parent(" in f"{r.value or ''} {r.when or ''}"} if pack else set()
    firing = (df["state"] == "firing").to_numpy(dtype=bool)
    if not (firing & (df["scope"] == "region").to_numpy(dtype=bool)).any():
        return out  # only a firing region alert repeats its parent's
    (rc, rv), (kc, kv), (pc, pv) = text_codes(df["rule_id"]), text_codes(df["key"]), text_codes(df["parent"])
    sc, sv = text_codes(df["severity"])
    rank = np.array([LEVELS.index(s) if s in LEVELS else -1 for s in sv], dtype=np.int64)[sc]
    parent_key = pd.Index(kv).get_indexer(pv)[pc]  # the parent's code among the keys (-1: not a unit here)
    fired = pd.Index(rc[firing] * len(kv) + kc[firing])
    at = np.where(parent_key >= 0, fired.get_indexer(rc * len(kv) + parent_key), -1)
    fired_rank = np.append(rank[firing], -2)  # index -1 (no parent firing) → -2
    parent_rank = fired_rank[at]
    hit = (firing & (df["scope"] == "region").to_numpy(dtype=bool) & ~np.isin(rv, list(relative))[rc]
           & (parent_rank >= rank))
    out[hit] = pv[pc[hit]]
    return out


def _with_region_and_name(wh, cur: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    cur = cur.copy(deep=False)  # columns are added, none changed: the caller's frame keeps its own
    ents = cur.loc[(cur["scope"] == "enterprise").to_numpy(dtype=bool), "key"].astype(str).unique().tolist()
    cur["region"] = alert_regions(cur["scope"], cur["key"], cur["parent"], tables.enterprise_regions(wh, ents))
    kc, kv = text_codes(cur["key"])
    ncodes, nuniq = pd.factorize(np.array([names.get(k, k) for k in kv], dtype=object))
    cur["name"] = pd.Categorical.from_codes(ncodes[kc], categories=nuniq)
    return cur


def save_changes(wh, ch: Changes, rule_ids: list[str], *, pack: RulePack | None = None,
                 names: dict[str, str] | None = None, silences: list[Silence] | None = None,
                 now: dt.datetime | None = None) -> str:
    """Store an evaluation's transitions and current states, replacing those of ``rule_ids``.

    The region of each alert is decided here (:func:`yacang.alerts.regions.alert_regions`, enterprises
    by their registered region); an alert whose region cannot be established raises, nothing is stored.
    Silences active at ``now`` and the pack's mute windows mark the current rows (still stored).
    """
    now = now or dt.datetime.now().replace(microsecond=0)
    cur = _with_region_and_name(wh, ch.current, names or {})
    cur["muted"] = mute_mask(cur, pack) if pack is not None else False
    cur = apply_silences(cur, silences or [], pack, now=now)
    cur["repeat_of"] = mark_repeats(cur, pack)
    run_id = uuid.uuid4().hex[:12]
    with _any_row_order(wh.db):
        tables.replace_alert_states(wh, ch.table, cur, rule_ids, run_id=run_id, now=now)
    return run_id


@contextmanager
def _any_row_order(db) -> Iterator[None]:
    """DuckDB may store the rows of a bulk insert in any order (``preserve_insertion_order = false``),
    so its threads insert side by side (12.5M rows: about a quarter less CPU and a third less wall time,
    interleaved runs); no reader depends on the stored order (they sort or aggregate). The connection's
    setting is restored."""
    before = db.execute("SELECT current_setting('preserve_insertion_order')").fetchall()[0][0]
    db.execute("SET preserve_insertion_order = false")
    try:
        yield
    finally:
        db.execute(f"SET preserve_insertion_order = {'true' if before else 'false'}")


def changes_from_cells(df: pd.DataFrame, periods: list[str] | None = None) -> Changes:
    """The changes of an engine per-period frame (non-inactive cells; a period without a row is inactive)."""
    cols_t = ["rule_id", "key", "period", "ord", "state", "severity", "value", "message"]
    if df.empty:
        return Changes(pa.Table.from_pandas(pd.DataFrame(columns=cols_t), preserve_index=False), pd.DataFrame(columns=[
            "rule_id", "rule_name", "scope", "key", "parent", "period", "ord", "state", "severity", "value", "since",
            "last_active", "message"]), 0)
    df = df.copy()
    if "message" not in df:
        df["message"] = None
    ps = sorted(set(periods or []) | set(df["period"]), key=lambda p: parse_period(p).sort_key())
    units = df[["rule_id", "key"]].drop_duplicates().reset_index(drop=True)
    u = pd.MultiIndex.from_frame(units).get_indexer(pd.MultiIndex.from_frame(df[["rule_id", "key"]]))
    t = pd.Index(ps).get_indexer(df["period"])
    code_of = {v: k for k, v in STATE_CODES.items()}
    state = np.zeros((len(units), len(ps)), dtype=np.int8)
    state[u, t] = df["state"].map(code_of).fillna(0).to_numpy(dtype=np.int8)
    sev_codes, sev_names = pd.factorize(df["severity"].fillna(""))
    sev = np.full(state.shape, -1, dtype=np.int16)
    sev[u, t] = sev_codes
    cell = np.full(state.shape, -1, dtype=np.int64)
    cell[u, t] = np.arange(len(df))
    sc = state_changes(state, sev)
    stored, change = sc["stored"], sc["change"]
    names = np.array(["", "pending", "firing", "resolved"], dtype=object)
    ords = np.array([period_ord(p) for p in ps], dtype=np.int32)
    pa_ = np.asarray(ps, dtype=object)
    sev_name = np.array([*sev_names, ""], dtype=object)

    def at(r: np.ndarray, c: np.ndarray, col: str, default=None) -> np.ndarray:
        i = cell[r, c]
        vals = df[col].to_numpy(dtype=object)[np.maximum(i, 0)]
        return np.where(i >= 0, vals, default)

    def level(r: np.ndarray, c: np.ndarray) -> np.ndarray:
        return sev_name[np.where(sev[r, c] < 0, len(sev_name) - 1, sev[r, c])]

    r, c = np.nonzero(change)
    trans = pd.DataFrame({"rule_id": units["rule_id"].to_numpy()[r], "key": units["key"].to_numpy()[r],
                          "period": pa_[c], "ord": ords[c], "state": names[stored[r, c]], "severity": level(r, c),
                          "value": pd.to_numeric(at(r, c, "value", np.nan), errors="coerce"),
                          "message": at(r, c, "message")})
    cr, col = sc["cur"], sc["cur_col"]
    meta = df.iloc[cell[cr, :].max(axis=1)]  # any row of the unit, for its metadata
    active = (state[cr] == 1) | (state[cr] == 2)
    last_act = np.where(active.any(axis=1), len(ps) - 1 - np.argmax(active[:, ::-1], axis=1), -1)
    cur = pd.DataFrame({"rule_id": units["rule_id"].to_numpy()[cr], "rule_name": meta["rule_name"].to_numpy(),
                        "scope": meta["scope"].to_numpy(), "key": units["key"].to_numpy()[cr],
                        "parent": meta["parent"].to_numpy(), "period": pa_[-1], "ord": ords[-1],
                        "state": names[sc["cur_state"]], "severity": level(cr, col),
                        "value": pd.to_numeric(at(cr, col, "value", np.nan), errors="coerce"),
                        "since": pa_[sc["since_col"]], "last_active": np.where(last_act >= 0, pa_[np.maximum(last_act, 0)], None),
                        "message": at(cr, col, "message")})
    return Changes(pa.Table.from_pandas(trans, preserve_index=False), cur, int(state.size))


def save_history(wh, df: pd.DataFrame, *, periods: list[str] | None = None, rule_ids: list[str] | None = None,
                 now: dt.datetime | None = None, names: dict[str, str] | None = None) -> str:
    """Store an engine per-period frame by change, replacing the stored rows of ``rule_ids`` (default:
    the rules in ``df``); the muted/silenced marks of each alert's last row are kept."""
    ch = changes_from_cells(df, periods)
    rule_ids = rule_ids if rule_ids is not None else sorted(df["rule_id"].unique()) if not df.empty else []
    given = dict(zip(df["key"], df["name"], strict=False)) if "name" in df else {}
    given.update(names or {})
    cur = _with_region_and_name(wh, ch.current, given)
    marks = pd.DataFrame(index=pd.MultiIndex.from_frame(cur[["rule_id", "key"]]))
    if not df.empty:
        last = df.assign(_o=df["period"].map(period_ord)).sort_values("_o")
        last = last.drop_duplicates(["rule_id", "key"], keep="last").set_index(["rule_id", "key"])
        marks = last.reindex(marks.index)
    for col, default in (("muted", False), ("silenced", False), ("silence_id", "")):
        vals = marks[col] if col in marks else pd.Series(default, index=marks.index)
        cur[col] = vals.fillna(default).to_numpy()
    cur["fingerprint"] = marks["fingerprint"].to_numpy(dtype=object) if "fingerprint" in marks else None
    cur["repeat_of"] = mark_repeats(cur)
    now = now or dt.datetime.now().replace(microsecond=0)
    run_id = uuid.uuid4().hex[:12]
    with _any_row_order(wh.db):
        tables.replace_alert_states(wh, ch.table, cur, list(rule_ids), run_id=run_id, now=now)
    return run_id


def evaluated_period(wh):
    """The period the stored states were last evaluated up to (a :class:`Period`; 1-2月 merged), or None
    if the rules were never run: every list of "current" alerts says as of when."""
    o = tables.evaluated_ord(wh)
    if o is None:
        return None
    year, end = divmod(int(o), 100)
    return parse_period(f"{year}-01/02" if end == 2 else f"{year}-{end:02d}")


def load_history(wh, *, period: str | None = None, state: str | None = None, rule_id: str | None = None,
                 key: str | None = None, region: str | None = None) -> pd.DataFrame:
    """Every alert's state as of ``period`` (default: the last evaluated period), with acknowledgements.

    Columns: fingerprint, rule_id, rule_name, scope, key, parent, region, name, period, state, severity,
    value, since (start of the current state; for a past period its last change), last_active, message, muted, silenced, silence_id,
    acked_by, acked_at. A period after the last evaluation has no states (empty frame).
    """
    filters = {"rule_id": rule_id, "key": key, "region": region}
    evaluated = tables.evaluated_ord(wh)
    if evaluated is None:
        df = pd.DataFrame(columns=HISTORY_OUT)
    elif period is None or period_ord(period) >= evaluated:
        if period is not None and period_ord(period) > evaluated:
            df = pd.DataFrame(columns=HISTORY_OUT)
        else:
            df = tables.current_alerts(wh, state=state, **filters)
    else:
        df = tables.alerts_at(wh, period_ord(period))
        df["period"] = parse_period(period).code
        df["repeat_of"] = mark_repeats(df, load_pack())
        for col, val in {"state": state, **filters}.items():
            if val is not None:
                df = df[df[col] == val]
    df = df.reindex(columns=HISTORY_OUT)
    acks = tables.acks_frame(wh)
    if not acks.empty and not df.empty:
        last = acks.sort_values("acked_at").drop_duplicates("fingerprint", keep="last")
        df = df.merge(last[["fingerprint", "author", "acked_at"]].rename(columns={"author": "acked_by"}),
                      on="fingerprint", how="left")
    else:
        df["acked_by"], df["acked_at"] = None, pd.NaT
    return df.sort_values(["rule_id", "key"]).reset_index(drop=True)


def add_silence(wh, s: Silence) -> str:
    tables.insert_silence(wh, (s.id, s.matcher_text, s.author, s.reason, s.starts_at, s.expires_at,
                               dt.datetime.now().replace(microsecond=0)))
    return s.id


def load_silences(wh, *, now: dt.datetime | None = None, include_expired: bool = False) -> list[Silence]:
    df = tables.silences_frame(wh)
    now = now or dt.datetime.now()
    out = []
    for r in df.itertuples(index=False):
        s = Silence.__new__(Silence)
        s.matchers = parse_matchers(r.matchers)
        s.author, s.reason, s.id = r.author, r.reason, r.id
        s.starts_at = pd.Timestamp(r.starts_at).to_pydatetime()
        s.expires_at = pd.Timestamp(r.expires_at).to_pydatetime()
        if include_expired or s.expires_at > now:
            out.append(s)
    return out


def expire_silence(wh, silence_id: str, *, now: dt.datetime | None = None) -> bool:
    return tables.expire_silence(wh, silence_id, now or dt.datetime.now().replace(microsecond=0))


def add_ack(wh, fingerprint: str, author: str, comment: str = "", *, now: dt.datetime | None = None) -> None:
    tables.insert_ack(wh, fingerprint, author, comment, now or dt.datetime.now().replace(microsecond=0))


def load_acks(wh) -> pd.DataFrame:
    return tables.acks_frame(wh)

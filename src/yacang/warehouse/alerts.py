"""Alert tables of the warehouse and the named queries other areas use.

The alert history is stored **by change**: ``alert_transitions`` holds one row each time a rule's state
for a unit changes (待定 → 触发中 → 已解除, or the level changes), ``alert_current`` one row per rule and
unit with its state as of the last evaluated period. The state of any earlier period is the last
transition at or before it. ``alert_silences`` and ``alert_acks`` keep who silenced or acknowledged
what, and why.

Saving an evaluation replaces the rows of the rules evaluated (the evaluation is a full recomputation
from the facts, so saving the same evaluation twice changes nothing).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa

from yacang.warehouse.transaction import transaction

TRANSITION_COLUMNS = ["rule_id", "key", "period", "ord", "state", "severity", "value", "message"]
CURRENT_COLUMNS = ["fingerprint", "rule_id", "rule_name", "scope", "key", "parent", "region", "name", "period",
                   "ord", "state", "severity", "value", "since", "last_active", "message", "muted", "silenced",
                   "silence_id", "repeat_of"]

DDL = (
    """CREATE TABLE IF NOT EXISTS alert_transitions (
        rule_id VARCHAR NOT NULL, key VARCHAR NOT NULL, period VARCHAR NOT NULL,
        ord INTEGER NOT NULL,          -- period order: year * 100 + last month
        state VARCHAR NOT NULL,        -- pending / firing / resolved (the state entered)
        severity VARCHAR, value DOUBLE, message VARCHAR, run_id VARCHAR
    )""",
    """CREATE TABLE IF NOT EXISTS alert_current (
        fingerprint VARCHAR NOT NULL, rule_id VARCHAR NOT NULL, rule_name VARCHAR, scope VARCHAR,
        key VARCHAR NOT NULL, parent VARCHAR,
        region VARCHAR NOT NULL,       -- the region the alert belongs to (yacang.alerts.regions)
        name VARCHAR,                  -- display name of the unit
        period VARCHAR NOT NULL, ord INTEGER NOT NULL,  -- evaluated up to
        state VARCHAR NOT NULL, severity VARCHAR, value DOUBLE,
        since VARCHAR,                 -- period of the last transition
        last_active VARCHAR,           -- last period the condition held
        message VARCHAR, muted BOOLEAN, silenced BOOLEAN, silence_id VARCHAR,
        repeat_of VARCHAR,             -- parent region firing the same rule (this alert repeats it)
        run_id VARCHAR, evaluated_at TIMESTAMP
    )""",
    """CREATE TABLE IF NOT EXISTS alert_silences (
        id VARCHAR PRIMARY KEY, matchers VARCHAR, author VARCHAR, reason VARCHAR,
        starts_at TIMESTAMP, expires_at TIMESTAMP, created_at TIMESTAMP
    )""",
    """CREATE TABLE IF NOT EXISTS alert_acks (
        fingerprint VARCHAR, author VARCHAR, comment VARCHAR, acked_at TIMESTAMP
    )""",
)


def ensure_alert_tables(wh) -> None:
    """Create the alert tables if missing (a read-only warehouse that has them is left untouched)."""
    if all(_has_table(wh, t) for t in ("alert_transitions", "alert_current", "alert_silences", "alert_acks")):
        return
    for stmt in DDL:
        wh.db.execute(stmt)


def _empty(table: str, wh) -> pd.DataFrame | None:
    """An empty frame when ``table`` does not exist yet (nothing evaluated), else None."""
    return None if _has_table(wh, table) else pd.DataFrame()


def replace_alert_states(wh, transitions: pa.Table | pd.DataFrame, current: pd.DataFrame, rule_ids: list[str], *,
                         run_id: str, now: dt.datetime) -> None:
    """Replace the stored transitions and current states of ``rule_ids`` in one transaction, one
    ``INSERT … SELECT`` from Arrow per table.

    A missing ``fingerprint`` is computed here (sha1 of ``rule_id|key``, first 16 hex digits, as
    :func:`yacang.alerts.engine.fingerprint`)."""
    ensure_alert_tables(wh)
    db = wh.db
    with transaction(db):
        db.register("_rules", pd.DataFrame({"rule_id": list(rule_ids)}, dtype=object))
        db.execute("DELETE FROM alert_transitions WHERE rule_id IN (SELECT rule_id FROM _rules)")
        db.execute("DELETE FROM alert_current WHERE rule_id IN (SELECT rule_id FROM _rules)")
        db.unregister("_rules")
        if isinstance(transitions, pd.DataFrame):
            transitions = pa.Table.from_pandas(transitions.reindex(columns=TRANSITION_COLUMNS), preserve_index=False)
        db.register("_t", transitions.select(TRANSITION_COLUMNS))
        db.execute("INSERT INTO alert_transitions SELECT rule_id, key, period, ord, state, severity, value, message, "
                   "? FROM _t", [run_id])
        db.unregister("_t")
        cols = [c for c in CURRENT_COLUMNS if c != "fingerprint"]
        cur = current.reindex(columns=CURRENT_COLUMNS)
        db.register("_c", pa.Table.from_pandas(cur, preserve_index=False))
        db.execute("INSERT INTO alert_current SELECT coalesce(CAST(fingerprint AS VARCHAR), substr(sha1(rule_id || '|' || key), 1, 16)), "
                   f"{', '.join(cols)}, ?, ? FROM _c", [run_id, now])
        db.unregister("_c")


def _where(filters: dict[str, object], alias: str = "") -> tuple[str, list]:
    conds, args = [], []
    for col, val in filters.items():
        if val is None:
            continue
        conds.append(f"{alias}{col} = ?")
        args.append(val)
    return (" AND ".join(conds) or "TRUE"), args


def current_alerts(wh, **filters: object) -> pd.DataFrame:
    """Current state rows (filters: column = value, e.g. ``state="firing"``, ``rule_id=…``, ``region=…``)."""
    if (e := _empty("alert_current", wh)) is not None:
        return e.reindex(columns=CURRENT_COLUMNS)
    where, args = _where(filters)
    return wh.db.execute(f"SELECT * FROM alert_current WHERE {where}", args).df()


def evaluated_ord(wh) -> int | None:
    """The period order the stored states were evaluated up to (None if never)."""
    if not _has_table(wh, "alert_current"):
        return None
    return wh.db.execute("SELECT max(ord) FROM alert_current").fetchall()[0][0]


def alerts_at(wh, ord_: int, **filters: object) -> pd.DataFrame:
    """The state of every alert as of the period with order ``ord_``: its last transition at or before it,
    with the unit's metadata (name, region, silences) from the current rows."""
    state_filter = filters.pop("state", None)
    where, args = _where(filters, "c.")
    sql = f"""
        WITH last AS (
            SELECT * FROM alert_transitions WHERE ord <= ?
            QUALIFY row_number() OVER (PARTITION BY rule_id, key ORDER BY ord DESC) = 1)
        SELECT c.fingerprint, c.rule_id, c.rule_name, c.scope, c.key, c.parent, c.region, c.name,
               c.period AS evaluated_period, l.period AS since, l.state, l.severity, l.value, l.message,
               c.last_active, c.muted, c.silenced, c.silence_id, NULL AS repeat_of
        FROM last l JOIN alert_current c USING (rule_id, key)
        WHERE {where} {"AND l.state = ?" if state_filter is not None else ""}"""
    return wh.db.execute(sql, [ord_, *args, *([state_filter] if state_filter is not None else [])]).df()


def history_rows(wh, **filters: object) -> pd.DataFrame:
    """All stored transitions (filters on rule_id / key), oldest first, with the unit's region and name."""
    if (e := _empty("alert_transitions", wh)) is not None:
        return e
    where, args = _where(filters, "t.")
    return wh.db.execute(
        f"""SELECT t.rule_id, c.rule_name, t.key, c.name, c.region, t.period, t.state, t.severity, t.value, t.message
            FROM alert_transitions t LEFT JOIN alert_current c USING (rule_id, key)
            WHERE {where} ORDER BY t.rule_id, t.key, t.ord""", args).df()


def count_transitions(wh) -> int:
    if not _has_table(wh, "alert_transitions"):
        return 0
    return int(wh.db.execute("SELECT count(*) FROM alert_transitions").fetchall()[0][0])


def _has_table(wh, name: str) -> bool:
    q = "SELECT count(*) FROM information_schema.tables WHERE table_name = ?"
    return bool(wh.db.execute(q, [name]).fetchall()[0][0])


def has_microdata_reports(wh) -> bool:
    """Whether the warehouse holds enterprise registry and monthly reports (the microdata tables)."""
    if not all(_has_table(wh, t) for t in ("reports", "enterprises", "enterprise_years")):
        return False
    return bool(wh.db.execute("SELECT count(*) FROM reports").fetchall()[0][0])


def reporting_counts(wh) -> pd.DataFrame:
    """Enterprises that reported in each period, by nation, province and prefecture (columns period,
    region, n): the sample size behind a region's growth rates."""
    return wh.db.execute(
        """WITH c AS (SELECT r.period, e.region, count(DISTINCT r.uscc) AS n
                      FROM reports r JOIN enterprises e USING (uscc) GROUP BY ALL)
           SELECT period, '100000' AS region, sum(n) AS n FROM c GROUP BY period
           UNION ALL SELECT period, substr(region, 1, 2) || '0000', sum(n) FROM c GROUP BY ALL
           UNION ALL SELECT period, substr(region, 1, 4) || '00', sum(n) FROM c
                     WHERE substr(region, 3, 4) <> '0000' GROUP BY ALL""").df()


def enterprise_regions(wh, usccs: list[str]) -> dict[str, str]:
    """Registered region of each enterprise among ``usccs`` found in the microdata registry."""
    if not usccs or not _has_table(wh, "enterprises"):
        return {}
    rows = wh.db.execute("SELECT uscc, region FROM enterprises WHERE uscc IN (SELECT unnest(?))", [usccs]).fetchall()
    return dict(rows)


def enterprise_names(wh, usccs: list[str]) -> dict[str, str]:
    """Registered name of each enterprise among ``usccs`` found in the microdata registry."""
    if not usccs or not _has_table(wh, "enterprises"):
        return {}
    return dict(wh.db.execute("SELECT uscc, name FROM enterprises WHERE uscc IN (SELECT unnest(?))", [usccs]).fetchall())


# silences and acknowledgements ---------------------------------------------------------------------
def insert_silence(wh, row: tuple) -> None:
    ensure_alert_tables(wh)
    wh.db.execute("INSERT INTO alert_silences VALUES (?, ?, ?, ?, ?, ?, ?)", list(row))


def silences_frame(wh) -> pd.DataFrame:
    if (e := _empty("alert_silences", wh)) is not None:
        return e.reindex(columns=["id", "matchers", "author", "reason", "starts_at", "expires_at", "created_at"])
    return wh.db.execute("SELECT * FROM alert_silences ORDER BY created_at").df()


def expire_silence(wh, silence_id: str, now: dt.datetime) -> bool:
    ensure_alert_tables(wh)
    n = wh.db.execute("SELECT count(*) FROM alert_silences WHERE id = ?", [silence_id]).fetchall()[0][0]
    wh.db.execute("UPDATE alert_silences SET expires_at = ? WHERE id = ?", [now, silence_id])
    return bool(n)


def insert_ack(wh, fingerprint: str, author: str, comment: str, now: dt.datetime) -> None:
    ensure_alert_tables(wh)
    wh.db.execute("INSERT INTO alert_acks VALUES (?, ?, ?, ?)", [fingerprint, author, comment, now])


def acks_frame(wh) -> pd.DataFrame:
    if (e := _empty("alert_acks", wh)) is not None:
        return e.reindex(columns=["fingerprint", "author", "comment", "acked_at"])
    return wh.db.execute("SELECT * FROM alert_acks").df()

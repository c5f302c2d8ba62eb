"""Alert history, silences and acknowledgements as tables in the warehouse (DuckDB via ``wh.db``).

Saving a run replaces the stored rows of the same rules for the periods evaluated, so re-running a
period is idempotent; every row carries the run id and evaluation time.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pandas as pd

from yacang.alerts.engine import HISTORY_COLUMNS
from yacang.alerts.silences import Silence, parse_matchers

DDL = (
    """CREATE TABLE IF NOT EXISTS alert_history (
        run_id VARCHAR, evaluated_at TIMESTAMP, rule_id VARCHAR, rule_name VARCHAR, scope VARCHAR,
        key VARCHAR, parent VARCHAR, period VARCHAR, state VARCHAR, severity VARCHAR, value DOUBLE,
        fingerprint VARCHAR, muted BOOLEAN, silenced BOOLEAN, silence_id VARCHAR, message VARCHAR
    )""",
    """CREATE TABLE IF NOT EXISTS alert_silences (
        id VARCHAR PRIMARY KEY, matchers VARCHAR, author VARCHAR, reason VARCHAR,
        starts_at TIMESTAMP, expires_at TIMESTAMP, created_at TIMESTAMP
    )""",
    """CREATE TABLE IF NOT EXISTS alert_acks (
        fingerprint VARCHAR, author VARCHAR, comment VARCHAR, acked_at TIMESTAMP
    )""",
)


def ensure_tables(wh) -> None:
    for stmt in DDL:
        wh.db.execute(stmt)


def save_history(wh, df: pd.DataFrame, *, periods: list[str] | None = None, rule_ids: list[str] | None = None,
                 now: dt.datetime | None = None) -> str:
    """Store a run's rows, replacing earlier rows for the same rules and periods; returns the run id."""
    ensure_tables(wh)
    run_id = uuid.uuid4().hex[:12]
    now = now or dt.datetime.now().replace(microsecond=0)
    rows = df.copy()
    if "message" not in rows:
        rows["message"] = ""
    rows = rows[[*HISTORY_COLUMNS, "message"]]
    rows.insert(0, "evaluated_at", pd.Timestamp(now))
    rows.insert(0, "run_id", run_id)
    rule_ids = rule_ids if rule_ids is not None else sorted(rows["rule_id"].unique())
    periods = periods if periods is not None else sorted(rows["period"].unique())
    db = wh.db
    db.execute("BEGIN TRANSACTION")
    try:
        db.register("_del", pd.DataFrame({"rule_id": list(rule_ids)}).merge(
            pd.DataFrame({"period": list(periods)}), how="cross"))
        db.execute("DELETE FROM alert_history h USING _del d WHERE h.rule_id = d.rule_id AND h.period = d.period")
        db.unregister("_del")
        db.register("_rows", rows)
        db.execute("INSERT INTO alert_history SELECT * FROM _rows")
        db.unregister("_rows")
        db.execute("COMMIT")
    except Exception:
        db.execute("ROLLBACK")
        raise
    return run_id


def load_history(wh, *, period: str | None = None, state: str | None = None, rule_id: str | None = None,
                 key: str | None = None) -> pd.DataFrame:
    """Stored alert rows (Ibis query), newest period first, with acknowledgement columns."""
    ensure_tables(wh)
    t = wh.table("alert_history")
    for col, val in (("period", period), ("state", state), ("rule_id", rule_id), ("key", key)):
        if val is not None:
            t = t.filter(t[col] == val)
    df = t.to_pandas()
    acks = load_acks(wh)
    if not acks.empty:
        last = acks.sort_values("acked_at").drop_duplicates("fingerprint", keep="last")
        df = df.merge(last[["fingerprint", "author", "acked_at"]].rename(columns={"author": "acked_by"}),
                      on="fingerprint", how="left")
    else:
        df["acked_by"], df["acked_at"] = None, pd.NaT
    return df.sort_values(["period", "rule_id", "key"], ascending=[False, True, True]).reset_index(drop=True)


def add_silence(wh, s: Silence) -> str:
    ensure_tables(wh)
    wh.db.execute("INSERT INTO alert_silences VALUES (?, ?, ?, ?, ?, ?, ?)",
                  [s.id, s.matcher_text, s.author, s.reason, s.starts_at, s.expires_at,
                   dt.datetime.now().replace(microsecond=0)])
    return s.id


def load_silences(wh, *, now: dt.datetime | None = None, include_expired: bool = False) -> list[Silence]:
    ensure_tables(wh)
    df = wh.table("alert_silences").order_by("created_at").to_pandas()
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
    ensure_tables(wh)
    now = now or dt.datetime.now().replace(microsecond=0)
    n = wh.db.execute("SELECT count(*) FROM alert_silences WHERE id = ?", [silence_id]).fetchall()[0][0]
    wh.db.execute("UPDATE alert_silences SET expires_at = ? WHERE id = ?", [now, silence_id])
    return bool(n)


def add_ack(wh, fingerprint: str, author: str, comment: str = "", *, now: dt.datetime | None = None) -> None:
    ensure_tables(wh)
    wh.db.execute("INSERT INTO alert_acks VALUES (?, ?, ?, ?)",
                  [fingerprint, author, comment, now or dt.datetime.now().replace(microsecond=0)])


def load_acks(wh) -> pd.DataFrame:
    ensure_tables(wh)
    return wh.table("alert_acks").to_pandas()

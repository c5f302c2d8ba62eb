"""Evaluation results in the warehouse (scores, rank intervals, per-indicator explanations) and their queries.

A run is keyed by what it computed (:func:`yacang.evaluation.runs.run_id`: system, method, level, period,
data kind and a digest of the system's definition, the inputs and every option that changes what is stored):
saving the same run again replaces its rows, so re-running changes nothing, while runs with other options
(``--month-yoy gap``) are kept beside it. ``eval_scores`` holds one row per region (rank 0 = not ranked,
with the reason in ``status``; ``p05``/``p95`` the Monte Carlo rank interval when computed);
``eval_items`` one row per region and indicator (value, normalised score, weight, points, points lost,
whether the value was imputed and any note on how it was obtained). The bulletin and the pages read
these tables; they never recompute scores. The runs and scores are read as Ibis expressions, so they read
alike on DuckDB and on Spark (:func:`scores_expr`).
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir
import pandas as pd

from yacang.warehouse.transaction import transaction

SCORE_COLUMNS = ["region", "name", "base", "bonus", "score", "rank", "status", "gaps", "remark", "p05", "p95"]
ITEM_COLUMNS = ["region", "indicator", "name", "grp", "value", "norm", "weight", "points", "lost", "imputed", "note"]

DDL = (
    """CREATE TABLE IF NOT EXISTS eval_runs (
        run_id VARCHAR PRIMARY KEY, system VARCHAR NOT NULL, system_name VARCHAR, method VARCHAR NOT NULL,
        level VARCHAR NOT NULL, period VARCHAR NOT NULL,
        data_kind VARCHAR NOT NULL,   -- real / demo / submitted: never mixed in one run
        source VARCHAR,               -- the data the run was built from, in words
        weights VARCHAR,              -- JSON indicator → weight
        notes VARCHAR, draws INTEGER, spread DOUBLE, created_at TIMESTAMP
    )""",
    """CREATE TABLE IF NOT EXISTS eval_scores (
        run_id VARCHAR NOT NULL, region VARCHAR NOT NULL, name VARCHAR, base DOUBLE, bonus DOUBLE,
        score DOUBLE, rank INTEGER, status VARCHAR, gaps INTEGER,
        remark VARCHAR,               -- how values were obtained (e.g. estimated from 当月同比)
        p05 INTEGER, p95 INTEGER
    )""",
    """CREATE TABLE IF NOT EXISTS eval_items (
        run_id VARCHAR NOT NULL, region VARCHAR NOT NULL, indicator VARCHAR NOT NULL, name VARCHAR,
        grp VARCHAR, value DOUBLE, norm DOUBLE, weight DOUBLE, points DOUBLE, lost DOUBLE,
        imputed BOOLEAN, note VARCHAR
    )""",
)


def ensure_tables(wh) -> None:
    for stmt in DDL:
        wh.db.execute(stmt)


def run_id_for(system: str, method: str, level: str, period: str, data_kind: str) -> str:
    return f"{system}|{method}|{level}|{period}|{data_kind}"


def save_run(wh, run: dict, scores: pd.DataFrame, items: pd.DataFrame) -> str:
    """Replace the run's rows (one transaction). ``run`` has the eval_runs columns except created_at; its
    ``run_id`` when the caller names the run by what it computed, else :func:`run_id_for` of its keys."""
    ensure_tables(wh)
    rid = run.get("run_id") or run_id_for(run["system"], run["method"], run["level"], run["period"], run["data_kind"])
    db = wh.db
    with transaction(db):
        for table in ("eval_items", "eval_scores", "eval_runs"):
            db.execute(f"DELETE FROM {table} WHERE run_id = ?", [rid])
        db.execute(
            "INSERT INTO eval_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [rid, run["system"], run.get("system_name", ""), run["method"], run["level"], run["period"],
             run["data_kind"], run.get("source", ""), run.get("weights", "{}"), run.get("notes", ""),
             run.get("draws"), run.get("spread"), dt.datetime.now().replace(microsecond=0)],
        )
        db.register("_s", scores.reindex(columns=SCORE_COLUMNS))
        db.execute(f"INSERT INTO eval_scores SELECT ?, {', '.join(SCORE_COLUMNS)} FROM _s", [rid])
        db.unregister("_s")
        db.register("_i", items.reindex(columns=ITEM_COLUMNS))
        db.execute(f"INSERT INTO eval_items SELECT ?, {', '.join(ITEM_COLUMNS)} FROM _i", [rid])
        db.unregister("_i")
    return rid


def _exists(wh) -> bool:
    """Whether the tables exist (read-only connections cannot create them)."""
    return bool(wh.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'eval_runs'"))


RUN_COLUMNS = ("run_id", "system", "system_name", "method", "level", "period", "data_kind", "source", "weights",
               "notes", "draws", "spread", "created_at")
"""The columns of ``eval_runs``, in table order (an empty listing has them too)."""


def runs(wh) -> pd.DataFrame:
    if not _exists(wh):
        return pd.DataFrame(columns=list(RUN_COLUMNS))  # the table's columns: callers read any of them
    return wh.con.table("eval_runs").order_by(["period", "system", "method"]).to_pandas()


def get_run(wh, run_id: str) -> dict | None:
    if not _exists(wh):
        return None
    t = wh.con.table("eval_runs")
    df = t.filter(t.run_id == run_id).to_pandas()
    return None if df.empty else df.iloc[0].to_dict()


def scores_expr(con: ibis.BaseBackend, run_id: str) -> ir.Table:
    """A run's regions: ranked ones by rank, then the unranked (rank 0 or none) by score and code."""
    t = con.table("eval_scores")
    t = t.filter(t.run_id == run_id)
    return t.select(*SCORE_COLUMNS).order_by([ibis.ifelse(t["rank"] > 0, t["rank"], 100000), ibis.desc("score"),
                                             "region"])


def scores(wh, run_id: str) -> pd.DataFrame:
    """:func:`scores_expr` on the warehouse, as a frame."""
    if not _exists(wh):
        return pd.DataFrame(columns=SCORE_COLUMNS)
    return scores_expr(wh.con, run_id).to_pandas()


def items(wh, run_id: str, region: str | None = None) -> pd.DataFrame:
    """A run's indicator rows in the order they were stored (the system's order: DuckDB's rowid, so this one
    read is DuckDB's own)."""
    if not _exists(wh):
        return pd.DataFrame(columns=ITEM_COLUMNS)
    sql = "SELECT * EXCLUDE (run_id) FROM eval_items WHERE run_id = ?"
    params = [run_id]
    if region is not None:
        sql += " AND region = ?"
        params.append(region)
    return wh.db.execute(sql + " ORDER BY region, rowid", params).df()

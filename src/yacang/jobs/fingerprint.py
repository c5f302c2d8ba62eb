"""What a ``yacang run`` depends on, as one digest: when nothing it reads has changed, a repeat run reuses
the last result instead of recomputing measures, alerts and the bulletin.

Inputs: every warehouse table except the alert states the run itself writes (order-independent row hashes,
so a revised value, a new report or a review decision all change it), the dispatch tables of the app
database (after escalation), the job's configuration and the folder its files go to, the day (the bulletin's default 成文日期) and the
code of the package."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

# Tables the run writes (its outputs), left out of the digest of its inputs.
RUN_OUTPUTS = ("alert_transitions", "alert_current")


def warehouse_digest(wh) -> dict[str, str]:
    """Every table but the run's outputs and the tables derived from others already in the digest."""
    from yacang.warehouse import report_ytd
    from yacang.warehouse.job_queries import table_digests

    return table_digests(wh, exclude=RUN_OUTPUTS + report_ytd.TABLES)


def app_digest(engine) -> dict[str, str]:
    """The dispatch tables (appeals, projects …) the bulletin's 调度 section reads."""
    from sqlalchemy import inspect, text

    out = {}
    with engine.connect() as con:
        for t in sorted(inspect(engine).get_table_names()):
            if t.startswith("dispatch_"):
                rows = sorted(repr(tuple(r)) for r in con.execute(text(f'SELECT * FROM "{t}"')))
                out[t] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return out


def code_digest() -> str:
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for f in sorted(root.rglob("*")):
        if f.suffix in (".py", ".yaml", ".csv", ".html", ".css", ".toml") and "__pycache__" not in f.parts:
            st = f.stat()
            h.update(f"{f.relative_to(root)}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


def run_fingerprint(wh, engine, cfg, period_code: str, today: dt.date | None = None) -> str:
    from yacang import __version__

    parts = {"warehouse": warehouse_digest(wh), "app": app_digest(engine),
             "config": cfg.model_dump(mode="json", exclude={"path"}), "period": period_code,
             "output": str(Path(cfg.output_path()).absolute()),  # a relative folder is the working directory's
             "today": (today or dt.date.today()).isoformat(), "code": code_digest(), "version": __version__}
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()

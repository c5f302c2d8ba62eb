"""One evaluation of the rule pack: facts → states (stored in the alert history) → what officials see."""

from __future__ import annotations

import pandas as pd

from yacang.periods import Period


def evaluate_alerts(wh, period: Period, pack_path=None) -> pd.DataFrame:
    """Run the rule pack (default: 苗头性问题) up to ``period``, store every state in the alert history,
    and return the reported (firing, not silenced, not muted) rows of ``period`` with their messages."""
    from yacang.alerts.engine import Grid, evaluate, render_messages
    from yacang.alerts.facts import collect_facts, names_for
    from yacang.alerts.rules import load_pack
    from yacang.alerts.silences import apply_silences, reported
    from yacang.alerts.store import load_silences, save_history

    pack = load_pack(pack_path)
    facts = collect_facts(wh)
    if facts.empty:
        return pd.DataFrame()
    history = apply_silences(evaluate(pack, facts, upto=period.code), load_silences(wh), pack)
    now = reported(history[history["period"] == period.code]).copy()
    if not now.empty:
        grid = Grid.from_facts(facts)
        names = dict(zip(now["key"], names_for(now["key"]), strict=True))
        names.update(zip(now["parent"], names_for(now["parent"].fillna("")), strict=True))
        names.update(_enterprise_names(wh, now.loc[now["scope"] == "enterprise", "key"].unique().tolist()))
        now["message"] = render_messages(now, pack, grid, names)
        now["name"] = now["key"].map(names)
    save_history(wh, history.merge(now[["fingerprint", "period", "message"]], how="left",
                                   on=["fingerprint", "period"]) if not now.empty else history)
    return now


def _enterprise_names(wh, usccs: list[str]) -> dict[str, str]:
    """Registered names of the enterprises among the alerts (none if there is no registry)."""
    if not usccs or not wh.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'enterprises'"):
        return {}
    rows = wh.db.execute("SELECT uscc, name FROM enterprises WHERE uscc IN (SELECT unnest(?))", [usccs]).fetchall()
    return dict(rows)

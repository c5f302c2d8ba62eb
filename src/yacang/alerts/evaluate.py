"""One evaluation of the rule pack: facts → transitions and current states (stored) → what officials see."""

from __future__ import annotations

import numpy as np
import pandas as pd

from yacang.alerts.engine import Changes, Grid, changes
from yacang.alerts.fact_table import collect_facts, names_for
from yacang.alerts.rules import RulePack, load_pack
from yacang.alerts.silences import reported
from yacang.alerts.store import load_history, load_silences, save_changes
from yacang.periods import Period, parse_period
from yacang.warehouse.alerts import enterprise_names


class NoFactsError(LookupError):
    """No facts for the period asked (the message says the latest period there is)."""


def facts_upto(facts: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The facts of periods up to ``period`` (1-2月 is a period like any other)."""
    end = period.sort_key()
    keep = {p for p in pd.unique(facts["period"]) if parse_period(p).sort_key() <= end}
    return facts[facts["period"].isin(keep)]


def unit_names(wh, facts: pd.DataFrame) -> dict[str, str]:
    """Display names of every unit and parent in the facts: the facts' own names, enterprises' registered
    names, then the region and industry catalogs."""
    keys = pd.Series(pd.unique(pd.concat([facts["key"], facts["parent"].fillna("")]).astype(str)))
    keys = keys[keys != ""]
    out = dict(zip(keys, names_for(keys), strict=True))
    ents = facts.loc[facts["scope"] == "enterprise", "key"].astype(str).unique().tolist()
    out.update(enterprise_names(wh, ents))
    if "name" in facts:
        named = facts.dropna(subset=["name"]).drop_duplicates("key")
        out.update(dict(zip(named["key"].astype(str), named["name"].astype(str), strict=True)))
    return out


def evaluate_pack(wh, pack: RulePack, facts: pd.DataFrame, period: Period) -> Changes:
    """Evaluate ``pack`` on ``facts`` up to ``period`` and store the changes (replacing the pack's rules)."""
    first = min(pd.unique(facts["period"]), key=lambda p: parse_period(p).sort_key(), default=None)
    facts = facts_upto(facts, period)
    grid = Grid.from_facts(facts)
    if not grid.periods and first is not None:
        raise NoFactsError(f"{period.label_zh()}及以前没有预警指标数据（最早为 {parse_period(first).label_zh()}），"
                           "无法评估到该期")
    if not grid.periods or grid.periods[-1] != period.code:
        have = parse_period(grid.periods[-1]).label_zh() if grid.periods else "无"
        raise NoFactsError(f"没有 {period.label_zh()} 的预警指标数据（最新为 {have}），无法评估到该期")
    names = unit_names(wh, facts)
    ch = changes(pack, grid, names=names)
    save_changes(wh, ch, [r.id for r in pack.rules], pack=pack, names=names, silences=load_silences(wh))
    return ch


def evaluate_alerts(wh, period: Period, pack_path=None) -> pd.DataFrame:
    """Run the rule pack (default: 苗头性问题) up to ``period``, store transitions and current states, and
    return the reported alerts of ``period`` (firing, not silenced, not muted) with their messages."""
    pack = load_pack(pack_path)
    facts = collect_facts(wh)
    if facts.empty:  # nothing to evaluate is not "no alerts": say what is missing
        raise NoFactsError(f"数据仓库中没有预警所需的指标数据，无法评估{period.label_zh()}："
                           "请先导入数据（yacang ingest 文件，或 yacang run --source 文件），或用 yacang demo 生成示例数据")
    evaluate_pack(wh, pack, facts, period)
    rows = load_history(wh, period=period.code, state="firing")
    rows = rows[rows["rule_id"].isin([r.id for r in pack.rules])]
    return reported(rows)


def stale(rows: pd.DataFrame, pack: RulePack) -> pd.DataFrame:
    """Firing rows whose condition last held longer ago than the rule's window (``keep_firing_for``
    periods): there should be none (the engine resolves them); used by checks and tests."""
    if rows.empty:
        return rows
    window = rows["rule_id"].map({r.id: r.keep_firing_for for r in pack.rules}).fillna(0).to_numpy()
    end = np.array([_month_index(p) for p in rows["period"]])
    last = np.array([_month_index(p) if isinstance(p, str) else -10**6 for p in rows["last_active"]])
    # periods are counted on the 1-2月-merged calendar: 1-2月 and 3月 are one period apart
    return rows[(end - last) > window]


def _month_index(code: str) -> int:
    p = parse_period(code)
    return p.year * 11 + max(p.end - 2, 0)

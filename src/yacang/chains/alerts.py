"""Chain facts for the alert engine (pack ``yacang/alerts/packs/chains.yaml``), in
:mod:`yacang.alerts.fact_table`' long format; evaluated and stored in the alert history like the dispatch
rules, so the 预警 page and the bulletin read them.

* ``chain_node_stopped`` (scope enterprise): for each stored scenario, the days a 链主/关键节点 was
  stopped directly (period = the scenario's start month; the worst scenario of a month counts);
* ``chain_single_source`` (scope enterprise): the largest single-source share of a customer's inputs
  (share ≥ 50%, substitutability ≤ 30%), in %, for the evaluated month;
* ``chain_leader_input_loss`` (scope enterprise): a 链主 not stopped itself, 100 × (1 − lowest level) in
  a scenario (period = the scenario's start month).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from yacang.alerts.fact_table import FACT_COLUMNS, empty_facts
from yacang.chains.chokepoints import single_source
from yacang.warehouse import chains as store


def pack_path() -> Path:
    import yacang.alerts

    return Path(yacang.alerts.__file__).with_name("packs") / "chains.yaml"


def _parent(region: str) -> str:
    return f"{region[:4]}00" if isinstance(region, str) and len(region) == 6 else ""


def chain_facts(wh, period: str) -> pd.DataFrame:
    """Facts of the stored links and scenarios (see the module docstring)."""
    mem = store.members(wh)
    roles = mem.groupby("uscc")["role"].agg(set)
    key_nodes = {u for u, r in roles.items() if r & {"链主", "关键节点"}}
    leaders = {u for u, r in roles.items() if "链主" in r}
    regions = store.enterprise_table(wh).set_index("uscc")["region"]
    rows = []
    ss = single_source(store.links(wh))
    for cus, share in ss.groupby("customer")["share"].max().items():
        rows.append(("enterprise", cus, _parent(regions.get(cus, "")), period, "chain_single_source", share * 100))
    for s in store.scenarios(wh).itertuples():
        month = pd.Timestamp(s.start_date).strftime("%Y-%m")
        p = json.loads(s.params)
        ents = store.scenario_enterprises(wh, s.scenario_id)
        for e in ents[ents["uscc"].isin(key_nodes) & ents["direct"] & (ents["min_level"] <= 0)].itertuples():
            rows.append(("enterprise", e.uscc, _parent(e.region), month, "chain_node_stopped", float(p["days"])))
        for e in ents[ents["uscc"].isin(leaders) & ~ents["direct"]].itertuples():
            rows.append(("enterprise", e.uscc, _parent(e.region), month, "chain_leader_input_loss",
                         (1 - e.min_level) * 100))
    if not rows:
        return empty_facts()
    df = pd.DataFrame(rows, columns=FACT_COLUMNS)
    df = df.groupby(["scope", "key", "parent", "period", "metric"], as_index=False)["value"].max()
    return df[FACT_COLUMNS]


def evaluate_chain_alerts(wh, period: str, *, save: bool = True) -> pd.DataFrame:
    """Run the chains pack on :func:`chain_facts`; history rows with Chinese messages, stored if ``save``."""
    from yacang.alerts.engine import HISTORY_COLUMNS, Grid, evaluate, render_messages
    from yacang.alerts.rules import load_pack
    from yacang.alerts.store import save_history

    pack = load_pack(pack_path())
    facts = chain_facts(wh, period)
    if facts.empty:
        return pd.DataFrame(columns=[*HISTORY_COLUMNS, "message"])
    grid = Grid.from_facts(facts)
    hist = evaluate(pack, grid)
    reg = store.enterprise_table(wh)
    names = dict(zip(reg["uscc"], reg["name"], strict=True))
    hist["message"] = render_messages(hist, pack, grid, names) if not hist.empty else []
    if save and not hist.empty:
        save_history(wh, hist, rule_ids=[r.id for r in pack.rules], names=names)
    return hist

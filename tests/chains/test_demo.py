"""Demo placement: the 上海 2022-04 stop reaches downstream demo enterprises outside 上海, with output at risk."""

from __future__ import annotations

import numpy as np
import pytest

from yacang.warehouse import chains as store


@pytest.fixture(scope="module")
def demo_wh():
    from yacang.chains.demo import place_demo
    from yacang.demo import DemoSpec, generate
    from yacang.demo.writer import write_demo
    from yacang.warehouse import Warehouse

    wh = Warehouse.memory()
    data = generate(DemoSpec(enterprises=4000, months=24))
    write_demo(wh, data)
    line = place_demo(wh, data, np.random.default_rng(5))
    yield wh, data, line
    wh.close()


@pytest.mark.slow
def test_shanghai_stop_reaches_yrd_downstream(demo_wh):
    wh, data, line = demo_wh
    sc = store.scenarios(wh)
    assert len(sc) == 1 and sc.iloc[0]["data_source"] == "示例数据" and sc.iloc[0]["name"].startswith("示例")
    sid = sc.iloc[0]["scenario_id"]
    ents = store.scenario_enterprises(wh, sid)
    sh = data.enterprises.loc[data.enterprises["region"].str.startswith("31"), "uscc"]
    assert set(ents.loc[ents["direct"], "uscc"]) == set(sh)  # exactly the 上海 demo enterprises stop
    out = ents[~ents["region"].str.startswith("31")]
    assert len(out) > 0 and not out["direct"].any()
    known = out["output_lost"].notna()  # enterprises without a report before April: loss unknown (NULL)
    assert known.mean() > 0.8 and (out.loc[known, "output_lost"] > 0).all()
    yrd = out[out["region"].str[:2].isin(["32", "33", "34"])]
    assert len(yrd) > 0
    # each downstream enterprise outside 上海 has a supply path from 上海 (an independent check by BFS)
    import networkx as nx

    lk = store.links(wh)
    g = nx.DiGraph(list(zip(lk["supplier"], lk["customer"], strict=True)))
    reach = set().union(*(nx.descendants(g, u) for u in sh if u in g))
    assert set(out["uscc"]) <= reach
    # output at risk: the stored per-enterprise losses add up to the scenario total, shown in the summary line
    assert ents["output_lost"].sum() == pytest.approx(sc.iloc[0]["output_lost"])  # NULLs count as no known loss
    assert f"产值损失（万元）{out['output_lost'].sum():,.1f}（另 {int((~known).sum())} 家无月报，未计入）" in line


@pytest.mark.slow
def test_placement_is_valid(demo_wh):
    wh, _, _ = demo_wh
    lk = store.links(wh)
    assert lk["share"].between(0, 1).all() and (lk.groupby("customer")["share"].sum() <= 1 + 1e-9).all()
    assert lk["substitutability"].between(0, 0.5).all() and (lk["supplier"] != lk["customer"]).all()
    m = store.members(wh)
    assert set(m["basis"]) == {"示例"} and (m.groupby("chain")["role"].apply(lambda r: (r == "链主").sum()) == 1).all()

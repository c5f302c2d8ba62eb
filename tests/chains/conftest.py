"""A small chain world by hand: seven enterprises in 长三角, links, March 2022 output; the shipped maps.

Daily output (万元) = 2022-03 工业总产值 / 31: E1 100, E2 20, E3 50, E4 100, E5 300, E6 30, E7 10.
Links (supplier → customer: share, substitutability, inventory days):
  E2→E1 .4/0/0 · E1→E3 .5/.2/3 · E3→E5 .3/0/5 · E4→E5 .4/0/10 · E1→E6 .6/0/0 · E6→E5 .2/.5/2 · E7→E4 .7/.1/15
"""

from __future__ import annotations

import pandas as pd
import pytest

from yacang.microdata.uscc import make_uscc

ENTS = {  # key: (region, class, name, 2022-03 output 万元)
    "E1": ("310115", "3973", "上海浦东芯片制造有限公司", 3100.0),
    "E2": ("310104", "3985", "上海徐汇硅材料有限公司", 620.0),
    "E3": ("320505", "3824", "苏州电控有限公司", 1550.0),
    "E4": ("330106", "3841", "杭州电池有限公司", 3100.0),
    "E5": ("330212", "3612", "宁波新能源汽车有限公司", 9300.0),
    "E6": ("340104", "3670", "合肥汽车零部件有限公司", 930.0),
    "E7": ("320102", "2613", "南京锂盐有限公司", 310.0),
}
U = {k: make_uscc(v[0], f"MA1CH{i:04d}") for i, (k, v) in enumerate(ENTS.items())}
LINKS = [("E2", "E1", .4, 0, 0), ("E1", "E3", .5, .2, 3), ("E3", "E5", .3, 0, 5), ("E4", "E5", .4, 0, 10),
         ("E1", "E6", .6, 0, 0), ("E6", "E5", .2, .5, 2), ("E7", "E4", .7, .1, 15)]
LINK_HEADERS = ["供应商统一社会信用代码", "客户统一社会信用代码", "供货占比", "可替代程度", "库存天数", "产品", "产业链代码"]


def link_rows(links=LINKS):
    return [[U[s], U[c], share, sub, inv, "", ""] for s, c, share, sub, inv in links]


@pytest.fixture()
def chain_wh(wh, tmp_path):
    """The in-memory warehouse with the registry, March reports, shipped maps, class members and links."""
    from yacang.chains.links import import_links
    from yacang.chains.maps import shipped_chains
    from yacang.chains.members import attach_by_industry
    from yacang.chains.sheets import write_form
    from yacang.microdata.store import MicrodataStore
    from yacang.warehouse import chains as store

    ms = MicrodataStore(wh)
    ms.add_enterprises(pd.DataFrame([{"uscc": U[k], "name": v[2], "region": v[0], "industry": v[1]}
                                     for k, v in ENTS.items()]))
    rep = pd.DataFrame([{"uscc": U[k], "period": "2022-03", "output_value": v[3], "output_value_prev": v[3],
                         "vintage": pd.Timestamp("2022-04-15")} for k, v in ENTS.items()])
    wh.db.register("_r", rep)
    wh.db.execute("INSERT INTO reports (uscc, period, output_value, output_value_prev, vintage) "
                  "SELECT uscc, period, output_value, output_value_prev, vintage FROM _r")
    wh.db.unregister("_r")
    store.save_maps(wh, shipped_chains())
    attach_by_industry(wh)
    import_links(wh, write_form(tmp_path / "links.xlsx", LINK_HEADERS, link_rows()))
    return wh

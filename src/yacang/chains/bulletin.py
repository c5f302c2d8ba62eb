"""What the bulletin (通报) says about chains: read from stored scenarios and links, never recomputed.

:func:`bulletin_lines` gives short Chinese sentences for a region: the latest scenarios that touch it
(its enterprises affected, output at risk in 万元, which data) and its 单一来源依赖 count.
"""

from __future__ import annotations

import json

from yacang.chains.chokepoints import single_source
from yacang.chains.losses import Losses, losses
from yacang.formatting import amount
from yacang.warehouse import chains as store


def _money(wan: float) -> str:
    """万元 below 1亿, else 亿元 (one decimal, running text: no thousands separator)."""
    return amount(wan, "万元") if abs(wan) < 1e4 else amount(wan, "亿元", from_unit="万元")


def _lost_words(down: Losses) -> str:
    """“，波及企业产值损失约1.2亿元（另 3 家无月报，未计入）”; the loss is not given when none is known."""
    if not down.affected:
        return ""
    if down.output_lost is None:
        return "，波及企业冲击前均无月报，产值损失无法估算"
    return f"，波及企业产值损失约{_money(down.output_lost)}{down.unknown_note}"


def bulletin_lines(wh, region: str, *, limit: int = 3) -> list[str]:
    """Sentences for ``region`` (a GB/T 2260 code; 100000 = nation)."""
    from yacang.catalog.regions import region_prefix

    pre = region_prefix(region)
    out = []
    for s in store.scenarios(wh).itertuples():
        ents = store.scenario_enterprises(wh, s.scenario_id, region_prefix=pre or None)
        stop = json.loads(s.params).get("region", "")
        if ents.empty and not (stop and stop.startswith(pre)):
            continue
        down = losses(ents[~ents["direct"]])
        out.append(f"产业链冲击推演“{s.name}”：本地区直接停减产企业 {int(ents['direct'].sum())} 家，"
                   f"受上游波及企业 {down.affected} 家{_lost_words(down)}（{s.data_source}）")
        if len(out) >= limit:
            break
    lk = store.links(wh, region_prefix=None)
    lk = lk[lk["customer_region"].fillna("").str.startswith(pre)]
    n = single_source(lk)["customer"].nunique()
    if n:
        out.append(f"单一来源依赖（一半以上投入来自一家难以替代的供应商）的企业 {n} 家，存在卡点风险")
    return out

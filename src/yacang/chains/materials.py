"""红黄蓝 material warnings on chain inputs: which chains, segments and 链主 a warning touches."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from yacang.chains.maps import stored_map

LEVEL_RANK = {"": 0, "蓝": 1, "黄": 2, "红": 3}
FLAG_COLUMNS = ["chain", "chain_name", "material", "material_name", "level", "segments", "share"]


def material_names() -> dict[str, str]:
    """Material code -> its Chinese name in the 红黄蓝 configuration (lithium_carbonate -> 碳酸锂)."""
    from yacang.alerts.materials import load_materials_config

    return {k: m.name for k, m in load_materials_config().materials.items()}


def segment_materials_zh(materials: dict[str, float], sep: str = "（", end: str = "）") -> str:
    """A segment's materials as officials read them: 碳酸锂（60%）、铜（70%） (code where no name is set)."""
    names = material_names()
    return "、".join(f"{names.get(k, k)}{sep}{v:.0%}{end}" for k, v in materials.items())


def chain_flags(chains, levels: dict[str, str], *, min_level: str = "黄") -> pd.DataFrame:
    """Chains whose segments use a material at ``min_level`` or worse: one row per (chain, material).

    ``chains``: ChainMaps; ``levels``: material code -> level name (蓝/黄/红 or '').
    """
    names = material_names()
    rows = []
    for c in chains:
        for mat, segs in c.materials.items():
            lv = levels.get(mat, "")
            if LEVEL_RANK[lv] >= LEVEL_RANK[min_level]:
                share = max(c.segment(s).materials[mat] for s in segs)
                rows.append({"chain": c.code, "chain_name": c.name, "material": mat, "material_name": names.get(mat, mat),
                             "level": lv, "segments": "、".join(c.segment(s).name for s in segs), "share": share})
    return pd.DataFrame(rows, columns=FLAG_COLUMNS)


def levels_on(assessments, on: dt.date | str | None) -> dict[str, str]:
    """Material code -> level name on a date, from :func:`yacang.alerts.materials.assess` results."""
    from yacang.alerts.materials import material_status

    # a material whose data stopped long before ``on`` has no level (not the one it had then)
    return {m.code: m.level_name for m in material_status(assessments, on)}


def warehouse_flags(wh, on: dt.date | str | None = None) -> pd.DataFrame:
    """Flags of the stored chains from the warehouse's material series on ``on`` (default: latest)."""
    return warehouse_warnings(wh, on)[0]


def warehouse_warnings(wh, on: dt.date | str | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """:func:`warehouse_flags` and, per material with series in the warehouse, the dates its warning was read
    from (``价格 2025-07-17；开工率 2026-01-16``): what a flag — or its absence — was built from."""
    from yacang.alerts.materials import assess_warehouse, material_status
    from yacang.warehouse import chains as store

    found = assess_warehouse(wh)
    chains = [stored_map(wh, c) for c in store.maps(wh)["chain"]]
    dates = {m.code: m.dates_text() for m in material_status(found, on)}
    return chain_flags(chains, levels_on(found, on)), dates


def material_basis(chain, dates: dict[str, str]) -> str:
    """The chain's materials and the data their warning was read from: 碳酸锂（价格 2026-01-16）、铜（仓库中无价格序列）."""
    names = material_names()
    return "、".join(f"{names.get(m, m)}（{dates.get(m) or '仓库中无价格序列'}）" for m in chain.materials)

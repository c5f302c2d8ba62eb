"""The demo's region tree: 31 mainland provinces with prefectures, counties and parks.

When the user has imported a GB/T 2260 list (``yacang catalog import-regions``), the demo places its
enterprises in the real prefectures and counties of that list. Otherwise it synthesises honest
placeholders under each real province code: prefectures ``440100, 440200 …`` named "广东省示例市01",
counties ``440102 …`` named "示例市01示例县02" (municipalities get one 市辖区 with 示例区).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from yacang.catalog.regions import MUNICIPALITIES, RegionCatalog, ancestor_at, mainland_provinces
from yacang.demo.calibration import PREFECTURE_COUNTS

PARK_KINDS = ("经济技术开发区", "高新技术产业开发区", "工业园区", "产业园")


@dataclass(frozen=True)
class DemoRegions:
    """Counties (where enterprises are registered), their prefectures and the parks.

    ``counties``: code, name, prefecture, province, weight (relative share of enterprises).
    ``prefectures``: code, name, province. ``parks``: park, prefecture.
    ``synthetic``: whether prefectures/counties were synthesised (no imported list).
    """

    counties: pd.DataFrame
    prefectures: pd.DataFrame
    parks: pd.DataFrame
    synthetic: bool

    def catalog_rows(self) -> pd.DataFrame:
        """Prefecture and county rows in the layout of ``YACANG_HOME/catalog/regions.parquet``."""
        pref = self.prefectures.assign(level="prefecture", parent=self.prefectures["province"])
        cty = self.counties.assign(level="county", parent=self.counties["prefecture"])
        cols = ["code", "name", "level", "parent"]
        return pd.concat([pref[cols], cty[cols]], ignore_index=True)


def build_regions(rng: np.random.Generator, catalog: RegionCatalog | None = None) -> DemoRegions:
    """Use the imported prefectures and counties if the catalog has them, else synthesise them."""
    provinces = [p.code for p in mainland_provinces()]
    if catalog is not None and _has_imported(catalog, provinces):
        return _from_catalog(rng, catalog, provinces)
    return _synthetic(rng, provinces)


def _has_imported(catalog: RegionCatalog, provinces: list[str]) -> bool:
    with_kids = sum(1 for p in provinces if catalog.children(p))
    return with_kids >= len(provinces) - 2


def _weights(rng: np.random.Generator, n: int) -> np.ndarray:
    """Uneven shares (the capital and a few big cities hold most enterprises)."""
    w = 1.0 / np.arange(1, n + 1) ** 0.7 * rng.lognormal(0.0, 0.3, n)
    return w / w.sum()


def _synthetic(rng: np.random.Generator, provinces: list[str]) -> DemoRegions:
    cat = RegionCatalog()
    prefs, counties = [], []
    for prov in provinces:
        pname = cat.name(prov)
        n_pref = PREFECTURE_COUNTS[prov]
        pref_w = _weights(rng, n_pref)
        for i in range(1, n_pref + 1):
            pcode = f"{prov[:2]}{i:02d}00"
            muni = prov in MUNICIPALITIES
            pref_name = f"{pname}市辖区" if muni else f"{pname}示例市{i:02d}"
            prefs.append((pcode, pref_name, prov))
            n_cty = int(rng.integers(10, 16)) if muni else int(rng.integers(3, 9))
            cw = _weights(rng, n_cty)
            for j in range(n_cty):
                ccode = f"{pcode[:4]}{j + 2:02d}"
                cname = f"{pname}示例区{j + 2:02d}" if muni else f"示例市{i:02d}示例县{j + 2:02d}"
                counties.append((ccode, cname, pcode, prov, pref_w[i - 1] * cw[j]))
    return _finish(rng, prefs, counties, synthetic=True)


def _from_catalog(rng: np.random.Generator, catalog: RegionCatalog, provinces: list[str]) -> DemoRegions:
    prefs, counties = [], []
    for prov in provinces:
        kids = [r for r in catalog.children(prov) if r.level == "prefecture"]
        direct = [r for r in catalog.children(prov) if r.level == "county"]
        if not kids and not direct:
            continue
        pref_w = _weights(rng, max(len(kids), 1))
        for i, pref in enumerate(kids):
            prefs.append((pref.code, pref.name, prov))
            ctys = [c for c in catalog.children(pref.code) if c.level == "county" and not c.name.endswith("市辖区")]
            if not ctys:
                counties.append((pref.code, pref.name, pref.code, prov, pref_w[i]))
                continue
            cw = _weights(rng, len(ctys))
            counties.extend((c.code, c.name, pref.code, prov, pref_w[i] * cw[j]) for j, c in enumerate(ctys))
        for c in direct:  # 省直辖县级行政单位: its prefecture code is the pattern xxxx00 of its own code
            pcode = ancestor_at(c.code, "prefecture")
            if pcode not in {p[0] for p in prefs}:
                kind = "市辖区" if prov in MUNICIPALITIES else "省直辖县级行政单位"
                prefs.append((pcode, f"{catalog.name(prov)}{kind}", prov))
            counties.append((c.code, c.name, pcode, prov, 0.02))
    have = {p[2] for p in prefs}
    missing = [p for p in provinces if p not in have]
    regions = _finish(rng, prefs, counties, synthetic=False)
    if missing:  # a partial import: synthesise the provinces it lacks
        extra = _synthetic(rng, missing)
        regions = DemoRegions(
            pd.concat([regions.counties, extra.counties], ignore_index=True),
            pd.concat([regions.prefectures, extra.prefectures], ignore_index=True),
            pd.concat([regions.parks, extra.parks], ignore_index=True),
            synthetic=False,
        )
    return regions


def _finish(rng: np.random.Generator, prefs: list, counties: list, *, synthetic: bool) -> DemoRegions:
    pref_df = pd.DataFrame(prefs, columns=["code", "name", "province"])
    cty_df = pd.DataFrame(counties, columns=["code", "name", "prefecture", "province", "weight"])
    parks = []
    for code, name in zip(pref_df["code"], pref_df["name"], strict=True):
        short = name.removesuffix("市辖区") or name
        for kind in rng.choice(PARK_KINDS, size=int(rng.integers(1, 4)), replace=False):
            parks.append((f"{short}示例{kind}", code))
    return DemoRegions(cty_df, pref_df, pd.DataFrame(parks, columns=["park", "prefecture"]), synthetic)

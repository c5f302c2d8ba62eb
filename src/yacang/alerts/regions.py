"""The one rule for which region an alert belongs to (who may read it, which bulletin lists it).

- ``region`` scope: the unit itself (its key is the region code);
- ``industry`` scope: the region part of its key (``440000/36`` → 440000);
- ``enterprise`` scope: the enterprise's **registered region** from the microdata registry; for an
  enterprise the registry does not hold (e.g. a whitelist enterprise of the app database), the region
  its fact came with (``parent``, taken from the server's records). Never the nation: an enterprise
  whose region cannot be established is an error, so its alert cannot be shown to every province;
- ``project`` scope: the project's region (``parent``), required;
- ``material`` scope: the nation (national markets).

The region is decided when the alert is evaluated and stored with it (``alert_current.region``); readers
use the stored column and never re-derive it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from yacang.catalog.regions import NATION


class AlertRegionError(LookupError):
    """An alert whose region cannot be established (fail closed: it is not stored or shown)."""


def _is_code(s: pd.Series) -> np.ndarray:
    return s.fillna("").astype(str).str.fullmatch(r"\d{6}").to_numpy(dtype=bool)


def alert_regions(scope: pd.Series, key: pd.Series, parent: pd.Series,
                  registered: dict[str, str]) -> pd.Series:
    """Region code of each alert row (see the module docstring); ``registered`` maps uscc → region."""
    scope, key = scope.astype(str).reset_index(drop=True), key.astype(str).reset_index(drop=True)
    parent = parent.fillna("").astype(str).reset_index(drop=True)
    out = pd.Series([""] * len(key), dtype=object)
    is_region, is_industry = (scope == "region").to_numpy(), (scope == "industry").to_numpy()
    out[is_region] = key[is_region]
    out[is_industry] = key[is_industry].str.split("/").str[0]
    is_ent = (scope == "enterprise").to_numpy()
    reg = key[is_ent].map(registered)
    out[is_ent] = reg.where(reg.notna(), parent[is_ent])
    is_proj = (scope == "project").to_numpy()
    out[is_proj] = parent[is_proj]
    out[(scope == "material").to_numpy()] = NATION
    bad = ~_is_code(out) | (is_ent & (out == NATION).to_numpy())
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise AlertRegionError(
            f"无法确定预警所属地区：{scope[i]} {key[i]}（上级 {parent[i] or '无'}）；企业须在企业名录中登记所在地区，"
            f"共 {int(bad.sum())} 条。请先导入企业名录或更正数据后重新运行 yacang alerts run")
    return out

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


def text_codes(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes and distinct texts of a column (categorical codes as they are; missing → "")."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = np.append(s.cat.categories.astype(str).to_numpy(dtype=object), "")
        codes = s.cat.codes.to_numpy(dtype=np.int64)
        return np.where(codes < 0, len(cats) - 1, codes), cats
    codes, uniq = pd.factorize(s.fillna("").astype(str).to_numpy(dtype=object))
    return codes.astype(np.int64), np.asarray(uniq, dtype=object)


def alert_regions(scope: pd.Series, key: pd.Series, parent: pd.Series,
                  registered: dict[str, str]) -> pd.Series:
    """Region code of each alert row (see the module docstring); ``registered`` maps uscc → region.

    Decided once per distinct (scope, key, parent), found by integer codes, and mapped back, so it costs
    little on millions of rows."""
    (sc, sv), (kc, kv), (pc, pv) = text_codes(scope), text_codes(key), text_codes(parent)
    codes, combo = pd.factorize((sc * len(kv) + kc) * len(pv) + pc)
    first = np.empty(len(combo), dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes))[::-1]  # the last write wins: each combination's first row
    us, uk, up = sv[sc[first]], kv[kc[first]], pv[pc[first]]
    out = np.array([_one(s, k, p, registered) for s, k, p in zip(us.tolist(), uk.tolist(), up.tolist(), strict=True)],
                   dtype=object)
    bad = np.array([not (isinstance(r, str) and len(r) == 6 and r.isdigit()) for r in out.tolist()], dtype=bool)
    bad |= (us == "enterprise") & (out == NATION)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise AlertRegionError(
            f"无法确定预警所属地区：{us[i]} {uk[i]}（上级 {up[i] or '无'}）；企业须在企业名录中"
            f"登记所在地区，共 {int(bad.sum())} 个对象。请先导入企业名录或更正数据后重新运行 yacang alerts run")
    rcodes, runiq = pd.factorize(out)
    return pd.Series(pd.Categorical.from_codes(rcodes[codes], categories=runiq), index=scope.index)


def region_of(scope: str, key: str, parent: str, registered: dict[str, str] | None = None) -> str:
    """Region code of one unit (an enterprise not in ``registered`` falls to its parent)."""
    return _one(scope, key, parent, registered or {})


def _one(scope: str, key: str, parent: str, registered: dict[str, str]) -> str:
    if scope == "region":
        return key
    if scope == "industry":
        return key.split("/")[0]
    if scope == "enterprise":
        return registered.get(key, parent)
    if scope == "project":
        return parent
    if scope == "material":
        return NATION
    return ""

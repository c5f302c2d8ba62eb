"""产能预警 (capacity warning): utilisation bands per industry or product from operating-rate series.

Monthly means of an operating-rate or capacity-utilisation series are put in bands (default: below
70% 红 严重过剩, 70–75% 黄 过剩风险, 75–85% 绿 合理, above 85% 蓝 偏紧); a band changes only after
``min_months`` consecutive months in the new band, so one odd month does not flip the warning.
Products and bands are configured in ``capacity.yaml`` beside this file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

BANDS = ("红", "黄", "绿", "蓝")
BAND_MEANING = {"红": "产能严重过剩", "黄": "存在过剩风险", "绿": "合理区间", "蓝": "产能偏紧"}


class CapacityConfigError(ValueError):
    """Bad capacity configuration (names the product and field)."""


@dataclass
class Product:
    code: str
    name: str
    series: list[str] = field(default_factory=list)
    bands: tuple[float, float, float] = (70.0, 75.0, 85.0)
    min_months: int = 2


def load_capacity_config(path: Path | str | None = None) -> dict[str, Product]:
    p = Path(path) if path is not None else Path(__file__).with_name("capacity.yaml")
    data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    d = data.get("defaults") or {}
    out = {}
    for code, m in (data.get("products") or {}).items():
        bands = tuple(float(x) for x in m.get("bands", d.get("bands", (70, 75, 85))))
        if len(bands) != 3 or not bands[0] < bands[1] < bands[2]:
            raise CapacityConfigError(f"{p} 品种 {code!r} 字段 'bands'：应为三个递增的百分数，现为 {list(bands)}")
        out[code] = Product(code, m.get("name", code), list(m.get("series") or []), bands,  # type: ignore[arg-type]
                            int(m.get("min_months", d.get("min_months", 2))))
    return out


def band_of(values: np.ndarray, bands: tuple[float, float, float]) -> np.ndarray:
    """Band index 0 红 … 3 蓝 of each utilisation value (−1 where missing)."""
    v = np.asarray(values, dtype=float)
    idx = (v[:, None] >= np.asarray(bands)).sum(axis=1)
    return np.where(np.isnan(v), -1, idx)


def capacity_bands(rate: pd.Series, bands: tuple[float, float, float] = (70.0, 75.0, 85.0),
                   min_months: int = 2) -> pd.DataFrame:
    """Monthly utilisation, its raw band and the debounced band (Chinese names) of a date-indexed series."""
    s = pd.Series(rate, dtype=float).dropna()
    s.index = pd.DatetimeIndex(s.index)
    monthly = s.resample("MS").mean().dropna()
    raw = band_of(monthly.to_numpy(), bands)
    stable = np.empty_like(raw)
    cur, cand, count = -1, -1, 0
    for i, b in enumerate(raw):
        if cur < 0:
            cur = b
        elif b != cur:
            count = count + 1 if b == cand else 1
            cand = b
            if count >= min_months:
                cur, count = b, 0
        else:
            count = 0
        stable[i] = cur
    return pd.DataFrame({"utilisation": monthly.to_numpy(), "raw_band": [BANDS[b] for b in raw],
                         "band": [BANDS[b] for b in stable]},
                        index=monthly.index.to_period("M"))


def assess_capacity_warehouse(wh, products: dict[str, Product] | None = None) -> dict[str, pd.DataFrame]:
    """Bands of every configured product whose series is in the warehouse."""
    from yacang.alerts.materials import resolve_series

    products = products or load_capacity_config()
    meta = wh.series()
    out = {}
    for code, prod in products.items():
        found = resolve_series(wh, prod.series, meta)
        if found is None:
            continue
        df = capacity_bands(found[1], prod.bands, prod.min_months)
        df.attrs.update(name=prod.name, series=found[0], min_months=prod.min_months,
                        last_day=pd.Timestamp(found[1].dropna().index.max()))
        out[code] = df
    return out

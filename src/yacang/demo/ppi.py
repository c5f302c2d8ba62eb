"""Demo division PPI paths, built from the published national PPI and stylised sensitivities.

The demo needs a PPI (上年同月=100) for each of the 41 divisions to deflate current-price output. It does
not carry published division PPIs; it derives them (pure, seeded, the same for every demo run)::

    当月同比[d, t] = offset[d] + β[d] × national[t] + u[d, t]

* ``national``: :data:`yacang.demo.calibration.NATIONAL_PPI_YOY` (published, typed in);
* β, offset: :data:`yacang.demo.calibration.DIVISION_PPI_SENSITIVITY`, rescaled so that their
  value-added-weighted means (weights :data:`~yacang.demo.calibration.DIVISION_VA_WEIGHTS`) are 1 and 0;
* ``u``: an AR(1) wobble (persistence 0.85, standard deviation 0.3 + 0.4 β points), centred each month
  so that its VA-weighted mean is 0.

So the VA-weighted mean of the division 当月同比 equals the national path up to rounding to 0.1 (at most
0.05 points). The merged 1-2月 deflator averages the January and February 当月同比, as before.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from yacang.demo import calibration as cal

NOISE_SEED = 4754  # fixed: the deflators do not change with the demo's --seed
PERSISTENCE = 0.85


def months() -> list[str]:
    """``YYYY-MM`` of the national path, in order."""
    return sorted(cal.NATIONAL_PPI_YOY)


def va_weights(divisions: list[str]) -> np.ndarray:
    """VA weights of ``divisions``, normalised to sum to 1."""
    w = np.array([cal.DIVISION_VA_WEIGHTS[d] for d in divisions])
    return w / w.sum()


def effective_sensitivity(divisions: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(β, offset) after rescaling: VA-weighted mean of β is 1, of offset 0."""
    w = va_weights(divisions)
    beta = np.array([cal.DIVISION_PPI_SENSITIVITY[d][0] for d in divisions])
    offset = np.array([cal.DIVISION_PPI_SENSITIVITY[d][1] for d in divisions])
    return beta / (w @ beta), offset - w @ offset


@cache
def division_ppi_yoy() -> pd.DataFrame:
    """Demo PPI 当月同比 (%) by division (rows ``06``…``46``, then ``TOTAL`` = national) and month (``YYYY-MM``)."""
    divisions = sorted(cal.DIVISION_PPI_SENSITIVITY)
    cols = months()
    nat = np.array([cal.NATIONAL_PPI_YOY[m] for m in cols])
    w = va_weights(divisions)
    beta, offset = effective_sensitivity(divisions)
    rng = np.random.default_rng(NOISE_SEED)
    sd = 0.3 + 0.4 * beta
    shocks = rng.normal(0.0, 1.0, (len(divisions), len(cols))) * (sd * np.sqrt(1 - PERSISTENCE**2))[:, None]
    u = np.empty_like(shocks)
    u[:, 0] = rng.normal(0.0, 1.0, len(divisions)) * sd
    for t in range(1, len(cols)):
        u[:, t] = PERSISTENCE * u[:, t - 1] + shocks[:, t]
    u -= w @ u  # the divisions average back to the national path
    yoy = np.round(offset[:, None] + beta[:, None] * nat[None, :] + u, 1)
    out = pd.DataFrame(yoy, index=pd.Index(divisions, name="division"), columns=cols)
    out.loc["TOTAL"] = nat
    return out


def period_ppi_index(division: str, year: int, k: int) -> float:
    """PPI (上年同月=100) of a division for a report period; the merged 1-2月 averages January and February."""
    table = _lookup()
    if k == 0:
        yoy = (table[(division, f"{year}-01")] + table[(division, f"{year}-02")]) / 2.0
    else:
        yoy = table[(division, f"{year}-{k + 2:02d}")]
    return 100.0 + float(yoy)


@cache
def _lookup() -> dict[tuple[str, str], float]:
    df = division_ppi_yoy()
    months_ = [str(m) for m in df.columns]
    return {(str(d), m): float(v) for d, row in zip(df.index, df.to_numpy(dtype=float), strict=True)
            for m, v in zip(months_, row, strict=True)}

"""Real-data check: the 41 divisions' 当月同比 weighted by value-added shares approximate the total.

Data: ../shared/data/national_industry_monthly_wind (NBS figures via Wind). Division series are the
当月同比 of each 大类 (IVA033–IVA073); the published total is IVA001. Weights per year: the latest
weight column *before* the year (a year's shares are only known afterwards): 2019–2020 → 2018,
2021–2022 → 2020, 2023 → 2022, 2024 → 2023, 2025 → 2024. Divisions without a weight (12, 其他采矿业)
or without a figure that month are left out and the weights renormalised. January/February are left out
(no NBS 当月 figure for January; 1-2月 is merged), as are months with fewer than 35 divisions reported.

Why it is only approximate: NBS aggregates enterprises' real value added (同口径, last year's base at
comparable prices), i.e. it weights each division by its share in *last year's* value added of *this
year's* enterprise set, month by month. The file's weights are annual shares of some other year
(input–output tables for 2018/2020, rounded yearbook shares for 2022+), and month-to-month seasonality
of the shares is ignored; division rates are also rounded to one decimal. With division growth rates
spread roughly ±10 points around the total, weight errors of 5–10% relative give gaps of a few tenths
of a point: we require a mean absolute gap below 0.5 点 and no month beyond 1.0 点.
"""

from __future__ import annotations

import pandas as pd
import pytest

from yacang.measures.growth import weighted_growth

WEIGHT_YEARS = (2012, 2018, 2020, 2022, 2023, 2024, 2025)


def weight_year(year: int) -> int:
    return max(w for w in WEIGHT_YEARS if w < year)


@pytest.fixture(scope="module")
def real(shared_data):
    d = shared_data / "national_industry_monthly_wind"
    iva = pd.read_csv(d / "iva_monthly.csv", dtype={"series_id": str, "date": str})
    cat = pd.read_csv(d / "series_catalog.csv", dtype=str)
    weights = pd.read_csv(d / "industry_division_weights.csv", dtype={"gb4754_2017_code": str})
    div = cat[(cat["topic"] == "iva") & (cat["measure"] == "当月同比") & cat["jan_feb_treatment"].isna()
              & cat["gb4754_2017_code"].str.fullmatch(r"\d\d", na=False)]
    m = iva[iva["series_id"].isin(div["series_id"])].merge(div[["series_id", "gb4754_2017_code"]], on="series_id")
    growth = m.pivot_table(index="date", columns="gb4754_2017_code", values="value")
    total = iva[iva["series_id"] == "IVA001"].set_index("date")["value"]
    return growth, total, weights.set_index("gb4754_2017_code")


def gaps(real) -> pd.DataFrame:
    growth, total, w = real
    rows = []
    for date, g in growth.iterrows():
        y, m = int(date[:4]), int(date[5:7])
        if not (2019 <= y <= 2025) or m < 3 or g.notna().sum() < 35 or date not in total.index:
            continue
        est = weighted_growth(g, w[f"权重_{weight_year(y)}"])
        rows.append((date, weight_year(y), est, total[date]))
    out = pd.DataFrame(rows, columns=["date", "weight_year", "weighted", "published"])
    out["gap"] = out["weighted"] - out["published"]
    return out


def test_there_are_41_division_series(real):
    growth, _, _ = real
    assert len(growth.columns) == 41
    assert growth.columns.min() == "06" and growth.columns.max() == "46"


def test_2022_03_with_2020_weights_is_about_5_2_against_5_0_published(real):
    growth, total, w = real
    est = weighted_growth(growth.loc["2022-03"], w["权重_2020"])
    assert total["2022-03"] == pytest.approx(5.0)
    assert est == pytest.approx(5.2, abs=0.05)


def test_mean_absolute_gap_2019_2025_is_small(real):
    g = gaps(real)
    assert len(g) >= 60  # ten months a year for seven years, a few missing
    mae = g["gap"].abs().mean()
    print(f"\n加权大类当月同比 vs 公布总体 (2019–2025, 3–12月, {len(g)} 个月): 平均绝对差 {mae:.2f} 个百分点, "
          f"最大 {g['gap'].abs().max():.2f}; 权重年份→月数 { {int(k): int(v) for k, v in g.groupby('weight_year').size().items()} }")
    assert mae < 0.5
    assert g["gap"].abs().max() < 1.0
    # and it is a real approximation: not identical to the published figure
    assert mae > 0.05

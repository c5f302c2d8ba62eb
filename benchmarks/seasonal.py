"""Concurrent 季调环比 from NBS 当月同比 against the 季调环比 NBS published (first releases).

For every month of the reference table ``tests/fixtures/analysis/nbs_sa_mom_published.csv`` (compiled
from NBS releases, source of each value in the file), the level index is chain-linked from the NBS
data-portal export (``../shared/data/nbs_official_export_iva_ppi``) **using only data up to that month**,
adjusted, and its 季调环比 for that month compared with the published one. A 1-2月 release is compared
through the joint 1-2月 figure (average monthly change December→February): NBS states February's
figure, which the merged data cannot separate from January's.

Estimates in the same run (same months, same data):

* ``x13-sa``  — the default: X-13 (automatic ARIMA, outliers, merged Spring Festival regressor),
  January/February split by a fixed share (no information in the split); change of the seasonally
  adjusted series, NBS's definition;
* ``x13-trend`` — the same fit, change of the X-13 trend-cycle;
* ``x13-trend+outliers`` — the trend-cycle with regARIMA outliers of at least 3 % put back;
* ``naive`` — the month's 同比 divided by 12 (what a reader would guess without adjustment);
* with ``--all`` also ``x13-festival`` (festival-aware January/February split) and ``stl-fixed`` (the
  flagged last-resort STL route); both are slow (≈10–15 min) and worse.

Goal: MAE ≤ 0.3 point on ordinary months; in shock months (2020-02…05, 2022-04/05) right sign and
within 1.5 points. Run ``python benchmarks/seasonal.py [--quick]``; ``--quick`` uses 2022–2025 only.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
REFERENCE = REPO / "tests" / "fixtures" / "analysis" / "nbs_sa_mom_published.csv"

EXTRA = {
    "x13-festival": {"method": "x13", "split_rule": "festival"},
    "stl-fixed": {"method": "stl", "split_rule": "fixed"},
}


def load() -> tuple[pd.Series, pd.Series, pd.DataFrame]:
    d = pd.read_csv(SHARED / "nbs_official_export_iva_ppi" / "iva_total_monthly.csv", dtype={"date": str})
    d = d.set_index("date")
    ref = pd.read_csv(REFERENCE, dtype={"period": str})
    return d["iva_yoy_pct"], d["iva_ytd_yoy_pct"], ref


def naive(yoy: pd.Series, ytd: pd.Series, month: str) -> float:
    v = yoy.get(month)
    if v is None or pd.isna(v):
        v = ytd.get(month)
    return float(v) / 12.0


def score(frame: pd.DataFrame, col: str) -> dict[str, object]:
    err = frame[col] - frame["published"]
    ordinary = frame["kind"] == "ordinary"
    shock = ~ordinary
    ok_shock = (np.sign(frame.loc[shock, col]) == np.sign(frame.loc[shock, "published"])) & (err[shock].abs() <= 1.5)
    return {
        "MAE 常规月": float(err[ordinary].abs().mean()),
        "最大误差 常规月": float(err[ordinary].abs().max()),
        "常规月数": int(ordinary.sum()),
        "冲击月 符号对且误差≤1.5": f"{int(ok_shock.sum())}/{int(shock.sum())}",
        "冲击月 MAE": float(err[shock].abs().mean()) if shock.any() else float("nan"),
    }


def main(argv: list[str] | None = None) -> int:
    from yacang.analysis.sa_yoy import concurrent_sa_mom

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="2022–2025 months only")
    ap.add_argument("--all", action="store_true", help="also the festival-split and STL variants (slow)")
    args = ap.parse_args(argv)
    yoy, ytd, ref = load()
    if args.quick:
        ref = ref[ref["period"] >= "2022-01"]
    months = ref["period"].tolist()
    frame = ref.rename(columns={"sa_mom_pct": "published"})[["period", "published", "kind"]].copy()
    timings = {}
    t0 = time.perf_counter()
    est = concurrent_sa_mom(yoy, ytd, months, method="x13", split_rule="fixed")
    timings["x13-sa"] = time.perf_counter() - t0
    frame["x13-sa"] = est["sa_mom"].to_numpy()
    frame["x13-trend"] = est["trend_mom"].to_numpy()
    frame["x13-trend+outliers"] = est["trend_outliers_mom"].to_numpy()
    frame["方法"] = est["method"].to_numpy()
    fallbacks = est[est["fallback"] != ""]
    if not fallbacks.empty:
        print(f"注意：{len(fallbacks)} 个月 X-13 失败改用 STL（已标注）：{fallbacks['month'].tolist()}")
    variants = ["x13-sa", "x13-trend", "x13-trend+outliers"]
    for name, kw in (EXTRA.items() if args.all else []):
        t0 = time.perf_counter()
        frame[name] = concurrent_sa_mom(yoy, ytd, months, **kw)["sa_mom"].to_numpy()
        timings[name] = time.perf_counter() - t0
        variants.append(name)
    frame["naive"] = [naive(yoy, ytd, m) for m in months]
    assert len(frame) == len(months) and frame[[*variants, "naive"]].notna().all().all()

    pd.set_option("display.width", 160)
    show = frame.copy()
    for c in (*variants, "naive"):
        show[c] = show[c].round(2)
    print("数据：国家统计局数据库导出（规上工业增加值当月同比、累计同比）；参照：国家统计局首发季调环比（见 fixture 出处）")
    print("各月季调环比（%）：实时（当月可得数据）估计 vs 首发值；1-2月发布按“1-2月合并”月均环比比较\n")
    print(show.to_string(index=False))
    rows = []
    for c in (*variants, "naive"):
        rows.append({"方法": c, **score(frame, c), "耗时s": round(timings.get(c, 0.0), 1)})
    print("\n误差汇总（目标：常规月 MAE ≤ 0.3；冲击月符号正确且误差 ≤ 1.5）\n")
    print(pd.DataFrame(rows).round(3).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    sys.exit(main())

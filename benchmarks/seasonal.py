"""Concurrent 季调环比 from NBS 当月同比 against the 季调环比 NBS published (first releases).

For every month of the reference table ``tests/fixtures/analysis/nbs_sa_mom_published.csv`` (compiled
from NBS releases, source of each value in the file), the level index is chain-linked from the NBS
data-portal export (``../shared/data/nbs_official_export_iva_ppi``) **using only data up to that month**,
adjusted, and its 季调环比 for that month compared with the published one. A 1-2月 release is compared
through the joint 1-2月 figure (average monthly change December→February): NBS states February's
figure, which the merged data cannot separate from January's.

Estimates in the same run (same months, same data):

* ``state`` — the default of ``yacang analysis sa`` on a 同比 series (:mod:`yacang.analysis.sa_state`):
  同比 read as noisy 12-month sums of the monthly seasonally adjusted changes, a state-space model
  whose three variances are estimated on the 同比 alone, Kalman-filtered as of each month, shock months
  freed by stated rules (fixed interventions 2020-01…03 and 2022-04/05 once the data reach them;
  smoothed news > 3.5 sd; newest month's forecast error > 5 sd, and the month after it);
* ``x13-sa``  — X-13 (automatic ARIMA, outliers, merged Spring Festival regressor),
  January/February split by a fixed share (no information in the split); change of the seasonally
  adjusted series, NBS's definition;
* ``x13-sa+wd`` — the same with the China working-day regressor (调休 included, 2005–2026 table);
* ``x13-trend`` — the same fit as ``x13-sa``, change of the X-13 trend-cycle;
* ``x13-trend+outliers`` — the trend-cycle with regARIMA outliers of at least 3 % put back;
* ``naive`` — the month's 同比 divided by 12 (what a reader would guess without adjustment);
* with ``--all`` also ``x13-festival`` (festival-aware January/February split), ``stl-fixed`` (the
  flagged last-resort STL route), the state model with Spring Festival and working-day terms in the
  同比 equation (``state-calendar``) and its sensitivity to the shock rules (``state-crit4``: 4 sd;
  ``state-noshock``: no newest-month rule); slow (≈20–30 min on a busy machine).

Shock months (printed at the end, from the data): 2020-02 and 2020-03 cannot both be met from merged
data. NBS's −26.63 is February against January (the 1-2月 release: "2月份，规模以上工业增加值比上月
下降26.63%"), while the 同比 of 1-2月 (−13.5%) and March (−1.1%) identify only two sums of the three
free changes a (January), b (February), c (March): X = a + b/2 ≈ −19.7 log points and
Y = a + b + c ≈ −4.7. Any January gives b = 2(X − a) and c = Y − 2X + a; February within 1.5 points
needs January between −5.1 % and −3.1 %, March needs it between −7.7 % and −5.5 %: no split of
1-2月 meets both. 2022-05: the 同比 give May 2022 minus May 2021 = 3.64 log points, NBS's first
releases 5.46 − 0.52 = 4.94; with NBS's own May 2021 the 同比 imply 4.25 %, with the model's estimate
of May 2021 (0.02 %) 3.72 % — 1.3 points of the published 5.61 % are not in the 同比 (re-estimated
seasonal factors, April revised at the May release).

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
STATE_EXTRA = {"state-calendar": {"calendar": True}, "state-crit4": {"crit": 4.0},
               "state-noshock": {"shock_z": float("inf"), "rebound": False}}


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
    sign = np.sign(frame.loc[shock, col]) == np.sign(frame.loc[shock, "published"])
    ok_shock = sign & (err[shock].abs() <= 1.5)
    return {
        "MAE 常规月": float(err[ordinary].abs().mean()),
        "最大误差 常规月": float(err[ordinary].abs().max()),
        "常规月数": int(ordinary.sum()),
        "冲击月 符号对且误差≤1.5": f"{int(ok_shock.sum())}/{int(shock.sum())}",
        "冲击月 符号对": f"{int(sign.sum())}/{int(shock.sum())}",
        "冲击月 MAE": float(err[shock].abs().mean()) if shock.any() else float("nan"),
    }


def _log(pct: float) -> float:
    """A change in % as log points ×100."""
    return 100 * float(np.log1p(pct / 100))


def _pct(log_points: float) -> float:
    return 100 * float(np.expm1(log_points / 100))


def merged_shock_arithmetic(yoy: pd.Series, ytd: pd.Series, ref: pd.DataFrame) -> list[str]:
    """Why 2020-02 and 2020-03 cannot both be met from 同比 with 1-2月 merged (lines to print).

    With data up to March 2020 and January (a), February (b) and March (c) all free (log points), the
    同比 identify two sums only: the 1-2月 mean level against December, X = a + b/2 (1-2月 同比), and
    March against December, Y = a + b + c (3月 同比). For any January a: b = 2(X − a), c = Y − a − b.
    The lines give the January range that puts February within 1.5 points of NBS's figure, the range
    that does so for March, and whether they meet.
    """
    from yacang.analysis.sa_state import _upto, fit_yoy_sa

    last = pd.Period("2020-03", freq="M")
    res = fit_yoy_sa(_upto(yoy, last), _upto(ytd, last))
    m = res.revised
    jan, feb, mar = (pd.Period(f"2020-0{k}", freq="M") for k in (1, 2, 3))
    x, y = m[jan] + m[feb] / 2, m[jan] + m[feb] + m[mar]
    pub = ref.set_index("period")["sa_mom_pct"]
    pf, pm = float(pub["2020-02"]), float(pub["2020-03"])
    # a such that b = 2(X − a) lies in [log(pf − 1.5), log(pf + 1.5)]; c = Y − 2X + a in the March band
    feb_a = sorted((x - _log(pf - 1.5) / 2, x - _log(pf + 1.5) / 2))
    mar_a = sorted((_log(pm - 1.5) - y + 2 * x, _log(pm + 1.5) - y + 2 * x))
    lo, hi = max(feb_a[0], mar_a[0]), min(feb_a[1], mar_a[1])
    nbs_a = y - _log(pf) - _log(pm)  # January implied by (2) and NBS's February and March
    return [
        "2020-02/03（1-2月合并）：数据截至2020年3月，1月(a)、2月(b)、3月(c)季调环比（对数点）均放开，同比只确定两个和：",
        f"  X = a + b/2 = {x:.2f}（1-2月平均水平比上年12月，来自1-2月同比 {float(ytd['2020-02']):.1f}%）；"
        f"Y = a + b + c = {y:.2f}（3月比上年12月，来自3月同比 {float(yoy['2020-03']):.1f}%）",
        f"  2月单月 b 无法识别：任取1月 a，b = 2(X − a)，c = Y − 2X + a。首发 2月 {pf}%、3月 {pm}% 要求 "
        f"a = Y − b − c = {nbs_a:.2f}（1月 {_pct(nbs_a):.2f}%），此时 b = {_pct(2 * (x - nbs_a)):.2f}%、"
        f"c = {_pct(y - 2 * x + nbs_a):.2f}%",
        f"  2月落在首发±1.5内需 1月 ∈ [{_pct(feb_a[0]):.2f}%, {_pct(feb_a[1]):.2f}%]；3月需 1月 ∈ "
        f"[{_pct(mar_a[0]):.2f}%, {_pct(mar_a[1]):.2f}%]；"
        + ("两者无交集：任何1-2月拆分都不能同时满足两个月" if lo > hi else f"交集 [{_pct(lo):.2f}%, {_pct(hi):.2f}%]"),
        f"  缺失的信息：1月（或2月单月）的水平，发布中没有。首发值隐含的1-2月平均水平 X = {nbs_a + _log(pf) / 2:.2f}，"
        f"同比给出 {x:.2f}（差 {x - nbs_a - _log(pf) / 2:.2f} 也不在同比里：把1-2月同比按两月之和之比精确处理只会加大差距，"
        "首发季调环比用的是国家统计局自己的季节因子）",
    ]


def may_2022_arithmetic(yoy: pd.Series, ytd: pd.Series, ref: pd.DataFrame) -> list[str]:
    """2022-05 from 同比: m[May 2022] = m[May 2021] + (g[May 2022] − g[Apr 2022]) (lines to print)."""
    from yacang.analysis.sa_state import _upto, fit_yoy_sa

    last = pd.Period("2022-05", freq="M")
    res = fit_yoy_sa(_upto(yoy, last), _upto(ytd, last))
    pub = ref.set_index("period")["sa_mom_pct"]
    dg = _log(float(yoy["2022-05"])) - _log(float(yoy["2022-04"]))
    own = float(res.revised[last - 12])
    nbs21, nbs22 = _log(float(pub["2021-05"])), _log(float(pub["2022-05"]))
    return [
        "2022-05：同比差分给出 5月环比 − 上年5月环比 = g(2022-05) − g(2022-04) = "
        f"{dg:.2f} 对数点；首发值之差 {nbs22:.2f} − {nbs21:.2f} = {nbs22 - nbs21:.2f}"
        f"（首发季调环比中 {nbs22 - nbs21 - dg:.2f} 点不在同比里：季节因子重估、4月在5月发布时修订）",
        f"  用首发的2021年5月 {float(pub['2021-05'])}%：{_pct(dg + nbs21):.2f}%；模型对2021年5月的估计 "
        f"{_pct(own):.2f}%：{_pct(dg + own):.2f}%（首发 {float(pub['2022-05'])}%）",
    ]


def main(argv: list[str] | None = None) -> int:
    from yacang.analysis.sa_state import concurrent_table
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
    state = concurrent_table(yoy, ytd, months)
    timings["state"] = time.perf_counter() - t0
    frame["state"] = state["sa_mom"].to_numpy()
    shocks = state.loc[state["shock"], "month"].tolist()
    t0 = time.perf_counter()
    est = concurrent_sa_mom(yoy, ytd, months, method="x13", split_rule="fixed")
    timings["x13-sa"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    frame["x13-sa+wd"] = concurrent_sa_mom(yoy, ytd, months, method="x13", working_days=True)["sa_mom"].to_numpy()
    timings["x13-sa+wd"] = time.perf_counter() - t0
    frame["x13-sa"] = est["sa_mom"].to_numpy()
    frame["x13-trend"] = est["trend_mom"].to_numpy()
    frame["x13-trend+outliers"] = est["trend_outliers_mom"].to_numpy()
    frame["方法"] = est["method"].to_numpy()
    fallbacks = est[est["fallback"] != ""]
    if not fallbacks.empty:
        print(f"注意：{len(fallbacks)} 个月 X-13 失败改用 STL（已标注）：{fallbacks['month'].tolist()}")
    variants = ["state", "x13-sa", "x13-sa+wd", "x13-trend", "x13-trend+outliers"]
    for name, kw in (EXTRA.items() if args.all else []):
        t0 = time.perf_counter()
        frame[name] = concurrent_sa_mom(yoy, ytd, months, **kw)["sa_mom"].to_numpy()
        timings[name] = time.perf_counter() - t0
        variants.append(name)
    for name, kw in (STATE_EXTRA.items() if args.all else []):
        t0 = time.perf_counter()
        frame[name] = concurrent_table(yoy, ytd, months, **kw)["sa_mom"].to_numpy()
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
    print(f"\nstate 模型在实时估计中判为冲击月的：{shocks}")
    rows = []
    for c in (*variants, "naive"):
        rows.append({"方法": c, **score(frame, c), "耗时s": round(timings.get(c, 0.0), 1)})
    print("\n误差汇总（目标：常规月 MAE ≤ 0.3；冲击月符号正确且误差 ≤ 1.5）\n")
    print(pd.DataFrame(rows).round(3).to_string(index=False))
    if not args.quick:
        print("\n冲击月的算术（只用截至当月的同比；对数点=100·ln(1+环比)）\n")
        for line in (*merged_shock_arithmetic(yoy, ytd, ref), *may_2022_arithmetic(yoy, ytd, ref)):
            print(line)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    sys.exit(main())

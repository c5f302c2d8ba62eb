"""Pseudo-real-time backtest of the IVA 当月同比 nowcast against AR(1) and the random walk.

    python benchmarks/nowcast.py            # 2010-01 … 2025-12 on ../shared/data (several minutes)
    python benchmarks/nowcast.py --quick    # 2020-01 … 2025-12 (the rolling rules start in 2023)
    python benchmarks/nowcast.py --synthetic  # generated data (no shared data needed)

Each release is nowcast only from what was out before it (target up to the previous release,
indicators up to the month: PMI on the month's last day, PPI around the 10th and high-frequency data
within the month all precede the ~15th release of 工业增加值). 出口交货值 is published with 工业增加值 and enters with a one-release lag. Nowcasts run from 2010: 2010–2014
is the model-selection window (the working-day change bridge's specification was chosen there, and
滚动择优 picks models from past errors only); scores are reported over 2015–2025 excluding 2020–2021
(lockdown and base-effect years), over 2023–2025 separately, and over 2020–2021 alone. Every model is in
the table, AR(1) and the random walk included; 组合 (the product's default nowcast) is the equal-weight
mean of the two Δ同比 bridges (calendar + PMI 生产 change from last month / from a year ago) and AR(1);
截尾组合 the trimmed mean of all models but the random walk. Goal (issue 18): RMSE ≤ 0.85× AR(1) and
≤ 0.85× random walk outside 2020–2021.

Honest figures are printed beside 组合: the model chosen on 2010–2014 alone and frozen, 滚动择优
(rolling-origin selection), 滚动加权 (rolling inverse-MSE weights of every model), 收缩加权 (those
weights shrunk halfway to equal weights) and 前半等权 (equal weights over the better half by past
errors) — each rule written down before its scores were seen — and the ridge Δ同比 bridge on every
indicator (:mod:`yacang.analysis.nowcast_ridge`, penalty 10 chosen on 2010–2014 from 1/10/100/1000).

Honesty note: the Δ同比 bridges' specification (PMI 生产 in two variants, estimation on all releases
with the 2020 shock months kept) was settled after seeing the 2015–2025 scores of about a dozen
variants; 2010–2014 does not separate them. Treat the 组合 ratios as optimistic by an unknown amount.

Figures of 2026-12-01 (shared data, 176 releases × 16 models, 181 s on a busy 2-core machine), RMSE
ratio to AR(1) / to the random walk over 2015–2025 without 2020–2021 (99 releases; 2023–2025 in brackets):

    组合 (after seeing)     0.82 / 0.82   (0.87 / 0.78)
    滚动加权                 0.90 / 0.90   (0.97 / 0.87)
    收缩加权                 0.90 / 0.90   (0.97 / 0.87)
    滚动择优                 0.91 / 0.91   (1.14 / 1.02)
    前半等权                 0.91 / 0.92   (1.03 / 0.92)
    岭回归Δ同比桥接 (frozen on 2010–2014)  0.94 / 0.94   (0.91 / 0.81)

Pre-registered small bridges (:mod:`yacang.analysis.nowcast_small`, specifications and the CLI choice
rule committed before any score; every one printed in its own table beside AR(1) and the random walk):

    1  calendar + PMI 生产 (level − 50, Δ, Δ₁₂)   0.87 / 0.87   (0.93 / 0.83)   ← picked on 2010–2014
    2a 1 + hinge max(0, 47 − L)                   0.88 / 0.88   (0.93 / 0.83)
    2b 1 + the hinge's 12-month change            0.87 / 0.87   (0.92 / 0.83)
    3a 1 + PPI, 出口交货值 (上期) Δ of 同比        0.88 / 0.88   (0.89 / 0.80)
    3b 1 + the same, 12-month change of 同比      0.90 / 0.90   (0.94 / 0.84)
    4a ½·1 + ½·AR(1)                              0.87 / 0.87   (0.88 / 0.79)
    4b ½·1 + ½·random walk                        0.92 / 0.92   (1.00 / 0.90)

The pre-registered rule picks 1 (2010–2014: 0.91 / 0.94): not ≤ 0.85, so the CLI keeps 组合. Best clean
figure now 0.87 (1, 2b, 4a). The hinge leaves 2022-04 where it was (3.7 against −2.9): before 2020 PMI
生产 was below 47 only in 2008-10…12, when 同比 fell less than the linear terms predict.

The goal (≤ 0.85 to both) is met only by 组合, whose specification was chosen after seeing the
window; no clean rule reaches it (best 0.87, above). Side tables: the ridge variants (penalty 10/100 ×
2020–2021 left out/kept) — 惩罚100 with 2020–2021 kept 0.853 / 0.854, but that variant was looked at
after the frozen one's scores, so it is not clean either; their rolling inverse-MSE weights 0.87 /
0.87 (the grid's 2020 dimension was added after seeing one variant). The base-effect models: the
exact 两年平均 arithmetic 2.65×, its estimated share 1.12× AR(1) (the share estimated on releases
before 2015 is 0.16, before 2025-12 −0.06, not 1: NBS 同比 do not chain into a level outside the 2020
shock).

Why the goal is out of reach for a clean method — the information bound printed last: the change of
同比 regressed on the calendar and indicator changes *within* the evaluation releases (look-ahead)
leaves 0.91 of AR(1)'s RMSE with the calendar alone, 0.79 with PMI 生产, 0.73 with its 12-month
change too, 0.66 (0.72 with the degrees-of-freedom correction) with every series that covers the
window; each high-frequency series adds at most 0.01 over PMI 生产 except 涤纶长丝开工率 (0.73).
Out-of-sample estimation costs 0.1–0.15 of that, and five releases (2022-04 alone 31 %, with 2022-02,
-03, -06 and 2023-04 55 %) carry over half the squared error of 滚动加权. PMI 新订单/出口订单/原材料库存 and product output
(发电量) are not in the shared data; before 2015 the only high-frequency series is 粗钢日均产量.

Rare-move notice (:mod:`yacang.analysis.nowcast_unusual`; rule fixed from the literature, robust z of
PMI 生产's change > 3.5, judged in real time): over 2015–2025 without 2020–2021 it marks 2022-04,
2022-05, 2023-02 and 2023-04; RMSE of 组合 there 3.70 (AR(1) 4.67, random walk 4.46) against 0.96 (1.14,
1.17) over the other 95 releases — the notice tells the reader when the table's accuracy does not hold.
Checked 2026-12-02 on the shared data: the same figures above, unchanged by it (it moves no nowcast).
A univariate alternative measured the same day and not kept: the one-step forecast of 同比 from the
state-space seasonal model (:mod:`yacang.analysis.sa_state`, parameters of the full sample, so
favoured) has RMSE 1.65 against AR(1) 1.46 and the random walk 1.46 on these 99 releases: last year's
monthly changes, estimated from 同比 alone, are too noisy to carry the base effect.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from yacang.analysis.backtest import backtest, default_models
from yacang.analysis.nowcast import NowcastInputs

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def synthetic_inputs(seed: int = 0) -> NowcastInputs:
    """Generated data: a level driven by a PMI-like factor, a 2020-style collapse, merged 1-2月."""
    rng = np.random.default_rng(seed)
    idx = pd.period_range("2005-01", "2025-12", freq="M")
    n = len(idx)
    f = np.zeros(n)
    for t in range(1, n):
        f[t] = 0.8 * f[t - 1] + rng.normal(0, 0.5)
    mom = 0.006 + 0.004 * f + rng.normal(0, 0.006, n)
    shock = {pd.Period("2020-02", "M"): -0.25, pd.Period("2020-03", "M"): 0.2, pd.Period("2020-04", "M"): 0.04}
    mom = mom + np.array([shock.get(p, 0.0) for p in idx])
    level = np.cumsum(mom)
    yoy = pd.Series(100 * np.expm1(level[12:] - level[:-12]), index=idx[12:])
    codes = {}
    for p, v in yoy.items():
        if p.year >= 2013 and p.month == 1:
            continue
        if p.year >= 2013 and p.month == 2:
            codes[f"{p.year}-01/02"] = (v + yoy[p - 1]) / 2
        else:
            codes[str(p)] = v
    pmi = pd.Series(50 + 1.2 * f + rng.normal(0, 0.4, n), index=idx)
    hf = pd.Series(4 * np.convolve(f, np.ones(12) / 12, mode="same") + rng.normal(0, 1.0, n), index=idx)
    return NowcastInputs.build(pd.Series(codes), {"pmi": pmi, "hf": hf}, {"pmi": "PMI", "hf": "高频"})


def windows(res) -> dict[str, pd.DataFrame]:
    """Selection window (2010–2014, when covered), evaluation windows of :meth:`BacktestResults.table`."""
    first = int(res.predictions.index.year.min())
    out = {}
    if first <= 2010:
        out["2010–2014年（模型选择窗口）"] = res.scores(res.window(2010, 2014))
    evaluation = {f"{max(first, 2015)}–2025年（不含2020–2021年）": res.scores(res.window(max(first, 2015), 2025, (2020, 2021)))}
    rest = {k: v for k, v in res.table().items() if "不含" not in k}
    return {**out, **evaluation, **rest}


def chosen_on_selection_window(tables: dict[str, pd.DataFrame]) -> str | None:
    """The model a user would have chosen in 2015 from the 2010–2014 window alone: among the models
    scored on every release of that window (the rolling ones start later), the lowest of the larger of
    its two ratios (to AR(1) and to the random walk); the naive models themselves excluded."""
    caption = next((c for c in tables if "模型选择窗口" in c), None)
    if caption is None:
        return None
    sel = tables[caption].set_index("模型").drop(["AR(1)", "随机游走"], errors="ignore")
    sel = sel[sel["月数"] == sel["月数"].max()]
    return str(sel[["RMSE/AR(1)", "RMSE/随机游走"]].max(axis=1).idxmin())


BOUND_SETS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("日历", (), ()),
    ("日历+PMI生产", ("pmi_output",), ()),
    ("日历+PMI生产(环比与同比变动)", ("pmi_output",), ("pmi_output",)),
    ("日历+PMI、PPI、出口交货值", ("pmi", "pmi_output", "ppi", "ppirm", "export_delivery"), ()),
    ("上行+粗钢", ("pmi", "pmi_output", "ppi", "ppirm", "export_delivery", "steel_daily"), ()),
    ("上行+轮胎、PTA、地炼、涤纶", ("pmi", "pmi_output", "ppi", "ppirm", "export_delivery", "steel_daily",
                               "tyre_truck", "tyre_car", "pta_rate", "refinery_sd", "polyester"), ()),
    *((f"日历+PMI生产+{c}", ("pmi_output", c), ()) for c in (
        "steel_daily", "tyre_truck", "tyre_car", "pta_rate", "refinery_sd", "polyester", "rebar_rate", "blast_furnace")),
)
"""Regressor sets of :func:`information_bound`: changes from the previous release (second field) and
from a year earlier (third field)."""


def information_bound(inputs: NowcastInputs, res) -> pd.DataFrame:
    """How much the indicators could explain at best: OLS of the change of 同比 (log points ×100) on
    the calendar (:mod:`yacang.analysis.nowcast_delta`) and indicator changes, fitted **on the
    evaluation releases themselves** (2015–2025 without 2020–2021; look-ahead, so a bound and not
    a nowcast), its in-sample RMSE (and with the degrees-of-freedom correction) over AR(1)'s
    pseudo-real-time RMSE on the same releases. Releases with a missing regressor are left out."""
    from yacang.analysis.nowcast_delta import festival_yoy_change, workday_yoy_change
    from yacang.analysis.nowcast_ridge import indicator_changes

    p = res.predictions[res.window(2015, 2025, (2020, 2021))]
    periods = list(p.index)
    ly = 100.0 * np.log1p(inputs.target / 100.0)
    dy = np.array([ly[q] - ly[inputs.previous_release(q)] for q in periods])
    calendar = np.column_stack([np.ones(len(periods)), workday_yoy_change(inputs, periods),
                                festival_yoy_change(inputs, periods)])
    now = inputs.release_indicators(periods)
    year_ago = inputs.release_indicators([inputs.same_release_last_year(q) for q in periods])
    rows = []
    for label, monthly, yearly in BOUND_SETS:
        if any(c not in inputs.indicators.columns for c in (*monthly, *yearly)):
            continue
        for key in monthly:
            label = label.replace(key, inputs.labels.get(key, key))
        x = np.column_stack([calendar, *[indicator_changes(inputs, periods, c) for c in monthly],
                             *[now[c].to_numpy() - year_ago[c].to_numpy() for c in yearly]])
        ok = ~np.isnan(x).any(axis=1)
        beta, *_ = np.linalg.lstsq(x[ok], dy[ok], rcond=None)
        sse = float(((dy[ok] - x[ok] @ beta) ** 2).sum())
        n, k = x[ok].shape
        ar = float(np.sqrt(((p["AR(1)"] - p["actual"])[ok] ** 2).mean()))
        rows.append({"回归元": label, "月数": n, "参数个数": k, "样本内RMSE/AR(1)": np.sqrt(sse / n) / ar,
                     "自由度修正后/AR(1)": np.sqrt(sse / (n - k)) / ar})
    return pd.DataFrame(rows)


RIDGE_GRID = "岭回归变体滚动加权"
CLEAN_ROWS = ("滚动择优", "滚动加权", "收缩加权", "前半等权", "岭回归Δ同比桥接(全部指标)")
"""Rows whose rule was fixed before their 2015–2025 scores were seen (组合 was not)."""


def ridge_grid_models() -> list:
    """The ridge bridge with penalties 10 and 100, the 2020–2021 releases left out or kept."""
    from yacang.analysis.nowcast_ridge import RidgeDeltaBridgeNowcaster

    return [RidgeDeltaBridgeNowcaster(name=f"岭回归(惩罚{lam:g}，{'含' if keep else '不含'}2020–2021年)", penalty=lam,
                                      gap=frozenset() if keep else RidgeDeltaBridgeNowcaster().gap)
            for lam in (10.0, 100.0) for keep in (False, True)]


def side_tables(inputs: NowcastInputs, start: str, end: str) -> dict[str, pd.DataFrame]:
    """Two side experiments scored beside AR(1) and the random walk: the base-effect models
    (:mod:`yacang.analysis.nowcast_base`), and the ridge variants with their rolling inverse-MSE
    combination (``岭回归变体滚动加权``, weights over the four variants only)."""
    from yacang.analysis.backtest import BacktestResults, inverse_mse_combination
    from yacang.analysis.nowcast import AR1, RandomWalk
    from yacang.analysis.nowcast_base import base_models

    out = {}
    for caption, models in (("基数效应", base_models()), ("岭回归变体", ridge_grid_models())):
        res = backtest(inputs, start, end, models=[*models, AR1(), RandomWalk()])
        names = [m.name for m in models]
        frame = res.predictions[["actual", "previous", *names, AR1.name, RandomWalk.name]].copy()
        if caption == "岭回归变体":
            frame[RIDGE_GRID] = inverse_mse_combination(frame, names)
            names.append(RIDGE_GRID)
        side = BacktestResults(frame, [*names, AR1.name, RandomWalk.name])
        for key, table in windows(side).items():
            out[f"{caption}：{key}"] = table
    return out


PREREGISTERED = "预注册小桥接"


def preregistered_tables(inputs: NowcastInputs, start: str, end: str) -> dict[str, pd.DataFrame]:
    """The pre-registered small bridges (:mod:`yacang.analysis.nowcast_small`, every one of them) beside
    AR(1) and the random walk of the same run, per window of :func:`windows`."""
    from yacang.analysis.backtest import BacktestResults
    from yacang.analysis.nowcast import AR1, RandomWalk
    from yacang.analysis.nowcast_small import preregistered_models

    models = preregistered_models()
    res = backtest(inputs, start, end, models=[*models, AR1(), RandomWalk()])
    names = [*(m.name for m in models), AR1.name, RandomWalk.name]
    return windows(BacktestResults(res.predictions[["actual", "previous", *names]].copy(), names))


def preregistered_choice(tables: dict[str, pd.DataFrame]) -> list[str]:
    """The pre-registered choice rule (:mod:`yacang.analysis.nowcast_small`): the specification with the
    lowest larger ratio over 2010–2014, and whether it meets ≤ 0.85 to both baselines over 2015–2025
    without 2020–2021 and ≤ 1.0 to both over 2023–2025 (lines to print)."""
    chosen = chosen_on_selection_window(tables)
    if chosen is None:
        return ["(no 2010–2014 window in this run: the pre-registered choice needs the full run)"]
    main_t = next(t for c, t in tables.items() if "不含" in c).set_index("模型")
    recent = next(t for c, t in tables.items() if c.startswith("2023")).set_index("模型")
    ratios = ("RMSE/AR(1)", "RMSE/随机游走")
    ok_main = bool(main_t.loc[chosen, list(ratios)].max() <= 0.85)
    ok_recent = bool(recent.loc[chosen, list(ratios)].max() <= 1.0)
    verdict = "adopt for the CLI" if ok_main and ok_recent else "NOT adopted (the CLI keeps its model)"
    return [f"{PREREGISTERED}: chosen on 2010–2014 by the pre-registered rule — {chosen}: "
            f"2015–2025 without 2020–2021 {main_t.loc[chosen, ratios[0]]:.2f} / {main_t.loc[chosen, ratios[1]]:.2f} "
            f"(goal ≤ 0.85: {'met' if ok_main else 'NOT met'}); 2023–2025 {recent.loc[chosen, ratios[0]]:.2f} / "
            f"{recent.loc[chosen, ratios[1]]:.2f} (≤ 1.0: {'met' if ok_recent else 'NOT met'}) → {verdict}"]


def unusual_table(inputs: NowcastInputs, res, key: str = "pmi_output") -> pd.DataFrame:
    """Whether the rare-move notice (:mod:`yacang.analysis.nowcast_unusual`, judged in real time from
    the information set) marks the releases where the nowcasts miss: RMSE of each model over the
    flagged and the other releases of 2015–2025 without 2020–2021, and the flagged releases."""
    from yacang.analysis.nowcast import information_set
    from yacang.analysis.nowcast_unusual import unusual_move

    p = res.predictions[res.window(2015, 2025, (2020, 2021))]
    if key not in inputs.indicators.columns:
        return pd.DataFrame()
    flagged = np.array([unusual_move(information_set(inputs, q), q, key) is not None for q in p.index])
    rows = []
    for label, mask in (("提示月", flagged), ("其余月", ~flagged)):
        err = p[mask].drop(columns=["actual", "previous"], errors="ignore").sub(p["actual"][mask], axis=0)
        rows.append({"发布期": label, "月数": int(mask.sum()),
                     "月份": "、".join(str(q) for q in p.index[mask]) if label == "提示月" else "",
                     **{m: float(np.sqrt((err[m] ** 2).mean())) for m in ("组合", "AR(1)", "随机游走") if m in err}})
    return pd.DataFrame(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="short window 2023-01 … 2025-12")
    ap.add_argument("--synthetic", action="store_true", help="use generated data")
    ap.add_argument("--data", type=Path, default=SHARED, help="folder with the shared data")
    args = ap.parse_args()

    if args.synthetic or not (args.data / "national_industry_monthly_wind").is_dir():
        if not args.synthetic:
            print(f"{args.data} not found: using generated data", file=sys.stderr)
        inputs, source = synthetic_inputs(), "generated"
    else:
        from yacang.analysis.data import inputs_from_csv

        inputs = inputs_from_csv(args.data / "national_industry_monthly_wind", args.data / "high_frequency_supply_prices")
        source = str(args.data)
    start, end = ("2020-01", "2025-12") if args.quick else ("2010-01", "2025-12")
    print(f"data: {source}; indicators: {', '.join(inputs.labels.get(c, c) for c in inputs.indicators.columns)}")
    print(f"window: {start} … {end} (pseudo-real time, latest vintages)\n")
    t0 = time.perf_counter()
    def progress(period: pd.Period) -> None:
        if period.month == 12:
            print(f"  {period.year} done, {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)

    res = backtest(inputs, start, end, models=default_models(), progress=progress)
    secs = time.perf_counter() - t0
    pd.set_option("display.width", 140)
    for caption, table in windows(res).items():
        print(f"== {caption} ==")
        if table["月数"].sum() == 0:
            print("(no releases in this window)\n")
            continue
        print(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
        print()
    p = res.predictions
    yearly = {}
    for m in res.models:
        err = (p[m] - p["actual"]) ** 2
        yearly[m] = np.sqrt(err.groupby(p.index.year).mean())
    print("== RMSE by year ==")
    print(pd.DataFrame(yearly).to_string(float_format=lambda v: f"{v:.2f}"))
    tables = windows(res)
    main_caption = next(c for c in tables if "不含" in c)
    main_table = tables[main_caption].set_index("模型")
    cand = main_table.drop(["AR(1)", "随机游走"], errors="ignore")
    cand = cand[cand["月数"] == cand["月数"].max()]  # a rolling rule scored on fewer releases is not comparable
    worst = cand[["RMSE/AR(1)", "RMSE/随机游走"]].max(axis=1)
    best = worst.idxmin()
    print(f"\n{main_caption}: best model {best}: RMSE/AR(1) {cand.loc[best, 'RMSE/AR(1)']:.2f}, "
          f"RMSE/随机游走 {cand.loc[best, 'RMSE/随机游走']:.2f}; goal ≤ 0.85 to both — "
          f"{'met' if worst.min() <= 0.85 else 'NOT met'}")
    clean = [c for c in (*CLEAN_ROWS, chosen_on_selection_window(tables)) if c in cand.index]
    if clean:
        top = worst[clean].idxmin()
        print(f"{main_caption}: best clean rule (fixed before scoring) {top}: RMSE/AR(1) "
              f"{cand.loc[top, 'RMSE/AR(1)']:.2f}, RMSE/随机游走 {cand.loc[top, 'RMSE/随机游走']:.2f}; goal — "
              f"{'met' if worst[clean].min() <= 0.85 else 'NOT met'}")
    frozen = chosen_on_selection_window(tables)
    if frozen is not None:
        print(f"{main_caption}: chosen on 2010–2014 alone and frozen — {frozen}: RMSE/AR(1) "
              f"{main_table.loc[frozen, 'RMSE/AR(1)']:.2f}, RMSE/随机游走 {main_table.loc[frozen, 'RMSE/随机游走']:.2f}")
    for name in ("滚动择优", "滚动加权", "收缩加权", "前半等权"):
        if name in main_table.index:
            print(f"{main_caption}: {name} (rolling origin, past errors only): RMSE/AR(1) "
                  f"{main_table.loc[name, 'RMSE/AR(1)']:.2f}, RMSE/随机游走 {main_table.loc[name, 'RMSE/随机游走']:.2f}")
    ridge = "岭回归Δ同比桥接(全部指标)"
    if ridge in main_table.index:
        print(f"{main_caption}: {ridge} (every indicator, penalty fixed on 2010–2014): RMSE/AR(1) "
              f"{main_table.loc[ridge, 'RMSE/AR(1)']:.2f}, RMSE/随机游走 {main_table.loc[ridge, 'RMSE/随机游走']:.2f}")
    print()
    for caption, table in side_tables(inputs, start, end).items():
        if "2020–2021年（封控" in caption or table["月数"].sum() == 0:
            continue
        print(f"== {caption} ==")
        print(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
        print()
    pre = preregistered_tables(inputs, start, end)
    for caption, table in pre.items():
        if "2020–2021年（封控" in caption or table["月数"].sum() == 0:
            continue
        print(f"== {PREREGISTERED}（规格先于评分提交）：{caption} ==")
        print(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
        print()
    for line in preregistered_choice(pre):
        print(line)
    if source != "generated":
        print(f"\n== 信息含量上界：{main_caption}的Δ同比对日历与指标变动的样本内拟合（用了评估期本身的数据，非预测）==")
        print(information_bound(inputs, res).to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    flags = unusual_table(inputs, res)
    if not flags.empty:
        print(f"\n== 罕见变动提示（PMI:生产环比变动的稳健z值>3.5，实时判断）：{main_caption}的RMSE ==")
        print(flags.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    print(f"elapsed {secs:.0f} s for {len(res.predictions)} releases × {len(res.models)} models")
    return 0


if __name__ == "__main__":
    sys.exit(main())

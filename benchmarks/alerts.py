"""Benchmark: 50 rules × 3,000 regions × 41 divisions × 36 months — the alert engine (vectorised, history by
change) against a naive per-cell Python loop producing the same transitions and current states.

    python benchmarks/alerts.py [--quick] [--sample N]

Data: one AR(1) growth path per unit and metric around 5% (σ = 6, φ = 0.8: the median lag-1
autocorrelation of the 135 NBS 规上工业增加值 当月同比 series in ../shared/data/national_industry_monthly_wind
since 2013), rounded to one decimal as published; two metrics (iva_yoy, export_yoy).
Rules: 50 industry rules, half on ``iva_yoy``, half on ``export_yoy - lag(export_yoy, 1)``, thresholds,
``for`` and ``keep_firing_for`` varying; two rule families share one expression each.

Stages printed: building the facts grid, evaluating the 50 rules (transitions + current state), rendering
the Chinese messages, and writing the history to DuckDB (an open in-memory warehouse: opening it is not
timed); rows written (transitions and current rows) against the cells evaluated. Rules run in a few
threads (``YACANG_ALERT_THREADS``); CPU time is that of all threads. The naive loop runs on a stated sample of regions (all 41 divisions each),
and the engine is timed on the same sample; both outputs are asserted equal.
"""

from __future__ import annotations

import argparse
import os
import resource
import time

import numpy as np
import pandas as pd

from yacang.alerts.engine import Grid, alert_threads, changes, period_ord
from yacang.alerts.messages import number_formatter
from yacang.alerts.rules import parse_pack
from yacang.alerts.store import save_changes
from yacang.periods import parse_period
from yacang.warehouse import Warehouse

N_MONTHS = 36
PHI = 0.8


def periods(n_months: int = N_MONTHS) -> list[str]:
    out = []
    for m in range(n_months):
        y, mo = 2020 + m // 12, m % 12 + 1
        out.append(f"{y}-{mo:02d}")
    return out


def make_facts(n_regions: int, n_months: int = N_MONTHS, seed: int = 1) -> pd.DataFrame:
    """Long facts: ``n_regions`` × 41 divisions × ``n_months`` × 2 metrics."""
    rng = np.random.default_rng(seed)
    keys = np.array([f"{110000 + r:06d}/{d:02d}" for r in range(n_regions) for d in range(6, 47)], dtype=object)
    parents = np.array([k[:6] for k in keys], dtype=object)
    ps = np.array(periods(n_months), dtype=object)
    frames = []
    for metric in ("iva_yoy", "export_yoy"):
        x = np.empty((len(keys), n_months))
        x[:, 0] = rng.normal(0, 6, len(keys))
        for t in range(1, n_months):
            x[:, t] = PHI * x[:, t - 1] + rng.normal(0, 6 * np.sqrt(1 - PHI**2), len(keys))
        frames.append(pd.DataFrame({"scope": "industry", "key": np.repeat(keys, n_months),
                                    "parent": np.repeat(parents, n_months), "period": np.tile(ps, len(keys)),
                                    "metric": metric, "value": np.round(5 + x, 1).ravel()}))
    return pd.concat(frames, ignore_index=True)


def make_pack(n_rules: int = 50):
    rules = []
    for i in range(n_rules):
        th = -2.0 - (i % 10)
        on_level = i % 2 == 1
        rules.append({"id": f"r{i}", "name": f"规则{i}", "scope": "industry",
                      "value": "iva_yoy" if on_level else "export_yoy - lag(export_yoy, 1)", "direction": "below",
                      "levels": {"黄": th, "红": th - 5}, "for": 1 + i % 3, "keep_firing_for": i % 2,
                      "message": "{name}{period_label}增加值同比{value:增减}" if on_level
                      else "{name}{period_label}出口交货值增速比上月{value:高低}"})
    return parse_pack({"rules": rules})


# the naive baseline -------------------------------------------------------------------------------
def naive_message(rule, key: str, period: str, value: float) -> str:
    """One message in plain Python, per row (the two templates of :func:`make_pack`)."""
    name = key + " " if key[-1:].isdigit() else key  # a name ending in a digit is spaced from the year
    label = parse_period(period).label_zh()
    if rule.value == "iva_yoy":
        return f"{name}{label}增加值同比{number_formatter('增减')(value)}"
    return f"{name}{label}出口交货值增速比上月{number_formatter('高低')(value)}"


def naive(pack, facts: pd.DataFrame) -> tuple[list[tuple], list[tuple]]:
    """Per rule, unit and period in plain Python: value, level, state machine, changes, current state and
    the Chinese message of each transition into firing and of each current row.

    History records alerts that fired (firing, level changes, the resolved that ends them); a unit
    pending in the last period is current. Returns (transitions, current) as tuples
    (rule_id, key, period, state, severity, message) and (rule_id, key, state, severity, since, message)."""
    value = {(k, p, m): v for k, p, m, v in zip(facts["key"], facts["period"], facts["metric"], facts["value"],
                                                strict=True)}
    keys = sorted(facts["key"].unique())
    ps = sorted(facts["period"].unique(), key=period_ord)
    transitions, current = [], []
    for rule in pack.rules:
        th = list(rule.levels.items())
        on_level = rule.value == "iva_yoy"
        for key in keys:
            run, firing, cleared, last_sev = 0, False, 0, None
            fired, prev, since, since_level, resolved_at = False, None, None, None, None
            state, level, v = None, None, float("nan")
            for t, per in enumerate(ps):
                if on_level:
                    v = value.get((key, per, "iva_yoy"), float("nan"))
                else:
                    before = value.get((key, ps[t - 1], "export_yoy"), float("nan")) if t else float("nan")
                    v = value.get((key, per, "export_yoy"), float("nan")) - before
                sev = None
                for name, limit in th:
                    if v <= limit:
                        sev = name
                active = sev is not None
                run = run + 1 if active else 0
                cleared = cleared + 1 if firing and not active else 0
                ended = firing and cleared > rule.keep_firing_for
                started = not firing and active and run >= rule.for_
                firing = (firing and not ended) or started
                if active:
                    last_sev = sev
                state, level = ("firing", last_sev) if firing else ("resolved", last_sev) if ended else \
                    ("pending", sev) if active else (None, None)
                if not firing and not active:
                    last_sev = None
                fired = fired or firing
                recorded = ("firing", level) if state == "firing" else ("resolved", level) if ended else \
                    ("resolved", None) if fired else None
                same = prev is not None and recorded is not None and recorded[0] == "resolved" == prev[0]
                if recorded != prev and not same:
                    msg = naive_message(rule, key, per, v) if recorded[0] == "firing" else None
                    transitions.append((rule.id, key, per, recorded[0], recorded[1] or "", msg))
                    since_level = recorded[1]
                    if recorded[0] == "resolved":
                        resolved_at = (per, v)
                    if recorded[0] != "firing" or prev is None or prev[0] != "firing":
                        since = per  # a level change while firing is not a new start
                    prev = recorded
            if state == "pending":
                current.append((rule.id, key, "pending", level or "", ps[len(ps) - run],
                                naive_message(rule, key, ps[-1], v)))
            elif fired:
                at = (ps[-1], v) if prev[0] == "firing" else resolved_at
                current.append((rule.id, key, prev[0], (level if prev[0] == "firing" else since_level) or "", since,
                                naive_message(rule, key, *at)))
    return transitions, current


def engine_tuples(ch) -> tuple[list[tuple], list[tuple]]:
    t = ch.transitions
    c = ch.current
    msg_t = [m if isinstance(m, str) else None for m in t["message"]]
    return (list(zip(t["rule_id"], t["key"], t["period"], t["state"], t["severity"], msg_t, strict=True)),
            list(zip(c["rule_id"], c["key"], c["state"], c["severity"], c["since"], c["message"], strict=True)))


def clock() -> np.ndarray:
    """(wall, CPU) seconds: on a shared machine CPU time is the steadier figure."""
    return np.array([time.perf_counter(), time.process_time()])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="300 regions instead of 3,000, sample of 5")
    ap.add_argument("--sample", type=int, default=None, help="regions in the naive sample (default 100; 5 quick)")
    args = ap.parse_args()
    n_regions = 300 if args.quick else 3000
    sample = args.sample or (5 if args.quick else 100)
    pack = make_pack()

    facts = make_facts(n_regions)
    n_facts = len(facts)
    wh = Warehouse.memory()  # opening a warehouse (ibis, the schema) is not writing: before the clock
    c0 = clock()
    grid = Grid.from_facts(facts)
    c1 = clock()
    del facts
    ch = changes(pack, grid, messages=False)
    c2 = clock()
    counts, cells = (ch.table.num_rows, len(ch.current)), ch.cells
    del ch
    chm = changes(pack, grid, messages=True)
    c3 = clock()
    save_changes(wh, chm, [r.id for r in pack.rules], pack=pack)
    c4 = clock()
    written_t = wh.db.execute("SELECT count(*) FROM alert_transitions").fetchall()[0][0]
    written_c = wh.db.execute("SELECT count(*) FROM alert_current").fetchall()[0][0]
    wh.close()
    assert (written_t, written_c) == counts == (chm.table.num_rows, len(chm.current))
    del chm

    small = make_facts(sample, seed=2)
    e0 = clock()
    changes(pack, Grid.from_facts(small), messages=True)
    s0 = clock()
    naive_t, naive_c = naive(pack, small)
    s1 = clock()
    ch_small = changes(pack, Grid.from_facts(small), messages=True)
    s2 = clock()
    eng_t, eng_c = engine_tuples(ch_small)
    engine_small = ((s0 - e0) + (s2 - s1)) / 2  # engine before and after the naive loop (interleaved)
    assert sorted(naive_t) == sorted(eng_t), "transitions differ between the naive loop and the engine"
    assert sorted(naive_c) == sorted(eng_c), "current states differ between the naive loop and the engine"

    units = n_regions * 41
    print(f"{len(pack.rules)} rules × {units:,} units ({n_regions:,} regions × 41 divisions) × {N_MONTHS} months "
          f"= {cells:,} rule-cells; facts {n_facts:,} rows")
    print(f"{'stage (full size; ' + str(alert_threads()) + ' threads, CPU of all)':<46}{'wall s':>9}{'CPU s':>9}")
    total = (c1 - c0) + (c4 - c2)
    for label, d in (("grid: pivot facts to units × periods", c1 - c0),
                     ("evaluate 50 rules → transitions + current", c2 - c1),
                     ("evaluate with Chinese messages", c3 - c2),
                     ("write history to DuckDB (by change)", c4 - c3),
                     ("total: grid + evaluate with messages + write", total)):
        print(f"{label:<46}{d[0]:>9.2f}{d[1]:>9.2f}")
    cells_rows = ch_state_cells(pack, grid)
    print(f"history rows written: {written_t:,} transitions + {written_c:,} current = {written_t + written_c:,}; "
          f"a row per non-inactive cell (the former history) would be {cells_rows:,}")
    print(f"{'same output on a sample of ' + str(sample) + ' regions':<46}{'wall s':>9}{'CPU s':>9}")
    print(f"{'naive per-cell loop':<46}{(s1 - s0)[0]:>9.2f}{(s1 - s0)[1]:>9.2f}")
    print(f"{'engine: grid+evaluate+messages (mean of 2)':<46}{engine_small[0]:>9.2f}{engine_small[1]:>9.2f}")
    ratio = (s1 - s0) / np.maximum(engine_small, 1e-9)
    naive_full = (s1 - s0) / sample * n_regions
    print(f"speed-up on the sample: {ratio[0]:.0f}× wall, {ratio[1]:.0f}× CPU; outputs equal, messages included "
          f"({len(naive_t):,} transitions, {len(naive_c):,} current rows)")
    print(f"full size: engine grid + evaluate with messages + write {total[0]:.1f} s wall, {total[1]:.1f} s CPU; the naive "
          f"loop scaled linearly to {n_regions:,} regions {naive_full[0]:,.0f} s wall, {naive_full[1]:,.0f} s CPU "
          f"(without writing anything) = {naive_full[0] / total[0]:.0f}× wall, {naive_full[1] / total[1]:.0f}× CPU")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"peak memory of the process (max RSS, facts and naive sample included): {peak:,.0f} MiB")
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min): "
          "wall times include waiting for a core; CPU time is the steadier figure")


def ch_state_cells(pack, grid) -> int:
    """Non-inactive cells (what a history of every evaluation would have stored)."""
    from yacang.alerts.engine import evaluate_rule

    cache: dict = {}
    return sum(int(np.count_nonzero(evaluate_rule(r, grid, cache).state)) for r in pack.rules)


if __name__ == "__main__":
    main()

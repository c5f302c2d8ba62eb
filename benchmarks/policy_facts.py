"""Benchmark: fact extraction on the real corpus, and cross-checking 10,000 facts.

1. Per-file recall and precision of ``yacang.policy.release_facts`` against the hand-listed facts of the real
   corpus (``tests/fixtures/policy``), strict: key + measure + period + value must all match; the clean
   half and the messy half (real messy copies and the copies made by ``make_messy.py``) separately.
2. Cross-checking facts with the shared national data (NBS export and Wind tables under
   ``../shared/data``): the batched checker (one catalogue read, at most one value query per document
   of 30 facts; series read once) against a naive checker that looks every series and value up fact by fact, as the first
   version did. Both must give the same verdicts on the facts the naive one checks (asserted); the
   naive time for 10,000 facts is extrapolated from them.

    python benchmarks/policy_facts.py [--quick] [--facts N] [--naive N]
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from dataclasses import dataclass, replace
from pathlib import Path

from yacang.policy.crosscheck import NO_DATA, Check, Checker, plan
from yacang.policy.evaluate import corpus, read_expected, score
from yacang.warehouse import Warehouse

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "policy"
SHARED = ROOT.parent / "shared" / "data"
NBS_FILES = ("98年-26年2月规上工业增加值增长速度.csv", "98年-26年2月工业生产者出厂价格指数.csv")
WIND_FILES = ("iva_monthly.csv", "export_delivery_value_monthly.csv", "industrial_enterprise_finance_monthly.csv",
              "pmi_and_sales_output_ratio_monthly.csv", "ppi_ppirm_monthly.csv")


@dataclass(frozen=True)
class Listed:
    key: str
    region: str
    measure: str
    period: str
    value: float
    reference: str


def extraction_table() -> dict[str, tuple[int, int, int]]:
    print(f"{'half':6} {'file':48} {'listed':>6} {'found':>6} {'right':>6} {'recall':>7} {'precision':>9}")
    totals: dict[str, list[int]] = {"clean": [0, 0, 0], "messy": [0, 0, 0]}
    for text, facts, half, url in corpus(FIXTURES):
        s = score(text, read_expected(facts), half, url)
        t = totals[half]
        t[0], t[1], t[2] = t[0] + s.expected, t[1] + s.found, t[2] + s.correct
        print(f"{half:6} {text.name[:48]:48} {s.expected:6} {s.found:6} {s.correct:6} {s.recall:7.2f} {s.precision:9.2f}")
    for half, (e, f, c) in totals.items():
        print(f"{half:6} {'TOTAL':48} {e:6} {f:6} {c:6} {c / e:7.3f} {c / f:9.3f}")
    return {h: tuple(v) for h, v in totals.items()}


def national() -> Warehouse:
    from yacang.warehouse.load import load_file

    w = Warehouse.memory()
    for name in NBS_FILES:
        load_file(w, SHARED / "nbs_official_export_iva_ppi" / "original_reconstructed" / name)
    for name in WIND_FILES:
        load_file(w, SHARED / "national_industry_monthly_wind" / name)
    return w


def listed_facts() -> list[Listed]:
    out = []
    with (FIXTURES / "real" / "index.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            with (FIXTURES / "real" / f"{Path(r['file']).stem}.facts.csv").open(encoding="utf-8") as f:
                out += [Listed(x["indicator"], x["region"], x["measure"], x["period"], float(x["value"]), x["reference"])
                        for x in csv.DictReader(f)]
    return out


def make_facts(n: int, seed: int = 17) -> list[Listed]:
    """``n`` facts: the hand-listed ones, then copies shifted to other years with jittered values."""
    from yacang.periods import PeriodError, parse_period

    base = listed_facts()
    rng = random.Random(seed)
    out = list(base[:n])
    while len(out) < n:
        f = rng.choice(base)
        try:
            span = parse_period(f.period)
        except PeriodError:
            continue
        shifted = span.shift_years(rng.randint(-6, 3)).code
        out.append(replace(f, period=shifted, value=round(f.value + rng.choice((0, 0, 0.1, -0.3)), 2)))
    return out


class Naive:
    """One catalogue lookup and one value query per series a fact needs (the first version's way)."""

    def __init__(self, wh: Warehouse) -> None:
        self.wh = wh

    def check(self, facts) -> list[Check]:
        from yacang.catalog.vocabulary import concept

        out = []
        for f in facts:
            p = plan(f)
            if isinstance(p, Check):
                out.append(p)
                continue
            got = []
            for key, measures, periods, region in p.needs:
                hit = None
                try:
                    c = concept(key)
                except KeyError:
                    got.append(None)
                    continue
                for m in measures:
                    for cat in c.categories:
                        sid = self.wh.find_series(c.indicator, m, region=region, industry=c.industry, category=cat)
                        if sid is None:
                            continue
                        values = self.wh.values(sid)
                        for per in periods:
                            if hit is None and per in values.index:
                                hit = (float(values[per]), sid)
                got.append(hit)
            if p.revised:  # no document date here: 环比 is not judged, the later value is shown
                hit = got[0] if got else None
                out.append(Check(NO_DATA, hit[0] if hit else None, hit[1] if hit else None, ""))
            else:
                out.append(p.judge(got))
        return out


def crosscheck_table(n: int, n_naive: int, per_doc: int = 30) -> None:
    wh = national()
    facts = make_facts(n)
    t0 = time.perf_counter()
    checker = Checker(wh)
    batched = []
    for i in range(0, len(facts), per_doc):
        batched += checker.check(facts[i:i + per_doc])
    t_batched = time.perf_counter() - t0
    t0 = time.perf_counter()
    naive = Naive(wh).check(facts[:n_naive])
    t_naive = time.perf_counter() - t0
    same = [(a.status, a.data_value) for a in batched[:n_naive]] == [(b.status, b.data_value) for b in naive]
    assert same, "the batched and the naive checker disagree"
    counts: dict[str, int] = {}
    for c in batched:
        counts[c.status] = counts.get(c.status, 0) + 1
    per_fact = t_naive / max(n_naive, 1)
    print(f"\n{'checker':30} {'facts':>7} {'seconds':>9} {'per 10k facts':>14}")
    print(f"{'batched (≤1 query/document)':30} {n:7} {t_batched:9.2f} {t_batched / n * 10000:14.2f}"
          f"  ({checker.queries} value queries for {len(facts) // per_doc} documents)")
    print(f"{'naive (queries per fact)':30} {n_naive:7} {t_naive:9.2f} {per_fact * 10000:14.2f}  (extrapolated)")
    print("verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + f"; same verdicts on the first {n_naive}: {same}")
    wh.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="1,000 facts, 50 naive")
    ap.add_argument("--facts", type=int, default=10000)
    ap.add_argument("--naive", type=int, default=300)
    args = ap.parse_args()
    n, n_naive = (1000, 50) if args.quick else (args.facts, args.naive)
    extraction_table()
    if not SHARED.exists():
        print(f"\n{SHARED} not found: the cross-check part needs the shared national data")
        return
    crosscheck_table(n, n_naive)


if __name__ == "__main__":
    main()

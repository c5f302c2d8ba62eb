"""Benchmark: linking each new document to earlier ones — full overlap on every pair vs the prefilter.

Generates a corpus of synthetic Chinese documents (seeded): most are unrelated, some are exact
copies, some quote an earlier one in part, some contain one in full. Each document is compared
with all earlier ones, as ``yacang policy ingest`` does, (a) naively with the exact overlap measure on
every pair, (b) with :func:`yacang.policy.dedup.find_links` (sampled K-gram prefilter, then the exact
measure). Prints times and checks both find the same links.

    python benchmarks/policy_dedup.py [--quick] [--docs N]
"""

from __future__ import annotations

import argparse
import random
import time

from yacang.policy.dedup import find_links, overlap

HAN = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]


def sentence(rng: random.Random) -> str:
    return "".join(rng.choice(HAN) for _ in range(rng.randint(15, 50))) + rng.choice("。，；")


def make_corpus(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    docs: list[str] = []
    for _ in range(n):
        kind = rng.random()
        if docs and kind < 0.05:  # exact copy with different line breaks
            docs.append(rng.choice(docs).replace("。", "。\n"))
        elif docs and kind < 0.12:  # a news item quoting the opening of an earlier document
            src = rng.choice(docs)
            docs.append("".join(sentence(rng) for _ in range(8)) + "\n原文如下：\n" + src[: len(src) * 2 // 3])
        elif docs and kind < 0.16:  # a report containing an earlier document in full
            docs.append("".join(sentence(rng) for _ in range(3)) + "\n" + rng.choice(docs))
        else:
            docs.append("\n".join("".join(sentence(rng) for _ in range(4)) for _ in range(rng.randint(5, 15))))
    return docs


def naive(docs: list[str]) -> set[tuple[int, int, str]]:
    links = set()
    for i, text in enumerate(docs):
        for j in range(i):
            ov = overlap(text, docs[j])
            if ov.linked:
                links.add((i, j, ov.relation))
    return links


def prefiltered(docs: list[str]) -> set[tuple[int, int, str]]:
    links = set()
    for i, text in enumerate(docs):
        for j, ov in find_links(text, list(enumerate(docs[:i]))):
            links.add((i, j, ov.relation))
    return links


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small corpus (80 documents)")
    ap.add_argument("--docs", type=int, default=None)
    args = ap.parse_args()
    n = args.docs or (80 if args.quick else 200)
    docs = make_corpus(n)
    chars = sum(len(d) for d in docs)
    print(f"语料：{n} 篇，共 {chars:,} 字，两两比较 {n * (n - 1) // 2:,} 对")
    rows = []
    for name, fn in (("逐对精确重合度（基线）", naive), ("抽样预筛 + 精确重合度", prefiltered)):
        t0 = time.perf_counter()
        links = fn(docs)
        rows.append((name, time.perf_counter() - t0, links))
    base = rows[0][1]
    print(f"{'方法':<24}{'耗时(秒)':>10}{'加速':>8}{'关联数':>8}")
    for name, secs, links in rows:
        print(f"{name:<24}{secs:>10.2f}{base / secs:>7.1f}x{len(links):>8}")
    same = rows[0][2] == rows[1][2]
    print("两种方法找到的关联" + ("完全相同" if same else f"不同：基线多 {len(rows[0][2] - rows[1][2])}，预筛多 {len(rows[1][2] - rows[0][2])}"))
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Throughput of OpenCC 1.4.2 (Python package) on the shared corpora, best of N runs.

    pip install opencc==1.4.2
    python3 scripts/bench_opencc.py ../shared/corpora/*.txt
"""
import sys
import time

import opencc

RUNS = 3


def main(paths):
    configs = ["s2twp", "s2tw", "s2t", "t2s", "tw2s"]
    print("| corpus | MB | " + " | ".join(f"OpenCC {c}" for c in configs) + " |")
    print("|---|---|" + "---|" * len(configs))
    for path in paths:
        text = open(path, encoding="utf-8").read()
        mb = len(text.encode("utf-8")) / 1e6
        cells = []
        for c in configs:
            cc = opencc.OpenCC(c)
            best = float("inf")
            for _ in range(RUNS):
                t = time.perf_counter()
                cc.convert(text)
                best = min(best, time.perf_counter() - t)
            cells.append(f"{mb / best:.1f}")
        print(f"| {path.rsplit('/', 1)[-1]} | {mb:.2f} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])

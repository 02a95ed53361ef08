#!/usr/bin/env python3
"""Throughput of OpenCC 1.4.2 (Python package) on the shared corpora, best of N runs.

    pip install opencc==1.4.2
    python3 scripts/bench_opencc.py ../shared/corpora/*.txt
"""
import sys
import time

import opencc

RUNS = 5


def main(paths):
    configs = ["s2twp", "s2tw", "s2t", "t2s", "tw2s"]
    print(f"MB/s by CPU time over {RUNS} runs (best wall time in parentheses):\n")
    print("| corpus | MB | " + " | ".join(f"OpenCC {c}" for c in configs) + " |")
    print("|---|---|" + "---|" * len(configs))
    for path in paths:
        text = open(path, encoding="utf-8").read()
        mb = len(text.encode("utf-8")) / 1e6
        cells = []
        for c in configs:
            cc = opencc.OpenCC(c)
            best_wall = float("inf")
            c = time.thread_time()
            for _ in range(RUNS):
                t = time.perf_counter()
                cc.convert(text)
                best_wall = min(best_wall, time.perf_counter() - t)
            cpu = time.thread_time() - c
            cells.append(f"{mb * RUNS / cpu:.1f} ({mb / best_wall:.1f})")
        print(f"| {path.rsplit('/', 1)[-1]} | {mb:.2f} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])

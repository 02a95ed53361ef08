#!/usr/bin/env python3
"""Throughput of OpenCC 1.4.2 (the `opencc` PyPI package) on the inputs of benches/convert.rs.

Usage: pip install opencc==1.4.2; python3 scripts/bench_opencc_convert.py [--mb 10] [--runs 5]

Inputs are built exactly as the Rust bench builds them: the shared corpora (`*-cn.txt` for s2t
and s2twp, `*-tw.txt` for t2s) concatenated in name order and repeated to the target size, cut
at the last line end; and the seed converted to Simplified (t2s) and to Traditional (s2t),
repeated the same way. zhfix is byte-identical to OpenCC 1.4.2, so converting the seed with
OpenCC here yields the very text the Rust bench converts with zhfix. Prints MB/s of input
(MB = 10^6 bytes) per second of the thread's CPU time (as the Rust bench counts), median of the
runs; the conversion call alone is timed (one call over the whole input).
"""

import argparse
import os
import statistics
import time

import opencc

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = os.path.join(ROOT, "seeds", "000_f3976092b292c533.txt")
# $ZHFIX_SHARED, else ../shared next to the checkout (CI), else ../../shared (a worktree).
CORPORA = next((d for d in [
    os.path.join(os.environ.get("ZHFIX_SHARED", "/nonexistent"), "corpora"),
    os.path.join(ROOT, "..", "shared", "corpora"),
    os.path.join(ROOT, "..", "..", "shared", "corpora"),
] if os.path.isdir(d)), "/nonexistent")


def repeat_to(parts, size):
    unit = "".join(parts).encode("utf-8")
    if not unit:
        return ""
    data = unit * (size // len(unit) + 1)
    if len(data) > size:
        cut = data.rfind(b"\n", 0, size)
        cut = size if cut < 0 else cut + 1
        while cut > 0 and (data[cut] & 0xC0) == 0x80:
            cut -= 1
        data = data[:cut]
    return data.decode("utf-8")


def corpora(suffix):
    if not os.path.isdir(CORPORA):
        return None
    names = sorted(n for n in os.listdir(CORPORA) if n.endswith(suffix))
    texts = [open(os.path.join(CORPORA, n), encoding="utf-8").read() for n in names]
    return texts or None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=10)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    size = args.mb * 1_000_000
    print(f"OpenCC {opencc.__version__ if hasattr(opencc, '__version__') else '?'} (Python), "
          f"input repeated to {size / 1e6:.1f} MB, median of {args.runs} runs, "
          "MB/s of input per thread CPU second")

    seed = open(SEED, encoding="utf-8").read()
    hans = opencc.OpenCC("t2s").convert(seed)
    hant = opencc.OpenCC("s2t").convert(seed)
    inputs = []
    cn, tw = corpora("-cn.txt"), corpora("-tw.txt")
    if cn and tw:
        cn, tw = repeat_to(cn, size), repeat_to(tw, size)
        inputs += [("s2t", "corpus", cn), ("t2s", "corpus", tw), ("s2twp", "corpus", cn)]
    else:
        print("../shared/corpora not found: skipping the corpus inputs")
    hans, hant = repeat_to([hans], size), repeat_to([hant], size)
    inputs += [("s2t", "han-dense", hans), ("t2s", "han-dense", hant),
               ("s2twp", "han-dense", hans)]

    print(f"{'config':<6} {'input':<10} {'opencc':>8}")
    for config, label, text in inputs:
        cc = opencc.OpenCC(config)
        cc.convert(text[:1000])
        nbytes = len(text.encode("utf-8"))
        times = []
        for _ in range(args.runs):
            start = time.thread_time()
            cc.convert(text)
            times.append(time.thread_time() - start)
        print(f"{config:<6} {label:<10} {nbytes / 1e6 / statistics.median(times):>8.1f}")


if __name__ == "__main__":
    main()

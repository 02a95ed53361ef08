#!/usr/bin/env python3
"""Scores zhfix (target conversion), OpenCC 1.4.2 and zhconv on tests/data/target/*.tsv.

    pip install opencc==1.4.2
    cargo run --release --example target_eval > /tmp/target_eval.tsv
    python3 scripts/eval_target.py /tmp/target_eval.tsv [--list]

OpenCC runs each case with the config named in the file (s2t, s2twp, t2s, tw2s, tw2sp). Like
tests/target_eval.rs, Traditional outputs are compared after folding Taiwan/Hong Kong variant
characters to OpenCC's standard (tw2t then hk2t), so only word choices count.
"""
import sys

import opencc

FOLD = [opencc.OpenCC("tw2t"), opencc.OpenCC("hk2t")]


def fold(s):
    for c in FOLD:
        s = c.convert(s)
    return s


def main(path, show):
    others = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            file, n, ours, zhconv = line.rstrip("\n").split("\t")
            others[(file, int(n))] = (ours, zhconv)
    converters = {}
    print("| half | cases | zhfix errors | OpenCC 1.4.2 errors | zhconv errors |")
    print("|---|---|---|---|---|")
    for file in ["tune.tsv", "heldout.tsv"]:
        counts = [0, 0, 0]
        total = 0
        with open(f"tests/data/target/{file}", encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if line.startswith("#") or not line.strip():
                    continue
                config, inp, expected = line.rstrip("\n").split("\t")[:3]
                cc = converters.setdefault(config, opencc.OpenCC(config))
                ours, zhconv = others[(file, n)]
                outs = [ours, cc.convert(inp), zhconv]
                total += 1
                for i, out in enumerate(outs):
                    if fold(out) != fold(expected):
                        counts[i] += 1
                        if show:
                            print(f"  {file} {['zhfix', 'opencc', 'zhconv'][i]} {config} {inp} -> {out} (expected {expected})", file=sys.stderr)
        print(f"| {file.removesuffix('.tsv')} | {total} | {counts[0]} | {counts[1]} | {counts[2]} |")


if __name__ == "__main__":
    main(sys.argv[1], "--list" in sys.argv)

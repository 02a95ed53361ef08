#!/usr/bin/env python3
"""Scores ftfy and charset-normalizer + ftfy on the repair evaluation set.

Usage (after `cargo run --release --example repair_eval`, which writes eval/repair_set.tsv):
    pip install ftfy charset-normalizer rapidfuzz
    python3 scripts/repair_eval_ftfy.py eval/repair_set.tsv

Prints one Markdown table per tool, with the same columns as the zhfix table: per family and
mode, exact recoveries and character error rate (edit distance / clean length).
"""
import sys
from collections import defaultdict

import charset_normalizer
import ftfy
from rapidfuzz.distance import Levenshtein


def unescape(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            out.append({"t": "\t", "n": "\n", "\\": "\\"}.get(s[i + 1], s[i + 1]))
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def cn_then_ftfy(text):
    best = charset_normalizer.from_bytes(text.encode("utf-8")).best()
    return ftfy.fix_text(str(best) if best is not None else text)


TOOLS = [
    ("ftfy.fix_text (default)", ftfy.fix_text),
    ("ftfy.fix_text (fix_character_width=False)", lambda t: ftfy.fix_text(t, fix_character_width=False)),
    ("charset-normalizer + ftfy.fix_text", cn_then_ftfy),
]


def main():
    rows = []
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            family, mode, clean, damaged = line.rstrip("\n").split("\t")
            rows.append((family, mode, unescape(clean), unescape(damaged)))
    for name, tool in TOOLS:
        stats = defaultdict(lambda: [0, 0, 0, 0])
        for family, mode, clean, damaged in rows:
            fixed = tool(damaged)
            s = stats[(family, mode)]
            s[0] += 1
            s[1] += fixed == clean
            s[2] += Levenshtein.distance(fixed, clean)
            s[3] += len(clean)
        print(f"\n### {name}\n")
        print("| family | mode | n | exact | CER |")
        print("|---|---|---:|---:|---:|")
        for (family, mode), (n, exact, errors, chars) in sorted(stats.items()):
            print(f"| {family} | {mode} | {n} | {100 * exact / n:.1f}% | {100 * errors / max(chars, 1):.2f}% |")


if __name__ == "__main__":
    main()

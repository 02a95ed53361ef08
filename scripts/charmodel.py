#!/usr/bin/env python3
"""Regenerate data/charmodel/ from the jieba word list (MIT) and OpenCC 1.4.2.

Usage:
    pip download --no-deps -d /tmp/jb jieba==0.42.1 && tar xzf /tmp/jb/jieba-0.42.1.tar.gz -C /tmp/jb
    pip install opencc==1.4.2
    python3 scripts/charmodel.py /tmp/jb/jieba-0.42.1/jieba/dict.txt data/charmodel

Every word of jieba's dict.txt ("word freq tag") contributes its frequency to each of its Han
characters (unigram) and to each adjacent pair of Han characters inside the word (bigram).
The Traditional model is the same list converted word by word with OpenCC s2t. Only pairs
seen with a total weight of at least MIN_BIGRAM are kept, so the data stays small.

jieba's single-character entries tagged as morphemes or status words (zg, z, g, ng, vg, ag, x)
carry inflated counts for rare characters (e.g. 涓 12958, 屾 3031): such an entry counts at most
NOISY_SINGLE_MAX.
"""
import sys
from collections import Counter

import opencc

MIN_BIGRAM = 5
NOISY_SINGLE_MAX = 3
NOISY_TAGS = {"zg", "z", "g", "ng", "vg", "ag", "x"}


def is_han(c):
    o = ord(c)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF


def count(words):
    uni, bi = Counter(), Counter()
    for w, f in words:
        for i, c in enumerate(w):
            if is_han(c):
                uni[c] += f
                if i + 1 < len(w) and is_han(w[i + 1]):
                    bi[c + w[i + 1]] += f
    return uni, bi


def write(path, uni, bi):
    with open(path, "w", encoding="utf-8") as out:
        for c, n in sorted(uni.items(), key=lambda kv: (-kv[1], kv[0])):
            out.write(f"{c}\t{n}\n")
        for p, n in sorted(bi.items(), key=lambda kv: (-kv[1], kv[0])):
            if n >= MIN_BIGRAM:
                out.write(f"{p}\t{n}\n")


def main():
    src, out_dir = sys.argv[1], sys.argv[2]
    words = []
    with open(src, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                word, freq = parts[0], int(parts[1])
                tag = parts[2] if len(parts) > 2 else ""
                if len(word) == 1 and tag in NOISY_TAGS:
                    freq = min(freq, NOISY_SINGLE_MAX)
                words.append((word, freq))
    s2t = opencc.OpenCC("s2t")
    trad = [(s2t.convert(w), f) for w, f in words]
    write(f"{out_dir}/hans.tsv", *count(words))
    write(f"{out_dir}/hant.tsv", *count(trad))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Check (or print) the block ranges of data/punct/classes.tsv against Unicode's Blocks.txt.

classes.tsv is hand-curated: which blocks count as Chinese context, which single characters are
brackets, quotes or look-through marks. The block ranges must match Blocks.txt of the Unicode
version named in data/punct/LICENSE. Usage:

    python3 scripts/punct_classes.py Blocks.txt            # check every named block range
    python3 scripts/punct_classes.py Blocks.txt --print    # print cjk lines for the blocks

Blocks.txt: https://www.unicode.org/Public/15.1.0/ucd/Blocks.txt (not needed by the build).
"""
import pathlib
import sys

CJK_BLOCKS = [
    "CJK Radicals Supplement", "Kangxi Radicals", "Ideographic Description Characters",
    "CJK Symbols and Punctuation", "Hiragana", "Katakana", "Bopomofo", "Kanbun",
    "Bopomofo Extended", "CJK Strokes", "Katakana Phonetic Extensions",
    "Enclosed CJK Letters and Months", "CJK Compatibility", "CJK Unified Ideographs Extension A",
    "CJK Unified Ideographs", "CJK Compatibility Ideographs", "Vertical Forms",
    "CJK Compatibility Forms", "Small Form Variants", "Ideographic Symbols and Punctuation",
    "Kana Supplement", "Kana Extended-A", "Small Kana Extension",
    "Enclosed Ideographic Supplement",
]


def blocks(path):
    out = {}
    for line in pathlib.Path(path).read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        rng, name = line.split(";")
        lo, hi = rng.split("..")
        out[name.strip()] = (int(lo, 16), int(hi, 16))
    return out


def covered(path):
    ranges = []
    for line in pathlib.Path(path).read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        start, end, cls = line.split("\t")[:3]
        if cls == "cjk":
            ranges.append((int(start, 16), int(end, 16)))
    return ranges


def main():
    table = blocks(sys.argv[1])
    if "--print" in sys.argv:
        for name in CJK_BLOCKS:
            lo, hi = table[name]
            print(f"{lo:04X}\t{hi:04X}\tcjk\t{name}")
        return 0
    here = pathlib.Path(__file__).resolve().parent.parent / "data/punct/classes.tsv"
    ranges = covered(here)
    missing = [n for n in CJK_BLOCKS
               if not any(lo <= table[n][0] and table[n][1] <= hi for lo, hi in ranges)]
    for name in missing:
        print(f"not covered as cjk: {name} {table[name][0]:04X}..{table[name][1]:04X}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())

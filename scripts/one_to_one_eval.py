#!/usr/bin/env python3
"""How well `fix --to` converts Traditional text made by a character table.

Usage:
    cargo build --release
    python3 scripts/one_to_one_eval.py [ZHFIX_BINARY] [SHARED_DIR]

Puts the Simplified corpora of ../shared/corpora (*-cn.txt) through a one-to-one character
table, as crawled pages often are: each character that only Simplified has takes its first
Traditional form in OpenCC's STCharacters.txt (data/opencc/), every other character stays (so
终于 becomes 終于, 三个月里 becomes 三個月里). Then it converts that text and the Simplified
original with `zhfix fix --to TARGET` and counts the lines with Han characters whose outputs
are equal: ideally all, since both texts have one original. The one-to-one texts go to a
temporary directory, never into the repository (the corpora are GPL).
"""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def one_to_one_table():
    table = {}
    path = os.path.join(ROOT, "data/opencc/dictionary/STCharacters.txt")
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 2:
                values = parts[1].split(" ")
                if parts[0] not in values:
                    table[parts[0]] = values[0]
    return table


def has_han(line):
    return any("\u3400" <= c <= "\u9fff" for c in line)


def fix(binary, target, path):
    out = subprocess.run(
        [binary, "fix", "--to", target, path], check=True, capture_output=True
    ).stdout
    return out.decode("utf-8").split("\n")


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/zhfix")
    shared = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "../shared")
    table = one_to_one_table()
    print("| corpus | target | Han lines | equal to the Simplified original's output |")
    print("|---|---|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for name in ["debref-cn", "maint-cn"]:
            source = os.path.join(shared, "corpora", f"{name}.txt")
            with open(source, encoding="utf-8") as f:
                text = f.read()
            converted = os.path.join(tmp, f"{name}-one-to-one.txt")
            with open(converted, "w", encoding="utf-8") as f:
                f.write("".join(table.get(c, c) for c in text))
            for target in ["zh-TW", "zh-HK", "zh-Hant"]:
                want = fix(binary, target, source)
                got = fix(binary, target, converted)
                lines = [i for i, line in enumerate(want) if has_han(line)]
                same = sum(1 for i in lines if i < len(got) and got[i] == want[i])
                print(
                    f"| {name} | {target} | {len(lines)} | {same} ({100 * same / len(lines):.1f}%) |"
                )


if __name__ == "__main__":
    main()

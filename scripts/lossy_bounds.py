#!/usr/bin/env python3
"""How exact a line-level repair of the lossy families can be, from the holes in the damage.

Usage:
    cargo run --release --example repair_eval -- 200      # writes eval/repair_set.tsv
    python3 scripts/lossy_bounds.py eval/repair_set.tsv [FAMILY/MODE=EXACT% ...]

A damaged line comes back exactly only if every hole (a U+FFFD of the damaged text: one or
more lost bytes) is filled right. If each hole is filled right with probability p,
independently, the share of exact lines is the mean over lines of p^holes. The script prints,
per lossy family and mode, the holes per line, the p a repairer needs for 60% exact lines,
and the exact share it would reach at p = 0.90, 0.95, 0.98. With FAMILY/MODE=EXACT% arguments
(zhfix's measured exact share, from repair_eval's table) it also prints the per-hole accuracy
that share implies, on the same model.
"""
import statistics
import sys

FAMILIES = [
    "utf8-as-gbk",
    "gbk-punct-replacement",
    "gbk-as-big5",
    "utf8-as-shift-jis",
    "utf8-as-euc-kr",
    "utf8-as-big5",
]


def rate(holes, p):
    return sum(p**h for h in holes) / len(holes)


def solve(holes, target):
    lo, hi = 0.0, 1.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if rate(holes, mid) < target:
            lo = mid
        else:
            hi = mid
    return hi


def main():
    path = sys.argv[1]
    measured = {}
    for arg in sys.argv[2:]:
        key, value = arg.split("=")
        measured[key] = float(value.rstrip("%")) / 100
    holes = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 4 and parts[0] in FAMILIES:
                holes.setdefault((parts[0], parts[1]), []).append(parts[3].count("\ufffd"))
    print("| family | mode | lines | holes per line (mean, median) | p for 60% exact | exact at p=0.90 / 0.95 / 0.98 | zhfix exact | implied p |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for family in FAMILIES:
        for mode in ["whole", "clause"]:
            hs = holes.get((family, mode))
            if not hs:
                continue
            key = f"{family}/{mode}"
            got = measured.get(key)
            if got is None:
                implied, shown = "", ""
            elif got == 0:
                # No exact line: p is below where one line in the set would be expected exact.
                implied, shown = f"< {solve(hs, 1 / len(hs)):.3f}", "0.0%"
            else:
                implied, shown = f"{solve(hs, got):.3f}", f"{100 * got:.1f}%"
            at = " / ".join(f"{100 * rate(hs, p):.1f}%" for p in (0.90, 0.95, 0.98))
            print(
                f"| {family} | {mode} | {len(hs)} | {statistics.mean(hs):.1f}, {statistics.median(hs):g} "
                f"| {solve(hs, 0.6):.3f} | {at} | {shown} | {implied} |"
            )


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Counts false GBK-punctuation repairs: puts a genuine `?!` or `?,` after a random Han
character of every line of the shared corpora that has one (seed 7), runs `zhfix fix` over the
lines and prints how many come back changed, with the first few.

    cargo build --release
    python3 scripts/gbk_punct_false_repairs.py [../shared/corpora] [target/release/zhfix]
"""
import random
import re
import subprocess
import sys
from pathlib import Path

corpora = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpora")
zhfix = sys.argv[2] if len(sys.argv) > 2 else "target/release/zhfix"
rng = random.Random(7)
lines = []
for name in ["debref-cn", "debref-tw", "maint-cn", "maint-tw"]:
    for line in (corpora / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        ends = [m.end() for m in re.finditer(r"[\u4e00-\u9fff]", line)]
        if ends:
            p = rng.choice(ends)
            lines.append(line[:p] + rng.choice(["?!", "?,"]) + line[p:])
text = "\n".join(lines) + "\n"
out = subprocess.run([zhfix, "fix"], input=text.encode(), capture_output=True, check=True)
changed = [(a, b) for a, b in zip(lines, out.stdout.decode().split("\n")) if a != b]
print(f"{len(changed)} of {len(lines)} lines changed")
for a, b in changed[:10]:
    print(f"  {a.strip()[:70]}\n  -> {b.strip()[:70]}")

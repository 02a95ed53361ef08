#!/usr/bin/env python3
"""Generate OpenCC 1.4.2 golden files for the shared (GPL) corpora, as per-line hashes.

The corpora may not be copied into the repository, so for every config this writes
tests/golden/opencc/<config>.txt with one line per corpus line that OpenCC changes:

    <corpus file>:<line number> <first 12 hex digits of sha256(converted line)>

Lines not listed must come out unchanged. Simplified corpora (*-cn.txt) feed the s2* configs,
Traditional ones (*-tw.txt) the rest. tests/opencc_corpora.rs checks zhfix against these.

Usage: pip install opencc==1.4.2 && python3 scripts/opencc_golden.py [../shared/corpora]
"""
import hashlib
import os
import sys

import opencc

assert opencc.__version__ == "1.4.2", opencc.__version__

CONFIGS = "s2t t2s s2tw tw2s s2twp tw2sp s2hk hk2s s2hkp hk2sp t2tw tw2t t2hk hk2t t2jp jp2t".split()
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
corpora = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "corpora")
out_dir = os.path.join(ROOT, "tests", "golden", "opencc")
os.makedirs(out_dir, exist_ok=True)

for config in CONFIGS:
    converter = opencc.OpenCC(config)
    suffix = "-cn.txt" if config.startswith("s2") else "-tw.txt"
    rows = []
    for name in sorted(f for f in os.listdir(corpora) if f.endswith(suffix)):
        with open(os.path.join(corpora, name), encoding="utf-8", newline="") as f:
            text = f.read()
        for number, line in enumerate(text.split("\n"), start=1):
            converted = converter.convert(line)
            if converted != line:
                digest = hashlib.sha256(converted.encode("utf-8")).hexdigest()[:12]
                rows.append(f"{name}:{number} {digest}\n")
    with open(os.path.join(out_dir, config + ".txt"), "w", encoding="utf-8") as f:
        f.write(f"# OpenCC {opencc.__version__} {config}: changed lines of ../shared/corpora/*{suffix}\n")
        f.writelines(rows)
    print(config, len(rows), "changed lines")

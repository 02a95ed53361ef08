#!/usr/bin/env python3
"""Compares `zhfix convert` with OpenCC 1.4.2 (the `opencc` PyPI package), whole outputs.

Usage: pip install opencc==1.4.2; cargo build --release;
       python3 scripts/check_opencc_exact.py [target/release/zhfix]

All 16 configs: s2* over the shared `*-cn.txt` corpora, the others over `*-tw.txt`, plus the seed
and a stress text of dictionary keys and values glued together with ASCII and punctuation
(generated from data/opencc/dictionary, seeded, never written into the repository); the s2*
configs also over a 1.5 MB text of Simplified and regional phrases glued mostly without
separators (`glued_text`).
Exit status 1 on any difference.
"""

import glob
import os
import random
import subprocess
import sys
import tempfile

import opencc

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIGS = ("s2t t2s s2tw tw2s s2twp tw2sp s2hk hk2s s2hkp hk2sp "
           "t2tw tw2t t2hk hk2t t2jp jp2t").split()


def shared_corpora():
    for d in [os.environ.get("ZHFIX_SHARED", "/nonexistent"),
              os.path.join(ROOT, "..", "shared"), os.path.join(ROOT, "..", "..", "shared")]:
        if os.path.isdir(os.path.join(d, "corpora")):
            return sorted(glob.glob(os.path.join(d, "corpora", "*.txt")))
    return []


def dictionary_tokens(path):
    """The keys and values of one OpenCC text dictionary."""
    tokens = []
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or "\t" not in line:
            continue
        key, values = line.rstrip("\n").split("\t", 1)
        tokens.append(key)
        tokens.extend(values.split(" "))
    return tokens


def stress_text():
    rng = random.Random(7)
    tokens = []
    for f in sorted(glob.glob(os.path.join(ROOT, "data", "opencc", "dictionary", "*.txt"))):
        tokens.extend(dictionary_tokens(f))
    seps = ["", "", "", "", " ", "，", "a", "B", "\n", "SQL", "U", "的", "了"]
    out = []
    for _ in range(60000):
        t = rng.choice(tokens)
        if rng.random() < 0.3 and len(t) > 1:
            i = rng.randrange(len(t))
            t = t[i:] if rng.random() < 0.5 else t[:i]
        out.append(t + rng.choice(seps))
    return "".join(out)


def glued_text():
    """Simplified text for the s2* configs where the composed phrases (the regional phrases
    pulled back to Simplified, see build/opencc.rs) meet segmentation phrases and each other:
    the regional phrases and variants in OpenCC's own Simplified form, with the Simplified
    phrases and characters, glued mostly without separators, with pieces of keys for overlaps.
    (An engine whose composed_match skipped its check for a segmentation match inside the
    phrase gave 10 mismatches over all inputs, the glued text of s2hk and s2hkp among them.)"""
    rng = random.Random(11)
    t2s = opencc.OpenCC("t2s")

    def tokens(name):
        return dictionary_tokens(os.path.join(ROOT, "data", "opencc", "dictionary", name))

    simplified = []
    for name in ("STPhrases.txt", "STCharacters.txt", "STPhrases_GeneratedFromRegionalPhrases.txt"):
        simplified += tokens(name)
    regional = []
    for name in ("TWPhrases.txt", "TWVariants.txt", "HKVariants.txt", "HKPhrases.txt"):
        regional += [t2s.convert(t) for t in tokens(name)]
    pool = simplified + regional * 8
    seps = ["\n", "，", "。", " ", "USB", "P", "S"]
    out, size = [], 0
    while size < 1_500_000:
        t = rng.choice(pool)
        if len(t) > 2 and rng.random() < 0.3:
            i = rng.randrange(len(t))
            t = t[i:rng.randrange(i + 1, len(t) + 1)]
        out.append(t)
        size += len(t.encode("utf-8"))
        if rng.random() < 0.02:
            out.append(rng.choice(seps))
    return "".join(out)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "release", "zhfix")
    corpora = shared_corpora()
    if not corpora:
        print("../shared/corpora not found: checking the seed and the stress text only")
    tmp = tempfile.mkdtemp()
    stress = os.path.join(tmp, "stress.txt")
    open(stress, "w", encoding="utf-8").write(stress_text())
    glued = os.path.join(tmp, "glued.txt")
    open(glued, "w", encoding="utf-8").write(glued_text())
    seed = os.path.join(ROOT, "seeds", "000_f3976092b292c533.txt")
    bad = 0
    for config in CONFIGS:
        suffix = "-cn.txt" if config.startswith("s2") else "-tw.txt"
        inputs = [f for f in corpora if f.endswith(suffix)] + [seed, stress]
        if config.startswith("s2"):
            inputs.append(glued)
        cc = opencc.OpenCC(config)
        for path in inputs:
            expected = cc.convert(open(path, encoding="utf-8").read()).encode("utf-8")
            got = subprocess.run([binary, "convert", "-c", config, path],
                                 capture_output=True, check=False).stdout
            if got != expected:
                bad += 1
                print(f"MISMATCH {config} {path}")
    print(f"checked {len(CONFIGS)} configs; mismatches: {bad}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()

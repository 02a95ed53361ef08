#!/usr/bin/env python3
"""How sparse the phrase checks of a config can be: the numbers behind the engine's design.

Usage: pip install opencc==1.4.2; python3 scripts/sparse_bounds.py [s2t|s2twp ...]

For each config it prints, over the two benchmark inputs (han-dense: the seed in Simplified
form; corpus: the shared `*-cn.txt` corpora), per Han character of the input:
- `differing occurrences`: places where a *differing* key starts (a key whose value is not what
  converting it character by character gives). Wherever such a key is a segment, the output
  differs from character-by-character conversion, so any exact engine has to look closer at
  least this often (a lower bound on the windows of the sparse block path, whatever filter
  decides where to look);
- `DIFF`: characters marked as the engine marks them (every place where a differing key's
  value differs, the first character of a key whose value is not aligned with it), and the
  places where an exact filter of the pairs around them would open a window;
- the same with anchors chosen per differing key by a greedy weighted hitting set (one
  character per key, weighted by its frequency in these very inputs, an upper bound on what
  any frequency list could give).

For s2twp the keys are the segmentation phrases (their value is what OpenCC makes of them
alone) and the Taiwan phrases pulled back through s2t's characters (the composed phrases the
fused table carries, enumerated here from the reverse character map, a close approximation).
"""

import collections
import glob
import itertools
import math
import os
import sys

import opencc

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DICT = os.path.join(ROOT, "data", "opencc", "dictionary")


def load(name):
    """An OpenCC text dictionary: key -> first value (first line of a key wins)."""
    entries = {}
    with open(os.path.join(DICT, name), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            key, values = line.rstrip("\n").split("\t")
            entries.setdefault(key, values.split(" ")[0])
    return entries


def is_han(c):
    return "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" or c >= "\U00020000"


def inputs():
    seed = open(os.path.join(ROOT, "seeds", "000_f3976092b292c533.txt"), encoding="utf-8").read()
    texts = {"han-dense": opencc.OpenCC("t2s").convert(seed)}
    for d in [os.environ.get("ZHFIX_SHARED", "/nonexistent"), os.path.join(ROOT, "..", "shared")]:
        files = sorted(glob.glob(os.path.join(d, "corpora", "*-cn.txt")))
        if files:
            texts["corpus"] = "".join(open(p, encoding="utf-8").read() for p in files)
            break
    return texts


def keys_of(config):
    """The config's keys of two or more characters with their values, and the conversion of a
    single character."""
    chars = load("STCharacters.txt")
    if config == "s2t":
        keys = dict(load("STPhrases.txt"))
        return keys, lambda c: chars.get(c, c)
    cc = opencc.OpenCC(config)
    memo = {}

    def single(c):
        if c not in memo:
            memo[c] = cc.convert(c)
        return memo[c]

    keys = {}
    for name in ("STPhrases.txt", "STPhrases_GeneratedFromRegionalPhrases.txt"):
        for key in load(name):
            keys[key] = cc.convert(key)
    sources = collections.defaultdict(set)
    for s, t in chars.items():
        sources[t].add(s)
    regional = {}
    for name in ("TWPhrases.txt", "TWVariantsPhrases.txt"):
        regional.update(load(name))
    for phrase in regional:
        options = [sources.get(t, set()) | ({t} if t not in chars else set()) or {t}
                   for t in phrase]
        if math.prod(len(o) for o in options) > 64:
            options = [sorted(o)[:2] for o in options]
        for source in itertools.product(*options):
            source = "".join(source)
            if len(source) >= 2 and source not in keys:
                keys[source] = cc.convert(source)
    return keys, single


def aligned(key, value, singles):
    return len(value) == len(key) and all(len(s) == 1 for s in singles)


def main():
    texts = inputs()
    for config in sys.argv[1:] or ["s2t", "s2twp"]:
        keys, single = keys_of(config)
        keys = {k: v for k, v in keys.items() if len(k) >= 2}
        differing = [k for k, v in keys.items() if "".join(map(single, k)) != v]
        print(f"{config}: {len(keys)} keys of two or more characters, {len(differing)} differing")

        # Where each differing key is marked: as the engine marks it (`DIFF`), or at one anchor.
        diff_places, forced = {}, set()
        for key in differing:
            singles = [single(c) for c in key]
            if aligned(key, keys[key], singles):
                diff_places[key] = [i for i, (v, s) in enumerate(zip(keys[key], singles)) if v != s]
            else:
                diff_places[key] = [0]
                forced.add(key[0])

        weight = collections.Counter()
        for text in texts.values():
            for c, n in collections.Counter(text).items():
                weight[c] += n / len(text)
        anchors = set(forced)
        open_keys = {i for i, k in enumerate(differing) if not set(k) & anchors}
        holders = collections.defaultdict(set)
        for i in open_keys:
            for c in set(differing[i]):
                if not c.isascii():
                    holders[c].add(i)
        while open_keys:
            best = max(holders, key=lambda c: len(holders[c] & open_keys) / (weight[c] + 1e-7))
            anchors.add(best)
            open_keys -= holders[best]
        anchor_places = {}
        for key in differing:
            if key[0] in forced and diff_places[key] == [0]:
                anchor_places[key] = [0]
            else:
                anchor_places[key] = [next(i for i, c in enumerate(key) if c in anchors)]

        starts = collections.defaultdict(set)
        for key in differing:
            starts[key[0]].add(len(key))
        differing_set = set(differing)
        for name, text in texts.items():
            han = sum(1 for c in text if is_han(c))
            occurrences = sum(
                1 for i, c in enumerate(text)
                if c in starts and any(text[i:i + n] in differing_set for n in starts[c]))
            print(f"  {name}: {han} Han characters; differing occurrences "
                  f"{100 * occurrences / han:.2f}%")
            for label, places in (("DIFF", diff_places), ("anchors", anchor_places)):
                marked, pairs = set(), set()
                for key, at in places.items():
                    for i in at:
                        marked.add(key[i])
                        if i > 0:
                            pairs.add(key[i - 1:i + 1])
                        if i + 1 < len(key):
                            pairs.add(key[i:i + 2])
                flagged = sum(1 for c in text if c in marked)
                windows = sum(
                    1 for i, c in enumerate(text)
                    if c in marked and (text[i - 1:i + 1] in pairs or text[i:i + 2] in pairs))
                print(f"    {label}: {len(marked)} characters, flagged {100 * flagged / han:.1f}%, "
                      f"exact pair filter passes {100 * windows / han:.2f}%")


if __name__ == "__main__":
    main()

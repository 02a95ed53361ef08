#!/usr/bin/env python3
"""Encoding detection accuracy: zhfix vs chardetng alone vs charset-normalizer vs chardet.

Test files: chardet's own test suite (scripts/fetch_chardet_tests.sh puts it in eval/), every
directory for Chinese, Japanese and Korean. Each file is judged whole and truncated to 32, 64,
128 and 512 bytes. An answer is right when it names the directory's encoding (up to aliases and
supersets: GB2312/GBK/gb18030, Big5/cp950/Big5-HKSCS, Shift_JIS/cp932, EUC-KR/cp949, UTF-16 with
a BOM as UTF-16LE/BE) or when it decodes the bytes to exactly the same text.

Needs: pip install chardet charset-normalizer; cargo (builds examples/eval_detect.rs).
Usage: scripts/eval_detect.py [--markdown]
"""
import codecs
import os
import subprocess
import sys
from collections import defaultdict

import chardet
import charset_normalizer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTS = os.path.join(ROOT, "eval", "chardet-6.0.0.post1", "tests")
LENGTHS = [None, 32, 64, 128, 512]

# Python codec for an encoding_rs / tool name, as used for decoding comparisons.
PY_CODEC = {
    "gbk": "gb18030", "gb2312": "gb18030", "gb18030": "gb18030", "big5": "big5hkscs",
    "shift_jis": "cp932", "shift-jis": "cp932", "cp932": "cp932", "windows-31j": "cp932",
    "euc-kr": "cp949", "cp949": "cp949", "hz-gb-2312": "hz", "utf-32le": "utf-32-le",
    "utf-32be": "utf-32-be", "utf-16le": "utf-16-le", "utf-16be": "utf-16-be",
}
FAMILY = [
    {"gb2312", "gbk", "gb18030", "cp936"},
    {"big5", "cp950", "big5hkscs", "big5-hkscs"},
    {"shift_jis", "shift-jis", "cp932", "windows-31j", "sjis", "ms932"},
    {"euc-kr", "cp949", "uhc", "ks_c_5601-1987"},
    {"hz-gb-2312", "hz"},
    {"utf-8", "utf-8-sig", "utf_8"},
]


def norm(name):
    return (name or "").strip().lower().replace("_", "-")


def same_family(a, b):
    a, b = norm(a), norm(b)
    if a == b:
        return True
    if a == "utf-16" and b in ("utf-16le", "utf-16be") or a == "utf-32" and b in ("utf-32le", "utf-32be"):
        return True
    return any(a in f and b in f for f in FAMILY)


def decoded(name, data):
    codec = PY_CODEC.get(norm(name), norm(name))
    try:
        text = codecs.decode(data, codec, errors="replace")
    except (LookupError, TypeError):
        return None
    return text.lstrip("\ufeff")


def right(expected, answer, data):
    if not answer:
        return False
    if same_family(expected, answer):
        return True
    a, b = decoded(expected, data), decoded(answer, data)
    return a is not None and a == b


def files():
    out = []
    for d in sorted(os.listdir(TESTS)):
        lang = d.rsplit("-", 1)[-1]
        if lang not in ("chinese", "japanese", "korean"):
            continue
        enc = d[: -len(lang) - 1]
        for f in sorted(os.listdir(os.path.join(TESTS, d))):
            out.append((os.path.join(TESTS, d, f), enc, lang))
    return out


def rust_answers(paths, length):
    exe = os.path.join(ROOT, "target", "release", "examples", "eval_detect")
    args = [exe] + (["--truncate", str(length)] if length else []) + paths
    res = {}
    for line in subprocess.run(args, check=True, capture_output=True, text=True).stdout.splitlines():
        path, zh, conf, ng = line.split("\t")
        res[path] = (zh, float(conf), ng)
    return res


def main():
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "eval_detect"], cwd=ROOT, check=True)
    items = files()
    paths = [p for p, _, _ in items]
    tools = ["zhfix", "chardetng", "charset-normalizer", "chardet"]
    table = {}
    calib = defaultdict(lambda: [0, 0])
    misses = []
    for length in LENGTHS:
        rust = rust_answers(paths, length)
        score = {t: [0, 0] for t in tools}
        for path, enc, lang in items:
            with open(path, "rb") as fh:
                data = fh.read()
            data = data[:length] if length else data
            zh, conf, ng = rust[path]
            cn = charset_normalizer.from_bytes(data).best()
            answers = {
                "zhfix": zh, "chardetng": ng,
                "charset-normalizer": cn.encoding if cn else None,
                "chardet": chardet.detect(data)["encoding"],
            }
            for t in tools:
                ok = right(enc, answers[t], data)
                score[t][0] += ok and lang == "chinese"
                score[t][1] += ok
                if t == "zhfix":
                    bucket = min(int(conf * 10), 9) / 10
                    calib[bucket][0] += ok
                    calib[bucket][1] += 1
                    if not ok and (length is None or "--all-misses" in sys.argv):
                        misses.append(f"{length or 'full'} {os.path.relpath(path, TESTS)}: {zh} ({conf:.2f})")
        table[length] = score
    n_zh = sum(1 for _, _, lang in items if lang == "chinese")
    print(f"Files: {len(items)} ({n_zh} Chinese). Cells: right Chinese / right overall.\n")
    print("| tool | " + " | ".join("full" if l is None else f"{l} B" for l in LENGTHS) + " |")
    print("|---|" + "---|" * len(LENGTHS))
    for t in tools:
        cells = [f"{table[l][t][0]}/{n_zh}, {table[l][t][1]}/{len(items)}" for l in LENGTHS]
        print(f"| {t} | " + " | ".join(cells) + " |")
    print("\nzhfix confidence calibration (all lengths pooled):\n")
    print("| confidence | verdicts | right |")
    print("|---|---|---|")
    for b in sorted(calib):
        ok, n = calib[b]
        print(f"| {b:.1f}-{b + 0.1:.1f} | {n} | {ok / n:.1%} |")
    hi = [calib[b] for b in calib if b >= 0.9]
    ok, n = sum(x[0] for x in hi), sum(x[1] for x in hi)
    print(f"\nconfidence >= 0.9: {ok}/{n} right ({ok / max(n, 1):.2%})")
    if misses:
        print("\nzhfix misses on whole files:\n" + "\n".join("- " + m for m in misses))


if __name__ == "__main__":
    sys.exit(main())

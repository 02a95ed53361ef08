#!/usr/bin/env python3
"""Regenerate data/jieba/words.txt and data/jieba/names.txt from jieba's MIT-licensed word list.

    pip download jieba==0.42.1 --no-deps -d /tmp/jb && tar xzf /tmp/jb/jieba-0.42.1.tar.gz -C /tmp/jb
    python3 scripts/gen_jieba_words.py /tmp/jb/jieba-0.42.1/jieba/dict.txt

Keeps words made only of Han ideographs with a frequency of at least MIN_FREQ, as
`word<TAB>frequency`, sorted by word. The frequencies weigh the segmentation of `zhfix::target`
(see docs/target.md); build/target.rs compiles them.

names.txt lists those of the kept words that jieba tags as names of people (nr, nrfg) or as
transliterated names (nrt), one per line. Where OpenCC has no phrase for such a word, its
Traditional form is the characters' defaults, which is no evidence of how Traditional text
writes the name (余秋雨 is no 餘秋雨, 里德 no 裏德), so build/target.rs makes no
Simplified-leftover key of it.
"""
import sys

MIN_FREQ = 5
NAME_TAGS = {"nr", "nrfg", "nrt"}


def is_han(c):
    cp = ord(c)
    return 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3FFFF


def main(path):
    words = {}
    names = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2:
                continue
            word, freq = parts[0], int(parts[1])
            if freq >= MIN_FREQ and all(is_han(c) for c in word):
                words[word] = max(words.get(word, 0), freq)
                if len(parts) > 2 and parts[2] in NAME_TAGS:
                    names.add(word)
    with open("data/jieba/words.txt", "w", encoding="utf-8") as out:
        out.write("# Derived from jieba 0.42.1 dict.txt (MIT). Regenerate: scripts/gen_jieba_words.py\n")
        for word in sorted(words):
            out.write(f"{word}\t{words[word]}\n")
    with open("data/jieba/names.txt", "w", encoding="utf-8") as out:
        out.write("# Derived from jieba 0.42.1 dict.txt (MIT): words tagged nr nrfg nrt. "
                  "Regenerate: scripts/gen_jieba_words.py\n")
        for word in sorted(names):
            out.write(f"{word}\n")


if __name__ == "__main__":
    main(sys.argv[1])

#!/usr/bin/env python3
"""make_sentences.py - one-sentence documents cut from a corpus of make_corpus.py.

    make_sentences.py N CORPUS.jsonl OUT.jsonl

Splits the texts into sentences (at ". ", "? " and "! ") and writes the first N
of them, one document each, cycling through the corpus if it has fewer.
"""
import json
import re
import sys


def main():
    n = int(sys.argv[1])
    written = 0
    with open(sys.argv[3], "w", encoding="utf-8") as out:
        while written < n:
            with open(sys.argv[2], encoding="utf-8") as f:
                for line in f:
                    for s in re.split(r"(?<=[.?!])\s+", json.loads(line)["text"]):
                        if len(s) < 20:
                            continue
                        out.write(json.dumps({"id": "s%07d" % written, "text": s},
                                             ensure_ascii=False) + "\n")
                        written += 1
                        if written == n:
                            return


if __name__ == "__main__":
    main()

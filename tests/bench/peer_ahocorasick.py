#!/usr/bin/env python3
"""peer_ahocorasick.py - the Python peer: a dictionary counted with pyahocorasick.

    peer_ahocorasick.py DICT.tsv CORPUS.jsonl

Tokens as qualpipe makes them (letters, marks and digits, joined by an in-word
apostrophe or hyphen), lower-cased and joined by single spaces; each entry is a
key of one Aho-Corasick automaton (" word " for a word, " prefix" for a glob,
" not good" for a phrase), so one pass over a document finds every entry. Prints
the hits per category.
"""
import json
import re
import sys

import ahocorasick

TOKEN = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")


def main():
    automaton = ahocorasick.Automaton()
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            category, pattern = line.rstrip("\n").split("\t")
            key = " " + pattern[:-1] if pattern.endswith("*") else " " + pattern + " "
            automaton.add_word(key, category)
    automaton.make_automaton()
    hits = {}
    with open(sys.argv[2], encoding="utf-8") as f:
        for line in f:
            text = json.loads(line)["text"].lower()
            joined = " " + " ".join(TOKEN.findall(text)) + " "
            for _, category in automaton.iter(joined):
                hits[category] = hits.get(category, 0) + 1
    print(json.dumps(hits, sort_keys=True))


if __name__ == "__main__":
    main()

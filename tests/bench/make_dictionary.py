#!/usr/bin/env python3
"""make_dictionary.py - a sentiment dictionary of a real one's shape, from real words.

    make_dictionary.py ENTRIES OUT.json OUT.tsv

The shape is that of the Lexicoder Sentiment Dictionary (2015), 9,148 entries in
four categories: negative (31%) and positive (19%) words, about 60% of them globs
such as abandon*, and the two negated categories (50%): phrases of "not", "no" or
"never" and a word, three in four of them globs (neg_positive "not good*",
neg_negative "no abandon*"); a glob is a word of 7 letters or more less its last
two. ENTRIES scales the four counts alike. The words come
from Debian's word list (wamerican, /usr/share/dict/words) less function words,
drawn with a fixed seed. Writes a qualpipe JSON codebook and the same entries as CATEGORY<TAB>PATTERN
lines for the Python peer.
"""
import json
import random
import sys

SHAPE = (("negative", 2858), ("positive", 1709), ("neg_positive", 1721), ("neg_negative", 2860))
NEGATORS = ("not", "no", "never")
# Function words, which no sentiment dictionary lists (the common English
# stopwords, as in quanteda's and NLTK's lists).
STOPWORDS = set("""a about above after again against all am an and any are as at be because
been before being below between both but by can could did do does doing down during each
few for from further had has have having he her here hers herself him himself his how i if
in into is it its itself just me more most my myself no nor not now of off on once only or
other our ours ourselves out over own same she should so some such than that the their
theirs them themselves then there these they this those through to too under until up very
was we were what when where which while who whom why will with would you your yours yourself
yourselves also may might must shall one two upon said like well even much many every""".split())


def words():
    with open("/usr/share/dict/words", encoding="utf-8") as f:
        ws = sorted({w.strip().lower() for w in f if w.strip().isalpha() and w.strip().isascii()})
    return [w for w in ws if 3 <= len(w) <= 14 and w not in STOPWORDS]


def glob_of(word):
    """A stem glob as sentiment dictionaries write them ("abandon*" for abandoned,
    abandons...): the word less its last two letters, for words of 7 letters or
    more; a shorter word stays a word, as a dictionary would not make "with*"."""
    return word[:-2] + "*" if len(word) >= 7 else word


def main():
    total = int(sys.argv[1])
    rng = random.Random(2015)
    vocab = words()
    rng.shuffle(vocab)
    scale = total / sum(n for _, n in SHAPE)
    counts = [max(1, round(n * scale)) for _, n in SHAPE]
    counts[-1] += total - sum(counts)
    # Positive and negative words are disjoint halves of the shuffled list; the
    # negated categories negate words of the opposite list.
    half = len(vocab) // 2
    pools = {"negative": vocab[:half], "positive": vocab[half:]}
    entries = {name: [] for name, _ in SHAPE}
    for (name, _), n in zip(SHAPE, counts):
        base = pools.get(name) or pools["positive" if name == "neg_positive" else "negative"]
        seen = set()
        i = 0
        while len(entries[name]) < n:
            w = base[i % len(base)]
            i += 1
            if name.startswith("neg_"):
                pat = "%s %s" % (NEGATORS[i % 3], glob_of(w) if rng.random() < 0.75 else w)
            else:
                pat = glob_of(w) if rng.random() < 0.6 else w
            if pat not in seen:
                seen.add(pat)
                entries[name].append(pat)
    codes = [{"id": name, "label": name.replace("_", " "), "definition":
              "%s entries of a sentiment dictionary shaped like LSD2015" % name,
              "patterns": entries[name]} for name, _ in SHAPE]
    book = {"qualpipe_codebook": 1, "name": "sentiment (generated, LSD2015 shape)",
            "version": "%d entries" % total, "codes": codes}
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(book, f, indent=1)
    with open(sys.argv[3], "w", encoding="utf-8") as f:
        for name, _ in SHAPE:
            for pat in entries[name]:
                f.write("%s\t%s\n" % (name, pat))
    globs = sum(p.endswith("*") for ps in entries.values() for p in ps)
    phrases = sum(" " in p for ps in entries.values() for p in ps)
    print("make_dictionary: %d entries, %d globs, %d phrases" % (total, globs, phrases),
          file=sys.stderr)


if __name__ == "__main__":
    main()

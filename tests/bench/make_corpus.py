#!/usr/bin/env python3
"""make_corpus.py - real English prose from Debian packages' text, as documents.

    make_corpus.py MIB OUT.jsonl [OUT_DIR]

Collects the King James Bible (bible-kjv), the fortune cookie files (fortunes:
literature, quotations, humour), the Debian Administrator's Handbook in English
(debian-handbook, HTML with the markup removed) and the Linux kernel's
documentation (linux-doc-6.1, reStructuredText), splits it into paragraphs and
groups them into documents of about 6 KB, with the source as metadata. When the
material is smaller than MIB mebibytes it is used again, with fresh ids. Writes
JSON Lines, and with OUT_DIR the same documents as .txt files, 1,000 a folder.
Deterministic: the same packages give the same bytes.
"""
import glob
import gzip
import html.parser
import json
import os
import re
import subprocess
import sys

DOC_BYTES = 6400


class TextOf(html.parser.HTMLParser):
    """The text of an HTML page, one paragraph per block element."""

    BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "pre", "td", "dt", "dd", "br"}

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style") and self.skip > 0

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def paragraphs(text):
    for p in re.split(r"\n\s*\n", text):
        p = re.sub(r"[ \t]*\n[ \t]*", " ", p.strip())
        if len(p) > 40:
            yield p


def bible():
    out = subprocess.run(["bible", "-f", "gen1:1-rev22:21"], capture_output=True, text=True,
                         check=True).stdout
    verses = [re.sub(r"^\S+\s+", "", v) for v in out.splitlines() if v.strip()]
    for i in range(0, len(verses), 8):  # a paragraph of eight verses
        yield "bible", " ".join(verses[i:i + 8])


def fortunes():
    for path in sorted(glob.glob("/usr/share/games/fortunes/*")):
        if os.path.isdir(path) or "." in os.path.basename(path):
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            for cookie in f.read().split("\n%\n"):
                cookie = re.sub(r"\s+", " ", cookie).strip()
                if len(cookie) > 40:
                    yield "fortunes", cookie


def handbook():
    for path in sorted(glob.glob("/usr/share/doc/debian-handbook/html/en-US/*.html")):
        parser = TextOf()
        with open(path, encoding="utf-8", errors="replace") as f:
            parser.feed(f.read())
        for p in paragraphs("".join(parser.parts)):
            yield "handbook", p


def kernel_docs():
    for path in sorted(glob.glob("/usr/share/doc/linux-doc-*/Documentation/**/*.rst.gz",
                                 recursive=True)):
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
            for p in paragraphs(f.read()):
                if sum(c.isalpha() for c in p) > 0.7 * len(p):  # prose, not tables or code
                    yield "kernel-docs", p


def documents():
    """Every source's paragraphs grouped into documents of about DOC_BYTES."""
    for source in (bible, fortunes, handbook, kernel_docs):
        text, kind = [], None
        for kind, p in source():
            text.append(p)
            if sum(len(t) for t in text) >= DOC_BYTES:
                yield kind, "\n\n".join(text)
                text = []
        if text:
            yield kind, "\n\n".join(text)


def main():
    target = int(float(sys.argv[1]) * (1 << 20))
    out_dir = sys.argv[3] if len(sys.argv) > 3 else None
    docs = list(documents())
    written, n, rounds = 0, 0, 0
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        while written < target:
            rounds += 1
            for kind, text in docs:
                n += 1
                doc_id = "%s-%06d" % (kind, n)
                line = json.dumps({"id": doc_id, "text": text, "meta": {"source": kind}},
                                  ensure_ascii=False) + "\n"
                out.write(line)
                written += len(line.encode("utf-8"))
                if out_dir:
                    folder = os.path.join(out_dir, "%04d" % (n // 1000))
                    os.makedirs(folder, exist_ok=True)
                    with open(os.path.join(folder, doc_id + ".txt"), "w", encoding="utf-8") as t:
                        t.write(text + "\n")
                if written >= target:
                    break
    distinct = sum(len(t.encode("utf-8")) for _, t in docs)
    print("make_corpus: %d documents, %.1f MiB; %.1f MiB of distinct text, used %d time(s)"
          % (n, written / (1 << 20), distinct / (1 << 20), rounds), file=sys.stderr)


if __name__ == "__main__":
    main()

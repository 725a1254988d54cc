#!/bin/bash
# codebooks.sh - how long large codebooks take to load: 100,000 codes as
# qualpipe JSON and as a REFI-QDA .qdc, 5,000 codes of one name (each needs a
# numbered id), and a 30,000-entry dictionary, each checked with
# `qualpipe codebook check` (load, compile, print the tree). Loading is linear:
# ten times the codes should take about ten times as long, not a hundred.
#
#   tests/bench/codebooks.sh           (BENCH_DIR keeps the files)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
QUALPIPE=${QUALPIPE:-$TOP/qualpipe}
WORK=${BENCH_DIR:-${TMPDIR:-/tmp}/qualpipe-codebooks}
mkdir -p "$WORK"
/usr/bin/python3 - "$WORK" <<'PY'
import json, sys, uuid
work = sys.argv[1]
for n in (10000, 100000):
    codes = [{"id": "c%d" % i, "label": "Code %d" % i, "patterns": ["w%dx" % i]} for i in range(n)]
    json.dump({"qualpipe_codebook": 1, "name": "big", "version": "1", "citation": "bench",
               "codes": codes}, open("%s/codes-%d.json" % (work, n), "w"))
    with open("%s/codes-%d.qdc" % (work, n), "w") as f:
        f.write('<?xml version="1.0" encoding="utf-8"?>\n'
                '<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="bench"><Codes>')
        for i in range(n):
            f.write('<Code guid="%s" name="Code %d" isCodable="true">'
                    '<Description>w%dx</Description></Code>' % (uuid.UUID(int=i), i, i))
        f.write('</Codes></CodeBook>\n')
with open("%s/same-5000.qdc" % work, "w") as f:
    f.write('<?xml version="1.0" encoding="utf-8"?>\n'
            '<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="bench"><Codes>')
    for i in range(5000):
        f.write('<Code guid="%s" name="Same" isCodable="true"/>' % uuid.UUID(int=i))
    f.write('</Codes></CodeBook>\n')
PY
echo "| codebook | load and check |"
echo "| --- | --- |"
for f in codes-10000.json codes-100000.json codes-10000.qdc codes-100000.qdc same-5000.qdc; do
    /usr/bin/time -f "%e" -o "$WORK/time.txt" "$QUALPIPE" codebook check "$WORK/$f" > /dev/null
    printf '| %-18s | %6.2f s |\n' "$f" "$(cat "$WORK/time.txt")"
done

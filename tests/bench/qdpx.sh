#!/bin/bash
# qdpx.sh - the REFI-QDA round trip at scale: on engine.sh's corpus and
# dictionary (real English prose, the LSD's shape, 9,148 entries), `wc -w`,
# `run`, `export --qdpx` (hit and unit scope) and `agree` reading the project
# back against the stream, in one run, with time, speed and peak memory.
#
#   tests/bench/qdpx.sh [MIB]        (default 100; BENCH_DIR keeps the data)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
QUALPIPE=${QUALPIPE:-$TOP/qualpipe}
MIB=${1:-100}
REPEAT=${REPEAT:-3}
WORK=${BENCH_DIR:-${TMPDIR:-/tmp}/qualpipe-engine}
mkdir -p "$WORK"
corpus=$WORK/prose-$MIB.jsonl
DICT=$WORK/sent-9148.json
# The data, as engine.sh makes it (its README names the Debian packages used).
[ -s "$corpus" ] || python3 "$HERE/make_corpus.py" "$MIB" "$corpus" "$WORK/prose-$MIB"
[ -s "$DICT" ] || python3 "$HERE/make_dictionary.py" 9148 "$DICT" "${DICT%.json}.tsv"
bytes=$(stat -c %s "$corpus")

best() { # best CMD...: the fastest of REPEAT runs; sets BEST (s) and RSS (KiB)
    BEST=; RSS=
    for _ in $(seq "$REPEAT"); do
        /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" > /dev/null
        read -r t m < "$WORK/time.txt"
        if [ -z "$BEST" ] || awk -v a="$t" -v b="$BEST" 'BEGIN { exit !(a < b) }'; then
            BEST=$t; RSS=$m
        fi
    done
}
row() { # row NAME SECONDS RSS_KIB
    awk -v n="$1" -v t="$2" -v m="$3" -v w="$WC" -v b="$bytes" 'BEGIN {
        printf "| %-30s | %7.2f s | %6.2fx | %7.1f MB/s | %7.1f MiB |\n",
               n, t, t / w, b / 1e6 / t, m / 1024 }'
}
echo "corpus: $(wc -l < "$corpus") documents, $((bytes / 1048576)) MiB; dictionary: 9,148 entries"
echo
echo "| run | time | / wc -w | speed | peak RSS |"
echo "| --- | --- | --- | --- | --- |"
best wc -w "$corpus"; WC=$BEST; row "wc -w" "$BEST" "$RSS"
best "$QUALPIPE" run -q -j2 -c "$DICT" -o "$WORK/q.json" "$corpus"; row "run -j2" "$BEST" "$RSS"
best "$QUALPIPE" export -j2 --qdpx "$WORK/q.qdpx" -c "$DICT" "$corpus"
row "export --qdpx -j2" "$BEST" "$RSS"
best "$QUALPIPE" export -j2 --scope unit --qdpx "$WORK/u.qdpx" -c "$DICT" "$corpus"
row "export --qdpx --scope unit -j2" "$BEST" "$RSS"
"$QUALPIPE" stage read "$corpus" | "$QUALPIPE" stage segment | "$QUALPIPE" stage tokenise |
    "$QUALPIPE" stage code -c "$DICT" > "$WORK/q.jsonl"
best "$QUALPIPE" agree -q -c "$DICT" --corpus "$corpus" -o "$WORK/a.json" "$WORK/q.jsonl" "$WORK/q.qdpx"
row "agree stream vs project" "$BEST" "$RSS"
echo
echo "project: $(stat -c %s "$WORK/q.qdpx") bytes, $(unzip -l "$WORK/q.qdpx" 2> /dev/null | tail -1 | awk '{print $2}') entries;" \
    "agree alpha $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["overall"]["alpha"])' "$WORK/a.json")"

#!/bin/bash
# engine.sh - the engine at scale: qualpipe on real English prose with a real-sized
# dictionary, beside `wc -w` and a Python + pyahocorasick peer on the same data, in
# one run; then the cost of the dictionary's size, and peak memory as the corpus
# grows.
#
#   tests/bench/engine.sh [MIB]        (default 100; BENCH_DIR keeps the data)
#
# The corpus is prose from Debian packages (make_corpus.py), as one JSON Lines
# file and as a folder of .txt files; the dictionaries have the shape of the
# Lexicoder Sentiment Dictionary (make_dictionary.py). Every time is the best of
# REPEAT runs (default 5) with a warm page cache. As root, installs the Debian
# packages it needs.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
QUALPIPE=${QUALPIPE:-$TOP/qualpipe}
MIB=${1:-100}
REPEAT=${REPEAT:-5}
WORK=${BENCH_DIR:-${TMPDIR:-/tmp}/qualpipe-engine}
PY=/usr/bin/python3
mkdir -p "$WORK"

need() {
    local missing=()
    for p in "$@"; do dpkg -s "$p" > /dev/null 2>&1 || missing+=("$p"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "engine.sh: needs the Debian packages ${missing[*]}" >&2
        exit 2
    fi
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends "${missing[@]}" > /dev/null
}
need time bible-kjv wamerican fortunes debian-handbook linux-doc-6.1 python3-ahocorasick

# The data, made once per BENCH_DIR.
corpus=$WORK/prose-$MIB.jsonl
folder=$WORK/prose-$MIB
[ -s "$corpus" ] || $PY "$HERE/make_corpus.py" "$MIB" "$corpus" "$folder"
for n in 100 1000 9148 30000; do
    [ -s "$WORK/sent-$n.json" ] ||
        $PY "$HERE/make_dictionary.py" "$n" "$WORK/sent-$n.json" "$WORK/sent-$n.tsv"
done
DICT=$WORK/sent-9148.json
bytes=$(stat -c %s "$corpus")

# best CMD...: runs CMD REPEAT times; sets BEST (seconds) and RSS (KiB, of the best).
best() {
    BEST=; RSS=
    for _ in $(seq "$REPEAT"); do
        /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" > /dev/null
        read -r t m < "$WORK/time.txt"
        if [ -z "$BEST" ] || awk -v a="$t" -v b="$BEST" 'BEGIN { exit !(a < b) }'; then
            BEST=$t; RSS=$m
        fi
    done
}
row() { # row NAME SECONDS RSS_KIB WC_SECONDS
    awk -v n="$1" -v t="$2" -v m="$3" -v w="$4" -v b="$bytes" 'BEGIN {
        printf "| %-34s | %7.2f s | %5.2fx | %7.1f MB/s | %6.1f MiB |\n",
               n, t, t / w, b / 1e6 / t, m / 1024 }'
}

echo "corpus: $(wc -l < "$corpus") documents, $((bytes / 1048576)) MiB; dictionary: 9,148 entries"
echo
echo "| run | time | / wc -w | speed | peak RSS |"
echo "| --- | --- | --- | --- | --- |"
cat "$corpus" > /dev/null
best wc -w "$corpus"; WC=$BEST; row "wc -w (JSON Lines)" "$BEST" "$RSS" "$WC"
best "$QUALPIPE" run -q -j1 -c "$DICT" -o "$WORK/r1.json" "$corpus"; J1=$BEST
row "qualpipe run -j1 (JSON Lines)" "$BEST" "$RSS" "$WC"
best "$QUALPIPE" run -q -j2 -c "$DICT" -o "$WORK/r2.json" "$corpus"; J2=$BEST
row "qualpipe run -j2 (JSON Lines)" "$BEST" "$RSS" "$WC"
best $PY "$HERE/peer_ahocorasick.py" "${DICT%.json}.tsv" "$corpus"; PEER=$BEST
row "Python + pyahocorasick" "$BEST" "$RSS" "$WC"
find "$folder" -name '*.txt' -print0 | xargs -0 cat > /dev/null
best sh -c "find '$folder' -name '*.txt' -print0 | xargs -0 wc -w"; WCF=$BEST
row "wc -w (folder of .txt)" "$BEST" "$RSS" "$WCF"
best "$QUALPIPE" run -q -j1 -c "$DICT" -o "$WORK/f1.json" "$folder"; F1=$BEST
row "qualpipe run -j1 (folder)" "$BEST" "$RSS" "$WCF"
best "$QUALPIPE" run -q -j2 -c "$DICT" -o "$WORK/f2.json" "$folder"; F2=$BEST
row "qualpipe run -j2 (folder)" "$BEST" "$RSS" "$WCF"
cmp -s "$WORK/r1.json" "$WORK/r2.json" || { echo "engine.sh: -j1 and -j2 differ" >&2; exit 1; }
cmp -s "$WORK/f1.json" "$WORK/f2.json" || { echo "engine.sh: -j1 and -j2 differ" >&2; exit 1; }
awk -v j1="$J1" -v j2="$J2" -v f1="$F1" -v f2="$F2" -v p="$PEER" 'BEGIN {
    printf "\n-j2 is %.2fx faster than -j1 on JSON Lines, %.2fx on the folder; qualpipe -j1 is %.1fx the speed of the Python peer.\n",
           j1 / j2, f1 / f2, p / j1 }'
# The cores of a virtual machine need not be equally fast (a neighbour may share
# one): -j1 on each core alone bounds what -j2 can gain.
PIN=
if command -v taskset > /dev/null && [ "$(nproc)" -ge 2 ]; then
    best taskset -c 0 "$QUALPIPE" run -q -j1 -c "$DICT" -o "$WORK/r1.json" "$corpus"; C0=$BEST
    best taskset -c 1 "$QUALPIPE" run -q -j1 -c "$DICT" -o "$WORK/r1.json" "$corpus"; C1=$BEST
    awk -v a="$C0" -v b="$C1" -v j1="$J1" -v j2="$J2" 'BEGIN {
        ideal = 1 / (1 / a + 1 / b)
        printf "-j1 on core 0 alone: %.2f s, on core 1: %.2f s; both cores at once could at best take %.2f s (-j2 took %.2f s: %.0f%% of that bound).\n",
               a, b, ideal, j2, 100 * ideal / j2 }'
    # The dictionary curve compares runs with each other: all on the faster core.
    PIN="taskset -c $(awk -v a="$C0" -v b="$C1" 'BEGIN { print (a <= b ? 0 : 1) }')"
fi

echo
echo "Dictionary size (-j1, JSON Lines${PIN:+, on the faster core}):"
echo
echo "| entries | time | / 100 entries |"
echo "| --- | --- | --- |"
for n in 100 1000 9148 30000; do
    best ${PIN:-} "$QUALPIPE" run -q -j1 -c "$WORK/sent-$n.json" -o "$WORK/d.json" "$corpus"
    [ "$n" = 100 ] && BASE=$BEST
    awk -v n="$n" -v t="$BEST" -v b="$BASE" 'BEGIN { printf "| %6d | %6.2f s | %5.2fx |\n", n, t, t / b }'
done

[ "${MEMORY:-1}" = 1 ] || exit 0
big=$WORK/prose-1024.jsonl
[ -s "$big" ] || $PY "$HERE/make_corpus.py" 1024 "$big"
small=$WORK/sentences-1m.jsonl
[ -s "$small" ] || $PY "$HERE/make_sentences.py" 1000000 "$corpus" "$small"
echo
echo "Peak RSS (-j2; MiB):"
echo
echo "| output | $MIB MiB | 1 GiB | 1,000,000 one-sentence documents |"
echo "| --- | --- | --- | --- |"
for out in "json" "csv" "sqlite" "hits"; do
    line="| $out"
    for f in "$corpus" "$big" "$small"; do
        case $out in
        json) set -- -o "$WORK/m.json" ;;
        csv) set -- --format csv -o "$WORK/m.csv" ;;
        sqlite) rm -f "$WORK/m.db"; set -- --sqlite "$WORK/m.db" -o "$WORK/m.json" ;;
        hits) set -- --hits "$WORK/m-hits.csv" -o "$WORK/m.json" ;;
        esac
        REPEAT=1 best "$QUALPIPE" run -q -j2 -c "$DICT" "$@" "$f"
        line="$line | $(awk -v m="$RSS" 'BEGIN { printf "%.1f", m / 1024 }')"
    done
    echo "$line |"
done

#!/bin/sh
# bench.sh - speed and peak memory of `qualpipe run` beside `wc -w` on the same
# file, at two corpus sizes, so flat memory can be seen as the corpus grows.
#
#   tests/bench/bench.sh [MB] [CODEBOOK]
#
# Builds a JSON Lines corpus of about MB megabytes (default 200) by repeating the
# inaugural addresses with fresh ids, plus one a quarter of that size, then
# times wc -w and qualpipe on each. Needs GNU time (/usr/bin/time).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
QUALPIPE=${QUALPIPE:-$TOP/qualpipe}
MB=${1:-200}
CODEBOOK=${2:-$TOP/codebooks/example.json}
SEED=$TOP/corpora/inaugural/inaugural.jsonl
WORK=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/qualpipe-bench.XXXXXX")}
[ -x /usr/bin/time ] || { echo "bench: needs GNU time: apt-get install time" >&2; exit 2; }

# make_corpus FILE MB: repeat the seed with ids made unique per pass.
make_corpus() {
    : > "$1"
    pass=0
    target=$(($2 * 1000000))
    while [ "$(wc -c < "$1")" -lt "$target" ]; do
        pass=$((pass + 1))
        sed "s/^{\"id\":\"\([^\"]*\)\"/{\"id\":\"\1-$pass\"/" "$SEED" >> "$1"
    done
}

# measure LABEL FILE COMMAND...: prints seconds, MB/s and peak RSS.
measure() {
    label=$1
    file=$2
    shift 2
    bytes=$(wc -c < "$file")
    /usr/bin/time -f '%e %M' -o "$WORK/time.txt" "$@" > "$WORK/out.txt" 2> "$WORK/err.txt" || true
    read -r secs kib < "$WORK/time.txt"
    awk -v l="$label" -v b="$bytes" -v s="$secs" -v k="$kib" 'BEGIN {
        if (s < 0.01) s = 0.01;
        printf "  %-28s %8.1f MB  %7.2f s  %8.1f MB/s  peak RSS %7.1f MB\n",
               l, b / 1e6, s, b / 1e6 / s, k / 1024 }'
}

echo "qualpipe benchmark: $(nproc) cores, codebook $(basename "$CODEBOOK")"
for size in $((MB / 4)) "$MB"; do
    file="$WORK/corpus-$size.jsonl"
    [ -s "$file" ] || make_corpus "$file" "$size"
    echo "corpus: $(wc -l < "$file") documents, $(wc -c < "$file") bytes"
    measure "wc -w" "$file" wc -w "$file"
    echo "    words: $(cat "$WORK/out.txt" | tr -d ' ' | cut -d/ -f1)"
    measure "qualpipe run" "$file" "$QUALPIPE" run -q -c "$CODEBOOK" --by Party "$file"
    echo "    tokens: $(sed -n 's/^    "tokens": \([0-9]*\).*/\1/p' "$WORK/out.txt" | tail -1)," \
         "hits: $(sed -n 's/^    "hits": \([0-9]*\).*/\1/p' "$WORK/out.txt" | tail -1)"
done
[ -n "${BENCH_DIR:-}" ] || rm -rf "$WORK"

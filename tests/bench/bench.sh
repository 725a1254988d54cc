#!/bin/sh
# bench.sh - speed and peak memory of `qualpipe run` beside `wc -w` on the same
# file, at two corpus sizes, so flat memory can be seen as the corpus grows.
#
#   tests/bench/bench.sh [MB] [CODEBOOK]
#
# Builds a JSON Lines corpus of about MB megabytes (default 200) by repeating the
# inaugural addresses with fresh ids, plus one a quarter of that size, and the
# same texts as a folder of .txt files; then times wc -w and qualpipe on each
# (qualpipe with its default -j, one thread per processor, and with -j 1).
# Needs GNU time (/usr/bin/time) and jq.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
QUALPIPE=${QUALPIPE:-$TOP/qualpipe}
MB=${1:-200}
CODEBOOK=${2:-$TOP/codebooks/example/example.json}
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

# make_folder JSONL DIR: one .txt file per record, 1,000 to a sub-folder.
make_folder() {
    "${JQ:-jq}" -r '.id' "$1" | awk -v d="$2" '{ printf "%s/%03d/%s.txt\n", d, int(NR / 1000), $0 }' \
        > "$2.list"
    sed 's|/[^/]*$||' "$2.list" | sort -u | xargs mkdir -p
    "${JQ:-jq}" -j '.text + "\u0000"' "$1" | awk -v list="$2.list" '
        BEGIN { while ((getline f < list) > 0) files[++n] = f; RS = "\0"; ORS = "" }
        { print > files[NR]; close(files[NR]) }'
}

# measure LABEL BYTES COMMAND...: prints seconds, MB/s and peak RSS.
measure() {
    label=$1
    bytes=$2
    shift 2
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
    bytes=$(wc -c < "$file")
    cat "$file" > /dev/null # every command reads from a warm page cache
    echo "JSON Lines corpus: $(wc -l < "$file") documents in one file, $bytes bytes"
    measure "wc -w" "$bytes" wc -w "$file"
    echo "    words: $(cut -d' ' -f1 "$WORK/out.txt")"
    measure "qualpipe run (-j $(nproc))" "$bytes" "$QUALPIPE" run -q -c "$CODEBOOK" --by Party "$file"
    echo "    tokens: $(sed -n 's/^    "tokens": \([0-9]*\).*/\1/p' "$WORK/out.txt" | tail -1)," \
         "hits: $(sed -n 's/^    "hits": \([0-9]*\).*/\1/p' "$WORK/out.txt" | tail -1)"
    measure "qualpipe run -j 1" "$bytes" "$QUALPIPE" run -q -j 1 -c "$CODEBOOK" --by Party "$file"
    dir="$WORK/corpus-$size"
    [ -d "$dir" ] || make_folder "$file" "$dir"
    bytes=$(cat "$dir.list" | tr '\n' '\0' | du -cb --files0-from=- | tail -1 | cut -f1)
    tr '\n' '\0' < "$dir.list" | xargs -0 cat > /dev/null
    echo "Folder corpus: the same texts as $(wc -l < "$dir.list") .txt files, $bytes bytes"
    measure "wc -w (same files)" "$bytes" sh -c "tr '\\n' '\\0' < '$dir.list' | wc -w --files0-from=- | tail -1"
    echo "    words: $(cut -d' ' -f1 "$WORK/out.txt")"
    measure "qualpipe run (-j $(nproc))" "$bytes" "$QUALPIPE" run -q -c "$CODEBOOK" "$dir"
    measure "qualpipe run -j 1" "$bytes" "$QUALPIPE" run -q -j 1 -c "$CODEBOOK" "$dir"
done
[ -n "${BENCH_DIR:-}" ] || rm -rf "$WORK"

#!/bin/bash
# run.sh - runs each libFuzzer harness given for FUZZ_SECONDS (default 60) on seeds
# made from the fixtures, the corpora and the shipped codebooks, with a token
# dictionary for its format, and prints each one's executions and coverage.
# Exits 1 when any harness crashed, leaked or timed out (its reproducer is kept
# in FUZZ_DIR/NAME/crashes).
#
#   make fuzz FUZZ_SECONDS=3600        (an hour each)
#   FUZZ_FORMATS="qdc ykd" bash tests/fuzz/run.sh tests/fuzz/fuzz_import   (some formats)
set -uo pipefail
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
SECONDS_EACH=${FUZZ_SECONDS:-60}
WORK=${FUZZ_DIR:-${TMPDIR:-/tmp}/qualpipe-fuzz}
FIX=$SRCDIR/tests/fixtures
mkdir -p "$WORK"

# seeds NAME DIR: fills DIR with the starting inputs of harness NAME.
seeds() {
    local dir=$2 i=0
    case $1 in
    fuzz_jsonl | fuzz_read)
        for f in "$SRCDIR"/corpora/*/*.jsonl; do
            head -20 "$f" | while IFS= read -r line; do
                i=$((i + 1))
                printf '%s' "$line" | head -c 4096 > "$dir/$(basename "$f").$i"
            done
        done
        [ "$1" = fuzz_read ] && find "$SRCDIR/corpora" -name '*.txt' | head -20 |
            while read -r f; do head -c 8192 "$f" > "$dir/$(basename "$f")"; done ;;
    fuzz_codebook) cp "$SRCDIR"/codebooks/*/*.json "$FIX"/*.json "$dir/" ;;
    fuzz_import_*) cp "$FIX"/dict/*."${1#fuzz_import_}" "$dir/" ;;
    fuzz_chain)
        find "$SRCDIR/corpora" "$FIX/interviews" -name '*.txt' | head -30 |
            while read -r f; do head -c 4096 "$f" > "$dir/$(basename "$f")"; done ;;
    fuzz_qdpx)
        # Projects stored uncompressed, so the fuzzer reaches the XML: qualpipe's own
        # export and the fixture in the shape NVivo writes.
        local q=$SRCDIR/qualpipe
        [ -x "$q" ] || q=./qualpipe
        "$q" export --qdpx "$WORK/own.qdpx" -c iparihs "$FIX/refi/corpus" &&
            python3 - "$WORK/own.qdpx" "$FIX/refi/two-coders" "$dir" <<'P'
import os, sys, zipfile
own, two, out = sys.argv[1:]
with zipfile.ZipFile(own) as z, zipfile.ZipFile(out + "/own.qdpx", "w") as w:
    for n in z.namelist():
        w.writestr(n, z.read(n))
with zipfile.ZipFile(out + "/two-coders.qdpx", "w") as w:
    for root, dirs, files in os.walk(two):
        for f in files:
            w.write(os.path.join(root, f), os.path.relpath(os.path.join(root, f), two))
P
        ;;
    fuzz_merge)
        # Two results of one codebook over two halves of a corpus, on one line each.
        local q=$SRCDIR/qualpipe c=$SRCDIR/corpora/inaugural/inaugural.jsonl
        [ -x "$q" ] || q=./qualpipe
        head -5 "$c" > "$WORK/a.jsonl" && sed -n 6,10p "$c" > "$WORK/b.jsonl"
        "$q" run -q --compact -c example -o "$WORK/a.json" "$WORK/a.jsonl" &&
            "$q" run -q --compact -c example -o "$WORK/b.json" "$WORK/b.jsonl" &&
            cat "$WORK/a.json" "$WORK/b.json" > "$dir/two-results" ;;
    esac
}

dict_for() {
    case $1 in
    fuzz_jsonl | fuzz_codebook | fuzz_merge | fuzz_import_dicx) echo "$SRCDIR/tests/fuzz/json.dict" ;;
    fuzz_import_qdc | fuzz_import_ykd | fuzz_qdpx) echo "$SRCDIR/tests/fuzz/xml.dict" ;;
    *) echo "$SRCDIR/tests/fuzz/text.dict" ;;
    esac
}

# run NAME TARGET [FORMAT]: fuzzes TARGET as NAME (FORMAT: fuzz_import's
# dictionary format); returns 1 when it failed.
run() {
    local name=$1 target=$2 format=${3:-}
    rm -rf "$WORK/$name" && mkdir -p "$WORK/$name/seeds" "$WORK/$name/corpus" "$WORK/$name/crashes"
    seeds "$name" "$WORK/$name/seeds"
    FUZZ_FORMAT=$format "$target" -max_total_time="$SECONDS_EACH" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
        -dict="$(dict_for "$name")" -artifact_prefix="$WORK/$name/crashes/" \
        "$WORK/$name/corpus" "$WORK/$name/seeds" > "$WORK/$name/log.txt" 2>&1
    local status=$?
    local runs cov
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/$name/log.txt" | tail -1)
    cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$WORK/$name/log.txt" | tail -1)
    if [ $status -eq 0 ]; then
        echo "fuzz: $name: ok, ${runs:-0} runs in ${SECONDS_EACH} s, ${cov:-no coverage line}"
        return 0
    fi
    echo "fuzz: $name: FAILED (exit $status); reproducer in $WORK/$name/crashes:"
    grep -E 'ERROR|SUMMARY|==[0-9]+==' "$WORK/$name/log.txt" | head -20
    return 1
}

failed=0
for target in "$@"; do
    name=$(basename "$target")
    if [ "$name" = fuzz_import ]; then # one run per dictionary format
        for format in ${FUZZ_FORMATS:-dic dicx cat tsv qdc lc3 ykd yml}; do
            run "fuzz_import_$format" "$target" "$format" || failed=1
        done
    else
        run "$name" "$target" || failed=1
    fi
done
exit $failed

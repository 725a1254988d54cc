#!/bin/sh
# dict_scale.sh - how matching speed holds up as a dictionary grows. The same
# corpus is coded with three dictionaries, each a third globs, a tenth phrases and
# the rest words:
#   100      entries drawn from the corpus's commonest words and word pairs;
#   10,000   those 100 and 9,900 more that the corpus seldom uses (made from its
#            words, so they share prefixes with them and walk the same tries):
#            the cost of a larger index, with about the same hits;
#   10,000v  all drawn from the corpus's vocabulary, so nearly every token is a
#            hit: the cost of a larger index and of four times the hits.
#
#   tests/bench/dict_scale.sh [MB]
#
# Needs jq and GNU time. Prints MB/s and peak RSS for both, and the ratio.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
QUALPIPE=${QUALPIPE:-$TOP/qualpipe}
MB=${1:-50}
SEED=$TOP/corpora/inaugural/inaugural.jsonl
WORK=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/qualpipe-dict.XXXXXX")}
JQ=${JQ:-jq}

# The corpus: the inaugural addresses repeated with fresh ids.
corpus="$WORK/dict-corpus-$MB.jsonl"
if [ ! -s "$corpus" ]; then
    pass=0
    : > "$corpus"
    while [ "$(wc -c < "$corpus")" -lt $((MB * 1000000)) ]; do
        pass=$((pass + 1))
        sed "s/^{\"id\":\"\([^\"]*\)\"/{\"id\":\"\1-$pass\"/" "$SEED" >> "$corpus"
    done
fi

# Vocabulary and word pairs of the seed, lower-cased, in a fixed order.
"$JQ" -r '.text' "$SEED" | tr -cs "A-Za-z'" '\n' | tr 'A-Z' 'a-z' | grep -E '^[a-z]{3,}$' \
    | sort | uniq -c | sort -k1,1nr -k2 | awk '{print $2}' > "$WORK/vocab.txt"
"$JQ" -r '.text' "$SEED" | tr -cs "A-Za-z" ' ' | tr 'A-Z' 'a-z' \
    | awk '{for (i = 1; i < NF; i++) if (length($i) > 3 && length($(i+1)) > 3) print $i " " $(i+1)}' \
    | sort | uniq -c | sort -k1,1nr -k2 | awk '{print $2 " " $3}' > "$WORK/pairs.txt"

# entries N FILE: N entries from the corpus vocabulary, in the mix above.
entries() {
    n=$1
    globs=$((n / 3))
    phrases=$((n / 10))
    {
        head -n "$((n - globs - phrases))" "$WORK/vocab.txt"
        awk 'length($0) >= 6 { print substr($0, 1, length($0) - 2) "*" }' "$WORK/vocab.txt" \
            | sort -u | head -n "$globs"
        head -n "$phrases" "$WORK/pairs.txt"
    } > "$2"
}

# rare N FILE: N entries the corpus seldom uses: its words with a suffix, globs of
# those, and its word pairs reversed.
rare() {
    n=$1
    globs=$((n / 3))
    phrases=$((n / 10))
    {
        awk '{ print $0 "ness"; print $0 "ism" }' "$WORK/vocab.txt" | head -n "$((n - globs - phrases))"
        awk '{ print $0 "ist*" }' "$WORK/vocab.txt" | head -n "$globs"
        awk '{ print $2 " " $1 }' "$WORK/pairs.txt" | head -n "$phrases"
    } > "$2"
}

# codebook BASE EXTRA FILE: the BASE entries over 5 codes (as in the 100-entry
# dictionary, so the common hits land in the same codes) and the EXTRA entries
# over one further code per 20.
codebook() {
    awk -v extra_codes=$(($(wc -l < "$2") / 20)) '
        FNR == 1 { file++ }
        file == 1 { base[++nb] = $0 }
        file == 2 { extra[++ne] = $0 }
        function code(id, list, n, step, from,    i, first) {
            printf "%s{\"id\":\"c%d\",\"label\":\"code %d\",\"patterns\":[", id ? "," : "", id, id
            first = 1
            for (i = from; i <= n; i += step) {
                printf "%s\"%s\"", first ? "" : ",", list[i]
                first = 0
            }
            printf "]}"
        }
        END {
            printf "{\"qualpipe_codebook\":1,\"name\":\"bench %d\",\"version\":\"1\",\"codes\":[", nb + ne
            for (c = 0; c < 5; c++)
                code(c, base, nb, 5, c + 1)
            for (c = 0; c < extra_codes; c++)
                code(5 + c, extra, ne, extra_codes, c + 1)
            print "]}"
        }' "$1" "$2" > "$3"
}

entries 100 "$WORK/e100.txt"
rare 9900 "$WORK/rare.txt"
entries 10000 "$WORK/e10000v.txt"
: > "$WORK/none.txt"
codebook "$WORK/e100.txt" "$WORK/none.txt" "$WORK/dict-100.json"
codebook "$WORK/e100.txt" "$WORK/rare.txt" "$WORK/dict-10000.json"
tail -n +101 "$WORK/e10000v.txt" > "$WORK/more.txt"
head -n 100 "$WORK/e10000v.txt" > "$WORK/first.txt"
codebook "$WORK/first.txt" "$WORK/more.txt" "$WORK/dict-10000v.json"
bytes=$(wc -c < "$corpus")
echo "qualpipe dictionary scaling: $(nproc) cores, corpus $(wc -l < "$corpus") documents, $bytes bytes"
for n in 100 10000 10000v; do
    printf '  %-8s' "$n:"
    "$QUALPIPE" codebook check "$WORK/dict-$n.json" | head -1 | sed 's/^bench [0-9]* 1: //'
    /usr/bin/time -f '%e %M' -o "$WORK/time-$n.txt" "$QUALPIPE" run -q -c "$WORK/dict-$n.json" \
        "$corpus" > "$WORK/result-$n.json"
    read -r secs kib < "$WORK/time-$n.txt"
    hits=$(sed -n 's/^    "hits": \([0-9]*\).*/\1/p' "$WORK/result-$n.json" | tail -1)
    awk -v b="$bytes" -v s="$secs" -v k="$kib" -v h="$hits" 'BEGIN {
        printf "            %6.2f s  %7.1f MB/s  peak RSS %6.1f MB  %d hits\n",
               s, b / 1e6 / s, k / 1024, h }'
    echo "$secs" > "$WORK/secs-$n"
done
awk -v a="$(cat "$WORK/secs-100")" -v b="$(cat "$WORK/secs-10000")" -v c="$(cat "$WORK/secs-10000v")" \
    'BEGIN { printf "  10,000 entries run at %.0f%% of the speed of 100 (%.0f%% when nearly every token is a hit)\n", 100 * a / b, 100 * a / c }'
[ -n "${BENCH_DIR:-}" ] || rm -rf "$WORK"

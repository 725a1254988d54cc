# merge.sh - results of disjoint shards merge, in any order, into the result of
# one run: a property test over random shards, plus associativity, the identity,
# the refusals, and the Hadoop Streaming shape (stage mapper, merge reducer).
. "$SRCDIR/tests/e2e/lib.sh"
INAUG="$SRCDIR/corpora/inaugural/inaugural.jsonl"
# The corpus: the inaugural addresses and two bad records, so skipped ones merge too.
cat "$INAUG" > corpus.jsonl
printf '{"id":"bad-1","text":""}\n{"id":"bad-2"}\n' >> corpus.jsonl
OPTS="-c $SRCDIR/codebooks/example/example.json --by Party --by Year"
"$QUALPIPE" run -q $OPTS -o whole.json corpus.jsonl
expect_status "the single run" $? 1

# shard SEED K: splits corpus.jsonl into K random shards, runs each, merges them
# in a random order; prints nothing when the merge equals the single run.
shard() {
    rm -rf s && mkdir s
    awk -v seed="$1" -v k="$2" 'BEGIN { srand(seed) } { print > ("s/" int(rand() * k) ".jsonl") }' corpus.jsonl
    for f in s/*.jsonl; do
        "$QUALPIPE" run -q $OPTS -o "${f%.jsonl}.json" "$f"
    done
    ls s/*.json | awk -v seed="$1" 'BEGIN { srand(seed + 7) } { print rand() "\t" $0 }' \
        | sort | cut -f2 > order.txt
    "$QUALPIPE" merge $(cat order.txt) > merged.json
    cmp -s merged.json whole.json || echo "seed $1, $2 shards: $(wc -l < order.txt) results differ"
}
for seed in 1 2 3; do
    for k in 1 2 3 5 7 10; do
        CHECKS=$((CHECKS + 1))
        out=$(shard "$seed" "$k")
        [ -z "$out" ] || fail "$out"
    done
done

# Associative, and the result of an empty shard is the identity.
awk 'NR % 3 == 0' corpus.jsonl > a.jsonl
awk 'NR % 3 == 1' corpus.jsonl > b.jsonl
awk 'NR % 3 == 2' corpus.jsonl > c.jsonl
: > empty.jsonl
for x in a b c empty; do "$QUALPIPE" run -q $OPTS -o "$x.json" "$x.jsonl"; done
"$QUALPIPE" merge a.json b.json > ab.json
"$QUALPIPE" merge b.json c.json > bc.json
"$QUALPIPE" merge ab.json c.json > ab_c.json
"$QUALPIPE" merge a.json bc.json > a_bc.json
CHECKS=$((CHECKS + 3))
cmp ab_c.json a_bc.json || fail "not associative"
cmp ab_c.json whole.json || fail "(a b) c is not the single run"
"$QUALPIPE" merge empty.json whole.json empty.json > with-empty.json
expect_status "merge with empty results (whole.json has skipped documents)" $? 1
cmp with-empty.json whole.json || fail "empty is not the identity"

# Results one after another on stdin, compact or not.
"$QUALPIPE" run -q --compact $OPTS -o a1.json a.jsonl
expect_eq "--compact is one line" "$(wc -l < a1.json | tr -d ' ')" 1
cat a1.json b.json c.json | "$QUALPIPE" merge - > stdin.json
CHECKS=$((CHECKS + 1))
cmp stdin.json whole.json || fail "merging from stdin differs"

# Hadoop Streaming's shape: each mapper runs the stages on its split of JSON Lines
# and writes one compact result line; the sorted lines go to one reducer, merge.
: > mapped.txt
for x in a b c; do
    "$QUALPIPE" stage read - < "$x.jsonl" 2> /dev/null | "$QUALPIPE" stage segment \
        | "$QUALPIPE" stage tokenise | "$QUALPIPE" stage code -c "$SRCDIR/codebooks/example/example.json" \
        | "$QUALPIPE" stage aggregate --by Party --by Year --compact >> mapped.txt
done
sort mapped.txt | "$QUALPIPE" merge - > reduced.json
CHECKS=$((CHECKS + 1))
cmp reduced.json whole.json || fail "mapper and reducer differ from the single run"
# What the reducer really reads: each line the key (a result holds no tab), a tab,
# and the empty value, as Hadoop writes them after the shuffle (sort stands in).
expect_eq "a compact result holds no tab" "$(grep -c "$(printf '\t')" mapped.txt)" 0
sed 's/$/\t/' mapped.txt | sort | "$QUALPIPE" merge - > reduced-tab.json
CHECKS=$((CHECKS + 1))
cmp reduced-tab.json whole.json || fail "the reducer's key<TAB>value lines differ"

# The README's GNU parallel example, with GNU parallel: one run per folder, merged.
if command -v parallel > /dev/null; then
    PLN="$SRCDIR/corpora/pln-interviews"
    mkdir -p corpus-p/part-1 corpus-p/part-2 corpus-p/part-3
    n=0
    for f in "$PLN"/*.txt; do
        n=$((n + 1))
        cp "$f" "corpus-p/part-$((n % 3 + 1))/"
    done
    cp "$PLN/metadata.csv" metadata.csv
    parallel --will-cite "$QUALPIPE" run -q -j 1 -c edmondson --meta metadata.csv --by role \
        -o part-{#}.json {} ::: corpus-p/part-*/ 2> /dev/null
    expect_status "GNU parallel, one run per folder" $? 0
    "$QUALPIPE" merge -o all.json part-*.json
    "$QUALPIPE" run -q -c edmondson --meta metadata.csv --by role -o one.json "$PLN"
    CHECKS=$((CHECKS + 1))
    cmp all.json one.json || fail "GNU parallel's shards merged differ from one run"
else
    fail "GNU parallel is needed (apt-get install parallel)"
fi

# Refusals name both results and what differs.
"$QUALPIPE" run -q -c "$FIX/pln.json" --by Party -o other-cb.json a.jsonl
"$QUALPIPE" merge a.json other-cb.json 2> err.txt > /dev/null
expect_status "different codebooks" $? 2
expect_grep "names both and the codebooks" "a.json .* and other-cb.json .* different codebooks .*Civic themes.*PLN test codebook" err.txt
"$QUALPIPE" run -q -c "$SRCDIR/codebooks/example/example.json" --by Party -o other-opt.json b.jsonl
"$QUALPIPE" merge a.json other-opt.json 2> err.txt > /dev/null
expect_status "different options" $? 2
expect_grep "names the options" "different stages or options" err.txt
"$QUALPIPE" merge a.json a.json 2> err.txt > /dev/null
expect_status "the same shard twice" $? 2
expect_grep "names the document" 'document ".*" is in both a.json' err.txt
printf '{"x": 1}' > notresult.json
"$QUALPIPE" merge notresult.json 2> err.txt > /dev/null
expect_status "not a result" $? 2
expect_grep "says so" "notresult.json .*not a qualpipe result" err.txt

# A damaged result is refused with the field named, never a crash.
"$JQ" '(.codes[] | select(.quotes | length > 0) | .quotes[0]) |= del(.doc)' a.json > no-doc.json
"$QUALPIPE" merge no-doc.json b.json 2> err.txt > /dev/null
expect_status "a quote without doc" $? 2
expect_grep "names the field" "no-doc.json.*codes\..*\.quotes\[0\]: no \"doc\" string" err.txt
"$JQ" '(.codes[] | select(.quotes | length > 0) | .quotes[0].doc) |= 5' a.json > num-doc.json
"$QUALPIPE" merge b.json num-doc.json 2> err.txt > /dev/null
expect_status "a quote whose doc is a number" $? 2
expect_grep "second file named" "num-doc.json.*quotes\[0\]: no \"doc\" string" err.txt
"$JQ" '.skipped = [{"stage": "read", "reason": "x"}]' a.json > no-id.json
"$QUALPIPE" merge no-id.json b.json 2> err.txt > /dev/null
expect_status "a skipped entry without id" $? 2
expect_grep "names the field" 'no-id.json.*skipped\[0\]: no "id" string' err.txt

# A stream header in which a code is its own parent is refused, not looped on.
"$QUALPIPE" stage read a.jsonl | "$QUALPIPE" stage segment | "$QUALPIPE" stage tokenise |
    "$QUALPIPE" stage code -c "$FIX/pln.json" |
    "$JQ" -c 'if has("codebooks") then .codebooks[0].codes[0].parent = .codebooks[0].codes[0].id else . end' \
        > self-parent.jsonl
"$JQ" -e -s '.[0].codebooks[0].codes[0] | .parent == .id' self-parent.jsonl > /dev/null ||
    fail "the header was not damaged as meant"
timeout 60 "$QUALPIPE" stage aggregate -q < self-parent.jsonl 2> err.txt > /dev/null
expect_status "a code its own parent" $? 2
expect_grep "names the code" 'damaged: the parent ".*" of code ".*" does not come before it' err.txt
done_checks

# determinism.sh - the same input and options give the same bytes, run after run
# and mode after mode.
. "$SRCDIR/tests/e2e/lib.sh"
for i in 1 2; do
    "$QUALPIPE" run -q -c "$SRCDIR/codebooks/example.json" --by Party --by Year \
        -o "run$i.json" "$SRCDIR/corpora/inaugural/inaugural.jsonl"
    "$QUALPIPE" stage read "$FIX/interviews" | "$QUALPIPE" stage tokenise \
        | "$QUALPIPE" stage code -c "$FIX/pln.json" > "stream$i.jsonl"
done
CHECKS=$((CHECKS + 2))
cmp run1.json run2.json || fail "two runs differ"
cmp stream1.jsonl stream2.jsonl || fail "two stage streams differ"
expect_eq "keys sorted" "$(jqr 'keys_unsorted == keys' run1.json)" true
expect_eq "nested keys sorted" "$(jqr '[.. | objects | keys_unsorted == keys] | all' run1.json)" true
done_checks

# determinism.sh - the same input and options give the same bytes, run after run
# and mode after mode.
. "$SRCDIR/tests/e2e/lib.sh"
for i in 1 2; do
    "$QUALPIPE" run -q -c "$SRCDIR/codebooks/example/example.json" --by Party --by Year \
        -o "run$i.json" "$SRCDIR/corpora/inaugural/inaugural.jsonl"
    "$QUALPIPE" stage read "$FIX/interviews" | "$QUALPIPE" stage tokenise \
        | "$QUALPIPE" stage code -c "$FIX/pln.json" > "stream$i.jsonl"
done
CHECKS=$((CHECKS + 2))
cmp run1.json run2.json || fail "two runs differ"
cmp stream1.jsonl stream2.jsonl || fail "two stage streams differ"
# Threads change nothing: -j 1 and -j 4 give the same bytes, bad documents included.
mkdir corpus
cp -r "$FIX/interviews" corpus/
printf 'bad \377\n' > corpus/bad.txt
: > corpus/empty.txt
for j in 1 4; do
    "$QUALPIPE" run -q -j "$j" -c "$SRCDIR/codebooks/example/example.json" --by Party \
        -o "inaug-j$j.json" "$SRCDIR/corpora/inaugural/inaugural.jsonl"
    "$QUALPIPE" run -q -j "$j" -c "$FIX/pln.json" -o "bad-j$j.json" corpus 2> "err-j$j.txt"
    expect_status "-j $j with bad documents" $? 1
done
CHECKS=$((CHECKS + 3))
cmp inaug-j1.json inaug-j4.json || fail "-j 1 and -j 4 differ"
cmp bad-j1.json bad-j4.json || fail "-j 1 and -j 4 differ with bad documents"
cmp err-j1.txt err-j4.txt || fail "-j 1 and -j 4 report skipped documents differently"
"$QUALPIPE" run -q -j 0 -c "$FIX/pln.json" corpus 2> err.txt > /dev/null
expect_status "-j 0" $? 2
expect_grep "-j explained" "--jobs 0: give a whole number from 1 to" err.txt
expect_eq "keys sorted" "$(jqr 'keys_unsorted == keys' run1.json)" true
expect_eq "nested keys sorted" "$(jqr '[.. | objects | keys_unsorted == keys] | all' run1.json)" true
done_checks

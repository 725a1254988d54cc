# output.sh - -o writes whole files or nothing, and a closed stdout ends quietly.
. "$SRCDIR/tests/e2e/lib.sh"
INAUG="$SRCDIR/corpora/inaugural/inaugural.jsonl"

"$QUALPIPE" run -q -c "$FIX/pln.json" -o no/such/dir/result.json "$FIX/interviews" 2> err.txt
expect_status "unwritable -o" $? 2
expect_grep "names the path" "no/such/dir/result.json: cannot create" err.txt

"$QUALPIPE" run -q -c "$FIX/pln.json" -o result.json "$FIX/interviews"
expect_status "-o" $? 0
expect_eq "only the result is left" "$(ls | grep -c result.json)" 1
expect_eq "no temporary file" "$(ls | grep -c tmp)" 0

# A failed run leaves an earlier result untouched.
cp result.json before.json
"$QUALPIPE" run -q -c "$FIX/pln.json" -o result.json no/such/input 2> /dev/null
CHECKS=$((CHECKS + 1))
cmp result.json before.json || fail "a failed run changed the old result"

# The reader of stdout goes away early: no message, status 0.
"$QUALPIPE" stage read "$INAUG" 2> pipe-err.txt | head -c 100 > /dev/null
expect_status "read into head" "${PIPESTATUS[0]}" 0
expect_eq "quiet" "$(wc -c < pipe-err.txt | tr -d ' ')" 0
"$QUALPIPE" stage read "$INAUG" | "$QUALPIPE" stage tokenise 2> pipe-err.txt | head -n 2 > /dev/null
expect_status "tokenise into head" "${PIPESTATUS[1]}" 0
expect_eq "quiet too" "$(wc -c < pipe-err.txt | tr -d ' ')" 0
done_checks

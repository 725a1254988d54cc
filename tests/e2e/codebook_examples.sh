# codebook_examples.sh - every shipped codebook keeps its word, by `qualpipe
# codebook test`: each example sentence is coded with its code (or a code below
# it), and no near-miss is. And the command says what failed, and why.
. "$SRCDIR/tests/e2e/lib.sh"

for cb in "$SRCDIR"/codebooks/*/*.json; do
    name=$(basename "$cb" .json)
    "$QUALPIPE" codebook test "$cb" > "$name.txt" 2> err.txt
    status=$?
    [ $status -eq 0 ] || { cat "$name.txt" err.txt >&2; }
    expect_status "$name: every example and near miss as expected" $status 0
    expect_grep "$name: tested some" "^ok   .*: [1-9][0-9]* of [1-9][0-9]* examples and near misses as expected" "$name.txt"
    CHECKS=$((CHECKS + $(grep -c '^ok   ' "$name.txt")))
done

# A codebook whose example its rules miss and whose near miss they catch.
cat > wrong.json <<'J'
{"qualpipe_codebook": 1, "name": "wrong", "version": "1", "codes": [
 {"id": "coaching", "patterns": ["coach*"],
  "examples": ["She mentors the new teachers.", "The coach came on Monday."],
  "near_misses": ["We took the coach to the conference."],
  "codes": [{"id": "peer", "patterns": ["peer coach*"], "examples": ["Peer coaching works."]}]},
 {"id": "other", "patterns": ["mentor*"]}]}
J
"$QUALPIPE" codebook test wrong.json > out.txt 2> err.txt
expect_status "a failing codebook" $? 1
expect_grep "an example no rule codes, with what fired instead" \
    '^FAIL coaching: example not coded \(coded instead: other by rule mentor\*\): She mentors the new teachers\.$' out.txt
expect_grep "a near miss coded, with the rule and words" \
    '^FAIL coaching: near miss coded by rule coach\* of coaching \("coach"\): We took the coach to the conference\.$' out.txt
expect_grep "a child's hit counts for its parent" '^ok   peer: 1 of 1 sentences as expected$' out.txt
expect_grep "the code's line" '^FAIL coaching: 1 of 3 sentences as expected$' out.txt
expect_grep "the total" '^FAIL wrong: 2 of 4 examples and near misses as expected$' out.txt
printf '{"qualpipe_codebook": 1, "name": "none", "version": "1", "codes": [{"id": "a", "patterns": ["x"]}]}' > none.json
"$QUALPIPE" codebook test none.json > out.txt
expect_status "nothing to test" $? 0
expect_grep "says there was nothing" "no code has examples or near_misses to test" out.txt
"$QUALPIPE" codebook test nosuch.json > /dev/null 2> err.txt
expect_status "a codebook that is not there" $? 3
done_checks

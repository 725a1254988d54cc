# stage_equivalence.sh - the stages chained in a shell pipeline, with jq and grep
# between them, give the same bytes as `qualpipe run`.
. "$SRCDIR/tests/e2e/lib.sh"
Q="$QUALPIPE"
CB="$FIX/pln.json"
META="$FIX/interviews-meta.csv"

"$Q" run -q -c "$CB" --meta "$META" --by role -o run.json "$FIX/interviews"
expect_status "run" $? 0
"$Q" stage read --meta "$META" "$FIX/interviews" | "$Q" stage segment | "$Q" stage tokenise | "$Q" stage code -c "$CB" \
    | "$Q" stage aggregate --by role > stages.json
expect_status "stage pipeline" $? 0
CHECKS=$((CHECKS + 1))
cmp run.json stages.json || fail "stage pipeline differs from run"

# The README's chain, as written (speaker filter, the jq filter passing the
# header and one role), gives the bytes of run with the same options over the
# same documents; and the man page's chain gives run's bytes too.
"$Q" stage read --meta "$META" "$FIX/interviews" \
    | "$Q" stage segment --speakers-exclude Interviewer \
    | "$Q" stage tokenise \
    | "$Q" stage code -c "$CB" \
    | "$JQ" -c 'select(.qualpipe_stream or .meta.role == "school leader")' \
    | "$Q" stage aggregate --by site > readme.json
expect_status "the README's chain" $? 0
"$Q" stage read --meta "$META" "$FIX/interviews" \
    | "$JQ" -c 'select(.meta.role == "school leader")' > leaders.jsonl
"$Q" run -q --speakers-exclude Interviewer -c "$CB" --by site -o readme-run.json leaders.jsonl
CHECKS=$((CHECKS + 1))
cmp <("$JQ" -S 'del(.provenance)' readme.json) <("$JQ" -S 'del(.provenance)' readme-run.json) ||
    fail "the README's chain differs from run"
expect_eq "school leaders only" "$(jqr '.totals.documents' readme.json)" \
    "$(grep -c ',school leader,' "$META")"

# jq and grep between stages change nothing when they pass everything on.
"$Q" stage read --meta "$META" "$FIX/interviews" | "$JQ" -c . | "$Q" stage segment | "$Q" stage tokenise \
    | grep -v '^$' | "$Q" stage code -c "$CB" | "$JQ" -c . | "$Q" stage aggregate --by role \
    > filtered.json
CHECKS=$((CHECKS + 1))
cmp run.json filtered.json || fail "jq/grep between stages changed the result"

# A real corpus: the inaugural addresses, grouped by party.
INAUG="$SRCDIR/corpora/inaugural/inaugural.jsonl"
"$Q" run -q -c "$SRCDIR/codebooks/example/example.json" --by Party -o inaug-run.json "$INAUG"
"$Q" stage read "$INAUG" | "$Q" stage segment | "$Q" stage tokenise | "$Q" stage code -c "$SRCDIR/codebooks/example/example.json" \
    | "$Q" stage aggregate --by Party > inaug-stages.json
CHECKS=$((CHECKS + 1))
cmp inaug-run.json inaug-stages.json || fail "inaugural: stage pipeline differs from run"
expect_eq "all 60 addresses coded" "$(jqr '.totals.documents' inaug-run.json)" 60

# Several codebooks in one code stage: the same bytes both ways, codes from both.
"$Q" run -q -c "$CB" -c datause -o two-run.json "$FIX/interviews"
"$Q" stage read "$FIX/interviews" | "$Q" stage segment | "$Q" stage tokenise | "$Q" stage code -c "$CB" -c datause \
    | "$Q" stage aggregate > two-stages.json
CHECKS=$((CHECKS + 1))
cmp two-run.json two-stages.json || fail "two codebooks: stage pipeline differs from run"
expect_eq "both codebooks in provenance" \
    "$(jqr '[.provenance.codebooks[].name] | join(",")' two-run.json)" \
    "PLN test codebook,Data use (example plugin)"
expect_eq "codes of both" "$(jqr '.codes | has("leadership") and has("data_sources")' two-run.json)" true
"$Q" run -q -c "$CB" -c "$CB" "$FIX/interviews" 2> err.txt > /dev/null
expect_status "the same codebook twice" $? 3
expect_grep "names the clash" 'code id "leadership" is in both' err.txt

# A filter that selects documents keeps the header when asked to.
"$Q" stage read --meta "$META" "$FIX/interviews" | "$Q" stage segment | "$Q" stage tokenise | "$Q" stage code -c "$CB" \
    | "$JQ" -c 'select(.qualpipe_stream or .meta.role == "counsellor")' \
    | "$Q" stage aggregate > counsellors.json
expect_eq "jq selected documents" "$(jqr '.totals.documents' counsellors.json)" 2

# Without the header the aggregate says what went wrong.
"$Q" stage read "$FIX/interviews" | "$Q" stage segment | "$Q" stage tokenise | "$Q" stage code -c "$CB" \
    | grep -v qualpipe_stream | "$Q" stage aggregate > /dev/null 2> err.txt
expect_status "aggregate without header" $? 2
expect_grep "explains the missing header" "carries no codebook.*stream header" err.txt
"$Q" stage read "$FIX/interviews" | "$Q" stage code -c "$CB" > /dev/null 2> err.txt
expect_status "code before tokenise" $? 2
expect_grep "explains the order" "not tokenised: put 'qualpipe stage tokenise' before" err.txt
done_checks

# run_basic.sh - `qualpipe run` over a folder of transcripts with a metadata CSV:
# ids from paths, metadata, counts per code, document and group, absent codes,
# provenance, and the summary.
. "$SRCDIR/tests/e2e/lib.sh"

"$QUALPIPE" run -c "$FIX/pln.json" --meta "$FIX/interviews-meta.csv" --by role --by site \
    --summary -o result.json "$FIX/interviews" 2>summary.txt
expect_status "run" $? 0
expect_grep "summary names the result" "result written to result.json" summary.txt
expect_grep "summary counts documents" "documents +4 coded, 0 skipped" summary.txt
expect_grep "summary table by role" "documents with each code, by role" summary.txt
expect_grep "summary table columns" "hits +pct +all +counsellor +school leader +system leader +p$" summary.txt
expect_grep "summary table row" "^    leadership +3 +3.30 +2 +1 +1 +- +0.368$" summary.txt
expect_grep "summary marks a group with more than expected" "^    time +1 +1.10 +1 +- +1\+ +- +0.135$" summary.txt
expect_grep "summary table absent code" "^      absent +- +- +- +- +- +- +-$" summary.txt
expect_grep "summary tests the whole table" "codes x role, documents with each code: chi-square" summary.txt
# The tests in the result, against R: the documents with and without "time" by
# role are 0 1 0 / 2 0 1, and chisq.test(matrix(c(0,1,0, 2,0,1), 2, byrow = TRUE),
# correct = FALSE) gives X-squared 4, df 2, p exp(-2) = 0.1353352832.
expect_eq "chi-square of a code by role" "$(jqr '.tests.role.documents.codes.time | [.chi_square, .df, .p] | @tsv' result.json)" "$(printf '4\t2\t0.1353352832')"
expect_eq "pct of a code" "$(jqr '.codes.leadership.pct' result.json)" 3.2967
expect_eq "pct in a document's row" "$(jqr '.documents | to_entries | map(.value.pct.leadership // empty) | length' result.json)" 2
expect_grep "summary lists absent codes" "no hits +absent" summary.txt
"$QUALPIPE" run --summary -c "$FIX/pln.json" -o plain.json "$FIX/interviews" 2> plain.txt
expect_grep "without --by: top codes" "top codes +leadership: 3 hits \(3.30% of tokens\) in 2 documents" plain.txt

# The summary appears by itself only when standard output is a terminal.
"$QUALPIPE" run -c "$FIX/pln.json" -o quiet.json "$FIX/interviews" > out.txt 2> no-tty.txt
expect_status "run to a file, stdout not a terminal" $? 0
expect_eq "no summary when stdout is not a terminal" "$(wc -c < no-tty.txt | tr -d ' ')" 0
script -qec "'$QUALPIPE' run -c '$FIX/pln.json' -o tty.json '$FIX/interviews' 2> tty-err.txt" \
    /dev/null > /dev/null
expect_grep "summary when stdout is a terminal" "top codes +leadership" tty-err.txt
script -qec "'$QUALPIPE' run -q -c '$FIX/pln.json' -o tty-q.json '$FIX/interviews' 2> tty-q.txt" \
    /dev/null > /dev/null
expect_eq "-q silences it on a terminal" "$(wc -c < tty-q.txt | tr -d ' ')" 0

expect_eq "document ids from paths, sorted" \
    "$(jqr '.documents | keys | join(",")' result.json)" \
    "counsellors/C01,counsellors/C02,leaders/L01,leaders/L02"
expect_eq "totals" "$(jqr '.totals | "\(.documents) \(.skipped) \(.hits)"' result.json)" "4 0 10"
expect_eq "tokens of C02 (C02 I mostly ran groups We had no time)" \
    "$(jqr '.documents["counsellors/C02"].tokens' result.json)" 9
expect_eq "leadership" "$(jqr '.codes.leadership | "\(.hits) \(.documents)"' result.json)" "3 2"
expect_eq "phrase" "$(jqr '.codes.shared_data | "\(.hits) \(.documents)"' result.json)" "2 2"
expect_eq "phrase with a glob" "$(jqr '.codes.time.hits' result.json)" 1
expect_eq "word glob and regex" "$(jqr '.codes.failure.hits' result.json)" 3
expect_eq "roll-up to the parent" \
    "$(jqr '.codes.failure | "\(.subtree_hits) \(.subtree_documents)"' result.json)" "4 1"
expect_eq "absent code listed" "$(jqr '.codes_without_hits | join(",")' result.json)" "absent"
expect_eq "rate per 1,000 tokens" \
    "$(jqr '(.codes.leadership.per_1000_tokens * 10000 | round) == ((3000 / .totals.tokens) * 10000 | round)' result.json)" \
    true
expect_eq "groups by role" \
    "$(jqr '.groups.role | to_entries | map("\(.key)=\(.value.documents)/\(.value.hits)") | join(",")' result.json)" \
    "counsellor=2/2,school leader=1/4,system leader=1/4"
expect_eq "quoted CSV field" "$(jqr '.groups.site | keys | join("|")' result.json)" \
    "North|South|South, East"
expect_eq "absent per group" \
    "$(jqr '.groups.role.counsellor.codes_without_hits | join(",")' result.json)" \
    "time,failure,organisation,absent"
expect_eq "provenance: codebook" \
    "$(jqr '.provenance.codebooks[0] | "\(.name) \(.version)"' result.json)" "PLN test codebook 0.1"
expect_eq "provenance: codebook hash" "$(jqr '.provenance.codebooks[0].sha256' result.json)" \
    "$(sha256sum "$FIX/pln.json" | cut -d' ' -f1)"
expect_eq "provenance: stages and options" \
    "$(jqr '[.provenance.stages[] | .name] | join(",")' result.json)" "read,segment,tokenise,code,aggregate"
expect_eq "provenance: --by recorded" \
    "$(jqr '.provenance.stages[4].options.by | join(",")' result.json)" "role,site"

# The result on stdout when no -o is given, and a CSV without a row is reported.
printf 'id,role\nleaders/L01,school leader\n' > partial.csv
"$QUALPIPE" run -q -c "$FIX/pln.json" --meta partial.csv "$FIX/interviews" >stdout.json 2>err.txt
expect_status "run to stdout" $? 0
expect_eq "stdout holds the result" "$(jqr '.totals.documents' stdout.json)" 4
expect_grep "documents without metadata are named" "has no row for 3 documents" err.txt

# Files and JSON Lines mixed, and - for stdin.
printf '{"id":"j1","text":"Our leaders lead.","meta":{"role":"x"},"site":"West"}\n' > more.jsonl
cat more.jsonl | "$QUALPIPE" run -q -c "$FIX/pln.json" --by site \
    "$FIX/interviews/leaders/L01.txt" - >mixed.json
expect_status "mixed inputs" $? 0
expect_eq "file id from its name, stdin record id" \
    "$(jqr '.documents | keys | join(",")' mixed.json)" "L01,j1"
expect_eq "extra JSON fields join meta" "$(jqr '.groups.site.West.documents' mixed.json)" 1
expect_eq "documents without the field" "$(jqr '.groups.site["(missing)"].documents' mixed.json)" 1

# Usage errors.
"$QUALPIPE" run "$FIX/interviews" 2>err.txt >/dev/null
expect_status "missing -c" $? 2
expect_grep "says -c is required" "c/--codebook CODEBOOK is required" err.txt
"$QUALPIPE" run -c "$FIX/pln.json" --bogus "$FIX/interviews" 2>err.txt >/dev/null
expect_status "unknown option" $? 2
expect_grep "names the option" "unknown option --bogus" err.txt
"$QUALPIPE" run -c "$FIX/pln.json" no/such/corpus 2>err.txt >/dev/null
expect_status "missing input" $? 2
expect_grep "names the input" "no/such/corpus: No such file" err.txt
"$QUALPIPE" run --help >help.txt
expect_status "help" $? 0
expect_grep "help shows stage options" "--by FIELD" help.txt

# Every command's help: an example, and no escape sequences printed as text.
for cmd in run "stage aggregate" plugins codebook agree merge kwic; do
    # shellcheck disable=SC2086
    "$QUALPIPE" $cmd --help > help.txt
    expect_status "$cmd --help" $? 0
    expect_grep "$cmd --help gives an example" "^ +qualpipe " help.txt
    expect_eq "$cmd --help has no literal \\n" "$(grep -c '\\n' help.txt)" 0
done
done_checks

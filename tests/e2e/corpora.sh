# corpora.sh - the shipped corpora are what their READMEs say, the hand-coded
# reference points at the text it quotes, and the demo shows the study's finding.
. "$SRCDIR/tests/e2e/lib.sh"
PLN="$SRCDIR/corpora/pln-interviews"
REF="$SRCDIR/corpora/reference/pln-interviews.jsonl"

expect_eq "19 transcripts" "$(ls "$PLN"/P*.txt | wc -l)" 19
for f in "$PLN"/P*.txt; do
    words=$(wc -w < "$f")
    CHECKS=$((CHECKS + 1))
    [ "$words" -ge 1000 ] && [ "$words" -le 2500 ] || fail "$(basename "$f"): $words words"
    id=$(basename "$f" .txt)
    expect_grep "$id has interviewer turns" "^Interviewer: " "$f"
    expect_grep "$id has participant turns" "^$id: " "$f"
done
expect_eq "roles as in the study" \
    "$(tail -n +2 "$PLN/metadata.csv" | cut -d, -f2 | sort | uniq -c | awk '{$1=$1; print}' | tr '\n' ';')" \
    "11 education system leader;2 health system leader;4 school leader;2 school-based counsellor;"

# Every reference line quotes its own span, in a transcript, with a code that exists.
"$JQ" -r '[.. | objects | select(has("id") and has("label")) | .id] | .[]' \
    "$SRCDIR/codebooks/edmondson/edmondson.json" "$SRCDIR/codebooks/iparihs/iparihs.json" \
    | sort > codes.txt
"$JQ" -r '.code' "$REF" | sort -u > ref-codes.txt
expect_eq "reference codes exist" "$(comm -13 codes.txt ref-codes.txt | tr '\n' ' ')" ""
"$JQ" -r '[.doc, .start, .end, (.text | @base64)] | @tsv' "$REF" > spans.tsv
bad=0
while IFS="$(printf '\t')" read -r doc start end text; do
    got=$(tail -c +"$((start + 1))" "$PLN/$doc.txt" | head -c "$((end - start))" | base64 -w0)
    [ "$got" = "$text" ] || { echo "reference $doc $start-$end does not match its text" >&2; bad=$((bad + 1)); }
done < spans.tsv
CHECKS=$((CHECKS + $(wc -l < spans.tsv)))
expect_eq "reference spans quote the transcripts" "$bad" 0
expect_eq "no intelligent failures in the reference" \
    "$("$JQ" -r 'select(.code == "hypothesis_testing" or .code == "exploratory_testing")' "$REF" | wc -l)" 0

# The demo: which failures appear, in which roles, which are absent.
"$QUALPIPE" run -q -c edmondson -c iparihs --meta "$PLN/metadata.csv" --by role -o demo.json "$PLN"
expect_status "demo run" $? 0
expect_eq "the two most frequent failures" \
    "$(jqr '[.provenance.codebooks[0].codes[] as $c | .codes[$c] | select(.parent != null and (.subtree_hits == null)) | {c: $c, h: .hits}] | sort_by(-.h) | .[0:2] | map(.c) | join(",")' demo.json)" \
    "process_inadequacy,task_challenge"
expect_eq "intelligent failures absent" \
    "$(jqr '[.codes_without_hits[] | select(. == "intelligent" or . == "hypothesis_testing" or . == "exploratory_testing")] | length' demo.json)" 3
expect_eq "every role grouped" "$(jqr '.groups.role | keys | length' demo.json)" 4
expect_eq "codes of both codebooks" \
    "$(jqr '[.provenance.codebooks[].name] | join(" + ")' demo.json)" \
    "Spectrum of Reasons for Failure + i-PARIHS"

# Agreement with the hand-coded reference stays where the README reports it.
"$QUALPIPE" stage read "$PLN" | "$QUALPIPE" stage segment --speakers-exclude Interviewer \
    | "$QUALPIPE" stage tokenise | "$QUALPIPE" stage code -c edmondson -c iparihs > coded.jsonl
"$QUALPIPE" agree -q --corpus "$PLN" --speakers-exclude Interviewer -c edmondson -c iparihs \
    "$REF" coded.jsonl > agreement.json
expect_status "agree with the reference" $? 0
expect_eq "micro F1 at least 0.55" \
    "$(jqr '.overall.compared_with_reference["coded.jsonl"].micro_f1 >= 0.55' agreement.json)" true
expect_eq "absent in both" \
    "$(jqr '[.codes.hypothesis_testing, .codes.exploratory_testing] | map(.units_coded | add) | add' agreement.json)" 0

# The districts corpus: both districts and years, and the accountability contrast.
NSI="$SRCDIR/corpora/nsi-districts"
"$QUALPIPE" run -q -c nsi --by district --by year -o nsi.json "$NSI"
expect_status "nsi run" $? 0
expect_eq "two districts" "$(jqr '.groups.district | keys | join(",")' nsi.json)" "District A,District B"
expect_eq "years 2018 to 2024" "$(jqr '.groups.year | keys | join(",")' nsi.json)" \
    "2018,2019,2020,2021,2022,2023,2024"
expect_eq "accountability weighs on District B" \
    "$(jqr '.groups.district | .["District B"].codes.nsi_district_accountability.documents > 3 * .["District A"].codes.nsi_district_accountability.documents' nsi.json)" \
    true

# The real corpora are here with their notices.
expect_eq "inaugural addresses" "$(wc -l < "$SRCDIR/corpora/inaugural/inaugural.jsonl")" 60
expect_grep "pdpilot licence" "BSD|Redistribution" "$SRCDIR/corpora/pdpilot/LICENSE"
expect_eq "pdpilot turns" "$(wc -l < "$SRCDIR/corpora/pdpilot/pdpilot_turns.jsonl")" 885
done_checks

# agree.sh - qualpipe agree on a tiny corpus whose numbers are worked out by hand.
. "$SRCDIR/tests/e2e/lib.sh"
mkdir corpus
printf 'One. Two. Three. Four.\n' > corpus/A.txt   # sentences at 0-4, 5-9, 10-16, 17-22
printf 'Five. Six.\n' > corpus/B.txt               # 0-5, 6-10
# The reference codes X in A's 1st and 3rd sentences and B's 1st, and Y in A's 2nd.
cat > ref.jsonl <<'J'
{"doc": "A", "start": 0, "end": 3, "code": "X"}
{"doc": "A", "start": 11, "end": 14, "code": "X"}
{"doc": "B", "start": 0, "end": 5, "code": "X"}
{"doc": "A", "start": 5, "end": 9, "code": "Y"}
J
# The other coder codes X in A's 1st and 2nd sentences and B's 1st, and never Y.
printf 'doc,start,end,code\nA,0,4,X\nA,6,8,X\nB,1,2,X\n' > other.csv
printf '{"qualpipe_codebook":1,"name":"t","version":"1","codes":[{"id":"X"},{"id":"Y"},{"id":"Z"}]}' > cb.json

"$QUALPIPE" agree --corpus corpus -c cb.json ref.jsonl other.csv > r.json 2> table.txt
expect_status "agree" $? 0
expect_eq "units: six sentences" "$(jqr '.units' r.json)" 6
c=".codes.X.compared_with_reference[\"other.csv\"]"
# X: reference 1 0 1 0 | 1 0, other 1 1 0 0 | 1 0: TP 2, FP 1, FN 1, TN 2.
expect_eq "X confusion" "$(jqr "$c.confusion | [.tp, .fp, .fn, .tn] | join(\" \")" r.json)" "2 1 1 2"
expect_eq "X precision, recall, F1" "$(jqr "[$c.precision, $c.recall, $c.f1] | join(\" \")" r.json)" \
    "0.6667 0.6667 0.6667"
# Observed 4/6; chance 0.5 x 0.5 + 0.5 x 0.5 = 0.5; kappa (0.6667 - 0.5) / 0.5 = 1/3.
expect_eq "X observed agreement and kappa" "$(jqr "[$c.observed_agreement, $c.kappa] | join(\" \")" r.json)" \
    "0.6667 0.3333"
# Alpha: o11 = 4, o00 = 4, o01 = o10 = 2; n0 = n1 = 6, n = 12; 1 - 11 x 4 / 72 = 0.3889.
expect_eq "X alpha" "$(jqr '.codes.X.alpha' r.json)" 0.3889
# Y, which the other coder never used: recall 0, precision undefined, kappa 0, alpha 0.
c=".codes.Y.compared_with_reference[\"other.csv\"]"
expect_eq "Y" "$(jqr "[$c.recall, $c.precision, $c.kappa, .codes.Y.alpha] | map(tostring) | join(\" \")" r.json)" \
    "0 null 0 0"
# Z, which nobody used: every statistic undefined, with the reason.
expect_eq "Z alpha" "$(jqr '.codes.Z.alpha' r.json)" null
expect_eq "Z reason" "$(jqr '.codes.Z.alpha_note' r.json)" "no variation: every value is the same"
expect_eq "the false positive quoted" "$(jqr ".codes.X.compared_with_reference[\"other.csv\"].false_positives[0].text" r.json)" "Two."
expect_eq "the false negative quoted" "$(jqr ".codes.X.compared_with_reference[\"other.csv\"].false_negatives[0].text" r.json)" "Three."
expect_grep "a table on stderr" "^  X +3 +3 +2 +1 +1 +0.667 +0.667 +0.667 +0.333 +0.389$" table.txt

# Perfect agreement: a coding against itself.
"$QUALPIPE" agree -q --corpus corpus ref.jsonl ref.jsonl > self.json
expect_eq "perfect" "$(jqr '[.codes.X.alpha, .codes.X.compared_with_reference["ref.jsonl#2"].kappa] | join(" ")' self.json)" "1 1"

# Document units: A and B each one unit.
"$QUALPIPE" agree -q --unit document --corpus corpus ref.jsonl other.csv > doc.json
expect_eq "document units" "$(jqr '.units' doc.json)" 2
expect_eq "X by document agrees" "$(jqr '.codes.X.compared_with_reference["other.csv"].confusion.tp' doc.json)" 2

# A third coder who did not code B: B's units are missing for them only.
printf '{"doc": "A", "start": 0, "end": 3, "code": "X"}\n{"doc": "B", "missing": true}\n' > third.jsonl
"$QUALPIPE" agree -q --corpus corpus ref.jsonl other.csv third.jsonl > three.json
expect_eq "missing documents counted" "$(jqr '.coders[2].documents_missing' three.json)" 1
expect_eq "only A's units compared" \
    "$(jqr '.codes.X.compared_with_reference["third.jsonl"].confusion | .tp + .fp + .fn + .tn' three.json)" 4
expect_eq "alpha for three coders" "$(jqr '.codes.X.alpha | type' three.json)" number

# A qualpipe stream as a coding, with its rules; character offsets with --chars.
printf 'Caf\303\251 ok. D\303\255a dos.\n' > corpus/C.txt
printf '{"qualpipe_codebook":1,"name":"d","version":"1","codes":[{"id":"X","patterns":["dos"]}]}' > dos.json
"$QUALPIPE" stage read corpus/C.txt | "$QUALPIPE" stage segment | "$QUALPIPE" stage tokenise \
    | "$QUALPIPE" stage code -c dos.json > stream.jsonl
printf '{"doc": "C", "start": 9, "end": 17, "code": "X"}\n' > chars.jsonl
"$QUALPIPE" agree -q --chars --corpus corpus/C.txt chars.jsonl stream.jsonl > c.json
expect_eq "character offsets" "$(jqr '.codes.X.compared_with_reference["stream.jsonl"].confusion.tp' c.json)" 1
printf '{"doc": "C", "start": 0, "end": 3, "code": "X"}\n' > wrong.jsonl
"$QUALPIPE" agree -q --corpus corpus/C.txt wrong.jsonl stream.jsonl > w.json
expect_eq "the rule behind a false positive" \
    "$(jqr '.codes.X.compared_with_reference["stream.jsonl"].false_positives[0].rule' w.json)" "dos"

# Coders are their paths as given, or --coder NAME; one base name in three
# folders is three coders, and there is no limit on how many.
mkdir -p a b c
for d in a b c; do cp ref.jsonl "$d/c.jsonl"; done
"$QUALPIPE" agree -q --corpus corpus a/c.jsonl b/c.jsonl c/c.jsonl > abc.json
expect_eq "three coders by path" "$(jqr '[.coders[].name] | join(",")' abc.json)" "a/c.jsonl,b/c.jsonl,c/c.jsonl"
expect_eq "each compared" "$(jqr '.codes.X.compared_with_reference | keys | join(",")' abc.json)" "b/c.jsonl,c/c.jsonl"
"$QUALPIPE" agree -q --corpus corpus --coder Ana a/c.jsonl --coder Ben b/c.jsonl > named.json
expect_eq "--coder names" "$(jqr '[.coders[] | "\(.name)=\(.path)"] | join(",")' named.json)" "Ana=a/c.jsonl,Ben=b/c.jsonl"
"$QUALPIPE" agree -q --corpus corpus --coder Ana a/c.jsonl --coder Ana b/c.jsonl > /dev/null 2> err.txt
expect_status "one name for two codings" $? 2
expect_grep "says so" "--coder Ana: given twice; every coding needs a name of its own" err.txt
many=""
for i in $(seq 1 17); do cp ref.jsonl "coder$i.jsonl"; many="$many coder$i.jsonl"; done
"$QUALPIPE" agree -q --corpus corpus $many > many.json
expect_eq "17 codings, none dropped" "$(jqr '.coders | length' many.json)" 17
expect_eq "the 17th compared" "$(jqr '.codes.X.compared_with_reference["coder17.jsonl"].kappa' many.json)" 1

# --nominal: Krippendorff's (2011) reliability data, section C (4 observers, 12
# units, values 1-5, missing values), from the command line: alpha 0.743.
: > k.txt
for u in $(seq -w 1 12); do printf 'Unit %s. ' "$u" >> k.txt; done   # unit i at 9(i-1)
printf '\n' >> k.txt
# kripp OBSERVER VALUES: one coding line per unit with a value ("." is missing).
kripp() {
    local i=0
    for v in $2; do
        [ "$v" = . ] || printf '{"doc": "k", "start": %d, "end": %d, "code": "v%s"}\n' $((9 * i)) $((9 * i + 7)) "$v"
        i=$((i + 1))
    done > "$1.jsonl"
}
kripp A "1 2 3 3 2 1 4 1 2 . . ."
kripp B "1 2 3 3 2 2 4 1 2 5 . 3"
kripp C ". 3 3 3 2 3 4 2 2 5 1 ."
kripp D "1 2 3 3 2 4 4 1 2 5 1 ."
"$QUALPIPE" agree --nominal --corpus k.txt A.jsonl B.jsonl C.jsonl D.jsonl > k.json 2> table.txt
expect_status "agree --nominal" $? 0
expect_eq "Krippendorff's alpha" "$(jqr '.variable.alpha * 1000 | round / 1000' k.json)" 0.743
expect_eq "the variable's values" "$(jqr '.variable.values | join(",")' k.json)" "v1,v2,v3,v4,v5"
expect_grep "the table says so" "one variable of 5 values, by sentence: alpha 0.743" table.txt
printf '{"doc": "k", "start": 0, "end": 7, "code": "v1"}\n{"doc": "k", "start": 2, "end": 5, "code": "v2"}\n' > two.jsonl
"$QUALPIPE" agree -q --nominal --corpus k.txt A.jsonl two.jsonl > /dev/null 2> err.txt
expect_status "two values on one unit" $? 2
expect_grep "names the unit and values" 'two.jsonl gives the sentence at bytes 0-8 of document "k" two values, v1 and v2' err.txt

# A missing span marks the units it overlaps missing for that coder alone.
printf '{"doc": "A", "start": 0, "end": 9, "missing": true}\n{"doc": "A", "start": 11, "end": 14, "code": "X"}\n{"doc": "B", "start": 0, "end": 5, "code": "X"}\n' > part.jsonl
"$QUALPIPE" agree -q --corpus corpus ref.jsonl part.jsonl > part.json
expect_eq "two of the eight units left out (corpus/C.txt has two)" \
    "$(jqr '.codes.X.compared_with_reference["part.jsonl"].confusion | .tp + .fp + .fn + .tn' part.json)" 6

# A CSV offset that is not a number names the row; -o is left as it was.
printf 'doc,start,end,code\nA,0,4,X\nA,six,8,X\n' > nan.csv
echo old > keep.json
"$QUALPIPE" agree -q --corpus corpus -o keep.json ref.jsonl nan.csv 2> err.txt
expect_status "a bad offset" $? 2
expect_grep "names the row" 'nan.csv: row 3: start and end are offsets, whole numbers from 0 \(got "six" and "8"\)' err.txt
expect_eq "-o untouched" "$(cat keep.json)" old

# Rule diagnostics: qualpipe's coding says which rule coded which unit. X's
# rules against the reference (X in A's 1st and 3rd sentences and B's 1st):
# "one" (A1) and "three" (A3) and "five" (B1) are right, "two" (A2) is a false
# positive, "never" never fires; Y's one rule "four" (A4) is a false positive.
printf '{"qualpipe_codebook":1,"name":"t","version":"1","codes":[{"id":"X","patterns":["one","two","three","five","never"]},{"id":"Y","patterns":["four"]},{"id":"Z"}]}' > rules.json
"$QUALPIPE" stage read corpus | "$QUALPIPE" stage segment | "$QUALPIPE" stage tokenise |
    "$QUALPIPE" stage code -c rules.json > q.jsonl
expect_status "a qualpipe coding" $? 0
"$QUALPIPE" agree --corpus corpus -c rules.json ref.jsonl q.jsonl > rr.json 2> table.txt
expect_status "agree with rules" $? 0
expect_eq "X's rules, most false positives first, then most hits" \
    "$(jqr '.codes.X.compared_with_reference["q.jsonl"].rules | map("\(.rule) \(.hits) \(.true_positives) \(.false_positives) \(.precision)") | join(", ")' rr.json)" \
    "two 1 0 1 0, five 1 1 0 1, one 1 1 0 1, three 1 1 0 1, never 0 0 0 null"
expect_eq "Y's rule" "$(jqr '.codes.Y.compared_with_reference["q.jsonl"].rules[0] | [.rule, .false_positives] | join(" ")' rr.json)" "four 1"
expect_grep "the table names the worst rule" '^  X +two: 1, 1, +0\.000$' table.txt
expect_grep "and counts those that never fired" '^  1 rule of the codebooks never fired' table.txt
expect_eq "a human coding has no rules" "$(jqr '.codes.X.compared_with_reference["other.csv"] | has("rules")' r.json)" false

# Bootstrap intervals. Worked by hand: a coding that agrees with itself agrees in
# every replicate ([1, 1]); a coder who codes X only where the reference does
# (A's 1st sentence) has precision 1 in every replicate that defines it, while
# its recall (1 of 3) varies from replicate to replicate.
"$QUALPIPE" agree -q --bootstrap 200 --corpus corpus ref.jsonl ref.jsonl > same.json
expect_eq "perfect agreement: [1, 1]" \
    "$(jqr '.codes.X | [.alpha_ci, .compared_with_reference[].kappa_ci, .compared_with_reference[].f1_ci] | flatten | unique | join(",")' same.json)" 1
printf '{"doc": "A", "start": 0, "end": 3, "code": "X"}\n' > subset.jsonl
"$QUALPIPE" agree -q --bootstrap 500 --corpus corpus ref.jsonl subset.jsonl > boot.json
b='.codes.X.compared_with_reference["subset.jsonl"]'
expect_eq "a subset's precision: [1, 1]" "$(jqr "$b.precision_ci | join(\",\")" boot.json)" "1,1"
expect_eq "its recall varies around 1/3" \
    "$(jqr "$b | (.recall_ci[0] < .recall and .recall < .recall_ci[1])" boot.json)" true
expect_eq "the replicates and seed are stated" "$(jqr '.bootstrap | [.replicates, .seed, .level] | join(" ")' boot.json)" \
    "500 1 0.95"
"$QUALPIPE" agree -q --bootstrap 500 --corpus corpus ref.jsonl subset.jsonl > boot2.json
CHECKS=$((CHECKS + 1))
cmp -s boot.json boot2.json || fail "the same seed gave other intervals"
"$QUALPIPE" agree -q --bootstrap 500 --seed 7 --corpus corpus ref.jsonl subset.jsonl > boot3.json
CHECKS=$((CHECKS + 1))
! cmp -s boot.json boot3.json || fail "another seed gave the same draws"
expect_eq "no intervals unless asked" "$(jqr '.codes.X | has("alpha_ci")' r.json)" false
"$QUALPIPE" agree --bootstrap 200 --corpus corpus ref.jsonl ref.jsonl > /dev/null 2> same.txt
expect_grep "the table shows the intervals" '^  X +.* \[1\.000,1\.000\] \[1\.000,1\.000\]$' same.txt

# Suggestions, worked by hand. The reference codes X in five sentences with
# "Budget" that qualpipe misses (15 tokens) and Y in one it finds; five
# sentences nobody codes have 15 tokens and no "budget". G2 of "budget":
# a = 5 of c = 15, b = 0 of d = 15: 2 x 5 x ln(30 / 15) = 6.9315; every other
# word of the misses comes once (fewer than two: not suggested). Tried as a
# pattern it recovers the 5 and codes X in the Y sentence too: 1 false positive.
mkdir sug
printf 'Budget talks began. Weather was nice. Budget cuts hurt. Dinner was late. Budget lines moved. Kids played outside. Budget reviews happen. Buses came early. Budget meetings ran. Nobody was tired. Budget for lunch.\n' > sug/S.txt
python3 - sug/S.txt <<'P' > sug-ref.jsonl
import json, re, sys
t = open(sys.argv[1], "rb").read()
for m in re.finditer(rb"[^ .][^.]*\.", t):
    s = m.group(0)
    code = "Y" if b"lunch" in s else "X" if s.startswith(b"Budget") else None
    if code:
        print(json.dumps({"doc": "S", "start": m.start(), "end": m.end(), "code": code}))
P
printf '{"qualpipe_codebook":1,"name":"s","version":"1","codes":[{"id":"X","patterns":["zzz"]},{"id":"Y","patterns":["lunch"]}]}' > sug.json
"$QUALPIPE" stage read sug | "$QUALPIPE" stage segment | "$QUALPIPE" stage tokenise |
    "$QUALPIPE" stage code -c sug.json > sug-q.jsonl
"$QUALPIPE" agree --suggest 5 --corpus sug -c sug.json sug-ref.jsonl sug-q.jsonl > sug.out 2> sug.txt
expect_status "agree --suggest" $? 0
expect_eq "X: one suggestion, worked by hand" \
    "$(jqr '.codes.X.compared_with_reference["sug-q.jsonl"].suggestions | map("\(.pattern) \(.g2) \(.in_false_negatives) \(.in_uncoded_units) \(.would_recover) \(.would_add_false_positives)") | join(", ")' sug.out)" \
    "budget 6.9315 5 0 5 1"
expect_eq "Y, with no misses, none" "$(jqr '.codes.Y.compared_with_reference["sug-q.jsonl"] | has("suggestions")' sug.out)" false
expect_grep "the table shows it" '^  X +"budget": 6\.9, 5, 1$' sug.txt

# Errors.
"$QUALPIPE" agree --corpus corpus ref.jsonl 2> err.txt > /dev/null
expect_status "one coding" $? 2
expect_grep "asks for two" "give two or more codings" err.txt
printf '{"doc": "Q", "start": 0, "end": 1, "code": "X"}\n' > bad.jsonl
"$QUALPIPE" agree --corpus corpus ref.jsonl bad.jsonl 2> err.txt > /dev/null
expect_status "unknown document" $? 2
expect_grep "names file, line and document" 'bad.jsonl:1: document "Q" is not in the corpus' err.txt
done_checks

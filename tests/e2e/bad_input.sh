# bad_input.sh - invalid UTF-8, NUL bytes, empty documents, unreadable files and
# malformed JSON lines: one stderr line each, the run goes on, the result counts
# them, and the exit status is 1.
. "$SRCDIR/tests/e2e/lib.sh"
mkdir corpus
printf 'The leaders met and shared data.\n' > corpus/a-good.txt
printf 'line one\nbad \377\376 bytes\n' > corpus/b-badutf8.txt
printf 'a\000b leaders\n' > corpus/c-nul.txt
: > corpus/d-empty.txt
printf '  \n\n\t\n' > corpus/e-blank.txt
ln -s does-not-exist corpus/f-broken.txt
{
    printf '{"id":"r1","text":"Leadership first."}\n'
    printf '{"id":"r2","text":"unterminated\n'
    printf '{"id":"r3"}\n'
    printf '{"id":"r4","text":"nul \\u0000 inside"}\n'
    printf '\n'
    printf '{"id":"r5","text":"Leaders again."}\n'
} > corpus/g-records.jsonl

"$QUALPIPE" run -c "$FIX/pln.json" -o result.json corpus > out.txt 2> err.txt
expect_status "run with bad documents" $? 1
expect_grep "invalid UTF-8 named with line" "read: .*b-badutf8.txt.*invalid UTF-8 at line 2 \(byte 13\); if the file is in another encoding, name it with --input-encoding" err.txt
expect_grep "NUL named" "read: .*c-nul.txt.*NUL byte at line 1 \(byte 1\)" err.txt
expect_grep "empty named" "read: .*d-empty.txt.*empty document" err.txt
expect_grep "blank named" "read: .*e-blank.txt.*empty document" err.txt
expect_grep "unreadable named" "read: .*f-broken.txt.*No such file or directory" err.txt
expect_grep "malformed JSON named with line" "read: .*g-records.jsonl:2: malformed JSON" err.txt
expect_grep "record without text" "g-records.jsonl:3 \(document r3\): no \"text\" string" err.txt
expect_grep "NUL escape in JSON" 'g-records.jsonl:4: malformed JSON at column [0-9]+: .u0000 is not allowed' err.txt
expect_eq "one line per bad document, then the summary" \
    "$(grep -c "document skipped" err.txt)" 8
expect_eq "good documents coded" "$(jqr '.totals.documents' result.json)" 3
expect_eq "skipped counted" "$(jqr ".totals.skipped" result.json)" 8
expect_eq "skipped listed with stage and reason" \
    "$(jqr '[.skipped[] | select(.stage == "read")] | length' result.json)" 8
expect_eq "skipped ids, sorted" "$(jqr '[.skipped[].id] | join(",")' result.json)" \
    "b-badutf8,c-nul,corpus/g-records.jsonl:2,corpus/g-records.jsonl:4,d-empty,e-blank,f-broken,r3"
expect_grep "says at the end how many were skipped" \
    "^qualpipe: 8 documents were skipped \(named above" err.txt
expect_eq "and says it last" "$(tail -n 1 err.txt | cut -c1-30)" "qualpipe: 8 documents were ski"
"$QUALPIPE" run --summary -c "$FIX/pln.json" -o result2.json corpus 2> err2.txt
expect_grep "summary counts skipped" "3 coded, 8 skipped" err2.txt

# Between stages: a broken line is reported by the stage that reads it and
# counted by the aggregate; the others pass on.
"$QUALPIPE" stage read corpus/a-good.txt 2>/dev/null | { cat; echo '{"v":1,"id":"x",'; } \
    | "$QUALPIPE" stage tokenise 2> tok-err.txt > tokens.jsonl
expect_status "tokenise with a broken line" $? 1
expect_grep "names stdin and line" "tokenise: <stdin>:3: malformed JSON" tok-err.txt
"$QUALPIPE" stage code -c "$FIX/pln.json" < tokens.jsonl | "$QUALPIPE" stage aggregate \
    > agg.json 2> agg-err.txt
expect_status "aggregate counts the skipped record" $? 1
expect_eq "skipped from an earlier process" "$(jqr '.skipped[0].stage' agg.json)" "tokenise"
expect_eq "no second report" "$(wc -l < agg-err.txt | tr -d ' ')" 0

# Duplicate ids are caught by the aggregate.
"$QUALPIPE" run -q -c "$FIX/pln.json" -o dup.json corpus/a-good.txt corpus/a-good.txt 2> dup-err.txt
expect_status "duplicate id" $? 1
expect_grep "duplicate named" "a-good.*second document with this id" dup-err.txt

# A document over --max-doc-bytes.
"$QUALPIPE" run -q -c "$FIX/pln.json" --max-doc-bytes 10 -o big.json corpus/a-good.txt 2> big-err.txt
expect_status "enormous document" $? 1
expect_grep "size named" "larger than the limit of 10 bytes" big-err.txt

# A JSON Lines line over --max-doc-bytes is skipped, named, without being read
# whole; the lines after it are still coded.
{
    echo '{"id": "before", "text": "We shared data."}'
    printf '{"id": "huge", "text": "'
    head -c 300000 /dev/zero | tr '\0' 'a'
    echo '"}'
    echo '{"id": "after", "text": "We shared data again."}'
} > long-line.jsonl
"$QUALPIPE" run -q -c "$FIX/pln.json" --max-doc-bytes 100K -o long.json long-line.jsonl \
    2> long-err.txt
expect_status "a line too long" $? 1
expect_grep "line named" "long-line.jsonl:2.*a line of 300026 bytes, longer than --max-doc-bytes 102400" \
    long-err.txt
expect_eq "the lines around it coded" "$(jqr '.totals | "\(.documents) \(.skipped)"' long.json)" "2 1"

# Records without "id" are coded under FILE:LINE, and the run says so once, at any -j.
printf '{"text":"We trust leaders."}\n{"id":"b","text":"Lead on."}\n{"text":"More."}\n' > noid.jsonl
for j in 1 2; do
    "$QUALPIPE" run -q -j$j -c "$FIX/pln.json" -o noid.json noid.jsonl 2> noid-err.txt
    expect_status "records without id, -j$j" $? 0
    expect_grep "says how many had no id, -j$j" \
        '^qualpipe: read: 2 JSON Lines records had no "id": each is named by its file and line' \
        noid-err.txt
    expect_eq "said once, -j$j" "$(grep -c 'had no "id"' noid-err.txt)" 1
done
"$QUALPIPE" run -q -c "$FIX/pln.json" --hits noid-hits.csv -o noid.json noid.jsonl 2> /dev/null
expect_grep "named by file and line" '^"noid.jsonl:1","leadership"' noid-hits.csv

# A regex that backtracks on every start (polynomial, not caught by PCRE2's match
# limit) is stopped by the time the regexes of one document may take: the
# document is skipped, named, and the others are coded.
cat > slow-rx.json <<'JSON'
{"qualpipe_codebook": 1, "name": "slow", "version": "1", "citation": "Test fixture.",
 "codes": [{"id": "a", "patterns": ["/a*a*a*a*a*$/"]}]}
JSON
mkdir -p slow
python3 -c "import sys; sys.stdout.write(('a' * 200 + 'b ') * 1000 + '\n')" > slow/big.txt
printf 'a short one\n' > slow/small.txt
"$QUALPIPE" run -q -c slow-rx.json --unit document --regex-seconds 1 -o slow.json slow \
    2> slow-err.txt
expect_status "a regex over its time" $? 1
expect_grep "names the document, the pattern and the way out" \
    'slow/big.txt: the regexes took more than 1 s on this document \(pattern "/a\*a\*a\*a\*a\*\$/" of code "a" was running.*--regex-seconds' \
    slow-err.txt
expect_eq "the other document is coded" "$(jqr '[.totals.documents, .totals.skipped] | @csv' slow.json)" "1,1"

# Binary data on stdin (/dev/zero never ends its first line): refused at once,
# named, exit 1, whether a run or a stage reads it.
timeout 60 "$QUALPIPE" run -q -c "$FIX/pln.json" -o zero.json - < /dev/zero 2> zero-err.txt
expect_status "run - < /dev/zero" $? 1
expect_grep "names the line and why" "<stdin>:1: a NUL byte: binary data, not JSON Lines" zero-err.txt
expect_eq "counted as skipped" "$(jqr '.totals.skipped' zero.json)" 1
set -o pipefail
timeout 60 "$QUALPIPE" stage tokenise < /dev/zero 2> zero-err.txt | tail -1 > zero-last.jsonl
expect_status "stage tokenise < /dev/zero" $? 1
expect_grep "the stage says so too" "<stdin>:1: a NUL byte: binary data, not a JSON Lines stream" \
    zero-err.txt
expect_eq "and hands on the skipped line" "$(jqr '.skipped.stage' zero-last.jsonl)" tokenise
set +o pipefail
done_checks

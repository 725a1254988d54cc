# outputs.sh - the CSV tables and the SQLite database say what the JSON says:
# loaded back (CSV) or queried (SQLite), they give the same counts.
. "$SRCDIR/tests/e2e/lib.sh"
command -v sqlite3 > /dev/null || fail "sqlite3 is needed by this test: apt-get install sqlite3"
cp -r "$SRCDIR/corpora/pln-interviews" corpus
printf 'bad \377\n' > corpus/P99.txt
OPTS="-c edmondson --speakers-exclude Interviewer --meta corpus/metadata.csv --by role"
"$QUALPIPE" run -q $OPTS -o r.json corpus 2> /dev/null
expect_status "json" $? 1
"$QUALPIPE" run -q $OPTS --format csv -o wide.csv --hits hits.csv --sqlite r.db corpus 2> /dev/null
expect_status "csv, hits and sqlite" $? 1
q() { sqlite3 "$@"; }

# The wide table: a row per document, a column per code.
q load.db ".import --csv wide.csv wide"
expect_eq "a row per document" "$(q load.db 'SELECT COUNT(*) FROM wide')" "$(jqr '.totals.documents' r.json)"
expect_eq "a column per code" \
    "$(q load.db 'SELECT SUM(process_inadequacy), SUM(task_challenge), SUM(uncertainty) FROM wide')" \
    "$(jqr '[.codes.process_inadequacy.hits, .codes.task_challenge.hits, .codes.uncertainty.hits] | join("|")' r.json)"
expect_eq "hits by role" \
    "$(q load.db 'SELECT role, SUM(hits) FROM wide GROUP BY role ORDER BY role')" \
    "$(jqr '.groups.role | to_entries | map("\(.key)|\(.value.hits)") | join("\n")' r.json)"
expect_eq "segments" "$(q load.db 'SELECT SUM(segments) FROM wide')" "$(jqr '.totals.segments' r.json)"

# --values: the same table with percentages of tokens (LIWC's), rates or units.
for v in pct per1000 units; do
    "$QUALPIPE" run -q $OPTS --format csv --values $v -o "wide-$v.csv" corpus 2> /dev/null
    expect_status "--values $v" $? 1
    q load.db ".import --csv wide-$v.csv wide_$v"
done
"$QUALPIPE" run -q $OPTS --values pct -o v.json corpus 2> err.txt
expect_status "--values without --format csv" $? 2
expect_grep "--values alone is refused" "values says what --format csv or xlsx writes" err.txt
expect_eq "pct is 100 hits / tokens, as in the JSON" \
    "$(q load.db "SELECT printf('%.4f', p.task_challenge) FROM wide_pct p WHERE p.document = 'P03'")" \
    "$(jqr '.documents.P03.pct.task_challenge // 0 | . * 10000 | round / 10000 | tostring' r.json | xargs printf '%.4f')"
expect_eq "pct from the counts" \
    "$(q load.db "SELECT COUNT(*) FROM wide w JOIN wide_pct p USING (document) WHERE abs(p.uncertainty - round(100.0 * w.uncertainty / w.tokens, 4)) > 1e-9")" 0
expect_eq "per1000 from the counts" \
    "$(q load.db "SELECT COUNT(*) FROM wide w JOIN wide_per1000 p USING (document) WHERE abs(p.uncertainty - round(1000.0 * w.uncertainty / w.tokens, 4)) > 1e-9")" 0
expect_eq "units add up to the segments with the code" \
    "$(q load.db 'SELECT SUM(task_challenge) FROM wide_units')" "$(jqr '.codes.task_challenge.segments' r.json)"

# The words that fired: per code they add up to its own hits, and the JSON has them.
"$QUALPIPE" run -q $OPTS --terms terms.csv -o t.json corpus 2> /dev/null
expect_status "--terms" $? 1
q load.db ".import --csv terms.csv terms"
expect_eq "terms add up to each code's hits" \
    "$(q load.db 'SELECT code, SUM(hits) FROM terms GROUP BY code ORDER BY code')" \
    "$(jqr '.codes | to_entries | map(select(.value.hits > 0)) | map("\(.key)|\(.value.hits)") | join("\n")' r.json)"
expect_eq "a term's hits in the JSON" \
    "$(q load.db "SELECT hits FROM terms WHERE code = 'process_inadequacy' ORDER BY hits DESC, term LIMIT 1")" \
    "$(jqr '[.codes.process_inadequacy.terms[][]] | max' t.json)"
expect_eq "terms are folded" "$(q load.db "SELECT COUNT(*) FROM terms WHERE term <> lower(term)")" 0
expect_eq "shares of a code's hits add up to 1" \
    "$(q load.db "SELECT printf('%.2f', SUM(share)) FROM terms WHERE code = 'uncertainty'")" 1.00
expect_eq "--terms leaves the result as it is" "$(cmp r.json t.json && echo same)" same

# The long table of hits.
q load.db ".import --csv hits.csv hits"
expect_eq "a row per hit" "$(q load.db 'SELECT COUNT(*) FROM hits')" "$(jqr '.totals.hits' r.json)"
expect_eq "hits per code" \
    "$(q load.db 'SELECT code, COUNT(*) FROM hits GROUP BY code ORDER BY code')" \
    "$(jqr '.codes | to_entries | map(select(.value.hits > 0)) | map("\(.key)|\(.value.hits)") | join("\n")' r.json)"
expect_eq "hits by role, from the group field" \
    "$(q load.db 'SELECT role, COUNT(*) FROM hits GROUP BY role ORDER BY role')" \
    "$(jqr '.groups.role | to_entries | map("\(.key)|\(.value.hits)") | join("\n")' r.json)"
expect_eq "the hit text is the text at the span" \
    "$(q load.db "SELECT text FROM hits WHERE rule = 'capacity' LIMIT 1")" "Capacity"
expect_eq "speakers kept" "$(q load.db 'SELECT COUNT(DISTINCT speaker) FROM hits')" 19

# The SQLite database.
expect_eq "documents" "$(q r.db 'SELECT COUNT(*) FROM documents')" "$(jqr '.totals.documents' r.json)"
expect_eq "tokens and segments" "$(q r.db 'SELECT SUM(tokens), SUM(segments) FROM documents')" \
    "$(jqr '"\(.totals.tokens)|\(.totals.segments)"' r.json)"
expect_eq "segments table" "$(q r.db 'SELECT COUNT(*) FROM segments')" "$(jqr '.totals.segments' r.json)"
expect_eq "hits per code" \
    "$(q r.db 'SELECT code, COUNT(*) FROM hits GROUP BY code ORDER BY code')" \
    "$(jqr '.codes | to_entries | map(select(.value.hits > 0)) | map("\(.key)|\(.value.hits)") | join("\n")' r.json)"
expect_eq "hits by role, through the metadata" \
    "$(q r.db "SELECT m.value, COUNT(*) FROM hits h JOIN metadata m ON m.doc = h.doc AND m.field = 'role' GROUP BY m.value ORDER BY m.value")" \
    "$(jqr '.groups.role | to_entries | map("\(.key)|\(.value.hits)") | join("\n")' r.json)"
expect_eq "documents with a code, by role" \
    "$(q r.db "SELECT m.value, COUNT(DISTINCT h.doc) FROM hits h JOIN metadata m ON m.doc = h.doc AND m.field = 'role' WHERE h.code = 'task_challenge' GROUP BY m.value ORDER BY m.value")" \
    "$(jqr '.groups.role | to_entries | map(select(.value.codes.task_challenge.documents > 0)) | map("\(.key)|\(.value.codes.task_challenge.documents)") | join("\n")' r.json)"
expect_eq "codes with their parents" "$(q r.db "SELECT parent FROM codes WHERE id = 'task_challenge'")" "complexity_related"
expect_eq "skipped documents" "$(q r.db 'SELECT doc, stage FROM skipped')" "P99|read"
expect_eq "indexed" "$(q r.db "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'")" 5

# Files appear whole or not at all.
"$QUALPIPE" run -q $OPTS --sqlite no/dir/r.db corpus > /dev/null 2> err.txt
expect_status "unwritable database" $? 2
expect_grep "names it" "no/dir/r.db" err.txt
"$QUALPIPE" run -q $OPTS --format xml corpus > /dev/null 2> err.txt
expect_status "unknown format" $? 2
expect_grep "lists the formats" "--format xml: give json, csv, sqlite or xlsx" err.txt

# --format sqlite writes the same database to -o FILE.db, and no JSON.
"$QUALPIPE" run -q $OPTS --format sqlite -o f.db corpus > f.out 2> /dev/null
expect_status "--format sqlite" $? 1
expect_eq "nothing on stdout" "$(wc -c < f.out | tr -d ' ')" 0
for t in documents metadata segments codes hits skipped; do
    expect_eq "table $t as with --sqlite" "$(q f.db "SELECT * FROM $t ORDER BY 1, 2")" \
        "$(q r.db "SELECT * FROM $t ORDER BY 1, 2")"
done
"$QUALPIPE" run -q $OPTS --format sqlite corpus > /dev/null 2> err.txt
expect_status "--format sqlite without -o" $? 2
expect_grep "asks for a file" "a database is a file; name it with -o FILE.db" err.txt
"$QUALPIPE" stage read corpus 2> /dev/null | "$QUALPIPE" stage segment --speakers-exclude Interviewer \
    | "$QUALPIPE" stage tokenise | "$QUALPIPE" stage code -c edmondson \
    | "$QUALPIPE" stage aggregate --format sqlite -o s.db 2> /dev/null
expect_eq "stage aggregate --format sqlite" "$(q s.db 'SELECT COUNT(*) FROM hits')" \
    "$(q f.db 'SELECT COUNT(*) FROM hits')"
expect_eq "no temporary files left" "$(ls | grep -c tmp)" 0
done_checks

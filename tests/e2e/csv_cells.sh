#!/bin/bash
# csv_cells.sh - text that starts with = + - or @ (ids, metadata, code ids, quotes)
# reaches the CSV tables with a leading ', so a spreadsheet shows it instead of
# running it; --csv-raw writes it as it is; SQLite keeps such ids exactly.
. "$SRCDIR/tests/e2e/lib.sh"
mkdir -p in
printf 'Our trust in the network grew.\n' > 'in/=HYPERLINK("x";"y").txt'
printf 'Trust was low, then trust grew.\n' > "in/+plain.txt"
printf "Ids with 'quotes'; and \"semicolons\" keep their trust.\n" > "in/a'; DROP TABLE hits; --.txt"
printf 'file,role\n"=HYPERLINK(""x"";""y"").txt",@SUM(1)\n+plain.txt,-2\n' > meta.csv
cat > cb.json <<'JSON'
{"qualpipe_codebook": 1, "name": "cells", "version": "1", "citation": "Test fixture.",
 "codes": [{"id": "-trust", "label": "Trust", "patterns": ["trust"]}]}
JSON
"$QUALPIPE" run -q -c cb.json --meta meta.csv --by role --format csv -o wide.csv \
    --hits hits.csv --sqlite d.db in 2> err.txt
expect_status "a run with formula-like cells" $? 0
# Every text cell that starts like a formula carries the mark, in both tables.
expect_grep "the document id is marked" "^\"'=HYPERLINK\(\"\"x\"\";\"\"y\"\"\)\"," wide.csv
expect_grep "a + id is marked" "^\"'\+plain\"," wide.csv
expect_grep "a metadata value is marked" ",\"'@SUM\(1\)\"," wide.csv
expect_grep "a code id in the header is marked" ",\"'-trust\"$" wide.csv
expect_grep "the hits table marks the id" "^\"'=HYPERLINK" hits.csv
expect_grep "the hits table marks the code" "^\"'\+plain\",\"'-trust\"," hits.csv
expect_grep "the hits table marks a --by value" ",\"'-2\",\"trust\"$" hits.csv
# Numbers are numbers, and an ordinary id is left alone.
expect_grep "counts are left alone" "^\"a'; DROP TABLE hits; --\",8,1,1,\"\(missing\)\",1$" wide.csv
# --csv-raw: the cells as they are.
"$QUALPIPE" run -q -c cb.json --meta meta.csv --by role --format csv --csv-raw -o raw.csv \
    --hits raw-hits.csv in
expect_status "--csv-raw" $? 0
expect_grep "--csv-raw leaves the id" "^\"=HYPERLINK" raw.csv
expect_grep "--csv-raw leaves the hits" "^\"\+plain\",\"-trust\"," raw-hits.csv
expect_eq "--csv-raw: no cell is marked" "$(grep -c "\"'" raw.csv raw-hits.csv | tr '\n' ' ')" \
    "raw.csv:0 raw-hits.csv:0 "
# SQLite stores the ids exactly: bound as parameters, never pasted into SQL.
expect_eq "SQLite keeps the ids as they are" \
    "$(sqlite3 d.db 'SELECT id FROM documents ORDER BY id' | tr '\n' '|')" \
    "+plain|=HYPERLINK(\"x\";\"y\")|a'; DROP TABLE hits; --|"
expect_eq "SQLite has every hit" "$(sqlite3 d.db 'SELECT count(*) FROM hits')" 4
expect_eq "SQLite keeps the metadata" \
    "$(sqlite3 d.db "SELECT value FROM metadata WHERE field = 'role' ORDER BY value" | tr '\n' '|')" \
    "-2|@SUM(1)|"
# A stream whose codebook has no codes: the header and rows end in a newline, not ",".
printf 'Nothing here.\n' > nh.txt
"$QUALPIPE" stage read nh.txt | "$QUALPIPE" stage segment | "$QUALPIPE" stage tokenise \
    | "$QUALPIPE" stage code -c cb.json \
    | "$JQ" -c 'if .qualpipe_stream then .codebooks[0].codes = [] else . end' \
    | "$QUALPIPE" stage aggregate --format csv > nocodes.csv
expect_status "a CSV with no codes" $? 0
expect_eq "whole lines" "$(od -An -c nocodes.csv | tr -s ' ' | tr -d '\n')" \
    ' " d o c u m e n t " , " t o k e n s " , " s e g m e n t s " , " h i t s " \n " n h " , 2 , 1 , 0 \n'
done_checks

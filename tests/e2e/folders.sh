#!/bin/bash
# folders.sh - walking folders that hold what real file systems hold: symbolic
# link loops, links out of the tree, a second path to a file, FIFOs named like
# documents, and a file far larger than --max-doc-bytes. Each must finish, read
# every document once, and name what it passed over.
. "$SRCDIR/tests/e2e/lib.sh"
CB="$FIX/pln.json"
mkdir -p t/c/sub t/outside
cd t || exit 99
echo "We shared data." > c/a.txt
echo "Leaders lead." > c/sub/b.txt
echo "Outside the tree." > outside/o.txt
ln -s .. c/sub/loop      # a loop
ln -s ../.. c/sub/loop2  # a second loop, out of the tree and back
ln -s ../outside c/out   # a folder out of the tree
ln -s a.txt c/alias.txt  # a second path to a document
mkfifo c/pipe.txt        # reading it would wait forever

timeout 60 "$QUALPIPE" run -q -c "$CB" -o ../r.json c 2> ../err.txt
expect_status "a folder with loops, links and a FIFO" $? 0
expect_eq "each document once, links not followed" "$(jqr '.documents | keys | join(",")' ../r.json)" "a,sub/b"
expect_grep "links named" "passed over 4 symbolic links \(the first: c/alias.txt\): give --follow-links" ../err.txt
expect_grep "the FIFO named" "passed over 1 FIFO, device or socket \(the first: c/pipe.txt\)" ../err.txt

timeout 60 "$QUALPIPE" run -q --follow-links -c "$CB" -o ../r2.json c 2> ../err2.txt
expect_status "--follow-links" $? 0
expect_eq "links followed, each file and folder once" \
    "$(jqr '.documents | keys | join(",")' ../r2.json)" "a,out/o,sub/b"
expect_grep "what was reached again named" "passed over [0-9]+ folders or files reached a second time" ../err2.txt

cd .. || exit 99
# The same folder given twice, once through a link, is read once.
ln -s t/c c-again
timeout 60 "$QUALPIPE" run -q -c "$CB" -o r3.json t/c c-again 2> err3.txt
expect_status "a folder given twice" $? 0
expect_eq "read once" "$(jqr '.totals.documents' r3.json)" 2

# Extensions in any case count; a folder with nothing to read says so.
mkdir upper empty
echo "We shared data." > upper/P07.TXT
"$QUALPIPE" run -q -c "$CB" -o r5.json upper empty 2> err5.txt
expect_status "an upper-case extension and an empty folder" $? 1
expect_eq "P07.TXT read, id without the extension" "$(jqr '.documents | keys | join(",")' r5.json)" "P07"
expect_grep "the empty folder named" "empty: no .txt, .jsonl or .ndjson file in this folder" err5.txt
expect_eq "and skipped in the result" "$(jqr '.skipped | map(.id) | join(",")' r5.json)" empty

# Files no reader takes are counted by extension in one line; the --meta file is read.
mkdir office
touch office/a.docx office/b.docx office/c.PDF office/notes office/.hidden
echo "We shared data." > office/P08.txt
printf 'id,role\nP08,lead\n' > office/meta.csv
"$QUALPIPE" run -q -c "$CB" --meta office/meta.csv -o r6.json office 2> err6.txt
expect_status "a folder with files no reader takes" $? 0
expect_grep "counted by extension" "^qualpipe: read: not read: 2 .docx, 1 .pdf, 1 without an extension \(no reader for these" err6.txt
expect_eq "the readable one coded" "$(jqr '.totals.documents' r6.json)" 1
rm office/P08.txt
"$QUALPIPE" run -q -c "$CB" -o r7.json office 2> err7.txt
expect_status "a folder with nothing readable" $? 1
expect_grep "says so" "office: no .txt, .jsonl or .ndjson file in this folder, so nothing to code from it \(its other files: see the line" err7.txt

# A file far larger than the limit is refused before it is read.
mkdir big
truncate -s 1G big/huge.txt
echo "We shared data." > big/small.txt
/usr/bin/time -f %M -o rss.txt timeout 60 "$QUALPIPE" run -q -c "$CB" -o r4.json big 2> err4.txt
expect_status "a 1 GiB file" $? 1
expect_grep "named with the limit" "big/huge.txt.*larger than the limit of 67108864 bytes" err4.txt
expect_eq "the other document coded" "$(jqr '.totals.documents' r4.json)" 1
[ "$(tail -1 rss.txt)" -lt 40000 ] || fail "the refused file was read into memory: $(tail -1 rss.txt) KiB"
CHECKS=$((CHECKS + 1))
done_checks

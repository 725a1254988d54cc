# encodings.sh - text files that are not UTF-8: a UTF-8 or UTF-16 byte order
# mark is read as such, --input-encoding converts any encoding iconv knows, and
# a file that is not valid in its encoding is named with the line and byte.
. "$SRCDIR/tests/e2e/lib.sh"
mkdir utf8 marked cp1252
printf 'We lost the thread. Nobody owned the handoff, so the process broke.\nThe caf\xc3\xa9 team was na\xc3\xafve; \xe2\x80\x9cnobody knew\xe2\x80\x9d it was complex.\n' > utf8/a.txt
printf '\xef\xbb\xbf' | cat - utf8/a.txt > marked/bom8.txt
iconv -f UTF-8 -t UTF-16LE utf8/a.txt | { printf '\xff\xfe'; cat; } > marked/le.txt
iconv -f UTF-8 -t UTF-16BE utf8/a.txt | { printf '\xfe\xff'; cat; } > marked/be.txt
iconv -f UTF-8 -t WINDOWS-1252 utf8/a.txt > cp1252/a.txt
"$QUALPIPE" run -q -c edmondson -o utf8.json utf8
expect_status "UTF-8" $? 0
row() { jqr ".documents[\"$2\"] | [.tokens, .hits, .codes] | tostring" "$1"; }

"$QUALPIPE" run -q -c edmondson -o marked.json marked
expect_status "byte order marks" $? 0
for id in bom8 le be; do
    expect_eq "$id: the tokens and hits of the UTF-8 file" "$(row marked.json $id)" "$(row utf8.json a)"
done
expect_eq "no mark left in the text" "$("$QUALPIPE" stage read marked/le.txt | sed -n 2p | "$JQ" -r '.text[0:2]')" We

"$QUALPIPE" run -q -c edmondson -o cp.json cp1252 2> err.txt
expect_status "Windows-1252 without --input-encoding" $? 1
expect_grep "says where and what to give" "cp1252/a.txt: invalid UTF-8 at line 2 \(byte 75\); if the file is in another encoding, name it with --input-encoding" err.txt
"$QUALPIPE" run -q -c edmondson --input-encoding windows-1252 -o cp.json cp1252
expect_status "with --input-encoding windows-1252" $? 0
expect_eq "the same tokens and hits" "$(row cp.json a)" "$(row utf8.json a)"
expect_eq "the same text" "$("$QUALPIPE" stage read --input-encoding windows-1252 cp1252 | sed -n 2p | "$JQ" -r .text)" "$(cat utf8/a.txt)"

head -c 31 marked/le.txt > odd.txt
"$QUALPIPE" run -q -c edmondson --input-encoding utf-16 -o odd.json odd.txt 2> err.txt
expect_status "a cut UTF-16 file" $? 1
expect_grep "names the line and byte" "odd.txt: line 1: byte 31 is not complete utf-16; document skipped" err.txt

"$QUALPIPE" run -q -c edmondson --input-encoding klingon -o k.json utf8 2> err.txt
expect_status "an unknown encoding" $? 2
expect_grep "says how to list them" "klingon: not an encoding this system knows \(.iconv --list. shows them" err.txt
[ ! -e k.json ] || fail "an unknown encoding wrote a result"
done_checks

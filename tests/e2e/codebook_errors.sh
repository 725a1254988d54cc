# codebook_errors.sh - a bad codebook fails before any document is read, with the
# file, the line and the reason, and exit status 3.
. "$SRCDIR/tests/e2e/lib.sh"
mkdir corpus
printf 'x \377\n' > corpus/bad.txt
printf 'Leaders lead.\n' > corpus/good.txt

check_bad() { # NAME EXPECTED-PATTERN CODEBOOK-TEXT
    printf '%s' "$3" > "$1.json"
    "$QUALPIPE" run -c "$1.json" corpus > out.json 2> err.txt
    expect_status "$1" $? 3
    expect_grep "$1 message" "$2" err.txt
    expect_eq "$1: no document was read" "$(grep -c 'document skipped' err.txt)" 0
    expect_eq "$1: one error line" "$(wc -l < err.txt | tr -d ' ')" 1
    "$QUALPIPE" codebook check "$1.json" > /dev/null 2> check.txt
    expect_status "$1 (codebook check)" $? 3
}

check_bad syntax "syntax.json:3:[0-9]+: " '{"qualpipe_codebook": 1,
 "name": "x",
 "version" "1", "codes": []}'
check_bad regex "regex.json:4: .*regex error at offset 7: missing closing parenthesis" '{"qualpipe_codebook": 1, "name": "x", "version": "1",
 "codes": [
  {"id": "a", "patterns": ["fine",
     "/(broken/"]}]}'
check_bad unknown "unknown.json:3: .*unknown field \"paterns\"" '{"qualpipe_codebook": 1, "name": "x", "version": "1",
 "codes": [{"id": "a",
   "paterns": ["x"]}]}'
check_bad notone "notone.json:2: .*\"e.g.\" is not one word" '{"qualpipe_codebook": 1, "name": "x", "version": "1",
 "codes": [{"id": "a", "patterns": ["e.g."]}]}'

# A NUL byte in a dictionary ends nothing silently: the file is refused, by line.
printf '%%\n1\tposemo\n%%\nhappy*\t1\nsad\000bad\t1\nglad\t1\n' > nul.dic
"$QUALPIPE" codebook check nul.dic > /dev/null 2> err.txt
expect_status "a .dic with a NUL byte" $? 3
expect_grep "names the line of the NUL" "nul.dic:5: a NUL byte \(byte 26 of the file\): not a text file" err.txt

# A category number given twice would leave one of the two without entries.
printf '%%\n1\tposemo\n2\tnegemo\n1\tother\n%%\nhappy*\t1\nsad\t2\n' > twice.dic
"$QUALPIPE" codebook check twice.dic > /dev/null 2> err.txt
expect_status "a .dic with a category number twice" $? 3
expect_grep "names both lines" \
    'twice.dic:4: category number 1 is given twice \("posemo" on line 2, and here\)' err.txt

"$QUALPIPE" run -c no-such-codebook corpus 2> err.txt > /dev/null
expect_status "unknown codebook name" $? 3
expect_grep "says what to do" "codebook \"no-such-codebook\" not found.*qualpipe plugins" err.txt

"$QUALPIPE" codebook check "$FIX/pln.json" > tree.txt
expect_status "codebook check" $? 0
expect_grep "tree header" "^PLN test codebook 0.1: 6 codes, 7 patterns, 1 exclusion" tree.txt
expect_grep "tree child" "^     ├─ organisation  \(1 pattern\)" tree.txt
expect_grep "tree last child" "^     └─ absent  \(1 pattern\)" tree.txt
"$QUALPIPE" codebook check example > /dev/null
expect_status "shipped codebook by name" $? 0
done_checks

# output_clobber.sh - a command line whose outputs would replace its inputs, or
# each other, is refused before anything is read or written, naming both options;
# the inputs are left as they were.
. "$SRCDIR/tests/e2e/lib.sh"
set -o pipefail
cp -r "$SRCDIR/corpora/pln-interviews" corpus
cp corpus/P01.txt keep.txt
head -3 "$SRCDIR/corpora/inaugural/inaugural.jsonl" > speeches.jsonl
cp speeches.jsonl keep.jsonl

"$QUALPIPE" run -q -c edmondson -o corpus/P01.txt corpus/P01.txt 2> err.txt
expect_status "-o an input file" $? 2
expect_grep "names both" "--output corpus/P01.txt is also an input \(input\)" err.txt
cmp corpus/P01.txt keep.txt || fail "the input was replaced"
CHECKS=$((CHECKS + 1))

"$QUALPIPE" run -q -c example -o ./speeches.jsonl speeches.jsonl 2> err.txt
expect_status "-o a JSON Lines input, spelt otherwise" $? 2
cmp speeches.jsonl keep.jsonl || fail "the JSON Lines input was replaced"
CHECKS=$((CHECKS + 1))

"$QUALPIPE" run -q -c edmondson --meta corpus/metadata.csv --hits corpus/metadata.csv \
    -o r.json corpus 2> err.txt
expect_status "--hits over --meta" $? 2
expect_grep "names --hits and --meta" "--hits corpus/metadata.csv is also an input \(meta\)" err.txt

"$QUALPIPE" run -q -c edmondson -o out.csv --hits out.csv corpus 2> err.txt
expect_status "-o and --hits one file" $? 2
expect_grep "both outputs named" "--output and --hits both name out.csv" err.txt
[ ! -e out.csv ] || fail "a refused run wrote out.csv"
CHECKS=$((CHECKS + 1))

"$QUALPIPE" run -q -c edmondson -o r.db --sqlite ./r.db corpus 2> err.txt
expect_status "-o and --sqlite one file" $? 2
expect_grep "both outputs named" "--output and --sqlite both name r.db" err.txt

"$QUALPIPE" stage read corpus > stream.jsonl
expect_status "a stream for agree" $? 0
"$QUALPIPE" agree -q --corpus corpus -o stream.jsonl stream.jsonl stream.jsonl 2> err.txt
expect_status "agree -o a coding" $? 2
expect_grep "agree names the coding" "--output stream.jsonl is also an input \(coding\)" err.txt

# A symbolic link stays a link: the file it leads to is replaced, as with a
# redirection (-o /dev/stdout > FILE is a link to the shell's open file).
echo old > target.json && ln -s target.json link.json
"$QUALPIPE" run -q -c edmondson -o link.json corpus
expect_status "-o a link" $? 0
CHECKS=$((CHECKS + 2))
[ -L link.json ] || fail "-o replaced the symbolic link with a file"
"$JQ" -e .totals target.json > /dev/null || fail "-o a link: the result is not in the file it leads to"
ln -s /proc/self/fd/1 stdout-link
"$QUALPIPE" run -q -c edmondson -o stdout-link corpus > captured.json
expect_status "-o a link to standard output" $? 0
CHECKS=$((CHECKS + 2))
[ -L stdout-link ] || fail "-o replaced the link to standard output with a file"
"$JQ" -e .totals captured.json > /dev/null || fail "-o a link to standard output: nothing in the redirection"
: > target.db && ln -s target.db db-link && ln -s nowhere.json dangling.json
"$QUALPIPE" run -q -c edmondson -o r2.json --sqlite db-link --hits dangling.json corpus 2> err.txt
expect_status "a link to nothing" $? 2
expect_grep "names the dangling link" "dangling.json: a symbolic link to a file that does not exist" err.txt
"$QUALPIPE" run -q -c edmondson -o r2.json --sqlite db-link corpus
expect_status "--sqlite a link" $? 0
CHECKS=$((CHECKS + 2))
[ -L db-link ] && [ -s target.db ] || fail "--sqlite replaced the link"
echo old > target.qdpx && ln -s target.qdpx qdpx-link
"$QUALPIPE" export --qdpx qdpx-link -c edmondson corpus
expect_status "--qdpx a link" $? 0
CHECKS=$((CHECKS + 1))
[ -L qdpx-link ] && [ "$(head -c 2 target.qdpx)" = PK ] || fail "export replaced the link"

# Writing to stdout, and outputs apart from every input, still work.
"$QUALPIPE" run -q -c edmondson -o r.json --hits hits.csv corpus
expect_status "distinct outputs" $? 0
# An output inside a folder that is read is refused, the file in it untouched.
mkdir -p walked
echo "We shared data." > walked/P01.txt
for opt in -o --hits --report --terms; do
    "$QUALPIPE" run -q -c edmondson $opt walked/P01.txt walked > /dev/null 2> err.txt
    expect_status "$opt inside an input folder" $? 2
    expect_grep "$opt: says why" "walked/P01.txt is inside the folder walked" err.txt
    expect_eq "$opt: the input untouched" "$(cat walked/P01.txt)" "We shared data."
done
done_checks

# progress.sh - the progress line: on a terminal (a pseudo-terminal made by
# script(1)) a run shows documents, MB, MB/s and the percentage done on standard
# error, erased before the summary and before any message; never with -q, and
# never when standard error is not a terminal.
. "$SRCDIR/tests/e2e/lib.sh"
command -v script > /dev/null || fail "script(1) is needed: apt-get install bsdutils"
mkdir corpus
cp "$SRCDIR"/corpora/pln-interviews/*.txt corpus/
printf 'bad \377\n' > corpus/P99.txt

# on_terminal FILE ARGS...: runs qualpipe ARGS on a pseudo-terminal, its output in FILE.
on_terminal() {
    local out=$1
    shift
    local cmd
    printf -v cmd '%q ' "$QUALPIPE" "$@"
    script -qec "$cmd" /dev/null > "$out" < /dev/null
}

on_terminal tty.txt run -c edmondson -o r.json corpus
expect_status "a run on a terminal" $? 1
tr '\r' '\n' < tty.txt > lines.txt
expect_grep "the progress line" "^.\[K  [0-9]+ documents?, [0-9.]+ MB, [0-9.]+ MB/s, [0-9]+%, [0-9]+:[0-9]{2} left" lines.txt
expect_grep "erased before a message" "^.\[Kqualpipe: read: .*P99.txt: invalid UTF-8" lines.txt
expect_grep "the summary after it" "^(.\[K)?qualpipe: result written to r.json" lines.txt

on_terminal quiet.txt run -q -c edmondson -o r.json corpus
expect_status "-q on a terminal" $? 1
expect_eq "no line with -q" "$(grep -c 'MB/s' quiet.txt)" 0

"$QUALPIPE" run -c edmondson -o r.json corpus 2> pipe.txt
expect_status "stderr not a terminal" $? 1
expect_eq "no line on a file" "$(grep -c 'MB/s' pipe.txt)" 0
expect_eq "no escape codes on a file" "$(grep -c $'\033' pipe.txt)" 0
done_checks

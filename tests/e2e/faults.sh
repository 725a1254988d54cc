# faults.sh - what a dying or full disk does to a run: the Nth fsync, rename or
# pwrite made to fail by an LD_PRELOAD shim (tests/modules/fault.c). Every output
# of the run is then absent (or, for one that was there, unchanged), no
# temporary file is left, the message names the file and the reason, and the
# status is 2.
. "$SRCDIR/tests/e2e/lib.sh"
SHIM="$BUILDDIR/tests/modules/.libs/fault.so"
[ -f "$SHIM" ] || fail "no $SHIM: build it with make check"
# The sanitizers' runtimes want to be first; the shim only wraps libc calls.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
mkdir corpus
printf 'We lost the thread. Nobody owned the handoff, so the process broke.\n' > corpus/a.txt
printf 'It was a complex task and we were uncertain.\n' > corpus/b.txt

# faulty SPEC CMD...: runs CMD with QP_FAULT=SPEC, stderr to err.txt; sets $status.
faulty() {
    local spec=$1
    shift
    QP_FAULT=$spec LD_PRELOAD="$SHIM" "$@" > out.txt 2> err.txt
    status=$?
}
# nothing_left WHAT: the folder holds only the corpus and this test's own files.
nothing_left() {
    CHECKS=$((CHECKS + 1))
    local extra
    extra=$(ls -A | grep -vxE 'corpus|out.txt|err.txt|old.json|before.json' || true)
    [ -z "$extra" ] || fail "$1: left behind: $extra"
}

faulty fsync:1 "$QUALPIPE" run -q -c edmondson -o r.json corpus
expect_grep "the fault happened" "^fault: fsync 1$" err.txt
expect_status "fsync fails" $status 2
expect_grep "names the file and the reason" "r.json: cannot write: Input/output error" err.txt
nothing_left "fsync fails"

echo old > old.json
faulty rename:1 "$QUALPIPE" run -q -c edmondson -o old.json corpus
expect_grep "the fault happened" "^fault: rename 1$" err.txt
expect_status "rename fails" $status 2
expect_grep "names the file" "old.json: cannot write: Input/output error" err.txt
expect_eq "the old result is untouched" "$(cat old.json)" old
nothing_left "rename fails"

# Several outputs are published together or not at all: the hits CSV's fsync is
# the second, after the result's.
for n in 1 2; do
    faulty fsync:$n "$QUALPIPE" run -q -c edmondson -o r.json --hits h.csv corpus
    expect_grep "fault $n happened" "^fault: fsync $n$" err.txt
    expect_status "fsync $n of two outputs" $status 2
    nothing_left "fsync $n of two outputs"
done

# SQLite writes its pages with pwrite: the first fails, the database never appears.
faulty pwrite64:1 "$QUALPIPE" run -q -c edmondson -o r.json --sqlite r.db corpus
expect_grep "the fault happened" "^fault: pwrite64 1$" err.txt
expect_status "a database write fails" $status 2
expect_grep "names the database and why" "r.db: cannot finish: database or disk is full" err.txt
nothing_left "a database write fails"

# The project: libzip's own rename of its file, then qualpipe's.
for n in 1 2; do
    faulty rename:$n "$QUALPIPE" export --qdpx p.qdpx -c edmondson corpus
    expect_grep "fault $n happened" "^fault: rename $n$" err.txt
    expect_status "export: rename $n fails" $status 2
    expect_grep "names the project" "p.qdpx: cannot write" err.txt
    nothing_left "export: rename $n fails"
done

# merge -o.
"$QUALPIPE" run -q -c edmondson -o before.json corpus
faulty fsync:1 "$QUALPIPE" merge -o m.json before.json
expect_status "merge: fsync fails" $status 2
expect_grep "merge names the file" "m.json: cannot write: Input/output error" err.txt
nothing_left "merge: fsync fails"
done_checks

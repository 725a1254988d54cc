# checkpoint.sh - `run --checkpoint DIR`: a run killed with SIGKILL at many
# points (between parts, while a part's file is written and synced, before and
# after its rename, while the result itself is published) is resumed by the
# same command and gives, byte for byte, the result and hits of a run that was
# never stopped, at -j 1 and -j 2; a damaged part is coded again; a folder of
# another run, standard input and a database are refused.
. "$SRCDIR/tests/e2e/lib.sh"
SHIM="$BUILDDIR/tests/modules/.libs/fault.so"
[ -f "$SHIM" ] || fail "no $SHIM: build it with make check"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
mkdir corpus
cp "$SRCDIR"/corpora/pln-interviews/*.txt "$SRCDIR/corpora/inaugural/inaugural.jsonl" \
    "$SRCDIR/corpora/pdpilot/pdpilot_turns.jsonl" corpus/
# One .txt document with the id of a JSON Lines record in a later part: the
# second of the two is skipped, as in one run.
first_id=$("$JQ" -r .id corpus/pdpilot_turns.jsonl | sed -n 700p)
printf 'A complex task, and a second document with the id %s.\n' "$first_id" > "corpus/$first_id.txt"
run=("$QUALPIPE" run -q -c pdpilot -c edmondson --by speaker --hits hits.csv --terms terms.csv)

"${run[@]}" -o whole.json corpus 2> whole.err
expect_status "the run without a checkpoint" $? 1
mv hits.csv whole.csv
mv terms.csv whole-terms.csv
docs=$(jqr '.totals.documents + .totals.skipped' whole.json)
expect_eq "every document counted" "$docs" $((19 + 60 + 885 + 1))
parts=$(((docs + 49) / 50))
expect_eq "the duplicate id skipped" "$(jqr '.totals.skipped' whole.json)" 1

# same WHAT: the result and hits are those of the run never stopped, the
# checkpoint folder is gone, and no temporary file is left in this folder
# (beyond those of -o a SIGKILL leaves, which nothing can remove).
same() {
    CHECKS=$((CHECKS + 1))
    cmp -s result.json whole.json || fail "$1: the result differs from one run's"
    cmp -s hits.csv whole.csv || fail "$1: the hits differ from one run's"
    cmp -s terms.csv whole-terms.csv || fail "$1: the terms differ from one run's"
    [ ! -e ckpt ] || fail "$1: the checkpoint folder is left: $(ls ckpt)"
    rm -f result.json hits.csv terms.csv result.json.tmp.* hits.csv.tmp.* terms.csv.tmp.*
}

# killed SPEC [OPTIONS]: runs with a SIGKILL at the call SPEC names; sets $status.
killed() {
    local spec=$1
    shift
    status=0
    # (In a subshell whose stderr is dropped: the shell's own "Killed" line.)
    (QP_FAULT=$spec:kill LD_PRELOAD="$SHIM" "${run[@]}" "$@" --checkpoint ckpt \
        --checkpoint-every 50 -o result.json corpus > out.txt 2> err.txt
        exit $?) 2> /dev/null || status=$?
}

# Kills at the first few system calls that write a part, and at later ones.
for spec in fsync:1 fsync:2 rename:1 rename:2 fsync:5 rename:7 fsync:31 rename:30; do
    for jobs in 1 2; do
        killed $spec -j $jobs
        expect_grep "$spec -j $jobs: the kill happened" "^fault: ${spec/:/ }$" err.txt
        expect_status "$spec -j $jobs: killed" $status 137
        "${run[@]}" -j $jobs --checkpoint ckpt --checkpoint-every 50 -o result.json corpus \
            2> err.txt
        expect_status "$spec -j $jobs: resumed" $? 1
        same "$spec -j $jobs"
    done
done

# A run killed again and again (each time at the fourth rename: the second
# part's, so one part more is kept each time; at the end the hits, terms and
# result take three) gets there in the end.
runs=0
while :; do
    runs=$((runs + 1))
    [ $runs -lt 40 ] || fail "no end after 40 runs, killed each time"
    killed rename:4 -j 2
    [ $status -eq 137 ] || break
done
expect_status "the last of the killed runs ends" $status 1
expect_eq "a part kept each time: about 20 parts, 20 runs" "$((runs > 10))" 1
expect_grep "a resumed run says so" "^qualpipe: resuming from ckpt: [0-9]+ documents coded before" \
    err.txt
same "killed $runs times"

# The last part is written, the result not yet published: nothing is coded again.
# (The manifest is renamed into place, then each part's hits file and the part;
# then the run's hits and result.)
killed rename:$((1 + 2 * parts + 1))
expect_status "killed after the last part" $status 137
"${run[@]}" --checkpoint ckpt --checkpoint-every 50 -o result.json corpus 2> err.txt
expect_status "resumed after the last part" $? 1
expect_grep "all parts were kept" "^qualpipe: resuming from ckpt: $docs documents coded before, in $parts parts" err.txt
same "killed after the last part"

# A part damaged on the disk (a power cut with the data not yet written) and
# those after it are coded again.
killed rename:21
expect_status "killed for the damaged part" $status 137
part=$(ls ckpt/part-*.json | sed -n 3p)
head -c 100 "$part" > part.tmp && mv part.tmp "$part"
"${run[@]}" --checkpoint ckpt --checkpoint-every 50 -o result.json corpus 2> err.txt
expect_status "resumed over a damaged part" $? 1
expect_grep "the damaged part is named" "${part}:[0-9]+: .*coding its documents again" err.txt
same "a damaged part"

# Another command line in the same folder is refused, and the folder kept.
killed rename:5
"$QUALPIPE" run -q -c edmondson --checkpoint ckpt --checkpoint-every 50 -o result.json corpus \
    2> err.txt
expect_status "another run's folder" $? 2
expect_grep "says whose folder it is" "ckpt/checkpoint.json is the checkpoint of another run: its options" err.txt
expect_eq "that run wrote nothing" "$(ls result.json 2> /dev/null)" ""
"${run[@]}" --checkpoint ckpt --checkpoint-every 50 -o result.json corpus 2> err.txt
same "the first run's folder, kept"

# The CSV table is written from the parts as from one run.
"${run[@]}" --format csv -o table.csv corpus 2> /dev/null
killed rename:4 --format csv
expect_status "killed writing CSV" $status 137
"${run[@]}" --format csv --checkpoint ckpt --checkpoint-every 50 -o result.json corpus 2> err.txt
expect_eq "the CSV table of a resumed run" "$(cmp result.json table.csv && echo same)" same
rm -f result.json hits.csv terms.csv

# What cannot be resumed is refused before anything is read.
"$QUALPIPE" run -q -c edmondson --checkpoint ckpt - < corpus/pdpilot_turns.jsonl > out.txt 2> err.txt
expect_status "standard input" $? 2
expect_grep "standard input is refused" "standard input cannot be read again" err.txt
"$QUALPIPE" run -q -c edmondson --checkpoint ckpt --sqlite r.db corpus > out.txt 2> err.txt
expect_status "a database" $? 2
expect_grep "a database is refused" "\-\-sqlite r.db cannot be resumed part by part" err.txt
"$QUALPIPE" run -q -c edmondson --checkpoint ckpt --format sqlite -o r.db corpus > out.txt 2> err.txt
expect_status "a database as the result" $? 2
expect_grep "that one too" "a SQLite database \(--sqlite, --format sqlite\) is not written part by part" err.txt
[ ! -e ckpt ] && [ ! -e r.db ] || fail "a refused run left files: $(ls)"
expect_eq "nor temporary ones" "$(ls | grep -c '^r\.db')" 0
done_checks

#!/bin/bash
# jobs.sh - how many threads a run codes on without -j: $QUALPIPE_JOBS, else the
# processors it may run on (taskset, a Slurm job's cores), not every processor
# of the machine; -j N overrides both.
. "$SRCDIR/tests/e2e/lib.sh"
CORPUS="$SRCDIR/corpora/inaugural/inaugural.jsonl"

# threads_of CMD...: starts CMD (a qualpipe run command line) reading a FIFO
# that stays open (however long a loaded machine takes), counts its threads
# once it has read the corpus, ends it.
threads_of() {
    rm -f in.fifo && mkfifo in.fifo
    { cat "$CORPUS"; exec sleep 600; } > in.fifo 2> /dev/null & # ended below
    local writer=$!
    "$@" -q -c example -o out.json - < in.fifo 2> /dev/null &
    local pid=$!
    local n=0
    for _ in $(seq 100); do # the workers start once the header is read
        n=$(ls "/proc/$pid/task" 2> /dev/null | wc -l)
        [ "$n" -gt 1 ] && break
        sleep 0.1
    done
    sleep 0.3
    n=$(ls "/proc/$pid/task" 2> /dev/null | wc -l)
    kill "$writer" 2> /dev/null
    wait "$writer" 2> /dev/null
    wait "$pid" 2> /dev/null
    echo "$n"
}

# Counted against runs with -j 1 and -j 2 (a sanitizer may add a thread of its own
# to every run that starts threads).
base1=$(threads_of "$QUALPIPE" run -j 1)
base2=$(threads_of "$QUALPIPE" run -j 2)
expect_eq "-j 2 starts two workers" "$(( base2 > base1 + 1 ))" 1
expect_eq "QUALPIPE_JOBS=3: three workers" "$(threads_of env QUALPIPE_JOBS=3 "$QUALPIPE" run)" \
    $((base2 + 1))
expect_eq "-j 2 wins over QUALPIPE_JOBS" "$(threads_of env QUALPIPE_JOBS=3 "$QUALPIPE" run -j 2)" \
    "$base2"
if [ "$(nproc --all)" -ge 2 ] && command -v taskset > /dev/null; then
    expect_eq "on one processor (taskset): no workers" \
        "$(threads_of env -u QUALPIPE_JOBS taskset -c 0 "$QUALPIPE" run)" "$base1"
    expect_eq "an unusable QUALPIPE_JOBS falls back to the processors" \
        "$(threads_of env QUALPIPE_JOBS=many taskset -c 0 "$QUALPIPE" run)" "$base1"
fi
done_checks

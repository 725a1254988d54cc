#!/bin/bash
# signals.sh - a run stopped by SIGTERM or Ctrl-C (SIGINT) removes its temporary
# outputs, says how far it got and exits 143 or 130, as shells expect.
. "$SRCDIR/tests/e2e/lib.sh"
CORPUS="$SRCDIR/corpora/inaugural/inaugural.jsonl"
for sig in TERM INT; do
    rm -rf out in.fifo && mkdir out && mkfifo in.fifo
    # The corpus, then a writer that keeps the FIFO open: the run waits for more.
    { cat "$CORPUS"; exec sleep 60; } > in.fifo 2> /dev/null &
    writer=$!
    "$QUALPIPE" run -q -j2 -c example -o out/r.json --hits out/h.csv --sqlite out/d.db - \
        < in.fifo 2> err.txt &
    pid=$!
    for _ in $(seq 100); do # until the run has started its outputs
        [ -n "$(ls out)" ] && break
        sleep 0.1
    done
    [ -n "$(ls out)" ] || fail "the run never started its outputs"
    sleep 0.5
    # The database's temporary name is mkstemp's, not one another user could
    # guess (such as the process id) and plant a link at.
    expect_eq "SIG$sig: the database's temporary name is not the pid" \
        "$(ls out | grep -c "^d\.db\.tmp\.$pid\$")" 0
    expect_eq "SIG$sig: the database has a temporary file of its own" \
        "$(ls out | grep -cE '^d\.db\.tmp\.[A-Za-z0-9]{6}$')" 1
    kill -s "$sig" "$pid"
    wait "$pid"
    status=$?
    kill "$writer" 2> /dev/null
    wait "$writer" 2> /dev/null
    expect_status "SIG$sig" $status $([ $sig = TERM ] && echo 143 || echo 130)
    expect_eq "SIG$sig: every temporary output removed" "$(ls out | tr '\n' ' ')" ""
    expect_grep "SIG$sig: says how far it got" "stopped by .*SIG$sig.* after [0-9]+ documents; nothing was written" err.txt
done

# A line that never ends (no NUL, no newline) is read until a signal stops it.
mkfifo endless.fifo
{ yes | tr -d '\n'; } > endless.fifo 2> /dev/null &
writer=$!
"$QUALPIPE" run -q -c example -o endless.json - < endless.fifo 2> err.txt &
pid=$!
( sleep 30; kill -9 "$pid" ) 2> /dev/null & # a run deaf to SIGTERM fails, not hangs
watchdog=$!
sleep 1
kill -s TERM "$pid"
wait "$pid"
expect_status "SIGTERM during a line that never ends" $? 143
kill "$watchdog" 2> /dev/null
kill "$writer" 2> /dev/null
wait "$writer" 2> /dev/null
[ ! -e endless.json ] || fail "the stopped run wrote its output"
CHECKS=$((CHECKS + 1))
done_checks

# output_devices.sh - an output that names a device or a FIFO is written in place,
# never replaced by a file (as root, renaming over a device node would replace
# it for the whole machine); a database is never written over one, and a folder
# is refused. The devices are the test's own: a FIFO, and as root a null device
# made with mknod.
. "$SRCDIR/tests/e2e/lib.sh"
set -o pipefail
CORPUS="$SRCDIR/corpora/pln-interviews"
"$QUALPIPE" run -q -c edmondson -o plain.json "$CORPUS"
expect_status "a run to a file" $? 0

mkfifo out.fifo
timeout 60 cat out.fifo > got.json &
reader=$!
"$QUALPIPE" run -q -c edmondson -o out.fifo "$CORPUS"
expect_status "a run to a FIFO" $? 0
wait $reader
expect_status "the FIFO's reader got to the end" $? 0
[ -p out.fifo ] || fail "the FIFO was replaced"
CHECKS=$((CHECKS + 1))
cmp plain.json got.json || fail "what came through the FIFO differs from the file"
CHECKS=$((CHECKS + 1))

if [ "$(id -u)" -eq 0 ] && mknod mynull c 1 3 2> /dev/null; then
    "$QUALPIPE" run -q -c edmondson -o mynull --hits mynull-hits "$CORPUS"
    expect_status "a run to a null device" $? 0
    [ -c mynull ] || fail "-o replaced the device node with a file"
    CHECKS=$((CHECKS + 1))
    mv mynull mynull-hits
    mknod mynull c 1 3
    "$QUALPIPE" run -q -c edmondson -o plain2.json --hits mynull-hits "$CORPUS"
    expect_status "--hits to a null device" $? 0
    [ -c mynull-hits ] || fail "--hits replaced the device node with a file"
    CHECKS=$((CHECKS + 1))
    "$QUALPIPE" run -q -c edmondson -o plain3.json --sqlite mynull "$CORPUS" 2> err.txt
    expect_status "--sqlite to a device" $? 2
    expect_grep "says a database needs a file" "--sqlite .*mynull: not a regular file" err.txt
    [ -c mynull ] || fail "--sqlite replaced the device node with a file"
    CHECKS=$((CHECKS + 1))
    [ ! -e plain3.json ] || fail "a failed run published its -o"
    "$QUALPIPE" export --qdpx mynull -c edmondson "$CORPUS" 2> err.txt
    expect_status "--qdpx to a device" $? 2
    expect_grep "says a project needs a file" "mynull: not a regular file" err.txt
    [ -c mynull ] || fail "--qdpx replaced the device node with a file"
    CHECKS=$((CHECKS + 1))
    CHECKS=$((CHECKS + 1))
fi

# A full disk (/dev/full answers every write with ENOSPC): exit 2, the file and
# errno's text named, at any -j, with nothing left half-written.
for j in 1 4; do
    timeout 60 "$QUALPIPE" run -q -j$j -c edmondson -o /dev/full "$CORPUS" 2> err.txt
    expect_status "-o on a full disk, -j$j" $? 2
    expect_grep "names the file and why" "/dev/full: cannot write: No space left on device" err.txt
    timeout 60 "$QUALPIPE" run -q -j$j -c edmondson --hits /dev/full -o full-hits.json \
        "$CORPUS" 2> err.txt
    expect_status "--hits on a full disk, -j$j" $? 2
    expect_grep "names the file and why" "/dev/full: cannot write: No space left on device" err.txt
    [ ! -e full-hits.json ] || fail "a run that failed to write --hits published its -o"
    CHECKS=$((CHECKS + 1))
    # The outputs of a run appear together or not at all: a failed -o publishes
    # neither the hits table nor the database (nor leaves their temporary files).
    rm -rf together && mkdir together
    timeout 60 "$QUALPIPE" run -q -j$j -c edmondson -o /dev/full --hits together/h.csv \
        --sqlite together/d.db "$CORPUS" 2> err.txt
    expect_status "-o on a full disk with --hits and --sqlite, -j$j" $? 2
    expect_eq "nothing of that run is left, -j$j" "$(ls together | tr '\n' ' ')" ""
done

mkdir afolder
"$QUALPIPE" run -q -c edmondson -o afolder "$CORPUS" 2> err.txt
expect_status "-o a folder" $? 2
expect_grep "names the folder" "afolder: is a folder" err.txt
done_checks

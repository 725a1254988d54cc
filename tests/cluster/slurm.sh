#!/bin/bash
# slurm.sh - the README's Slurm job array on a real Slurm: installs slurm-wlm and
# munge from Debian when they are missing, starts a one-node cluster of its own
# (munged, slurmctld, slurmd, every file under a temporary folder), codes the
# bundled interviews and transcripts with the README's code-shards.sbatch and
# merge job, checks each merged result is byte for byte one `qualpipe run`'s, and
# stops the daemons it started. Run as root from the build tree:
#   SRCDIR=. bash tests/cluster/slurm.sh
set -uo pipefail
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILDDIR:-$PWD}
fail() {
    echo "FAIL: slurm: $*" >&2
    exit 1
}
[ -x "$BUILD/qualpipe" ] || fail "no qualpipe in $BUILD: build first (or set BUILDDIR)"
[ "$(id -u)" -eq 0 ] || fail "starts slurmctld, slurmd and munged: run as root"
if ! command -v slurmctld > /dev/null || ! command -v munged > /dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        slurm-wlm munge > /dev/null || fail "cannot install slurm-wlm and munge"
fi

T=$(mktemp -d /tmp/qualpipe-slurm.XXXXXX)
# stop: ends the daemons this test started (by their pid files), waiting up to
# 10 s for each before SIGKILL, then removes the folder.
stop() {
    local pids=() f p
    for f in "$T"/slurmd.pid "$T"/slurmctld.pid "$T"/munge/munged.pid; do
        [ -s "$f" ] && pids+=("$(cat "$f")")
    done
    for p in "${pids[@]}"; do kill "$p" 2> /dev/null; done
    for _ in $(seq 20); do
        alive=0
        for p in "${pids[@]}"; do kill -0 "$p" 2> /dev/null && alive=1; done
        [ $alive -eq 0 ] && break
        sleep 0.5
    done
    for p in "${pids[@]}"; do kill -9 "$p" 2> /dev/null; done
    rm -rf "$T"
}
trap stop EXIT
mkdir -p "$T/state" "$T/spool" "$T/munge" "$T/work"
chmod 700 "$T/munge"
dd if=/dev/urandom of="$T/munge/munge.key" bs=1024 count=1 status=none
chmod 600 "$T/munge/munge.key"
munged --force --socket="$T/munge/munge.sock" --key-file="$T/munge/munge.key" \
    --pid-file="$T/munge/munged.pid" --log-file="$T/munge/munged.log" \
    --seed-file="$T/munge/munge.seed" || fail "munged did not start"

host=$(hostname)
export SLURM_CONF="$T/slurm.conf"
cat > "$SLURM_CONF" << CONF
ClusterName=qualpipe-test
SlurmctldHost=$host
AuthType=auth/munge
AuthInfo=socket=$T/munge/munge.sock
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldPort=${SLURMCTLD_PORT:-16817}
SlurmdPort=${SLURMD_PORT:-16818}
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start: $(tail -5 "$T/slurmctld.log")"
slurmd -f "$SLURM_CONF" || fail "slurmd did not start: $(tail -5 "$T/slurmd.log")"
for _ in $(seq 60); do
    sinfo -h -o %t 2> /dev/null | grep -q idle && break
    sleep 1
done
sinfo -h -o %t | grep -q idle || fail "the node never became idle: $(tail -5 "$T/slurmctld.log")"

# The README's script, as written there; a task of 2 CPUs needs the node to have 2.
awk '/^# code-shards.sbatch - /{on=1; print "#!/bin/bash"} on && /^```/{exit} on' \
    "$SRCDIR/README.md" > "$T/work/code-shards.sbatch"
grep -q '^qualpipe run' "$T/work/code-shards.sbatch" || fail "no code-shards.sbatch in the README"
[ "$(nproc)" -ge 2 ] || sed -i 's/--cpus-per-task=2/--cpus-per-task=1/' "$T/work/code-shards.sbatch"
export PATH="$BUILD:$PATH" # the tasks run qualpipe from this build

# finished JOB: waits (up to 5 minutes) until every task of JOB has left the
# queue; returns 0 when all of them COMPLETED.
finished() {
    for _ in $(seq 600); do
        squeue -h -j "$1" 2> /dev/null | grep -q . || break
        sleep 0.5
    done
    local states
    states=$(scontrol show job "$1" 2> /dev/null | grep -o 'JobState=[A-Z_]*' | sort -u)
    [ "$states" = JobState=COMPLETED ] || { echo "job $1: ${states:-gone}" >&2; return 1; }
}

checks=0
# code CORPUS METADATA FILES...: the README's two sbatch commands (each waits here,
# --wait, so the test knows when they end), then the comparison with one run.
code() {
    local name=$1 metadata=$2
    shift 2
    local dir="$T/work/$name"
    mkdir -p "$dir/logs" "$dir/parts"
    cp "$T/work/code-shards.sbatch" "$dir/"
    (
        cd "$dir" || exit 1
        array=$(sbatch --parsable code-shards.sbatch edmondson "$metadata" "$@") || exit 1
        merge=$(sbatch --parsable --dependency=afterok:"$array" --output=logs/merge.out \
            --wrap 'qualpipe merge -o all.json parts/part-*.json') || exit 1
        finished "$merge" || { cat logs/* >&2; exit 1; }
        finished "$array" || { cat logs/* >&2; exit 1; }
    ) || fail "$name: the array or the merge failed"
    local meta=()
    [ "$metadata" = - ] || meta=(--meta "$metadata" --by role)
    qualpipe run -q -c edmondson "${meta[@]}" -o "$dir/one.json" "$@" || fail "$name: one run failed"
    [ "$(ls "$dir/parts" | wc -l)" -eq 4 ] || fail "$name: expected 4 parts, got $(ls "$dir/parts")"
    cmp -s "$dir/one.json" "$dir/all.json" || fail "$name: the merged result differs from one run"
    checks=$((checks + 3))
}
code pln-interviews "$SRCDIR/corpora/pln-interviews/metadata.csv" "$SRCDIR"/corpora/pln-interviews/*.txt
code pdpilot - "$SRCDIR"/corpora/pdpilot/transcripts/*.txt
echo "ok: $checks checks"

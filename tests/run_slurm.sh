#!/bin/sh
# run_slurm.sh - contrib/slurm/ on a one-node Slurm cluster made for the
# test: munged, slurmctld and slurmd run in the background with their
# own key, socket, configuration, state and logs in a temporary folder.
# The job array runs `ordex batch` over the sample PDFs in 3 shards; the
# merged shards must equal one `ordex batch --sorted` run; a rerun of
# ordex-submit.sh must submit nothing, and after a shard is removed it
# must submit that shard only.  Needs root and the Debian packages
# slurmctld slurmd slurm-client munge; otherwise it prints
# "slurm: skipped (reason)".  Final line: "slurm: N passed, M failed".
set -u
ORDEX=${1:-build/ordex}
cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C ORDEX_GRAMMAR_DIR="$(pwd)/grammars"
case "$ORDEX" in /*) ;; *) ORDEX=$(pwd)/$ORDEX ;; esac
BULK=${BULK:-../shared/corpus/bulk}

skip() { echo "slurm: skipped ($1)"; exit 0; }
[ "$(id -u)" = 0 ] || skip "not root"
for b in munged mungekey slurmctld slurmd sbatch squeue sinfo scontrol; do
    command -v "$b" >/dev/null 2>&1 \
        || skip "$b not installed (make deps installs slurmctld slurmd slurm-client munge)"
done
[ -x "$ORDEX" ] || skip "$ORDEX not built"

T=$(mktemp -d /tmp/ordex-slurm.XXXXXX)
chmod 755 "$T"
PIDS=
cleanup() {
    for p in $PIDS; do kill "$p" 2>/dev/null; done
    sleep 1
    for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
die() {
    echo "FAIL $*"
    for f in "$T"/*.log; do echo "== $f"; tail -15 "$f"; done
    echo "slurm: $pass passed, $((fail + 1)) failed"
    exit 1
}

# The documents: the samples, else a few filings of the bulk corpus.
set -- samples/*.pdf
if [ ! -f "$1" ]; then
    [ -d "$BULK" ] || skip "no samples/*.pdf"
    set -- $(ls "$BULK"/*.pdf | head -7)
fi
[ $# -ge 2 ] || skip "fewer than 2 documents"

# munge, on its own socket
mkdir -m 711 "$T/munge"
mungekey -c -k "$T/munge/munge.key" || die "mungekey"
munged -F --force --key-file="$T/munge/munge.key" \
    --socket="$T/munge/munge.sock" --pid-file="$T/munge/munged.pid" \
    --log-file="$T/munged.log" --seed-file="$T/munge/munge.seed" \
    >"$T/munged.out.log" 2>&1 &
PIDS="$PIDS $!"
i=0
while [ ! -S "$T/munge/munge.sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ -S "$T/munge/munge.sock" ] || die "munged did not start"

# slurm.conf
HOST=$(hostname -s)
mkdir "$T/state" "$T/spool"
cat >"$T/slurm.conf" <<EOF
ClusterName=ordextest
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$T/munge/munge.sock
CredType=cred/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$T/jobcomp.txt
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
MpiDefault=none
ReturnToService=2
MailProg=/bin/true
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$T/slurm.conf"
slurmctld -D -c >"$T/slurmctld.out.log" 2>&1 &
PIDS="$PIDS $!"
slurmd -D -N "$HOST" >"$T/slurmd.out.log" 2>&1 &
PIDS="$PIDS $!"
i=0
until sinfo -h -N -o %t 2>/dev/null | grep -qx idle; do
    i=$((i + 1))
    [ $i -ge 120 ] && die "node not idle after 60 s: $(sinfo -h -N -o %t 2>&1)"
    sleep 0.5
done
ok

# wait_jobs: until nothing of ours is queued or running (bounded).
wait_jobs() {
    i=0
    while [ -n "$(squeue -h -o %i 2>/dev/null)" ]; do
        i=$((i + 1))
        [ $i -ge 240 ] && die "jobs still queued after 120 s: $(squeue 2>&1)"
        sleep 0.5
    done
}

OUT=$T/out
SUBMIT="sh contrib/slurm/ordex-submit.sh"
MERGE="sh contrib/slurm/ordex-merge.sh"
$SUBMIT -n 3 -o "$OUT" -x "$ORDEX" -a --timeout=120 "$@" >"$T/submit1.txt" 2>&1 \
    || die "submit: $(cat "$T/submit1.txt")"
grep -q "shards 1,2,3 of 3" "$T/submit1.txt" && ok || bad "first submit: $(cat "$T/submit1.txt")"
wait_jobs
for k in 1 2 3; do
    [ -f "$OUT/shard-$k.jsonl" ] && [ -f "$OUT/shard-$k.failed" ] && ok \
        || bad "shard $k unfinished: $(cat "$OUT/logs/shard-$k.log" 2>&1)"
done

"$ORDEX" batch --sorted "$@" >"$T/single.jsonl" 2>"$T/single.err"
$MERGE "$OUT" "$T/merged.jsonl" >/dev/null || bad "merge failed"
if cmp -s "$T/merged.jsonl" "$T/single.jsonl"; then ok
else bad "merged shards differ from one --sorted run"; fi
if [ "$(sort "$T/merged.jsonl")" = "$(sort "$T/single.jsonl")" ]; then ok
else bad "merged shards differ from one run (after sorting)"; fi

# a rerun submits nothing
$SUBMIT -o "$OUT" -x "$ORDEX" >"$T/submit2.txt" 2>&1
if [ "$(cat "$T/submit2.txt")" = "ordex-submit: nothing to submit (3 shards finished or running in $OUT)" ] \
    && [ -z "$(squeue -h -o %i)" ]; then ok
else bad "rerun submitted: $(cat "$T/submit2.txt")"; fi

# a lost shard: only it is resubmitted, and the merge is whole again
rm "$OUT/shard-2.jsonl"
$MERGE "$OUT" "$T/merged2.jsonl" >/dev/null 2>"$T/merge2.err" && bad "merge with a shard missing"
grep -q "unfinished shards: 2" "$T/merge2.err" && ok || bad "merge message: $(cat "$T/merge2.err")"
$SUBMIT -o "$OUT" -x "$ORDEX" >"$T/submit3.txt" 2>&1
grep -q "shards 2 of 3" "$T/submit3.txt" && ok || bad "resubmit: $(cat "$T/submit3.txt")"
wait_jobs
$MERGE "$OUT" "$T/merged3.jsonl" >/dev/null && cmp -s "$T/merged3.jsonl" "$T/single.jsonl" \
    && ok || bad "merge after resubmitting shard 2"

echo "slurm: $pass passed, $fail failed"
[ "$fail" = 0 ]

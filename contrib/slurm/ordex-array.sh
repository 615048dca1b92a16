#!/bin/sh
# ordex-array.sh - one task of a Slurm job array running `ordex batch`
# over one shard of a frozen input list.  Submitted by ordex-submit.sh
# (read it first) as:  sbatch --array=LIST ordex-array.sh OUTDIR
#
# OUTDIR holds what ordex-submit.sh froze: inputs.list (the sorted input
# paths), shards (N), ordex (the command) and args (extra options of
# ordex batch, one a line).  Task K (1-based, the array index) writes
# OUTDIR/shard-K.jsonl.tmp with --resume, so a requeued or rerun task
# carries on where it stopped, then renames it to OUTDIR/shard-K.jsonl:
# that file exists only once the shard is complete.  OUTDIR/shard-K.failed
# lists the inputs of the shard that gave error records.  The task exits
# 0 when the shard is complete even if some documents failed (their error
# records are in the shard); otherwise with ordex's exit status.
#SBATCH --job-name=ordex-batch
#SBATCH --cpus-per-task=1
set -u
OUT=${1:?usage: sbatch --array=LIST ordex-array.sh OUTDIR}
K=${SLURM_ARRAY_TASK_ID:?not a Slurm array task}
N=$(cat "$OUT/shards") || exit 1
ORDEX=$(cat "$OUT/ordex") || exit 1
FINAL=$OUT/shard-$K.jsonl
[ -f "$FINAL" ] && { echo "shard $K/$N: already complete"; exit 0; }

# The extra options, one a line, as positional parameters.
set --
while IFS= read -r a; do
    [ -n "$a" ] && set -- "$@" "$a"
done <"$OUT/args"

"$ORDEX" batch -j "${SLURM_CPUS_PER_TASK:-1}" --sorted --shard "$K/$N" \
    --resume -o "$FINAL.tmp" --failed "$OUT/shard-$K.failed" "$@" \
    "@$OUT/inputs.list"
rc=$?
case $rc in
0 | 10) mv -f "$FINAL.tmp" "$FINAL" && exit 0 ;;
esac
echo "shard $K/$N: ordex batch exited $rc; rerun ordex-submit.sh to resume" >&2
exit "$rc"

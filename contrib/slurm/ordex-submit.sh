#!/bin/sh
# ordex-submit.sh - submit `ordex batch` over many PDFs as a Slurm job
# array, one task per shard; rerun it to resubmit only the shards that
# have not finished.
#
#   ordex-submit.sh -n SHARDS -o OUTDIR [-c CPUS] [-x ORDEX] [-a OPTION]...
#                   [-s SBATCH-OPTION]... [INPUT...]
#
# The first run freezes in OUTDIR the sorted input list (INPUT: PDFs,
# folders, @LIST, as for ordex batch), the shard count, the command and
# its extra options (-a, e.g. -a --timeout=300), so that every task and
# every rerun sees the same shards.  A rerun needs no INPUT; given one, it
# must resolve to the same list.  Shards with a complete
# OUTDIR/shard-K.jsonl, and those still queued or running, are skipped;
# when none is left nothing is submitted.  Logs: OUTDIR/logs/.
# Then ordex-merge.sh OUTDIR gives the single sorted JSON Lines file.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
N= OUT= CPUS=1 ORDEX=${ORDEX:-ordex} ARGS= SB=
usage() {
    echo "usage: ordex-submit.sh -n SHARDS -o OUTDIR [-c CPUS] [-x ORDEX]" \
        "[-a OPTION]... [-s SBATCH-OPTION]... [INPUT...]" >&2
    exit 2
}
nl='
'
while getopts n:o:c:x:a:s:h opt; do
    case $opt in
    n) N=$OPTARG ;;
    o) OUT=$OPTARG ;;
    c) CPUS=$OPTARG ;;
    x) ORDEX=$OPTARG ;;
    a) ARGS="$ARGS$OPTARG$nl" ;;
    s) SB="$SB$OPTARG$nl" ;;
    *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ -n "$OUT" ] || usage
mkdir -p "$OUT/logs"
OUT=$(cd "$OUT" && pwd)
case $ORDEX in
*/*) ORDEX=$(cd "$(dirname "$ORDEX")" && pwd)/$(basename "$ORDEX") ;;
*) ORDEX=$(command -v "$ORDEX") || { echo "ordex-submit: no ordex in PATH" >&2; exit 2; } ;;
esac

if [ ! -f "$OUT/inputs.list" ]; then
    [ -n "$N" ] && [ $# -gt 0 ] || usage
    case $N in '' | *[!0-9]* | 0) usage ;; esac
    "$ORDEX" batch --list "$@" >"$OUT/inputs.list.tmp"
    mv "$OUT/inputs.list.tmp" "$OUT/inputs.list"
    echo "$N" >"$OUT/shards"
    echo "$ORDEX" >"$OUT/ordex"
    printf '%s' "$ARGS" >"$OUT/args"
else
    if [ -n "$N" ] && [ "$N" != "$(cat "$OUT/shards")" ]; then
        echo "ordex-submit: $OUT was started with $(cat "$OUT/shards") shards" >&2
        exit 2
    fi
    if [ $# -gt 0 ]; then
        "$ORDEX" batch --list "$@" >"$OUT/inputs.check"
        if ! cmp -s "$OUT/inputs.check" "$OUT/inputs.list"; then
            rm -f "$OUT/inputs.check"
            echo "ordex-submit: $OUT was started with other inputs; use a new OUTDIR" >&2
            exit 2
        fi
        rm -f "$OUT/inputs.check"
    fi
    N=$(cat "$OUT/shards")
fi

name=ordex-$(basename "$OUT")
# array tasks of this OUTDIR still queued or running
busy=$(squeue -h -r -n "$name" -o %K 2>/dev/null || true)
todo=
k=1
while [ "$k" -le "$N" ]; do
    if [ ! -f "$OUT/shard-$k.jsonl" ] \
        && ! printf '%s\n' $busy | grep -qx "$k"; then
        todo="${todo:+$todo,}$k"
    fi
    k=$((k + 1))
done
if [ -z "$todo" ]; then
    echo "ordex-submit: nothing to submit ($N shards finished or running in $OUT)"
    exit 0
fi
set --
while IFS= read -r a; do
    [ -n "$a" ] && set -- "$@" "$a"
done <<EOS
$SB
EOS
job=$(sbatch --parsable --array="$todo" --job-name="$name" \
    --cpus-per-task="$CPUS" --chdir="$(pwd)" \
    --output="$OUT/logs/shard-%a.log" "$@" "$here/ordex-array.sh" "$OUT")
echo "ordex-submit: job $job: shards $todo of $N"

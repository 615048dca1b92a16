#!/bin/sh
# ordex-merge.sh - merge the shards of an ordex-submit.sh run into one
# JSON Lines file sorted by source.file (byte order), the same lines in
# the same order as one `ordex batch --sorted` run over the inputs.
#
#   ordex-merge.sh OUTDIR [MERGED.jsonl]    (default OUTDIR/all.jsonl)
#
# Refuses (exit 1, naming them) while some shard is unfinished, or when
# the line count differs from the input list.  Sorting goes through
# sort(1), so it needs no more memory than sort does; the result is
# written atomically (temporary file, then rename).  Needs python3.
set -eu
OUT=${1:?usage: ordex-merge.sh OUTDIR [MERGED.jsonl]}
DEST=${2:-$OUT/all.jsonl}
N=$(cat "$OUT/shards")
missing= k=1
while [ "$k" -le "$N" ]; do
    [ -f "$OUT/shard-$k.jsonl" ] || missing="$missing $k"
    k=$((k + 1))
done
if [ -n "$missing" ]; then
    echo "ordex-merge: unfinished shards:$missing (rerun ordex-submit.sh)" >&2
    exit 1
fi
tmp=$DEST.tmp.$$
trap 'rm -f "$tmp"' EXIT
k=1
while [ "$k" -le "$N" ]; do
    cat "$OUT/shard-$k.jsonl"
    k=$((k + 1))
done | python3 -c '
import json, sys
# key: the hex of source.file in UTF-8, which sorts in byte order
for line in sys.stdin.buffer:
    f = json.loads(line)["source"]["file"].encode("utf-8", "surrogateescape")
    sys.stdout.buffer.write(f.hex().encode() + b"\t" + line)
' | LC_ALL=C sort -s -t "$(printf '\t')" -k1,1 | cut -f2- >"$tmp"
want=$(wc -l <"$OUT/inputs.list")
got=$(wc -l <"$tmp")
if [ "$got" != "$want" ]; then
    echo "ordex-merge: $got lines for $want inputs" >&2
    exit 1
fi
mv -f "$tmp" "$DEST"
trap - EXIT
echo "ordex-merge: $got documents in $DEST"

#!/bin/sh
# run_jobs.sh - `ordex -j N FILE` (issue 18): the pages of one document
# read by N threads, each with its own PopplerDocument.  The JSON (and
# --dump=text) must be byte for byte the same with -j 1, 2 and 3, on every
# sample and on a 90-page order made by joining the samples six times
# (qpdf: fonts shared across pages that different threads read); a broken
# -j is a usage error.  The OCR pages on threads are in run_ocr.sh.
# About 10 s.
# Usage: sh tests/run_jobs.sh PATH/TO/ordex
set -u
ORDEX=${1:-build/ordex}
cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C ORDEX_GRAMMAR_DIR="$(pwd)/grammars"
case "$ORDEX" in /*) ;; *) ORDEX=$(pwd)/$ORDEX ;; esac
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

# same NAME FILE ARGS...: -j 1, 2 and 3 give the same bytes, exit and
# (empty) stderr.
same() {
    name=$1 file=$2; shift 2
    for j in 1 2 3; do
        "$ORDEX" -j "$j" "$@" "$file" >"$T/j$j.out" 2>"$T/j$j.err"
        echo $? >"$T/j$j.rc"
    done
    for j in 2 3; do
        if cmp -s "$T/j1.out" "$T/j$j.out" && cmp -s "$T/j1.rc" "$T/j$j.rc"; then ok
        else bad "$name: -j $j differs from -j 1 (exit $(cat "$T/j$j.rc") vs $(cat "$T/j1.rc"))"; fi
    done
    [ -s "$T/j1.out" ] && ok || bad "$name: no output"
    for j in 1 2 3; do
        [ -s "$T/j$j.err" ] && bad "$name -j $j: stderr: $(head -c 300 "$T/j$j.err")" || ok
    done
}

for f in samples/*.pdf; do
    same "$f" "$f" --ocr=never
done

qpdf --empty --pages samples/*.pdf samples/*.pdf samples/*.pdf samples/*.pdf \
    samples/*.pdf samples/*.pdf -- "$T/long.pdf" 2>"$T/err" && ok \
    || bad "qpdf: $(cat "$T/err")"
pages=$(pdfinfo "$T/long.pdf" | sed -n 's/^Pages: *//p')
[ "$pages" = 90 ] && ok || bad "long.pdf: $pages pages, expected 90"
same long "$T/long.pdf" --ocr=never
cp "$T/j1.out" "$T/long.json"
same long-pretty "$T/long.pdf" --ocr=never --pretty
same long-text "$T/long.pdf" --ocr=never --dump=text
# the default (one thread a core) is the same document too
"$ORDEX" --ocr=never "$T/long.pdf" >"$T/default.json" 2>"$T/err" && ok || bad "default: exit $?"
cmp -s "$T/long.json" "$T/default.json" && ok || bad "long: the default -j differs from -j 1"
# real values: every page in text_source, the deadlines of all six copies
python3 - "$T/long.json" <<'EOF' && ok || bad "long: $(head -c 600 "$T/long.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["source"]["pages"] == 90
assert [p["page"] for p in d["source"]["text_source"]] == list(range(1, 91))
dates = [t["date"] for t in d["deadlines"]]
assert dates.count("2025-12-08") == 12, dates   # the OpenAI order's two, six times
EOF

# -j must be a count
"$ORDEX" -j -1 samples/nysd_vacatur_order.pdf >/dev/null 2>"$T/err"; rc=$?
[ "$rc" = 2 ] && [ "$(cat "$T/err")" = "ordex: --jobs must be 0 or more, not -1" ] && ok \
    || bad "-j -1: exit $rc: $(cat "$T/err")"
"$ORDEX" -j two samples/nysd_vacatur_order.pdf >/dev/null 2>"$T/err"; rc=$?
[ "$rc" = 2 ] && grep -q "^ordex: Cannot parse integer value .*two.* for -j (see ordex --help)$" "$T/err" && ok \
    || bad "-j two: exit $rc: $(cat "$T/err")"

echo "jobs: $pass passed, $fail failed"
[ "$fail" = 0 ]

#!/bin/sh
# run_golden.sh - golden tests: one folder per case under tests/golden/.
#
# A case folder holds:
#   cmd       the ordex arguments, one line, paths relative to the repo root
#   expected  the exact standard output
#   exit      the expected exit status (optional, default 0)
#   stderr    the exact standard error (optional; checked when present)
# On a difference the actual output is kept in build/golden/CASE.actual.
# Updating an expectation is a reviewed diff, never a blind regenerate.
set -u
ORDEX=${1:-build/ordex}
cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C ORDEX_GRAMMAR_DIR=grammars
out=build/golden
mkdir -p "$out"
pass=0 fail=0
for dir in tests/golden/*/; do
    name=$(basename "$dir")
    [ -f "$dir/cmd" ] || continue
    want_exit=0
    [ -f "$dir/exit" ] && want_exit=$(cat "$dir/exit")
    # shellcheck disable=SC2046
    timeout 120 "$ORDEX" $(cat "$dir/cmd") >"$out/$name.actual" 2>"$out/$name.stderr"
    got=$?
    ok=1
    if [ "$got" != "$want_exit" ]; then
        echo "FAIL $name: exit $got, expected $want_exit"; ok=0
    fi
    if ! cmp -s "$out/$name.actual" "$dir/expected"; then
        echo "FAIL $name: output differs:"; diff -u "$dir/expected" "$out/$name.actual" | head -40; ok=0
    fi
    if [ -f "$dir/stderr" ] && ! cmp -s "$out/$name.stderr" "$dir/stderr"; then
        echo "FAIL $name: stderr differs:"; diff -u "$dir/stderr" "$out/$name.stderr" | head -20; ok=0
    fi
    if [ $ok = 1 ]; then pass=$((pass + 1)); rm -f "$out/$name.actual" "$out/$name.stderr"
    else fail=$((fail + 1)); fi
done
echo "golden: $pass passed, $fail failed"
[ $fail = 0 ]

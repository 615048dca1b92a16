#!/bin/sh
# run_golden.sh - golden tests: one folder per case, by kind, under
# tests/golden/KIND/CASE/ (kinds: cli, records, dump, directives, deadlines,
# document-kind, calendar).  A case folder holds:
#   cmd       the ordex arguments, one line, paths relative to the repo root
#   expected  the exact standard output
#   exit      the expected exit status (optional, default 0)
#   stderr    the exact standard error (optional; checked when present)
#   input.*   the case's own input, when it has one (named in cmd)
# A folder is a case when it holds cmd; nothing else needs listing.
# CASES (environment, or `make golden CASES=...`) runs a subset: a comma-
# separated list of shell patterns, each matched against KIND/CASE, KIND
# and CASE ("deadlines", "calendar/santos-*", "*-text").
# On a difference the actual output is kept in build/golden/KIND/CASE.actual.
# Updating an expectation is a reviewed diff, never a blind regenerate.
set -u
ORDEX=${1:-build/ordex}
cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C ORDEX_GRAMMAR_DIR=grammars
export G_DEBUG=fatal-criticals # stage 5 asking for an undeclared field aborts
out=build/golden
CASES=${CASES:-}
mkdir -p "$out"

# Whether case KIND/NAME is selected by CASES.
selected() {
    [ -z "$CASES" ] && return 0
    old_ifs=$IFS
    IFS=,
    for pat in $CASES; do
        IFS=$old_ifs
        # shellcheck disable=SC2254
        case "$1/$2" in $pat) return 0 ;; esac
        # shellcheck disable=SC2254
        case "$1" in $pat) return 0 ;; esac
        # shellcheck disable=SC2254
        case "$2" in $pat) return 0 ;; esac
    done
    IFS=$old_ifs
    return 1
}

pass=0 fail=0
for dir in tests/golden/*/*/; do
    [ -f "$dir/cmd" ] || continue
    name=$(basename "$dir")
    kind=$(basename "$(dirname "$dir")")
    selected "$kind" "$name" || continue
    mkdir -p "$out/$kind"
    act=$out/$kind/$name
    want_exit=0
    [ -f "$dir/exit" ] && want_exit=$(cat "$dir/exit")
    # shellcheck disable=SC2046
    timeout 120 "$ORDEX" $(cat "$dir/cmd") >"$act.actual" 2>"$act.stderr"
    got=$?
    ok=1
    if [ "$got" != "$want_exit" ]; then
        echo "FAIL $kind/$name: exit $got, expected $want_exit"; ok=0
    fi
    if ! cmp -s "$act.actual" "$dir/expected"; then
        echo "FAIL $kind/$name: output differs:"; diff -u "$dir/expected" "$act.actual" | head -40; ok=0
    fi
    if [ -f "$dir/stderr" ] && ! cmp -s "$act.stderr" "$dir/stderr"; then
        echo "FAIL $kind/$name: stderr differs:"; diff -u "$dir/stderr" "$act.stderr" | head -20; ok=0
    fi
    if [ $ok = 1 ]; then pass=$((pass + 1)); rm -f "$act.actual" "$act.stderr"
    else fail=$((fail + 1)); fi
done
if [ -n "$CASES" ] && [ $((pass + fail)) = 0 ]; then
    echo "golden: no case matches CASES=$CASES (cases are tests/golden/KIND/CASE/)"
    exit 1
fi
echo "golden: $pass passed, $fail failed"
[ $fail = 0 ]

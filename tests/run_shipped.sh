#!/bin/sh
# run_shipped.sh - the command as a new user meets it, with no
# ORDEX_GRAMMAR_DIR: the grammars compiled into the library are exactly
# grammars/*.rules and give the same JSON as the folder; --print-grammars
# writes them and never overwrites; a --grammars folder overrides a
# shipped rule by id; --no-default-grammars with a printed copy gives the
# same JSON; negative limits are usage errors; --help lists the commands.
# Final line: "shipped: N passed, M failed".  About 5 s.
set -u
ORDEX=${1:-build/ordex}
cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C
unset ORDEX_GRAMMAR_DIR
case "$ORDEX" in /*) ;; *) ORDEX=$(pwd)/$ORDEX ;; esac
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cp samples/openai_privilege_order.pdf "$T/good.pdf"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

# expect NAME EXIT STDERR -- ARGS...: runs ordex in $T, compares exit and stderr.
expect() {
    name=$1 want=$2 werr=$3; shift 4
    (cd "$T" && timeout 60 "$ORDEX" "$@" >"$T/out" 2>"$T/err")
    got=$?
    if [ "$got" = "$want" ] && [ "$(cat "$T/err")" = "$werr" ]; then ok
    else bad "$name: exit $got (want $want), stderr '$(cat "$T/err")' (want '$werr')"; fi
}

# ---- the shipped grammars ------------------------------------------------
n=$(ls grammars/*.rules | wc -l)
expect print 0 "ordex: mine: $n grammar files written" -- --print-grammars mine
for f in grammars/*.rules; do
    cmp -s "$f" "$T/mine/${f#grammars/}" && ok || bad "print-grammars: ${f#grammars/} differs from $f"
done
extra=$(cd "$T/mine" && ls | grep -v '\.rules$' | tr '\n' ' ')
[ "$(ls "$T/mine" | wc -l)" = "$n" ] && [ -z "$extra" ] && ok \
    || bad "print-grammars wrote $(ls "$T/mine" | wc -l) files, want $n"
# Never overwrites: an edited copy stays as it is.
echo '# my edit' >>"$T/mine/case.rules"
cp "$T/mine/case.rules" "$T/case.edited"
expect print-again 7 "ordex: mine/attorneys.rules: exists, not overwritten" -- --print-grammars mine
cmp -s "$T/mine/case.rules" "$T/case.edited" && ok || bad "print-grammars overwrote an edited file"

# The same JSON from the library's grammars and from the folder.
(cd "$T" && "$ORDEX" good.pdf >shipped.json 2>"$T/err") && ok || bad "no ORDEX_GRAMMAR_DIR: $(cat "$T/err")"
(cd "$T" && ORDEX_GRAMMAR_DIR="$OLDPWD/grammars" "$ORDEX" good.pdf >folder.json 2>/dev/null)
cmp -s "$T/shipped.json" "$T/folder.json" && ok || bad "shipped grammars and grammars/ give different JSON"
grep -q '"date":"2025-12-19"' "$T/shipped.json" && ok || bad "shipped grammars: no deadline of 2025-12-19"
# Replacing them as a whole: --no-default-grammars and the printed copy.
(cd "$T" && "$ORDEX" --no-default-grammars -g mine good.pdf >copy.json 2>"$T/err") && ok \
    || bad "--no-default-grammars -g mine: $(cat "$T/err")"
cmp -s "$T/shipped.json" "$T/copy.json" && ok || bad "the printed copy gives different JSON"

# A rule of the same id in a --grammars folder replaces the shipped one:
# deadline.absolute made to match only "no later than" keeps one deadline.
mkdir "$T/over"
cat >"$T/over/mine.rules" <<'EOF'
grammar mine 1
kind deadline
rule deadline.absolute
  context   body numbered signature
  pattern   (?i:\b(?<intro>no\s+later\s+than))\s+(?<date>{{DATE}})
  set       kind = absolute
end
EOF
(cd "$T" && "$ORDEX" -g over good.pdf >over.json 2>"$T/err") && ok || bad "-g over: $(cat "$T/err")"
dates=$(python3 -c 'import json,sys; print(" ".join(d["date"] for d in json.load(open(sys.argv[1]))["deadlines"]))' "$T/over.json" 2>&1)
[ "$dates" = "2025-12-19" ] && ok || bad "override of deadline.absolute: deadlines '$dates', want '2025-12-19'"
grep -q '{"name":"mine","version":"1"}' "$T/over.json" && ok || bad "override: grammar mine not listed"

# ---- limits ------------------------------------------------------------------
expect max-pages-neg 2 "ordex: --max-pages must be 0 or more, not -5" -- --max-pages -5 good.pdf
expect max-text-neg 2 "ordex: --max-page-text must be 0 or more, not -1" -- --max-page-text=-1 good.pdf
expect timeout-neg 2 "ordex: --timeout must be 0 or more, not -3" -- --timeout -3 good.pdf
expect regex-neg 2 "ordex: --regex-time-limit must be 0 or more, not -50" -- --regex-time-limit -50 good.pdf
expect max-pages-zero 0 "" -- --max-pages 0 good.pdf

# ---- --help ------------------------------------------------------------------
"$ORDEX" --help >"$T/help" 2>&1 && ok || bad "--help failed"
grep -q '^  ordex batch \[OPTION\.\.\.\] INPUT\.\.\.' "$T/help" && ok || bad "--help does not list 'ordex batch'"
grep -q '^  ordex timeline \[OPTION\.\.\.\] INPUT\.\.\.' "$T/help" && ok || bad "--help does not list 'ordex timeline'"
grep -q '^  ordex serve \[OPTION\.\.\.\]' "$T/help" && ok || bad "--help does not list 'ordex serve'"
grep -q -- '--print-grammars=DIR' "$T/help" && ok || bad "--help does not list --print-grammars"

echo "shipped: $pass passed, $fail failed"
[ $fail = 0 ]

#!/bin/sh
# run_grammars.sh - grammar folders of a user, passed with --grammars DIR,
# with the ordex that is built (nothing is recompiled):
#  - a new directive phrasing ("X will be required to Y") added to a copy
#    of the shipped grammars gives a directive the shipped grammars do not;
#  - a misspelt group, an unknown 'set' field and a value not allowed are
#    reported as FILE:LINE:COL by --check-grammars and stop a normal run,
#    both with exit 6 (error in a grammar file).
# About 2 s.
set -u
ORDEX=${1:-build/ordex}
cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C
unset ORDEX_GRAMMAR_DIR # the grammars compiled into the library, as a user has them
case "$ORDEX" in /*) ;; *) ORDEX=$(pwd)/$ORDEX ;; esac
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

cat >"$T/order.txt" <<'EOF'
ORDER

Defendants will be required to produce the privilege logs by January 5, 2026.

Plaintiffs shall file a reply by January 12, 2026.
EOF

# The directives of a JSON document as "actor|action|modality|rule" lines.
directives() {
    python3 -c 'import json, sys
for d in json.load(sys.stdin)["directives"]:
    print("%s|%s|%s|%s" % (d["actor"], d["action"], d["modality"], d["rule"]))'
}

# ---- Demo: a new directive phrasing, as a grammar folder -----------------
mkdir "$T/mine"
"$ORDEX" --print-grammars "$T/mine" 2>"$T/err" || bad "print-grammars: $(cat "$T/err")"
cat >>"$T/mine/directives.rules" <<'EOF'

# "Defendants will be required to produce": a command in the future tense.
rule directive.will_be_required
  context   body numbered footnote
  priority  60
  trigger   required
  pattern   \b(?<actor>{{ACTOR}})\s+will\s+be\s+required\s+to\s+(?<action>{{VERB}})\b
  set       modal = must
end
EOF

"$ORDEX" --check-grammars "$T/mine" >"$T/out" 2>&1 && ok || bad "demo: --check-grammars: $(cat "$T/out")"

"$ORDEX" "$T/order.txt" | directives >"$T/shipped" 2>"$T/err"
printf '%s\n' "Plaintiffs|file|must|directive.modal" >"$T/want"
cmp -s "$T/shipped" "$T/want" && ok || bad "demo: the shipped grammars give: $(cat "$T/shipped")"

"$ORDEX" --no-default-grammars --grammars "$T/mine" "$T/order.txt" | directives >"$T/got" 2>"$T/err"
printf '%s\n' "Defendants|produce|must|directive.will_be_required" \
    "Plaintiffs|file|must|directive.modal" >"$T/want"
cmp -s "$T/got" "$T/want" && ok || bad "demo: the folder gives: $(cat "$T/got") $(cat "$T/err")"

# The same rule alone in a folder of its own, after the shipped grammars.
mkdir "$T/one"
sed -n '/^# "Defendants will be required/,$p' "$T/mine/directives.rules" >"$T/one/x.rules.body"
{ printf 'grammar my_directives 1.0\nkind directive\n\n'; cat "$T/one/x.rules.body"; } >"$T/one/my.rules"
rm "$T/one/x.rules.body"
"$ORDEX" --grammars "$T/one" "$T/order.txt" | directives >"$T/got" 2>"$T/err"
cmp -s "$T/got" "$T/want" && ok || bad "demo: the one-rule folder gives: $(cat "$T/got") $(cat "$T/err")"

# ---- Field errors, from the command line ------------------------------------
mkdir "$T/typo"
cat >"$T/typo/typo.rules" <<'EOF'
grammar typo 1.0
kind directive

rule directive.typo
  pattern   \b(?<acter>{{ACTOR}})\s+is\s+to\s+(?<action>{{VERB}})\b
  set       feild = court
end

rule deadline.typo
  kind      deadline
  pattern   \bby\s+(?<date>{{DATE}})
  set       kind = sometimes
end
EOF
F="$T/typo/typo.rules"
cat >"$T/want" <<EOF
ordex: $F:5:18: unknown field 'acter' in rule 'directive.typo' (kind 'directive' declares: action actor modal neg passive item verbform gerund shared)
    pattern   \b(?<acter>{{ACTOR}})\s+is\s+to\s+(?<action>{{VERB}})\b
                   ^
ordex: $F:6:13: unknown field 'feild' in rule 'directive.typo' (kind 'directive' declares: action actor modal neg passive item verbform gerund shared)
    set       feild = court
              ^
ordex: $F:12:20: value 'sometimes' not allowed for field 'kind' of kind 'deadline' (expected one of: absolute | relative | same_date | schedule | schedule_label | schedule_date | immediate | weekday_before | trial_setting | trial_label | trial_cell)
    set       kind = sometimes
                     ^
EOF
"$ORDEX" --check-grammars "$T/typo" >"$T/out" 2>"$T/err"
got=$?
[ "$got" = 6 ] && ok || bad "fields: --check-grammars exit $got, want 6"
cmp -s "$T/err" "$T/want" && ok || { bad "fields: --check-grammars stderr:"; diff "$T/want" "$T/err"; }
"$ORDEX" --grammars "$T/typo" "$T/order.txt" >"$T/out" 2>"$T/err"
got=$?
[ "$got" = 6 ] && ok || bad "fields: a run with the folder: exit $got, want 6"
cmp -s "$T/err" "$T/want" && ok || { bad "fields: run stderr:"; diff "$T/want" "$T/err"; }
[ -s "$T/out" ] && bad "fields: a run with a bad grammar wrote output" || ok

echo "grammars: $pass passed, $fail failed"
[ $fail = 0 ]

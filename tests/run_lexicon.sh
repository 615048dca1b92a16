#!/bin/sh
# run_lexicon.sh - word lists are data: the modality of a directive comes
# from the lexicon `modality` (grammars/directives.rules), and a grammar
# folder passed with --grammars teaches ordex a new modal word with no
# recompilation.  The folder is a copy of the shipped grammars with one
# lexicon entry more ("must = is obliged to"): the directive appears,
# as `must`, only with the folder.  A rule that captures a modal word the
# lexicon does not list ("will") makes no directive and an
# `unknown_modal` warning, instead of a `must`.
# Final line: "lexicon: N passed, M failed".  About 2 s.
set -u
ORDEX=${1:-build/ordex}
cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C
export ORDEX_GRAMMAR_DIR="$(pwd)/grammars"
case "$ORDEX" in /*) ;; *) ORDEX=$(pwd)/$ORDEX ;; esac
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

# dirs FILE: one line per directive, "actor|modality|action", in order.
dirs() {
    python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
for x in d["directives"]: print("%s|%s|%s" % (x["actor"], x["modality"], x["action"]))' "$1"
}
# warns FILE: one line per warning, "code|message".
warns() {
    python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
for w in d["warnings"]: print("%s|%s" % (w["code"], w["message"]))' "$1"
}
# same NAME GOT WANT
same() {
    if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', want '$3'"; fi
}

cat >"$T/order.txt" <<'EOF'
ORDER

1. Defendant shall not contact the witnesses. Plaintiff SHALL file the
reply. Plaintiff may file a surreply within seven days. The Clerk is directed to close the
motion.

2. Defendant is obliged to produce the ledgers.

3. Defendant will serve the notice.
EOF

# ---- the shipped lexicon -------------------------------------------------
"$ORDEX" "$T/order.txt" >"$T/shipped.json" 2>"$T/err" && ok || bad "shipped: $(cat "$T/err")"
same shipped "$(dirs "$T/shipped.json")" "Defendant|must_not|contact
Plaintiff|must|file
Plaintiff|may|file
The Clerk|must|close"
same shipped-warnings "$(warns "$T/shipped.json")" ""

# ---- a new modal word: a copy of the shipped grammars, one entry more ----
mkdir "$T/demo"
cp grammars/*.rules "$T/demo/"
sed -i 's/^lexicon modality$/&\n  must = is obliged to/' "$T/demo/directives.rules"
grep -q '^  must = is obliged to$' "$T/demo/directives.rules" && ok \
    || bad "demo: the entry was not added (has the modality lexicon changed?)"
"$ORDEX" --check-grammars "$T/demo" >"$T/out" 2>"$T/err" && ok \
    || bad "demo: --check-grammars: $(cat "$T/err")"
"$ORDEX" --grammars "$T/demo" "$T/order.txt" >"$T/demo.json" 2>"$T/err" && ok \
    || bad "demo: $(cat "$T/err")"
same demo "$(dirs "$T/demo.json")" "Defendant|must_not|contact
Plaintiff|must|file
Plaintiff|may|file
The Clerk|must|close
Defendant|must|produce"

# ---- "will" is not a modal of the shipped lexicon ------------------------
# A rule that captures it (as a user might write) gets no "must".
mkdir "$T/will"
cat >"$T/will/will.rules" <<'EOF'
grammar will_test 1
kind directive

rule directive.will
  context   numbered body
  priority  50
  pattern   \b(?<actor>Defendant)\s+(?<modal>will)\s+(?<action>serve)\b
end
EOF
"$ORDEX" --grammars "$T/will" "$T/order.txt" >"$T/will.json" 2>"$T/err" && ok \
    || bad "will: $(cat "$T/err")"
same will "$(dirs "$T/will.json")" "Defendant|must_not|contact
Plaintiff|must|file
Plaintiff|may|file
The Clerk|must|close"
same will-warning "$(warns "$T/will.json")" \
    "unknown_modal|rule 'directive.will': the modal word 'will' is in neither lexicon 'modality' nor 'modality_negative': no directive made"

# ... and a rule with no modal word at all is refused the same way.
sed -i 's/(?<modal>will)/will/' "$T/will/will.rules"
"$ORDEX" --grammars "$T/will" "$T/order.txt" >"$T/nomodal.json" 2>"$T/err" && ok \
    || bad "no modal: $(cat "$T/err")"
same no-modal-warning "$(warns "$T/nomodal.json")" \
    "unknown_modal|rule 'directive.will' gives no modal word (a 'modal' or 'neg' field): no directive made"

echo "lexicon: $pass passed, $fail failed"
[ "$fail" = 0 ]

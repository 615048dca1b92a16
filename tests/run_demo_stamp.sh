#!/bin/sh
# run_demo_stamp.sh - a new ECF stamp variant taught by a grammar folder,
# with no recompilation (issue 14).  The shipped grammars of the checkout
# are copied to a temporary folder, and one rule file is added to it: the
# Ninth Circuit's "Case: 24-1234, 03/14/2025, DktEntry: 45.1, Page 1 of
# 2", which the shipped stamp.rules does not know.  Run on a text order and
# on samples/ca9_appellate_opinion.pdf with --no-default-grammars
# --grammars FOLDER: before the file is added the stamp stays in the text
# and source.ecf is null; after, the stamp lines are dropped as furniture
# and source.ecf holds the case number, docket entry, date and page count.
# About 2 s.
set -u
ORDEX=${1:-build/ordex}
cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C
unset ORDEX_GRAMMAR_DIR
case "$ORDEX" in /*) ;; *) ORDEX=$(pwd)/$ORDEX ;; esac
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0

check() { # NAME WANT GOT
    if [ "$2" = "$3" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $1"
        echo "  got:  $3"
        echo "  want: $2"
    fi
}

# source.ecf of the JSON on standard input, one line, keys sorted
ecf() {
    "$PY" -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["source"]["ecf"], sort_keys=True))'
}

mkdir "$T/g"
cp grammars/*.rules "$T/g/"
printf '%s\n' \
    'Case: 24-1234, 03/14/2025, DktEntry: 45.1, Page 1 of 2' \
    'UNITED STATES COURT OF APPEALS' \
    'FOR THE NINTH CIRCUIT' \
    '' \
    'The motion to dismiss is DENIED.' \
    > "$T/order.txt"
printf '\f%s\n' 'Case: 24-1234, 03/14/2025, DktEntry: 45.1, Page 2 of 2' >> "$T/order.txt"
printf '%s\n' 'IT IS SO ORDERED.' >> "$T/order.txt"
run() { "$ORDEX" --no-default-grammars --grammars "$T/g" "$@"; }

# ---- the copied grammars alone: the variant is not known ----------------
check "without the rule: source.ecf" "null" "$(run "$T/order.txt" | ecf)"
check "without the rule: the stamp stays in the text" 2 \
    "$(run --dump=text "$T/order.txt" | grep -c 'DktEntry: 45.1')"
check "without the rule: the PDF's source.ecf" "null" \
    "$(run samples/ca9_appellate_opinion.pdf | ecf)"

# ---- one rule file added --------------------------------------------------
cat > "$T/g/ca9_stamp.rules" <<'RULES'
grammar ca9_stamp 1.0
kind stamp

# The Ninth Circuit's stamp: "Case: 24-1234, 03/14/2025, DktEntry: 45.1,
# Page 1 of 9", also with "ID: 12345678," before the docket entry.  A
# line rule of stamp.rules: named captures fill the stamp.
rule stamp.ca9
  flags     nocase
  trigger   dktentry
  pattern   ^\s*Case\s*:\s*(?<case>\d{2}-\d{3,5})\s*,\s*(?<filed>{{STAMP_DATE}})\s*,
      +     \s*(?:ID\s*:\s*\d{1,12}\s*,\s*)?DktEntry\s*:\s*(?<document>\d{1,6}(?:[.-]\d{1,3})?)
      +     \s*,\s*Page\s*(?<page>\d{1,5})\s*of\s*(?<of>\d{1,5})\s*$
end
RULES
check "check-grammars accepts the folder" "ordex: $T/g: grammars OK" \
    "$("$ORDEX" --no-default-grammars --check-grammars "$T/g" 2>&1)"
check "with the rule: source.ecf" \
    '{"case_number": "24-1234", "document": "45.1", "filed": "2025-03-14", "page_count": 2, "pages_stamped": 2}' \
    "$(run "$T/order.txt" | ecf)"
check "with the rule: the stamp lines are furniture" 0 \
    "$(run --dump=text "$T/order.txt" | grep -c 'DktEntry')"
check "with the rule: the body is kept" "The motion to dismiss is DENIED." \
    "$(run --dump=text "$T/order.txt" | grep 'motion')"
check "with the rule: the PDF's source.ecf" \
    '{"case_number": "24-1234", "document": "45.1", "filed": "2025-03-14", "page_count": 3, "pages_stamped": 3}' \
    "$(run samples/ca9_appellate_opinion.pdf | ecf)"

# An impossible date is no stamp, as for the shipped rules.
sed 's#24-1234, 03/14/2025#24-1234, 02/30/2025#' "$T/order.txt" > "$T/bad_date.txt"
check "with the rule: 02/30/2025 is no stamp" "null" "$(run "$T/bad_date.txt" | ecf)"

echo "demo stamp: $pass passed, $fail failed"
[ "$fail" = 0 ]

#!/bin/sh
# run_cli.sh - the command line against bad input: every case must give
# one line on stderr naming the file and the reason, its documented exit
# code, no crash and no output file left behind.  Fixtures are made in a
# temporary folder from the samples (qpdf makes the encrypted ones).
set -u
ORDEX=${1:-build/ordex}
cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C ORDEX_GRAMMAR_DIR="$(pwd)/grammars"
case "$ORDEX" in /*) ;; *) ORDEX=$(pwd)/$ORDEX ;; esac
T=$(mktemp -d)
trap 'chmod -R u+w "$T"; rm -rf "$T"' EXIT
SAMPLE=samples/openai_privilege_order.pdf
pass=0 fail=0

# expect NAME EXIT STDERR -- ARGS...: runs ordex, compares exit and stderr.
expect() {
    name=$1 want=$2 werr=$3; shift 4
    (cd "$T" && timeout 60 "$ORDEX" "$@" >"$T/out" 2>"$T/err")
    got=$?
    err=$(cat "$T/err")
    if [ "$got" = "$want" ] && [ "$err" = "$werr" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $name: exit $got (want $want)"
        echo "  stderr: $err"
        echo "  want:   $werr"
    fi
}

cp "$SAMPLE" "$T/good.pdf"
: >"$T/empty.pdf"
printf 'Hello, this is not a PDF at all.\n' >"$T/notpdf.pdf"
head -c 3000 "$SAMPLE" >"$T/truncated.pdf"
mkdir "$T/adir.pdf"
qpdf --encrypt secret owner 256 -- "$SAMPLE" "$T/encrypted.pdf"
printf 'The parties shall file \377\376 by December 8, 2025.\n' >"$T/bad.txt"
# A PDF whose page tree is empty: a valid header and trailer, no pages.
printf '%%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%%%EOF\n' >"$T/nopages.pdf"

expect missing 3 "ordex: missing.pdf: No such file or directory" -- missing.pdf
expect directory 3 "ordex: adir.pdf: is a directory" -- adir.pdf
expect empty 4 "ordex: empty.pdf: empty file" -- empty.pdf
expect not-pdf 4 "ordex: notpdf.pdf: not a PDF file" -- notpdf.pdf
expect truncated 4 "ordex: truncated.pdf: damaged or truncated PDF" -- truncated.pdf
expect no-pages 4 "ordex: nopages.pdf: PDF has no pages" -- nopages.pdf
expect encrypted 5 "ordex: encrypted.pdf: encrypted PDF and no password given" -- encrypted.pdf
expect wrong-password 5 "ordex: encrypted.pdf: wrong password" -- --password nope encrypted.pdf
expect right-password 0 "" -- --password secret -o enc.json encrypted.pdf
expect invalid-utf8 4 "ordex: bad.txt: invalid UTF-8 at byte 23" -- bad.txt
expect usage-none 2 "ordex: expected one input file (see ordex --help)" --
expect usage-option 2 "ordex: Unknown option --frobnicate (see ordex --help)" -- --frobnicate good.pdf
expect usage-dump 2 "ordex: unknown --dump stage 'pages' (expected text, segments or matches)" -- --dump=pages good.pdf
expect max-pages 8 "ordex: good.pdf: 5 pages, more than the limit of 2 pages" -- --max-pages 2 good.pdf

# Unwritable output: a clear error, and no file (temporary or final) left.
mkdir "$T/ro" && chmod 555 "$T/ro"
if [ "$(id -u)" = 0 ]; then
    # root writes anywhere; use a path below a regular file instead
    expect unwritable 7 "ordex: good.pdf/out.json: cannot write: Not a directory" -- -o good.pdf/out.json good.pdf
else
    expect unwritable 7 "ordex: ro/out.json: cannot write: Permission denied" -- -o ro/out.json good.pdf
fi
if [ -n "$(ls -A "$T/ro")" ]; then echo "FAIL unwritable: left files behind"; fail=$((fail + 1)); fi

# -o replaces the file atomically and leaves no temporary behind.
expect output-file 0 "" -- -o result.json good.pdf
if ! grep -q '"schema":"ordex-3"' "$T/result.json"; then echo "FAIL output-file: no JSON"; fail=$((fail + 1)); fi
if ls -A "$T" | grep -q '^\.ordex-'; then echo "FAIL output-file: temporary left"; fail=$((fail + 1)); fi

# Standard input, and byte-identical output run after run.
(cd "$T" && "$ORDEX" - <good.pdf >stdin.json 2>/dev/null && "$ORDEX" good.pdf >file.json 2>/dev/null)
if sed 's/"file":"<stdin>"/"file":"good.pdf"/' "$T/stdin.json" | cmp -s - "$T/file.json"; then pass=$((pass + 1)); else echo "FAIL stdin: output differs from file input"; fail=$((fail + 1)); fi
(cd "$T" && "$ORDEX" good.pdf >again.json 2>/dev/null)
if cmp -s "$T/file.json" "$T/again.json"; then pass=$((pass + 1)); else echo "FAIL determinism: two runs differ"; fail=$((fail + 1)); fi

# Broken grammar folder: --check-grammars reports FILE:LINE:COL and exits 6.
mkdir "$T/g"
printf 'grammar extra 1\nkind directive\nrule x.bad\n  pattern (unclosed\nend\n' >"$T/g/extra.rules"
(cd "$T" && "$ORDEX" --check-grammars g >/dev/null 2>"$T/gerr"); got=$?
if [ $got = 6 ] && grep -q '^ordex: g/extra.rules:4:' "$T/gerr"; then pass=$((pass + 1)); else echo "FAIL check-grammars: exit $got: $(cat "$T/gerr")"; fail=$((fail + 1)); fi
expect grammars-ok 0 "ordex: $(pwd)/grammars: grammars OK" -- --check-grammars "$(pwd)/grammars"

echo "cli: $pass passed, $fail failed"
[ $fail = 0 ]

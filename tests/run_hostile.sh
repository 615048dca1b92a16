#!/bin/sh
# run_hostile.sh - ordex against broken and adversarial PDFs.  The corpus
# (truncations, flipped bytes, a destroyed xref, no pages, a looping page
# tree, 100,000-deep nesting, a huge /Count, encryption, Flate bombs, odd
# Unicode, 2,000 pages) is made at test time by tests/hostile/mkhostile.py
# in a temporary folder.  Every run must end in valid JSON with exit 0 or
# 9, or in one line "ordex: FILE: reason" with its documented exit code;
# never a signal, a timeout or a sanitizer report.  The file name prefix
# says what is allowed: ok- JSON, bad- exit 4, enc- exit 5, any- JSON or
# exit 4 or 8.  Usage: sh tests/run_hostile.sh PATH/TO/ordex
set -u
ORDEX=${1:-build/ordex}
cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C ORDEX_GRAMMAR_DIR="$(pwd)/grammars"
case "$ORDEX" in /*) ;; *) ORDEX=$(pwd)/$ORDEX ;; esac
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
started=$(date +%s)

# Under a sanitizer the address space cannot be capped (ASan reserves
# terabytes of shadow memory) and everything runs about 3 times slower.
if ldd "$ORDEX" 2>/dev/null | grep -q -e libasan -e libubsan; then
    SAN=1 TMO=${HOSTILE_TIMEOUT:-240} VMEM=unlimited
else
    SAN=0 TMO=${HOSTILE_TIMEOUT:-120} VMEM=4194304     # 4 GiB, in KiB
fi

# HOSTILE_KNOWN_BUGS=1 adds the inputs of open issues (bug-*), which
# currently time out; see tests/hostile/mkhostile.py.
python3 tests/hostile/mkhostile.py "$T/in" ${HOSTILE_KNOWN_BUGS:+--known-bugs} || { echo "hostile: 0 passed, 1 failed"; exit 1; }

# The JSON check: valid strict UTF-8, valid JSON, an object of schema
# ordex-3 and no string holding a lone surrogate; prints the page count.
cat >"$T/checkjson.py" <<'EOF'
import json, sys
raw = open(sys.argv[1], "rb").read()
doc = json.loads(raw.decode("utf-8"))
assert isinstance(doc, dict) and doc.get("schema") == "ordex-3", "not an ordex record"
def walk(v):
    if isinstance(v, str):
        v.encode("utf-8")           # raises on a lone surrogate
    elif isinstance(v, dict):
        for k, x in v.items():
            walk(k); walk(x)
    elif isinstance(v, list):
        for x in v:
            walk(x)
walk(doc)
print(doc["source"]["pages"])
EOF

ok() { pass=$((pass + 1)); }
bad() {
    fail=$((fail + 1))
    echo "FAIL $1: $2"
    if [ -s "$T/err" ]; then head -c 2000 "$T/err" | sed 's/^/  stderr: /'; fi
}

# run NAME ARGS...: ordex under timeout and the memory cap, in the input
# folder; sets rc and secs, leaves stdout in $T/out, stderr in $T/err.
run() {
    t0=$(date +%s)
    (ulimit -v "$VMEM" 2>/dev/null; cd "$T/in" &&
     exec timeout -k 5 "$TMO" "$ORDEX" "$@") >"$T/out" 2>"$T/err"
    rc=$?
    secs=$(($(date +%s) - t0))
    if [ "$secs" -ge 10 ]; then echo "  slow: $secs s: ordex $*"; fi
}

# check NAME ALLOWED [text]: judges the last run; ALLOWED lists the exit
# codes; with "text", standard output is not JSON.
check() {
    name=$1 allowed=$2 kind=${3:-json}
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        bad "$name" "timed out after $TMO s"; return
    fi
    if [ "$rc" -gt 128 ]; then bad "$name" "killed by signal $((rc - 128))"; return; fi
    if grep -q -e 'Sanitizer' -e 'runtime error:' "$T/err"; then
        bad "$name" "sanitizer report (exit $rc)"; return
    fi
    case " $allowed " in *" $rc "*) ;; *)
        bad "$name" "exit $rc, want one of: $allowed"; return ;;
    esac
    case $rc in
    0|9)
        if [ "$kind" = json ] && ! pages=$(python3 "$T/checkjson.py" "$T/out" 2>"$T/jerr"); then
            bad "$name" "exit $rc but invalid JSON: $(tail -n 1 "$T/jerr")"; return
        fi
        if [ -s "$T/err" ]; then bad "$name" "exit $rc with output on stderr"; return; fi
        ;;
    *)
        if [ -s "$T/out" ]; then bad "$name" "exit $rc with output on stdout"; return; fi
        if [ "$(wc -l <"$T/err")" -ne 1 ] ||
           ! grep -q "^ordex: $file: [^ ].*[^ ]\$" "$T/err"; then
            bad "$name" "exit $rc without one line 'ordex: $file: reason'"; return
        fi
        ;;
    esac
    ok
}

count=0
for path in "$T"/in/*.pdf; do
    file=${path##*/}
    count=$((count + 1))
    case $file in
    ok-pages-2000.pdf|any-bomb-text.pdf) continue ;;   # checked below
    ok-*)  allowed="0 9" ;;
    bad-*) allowed="4" ;;
    enc-*) allowed="5" ;;
    bug-*) allowed="0 9 4 8" ;;
    *)     allowed="0 9 4 8" ;;
    esac
    run "$file"
    check "$file" "$allowed"
done

# Encryption: the right password opens both kinds, a wrong one is exit 5.
for file in enc-aes256.pdf enc-rc4-40.pdf; do
    run --password secret "$file"; check "$file --password secret" "0"
    run --password nope "$file"; check "$file --password nope" "5"
    grep -q "^ordex: $file: wrong password\$" "$T/err" ||
        bad "$file --password nope" "message is not 'wrong password'"
done

# 2,000 pages: all read (and no quadratic cost), and refused with exit 8 under --max-pages 100.
file=ok-pages-2000.pdf
run "$file"; check "$file pages" "0"
[ "$rc" -eq 0 ] && [ "${pages:-}" != 2000 ] && bad "$file" "source.pages is ${pages:-?}, want 2000"
run --max-pages 100 "$file"; check "$file --max-pages 100" "8"
grep -q "^ordex: $file: 2000 pages, more than the limit of 100 pages\$" "$T/err" ||
    bad "$file --max-pages 100" "not the page-limit message"

# The bombs: the 512 MiB Flate bomb is bounded in time and (plain build)
# in memory by the loop above; the text bomb is over --max-page-text;
# --timeout stops a long document with exit 8.
file=any-bomb-text.pdf
run "$file"; check "$file default limits" "8"
grep -q "^ordex: $file: page 1 has [0-9]* characters, more than the limit of 200000\$" "$T/err" ||
    bad "$file" "not the page-text-limit message"
file=ok-pages-2000.pdf
run --timeout 1 "$file"; check "$file --timeout 1" "8"
grep -q "^ordex: $file: more than 1 seconds\$" "$T/err" ||
    bad "$file --timeout 1" "not the timeout message"
# One page that keeps Poppler busy for minutes (form XObjects drawing the
# same line 10^4 times): the command's watchdog still ends it on time.
python3 tests/hostile/mkhostile.py "$T/in/slow" --known-bugs >/dev/null 2>&1
file=slow/bug-form-fanout-1e4.pdf
start=$(date +%s)
run --timeout 3 "$file"; check "$file --timeout 3" "8"
[ $(( $(date +%s) - start )) -le 15 ] || bad "$file --timeout 3" "took $(( $(date +%s) - start )) s"
grep -q "^ordex: $file: more than 3 seconds\$" "$T/err" ||
    bad "$file --timeout 3" "not the timeout message"

# Odd Unicode: the plain words survive around the strange characters.
file=ok-unicode-odd.pdf
run --dump=text "$file"; check "$file --dump=text" "0" text
grep -q "THE PARTIES SHALL FILE" "$T/out" || bad "$file" "plain words lost in --dump=text"
python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$T/out" 2>/dev/null ||
    bad "$file" "--dump=text is not valid UTF-8"

echo "  $count inputs, $(($(date +%s) - started)) s, sanitizer build: $SAN"
echo "hostile: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/bin/sh
# run_ocr_pleading.sh - pleading paper read by OCR (issue 15): the line
# numbers 1..28 down the left margin are dropped like the text layer's,
# also when Tesseract does not read them as digits.  The scan is
# samples/cand_stipulated_protective_order.pdf rasterised at 72 dpi
# (`build/mksample --rasterise 72 ...`: page images and the ECF stamp as
# text), where Tesseract reads the column of numbers as strings such as
# "hm em", "SS 4 om wo fs" or one "line" of "Oe = a = i =" standing over
# the page.  With --ocr=auto the pages are read by OCR (their layer is
# only the stamp); checks that no block of --dump=segments lies in the
# margin (right edge left of 70 pt; the numbers are at 44-62 pt, the text
# starts at 107 pt) and that the text itself is there (20 blocks or more
# from 100 pt on).  One OCR run of 3 pages: about 7 s of CPU.
# Usage: sh tests/run_ocr_pleading.sh PATH/TO/ordex
set -u
ORDEX=${1:-build/ordex}
cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C ORDEX_GRAMMAR_DIR="$(pwd)/grammars"
SCAN=samples/scans/cand_stipulated_protective_order_72dpi.pdf
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

"$ORDEX" --dump=segments "$SCAN" >"$T/seg" 2>"$T/err"; rc=$?
[ "$rc" = 0 ] && ok || bad "segments: exit $rc: $(head -c 300 "$T/err")"
python3 - "$T/seg" <<'PY' >"$T/cmp" 2>&1 && ok || { bad "pleading scan: $(cat "$T/cmp")"; }
import re, sys
errs = []
text, margin = 0, []
for line in open(sys.argv[1]):
    m = re.match(r'block \d+ \w+ \[\d+,\d+\) p(\d+) \(([\d.]+),([\d.]+),([\d.]+),([\d.]+)\)', line)
    if not m:
        continue
    x0, x1 = float(m.group(2)), float(m.group(4))
    if x1 < 70:
        margin.append(line.strip())
    if x0 >= 100:
        text += 1
if margin:
    errs.append("blocks in the margin: %s" % margin)
if text < 20:
    errs.append("only %d blocks of text" % text)
print("; ".join(errs))
sys.exit(1 if errs else 0)
PY
echo "ocr pleading: $pass passed, $fail failed"
[ "$fail" = 0 ]

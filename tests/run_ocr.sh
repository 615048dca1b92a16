#!/bin/sh
# run_ocr.sh - OCR of image-only pages (issue 8).  samples/scans/ holds
# samples/openai_privilege_order.pdf rasterised at 200 dpi by
# `mksample --rasterise` (black-and-white page images, the ECF stamp kept
# as real text).  Checks that ordex reads it by OCR into the same
# deadlines (dates, kinds, linked directives, pages, boxes within 5 pt)
# and directives (actor, modality, action, deadline) as the text PDF;
# that --ocr=never and missing Tesseract data leave the pages unread with
# their warnings and exit 9 and nothing on standard error; that
# --ocr=always reads a text PDF to the same directives; that `ordex batch`
# passes --ocr to its workers; that --profile times the ocr stage; and
# that a redaction box and a blank page are not sent to Tesseract.
# Usage: sh tests/run_ocr.sh PATH/TO/ordex
set -u
ORDEX=${1:-build/ordex}
cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C ORDEX_GRAMMAR_DIR="$(pwd)/grammars"
case "$ORDEX" in /*) ;; *) ORDEX=$(pwd)/$ORDEX ;; esac
TEXT=samples/openai_privilege_order.pdf
SCAN=samples/scans/openai_privilege_order.pdf
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

# expect NAME CODE: the last run's exit code.
expect() { [ "$rc" = "$2" ] && ok || bad "$1: exit $rc, expected $2: $(head -c 300 "$T/err")"; }

# compare NAME OCR.json TEXT.json CONFIG: python asserts; prints what failed.
compare() {
    python3 - "$@" <<'EOF' >"$T/cmp" 2>&1
import json, sys
name, ocr_path, text_path, want = sys.argv[1:5]
o = json.load(open(ocr_path)); t = json.load(open(text_path))
errs = []
def check(cond, what):
    if not cond:
        errs.append(what)
def deadlines(d):
    return [(x["date"], x["kind"], x["directive"], x["action"], x["page"]) for x in d["deadlines"]]
def directives(d):
    return [(x["actor"], x["modality"], x["action"], x["deadline"], x["page"]) for x in d["directives"]]
check(len(t["deadlines"]) >= 4 and len(t["directives"]) >= 5, "text version lost its records")
check(deadlines(o) == deadlines(t), "deadlines differ: %s != %s" % (deadlines(o), deadlines(t)))
check(directives(o) == directives(t), "directives differ: %s != %s" % (directives(o), directives(t)))
for a, b in zip(o["deadlines"], t["deadlines"]):
    check(all(abs(p - q) <= 5 for p, q in zip(a["bbox"], b["bbox"])),
          "deadline %s box %s far from %s" % (a["id"], a["bbox"], b["bbox"]))
check(o["source"]["ecf"] == t["source"]["ecf"], "source.ecf differs: %s" % o["source"]["ecf"])
check(o["case"]["date"] == t["case"]["date"] == "2025-11-24", "order date: %s" % o["case"]["date"])
check(o["warnings"] == [], "warnings: %s" % o["warnings"])
ts = o["source"]["text_source"]
check(len(ts) == o["source"]["pages"] == 5, "text_source: %s" % ts)
src, reason = want.split(":")
reason = None if reason == "null" else reason
for i, p in enumerate(ts):
    check(p["page"] == i + 1 and p["source"] == src and p["reason"] == reason
          and isinstance(p["confidence"], int) and 80 <= p["confidence"] <= 100,
          "page entry %s" % p)
for e in errs:
    print("%s: %s" % (name, e))
sys.exit(1 if errs else 0)
EOF
    [ $? = 0 ] && ok || { fail=$((fail + 1)); sed 's/^/FAIL /' "$T/cmp"; }
}

[ -f "$SCAN" ] || { echo "FAIL $SCAN missing (make samples)"; echo "ocr: 0 passed, 1 failed"; exit 1; }

# The text version: every page from the text layer.
"$ORDEX" "$TEXT" >"$T/text.json" 2>"$T/err"; rc=$?
expect text 0

# The scan, --ocr=auto (the default): OCR with the stamp's text kept.
"$ORDEX" --profile "$SCAN" >"$T/scan.json" 2>"$T/err"; rc=$?
expect scan 0
compare scan "$T/scan.json" "$T/text.json" mixed:only_stamp_text
grep -q '^  ocr  ' "$T/err" && ok || bad "profile: no ocr stage: $(cat "$T/err")"
"$ORDEX" --profile "$TEXT" >/dev/null 2>"$T/err.text"
python3 - "$T/err" "$T/err.text" <<'EOF'
import sys
def total(p):
    for l in open(p):
        if l.split()[:1] == ["total"]:
            return float(l.split()[1])
scan, text = total(sys.argv[1]), total(sys.argv[2])
print("  seconds a page: OCR %.3f, text layer %.4f (%.0fx)" % (scan / 5, text / 5, scan / max(text, 1e-6)))
EOF

# --ocr=never: the pages stay unread, as before OCR existed.
"$ORDEX" --ocr=never "$SCAN" >"$T/never.json" 2>"$T/err"; rc=$?
expect never 9
python3 - "$T/never.json" <<'EOF' && ok || bad "never: $(cat "$T/never.json" | head -c 600)"
import json, sys
d = json.load(open(sys.argv[1]))
assert [(w["code"], w["page"]) for w in d["warnings"]] == [("only_stamp_text", p) for p in range(1, 6)]
assert all(p["source"] == "pdf" and p["reason"] == "only_stamp_text" and p["confidence"] is None
           for p in d["source"]["text_source"])
assert d["directives"] == [] and d["source"]["ecf"]["pages_stamped"] == 5
EOF

# No language data: JSON, the unread pages and why, exit 9, quiet stderr.
TESSDATA_PREFIX=/nonexistent "$ORDEX" "$SCAN" >"$T/nodata.json" 2>"$T/err"; rc=$?
expect nodata 9
[ -s "$T/err" ] && bad "nodata: stderr: $(head -c 300 "$T/err")" || ok
python3 - "$T/nodata.json" <<'EOF' && ok || bad "nodata: $(head -c 800 "$T/nodata.json")"
import json, sys
d = json.load(open(sys.argv[1]))
w = d["warnings"]
assert w[0]["code"] == "ocr_unavailable" and w[0]["page"] is None, w[0]
assert "eng.traineddata" in w[0]["message"] and "/nonexistent" in w[0]["message"], w[0]
assert w[0]["message"].endswith("5 pages left unread"), w[0]
assert [(x["code"], x["page"]) for x in w[1:]] == [("only_stamp_text", p) for p in range(1, 6)]
assert all(p["source"] == "pdf" for p in d["source"]["text_source"])
EOF

# --ocr=always on the text PDF: every page read again, to the same records.
"$ORDEX" --ocr=always "$TEXT" >"$T/always.json" 2>"$T/err"; rc=$?
expect always 0
compare always "$T/always.json" "$T/text.json" mixed:null

# A bad mode is a usage error.
"$ORDEX" --ocr=sometimes "$TEXT" >/dev/null 2>"$T/err"; rc=$?
expect bad-mode 2
[ "$(cat "$T/err")" = "ordex: unknown --ocr mode 'sometimes' (expected auto, always or never)" ] && ok \
    || bad "bad-mode: $(cat "$T/err")"

# Batch workers get --ocr (and read the scan by OCR without it).
"$ORDEX" batch -j 2 --sorted -o "$T/b.jsonl" "$SCAN" "$TEXT" 2>"$T/err"; rc=$?
expect batch 0
grep '"file":"samples/scans/' "$T/b.jsonl" >"$T/b1.json"
compare batch "$T/b1.json" "$T/text.json" mixed:only_stamp_text
"$ORDEX" batch --ocr=never -o "$T/bn.jsonl" "$SCAN" 2>"$T/err"; rc=$?
expect batch-never 0
grep -q '"code":"only_stamp_text"' "$T/bn.jsonl" && ok || bad "batch-never: $(head -c 300 "$T/bn.jsonl")"

# The look before Tesseract: a scanned page, a page-size redaction box
# and a blank page (both without a text layer).  The scanned page is read;
# the other two are not, each with its reason in text_source and an
# ocr_skipped warning, and the document is complete (exit 0).
python3 - "$T/boxes.pdf" <<'EOF'
import sys
pages = [b"0 g 54 72 504 648 re f", b""]  # a black box; nothing
objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 >>"]
for i, content in enumerate(pages):
    objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                b"/Resources << >> /Contents %d 0 R >>" % (4 + 2 * i))
    objs.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content) + 1, content))
out = bytearray(b"%PDF-1.4\n")
offsets = []
for n, o in enumerate(objs, 1):
    offsets.append(len(out))
    out += b"%d 0 obj\n%s\nendobj\n" % (n, o)
xref = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
for off in offsets:
    out += b"%010d 00000 n \n" % off
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
open(sys.argv[1], "wb").write(out)
EOF
qpdf --empty --pages "$SCAN" 1 "$T/boxes.pdf" 1-2 -- "$T/look.pdf" 2>"$T/err" && ok \
    || bad "look: qpdf: $(cat "$T/err")"
"$ORDEX" "$T/look.pdf" >"$T/look.json" 2>"$T/err"; rc=$?
expect look 0
[ -s "$T/err" ] && bad "look: stderr: $(head -c 300 "$T/err")" || ok
python3 - "$T/look.json" <<'EOF' && ok || bad "look: $(head -c 1500 "$T/look.json")"
import json, sys
d = json.load(open(sys.argv[1]))
ts = [(p["page"], p["source"], p["reason"], p["ocr_skipped"]) for p in d["source"]["text_source"]]
assert ts == [(1, "mixed", "only_stamp_text", None),
              (2, "pdf", "no_text_layer", "dark_areas"),
              (3, "pdf", "no_text_layer", "blank_page")], ts
assert d["source"]["text_source"][0]["confidence"] >= 80
w = [(x["code"], x["page"], x["message"]) for x in d["warnings"]]
assert ("ocr_skipped", 2, "page 2 was not read by OCR: its ink is mostly solid "
        "dark areas (redactions)") in w, w
assert ("ocr_skipped", 3, "page 3 was not read by OCR: it is blank") in w, w
assert sorted(c for c, p, m in w) == ["no_text_layer", "no_text_layer",
                                      "ocr_skipped", "ocr_skipped"], w
EOF
# without OCR nobody looked: the same two pages are unread (exit 9)
"$ORDEX" --ocr=never "$T/look.pdf" >"$T/look-never.json" 2>"$T/err"; rc=$?
expect look-never 9
python3 - "$T/look-never.json" <<'EOF' && ok || bad "look-never: $(head -c 800 "$T/look-never.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert all(p["ocr_skipped"] is None for p in d["source"]["text_source"])
assert "ocr_skipped" not in [x["code"] for x in d["warnings"]]
EOF

# OCR pages on threads (issue 18): -j 1 (and -j 3) give the bytes of the
# default (one thread a core), on the scan, on the page Tesseract reads
# beside two it skips, and with no language data.
"$ORDEX" -j 1 "$SCAN" >"$T/scan-j1.json" 2>"$T/err" && ok || bad "scan -j 1: exit $?"
cmp -s "$T/scan-j1.json" "$T/scan.json" && ok || bad "scan: -j 1 differs from the default"
for j in 1 3; do
    "$ORDEX" -j $j "$T/look.pdf" >"$T/look-j$j.json" 2>"$T/err" && ok || bad "look -j $j: exit $?"
    cmp -s "$T/look-j$j.json" "$T/look.json" && ok || bad "look: -j $j differs from the default"
    TESSDATA_PREFIX=/nonexistent "$ORDEX" -j $j "$SCAN" >"$T/nodata-j$j.json" 2>/dev/null
    cmp -s "$T/nodata-j$j.json" "$T/nodata.json" && ok || bad "nodata: -j $j differs from the default"
done

# A page the look sends to Tesseract (60 diamonds: letter-sized shapes)
# and that Tesseract reads as empty: a warning ocr_no_text, not a failed
# document (exit 0).
python3 - "$T/diamonds.pdf" <<'EOF'
import sys
ops = []
for k in range(60):
    x, y = 80 + (k % 10) * 45 + (k * 7) % 11 - 5, 150 + (k // 10) * 80 + (k * 3) % 11 - 5
    ops.append(b"%d %d m %d %d l %d %d l %d %d l f" % (x, y + 6, x + 6, y, x, y - 6, x - 6, y))
content = b"0 g\n" + b"\n".join(ops)
objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content) + 1, content)]
out = bytearray(b"%PDF-1.4\n")
offs = []
for n, o in enumerate(objs, 1):
    offs.append(len(out))
    out += b"%d 0 obj\n%s\nendobj\n" % (n, o)
x = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
for o in offs:
    out += b"%010d 00000 n \n" % o
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
open(sys.argv[1], "wb").write(out)
EOF
"$ORDEX" "$T/diamonds.pdf" >"$T/diamonds.json" 2>"$T/err"; rc=$?
expect diamonds 0
[ -s "$T/err" ] && bad "diamonds: stderr: $(head -c 300 "$T/err")" || ok
python3 - "$T/diamonds.json" <<'EOF' && ok || bad "diamonds: $(head -c 800 "$T/diamonds.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["source"]["text_source"] == [{"page": 1, "source": "ocr", "reason": "no_text_layer",
                                       "ocr_skipped": None, "confidence": None}], d["source"]
assert d["warnings"] == [{"code": "ocr_no_text", "page": 1,
                          "message": "page 1: OCR read no text from it"}], d["warnings"]
EOF

echo "ocr: $pass passed, $fail failed"
[ "$fail" = 0 ]

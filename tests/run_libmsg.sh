#!/bin/sh
# run_libmsg.sh - issue 21, fault 5: what the libraries underneath say
# about a document (Poppler's errors through its GLib log domain,
# libjpeg's "Corrupt JPEG data" that Poppler's rendering lets it print to
# stderr) becomes a warning "library_message" of that document, with its
# page, never raw text on stderr; the same with -j 1, 2 and 3.  On the
# code before, the stderr of the JPEG case held the raw libjpeg line and
# neither case had the warning.  About 5 s.
# Usage: sh tests/run_libmsg.sh PATH/TO/ordex
set -u
ORDEX=${1:-build/ordex}
cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C ORDEX_GRAMMAR_DIR="$(pwd)/grammars"
case "$ORDEX" in /*) ;; *) ORDEX=$(pwd)/$ORDEX ;; esac
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

# A 64x64 grey JPEG (libjpeg, restart markers) with two bytes put before
# its SOF0 marker: libjpeg decodes it and warns "2 extraneous bytes".
JPEG=/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2MSNP/AAAsIAEAAQAEBEQD/xAAfAAABBQEBAQEBAQAAAAAAAAAAAQIDBAUGBwgJCgv/xAC1EAACAQMDAgQDBQUEBAAAAX0BAgMABBEFEiExQQYTUWEHInEUMoGRoQgjQrHBFVLR8CQzYnKCCQoWFxgZGiUmJygpKjQ1Njc4OTpDREVGR0hJSlNUVVZXWFlaY2RlZmdoaWpzdHV2d3h5eoOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4eLj5OXm5+jp6vHy8/T19vf4+fr/3QAEAAj/2gAIAQEAAD8A4mBK0IErQgStCBK0YErQgStCBKr+JNU/sXQprlDid/3cPH8Z6HoRwATz1xjvX//Q5GBK0IErQgStGBK0IErQgStCBK828c6p/aWum2jOYLLMY46v/GemeoA7/dyOtf/R5mBK0IErQgStGBK0IErQgSq/iTVP7F0Ka5Q4nf8Adw8fxnoehHABPPXGO9eTQJX/0sGBK0IErRgStCBK0IErQgSvNvHOqf2lrptozmCyzGOOr/xnpnqAO/3cjrWPAlf/08mBK0IErRgStCBK0IEqv4k1T+xdCmuUOJ3/AHcPH8Z6HoRwATz1xjvXk0CVoQJX/9SjAlaMCVoQJWhAlaECV5t451T+0tdNtGcwWWYxx1f+M9M9QB3+7kdax4ErQgSv/9WGBK0YErQgStCBKr+JNU/sXQprlDid/wB3Dx/Geh6EcAE89cY715NAlaECVoQJX//WfAlaECVoQJWhAlebeOdU/tLXTbRnMFlmMcdX/jPTPUAd/u5HWseBK0IErQgSv//Z

python3 - "$T" "$JPEG" <<'PY'
import base64, sys
out_dir, jpeg = sys.argv[1], base64.b64decode(sys.argv[2])

def pdf(path, content, resources, extra=()):
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources " + resources + b" /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content) + 1, content)]
    objs += list(extra)
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
    open(path, "wb").write(out)

# a content stream with an operator Poppler does not know
pdf(out_dir + "/badop.pdf",
    b"BT /F1 12 Tf 72 700 Td (ORDER) Tj ET\n1 0 0 RG 3 xyzzy\n"
    b"BT /F1 12 Tf 72 680 Td (Defendant shall answer the complaint by May 1, 2026.) Tj ET",
    b"<< /Font << /F1 5 0 R >> >>",
    [b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])
# a page that is only the JPEG (no text layer: rendered for OCR)
pdf(out_dir + "/badjpg.pdf", b"q 400 0 0 400 100 200 cm /Im1 Do Q",
    b"<< /XObject << /Im1 5 0 R >> >>",
    [b"<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray "
     b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % len(jpeg)
     + jpeg + b"\nendstream"])
# a sample whose startxref points nowhere: Poppler rebuilds the table
d = open("samples/openai_privilege_order.pdf", "rb").read()
i = d.rfind(b"startxref")
open(out_dir + "/xref.pdf", "wb").write(d[:i] + b"startxref\n123" + d[d.find(b"\n", i + 10):])
PY

# run NAME FILE ARGS...: -j 1, 2, 3; the same bytes, exit 0, empty stderr;
# leaves the JSON in $T/NAME.json.
run() {
    name=$1 file=$2; shift 2
    for j in 1 2 3; do
        "$ORDEX" -j "$j" "$@" "$file" >"$T/$name-$j.json" 2>"$T/err"; rc=$?
        [ "$rc" = 0 ] && ok || bad "$name -j $j: exit $rc"
        [ -s "$T/err" ] && bad "$name -j $j: stderr: $(head -c 300 "$T/err")" || ok
    done
    for j in 2 3; do
        cmp -s "$T/$name-1.json" "$T/$name-$j.json" && ok || bad "$name: -j $j differs from -j 1"
    done
    cp "$T/$name-1.json" "$T/$name.json"
}

# warned NAME CODE PAGE MESSAGE: the document has that warning.
warned() {
    python3 - "$T/$1.json" "$2" "$3" "$4" <<'PY' && ok || bad "$1: no warning $2 ($3) $4: $(head -c 800 "$T/$1.json")"
import json, sys
path, code, page, message = sys.argv[1:5]
w = json.load(open(path))["warnings"]
assert {"code": code, "page": None if page == "null" else int(page), "message": message} in w, w
PY
}

run badop "$T/badop.pdf" --ocr=never
warned badop library_message 1 "Poppler: Syntax error at position 335: Unknown operator 'xyzzy'"
# the text around the bad operator is still read
grep -q '"date":"2026-05-01"' "$T/badop.json" && ok || bad "badop: the deadline is missing"

run badjpg "$T/badjpg.pdf"
warned badjpg library_message 1 "libjpeg: Corrupt JPEG data: 2 extraneous bytes before marker 0xc0"
warned badjpg ocr_skipped 1 "page 1 was not read by OCR: it is a picture (little of its ink is letter-shaped)"

run xref "$T/xref.pdf" --ocr=never
warned xref library_message null "Poppler: Syntax error at position 154: Illegal character '>'"
grep -q '"date":"2025-12-08"' "$T/xref.json" && ok || bad "xref: the deadlines are missing"

# the clean samples say nothing
for f in samples/*.pdf; do
    "$ORDEX" --ocr=never "$f" 2>/dev/null | grep -q library_message && bad "$f: a library_message" || ok
done

echo "libmsg: $pass passed, $fail failed"
[ "$fail" = 0 ]

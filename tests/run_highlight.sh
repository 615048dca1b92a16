#!/bin/sh
# run_highlight.sh - `ordex --highlight`: the copy carries one highlight
# per record and page, coloured and labelled by kind, with the record as
# its note; every deadline's boxes sit on the words of the deadline (the
# words pdftotext finds inside the quads spell the deadline's text); the
# input file is never modified.  Reads the annotations back with qpdf.
set -u
ORDEX=${1:-build/ordex}
cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C ORDEX_GRAMMAR_DIR="$(pwd)/grammars"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
fail=0 pass=0
for s in openai_privilege_order nysd_scheduling_order cand_stipulated_protective_order; do
    src=samples/$s.pdf
    before=$(sha256sum "$src" | cut -d' ' -f1)
    if ! "$ORDEX" --highlight "$T/$s.hl.pdf" -o "$T/$s.json" "$src" 2>"$T/err"; then
        echo "FAIL $s: ordex --highlight: $(cat "$T/err")"; fail=$((fail + 1)); continue
    fi
    after=$(sha256sum "$src" | cut -d' ' -f1)
    if [ "$before" != "$after" ]; then echo "FAIL $s: input modified"; fail=$((fail + 1)); fi
    qpdf --json=2 --json-key=qpdf "$T/$s.hl.pdf" >"$T/$s.qpdf.json" 2>/dev/null
    pdftotext -bbox "$T/$s.hl.pdf" "$T/$s.words.html"
    if $PY - "$T/$s.json" "$T/$s.qpdf.json" "$T/$s.words.html" <<'PYEOF'
import json, re, sys
doc = json.load(open(sys.argv[1]))
objs = json.load(open(sys.argv[2]))["qpdf"][1]
annots = []
for k, v in objs.items():
    val = v.get("value") if isinstance(v, dict) else None
    if isinstance(val, dict) and val.get("/Subtype") == "/Highlight":
        annots.append(val)
# pages: the annotation's page is the page object listing it in /Annots
page_of = {}
pages = [k for k, v in objs.items() if isinstance(v.get("value"), dict)
         and v["value"].get("/Type") == "/Page"]
def objnum(ref):
    return ref.split()[0].split(":")[-1]
# the page tree order: follow /Kids from the root /Pages
root = [v["value"] for v in objs.values() if isinstance(v.get("value"), dict)
        and v["value"].get("/Type") == "/Catalog"][0]
order = []
def walk(ref):
    node = objs["obj:" + ref]["value"]
    if node.get("/Type") == "/Pages":
        for kid in node["/Kids"]:
            walk(kid)
    else:
        order.append(ref)
walk(root["/Pages"])
annots_by_page = {}
for i, ref in enumerate(order, 1):
    node = objs["obj:" + ref]["value"]
    refs = node.get("/Annots", [])
    if isinstance(refs, str):  # an indirect array
        refs = objs["obj:" + refs]["value"]
    for a in refs:
        annots_by_page.setdefault(i, []).append(objs["obj:" + a]["value"])
# words per page from pdftotext -bbox (top-left origin)
words, page_h = {}, {}
pg = 0
for line in open(sys.argv[3]):
    m = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', line)
    if m:
        pg += 1
        page_h[pg] = float(m.group(2))
        continue
    m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
    if m:
        x0, y0, x1, y1 = map(float, m.groups()[:4])
        words.setdefault(pg, []).append(((x0 + x1) / 2, (y0 + y1) / 2, m.group(5)))
errors = []
kinds = {"directive": len(doc["directives"]), "deadline": len(doc["deadlines"])}
labels = [a.get("/T", "") for a in annots]
for kind, n in kinds.items():
    if labels.count("u:" + kind) < n:
        errors.append("%d %s highlights for %d records" % (labels.count("u:" + kind), kind, n))
for d in doc["deadlines"]:
    p = d["page"]
    hits = [a for a in annots_by_page.get(p, []) if a.get("/T") == "u:deadline"
            and (d["date"] is None or ("date: %s" % d["date"]) in a.get("/Contents", ""))]
    found = False
    for a in hits:
        q = a["/QuadPoints"]
        inside = []
        for i in range(0, len(q), 8):
            xs, ys = q[i:i + 8:2], q[i + 1:i + 8:2]
            x0, x1 = min(xs), max(xs)
            y0, y1 = page_h[p] - max(ys), page_h[p] - min(ys)
            inside += [w for (cx, cy, w) in words.get(p, []) if x0 <= cx <= x1 and y0 <= cy <= y1]
        norm = lambda s: re.sub(r"\W+", " ", s).strip()
        if norm(" ".join(inside)) == norm(d["text"]):
            found = True
    if not found:
        errors.append("deadline %s (%s): no highlight covering exactly its words" % (d["id"], d["text"]))
for e in errors:
    print("  " + e)
sys.exit(1 if errors else 0)
PYEOF
    then pass=$((pass + 1)); else echo "FAIL $s: highlights"; fail=$((fail + 1)); fi
done
# A text document cannot be highlighted; an unwritable target is an error.
printf 'The parties shall file by December 8, 2025.\n' >"$T/a.txt"
if "$ORDEX" --highlight "$T/x.pdf" "$T/a.txt" >/dev/null 2>&1; then echo "FAIL text input accepted"; fail=$((fail + 1)); else pass=$((pass + 1)); fi
if "$ORDEX" --highlight "$T/nodir/x.pdf" samples/openai_privilege_order.pdf >/dev/null 2>"$T/err"; then
    echo "FAIL unwritable highlight accepted"; fail=$((fail + 1))
elif grep -q "nodir/x.pdf: cannot write" "$T/err"; then pass=$((pass + 1)); else echo "FAIL unwritable: $(cat "$T/err")"; fail=$((fail + 1)); fi
echo "highlight: $pass passed, $fail failed"
[ $fail = 0 ]

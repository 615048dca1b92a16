#!/bin/sh
# run_schema.sh - the JSON that ordex prints against schema/ordex.schema.json.
# Every samples/*.pdf and samples/*.txt is run through the command and its
# output validated (python3-jsonschema, dates checked as real dates); then
# tampered copies of one output (a field removed, a field added, a bad
# date, a bad id, a bad enum value, ...) must each be rejected, so that the
# schema is known to be strict and not merely permissive.
set -u
ORDEX=${1:-build/ordex}
cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C ORDEX_GRAMMAR_DIR="${ORDEX_GRAMMAR_DIR:-grammars}"
case "$ORDEX" in /*) ;; *) ORDEX=$(pwd)/$ORDEX ;; esac
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

if ! "$PY" -c 'import jsonschema' 2>/dev/null; then
    echo "run_schema.sh: $PY cannot import jsonschema (make deps installs python3-jsonschema)"
    echo "schema: 0 passed, 1 failed"
    exit 1
fi

exec "$PY" - "$ORDEX" schema/ordex.schema.json samples/*.pdf samples/*.txt <<'EOF'
import copy
import json
import subprocess
import sys

import jsonschema

ordex, schema_path, inputs = sys.argv[1], sys.argv[2], sys.argv[3:]
inputs = [p for p in inputs if "*" not in p]  # an unmatched glob
passed = failed = 0


def ok(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL %s%s" % (name, (": " + detail) if detail else ""))


with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
cls = jsonschema.validators.validator_for(schema)
try:
    cls.check_schema(schema)
    ok("schema is a valid " + cls.__name__, True)
except jsonschema.SchemaError as e:
    ok("schema is valid", False, e.message)
    print("schema: %d passed, %d failed" % (passed, failed))
    sys.exit(1)
validator = cls(schema, format_checker=jsonschema.FormatChecker())


def errors(doc):
    return sorted(validator.iter_errors(doc), key=lambda e: list(e.path))


def describe(errs):
    return "; ".join("%s: %s" % ("/".join(map(str, e.absolute_path)) or "(root)",
                                 e.message[:160]) for e in errs[:5])


docs = {}
for path in inputs:
    for pretty in (False, True):
        args = [ordex] + (["--pretty"] if pretty else []) + [path]
        p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=120)
        name = "%s%s" % (path, " --pretty" if pretty else "")
        if p.returncode not in (0, 9):
            ok(name, False, "exit %d: %s" % (p.returncode,
                                             p.stderr.decode(errors="replace").strip()))
            continue
        try:
            doc = json.loads(p.stdout)
        except ValueError as e:
            ok(name, False, "not JSON: %s" % e)
            continue
        errs = errors(doc)
        ok(name, not errs, describe(errs))
        docs[path] = doc

# Tampering: each edit of a valid document must be rejected.  Prefer the
# OpenAI sample, which has every kind of record.
base = docs.get("samples/openai_privilege_order.pdf")
if base is None and docs:
    base = docs[sorted(docs)[0]]
if base is None:
    ok("a valid document to tamper with", False, "no sample gave JSON")
else:
    def first(kind):
        return lambda d: d[kind][0]

    def drop(get, key):
        def f(d):
            del get(d)[key]
        return f

    def put(get, key, value):
        def f(d):
            get(d)[key] = value
        return f

    root = lambda d: d
    tampers = [
        ("root: schema removed", drop(root, "schema")),
        ("root: warnings removed", drop(root, "warnings")),
        ("root: unknown key", put(root, "extra", 1)),
        ("root: schema ordex-1", put(root, "schema", "ordex-1")),
        ("source: input 'html'", put(lambda d: d["source"], "input", "html")),
        ("source: sha256 upper case", put(lambda d: d["source"], "sha256", "AB" * 32)),
        ("case: date removed", drop(lambda d: d["case"], "date")),
        ("case: date 2025-02-30", put(lambda d: d["case"], "date", "2025-02-30")),
        ("case: date 11/24/2025", put(lambda d: d["case"], "date", "11/24/2025")),
        ("case: unknown key", put(lambda d: d["case"], "judges", [])),
        ("grammars: version removed", drop(lambda d: d["grammars"][0], "version")),
        ("attorneys: a record", put(root, "attorneys", [{"name": "A. Lawyer"}])),
        ("warnings: a record without message",
         put(root, "warnings", [{"code": "no_text_layer", "page": 3}])),
    ]
    if base["directives"]:
        tampers += [
            ("directive: text removed", drop(first("directives"), "text")),
            ("directive: modality 'shall'", put(first("directives"), "modality", "shall")),
            ("directive: id 'x1'", put(first("directives"), "id", "x1")),
            ("directive: deadline 'd1'", put(first("directives"), "deadline", "d1")),
            ("directive: bbox of 3", put(first("directives"), "bbox", [1, 2, 3])),
            ("directive: page -1", put(first("directives"), "page", -1)),
            ("directive: start as string", put(first("directives"), "start", "10")),
            ("directive: unknown key", put(first("directives"), "confidence", 0.9)),
        ]
    if base["deadlines"]:
        tampers += [
            ("deadline: date removed", drop(first("deadlines"), "date")),
            ("deadline: date 2025-12-8", put(first("deadlines"), "date", "2025-12-8")),
            ("deadline: date 2025-13-01", put(first("deadlines"), "date", "2025-13-01")),
            ("deadline: time 5pm", put(first("deadlines"), "time", "5pm")),
            ("deadline: kind 'soon'", put(first("deadlines"), "kind", "soon")),
            ("deadline: id 'd1'", put(first("deadlines"), "id", "d1")),
            ("deadline: ambiguous null", put(first("deadlines"), "ambiguous", None)),
        ]
    if base["judges"]:
        tampers.append(("judge: role 'clerk'", put(first("judges"), "role", "clerk")))
    if base["datasets"]:
        tampers += [
            ("dataset: aliases empty", put(first("datasets"), "aliases", [])),
            ("dataset: mention without rule",
             drop(lambda d: d["datasets"][0]["mentions"][0], "rule")),
        ]
    for name, edit in tampers:
        doc = copy.deepcopy(base)
        edit(doc)
        ok("rejects " + name, bool(errors(doc)), "accepted")
    # The tampering must not have touched the original.
    ok("original still valid", not errors(base))

# ordex batch: every line, record or error record, is valid; a tampered
# error record is not.
import os
import shutil
import tempfile
tmp = tempfile.mkdtemp()
try:
    shutil.copy("samples/nysd_scheduling_order.pdf", os.path.join(tmp, "good.pdf"))
    with open(os.path.join(tmp, "html.pdf"), "w") as f:
        f.write("<html>Login required</html>\n")
    with open(os.path.join(tmp, "empty.pdf"), "w") as f:
        pass
    p = subprocess.run([ordex, "batch", "-j", "2", "--sorted", tmp],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    lines = [json.loads(l) for l in p.stdout.decode().splitlines()]
    ok("batch: exit 10 and three lines", p.returncode == 10 and len(lines) == 3,
       "exit %d, %d lines" % (p.returncode, len(lines)))
    codes = [l.get("error", {}).get("code") for l in lines]
    ok("batch: error codes", codes == ["empty", None, "not_pdf"], str(codes))
    for l in lines:
        errs = errors(l)
        ok("batch line " + os.path.basename(l["source"]["file"]), not errs, describe(errs))
    bad_line = [l for l in lines if "error" in l]
    if bad_line:
        e = bad_line[0]
        for name, edit in [
            ("error: code 'oops'", lambda d: d["error"].update(code="oops")),
            ("error: message removed", lambda d: d["error"].pop("message")),
            ("error: unknown key", lambda d: d.update(pages=3)),
            ("error: file removed", lambda d: d["source"].pop("file")),
        ]:
            doc = copy.deepcopy(e)
            edit(doc)
            ok("rejects " + name, bool(errors(doc)), "accepted")
    if base is not None:
        doc = copy.deepcopy(base)
        doc["error"] = {"code": "io", "exit": 3, "message": "x"}
        ok("rejects a document with an error", bool(errors(doc)), "accepted")
finally:
    shutil.rmtree(tmp)

print("schema: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
EOF

#!/bin/sh
# run_batch.sh - `ordex batch`: JSON Lines over the samples, fault
# isolation (a crashing, a hanging and a memory-hungry input through the
# test-only hook ORDEX_BATCH_TEST_HOOKS), kill -9 and SIGTERM in the middle
# of a run followed by --resume, --sorted, --shard, @LIST and folder inputs,
# an unwritable output, usage and grammar errors, and the real bulk corpus
# in ../shared/corpus/bulk when it is there.  Final line:
# "batch: N passed, M failed"; exit status non-zero on any failure.
set -u
ORDEX=${1:-build/ordex}
cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C ORDEX_GRAMMAR_DIR="$(pwd)/grammars"
case "$ORDEX" in /*) ;; *) ORDEX=$(pwd)/$ORDEX ;; esac
BULK=${BULK:-../shared/corpus/bulk}
T=$(mktemp -d)
BGPID=
cleanup() {
    [ -n "$BGPID" ] && kill -9 "$BGPID" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

# check_jsonl NAME OUT LIST: every line of OUT is complete JSON, and the
# source.file values are exactly the lines of LIST, each once.
check_jsonl() {
    if python3 - "$2" "$3" <<'EOF'; then ok; else bad "$1"; fi
import json, sys
out, lst = sys.argv[1], sys.argv[2]
want = [l.rstrip('\n') for l in open(lst, encoding='utf-8') if l.strip()]
data = open(out, 'rb').read().decode('utf-8')
if data and not data.endswith('\n'):
    sys.exit(print('  partial last line in', out))
seen = {}
for n, line in enumerate(data.splitlines(), 1):
    try:
        rec = json.loads(line)
    except ValueError as e:
        sys.exit(print('  line %d is not JSON: %s' % (n, e)))
    f = rec['source']['file']
    seen[f] = seen.get(f, 0) + 1
twice = sorted(f for f, c in seen.items() if c > 1)
missing = sorted(set(want) - set(seen))
extra = sorted(set(seen) - set(want))
if twice or missing or extra:
    sys.exit(print('  twice:', twice[:5], 'missing:', missing[:5],
                   'extra:', extra[:5]))
EOF
}

# field OUT FILE KEY: the error code (KEY=code) of FILE's line in OUT.
error_code() {
    python3 - "$1" "$2" <<'EOF'
import json, sys
for line in open(sys.argv[1], encoding='utf-8'):
    rec = json.loads(line)
    if rec['source']['file'] == sys.argv[2]:
        print(rec.get('error', {}).get('code', 'ok'))
EOF
}

# The documents: the samples, else a few filings of the bulk corpus.
mkdir "$T/docs"
n=0
for f in samples/*.pdf; do
    [ -f "$f" ] || continue
    cp "$f" "$T/docs/" && n=$((n + 1))
done
if [ "$n" = 0 ] && [ -d "$BULK" ]; then
    for f in $(ls "$BULK"/*.pdf | head -6); do
        cp "$f" "$T/docs/" && n=$((n + 1))
    done
fi
if [ "$n" = 0 ]; then
    echo "batch: skipped (no samples/*.pdf and no $BULK)"
    exit 0
fi
cd "$T" || exit 2
ls docs/*.pdf >all.list
ONE=$(head -1 all.list)

# 1. A folder: a line per document, all JSON, exit 0, summary on stderr.
"$ORDEX" batch -j 2 -o out1.jsonl docs 2>err1
rc=$?
[ "$rc" = 0 ] && ok || bad "samples: exit $rc: $(cat err1)"
check_jsonl samples-lines out1.jsonl all.list
if grep -Eq "^ordex batch: $n documents, [0-9]+ pages, 0 failed, [0-9.]+ s \([0-9.]+ pages/s\)$" err1
then ok; else bad "summary line: $(cat err1)"; fi

# 2. --sorted: input order (sorted paths) and the same lines.
"$ORDEX" batch -j 2 --sorted docs >sorted.jsonl 2>/dev/null
python3 -c '
import json, sys
print("\n".join(json.loads(l)["source"]["file"] for l in open("sorted.jsonl")))
' >sorted.files
if cmp -s sorted.files all.list; then ok; else bad "--sorted order"; fi
if [ "$(sort out1.jsonl)" = "$(sort sorted.jsonl)" ]; then ok
else bad "--sorted lines differ from the unsorted run"; fi

# 3. @LIST and @- give the same as the folder.
"$ORDEX" batch -j 2 --sorted @all.list >list.jsonl 2>/dev/null
if cmp -s list.jsonl sorted.jsonl; then ok; else bad "@LIST input"; fi
"$ORDEX" batch -j 2 --sorted @- <all.list >stdin.jsonl 2>/dev/null
if cmp -s stdin.jsonl sorted.jsonl; then ok; else bad "@- input"; fi

# 4. --shard 1/2 and 2/2: disjoint, together the whole.
"$ORDEX" batch -j 2 --shard 1/2 docs >s1.jsonl 2>/dev/null
"$ORDEX" batch -j 2 --shard 2/2 docs >s2.jsonl 2>/dev/null
if [ "$(cat s1.jsonl s2.jsonl | sort)" = "$(sort out1.jsonl)" ]; then ok
else bad "--shard 1/2 + 2/2 differ from the whole"; fi
[ "$(wc -l <s1.jsonl)" = $(( (n + 1) / 2 )) ] && ok || bad "--shard 1/2 size"

# 5. Faults: a crash and a hang cost only their file; exit 10.
mkdir faults
cp "$ONE" faults/good.pdf
cp "$ONE" faults/crash-one.pdf
cp "$ONE" faults/hang-one.pdf
printf 'not a pdf\n' >faults/text.pdf
start=$(date +%s)
ORDEX_BATCH_TEST_HOOKS=1 "$ORDEX" batch -j 2 --timeout 2 --failed failed.txt \
    -o faults.jsonl faults 2>faults.err
rc=$?
took=$(( $(date +%s) - start ))
[ "$rc" = 10 ] && ok || bad "faults: exit $rc (want 10): $(cat faults.err)"
[ "$(error_code faults.jsonl faults/crash-one.pdf)" = crash ] && ok \
    || bad "crash: $(grep crash-one faults.jsonl)"
[ "$(error_code faults.jsonl faults/hang-one.pdf)" = timeout ] && ok \
    || bad "hang: $(grep hang-one faults.jsonl)"
[ "$(error_code faults.jsonl faults/good.pdf)" = ok ] && ok \
    || bad "good file next to faults: $(grep good.pdf faults.jsonl)"
[ "$(error_code faults.jsonl faults/text.pdf)" = not_pdf ] && ok \
    || bad "not a PDF: $(grep text.pdf faults.jsonl)"
if grep -q '"message":"faults/hang-one.pdf: timeout after 2 s"' faults.jsonl
then ok; else bad "timeout message: $(grep hang-one faults.jsonl)"; fi
if grep -q '"message":"faults/crash-one.pdf: worker killed by SIGABRT (Aborted)' faults.jsonl
then ok; else bad "crash message: $(grep crash-one faults.jsonl)"; fi
printf 'faults/crash-one.pdf\nfaults/hang-one.pdf\nfaults/text.pdf\n' >failed.want
cmp -s failed.txt failed.want && ok || bad "--failed list: $(cat failed.txt)"
# the hang is tried twice (2 s each); the rest runs beside it
[ "$took" -le 20 ] && ok || bad "faults took $took s"

# 6. A worker past --max-memory gives a memory error record.
mkdir oom && cp "$ONE" oom/oom-one.pdf
ORDEX_BATCH_TEST_HOOKS=1 "$ORDEX" batch -j 1 --max-memory 256 \
    -o oom.jsonl oom 2>oom.err
rc=$?
[ "$rc" = 10 ] && [ "$(error_code oom.jsonl oom/oom-one.pdf)" = memory ] && ok \
    || bad "oom: exit $rc: $(cat oom.jsonl oom.err)"

# 7. kill -9 and SIGTERM in the middle, then --resume: each input once.
mkdir many
i=0
while [ $i -lt 40 ]; do
    for f in docs/*.pdf; do
        ln "$f" "many/c$i-$(basename "$f")" 2>/dev/null \
            || cp "$f" "many/c$i-$(basename "$f")"
    done
    i=$((i + 1))
done
ls many/*.pdf >many.list
total=$(wc -l <many.list)
# kill_run SIG NAME: start a run, signal it once some lines are out.
kill_run() {
    rm -f "$2.jsonl"
    "$ORDEX" batch -j 2 -o "$2.jsonl" many 2>"$2.err" &
    BGPID=$!
    k=0
    while [ $k -lt 100 ] && [ "$(cat "$2.jsonl" 2>/dev/null | wc -l)" -lt 3 ]; do
        sleep 0.05
        k=$((k + 1))
    done
    kill -"$1" "$BGPID" 2>/dev/null
    wait "$BGPID" 2>/dev/null
    rc=$?
    BGPID=
    got=$(wc -l <"$2.jsonl")
    echo "  $2: signal $1 after $got of $total lines (exit $rc)"
}
for sig in KILL TERM; do
    kill_run $sig kill$sig
    if [ $sig = TERM ]; then
        [ "$rc" = 143 ] && grep -q "stopped by SIGTERM" killTERM.err && ok \
            || bad "SIGTERM: exit $rc: $(cat killTERM.err)"
    fi
    # a torn last line, as a kill inside write() could leave
    printf '{"source":{"file":"many/x' >>kill$sig.jsonl
    "$ORDEX" batch -j 2 --resume -o kill$sig.jsonl many 2>resume$sig.err
    rc=$?
    [ "$rc" = 0 ] && ok || bad "resume after $sig: exit $rc: $(cat resume$sig.err)"
    check_jsonl "resume-after-$sig" kill$sig.jsonl many.list
done
# resuming a finished file does nothing
cp killKILL.jsonl before.jsonl
"$ORDEX" batch -j 2 --resume -o killKILL.jsonl many 2>again.err
if [ $? = 0 ] && cmp -s before.jsonl killKILL.jsonl \
    && grep -q "^ordex batch: 0 documents," again.err; then ok
else bad "resume of a finished run: $(cat again.err)"; fi

# 8. Unwritable output: exit 7 and one line naming the file.
: >plain
"$ORDEX" batch -o plain/out.jsonl docs >/dev/null 2>unw.err
rc=$?
[ "$rc" = 7 ] && [ "$(cat unw.err)" = "ordex batch: plain/out.jsonl: cannot write: Not a directory" ] \
    && ok || bad "unwritable: exit $rc: $(cat unw.err)"

# 8b. The disk fills up in the middle of a line (a file size limit of
# 12 KiB, with SIGXFSZ ignored so that write() comes back short): exit 7,
# the file cut back to its last complete line, and the summary counts
# only the documents whose lines are in it.
bash -c 'trap "" XFSZ; ulimit -f 12; exec "$0" batch --sorted -j 1 -o full.jsonl docs' \
    "$ORDEX" >/dev/null 2>full.err
rc=$?
if [ "$rc" = 7 ] && python3 - full.jsonl full.err <<'EOF'; then ok; else bad "full disk: exit $rc: $(cat full.err)"; fi
import json, re, sys
data = open(sys.argv[1], 'rb').read()
err = open(sys.argv[2]).read()
if not data.endswith(b'\n') or len(data) > 12288:
    sys.exit(print('  partial last line, or', len(data), 'bytes'))
lines = data.decode('utf-8').splitlines()
for l in lines:
    json.loads(l)
m = re.search(r'^ordex batch: (\d+) documents,', err, re.M)
if 'cannot write: File too large' not in err or not m or int(m.group(1)) != len(lines) \
        or not 0 < len(lines) < 4:
    sys.exit(print('  %d lines; stderr: %s' % (len(lines), err)))
EOF

# 9. Usage and grammar errors.
"$ORDEX" batch --shard 3/2 docs >/dev/null 2>use.err
rc=$?
[ "$rc" = 2 ] && [ "$(cat use.err)" = "ordex batch: bad --shard '3/2' (expected K/N with 1 <= K <= N) (see ordex batch --help)" ] \
    && ok || bad "bad --shard: exit $rc: $(cat use.err)"
"$ORDEX" batch --resume docs >/dev/null 2>use.err
rc=$?
[ "$rc" = 2 ] && ok || bad "--resume without -o: exit $rc"
"$ORDEX" batch >/dev/null 2>use.err
rc=$?
[ "$rc" = 2 ] && ok || bad "no input: exit $rc"
mkdir badg && printf 'this is not a grammar\n' >badg/bad.rules
"$ORDEX" batch -g badg docs >/dev/null 2>gram.err
rc=$?
[ "$rc" = 6 ] && ok || bad "grammar error: exit $rc: $(cat gram.err)"

# 10. Options of issue 17: --retry-failed, --password, --max-pages,
# --highlight-dir, --progress naming the document that runs.
# --retry-failed: the hook-less rerun reads crash-one and hang-one (good
# copies), text.pdf fails again, good.pdf is kept, each input once.
cp faults.jsonl retry.jsonl
"$ORDEX" batch -j 2 --retry-failed -o retry.jsonl faults 2>retry.err
rc=$?
ls faults/*.pdf >faults.list
check_jsonl retry-lines retry.jsonl faults.list
[ "$rc" = 10 ] && [ "$(error_code retry.jsonl faults/crash-one.pdf)" = ok ] \
    && [ "$(error_code retry.jsonl faults/hang-one.pdf)" = ok ] \
    && [ "$(error_code retry.jsonl faults/text.pdf)" = not_pdf ] && ok \
    || bad "--retry-failed: exit $rc: $(cat retry.err)"
grep -q "^ordex batch: retry.jsonl: 1 documents already done (0 failed), 3 to go (failed ones again)$" retry.err \
    && grep -q "^ordex batch: 3 documents, [0-9]* pages, 1 failed," retry.err && ok \
    || bad "--retry-failed messages: $(cat retry.err)"
[ "$(grep -c good.pdf retry.jsonl)" = 1 ] && [ "$(grep good.pdf retry.jsonl)" = "$(grep good.pdf faults.jsonl)" ] \
    && ok || bad "--retry-failed changed good.pdf's line"
# a finished --resume: exit 0 when nothing failed (above), 10 and a
# summary that says so when an earlier run left a failure
"$ORDEX" batch --resume -o retry.jsonl faults 2>again2.err
rc=$?
[ "$rc" = 10 ] && grep -q "^ordex batch: 0 documents, 0 pages, 0 failed, .*; 1 failed in an earlier run (--retry-failed runs them again)$" again2.err \
    && ok || bad "finished resume with a kept failure: exit $rc: $(cat again2.err)"
# --password
mkdir enc
qpdf --encrypt secret owner 256 -- "$ONE" enc/locked.pdf
"$ORDEX" batch -o enc1.jsonl enc 2>/dev/null
rc=$?
[ "$rc" = 10 ] && [ "$(error_code enc1.jsonl enc/locked.pdf)" = encrypted ] && ok \
    || bad "encrypted without --password: exit $rc: $(cat enc1.jsonl)"
"$ORDEX" batch --password secret -o enc2.jsonl enc 2>/dev/null
rc=$?
[ "$rc" = 0 ] && [ "$(error_code enc2.jsonl enc/locked.pdf)" = ok ] && ok \
    || bad "--password: exit $rc: $(cat enc2.jsonl)"
# --max-pages: the 5-page OpenAI order is refused with 2, read with 5
if [ -f docs/openai_privilege_order.pdf ]; then
    "$ORDEX" batch --max-pages 2 -o mp.jsonl docs/openai_privilege_order.pdf 2>/dev/null
    rc=$?
    [ "$rc" = 10 ] && grep -q '"code":"limit","exit":8,"message":"docs/openai_privilege_order.pdf: 5 pages, more than the limit of 2 pages"' mp.jsonl \
        && ok || bad "--max-pages 2: exit $rc: $(cat mp.jsonl)"
    "$ORDEX" batch --max-pages 5 -o mp5.jsonl docs/openai_privilege_order.pdf 2>/dev/null \
        && [ "$(error_code mp5.jsonl docs/openai_privilege_order.pdf)" = ok ] && ok \
        || bad "--max-pages 5: $(cat mp5.jsonl)"
fi
"$ORDEX" batch --max-pages -5 docs >/dev/null 2>mpneg.err
rc=$?
[ "$rc" = 2 ] && [ "$(cat mpneg.err)" = "ordex batch: --max-pages must be 0 or more (see ordex batch --help)" ] \
    && ok || bad "--max-pages -5: exit $rc: $(cat mpneg.err)"
# --highlight-dir: a PDF per input at DIR/INPUT, with highlights
"$ORDEX" batch -j 2 --highlight-dir hl -o hl.jsonl docs 2>hl.err
rc=$?
nhl=0
for f in docs/*.pdf; do
    if [ "$(head -c 5 "hl/$f" 2>/dev/null)" = "%PDF-" ]; then nhl=$((nhl + 1)); fi
done
[ "$rc" = 0 ] && [ "$nhl" = "$n" ] && ok || bad "--highlight-dir: exit $rc, $nhl of $n copies: $(cat hl.err)"
if [ -f hl/docs/openai_privilege_order.pdf ]; then
    nannot=$(python3 -c 'import sys; print(open(sys.argv[1], "rb").read().count(b"/Highlight"))' hl/docs/openai_privilege_order.pdf)
    [ "$nannot" -gt 0 ] && ok || bad "--highlight-dir: no /Highlight annotation"
fi
: >hlfile
"$ORDEX" batch --highlight-dir hlfile -o hlbad.jsonl "$ONE" 2>/dev/null
rc=$?
[ "$rc" = 10 ] && grep -q "\"code\":\"output\",\"exit\":7,\"message\":\"hlfile/$ONE: cannot write: Not a directory\"" hlbad.jsonl \
    && ok || bad "--highlight-dir unwritable: exit $rc: $(cat hlbad.jsonl)"
# --progress without a terminal: a line a second naming the document that
# runs and for how long
mkdir prog && cp "$ONE" prog/hang-slow.pdf
ORDEX_BATCH_TEST_HOOKS=1 "$ORDEX" batch -j 1 --timeout 2 --progress -o prog.jsonl prog 2>prog.err
if grep -q '^\[0/1\] 0 pages, 0.0 pages/s, 0 failed, ETA --:--; reading prog/hang-slow.pdf (1 s)$' prog.err
then ok; else bad "--progress: $(cat prog.err)"; fi

# 11. The real filings: a line (record or error record) for each.
cd - >/dev/null || exit 2
if [ -d "$BULK" ]; then
    ls "$BULK"/*.pdf >"$T/bulk.list"
    # text layers only: OCR of the corpus's 133 scanned pages takes minutes
    # (more under ASan); run_ocr.sh covers OCR
    "$ORDEX" batch -j 2 --ocr=never --timeout 60 -o "$T/bulk.jsonl" "$BULK" 2>"$T/bulk.err"
    rc=$?
    { [ "$rc" = 0 ] || [ "$rc" = 10 ]; } && ok || bad "bulk: exit $rc"
    check_jsonl bulk "$T/bulk.jsonl" "$T/bulk.list"
    echo "  bulk: $(tail -1 "$T/bulk.err")"
else
    echo "  bulk: skipped ($BULK absent)"
fi

echo "batch: $pass passed, $fail failed"
[ "$fail" = 0 ]

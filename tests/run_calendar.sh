#!/bin/sh
# run_calendar.sh - calendars and timelines (README: Calendars and
# timelines).  Every .ics written here is read back with libical
# (build/tests/icsread) and with python3-icalendar
# (tests/calendar/check_ics.py), and its events' dates and times are
# checked against the JSON they come from.  The golden timeline JSON and
# .ics files are tests/golden/calendar/santos-timeline*/ and openai-ics/ (run by
# run_golden.sh).  About 3 s.
set -u
ORDEX=${1:-build/ordex}
cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C ORDEX_GRAMMAR_DIR=grammars
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
BUILD=$(dirname "$ORDEX")
ICSREAD=$BUILD/tests/icsread
[ -x "$ICSREAD" ] || { echo "run_calendar.sh: build $ICSREAD first (make tests)"; exit 1; }
if ! $PY -c 'import icalendar' 2>/dev/null; then
    echo "run_calendar.sh: $PY cannot import icalendar (make deps installs python3-icalendar)"; exit 1
fi
T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }

# check ICS JSON...: libical, icalendar and the JSON agree
check() {
    ics=$1; shift
    if ! "$ICSREAD" "$ics" >"$T/lines"; then bad "libical cannot read $ics"; return; fi
    $PY tests/calendar/check_ics.py "$ics" "$T/lines" "$@" || fail=$((fail + 1))
}

SANTOS="samples/nysd_scheduling_order.pdf samples/nysd_extension_order.pdf samples/nysd_vacatur_order.pdf"

# 1. One document: the OpenAI sample's three dated deadlines.
"$ORDEX" --ics "$T/openai.ics" -o "$T/openai.json" samples/openai_privilege_order.pdf \
    || bad "ordex --ics exit $?"
check "$T/openai.ics" "$T/openai.json"
days=$("$ICSREAD" "$T/openai.ics" | cut -f2 | sort -u | tr '\n' ' ')
[ "$days" = "DATE 2025-12-05 DATE 2025-12-08 DATE 2025-12-19 " ] \
    && ok "openai: events on $days" || bad "openai: days '$days'"

# 2. The scheduling order alone: its status conference at 2:00 p.m. in
#    New York (19:00 UTC in January), the undated reply period left out.
"$ORDEX" --ics "$T/nysd.ics" -o "$T/nysd.json" samples/nysd_scheduling_order.pdf
check "$T/nysd.ics" "$T/nysd.json"
"$ICSREAD" "$T/nysd.ics" | grep -q "	UTC 2026-01-06T19:00	CONFIRMED	the parties: appear - status conference" \
    && ok "nysd: conference at 14:00 America/New_York" || bad "nysd: conference time"
n=$("$ICSREAD" "$T/nysd.ics" | wc -l)
[ "$n" = 6 ] && ok "nysd: 6 events for 7 deadlines (one undated)" || bad "nysd: $n events"

# 3. The three-order case: extended date current, conference vacated.
# shellcheck disable=SC2086
"$ORDEX" timeline --ics "$T/santos.ics" -o "$T/santos.json" $SANTOS || bad "timeline exit $?"
check "$T/santos.ics" "$T/santos.json"
$PY - "$T/santos.json" <<'PYEOF' || fail=$((fail + 1))
import json, sys
case, = json.load(open(sys.argv[1]))["cases"]
by = {(d["party"], d["action"]): d for d in case["deadlines"]}
opp, conf = by[("Defendants", "file")], by[("the parties", "appear")]
want = [("extended", "2026-01-30", "samples/nysd_extension_order.pdf", 1),
        ("vacated", "2026-01-06", "samples/nysd_vacatur_order.pdf", 1)]
got = [(d["status"], d["date"], d["history"][-1]["document"], d["history"][-1]["page"])
       for d in (opp, conf)]
assert got == want, got
assert opp["history"][0]["date"] == "2026-01-16", opp["history"]
assert [(d["docket_entry"], d["date"]) for d in case["documents"]] == [
    ("34", "2025-12-01"), ("41", "2025-12-10"), ("45", "2025-12-22")], case["documents"]
assert case["unlinked_changes"] == [], case["unlinked_changes"]
print("ok   timeline: opposition extended 2026-01-16 -> 2026-01-30 (extension order p. 1), "
      "conference vacated (vacatur order p. 1)")
PYEOF
# Re-importing updates: the same UIDs as the scheduling order's own calendar.
cut -f1 "$T/lines" | sort >"$T/uids.t"
"$ICSREAD" "$T/nysd.ics" | cut -f1 | sort >"$T/uids.1"
cmp -s "$T/uids.t" "$T/uids.1" && ok "timeline keeps the scheduling order's UIDs" \
    || bad "timeline UIDs differ from the scheduling order's"

# 4. Continued, reset and stayed, from text: a hearing continued to a new
#    time, and a stay of every other date.
cat >"$T/a.txt" <<'TXT'
UNITED STATES DISTRICT COURT
NORTHERN DISTRICT OF CALIFORNIA

Case No. 24-cv-01234-ABC

ORDER

A motion hearing will be held on March 3, 2026 at 10:00 a.m. Plaintiff shall file its brief by February 2, 2026.

IT IS SO ORDERED.

Dated: January 5, 2026
TXT
cat >"$T/b.txt" <<'TXT'
UNITED STATES DISTRICT COURT
NORTHERN DISTRICT OF CALIFORNIA

Case No. 24-cv-01234-ABC

ORDER

The motion hearing set for March 3, 2026 is continued to March 17, 2026 at 2:00 p.m.

IT IS SO ORDERED.

Dated: January 20, 2026
TXT
cat >"$T/c.txt" <<'TXT'
UNITED STATES DISTRICT COURT
NORTHERN DISTRICT OF CALIFORNIA

Case No. 24-cv-01234-ABC

ORDER

All deadlines in this action are stayed pending the mediation.

IT IS SO ORDERED.

Dated: January 27, 2026
TXT
"$ORDEX" timeline --ics "$T/cand.ics" -o "$T/cand.json" "$T/c.txt" "$T/a.txt" "$T/b.txt" \
    || bad "timeline (text) exit $?"
check "$T/cand.ics" "$T/cand.json"
$PY - "$T/cand.json" <<'PYEOF' || fail=$((fail + 1))
import json, sys
case, = json.load(open(sys.argv[1]))["cases"]
assert case["time_zone"] == "America/Los_Angeles", case["time_zone"]
assert [d["date"] for d in case["documents"]] == ["2026-01-05", "2026-01-20", "2026-01-27"]
got = [(d["action"], d["date"], d["time"], [h["status"] for h in d["history"]])
       for d in case["deadlines"]]
want = [("appear", "2026-03-17", "14:00", ["set", "continued", "stayed"]),
        ("file", "2026-02-02", None, ["set", "stayed"])]
assert got == want, got
print("ok   timeline: hearing continued to 2026-03-17 14:00, then every date stayed")
PYEOF
"$ICSREAD" "$T/cand.ics" | grep -q "	UTC 2026-03-17T21:00	CANCELLED	STAYED: " \
    && ok "cand: 14:00 America/Los_Angeles = 21:00 UTC, cancelled by the stay" \
    || bad "cand: continued hearing in the calendar"

# 4b. A change whose earlier order is not among the inputs: listed as
#     unlinked, and its new date stays a deadline of the timeline.
"$ORDEX" timeline -o "$T/cand1.json" samples/cand_stipulated_protective_order.pdf \
    || bad "timeline (cand) exit $?"
$PY - "$T/cand1.json" <<'PYEOF' || fail=$((fail + 1))
import json, sys
case, = json.load(open(sys.argv[1]))["cases"]
un = [(u["status"], u["date"], u["time"], u["page"]) for u in case["unlinked_changes"]]
assert un == [("continued", "2025-12-11", "14:00", 2)], un
assert ("set", "2025-12-11", "14:00") in [(d["status"], d["date"], d["time"]) for d in case["deadlines"]]
print("ok   timeline: an unlinked change is listed and its new date kept")
PYEOF

# 5. Errors: one line, documented exit codes, no file left behind.
"$ORDEX" --ics "$T/nodir/x.ics" samples/openai_privilege_order.pdf >/dev/null 2>"$T/err"
rc=$?
[ $rc = 7 ] && grep -q "^ordex: $T/nodir/x.ics: cannot write: No such file or directory$" "$T/err" \
    && ok "unwritable --ics: exit 7" || bad "unwritable --ics: exit $rc: $(cat "$T/err")"
"$ORDEX" timeline "$T/missing.pdf" >/dev/null 2>"$T/err"
rc=$?
[ $rc = 3 ] && [ "$(wc -l <"$T/err")" = 1 ] && ok "timeline of a missing file: exit 3, one line" \
    || bad "timeline missing file: exit $rc: $(cat "$T/err")"
"$ORDEX" timeline >/dev/null 2>"$T/err"
rc=$?
[ $rc = 2 ] && grep -qx "ordex: timeline: expected at least one input (see ordex timeline --help)" "$T/err" \
    && ok "timeline without inputs: exit 2" || bad "timeline without inputs: exit $rc"

"$ORDEX" timeline "@$T/no-list" >/dev/null 2>"$T/err"
rc=$?
[ $rc = 3 ] && grep -qx "ordex: $T/no-list: No such file or directory" "$T/err" \
    && ok "timeline @missing-list: exit 3" || bad "timeline @missing-list: exit $rc: $(cat "$T/err")"

# A device or pipe as -o or --ics is written to, never renamed over (as
# root, a rename over /dev/null would replace the device by a file).
mkfifo "$T/fifo.json" "$T/fifo.ics"
cat "$T/fifo.json" >"$T/got.json" &
cat "$T/fifo.ics" >"$T/got.ics" &
"$ORDEX" -o "$T/fifo.json" --ics "$T/fifo.ics" samples/openai_privilege_order.pdf
rc=$?
wait
[ $rc = 0 ] && [ -p "$T/fifo.json" ] && [ -p "$T/fifo.ics" ] && grep -q '"schema":"ordex-3"' "$T/got.json" \
    && grep -q "^BEGIN:VCALENDAR" "$T/got.ics" && ok "pipes as -o and --ics stay pipes" \
    || bad "pipes as -o and --ics (exit $rc)"

# 6. Batch: one calendar for every line.
"$ORDEX" batch -j 2 --sorted --ics "$T/batch.ics" -o "$T/batch.jsonl" \
    samples/openai_privilege_order.pdf samples/nysd_scheduling_order.pdf 2>/dev/null \
    || bad "batch --ics exit $?"
check "$T/batch.ics" "$T/batch.jsonl"

echo "calendar: $fail failed"
[ $fail = 0 ]

"""Checks an .ics that ordex wrote against the JSON it came from.

    check_ics.py FILE.ics ICSREAD_LINES JSON [JSON...]

Parses FILE.ics with python3-icalendar and compares, event by event, the
UID, start, status and summary with what libical read (the lines of
build/tests/icsread, one per event).  Then each JSON (a document of
`ordex`, the lines of `ordex batch`, or a `timeline`) says which events
there must be: every dated deadline one event, with its date, and its
time in the court's zone (case.time_zone), none for undated ones.
Prints one line of figures; exits 1 on the first difference.
"""
import datetime
import json
import sys

import icalendar

try:
    from zoneinfo import ZoneInfo
except ImportError:  # Python < 3.9
    from backports.zoneinfo import ZoneInfo  # type: ignore


def fail(msg):
    print("check_ics: FAIL " + msg)
    sys.exit(1)


def start_of(ev):
    dt = ev.decoded("DTSTART")
    if isinstance(dt, datetime.datetime):
        if dt.tzinfo is None:
            return "FLOATING " + dt.strftime("%Y-%m-%dT%H:%M")
        return "UTC " + dt.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M")
    return "DATE " + dt.isoformat()


def expected_start(date, time, zone):
    if not time:
        return "DATE " + date
    local = datetime.datetime.strptime(date + " " + time, "%Y-%m-%d %H:%M")
    if not zone:
        return "FLOATING " + local.strftime("%Y-%m-%dT%H:%M")
    aware = local.replace(tzinfo=ZoneInfo(zone))
    return "UTC " + aware.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M")


def wanted(paths):
    """uid -> (start, cancelled) from the JSON files."""
    out = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        try:
            docs = [json.loads(text)]
        except json.JSONDecodeError:  # JSON Lines of ordex batch
            docs = [json.loads(line) for line in text.splitlines() if line.strip()]
        for doc in docs:
            if "timeline" in doc:
                for case in doc["cases"]:
                    for d in case["deadlines"]:
                        if d["date"]:
                            out[d["uid"]] = (expected_start(d["date"], d["time"], case["time_zone"]),
                                             d["status"] in ("vacated", "stayed", "superseded"))
            elif "deadlines" in doc:
                sha = doc["source"]["sha256"]
                for d in doc["deadlines"]:
                    if d["date"]:
                        out["%s-%s@ordex" % (sha, d["id"])] = (
                            expected_start(d["date"], d["time"], doc["case"]["time_zone"]), False)
    return out


def main():
    ics, lines_path, jsons = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(ics, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    zones = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    events = cal.walk("VEVENT")
    with open(lines_path, encoding="utf-8") as f:
        lib = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    if len(lib) != len(events):
        fail("%s: libical read %d events, icalendar %d" % (ics, len(lib), len(events)))
    got = {}
    for ev, (uid, start, status, summary) in zip(events, lib):
        py = (str(ev["UID"]), start_of(ev), str(ev.get("STATUS")), str(ev["SUMMARY"]))
        if py != (uid, start, status, summary):
            fail("%s: libical %r, icalendar %r" % (ics, (uid, start, status, summary), py))
        if "TZID" in ev["DTSTART"].params and ev["DTSTART"].params["TZID"] not in zones:
            fail("%s: %s: TZID %s has no VTIMEZONE" % (ics, uid, ev["DTSTART"].params["TZID"]))
        if uid in got:
            fail("%s: UID %s twice" % (ics, uid))
        got[uid] = (start, status == "CANCELLED")
    want = wanted(jsons)
    if got != want:
        for uid in sorted(set(got) | set(want)):
            if got.get(uid) != want.get(uid):
                fail("%s: %s: calendar %r, JSON %r" % (ics, uid, got.get(uid), want.get(uid)))
    timed = sum(1 for s, _ in got.values() if not s.startswith("DATE"))
    print("check_ics: ok %s: %d events (%d timed, %d cancelled), libical = icalendar = JSON"
          % (ics, len(got), timed, sum(1 for _, c in got.values() if c)))


main()

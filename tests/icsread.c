/*
 * icsread.c - reads an .ics file back with libical and prints one line
 * per VEVENT: UID, start ("DATE 2025-12-08" or "UTC 2026-01-06T19:00",
 * the timed start converted to UTC through the file's VTIMEZONE), STATUS
 * and SUMMARY, tab-separated, in file order.  tests/run_calendar.sh
 * compares its lines with python3-icalendar's and with the JSON.
 * Exit 1 when the file does not parse or an event lacks UID or DTSTART.
 */
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>
#include <libical/ical.h>

int main(int argc, char **argv)
{
    char *data = NULL;
    icalcomponent *cal, *ev;
    int bad = 0;

    if (argc != 2 || !g_file_get_contents(argv[1], &data, NULL, NULL)) {
        fprintf(stderr, "usage: icsread FILE.ics\n");
        return 2;
    }
    cal = icalparser_parse_string(data);
    g_free(data);
    if (!cal || icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
        fprintf(stderr, "icsread: %s: not an iCalendar file\n", argv[1]);
        return 1;
    }
    if (icalcomponent_count_errors(cal) > 0) {
        fprintf(stderr, "icsread: %s: %d errors\n", argv[1], icalcomponent_count_errors(cal));
        bad = 1;
    }
    for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
         ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
        struct icaltimetype t = icalcomponent_get_dtstart(ev);
        const char *uid = icalcomponent_get_uid(ev);
        icalproperty_status st = icalcomponent_get_status(ev);

        if (!uid || icaltime_is_null_time(t)) {
            fprintf(stderr, "icsread: %s: an event without UID or DTSTART\n", argv[1]);
            bad = 1;
            continue;
        }
        if (t.is_date) {
            printf("%s\tDATE %04d-%02d-%02d", uid, t.year, t.month, t.day);
        } else {
            if (!t.zone && !icaltime_is_utc(t)) {
                printf("%s\tFLOATING %04d-%02d-%02dT%02d:%02d", uid, t.year, t.month, t.day,
                       t.hour, t.minute);
            } else {
                struct icaltimetype u = icaltime_convert_to_zone(t, icaltimezone_get_utc_timezone());
                printf("%s\tUTC %04d-%02d-%02dT%02d:%02d", uid, u.year, u.month, u.day,
                       u.hour, u.minute);
            }
        }
        printf("\t%s\t%s\n", st == ICAL_STATUS_CANCELLED ? "CANCELLED" : "CONFIRMED",
               icalcomponent_get_summary(ev));
    }
    icalcomponent_free(cal);
    return bad;
}

/*
 * cli_ics.c - the calendar renderer of the ordex command (--ics).
 *
 * Part of the command, not of the library: it reads the document JSON
 * that the library wrote (one document, the lines of `ordex batch`, or
 * the current deadlines of `ordex timeline`) and writes an RFC 5545
 * calendar with libical, one VEVENT per dated deadline.  Undated
 * deadlines stay in the JSON only.  An event is all-day, or timed in the
 * court's zone (case.time_zone, from grammars/zones.rules) when the order
 * gives a time; a court without a zone gets a floating time.  The UID is
 * the document's SHA-256 and the record id, so that importing the file
 * again updates the events instead of doubling them.  DTSTAMP is the
 * date of the order the event comes from (midnight UTC), never the clock,
 * so that the same input always gives the same bytes.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>
#include <libical/ical.h>

#include "cli.h"
#include "ordex.h"

struct cli_calendar {
    GPtrArray *events; /* cli_event *, owned */
};

cli_calendar *cli_calendar_new(void)
{
    cli_calendar *c = g_new0(cli_calendar, 1);

    c->events = g_ptr_array_new_with_free_func(cli_event_free);
    return c;
}

void cli_calendar_free(cli_calendar *c)
{
    if (!c)
        return;
    g_ptr_array_free(c->events, TRUE);
    g_free(c);
}

void cli_event_free(void *p)
{
    cli_event *e = p;

    if (!e)
        return;
    g_free(e->uid);
    g_free(e->date);
    g_free(e->time);
    g_free(e->zone);
    g_free(e->summary);
    g_free(e->description);
    g_free(e->stamp);
    g_free(e);
}

void cli_calendar_take(cli_calendar *c, cli_event *e)
{
    g_ptr_array_add(c->events, e);
}

/* A string member of o, or NULL (absent, null, not a string). */
const char *cli_json_string(JsonObject *o, const char *key)
{
    JsonNode *n;

    if (!o || !json_object_has_member(o, key))
        return NULL;
    n = json_object_get_member(o, key);
    if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
        return NULL;
    return json_node_get_string(n);
}

long cli_json_int(JsonObject *o, const char *key)
{
    JsonNode *n;

    if (!o || !json_object_has_member(o, key))
        return 0;
    n = json_object_get_member(o, key);
    if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_INT64)
        return 0;
    return (long)json_node_get_int(n);
}

JsonArray *cli_json_array(JsonObject *o, const char *key)
{
    JsonNode *n;

    if (!o || !json_object_has_member(o, key))
        return NULL;
    n = json_object_get_member(o, key);
    return JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

JsonObject *cli_json_object(JsonObject *o, const char *key)
{
    JsonNode *n;

    if (!o || !json_object_has_member(o, key))
        return NULL;
    n = json_object_get_member(o, key);
    return JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

/* The record of array key whose "id" is id, or NULL. */
JsonObject *cli_json_by_id(JsonObject *doc, const char *key, const char *id)
{
    JsonArray *a = cli_json_array(doc, key);

    for (guint i = 0; a && id && i < json_array_get_length(a); i++) {
        JsonObject *o = json_array_get_object_element(a, i);
        if (g_strcmp0(cli_json_string(o, "id"), id) == 0)
            return o;
    }
    return NULL;
}

/* The change of doc that gave deadline dl its date, or NULL. */
JsonObject *cli_change_of(JsonObject *doc, JsonObject *dl)
{
    JsonArray *a = cli_json_array(doc, "changes");
    const char *id = cli_json_string(dl, "id");

    for (guint i = 0; a && id && i < json_array_get_length(a); i++) {
        JsonObject *c = json_array_get_object_element(a, i);
        if (g_strcmp0(cli_json_string(c, "deadline"), id) == 0)
            return c;
    }
    return NULL;
}

char *cli_deadline_summary(JsonObject *doc, JsonObject *dl)
{
    JsonObject *cs = cli_json_object(doc, "case");
    const char *party = cli_json_string(dl, "party");
    const char *action = cli_json_string(dl, "action");
    const char *event = cli_json_string(dl, "event");
    const char *number = cli_json_string(cs, "case_number_normalized");
    JsonObject *chg = cli_change_of(doc, dl);
    GString *s = g_string_new(NULL);

    if (!number)
        number = cli_json_string(cs, "case_number");
    if (party && action)
        g_string_append_printf(s, "%s: %s", party, action);
    else if (action)
        g_string_append(s, action);
    if (event)
        g_string_append_printf(s, "%s%s", s->len ? " - " : "", event);
    if (!s->len && chg && cli_json_string(chg, "what"))
        g_string_append_printf(s, "%s (%s)", cli_json_string(chg, "what"),
                               cli_json_string(chg, "action"));
    if (!s->len)
        g_string_append(s, cli_json_string(dl, "text") ? cli_json_string(dl, "text")
                                                       : "deadline");
    if (number)
        g_string_append_printf(s, " [%s]", number);
    return g_string_free(s, FALSE);
}

void cli_deadline_description(GString *s, JsonObject *doc, JsonObject *dl)
{
    JsonObject *cs = cli_json_object(doc, "case");
    JsonObject *src = cli_json_object(doc, "source");
    JsonObject *dir = cli_json_by_id(doc, "directives", cli_json_string(dl, "directive"));
    JsonObject *chg = cli_change_of(doc, dl);
    const char *entry = cli_json_string(cs, "docket_entry");
    const char *caption = cli_json_string(cs, "caption");

    if (dir)
        g_string_append_printf(s, "Directive: %s\n", cli_json_string(dir, "text"));
    else if (chg)
        g_string_append_printf(s, "Order: %s\n", cli_json_string(chg, "text"));
    g_string_append_printf(s, "Deadline: %s\n", cli_json_string(dl, "text"));
    if (cli_json_string(dl, "computation"))
        g_string_append_printf(s, "Rule 6(a): %s\n", cli_json_string(dl, "computation"));
    if (caption)
        g_string_append_printf(s, "Case: %s\n", caption);
    g_string_append_printf(s, "Document: %s", cli_json_string(src, "file"));
    if (entry)
        g_string_append_printf(s, " (ECF No. %s)", entry);
    g_string_append_printf(s, ", page %ld\n", cli_json_int(dl, "page"));
    g_string_append_printf(s, "SHA-256: %s", cli_json_string(src, "sha256"));
}

char *cli_deadline_uid(JsonObject *doc, JsonObject *dl)
{
    JsonObject *src = cli_json_object(doc, "source");

    return g_strdup_printf("%s-%s@ordex", cli_json_string(src, "sha256"),
                           cli_json_string(dl, "id"));
}

int cli_calendar_add_document(cli_calendar *c, const char *json, long len)
{
    JsonParser *p = json_parser_new();
    JsonObject *doc, *cs;
    JsonArray *dls;
    int n = 0;

    if (!json_parser_load_from_data(p, json, len, NULL)
        || !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p))) {
        g_object_unref(p);
        return -1;
    }
    doc = json_node_get_object(json_parser_get_root(p));
    cs = cli_json_object(doc, "case");
    dls = cli_json_array(doc, "deadlines");
    for (guint i = 0; dls && i < json_array_get_length(dls); i++) {
        JsonObject *dl = json_array_get_object_element(dls, i);
        cli_event *e;
        GString *d;

        if (!cli_json_string(dl, "date"))
            continue; /* undated: the JSON lists it, the calendar cannot */
        e = g_new0(cli_event, 1);
        e->uid = cli_deadline_uid(doc, dl);
        e->date = g_strdup(cli_json_string(dl, "date"));
        e->time = g_strdup(cli_json_string(dl, "time"));
        e->zone = g_strdup(cli_json_string(cs, "time_zone"));
        e->summary = cli_deadline_summary(doc, dl);
        d = g_string_new(NULL);
        cli_deadline_description(d, doc, dl);
        e->description = g_string_free(d, FALSE);
        e->stamp = g_strdup(cli_json_string(cs, "date") ? cli_json_string(cs, "date")
                                                        : e->date);
        cli_calendar_take(c, e);
        n++;
    }
    g_object_unref(p);
    return n;
}

/* "2025-12-08" (and "14:00") into t; false when malformed. */
static bool parse_when(const char *date, const char *time, struct icaltimetype *t)
{
    int y, m, d, hh = 0, mm = 0;

    if (!date || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return false;
    if (time && sscanf(time, "%2d:%2d", &hh, &mm) != 2)
        return false;
    *t = time ? icaltime_null_time() : icaltime_null_date();
    t->year = y;
    t->month = m;
    t->day = d;
    if (time) {
        t->hour = hh;
        t->minute = mm;
    }
    return icaltime_is_valid_time(*t);
}

static gint cmp_event(gconstpointer a, gconstpointer b)
{
    const cli_event *x = *(cli_event *const *)a, *y = *(cli_event *const *)b;
    int r = strcmp(x->date, y->date);

    if (!r)
        r = g_strcmp0(x->time, y->time);
    return r ? r : strcmp(x->uid, y->uid);
}

/* The zone by IANA name (libical reads the system's zoneinfo), or NULL
 * when libical does not know it. */
static icaltimezone *zone_named(const char *name)
{
    return name ? icaltimezone_get_builtin_timezone(name) : NULL;
}

char *cli_calendar_render(cli_calendar *c)
{
    icalcomponent *cal = icalcomponent_new_vcalendar();
    GHashTable *zones = g_hash_table_new(g_str_hash, g_str_equal); /* name -> first year */
    char *prodid = g_strdup_printf("-//ordex//ordex %s//EN", ordex_version());
    char *out, *s;

    icalcomponent_add_property(cal, icalproperty_new_prodid(prodid));
    icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
    icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
    icalcomponent_add_property(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
    g_free(prodid);
    g_ptr_array_sort(c->events, cmp_event);

    /* The zones first: a VTIMEZONE for each zone a timed event uses, cut
     * to the years from the first such event on. */
    for (guint i = 0; i < c->events->len; i++) {
        cli_event *e = g_ptr_array_index(c->events, i);
        if (e->time && e->zone && zone_named(e->zone)
            && !g_hash_table_contains(zones, e->zone))
            g_hash_table_insert(zones, e->zone, GINT_TO_POINTER(atoi(e->date)));
    }
    {
        GList *names = g_list_sort(g_hash_table_get_keys(zones), (GCompareFunc)strcmp);
        for (GList *l = names; l; l = l->next) {
            icaltimezone *tz = zone_named(l->data);
            icalcomponent *vtz = icalcomponent_new_clone(icaltimezone_get_component(tz));
            struct icaltimetype from = icaltime_null_time();
            from.year = GPOINTER_TO_INT(g_hash_table_lookup(zones, l->data));
            from.month = 1;
            from.day = 1;
            from.zone = icaltimezone_get_utc_timezone();
            icaltimezone_truncate_vtimezone(vtz, from, icaltime_null_time(), 0);
            /* libical names system zones "/freeassociation.sourceforge.net/
             * America/New_York"; the events say "America/New_York" */
            icalproperty_set_tzid(icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY),
                                  l->data);
            icalcomponent_add_component(cal, vtz);
        }
        g_list_free(names);
    }

    for (guint i = 0; i < c->events->len; i++) {
        cli_event *e = g_ptr_array_index(c->events, i);
        icalcomponent *ev = icalcomponent_new_vevent();
        struct icaltimetype start, stamp;
        icalproperty *p;
        icaltimezone *tz = e->time ? zone_named(e->zone) : NULL;

        if (!parse_when(e->date, e->time, &start)) {
            icalcomponent_free(ev);
            continue;
        }
        icalcomponent_add_property(ev, icalproperty_new_uid(e->uid));
        if (!parse_when(e->stamp, NULL, &stamp))
            stamp = start;
        stamp.is_date = 0;
        stamp.hour = stamp.minute = stamp.second = 0;
        stamp.zone = icaltimezone_get_utc_timezone();
        icalcomponent_add_property(ev, icalproperty_new_dtstamp(stamp));
        if (tz)
            start.zone = tz;
        p = icalproperty_new_dtstart(start);
        if (tz && !icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER))
            icalproperty_add_parameter(p, icalparameter_new_tzid(e->zone));
        icalcomponent_add_property(ev, p);
        if (start.is_date) {
            /* an all-day event: the day itself (DTEND is exclusive) */
            struct icaltimetype end = start;
            icaltime_adjust(&end, 1, 0, 0, 0);
            icalcomponent_add_property(ev, icalproperty_new_dtend(end));
        }
        icalcomponent_add_property(ev, icalproperty_new_summary(e->summary));
        icalcomponent_add_property(ev, icalproperty_new_description(e->description));
        icalcomponent_add_property(ev, icalproperty_new_sequence(e->sequence));
        icalcomponent_add_property(ev, icalproperty_new_status(
                                           e->cancelled ? ICAL_STATUS_CANCELLED
                                                        : ICAL_STATUS_CONFIRMED));
        icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
        icalcomponent_add_component(cal, ev);
    }
    s = icalcomponent_as_ical_string_r(cal);
    out = g_strdup(s);
    free(s);
    icalcomponent_free(cal);
    g_hash_table_destroy(zones);
    return out;
}

int cli_write_output(const char *path, const char *data)
{
    size_t n = strlen(data);

    if (strcmp(path, "-") == 0) {
        if (fwrite(data, 1, n, stdout) != n || fflush(stdout) != 0) {
            fprintf(stderr, "ordex: <stdout>: cannot write: %s\n",
                    g_strerror(errno));
            return EXIT_OUTPUT;
        }
        return EXIT_OK;
    }
    return cli_write_file(path, data, n, NULL, 0);
}

int cli_calendar_write(cli_calendar *c, const char *path)
{
    char *data = cli_calendar_render(c);
    int code = cli_write_output(path, data);

    g_free(data);
    return code;
}

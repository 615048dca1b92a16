/*
 * changes.c - stage 5: "change" records (grammars/changes.rules): what a
 * later order did to a date an earlier one set.
 */
#include <string.h>

#include "stage5_p.h"

/* ---- Changes ------------------------------------------------------------- */

/* An ISO date from field name of m (NULL when absent or unreadable). */
static char *field_date(const od_text *t, const od_match *m, const char *name)
{
    char *s = od_field_text(t, m, name);
    od_date d;
    bool amb = false;
    char *iso = NULL;

    if (s && od_date_parse(s, strlen(s), &d, &amb)) {
        iso = g_malloc(11);
        od_date_iso(d, iso);
    }
    g_free(s);
    return iso;
}

static char *field_time(const od_text *t, const od_match *m, const char *name)
{
    char *s = od_field_text(t, m, name);
    char hm[6];
    char *out = NULL;

    if (s && od_time_parse(s, strlen(s), hm))
        out = g_strdup(hm);
    g_free(s);
    return out;
}

/* "change" records (grammars/changes.rules): what a later order did to a
 * date an earlier one set.  A change that gives a new date names this
 * document's deadline record holding it ("deadline"). */
void od_build_changes(const od_text *t, const od_matches *m,
                      JsonArray *deadlines, JsonArray *out)
{
    int id = 0;

    for (size_t i = 0; i < m->n; i++) {
        const od_match *mt = &m->items[i];
        JsonObject *o;
        char *what, *from, *fromtime, *date, *time, *until, *text, *action;
        const char *scope;
        const char *dl_id = NULL;
        char buf[24];

        if (strcmp(od_rule_kind(mt->rule), "change") != 0)
            continue;
        action = od_field_text(t, mt, "action");
        if (!action)
            continue;
        scope = od_field_is(mt, "scope", "all") ? "all" : "one";
        what = od_field_text(t, mt, "what");
        if (what) {
            char *low = g_utf8_strdown(what, -1);
            g_free(what);
            what = low;
        }
        from = field_date(t, mt, "from");
        fromtime = field_time(t, mt, "fromtime");
        date = field_date(t, mt, "date");
        time = field_time(t, mt, "time");
        until = od_field_text(t, mt, "until");
        text = od_span_text(t, mt->start, mt->end);
        for (guint k = 0; date && k < json_array_get_length(deadlines); k++) {
            JsonObject *d = json_array_get_object_element(deadlines, k);
            long s = 0, e = 0;
            if (!json_object_has_member(d, "start") || json_object_get_null_member(d, "start"))
                continue;
            s = (long)json_object_get_int_member(d, "start");
            e = (long)json_object_get_int_member(d, "end");
            if (s >= mt->start && e <= mt->end
                && g_strcmp0(json_object_get_string_member(d, "date"), date) == 0) {
                dl_id = json_object_get_string_member(d, "id");
                break;
            }
        }
        o = json_object_new();
        g_snprintf(buf, sizeof buf, "c%d", ++id);
        json_object_set_string_member(o, "id", buf);
        json_object_set_string_member(o, "action", action);
        json_object_set_string_member(o, "scope", scope);
        od_json_set_string(o, "what", what);
        od_json_set_string(o, "from", from);
        od_json_set_string(o, "from_time", fromtime);
        od_json_set_string(o, "date", date);
        od_json_set_string(o, "time", time);
        od_json_set_string(o, "until", until);
        od_json_set_string(o, "deadline", dl_id);
        json_object_set_string_member(o, "text", text);
        json_object_set_string_member(o, "rule", od_rule_id(mt->rule));
        od_json_add_position(o, t, mt->start, mt->end);
        json_array_add_object_element(out, o);
        g_free(action);
        g_free(what);
        g_free(from);
        g_free(fromtime);
        g_free(date);
        g_free(time);
        g_free(until);
        g_free(text);
    }
}

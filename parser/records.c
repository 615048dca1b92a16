/*
 * records.c - stage 5: records from rule matches.
 *
 * The grammars say what to find; stage 5 says what the findings mean:
 * it parses the captured dates, computes relative periods under Fed. R.
 * Civ. P. 6(a) from the order's date, drops deadlines that lie before the
 * order (history), links each deadline to the directive of its sentence
 * and the party that directive binds, and merges dataset spellings into
 * one record per collection.  Every record carries its position.
 *
 * This file holds the entry points and the helpers the stage-5 files
 * share; the records are built by job in case.c, directives.c,
 * deadlines.c, changes.c, datasets.c and attorneys.c (stage5_p.h).
 */
#include <string.h>

#include "stage5_p.h"

/* ---- Small helpers ------------------------------------------------------ */

char *od_span_text(const od_text *t, int32_t start, int32_t end)
{
    char *s = od_text_utf8(t, start, end);
    char *c = g_strstrip(s);

    /* Collapse inner runs of white space (joined lines) to one space. */
    char *w = c;
    bool sp = false;
    for (char *r = c; *r; r++) {
        if (*r == ' ' || *r == '\n' || *r == '\t') {
            sp = true;
            continue;
        }
        if (sp && w != c)
            *w++ = ' ';
        sp = false;
        *w++ = *r;
    }
    *w = '\0';
    if (c != s)
        memmove(s, c, strlen(c) + 1);
    return s;
}

char *od_field_text(const od_text *t, const od_match *m, const char *name)
{
    const od_field *f = od_match_field(m, name);

    if (!f)
        return NULL;
    if (f->value)
        return g_strdup(f->value);
    if (f->start < 0 || f->end <= f->start)
        return NULL;
    return od_span_text(t, f->start, f->end);
}

bool od_field_is(const od_match *m, const char *name, const char *value)
{
    const od_field *f = od_match_field(m, name);

    return f && f->value && strcmp(f->value, value) == 0;
}

/* ---- Entry points ---------------------------------------------------------- */

od_records *od_records_build(const od_grammar_set *g, const od_text *t,
                             const od_segments *s, const od_matches *m)
{
    od_records *r = g_new0(od_records, 1);
    case_state cs = {0};

    r->directives = json_array_new();
    r->deadlines = json_array_new();
    r->attorneys = json_array_new();
    r->judges = json_array_new();
    r->datasets = json_array_new();
    bool binding = true;
    const char *kind;

    r->changes = json_array_new();
    r->case_info = od_build_case(g, t, s, m, &cs);
    kind = od_document_kind(g, t, s, m, &binding);
    json_object_set_string_member(r->case_info, "document_kind", kind);
    od_build_orders(g, t, s, m, &cs, kind, binding, r->directives, r->deadlines);
    od_build_changes(t, m, r->deadlines, r->changes);
    od_people_build(g, t, s, m, r->attorneys, r->judges);
    od_case_judge_from_judges(r->case_info, r->judges);
    od_build_datasets(g, t, m, r->datasets);
    g_free(cs.date_source);
    return r;
}

void od_records_free(od_records *r)
{
    if (!r)
        return;
    json_object_unref(r->case_info);
    json_array_unref(r->directives);
    json_array_unref(r->deadlines);
    json_array_unref(r->attorneys);
    json_array_unref(r->judges);
    json_array_unref(r->datasets);
    json_array_unref(r->changes);
    g_free(r);
}

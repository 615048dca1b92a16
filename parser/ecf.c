/*
 * ecf.c - the page stamp parser used by stage 2 (text.c).
 *
 * Federal courts' CM/ECF prints a header on every page of a filed
 * document ("Case 1:25-md-03143-SHS-OTW Document 812 Filed 11/24/25 Page
 * 2 of 5"); state e-filing systems print others.  The patterns are rules
 * of kind "stamp" (grammars/stamp.rules, which says how they are read),
 * run by match.c's line matcher; this file only builds an od_ecf from
 * the named captures of the rule that matched: case number, document,
 * filed or entered date, page, page count, PageID.  Text.c uses it to
 * take stamps out of the body and to report the stamp in the JSON.
 *
 * Text.c has no engine at hand, so the engine's rules are set per thread
 * (od_ecf_use, called by ordex.c around stage 2); a thread that has set
 * none uses the shipped stamp.rules, compiled once per process.
 */
#include <stdio.h>
#include <string.h>

#include <unicode/ustring.h>

#include "ordex_p.h"

/* Longest line worth trying: real stamps are about 100 characters. */
#define MAX_STAMP_UNITS 400

/* The engine's stamp rules for this thread (od_ecf_use). */
static _Thread_local od_line_matcher *engine_lm;

/* The shipped stamp rules, for threads without an engine's: the grammar
 * set once per process, a matcher per thread (freed at thread exit). */
static void free_matcher(gpointer lm)
{
    od_line_matcher_free(lm);
}
static GPrivate shipped_lm = G_PRIVATE_INIT(free_matcher);

static gpointer load_shipped(gpointer unused)
{
    od_grammar_set *g = od_grammar_set_new();
    GString *errors = g_string_new(NULL);
    const char *name, *data;
    size_t len;

    (void)unused;
    for (size_t i = 0; (name = ordex_shipped_grammar(i, &data, &len)); i++)
        if (strcmp(name, "stamp.rules") == 0
            && !od_grammar_set_add_data(g, name, data, len, errors))
            break;
    if (errors->len || !od_grammar_set_compile(g, errors))
        g_critical("ecf.c: shipped stamp.rules: %s", errors->str);
    g_string_free(errors, TRUE);
    return g; /* kept until exit */
}

static od_line_matcher *matcher(void)
{
    static GOnce once = G_ONCE_INIT;
    od_line_matcher *lm;

    if (engine_lm)
        return engine_lm;
    if (!(lm = g_private_get(&shipped_lm))) {
        const od_grammar_set *g = g_once(&once, load_shipped, NULL);
        lm = od_line_matcher_new(g, "stamp", NULL);
        g_private_set(&shipped_lm, lm);
    }
    return lm;
}

bool od_ecf_use(const od_grammar_set *g, char **msg)
{
    od_line_matcher_free(engine_lm);
    engine_lm = NULL;
    if (!g)
        return true;
    engine_lm = od_line_matcher_new(g, "stamp", msg);
    return engine_lm != NULL;
}

/* Copies field f of the text (UTF-16) into out as UTF-8; false when the
 * field did not take part, is empty or does not fit (64 code units,
 * size bytes). */
static bool field_utf8(const UChar *buf, const od_field *f, char *out, size_t size)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t len = 0;

    out[0] = '\0';
    if (!f || f->start < 0 || f->end <= f->start || f->end - f->start >= 64)
        return false;
    u_strToUTF8(out, (int32_t)size, &len, buf + f->start, f->end - f->start, &st);
    if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING
        || len >= (int32_t)size) {
        out[0] = '\0';
        return false;
    }
    return true;
}

/* A count of field f: a number from 1 to 999999, else -1. */
static int field_int(const UChar *buf, const od_field *f)
{
    char s[16];
    long v;

    if (!field_utf8(buf, f, s, sizeof s))
        return -1;
    v = strtol(s, NULL, 10);
    return v > 0 && v < 1000000 ? (int)v : -1;
}

/* "11/24/25" -> "2025-11-24"; false for impossible dates.  A two-digit
 * year YY is 20YY when YY <= 69, else 19YY. */
static bool parse_date(const char *s, char out[11])
{
    unsigned m, d, y;
    const char *slash = strrchr(s, '/');

    if (!slash || sscanf(s, "%u/%u/%u", &m, &d, &y) != 3)
        return false;
    if (strlen(slash + 1) == 2)
        y += y <= 69 ? 2000 : 1900;
    if (m < 1 || m > 12 || d < 1 || y < 1900 || y > 2199
        || !g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
        return false;
    snprintf(out, 11, "%04u-%02u-%02u", y % 10000u, m % 100u, d % 100u);
    return true;
}

/* What a stamp is built of while its rules are read. */
typedef struct stamp {
    od_ecf e;
    char entered[11];
    bool seen; /* something only stamps have */
} stamp;

/* Reads the captures of one match (a line rule's or an item rule's) into
 * s: the first value a match gives is the one that counts, in the order
 * filed, entered, pageid, page, pages, as for the elements of a CM/ECF
 * stamp.  False when a date is impossible ("Filed 02/30/21" is no
 * stamp). */
static bool read_fields(const UChar *buf, const od_match *m, bool item, stamp *s)
{
    char v[32];
    int n;

    if (field_utf8(buf, od_match_field(m, "filed"), v, sizeof v)) {
        if (!parse_date(v, s->e.filed))
            return false;
        s->seen = true;
        if (item)
            return true;
    }
    if (field_utf8(buf, od_match_field(m, "entered"), v, sizeof v)) {
        if (!parse_date(v, s->entered))
            return false;
        s->seen = true;
        if (item)
            return true;
    }
    if (field_utf8(buf, od_match_field(m, "pageid"), v, sizeof v)) {
        g_strlcpy(s->e.page_id, v, sizeof s->e.page_id);
        if (item)
            return true;
    }
    if ((n = field_int(buf, od_match_field(m, "page"))) > 0) {
        s->e.page = n;
        if ((n = field_int(buf, od_match_field(m, "of"))) > 0)
            s->e.page_count = n;
        s->seen = true;
        if (item)
            return true;
    }
    if ((n = field_int(buf, od_match_field(m, "pages"))) > 0) {
        s->e.page_count = n;
        s->seen = true;
        if (item)
            return true;
    }
    {
        const od_field *mk = od_match_field(m, "marks");
        if (mk && mk->value && strcmp(mk->value, "yes") == 0)
            s->seen = true;
    }
    return true;
}

static bool is_item(const od_rule *r)
{
    const char *p = od_rule_set_value(r, "part");

    return p && strcmp(p, "item") == 0;
}

/* Walks the item rules over [from, to): at each place the first item
 * rule (in load order) that matches there is read. */
static bool read_items(od_line_matcher *lm, const UChar *buf, int32_t from,
                       int32_t to, stamp *s)
{
    size_t n = od_line_matcher_n_rules(lm);

    while (from < to) {
        bool hit = false;
        for (size_t i = 0; i < n && !hit; i++) {
            od_match m;
            int r;

            if (!is_item(od_line_matcher_rule(lm, i)))
                continue;
            r = od_line_matcher_find(lm, i, from, to, &m, NULL);
            if (r < 0)
                return false;
            if (r == 0 || m.start != from || m.end <= from)
                continue; /* items start with \G: only a bad rule fails here */
            if (!read_fields(buf, &m, true, s))
                return false;
            from = m.end;
            hit = true;
        }
        if (!hit)
            break;
    }
    return true;
}

bool od_ecf_parse(const char *line, size_t len, od_ecf *out)
{
    od_line_matcher *lm;
    UChar ubuf[MAX_STAMP_UNITS + 1];
    int32_t ulen = 0;
    UErrorCode st = U_ZERO_ERROR;
    size_t n;

    if (!line || len > MAX_STAMP_UNITS * 3 || !(lm = matcher()))
        return false;
    u_strFromUTF8WithSub(ubuf, MAX_STAMP_UNITS, &ulen, line, (int32_t)len,
                         0xFFFD, NULL, &st);
    if (U_FAILURE(st) || ulen >= MAX_STAMP_UNITS)
        return false;
    ubuf[ulen] = 0;
    if (!od_line_matcher_set_text(lm, ubuf, ulen, NULL))
        return false;
    n = od_line_matcher_n_rules(lm);
    for (size_t i = 0; i < n; i++) {
        od_match m;
        const od_field *tail;
        stamp s;

        if (is_item(od_line_matcher_rule(lm, i))
            || od_line_matcher_find(lm, i, 0, ulen, &m, NULL) != 1)
            continue;
        memset(&s, 0, sizeof s);
        if (!field_utf8(ubuf, od_match_field(&m, "case"), s.e.case_number,
                        sizeof s.e.case_number))
            continue;
        if (od_match_field(&m, "document")
            && !field_utf8(ubuf, od_match_field(&m, "document"), s.e.document,
                           sizeof s.e.document))
            continue;
        tail = od_match_field(&m, "tail");
        if (tail && tail->start >= 0 && tail->end > tail->start) {
            int32_t from = tail->start, to = tail->end;
            /* the match's fields live in the matcher: read them first */
            if (!read_fields(ubuf, &m, false, &s) || !read_items(lm, ubuf, from, to, &s))
                continue;
        } else if (!read_fields(ubuf, &m, false, &s)) {
            continue;
        }
        if (!s.seen)
            continue;
        if (!s.e.filed[0] && s.entered[0])
            memcpy(s.e.filed, s.entered, sizeof s.e.filed);
        if (out)
            *out = s.e;
        return true;
    }
    return false;
}

/*
 * records.c - stage 5: records from rule matches.
 *
 * The grammars say what to find; this file says what the findings mean:
 * it parses the captured dates, computes relative periods under Fed. R.
 * Civ. P. 6(a) from the order's date, drops deadlines that lie before the
 * order (history), links each deadline to the directive of its sentence
 * and the party that directive binds, and merges dataset spellings into
 * one record per collection.  Every record carries its position.
 */
#include <math.h>
#include <string.h>

#include "records_p.h"

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

static bool field_is(const od_match *m, const char *name, const char *value)
{
    const od_field *f = od_match_field(m, name);

    return f && f->value && strcmp(f->value, value) == 0;
}

/* "ONA T. WANG" -> "Ona T. Wang"; mixed-case names are kept. */
static char *natural_case(const char *name)
{
    bool has_lower = false;
    GString *out;
    bool word_start = true;

    for (const char *p = name; *p; p = g_utf8_next_char(p))
        if (g_unichar_islower(g_utf8_get_char(p)))
            has_lower = true;
    if (has_lower)
        return g_strdup(name);
    out = g_string_new(NULL);
    for (const char *p = name; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_isalpha(c)) {
            g_string_append_unichar(out, word_start ? c : g_unichar_tolower(c));
            word_start = false;
        } else {
            g_string_append_unichar(out, c);
            word_start = (c == ' ' || c == '-' || c == '\'' || c == '.');
        }
    }
    return g_string_free(out, FALSE);
}

static const od_sentence *sentence_of(const od_segments *s, const od_match *m)
{
    if (m->sentence < 0 || (size_t)m->sentence >= s->n_sentences)
        return NULL;
    return &s->sentences[m->sentence];
}

/* The text of block b when it looks like a person's name on a signature
 * line ("ONA T. WANG", "/s/ Jon S. Tigar"): two to five capitalised
 * words, no digits.  NULL otherwise. */
static char *name_block(const od_text *t, const od_segments *s, int b)
{
    char *raw, *p;
    int words = 0;
    bool ok = true;

    if (b < 0 || (size_t)b >= s->n_blocks)
        return NULL;
    raw = od_span_text(t, s->blocks[b].start, s->blocks[b].end);
    p = raw;
    if (g_str_has_prefix(p, "/s/"))
        p += 3;
    while (*p == ' ')
        p++;
    if (g_str_has_prefix(p, "The Honorable "))
        p += 14;
    else if (g_str_has_prefix(p, "Honorable "))
        p += 10;
    else if (g_str_has_prefix(p, "Hon. "))
        p += 5;
    for (char *q = p; *q; q++) {
        if (g_ascii_isdigit(*q) || *q == ':' || *q == ';' || *q == '@')
            ok = false;
        if ((q == p || q[-1] == ' ') && *q != ' ') {
            words++;
            if (!g_ascii_isupper(*q))
                ok = false;
        }
    }
    if (!ok || words < 2 || words > 5) {
        g_free(raw);
        return NULL;
    }
    p = g_strdup(p);
    g_free(raw);
    return p;
}

/* A caption box puts "IN RE OPENAI, INC. COPYRIGHT" and "INFRINGEMENT
 * LITIGATION" on lines of their own, between ")" columns.  When the
 * captured caption ends its block, append the following capitalised
 * caption lines (skipping the ")" blocks), up to "LITIGATION". */
static char *caption_continued(const od_text *t, const od_segments *s,
                               const od_match *mt, char *caption)
{
    GString *out;
    int added = 0;

    if (!caption || mt->block < 0 || (size_t)mt->block >= s->n_blocks
        || s->blocks[mt->block].end > mt->end + 1
        || g_str_has_suffix(caption, "LITIGATION"))
        return caption;
    out = g_string_new(caption);
    g_free(caption);
    for (size_t b = (size_t)mt->block + 1; b < s->n_blocks && b < (size_t)mt->block + 12; b++) {
        char *txt;
        bool punct_only = true, caps = true;

        if (s->blocks[b].kind != OD_BLOCK_CAPTION)
            break;
        txt = od_span_text(t, s->blocks[b].start, s->blocks[b].end);
        for (const char *p = txt; *p; p++) {
            if (g_ascii_isalnum(*p))
                punct_only = false;
            if (g_ascii_islower(*p) || g_ascii_isdigit(*p))
                caps = false;
        }
        if (punct_only) {
            g_free(txt);
            continue;
        }
        if (!caps || strlen(txt) > 80) {
            g_free(txt);
            break;
        }
        g_string_append_printf(out, " %s", txt);
        added++;
        if (g_str_has_suffix(txt, "LITIGATION") || added == 2) {
            g_free(txt);
            break;
        }
        g_free(txt);
    }
    return g_string_free(out, FALSE);
}

/* A title printed in capitals over several blocks of one column (the
 * right column of a pleading-paper caption, one line a block): adds the
 * next blocks of the same page whose left edge is within 24 points of the
 * title's while they hold no lower-case letter, skipping the ")" of the
 * caption's middle column; stops at a label ("HEARING:", "Ctrm:"), the
 * case number or 400 bytes.  Takes title, returns the result. */
/* "REPORTER'S TRANSCRIPT OF PROCEEDINGS FRIDAY, AUGUST 31, 2018": the
 * day of the hearing, weekday first, printed on the title's last line is
 * not part of the title. */
static void trim_trailing_date(char *title)
{
    od_date d;
    bool amb = false;

    for (char *p = title; p && *p; p = strchr(p + 1, ' ')) {
        const char *q = p;
        while (*q == ' ')
            q++;
        const char *sp = strchr(q, ' ');
        /* a weekday first ("FRIDAY,"): "ORDER RE HEARING OF MARCH 2,
         * 2020" keeps its date */
        if (p > title && g_ascii_isalpha(*q) && sp && sp > q && sp[-1] == ',' &&
            od_date_parse(q, strlen(q), &d, &amb)) {
            *p = '\0';
            g_strchomp(title);
            return;
        }
    }
}

/* "FRIDAY, AUGUST 31, 2018" under a transcript's title: a date, which
 * ends the title. */
static bool is_date_line(const char *x)
{
    const char *p = strchr(x, ',');
    od_date d;
    bool amb = false;

    if (od_date_parse(x, strlen(x), &d, &amb))
        return true;
    /* after a weekday */
    return p && od_date_parse(p + 1, strlen(p + 1), &d, &amb);
}

static char *title_continued(const od_text *t, const od_segments *s,
                             const od_match *mt, char *title)
{
    GString *out;
    od_box tb, bb;
    int tpage = 0, bpage = 0;
    float last_y1;

    if (mt->block < 0 || (size_t)mt->block >= s->n_blocks
        || !od_text_position(t, s->blocks[mt->block].start,
                             s->blocks[mt->block].end, &tpage, &tb))
        return title;
    out = g_string_new(title);
    g_free(title);
    last_y1 = tb.y1;
    for (size_t b = (size_t)mt->block + 1;
         b < s->n_blocks && b < (size_t)mt->block + 16 && out->len < 400; b++) {
        char *txt, *x;
        bool letters = false, lower = false;
        size_t n;

        if (!od_text_position(t, s->blocks[b].start, s->blocks[b].end, &bpage, &bb)
            || bpage != tpage)
            break;
        if (fabsf(bb.x0 - tb.x0) > 24.0f
            && fabsf((bb.x0 + bb.x1) - (tb.x0 + tb.x1)) > 48.0f)
            continue; /* the caption's other column (left- or centre-aligned) */
        if (bb.y0 - last_y1 > 14.0f)
            break; /* a blank line ends the title */
        txt = od_span_text(t, s->blocks[b].start, s->blocks[b].end);
        x = g_strstrip(txt);
        while (*x == ')' || *x == ' ')
            x++;
        for (const char *p = x; *p; p++) {
            if (g_ascii_isalnum(*p))
                letters = true;
            if (g_ascii_islower(*p))
                lower = true;
        }
        n = strlen(x);
        if (!letters) {
            g_free(txt);
            continue;
        }
        if (lower || (n && x[n - 1] == ':') || strstr(x, "NO.") || strstr(x, "No.") ||
            is_date_line(x)) {
            g_free(txt);
            break;
        }
        g_string_append_printf(out, " %s", x);
        last_y1 = bb.y1;
        g_free(txt);
    }
    return g_string_free(out, FALSE);
}

/* The name before ", Plaintiff(s)" (or before a role word) at the start of
 * text, or NULL. */
static char *party_before(const char *txt, const char *const *roles)
{
    for (int r = 0; roles[r]; r++) {
        const char *p = strstr(txt, roles[r]);
        if (p && p > txt) {
            const char *e = p;
            while (e > txt && (e[-1] == ' ' || e[-1] == ','))
                e--;
            if (e > txt) {
                /* caption parties are printed in capitals, but for
                 * connecting words ("and", "et al.") */
                char *cand = g_strndup(txt, (gsize)(e - txt));
                char **words = g_strsplit(cand, " ", -1);
                static const char *const small[] = {"and", "et", "al.", "al", "of",
                                                    "the", "a", "d/b/a", NULL};
                bool ok = true;
                for (char **w = words; *w && ok; w++) {
                    bool lower = false;
                    for (const char *q = *w; *q; q++)
                        lower |= g_ascii_islower(*q) != 0;
                    if (lower && !g_strv_contains(small, *w))
                        ok = false;
                }
                g_strfreev(words);
                if (!ok) {
                    g_free(cand);
                    return NULL;
                }
                return cand;
            }
        }
    }
    return NULL;
}

/* A caption box whose parties stand in blocks of their own ("MARIA
 * SANTOS, Plaintiff, -against-" / "NORTHSTAR LOGISTICS CORP., Defendants.")
 * gives "MARIA SANTOS v. NORTHSTAR LOGISTICS CORP.". */
static char *caption_from_blocks(const od_text *t, const od_segments *s)
{
    static const char *const pl_roles[] = {"Plaintiffs", "Plaintiff", "Petitioners",
                                           "Petitioner", "Appellants", "Appellant", NULL};
    static const char *const df_roles[] = {"Defendants", "Defendant", "Respondents",
                                           "Respondent", "Appellees", "Appellee", NULL};
    char *pl = NULL, *df = NULL, *out = NULL;

    /* Parties may be split over caption lines: "JANE ROE," / "Plaintiff,"
     * and "NORTHSTAR LOGISTICS CORP. and" / "HARBOR POINT FREIGHT
     * PARTNERS LLC," / "Defendants."  Each block is read with the one or
     * two before it when those end in "and" or a comma. */
    char *prev = NULL, *prev2 = NULL;

    for (size_t b = 0; b < s->n_blocks && b < 80; b++) {
        char *txt, *cand;
        bool letters = false;
        const char *const *roles;
        char **slot;
        if (s->blocks[b].kind != OD_BLOCK_CAPTION)
            continue;
        txt = od_span_text(t, s->blocks[b].start, s->blocks[b].end);
        for (const char *q = txt; *q; q++)
            letters |= g_ascii_isalpha(*q) != 0;
        if (!letters) {
            g_free(txt);
            continue;
        }
        roles = pl ? df_roles : pl_roles;
        slot = pl ? &df : &pl;
        if (prev && (g_str_has_suffix(prev, " and") || g_str_has_suffix(prev, ",")
                     || party_before(txt, roles) == NULL)) {
            if (prev2 && (g_str_has_suffix(prev2, " and") || g_str_has_suffix(prev2, ","))
                && g_str_has_suffix(prev, ","))
                cand = g_strdup_printf("%s %s %s", prev2, prev, txt);
            else
                cand = g_strdup_printf("%s %s", prev, txt);
        } else {
            cand = g_strdup(txt);
        }
        if (!*slot) {
            char *whole = party_before(cand, roles);
            char *own = party_before(txt, roles);
            /* the longer reading wins only when this block starts with the
             * role word or continues the previous line */
            if (own && !(g_str_has_suffix(prev ? prev : "", " and")
                         || g_str_has_suffix(prev ? prev : "", ","))) {
                *slot = own;
                g_free(whole);
            } else {
                *slot = whole;
                g_free(own);
            }
        }
        g_free(cand);
        g_free(prev2);
        prev2 = prev;
        prev = txt;
        if (pl && df)
            break;
    }
    g_free(prev);
    g_free(prev2);
    if (pl && df)
        out = g_strdup_printf("%s v. %s", pl, df);
    g_free(pl);
    g_free(df);
    return out;
}

/* ---- Case metadata ------------------------------------------------------ */

typedef struct case_state {
    od_date date;
    bool has_date;
    char *date_source;
} case_state;

static void court_names(const od_grammar_set *g, const char *district,
                        const char *courtkind, char **court, char **court_id)
{
    const od_lexicon *lex = od_grammar_set_lexicon(g, "courts");
    const char *id = lex && district ? od_lexicon_lookup(lex, district) : NULL;
    const char *name = district;

    if (id) {
        size_t n = od_lexicon_n_entries(lex);
        for (size_t i = 0; i < n; i++) {
            if (strcmp(od_lexicon_canonical(lex, i), id) == 0) {
                const char *const *al = od_lexicon_aliases(lex, i);
                if (al && al[0])
                    name = al[0];
                break;
            }
        }
    }
    if (id && g_str_has_prefix(id, "ca") && g_ascii_isdigit(id[2]))
        *court = g_strdup_printf("United States Court of Appeals for the %s", name);
    else if (id && (strcmp(id, "cadc") == 0 || strcmp(id, "cafc") == 0))
        *court = g_strdup_printf("United States Court of Appeals for the %s", name);
    else if (courtkind && g_ascii_strncasecmp(courtkind, "BANKRUPTCY", 10) == 0)
        *court = g_strdup_printf("United States Bankruptcy Court for the %s", name);
    else
        *court = g_strdup_printf("United States District Court for the %s", name);
    *court_id = g_strdup(id);
    /* CourtListener names a district's bankruptcy court by the district's
     * id with a final b for its d: cacd -> cacb, ded -> deb. */
    if (*court_id && courtkind && g_ascii_strncasecmp(courtkind, "BANKRUPTCY", 10) == 0) {
        size_t n = strlen(*court_id);
        if (n > 2 && (*court_id)[n - 1] == 'd')
            (*court_id)[n - 1] = 'b';
    }
}

/* A court that is no district's: "UNITED STATES TAX COURT", "Board of
 * Veterans' Appeals" (the lexicon national_courts of case.rules maps each
 * spelling to CourtListener's id; the first spelling is the court's name). */
static void national_court(const od_grammar_set *g, const char *printed,
                           char **court, char **court_id)
{
    const od_lexicon *lex = od_grammar_set_lexicon(g, "national_courts");
    const char *id = od_lexicon_lookup(lex, printed);

    if (!id)
        return;
    for (size_t i = 0; i < od_lexicon_n_entries(lex); i++)
        if (strcmp(od_lexicon_canonical(lex, i), id) == 0) {
            const char *const *al = od_lexicon_aliases(lex, i);
            *court = g_strdup(al && al[0] ? al[0] : printed);
            break;
        }
    *court_id = g_strdup(id);
}

/* A court named in a paragraph of the body ("the United States Court of
 * Appeals for the Federal Circuit has held") is another court, unless no
 * caption, heading or signature names one. */
static bool court_in_body(const od_segments *s, const od_match *mt)
{
    od_block_kind k;

    if (!s || mt->block < 0 || (size_t)mt->block >= s->n_blocks)
        return false;
    k = s->blocks[mt->block].kind;
    return k == OD_BLOCK_BODY || k == OD_BLOCK_NUMBERED || k == OD_BLOCK_FOOTNOTE ||
           k == OD_BLOCK_QUOTE;
}

/* "25-md-3143 (SHS) (OTW)" + stamp "1:25-md-03143-SHS-OTW" ->
 * "1:25-md-03143", initials SHS, OTW. */
static void normalize_case_number(const char *printed, const od_ecf *ecf,
                                  char **norm, JsonArray *initials)
{
    const char *src = printed && *printed ? printed : (ecf ? ecf->case_number : NULL);
    char office[4] = "";
    int yy = -1;
    char type[8] = "";
    long num = -1;
    const char *p;

    *norm = NULL;
    if (!src)
        return;
    if (ecf && ecf->case_number[0] && g_ascii_isdigit(ecf->case_number[0])
        && ecf->case_number[1] == ':')
        office[0] = ecf->case_number[0];
    p = src;
    if (g_ascii_isdigit(p[0]) && p[1] == ':') {
        office[0] = p[0];
        p += 2;
    }
    if (g_ascii_isdigit(p[0]) && g_ascii_isdigit(p[1]) && p[2] == '-') {
        int i = 0;
        yy = (p[0] - '0') * 10 + (p[1] - '0');
        p += 3;
        while (g_ascii_isalpha(*p) && i < 6)
            type[i++] = g_ascii_tolower(*p++);
        type[i] = '\0';
        if (*p == '-')
            p++;
        if (g_ascii_isdigit(*p))
            num = strtol(p, (char **)&p, 10);
    }
    if (yy >= 0 && type[0] && num >= 0)
        *norm = g_strdup_printf("%s%s%02d-%s-%05ld", office, office[0] ? ":" : "",
                                yy, type, num);
    /* Judges' initials: "-SHS-OTW" or "(SHS) (OTW)" or "(RMB-JS)". */
    for (const char *q = p; q && *q;) {
        if (g_ascii_isupper(*q)) {
            const char *b = q;
            while (g_ascii_isupper(*q) || *q == 'x')
                q++;
            if (q - b >= 2 && q - b <= 5) {
                char *ini = g_strndup(b, (gsize)(q - b));
                json_array_add_string_element(initials, ini);
                g_free(ini);
            }
        } else {
            q++;
        }
    }
}

static JsonObject *build_case(const od_grammar_set *g, const od_text *t,
                              const od_segments *s, const od_matches *m,
                              case_state *cs)
{
    JsonObject *o = json_object_new();
    char *court = NULL, *court_id = NULL, *number = NULL, *caption = NULL,
         *title = NULL, *judge = NULL, *judge_title = NULL, *date = NULL,
         *court_kind = NULL;
    const od_ecf *ecf = NULL;
    char *norm = NULL;
    int judge_priority = 0;
    JsonArray *initials = json_array_new();
    const od_match *body_court = NULL;
    bool title_override = false;

    for (int i = 0; t && i < t->n_pages; i++)
        if (t->ecf && t->ecf[i].case_number[0]) {
            ecf = &t->ecf[i];
            break;
        }

    for (size_t i = 0; i < m->n; i++) {
        const od_match *mt = &m->items[i];
        if (strcmp(od_rule_kind(mt->rule), "case") != 0)
            continue;
        if (field_is(mt, "field", "court") && !court && court_in_body(s, mt) &&
            !body_court) {
            body_court = mt; /* taken only if no caption or signature names one */
        } else if (field_is(mt, "field", "court") && !court && !court_in_body(s, mt)) {
            char *cid = od_field_text(t, mt, "courtid");
            char *national = od_field_text(t, mt, "national");
            if (national) {
                national_court(g, national, &court, &court_id);
                g_free(national);
            } else if (cid && strcmp(cid, "scotus") == 0) {
                court = g_strdup("Supreme Court of the United States");
                court_id = cid;
                cid = NULL;
            } else {
                char *district = od_field_text(t, mt, "district");
                char *kind = od_field_text(t, mt, "courtkind");
                if (!kind && court_kind)
                    kind = g_strdup(court_kind);
                court_names(g, district, kind, &court, &court_id);
                g_free(district);
                g_free(kind);
            }
            g_free(cid);
        } else if (field_is(mt, "field", "court_kind") && !court && !court_kind) {
            court_kind = od_field_text(t, mt, "courtkind");
        } else if (field_is(mt, "field", "case_number") && !number) {
            number = od_field_text(t, mt, "number");
        } else if (field_is(mt, "field", "caption") && !caption) {
            char *pl = od_field_text(t, mt, "plaintiff");
            char *df = od_field_text(t, mt, "defendant");
            if (pl && df)
                caption = g_strdup_printf("%s v. %s", pl, df);
            else
                caption = caption_continued(t, s, mt, od_field_text(t, mt, "caption"));
            g_free(pl);
            g_free(df);
        } else if (field_is(mt, "field", "title") &&
                   (!title || (field_is(mt, "override", "yes") && !title_override))) {
            /* a minute order's "[In Chambers] Order ..." replaces the
             * form's heading "CIVIL MINUTES - GENERAL" */
            title_override = field_is(mt, "override", "yes");
            g_free(title);
            title = od_field_text(t, mt, "title");
            if (title && field_is(mt, "continue", "caps"))
                title = title_continued(t, s, mt, title);
            if (title)
                trim_trailing_date(title);
        } else if (field_is(mt, "field", "judge_title") && !judge) {
            char *raw = name_block(t, s, mt->block - 1);
            if (raw) {
                judge = natural_case(raw);
                judge_title = od_field_text(t, mt, "title");
                g_free(raw);
            }
        } else if (field_is(mt, "field", "judge")
                   && (!judge || od_rule_priority(mt->rule) > judge_priority)) {
            g_free(judge);
            g_free(judge_title);
            judge = NULL;
            judge_title = NULL;
            judge_priority = od_rule_priority(mt->rule);
            char *raw = od_field_text(t, mt, "judge");
            judge = raw ? natural_case(raw) : NULL;
            g_free(raw);
            judge_title = od_field_text(t, mt, "title");
        } else if (field_is(mt, "field", "date")) {
            /* The last signature date: in a stipulated order the parties'
             * signatures come before the judge's. */
            char *d = od_field_text(t, mt, "date");
            bool amb = false;
            od_date parsed;
            if (d && od_date_parse(d, strlen(d), &parsed, &amb)) {
                cs->date = parsed;
                g_free(date);
                date = g_malloc(11);
                od_date_iso(cs->date, date);
                cs->has_date = true;
                g_free(cs->date_source);
                cs->date_source = od_field_text(t, mt, "datesource");
                if (!cs->date_source)
                    cs->date_source = g_strdup("signature");
            }
            g_free(d);
        }
    }
    if (!court && body_court) {
        char *district = od_field_text(t, body_court, "district");
        char *kind = od_field_text(t, body_court, "courtkind");
        char *national = od_field_text(t, body_court, "national");
        if (national)
            national_court(g, national, &court, &court_id);
        else if (district)
            court_names(g, district, kind ? kind : court_kind, &court, &court_id);
        g_free(district);
        g_free(kind);
        g_free(national);
    }
    if (!cs->has_date && ecf && ecf->filed[0]) {
        bool amb;
        if (od_date_parse(ecf->filed, strlen(ecf->filed), &cs->date, &amb)) {
            cs->has_date = true;
            date = g_strdup(ecf->filed);
            cs->date_source = g_strdup("ecf_filed");
        }
    }
    if (!caption)
        caption = caption_from_blocks(t, s);
    normalize_case_number(number ? number : NULL, ecf, &norm, initials);

    od_json_set_string(o, "court", court);
    od_json_set_string(o, "court_id", court_id);
    {
        /* grammars/zones.rules: the court's IANA time zone */
        const od_lexicon *zones = od_grammar_set_lexicon(g, "court_zones");
        od_json_set_string(o, "time_zone",
                           zones && court_id ? od_lexicon_lookup(zones, court_id) : NULL);
    }
    od_json_set_string(o, "case_number", number ? number : (ecf ? ecf->case_number : NULL));
    od_json_set_string(o, "case_number_normalized", norm);
    json_object_set_array_member(o, "judge_initials", initials);
    od_json_set_string(o, "caption", caption);
    od_json_set_string(o, "title", title);
    od_json_set_string(o, "judge", judge);
    od_json_set_string(o, "judge_title", judge_title);
    od_json_set_string(o, "date", date);
    od_json_set_string(o, "date_source", cs->date_source);
    od_json_set_string(o, "docket_entry", ecf ? ecf->document : NULL);
    od_json_set_string(o, "filed", ecf ? ecf->filed : NULL);

    g_free(court);
    g_free(court_id);
    g_free(court_kind);
    g_free(number);
    g_free(norm);
    g_free(caption);
    g_free(title);
    g_free(judge);
    g_free(judge_title);
    g_free(date);
    return o;
}

/* ---- Directives and deadlines ------------------------------------------ */

typedef struct directive {
    const od_match *m;
    int32_t start, end;   /* the sentence */
    int sentence, block;
    char *actor, *action;
    const char *modality;
    int deadline;         /* index into deadlines, -1 */
    int id;
} directive;

typedef struct deadline {
    const od_match *m;
    int32_t start, end;
    int sentence, block;
    od_date date;
    bool has_date;
    char time[6];
    bool has_time;
    const char *kind;     /* absolute, relative, immediate */
    char *anchor;
    char *computation;
    bool ambiguous;
    bool is_event;
    char *what;           /* the event, for hearings */
    char *action;         /* a schedule row's action, from its label */
    char *party;          /* a schedule row's party */
    int directive;        /* index, -1 */
    int id;
} deadline;

/* Past a leading enumerator ("1. ", "(a) ", "B. ", "(iv) ") at pos, but
 * never past limit. */
static int32_t skip_enumerator(const od_text *t, int32_t pos, int32_t limit)
{
    int32_t i = pos;
    bool paren = false;

    if (i < limit && t->buf[i] == '(') {
        paren = true;
        i++;
    }
    if (i < limit && t->buf[i] >= '0' && t->buf[i] <= '9') {
        while (i < limit && t->buf[i] >= '0' && t->buf[i] <= '9' && i - pos < 4)
            i++;
    } else if (i < limit && ((t->buf[i] >= 'a' && t->buf[i] <= 'z')
                             || (t->buf[i] >= 'A' && t->buf[i] <= 'Z'))) {
        int32_t b = i;
        while (i < limit && i - b < 4 && strchr("ivxlIVXL", (char)t->buf[i]) && t->buf[i] < 128)
            i++;
        if (i == b)
            i++;
    } else {
        return pos;
    }
    if (i < limit && (t->buf[i] == '.' || t->buf[i] == ')')) {
        if (paren && t->buf[i] != ')')
            return pos;
        i++;
    } else {
        return pos;
    }
    if (i >= limit || t->buf[i] != ' ')
        return pos;
    while (i < limit && t->buf[i] == ' ')
        i++;
    return i;
}

/* Does sentence i mention the head word of anchor ("the conference" ->
 * "conference"), case-insensitively? */
static bool sentence_mentions(const od_text *t, const od_segments *s, int i,
                              const char *anchor)
{
    const char *head = strrchr(anchor, ' ');
    char *text, *low_text, *low_head;
    bool r;

    if (i < 0 || (size_t)i >= s->n_sentences)
        return false;
    head = head ? head + 1 : anchor;
    text = od_text_utf8(t, s->sentences[i].start, s->sentences[i].end);
    low_text = g_utf8_strdown(text, -1);
    low_head = g_utf8_strdown(head, -1);
    r = strstr(low_text, low_head) != NULL;
    g_free(text);
    g_free(low_text);
    g_free(low_head);
    return r;
}

/* Another directive of the same sentence binding the same actor. */
static int find_duplicate(GArray *dirs, const directive *d)
{
    for (guint i = dirs->len; i-- > 0;) {
        const directive *o = &g_array_index(dirs, directive, i);
        if (o->sentence != d->sentence)
            break;
        if (g_strcmp0(o->actor, d->actor) == 0 && strcmp(o->modality, d->modality) == 0)
            return (int)i;
    }
    return -1;
}

static bool has_word(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = strstr(text, word); p; p = strstr(p + 1, word)) {
        bool left = p == text || !g_ascii_isalpha(p[-1]);
        bool right = !g_ascii_isalpha(p[n]);
        if (left && right)
            return true;
    }
    return false;
}

/* "The Joint Status Report must be filed no later than ..." right after
 * "The parties are ORDERED to meet and confer and file a Joint Status
 * Report": a passive sentence that restates an earlier command of the
 * same block (its verb and its subject appear there).  Returns the index
 * of that earlier directive, or -1. */
static int passive_continuation(const od_text *t, GArray *dirs,
                                const directive *d)
{
    const char *last;
    char *low_actor, *text;
    int found = -1;

    if (!od_match_field(d->m, "passive") || !d->action || !d->actor || dirs->len == 0)
        return -1;
    /* the whole subject, less its article, must appear in the earlier
     * command ("The Joint Status Report" / "file a Joint Status Report") */
    low_actor = g_ascii_strdown(d->actor, -1);
    last = low_actor;
    if (g_str_has_prefix(last, "the "))
        last += 4;
    else if (g_str_has_prefix(last, "such "))
        last += 5;
    for (guint i = dirs->len; i-- > 0 && found < 0;) {
        const directive *o = &g_array_index(dirs, directive, i);
        size_t n = strlen(d->action);
        if (o->block != d->block || d->sentence - o->sentence > 2)
            break;
        {
            char *raw = od_text_utf8(t, o->start, o->end);
            text = g_ascii_strdown(raw, -1);
            g_free(raw);
        }
        for (size_t cut = 1; cut <= 3 && cut < n && found < 0; cut++) {
            char *stem = g_strndup(d->action, n - cut);
            if (strlen(stem) >= 3 && has_word(text, stem) && has_word(text, last))
                found = (int)i;
            g_free(stem);
        }
        g_free(text);
    }
    g_free(low_actor);
    return found;
}

/* For a dated deadline in a sentence without a command ("The parties'
 * Statements are due on or before July 21, 2017."): the directive of one
 * of the two sentences before, in this block or the one before. */
static int nearby_directive(const od_segments *s, GArray *dirs,
                            const od_match *mt)
{
    (void)s;
    for (guint i = dirs->len; i-- > 0;) {
        const directive *o = &g_array_index(dirs, directive, i);
        if (o->sentence >= mt->sentence)
            continue;
        if (mt->sentence - o->sentence <= 2 && mt->block - o->block <= 1)
            return (int)i;
        break;
    }
    return -1;
}

/* The modality of a directive match, one of "must", "must_not", "may":
 * a `neg` field makes it a prohibition; else its `modal` field (the
 * modal word as written, or the value a rule sets) is looked up in the
 * lexicons `modality` and `modality_negative` (directives.rules).
 * NULL, with a warning in ms's warnings, when the rule gives no modal
 * word or one the lexicons do not map to a modality: no directive is made
 * of it (before, anything but "may" was taken as "must"). */
static const char *modality_of(const od_grammar_set *g, const od_text *t,
                               const od_matches *ms, const od_match *m)
{
    char *neg = od_field_text(t, m, "neg");
    char *modal = neg ? NULL : od_field_text(t, m, "modal");
    const char *canon = od_lexicon_lookup(od_grammar_set_lexicon(g, "modality"), modal);
    const char *r = NULL;

    if (!canon)
        canon = od_lexicon_lookup(od_grammar_set_lexicon(g, "modality_negative"), modal);
    if (neg)
        r = "must_not";
    else if (canon && (strcmp(canon, "must") == 0 || strcmp(canon, "must_not") == 0
                       || strcmp(canon, "may") == 0))
        r = canon;
    if (!r && ms->warnings) {
        int page = 0;
        od_box box;
        od_text_position(t, m->start, m->end, &page, &box);
        if (!modal)
            od_warnings_add(ms->warnings, "unknown_modal", page,
                            "rule '%s' gives no modal word (a 'modal' or 'neg' field): "
                            "no directive made", od_rule_id(m->rule));
        else if (canon)
            od_warnings_add(ms->warnings, "unknown_modal", page,
                            "the modality lexicons map '%s' to '%s' (expected must, "
                            "must_not or may): no directive made", modal, canon);
        else
            od_warnings_add(ms->warnings, "unknown_modal", page,
                            "rule '%s': the modal word '%s' is in neither lexicon 'modality' "
                            "nor 'modality_negative': "
                            "no directive made", od_rule_id(m->rule), modal);
    }
    g_free(neg);
    g_free(modal);
    return r;
}

/* Does the anchor of a period name this order (lexicon `order_anchors`
 * of deadlines.rules: "this order", "hereof", "today")?  No anchor does. */
static bool anchor_is_order(const od_grammar_set *g, const char *a)
{
    if (!a || !*a)
        return true;
    return od_lexicon_find(od_grammar_set_lexicon(g, "order_anchors"), a, OD_FIND_ANYWHERE) != NULL;
}

static void compute_relative(const od_grammar_set *g, const od_text *t, deadline *dl,
                             const case_state *cs, const deadline *event)
{
    char *n = od_field_text(t, dl->m, "n");
    char *unit = od_field_text(t, dl->m, "unit");
    char *dir = od_field_text(t, dl->m, "dir");
    char *anchor = od_field_text(t, dl->m, "anchor");
    int count = 0;
    od_period_unit u = OD_UNIT_DAYS;
    bool backward = false;

    if (!n || !od_number_parse(n, strlen(n), &count) || count <= 0)
        goto out;
    if (unit) {
        /* the lexicon `period_units` of deadlines.rules */
        const char *c = od_lexicon_find(od_grammar_set_lexicon(g, "period_units"), unit, OD_FIND_ANYWHERE);
        if (c && strcmp(c, "court_days") == 0)
            u = OD_UNIT_COURT_DAYS;
        else if (c && strcmp(c, "weeks") == 0)
            u = OD_UNIT_WEEKS;
        else if (c && strcmp(c, "months") == 0)
            u = OD_UNIT_MONTHS;
    }
    if (dir) /* "before", "prior to": the lexicon `backward_words` */
        backward = od_lexicon_find(od_grammar_set_lexicon(g, "backward_words"), dir, OD_FIND_ANYWHERE) != NULL;
    if (anchor && !anchor_is_order(g, anchor) && event) {
        /* "seven days before the conference": the conference this order
         * sets, dated earlier in the same paragraph */
        char from[11], *explain = NULL;
        od_date_iso(event->date, from);
        dl->date = od_rule6_compute(event->date, count, u, backward, &explain);
        dl->has_date = true;
        dl->anchor = g_strdup_printf("%s (%s)", from, anchor);
        dl->computation = explain;
        goto out;
    }
    if (backward || !anchor_is_order(g, anchor)) {
        /* The period runs from an event the order does not date. */
        dl->anchor = g_strdup(anchor ? anchor : "");
        dl->computation = g_strdup_printf("%s %d %s %s: the anchor event has no date in this order",
                                          backward ? "counted backward" : "counted forward",
                                          count, unit ? unit : "days",
                                          dir ? dir : "from");
        goto out;
    }
    if (!cs->has_date) {
        dl->anchor = g_strdup(anchor ? anchor : "the date of this order");
        dl->computation = g_strdup("the order's date is unknown");
        goto out;
    }
    {
        char iso[11];
        char *explain = NULL;
        od_date_iso(cs->date, iso);
        dl->date = od_rule6_compute(cs->date, count, u, false, &explain);
        dl->has_date = true;
        dl->anchor = g_strdup_printf("%s (%s%s)", iso,
                                     anchor ? anchor : "the date of this order",
                                     anchor ? "" : ", by default");
        dl->computation = explain;
    }
out:
    g_free(n);
    g_free(unit);
    g_free(dir);
    g_free(anchor);
}

/* Does the modal word of m still command in an opinion's reasoning (the
 * lexicon `opinion_modals` of directives.rules: "shall", "shall not")? */
static bool modal_commands_in_opinion(const od_grammar_set *g, const od_text *t,
                                      const od_match *m)
{
    const od_lexicon *lex = od_grammar_set_lexicon(g, "opinion_modals");
    char *modal = od_field_text(t, m, "modal");
    char *neg = modal ? NULL : od_field_text(t, m, "neg");
    const char *w = modal ? modal : neg;
    bool r = w && lex && od_lexicon_lookup(lex, w) != NULL;

    g_free(modal);
    g_free(neg);
    return r;
}

static int cmp_int32(int32_t a, int32_t b)
{
    return a < b ? -1 : a > b;
}

static void add_id_or_null(JsonObject *o, const char *key, char prefix, int id)
{
    if (id > 0) {
        char buf[24];
        g_snprintf(buf, sizeof buf, "%c%d", prefix, id);
        json_object_set_string_member(o, key, buf);
    } else {
        json_object_set_null_member(o, key);
    }
}

/* The box of block b and its page (0 when the text has no pages). */
static int block_box(const od_text *t, const od_segments *s, int b, od_box *box)
{
    const od_para *p;

    if (b < 0 || (size_t)b >= s->n_blocks || !t->paras || s->blocks[b].para < 0
        || (size_t)s->blocks[b].para >= t->n_paras)
        return 0;
    p = &t->paras[s->blocks[b].para];
    *box = p->box;
    return p->page;
}

/* The schedule label at the left of date block b, on the same line of
 * the same page (a table's event column), or NULL. */
static const od_match *label_left_of(const od_text *t, const od_segments *s,
                                     GPtrArray *labels, int b)
{
    od_box db, lb;
    int page = block_box(t, s, b, &db);
    const od_match *best = NULL;
    double best_gap = 0;

    if (page <= 0)
        return NULL;
    for (guint i = 0; i < labels->len; i++) {
        const od_match *l = g_ptr_array_index(labels, i);
        double lh, dh, overlap, gap;
        if (block_box(t, s, l->block, &lb) != page)
            continue;
        /* the first line of each: the label's top within the date's
         * first line, or the reverse */
        lh = MIN(lb.y1 - lb.y0, 14.0);
        dh = MIN(db.y1 - db.y0, 14.0);
        overlap = MIN(lb.y0 + lh, db.y0 + dh) - MAX(lb.y0, db.y0);
        gap = db.x0 - lb.x1;
        if (overlap < 0.5 * MIN(lh, dh) || gap < -2.0)
            continue;
        if (!best || gap < best_gap) {
            best = l;
            best_gap = gap;
        }
    }
    return best;
}

/* A schedule row's action, from the words of its label: "appear" when
 * one word names a hearing, else the first word the lexicon knows. */
static char *schedule_action(const od_grammar_set *g, const char *label)
{
    const od_lexicon *lex = od_grammar_set_lexicon(g, "schedule_actions");
    char **words;
    const char *first = NULL;
    char *r;

    if (!lex || !label)
        return NULL;
    words = g_regex_split_simple("[^A-Za-z-]+", label, 0, 0);
    for (int i = 0; words[i]; i++) {
        const char *a = *words[i] ? od_lexicon_lookup(lex, words[i]) : NULL;
        if (a && strcmp(a, "appear") == 0) {
            first = a;
            break;
        }
        if (a && !first)
            first = a;
    }
    r = g_strdup(first);
    g_strfreev(words);
    return r;
}

/* "Defendants' Reply" -> "Defendants", "Plaintiff’s Opposition" ->
 * "Plaintiff"; NULL when the label does not open with a possessive. */
static char *schedule_party(const char *label)
{
    const char *sp = label ? strchr(label, ' ') : NULL;
    size_t n;

    if (!sp)
        return NULL;
    n = (size_t)(sp - label);
    if (n > 3 && label[n - 1] == 's' && label[n - 2] == '\'')
        return g_strndup(label, n - 2);
    if (n > 2 && label[n - 1] == '\'')
        return g_strndup(label, n - 1);
    if (n > 5 && memcmp(label + n - 4, "\xe2\x80\x99s", 4) == 0)
        return g_strndup(label, n - 4);
    if (n > 4 && memcmp(label + n - 3, "\xe2\x80\x99", 3) == 0)
        return g_strndup(label, n - 3);
    return NULL;
}

/* Does the text at i open a numbered item: "5. ", "(c) " after a space?
 * Returns the item's length, or 0. */
static int32_t item_at(const od_text *t, int32_t i, int32_t end)
{
    int32_t k = i;

    if (k < end && t->buf[k] == '(')
        k++;
    while (k < end && k - i < 3 && t->buf[k] >= '0' && t->buf[k] <= '9')
        k++;
    if (k == i || (t->buf[i] == '(' && k == i + 1))
        return 0;
    if (k < end && (t->buf[k] == '.' || t->buf[k] == ')'))
        k++;
    else
        return 0;
    if (k < end && t->buf[k] == ' ')
        return k + 1 - i;
    return 0;
}

/* A directive's text is its sentence, but not the numbered items around
 * it that the sentence splitter kept together: "The Court orders as
 * follows: 4. Defendant shall produce the ledger; and 5." gives
 * "Defendant shall produce the ledger". */
static void narrow_to_item(const od_text *t, const od_match *m, int32_t *start,
                           int32_t *end)
{
    /* the last item opening before the match */
    for (int32_t i = m->start; i-- > *start;)
        if ((i == *start || t->buf[i - 1] == ' ') && item_at(t, i, m->start)) {
            *start = i + item_at(t, i, m->start);
            break;
        }
    /* the next "; and 5." or "; 5." after it */
    for (int32_t i = m->end; i + 2 < *end; i++) {
        int32_t k = i + 1;
        if (t->buf[i] != ';')
            continue;
        while (k < *end && t->buf[k] == ' ')
            k++;
        if (k + 4 < *end && t->buf[k] == 'a' && t->buf[k + 1] == 'n' && t->buf[k + 2] == 'd'
            && t->buf[k + 3] == ' ')
            k += 4;
        if (item_at(t, k, *end) || (k + 1 >= *end)) {
            *end = i;
            break;
        }
        {
            /* "; and 5." at the very end: the item number alone */
            int32_t e = k;
            while (e < *end && t->buf[e] >= '0' && t->buf[e] <= '9')
                e++;
            if (e > k && e + 1 == *end && t->buf[e] == '.') {
                *end = i;
                break;
            }
        }
    }
}

/* The trial date the document recites: "Trial: July 16, 2019" in one
 * block (rule kind trial_setting), or a caption's "Trial:" label with the
 * date in the block at its right (kinds trial_label, trial_cell).  The
 * first that parses. */
static bool trial_date(const od_text *t, const od_segments *s, const od_matches *m,
                       od_date *out)
{
    GPtrArray *labels = g_ptr_array_new();
    bool found = false;

    for (size_t i = 0; i < m->n; i++)
        if (field_is(&m->items[i], "kind", "trial_label"))
            g_ptr_array_add(labels, (gpointer)&m->items[i]);
    for (size_t i = 0; i < m->n && !found; i++) {
        const od_match *mt = &m->items[i];
        char *date;
        bool ambiguous = false;
        if (!field_is(mt, "kind", "trial_setting")
            && !(field_is(mt, "kind", "trial_cell") && label_left_of(t, s, labels, mt->block)))
            continue;
        date = od_field_text(t, mt, "date");
        found = date && od_date_parse(date, strlen(date), out, &ambiguous);
        g_free(date);
    }
    g_ptr_array_free(labels, TRUE);
    return found;
}

/* "the Friday before the trial": the last Friday before day; "the
 * Wednesday of the week prior to the trial": that weekday in the week
 * (Monday to Sunday) before day's week.  weekday: 0 = Sunday. */
static od_date weekday_before(od_date day, int weekday, bool week_prior)
{
    if (week_prior) {
        od_date monday = od_date_add_days(day, -((od_date_weekday(day) + 6) % 7) - 7);
        return od_date_add_days(monday, (weekday + 6) % 7);
    }
    {
        od_date before = od_date_add_days(day, -1);
        return od_date_add_days(before, -((od_date_weekday(before) - weekday + 7) % 7));
    }
}

static int weekday_number(const char *name)
{
    for (int wd = 0; wd < 7; wd++)
        if (g_ascii_strcasecmp(name, od_date_weekday_name(wd)) == 0)
            return wd;
    return -1;
}

static void build_orders(const od_grammar_set *g, const od_text *t,
                         const od_segments *s, const od_matches *m,
                         const case_state *cs, const char *doc_kind, bool binding,
                         JsonArray *out_dir, JsonArray *out_dl)
{
    /* An opinion reasons in "must" and "may" ("We must reject", "the
     * upstream States must permit"); its commands are the explicit ones
     * ("is directed to", "ORDERS", "is enjoined from"). */
    bool opinion = strcmp(doc_kind, "opinion") == 0;
    /* ... and its decree: from the paragraph of its first "IT IS
     * ORDERED" or "SO ORDERED" on, commands in "shall" count again.
     * Dates before the decree are the history the opinion tells ("the
     * district court ordered the plaintiff to respond by July 9, 2007"),
     * not deadlines. */
    int32_t decree = INT32_MAX;

    for (size_t i = 0; opinion && i < m->n; i++)
        if (strcmp(od_rule_id(m->items[i].rule), "document.so_ordered") == 0) {
            int b = m->items[i].block;
            decree = b >= 0 && (size_t)b < s->n_blocks ? s->blocks[b].start : m->items[i].start;
            break;
        }
    GArray *dirs = g_array_new(FALSE, TRUE, sizeof(directive));
    GArray *dls = g_array_new(FALSE, TRUE, sizeof(deadline));
    /* Directive index per sentence (the first one), built in one pass. */
    GHashTable *by_sentence = g_hash_table_new(g_direct_hash, g_direct_equal);
    GPtrArray *labels = g_ptr_array_new(); /* schedule labels (matches) */
    int next_id;

    for (size_t i = 0; i < m->n; i++) {
        const od_match *mt = &m->items[i];
        const char *kind = od_rule_kind(mt->rule);
        const od_sentence *sn = sentence_of(s, mt);

        if (strcmp(kind, "directive") == 0 && opinion && mt->start < decree
            && (strcmp(od_rule_id(mt->rule), "directive.modal") == 0
                || strcmp(od_rule_id(mt->rule), "directive.passive") == 0
                || strcmp(od_rule_id(mt->rule), "directive.will") == 0)
            && !modal_commands_in_opinion(g, t, mt))
            continue; /* an opinion's "must" and "may" state the law */
        if (strcmp(kind, "directive") == 0) {
            directive d = {0};
            d.m = mt;
            d.start = skip_enumerator(t, sn ? sn->start : mt->start, mt->start);
            d.end = sn ? sn->end : mt->end;
            d.sentence = mt->sentence;
            d.block = mt->block;
            d.actor = od_field_text(t, mt, "actor");
            d.action = od_field_text(t, mt, "action");
            if (d.action) {
                char *low = g_ascii_strdown(d.action, -1);
                g_free(d.action);
                d.action = low;
            }
            d.deadline = -1;
            {
                /* "is prohibited from filing": the action is "file" */
                char *gerund = od_field_text(t, mt, "gerund");
                char *stem = gerund ? od_word_stem(gerund) : NULL;
                if (stem && strcmp(stem, gerund) != 0) {
                    g_free(d.action);
                    d.action = g_ascii_strdown(stem, -1);
                }
                g_free(stem);
                g_free(gerund);
            }
            narrow_to_item(t, mt, &d.start, &d.end);
            if (field_is(mt, "shared", "actor")) {
                /* "(2) provide ...": the actor and modality of the
                 * directive before it in the sentence, itself an item
                 * ("shall (1) file ...") */
                const directive *o = dirs->len
                    ? &g_array_index(dirs, directive, dirs->len - 1) : NULL;
                char *item = o && o->sentence == d.sentence ? od_field_text(t, o->m, "item") : NULL;
                if (!item) {
                    g_free(d.actor);
                    g_free(d.action);
                    continue;
                }
                g_free(item);
                g_free(d.actor);
                d.actor = g_strdup(o->actor);
                d.modality = o->modality;
                d.start = o->start;
                d.end = MAX(o->end, d.end);
                g_array_append_val(dirs, d);
                continue;
            }
            d.modality = modality_of(g, t, m, mt);
            if (!d.modality) {
                g_free(d.actor);
                g_free(d.action);
                continue;
            }
            {
                int same = find_duplicate(dirs, &d);
                int earlier = same < 0 ? passive_continuation(t, dirs, &d) : -1;
                if (same >= 0 || earlier >= 0) {
                    /* One command told twice: keep the first, and let this
                     * sentence's deadlines bind to it. */
                    int keep = same >= 0 ? same : earlier;
                    if (!g_hash_table_contains(by_sentence, GINT_TO_POINTER(mt->sentence + 1)))
                        g_hash_table_insert(by_sentence, GINT_TO_POINTER(mt->sentence + 1),
                                            GINT_TO_POINTER(keep + 1));
                    g_free(d.actor);
                    g_free(d.action);
                    continue;
                }
            }
            g_array_append_val(dirs, d);
            if (!g_hash_table_contains(by_sentence, GINT_TO_POINTER(mt->sentence + 1)))
                g_hash_table_insert(by_sentence, GINT_TO_POINTER(mt->sentence + 1),
                                    GINT_TO_POINTER(dirs->len));
        }
    }

    for (size_t i = 0; i < m->n; i++)
        if (field_is(&m->items[i], "kind", "schedule_label"))
            g_ptr_array_add(labels, (gpointer)&m->items[i]);

    for (size_t i = 0; i < m->n; i++) {
        const od_match *mt = &m->items[i];
        const char *kind = od_rule_kind(mt->rule);
        deadline dl = {0};
        gpointer v;
        char *label = NULL;

        if (strcmp(kind, "deadline") != 0 && strcmp(kind, "event") != 0)
            continue;
        if (opinion && mt->start < decree)
            continue; /* an opinion's dates before its decree are history */
        if (field_is(mt, "kind", "schedule_label"))
            continue;
        if (field_is(mt, "kind", "schedule_date")) {
            const od_match *l = label_left_of(t, s, labels, mt->block);
            if (!l)
                continue;
            label = od_field_text(t, l, "what");
        } else if (field_is(mt, "kind", "schedule")) {
            label = od_field_text(t, mt, "what");
        }
        if (label) {
            /* a row of a schedule table: its own deadline, with the
             * label's action and party */
            char *date = od_field_text(t, mt, "date");
            char *time = od_field_text(t, mt, "time");
            dl.m = mt;
            dl.start = mt->start;
            dl.end = mt->end;
            dl.sentence = mt->sentence;
            dl.block = mt->block;
            dl.directive = -1;
            dl.kind = "absolute";
            dl.has_date = date && od_date_parse(date, strlen(date), &dl.date, &dl.ambiguous);
            dl.has_time = time && od_time_parse(time, strlen(time), dl.time);
            g_free(date);
            g_free(time);
            dl.action = schedule_action(g, label);
            if (!dl.has_date || !dl.action
                || (cs->has_date && od_date_diff(cs->date, dl.date) < 0)) {
                g_free(label);
                g_free(dl.action);
                continue;
            }
            dl.is_event = strcmp(dl.action, "appear") == 0;
            dl.party = schedule_party(label);
            if (dl.is_event)
                dl.what = label;
            else
                g_free(label);
            g_array_append_val(dls, dl);
            continue;
        }
        dl.m = mt;
        dl.start = mt->start;
        dl.end = mt->end;
        dl.sentence = mt->sentence;
        dl.block = mt->block;
        dl.directive = -1;
        dl.is_event = strcmp(kind, "event") == 0;
        {
            /* "is continued to December 11, 2025 at 2:00 p.m.": a hearing
             * moved to a new date, which the parties must attend */
            char *intro = od_field_text(t, mt, "intro");
            char *sp = intro ? strchr(intro, ' ') : NULL;
            if (sp)
                *sp = '\0'; /* its first word, in the lexicon `moved_words` */
            if (intro && od_lexicon_lookup(od_grammar_set_lexicon(g, "moved_words"), intro))
                dl.is_event = true;
            g_free(intro);
        }
        v = g_hash_table_lookup(by_sentence, GINT_TO_POINTER(mt->sentence + 1));
        if (v && dl.is_event) {
            /* a hearing binds the command before it in its sentence
             * ("Counsel shall appear for a hearing on ..."), not one after
             * ("... is continued to ..., and the Parties shall file") */
            const directive *o = &g_array_index(dirs, directive, GPOINTER_TO_INT(v) - 1);
            if (o->m->start > mt->start)
                v = NULL;
        }
        if (v) {
            /* the last command of the sentence that starts before the
             * deadline ("A shall serve by X, and B shall submit by Y") */
            guint k = (guint)(GPOINTER_TO_INT(v) - 1);
            dl.directive = (int)k;
            for (; k < dirs->len; k++) {
                const directive *o = &g_array_index(dirs, directive, k);
                if (o->sentence != mt->sentence)
                    break;
                if (o->m->start <= mt->start)
                    dl.directive = (int)k;
            }
        }
        else if (!dl.is_event && field_is(mt, "kind", "absolute")
                 && !od_match_field(mt, "party"))
            dl.directive = nearby_directive(s, dirs, mt);

        if (dl.is_event || field_is(mt, "kind", "absolute")) {
            char *date = od_field_text(t, mt, "date");
            char *time = od_field_text(t, mt, "time");
            if (!time) /* "by 5:00 p.m. on June 6, 2025": the time first */
                time = od_field_text(t, mt, "time0");
            dl.kind = "absolute";
            if (date && od_date_parse(date, strlen(date), &dl.date, &dl.ambiguous))
                dl.has_date = true;
            if (time && od_time_parse(time, strlen(time), dl.time))
                dl.has_time = true;
            g_free(date);
            g_free(time);
            if (!dl.has_date)
                continue;
            /* A date before the order is history, not a deadline. */
            if (cs->has_date && od_date_diff(cs->date, dl.date) < 0)
                continue;
            if (dl.is_event)
                dl.what = od_field_text(t, mt, "what");
        } else if (field_is(mt, "kind", "weekday_before")) {
            /* "no later than the Friday before the commencement of trial":
             * counted from the trial date the document recites */
            char *wd = od_field_text(t, mt, "weekday");
            int w = wd ? weekday_number(wd) : -1;
            od_date trial;
            g_free(wd);
            if (w < 0)
                continue;
            dl.kind = "relative";
            if (trial_date(t, s, m, &trial)) {
                char iso[11];
                char *wk = od_field_text(t, mt, "week");
                bool week = wk && *wk;
                g_free(wk);
                dl.date = weekday_before(trial, w, week);
                dl.has_date = true;
                od_date_iso(trial, iso);
                dl.anchor = g_strdup_printf("%s (the trial date)", iso);
                dl.computation = g_strdup_printf("the %s %s the trial on %s",
                                                 od_date_weekday_name(w),
                                                 week ? "of the week before" : "before", iso);
                /* no "before the order's date" test here: the trial ahead
                 * is the anchor, and a pretrial order's signature date is
                 * its least sure date (counsel's typed "Dated:" lines) */
            } else {
                dl.anchor = g_strdup("the trial date");
                dl.computation = g_strdup("the trial date is not in this document");
            }
        } else if (field_is(mt, "kind", "same_date")) {
            /* "By that same date": the last dated deadline of this
             * paragraph or the one before; nothing when there is none */
            const deadline *o = NULL;
            for (guint k = dls->len; k-- > 0;) {
                const deadline *p = &g_array_index(dls, deadline, k);
                if (p->block < mt->block - 1)
                    break;
                if (p->has_date && !p->is_event) {
                    o = p;
                    break;
                }
            }
            if (!o)
                continue;
            dl.kind = "absolute";
            dl.date = o->date;
            dl.has_date = true;
            dl.has_time = o->has_time;
            memcpy(dl.time, o->time, sizeof dl.time);
            {
                char iso[11];
                od_date_iso(o->date, iso);
                dl.anchor = g_strdup_printf("%s (the date of the deadline before)", iso);
            }
        } else if (field_is(mt, "kind", "relative")) {
            dl.kind = "relative";
            if (dl.directive < 0)
                continue; /* a period stated in general terms */
            {
                /* a dated hearing or conference earlier in this block */
                const deadline *event = NULL;
                char *anchor = od_field_text(t, mt, "anchor");
                if (anchor && od_lexicon_find(od_grammar_set_lexicon(g, "event_words"), anchor, OD_FIND_ANYWHERE)) {
                    for (guint k = dls->len; k-- > 0;) {
                        const deadline *o = &g_array_index(dls, deadline, k);
                        if (o->block != mt->block && o->block != mt->block - 1)
                            break;
                        if (o->has_date && strcmp(o->kind, "absolute") == 0
                            && sentence_mentions(t, s, o->sentence, anchor)) {
                            event = o;
                            break;
                        }
                    }
                }
                g_free(anchor);
                compute_relative(g, t, &dl, cs, event);
            }
        } else if (field_is(mt, "kind", "immediate")) {
            dl.kind = "immediate";
            if (dl.directive < 0)
                continue;
            if (cs->has_date) {
                char iso[11];
                dl.date = cs->date;
                dl.has_date = true;
                od_date_iso(cs->date, iso);
                dl.anchor = g_strdup_printf("%s (the date of this order, by default)", iso);
                dl.computation = g_strdup_printf("due at once: %s", iso);
            }
        } else {
            continue;
        }
        g_array_append_val(dls, dl);
    }

    /* Ids in text order (matches are sorted by start already). */
    next_id = 1;
    for (guint i = 0; i < dirs->len; i++)
        g_array_index(dirs, directive, i).id = next_id++;
    next_id = 1;
    for (guint i = 0; i < dls->len; i++) {
        deadline *dl = &g_array_index(dls, deadline, i);
        dl->id = next_id++;
        if (dl->directive >= 0) {
            directive *d = &g_array_index(dirs, directive, dl->directive);
            if (d->deadline < 0)
                d->deadline = (int)i;
        }
    }

    for (guint i = 0; i < dirs->len; i++) {
        directive *d = &g_array_index(dirs, directive, i);
        JsonObject *o = json_object_new();
        char *text = od_span_text(t, d->start, d->end);
        add_id_or_null(o, "id", 'd', d->id);
        od_json_set_string(o, "actor", d->actor);
        od_json_set_string(o, "action", d->action);
        json_object_set_string_member(o, "modality", d->modality);
        json_object_set_string_member(o, "text", text);
        add_id_or_null(o, "deadline", 't',
                       d->deadline >= 0 ? g_array_index(dls, deadline, d->deadline).id : 0);
        json_object_set_boolean_member(o, "binding", binding);
        json_object_set_string_member(o, "rule", od_rule_id(d->m->rule));
        od_json_add_position(o, t, d->start, d->end);
        json_array_add_object_element(out_dir, o);
        g_free(text);
    }
    for (guint i = 0; i < dls->len; i++) {
        deadline *dl = &g_array_index(dls, deadline, i);
        const directive *d = dl->directive >= 0
            ? &g_array_index(dirs, directive, dl->directive) : NULL;
        JsonObject *o = json_object_new();
        char *text = od_span_text(t, dl->start, dl->end);
        char iso[11];
        add_id_or_null(o, "id", 't', dl->id);
        if (dl->has_date) {
            od_date_iso(dl->date, iso);
            json_object_set_string_member(o, "date", iso);
        } else {
            json_object_set_null_member(o, "date");
        }
        od_json_set_string(o, "time", dl->has_time ? dl->time : NULL);
        json_object_set_string_member(o, "kind", dl->kind);
        json_object_set_string_member(o, "text", text);
        od_json_set_string(o, "anchor", dl->anchor);
        od_json_set_string(o, "computation", dl->computation);
        add_id_or_null(o, "directive", 'd', d ? d->id : 0);
        {
            char *fparty = d ? NULL : od_field_text(t, dl->m, "party");
            char *faction = d ? NULL : od_field_text(t, dl->m, "action");
            if (fparty && (g_str_has_suffix(fparty, "'s") || g_str_has_suffix(fparty, "s'")))
                fparty[strlen(fparty) - (fparty[strlen(fparty) - 1] == 's' ? 2 : 1)] = '\0';
            if (dl->action) {
                /* a schedule row */
                od_json_set_string(o, "party", dl->party ? dl->party : "the parties");
                od_json_set_string(o, "action", dl->action);
            } else {
                od_json_set_string(o, "party", d ? d->actor : fparty ? fparty
                                     : (dl->is_event ? "the parties" : NULL));
                od_json_set_string(o, "action", dl->is_event ? "appear" : (d ? d->action : faction));
            }
            g_free(fparty);
            g_free(faction);
        }
        od_json_set_string(o, "event", dl->what);
        json_object_set_boolean_member(o, "ambiguous", dl->ambiguous);
        json_object_set_boolean_member(o, "binding", binding);
        json_object_set_string_member(o, "rule", od_rule_id(dl->m->rule));
        od_json_add_position(o, t, dl->start, dl->end);
        json_array_add_object_element(out_dl, o);
        g_free(text);
    }

    for (guint i = 0; i < dirs->len; i++) {
        directive *d = &g_array_index(dirs, directive, i);
        g_free(d->actor);
        g_free(d->action);
    }
    for (guint i = 0; i < dls->len; i++) {
        deadline *dl = &g_array_index(dls, deadline, i);
        g_free(dl->anchor);
        g_free(dl->computation);
        g_free(dl->what);
        g_free(dl->action);
        g_free(dl->party);
    }
    g_hash_table_destroy(by_sentence);
    g_ptr_array_free(labels, TRUE);
    g_array_free(dirs, TRUE);
    g_array_free(dls, TRUE);
    (void)cmp_int32;
}

/* ---- Changes ------------------------------------------------------------ */

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
static void build_changes(const od_text *t, const od_matches *m,
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
        scope = field_is(mt, "scope", "all") ? "all" : "one";
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

/* ---- Datasets -------------------------------------------------------------- */

typedef struct dataset {
    char *name;
    const char *source;
    GPtrArray *aliases;   /* char*, distinct spellings */
    JsonArray *mentions;
} dataset;

static void dataset_free(gpointer p)
{
    dataset *d = p;
    g_free(d->name);
    g_ptr_array_free(d->aliases, TRUE);
    json_array_unref(d->mentions);
    g_free(d);
}

/* A capitalised word that names no dataset ("The", "Plaintiffs"): the
 * lexicon `not_dataset_names` of datasets.rules. */
static bool generic_name(const od_grammar_set *g, const char *n)
{
    return od_lexicon_lookup(od_grammar_set_lexicon(g, "not_dataset_names"), n) != NULL
        || strlen(n) < 2;
}

static void add_dataset_mention(const od_grammar_set *g, const od_text *t,
                                const od_match *mt, const od_field *f,
                                GHashTable *by_name, GPtrArray *order)
{
    const od_lexicon *lex = od_grammar_set_lexicon(g, "datasets");
    char *seen = od_span_text(t, f->start, f->end);
    const char *canon = lex ? od_lexicon_lookup(lex, seen) : NULL;
    char *name;
    dataset *d;
    JsonObject *mo;
    bool from_lex = canon != NULL;

    if (canon) {
        name = g_strdup(canon);
    } else {
        const char *n = seen;
        if (g_str_has_prefix(n, "The ") || g_str_has_prefix(n, "the "))
            n += 4;
        if (generic_name(g, n)) {
            g_free(seen);
            return;
        }
        name = g_strdup(n);
        if (lex && (canon = od_lexicon_lookup(lex, name))) {
            g_free(name);
            name = g_strdup(canon);
            from_lex = true;
        }
    }
    d = g_hash_table_lookup(by_name, name);
    if (!d) {
        d = g_new0(dataset, 1);
        d->name = g_strdup(name);
        d->source = from_lex ? "lexicon" : "pattern";
        d->aliases = g_ptr_array_new_with_free_func(g_free);
        d->mentions = json_array_new();
        g_hash_table_insert(by_name, d->name, d);
        g_ptr_array_add(order, d);
    }
    {
        bool have = false;
        for (guint i = 0; i < d->aliases->len; i++)
            if (strcmp(g_ptr_array_index(d->aliases, i), seen) == 0)
                have = true;
        if (!have)
            g_ptr_array_add(d->aliases, g_strdup(seen));
    }
    mo = json_object_new();
    json_object_set_string_member(mo, "text", seen);
    json_object_set_string_member(mo, "rule", od_rule_id(mt->rule));
    od_json_add_position(mo, t, f->start, f->end);
    json_array_add_object_element(d->mentions, mo);
    g_free(name);
    g_free(seen);
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void build_datasets(const od_grammar_set *g, const od_text *t,
                           const od_matches *m, JsonArray *out)
{
    GHashTable *by_name = g_hash_table_new(g_str_hash, g_str_equal);
    GPtrArray *order = g_ptr_array_new_with_free_func(dataset_free);

    for (size_t i = 0; i < m->n; i++) {
        const od_match *mt = &m->items[i];
        static const char *const names[] = {"name", "name2", NULL};
        if (strcmp(od_rule_kind(mt->rule), "dataset") != 0)
            continue;
        for (int k = 0; names[k]; k++) {
            const od_field *f = od_match_field(mt, names[k]);
            if (f && !f->value && f->start >= 0 && f->end > f->start)
                add_dataset_mention(g, t, mt, f, by_name, order);
        }
    }
    for (guint i = 0; i < order->len; i++) {
        dataset *d = g_ptr_array_index(order, i);
        JsonObject *o = json_object_new();
        JsonArray *al = json_array_new();
        g_ptr_array_sort(d->aliases, cmp_str);
        for (guint k = 0; k < d->aliases->len; k++)
            json_array_add_string_element(al, g_ptr_array_index(d->aliases, k));
        json_object_set_string_member(o, "name", d->name);
        json_object_set_string_member(o, "source", d->source);
        json_object_set_array_member(o, "aliases", al);
        json_object_set_array_member(o, "mentions", json_array_ref(d->mentions));
        json_array_add_object_element(out, o);
    }
    g_ptr_array_free(order, TRUE);
    g_hash_table_destroy(by_name);
}

/* ---- The case's judge from the judges ---------------------------------- */

/* How much a judge's role says that this judge issued the document. */
static int issuing_rank(const char *role)
{
    static const char *const order[] = {"magistrate", "panel", "presiding",
                                        "signing", "author", NULL};
    for (int i = 0; role && order[i]; i++)
        if (strcmp(role, order[i]) == 0)
            return i + 1;
    return 0;
}

/* When no case rule named the judge, case.judge is the judge of judges[]
 * whose role says most that they issued the document (author, signer,
 * presiding, panel, magistrate; the first of equals): one person model
 * for both. */
static void case_judge_from_judges(JsonObject *c, JsonArray *judges)
{
    JsonObject *best = NULL;
    int best_rank = 0;

    if (json_object_get_string_member_with_default(c, "judge", NULL))
        return;
    for (guint i = 0; i < json_array_get_length(judges); i++) {
        JsonObject *j = json_array_get_object_element(judges, i);
        int r = issuing_rank(json_object_get_string_member_with_default(j, "role", NULL));
        if (r > best_rank) {
            best = j;
            best_rank = r;
        }
    }
    if (!best)
        return;
    od_json_set_string(c, "judge", json_object_get_string_member(best, "name"));
    od_json_set_string(c, "judge_title",
                       json_object_get_string_member_with_default(best, "title", NULL));
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
    r->case_info = build_case(g, t, s, m, &cs);
    kind = od_document_kind(g, t, s, m, &binding);
    json_object_set_string_member(r->case_info, "document_kind", kind);
    build_orders(g, t, s, m, &cs, kind, binding, r->directives, r->deadlines);
    build_changes(t, m, r->deadlines, r->changes);
    od_people_build(g, t, s, m, r->attorneys, r->judges);
    case_judge_from_judges(r->case_info, r->judges);
    build_datasets(g, t, m, r->datasets);
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

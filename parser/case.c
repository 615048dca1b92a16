/*
 * case.c - stage 5: the case record (court, case number, caption, title,
 * judge, date) from the "case" matches and the caption's layout, and the
 * case's judge from the judge records.
 */
#include <math.h>
#include <string.h>

#include "stage5_p.h"

/* ---- Case metadata ------------------------------------------------------- */

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

JsonObject *od_build_case(const od_grammar_set *g, const od_text *t,
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
        if (od_field_is(mt, "field", "court") && !court && court_in_body(s, mt) &&
            !body_court) {
            body_court = mt; /* taken only if no caption or signature names one */
        } else if (od_field_is(mt, "field", "court") && !court && !court_in_body(s, mt)) {
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
        } else if (od_field_is(mt, "field", "court_kind") && !court && !court_kind) {
            court_kind = od_field_text(t, mt, "courtkind");
        } else if (od_field_is(mt, "field", "case_number") && !number) {
            number = od_field_text(t, mt, "number");
        } else if (od_field_is(mt, "field", "caption") && !caption) {
            char *pl = od_field_text(t, mt, "plaintiff");
            char *df = od_field_text(t, mt, "defendant");
            if (pl && df)
                caption = g_strdup_printf("%s v. %s", pl, df);
            else
                caption = caption_continued(t, s, mt, od_field_text(t, mt, "caption"));
            g_free(pl);
            g_free(df);
        } else if (od_field_is(mt, "field", "title") &&
                   (!title || (od_field_is(mt, "override", "yes") && !title_override))) {
            /* a minute order's "[In Chambers] Order ..." replaces the
             * form's heading "CIVIL MINUTES - GENERAL" */
            title_override = od_field_is(mt, "override", "yes");
            g_free(title);
            title = od_field_text(t, mt, "title");
            if (title && od_field_is(mt, "continue", "caps"))
                title = title_continued(t, s, mt, title);
            if (title)
                trim_trailing_date(title);
        } else if (od_field_is(mt, "field", "judge_title") && !judge) {
            char *raw = name_block(t, s, mt->block - 1);
            if (raw) {
                judge = natural_case(raw);
                judge_title = od_field_text(t, mt, "title");
                g_free(raw);
            }
        } else if (od_field_is(mt, "field", "judge")
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
        } else if (od_field_is(mt, "field", "date")) {
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

/* ---- The case's judge from the judges ------------------------------------ */

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
void od_case_judge_from_judges(JsonObject *c, JsonArray *judges)
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

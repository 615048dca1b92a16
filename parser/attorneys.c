/*
 * attorneys.c - stage 5: attorney and judge records.
 *
 * Runs after the matcher, next to records.c.  Judges come from the
 * "judge" rules (panels, authors, presiding and signing judges), one
 * record per person with the most specific role.  Attorneys come from two
 * sources: the "attorney" rules for counsel named in running text
 * (appellate counsel lines, "Mr. Roe"), and a reading of the layout, line
 * by line, of caption, signature, appearance and service-list blocks,
 * where a person is a name line near a firm, an address, an e-mail, a bar
 * number or an "Attorneys for" line.  Every mention of one person (same
 * normalised name, or the surname after "Mr."/"Ms.") is merged into one
 * record, and records are ordered by first mention.
 */
#include <string.h>

#include <unicode/uchar.h>

#include "records_p.h"

/* ---- Names ----------------------------------------------------------------- */

/* "II", "III", "IV" as printed, or as OCR reads them ("Il", "Ill"). */
static const char *roman_of(const char *w)
{
    static const char *const read[][2] = {
        {"II", "II"}, {"III", "III"}, {"IV", "IV"}, {"Il", "II"}, {"Ill", "III"},
        {"lI", "II"}, {"lll", "III"}, {"IIl", "III"}, {NULL, NULL}};
    for (size_t i = 0; read[i][0]; i++)
        if (strcmp(w, read[i][0]) == 0)
            return read[i][1];
    return NULL;
}

/* Is s (after a comma) a roman suffix and nothing else but a note? */
static bool roman_suffix(const char *s)
{
    size_t n = strcspn(s, " (");
    char *w = g_strndup(s, n);
    bool r = roman_of(w) != NULL;
    g_free(w);
    return r;
}

static bool is_suffix_word(const char *w)
{
    static const char *const sfx[] = {"Jr.", "JR.", "Jr", "JR", "Sr.", "SR.",
                                      "II", "III", "IV", "Il", "Ill", NULL};
    for (size_t i = 0; sfx[i]; i++)
        if (strcmp(w, sfx[i]) == 0)
            return true;
    return false;
}

/* One word in natural case: "FLOOD" -> "Flood", "McCOMAS" -> "McComas",
 * "O'BRIEN" -> "O'Brien", "JR." -> "Jr."; "III" and mixed-case words are
 * kept. */
static void natural_word(GString *out, const char *w)
{
    bool lower = false, mc_caps;
    bool start = true;
    int n = 0;

    if (roman_of(w)) {
        g_string_append(out, roman_of(w));
        return;
    }
    /* "McCOMAS": lower case only in the "Mc" prefix. */
    for (const char *p = w; *p; p = g_utf8_next_char(p), n++)
        if (g_unichar_islower(g_utf8_get_char(p)) && !(n == 1 && w[0] == 'M'))
            lower = true;
    mc_caps = g_str_has_prefix(w, "Mc") && !lower && strlen(w) > 3;
    if (!mc_caps && (lower || g_str_has_prefix(w, "Mc"))) {
        g_string_append(out, w);
        return;
    }
    n = 0;
    for (const char *p = w; *p; p = g_utf8_next_char(p), n++) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_isalpha(c)) {
            bool up = start || (mc_caps && n == 2);
            g_string_append_unichar(out, up ? g_unichar_toupper(c)
                                            : g_unichar_tolower(c));
            start = false;
        } else {
            g_string_append_unichar(out, c);
            start = (c == '-' || c == '\'' || c == 0x2019 || c == '.');
        }
    }
}

/* Strips what is not the name from a printed name: "By:", "/s/", "Esq.",
 * "(SBN 123456)", "(argued)", "(pro hac vice)", a trailing bar number.
 * The bar number found, if any, goes to *bar (g_free it). */
char *od_person_clean(const char *printed, char **bar)
{
    static const char *const drop_paren[] = {"argued", "pro hac vice",
                                             "admitted pro hac vice", NULL};
    GString *s = g_string_new(NULL);
    char **words;
    GString *out = g_string_new(NULL);
    const char *p = printed;
    gsize cut_at = 0; /* out's length after the first word with a comma */

    if (bar)
        *bar = NULL;
    /* Copy, taking out parenthesised notes. */
    while (*p) {
        if (*p == '(') {
            const char *q = strchr(p, ')');
            char *in;
            if (!q)
                break;
            in = g_strndup(p + 1, (gsize)(q - p - 1));
            g_strstrip(in);
            for (size_t i = 0; drop_paren[i]; i++)
                if (g_ascii_strcasecmp(in, drop_paren[i]) == 0)
                    in[0] = '\0';
            if (in[0]) {
                const char *d = in;
                while (*d && !g_ascii_isdigit(*d))
                    d++;
                if (*d && bar && !*bar) {
                    const char *e = d;
                    while (g_ascii_isdigit(*e))
                        e++;
                    *bar = g_strndup(d, (gsize)(e - d));
                }
            }
            g_free(in);
            p = q + 1;
            g_string_append_c(s, ' ');
            continue;
        }
        g_string_append_c(s, *p++);
    }
    /* "BRANDON C. MARTIN, ATTORNEY AT LAW" of a transcript's appearances */
    {
        char *d = g_ascii_strdown(s->str, -1);
        char *c = strstr(d, ", attorney");
        if (c && (g_str_has_suffix(d, " at law") || g_str_has_suffix(d, " at law,")))
            g_string_truncate(s, (gsize)(c - d));
        g_free(d);
    }
    words = g_strsplit_set(s->str, " \t\n", -1);
    for (size_t i = 0; words[i]; i++) {
        char *w = words[i];
        size_t len;
        bool comma;
        if (!*w)
            continue;
        if (out->len == 0 && (g_ascii_strcasecmp(w, "By:") == 0 ||
                              g_ascii_strcasecmp(w, "By") == 0 ||
                              strcmp(w, "/s/") == 0 || strcmp(w, "s/") == 0))
            continue;
        if (g_str_has_prefix(w, "/s/") || g_str_has_prefix(w, "s/"))
            w = strchr(w, '/') + 1;
        if (w[0] == '/')
            w++;
        if (!*w)
            continue;
        len = strlen(w);
        /* A trailing bar number. */
        if (g_ascii_isdigit(w[0])) {
            bool digits = true;
            for (size_t k = 0; k < len; k++)
                if (!g_ascii_isdigit(w[k]))
                    digits = false;
            if (digits && len >= 4 && bar && !*bar)
                *bar = g_strdup(w);
            /* "JANE ROE, Bar No. 264232": the label after the comma goes
             * with the number */
            if (digits && len >= 4 && cut_at)
                g_string_truncate(out, cut_at);
            continue;
        }
        comma = len > 0 && w[len - 1] == ',';
        while (len > 0 && (w[len - 1] == ',' || w[len - 1] == ';' || w[len - 1] == '*'))
            w[--len] = '\0';
        if (g_ascii_strcasecmp(w, "Esq.") == 0 || g_ascii_strcasecmp(w, "Esq") == 0 ||
            g_ascii_strcasecmp(w, "SBN") == 0)
            continue;
        if (!*w)
            continue;
        if (out->len)
            g_string_append_c(out, ' ');
        g_string_append(out, w);
        if (comma && !cut_at)
            cut_at = out->len;
    }
    g_strfreev(words);
    g_string_free(s, TRUE);
    return g_string_free(out, FALSE);
}

/* "KEVIN T. FLOOD, Esq." -> "Kevin T. Flood". */
char *od_person_normalize(const char *printed)
{
    char *clean = od_person_clean(printed, NULL);
    char **words = g_strsplit(clean, " ", -1);
    GString *out = g_string_new(NULL);

    for (size_t i = 0; words[i]; i++) {
        if (!*words[i])
            continue;
        if (out->len)
            g_string_append_c(out, ' ');
        natural_word(out, words[i]);
    }
    g_strfreev(words);
    g_free(clean);
    return g_string_free(out, FALSE);
}

/* The last word of a normalised name that is not a suffix ("Jr."). */
static char *surname_of(const char *norm)
{
    char **w = g_strsplit(norm, " ", -1);
    guint n = g_strv_length(w);
    char *r = NULL;

    while (n > 0 && is_suffix_word(w[n - 1]))
        n--;
    if (n > 1)
        r = g_utf8_casefold(w[n - 1], -1);
    g_strfreev(w);
    return r;
}

/* ---- Helpers ------------------------------------------------------------- */

/* A captured field with its span (*fs, *fe set only for a captured,
 * non-literal field). */
static char *field_str(const od_text *t, const od_match *m, const char *name,
                       int32_t *fs, int32_t *fe)
{
    const od_field *f = od_match_field(m, name);

    if (f && !f->value && f->start >= 0 && f->end > f->start) {
        if (fs)
            *fs = f->start;
        if (fe)
            *fe = f->end;
    }
    return od_field_text(t, m, name);
}

static bool utf16_upper_at(const od_text *t, int32_t i)
{
    return i < t->len && u_isupper(t->buf[i]);
}

/* ---- People ---------------------------------------------------------------- */

typedef struct person {
    char *name, *norm, *firm, *role, *party, *email, *bar;
    int32_t start, end;
    GArray *spans; /* int32_t pairs: start, end of each mention */
} person;

/* The lexicons of attorneys.rules that stage 5 reads here (each may be
 * NULL: then it finds nothing). */
typedef struct att_words {
    const od_lexicon *stop;       /* not_name_words */
    const od_lexicon *firm;       /* firm_marks: "LLP", "LAW GROUP" */
    const od_lexicon *firm_heads; /* firm_heads: "LAW OFFICE" */
    const od_lexicon *addr;       /* address_words: "Street", "Suite" */
    const od_lexicon *addr_first; /* address_first_words: "One", "P.O." */
    const od_lexicon *bars;       /* bar_labels: "Bar No", "SBN" */
} att_words;

typedef struct people {
    GHashTable *by_key; /* casefolded norm -> person* */
    GPtrArray *list;    /* person*, in creation order */
    const od_lexicon *stop; /* not_name_words of attorneys.rules, or NULL */
    att_words w;
} people;

static void person_free(gpointer p)
{
    person *a = p;
    g_free(a->name);
    g_free(a->norm);
    g_free(a->firm);
    g_free(a->role);
    g_free(a->party);
    g_free(a->email);
    g_free(a->bar);
    g_array_free(a->spans, TRUE);
    g_free(a);
}

static void fill(char **dst, const char *v)
{
    if (!*dst && v && *v)
        *dst = g_strdup(v);
}

/* Duplicates (the same span found twice) are dropped when written. */
static void add_span(person *a, int32_t start, int32_t end)
{
    g_array_append_val(a->spans, start);
    g_array_append_val(a->spans, end);
    if (start < a->start) {
        a->start = start;
        a->end = end;
    }
}

static bool looks_like_name(const char *s, const od_lexicon *stop);

typedef struct att_info {
    const char *firm, *role, *party, *email, *bar;
} att_info;

/* Adds a mention of an attorney named printed at [start,end). */
static void add_attorney(people *pp, const char *printed, int32_t start,
                         int32_t end, const att_info *in)
{
    char *bar = NULL;
    char *clean = od_person_clean(printed, &bar);
    char *norm = od_person_normalize(printed);
    char *key = g_utf8_casefold(norm, -1);
    person *a = g_hash_table_lookup(pp->by_key, key);
    int words = 0;

    for (const char *q = norm; *q; q++)
        if (*q == ' ')
            words++;
    if (words < 1 || words > 5 || !looks_like_name(clean, pp->stop)) {
        g_free(bar);
        g_free(clean);
        g_free(norm);
        g_free(key);
        return;
    }
    if (!a) {
        a = g_new0(person, 1);
        a->name = g_strdup(clean);
        a->norm = norm;
        norm = NULL;
        a->start = start;
        a->end = end;
        a->spans = g_array_new(FALSE, FALSE, sizeof(int32_t));
        g_hash_table_insert(pp->by_key, g_strdup(key), a);
        g_ptr_array_add(pp->list, a);
    }
    add_span(a, start, end);
    if (in) {
        fill(&a->firm, in->firm);
        fill(&a->role, in->role);
        fill(&a->party, in->party);
        fill(&a->email, in->email);
        fill(&a->bar, in->bar);
    }
    fill(&a->bar, bar);
    g_free(bar);
    g_free(clean);
    g_free(norm);
    g_free(key);
}

/* ---- Attorneys from counsel lines ------------------------------------------ */

/* Splits "A (argued), B, and C" at [start,end) and adds each name. */
static void add_name_list(people *pp, const od_text *t, int32_t start,
                          int32_t end, const att_info *in, bool argued_role)
{
    int32_t s = start;

    for (int32_t i = start; i <= end; i++) {
        bool cut = false;
        int32_t next = i;

        if (i == end) {
            cut = true;
        } else if (t->buf[i] == ',') {
            cut = true;
            next = i + 1;
        } else if (t->buf[i] == ' ' && i + 4 < end && t->buf[i + 1] == 'a' &&
                   t->buf[i + 2] == 'n' && t->buf[i + 3] == 'd' &&
                   t->buf[i + 4] == ' ') {
            cut = true;
            next = i + 5;
        }
        if (!cut)
            continue;
        {
            int32_t a = s, b = i;
            while (a < b && (u_isspace(t->buf[a])))
                a++;
            if (b - a > 4 && t->buf[a] == 'a' && t->buf[a + 1] == 'n' &&
                t->buf[a + 2] == 'd' && t->buf[a + 3] == ' ')
                a += 4;
            while (b > a && u_isspace(t->buf[b - 1]))
                b--;
            if (b > a && utf16_upper_at(t, a)) {
                char *txt = od_span_text(t, a, b);
                att_info local = *in;
                if (argued_role && strstr(txt, "(argued)"))
                    local.role = "argued for";
                /* Keep the name's own span, without "(argued)". */
                {
                    int32_t e = b;
                    for (int32_t k = a; k < b; k++)
                        if (t->buf[k] == '(') {
                            e = k;
                            break;
                        }
                    while (e > a && u_isspace(t->buf[e - 1]))
                        e--;
                    add_attorney(pp, txt, a, e, &local);
                }
                g_free(txt);
            }
        }
        if (i == end)
            break;
        s = next;
        i = next - 1;
    }
}

static void attorneys_from_matches(people *pp, const od_text *t,
                                   const od_matches *m)
{
    for (size_t i = 0; i < m->n; i++) {
        const od_match *mt = &m->items[i];
        const od_field *names;
        char *firm, *role, *party;
        att_info in = {0};

        if (strcmp(od_rule_kind(mt->rule), "attorney") != 0)
            continue;
        names = od_match_field(mt, "names");
        if (!names || names->start < 0)
            continue;
        firm = field_str(t, mt, "firm", NULL, NULL);
        role = field_str(t, mt, "role", NULL, NULL);
        party = field_str(t, mt, "party", NULL, NULL);
        if (role && strcmp(role, "for") == 0) {
            g_free(role);
            role = g_strdup("counsel for");
        }
        if (party && g_str_has_prefix(party, "the "))
            memmove(party, party + 4, strlen(party + 4) + 1);
        in.firm = firm;
        in.role = role;
        in.party = party;
        add_name_list(pp, t, names->start, names->end, &in, true);
        g_free(firm);
        g_free(role);
        g_free(party);
    }
}

/* ---- Attorneys from the layout: lines of blocks ---------------------------- */

typedef enum {
    L_OTHER = 0, /* prose, headings: ends a group */
    L_NAME,      /* a person's name, maybe with By:, /s/, SBN, Esq. */
    L_FIRM,      /* "DOE & ROE LLP" */
    L_ADDR,      /* street, suite, city and ZIP */
    L_CONTACT,   /* telephone, fax, e-mail */
    L_ROLE_POST, /* "Attorneys for Plaintiffs" (after the names) */
    L_ROLE_PRE,  /* "For Plaintiffs:" (before the names) */
    L_SKIP,      /* "ATTORNEYS AT LAW": ignored */
    L_NEUTRAL    /* a short line: maybe a firm ("Gibbons") */
} line_class;

typedef struct line {
    int32_t start, end;
    int block;
    line_class cls;
    bool marker; /* the name line had By:, /s/, a bar number or Esq. */
    char *text;
    int page;    /* 0 for text input */
    od_box box;
} line;



/* Is w one of the words that never make part of a name (the lexicon
 * not_name_words of attorneys.rules)? */
static bool stop_word(const char *w, const od_lexicon *stop)
{
    return stop && od_lexicon_lookup(stop, w) != NULL;
}
/* Is s (a cleaned candidate) a bare name: 2-5 capitalised words? */
static bool looks_like_name(const char *s, const od_lexicon *stop)
{
    char **w = g_strsplit(s, " ", -1);
    guint n = g_strv_length(w);
    bool ok = n >= 2 && n <= 5;
    int long_words = 0;

    for (guint i = 0; ok && i < n; i++) {
        const char *x = w[i];
        size_t len = strlen(x);
        gunichar c0 = g_utf8_get_char(x);
        if (!len || !g_unichar_isupper(c0)) {
            ok = false;
            break;
        }
        if (is_suffix_word(x) && i > 0)
            continue;
        if (stop_word(x, stop)) {
            ok = false;
            break;
        }
        {
            int lower_run = 0;
            for (const char *p = x; *p; p = g_utf8_next_char(p)) {
                gunichar c = g_utf8_get_char(p);
                if (!g_unichar_isalpha(c) && c != '.' && c != '\'' && c != '-' &&
                    c != 0x2019)
                    ok = false;
                /* "StatementPublished" of run-together table headers (but
                 * "McComas", "MacDonald", "DeMarco") */
                if (g_unichar_isupper(c) && lower_run >= 3)
                    ok = false;
                lower_run = g_unichar_islower(c) ? lower_run + 1 : 0;
            }
        }
        if (len == 2 && x[1] == '.')
            continue;
        if (x[len - 1] == '.' && len > 2)
            ok = false; /* "Inc." "Ph.D." */
        long_words++;
    }
    g_strfreev(w);
    return ok && long_words >= 2;
}

static bool has_ci(const char *hay, const char *needle)
{
    char *h = g_ascii_strdown(hay, -1);
    bool r = strstr(h, needle) != NULL;
    g_free(h);
    return r;
}

/* A firm's name: a mark of the lexicon `firm_marks` after its first
 * letters ("Smith LLP", not "LLP" alone), a head of `firm_heads` at its
 * start ("LAW OFFICES OF ..."), or " & " between names. */
static bool firm_like(const att_words *w, const char *s)
{
    return strstr(s, " & ") || od_lexicon_find(w->firm, s, OD_FIND_NOT_START)
        || od_lexicon_find(w->firm_heads, s, OD_FIND_START);
}

/* A line of an address: it starts with a digit or a word of
 * `address_first_words` ("One Market Plaza", "P.O. Box 5"), ends in a ZIP
 * code after a comma, or holds a word of `address_words`. */
static bool addr_like(const att_words *w, const char *s)
{
    size_t len = strlen(s);
    int digits = 0;

    if (g_ascii_isdigit(s[0]) || od_lexicon_find(w->addr_first, s, OD_FIND_START))
        return true;
    for (size_t i = len; i > 0 && g_ascii_isdigit(s[i - 1]); i--)
        digits++;
    if (digits >= 5 && strchr(s, ','))
        return true; /* "New York, NY 10020" */
    return od_lexicon_find(w->addr, s, OD_FIND_ANYWHERE) != NULL;
}

static bool has_initial(const char *s);

/* "John S. Gibson, (CSB No. 140647, jgibson@crowell.com)", "Nicholas Roe
 * (Admitted pro hac vice, nroe@firm.com)": a name whose bar number or
 * admission shares a parenthesis with the e-mail.  The note must hold a
 * number of four digits or more or "hac vice", and the e-mail must be
 * inside it, so that "Jane Roe jroe@x.com" stays a contact line. */
static bool inline_note_name(const char *s, const od_lexicon *stop)
{
    const char *open = strchr(s, '('), *at = strchr(s, '@');
    const char *close = open ? strchr(open, ')') : NULL;
    char *head, *clean;
    bool ok = false;
    int run = 0, best = 0;

    if (!open || !at || !close || at < open || at > close)
        return false;
    for (const char *p = open; p < close; p++) {
        run = g_ascii_isdigit(*p) ? run + 1 : 0;
        best = MAX(best, run);
    }
    {
        char *note = g_strndup(open, (gsize)(close - open));
        ok = best >= 4 || has_ci(note, "hac vice");
        g_free(note);
    }
    if (!ok)
        return false;
    head = g_strndup(s, (gsize)(open - s));
    g_strstrip(head);
    while (*head && head[strlen(head) - 1] == ',')
        head[strlen(head) - 1] = '\0';
    clean = od_person_clean(head, NULL);
    ok = looks_like_name(clean, stop);
    g_free(clean);
    g_free(head);
    return ok;
}

/* Does s open with a bar-number label of the lexicon bar_labels ("Bar No.
 * 264232", "SBN 244180")? */
static bool bar_label_at(const char *s, const od_lexicon *bars)
{
    for (size_t i = 0; i < od_lexicon_n_entries(bars); i++) {
        const char *c = od_lexicon_canonical(bars, i);
        const char *const *al = od_lexicon_aliases(bars, i);
        if ((!al || !al[0]) && g_ascii_strncasecmp(s, c, strlen(c)) == 0)
            return true;
        for (size_t k = 0; al && al[k]; k++)
            if (g_ascii_strncasecmp(s, al[k], strlen(al[k])) == 0)
                return true;
    }
    return false;
}

static line_class classify(const char *s, bool *marker, const att_words *w)
{
    const od_lexicon *stop = w->stop;
    char *bar = NULL, *clean;
    line_class c = L_OTHER;
    size_t len = strlen(s);
    int words = 1;

    *marker = false;
    for (const char *p = s; *p; p++)
        if (*p == ' ')
            words++;
    if (!len)
        return L_OTHER;
    if (g_ascii_strncasecmp(s, "Attorneys for ", 14) == 0 ||
        g_ascii_strncasecmp(s, "Attorney for ", 13) == 0 ||
        g_ascii_strncasecmp(s, "Counsel for ", 12) == 0 ||
        g_ascii_strncasecmp(s, "On behalf of ", 13) == 0)
        return s[len - 1] == ':' ? L_ROLE_PRE : L_ROLE_POST;
    if ((g_ascii_strncasecmp(s, "For ", 4) == 0 && s[len - 1] == ':' && words <= 6))
        return L_ROLE_PRE;
    if (g_ascii_strcasecmp(s, "ATTORNEYS AT LAW") == 0 ||
        g_ascii_strcasecmp(s, "ATTORNEY AT LAW") == 0 ||
        g_ascii_strcasecmp(s, "A Professional Corporation") == 0 ||
        g_ascii_strcasecmp(s, "A Professional Law Corporation") == 0)
        return L_SKIP;
    if (inline_note_name(s, stop)) {
        *marker = true;
        return L_NAME;
    }
    if (strchr(s, '@') || has_ci(s, "telephone") || has_ci(s, "facsimile") ||
        g_ascii_strncasecmp(s, "Tel", 3) == 0 || g_ascii_strncasecmp(s, "Fax", 3) == 0 ||
        g_ascii_strncasecmp(s, "Email", 5) == 0 || g_ascii_strncasecmp(s, "E-mail", 6) == 0)
        return L_CONTACT;
    if (has_ci(s, "judge") || has_ci(s, "clerk") || has_ci(s, "reporter") ||
        has_ci(s, "honorable") || strstr(s, "Hon."))
        return L_OTHER;
    if (g_ascii_isdigit(s[0]))
        return addr_like(w, s) ? L_ADDR : L_NEUTRAL;
    clean = od_person_clean(s, &bar);
    {
        bool lead = g_ascii_strncasecmp(s, "By:", 3) == 0;
        bool esq = has_ci(s, "esq") || has_ci(s, "attorneys at law");
        const char *comma = strchr(s, ',');
        if (comma) {
            const char *after = comma + 1;
            while (*after == ' ')
                after++;
            if (g_ascii_strncasecmp(after, "Attorney", 8) == 0)
                esq = true; /* "X, ATTORNEY AT LAW" */
            if (bar_label_at(after, w->bars))
                esq = true; /* "JEFFREY M. ROE, Bar No. 264232" */
            /* "JUANITA R. BROOKS," of a list of names ending in "Attorneys
             * at Law" (not "ROE; DOE," of a caption) */
            if (esq || (!*after && has_initial(s) && !strchr(s, ';')) ||
                g_ascii_strncasecmp(after, "Esq", 3) == 0 ||
                g_ascii_strncasecmp(after, "Jr", 2) == 0 ||
                g_ascii_strncasecmp(after, "Sr", 2) == 0 ||
                roman_suffix(after))
                comma = NULL;
        }
        if (!comma && looks_like_name(clean, stop)) {
            c = L_NAME;
            *marker = lead || esq || bar != NULL;
        }
    }
    g_free(clean);
    g_free(bar);
    if (c == L_NAME)
        return c;
    /* a form's label under a line ("(signature)") and a job title
     * ("Senior Counsel") are not the firm after a name */
    if ((s[0] == '(' && s[len - 1] == ')') ||
        (words <= 3 && g_str_has_suffix(s, "Counsel")))
        return L_OTHER;
    if (firm_like(w, s) && words <= 10 && !strchr(s, ':'))
        return L_FIRM;
    if (addr_like(w, s) && words <= 10)
        return L_ADDR;
    if (s[len - 1] == ':' || s[len - 1] == '.' || words > 8 || strchr(s, ':'))
        return L_OTHER;
    return L_NEUTRAL;
}

/* Appends the lines of block b (split where the glyphs' baseline or page
 * changes) to lines. */
static void split_lines(const od_text *t, const od_segments *s, int b,
                        GArray *lines)
{
    const od_block *bl = &s->blocks[b];
    int32_t ls = -1, last = -1;
    int page = 0, pg;
    od_box ref = {0, 0, 0, 0}, box, prev = {0, 0, 0, 0};

    for (int32_t i = bl->start; i <= bl->end; i++) {
        bool brk = false;
        bool have = i < bl->end && !u_isspace(t->buf[i]) &&
                    od_text_position(t, i, i + 1, &pg, &box);

        if (i == bl->end)
            brk = ls >= 0;
        else if (!have) {
            if (ls < 0 && !u_isspace(t->buf[i]))
                ls = i;
            if (!u_isspace(t->buf[i]))
                last = i + 1;
            continue;
        } else if (ls >= 0 && page) {
            float h = MAX(ref.y1 - ref.y0, 1.0f);
            float cy = (box.y0 + box.y1) / 2, ry = (ref.y0 + ref.y1) / 2;
            brk = pg != page || (cy - ry > h / 2 || ry - cy > h / 2) ||
                  box.x0 < prev.x0 - h;
        }
        if (brk && last > ls) {
            line l = {ls, last, b, L_OTHER, false, NULL, 0, {0, 0, 0, 0}};
            l.text = od_span_text(t, ls, last);
            od_text_position(t, ls, last, &l.page, &l.box);
            g_array_append_val(lines, l);
            ls = -1;
        }
        if (i == bl->end)
            break;
        if (ls < 0 || brk) {
            ls = i;
            page = pg;
            ref = box;
        }
        prev = box;
        last = i + 1;
    }
}

static void line_clear(gpointer p)
{
    g_free(((line *)p)->text);
}

/* The party after "Attorneys for " on line li, continued by the next
 * lines of the same block that are not names, firms or addresses. */
static char *role_party(GArray *lines, guint li, char **role)
{
    line *l = &g_array_index(lines, line, li);
    const char *p = l->text;
    GString *party = g_string_new(NULL);
    const char *cut;

    if (g_ascii_strncasecmp(p, "On behalf of ", 13) == 0)
        cut = p + 13;
    else if (g_ascii_strncasecmp(p, "For ", 4) == 0)
        cut = p + 4;
    else {
        cut = strstr(p, " for ");
        if (!cut)
            cut = strstr(p, " For ");
        cut = cut ? cut + 5 : p + strlen(p);
    }
    if (l->cls == L_ROLE_PRE)
        *role = g_strdup("counsel for");
    else {
        *role = g_ascii_strdown(p, (gssize)(cut - p));
        g_strstrip(*role);
    }
    g_string_append(party, cut);
    for (guint k = li + 1; k < lines->len && k <= li + 2; k++) {
        line *n = &g_array_index(lines, line, k);
        if (n->block != l->block || n->cls == L_ROLE_POST ||
            n->cls == L_ROLE_PRE || n->cls == L_ADDR || n->cls == L_CONTACT ||
            n->cls == L_FIRM || n->cls == L_OTHER)
            break;
        g_string_append_c(party, ' ');
        g_string_append(party, n->text);
    }
    while (party->len && (party->str[party->len - 1] == ':' ||
                          party->str[party->len - 1] == ','))
        g_string_truncate(party, party->len - 1);
    if (g_str_has_prefix(party->str, "the "))
        g_string_erase(party, 0, 4);
    return g_string_free(party, FALSE);
}

/* Reads one group: lines [a,b) with no L_OTHER line. */
/* How far (in lines) a person's firm, role and e-mail are looked for:
 * keeps a long list of names linear. */
#define WINDOW 24u

/* A "For Defendant:" label printed to the left of, and at or above, line
 * l on its page (appearance lists in two columns, where the labels come
 * after the names in text order).  G_MAXUINT when none. */
static guint label_left_of(GArray *lines, GArray *labels, const line *l)
{
    guint best = G_MAXUINT;
    float best_y = -1;

    if (!l->page || labels->len > 200)
        return best;
    for (guint k = 0; k < labels->len; k++) {
        guint li = g_array_index(labels, guint, k);
        const line *x = &g_array_index(lines, line, li);
        if (x->page != l->page || x->box.x1 > l->box.x0 ||
            x->box.y0 > l->box.y0 + 2)
            continue;
        if (x->box.y0 > best_y) {
            best_y = x->box.y0;
            best = li;
        }
    }
    return best;
}

static bool all_caps(const char *s)
{
    bool letters = false;
    for (const char *p = s; *p; p++) {
        if (g_ascii_islower(*p))
            return false;
        letters |= g_ascii_isupper(*p) != 0;
    }
    return letters;
}

/* "John A. Doe": a single letter and a dot, as a word. */
static bool has_initial(const char *s)
{
    for (const char *p = s; p[0] && p[1]; p++)
        if (g_ascii_isupper(p[0]) && p[1] == '.' && (p == s || p[-1] == ' '))
            return true;
    return false;
}

/* "Kahn@capessokol.com" / "CAPES SOKOL": a line whose first word begins
 * the domain of the e-mail on the line before is the firm, not a person. */
static bool firm_of_email(GArray *lines, guint a, guint i)
{
    const line *l = &g_array_index(lines, line, i);
    const line *p;
    const char *at, *sp;
    char *w, *d;
    bool r;

    if (i == a)
        return false;
    p = &g_array_index(lines, line, i - 1);
    at = p->cls == L_CONTACT ? strchr(p->text, '@') : NULL;
    sp = strchr(l->text, ' ');
    if (!at || !sp || sp - l->text < 4 || has_initial(l->text))
        return false;
    w = g_ascii_strdown(l->text, sp - l->text);
    d = g_ascii_strdown(at + 1, -1);
    r = g_str_has_prefix(d, w);
    g_free(w);
    g_free(d);
    return r;
}

/* "TCL COMMUNICATION" / "TECHNOLOGY HOLDINGS, LTD., et al.," /
 * "Plaintiffs,": a caption's party, not counsel (the role up to three
 * lines below the name: "MACOM TECHNOLOGY" / "SOLUTIONS HOLDINGS INC. and"
 * / "NITRONEX, LLC," / "Plaintiffs,"). */
static bool party_line(GArray *lines, guint i, guint b)
{
    static const char *const roles[] = {"plaintiff", "defendant", "petitioner",
                                        "respondent", "appellant", "appellee",
                                        "debtor", "relator", NULL};
    for (guint k = i; k < b && k <= i + 3; k++) {
        const char *x = g_array_index(lines, line, k).text;
        char *d = g_ascii_strdown(x, -1);
        bool r = strstr(d, "et al") != NULL;
        for (size_t q = 0; k > i && roles[q] && !r; q++)
            r = g_str_has_prefix(d, roles[q]);
        g_free(d);
        if (r)
            return true;
    }
    return false;
}

static bool evidence_near(GArray *lines, guint a, guint b, guint j, guint g_end)
{
    guint lo = j > a + 3 ? j - 3 : a, hi = g_end + 6 < b ? g_end + 6 : b;
    for (guint k = lo; k < hi; k++) {
        const line *x = &g_array_index(lines, line, k);
        if (x->cls == L_FIRM || x->cls == L_ADDR || x->cls == L_CONTACT ||
            x->cls == L_ROLE_POST || x->cls == L_ROLE_PRE || x->marker)
            return true;
    }
    return false;
}

static bool list_label(const char *s)
{
    static const char *const labels[] = {"cc", "copies", "copy to", "service",
                                         "counsel", "attorneys", "appearances",
                                         "distribution", "clerk", NULL};
    char *d = g_ascii_strdown(s, -1);
    bool r = false;

    size_t len = strlen(d);
    bool colon = len && d[len - 1] == ':';

    /* the label opens the line or the line ends with ':' ("cc:",
     * "Service List", "Counsel of record:", "/s/ Jane Roe, Clerk"), not a
     * table's header that ends in "Attorneys" */
    for (size_t i = 0; labels[i] && !r; i++) {
        const char *p = strstr(d, labels[i]);
        size_t n = strlen(labels[i]);
        r = p && (p == d || !g_ascii_isalpha(p[-1])) && !g_ascii_isalpha(p[n]) &&
            (p == d || colon || strcmp(labels[i], "clerk") == 0);
    }
    g_free(d);
    return r;
}

static void read_group(people *pp, GArray *lines, GArray *labels, guint a,
                       guint b)
{
    int names = 0, evidence = 0, addresses = 0;
    bool cc_list;

    for (guint i = a; i < b; i++) {
        line *l = &g_array_index(lines, line, i);
        if (l->cls == L_NAME)
            names++;
        else if (l->cls == L_FIRM || l->cls == L_CONTACT ||
                 l->cls == L_ROLE_POST || l->cls == L_ROLE_PRE)
            evidence++;
        else if (l->cls == L_ADDR)
            addresses++;
    }
    if (!names)
        return;
    /* Names with addresses and nothing else (no firm, telephone, e-mail or
     * "Attorneys for"): a caption's parties to be served, not counsel. */
    if (evidence)
        evidence += addresses;
    /* A bare list of names (a "cc:" list) counts when it has three and the
     * line before it says what it is ("cc:", "Copies to:", "Service
     * List", "Counsel of record", or the clerk's signature that an
     * appellate order's distribution list follows): a table of timekeepers or an exhibit's
     * list of officers is not one. */
    cc_list = !evidence && names >= 3 && a > 0 &&
              list_label(g_array_index(lines, line, a - 1).text);
    for (guint i = a; i < b; i++) {
        line *l = &g_array_index(lines, line, i);
        guint j, g_end, k, lo, hi;
        char *firm = NULL, *role = NULL, *party = NULL;
        GPtrArray *emails;
        int pos_in_group = 0;

        if (l->cls != L_NAME)
            continue;
        if (!evidence && !l->marker && !cc_list)
            continue;
        if (i + 1 < b && !l->marker) {
            /* "CAPES SOKOL GOODMAN" / "SARACHAN PC": the first line of a
             * firm name that a two-word line ends. */
            const line *n = &g_array_index(lines, line, i + 1);
            const char *sp = strchr(n->text, ' ');
            if (n->cls == L_FIRM && sp && !strchr(sp + 1, ' '))
                continue;
            /* "ROBBINS GELLER RUDMAN" / "& DOWD LLP", "WILMER CUTLER
             * PICKERING" / "HALE AND DORR LLP": a line in capitals without
             * an initial, after another person's name or e-mail, before the
             * firm line that ends it. */
            if (n->cls == L_FIRM &&
                (n->text[0] == '&' || g_ascii_strncasecmp(n->text, "and ", 4) == 0 ||
                 (all_caps(l->text) && all_caps(n->text) && !has_initial(l->text) &&
                  i > a && (g_array_index(lines, line, i - 1).cls == L_NAME ||
                            g_array_index(lines, line, i - 1).cls == L_CONTACT))))
                continue;
        }
        if (!l->marker && (firm_of_email(lines, a, i) || party_line(lines, i, b)))
            continue;
        /* The person group: consecutive name lines around i. */
        j = i;
        while (j > a && i - j < WINDOW &&
               g_array_index(lines, line, j - 1).cls == L_NAME)
            j--;
        pos_in_group = (int)(i - j);
        g_end = i + 1;
        while (g_end < b && g_end - i < WINDOW &&
               g_array_index(lines, line, g_end).cls == L_NAME)
            g_end++;
        lo = j > a + WINDOW ? j - WINDOW : a;
        hi = g_end + WINDOW < b ? g_end + WINDOW : b;
        /* The evidence must be near the person: a firm, contact or role
         * line a few lines around the group of names (a long group also
         * holds tables and exhibits whose names are nobody's counsel). */
        if (!l->marker && !cc_list && !evidence_near(lines, a, b, j, g_end))
            continue;
        /* Firm: the line after the group (unless an address or a role),
         * else the last firm line before, after the last role line. */
        if (g_end < b) {
            line *n = &g_array_index(lines, line, g_end);
            if (n->cls == L_FIRM || n->cls == L_NEUTRAL)
                firm = g_strdup(n->text);
            /* after the person's e-mail: "CAPES SOKOL" of kahn@capessokol.com */
            for (k = g_end; !firm && k < hi && k < g_end + 3; k++) {
                n = &g_array_index(lines, line, k);
                if (n->cls == L_CONTACT)
                    continue;
                if (n->cls == L_FIRM || (n->cls == L_NAME && firm_of_email(lines, a, k)))
                    firm = g_strdup(n->text);
                break;
            }
        }
        if (!firm) {
            /* Not across another person's address ("James P. Davy" of a
             * service list has no firm of his own). */
            bool past_addr = false;
            for (k = j; k > lo; k--) {
                line *n = &g_array_index(lines, line, k - 1);
                if (n->cls == L_ROLE_POST || (n->cls == L_NAME && past_addr))
                    break;
                if (n->cls == L_ADDR)
                    past_addr = true;
                if (n->cls == L_FIRM) {
                    firm = g_strdup(n->text);
                    break;
                }
            }
        }
        /* Role: a "For Plaintiffs:" label to the left, a header before,
         * else the next "Attorneys for" line. */
        k = label_left_of(lines, labels, l);
        if (k != G_MAXUINT)
            party = role_party(lines, k, &role);
        for (k = j; !role && k > lo; k--) {
            line *n = &g_array_index(lines, line, k - 1);
            if (n->cls == L_ROLE_POST)
                break;
            if (n->cls == L_ROLE_PRE) {
                party = role_party(lines, k - 1, &role);
                break;
            }
        }
        if (!role)
            for (k = g_end; k < hi; k++) {
                line *n = &g_array_index(lines, line, k);
                if (n->cls == L_ROLE_PRE)
                    break;
                if (n->cls == L_ROLE_POST) {
                    party = role_party(lines, k, &role);
                    break;
                }
            }
        /* E-mails after the group, up to the next name: the i-th is the
         * i-th person's. */
        emails = g_ptr_array_new();
        for (k = g_end; k < hi; k++) {
            line *n = &g_array_index(lines, line, k);
            char **w;
            if (n->cls == L_NAME || n->cls == L_ROLE_POST || n->cls == L_ROLE_PRE)
                break;
            if (n->cls != L_CONTACT)
                continue;
            w = g_strsplit(n->text, " ", -1);
            for (size_t q = 0; w[q]; q++)
                if (strchr(w[q], '@'))
                    g_ptr_array_add(emails, g_strdup(w[q]));
            g_strfreev(w);
        }
        /* A second name line right before an address, after a name
         * without By: or a bar number, is that person's firm, not a
         * person ("Daniel R. Brody" / "Bartlit Beck" / "1801 Wewatta
         * Street"). */
        if (pos_in_group > 0 && i + 1 < b &&
            g_array_index(lines, line, i + 1).cls == L_ADDR && !l->marker &&
            !g_array_index(lines, line, i - 1).marker) {
            g_free(firm);
            g_free(role);
            g_free(party);
            g_ptr_array_free(emails, TRUE);
            continue;
        }
        {
            att_info in = {0};
            /* ... and that line is this person's firm. */
            if (i + 2 < b && g_array_index(lines, line, i + 1).cls == L_NAME &&
                g_array_index(lines, line, i + 2).cls == L_ADDR &&
                !l->marker && !g_array_index(lines, line, i + 1).marker) {
                g_free(firm);
                firm = g_strdup(g_array_index(lines, line, i + 1).text);
            }
            in.firm = firm;
            in.role = role;
            in.party = party;
            if (emails->len == 1 && g_end - j == 1)
                in.email = g_ptr_array_index(emails, 0);
            else if ((guint)pos_in_group < emails->len &&
                     emails->len == g_end - j)
                in.email = g_ptr_array_index(emails, (guint)pos_in_group);
            add_attorney(pp, l->text, l->start, l->end, &in);
        }
        g_ptr_array_set_free_func(emails, g_free);
        g_ptr_array_free(emails, TRUE);
        g_free(firm);
        g_free(role);
        g_free(party);
    }
}

/* "EXHIBIT A", "EXHIBIT 12" alone in a block after the first page: the
 * cover of an exhibit, whose names (a web page, a form, a rate table)
 * are not this filing's counsel. */
static bool exhibit_cover(const od_text *t, const od_block *bl)
{
    char *txt;
    bool r = false;
    int page = 0;
    od_box box;

    if (bl->end - bl->start > 14 || bl->start == 0 ||
        (od_text_position(t, bl->start, bl->end, &page, &box) && page < 2))
        return false; /* (text input has no pages: any block but the first) */
    txt = od_span_text(t, bl->start, bl->end);
    if (g_str_has_prefix(txt, "EXHIBIT ")) {
        const char *p = txt + 8;
        size_t n = strlen(p);
        r = n >= 1 && n <= 3;
        for (size_t i = 0; i < n; i++)
            if (!g_ascii_isupper(p[i]) && !g_ascii_isdigit(p[i]))
                r = false;
    }
    g_free(txt);
    return r;
}

/* An indented block under a signature that holds e-mail addresses: the
 * list of counsel of a signature block ("By: /s/ Jane Roe" / "Jane Roe
 * (admitted pro hac vice)" / "jroe@firm.com" ...), which the layout
 * reads as a block quotation; a quotation holds no e-mail address. */
static bool signature_list(const od_text *t, const od_segments *s, size_t b)
{
    const od_block *bl = &s->blocks[b];

    if (b == 0 || s->blocks[b - 1].kind != OD_BLOCK_SIGNATURE)
        return false;
    for (int32_t i = bl->start; i < bl->end; i++)
        if (t->buf[i] == '@')
            return true;
    return false;
}

static void attorneys_from_layout(people *pp, const od_text *t,
                                  const od_segments *s)
{
    GArray *lines = g_array_new(FALSE, FALSE, sizeof(line));
    GArray *labels = g_array_new(FALSE, FALSE, sizeof(guint));
    guint a = 0;

    g_array_set_clear_func(lines, line_clear);
    for (size_t b = 0; b < s->n_blocks; b++) {
        const od_block *bl = &s->blocks[b];
        if (bl->kind == OD_BLOCK_FOOTNOTE ||
            (bl->kind == OD_BLOCK_QUOTE && !signature_list(t, s, b)))
            continue;
        if (bl->end - bl->start > 1500)
            continue; /* prose */
        if (exhibit_cover(t, bl))
            break; /* what follows is another document's */
        split_lines(t, s, (int)b, lines);
    }
    for (guint i = 0; i < lines->len; i++) {
        line *l = &g_array_index(lines, line, i);
        l->cls = classify(l->text, &l->marker, &pp->w);
        if (l->cls == L_ROLE_PRE)
            g_array_append_val(labels, i);
    }
    for (guint i = 0; i <= lines->len; i++) {
        if (i < lines->len && g_array_index(lines, line, i).cls != L_OTHER)
            continue;
        if (i > a)
            read_group(pp, lines, labels, a, i);
        a = i + 1;
    }
    g_array_free(labels, TRUE);
    g_array_free(lines, TRUE);
}

/* "Mr. Roe": a mention of the attorney with that surname, when only one
 * has it. */
static void surname_mentions(people *pp, const od_text *t, const od_matches *m)
{
    GHashTable *by_surname = g_hash_table_new_full(g_str_hash, g_str_equal,
                                                   g_free, NULL);

    for (guint i = 0; i < pp->list->len; i++) {
        person *a = g_ptr_array_index(pp->list, i);
        char *sn = surname_of(a->norm);
        if (!sn)
            continue;
        if (g_hash_table_contains(by_surname, sn))
            g_hash_table_replace(by_surname, sn, NULL); /* ambiguous */
        else
            g_hash_table_insert(by_surname, sn, a);
    }
    for (size_t i = 0; i < m->n; i++) {
        const od_match *mt = &m->items[i];
        const od_field *f;
        char *sn, *key;
        person *a;

        if (strcmp(od_rule_kind(mt->rule), "attorney") != 0)
            continue;
        f = od_match_field(mt, "surname");
        if (!f || f->start < 0)
            continue;
        sn = od_text_utf8(t, f->start, f->end);
        key = g_utf8_casefold(sn, -1);
        a = g_hash_table_lookup(by_surname, key);
        if (a)
            add_span(a, mt->start, mt->end);
        g_free(sn);
        g_free(key);
    }
    g_hash_table_destroy(by_surname);
}

/* ---- Judges ---------------------------------------------------------------- */

typedef struct judge {
    char *name, *title, *role;
    int rank;
    guint seq; /* creation order: panels keep the printed order */
    int32_t start, end;
} judge;

static int role_rank(const char *role)
{
    if (!role)
        return 0;
    if (strcmp(role, "author") == 0)
        return 4;
    if (strcmp(role, "signing") == 0)
        return 3;
    if (strcmp(role, "presiding") == 0)
        return 2;
    if (strcmp(role, "magistrate") == 0)
        return 0;
    return 1;
}

static void judge_free(gpointer p)
{
    judge *j = p;
    g_free(j->name);
    g_free(j->title);
    g_free(j->role);
    g_free(j);
}

/* Of "Wang ONA T. WANG" keep the last run of words written the same way
 * ("ONA T. WANG"); drop stars and trailing commas. */
static char *judge_name(const char *raw)
{
    char **w = g_strsplit(raw, " ", -1);
    guint n = g_strv_length(w), first;
    int style = 0; /* 1 caps, 2 mixed */
    GString *out = g_string_new(NULL);
    char *r;

    first = n;
    while (first > 0) {
        const char *x = w[first - 1];
        bool lower = false, upper = false;
        int letters = 0;
        int st;
        for (const char *p = x; *p; p = g_utf8_next_char(p)) {
            gunichar c = g_utf8_get_char(p);
            if (g_unichar_islower(c))
                lower = true;
            if (g_unichar_isupper(c))
                upper = true;
            if (g_unichar_isalpha(c))
                letters++;
        }
        st = letters <= 1 || is_suffix_word(x) ? 0 : (lower ? 2 : (upper ? 1 : 0));
        if (st && style && st != style)
            break;
        if (st)
            style = st;
        first--;
    }
    for (guint i = first; i < n; i++) {
        if (!*w[i])
            continue;
        if (out->len)
            g_string_append_c(out, ' ');
        g_string_append(out, w[i]);
    }
    g_strfreev(w);
    g_strdelimit(out->str, "*", ' ');
    r = od_person_normalize(out->str);
    g_string_free(out, TRUE);
    return r;
}

static bool title_word(const char *s)
{
    return has_ci(s, "judge") || has_ci(s, "justice") ||
           has_ci(s, "district") || has_ci(s, "circuit") ||
           strstr(s, "Presiding");
}

static void add_judge(GPtrArray *list, GHashTable *by_key, const char *raw,
                      const char *title, const char *role, int32_t start,
                      int32_t end)
{
    char *name = judge_name(raw);
    char *key = g_utf8_casefold(name, -1);
    judge *j;

    /* "André Birotte Jr." and "André Birotte Jr" are one judge */
    {
        char *d = key, *q = key;
        for (; *d; d++)
            if (*d != '.')
                *q++ = *d;
        *q = '\0';
    }

    if (!*name || title_word(name) || strstr(name, "United") ||
        strstr(name, "States")) {
        g_free(name);
        g_free(key);
        return;
    }
    j = g_hash_table_lookup(by_key, key);
    if (!j) {
        j = g_new0(judge, 1);
        j->name = name;
        name = NULL;
        j->start = start;
        j->end = end;
        j->seq = list->len;
        j->rank = -1;
        g_ptr_array_add(list, j);
        g_hash_table_insert(by_key, key, j);
        key = NULL;
    } else if (strlen(name) > strlen(j->name)) {
        g_free(j->name); /* "Jr." rather than "Jr" */
        j->name = name;
        name = NULL;
    }
    if (role_rank(role) > j->rank) {
        g_free(j->role);
        j->role = g_strdup(role);
        j->rank = role_rank(role);
    }
    if (!j->title && title && *title)
        j->title = g_strdup(title);
    g_free(name);
    g_free(key);
}

/* Adds the pending panel names with title (NULL when none). */
static void flush_panel(GPtrArray *list, GHashTable *by_key, GPtrArray *pending,
                        const char *title, int32_t start, int32_t end)
{
    for (guint i = 0; i < pending->len; i++)
        add_judge(list, by_key, g_ptr_array_index(pending, i), title, "panel",
                  start, end);
    g_ptr_array_set_size(pending, 0);
}

/* Splits "ALPHA, BETA, and GAMMA, Circuit Judges" into names; a title
 * applies to the names before it ("Circuit Judges" -> "Circuit Judge"). */
static void add_judge_list(GPtrArray *list, GHashTable *by_key, const char *s,
                           int32_t start, int32_t end)
{
    char *c = g_strdup(s);
    char **parts;
    GPtrArray *pending = g_ptr_array_new_with_free_func(g_free);

    for (char *p = c; *p; p++)
        if (*p == '*' || *p == '.')
            *p = (*p == '.' && p > c && g_ascii_isupper(p[-1]) &&
                  (p - 1 == c || p[-2] == ' ')) ? '.' : ' ';
    parts = g_strsplit(c, ",", -1);
    for (size_t i = 0; parts[i]; i++) {
        char **sub;
        char *x = g_strstrip(parts[i]);
        if (g_str_has_prefix(x, "and "))
            x += 4;
        if (title_word(x)) {
            char *title = NULL;
            if (has_ci(x, "judge")) {
                size_t n = strlen(x);
                title = g_strdup(x);
                if (n > 6 && g_str_has_suffix(title, "Judges"))
                    title[n - 1] = '\0';
            }
            flush_panel(list, by_key, pending, title, start, end);
            g_free(title);
            continue;
        }
        sub = g_strsplit(x, " and ", -1);
        for (size_t k = 0; sub[k]; k++) {
            char *y = g_strstrip(sub[k]);
            if (*y && g_unichar_isupper(g_utf8_get_char(y)))
                g_ptr_array_add(pending, g_strdup(y));
        }
        g_strfreev(sub);
    }
    flush_panel(list, by_key, pending, NULL, start, end);
    g_ptr_array_free(pending, TRUE);
    g_strfreev(parts);
    g_free(c);
}

/* "M. HYLAND" above "Veterans Law Judge": an initial and a surname. */
static bool initial_surname(const char *s, const od_lexicon *stop)
{
    const char *sp = strchr(s, ' ');
    size_t n = 0;

    if (!sp || sp - s != 2 || !g_ascii_isupper(s[0]) || s[1] != '.')
        return false;
    for (const char *p = sp + 1; *p; p++, n++)
        if (!g_ascii_isalpha(*p) && *p != '\'' && *p != '-')
            return false;
    return n >= 2 && g_ascii_isupper(sp[1]) && !stop_word(sp + 1, stop);
}

/* The text of the line just before position pos in the previous block
 * (a name above "United States Magistrate Judge"). */
static char *line_before(const od_text *t, const od_segments *s, int b,
                         const att_words *w)
{
    GArray *lines;
    char *r = NULL;

    if (b < 0)
        return NULL;
    lines = g_array_new(FALSE, FALSE, sizeof(line));
    g_array_set_clear_func(lines, line_clear);
    split_lines(t, s, b, lines);
    if (lines->len) {
        line *l = &g_array_index(lines, line, lines->len - 1);
        const char *txt = l->text;
        bool mk;
        /* "Hon. Jon S. Tigar" above "United States District Judge" */
        if (g_str_has_prefix(txt, "The Honorable "))
            txt += 14;
        else if (g_str_has_prefix(txt, "Honorable "))
            txt += 10;
        else if (g_str_has_prefix(txt, "Hon. "))
            txt += 5;
        att_words nobar = *w; /* a judge's line: no bar numbers */
        nobar.bars = NULL;
        if (classify(txt, &mk, &nobar) == L_NAME || initial_surname(txt, w->stop))
            r = g_strdup(txt);
    }
    g_array_free(lines, TRUE);
    return r;
}

static void build_judges(const od_text *t, const od_segments *s,
                         const od_matches *m, GPtrArray *list,
                         GHashTable *by_key, const att_words *w)
{
    for (size_t i = 0; i < m->n; i++) {
        const od_match *mt = &m->items[i];
        const od_field *role_f = od_match_field(mt, "role");
        const char *role = role_f ? role_f->value : NULL;
        char *names, *name, *title;

        if (strcmp(od_rule_kind(mt->rule), "judge") != 0)
            continue;
        names = field_str(t, mt, "names", NULL, NULL);
        name = field_str(t, mt, "name", NULL, NULL);
        title = field_str(t, mt, "title", NULL, NULL);
        if (names)
            add_judge_list(list, by_key, names, mt->start, mt->end);
        else if (name)
            add_judge(list, by_key, name, title, role, mt->start, mt->end);
        else if (title) {
            char *prev = line_before(t, s, mt->block - 1, w);
            if (prev)
                add_judge(list, by_key, prev, title, role, mt->start, mt->end);
            g_free(prev);
        }
        g_free(names);
        g_free(name);
        g_free(title);
    }
}

/* "Callahan" (author) is "Consuelo M. Callahan" (panel): one record with
 * the full name and the more specific role. */
static void merge_surnames(GPtrArray *jl)
{
    if (jl->len > 200)
        return; /* not a real order's bench */
    for (guint i = 0; i < jl->len;) {
        judge *j = g_ptr_array_index(jl, i);
        judge *full = NULL;
        if (!strchr(j->name, ' ')) {
            char *k = g_utf8_casefold(j->name, -1);
            for (guint x = 0; x < jl->len && !full; x++) {
                judge *o = g_ptr_array_index(jl, x);
                char *sn = strchr(o->name, ' ') ? surname_of(o->name) : NULL;
                if (sn && strcmp(sn, k) == 0)
                    full = o;
                g_free(sn);
            }
            g_free(k);
        }
        if (!full) {
            i++;
            continue;
        }
        if (j->rank > full->rank) {
            g_free(full->role);
            full->role = g_strdup(j->role);
            full->rank = j->rank;
        }
        if (!full->title && j->title)
            full->title = g_strdup(j->title);
        g_ptr_array_remove_index(jl, i);
    }
}

/* ---- Output ---------------------------------------------------------------- */

static gint cmp_person(gconstpointer a, gconstpointer b)
{
    const person *x = *(person *const *)a, *y = *(person *const *)b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return strcmp(x->norm, y->norm);
}

static gint cmp_judge(gconstpointer a, gconstpointer b)
{
    const judge *x = *(judge *const *)a, *y = *(judge *const *)b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static gint cmp_i32(gconstpointer a, gconstpointer b)
{
    const int32_t *x = a, *y = b;
    return (*x > *y) - (*x < *y);
}

void od_people_build(const od_grammar_set *g, const od_text *t,
                     const od_segments *s, const od_matches *m,
                     JsonArray *attorneys, JsonArray *judges)
{
    people pp;
    GPtrArray *jl = g_ptr_array_new_with_free_func(judge_free);
    GHashTable *jkeys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

    pp.stop = od_grammar_set_lexicon(g, "not_name_words");
    pp.w.stop = pp.stop;
    pp.w.firm = od_grammar_set_lexicon(g, "firm_marks");
    pp.w.firm_heads = od_grammar_set_lexicon(g, "firm_heads");
    pp.w.addr = od_grammar_set_lexicon(g, "address_words");
    pp.w.addr_first = od_grammar_set_lexicon(g, "address_first_words");
    pp.w.bars = od_grammar_set_lexicon(g, "bar_labels");
    pp.by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    pp.list = g_ptr_array_new_with_free_func(person_free);

    build_judges(t, s, m, jl, jkeys, &pp.w);
    merge_surnames(jl);
    g_ptr_array_sort(jl, cmp_judge);
    for (guint i = 0; i < jl->len; i++) {
        judge *j = g_ptr_array_index(jl, i);
        JsonObject *o = json_object_new();
        json_object_set_string_member(o, "name", j->name);
        od_json_set_string(o, "title", j->title);
        json_object_set_string_member(o, "role", j->role ? j->role : "panel");
        od_json_add_position(o, t, j->start, j->end);
        json_array_add_object_element(judges, o);
    }

    attorneys_from_matches(&pp, t, m);
    attorneys_from_layout(&pp, t, s);
    surname_mentions(&pp, t, m);
    g_ptr_array_sort(pp.list, cmp_person);
    for (guint i = 0; i < pp.list->len; i++) {
        person *a = g_ptr_array_index(pp.list, i);
        char *key = g_utf8_casefold(a->norm, -1);
        JsonObject *o;
        JsonArray *ms;
        bool is_judge = g_hash_table_contains(jkeys, key);

        g_free(key);
        if (is_judge)
            continue;
        o = json_object_new();
        json_object_set_string_member(o, "name", a->name);
        json_object_set_string_member(o, "name_normalized", a->norm);
        od_json_set_string(o, "firm", a->firm);
        od_json_set_string(o, "role", a->role);
        od_json_set_string(o, "party", a->party);
        od_json_set_string(o, "email", a->email);
        od_json_set_string(o, "bar_number", a->bar);
        od_json_add_position(o, t, a->start, a->end);
        ms = json_array_new();
        {
            /* Sort the mention spans by start (pairs). */
            GArray *st = g_array_new(FALSE, FALSE, sizeof(int32_t) * 2);
            for (guint k = 0; k + 1 < a->spans->len; k += 2) {
                int32_t pr[2] = {g_array_index(a->spans, int32_t, k),
                                 g_array_index(a->spans, int32_t, k + 1)};
                g_array_append_vals(st, pr, 1);
            }
            g_array_sort(st, cmp_i32);
            for (guint k = 0; k < st->len; k++) {
                int32_t *pr = &((int32_t *)(void *)st->data)[2 * k];
                JsonObject *mo;
                char *txt;
                if (k > 0 && pr[0] == pr[-2])
                    continue;
                mo = json_object_new();
                txt = od_span_text(t, pr[0], pr[1]);
                json_object_set_string_member(mo, "text", txt);
                od_json_add_position(mo, t, pr[0], pr[1]);
                json_array_add_object_element(ms, mo);
                g_free(txt);
            }
            g_array_free(st, TRUE);
        }
        json_object_set_array_member(o, "mentions", ms);
        json_array_add_object_element(attorneys, o);
    }
    g_ptr_array_free(pp.list, TRUE);
    g_hash_table_destroy(pp.by_key);
    g_ptr_array_free(jl, TRUE);
    g_hash_table_destroy(jkeys);
}

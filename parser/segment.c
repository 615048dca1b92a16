/*
 * segment.c - stage 3: blocks and sentences.
 *
 * Takes the clean text of stage 2 (od_text: UTF-16 buffer plus one od_para
 * per layout paragraph) and produces od_segments: one od_block per
 * paragraph, labelled with a kind (caption, heading, body, numbered,
 * footnote, signature, quote), and the sentences of every block.  Kinds
 * come from layout flags and boxes when the input was a PDF and from text
 * cues alone for plain text; the cues are the rules of kind "segment"
 * (grammars/segment.rules) run by match.c's line matcher.  Sentences
 * come from ICU's sentence break iterator, whose breaks are then filtered
 * by the "keep together" rules (abbreviations passed in by the caller from
 * grammars/segment.rules, initials, "No. 5", "v.", dotted initialisms).
 * Stage 4 (match.c) runs the grammars over these blocks.
 */
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uregex.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "ordex_p.h"
#include "text_p.h"

/* ------------------------------------------------------------------ */
/* Block kind names                                                    */

static const char *const kind_names[OD_BLOCK_N_KINDS] = {
    [OD_BLOCK_CAPTION] = "caption",     [OD_BLOCK_HEADING] = "heading",
    [OD_BLOCK_BODY] = "body",           [OD_BLOCK_NUMBERED] = "numbered",
    [OD_BLOCK_FOOTNOTE] = "footnote",   [OD_BLOCK_SIGNATURE] = "signature",
    [OD_BLOCK_QUOTE] = "quote",
};

const char *od_block_kind_name(od_block_kind k)
{
    if ((int)k < 0 || k >= OD_BLOCK_N_KINDS)
        return "unknown";
    return kind_names[k];
}

int od_block_kind_from_name(const char *name)
{
    if (!name)
        return -1;
    for (int k = 0; k < OD_BLOCK_N_KINDS; k++)
        if (strcmp(kind_names[k], name) == 0)
            return k;
    return -1;
}

/* ------------------------------------------------------------------ */
/* Text cues                                                           */

/* Each paragraph gets a bit set of cues, found by the rules of kind
 * "segment" (grammars/segment.rules, run by match.c's line matcher) over
 * its first CUE_WINDOW code units: a rule that matches sets the cue of its
 * 'set cue = NAME'.  Which cues make which block kind is decided below. */
enum {
    CUE_COURT = 1u << 0,     /* court name lines */
    CUE_PARTY = 1u << 1,     /* parties, "v.", "In re", party roles */
    CUE_CASENO = 1u << 2,    /* case number lines */
    CUE_COUNSEL = 1u << 3,   /* attorney caption: SBN, address, phone */
    CUE_TITLE = 1u << 4,     /* document title words in capitals */
    CUE_TITLE_ANY = 1u << 5, /* title words in any case (bold/centred) */
    CUE_SECTION = 1u << 6,   /* a whole-paragraph section heading */
    CUE_SIGN = 1u << 7,      /* "SO ORDERED", "Respectfully submitted" */
    CUE_SLASH_S = 1u << 8,   /* "/s/ Name" */
    CUE_DATED = 1u << 9,     /* "Dated: ..." */
    CUE_JUDGE = 1u << 10,    /* "United States District Judge" */
    CUE_ATTY_FOR = 1u << 11, /* "Attorneys for Plaintiffs" */
    CUE_ENUM = 1u << 12,     /* starts with an enumerator "1." "(a)" */
};

/* The names of the cues in the rules' 'set cue = NAME'. */
static const struct {
    const char *name;
    unsigned cue;
} cue_names[] = {
    {"court", CUE_COURT},     {"party", CUE_PARTY},         {"caseno", CUE_CASENO},
    {"counsel", CUE_COUNSEL}, {"title", CUE_TITLE},         {"title_any", CUE_TITLE_ANY},
    {"section", CUE_SECTION}, {"sign", CUE_SIGN},           {"slash_s", CUE_SLASH_S},
    {"dated", CUE_DATED},     {"judge", CUE_JUDGE},         {"atty_for", CUE_ATTY_FOR},
    {"enum", CUE_ENUM},
};

#define CUE_CAPTION_ANY (CUE_COURT | CUE_PARTY | CUE_CASENO | CUE_COUNSEL)
#define CUE_WINDOW 600

/* Words after which a single capital letter is a label ("Exhibit A."),
 * which may end a sentence, rather than an initial ("Ona T. Wang"). */
static const char *const label_words[] = {
    "exhibit", "exh", "ex", "appendix", "app", "schedule", "attachment",
    "annex", "part", "plan", "group", "class", "subclass", "tier", "phase",
    "category", "option", "section", "article", "tab", "item", "form",
    "step", "stage", "level", "type", "table", "figure", "fig", "column",
    "row", "note", "unit", "track", "prong", "alternative", "vitamin", NULL,
};

/* Time zones after "a.m."/"p.m." that continue the sentence. */
static const char *const zone_words[] = {
    "Eastern", "Pacific", "Central", "Mountain", "ET", "PT", "CT", "MT",
    "EST", "EDT", "PST", "PDT", "CST", "CDT", "MST", "MDT", NULL,
};

/* ------------------------------------------------------------------ */
/* Paragraph features                                                  */

typedef struct para_info {
    int32_t start, end; /* clamped para span */
    int page;
    int words;          /* whitespace-separated tokens */
    int letter_words;   /* tokens with a letter */
    int lower_words;    /* tokens whose first letter is lower case */
    int lines;
    bool caps;          /* letters, none lower case */
    UChar last;         /* last non-space code unit, 0 if none */
    bool prose;         /* looks like running text */
    unsigned cues;
} para_info;

typedef struct seg_ctx {
    const od_text *t;
    od_line_matcher *cues;    /* the "segment" rules; NULL: no cues */
    unsigned *rule_cue;       /* the cue bit of each of its rules */
    UBreakIterator *brk;
    GHashTable *abbrev;       /* exact UTF-8 entries */
    GHashTable *abbrev_upper; /* upper-cased entries, for all-caps tokens */
    int max_words;            /* words of the longest entry */
    UChar *scratch;           /* one block with line breaks flattened */
    int32_t scratch_cap;
    GArray *sentences;        /* od_sentence */
    char **msg;
} seg_ctx;

static bool is_space(UChar32 c)
{
    return u_isUWhiteSpace(c) != 0;
}

static bool is_terminal(UChar c)
{
    return c == '.' || c == '?' || c == '!' || c == ':' || c == ';' ||
           c == ')' || c == ']' || c == '"' || c == 0x201D || c == 0x2019 ||
           c == '\'';
}

static bool compute_cues(seg_ctx *c, para_info *pi)
{
    const UChar *buf = c->t->buf + pi->start;
    int32_t n = pi->end - pi->start;
    size_t n_rules = od_line_matcher_n_rules(c->cues);

    pi->cues = 0;
    if (!c->cues)
        return true;
    if (n > CUE_WINDOW) {
        n = CUE_WINDOW;
        if (U16_IS_LEAD(buf[n - 1]))
            n--;
    }
    if (!od_line_matcher_set_text(c->cues, buf, n, c->msg))
        return false;
    for (size_t i = 0; i < n_rules; i++) {
        od_match m;
        int hit;

        if (!c->rule_cue[i] || (pi->cues & c->rule_cue[i]))
            continue;
        hit = od_line_matcher_find(c->cues, i, 0, n, &m, c->msg);
        if (hit < 0)
            return false;
        if (hit)
            pi->cues |= c->rule_cue[i];
    }
    return true;
}

static void measure(const od_text *t, const od_para *p, para_info *pi)
{
    const UChar *buf = t->buf;
    int32_t i = pi->start;
    int newlines = 0, upper = 0, lower = 0;
    bool in_word = false, word_has_letter = false;

    while (i < pi->end) {
        UChar32 ch;

        U16_NEXT(buf, i, pi->end, ch);
        if (ch == '\n')
            newlines++;
        if (is_space(ch)) {
            in_word = false;
            continue;
        }
        pi->last = buf[i - 1];
        if (!in_word) {
            in_word = true;
            word_has_letter = false;
            pi->words++;
        }
        if (u_isalpha(ch)) {
            if (!word_has_letter) {
                word_has_letter = true;
                pi->letter_words++;
                if (u_islower(ch))
                    pi->lower_words++;
            }
            if (u_islower(ch))
                lower++;
            else if (u_isupper(ch) || u_istitle(ch))
                upper++;
        }
    }
    pi->lines = newlines + 1;
    if (p->n_lines > pi->lines)
        pi->lines = p->n_lines;
    pi->caps = (p->flags & OD_PARA_CAPS) || (upper >= 2 && lower == 0);
    /* Running text: enough words, a good share starting in lower case,
     * and sentence punctuation at the end (or simply long). */
    pi->prose = pi->words >= 8 && pi->lower_words * 10 >= pi->letter_words * 3 &&
                (is_terminal(pi->last) || pi->words >= 20);
}

/* ------------------------------------------------------------------ */
/* Block kinds                                                         */

#define UNSET ((od_block_kind)-1)
#define MAX_CAPTION_PARAS 60

static bool has_box(const od_para *p)
{
    return p->page > 0 && (p->box.x1 > p->box.x0 || p->box.y1 > p->box.y0);
}

static bool same_page(const para_info *a, const para_info *b)
{
    return a->page == 0 || b->page == 0 || a->page == b->page;
}

/* A document title: "OPINION & ORDER", "ORDER GRANTING MOTION TO SEAL". */
static bool is_title(const od_para *p, const para_info *pi)
{
    if (pi->cues & (CUE_COURT | CUE_PARTY))
        return false;
    if (pi->lines > 4 || pi->words > 40 || pi->words == 0)
        return false;
    if ((pi->cues & CUE_TITLE) && pi->caps)
        return true;
    return (p->flags & (OD_PARA_BOLD | OD_PARA_CENTERED)) &&
           (pi->cues & CUE_TITLE_ANY);
}

static bool is_strong_signature(const para_info *pi)
{
    return (pi->cues & (CUE_SIGN | CUE_SLASH_S)) != 0;
}

static bool is_signature_start(const para_info *pi)
{
    if (pi->words > 40)
        return false;
    if (pi->cues & (CUE_SIGN | CUE_SLASH_S | CUE_DATED))
        return true;
    /* "Attorneys for Plaintiffs" starts a signature; "Counsel for
     * Defendant shall appear for a hearing ..." is running text. */
    if (pi->cues & CUE_ATTY_FOR)
        return !pi->prose;
    return (pi->cues & CUE_JUDGE) && pi->words <= 14 && pi->last != ':';
}

/* What ends a signature region: the next clear body paragraph, a
 * numbered paragraph, a section heading or a new title. */
static bool ends_signature(const para_info *pi)
{
    if (is_signature_start(pi))
        return false;
    return pi->prose || (pi->cues & (CUE_ENUM | CUE_SECTION)) ||
           ((pi->cues & CUE_TITLE) && pi->caps);
}

/* Caption: the top of page 1 up to the title or the first body text. */
static void mark_caption(const od_text *t, const para_info *info,
                         od_block_kind *kind)
{
    size_t end = 0, title = t->n_paras;

    for (end = 0; end < t->n_paras && end < MAX_CAPTION_PARAS; end++) {
        const para_info *pi = &info[end];

        if (kind[end] != UNSET)
            continue; /* footnote */
        if (pi->page > 1)
            break;
        if (is_title(&t->paras[end], pi)) {
            if (title == t->n_paras)
                title = end;
            continue;
        }
        if (pi->prose || is_strong_signature(pi) || (pi->cues & CUE_SECTION) ||
            ((pi->cues & CUE_ENUM) && !(pi->cues & CUE_CAPTION_ANY)))
            break;
    }
    if (title < end) {
        for (size_t i = 0; i < title; i++)
            if (kind[i] == UNSET)
                kind[i] = OD_BLOCK_CAPTION;
        kind[title] = OD_BLOCK_HEADING;
        /* "Re: Dkt. No. 713" and case numbers after the title. */
        for (size_t i = title + 1; i < end; i++) {
            if (kind[i] != UNSET)
                continue;
            if (!(info[i].cues & CUE_CAPTION_ANY))
                break;
            kind[i] = OD_BLOCK_CAPTION;
        }
        return;
    }
    /* No title: from the top to the last paragraph with a caption cue
     * ("Argued September 3, 1997" between the court and the parties
     * belongs to the caption), provided the first one looks like it. */
    {
        size_t last = end, first = 0;

        while (first < end && kind[first] != UNSET)
            first++;
        if (first == end || !(info[first].cues & CUE_CAPTION_ANY ||
                              info[first].caps ||
                              (t->paras[first].flags & OD_PARA_CENTERED)))
            return;
        for (size_t i = first; i < end; i++)
            if (kind[i] == UNSET && (info[i].cues & CUE_CAPTION_ANY))
                last = i;
        if (last == end)
            last = first;
        for (size_t i = first; i <= last; i++)
            if (kind[i] == UNSET)
                kind[i] = OD_BLOCK_CAPTION;
    }
}

static void mark_signatures(const od_text *t, const para_info *info,
                            od_block_kind *kind)
{
    size_t n = t->n_paras;

    for (size_t i = 0; i < n; i++) {
        size_t j;

        if (kind[i] != UNSET || !is_signature_start(&info[i]))
            continue;
        kind[i] = OD_BLOCK_SIGNATURE;
        /* The judge's or signer's name lines just above "/s/" or the
         * judge's title ("ONA T. WANG" over "United States ..."). */
        if (info[i].cues & (CUE_JUDGE | CUE_SLASH_S)) {
            for (size_t k = i; k > 0 && i - k < 3; k--) {
                const para_info *pk = &info[k - 1];

                if (kind[k - 1] != UNSET || !same_page(pk, &info[i]) ||
                    pk->words > 10 || pk->prose || pk->last == '.' ||
                    pk->last == ':' ||
                    (pk->cues & (CUE_SECTION | CUE_TITLE)) ||
                    ((pk->cues & CUE_ENUM) && !pk->caps))
                    break;
                kind[k - 1] = OD_BLOCK_SIGNATURE;
            }
        }
        for (j = i + 1; j < n; j++) {
            if (kind[j] != UNSET || !same_page(&info[j], &info[i]) ||
                ends_signature(&info[j]))
                break;
            kind[j] = OD_BLOCK_SIGNATURE;
        }
        i = j - 1;
    }
}

/* A plain heading in Title Case ("Increased Rating"): one short line, no
 * final punctuation, few lower-case words, and running text after it. */
static bool is_plain_heading(const para_info *pi, const para_info *next)
{
    return next && next->prose && pi->lines == 1 && pi->words <= 8 &&
           pi->letter_words > 0 && u_isalnum(pi->last) &&
           pi->lower_words * 3 <= pi->letter_words &&
           !(pi->cues & (CUE_CAPTION_ANY | CUE_JUDGE));
}

static bool is_heading(const od_para *p, const para_info *pi)
{
    bool styled;

    if (pi->words == 0)
        return false;
    if ((pi->cues & CUE_SECTION) && pi->lines <= 3)
        return true;
    if (pi->lines > 2 || pi->words > 14 || pi->end - pi->start > 160)
        return false;
    if (pi->last == ',' || pi->last == ';' || pi->last == ':')
        return false;
    if (pi->last == '.' && !(pi->cues & CUE_ENUM))
        return false;
    styled = pi->caps || (p->flags & (OD_PARA_BOLD | OD_PARA_CENTERED)) ||
             ((pi->cues & CUE_ENUM) && pi->lower_words * 3 <= pi->letter_words);
    return styled;
}

static gint cmp_float(gconstpointer a, gconstpointer b)
{
    float x = *(const float *)a, y = *(const float *)b;

    return (x > y) - (x < y);
}

static float median(GArray *xs)
{
    g_array_sort(xs, cmp_float);
    return g_array_index(xs, float, xs->len / 2);
}

/* Body margins: the median left and right edges of multi-line prose. */
static void body_margins(const od_text *t, const para_info *info,
                         const od_block_kind *kind, float *left, float *right)
{
    GArray *xs0 = g_array_new(FALSE, FALSE, sizeof(float));
    GArray *xs1 = g_array_new(FALSE, FALSE, sizeof(float));

    for (size_t i = 0; i < t->n_paras; i++) {
        const od_para *p = &t->paras[i];

        if (kind[i] != UNSET || !has_box(p) || !info[i].prose ||
            info[i].lines < 2)
            continue;
        g_array_append_val(xs0, p->box.x0);
        g_array_append_val(xs1, p->box.x1);
    }
    *left = *right = 0;
    if (xs0->len > 0) {
        *left = median(xs0);
        *right = median(xs1);
    }
    g_array_free(xs0, TRUE);
    g_array_free(xs1, TRUE);
}

static od_block_kind classify_rest(const od_para *p, const para_info *pi,
                                   const para_info *next, float left,
                                   float right)
{
    const float indent = 18.0f; /* a quarter inch on each side */

    if (is_heading(p, pi) || is_plain_heading(pi, next))
        return OD_BLOCK_HEADING;
    if (pi->cues & CUE_ENUM)
        return OD_BLOCK_NUMBERED;
    if (right > left && has_box(p) && pi->lines >= 2 && pi->words >= 10 &&
        !(p->flags & OD_PARA_CENTERED) && p->box.x0 >= left + indent &&
        p->box.x1 <= right - indent)
        return OD_BLOCK_QUOTE;
    return OD_BLOCK_BODY;
}

/* ------------------------------------------------------------------ */
/* Sentences                                                           */

/* A candidate break of ICU's sentence iterator that follows a period:
 * text[tok, dot) is the token before the period, text[next] the first
 * character after the white space (n when none). */
typedef struct brk_site {
    const UChar *text;
    int32_t n, tok, dot, next;
    int32_t sent; /* first non-space character of the sentence so far */
} brk_site;

#define MAX_TOKEN 48 /* longer tokens are never abbreviations */

/* UTF-8 copy of text[s,e) with runs of white space collapsed to one
 * space; false when it does not fit. */
static bool span_utf8(const UChar *text, int32_t s, int32_t e, char *out,
                      size_t cap)
{
    size_t o = 0;
    bool space = false;

    while (s < e) {
        UChar32 ch;
        char tmp[6];
        int k;

        U16_NEXT(text, s, e, ch);
        if (is_space(ch)) {
            space = true;
            continue;
        }
        if (space && o > 0) {
            if (o + 1 >= cap)
                return false;
            out[o++] = ' ';
        }
        space = false;
        k = g_unichar_to_utf8((gunichar)ch, tmp);
        if (o + (size_t)k >= cap)
            return false;
        memcpy(out + o, tmp, (size_t)k);
        o += (size_t)k;
    }
    out[o] = '\0';
    return true;
}

/* Start of the token that ends at e (exclusive), or -1 when it is longer
 * than MAX_TOKEN. */
static int32_t token_start(const UChar *text, int32_t e)
{
    int32_t s = e;

    while (s > 0 && !is_space(text[s - 1])) {
        if (e - s >= MAX_TOKEN)
            return -1;
        s--;
    }
    return s;
}

static bool is_opener(UChar c)
{
    int8_t type = u_charType(c);

    return type == U_START_PUNCTUATION || type == U_INITIAL_PUNCTUATION ||
           c == '"' || c == '\'' || c == '[' || c == '(';
}

static bool has_lower(const UChar *text, int32_t s, int32_t e)
{
    for (int32_t i = s; i < e; i++)
        if (u_islower(text[i]))
            return true;
    return false;
}

static bool token_is(const brk_site *b, const char *const *words, bool nocase)
{
    char tok[MAX_TOKEN * 3 + 1];

    if (!span_utf8(b->text, b->tok, b->dot, tok, sizeof tok))
        return false;
    for (; *words; words++)
        if (nocase ? g_ascii_strcasecmp(tok, *words) == 0
                   : strcmp(tok, *words) == 0)
            return true;
    return false;
}

/* Rule 1: the token is in the abbreviation list.  Matching is exact
 * ("Civ", "v"), or, for an all-capitals token, against the upper-cased
 * entry ("NO." in a caption, "MR." in a transcript).  A lower-case token
 * never matches a capitalised entry: "no." and "art." end sentences.
 * Entries of several words ("F. Supp") match the last words before the
 * period. */
static bool rule_listed(const seg_ctx *c, const brk_site *b)
{
    char tok[(MAX_TOKEN + 1) * 3 * 4 + 1];
    int32_t s = b->tok;
    bool caps = !has_lower(b->text, b->tok, b->dot);

    for (int w = 1; w <= c->max_words; w++) {
        if (w > 1) {
            int32_t e = s;

            while (e > 0 && is_space(b->text[e - 1]))
                e--;
            if (e == 0 || (s = token_start(b->text, e)) < 0)
                return false;
            caps = caps && !has_lower(b->text, s, e);
        }
        {
            int32_t from = s;

            while (from < b->dot && is_opener(b->text[from]))
                from++;
            if (from == b->dot ||
                !span_utf8(b->text, from, b->dot, tok, sizeof tok))
                continue;
        }
        if (g_hash_table_contains(c->abbrev, tok))
            return true;
        if (caps && g_hash_table_contains(c->abbrev_upper, tok))
            return true;
    }
    return false;
}

/* Rule 2: a single capital initial ("Ona T. Wang", "Fed. R. Civ. P."),
 * unless it labels something ("Exhibit A.", "Part I."). */
static bool rule_initial(const seg_ctx *c, const brk_site *b)
{
    int32_t e = b->tok, s;
    char prev[MAX_TOKEN * 3 + 1];

    (void)c;
    if (b->dot - b->tok != 1 || !u_isupper(b->text[b->tok]))
        return false;
    while (e > 0 && is_space(b->text[e - 1]))
        e--;
    if (e == 0 || (s = token_start(b->text, e)) < 0)
        return true;
    while (e > s && !u_isalnum(b->text[e - 1]))
        e--; /* "Exhibit A." but also "(Exhibit A." */
    while (s < e && is_opener(b->text[s]))
        s++;
    if (!span_utf8(b->text, s, e, prev, sizeof prev))
        return true;
    for (const char *const *w = label_words; *w; w++)
        if (g_ascii_strcasecmp(prev, *w) == 0)
            return false;
    return true;
}

/* Rule 3: "No. 25-md-3143", "Nos. 5, 6": a number follows. */
static bool rule_number(const seg_ctx *c, const brk_site *b)
{
    static const char *const no[] = {"No", "Nos", NULL};

    (void)c;
    return b->next < b->n && u_isdigit(b->text[b->next]) &&
           token_is(b, no, true);
}

/* Rule 4: case names, "Smith v. Jones", "Roe vs. Wade". */
static bool rule_versus(const seg_ctx *c, const brk_site *b)
{
    static const char *const vs[] = {"v", "vs", NULL};

    (void)c;
    return token_is(b, vs, true);
}

/* Rule 5: dotted initialisms of capitals, "S.D.N.Y.", "U.S.C.",
 * "D.N.J.", "E.D." (parts of one capital and at most one lower-case
 * letter).  Lower-case ones ("p.m.", "i.e.") are left to the list. */
static bool rule_initialism(const seg_ctx *c, const brk_site *b)
{
    int parts = 0, len = 0;

    (void)c;
    for (int32_t i = b->tok; i <= b->dot; i++) {
        UChar ch = i < b->dot ? b->text[i] : '.';

        if (ch == '.') {
            if (len == 0)
                return false;
            parts++;
            len = 0;
        } else if (len == 0 ? u_isupper(ch) : (len == 1 && u_islower(ch))) {
            len++;
        } else {
            return false;
        }
    }
    return parts >= 2;
}

/* Rule 6: "5:00 p.m. Eastern Time", "5:00 p.m. (Eastern) on Friday",
 * "5:00 p.m. on Friday, June 6": a time zone, in brackets or not, or a
 * word in lower case after the time goes on with the sentence. */
static bool rule_clock(const seg_ctx *c, const brk_site *b)
{
    static const char *const clock[] = {"a.m", "p.m", NULL};
    int32_t e = b->next;
    char next[MAX_TOKEN * 3 + 1];

    (void)c;
    if (!token_is(b, clock, true))
        return false;
    if (e < b->n && u_islower(b->text[e]))
        return true;
    if (e < b->n && b->text[e] == '(')
        e++;
    {
        int32_t from = e;
        while (e < b->n && e - from < MAX_TOKEN && u_isalpha(b->text[e]))
            e++;
        if (!span_utf8(b->text, from, e, next, sizeof next))
            return false;
    }
    for (const char *const *z = zone_words; *z; z++)
        if (strcmp(next, *z) == 0)
            return true;
    return false;
}

/* Rule 7: the sentence so far is only an enumerator, "1." "IV." "a."
 * at the start of a numbered paragraph. */
static bool rule_enumerator(const seg_ctx *c, const brk_site *b)
{
    int32_t len = b->dot - b->tok;
    bool digits = true, roman = true;

    (void)c;
    if (b->tok != b->sent || len < 1 || len > 6)
        return false;
    for (int32_t i = b->tok; i < b->dot; i++) {
        digits = digits && u_isdigit(b->text[i]);
        roman = roman && b->text[i] != 0 && b->text[i] < 0x80 &&
                strchr("ivxlcIVXLC", (char)b->text[i]) != NULL;
    }
    return (digits && len <= 3) || roman ||
           (len == 1 && u_isalpha(b->text[b->tok]));
}

typedef struct keep_rule {
    const char *name;
    bool (*applies)(const seg_ctx *c, const brk_site *b);
} keep_rule;

/* Breaks after a period that do not end the sentence.  Any other break
 * of ICU's iterator stands ("§ 1746. The" and "2025. OpenAI" split). */
static const keep_rule keep_rules[] = {
    {"listed abbreviation", rule_listed},
    {"single capital initial", rule_initial},
    {"No. before a number", rule_number},
    {"v. in a case name", rule_versus},
    {"dotted initialism", rule_initialism},
    {"a.m./p.m. before a time zone", rule_clock},
    {"enumerator", rule_enumerator},
};

static bool keep_together(const seg_ctx *c, const UChar *text, int32_t n,
                          int32_t from, int32_t at)
{
    brk_site b = {text, n, 0, 0, at, from};
    int32_t p = at;

    while (b.sent < at && is_space(text[b.sent]))
        b.sent++;
    while (p > 0 && is_space(text[p - 1]))
        p--;
    if (p == 0 || text[p - 1] != '.')
        return false;
    b.dot = p - 1;
    if ((b.tok = token_start(text, b.dot)) < 0)
        return false;
    while (b.tok < b.dot && is_opener(text[b.tok]))
        b.tok++;
    if (b.tok == b.dot)
        return false;
    while (b.next < n && is_space(text[b.next]))
        b.next++;
    for (size_t i = 0; i < G_N_ELEMENTS(keep_rules); i++)
        if (keep_rules[i].applies(c, &b))
            return true;
    return false;
}

static void emit_sentence(seg_ctx *c, const UChar *text, int32_t base,
                          int32_t s, int32_t e, int block)
{
    od_sentence sen;

    while (s < e && is_space(text[s]))
        s++;
    while (e > s && is_space(text[e - 1]))
        e--;
    if (e <= s)
        return;
    sen.start = base + s;
    sen.end = base + e;
    sen.block = block;
    g_array_append_val(c->sentences, sen);
}

static bool split_block(seg_ctx *c, od_block *blk, int index)
{
    int32_t n = blk->end - blk->start, s = 0, b;
    UErrorCode err = U_ZERO_ERROR;

    blk->first_sentence = (int)c->sentences->len;
    blk->n_sentences = 0;
    if (n <= 0)
        return true;
    if (n > c->scratch_cap) {
        c->scratch_cap = MAX(n, c->scratch_cap * 2);
        c->scratch = g_renew(UChar, c->scratch, c->scratch_cap);
    }
    /* Line breaks inside a paragraph are hard breaks for ICU; a paragraph
     * runs on across its lines, so they become spaces (offsets kept). */
    for (int32_t i = 0; i < n; i++) {
        UChar ch = c->t->buf[blk->start + i];

        c->scratch[i] = (ch == '\n' || ch == '\r' || ch == 0x85 ||
                         ch == 0x2028 || ch == 0x2029) ? ' ' : ch;
    }
    ubrk_setText(c->brk, c->scratch, n, &err);
    if (U_FAILURE(err)) {
        od_set_msg(c->msg, "ubrk_setText: %s", u_errorName(err));
        return false;
    }
    ubrk_first(c->brk);
    while ((b = ubrk_next(c->brk)) != UBRK_DONE && b < n) {
        if (keep_together(c, c->scratch, n, s, b))
            continue;
        emit_sentence(c, c->scratch, blk->start, s, b, index);
        s = b;
    }
    emit_sentence(c, c->scratch, blk->start, s, n, index);
    blk->n_sentences = (int)c->sentences->len - blk->first_sentence;
    return true;
}

/* ------------------------------------------------------------------ */
/* Setup and the entry point                                           */

static void add_abbrev(seg_ctx *c, const char *entry)
{
    GString *norm = g_string_new(NULL);
    const char *p = entry;
    int words = 1;

    /* Collapse white space, drop a final period given by mistake. */
    while (*p && g_ascii_isspace(*p))
        p++;
    for (; *p; p++) {
        if (g_ascii_isspace(*p)) {
            if (norm->len && norm->str[norm->len - 1] != ' ')
                g_string_append_c(norm, ' ');
        } else {
            g_string_append_c(norm, *p);
        }
    }
    while (norm->len && (norm->str[norm->len - 1] == ' ' ||
                         norm->str[norm->len - 1] == '.'))
        g_string_truncate(norm, norm->len - 1);
    if (norm->len == 0) {
        g_string_free(norm, TRUE);
        return;
    }
    for (const char *q = norm->str; *q; q++)
        words += *q == ' ';
    if (words > c->max_words)
        c->max_words = MIN(words, 4);
    g_hash_table_add(c->abbrev_upper, g_utf8_strup(norm->str, -1));
    g_hash_table_add(c->abbrev, g_string_free(norm, FALSE));
}

static void ctx_clear(seg_ctx *c)
{
    od_line_matcher_free(c->cues);
    g_free(c->rule_cue);
    if (c->brk)
        ubrk_close(c->brk);
    if (c->abbrev)
        g_hash_table_destroy(c->abbrev);
    if (c->abbrev_upper)
        g_hash_table_destroy(c->abbrev_upper);
    g_free(c->scratch);
    if (c->sentences)
        g_array_free(c->sentences, TRUE);
}

static bool ctx_init(seg_ctx *c, const od_text *t, const od_grammar_set *g,
                     const char *const *abbrevs, char **msg)
{
    UErrorCode err = U_ZERO_ERROR;

    memset(c, 0, sizeof *c);
    c->t = t;
    c->msg = msg;
    c->max_words = 1;
    c->abbrev = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    c->abbrev_upper =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    c->sentences = g_array_new(FALSE, FALSE, sizeof(od_sentence));
    for (; abbrevs && *abbrevs; abbrevs++)
        add_abbrev(c, *abbrevs);
    if (g) {
        size_t n;
        if (!(c->cues = od_line_matcher_new(g, "segment", msg)))
            return false;
        n = od_line_matcher_n_rules(c->cues);
        c->rule_cue = g_new0(unsigned, n + 1);
        for (size_t i = 0; i < n; i++) {
            const char *name = od_rule_set_value(od_line_matcher_rule(c->cues, i), "cue");
            for (size_t k = 0; name && k < G_N_ELEMENTS(cue_names); k++)
                if (strcmp(name, cue_names[k].name) == 0)
                    c->rule_cue[i] = cue_names[k].cue;
        }
    }
    c->brk = ubrk_open(UBRK_SENTENCE, "en_US", NULL, 0, &err);
    if (U_FAILURE(err)) {
        od_set_msg(msg, "ubrk_open: %s", u_errorName(err));
        return false;
    }
    return true;
}

/* The next paragraph that is not a footnote, or NULL. */
static const para_info *next_body(const od_text *t, const para_info *info,
                                  size_t i)
{
    for (size_t j = i + 1; j < t->n_paras; j++)
        if (!(t->paras[j].flags & OD_PARA_FOOTNOTE))
            return &info[j];
    return NULL;
}

od_segments *od_segment(const od_text *t, const od_grammar_set *g,
                        const char *const *abbrevs, char **msg)
{
    seg_ctx c;
    para_info *info = NULL;
    od_block_kind *kind = NULL;
    od_segments *s = NULL;
    float left = 0, right = 0;
    size_t n;

    if (!t) {
        od_set_msg(msg, "no text to segment");
        return NULL;
    }
    if (!ctx_init(&c, t, g, abbrevs, msg))
        goto fail;
    n = t->n_paras;
    info = g_new0(para_info, n ? n : 1);
    kind = g_new(od_block_kind, n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        const od_para *p = &t->paras[i];

        info[i].start = CLAMP(p->start, 0, t->len);
        info[i].end = CLAMP(p->end, info[i].start, t->len);
        info[i].page = p->page;
        measure(t, p, &info[i]);
        if (!compute_cues(&c, &info[i]))
            goto fail;
        kind[i] = (p->flags & OD_PARA_FOOTNOTE) ? OD_BLOCK_FOOTNOTE : UNSET;
    }
    mark_caption(t, info, kind);
    mark_signatures(t, info, kind);
    body_margins(t, info, kind, &left, &right);

    s = g_new0(od_segments, 1);
    s->n_blocks = n;
    s->blocks = g_new0(od_block, n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        od_block *b = &s->blocks[i];

        b->start = info[i].start;
        b->end = info[i].end;
        b->para = (int)i;
        b->kind = kind[i] != UNSET
                      ? kind[i]
                      : classify_rest(&t->paras[i], &info[i],
                                      next_body(t, info, i), left, right);
        if (!split_block(&c, b, (int)i))
            goto fail;
    }
    s->n_sentences = c.sentences->len;
    s->sentences = (od_sentence *)(void *)g_array_free(c.sentences, FALSE);
    c.sentences = NULL;
    ctx_clear(&c);
    g_free(info);
    g_free(kind);
    return s;

fail:
    ctx_clear(&c);
    g_free(info);
    g_free(kind);
    od_segments_free(s);
    return NULL;
}

void od_segments_free(od_segments *s)
{
    if (!s)
        return;
    g_free(s->blocks);
    g_free(s->sentences);
    g_free(s);
}

/*
 * text.c - stage 2 of the pipeline: clean text with a map back to the page.
 *
 * Takes the glyphs of stage 1 (pdf.c) and builds an od_text: one UTF-16
 * buffer of clean text split into paragraphs, body first and footnotes
 * after, each code unit mapped back to its page and box.  On the way it
 * normalises Unicode (ICU), rejoins letter-spaced words, removes page
 * furniture (ECF stamps, running headers and footers, page numbers, the
 * line numbers of pleading paper), joins words hyphenated across lines,
 * joins the lines of a paragraph and finds paragraph breaks from the
 * geometry.  od_text_from_utf8 builds the same structure from plain text
 * for tests, fuzzing and .txt input.  Stage 3 (segment.c) reads the result.
 *
 * Choices worth knowing:
 * - Normalisation: NFKC only for the alphabetic presentation forms
 *   (ligatures such as U+FB01 "fi") and the half/full-width forms, NFC for
 *   everything else, so "§", "½" and "…" stay as printed.  Odd spaces
 *   become ' ', curly quotes become ' and ", soft hyphens and zero-width
 *   characters are dropped.  The hyphen-like U+2010, U+2011, U+2012 and
 *   the minus sign become '-'; en and em dashes are kept as they are
 *   because they carry meaning ("pp. 16–20", a parenthetical "—").
 * - A word broken by a line-end hyphen is joined ("conclu-" + "sion") when
 *   the part before the hyphen is all letters, is not a prefix that takes
 *   a hyphen ("non", "pre", "self", "co", "re", ...) and the next line
 *   starts with a lower-case letter; otherwise the hyphen stays and the
 *   lines are joined without a space ("Smith-" + "Jones").
 * - Synthetic characters (the space joining two lines, the "\n\n" between
 *   paragraphs) have no position.
 * - The position map costs 10 bytes per UTF-16 unit: the page as 16 bits
 *   and the box as four 16-bit quarter points.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "ordex_p.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

/* ------------------------------------------------------------------ */
/* Position map                                                        */

typedef struct od_pos {
    uint16_t page;          /* 1-based; 0: no position (synthetic) */
    int16_t x0, y0, x1, y1; /* quarter points */
} od_pos;

struct od_posmap {
    od_pos *pos;     /* t->len entries, NULL for text input */
    int32_t *trail;  /* sorted indices of trail surrogates of pairs */
    size_t n_trail;
};

static const od_pos NO_POS = {0, 0, 0, 0, 0};

static int16_t quarter(float v)
{
    float q = roundf(v * 4.0f);

    if (!(q == q))
        return 0;
    if (q > 32767.0f)
        return 32767;
    if (q < -32768.0f)
        return -32768;
    return (int16_t)q;
}

static od_pos pos_of(int page, const od_box *b)
{
    od_pos p;

    p.page = page > 0 && page <= 65535 ? (uint16_t)page : 0;
    p.x0 = quarter(b->x0);
    p.y0 = quarter(b->y0);
    p.x1 = quarter(b->x1);
    p.y1 = quarter(b->y1);
    return p;
}

static od_box box_of(const od_pos *p)
{
    od_box b = {p->x0 / 4.0f, p->y0 / 4.0f, p->x1 / 4.0f, p->y1 / 4.0f};
    return b;
}

/* ------------------------------------------------------------------ */
/* Output: the text buffer and its map                                 */

typedef struct out_t {
    GArray *u;   /* UChar */
    GArray *pos; /* od_pos, NULL when there are no positions */
} out_t;

static void out_init(out_t *o, bool with_pos)
{
    o->u = g_array_new(FALSE, FALSE, sizeof(UChar));
    o->pos = with_pos ? g_array_new(FALSE, FALSE, sizeof(od_pos)) : NULL;
}

static void out_clear(out_t *o)
{
    if (o->u)
        g_array_free(o->u, TRUE);
    if (o->pos)
        g_array_free(o->pos, TRUE);
    o->u = o->pos = NULL;
}

static int32_t out_len(const out_t *o)
{
    return (int32_t)o->u->len;
}

static UChar out_last(const out_t *o)
{
    return o->u->len ? g_array_index(o->u, UChar, o->u->len - 1) : 0;
}

static void out_put(out_t *o, UChar c, const od_pos *p)
{
    g_array_append_val(o->u, c);
    if (o->pos)
        g_array_append_val(o->pos, *p);
}

static void out_truncate(out_t *o, int32_t n)
{
    g_array_set_size(o->u, (guint)n);
    if (o->pos)
        g_array_set_size(o->pos, (guint)n);
}

static void out_append(out_t *o, const out_t *src, int32_t from, int32_t to)
{
    if (to <= from)
        return;
    g_array_append_vals(o->u, &g_array_index(src->u, UChar, from),
                        (guint)(to - from));
    if (o->pos)
        g_array_append_vals(o->pos, &g_array_index(src->pos, od_pos, from),
                            (guint)(to - from));
}

/* ------------------------------------------------------------------ */
/* Character normalisation                                             */

static const UNormalizer2 *nfc_instance(void)
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *n = unorm2_getNFCInstance(&st);

    return U_FAILURE(st) ? NULL : n;
}

static const UNormalizer2 *nfkc_instance(void)
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *n = unorm2_getNFKCInstance(&st);

    return U_FAILURE(st) ? NULL : n;
}

static bool is_private_use(UChar32 c)
{
    return (c >= 0xE000 && c <= 0xF8FF) || c >= 0xF0000;
}

/* Clean form of one character into dst (room for 8 units); returns the
 * number of units, 0 when the character is dropped.  *bad counts the
 * characters that suggest an undecodable text layer. */
static int norm_char(UChar32 c, UChar *dst, int *bad)
{
    int n = 0;

    if (c < 0 || c > 0x10FFFF || U_IS_SURROGATE(c)) {
        (*bad)++;
        dst[0] = 0xFFFD;
        return 1;
    }
    switch (c) {
    case 0x00AD: /* soft hyphen */
    case 0x200B: case 0x200C: case 0x200D: case 0x200E: case 0x200F:
    case 0x2060: case 0xFEFF: /* zero-width and direction marks */
        return 0;
    case '\t': case 0x00A0: case 0x1680: case 0x202F: case 0x205F:
    case 0x3000:
        dst[0] = ' ';
        return 1;
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032:
        dst[0] = '\'';
        return 1;
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033:
        dst[0] = '"';
        return 1;
    case 0x2010: case 0x2011: case 0x2012: case 0x2212:
        dst[0] = '-';
        return 1;
    case 0xFFFD:
        (*bad)++;
        dst[0] = 0xFFFD;
        return 1;
    default:
        break;
    }
    if (c >= 0x2000 && c <= 0x200A) {
        dst[0] = ' ';
        return 1;
    }
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
        (*bad)++;
        return 0;
    }
    if (is_private_use(c))
        (*bad)++;
    if ((c >= 0xFB00 && c <= 0xFB4F) || (c >= 0xFF01 && c <= 0xFFEE)) {
        const UNormalizer2 *nfkc = nfkc_instance();
        UChar src[2];
        int32_t len = 0;
        UErrorCode st = U_ZERO_ERROR;

        U16_APPEND_UNSAFE(src, len, c);
        if (nfkc) {
            int32_t k = unorm2_normalize(nfkc, src, len, dst, 8, &st);
            if (U_SUCCESS(st) && k > 0 && k <= 8)
                return k;
        }
    }
    U16_APPEND_UNSAFE(dst, n, c);
    return n;
}

/* A line under construction: UTF-16 units with one position each. */
typedef struct lbuf {
    GArray *u;   /* UChar */
    GArray *pos; /* od_pos */
    GArray *tmp; /* UChar scratch for NFC */
} lbuf;

/* Applies NFC to the line in place.  Most lines are already NFC, which
 * costs one quick check; otherwise each normalisation segment is
 * normalised alone and its output mapped to the segment's first unit. */
static void lbuf_nfc(lbuf *lb)
{
    const UNormalizer2 *nfc = nfc_instance();
    UErrorCode st = U_ZERO_ERROR;
    const UChar *s = (const UChar *)lb->u->data;
    int32_t n = (int32_t)lb->u->len, i = 0;
    GArray *nu, *np;

    if (!nfc || n == 0)
        return;
    if (unorm2_quickCheck(nfc, s, n, &st) == UNORM_YES || U_FAILURE(st))
        return;
    nu = g_array_sized_new(FALSE, FALSE, sizeof(UChar), (guint)n);
    np = g_array_sized_new(FALSE, FALSE, sizeof(od_pos), (guint)n);
    while (i < n) {
        int32_t j = i, k, cap;
        UChar32 c;

        U16_NEXT(s, j, n, c);
        while (j < n) {
            int32_t jj = j;
            U16_NEXT(s, jj, n, c);
            if (unorm2_hasBoundaryBefore(nfc, c))
                break;
            j = jj;
        }
        cap = (j - i) * 4 + 8;
        g_array_set_size(lb->tmp, (guint)cap);
        st = U_ZERO_ERROR;
        k = unorm2_normalize(nfc, s + i, j - i, (UChar *)lb->tmp->data, cap,
                             &st);
        if (U_FAILURE(st) || k < 0) {
            /* keep the segment as it is */
            g_array_append_vals(nu, s + i, (guint)(j - i));
            g_array_append_vals(np, &g_array_index(lb->pos, od_pos, i),
                                (guint)(j - i));
        } else {
            const od_pos *p = &g_array_index(lb->pos, od_pos, i);
            g_array_append_vals(nu, lb->tmp->data, (guint)k);
            for (int32_t m = 0; m < k; m++)
                g_array_append_val(np, *p);
        }
        i = j;
    }
    g_array_free(lb->u, TRUE);
    g_array_free(lb->pos, TRUE);
    lb->u = nu;
    lb->pos = np;
}

static void lbuf_put(lbuf *lb, UChar32 c, const od_pos *p, int *bad)
{
    UChar tmp[8];
    int n = norm_char(c, tmp, bad);

    for (int i = 0; i < n; i++) {
        /* collapse runs of spaces */
        if (tmp[i] == ' ' && (lb->u->len == 0
                              || g_array_index(lb->u, UChar, lb->u->len - 1) == ' '))
            continue;
        g_array_append_val(lb->u, tmp[i]);
        g_array_append_val(lb->pos, *p);
    }
}

static void lbuf_trim_end(lbuf *lb)
{
    while (lb->u->len && g_array_index(lb->u, UChar, lb->u->len - 1) == ' ') {
        g_array_set_size(lb->u, lb->u->len - 1);
        g_array_set_size(lb->pos, lb->pos->len - 1);
    }
}

/* ------------------------------------------------------------------ */
/* Joining lines into paragraphs                                       */

/* Prefixes that keep their hyphen at a line end ("non-" + "party"). */
static const char *const HYPHEN_PREFIXES[] = {
    "anti", "co", "counter", "cross", "ex", "inter", "intra", "multi",
    "non", "post", "pre", "pro", "quasi", "re", "self", "semi", "sub",
    "super", "well", NULL,
};

static bool is_hyphen_prefix(const UChar *w, int32_t n)
{
    char a[16];

    if (n <= 0 || n >= (int32_t)sizeof a)
        return false;
    for (int32_t i = 0; i < n; i++) {
        if (w[i] > 0x7F)
            return false;
        a[i] = g_ascii_tolower((char)w[i]);
    }
    a[n] = '\0';
    for (int i = 0; HYPHEN_PREFIXES[i]; i++)
        if (strcmp(a, HYPHEN_PREFIXES[i]) == 0)
            return true;
    return false;
}

static UChar32 first_cp(const GArray *u)
{
    UChar32 c = 0;
    int32_t i = 0;

    if (u->len == 0)
        return 0;
    U16_NEXT((const UChar *)u->data, i, (int32_t)u->len, c);
    return c;
}

/* Lower-case UTF-8 of the letters s[from, to). */
static char *lower_word(const UChar *s, int32_t from, int32_t to)
{
    GString *w = g_string_sized_new((gsize)(to - from) + 1);
    int32_t i = from;

    while (i < to) {
        UChar32 c;
        U16_NEXT(s, i, to, c);
        g_string_append_unichar(w, (gunichar)u_tolower(c));
    }
    return g_string_free(w, FALSE);
}

/* Keeps the line-end hyphen of left + "-" + right?  The document's own
 * words decide first ("in-house" seen elsewhere keeps it, "conclusion"
 * seen elsewhere drops it); then the English word list (words.c): the
 * joined form a word ("re-" + "viewed", "inter-" + "nal") drops it, two
 * words that do not join into one ("attorney-" + "client", "in-" +
 * "house") keep it; else a prefix that takes a hyphen keeps it. */
static bool keep_hyphen(GHashTable *words, const UChar *left, int32_t nl,
                        const UChar *right, int32_t nr)
{
    bool keep = is_hyphen_prefix(left, nl);

    if (words && nl > 0 && nr > 0) {
        char *l = lower_word(left, 0, nl), *r = lower_word(right, 0, nr);
        char *joined = g_strconcat(l, r, NULL);
        char *hyph = g_strconcat(l, "-", r, NULL);
        bool j = g_hash_table_contains(words, joined);
        bool h = g_hash_table_contains(words, hyph);
        int known;
        if (h && !j)
            keep = true;
        else if (j && !h)
            keep = false;
        else if ((known = od_word_known(joined)) == 1)
            keep = false;
        else if (known == 0 && od_word_known(l) == 1 && od_word_known(r) == 1)
            keep = true; /* two words: "attorney-client", "in-house" */
        g_free(l);
        g_free(r);
        g_free(joined);
        g_free(hyph);
    }
    return keep;
}

/* Appends the line lb to the paragraph being built in o (which already
 * holds at least one line): handles the line-end hyphen (when words is
 * given) and the joining space. */
static void join_line(out_t *o, const lbuf *lb, GHashTable *words,
                      bool hyphens)
{
    int32_t n = out_len(o);
    const UChar *s = (const UChar *)o->u->data;
    UChar last = out_last(o);
    UChar32 next = first_cp(lb->u);

    if (lb->u->len == 0)
        return;
    if (hyphens && last == '-' && n >= 2 && u_isalpha(s[n - 2])) {
        const UChar *r = (const UChar *)lb->u->data;
        int32_t w = n - 1, nr = 0;
        bool letters = true;
        while (w > 0 && s[w - 1] != ' ') {
            if (!u_isalpha(s[w - 1]))
                letters = false;
            w--;
        }
        while (nr < (int32_t)lb->u->len && u_isalpha(r[nr]))
            nr++;
        if (letters && u_islower(next)
            && !keep_hyphen(words, s + w, n - 1 - w, r, nr))
            out_truncate(o, n - 1); /* "conclu-" + "sion" */
        /* else keep the hyphen, no space: "in-" + "house" */
    } else if (hyphens && (last == 0x2014 || last == 0x2013 || last == '/')
               && n >= 2 && s[n - 2] != ' ') {
        /* "arguments—" + "that", "and/" + "or" */
    } else if (last != ' ') {
        out_put(o, ' ', &NO_POS);
    }
    g_array_append_vals(o->u, lb->u->data, lb->u->len);
    if (o->pos)
        g_array_append_vals(o->pos, lb->pos->data, lb->pos->len);
}

/* ------------------------------------------------------------------ */
/* Paragraph records                                                   */

typedef struct para_acc {
    bool open;
    od_para p;
    GArray *sizes;      /* float, one per line */
    size_t glyphs, bold;
    bool all_centered;
} para_acc;

static bool has_lower_no_upper_check(const UChar *s, int32_t from, int32_t to,
                                     bool *has_letter)
{
    bool lower = false;
    int32_t i = from;

    *has_letter = false;
    while (i < to) {
        UChar32 c;
        U16_NEXT(s, i, to, c);
        if (u_isalpha(c)) {
            *has_letter = true;
            if (u_islower(c))
                lower = true;
        }
    }
    return lower;
}

/* Closes the open paragraph: fills its end, size and flags, appends it. */
static void para_close(para_acc *a, const out_t *o, GArray *paras)
{
    bool letter, lower;

    if (!a->open)
        return;
    a->open = false;
    a->p.end = out_len(o);
    if (a->p.end <= a->p.start)
        return; /* nothing written */
    if (a->sizes->len) {
        qsort(a->sizes->data, a->sizes->len, sizeof(float), od_cmp_float);
        a->p.size = g_array_index(a->sizes, float, a->sizes->len / 2);
    }
    if (a->glyphs && a->bold * 2 > a->glyphs)
        a->p.flags |= OD_PARA_BOLD;
    if (a->all_centered && a->p.page > 0)
        a->p.flags |= OD_PARA_CENTERED;
    lower = has_lower_no_upper_check((const UChar *)o->u->data, a->p.start,
                                     a->p.end, &letter);
    if (letter && !lower)
        a->p.flags |= OD_PARA_CAPS;
    g_array_append_val(paras, a->p);
}

static void para_open(para_acc *a, out_t *o, int page, uint32_t flags)
{
    if (out_len(o) > 0) {
        out_put(o, '\n', &NO_POS);
        out_put(o, '\n', &NO_POS);
    }
    memset(&a->p, 0, sizeof a->p);
    a->p.start = out_len(o);
    a->p.page = page;
    a->p.flags = flags;
    g_array_set_size(a->sizes, 0);
    a->glyphs = a->bold = 0;
    a->all_centered = true;
    a->open = true;
}

/* ------------------------------------------------------------------ */
/* Plain text input                                                    */

static od_text *text_new(void)
{
    od_text *t = g_new0(od_text, 1);

    t->warnings = g_ptr_array_new_with_free_func((GDestroyNotify)od_warning_free);
    t->map = g_new0(struct od_posmap, 1);
    return t;
}

/* Moves o and paras into t and builds the surrogate index. */
static void text_finish(od_text *t, out_t *o, GArray *paras)
{
    GArray *trail = g_array_new(FALSE, FALSE, sizeof(int32_t));
    UChar nul = 0;

    t->len = out_len(o);
    for (int32_t i = 1; i < t->len; i++) {
        UChar c = g_array_index(o->u, UChar, i);
        if (U16_IS_TRAIL(c) && U16_IS_LEAD(g_array_index(o->u, UChar, i - 1)))
            g_array_append_val(trail, i);
    }
    g_array_append_val(o->u, nul);
    /* give back the arrays' spare capacity (up to half of them) */
    t->buf = g_realloc(g_array_free(o->u, FALSE),
                       ((gsize)t->len + 1) * sizeof(UChar));
    t->map->pos = o->pos ? g_realloc(g_array_free(o->pos, FALSE),
                                     MAX((gsize)t->len, 1) * sizeof(od_pos))
                         : NULL;
    o->u = o->pos = NULL;
    t->map->n_trail = trail->len;
    t->map->trail = (int32_t *)(void *)g_array_free(trail, FALSE);
    t->n_paras = paras->len;
    t->paras = (od_para *)(void *)g_array_free(paras, FALSE);
}

static void lbuf_init(lbuf *lb)
{
    lb->u = g_array_new(FALSE, FALSE, sizeof(UChar));
    lb->pos = g_array_new(FALSE, FALSE, sizeof(od_pos));
    lb->tmp = g_array_new(FALSE, FALSE, sizeof(UChar));
}

static void lbuf_reset(lbuf *lb)
{
    g_array_set_size(lb->u, 0);
    g_array_set_size(lb->pos, 0);
}

static void lbuf_clear(lbuf *lb)
{
    g_array_free(lb->u, TRUE);
    g_array_free(lb->pos, TRUE);
    g_array_free(lb->tmp, TRUE);
}

static char *lbuf_utf8(const lbuf *lb)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t need = 0;
    char *s;

    u_strToUTF8WithSub(NULL, 0, &need, (const UChar *)lb->u->data,
                       (int32_t)lb->u->len, 0xFFFD, NULL, &st);
    s = g_malloc((gsize)need + 1);
    st = U_ZERO_ERROR;
    u_strToUTF8WithSub(s, need + 1, NULL, (const UChar *)lb->u->data,
                       (int32_t)lb->u->len, 0xFFFD, NULL, &st);
    if (U_FAILURE(st))
        s[0] = '\0';
    s[need] = '\0';
    return s;
}

od_text *od_text_from_utf8(const char *utf8, size_t len, char **msg)
{
    const char *bad_at = NULL, *p, *end;
    od_text *t;
    out_t o;
    lbuf lb;
    GArray *paras;
    para_acc acc;
    int page = 1, n_ff = 0, bad = 0, lines = 0;
    bool content_after_ff = false;

    if (!utf8 && len) {
        od_set_msg(msg, "invalid UTF-8 at byte 0");
        return NULL;
    }
    if (len > (size_t)G_MAXINT32 / 2) {
        od_set_msg(msg, "text too long");
        return NULL;
    }
    if (len && !g_utf8_validate(utf8, (gssize)len, &bad_at)) {
        od_set_msg(msg, "invalid UTF-8 at byte %zu", (size_t)(bad_at - utf8));
        return NULL;
    }
    for (size_t i = 0; i < len; i++) {
        if (utf8[i] == '\f') {
            n_ff++;
            content_after_ff = false;
        } else if (!g_ascii_isspace(utf8[i])) {
            content_after_ff = true;
        }
    }

    t = text_new();
    t->n_pages = n_ff ? n_ff + (content_after_ff ? 1 : 0) : 0;
    if (t->n_pages == 0 && n_ff)
        t->n_pages = 1;
    if (t->n_pages > 0)
        t->ecf = g_new0(od_ecf, t->n_pages);
    out_init(&o, false);
    lbuf_init(&lb);
    paras = g_array_new(FALSE, FALSE, sizeof(od_para));
    memset(&acc, 0, sizeof acc);
    acc.sizes = g_array_new(FALSE, FALSE, sizeof(float));

    p = utf8 ? utf8 : "";
    end = p + len;
    while (p <= end) {
        gunichar c = p < end ? g_utf8_get_char(p) : '\n';
        bool eol = c == '\n' || c == '\f' || p == end;

        if (!eol) {
            if (c != '\r')
                lbuf_put(&lb, (UChar32)c, &NO_POS, &bad);
            p = g_utf8_next_char(p);
            continue;
        }
        lbuf_trim_end(&lb);
        lbuf_nfc(&lb);
        if (lb.u->len == 0) {
            para_close(&acc, &o, paras);
        } else {
            char *s = lbuf_utf8(&lb);
            od_ecf e;
            /* a stamp line in pdftotext output is furniture */
            if (od_ecf_parse(s, strlen(s), &e)) {
                if (t->ecf && page <= t->n_pages
                    && !t->ecf[page - 1].case_number[0])
                    t->ecf[page - 1] = e;
            } else if (acc.open) {
                join_line(&o, &lb, NULL, false);
                acc.p.n_lines++;
            } else {
                para_open(&acc, &o, t->n_pages ? page : 0, 0);
                out_append(&o, &(out_t){lb.u, NULL}, 0, (int32_t)lb.u->len);
                acc.p.n_lines = 1;
                acc.all_centered = false;
            }
            g_free(s);
            lines++;
        }
        lbuf_reset(&lb);
        if (c == '\f') {
            para_close(&acc, &o, paras);
            page++;
        }
        if (p == end)
            break;
        p = g_utf8_next_char(p);
    }
    para_close(&acc, &o, paras);
    (void)lines;
    text_finish(t, &o, paras);
    g_array_free(acc.sizes, TRUE);
    lbuf_clear(&lb);
    return t;
}

void od_text_free(od_text *t)
{
    if (!t)
        return;
    g_free(t->buf);
    g_free(t->paras);
    g_free(t->ecf);
    g_free(t->trust);
    if (t->warnings)
        g_ptr_array_unref(t->warnings);
    if (t->map) {
        g_free(t->map->pos);
        g_free(t->map->trail);
        g_free(t->map);
    }
    g_free(t);
}

/* ------------------------------------------------------------------ */
/* PDF input: lines                                                    */

enum {
    ROLE_BODY = 0,
    ROLE_STAMP,     /* ECF stamp */
    ROLE_FURNITURE, /* running header/footer, page number */
    ROLE_FOOTNOTE,
    ROLE_DROP,      /* nothing left (margin number only, undecodable) */
};

typedef struct line_t {
    uint32_t g0, g1;  /* glyph range on the page, without '\n', trimmed */
    od_box box;       /* union of the non-space glyphs */
    float size;       /* median glyph size */
    float bold;       /* share of bold glyphs */
    uint32_t n;       /* non-space glyphs */
    uint8_t role;
    bool moved;       /* a margin number glued to it was stripped */
    int16_t fn;       /* footnote marker: -1 none, 0 symbol, >0 number */
    uint32_t fn_skip; /* first glyph after the footnote marker */

    /* What the second pass needs of the glyphs, taken in the first so
     * that a page's glyphs are freed as soon as it is read: */
    bool sep;          /* separator_glyphs() */
    bool page_number;  /* a band line that is a page number alone */
    const char *key;   /* band line: band_key() (in the builder's chunk) */
    uint32_t n_text, n_bad; /* non-space glyphs, undecodable ones */
    gunichar first_ch; /* first glyph and its size */
    float first_size;
    uint8_t lead;      /* LEAD_*: what the line starts with */
    uint32_t lead_end; /* first glyph after the leading symbols or digits */
    int lead_value;    /* the leading digits' value (up to 3 digits) */
    bool lead_more_digit, lead_space_after;
    /* The line converted (convert_line) from g0 and, when it starts with
     * a possible footnote marker, from lead_end: offsets into the page's
     * conv_u/conv_pos, and the right edge of the first word. */
    uint32_t conv[2], conv_len[2];
    float conv_wx1[2];
} line_t;

enum { LEAD_NONE = 0, LEAD_SYMBOL, LEAD_DIGITS };

typedef struct page_t {
    /* While the page is added: the caller's page.  After: hdr, a copy
     * without glyphs (the glyph fields are NULL and 0). */
    const od_pdf_page *pg;
    od_pdf_page hdr;
    size_t n_glyphs;  /* as loaded */
    GArray *lines; /* line_t */
    GArray *conv_u;   /* UChar: the converted lines (while added) */
    GArray *conv_pos; /* od_pos */
    UChar *cu;        /* the same, at their exact size (after) */
    od_pos *cpos;
    size_t n_conv;
    bool stamp;
    float left, right, pitch;
} page_t;

typedef struct ctx_t {
    GArray *fl;   /* float scratch */
    GArray *tok;  /* tok_t scratch */
    GArray *idx;  /* guint scratch */
    GString *s;   /* UTF-8 scratch */
    lbuf lb;
} ctx_t;

typedef struct tok_t {
    uint32_t s, e; /* glyph range */
    bool alnum;
    bool join;     /* no space before this token */
} tok_t;

static bool glyph_space(gunichar c)
{
    return c == ' ' || c == '\t' || c == 0xA0 || (c >= 0x2000 && c <= 0x200B)
           || c == 0x202F || c == 0x205F || c == 0x3000 || c == '\r';
}

static bool glyph_bad(gunichar c)
{
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0xFFFD
           || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF
           || is_private_use((UChar32)c);
}

static void measure_line(const od_pdf_page *pg, line_t *l, GArray *fl)
{
    size_t bold = 0;
    bool first = true;

    while (l->g0 < l->g1 && glyph_space(pg->glyphs[l->g0].ch))
        l->g0++;
    while (l->g1 > l->g0 && glyph_space(pg->glyphs[l->g1 - 1].ch))
        l->g1--;
    g_array_set_size(fl, 0);
    l->n = 0;
    for (uint32_t i = l->g0; i < l->g1; i++) {
        const od_glyph *g = &pg->glyphs[i];
        float sz;
        if (glyph_space(g->ch))
            continue;
        if (first) {
            l->box = g->box;
            first = false;
        } else {
            l->box.x0 = MIN(l->box.x0, g->box.x0);
            l->box.y0 = MIN(l->box.y0, g->box.y0);
            l->box.x1 = MAX(l->box.x1, g->box.x1);
            l->box.y1 = MAX(l->box.y1, g->box.y1);
        }
        sz = g->size > 0 ? g->size : (g->box.y1 - g->box.y0);
        g_array_append_val(fl, sz);
        if (g->flags & OD_GLYPH_BOLD)
            bold++;
        l->n++;
    }
    if (fl->len) {
        qsort(fl->data, fl->len, sizeof(float), od_cmp_float);
        l->size = g_array_index(fl, float, fl->len / 2);
    } else {
        l->size = 0;
    }
    if (l->size <= 0)
        l->size = 10.0f;
    l->bold = l->n ? (float)bold / (float)l->n : 0.0f;
}

/* Is the Poppler line [a, b) set vertically (the rotated "United States
 * District Court" down the margin of N.D. Cal. orders)? */
static bool vertical_run(const od_pdf_page *pg, uint32_t a, uint32_t b)
{
    const od_glyph *prev = NULL;
    unsigned pairs = 0, stacked = 0;

    for (uint32_t i = a; i < b; i++) {
        const od_glyph *g = &pg->glyphs[i];
        if (glyph_space(g->ch))
            continue;
        if (prev) {
            /* half a point, less for tiny glyphs: at 0.5 pt every glyph of
             * a horizontal line is within half a point of the last one */
            float span = MAX(g->box.x1 - g->box.x0, g->box.y1 - g->box.y0);
            float tol = MIN(0.5f, 0.25f * span);
            pairs++;
            if (fabsf(g->box.x0 - prev->box.x0) < tol
                && fabsf(g->box.x1 - prev->box.x1) < tol
                && (g->box.y0 >= prev->box.y1 - tol
                    || g->box.y1 <= prev->box.y0 + tol))
                stacked++;
        }
        prev = g;
    }
    return pairs >= 2 && stacked * 10 >= pairs * 6;
}

static void add_line(const od_pdf_page *pg, GArray *lines, GArray *fl,
                     uint32_t a, uint32_t b, uint8_t role)
{
    line_t l;

    memset(&l, 0, sizeof l);
    l.g0 = a;
    l.g1 = b;
    l.fn = -1;
    l.role = role;
    measure_line(pg, &l, fl);
    if (l.n > 0)
        g_array_append_val(lines, l);
}

/* Splits the glyphs of pg into lines at Poppler's '\n' and wherever a
 * glyph does not overlap the previous one vertically.  Vertical text is
 * kept as one line of furniture. */
static void split_lines(const od_pdf_page *pg, GArray *lines, GArray *fl)
{
    uint32_t a = 0;

    while (a < pg->n_glyphs) {
        uint32_t b = a, start;
        const od_glyph *prev = NULL;

        while (b < pg->n_glyphs && pg->glyphs[b].ch != '\n')
            b++;
        if (vertical_run(pg, a, b)) {
            add_line(pg, lines, fl, a, b, ROLE_FURNITURE);
        } else {
            start = a;
            for (uint32_t i = a; i < b; i++) {
                const od_glyph *g = &pg->glyphs[i];
                if (glyph_space(g->ch))
                    continue;
                if (prev && g->box.y1 > g->box.y0 && prev->box.y1 > prev->box.y0
                    && (g->box.y0 >= prev->box.y1 || g->box.y1 <= prev->box.y0)) {
                    add_line(pg, lines, fl, start, i, ROLE_BODY);
                    start = i;
                }
                prev = g;
            }
            add_line(pg, lines, fl, start, b, ROLE_BODY);
        }
        a = b + 1;
    }
}

static void raw_text(const od_pdf_page *pg, uint32_t g0, uint32_t g1,
                     GString *s)
{
    for (uint32_t i = g0; i < g1; i++) {
        gunichar c = pg->glyphs[i].ch;
        if (glyph_space(c)) {
            if (s->len && s->str[s->len - 1] != ' ')
                g_string_append_c(s, ' ');
        } else if (g_unichar_validate(c)) {
            g_string_append_unichar(s, c);
        }
    }
}

/* Adds the words of line l to words (lower case, inner hyphens kept:
 * "in-house"), for the hyphen decisions. */
static void collect_words(const od_pdf_page *pg, const line_t *l,
                          GHashTable *words, GString *w)
{
    g_string_truncate(w, 0);
    for (uint32_t i = l->g0; i <= l->g1; i++) {
        gunichar c = i < l->g1 ? pg->glyphs[i].ch : ' ';
        if (g_unichar_isalpha(c)) {
            g_string_append_unichar(w, g_unichar_tolower(c));
            continue;
        }
        if ((c == '-' || c == 0x2010 || c == 0x2011) && w->len && i + 1 < l->g1
            && g_unichar_isalpha(pg->glyphs[i + 1].ch)) {
            g_string_append_c(w, '-');
            continue;
        }
        if (w->len >= 2 && w->len < 64 && !g_hash_table_contains(words, w->str))
            g_hash_table_add(words, g_strdup(w->str));
        g_string_truncate(w, 0);
    }
}

/* ---- Pleading-paper and transcript line numbers ---- */

typedef struct margin_cand {
    guint line;
    int value;
    uint32_t after; /* first glyph after the digits */
    float x1, y;
} margin_cand;

static int cmp_cand_y(const void *a, const void *b)
{
    const margin_cand *x = a, *y = b;
    return (x->y > y->y) - (x->y < y->y);
}

/* The column of small numbers down the left margin (1..28 on California
 * pleading paper, 1..25 in transcripts): lone integers at a small x,
 * stacked and increasing downwards.  Poppler may put them on lines of
 * their own or glue them to the body line ("10UNITED STATES"). */
static void strip_margin_numbers(page_t *p, ctx_t *c)
{
    const od_pdf_page *pg = p->pg;
    GArray *cands = g_array_new(FALSE, FALSE, sizeof(margin_cand));
    float med;
    guint kept = 0, rising = 0;

    for (guint li = 0; li < p->lines->len; li++) {
        line_t *l = &g_array_index(p->lines, line_t, li);
        uint32_t i = l->g0, k;
        int v = 0;
        margin_cand mc;

        /* one or two adjacent ASCII digits */
        for (k = i; k < l->g1 && k < i + 2 && pg->glyphs[k].ch >= '0'
                    && pg->glyphs[k].ch <= '9';
             k++) {
            if (k > i && pg->glyphs[k].box.x0 - pg->glyphs[k - 1].box.x1
                             > 0.3f * l->size)
                break;
            v = v * 10 + (int)(pg->glyphs[k].ch - '0');
        }
        if (k == i || v < 1 || v > 60
            || pg->glyphs[k - 1].box.x1 > pg->width * 0.2)
            continue;
        if (k < l->g1) {
            uint32_t j = k;
            float gap;
            while (j < l->g1 && glyph_space(pg->glyphs[j].ch))
                j++;
            gap = j < l->g1 ? pg->glyphs[j].box.x0 - pg->glyphs[k - 1].box.x1
                            : 0.0f;
            /* "1. The Court" and "12 34" are text; the body starts well
             * to the right of a margin number */
            if (j < l->g1 && gap < MAX(0.6f * pg->glyphs[k - 1].size, 4.0f))
                continue;
        }
        mc.line = li;
        mc.value = v;
        mc.after = k;
        mc.x1 = pg->glyphs[k - 1].box.x1;
        mc.y = pg->glyphs[i].box.y0;
        g_array_append_val(cands, mc);
    }
    if (cands->len >= 6) {
        g_array_set_size(c->fl, 0);
        for (guint i = 0; i < cands->len; i++)
            g_array_append_val(c->fl, g_array_index(cands, margin_cand, i).x1);
        qsort(c->fl->data, c->fl->len, sizeof(float), od_cmp_float);
        med = g_array_index(c->fl, float, c->fl->len / 2);
        /* keep the column only */
        for (guint i = 0; i < cands->len; i++) {
            margin_cand *m = &g_array_index(cands, margin_cand, i);
            if (fabsf(m->x1 - med) <= 8.0f)
                g_array_index(cands, margin_cand, kept++) = *m;
        }
        g_array_set_size(cands, kept);
        qsort(cands->data, cands->len, sizeof(margin_cand), cmp_cand_y);
        for (guint i = 1; i < cands->len; i++)
            if (g_array_index(cands, margin_cand, i).value
                > g_array_index(cands, margin_cand, i - 1).value)
                rising++;
        if (kept >= 6 && rising * 10 >= (kept - 1) * 8) {
            for (guint i = 0; i < cands->len; i++) {
                margin_cand *m = &g_array_index(cands, margin_cand, i);
                line_t *l = &g_array_index(p->lines, line_t, m->line);
                l->g0 = m->after;
                measure_line(pg, l, c->fl);
                if (l->n == 0)
                    l->role = ROLE_DROP;
                else
                    l->moved = true;
            }
        }
    }
    g_array_free(cands, TRUE);
}

/* Poppler orders a line that had a margin number glued to it with the
 * column of numbers, away from its neighbours.  Puts each such line back
 * before the first line that follows it on the page: one to its right on
 * the same row, or one below it. */
static void reorder_moved(page_t *p)
{
    GArray *lines = p->lines, *out, *moved;
    guint n_moved = 0;

    for (guint i = 0; i < lines->len; i++)
        if (g_array_index(lines, line_t, i).moved)
            n_moved++;
    if (n_moved == 0 || (guint64)n_moved * lines->len > 4000000u)
        return;
    out = g_array_sized_new(FALSE, FALSE, sizeof(line_t), lines->len);
    moved = g_array_sized_new(FALSE, FALSE, sizeof(line_t), n_moved);
    for (guint i = 0; i < lines->len; i++) {
        const line_t *l = &g_array_index(lines, line_t, i);
        g_array_append_val(l->moved ? moved : out, *l);
    }
    for (guint i = 0; i < moved->len; i++) {
        const line_t *f = &g_array_index(moved, line_t, i);
        float fy = (f->box.y0 + f->box.y1) / 2;
        guint j;

        for (j = 0; j < out->len; j++) {
            const line_t *s = &g_array_index(out, line_t, j);
            float sy = (s->box.y0 + s->box.y1) / 2;
            if (s->role != ROLE_BODY)
                continue;
            if (fabsf(sy - fy) < 0.5f * f->size && s->box.x0 >= f->box.x1 - 1)
                break; /* same row, to the right */
            if (sy > fy + 0.5f * f->size)
                break; /* below */
        }
        g_array_insert_val(out, j, *f);
    }
    g_array_free(moved, TRUE);
    g_array_set_size(lines, 0);
    g_array_append_vals(lines, out->data, out->len);
    g_array_free(out, TRUE);
}

typedef struct block_t {
    guint first, n; /* run of lines in the current order */
    float y0, x0, x1, size;
} block_t;

static bool block_before(const block_t *a, const block_t *b)
{
    float tol = 0.5f * MAX(a->size, b->size);

    if (a->y0 < b->y0 - tol)
        return true;
    if (b->y0 < a->y0 - tol)
        return false;
    return a->x0 <= b->x0;
}

/* Reading order of the body lines of p.  Poppler's order is kept inside
 * blocks (runs of lines going down one column); the blocks are sorted by
 * their top, the left one first when two start on the same row.  This
 * mends Poppler putting a caption's right column after the first body
 * paragraph.  Other lines go to the end (they are not emitted in order). */
static void reading_order(page_t *p)
{
    GArray *lines = p->lines, *body, *rest, *blocks;
    block_t *bs;

    body = g_array_sized_new(FALSE, FALSE, sizeof(line_t), lines->len);
    rest = g_array_new(FALSE, FALSE, sizeof(line_t));
    for (guint i = 0; i < lines->len; i++) {
        const line_t *l = &g_array_index(lines, line_t, i);
        g_array_append_val(l->role == ROLE_BODY ? body : rest, *l);
    }
    blocks = g_array_new(FALSE, FALSE, sizeof(block_t));
    for (guint i = 0; i < body->len; i++) {
        const line_t *l = &g_array_index(body, line_t, i);
        block_t *b = blocks->len ? &g_array_index(blocks, block_t, blocks->len - 1)
                                 : NULL;
        bool cont = false;

        if (b) {
            const line_t *pl = &g_array_index(body, line_t, i - 1);
            float sz = MAX(l->size, pl->size);
            float cy = (l->box.y0 + l->box.y1) / 2, py = (pl->box.y0 + pl->box.y1) / 2;
            bool same_row = fabsf(cy - py) < 0.3f * sz;
            /* against the block's width: "INC.," then "Defendant." */
            bool overlap = l->box.x0 < b->x1 && b->x0 < l->box.x1;
            cont = (same_row && l->box.x0 >= pl->box.x1 - 1)
                   || (cy > py && l->box.y0 < pl->box.y1 + 3 * sz && overlap);
        }
        if (cont) {
            b->n++;
            b->y0 = MIN(b->y0, l->box.y0);
            b->x0 = MIN(b->x0, l->box.x0);
            b->x1 = MAX(b->x1, l->box.x1);
        } else {
            block_t nb = {i, 1, l->box.y0, l->box.x0, l->box.x1, l->size};
            g_array_append_val(blocks, nb);
        }
    }
    bs = (block_t *)(void *)blocks->data;
    if (blocks->len > 1 && blocks->len <= 500) {
        /* insertion sort: stable, and safe with the tolerance */
        for (guint i = 1; i < blocks->len; i++) {
            block_t cur = bs[i];
            guint j = i;
            while (j > 0 && !block_before(&bs[j - 1], &cur))
                j--;
            if (j < i) {
                memmove(&bs[j + 1], &bs[j], (i - j) * sizeof(block_t));
                bs[j] = cur;
            }
        }
    }
    g_array_set_size(lines, 0);
    for (guint i = 0; i < blocks->len; i++)
        g_array_append_vals(lines, &g_array_index(body, line_t, bs[i].first),
                            bs[i].n);
    g_array_append_vals(lines, rest->data, rest->len);
    g_array_free(blocks, TRUE);
    g_array_free(body, TRUE);
    g_array_free(rest, TRUE);
}

/* ---- Bands, stamps, page numbers, running headers ---- */

static bool in_top_band(const page_t *p, const line_t *l)
{
    return l->box.y0 < p->pg->height * 0.2;
}

static bool in_bottom_band(const page_t *p, const line_t *l)
{
    return l->box.y1 > p->pg->height * 0.86;
}

static bool in_band(const page_t *p, const line_t *l)
{
    return in_top_band(p, l) || in_bottom_band(p, l);
}

static int cmp_line_y(const void *a, const void *b, void *data)
{
    const GArray *lines = data;
    const line_t *x = &g_array_index(lines, line_t, *(const guint *)a);
    const line_t *y = &g_array_index(lines, line_t, *(const guint *)b);
    float cx = x->box.y0 + x->box.y1, cy = y->box.y0 + y->box.y1;

    if (cx != cy)
        return (cx > cy) - (cx < cy);
    if (x->box.x0 != y->box.x0)
        return (x->box.x0 > y->box.x0) - (x->box.x0 < y->box.x0);
    return (*(const guint *)a > *(const guint *)b)
           - (*(const guint *)a < *(const guint *)b);
}

static int cmp_line_x(const void *a, const void *b, void *data)
{
    const GArray *lines = data;
    const line_t *x = &g_array_index(lines, line_t, *(const guint *)a);
    const line_t *y = &g_array_index(lines, line_t, *(const guint *)b);

    if (x->box.x0 != y->box.x0)
        return (x->box.x0 > y->box.x0) - (x->box.x0 < y->box.x0);
    return (*(const guint *)a > *(const guint *)b)
           - (*(const guint *)a < *(const guint *)b);
}

/* Joins the lines idx[0..n) (sorted by x) into c->s; when y0 >= 0 only
 * the glyphs whose top is y0 (Poppler merges the words of two stamps
 * printed over each other into one line, so the split is by glyph). */
static void row_text(const page_t *p, ctx_t *c, const guint *idx, guint n,
                     float y0)
{
    g_string_truncate(c->s, 0);
    for (guint k = 0; k < n; k++) {
        const line_t *l = &g_array_index(p->lines, line_t, idx[k]);
        bool gap = true;
        for (uint32_t i = l->g0; i < l->g1; i++) {
            const od_glyph *g = &p->pg->glyphs[i];
            bool sp = glyph_space(g->ch);
            if (!sp && y0 >= 0 && fabsf(g->box.y0 - y0) > 0.05f) {
                gap = true;
                continue;
            }
            if (sp || gap) {
                if (c->s->len && c->s->str[c->s->len - 1] != ' ')
                    g_string_append_c(c->s, ' ');
                gap = false;
                if (sp)
                    continue;
            }
            if (g_unichar_validate(g->ch))
                g_string_append_unichar(c->s, g->ch);
        }
    }
}

/* Is "#:9345" or "PageID #: 12" - the end of a stamp wrapped below it. */
static bool stamp_tail(const char *s)
{
    while (*s == ' ')
        s++;
    if (g_ascii_strncasecmp(s, "Page", 4) == 0) {
        s += 4;
        while (*s == ' ')
            s++;
        if (g_ascii_strncasecmp(s, "ID", 2) != 0)
            return false;
        s += 2;
    }
    while (*s == ' ' || *s == '#' || *s == ':' || *s == '.')
        s++;
    if (!g_ascii_isdigit(*s))
        return false;
    while (g_ascii_isdigit(*s))
        s++;
    while (*s == ' ')
        s++;
    return *s == '\0';
}

/* Finds ECF stamps among the band lines of p, grouped into visual rows
 * (Poppler often splits a stamp into pieces, in any order). */
static void find_stamps(page_t *p, ctx_t *c, od_ecf *ecf)
{
    GArray *lines = p->lines;
    GArray *idx = c->idx;
    guint i = 0;
    bool prev_stamp = false;
    float prev_y1 = 0;

    g_array_set_size(idx, 0);
    for (guint li = 0; li < lines->len; li++) {
        const line_t *l = &g_array_index(lines, line_t, li);
        if (l->role == ROLE_BODY && in_band(p, l))
            g_array_append_val(idx, li);
    }
    g_qsort_with_data(idx->data, (gint)idx->len, sizeof(guint), cmp_line_y,
                      lines);
    while (i < idx->len) {
        guint *row = &g_array_index(idx, guint, i);
        const line_t *first = &g_array_index(lines, line_t, row[0]);
        float cy = (first->box.y0 + first->box.y1) / 2;
        float h = MAX(first->box.y1 - first->box.y0, 1.0f);
        guint n = 1;
        bool found = false;
        od_ecf e;

        while (i + n < idx->len) {
            const line_t *l = &g_array_index(lines, line_t, row[n]);
            if (fabsf((l->box.y0 + l->box.y1) / 2 - cy) > h / 2)
                break;
            n++;
        }
        g_qsort_with_data(row, (gint)n, sizeof(guint), cmp_line_x, lines);
        /* overlapping stamps: try each exact baseline alone, in order */
        for (guint k = 0; k < n && !found && n > 1; k++) {
            const line_t *l = &g_array_index(lines, line_t, row[k]);
            row_text(p, c, row, n, l->box.y0);
            found = od_ecf_parse(c->s->str, c->s->len, &e);
        }
        if (!found) {
            row_text(p, c, row, n, -1.0f);
            found = od_ecf_parse(c->s->str, c->s->len, &e);
            if (!found && prev_stamp && first->box.y0 < prev_y1 + 2 * h
                && stamp_tail(c->s->str)) {
                for (guint k = 0; k < n; k++)
                    g_array_index(lines, line_t, row[k]).role = ROLE_STAMP;
            }
        }
        if (found) {
            for (guint k = 0; k < n; k++)
                g_array_index(lines, line_t, row[k]).role = ROLE_STAMP;
            if (!p->stamp)
                *ecf = e;
            p->stamp = true;
        }
        prev_stamp = found;
        prev_y1 = first->box.y1;
        i += n;
    }
}

/* A page number alone: "3", "- 3 -", "Page 3", "Page 3 of 5", "3 of 5",
 * "iii". */
static bool is_page_number(const char *s)
{
    char buf[64];
    char *p, *e;
    size_t n;

    while (*s == ' ' || *s == '-' || *s == '\xe2') {
        if (*s == '\xe2') { /* en/em dash U+2013/U+2014 */
            if (s[1] == '\x80' && (s[2] == '\x93' || s[2] == '\x94'))
                s += 3;
            else
                return false;
        } else {
            s++;
        }
    }
    n = strlen(s);
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, s, n + 1);
    e = buf + n;
    while (e > buf && (e[-1] == ' ' || e[-1] == '-'))
        *--e = '\0';
    if (e - buf >= 3 && (unsigned char)e[-3] == 0xe2 && (unsigned char)e[-2] == 0x80
        && ((unsigned char)e[-1] == 0x93 || (unsigned char)e[-1] == 0x94)) {
        e -= 3;
        *e = '\0';
        while (e > buf && e[-1] == ' ')
            *--e = '\0';
    }
    p = buf;
    if (g_ascii_strncasecmp(p, "page", 4) == 0 && (p[4] == ' ' || p[4] == '\0'))
        p += 4;
    else if (g_ascii_strncasecmp(p, "pg.", 3) == 0)
        p += 3;
    while (*p == ' ')
        p++;
    if (g_ascii_isdigit(*p)) {
        int d = 0;
        while (g_ascii_isdigit(*p) && d < 5)
            p++, d++;
        while (*p == ' ')
            p++;
        if (*p == '\0')
            return d <= 4;
        if (g_ascii_strncasecmp(p, "of", 2) != 0)
            return false;
        p += 2;
        while (*p == ' ')
            p++;
        if (!g_ascii_isdigit(*p))
            return false;
        while (g_ascii_isdigit(*p))
            p++;
        return *p == '\0';
    }
    /* lower-case roman numerals of front matter */
    if (p == buf && *p && strspn(p, "ivxl") == strlen(p) && strlen(p) <= 6)
        return true;
    return false;
}

/* A running header has words, "#." or "(#)" may be a list marker. */
static bool key_has_words(const char *key)
{
    int letters = 0;

    for (const char *k = key; *k; k++)
        if (g_ascii_isalpha(*k) || (unsigned char)*k >= 0x80)
            letters++;
    return letters >= 3;
}

/* Key of a band line for the running header/footer count: the text with
 * digits masked and spaces removed. */
static char *band_key(const page_t *p, const line_t *l, GString *s)
{
    g_string_truncate(s, 0);
    raw_text(p->pg, l->g0, l->g1, s);
    for (gsize i = 0, j = 0; i <= s->len; i++) {
        char ch = s->str[i];
        if (ch == ' ')
            continue;
        s->str[j++] = g_ascii_isdigit(ch) ? '#' : ch;
        if (ch == '\0') {
            s->len = j - 1;
            break;
        }
    }
    return s->str;
}

/* ---- Footnotes ---- */

static bool separator_glyphs(const page_t *p, const line_t *l)
{
    for (uint32_t i = l->g0; i < l->g1; i++) {
        gunichar c = p->pg->glyphs[i].ch;
        if (!glyph_space(c) && c != '_' && c != '-' && c != 0x2014
            && c != 0x2013 && c != 0x2015 && c != 0x2500)
            return false;
    }
    return true;
}

static bool marker_symbol(gunichar c)
{
    return c == '*' || c == 0x2020 || c == 0x2021;
}

/* What line l starts with, for footnote_marker(): a run of marker
 * symbols, or one to three digits. */
static void measure_lead(const page_t *p, line_t *l)
{
    const od_glyph *gl = p->pg->glyphs;
    uint32_t i = l->g0, k = i;
    int v = 0;

    l->lead = LEAD_NONE;
    l->first_ch = i < l->g1 ? gl[i].ch : 0;
    l->first_size = i < l->g1 ? gl[i].size : 0;
    if (i >= l->g1)
        return;
    if (marker_symbol(gl[i].ch)) {
        for (k = i; k < l->g1 && marker_symbol(gl[k].ch); k++)
            ;
        l->lead = LEAD_SYMBOL;
        l->lead_end = k;
        return;
    }
    while (k < l->g1 && k < i + 3 && gl[k].ch >= '0' && gl[k].ch <= '9')
        v = v * 10 + (int)(gl[k].ch - '0'), k++;
    if (k == i)
        return;
    l->lead = LEAD_DIGITS;
    l->lead_end = k;
    l->lead_value = v;
    l->lead_more_digit = k < l->g1 && gl[k].ch >= '0' && gl[k].ch <= '9';
    l->lead_space_after = k < l->g1 && glyph_space(gl[k].ch);
}

/* A footnote marker at the start of line l: superscript digits, a
 * symbol, or the number the next footnote should have.  Sets l->fn and
 * l->fn_skip and returns true. */
static bool footnote_marker(line_t *l, int expect, float zone_left)
{
    uint32_t k = l->lead_end;
    int v = l->lead_value;
    bool small;

    if (l->lead == LEAD_SYMBOL) {
        l->fn = 0;
        l->fn_skip = k;
        return true;
    }
    if (l->lead != LEAD_DIGITS || v == 0 || l->lead_more_digit)
        return false;
    small = l->first_size > 0 && l->first_size < l->size * 0.8f;
    /* a plain number must be the expected one, on an indented line */
    if (!(small || k == l->g1
          || (v == expect && l->box.x0 > zone_left + 0.5f * l->size)))
        return false;
    if (k < l->g1 && !small && !l->lead_space_after)
        return false; /* "2012." continuing a footnote */
    l->fn = (int16_t)MIN(v, 9999);
    l->fn_skip = k;
    return true;
}

/* Does line l open with a superscript number (or is it one alone)? */
static bool superscript_start(const line_t *l, float body)
{
    if (!(l->first_ch >= '0' && l->first_ch <= '9') || l->first_size <= 0)
        return false;
    return l->first_size < 0.75f * MAX(l->size, body * 0.9f);
}

/* Marks the footnote lines of page p and returns true when there are
 * some.  The footnote zone is the run of lines at the bottom of the page
 * below body text that are in a smaller font than the body (or, for
 * footnotes set at body size, that starts with a superscript number in the
 * lower part of the page).  It must open with a marker or a separator
 * rule, or continue a footnote of the page before. */
static bool find_footnotes(page_t *p, ctx_t *c, float body, int *next_fn,
                           bool open_before)
{
    GArray *idx = c->idx;
    GArray *lines = p->lines;
    guint top, n;
    bool any_body = false, ok = false;
    float zone_left = G_MAXFLOAT;

#define LINE_AT(k) (&g_array_index(lines, line_t, g_array_index(idx, guint, (k))))
    g_array_set_size(idx, 0);
    for (guint li = 0; li < lines->len; li++)
        if (g_array_index(lines, line_t, li).role == ROLE_BODY)
            g_array_append_val(idx, li);
    n = idx->len;
    if (n < 2)
        return false;
    g_qsort_with_data(idx->data, (gint)n, sizeof(guint), cmp_line_y, lines);
    top = n;
    while (top > 0) {
        const line_t *l = LINE_AT(top - 1);
        if (l->size >= body * 0.94f && !l->sep)
            break;
        top--;
    }
    if (top == n) {
        /* footnotes at body size: a superscript number low on the page */
        for (top = 0; top < n; top++) {
            const line_t *l = LINE_AT(top);
            if (l->box.y0 > p->pg->height * 0.5 && superscript_start(l, body))
                break;
        }
        if (top == n)
            return false;
        for (guint k = top; k < n; k++)
            if (LINE_AT(k)->size > body * 1.05f)
                return false;
        ok = true;
    }
    for (guint k = 0; k < top; k++) {
        const line_t *l = LINE_AT(k);
        if (l->size >= body * 0.94f && l->n >= 10)
            any_body = true;
    }
    if (!any_body)
        return false;
    /* separator rules at the top of the zone */
    while (top < n && LINE_AT(top)->sep) {
        LINE_AT(top)->role = ROLE_DROP;
        top++;
        ok = true;
    }
    if (top == n)
        return false;
    for (guint k = top; k < n; k++)
        zone_left = MIN(zone_left, LINE_AT(k)->box.x0);
    if (footnote_marker(LINE_AT(top), *next_fn, zone_left))
        ok = true;
    else if (!ok && !open_before)
        return false;
    for (guint k = top; k < n; k++) {
        line_t *l = LINE_AT(k);
        if (l->sep) {
            l->role = ROLE_DROP;
            continue;
        }
        l->role = ROLE_FOOTNOTE;
        if (k > top)
            footnote_marker(l, *next_fn, zone_left);
        if (l->fn > 0)
            *next_fn = l->fn + 1;
    }
#undef LINE_AT
    return true;
}

/* ---- One line to clean text ---- */

/* Converts glyphs [g0, g1) of line l into lb: Poppler's spaces, except
 * inside letter-spaced words ("P R O C E E D I N G S"), where the narrow
 * spaces between single letters are dropped and the wider ones kept. */
static void convert_line(const page_t *p, int page_no, const line_t *l,
                         uint32_t g0, ctx_t *c, int *bad, float *word_x1)
{
    const od_glyph *gl = p->pg->glyphs;
    GArray *tok = c->tok;
    lbuf *lb = &c->lb;
    guint singles = 0;
    float wn = G_MAXFLOAT;

    lbuf_reset(lb);
    g_array_set_size(tok, 0);
    for (uint32_t i = g0; i < l->g1;) {
        tok_t t = {i, i, true, false};
        if (glyph_space(gl[i].ch)) {
            i++;
            continue;
        }
        while (i < l->g1 && !glyph_space(gl[i].ch)) {
            if (!g_unichar_isalnum(gl[i].ch))
                t.alnum = false;
            i++;
        }
        t.e = i;
        g_array_append_val(tok, t);
    }
    if (tok->len == 0)
        return;
    *word_x1 = gl[g_array_index(tok, tok_t, 0).e - 1].box.x1;
    /* letter spacing: the width of spaces between single letters */
    for (guint k = 1; k < tok->len; k++) {
        tok_t *a = &g_array_index(tok, tok_t, k - 1), *b = &g_array_index(tok, tok_t, k);
        if (a->e - a->s == 1 && b->e - b->s == 1 && a->alnum && b->alnum) {
            float w = gl[b->s].box.x0 - gl[a->e - 1].box.x1;
            singles++;
            if (w < wn)
                wn = w;
        }
    }
    if (singles >= 2) {
        for (guint k = 1; k < tok->len; k++) {
            tok_t *a = &g_array_index(tok, tok_t, k - 1), *b = &g_array_index(tok, tok_t, k);
            float w = gl[b->s].box.x0 - gl[a->e - 1].box.x1;
            if (a->alnum && b->alnum && a->e - a->s <= 3 && b->e - b->s <= 3
                && (a->e - a->s == 1 || b->e - b->s == 1)
                && w <= wn * 1.35f + 0.2f)
                b->join = true;
        }
    }
    for (guint k = 0; k < tok->len; k++) {
        const tok_t *t = &g_array_index(tok, tok_t, k);
        if (k > 0 && !t->join)
            lbuf_put(lb, ' ', &NO_POS, bad);
        for (uint32_t i = t->s; i < t->e; i++) {
            od_pos ps = pos_of(page_no, &gl[i].box);
            lbuf_put(lb, (UChar32)gl[i].ch, &ps, bad);
            /* a superscript footnote marker glued to the next word */
            if (i + 1 < t->e && gl[i].ch >= '0' && gl[i].ch <= '9'
                && gl[i].size > 0 && gl[i].size < l->size * 0.75f
                && g_unichar_isalpha(gl[i + 1].ch)
                && gl[i + 1].size >= l->size * 0.9f)
                lbuf_put(lb, ' ', &NO_POS, bad);
        }
    }
    lbuf_trim_end(lb);
    lbuf_nfc(lb);
}

/* ---- Paragraph decisions ---- */

typedef struct emit_t {
    out_t o;
    para_acc acc;
    GArray *paras;
    const page_t *pp; /* previous line and its page */
    const line_t *pl;
    float last_step;   /* between the last two lines, 0 when unknown */
    GHashTable *words; /* the document's words, for hyphens */
} emit_t;

/* Is the open paragraph only an enumerator: "1.", "12.", "(a)", "A.",
 * "iv." ? */
static bool para_is_marker(const emit_t *e)
{
    int32_t from = e->acc.p.start, to = out_len(&e->o), i;
    const UChar *u = (const UChar *)e->o.u->data;

    if (!e->acc.open || to - from < 2 || to - from > 6)
        return false;
    i = from;
    if (u[i] == '(')
        i++;
    while (i < to && (u_isalnum(u[i])))
        i++;
    if (i == from || i >= to)
        return false;
    if (u[i] != '.' && u[i] != ')')
        return false;
    return i + 1 == to;
}

static bool is_terminal(UChar c)
{
    return c == '.' || c == '?' || c == '!' || c == ':' || c == ';';
}

/* Last character of o ignoring closing quotes and brackets. */
static UChar last_meaningful(const out_t *o)
{
    for (guint i = o->u->len; i > 0; i--) {
        UChar c = g_array_index(o->u, UChar, i - 1);
        if (c != '"' && c != '\'' && c != ')' && c != ']' && c != ' ')
            return c;
    }
    return 0;
}

/* "1.", "(a)", "a)", "IV.", "•" at the start of the line. */
static bool list_marker(const lbuf *lb)
{
    const UChar *s = (const UChar *)lb->u->data;
    guint n = lb->u->len, i = 0;

    if (n == 0)
        return false;
    if (s[0] == 0x2022 || s[0] == 0x25CF || s[0] == 0x25AA)
        return true;
    if (s[0] == '(') {
        i = 1;
        while (i < n && i < 6 && u_isalnum(s[i]))
            i++;
        return i > 1 && i < n && s[i] == ')';
    }
    while (i < n && i < 5 && u_isalnum(s[i]))
        i++;
    if (i == 0 || i >= n || (s[i] != '.' && s[i] != ')'))
        return false;
    if (i + 1 < n && s[i + 1] != ' ')
        return false;
    /* "1.", "a.", "iv.", "A." but not a word such as "Id.", nor a year
     * ending a date broken over two lines ("June 7," / "2019.") */
    if (u_isdigit(s[0]))
        return i <= 3;
    if (i == 1)
        return true;
    for (guint k = 0; k < i; k++)
        if (!strchr("ivxlcIVXLC", (char)(s[k] < 0x80 ? s[k] : '?')))
            return false;
    return true;
}

static bool centered(const page_t *p, const line_t *l)
{
    float mid = (p->left + p->right) / 2, lm = (l->box.x0 + l->box.x1) / 2;

    return l->box.x0 > p->left + 2 * l->size
           && l->box.x1 < p->right - 2 * l->size
           && l->box.x1 - l->box.x0 < 0.7f * (p->right - p->left)
           && fabsf(lm - mid) < MAX(l->size, p->pg->width * 0.03f);
}

static bool indented(const page_t *p, const line_t *l)
{
    return l->box.x0 > p->left + 0.8f * l->size && !centered(p, l);
}

/* A usable line step: one to three lines' worth. */
static bool plain_step(float step, float size)
{
    return step > 0.6f * size && step < 2.6f * size;
}

/* Does line l (converted in lb) start a new paragraph after e->pl?
 * next_step: from l down to the next line (0 when unknown). */
static bool starts_para(const emit_t *e, const page_t *p, const line_t *l,
                        const lbuf *lb, float word_x1, float next_step)
{
    const line_t *pl = e->pl;
    const page_t *pp = e->pp;
    UChar last = last_meaningful(&e->o);
    UChar32 first = first_cp(lb->u);
    bool term = is_terminal(last);
    float sz, step;

    if (!pl || !e->acc.open)
        return true;
    sz = MAX(l->size, pl->size);
    if (fabsf(l->size - pl->size) > 0.15f * sz)
        return true;
    /* a change to or from bold starts a heading, unless the sentence
     * runs on into emphasis ("no later than" / bold "Wednesday, June 5,
     * 2019.") */
    if ((l->bold > 0.5f) != (pl->bold > 0.5f)
        && (term || !(u_islower(last) || last == ',')))
        return true;
    if (pp != p) {
        /* a paragraph running onto the next page */
        if (term || list_marker(lb) || centered(p, l) || indented(p, l))
            return true;
        return false;
    }
    if (fabsf(l->box.y1 - pl->box.y1) < 0.3f * sz) {
        /* same row: join when it follows closely, or when the paragraph
         * so far is only its enumerator ("1." then a hanging indent);
         * else another column */
        if (l->box.x0 >= pl->box.x1 - 1 && para_is_marker(e))
            return false;
        return !(l->box.x0 >= pl->box.x1 - 1 && l->box.x0 - pl->box.x1 < 2 * sz);
    }
    if (l->box.y0 < pl->box.y0 - 0.5f * sz)
        return true; /* back up: another column or block */
    /* a gap wider than the line spacing around it (single-spaced
     * captions and double-spaced bodies share pages) */
    step = l->box.y1 - pl->box.y1;
    {
        float ref = 0;
        if (plain_step(e->last_step, sz))
            ref = e->last_step;
        if (plain_step(next_step, sz) && (ref == 0 || next_step < ref))
            ref = next_step;
        if (ref == 0)
            ref = p->pitch;
        if (ref > 0 && step > ref * 1.3f + 0.5f)
            return true;
        if (ref <= 0 && step > 2.0f * sz)
            return true;
    }
    if (centered(p, l) || centered(pp, pl))
        return true;
    if (list_marker(lb) && (term || last == ','))
        return true;
    /* the previous line stopped short although the first word of this
     * one would have fitted: a paragraph end */
    if (p->right - pl->box.x1 > (word_x1 - l->box.x0) + sz) {
        if (!term && u_islower(first))
            return false;
        /* "... must be filed no later than" / "Wednesday, June 5, 2019.":
         * a line ending in a lower-case word or a comma is mid-sentence */
        if (!term && (u_islower(last) || last == ',')
            && l->box.x0 < pl->box.x1 /* not a caption's far column */
            && pl->box.x1 - pl->box.x0 > 0.6f * (p->right - p->left))
            return false; /* (a short line is a heading: "A. The Scope") */
        return true;
    }
    if (l->box.x0 > pl->box.x0 + 0.8f * sz && term)
        return true;
    return false;
}

static void emit_line(emit_t *e, const page_t *p, const line_t *l,
                      const lbuf *lb, bool new_para, uint32_t flags)
{
    para_acc *a = &e->acc;
    int page_no = p->pg->number;

    if (lb->u->len == 0)
        return;
    if (new_para || !a->open) {
        para_close(a, &e->o, e->paras);
        para_open(a, &e->o, page_no, flags);
        a->p.box = l->box;
        if (indented(p, l))
            a->p.flags |= OD_PARA_INDENTED;
        g_array_append_vals(e->o.u, lb->u->data, lb->u->len);
        g_array_append_vals(e->o.pos, lb->pos->data, lb->pos->len);
    } else {
        join_line(&e->o, lb, e->words, true);
        if (a->p.page == page_no) {
            a->p.box.x0 = MIN(a->p.box.x0, l->box.x0);
            a->p.box.y0 = MIN(a->p.box.y0, l->box.y0);
            a->p.box.x1 = MAX(a->p.box.x1, l->box.x1);
            a->p.box.y1 = MAX(a->p.box.y1, l->box.y1);
        }
    }
    e->last_step = e->pp == p && e->pl ? l->box.y1 - e->pl->box.y1 : 0;
    a->p.n_lines++;
    g_array_append_val(a->sizes, l->size);
    a->glyphs += l->n;
    a->bold += (size_t)(l->bold * (float)l->n + 0.5f);
    if (!centered(p, l))
        a->all_centered = false;
    e->pp = p;
    e->pl = l;
}

/* Left and right text margins and the usual line pitch of page p. */
static void page_geometry(page_t *p, ctx_t *c)
{
    GArray *fl = c->fl;
    float lo = G_MAXFLOAT, hi = 0;
    const line_t *prev = NULL;

    g_array_set_size(fl, 0);
    for (guint i = 0; i < p->lines->len; i++) {
        const line_t *l = &g_array_index(p->lines, line_t, i);
        if (l->role != ROLE_BODY)
            continue;
        lo = MIN(lo, l->box.x0);
        hi = MAX(hi, l->box.x1);
        if (l->n >= 20)
            g_array_append_val(fl, l->box.x0);
    }
    p->left = lo < G_MAXFLOAT ? lo : 0;
    p->right = hi > 0 ? hi : (float)p->pg->width;
    if (fl->len >= 3) {
        qsort(fl->data, fl->len, sizeof(float), od_cmp_float);
        p->left = g_array_index(fl, float, fl->len / 10);
    }
    g_array_set_size(fl, 0);
    for (guint i = 0; i < p->lines->len; i++) {
        const line_t *l = &g_array_index(p->lines, line_t, i);
        if (l->role != ROLE_BODY)
            continue;
        if (l->n >= 20)
            g_array_append_val(fl, l->box.x1);
    }
    if (fl->len >= 3) {
        qsort(fl->data, fl->len, sizeof(float), od_cmp_float);
        p->right = g_array_index(fl, float, (fl->len * 9) / 10);
    }
    /* the pitch of running text: pairs of full lines from the left
     * margin (captions and headings set tighter or looser) */
    g_array_set_size(fl, 0);
    for (guint i = 0; i < p->lines->len; i++) {
        const line_t *l = &g_array_index(p->lines, line_t, i);
        float step;
        if (l->role != ROLE_BODY)
            continue;
        if (l->n < 20 || l->box.x0 > p->left + 3 * l->size) {
            prev = NULL;
            continue;
        }
        if (prev) {
            step = l->box.y1 - prev->box.y1;
            if (step > 0.6f * l->size && step < 2.6f * l->size
                && fabsf(l->size - prev->size) < 0.1f * l->size)
                g_array_append_val(fl, step);
        }
        prev = l;
    }
    p->pitch = 0;
    if (fl->len >= 2) {
        qsort(fl->data, fl->len, sizeof(float), od_cmp_float);
        p->pitch = g_array_index(fl, float, fl->len / 2);
    }
}

/* ------------------------------------------------------------------ */
/* PDF input: the document                                             */

static void emit_init(emit_t *e)
{
    memset(e, 0, sizeof *e);
    out_init(&e->o, true);
    e->acc.sizes = g_array_new(FALSE, FALSE, sizeof(float));
    e->paras = g_array_new(FALSE, FALSE, sizeof(od_para));
}

static void emit_clear(emit_t *e)
{
    out_clear(&e->o);
    g_array_free(e->acc.sizes, TRUE);
    if (e->paras)
        g_array_free(e->paras, TRUE);
}

/* Counts how many pages carry each band line (digits masked). */
static void count_band_keys(const page_t *p, ctx_t *c, GHashTable *counts)
{
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                             NULL);

    for (guint i = 0; i < p->lines->len; i++) {
        const line_t *l = &g_array_index(p->lines, line_t, i);
        char *key;
        if (l->role != ROLE_BODY || !in_band(p, l))
            continue;
        key = band_key(p, l, c->s);
        if (!key_has_words(key) || g_hash_table_contains(seen, key))
            continue;
        key = g_strdup(key);
        g_hash_table_add(seen, key);
        g_hash_table_insert(counts, g_strdup(key),
                            GINT_TO_POINTER(GPOINTER_TO_INT(
                                                g_hash_table_lookup(counts, key))
                                            + 1));
    }
    g_hash_table_destroy(seen);
}

/* ---- Can the text layer be trusted? ---- */

static const char *const TRUST_CODES[OD_TRUST_N] = {
    [OD_TRUST_OK] = NULL,
    [OD_TRUST_NO_TEXT] = "no_text_layer",
    [OD_TRUST_UNDECODABLE] = "undecodable_text",
    [OD_TRUST_ONLY_STAMP] = "only_stamp_text",
    [OD_TRUST_IMAGE] = "little_text_on_image",
    [OD_TRUST_UNREADABLE] = "page_unreadable",
};

const char *od_trust_code(od_trust t)
{
    return (int)t >= 0 && t < OD_TRUST_N ? TRUST_CODES[t] : NULL;
}

/* Under 3 letters is no text (a stray mark, a page number's "of"); under
 * 100 on a page an image mostly covers is a caption or a banner over a
 * scan, not the page's text. */
od_trust od_trust_decide(size_t n_glyphs, size_t total, size_t bad,
                         size_t body_letters, bool stamp, double image_area)
{
    if (n_glyphs == 0)
        return OD_TRUST_NO_TEXT;
    if (total >= 10 && bad * 10 >= total * 3)
        return OD_TRUST_UNDECODABLE;
    if (body_letters < 3 && (stamp || image_area > 0.3))
        return OD_TRUST_ONLY_STAMP;
    if (body_letters < 100 && image_area >= 0.5)
        return OD_TRUST_IMAGE;
    return OD_TRUST_OK;
}

/* Records the page's trust decision and warns about a distrusted page.
 * A page read by OCR is judged only by whether OCR found letters. */
static void warn_page(od_text *t, const page_t *p, size_t body_letters,
                      size_t bad, size_t total)
{
    int no = p->pg->number;
    od_trust tr;

    if (p->pg->source != OD_SOURCE_PDF) {
        tr = body_letters < 3 ? OD_TRUST_NO_TEXT : OD_TRUST_OK;
        if (tr != OD_TRUST_OK)
            od_warnings_add(t->warnings, "ocr_no_text", no,
                            "page %d: OCR read no text from it", no);
    } else {
        tr = od_trust_decide(p->n_glyphs, total, bad, body_letters,
                             p->stamp, p->pg->image_area);
    }
    if (no >= 1 && no <= t->n_pages)
        t->trust[no - 1] = (uint8_t)tr;
    if (p->pg->source != OD_SOURCE_PDF)
        return;
    switch (tr) {
    case OD_TRUST_NO_TEXT:
        od_warnings_add(t->warnings, od_trust_code(tr), no,
                        "page %d has no text layer", no);
        break;
    case OD_TRUST_UNDECODABLE:
        od_warnings_add(t->warnings, od_trust_code(tr), no,
                        "page %d has undecodable text (no Unicode mapping); "
                        "OCR needed", no);
        break;
    case OD_TRUST_ONLY_STAMP:
        od_warnings_add(t->warnings, od_trust_code(tr), no,
                        "page %d has only an ECF stamp as text; OCR needed", no);
        break;
    case OD_TRUST_IMAGE:
        od_warnings_add(t->warnings, od_trust_code(tr), no,
                        "page %d is an image with little text; OCR needed", no);
        break;
    default:
        break;
    }
}

size_t od_text_stamp_glyphs(const od_pdf_page *pg, uint8_t *keep)
{
    page_t p;
    ctx_t c;
    od_ecf ecf;
    size_t n = 0;

    if (!pg || !keep || pg->n_glyphs == 0)
        return 0;
    memset(&p, 0, sizeof p);
    memset(&c, 0, sizeof c);
    p.pg = pg;
    p.lines = g_array_new(FALSE, FALSE, sizeof(line_t));
    c.fl = g_array_new(FALSE, FALSE, sizeof(float));
    c.idx = g_array_new(FALSE, FALSE, sizeof(guint));
    c.s = g_string_new(NULL);
    split_lines(pg, p.lines, c.fl);
    strip_margin_numbers(&p, &c);
    find_stamps(&p, &c, &ecf);
    for (guint k = 0; k < p.lines->len; k++) {
        const line_t *l = &g_array_index(p.lines, line_t, k);
        if (l->role != ROLE_STAMP)
            continue;
        for (uint32_t i = l->g0; i < l->g1; i++) {
            n += !keep[i];
            keep[i] = 1;
        }
    }
    g_array_free(p.lines, TRUE);
    g_array_free(c.fl, TRUE);
    g_array_free(c.idx, TRUE);
    g_string_free(c.s, TRUE);
    return n;
}

/* ---- The first pass, page by page ---- */

struct od_text_builder {
    od_text *t;
    int n_pages;
    page_t *pg_arr;
    ctx_t c;
    GHashTable *counts, *words;
    GStringChunk *keys; /* band keys of the lines */
    guint64 hist[401];
    size_t text_pages;
};

/* Copies the converted line (lb, as convert_line left it) into the page's
 * store as conversion slot k of l. */
static void keep_conversion(page_t *p, line_t *l, int k, const lbuf *lb, float wx1)
{
    if (k == 1 && lb->u->len > 0 && lb->u->len <= l->conv_len[0]) {
        /* most often the text after the marker is the line's own tail */
        uint32_t at = l->conv[0] + l->conv_len[0] - lb->u->len;
        if (memcmp(&g_array_index(p->conv_u, UChar, at), lb->u->data,
                   lb->u->len * sizeof(UChar)) == 0
            && memcmp(&g_array_index(p->conv_pos, od_pos, at), lb->pos->data,
                      lb->pos->len * sizeof(od_pos)) == 0) {
            l->conv[1] = at;
            l->conv_len[1] = lb->u->len;
            l->conv_wx1[1] = wx1;
            return;
        }
    }
    l->conv[k] = p->conv_u->len;
    l->conv_len[k] = lb->u->len;
    l->conv_wx1[k] = wx1;
    g_array_append_vals(p->conv_u, lb->u->data, lb->u->len);
    g_array_append_vals(p->conv_pos, lb->pos->data, lb->pos->len);
}

/* Takes from the glyphs of p what the second pass needs of them: for
 * each line still in play, its text converted (twice when it starts with
 * a possible footnote marker), its band key, its decodable share, its
 * leading marker. */
static void keep_line_facts(od_text_builder *b, page_t *p)
{
    ctx_t *c = &b->c;

    p->conv_u = g_array_new(FALSE, FALSE, sizeof(UChar));
    p->conv_pos = g_array_new(FALSE, FALSE, sizeof(od_pos));
    for (guint k = 0; k < p->lines->len; k++) {
        line_t *l = &g_array_index(p->lines, line_t, k);
        int dummy = 0;
        float wx1;

        if (l->role != ROLE_BODY)
            continue;
        l->sep = separator_glyphs(p, l);
        measure_lead(p, l);
        for (uint32_t g = l->g0; g < l->g1; g++) {
            gunichar ch = p->pg->glyphs[g].ch;
            if (glyph_space(ch))
                continue;
            l->n_text++;
            if (glyph_bad(ch))
                l->n_bad++;
        }
        if (in_band(p, l)) {
            g_string_truncate(c->s, 0);
            raw_text(p->pg, l->g0, l->g1, c->s);
            l->page_number = is_page_number(c->s->str);
            l->key = g_string_chunk_insert_const(b->keys, band_key(p, l, c->s));
        }
        wx1 = l->box.x1;
        convert_line(p, p->pg->number, l, l->g0, c, &dummy, &wx1);
        keep_conversion(p, l, 0, &c->lb, wx1);
        if (l->lead != LEAD_NONE) {
            wx1 = l->box.x1;
            convert_line(p, p->pg->number, l, l->lead_end, c, &dummy, &wx1);
            keep_conversion(p, l, 1, &c->lb, wx1);
        }
    }
    /* at their exact size: a long document keeps every page's lines
     * until pass 2 */
    p->cu = g_memdup2(p->conv_u->data, p->conv_u->len * sizeof(UChar));
    p->cpos = g_memdup2(p->conv_pos->data, p->conv_pos->len * sizeof(od_pos));
    p->n_conv = p->conv_u->len;
    g_array_free(p->conv_u, TRUE);
    g_array_free(p->conv_pos, TRUE);
    p->conv_u = p->conv_pos = NULL;
}

/* The second pass's convert_line: the line as kept, from glyph g0 (the
 * line's first, or the end of its footnote marker). */
static void load_line(const page_t *p, const line_t *l, uint32_t g0, lbuf *lb,
                      float *word_x1)
{
    int k = g0 == l->g0 ? 0 : 1;

    g_assert(k == 0 || (l->lead != LEAD_NONE && g0 == l->lead_end));
    lbuf_reset(lb);
    /* p->cu is NULL on a page that kept no text: no offset from it then */
    if (l->conv_len[k] == 0)
        return;
    g_array_append_vals(lb->u, p->cu + l->conv[k], l->conv_len[k]);
    g_array_append_vals(lb->pos, p->cpos + l->conv[k], l->conv_len[k]);
    *word_x1 = l->conv_wx1[k];
}

od_text_builder *od_text_builder_new(int n_pages)
{
    od_text_builder *b = g_new0(od_text_builder, 1);

    if (n_pages < 0)
        n_pages = 0;
    b->t = text_new();
    b->n_pages = n_pages;
    b->t->n_pages = n_pages;
    b->t->ecf = g_new0(od_ecf, n_pages > 0 ? n_pages : 1);
    b->t->trust = g_new0(uint8_t, n_pages > 0 ? n_pages : 1);
    b->pg_arr = g_new0(page_t, n_pages > 0 ? n_pages : 1);
    b->c.fl = g_array_new(FALSE, FALSE, sizeof(float));
    b->c.tok = g_array_new(FALSE, FALSE, sizeof(tok_t));
    b->c.idx = g_array_new(FALSE, FALSE, sizeof(guint));
    b->c.s = g_string_new(NULL);
    lbuf_init(&b->c.lb);
    b->counts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    b->words = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    b->keys = g_string_chunk_new(1024);
    return b;
}

/* Pass 1: lines, margin numbers, stamps, font sizes, band lines; then
 * what pass 2 needs of the glyphs, so that the caller may free them. */
void od_text_builder_add(od_text_builder *b, int index, const od_pdf_page *page)
{
    page_t *p;

    if (!b || !page || index < 0 || index >= b->n_pages || b->pg_arr[index].pg)
        return;
    p = &b->pg_arr[index];
    p->pg = page;
    p->n_glyphs = page->n_glyphs;
    p->lines = g_array_new(FALSE, FALSE, sizeof(line_t));
    split_lines(p->pg, p->lines, b->c.fl);
    strip_margin_numbers(p, &b->c);
    reorder_moved(p);
    find_stamps(p, &b->c, &b->t->ecf[index]);
    count_band_keys(p, &b->c, b->counts);
    for (guint k = 0; k < p->lines->len; k++)
        collect_words(p->pg, &g_array_index(p->lines, line_t, k), b->words, b->c.s);
    if (p->lines->len)
        b->text_pages++;
    for (guint k = 0; k < p->lines->len; k++) {
        const line_t *l = &g_array_index(p->lines, line_t, k);
        if (l->role == ROLE_BODY)
            b->hist[MIN((int)lroundf(l->size * 2), 400)] += l->n;
    }
    keep_line_facts(b, p);
    /* from here on the page is its size and its lines */
    p->hdr = *page;
    p->hdr.glyphs = NULL;
    p->hdr.n_glyphs = 0;
    p->pg = &p->hdr;
}

static void builder_clear(od_text_builder *b)
{
    for (int i = 0; i < b->n_pages; i++) {
        page_t *p = &b->pg_arr[i];
        if (p->lines)
            g_array_free(p->lines, TRUE);
        g_free(p->cu);
        g_free(p->cpos);
    }
    g_free(b->pg_arr);
    g_hash_table_destroy(b->counts);
    g_hash_table_destroy(b->words);
    g_string_chunk_free(b->keys);
    g_array_free(b->c.fl, TRUE);
    g_array_free(b->c.tok, TRUE);
    g_array_free(b->c.idx, TRUE);
    g_string_free(b->c.s, TRUE);
    lbuf_clear(&b->c.lb);
    g_free(b);
}

void od_text_builder_free(od_text_builder *b)
{
    if (!b)
        return;
    od_text_free(b->t);
    builder_clear(b);
}

od_text *od_text_from_pages(od_pdf_page *const *pages, int n_pages)
{
    od_text_builder *b = od_text_builder_new(n_pages);

    for (int i = 0; i < n_pages && pages; i++)
        od_text_builder_add(b, i, pages[i]);
    return od_text_builder_finish(b);
}

/* ---- The second pass ---- */

od_text *od_text_builder_finish(od_text_builder *b)
{
    od_text *t;
    page_t *pg_arr;
    int n_pages;
    emit_t body, foot;
    GHashTable *words;
    size_t text_pages;
    float body_size = 0;
    int next_fn = 1, min_repeat;
    bool fn_open = false;
    float last_pitch = 0;
    ctx_t c;

    if (!b)
        return NULL;
    t = b->t;
    pg_arr = b->pg_arr;
    n_pages = b->n_pages;
    words = b->words;
    text_pages = b->text_pages;
    c = b->c;
    for (int k = 1, best = 0; k <= 400; k++)
        if (b->hist[k] > b->hist[best]) {
            best = k;
            body_size = (float)k / 2;
        }
    if (body_size <= 0)
        body_size = 12;
    /* a running header: on 40% of the pages, or on 3 (a section's) */
    min_repeat = MAX(2, MIN(3, (int)ceil(0.4 * (double)text_pages)));

    emit_init(&body);
    emit_init(&foot);
    body.words = foot.words = words;
    {
        /* room for the whole text at once: growing the arrays by doubling
         * would hold the old and the new copy of a long text together */
        gsize need = 64;
        for (int i = 0; i < n_pages; i++)
            if (pg_arr[i].lines)
                need += pg_arr[i].n_conv + 2 * pg_arr[i].lines->len;
        g_array_free(body.o.u, TRUE);
        g_array_free(body.o.pos, TRUE);
        body.o.u = g_array_sized_new(FALSE, FALSE, sizeof(UChar), (guint)MIN(need, G_MAXUINT / 16));
        body.o.pos = g_array_sized_new(FALSE, FALSE, sizeof(od_pos), (guint)MIN(need, G_MAXUINT / 16));
    }

    /* Pass 2: furniture, footnotes, paragraphs. */
    for (int i = 0; i < n_pages; i++) {
        page_t *p = &pg_arr[i];
        size_t bad = 0, total = 0, letters = 0;
        bool first_on_page = true;

        if (!p->pg) {
            t->trust[i] = OD_TRUST_UNREADABLE;
            od_warnings_add(t->warnings, "page_unreadable", i + 1,
                            "page %d could not be read", i + 1);
            continue;
        }
        for (guint k = 0; k < p->lines->len; k++) {
            line_t *l = &g_array_index(p->lines, line_t, k);
            if (l->role != ROLE_BODY)
                continue;
            if (l->key) { /* a band line */
                /* a page number is about body size; a lone small number
                 * is a footnote marker */
                if (l->size >= 0.75f * body_size && l->page_number)
                    l->role = ROLE_FURNITURE;
                if (text_pages >= 2
                    && GPOINTER_TO_INT(g_hash_table_lookup(b->counts, l->key)) >= min_repeat)
                    l->role = ROLE_FURNITURE;
            }
            total += l->n_text;
            bad += l->n_bad;
        }
        if (total >= 10 && bad * 10 >= total * 3) {
            for (guint k = 0; k < p->lines->len; k++) {
                line_t *l = &g_array_index(p->lines, line_t, k);
                if (l->role == ROLE_BODY)
                    l->role = ROLE_DROP;
            }
        }
        if (find_footnotes(p, &c, body_size, &next_fn, fn_open))
            fn_open = true;
        reading_order(p);
        page_geometry(p, &c);
        if (p->pitch <= 0)
            p->pitch = last_pitch;
        else
            last_pitch = p->pitch;

        for (guint k = 0; k < p->lines->len; k++) {
            const line_t *l = &g_array_index(p->lines, line_t, k);
            float wx1 = l->box.x1, next_step;
            bool np;

            if (l->role != ROLE_BODY)
                continue;
            load_line(p, l, l->g0, &c.lb, &wx1);
            for (guint u = 0; u < c.lb.u->len; u++)
                if (u_isalpha(g_array_index(c.lb.u, UChar, u)))
                    letters++;
            next_step = 0;
            for (guint m = k + 1; m < p->lines->len; m++) {
                const line_t *nl = &g_array_index(p->lines, line_t, m);
                if (nl->role != ROLE_BODY)
                    continue;
                if (nl->box.y0 > l->box.y0)
                    next_step = nl->box.y1 - l->box.y1;
                break;
            }
            np = starts_para(&body, p, l, &c.lb, wx1, next_step);
            emit_line(&body, p, l, &c.lb, np,
                      first_on_page && np ? OD_PARA_PAGE_TOP : 0);
            first_on_page = false;
        }
        /* footnote lines in top-to-bottom order */
        g_array_set_size(c.idx, 0);
        for (guint k = 0; k < p->lines->len; k++)
            if (g_array_index(p->lines, line_t, k).role == ROLE_FOOTNOTE)
                g_array_append_val(c.idx, k);
        g_qsort_with_data(c.idx->data, (gint)c.idx->len, sizeof(guint),
                          cmp_line_y, p->lines);
        for (guint k = 0; k < c.idx->len; k++) {
            const line_t *l = &g_array_index(p->lines, line_t,
                                             g_array_index(c.idx, guint, k));
            float wx1 = l->box.x1;
            bool marker = l->fn >= 0;

            load_line(p, l, marker ? l->fn_skip : l->g0, &c.lb, &wx1);
            if (c.lb.u->len == 0) {
                if (marker) { /* a marker on a line of its own */
                    para_close(&foot.acc, &foot.o, foot.paras);
                    para_open(&foot.acc, &foot.o, p->pg->number, OD_PARA_FOOTNOTE);
                    foot.acc.p.footnote = l->fn;
                    foot.acc.p.box = l->box;
                }
                continue;
            }
            if (marker || !foot.acc.open) {
                emit_line(&foot, p, l, &c.lb, true, OD_PARA_FOOTNOTE);
                foot.acc.p.footnote = marker ? l->fn : 0;
            } else if (foot.acc.p.n_lines == 0) {
                /* first text line after a lone marker */
                foot.acc.p.box = l->box;
                foot.acc.p.page = p->pg->number;
                g_array_append_vals(foot.o.u, c.lb.u->data, c.lb.u->len);
                g_array_append_vals(foot.o.pos, c.lb.pos->data, c.lb.pos->len);
                foot.acc.p.n_lines = 1;
                g_array_append_val(foot.acc.sizes, l->size);
                foot.acc.glyphs += l->n;
                foot.acc.all_centered = false;
                foot.pp = p;
                foot.pl = l;
            } else {
                emit_line(&foot, p, l, &c.lb, false, OD_PARA_FOOTNOTE);
            }
        }
        warn_page(t, p, letters, bad, total);
        /* the page's converted lines are in the text now */
        g_free(p->cu);
        g_free(p->cpos);
        p->cu = NULL;
        p->cpos = NULL;
#ifdef __GLIBC__
        /* give the freed pages back now and then, so that a long text
         * does not hold its lines twice (once here, once in the output) */
        if (i % 64 == 63)
            malloc_trim(0);
#endif
    }
    para_close(&body.acc, &body.o, body.paras);
    para_close(&foot.acc, &foot.o, foot.paras);

    /* footnotes after the body */
    if (foot.paras->len) {
        int32_t shift = out_len(&body.o) + (out_len(&body.o) ? 2 : 0);
        if (out_len(&body.o)) {
            out_put(&body.o, '\n', &NO_POS);
            out_put(&body.o, '\n', &NO_POS);
        }
        out_append(&body.o, &foot.o, 0, out_len(&foot.o));
        for (guint k = 0; k < foot.paras->len; k++) {
            od_para fp = g_array_index(foot.paras, od_para, k);
            fp.start += shift;
            fp.end += shift;
            g_array_append_val(body.paras, fp);
        }
    }
    text_finish(t, &body.o, body.paras);
    body.paras = NULL;

    emit_clear(&body);
    emit_clear(&foot);
    b->c = c; /* the scratch buffers, as pass 2 left them */
    builder_clear(b);
    return t;
}

/* ------------------------------------------------------------------ */
/* Queries                                                             */

static void clamp_span(const od_text *t, int32_t *start, int32_t *end)
{
    if (*start < 0)
        *start = 0;
    if (*end > t->len)
        *end = t->len;
    if (*start > *end)
        *start = *end;
}

bool od_text_position(const od_text *t, int32_t start, int32_t end,
                      int *page, od_box *box)
{
    const od_pos *pos;
    od_box b = {0, 0, 0, 0};
    int pg = 0;
    int32_t i;

    if (page)
        *page = 0;
    if (box)
        *box = b;
    if (!t || !t->map || !t->map->pos)
        return false;
    clamp_span(t, &start, &end);
    pos = t->map->pos;
    for (i = start; i < end && pos[i].page == 0; i++)
        ;
    if (i >= end)
        return false;
    pg = pos[i].page;
    b = box_of(&pos[i]);
    for (; i < end; i++) {
        od_box c;
        if (pos[i].page != pg)
            continue;
        c = box_of(&pos[i]);
        b.x0 = MIN(b.x0, c.x0);
        b.y0 = MIN(b.y0, c.y0);
        b.x1 = MAX(b.x1, c.x1);
        b.y1 = MAX(b.y1, c.y1);
    }
    if (page)
        *page = pg;
    if (box)
        *box = b;
    return true;
}

size_t od_text_line_boxes(const od_text *t, int32_t start, int32_t end,
                          GArray *boxes, GArray *pages)
{
    const od_pos *pos;
    size_t count = 0;
    bool open = false;
    od_box cur = {0, 0, 0, 0}, ref = {0, 0, 0, 0};
    int cur_page = 0;

    if (!t || !t->map || !t->map->pos)
        return 0;
    clamp_span(t, &start, &end);
    pos = t->map->pos;
    for (int32_t i = start; i <= end; i++) {
        od_box c = {0, 0, 0, 0};
        bool same = false;

        if (i < end) {
            if (pos[i].page == 0)
                continue;
            c = box_of(&pos[i]);
            if (open && pos[i].page == cur_page) {
                float cy = (c.y0 + c.y1) / 2, ry = (ref.y0 + ref.y1) / 2;
                float h = MAX(ref.y1 - ref.y0, 1.0f);
                same = fabsf(cy - ry) < h / 2 && c.x0 >= cur.x0 - h;
            }
        }
        if (same) {
            cur.x0 = MIN(cur.x0, c.x0);
            cur.y0 = MIN(cur.y0, c.y0);
            cur.x1 = MAX(cur.x1, c.x1);
            cur.y1 = MAX(cur.y1, c.y1);
            continue;
        }
        if (open) {
            if (boxes)
                g_array_append_val(boxes, cur);
            if (pages)
                g_array_append_val(pages, cur_page);
            count++;
        }
        if (i < end) {
            open = true;
            cur = ref = c;
            cur_page = pos[i].page;
        }
    }
    return count;
}

int32_t od_text_cp_index(const od_text *t, int32_t i)
{
    size_t lo = 0, hi;

    if (!t)
        return 0;
    if (i < 0)
        i = 0;
    if (i > t->len)
        i = t->len;
    if (!t->map || t->map->n_trail == 0)
        return i;
    /* number of trail surrogates before i */
    hi = t->map->n_trail;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->map->trail[mid] < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return i - (int32_t)lo;
}

char *od_text_utf8(const od_text *t, int32_t start, int32_t end)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t need = 0;
    char *s;

    if (!t || !t->buf)
        return g_strdup("");
    clamp_span(t, &start, &end);
    u_strToUTF8WithSub(NULL, 0, &need, t->buf + start, end - start, 0xFFFD,
                       NULL, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
        return g_strdup("");
    s = g_malloc((gsize)need + 1);
    st = U_ZERO_ERROR;
    u_strToUTF8WithSub(s, need + 1, NULL, t->buf + start, end - start, 0xFFFD,
                       NULL, &st);
    if (U_FAILURE(st))
        need = 0;
    s[need] = '\0';
    return s;
}

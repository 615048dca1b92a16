/*
 * text_norm.c - stage 2 (see text.c): one line to clean text.  Unicode
 * normalisation (ICU: NFC, NFKC for presentation forms, odd spaces and
 * quotes), glyphs to a line with letter-spaced words rejoined, and the
 * joining of a line to its paragraph with the decision on a line-end
 * hyphen (the document's own words, then hunspell's list in words.c).
 */
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "text_int.h"

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

/* Applies NFC to the line in place.  Most lines are already NFC, which
 * costs one quick check; otherwise each normalisation segment is
 * normalised alone and its output mapped to the segment's first unit. */
void lbuf_nfc(lbuf *lb)
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

void lbuf_put(lbuf *lb, UChar32 c, const od_pos *p, int *bad)
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

void lbuf_trim_end(lbuf *lb)
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

UChar32 first_cp(const GArray *u)
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
void join_line(out_t *o, const lbuf *lb, GHashTable *words,
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

void lbuf_init(lbuf *lb)
{
    lb->u = g_array_new(FALSE, FALSE, sizeof(UChar));
    lb->pos = g_array_new(FALSE, FALSE, sizeof(od_pos));
    lb->tmp = g_array_new(FALSE, FALSE, sizeof(UChar));
}

void lbuf_reset(lbuf *lb)
{
    g_array_set_size(lb->u, 0);
    g_array_set_size(lb->pos, 0);
}

void lbuf_clear(lbuf *lb)
{
    g_array_free(lb->u, TRUE);
    g_array_free(lb->pos, TRUE);
    g_array_free(lb->tmp, TRUE);
}

char *lbuf_utf8(const lbuf *lb)
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

bool glyph_space(gunichar c)
{
    return c == ' ' || c == '\t' || c == 0xA0 || (c >= 0x2000 && c <= 0x200B)
           || c == 0x202F || c == 0x205F || c == 0x3000 || c == '\r';
}

bool glyph_bad(gunichar c)
{
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0xFFFD
           || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF
           || is_private_use((UChar32)c);
}

/* Adds the words of line l to words (lower case, inner hyphens kept:
 * "in-house"), for the hyphen decisions. */
void collect_words(const od_pdf_page *pg, const line_t *l,
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

/* ---- One line to clean text ---- */

/* Is glyph i of line l a superscript digit, the start of a footnote
 * reference set against the character before it ("denied.4", "statutes.8",
 * "majority6")?  One to three digits clearly smaller than the line, after
 * a character of the line's size that is not a digit, ending the word or
 * followed by a letter of the line's size ("denied.4The").  Returns the
 * glyph after the digits, or i when there is no reference. */
static uint32_t fnref_end(const od_glyph *gl, const line_t *l, uint32_t i,
                          uint32_t end)
{
    uint32_t k = i;

    if (gl[i - 1].size < l->size * 0.9f || g_unichar_isdigit(gl[i - 1].ch)
        || glyph_space(gl[i - 1].ch))
        return i;
    while (k < end && k < i + 3 && gl[k].ch >= '0' && gl[k].ch <= '9'
           && gl[k].size > 0 && gl[k].size < l->size * 0.75f)
        k++;
    if (k == i || gl[i].ch == '0')
        return i;
    if (k < end && !(g_unichar_isalpha(gl[k].ch) && gl[k].size >= l->size * 0.9f))
        return i;
    return k;
}

static void note_fnref(GArray *refs, int page_no, const od_glyph *gl,
                       uint32_t i, uint32_t m)
{
    fnref_acc a;

    memset(&a, 0, sizeof a);
    a.before = pos_of(page_no, &gl[i - 1].box);
    a.ref.at = -1;
    a.ref.page = page_no;
    a.ref.box = gl[i].box;
    for (uint32_t k = i; k < m; k++) {
        a.ref.number = a.ref.number * 10 + (int)(gl[k].ch - '0');
        a.ref.box.x0 = MIN(a.ref.box.x0, gl[k].box.x0);
        a.ref.box.y0 = MIN(a.ref.box.y0, gl[k].box.y0);
        a.ref.box.x1 = MAX(a.ref.box.x1, gl[k].box.x1);
        a.ref.box.y1 = MAX(a.ref.box.y1, gl[k].box.y1);
    }
    g_array_append_val(refs, a);
}

/* Converts glyphs [g0, g1) of line l into lb: Poppler's spaces, except
 * inside letter-spaced words ("P R O C E E D I N G S"), where the narrow
 * spaces between single letters are dropped and the wider ones kept. */
void convert_line(const page_t *p, int page_no, const line_t *l,
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
            od_pos ps;
            uint32_t m = i > t->s ? fnref_end(gl, l, i, t->e) : i;
            if (m > i) {
                /* a footnote reference glued to the word before it
                 * ("denied.4"): out of the text, noted by the position
                 * of the character before it */
                if (c->refs)
                    note_fnref(c->refs, page_no, gl, i, m);
                if (m < t->e)
                    lbuf_put(lb, ' ', &NO_POS, bad);
                i = m - 1;
                continue;
            }
            ps = pos_of(page_no, &gl[i].box);
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

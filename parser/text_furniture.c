/*
 * text_furniture.c - stage 2 (see text.c): what is printed on a page but
 * is not its text.  The line numbers down the margin of pleading paper and
 * transcripts, ECF stamps (parsed by ecf.c), page numbers, running headers
 * and footers (counted across pages by their text with digits masked),
 * and the footnote zone at the foot of a page with its markers.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text_int.h"

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
void strip_margin_numbers(page_t *p, ctx_t *c)
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

/* The same column on a page read by OCR, when Tesseract did not read the
 * numbers as digits: pleading paper's 1..28 come out as short strings
 * ("NH SP WN", "= i"), often as one "line" standing over many lines of
 * text.  Dropped: lines wholly in the left margin (right edge in the
 * page's left 15%, clear of the running text's left edge), made only of
 * words of up to three characters, when there are three of them on the
 * page or one stands over three lines of text or more. */
void strip_ocr_margin(page_t *p, ctx_t *c)
{
    const od_pdf_page *pg = p->pg;
    GArray *fl = c->fl, *idx = c->idx;
    float left, line_h;
    bool tall = false;

    if (pg->source == OD_SOURCE_PDF)
        return;
    /* the running text's left edge and its usual line height */
    g_array_set_size(fl, 0);
    for (guint k = 0; k < p->lines->len; k++) {
        const line_t *l = &g_array_index(p->lines, line_t, k);
        if (l->role == ROLE_BODY && l->n >= 20)
            g_array_append_val(fl, l->box.x0);
    }
    if (fl->len < 3)
        return;
    qsort(fl->data, fl->len, sizeof(float), od_cmp_float);
    left = g_array_index(fl, float, fl->len / 10);
    g_array_set_size(fl, 0);
    for (guint k = 0; k < p->lines->len; k++) {
        const line_t *l = &g_array_index(p->lines, line_t, k);
        float h = l->box.y1 - l->box.y0;
        if (l->role == ROLE_BODY && l->n >= 20)
            g_array_append_val(fl, h);
    }
    qsort(fl->data, fl->len, sizeof(float), od_cmp_float);
    line_h = g_array_index(fl, float, fl->len / 2);

    g_array_set_size(idx, 0);
    for (guint k = 0; k < p->lines->len; k++) {
        const line_t *l = &g_array_index(p->lines, line_t, k);
        uint32_t run = 0;
        bool short_words = true;
        if (l->role != ROLE_BODY || l->n == 0 || l->n > 40
            || l->box.x1 > pg->width * 0.15 || l->box.x1 > left - 0.5f * line_h)
            continue;
        for (uint32_t i = l->g0; i <= l->g1 && short_words; i++) {
            if (i == l->g1 || glyph_space(pg->glyphs[i].ch))
                run = 0;
            else if (++run > 3)
                short_words = false;
        }
        if (!short_words)
            continue;
        g_array_append_val(idx, k);
        if (l->box.y1 - l->box.y0 >= 3 * line_h)
            tall = true;
    }
    if (idx->len >= 3 || (tall && idx->len >= 1))
        for (guint k = 0; k < idx->len; k++)
            g_array_index(p->lines, line_t, g_array_index(idx, guint, k)).role = ROLE_DROP;
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

bool in_band(const page_t *p, const line_t *l)
{
    return in_top_band(p, l) || in_bottom_band(p, l);
}

int cmp_line_y(const void *a, const void *b, void *data)
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
void find_stamps(page_t *p, ctx_t *c, od_ecf *ecf)
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
bool is_page_number(const char *s)
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

/* A page number alone at the foot of a page but above the bottom band (a
 * centred "3" under the text of an appellate opinion, on a page with a
 * deep bottom margin) becomes furniture: the lowest body line of the
 * page, a page number about body size in the lower quarter of the page,
 * alone on its row and apart from the line above, centred on the page or
 * on the page's running text (the median centre of its long lines). */
void foot_page_number(page_t *p, float body)
{
    line_t *low = NULL;
    float mids[64], mid, w = (float)p->pg->width;
    guint n_mids = 0;

    for (guint k = 0; k < p->lines->len; k++) {
        line_t *l = &g_array_index(p->lines, line_t, k);
        if (l->role != ROLE_BODY)
            continue;
        if (!low || l->box.y0 > low->box.y0)
            low = l;
        if (l->n >= 20 && n_mids < G_N_ELEMENTS(mids))
            mids[n_mids++] = (l->box.x0 + l->box.x1) / 2;
    }
    if (!low || !low->page_number || low->key || low->size < 0.75f * body
        || low->box.y0 < p->pg->height * 0.75)
        return;
    for (guint k = 0; k < p->lines->len; k++) {
        const line_t *l = &g_array_index(p->lines, line_t, k);
        if (l != low && l->role == ROLE_BODY
            && l->box.y1 > low->box.y0 - 0.5f * low->size)
            return; /* on its row or close under a line */
    }
    mid = (low->box.x0 + low->box.x1) / 2;
    if (fabsf(mid - w / 2) > 0.06f * w) {
        if (n_mids < 3)
            return;
        qsort(mids, n_mids, sizeof(float), od_cmp_float);
        if (fabsf(mid - mids[n_mids / 2]) > 0.06f * w)
            return;
    }
    low->role = ROLE_FURNITURE;
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
char *band_key(const page_t *p, const line_t *l, GString *s)
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

bool separator_glyphs(const page_t *p, const line_t *l)
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
void measure_lead(const page_t *p, line_t *l)
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
bool find_footnotes(page_t *p, ctx_t *c, float body, int *next_fn,
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

/* Counts how many pages carry each band line (digits masked). */
void count_band_keys(const page_t *p, ctx_t *c, GHashTable *counts)
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

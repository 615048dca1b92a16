/*
 * text_order.c - stage 2 (see text.c): lines from a page's glyphs, their
 * reading order (blocks of a column sorted by their top; lines whose
 * margin number was glued to them put back), the page's margins and line
 * pitch, and the paragraph decisions that join lines into od_para.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>

#include "text_int.h"

/* ------------------------------------------------------------------ */
/* Paragraph records                                                   */

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
void para_close(para_acc *a, const out_t *o, GArray *paras)
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

void para_open(para_acc *a, out_t *o, int page, uint32_t flags)
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
/* PDF input: lines                                                    */

void measure_line(const od_pdf_page *pg, line_t *l, GArray *fl)
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
void split_lines(const od_pdf_page *pg, GArray *lines, GArray *fl)
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

void raw_text(const od_pdf_page *pg, uint32_t g0, uint32_t g1,
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

/* Poppler orders a line that had a margin number glued to it with the
 * column of numbers, away from its neighbours.  Puts each such line back
 * before the first line that follows it on the page: one to its right on
 * the same row, or one below it. */
void reorder_moved(page_t *p)
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
void reading_order(page_t *p)
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

/* ---- Paragraph decisions ---- */

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
bool starts_para(const emit_t *e, const page_t *p, const line_t *l,
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

void emit_line(emit_t *e, const page_t *p, const line_t *l,
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
void page_geometry(page_t *p, ctx_t *c)
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

void emit_init(emit_t *e)
{
    memset(e, 0, sizeof *e);
    out_init(&e->o, true);
    e->acc.sizes = g_array_new(FALSE, FALSE, sizeof(float));
    e->paras = g_array_new(FALSE, FALSE, sizeof(od_para));
}

void emit_clear(emit_t *e)
{
    out_clear(&e->o);
    g_array_free(e->acc.sizes, TRUE);
    if (e->paras)
        g_array_free(e->paras, TRUE);
}

/*
 * text.c - stage 2 of the pipeline: clean text with a map back to the page.
 *
 * Takes the glyphs of stage 1 (pdf.c) and builds an od_text: one UTF-16
 * buffer of clean text split into paragraphs, body first and footnotes
 * after, each code unit mapped back to its page and box.  This file runs
 * the two passes (od_text_builder_*) and reads plain text
 * (od_text_from_utf8, for tests, fuzzing and .txt input); the jobs are in
 * its parts, which share text_int.h:
 *   text_pos.c        the position map, the output buffer, the queries
 *   text_norm.c       Unicode normalisation of a line, letter-spaced
 *                     words, words hyphenated across lines
 *   text_furniture.c  margin numbers, ECF stamps, running headers and
 *                     footers, page numbers, footnotes
 *   text_order.c      lines from glyphs, reading order, paragraphs
 *   text_trust.c      whether a page's text layer can be trusted
 * Stage 3 (segment.c) reads the result.
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

#include "text_int.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

/* ------------------------------------------------------------------ */
/* Plain text input                                                    */

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

/* ------------------------------------------------------------------ */
/* PDF input: the document                                             */

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
        } else if (l->n_text <= 16) { /* for foot_page_number() */
            g_string_truncate(c->s, 0);
            raw_text(p->pg, l->g0, l->g1, c->s);
            l->page_number = is_page_number(c->s->str);
        }
        wx1 = l->box.x1;
        g_array_set_size(c->refs, 0);
        convert_line(p, p->pg->number, l, l->g0, c, &dummy, &wx1);
        keep_conversion(p, l, 0, &c->lb, wx1);
        if (c->refs->len) {
            if (!p->refs)
                p->refs = g_array_new(FALSE, FALSE, sizeof(fnref_acc));
            g_array_append_vals(p->refs, c->refs->data, c->refs->len);
        }
        if (l->lead != LEAD_NONE) {
            /* the same glyphs from the marker on: references noted once */
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
    b->c.refs = g_array_new(FALSE, FALSE, sizeof(fnref_acc));
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
    strip_ocr_margin(p, &b->c);
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
        if (p->refs)
            g_array_free(p->refs, TRUE);
    }
    g_free(b->pg_arr);
    g_hash_table_destroy(b->counts);
    g_hash_table_destroy(b->words);
    g_string_chunk_free(b->keys);
    g_array_free(b->c.fl, TRUE);
    g_array_free(b->c.tok, TRUE);
    g_array_free(b->c.idx, TRUE);
    g_string_free(b->c.s, TRUE);
    g_array_free(b->c.refs, TRUE);
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
        foot_page_number(p, body_size);
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
    {
        GArray *refs = g_array_new(FALSE, FALSE, sizeof(fnref_acc));
        for (int i = 0; i < n_pages; i++)
            if (pg_arr[i].refs)
                g_array_append_vals(refs, pg_arr[i].refs->data, pg_arr[i].refs->len);
        text_place_fnrefs(t, refs);
        g_array_free(refs, TRUE);
    }

    emit_clear(&body);
    emit_clear(&foot);
    b->c = c; /* the scratch buffers, as pass 2 left them */
    builder_clear(b);
    return t;
}

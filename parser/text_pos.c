/*
 * text_pos.c - stage 2 (see text.c): the map from each UTF-16 unit of the
 * clean text back to its page and box (quarter points), the output buffer
 * the text is built in, and the queries later stages make of a finished
 * od_text (positions, line boxes, code-point indices, UTF-8 copies).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "text_int.h"

/* ------------------------------------------------------------------ */
/* Position map                                                        */

const od_pos NO_POS = {0, 0, 0, 0, 0};

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

od_pos pos_of(int page, const od_box *b)
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

void out_init(out_t *o, bool with_pos)
{
    o->u = g_array_new(FALSE, FALSE, sizeof(UChar));
    o->pos = with_pos ? g_array_new(FALSE, FALSE, sizeof(od_pos)) : NULL;
}

void out_clear(out_t *o)
{
    if (o->u)
        g_array_free(o->u, TRUE);
    if (o->pos)
        g_array_free(o->pos, TRUE);
    o->u = o->pos = NULL;
}

int32_t out_len(const out_t *o)
{
    return (int32_t)o->u->len;
}

UChar out_last(const out_t *o)
{
    return o->u->len ? g_array_index(o->u, UChar, o->u->len - 1) : 0;
}

void out_put(out_t *o, UChar c, const od_pos *p)
{
    g_array_append_val(o->u, c);
    if (o->pos)
        g_array_append_val(o->pos, *p);
}

void out_truncate(out_t *o, int32_t n)
{
    g_array_set_size(o->u, (guint)n);
    if (o->pos)
        g_array_set_size(o->pos, (guint)n);
}

void out_append(out_t *o, const out_t *src, int32_t from, int32_t to)
{
    if (to <= from)
        return;
    g_array_append_vals(o->u, &g_array_index(src->u, UChar, from),
                        (guint)(to - from));
    if (o->pos)
        g_array_append_vals(o->pos, &g_array_index(src->pos, od_pos, from),
                            (guint)(to - from));
}

od_text *text_new(void)
{
    od_text *t = g_new0(od_text, 1);

    t->warnings = g_ptr_array_new_with_free_func((GDestroyNotify)od_warning_free);
    t->map = g_new0(struct od_posmap, 1);
    return t;
}

/* Moves o and paras into t and builds the surrogate index. */
void text_finish(od_text *t, out_t *o, GArray *paras)
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

static int cmp_fnref_before(const void *a, const void *b)
{
    return memcmp(&((const fnref_acc *)a)->before, &((const fnref_acc *)b)->before,
                  sizeof(od_pos));
}

static int cmp_fnref_at(const void *a, const void *b)
{
    const od_fnref *x = a, *y = b;

    if (x->at != y->at)
        return (x->at > y->at) - (x->at < y->at);
    return (x->number > y->number) - (x->number < y->number);
}

/* Gives each footnote reference (fnref_acc, sorted here) its offset in
 * the finished text t: just after the last unit of the character before
 * the mark, found by its position.  A reference whose character is not in
 * the text (it was furniture) is left out.  t->fnrefs in text order. */
void text_place_fnrefs(od_text *t, GArray *refs)
{
    GArray *out;

    if (!refs->len || !t->map->pos)
        return;
    g_array_sort(refs, cmp_fnref_before);
    for (int32_t i = 0; i < t->len; i++) {
        fnref_acc key, *r;
        if (t->map->pos[i].page == 0)
            continue;
        key.before = t->map->pos[i];
        r = bsearch(&key, refs->data, refs->len, sizeof(fnref_acc), cmp_fnref_before);
        if (!r)
            continue;
        /* the first run of units with that position (a ligature is two) */
        for (fnref_acc *q = r; q >= (fnref_acc *)(void *)refs->data
                              && cmp_fnref_before(q, &key) == 0; q--)
            if (q->ref.at < 0 || q->ref.at == i)
                q->ref.at = i + 1;
        for (fnref_acc *q = r + 1; q < (fnref_acc *)(void *)refs->data + refs->len
                                  && cmp_fnref_before(q, &key) == 0; q++)
            if (q->ref.at < 0 || q->ref.at == i)
                q->ref.at = i + 1;
    }
    out = g_array_new(FALSE, FALSE, sizeof(od_fnref));
    for (guint k = 0; k < refs->len; k++) {
        const fnref_acc *a = &g_array_index(refs, fnref_acc, k);
        if (a->ref.at >= 0)
            g_array_append_val(out, a->ref);
    }
    g_array_sort(out, cmp_fnref_at);
    t->n_fnrefs = out->len;
    t->fnrefs = (od_fnref *)(void *)g_array_free(out, FALSE);
}

void od_text_free(od_text *t)
{
    if (!t)
        return;
    g_free(t->buf);
    g_free(t->paras);
    g_free(t->ecf);
    g_free(t->trust);
    g_free(t->fnrefs);
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

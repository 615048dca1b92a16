/*
 * text_int.h - what the parts of stage 2 share (text.c, text_pos.c,
 * text_norm.c, text_furniture.c, text_order.c, text_trust.c): the
 * position map, the buffers a line and a paragraph are built in, a page's
 * lines with their roles, and each part's functions that the others call.
 * Nothing outside stage 2 includes this header; later stages use
 * text_p.h.
 */
#ifndef ORDEX_TEXT_INT_H
#define ORDEX_TEXT_INT_H

#include <unicode/utypes.h>

#include "text_p.h"

typedef struct od_pos {
    uint16_t page;          /* 1-based; 0: no position (synthetic) */
    int16_t x0, y0, x1, y1; /* quarter points */
} od_pos;

struct od_posmap {
    od_pos *pos;     /* t->len entries, NULL for text input */
    int32_t *trail;  /* sorted indices of trail surrogates of pairs */
    size_t n_trail;
};

typedef struct out_t {
    GArray *u;   /* UChar */
    GArray *pos; /* od_pos, NULL when there are no positions */
} out_t;

/* A line under construction: UTF-16 units with one position each. */
typedef struct lbuf {
    GArray *u;   /* UChar */
    GArray *pos; /* od_pos */
    GArray *tmp; /* UChar scratch for NFC */
} lbuf;

typedef struct para_acc {
    bool open;
    od_para p;
    GArray *sizes;      /* float, one per line */
    size_t glyphs, bold;
    bool all_centered;
} para_acc;

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
    bool page_number;  /* a page number alone (band lines and short ones) */
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
    GArray *refs;     /* fnref_acc of the page's lines, NULL when none */
} page_t;

/* A footnote reference while the text is built: the position of the
 * character before the mark finds its offset in the finished text. */
typedef struct fnref_acc {
    od_pos before;
    od_fnref ref;
} fnref_acc;

typedef struct ctx_t {
    GArray *fl;   /* float scratch */
    GArray *tok;  /* tok_t scratch */
    GArray *idx;  /* guint scratch */
    GString *s;   /* UTF-8 scratch */
    lbuf lb;
    GArray *refs; /* fnref_acc: the references convert_line found, or NULL */
} ctx_t;

typedef struct tok_t {
    uint32_t s, e; /* glyph range */
    bool alnum;
    bool join;     /* no space before this token */
} tok_t;

typedef struct emit_t {
    out_t o;
    para_acc acc;
    GArray *paras;
    const page_t *pp; /* previous line and its page */
    const line_t *pl;
    float last_step;   /* between the last two lines, 0 when unknown */
    GHashTable *words; /* the document's words, for hyphens */
} emit_t;

/* A synthetic character: no page, no box. */
extern const od_pos NO_POS;

/* text_pos.c */
od_pos pos_of(int page, const od_box *b);
void out_init(out_t *o, bool with_pos);
void out_clear(out_t *o);
int32_t out_len(const out_t *o);
UChar out_last(const out_t *o);
void out_put(out_t *o, UChar c, const od_pos *p);
void out_truncate(out_t *o, int32_t n);
void out_append(out_t *o, const out_t *src, int32_t from, int32_t to);
od_text *text_new(void);
void text_finish(od_text *t, out_t *o, GArray *paras);
void text_place_fnrefs(od_text *t, GArray *refs);

/* text_norm.c */
void lbuf_nfc(lbuf *lb);
void lbuf_put(lbuf *lb, UChar32 c, const od_pos *p, int *bad);
void lbuf_trim_end(lbuf *lb);
UChar32 first_cp(const GArray *u);
void join_line(out_t *o, const lbuf *lb, GHashTable *words,
               bool hyphens);
void lbuf_init(lbuf *lb);
void lbuf_reset(lbuf *lb);
void lbuf_clear(lbuf *lb);
char *lbuf_utf8(const lbuf *lb);
bool glyph_space(gunichar c);
bool glyph_bad(gunichar c);
void collect_words(const od_pdf_page *pg, const line_t *l,
                   GHashTable *words, GString *w);
void convert_line(const page_t *p, int page_no, const line_t *l,
                  uint32_t g0, ctx_t *c, int *bad, float *word_x1);

/* text_furniture.c */
void strip_margin_numbers(page_t *p, ctx_t *c);
void strip_ocr_margin(page_t *p, ctx_t *c);
bool in_band(const page_t *p, const line_t *l);
int cmp_line_y(const void *a, const void *b, void *data);
void find_stamps(page_t *p, ctx_t *c, od_ecf *ecf);
bool is_page_number(const char *s);
void foot_page_number(page_t *p, float body);
char *band_key(const page_t *p, const line_t *l, GString *s);
bool separator_glyphs(const page_t *p, const line_t *l);
void measure_lead(const page_t *p, line_t *l);
bool find_footnotes(page_t *p, ctx_t *c, float body, int *next_fn,
                    bool open_before);
void count_band_keys(const page_t *p, ctx_t *c, GHashTable *counts);

/* text_order.c */
void para_close(para_acc *a, const out_t *o, GArray *paras);
void para_open(para_acc *a, out_t *o, int page, uint32_t flags);
void measure_line(const od_pdf_page *pg, line_t *l, GArray *fl);
void split_lines(const od_pdf_page *pg, GArray *lines, GArray *fl);
void raw_text(const od_pdf_page *pg, uint32_t g0, uint32_t g1,
              GString *s);
void reorder_moved(page_t *p);
void reading_order(page_t *p);
bool starts_para(const emit_t *e, const page_t *p, const line_t *l,
                 const lbuf *lb, float word_x1, float next_step);
void emit_line(emit_t *e, const page_t *p, const line_t *l,
               const lbuf *lb, bool new_para, uint32_t flags);
void page_geometry(page_t *p, ctx_t *c);
void emit_init(emit_t *e);
void emit_clear(emit_t *e);

/* text_trust.c */
void warn_page(od_text *t, const page_t *p, size_t body_letters,
               size_t bad, size_t total);

#endif /* ORDEX_TEXT_INT_H */

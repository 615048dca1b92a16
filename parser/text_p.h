/*
 * text_p.h - the interface of stage 2 (text.c and its parts: text_pos.c,
 * text_norm.c, text_furniture.c, text_order.c, text_trust.c): the clean
 * text with its paragraphs and its map back to the page, which every later
 * stage reads.  The parts of stage 2 share text_int.h besides; nothing
 * outside stage 2 includes that one.
 */
#ifndef ORDEX_TEXT_P_H
#define ORDEX_TEXT_P_H

#include "ordex_p.h"

enum {
    OD_PARA_FOOTNOTE = 1u << 0, /* footnote text (placed after the body) */
    OD_PARA_BOLD = 1u << 1,     /* most glyphs bold */
    OD_PARA_CENTERED = 1u << 2, /* centred on the page */
    OD_PARA_CAPS = 1u << 3,     /* no lower-case letters */
    OD_PARA_INDENTED = 1u << 4, /* first line indented */
    OD_PARA_PAGE_TOP = 1u << 5, /* first paragraph on page 1 block area */
};

/* A paragraph of clean text, as found by layout (stage 2).  Stage 3 gives
 * it a kind. */
typedef struct od_para {
    int32_t start, end; /* in od_text.buf; the text between paragraphs is "\n\n" */
    int page;           /* 1-based page of the first character (0: no PDF) */
    od_box box;         /* box on that page */
    float size;         /* median font size, 0 when unknown */
    uint32_t flags;     /* OD_PARA_* */
    int n_lines;        /* lines of the source layout */
    int footnote;       /* footnote number for OD_PARA_FOOTNOTE, else 0 */
} od_para;

/* A footnote reference printed glued to the word before it ("denied.4",
 * the 4 set as a superscript): kept out of the text and noted here. */
typedef struct od_fnref {
    int32_t at;  /* in od_text.buf: where the mark stood (just after "denied.") */
    int number;  /* the footnote's number */
    int page;    /* 1-based page of the mark */
    od_box box;  /* the mark's box */
} od_fnref;

struct od_text {
    UChar *buf;          /* clean text, NUL-terminated */
    int32_t len;         /* in UTF-16 units */
    od_para *paras;      /* in text order: body first, footnotes after */
    size_t n_paras;
    int n_pages;         /* pages of the source (0 for plain text input) */
    od_ecf *ecf;         /* n_pages entries; ecf[i].case_number[0]=='\0' if none */
    uint8_t *trust;      /* n_pages od_trust entries (PDF input), else NULL */
    GPtrArray *warnings; /* od_warning* */
    od_fnref *fnrefs;    /* footnote references, in text order (PDF input) */
    size_t n_fnrefs;
    struct od_posmap *map; /* private to stage 2 (text_int.h) */
};

/* Stage 2 from a PDF: pages[0..n_pages) as loaded by stage 1 (NULL entries
 * for pages that failed to load). */
od_text *od_text_from_pages(od_pdf_page *const *pages, int n_pages);
/* The same, a page at a time, so that a caller need not hold every page:
 * od_text_builder_add reads what it needs of the page (which the caller
 * may free right after); pages never added are reported unreadable.
 * od_text_builder_finish consumes the builder; od_text_builder_free
 * drops one that is not finished. */
typedef struct od_text_builder od_text_builder;
od_text_builder *od_text_builder_new(int n_pages);
void od_text_builder_add(od_text_builder *b, int index, const od_pdf_page *page);
od_text *od_text_builder_finish(od_text_builder *b);
void od_text_builder_free(od_text_builder *b);

/* Whether a page's text layer can be trusted, and if not why.  Stage 2
 * decides it for every page (od_text.trust) and warns with the code of
 * the reason; OCR (ocr.c) reads the pages it distrusts. */
typedef enum od_trust {
    OD_TRUST_OK = 0,
    OD_TRUST_NO_TEXT,     /* "no_text_layer": no characters at all */
    OD_TRUST_UNDECODABLE, /* "undecodable_text": fonts without a Unicode map */
    OD_TRUST_ONLY_STAMP,  /* "only_stamp_text": the ECF stamp or a banner only */
    OD_TRUST_IMAGE,       /* "little_text_on_image": a page-size image, little text */
    OD_TRUST_UNREADABLE,  /* "page_unreadable": Poppler could not load it */
    OD_TRUST_N
} od_trust;

/* The warning code of a reason ("no_text_layer"), NULL for OD_TRUST_OK. */
const char *od_trust_code(od_trust t);
/* The decision from a page's counts: n_glyphs, the non-space characters
 * of its body lines (total) and how many of them are undecodable (bad),
 * the letters left in its body once furniture is removed, whether it has
 * an ECF stamp and the share of the page covered by images. */
od_trust od_trust_decide(size_t n_glyphs, size_t total, size_t bad,
                         size_t body_letters, bool stamp, double image_area);
/* Marks in keep[0..pg->n_glyphs) the glyphs of pg's ECF stamp lines (the
 * lines stage 2 would take as the stamp); returns how many. */
size_t od_text_stamp_glyphs(const od_pdf_page *pg, uint8_t *keep);
/* Stage 2 from plain UTF-8 text (tests, fuzzing, .txt input): paragraphs
 * are separated by blank lines, '\f' starts a new page.  Invalid UTF-8 is
 * an error: returns NULL, *msg = "invalid UTF-8 at byte N". */
od_text *od_text_from_utf8(const char *utf8, size_t len, char **msg);

void od_text_free(od_text *t);

/* Position of the span [start,end): the page of its first character and
 * the union of the boxes of its characters on that page.  Returns false
 * (page 0, zero box) when the span has no position (text input). */
bool od_text_position(const od_text *t, int32_t start, int32_t end,
                      int *page, od_box *box);
/* Per-line boxes of the span (for highlights): appends od_box and page
 * numbers to the arrays.  Returns the count. */
size_t od_text_line_boxes(const od_text *t, int32_t start, int32_t end,
                          GArray *boxes, GArray *pages);
/* Code-point index of UTF-16 index i (for the JSON). */
int32_t od_text_cp_index(const od_text *t, int32_t i);
/* UTF-8 copy of [start,end), g_free it. */
char *od_text_utf8(const od_text *t, int32_t start, int32_t end);

#endif /* ORDEX_TEXT_P_H */

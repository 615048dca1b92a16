/*
 * check_text.c - unit tests of stage 2 (parser/text.c): normalisation,
 * paragraphs and errors of od_text_from_utf8, and od_text_from_pages on
 * synthetic pages built glyph by glyph (ECF stamp, page numbers, margin
 * line numbers, hyphens, letter spacing, footnotes, warnings and the
 * trust decision behind them), plus the
 * position queries.  A last case reads real PDFs of ../shared/corpus when
 * they are there and passes quietly when they are not.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "ordex_p.h"
#include "text_p.h"

/* ---- helpers ------------------------------------------------------ */

static char *all_text(const od_text *t)
{
    return od_text_utf8(t, 0, t->len);
}

static char *para_text(const od_text *t, size_t i)
{
    ck_assert_uint_lt(i, t->n_paras);
    return od_text_utf8(t, t->paras[i].start, t->paras[i].end);
}

static od_text *from_utf8(const char *s)
{
    char *msg = NULL;
    od_text *t = od_text_from_utf8(s, strlen(s), &msg);

    ck_assert_msg(t != NULL, "od_text_from_utf8 failed: %s", msg ? msg : "");
    ck_assert_ptr_null(msg);
    return t;
}

static void expect_clean(const char *in, const char *want)
{
    od_text *t = from_utf8(in);
    char *s = all_text(t);

    ck_assert_str_eq(s, want);
    g_free(s);
    od_text_free(t);
}

/* A synthetic page: glyphs appended line by line. */
typedef struct {
    od_pdf_page *page;
    GArray *glyphs;
} page_builder;

static page_builder builder_new(int number)
{
    page_builder b;

    b.page = g_new0(od_pdf_page, 1);
    b.page->number = number;
    b.page->width = 612;
    b.page->height = 792;
    b.glyphs = g_array_new(FALSE, FALSE, sizeof(od_glyph));
    return b;
}

/* Adds one line of text at (x, y): letters 0.5 * size wide, spaces
 * space_w wide, then Poppler's '\n'. */
static void add_line_sized(page_builder *b, float x, float y, float size,
                           float space_w, const char *utf8, uint8_t flags)
{
    od_glyph g;

    for (const char *p = utf8; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        float w = c == ' ' ? space_w : size * 0.5f;
        memset(&g, 0, sizeof g);
        g.ch = c;
        g.box.x0 = x;
        g.box.x1 = x + w;
        g.box.y0 = y;
        g.box.y1 = y + size;
        g.size = size;
        g.flags = flags;
        g_array_append_val(b->glyphs, g);
        x += w;
    }
    memset(&g, 0, sizeof g);
    g.ch = '\n';
    if (b->glyphs->len)
        g = g_array_index(b->glyphs, od_glyph, b->glyphs->len - 1);
    g.ch = '\n';
    g_array_append_val(b->glyphs, g);
}

static void add_line(page_builder *b, float x, float y, const char *utf8)
{
    add_line_sized(b, x, y, 12, 3, utf8, 0);
}

static od_pdf_page *builder_done(page_builder *b)
{
    b->page->n_glyphs = b->glyphs->len;
    b->page->glyphs = (od_glyph *)(void *)g_array_free(b->glyphs, FALSE);
    return b->page;
}

static void free_pages(od_pdf_page **pages, int n)
{
    for (int i = 0; i < n; i++)
        od_pdf_page_free(pages[i]);
}

static const od_warning *find_warning(const od_text *t, const char *code)
{
    for (guint i = 0; i < t->warnings->len; i++) {
        const od_warning *w = g_ptr_array_index(t->warnings, i);
        if (strcmp(w->code, code) == 0)
            return w;
    }
    return NULL;
}

/* ---- od_text_from_utf8 -------------------------------------------- */

START_TEST(normalise_characters)
{
    expect_clean("\xef\xac\x81le \xef\xac\x82oor", "file floor"); /* ligatures */
    expect_clean("a\xc2\xa0" "b\xe2\x80\x83" "c", "a b c");       /* nbsp, em space */
    expect_clean("\xe2\x80\x9cquoted\xe2\x80\x9d and \xe2\x80\x98single\xe2\x80\x99",
                 "\"quoted\" and 'single'");
    expect_clean("con\xc2\xad" "clusion", "conclusion");             /* soft hyphen */
    expect_clean("zero\xe2\x80\x8bwidth\xef\xbb\xbf", "zerowidth");
    expect_clean("non\xe2\x80\x90party", "non-party");            /* U+2010 */
    /* kept as printed: section sign, one half, ellipsis, en and em dash */
    expect_clean("\xc2\xa7 1 \xc2\xbd \xe2\x80\xa6 9\xe2\x80\x93" "10 a\xe2\x80\x94" "b",
                 "\xc2\xa7 1 \xc2\xbd \xe2\x80\xa6 9\xe2\x80\x93" "10 a\xe2\x80\x94" "b");
    /* NFC: e + combining acute -> e-acute */
    expect_clean("cafe\xcc\x81", "caf\xc3\xa9");
    /* full-width forms take NFKC */
    expect_clean("\xef\xbc\xa1\xef\xbc\x91", "A1");
}
END_TEST

START_TEST(paragraphs_from_text)
{
    od_text *t = from_utf8("  First line\nsecond   line  \n\n \t \nNext para.\r\n\n\n");
    char *s = all_text(t);

    ck_assert_str_eq(s, "First line second line\n\nNext para.");
    ck_assert_uint_eq(t->n_paras, 2);
    ck_assert_int_eq(t->paras[0].start, 0);
    ck_assert_int_eq(t->paras[0].end, 22);
    ck_assert_int_eq(t->paras[0].n_lines, 2);
    ck_assert_int_eq(t->paras[1].start, 24);
    ck_assert_int_eq(t->paras[1].end, 34);
    ck_assert_int_eq(t->paras[0].page, 0);
    ck_assert_int_eq(t->n_pages, 0);
    ck_assert_ptr_null(t->ecf);
    g_free(s);
    od_text_free(t);

    t = from_utf8("ORDER\n\nThe motion is granted.");
    ck_assert(t->paras[0].flags & OD_PARA_CAPS);
    ck_assert(!(t->paras[1].flags & OD_PARA_CAPS));
    od_text_free(t);

    t = from_utf8("");
    ck_assert_int_eq(t->len, 0);
    ck_assert_uint_eq(t->n_paras, 0);
    od_text_free(t);
}
END_TEST

START_TEST(pages_from_form_feed)
{
    od_text *t = from_utf8("Page one text.\fPage two\ncontinues.\f");
    char *s = all_text(t);
    int page = -1;
    od_box box;

    ck_assert_str_eq(s, "Page one text.\n\nPage two continues.");
    ck_assert_int_eq(t->n_pages, 2);
    ck_assert_uint_eq(t->n_paras, 2);
    ck_assert_int_eq(t->paras[0].page, 1);
    ck_assert_int_eq(t->paras[1].page, 2);
    ck_assert(!od_text_position(t, 0, 4, &page, &box));
    ck_assert_int_eq(page, 0);
    ck_assert(box.x0 == 0 && box.y1 == 0);
    g_free(s);
    od_text_free(t);
}
END_TEST

START_TEST(text_stamp_lines_removed)
{
    od_text *t = from_utf8("Case 1:12-cv-05708-ER Document 11 Filed 09/27/13 Page 1 of 2\n"
                           "ORDER\n\fCase 1:12-cv-05708-ER Document 11 Filed 09/27/13 "
                           "Page 2 of 2\nSO ORDERED.\n");
    char *s = all_text(t);

    ck_assert_str_eq(s, "ORDER\n\nSO ORDERED.");
    ck_assert_int_eq(t->n_pages, 2);
    ck_assert_str_eq(t->ecf[0].case_number, "1:12-cv-05708-ER");
    ck_assert_int_eq(t->ecf[1].page, 2);
    g_free(s);
    od_text_free(t);
}
END_TEST

START_TEST(invalid_utf8)
{
    char *msg = NULL;
    const char bad[] = "abc\xff" "def";
    const char overlong[] = "ok \xc0\xaf";

    ck_assert_ptr_null(od_text_from_utf8(bad, strlen(bad), &msg));
    ck_assert_str_eq(msg, "invalid UTF-8 at byte 3");
    g_free(msg);
    msg = NULL;
    ck_assert_ptr_null(od_text_from_utf8(overlong, strlen(overlong), &msg));
    ck_assert_str_eq(msg, "invalid UTF-8 at byte 3");
    g_free(msg);
    msg = NULL;
    /* a truncated sequence at the very end */
    ck_assert_ptr_null(od_text_from_utf8("ab\xe2\x80", 4, &msg));
    ck_assert_str_eq(msg, "invalid UTF-8 at byte 2");
    g_free(msg);
}
END_TEST

START_TEST(cp_index_non_bmp)
{
    /* U+1F600 takes two UTF-16 units */
    od_text *t = from_utf8("a\xf0\x9f\x98\x80" "b \xf0\x9f\x98\x80" "c");
    char *s;

    ck_assert_int_eq(t->len, 8);
    ck_assert_int_eq(od_text_cp_index(t, 0), 0);
    ck_assert_int_eq(od_text_cp_index(t, 1), 1);
    ck_assert_int_eq(od_text_cp_index(t, 3), 2);
    ck_assert_int_eq(od_text_cp_index(t, 4), 3);
    ck_assert_int_eq(od_text_cp_index(t, 5), 4);
    ck_assert_int_eq(od_text_cp_index(t, 7), 5);
    ck_assert_int_eq(od_text_cp_index(t, 8), 6);
    ck_assert_int_eq(od_text_cp_index(t, 99), 6);
    s = od_text_utf8(t, 1, 4);
    ck_assert_str_eq(s, "\xf0\x9f\x98\x80" "b");
    g_free(s);
    s = od_text_utf8(t, 5, 2); /* empty when reversed */
    ck_assert_str_eq(s, "");
    g_free(s);
    od_text_free(t);
}
END_TEST

/* ---- od_text_from_pages ------------------------------------------- */

/* Two pleading-paper pages: stamp on top, margin numbers 1..28 at x=20,
 * page number at the bottom. */
static od_pdf_page *pleading_page(int number, const char *const *body,
                                  size_t n_body)
{
    page_builder b = builder_new(number);
    char stamp[128];

    g_snprintf(stamp, sizeof stamp,
               "Case 1:25-md-03143-SHS-OTW Document 812 Filed 11/24/25 Page %d of 2",
               number);
    add_line(&b, 72, 20, stamp);
    for (int i = 1; i <= 28; i++) {
        char num[8];
        g_snprintf(num, sizeof num, "%d", i);
        add_line(&b, 20, 72 + 24 * (i - 1), num);
    }
    for (size_t i = 0; i < n_body; i++)
        add_line(&b, body[i][0] == '>' ? 108 : 72, 72 + 24 * (float)i,
                 body[i][0] == '>' ? body[i] + 1 : body[i]);
    {
        char pn[8];
        g_snprintf(pn, sizeof pn, "- %d -", number);
        add_line(&b, 290, 750, pn);
    }
    return builder_done(&b);
}

START_TEST(furniture_removed)
{
    /* Body lines fill the 468-point measure (78 letters of 6 points) so
     * that the short last line of a paragraph ends it. */
    static const char *const p1[] = {
        ">The court has read the papers filed by the parties and finds that the concl-",
        "usion of the magistrate judge is correct and that the objections are without",
        "merit.",
        ">Accordingly, the motion is granted.",
    };
    static const char *const p2[] = {
        ">The court orders that the non-",
        "party shall comply with this order within fourteen days of its entry.",
    };
    od_pdf_page *pages[2];
    od_text *t;
    char *s;

    pages[0] = pleading_page(1, p1, G_N_ELEMENTS(p1));
    pages[1] = pleading_page(2, p2, G_N_ELEMENTS(p2));
    t = od_text_from_pages(pages, 2);
    s = all_text(t);
    ck_assert_str_eq(s,
                     "The court has read the papers filed by the parties and finds "
                     "that the conclusion of the magistrate judge is correct and that "
                     "the objections are without merit.\n\n"
                     "Accordingly, the motion is granted.\n\n"
                     "The court orders that the non-party shall comply with this "
                     "order within fourteen days of its entry.");
    ck_assert_int_eq(t->n_pages, 2);
    ck_assert_str_eq(t->ecf[0].case_number, "1:25-md-03143-SHS-OTW");
    ck_assert_str_eq(t->ecf[0].document, "812");
    ck_assert_str_eq(t->ecf[0].filed, "2025-11-24");
    ck_assert_int_eq(t->ecf[0].page, 1);
    ck_assert_int_eq(t->ecf[1].page, 2);
    ck_assert_int_eq(t->ecf[1].page_count, 2);
    ck_assert_uint_eq(t->n_paras, 3);
    ck_assert_int_eq(t->paras[0].page, 1);
    ck_assert_int_eq(t->paras[0].n_lines, 3);
    ck_assert(t->paras[0].flags & OD_PARA_INDENTED);
    ck_assert_int_eq(t->paras[2].page, 2);
    ck_assert_uint_eq(t->warnings->len, 0);
    g_free(s);
    od_text_free(t);
    free_pages(pages, 2);
}
END_TEST

/* Issue 21: a page whose only line converts to nothing (soft hyphens,
 * which normalisation removes) keeps no text at all; stage 2 used to
 * offset its NULL store by zero (clang UBSan: "applying zero offset to
 * null pointer").  tests/fuzz/regress/pdf-soft-hyphens-only-line.pdf is
 * the same page as a PDF, replayed under clang's UBSan by make fuzz. */
START_TEST(page_without_kept_text)
{
    page_builder b1 = builder_new(1), b2 = builder_new(2);
    od_pdf_page *pages[2];
    od_text *t;
    char *s;

    add_line(&b1, 72, 300, "\xc2\xad\xc2\xad \xc2\xad\xc2\xad");
    pages[0] = builder_done(&b1);
    add_line(&b2, 72, 300, "IT IS SO ORDERED.");
    pages[1] = builder_done(&b2);
    t = od_text_from_pages(pages, 2);
    s = all_text(t);
    ck_assert_str_eq(s, "IT IS SO ORDERED.");
    ck_assert_int_eq(t->n_pages, 2);
    ck_assert_int_eq(t->paras[0].page, 2);
    g_free(s);
    od_text_free(t);
    free_pages(pages, 2);
}
END_TEST

/* Issue 21: text at 0.5 pt was empty: its glyphs, a quarter point wide,
 * are within half a point of each other, which vertical_run took for
 * letters stacked down the margin. */
START_TEST(half_point_text)
{
    page_builder b = builder_new(1);
    od_pdf_page *pages[1];
    od_text *t;
    char *s;

    add_line_sized(&b, 72, 300, 0.5f, 0.14f, "IT IS SO ORDERED that the parties shall file.", 0);
    pages[0] = builder_done(&b);
    t = od_text_from_pages(pages, 1);
    s = all_text(t);
    ck_assert_str_eq(s, "IT IS SO ORDERED that the parties shall file.");
    g_free(s);
    od_text_free(t);
    free_pages(pages, 1);
}
END_TEST

START_TEST(overlapping_stamps)
{
    page_builder b = builder_new(1);
    od_pdf_page *pages[1];
    od_text *t;
    char *s;

    /* two stamps printed over each other, a tenth of a point apart */
    add_line_sized(&b, 104.875f, 16.375f, 12, 3,
                   "Case 3:04-cv-00098-SI Document 577 Filed 10/11/2006 Page 1 of 4", 0);
    add_line_sized(&b, 121.75f, 16.25f, 12, 3,
                   "Case 3:04-cv-00098-SI Document 581 Filed 10/16/06 Page 1 of 4", 0);
    add_line(&b, 72, 300, "ORDER");
    pages[0] = builder_done(&b);
    t = od_text_from_pages(pages, 1);
    s = all_text(t);
    ck_assert_str_eq(s, "ORDER");
    ck_assert_str_eq(t->ecf[0].document, "577"); /* the first one */
    ck_assert_str_eq(t->ecf[0].filed, "2006-10-11");
    g_free(s);
    od_text_free(t);
    free_pages(pages, 1);
}
END_TEST

START_TEST(positions)
{
    static const char *const p1[] = {">Hello court world."};
    static const char *const p2[] = {">Second page here."};
    od_pdf_page *pages[2];
    od_text *t;
    int page = 0;
    od_box box;
    GArray *boxes = g_array_new(FALSE, FALSE, sizeof(od_box));
    GArray *pgs = g_array_new(FALSE, FALSE, sizeof(int));
    char *s;

    pages[0] = pleading_page(1, p1, 1);
    pages[1] = pleading_page(2, p2, 1);
    t = od_text_from_pages(pages, 2);
    s = para_text(t, 0);
    ck_assert_str_eq(s, "Hello court world.");
    g_free(s);
    /* "court" is characters 6..11: x = 108 + 5 * 6 + 3 (one space) */
    ck_assert(od_text_position(t, t->paras[0].start + 6, t->paras[0].start + 11,
                               &page, &box));
    ck_assert_int_eq(page, 1);
    ck_assert_float_eq(box.x0, 141.0f);
    ck_assert_float_eq(box.x1, 171.0f);
    ck_assert_float_eq(box.y0, 72.0f);
    ck_assert_float_eq(box.y1, 84.0f);
    /* a span over the paragraph break: page of its first character, box
     * of its characters on that page only */
    ck_assert(od_text_position(t, t->paras[0].end - 1, t->paras[1].start + 5,
                               &page, &box));
    ck_assert_int_eq(page, 1);
    ck_assert_float_eq(box.x0, 204.0f);
    ck_assert_uint_eq(od_text_line_boxes(t, t->paras[0].start, t->paras[1].end,
                                         boxes, pgs),
                      2);
    ck_assert_int_eq(g_array_index(pgs, int, 0), 1);
    ck_assert_int_eq(g_array_index(pgs, int, 1), 2);
    ck_assert_float_eq(g_array_index(boxes, od_box, 1).x0, 108.0f);
    /* the synthetic "\n\n" has no position */
    ck_assert(!od_text_position(t, t->paras[0].end, t->paras[0].end + 2, &page,
                                &box));
    g_array_free(boxes, TRUE);
    g_array_free(pgs, TRUE);
    od_text_free(t);
    free_pages(pages, 2);
}
END_TEST

START_TEST(letter_spacing_and_compounds)
{
    page_builder b = builder_new(1);
    od_pdf_page *pages[1];
    od_text *t;
    char *s;

    /* "P R O C E E D I N G S" with narrow spaces, words apart by wider */
    add_line_sized(&b, 200, 100, 12, 2, "P R O C E E D I N G S", 0);
    add_line_sized(&b, 200, 130, 12, 2, "B E F O R E", 0);
    /* words apart by two narrow spaces */
    add_line_sized(&b, 200, 160, 12, 2, "J o s e p h  A.  B o n d y", 0);
    add_line(&b, 72, 200,
             "Plaintiffs shall serve the in-house counsel and the other in-");
    add_line(&b, 72, 214, "house lawyers and the local staff with a copy of the Smith-");
    add_line(&b, 72, 228, "Jones report before the hearing in the case.");
    pages[0] = builder_done(&b);
    t = od_text_from_pages(pages, 1);
    s = all_text(t);
    ck_assert_str_eq(s, "PROCEEDINGS\n\nBEFORE\n\nJoseph A. Bondy\n\n"
                        "Plaintiffs shall serve the in-house counsel and the other "
                        "in-house lawyers and the local staff with a copy of the "
                        "Smith-Jones report before the "
                        "hearing in the case.");
    g_free(s);
    od_text_free(t);
    free_pages(pages, 1);
}
END_TEST

/* Line-end hyphens decided by hunspell's word list (words.c) when the
 * document's own words say nothing: "re-" + "viewed" and "inter-" + "nal"
 * are one word; "attorney-" + "client" are two words that stay
 * hyphenated.  Skips when no en_US dictionary is installed. */
START_TEST(hyphens_by_dictionary)
{
    page_builder b = builder_new(1);
    od_pdf_page *pages[1];
    od_text *t;
    char *s;

    if (od_word_known("reviewed") < 0) {
        free_pages((od_pdf_page *[]){builder_done(&b)}, 1);
        return; /* no dictionary */
    }
    add_line(&b, 72, 200, "The Court has re-");
    add_line(&b, 72, 214, "viewed the inter-");
    add_line(&b, 72, 228, "nal memo and the attorney-");
    add_line(&b, 72, 242, "client log.");
    pages[0] = builder_done(&b);
    t = od_text_from_pages(pages, 1);
    s = all_text(t);
    ck_assert_str_eq(s, "The Court has reviewed the internal memo and the "
                        "attorney-client log.");
    ck_assert_int_eq(od_word_known("reviewed"), 1);
    ck_assert_int_eq(od_word_known("attorneyclient"), 0);
    {
        char *stem = od_word_stem("filing");
        ck_assert_str_eq(stem, "file");
        g_free(stem);
    }
    g_free(s);
    od_text_free(t);
    free_pages(pages, 1);
}
END_TEST

START_TEST(footnotes_after_body)
{
    page_builder b = builder_new(1);
    od_pdf_page *pages[2];
    od_text *t;
    char *s;
    od_glyph *g;

    add_line(&b, 72, 100,
             "The court grants the motion.1 The parties shall file a joint report");
    add_line(&b, 72, 114, "by Friday.");
    /* footnote: superscript 1 (size 6) then 9-point text */
    add_line_sized(&b, 72, 690, 6, 2, "1", 0);
    g_array_set_size(b.glyphs, b.glyphs->len - 1);
    add_line_sized(&b, 75, 690, 9, 2.25f, " See Fed. R. Civ. P. 6.", 0);
    add_line_sized(&b, 72, 700, 9, 2.25f, "It applies here.", 0);
    pages[0] = builder_done(&b);
    /* make the body marker "1" (glyph 28) a superscript */
    g = &pages[0]->glyphs[28];
    ck_assert_uint_eq(g->ch, '1');
    g->size = 6;
    b = builder_new(2);
    add_line(&b, 72, 100, "IT IS SO ORDERED.");
    pages[1] = builder_done(&b);

    t = od_text_from_pages(pages, 2);
    s = all_text(t);
    /* the reference "1" is out of the sentence, noted in t->fnrefs */
    ck_assert_str_eq(s, "The court grants the motion. The parties shall file a joint "
                        "report by Friday.\n\nIT IS SO ORDERED.\n\n"
                        "See Fed. R. Civ. P. 6. It applies here.");
    ck_assert_uint_eq(t->n_fnrefs, 1);
    ck_assert_int_eq(t->fnrefs[0].number, 1);
    ck_assert_int_eq(t->fnrefs[0].at, 28); /* just after "motion." */
    ck_assert_int_eq(t->fnrefs[0].page, 1);
    /* 24 letters of 6 points and 4 spaces of 3 before it */
    ck_assert_float_eq(t->fnrefs[0].box.x0, 72 + 24 * 6.0f + 4 * 3.0f);
    ck_assert_uint_eq(t->n_paras, 3);
    ck_assert(!(t->paras[0].flags & OD_PARA_FOOTNOTE));
    ck_assert(t->paras[2].flags & OD_PARA_FOOTNOTE);
    ck_assert_int_eq(t->paras[2].footnote, 1);
    ck_assert_int_eq(t->paras[2].page, 1);
    ck_assert_float_eq(t->paras[2].size, 9.0f);
    g_free(s);
    od_text_free(t);
    free_pages(pages, 2);
}
END_TEST

/* Footnote references glued to the word before them: a superscript after
 * a letter, after a closing quote, before the next word without a space
 * ("denied.4The"), and two digits.  Digits of the line's own size stay
 * ("Rule 26", "P. 6."), and so does a small digit after a digit. */
START_TEST(footnote_refs_glued)
{
    static const char *const lines[] = {
        "The vast majority6 of the agreements were denied.12 See Rule 26 and",
        "the \"compact\".3 The motion was denied.4The parties filed P. 6. in 2019",
    };
    page_builder b = builder_new(1);
    od_pdf_page *pages[1];
    od_text *t;
    char *s;

    for (int k = 0; k < 2; k++)
        add_line(&b, 72, 100 + 14 * k, lines[k]);
    pages[0] = builder_done(&b);
    /* the superscripts: "6", "12", "3", "4" (set at 6 points) and the
     * "9" of "2019" (after a digit: not a reference) */
    for (uint32_t i = 0; i < pages[0]->n_glyphs; i++) {
        od_glyph *g = &pages[0]->glyphs[i];
        const od_glyph *prev = i ? &pages[0]->glyphs[i - 1] : NULL;
        const od_glyph *next = &pages[0]->glyphs[i + 1];
        if (!prev || g->ch < '0' || g->ch > '9')
            continue;
        if ((prev->ch == 'y' && g->ch == '6') || (prev->ch == '.' && g->ch == '1')
            || (prev->ch == '1' && g->ch == '2' && prev->size == 6)
            || (prev->ch == '.' && (g->ch == '3' || g->ch == '4'))
            || (prev->ch == '1' && g->ch == '9' && next->ch == '\n'))
            g->size = 6;
    }
    t = od_text_from_pages(pages, 1);
    s = all_text(t);
    ck_assert_str_eq(s, "The vast majority of the agreements were denied. See Rule 26 "
                        "and the \"compact\". The motion was denied. The parties "
                        "filed P. 6. in 2019");
    ck_assert_uint_eq(t->n_fnrefs, 4);
    ck_assert_int_eq(t->fnrefs[0].number, 6);
    ck_assert_int_eq(t->fnrefs[0].at, 17); /* after "majority" */
    ck_assert_int_eq(t->fnrefs[1].number, 12);
    ck_assert_int_eq(t->fnrefs[1].at, 48); /* after "denied." */
    ck_assert_int_eq(t->fnrefs[2].number, 3);
    ck_assert_int_eq(t->fnrefs[3].number, 4);
    {
        char *before = od_text_utf8(t, t->fnrefs[2].at - 10, t->fnrefs[2].at);
        ck_assert_str_eq(before, "\"compact\".");
        g_free(before);
        before = od_text_utf8(t, t->fnrefs[3].at - 7, t->fnrefs[3].at + 4);
        ck_assert_str_eq(before, "denied. The");
        g_free(before);
    }
    g_free(s);
    od_text_free(t);
    free_pages(pages, 1);
}
END_TEST

/* A page number alone at the foot of the page but above the bottom band
 * (here at y 640 of 792): centred under the text, it is furniture; a
 * centred number higher up (a section number) and one at the left margin
 * at the foot stay.  (The body starts below the top band, where lines
 * repeated on every page would be running headers.) */
START_TEST(foot_page_number)
{
    static const char *const body =
        "The court has read the papers and finds the objections without merit.";
    od_pdf_page *pages[3];
    od_text *t;
    char *s;

    for (int i = 0; i < 3; i++) {
        page_builder b = builder_new(i + 1);
        char num[4];
        for (int k = 0; k < 6; k++)
            add_line(&b, 96, 200 + 24 * k, body);
        g_snprintf(num, sizeof num, "%d", i + 2);
        if (i == 0) {
            add_line(&b, 303, 400, "7"); /* centred, mid-page */
            add_line(&b, 96, 424, body);
            add_line(&b, 303, 640, num); /* centred on the page */
        } else if (i == 1) {
            add_line(&b, 72, 640, num); /* at the left margin */
        } else {
            /* centred on the text (96..300), not on the page */
            g_array_set_size(b.glyphs, 0);
            for (int k = 0; k < 6; k++)
                add_line(&b, 96, 200 + 24 * k, "The court finds the objections moot now.");
            add_line(&b, 216, 640, num);
        }
        pages[i] = builder_done(&b);
    }
    t = od_text_from_pages(pages, 3);
    s = all_text(t);
    {
        GString *want = g_string_new(NULL);
        for (int k = 0; k < 6; k++)
            g_string_append_printf(want, "%s%s", k ? " " : "", body);
        /* page 1: the section number stays, its page number "2" goes */
        g_string_append_printf(want, "\n\n7\n\n%s\n\n", body);
        for (int k = 0; k < 6; k++)
            g_string_append_printf(want, "%s%s", k ? " " : "", body);
        /* page 2: "3" at the left margin stays (and runs into page 3's
         * paragraph); page 3: "4", centred on the text, goes */
        g_string_append(want, "\n\n3");
        for (int k = 0; k < 6; k++)
            g_string_append(want, " The court finds the objections moot now.");
        ck_assert_str_eq(s, want->str);
        g_string_free(want, TRUE);
    }
    g_free(s);
    od_text_free(t);
    free_pages(pages, 3);
}
END_TEST

/* Pleading paper read by OCR, its margin numbers not read as digits:
 * short strings stacked in the left margin ("NH", "SP WN", "= i"), or one
 * "line" standing over many lines of text, are dropped like the text
 * layer's numbers.  One short string alone in the margin stays, and so do
 * the same strings on a page of the text layer. */
START_TEST(ocr_margin_garbage)
{
    static const char *const body =
        "WHEREAS, the Parties have been engaged in good-faith discussions;";
    od_pdf_page *pages[4];
    od_text *t;
    char *s;

    for (int i = 0; i < 4; i++) {
        page_builder b = builder_new(i + 1);
        for (int k = 0; k < 8; k++)
            add_line(&b, 108, 200 + 24 * k, body);
        if (i == 0 || i == 3) { /* stacked short strings */
            add_line(&b, 48, 200, "NH");
            add_line(&b, 48, 224, "SP WN");
            add_line(&b, 48, 248, "= i");
        } else if (i == 1) { /* one tall "line" over the text */
            guint from = b.glyphs->len;
            add_line_sized(&b, 46, 200, 150, 4, "Oe = a = i =", 0);
            /* narrow: 12 characters in 14 points */
            for (guint k = from; k < b.glyphs->len; k++) {
                od_glyph *g = &g_array_index(b.glyphs, od_glyph, k);
                g->box.x0 = 46 + (float)(k - from);
                g->box.x1 = g->box.x0 + 1;
            }
        } else { /* one alone */
            add_line(&b, 48, 224, "A1");
        }
        pages[i] = builder_done(&b);
        pages[i]->source = i == 3 ? OD_SOURCE_PDF : OD_SOURCE_OCR;
    }
    t = od_text_from_pages(pages, 4);
    s = all_text(t);
    ck_assert_ptr_null(strstr(s, "Oe ="));
    /* kept: the lone "A1" (page 3) and the text layer's strings (page 4,
     * after the last "A1") */
    ck_assert_ptr_nonnull(strstr(s, "A1"));
    ck_assert_ptr_nonnull(strstr(s, "NH"));
    ck_assert_ptr_null(strstr(strstr(s, "NH") + 1, "NH"));
    ck_assert(strstr(s, "NH") > strstr(s, "A1"));
    ck_assert_ptr_nonnull(strstr(s, "SP WN"));
    ck_assert_int_eq(t->paras[0].page, 1);
    {
        char *p0 = para_text(t, 0);
        ck_assert_str_eq(p0, "WHEREAS, the Parties have been engaged in good-faith "
                             "discussions; WHEREAS, the Parties have been engaged in "
                             "good-faith discussions; WHEREAS, the Parties have been "
                             "engaged in good-faith discussions; WHEREAS, the Parties "
                             "have been engaged in good-faith discussions; WHEREAS, the "
                             "Parties have been engaged in good-faith discussions; "
                             "WHEREAS, the Parties have been engaged in good-faith "
                             "discussions; WHEREAS, the Parties have been engaged in "
                             "good-faith discussions; WHEREAS, the Parties have been "
                             "engaged in good-faith discussions;");
        g_free(p0);
    }
    g_free(s);
    od_text_free(t);
    free_pages(pages, 4);
}
END_TEST

START_TEST(page_warnings)
{
    od_pdf_page *pages[5];
    page_builder b;
    od_text *t;
    const od_warning *w;
    char *s;

    b = builder_new(1);
    add_line(&b, 72, 100, "A readable page.");
    pages[0] = builder_done(&b);
    b = builder_new(2); /* no text at all */
    pages[1] = builder_done(&b);
    pages[2] = NULL; /* failed to load */
    b = builder_new(4); /* a scan with only the stamp */
    add_line(&b, 72, 20,
             "Case 3:04-cv-00098-SI Document 581 Filed 10/16/06 Page 4 of 5");
    pages[3] = builder_done(&b);
    pages[3]->image_area = 1.0;
    b = builder_new(5); /* text without a Unicode mapping */
    add_line(&b, 72, 100, "\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10 ab");
    pages[4] = builder_done(&b);

    t = od_text_from_pages(pages, 5);
    s = all_text(t);
    ck_assert_str_eq(s, "A readable page.");
    ck_assert_uint_eq(t->warnings->len, 4);
    w = find_warning(t, "no_text_layer");
    ck_assert_ptr_nonnull(w);
    ck_assert_int_eq(w->page, 2);
    ck_assert_str_eq(w->message, "page 2 has no text layer");
    w = find_warning(t, "page_unreadable");
    ck_assert_ptr_nonnull(w);
    ck_assert_int_eq(w->page, 3);
    ck_assert_str_eq(w->message, "page 3 could not be read");
    w = find_warning(t, "only_stamp_text");
    ck_assert_ptr_nonnull(w);
    ck_assert_str_eq(w->message, "page 4 has only an ECF stamp as text; OCR needed");
    w = find_warning(t, "undecodable_text");
    ck_assert_ptr_nonnull(w);
    ck_assert_int_eq(w->page, 5);
    ck_assert_str_eq(t->ecf[3].document, "581");
    ck_assert_str_eq(t->ecf[0].case_number, "");
    g_free(s);
    od_text_free(t);
    free_pages(pages, 5);
}
END_TEST

/* The trust decision behind those warnings, per page in od_text.trust,
 * and the stamp glyphs OCR keeps. */
START_TEST(trust_decisions)
{
    od_pdf_page *pages[4];
    page_builder b;
    od_text *t;
    uint8_t *keep;
    size_t n_stamp = strlen("Case 3:04-cv-00098-SI Document 581 Filed 10/16/06 Page 4 of 5");

    /* the counts alone */
    ck_assert_int_eq(od_trust_decide(0, 0, 0, 0, false, 0), OD_TRUST_NO_TEXT);
    ck_assert_int_eq(od_trust_decide(50, 40, 12, 30, false, 0), OD_TRUST_UNDECODABLE);
    ck_assert_int_eq(od_trust_decide(50, 40, 11, 30, false, 0), OD_TRUST_OK);
    ck_assert_int_eq(od_trust_decide(9, 9, 9, 0, false, 0), OD_TRUST_OK); /* too few to judge */
    ck_assert_int_eq(od_trust_decide(60, 50, 0, 2, true, 0), OD_TRUST_ONLY_STAMP);
    ck_assert_int_eq(od_trust_decide(60, 50, 0, 2, false, 0.4), OD_TRUST_ONLY_STAMP);
    ck_assert_int_eq(od_trust_decide(5, 3, 0, 2, false, 0), OD_TRUST_OK); /* a page number */
    ck_assert_int_eq(od_trust_decide(120, 110, 0, 99, false, 0.5), OD_TRUST_IMAGE);
    ck_assert_int_eq(od_trust_decide(120, 110, 0, 100, false, 0.9), OD_TRUST_OK);
    ck_assert_int_eq(od_trust_decide(120, 110, 0, 40, false, 0.49), OD_TRUST_OK);
    ck_assert_str_eq(od_trust_code(OD_TRUST_IMAGE), "little_text_on_image");
    ck_assert_ptr_null(od_trust_code(OD_TRUST_OK));

    b = builder_new(1);
    add_line(&b, 72, 100, "A readable page.");
    pages[0] = builder_done(&b);
    b = builder_new(2); /* a stamp over a scan */
    add_line(&b, 72, 20,
             "Case 3:04-cv-00098-SI Document 581 Filed 10/16/06 Page 4 of 5");
    pages[1] = builder_done(&b);
    pages[1]->image_area = 1.0;
    b = builder_new(3); /* a caption under a page-size image */
    add_line(&b, 72, 700, "Exhibit A, a photograph of the site.");
    pages[2] = builder_done(&b);
    pages[2]->image_area = 0.8;
    pages[3] = NULL;
    t = od_text_from_pages(pages, 4);
    ck_assert_int_eq(t->trust[0], OD_TRUST_OK);
    ck_assert_int_eq(t->trust[1], OD_TRUST_ONLY_STAMP);
    ck_assert_int_eq(t->trust[2], OD_TRUST_IMAGE);
    ck_assert_int_eq(t->trust[3], OD_TRUST_UNREADABLE);
    ck_assert_ptr_nonnull(find_warning(t, "little_text_on_image"));
    od_text_free(t);

    /* the stamp's glyphs, not the '\n' after it; none on page 1 */
    keep = g_new0(uint8_t, pages[1]->n_glyphs);
    ck_assert_uint_eq(od_text_stamp_glyphs(pages[1], keep), n_stamp);
    ck_assert_int_eq(keep[0], 1);
    ck_assert_int_eq(keep[pages[1]->n_glyphs - 1], 0);
    g_free(keep);
    keep = g_new0(uint8_t, pages[0]->n_glyphs);
    ck_assert_uint_eq(od_text_stamp_glyphs(pages[0], keep), 0);
    g_free(keep);

    /* a page read by OCR is judged by whether OCR found letters */
    pages[2]->source = OD_SOURCE_OCR;
    t = od_text_from_pages(pages, 3);
    ck_assert_int_eq(t->trust[2], OD_TRUST_OK);
    ck_assert_ptr_null(find_warning(t, "little_text_on_image"));
    od_text_free(t);
    free_pages(pages, 3);
}
END_TEST

/* ---- the real corpus, when present ---------------------------------- */

#define CORPUS "../shared/corpus/real/"

static od_text *corpus_text(const char *name)
{
    char *path = g_strconcat(CORPUS, name, NULL);
    ordex_status st;
    char *msg = NULL;
    od_pdf *pdf;
    od_pdf_page **pages;
    od_text *t;
    int n;

    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
        g_free(path);
        return NULL;
    }
    pdf = od_pdf_open_file(path, NULL, &st, &msg);
    g_free(path);
    ck_assert_msg(pdf != NULL, "%s: %s", name, msg ? msg : "");
    n = od_pdf_n_pages(pdf);
    pages = g_new0(od_pdf_page *, n);
    for (int i = 0; i < n; i++) {
        pages[i] = od_pdf_page_load(pdf, i, &msg);
        g_clear_pointer(&msg, g_free);
    }
    t = od_text_from_pages(pages, n);
    free_pages(pages, n);
    g_free(pages);
    od_pdf_free(pdf);
    return t;
}

START_TEST(real_corpus)
{
    od_text *t;
    char *s;
    size_t fn = 0;

    t = corpus_text("cacd_experian_v_leon_preliminary_injunction_order_ECF40.pdf");
    if (!t)
        return; /* corpus absent: nothing to check */
    s = all_text(t);
    ck_assert_ptr_null(strstr(s, "Case 8:16-cv-01261"));
    ck_assert_ptr_nonnull(strstr(s, "THUS, IT IS HEREBY ORDERED THAT:\n\n1. Defendant Leon"));
    ck_assert_ptr_nonnull(strstr(s, "set to expire on July 25, 2016 based on"));
    ck_assert_str_eq(t->ecf[0].page_id, "365");
    ck_assert_int_eq(t->ecf[3].page, 4);
    g_free(s);
    od_text_free(t);

    t = corpus_text("scotus_tarrant_v_herrmann_slip_opinion_text.pdf");
    ck_assert_ptr_nonnull(t);
    for (size_t i = 0; i < t->n_paras; i++)
        if (t->paras[i].flags & OD_PARA_FOOTNOTE) {
            ck_assert_int_eq(t->paras[i].footnote, (int)++fn);
            ck_assert(i + 1 == t->n_paras
                      || (t->paras[i + 1].flags & OD_PARA_FOOTNOTE));
        }
    ck_assert_uint_eq(fn, 13);
    od_text_free(t);

    t = corpus_text("nysd_daniel_v_tm_protection_order_no_tounicode.pdf");
    ck_assert_ptr_nonnull(t);
    ck_assert_ptr_nonnull(find_warning(t, "undecodable_text"));
    ck_assert_str_eq(t->ecf[0].case_number, "1:13-cv-04384-PAE-HBP");
    od_text_free(t);
}
END_TEST

static Suite *text_suite(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("utf8");
    TCase *tp = tcase_create("pages");
    TCase *tr = tcase_create("corpus");

    tcase_add_test(tc, normalise_characters);
    tcase_add_test(tc, paragraphs_from_text);
    tcase_add_test(tc, pages_from_form_feed);
    tcase_add_test(tc, text_stamp_lines_removed);
    tcase_add_test(tc, invalid_utf8);
    tcase_add_test(tc, cp_index_non_bmp);
    suite_add_tcase(s, tc);
    tcase_add_test(tp, furniture_removed);
    tcase_add_test(tp, overlapping_stamps);
    tcase_add_test(tp, page_without_kept_text);
    tcase_add_test(tp, half_point_text);
    tcase_add_test(tp, positions);
    tcase_add_test(tp, letter_spacing_and_compounds);
    tcase_add_test(tp, hyphens_by_dictionary);
    tcase_add_test(tp, footnotes_after_body);
    tcase_add_test(tp, footnote_refs_glued);
    tcase_add_test(tp, foot_page_number);
    tcase_add_test(tp, ocr_margin_garbage);
    tcase_add_test(tp, page_warnings);
    tcase_add_test(tp, trust_decisions);
    suite_add_tcase(s, tp);
    tcase_set_timeout(tr, 60);
    tcase_add_test(tr, real_corpus);
    suite_add_tcase(s, tr);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(text_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

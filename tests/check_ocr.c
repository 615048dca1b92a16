/*
 * check_ocr.c - unit tests of stage 1b (parser/ocr.c and the renderer in
 * parser/pdf.c): Tesseract's pixel boxes in PDF points, the grey
 * rendering, and one page of the rasterised sample read by OCR into
 * glyphs that stage 2 takes like a text layer, with the ECF stamp's real
 * text kept.  Needs Tesseract's English data (a make deps package).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "ordex_p.h"
#include "text_p.h"

#define SCAN "samples/scans/openai_privilege_order.pdf"

START_TEST(pixels_to_points)
{
    /* 300 dpi: 300/72 pixels a point */
    double s = 300.0 / 72.0;
    od_box b = od_ocr_px_to_box(300, 600, 900, 650, s);

    ck_assert_float_eq_tol(b.x0, 72.0f, 1e-4);
    ck_assert_float_eq_tol(b.y0, 144.0f, 1e-4);
    ck_assert_float_eq_tol(b.x1, 216.0f, 1e-4);
    ck_assert_float_eq_tol(b.y1, 156.0f, 1e-4);
    /* swapped corners are put in order; no scale, no box */
    b = od_ocr_px_to_box(900, 650, 300, 600, s);
    ck_assert_float_eq_tol(b.x0, 72.0f, 1e-4);
    ck_assert_float_eq_tol(b.y1, 156.0f, 1e-4);
    b = od_ocr_px_to_box(1, 2, 3, 4, 0);
    ck_assert_float_eq(b.x1, 0.0f);
}
END_TEST

static od_pdf *open_scan(void)
{
    ordex_status st;
    char *msg = NULL;
    od_pdf *pdf = od_pdf_open_file(SCAN, NULL, &st, &msg);

    ck_assert_msg(pdf != NULL, "%s: %s", SCAN, msg ? msg : "");
    return pdf;
}

START_TEST(render_capped)
{
    od_pdf *pdf = open_scan();
    int w = 0, h = 0;
    double scale = 0;
    char *msg = NULL;
    guint8 *px = od_pdf_page_render_gray(pdf, 0, 72, 0, &w, &h, &scale, &msg);

    ck_assert_ptr_nonnull(px);
    ck_assert_int_eq(w, 612);
    ck_assert_int_eq(h, 792);
    ck_assert_float_eq_tol(scale, 1.0, 1e-9);
    g_free(px);
    /* 300 dpi capped at 1 Mpixel: scaled down, aspect kept */
    px = od_pdf_page_render_gray(pdf, 0, 300, 1e6, &w, &h, &scale, &msg);
    ck_assert_ptr_nonnull(px);
    ck_assert_int_le((double)w * h, 1e6 + w + h + 1);
    ck_assert_float_eq_tol(scale, sqrt(1e6 / (612.0 * 792.0)), 1e-9);
    g_free(px);
    ck_assert_ptr_null(od_pdf_page_render_gray(pdf, 9, 72, 0, &w, &h, &scale, &msg));
    ck_assert_str_eq(msg, "page 10 does not exist");
    g_free(msg);
    od_pdf_free(pdf);
}
END_TEST

START_TEST(page_by_ocr)
{
    od_pdf *pdf = open_scan();
    char *msg = NULL;
    od_pdf_page *layer = od_pdf_page_load(pdf, 4, &msg);
    od_ocr *ocr = od_ocr_new();
    double conf = 0;
    od_ocr_skip skipped = OD_OCR_SKIP_BLANK;
    bool unavailable = true;
    od_pdf_page *page;
    od_text *t;
    char *s;
    size_t lines = 0;

    ck_assert_ptr_nonnull(layer);
    page = od_ocr_page(ocr, pdf, 4, layer, true, &conf, &skipped, &unavailable,
                       &msg);
    ck_assert_msg(page != NULL, "%s", msg ? msg : "");
    ck_assert(!unavailable);
    ck_assert_int_eq(skipped, OD_OCR_READ);
    ck_assert_int_eq(page->number, 5);
    ck_assert_int_eq(page->source, OD_SOURCE_MIXED);
    ck_assert_double_ge(conf, 80);
    ck_assert_double_le(conf, 100);
    for (size_t i = 0; i < page->n_glyphs; i++) {
        const od_glyph *g = &page->glyphs[i];
        ck_assert(g->box.x0 >= 0 && g->box.x1 <= 612 && g->box.x0 <= g->box.x1);
        ck_assert(g->box.y0 >= 0 && g->box.y1 <= 792 && g->box.y0 <= g->box.y1);
        lines += g->ch == '\n';
    }
    ck_assert_uint_ge(lines, 10);
    ck_assert_int_eq(page->glyphs[page->n_glyphs - 1].ch, '\n');

    /* stage 2 reads it: the stamp from the text layer, the body by OCR */
    t = od_text_from_pages(&page, 1);
    ck_assert_str_eq(t->ecf[0].document, "812");
    ck_assert_int_eq(t->ecf[0].page, 5);
    s = od_text_utf8(t, 0, t->len);
    ck_assert_msg(strstr(s, "December 19, 2025") != NULL, "OCR text: %s", s);
    ck_assert_msg(strstr(s, "Case 1:25-md") == NULL, "stamp read twice: %s", s);
    ck_assert_uint_eq(t->warnings->len, 0);
    g_free(s);
    od_text_free(t);

    /* the handle is reused for a later page */
    od_pdf_page_free(page);
    page = od_ocr_page(ocr, pdf, 4, NULL, false, &conf, &skipped, &unavailable,
                       &msg);
    ck_assert_ptr_nonnull(page);
    ck_assert_int_eq(page->source, OD_SOURCE_OCR);
    od_pdf_page_free(page);
    od_pdf_page_free(layer);
    od_ocr_free(ocr);
    od_pdf_free(pdf);
}
END_TEST

START_TEST(no_language_data)
{
    od_pdf *pdf = open_scan();
    char *old = g_strdup(g_getenv("TESSDATA_PREFIX"));
    od_ocr *ocr = od_ocr_new();
    double conf = 0;
    od_ocr_skip skipped;
    bool unavailable = false;
    char *msg = NULL;

    g_setenv("TESSDATA_PREFIX", "/nonexistent", TRUE);
    ck_assert_ptr_null(od_ocr_page(ocr, pdf, 0, NULL, false, &conf, &skipped,
                                      &unavailable, &msg));
    ck_assert(unavailable);
    ck_assert_double_eq(conf, -1);
    ck_assert_str_eq(msg, "Tesseract's English language data (eng.traineddata) "
                          "cannot be loaded from /nonexistent");
    g_clear_pointer(&msg, g_free);
    /* later pages fail at once, with the same reason */
    unavailable = false;
    ck_assert_ptr_null(od_ocr_page(ocr, pdf, 1, NULL, false, &conf, &skipped,
                                      &unavailable, &msg));
    ck_assert(unavailable);
    g_free(msg);
    if (old)
        g_setenv("TESSDATA_PREFIX", old, TRUE);
    else
        g_unsetenv("TESSDATA_PREFIX");
    g_free(old);
    od_ocr_free(ocr);
    od_pdf_free(pdf);
}
END_TEST

/* ---- The look before Tesseract, on synthetic 300 dpi pages ---- */

#define LW 2550 /* US letter at 300 dpi */
#define LH 3300
#define LSCALE (300.0 / 72.0)

static guint8 *white_page(void)
{
    guint8 *px = g_malloc((size_t)LW * LH);
    memset(px, 255, (size_t)LW * LH);
    return px;
}

/* Blackens a rectangle of a page w pixels wide. */
static void fill_w(guint8 *px, int w, int x0, int y0, int x1, int y1)
{
    for (int y = y0; y < y1; y++)
        memset(px + (size_t)y * (size_t)w + x0, 0, (size_t)(x1 - x0));
}

static void fill(guint8 *px, int x0, int y0, int x1, int y1)
{
    fill_w(px, LW, x0, y0, x1, y1);
}

static od_ocr_skip look_wh(const guint8 *px, int w, int h, od_ocr_look *l)
{
    ck_assert(od_ocr_look_at(px, w, h, LSCALE, NULL, 0, l));
    return od_ocr_look_decide(l);
}

static od_ocr_skip look(const guint8 *px, od_ocr_look *l)
{
    return look_wh(px, LW, LH, l);
}

START_TEST(look_blank_and_dark)
{
    guint8 *px = white_page();
    od_ocr_look l;

    ck_assert_int_eq(look(px, &l), OD_OCR_SKIP_BLANK);
    ck_assert_double_eq(l.ink, 0);
    ck_assert_int_eq(l.components, 0);
    ck_assert_str_eq(od_ocr_skip_code(OD_OCR_SKIP_BLANK), "blank_page");
    /* a speck (a 20 x 20 pixel dot) is still blank */
    fill(px, 1000, 1000, 1020, 1020);
    ck_assert_int_eq(look(px, &l), OD_OCR_SKIP_BLANK);
    ck_assert_int_eq(l.components, 1);

    /* a redaction box over the body: solid, no letters */
    fill(px, 300, 300, 2250, 3000);
    ck_assert_int_eq(look(px, &l), OD_OCR_SKIP_DARK);
    ck_assert_double_ge(l.solid_share, 0.99);
    ck_assert_int_eq(l.letters, 0);
    ck_assert_str_eq(od_ocr_skip_code(OD_OCR_SKIP_DARK), "dark_areas");
    ck_assert_ptr_null(od_ocr_skip_code(OD_OCR_READ));
    g_free(px);
}
END_TEST

START_TEST(look_picture)
{
    /* a checkerboard of 60-pixel cells (14 pt at half resolution): the
     * dark cells touch at their corners, one component, half filled */
    guint8 *px = white_page();
    od_ocr_look l;

    for (int y = 0; y < LH; y++)
        for (int x = 0; x < LW; x++)
            if (((x / 60) + (y / 60)) % 2)
                px[(size_t)y * LW + x] = 0;
    ck_assert_int_eq(look(px, &l), OD_OCR_SKIP_PICTURE);
    ck_assert_double_ge(l.ink, 0.45);
    ck_assert_double_lt(l.letter_ink, 0.01);
    g_free(px);
}
END_TEST

/* The decision alone, on measures like those of real pages. */
START_TEST(look_decide)
{
    /* a signature page: three lines of text beside a blacked-out
     * signature whose box is not solid; little ink in all: read */
    od_ocr_look l = {0.028, 0.0, 0.0, 0.004, 60, 120};
    ck_assert_int_eq(od_ocr_look_decide(&l), OD_OCR_READ);
    /* the same letters under a photograph (30% of the page): not read */
    l.ink = 0.3;
    ck_assert_int_eq(od_ocr_look_decide(&l), OD_OCR_SKIP_PICTURE);
    /* redaction bars run together, most of the ink solid: dark areas */
    l.solid_share = 0.74;
    ck_assert_int_eq(od_ocr_look_decide(&l), OD_OCR_SKIP_DARK);
    /* the stamp alone (known text) on a white page: no letter shapes */
    l = (od_ocr_look){0.003, 0.0, 0.9, 0.0, 0, 70};
    ck_assert_int_eq(od_ocr_look_decide(&l), OD_OCR_SKIP_NO_LETTERS);
    ck_assert_str_eq(od_ocr_skip_reason(OD_OCR_SKIP_NO_LETTERS),
                     "it has too few letter shapes");
}
END_TEST

/* A page of the text sample rendered as OCR renders it is read, and so is
 * the same page with a redaction box over half of it (the rest still has
 * letters); a few words alone are too few. */
START_TEST(look_text)
{
    ordex_status st;
    char *msg = NULL;
    od_pdf *pdf = od_pdf_open_file("samples/openai_privilege_order.pdf", NULL,
                                   &st, &msg);
    int w = 0, h = 0;
    double scale = 0;
    guint8 *px;
    od_ocr_look l;

    ck_assert_msg(pdf != NULL, "%s", msg ? msg : "");
    px = od_pdf_page_render_gray(pdf, 1, 300, 40e6, &w, &h, &scale, &msg);
    ck_assert_ptr_nonnull(px);
    ck_assert_int_eq(w, LW);
    ck_assert_int_ge(h, LH);
    ck_assert_double_eq_tol(scale, LSCALE, 1e-3);
    ck_assert_int_eq(look_wh(px, w, h, &l), OD_OCR_READ);
    ck_assert_int_ge(l.letters, 500);
    ck_assert_double_lt(l.solid_share, 0.05);
    ck_assert_double_ge(l.letter_ink, 0.5 * l.ink);
    {
        /* text the layer already has (here: all of the page) is not
         * counted, so nothing is left to read */
        od_box all = {0, 0, 612, 792};
        od_ocr_look k;
        ck_assert(od_ocr_look_at(px, w, h, scale, &all, 1, &k));
        ck_assert_int_eq(od_ocr_look_decide(&k), OD_OCR_SKIP_NO_LETTERS);
        ck_assert_int_eq(k.letters, 0);
        ck_assert_double_ge(k.known_share, 0.99);
        ck_assert_double_eq_tol(k.ink, l.ink, 1e-9);
    }
    fill_w(px, w, 0, 0, w, h / 2);
    ck_assert_int_eq(look_wh(px, w, h, &l), OD_OCR_READ);
    ck_assert_double_ge(l.solid_share, 0.9);
    ck_assert_int_ge(l.letters, 200);
    /* everything but a strip 0.2 inch high at the foot */
    fill_w(px, w, 0, h / 2, w, h - 60);
    ck_assert_int_ne(look_wh(px, w, h, &l), OD_OCR_READ);
    ck_assert_int_lt(l.letters, 12);
    g_free(px);
    od_pdf_free(pdf);
}
END_TEST

static Suite *ocr_suite(void)
{
    Suite *s = suite_create("ocr");
    TCase *tc = tcase_create("ocr");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, pixels_to_points);
    tcase_add_test(tc, render_capped);
    tcase_add_test(tc, page_by_ocr);
    tcase_add_test(tc, no_language_data);
    tcase_add_test(tc, look_blank_and_dark);
    tcase_add_test(tc, look_picture);
    tcase_add_test(tc, look_decide);
    tcase_add_test(tc, look_text);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(ocr_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

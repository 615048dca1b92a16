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
    bool unavailable = true;
    od_pdf_page *page;
    od_text *t;
    char *s;
    size_t lines = 0;

    ck_assert_ptr_nonnull(layer);
    page = od_ocr_page(ocr, pdf, 4, layer, true, &conf, &unavailable, &msg);
    ck_assert_msg(page != NULL, "%s", msg ? msg : "");
    ck_assert(!unavailable);
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
    page = od_ocr_page(ocr, pdf, 4, NULL, false, &conf, &unavailable, &msg);
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
    bool unavailable = false;
    char *msg = NULL;

    g_setenv("TESSDATA_PREFIX", "/nonexistent", TRUE);
    ck_assert_ptr_null(od_ocr_page(ocr, pdf, 0, NULL, false, &conf, &unavailable, &msg));
    ck_assert(unavailable);
    ck_assert_double_eq(conf, -1);
    ck_assert_str_eq(msg, "Tesseract's English language data (eng.traineddata) "
                          "cannot be loaded from /nonexistent");
    g_clear_pointer(&msg, g_free);
    /* later pages fail at once, with the same reason */
    unavailable = false;
    ck_assert_ptr_null(od_ocr_page(ocr, pdf, 1, NULL, false, &conf, &unavailable, &msg));
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

static Suite *ocr_suite(void)
{
    Suite *s = suite_create("ocr");
    TCase *tc = tcase_create("ocr");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, pixels_to_points);
    tcase_add_test(tc, render_capped);
    tcase_add_test(tc, page_by_ocr);
    tcase_add_test(tc, no_language_data);
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

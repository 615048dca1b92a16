/*
 * check_threads.c - one compiled engine shared by 4 threads (include/ordex.h:
 * "an ordex_engine, once compiled, ... may be used by any number of
 * threads at once").  Every thread parses the sample PDFs, the first
 * document being the engine's first use, and each JSON must be byte for
 * byte the JSON of the same document in one thread.  `make tsan` runs this
 * suite under ThreadSanitizer (issue 21: races at the first use of an
 * engine from several threads).  The second test reads the pages of one
 * document with 3 threads (ordex_engine_set_threads: a PopplerDocument
 * each) and wants the JSON of one thread, while 4 threads do so at once.
 *
 * Uses the shipped grammars and samples (relative to the checkout).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include <glib.h>

#include "ordex.h"

#define N_THREADS 4

static const char *const samples[] = {
    "samples/nysd_scheduling_order.pdf",
    "samples/openai_privilege_order.pdf",
    "samples/ca9_appellate_opinion.pdf",
    "samples/nysd_scheduling_order.txt",
};
#define N_SAMPLES (sizeof samples / sizeof samples[0])

static ordex_engine *engine;

typedef struct {
    int first;                 /* index of the thread's first sample */
    char *json[N_SAMPLES];     /* by sample */
    ordex_status status[N_SAMPLES];
} worker;

static char *one(const char *path, ordex_status *st)
{
    ordex_document *doc = NULL;
    ordex_result *res = NULL;
    char *json = NULL;

    if (g_str_has_suffix(path, ".txt")) {
        char *data = NULL;
        gsize len = 0;
        if (!g_file_get_contents(path, &data, &len, NULL)) {
            *st = ORDEX_ERR_IO;
            return NULL;
        }
        *st = ordex_document_open_text(engine, data, len, path, &doc);
        g_free(data);
    } else {
        *st = ordex_document_open_file(engine, path, NULL, &doc);
    }
    if (*st == ORDEX_OK)
        *st = ordex_extract(doc, &res);
    if (*st == ORDEX_OK)
        json = ordex_result_to_json(res, 0);
    ordex_result_free(res);
    ordex_document_free(doc);
    return json;
}

static void *run_worker(void *arg)
{
    worker *w = arg;

    /* each thread starts on another sample, so that first uses overlap */
    for (size_t k = 0; k < N_SAMPLES; k++) {
        size_t i = (w->first + k) % N_SAMPLES;
        w->json[i] = one(samples[i], &w->status[i]);
    }
    return NULL;
}

START_TEST(four_threads_like_one)
{
    pthread_t th[N_THREADS];
    worker w[N_THREADS];

    setenv("ORDEX_GRAMMAR_DIR", "grammars", 0);
    engine = ordex_engine_new(0);
    ck_assert_ptr_nonnull(engine);
    /* OCR off: the samples have text layers, and Tesseract's OpenMP is
     * not what this tests */
    ck_assert_int_eq(ordex_engine_set_ocr(engine, ORDEX_OCR_NEVER), ORDEX_OK);
    ck_assert_int_eq(ordex_engine_compile(engine), ORDEX_OK);
    memset(w, 0, sizeof w);
    for (int t = 0; t < N_THREADS; t++) {
        w[t].first = t;
        ck_assert_int_eq(pthread_create(&th[t], NULL, run_worker, &w[t]), 0);
    }
    for (int t = 0; t < N_THREADS; t++)
        ck_assert_int_eq(pthread_join(th[t], NULL), 0);
    for (size_t i = 0; i < N_SAMPLES; i++) {
        ordex_status st;
        char *alone = one(samples[i], &st);
        ck_assert_int_eq(st, ORDEX_OK);
        ck_assert_ptr_nonnull(alone);
        ck_assert(strstr(alone, "\"schema\":\"ordex-") == alone + 1);
        for (int t = 0; t < N_THREADS; t++) {
            ck_assert_int_eq(w[t].status[i], ORDEX_OK);
            ck_assert_msg(w[t].json[i] && strcmp(w[t].json[i], alone) == 0,
                          "thread %d: %s differs from one thread", t, samples[i]);
            ordex_free(w[t].json[i]);
        }
        ordex_free(alone);
    }
    ordex_engine_free(engine);
    engine = NULL;
}
END_TEST

/* One engine whose documents are read by 3 threads each, used by 4
 * threads at once: every JSON is that of an engine with one thread. */
static ordex_engine *paged;

static char *one_paged(const char *path, ordex_status *st)
{
    ordex_document *doc = NULL;
    ordex_result *res = NULL;
    char *json = NULL;

    *st = ordex_document_open_file(paged, path, NULL, &doc);
    if (*st == ORDEX_OK)
        *st = ordex_extract(doc, &res);
    if (*st == ORDEX_OK)
        json = ordex_result_to_json(res, 0);
    ordex_result_free(res);
    ordex_document_free(doc);
    return json;
}

static void *run_paged(void *arg)
{
    worker *w = arg;

    for (size_t k = 0; k < N_SAMPLES - 1; k++) { /* the PDFs */
        size_t i = (w->first + k) % (N_SAMPLES - 1);
        w->json[i] = one_paged(samples[i], &w->status[i]);
    }
    return NULL;
}

START_TEST(pages_on_threads_like_one)
{
    pthread_t th[N_THREADS];
    worker w[N_THREADS];

    setenv("ORDEX_GRAMMAR_DIR", "grammars", 0);
    engine = ordex_engine_new(0);
    paged = ordex_engine_new(0);
    ck_assert_int_eq(ordex_engine_set_threads(paged, -1), ORDEX_ERR_ARG);
    ck_assert_int_eq(ordex_engine_set_threads(paged, 3), ORDEX_OK);
    ck_assert_int_eq(ordex_engine_set_ocr(engine, ORDEX_OCR_NEVER), ORDEX_OK);
    ck_assert_int_eq(ordex_engine_set_ocr(paged, ORDEX_OCR_NEVER), ORDEX_OK);
    ck_assert_int_eq(ordex_engine_compile(engine), ORDEX_OK);
    ck_assert_int_eq(ordex_engine_compile(paged), ORDEX_OK);
    memset(w, 0, sizeof w);
    for (int t = 0; t < N_THREADS; t++) {
        w[t].first = t;
        ck_assert_int_eq(pthread_create(&th[t], NULL, run_paged, &w[t]), 0);
    }
    for (int t = 0; t < N_THREADS; t++)
        ck_assert_int_eq(pthread_join(th[t], NULL), 0);
    for (size_t i = 0; i < N_SAMPLES - 1; i++) {
        ordex_status st;
        char *alone = one(samples[i], &st);
        ck_assert_int_eq(st, ORDEX_OK);
        ck_assert_ptr_nonnull(alone);
        ck_assert(strstr(alone, "\"text_source\":[{\"page\":1,") != NULL);
        for (int t = 0; t < N_THREADS; t++) {
            ck_assert_int_eq(w[t].status[i], ORDEX_OK);
            ck_assert_msg(w[t].json[i] && strcmp(w[t].json[i], alone) == 0,
                          "thread %d: %s read by 3 threads differs from one", t,
                          samples[i]);
            ordex_free(w[t].json[i]);
        }
        ordex_free(alone);
    }
    ordex_engine_free(paged);
    paged = NULL;
    ordex_engine_free(engine);
    engine = NULL;
}
END_TEST

static Suite *threads_suite(void)
{
    Suite *s = suite_create("threads");
    TCase *tc = tcase_create("engine");

    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, four_threads_like_one);
    tcase_add_test(tc, pages_on_threads_like_one);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(threads_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

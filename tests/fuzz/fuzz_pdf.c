/*
 * fuzz_pdf.c - libFuzzer target: bytes as a PDF through Poppler and the
 * whole pipeline.  Limits keep each input small in time and memory.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ordex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static ordex_engine *engine;

static void quiet(const char *msg, void *user)
{
    (void)msg;
    (void)user;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setenv("ORDEX_GRAMMAR_DIR", "grammars", 0);
    engine = ordex_engine_new(0);
    ordex_engine_set_error_handler(engine, quiet, NULL);
    ordex_engine_set_limit(engine, ORDEX_LIMIT_MAX_PAGES, 50);
    ordex_engine_set_limit(engine, ORDEX_LIMIT_MAX_PAGE_TEXT, 100000);
    /* Tesseract takes seconds a page: far too slow for fuzzing, and it
     * is not ordex's code; the renderer and OCR glue run in make check */
    ordex_engine_set_ocr(engine, ORDEX_OCR_NEVER);
    if (ordex_engine_compile(engine) != ORDEX_OK)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ordex_document *doc = NULL;
    ordex_result *res = NULL;

    if (ordex_document_open_memory(engine, data, size, NULL, "fuzz.pdf", &doc) != ORDEX_OK)
        return 0;
    if (ordex_extract(doc, &res) == ORDEX_OK) {
        char *json = ordex_result_to_json(res, 0);
        ordex_free(json);
        ordex_result_free(res);
    }
    ordex_document_free(doc);
    return 0;
}

/*
 * fuzz_text.c - libFuzzer target: the pipeline from text to records
 * (stages 2-6).  The first byte chooses the options (masked): JSON
 * pretty or compact, each --dump stage; the rest is the text.
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
    if (ordex_engine_compile(engine) != ORDEX_OK)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ordex_document *doc = NULL;
    ordex_result *res = NULL;
    unsigned mode;

    if (size < 1)
        return 0;
    mode = data[0] & 0x7u;
    if (ordex_document_open_text(engine, (const char *)data + 1, size - 1,
                                 "fuzz.txt", &doc) != ORDEX_OK)
        return 0;
    if (mode < 3) {
        char *out = NULL;
        ordex_document_dump(doc, (ordex_stage)mode, &out);
        ordex_free(out);
    }
    if (ordex_extract(doc, &res) == ORDEX_OK) {
        char *json = ordex_result_to_json(res, (mode & 4) ? ORDEX_JSON_PRETTY : 0);
        ordex_free(json);
        ordex_result_free(res);
    }
    ordex_document_free(doc);
    return 0;
}

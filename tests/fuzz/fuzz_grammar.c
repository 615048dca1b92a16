/*
 * fuzz_grammar.c - libFuzzer target: bytes as a grammar file.
 *
 * The loader and the compiler must report any input as errors or accept
 * it; never crash, hang or leak.
 */
#include <stddef.h>
#include <stdint.h>

#include "ordex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(const char *msg, void *user)
{
    (void)msg;
    (void)user;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ordex_engine *e = ordex_engine_new(ORDEX_ENGINE_NO_DEFAULT_GRAMMARS);

    ordex_engine_set_error_handler(e, quiet, NULL);
    if (ordex_engine_add_grammar_data(e, "fuzz.rules", (const char *)data, size) == ORDEX_OK)
        ordex_engine_compile(e);
    ordex_engine_free(e);
    return 0;
}

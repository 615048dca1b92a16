/*
 * cli_common.c - what the parts of the ordex command share: the exit code
 * of a library status, an engine set up from
 * the grammar options that `ordex` and `ordex batch` both take, and the
 * --ocr modes.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "cli.h"
#include "ordex.h"

int cli_exit_for(ordex_status st)
{
    switch (st) {
    case ORDEX_OK: return EXIT_OK;
    case ORDEX_ERR_ARG: return EXIT_USAGE;
    case ORDEX_ERR_IO: return EXIT_INPUT;
    case ORDEX_ERR_NOT_PDF:
    case ORDEX_ERR_CORRUPT:
    case ORDEX_ERR_EMPTY:
    case ORDEX_ERR_UTF8: return EXIT_BAD_PDF;
    case ORDEX_ERR_ENCRYPTED: return EXIT_ENCRYPTED;
    case ORDEX_ERR_GRAMMAR: return EXIT_GRAMMAR;
    case ORDEX_ERR_LIMIT: return EXIT_LIMIT;
    case ORDEX_ERR_INTERNAL: return EXIT_INTERNAL;
    }
    return EXIT_INTERNAL;
}

ordex_engine *cli_engine_new(int no_default_grammars, char **grammar_dirs,
                             const char *extra_dir, ordex_status *status)
{
    ordex_engine *e = ordex_engine_new(no_default_grammars
                                           ? ORDEX_ENGINE_NO_DEFAULT_GRAMMARS : 0);
    ordex_status st = ORDEX_OK;

    for (char **d = grammar_dirs; st == ORDEX_OK && d && *d; d++)
        st = ordex_engine_add_grammars(e, *d);
    if (st == ORDEX_OK && extra_dir)
        st = ordex_engine_add_grammars(e, extra_dir);
    if (st == ORDEX_OK)
        st = ordex_engine_compile(e);
    *status = st;
    return e;
}

int cli_ocr_mode(const char *when)
{
    if (!when || strcmp(when, "auto") == 0)
        return ORDEX_OCR_AUTO;
    if (strcmp(when, "always") == 0)
        return ORDEX_OCR_ALWAYS;
    if (strcmp(when, "never") == 0)
        return ORDEX_OCR_NEVER;
    return -1;
}

void cli_limit_openmp(char **argv)
{
    if (getenv("OMP_THREAD_LIMIT"))
        return;
    if (setenv("OMP_THREAD_LIMIT", "1", 1) != 0)
        return;
    execv("/proc/self/exe", argv);
    /* no /proc: go on with OpenMP's default */
}

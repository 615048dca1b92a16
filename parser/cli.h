/*
 * cli.h - shared between the parts of the ordex command (main.c and
 * cli_*.c).  The command is a client of include/ordex.h only.
 */
#ifndef ORDEX_CLI_H
#define ORDEX_CLI_H

#include <stddef.h>

#include "ordex.h"

/* Exit codes; the README and --help list them. */
enum {
    EXIT_OK = 0,
    EXIT_INTERNAL = 1,   /* a bug or a library failure */
    EXIT_USAGE = 2,      /* bad command line */
    EXIT_INPUT = 3,      /* input missing, unreadable, a directory */
    EXIT_BAD_PDF = 4,    /* not a PDF, damaged, truncated, empty, bad UTF-8 */
    EXIT_ENCRYPTED = 5,  /* encrypted: no or wrong password */
    EXIT_GRAMMAR = 6,    /* a grammar file has errors */
    EXIT_OUTPUT = 7,     /* the output cannot be written */
    EXIT_LIMIT = 8,      /* a limit was exceeded */
    EXIT_INCOMPLETE = 9, /* JSON written, but some pages had no readable text */
    EXIT_BATCH_FAILED = 10, /* batch: some documents failed */
};

/* The exit code of a library status. */
int cli_exit_for(ordex_status st);

/* An engine with the grammars of the command line: the folder next to the
 * binary (build tree or installed tree) unless no_default_grammars or
 * $ORDEX_GRAMMAR_DIR, then grammar_dirs (NULL-terminated, may be NULL),
 * then extra_dir (may be NULL); compiled.  *status says whether all went
 * well; errors have been reported through the engine's handler. */
ordex_engine *cli_engine_new(int no_default_grammars, char **grammar_dirs,
                             const char *extra_dir, ordex_status *status);

/* The library's mode for --ocr=WHEN (NULL: auto); -1 for an unknown word. */
int cli_ocr_mode(const char *when);

/* Tesseract's OpenMP threads would oversubscribe the cores next to
 * parallel workers, and OpenMP reads OMP_THREAD_LIMIT only when it is
 * loaded: when the variable is unset, sets it to 1 and executes the
 * command again (argv as main received it).  Returns when that fails. */
void cli_limit_openmp(char **argv);

/* path with its symbolic links followed (g_free). */
char *cli_resolve_output(const char *path);

/* Whether a and b name the same existing regular file (by device and
 * inode, links followed). */
int cli_same_file(const char *a, const char *b);

/* Writes len bytes of data to the output file path (README, "Output
 * files"): a symbolic link is followed and its target replaced; a device
 * or FIFO is written in place; any other path gets a temporary file
 * beside it (every write and the final size checked, fsync) renamed over
 * it.  tmp_path (tmp_size bytes, may be NULL) holds the temporary name
 * while it exists, for a signal handler to remove.  Returns EXIT_OK, or
 * EXIT_OUTPUT after printing "ordex: PATH: cannot write: REASON". */
int cli_write_file(const char *path, const char *data, size_t len,
                   char *tmp_path, size_t tmp_size);

/* `ordex batch ...`: argv[0] is "batch".  Returns the exit code. */
int cli_batch_main(int argc, char **argv);

#endif

/*
 * cli_common.c - what the parts of the ordex command share: the exit code
 * of a library status, where the grammars are, an engine set up from
 * the grammar options that `ordex` and `ordex batch` both take, the
 * --ocr modes, and how -o is written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

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

/* The grammars next to the binary when it runs from a build tree
 * (build/ordex -> grammars/), or from an installed tree
 * (bin/ordex -> share/ordex/grammars), unless ORDEX_GRAMMAR_DIR is set. */
static char *find_grammar_dir(void)
{
    const char *rel[] = {"../grammars", "../share/ordex/grammars", NULL};
    char *exe, *dir;

    if (g_getenv("ORDEX_GRAMMAR_DIR"))
        return NULL;
    exe = g_file_read_link("/proc/self/exe", NULL);
    if (!exe)
        return NULL;
    dir = g_path_get_dirname(exe);
    g_free(exe);
    for (int i = 0; rel[i]; i++) {
        char *cand = g_build_filename(dir, rel[i], NULL);
        char *probe = g_build_filename(cand, "deadlines.rules", NULL);
        gboolean found = g_file_test(probe, G_FILE_TEST_IS_REGULAR);
        g_free(probe);
        if (found) {
            g_free(dir);
            return cand;
        }
        g_free(cand);
    }
    g_free(dir);
    return NULL;
}

ordex_engine *cli_engine_new(int no_default_grammars, char **grammar_dirs,
                             const char *extra_dir, ordex_status *status)
{
    char *local = no_default_grammars ? NULL : find_grammar_dir();
    unsigned flags = (no_default_grammars || local)
                         ? ORDEX_ENGINE_NO_DEFAULT_GRAMMARS : 0;
    ordex_engine *e = ordex_engine_new(flags);
    ordex_status st = ORDEX_OK;

    if (local)
        st = ordex_engine_add_grammars(e, local);
    g_free(local);
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

/* ---- Output files ---------------------------------------------------------
 * The rules of the library's outfile.c (which the command may not
 * include): a link is followed and its target replaced, a device or FIFO
 * is written in place, any other file is a temporary file beside the
 * target (every write and the size checked, fsync) renamed over it. */

char *cli_resolve_output(const char *path)
{
    char *cur = g_strdup(path);

    for (int i = 0; i < 40; i++) { /* the kernel's own limit of links */
        GStatBuf st;
        char *target, *dir, *next;

        if (g_lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
            return cur;
        target = g_file_read_link(cur, NULL);
        if (!target)
            return cur;
        if (g_path_is_absolute(target)) {
            next = target;
        } else {
            dir = g_path_get_dirname(cur);
            next = g_build_filename(dir, target, NULL);
            g_free(dir);
            g_free(target);
        }
        g_free(cur);
        cur = next;
    }
    return cur; /* a loop: open() reports it */
}

int cli_same_file(const char *a, const char *b)
{
    GStatBuf sa, sb;

    return g_stat(a, &sa) == 0 && g_stat(b, &sb) == 0 && S_ISREG(sa.st_mode)
           && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int write_fd(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return 0;
        if (w == 0) {
            errno = ENOSPC;
            return 0;
        }
        data += w;
        len -= (size_t)w;
    }
    return 1;
}

int cli_write_file(const char *path, const char *data, size_t len,
                   char *tmp_path, size_t tmp_size)
{
    char *target = NULL;
    char *dir, *tmpl;
    GStatBuf st;
    struct stat fst;
    int fd, ok, err = 0;

    if (g_stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* a device or a FIFO (also through a link such as /dev/stdout,
         * which open() follows): written in place, never replaced */
        fd = S_ISDIR(st.st_mode) ? (errno = EISDIR, -1)
                                 : g_open(path, O_WRONLY | O_CLOEXEC, 0);
        ok = fd >= 0 && write_fd(fd, data, len);
        if (!ok)
            err = errno;
        if (fd >= 0 && close(fd) != 0 && ok) {
            ok = 0;
            err = errno;
        }
        goto out;
    }
    target = cli_resolve_output(path);
    dir = g_path_get_dirname(target);
    tmpl = g_build_filename(dir, ".ordex-XXXXXX", NULL);
    g_free(dir);
    fd = g_mkstemp(tmpl);
    if (fd < 0) {
        err = errno;
        ok = 0;
        g_free(tmpl);
        goto out;
    }
    if (tmp_path)
        g_strlcpy(tmp_path, tmpl, tmp_size);
    ok = write_fd(fd, data, len);
    if (ok && fstat(fd, &fst) != 0) {
        ok = 0;
    } else if (ok && (size_t)fst.st_size != len) {
        ok = 0;
        errno = EIO;
    }
    ok = ok && fchmod(fd, 0644) == 0 && fsync(fd) == 0;
    if (!ok)
        err = errno;
    if (close(fd) != 0 && ok) {
        ok = 0;
        err = errno;
    }
    if (ok && g_rename(tmpl, target) != 0) {
        ok = 0;
        err = errno;
    }
    if (!ok)
        g_unlink(tmpl);
    if (tmp_path)
        tmp_path[0] = '\0';
    g_free(tmpl);
out:
    if (!ok)
        fprintf(stderr, "ordex: %s: cannot write: %s\n", path,
                g_strerror(err ? err : EIO));
    g_free(target);
    return ok ? EXIT_OK : EXIT_OUTPUT;
}

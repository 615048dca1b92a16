/*
 * cli_common.c - what the parts of the ordex command share: the exit code
 * of a library status, an engine set up from the grammar options that
 * `ordex` and `ordex batch` both take, the --ocr modes, a digest of the
 * grammars (`ordex serve`), and how -o is written.
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

static int cmp_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

ordex_engine *cli_engine_new(int no_default_grammars, char **grammar_dirs,
                             const char *extra_dir, ordex_status *status)
{
    /* the command owns its stderr: what libraries print there during a
     * rendering becomes the document's warnings */
    ordex_engine *e = ordex_engine_new((no_default_grammars
                                            ? ORDEX_ENGINE_NO_DEFAULT_GRAMMARS : 0)
                                       | ORDEX_ENGINE_CATCH_STDERR);
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

int cli_input_kind(const char *kind)
{
    if (!kind || strcmp(kind, "auto") == 0)
        return ORDEX_INPUT_AUTO;
    if (strcmp(kind, "pdf") == 0)
        return ORDEX_INPUT_PDF;
    if (strcmp(kind, "text") == 0)
        return ORDEX_INPUT_TEXT;
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

/* Adds every *.rules file of dir (by name) to c: name, NUL, contents. */
static void digest_dir(GChecksum *c, const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *n;

    while (d && (n = g_dir_read_name(d)))
        if (n[0] != '.' && g_str_has_suffix(n, ".rules"))
            g_ptr_array_add(names, g_strdup(n));
    if (d)
        g_dir_close(d);
    g_ptr_array_sort(names, cmp_names);
    for (guint i = 0; i < names->len; i++) {
        char *path = g_build_filename(dir, names->pdata[i], NULL);
        char *data = NULL;
        gsize len = 0;
        if (g_file_get_contents(path, &data, &len, NULL)) {
            g_checksum_update(c, names->pdata[i],
                              (gssize)strlen(names->pdata[i]) + 1);
            g_checksum_update(c, (const guchar *)data, (gssize)len);
        }
        g_free(data);
        g_free(path);
    }
    g_ptr_array_free(names, TRUE);
}

char *cli_grammar_digest(int no_default_grammars, char **grammar_dirs)
{
    GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
    char *out;

    if (!no_default_grammars) {
        /* The engine's defaults: $ORDEX_GRAMMAR_DIR, else the grammars
         * compiled into the library, hashed the same way (name, NUL,
         * text, in name order). */
        const char *env = g_getenv("ORDEX_GRAMMAR_DIR");
        const char *name, *data;
        size_t len;

        if (env && *env)
            digest_dir(c, env);
        else
            for (size_t i = 0; (name = ordex_shipped_grammar(i, &data, &len));
                 i++) {
                g_checksum_update(c, (const guchar *)name,
                                  (gssize)strlen(name) + 1);
                g_checksum_update(c, (const guchar *)data, (gssize)len);
            }
    }
    for (char **d = grammar_dirs; d && *d; d++)
        digest_dir(c, *d);
    out = g_strdup(g_checksum_get_string(c));
    g_checksum_free(c);
    return out;
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

bool cli_write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return false;
        if (w == 0) {
            errno = ENOSPC;
            return false;
        }
        data += w;
        len -= (size_t)w;
    }
    return true;
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
        ok = fd >= 0 && cli_write_all(fd, data, len);
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
    ok = cli_write_all(fd, data, len);
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

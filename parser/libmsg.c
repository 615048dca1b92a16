/*
 * libmsg.c - messages of the libraries underneath, as document warnings.
 *
 * Poppler (its GLib log domain "Poppler", where poppler-glib's error
 * callback also sends Poppler's own errors, and with them libjpeg's
 * "Corrupt JPEG data: ..." that Poppler's DCT decoder passes on) and
 * Leptonica would print to standard error, outside the one-line
 * `ordex: FILE: reason` contract.  Their handlers (installed once by
 * od_pdf_init and od_ocr_init) hand every message to the catcher of the
 * calling thread, which ordex.c sets to the document and page that thread
 * is reading; a thread with no catcher drops them.  What libjpeg and
 * Poppler's font engine print straight to stderr while a page is rendered
 * is caught too when the engine asks for it (ORDEX_ENGINE_CATCH_STDERR:
 * the ordex command does), by pointing fd 2 at a temporary file.
 *
 * A catcher keeps each distinct message once, with the first page it came
 * with, and the warnings are made from them sorted by page and text: so
 * they do not depend on how many threads read the document (a message
 * Poppler gives at a font's first use comes, with several threads, once
 * per PopplerDocument, the first time on the same page as with one).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ordex_p.h"

/* Distinct messages kept per document, and warnings made of them. */
#define LIBMSG_KEEP 10000
#define LIBMSG_WARN 20

struct od_libmsgs {
    bool catch_stderr;
    pthread_mutex_t lock; /* not GLib's: ThreadSanitizer sees these */
    GHashTable *first; /* "Lib: text" -> GINT_TO_POINTER(first page + 1) */
};

/* The calling thread's catcher and page (page + 1, so that NULL is none). */
static GPrivate cur_msgs;
static GPrivate cur_page;

od_libmsgs *od_libmsgs_new(bool catch_stderr)
{
    od_libmsgs *m = g_new0(od_libmsgs, 1);

    m->catch_stderr = catch_stderr;
    pthread_mutex_init(&m->lock, NULL);
    m->first = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    return m;
}

void od_libmsgs_free(od_libmsgs *m)
{
    if (!m)
        return;
    g_hash_table_destroy(m->first);
    pthread_mutex_destroy(&m->lock);
    g_free(m);
}

void od_libmsgs_catch(od_libmsgs *m, int page)
{
    g_private_set(&cur_msgs, m);
    g_private_set(&cur_page, GINT_TO_POINTER(m ? MAX(page, 0) + 1 : 0));
}

void od_libmsgs_add(const char *lib, const char *text)
{
    od_libmsgs *m = g_private_get(&cur_msgs);
    int page = GPOINTER_TO_INT(g_private_get(&cur_page)) - 1;
    char *key;
    gpointer old;

    if (!m || !text)
        return;
    key = g_strdup_printf("%s: %s", lib, text);
    g_strstrip(key);
    if (!g_utf8_validate(key, -1, NULL)) {
        char *fixed = g_utf8_make_valid(key, -1);
        g_free(key);
        key = fixed;
    }
    pthread_mutex_lock(&m->lock);
    if (g_hash_table_lookup_extended(m->first, key, NULL, &old)) {
        if (page + 1 < GPOINTER_TO_INT(old))
            g_hash_table_insert(m->first, key, GINT_TO_POINTER(page + 1));
        else
            g_free(key);
    } else if (g_hash_table_size(m->first) < LIBMSG_KEEP) {
        g_hash_table_insert(m->first, key, GINT_TO_POINTER(page + 1));
    } else {
        g_free(key);
    }
    pthread_mutex_unlock(&m->lock);
}

/* What the libraries print straight to stderr (libjpeg's warnings, which
 * Poppler 22.12 does not route through its error callback, and
 * Poppler's "some font thing failed") is caught by pointing fd 2 at a
 * temporary file, one section at a time in the process. */
static pthread_mutex_t stderr_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *stderr_file; /* the temporary file, while a section runs */
static int stderr_saved = -1;

void od_libmsgs_stderr_begin(void)
{
    od_libmsgs *m = g_private_get(&cur_msgs);
    FILE *f;
    int saved;

    if (!m || !m->catch_stderr)
        return;
    pthread_mutex_lock(&stderr_lock);
    fflush(stderr);
    f = tmpfile();
    saved = f ? dup(STDERR_FILENO) : -1;
    if (saved < 0 || dup2(fileno(f), STDERR_FILENO) < 0) {
        if (saved >= 0)
            close(saved);
        if (f)
            fclose(f);
        pthread_mutex_unlock(&stderr_lock); /* not caught: printed as before */
        return;
    }
    stderr_file = f;
    stderr_saved = saved;
}

void od_libmsgs_stderr_end(void)
{
    od_libmsgs *m = g_private_get(&cur_msgs);
    GString *text;
    char buf[4096];
    size_t n;
    FILE *f = stderr_file;

    if (!m || !m->catch_stderr || !f)
        return; /* no section (or begin could not catch) */
    fflush(stderr);
    dup2(stderr_saved, STDERR_FILENO);
    close(stderr_saved);
    stderr_saved = -1;
    stderr_file = NULL;
    text = g_string_new(NULL);
    rewind(f);
    while (text->len < 65536 && (n = fread(buf, 1, sizeof buf, f)) > 0)
        g_string_append_len(text, buf, (gssize)n);
    fclose(f);
    pthread_mutex_unlock(&stderr_lock);
    {
        char **lines = g_strsplit(text->str, "\n", -1);
        for (char **l = lines; *l; l++) {
            g_strstrip(*l);
            if (**l)
                od_libmsgs_add(g_str_has_prefix(*l, "Corrupt JPEG data")
                                       || g_str_has_prefix(*l, "Premature end of JPEG")
                                       || g_str_has_prefix(*l, "Invalid JPEG")
                                   ? "libjpeg" : "Poppler",
                               *l);
        }
        g_strfreev(lines);
    }
    g_string_free(text, TRUE);
}

typedef struct msg_at {
    const char *text;
    int page;
} msg_at;

static int cmp_msg_at(const void *a, const void *b)
{
    const msg_at *x = a, *y = b;

    if (x->page != y->page)
        return x->page < y->page ? -1 : 1;
    return strcmp(x->text, y->text);
}

void od_libmsgs_warn(od_libmsgs *m, GPtrArray *warnings)
{
    GHashTableIter it;
    gpointer k, v;
    msg_at *all;
    guint n = 0, size;

    if (!m)
        return;
    pthread_mutex_lock(&m->lock);
    size = g_hash_table_size(m->first);
    all = g_new(msg_at, size ? size : 1);
    g_hash_table_iter_init(&it, m->first);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        all[n].text = k;
        all[n].page = GPOINTER_TO_INT(v) - 1;
        n++;
    }
    qsort(all, n, sizeof *all, cmp_msg_at);
    for (guint i = 0; i < n && i < LIBMSG_WARN; i++)
        od_warnings_add(warnings, "library_message", all[i].page, "%s", all[i].text);
    if (n > LIBMSG_WARN)
        od_warnings_add(warnings, "library_message", 0,
                        "%u more messages of the libraries underneath", n - LIBMSG_WARN);
    g_free(all);
    pthread_mutex_unlock(&m->lock);
}

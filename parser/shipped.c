/*
 * shipped.c - the grammars compiled into the library.  The Makefile turns
 * the files grammars/NAME.rules (listed in grammars/ordex.gresource.xml) into a GLib
 * resource with glib-compile-resources, so an engine finds its grammars
 * wherever the library is installed; this file lists them for stage 4a
 * (ordex.c loads them as the default grammars) and for the command
 * (`ordex --print-grammars DIR`).
 */
#include <string.h>

#include <gio/gio.h>

#include "ordex_p.h"
#include "shipped_res.h"

#define SHIPPED_PATH "/org/ordex/grammars"

typedef struct shipped {
    char **names; /* sorted, NULL-terminated */
    GBytes **data;
    size_t n;
} shipped;

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read once per process; kept until exit (the bytes point into the
 * library's own read-only data). */
static gpointer list_shipped(gpointer unused)
{
    GResource *res = od_shipped_get_resource();
    shipped *s = g_new0(shipped, 1);
    GError *err = NULL;
    size_t k = 0;

    (void)unused;
    s->names = g_resource_enumerate_children(res, SHIPPED_PATH,
                                             G_RESOURCE_LOOKUP_FLAGS_NONE, &err);
    if (!s->names) /* only if the build embedded nothing */
        g_error("shipped grammars: %s", err->message);
    s->n = g_strv_length(s->names);
    qsort(s->names, s->n, sizeof *s->names, cmp_name);
    s->data = g_new0(GBytes *, s->n + 1);
    for (size_t i = 0; i < s->n; i++) {
        char *path = g_strconcat(SHIPPED_PATH "/", s->names[i], NULL);
        GBytes *b = g_resource_lookup_data(res, path, G_RESOURCE_LOOKUP_FLAGS_NONE,
                                           &err);
        if (!b)
            g_error("shipped grammars: %s", err->message);
        g_free(path);
        if (g_str_has_suffix(s->names[i], ".rules")) {
            s->names[k] = s->names[i];
            s->data[k++] = b;
        } else {
            g_free(s->names[i]);
            g_bytes_unref(b);
        }
    }
    s->names[k] = NULL;
    s->n = k;
    return s;
}

const char *ordex_shipped_grammar(size_t i, const char **data, size_t *len)
{
    static GOnce once = G_ONCE_INIT;
    const shipped *s = g_once(&once, list_shipped, NULL);
    gsize n = 0;
    const char *d;

    if (i >= s->n)
        return NULL;
    d = g_bytes_get_data(s->data[i], &n);
    if (data)
        *data = d;
    if (len)
        *len = n;
    return s->names[i];
}

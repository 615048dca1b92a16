/*
 * util.c - small helpers shared by every stage: warnings and messages.
 */
#include <stdarg.h>

#include "ordex_p.h"

void od_warning_free(od_warning *w)
{
    if (!w)
        return;
    g_free(w->code);
    g_free(w->message);
    g_free(w);
}

void od_warnings_add(GPtrArray *arr, const char *code, int page,
                     const char *fmt, ...)
{
    od_warning *w = g_new0(od_warning, 1);
    va_list ap;

    w->code = g_strdup(code);
    w->page = page;
    va_start(ap, fmt);
    w->message = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_ptr_array_add(arr, w);
}

void od_set_msg(char **msg, const char *fmt, ...)
{
    va_list ap;

    if (!msg || *msg)
        return;
    va_start(ap, fmt);
    *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
}

int od_cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;

    return (x > y) - (x < y);
}

/*
 * dump.c - the --dump renderings of intermediate stages.
 *
 * text:     the clean text of stage 2 exactly as later stages see it;
 * segments: blocks (kind, page, offsets, box) and their sentences;
 * matches:  every rule that fired after suppression and overlap
 *           resolution, with its captures.
 * Offsets are code points into the clean text, as in the JSON.
 */
#include <string.h>

#include "records_p.h"

char *od_dump_text(const od_text *t)
{
    char *s = od_text_utf8(t, 0, t->len);
    size_t n = strlen(s);

    if (n == 0 || s[n - 1] != '\n') {
        char *out = g_strconcat(s, "\n", NULL);
        g_free(s);
        return out;
    }
    return s;
}

/* Appends text with newlines shown as spaces, quoted. */
static void append_quoted(GString *out, const od_text *t, int32_t start,
                          int32_t end)
{
    char *s = od_text_utf8(t, start, end);

    for (char *p = s; *p; p++)
        if (*p == '\n')
            *p = ' ';
    g_string_append_printf(out, "\"%s\"", s);
    g_free(s);
}

static void append_pos(GString *out, const od_text *t, int32_t start,
                       int32_t end)
{
    int page = 0;
    od_box b;

    g_string_append_printf(out, "[%d,%d)", od_text_cp_index(t, start),
                           od_text_cp_index(t, end));
    if (od_text_position(t, start, end, &page, &b))
        g_string_append_printf(out, " p%d (%.1f,%.1f,%.1f,%.1f)", page,
                               b.x0, b.y0, b.x1, b.y1);
}

char *od_dump_segments(const od_text *t, const od_segments *s)
{
    GString *out = g_string_new(NULL);

    for (size_t i = 0; i < s->n_blocks; i++) {
        const od_block *b = &s->blocks[i];
        g_string_append_printf(out, "block %zu %s ", i,
                               od_block_kind_name(b->kind));
        append_pos(out, t, b->start, b->end);
        g_string_append_c(out, '\n');
        for (int j = 0; j < b->n_sentences; j++) {
            const od_sentence *sn = &s->sentences[b->first_sentence + j];
            g_string_append_printf(out, "  sentence %d ", b->first_sentence + j);
            append_pos(out, t, sn->start, sn->end);
            g_string_append(out, " ");
            append_quoted(out, t, sn->start, sn->end);
            g_string_append_c(out, '\n');
        }
    }
    return g_string_free(out, FALSE);
}

char *od_dump_matches(const od_text *t, const od_matches *m)
{
    GString *out = g_string_new(NULL);

    for (size_t i = 0; i < m->n; i++) {
        const od_match *mt = &m->items[i];
        g_string_append_printf(out, "%s %s block %d sentence %d ",
                               od_rule_id(mt->rule), od_rule_kind(mt->rule),
                               mt->block, mt->sentence);
        append_pos(out, t, mt->start, mt->end);
        g_string_append_c(out, ' ');
        append_quoted(out, t, mt->start, mt->end);
        g_string_append_c(out, '\n');
        for (int f = 0; f < mt->n_fields; f++) {
            const od_field *fd = &mt->fields[f];
            g_string_append_printf(out, "  %s = ", fd->name);
            if (fd->value)
                g_string_append_printf(out, "'%s'", fd->value);
            else if (fd->start >= 0)
                append_quoted(out, t, fd->start, fd->end);
            else
                g_string_append(out, "null");
            g_string_append_c(out, '\n');
        }
    }
    return g_string_free(out, FALSE);
}

/*
 * highlight.c - reviewers' copy of a PDF with every extracted record
 * marked (stage 6, output side).
 *
 * For each directive, deadline, judge and dataset mention of a result, the
 * record's span in the clean text is mapped back to one box per text line
 * (stage 2's position map) and a highlight annotation, coloured by kind
 * and carrying the record as its note, is added over those boxes with
 * Poppler GLib's annotation API.  Poppler saves the copy to memory, the
 * copy is read back whole, then od_write_file (outfile.c) writes it
 * checked: a temporary file beside the target, fsync, rename; the input
 * is never touched.
 * This is the second and last file that sees Poppler (pdf.c reads).
 */
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/mman.h> /* memfd_create */
#endif

#include <glib/gstdio.h>
#include <poppler.h>

#include "records_p.h"

struct kind_style {
    const char *kind;      /* JSON array name */
    const char *label;     /* annotation label */
    guint16 r, g, b;       /* colour */
};

static const struct kind_style styles[] = {
    {"directives", "directive", 0xffff, 0xe000, 0x4000}, /* amber */
    {"deadlines", "deadline", 0xff00, 0x6000, 0x6000},   /* red */
    {"attorneys", "attorney", 0x6000, 0xc000, 0xff00},   /* blue */
    {"judges", "judge", 0xb000, 0x9000, 0xff00},         /* violet */
    {"datasets", "dataset", 0x6000, 0xe000, 0x6000},     /* green */
};

/* UTF-16 index of code-point index cp (od_text_cp_index is monotonic). */
static int32_t utf16_index(const od_text *t, long cp)
{
    int32_t lo = 0, hi = t->len;

    while (lo < hi) {
        int32_t mid = lo + (hi - lo) / 2;
        if (od_text_cp_index(t, mid) < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The note shown with a highlight: the record's main fields. */
static char *record_note(const char *label, JsonObject *o)
{
    GString *s = g_string_new(label);
    static const char *const keys[] = {
        "date", "time", "computation", "actor", "party", "action",
        "modality", "name", "title", "text", NULL,
    };

    for (int i = 0; keys[i]; i++) {
        JsonNode *n;
        if (!json_object_has_member(o, keys[i]))
            continue;
        n = json_object_get_member(o, keys[i]);
        if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING)
            g_string_append_printf(s, "\n%s: %s", keys[i], json_node_get_string(n));
    }
    return g_string_free(s, FALSE);
}

static void add_highlight(PopplerDocument *pdoc, const od_text *t,
                          const struct kind_style *st, JsonObject *o,
                          int *count)
{
    GArray *boxes = g_array_new(FALSE, FALSE, sizeof(od_box));
    GArray *pages = g_array_new(FALSE, FALSE, sizeof(int));
    int32_t start, end;
    char *note;

    if (!json_object_has_member(o, "start") || !json_object_has_member(o, "end"))
        goto out;
    start = utf16_index(t, (long)json_object_get_int_member(o, "start"));
    end = utf16_index(t, (long)json_object_get_int_member(o, "end"));
    if (end <= start || od_text_line_boxes(t, start, end, boxes, pages) == 0)
        goto out;
    note = record_note(st->label, o);
    /* One annotation per page the span touches, one quad per line. */
    for (guint i = 0; i < boxes->len;) {
        int page = g_array_index(pages, int, i);
        PopplerPage *pp = poppler_document_get_page(pdoc, page - 1);
        GArray *quads = g_array_new(FALSE, FALSE, sizeof(PopplerQuadrilateral));
        PopplerRectangle rect = {G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE};
        double w, h;

        if (!pp) {
            i++;
            g_array_free(quads, TRUE);
            continue;
        }
        poppler_page_get_size(pp, &w, &h);
        for (; i < boxes->len && g_array_index(pages, int, i) == page; i++) {
            od_box b = g_array_index(boxes, od_box, i);
            PopplerQuadrilateral q;
            /* Annotation space: origin bottom-left, y up. */
            double y0 = h - b.y1, y1 = h - b.y0;
            q.p1.x = b.x0; q.p1.y = y1;
            q.p2.x = b.x1; q.p2.y = y1;
            q.p3.x = b.x0; q.p3.y = y0;
            q.p4.x = b.x1; q.p4.y = y0;
            g_array_append_val(quads, q);
            rect.x1 = MIN(rect.x1, b.x0);
            rect.x2 = MAX(rect.x2, b.x1);
            rect.y1 = MIN(rect.y1, y0);
            rect.y2 = MAX(rect.y2, y1);
        }
        {
            PopplerAnnot *a = poppler_annot_text_markup_new_highlight(pdoc, &rect, quads);
            PopplerColor c = {st->r, st->g, st->b};
            poppler_annot_set_color(a, &c);
            poppler_annot_set_contents(a, note);
            poppler_annot_markup_set_label(POPPLER_ANNOT_MARKUP(a), st->label);
            poppler_page_add_annot(pp, a);
            g_object_unref(a);
            (*count)++;
        }
        g_array_free(quads, TRUE);
        g_object_unref(pp);
    }
    g_free(note);
out:
    g_array_free(boxes, TRUE);
    g_array_free(pages, TRUE);
}

/* Whether data is a whole PDF that Poppler reads back with n_pages
 * pages: Poppler reports neither its failed writes nor a short file. */
static bool whole_copy(const char *data, size_t len, const char *password, int n_pages)
{
    GBytes *bytes;
    PopplerDocument *d;
    size_t end = len;
    bool ok;

    while (end > 0 && g_ascii_isspace(data[end - 1]))
        end--;
    if (end < 5 || memcmp(data + end - 5, "%%EOF", 5) != 0)
        return false;
    bytes = g_bytes_new_static(data, len);
    d = poppler_document_new_from_bytes(bytes, password, NULL);
    ok = d && poppler_document_get_n_pages(d) == n_pages;
    if (d)
        g_object_unref(d);
    g_bytes_unref(bytes);
    return ok;
}

/* Saves the annotated document to memory (a memfd, reached through
 * /proc/self/fd; elsewhere a temporary file), checks that the copy is
 * whole, then od_write_file (outfile.c) writes it out: a temporary file
 * beside the target, every write and the size checked, fsync, rename.
 * poppler_document_save, not _save_to_fd: the latter leaves its stdio
 * buffer unflushed until exit (Poppler 22.12). */
static bool save_checked(PopplerDocument *pdoc, const char *password,
                         const char *out_path, char **msg)
{
    GError *err = NULL;
    char *path = NULL, *uri, *data = NULL;
    gsize len = 0;
    int fd = -1;
    bool ok;

#ifdef __linux__
    fd = memfd_create("ordex-highlight", MFD_CLOEXEC);
    if (fd >= 0)
        path = g_strdup_printf("/proc/self/fd/%d", fd);
#endif
    if (!path) {
        fd = g_file_open_tmp("ordex-highlight-XXXXXX.pdf", &path, &err);
        if (fd < 0) {
            od_set_msg(msg, "cannot write: %s", err->message);
            g_clear_error(&err);
            return false;
        }
    }
    uri = g_filename_to_uri(path, NULL, &err);
    ok = uri && poppler_document_save(pdoc, uri, &err)
         && g_file_get_contents(path, &data, &len, &err);
    if (!ok)
        od_set_msg(msg, "cannot write: %s", err ? err->message : "unknown error");
    g_clear_error(&err);
    if (!g_str_has_prefix(path, "/proc/"))
        g_unlink(path);
    close(fd);
    if (ok && !whole_copy(data, len, password, poppler_document_get_n_pages(pdoc))) {
        od_set_msg(msg, "cannot write: Poppler's copy is incomplete");
        ok = false;
    }
    ok = ok && od_write_file(out_path, data, len, msg);
    g_free(data);
    g_free(uri);
    g_free(path);
    return ok;
}

int od_highlight_write(GBytes *pdf, const char *password, const od_text *t,
                       JsonNode *root, const char *out_path, char **msg)
{
    GError *err = NULL;
    PopplerDocument *pdoc;
    JsonObject *ro;
    int count = 0;

    pdoc = poppler_document_new_from_bytes(pdf, password, &err);
    if (!pdoc) {
        od_set_msg(msg, "cannot reopen the PDF: %s", err ? err->message : "unknown error");
        g_clear_error(&err);
        return -1;
    }
    ro = json_node_get_object(root);
    for (size_t k = 0; k < G_N_ELEMENTS(styles); k++) {
        JsonArray *a = json_object_get_array_member(ro, styles[k].kind);
        for (guint i = 0; a && i < json_array_get_length(a); i++) {
            JsonObject *o = json_array_get_object_element(a, i);
            if (json_object_has_member(o, "mentions")) {
                JsonArray *ms = json_object_get_array_member(o, "mentions");
                for (guint j = 0; j < json_array_get_length(ms); j++)
                    add_highlight(pdoc, t, &styles[k],
                                  json_array_get_object_element(ms, j), &count);
            } else {
                add_highlight(pdoc, t, &styles[k], o, &count);
            }
        }
    }

    if (!save_checked(pdoc, password, out_path, msg))
        count = -1;
    g_object_unref(pdoc);
    return count;
}

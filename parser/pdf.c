/*
 * pdf.c - stage 1 of the pipeline: the PDF text layer.
 *
 * Opens a PDF with Poppler's GLib API (the only file of ordex that sees
 * Poppler), classifies open failures into ordex_status values, and loads
 * each page's text layer as an od_pdf_page: one od_glyph per character in
 * Poppler's reading order, with its box, font size and bold/italic cues
 * guessed from the font name, plus the share of the page covered by
 * images (measured on pages with little text only: scans and stamp-only
 * pages).  Stage 2 (text.c) turns these glyphs into clean text.  For OCR
 * (ocr.c) it also renders a page to a grey bitmap with cairo.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <math.h>

#include <cairo.h>
#include <glib/gstdio.h>
#include <poppler.h>

#include "ordex_p.h"

/* A PDF must announce itself with "%PDF" within its first 1024 bytes. */
#define HEADER_WINDOW 1024
/* Pages with fewer characters get their image coverage measured. */
#define IMAGE_CHECK_MAX_CHARS 200

struct od_pdf {
    PopplerDocument *doc;
    GBytes *bytes;
    char *password; /* for od_pdf_open_again */
    int n_pages;
    char sha256[65];
};

static void set_fail(ordex_status *status, char **msg, ordex_status st,
                     const char *reason)
{
    if (status)
        *status = st;
    od_set_msg(msg, "%s", reason);
}

static bool has_pdf_header(const guint8 *data, size_t len)
{
    size_t n = len < HEADER_WINDOW ? len : HEADER_WINDOW;

    for (size_t i = 0; i + 4 <= n; i++)
        if (data[i] == '%' && memcmp(data + i, "%PDF", 4) == 0)
            return true;
    return false;
}

/* Takes a reference to bytes on success. */
static od_pdf *open_bytes(GBytes *bytes, const char *password,
                          ordex_status *status, char **msg)
{
    gsize len = 0;
    const guint8 *data = g_bytes_get_data(bytes, &len);
    GError *err = NULL;
    PopplerDocument *doc;
    od_pdf *pdf;
    char *hex;

    if (len == 0) {
        set_fail(status, msg, ORDEX_ERR_EMPTY, "empty file");
        return NULL;
    }
    if (!has_pdf_header(data, len)) {
        set_fail(status, msg, ORDEX_ERR_NOT_PDF, "not a PDF file");
        return NULL;
    }
    if (len > G_MAXINT) {
        set_fail(status, msg, ORDEX_ERR_IO, "file too large");
        return NULL;
    }
    /* Not poppler_document_new_from_bytes: in Poppler 22.12 it crashes
     * (a NULL dereference) on an encrypted file with a wrong password,
     * while the stream constructor reports POPPLER_ERROR_ENCRYPTED. */
    {
        GInputStream *in = g_memory_input_stream_new_from_bytes(bytes);
        doc = poppler_document_new_from_stream(in, (goffset)len, password,
                                               NULL, &err);
        g_object_unref(in);
    }
    if (!doc) {
        if (err && err->domain == POPPLER_ERROR
            && err->code == POPPLER_ERROR_ENCRYPTED)
            set_fail(status, msg, ORDEX_ERR_ENCRYPTED,
                     password && *password
                         ? "wrong password"
                         : "encrypted PDF and no password given");
        else
            set_fail(status, msg, ORDEX_ERR_CORRUPT,
                     "damaged or truncated PDF");
        g_clear_error(&err);
        return NULL;
    }
    if (poppler_document_get_n_pages(doc) <= 0) {
        g_object_unref(doc);
        set_fail(status, msg, ORDEX_ERR_EMPTY, "PDF has no pages");
        return NULL;
    }

    pdf = g_new0(od_pdf, 1);
    pdf->doc = doc;
    pdf->bytes = g_bytes_ref(bytes);
    pdf->password = g_strdup(password);
    pdf->n_pages = poppler_document_get_n_pages(doc);
    hex = g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, len);
    g_strlcpy(pdf->sha256, hex ? hex : "", sizeof pdf->sha256);
    g_free(hex);
    if (status)
        *status = ORDEX_OK;
    return pdf;
}

od_pdf *od_pdf_open_data(const void *data, size_t len, const char *password,
                         ordex_status *status, char **msg)
{
    GBytes *bytes;
    od_pdf *pdf;

    if (!data && len) {
        set_fail(status, msg, ORDEX_ERR_ARG, "no data");
        return NULL;
    }
    /* The caller keeps data alive until od_pdf_free. */
    bytes = g_bytes_new_static(data ? data : "", len);
    pdf = open_bytes(bytes, password, status, msg);
    g_bytes_unref(bytes);
    return pdf;
}

/* A one-page PDF with one word in Helvetica, its xref table exact. */
static GString *tiny_pdf(void)
{
    static const char *const objs[] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] "
         "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        "<< /Length 35 >>\nstream\nBT /F1 12 Tf 20 50 Td (ORDER) Tj ET\nendstream",
    };
    GString *s = g_string_new("%PDF-1.4\n");
    size_t off[G_N_ELEMENTS(objs)], xref;

    for (size_t i = 0; i < G_N_ELEMENTS(objs); i++) {
        off[i] = s->len;
        g_string_append_printf(s, "%zu 0 obj\n%s\nendobj\n", i + 1, objs[i]);
    }
    xref = s->len;
    g_string_append_printf(s, "xref\n0 %zu\n0000000000 65535 f \n",
                           G_N_ELEMENTS(objs) + 1);
    for (size_t i = 0; i < G_N_ELEMENTS(objs); i++)
        g_string_append_printf(s, "%010zu 00000 n \n", off[i]);
    g_string_append_printf(s, "trailer\n<< /Size %zu /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
                           G_N_ELEMENTS(objs) + 1, xref);
    return s;
}

/* Messages of Poppler's GLib log domain (poppler-glib's error callback
 * logs Poppler's errors there, libjpeg's among them) go to the thread's
 * catcher (libmsg.c), which makes them document warnings: on a successful
 * run nothing but ordex's own lines may reach stderr. */
static void catch_message(const gchar *domain, GLogLevelFlags level,
                          const gchar *message, gpointer user)
{
    (void)domain;
    (void)level;
    (void)user;
    od_libmsgs_add("Poppler", message);
}

static gpointer warm_up(gpointer unused)
{
    GString *s = tiny_pdf();
    ordex_status st;
    char *msg = NULL;
    od_pdf *pdf;

    (void)unused;
    g_log_set_handler("Poppler", G_LOG_LEVEL_MASK & ~G_LOG_LEVEL_ERROR,
                      catch_message, NULL);
    pdf = od_pdf_open_data(s->str, s->len, NULL, &st, &msg);
    if (pdf)
        od_pdf_page_free(od_pdf_page_load(pdf, 0, &msg));
    od_pdf_free(pdf);
    g_free(msg);
    g_string_free(s, TRUE);
    return NULL;
}

void od_pdf_init(void)
{
    static GOnce once = G_ONCE_INIT;

    g_once(&once, warm_up, NULL);
}

od_pdf *od_pdf_open_file(const char *path, const char *password,
                         ordex_status *status, char **msg)
{
    GStatBuf st;
    GError *err = NULL;
    char *contents = NULL;
    gsize len = 0;
    GBytes *bytes;
    od_pdf *pdf;

    if (!path) {
        set_fail(status, msg, ORDEX_ERR_ARG, "no file name");
        return NULL;
    }
    if (g_stat(path, &st) != 0) {
        set_fail(status, msg, ORDEX_ERR_IO, g_strerror(errno));
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        set_fail(status, msg, ORDEX_ERR_IO, "is a directory");
        return NULL;
    }
    if (!g_file_get_contents(path, &contents, &len, &err)) {
        /* GError messages name the file; the contract wants the reason. */
        const char *reason = "cannot read file";
        if (err && err->domain == G_FILE_ERROR) {
            switch (err->code) {
            case G_FILE_ERROR_NOENT:
                reason = "No such file or directory";
                break;
            case G_FILE_ERROR_ACCES:
            case G_FILE_ERROR_PERM:
                reason = "Permission denied";
                break;
            case G_FILE_ERROR_ISDIR:
                reason = "is a directory";
                break;
            case G_FILE_ERROR_NOMEM:
                reason = "file too large";
                break;
            default:
                break;
            }
        }
        g_clear_error(&err);
        set_fail(status, msg, ORDEX_ERR_IO, reason);
        return NULL;
    }
    bytes = g_bytes_new_take(contents, len);
    pdf = open_bytes(bytes, password, status, msg);
    g_bytes_unref(bytes);
    return pdf;
}

void od_pdf_free(od_pdf *pdf)
{
    if (!pdf)
        return;
    if (pdf->doc)
        g_object_unref(pdf->doc);
    if (pdf->bytes)
        g_bytes_unref(pdf->bytes);
    g_free(pdf->password);
    g_free(pdf);
}

/* Another PopplerDocument over the same bytes (shared, not copied), for
 * a second thread: a PopplerDocument is not safe in two threads at once,
 * two documents are. */
od_pdf *od_pdf_open_again(const od_pdf *pdf)
{
    GInputStream *in;
    PopplerDocument *doc;
    od_pdf *again;

    if (!pdf)
        return NULL;
    in = g_memory_input_stream_new_from_bytes(pdf->bytes);
    doc = poppler_document_new_from_stream(in, (goffset)g_bytes_get_size(pdf->bytes),
                                           pdf->password, NULL, NULL);
    g_object_unref(in);
    if (!doc)
        return NULL;
    if (poppler_document_get_n_pages(doc) != pdf->n_pages) {
        g_object_unref(doc);
        return NULL;
    }
    again = g_new0(od_pdf, 1);
    again->doc = doc;
    again->bytes = g_bytes_ref(pdf->bytes);
    again->password = g_strdup(pdf->password);
    again->n_pages = pdf->n_pages;
    memcpy(again->sha256, pdf->sha256, sizeof again->sha256);
    return again;
}

int od_pdf_n_pages(const od_pdf *pdf)
{
    return pdf ? pdf->n_pages : 0;
}

const char *od_pdf_sha256(const od_pdf *pdf)
{
    return pdf ? pdf->sha256 : "";
}

/* Case-insensitive substring test for short ASCII font names. */
static bool name_has(const char *name, const char *word)
{
    size_t n = strlen(word);

    for (const char *p = name; *p; p++)
        if (g_ascii_strncasecmp(p, word, n) == 0)
            return true;
    return false;
}

/* Bold and italic as far as a font name tells ("TimesNewRomanPS-BoldMT",
 * "Arial,BoldItalic", "Helvetica-Oblique", "Times-BoldIt"). */
static uint8_t font_flags(const char *name)
{
    uint8_t f = 0;

    if (!name)
        return 0;
    if (name_has(name, "bold") || name_has(name, "black")
        || name_has(name, "heavy") || name_has(name, "semibold")
        || name_has(name, "demi"))
        f |= OD_GLYPH_BOLD;
    if (name_has(name, "italic") || name_has(name, "oblique")
        || g_str_has_suffix(name, "It") || g_str_has_suffix(name, "-It")
        || name_has(name, "BoldIt"))
        f |= OD_GLYPH_ITALIC;
    return f;
}

static double image_share(PopplerPage *pp, double width, double height)
{
    GList *maps = poppler_page_get_image_mapping(pp);
    double area = 0.0, page = width * height;

    for (GList *l = maps; l; l = l->next) {
        const PopplerImageMapping *m = l->data;
        double x0 = MAX(MIN(m->area.x1, m->area.x2), 0.0);
        double x1 = MIN(MAX(m->area.x1, m->area.x2), width);
        double y0 = MAX(MIN(m->area.y1, m->area.y2), 0.0);
        double y1 = MIN(MAX(m->area.y1, m->area.y2), height);
        if (x1 > x0 && y1 > y0)
            area += (x1 - x0) * (y1 - y0);
    }
    poppler_page_free_image_mapping(maps);
    if (page <= 0.0)
        return 0.0;
    return area / page > 1.0 ? 1.0 : area / page;
}

static float clamp_coord(double v)
{
    if (!(v == v)) /* NaN */
        return 0.0f;
    if (v > 1e6)
        return 1e6f;
    if (v < -1e6)
        return -1e6f;
    return (float)v;
}

od_pdf_page *od_pdf_page_load(od_pdf *pdf, int index, char **msg)
{
    PopplerPage *pp;
    PopplerRectangle *rects = NULL;
    guint n_rects = 0;
    GList *attrs, *al;
    const PopplerTextAttributes *last_attr = NULL;
    uint8_t last_flags = 0;
    char *text;
    od_pdf_page *page;
    size_t n_chars, i;
    const char *p;

    if (!pdf || index < 0 || index >= pdf->n_pages) {
        od_set_msg(msg, "page %d does not exist", index + 1);
        return NULL;
    }
    pp = poppler_document_get_page(pdf->doc, index);
    if (!pp) {
        od_set_msg(msg, "page %d cannot be read", index + 1);
        return NULL;
    }

    page = g_new0(od_pdf_page, 1);
    page->number = index + 1;
    poppler_page_get_size(pp, &page->width, &page->height);

    text = poppler_page_get_text(pp);
    if (!text || !*text
        || !poppler_page_get_text_layout(pp, &rects, &n_rects)) {
        page->image_area = image_share(pp, page->width, page->height);
        g_free(text);
        g_free(rects);
        g_object_unref(pp);
        return page; /* no text layer: zero glyphs, not an error */
    }
    /* Mapping the images walks the page again and costs as much as the
     * text; it only matters where text is scarce (scans, stamp-only
     * pages), so text-rich pages report 0. */
    if (n_rects < IMAGE_CHECK_MAX_CHARS)
        page->image_area = image_share(pp, page->width, page->height);
    if (!g_utf8_validate(text, -1, NULL)) {
        char *fixed = g_utf8_make_valid(text, -1);
        g_free(text);
        text = fixed;
    }

    /* One rectangle per character of text (line breaks included); a
     * mismatch would be a Poppler bug, so keep the common prefix. */
    n_chars = (size_t)g_utf8_strlen(text, -1);
    if (n_chars > n_rects)
        n_chars = n_rects;
    page->glyphs = g_new0(od_glyph, n_chars > 0 ? n_chars : 1);
    page->n_glyphs = n_chars;

    attrs = poppler_page_get_text_attributes(pp);
    al = attrs;
    p = text;
    for (i = 0; i < n_chars; i++, p = g_utf8_next_char(p)) {
        od_glyph *g = &page->glyphs[i];
        const PopplerRectangle *r = &rects[i];
        const PopplerTextAttributes *a;

        g->ch = g_utf8_get_char(p);
        while (al && ((PopplerTextAttributes *)al->data)->end_index < (gint)i)
            al = al->next;
        a = al ? al->data : NULL;
        if (a && a->start_index <= (gint)i && (gint)i <= a->end_index) {
            if (a != last_attr) { /* one font-name look per run */
                last_attr = a;
                last_flags = font_flags(a->font_name);
            }
            g->size = (float)a->font_size;
            g->flags = last_flags;
        }
        if (g->ch == '\n' && i > 0) {
            g->box = page->glyphs[i - 1].box;
            g->size = page->glyphs[i - 1].size;
            g->flags = page->glyphs[i - 1].flags;
            continue;
        }
        g->box.x0 = clamp_coord(MIN(r->x1, r->x2));
        g->box.x1 = clamp_coord(MAX(r->x1, r->x2));
        g->box.y0 = clamp_coord(MIN(r->y1, r->y2));
        g->box.y1 = clamp_coord(MAX(r->y1, r->y2));
    }
    poppler_page_free_text_attributes(attrs);
    g_free(rects);
    g_free(text);
    g_object_unref(pp);
    return page;
}

void od_pdf_page_free(od_pdf_page *page)
{
    if (!page)
        return;
    g_free(page->glyphs);
    g_free(page);
}

guint8 *od_pdf_page_render_gray(od_pdf *pdf, int index, double dpi,
                                double max_pixels, int *width, int *height,
                                double *scale, char **msg)
{
    PopplerPage *pp;
    cairo_surface_t *surf;
    cairo_t *cr;
    double w_pt = 0, h_pt = 0, s;
    int w, h, stride;
    const guint8 *src;
    guint8 *gray;

    if (!pdf || index < 0 || index >= pdf->n_pages) {
        od_set_msg(msg, "page %d does not exist", index + 1);
        return NULL;
    }
    pp = poppler_document_get_page(pdf->doc, index);
    if (!pp) {
        od_set_msg(msg, "page %d cannot be read", index + 1);
        return NULL;
    }
    poppler_page_get_size(pp, &w_pt, &h_pt);
    if (!(w_pt >= 1.0 && h_pt >= 1.0 && w_pt < 1e6 && h_pt < 1e6)) {
        g_object_unref(pp);
        od_set_msg(msg, "page %d has no usable size", index + 1);
        return NULL;
    }
    /* pixels per point; a huge MediaBox is scaled down to max_pixels */
    s = dpi / 72.0;
    if (max_pixels > 0 && w_pt * h_pt * s * s > max_pixels)
        s = sqrt(max_pixels / (w_pt * h_pt));
    w = MAX((int)ceil(w_pt * s), 1);
    h = MAX((int)ceil(h_pt * s), 1);
    surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surf);
        g_object_unref(pp);
        od_set_msg(msg, "page %d: cannot make a %dx%d bitmap", index + 1, w, h);
        return NULL;
    }
    cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, s, s);
    od_libmsgs_stderr_begin(); /* libjpeg and Poppler's font engine print */
    poppler_page_render(pp, cr);
    od_libmsgs_stderr_end();
    cairo_destroy(cr);
    cairo_surface_flush(surf);
    g_object_unref(pp);

    /* RGB24 keeps each pixel in a native-endian 32-bit word */
    src = cairo_image_surface_get_data(surf);
    stride = cairo_image_surface_get_stride(surf);
    gray = g_malloc((gsize)w * (gsize)h);
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(src + (size_t)y * (size_t)stride);
        guint8 *out = gray + (size_t)y * (size_t)w;
        for (int x = 0; x < w; x++) {
            uint32_t px = row[x];
            unsigned r = (px >> 16) & 0xFF, g = (px >> 8) & 0xFF, b = px & 0xFF;
            out[x] = (guint8)((r * 77 + g * 150 + b * 29) >> 8);
        }
    }
    cairo_surface_destroy(surf);
    *width = w;
    *height = h;
    *scale = s;
    return gray;
}

/*
 * mksample.c - the sample-order generator of the ordex test suite.
 *
 * Not part of the library.  `make samples` runs `mksample IN.txt OUT.pdf`
 * for each samples/X.txt, turning a small markup (below) into a PDF that
 * looks like a real federal filing: US Letter, 1-inch margins, Liberation
 * Serif 12 pt, double-spaced justified body, caption, CM/ECF stamp on every
 * page, footnotes kept on the page of their marker, numbered paragraphs,
 * signature blocks, and California pleading paper.  The PDFs feed stage 1
 * (Poppler) of the pipeline, so the whole chain is tested on realistic,
 * selectable text.  Pango breaks and justifies the lines, this file
 * paginates them, Cairo's PDF surface draws them.  Same input, same PDF,
 * byte for byte (the PDF dates come from @date, never from the clock).
 *
 * THE MARKUP (UTF-8 text; also described in tests/gen/README.md)
 *
 *   Blank lines separate paragraphs; the lines of a paragraph are joined
 *   with a space.  A paragraph is double-spaced, justified, first line
 *   indented half an inch.  One that starts "1. ", "12. ", "(1) " or "(a) "
 *   is a numbered paragraph with a hanging indent.  One whose lines start
 *   with ">" is a single-spaced block quote, indented on both sides.
 *
 *   Inline: *italic*, **bold**, [^N] a footnote marker (superscript N),
 *   "straight quotes" become curly, -- an en dash, --- an em dash, and a
 *   backslash takes the next character literally (\*, \[, \", \\).
 *
 *   A line starting with "@" is a directive: "@name argument".  Lines that
 *   follow a directive and start with a space or tab continue its argument.
 *   "@#" starts a comment line.  Where a directive takes lines, "|"
 *   separates them, and repeating the directive adds more; leading spaces
 *   of a line are kept (for indenting "Plaintiff," in a caption).  A blank
 *   line ends a caption or signature block.
 *
 *   Document settings (anywhere in the file):
 *     @title T           PDF Title            @author A    PDF Author
 *     @date YYYY-MM-DD   PDF creation and modification date (default
 *                        2025-01-01); no other date goes into the file
 *     @stamp TEXT        stamp printed at the top of every page; {page} and
 *                        {pages} are replaced, and when TEXT has neither,
 *                        "   Page {page} of {pages}" is appended
 *     @layout plain|pleading   pleading: California pleading paper, line
 *                        numbers 1-28 in the left margin, rules
 *     @footer TEXT       short title printed at the foot of every page
 *     @footnote N TEXT   the text of footnote N (markup allowed)
 *   Flow (in order):
 *     @court L|L         court name: centred bold lines
 *     @attorney L|L      attorney block: single-spaced lines at the left
 *     @caption-left L|L, @caption-right L|L   the caption box: parties on
 *                        the left closed by a ")" column, case number
 *                        block on the right
 *     @heading T         centred bold heading    @subheading T  bold, left
 *     @center L|L        centred lines           @left L|L      left lines
 *     @sig-left L|L, @signature L|L   signature block: lines on the left
 *                        ("Dated: ...") beside lines on the right half
 *     @noindent          the next paragraph has no first-line indent
 *     @spacing single|double   line spacing of the paragraphs that follow
 *     @skip N            N blank single-spaced lines
 *     @pagebreak         start a new page
 *
 * Limits: a footnote is never split across pages; caption and signature
 * lines are not wrapped.
 *
 * RASTERISED COPIES (for the OCR tests)
 *
 *   `mksample --rasterise DPI IN.pdf OUT.pdf` renders each page of IN.pdf
 *   with Poppler at DPI, thresholds it to black and white (a fax-like
 *   scan, which cairo stores as a 1-bit Flate image) and writes it as an
 *   image-only page, except for the page's first line when it is an ECF
 *   stamp ("Case ..."): that line is blanked in the image and written
 *   again as real text, as CM/ECF does when it stamps a scanned filing.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>
#include <poppler.h>

#define PAGE_W 612.0
#define PAGE_H 792.0
#define INCH 72.0
#define BODY_SIZE 12.0
#define FOOT_SIZE 10.0
#define STAMP_SIZE 9.0
#define FOOTER_SIZE 8.0
#define PLEADING_LINES 28
#define MAX_PARTS 3
#define FONT_SERIF "Liberation Serif"
#define DEFAULT_DATE "2025-01-01"

/* One piece of text on a row: a Pango line drawn at (x, item top + base). */
typedef struct {
    PangoLayoutLine *line; /* owned by a layout in Doc.layouts */
    double x;
    double base;
} Part;

/* What the paginator places: one row of text (or blank space). */
typedef struct {
    double height;
    gboolean keep_next;  /* on the same page as the next item */
    gboolean page_break; /* starts a new page */
    gboolean is_space;   /* dropped at the top of a page */
    Part parts[MAX_PARTS];
    guint n_parts;
    gboolean has_rule; /* a horizontal rule from rx0 to rx1 at top + ry */
    double rx0, rx1, ry;
    guint fn_start, fn_count; /* footnotes referenced: Doc.fnrefs slice */
} Item;

typedef struct {
    char *num;
    char *text;
    int src_line;
    PangoLayout *layout;
    double height;
    int page; /* -1 until placed */
    gboolean used;
} Footnote;

typedef struct {
    guint item;
    double y;
} Placed;

typedef struct {
    GArray *placed;    /* Placed */
    GPtrArray *fns;    /* Footnote *, borrowed */
    double fn_reserve; /* height of the footnote area, separator included */
} Page;

/* A source unit: a directive (name != NULL) or a paragraph. */
typedef struct {
    char *name;
    char *arg;
    int line;
    gboolean quote;
} Entry;

typedef struct {
    guint offset; /* byte offset of the marker in the layout text */
    char *num;
} Marker;

typedef struct {
    double left, right; /* insets from the text area */
    double indent;      /* first-line indent, negative: hanging */
    PangoAlignment align;
    gboolean justify, bold, tab;
    double size, pitch, ascent;
} Style;

enum { BLOCK_NONE, BLOCK_CAPTION, BLOCK_SIG };

typedef struct {
    const char *path;
    char *error; /* first error, "LINE: message" */

    char *title, *author, *date, *stamp, *footer;
    gboolean pleading;

    double left, right, top, bottom; /* the text area */
    double single, pitch;            /* single and current line pitch */
    gboolean noindent_next, break_next;

    PangoContext *ctx;
    PangoFontDescription *font;
    double body_ascent, foot_ascent;
    GRegex *numbered;

    GPtrArray *layouts;   /* PangoLayout *, owned */
    GArray *items;        /* Item */
    GArray *fnrefs;       /* Footnote * */
    GPtrArray *footnotes; /* Footnote *, owned */
    GHashTable *fn_by_num;
    GPtrArray *pages; /* Page *, owned */

    int block_kind, block_line;
    GPtrArray *block_left, *block_right; /* char *, owned */
} Doc;

static gboolean fail(Doc *d, int line, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

static gboolean fail(Doc *d, int line, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    if (d->error)
        return FALSE;
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    d->error = g_strdup_printf("%d: %s", line, msg);
    g_free(msg);
    return FALSE;
}

/* ---- Inline markup -------------------------------------------------- */

static gboolean is_open_context(const GString *out)
{
    const char *prev;
    gunichar c;

    if (out->len == 0)
        return TRUE;
    prev = g_utf8_find_prev_char(out->str, out->str + out->len);
    c = g_utf8_get_char(prev);
    return g_unichar_isspace(c) || c == '(' || c == '[' || c == '{' ||
           c == 0x2014 || c == 0x2013 || c == '/' || c == 0x201C || c == 0x2018;
}

static void add_attr(PangoAttrList *attrs, PangoAttribute *a, guint start,
                     guint end)
{
    a->start_index = start;
    a->end_index = end;
    pango_attr_list_insert(attrs, a);
}

/*
 * Turn markup into plain text plus Pango attributes; footnote markers go
 * to `markers` (Marker, num owned by the caller).  FALSE with *err set on
 * an unclosed emphasis or a bad marker.
 */
static gboolean inline_parse(const char *src, GString *out,
                             PangoAttrList *attrs, GArray *markers, double size,
                             char **err)
{
    const char *p = src;
    gint64 ital = -1, bold = -1;

    while (*p) {
        if (*p == '\\' && p[1]) {
            const char *next = g_utf8_next_char(p + 1);
            g_string_append_len(out, p + 1, next - (p + 1));
            p = next;
        } else if (p[0] == '*' && p[1] == '*') {
            if (bold < 0) {
                bold = out->len;
            } else {
                add_attr(attrs, pango_attr_weight_new(PANGO_WEIGHT_BOLD),
                         (guint)bold, out->len);
                bold = -1;
            }
            p += 2;
        } else if (*p == '*') {
            if (ital < 0) {
                ital = out->len;
            } else {
                add_attr(attrs, pango_attr_style_new(PANGO_STYLE_ITALIC),
                         (guint)ital, out->len);
                ital = -1;
            }
            p++;
        } else if (p[0] == '[' && p[1] == '^') {
            const char *q = p + 2;
            Marker m;
            guint start = out->len;

            while (g_ascii_isalnum(*q))
                q++;
            if (*q != ']' || q == p + 2 || q - (p + 2) > 4) {
                *err = g_strdup("a footnote marker must read [^N]");
                return FALSE;
            }
            g_string_append_len(out, p + 2, q - (p + 2));
            add_attr(attrs, pango_attr_scale_new(0.65), start, out->len);
            add_attr(attrs,
                     pango_attr_rise_new((int)(size * 0.4 * PANGO_SCALE)),
                     start, out->len);
            m.offset = start;
            m.num = g_strndup(p + 2, q - (p + 2));
            g_array_append_val(markers, m);
            p = q + 1;
        } else if (p[0] == '-' && p[1] == '-') {
            if (p[2] == '-') {
                g_string_append(out, "\xe2\x80\x94"); /* em dash */
                p += 3;
            } else {
                g_string_append(out, "\xe2\x80\x93"); /* en dash */
                p += 2;
            }
        } else if (*p == '"') {
            g_string_append(out, is_open_context(out) ? "\xe2\x80\x9c"
                                                      : "\xe2\x80\x9d");
            p++;
        } else if (*p == '\'') {
            g_string_append(out, is_open_context(out) ? "\xe2\x80\x98"
                                                      : "\xe2\x80\x99");
            p++;
        } else {
            const char *next = g_utf8_next_char(p);
            g_string_append_len(out, p, next - p);
            p = next;
        }
    }
    if (ital >= 0 || bold >= 0) {
        *err = g_strdup_printf("unclosed %s (write \\* for a literal *)",
                               bold >= 0 ? "**" : "*");
        return FALSE;
    }
    return TRUE;
}

static void markers_free(GArray *markers)
{
    for (guint i = 0; i < markers->len; i++)
        g_free(g_array_index(markers, Marker, i).num);
    g_array_free(markers, TRUE);
}

/* ---- Layout --------------------------------------------------------- */

static double text_width(const Doc *d)
{
    return d->right - d->left;
}

/* A Pango layout of `text` in style `st`; width <= 0: one unwrapped line. */
static PangoLayout *make_layout(Doc *d, const char *text, PangoAttrList *attrs,
                                const Style *st, double width)
{
    PangoLayout *lay = pango_layout_new(d->ctx);
    PangoFontDescription *fd = pango_font_description_copy(d->font);

    pango_font_description_set_size(fd, (gint)(st->size * PANGO_SCALE));
    if (st->bold)
        pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(lay, fd);
    pango_font_description_free(fd);
    if (width > 0) {
        pango_layout_set_width(lay, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(lay, PANGO_WRAP_WORD);
    }
    pango_layout_set_justify(lay, st->justify);
    pango_layout_set_alignment(lay, st->align);
    pango_layout_set_indent(lay, (int)(st->indent * PANGO_SCALE));
    if (st->tab) {
        PangoTabArray *tabs = pango_tab_array_new(1, FALSE);
        pango_tab_array_set_tab(tabs, 0, PANGO_TAB_LEFT,
                                (gint)(0.5 * INCH * PANGO_SCALE));
        pango_layout_set_tabs(lay, tabs);
        pango_tab_array_free(tabs);
    }
    pango_layout_set_text(lay, text, -1);
    if (attrs)
        pango_layout_set_attributes(lay, attrs);
    g_ptr_array_add(d->layouts, lay);
    return lay;
}

static void style_init(const Doc *d, Style *st, double pitch)
{
    memset(st, 0, sizeof *st);
    st->align = PANGO_ALIGN_LEFT;
    st->size = BODY_SIZE;
    st->pitch = pitch;
    st->ascent = d->body_ascent;
}

static Item *push_item(Doc *d, double height, gboolean keep_next)
{
    Item it;

    memset(&it, 0, sizeof it);
    it.height = height;
    it.keep_next = keep_next;
    it.page_break = d->break_next;
    it.fn_start = d->fnrefs->len;
    d->break_next = FALSE;
    g_array_append_val(d->items, it);
    return &g_array_index(d->items, Item, d->items->len - 1);
}

static void push_space(Doc *d, double height)
{
    Item *it = push_item(d, height, TRUE);
    it->is_space = TRUE;
}

/* The horizontal origin of the line the iterator is on, in points. */
static double line_origin_x(PangoLayoutIter *iter)
{
    PangoRectangle in_layout, in_line;
    PangoLayoutLine *line = pango_layout_iter_get_line_readonly(iter);

    pango_layout_iter_get_line_extents(iter, NULL, &in_layout);
    pango_layout_line_get_extents(line, NULL, &in_line);
    return (double)(in_layout.x - in_line.x) / PANGO_SCALE;
}

static gboolean resolve_markers(Doc *d, GArray *markers, int line)
{
    for (guint i = 0; i < markers->len; i++) {
        Marker *m = &g_array_index(markers, Marker, i);
        Footnote *fn = g_hash_table_lookup(d->fn_by_num, m->num);
        if (!fn)
            return fail(d, line, "footnote [^%s] has no @footnote %s", m->num,
                        m->num);
        fn->used = TRUE;
    }
    return TRUE;
}

/*
 * Lay out `src` (inline markup) in style `st` at x0 and queue one item per
 * line.  Widows and orphans: the first line keeps with the second, the
 * last with the one before it, and a paragraph ending in ":" with what
 * follows.  keep_all: every line keeps with the next.
 */
static gboolean add_text(Doc *d, const char *src, const Style *st,
                         gboolean keep_all, int line)
{
    GString *text = g_string_new(NULL);
    PangoAttrList *attrs = pango_attr_list_new();
    GArray *markers = g_array_new(FALSE, FALSE, sizeof(Marker));
    char *err = NULL;
    gboolean ok = TRUE;

    if (!inline_parse(src, text, attrs, markers, st->size, &err)) {
        fail(d, line, "%s", err);
        g_free(err);
        ok = FALSE;
    } else if (resolve_markers(d, markers, line)) {
        double x0 = d->left + st->left;
        double width = text_width(d) - st->left - st->right;
        PangoLayout *lay = make_layout(d, text->str, attrs, st, width);
        int n = pango_layout_get_line_count(lay);
        /* "... ORDERED that:" stays with what it introduces */
        gboolean lead_in = text->len > 0 && text->str[text->len - 1] == ':';
        PangoLayoutIter *iter = pango_layout_get_iter(lay);
        int i = 0;

        do {
            PangoLayoutLine *pl = pango_layout_iter_get_line_readonly(iter);
            gboolean keep = keep_all || (i == 0 && n >= 2) ||
                            (i == n - 2 && n >= 3) || (i == n - 1 && lead_in);
            Item *it = push_item(d, st->pitch, keep);
            guint from = (guint)pl->start_index;
            guint to = from + (guint)pl->length;

            it->parts[0].line = pl;
            it->parts[0].x = x0 + line_origin_x(iter);
            it->parts[0].base = st->ascent;
            it->n_parts = 1;
            for (guint k = 0; k < markers->len; k++) {
                Marker *m = &g_array_index(markers, Marker, k);
                if (m->offset >= from && (m->offset < to || i == n - 1)) {
                    Footnote *fn = g_hash_table_lookup(d->fn_by_num, m->num);
                    g_array_append_val(d->fnrefs, fn);
                    it->fn_count++;
                }
            }
            i++;
        } while (pango_layout_iter_next_line(iter));
        pango_layout_iter_free(iter);
    } else {
        ok = FALSE;
    }
    markers_free(markers);
    pango_attr_list_unref(attrs);
    g_string_free(text, TRUE);
    return ok;
}

/* One unwrapped line of markup, for caption and signature cells. */
static PangoLayoutLine *cell_line(Doc *d, const char *src, int line)
{
    GString *text = g_string_new(NULL);
    PangoAttrList *attrs = pango_attr_list_new();
    GArray *markers = g_array_new(FALSE, FALSE, sizeof(Marker));
    PangoLayoutLine *pl = NULL;
    char *err = NULL;
    Style st;

    style_init(d, &st, d->single);
    if (!inline_parse(src, text, attrs, markers, st.size, &err)) {
        fail(d, line, "%s", err);
        g_free(err);
    } else if (markers->len > 0) {
        fail(d, line, "no footnote markers in caption or signature lines");
    } else if (text->len > 0) {
        PangoLayout *lay = make_layout(d, text->str, attrs, &st, 0);
        pl = pango_layout_get_line_readonly(lay, 0);
    }
    markers_free(markers);
    pango_attr_list_unref(attrs);
    g_string_free(text, TRUE);
    return pl;
}

static void split_lines(GPtrArray *into, const char *arg)
{
    char **v = g_strsplit(arg, "|", -1);

    if (*arg == '\0') /* g_strsplit gives no piece for "" */
        g_ptr_array_add(into, g_strdup(""));
    for (char **s = v; *s; s++) {
        g_strchomp(*s);
        g_ptr_array_add(into, g_strdup(*s));
    }
    g_strfreev(v);
}

/* Lines of a simple block (court, attorney, center, left), single pitch. */
static gboolean add_lines(Doc *d, const char *arg, PangoAlignment align,
                          gboolean bold, int line)
{
    GPtrArray *v = g_ptr_array_new_with_free_func(g_free);
    gboolean ok = TRUE;
    Style st;

    style_init(d, &st, d->single);
    st.align = align;
    st.bold = bold;
    split_lines(v, arg);
    for (guint i = 0; i < v->len && ok; i++) {
        const char *s = g_ptr_array_index(v, i);
        if (*s == '\0')
            push_space(d, d->single);
        else
            ok = add_text(d, s, &st, TRUE, line);
    }
    g_ptr_array_free(v, TRUE);
    return ok;
}

/* Emit the pending caption box or signature block. */
static gboolean flush_block(Doc *d)
{
    guint nl, nr, rows;
    double w = text_width(d);
    double paren_x = d->left + (d->pleading ? 0.46 : 0.53) * w;
    double right_x = d->block_kind == BLOCK_CAPTION ? paren_x + 0.25 * INCH
                                                    : d->left + w / 2;
    gboolean caption = d->block_kind == BLOCK_CAPTION;
    gboolean ok = TRUE;

    if (d->block_kind == BLOCK_NONE)
        return TRUE;
    nl = d->block_left->len;
    nr = d->block_right->len;
    rows = MAX(nl, nr) + (caption ? 1 : 0);
    if (!caption)
        push_space(d, d->single);
    for (guint r = 0; r < rows && ok; r++) {
        guint idx = d->items->len;
        PangoLayoutLine *cells[MAX_PARTS] = {NULL, NULL, NULL};
        double xs[MAX_PARTS] = {d->left, paren_x, right_x};
        Item *it;

        push_item(d, d->single, TRUE);
        if (r < nl)
            cells[0] = cell_line(d, g_ptr_array_index(d->block_left, r),
                                 d->block_line);
        if (caption)
            cells[1] = cell_line(d, ")", d->block_line);
        if (r < nr)
            cells[2] = cell_line(d, g_ptr_array_index(d->block_right, r),
                                 d->block_line);
        if (d->error) {
            ok = FALSE;
            break;
        }
        it = &g_array_index(d->items, Item, idx);
        for (int c = 0; c < MAX_PARTS; c++) {
            PangoRectangle ext;
            double lim = c == 0 ? (caption ? paren_x : right_x) : d->right;

            if (!cells[c])
                continue;
            pango_layout_line_get_extents(cells[c], NULL, &ext);
            if (xs[c] + (double)ext.width / PANGO_SCALE > lim + 1) {
                ok = fail(d, d->block_line, "%s line %u is too wide",
                          caption ? "caption" : "signature", r + 1);
                break;
            }
            it->parts[it->n_parts].line = cells[c];
            it->parts[it->n_parts].x = xs[c];
            it->parts[it->n_parts].base = d->body_ascent;
            it->n_parts++;
        }
        if (caption && r == rows - 1) {
            it->has_rule = TRUE;
            it->rx0 = d->left;
            it->rx1 = paren_x;
            it->ry = d->body_ascent + 1.0;
        }
        if (!caption && r == rows - 1)
            it->keep_next = FALSE;
    }
    if (caption && ok)
        push_space(d, d->single);
    g_ptr_array_set_size(d->block_left, 0);
    g_ptr_array_set_size(d->block_right, 0);
    d->block_kind = BLOCK_NONE;
    return ok;
}

static gboolean add_paragraph(Doc *d, const Entry *e)
{
    Style st;
    gboolean ok;

    if (e->quote) {
        style_init(d, &st, d->single);
        st.left = st.right = 0.5 * INCH;
        st.justify = TRUE;
        push_space(d, d->single);
        ok = add_text(d, e->arg, &st, FALSE, e->line);
        push_space(d, d->single);
        d->noindent_next = FALSE;
        return ok;
    }
    style_init(d, &st, d->pitch);
    st.justify = TRUE;
    if (d->pitch < 2 * BODY_SIZE)
        push_space(d, d->single / 2); /* single-spaced: a gap between */
    if (g_regex_match(d->numbered, e->arg, 0, NULL)) {
        /* "1. Text": the number at the margin, the text on a tab stop. */
        GString *s = g_string_new(NULL);
        const char *p = e->arg;

        while (*p && *p != ' ')
            g_string_append_c(s, *p++);
        while (*p == ' ')
            p++;
        g_string_append_c(s, '\t');
        g_string_append(s, p);
        st.indent = -0.5 * INCH;
        st.tab = TRUE;
        ok = add_text(d, s->str, &st, FALSE, e->line);
        g_string_free(s, TRUE);
    } else {
        st.indent = d->noindent_next ? 0 : 0.5 * INCH;
        ok = add_text(d, e->arg, &st, FALSE, e->line);
    }
    d->noindent_next = FALSE;
    return ok;
}

/* ---- Source -------------------------------------------------------- */

static void entry_clear(gpointer p)
{
    Entry *e = p;
    g_free(e->name);
    g_free(e->arg);
}

/* Split the source into directives and paragraphs. */
static GArray *read_entries(char *src)
{
    GArray *out = g_array_new(FALSE, TRUE, sizeof(Entry));
    char **lines = g_strsplit(src, "\n", -1);
    GString *para = NULL;
    Entry pe = {NULL, NULL, 0, FALSE};

    g_array_set_clear_func(out, entry_clear);
    for (int i = 0; lines[i]; i++) {
        char *l = lines[i];
        gboolean blank;

        g_strchomp(l); /* also drops a CR */
        blank = l[strspn(l, " \t")] == '\0';
        if (para && (blank || l[0] == '@')) {
            pe.arg = g_string_free(para, FALSE);
            g_array_append_val(out, pe);
            para = NULL;
        }
        if (blank && out->len > 0 &&
            g_array_index(out, Entry, out->len - 1).name &&
            *g_array_index(out, Entry, out->len - 1).name) {
            /* A blank line ends a caption or signature block. */
            Entry br = {g_strdup(""), g_strdup(""), i + 1, FALSE};
            g_array_append_val(out, br);
        }
        if (blank || (l[0] == '@' && l[1] == '#'))
            continue;
        if (l[0] == '@') {
            Entry e = {NULL, NULL, i + 1, FALSE};
            size_t n = strcspn(l + 1, " \t");
            GString *arg;

            e.name = g_strndup(l + 1, n);
            arg = g_string_new(l[1 + n] ? l + 2 + n : "");
            while (lines[i + 1] &&
                   (lines[i + 1][0] == ' ' || lines[i + 1][0] == '\t')) {
                char *c = g_strstrip(lines[++i]);
                if (*c == '\0')
                    break;
                if (arg->len)
                    g_string_append_c(arg, ' ');
                g_string_append(arg, c);
            }
            e.arg = g_string_free(arg, FALSE);
            g_array_append_val(out, e);
            continue;
        }
        if (!para) {
            para = g_string_new(NULL);
            pe.line = i + 1;
            pe.quote = l[0] == '>';
        } else {
            g_string_append_c(para, ' ');
        }
        if (pe.quote && l[0] == '>')
            l++;
        g_string_append(para, g_strstrip(l));
    }
    if (para) {
        pe.arg = g_string_free(para, FALSE);
        g_array_append_val(out, pe);
    }
    g_strfreev(lines);
    return out;
}

static gboolean valid_date(const char *s)
{
    unsigned y, m, dd;
    char tail;

    if (strlen(s) != 10 || sscanf(s, "%4u-%2u-%2u%c", &y, &m, &dd, &tail) != 3)
        return FALSE;
    return g_date_valid_dmy((GDateDay)dd, (GDateMonth)m, (GDateYear)y);
}

static void footnote_free(gpointer p)
{
    Footnote *fn = p;
    g_free(fn->num);
    g_free(fn->text);
    g_free(fn);
}

/* Pass 1: the document settings and the footnote texts. */
static gboolean read_settings(Doc *d, GArray *entries)
{
    for (guint i = 0; i < entries->len; i++) {
        Entry *e = &g_array_index(entries, Entry, i);
        char **slot = NULL;

        if (!e->name)
            continue;
        if (!strcmp(e->name, "title"))
            slot = &d->title;
        else if (!strcmp(e->name, "author"))
            slot = &d->author;
        else if (!strcmp(e->name, "stamp"))
            slot = &d->stamp;
        else if (!strcmp(e->name, "footer"))
            slot = &d->footer;
        if (slot) {
            g_free(*slot);
            *slot = g_strdup(e->arg);
        } else if (!strcmp(e->name, "date")) {
            if (!valid_date(e->arg))
                return fail(d, e->line, "@date wants YYYY-MM-DD, not '%s'",
                            e->arg);
            g_free(d->date);
            d->date = g_strdup(e->arg);
        } else if (!strcmp(e->name, "layout")) {
            if (strcmp(e->arg, "plain") && strcmp(e->arg, "pleading"))
                return fail(d, e->line, "@layout is plain or pleading");
            d->pleading = !strcmp(e->arg, "pleading");
        } else if (!strcmp(e->name, "footnote")) {
            Footnote *fn;
            size_t n = strcspn(e->arg, " ");

            if (n == 0 || e->arg[n] == '\0')
                return fail(d, e->line, "@footnote wants a number and text");
            fn = g_new0(Footnote, 1);
            fn->num = g_strndup(e->arg, n);
            fn->text = g_strdup(e->arg + n + 1);
            fn->src_line = e->line;
            fn->page = -1;
            if (g_hash_table_contains(d->fn_by_num, fn->num)) {
                fail(d, e->line, "footnote %s defined twice", fn->num);
                footnote_free(fn);
                return FALSE;
            }
            g_ptr_array_add(d->footnotes, fn);
            g_hash_table_insert(d->fn_by_num, fn->num, fn);
        }
    }
    return TRUE;
}

static void setup_geometry(Doc *d)
{
    PangoFontMetrics *m;
    PangoFontDescription *fd = pango_font_description_copy(d->font);
    PangoLanguage *lang = pango_language_from_string("en-us");

    if (d->pleading) {
        d->left = 1.5 * INCH;
        d->right = 7.5 * INCH;
        d->top = 1.0 * INCH;
        d->bottom = d->top + PLEADING_LINES * 2 * BODY_SIZE;
        d->single = BODY_SIZE;
    } else {
        d->left = 1.0 * INCH;
        d->right = PAGE_W - 1.0 * INCH;
        d->top = 1.0 * INCH;
        d->bottom = PAGE_H - 1.0 * INCH;
        d->single = 14.0;
    }
    d->pitch = 2 * BODY_SIZE;
    m = pango_context_get_metrics(d->ctx, d->font, lang);
    d->body_ascent = (double)pango_font_metrics_get_ascent(m) / PANGO_SCALE;
    pango_font_metrics_unref(m);
    pango_font_description_set_size(fd, (gint)(FOOT_SIZE * PANGO_SCALE));
    m = pango_context_get_metrics(d->ctx, fd, lang);
    d->foot_ascent = (double)pango_font_metrics_get_ascent(m) / PANGO_SCALE;
    pango_font_metrics_unref(m);
    pango_font_description_free(fd);
}

#define FOOT_PITCH 11.5
#define FOOT_SEP 18.0 /* space, rule, space above the first footnote */

static gboolean layout_footnotes(Doc *d)
{
    for (guint i = 0; i < d->footnotes->len; i++) {
        Footnote *fn = g_ptr_array_index(d->footnotes, i);
        char *src = g_strdup_printf("[^%s] %s", fn->num, fn->text);
        GString *text = g_string_new(NULL);
        PangoAttrList *attrs = pango_attr_list_new();
        GArray *markers = g_array_new(FALSE, FALSE, sizeof(Marker));
        char *err = NULL;
        Style st;

        style_init(d, &st, FOOT_PITCH);
        st.size = FOOT_SIZE;
        st.justify = TRUE;
        st.indent = 0.25 * INCH;
        if (!inline_parse(src, text, attrs, markers, st.size, &err)) {
            fail(d, fn->src_line, "%s", err);
            g_free(err);
        } else if (markers->len != 1) {
            fail(d, fn->src_line, "no footnote markers inside a footnote");
        } else {
            fn->layout = make_layout(d, text->str, attrs, &st, text_width(d));
            fn->height = pango_layout_get_line_count(fn->layout) * FOOT_PITCH;
        }
        markers_free(markers);
        pango_attr_list_unref(attrs);
        g_string_free(text, TRUE);
        g_free(src);
        if (d->error)
            return FALSE;
    }
    return TRUE;
}

static gboolean is_block_directive(const char *name, int *kind, gboolean *left)
{
    *left = !strcmp(name, "caption-left") || !strcmp(name, "sig-left");
    if (!strcmp(name, "caption-left") || !strcmp(name, "caption-right"))
        *kind = BLOCK_CAPTION;
    else if (!strcmp(name, "sig-left") || !strcmp(name, "signature"))
        *kind = BLOCK_SIG;
    else
        return FALSE;
    return TRUE;
}

/* Pass 2: the flow, in order. */
static gboolean read_flow(Doc *d, GArray *entries)
{
    for (guint i = 0; i < entries->len; i++) {
        Entry *e = &g_array_index(entries, Entry, i);
        const char *n = e->name;
        int kind;
        gboolean left, ok = TRUE;

        if (n && is_block_directive(n, &kind, &left)) {
            if (d->block_kind != kind && !flush_block(d))
                return FALSE;
            if (d->block_kind == BLOCK_NONE)
                d->block_line = e->line;
            d->block_kind = kind;
            split_lines(left ? d->block_left : d->block_right, e->arg);
            continue;
        }
        if (!flush_block(d))
            return FALSE;
        if (!n) {
            ok = add_paragraph(d, e);
        } else if (*n == '\0') {
            /* a blank line: the block is flushed above */
        } else if (!strcmp(n, "court")) {
            ok = add_lines(d, e->arg, PANGO_ALIGN_CENTER, TRUE, e->line);
            push_space(d, d->single);
        } else if (!strcmp(n, "attorney")) {
            ok = add_lines(d, e->arg, PANGO_ALIGN_LEFT, FALSE, e->line);
        } else if (!strcmp(n, "center")) {
            ok = add_lines(d, e->arg, PANGO_ALIGN_CENTER, FALSE, e->line);
        } else if (!strcmp(n, "left")) {
            ok = add_lines(d, e->arg, PANGO_ALIGN_LEFT, FALSE, e->line);
        } else if (!strcmp(n, "heading") || !strcmp(n, "subheading")) {
            Style st;
            style_init(d, &st, d->pitch);
            st.bold = TRUE;
            st.align = n[0] == 'h' ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT;
            if (!d->pleading)
                push_space(d, d->single);
            ok = add_text(d, e->arg, &st, TRUE, e->line);
        } else if (!strcmp(n, "noindent")) {
            d->noindent_next = TRUE;
        } else if (!strcmp(n, "spacing")) {
            if (!strcmp(e->arg, "single"))
                d->pitch = d->single;
            else if (!strcmp(e->arg, "double"))
                d->pitch = 2 * BODY_SIZE;
            else
                return fail(d, e->line, "@spacing is single or double");
        } else if (!strcmp(n, "skip")) {
            char *end;
            long k = strtol(e->arg, &end, 10);
            if (*e->arg == '\0' || *end || k < 1 || k > 40)
                return fail(d, e->line, "@skip wants a count from 1 to 40");
            push_space(d, d->single * (double)k);
        } else if (!strcmp(n, "pagebreak")) {
            d->break_next = TRUE;
        } else if (strcmp(n, "title") && strcmp(n, "author") &&
                   strcmp(n, "date") && strcmp(n, "stamp") &&
                   strcmp(n, "footer") && strcmp(n, "layout") &&
                   strcmp(n, "footnote")) {
            return fail(d, e->line, "unknown directive @%s", n);
        }
        if (!ok)
            return FALSE;
    }
    if (!flush_block(d))
        return FALSE;
    for (guint i = 0; i < d->footnotes->len; i++) {
        Footnote *fn = g_ptr_array_index(d->footnotes, i);
        if (!fn->used)
            return fail(d, fn->src_line, "footnote %s is never referenced",
                        fn->num);
    }
    return TRUE;
}

/* ---- Pagination ----------------------------------------------------- */

static void page_free(gpointer p)
{
    Page *pg = p;
    g_array_free(pg->placed, TRUE);
    g_ptr_array_free(pg->fns, TRUE);
    g_free(pg);
}

static Page *new_page(Doc *d)
{
    Page *pg = g_new0(Page, 1);
    pg->placed = g_array_new(FALSE, FALSE, sizeof(Placed));
    pg->fns = g_ptr_array_new();
    g_ptr_array_add(d->pages, pg);
    return pg;
}

/* Height that the not yet placed footnotes of item k would add. */
static double new_fn_height(const Doc *d, const Item *it, const Page *pg)
{
    double h = 0;

    for (guint f = 0; f < it->fn_count; f++) {
        Footnote *fn = g_array_index(d->fnrefs, Footnote *, it->fn_start + f);
        if (fn->page < 0)
            h += fn->height;
    }
    if (h > 0 && pg->fns->len == 0)
        h += FOOT_SEP;
    return h;
}

static void place(Doc *d, Page *pg, guint k, double y)
{
    Item *it = &g_array_index(d->items, Item, k);
    Placed pl = {k, y};

    g_array_append_val(pg->placed, pl);
    for (guint f = 0; f < it->fn_count; f++) {
        Footnote *fn = g_array_index(d->fnrefs, Footnote *, it->fn_start + f);
        if (fn->page >= 0)
            continue;
        if (pg->fns->len == 0)
            pg->fn_reserve += FOOT_SEP;
        fn->page = (int)d->pages->len - 1;
        pg->fn_reserve += fn->height;
        g_ptr_array_add(pg->fns, fn);
    }
}

/* On pleading paper a double-spaced line starts on a numbered line. */
static double snap(const Doc *d, const Item *it, double y)
{
    double grid = 2 * BODY_SIZE;

    if (!d->pleading || it->is_space || it->height < grid)
        return y;
    return d->top + ceil((y - d->top) / grid - 0.01) * grid;
}

/*
 * Greedy: a chain of items bound by keep_next moves to a new page whole
 * when it does not fit and would fit on an empty page; otherwise lines go
 * one by one.  Room for footnotes is reserved as their markers are placed.
 */
static void paginate(Doc *d)
{
    Page *pg = new_page(d);
    double y = d->top, body = d->bottom - d->top;
    guint n = d->items->len, i = 0;

    while (i < n) {
        guint j = i;
        double h = 0, fh = 0;

        while (j + 1 < n && g_array_index(d->items, Item, j).keep_next &&
               !g_array_index(d->items, Item, j + 1).page_break)
            j++;
        for (guint k = i; k <= j; k++) {
            Item *it = &g_array_index(d->items, Item, k);
            if (it->is_space && h == 0)
                continue;
            h += it->height;
            fh += new_fn_height(d, it, pg);
        }
        if (pg->placed->len > 0 &&
            (g_array_index(d->items, Item, i).page_break ||
             (y + h > d->bottom - pg->fn_reserve - fh && h + fh <= body))) {
            pg = new_page(d);
            y = d->top;
        }
        for (guint k = i; k <= j; k++) {
            Item *it = &g_array_index(d->items, Item, k);
            y = snap(d, it, y);
            if (pg->placed->len > 0 &&
                y + it->height >
                    d->bottom - pg->fn_reserve - new_fn_height(d, it, pg)) {
                pg = new_page(d);
                y = d->top;
            }
            if (it->is_space && pg->placed->len == 0)
                continue;
            place(d, pg, k, y);
            y += it->height;
        }
        i = j + 1;
    }
}

/* ---- Drawing -------------------------------------------------------- */

static void draw_text(Doc *d, cairo_t *cr, const char *text, double size,
                      double cx, double baseline, gboolean right_align)
{
    PangoLayout *lay = pango_layout_new(d->ctx);
    PangoFontDescription *fd = pango_font_description_copy(d->font);
    PangoRectangle r;
    PangoLayoutLine *line;

    pango_font_description_set_size(fd, (gint)(size * PANGO_SCALE));
    pango_layout_set_font_description(lay, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(lay, text, -1);
    line = pango_layout_get_line_readonly(lay, 0);
    pango_layout_line_get_extents(line, NULL, &r);
    cairo_move_to(cr,
                  right_align ? cx - (double)r.width / PANGO_SCALE
                              : cx - (double)r.width / PANGO_SCALE / 2,
                  baseline);
    pango_cairo_show_layout_line(cr, line);
    g_object_unref(lay);
}

static void hline(cairo_t *cr, double x0, double x1, double y, double w)
{
    cairo_set_line_width(cr, w);
    cairo_move_to(cr, x0, y);
    cairo_line_to(cr, x1, y);
    cairo_stroke(cr);
}

static void vline(cairo_t *cr, double x, double y0, double y1, double w)
{
    cairo_set_line_width(cr, w);
    cairo_move_to(cr, x, y0);
    cairo_line_to(cr, x, y1);
    cairo_stroke(cr);
}

static char *stamp_text(const Doc *d, guint page, guint pages)
{
    char *ps = g_strdup_printf("%u", page), *ns = g_strdup_printf("%u", pages);
    GString *s = g_string_new(d->stamp);
    char *out;

    if (!strstr(d->stamp, "{page}") && !strstr(d->stamp, "{pages}"))
        g_string_append(s, "   Page {page} of {pages}");
    g_string_replace(s, "{pages}", ns, 0);
    g_string_replace(s, "{page}", ps, 0);
    out = g_string_free(s, FALSE);
    g_free(ps);
    g_free(ns);
    return out;
}

static void draw_page(Doc *d, cairo_t *cr, guint p)
{
    Page *pg = g_ptr_array_index(d->pages, p);
    double cx = (d->left + d->right) / 2;
    char *num = g_strdup_printf("%u", p + 1);
    double y;

    if (d->stamp) {
        char *s = stamp_text(d, p + 1, d->pages->len);
        draw_text(d, cr, s, STAMP_SIZE, PAGE_W / 2, 0.42 * INCH, FALSE);
        g_free(s);
    }
    if (d->pleading) {
        for (int i = 1; i <= PLEADING_LINES; i++) {
            char *ln = g_strdup_printf("%d", i);
            draw_text(d, cr, ln, BODY_SIZE, 0.8 * INCH,
                      d->top + (i - 1) * 2 * BODY_SIZE + d->body_ascent, TRUE);
            g_free(ln);
        }
        vline(cr, 1.30 * INCH, 0, PAGE_H, 0.6);
        vline(cr, 1.35 * INCH, 0, PAGE_H, 0.6);
        vline(cr, 7.65 * INCH, 0, PAGE_H, 0.6);
    }
    for (guint i = 0; i < pg->placed->len; i++) {
        Placed *pl = &g_array_index(pg->placed, Placed, i);
        Item *it = &g_array_index(d->items, Item, pl->item);
        for (guint k = 0; k < it->n_parts; k++) {
            cairo_move_to(cr, it->parts[k].x, pl->y + it->parts[k].base);
            pango_cairo_show_layout_line(cr, it->parts[k].line);
        }
        if (it->has_rule)
            hline(cr, it->rx0, it->rx1, pl->y + it->ry, 0.6);
    }
    y = d->bottom - pg->fn_reserve;
    if (pg->fns->len > 0) {
        hline(cr, d->left, d->left + 2 * INCH, y + FOOT_SEP / 2, 0.5);
        y += FOOT_SEP;
    }
    for (guint f = 0; f < pg->fns->len; f++) {
        Footnote *fn = g_ptr_array_index(pg->fns, f);
        PangoLayoutIter *iter = pango_layout_get_iter(fn->layout);
        do {
            cairo_move_to(cr, d->left + line_origin_x(iter),
                          y + d->foot_ascent);
            pango_cairo_show_layout_line(
                cr, pango_layout_iter_get_line_readonly(iter));
            y += FOOT_PITCH;
        } while (pango_layout_iter_next_line(iter));
        pango_layout_iter_free(iter);
    }
    if (d->pleading) {
        draw_text(d, cr, num, BODY_SIZE, cx, d->bottom + 16, FALSE);
        hline(cr, d->left, d->right, d->bottom + 22, 0.6);
        if (d->footer)
            draw_text(d, cr, d->footer, FOOTER_SIZE, cx, d->bottom + 32, FALSE);
    } else {
        draw_text(d, cr, num, BODY_SIZE, cx, PAGE_H - 0.55 * INCH, FALSE);
        if (d->footer)
            draw_text(d, cr, d->footer, FOOTER_SIZE, cx, PAGE_H - 0.33 * INCH,
                      FALSE);
    }
    g_free(num);
    cairo_show_page(cr);
}

static gboolean write_pdf(Doc *d, const char *out, char **err)
{
    char *tmp = g_strdup_printf("%s.tmp", out);
    char *date =
        g_strdup_printf("%sT12:00:00Z", d->date ? d->date : DEFAULT_DATE);
    cairo_surface_t *surf = cairo_pdf_surface_create(tmp, PAGE_W, PAGE_H);
    cairo_t *cr = cairo_create(surf);
    cairo_status_t st;
    gboolean ok = TRUE;

    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE,
                                   d->title ? d->title : "");
    if (d->author)
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_AUTHOR,
                                       d->author);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR,
                                   "ordex mksample");
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE, date);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_MOD_DATE, date);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (guint p = 0; p < d->pages->len; p++)
        draw_page(d, cr, p);
    st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surf);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    if (st != CAIRO_STATUS_SUCCESS) {
        *err = g_strdup_printf("%s: %s", tmp, cairo_status_to_string(st));
        g_unlink(tmp);
        ok = FALSE;
    } else if (g_rename(tmp, out) != 0) {
        *err = g_strdup_printf("%s: %s", out, g_strerror(errno));
        g_unlink(tmp);
        ok = FALSE;
    }
    g_free(date);
    g_free(tmp);
    return ok;
}

/* ---- Main ----------------------------------------------------------- */

static void doc_init(Doc *d, const char *path)
{
    cairo_font_options_t *fo = cairo_font_options_create();
    GError *gerr = NULL;

    memset(d, 0, sizeof *d);
    d->path = path;
    d->ctx = pango_font_map_create_context(pango_cairo_font_map_get_default());
    pango_cairo_context_set_resolution(d->ctx, 72.0);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(d->ctx, fo);
    cairo_font_options_destroy(fo);
    d->font = pango_font_description_from_string(FONT_SERIF " 12");
    d->numbered =
        g_regex_new("^(\\d{1,3}\\.|\\((\\d{1,3}|[a-z]{1,4})\\)) ", 0, 0, &gerr);
    if (!d->numbered) /* a constant pattern: a failure is a bug here */
        g_error("mksample: %s", gerr->message);
    d->layouts = g_ptr_array_new_with_free_func(g_object_unref);
    d->items = g_array_new(FALSE, FALSE, sizeof(Item));
    d->fnrefs = g_array_new(FALSE, FALSE, sizeof(Footnote *));
    d->footnotes = g_ptr_array_new_with_free_func(footnote_free);
    d->fn_by_num = g_hash_table_new(g_str_hash, g_str_equal);
    d->pages = g_ptr_array_new_with_free_func(page_free);
    d->block_left = g_ptr_array_new_with_free_func(g_free);
    d->block_right = g_ptr_array_new_with_free_func(g_free);
}

static void doc_clear(Doc *d)
{
    g_ptr_array_free(d->pages, TRUE);
    g_hash_table_destroy(d->fn_by_num);
    g_ptr_array_free(d->footnotes, TRUE);
    g_array_free(d->fnrefs, TRUE);
    g_array_free(d->items, TRUE);
    g_ptr_array_free(d->layouts, TRUE);
    g_ptr_array_free(d->block_left, TRUE);
    g_ptr_array_free(d->block_right, TRUE);
    g_regex_unref(d->numbered);
    pango_font_description_free(d->font);
    g_object_unref(d->ctx);
    g_free(d->title);
    g_free(d->author);
    g_free(d->date);
    g_free(d->stamp);
    g_free(d->footer);
    g_free(d->error);
}

/* ---- Rasterised copies ------------------------------------------------ */

/* The ECF stamp at the top of the page: Poppler gives its pieces
 * ("Case ...", "Document 812", "Filed ...") as lines of their own, so
 * every piece on the row of the first character is taken.  Appends each
 * piece (g_free) to pieces with its left and baseline in xs, and returns
 * the row's box; false when the page does not start with "Case ". */
static gboolean stamp_row(PopplerPage *pp, GPtrArray *pieces, GArray *xs,
                          PopplerRectangle *box)
{
    char *text = poppler_page_get_text(pp);
    PopplerRectangle *rects = NULL;
    guint n_rects = 0, i = 0;
    GString *cur = g_string_new(NULL);
    double cx = 0, cy = 0, top, bottom;
    gboolean ok = FALSE;
    const char *p;

    if (!text || !g_str_has_prefix(text, "Case ")
        || !poppler_page_get_text_layout(pp, &rects, &n_rects) || n_rects == 0)
        goto done;
    top = rects[0].y1;
    bottom = rects[0].y2;
    *box = rects[0];
    for (p = text; *p && i < n_rects; p = g_utf8_next_char(p), i++) {
        gunichar c = g_utf8_get_char(p);
        double mid = (rects[i].y1 + rects[i].y2) / 2;
        gboolean in = c != '\n' && mid > top && mid < bottom;
        if (in) {
            if (cur->len == 0) {
                cx = rects[i].x1;
                cy = rects[i].y2;
            }
            g_string_append_unichar(cur, c);
            box->x1 = MIN(box->x1, rects[i].x1);
            box->y1 = MIN(box->y1, rects[i].y1);
            box->x2 = MAX(box->x2, rects[i].x2);
            box->y2 = MAX(box->y2, rects[i].y2);
        }
        if (!in && cur->len) {
            double xy[2] = {cx, cy};
            g_ptr_array_add(pieces, g_strdup(g_strstrip(cur->str)));
            g_array_append_vals(xs, xy, 2);
            g_string_truncate(cur, 0);
        }
    }
    ok = pieces->len > 0;
done:
    g_string_free(cur, TRUE);
    g_free(rects);
    g_free(text);
    return ok;
}

/* Page p of doc as a black-and-white image at dpi, the box (points)
 * blanked when given. */
static cairo_surface_t *render_bw(PopplerPage *pp, double w, double h,
                                  double dpi, const PopplerRectangle *blank)
{
    int pw = (int)ceil(w * dpi / 72.0), ph = (int)ceil(h * dpi / 72.0);
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
    cairo_t *cr = cairo_create(img);
    unsigned char *data;
    int stride;

    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, dpi / 72.0, dpi / 72.0);
    poppler_page_render(pp, cr);
    if (blank) {
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_rectangle(cr, blank->x1 - 2, blank->y1 - 2,
                        blank->x2 - blank->x1 + 4, blank->y2 - blank->y1 + 4);
        cairo_fill(cr);
    }
    cairo_destroy(cr);
    cairo_surface_flush(img);
    data = cairo_image_surface_get_data(img);
    stride = cairo_image_surface_get_stride(img);
    for (int y = 0; y < ph; y++) {
        guint32 *row = (guint32 *)(void *)(data + (size_t)y * (size_t)stride);
        for (int x = 0; x < pw; x++) {
            guint32 px = row[x];
            unsigned g = (((px >> 16) & 0xFF) * 77 + ((px >> 8) & 0xFF) * 150
                          + (px & 0xFF) * 29) >> 8;
            row[x] = g < 160 ? 0x000000u : 0xFFFFFFu;
        }
    }
    cairo_surface_mark_dirty(img);
    return img;
}

static int rasterise(const char *dpi_arg, const char *in, const char *out)
{
    GError *gerr = NULL;
    char *uri, *tmp, *date;
    PopplerDocument *doc;
    cairo_surface_t *surf = NULL;
    cairo_t *cr = NULL;
    double dpi = g_ascii_strtod(dpi_arg, NULL);
    int n, rc = 0;
    GDateTime *dt;

    if (!(dpi >= 50 && dpi <= 600)) {
        fprintf(stderr, "mksample: --rasterise: DPI must be 50 to 600\n");
        return 2;
    }
    {
        char *abs = g_canonicalize_filename(in, NULL);
        uri = g_filename_to_uri(abs, NULL, &gerr);
        g_free(abs);
    }
    doc = uri ? poppler_document_new_from_file(uri, NULL, &gerr) : NULL;
    g_free(uri);
    if (!doc) {
        fprintf(stderr, "mksample: %s: %s\n", in, gerr->message);
        g_error_free(gerr);
        return 1;
    }
    tmp = g_strdup_printf("%s.tmp", out);
    /* the copy carries the original's date, never the clock's */
    dt = poppler_document_get_creation_date_time(doc);
    date = dt ? g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ")
              : g_strdup(DEFAULT_DATE "T12:00:00Z");
    if (dt)
        g_date_time_unref(dt);
    n = poppler_document_get_n_pages(doc);
    for (int i = 0; i < n; i++) {
        PopplerPage *pp = poppler_document_get_page(doc, i);
        PopplerRectangle box;
        double w, h;
        GPtrArray *pieces = g_ptr_array_new_with_free_func(g_free);
        GArray *xs = g_array_new(FALSE, FALSE, sizeof(double));
        gboolean stamp;
        cairo_surface_t *img;

        poppler_page_get_size(pp, &w, &h);
        if (!surf) {
            surf = cairo_pdf_surface_create(tmp, w, h);
            cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR,
                                           "ordex mksample --rasterise");
            cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE,
                                           date);
            cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_MOD_DATE,
                                           date);
            cr = cairo_create(surf);
        } else {
            cairo_pdf_surface_set_size(surf, w, h);
        }
        stamp = stamp_row(pp, pieces, xs, &box);
        img = render_bw(pp, w, h, dpi, stamp ? &box : NULL);
        cairo_save(cr);
        cairo_scale(cr, 72.0 / dpi, 72.0 / dpi);
        cairo_set_source_surface(cr, img, 0, 0);
        cairo_paint(cr);
        cairo_restore(cr);
        cairo_surface_destroy(img);
        cairo_select_font_face(cr, FONT_SERIF, CAIRO_FONT_SLANT_NORMAL,
                               CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(cr, STAMP_SIZE);
        cairo_set_source_rgb(cr, 0, 0, 0);
        for (guint k = 0; k < pieces->len; k++) {
            double x = g_array_index(xs, double, 2 * k);
            double y = g_array_index(xs, double, 2 * k + 1);
            cairo_move_to(cr, x, y - 0.22 * STAMP_SIZE);
            cairo_show_text(cr, g_ptr_array_index(pieces, k));
        }
        g_ptr_array_free(pieces, TRUE);
        g_array_free(xs, TRUE);
        cairo_show_page(cr);
        g_object_unref(pp);
    }
    if (cr) {
        cairo_status_t st = cairo_status(cr);
        cairo_destroy(cr);
        cairo_surface_finish(surf);
        if (st == CAIRO_STATUS_SUCCESS)
            st = cairo_surface_status(surf);
        cairo_surface_destroy(surf);
        if (st != CAIRO_STATUS_SUCCESS) {
            fprintf(stderr, "mksample: %s: %s\n", tmp, cairo_status_to_string(st));
            rc = 1;
        } else if (g_rename(tmp, out) != 0) {
            fprintf(stderr, "mksample: %s: %s\n", out, g_strerror(errno));
            rc = 1;
        }
        if (rc)
            g_unlink(tmp);
    }
    g_object_unref(doc);
    g_free(date);
    g_free(tmp);
    return rc;
}

int main(int argc, char **argv)
{
    Doc d;
    char *src = NULL, *err = NULL;
    gsize len;
    GError *gerr = NULL;
    GArray *entries;
    int rc = 0;

    if (argc == 5 && strcmp(argv[1], "--rasterise") == 0)
        return rasterise(argv[2], argv[3], argv[4]);
    if (argc != 3) {
        fprintf(stderr, "usage: mksample IN.txt OUT.pdf\n"
                        "       mksample --rasterise DPI IN.pdf OUT.pdf\n");
        return 2;
    }
    if (!g_file_get_contents(argv[1], &src, &len, &gerr)) {
        fprintf(stderr, "mksample: %s\n", gerr->message);
        g_error_free(gerr);
        return 1;
    }
    if (!g_utf8_validate(src, (gssize)len, NULL)) {
        fprintf(stderr, "mksample: %s: not UTF-8\n", argv[1]);
        g_free(src);
        return 1;
    }
    doc_init(&d, argv[1]);
    entries = read_entries(src);
    if (read_settings(&d, entries)) {
        setup_geometry(&d);
        if (layout_footnotes(&d) && read_flow(&d, entries)) {
            paginate(&d);
            if (!write_pdf(&d, argv[2], &err)) {
                fprintf(stderr, "mksample: %s\n", err);
                g_free(err);
                rc = 1;
            }
        }
    }
    if (d.error) {
        fprintf(stderr, "mksample: %s:%s\n", d.path, d.error);
        rc = 1;
    }
    g_array_free(entries, TRUE);
    g_free(src);
    doc_clear(&d);
    return rc;
}

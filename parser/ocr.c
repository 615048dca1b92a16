/*
 * ocr.c - stage 1b of the pipeline: pages read by OCR.
 *
 * The only file of ordex that sees Tesseract (through its C API).  When
 * stage 2 distrusts a page's text layer (no text, only the ECF stamp,
 * undecodable fonts, an image with little text), ordex.c asks this file
 * for the page again: pdf.c renders it to grey at 300 dpi, Tesseract
 * reads it, and the words come back as an od_pdf_page like the one stage 1
 * makes, a glyph per character with its box in PDF points from the
 * top-left corner, so that stage 2 needs no separate path and records
 * keep their positions.  Words of low confidence that are not in
 * Tesseract's dictionary are dropped as noise.  The glyphs of the text layer's ECF stamp (and,
 * for a layer that is right but incomplete, all its glyphs) are kept, and
 * OCR words over them dropped, so that source.ecf still comes from the
 * stamp's real text.
 *
 * One Tesseract handle per document, made on the first page that needs
 * it: loading the English model costs about 0.2 s, and a handle must not
 * be shared by threads.  Tesseract's messages go to /dev/null; a missing
 * language file is reported once through *unavailable.
 */
#include <math.h>
#include <string.h>

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

#include "ordex_p.h"
#include "text_p.h"

/* Rendering resolution, and the cap on the bitmap of a huge page. */
#define OCR_DPI 300.0
#define OCR_MAX_PIXELS 40e6
/* A rendering with fewer dark pixels than this share is blank. */
#define OCR_BLANK_SHARE 0.0002
/* Words below this confidence are dropped unless they are dictionary
 * words, and below OCR_MIN_CONF always: on real scans they are specks,
 * skewed pleading-paper line numbers and stamp ghosts ("YY NHN WY"). */
#define OCR_WEAK_CONF 30.0f
#define OCR_MIN_CONF 10.0f

struct od_ocr {
    TessBaseAPI *api;
    bool tried;       /* the handle was made (or failed) */
    char *failure;    /* why Tesseract is unavailable, NULL when it works */
};

od_ocr *od_ocr_new(void)
{
    return g_new0(od_ocr, 1);
}

void od_ocr_free(od_ocr *ocr)
{
    if (!ocr)
        return;
    if (ocr->api) {
        TessBaseAPIEnd(ocr->api);
        TessBaseAPIDelete(ocr->api);
    }
    g_free(ocr->failure);
    g_free(ocr);
}

/* Leptonica's messages ("Error in pixRead...") would go to stderr and
 * break the one-line error contract: its warnings and errors go to the
 * thread's catcher (libmsg.c) and become document warnings. */
static void catch_leptonica(const char *msg)
{
    od_libmsgs_add("Leptonica", msg);
}

static gpointer quiet_leptonica(gpointer unused)
{
    (void)unused;
    leptSetStderrHandler(catch_leptonica);
    setMsgSeverity(L_SEVERITY_WARNING);
    return NULL;
}

void od_ocr_init(void)
{
    static GOnce once = G_ONCE_INIT;

    g_once(&once, quiet_leptonica, NULL);
}

/* Makes the handle on first use; false when Tesseract cannot run. */
static bool ocr_ready(od_ocr *ocr)
{
    if (ocr->tried)
        return ocr->api != NULL;
    ocr->tried = true;
    od_ocr_init();
    ocr->api = TessBaseAPICreate();
    if (!ocr->api) {
        ocr->failure = g_strdup("Tesseract cannot be started");
        return false;
    }
    /* Tesseract's own messages would break the one-line error contract. */
    TessBaseAPISetVariable(ocr->api, "debug_file", "/dev/null");
    /* NULL datapath: $TESSDATA_PREFIX, else Tesseract's built-in path. */
    if (TessBaseAPIInit3(ocr->api, NULL, "eng") != 0) {
        const char *prefix = g_getenv("TESSDATA_PREFIX");
        ocr->failure = g_strdup_printf(
            "Tesseract's English language data (eng.traineddata) cannot be "
            "loaded from %s", prefix && *prefix ? prefix : "its default folder");
        TessBaseAPIDelete(ocr->api);
        ocr->api = NULL;
        return false;
    }
    TessBaseAPISetPageSegMode(ocr->api, PSM_AUTO);
    return true;
}

od_box od_ocr_px_to_box(int left, int top, int right, int bottom,
                        double scale)
{
    od_box b = {0, 0, 0, 0};

    if (!(scale > 0))
        return b;
    b.x0 = (float)(MIN(left, right) / scale);
    b.x1 = (float)(MAX(left, right) / scale);
    b.y0 = (float)(MIN(top, bottom) / scale);
    b.y1 = (float)(MAX(top, bottom) / scale);
    return b;
}

/* One line of the result: its glyphs, the middle of its box, and the
 * Tesseract block it belongs to. */
typedef struct ocr_line {
    GArray *glyphs; /* od_glyph, without the final '\n' */
    float cy;
    int block;
} ocr_line;

static void line_clear(gpointer data)
{
    ocr_line *l = data;
    g_array_free(l->glyphs, TRUE);
}

static bool overlaps(const od_box *a, const od_box *b)
{
    float w = MIN(a->x1, b->x1) - MAX(a->x0, b->x0);
    float h = MIN(a->y1, b->y1) - MAX(a->y0, b->y0);
    float area_a = (a->x1 - a->x0) * (a->y1 - a->y0);
    float area_b = (b->x1 - b->x0) * (b->y1 - b->y0);

    if (w <= 0 || h <= 0)
        return false;
    return w * h >= 0.3f * MAX(MIN(area_a, area_b), 0.01f);
}

/* Is the word box over one of the kept glyphs? */
static bool over_kept(const od_pdf_page *layer, const uint8_t *keep,
                      const od_box *word)
{
    for (size_t i = 0; layer && i < layer->n_glyphs; i++)
        if (keep[i] && layer->glyphs[i].ch != ' ' && layer->glyphs[i].ch != '\n'
            && overlaps(&layer->glyphs[i].box, word))
            return true;
    return false;
}

/* The kept glyphs of the text layer as lines (cut at its '\n' glyphs and
 * wherever a glyph was not kept). */
static void kept_lines(const od_pdf_page *layer, const uint8_t *keep,
                       GArray *lines)
{
    ocr_line cur = {NULL, 0, -1};
    float y0 = 0, y1 = 0;

    for (size_t i = 0; layer && i <= layer->n_glyphs; i++) {
        bool in = i < layer->n_glyphs && keep[i] && layer->glyphs[i].ch != '\n';
        if (in) {
            const od_glyph *g = &layer->glyphs[i];
            if (!cur.glyphs) {
                cur.glyphs = g_array_new(FALSE, FALSE, sizeof(od_glyph));
                y0 = g->box.y0;
                y1 = g->box.y1;
            }
            g_array_append_val(cur.glyphs, *g);
            y0 = MIN(y0, g->box.y0);
            y1 = MAX(y1, g->box.y1);
        } else if (cur.glyphs) {
            cur.cy = (y0 + y1) / 2;
            g_array_append_val(lines, cur);
            cur.glyphs = NULL;
        }
    }
}

/* Font sizes: each line gets its height in points, but a line within 30%
 * of the page's median height gets the median, so that capitals-only and
 * descender-free lines do not look like another font. */
static void set_sizes(GArray *lines, size_t first)
{
    GArray *h = g_array_new(FALSE, FALSE, sizeof(float));
    float med;

    for (guint i = (guint)first; i < lines->len; i++) {
        const ocr_line *l = &g_array_index(lines, ocr_line, i);
        if (l->glyphs->len) {
            const od_glyph *g = &g_array_index(l->glyphs, od_glyph, 0);
            float v = g->box.y1 - g->box.y0;
            g_array_append_val(h, v);
        }
    }
    if (h->len == 0) {
        g_array_free(h, TRUE);
        return;
    }
    qsort(h->data, h->len, sizeof(float), od_cmp_float);
    med = g_array_index(h, float, h->len / 2);
    for (guint i = (guint)first; i < lines->len; i++) {
        ocr_line *l = &g_array_index(lines, ocr_line, i);
        for (guint k = 0; k < l->glyphs->len; k++) {
            od_glyph *g = &g_array_index(l->glyphs, od_glyph, k);
            float v = g->box.y1 - g->box.y0;
            g->size = fabsf(v - med) <= 0.3f * med ? med : v;
        }
    }
    g_array_free(h, TRUE);
}

/* Appends the word's characters to line, each with a share of the word's
 * width and the line's height. */
static void add_word(ocr_line *line, const char *text, const od_box *word,
                     const od_box *lbox)
{
    glong n = g_utf8_strlen(text, -1);
    float w;
    glong i = 0;

    if (n <= 0)
        return;
    if (line->glyphs->len) {
        od_glyph sp;
        const od_glyph *prev = &g_array_index(line->glyphs, od_glyph,
                                              line->glyphs->len - 1);
        memset(&sp, 0, sizeof sp);
        sp.ch = ' ';
        sp.box.x0 = prev->box.x1;
        sp.box.x1 = MAX(word->x0, prev->box.x1);
        sp.box.y0 = lbox->y0;
        sp.box.y1 = lbox->y1;
        g_array_append_val(line->glyphs, sp);
    }
    w = (word->x1 - word->x0) / (float)n;
    for (const char *p = text; *p; p = g_utf8_next_char(p), i++) {
        od_glyph g;
        memset(&g, 0, sizeof g);
        g.ch = g_utf8_get_char(p);
        g.box.x0 = word->x0 + w * (float)i;
        g.box.x1 = word->x0 + w * (float)(i + 1);
        g.box.y0 = lbox->y0;
        g.box.y1 = lbox->y1;
        g_array_append_val(line->glyphs, g);
    }
}

/* ---- A look at the page before Tesseract ----
 *
 * Tesseract takes about a second a page, and on pages with nothing to
 * read (a blank page, a page-size redaction box, a photograph) it reads
 * nothing or noise.  So the rendering is first thresholded (at half its
 * resolution: any dark pixel of a 2x2 cell makes the cell dark) and cut
 * into connected components with Leptonica, and each component is sorted
 * by its size in points and how much of its box it fills: a letter (or a
 * few letters run together) is 3-40 pt high, at most 8 times as wide as
 * high, and fills 8-85% of its box; a solid area (a redaction bar) is at
 * least 10 pt across and fills 85% or more.  A page is read only when it
 * has at least OCR_MIN_LETTERS letter shapes, and, when the ink outside
 * solid areas covers OCR_PICTURE_INK of the page or more, the letter
 * shapes hold at least OCR_MIN_LETTER_INK of it (a photograph, or
 * redaction bars run together, thresholds into large blobs and specks,
 * little of it letter-shaped; a few lines of text beside a signature or
 * a box are read).
 * Components over text the page's layer already has (the ECF stamp, a
 * banner, pleading line numbers: OCR words over them would be dropped)
 * count for neither. */
#define OCR_MIN_LETTERS 12
#define OCR_MIN_LETTER_INK 0.15
#define OCR_PICTURE_INK 0.05

od_ocr_skip od_ocr_look_decide(const od_ocr_look *l)
{
    double other;

    if (l->ink < OCR_BLANK_SHARE)
        return OD_OCR_SKIP_BLANK;
    other = l->ink * (1.0 - l->solid_share - l->known_share);
    if (l->letters >= OCR_MIN_LETTERS
        && (l->letter_ink >= OCR_MIN_LETTER_INK * other
            || other < OCR_PICTURE_INK))
        return OD_OCR_READ;
    if (l->solid_share >= 0.5)
        return OD_OCR_SKIP_DARK;
    if (other >= OCR_PICTURE_INK)
        return OD_OCR_SKIP_PICTURE;
    return OD_OCR_SKIP_NO_LETTERS;
}

static const char *const SKIP_CODES[OD_OCR_SKIP_N] = {
    [OD_OCR_READ] = NULL,
    [OD_OCR_SKIP_BLANK] = "blank_page",
    [OD_OCR_SKIP_DARK] = "dark_areas",
    [OD_OCR_SKIP_PICTURE] = "picture",
    [OD_OCR_SKIP_NO_LETTERS] = "no_letter_shapes",
};

const char *od_ocr_skip_code(od_ocr_skip s)
{
    return (int)s >= 0 && s < OD_OCR_SKIP_N ? SKIP_CODES[s] : NULL;
}

const char *od_ocr_skip_reason(od_ocr_skip s)
{
    static const char *const why[OD_OCR_SKIP_N] = {
        [OD_OCR_READ] = "",
        [OD_OCR_SKIP_BLANK] = "it is blank",
        [OD_OCR_SKIP_DARK] = "its ink is mostly solid dark areas (redactions)",
        [OD_OCR_SKIP_PICTURE] = "it is a picture (little of its ink is letter-shaped)",
        [OD_OCR_SKIP_NO_LETTERS] = "it has too few letter shapes",
    };
    return (int)s >= 0 && s < OD_OCR_SKIP_N ? why[s] : "";
}

/* Marks in mask (hw x hh look pixels, pt a point) the known boxes, a
 * point wider on each side. */
static void mark_known(uint8_t *mask, int hw, int hh, double pt,
                       const od_box *known, size_t n_known)
{
    for (size_t k = 0; k < n_known; k++) {
        int x0 = (int)floor((known[k].x0 - 1) * pt);
        int y0 = (int)floor((known[k].y0 - 1) * pt);
        int x1 = (int)ceil((known[k].x1 + 1) * pt);
        int y1 = (int)ceil((known[k].y1 + 1) * pt);
        x0 = MAX(x0, 0);
        y0 = MAX(y0, 0);
        x1 = MIN(x1, hw);
        y1 = MIN(y1, hh);
        for (int y = y0; y < y1; y++)
            if (x1 > x0)
                memset(mask + (size_t)y * (size_t)hw + x0, 1, (size_t)(x1 - x0));
    }
}

bool od_ocr_look_at(const guint8 *px, int w, int h, double scale,
                    const od_box *known, size_t n_known, od_ocr_look *look)
{
    int hw = (w + 1) / 2, hh = (h + 1) / 2;
    double pt = scale / 2; /* look pixels a point */
    double all = (double)hw * (double)hh, dark = 0, solid = 0, seen = 0;
    uint8_t *mask = NULL;
    PIX *bin;
    BOXA *boxes;
    PIXA *comps = NULL;
    NUMA *counts;
    l_uint32 *data;
    l_int32 wpl;

    memset(look, 0, sizeof *look);
    if (w <= 0 || h <= 0 || !(scale > 0))
        return false;
    bin = pixCreate(hw, hh, 1);
    if (!bin)
        return false;
    data = pixGetData(bin);
    wpl = pixGetWpl(bin);
    for (int y = 0; y < h; y++) {
        const guint8 *row = px + (size_t)y * (size_t)w;
        l_uint32 *line = data + (size_t)(y / 2) * (size_t)wpl;
        for (int x = 0; x < w; x++)
            if (row[x] < 128)
                SET_DATA_BIT(line, x / 2);
    }
    boxes = pixConnCompPixa(bin, &comps, 8);
    counts = comps ? pixaCountPixels(comps) : NULL;
    if (!boxes || !counts) {
        boxaDestroy(&boxes);
        pixaDestroy(&comps);
        numaDestroy(&counts);
        pixDestroy(&bin);
        return false;
    }
    if (n_known) {
        mask = g_malloc0((size_t)hw * (size_t)hh);
        mark_known(mask, hw, hh, pt, known, n_known);
    }
    for (l_int32 i = 0; i < boxaGetCount(boxes); i++) {
        l_int32 bx, by, bw, bh, n = 0;
        double wpt, hpt, fill;

        boxaGetBoxGeometry(boxes, i, &bx, &by, &bw, &bh);
        numaGetIValue(counts, i, &n);
        dark += n;
        if (mask && mask[(size_t)(by + bh / 2) * (size_t)hw + (size_t)(bx + bw / 2)]) {
            seen += n; /* text the layer already has */
            continue;
        }
        wpt = bw / pt;
        hpt = bh / pt;
        fill = n / ((double)bw * (double)bh);
        if (fill >= 0.85 && wpt >= 10 && hpt >= 10) {
            solid += n;
        } else if (hpt >= 3 && hpt <= 40 && wpt <= 8 * hpt && fill >= 0.08
                   && fill <= 0.85) {
            look->letters++;
            look->letter_ink += n;
        }
    }
    look->components = boxaGetCount(boxes);
    look->ink = dark / all;
    look->solid_share = dark > 0 ? solid / dark : 0;
    look->known_share = dark > 0 ? seen / dark : 0;
    look->letter_ink /= all;
    g_free(mask);
    boxaDestroy(&boxes);
    pixaDestroy(&comps);
    numaDestroy(&counts);
    pixDestroy(&bin);
    return true;
}

/* Runs Tesseract over the bitmap; appends its lines (words not over kept
 * glyphs) and returns the characters read, with *conf_sum the sum of
 * word confidence times characters. */
static size_t recognise(od_ocr *ocr, const guint8 *px, int w, int h,
                        double scale, const od_pdf_page *layer,
                        const uint8_t *keep, GArray *lines, double *conf_sum)
{
    TessResultIterator *ri;
    TessPageIterator *pi;
    ocr_line *cur = NULL;
    od_box lbox = {0, 0, 0, 0};
    size_t chars = 0;
    int block = -1;

    TessBaseAPISetImage(ocr->api, px, w, h, 1, w);
    TessBaseAPISetSourceResolution(ocr->api, (int)lround(scale * 72.0));
    if (TessBaseAPIRecognize(ocr->api, NULL) != 0) {
        TessBaseAPIClear(ocr->api);
        return 0;
    }
    ri = TessBaseAPIGetIterator(ocr->api);
    if (!ri) {
        TessBaseAPIClear(ocr->api);
        return 0;
    }
    pi = TessResultIteratorGetPageIterator(ri);
    do {
        int l, t, r, b;
        char *text;
        od_box word;
        float conf;

        if (TessPageIteratorIsAtBeginningOf(pi, RIL_BLOCK) || block < 0)
            block++;
        if (TessPageIteratorIsAtBeginningOf(pi, RIL_TEXTLINE) || !cur) {
            ocr_line fresh;
            if (!TessPageIteratorBoundingBox(pi, RIL_TEXTLINE, &l, &t, &r, &b))
                continue;
            lbox = od_ocr_px_to_box(l, t, r, b, scale);
            fresh.glyphs = g_array_new(FALSE, FALSE, sizeof(od_glyph));
            fresh.cy = (lbox.y0 + lbox.y1) / 2;
            fresh.block = block;
            g_array_append_val(lines, fresh);
            cur = &g_array_index(lines, ocr_line, lines->len - 1);
        }
        if (!TessPageIteratorBoundingBox(pi, RIL_WORD, &l, &t, &r, &b))
            continue;
        text = TessResultIteratorGetUTF8Text(ri, RIL_WORD);
        if (!text)
            continue;
        word = od_ocr_px_to_box(l, t, r, b, scale);
        conf = TessResultIteratorConfidence(ri, RIL_WORD);
        g_strstrip(text);
        if (*text && g_utf8_validate(text, -1, NULL) && conf >= OCR_MIN_CONF
            && (conf >= OCR_WEAK_CONF
                || TessResultIteratorWordIsFromDictionary(ri))
            && !over_kept(layer, keep, &word)) {
            glong n = g_utf8_strlen(text, -1);
            add_word(cur, text, &word, &lbox);
            chars += (size_t)n;
            *conf_sum += (double)conf * (double)n;
        }
        TessDeleteText(text);
    } while (TessResultIteratorNext(ri, RIL_WORD));
    TessResultIteratorDelete(ri);
    TessBaseAPIClear(ocr->api);
    return chars;
}

/* Tesseract's blocks in reading order.  On a skewed scan Tesseract may
 * put the indented first lines of paragraphs in blocks of their own,
 * apart from the lines they interleave with; stage 2 keeps the order of
 * lines that run down a column, so such blocks are merged first: two
 * blocks whose spans overlap both across (one column) and down (their
 * lines interleave) become one, its lines sorted top to bottom.  Then the
 * groups go by their top, the left one first when two start within half
 * a line of each other (a caption's two columns stay apart). */
typedef struct ocr_block {
    int id, group;
    float x0, y0, x1, y1;
} ocr_block;

static int group_of(GArray *blocks, int i)
{
    while (g_array_index(blocks, ocr_block, i).group != i)
        i = g_array_index(blocks, ocr_block, i).group;
    return i;
}

static bool same_column(const ocr_block *a, const ocr_block *b)
{
    float across = MIN(a->x1, b->x1) - MAX(a->x0, b->x0);
    float narrow = MIN(a->x1 - a->x0, b->x1 - b->x0);

    return across > 0.5f * narrow && a->y0 < b->y1 && b->y0 < a->y1;
}

/* Is group a before group b: above it, or beside it on the left? */
static bool group_first(const ocr_block *a, const ocr_block *b, float tol)
{
    if (a->y0 < b->y0 - tol)
        return true;
    if (b->y0 < a->y0 - tol)
        return false;
    return a->x0 <= b->x0;
}

static void order_blocks(GArray *lines)
{
    GArray *blocks = g_array_new(FALSE, FALSE, sizeof(ocr_block));
    GArray *groups = g_array_new(FALSE, FALSE, sizeof(ocr_block));
    GArray *order = g_array_new(FALSE, FALSE, sizeof(guint));
    GArray *heights = g_array_new(FALSE, FALSE, sizeof(float));
    GArray *sorted;
    int *line_block = g_new(int, lines->len ? lines->len : 1);
    float tol;

    for (guint i = 0; i < lines->len; i++) {
        const ocr_line *l = &g_array_index(lines, ocr_line, i);
        ocr_block *b = blocks->len ? &g_array_index(blocks, ocr_block, blocks->len - 1)
                                   : NULL;
        float x0 = G_MAXFLOAT, x1 = -G_MAXFLOAT, y0 = 0, y1 = 0;

        line_block[i] = -1;
        if (l->glyphs->len == 0)
            continue;
        for (guint k = 0; k < l->glyphs->len; k++) {
            const od_glyph *g = &g_array_index(l->glyphs, od_glyph, k);
            x0 = MIN(x0, g->box.x0);
            x1 = MAX(x1, g->box.x1);
            y0 = g->box.y0;
            y1 = g->box.y1;
        }
        {
            float h = y1 - y0;
            g_array_append_val(heights, h);
        }
        if (!b || b->id != l->block) {
            ocr_block nb = {l->block, (int)blocks->len, x0, y0, x1, y1};
            g_array_append_val(blocks, nb);
        } else {
            b->x0 = MIN(b->x0, x0);
            b->y0 = MIN(b->y0, y0);
            b->x1 = MAX(b->x1, x1);
            b->y1 = MAX(b->y1, y1);
        }
        line_block[i] = (int)blocks->len - 1;
    }
    for (guint i = 0; i < blocks->len; i++)
        for (guint j = i + 1; j < blocks->len; j++)
            if (same_column(&g_array_index(blocks, ocr_block, i),
                            &g_array_index(blocks, ocr_block, j))) {
                int gi = group_of(blocks, (int)i), gj = group_of(blocks, (int)j);
                if (gi != gj)
                    g_array_index(blocks, ocr_block, MAX(gi, gj)).group = MIN(gi, gj);
            }
    /* a group's box: the union of its blocks' */
    for (guint i = 0; i < blocks->len; i++) {
        ocr_block *b = &g_array_index(blocks, ocr_block, i);
        ocr_block *g = &g_array_index(blocks, ocr_block, group_of(blocks, (int)i));
        g->x0 = MIN(g->x0, b->x0);
        g->y0 = MIN(g->y0, b->y0);
        g->x1 = MAX(g->x1, b->x1);
        g->y1 = MAX(g->y1, b->y1);
    }
    /* the groups, in Tesseract's order, then sorted (insertion sort:
     * stable, and safe with the tolerance) */
    for (guint i = 0; i < blocks->len; i++)
        if (group_of(blocks, (int)i) == (int)i) {
            ocr_block g = g_array_index(blocks, ocr_block, i);
            g_array_append_val(groups, g);
        }
    g_array_sort(heights, od_cmp_float);
    tol = heights->len ? 0.5f * g_array_index(heights, float, heights->len / 2) : 0;
    for (guint i = 1; i < groups->len; i++) {
        ocr_block cur = g_array_index(groups, ocr_block, i);
        ocr_block *gs = (ocr_block *)(void *)groups->data;
        guint j = i;
        while (j > 0 && !group_first(&gs[j - 1], &cur, tol))
            j--;
        if (j < i) {
            memmove(&gs[j + 1], &gs[j], (i - j) * sizeof(ocr_block));
            gs[j] = cur;
        }
    }
    /* each group's lines top to bottom (insertion sort by middle) */
    for (guint k = 0; k < groups->len; k++) {
        int gid = g_array_index(groups, ocr_block, k).group;
        guint first = order->len;
        for (guint i = 0; i < lines->len; i++) {
            if (line_block[i] < 0 || group_of(blocks, line_block[i]) != gid)
                continue;
            guint j = order->len;
            g_array_append_val(order, i);
            while (j > first
                   && g_array_index(lines, ocr_line, g_array_index(order, guint, j - 1)).cy
                          > g_array_index(lines, ocr_line, i).cy) {
                g_array_index(order, guint, j) = g_array_index(order, guint, j - 1);
                j--;
            }
            g_array_index(order, guint, j) = i;
        }
    }

    sorted = g_array_sized_new(FALSE, FALSE, sizeof(ocr_line), lines->len);
    for (guint k = 0; k < order->len; k++) {
        ocr_line *l = &g_array_index(lines, ocr_line, g_array_index(order, guint, k));
        g_array_append_val(sorted, *l);
        l->glyphs = NULL; /* moved */
    }
    for (guint i = 0; i < lines->len; i++) {
        ocr_line *l = &g_array_index(lines, ocr_line, i);
        if (l->glyphs) /* empty lines */
            g_array_free(l->glyphs, TRUE);
    }
    g_array_set_clear_func(lines, NULL);
    g_array_set_size(lines, 0);
    g_array_append_vals(lines, sorted->data, sorted->len);
    g_array_set_clear_func(lines, line_clear);
    g_array_free(sorted, TRUE);
    g_array_free(order, TRUE);
    g_array_free(groups, TRUE);
    g_array_free(heights, TRUE);
    g_array_free(blocks, TRUE);
    g_free(line_block);
}

od_pdf_page *od_ocr_page(od_ocr *ocr, od_pdf *pdf, int index,
                         const od_pdf_page *pdf_layer, bool keep_text,
                         double *confidence, od_ocr_skip *skipped,
                         bool *unavailable, char **msg)
{
    int w = 0, h = 0;
    double scale = 0, conf_sum = 0;
    guint8 *px;
    uint8_t *keep = NULL;
    od_box *known = NULL;
    GArray *lines, *out;
    size_t chars = 0, kept = 0;
    od_ocr_look look;
    od_pdf_page *page;

    *confidence = -1;
    *skipped = OD_OCR_READ;
    *unavailable = false;
    if (ocr->tried && !ocr->api) { /* known to be unavailable */
        *unavailable = true;
        od_set_msg(msg, "%s", ocr->failure);
        return NULL;
    }
    px = od_pdf_page_render_gray(pdf, index, OCR_DPI, OCR_MAX_PIXELS, &w, &h,
                                 &scale, msg);
    if (!px)
        return NULL;
    /* a page with nothing to read needs no Tesseract (nor its 0.2 s of
     * loading); when Leptonica fails the page is read */
    if (pdf_layer && pdf_layer->n_glyphs) {
        keep = g_new0(uint8_t, pdf_layer->n_glyphs);
        if (keep_text)
            memset(keep, 1, pdf_layer->n_glyphs);
        else
            od_text_stamp_glyphs(pdf_layer, keep);
        known = g_new(od_box, pdf_layer->n_glyphs);
        for (size_t i = 0; i < pdf_layer->n_glyphs; i++)
            if (keep[i] && pdf_layer->glyphs[i].ch != ' '
                && pdf_layer->glyphs[i].ch != '\n')
                known[kept++] = pdf_layer->glyphs[i].box;
    }
    if (od_ocr_look_at(px, w, h, scale, known, kept, &look))
        *skipped = od_ocr_look_decide(&look);
    g_free(known);
    if (*skipped == OD_OCR_READ && !ocr_ready(ocr)) {
        g_free(px);
        g_free(keep);
        *unavailable = true;
        od_set_msg(msg, "%s", ocr->failure);
        return NULL;
    }
    if (*skipped != OD_OCR_READ) {
        g_free(px);
        g_free(keep);
        return NULL;
    }
    lines = g_array_new(FALSE, FALSE, sizeof(ocr_line));
    g_array_set_clear_func(lines, line_clear);
    chars = recognise(ocr, px, w, h, scale, pdf_layer, keep, lines,
                          &conf_sum);
    g_free(px);
    set_sizes(lines, 0);
    order_blocks(lines);

    /* The kept lines of the text layer go before the first OCR line
     * whose middle is below theirs; the OCR lines keep the order
     * order_blocks gave them. */
    if (kept) {
        GArray *kl = g_array_new(FALSE, FALSE, sizeof(ocr_line));
        kept_lines(pdf_layer, keep, kl);
        for (guint k = 0; k < kl->len; k++) {
            ocr_line *x = &g_array_index(kl, ocr_line, k);
            guint at = 0;
            while (at < lines->len && g_array_index(lines, ocr_line, at).cy <= x->cy)
                at++;
            g_array_insert_val(lines, at, *x);
        }
        g_array_free(kl, TRUE); /* the glyph arrays moved into lines */
    }

    out = g_array_new(FALSE, FALSE, sizeof(od_glyph));
    for (guint k = 0; k < lines->len; k++) {
        const ocr_line *l = &g_array_index(lines, ocr_line, k);
        od_glyph nl;
        if (l->glyphs->len == 0)
            continue;
        g_array_append_vals(out, l->glyphs->data, l->glyphs->len);
        nl = g_array_index(l->glyphs, od_glyph, l->glyphs->len - 1);
        nl.ch = '\n';
        g_array_append_val(out, nl);
    }
    g_array_free(lines, TRUE);
    g_free(keep);

    page = g_new0(od_pdf_page, 1);
    page->number = index + 1;
    page->width = pdf_layer ? pdf_layer->width : w / scale;
    page->height = pdf_layer ? pdf_layer->height : h / scale;
    page->image_area = pdf_layer ? pdf_layer->image_area : 0;
    page->source = kept ? OD_SOURCE_MIXED : OD_SOURCE_OCR;
    page->n_glyphs = out->len;
    page->glyphs = (od_glyph *)(void *)g_array_free(out, FALSE);
    if (chars)
        *confidence = conf_sum / (double)chars;
    return page;
}

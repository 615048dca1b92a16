/*
 * ordex.c - the public API: engines, documents, results.
 *
 * This file glues the stages together: it owns the grammar set (stage 4a)
 * of an engine, runs stages 1-3 and 4b lazily per document, and hands the
 * results to records.c (stage 5) and json.c (stage 6).  Between stages 1
 * and 2 it sends the pages stage 2 distrusts to OCR (ocr.c) and runs
 * stage 2 again with what OCR read.  It is the only
 * place that turns internal failures into ordex_status values and
 * messages for the caller's error handler.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <json-glib/json-glib.h>
#include <unicode/ustring.h>

#include "ordex_p.h"
#include "records_p.h"

struct ordex_engine {
    unsigned options;
    ordex_error_fn err_fn;
    void *err_data;
    long limits[ORDEX_LIMIT_N_LIMITS];
    GPtrArray *dirs;           /* char*: folders added by the caller */
    od_grammar_set *grammars;  /* files read as they are added */
    bool defaults_loaded;
    bool compiled;
    ordex_status compile_status;
    char **abbrevs;            /* from the "abbreviations" lexicon */
    ordex_ocr_mode ocr_mode;
    int threads;               /* that read one document's pages; 0: the cores */
    ordex_input input;
    char *encoding;            /* of text input; NULL: detect */
    GMutex lock;
};

struct ordex_document {
    ordex_engine *engine;
    char *password;
    char *name;        /* for messages and source.file; may be NULL */
    bool is_text;
    GBytes *bytes;     /* the PDF bytes, or the text */
    od_pdf *pdf;
    GPtrArray *pdfs;   /* od_pdf*: the same bytes opened again, one per
                        * further thread (NULL until needed) */
    int n_pages;
    char sha256[65];
    /* Stages, computed on demand. */
    od_text *text;
    od_segments *segments;
    od_matches *matches;
    GPtrArray *warnings; /* od_warning*: stage 1 and OCR warnings */
    od_libmsgs *libmsgs; /* what Poppler and Leptonica said about it */
    bool libmsgs_done;   /* ... turned into warnings */
    od_page_source *sources; /* n_pages entries (PDF input) */
    bool incomplete;
    double stage_seconds[OD_N_STAGES];
};

struct ordex_result {
    JsonNode *root;
    bool incomplete;
};

static const long default_limits[ORDEX_LIMIT_N_LIMITS] = {
    [ORDEX_LIMIT_MAX_PAGES] = 10000,
    [ORDEX_LIMIT_MAX_PAGE_TEXT] = 200000,
    [ORDEX_LIMIT_MAX_SECONDS] = 0,
    [ORDEX_LIMIT_REGEX_TIME] = 50,
};

/* ---- Errors ------------------------------------------------------------ */

const char *ordex_strerror(ordex_status status)
{
    switch (status) {
    case ORDEX_OK: return "success";
    case ORDEX_ERR_ARG: return "invalid argument";
    case ORDEX_ERR_IO: return "cannot read or write file";
    case ORDEX_ERR_NOT_PDF: return "not a PDF file";
    case ORDEX_ERR_CORRUPT: return "damaged or truncated PDF";
    case ORDEX_ERR_ENCRYPTED: return "encrypted PDF";
    case ORDEX_ERR_EMPTY: return "empty document";
    case ORDEX_ERR_UTF8: return "invalid UTF-8";
    case ORDEX_ERR_GRAMMAR: return "error in grammar file";
    case ORDEX_ERR_LIMIT: return "limit exceeded";
    case ORDEX_ERR_INTERNAL: return "internal error";
    }
    return "unknown error";
}

const char *ordex_version(void)
{
    return ORDEX_VERSION;
}

void ordex_free(void *ptr)
{
    g_free(ptr);
}

static void default_error_fn(const char *message, void *user_data)
{
    (void)user_data;
    fprintf(stderr, "ordex: %s\n", message);
}

static void report(const ordex_engine *e, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

static void report(const ordex_engine *e, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (e && e->err_fn)
        e->err_fn(msg, e->err_data);
    else
        default_error_fn(msg, NULL);
    g_free(msg);
}

/* ---- Engine ------------------------------------------------------------ */

ordex_engine *ordex_engine_new(unsigned options)
{
    ordex_engine *e;

    if (options & ~ORDEX_ENGINE_OPTIONS_MASK)
        return NULL;
    e = g_new0(ordex_engine, 1);
    e->options = options;
    e->threads = 1;
    e->err_fn = default_error_fn;
    memcpy(e->limits, default_limits, sizeof e->limits);
    e->dirs = g_ptr_array_new_with_free_func(g_free);
    e->grammars = od_grammar_set_new();
    g_mutex_init(&e->lock);
    return e;
}

void ordex_engine_free(ordex_engine *e)
{
    if (!e)
        return;
    g_ptr_array_free(e->dirs, TRUE);
    od_grammar_set_free(e->grammars);
    g_strfreev(e->abbrevs);
    g_free(e->encoding);
    g_mutex_clear(&e->lock);
    g_free(e);
}

od_grammar_set *od_engine_grammars(ordex_engine *e)
{
    return e ? e->grammars : NULL;
}

void ordex_engine_set_error_handler(ordex_engine *e, ordex_error_fn fn,
                                    void *user_data)
{
    if (!e)
        return;
    e->err_fn = fn ? fn : default_error_fn;
    e->err_data = fn ? user_data : NULL;
}

ordex_status ordex_engine_set_limit(ordex_engine *e, ordex_limit limit,
                                    long value)
{
    if (!e || (int)limit < 0 || limit >= ORDEX_LIMIT_N_LIMITS || value < 0)
        return ORDEX_ERR_ARG;
    e->limits[limit] = value;
    return ORDEX_OK;
}

ordex_status ordex_engine_set_input(ordex_engine *e, ordex_input kind)
{
    if (!e || (kind != ORDEX_INPUT_AUTO && kind != ORDEX_INPUT_PDF
               && kind != ORDEX_INPUT_TEXT))
        return ORDEX_ERR_ARG;
    e->input = kind;
    return ORDEX_OK;
}

ordex_status ordex_engine_set_encoding(ordex_engine *e, const char *encoding)
{
    if (!e)
        return ORDEX_ERR_ARG;
    if (encoding && !od_encoding_known(encoding)) {
        report(e, "unknown encoding '%s'", encoding);
        return ORDEX_ERR_ARG;
    }
    g_free(e->encoding);
    e->encoding = g_strdup(encoding);
    return ORDEX_OK;
}

ordex_status ordex_engine_set_ocr(ordex_engine *e, ordex_ocr_mode mode)
{
    if (!e || (mode != ORDEX_OCR_AUTO && mode != ORDEX_OCR_ALWAYS
               && mode != ORDEX_OCR_NEVER))
        return ORDEX_ERR_ARG;
    e->ocr_mode = mode;
    return ORDEX_OK;
}

ordex_status ordex_engine_set_threads(ordex_engine *e, int n)
{
    if (!e || n < 0)
        return ORDEX_ERR_ARG;
    e->threads = n;
    return ORDEX_OK;
}

/* Reports every line of a GString of grammar errors. */
static void report_grammar_errors(const ordex_engine *e, GString *errors)
{
    char **lines;
    GString *one = g_string_new(NULL);

    /* Each error is "FILE:LINE:COL: message" followed by indented source
     * and caret lines; pass each error as one (multi-line) message. */
    lines = g_strsplit(errors->str, "\n", -1);
    for (char **l = lines; *l; l++) {
        if (**l == '\0')
            continue;
        if (**l != ' ' && one->len) {
            report(e, "%s", one->str);
            g_string_truncate(one, 0);
        }
        if (one->len)
            g_string_append_c(one, '\n');
        g_string_append(one, *l);
    }
    if (one->len)
        report(e, "%s", one->str);
    g_strfreev(lines);
    g_string_free(one, TRUE);
}

static ordex_status add_dir_locked(ordex_engine *e, const char *dir)
{
    GString *errors = g_string_new(NULL);
    ordex_status st = ORDEX_OK;
    struct stat sb;

    if (stat(dir, &sb) != 0) {
        report(e, "%s: %s", dir, g_strerror(errno));
        st = ORDEX_ERR_IO;
    } else if (!S_ISDIR(sb.st_mode)) {
        report(e, "%s: not a directory", dir);
        st = ORDEX_ERR_IO;
    } else if (!od_grammar_set_add_dir(e->grammars, dir, errors)) {
        report_grammar_errors(e, errors);
        st = ORDEX_ERR_GRAMMAR;
    }
    g_string_free(errors, TRUE);
    return st;
}

/* The default grammars: the folder $ORDEX_GRAMMAR_DIR when it is set (the
 * tests run from grammars/ this way), else the shipped ones compiled into
 * the library (shipped.c), loaded as one folder. */
static ordex_status add_shipped_locked(ordex_engine *e)
{
    GArray *srcs = g_array_new(FALSE, TRUE, sizeof(od_grammar_src));
    GString *errors = g_string_new(NULL);
    ordex_status st = ORDEX_OK;
    const char *name;
    od_grammar_src src;

    for (size_t i = 0; (name = ordex_shipped_grammar(i, &src.data, &src.len)); i++) {
        src.file = g_strconcat("<shipped>/", name, NULL); /* in messages */
        g_array_append_val(srcs, src);
    }
    if (!od_grammar_set_add_group(e->grammars, &g_array_index(srcs, od_grammar_src, 0),
                                  srcs->len, errors)) {
        report_grammar_errors(e, errors);
        st = ORDEX_ERR_GRAMMAR;
    }
    g_string_free(errors, TRUE);
    for (guint i = 0; i < srcs->len; i++)
        g_free((char *)g_array_index(srcs, od_grammar_src, i).file);
    g_array_free(srcs, TRUE);
    return st;
}

static ordex_status load_defaults_locked(ordex_engine *e)
{
    const char *env = g_getenv("ORDEX_GRAMMAR_DIR");

    if (e->defaults_loaded || (e->options & ORDEX_ENGINE_NO_DEFAULT_GRAMMARS))
        return ORDEX_OK;
    e->defaults_loaded = true;
    return env && *env ? add_dir_locked(e, env) : add_shipped_locked(e);
}

ordex_status ordex_engine_add_grammars(ordex_engine *e, const char *dir)
{
    ordex_status st;

    if (!e || !dir)
        return ORDEX_ERR_ARG;
    g_mutex_lock(&e->lock);
    if (e->compiled) {
        st = ORDEX_ERR_ARG;
        report(e, "%s: grammars cannot be added after the engine is compiled",
               dir);
    } else if ((st = load_defaults_locked(e)) == ORDEX_OK) {
        st = add_dir_locked(e, dir);
    }
    g_mutex_unlock(&e->lock);
    return st;
}

ordex_status ordex_engine_add_grammar_data(ordex_engine *e, const char *name,
                                           const char *data, size_t len)
{
    GString *errors;
    ordex_status st = ORDEX_OK;

    if (!e || (!data && len))
        return ORDEX_ERR_ARG;
    g_mutex_lock(&e->lock);
    if (e->compiled) {
        g_mutex_unlock(&e->lock);
        return ORDEX_ERR_ARG;
    }
    st = load_defaults_locked(e);
    if (st == ORDEX_OK) {
        errors = g_string_new(NULL);
        if (!od_grammar_set_add_data(e->grammars, name ? name : "<memory>",
                                     data ? data : "", len, errors)) {
            report_grammar_errors(e, errors);
            st = ORDEX_ERR_GRAMMAR;
        }
        g_string_free(errors, TRUE);
    }
    g_mutex_unlock(&e->lock);
    return st;
}

static void collect_abbrevs(ordex_engine *e)
{
    const od_lexicon *lex = od_grammar_set_lexicon(e->grammars, "abbreviations");
    GPtrArray *arr = g_ptr_array_new();

    if (lex) {
        size_t n = od_lexicon_n_entries(lex);
        for (size_t i = 0; i < n; i++) {
            const char *const *al = od_lexicon_aliases(lex, i);
            g_ptr_array_add(arr, g_strdup(od_lexicon_canonical(lex, i)));
            for (; al && *al; al++)
                g_ptr_array_add(arr, g_strdup(*al));
        }
    }
    g_ptr_array_add(arr, NULL);
    e->abbrevs = (char **)g_ptr_array_free(arr, FALSE);
}

ordex_status ordex_engine_compile(ordex_engine *e)
{
    ordex_status st;

    if (!e)
        return ORDEX_ERR_ARG;
    g_mutex_lock(&e->lock);
    if (e->compiled) {
        st = e->compile_status;
        g_mutex_unlock(&e->lock);
        return st;
    }
    st = load_defaults_locked(e);
    if (st == ORDEX_OK) {
        GString *errors = g_string_new(NULL);
        if (!od_grammar_set_compile(e->grammars, errors)) {
            report_grammar_errors(e, errors);
            st = ORDEX_ERR_GRAMMAR;
        }
        g_string_free(errors, TRUE);
    }
    if (st == ORDEX_OK) {
        collect_abbrevs(e);
        /* the process-wide one-time set-up, here rather than at the first
         * document, which may come from several threads at once */
        od_pdf_init();
        od_ocr_init();
        od_words_init();
    }
    e->compiled = true;
    e->compile_status = st;
    g_mutex_unlock(&e->lock);
    return st;
}

/* ---- Documents ---------------------------------------------------------- */

static ordex_document *doc_new(ordex_engine *e, const char *name)
{
    ordex_document *d = g_new0(ordex_document, 1);

    d->engine = e;
    d->name = g_strdup(name);
    d->warnings = g_ptr_array_new_with_free_func((GDestroyNotify)od_warning_free);
    return d;
}

void ordex_document_free(ordex_document *d)
{
    if (!d)
        return;
    od_matches_free(d->matches);
    od_segments_free(d->segments);
    od_text_free(d->text);
    g_free(d->sources);
    if (d->pdfs)
        g_ptr_array_free(d->pdfs, TRUE);
    od_pdf_free(d->pdf);
    if (d->bytes)
        g_bytes_unref(d->bytes);
    g_ptr_array_free(d->warnings, TRUE);
    od_libmsgs_free(d->libmsgs);
    g_free(d->name);
    g_free(d->password);
    g_free(d);
}

static ordex_status open_pdf_bytes(ordex_engine *e, GBytes *bytes,
                                   const char *password, const char *name,
                                   ordex_document **out)
{
    ordex_status st = ORDEX_OK;
    char *msg = NULL;
    gsize len;
    const void *data = g_bytes_get_data(bytes, &len);
    ordex_document *d;
    od_pdf *pdf;
    od_libmsgs *libmsgs = od_libmsgs_new((e->options & ORDEX_ENGINE_CATCH_STDERR) != 0);

    od_libmsgs_catch(libmsgs, 0);
    pdf = od_pdf_open_data(data, len, password, &st, &msg);
    od_libmsgs_catch(NULL, 0);
    if (!pdf) {
        od_libmsgs_free(libmsgs);
        if (st == ORDEX_OK)
            st = ORDEX_ERR_INTERNAL;
        report(e, "%s: %s", name ? name : "<memory>",
               msg ? msg : ordex_strerror(st));
        g_free(msg);
        g_bytes_unref(bytes);
        return st;
    }
    g_free(msg);
    d = doc_new(e, name);
    d->libmsgs = libmsgs;
    d->bytes = bytes;
    d->password = g_strdup(password);
    d->pdf = pdf;
    d->n_pages = od_pdf_n_pages(pdf);
    g_strlcpy(d->sha256, od_pdf_sha256(pdf), sizeof d->sha256);
    if (e->limits[ORDEX_LIMIT_MAX_PAGES] > 0
        && d->n_pages > e->limits[ORDEX_LIMIT_MAX_PAGES]) {
        report(e, "%s: %d pages, more than the limit of %ld pages",
               name ? name : "<memory>", d->n_pages,
               e->limits[ORDEX_LIMIT_MAX_PAGES]);
        ordex_document_free(d);
        return ORDEX_ERR_LIMIT;
    }
    *out = d;
    return ORDEX_OK;
}

static ordex_status open_bytes(ordex_engine *e, GBytes *bytes,
                               const char *password, const char *name,
                               ordex_document **out);

static GBytes *read_stream(FILE *f, char **msg)
{
    GByteArray *arr = g_byte_array_new();
    guint8 buf[65536];
    size_t n;

    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        g_byte_array_append(arr, buf, (guint)n);
    if (ferror(f)) {
        od_set_msg(msg, "%s", g_strerror(errno));
        g_byte_array_free(arr, TRUE);
        return NULL;
    }
    return g_byte_array_free_to_bytes(arr);
}

/* Reads a whole file, refusing directories with a clear reason. */
static GBytes *read_file(const char *path, ordex_status *st, char **msg)
{
    struct stat sb;
    GError *err = NULL;
    char *contents;
    gsize len;

    if (strcmp(path, "-") == 0) {
        GBytes *b = read_stream(stdin, msg);
        if (!b)
            *st = ORDEX_ERR_IO;
        return b;
    }
    if (stat(path, &sb) != 0) {
        *st = ORDEX_ERR_IO;
        od_set_msg(msg, "%s", g_strerror(errno));
        return NULL;
    }
    if (S_ISDIR(sb.st_mode)) {
        *st = ORDEX_ERR_IO;
        od_set_msg(msg, "is a directory");
        return NULL;
    }
    if (!g_file_get_contents(path, &contents, &len, &err)) {
        *st = ORDEX_ERR_IO;
        /* GLib's message repeats the file name; keep the reason only. */
        od_set_msg(msg, "%s", g_strerror(err->code == G_FILE_ERROR_ACCES
                                             ? EACCES : EIO));
        g_error_free(err);
        return NULL;
    }
    return g_bytes_new_take(contents, len);
}

ordex_status ordex_document_open_file(ordex_engine *e, const char *path,
                                      const char *password,
                                      ordex_document **out)
{
    ordex_status st = ORDEX_OK;
    char *msg = NULL;
    GBytes *bytes;
    const char *name;

    if (!out)
        return ORDEX_ERR_ARG;
    *out = NULL;
    if (!e || !path)
        return ORDEX_ERR_ARG;
    name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    bytes = read_file(path, &st, &msg);
    if (!bytes) {
        report(e, "%s: %s", name, msg ? msg : ordex_strerror(st));
        g_free(msg);
        return st;
    }
    return open_bytes(e, bytes, password, name, out);
}

ordex_status ordex_document_open_memory(ordex_engine *e, const void *data,
                                        size_t len, const char *password,
                                        const char *name,
                                        ordex_document **out)
{
    if (!out)
        return ORDEX_ERR_ARG;
    *out = NULL;
    if (!e || (!data && len))
        return ORDEX_ERR_ARG;
    return open_bytes(e, g_bytes_new(data, len), password, name, out);
}

ordex_status ordex_document_open_text(ordex_engine *e, const char *text,
                                      size_t len, const char *name,
                                      ordex_document **out)
{
    ordex_document *d;
    char *msg = NULL, *utf8;
    size_t n8 = 0;
    od_text *t;

    if (!out)
        return ORDEX_ERR_ARG;
    *out = NULL;
    if (!e || (!text && len))
        return ORDEX_ERR_ARG;
    utf8 = od_text_to_utf8(text ? text : "", len, e->encoding, &n8, &msg);
    /* stage 2 reads the stamps with the engine's stamp rules; with a bad
     * grammar (reported here, and again by the stages that need it) the
     * shipped ones */
    if (utf8 && ordex_engine_compile(e) == ORDEX_OK)
        od_ecf_use(e->grammars, NULL);
    t = utf8 ? od_text_from_utf8(utf8, n8, &msg) : NULL;
    od_ecf_use(NULL, NULL);
    g_free(utf8);
    if (!t) {
        report(e, "%s: %s", name ? name : "<memory>",
               msg ? msg : "invalid UTF-8");
        g_free(msg);
        return ORDEX_ERR_UTF8;
    }
    d = doc_new(e, name);
    d->is_text = true;
    d->text = t;
    d->n_pages = t->n_pages > 0 ? t->n_pages : (len > 0 ? 1 : 0);
    {
        char *hex = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
                                                (const guchar *)(text ? text : ""),
                                                len);
        g_strlcpy(d->sha256, hex, sizeof d->sha256);
        g_free(hex);
    }
    *out = d;
    return ORDEX_OK;
}

/* Opens bytes as a PDF or as text, as the engine's input kind says;
 * takes bytes. */
static ordex_status open_bytes(ordex_engine *e, GBytes *bytes,
                               const char *password, const char *name,
                               ordex_document **out)
{
    gsize len;
    const char *data = g_bytes_get_data(bytes, &len);
    bool text = e->input == ORDEX_INPUT_TEXT;
    ordex_status st;

    if (e->input == ORDEX_INPUT_AUTO)
        text = !od_bytes_look_like_pdf(data, len)
               && od_bytes_look_like_text(data, len)
               && !(name && (g_str_has_suffix(name, ".pdf")
                             || g_str_has_suffix(name, ".PDF")));
    if (!text)
        return open_pdf_bytes(e, bytes, password, name, out);
    st = ordex_document_open_text(e, data, len, name, out);
    g_bytes_unref(bytes);
    return st;
}

int ordex_document_page_count(const ordex_document *d)
{
    return d ? d->n_pages : 0;
}

/* ---- The pipeline --------------------------------------------------------- */

/* Has the document used up the engine's time limit since start?  Reports
 * it when so. */
static bool past_time_limit(ordex_document *d, gint64 start)
{
    long max_sec = d->engine->limits[ORDEX_LIMIT_MAX_SECONDS];

    if (max_sec <= 0 || g_get_monotonic_time() - start <= max_sec * G_USEC_PER_SEC)
        return false;
    report(d->engine, "%s: more than %ld seconds",
           d->name ? d->name : "<memory>", max_sec);
    return true;
}

/* Has the document used up the engine's time limit since start?  (No
 * message: for the threads; past_time_limit reports.) */
static bool time_is_up(const ordex_document *d, gint64 start)
{
    long max_sec = d->engine->limits[ORDEX_LIMIT_MAX_SECONDS];

    return max_sec > 0 && g_get_monotonic_time() - start > max_sec * G_USEC_PER_SEC;
}

/* ---- Threads over the pages of one document ----------------------------
 *
 * With ordex_engine_set_threads(e, N), N threads read the pages of a
 * document, each with its own od_pdf (a PopplerDocument of its own over
 * the same bytes: one is not safe in two threads).  Stage 1 runs in them;
 * stage 2 takes the pages in page order in the calling thread, so that
 * its result does not depend on which thread read what.  OCR pages go the
 * same way: each thread has its own Tesseract handle, and the results are
 * taken in page order.  Pages read ahead of stage 2 are bounded
 * (LOAD_AHEAD a thread), so that memory does not grow with the
 * document.  (pthread locks rather than GLib's: ThreadSanitizer sees
 * those, not GLib's futexes.) */
#define LOAD_AHEAD 8
#define MAX_THREADS 64

/* Threads for this document: the engine's (0: the cores), at most one a
 * page. */
static int doc_threads(const ordex_document *d, int work)
{
    int n = d->engine->threads > 0 ? d->engine->threads
                                   : (int)g_get_num_processors();

    n = MIN(n, MAX_THREADS);
    n = MIN(n, work);
    return MAX(n, 1);
}

/* The od_pdf of thread k: the document's own for k == 0, else one opened
 * again over the same bytes and kept for the document's later passes.
 * NULL when Poppler cannot open it again. */
static od_pdf *thread_pdf(ordex_document *d, int k)
{
    if (k == 0)
        return d->pdf;
    if (!d->pdfs)
        d->pdfs = g_ptr_array_new_with_free_func((GDestroyNotify)od_pdf_free);
    while ((int)d->pdfs->len < k)
        g_ptr_array_add(d->pdfs, NULL);
    if (!g_ptr_array_index(d->pdfs, k - 1)) {
        od_libmsgs_catch(d->libmsgs, 0); /* what the first open said too */
        g_ptr_array_index(d->pdfs, k - 1) = od_pdf_open_again(d->pdf);
        od_libmsgs_catch(NULL, 0);
    }
    return g_ptr_array_index(d->pdfs, k - 1);
}

typedef struct page_loader {
    const od_pdf_page *const *replace; /* pages not to load (may be NULL) */
    int n_pages;
    pthread_mutex_t lock;
    pthread_cond_t cond;          /* a page was loaded, or one was taken */
    od_pdf_page **slots; /* loaded and not yet taken */
    bool *ready;         /* slot i is final (loaded, unreadable or replaced) */
    int next;            /* the next page a thread takes up */
    int taken;           /* stage 2 has taken the pages before it */
    int window;          /* how far next may run ahead of taken */
    bool stop;
    gint64 us;           /* time in Poppler, summed over the threads */
    GPtrArray *threads;  /* GThread* */
} page_loader;

typedef struct loader_thread {
    page_loader *L;
    od_pdf *pdf;
    od_libmsgs *libmsgs;
} loader_thread;

static gpointer load_pages(gpointer data)
{
    loader_thread *a = data;
    page_loader *L = a->L;

    pthread_mutex_lock(&L->lock);
    for (;;) {
        od_pdf_page *page = NULL;
        gint64 t0;
        char *msg = NULL;
        int i;

        while (!L->stop && L->next < L->n_pages && L->next >= L->taken + L->window)
            pthread_cond_wait(&L->cond, &L->lock);
        if (L->stop || L->next >= L->n_pages)
            break;
        i = L->next++;
        if (!(L->replace && L->replace[i])) {
            pthread_mutex_unlock(&L->lock);
            t0 = g_get_monotonic_time();
            od_libmsgs_catch(a->libmsgs, i + 1);
            page = od_pdf_page_load(a->pdf, i, &msg);
            od_libmsgs_catch(NULL, 0);
            t0 = g_get_monotonic_time() - t0;
            g_free(msg); /* text.c reports pages never added */
            pthread_mutex_lock(&L->lock);
            L->us += t0;
        }
        L->slots[i] = page;
        L->ready[i] = true;
        pthread_cond_broadcast(&L->cond);
    }
    pthread_mutex_unlock(&L->lock);
    g_free(a);
    return NULL;
}

/* Starts n threads loading the pages of d (not those of replace); NULL
 * when fewer than two could be started (then the caller loads them). */
static page_loader *loader_start(ordex_document *d,
                                 const od_pdf_page *const *replace, int n)
{
    page_loader *L = g_new0(page_loader, 1);

    L->replace = replace;
    L->n_pages = d->n_pages;
    pthread_mutex_init(&L->lock, NULL);
    pthread_cond_init(&L->cond, NULL);
    L->slots = g_new0(od_pdf_page *, d->n_pages);
    L->ready = g_new0(bool, d->n_pages);
    L->window = LOAD_AHEAD * n;
    L->threads = g_ptr_array_new();
    for (int k = 0; k < n; k++) {
        od_pdf *pdf = thread_pdf(d, k);
        loader_thread *a;
        GThread *t;
        if (!pdf)
            continue;
        a = g_new(loader_thread, 1);
        a->L = L;
        a->pdf = pdf;
        a->libmsgs = d->libmsgs;
        t = g_thread_try_new("ordex-pages", load_pages, a, NULL);
        if (!t) {
            g_free(a);
            continue;
        }
        g_ptr_array_add(L->threads, t);
    }
    if (L->threads->len == 0) {
        g_ptr_array_free(L->threads, TRUE);
        g_free(L->slots);
        g_free(L->ready);
        pthread_mutex_destroy(&L->lock);
        pthread_cond_destroy(&L->cond);
        g_free(L);
        return NULL;
    }
    return L;
}

/* Page i, once a thread has loaded it (NULL: unreadable, or replaced);
 * the caller frees it.  Pages must be taken in order. */
static od_pdf_page *loader_take(page_loader *L, int i)
{
    od_pdf_page *page;

    pthread_mutex_lock(&L->lock);
    while (!L->ready[i])
        pthread_cond_wait(&L->cond, &L->lock);
    page = L->slots[i];
    L->slots[i] = NULL;
    L->taken = i + 1;
    pthread_cond_broadcast(&L->cond);
    pthread_mutex_unlock(&L->lock);
    return page;
}

/* Stops and joins the threads; adds their time in Poppler to *us. */
static void loader_stop(page_loader *L, gint64 *us)
{
    if (!L)
        return;
    pthread_mutex_lock(&L->lock);
    L->stop = true;
    pthread_cond_broadcast(&L->cond);
    pthread_mutex_unlock(&L->lock);
    for (guint k = 0; k < L->threads->len; k++)
        g_thread_join(g_ptr_array_index(L->threads, k));
    g_ptr_array_free(L->threads, TRUE);
    *us += L->us;
    for (int i = 0; i < L->n_pages; i++)
        od_pdf_page_free(L->slots[i]);
    g_free(L->slots);
    g_free(L->ready);
    pthread_mutex_destroy(&L->lock);
    pthread_cond_destroy(&L->cond);
    g_free(L);
}

/* One page for OCR, and what came of it. */
typedef struct ocr_job {
    int index;
    od_trust trust;
    bool done;          /* was run (not when the time limit passed first) */
    od_pdf_page *page;  /* what OCR read, or NULL */
    double conf;
    od_ocr_skip skipped;
    bool unavailable;
    char *msg;
} ocr_job;

typedef struct ocr_run {
    ordex_document *d;
    ocr_job *jobs;
    int n_jobs;
    gint64 start;
    pthread_mutex_t lock;
    int next;          /* the next job a thread takes up */
    int cut;           /* a job found Tesseract unavailable: none after it runs */
    bool time_up;
} ocr_run;

typedef struct ocr_thread {
    ocr_run *R;
    od_pdf *pdf;
} ocr_thread;

static void ocr_one(od_pdf *pdf, od_ocr *ocr, ocr_job *j, od_libmsgs *libmsgs)
{
    char *msg = NULL;
    od_pdf_page *layer;

    od_libmsgs_catch(libmsgs, j->index + 1);
    /* stage 2 kept no glyphs: the text layer is loaded again, for the
     * stamp that OCR keeps */
    layer = od_pdf_page_load(pdf, j->index, &msg);
    g_free(msg);
    j->conf = -1;
    j->skipped = OD_OCR_READ;
    /* a layer that is right but short (a stamp, a banner, a caption) is
     * kept; a garbled one, or any with --ocr=always, is not */
    j->page = od_ocr_page(ocr, pdf, j->index, layer,
                          j->trust == OD_TRUST_ONLY_STAMP || j->trust == OD_TRUST_IMAGE
                              || j->trust == OD_TRUST_NO_TEXT,
                          &j->conf, &j->skipped, &j->unavailable, &j->msg);
    od_pdf_page_free(layer);
    od_libmsgs_catch(NULL, 0);
    j->done = true;
}

/* A thread's share of the OCR jobs, taken in order, each with the
 * thread's own Tesseract handle and od_pdf. */
static gpointer ocr_jobs(gpointer data)
{
    ocr_thread *a = data;
    ocr_run *R = a->R;
    od_ocr *ocr = od_ocr_new();

    for (;;) {
        ocr_job *j;
        pthread_mutex_lock(&R->lock);
        if (!R->time_up && R->next < R->n_jobs && time_is_up(R->d, R->start))
            R->time_up = true;
        if (R->time_up || R->next >= R->n_jobs || R->next > R->cut) {
            pthread_mutex_unlock(&R->lock);
            break;
        }
        j = &R->jobs[R->next++];
        pthread_mutex_unlock(&R->lock);
        ocr_one(a->pdf, ocr, j, R->d->libmsgs);
        if (j->unavailable) {
            pthread_mutex_lock(&R->lock);
            R->cut = MIN(R->cut, (int)(j - R->jobs));
            pthread_mutex_unlock(&R->lock);
        }
    }
    od_ocr_free(ocr);
    g_free(a);
    return NULL;
}

/* Reads by OCR the pages stage 2 distrusted (every readable page with
 * ORDEX_OCR_ALWAYS), on the document's threads, replacing their entry in
 * pages, and records where each page's text comes from.  Returns true
 * when some page was replaced (stage 2 must run again); *st is
 * ORDEX_ERR_LIMIT when the time limit passed.  The results are taken in
 * page order, as one thread would have made them: once Tesseract is
 * found unavailable, the later pages stay unread. */
static bool ocr_pages(ordex_document *d, od_pdf_page **replace, gint64 start,
                      ordex_status *st)
{
    ordex_engine *e = d->engine;
    ocr_run R;
    GPtrArray *threads = g_ptr_array_new();
    char *why = NULL;
    int unread = 0, n;
    bool replaced = false;

    memset(&R, 0, sizeof R);
    R.d = d;
    R.start = start;
    R.jobs = g_new0(ocr_job, d->n_pages > 0 ? d->n_pages : 1);
    for (int i = 0; i < d->n_pages; i++) {
        od_trust tr = (od_trust)d->text->trust[i];

        d->sources[i].reason = (uint8_t)tr;
        d->sources[i].confidence = -1;
        if (e->ocr_mode == ORDEX_OCR_NEVER || tr == OD_TRUST_UNREADABLE
            || (tr == OD_TRUST_OK && e->ocr_mode != ORDEX_OCR_ALWAYS))
            continue;
        R.jobs[R.n_jobs].index = i;
        R.jobs[R.n_jobs].trust = tr;
        R.n_jobs++;
    }
    R.cut = R.n_jobs;
    pthread_mutex_init(&R.lock, NULL);
    n = R.n_jobs > 0 ? doc_threads(d, R.n_jobs) : 0;
    for (int k = 1; k < n; k++) {
        od_pdf *pdf = thread_pdf(d, k);
        ocr_thread *a;
        GThread *t;
        if (!pdf)
            continue;
        a = g_new(ocr_thread, 1);
        a->R = &R;
        a->pdf = pdf;
        t = g_thread_try_new("ordex-ocr", ocr_jobs, a, NULL);
        if (t)
            g_ptr_array_add(threads, t);
        else
            g_free(a);
    }
    if (R.n_jobs > 0) { /* and this thread, with the document's own od_pdf */
        ocr_thread *a = g_new(ocr_thread, 1);
        a->R = &R;
        a->pdf = d->pdf;
        ocr_jobs(a);
    }
    for (guint k = 0; k < threads->len; k++)
        g_thread_join(g_ptr_array_index(threads, k));
    g_ptr_array_free(threads, TRUE);
    pthread_mutex_destroy(&R.lock);
    if (R.time_up) {
        report(e, "%s: more than %ld seconds", d->name ? d->name : "<memory>",
               e->limits[ORDEX_LIMIT_MAX_SECONDS]);
        *st = ORDEX_ERR_LIMIT;
    }

    for (int k = 0; k < R.n_jobs; k++) {
        ocr_job *j = &R.jobs[k];
        int i = j->index;

        if (why) { /* Tesseract is unavailable: the page stays unread */
            unread += j->trust != OD_TRUST_OK;
        } else if (!j->done || *st != ORDEX_OK) {
            ; /* the time limit passed */
        } else if (j->skipped != OD_OCR_READ) {
            /* nothing to read: the text layer stays, and the page is
             * not missing text */
            d->sources[i].skipped = (uint8_t)j->skipped;
            od_warnings_add(d->warnings, "ocr_skipped", i + 1,
                            "page %d was not read by OCR: %s", i + 1,
                            od_ocr_skip_reason(j->skipped));
        } else if (!j->page && j->unavailable) {
            why = j->msg;
            j->msg = NULL;
            unread += j->trust != OD_TRUST_OK;
        } else if (!j->page) {
            od_warnings_add(d->warnings, "ocr_failed", i + 1,
                            "page %d could not be read by OCR: %s", i + 1,
                            j->msg ? j->msg : "unknown error");
        } else {
            replace[i] = j->page;
            j->page = NULL;
            d->sources[i].source = replace[i]->source;
            d->sources[i].confidence = j->conf;
            replaced = true;
        }
        od_pdf_page_free(j->page);
        g_free(j->msg);
    }
    g_free(R.jobs);
    if (why) {
        if (unread > 0)
            od_warnings_add(d->warnings, "ocr_unavailable", 0,
                            "OCR is unavailable: %s; %d page%s left unread",
                            why, unread, unread == 1 ? "" : "s");
        else
            od_warnings_add(d->warnings, "ocr_unavailable", 0,
                            "OCR is unavailable: %s", why);
        g_free(why);
    }
    return replaced;
}

/* Stages 1 and 2 over every page, a page at a time: each page goes to
 * stage 2 as soon as it is loaded and is freed then, so that memory holds
 * a few pages' glyphs, not the document's.  replace[i], when given and
 * not NULL, stands for page i (a page read by OCR).  With several threads
 * the pages are loaded by them (page_loader) and taken here in order. */
static ordex_status build_text(ordex_document *d, od_pdf_page *const *replace,
                               gint64 start, gint64 *pdf_us, gint64 *text_us)
{
    ordex_engine *e = d->engine;
    long max_text = e->limits[ORDEX_LIMIT_MAX_PAGE_TEXT];
    od_text_builder *b = od_text_builder_new(d->n_pages);
    int n_threads = doc_threads(d, d->n_pages);
    page_loader *L = n_threads > 1
                         ? loader_start(d, (const od_pdf_page *const *)replace, n_threads)
                         : NULL;
    ordex_status st = ORDEX_OK;
    gint64 t0;

    /* the stamps are read with the engine's stamp rules (with a bad
     * grammar, reported here, the shipped ones) */
    if (ordex_engine_compile(e) == ORDEX_OK)
        od_ecf_use(e->grammars, NULL);

    for (int i = 0; i < d->n_pages; i++) {
        char *msg = NULL;
        od_pdf_page *page = replace ? replace[i] : NULL;
        bool loaded = page == NULL;

        if (L) {
            od_pdf_page *got = loader_take(L, i);
            if (loaded)
                page = got;
        } else if (loaded) {
            t0 = g_get_monotonic_time();
            od_libmsgs_catch(d->libmsgs, i + 1);
            page = od_pdf_page_load(d->pdf, i, &msg);
            od_libmsgs_catch(NULL, 0);
            *pdf_us += g_get_monotonic_time() - t0;
        }
        if (!page) {
            /* text.c reports pages never added as unreadable */
            g_free(msg);
        } else if (max_text > 0 && page->n_glyphs > (size_t)max_text) {
            report(e, "%s: page %d has %zu characters, more than the limit of %ld",
                   d->name ? d->name : "<memory>", i + 1,
                   page->n_glyphs, max_text);
            st = ORDEX_ERR_LIMIT;
        } else {
            t0 = g_get_monotonic_time();
            od_text_builder_add(b, i, page);
            *text_us += g_get_monotonic_time() - t0;
        }
        if (loaded)
            od_pdf_page_free(page);
        if (st == ORDEX_OK && past_time_limit(d, start))
            st = ORDEX_ERR_LIMIT;
        if (st != ORDEX_OK) {
            loader_stop(L, pdf_us);
            od_text_builder_free(b);
            od_ecf_use(NULL, NULL);
            return st;
        }
    }
    loader_stop(L, pdf_us);
    t0 = g_get_monotonic_time();
    d->text = od_text_builder_finish(b);
    *text_us += g_get_monotonic_time() - t0;
    od_ecf_use(NULL, NULL);
    return ORDEX_OK;
}

static ordex_status run_text(ordex_document *d)
{
    gint64 start = g_get_monotonic_time(), t1, pdf_us = 0, text_us = 0;
    od_pdf_page **replace;
    ordex_status st;
    bool replaced;

    if (d->text)
        return ORDEX_OK;
    if ((st = build_text(d, NULL, start, &pdf_us, &text_us)) != ORDEX_OK)
        return st;
    d->sources = g_new0(od_page_source, d->n_pages > 0 ? d->n_pages : 1);
    replace = g_new0(od_pdf_page *, d->n_pages > 0 ? d->n_pages : 1);
    t1 = g_get_monotonic_time();
    replaced = ocr_pages(d, replace, start, &st);
    d->stage_seconds[OD_STAGE_OCR] = (g_get_monotonic_time() - t1) / 1e6;
    if (replaced) {
        /* stage 2 again, the OCR pages in place of their text layers
         * (the others are loaded again: pages are not kept) */
        od_text_free(d->text);
        d->text = NULL;
        if (st == ORDEX_OK)
            st = build_text(d, replace, start, &pdf_us, &text_us);
    }
    for (int i = 0; i < d->n_pages; i++)
        od_pdf_page_free(replace[i]);
    g_free(replace);
    d->stage_seconds[OD_STAGE_PDF] = pdf_us / 1e6;
    d->stage_seconds[OD_STAGE_TEXT] = text_us / 1e6;
    if (st != ORDEX_OK) {
        od_text_free(d->text);
        d->text = NULL;
    } else if (!d->libmsgs_done) {
        /* Poppler's (and with OCR, Leptonica's) messages about stages
         * 1 and 1b, after the OCR warnings */
        od_libmsgs_warn(d->libmsgs, d->warnings);
        d->libmsgs_done = true;
    }
    return st;
}

static ordex_status run_segments(ordex_document *d)
{
    ordex_status st;
    char *msg = NULL;
    gint64 t0;

    if (d->segments)
        return ORDEX_OK;
    if ((st = ordex_engine_compile(d->engine)) != ORDEX_OK)
        return st;
    if ((st = run_text(d)) != ORDEX_OK)
        return st;
    t0 = g_get_monotonic_time();
    d->segments = od_segment(d->text, d->engine->grammars,
                             (const char *const *)d->engine->abbrevs,
                             &msg);
    d->stage_seconds[OD_STAGE_SEGMENT] = (g_get_monotonic_time() - t0) / 1e6;
    if (!d->segments) {
        report(d->engine, "%s: segmentation failed: %s",
               d->name ? d->name : "<memory>", msg ? msg : "unknown error");
        g_free(msg);
        return ORDEX_ERR_INTERNAL;
    }
    return ORDEX_OK;
}

static ordex_status run_matches(ordex_document *d)
{
    ordex_status st;
    char *msg = NULL;
    gint64 t0;

    if (d->matches)
        return ORDEX_OK;
    if ((st = run_segments(d)) != ORDEX_OK)
        return st;
    t0 = g_get_monotonic_time();
    d->matches = od_match_run(d->engine->grammars, d->text, d->segments,
                              (int32_t)d->engine->limits[ORDEX_LIMIT_REGEX_TIME],
                              &msg);
    d->stage_seconds[OD_STAGE_MATCH] = (g_get_monotonic_time() - t0) / 1e6;
    if (!d->matches) {
        report(d->engine, "%s: rule matching failed: %s",
               d->name ? d->name : "<memory>", msg ? msg : "unknown error");
        g_free(msg);
        return ORDEX_ERR_INTERNAL;
    }
    return ORDEX_OK;
}

ordex_status ordex_document_dump(ordex_document *d, ordex_stage stage,
                                 char **out)
{
    ordex_status st;

    if (!out)
        return ORDEX_ERR_ARG;
    *out = NULL;
    if (!d)
        return ORDEX_ERR_ARG;
    switch (stage) {
    case ORDEX_STAGE_TEXT:
        if ((st = run_text(d)) != ORDEX_OK)
            return st;
        *out = od_dump_text(d->text);
        return ORDEX_OK;
    case ORDEX_STAGE_SEGMENTS:
        if ((st = run_segments(d)) != ORDEX_OK)
            return st;
        *out = od_dump_segments(d->text, d->segments);
        return ORDEX_OK;
    case ORDEX_STAGE_MATCHES:
        if ((st = run_matches(d)) != ORDEX_OK)
            return st;
        *out = od_dump_matches(d->text, d->matches);
        return ORDEX_OK;
    }
    return ORDEX_ERR_ARG;
}

ordex_status ordex_extract(ordex_document *d, ordex_result **out)
{
    ordex_status st;
    od_doc_info info;
    od_records *recs;
    ordex_result *r;
    gint64 t0;

    if (!out)
        return ORDEX_ERR_ARG;
    *out = NULL;
    if (!d)
        return ORDEX_ERR_ARG;
    if ((st = run_matches(d)) != ORDEX_OK)
        return st;

    memset(&info, 0, sizeof info);
    info.file = d->name;
    info.sha256 = d->sha256;
    info.input = d->is_text ? "text" : "pdf";
    info.n_pages = d->n_pages;
    info.pages = d->is_text ? NULL : d->sources;

    t0 = g_get_monotonic_time();
    recs = od_records_build(d->engine->grammars, d->text, d->segments,
                            d->matches);
    d->stage_seconds[OD_STAGE_RECORDS] = (g_get_monotonic_time() - t0) / 1e6;
    t0 = g_get_monotonic_time();
    r = g_new0(ordex_result, 1);
    r->root = od_json_document(&info, d->engine->grammars, d->text, recs,
                               d->warnings, d->matches);
    r->incomplete = od_text_incomplete(d->text, info.pages, info.n_pages);
    d->stage_seconds[OD_STAGE_JSON] = (g_get_monotonic_time() - t0) / 1e6;
    od_records_free(recs);
    *out = r;
    return ORDEX_OK;
}

void ordex_result_free(ordex_result *r)
{
    if (!r)
        return;
    if (r->root)
        json_node_unref(r->root);
    g_free(r);
}

int ordex_result_incomplete(const ordex_result *r)
{
    return r && r->incomplete;
}

/* The elements of root's array key whose "binding" is true, in a new
 * array (binding is the document's, so the ids that link directives and
 * deadlines stay whole: either every record of a kind goes or none). */
static JsonArray *binding_records(JsonObject *root, const char *key)
{
    JsonArray *in = json_object_get_array_member(root, key);
    JsonArray *out = json_array_new();

    for (guint i = 0; in && i < json_array_get_length(in); i++) {
        JsonObject *o = json_array_get_object_element(in, i);
        if (o && json_object_get_boolean_member_with_default(o, "binding", TRUE))
            json_array_add_element(out, json_node_copy(json_array_get_element(in, i)));
    }
    return out;
}

char *ordex_result_to_json(const ordex_result *r, unsigned options)
{
    JsonNode *root;
    char *s;

    if (!r || (options & ~ORDEX_JSON_OPTIONS_MASK))
        return NULL;
    if (!(options & ORDEX_JSON_BINDING_ONLY))
        return od_json_serialize(r->root, (options & ORDEX_JSON_PRETTY) != 0);
    root = json_node_copy(r->root);
    {
        JsonObject *o = json_node_get_object(root);
        json_object_set_array_member(o, "directives", binding_records(o, "directives"));
        json_object_set_array_member(o, "deadlines", binding_records(o, "deadlines"));
    }
    s = od_json_serialize(root, (options & ORDEX_JSON_PRETTY) != 0);
    json_node_unref(root);
    return s;
}

ordex_status ordex_document_profile(const ordex_document *d,
                                    double seconds[], int n)
{
    /* 6: the stages before OCR was added; older callers pass that */
    if (!d || !seconds || n < OD_STAGE_OCR)
        return ORDEX_ERR_ARG;
    for (int i = 0; i < OD_N_STAGES && i < n; i++)
        seconds[i] = d->stage_seconds[i];
    return ORDEX_OK;
}

ordex_status ordex_pdf_to_json(const char *path, unsigned json_options,
                               char **json_out)
{
    ordex_engine *e;
    ordex_document *d = NULL;
    ordex_result *r = NULL;
    ordex_status st;

    if (!json_out)
        return ORDEX_ERR_ARG;
    *json_out = NULL;
    if (!path || (json_options & ~ORDEX_JSON_OPTIONS_MASK))
        return ORDEX_ERR_ARG;
    e = ordex_engine_new(0);
    st = ordex_engine_compile(e);
    if (st == ORDEX_OK)
        st = ordex_document_open_file(e, path, NULL, &d);
    if (st == ORDEX_OK)
        st = ordex_extract(d, &r);
    if (st == ORDEX_OK)
        *json_out = ordex_result_to_json(r, json_options);
    ordex_result_free(r);
    ordex_document_free(d);
    ordex_engine_free(e);
    return st;
}

/* ---- Records without JSON ------------------------------------------------ */

/* An ordex_record is a JsonObject of the result's tree. */
static JsonArray *kind_array(const ordex_result *r, const char *kind)
{
    JsonObject *root;

    if (!r || !kind || !r->root || !JSON_NODE_HOLDS_OBJECT(r->root))
        return NULL;
    root = json_node_get_object(r->root);
    if (strcmp(kind, "case") == 0 || !json_object_has_member(root, kind))
        return NULL;
    {
        JsonNode *n = json_object_get_member(root, kind);
        return JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
    }
}

size_t ordex_result_count(const ordex_result *r, const char *kind)
{
    JsonArray *a;

    if (r && kind && strcmp(kind, "case") == 0)
        return 1;
    a = kind_array(r, kind);
    return a ? json_array_get_length(a) : 0;
}

const ordex_record *ordex_result_record(const ordex_result *r,
                                        const char *kind, size_t i)
{
    JsonArray *a;
    JsonNode *n;

    if (r && kind && strcmp(kind, "case") == 0 && i == 0) {
        JsonObject *root = json_node_get_object(r->root);
        return (const ordex_record *)json_object_get_object_member(root, "case");
    }
    a = kind_array(r, kind);
    if (!a || i >= json_array_get_length(a))
        return NULL;
    n = json_array_get_element(a, (guint)i);
    return JSON_NODE_HOLDS_OBJECT(n) ? (const ordex_record *)json_node_get_object(n)
                                     : NULL;
}

static JsonNode *record_member(const ordex_record *rec, const char *field)
{
    JsonObject *o = (JsonObject *)rec;

    if (!o || !field || !json_object_has_member(o, field))
        return NULL;
    return json_object_get_member(o, field);
}

const char *ordex_record_string(const ordex_record *rec, const char *field)
{
    JsonNode *n = record_member(rec, field);

    if (!n || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
        return NULL;
    return json_node_get_string(n);
}

int ordex_record_int(const ordex_record *rec, const char *field, long *out)
{
    JsonNode *n = record_member(rec, field);
    GType t;

    if (!n || !JSON_NODE_HOLDS_VALUE(n))
        return 0;
    t = json_node_get_value_type(n);
    if (t == G_TYPE_INT64) {
        if (out)
            *out = (long)json_node_get_int(n);
        return 1;
    }
    if (t == G_TYPE_BOOLEAN) {
        if (out)
            *out = json_node_get_boolean(n) ? 1 : 0;
        return 1;
    }
    return 0;
}

int ordex_record_position(const ordex_record *rec, int *page, long *start,
                          long *end, double bbox[4])
{
    long p = 0, s = 0, e = 0;
    JsonNode *b = record_member(rec, "bbox");
    int has = ordex_record_int(rec, "start", &s) && ordex_record_int(rec, "end", &e);

    ordex_record_int(rec, "page", &p);
    if (page)
        *page = (int)p;
    if (start)
        *start = s;
    if (end)
        *end = e;
    if (bbox) {
        for (int i = 0; i < 4; i++)
            bbox[i] = 0;
        if (b && JSON_NODE_HOLDS_ARRAY(b)) {
            JsonArray *a = json_node_get_array(b);
            for (guint i = 0; i < 4 && i < json_array_get_length(a); i++)
                bbox[i] = json_array_get_double_element(a, i);
        }
    }
    return has;
}

ordex_status ordex_result_highlight(ordex_document *d, const ordex_result *r,
                                    const char *out_path, int *n_annotations)
{
    char *msg = NULL;
    int n;

    if (n_annotations)
        *n_annotations = 0;
    if (!d || !r || !out_path || d->is_text || !d->bytes || !d->text)
        return ORDEX_ERR_ARG;
    n = od_highlight_write(d->bytes, d->password, d->text, r->root, out_path,
                           &msg);
    if (n < 0) {
        report(d->engine, "%s: %s", out_path, msg ? msg : "cannot write");
        g_free(msg);
        return ORDEX_ERR_IO;
    }
    if (n_annotations)
        *n_annotations = n;
    return ORDEX_OK;
}

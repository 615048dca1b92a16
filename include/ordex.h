/*
 * ordex.h - extract structured records from court orders and opinions.
 *
 * Ownership, once for the whole API: every object returned by a function
 * named *_new or *_open_* or ordex_extract belongs to the caller and is
 * released with the matching *_free (which accepts NULL); every char * a
 * function returns is released with ordex_free(); every const pointer
 * returned is borrowed from the object it was read from and lives as long
 * as that object.
 *
 * Threads: an ordex_engine, once compiled (ordex_engine_compile), is
 * immutable and may be used by any number of threads at once.  Documents
 * and results belong to one thread at a time.  No GLib or ICU type
 * crosses this API.
 *
 * Errors: functions return an ordex_status (ORDEX_OK == 0) and send a
 * one-line message naming the file and the reason to the engine's error
 * handler, which defaults to printing "ordex: MESSAGE" on stderr.
 */
#ifndef ORDEX_H
#define ORDEX_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(ORDEX_BUILDING) && defined(__GNUC__)
#define ORDEX_API __attribute__((visibility("default")))
#else
#define ORDEX_API
#endif

#define ORDEX_VERSION "0.1.0"
#define ORDEX_VERSION_MAJOR 0
#define ORDEX_VERSION_MINOR 1
#define ORDEX_VERSION_PATCH 0

/* Version of the JSON document layout ("schema" in the output).  It
 * changes whenever a field is added, removed or changes meaning. */
#define ORDEX_SCHEMA_VERSION "ordex-3"

typedef enum ordex_status {
    ORDEX_OK = 0,
    ORDEX_ERR_ARG,       /* invalid argument or unknown option bits */
    ORDEX_ERR_IO,        /* file missing, unreadable, a directory, ... */
    ORDEX_ERR_NOT_PDF,   /* the input is not a PDF */
    ORDEX_ERR_CORRUPT,   /* a PDF that is damaged or truncated */
    ORDEX_ERR_ENCRYPTED, /* encrypted, and no or a wrong password */
    ORDEX_ERR_EMPTY,     /* empty file, or a PDF with no pages */
    ORDEX_ERR_UTF8,      /* text input that is not valid UTF-8 */
    ORDEX_ERR_GRAMMAR,   /* a grammar file has errors */
    ORDEX_ERR_LIMIT,     /* a configured limit was exceeded */
    ORDEX_ERR_INTERNAL   /* a bug or a failure of a library underneath */
} ordex_status;

/** Returns a static English description of status ("encrypted PDF"). */
ORDEX_API const char *ordex_strerror(ordex_status status);

/** Returns the library's version string, ORDEX_VERSION at build time. */
ORDEX_API const char *ordex_version(void);

/** Releases memory returned by ordex (strings).  NULL is ignored. */
ORDEX_API void ordex_free(void *ptr);

/* ---- Options (bit flags) ------------------------------------------ */

/* Engine options. */
#define ORDEX_ENGINE_NO_DEFAULT_GRAMMARS (1u << 0) /* skip the shipped grammars */
/* Also catch what the libraries underneath print straight to standard
 * error while Poppler renders a page for OCR (libjpeg's "Corrupt JPEG
 * data: ...", Poppler's "some font thing failed"), as the warnings
 * "library_message": file descriptor 2 is pointed at a temporary file
 * for the time of the rendering, one rendering at a time in the process.
 * For programs that own their standard error, such as the ordex command;
 * what another thread writes there meanwhile lands in the document's
 * warnings.  (Messages the libraries send through their handlers,
 * Poppler's GLib log domain and Leptonica's, are caught without it.) */
#define ORDEX_ENGINE_CATCH_STDERR (1u << 1)
#define ORDEX_ENGINE_OPTIONS_MASK 0x3u

/* JSON output options. */
#define ORDEX_JSON_PRETTY (1u << 0) /* indented, one field a line */
#define ORDEX_JSON_BINDING_ONLY (1u << 1) /* leave out directives and
                                             deadlines with "binding": false */
#define ORDEX_JSON_OPTIONS_MASK 0x3u

/* Limits, for ordex_engine_set_limit. */
typedef enum ordex_limit {
    ORDEX_LIMIT_MAX_PAGES = 0,     /* pages per document (default 10000) */
    ORDEX_LIMIT_MAX_PAGE_TEXT,     /* characters per page (default 200000) */
    ORDEX_LIMIT_MAX_SECONDS,       /* seconds per document, checked between
                                      pages (default 0: none); one slow page
                                      is not interrupted: run untrusted
                                      files in a process you can kill, as
                                      `ordex batch` does */
    ORDEX_LIMIT_REGEX_TIME,        /* ICU regex time limit per match call
                                      (ICU steps, default 50) */
    ORDEX_LIMIT_N_LIMITS
} ordex_limit;

/* OCR of the pages whose text layer cannot be trusted (no text, only the
 * ECF stamp, undecodable fonts, an image with little text), with
 * Tesseract, for ordex_engine_set_ocr. */
typedef enum ordex_ocr_mode {
    ORDEX_OCR_AUTO = 0, /* those pages only (the default) */
    ORDEX_OCR_ALWAYS,   /* every page; only the ECF stamp's text is kept */
    ORDEX_OCR_NEVER     /* no OCR: those pages are warnings only */
} ordex_ocr_mode;

/* ---- Engine --------------------------------------------------------- */

typedef struct ordex_engine ordex_engine;
typedef struct ordex_document ordex_document;
typedef struct ordex_result ordex_result;

typedef void (*ordex_error_fn)(const char *message, void *user_data);

/** Creates an engine.  options: ORDEX_ENGINE_* bits.  Returns NULL when
 * options holds unknown bits.  Free with ordex_engine_free. */
ORDEX_API ordex_engine *ordex_engine_new(unsigned options);

/** Frees an engine.  NULL is ignored.  No document opened from it may be
 * used afterwards. */
ORDEX_API void ordex_engine_free(ordex_engine *engine);

/** Sets the function that receives error messages (NULL restores the
 * default, stderr).  Not thread-safe: call before sharing the engine. */
ORDEX_API void ordex_engine_set_error_handler(ordex_engine *engine,
                                              ordex_error_fn fn,
                                              void *user_data);

/** Sets a limit (see ordex_limit); value 0 disables it where that makes
 * sense.  Returns ORDEX_ERR_ARG for an unknown limit. */
ORDEX_API ordex_status ordex_engine_set_limit(ordex_engine *engine,
                                              ordex_limit limit, long value);

/** Sets when pages are read by OCR (default ORDEX_OCR_AUTO).  OCR needs
 * Tesseract's English data (eng.traineddata, found through
 * $TESSDATA_PREFIX or Tesseract's default folder); without it the pages
 * stay unread, a warning "ocr_unavailable" says why and the result is
 * incomplete.  Tesseract may start OpenMP threads: a program that runs
 * documents in parallel should set OMP_THREAD_LIMIT=1 in its environment
 * before it starts (the ordex command does so for `ordex batch`).  Not
 * thread-safe: call before sharing the engine.  Returns ORDEX_ERR_ARG for
 * an unknown mode. */
ORDEX_API ordex_status ordex_engine_set_ocr(ordex_engine *engine,
                                            ordex_ocr_mode mode);

/** Sets how many threads read the pages of one document (default 1; 0:
 * one a core).  Each thread opens the PDF again over the same bytes (a
 * PopplerDocument of its own) and reads its share of the text layers and
 * of the pages sent to OCR (each with a Tesseract handle of its own);
 * stages 2-6 then run as with one thread, and the result is the same,
 * byte for byte.  Memory grows by what Poppler keeps per open document
 * (fonts, the cross-reference table) and, with OCR, by a rendered page
 * and a Tesseract model a thread.  A program that runs several documents
 * at once (threads or processes) is better served with 1.  Not
 * thread-safe: call before sharing the engine.  Returns ORDEX_ERR_ARG for
 * n < 0. */
ORDEX_API ordex_status ordex_engine_set_threads(ordex_engine *engine, int n);

/** Adds a folder of *.rules files after the default grammars (those
 * compiled into the library, or the folder $ORDEX_GRAMMAR_DIR when it is
 * set) and after the folders added before.  A later folder overrides what
 * came before by name: a rule of the same id is replaced in place, a
 * definition or lexicon of the same name everywhere it is used, and
 * `disable ID` removes a rule (grammars/README.md).  To replace the
 * shipped grammars wholesale, create the engine with
 * ORDEX_ENGINE_NO_DEFAULT_GRAMMARS and add a folder of your own (for
 * instance one written by `ordex --print-grammars`).  The files are read
 * here and compiled by ordex_engine_compile.  Returns ORDEX_ERR_GRAMMAR
 * (with every error reported as FILE:LINE:COL) or ORDEX_ERR_IO. */
ORDEX_API ordex_status ordex_engine_add_grammars(ordex_engine *engine,
                                                 const char *dir);

/** The grammars compiled into the library, in name order: returns the
 * file name of the index-th one ("deadlines.rules"), or NULL when index
 * is past the last; *data and *len (either may be NULL) receive its text,
 * which is not NUL-terminated.  Everything is static data of the library:
 * do not free it.  Thread-safe. */
ORDEX_API const char *ordex_shipped_grammar(size_t index, const char **data,
                                            size_t *len);

/** Adds one grammar from memory; name is used in error messages. */
ORDEX_API ordex_status ordex_engine_add_grammar_data(ordex_engine *engine,
                                                     const char *name,
                                                     const char *data,
                                                     size_t len);

/** Compiles the grammars (the shipped ones first, unless
 * ORDEX_ENGINE_NO_DEFAULT_GRAMMARS, then those added).  Called by the
 * first extraction when the caller has not; call it yourself before
 * sharing the engine between threads.  Idempotent. */
ORDEX_API ordex_status ordex_engine_compile(ordex_engine *engine);

/* What ordex_document_open_file and ordex_document_open_memory take
 * their bytes for, for ordex_engine_set_input. */
typedef enum ordex_input {
    ORDEX_INPUT_AUTO = 0, /* by content (the default): a PDF when "%PDF-"
                             is in the first 1024 bytes, else text when
                             the bytes have no control characters but
                             whitespace and the name does not end in
                             ".pdf", else ORDEX_ERR_NOT_PDF */
    ORDEX_INPUT_PDF,      /* always a PDF */
    ORDEX_INPUT_TEXT      /* always text (see ordex_document_open_text) */
} ordex_input;

/** Sets how opened files and memory are told apart (default
 * ORDEX_INPUT_AUTO).  Not thread-safe: call before sharing the engine.
 * Returns ORDEX_ERR_ARG for an unknown kind. */
ORDEX_API ordex_status ordex_engine_set_input(ordex_engine *engine,
                                              ordex_input kind);

/** Sets the encoding of text input, an ICU converter name such as
 * "ISO-8859-1", "windows-1252" or "UTF-8" (copied).  NULL restores the
 * default: UTF-8 when the bytes are valid UTF-8, else the encoding ICU's
 * charset detector finds.  Not thread-safe: call before sharing the
 * engine.  Returns ORDEX_ERR_ARG (with a message) for a name ICU does
 * not know. */
ORDEX_API ordex_status ordex_engine_set_encoding(ordex_engine *engine,
                                                 const char *encoding);

/* ---- Documents ------------------------------------------------------ */

/** Opens a PDF or text file ("-" reads standard input), told apart as
 * ordex_engine_set_input says (by content by default).  password may be
 * NULL.  On failure *out is NULL and the status says why. */
ORDEX_API ordex_status ordex_document_open_file(ordex_engine *engine,
                                                const char *path,
                                                const char *password,
                                                ordex_document **out);

/** Opens a PDF or text held in memory (copied), told apart as
 * ordex_engine_set_input says.  name appears in messages and in the JSON
 * ("source.file"); it may be NULL. */
ORDEX_API ordex_status ordex_document_open_memory(ordex_engine *engine,
                                                  const void *data,
                                                  size_t len,
                                                  const char *password,
                                                  const char *name,
                                                  ordex_document **out);

/** Opens plain text (stages 2-6 without a PDF): paragraphs are
 * separated by blank lines, a form feed starts a new page.  The bytes are
 * in the engine's encoding (ordex_engine_set_encoding): by default UTF-8
 * when valid, else the encoding ICU's charset detector finds.
 * ORDEX_ERR_UTF8 when they cannot be decoded.  The JSON's source.sha256
 * is that of the bytes given. */
ORDEX_API ordex_status ordex_document_open_text(ordex_engine *engine,
                                                const char *text,
                                                size_t len,
                                                const char *name,
                                                ordex_document **out);

/** Frees a document.  NULL is ignored. */
ORDEX_API void ordex_document_free(ordex_document *doc);

/** Pages in the document; for text input, the pages its form feeds
 * start (a form feed with only white space after it starts none), at
 * least 1 when there is any text. */
ORDEX_API int ordex_document_page_count(const ordex_document *doc);

/* Intermediate stages, for ordex_document_dump. */
typedef enum ordex_stage {
    ORDEX_STAGE_TEXT = 0, /* clean text */
    ORDEX_STAGE_SEGMENTS, /* blocks and sentences with kinds and positions */
    ORDEX_STAGE_MATCHES   /* every rule that fired, with captures */
} ordex_stage;

/** Renders a stage as text into *out (free with ordex_free). */
ORDEX_API ordex_status ordex_document_dump(ordex_document *doc,
                                           ordex_stage stage, char **out);

/* ---- Extraction ------------------------------------------------------ */

/** Runs the whole pipeline.  *out receives the result (free with
 * ordex_result_free).  A document some of whose pages could not be read
 * still gives a result; see ordex_result_incomplete. */
ORDEX_API ordex_status ordex_extract(ordex_document *doc,
                                     ordex_result **out);

/** Frees a result.  NULL is ignored. */
ORDEX_API void ordex_result_free(ordex_result *result);

/** Returns 1 when some page had no readable text (see "warnings").  A page
 * that OCR read, or looked at and found nothing to read on (blank, solid
 * dark areas, a picture: "ocr_skipped" in source.text_source), does not
 * count, even when it holds no text. */
ORDEX_API int ordex_result_incomplete(const ordex_result *result);

/** Serialises the result as JSON (options: ORDEX_JSON_*).  Returns NULL
 * for unknown option bits.  The same input always gives the same bytes. */
ORDEX_API char *ordex_result_to_json(const ordex_result *result,
                                     unsigned options);

/** Writes a copy of the document's PDF to out_path with a highlight
 * annotation over every extracted directive, deadline, judge, attorney and
 * dataset mention, coloured by kind, each with a note giving the record
 * (for a deadline: the date and how it was computed).  The input file is
 * never modified.  out_path is written atomically and checked (a
 * temporary file beside it, every write and the size checked, fsync,
 * rename); a symbolic link is followed, a device or FIFO written in
 * place.  *n_annotations (may be
 * NULL) receives the count.  ORDEX_ERR_ARG for text documents,
 * ORDEX_ERR_IO when out_path cannot be written. */
ORDEX_API ordex_status ordex_result_highlight(ordex_document *doc,
                                              const ordex_result *result,
                                              const char *out_path,
                                              int *n_annotations);

/* ---- Records without JSON ------------------------------------------------ */

/* A record kind is the name of its array in the JSON: "directives",
 * "deadlines", "changes", "attorneys", "judges", "datasets"; "case" is the one case
 * object (count 1). */
typedef struct ordex_record ordex_record;

/** Number of records of kind (0 for an unknown kind). */
ORDEX_API size_t ordex_result_count(const ordex_result *result,
                                    const char *kind);

/** Record i of kind, or NULL when out of range.  Borrowed from result. */
ORDEX_API const ordex_record *ordex_result_record(const ordex_result *result,
                                                  const char *kind,
                                                  size_t i);

/** A string field ("date", "actor", "text", ...), or NULL when the field
 * is absent, null or not a string.  Borrowed from the result. */
ORDEX_API const char *ordex_record_string(const ordex_record *rec,
                                          const char *field);

/** An integer or boolean field into *out; returns 0 when absent or of
 * another type (then *out is untouched), 1 on success. */
ORDEX_API int ordex_record_int(const ordex_record *rec, const char *field,
                               long *out);

/** The record's position: 1-based page (0 when unknown), code-point
 * offsets into the clean text, and the box [x0, y0, x1, y1] in PDF points
 * from the page's top-left corner (zeros when unknown).  Any pointer may
 * be NULL.  Returns 1 when the record has a position, 0 otherwise. */
ORDEX_API int ordex_record_position(const ordex_record *rec, int *page,
                                   long *start, long *end, double bbox[4]);

/* Stages timed by ordex_document_profile, in this order: Poppler text
 * layer, normalisation, segmentation, rule matching, records, JSON (the
 * tree; ordex_result_to_json, timed by its caller, serialises it), and
 * OCR (rendering pages and Tesseract; last, so that the places of the
 * six older stages do not change). */
#define ORDEX_N_PROFILE_STAGES 7

/** Copies the seconds each stage took for this document (after
 * ordex_extract or ordex_document_dump) into seconds[0..n-1], at most
 * ORDEX_N_PROFILE_STAGES of them.  n must be at least 6 (the stages
 * before OCR was added), else ORDEX_ERR_ARG. */
ORDEX_API ordex_status ordex_document_profile(const ordex_document *doc,
                                              double seconds[], int n);

/** One-shot: PDF path in, JSON out, with the installed grammars.  On
 * success *json_out holds the document JSON (free with ordex_free). */
ORDEX_API ordex_status ordex_pdf_to_json(const char *path,
                                         unsigned json_options,
                                         char **json_out);

#ifdef __cplusplus
}
#endif

#endif /* ORDEX_H */

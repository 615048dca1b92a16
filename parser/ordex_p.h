/*
 * ordex_p.h - private interfaces between the pipeline stages.
 *
 * The pipeline, by stage and file:
 *   pdf.c      stage 1  Poppler -> od_pdf_page (glyphs with boxes and font cues)
 *   ocr.c      stage 1b rendered page -> Tesseract -> od_pdf_page (scans)
 *   libmsg.c            what Poppler, libjpeg and Leptonica print, caught per
 *                       document as "library_message" warnings
 *   textin.c            text input: PDF or text by content, encodings -> UTF-8
 *   text.c     stage 2  od_pdf_page[] -> od_text (clean UTF-16 text + position
 *                       map; interface in text_p.h), its two passes, plain text;
 *                       its parts share text_int.h:
 *     text_pos.c        the position map, the output buffer, the queries
 *     text_norm.c       Unicode normalisation, letter spacing, line-end hyphens
 *     text_furniture.c  margin numbers, stamps, page numbers, running
 *                       headers, footnotes
 *     text_order.c      lines, reading order, paragraphs
 *     text_trust.c      whether a page's text layer can be trusted
 *   words.c             hunspell's word list, for the line-end hyphens
 *   ecf.c               page stamps for stage 2, from the "stamp" rules
 *   segment.c  stage 3  od_text -> blocks with kinds (cues: the "segment"
 *                       rules), sentences
 *   grammar.c  stage 4a grammars/NAME.rules -> od_grammar_set (compiled rules;
 *                       grammar_p.h, shared with match.c)
 *   prefilter.c stage 4a/4b the Hyperscan scan of every rule's necessary
 *                       literals, which picks the blocks each rule runs on
 *   match.c    stage 4b od_grammar_set x od_text/segments -> od_match[];
 *                       od_line_matcher: the "segment" and "stamp" rules
 *                       over one short text, for stages 2 and 3
 *   dates.c             date parsing and Fed. R. Civ. P. 6(a) computation
 *   records.c  stage 5  matches -> records: od_records_build, shared helpers
 *                       (records_p.h); the records themselves, by job
 *                       (stage5_p.h):
 *     case.c            the case record and its judge
 *     directives.c      directives and the deadline records (od_build_orders)
 *     deadlines.c       the deadline side: Rule 6(a) periods, schedule rows, trial
 *     changes.c         change records
 *     datasets.c        dataset records
 *     attorneys.c       attorney and judge records from counsel blocks,
 *                       signatures and the judge rules
 *     dockind.c         the document's kind and whether its records bind
 *   json.c     stage 6  records -> deterministic JSON; dump.c: --dump views
 *   highlight.c         the reviewers' copy of the PDF (--highlight)
 *   ordex.c             the public API gluing the stages together
 *   outfile.c, shipped.c, util.c  writing files, the compiled-in grammars,
 *                       helpers shared by all
 *
 * Text is carried as UTF-16 (ICU's native form): every offset named
 * "start"/"end" in these interfaces is a UTF-16 code-unit index into
 * od_text.buf, end exclusive.  The JSON converts them to code points.
 *
 * Memory: every structure here is owned by whoever created it through the
 * matching _new/_build function and released by the matching _free, which
 * accepts NULL.  Out-of-memory aborts (GLib's g_malloc policy).
 */
#ifndef ORDEX_P_H
#define ORDEX_P_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>
#include <unicode/utypes.h>

#include "ordex.h"

/* ------------------------------------------------------------------ */
/* Common                                                              */

/* A rectangle in PDF points, origin at the top-left corner of the page,
 * y growing downwards (the convention of poppler_page_get_text_layout). */
typedef struct od_box {
    float x0, y0, x1, y1;
} od_box;

/* A warning attached to the document (goes to "warnings" in the JSON). */
typedef struct od_warning {
    char *code;    /* stable machine word: "no_text_layer", "undecodable_text", ... */
    int page;      /* 1-based page, 0 when not about one page */
    char *message; /* one human sentence */
} od_warning;

void od_warning_free(od_warning *w);
/* Appends a new od_warning to arr (a GPtrArray with od_warning_free as
 * its free function). */
void od_warnings_add(GPtrArray *arr, const char *code, int page,
                     const char *fmt, ...) G_GNUC_PRINTF(4, 5);

/* libmsg.c: messages of the libraries underneath (Poppler's GLib log
 * domain, which also carries Poppler's error callback and libjpeg's
 * messages; Leptonica), caught per document instead of printed.  A
 * document's catcher is shared by the threads reading it. */
typedef struct od_libmsgs od_libmsgs;
/* catch_stderr: also what is printed to fd 2 between
 * od_libmsgs_stderr_begin and _end (ORDEX_ENGINE_CATCH_STDERR). */
od_libmsgs *od_libmsgs_new(bool catch_stderr);
void od_libmsgs_free(od_libmsgs *m);
/* From now on, library messages of the calling thread go to m, about
 * page (1-based; 0: the document); m NULL: they are dropped. */
void od_libmsgs_catch(od_libmsgs *m, int page);
/* A message of library lib ("Poppler") for the calling thread's catcher
 * (the libraries' handlers call it). */
void od_libmsgs_add(const char *lib, const char *text);
/* Around a call that may print to stderr directly (Poppler's rendering,
 * libjpeg inside it): when the calling thread's catcher takes stderr, fd
 * 2 goes to a temporary file until _end, which adds each line it holds
 * (one such section at a time in the process).  Else nothing. */
void od_libmsgs_stderr_begin(void);
void od_libmsgs_stderr_end(void);
/* Appends the caught messages to warnings (code "library_message"), each
 * distinct text once with the first page it came with, sorted by page
 * and text, at most 20 and then one that counts the rest. */
void od_libmsgs_warn(od_libmsgs *m, GPtrArray *warnings);

/* Sets *msg (if msg and !*msg) to a g_strdup_printf'ed message. */
void od_set_msg(char **msg, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* qsort / g_array_sort order of floats, ascending. */
int od_cmp_float(const void *a, const void *b);

/* outfile.c: path with its symbolic links followed (g_free). */
char *od_resolve_output(const char *path);
/* Writes len bytes to path: a link is followed, a device or FIFO written
 * in place, else a temporary file beside the target (every write and the
 * size checked, fsync) renamed over it.  False and *msg ("cannot write:
 * REASON") on failure, leaving the target untouched. */
bool od_write_file(const char *path, const char *data, size_t len, char **msg);

/* ------------------------------------------------------------------ */
/* Stage 1: pdf.c                                                      */

enum {
    OD_GLYPH_BOLD = 1u << 0,
    OD_GLYPH_ITALIC = 1u << 1,
};

typedef struct od_glyph {
    gunichar ch;  /* as Poppler reports it (before any normalisation) */
    od_box box;   /* the character's box */
    float size;   /* font size in points (0 when unknown) */
    uint8_t flags; /* OD_GLYPH_* */
} od_glyph;

/* One page's text layer.  Glyphs follow Poppler's reading order, and
 * Poppler's own line breaks are kept as glyphs with ch == '\n' (box of
 * the preceding glyph). */
/* Where the glyphs of a page come from ("source.text_source" in the JSON). */
typedef enum od_text_source {
    OD_SOURCE_PDF = 0, /* the PDF's text layer */
    OD_SOURCE_OCR,     /* OCR only */
    OD_SOURCE_MIXED,   /* OCR plus text-layer glyphs kept (the ECF stamp) */
} od_text_source;

typedef struct od_pdf_page {
    int number;           /* 1-based */
    double width, height; /* points */
    od_glyph *glyphs;
    size_t n_glyphs;
    double image_area;    /* fraction (0..1) of the page covered by images */
    uint8_t source;       /* od_text_source */
} od_pdf_page;

typedef struct od_pdf od_pdf; /* an open PDF (wraps PopplerDocument) */

/* Opens a PDF.  On failure returns NULL, sets *status to one of
 * ORDEX_ERR_IO, ORDEX_ERR_NOT_PDF, ORDEX_ERR_CORRUPT, ORDEX_ERR_ENCRYPTED,
 * ORDEX_ERR_EMPTY and *msg to a reason without the file name
 * ("file is encrypted and no password was given"). */
od_pdf *od_pdf_open_file(const char *path, const char *password,
                         ordex_status *status, char **msg);
/* Same from memory; data must stay valid until od_pdf_free. */
od_pdf *od_pdf_open_data(const void *data, size_t len, const char *password,
                         ordex_status *status, char **msg);
void od_pdf_free(od_pdf *pdf);
/* Opens the PDF of pdf once more, over the same bytes (shared) and with
 * the same password: one od_pdf per thread when several threads read
 * pages of one document (an od_pdf must not be used by two threads at
 * once).  NULL when Poppler cannot open it again. */
od_pdf *od_pdf_open_again(const od_pdf *pdf);
/* Poppler's one-time set-up (its global parameters, GLib types, font
 * lookup), done by opening a one-page PDF and reading its text once per
 * process, with Poppler's GLib log domain sent to the thread's catcher
 * (od_libmsgs_catch); ordex_engine_compile calls it before threads share
 * the engine. */
void od_pdf_init(void);
/* ocr.c: Leptonica's warnings and errors to the thread's catcher, its
 * other messages off, once per process (also done by the first OCR);
 * ordex_engine_compile calls it. */
void od_ocr_init(void);
int od_pdf_n_pages(const od_pdf *pdf);
/* SHA-256 of the file bytes, lower-case hex (64 chars + NUL). */
const char *od_pdf_sha256(const od_pdf *pdf);
/* Loads one page's text layer (index 0-based).  Returns NULL with *msg set
 * when the page cannot be read. */
od_pdf_page *od_pdf_page_load(od_pdf *pdf, int index, char **msg);
void od_pdf_page_free(od_pdf_page *page);
/* Renders page index (0-based) at dpi as 8-bit grey, one byte a pixel,
 * *width bytes a row, *height rows; scaled down further when the bitmap
 * would exceed max_pixels (0: no cap).  *scale receives pixels per point.
 * Returns a g_malloc'ed buffer, or NULL with *msg set. */
guint8 *od_pdf_page_render_gray(od_pdf *pdf, int index, double dpi,
                                double max_pixels, int *width, int *height,
                                double *scale, char **msg);

/* ------------------------------------------------------------------ */
/* Stage 1b: ocr.c (the only file that sees Tesseract)                 */

/* The OCR of one document: a Tesseract handle made on first use and
 * kept for the document's later pages.  Not thread-safe: one per
 * document. */
typedef struct od_ocr od_ocr;

od_ocr *od_ocr_new(void);
void od_ocr_free(od_ocr *ocr);

/* Whether a rendered page is worth Tesseract's time, and if not why
 * ("source.text_source[].ocr_skipped" in the JSON). */
typedef enum od_ocr_skip {
    OD_OCR_READ = 0,
    OD_OCR_SKIP_BLANK,      /* "blank_page": almost no ink */
    OD_OCR_SKIP_DARK,       /* "dark_areas": mostly solid dark areas (redaction) */
    OD_OCR_SKIP_PICTURE,    /* "picture": much ink, little of it letter-shaped */
    OD_OCR_SKIP_NO_LETTERS, /* "no_letter_shapes": some ink, few letter shapes */
    OD_OCR_SKIP_N
} od_ocr_skip;

/* What the look before Tesseract measured on a page: shares of the
 * page's area (at half the rendering's resolution). */
typedef struct od_ocr_look {
    double ink;         /* dark pixels */
    double solid_share; /* share of the ink in solid areas 10 pt or more across */
    double known_share; /* share of the ink over the known boxes */
    double letter_ink;  /* dark pixels in letter-shaped components */
    int letters;        /* letter-shaped components */
    int components;     /* all connected components */
} od_ocr_look;

/* Measures the grey rendering px (w x h, scale pixels a point; dark is
 * below 128).  known (n_known boxes in points, may be NULL) is text the
 * page's layer already has: components over it are not counted as
 * letters.  Returns false (and a zeroed *look) when Leptonica fails. */
bool od_ocr_look_at(const guint8 *px, int w, int h, double scale,
                    const od_box *known, size_t n_known, od_ocr_look *look);

/* Decides from a look whether the page goes to Tesseract. */
od_ocr_skip od_ocr_look_decide(const od_ocr_look *look);

/* The JSON code of a skip ("blank_page"), NULL for OD_OCR_READ; and its
 * explanation for a warning ("it is blank"). */
const char *od_ocr_skip_code(od_ocr_skip s);
const char *od_ocr_skip_reason(od_ocr_skip s);

/* Reads page index of pdf by OCR.  pdf_layer is the page's text layer
 * (may be NULL); its ECF stamp glyphs are kept, and all its glyphs when
 * keep_text (a layer that is right but incomplete), and OCR words over
 * kept glyphs are dropped.  Returns a page whose glyphs are the words
 * Tesseract read (a box per character, interpolated across the word;
 * spaces between words, '\n' after each line), in the same points as
 * stage 1, with source OD_SOURCE_OCR or OD_SOURCE_MIXED; *confidence
 * receives the mean word confidence (0-100, per character; -1 when no
 * word was read).  A page the look before Tesseract finds nothing to read
 * on (od_ocr_look_decide) is not read: NULL, *msg untouched and
 * *skipped says why (else OD_OCR_READ).  Returns NULL with *msg set on
 * failure; *unavailable is set when Tesseract or its language data cannot
 * be loaded (then every later call fails at once). */
od_pdf_page *od_ocr_page(od_ocr *ocr, od_pdf *pdf, int index,
                         const od_pdf_page *pdf_layer, bool keep_text,
                         double *confidence, od_ocr_skip *skipped,
                         bool *unavailable, char **msg);

/* A Tesseract box in pixels (left, top, right, bottom) as a box in
 * points at scale pixels per point, both with the origin at the top-left
 * corner. */
od_box od_ocr_px_to_box(int left, int top, int right, int bottom,
                        double scale);

/* ------------------------------------------------------------------ */
/* ECF stamp: ecf.c                                                    */

/* "Case 1:25-md-03143-SHS-OTW Document 812 Filed 11/24/25 Page 2 of 5"
 * and its variants (PageID, "Entered", appellate "Case: 17-2400
 * Document: 3 Filed: 07/07/2017 Pages: 1"...). */
typedef struct od_ecf {
    char case_number[64]; /* as printed: "1:25-md-03143-SHS-OTW" */
    char document[32];    /* "812", "812-1" (attachment) */
    char filed[11];       /* ISO "2025-11-24", "" when absent */
    int page;             /* "Page 2 of 5" -> 2; 0 when absent */
    int page_count;       /* -> 5; 0 when absent */
    char page_id[32];     /* "PageID #: 1234" -> "1234", "" when absent */
} od_ecf;

/* Parses one line of text (UTF-8) with the rules of kind "stamp"
 * (grammars/stamp.rules).  Returns true and fills *out when the line is a
 * stamp: one line rule matched, with a case number and something only
 * stamps have (a date, a page, ...). */
bool od_ecf_parse(const char *line, size_t len, od_ecf *out);
/* Makes od_ecf_parse on the calling thread use the stamp rules of g (a
 * compiled set that must outlive the use) until od_ecf_use(NULL); a thread
 * that has set none uses the shipped stamp.rules.  False with *msg set
 * when the rules cannot be prepared (the shipped ones are used then). */
typedef struct od_grammar_set od_grammar_set;
bool od_ecf_use(const od_grammar_set *g, char **msg);

/* ------------------------------------------------------------------ */
/* Stage 2: text.c and its parts; the interface is in text_p.h         */

/* The clean text of a document (text_p.h).  Later stages that read its
 * fields or call the od_text_ functions include text_p.h. */
typedef struct od_text od_text;

/* Text input (textin.c), before stage 2. */
/* "%PDF-" within the first 1024 bytes. */
bool od_bytes_look_like_pdf(const char *data, size_t len);
/* No control bytes but whitespace, 0x1a and ESC (or a UTF-16 byte-order
 * mark); false for no bytes. */
bool od_bytes_look_like_text(const char *data, size_t len);
/* Whether ICU has a converter of that name. */
bool od_encoding_known(const char *name);
/* The bytes as UTF-8 (g_malloc'ed, NUL ended, length in *out_len): from
 * encoding when given, else UTF-8 when valid, else the encoding ICU's
 * charset detector names.  NULL with *msg ("invalid UTF-8 at byte N",
 * "invalid ISO-8859-1 at byte N") when they cannot be decoded. */
char *od_text_to_utf8(const char *data, size_t len, const char *encoding,
                      size_t *out_len, char **msg);

/* ------------------------------------------------------------------ */
/* Stage 3: segment.c                                                  */

typedef enum od_block_kind {
    OD_BLOCK_CAPTION = 0,   /* court name, parties, case number, title area */
    OD_BLOCK_HEADING,       /* section headings, document title */
    OD_BLOCK_BODY,          /* body paragraph */
    OD_BLOCK_NUMBERED,      /* numbered/lettered paragraph ("1.", "(a)") */
    OD_BLOCK_FOOTNOTE,
    OD_BLOCK_SIGNATURE,     /* signature block, "SO ORDERED", date/judge lines */
    OD_BLOCK_QUOTE,         /* block quotation (indented both sides) */
    OD_BLOCK_N_KINDS
} od_block_kind;

/* Stable names used in grammars and in --dump=segments:
 * "caption" "heading" "body" "numbered" "footnote" "signature" "quote". */
const char *od_block_kind_name(od_block_kind k);
/* Returns -1 when unknown. */
int od_block_kind_from_name(const char *name);

typedef struct od_block {
    int32_t start, end;
    od_block_kind kind;
    int para;          /* index into od_text.paras */
    int first_sentence, n_sentences;
} od_block;

typedef struct od_sentence {
    int32_t start, end; /* trimmed of surrounding whitespace */
    int block;
} od_sentence;

typedef struct od_segments {
    od_block *blocks;
    size_t n_blocks;
    od_sentence *sentences;
    size_t n_sentences;
} od_segments;

/* Segments t.  g: the compiled grammar set whose rules of kind "segment"
 * give the block cues (NULL: no cues, layout alone).  abbrevs:
 * NULL-terminated list of abbreviations that do not end a sentence when
 * followed by '.', e.g. "Fed", "Civ", "U.S.C", "v", "No", "Inc", "Id",
 * "F.3d" (without the final period).  Returns NULL with *msg set only on
 * an ICU failure. */
od_segments *od_segment(const od_text *t, const od_grammar_set *g,
                        const char *const *abbrevs, char **msg);
void od_segments_free(od_segments *s);

/* ------------------------------------------------------------------ */
/* Stage 4a: grammar.c                                                 */

/* Words, as rule triggers (grammar.c) and segmentation cues (segment.c)
 * see them: maximal runs of letters and digits (ICU's u_isalnum), case
 * folded, as UTF-8.  A chain of single characters joined by dots
 * ("L.L.P.", "P.C.") also yields its characters run together ("llp",
 * "pc").  Words longer than OD_WORD_MAX bytes are not reported. */
enum { OD_WORD_MAX = 63 };
typedef void (*od_word_fn)(const char *word, size_t len, void *data);
void od_words_each(const UChar *s, int32_t n, od_word_fn fn, void *data);

typedef struct od_grammar_set od_grammar_set;
typedef struct od_rule od_rule;
typedef struct od_lexicon od_lexicon;

/* A grammar source: either a file on disk or bytes (fuzzing, tests). */
od_grammar_set *od_grammar_set_new(void);
void od_grammar_set_free(od_grammar_set *g);
/* Adds every *.rules file of dir (sorted by name).  Rules of a later
 * add override earlier rules with the same id.  Errors are appended to
 * *errors (a GString, one "FILE:LINE:COL: message\n  line\n  ^\n" each). */
bool od_grammar_set_add_dir(od_grammar_set *g, const char *dir,
                            GString *errors);
bool od_grammar_set_add_data(od_grammar_set *g, const char *filename,
                             const char *data, size_t len, GString *errors);
/* Adds n grammar files as one folder (what add_dir does once it has read
 * them): the same name twice among them is an error, and they override
 * what was added before.  file is used in error messages. */
typedef struct od_grammar_src {
    const char *file;
    const char *data;
    size_t len;
} od_grammar_src;
bool od_grammar_set_add_group(od_grammar_set *g, const od_grammar_src *srcs,
                              size_t n, GString *errors);

/* Resolves definitions and compiles every pattern.  After this the set is
 * immutable and may be shared by threads (matching clones what it must). */
bool od_grammar_set_compile(od_grammar_set *g, GString *errors);
/* Triggers are on by default; off, every rule runs on every block of its
 * contexts (the result must be the same: tests compare the two). */
void od_grammar_set_use_triggers(od_grammar_set *g, bool on);
/* The grammar set of an engine (ordex.c), for tests. */
od_grammar_set *od_engine_grammars(ordex_engine *e);

/* Loaded grammars: name and version, for the JSON. */
size_t od_grammar_set_n_grammars(const od_grammar_set *g);
void od_grammar_set_grammar(const od_grammar_set *g, size_t i,
                            const char **name, const char **version);

const od_lexicon *od_grammar_set_lexicon(const od_grammar_set *g,
                                         const char *name);
/* Canonical name for an alias seen in text (UTF-8), or NULL. */
const char *od_lexicon_lookup(const od_lexicon *lex, const char *text);
/* Where od_lexicon_find looks: anywhere in the text, only at its start,
 * or anywhere but at its start ("LLP" after a firm's name, not alone). */
typedef enum { OD_FIND_ANYWHERE, OD_FIND_START, OD_FIND_NOT_START } od_find_where;
/* Canonical name of the first entry (in file order) one of whose
 * spellings occurs inside text (where says where), or NULL.  Compared as
 * od_lexicon_lookup compares (white space, and case for a nocase lexicon,
 * do not matter); a spelling that begins or ends with a letter or digit
 * must not touch another letter or digit there ("court" is not found in
 * "courtroom"). */
const char *od_lexicon_find(const od_lexicon *lex, const char *text, od_find_where where);
/* Entries, for users such as segment.c (abbreviations): canonical names
 * of entry i, and all its aliases (NULL-terminated). */
size_t od_lexicon_n_entries(const od_lexicon *lex);
const char *od_lexicon_canonical(const od_lexicon *lex, size_t i);
const char *const *od_lexicon_aliases(const od_lexicon *lex, size_t i);

const char *od_rule_id(const od_rule *r);
const char *od_rule_kind(const od_rule *r);
int od_rule_priority(const od_rule *r);
/* The value of r's 'set NAME = VALUE' line, or NULL when it has none. */
const char *od_rule_set_value(const od_rule *r, const char *name);

/* ------------------------------------------------------------------ */
/* Stage 4b: match.c                                                   */

typedef struct od_field {
    const char *name;   /* capture group or "set" name, owned by the rule */
    int32_t start, end; /* span for a capture (-1,-1 when it did not take part) */
    const char *value;  /* literal value for a "set" field, else NULL */
} od_field;

typedef struct od_match {
    const od_rule *rule;
    int32_t start, end; /* whole match */
    int block, sentence; /* indices into od_segments (sentence of start) */
    od_field *fields;
    int n_fields;
} od_match;

typedef struct od_matches {
    od_match *items; /* sorted by start, then end descending, then rule id */
    size_t n;
    GPtrArray *warnings; /* od_warning*: rules that hit a limit */
} od_matches;

/* Runs every non-suppressing rule over the blocks whose kind the rule
 * allows, drops matches hit by suppressing rules, resolves overlaps of
 * one kind by priority.  time_limit: ICU regex time limit (uregex
 * setTimeLimit units) per match call, 0 for ICU's default. */
od_matches *od_match_run(const od_grammar_set *g, const od_text *t,
                         const od_segments *s, int32_t time_limit,
                         char **msg);
void od_matches_free(od_matches *m);
/* The field named name of m, or NULL. */
const od_field *od_match_field(const od_match *m, const char *name);

/* The rules of one kind ("stamp", "segment") run one at a time over a
 * short UTF-16 text, for the stages before 4 (ECF stamps in stage 2,
 * block cues in stage 3); od_match_run leaves these kinds out.  The
 * matcher holds a clone of each rule's regex: one matcher per thread.
 * new returns NULL with *msg set on invalid arguments or an ICU failure;
 * free accepts NULL. */
typedef struct od_line_matcher od_line_matcher;
od_line_matcher *od_line_matcher_new(const od_grammar_set *g, const char *kind,
                                     char **msg);
void od_line_matcher_free(od_line_matcher *lm);
/* The kind's compiled rules, in load order (later folders last). */
size_t od_line_matcher_n_rules(const od_line_matcher *lm);
const od_rule *od_line_matcher_rule(const od_line_matcher *lm, size_t i);
/* Sets the text (kept, not copied: it must outlive the finds) and notes
 * which trigger words it holds. */
bool od_line_matcher_set_text(od_line_matcher *lm, const UChar *buf, int32_t len,
                              char **msg);
/* Finds the first match of rule i in [from, to) of the text, with opaque,
 * anchoring bounds (^ and \G match at from, $ at to).  A rule with
 * triggers of which the text holds none does not match.  Returns 1 and
 * fills *m (its fields stay valid until the next find), 0 when there is
 * no match, -1 with *msg set on an ICU failure. */
int od_line_matcher_find(od_line_matcher *lm, size_t i, int32_t from, int32_t to,
                         od_match *m, char **msg);

/* ------------------------------------------------------------------ */
/* Dates: dates.c                                                      */

typedef struct od_date {
    int year, month, day; /* month 1-12 */
} od_date;

bool od_date_valid(int year, int month, int day);
int od_date_weekday(od_date d); /* 0 = Sunday .. 6 = Saturday */
od_date od_date_add_days(od_date d, int days);
int od_date_diff(od_date a, od_date b); /* b - a in days */
void od_date_iso(od_date d, char out[11]);
/* "Sunday".."Saturday" for 0..6 (static), "" for anything else. */
const char *od_date_weekday_name(int wd);

/* Parses one date as written in US legal text (UTF-8): "December 8, 2025",
 * "Dec. 8, 2025", "12/8/2025", "12/08/25", "8 December 2025", "the 8th day
 * of December, 2025", "Friday, June 7, 2019", "2025-12-08".  The whole
 * string must be the date (surrounding whitespace allowed).  *ambiguous is
 * set when a numeric date could be read two ways.  Returns false for
 * anything else, including impossible dates (February 30). */
bool od_date_parse(const char *s, size_t len, od_date *out, bool *ambiguous);
/* Parses a time of day: "10:30 a.m.", "2:00 PM", "noon", "5 p.m.".
 * Writes "HH:MM" (24-hour). */
bool od_time_parse(const char *s, size_t len, char out[6]);

/* words.c: hunspell's en_US word list.  od_word_known: 1 when word (UTF-8,
 * no hyphen) is an English word, 0 when not, -1 when no dictionary is
 * installed.  od_word_stem: the shortest stem of word ("filing" ->
 * "file"), or NULL; g_free it. */
void od_words_init(void);
int od_word_known(const char *word);
char *od_word_stem(const char *word);
/* "fourteen (14)", "14", "fourteen", "thirty-one" -> value; false if not a
 * number. */
bool od_number_parse(const char *s, size_t len, int *out);

/* Legal holidays of Fed. R. Civ. P. 6(a)(6)(A) (federal holidays, with
 * the observed-day rule: Saturday -> Friday before, Sunday -> Monday
 * after). */
bool od_is_legal_holiday(od_date d, const char **name);

typedef enum od_period_unit {
    OD_UNIT_DAYS,          /* calendar days (Rule 6(a)(1)) */
    OD_UNIT_COURT_DAYS,    /* court / business days: skip weekends+holidays */
    OD_UNIT_WEEKS,
    OD_UNIT_MONTHS,
} od_period_unit;

/* Computes the end of a period of n units from anchor under Rule 6(a).
 * backward: counted before the event (6(a)(5)).  Writes the computation
 * to explain ("2025-11-24 + 14 days = 2025-12-08; rolled forward from
 * Saturday 2025-12-06 ...", a g_malloc'ed string, may be NULL). */
od_date od_rule6_compute(od_date anchor, int n, od_period_unit unit,
                         bool backward, char **explain);

/* ------------------------------------------------------------------ */
/* Stage 5 and 6: records.c (and stage5_p.h), json.c                  */

/* Records are kept as JSON objects (json-glib JsonObject) in a fixed key
 * order; the public accessors read fields from them. */
/* How the text of one page was obtained ("source.text_source"). */
typedef struct od_page_source {
    uint8_t source;   /* od_text_source */
    uint8_t reason;   /* od_trust: why the text layer was distrusted */
    uint8_t skipped;  /* od_ocr_skip: why OCR found nothing to read */
    double confidence; /* OCR confidence 0-100, < 0 when not OCR'd */
} od_page_source;

typedef struct od_doc_info {
    const char *file;     /* as given by the caller, may be NULL */
    const char *sha256;   /* may be NULL (text input) */
    const char *input;    /* "pdf" or "text" */
    int n_pages;
    const od_page_source *pages; /* n_pages entries, NULL for text input */
} od_doc_info;

#endif /* ORDEX_P_H */

/*
 * grammar.c - stage 4a: loads grammars/NAME.rules files (the rule
 * language documented in grammars/README.md) into an od_grammar_set,
 * then resolves {{definitions}} and {{@lexicons}} and compiles every
 * pattern with ICU, checking each rule's named groups and 'set' lines
 * against the 'fields' block of its record kind.  Rules are data: this
 * file knows the syntax, never the rules.  Every mistake is reported as
 * "FILE:LINE:COL: message" with the source line and a caret; the loader
 * accepts any bytes without crashing.  Stage 4b (match.c) runs the
 * compiled set over a document.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "grammar_p.h"

const char *const od_kind_names[OD_N_KINDS] = {
    "case", "directive", "deadline", "event",
    "attorney", "judge", "dataset", "segment", "change", "document",
    "stamp",
};

/* Block kinds by name, in the order of od_block_kind (kept here so that
 * the grammar stage does not depend on segment.c). */
static const char *const context_names[OD_BLOCK_N_KINDS] = {
    "caption", "heading", "body", "numbered", "footnote", "signature", "quote",
};

#define ALL_CONTEXTS ((1u << OD_BLOCK_N_KINDS) - 1u)
#define MAX_ERRORS_PER_FILE 100
#define MAX_DEF_DEPTH 64
#define MAX_PATTERN_BYTES (1u << 20)

static const char STATEMENTS[] =
    "grammar kind define lexicon fields rule suppress disable";
static const char RULE_KEYS[] = "kind context priority pattern set flags trigger example";
static const char SUPPRESS_KEYS[] = "kinds scope context pattern flags trigger example";

/* ---- Data ------------------------------------------------------------ */

/* One source line's contribution to a (possibly continued) value. */
typedef struct srcseg {
    size_t val_off;    /* byte offset in the value where this piece starts */
    int line;          /* 1-based line number */
    size_t col_byte;   /* byte offset in the line where the piece starts */
    const char *text;  /* the whole source line (in the set's string chunk) */
    size_t text_len;
} srcseg;

/* A value that may span continuation lines, with its source positions. */
typedef struct srcval {
    const char *file;
    GString *value;
    GArray *segs; /* srcseg */
} srcval;

/* Where a 'set' line of a rule is, for the field checks. */
typedef struct setpos {
    int line;
    const char *text; /* the source line (in the set's string chunk) */
    size_t text_len, name_col, value_col;
} setpos;

struct od_rule_src {
    guint index; /* in od_grammar_set.rules */
    const char *file;
    int line;
    const char *head;   /* the 'rule ID' line, for errors about the whole rule */
    size_t head_len, head_col;
    int generation;
    srcval pat;
    bool has_pattern;
    bool tried;            /* compile_rule ran on it */
    GPtrArray *set_names;  /* const char* in the string chunk */
    GPtrArray *set_values;
    GArray *set_pos;       /* setpos, one per set_names entry */
    GArray *examples;      /* od_example, or NULL */
    srcval trig;           /* the 'trigger' words as written */
    bool has_trigger;
};

typedef enum { DEF_NEW = 0, DEF_EXPANDING, DEF_DONE, DEF_FAILED } def_state;

typedef struct defn {
    guint index; /* in od_grammar_set.defs */
    const char *name;
    srcval val;
    int line, generation;
    def_state state;
    char *expanded; /* after compile, g_free */
} defn;

struct od_lexicon {
    guint index; /* in od_grammar_set.lexicons */
    const char *name;
    bool nocase;
    const char *file;
    int line, generation;
    GPtrArray *canon;    /* const char* (string chunk) */
    GPtrArray *aliases;  /* const char** NULL-terminated, g_free'd array */
    GHashTable *lookup;  /* normalised spelling (g_free) -> entry index + 1 */
    char *alternation;   /* built on first use by compile */
};

/* A 'fields KIND' block: the fields a rule of that kind may have. */
typedef enum { FIELD_TEXT = 0, FIELD_GROUP, FIELD_SET } field_type;

typedef struct fielddef {
    const char *name; /* in the set's string chunk, like the values */
    bool required;
    field_type type;
    GPtrArray *values; /* const char*: the values a 'set' may give; NULL: any */
} fielddef;

struct od_fielddecl {
    int kind;
    const char *file;
    int line, generation;
    GPtrArray *defs; /* fielddef*, in the order written */
};
typedef struct od_fielddecl fielddecl;

typedef struct ginfo {
    const char *name, *version, *file;
    int line, generation;
} ginfo;

struct od_grammar_set {
    GStringChunk *strs;
    int generation;     /* one per add_dir / add_data call */
    GPtrArray *grammars; /* ginfo*, g_free */
    GPtrArray *rules;    /* od_rule*, load order; NULL: disabled (until compacted) */
    bool rule_holes;
    GHashTable *rule_by_id;
    GPtrArray *defs;     /* defn* */
    GHashTable *def_by_name;
    GPtrArray *lexicons; /* od_lexicon* */
    GHashTable *lex_by_name;
    fielddecl *decls[OD_N_KINDS]; /* NULL: the kind's rules are not checked */
    GHashTable *declared;         /* every declared field name (compile); NULL: none */
    GPtrArray *diag;     /* od_rule* with errors, kept to check their patterns */
    /* Trigger words of all rules (see compile_triggers): folded word ->
     * id + 1, and prefixes ("word*") as (folded prefix, id) pairs. */
    GHashTable *trig_words;
    GPtrArray *trig_prefixes; /* trig_prefix*, g_free */
    int n_trig;
    bool no_triggers;         /* run every rule everywhere (tests) */
    od_prefilter *prefilter;  /* every translatable rule (prefilter.c) */
    bool failed;         /* an add reported errors */
    bool compiled, compile_ok;
};

/* ---- Small helpers ---------------------------------------------------- */

static void srcval_init(srcval *v, const char *file)
{
    v->file = file;
    v->value = g_string_new(NULL);
    v->segs = g_array_new(FALSE, TRUE, sizeof(srcseg));
}

static void srcval_clear(srcval *v)
{
    if (v->value)
        g_string_free(v->value, TRUE);
    if (v->segs)
        g_array_free(v->segs, TRUE);
    v->value = NULL;
    v->segs = NULL;
}

static void srcval_append(srcval *v, const char *s, size_t n, int line,
                          size_t col_byte, const char *text, size_t text_len)
{
    srcseg seg = {v->value->len, line, col_byte, text, text_len};

    g_array_append_val(v->segs, seg);
    g_string_append_len(v->value, s, (gssize)n);
}

/* Where byte offset off of the value came from. */
static const srcseg *srcval_locate(const srcval *v, size_t off, size_t *col_byte)
{
    const srcseg *best = NULL;

    for (guint i = 0; i < v->segs->len; i++) {
        const srcseg *s = &g_array_index(v->segs, srcseg, i);
        if (s->val_off <= off || !best)
            best = s;
    }
    if (best)
        *col_byte = best->col_byte + (off >= best->val_off ? off - best->val_off : 0);
    if (best && *col_byte > best->text_len)
        *col_byte = best->text_len;
    return best;
}

static void rule_free(od_rule *r)
{
    if (!r)
        return;
    g_free(r->field_names);
    g_free(r->field_values);
    g_free(r->groups);
    g_free(r->trig);
    g_free(r->scan_pattern);
    if (r->re)
        uregex_close(r->re);
    if (r->src) {
        srcval_clear(&r->src->pat);
        g_ptr_array_free(r->src->set_names, TRUE);
        g_ptr_array_free(r->src->set_values, TRUE);
        g_array_free(r->src->set_pos, TRUE);
        if (r->src->examples)
            g_array_free(r->src->examples, TRUE);
        srcval_clear(&r->src->trig);
        g_free(r->src);
    }
    g_free(r);
}

static void fielddef_free(fielddef *f)
{
    if (f && f->values)
        g_ptr_array_free(f->values, TRUE);
    g_free(f);
}

static void fielddecl_free(fielddecl *d)
{
    if (!d)
        return;
    g_ptr_array_free(d->defs, TRUE);
    g_free(d);
}

static const fielddef *fielddecl_find(const fielddecl *d, const char *name, size_t len)
{
    for (guint i = 0; d && i < d->defs->len; i++) {
        const fielddef *f = g_ptr_array_index(d->defs, i);
        if (strlen(f->name) == len && memcmp(f->name, name, len) == 0)
            return f;
    }
    return NULL;
}

static void defn_free(defn *d)
{
    if (!d)
        return;
    srcval_clear(&d->val);
    g_free(d->expanded);
    g_free(d);
}

static void lexicon_free(od_lexicon *lx)
{
    if (!lx)
        return;
    g_ptr_array_free(lx->canon, TRUE);
    g_ptr_array_free(lx->aliases, TRUE);
    g_hash_table_destroy(lx->lookup);
    g_free(lx->alternation);
    g_free(lx);
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static size_t skip_blanks(const char *s, size_t i, size_t n)
{
    while (i < n && is_blank(s[i]))
        i++;
    return i;
}

static size_t token_end(const char *s, size_t i, size_t n)
{
    while (i < n && !is_blank(s[i]))
        i++;
    return i;
}

static size_t trim_end(const char *s, size_t start, size_t n)
{
    while (n > start && (is_blank(s[n - 1]) || s[n - 1] == '\r'))
        n--;
    return n;
}

/* End of the statement once a trailing " # comment" is removed. */
static size_t strip_comment(const char *s, size_t start, size_t n)
{
    for (size_t i = start; i < n; i++)
        if (s[i] == '#' && (i == start || is_blank(s[i - 1])))
            return trim_end(s, start, i);
    return trim_end(s, start, n);
}

static bool tok_is(const char *s, size_t a, size_t b, const char *word)
{
    size_t n = strlen(word);
    return b - a == n && memcmp(s + a, word, n) == 0;
}

static int name_index(const char *const *names, int n, const char *s, size_t len)
{
    for (int i = 0; i < n; i++)
        if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
            return i;
    return -1;
}

static bool valid_rule_id(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!g_ascii_isalnum(s[i]) && s[i] != '_' && s[i] != '.' && s[i] != '-')
            return false;
    return true;
}

/* Definition and lexicon names: [A-Za-z_][A-Za-z0-9_]* */
static bool valid_name(const char *s, size_t n)
{
    if (n == 0 || !(g_ascii_isalpha(s[0]) || s[0] == '_'))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!g_ascii_isalnum(s[i]) && s[i] != '_')
            return false;
    return true;
}

static bool valid_grammar_name(const char *s, size_t n)
{
    if (n == 0 || !(s[0] >= 'a' && s[0] <= 'z'))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || g_ascii_isdigit(s[i]) || s[i] == '_'))
            return false;
    return true;
}

static bool valid_field_name(const char *s, size_t n)
{
    if (n == 0 || !g_ascii_isalpha(s[0]))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!g_ascii_isalnum(s[i]) && s[i] != '_')
            return false;
    return true;
}

/* Bytes of the source line echoed on each side of the caret: a longer
 * line is cut to this window, with "..." where it was cut, so that a
 * hostile line of 200 KB does not repeat itself in every message. */
#define ERROR_WINDOW 60

/* Appends one error: "FILE:LINE:COL: message", the line (or the window of
 * it around the caret), a caret.  COL counts characters of the whole line. */
static void emit_error(GString *errors, const char *file, int line,
                       const char *text, size_t text_len, size_t col_byte,
                       const char *msg)
{
    const char *q, *from = text, *to = text + text_len;

    if (!errors)
        return;
    if (col_byte > text_len)
        col_byte = text_len;
    g_string_append_printf(errors, "%s:%d:%ld: %s\n  ", file, line,
                           (long)g_utf8_strlen(text, (gssize)col_byte) + 1, msg);
    if (col_byte > ERROR_WINDOW) {
        from = text + col_byte - ERROR_WINDOW;
        while (from > text && (*from & 0xC0) == 0x80) /* a character's start */
            from--;
    }
    if (text_len - col_byte > ERROR_WINDOW) {
        to = text + col_byte + ERROR_WINDOW;
        while (to > text + col_byte && (*to & 0xC0) == 0x80)
            to--;
    }
    if (from > text)
        g_string_append(errors, "...");
    g_string_append_len(errors, from, (gssize)(to - from));
    if (to < text + text_len)
        g_string_append(errors, "...");
    g_string_append(errors, "\n  ");
    if (from > text)
        g_string_append(errors, "   ");
    for (q = from; q < text + col_byte; q = g_utf8_next_char(q))
        g_string_append_c(errors, *q == '\t' ? '\t' : ' ');
    g_string_append(errors, "^\n");
}

/* UTF-8 -> UTF-16, g_free the result; NULL on an ICU error. */
static UChar *to_utf16(const char *s, size_t len, int32_t *out_len)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0;
    UChar *u;

    if (len > (size_t)INT32_MAX / 2)
        return NULL;
    u_strFromUTF8(NULL, 0, &n, s, (int32_t)len, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
        return NULL;
    st = U_ZERO_ERROR;
    u = g_new(UChar, (gsize)n + 1);
    u_strFromUTF8(u, n + 1, out_len, s, (int32_t)len, &st);
    if (U_FAILURE(st)) {
        g_free(u);
        return NULL;
    }
    return u;
}

static char *to_utf8(const UChar *u, int32_t len)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0;
    char *s;

    u_strToUTF8(NULL, 0, &n, u, len, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
        return NULL;
    st = U_ZERO_ERROR;
    s = g_malloc((gsize)n + 1);
    u_strToUTF8(s, n + 1, NULL, u, len, &st);
    if (U_FAILURE(st)) {
        g_free(s);
        return NULL;
    }
    return s;
}

/* The lookup key of a spelling: NFC, case-folded for a nocase lexicon,
 * each run of white space one space, trimmed.  NULL on bad input. */
static char *lexicon_key(const char *s, size_t len, bool nocase)
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
    int32_t n = 0, m, i = 0, k = 0;
    UChar *u, *v, *w;
    bool space = false;
    char *out;

    if (U_FAILURE(st) || !(u = to_utf16(s, len, &n)))
        return NULL;
    v = g_new(UChar, (gsize)n * 3 + 1);
    m = unorm2_normalize(nfc, u, n, v, n * 3 + 1, &st);
    g_free(u);
    if (U_FAILURE(st)) {
        g_free(v);
        return NULL;
    }
    if (nocase) {
        w = g_new(UChar, (gsize)m * 3 + 1);
        m = u_strFoldCase(w, m * 3 + 1, v, m, U_FOLD_CASE_DEFAULT, &st);
        g_free(v);
        v = w;
        if (U_FAILURE(st)) {
            g_free(v);
            return NULL;
        }
    }
    w = g_new(UChar, (gsize)m + 1);
    while (i < m) {
        UChar32 c;
        int32_t at = i;
        U16_NEXT(v, i, m, c);
        if (u_isUWhiteSpace(c)) {
            space = true;
            continue;
        }
        if (space && k > 0)
            w[k++] = ' ';
        space = false;
        while (at < i)
            w[k++] = v[at++];
    }
    out = to_utf8(w, k);
    g_free(v);
    g_free(w);
    return out;
}

/* ---- The set ------------------------------------------------------------ */

od_grammar_set *od_grammar_set_new(void)
{
    od_grammar_set *g = g_new0(od_grammar_set, 1);

    g->strs = g_string_chunk_new(4096);
    g->grammars = g_ptr_array_new_with_free_func(g_free);
    g->rules = g_ptr_array_new_with_free_func((GDestroyNotify)rule_free);
    g->rule_by_id = g_hash_table_new(g_str_hash, g_str_equal);
    g->defs = g_ptr_array_new_with_free_func((GDestroyNotify)defn_free);
    g->def_by_name = g_hash_table_new(g_str_hash, g_str_equal);
    g->lexicons = g_ptr_array_new_with_free_func((GDestroyNotify)lexicon_free);
    g->lex_by_name = g_hash_table_new(g_str_hash, g_str_equal);
    g->diag = g_ptr_array_new_with_free_func((GDestroyNotify)rule_free);
    g->trig_words = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g->trig_prefixes = g_ptr_array_new_with_free_func(g_free);
    return g;
}

void od_grammar_set_free(od_grammar_set *g)
{
    if (!g)
        return;
    g_hash_table_destroy(g->rule_by_id);
    g_hash_table_destroy(g->def_by_name);
    g_hash_table_destroy(g->lex_by_name);
    g_ptr_array_free(g->rules, TRUE);
    g_ptr_array_free(g->defs, TRUE);
    g_ptr_array_free(g->lexicons, TRUE);
    g_ptr_array_free(g->grammars, TRUE);
    g_ptr_array_free(g->diag, TRUE);
    for (int k = 0; k < OD_N_KINDS; k++)
        fielddecl_free(g->decls[k]);
    if (g->declared)
        g_hash_table_destroy(g->declared);
    g_hash_table_destroy(g->trig_words);
    g_ptr_array_free(g->trig_prefixes, TRUE);
    od_prefilter_free(g->prefilter);
    g_string_chunk_free(g->strs);
    g_free(g);
}

/* ---- The parser ------------------------------------------------------------ */

typedef enum { BLK_NONE, BLK_RULE, BLK_LEXICON, BLK_FIELDS } blk_kind;

/* The keys of rule and suppress blocks, as bits of parser.keys_seen. */
enum {
    KEY_KIND = 1 << 0, KEY_CONTEXT = 1 << 1, KEY_PRIORITY = 1 << 2,
    KEY_PATTERN = 1 << 3, KEY_FLAGS = 1 << 4, KEY_KINDS = 1 << 5,
    KEY_SCOPE = 1 << 6, KEY_SET = 1 << 7, KEY_TRIGGER = 1 << 8, KEY_EXAMPLE = 1 << 9,
};

typedef struct parser {
    od_grammar_set *g;
    const char *file;
    GString *errors;
    int n_errors;
    bool gave_up;

    const char *lt; /* current line, not NUL-terminated */
    size_t ll;
    int lineno;
    const char *lt_saved; /* current line copied into the chunk, or NULL */

    bool seen_statement, header_seen;
    int file_kind; /* -1 when the file has no 'kind' */

    blk_kind blk;
    const char *blk_text; /* the block's first line, for "missing 'end'" */
    size_t blk_len;
    int blk_line;
    bool blk_bad;
    unsigned keys_seen;
    od_rule *rule;
    od_lexicon *lex;
    fielddecl *decl;

    srcval *cont; /* what a '+' line continues, or NULL */
    bool cont_sink; /* '+' lines continue a statement in error: ignore them */
} parser;

static void perr_at(parser *p, int line, const char *text, size_t text_len,
                    size_t col_byte, const char *fmt, ...) G_GNUC_PRINTF(6, 7);

static void perr_at(parser *p, int line, const char *text, size_t text_len,
                    size_t col_byte, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    p->n_errors++;
    if (p->n_errors > MAX_ERRORS_PER_FILE) {
        if (!p->gave_up)
            g_string_append_printf(p->errors,
                                   "%s: too many errors; the rest of the file was not checked\n",
                                   p->file);
        p->gave_up = true;
        return;
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    emit_error(p->errors, p->file, line, text, text_len, col_byte, msg);
    g_free(msg);
}

/* An error on the current line at byte col. */
#define perr(p, col, ...) perr_at((p), (p)->lineno, (p)->lt, (p)->ll, (col), __VA_ARGS__)

/* The current line, copied once into the set's string chunk. */
static const char *saved_line(parser *p)
{
    if (!p->lt_saved)
        p->lt_saved = g_string_chunk_insert_len(p->g->strs, p->lt, (gssize)p->ll);
    return p->lt_saved;
}

static const char *chunk_str(parser *p, const char *s, size_t n)
{
    return g_string_chunk_insert_len(p->g->strs, s, (gssize)n);
}

/* Reports text after the last expected token of a statement. */
static bool expect_end(parser *p, size_t i, size_t n)
{
    i = skip_blanks(p->lt, i, n);
    if (i < n) {
        perr(p, i, "unexpected '%.*s' at the end of the statement",
             (int)(token_end(p->lt, i, n) - i), p->lt + i);
        return false;
    }
    return true;
}

static int parse_kind(parser *p, size_t a, size_t b)
{
    int k = name_index(od_kind_names, OD_N_KINDS, p->lt + a, b - a);

    if (k < 0)
        perr(p, a, "unknown kind '%.*s' (expected one of: case directive deadline "
             "event attorney judge dataset segment change document)", (int)(b - a), p->lt + a);
    return k;
}

/* ---- Blocks -------------------------------------------------------------- */

static void start_block(parser *p, blk_kind k)
{
    p->blk = k;
    p->blk_text = saved_line(p);
    p->blk_len = p->ll;
    p->blk_line = p->lineno;
    p->blk_bad = false;
    p->keys_seen = 0;
}

static void finish_rule(parser *p, bool check)
{
    od_rule *r = p->rule, *old;
    const char *what = r->suppress ? "suppress" : "rule";
    size_t col = skip_blanks(p->blk_text, 0, p->blk_len);

    p->rule = NULL;
    p->blk = BLK_NONE;
    if (check && !r->src->has_pattern) {
        perr_at(p, r->src->line, p->blk_text, p->blk_len, col,
                "%s '%s' has no pattern", what, r->id);
        p->blk_bad = true;
    }
    if (!r->suppress && !(p->keys_seen & KEY_KIND)) {
        if (p->file_kind >= 0) {
            r->kind = p->file_kind;
        } else if (check) {
            perr_at(p, r->src->line, p->blk_text, p->blk_len, col,
                    "rule '%s' has no kind (add 'kind KIND' to the rule or the file)",
                    r->id);
            p->blk_bad = true;
        }
    }
    if (r->suppress && !r->kinds) {
        if (p->file_kind >= 0) {
            r->kinds = 1u << p->file_kind;
            r->kind = p->file_kind;
        } else if (check) {
            perr_at(p, r->src->line, p->blk_text, p->blk_len, col,
                    "suppress '%s' has no kinds (add 'kinds KIND...' or a file 'kind')",
                    r->id);
            p->blk_bad = true;
        }
    }
    if (p->blk_bad) {
        if (r->src->has_pattern)
            g_ptr_array_add(p->g->diag, r); /* its pattern is still checked */
        else
            rule_free(r);
        return;
    }
    old = g_hash_table_lookup(p->g->rule_by_id, r->id);
    if (old) { /* from an earlier folder: override in place */
        r->src->index = old->src->index;
        p->g->rules->pdata[r->src->index] = r;
        g_hash_table_replace(p->g->rule_by_id, r->id, r);
        rule_free(old);
        return;
    }
    r->src->index = p->g->rules->len;
    g_ptr_array_add(p->g->rules, r);
    g_hash_table_replace(p->g->rule_by_id, r->id, r);
}

static void finish_lexicon(parser *p)
{
    od_lexicon *lx = p->lex, *old;

    p->lex = NULL;
    p->blk = BLK_NONE;
    if (p->blk_bad) {
        lexicon_free(lx);
        return;
    }
    old = g_hash_table_lookup(p->g->lex_by_name, lx->name);
    if (old) {
        lx->index = old->index;
        p->g->lexicons->pdata[lx->index] = lx;
        g_hash_table_replace(p->g->lex_by_name, (char *)lx->name, lx);
        lexicon_free(old);
        return;
    }
    lx->index = p->g->lexicons->len;
    g_ptr_array_add(p->g->lexicons, lx);
    g_hash_table_replace(p->g->lex_by_name, (char *)lx->name, lx);
}

static void finish_fields(parser *p)
{
    fielddecl *d = p->decl;

    p->decl = NULL;
    p->blk = BLK_NONE;
    if (p->blk_bad) {
        fielddecl_free(d);
        return;
    }
    /* a block of a later folder replaces the earlier one as a whole */
    fielddecl_free(p->g->decls[d->kind]);
    p->g->decls[d->kind] = d;
}

static void missing_end(parser *p)
{
    size_t col = skip_blanks(p->blk_text, 0, p->blk_len);

    if (p->blk == BLK_RULE) {
        perr_at(p, p->blk_line, p->blk_text, p->blk_len, col,
                "missing 'end' for %s '%s'", p->rule->suppress ? "suppress" : "rule",
                p->rule->id);
        p->blk_bad = true;
        finish_rule(p, false);
    } else if (p->blk == BLK_LEXICON) {
        perr_at(p, p->blk_line, p->blk_text, p->blk_len, col,
                "missing 'end' for lexicon '%s'", p->lex->name);
        p->blk_bad = true;
        finish_lexicon(p);
    } else if (p->blk == BLK_FIELDS) {
        perr_at(p, p->blk_line, p->blk_text, p->blk_len, col,
                "missing 'end' for fields '%s'", od_kind_names[p->decl->kind]);
        p->blk_bad = true;
        finish_fields(p);
    }
}

/* ---- Statements ------------------------------------------------------------- */

static void st_grammar(parser *p, size_t a, size_t n)
{
    size_t na = skip_blanks(p->lt, a, n), nb = token_end(p->lt, na, n);
    size_t va = skip_blanks(p->lt, nb, n), vb = token_end(p->lt, va, n);
    const char *name;
    ginfo *gi;

    if (p->seen_statement) {
        perr(p, skip_blanks(p->lt, 0, n), "%s", p->header_seen
                         ? "duplicate 'grammar' header"
                         : "the 'grammar' header must be the first statement");
        p->header_seen = true;
        return;
    }
    p->seen_statement = true;
    p->header_seen = true;
    if (na == nb || va == vb || skip_blanks(p->lt, vb, n) < n) {
        perr(p, na < n ? na : 0, "malformed header (expected 'grammar NAME VERSION')");
        return;
    }
    if (!valid_grammar_name(p->lt + na, nb - na)) {
        perr(p, na, "bad grammar name '%.*s' (expected [a-z][a-z0-9_]*)",
             (int)(nb - na), p->lt + na);
        return;
    }
    name = chunk_str(p, p->lt + na, nb - na);
    for (guint i = 0; i < p->g->grammars->len; i++) {
        gi = g_ptr_array_index(p->g->grammars, i);
        if (strcmp(gi->name, name) != 0)
            continue;
        if (gi->generation == p->g->generation) {
            perr(p, na, "duplicate grammar '%s' (first declared at %s:%d)", name,
                 gi->file, gi->line);
            return;
        }
        gi->version = chunk_str(p, p->lt + va, vb - va);
        gi->file = p->file;
        gi->line = p->lineno;
        gi->generation = p->g->generation;
        return;
    }
    gi = g_new0(ginfo, 1);
    gi->name = name;
    gi->version = chunk_str(p, p->lt + va, vb - va);
    gi->file = p->file;
    gi->line = p->lineno;
    gi->generation = p->g->generation;
    g_ptr_array_add(p->g->grammars, gi);
}

static void st_kind(parser *p, size_t a, size_t n)
{
    size_t ka = skip_blanks(p->lt, a, n), kb = token_end(p->lt, ka, n);
    int k;

    if (ka == kb) {
        perr(p, ka, "missing kind after 'kind'");
        return;
    }
    if ((k = parse_kind(p, ka, kb)) >= 0 && expect_end(p, kb, n))
        p->file_kind = k;
}

static void st_define(parser *p, size_t a, size_t n)
{
    size_t na = skip_blanks(p->lt, a, n), nb = na, va;
    const char *name;
    defn *d, *old;

    p->cont_sink = true;
    while (nb < n && (g_ascii_isalnum(p->lt[nb]) || p->lt[nb] == '_'))
        nb++;
    if (nb < n && !is_blank(p->lt[nb]) && p->lt[nb] != '=') {
        nb = token_end(p->lt, na, n);
        while (nb > na && p->lt[nb - 1] == '=')
            nb--;
    }
    if (na == nb) {
        perr(p, na, "malformed define (expected 'define NAME = VALUE')");
        return;
    }
    if (!valid_name(p->lt + na, nb - na)) {
        perr(p, na, "bad definition name '%.*s' (expected [A-Za-z_][A-Za-z0-9_]*)",
             (int)(nb - na), p->lt + na);
        return;
    }
    va = skip_blanks(p->lt, nb, n);
    if (va >= n || p->lt[va] != '=') {
        perr(p, va, "malformed define (expected 'define NAME = VALUE')");
        return;
    }
    va = skip_blanks(p->lt, va + 1, n);
    name = chunk_str(p, p->lt + na, nb - na);
    old = g_hash_table_lookup(p->g->def_by_name, name);
    if (old && old->generation == p->g->generation) {
        perr(p, na, "duplicate definition '%s' (first defined at %s:%d)", name,
             old->val.file, old->line);
        return;
    }
    d = g_new0(defn, 1);
    d->name = name;
    d->line = p->lineno;
    d->generation = p->g->generation;
    srcval_init(&d->val, p->file);
    srcval_append(&d->val, p->lt + va, n - va, p->lineno, va, saved_line(p), p->ll);
    if (old) {
        d->index = old->index;
        p->g->defs->pdata[d->index] = d;
        defn_free(old);
    } else {
        d->index = p->g->defs->len;
        g_ptr_array_add(p->g->defs, d);
    }
    g_hash_table_replace(p->g->def_by_name, (char *)name, d);
    p->cont = &d->val;
}

static void st_lexicon(parser *p, size_t a, size_t n)
{
    size_t na = skip_blanks(p->lt, a, n), nb = token_end(p->lt, na, n), i;
    od_lexicon *lx, *old;
    bool bad = false;

    if (na == nb) {
        perr(p, na, "missing lexicon name (expected 'lexicon NAME [nocase]')");
        bad = true;
    } else if (!valid_name(p->lt + na, nb - na)) {
        perr(p, na, "bad lexicon name '%.*s' (expected [A-Za-z_][A-Za-z0-9_]*)",
             (int)(nb - na), p->lt + na);
        bad = true;
    }
    lx = g_new0(od_lexicon, 1);
    lx->name = bad ? "?" : chunk_str(p, p->lt + na, nb - na);
    lx->file = p->file;
    lx->line = p->lineno;
    lx->generation = p->g->generation;
    lx->canon = g_ptr_array_new();
    lx->aliases = g_ptr_array_new_with_free_func(g_free);
    lx->lookup = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (i = skip_blanks(p->lt, nb, n); i < n; i = skip_blanks(p->lt, i, n)) {
        size_t e = token_end(p->lt, i, n);
        if (tok_is(p->lt, i, e, "nocase")) {
            lx->nocase = true;
        } else {
            perr(p, i, "unknown lexicon option '%.*s' (expected 'nocase')",
                 (int)(e - i), p->lt + i);
            bad = true;
        }
        i = e;
    }
    old = bad ? NULL : g_hash_table_lookup(p->g->lex_by_name, lx->name);
    if (old && old->generation == p->g->generation) {
        perr(p, na, "duplicate lexicon '%s' (first defined at %s:%d)", lx->name,
             old->file, old->line);
        bad = true;
    }
    p->lex = lx;
    start_block(p, BLK_LEXICON);
    p->blk_bad = bad;
}

static void lexicon_entry(parser *p, size_t a, size_t n)
{
    od_lexicon *lx = p->lex;
    const char *l = p->lt;
    size_t eq = n, e2 = n, ca, cb;
    GPtrArray *al = g_ptr_array_new();
    const char *canon;
    bool bad = false;
    guint idx = lx->canon->len;

    for (size_t i = a; i < n; i++)
        if (l[i] == '=') {
            if (eq == n)
                eq = i;
            else if (e2 == n)
                e2 = i;
        }
    ca = a;
    cb = trim_end(l, a, eq);
    if (e2 < n) {
        perr(p, e2, "'=' appears twice in a lexicon entry (expected 'Canonical = alias | alias')");
        bad = true;
    } else if (cb == ca) {
        perr(p, a, "empty canonical name in a lexicon entry (expected 'Canonical = alias | alias')");
        bad = true;
    } else if (eq == n && memchr(l + a, '|', n - a)) {
        perr(p, (size_t)((const char *)memchr(l + a, '|', n - a) - l),
             "'|' without '=' in a lexicon entry (expected 'Canonical = alias | alias')");
        bad = true;
    }
    if (!bad && eq < n) {
        size_t s = eq + 1;
        for (;;) {
            size_t bar = s, pa, pb;
            while (bar < n && l[bar] != '|')
                bar++;
            pa = skip_blanks(l, s, bar);
            pb = trim_end(l, pa, bar);
            if (pa == pb) {
                perr(p, pa, "empty alias in a lexicon entry (expected 'Canonical = alias | alias')");
                bad = true;
                break;
            }
            g_ptr_array_add(al, (gpointer)chunk_str(p, l + pa, pb - pa));
            if (bar >= n)
                break;
            s = bar + 1;
        }
    }
    if (bad) {
        g_ptr_array_free(al, TRUE);
        return;
    }
    canon = chunk_str(p, l + ca, cb - ca);
    /* The spellings: the aliases, or the canonical name when there are none. */
    for (guint i = 0; i < (al->len ? al->len : 1); i++) {
        const char *sp = al->len ? g_ptr_array_index(al, i) : canon;
        char *key = lexicon_key(sp, strlen(sp), lx->nocase);
        gpointer have;
        if (!key)
            continue;
        have = g_hash_table_lookup(lx->lookup, key);
        if (have && GPOINTER_TO_UINT(have) != idx + 1) {
            perr(p, a, "spelling '%s' already belongs to lexicon entry '%s'", sp,
                 (const char *)g_ptr_array_index(lx->canon, GPOINTER_TO_UINT(have) - 1));
            p->blk_bad = true;
            g_free(key);
        } else if (have) {
            g_free(key);
        } else {
            g_hash_table_insert(lx->lookup, key, GUINT_TO_POINTER(idx + 1));
        }
    }
    g_ptr_array_add(lx->canon, (gpointer)canon);
    g_ptr_array_add(al, NULL);
    g_ptr_array_add(lx->aliases, g_ptr_array_free(al, FALSE));
}

static void st_fields(parser *p, size_t a, size_t n)
{
    size_t ka = skip_blanks(p->lt, a, n), kb = token_end(p->lt, ka, n);
    int k = -1;
    fielddecl *d, *old;
    bool bad = false;

    if (ka == kb) {
        perr(p, ka, "missing kind after 'fields' (expected 'fields KIND')");
        bad = true;
    } else if ((k = parse_kind(p, ka, kb)) < 0 || !expect_end(p, kb, n)) {
        bad = true;
    } else if ((old = p->g->decls[k]) && old->generation == p->g->generation) {
        perr(p, ka, "duplicate fields '%s' (first declared at %s:%d)", od_kind_names[k],
             old->file, old->line);
        bad = true;
    }
    d = g_new0(fielddecl, 1);
    d->kind = k < 0 ? 0 : k;
    d->file = p->file;
    d->line = p->lineno;
    d->generation = p->g->generation;
    d->defs = g_ptr_array_new_with_free_func((GDestroyNotify)fielddef_free);
    p->decl = d;
    start_block(p, BLK_FIELDS);
    p->blk_bad = bad;
}

/* "NAME required|optional group|set|text [= VALUE | VALUE ...]" */
static void fields_entry(parser *p, size_t a, size_t n)
{
    const char *l = p->lt;
    const char *kind = od_kind_names[p->decl->kind];
    size_t na = a, nb = a, pa, pb, ta, tb, i;
    fielddef *f;

    while (nb < n && (g_ascii_isalnum(l[nb]) || l[nb] == '_'))
        nb++;
    if (nb < n && !is_blank(l[nb]))
        nb = token_end(l, na, n);
    if (!valid_field_name(l + na, nb - na)) {
        perr(p, na, "bad field name '%.*s' (expected [A-Za-z][A-Za-z0-9_]*)",
             (int)(nb - na), l + na);
        p->blk_bad = true;
        return;
    }
    if (fielddecl_find(p->decl, l + na, nb - na)) {
        perr(p, na, "duplicate field '%.*s' in fields '%s'", (int)(nb - na), l + na, kind);
        p->blk_bad = true;
        return;
    }
    pa = skip_blanks(l, nb, n);
    pb = token_end(l, pa, n);
    if (!tok_is(l, pa, pb, "required") && !tok_is(l, pa, pb, "optional")) {
        if (pa == pb)
            perr(p, pa, "missing 'required' or 'optional' after field '%.*s'",
                 (int)(nb - na), l + na);
        else
            perr(p, pa, "unknown '%.*s' after field '%.*s' (expected 'required' or "
                 "'optional')", (int)(pb - pa), l + pa, (int)(nb - na), l + na);
        p->blk_bad = true;
        return;
    }
    ta = skip_blanks(l, pb, n);
    tb = ta;
    while (tb < n && g_ascii_isalpha(l[tb]))
        tb++;
    if (!tok_is(l, ta, tb, "group") && !tok_is(l, ta, tb, "set") && !tok_is(l, ta, tb, "text")) {
        tb = token_end(l, ta, n);
        if (ta == tb)
            perr(p, ta, "missing type of field '%.*s' (expected one of: group set text)",
                 (int)(nb - na), l + na);
        else
            perr(p, ta, "unknown type '%.*s' of field '%.*s' (expected one of: group set "
                 "text)", (int)(tb - ta), l + ta, (int)(nb - na), l + na);
        p->blk_bad = true;
        return;
    }
    f = g_new0(fielddef, 1);
    f->name = chunk_str(p, l + na, nb - na);
    f->required = tok_is(l, pa, pb, "required");
    f->type = tok_is(l, ta, tb, "group") ? FIELD_GROUP
              : tok_is(l, ta, tb, "set") ? FIELD_SET : FIELD_TEXT;
    i = skip_blanks(l, tb, n);
    if (i < n && l[i] == '=') {
        if (f->type != FIELD_SET) {
            perr(p, i, "only a 'set' field lists its values (field '%s')", f->name);
            p->blk_bad = true;
            fielddef_free(f);
            return;
        }
        f->values = g_ptr_array_new();
        for (size_t s = i + 1;;) {
            size_t bar = s, va, vb;
            while (bar < n && l[bar] != '|')
                bar++;
            va = skip_blanks(l, s, bar);
            vb = trim_end(l, va, bar);
            if (va == vb) {
                perr(p, va, "empty value of field '%s' (expected '= VALUE | VALUE ...')",
                     f->name);
                p->blk_bad = true;
                fielddef_free(f);
                return;
            }
            g_ptr_array_add(f->values, (gpointer)chunk_str(p, l + va, vb - va));
            if (bar >= n)
                break;
            s = bar + 1;
        }
    } else if (!expect_end(p, tb, n)) {
        p->blk_bad = true;
        fielddef_free(f);
        return;
    }
    g_ptr_array_add(p->decl->defs, f);
}

static void st_rule(parser *p, size_t a, size_t n, bool suppress)
{
    size_t ia = skip_blanks(p->lt, a, n), ib = token_end(p->lt, ia, n);
    od_rule *r = g_new0(od_rule, 1), *old;
    bool bad = false;

    r->suppress = suppress;
    r->contexts = ALL_CONTEXTS;
    r->kind = -1;
    r->scope = OD_SCOPE_MATCH;
    r->src = g_new0(struct od_rule_src, 1);
    r->src->file = p->file;
    r->src->line = p->lineno;
    r->src->generation = p->g->generation;
    r->src->set_names = g_ptr_array_new();
    r->src->set_values = g_ptr_array_new();
    r->src->set_pos = g_array_new(FALSE, FALSE, sizeof(setpos));
    srcval_init(&r->src->pat, p->file);
    srcval_init(&r->src->trig, p->file);
    if (ia == ib) {
        perr(p, ia, "missing %s id", suppress ? "suppress" : "rule");
        bad = true;
        r->id = "?";
    } else {
        r->id = (char *)chunk_str(p, p->lt + ia, ib - ia);
        if (!valid_rule_id(p->lt + ia, ib - ia)) {
            perr(p, ia, "bad rule id '%s' (allowed characters: A-Z a-z 0-9 _ . -)", r->id);
            bad = true;
        } else if (!expect_end(p, ib, n)) {
            bad = true;
        } else if ((old = g_hash_table_lookup(p->g->rule_by_id, r->id)) &&
                   old->src->generation == p->g->generation) {
            perr(p, ia, "duplicate rule id '%s' (first defined at %s:%d)", r->id,
                 old->src->file, old->src->line);
            bad = true;
        }
    }
    p->rule = r;
    start_block(p, BLK_RULE);
    r->src->head = p->blk_text;
    r->src->head_len = p->blk_len;
    r->src->head_col = skip_blanks(p->blk_text, 0, p->blk_len);
    p->blk_bad = bad;
}

static void st_disable(parser *p, size_t a, size_t n)
{
    size_t ia = skip_blanks(p->lt, a, n), ib = token_end(p->lt, ia, n);
    char *id;
    od_rule *r;

    if (ia == ib) {
        perr(p, ia, "missing rule id after 'disable'");
        return;
    }
    if (!expect_end(p, ib, n))
        return;
    id = g_strndup(p->lt + ia, ib - ia);
    r = g_hash_table_lookup(p->g->rule_by_id, id);
    if (!r) {
        perr(p, ia, "disable: no rule '%s' is loaded", id);
    } else {
        /* leave a hole, compacted once the file is read */
        g_hash_table_remove(p->g->rule_by_id, id);
        p->g->rules->pdata[r->src->index] = NULL;
        p->g->rule_holes = true;
        rule_free(r);
    }
    g_free(id);
}

/* ---- Keys inside a rule or suppress block ------------------------------- */

static int key_of(const char *s, size_t a, size_t b, bool suppress)
{
    if (!suppress && tok_is(s, a, b, "kind"))
        return KEY_KIND;
    if (!suppress && tok_is(s, a, b, "priority"))
        return KEY_PRIORITY;
    if (!suppress && tok_is(s, a, b, "set"))
        return KEY_SET;
    if (suppress && tok_is(s, a, b, "kinds"))
        return KEY_KINDS;
    if (suppress && tok_is(s, a, b, "scope"))
        return KEY_SCOPE;
    if (tok_is(s, a, b, "context"))
        return KEY_CONTEXT;
    if (tok_is(s, a, b, "pattern"))
        return KEY_PATTERN;
    if (tok_is(s, a, b, "flags"))
        return KEY_FLAGS;
    if (tok_is(s, a, b, "trigger"))
        return KEY_TRIGGER;
    if (tok_is(s, a, b, "example"))
        return KEY_EXAMPLE;
    return 0;
}

static void rule_key(parser *p, int key, size_t ka, size_t kb, size_t n)
{
    od_rule *r = p->rule;
    const char *l = p->lt;
    size_t i = skip_blanks(l, kb, n), e;
    size_t full = n; /* before removing a trailing comment */

    p->cont_sink = key == KEY_PATTERN;
    if (key != KEY_SET && key != KEY_EXAMPLE && (p->keys_seen & (unsigned)key)) {
        perr(p, ka, "duplicate key '%.*s' in %s '%s'", (int)(kb - ka), l + ka,
             r->suppress ? "suppress" : "rule", r->id);
        p->blk_bad = true;
        return;
    }
    p->keys_seen |= (unsigned)key;
    if (key != KEY_PATTERN && key != KEY_SET && key != KEY_EXAMPLE)
        n = strip_comment(l, kb, n);
    if (key == KEY_EXAMPLE)
        n = trim_end(l, i, full);
    if (key != KEY_PATTERN && key != KEY_SET && i >= n) {
        perr(p, ka, "missing value after '%.*s'", (int)(kb - ka), l + ka);
        p->blk_bad = true;
        return;
    }
    switch (key) {
    case KEY_KIND: {
        int k;
        e = token_end(l, i, n);
        if ((k = parse_kind(p, i, e)) < 0 || !expect_end(p, e, n)) {
            p->blk_bad = true;
            return;
        }
        r->kind = k;
        return;
    }
    case KEY_KINDS:
        for (; i < n; i = skip_blanks(l, e, n)) {
            int k;
            e = token_end(l, i, n);
            if ((k = parse_kind(p, i, e)) < 0) {
                p->blk_bad = true;
                continue;
            }
            if (!r->kinds)
                r->kind = k;
            r->kinds |= 1u << k;
        }
        return;
    case KEY_CONTEXT:
        r->contexts = 0;
        for (; i < n; i = skip_blanks(l, e, n)) {
            int c;
            e = token_end(l, i, n);
            if (tok_is(l, i, e, "any")) {
                r->contexts |= ALL_CONTEXTS;
                continue;
            }
            c = name_index(context_names, OD_BLOCK_N_KINDS, l + i, e - i);
            if (c < 0) {
                perr(p, i, "unknown context '%.*s' (expected one of: caption heading "
                     "body numbered footnote signature quote any)", (int)(e - i), l + i);
                p->blk_bad = true;
                continue;
            }
            r->contexts |= 1u << c;
        }
        return;
    case KEY_PRIORITY: {
        char *s, *end = NULL;
        long v;
        e = token_end(l, i, n);
        s = g_strndup(l + i, e - i);
        v = strtol(s, &end, 10);
        if (!end || *end || end == s || v > INT_MAX / 2 || v < INT_MIN / 2 ||
            g_ascii_isspace(s[0])) {
            perr(p, i, "bad priority '%s' (expected an integer)", s);
            p->blk_bad = true;
        } else if (expect_end(p, e, n)) {
            r->priority = (int)v;
        } else {
            p->blk_bad = true;
        }
        g_free(s);
        return;
    }
    case KEY_SCOPE: {
        static const char *const scopes[] = {"match", "sentence", "block"};
        int sc;
        e = token_end(l, i, n);
        sc = name_index(scopes, 3, l + i, e - i);
        if (sc < 0) {
            perr(p, i, "unknown scope '%.*s' (expected one of: match sentence block)",
                 (int)(e - i), l + i);
            p->blk_bad = true;
        } else if (expect_end(p, e, n)) {
            r->scope = (od_scope)sc;
        } else {
            p->blk_bad = true;
        }
        return;
    }
    case KEY_FLAGS:
        for (; i < n; i = skip_blanks(l, e, n)) {
            e = token_end(l, i, n);
            if (tok_is(l, i, e, "nocase"))
                r->re_flags |= UREGEX_CASE_INSENSITIVE;
            else if (tok_is(l, i, e, "dotall"))
                r->re_flags |= UREGEX_DOTALL;
            else if (tok_is(l, i, e, "multiline"))
                r->re_flags |= UREGEX_MULTILINE;
            else if (tok_is(l, i, e, "uword"))
                r->re_flags |= UREGEX_UWORD;
            else {
                perr(p, i, "unknown flag '%.*s' (expected one of: nocase dotall "
                     "multiline uword)", (int)(e - i), l + i);
                p->blk_bad = true;
            }
        }
        return;
    case KEY_TRIGGER:
        /* checked when compiled, where the lexicons are known */
        n = trim_end(l, i, n);
        srcval_append(&r->src->trig, l + i, n - i, p->lineno, i, saved_line(p), p->ll);
        r->src->has_trigger = true;
        return;
    case KEY_PATTERN:
        n = trim_end(l, i, full);
        if (i >= n) {
            perr(p, ka, "empty pattern");
            p->blk_bad = true;
            return;
        }
        srcval_append(&r->src->pat, l + i, n - i, p->lineno, i, saved_line(p), p->ll);
        r->src->has_pattern = true;
        p->cont = &r->src->pat;
        return;
    case KEY_EXAMPLE: {
        /* taken as written, but "\n" is a line break and "\\" a backslash */
        GString *ex = g_string_new(NULL);
        od_example one;
        for (size_t k = i; k < n; k++) {
            if (l[k] == '\\' && k + 1 < n && (l[k + 1] == 'n' || l[k + 1] == '\\')) {
                g_string_append_c(ex, l[k + 1] == 'n' ? '\n' : '\\');
                k++;
            } else {
                g_string_append_c(ex, l[k]);
            }
        }
        one.text = chunk_str(p, ex->str, ex->len);
        one.file = p->file;
        one.line = p->lineno;
        g_string_free(ex, TRUE);
        if (!r->src->examples)
            r->src->examples = g_array_new(FALSE, FALSE, sizeof(od_example));
        g_array_append_val(r->src->examples, one);
        r->examples = (const od_example *)(void *)r->src->examples->data;
        r->n_examples = (int)r->src->examples->len;
        return;
    }
    case KEY_SET: {
        size_t na = i, nb = i, va;
        n = trim_end(l, i, full);
        while (nb < n && (g_ascii_isalnum(l[nb]) || l[nb] == '_'))
            nb++;
        va = skip_blanks(l, nb, n);
        if (va >= n || l[va] != '=' || na == nb) {
            perr(p, ka, "malformed 'set' (expected 'set NAME = VALUE')");
            p->blk_bad = true;
            return;
        }
        if (!valid_field_name(l + na, nb - na)) {
            perr(p, na, "bad field name '%.*s' (expected [A-Za-z][A-Za-z0-9_]*)",
                 (int)(nb - na), l + na);
            p->blk_bad = true;
            return;
        }
        for (guint k = 0; k < r->src->set_names->len; k++)
            if (tok_is(l, na, nb, g_ptr_array_index(r->src->set_names, k))) {
                perr(p, na, "duplicate field '%.*s' in rule '%s'", (int)(nb - na),
                     l + na, r->id);
                p->blk_bad = true;
                return;
            }
        va = skip_blanks(l, va + 1, n);
        g_ptr_array_add(r->src->set_names, (gpointer)chunk_str(p, l + na, nb - na));
        g_ptr_array_add(r->src->set_values, (gpointer)chunk_str(p, l + va, n - va));
        {
            setpos sp = {p->lineno, saved_line(p), p->ll, na, va};
            g_array_append_val(r->src->set_pos, sp);
        }
        return;
    }
    default:
        return;
    }
}

/* ---- Lines ------------------------------------------------------------ */

static bool is_statement(const char *l, size_t a, size_t b)
{
    return tok_is(l, a, b, "grammar") || tok_is(l, a, b, "define") ||
           tok_is(l, a, b, "lexicon") || tok_is(l, a, b, "fields") || tok_is(l, a, b, "rule") ||
           tok_is(l, a, b, "suppress") || tok_is(l, a, b, "disable");
}

/* Inside a lexicon a line such as "rule x.y" is taken for a statement
 * (and so for a missing 'end'): a statement word, one more token, no '='. */
static bool lexicon_line_is_statement(const char *l, size_t a, size_t b, size_t n)
{
    size_t c, d;

    if (!is_statement(l, a, b))
        return false;
    if (tok_is(l, a, b, "define")) /* "define NAME = VALUE" */
        return memchr(l + a, '=', n - a) && !memchr(l + a, '|', n - a);
    if (memchr(l + a, '=', n - a))
        return false;
    c = skip_blanks(l, b, n);
    d = token_end(l, c, n);
    return c < n && skip_blanks(l, d, n) >= n;
}

static void parse_line(parser *p)
{
    const char *l = p->lt;
    size_t n = p->ll, i = skip_blanks(l, 0, n), te, sn;

    if (i >= n || l[i] == '#')
        return;
    if (l[i] == '+') {
        size_t va = skip_blanks(l, i + 1, n), vb = trim_end(l, va, n);
        if (!p->cont && p->cont_sink)
            return;
        if (!p->cont) {
            perr(p, i, "'+' continues nothing (it must follow a 'define' or a 'pattern')");
            return;
        }
        srcval_append(p->cont, l + va, vb - va, p->lineno, va, saved_line(p), p->ll);
        return;
    }
    p->cont = NULL;
    p->cont_sink = false;
    te = token_end(l, i, n);
    sn = strip_comment(l, i, n);

    if (p->blk == BLK_LEXICON) {
        if (tok_is(l, i, te, "end") && te >= sn) {
            finish_lexicon(p);
            return;
        }
        if (!lexicon_line_is_statement(l, i, te, sn)) {
            lexicon_entry(p, i, sn);
            return;
        }
        missing_end(p);
    } else if (p->blk == BLK_FIELDS) {
        if (tok_is(l, i, te, "end")) {
            if (!expect_end(p, te, sn))
                p->blk_bad = true;
            finish_fields(p);
            return;
        }
        if (!is_statement(l, i, te)) {
            fields_entry(p, i, sn);
            return;
        }
        missing_end(p);
    } else if (p->blk == BLK_RULE) {
        int key = key_of(l, i, te, p->rule->suppress);
        if (tok_is(l, i, te, "end")) {
            if (!expect_end(p, te, sn))
                p->blk_bad = true;
            finish_rule(p, true);
            return;
        }
        if (key) {
            rule_key(p, key, i, te, n);
            return;
        }
        if (!is_statement(l, i, te)) {
            perr(p, i, "unknown key '%.*s' (expected one of: %s)", (int)(te - i), l + i,
                 p->rule->suppress ? SUPPRESS_KEYS : RULE_KEYS);
            p->blk_bad = true;
            return;
        }
        missing_end(p);
    }

    if (tok_is(l, i, te, "grammar")) {
        st_grammar(p, te, sn);
        return;
    }
    if (!p->seen_statement) {
        p->seen_statement = true;
        perr(p, i, "missing header: the first statement must be 'grammar NAME VERSION'");
    }
    if (tok_is(l, i, te, "kind"))
        st_kind(p, te, sn);
    else if (tok_is(l, i, te, "define"))
        st_define(p, te, trim_end(l, te, n));
    else if (tok_is(l, i, te, "lexicon"))
        st_lexicon(p, te, sn);
    else if (tok_is(l, i, te, "fields"))
        st_fields(p, te, sn);
    else if (tok_is(l, i, te, "rule"))
        st_rule(p, te, sn, false);
    else if (tok_is(l, i, te, "suppress"))
        st_rule(p, te, sn, true);
    else if (tok_is(l, i, te, "disable"))
        st_disable(p, te, sn);
    else if (tok_is(l, i, te, "end"))
        perr(p, i, "'end' without a block");
    else
        perr(p, i, "unknown statement '%.*s' (expected one of: %s)", (int)(te - i),
             l + i, STATEMENTS);
}

/* Reports the first invalid UTF-8 sequence or NUL byte of data (at
 * byte bad) with its line and column; the line is shown with U+FFFD for
 * each byte that is not valid text. */
static void report_bad_utf8(parser *p, const char *data, size_t len, size_t bad)
{
    size_t ls = bad, le = bad, colb = 0;
    int line = 1;
    GString *shown = g_string_new(NULL);
    char *msg;

    while (ls > 0 && data[ls - 1] != '\n')
        ls--;
    while (le < len && data[le] != '\n')
        le++;
    for (size_t i = 0; i < ls; i++)
        if (data[i] == '\n')
            line++;
    for (size_t i = ls; i < le;) {
        gunichar c = g_utf8_get_char_validated(data + i, (gssize)(le - i));
        if (i == bad)
            colb = shown->len;
        if (c == (gunichar)-1 || c == (gunichar)-2 || c == 0) {
            g_string_append(shown, "\xef\xbf\xbd");
            i++;
        } else if (c == '\r' && i + 1 == le) {
            i++;
        } else {
            g_string_append_unichar(shown, c);
            i = (size_t)(g_utf8_next_char(data + i) - data);
        }
    }
    msg = data[bad] == '\0'
              ? g_strdup_printf("NUL byte at byte %zu", bad)
              : g_strdup_printf("invalid UTF-8 at byte %zu", bad);
    perr_at(p, line, shown->str, shown->len, colb, "%s", msg);
    g_free(msg);
    g_string_free(shown, TRUE);
}

static bool parse_file(od_grammar_set *g, const char *filename, const char *data,
                       size_t len, GString *errors)
{
    parser p;
    const char *end_valid = NULL;
    size_t pos = 0;

    memset(&p, 0, sizeof p);
    p.g = g;
    p.file = g_string_chunk_insert_const(g->strs, filename);
    p.errors = errors;
    p.file_kind = -1;

    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
        pos = 3; /* a byte order mark */
    if (len > (size_t)G_MAXSSIZE ||
        !g_utf8_validate_len(data, len, &end_valid)) {
        report_bad_utf8(&p, data, len, end_valid ? (size_t)(end_valid - data) : 0);
        return false;
    }
    while (pos < len && !p.gave_up) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t e = nl ? (size_t)(nl - data) : len;
        p.lt = data + pos;
        p.ll = e - pos;
        if (p.ll && p.lt[p.ll - 1] == '\r')
            p.ll--;
        p.lt_saved = NULL;
        p.lineno++;
        parse_line(&p);
        pos = e + 1;
    }
    if (p.blk != BLK_NONE && !p.gave_up)
        missing_end(&p);
    if (p.blk == BLK_RULE)
        finish_rule(&p, false);
    else if (p.blk == BLK_LEXICON)
        finish_lexicon(&p);
    else if (p.blk == BLK_FIELDS)
        finish_fields(&p);
    if (g->rule_holes) {
        guint k = 0;
        for (guint i = 0; i < g->rules->len; i++) {
            od_rule *r = g_ptr_array_index(g->rules, i);
            if (r) {
                r->src->index = k;
                g->rules->pdata[k++] = r;
            }
        }
        for (guint i = k; i < g->rules->len; i++)
            g->rules->pdata[i] = NULL; /* moved, not to be freed */
        g_ptr_array_set_size(g->rules, k);
        g->rule_holes = false;
    }
    if (!p.seen_statement) {
        p.lt = data;
        p.ll = 0;
        while (p.ll < len && data[p.ll] != '\n' && data[p.ll] != '\r')
            p.ll++;
        p.lineno = 1;
        perr(&p, 0, "missing header: the first statement must be 'grammar NAME VERSION'");
    }
    return p.n_errors == 0;
}

static void check_patterns(od_grammar_set *g, GString *errors);

bool od_grammar_set_add_data(od_grammar_set *g, const char *filename,
                             const char *data, size_t len, GString *errors)
{
    if (!g || (!data && len))
        return false;
    if (g->compiled) {
        if (errors)
            g_string_append_printf(errors, "%s: grammars cannot be added after compiling\n",
                                   filename ? filename : "<memory>");
        return false;
    }
    g->generation++;
    if (parse_file(g, filename ? filename : "<memory>", data ? data : "", len, errors))
        return true;
    g->failed = true;
    check_patterns(g, errors);
    return false;
}

bool od_grammar_set_add_group(od_grammar_set *g, const od_grammar_src *srcs,
                              size_t n, GString *errors)
{
    bool ok = true;

    if (!g || (!srcs && n))
        return false;
    if (g->compiled) {
        if (errors)
            g_string_append_printf(errors, "%s: grammars cannot be added after compiling\n",
                                   n ? srcs[0].file : "<group>");
        return false;
    }
    g->generation++;
    for (size_t i = 0; i < n; i++)
        if (!parse_file(g, srcs[i].file, srcs[i].data ? srcs[i].data : "",
                        srcs[i].len, errors))
            ok = false;
    if (!ok) {
        g->failed = true;
        check_patterns(g, errors);
    }
    return ok;
}

static int cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

bool od_grammar_set_add_dir(od_grammar_set *g, const char *dir, GString *errors)
{
    GError *err = NULL;
    GDir *d;
    GPtrArray *names;
    od_grammar_src *srcs;
    const char *n;
    bool ok = true;

    if (!g || !dir)
        return false;
    if (g->compiled) {
        if (errors)
            g_string_append_printf(errors, "%s: grammars cannot be added after compiling\n", dir);
        return false;
    }
    d = g_dir_open(dir, 0, &err);
    if (!d) {
        if (errors)
            g_string_append_printf(errors, "%s: %s\n", dir, err->message);
        g_error_free(err);
        return false;
    }
    names = g_ptr_array_new_with_free_func(g_free);
    while ((n = g_dir_read_name(d)))
        if (g_str_has_suffix(n, ".rules") && n[0] != '.')
            g_ptr_array_add(names, g_strdup(n));
    g_dir_close(d);
    g_ptr_array_sort(names, cmp_str);
    srcs = g_new0(od_grammar_src, names->len ? names->len : 1);
    for (guint i = 0; i < names->len; i++) {
        char *path = g_build_filename(dir, g_ptr_array_index(names, i), NULL);
        char *data = NULL;
        gsize len = 0;
        srcs[i].file = g_string_chunk_insert_const(g->strs, path);
        if (!g_file_get_contents(path, &data, &len, &err)) {
            if (errors)
                g_string_append_printf(errors, "%s: %s\n", path, err->message);
            g_clear_error(&err);
            ok = false;
        }
        srcs[i].data = data;
        srcs[i].len = len;
        g_free(path);
    }
    if (ok) {
        ok = od_grammar_set_add_group(g, srcs, names->len, errors);
    } else { /* a file that cannot be read: none of the folder is loaded */
        g->failed = true;
        check_patterns(g, errors);
    }
    for (guint i = 0; i < names->len; i++)
        g_free((char *)srcs[i].data);
    g_free(srcs);
    g_ptr_array_free(names, TRUE);
    return ok;
}

/* ---- Compiling ------------------------------------------------------------ */

typedef struct piece {
    size_t out_start;  /* in the expanded pattern */
    size_t src_off;    /* in the source value: literal text, or the reference */
    const char *ref;   /* "{{NAME}}" text of a reference, NULL for literal text */
} piece;

typedef struct cctx {
    od_grammar_set *g;
    GString *errors;
    int n_errors;
    GPtrArray *stack; /* defn* being expanded */
    /* Errors per file: the first MAX_ERRORS_PER_FILE are written, the
     * rest only counted ("N more errors", cctx_finish). */
    GHashTable *per_file; /* file name -> count */
    GPtrArray *files;     /* file names in order of their first error */
} cctx;

static void cctx_init(cctx *c, od_grammar_set *g, GString *errors)
{
    memset(c, 0, sizeof *c);
    c->g = g;
    c->errors = errors;
    c->stack = g_ptr_array_new();
    c->per_file = g_hash_table_new(g_str_hash, g_str_equal);
    c->files = g_ptr_array_new();
}

static void cctx_finish(cctx *c)
{
    for (guint i = 0; i < c->files->len; i++) {
        const char *f = g_ptr_array_index(c->files, i);
        int n = GPOINTER_TO_INT(g_hash_table_lookup(c->per_file, f));
        if (n > MAX_ERRORS_PER_FILE && c->errors)
            g_string_append_printf(c->errors, "%s: %d more error%s\n", f,
                                   n - MAX_ERRORS_PER_FILE,
                                   n - MAX_ERRORS_PER_FILE == 1 ? "" : "s");
    }
    g_ptr_array_free(c->files, TRUE);
    g_hash_table_destroy(c->per_file);
    g_ptr_array_free(c->stack, TRUE);
}

static void cerr(cctx *c, const srcval *v, size_t off, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

/* Counts one error of file; false when it is past the file's limit. */
static bool cctx_count(cctx *c, const char *file)
{
    int n = GPOINTER_TO_INT(g_hash_table_lookup(c->per_file, file)) + 1;

    c->n_errors++;
    if (n == 1)
        g_ptr_array_add(c->files, (gpointer)file);
    g_hash_table_insert(c->per_file, (gpointer)file, GINT_TO_POINTER(n));
    return n <= MAX_ERRORS_PER_FILE;
}

/* An error at byte col of a source line (not of a pattern). */
static void cerr_line(cctx *c, const char *file, int line, const char *text, size_t len,
                      size_t col, const char *fmt, ...) G_GNUC_PRINTF(7, 8);

static void cerr_line(cctx *c, const char *file, int line, const char *text, size_t len,
                      size_t col, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    if (!cctx_count(c, file))
        return;
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    emit_error(c->errors, file, line, text, len, col, msg);
    g_free(msg);
}

static void cerr(cctx *c, const srcval *v, size_t off, const char *fmt, ...)
{
    va_list ap;
    char *msg;
    size_t colb = 0;
    const srcseg *s;

    if (!cctx_count(c, v->file))
        return;
    s = srcval_locate(v, off, &colb);
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (s)
        emit_error(c->errors, v->file, s->line, s->text, s->text_len, colb, msg);
    else if (c->errors)
        g_string_append_printf(c->errors, "%s: %s\n", v->file, msg);
    g_free(msg);
}

/* "(?:a|b)" for the lexicon's spellings: regex-quoted, longest first,
 * inner white space as \s+, "(?i:...)" for a nocase lexicon. */
static int cmp_spelling(gconstpointer a, gconstpointer b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    glong lx = g_utf8_strlen(x, -1), ly = g_utf8_strlen(y, -1);

    if (lx != ly)
        return lx > ly ? -1 : 1;
    return strcmp(x, y);
}

static const char *lexicon_alternation(od_lexicon *lx)
{
    GPtrArray *sp;
    GString *out;

    if (lx->alternation)
        return lx->alternation;
    sp = g_ptr_array_new();
    for (guint i = 0; i < lx->canon->len; i++) {
        const char *const *al = g_ptr_array_index(lx->aliases, i);
        if (!al[0])
            g_ptr_array_add(sp, g_ptr_array_index(lx->canon, i));
        for (; *al; al++)
            g_ptr_array_add(sp, (gpointer)*al);
    }
    g_ptr_array_sort(sp, cmp_spelling);
    out = g_string_new(lx->nocase ? "(?i:" : "(?:");
    for (guint i = 0, k = 0; i < sp->len; i++) {
        const char *s = g_ptr_array_index(sp, i);
        bool space = false;
        if (i > 0 && strcmp(s, g_ptr_array_index(sp, i - 1)) == 0)
            continue;
        if (k++)
            g_string_append_c(out, '|');
        for (const char *q = s; *q; q = g_utf8_next_char(q)) {
            gunichar ch = g_utf8_get_char(q);
            if (u_isUWhiteSpace((UChar32)ch)) {
                space = true;
                continue;
            }
            if (space)
                g_string_append(out, "\\s+");
            space = false;
            if (ch < 0x80 && !g_ascii_isalnum((char)ch))
                g_string_append_c(out, '\\');
            g_string_append_unichar(out, ch);
        }
    }
    if (sp->len == 0)
        g_string_append(out, "(?!)"); /* an empty lexicon matches nothing */
    g_string_append_c(out, ')');
    g_ptr_array_free(sp, TRUE);
    lx->alternation = g_string_free(out, FALSE);
    return lx->alternation;
}

static bool expand_def(cctx *c, defn *d, int depth);

/* Expands the references of v into out.  pieces (may be NULL) receives
 * where each part of out came from. */
static bool expand(cctx *c, const srcval *v, int depth, GString *out, GArray *pieces)
{
    const char *s = v->value->str;
    size_t n = v->value->len, i = 0, lit = 0;
    bool ok = true;

    while (i < n) {
        size_t j, na, nb, bs = 0;
        bool at;
        piece pc;

        if (!(s[i] == '{' && i + 1 < n && s[i + 1] == '{')) {
            i++;
            continue;
        }
        for (j = i; j > 0 && s[j - 1] == '\\'; j--)
            bs++;
        if (bs % 2) { /* "\{{" is a literal brace */
            i += 2;
            continue;
        }
        /* literal text before the reference */
        if (i > lit && pieces) {
            pc.out_start = out->len;
            pc.src_off = lit;
            pc.ref = NULL;
            g_array_append_val(pieces, pc);
        }
        g_string_append_len(out, s + lit, (gssize)(i - lit));
        at = i + 2 < n && s[i + 2] == '@';
        na = i + 2 + (at ? 1 : 0);
        nb = na;
        while (nb < n && (g_ascii_isalnum(s[nb]) || s[nb] == '_'))
            nb++;
        if (nb + 1 >= n || s[nb] != '}' || s[nb + 1] != '}' || !valid_name(s + na, nb - na)) {
            cerr(c, v, i, "malformed reference (expected {{NAME}} or {{@LEXICON}})");
            ok = false;
            lit = i = i + 2;
            continue;
        }
        if (pieces) {
            pc.out_start = out->len;
            pc.src_off = i;
            pc.ref = g_string_chunk_insert_len(c->g->strs, s + i, (gssize)(nb + 2 - i));
            g_array_append_val(pieces, pc);
        }
        {
            char *name = g_strndup(s + na, nb - na);
            const char *text = NULL;
            if (at) {
                od_lexicon *lx = g_hash_table_lookup(c->g->lex_by_name, name);
                if (!lx) {
                    cerr(c, v, i, "unknown lexicon '%s'", name);
                    ok = false;
                } else {
                    text = lexicon_alternation(lx);
                }
            } else {
                defn *d = g_hash_table_lookup(c->g->def_by_name, name);
                if (!d) {
                    cerr(c, v, i, "unknown definition '%s'", name);
                    ok = false;
                } else if (d->state == DEF_EXPANDING) {
                    GString *chain = g_string_new(NULL);
                    guint k = 0;
                    while (k < c->stack->len && g_ptr_array_index(c->stack, k) != d)
                        k++;
                    for (; k < c->stack->len; k++)
                        g_string_append_printf(chain, "%s -> ",
                                               ((defn *)g_ptr_array_index(c->stack, k))->name);
                    g_string_append(chain, d->name);
                    cerr(c, v, i, "definition cycle: %s", chain->str);
                    g_string_free(chain, TRUE);
                    ok = false;
                } else if (depth >= MAX_DEF_DEPTH) {
                    cerr(c, v, i, "definitions nested more than %d deep", MAX_DEF_DEPTH);
                    ok = false;
                } else if (expand_def(c, d, depth + 1)) {
                    g_string_append(out, "(?:");
                    text = d->expanded;
                } else {
                    ok = false; /* reported where the definition failed */
                }
                if (text) {
                    g_string_append(out, text);
                    g_string_append_c(out, ')');
                    text = NULL;
                }
            }
            if (text)
                g_string_append(out, text);
            g_free(name);
        }
        if (out->len > MAX_PATTERN_BYTES) {
            cerr(c, v, i, "pattern longer than %u bytes after expanding {{...}}",
                 MAX_PATTERN_BYTES);
            return false;
        }
        lit = i = nb + 2;
    }
    if (n > lit && pieces) {
        piece pc = {out->len, lit, NULL};
        g_array_append_val(pieces, pc);
    }
    g_string_append_len(out, s + lit, (gssize)(n - lit));
    if (out->len > MAX_PATTERN_BYTES) {
        cerr(c, v, 0, "pattern longer than %u bytes after expanding {{...}}",
             MAX_PATTERN_BYTES);
        return false;
    }
    return ok;
}

static URegularExpression *compile_regex(cctx *c, const srcval *v, const GString *out,
                                         const GArray *pieces, uint32_t flags,
                                         const char *what, bool quiet_backref);

static bool expand_def(cctx *c, defn *d, int depth)
{
    GString *out;
    GArray *pieces;
    int errors_before = c->n_errors;

    if (d->state == DEF_DONE)
        return true;
    if (d->state == DEF_FAILED)
        return false;
    d->state = DEF_EXPANDING;
    g_ptr_array_add(c->stack, d);
    out = g_string_new(NULL);
    pieces = g_array_new(FALSE, FALSE, sizeof(piece));
    if (expand(c, &d->val, depth, out, pieces)) {
        /* A definition must be a regular expression of its own, so that a
         * fault is reported here, once, at its exact column.  A back
         * reference may point at a group of the pattern that uses it. */
        char *what = g_strdup_printf("definition '%s'", d->name);
        URegularExpression *re = compile_regex(c, &d->val, out, pieces, 0, what, true);
        g_free(what);
        if (re || c->n_errors == errors_before) {
            d->expanded = g_string_free(out, FALSE);
            out = NULL;
            d->state = DEF_DONE;
        }
        if (re)
            uregex_close(re);
    }
    if (out) {
        g_string_free(out, TRUE);
        d->state = DEF_FAILED;
    }
    g_array_free(pieces, TRUE);
    g_ptr_array_remove_index(c->stack, c->stack->len - 1);
    return d->state == DEF_DONE;
}

static const char *regex_reason(UErrorCode st)
{
    switch (st) {
    case U_REGEX_MISMATCHED_PAREN: return "mismatched parenthesis";
    case U_REGEX_MISSING_CLOSE_BRACKET: return "missing ']'";
    case U_REGEX_RULE_SYNTAX: return "syntax error";
    case U_REGEX_BAD_ESCAPE_SEQUENCE: return "bad escape sequence";
    case U_REGEX_PROPERTY_SYNTAX: return "bad \\p{...} property";
    case U_REGEX_MAX_LT_MIN: return "maximum less than minimum in {min,max}";
    case U_REGEX_BAD_INTERVAL: return "bad {min,max} interval";
    case U_REGEX_NUMBER_TOO_BIG: return "number too big in {min,max}";
    case U_REGEX_INVALID_BACK_REF: return "back reference to a missing group";
    case U_REGEX_INVALID_FLAG: return "invalid flag";
    case U_REGEX_LOOK_BEHIND_LIMIT: return "look-behind without a bounded length";
    case U_REGEX_SET_CONTAINS_STRING: return "set contains a string";
    case U_REGEX_INVALID_RANGE: return "invalid range in a set";
    case U_REGEX_PATTERN_TOO_BIG: return "pattern too big";
    case U_REGEX_INVALID_CAPTURE_GROUP_NAME: return "invalid or duplicate capture group name";
    case U_REGEX_UNIMPLEMENTED: return "construct not supported by ICU";
    default: return "invalid pattern";
    }
}

static int cmp_capture(const void *a, const void *b)
{
    const int32_t *x = a, *y = b;
    return (x[0] > y[0]) - (x[0] < y[0]);
}

/* Calls fn for each named group "(?<name>" of pattern s (outside escapes,
 * \Q...\E and sets), with the name and the byte offset of its '('. */
typedef void (*group_fn)(const char *name, size_t len, size_t off, void *data);

static void each_group(const char *s, group_fn fn, void *data)
{
    int set_depth = 0;
    size_t n = strlen(s);

    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\') {
            if (i + 1 < n && s[i + 1] == 'Q') {
                const char *e = strstr(s + i + 2, "\\E");
                i = e ? (size_t)(e - s) + 1 : n;
            } else {
                i++;
            }
        } else if (s[i] == '[') {
            set_depth++;
        } else if (s[i] == ']' && set_depth > 0) {
            set_depth--;
        } else if (set_depth == 0 && s[i] == '(' && i + 3 < n && s[i + 1] == '?' &&
                   s[i + 2] == '<' && g_ascii_isalpha(s[i + 3])) {
            size_t a = i + 3, b = a;
            while (b < n && g_ascii_isalnum(s[b]))
                b++;
            if (b < n && s[b] == '>')
                fn(s + a, b - a, i, data);
        }
    }
}

typedef struct groups_acc {
    const od_rule *r;
    GArray *caps;      /* pairs (group number, index in names) */
    GPtrArray *names;  /* char*, g_free */
} groups_acc;

static void add_group(const char *s, size_t len, size_t off, void *data)
{
    groups_acc *acc = data;
    UErrorCode st = U_ZERO_ERROR;
    char *name = g_strndup(s, len);
    int32_t num = uregex_groupNumberFromCName(acc->r->re, name, -1, &st);

    (void)off;
    if (U_SUCCESS(st)) {
        int32_t pair[2] = {num, (int32_t)acc->names->len};
        g_array_append_val(acc->caps, pair);
        g_ptr_array_add(acc->names, name);
    } else {
        g_free(name);
    }
}

/* The fields of r: its named groups, numbered by ICU, then its 'set's. */
static void rule_fields(od_grammar_set *g, od_rule *r, const char *s)
{
    GArray *caps = g_array_new(FALSE, FALSE, sizeof(int32_t) * 2);
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    guint nsets = r->src->set_names->len;
    groups_acc acc = {r, caps, names};

    each_group(s, add_group, &acc);
    g_array_sort(caps, cmp_capture);
    r->n_captures = (int)caps->len;
    r->n_fields = (int)(caps->len + nsets);
    r->field_names = g_new0(char *, (gsize)r->n_fields + 1);
    r->field_values = g_new0(char *, (gsize)r->n_fields + 1);
    r->groups = g_new0(int32_t, (gsize)caps->len + 1);
    for (guint i = 0; i < caps->len; i++) {
        const int32_t *pair = (const int32_t *)(void *)(caps->data + i * sizeof(int32_t) * 2);
        const char *nm = g_ptr_array_index(names, (guint)pair[1]);
        r->groups[i] = pair[0];
        r->field_names[i] = g_string_chunk_insert_const(g->strs, nm);
    }
    for (guint i = 0; i < nsets; i++) {
        r->field_names[caps->len + i] = g_ptr_array_index(r->src->set_names, i);
        r->field_values[caps->len + i] = g_ptr_array_index(r->src->set_values, i);
    }
    g_array_free(caps, TRUE);
    g_ptr_array_free(names, TRUE);
}

/* Compiles the expanded pattern out of source v.  On a syntax error,
 * reports it at the faulty column of the source (or at the {{reference}}
 * whose text holds the fault) and returns NULL.  what names the owner:
 * "rule 'x'" or "definition 'X'". */
static URegularExpression *compile_regex(cctx *c, const srcval *v, const GString *out,
                                         const GArray *pieces, uint32_t flags,
                                         const char *what, bool quiet_backref)
{
    UChar *u;
    int32_t ulen = 0;
    UParseError pe;
    UErrorCode st = U_ZERO_ERROR;
    URegularExpression *re;
    glong cps, at;
    size_t boff;
    const piece *pc = NULL;

    memset(&pe, 0, sizeof pe);
    u = to_utf16(out->str, out->len, &ulen);
    if (!u) {
        cerr(c, v, 0, "pattern of %s cannot be converted to UTF-16", what);
        return NULL;
    }
    re = uregex_open(u, ulen, flags, &pe, &st);
    g_free(u);
    if (U_SUCCESS(st))
        return re;
    if (re)
        uregex_close(re);
    if (quiet_backref && st == U_REGEX_INVALID_BACK_REF)
        return NULL;
    /* pe.offset counts the code points read up to and including the fault */
    cps = g_utf8_strlen(out->str, (gssize)out->len);
    at = pe.line <= 1 && pe.offset > 0 ? pe.offset - 1 : 0;
    if (at > cps)
        at = cps;
    boff = (size_t)(g_utf8_offset_to_pointer(out->str, at) - out->str);
    for (guint i = 0; i < pieces->len; i++) {
        const piece *q = &g_array_index(pieces, piece, i);
        if (q->out_start <= boff || !pc)
            pc = q;
    }
    if (pc && pc->ref)
        cerr(c, v, pc->src_off, "bad regular expression in %s: %s (%s) inside %s", what,
             regex_reason(st), u_errorName(st), pc->ref);
    else
        cerr(c, v, pc ? pc->src_off + (boff - pc->out_start) : 0,
             "bad regular expression in %s: %s (%s)", what, regex_reason(st),
             u_errorName(st));
    return NULL;
}

/* ---- Trigger words ------------------------------------------------------- */

typedef struct trig_prefix {
    int id;
    size_t len;
    char word[]; /* folded, NUL-terminated */
} trig_prefix;

typedef struct wordacc {
    char buf[OD_WORD_MAX + 8];
    size_t len;
    int chars;
    bool too_long;
} wordacc;

static void wordacc_put(wordacc *w, UChar32 c)
{
    char u[8];
    int n;

    w->chars++;
    if (c < 0x80) {
        u[0] = (char)g_ascii_tolower((char)c);
        n = 1;
    } else {
        n = g_unichar_to_utf8((gunichar)u_foldCase(c, U_FOLD_CASE_DEFAULT), u);
    }
    if (w->len + (size_t)n > OD_WORD_MAX) {
        w->too_long = true;
        return;
    }
    memcpy(w->buf + w->len, u, (size_t)n);
    w->len += (size_t)n;
    w->buf[w->len] = '\0';
}

static void wordacc_emit(wordacc *w, od_word_fn fn, void *data)
{
    if (w->chars > 0 && !w->too_long)
        fn(w->buf, w->len, data);
    w->len = 0;
    w->chars = 0;
    w->too_long = false;
    w->buf[0] = '\0';
}

void od_words_each(const UChar *s, int32_t n, od_word_fn fn, void *data)
{
    wordacc w = {{0}, 0, 0, false}, ab = {{0}, 0, 0, false};
    int32_t i = 0, tok_start = -1, chain_next = -1;

    if (!s || n <= 0 || !fn)
        return;
    while (i <= n) {
        UChar32 c = 0;
        int32_t at = i;
        bool single;

        if (i < n) {
            U16_NEXT(s, i, n, c);
            if (c < 0x80 ? g_ascii_isalnum((char)c) : u_isalnum(c)) {
                if (w.chars == 0)
                    tok_start = at;
                wordacc_put(&w, c);
                continue;
            }
        } else {
            i++; /* the end of the text ends the last word */
        }
        if (w.chars == 0)
            continue;
        /* a word ends at at, before c */
        single = w.chars == 1;
        if (single && ab.chars > 0 && tok_start == chain_next) {
            wordacc_put(&ab, g_utf8_get_char(w.buf));
        } else {
            if (ab.chars >= 2)
                wordacc_emit(&ab, fn, data);
            ab.len = 0;
            ab.chars = 0;
            ab.too_long = false;
            if (single && c == '.')
                wordacc_put(&ab, g_utf8_get_char(w.buf));
        }
        wordacc_emit(&w, fn, data);
        if (ab.chars > 0 && c == '.') {
            chain_next = at + 1;
        } else if (ab.chars > 0) {
            if (ab.chars >= 2)
                wordacc_emit(&ab, fn, data);
            ab.len = 0;
            ab.chars = 0;
            ab.too_long = false;
        }
    }
    if (ab.chars >= 2)
        wordacc_emit(&ab, fn, data);
}

typedef struct wordlist {
    GPtrArray *words; /* char*, g_free */
    size_t limit;     /* stop after this many words (0: all) */
} wordlist;

static void collect_word(const char *word, size_t len, void *data)
{
    wordlist *wl = data;

    if (wl->limit == 0 || wl->words->len < wl->limit)
        g_ptr_array_add(wl->words, g_strndup(word, len));
}

/* The words of a UTF-8 string, at most limit of them (0: all). */
static GPtrArray *words_of(const char *s, size_t len, size_t limit)
{
    wordlist wl = {g_ptr_array_new_with_free_func(g_free), limit};
    int32_t n = 0;
    UChar *u = to_utf16(s, len, &n);

    if (u)
        od_words_each(u, n, collect_word, &wl);
    g_free(u);
    return wl.words;
}

static int trigger_id(od_grammar_set *g, const char *word, bool prefix)
{
    if (!prefix) {
        gpointer v = g_hash_table_lookup(g->trig_words, word);
        if (v)
            return GPOINTER_TO_INT(v) - 1;
        g_hash_table_insert(g->trig_words, g_strdup(word), GINT_TO_POINTER(g->n_trig + 1));
    } else {
        trig_prefix *tp;
        for (guint i = 0; i < g->trig_prefixes->len; i++) {
            tp = g_ptr_array_index(g->trig_prefixes, i);
            if (strcmp(tp->word, word) == 0)
                return tp->id;
        }
        tp = g_malloc(sizeof *tp + strlen(word) + 1);
        tp->id = g->n_trig;
        tp->len = strlen(word);
        memcpy(tp->word, word, tp->len + 1);
        g_ptr_array_add(g->trig_prefixes, tp);
    }
    return g->n_trig++;
}

/* The words of a pattern, folded, between spaces, so that a trigger word
 * can be looked up in it.  An escaped letter (\s, \b, \d) separates
 * words and an escaped sign stands for itself, so "L\.L\.P\." holds
 * "llp" and "\s+by\s+" holds "by". */
static char *pattern_letters(const char *pat)
{
    GString *plain = g_string_new(NULL), *out = g_string_new(" ");
    GPtrArray *w;

    for (const char *q = pat; *q; q++) {
        if (*q == '\\' && q[1]) {
            q++;
            g_string_append_c(plain, g_ascii_isalnum(*q) ? ' ' : *q);
        } else {
            g_string_append_c(plain, *q);
        }
    }
    w = words_of(plain->str, plain->len, 0);
    g_string_free(plain, TRUE);

    for (guint i = 0; i < w->len; i++) {
        g_string_append(out, g_ptr_array_index(w, i));
        g_string_append_c(out, ' ');
    }
    g_ptr_array_free(w, TRUE);
    return g_string_free(out, FALSE);
}

/* Resolves the 'trigger' words of r (after its pattern, expanded as pat,
 * compiled): each must be a word, word* or @LEXICON, and each word must
 * occur in the pattern.  A lexicon contributes the longest word of each
 * of its spellings; a spelling without a word leaves the rule untriggered. */
static bool compile_triggers(cctx *c, od_rule *r, const char *pat)
{
    const srcval *v = &r->src->trig;
    const char *s = v->value->str;
    size_t n = v->value->len, i = 0;
    GArray *ids = g_array_new(FALSE, FALSE, sizeof(int));
    char *letters = NULL;
    bool ok = true, everywhere = false;

    while ((i = skip_blanks(s, i, n)) < n) {
        size_t e = token_end(s, i, n);
        if (s[i] == '@') {
            od_lexicon *lx = NULL;
            char *name = g_strndup(s + i + 1, e - i - 1);
            lx = g_hash_table_lookup(c->g->lex_by_name, name);
            if (!lx) {
                cerr(c, v, i, "trigger of rule '%s': unknown lexicon '@%s'", r->id, name);
                ok = false;
            }
            for (guint k = 0; lx && k < lx->canon->len; k++) {
                const char *const *al = g_ptr_array_index(lx->aliases, k);
                const char *one[2] = {g_ptr_array_index(lx->canon, k), NULL};
                for (const char *const *sp = al[0] ? al : one; *sp; sp++) {
                    GPtrArray *w = words_of(*sp, strlen(*sp), 0);
                    const char *best = NULL;
                    /* every word of a spelling is needed: its longest is
                     * the likeliest to be rare ("pile" of "The Pile") */
                    for (guint k2 = 0; k2 < w->len; k2++)
                        if (!best || strlen(g_ptr_array_index(w, k2)) > strlen(best))
                            best = g_ptr_array_index(w, k2);
                    if (!best) {
                        everywhere = true;
                    } else {
                        int id = trigger_id(c->g, best, false);
                        g_array_append_val(ids, id);
                    }
                    g_ptr_array_free(w, TRUE);
                }
            }
            g_free(name);
        } else {
            bool prefix = e - i > 1 && s[e - 1] == '*';
            size_t we = prefix ? e - 1 : e;
            GPtrArray *w = words_of(s + i, we - i, 0);
            char *as_written = g_strndup(s + i, e - i);
            bool alnum = true;
            for (const char *q = s + i; q < s + we; q = g_utf8_next_char(q))
                if (!u_isalnum((UChar32)g_utf8_get_char(q)))
                    alnum = false;
            if (w->len != 1 || !alnum) {
                cerr(c, v, i, "bad trigger '%s' of rule '%s' (expected a word of "
                     "letters and digits, WORD* or @LEXICON)", as_written, r->id);
                ok = false;
            } else {
                const char *word = g_ptr_array_index(w, 0);
                char *needle = g_strdup_printf(prefix ? " %s" : " %s ", word);
                if (!letters)
                    letters = pattern_letters(pat);
                if (!strstr(letters, needle)) {
                    cerr(c, v, i, "trigger '%s' of rule '%s' is not a word of its "
                         "pattern", as_written, r->id);
                    ok = false;
                } else {
                    int id = trigger_id(c->g, word, prefix);
                    g_array_append_val(ids, id);
                }
                g_free(needle);
            }
            g_free(as_written);
            g_ptr_array_free(w, TRUE);
        }
        i = e;
    }
    if (ok && !everywhere && ids->len > 0) {
        r->n_trig = (int)ids->len;
        r->trig = (int *)(void *)g_array_free(ids, FALSE);
    } else {
        g_array_free(ids, TRUE);
    }
    g_free(letters);
    return ok;
}

int od_grammar_set_n_triggers(const od_grammar_set *g)
{
    return g && !g->no_triggers ? g->n_trig : 0;
}

int od_grammar_set_trigger_ids(const od_grammar_set *g, const char *word, size_t len,
                               int *ids, int max)
{
    int k = 0;
    gpointer v;

    if (!g || !word || max <= 0)
        return 0;
    if ((v = g_hash_table_lookup(g->trig_words, word)))
        ids[k++] = GPOINTER_TO_INT(v) - 1;
    for (guint i = 0; i < g->trig_prefixes->len && k < max; i++) {
        const trig_prefix *tp = g_ptr_array_index(g->trig_prefixes, i);
        if (len >= tp->len && memcmp(word, tp->word, tp->len) == 0)
            ids[k++] = tp->id;
    }
    return k;
}

const od_prefilter *od_grammar_set_prefilter(const od_grammar_set *g)
{
    return g && !g->no_triggers ? g->prefilter : NULL;
}

void od_grammar_set_use_triggers(od_grammar_set *g, bool on)
{
    if (g)
        g->no_triggers = !on;
}

/* ---- Declared fields ------------------------------------------------------ */

/* "a b c": the names a declaration lists, for messages (g_free). */
static char *declared_names(const fielddecl *d)
{
    GString *out = g_string_new(NULL);

    for (guint i = 0; i < d->defs->len; i++) {
        const fielddef *f = g_ptr_array_index(d->defs, i);
        g_string_append_printf(out, "%s%s", i ? " " : "", f->name);
    }
    if (d->defs->len == 0)
        g_string_append(out, "nothing");
    return g_string_free(out, FALSE);
}

typedef struct fcheck {
    cctx *c;
    const od_rule *r;
    const fielddecl *d;
    const GArray *pieces;
    GPtrArray *seen; /* const char* (a fielddef's name): fields the rule has */
    bool ok;
} fcheck;

/* Where byte off of the expanded pattern comes from: an offset of the
 * rule's source value, and the {{reference}} it lies inside (or NULL). */
static size_t source_offset(const GArray *pieces, size_t off, const char **ref)
{
    const piece *pc = NULL;

    for (guint i = 0; i < pieces->len; i++) {
        const piece *q = &g_array_index(pieces, piece, i);
        if (q->out_start <= off || !pc)
            pc = q;
    }
    *ref = pc ? pc->ref : NULL;
    if (!pc)
        return 0;
    return pc->ref ? pc->src_off : pc->src_off + (off - pc->out_start);
}

static void check_group(const char *name, size_t len, size_t off, void *data)
{
    fcheck *fc = data;
    const fielddef *f = fielddecl_find(fc->d, name, len);
    const char *ref = NULL, *kind = od_kind_names[fc->d->kind];
    size_t at = source_offset(fc->pieces, off, &ref) + (ref ? 0 : 3); /* at the name */
    char *inside = ref ? g_strdup_printf(" inside %s", ref) : g_strdup("");

    if (!f) {
        char *names = declared_names(fc->d);
        cerr(fc->c, &fc->r->src->pat, at,
             "unknown field '%.*s' in rule '%s' (kind '%s' declares: %s)%s", (int)len, name,
             fc->r->id, kind, names, inside);
        g_free(names);
        fc->ok = false;
    } else if (f->type == FIELD_SET) {
        cerr(fc->c, &fc->r->src->pat, at,
             "field '%s' of kind '%s' is given by 'set', not by a group (rule '%s')%s",
             f->name, kind, fc->r->id, inside);
        fc->ok = false;
    }
    if (f) /* present, even when given the wrong way: no "lacks" error too */
        g_ptr_array_add(fc->seen, (gpointer)f->name);
    g_free(inside);
}

/* Checks the groups (in the expanded pattern pat) and 'set' lines of r
 * against its kind's 'fields' block; true when they agree or the kind has
 * no block.  A rule that passes may be read by its declared names only
 * (od_rule_declares). */
static bool check_rule_fields(cctx *c, od_rule *r, const char *pat, const GArray *pieces)
{
    const fielddecl *d = r->kind >= 0 && r->kind < OD_N_KINDS ? c->g->decls[r->kind] : NULL;
    const char *kind;
    fcheck fc = {c, r, d, pieces, NULL, true};

    if (r->suppress || !d)
        return true;
    kind = od_kind_names[d->kind];
    fc.seen = g_ptr_array_new();
    each_group(pat, check_group, &fc);
    for (guint i = 0; i < r->src->set_names->len; i++) {
        const char *name = g_ptr_array_index(r->src->set_names, i);
        const char *value = g_ptr_array_index(r->src->set_values, i);
        const setpos *sp = &g_array_index(r->src->set_pos, setpos, i);
        const fielddef *f = fielddecl_find(d, name, strlen(name));
        bool allowed = false;
        if (!f) {
            char *names = declared_names(d);
            cerr_line(c, r->src->file, sp->line, sp->text, sp->text_len, sp->name_col,
                      "unknown field '%s' in rule '%s' (kind '%s' declares: %s)", name, r->id,
                      kind, names);
            g_free(names);
            fc.ok = false;
            continue;
        }
        if (f->type == FIELD_GROUP) {
            cerr_line(c, r->src->file, sp->line, sp->text, sp->text_len, sp->name_col,
                      "field '%s' of kind '%s' is given by a group (?<%s>...), not by 'set' "
                      "(rule '%s')", name, kind, name, r->id);
            fc.ok = false;
            g_ptr_array_add(fc.seen, (gpointer)f->name);
            continue;
        }
        for (guint k = 0; f->values && k < f->values->len; k++)
            if (strcmp(g_ptr_array_index(f->values, k), value) == 0)
                allowed = true;
        if (f->values && !allowed) {
            GString *vals = g_string_new(NULL);
            for (guint k = 0; k < f->values->len; k++)
                g_string_append_printf(vals, "%s%s", k ? " | " : "",
                                       (const char *)g_ptr_array_index(f->values, k));
            cerr_line(c, r->src->file, sp->line, sp->text, sp->text_len, sp->value_col,
                      "value '%s' not allowed for field '%s' of kind '%s' (expected one of: "
                      "%s)", value, name, kind, vals->str);
            g_string_free(vals, TRUE);
            fc.ok = false;
        }
        g_ptr_array_add(fc.seen, (gpointer)f->name); /* present, even when wrong */
    }
    for (guint i = 0; i < d->defs->len; i++) {
        const fielddef *f = g_ptr_array_index(d->defs, i);
        bool have = false;
        for (guint k = 0; k < fc.seen->len && !have; k++)
            have = g_ptr_array_index(fc.seen, k) == f->name;
        if (f->required && !have) {
            char *hint = f->type == FIELD_GROUP ? g_strdup_printf("a group (?<%s>...)", f->name)
                         : f->type == FIELD_SET ? g_strdup_printf("'set %s = ...'", f->name)
                         : g_strdup_printf("a group (?<%s>...) or 'set %s = ...'", f->name,
                                           f->name);
            cerr_line(c, r->src->file, r->src->line, r->src->head, r->src->head_len,
                      r->src->head_col, "rule '%s' lacks the required field '%s' of kind "
                      "'%s' (add %s)", r->id, f->name, kind, hint);
            g_free(hint);
            fc.ok = false;
        }
    }
    g_ptr_array_free(fc.seen, TRUE);
    if (fc.ok)
        r->decl = d;
    return fc.ok;
}

/* The names declared by any kind, for od_rule_declares; NULL when no
 * kind declares its fields. */
static GHashTable *declared_set(const od_grammar_set *g)
{
    GHashTable *h = NULL;

    for (int k = 0; k < OD_N_KINDS; k++) {
        const fielddecl *d = g->decls[k];
        if (!d)
            continue;
        if (!h)
            h = g_hash_table_new(g_str_hash, g_str_equal);
        for (guint i = 0; i < d->defs->len; i++)
            g_hash_table_add(h, (gpointer)((const fielddef *)g_ptr_array_index(d->defs, i))->name);
    }
    return h;
}

bool od_rule_declares(const od_rule *r, const char *name)
{
    return !r || !r->declared || !name || g_hash_table_contains(r->declared, name);
}

static bool compile_rule(cctx *c, od_rule *r)
{
    GString *out;
    GArray *pieces;
    bool ok = false;

    if (r->src->tried)
        return r->re != NULL;
    r->src->tried = true;
    out = g_string_new(NULL);
    pieces = g_array_new(FALSE, FALSE, sizeof(piece));
    if (expand(c, &r->src->pat, 0, out, pieces)) {
        char *what = g_strdup_printf("rule '%s'", r->id);
        r->re = compile_regex(c, &r->src->pat, out, pieces, r->re_flags, what, false);
        g_free(what);
        if (r->re) {
            rule_fields(c->g, r, out->str);
            ok = check_rule_fields(c, r, out->str, pieces);
            ok = (!r->src->has_trigger || compile_triggers(c, r, out->str)) && ok;
            g_free(r->scan_pattern);
            r->scan_pattern = od_prefilter_translate(out->str, r->re_flags);
        }
    }
    g_string_free(out, TRUE);
    g_array_free(pieces, TRUE);
    return ok;
}

bool od_grammar_set_compile(od_grammar_set *g, GString *errors)
{
    cctx c;

    if (!g)
        return false;
    if (g->compiled)
        return g->compile_ok;
    cctx_init(&c, g, errors);
    g->declared = declared_set(g);
    for (guint i = 0; i < g->defs->len; i++)
        expand_def(&c, g_ptr_array_index(g->defs, i), 0);
    for (guint i = 0; i < g->rules->len; i++) {
        od_rule *r = g_ptr_array_index(g->rules, i);
        compile_rule(&c, r);
        r->declared = g->declared;
    }
    cctx_finish(&c);
    g->compiled = true;
    g->compile_ok = c.n_errors == 0 && !g->failed;
    if (g->compile_ok && g->rules->len > 0) {
        const char **pats = g_new0(const char *, g->rules->len);
        for (guint i = 0; i < g->rules->len; i++) {
            const od_rule *r = g_ptr_array_index(g->rules, i);
            pats[i] = r ? r->scan_pattern : NULL;
        }
        g->prefilter = od_prefilter_new(pats, g->rules->len);
        g_free(pats);
    }
    return g->compile_ok;
}

/* After an add that reported errors, compiles what that add loaded (its
 * definitions, its rules, and the patterns of its rules with errors) so
 * that one run reports the faults of the patterns too.  Definitions of
 * later folders are not known yet; they rarely serve earlier ones. */
static void check_patterns(od_grammar_set *g, GString *errors)
{
    cctx c;

    cctx_init(&c, g, errors);
    for (guint i = 0; i < g->defs->len; i++) {
        defn *d = g_ptr_array_index(g->defs, i);
        if (d->generation == g->generation)
            expand_def(&c, d, 0);
    }
    for (guint i = 0; i < g->rules->len; i++) {
        od_rule *r = g_ptr_array_index(g->rules, i);
        if (r->src->generation == g->generation)
            compile_rule(&c, r);
    }
    for (guint i = 0; i < g->diag->len; i++)
        compile_rule(&c, g_ptr_array_index(g->diag, i));
    g_ptr_array_set_size(g->diag, 0);
    cctx_finish(&c);
}

/* ---- Accessors ------------------------------------------------------------ */

size_t od_grammar_set_n_grammars(const od_grammar_set *g)
{
    return g ? g->grammars->len : 0;
}

void od_grammar_set_grammar(const od_grammar_set *g, size_t i,
                            const char **name, const char **version)
{
    const ginfo *gi = g && i < g->grammars->len ? g_ptr_array_index(g->grammars, i) : NULL;

    if (name)
        *name = gi ? gi->name : NULL;
    if (version)
        *version = gi ? gi->version : NULL;
}

size_t od_grammar_set_n_rules(const od_grammar_set *g)
{
    return g ? g->rules->len : 0;
}

const od_rule *od_grammar_set_rule(const od_grammar_set *g, size_t i)
{
    return g && i < g->rules->len ? g_ptr_array_index(g->rules, i) : NULL;
}

bool od_grammar_set_declares_kind(const od_grammar_set *g, int k)
{
    return g && k >= 0 && k < OD_N_KINDS && g->decls[k];
}

const od_rule *od_grammar_set_find_rule(const od_grammar_set *g, const char *id)
{
    return g && id ? g_hash_table_lookup(g->rule_by_id, id) : NULL;
}

const od_lexicon *od_grammar_set_lexicon(const od_grammar_set *g, const char *name)
{
    return g && name ? g_hash_table_lookup(g->lex_by_name, name) : NULL;
}

const char *od_lexicon_lookup(const od_lexicon *lex, const char *text)
{
    char *key;
    gpointer v;

    if (!lex || !text)
        return NULL;
    key = lexicon_key(text, strlen(text), lex->nocase);
    v = key ? g_hash_table_lookup(lex->lookup, key) : NULL;
    g_free(key);
    return v ? g_ptr_array_index(lex->canon, GPOINTER_TO_UINT(v) - 1) : NULL;
}

static bool key_alnum_before(const char *start, const char *p)
{
    if (p == start)
        return false;
    p = g_utf8_find_prev_char(start, p);
    return p && g_unichar_isalnum(g_utf8_get_char(p));
}

static bool key_alnum_at(const char *p)
{
    return *p && g_unichar_isalnum(g_utf8_get_char(p));
}

const char *od_lexicon_find(const od_lexicon *lex, const char *text, od_find_where where)
{
    char *hay;
    const char *r = NULL;

    if (!lex || !text || !(hay = lexicon_key(text, strlen(text), lex->nocase)))
        return NULL;
    for (guint i = 0; i < lex->canon->len && !r; i++) {
        const char *const *al = g_ptr_array_index(lex->aliases, i);
        const char *one[2] = {g_ptr_array_index(lex->canon, i), NULL};
        if (!al || !al[0])
            al = one;
        for (size_t k = 0; al[k] && !r; k++) {
            char *key = lexicon_key(al[k], strlen(al[k]), lex->nocase);
            size_t n = key ? strlen(key) : 0;
            bool edge_a = n && key_alnum_at(key);
            bool edge_b = n && key_alnum_at(g_utf8_find_prev_char(key, key + n));
            for (const char *p = n ? strstr(hay, key) : NULL; p && !r; p = strstr(p + 1, key))
                if (!(edge_a && key_alnum_before(hay, p)) && !(edge_b && key_alnum_at(p + n))
                    && (where == OD_FIND_ANYWHERE || (where == OD_FIND_START) == (p == hay)))
                    r = g_ptr_array_index(lex->canon, i);
            g_free(key);
        }
    }
    g_free(hay);
    return r;
}

size_t od_lexicon_n_entries(const od_lexicon *lex)
{
    return lex ? lex->canon->len : 0;
}

const char *od_lexicon_canonical(const od_lexicon *lex, size_t i)
{
    return lex && i < lex->canon->len ? g_ptr_array_index(lex->canon, i) : NULL;
}

const char *const *od_lexicon_aliases(const od_lexicon *lex, size_t i)
{
    return lex && i < lex->aliases->len ? g_ptr_array_index(lex->aliases, i) : NULL;
}

const char *od_rule_id(const od_rule *r)
{
    return r ? r->id : NULL;
}

const char *od_rule_kind(const od_rule *r)
{
    return r && r->kind >= 0 && r->kind < OD_N_KINDS ? od_kind_names[r->kind] : NULL;
}

int od_rule_priority(const od_rule *r)
{
    return r ? r->priority : 0;
}

const char *od_rule_set_value(const od_rule *r, const char *name)
{
    if (!r || !name)
        return NULL;
    for (int i = r->n_captures; i < r->n_fields; i++)
        if (r->field_values[i] && strcmp(r->field_names[i], name) == 0)
            return r->field_values[i];
    return NULL;
}

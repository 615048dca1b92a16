/*
 * prefilter.c - stage 4a/4b: one Hyperscan (vectorscan) scan of each
 * block tells match.c which rules can match there, so that ICU's regex
 * engine runs only on the blocks where a rule has a candidate.
 *
 * At compile time (grammar.c, od_grammar_set_compile) every rule's
 * expanded ICU pattern is first translated into a "widened" pattern in a
 * small regular syntax that matches wherever the ICU pattern does, and
 * more: \b ^ $ and negative look-arounds are dropped, \w \d \s become
 * classes with every non-ASCII character, classes that are not checked
 * here become "any byte", backreferences ".*".  From the widened pattern
 * come the rule's necessary literals: strings of which every match holds
 * one (see "Necessary literals" below).  Every rule's literals go into one
 * Hyperscan literal database, each tagged with its rule, scanned once per
 * block.  (Compiling the widened patterns themselves with HS_FLAG_PREFILTER
 * also works, but takes Hyperscan seconds at every start; literals take
 * milliseconds.)  A rule without literals, or whose pattern is not
 * translated (free spacing, an escape not known here), runs on every
 * block, or on the blocks with its trigger words when it has them.
 *
 * The scanned text: each block is case-folded code point by code point
 * (simple folding, so no character changes length), one byte each: ASCII
 * as itself, every other character as the byte 0x80, which the widened
 * patterns read as "any non-ASCII character".  The literals are folded
 * likewise, so one database serves case-sensitive and case-insensitive
 * rules alike.  ICU folds literal strings fully under (?i) ("ss" matches
 * "ß"), which simple folding cannot see: a literal "ß" of a pattern also
 * gives "ss", and a block holding a character whose full folding differs
 * from its simple one is not scanned (every rule runs on it).
 *
 * The result is exact: the prefilter only ever skips a block where the
 * ICU pattern cannot match.  check_match pins the translation and the
 * literals; check_pipeline compares the records of the samples and the
 * real corpus with and without the prefilter.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hs.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "grammar_p.h"

struct od_prefilter {
    hs_database_t *db;
    hs_scratch_t *proto; /* cloned per run: one scratch per thread */
    size_t n_rules;      /* rule indexes of the grammar set: 0..n_rules-1 */
    bool *covered;       /* covered[i]: rule i is in the database */
    size_t n_covered;
};

/* ---- Translation ---------------------------------------------------------- */

/* Widened classes over folded text: 0x80 is any non-ASCII character. */
#define NONASCII "\\x80"
static const char CLASS_ANY[] = "[\\x00-\\xFF]";

typedef struct tr {
    const char *p;   /* next byte of the ICU pattern */
    GString *out;
    bool ok;
} tr;

static void emit_cp(GString *out, UChar32 c)
{
    if (c < 0x80 && (g_ascii_isalnum((char)c) || c == ' ' || c == '_'))
        g_string_append_c(out, (char)c);
    else if (c < 0x80)
        g_string_append_printf(out, "\\x%02X", (unsigned)c);
    else
        g_string_append(out, NONASCII); /* any non-ASCII character */
}

/* Whether c's full case folding differs from its simple one (U+00DF
 * "ß" folds to "ss"). */
static bool folds_longer(UChar32 c)
{
    UChar src[2], full[8], simple[2];
    int32_t n = 0, nf, ns = 0;
    UErrorCode st = U_ZERO_ERROR;

    U16_APPEND_UNSAFE(src, n, c);
    U16_APPEND_UNSAFE(simple, ns, u_foldCase(c, U_FOLD_CASE_DEFAULT));
    nf = u_strFoldCase(full, 8, src, n, U_FOLD_CASE_DEFAULT, &st);
    return U_FAILURE(st) || nf != ns || memcmp(full, simple, (size_t)ns * sizeof(UChar)) != 0;
}

/* A literal code point of the pattern, as text folded like the scanned
 * text: its simple folding, or (?:simple|full) when ICU's full folding of
 * a literal string could match more ("ß" matches "ss"). */
static void emit_literal(GString *out, UChar32 c)
{
    UChar src[2], full[8];
    int32_t n = 0, nf;
    UErrorCode st = U_ZERO_ERROR;

    if (c < 0x80 || !folds_longer(c)) {
        emit_cp(out, u_foldCase(c, U_FOLD_CASE_DEFAULT));
        return;
    }
    U16_APPEND_UNSAFE(src, n, c);
    nf = u_strFoldCase(full, 8, src, n, U_FOLD_CASE_DEFAULT, &st);
    g_string_append(out, "(?:");
    emit_cp(out, u_foldCase(c, U_FOLD_CASE_DEFAULT));
    g_string_append_c(out, '|');
    for (int32_t i = 0; i < nf && U_SUCCESS(st);) {
        UChar32 f;
        U16_NEXT(full, i, nf, f);
        emit_cp(out, f);
    }
    g_string_append_c(out, ')');
}

/* Reads one code point of UTF-8 at t->p. */
static UChar32 next_cp(tr *t)
{
    UChar32 c = (UChar32)g_utf8_get_char_validated(t->p, -1);

    if (c < 0) {
        t->ok = false;
        return 0;
    }
    t->p = g_utf8_next_char(t->p);
    return c;
}

static int hexval(char c)
{
    return g_ascii_isxdigit(c) ? g_ascii_xdigit_value(c) : -1;
}

/* \x{h..}, \xhh, \uhhhh, \Uhhhhhhhh, \0ooo after the backslash and the
 * letter; -1 when malformed. */
static UChar32 escaped_cp(tr *t, char letter)
{
    UChar32 v = 0;
    int want = letter == 'x' ? 2 : letter == 'u' ? 4 : letter == 'U' ? 8 : 3;

    if (letter == 'x' && *t->p == '{') {
        int n = 0;
        for (t->p++; *t->p && *t->p != '}'; t->p++, n++) {
            if (hexval(*t->p) < 0 || n > 6)
                return -1;
            v = v * 16 + hexval(*t->p);
        }
        if (*t->p != '}' || n == 0)
            return -1;
        t->p++;
        return v <= 0x10FFFF ? v : -1;
    }
    for (int i = 0; i < want; i++) {
        int d = letter == '0' ? (*t->p >= '0' && *t->p <= '7' ? *t->p - '0' : -1)
                              : hexval(*t->p);
        if (d < 0) {
            if (letter == '0' || (letter == 'x' && i > 0))
                break;
            return -1;
        }
        v = v * (letter == '0' ? 8 : 16) + d;
        t->p++;
    }
    return v <= 0x10FFFF ? v : -1;
}

/* A control escape's character (\t \n ...), or -1. */
static int control_escape(char c)
{
    switch (c) {
    case 't': return '\t';
    case 'n': return '\n';
    case 'r': return '\r';
    case 'f': return '\f';
    case 'a': return 7;
    case 'e': return 27;
    default: return -1;
    }
}

/* A quantifier at t->p, if any, is copied widened (lazy and possessive
 * marks dropped, large bounds opened); with drop, it is skipped. */
static void quantifier(tr *t, bool drop)
{
    const char *p = t->p;

    if (*p == '*' || *p == '+' || *p == '?') {
        if (!drop)
            g_string_append_c(t->out, *p);
        p++;
    } else if (*p == '{') {
        char *e;
        unsigned long m = strtoul(p + 1, &e, 10), n = m;
        bool open = false;
        if (e == p + 1 || (*e != '}' && *e != ',')) {
            t->ok = false; /* not a quantifier: ICU refuses a bare '{' */
            return;
        }
        if (*e == ',') {
            const char *f = e + 1;
            if (*f == '}') {
                open = true;
                e = (char *)f;
            } else {
                n = strtoul(f, &e, 10);
                if (e == f || *e != '}') {
                    t->ok = false;
                    return;
                }
            }
        }
        p = e + 1;
        if (m > 16) { /* x{m,n} lies within x{16,} */
            m = 16;
            open = true;
        }
        if (n > 64)
            open = true;
        if (!drop) {
            if (open)
                g_string_append_printf(t->out, "{%lu,}", m);
            else
                g_string_append_printf(t->out, "{%lu,%lu}", m, n);
        }
    } else {
        return;
    }
    if (*p == '?' || *p == '+')
        p++;
    t->p = p;
}

/* A character class from '[' (already read) to its ']': a superset of it,
 * as a Hyperscan class over folded text, or "any character" when it holds
 * what is not checked here (nested sets, set operations, properties). */
static void char_class(tr *t)
{
    bool set[128] = {false}, sure[128] = {false}, nonascii = false, any = false;
    bool neg = false, first = true;
    UChar32 prev = -1; /* last single character, for ranges */
    int depth = 1;

    if (*t->p == '^') {
        neg = true;
        t->p++;
    }
    while (*t->p && depth > 0 && t->ok) {
        UChar32 c;
        bool single = false;
        if (*t->p == '[') {
            any = true; /* nested set or [:posix:] */
            depth++;
            t->p++;
            prev = -1;
            continue;
        }
        if (*t->p == ']' && !first) {
            depth--;
            t->p++;
            continue;
        }
        first = false;
        if (depth > 1) { /* inside a nested set: only find its end */
            if (*t->p == '\\' && t->p[1])
                t->p++;
            t->p = g_utf8_next_char(t->p);
            continue;
        }
        if ((t->p[0] == '&' && t->p[1] == '&') || (t->p[0] == '-' && t->p[1] == '-')) {
            any = true;
            t->p += 2;
            continue;
        }
        if (*t->p == '-' && prev >= 0 && t->p[1] && t->p[1] != ']') {
            UChar32 hi;
            t->p++;
            if (*t->p == '\\') {
                int ce;
                t->p++;
                if ((ce = control_escape(*t->p)) >= 0) {
                    hi = ce;
                    t->p++;
                } else if (strchr("xuU0", *t->p)) {
                    char l = *t->p++;
                    hi = escaped_cp(t, l);
                } else if (g_ascii_isalnum(*t->p)) {
                    t->ok = false;
                    return;
                } else {
                    hi = next_cp(t);
                }
            } else {
                hi = next_cp(t);
            }
            if (hi < 0 || hi < prev) {
                t->ok = false;
                return;
            }
            if (hi >= 0x80)
                any = true;
            for (UChar32 k = prev; k <= hi && k < 0x80; k++) {
                set[k] = sure[k] = true;
                if (g_ascii_isalpha((char)k))
                    set[(unsigned char)g_ascii_tolower((char)k)] =
                        set[(unsigned char)g_ascii_toupper((char)k)] = true;
            }
            prev = -1;
            continue;
        }
        if (*t->p == '\\') {
            char e = t->p[1];
            int ce;
            t->p += 2;
            if ((ce = control_escape(e)) >= 0) {
                c = ce;
                single = true;
            } else if (e == 'x' || e == 'u' || e == 'U' || e == '0') {
                c = escaped_cp(t, e);
                if (c < 0) {
                    t->ok = false;
                    return;
                }
                single = true;
            } else if (e == 'd') {
                for (int k = '0'; k <= '9'; k++)
                    set[k] = sure[k] = true;
                nonascii = true;
            } else if (e == 'w') {
                for (int k = 0; k < 128; k++)
                    if (g_ascii_isalnum((char)k) || k == '_')
                        set[k] = sure[k] = true;
                nonascii = true;
            } else if (e == 's') {
                for (const char *q = "\t\n\f\r "; *q; q++)
                    sure[(int)*q] = true;
                for (int k = '\t'; k <= '\r'; k++)
                    set[k] = true;
                set[' '] = true;
                nonascii = true;
            } else if (e == 'p' || e == 'P' || e == 'D' || e == 'W' || e == 'S' ||
                       e == 'h' || e == 'H' || e == 'v' || e == 'V' || e == 'N') {
                any = true;
                if ((e == 'p' || e == 'P' || e == 'N') && *t->p == '{') {
                    const char *q = strchr(t->p, '}');
                    if (!q) {
                        t->ok = false;
                        return;
                    }
                    t->p = q + 1;
                } else if (e == 'p' || e == 'P') {
                    if (*t->p)
                        t->p = g_utf8_next_char(t->p);
                }
            } else if (e == 'Q' || e == '\0' || g_ascii_isalnum(e)) {
                t->ok = false; /* \Q in a class, or an escape not known here */
                return;
            } else {
                t->p--;
                c = next_cp(t);
                single = true;
            }
            if (!single) {
                prev = -1;
                continue;
            }
        } else {
            c = next_cp(t);
            single = true;
        }
        if (c >= 0x80) {
            any = true; /* its folding may be ASCII (U+212A KELVIN SIGN is 'k') */
        } else {
            set[c] = sure[c] = true;
            if (g_ascii_isalpha((char)c)) {
                set[(unsigned char)g_ascii_tolower((char)c)] = set[(unsigned char)g_ascii_toupper((char)c)] = true;
            }
        }
        prev = c;
    }
    if (depth > 0) {
        t->ok = false;
        return;
    }
    if (neg) {
        /* complement of the ASCII non-letters surely in the class: folding
         * never makes such a character of another */
        bool none = true;
        if (any) {
            g_string_append(t->out, CLASS_ANY);
            return;
        }
        for (int k = 0; k < 128; k++)
            if (sure[k] && !g_ascii_isalpha((char)k))
                none = false;
        if (none) {
            g_string_append(t->out, CLASS_ANY);
            return;
        }
        g_string_append(t->out, "[^");
        for (int k = 0; k < 128; k++)
            if (sure[k] && !g_ascii_isalpha((char)k))
                g_string_append_printf(t->out, "\\x%02X", (unsigned)k);
        g_string_append_c(t->out, ']');
        return;
    }
    if (any) {
        g_string_append(t->out, CLASS_ANY);
        return;
    }
    g_string_append_c(t->out, '[');
    for (int k = 0; k < 128; k++)
        if (set[k])
            g_string_append_printf(t->out, "\\x%02X", (unsigned)k);
    if (nonascii)
        g_string_append(t->out, NONASCII);
    g_string_append_c(t->out, ']');
}

/* Skips a group from just after its '(' to after its ')'. */
static void skip_group(tr *t)
{
    int depth = 1;

    while (*t->p && depth > 0) {
        if (*t->p == '\\' && t->p[1]) {
            t->p += 2;
            continue;
        }
        if (*t->p == '[') { /* a class may hold ')' */
            GString *save = t->out;
            t->out = g_string_new(NULL);
            t->p++;
            char_class(t);
            g_string_free(t->out, TRUE);
            t->out = save;
            if (!t->ok)
                return;
            continue;
        }
        if (*t->p == '(')
            depth++;
        else if (*t->p == ')')
            depth--;
        t->p++;
    }
    if (depth > 0)
        t->ok = false;
}

/* An escape outside a class, after the backslash. */
static void escape(tr *t)
{
    char e = *t->p;
    int ce;

    if (!e) {
        t->ok = false;
        return;
    }
    t->p++;
    switch (e) {
    case 'b': case 'B': case 'A': case 'z': case 'Z': case 'G':
        quantifier(t, true); /* an assertion: dropped */
        return;
    case 'd':
        g_string_append(t->out, "[0-9" NONASCII "]");
        break;
    case 'w':
        g_string_append(t->out, "[0-9a-zA-Z_" NONASCII "]");
        break;
    case 's':
        g_string_append(t->out, "[\\x09-\\x0D\\x20" NONASCII "]");
        break;
    case 'D':
        g_string_append(t->out, "[^0-9]");
        break;
    case 'W':
        g_string_append(t->out, "[^0-9a-zA-Z_]");
        break;
    case 'S':
        g_string_append(t->out, "[^\\x09\\x0A\\x0C\\x0D\\x20]");
        break;
    case 'h': case 'H': case 'v': case 'V':
        g_string_append(t->out, CLASS_ANY);
        break;
    case 'R': case 'X':
        g_string_append(t->out, "[\\x00-\\xFF]+");
        break;
    case 'p': case 'P': case 'N':
        if (*t->p == '{') {
            const char *q = strchr(t->p, '}');
            if (!q) {
                t->ok = false;
                return;
            }
            t->p = q + 1;
        } else if (e != 'N' && *t->p) {
            t->p = g_utf8_next_char(t->p);
        } else {
            t->ok = false;
            return;
        }
        g_string_append(t->out, CLASS_ANY);
        break;
    case 'k': /* \k<name>: a backreference */
        if (*t->p != '<' || !strchr(t->p, '>')) {
            t->ok = false;
            return;
        }
        t->p = strchr(t->p, '>') + 1;
        g_string_append(t->out, "[\\x00-\\xFF]*");
        break;
    case 'Q': {
        const char *end = strstr(t->p, "\\E");
        const char *stop = end ? end : t->p + strlen(t->p);
        while (t->p < stop && t->ok)
            emit_literal(t->out, next_cp(t));
        t->p = end ? end + 2 : stop;
        break;
    }
    case 'E':
        return; /* a stray \E is nothing */
    case 'x': case 'u': case 'U': case '0': {
        UChar32 c = escaped_cp(t, e);
        if (c < 0) {
            t->ok = false;
            return;
        }
        emit_literal(t->out, c);
        break;
    }
    default:
        if ((ce = control_escape(e)) >= 0) {
            emit_cp(t->out, ce);
        } else if (e >= '1' && e <= '9') {
            while (g_ascii_isdigit(*t->p))
                t->p++;
            g_string_append(t->out, "[\\x00-\\xFF]*");
        } else if (g_ascii_isalnum(e)) {
            t->ok = false; /* an escape this translation does not know */
            return;
        } else {
            UChar32 c;
            t->p--;
            c = next_cp(t);
            emit_cp(t->out, c);
        }
    }
    quantifier(t, false);
}

/* After "(?": a group's flags or kind. */
static void group_open(tr *t, int *depth)
{
    const char *p = t->p;

    if (p[0] == ':' || p[0] == '>') { /* plain or atomic: (?: */
        t->p += 1;
    } else if (p[0] == '!' || (p[0] == '<' && p[1] == '!')) {
        t->p += p[0] == '<' ? 2 : 1;
        skip_group(t); /* a negative look-around: dropped */
        quantifier(t, true);
        return;
    } else if (p[0] == '=' || (p[0] == '<' && p[1] == '=')) {
        /* a positive look-around, ahead or behind, as (?=...): what it
         * holds must be in the block too (the bounds are opaque) */
        t->p += p[0] == '<' ? 2 : 1;
        g_string_append(t->out, "(?=");
        (*depth)++;
        return;
    } else if (p[0] == '<') { /* a named group */
        const char *e = strchr(p, '>');
        if (!e) {
            t->ok = false;
            return;
        }
        t->p = e + 1;
    } else if (p[0] == '#') { /* a comment */
        const char *e = strchr(p, ')');
        if (!e) {
            t->ok = false;
            return;
        }
        t->p = e + 1;
        return;
    } else { /* flags: (?i) (?i-s: ...) */
        while (*p && strchr("imswx-", *p)) {
            if (*p == 'x') { /* free spacing is not translated */
                t->ok = false;
                return;
            }
            p++;
        }
        if (*p == ')') { /* (?i): flags of the rest, no group */
            t->p = p + 1;
            return;
        }
        if (*p != ':') {
            t->ok = false;
            return;
        }
        t->p = p + 1;
    }
    g_string_append(t->out, "(?:");
    (*depth)++;
}

char *od_prefilter_translate(const char *pat, uint32_t re_flags)
{
    tr t = {pat, g_string_new(NULL), true};
    int depth = 0;

    if (!pat || (re_flags & (UREGEX_COMMENTS | UREGEX_LITERAL))) {
        g_string_free(t.out, TRUE);
        return NULL;
    }
    while (*t.p && t.ok) {
        char c = *t.p;
        if (c == '\\') {
            t.p++;
            escape(&t);
        } else if (c == '[') {
            t.p++;
            char_class(&t);
            if (t.ok)
                quantifier(&t, false);
        } else if (c == '(') {
            t.p++;
            if (*t.p == '?') {
                t.p++;
                group_open(&t, &depth);
            } else {
                g_string_append(t.out, "(?:");
                depth++;
            }
        } else if (c == ')') {
            if (depth == 0) {
                t.ok = false;
                break;
            }
            depth--;
            t.p++;
            g_string_append_c(t.out, ')');
            quantifier(&t, false);
        } else if (c == '|') {
            t.p++;
            g_string_append_c(t.out, '|');
        } else if (c == '^' || c == '$') {
            t.p++;
            quantifier(&t, true);
        } else if (c == '.') {
            t.p++;
            g_string_append(t.out, CLASS_ANY);
            quantifier(&t, false);
        } else if (c == '*' || c == '+' || c == '?' || c == '{') {
            t.ok = false; /* a quantifier without an atom */
        } else {
            UChar32 cp = next_cp(&t);
            if (!t.ok)
                break;
            emit_literal(t.out, cp);
            quantifier(&t, false);
        }
    }
    if (!t.ok || depth != 0) {
        g_string_free(t.out, TRUE);
        return NULL;
    }
    return g_string_free(t.out, FALSE);
}

/* ---- Necessary literals ----------------------------------------------------
 *
 * Compiling the widened patterns themselves into one database takes
 * Hyperscan seconds (the date and court alternations are large).  What
 * is compiled instead is, for each rule, a set of literal strings of
 * which every match of its widened pattern holds one (Google's codesearch
 * and RE2 do the same): literals compile in milliseconds and Hyperscan
 * finds them all in one pass.  The translation is read again (its syntax
 * is the small one written above) and each piece gets two sets:
 *
 *   exact  every string the piece can match, when they are few;
 *   req    strings of which each match of the piece holds one.
 *
 * A sequence joins neighbouring exact sets into longer strings and keeps
 * its most selective requirement (the longest shortest string); an
 * alternation needs a requirement of every branch and unites them; a
 * piece that may be absent requires nothing.  The scanned text holds no
 * upper-case letters, so those are dropped from the classes first. */

#define MAX_EXACT 64  /* strings of an exact set */
#define MAX_REQ 512   /* strings of a requirement */
#define MAX_SMALL 4   /* a class of more bytes is not spelled out */

typedef GPtrArray strset; /* GBytes*, or NULL: unknown (exact) / none (req) */

typedef struct info {
    strset *exact;
    strset *req;
    bool zero_width; /* a look-around: a requirement, no text */
} info;

typedef struct lp {
    const char *p;
    bool ok;
} lp;

static strset *set_new(void)
{
    return g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
}

static void set_free(strset *s)
{
    if (s)
        g_ptr_array_free(s, TRUE);
}

static strset *set_copy(const strset *s)
{
    strset *c;

    if (!s)
        return NULL;
    c = set_new();
    for (guint i = 0; i < s->len; i++)
        g_ptr_array_add(c, g_bytes_ref(g_ptr_array_index(s, i)));
    return c;
}

static void set_add(strset *s, const void *data, size_t n)
{
    GBytes *b = g_bytes_new(data, n);

    for (guint i = 0; i < s->len; i++)
        if (g_bytes_equal(g_ptr_array_index(s, i), b)) {
            g_bytes_unref(b);
            return;
        }
    g_ptr_array_add(s, b);
}

static bool set_has_empty(const strset *s)
{
    for (guint i = 0; i < s->len; i++)
        if (g_bytes_get_size(g_ptr_array_index(s, i)) == 0)
            return true;
    return false;
}

/* Every a followed by every b; NULL when there would be too many. */
static strset *set_cross(const strset *a, const strset *b)
{
    strset *c;

    if (!a || !b || (size_t)a->len * b->len > MAX_EXACT)
        return NULL;
    c = set_new();
    for (guint i = 0; i < a->len; i++)
        for (guint j = 0; j < b->len; j++) {
            gsize na, nb;
            const guint8 *x = g_bytes_get_data(g_ptr_array_index(a, i), &na);
            const guint8 *y = g_bytes_get_data(g_ptr_array_index(b, j), &nb);
            guint8 *xy = g_malloc(na + nb + 1);
            if (na)
                memcpy(xy, x, na);
            if (nb)
                memcpy(xy + na, y, nb);
            set_add(c, xy, na + nb);
            g_free(xy);
        }
    return c;
}

/* What a match of the piece must hold (a copy), or NULL. */
static strset *req_of(const info *in)
{
    if (in->req)
        return set_copy(in->req);
    if (in->exact && in->exact->len > 0 && !set_has_empty(in->exact))
        return set_copy(in->exact);
    return NULL;
}

static size_t set_min_len(const strset *s)
{
    size_t m = SIZE_MAX;

    for (guint i = 0; i < s->len; i++)
        m = MIN(m, g_bytes_get_size(g_ptr_array_index(s, i)));
    return m;
}

/* Keeps in *best the more selective of *best and cand (taken). */
static void keep_best(strset **best, strset *cand)
{
    if (!cand)
        return;
    if (!*best || set_min_len(cand) > set_min_len(*best) ||
        (set_min_len(cand) == set_min_len(*best) && cand->len < (*best)->len)) {
        set_free(*best);
        *best = cand;
    } else {
        set_free(cand);
    }
}

static void info_clear(info *in)
{
    set_free(in->exact);
    set_free(in->req);
    in->exact = in->req = NULL;
}

static int lp_hex(lp *l)
{
    int a, b;

    if (l->p[0] != '\\' || l->p[1] != 'x' || (a = hexval(l->p[2])) < 0 ||
        (b = hexval(l->p[3])) < 0) {
        l->ok = false;
        return 0;
    }
    l->p += 4;
    return a * 16 + b;
}

/* One byte of a class or of the pattern: \xHH or a plain character. */
static int lp_byte(lp *l)
{
    if (*l->p == '\\')
        return lp_hex(l);
    if (!*l->p) {
        l->ok = false;
        return 0;
    }
    return (guint8)*l->p++;
}

static info bytes_info(const bool *set)
{
    info in = {NULL, NULL, false};
    int k = 0;

    for (int c = 0; c < 256; c++)
        if (set[c] && !(c >= 'A' && c <= 'Z'))
            k++;
    if (k == 0 || k > MAX_SMALL || set[0])
        return in; /* matches a great deal (or nothing: not relied on) */
    in.exact = set_new();
    for (int c = 1; c < 256; c++)
        if (set[c] && !(c >= 'A' && c <= 'Z')) {
            guint8 b = (guint8)c;
            set_add(in.exact, &b, 1);
        }
    return in;
}

static info lp_alt(lp *l);

static info lp_class(lp *l)
{
    bool set[256] = {false}, neg = false;

    if (*l->p == '^') {
        neg = true;
        l->p++;
    }
    while (l->ok && *l->p && *l->p != ']') {
        int lo = lp_byte(l), hi = lo;
        if (*l->p == '-' && l->p[1] != ']') {
            l->p++;
            hi = lp_byte(l);
        }
        for (int c = lo; c <= hi && c < 256; c++)
            set[c] = true;
    }
    if (*l->p != ']')
        l->ok = false;
    else
        l->p++;
    if (neg)
        for (int c = 0; c < 256; c++)
            set[c] = !set[c];
    return bytes_info(set);
}

/* A quantifier after a piece. */
static void lp_quant(lp *l, info *in)
{
    unsigned long m, n;
    char *e;

    if (*l->p == '*' || *l->p == '?' || *l->p == '+') {
        char q = *l->p++;
        m = q == '+' ? 1 : 0;
        n = q == '?' ? 1 : ULONG_MAX;
    } else if (*l->p == '{') {
        m = strtoul(l->p + 1, &e, 10);
        n = m;
        if (*e == ',') {
            n = e[1] == '}' ? ULONG_MAX : strtoul(e + 1, &e, 10);
            if (n == ULONG_MAX)
                e++;
        }
        if (*e != '}') {
            l->ok = false;
            return;
        }
        l->p = e + 1;
    } else {
        return;
    }
    if (m == 0) {
        if (n == 1 && in->exact) {
            guint8 none = 0;
            set_add(in->exact, &none, 0);
            set_free(in->req);
            in->req = NULL;
        } else {
            info_clear(in);
        }
        return;
    }
    if (!(m == 1 && n == 1)) {
        strset *r = req_of(in);
        strset *x = NULL;
        if (m == n && m <= 8 && in->exact) {
            x = set_copy(in->exact);
            for (unsigned long k = 1; k < m && x; k++) {
                strset *y = set_cross(x, in->exact);
                set_free(x);
                x = y;
            }
        }
        info_clear(in);
        in->exact = x;
        in->req = r;
    }
}

static info lp_piece(lp *l)
{
    info in = {NULL, NULL, false};

    if (l->p[0] == '(' && l->p[1] == '?' && (l->p[2] == ':' || l->p[2] == '=')) {
        bool look = l->p[2] == '=';
        l->p += 3;
        in = lp_alt(l);
        if (*l->p != ')')
            l->ok = false;
        else
            l->p++;
        if (look) {
            strset *r = req_of(&in);
            info_clear(&in);
            in.req = r;
            in.zero_width = true;
        }
    } else if (*l->p == '[') {
        l->p++;
        in = lp_class(l);
    } else {
        guint8 b = (guint8)lp_byte(l);
        if (b >= 'A' && b <= 'Z')
            b = (guint8)(b - 'A' + 'a'); /* not in folded text, its folding is */
        if (b != 0) {
            in.exact = set_new();
            set_add(in.exact, &b, 1);
        }
    }
    if (l->ok)
        lp_quant(l, &in);
    return in;
}

static info lp_cat(lp *l)
{
    info out = {NULL, NULL, false};
    strset *run = set_new(), *best = NULL;
    bool whole = true; /* every piece so far exact and joined into run */
    guint8 none = 0;

    set_add(run, &none, 0);
    while (l->ok && *l->p && *l->p != '|' && *l->p != ')') {
        info in = lp_piece(l);
        strset *joined = in.exact ? set_cross(run, in.exact) : NULL;
        if (in.zero_width) { /* the text around it runs on */
            keep_best(&best, req_of(&in));
            whole = false;
        } else if (joined) {
            set_free(run);
            run = joined;
        } else {
            whole = false;
            if (!set_has_empty(run))
                keep_best(&best, set_copy(run));
            set_free(run);
            if (in.exact) {
                run = set_copy(in.exact);
            } else {
                keep_best(&best, req_of(&in));
                run = set_new();
                set_add(run, &none, 0);
            }
        }
        info_clear(&in);
    }
    if (whole) {
        out.exact = run;
        set_free(best);
        return out;
    }
    if (!set_has_empty(run))
        keep_best(&best, set_copy(run));
    set_free(run);
    out.req = best;
    return out;
}

static info lp_alt(lp *l)
{
    info first = lp_cat(l), out = {NULL, NULL, false};
    strset *exact, *req;

    if (*l->p != '|')
        return first;
    exact = set_copy(first.exact);
    req = req_of(&first);
    info_clear(&first);
    while (l->ok && *l->p == '|') {
        info b;
        strset *r;
        l->p++;
        b = lp_cat(l);
        if (exact && b.exact && exact->len + b.exact->len <= MAX_EXACT * 4) {
            for (guint i = 0; i < b.exact->len; i++) {
                gsize n;
                const void *d = g_bytes_get_data(g_ptr_array_index(b.exact, i), &n);
                set_add(exact, d, n);
            }
        } else {
            set_free(exact);
            exact = NULL;
        }
        r = req_of(&b);
        if (req && r && req->len + r->len <= MAX_REQ) {
            for (guint i = 0; i < r->len; i++) {
                gsize n;
                const void *d = g_bytes_get_data(g_ptr_array_index(r, i), &n);
                set_add(req, d, n);
            }
        } else {
            set_free(req);
            req = NULL;
        }
        set_free(r);
        info_clear(&b);
    }
    out.exact = exact;
    out.req = exact ? NULL : req;
    if (exact)
        set_free(req);
    return out;
}

static bool holds(const guint8 *a, size_t na, const guint8 *b, size_t nb)
{
    for (size_t i = 0; nb <= na && i + nb <= na; i++)
        if (memcmp(a + i, b, nb) == 0)
            return true;
    return false;
}

/* The literals of which every match of the translation t holds one
 * (GBytes*), or NULL when there is no such set. */
static strset *necessary_literals(const char *t)
{
    lp l = {t, true};
    info in = lp_alt(&l);
    strset *r = NULL;

    if (l.ok && *l.p == '\0')
        r = req_of(&in);
    info_clear(&in);
    if (r && (r->len == 0 || r->len > MAX_REQ || set_min_len(r) == 0)) {
        set_free(r);
        r = NULL;
    }
    /* a string that holds another of the set adds nothing ("nos." holds
     * "no") */
    for (guint i = 0; r && i < r->len;) {
        gsize ni;
        const guint8 *di = g_bytes_get_data(g_ptr_array_index(r, i), &ni);
        bool redundant = false;
        for (guint j = 0; j < r->len && !redundant; j++) {
            gsize nj;
            const guint8 *dj = g_bytes_get_data(g_ptr_array_index(r, j), &nj);
            redundant = j != i && holds(di, ni, dj, nj);
        }
        if (redundant)
            g_ptr_array_remove_index(r, i);
        else
            i++;
    }
    return r;
}

char *od_prefilter_literals(const char *translation)
{
    strset *r = necessary_literals(translation);
    GString *out;

    if (!r)
        return NULL;
    out = g_string_new(NULL);
    for (guint i = 0; i < r->len; i++) {
        gsize n;
        const guint8 *d = g_bytes_get_data(g_ptr_array_index(r, i), &n);
        if (i)
            g_string_append_c(out, '|');
        for (gsize k = 0; k < n; k++)
            if (d[k] >= 0x20 && d[k] < 0x7f && d[k] != '|' && d[k] != '\\')
                g_string_append_c(out, (char)d[k]);
            else
                g_string_append_printf(out, "\\x%02X", d[k]);
    }
    set_free(r);
    return g_string_free(out, FALSE);
}

/* ---- The database --------------------------------------------------------- */

void od_prefilter_free(od_prefilter *p)
{
    if (!p)
        return;
    if (p->proto)
        hs_free_scratch(p->proto);
    if (p->db)
        hs_free_database(p->db);
    g_free(p->covered);
    g_free(p);
}

od_prefilter *od_prefilter_new(const char *const *patterns, size_t n)
{
    od_prefilter *p = g_new0(od_prefilter, 1);
    GPtrArray *lits = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    GArray *ids = g_array_new(FALSE, FALSE, sizeof(unsigned));
    const char **exprs;
    unsigned *flags;
    size_t *lens;
    hs_compile_error_t *err = NULL;

    p->n_rules = n;
    p->covered = g_new0(bool, n + 1);
    for (size_t i = 0; i < n; i++) {
        strset *r = patterns[i] ? necessary_literals(patterns[i]) : NULL;
        unsigned id = (unsigned)i;
        if (!r)
            continue;
        for (guint k = 0; k < r->len; k++) {
            g_ptr_array_add(lits, g_bytes_ref(g_ptr_array_index(r, k)));
            g_array_append_val(ids, id);
        }
        p->covered[i] = true;
        p->n_covered++;
        set_free(r);
    }
    exprs = g_new0(const char *, lits->len + 1);
    flags = g_new0(unsigned, lits->len + 1);
    lens = g_new0(size_t, lits->len + 1);
    for (guint k = 0; k < lits->len; k++) {
        gsize len;
        exprs[k] = g_bytes_get_data(g_ptr_array_index(lits, k), &len);
        lens[k] = len;
        flags[k] = HS_FLAG_SINGLEMATCH;
    }
    if (lits->len == 0 ||
        hs_compile_lit_multi(exprs, flags, (const unsigned *)(void *)ids->data, lens,
                             lits->len, HS_MODE_BLOCK, NULL, &p->db, &err) != HS_SUCCESS ||
        hs_alloc_scratch(p->db, &p->proto) != HS_SUCCESS) {
        hs_free_compile_error(err);
        od_prefilter_free(p);
        p = NULL;
    }
    g_free(exprs);
    g_free(flags);
    g_free(lens);
    g_array_free(ids, TRUE);
    g_ptr_array_free(lits, TRUE);
    return p;
}

bool od_prefilter_covers(const od_prefilter *p, size_t rule)
{
    return p && rule < p->n_rules && p->covered[rule];
}

size_t od_prefilter_n_covered(const od_prefilter *p)
{
    return p ? p->n_covered : 0;
}

/* ---- Scanning ------------------------------------------------------------- */

typedef struct hit_row {
    guint64 *row;
} hit_row;

static int on_match(unsigned id, unsigned long long from, unsigned long long to,
                    unsigned flags, void *ctx)
{
    hit_row *h = ctx;

    (void)from;
    (void)to;
    (void)flags;
    h->row[id / 64] |= (guint64)1 << (id % 64);
    return 0;
}

/* s[0..n) folded into buf, one byte per code point: an ASCII character
 * (a letter in lower case), or 0x80 for any other character whose simple
 * folding is not ASCII.  False when a character's full folding is longer
 * than its simple one (the block is then not scanned). */
static bool fold_bytes(const UChar *s, int32_t n, GByteArray *buf)
{
    int32_t i = 0;

    g_byte_array_set_size(buf, 0);
    while (i < n) {
        UChar32 c;
        uint8_t a;
        if (s[i] < 0x80) {
            a = (uint8_t)g_ascii_tolower((char)s[i++]);
            g_byte_array_append(buf, &a, 1);
            continue;
        }
        U16_NEXT(s, i, n, c);
        if (!U_IS_SURROGATE(c)) {
            if (folds_longer(c))
                return false;
            c = u_foldCase(c, U_FOLD_CASE_DEFAULT);
        }
        a = c < 0x80 ? (uint8_t)c : 0x80;
        g_byte_array_append(buf, &a, 1);
    }
    return true;
}

guint64 *od_prefilter_scan(const od_prefilter *p, const UChar *text, int32_t len,
                           const od_block *blocks, size_t n_blocks, size_t *row_words)
{
    hs_scratch_t *scratch = NULL;
    GByteArray *buf;
    guint64 *bits;
    size_t rw;

    if (!p || !text || n_blocks == 0 || hs_clone_scratch(p->proto, &scratch) != HS_SUCCESS)
        return NULL;
    rw = (p->n_rules + 63) / 64;
    bits = g_new0(guint64, rw * n_blocks);
    buf = g_byte_array_new();
    for (size_t b = 0; b < n_blocks; b++) {
        int32_t start = blocks[b].start < 0 ? 0 : blocks[b].start;
        int32_t end = blocks[b].end > len ? len : blocks[b].end;
        hit_row h = {bits + b * rw};
        if (start >= end)
            continue;
        if (!fold_bytes(text + start, end - start, buf) ||
            hs_scan(p->db, (const char *)buf->data, buf->len, 0, scratch, on_match, &h) !=
                HS_SUCCESS) {
            memset(h.row, 0xff, rw * sizeof(guint64)); /* every rule runs here */
        }
    }
    g_byte_array_free(buf, TRUE);
    hs_free_scratch(scratch);
    *row_words = rw;
    return bits;
}

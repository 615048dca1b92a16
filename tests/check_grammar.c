/*
 * check_grammar.c - unit tests of stage 4a (parser/grammar.c): the rule
 * language, its error messages (pinned byte for byte: position, source
 * line, caret), lexicons, definitions, and overriding across folders.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <unicode/ustring.h>

#include "grammar_p.h"

/* Loads src as one file ("t.rules"); compiles when it parsed cleanly.
 * Returns every error message (g_free). */
static char *errors_of(const char *src, size_t len)
{
    od_grammar_set *g = od_grammar_set_new();
    GString *e = g_string_new(NULL);

    if (od_grammar_set_add_data(g, "t.rules", src, len, e))
        od_grammar_set_compile(g, e);
    od_grammar_set_free(g);
    return g_string_free(e, FALSE);
}

#define ERR_IS(src, expected)                                       \
    do {                                                            \
        char *got_ = errors_of((src), strlen(src));                 \
        ck_assert_str_eq(got_, (expected));                         \
        g_free(got_);                                               \
    } while (0)

/* A set built from src that must load and compile without errors. */
static od_grammar_set *good(const char *src)
{
    od_grammar_set *g = od_grammar_set_new();
    GString *e = g_string_new(NULL);
    bool ok = od_grammar_set_add_data(g, "good.rules", src, strlen(src), e) &&
              od_grammar_set_compile(g, e);

    ck_assert_msg(ok, "unexpected errors:\n%s", e->str);
    ck_assert_str_eq(e->str, "");
    g_string_free(e, TRUE);
    return g;
}

/* Matches rule's compiled pattern against text; returns the first match
 * (g_free) or NULL. */
static char *first_match(const od_rule *r, const char *text)
{
    UChar buf[512];
    int32_t n = 0;
    UErrorCode st = U_ZERO_ERROR;
    URegularExpression *re = uregex_clone(r->re, &st);
    char *out = NULL;

    u_strFromUTF8(buf, 512, &n, text, -1, &st);
    uregex_setText(re, buf, n, &st);
    ck_assert(U_SUCCESS(st));
    if (uregex_find(re, 0, &st)) {
        int32_t a = uregex_start(re, 0, &st), b = uregex_end(re, 0, &st);
        char tmp[512];
        u_strToUTF8(tmp, sizeof tmp, NULL, buf + a, b - a, &st);
        out = g_strdup(tmp);
    }
    ck_assert(U_SUCCESS(st));
    uregex_close(re);
    return out;
}

/* ---- Errors ------------------------------------------------------------ */

START_TEST(err_triggers)
{
    /* a trigger must be a word of the pattern (escapes and dots aside) */
    ERR_IS("grammar g 1\nkind deadline\nrule r\n  trigger  shall musst\n"
           "  pattern  \\b(?:shall|must)\\s+\\w+\nend\n",
           "t.rules:4:18: trigger 'musst' of rule 'r' is not a word of its pattern\n"
           "    trigger  shall musst\n                   ^\n");
    ERR_IS("grammar g 1\nkind deadline\nrule r\n  trigger  pre-trial\n"
           "  pattern  pre-trial\nend\n",
           "t.rules:4:12: bad trigger 'pre-trial' of rule 'r' (expected a word of letters "
           "and digits, WORD* or @LEXICON)\n    trigger  pre-trial\n             ^\n");
    ERR_IS("grammar g 1\nkind deadline\nrule r\n  trigger  @nope\n  pattern  x\nend\n",
           "t.rules:4:12: trigger of rule 'r': unknown lexicon '@nope'\n"
           "    trigger  @nope\n             ^\n");
}
END_TEST

START_TEST(good_triggers)
{
    static const char src[] =
        "grammar g 1\nkind deadline\n"
        "lexicon sets nocase\n  The Pile\n  Books3\nend\n"
        "rule a\n  trigger  llp pc order*\n"
        "  pattern  (?:LLP|P\\.C\\.|ordered)\nend\n"
        "rule b\n  trigger  @sets\n  pattern  {{@sets}}\nend\n"
        "rule c\n  pattern  x\nend\n";
    od_grammar_set *g = good(src);
    const od_rule *a = od_grammar_set_find_rule(g, "a");
    const od_rule *b = od_grammar_set_find_rule(g, "b");
    const od_rule *c = od_grammar_set_find_rule(g, "c");
    int ids[4];

    ck_assert_int_eq(a->n_trig, 3);
    ck_assert_int_eq(b->n_trig, 2); /* "pile" and "books3" */
    ck_assert_ptr_null(c->trig);
    ck_assert_int_eq(od_grammar_set_n_triggers(g), 5);
    ck_assert_int_eq(od_grammar_set_trigger_ids(g, "pile", 4, ids, 4), 1);
    ck_assert_int_eq(ids[0], b->trig[0]);
    ck_assert_int_eq(od_grammar_set_trigger_ids(g, "the", 3, ids, 4), 0);
    ck_assert_int_eq(od_grammar_set_trigger_ids(g, "orders", 6, ids, 4), 1);
    ck_assert_int_eq(ids[0], a->trig[2]);
    ck_assert_int_eq(od_grammar_set_trigger_ids(g, "order", 5, ids, 4), 1);
    ck_assert_int_eq(od_grammar_set_trigger_ids(g, "orde", 4, ids, 4), 0);
    od_grammar_set_use_triggers(g, false);
    ck_assert_int_eq(od_grammar_set_n_triggers(g), 0);
    od_grammar_set_free(g);
}
END_TEST

static void add_word(const char *w, size_t len, void *data)
{
    g_string_append_len(data, w, (gssize)len);
    g_string_append_c(data, '|');
}

START_TEST(trigger_words)
{
    static const char text[] =
        "Smith, L.L.P. and Doe P.C., 28 U.S.C. \xc2\xa7 1; \xc3\x9c" "BER Stra\xc3\x9f" "e Books3 e.g. A. Smith";
    UChar buf[256];
    int32_t n = 0;
    UErrorCode st = U_ZERO_ERROR;
    GString *out = g_string_new(NULL);

    u_strFromUTF8(buf, 256, &n, text, -1, &st);
    ck_assert(U_SUCCESS(st));
    od_words_each(buf, n, add_word, out);
    ck_assert_str_eq(out->str, "smith|l|l|p|llp|and|doe|p|c|pc|28|u|s|c|usc|1|\xc3\xbc" "ber|"
                               "stra\xc3\x9f" "e|books3|e|g|eg|a|smith|");
    g_string_free(out, TRUE);
}
END_TEST

START_TEST(err_header_missing)
{
    ERR_IS("", "t.rules:1:1: missing header: the first statement must be "
               "'grammar NAME VERSION'\n  \n  ^\n");
    ERR_IS("# only a comment\n",
           "t.rules:1:1: missing header: the first statement must be "
           "'grammar NAME VERSION'\n  # only a comment\n  ^\n");
    ERR_IS("# c\n\n  kind deadline\n",
           "t.rules:3:3: missing header: the first statement must be "
           "'grammar NAME VERSION'\n    kind deadline\n    ^\n");
}
END_TEST

START_TEST(err_header_malformed)
{
    ERR_IS("grammar\n", "t.rules:1:1: malformed header (expected 'grammar NAME VERSION')\n"
                        "  grammar\n  ^\n");
    ERR_IS("grammar ok\n", "t.rules:1:9: malformed header (expected 'grammar NAME VERSION')\n"
                           "  grammar ok\n          ^\n");
    ERR_IS("grammar ok 1 extra\n",
           "t.rules:1:9: malformed header (expected 'grammar NAME VERSION')\n"
           "  grammar ok 1 extra\n          ^\n");
    ERR_IS("grammar Deadlines 1\n",
           "t.rules:1:9: bad grammar name 'Deadlines' (expected [a-z][a-z0-9_]*)\n"
           "  grammar Deadlines 1\n          ^\n");
    ERR_IS("grammar a 1\ngrammar b 2\n",
           "t.rules:2:1: duplicate 'grammar' header\n  grammar b 2\n  ^\n");
}
END_TEST

START_TEST(err_unknown_statement_and_key)
{
    ERR_IS("grammar g 1\nkind deadline\nfrobnicate 12\n",
           "t.rules:3:1: unknown statement 'frobnicate' (expected one of: grammar kind "
           "define lexicon fields rule suppress disable)\n  frobnicate 12\n  ^\n");
    ERR_IS("grammar g 1\nkind deadline\nrule r\n  patern   foo\n  pattern x\nend\n",
           "t.rules:4:3: unknown key 'patern' (expected one of: kind context priority "
           "pattern set flags trigger example)\n    patern   foo\n    ^\n");
    ERR_IS("grammar g 1\nkind deadline\nsuppress s\n  priority 3\n  pattern x\nend\n",
           "t.rules:4:3: unknown key 'priority' (expected one of: kinds scope context "
           "pattern flags trigger example)\n    priority 3\n    ^\n");
    ERR_IS("grammar g 1\nkind deadline\nrule r\n  pattern x\n  pattern y\nend\n",
           "t.rules:5:3: duplicate key 'pattern' in rule 'r'\n    pattern y\n    ^\n");
}
END_TEST

START_TEST(err_blocks)
{
    ERR_IS("grammar g 1\nkind deadline\nrule r\n  pattern x\n",
           "t.rules:3:1: missing 'end' for rule 'r'\n  rule r\n  ^\n");
    /* a statement inside a block ends it with an error, then counts */
    ERR_IS("grammar g 1\nkind deadline\nrule r\n  pattern x\nrule s\n  pattern y\nend\n",
           "t.rules:3:1: missing 'end' for rule 'r'\n  rule r\n  ^\n");
    ERR_IS("grammar g 1\nlexicon L\n  a\n",
           "t.rules:2:1: missing 'end' for lexicon 'L'\n  lexicon L\n  ^\n");
    ERR_IS("grammar g 1\nend\n", "t.rules:2:1: 'end' without a block\n  end\n  ^\n");
    ERR_IS("grammar g 1\nkind deadline\nrule r\n  set a = b\nend\n",
           "t.rules:3:1: rule 'r' has no pattern\n  rule r\n  ^\n");
    ERR_IS("grammar g 1\nrule r\n  pattern x\nend\n",
           "t.rules:2:1: rule 'r' has no kind (add 'kind KIND' to the rule or the file)\n"
           "  rule r\n  ^\n");
    ERR_IS("grammar g 1\nkind deadline\n  + x\n",
           "t.rules:3:3: '+' continues nothing (it must follow a 'define' or a 'pattern')\n"
           "    + x\n    ^\n");
}
END_TEST

START_TEST(err_values)
{
    ERR_IS("grammar g 1\nkind deadline\nrule r\n  priority high\n  pattern x\nend\n",
           "t.rules:4:12: bad priority 'high' (expected an integer)\n"
           "    priority high\n             ^\n");
    ERR_IS("grammar g 1\nkind deadline\nrule r\n  priority 5x\n  pattern x\nend\n",
           "t.rules:4:12: bad priority '5x' (expected an integer)\n"
           "    priority 5x\n             ^\n");
    ERR_IS("grammar g 1\nkind deadline\nrule r\n  context  body nowhere\n  pattern x\nend\n",
           "t.rules:4:17: unknown context 'nowhere' (expected one of: caption heading body "
           "numbered footnote signature quote any)\n"
           "    context  body nowhere\n                  ^\n");
    ERR_IS("grammar g 1\nkind deadlines\n",
           "t.rules:2:6: unknown kind 'deadlines' (expected one of: case directive deadline "
           "event attorney judge dataset segment change document)\n  kind deadlines\n       ^\n");
    ERR_IS("grammar g 1\nrule r\n  kind  party\n  pattern x\nend\n",
           "t.rules:3:9: unknown kind 'party' (expected one of: case directive deadline "
           "event attorney judge dataset segment change document)\n    kind  party\n          ^\n");
    ERR_IS("grammar g 1\nkind deadline\nrule r\n  flags nocase wide\n  pattern x\nend\n",
           "t.rules:4:16: unknown flag 'wide' (expected one of: nocase dotall multiline uword)\n"
           "    flags nocase wide\n                 ^\n");
    ERR_IS("grammar g 1\nkind deadline\nrule r$1\n  pattern x\nend\n",
           "t.rules:3:6: bad rule id 'r$1' (allowed characters: A-Z a-z 0-9 _ . -)\n"
           "  rule r$1\n       ^\n");
    ERR_IS("grammar g 1\nkind deadline\nsuppress s\n  scope page\n  pattern x\nend\n",
           "t.rules:4:9: unknown scope 'page' (expected one of: match sentence block)\n"
           "    scope page\n          ^\n");
    ERR_IS("grammar g 1\nkind deadline\nrule r\n  set a b\n  pattern x\nend\n",
           "t.rules:4:3: malformed 'set' (expected 'set NAME = VALUE')\n    set a b\n    ^\n");
}
END_TEST

START_TEST(err_lexicon_entries)
{
    ERR_IS("grammar g 1\nlexicon L\n  A = x | | y\nend\n",
           "t.rules:3:11: empty alias in a lexicon entry (expected 'Canonical = alias | "
           "alias')\n    A = x | | y\n            ^\n");
    ERR_IS("grammar g 1\nlexicon L\n  = q\nend\n",
           "t.rules:3:3: empty canonical name in a lexicon entry (expected 'Canonical = "
           "alias | alias')\n    = q\n    ^\n");
    ERR_IS("grammar g 1\nlexicon L\n  B = c = d\nend\n",
           "t.rules:3:9: '=' appears twice in a lexicon entry (expected 'Canonical = alias "
           "| alias')\n    B = c = d\n          ^\n");
    ERR_IS("grammar g 1\nlexicon L\n  C | D\nend\n",
           "t.rules:3:5: '|' without '=' in a lexicon entry (expected 'Canonical = alias | "
           "alias')\n    C | D\n      ^\n");
    ERR_IS("grammar g 1\nlexicon L nocase\n  A = LibGen\n  B = libgen\nend\n",
           "t.rules:4:3: spelling 'libgen' already belongs to lexicon entry 'A'\n"
           "    B = libgen\n    ^\n");
    ERR_IS("grammar g 1\nlexicon L fast\nend\n",
           "t.rules:2:11: unknown lexicon option 'fast' (expected 'nocase')\n"
           "  lexicon L fast\n            ^\n");
}
END_TEST

START_TEST(err_regex_column)
{
    /* the caret sits under the fault, also on a continuation line */
    ERR_IS("grammar g 1\nkind deadline\nrule r\n  pattern  abc)\nend\n",
           "t.rules:4:15: bad regular expression in rule 'r': mismatched parenthesis "
           "(U_REGEX_MISMATCHED_PAREN)\n    pattern  abc)\n                ^\n");
    ERR_IS("grammar g 1\nkind deadline\nrule r\n  pattern  \\d+\n    +  x[b\nend\n",
           "t.rules:5:10: bad regular expression in rule 'r': missing ']' "
           "(U_REGEX_MISSING_CLOSE_BRACKET)\n      +  x[b\n           ^\n");
    /* columns count characters, not bytes */
    ERR_IS("grammar g 1\nkind deadline\nrule r\n  pattern  \xc3\xa9t\xc3\xa9 a{2,1}\nend\n",
           "t.rules:4:21: bad regular expression in rule 'r': maximum less than minimum "
           "in {min,max} (U_REGEX_MAX_LT_MIN)\n    pattern  \xc3\xa9t\xc3\xa9 a{2,1}\n"
           "                      ^\n");
    /* a fault inside a definition is reported once, in the definition */
    ERR_IS("grammar g 1\nkind deadline\ndefine C = \\d+(?<x\nrule r\n  pattern  z{{C}}\nend\n",
           "t.rules:3:18: bad regular expression in definition 'C': invalid or duplicate "
           "capture group name (U_REGEX_INVALID_CAPTURE_GROUP_NAME)\n  define C = \\d+(?<x\n                   ^\n");
    /* a fault that only appears once definitions are combined points at
     * the reference and names it */
    ERR_IS("grammar g 1\nkind deadline\ndefine X = (?<n>a)\nrule r\n  pattern  {{X}}-{{X}}\nend\n",
           "t.rules:5:18: bad regular expression in rule 'r': invalid or duplicate capture "
           "group name (U_REGEX_INVALID_CAPTURE_GROUP_NAME) inside {{X}}\n"
           "    pattern  {{X}}-{{X}}\n                   ^\n");
}
END_TEST

START_TEST(err_definitions)
{
    ERR_IS("grammar g 1\nkind deadline\nrule r\n  pattern  a {{NOPE}}\nend\n",
           "t.rules:4:14: unknown definition 'NOPE'\n    pattern  a {{NOPE}}\n"
           "               ^\n");
    ERR_IS("grammar g 1\nkind deadline\nrule r\n  pattern  {{@nolex}}\nend\n",
           "t.rules:4:12: unknown lexicon 'nolex'\n    pattern  {{@nolex}}\n             ^\n");
    ERR_IS("grammar g 1\ndefine A = x{{B}}\ndefine B = y\n  + z{{A}}\n",
           "t.rules:4:6: definition cycle: A -> B -> A\n    + z{{A}}\n       ^\n");
    ERR_IS("grammar g 1\ndefine A = x{{A}}\n",
           "t.rules:2:13: definition cycle: A -> A\n  define A = x{{A}}\n              ^\n");
    ERR_IS("grammar g 1\nkind deadline\nrule r\n  pattern  {{ DATE }}\nend\n",
           "t.rules:4:12: malformed reference (expected {{NAME}} or {{@LEXICON}})\n"
           "    pattern  {{ DATE }}\n             ^\n");
    /* the continuation of a rejected definition adds no error of its own */
    ERR_IS("grammar g 1\ndefine A = x\ndefine A = y\n  + z\n",
           "t.rules:3:8: duplicate definition 'A' (first defined at t.rules:2)\n"
           "  define A = y\n         ^\n");
    ERR_IS("grammar g 1\ndefine 9A = x\n",
           "t.rules:2:8: bad definition name '9A' (expected [A-Za-z_][A-Za-z0-9_]*)\n"
           "  define 9A = x\n         ^\n");
}
END_TEST

START_TEST(err_duplicate_id)
{
    ERR_IS("grammar g 1\nkind deadline\nrule a.b\n  pattern x\nend\n\nrule a.b\n"
           "  pattern y\nend\n",
           "t.rules:7:6: duplicate rule id 'a.b' (first defined at t.rules:3)\n"
           "  rule a.b\n       ^\n");
    ERR_IS("grammar g 1\ndisable no.such\n",
           "t.rules:2:9: disable: no rule 'no.such' is loaded\n  disable no.such\n"
           "          ^\n");
}
END_TEST

START_TEST(err_utf8)
{
    static const char bad[] = "grammar x 1\nrule a\n  pattern \xff\xfe x\nend\n";
    static const char nul[] = "grammar x 1\nrule a\n  pattern a\0b\nend\n";
    char *e = errors_of(bad, sizeof bad - 1);

    ck_assert_str_eq(e, "t.rules:3:11: invalid UTF-8 at byte 29\n"
                        "    pattern \xef\xbf\xbd\xef\xbf\xbd x\n            ^\n");
    g_free(e);
    e = errors_of(nul, sizeof nul - 1);
    ck_assert_str_eq(e, "t.rules:3:12: NUL byte at byte 30\n"
                        "    pattern a\xef\xbf\xbd" "b\n             ^\n");
    g_free(e);
}
END_TEST

START_TEST(err_all_reported)
{
    /* one file, many mistakes: each is reported, in line order */
    const char *src = "grammar g 1\nkind deadline\nrule a\n  patern x\n  pattern x\nend\n"
                      "rule b\n  priority p\n  pattern y\nend\nbogus\nrule c\n  pattern z(\nend\n";
    char *e = errors_of(src, strlen(src));
    gchar **lines = g_strsplit(e, "\n", -1);
    int n = 0;

    for (gchar **l = lines; *l; l++)
        if (g_str_has_prefix(*l, "t.rules:"))
            n++;
    ck_assert_int_eq(n, 4); /* patern, priority, bogus, and the pattern z( */
    ck_assert(strstr(e, "t.rules:4:3: unknown key 'patern'") != NULL);
    ck_assert(strstr(e, "t.rules:8:12: bad priority 'p'") != NULL);
    ck_assert(strstr(e, "t.rules:11:1: unknown statement 'bogus'") != NULL);
    ck_assert(strstr(e, "t.rules:4:3") < strstr(e, "t.rules:8:12"));
    /* patterns are checked even when the file has other errors */
    ck_assert(strstr(e, "t.rules:13:12: bad regular expression in rule 'c': mismatched "
                        "parenthesis") != NULL);
    g_strfreev(lines);
    g_free(e);
}
END_TEST

/* Issue 21: a 200 KB pattern of 50,000 "{{", X, 50,000 "}}" gives 50,000
 * malformed references.  Only the first 100 are written, each echoing a
 * window of the line around its caret, then one "N more errors" line. */
START_TEST(err_hostile_pattern_bounded)
{
    GString *src = g_string_new("grammar g 1\nkind directive\nrule x.bad\n  pattern ");
    char *e, **lines;
    int n_msgs = 0;

    for (int i = 0; i < 50000; i++)
        g_string_append(src, "{{");
    g_string_append_c(src, 'X');
    for (int i = 0; i < 50000; i++)
        g_string_append(src, "}}");
    g_string_append(src, "\nend\n");
    e = errors_of(src->str, src->len);
    ck_assert_uint_lt(strlen(e), 40000);
    ck_assert(g_str_has_suffix(e, "\nt.rules: 49900 more errors\n"));
    lines = g_strsplit(e, "\n", -1);
    for (int i = 0; lines[i]; i++)
        if (g_str_has_prefix(lines[i], "t.rules:4:"))
            n_msgs++;
    ck_assert_int_eq(n_msgs, 100);
    /* the first: the line's start, cut 60 bytes after the caret */
    ck_assert_str_eq(lines[0], "t.rules:4:11: malformed reference "
                               "(expected {{NAME}} or {{@LEXICON}})");
    ck_assert_uint_eq(strlen(lines[1]), 2 + 10 + 60 + 3);
    ck_assert(g_str_has_prefix(lines[1], "    pattern {{{{"));
    ck_assert(g_str_has_suffix(lines[1], "{{{..."));
    ck_assert_str_eq(lines[2], "            ^");
    /* the second: cut on both sides, the caret under its brace */
    ck_assert_str_eq(lines[3], "t.rules:4:13: malformed reference "
                               "(expected {{NAME}} or {{@LEXICON}})");
    ck_assert(g_str_has_prefix(lines[4], "    pattern {{"));
    ck_assert_str_eq(lines[6], "t.rules:4:15: malformed reference "
                               "(expected {{NAME}} or {{@LEXICON}})");
    /* the 100th (lines 297-299): 60 bytes either side of column 209 */
    ck_assert_str_eq(lines[297], "t.rules:4:209: malformed reference "
                                 "(expected {{NAME}} or {{@LEXICON}})");
    ck_assert_uint_eq(strlen(lines[298]), 2 + 3 + 60 + 60 + 3);
    ck_assert(g_str_has_prefix(lines[298], "  ...{{{{"));
    ck_assert(g_str_has_suffix(lines[298], "{{{..."));
    ck_assert_uint_eq(strlen(lines[299]), 2 + 3 + 60 + 1);
    ck_assert_int_eq(lines[299][65], '^');
    ck_assert_str_eq(lines[300], "t.rules: 49900 more errors");
    g_strfreev(lines);
    g_free(e);
    g_string_free(src, TRUE);
}
END_TEST

START_TEST(err_too_many)
{
    GString *src = g_string_new("grammar g 1\n");
    char *e;

    for (int i = 0; i < 500; i++)
        g_string_append(src, "nonsense\n");
    e = errors_of(src->str, src->len);
    ck_assert(g_str_has_suffix(e, "t.rules: too many errors; the rest of the file was not "
                                  "checked\n"));
    ck_assert(strstr(e, "t.rules:101:1:") != NULL);
    ck_assert(strstr(e, "t.rules:102:1:") == NULL);
    g_free(e);
    g_string_free(src, TRUE);
}
END_TEST

/* ---- A good grammar ------------------------------------------------------- */

static const char GOOD[] =
    "# a grammar that uses every statement\n"
    "grammar deadlines 1.2\n"
    "kind deadline\n"
    "\n"
    "define MONTH = (?:January|February|March)\n"
    "define DAY   = \\d{1,2}(?:st|nd|rd|th)?\n"
    "define DATE  = {{MONTH}}\\s+{{DAY}},?\\s+\\d{4}\n"
    "    + (?:\\s+at\\s+\\d{1,2}:\\d{2})?\n"
    "\n"
    "lexicon datasets nocase      # a word list\n"
    "  Library Genesis = LibGen | Libgen | Library Genesis\n"
    "  Books2 = Books 2 | books2\n"
    "  Common Crawl               # no aliases\n"
    "end\n"
    "lexicon abbrev\n"
    "  Fed\n"
    "  U.S.C\n"
    "end\n"
    "\n"
    "rule deadline.absolute.by\n"
    "  context   body numbered\n"
    "  priority  50\n"
    "  pattern   (?i)\\b(?<intro>by|on\\s+or\\s+before)\\s+(?<date>{{DATE}})\n"
    "  set       kind = absolute\n"
    "  set       note = a literal, with spaces\n"
    "end\n"
    "rule dataset.named\n"
    "  kind      dataset\n"
    "  priority  -3\n"
    "  pattern   (?<name>{{@datasets}})\n"
    "  flags     nocase\n"
    "end\n"
    "suppress deadline.quoted_rule\n"
    "  kinds     deadline directive\n"
    "  scope     sentence\n"
    "  context   any\n"
    "  pattern   \\bRule\\s+\\d+\n"
    "end\n";

START_TEST(good_rules)
{
    od_grammar_set *g = good(GOOD);
    const od_rule *r;
    const char *name, *version;
    char *m;

    ck_assert_uint_eq(od_grammar_set_n_grammars(g), 1);
    od_grammar_set_grammar(g, 0, &name, &version);
    ck_assert_str_eq(name, "deadlines");
    ck_assert_str_eq(version, "1.2");
    ck_assert_uint_eq(od_grammar_set_n_rules(g), 3);

    r = od_grammar_set_rule(g, 0);
    ck_assert_str_eq(od_rule_id(r), "deadline.absolute.by");
    ck_assert_str_eq(od_rule_kind(r), "deadline");
    ck_assert_int_eq(od_rule_priority(r), 50);
    ck_assert_uint_eq(r->contexts, (1u << OD_BLOCK_BODY) | (1u << OD_BLOCK_NUMBERED));
    ck_assert_int_eq(r->n_fields, 4);
    ck_assert_int_eq(r->n_captures, 2);
    ck_assert_str_eq(r->field_names[0], "intro");
    ck_assert_str_eq(r->field_names[1], "date");
    ck_assert_str_eq(r->field_names[2], "kind");
    ck_assert_str_eq(r->field_values[2], "absolute");
    ck_assert_str_eq(r->field_values[3], "a literal, with spaces");
    ck_assert_int_eq(r->groups[0], 1);
    ck_assert_int_eq(r->groups[1], 2);
    /* nested definitions and the continuation line */
    m = first_match(r, "due BY March 3rd, 2026 at 10:30 sharp");
    ck_assert_str_eq(m, "BY March 3rd, 2026 at 10:30");
    g_free(m);

    r = od_grammar_set_rule(g, 1);
    ck_assert_str_eq(od_rule_kind(r), "dataset");
    ck_assert_int_eq(od_rule_priority(r), -3);
    ck_assert_uint_eq(r->contexts, (1u << OD_BLOCK_N_KINDS) - 1);
    /* the lexicon alternation: longest first, inner spaces as \s+, nocase */
    m = first_match(r, "trained on library\n  genesis and more");
    ck_assert_str_eq(m, "library\n  genesis");
    g_free(m);
    m = first_match(r, "the COMMON CRAWL");
    ck_assert_str_eq(m, "COMMON CRAWL");
    g_free(m);

    r = od_grammar_set_find_rule(g, "deadline.quoted_rule");
    ck_assert_ptr_nonnull(r);
    ck_assert(r->suppress);
    ck_assert_int_eq(r->scope, OD_SCOPE_SENTENCE);
    ck_assert_uint_eq(r->kinds, (1u << 1) | (1u << 2));
    ck_assert_str_eq(od_rule_kind(r), "deadline");
    od_grammar_set_free(g);
}
END_TEST

START_TEST(good_lexicons)
{
    od_grammar_set *g = good(GOOD);
    const od_lexicon *lx = od_grammar_set_lexicon(g, "datasets");
    const od_lexicon *ab = od_grammar_set_lexicon(g, "abbrev");
    const char *const *al;

    ck_assert_ptr_nonnull(lx);
    ck_assert_ptr_null(od_grammar_set_lexicon(g, "nope"));
    ck_assert_uint_eq(od_lexicon_n_entries(lx), 3);
    ck_assert_str_eq(od_lexicon_canonical(lx, 0), "Library Genesis");
    ck_assert_str_eq(od_lexicon_canonical(lx, 2), "Common Crawl");
    al = od_lexicon_aliases(lx, 0);
    ck_assert_str_eq(al[0], "LibGen");
    ck_assert_str_eq(al[1], "Libgen");
    ck_assert_str_eq(al[2], "Library Genesis");
    ck_assert_ptr_null(al[3]);
    ck_assert_ptr_null(od_lexicon_aliases(lx, 2)[0]);
    /* aliases merge to the canonical name; nocase; white space runs */
    ck_assert_str_eq(od_lexicon_lookup(lx, "LIBGEN"), "Library Genesis");
    ck_assert_str_eq(od_lexicon_lookup(lx, "library \n genesis"), "Library Genesis");
    ck_assert_str_eq(od_lexicon_lookup(lx, "BOOKS 2"), "Books2");
    ck_assert_str_eq(od_lexicon_lookup(lx, "common crawl"), "Common Crawl");
    ck_assert_ptr_null(od_lexicon_lookup(lx, "Books3"));
    /* a canonical name with aliases is not itself a spelling */
    ck_assert_ptr_null(od_lexicon_lookup(lx, "Books2x"));
    /* case-sensitive lexicon */
    ck_assert_str_eq(od_lexicon_lookup(ab, "U.S.C"), "U.S.C");
    ck_assert_ptr_null(od_lexicon_lookup(ab, "fed"));
    ck_assert_str_eq(od_lexicon_lookup(ab, "Fed"), "Fed");
    /* od_lexicon_find: a spelling inside the text, as whole words */
    ck_assert_str_eq(od_lexicon_find(lx, "trained on LIBGEN and more", OD_FIND_ANYWHERE),
                     "Library Genesis");
    ck_assert_str_eq(od_lexicon_find(lx, "the common\n crawl.", OD_FIND_ANYWHERE),
                     "Common Crawl");
    ck_assert_ptr_null(od_lexicon_find(lx, "LibGenesis", OD_FIND_ANYWHERE));
    ck_assert_ptr_null(od_lexicon_find(lx, "xlibgen", OD_FIND_ANYWHERE));
    ck_assert_ptr_null(od_lexicon_find(lx, "Books3", OD_FIND_ANYWHERE));
    ck_assert_str_eq(od_lexicon_find(lx, "Books 2 and LibGen", OD_FIND_ANYWHERE), "Library Genesis");
    /* where: at the start only, or anywhere but the start */
    ck_assert_str_eq(od_lexicon_find(lx, "LibGen data", OD_FIND_START), "Library Genesis");
    ck_assert_ptr_null(od_lexicon_find(lx, "the LibGen data", OD_FIND_START));
    ck_assert_ptr_null(od_lexicon_find(lx, "LibGen", OD_FIND_NOT_START));
    ck_assert_str_eq(od_lexicon_find(lx, "LibGen or LibGen", OD_FIND_NOT_START), "Library Genesis");
    ck_assert_str_eq(od_lexicon_find(ab, "see U.S.C. 101", OD_FIND_ANYWHERE), "U.S.C");
    ck_assert_ptr_null(od_lexicon_find(ab, "the fed said", OD_FIND_ANYWHERE));
    ck_assert_ptr_null(od_lexicon_find(NULL, "Fed", OD_FIND_ANYWHERE));
    od_grammar_set_free(g);
}
END_TEST

START_TEST(good_comments_and_crlf)
{
    od_grammar_set *g = good("\xef\xbb\xbfgrammar g 1   # header\r\nkind event\r\n"
                             "rule r   # the rule\r\n  priority 7  # seven\r\n"
                             "  pattern a#b\r\n  context body # only\r\nend # done\r\n");
    const od_rule *r = od_grammar_set_rule(g, 0);
    char *m = first_match(r, "xa#by");

    ck_assert_int_eq(od_rule_priority(r), 7);
    ck_assert_str_eq(od_rule_kind(r), "event");
    ck_assert_str_eq(m, "a#b"); /* '#' inside a pattern is text */
    g_free(m);
    od_grammar_set_free(g);
}
END_TEST

/* ---- Folders: override, duplicates, disable ------------------------------ */

static const char FOLDER1[] =
    "grammar deadlines 1.0\nkind deadline\ndefine WORD = alpha\n"
    "lexicon L\n  A = a1\nend\n"
    "rule d.one\n  priority 10\n  pattern {{WORD}}\nend\n"
    "rule d.two\n  pattern two\nend\n"
    "rule d.three\n  pattern three\nend\n";
static const char FOLDER2[] =
    "grammar deadlines 2.0\nkind deadline\ndefine WORD = beta\n"
    "lexicon L\n  B = b1\nend\n"
    "rule d.one\n  priority 99\n  pattern {{WORD}}\nend\n"
    "disable d.two\n";

START_TEST(folders_override)
{
    od_grammar_set *g = od_grammar_set_new();
    GString *e = g_string_new(NULL);
    const char *name, *version;
    const od_rule *r;
    char *m;

    ck_assert(od_grammar_set_add_data(g, "f1.rules", FOLDER1, strlen(FOLDER1), e));
    ck_assert(od_grammar_set_add_data(g, "f2.rules", FOLDER2, strlen(FOLDER2), e));
    ck_assert(od_grammar_set_compile(g, e));
    ck_assert_str_eq(e->str, "");
    /* the later grammar's version; one entry */
    ck_assert_uint_eq(od_grammar_set_n_grammars(g), 1);
    od_grammar_set_grammar(g, 0, &name, &version);
    ck_assert_str_eq(version, "2.0");
    /* d.one replaced in place, d.two disabled, d.three kept */
    ck_assert_uint_eq(od_grammar_set_n_rules(g), 2);
    r = od_grammar_set_rule(g, 0);
    ck_assert_str_eq(od_rule_id(r), "d.one");
    ck_assert_int_eq(od_rule_priority(r), 99);
    ck_assert_str_eq(od_rule_id(od_grammar_set_rule(g, 1)), "d.three");
    ck_assert_ptr_null(od_grammar_set_find_rule(g, "d.two"));
    /* the later definition wins, and the later lexicon */
    m = first_match(r, "alpha beta");
    ck_assert_str_eq(m, "beta");
    g_free(m);
    ck_assert_ptr_null(od_lexicon_lookup(od_grammar_set_lexicon(g, "L"), "a1"));
    ck_assert_str_eq(od_lexicon_lookup(od_grammar_set_lexicon(g, "L"), "b1"), "B");
    /* nothing more can be added once compiled */
    ck_assert(!od_grammar_set_add_data(g, "f3.rules", FOLDER2, strlen(FOLDER2), e));
    ck_assert_str_eq(e->str, "f3.rules: grammars cannot be added after compiling\n");
    g_string_free(e, TRUE);
    od_grammar_set_free(g);
}
END_TEST

static char *write_dir(const char *const *names, const char *const *texts, int n)
{
    GError *err = NULL;
    char *dir = g_dir_make_tmp("check_grammar-XXXXXX", &err);

    ck_assert_ptr_nonnull(dir);
    for (int i = 0; i < n; i++) {
        char *p = g_build_filename(dir, names[i], NULL);
        ck_assert(g_file_set_contents(p, texts[i], -1, &err));
        g_free(p);
    }
    return dir;
}

static void remove_dir(char *dir, const char *const *names, int n)
{
    for (int i = 0; i < n; i++) {
        char *p = g_build_filename(dir, names[i], NULL);
        g_remove(p);
        g_free(p);
    }
    g_rmdir(dir);
    g_free(dir);
}

START_TEST(folders_dir)
{
    /* files load in name order; the same id twice in one folder is an
     * error naming the first; a later folder overrides */
    const char *const n1[] = {"b.rules", "a.rules", "notes.txt"};
    const char *const t1[] = {"grammar b 1\nkind event\nrule x.one\n  pattern bee\nend\n",
                              "grammar a 1\nkind event\nrule x.one\n  pattern ay\nend\n",
                              "not a grammar"};
    const char *const n2[] = {"z.rules"};
    const char *const t2[] = {"grammar a 7\nkind case\nrule x.one\n  pattern zed\nend\n"};
    char *d1 = write_dir(n1, t1, 3), *d2 = write_dir(n2, t2, 1);
    char *first = g_build_filename(d1, "a.rules", NULL);
    char *second = g_build_filename(d1, "b.rules", NULL);
    char *expect = g_strdup_printf("%s:3:6: duplicate rule id 'x.one' (first defined at %s:3)\n"
                                   "  rule x.one\n       ^\n", second, first);
    od_grammar_set *g = od_grammar_set_new();
    GString *e = g_string_new(NULL);
    const char *name, *version;

    ck_assert(!od_grammar_set_add_dir(g, d1, e));
    ck_assert_str_eq(e->str, expect);
    g_string_truncate(e, 0);
    ck_assert(od_grammar_set_add_dir(g, d2, e));
    /* a set that once reported errors does not compile, and says nothing new */
    ck_assert(!od_grammar_set_compile(g, e));
    ck_assert_str_eq(e->str, "");
    ck_assert_uint_eq(od_grammar_set_n_rules(g), 1);
    ck_assert_str_eq(od_rule_kind(od_grammar_set_rule(g, 0)), "case");
    ck_assert_uint_eq(od_grammar_set_n_grammars(g), 2);
    od_grammar_set_grammar(g, 0, &name, &version);
    ck_assert_str_eq(name, "a");
    ck_assert_str_eq(version, "7");
    od_grammar_set_grammar(g, 1, &name, &version);
    ck_assert_str_eq(name, "b");

    g_string_truncate(e, 0);
    ck_assert(!od_grammar_set_add_dir(g, "/nonexistent/ordex-grammars", e));
    ck_assert(g_str_has_prefix(e->str, "/nonexistent/ordex-grammars: "));
    g_string_free(e, TRUE);
    od_grammar_set_free(g);
    g_free(expect);
    g_free(first);
    g_free(second);
    remove_dir(d1, n1, 3);
    remove_dir(d2, n2, 1);
}
END_TEST

START_TEST(folders_same_grammar_twice)
{
    const char *src = "grammar a 1\n";
    const char *const n1[] = {"a.rules", "b.rules"};
    const char *const t1[] = {"grammar a 1\n", "grammar a 2\n"};
    char *d = write_dir(n1, t1, 2);
    char *pa = g_build_filename(d, "a.rules", NULL), *pb = g_build_filename(d, "b.rules", NULL);
    char *expect = g_strdup_printf("%s:1:9: duplicate grammar 'a' (first declared at %s:1)\n"
                                   "  grammar a 2\n          ^\n", pb, pa);
    od_grammar_set *g = od_grammar_set_new();
    GString *e = g_string_new(NULL);

    ck_assert(od_grammar_set_add_data(g, "x.rules", src, strlen(src), e));
    ck_assert(!od_grammar_set_add_dir(g, d, e));
    ck_assert_str_eq(e->str, expect);
    g_string_free(e, TRUE);
    od_grammar_set_free(g);
    g_free(expect);
    g_free(pa);
    g_free(pb);
    remove_dir(d, n1, 2);
}
END_TEST

START_TEST(shipped_grammars)
{
    /* the grammars of the repository load and compile (run from the top) */
    od_grammar_set *g;
    GString *e;

    if (!g_file_test("grammars/common.rules", G_FILE_TEST_EXISTS))
        return;
    g = od_grammar_set_new();
    e = g_string_new(NULL);
    ck_assert_msg(od_grammar_set_add_dir(g, "grammars", e), "%s", e->str);
    ck_assert_msg(od_grammar_set_compile(g, e), "%s", e->str);
    ck_assert_uint_gt(od_grammar_set_n_rules(g), 10);
    g_string_free(e, TRUE);
    od_grammar_set_free(g);
}
END_TEST

START_TEST(robust_random_bytes)
{
    /* arbitrary bytes never crash the loader or the compiler */
    static const char *const pieces[] = {
        "grammar g 1\n", "kind deadline\n", "rule r", "\n", " pattern ", "{{A}}",
        "{{@L}}", "define A = ", "(", ")", "[", "end\n", "lexicon L nocase\n",
        " x = y | z\n", "+ ", "\xff", "\0", "suppress s\n", " scope block\n",
        "disable r\n", "(?<n>", "\\", "|", "=", "#", "\t", "\xc3\xa9", "{{"};
    GRand *rnd = g_rand_new_with_seed(42);

    for (int iter = 0; iter < 400; iter++) {
        GString *src = g_string_new(NULL);
        int n = g_rand_int_range(rnd, 0, 60);
        char *e;
        for (int i = 0; i < n; i++) {
            const char *p = pieces[g_rand_int_range(rnd, 0, G_N_ELEMENTS(pieces))];
            g_string_append_len(src, p, p[0] ? (gssize)strlen(p) : 1);
        }
        e = errors_of(src->str, src->len);
        g_free(e);
        g_string_free(src, TRUE);
    }
    g_rand_free(rnd);
}
END_TEST


/* ---- Declared fields ('fields KIND' blocks) ----------------------------- */

#define DIRECTIVE_FIELDS                                                    \
    "grammar g 1\nkind directive\n"                                         \
    "fields directive\n"                                                    \
    "  action    required  text   # the verb\n"                             \
    "  actor     optional  group\n"                                         \
    "  modality  optional  set = must | may\n"                              \
    "end\n"

START_TEST(err_fields_rules)
{
    /* the mistakes of issue 14: a misspelt capture, an unknown 'set'
     * field, a value not allowed, a missing required field */
    ERR_IS(DIRECTIVE_FIELDS
           "rule d.a\n  pattern   (?<acter>\\w+)\\s+shall\\s+(?<action>\\w+)\nend\n",
           "t.rules:9:16: unknown field 'acter' in rule 'd.a' (kind 'directive' declares: "
           "action actor modality)\n"
           "    pattern   (?<acter>\\w+)\\s+shall\\s+(?<action>\\w+)\n"
           "                 ^\n");
    ERR_IS(DIRECTIVE_FIELDS
           "rule d.b\n  pattern   (?<action>file)\n  set       feild = court\nend\n",
           "t.rules:10:13: unknown field 'feild' in rule 'd.b' (kind 'directive' declares: "
           "action actor modality)\n"
           "    set       feild = court\n"
           "              ^\n");
    ERR_IS(DIRECTIVE_FIELDS
           "rule d.c\n  pattern   (?<action>file)\n  set       modality = sometimes\nend\n",
           "t.rules:10:24: value 'sometimes' not allowed for field 'modality' of kind "
           "'directive' (expected one of: must | may)\n"
           "    set       modality = sometimes\n"
           "                         ^\n");
    ERR_IS(DIRECTIVE_FIELDS "\n  rule d.d\n  pattern   (?<actor>\\w+)\\s+shall\nend\n",
           "t.rules:9:3: rule 'd.d' lacks the required field 'action' of kind 'directive' "
           "(add a group (?<action>...) or 'set action = ...')\n"
           "    rule d.d\n"
           "    ^\n");
    /* a group where only 'set' may give the field, and the reverse */
    ERR_IS(DIRECTIVE_FIELDS
           "rule d.e\n  pattern   (?<action>file)\\s+(?<modality>must)\nend\n",
           "t.rules:9:34: field 'modality' of kind 'directive' is given by 'set', not by a "
           "group (rule 'd.e')\n"
           "    pattern   (?<action>file)\\s+(?<modality>must)\n"
           "                                   ^\n");
    ERR_IS(DIRECTIVE_FIELDS
           "rule d.f\n  pattern   (?<action>file)\n  set       actor = court\nend\n",
           "t.rules:10:13: field 'actor' of kind 'directive' is given by a group "
           "(?<actor>...), not by 'set' (rule 'd.f')\n"
           "    set       actor = court\n"
           "              ^\n");
    /* a group inside a definition is placed at the reference */
    ERR_IS(DIRECTIVE_FIELDS "define WHO = (?<who>\\w+)\n"
           "rule d.g\n  pattern   {{WHO}}\\s+(?<action>file)\nend\n",
           "t.rules:10:13: unknown field 'who' in rule 'd.g' (kind 'directive' declares: "
           "action actor modality) inside {{WHO}}\n"
           "    pattern   {{WHO}}\\s+(?<action>file)\n"
           "              ^\n");
    /* continuation lines: the column is the one of the line the group is on */
    ERR_IS(DIRECTIVE_FIELDS
           "rule d.h\n  pattern   (?<action>file)\n    +  \\s+(?<whom>\\w+)\nend\n",
           "t.rules:10:14: unknown field 'whom' in rule 'd.h' (kind 'directive' declares: "
           "action actor modality)\n"
           "      +  \\s+(?<whom>\\w+)\n"
           "               ^\n");
    /* 'set' of a required 'set' field: the hint says so */
    ERR_IS("grammar g 1\nkind deadline\nfields deadline\n  kind required set = absolute\n"
           "  date optional group\nend\nrule x\n  pattern (?<date>\\d+)\nend\n",
           "t.rules:7:1: rule 'x' lacks the required field 'kind' of kind 'deadline' "
           "(add 'set kind = ...')\n  rule x\n  ^\n");
}
END_TEST

START_TEST(err_fields_blocks)
{
    ERR_IS("grammar g 1\nfields nothing\nend\n",
           "t.rules:2:8: unknown kind 'nothing' (expected one of: case directive deadline "
           "event attorney judge dataset segment change document)\n"
           "  fields nothing\n         ^\n");
    ERR_IS("grammar g 1\nfields\nend\n",
           "t.rules:2:7: missing kind after 'fields' (expected 'fields KIND')\n"
           "  fields\n        ^\n");
    ERR_IS("grammar g 1\nfields case\n  when  sometimes  text\nend\n",
           "t.rules:3:9: unknown 'sometimes' after field 'when' (expected 'required' or "
           "'optional')\n    when  sometimes  text\n          ^\n");
    ERR_IS("grammar g 1\nfields case\n  when  optional\nend\n",
           "t.rules:3:17: missing type of field 'when' (expected one of: group set text)\n"
           "    when  optional\n                  ^\n");
    ERR_IS("grammar g 1\nfields case\n  when  optional  date\nend\n",
           "t.rules:3:19: unknown type 'date' of field 'when' (expected one of: group set "
           "text)\n    when  optional  date\n                    ^\n");
    ERR_IS("grammar g 1\nfields case\n  when  optional  group = a | b\nend\n",
           "t.rules:3:25: only a 'set' field lists its values (field 'when')\n"
           "    when  optional  group = a | b\n                          ^\n");
    ERR_IS("grammar g 1\nfields case\n  when  optional  set = a | | b\nend\n",
           "t.rules:3:29: empty value of field 'when' (expected '= VALUE | VALUE ...')\n"
           "    when  optional  set = a | | b\n                              ^\n");
    ERR_IS("grammar g 1\nfields case\n  9lives  optional  text\nend\n",
           "t.rules:3:3: bad field name '9lives' (expected [A-Za-z][A-Za-z0-9_]*)\n"
           "    9lives  optional  text\n    ^\n");
    ERR_IS("grammar g 1\nfields case\n  a  optional  text\n  a  required  group\nend\n",
           "t.rules:4:3: duplicate field 'a' in fields 'case'\n"
           "    a  required  group\n    ^\n");
    ERR_IS("grammar g 1\nfields case\nend\nfields case\nend\n",
           "t.rules:4:8: duplicate fields 'case' (first declared at t.rules:2)\n"
           "  fields case\n         ^\n");
    ERR_IS("grammar g 1\nkind case\nfields case\n  a optional text\nrule x\n  pattern a\nend\n",
           "t.rules:3:1: missing 'end' for fields 'case'\n  fields case\n  ^\n");
}
END_TEST

START_TEST(good_fields)
{
    /* a kind without a 'fields' block is not checked; a checked rule keeps
     * its fields; stage 5 may ask for any declared name */
    static const char src[] =
        DIRECTIVE_FIELDS
        "rule d.ok\n  pattern   (?<actor>\\w+)\\s+shall\\s+(?<action>\\w+)\n"
        "  set       modality = must\nend\n"
        "rule e.free\n  kind      event\n  pattern   (?<anything>x)\n  set   whatever = 1\nend\n";
    od_grammar_set *g = good(src);
    const od_rule *d = od_grammar_set_find_rule(g, "d.ok");
    const od_rule *e = od_grammar_set_find_rule(g, "e.free");

    ck_assert_ptr_nonnull(d->decl);
    ck_assert_ptr_null(e->decl);
    ck_assert_int_eq(d->n_fields, 3);
    ck_assert_str_eq(d->field_names[2], "modality");
    ck_assert_str_eq(d->field_values[2], "must");
    ck_assert(od_rule_declares(d, "actor"));
    ck_assert(od_rule_declares(e, "modality")); /* declared by some kind */
    ck_assert(!od_rule_declares(d, "acter"));
    ck_assert(!od_rule_declares(e, "anything"));
    od_grammar_set_free(g);
}
END_TEST

START_TEST(folders_fields_replace)
{
    /* a later folder's 'fields' block replaces the earlier one whole */
    static const char f1[] = DIRECTIVE_FIELDS;
    static const char f2[] = "grammar h 1\nfields directive\n  verb required group\nend\n"
                             "rule d.x\n  kind directive\n  pattern (?<verb>go)\nend\n";
    static const char f3[] = "grammar k 1\n"
                             "rule d.y\n  kind directive\n  pattern (?<action>go)\nend\n";
    od_grammar_set *g = od_grammar_set_new();
    GString *e = g_string_new(NULL);

    ck_assert(od_grammar_set_add_data(g, "f1.rules", f1, strlen(f1), e));
    ck_assert(od_grammar_set_add_data(g, "f2.rules", f2, strlen(f2), e));
    ck_assert(od_grammar_set_add_data(g, "f3.rules", f3, strlen(f3), e));
    ck_assert(!od_grammar_set_compile(g, e));
    ck_assert_str_eq(e->str,
                     "f3.rules:4:14: unknown field 'action' in rule 'd.y' (kind 'directive' "
                     "declares: verb)\n"
                     "    pattern (?<action>go)\n"
                     "               ^\n"
                     "f3.rules:2:1: rule 'd.y' lacks the required field 'verb' of kind "
                     "'directive' (add a group (?<verb>...))\n"
                     "  rule d.y\n"
                     "  ^\n");
    /* f2's rule, checked against f2's block, passed */
    ck_assert_ptr_nonnull(od_grammar_set_find_rule(g, "d.x")->decl);
    g_string_free(e, TRUE);
    od_grammar_set_free(g);
}
END_TEST

START_TEST(shipped_fields)
{
    /* the shipped grammars declare the fields of every record kind */
    od_grammar_set *g;
    GString *e;

    if (!g_file_test("grammars/common.rules", G_FILE_TEST_EXISTS))
        return;
    g = od_grammar_set_new();
    e = g_string_new(NULL);
    ck_assert_msg(od_grammar_set_add_dir(g, "grammars", e), "%s", e->str);
    ck_assert_msg(od_grammar_set_compile(g, e), "%s", e->str);
    for (size_t i = 0; i < od_grammar_set_n_rules(g); i++) {
        const od_rule *r = od_grammar_set_rule(g, i);
        ck_assert_msg(r->suppress || r->decl, "rule '%s' of kind '%s' was not checked",
                      r->id, od_rule_kind(r));
    }
    for (int k = 0; k < OD_N_KINDS; k++)
        ck_assert_msg(od_grammar_set_declares_kind(g, k), "kind '%s' declares no fields",
                      od_kind_names[k]);
    ck_assert(od_rule_declares(od_grammar_set_find_rule(g, "directive.modal"), "actor"));
    ck_assert(!od_rule_declares(od_grammar_set_find_rule(g, "directive.modal"), "acter"));
    g_string_free(e, TRUE);
    od_grammar_set_free(g);
}
END_TEST

static Suite *grammar_suite(void)
{
    Suite *s = suite_create("grammar");
    TCase *errs = tcase_create("errors");
    TCase *ok = tcase_create("good");
    TCase *fold = tcase_create("folders");

    tcase_add_test(errs, err_header_missing);
    tcase_add_test(errs, err_triggers);
    tcase_add_test(errs, err_header_malformed);
    tcase_add_test(errs, err_unknown_statement_and_key);
    tcase_add_test(errs, err_blocks);
    tcase_add_test(errs, err_values);
    tcase_add_test(errs, err_lexicon_entries);
    tcase_add_test(errs, err_regex_column);
    tcase_add_test(errs, err_definitions);
    tcase_add_test(errs, err_duplicate_id);
    tcase_add_test(errs, err_utf8);
    tcase_add_test(errs, err_all_reported);
    tcase_add_test(errs, err_too_many);
    tcase_add_test(errs, err_hostile_pattern_bounded);
    tcase_add_test(errs, err_fields_rules);
    tcase_add_test(errs, err_fields_blocks);
    tcase_add_test(errs, robust_random_bytes);
    tcase_add_test(ok, good_rules);
    tcase_add_test(ok, good_triggers);
    tcase_add_test(ok, trigger_words);
    tcase_add_test(ok, good_lexicons);
    tcase_add_test(ok, good_comments_and_crlf);
    tcase_add_test(ok, shipped_grammars);
    tcase_add_test(ok, good_fields);
    tcase_add_test(ok, shipped_fields);
    tcase_add_test(fold, folders_override);
    tcase_add_test(fold, folders_dir);
    tcase_add_test(fold, folders_same_grammar_twice);
    tcase_add_test(fold, folders_fields_replace);
    suite_add_tcase(s, errs);
    suite_add_tcase(s, ok);
    suite_add_tcase(s, fold);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(grammar_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

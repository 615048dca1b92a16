/*
 * check_examples.c - every rule of the shipped grammars carries at least
 * one 'example' phrase, and each example fires its rule: the phrase is
 * run through the matcher (stage 4b, with every loaded rule, its triggers
 * and the suppress blocks) as one block of the first context the rule
 * allows, and a match of that rule must come out (the segment and stamp
 * rules are run line by line as stages 2 and 3 run them: see
 * line_rule_fires).  A suppress block's
 * example must be hit by its pattern and hold one of its trigger words.
 * Run from the top of the checkout; skipped when grammars/ is absent.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ustring.h>

#include "grammar_p.h"
#include "text_p.h"

/* One block of the given kind holding all of text, one sentence, page 1. */
typedef struct doc {
    od_text t;
    od_segments s;
    od_block block;
    od_sentence sentence;
    od_para para;
} doc;

static bool doc_init(doc *d, const char *text, od_block_kind kind)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0;

    memset(d, 0, sizeof *d);
    u_strFromUTF8(NULL, 0, &n, text, -1, &st);
    st = U_ZERO_ERROR;
    d->t.buf = g_new0(UChar, (gsize)n + 1);
    u_strFromUTF8(d->t.buf, n + 1, &d->t.len, text, -1, &st);
    if (U_FAILURE(st))
        return false;
    d->para.start = d->block.start = d->sentence.start = 0;
    d->para.end = d->block.end = d->sentence.end = d->t.len;
    d->para.page = 1;
    d->block.kind = kind;
    d->block.para = 0;
    d->block.first_sentence = 0;
    d->block.n_sentences = 1;
    d->t.paras = &d->para;
    d->t.n_paras = 1;
    d->s.blocks = &d->block;
    d->s.n_blocks = 1;
    d->s.sentences = &d->sentence;
    d->s.n_sentences = 1;
    return true;
}

/* The line kinds ("segment", "stamp") are not run by od_match_run but
 * line by line through od_line_matcher (match.c), as stages 2 and 3 do:
 * a segment rule (a cue, segment.c) is tried on the example as one
 * paragraph's window; a stamp LINE rule (ecf.c) on the example as one
 * line; a stamp ITEM rule (`set part = item`) is read from the `tail` of
 * a line rule that matches the example, which is then a whole stamp line:
 * the item rules are tried in load order at the start of the tail, the
 * first that matches is read, and the walk goes on where it ended, until
 * none matches (ecf.c, read_items).  The rule fires when it is read. */
static bool is_line_kind(const od_rule *r)
{
    return !r->suppress && ((1u << r->kind) & OD_LINE_KINDS);
}

static bool is_item(const od_rule *r)
{
    const char *p = od_rule_set_value(r, "part");

    return p && strcmp(p, "item") == 0;
}

/* Walks the item rules over [from, to) as ecf.c does; true when r is read. */
static bool item_read(od_line_matcher *lm, const od_rule *r, int32_t from, int32_t to)
{
    size_t n = od_line_matcher_n_rules(lm);

    while (from < to) {
        bool hit = false;
        for (size_t i = 0; i < n && !hit; i++) {
            od_match m;

            if (!is_item(od_line_matcher_rule(lm, i)))
                continue;
            if (od_line_matcher_find(lm, i, from, to, &m, NULL) != 1
                || m.start != from || m.end <= from)
                continue;
            if (m.rule == r)
                return true;
            from = m.end;
            hit = true;
        }
        if (!hit)
            break;
    }
    return false;
}

static bool line_rule_fires(const od_grammar_set *g, const od_rule *r, const char *text)
{
    UErrorCode st = U_ZERO_ERROR;
    UChar *u;
    int32_t n = 0;
    od_line_matcher *lm = od_line_matcher_new(g, od_kind_names[r->kind], NULL);
    bool found = false;

    if (!lm)
        return false;
    u_strFromUTF8(NULL, 0, &n, text, -1, &st);
    st = U_ZERO_ERROR;
    u = g_new0(UChar, (gsize)n + 1);
    u_strFromUTF8(u, n + 1, &n, text, -1, &st);
    if (U_SUCCESS(st) && od_line_matcher_set_text(lm, u, n, NULL)) {
        size_t nr = od_line_matcher_n_rules(lm);
        bool item = r->kind == OD_KIND_STAMP && is_item(r);
        for (size_t i = 0; i < nr && !found; i++) {
            const od_rule *li = od_line_matcher_rule(lm, i);
            od_match m;
            const od_field *tail;

            if (item ? (li->kind != OD_KIND_STAMP || is_item(li)) : li != r)
                continue;
            if (od_line_matcher_find(lm, i, 0, n, &m, NULL) != 1)
                continue;
            if (!item) {
                found = true;
                continue;
            }
            tail = od_match_field(&m, "tail");
            if (tail && tail->start >= 0 && tail->end > tail->start)
                found = item_read(lm, r, tail->start, tail->end);
        }
    }
    od_line_matcher_free(lm);
    g_free(u);
    return found;
}

/* The block kind an example of r runs as: body when r allows it, else the
 * first kind it allows. */
static od_block_kind example_context(const od_rule *r)
{
    if (r->contexts & (1u << OD_BLOCK_BODY))
        return OD_BLOCK_BODY;
    for (int k = 0; k < OD_BLOCK_N_KINDS; k++)
        if (r->contexts & (1u << k))
            return (od_block_kind)k;
    return OD_BLOCK_BODY;
}

static bool rule_fires(const od_grammar_set *g, const od_rule *r, const char *text)
{
    doc d;
    od_matches *m;
    char *msg = NULL;
    bool found = false;

    if (is_line_kind(r))
        return line_rule_fires(g, r, text);
    if (!doc_init(&d, text, example_context(r))) {
        g_free(d.t.buf);
        return false;
    }
    m = od_match_run(g, &d.t, &d.s, 0, &msg);
    for (size_t i = 0; m && i < m->n && !found; i++)
        found = m->items[i].rule == r;
    od_matches_free(m);
    g_free(msg);
    g_free(d.t.buf);
    return found;
}

typedef struct trig_hit {
    const od_grammar_set *g;
    const od_rule *r;
    bool hit;
} trig_hit;

static void trig_word(const char *word, size_t len, void *data)
{
    trig_hit *th = data;
    int ids[16], n = od_grammar_set_trigger_ids(th->g, word, len, ids, 16);

    for (int i = 0; i < n; i++)
        for (int k = 0; k < th->r->n_trig; k++)
            if (ids[i] == th->r->trig[k])
                th->hit = true;
}

/* A suppress block's example: its pattern finds it, and (when it has
 * triggers) the example holds one of its words. */
static bool suppress_fires(const od_grammar_set *g, const od_rule *r, const char *text)
{
    UErrorCode st = U_ZERO_ERROR;
    UChar *u;
    int32_t n = 0;
    URegularExpression *re;
    bool found;
    trig_hit th = {g, r, r->n_trig == 0};

    u_strFromUTF8(NULL, 0, &n, text, -1, &st);
    st = U_ZERO_ERROR;
    u = g_new0(UChar, (gsize)n + 1);
    u_strFromUTF8(u, n + 1, &n, text, -1, &st);
    re = uregex_clone(r->re, &st);
    uregex_setText(re, u, n, &st);
    found = U_SUCCESS(st) && uregex_find(re, 0, &st) && U_SUCCESS(st);
    uregex_close(re);
    if (od_grammar_set_n_triggers(g) > 0)
        od_words_each(u, n, trig_word, &th);
    else
        th.hit = true;
    g_free(u);
    return found && th.hit;
}

/* Checks every rule of g; appends a line per fault to report and returns
 * how many. */
static int check_set(const od_grammar_set *g, GString *report)
{
    int faults = 0;

    for (size_t i = 0; i < od_grammar_set_n_rules(g); i++) {
        const od_rule *r = od_grammar_set_rule(g, i);
        if (r->n_examples == 0) {
            g_string_append_printf(report, "%s '%s' has no example\n",
                                   r->suppress ? "suppress" : "rule", r->id);
            faults++;
        }
        for (int k = 0; k < r->n_examples; k++) {
            const od_example *ex = &r->examples[k];
            bool ok = r->suppress ? suppress_fires(g, r, ex->text) : rule_fires(g, r, ex->text);
            if (!ok) {
                g_string_append_printf(report, "%s:%d: the example does not fire %s '%s': %s\n",
                                       ex->file, ex->line, r->suppress ? "suppress" : "rule",
                                       r->id, ex->text);
                faults++;
            }
        }
    }
    return faults;
}

static od_grammar_set *load(const char *name, const char *src)
{
    od_grammar_set *g = od_grammar_set_new();
    GString *e = g_string_new(NULL);

    ck_assert_msg(od_grammar_set_add_data(g, name, src, strlen(src), e) &&
                  od_grammar_set_compile(g, e), "%s", e->str);
    g_string_free(e, TRUE);
    return g;
}

START_TEST(checker_reports)
{
    /* the checker itself: a good example passes, a wrong one, a rule
     * without one, a rule whose example a suppress block removes, and a
     * trigger that the example lacks are all reported */
    static const char src[] =
        "grammar g 1\nkind directive\n"
        "rule a\n  pattern \\bshall\\s+file\\b\n  example Plaintiffs shall file it.\n"
        "  example Plaintiffs shall\\nfile it.\nend\n"
        "rule b\n  pattern \\bmust\\s+serve\\b\n  example Defendants must file.\nend\n"
        "rule c\n  pattern \\bmay\\b\nend\n"
        "rule d\n  context caption\n  pattern \\bwill\\b\n  example It will rain.\nend\n"
        "suppress s\n  pattern \\bwill\\s+rain\\b\n  example It will rain.\nend\n"
        "suppress t\n  trigger never\n  pattern never|ever\n  example For ever.\nend\n";
    od_grammar_set *g = load("g.rules", src);
    GString *rep = g_string_new(NULL);

    ck_assert_int_eq(check_set(g, rep), 4);
    ck_assert_str_eq(rep->str,
                     "g.rules:10: the example does not fire rule 'b': Defendants must file.\n"
                     "rule 'c' has no example\n"
                     "g.rules:18: the example does not fire rule 'd': It will rain.\n"
                     "g.rules:27: the example does not fire suppress 't': For ever.\n");
    /* "\n" in an example is a line break */
    ck_assert_str_eq(od_grammar_set_find_rule(g, "a")->examples[1].text,
                     "Plaintiffs shall\nfile it.");
    g_string_free(rep, TRUE);
    od_grammar_set_free(g);
}
END_TEST

START_TEST(checker_line_kinds)
{
    /* segment and stamp rules run as stages 2 and 3 run them: a cue on
     * the paragraph, a stamp line rule on the line, an item rule on the
     * tail of a line rule that matches (read in load order from its start) */
    static const char src[] =
        "grammar s 1\nkind segment\n"
        "rule cue\n  flags nocase\n  pattern ^\\s*so\\s+ordered\\b\n  set cue = sign\n"
        "  example SO ORDERED.\n  example It is so ordered.\nend\n";
    static const char src2[] =
        "grammar t 1\nkind stamp\n"
        "rule line\n  pattern ^Case\\s+(?<case>\\d+)(?<tail>(?:\\s+(?:Page|Doc)\\s*\\d+)*)\\s*$\n"
        "  example Case 12 Page 3\n  example Page 3\nend\n"
        "rule item.page\n  pattern \\G\\s*Page\\s*(?<page>\\d+)\n  set part = item\n"
        "  example Case 12 Doc 4 Page 3\n  example Page 3\nend\n"
        "rule item.doc\n  pattern \\G\\s*Doc\\s*\\d+\n  set part = item\n"
        "  example Case 12 Page 3 Doc 4 Page 5\n  example Case 12 Page 3 Dox 4 Doc 5\nend\n";
    od_grammar_set *g = od_grammar_set_new();
    GString *rep = g_string_new(NULL);

    ck_assert_msg(od_grammar_set_add_data(g, "s.rules", src, strlen(src), rep) &&
                  od_grammar_set_add_data(g, "t.rules", src2, strlen(src2), rep) &&
                  od_grammar_set_compile(g, rep), "%s", rep->str);
    ck_assert_int_eq(check_set(g, rep), 4);
    ck_assert_str_eq(rep->str,
                     "s.rules:8: the example does not fire rule 'cue': It is so ordered.\n"
                     "t.rules:6: the example does not fire rule 'line': Page 3\n"
                     "t.rules:12: the example does not fire rule 'item.page': Page 3\n"
                     "t.rules:18: the example does not fire rule 'item.doc': Case 12 Page 3 Dox 4 Doc 5\n");
    g_string_free(rep, TRUE);
    od_grammar_set_free(g);
}
END_TEST

START_TEST(shipped_examples)
{
    od_grammar_set *g;
    GString *e, *rep;
    int faults;

    if (!g_file_test("grammars/common.rules", G_FILE_TEST_EXISTS))
        return;
    g = od_grammar_set_new();
    e = g_string_new(NULL);
    ck_assert_msg(od_grammar_set_add_dir(g, "grammars", e), "%s", e->str);
    ck_assert_msg(od_grammar_set_compile(g, e), "%s", e->str);
    rep = g_string_new(NULL);
    faults = check_set(g, rep);
    if (faults) /* Check's message cannot hold a long list */
        fputs(rep->str, stderr);
    ck_assert_msg(faults == 0, "%d fault(s), listed above", faults);
    g_string_free(rep, TRUE);
    g_string_free(e, TRUE);
    od_grammar_set_free(g);
}
END_TEST

static Suite *examples_suite(void)
{
    Suite *s = suite_create("examples");
    TCase *tc = tcase_create("examples");

    tcase_add_test(tc, checker_reports);
    tcase_add_test(tc, checker_line_kinds);
    tcase_add_test(tc, shipped_examples);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(examples_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

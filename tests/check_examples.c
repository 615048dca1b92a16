/*
 * check_examples.c - every rule of the shipped grammars carries at least
 * one 'example' phrase, and each example fires its rule: the phrase is
 * run through the matcher (stage 4b, with every loaded rule, its triggers
 * and the suppress blocks) as one block of the first context the rule
 * allows, and a match of that rule must come out.  A suppress block's
 * example must be hit by its pattern and hold one of its trigger words.
 * Run from the top of the checkout; skipped when grammars/ is absent.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ustring.h>

#include "grammar_p.h"

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

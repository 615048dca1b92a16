/*
 * check_match.c - unit tests of stage 4b (parser/match.c): captures to
 * fields, context filtering, suppression by scope, overlap resolution,
 * regex limits, and a long text.  Documents are built by hand (no PDF,
 * no text or segment stage): paragraphs split at blank lines, one block
 * each, sentences split after ". ".
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ustring.h>

#include "grammar_p.h"
#include "text_p.h"

typedef struct doc {
    od_text t;
    od_segments s;
} doc;

/* Builds a document from UTF-8: each "\n\n"-separated paragraph is a block
 * of kind kinds[i] (body when kinds is NULL or runs out, marked by -1). */
static doc *doc_new(const char *utf8, const int *kinds)
{
    doc *d = g_new0(doc, 1);
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0, i = 0;
    GArray *blocks = g_array_new(FALSE, TRUE, sizeof(od_block));
    GArray *sents = g_array_new(FALSE, TRUE, sizeof(od_sentence));
    GArray *paras = g_array_new(FALSE, TRUE, sizeof(od_para));

    u_strFromUTF8(NULL, 0, &n, utf8, -1, &st);
    st = U_ZERO_ERROR;
    d->t.buf = g_new0(UChar, (gsize)n + 1);
    u_strFromUTF8(d->t.buf, n + 1, &d->t.len, utf8, -1, &st);
    ck_assert(U_SUCCESS(st));
    while (i < n) {
        int32_t e = i, ss;
        od_block b;
        od_para p;
        while (e < n && !(d->t.buf[e] == '\n' && e + 1 < n && d->t.buf[e + 1] == '\n'))
            e++;
        memset(&b, 0, sizeof b);
        memset(&p, 0, sizeof p);
        b.start = p.start = i;
        b.end = p.end = e;
        b.para = (int)blocks->len;
        p.page = 1 + (int)blocks->len;
        b.kind = kinds && kinds[blocks->len] >= 0 ? (od_block_kind)kinds[blocks->len]
                                                  : OD_BLOCK_BODY;
        b.first_sentence = (int)sents->len;
        for (ss = i; ss < e;) {
            int32_t se = ss;
            od_sentence s;
            while (se < e && !(d->t.buf[se] == '.' && (se + 1 == e || d->t.buf[se + 1] == ' ')))
                se++;
            if (se < e)
                se++;
            s.start = ss;
            s.end = se;
            s.block = (int)blocks->len;
            g_array_append_val(sents, s);
            ss = se;
            while (ss < e && d->t.buf[ss] == ' ')
                ss++;
        }
        b.n_sentences = (int)sents->len - b.first_sentence;
        g_array_append_val(blocks, b);
        g_array_append_val(paras, p);
        i = e + 2;
    }
    d->s.n_blocks = blocks->len;
    d->s.blocks = (od_block *)(void *)g_array_free(blocks, FALSE);
    d->s.n_sentences = sents->len;
    d->s.sentences = (od_sentence *)(void *)g_array_free(sents, FALSE);
    d->t.n_paras = paras->len;
    d->t.paras = (od_para *)(void *)g_array_free(paras, FALSE);
    return d;
}

static void doc_free(doc *d)
{
    g_free(d->t.buf);
    g_free(d->t.paras);
    g_free(d->s.blocks);
    g_free(d->s.sentences);
    g_free(d);
}

static char *span(const doc *d, int32_t a, int32_t b)
{
    char buf[4096];
    UErrorCode st = U_ZERO_ERROR;

    if (a < 0)
        return g_strdup("(none)");
    u_strToUTF8(buf, sizeof buf, NULL, d->t.buf + a, b - a, &st);
    ck_assert(U_SUCCESS(st));
    return g_strdup(buf);
}

static od_grammar_set *grammar(const char *src)
{
    od_grammar_set *g = od_grammar_set_new();
    GString *e = g_string_new(NULL);
    bool ok = od_grammar_set_add_data(g, "m.rules", src, strlen(src), e) &&
              od_grammar_set_compile(g, e);

    ck_assert_msg(ok, "grammar errors:\n%s", e->str);
    g_string_free(e, TRUE);
    return g;
}

/* "rule.id[text]" for each match, joined by spaces (g_free). */
static char *summary(const doc *d, const od_matches *m)
{
    GString *out = g_string_new(NULL);

    for (size_t i = 0; i < m->n; i++) {
        char *s = span(d, m->items[i].start, m->items[i].end);
        g_string_append_printf(out, "%s%s[%s]", i ? " " : "", od_rule_id(m->items[i].rule), s);
        g_free(s);
    }
    return g_string_free(out, FALSE);
}

static char *run_summary(const char *rules, const char *text, const int *kinds)
{
    od_grammar_set *g = grammar(rules);
    doc *d = doc_new(text, kinds);
    char *msg = NULL, *out;
    od_matches *m = od_match_run(g, &d->t, &d->s, 0, &msg);

    ck_assert_ptr_nonnull(m);
    ck_assert_ptr_null(msg);
    ck_assert_uint_eq(m->warnings->len, 0);
    out = summary(d, m);
    od_matches_free(m);
    doc_free(d);
    od_grammar_set_free(g);
    return out;
}

#define SUMMARY_IS(rules, text, kinds, expected)             \
    do {                                                     \
        char *got_ = run_summary((rules), (text), (kinds));  \
        ck_assert_str_eq(got_, (expected));                  \
        g_free(got_);                                        \
    } while (0)

/* ---- Fields ---------------------------------------------------------------- */

START_TEST(fields_from_captures)
{
    od_grammar_set *g = grammar(
        "grammar t 1\nkind deadline\n"
        "rule t.by\n  priority 5\n"
        "  pattern \\bby\\s+(?<date>\\d+/\\d+)(?:\\s+at\\s+(?<time>\\d+))?\n"
        "  set kind = absolute\nend\n");
    doc *d = doc_new("File it by 12/8 today. Serve \xc3\xa9 by 1/2 at 5.\n\nNothing here.",
                     NULL);
    char *msg = NULL, *s;
    od_matches *m = od_match_run(g, &d->t, &d->s, 0, &msg);
    const od_field *f;

    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(m->n, 2);
    ck_assert_int_eq(m->items[0].start, 8);
    ck_assert_int_eq(m->items[0].end, 15);
    ck_assert_int_eq(m->items[0].block, 0);
    ck_assert_int_eq(m->items[0].sentence, 0);
    ck_assert_int_eq(m->items[0].n_fields, 3);
    f = od_match_field(&m->items[0], "date");
    s = span(d, f->start, f->end);
    ck_assert_str_eq(s, "12/8");
    g_free(s);
    f = od_match_field(&m->items[0], "time");
    ck_assert_int_eq(f->start, -1);
    ck_assert_int_eq(f->end, -1);
    ck_assert_ptr_null(f->value);
    f = od_match_field(&m->items[0], "kind");
    ck_assert_str_eq(f->value, "absolute");
    ck_assert_int_eq(f->start, -1);
    ck_assert_ptr_null(od_match_field(&m->items[0], "nope"));

    ck_assert_int_eq(m->items[1].sentence, 1);
    f = od_match_field(&m->items[1], "time");
    s = span(d, f->start, f->end);
    ck_assert_str_eq(s, "5");
    g_free(s);
    s = span(d, m->items[1].start, m->items[1].end);
    ck_assert_str_eq(s, "by 1/2 at 5");
    g_free(s);
    ck_assert_int_eq(m->items[1].start, 31); /* UTF-16 offsets */
    od_matches_free(m);
    doc_free(d);
    od_grammar_set_free(g);
}
END_TEST

/* ---- Context ----------------------------------------------------------------- */

START_TEST(context_filter)
{
    static const int kinds[] = {OD_BLOCK_HEADING, OD_BLOCK_BODY, OD_BLOCK_FOOTNOTE,
                                OD_BLOCK_NUMBERED};
    const char *rules = "grammar t 1\nkind directive\n"
                        "rule t.body\n  context body numbered\n  pattern \\bshall\\b\nend\n"
                        "rule t.any\n  pattern \\bORDER\\b\nend\n";
    od_grammar_set *g = grammar(rules);
    doc *d = doc_new("ORDER: the Clerk shall close\n\nOpenAI shall produce. ORDER\n\n"
                     "1 Counsel shall not\n\n(a) Parties shall confer",
                     kinds);
    char *msg = NULL;
    od_matches *m = od_match_run(g, &d->t, &d->s, 0, &msg);
    char *s = summary(d, m);

    ck_assert_str_eq(s, "t.any[ORDER] t.body[shall] t.any[ORDER] t.body[shall]");
    ck_assert_int_eq(m->items[0].block, 0);
    ck_assert_int_eq(m->items[1].block, 1);
    ck_assert_int_eq(m->items[2].block, 1);
    ck_assert_int_eq(m->items[2].sentence, 2);
    ck_assert_int_eq(m->items[3].block, 3);
    g_free(s);
    od_matches_free(m);
    doc_free(d);
    od_grammar_set_free(g);
}
END_TEST

START_TEST(block_edges)
{
    /* \b, ^ and $ work at block edges; a match never crosses a block */
    SUMMARY_IS("grammar t 1\nkind case\nrule t.line\n  pattern ^[A-Z]+$\nend\n"
               "rule t.cross\n  pattern ONE\\s+TWO\nend\n",
               "ONE\n\nTWO\n\nx THREE", NULL, "t.line[ONE] t.line[TWO]");
}
END_TEST

/* ---- Suppression ------------------------------------------------------------- */

static const char SUPPRESS_RULES[] =
    "grammar t 1\nkind deadline\n"
    "rule t.days\n  pattern \\b\\d+\\s+days\\b\nend\n"
    "rule t.shall\n  kind directive\n  pattern \\bshall\\b\nend\n"
    "suppress t.sup\n  kinds deadline\n  scope %s\n  pattern \\bRule\\s+\\d+\n"
    "    + (?:\\s+\\d+\\s+days)?\nend\n";

static char *suppress_with(const char *scope, const char *text)
{
    char *rules = g_strdup_printf(SUPPRESS_RULES, scope);
    char *out = run_summary(rules, text, NULL);
    g_free(rules);
    return out;
}

START_TEST(suppress_scopes)
{
    const char *text = "Under Rule 6 14 days apply; you shall file in 30 days. "
                       "Serve in 7 days.\n\nReply in 5 days. You shall reply.";
    char *s;

    /* match: only the overlapping "14 days" goes; directives stay */
    s = suppress_with("match", text);
    ck_assert_str_eq(s, "t.shall[shall] t.days[30 days] t.days[7 days] t.days[5 days] "
                        "t.shall[shall]");
    g_free(s);
    /* sentence: every deadline of the first sentence goes */
    s = suppress_with("sentence", text);
    ck_assert_str_eq(s, "t.shall[shall] t.days[7 days] t.days[5 days] t.shall[shall]");
    g_free(s);
    /* block: every deadline of the first block goes */
    s = suppress_with("block", text);
    ck_assert_str_eq(s, "t.shall[shall] t.days[5 days] t.shall[shall]");
    g_free(s);
    /* no suppressor match, nothing dropped */
    s = suppress_with("block", "Serve in 7 days.");
    ck_assert_str_eq(s, "t.days[7 days]");
    g_free(s);
}
END_TEST

START_TEST(suppress_context)
{
    /* a suppressor only runs in its context blocks */
    static const int kinds[] = {OD_BLOCK_QUOTE, OD_BLOCK_BODY};
    SUMMARY_IS("grammar t 1\nkind deadline\nrule t.days\n  pattern \\d+ days\nend\n"
               "suppress t.q\n  scope block\n  context quote\n  pattern quoted\nend\n",
               "quoted 3 days\n\nquoted 4 days", kinds, "t.days[4 days]");
}
END_TEST

/* ---- Overlaps ----------------------------------------------------------------- */

START_TEST(overlap_priority)
{
    /* higher priority wins over longer */
    SUMMARY_IS("grammar t 1\nkind deadline\n"
               "rule t.long\n  priority 10\n  pattern within \\d+ days\nend\n"
               "rule t.short\n  priority 20\n  pattern \\d+ days after\nend\n",
               "within 14 days after service", NULL, "t.short[14 days after]");
    /* equal priority: longer wins */
    SUMMARY_IS("grammar t 1\nkind deadline\n"
               "rule t.long\n  pattern within \\d+ days\nend\n"
               "rule t.short\n  pattern \\d+ days\nend\n",
               "within 14 days", NULL, "t.long[within 14 days]");
    /* equal priority and length: earlier start wins */
    SUMMARY_IS("grammar t 1\nkind deadline\n"
               "rule t.b\n  pattern bc\nend\n"
               "rule t.a\n  pattern ab\nend\n",
               "abc", NULL, "t.a[ab]");
    /* equal everything: the smaller rule id */
    SUMMARY_IS("grammar t 1\nkind deadline\n"
               "rule t.z\n  pattern abc\nend\n"
               "rule t.y\n  pattern abc\nend\n",
               "abc", NULL, "t.y[abc]");
    /* different kinds overlap freely; output sorted by start, end desc, id */
    SUMMARY_IS("grammar t 1\nkind deadline\n"
               "rule t.d\n  pattern file by Monday\nend\n"
               "rule t.v\n  kind directive\n  pattern file\nend\n"
               "rule t.w\n  kind event\n  pattern file\nend\n",
               "file by Monday", NULL, "t.d[file by Monday] t.v[file] t.w[file]");
    /* a loser does not block a later match it alone overlapped */
    SUMMARY_IS("grammar t 1\nkind deadline\n"
               "rule t.mid\n  priority 1\n  pattern bbcc\nend\n"
               "rule t.left\n  priority 5\n  pattern aab\nend\n"
               "rule t.right\n  priority 5\n  pattern ccd\nend\n",
               "aabbccd", NULL, "t.left[aab] t.right[ccd]");
}
END_TEST

/* ---- Limits and scale ------------------------------------------------------- */

START_TEST(regex_time_limit)
{
    od_grammar_set *g = grammar("grammar t 1\nkind deadline\n"
                                "rule t.cat\n  pattern (a+)+$\nend\n"
                                "rule t.fine\n  pattern b\nend\n");
    doc *d = doc_new("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\n\nab", NULL);
    char *msg = NULL, *s;
    od_matches *m = od_match_run(g, &d->t, &d->s, 2, &msg);
    const od_warning *w;

    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(m->warnings->len, 1);
    w = g_ptr_array_index(m->warnings, 0);
    ck_assert_str_eq(w->code, "regex_limit");
    ck_assert_int_eq(w->page, 1);
    ck_assert_str_eq(w->message, "rule 't.cat' hit the regex time limit in block 0; "
                                 "the rule was skipped in that block");
    s = summary(d, m);
    ck_assert_str_eq(s, "t.fine[b] t.fine[b]");
    g_free(s);
    od_matches_free(m);
    doc_free(d);
    od_grammar_set_free(g);
}
END_TEST

START_TEST(bad_arguments)
{
    od_grammar_set *g = grammar("grammar t 1\n");
    char *msg = NULL;
    od_text t;
    od_segments s;

    memset(&t, 0, sizeof t);
    memset(&s, 0, sizeof s);
    ck_assert_ptr_null(od_match_run(NULL, &t, &s, 0, &msg));
    ck_assert_str_eq(msg, "od_match_run: invalid arguments");
    g_free(msg);
    msg = NULL;
    /* an empty document has no matches */
    {
        od_matches *m = od_match_run(g, &t, &s, 0, &msg);
        ck_assert_ptr_nonnull(m);
        ck_assert_uint_eq(m->n, 0);
        od_matches_free(m);
    }
    od_matches_free(NULL);
    ck_assert_ptr_null(od_match_field(NULL, "x"));
    od_grammar_set_free(g);
}
END_TEST

/* A rule runs only on the blocks holding one of its trigger words.  The
 * trigger list here is short of "haystack" on purpose: its block is not
 * tried until triggers are switched off. */
START_TEST(triggers_gate_blocks)
{
    /* rule r's second branch holds no literal, so the prefilter cannot
     * cover r and its trigger words gate it; rule all has no trigger and
     * is covered by the prefilter ("straw") */
    static const char rules[] =
        "grammar m 1\nkind deadline\n"
        "rule r\n  trigger  needle\n  pattern  (?i:\\b(?:needle|\\d\\w{7})\\b)\nend\n"
        "rule all\n  pattern  \\bstraw\\b\nend\n";
    static const char text[] = "a NEEDLE in straw\n\na 1aystack of straw\n\nno needles";
    od_grammar_set *g = grammar(rules);
    doc *d = doc_new(text, NULL);
    char *msg = NULL, *got;
    od_matches *m = od_match_run(g, &d->t, &d->s, 0, &msg);

    ck_assert(!od_prefilter_covers(od_grammar_set_prefilter(g), 0));
    ck_assert(od_prefilter_covers(od_grammar_set_prefilter(g), 1));
    got = summary(d, m);
    ck_assert_str_eq(got, "r[NEEDLE] all[straw] all[straw]");
    g_free(got);
    od_matches_free(m);
    od_grammar_set_use_triggers(g, false);
    ck_assert_ptr_null(od_grammar_set_prefilter(g));
    m = od_match_run(g, &d->t, &d->s, 0, &msg);
    got = summary(d, m);
    ck_assert_str_eq(got, "r[NEEDLE] all[straw] r[1aystack] all[straw]");
    g_free(got);
    od_matches_free(m);
    doc_free(d);
    od_grammar_set_free(g);
}
END_TEST

/* ---- The prefilter (prefilter.c) --------------------------------------- */

/* The translation of an ICU pattern, and its necessary literals. */
static void literals_are(const char *pattern, uint32_t flags, const char *want)
{
    char *t = od_prefilter_translate(pattern, flags);
    char *l;

    ck_assert_msg(t != NULL, "'%s' not translated", pattern);
    l = od_prefilter_literals(t);
    ck_assert_msg(g_strcmp0(l, want) == 0, "'%s' -> '%s': literals '%s', not '%s'", pattern,
                  t, l ? l : "(none)", want ? want : "(none)");
    g_free(l);
    g_free(t);
}

START_TEST(prefilter_literals)
{
    /* the alternatives of a word, folded; assertions and look-arounds
     * dropped; the most selective piece of a sequence */
    literals_are("\\b(?<actor>\\w+)\\s+(?<modal>SHALL|must|May)\\b", 0, "shall|must|may");
    literals_are("(?<=\\bthe\\s)United\\s+States(?!\\s+Code)", 0, "united");
    literals_are("(?i:no(?:s)?\\.?:?)\\s*\\d+", 0, "no");
    /* neighbouring pieces are joined: [ap]\.m\. spells four strings */
    literals_are("\\d{1,2}\\s*[ap]\\.m\\.", 0, "a.m.|p.m.");
    literals_are("L\\.L\\.P\\.|LLP", UREGEX_CASE_INSENSITIVE, "l.l.p.|llp");
    /* a piece that may be absent requires nothing; a branch without a
     * literal leaves the whole alternation without one */
    literals_are("(?:foo)?\\d+", 0, NULL);
    literals_are("foo|\\d+", 0, NULL);
    literals_are("[A-Z][a-z]+", 0, NULL);
    /* a character whose full folding is longer ("ß" is "ss") */
    literals_are("Stra\u00dfe", 0, "stra\\x80e|strasse");
    /* not translated: free spacing, an unknown escape */
    ck_assert_ptr_null(od_prefilter_translate("a b", UREGEX_COMMENTS));
    ck_assert_ptr_null(od_prefilter_translate("(?x) a b", 0));
    ck_assert_ptr_null(od_prefilter_translate("\\j", 0));
}
END_TEST

/* A rule without a trigger runs only on the blocks that hold one of its
 * literals, with the same matches as without the prefilter, also where
 * ICU's case folding is wider than the scan's (U+212A KELVIN SIGN is 'k',
 * "ss" matches "ß" under (?i)). */
START_TEST(prefilter_without_trigger)
{
    static const char rules[] =
        "grammar m 1\nkind deadline\n"
        "rule hay\n  pattern  (?i:\\b(?<w>needle|haystack)s?\\b)\nend\n"
        "rule kelvin\n  pattern  (?i:\\bkelvin\\b)\nend\n"
        "rule street\n  pattern  (?i:strasse)\nend\n"
        "rule upper\n  pattern  \\bORDERED\\b\nend\n";
    static const char text[] = "two HAYSTACKS here\n\nnothing to see\n\n"
                               "\u212Aelvin degrees\n\nHauptstra\u00dfe 1\n\n"
                               "it is so ordered and SO ORDERED";
    od_grammar_set *g = grammar(rules);
    const od_prefilter *pf = od_grammar_set_prefilter(g);
    doc *d = doc_new(text, NULL);
    char *msg = NULL, *got;
    size_t rw = 0;
    guint64 *bits;
    od_matches *m;
    static const char want[] =
        "hay[HAYSTACKS] kelvin[\u212Aelvin] street[stra\u00dfe] upper[ORDERED]";

    ck_assert_ptr_nonnull(pf);
    ck_assert_uint_eq(od_prefilter_n_covered(pf), 4);
    bits = od_prefilter_scan(pf, d->t.buf, d->t.len, d->s.blocks, d->s.n_blocks, &rw);
    ck_assert_ptr_nonnull(bits);
    ck_assert_uint_eq(rw, 1);
    ck_assert_uint_eq(d->s.n_blocks, 5);
    ck_assert_uint_eq(bits[0], 1u);      /* hay */
    ck_assert_uint_eq(bits[1], 0u);      /* no rule can match there */
    ck_assert_uint_eq(bits[2], 2u);      /* kelvin: U+212A folds to 'k' */
    ck_assert_uint_eq(bits[3], ~(guint64)0); /* "ß": not scanned, every rule runs */
    ck_assert_uint_eq(bits[4], 8u);      /* upper: the scan sees "ordered" twice */
    g_free(bits);
    m = od_match_run(g, &d->t, &d->s, 0, &msg);
    got = summary(d, m);
    ck_assert_str_eq(got, want);
    g_free(got);
    od_matches_free(m);
    od_grammar_set_use_triggers(g, false);
    m = od_match_run(g, &d->t, &d->s, 0, &msg);
    got = summary(d, m);
    ck_assert_str_eq(got, want);
    g_free(got);
    od_matches_free(m);
    doc_free(d);
    od_grammar_set_free(g);
}
END_TEST

START_TEST(long_text)
{
    /* about 1 MB of text in 8,000 blocks: must finish well inside the
     * Check timeout (each step is a sort or a sweep) */
    od_grammar_set *g = grammar(
        "grammar t 1\nkind deadline\n"
        "rule t.days\n  priority 2\n  pattern \\b(?<n>\\d+)\\s+days\\b\nend\n"
        "rule t.within\n  priority 1\n  pattern \\bwithin\\s+\\d+\\s+days\\s+of\\s+\\w+\nend\n"
        "rule t.shall\n  kind directive\n  pattern (?<actor>[A-Z]\\w+)\\s+shall\\s+(?<v>\\w+)\nend\n"
        "suppress t.rule\n  kinds deadline directive\n  scope sentence\n"
        "  pattern \\bRule\\s+\\d+\nend\n");
    GString *text = g_string_new(NULL);
    doc *d;
    char *msg = NULL;
    od_matches *m;

    for (int i = 0; i < 8000; i++) {
        if (i)
            g_string_append(text, "\n\n");
        g_string_append_printf(text,
                               "Paragraph %d. Plaintiff shall respond within %d days of "
                               "service. Under Rule %d the Defendant shall answer in 14 days. "
                               "Nothing else happens in this sentence at all, really.",
                               i, i % 60 + 1, i % 90);
    }
    d = doc_new(text->str, NULL);
    ck_assert_int_gt(d->t.len, 1000000);
    m = od_match_run(g, &d->t, &d->s, 0, &msg);
    ck_assert_ptr_nonnull(m);
    /* per block: "Plaintiff shall respond" and "N days" (which beats the
     * lower-priority "within N days of service"); the sentence naming a
     * Rule loses both of its matches */
    ck_assert_uint_eq(m->n, 8000 * 2);
    for (size_t i = 1; i < m->n; i++)
        ck_assert_int_lt(m->items[i - 1].start, m->items[i].start);
    od_matches_free(m);
    doc_free(d);
    g_string_free(text, TRUE);
    od_grammar_set_free(g);
}
END_TEST

static Suite *match_suite(void)
{
    Suite *s = suite_create("match");
    TCase *tc = tcase_create("match");
    TCase *big = tcase_create("scale");

    tcase_add_test(tc, fields_from_captures);
    tcase_add_test(tc, context_filter);
    tcase_add_test(tc, block_edges);
    tcase_add_test(tc, suppress_scopes);
    tcase_add_test(tc, suppress_context);
    tcase_add_test(tc, overlap_priority);
    tcase_add_test(tc, regex_time_limit);
    tcase_add_test(tc, bad_arguments);
    tcase_add_test(tc, triggers_gate_blocks);
    tcase_add_test(tc, prefilter_literals);
    tcase_add_test(tc, prefilter_without_trigger);
    tcase_add_test(big, long_text);
    tcase_set_timeout(big, 60);
    suite_add_tcase(s, tc);
    suite_add_tcase(s, big);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(match_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/*
 * match.c - stage 4b: runs the compiled rules of an od_grammar_set
 * (grammar.c) over the blocks of a segmented document (stage 3), drops
 * the matches that suppress rules hit, and resolves overlapping matches
 * of one record kind by priority.  The result, od_matches, feeds stage 5
 * (records.c).  Every step sorts and sweeps, so the work grows linearly
 * with the text and with the number of rules.
 *
 * Before any rule runs, one Hyperscan scan of each block (prefilter.c)
 * says which rules can match there; ICU's regex engine then runs a rule
 * only on those blocks.  A rule that is not in the prefilter's database
 * falls back to its trigger words, if it has any, else runs everywhere.
 */
#include <stdlib.h>
#include <string.h>

#include "grammar_p.h"
#include "text_p.h"

/* Bytes of backtracking stack one match may use (ICU's default is 8 MB). */
#define STACK_LIMIT (4 * 1024 * 1024)
/* Regex-limit warnings kept per rule; the rest are counted in one more. */
#define MAX_LIMIT_WARNINGS 10

/* A match of a suppress block. */
typedef struct smatch {
    const od_rule *rule;
    int32_t start, end;
    int block, sentence;
} smatch;

void od_matches_free(od_matches *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        g_free(m->items[i].fields);
    g_free(m->items);
    if (m->warnings)
        g_ptr_array_free(m->warnings, TRUE);
    g_free(m);
}

const od_field *od_match_field(const od_match *m, const char *name)
{
    if (!m || !name)
        return NULL;
    if (!od_rule_declares(m->rule, name)) { /* a stage-5 bug, not an input error */
        g_critical("stage 5 reads field '%s', which no 'fields' block of the grammars "
                   "declares (rule '%s')", name, od_rule_id(m->rule));
        return NULL;
    }
    for (int i = 0; i < m->n_fields; i++)
        if (strcmp(m->fields[i].name, name) == 0)
            return &m->fields[i];
    return NULL;
}

/* Index of the sentence holding position pos of block b, -1 if none. */
static int sentence_at(const od_segments *s, int b, int32_t pos)
{
    size_t lo = 0, hi = s->n_sentences;
    const od_block *blk = &s->blocks[b];

    while (lo < hi) { /* first sentence starting after pos */
        size_t mid = lo + (hi - lo) / 2;
        if (s->sentences[mid].start <= pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo > 0 && s->sentences[lo - 1].block == b)
        return (int)(lo - 1);
    if (blk->n_sentences > 0 && blk->first_sentence >= 0 &&
        (size_t)blk->first_sentence < s->n_sentences)
        return blk->first_sentence; /* pos lies before the block's first sentence */
    return -1;
}

static int block_page(const od_text *t, const od_block *b)
{
    if (t->paras && b->para >= 0 && (size_t)b->para < t->n_paras)
        return t->paras[b->para].page;
    return 0;
}

typedef struct runner {
    const od_text *t;
    const od_segments *s;
    /* Which trigger words each block holds: n_blocks rows of row_words
     * 64-bit words, bit id set when the block holds trigger id. */
    guint64 *trig_bits;
    size_t row_words;
    /* Which rules the prefilter found a candidate for in each block:
     * n_blocks rows of pf_words 64-bit words, bit i for rule i. */
    const od_prefilter *pf;
    guint64 *pf_bits;
    size_t pf_words;
    GArray *matches;  /* od_match */
    GArray *smatches; /* smatch */
    GPtrArray *warnings;
    char **msg;
} runner;

/* Runs rule r (its clone re) over block b.  Returns false on a failure
 * other than a regex limit. */
static bool run_block(runner *R, const od_rule *r, URegularExpression *re, int b,
                      int *n_limit)
{
    const od_block *blk = &R->s->blocks[b];
    int32_t start = blk->start < 0 ? 0 : blk->start;
    int32_t end = blk->end > R->t->len ? R->t->len : blk->end;
    UErrorCode st = U_ZERO_ERROR;
    guint first_m = R->matches->len, first_s = R->smatches->len;

    if (start >= end)
        return true;
    uregex_setRegion64(re, start, end, &st);
    if (U_FAILURE(st)) {
        od_set_msg(R->msg, "rule '%s': cannot set the region of block %d: %s",
                   r->id, b, u_errorName(st));
        return false;
    }
    while (uregex_findNext(re, &st)) {
        int32_t ms = (int32_t)uregex_start64(re, 0, &st);
        int32_t me = (int32_t)uregex_end64(re, 0, &st);
        if (U_FAILURE(st))
            break;
        if (me <= ms)
            continue; /* an empty match marks nothing */
        if (r->suppress) {
            smatch sm = {r, ms, me, b, sentence_at(R->s, b, ms)};
            g_array_append_val(R->smatches, sm);
            continue;
        }
        {
            od_match m;
            memset(&m, 0, sizeof m);
            m.rule = r;
            m.start = ms;
            m.end = me;
            m.block = b;
            m.sentence = sentence_at(R->s, b, ms);
            m.n_fields = r->n_fields;
            m.fields = g_new0(od_field, (gsize)r->n_fields + 1);
            for (int i = 0; i < r->n_fields; i++) {
                od_field *f = &m.fields[i];
                f->name = r->field_names[i];
                f->value = r->field_values[i];
                f->start = f->end = -1;
                if (i < r->n_captures) {
                    f->start = (int32_t)uregex_start64(re, r->groups[i], &st);
                    f->end = (int32_t)uregex_end64(re, r->groups[i], &st);
                }
            }
            g_array_append_val(R->matches, m);
        }
        if (U_FAILURE(st))
            break;
    }
    if (st == U_REGEX_TIME_OUT || st == U_REGEX_STACK_OVERFLOW) {
        /* skip this rule for this block: forget what it found there */
        for (guint i = first_m; i < R->matches->len; i++)
            g_free(g_array_index(R->matches, od_match, i).fields);
        g_array_set_size(R->matches, first_m);
        g_array_set_size(R->smatches, first_s);
        if (++*n_limit <= MAX_LIMIT_WARNINGS)
            od_warnings_add(R->warnings, "regex_limit", block_page(R->t, blk),
                            "rule '%s' hit the regex %s limit in block %d; "
                            "the rule was skipped in that block", r->id,
                            st == U_REGEX_TIME_OUT ? "time" : "stack", b);
        return true;
    }
    if (U_FAILURE(st)) {
        od_set_msg(R->msg, "rule '%s' failed in block %d: %s", r->id, b, u_errorName(st));
        return false;
    }
    return true;
}

/* ---- Triggers ---------------------------------------------------------- */

typedef struct trig_scan {
    const od_grammar_set *g;
    guint64 *row;
} trig_scan;

static void mark_word(const char *word, size_t len, void *data)
{
    trig_scan *ts = data;
    int ids[8];
    int n = od_grammar_set_trigger_ids(ts->g, word, len, ids, 8);

    for (int i = 0; i < n; i++)
        ts->row[ids[i] / 64] |= (guint64)1 << (ids[i] % 64);
}

/* One pass over the words of every block, so that a rule with triggers is
 * only tried on the blocks that hold one of them. */
static void scan_triggers(runner *R, const od_grammar_set *g)
{
    int n_trig = od_grammar_set_n_triggers(g);
    trig_scan ts = {g, NULL};
    bool needed = false;

    if (n_trig <= 0 || R->s->n_blocks == 0)
        return;
    /* only rules the prefilter does not cover need their trigger words */
    for (size_t i = 0; i < od_grammar_set_n_rules(g) && !needed; i++) {
        const od_rule *r = od_grammar_set_rule(g, i);
        needed = r && r->n_trig > 0 && !(R->pf_bits && od_prefilter_covers(R->pf, i));
    }
    if (!needed)
        return;
    R->row_words = ((size_t)n_trig + 63) / 64;
    R->trig_bits = g_new0(guint64, R->row_words * R->s->n_blocks);
    for (size_t b = 0; b < R->s->n_blocks; b++) {
        const od_block *blk = &R->s->blocks[b];
        int32_t start = blk->start < 0 ? 0 : blk->start;
        int32_t end = blk->end > R->t->len ? R->t->len : blk->end;
        if (start >= end)
            continue;
        ts.row = R->trig_bits + b * R->row_words;
        od_words_each(R->t->buf + start, end - start, mark_word, &ts);
    }
}

static bool block_triggered(const runner *R, const od_rule *r, size_t ri, size_t b)
{
    const guint64 *row;

    if (R->pf_bits && od_prefilter_covers(R->pf, ri))
        return (R->pf_bits[b * R->pf_words + ri / 64] >> (ri % 64)) & 1;
    if (!R->trig_bits || r->n_trig == 0)
        return true;
    row = R->trig_bits + b * R->row_words;
    for (int i = 0; i < r->n_trig; i++)
        if (row[r->trig[i] / 64] & ((guint64)1 << (r->trig[i] % 64)))
            return true;
    return false;
}

static bool run_rule(runner *R, const od_rule *r, size_t ri, int32_t time_limit)
{
    UErrorCode st = U_ZERO_ERROR;
    URegularExpression *re;
    int n_limit = 0;
    bool ok = true;

    if (!r || !r->re)
        return true; /* failed to compile: reported by the compiler */
    if (!r->suppress && ((1u << r->kind) & OD_LINE_KINDS))
        return true; /* run by stages 2 and 3 (od_line_matcher) */
    re = uregex_clone(r->re, &st);
    if (U_SUCCESS(st))
        uregex_setText(re, R->t->buf, R->t->len, &st);
    if (U_SUCCESS(st) && time_limit > 0)
        uregex_setTimeLimit(re, time_limit, &st);
    if (U_SUCCESS(st))
        uregex_setStackLimit(re, STACK_LIMIT, &st);
    /* Opaque bounds: look-arounds and \b see only the block, so a match
     * never depends on the text of a neighbouring block; anchoring bounds
     * let ^ and $ match at the block's edges. */
    if (U_SUCCESS(st))
        uregex_useTransparentBounds(re, FALSE, &st);
    if (U_SUCCESS(st))
        uregex_useAnchoringBounds(re, TRUE, &st);
    if (U_FAILURE(st)) {
        od_set_msg(R->msg, "rule '%s': cannot prepare its regular expression: %s",
                   r->id, u_errorName(st));
        if (re)
            uregex_close(re);
        return false;
    }
    for (size_t b = 0; b < R->s->n_blocks && ok; b++) {
        od_block_kind k = R->s->blocks[b].kind;
        if ((unsigned)k < OD_BLOCK_N_KINDS && (r->contexts & (1u << k))
            && block_triggered(R, r, ri, b))
            ok = run_block(R, r, re, (int)b, &n_limit);
    }
    if (n_limit > MAX_LIMIT_WARNINGS)
        od_warnings_add(R->warnings, "regex_limit", 0,
                        "rule '%s' hit a regex limit in %d more blocks", r->id,
                        n_limit - MAX_LIMIT_WARNINGS);
    uregex_close(re);
    return ok;
}

/* ---- Suppression ---------------------------------------------------------- */

static int cmp_interval(const void *a, const void *b)
{
    const int32_t *x = a, *y = b;
    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    return (x[1] > y[1]) - (x[1] < y[1]);
}

/* Marks dead[i] for every match hit by a suppress match. */
static void suppress(const od_segments *s, GArray *matches, GArray *smatches,
                     bool *dead)
{
    guint32 *by_sentence = g_new0(guint32, s->n_sentences + 1);
    guint32 *by_block = g_new0(guint32, s->n_blocks + 1);
    GArray *iv[OD_N_KINDS]; /* per kind: (start, end) pairs, then prefix max of end */

    for (int k = 0; k < OD_N_KINDS; k++)
        iv[k] = g_array_new(FALSE, FALSE, sizeof(int32_t) * 2);
    for (guint i = 0; i < smatches->len; i++) {
        const smatch *sm = &g_array_index(smatches, smatch, i);
        guint32 kinds = sm->rule->kinds;
        if (sm->rule->scope == OD_SCOPE_SENTENCE && sm->sentence >= 0)
            by_sentence[sm->sentence] |= kinds;
        else if (sm->rule->scope == OD_SCOPE_BLOCK)
            by_block[sm->block] |= kinds;
        else if (sm->rule->scope == OD_SCOPE_MATCH) {
            int32_t pair[2] = {sm->start, sm->end};
            for (int k = 0; k < OD_N_KINDS; k++)
                if (kinds & (1u << k))
                    g_array_append_val(iv[k], pair);
        }
    }
    for (int k = 0; k < OD_N_KINDS; k++) {
        int32_t *p = (int32_t *)(void *)iv[k]->data;
        if (iv[k]->len > 1)
            qsort(p, iv[k]->len, sizeof(int32_t) * 2, cmp_interval);
        for (guint i = 1; i < iv[k]->len; i++) /* end becomes the running max */
            if (p[2 * i + 1] < p[2 * i - 1])
                p[2 * i + 1] = p[2 * i - 1];
    }
    for (guint i = 0; i < matches->len; i++) {
        const od_match *m = &g_array_index(matches, od_match, i);
        int k = m->rule->kind;
        guint32 bit = 1u << k;
        const int32_t *p = (const int32_t *)(void *)iv[k]->data;
        size_t lo = 0, hi = iv[k]->len;
        if ((m->sentence >= 0 && (by_sentence[m->sentence] & bit)) ||
            (by_block[m->block] & bit)) {
            dead[i] = true;
            continue;
        }
        while (lo < hi) { /* intervals starting before the match ends */
            size_t mid = lo + (hi - lo) / 2;
            if (p[2 * mid] < m->end)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo > 0 && p[2 * (lo - 1) + 1] > m->start)
            dead[i] = true;
    }
    for (int k = 0; k < OD_N_KINDS; k++)
        g_array_free(iv[k], TRUE);
    g_free(by_sentence);
    g_free(by_block);
}

/* ---- Overlaps ----------------------------------------------------------- */

static int cmp_preference(const void *a, const void *b)
{
    const od_match *x = *(const od_match *const *)a, *y = *(const od_match *const *)b;
    int32_t lx = x->end - x->start, ly = y->end - y->start;

    if (x->rule->priority != y->rule->priority)
        return x->rule->priority > y->rule->priority ? -1 : 1;
    if (lx != ly)
        return lx > ly ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return strcmp(x->rule->id, y->rule->id);
}

static gint cmp_pos(gconstpointer a, gconstpointer b, gpointer unused)
{
    int32_t x = GPOINTER_TO_INT(a), y = GPOINTER_TO_INT(b);
    (void)unused;
    return (x > y) - (x < y);
}

/* Among overlapping matches of one kind keeps the preferred one: every
 * match, best first, is kept when it overlaps no match kept before it.
 * The kept matches of a kind are disjoint, so the one starting last
 * before a match's end is the only one that can overlap it. */
static void resolve_overlaps(GArray *matches, bool *dead)
{
    GPtrArray *order = g_ptr_array_sized_new(matches->len);
    GTree *kept[OD_N_KINDS];

    for (int k = 0; k < OD_N_KINDS; k++)
        kept[k] = g_tree_new_full(cmp_pos, NULL, NULL, NULL);
    for (guint i = 0; i < matches->len; i++)
        if (!dead[i])
            g_ptr_array_add(order, &g_array_index(matches, od_match, i));
    if (order->len > 1)
        qsort(order->pdata, order->len, sizeof(gpointer), cmp_preference);
    for (guint i = 0; i < order->len; i++) {
        od_match *m = g_ptr_array_index(order, i);
        GTree *t = kept[m->rule->kind];
        GTreeNode *n = g_tree_lower_bound(t, GINT_TO_POINTER(m->end));
        n = n ? g_tree_node_previous(n) : g_tree_node_last(t);
        if (n && GPOINTER_TO_INT(g_tree_node_value(n)) > m->start) {
            dead[m - (od_match *)(void *)matches->data] = true;
            continue;
        }
        g_tree_insert(t, GINT_TO_POINTER(m->start), GINT_TO_POINTER(m->end));
    }
    for (int k = 0; k < OD_N_KINDS; k++)
        g_tree_destroy(kept[k]);
    g_ptr_array_free(order, TRUE);
}

static int cmp_final(const void *a, const void *b)
{
    const od_match *x = a, *y = b;

    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1;
    return strcmp(x->rule->id, y->rule->id);
}

od_matches *od_match_run(const od_grammar_set *g, const od_text *t,
                         const od_segments *s, int32_t time_limit, char **msg)
{
    runner R;
    od_matches *out;
    bool ok = true, *dead;
    size_t n = 0;

    if (!g || !t || !s || (!t->buf && t->len > 0) || t->len < 0 ||
        (!s->blocks && s->n_blocks) || (!s->sentences && s->n_sentences)) {
        od_set_msg(msg, "od_match_run: invalid arguments");
        return NULL;
    }
    memset(&R, 0, sizeof R);
    R.t = t;
    R.s = s;
    R.msg = msg;
    R.matches = g_array_new(FALSE, FALSE, sizeof(od_match));
    R.smatches = g_array_new(FALSE, FALSE, sizeof(smatch));
    R.warnings = g_ptr_array_new_with_free_func((GDestroyNotify)od_warning_free);

    R.pf = od_grammar_set_prefilter(g);
    if (t->buf && R.pf) /* no text, no matches */
        R.pf_bits = od_prefilter_scan(R.pf, t->buf, t->len, s->blocks, s->n_blocks,
                                      &R.pf_words);
    if (t->buf)
        scan_triggers(&R, g);
    if (t->buf)
        for (size_t i = 0; i < od_grammar_set_n_rules(g) && ok; i++)
            ok = run_rule(&R, od_grammar_set_rule(g, i), i, time_limit);
    g_free(R.trig_bits);
    g_free(R.pf_bits);
    if (!ok) {
        for (guint i = 0; i < R.matches->len; i++)
            g_free(g_array_index(R.matches, od_match, i).fields);
        g_array_free(R.matches, TRUE);
        g_array_free(R.smatches, TRUE);
        g_ptr_array_free(R.warnings, TRUE);
        return NULL;
    }

    dead = g_new0(bool, R.matches->len + 1);
    suppress(s, R.matches, R.smatches, dead);
    resolve_overlaps(R.matches, dead);
    for (guint i = 0; i < R.matches->len; i++) {
        od_match *m = &g_array_index(R.matches, od_match, i);
        if (dead[i])
            g_free(m->fields);
        else
            g_array_index(R.matches, od_match, n++) = *m;
    }
    g_array_set_size(R.matches, (guint)n);
    g_array_sort(R.matches, cmp_final);
    g_free(dead);
    g_array_free(R.smatches, TRUE);

    out = g_new0(od_matches, 1);
    out->n = n;
    out->items = (od_match *)(void *)g_array_free(R.matches, FALSE);
    out->warnings = R.warnings;
    return out;
}

/* ---- Line matching, for stages 2 and 3 ------------------------------------ */

/* The rules of one kind, run one at a time over a short text: an ECF
 * stamp line (ecf.c), the start of a paragraph (segment.c's cues).  It
 * holds a clone of each rule's regular expression, so one matcher serves
 * one thread. */
struct od_line_matcher {
    const od_grammar_set *g;
    GPtrArray *rules;          /* const od_rule*, load order */
    URegularExpression **re;   /* clone per rule */
    bool *has_text;            /* re[i] has the current text */
    od_field *fields;          /* the fields of the last match */
    int max_fields;
    const UChar *buf;
    int32_t len;
    guint64 *trig_bits;        /* trigger words the text holds */
    size_t row_words;
    bool no_triggers;          /* the set has none, or they are off */
};

od_line_matcher *od_line_matcher_new(const od_grammar_set *g, const char *kind,
                                     char **msg)
{
    od_line_matcher *lm;
    int k = -1, n_trig;

    for (int i = 0; i < OD_N_KINDS && kind; i++)
        if (strcmp(od_kind_names[i], kind) == 0)
            k = i;
    if (!g || k < 0) {
        od_set_msg(msg, "od_line_matcher_new: invalid arguments");
        return NULL;
    }
    lm = g_new0(od_line_matcher, 1);
    lm->g = g;
    lm->rules = g_ptr_array_new();
    for (size_t i = 0; i < od_grammar_set_n_rules(g); i++) {
        const od_rule *r = od_grammar_set_rule(g, i);
        if (r->kind == k && !r->suppress && r->re)
            g_ptr_array_add(lm->rules, (gpointer)r);
    }
    lm->re = g_new0(URegularExpression *, lm->rules->len + 1);
    lm->has_text = g_new0(bool, lm->rules->len + 1);
    for (guint i = 0; i < lm->rules->len; i++) {
        const od_rule *r = g_ptr_array_index(lm->rules, i);
        UErrorCode st = U_ZERO_ERROR;
        lm->re[i] = uregex_clone(r->re, &st);
        if (U_SUCCESS(st))
            uregex_setStackLimit(lm->re[i], STACK_LIMIT, &st);
        if (U_FAILURE(st)) {
            od_set_msg(msg, "rule '%s': cannot prepare its regular expression: %s",
                       r->id, u_errorName(st));
            od_line_matcher_free(lm);
            return NULL;
        }
        if (r->n_fields > lm->max_fields)
            lm->max_fields = r->n_fields;
    }
    lm->fields = g_new0(od_field, (gsize)lm->max_fields + 1);
    n_trig = od_grammar_set_n_triggers(g);
    lm->no_triggers = n_trig <= 0;
    lm->row_words = n_trig > 0 ? ((size_t)n_trig + 63) / 64 : 1;
    lm->trig_bits = g_new0(guint64, lm->row_words);
    return lm;
}

void od_line_matcher_free(od_line_matcher *lm)
{
    if (!lm)
        return;
    for (guint i = 0; i < lm->rules->len; i++)
        if (lm->re[i])
            uregex_close(lm->re[i]);
    g_free(lm->re);
    g_free(lm->has_text);
    g_ptr_array_free(lm->rules, TRUE);
    g_free(lm->fields);
    g_free(lm->trig_bits);
    g_free(lm);
}

size_t od_line_matcher_n_rules(const od_line_matcher *lm)
{
    return lm ? lm->rules->len : 0;
}

const od_rule *od_line_matcher_rule(const od_line_matcher *lm, size_t i)
{
    return lm && i < lm->rules->len ? g_ptr_array_index(lm->rules, i) : NULL;
}

bool od_line_matcher_set_text(od_line_matcher *lm, const UChar *buf, int32_t len,
                              char **msg)
{
    trig_scan ts = {NULL, NULL};

    if (!lm || (!buf && len > 0) || len < 0) {
        od_set_msg(msg, "od_line_matcher_set_text: invalid arguments");
        return false;
    }
    lm->buf = buf ? buf : (const UChar *)u"";
    lm->len = len;
    /* each regex gets the text when its rule is first tried on it */
    memset(lm->has_text, 0, lm->rules->len * sizeof(bool));
    if (!lm->no_triggers) {
        memset(lm->trig_bits, 0, lm->row_words * sizeof(guint64));
        ts.g = lm->g;
        ts.row = lm->trig_bits;
        od_words_each(lm->buf, len, mark_word, &ts);
    }
    return true;
}

int od_line_matcher_find(od_line_matcher *lm, size_t i, int32_t from, int32_t to,
                         od_match *m, char **msg)
{
    const od_rule *r;
    URegularExpression *re;
    UErrorCode st = U_ZERO_ERROR;
    bool hit;

    if (!lm || i >= lm->rules->len || !m || from < 0 || to > lm->len || from > to) {
        od_set_msg(msg, "od_line_matcher_find: invalid arguments");
        return -1;
    }
    r = g_ptr_array_index(lm->rules, i);
    re = lm->re[i];
    if (!lm->no_triggers && r->n_trig > 0) {
        bool any = false;
        for (int k = 0; k < r->n_trig && !any; k++)
            any = (lm->trig_bits[r->trig[k] / 64] & ((guint64)1 << (r->trig[k] % 64))) != 0;
        if (!any)
            return 0;
    }
    if (!lm->has_text[i]) {
        uregex_setText(re, lm->buf, lm->len, &st);
        lm->has_text[i] = U_SUCCESS(st);
    }
    if (U_SUCCESS(st))
        uregex_setRegion(re, from, to, &st);
    hit = U_SUCCESS(st) && uregex_findNext(re, &st);
    if (U_FAILURE(st)) {
        od_set_msg(msg, "rule '%s': %s", r->id, u_errorName(st));
        return -1;
    }
    if (!hit)
        return 0;
    memset(m, 0, sizeof *m);
    m->rule = r;
    m->start = uregex_start(re, 0, &st);
    m->end = uregex_end(re, 0, &st);
    m->block = m->sentence = -1;
    m->n_fields = r->n_fields;
    m->fields = lm->fields;
    for (int f = 0; f < r->n_fields; f++) {
        od_field *fd = &lm->fields[f];
        fd->name = r->field_names[f];
        fd->value = r->field_values[f];
        fd->start = fd->end = -1;
        if (f < r->n_captures) {
            fd->start = uregex_start(re, r->groups[f], &st);
            fd->end = uregex_end(re, r->groups[f], &st);
        }
    }
    if (U_FAILURE(st)) {
        od_set_msg(msg, "rule '%s': %s", r->id, u_errorName(st));
        return -1;
    }
    return 1;
}

/*
 * deadlines.c - stage 5: the deadline side of od_build_orders: relative periods
 * under Fed. R. Civ. P. 6(a) from their anchor, schedule rows (label,
 * action, party), the trial date and the weekday arithmetic.
 */
#include <string.h>

#include "stage5_p.h"

/* ---- Deadlines ----------------------------------------------------------- */

/* Does the anchor of a period name this order (lexicon `order_anchors`
 * of deadlines.rules: "this order", "hereof", "today")?  No anchor does. */
static bool anchor_is_order(const od_grammar_set *g, const char *a)
{
    if (!a || !*a)
        return true;
    return od_lexicon_find(od_grammar_set_lexicon(g, "order_anchors"), a, OD_FIND_ANYWHERE) != NULL;
}

void od_compute_relative(const od_grammar_set *g, const od_text *t, deadline *dl,
                         const case_state *cs, const deadline *event)
{
    char *n = od_field_text(t, dl->m, "n");
    char *unit = od_field_text(t, dl->m, "unit");
    char *dir = od_field_text(t, dl->m, "dir");
    char *anchor = od_field_text(t, dl->m, "anchor");
    int count = 0;
    od_period_unit u = OD_UNIT_DAYS;
    bool backward = false;

    if (!n || !od_number_parse(n, strlen(n), &count) || count <= 0)
        goto out;
    if (unit) {
        /* the lexicon `period_units` of deadlines.rules */
        const char *c = od_lexicon_find(od_grammar_set_lexicon(g, "period_units"), unit, OD_FIND_ANYWHERE);
        if (c && strcmp(c, "court_days") == 0)
            u = OD_UNIT_COURT_DAYS;
        else if (c && strcmp(c, "weeks") == 0)
            u = OD_UNIT_WEEKS;
        else if (c && strcmp(c, "months") == 0)
            u = OD_UNIT_MONTHS;
    }
    if (dir) /* "before", "prior to": the lexicon `backward_words` */
        backward = od_lexicon_find(od_grammar_set_lexicon(g, "backward_words"), dir, OD_FIND_ANYWHERE) != NULL;
    if (anchor && !anchor_is_order(g, anchor) && event) {
        /* "seven days before the conference": the conference this order
         * sets, dated earlier in the same paragraph */
        char from[11], *explain = NULL;
        od_date_iso(event->date, from);
        dl->date = od_rule6_compute(event->date, count, u, backward, &explain);
        dl->has_date = true;
        dl->anchor = g_strdup_printf("%s (%s)", from, anchor);
        dl->computation = explain;
        goto out;
    }
    if (backward || !anchor_is_order(g, anchor)) {
        /* The period runs from an event the order does not date. */
        dl->anchor = g_strdup(anchor ? anchor : "");
        dl->computation = g_strdup_printf("%s %d %s %s: the anchor event has no date in this order",
                                          backward ? "counted backward" : "counted forward",
                                          count, unit ? unit : "days",
                                          dir ? dir : "from");
        goto out;
    }
    if (!cs->has_date) {
        dl->anchor = g_strdup(anchor ? anchor : "the date of this order");
        dl->computation = g_strdup("the order's date is unknown");
        goto out;
    }
    {
        char iso[11];
        char *explain = NULL;
        od_date_iso(cs->date, iso);
        dl->date = od_rule6_compute(cs->date, count, u, false, &explain);
        dl->has_date = true;
        dl->anchor = g_strdup_printf("%s (%s%s)", iso,
                                     anchor ? anchor : "the date of this order",
                                     anchor ? "" : ", by default");
        dl->computation = explain;
    }
out:
    g_free(n);
    g_free(unit);
    g_free(dir);
    g_free(anchor);
}

/* The box of block b and its page (0 when the text has no pages). */
static int block_box(const od_text *t, const od_segments *s, int b, od_box *box)
{
    const od_para *p;

    if (b < 0 || (size_t)b >= s->n_blocks || !t->paras || s->blocks[b].para < 0
        || (size_t)s->blocks[b].para >= t->n_paras)
        return 0;
    p = &t->paras[s->blocks[b].para];
    *box = p->box;
    return p->page;
}

/* The schedule label at the left of date block b, on the same line of
 * the same page (a table's event column), or NULL. */
const od_match *od_label_left_of(const od_text *t, const od_segments *s,
                                 GPtrArray *labels, int b)
{
    od_box db, lb;
    int page = block_box(t, s, b, &db);
    const od_match *best = NULL;
    double best_gap = 0;

    if (page <= 0)
        return NULL;
    for (guint i = 0; i < labels->len; i++) {
        const od_match *l = g_ptr_array_index(labels, i);
        double lh, dh, overlap, gap;
        if (block_box(t, s, l->block, &lb) != page)
            continue;
        /* the first line of each: the label's top within the date's
         * first line, or the reverse */
        lh = MIN(lb.y1 - lb.y0, 14.0);
        dh = MIN(db.y1 - db.y0, 14.0);
        overlap = MIN(lb.y0 + lh, db.y0 + dh) - MAX(lb.y0, db.y0);
        gap = db.x0 - lb.x1;
        if (overlap < 0.5 * MIN(lh, dh) || gap < -2.0)
            continue;
        if (!best || gap < best_gap) {
            best = l;
            best_gap = gap;
        }
    }
    return best;
}

/* A schedule row's action, from the words of its label: "appear" when
 * one word names a hearing, else the first word the lexicon knows. */
char *od_schedule_action(const od_grammar_set *g, const char *label)
{
    const od_lexicon *lex = od_grammar_set_lexicon(g, "schedule_actions");
    char **words;
    const char *first = NULL;
    char *r;

    if (!lex || !label)
        return NULL;
    words = g_regex_split_simple("[^A-Za-z-]+", label, 0, 0);
    for (int i = 0; words[i]; i++) {
        const char *a = *words[i] ? od_lexicon_lookup(lex, words[i]) : NULL;
        if (a && strcmp(a, "appear") == 0) {
            first = a;
            break;
        }
        if (a && !first)
            first = a;
    }
    r = g_strdup(first);
    g_strfreev(words);
    return r;
}

/* "Defendants' Reply" -> "Defendants", "Plaintiff’s Opposition" ->
 * "Plaintiff"; NULL when the label does not open with a possessive. */
char *od_schedule_party(const char *label)
{
    const char *sp = label ? strchr(label, ' ') : NULL;
    size_t n;

    if (!sp)
        return NULL;
    n = (size_t)(sp - label);
    if (n > 3 && label[n - 1] == 's' && label[n - 2] == '\'')
        return g_strndup(label, n - 2);
    if (n > 2 && label[n - 1] == '\'')
        return g_strndup(label, n - 1);
    if (n > 5 && memcmp(label + n - 4, "\xe2\x80\x99s", 4) == 0)
        return g_strndup(label, n - 4);
    if (n > 4 && memcmp(label + n - 3, "\xe2\x80\x99", 3) == 0)
        return g_strndup(label, n - 3);
    return NULL;
}

/* The trial date the document recites: "Trial: July 16, 2019" in one
 * block (rule kind trial_setting), or a caption's "Trial:" label with the
 * date in the block at its right (kinds trial_label, trial_cell).  The
 * first that parses. */
bool od_trial_date(const od_text *t, const od_segments *s, const od_matches *m,
                   od_date *out)
{
    GPtrArray *labels = g_ptr_array_new();
    bool found = false;

    for (size_t i = 0; i < m->n; i++)
        if (od_field_is(&m->items[i], "kind", "trial_label"))
            g_ptr_array_add(labels, (gpointer)&m->items[i]);
    for (size_t i = 0; i < m->n && !found; i++) {
        const od_match *mt = &m->items[i];
        char *date;
        bool ambiguous = false;
        if (!od_field_is(mt, "kind", "trial_setting")
            && !(od_field_is(mt, "kind", "trial_cell") && od_label_left_of(t, s, labels, mt->block)))
            continue;
        date = od_field_text(t, mt, "date");
        found = date && od_date_parse(date, strlen(date), out, &ambiguous);
        g_free(date);
    }
    g_ptr_array_free(labels, TRUE);
    return found;
}

/* "the Friday before the trial": the last Friday before day; "the
 * Wednesday of the week prior to the trial": that weekday in the week
 * (Monday to Sunday) before day's week.  weekday: 0 = Sunday. */
od_date od_weekday_before(od_date day, int weekday, bool week_prior)
{
    if (week_prior) {
        od_date monday = od_date_add_days(day, -((od_date_weekday(day) + 6) % 7) - 7);
        return od_date_add_days(monday, (weekday + 6) % 7);
    }
    {
        od_date before = od_date_add_days(day, -1);
        return od_date_add_days(before, -((od_date_weekday(before) - weekday + 7) % 7));
    }
}

int od_weekday_number(const char *name)
{
    for (int wd = 0; wd < 7; wd++)
        if (g_ascii_strcasecmp(name, od_date_weekday_name(wd)) == 0)
            return wd;
    return -1;
}

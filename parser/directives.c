/*
 * directives.c - stage 5: directive records and the linking of deadlines
 * to them (od_build_orders: it also builds the deadline records, with the
 * helpers of deadlines.c).
 */
#include <string.h>

#include "stage5_p.h"

/* ---- Directives ---------------------------------------------------------- */

static const od_sentence *sentence_of(const od_segments *s, const od_match *m)
{
    if (m->sentence < 0 || (size_t)m->sentence >= s->n_sentences)
        return NULL;
    return &s->sentences[m->sentence];
}

/* Past a leading enumerator ("1. ", "(a) ", "B. ", "(iv) ") at pos, but
 * never past limit. */
static int32_t skip_enumerator(const od_text *t, int32_t pos, int32_t limit)
{
    int32_t i = pos;
    bool paren = false;

    if (i < limit && t->buf[i] == '(') {
        paren = true;
        i++;
    }
    if (i < limit && t->buf[i] >= '0' && t->buf[i] <= '9') {
        while (i < limit && t->buf[i] >= '0' && t->buf[i] <= '9' && i - pos < 4)
            i++;
    } else if (i < limit && ((t->buf[i] >= 'a' && t->buf[i] <= 'z')
                             || (t->buf[i] >= 'A' && t->buf[i] <= 'Z'))) {
        int32_t b = i;
        while (i < limit && i - b < 4 && strchr("ivxlIVXL", (char)t->buf[i]) && t->buf[i] < 128)
            i++;
        if (i == b)
            i++;
    } else {
        return pos;
    }
    if (i < limit && (t->buf[i] == '.' || t->buf[i] == ')')) {
        if (paren && t->buf[i] != ')')
            return pos;
        i++;
    } else {
        return pos;
    }
    if (i >= limit || t->buf[i] != ' ')
        return pos;
    while (i < limit && t->buf[i] == ' ')
        i++;
    return i;
}

/* Does sentence i mention the head word of anchor ("the conference" ->
 * "conference"), case-insensitively? */
static bool sentence_mentions(const od_text *t, const od_segments *s, int i,
                              const char *anchor)
{
    const char *head = strrchr(anchor, ' ');
    char *text, *low_text, *low_head;
    bool r;

    if (i < 0 || (size_t)i >= s->n_sentences)
        return false;
    head = head ? head + 1 : anchor;
    text = od_text_utf8(t, s->sentences[i].start, s->sentences[i].end);
    low_text = g_utf8_strdown(text, -1);
    low_head = g_utf8_strdown(head, -1);
    r = strstr(low_text, low_head) != NULL;
    g_free(text);
    g_free(low_text);
    g_free(low_head);
    return r;
}

/* Another directive of the same sentence binding the same actor. */
static int find_duplicate(GArray *dirs, const directive *d)
{
    for (guint i = dirs->len; i-- > 0;) {
        const directive *o = &g_array_index(dirs, directive, i);
        if (o->sentence != d->sentence)
            break;
        if (g_strcmp0(o->actor, d->actor) == 0 && strcmp(o->modality, d->modality) == 0)
            return (int)i;
    }
    return -1;
}

static bool has_word(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = strstr(text, word); p; p = strstr(p + 1, word)) {
        bool left = p == text || !g_ascii_isalpha(p[-1]);
        bool right = !g_ascii_isalpha(p[n]);
        if (left && right)
            return true;
    }
    return false;
}

/* "The Joint Status Report must be filed no later than ..." right after
 * "The parties are ORDERED to meet and confer and file a Joint Status
 * Report": a passive sentence that restates an earlier command of the
 * same block (its verb and its subject appear there).  Returns the index
 * of that earlier directive, or -1. */
static int passive_continuation(const od_text *t, GArray *dirs,
                                const directive *d)
{
    const char *last;
    char *low_actor, *text;
    int found = -1;

    if (!od_match_field(d->m, "passive") || !d->action || !d->actor || dirs->len == 0)
        return -1;
    /* the whole subject, less its article, must appear in the earlier
     * command ("The Joint Status Report" / "file a Joint Status Report") */
    low_actor = g_ascii_strdown(d->actor, -1);
    last = low_actor;
    if (g_str_has_prefix(last, "the "))
        last += 4;
    else if (g_str_has_prefix(last, "such "))
        last += 5;
    for (guint i = dirs->len; i-- > 0 && found < 0;) {
        const directive *o = &g_array_index(dirs, directive, i);
        size_t n = strlen(d->action);
        if (o->block != d->block || d->sentence - o->sentence > 2)
            break;
        {
            char *raw = od_text_utf8(t, o->start, o->end);
            text = g_ascii_strdown(raw, -1);
            g_free(raw);
        }
        for (size_t cut = 1; cut <= 3 && cut < n && found < 0; cut++) {
            char *stem = g_strndup(d->action, n - cut);
            if (strlen(stem) >= 3 && has_word(text, stem) && has_word(text, last))
                found = (int)i;
            g_free(stem);
        }
        g_free(text);
    }
    g_free(low_actor);
    return found;
}

/* For a dated deadline in a sentence without a command ("The parties'
 * Statements are due on or before July 21, 2017."): the directive of one
 * of the two sentences before, in this block or the one before. */
static int nearby_directive(const od_segments *s, GArray *dirs,
                            const od_match *mt)
{
    (void)s;
    for (guint i = dirs->len; i-- > 0;) {
        const directive *o = &g_array_index(dirs, directive, i);
        if (o->sentence >= mt->sentence)
            continue;
        if (mt->sentence - o->sentence <= 2 && mt->block - o->block <= 1)
            return (int)i;
        break;
    }
    return -1;
}

/* The modality of a directive match, one of "must", "must_not", "may":
 * a `neg` field makes it a prohibition; else its `modal` field (the
 * modal word as written, or the value a rule sets) is looked up in the
 * lexicons `modality` and `modality_negative` (directives.rules).
 * NULL, with a warning in ms's warnings, when the rule gives no modal
 * word or one the lexicons do not map to a modality: no directive is made
 * of it (before, anything but "may" was taken as "must"). */
static const char *modality_of(const od_grammar_set *g, const od_text *t,
                               const od_matches *ms, const od_match *m)
{
    char *neg = od_field_text(t, m, "neg");
    char *modal = neg ? NULL : od_field_text(t, m, "modal");
    const char *canon = od_lexicon_lookup(od_grammar_set_lexicon(g, "modality"), modal);
    const char *r = NULL;

    if (!canon)
        canon = od_lexicon_lookup(od_grammar_set_lexicon(g, "modality_negative"), modal);
    if (neg)
        r = "must_not";
    else if (canon && (strcmp(canon, "must") == 0 || strcmp(canon, "must_not") == 0
                       || strcmp(canon, "may") == 0))
        r = canon;
    if (!r && ms->warnings) {
        int page = 0;
        od_box box;
        od_text_position(t, m->start, m->end, &page, &box);
        if (!modal)
            od_warnings_add(ms->warnings, "unknown_modal", page,
                            "rule '%s' gives no modal word (a 'modal' or 'neg' field): "
                            "no directive made", od_rule_id(m->rule));
        else if (canon)
            od_warnings_add(ms->warnings, "unknown_modal", page,
                            "the modality lexicons map '%s' to '%s' (expected must, "
                            "must_not or may): no directive made", modal, canon);
        else
            od_warnings_add(ms->warnings, "unknown_modal", page,
                            "rule '%s': the modal word '%s' is in neither lexicon 'modality' "
                            "nor 'modality_negative': "
                            "no directive made", od_rule_id(m->rule), modal);
    }
    g_free(neg);
    g_free(modal);
    return r;
}

/* Does the modal word of m still command in an opinion's reasoning (the
 * lexicon `opinion_modals` of directives.rules: "shall", "shall not")? */
static bool modal_commands_in_opinion(const od_grammar_set *g, const od_text *t,
                                      const od_match *m)
{
    const od_lexicon *lex = od_grammar_set_lexicon(g, "opinion_modals");
    char *modal = od_field_text(t, m, "modal");
    char *neg = modal ? NULL : od_field_text(t, m, "neg");
    const char *w = modal ? modal : neg;
    bool r = w && lex && od_lexicon_lookup(lex, w) != NULL;

    g_free(modal);
    g_free(neg);
    return r;
}

static int cmp_int32(int32_t a, int32_t b)
{
    return a < b ? -1 : a > b;
}

static void add_id_or_null(JsonObject *o, const char *key, char prefix, int id)
{
    if (id > 0) {
        char buf[24];
        g_snprintf(buf, sizeof buf, "%c%d", prefix, id);
        json_object_set_string_member(o, key, buf);
    } else {
        json_object_set_null_member(o, key);
    }
}

/* Does the text at i open a numbered item: "5. ", "(c) " after a space?
 * Returns the item's length, or 0. */
static int32_t item_at(const od_text *t, int32_t i, int32_t end)
{
    int32_t k = i;

    if (k < end && t->buf[k] == '(')
        k++;
    while (k < end && k - i < 3 && t->buf[k] >= '0' && t->buf[k] <= '9')
        k++;
    if (k == i || (t->buf[i] == '(' && k == i + 1))
        return 0;
    if (k < end && (t->buf[k] == '.' || t->buf[k] == ')'))
        k++;
    else
        return 0;
    if (k < end && t->buf[k] == ' ')
        return k + 1 - i;
    return 0;
}

/* A directive's text is its sentence, but not the numbered items around
 * it that the sentence splitter kept together: "The Court orders as
 * follows: 4. Defendant shall produce the ledger; and 5." gives
 * "Defendant shall produce the ledger". */
static void narrow_to_item(const od_text *t, const od_match *m, int32_t *start,
                           int32_t *end)
{
    /* the last item opening before the match */
    for (int32_t i = m->start; i-- > *start;)
        if ((i == *start || t->buf[i - 1] == ' ') && item_at(t, i, m->start)) {
            *start = i + item_at(t, i, m->start);
            break;
        }
    /* the next "; and 5." or "; 5." after it */
    for (int32_t i = m->end; i + 2 < *end; i++) {
        int32_t k = i + 1;
        if (t->buf[i] != ';')
            continue;
        while (k < *end && t->buf[k] == ' ')
            k++;
        if (k + 4 < *end && t->buf[k] == 'a' && t->buf[k + 1] == 'n' && t->buf[k + 2] == 'd'
            && t->buf[k + 3] == ' ')
            k += 4;
        if (item_at(t, k, *end) || (k + 1 >= *end)) {
            *end = i;
            break;
        }
        {
            /* "; and 5." at the very end: the item number alone */
            int32_t e = k;
            while (e < *end && t->buf[e] >= '0' && t->buf[e] <= '9')
                e++;
            if (e > k && e + 1 == *end && t->buf[e] == '.') {
                *end = i;
                break;
            }
        }
    }
}

void od_build_orders(const od_grammar_set *g, const od_text *t,
                     const od_segments *s, const od_matches *m,
                     const case_state *cs, const char *doc_kind, bool binding,
                     JsonArray *out_dir, JsonArray *out_dl)
{
    /* An opinion reasons in "must" and "may" ("We must reject", "the
     * upstream States must permit"); its commands are the explicit ones
     * ("is directed to", "ORDERS", "is enjoined from"). */
    bool opinion = strcmp(doc_kind, "opinion") == 0;
    /* ... and its decree: from the paragraph of its first "IT IS
     * ORDERED" or "SO ORDERED" on, commands in "shall" count again.
     * Dates before the decree are the history the opinion tells ("the
     * district court ordered the plaintiff to respond by July 9, 2007"),
     * not deadlines. */
    int32_t decree = INT32_MAX;

    for (size_t i = 0; opinion && i < m->n; i++)
        if (strcmp(od_rule_id(m->items[i].rule), "document.so_ordered") == 0) {
            int b = m->items[i].block;
            decree = b >= 0 && (size_t)b < s->n_blocks ? s->blocks[b].start : m->items[i].start;
            break;
        }
    GArray *dirs = g_array_new(FALSE, TRUE, sizeof(directive));
    GArray *dls = g_array_new(FALSE, TRUE, sizeof(deadline));
    /* Directive index per sentence (the first one), built in one pass. */
    GHashTable *by_sentence = g_hash_table_new(g_direct_hash, g_direct_equal);
    GPtrArray *labels = g_ptr_array_new(); /* schedule labels (matches) */
    int next_id;

    for (size_t i = 0; i < m->n; i++) {
        const od_match *mt = &m->items[i];
        const char *kind = od_rule_kind(mt->rule);
        const od_sentence *sn = sentence_of(s, mt);

        if (strcmp(kind, "directive") == 0 && opinion && mt->start < decree
            && (strcmp(od_rule_id(mt->rule), "directive.modal") == 0
                || strcmp(od_rule_id(mt->rule), "directive.passive") == 0
                || strcmp(od_rule_id(mt->rule), "directive.will") == 0)
            && !modal_commands_in_opinion(g, t, mt))
            continue; /* an opinion's "must" and "may" state the law */
        if (strcmp(kind, "directive") == 0) {
            directive d = {0};
            d.m = mt;
            d.start = skip_enumerator(t, sn ? sn->start : mt->start, mt->start);
            d.end = sn ? sn->end : mt->end;
            d.sentence = mt->sentence;
            d.block = mt->block;
            d.actor = od_field_text(t, mt, "actor");
            d.action = od_field_text(t, mt, "action");
            if (d.action) {
                char *low = g_ascii_strdown(d.action, -1);
                g_free(d.action);
                d.action = low;
            }
            d.deadline = -1;
            {
                /* "is prohibited from filing": the action is "file" */
                char *gerund = od_field_text(t, mt, "gerund");
                char *stem = gerund ? od_word_stem(gerund) : NULL;
                if (stem && strcmp(stem, gerund) != 0) {
                    g_free(d.action);
                    d.action = g_ascii_strdown(stem, -1);
                }
                g_free(stem);
                g_free(gerund);
            }
            narrow_to_item(t, mt, &d.start, &d.end);
            if (od_field_is(mt, "shared", "actor")) {
                /* "(2) provide ...": the actor and modality of the
                 * directive before it in the sentence, itself an item
                 * ("shall (1) file ...") */
                const directive *o = dirs->len
                    ? &g_array_index(dirs, directive, dirs->len - 1) : NULL;
                char *item = o && o->sentence == d.sentence ? od_field_text(t, o->m, "item") : NULL;
                if (!item) {
                    g_free(d.actor);
                    g_free(d.action);
                    continue;
                }
                g_free(item);
                g_free(d.actor);
                d.actor = g_strdup(o->actor);
                d.modality = o->modality;
                d.start = o->start;
                d.end = MAX(o->end, d.end);
                g_array_append_val(dirs, d);
                continue;
            }
            d.modality = modality_of(g, t, m, mt);
            if (!d.modality) {
                g_free(d.actor);
                g_free(d.action);
                continue;
            }
            {
                int same = find_duplicate(dirs, &d);
                int earlier = same < 0 ? passive_continuation(t, dirs, &d) : -1;
                if (same >= 0 || earlier >= 0) {
                    /* One command told twice: keep the first, and let this
                     * sentence's deadlines bind to it. */
                    int keep = same >= 0 ? same : earlier;
                    if (!g_hash_table_contains(by_sentence, GINT_TO_POINTER(mt->sentence + 1)))
                        g_hash_table_insert(by_sentence, GINT_TO_POINTER(mt->sentence + 1),
                                            GINT_TO_POINTER(keep + 1));
                    g_free(d.actor);
                    g_free(d.action);
                    continue;
                }
            }
            g_array_append_val(dirs, d);
            if (!g_hash_table_contains(by_sentence, GINT_TO_POINTER(mt->sentence + 1)))
                g_hash_table_insert(by_sentence, GINT_TO_POINTER(mt->sentence + 1),
                                    GINT_TO_POINTER(dirs->len));
        }
    }

    for (size_t i = 0; i < m->n; i++)
        if (od_field_is(&m->items[i], "kind", "schedule_label"))
            g_ptr_array_add(labels, (gpointer)&m->items[i]);

    for (size_t i = 0; i < m->n; i++) {
        const od_match *mt = &m->items[i];
        const char *kind = od_rule_kind(mt->rule);
        deadline dl = {0};
        gpointer v;
        char *label = NULL;

        if (strcmp(kind, "deadline") != 0 && strcmp(kind, "event") != 0)
            continue;
        if (opinion && mt->start < decree)
            continue; /* an opinion's dates before its decree are history */
        if (od_field_is(mt, "kind", "schedule_label"))
            continue;
        if (od_field_is(mt, "kind", "schedule_date")) {
            const od_match *l = od_label_left_of(t, s, labels, mt->block);
            if (!l)
                continue;
            label = od_field_text(t, l, "what");
        } else if (od_field_is(mt, "kind", "schedule")) {
            label = od_field_text(t, mt, "what");
        }
        if (label) {
            /* a row of a schedule table: its own deadline, with the
             * label's action and party */
            char *date = od_field_text(t, mt, "date");
            char *time = od_field_text(t, mt, "time");
            dl.m = mt;
            dl.start = mt->start;
            dl.end = mt->end;
            dl.sentence = mt->sentence;
            dl.block = mt->block;
            dl.directive = -1;
            dl.kind = "absolute";
            dl.has_date = date && od_date_parse(date, strlen(date), &dl.date, &dl.ambiguous);
            dl.has_time = time && od_time_parse(time, strlen(time), dl.time);
            g_free(date);
            g_free(time);
            dl.action = od_schedule_action(g, label);
            if (!dl.has_date || !dl.action
                || (cs->has_date && od_date_diff(cs->date, dl.date) < 0)) {
                g_free(label);
                g_free(dl.action);
                continue;
            }
            dl.is_event = strcmp(dl.action, "appear") == 0;
            dl.party = od_schedule_party(label);
            if (dl.is_event)
                dl.what = label;
            else
                g_free(label);
            g_array_append_val(dls, dl);
            continue;
        }
        dl.m = mt;
        dl.start = mt->start;
        dl.end = mt->end;
        dl.sentence = mt->sentence;
        dl.block = mt->block;
        dl.directive = -1;
        dl.is_event = strcmp(kind, "event") == 0;
        {
            /* "is continued to December 11, 2025 at 2:00 p.m.": a hearing
             * moved to a new date, which the parties must attend */
            char *intro = od_field_text(t, mt, "intro");
            char *sp = intro ? strchr(intro, ' ') : NULL;
            if (sp)
                *sp = '\0'; /* its first word, in the lexicon `moved_words` */
            if (intro && od_lexicon_lookup(od_grammar_set_lexicon(g, "moved_words"), intro))
                dl.is_event = true;
            g_free(intro);
        }
        v = g_hash_table_lookup(by_sentence, GINT_TO_POINTER(mt->sentence + 1));
        if (v && dl.is_event) {
            /* a hearing binds the command before it in its sentence
             * ("Counsel shall appear for a hearing on ..."), not one after
             * ("... is continued to ..., and the Parties shall file") */
            const directive *o = &g_array_index(dirs, directive, GPOINTER_TO_INT(v) - 1);
            if (o->m->start > mt->start)
                v = NULL;
        }
        if (v) {
            /* the last command of the sentence that starts before the
             * deadline ("A shall serve by X, and B shall submit by Y") */
            guint k = (guint)(GPOINTER_TO_INT(v) - 1);
            dl.directive = (int)k;
            for (; k < dirs->len; k++) {
                const directive *o = &g_array_index(dirs, directive, k);
                if (o->sentence != mt->sentence)
                    break;
                if (o->m->start <= mt->start)
                    dl.directive = (int)k;
            }
        }
        else if (!dl.is_event && od_field_is(mt, "kind", "absolute")
                 && !od_match_field(mt, "party"))
            dl.directive = nearby_directive(s, dirs, mt);

        if (dl.is_event || od_field_is(mt, "kind", "absolute")) {
            char *date = od_field_text(t, mt, "date");
            char *time = od_field_text(t, mt, "time");
            if (!time) /* "by 5:00 p.m. on June 6, 2025": the time first */
                time = od_field_text(t, mt, "time0");
            dl.kind = "absolute";
            if (date && od_date_parse(date, strlen(date), &dl.date, &dl.ambiguous))
                dl.has_date = true;
            if (time && od_time_parse(time, strlen(time), dl.time))
                dl.has_time = true;
            g_free(date);
            g_free(time);
            if (!dl.has_date)
                continue;
            /* A date before the order is history, not a deadline. */
            if (cs->has_date && od_date_diff(cs->date, dl.date) < 0)
                continue;
            if (dl.is_event)
                dl.what = od_field_text(t, mt, "what");
        } else if (od_field_is(mt, "kind", "weekday_before")) {
            /* "no later than the Friday before the commencement of trial":
             * counted from the trial date the document recites */
            char *wd = od_field_text(t, mt, "weekday");
            int w = wd ? od_weekday_number(wd) : -1;
            od_date trial;
            g_free(wd);
            if (w < 0)
                continue;
            dl.kind = "relative";
            if (od_trial_date(t, s, m, &trial)) {
                char iso[11];
                char *wk = od_field_text(t, mt, "week");
                bool week = wk && *wk;
                g_free(wk);
                dl.date = od_weekday_before(trial, w, week);
                dl.has_date = true;
                od_date_iso(trial, iso);
                dl.anchor = g_strdup_printf("%s (the trial date)", iso);
                dl.computation = g_strdup_printf("the %s %s the trial on %s",
                                                 od_date_weekday_name(w),
                                                 week ? "of the week before" : "before", iso);
                /* no "before the order's date" test here: the trial ahead
                 * is the anchor, and a pretrial order's signature date is
                 * its least sure date (counsel's typed "Dated:" lines) */
            } else {
                dl.anchor = g_strdup("the trial date");
                dl.computation = g_strdup("the trial date is not in this document");
            }
        } else if (od_field_is(mt, "kind", "same_date")) {
            /* "By that same date": the last dated deadline of this
             * paragraph or the one before; nothing when there is none */
            const deadline *o = NULL;
            for (guint k = dls->len; k-- > 0;) {
                const deadline *p = &g_array_index(dls, deadline, k);
                if (p->block < mt->block - 1)
                    break;
                if (p->has_date && !p->is_event) {
                    o = p;
                    break;
                }
            }
            if (!o)
                continue;
            dl.kind = "absolute";
            dl.date = o->date;
            dl.has_date = true;
            dl.has_time = o->has_time;
            memcpy(dl.time, o->time, sizeof dl.time);
            {
                char iso[11];
                od_date_iso(o->date, iso);
                dl.anchor = g_strdup_printf("%s (the date of the deadline before)", iso);
            }
        } else if (od_field_is(mt, "kind", "relative")) {
            dl.kind = "relative";
            if (dl.directive < 0)
                continue; /* a period stated in general terms */
            {
                /* a dated hearing or conference earlier in this block */
                const deadline *event = NULL;
                char *anchor = od_field_text(t, mt, "anchor");
                if (anchor && od_lexicon_find(od_grammar_set_lexicon(g, "event_words"), anchor, OD_FIND_ANYWHERE)) {
                    for (guint k = dls->len; k-- > 0;) {
                        const deadline *o = &g_array_index(dls, deadline, k);
                        if (o->block != mt->block && o->block != mt->block - 1)
                            break;
                        if (o->has_date && strcmp(o->kind, "absolute") == 0
                            && sentence_mentions(t, s, o->sentence, anchor)) {
                            event = o;
                            break;
                        }
                    }
                }
                g_free(anchor);
                od_compute_relative(g, t, &dl, cs, event);
            }
        } else if (od_field_is(mt, "kind", "immediate")) {
            dl.kind = "immediate";
            if (dl.directive < 0)
                continue;
            if (cs->has_date) {
                char iso[11];
                dl.date = cs->date;
                dl.has_date = true;
                od_date_iso(cs->date, iso);
                dl.anchor = g_strdup_printf("%s (the date of this order, by default)", iso);
                dl.computation = g_strdup_printf("due at once: %s", iso);
            }
        } else {
            continue;
        }
        g_array_append_val(dls, dl);
    }

    /* Ids in text order (matches are sorted by start already). */
    next_id = 1;
    for (guint i = 0; i < dirs->len; i++)
        g_array_index(dirs, directive, i).id = next_id++;
    next_id = 1;
    for (guint i = 0; i < dls->len; i++) {
        deadline *dl = &g_array_index(dls, deadline, i);
        dl->id = next_id++;
        if (dl->directive >= 0) {
            directive *d = &g_array_index(dirs, directive, dl->directive);
            if (d->deadline < 0)
                d->deadline = (int)i;
        }
    }

    for (guint i = 0; i < dirs->len; i++) {
        directive *d = &g_array_index(dirs, directive, i);
        JsonObject *o = json_object_new();
        char *text = od_span_text(t, d->start, d->end);
        add_id_or_null(o, "id", 'd', d->id);
        od_json_set_string(o, "actor", d->actor);
        od_json_set_string(o, "action", d->action);
        json_object_set_string_member(o, "modality", d->modality);
        json_object_set_string_member(o, "text", text);
        add_id_or_null(o, "deadline", 't',
                       d->deadline >= 0 ? g_array_index(dls, deadline, d->deadline).id : 0);
        json_object_set_boolean_member(o, "binding", binding);
        json_object_set_string_member(o, "rule", od_rule_id(d->m->rule));
        od_json_add_position(o, t, d->start, d->end);
        json_array_add_object_element(out_dir, o);
        g_free(text);
    }
    for (guint i = 0; i < dls->len; i++) {
        deadline *dl = &g_array_index(dls, deadline, i);
        const directive *d = dl->directive >= 0
            ? &g_array_index(dirs, directive, dl->directive) : NULL;
        JsonObject *o = json_object_new();
        char *text = od_span_text(t, dl->start, dl->end);
        char iso[11];
        add_id_or_null(o, "id", 't', dl->id);
        if (dl->has_date) {
            od_date_iso(dl->date, iso);
            json_object_set_string_member(o, "date", iso);
        } else {
            json_object_set_null_member(o, "date");
        }
        od_json_set_string(o, "time", dl->has_time ? dl->time : NULL);
        json_object_set_string_member(o, "kind", dl->kind);
        json_object_set_string_member(o, "text", text);
        od_json_set_string(o, "anchor", dl->anchor);
        od_json_set_string(o, "computation", dl->computation);
        add_id_or_null(o, "directive", 'd', d ? d->id : 0);
        {
            char *fparty = d ? NULL : od_field_text(t, dl->m, "party");
            char *faction = d ? NULL : od_field_text(t, dl->m, "action");
            if (fparty && (g_str_has_suffix(fparty, "'s") || g_str_has_suffix(fparty, "s'")))
                fparty[strlen(fparty) - (fparty[strlen(fparty) - 1] == 's' ? 2 : 1)] = '\0';
            if (dl->action) {
                /* a schedule row */
                od_json_set_string(o, "party", dl->party ? dl->party : "the parties");
                od_json_set_string(o, "action", dl->action);
            } else {
                od_json_set_string(o, "party", d ? d->actor : fparty ? fparty
                                     : (dl->is_event ? "the parties" : NULL));
                od_json_set_string(o, "action", dl->is_event ? "appear" : (d ? d->action : faction));
            }
            g_free(fparty);
            g_free(faction);
        }
        od_json_set_string(o, "event", dl->what);
        json_object_set_boolean_member(o, "ambiguous", dl->ambiguous);
        json_object_set_boolean_member(o, "binding", binding);
        json_object_set_string_member(o, "rule", od_rule_id(dl->m->rule));
        od_json_add_position(o, t, dl->start, dl->end);
        json_array_add_object_element(out_dl, o);
        g_free(text);
    }

    for (guint i = 0; i < dirs->len; i++) {
        directive *d = &g_array_index(dirs, directive, i);
        g_free(d->actor);
        g_free(d->action);
    }
    for (guint i = 0; i < dls->len; i++) {
        deadline *dl = &g_array_index(dls, deadline, i);
        g_free(dl->anchor);
        g_free(dl->computation);
        g_free(dl->what);
        g_free(dl->action);
        g_free(dl->party);
    }
    g_hash_table_destroy(by_sentence);
    g_ptr_array_free(labels, TRUE);
    g_array_free(dirs, TRUE);
    g_array_free(dls, TRUE);
    (void)cmp_int32;
}

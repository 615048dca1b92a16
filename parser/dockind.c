/*
 * dockind.c - stage 5: what kind of document the records come from.
 *
 * grammars/document.rules finds titles ("[PROPOSED] ORDER ...", "CIVIL
 * MINUTES - GENERAL", "PLAINTIFFS' REPLY IN SUPPORT OF ...") and cues in
 * the text ("IT IS SO ORDERED", "I declare under penalty of perjury").
 * This file picks one kind from those matches, and says whether the
 * document is the court's, so that its directives and deadlines bind
 * someone (an order, minutes, a judgment, an opinion, a proposed or
 * signed order, a stipulation the court has ordered), or whether it only
 * proposes, requests or recites (a motion or brief, a declaration, a
 * transcript, a notice, a letter, a stipulation alone).  Which kinds are
 * the court's is the lexicon `binding_kinds` of document.rules.
 */
#include <string.h>

#include "records_p.h"

/* A title counts on the first three pages; in a text without pages, in
 * the first 80 blocks. */
enum { TITLE_PAGES = 3, TITLE_BLOCKS = 80 };

static bool in_title_area(const od_text *t, const od_segments *s, int b)
{
    int page;

    if (b < 0 || (size_t)b >= s->n_blocks)
        return false;
    page = t->paras && s->blocks[b].para >= 0 ? t->paras[s->blocks[b].para].page : 0;
    return page > 0 ? page <= TITLE_PAGES : b < TITLE_BLOCKS;
}

static const char *set_value(const od_match *m, const char *name)
{
    const od_field *f = od_match_field(m, name);
    return f && f->value ? f->value : NULL;
}

const char *od_document_kind(const od_grammar_set *g, const od_text *t, const od_segments *s,
                             const od_matches *m, bool *binding)
{
    const char *title = NULL, *body = NULL;
    int body_priority = 0;
    bool ordered = false;

    for (size_t i = 0; i < m->n; i++) {
        const od_match *mt = &m->items[i];
        const char *kind, *cue;

        if (strcmp(od_rule_kind(mt->rule), "document") != 0)
            continue;
        kind = set_value(mt, "document_kind");
        cue = set_value(mt, "cue");
        if (!kind || !cue)
            continue;
        if (strcmp(od_rule_id(mt->rule), "document.so_ordered") == 0)
            ordered = true;
        if (strcmp(cue, "title") == 0) {
            /* matches are in text order: the first title is the document's */
            if (!title && in_title_area(t, s, mt->block))
                title = kind;
        } else if (!body || od_rule_priority(mt->rule) > body_priority) {
            body = kind;
            body_priority = od_rule_priority(mt->rule);
        }
    }
    {
        const char *kind = title ? title : body ? body : "other";
        /* the court's own kinds: the lexicon `binding_kinds` of document.rules */
        bool b = od_lexicon_lookup(od_grammar_set_lexicon(g, "binding_kinds"), kind) != NULL;
        if (strcmp(kind, "stipulation") == 0)
            b = ordered;
        if (binding)
            *binding = b;
        return kind;
    }
}

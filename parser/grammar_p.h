/*
 * grammar_p.h - the compiled form of a rule, shared by grammar.c (stage
 * 4a, which loads and compiles rules) and match.c (stage 4b, which runs
 * them).  Nothing else includes this header: the other stages use the
 * accessors declared in ordex_p.h.
 */
#ifndef GRAMMAR_P_H
#define GRAMMAR_P_H

#include <unicode/uregex.h>

#include "ordex_p.h"

/* The record kinds a rule may produce, in a fixed order: a kind is an
 * index into this list and a set of kinds is a bit mask. */
enum { OD_N_KINDS = 11 };
/* Kinds whose rules are run line by line by earlier stages (through
 * od_line_matcher, match.c), not over the blocks by od_match_run:
 * "segment" (stage 3's block cues) and "stamp" (stage 2's ECF stamps). */
enum { OD_KIND_SEGMENT = 7, OD_KIND_STAMP = 10 };
#define OD_LINE_KINDS ((1u << OD_KIND_SEGMENT) | (1u << OD_KIND_STAMP))
extern const char *const od_kind_names[OD_N_KINDS];

typedef enum od_scope {
    OD_SCOPE_MATCH = 0, /* matches overlapping the suppressing match */
    OD_SCOPE_SENTENCE,  /* matches starting in the same sentence */
    OD_SCOPE_BLOCK,     /* matches in the same block */
} od_scope;

/* An 'example' line of a rule: a phrase the rule must find (tests/check_examples.c). */
typedef struct od_example {
    const char *text; /* "\n" already made a line break */
    const char *file;
    int line;
} od_example;

struct od_rule {
    char *id;
    int kind;            /* index into od_kind_names; suppress: first of kinds */
    int priority;
    uint32_t contexts;   /* bit (1u << od_block_kind) per allowed block kind */
    bool suppress;       /* a 'suppress' block rather than a 'rule' */
    uint32_t kinds;      /* suppress: bit (1u << kind) per suppressed kind */
    od_scope scope;      /* suppress only */
    uint32_t re_flags;   /* UREGEX_* */

    /* Fields, captures first (in group-number order), then 'set' fields. */
    int n_fields;
    char **field_names;
    char **field_values; /* NULL for captures */
    int32_t *groups;     /* group number of each capture field */
    int n_captures;

    URegularExpression *re; /* compiled; NULL until compiled or on error */

    /* Trigger word ids ('trigger' key): the rule runs only on blocks that
     * hold one of these words.  NULL: the rule runs on every block. */
    int *trig;
    int n_trig;

    /* The 'fields' block of the rule's kind that the rule was checked
     * against; NULL when the kind has none (nothing is checked). */
    const struct od_fielddecl *decl;
    /* Every field name some kind declares (owned by the set); NULL when
     * no kind declares its fields. */
    GHashTable *declared;

    /* The rule's 'example' lines, in order (owned by the rule). */
    const od_example *examples;
    int n_examples;
    /* The pattern widened for the prefilter (prefilter.c); NULL when it
     * cannot be translated (the rule then runs on every block). */
    char *scan_pattern;

    struct od_rule_src *src; /* where the rule came from (grammar.c) */
};

/* Whether stage 5 may ask a match of r for field name: true when some
 * kind declares a field of that name, or no kind declares its fields.
 * (Stage 5 asks any match for the fields of several kinds, so the test
 * is against all kinds: it catches a name no grammar can give.) */
bool od_rule_declares(const od_rule *r, const char *name);

/* The rules (rule and suppress blocks) in load order, for match.c. */
size_t od_grammar_set_n_rules(const od_grammar_set *g);
const od_rule *od_grammar_set_rule(const od_grammar_set *g, size_t i);
/* Whether a 'fields' block declares the fields of kind k. */
bool od_grammar_set_declares_kind(const od_grammar_set *g, int k);
/* The rule with this id, or NULL. */
const od_rule *od_grammar_set_find_rule(const od_grammar_set *g, const char *id);

/* ---- Trigger words (see od_words_each in ordex_p.h) --------------------- */

/* Number of distinct trigger ids of the set (0: no rule has triggers, or
 * triggers are switched off). */
int od_grammar_set_n_triggers(const od_grammar_set *g);
/* Writes to ids (at most max) the trigger ids that word matches (its
 * whole-word trigger and every prefix trigger it starts with); returns
 * how many.  word is NUL-terminated, folded, len bytes. */
int od_grammar_set_trigger_ids(const od_grammar_set *g, const char *word, size_t len,
                               int *ids, int max);

/* ---- The multi-pattern prefilter (prefilter.c) --------------------------- */

/* One Hyperscan database of the rules' necessary literals. */
typedef struct od_prefilter od_prefilter;

/* A widened pattern that matches wherever the ICU pattern pat (expanded,
 * UTF-8, compiled with re_flags) matches in a block, over text folded as
 * od_prefilter_scan folds it (regular syntax: (?: ) groups, (?= ) for a
 * positive look-around, classes and bytes as \xHH); NULL when pat holds
 * what is not translated.  g_free. */
char *od_prefilter_translate(const char *pat, uint32_t re_flags);
/* The necessary literals of a translation, as od_prefilter_new finds
 * them, joined by '|' (bytes outside printable ASCII as \xHH); NULL when
 * it has none (the rule would run everywhere).  For tests.  g_free. */
char *od_prefilter_literals(const char *translation);
/* Compiles the necessary literals of translations patterns[0..n) (NULL:
 * left out) into one database; rule i of the set is pattern i.  NULL when
 * no pattern has literals or Hyperscan fails. */
od_prefilter *od_prefilter_new(const char *const *patterns, size_t n);
void od_prefilter_free(od_prefilter *p);
/* Whether rule i is in the database (else it runs on every block). */
bool od_prefilter_covers(const od_prefilter *p, size_t rule);
size_t od_prefilter_n_covered(const od_prefilter *p);
/* Scans every block of text once: n_blocks rows of *row_words 64-bit
 * words, bit i set when rule i may match in the block (every bit of a
 * block that could not be scanned).  NULL on failure.  g_free.
 * Thread-safe: the database is read only, each call has its scratch. */
guint64 *od_prefilter_scan(const od_prefilter *p, const UChar *text, int32_t len,
                           const od_block *blocks, size_t n_blocks, size_t *row_words);
/* The set's prefilter: NULL when none could be built or triggers and
 * prefilter are switched off (od_grammar_set_use_triggers). */
const od_prefilter *od_grammar_set_prefilter(const od_grammar_set *g);

#endif /* GRAMMAR_P_H */

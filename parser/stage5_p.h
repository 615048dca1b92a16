/*
 * stage5_p.h - what the stage-5 files (records.c, case.c, directives.c,
 * deadlines.c, changes.c, datasets.c) share, private to them.
 */
#ifndef ORDEX_STAGE5_P_H
#define ORDEX_STAGE5_P_H

#include "records_p.h"

typedef struct case_state {
    od_date date;
    bool has_date;
    char *date_source;
} case_state;

typedef struct directive {
    const od_match *m;
    int32_t start, end;   /* the sentence */
    int sentence, block;
    char *actor, *action;
    const char *modality;
    int deadline;         /* index into deadlines, -1 */
    int id;
} directive;

typedef struct deadline {
    const od_match *m;
    int32_t start, end;
    int sentence, block;
    od_date date;
    bool has_date;
    char time[6];
    bool has_time;
    const char *kind;     /* absolute, relative, immediate */
    char *anchor;
    char *computation;
    bool ambiguous;
    bool is_event;
    char *what;           /* the event, for hearings */
    char *action;         /* a schedule row's action, from its label */
    char *party;          /* a schedule row's party */
    int directive;        /* index, -1 */
    int id;
} deadline;

/* records.c: is field name of m the literal value? */
bool od_field_is(const od_match *m, const char *name, const char *value);

/* case.c: the case object (the order's date to *cs), and case.judge from
 * the judges when no case rule named one. */
JsonObject *od_build_case(const od_grammar_set *g, const od_text *t,
                          const od_segments *s, const od_matches *m,
                          case_state *cs);
void od_case_judge_from_judges(JsonObject *c, JsonArray *judges);

/* directives.c: the directive and deadline records. */
void od_build_orders(const od_grammar_set *g, const od_text *t,
                     const od_segments *s, const od_matches *m,
                     const case_state *cs, const char *doc_kind, bool binding,
                     JsonArray *out_dir, JsonArray *out_dl);

/* deadlines.c: the deadline-side helpers of od_build_orders. */
void od_compute_relative(const od_grammar_set *g, const od_text *t, deadline *dl,
                         const case_state *cs, const deadline *event);
const od_match *od_label_left_of(const od_text *t, const od_segments *s,
                                 GPtrArray *labels, int b);
char *od_schedule_action(const od_grammar_set *g, const char *label);
char *od_schedule_party(const char *label);
bool od_trial_date(const od_text *t, const od_segments *s, const od_matches *m,
                   od_date *out);
od_date od_weekday_before(od_date day, int weekday, bool week_prior);
int od_weekday_number(const char *name);

/* changes.c: "change" records. */
void od_build_changes(const od_text *t, const od_matches *m,
                      JsonArray *deadlines, JsonArray *out);

/* datasets.c: dataset records. */
void od_build_datasets(const od_grammar_set *g, const od_text *t,
                       const od_matches *m, JsonArray *out);

#endif

/*
 * records_p.h - stage 5 (records.c, its job files of stage5_p.h, attorneys.c,
 * dockind.c) and stage 6 (json.c, dump.c)
 * interfaces, private to the library.
 */
#ifndef ORDEX_RECORDS_P_H
#define ORDEX_RECORDS_P_H

#include <json-glib/json-glib.h>

#include "ordex_p.h"
#include "text_p.h"

/* Stages timed for --profile, in pipeline order. */
enum {
    OD_STAGE_PDF = 0, /* Poppler: text and boxes */
    OD_STAGE_TEXT,    /* normalisation, furniture, paragraphs */
    OD_STAGE_SEGMENT, /* blocks and sentences */
    OD_STAGE_MATCH,   /* rules */
    OD_STAGE_RECORDS, /* records from matches */
    OD_STAGE_JSON,    /* the JSON tree */
    OD_STAGE_OCR,     /* rendering and Tesseract (last: the public order) */
    OD_N_STAGES
};

/* The records of one document, each kind a JsonArray of JsonObjects in
 * the order they are written, plus the case object. */
typedef struct od_records {
    JsonObject *case_info;
    JsonArray *directives;
    JsonArray *deadlines;
    JsonArray *attorneys;
    JsonArray *judges;
    JsonArray *datasets;
    JsonArray *changes;    /* grammars/changes.rules */
} od_records;

od_records *od_records_build(const od_grammar_set *g, const od_text *t,
                             const od_segments *s, const od_matches *m);
void od_records_free(od_records *r);

/* attorneys.c: attorney and judge records from the "attorney" and
 * "judge" matches and the layout of counsel blocks. */
void od_people_build(const od_grammar_set *g, const od_text *t,
                     const od_segments *s, const od_matches *m,
                     JsonArray *attorneys, JsonArray *judges);
/* "By: /s/ KEVIN T. FLOOD, Esq. (SBN 1234)" -> "KEVIN T. FLOOD" (bar
 * number to *bar when bar is not NULL; g_free both). */
char *od_person_clean(const char *printed, char **bar);
/* The same in natural case: "Kevin T. Flood". */
char *od_person_normalize(const char *printed);

/* dockind.c: the document's kind ("order", "minute order", "judgment",
 * "opinion", "proposed order", "stipulation", "motion or brief",
 * "declaration", "transcript", "notice", "letter" or "other") from the
 * "document" matches; *binding (when not NULL) is set to whether its
 * directives and deadlines are the court's (a kind of the lexicon
 * `binding_kinds` of g, or a stipulation so ordered).  The string is static or
 * the grammar's: do not free it. */
const char *od_document_kind(const od_grammar_set *g, const od_text *t, const od_segments *s,
                             const od_matches *m, bool *binding);

/* The text of [start,end), trimmed, with runs of white space (the joins
 * of layout lines) made one space; g_free it. */
char *od_span_text(const od_text *t, int32_t start, int32_t end);
/* The text of field name of m (its literal value, or its span as
 * od_span_text gives it), or NULL when the field is absent or empty. */
char *od_field_text(const od_text *t, const od_match *m, const char *name);
/* Sets key to v, or to null when v is NULL or empty. */
void od_json_set_string(JsonObject *o, const char *key, const char *v);

/* Position fields ("page", "start", "end", "bbox") of a span. */
void od_json_add_position(JsonObject *o, const od_text *t, int32_t start,
                          int32_t end);

/* The document JSON tree (takes references to the records' arrays). */
JsonNode *od_json_document(const od_doc_info *info, const od_grammar_set *g,
                           const od_text *t, const od_records *r,
                           GPtrArray *stage1_warnings, const od_matches *m);
/* Serialises deterministically; g_free the result. */
char *od_json_serialize(JsonNode *root, bool pretty);

/* True when some page had no readable text (warnings say which). */
bool od_text_incomplete(const od_text *t, const od_page_source *pages,
                        int n_pages);

/* Writes a copy of the PDF with a highlight annotation over every record
 * of root (directives, deadlines, attorneys, judges, dataset mentions).
 * Returns the number of annotations, or -1 with *msg set. */
int od_highlight_write(GBytes *pdf, const char *password, const od_text *t,
                       JsonNode *root, const char *out_path, char **msg);

/* --dump renderings (g_free the result). */
char *od_dump_text(const od_text *t);
char *od_dump_segments(const od_text *t, const od_segments *s);
char *od_dump_matches(const od_text *t, const od_matches *m);

#endif

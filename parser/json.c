/*
 * json.c - stage 6: the document JSON.
 *
 * Builds the JSON tree of a document from the records of stage 5 and
 * serialises it deterministically: keys in a fixed order (json-glib keeps
 * insertion order), records sorted by position, coordinates rounded to a
 * quarter point so that every number prints exactly, no timestamps.
 */
#include <math.h>
#include <string.h>

#include "records_p.h"

/* Quarter points are exact in binary, so they print without noise. */
static double quarter(double v)
{
    return round(v * 4.0) / 4.0;
}

void od_json_add_position(JsonObject *o, const od_text *t, int32_t start,
                          int32_t end)
{
    int page = 0;
    od_box box = {0, 0, 0, 0};
    bool has = od_text_position(t, start, end, &page, &box);

    json_object_set_int_member(o, "page", has ? page : 0);
    json_object_set_int_member(o, "start", od_text_cp_index(t, start));
    json_object_set_int_member(o, "end", od_text_cp_index(t, end));
    if (has) {
        JsonArray *a = json_array_sized_new(4);
        json_array_add_double_element(a, quarter(box.x0));
        json_array_add_double_element(a, quarter(box.y0));
        json_array_add_double_element(a, quarter(box.x1));
        json_array_add_double_element(a, quarter(box.y1));
        json_object_set_array_member(o, "bbox", a);
    } else {
        json_object_set_null_member(o, "bbox");
    }
}

static bool warning_is_unread(const od_warning *w)
{
    static const char *const codes[] = {
        "no_text_layer", "only_stamp_text", "undecodable_text",
        "little_text_on_image", "page_unreadable", "ocr_no_text", NULL,
    };
    for (int i = 0; codes[i]; i++)
        if (strcmp(w->code, codes[i]) == 0)
            return true;
    return false;
}

bool od_text_incomplete(const od_text *t, const od_page_source *pages,
                        int n_pages)
{
    if (!t || !t->warnings)
        return false;
    for (guint i = 0; i < t->warnings->len; i++) {
        const od_warning *w = g_ptr_array_index(t->warnings, i);
        const od_page_source *ps = pages && w->page >= 1 && w->page <= n_pages
                                       ? &pages[w->page - 1] : NULL;
        /* a page OCR read, or looked at and found nothing to read on,
         * is not missing text even when it holds none */
        if (ps && (ps->source != OD_SOURCE_PDF || ps->skipped != OD_OCR_READ))
            continue;
        if (warning_is_unread(w))
            return true;
    }
    return false;
}

static void add_warnings(JsonArray *out, GPtrArray *arr)
{
    if (!arr)
        return;
    for (guint i = 0; i < arr->len; i++) {
        const od_warning *w = g_ptr_array_index(arr, i);
        JsonObject *o = json_object_new();
        json_object_set_string_member(o, "code", w->code);
        if (w->page > 0)
            json_object_set_int_member(o, "page", w->page);
        else
            json_object_set_null_member(o, "page");
        json_object_set_string_member(o, "message", w->message);
        json_array_add_object_element(out, o);
    }
}

void od_json_set_string(JsonObject *o, const char *key, const char *v)
{
    if (v && *v)
        json_object_set_string_member(o, key, v);
    else
        json_object_set_null_member(o, key);
}

/* source.ecf: the stamp of the first stamped page, and how many pages
 * carry one. */
static JsonNode *ecf_node(const od_text *t)
{
    const od_ecf *first = NULL;
    int stamped = 0;
    JsonObject *o;
    JsonNode *n;

    for (int i = 0; t && i < t->n_pages; i++) {
        if (t->ecf && t->ecf[i].case_number[0]) {
            stamped++;
            if (!first)
                first = &t->ecf[i];
        }
    }
    if (!first)
        return json_node_new(JSON_NODE_NULL);
    o = json_object_new();
    json_object_set_string_member(o, "case_number", first->case_number);
    od_json_set_string(o, "document", first->document);
    od_json_set_string(o, "filed", first->filed);
    if (first->page_count > 0)
        json_object_set_int_member(o, "page_count", first->page_count);
    else
        json_object_set_null_member(o, "page_count");
    json_object_set_int_member(o, "pages_stamped", stamped);
    n = json_node_new(JSON_NODE_OBJECT);
    json_node_take_object(n, o);
    return n;
}

/* source.text_source: for each page where its text comes from, why the
 * text layer was distrusted, why OCR did not read it (nothing to read),
 * and the OCR confidence (whole percent). */
static JsonNode *text_source_node(const od_doc_info *info)
{
    static const char *const names[] = {
        [OD_SOURCE_PDF] = "pdf", [OD_SOURCE_OCR] = "ocr",
        [OD_SOURCE_MIXED] = "mixed",
    };
    JsonArray *a;
    JsonNode *n;

    if (!info->pages)
        return json_node_new(JSON_NODE_NULL);
    a = json_array_sized_new((guint)MAX(info->n_pages, 0));
    for (int i = 0; i < info->n_pages; i++) {
        const od_page_source *ps = &info->pages[i];
        JsonObject *o = json_object_new();
        json_object_set_int_member(o, "page", i + 1);
        json_object_set_string_member(o, "source",
                                      ps->source <= OD_SOURCE_MIXED
                                          ? names[ps->source] : "pdf");
        od_json_set_string(o, "reason", od_trust_code((od_trust)ps->reason));
        od_json_set_string(o, "ocr_skipped",
                           od_ocr_skip_code((od_ocr_skip)ps->skipped));
        if (ps->confidence >= 0)
            json_object_set_int_member(o, "confidence",
                                       (gint64)lround(ps->confidence));
        else
            json_object_set_null_member(o, "confidence");
        json_array_add_object_element(a, o);
    }
    n = json_node_new(JSON_NODE_ARRAY);
    json_node_take_array(n, a);
    return n;
}

JsonNode *od_json_document(const od_doc_info *info, const od_grammar_set *g,
                           const od_text *t, const od_records *r,
                           GPtrArray *stage1_warnings, const od_matches *m)
{
    JsonObject *root = json_object_new();
    JsonObject *src = json_object_new();
    JsonArray *grammars = json_array_new();
    JsonArray *warnings = json_array_new();
    JsonNode *node;
    size_t ng = od_grammar_set_n_grammars(g);

    json_object_set_string_member(root, "schema", ORDEX_SCHEMA_VERSION);
    json_object_set_string_member(root, "ordex", ORDEX_VERSION);
    for (size_t i = 0; i < ng; i++) {
        const char *name, *version;
        JsonObject *go = json_object_new();
        od_grammar_set_grammar(g, i, &name, &version);
        json_object_set_string_member(go, "name", name);
        json_object_set_string_member(go, "version", version);
        json_array_add_object_element(grammars, go);
    }
    json_object_set_array_member(root, "grammars", grammars);

    od_json_set_string(src, "file", info->file);
    json_object_set_string_member(src, "input", info->input);
    od_json_set_string(src, "sha256", info->sha256);
    json_object_set_int_member(src, "pages", info->n_pages);
    json_object_set_member(src, "ecf", ecf_node(t));
    json_object_set_member(src, "text_source", text_source_node(info));
    json_object_set_object_member(root, "source", src);

    json_object_set_object_member(root, "case", json_object_ref(r->case_info));
    json_object_set_array_member(root, "directives", json_array_ref(r->directives));
    json_object_set_array_member(root, "deadlines", json_array_ref(r->deadlines));
    json_object_set_array_member(root, "changes", json_array_ref(r->changes));
    json_object_set_array_member(root, "attorneys", json_array_ref(r->attorneys));
    json_object_set_array_member(root, "judges", json_array_ref(r->judges));
    json_object_set_array_member(root, "datasets", json_array_ref(r->datasets));

    add_warnings(warnings, stage1_warnings);
    add_warnings(warnings, t ? t->warnings : NULL);
    add_warnings(warnings, m ? m->warnings : NULL);
    json_object_set_array_member(root, "warnings", warnings);

    node = json_node_new(JSON_NODE_OBJECT);
    json_node_take_object(node, root);
    return node;
}

char *od_json_serialize(JsonNode *root, bool pretty)
{
    JsonGenerator *gen = json_generator_new();
    char *s, *out;

    json_generator_set_root(gen, root);
    json_generator_set_pretty(gen, pretty);
    json_generator_set_indent(gen, 2);
    s = json_generator_to_data(gen, NULL);
    g_object_unref(gen);
    out = g_strconcat(s, "\n", NULL);
    g_free(s);
    return out;
}

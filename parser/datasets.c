/*
 * datasets.c - stage 5: dataset records: the "dataset" matches merged into
 * one record per collection, with its spellings and mentions.
 */
#include <string.h>

#include "stage5_p.h"

/* ---- Datasets ------------------------------------------------------------ */

typedef struct dataset {
    char *name;
    const char *source;
    GPtrArray *aliases;   /* char*, distinct spellings */
    JsonArray *mentions;
} dataset;

static void dataset_free(gpointer p)
{
    dataset *d = p;
    g_free(d->name);
    g_ptr_array_free(d->aliases, TRUE);
    json_array_unref(d->mentions);
    g_free(d);
}

/* A capitalised word that names no dataset ("The", "Plaintiffs"): the
 * lexicon `not_dataset_names` of datasets.rules. */
static bool generic_name(const od_grammar_set *g, const char *n)
{
    return od_lexicon_lookup(od_grammar_set_lexicon(g, "not_dataset_names"), n) != NULL
        || strlen(n) < 2;
}

static void add_dataset_mention(const od_grammar_set *g, const od_text *t,
                                const od_match *mt, const od_field *f,
                                GHashTable *by_name, GPtrArray *order)
{
    const od_lexicon *lex = od_grammar_set_lexicon(g, "datasets");
    char *seen = od_span_text(t, f->start, f->end);
    const char *canon = lex ? od_lexicon_lookup(lex, seen) : NULL;
    char *name;
    dataset *d;
    JsonObject *mo;
    bool from_lex = canon != NULL;

    if (canon) {
        name = g_strdup(canon);
    } else {
        const char *n = seen;
        if (g_str_has_prefix(n, "The ") || g_str_has_prefix(n, "the "))
            n += 4;
        if (generic_name(g, n)) {
            g_free(seen);
            return;
        }
        name = g_strdup(n);
        if (lex && (canon = od_lexicon_lookup(lex, name))) {
            g_free(name);
            name = g_strdup(canon);
            from_lex = true;
        }
    }
    d = g_hash_table_lookup(by_name, name);
    if (!d) {
        d = g_new0(dataset, 1);
        d->name = g_strdup(name);
        d->source = from_lex ? "lexicon" : "pattern";
        d->aliases = g_ptr_array_new_with_free_func(g_free);
        d->mentions = json_array_new();
        g_hash_table_insert(by_name, d->name, d);
        g_ptr_array_add(order, d);
    }
    {
        bool have = false;
        for (guint i = 0; i < d->aliases->len; i++)
            if (strcmp(g_ptr_array_index(d->aliases, i), seen) == 0)
                have = true;
        if (!have)
            g_ptr_array_add(d->aliases, g_strdup(seen));
    }
    mo = json_object_new();
    json_object_set_string_member(mo, "text", seen);
    json_object_set_string_member(mo, "rule", od_rule_id(mt->rule));
    od_json_add_position(mo, t, f->start, f->end);
    json_array_add_object_element(d->mentions, mo);
    g_free(name);
    g_free(seen);
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void od_build_datasets(const od_grammar_set *g, const od_text *t,
                       const od_matches *m, JsonArray *out)
{
    GHashTable *by_name = g_hash_table_new(g_str_hash, g_str_equal);
    GPtrArray *order = g_ptr_array_new_with_free_func(dataset_free);

    for (size_t i = 0; i < m->n; i++) {
        const od_match *mt = &m->items[i];
        static const char *const names[] = {"name", "name2", NULL};
        if (strcmp(od_rule_kind(mt->rule), "dataset") != 0)
            continue;
        for (int k = 0; names[k]; k++) {
            const od_field *f = od_match_field(mt, names[k]);
            if (f && !f->value && f->start >= 0 && f->end > f->start)
                add_dataset_mention(g, t, mt, f, by_name, order);
        }
    }
    for (guint i = 0; i < order->len; i++) {
        dataset *d = g_ptr_array_index(order, i);
        JsonObject *o = json_object_new();
        JsonArray *al = json_array_new();
        g_ptr_array_sort(d->aliases, cmp_str);
        for (guint k = 0; k < d->aliases->len; k++)
            json_array_add_string_element(al, g_ptr_array_index(d->aliases, k));
        json_object_set_string_member(o, "name", d->name);
        json_object_set_string_member(o, "source", d->source);
        json_object_set_array_member(o, "aliases", al);
        json_object_set_array_member(o, "mentions", json_array_ref(d->mentions));
        json_array_add_object_element(out, o);
    }
    g_ptr_array_free(order, TRUE);
    g_hash_table_destroy(by_name);
}

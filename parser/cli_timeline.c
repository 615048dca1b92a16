/*
 * cli_timeline.c - `ordex timeline`: the deadlines of a case across its
 * orders.
 *
 * Part of the command, a client of ordex.h: every input is read by the
 * library, one after the other, and the timeline is built from the
 * documents' JSON.  Documents are grouped by case.case_number_normalized
 * (else the printed number; a document without one is a case of its own)
 * and ordered by case.date, then docket entry, then path.  Each deadline
 * an order sets starts with status "set".  The `changes` of a later order
 * (grammars/changes.rules) update an earlier deadline: the one whose date
 * is the change's `from` date, else the one sharing the most words with
 * the change's `what`; "extended", "continued" and "reset" move its date,
 * "vacated" and "stayed" keep it with that status, a stay of all dates
 * stays every open deadline.  A later order that sets the same hearing
 * again marks the earlier one "superseded".  Every step keeps the
 * document and page that made it.  A change that matches nothing is
 * listed as unlinked, never guessed.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "cli.h"
#include "ordex.h"

#define TIMELINE_VERSION "ordex-timeline-1"

static const char timeline_help[] =
    "Each INPUT is a PDF, a .txt file, a folder (searched recursively for\n"
    "*.pdf and *.txt) or @LIST, a file of paths one a line.  Writes one\n"
    "JSON object: the cases, each with its documents in date order and its\n"
    "deadlines, each deadline with its current status (set, extended,\n"
    "continued, reset, vacated, stayed, superseded) and the history of\n"
    "what changed it.\n"
    "\n"
    "Exit status: as for ordex (the first document that fails stops the\n"
    "timeline with its code).\n";

typedef struct tl_doc {
    char *path;
    char *json;
    JsonParser *parser;
    JsonObject *root, *cs, *src;
    const char *date;
    long entry;
} tl_doc;

typedef struct tl_step {
    const char *status;
    char *date, *time;
    tl_doc *doc;
    long page;
    char *text, *rule;
} tl_step;

typedef struct tl_deadline {
    tl_doc *origin;
    JsonObject *dl;
    const char *status;
    char *date, *time;
    GPtrArray *history; /* tl_step * */
} tl_deadline;

typedef struct tl_case {
    const char *key;
    GPtrArray *docs;      /* tl_doc *, borrowed */
    GPtrArray *deadlines; /* tl_deadline * */
    GPtrArray *unlinked;  /* tl_step * (status = the change's action) */
} tl_case;

static struct {
    char *output, *ics, *ocr;
    char **grammar_dirs;
    gboolean no_default_grammars, pretty;
} opt;

static GOptionEntry entries[] = {
    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &opt.output,
     "Write the JSON to FILE instead of standard output", "FILE"},
    {"pretty", 'p', 0, G_OPTION_ARG_NONE, &opt.pretty, "Indent the JSON", NULL},
    {"ics", 0, 0, G_OPTION_ARG_FILENAME, &opt.ics,
     "Also write the current calendar of every case (iCalendar)", "FILE.ics"},
    {"ocr", 0, 0, G_OPTION_ARG_STRING, &opt.ocr,
     "OCR pages without a usable text layer: auto, always or never", "WHEN"},
    {"grammars", 'g', 0, G_OPTION_ARG_FILENAME_ARRAY, &opt.grammar_dirs,
     "Add a folder of *.rules after the shipped ones (repeatable)", "DIR"},
    {"no-default-grammars", 0, 0, G_OPTION_ARG_NONE, &opt.no_default_grammars,
     "Do not load the installed grammars", NULL},
    {NULL, 0, 0, 0, NULL, NULL, NULL},
};

/* ---- Inputs ------------------------------------------------------------ */

static bool wanted(const char *name)
{
    return g_str_has_suffix(name, ".pdf") || g_str_has_suffix(name, ".PDF")
           || g_str_has_suffix(name, ".txt") || g_str_has_suffix(name, ".TXT");
}

static void walk(const char *top, GPtrArray *out)
{
    GPtrArray *todo = g_ptr_array_new_with_free_func(g_free);

    g_ptr_array_add(todo, g_strdup(top));
    while (todo->len > 0) {
        char *dir = g_ptr_array_steal_index(todo, todo->len - 1);
        GDir *d = g_dir_open(dir, 0, NULL);
        const char *name;

        while (d && (name = g_dir_read_name(d))) {
            char *p = g_build_filename(dir, name, NULL);
            struct stat sb;
            if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
                g_ptr_array_add(todo, p);
            else if (wanted(name) && stat(p, &sb) == 0 && S_ISREG(sb.st_mode))
                g_ptr_array_add(out, p);
            else
                g_free(p);
        }
        if (d)
            g_dir_close(d);
        g_free(dir);
    }
    g_ptr_array_free(todo, TRUE);
}

static int cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

GPtrArray *cli_collect_inputs(int argc, char **argv)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *uniq;

    for (int i = 0; i < argc; i++) {
        if (argv[i][0] == '@') {
            char *data = NULL;
            char **lines;
            GError *err = NULL;
            if (!g_file_get_contents(argv[i] + 1, &data, NULL, &err)) {
                fprintf(stderr, "ordex: %s: %s\n", argv[i] + 1,
                        g_strerror(err->code == G_FILE_ERROR_NOENT   ? ENOENT
                                   : err->code == G_FILE_ERROR_ACCES ? EACCES
                                   : err->code == G_FILE_ERROR_ISDIR ? EISDIR
                                                                     : EIO));
                g_error_free(err);
                g_ptr_array_free(out, TRUE);
                return NULL;
            }
            lines = g_strsplit(data, "\n", -1);
            for (char **l = lines; *l; l++) {
                g_strchomp(*l);
                if (**l && g_file_test(*l, G_FILE_TEST_IS_DIR))
                    walk(*l, out);
                else if (**l)
                    g_ptr_array_add(out, g_strdup(*l));
            }
            g_strfreev(lines);
            g_free(data);
        } else if (g_file_test(argv[i], G_FILE_TEST_IS_DIR)) {
            walk(argv[i], out);
        } else {
            g_ptr_array_add(out, g_strdup(argv[i]));
        }
    }
    g_ptr_array_sort(out, cmp_str);
    uniq = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < out->len; i++)
        if (i == 0 || strcmp(out->pdata[i], out->pdata[i - 1]) != 0)
            g_ptr_array_add(uniq, g_strdup(out->pdata[i]));
    g_ptr_array_free(out, TRUE);
    return uniq;
}

/* ---- Reading the documents --------------------------------------------- */

static void doc_free(gpointer p)
{
    tl_doc *d = p;

    g_free(d->path);
    g_free(d->json);
    if (d->parser)
        g_object_unref(d->parser);
    g_free(d);
}

static int read_doc(ordex_engine *e, const char *path, tl_doc **out)
{
    ordex_document *doc = NULL;
    ordex_result *res = NULL;
    ordex_status st;
    tl_doc *d;

    *out = NULL;
    if (g_str_has_suffix(path, ".txt") || g_str_has_suffix(path, ".TXT")) {
        char *data = NULL;
        gsize len = 0;
        if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
            fprintf(stderr, "ordex: %s: is a directory\n", path);
            return EXIT_INPUT;
        }
        if (!g_file_get_contents(path, &data, &len, NULL)) {
            fprintf(stderr, "ordex: %s: %s\n", path,
                    g_strerror(g_file_test(path, G_FILE_TEST_EXISTS) ? EACCES : ENOENT));
            return EXIT_INPUT;
        }
        st = ordex_document_open_text(e, data, len, path, &doc);
        g_free(data);
    } else {
        st = ordex_document_open_file(e, path, NULL, &doc);
    }
    if (st == ORDEX_OK)
        st = ordex_extract(doc, &res);
    if (st != ORDEX_OK) {
        ordex_document_free(doc);
        return cli_exit_for(st);
    }
    d = g_new0(tl_doc, 1);
    d->path = g_strdup(path);
    d->json = ordex_result_to_json(res, 0);
    ordex_result_free(res);
    ordex_document_free(doc);
    d->parser = json_parser_new();
    if (!d->json || !json_parser_load_from_data(d->parser, d->json, -1, NULL)) {
        fprintf(stderr, "ordex: %s: the library wrote no JSON\n", path);
        doc_free(d);
        return EXIT_INTERNAL;
    }
    d->root = json_node_get_object(json_parser_get_root(d->parser));
    d->cs = cli_json_object(d->root, "case");
    d->src = cli_json_object(d->root, "source");
    d->date = cli_json_string(d->cs, "date");
    if (cli_json_string(d->cs, "docket_entry"))
        d->entry = strtol(cli_json_string(d->cs, "docket_entry"), NULL, 10);
    *out = d;
    return EXIT_OK;
}

static gint cmp_doc(gconstpointer a, gconstpointer b)
{
    const tl_doc *x = *(tl_doc *const *)a, *y = *(tl_doc *const *)b;
    int r;

    if (!x->date != !y->date)
        return x->date ? -1 : 1; /* undated documents last */
    r = g_strcmp0(x->date, y->date);
    if (!r)
        r = x->entry < y->entry ? -1 : x->entry > y->entry;
    return r ? r : strcmp(x->path, y->path);
}

/* ---- Linking ----------------------------------------------------------- */

static void step_free(gpointer p)
{
    tl_step *s = p;

    g_free(s->date);
    g_free(s->time);
    g_free(s->text);
    g_free(s->rule);
    g_free(s);
}

static void deadline_free(gpointer p)
{
    tl_deadline *t = p;

    g_free(t->date);
    g_free(t->time);
    g_ptr_array_free(t->history, TRUE);
    g_free(t);
}

static tl_step *new_step(const char *status, const char *date, const char *time,
                         tl_doc *doc, JsonObject *rec)
{
    tl_step *s = g_new0(tl_step, 1);

    s->status = status;
    s->date = g_strdup(date);
    s->time = g_strdup(time);
    s->doc = doc;
    s->page = cli_json_int(rec, "page");
    s->text = g_strdup(cli_json_string(rec, "text"));
    s->rule = g_strdup(cli_json_string(rec, "rule"));
    return s;
}

static bool is_open(const tl_deadline *t)
{
    return strcmp(t->status, "vacated") != 0 && strcmp(t->status, "superseded") != 0;
}

/* The words of s of four letters or more, lower case. */
static GHashTable *words_of(const char *s, GHashTable *into)
{
    char *low = s ? g_utf8_strdown(s, -1) : NULL;

    for (char *p = low; p && *p;) {
        char *b;
        while (*p && !g_ascii_isalnum(*p))
            p++;
        b = p;
        while (g_ascii_isalnum(*p))
            p++;
        if (p - b >= 4)
            g_hash_table_add(into, g_strndup(b, (gsize)(p - b)));
    }
    g_free(low);
    return into;
}

/* How many words of the change's subject the deadline shares. */
static int overlap(JsonObject *chg, const tl_deadline *t)
{
    GHashTable *a = words_of(cli_json_string(chg, "what"),
                             g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL));
    GHashTable *b = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTableIter it;
    gpointer k;
    int n = 0;

    words_of(cli_json_string(t->dl, "text"), b);
    words_of(cli_json_string(t->dl, "event"), b);
    words_of(cli_json_string(t->dl, "party"), b);
    words_of(cli_json_string(t->dl, "action"), b);
    g_hash_table_iter_init(&it, a);
    while (g_hash_table_iter_next(&it, &k, NULL))
        n += g_hash_table_contains(b, k);
    g_hash_table_destroy(a);
    g_hash_table_destroy(b);
    return n;
}

/* The open deadline change chg refers to, or NULL. */
static tl_deadline *find_target(tl_case *c, JsonObject *chg)
{
    const char *from = cli_json_string(chg, "from");
    tl_deadline *best = NULL;
    int best_score = 0;

    for (guint i = 0; i < c->deadlines->len; i++) {
        tl_deadline *t = c->deadlines->pdata[i];
        int score;
        if (!is_open(t))
            continue;
        if (from && t->date && strcmp(from, t->date) != 0)
            continue; /* the order says which date it moves */
        score = overlap(chg, t) + (from && t->date ? 4 : 0);
        if (score > best_score) {
            best = t;
            best_score = score;
        }
    }
    return best;
}

/* Applies chg of document d; false when it matched no deadline (then it
 * is listed as unlinked). */
static bool apply_change(tl_case *c, tl_doc *d, JsonObject *chg)
{
    const char *action = cli_json_string(chg, "action");
    const char *status = g_intern_string(action ? action : "changed");
    const char *date = cli_json_string(chg, "date");
    const char *time = cli_json_string(chg, "time");
    bool all = g_strcmp0(cli_json_string(chg, "scope"), "all") == 0;
    bool moves = date != NULL;
    int n = 0;

    for (guint i = 0; all && i < c->deadlines->len; i++) {
        tl_deadline *t = c->deadlines->pdata[i];
        if (!is_open(t) || t->origin == d)
            continue;
        t->status = status;
        g_ptr_array_add(t->history, new_step(status, t->date, t->time, d, chg));
        n++;
    }
    if (!all) {
        tl_deadline *t = find_target(c, chg);
        if (t) {
            t->status = status;
            if (moves) {
                g_free(t->date);
                g_free(t->time);
                t->date = g_strdup(date);
                t->time = g_strdup(time);
            }
            g_ptr_array_add(t->history, new_step(status, t->date, t->time, d, chg));
            n++;
        }
    }
    if (n == 0)
        g_ptr_array_add(c->unlinked, new_step(status, date, time, d, chg));
    return n > 0;
}

static void add_deadline(tl_case *c, tl_doc *d, JsonObject *dl)
{
    tl_deadline *t = g_new0(tl_deadline, 1);
    const char *event = cli_json_string(dl, "event");

    /* the same hearing set again by a later order */
    for (guint i = 0; event && i < c->deadlines->len; i++) {
        tl_deadline *o = c->deadlines->pdata[i];
        const char *oe = cli_json_string(o->dl, "event");
        if (is_open(o) && o->origin != d && oe && g_ascii_strcasecmp(oe, event) == 0) {
            o->status = "superseded";
            g_ptr_array_add(o->history, new_step("superseded", cli_json_string(dl, "date"),
                                                 cli_json_string(dl, "time"), d, dl));
        }
    }
    t->origin = d;
    t->dl = dl;
    t->status = "set";
    t->date = g_strdup(cli_json_string(dl, "date"));
    t->time = g_strdup(cli_json_string(dl, "time"));
    t->history = g_ptr_array_new_with_free_func(step_free);
    g_ptr_array_add(t->history, new_step("set", t->date, t->time, d, dl));
    g_ptr_array_add(c->deadlines, t);
}

static void build_case(tl_case *c)
{
    for (guint i = 0; i < c->docs->len; i++) {
        tl_doc *d = c->docs->pdata[i];
        JsonArray *chg = cli_json_array(d->root, "changes");
        JsonArray *dls = cli_json_array(d->root, "deadlines");
        GHashTable *taken = g_hash_table_new(g_str_hash, g_str_equal);

        for (guint k = 0; chg && k < json_array_get_length(chg); k++) {
            JsonObject *ch = json_array_get_object_element(chg, k);
            /* the new date of a linked change is that deadline's, not a
             * deadline of its own; an unlinked change's new date (the
             * earlier order is not among the inputs) stays one */
            if (apply_change(c, d, ch) && cli_json_string(ch, "deadline"))
                g_hash_table_add(taken, (gpointer)cli_json_string(ch, "deadline"));
        }
        for (guint k = 0; dls && k < json_array_get_length(dls); k++) {
            JsonObject *dl = json_array_get_object_element(dls, k);
            if (!g_hash_table_contains(taken, cli_json_string(dl, "id")))
                add_deadline(c, d, dl);
        }
        g_hash_table_destroy(taken);
    }
}

/* ---- Output ------------------------------------------------------------ */

static void set_str(JsonBuilder *b, const char *key, const char *v)
{
    json_builder_set_member_name(b, key);
    if (v)
        json_builder_add_string_value(b, v);
    else
        json_builder_add_null_value(b);
}

static void add_step(JsonBuilder *b, const tl_step *s)
{
    json_builder_begin_object(b);
    set_str(b, "status", s->status);
    set_str(b, "date", s->date);
    set_str(b, "time", s->time);
    set_str(b, "document", s->doc->path);
    set_str(b, "docket_entry", cli_json_string(s->doc->cs, "docket_entry"));
    set_str(b, "document_date", s->doc->date);
    json_builder_set_member_name(b, "page");
    json_builder_add_int_value(b, s->page);
    set_str(b, "text", s->text);
    set_str(b, "rule", s->rule);
    json_builder_end_object(b);
}

static void add_case_json(JsonBuilder *b, const tl_case *c)
{
    tl_doc *first = c->docs->pdata[0];

    json_builder_begin_object(b);
    set_str(b, "case_number_normalized", cli_json_string(first->cs, "case_number_normalized"));
    set_str(b, "case_number", cli_json_string(first->cs, "case_number"));
    set_str(b, "court_id", cli_json_string(first->cs, "court_id"));
    set_str(b, "time_zone", cli_json_string(first->cs, "time_zone"));
    set_str(b, "caption", cli_json_string(first->cs, "caption"));
    json_builder_set_member_name(b, "documents");
    json_builder_begin_array(b);
    for (guint i = 0; i < c->docs->len; i++) {
        tl_doc *d = c->docs->pdata[i];
        json_builder_begin_object(b);
        set_str(b, "file", d->path);
        set_str(b, "sha256", cli_json_string(d->src, "sha256"));
        set_str(b, "date", d->date);
        set_str(b, "docket_entry", cli_json_string(d->cs, "docket_entry"));
        set_str(b, "title", cli_json_string(d->cs, "title"));
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_set_member_name(b, "deadlines");
    json_builder_begin_array(b);
    for (guint i = 0; i < c->deadlines->len; i++) {
        tl_deadline *t = c->deadlines->pdata[i];
        char *uid = cli_deadline_uid(t->origin->root, t->dl);
        json_builder_begin_object(b);
        set_str(b, "uid", uid);
        set_str(b, "status", t->status);
        set_str(b, "date", t->date);
        set_str(b, "time", t->time);
        set_str(b, "party", cli_json_string(t->dl, "party"));
        set_str(b, "action", cli_json_string(t->dl, "action"));
        set_str(b, "event", cli_json_string(t->dl, "event"));
        set_str(b, "text", cli_json_string(t->dl, "text"));
        json_builder_set_member_name(b, "history");
        json_builder_begin_array(b);
        for (guint k = 0; k < t->history->len; k++)
            add_step(b, t->history->pdata[k]);
        json_builder_end_array(b);
        json_builder_end_object(b);
        g_free(uid);
    }
    json_builder_end_array(b);
    json_builder_set_member_name(b, "unlinked_changes");
    json_builder_begin_array(b);
    for (guint i = 0; i < c->unlinked->len; i++)
        add_step(b, c->unlinked->pdata[i]);
    json_builder_end_array(b);
    json_builder_end_object(b);
}

static void add_case_events(cli_calendar *cal, const tl_case *c)
{
    for (guint i = 0; i < c->deadlines->len; i++) {
        tl_deadline *t = c->deadlines->pdata[i];
        tl_step *last = t->history->pdata[t->history->len - 1];
        cli_event *e;
        GString *d;
        char *summary;
        bool live = strcmp(t->status, "set") == 0 || strcmp(t->status, "extended") == 0
                    || strcmp(t->status, "continued") == 0 || strcmp(t->status, "reset") == 0;

        if (!t->date)
            continue;
        e = g_new0(cli_event, 1);
        e->uid = cli_deadline_uid(t->origin->root, t->dl);
        e->date = g_strdup(t->date);
        e->time = g_strdup(t->time);
        e->zone = g_strdup(cli_json_string(t->origin->cs, "time_zone"));
        summary = cli_deadline_summary(t->origin->root, t->dl);
        if (strcmp(t->status, "set") == 0) {
            e->summary = summary;
        } else {
            char *up = g_ascii_strup(t->status, -1);
            e->summary = g_strdup_printf("%s: %s", up, summary);
            g_free(up);
            g_free(summary);
        }
        d = g_string_new(NULL);
        cli_deadline_description(d, t->origin->root, t->dl);
        g_string_append(d, "\nHistory:");
        for (guint k = 0; k < t->history->len; k++) {
            tl_step *s = t->history->pdata[k];
            g_string_append_printf(d, "\n%s %s%s%s - %s", s->status, s->date ? s->date : "",
                                   s->time ? " " : "", s->time ? s->time : "", s->doc->path);
            if (cli_json_string(s->doc->cs, "docket_entry"))
                g_string_append_printf(d, " (ECF No. %s)", cli_json_string(s->doc->cs, "docket_entry"));
            g_string_append_printf(d, ", page %ld: %s", s->page, s->text ? s->text : "");
        }
        e->description = g_string_free(d, FALSE);
        e->sequence = (int)t->history->len - 1;
        e->cancelled = !live;
        e->stamp = g_strdup(last->doc->date ? last->doc->date : t->date);
        cli_calendar_take(cal, e);
    }
}

static void case_free(gpointer p)
{
    tl_case *c = p;

    g_ptr_array_free(c->docs, TRUE);
    g_ptr_array_free(c->deadlines, TRUE);
    g_ptr_array_free(c->unlinked, TRUE);
    g_free(c);
}

int cli_timeline_main(int argc, char **argv)
{
    GOptionContext *ctx;
    GError *err = NULL;
    ordex_engine *e = NULL;
    ordex_status st;
    GPtrArray *inputs = NULL, *docs = NULL, *cases = NULL;
    GHashTable *by_key = NULL;
    int code = EXIT_OK;

    ctx = g_option_context_new("INPUT...  - the deadlines of each case across its orders");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_description(ctx, timeline_help);
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        fprintf(stderr, "ordex: %s (see ordex timeline --help)\n", err->message);
        g_error_free(err);
        g_option_context_free(ctx);
        return EXIT_USAGE;
    }
    g_option_context_free(ctx);
    if (opt.ocr && cli_ocr_mode(opt.ocr) < 0) {
        fprintf(stderr, "ordex: unknown --ocr mode '%s' (expected auto, always or never)\n",
                opt.ocr);
        code = EXIT_USAGE;
        goto done;
    }
    if (argc < 2) {
        fprintf(stderr, "ordex: timeline: expected at least one input (see ordex timeline --help)\n");
        code = EXIT_USAGE;
        goto done;
    }
    inputs = cli_collect_inputs(argc - 1, argv + 1);
    if (!inputs) {
        code = EXIT_INPUT;
        goto done;
    }
    if (inputs->len == 0) {
        fprintf(stderr, "ordex: timeline: no PDF or text file among the inputs\n");
        code = EXIT_INPUT;
        goto done;
    }
    e = cli_engine_new(opt.no_default_grammars, opt.grammar_dirs, NULL, &st);
    if (st != ORDEX_OK) {
        code = cli_exit_for(st);
        goto done;
    }
    ordex_engine_set_ocr(e, cli_ocr_mode(opt.ocr));

    docs = g_ptr_array_new_with_free_func(doc_free);
    for (guint i = 0; i < inputs->len; i++) {
        tl_doc *d;
        code = read_doc(e, inputs->pdata[i], &d);
        if (code != EXIT_OK)
            goto done;
        g_ptr_array_add(docs, d);
    }
    g_ptr_array_sort(docs, cmp_doc);

    cases = g_ptr_array_new_with_free_func(case_free);
    by_key = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < docs->len; i++) {
        tl_doc *d = docs->pdata[i];
        const char *key = cli_json_string(d->cs, "case_number_normalized");
        tl_case *c;
        if (!key)
            key = cli_json_string(d->cs, "case_number");
        if (!key)
            key = d->path; /* a case of its own */
        c = g_hash_table_lookup(by_key, key);
        if (!c) {
            c = g_new0(tl_case, 1);
            c->key = key;
            c->docs = g_ptr_array_new();
            c->deadlines = g_ptr_array_new_with_free_func(deadline_free);
            c->unlinked = g_ptr_array_new_with_free_func(step_free);
            g_hash_table_insert(by_key, (gpointer)key, c);
            g_ptr_array_add(cases, c);
        }
        g_ptr_array_add(c->docs, d);
    }
    for (guint i = 0; i < cases->len; i++)
        build_case(cases->pdata[i]);

    {
        JsonBuilder *b = json_builder_new();
        JsonGenerator *gen = json_generator_new();
        JsonNode *root;
        char *s, *out;

        json_builder_begin_object(b);
        set_str(b, "timeline", TIMELINE_VERSION);
        set_str(b, "ordex", ordex_version());
        json_builder_set_member_name(b, "cases");
        json_builder_begin_array(b);
        for (guint i = 0; i < cases->len; i++)
            add_case_json(b, cases->pdata[i]);
        json_builder_end_array(b);
        json_builder_end_object(b);
        root = json_builder_get_root(b);
        json_generator_set_root(gen, root);
        json_generator_set_pretty(gen, opt.pretty);
        json_generator_set_indent(gen, 2);
        s = json_generator_to_data(gen, NULL);
        out = g_strconcat(s, "\n", NULL);
        if (opt.ics) {
            cli_calendar *cal = cli_calendar_new();
            for (guint i = 0; i < cases->len; i++)
                add_case_events(cal, cases->pdata[i]);
            code = cli_calendar_write(cal, opt.ics);
            cli_calendar_free(cal);
        }
        if (code == EXIT_OK)
            code = cli_write_output(opt.output ? opt.output : "-", out);
        g_free(s);
        g_free(out);
        json_node_unref(root);
        g_object_unref(gen);
        g_object_unref(b);
    }

done:
    if (by_key)
        g_hash_table_destroy(by_key);
    if (cases)
        g_ptr_array_free(cases, TRUE);
    if (docs)
        g_ptr_array_free(docs, TRUE);
    if (inputs)
        g_ptr_array_free(inputs, TRUE);
    ordex_engine_free(e);
    g_free(opt.output);
    g_free(opt.ics);
    g_free(opt.ocr);
    g_strfreev(opt.grammar_dirs);
    return code;
}

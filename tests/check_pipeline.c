/*
 * check_pipeline.c - stages 2-6 end to end through the public API, from
 * plain text (no PDF): case metadata, directives, deadlines with Rule 6(a),
 * links between them, datasets, and the record accessors.
 *
 * Uses the grammars of the checkout (ORDEX_GRAMMAR_DIR=grammars); one test
 * checks that those compiled into the library are the same files and give
 * the same JSON.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "grammar_p.h"

static ordex_engine *engine;

static int strcmp_ptr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void setup(void)
{
    setenv("ORDEX_GRAMMAR_DIR", "grammars", 0);
    engine = ordex_engine_new(0);
    ck_assert_ptr_nonnull(engine);
    ck_assert_int_eq(ordex_engine_compile(engine), ORDEX_OK);
}

static void teardown(void)
{
    ordex_engine_free(engine);
    engine = NULL;
}

static ordex_result *run(const char *text)
{
    ordex_document *doc = NULL;
    ordex_result *res = NULL;

    ck_assert_int_eq(ordex_document_open_text(engine, text, strlen(text),
                                              "test.txt", &doc), ORDEX_OK);
    ck_assert_int_eq(ordex_extract(doc, &res), ORDEX_OK);
    ordex_document_free(doc);
    return res;
}

static const char *field(const ordex_result *r, const char *kind, size_t i,
                         const char *name)
{
    const ordex_record *rec = ordex_result_record(r, kind, i);
    ck_assert_msg(rec != NULL, "no record %s[%zu]", kind, i);
    return ordex_record_string(rec, name);
}

static const char order_text[] =
    "UNITED STATES DISTRICT COURT\n"
    "SOUTHERN DISTRICT OF NEW YORK\n"
    "\n"
    "IN RE OPENAI, INC. COPYRIGHT INFRINGEMENT LITIGATION\n"
    "\n"
    "No. 25-md-3143 (SHS) (OTW)\n"
    "\n"
    "OPINION & ORDER\n"
    "\n"
    "Plaintiffs allege that OpenAI used the LibGen collection to build the "
    "Books1 and Books 2 datasets. On October 1, 2025, the Court ordered the "
    "parties to submit a joint letter by October 15, 2025.\n"
    "\n"
    "Under Rule 72(a), a party may serve objections within fourteen days "
    "after being served with a copy.\n"
    "\n"
    "1. By December 8, 2025, OpenAI shall produce the communications the "
    "Court reviewed in camera.\n"
    "\n"
    "2. Plaintiffs shall file a reply within fourteen (14) days of the date "
    "of this Order.\n"
    "\n"
    "3. OpenAI shall not destroy any documents concerning Library Genesis.\n"
    "\n"
    "4. A status conference will be held on January 6, 2026 at 2:00 p.m.\n"
    "\n"
    "SO ORDERED.\n"
    "\n"
    "Dated: New York, New York November 24, 2025\n"
    "\n"
    "ONA T. WANG United States Magistrate Judge\n";

START_TEST(test_case_metadata)
{
    ordex_result *r = run(order_text);

    ck_assert_str_eq(field(r, "case", 0, "court"),
                     "United States District Court for the Southern District of New York");
    ck_assert_str_eq(field(r, "case", 0, "court_id"), "nysd");
    ck_assert_str_eq(field(r, "case", 0, "case_number"), "25-md-3143 (SHS) (OTW)");
    ck_assert_str_eq(field(r, "case", 0, "case_number_normalized"), "25-md-03143");
    ck_assert_str_eq(field(r, "case", 0, "title"), "OPINION & ORDER");
    ck_assert_str_eq(field(r, "case", 0, "date"), "2025-11-24");
    ck_assert_str_eq(field(r, "case", 0, "judge"), "Ona T. Wang");
    ck_assert_str_eq(field(r, "case", 0, "judge_title"), "United States Magistrate Judge");
    ordex_result_free(r);
}
END_TEST

START_TEST(test_directives)
{
    ordex_result *r = run(order_text);

    ck_assert_uint_eq(ordex_result_count(r, "directives"), 3);
    ck_assert_str_eq(field(r, "directives", 0, "actor"), "OpenAI");
    ck_assert_str_eq(field(r, "directives", 0, "action"), "produce");
    ck_assert_str_eq(field(r, "directives", 0, "modality"), "must");
    ck_assert_str_eq(field(r, "directives", 0, "deadline"), "t1");
    ck_assert_str_eq(field(r, "directives", 1, "actor"), "Plaintiffs");
    ck_assert_str_eq(field(r, "directives", 1, "action"), "file");
    ck_assert_str_eq(field(r, "directives", 2, "modality"), "must_not");
    ck_assert_str_eq(field(r, "directives", 2, "action"), "destroy");
    ck_assert_ptr_null(field(r, "directives", 2, "deadline"));
    ordex_result_free(r);
}
END_TEST

START_TEST(test_deadlines)
{
    ordex_result *r = run(order_text);

    /* History (October 15) and the Rule 72(a) period are not deadlines. */
    ck_assert_uint_eq(ordex_result_count(r, "deadlines"), 3);
    ck_assert_str_eq(field(r, "deadlines", 0, "date"), "2025-12-08");
    ck_assert_str_eq(field(r, "deadlines", 0, "kind"), "absolute");
    ck_assert_str_eq(field(r, "deadlines", 0, "party"), "OpenAI");
    ck_assert_str_eq(field(r, "deadlines", 0, "directive"), "d1");
    /* November 24, 2025 + 14 days = December 8, 2025 (a Monday). */
    ck_assert_str_eq(field(r, "deadlines", 1, "date"), "2025-12-08");
    ck_assert_str_eq(field(r, "deadlines", 1, "kind"), "relative");
    ck_assert_str_eq(field(r, "deadlines", 1, "computation"),
                     "2025-11-24 + 14 days = 2025-12-08");
    ck_assert_str_eq(field(r, "deadlines", 1, "party"), "Plaintiffs");
    ck_assert_str_eq(field(r, "deadlines", 2, "date"), "2026-01-06");
    ck_assert_str_eq(field(r, "deadlines", 2, "time"), "14:00");
    ck_assert_str_eq(field(r, "deadlines", 2, "action"), "appear");
    ordex_result_free(r);
}
END_TEST

START_TEST(test_rule6_rolls_forward)
{
    /* October 23, 2025 + 30 days = November 22, 2025, a Saturday: the
     * period runs to Monday, November 24. */
    ordex_result *r = run("The parties shall file a joint report within thirty "
                          "(30) days of the date of this Order.\n\n"
                          "Dated: October 23, 2025\n");

    ck_assert_uint_eq(ordex_result_count(r, "deadlines"), 1);
    ck_assert_str_eq(field(r, "deadlines", 0, "date"), "2025-11-24");
    ck_assert_str_eq(field(r, "deadlines", 0, "computation"),
                     "2025-10-23 + 30 days = 2025-11-22 (Saturday); "
                     "rolled forward to Monday 2025-11-24");
    ordex_result_free(r);
}
END_TEST

START_TEST(test_datasets_merge)
{
    ordex_result *r = run(order_text);
    const ordex_record *rec;
    size_t n = ordex_result_count(r, "datasets");
    bool lg = false, b2 = false;

    for (size_t i = 0; i < n; i++) {
        const char *name = field(r, "datasets", i, "name");
        lg |= strcmp(name, "Library Genesis") == 0;
        b2 |= strcmp(name, "Books2") == 0;
    }
    ck_assert(lg);
    ck_assert(b2);
    rec = ordex_result_record(r, "datasets", 0);
    ck_assert_ptr_nonnull(rec);
    ordex_result_free(r);
}
END_TEST

START_TEST(test_positions)
{
    ordex_result *r = run(order_text);
    const ordex_record *rec = ordex_result_record(r, "deadlines", 0);
    int page = -1;
    long start = -1, end = -1;
    double bbox[4] = {1, 1, 1, 1};
    const char *p = strstr(order_text, "By December 8, 2025");

    ck_assert_ptr_nonnull(rec);
    /* Text input has offsets but no page or box. */
    ordex_record_position(rec, &page, &start, &end, bbox);
    ck_assert_int_eq(page, 0);
    ck_assert_int_gt(end, start);
    ck_assert(p != NULL);
    ck_assert_double_eq(bbox[0], 0);
    ordex_result_free(r);
}
END_TEST

START_TEST(test_json_deterministic)
{
    ordex_result *a = run(order_text);
    ordex_result *b = run(order_text);
    char *ja = ordex_result_to_json(a, 0);
    char *jb = ordex_result_to_json(b, ORDEX_JSON_PRETTY);
    char *jc = ordex_result_to_json(b, 0);

    ck_assert_ptr_nonnull(ja);
    ck_assert_str_eq(ja, jc);
    ck_assert_ptr_nonnull(strstr(jb, "\n  \"schema\" : \"ordex-3\""));
    ck_assert_ptr_null(ordex_result_to_json(a, 0x80));
    ordex_free(ja);
    ordex_free(jb);
    ordex_free(jc);
    ordex_result_free(a);
    ordex_result_free(b);
}
END_TEST

START_TEST(test_api_errors)
{
    ordex_document *doc = (ordex_document *)1;
    ordex_result *res = (ordex_result *)1;

    ck_assert_ptr_null(ordex_engine_new(0x100));
    ck_assert_int_eq(ordex_engine_set_encoding(engine, "UTF-8"), ORDEX_OK);
    ck_assert_int_eq(ordex_document_open_text(engine, "ab\xff\xfe", 4, "bad.txt", &doc),
                     ORDEX_ERR_UTF8);
    ck_assert_ptr_null(doc);
    ck_assert_int_eq(ordex_engine_set_input(engine, (ordex_input)7), ORDEX_ERR_ARG);
    ck_assert_int_eq(ordex_extract(NULL, &res), ORDEX_ERR_ARG);
    ck_assert_ptr_null(res);
    ck_assert_str_eq(ordex_strerror(ORDEX_ERR_ENCRYPTED), "encrypted PDF");
    ck_assert_int_eq(ordex_engine_set_limit(engine, ORDEX_LIMIT_N_LIMITS, 1), ORDEX_ERR_ARG);
    ordex_engine_free(NULL);
    ordex_document_free(NULL);
    ordex_result_free(NULL);
    ordex_free(NULL);
}
END_TEST

static void quiet(const char *msg, void *data)
{
    (void)msg;
    (*(int *)data)++;
}

START_TEST(test_error_handler)
{
    int calls = 0;
    ordex_document *doc = NULL;

    ordex_engine_set_error_handler(engine, quiet, &calls);
    ck_assert_int_eq(ordex_document_open_file(engine, "/nonexistent/x.pdf", NULL, &doc),
                     ORDEX_ERR_IO);
    ck_assert_int_eq(calls, 1);
}
END_TEST

/* Text in a legacy encoding: ICU's detector finds Latin-1 when the bytes
 * are not UTF-8; a forced encoding is used as given; bytes that are not
 * a PDF are taken as text by content, whatever the name, except *.pdf.
 * source.sha256 is that of the bytes given, pages counts form feeds. */
static const char latin1_order[] =
    "ORDER\n\nPlaintiff shall file the joint report on the Caf\xe9 lease "
    "by December 8, 2025.\n\f\nDefendant shall respond by January 9, 2026.\n";

static char *msgs;

static void keep_msg(const char *message, void *user_data)
{
    (void)user_data;
    g_free(msgs);
    msgs = g_strdup(message);
}

START_TEST(test_text_encodings)
{
    size_t len = strlen(latin1_order);
    ordex_document *doc = NULL;
    ordex_result *res = NULL;
    char *hex = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
                                            (const guchar *)latin1_order, len);
    char *json;

    ck_assert_int_eq(ordex_document_open_memory(engine, latin1_order, len, NULL,
                                                "order", &doc), ORDEX_OK);
    ck_assert_int_eq(ordex_document_page_count(doc), 2);
    ck_assert_int_eq(ordex_extract(doc, &res), ORDEX_OK);
    ck_assert_str_eq(field(res, "directives", 0, "text"),
                     "Plaintiff shall file the joint report on the Caf\u00e9 "
                     "lease by December 8, 2025.");
    ck_assert_str_eq(field(res, "deadlines", 1, "date"), "2026-01-09");
    json = ordex_result_to_json(res, 0);
    ck_assert_ptr_nonnull(strstr(json, hex));
    ck_assert_ptr_nonnull(strstr(json, "\"input\":\"text\""));
    ordex_free(json);
    ordex_result_free(res);
    ordex_document_free(doc);
    g_free(hex);

    /* Forced: windows-1251 reads 0xe9 as CYRILLIC SMALL LETTER SHORT I. */
    ck_assert_int_eq(ordex_engine_set_encoding(engine, "windows-1251"), ORDEX_OK);
    res = run(latin1_order);
    ck_assert_ptr_nonnull(strstr(field(res, "directives", 0, "text"),
                                 "Caf\u0439 lease"));
    ordex_result_free(res);

    /* Forced to UTF-8: the Latin-1 byte is an error, with its offset. */
    ordex_engine_set_error_handler(engine, keep_msg, NULL);
    ck_assert_int_eq(ordex_engine_set_encoding(engine, "UTF-8"), ORDEX_OK);
    ck_assert_int_eq(ordex_document_open_text(engine, latin1_order, len, "o.txt", &doc),
                     ORDEX_ERR_UTF8);
    ck_assert_str_eq(msgs, "o.txt: invalid UTF-8 at byte 55");
    ck_assert_int_eq(ordex_engine_set_encoding(engine, "no-such-charset"), ORDEX_ERR_ARG);
    ck_assert_str_eq(msgs, "unknown encoding 'no-such-charset'");
    ck_assert_int_eq(ordex_engine_set_encoding(engine, NULL), ORDEX_OK);

    /* By content: a name ending in .pdf stays a PDF; --input text forces. */
    ck_assert_int_eq(ordex_document_open_memory(engine, latin1_order, len, NULL,
                                                "order.pdf", &doc), ORDEX_ERR_NOT_PDF);
    ck_assert_str_eq(msgs, "order.pdf: not a PDF file");
    ck_assert_int_eq(ordex_engine_set_input(engine, ORDEX_INPUT_TEXT), ORDEX_OK);
    ck_assert_int_eq(ordex_document_open_memory(engine, latin1_order, len, NULL,
                                                "order.pdf", &doc), ORDEX_OK);
    ordex_document_free(doc);
    ck_assert_int_eq(ordex_engine_set_input(engine, ORDEX_INPUT_PDF), ORDEX_OK);
    ck_assert_int_eq(ordex_document_open_memory(engine, latin1_order, len, NULL,
                                                "order", &doc), ORDEX_ERR_NOT_PDF);
    g_free(msgs);
    msgs = NULL;
}
END_TEST

/* Trigger words only spare rules the blocks that cannot match: the JSON
 * of every sample, and of the real corpus when it is present, is the
 * same with them and without them. */
static char *json_of(ordex_engine *e, const char *path)
{
    ordex_document *doc = NULL;
    ordex_result *res = NULL;
    char *json = NULL;
    ordex_status st;

    if (g_str_has_suffix(path, ".pdf")) {
        st = ordex_document_open_file(e, path, NULL, &doc);
    } else {
        gchar *text = NULL;
        gsize len = 0;
        ck_assert(g_file_get_contents(path, &text, &len, NULL));
        st = ordex_document_open_text(e, text, len, path, &doc);
        g_free(text);
    }
    if (st != ORDEX_OK)
        return g_strdup_printf("open: %s", ordex_strerror(st));
    st = ordex_extract(doc, &res);
    if (st == ORDEX_OK)
        json = ordex_result_to_json(res, 0);
    else
        json = g_strdup_printf("extract: %s", ordex_strerror(st));
    ordex_result_free(res);
    ordex_document_free(doc);
    return json;
}

/* Every member of the two JSON documents is the same, except that a rule
 * skipped on a block for want of its trigger words cannot hit a regex
 * limit there: the warnings with triggers are a subset of those without. */
static void same_records(const char *path, const char *on, const char *off)
{
    JsonParser *pa = json_parser_new(), *pb = json_parser_new();
    JsonObject *a, *b;
    GList *members;

    if (strcmp(on, off) == 0)
        goto out;
    ck_assert_msg(json_parser_load_from_data(pa, on, -1, NULL), "%s: %s", path, on);
    ck_assert_msg(json_parser_load_from_data(pb, off, -1, NULL), "%s: %s", path, off);
    a = json_node_get_object(json_parser_get_root(pa));
    b = json_node_get_object(json_parser_get_root(pb));
    members = json_object_get_members(a);
    for (GList *l = members; l; l = l->next) {
        const char *m = l->data;
        JsonNode *na = json_object_get_member(a, m), *nb = json_object_get_member(b, m);
        ck_assert_msg(nb != NULL, "%s: '%s' only with triggers", path, m);
        if (strcmp(m, "warnings") == 0) {
            JsonArray *wa = json_node_get_array(na), *wb = json_node_get_array(nb);
            for (guint i = 0; i < json_array_get_length(wa); i++) {
                char *w = json_to_string(json_array_get_element(wa, i), FALSE);
                bool found = false;
                for (guint k = 0; k < json_array_get_length(wb) && !found; k++) {
                    char *x = json_to_string(json_array_get_element(wb, k), FALSE);
                    found = strcmp(w, x) == 0;
                    g_free(x);
                }
                ck_assert_msg(found, "%s: warning %s only with triggers", path, w);
                g_free(w);
            }
        } else {
            char *sa = json_to_string(na, FALSE), *sb = json_to_string(nb, FALSE);
            ck_assert_msg(strcmp(sa, sb) == 0, "%s: triggers change '%s'", path, m);
            g_free(sa);
            g_free(sb);
        }
    }
    g_list_free(members);
out:
    g_object_unref(pa);
    g_object_unref(pb);
}

static int compare_dir(ordex_engine *off, const char *dir, const char *suffix)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    int n = 0;

    if (!d)
        return 0;
    while ((name = g_dir_read_name(d))) {
        char *path, *a, *b;
        if (!g_str_has_suffix(name, suffix))
            continue;
        path = g_build_filename(dir, name, NULL);
        a = json_of(engine, path);
        b = json_of(off, path);
        same_records(path, a, b);
        g_free(a);
        g_free(b);
        g_free(path);
        n++;
    }
    g_dir_close(d);
    return n;
}

START_TEST(test_triggers_change_nothing)
{
    ordex_engine *off = ordex_engine_new(0);
    int n;

    ck_assert_int_eq(ordex_engine_compile(off), ORDEX_OK);
    /* text layers only: OCR is not what is compared, and is slow */
    ck_assert_int_eq(ordex_engine_set_ocr(engine, ORDEX_OCR_NEVER), ORDEX_OK);
    ck_assert_int_eq(ordex_engine_set_ocr(off, ORDEX_OCR_NEVER), ORDEX_OK);
    /* engine: the Hyperscan prefilter and the trigger words; off: every
     * rule on every block.  All 104 shipped rules of 2026-12-02 are in the
     * prefilter; a rule without necessary literals runs everywhere, which
     * is allowed but should stay rare (at most a tenth). */
    ck_assert_int_gt(od_grammar_set_n_triggers(od_engine_grammars(engine)), 0);
    ck_assert_uint_ge(
        od_prefilter_n_covered(od_grammar_set_prefilter(od_engine_grammars(engine))) * 10,
        od_grammar_set_n_rules(od_engine_grammars(engine)) * 9);
    od_grammar_set_use_triggers(od_engine_grammars(off), false);
    ck_assert_int_eq(od_grammar_set_n_triggers(od_engine_grammars(off)), 0);
    ck_assert_ptr_null(od_grammar_set_prefilter(od_engine_grammars(off)));
    n = compare_dir(off, "samples", ".txt") + compare_dir(off, "samples", ".pdf");
    ck_assert_int_ge(n, 8);
    /* the real corpus, when it is there */
    compare_dir(off, "../shared/corpus/real", ".pdf");
    ordex_engine_free(off);
}
END_TEST

/* The grammars compiled into the library are the files grammars/NAME.rules,
 * byte for byte, and an engine without ORDEX_GRAMMAR_DIR uses them. */
START_TEST(test_shipped_grammars)
{
    GDir *d = g_dir_open("grammars", 0, NULL);
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    const char *n, *data = NULL;
    char *env = g_strdup(g_getenv("ORDEX_GRAMMAR_DIR"));
    char *want_json, *got_json;
    ordex_engine *shipped;
    ordex_result *r;
    size_t len = 0;

    ck_assert_ptr_nonnull(d);
    while ((n = g_dir_read_name(d)))
        if (g_str_has_suffix(n, ".rules"))
            g_ptr_array_add(files, g_strdup(n));
    g_dir_close(d);
    g_ptr_array_sort(files, strcmp_ptr);
    ck_assert_uint_ge(files->len, 8);
    for (guint i = 0; i < files->len; i++) {
        char *path = g_build_filename("grammars", g_ptr_array_index(files, i), NULL);
        char *text = NULL;
        gsize tlen = 0;
        ck_assert(g_file_get_contents(path, &text, &tlen, NULL));
        n = ordex_shipped_grammar(i, &data, &len);
        ck_assert_msg(n != NULL, "shipped grammar %u missing", i);
        ck_assert_str_eq(n, g_ptr_array_index(files, i));
        ck_assert_uint_eq(len, tlen);
        ck_assert(memcmp(data, text, len) == 0);
        ck_assert_str_eq(ordex_shipped_grammar(i, NULL, NULL), n);
        g_free(text);
        g_free(path);
    }
    ck_assert_ptr_null(ordex_shipped_grammar(files->len, &data, &len));
    ck_assert_ptr_null(ordex_shipped_grammar((size_t)-1, NULL, NULL));
    ck_assert_str_eq(ordex_shipped_grammar(0, NULL, NULL), "attorneys.rules");

    r = run(order_text);
    want_json = ordex_result_to_json(r, 0);
    ordex_result_free(r);
    unsetenv("ORDEX_GRAMMAR_DIR");
    shipped = ordex_engine_new(0);
    ck_assert_int_eq(ordex_engine_compile(shipped), ORDEX_OK);
    if (env)
        setenv("ORDEX_GRAMMAR_DIR", env, 1);
    {
        ordex_engine *folder = engine;
        engine = shipped;
        r = run(order_text);
        engine = folder;
    }
    got_json = ordex_result_to_json(r, 0);
    ck_assert_str_eq(got_json, want_json);
    ck_assert_uint_eq(ordex_result_count(r, "deadlines"), 3);
    ck_assert_str_eq(field(r, "deadlines", 0, "date"), "2025-12-08");
    ordex_result_free(r);
    ordex_free(got_json);
    ordex_free(want_json);
    ordex_engine_free(shipped);
    g_free(env);
    g_ptr_array_free(files, TRUE);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pipeline");
    TCase *tc = tcase_create("text");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_case_metadata);
    tcase_add_test(tc, test_directives);
    tcase_add_test(tc, test_deadlines);
    tcase_add_test(tc, test_rule6_rolls_forward);
    tcase_add_test(tc, test_datasets_merge);
    tcase_add_test(tc, test_positions);
    tcase_add_test(tc, test_json_deterministic);
    tcase_add_test(tc, test_api_errors);
    tcase_add_test(tc, test_error_handler);
    tcase_add_test(tc, test_text_encodings);
    tcase_add_test(tc, test_triggers_change_nothing);
    tcase_add_test(tc, test_shipped_grammars);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

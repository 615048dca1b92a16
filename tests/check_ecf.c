/*
 * check_ecf.c - unit tests of the CM/ECF stamp parser (parser/ecf.c):
 * every stamp variant seen in the corpus with its exact fields, and
 * look-alikes that must be rejected (with the shipped stamp.rules, which a
 * thread uses when it has set none), and a set of rules of one's own set
 * for the thread with od_ecf_use.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "ordex_p.h"

static od_ecf parse_ok(const char *line)
{
    od_ecf e;

    memset(&e, 0x55, sizeof e);
    ck_assert_msg(od_ecf_parse(line, strlen(line), &e), "not a stamp: %s",
                  line);
    return e;
}

static void expect(const char *line, const char *case_number,
                   const char *document, const char *filed, int page,
                   int page_count, const char *page_id)
{
    od_ecf e = parse_ok(line);

    ck_assert_str_eq(e.case_number, case_number);
    ck_assert_str_eq(e.document, document);
    ck_assert_str_eq(e.filed, filed);
    ck_assert_int_eq(e.page, page);
    ck_assert_int_eq(e.page_count, page_count);
    ck_assert_str_eq(e.page_id, page_id);
}

START_TEST(district_plain)
{
    expect("Case 1:25-md-03143-SHS-OTW Document 812 Filed 11/24/25 Page 2 of 5",
           "1:25-md-03143-SHS-OTW", "812", "2025-11-24", 2, 5, "");
    expect("Case 3:18-cv-06972-JST Document 713 Filed 06/10/21 Page 1 of 11",
           "3:18-cv-06972-JST", "713", "2021-06-10", 1, 11, "");
    expect("Case 1:12-cv-05708-ER Document 11 Filed 09/27/13 Page 1 of 15",
           "1:12-cv-05708-ER", "11", "2013-09-27", 1, 15, "");
}
END_TEST

START_TEST(district_page_id)
{
    expect("Case 2:15-cv-05642-CAS-JC Document 398 Filed 08/03/17 Page 1 of 37 "
           "Page ID #:9345",
           "2:15-cv-05642-CAS-JC", "398", "2017-08-03", 1, 37, "9345");
    expect("Case: 1:20-cv-01234 Document #: 56 Filed: 03/02/21 Page 1 of 5 "
           "PageID #:789",
           "1:20-cv-01234", "56", "2021-03-02", 1, 5, "789");
    /* PageID split onto the next line by the layout */
    expect("Case 2:16-cv-06794-AB-JC Document 238-1 Filed 06/03/19 Page 1 of 12 "
           "Page ID",
           "2:16-cv-06794-AB-JC", "238-1", "2019-06-03", 1, 12, "");
}
END_TEST

START_TEST(district_variants)
{
    expect("Case 1:19-cv-01234-KLM Document 9 Filed 03/02/20 USDC Colorado "
           "Page 1 of 12",
           "1:19-cv-01234-KLM", "9", "2020-03-02", 1, 12, "");
    expect("Case 1:20-cv-21234-XX Document 5 Entered on FLSD Docket 03/02/2020 "
           "Page 1 of 3",
           "1:20-cv-21234-XX", "5", "2020-03-02", 1, 3, "");
    expect("Case 19-12345-abc Doc 55 Filed 03/02/21 Entered 03/03/21 12:34:56 "
           "Desc Main Document Page 1 of 5",
           "19-12345-abc", "55", "2021-03-02", 1, 5, "");
    /* surrounding whitespace and a transcript's own page number */
    expect("   Case 3:19-cv-05639-WHA Document 79 Filed 04/30/20 Page 2 of 17  2 ",
           "3:19-cv-05639-WHA", "79", "2020-04-30", 2, 17, "");
}
END_TEST

START_TEST(appellate)
{
    expect("Case: 17-2400 Document: 3 Filed: 07/07/2017 Pages: 1", "17-2400",
           "3", "2017-07-07", 0, 1, "");
    expect("Case 12-2209 Document: 00116475093 Page: 1 Date Filed: 01/03/2013 "
           "Entry ID: 5700456",
           "12-2209", "00116475093", "2013-01-03", 1, 0, "");
    expect("Case: 21-2728      Document: 138-2      Page: 1         Date Filed: "
           "08/17/2022",
           "21-2728", "138-2", "2022-08-17", 1, 0, "");
    expect("Appellate Case: 20-1234 Document: 010110412345 Date Filed: "
           "09/14/2020 Page: 1",
           "20-1234", "010110412345", "2020-09-14", 1, 0, "");
}
END_TEST

/* The Eleventh Circuit form; without a document number it is no stamp. */
START_TEST(usca11)
{
    od_ecf e;
    const char *no_doc = "USCA11 Case: 21-12345 Date Filed: 05/06/2022 Page: 1 of 9";
    const char *with_doc =
        "USCA11 Case: 21-12345 Document: 41 Date Filed: 05/06/2022 Page: 1 of 9";

    ck_assert(!od_ecf_parse(no_doc, strlen(no_doc), &e));
    e = parse_ok(with_doc);
    ck_assert_str_eq(e.case_number, "21-12345");
    ck_assert_str_eq(e.document, "41");
    ck_assert_str_eq(e.filed, "2022-05-06");
    ck_assert_int_eq(e.page, 1);
    ck_assert_int_eq(e.page_count, 9);
}
END_TEST

START_TEST(fourth_circuit)
{
    expect("Appeal: 17-2218 Doc: 17 Filed: 10/31/2017 Pg: 1 of 1", "17-2218",
           "17", "2017-10-31", 1, 1, "");
}
END_TEST

START_TEST(two_digit_years)
{
    expect("Case 1:99-cv-00001 Document 1 Filed 12/31/99 Page 1 of 1",
           "1:99-cv-00001", "1", "1999-12-31", 1, 1, "");
    expect("Case 1:69-cv-00001 Document 1 Filed 01/01/69 Page 1 of 1",
           "1:69-cv-00001", "1", "2069-01-01", 1, 1, "");
    expect("Case 1:70-cv-00001 Document 1 Filed 01/01/70 Page 1 of 1",
           "1:70-cv-00001", "1", "1970-01-01", 1, 1, "");
}
END_TEST

START_TEST(rejects_lookalikes)
{
    static const char *const bad[] = {
        "As the Court held in Case 1:25-md-03143 Document 812 Filed 11/24/25 "
        "Page 2 of 5",
        "See Case 1:25-md-03143-SHS-OTW, Document 812, at 3.",
        "Case 1:25-md-03143-SHS-OTW Document 812 was filed in error and is "
        "stricken.",
        "Case 1:25-md-03143-SHS-OTW Document 812",
        "Case 1:25-md-03143-SHS-OTW Document 812 Filed 02/30/25 Page 2 of 5",
        "Case 1:25-md-03143-SHS-OTW Document 812 Filed 13/01/25 Page 2 of 5",
        "Case No. 8:16-cv-1261 DOC (KESx)",
        "Plaintiffs filed Document 812 on November 24, 2025.",
        "",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        od_ecf e;
        ck_assert_msg(!od_ecf_parse(bad[i], strlen(bad[i]), &e),
                      "accepted look-alike: %s", bad[i]);
    }
    ck_assert(!od_ecf_parse(NULL, 0, NULL));
}
END_TEST

START_TEST(length_is_respected)
{
    const char *s = "Case 1:12-cv-05708-ER Document 11 Filed 09/27/13 Page 1 of "
                    "15 and a tail that must not be read";
    size_t n = strlen("Case 1:12-cv-05708-ER Document 11 Filed 09/27/13 Page 1 of 15");
    od_ecf e;

    ck_assert(od_ecf_parse(s, n, &e));
    ck_assert_int_eq(e.page_count, 15);
    ck_assert(!od_ecf_parse(s, strlen(s), &e));
}
END_TEST

/* A stamp variant added by a rule of one's own (the shipped folder plus
 * one file), used by the thread between od_ecf_use(g) and od_ecf_use(NULL). */
START_TEST(rules_of_the_engine)
{
    static const char extra[] =
        "grammar mine 1.0\n"
        "kind stamp\n"
        "rule stamp.mine\n"
        "  flags     nocase\n"
        "  trigger   dktentry\n"
        "  pattern   ^\\s*Case:\\s*(?<case>\\d{2}-\\d{4}),\\s*(?<filed>{{STAMP_DATE}}),"
        "\\s*DktEntry:\\s*(?<document>[\\d.]+),\\s*Page\\s+(?<page>\\d+)\\s+of\\s+(?<of>\\d+)$\n"
        "end\n";
    const char *line = "Case: 24-1234, 03/14/2025, DktEntry: 45.1, Page 2 of 9";
    const char *cmecf = "Case 1:25-md-03143-SHS-OTW Document 812 Filed 11/24/25 Page 2 of 5";
    od_grammar_set *g = od_grammar_set_new();
    GString *errors = g_string_new(NULL);
    char *msg = NULL;
    od_ecf e;

    ck_assert(!od_ecf_parse(line, strlen(line), &e)); /* not shipped */
    ck_assert_msg(od_grammar_set_add_dir(g, "grammars", errors)
                  && od_grammar_set_add_data(g, "mine.rules", extra, strlen(extra), errors)
                  && od_grammar_set_compile(g, errors), "%s", errors->str);
    ck_assert(od_ecf_use(g, &msg));
    ck_assert_ptr_null(msg);
    e = parse_ok(line);
    ck_assert_str_eq(e.case_number, "24-1234");
    ck_assert_str_eq(e.document, "45.1");
    ck_assert_str_eq(e.filed, "2025-03-14");
    ck_assert_int_eq(e.page, 2);
    ck_assert_int_eq(e.page_count, 9);
    ck_assert_str_eq(e.page_id, "");
    e = parse_ok(cmecf); /* the shipped rules are still there */
    ck_assert_str_eq(e.document, "812");
    ck_assert(od_ecf_use(NULL, NULL));
    ck_assert(!od_ecf_parse(line, strlen(line), &e));
    ck_assert(od_ecf_parse(cmecf, strlen(cmecf), &e));
    od_grammar_set_free(g);
    g_string_free(errors, TRUE);
}
END_TEST

static Suite *ecf_suite(void)
{
    Suite *s = suite_create("ecf");
    TCase *tc = tcase_create("stamps");

    tcase_add_test(tc, district_plain);
    tcase_add_test(tc, district_page_id);
    tcase_add_test(tc, district_variants);
    tcase_add_test(tc, appellate);
    tcase_add_test(tc, usca11);
    tcase_add_test(tc, fourth_circuit);
    tcase_add_test(tc, two_digit_years);
    tcase_add_test(tc, rejects_lookalikes);
    tcase_add_test(tc, length_is_respected);
    tcase_add_test(tc, rules_of_the_engine);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(ecf_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

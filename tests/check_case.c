/*
 * check_case.c - unit tests for stage 5's case metadata and the judges it
 * shares with judges[] (grammars/case.rules and judges.rules, and
 * parser/case.c): the presiding judge of a pleading-paper
 * caption and of a minute order's header, panels, authors, and that
 * case.judge is one of judges[].  Each test is one general pattern, written
 * as the text of a made-up filing.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <glib.h>

#include "ordex.h"

static ordex_engine *engine;

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

static const char *case_field(const ordex_result *r, const char *name)
{
    return field(r, "case", 0, name);
}

/* ---- Judges ---------------------------------------------------------------- */

/* The judge line of a pleading-paper caption, in its several spellings; the
 * caption's next column ("Hearing Date") is not part of the name, and a
 * magistrate judge named beside the district judge is not the case's judge. */
START_TEST(test_caption_judge)
{
    static const char *const lines[][2] = {
        {"Hon. Judge Alma R. Quint\n\nHEARING: Date: October 15, 2019\n", "Alma R. Quint"},
        {"Judge: Hon. Boris Lentz\n", "Boris Lentz"},
        {"Judge:\n\nHon. Carla D. Mendes Courtroom 9C\n", "Carla D. Mendes"},
        {"Judge Derek A. Holm\n", "Derek A. Holm"},
        {"Honorable Elena P. Farr Hearing Date: May 1, 2020\n", "Elena P. Farr"},
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        GString *s = g_string_new("UNITED STATES DISTRICT COURT\n\n"
                                  "CENTRAL DISTRICT OF CALIFORNIA\n\n"
                                  "Case No. 2:19-cv-01234-ABC (DEFx)\n\n");
        ordex_result *r;
        g_string_append(s, lines[i][0]);
        r = run(s->str);
        ck_assert_uint_eq(ordex_result_count(r, "judges"), 1);
        ck_assert_str_eq(field(r, "judges", 0, "name"), lines[i][1]);
        ck_assert_str_eq(field(r, "judges", 0, "role"), "presiding");
        ck_assert_str_eq(case_field(r, "judge"), lines[i][1]);
        ordex_result_free(r);
        g_string_free(s, TRUE);
    }
}
END_TEST

START_TEST(test_magistrate)
{
    ordex_result *r = run("Judge:\n\n"
                          "Hon. Dean D. Marsh UNITEDHEALTH GROUP, INC. and ) "
                          "Magistrate: Hon. Paul L. Abner\n");
    ck_assert_uint_eq(ordex_result_count(r, "judges"), 2);
    ck_assert_str_eq(field(r, "judges", 0, "name"), "Dean D. Marsh");
    ck_assert_str_eq(field(r, "judges", 0, "role"), "presiding");
    ck_assert_str_eq(field(r, "judges", 1, "name"), "Paul L. Abner");
    ck_assert_str_eq(field(r, "judges", 1, "role"), "magistrate");
    ck_assert_str_eq(case_field(r, "judge"), "Dean D. Marsh");
    ordex_result_free(r);
}
END_TEST

/* A minute order's header: "Present: The Honorable" and the name on the
 * next line, or both on one line. */
START_TEST(test_minutes_header)
{
    ordex_result *r = run("CIVIL MINUTES - GENERAL\n\n"
                          "Present: The Honorable\n\n"
                          "CLARA M. STEIN, U.S. DISTRICT JUDGE\n\n"
                          "Attorneys Present for Plaintiffs: Not Present\n");
    ck_assert_uint_eq(ordex_result_count(r, "judges"), 1);
    ck_assert_str_eq(field(r, "judges", 0, "name"), "Clara M. Stein");
    ck_assert_str_eq(case_field(r, "judge"), "Clara M. Stein");
    ordex_result_free(r);

    r = run("Present: The Honorable GEORGE H. WOLFE, UNITED STATES DISTRICT JUDGE\n");
    ck_assert_uint_eq(ordex_result_count(r, "judges"), 1);
    ck_assert_str_eq(field(r, "judges", 0, "name"), "George H. Wolfe");
    ck_assert_str_eq(case_field(r, "judge"), "George H. Wolfe");
    ordex_result_free(r);
}
END_TEST

/* Panels with a chief judge in the middle, and the opinion's author. */
START_TEST(test_panel_and_author)
{
    ordex_result *r = run("Before: Ames, Chief Judge, Birch and Cole, Circuit Judges.\n\n"
                          "Opinion for the Court filed by Chief Judge Ames.\n\n"
                          "Ames, Chief Judge: This appeal concerns a bond.\n");
    ck_assert_uint_eq(ordex_result_count(r, "judges"), 3);
    ck_assert_str_eq(field(r, "judges", 0, "name"), "Ames");
    ck_assert_str_eq(field(r, "judges", 0, "role"), "author");
    ck_assert_str_eq(field(r, "judges", 1, "name"), "Birch");
    ck_assert_str_eq(field(r, "judges", 1, "role"), "panel");
    ck_assert_str_eq(field(r, "judges", 2, "name"), "Cole");
    ck_assert_str_eq(case_field(r, "judge"), "Ames");
    ordex_result_free(r);

    r = run("JUSTICE MORLEY delivered the opinion of the Court.\n");
    ck_assert_uint_eq(ordex_result_count(r, "judges"), 1);
    ck_assert_str_eq(field(r, "judges", 0, "role"), "author");
    ck_assert_str_eq(case_field(r, "judge"), "Morley");
    ordex_result_free(r);

    r = run("MORLEY, J., delivered the opinion for a unanimous Court.\n");
    ck_assert_uint_eq(ordex_result_count(r, "judges"), 1);
    ck_assert_str_eq(case_field(r, "judge"), "Morley");
    ordex_result_free(r);
}
END_TEST


/* ---- Court, docket, date, title ------------------------------------------ */

START_TEST(test_court_lines)
{
    ordex_result *r = run("IN THE UNITED STATES DISTRICT COURT\n\n"
                          "FOR THE DISTRICT OF MARYLAND\n\n"
                          "The Eastern District of New York held otherwise.\n");
    ck_assert_str_eq(case_field(r, "court_id"), "mdd");
    ck_assert_str_eq(case_field(r, "court"), "United States District Court for the District of Maryland");
    ordex_result_free(r);

    r = run("UNITED STATES BANKRUPTCY COURT\n\nCENTRAL DISTRICT OF CALIFORNIA\n");
    ck_assert_str_eq(case_field(r, "court_id"), "cacb");
    ck_assert_str_eq(case_field(r, "court"), "United States Bankruptcy Court for the Central District of California");
    ordex_result_free(r);

    /* a citation alone on a line is not the caption's district */
    r = run("See Roe v. Doe, 1 F. Supp. 2 (2010)\n\nN.D. Ohio\n");
    ck_assert_ptr_null(case_field(r, "court_id"));
    ordex_result_free(r);
}
END_TEST

START_TEST(test_docket_en_dash)
{
    ordex_result *r = run("SUPREME COURT OF THE UNITED STATES\n\nNo. 11\u2013889\n");
    ck_assert_str_eq(case_field(r, "case_number"), "11\u2013889");
    ordex_result_free(r);
}
END_TEST

/* The document's own date: a "Dated:" label, a declaration's "Executed
 * on", an opinion's "Decided"; never "the order dated ..." of a sentence. */
START_TEST(test_own_date)
{
    ordex_result *r = run("Plaintiffs rely on the Scheduling Order dated May 2, 2024.\n\n"
                          "I declare under penalty of perjury that the foregoing is true. "
                          "Executed on February 5, 2019, at Los Angeles, California.\n");
    ck_assert_str_eq(case_field(r, "date"), "2019-02-05");
    ordex_result_free(r);

    r = run("Plaintiffs rely on the Scheduling Order dated May 2, 2024.\n");
    ck_assert_ptr_null(case_field(r, "date"));
    ordex_result_free(r);

    r = run("Argued September 3, 1997 Decided November 7, 1997\n");
    ck_assert_str_eq(case_field(r, "date"), "1997-11-07");
    ordex_result_free(r);
}
END_TEST

/* A filing's title in capitals, a block of its own whatever its kind,
 * brackets kept; the caption's ")" column dropped. */
START_TEST(test_filing_title)
{
    ordex_result *r = run("UNITED STATES DISTRICT COURT\n\n"
                          "CENTRAL DISTRICT OF CALIFORNIA\n\n"
                          "Case No. 2:19-cv-01234-ABC\n\n"
                          ") PLAINTIFFS' NOTICE OF MOTION AND MOTION FOR CLASS CERTIFICATION\n\n"
                          "Plaintiffs move for class certification.\n");
    ck_assert_str_eq(case_field(r, "title"),
                     "PLAINTIFFS' NOTICE OF MOTION AND MOTION FOR CLASS CERTIFICATION");
    ordex_result_free(r);

    r = run("[PROPOSED] ORDER GRANTING STIPULATION TO CONTINUE HEARING\n\n"
            "Good cause appearing, the hearing is continued.\n");
    ck_assert_str_eq(case_field(r, "title"),
                     "[PROPOSED] ORDER GRANTING STIPULATION TO CONTINUE HEARING");
    ordex_result_free(r);
}
END_TEST

/* "Philip S. Gutierrez , U.S. District Judge": the name, not the "S." of
 * "U.S."; the same judge printed "Jr." and "Jr" is one record. */
START_TEST(test_us_district_judge_and_suffix)
{
    ordex_result *r = run(
        "CIVIL MINUTES - TRIAL\n\n"
        "Present: The Honorable\n\n"
        "Philippa S. Gutierro , U.S. District Judge\n\n"
        "The trial continued. The Honorable Andre Birotte Jr. presided.\n\n"
        "IT IS SO ORDERED.\n\n"
        "Andre Birotte Jr, United States District Judge\n");

    ck_assert_uint_eq(ordex_result_count(r, "judges"), 2);
    ck_assert_str_eq(field(r, "judges", 0, "name"), "Philippa S. Gutierro");
    ck_assert(g_str_has_prefix(field(r, "judges", 1, "name"), "Andre Birotte Jr"));
    ordex_result_free(r);
}
END_TEST

/* An agency's decision: the court from the line under the signature
 * (not the Federal Circuit its body cites), the docket and the date of the
 * header, the judge "M. HYLAND" over "Veterans Law Judge". */
START_TEST(test_national_court)
{
    ordex_result *r = run(
        "Citation Nr: A25000001\n"
        "DOCKET NO. 250101-123456\n"
        "DATE: September 3, 2025\n\n"
        "ORDER\n\n"
        "Entitlement to service connection is denied.\n\n"
        "As the United States Court of Appeals for the Federal Circuit has "
        "held, the Board must weigh the evidence.\n\n"
        "M. HYLANDER\n\n"
        "Veterans Law Judge\n\n"
        "Board of Veterans' Appeals\n");

    ck_assert_str_eq(case_field(r, "court_id"), "bva");
    ck_assert_str_eq(case_field(r, "court"), "Board of Veterans' Appeals");
    ck_assert_str_eq(case_field(r, "case_number"), "250101-123456");
    ck_assert_str_eq(case_field(r, "date"), "2025-09-03");
    ck_assert_str_eq(case_field(r, "judge"), "M. Hylander");
    ck_assert_uint_eq(ordex_result_count(r, "judges"), 1);
    ck_assert_str_eq(field(r, "judges", 0, "title"), "Veterans Law Judge");
    ordex_result_free(r);

    r = run("UNITED STATES TAX COURT\n\nJANE ROE, Petitioner\n\n"
            "Docket No. 12345-21\n\nORDER\n\nThe motion is denied.\n");
    ck_assert_str_eq(case_field(r, "court_id"), "tax");
    ck_assert_str_eq(case_field(r, "court"), "United States Tax Court");
    ordex_result_free(r);

    /* a court named only in the body is still taken when nothing else
     * names one */
    r = run("ORDER\n\nThe United States District Court for the District of "
            "Maryland transferred the case.\n");
    ck_assert_str_eq(case_field(r, "court_id"), "mdd");
    ordex_result_free(r);
}
END_TEST

/* A minute order's title: the in-chambers order of its Proceedings box
 * replaces the form's heading, and a starred word of the heading is
 * kept; a transcript's title loses the weekday and date of its last
 * line, an order's "... OF MARCH 2, 2020" keeps its own. */
START_TEST(test_minutes_and_transcript_titles)
{
    ordex_result *r = run(
        "CIVIL MINUTES - GENERAL\n\n"
        "Case No. CV 16-06794 AB (JCx)\n\n"
        "Proceedings: [In Chambers] Order Denying Defendants' Applications "
        "to Seal (Dkt. Nos. 169, 171)\n\n"
        "Defendants have filed two applications to seal.\n");
    ck_assert_str_eq(case_field(r, "title"),
                     "[In Chambers] Order Denying Defendants' Applications to Seal "
                     "(Dkt. Nos. 169, 171)");
    ordex_result_free(r);

    r = run("**AMENDED** CIVIL MINUTES - GENERAL\n\n"
            "Proceedings: DEFENDANT'S MOTION FOR SUMMARY JUDGMENT [263];\n");
    ck_assert_str_eq(case_field(r, "title"), "**AMENDED** CIVIL MINUTES - GENERAL");
    ordex_result_free(r);

    r = run("REPORTER'S TRANSCRIPT OF PROCEEDINGS FRIDAY, AUGUST 31, 2018\n\n"
            "10:07 A.M.\n");
    ck_assert_str_eq(case_field(r, "title"), "REPORTER'S TRANSCRIPT OF PROCEEDINGS");
    ordex_result_free(r);

    r = run("ORDER RE HEARING OF MARCH 2, 2020\n\nThe hearing is vacated.\n");
    ck_assert_str_eq(case_field(r, "title"), "ORDER RE HEARING OF MARCH 2, 2020");
    ordex_result_free(r);
}
END_TEST

static Suite *case_suite(void)
{
    Suite *s = suite_create("case");
    TCase *judges = tcase_create("judges");
    TCase *fields = tcase_create("fields");

    tcase_add_checked_fixture(judges, setup, teardown);
    tcase_add_test(judges, test_caption_judge);
    tcase_add_test(judges, test_magistrate);
    tcase_add_test(judges, test_minutes_header);
    tcase_add_test(judges, test_panel_and_author);
    tcase_add_test(judges, test_us_district_judge_and_suffix);
    tcase_set_timeout(judges, 60);
    suite_add_tcase(s, judges);
    tcase_add_checked_fixture(fields, setup, teardown);
    tcase_add_test(fields, test_court_lines);
    tcase_add_test(fields, test_docket_en_dash);
    tcase_add_test(fields, test_own_date);
    tcase_add_test(fields, test_filing_title);
    tcase_add_test(fields, test_national_court);
    tcase_add_test(fields, test_minutes_and_transcript_titles);
    tcase_set_timeout(fields, 60);
    suite_add_tcase(s, fields);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(case_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

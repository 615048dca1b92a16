/*
 * check_attorneys.c - unit tests for stage 5's attorney and judge records
 * (parser/attorneys.c with grammars/attorneys.rules and judges.rules):
 * name cleaning and natural case, counsel lines of appellate opinions,
 * "Mr. Roe" mentions, panels, authors and signing judges, merging of
 * judges' roles, and that judges and clerks are never attorneys.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "ordex.h"
#include "records_p.h"

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

/* ---- Names ---------------------------------------------------------------- */

static void check_norm(const char *printed, const char *want)
{
    char *got = od_person_normalize(printed);
    ck_assert_str_eq(got, want);
    g_free(got);
}

START_TEST(test_normalize)
{
    check_norm("KEVIN T. FLOOD, Esq.", "Kevin T. Flood");
    check_norm("By: /s/ Jane Q. Doe", "Jane Q. Doe");
    check_norm("/s/ Thomas A. Halverson", "Thomas A. Halverson");
    check_norm("WILLIAM E. McCOMAS 261640", "William E. McComas");
    check_norm("C. LEONARD O'BRIEN", "C. Leonard O'Brien");
    check_norm("THEODORE V. WELLS JR.", "Theodore V. Wells Jr.");
    check_norm("JOHN SMITH III", "John Smith III");
    check_norm("Marion R. Yagman (argued)", "Marion R. Yagman");
    check_norm("Michael A. Kahn (pro hac vice)", "Michael A. Kahn");
    check_norm("K. LEE MARSHALL", "K. Lee Marshall");
    check_norm("Kim McLane Wardlaw", "Kim McLane Wardlaw");
}
END_TEST

START_TEST(test_bar_number)
{
    char *bar = NULL;
    char *name = od_person_clean("Jane Q. Doe (SBN 234567)", &bar);

    ck_assert_str_eq(name, "Jane Q. Doe");
    ck_assert_str_eq(bar, "234567");
    g_free(name);
    g_free(bar);
    name = od_person_clean("WILLIAM E. McCOMAS 261640", &bar);
    ck_assert_str_eq(name, "WILLIAM E. McCOMAS");
    ck_assert_str_eq(bar, "261640");
    g_free(name);
    g_free(bar);
    name = od_person_clean("KEVIN T. FLOOD, Esq.", &bar);
    ck_assert_str_eq(name, "KEVIN T. FLOOD");
    ck_assert_ptr_null(bar);
    g_free(name);
}
END_TEST

/* ---- Records ---------------------------------------------------------------- */

static const char opinion[] =
    "UNITED STATES COURT OF APPEALS\n"
    "FOR THE NINTH CIRCUIT\n"
    "\n"
    "Alice B. Carter, District Judge, Presiding\n"
    "\n"
    "Before: ALPHA, BETA, and GAMMA, Circuit Judges.\n"
    "\n"
    "Opinion by Judge Beta\n"
    "\n"
    "Jane Doe (argued), Doe & Roe LLP, of Chicago, Illinois, for "
    "Plaintiffs-Appellants.\n"
    "\n"
    "Fox Rothschild LLP, by John Roe, for Defendant-Appellee.\n"
    "\n"
    "Of counsel on the brief was John E. Whitaker, Whitaker Law Group, of "
    "Seattle, Washington.\n"
    "\n"
    "BETA, Circuit Judge:\n"
    "\n"
    "Counsel for Defendant, Mr. Roe, shall file a letter brief within 14 "
    "days.\n";

START_TEST(test_counsel_lines)
{
    ordex_result *r = run(opinion);
    char *json;

    ck_assert_uint_eq(ordex_result_count(r, "attorneys"), 3);
    ck_assert_str_eq(field(r, "attorneys", 0, "name_normalized"), "Jane Doe");
    ck_assert_str_eq(field(r, "attorneys", 0, "firm"), "Doe & Roe LLP");
    ck_assert_str_eq(field(r, "attorneys", 0, "role"), "argued for");
    ck_assert_str_eq(field(r, "attorneys", 0, "party"), "Plaintiffs-Appellants");
    ck_assert_str_eq(field(r, "attorneys", 1, "name_normalized"), "John Roe");
    ck_assert_str_eq(field(r, "attorneys", 1, "firm"), "Fox Rothschild LLP");
    ck_assert_str_eq(field(r, "attorneys", 1, "role"), "counsel for");
    ck_assert_str_eq(field(r, "attorneys", 1, "party"), "Defendant-Appellee");
    ck_assert_str_eq(field(r, "attorneys", 2, "name_normalized"), "John E. Whitaker");
    ck_assert_str_eq(field(r, "attorneys", 2, "firm"), "Whitaker Law Group");
    ck_assert_str_eq(field(r, "attorneys", 2, "role"), "of counsel");
    ck_assert_ptr_null(field(r, "attorneys", 2, "email"));
    /* "Mr. Roe" is a second mention of John Roe. */
    json = ordex_result_to_json(r, 0);
    ck_assert_ptr_nonnull(strstr(json, "{\"text\":\"John Roe\""));
    ck_assert_ptr_nonnull(strstr(json, "{\"text\":\"Mr. Roe\""));
    ordex_free(json);

    /* Judges: one record each, the author's role wins over the panel. */
    ck_assert_uint_eq(ordex_result_count(r, "judges"), 4);
    ck_assert_str_eq(field(r, "judges", 0, "name"), "Alice B. Carter");
    ck_assert_str_eq(field(r, "judges", 0, "role"), "presiding");
    ck_assert_str_eq(field(r, "judges", 1, "name"), "Alpha");
    ck_assert_str_eq(field(r, "judges", 1, "role"), "panel");
    ck_assert_str_eq(field(r, "judges", 1, "title"), "Circuit Judge");
    ck_assert_str_eq(field(r, "judges", 2, "name"), "Beta");
    ck_assert_str_eq(field(r, "judges", 2, "role"), "author");
    ck_assert_str_eq(field(r, "judges", 2, "title"), "Circuit Judge");
    ck_assert_str_eq(field(r, "judges", 3, "name"), "Gamma");
    ordex_result_free(r);
}
END_TEST

START_TEST(test_per_curiam_and_clerk)
{
    ordex_result *r = run(
        "Per Curiam (BRYSON, GAJARSA, and PROST, Circuit Judges.)\n"
        "\n"
        "AFFIRMED.\n"
        "\n"
        "/s/ Jan Horbaly\n"
        "\n"
        "Jan Horbaly, Clerk\n");

    ck_assert_uint_eq(ordex_result_count(r, "attorneys"), 0);
    ck_assert_uint_eq(ordex_result_count(r, "judges"), 3);
    ck_assert_str_eq(field(r, "judges", 0, "name"), "Bryson");
    ck_assert_str_eq(field(r, "judges", 1, "name"), "Gajarsa");
    ck_assert_str_eq(field(r, "judges", 2, "name"), "Prost");
    ck_assert_str_eq(field(r, "judges", 2, "role"), "panel");
    ordex_result_free(r);
}
END_TEST

/* Text input: each paragraph is one line of a caption block. */
START_TEST(test_caption_block)
{
    ordex_result *r = run(
        "DOE & ROE LLP\n\n"
        "Jane Q. Doe (SBN 234567)\n\n"
        "jdoe@doeroe.com\n\n"
        "100 Market Street, Suite 900\n\n"
        "San Francisco, California 94105\n\n"
        "Attorneys for Plaintiff JANE ROE\n\n"
        "UNITED STATES DISTRICT COURT\n\n"
        "NORTHERN DISTRICT OF CALIFORNIA\n\n"
        "JANE ROE, Plaintiff,\n\n"
        "IT IS SO ORDERED.\n\n"
        "/s/ Ona T. Wang\n\n"
        "ONA T. WANG\n\n"
        "United States Magistrate Judge\n");

    ck_assert_uint_eq(ordex_result_count(r, "attorneys"), 1);
    ck_assert_str_eq(field(r, "attorneys", 0, "name"), "Jane Q. Doe");
    ck_assert_str_eq(field(r, "attorneys", 0, "firm"), "DOE & ROE LLP");
    ck_assert_str_eq(field(r, "attorneys", 0, "email"), "jdoe@doeroe.com");
    ck_assert_str_eq(field(r, "attorneys", 0, "bar_number"), "234567");
    ck_assert_str_eq(field(r, "attorneys", 0, "role"), "attorneys for");
    ck_assert_str_eq(field(r, "attorneys", 0, "party"), "Plaintiff JANE ROE");
    ck_assert_uint_eq(ordex_result_count(r, "judges"), 1);
    ck_assert_str_eq(field(r, "judges", 0, "name"), "Ona T. Wang");
    ck_assert_str_eq(field(r, "judges", 0, "role"), "signing");
    ck_assert_str_eq(field(r, "judges", 0, "title"), "United States Magistrate Judge");
    ordex_result_free(r);
}
END_TEST

/* Many name lines stay linear and produce no stray records. */
START_TEST(test_long_input)
{
    GString *s = g_string_new(NULL);
    ordex_result *r;

    for (int i = 0; i < 3000; i++)
        g_string_append(s, "The Court has considered the parties' letters and "
                           "the record, and rules as follows.\n\n");
    r = run(s->str);
    ck_assert_uint_eq(ordex_result_count(r, "attorneys"), 0);
    ck_assert_uint_eq(ordex_result_count(r, "judges"), 0);
    ordex_result_free(r);
    g_string_free(s, TRUE);
}
END_TEST

/* A long list of names (a "cc:" list) gives one record each. */
START_TEST(test_long_name_list)
{
    GString *s = g_string_new("Copies to:\n\n");
    ordex_result *r;

    for (int i = 0; i < 2000; i++)
        g_string_append_printf(s, "Alan B. Smith%c%c%c\n\n", 'a' + i / 676,
                               'a' + (i / 26) % 26, 'a' + i % 26);
    r = run(s->str);
    ck_assert_uint_eq(ordex_result_count(r, "attorneys"), 2000);
    ck_assert_str_eq(field(r, "attorneys", 1999, "name_normalized"),
                     "Alan B. Smithcyx");
    ordex_result_free(r);
    g_string_free(s, TRUE);
}
END_TEST


/* A pleading-paper attorney block: the firm's name wrapped over two lines,
 * a firm line told by the e-mail's domain, the caption's parties. */
START_TEST(test_pleading_block)
{
    ordex_result *r = run(
        "MARA D. SELVIN (SBN 244180)\n\n"
        "mara.selvin@hollisreed.com\n\n"
        "HOLLIS REED PICKERING\n\n"
        "HALE AND DORR LLP\n\n"
        "950 Page Mill Road\n\n"
        "Tomas Kahl (pro hac vice)\n\n"
        "kahl@capesmoll.com\n\n"
        "CAPES MOLL\n\n"
        "7701 Forsyth Blvd. 12th Floor\n\n"
        "Attorneys for Defendants\n\n"
        "UNITED STATES DISTRICT COURT\n\n"
        "CENTRAL DISTRICT OF CALIFORNIA\n\n"
        "ZEPHYR COMMUNICATION\n\n"
        "TECHNOLOGY HOLDINGS, LTD., et al.,\n\n"
        "Plaintiffs,\n");

    ck_assert_uint_eq(ordex_result_count(r, "attorneys"), 2);
    ck_assert_str_eq(field(r, "attorneys", 0, "name_normalized"), "Mara D. Selvin");
    ck_assert_str_eq(field(r, "attorneys", 0, "bar_number"), "244180");
    ck_assert_str_eq(field(r, "attorneys", 1, "name_normalized"), "Tomas Kahl");
    ck_assert_str_eq(field(r, "attorneys", 1, "firm"), "CAPES MOLL");
    ck_assert_str_eq(field(r, "attorneys", 1, "party"), "Defendants");
    ordex_result_free(r);
}
END_TEST

/* A transcript's appearances: "BY: NAME, ATTORNEY AT LAW" under the firm. */
START_TEST(test_transcript_appearances)
{
    ordex_result *r = run(
        "APPEARANCES:\n\n"
        "For Plaintiff:\n\n"
        "Hosley Rice LLP\n\n"
        "600 Montgomery Street\n\n"
        "San Francisco, California 94111\n\n"
        "BY: BRANDT C. MARTELL, ATTORNEY AT LAW\n\n"
        "For Defendant:\n\n"
        "Fisk & Richmond, P.C.\n\n"
        "12390 El Camino Real\n\n"
        "JUANA R. BROOKE,\n\n"
        "JASPER W. WOLF, Attorneys at Law\n");

    ck_assert_uint_eq(ordex_result_count(r, "attorneys"), 3);
    ck_assert_str_eq(field(r, "attorneys", 0, "name_normalized"), "Brandt C. Martell");
    ck_assert_str_eq(field(r, "attorneys", 0, "firm"), "Hosley Rice LLP");
    ck_assert_str_eq(field(r, "attorneys", 1, "name_normalized"), "Juana R. Brooke");
    ck_assert_str_eq(field(r, "attorneys", 2, "name_normalized"), "Jasper W. Wolf");
    ordex_result_free(r);
}
END_TEST

/* Names in a table or an exhibit, far from any firm, address or role, and
 * a bare list of names without a "cc:" label, are nobody's counsel; the
 * same list after "cc:" is. */
START_TEST(test_names_without_evidence)
{
    ordex_result *r = run("Timekeeper hours by rate:\n\n"
                          "Andrea Gould\n\nAndrew Silvers\n\n"
                          "Kristen Sagan\n\nKyra Tayler\n");

    ck_assert_uint_eq(ordex_result_count(r, "attorneys"), 0);
    ordex_result_free(r);
    r = run("cc:\n\nAndrea Gould\n\nAndrew Silvers\n\nKristen Sagan\n");
    ck_assert_uint_eq(ordex_result_count(r, "attorneys"), 3);
    ck_assert_str_eq(field(r, "attorneys", 2, "name_normalized"), "Kristen Sagan");
    ordex_result_free(r);
}
END_TEST

/* The names of an exhibit (after its "EXHIBIT A" cover) and of a table
 * whose header ends in "Attorneys" are not the filing's counsel. */
START_TEST(test_exhibit_and_table)
{
    ordex_result *r = run(
        "Jane Q. Doe (SBN 234567)\n\n"
        "DOE & ROE LLP\n\n"
        "100 Market Street\n\n"
        "Attorneys for Plaintiff\n\n"
        "I declare that the foregoing is true.\n\f\n"
        "EXHIBIT A\n\n"
        "Hours Rate Total Attorneys\n\n"
        "MUNAWAR KARIMJEE\n\n"
        "3240 Scott Boulevard\n\n"
        "Santa Clara, CA 95054\n");

    ck_assert_uint_eq(ordex_result_count(r, "attorneys"), 1);
    ck_assert_str_eq(field(r, "attorneys", 0, "name_normalized"), "Jane Q. Doe");
    ordex_result_free(r);

    r = run("Hours Rate Total Attorneys\n\nAndrea Gould\n\nAndrew Silvers\n\n"
            "Kristen Sagan\n");
    ck_assert_uint_eq(ordex_result_count(r, "attorneys"), 0);
    ordex_result_free(r);
}
END_TEST

/* Bar numbers printed after a comma ("JEFFREY M. ROE, Bar No. 264232") and
 * inside the e-mail's parenthesis ("(CSB No. 140647, j@x.com)", "(Admitted
 * pro hac vice, n@x.com)"); a caption party whose role is three lines down
 * is not counsel. */
START_TEST(test_bar_label_and_inline_note)
{
    ordex_result *r = run(
        "JEFFREY M. ROEMER, Bar No. 264232\n\n"
        "jroemer@bsfllp.com\n\n"
        "BOIES FLINT LLP\n\n"
        "725 South Figueroa Street 31st Floor\n\n"
        "Ana Lin Gibbs, (CSB No. 140647, agibbs@crowell.com)\n\n"
        "Theodore Stenson, III (Admitted pro hac vice, ts@mckool.com)\n\n"
        "300 Crescent Court, Suite 1500, Dallas, Texas 75201\n\n"
        "Attorneys for Defendants\n\n"
        "UNITED STATES DISTRICT COURT\n\n"
        "MACRO TECHNOLOGY\n\n"
        "SOLUTIONS HOLDINGS INC. and\n\n"
        "NITRO, LLC,\n\n"
        "Plaintiffs,\n");

    ck_assert_uint_eq(ordex_result_count(r, "attorneys"), 3);
    ck_assert_str_eq(field(r, "attorneys", 0, "name_normalized"), "Jeffrey M. Roemer");
    ck_assert_str_eq(field(r, "attorneys", 0, "bar_number"), "264232");
    ck_assert_str_eq(field(r, "attorneys", 0, "firm"), "BOIES FLINT LLP");
    ck_assert_str_eq(field(r, "attorneys", 1, "name_normalized"), "Ana Lin Gibbs");
    ck_assert_str_eq(field(r, "attorneys", 1, "bar_number"), "140647");
    ck_assert_str_eq(field(r, "attorneys", 2, "name_normalized"), "Theodore Stenson III");
    ck_assert_str_eq(field(r, "attorneys", 2, "party"), "Defendants");
    ordex_result_free(r);
}
END_TEST

/* A caption's parties to be served (a name over an address, no firm,
 * telephone, e-mail or "Attorneys for") and the run-together headers of a
 * table ("Defamatory StatementPublished ByPublished") are not counsel; a
 * name with its firm and address is. */
START_TEST(test_address_only_and_run_together)
{
    ordex_result *r = run(
        "LEVI PARNELL\n\n"
        "7670 La Corniche Cir.\n\n"
        "Boca Raton, FL 33433\n\n"
        "JOSEF A. BONDER\n\n"
        "1776 Broadway\n\n"
        "New York, NY 10019\n\n"
        "AMENDED COMPLAINT: the parties.\n\n"
        "Defamatory StatementPublished ByPublished\n\n"
        "100 Main Street\n\n"
        "Telephone: (703) 525-4000\n");
    ck_assert_uint_eq(ordex_result_count(r, "attorneys"), 0);
    ordex_result_free(r);

    r = run("Josef A. Bonder\n\nBONDER & WOLF LLP\n\n1776 Broadway\n\n"
            "New York, NY 10019\n");
    ck_assert_uint_eq(ordex_result_count(r, "attorneys"), 1);
    ck_assert_str_eq(field(r, "attorneys", 0, "firm"), "BONDER & WOLF LLP");
    ordex_result_free(r);
}
END_TEST

static Suite *attorneys_suite(void)
{
    Suite *s = suite_create("attorneys");
    TCase *names = tcase_create("names");
    TCase *recs = tcase_create("records");

    tcase_add_test(names, test_normalize);
    tcase_add_test(names, test_bar_number);
    suite_add_tcase(s, names);
    tcase_add_checked_fixture(recs, setup, teardown);
    tcase_add_test(recs, test_counsel_lines);
    tcase_add_test(recs, test_per_curiam_and_clerk);
    tcase_add_test(recs, test_caption_block);
    tcase_add_test(recs, test_pleading_block);
    tcase_add_test(recs, test_bar_label_and_inline_note);
    tcase_add_test(recs, test_address_only_and_run_together);
    tcase_add_test(recs, test_transcript_appearances);
    tcase_add_test(recs, test_names_without_evidence);
    tcase_add_test(recs, test_exhibit_and_table);
    tcase_add_test(recs, test_long_input);
    tcase_add_test(recs, test_long_name_list);
    tcase_set_timeout(recs, 60);
    suite_add_tcase(s, recs);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(attorneys_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

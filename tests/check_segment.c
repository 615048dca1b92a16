/*
 * check_segment.c - unit tests of stage 3 (parser/segment.c): block kinds
 * of a realistic order, sentence splitting around legal abbreviations,
 * layout cues (boxes, bold, footnotes) and long inputs.  The abbreviation
 * list is read from grammars/segment.rules with a small reader below, so
 * the tests exercise the real data file, and the block cues are the rules
 * of that file (loaded with its folder, grammars/, as the engine loads
 * it); od_text is built by hand so the tests do not depend on stage 2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <unicode/ustring.h>

#include "ordex_p.h"
#include "text_p.h"

#ifndef SEGMENT_RULES
#define SEGMENT_RULES "grammars/segment.rules"
#endif

static char **abbrevs;
static od_grammar_set *grammars; /* the folder of SEGMENT_RULES, compiled */

/* Entries of lexicon "abbreviations": the lines between "lexicon
 * abbreviations" and "end", canonical name before any '='. */
static char **load_abbrevs(const char *path)
{
    GPtrArray *arr = g_ptr_array_new();
    char *data = NULL;
    GError *err = NULL;
    bool in = false;

    if (!g_file_get_contents(path, &data, NULL, &err)) {
        fprintf(stderr, "%s: %s\n", path, err->message);
        g_error_free(err);
        exit(2);
    }
    char **lines = g_strsplit(data, "\n", -1);
    for (char **l = lines; *l; l++) {
        char *s = g_strstrip(*l);
        char *eq;

        if (*s == '#' || *s == '\0')
            continue;
        if (!in) {
            in = strcmp(s, "lexicon abbreviations") == 0;
            continue;
        }
        if (strcmp(s, "end") == 0)
            break;
        if ((eq = strchr(s, '=')) != NULL)
            *eq = '\0';
        g_ptr_array_add(arr, g_strdup(g_strstrip(s)));
    }
    g_strfreev(lines);
    g_free(data);
    g_ptr_array_add(arr, NULL);
    return (char **)g_ptr_array_free(arr, FALSE);
}

/* An od_text as stage 2 makes it from plain text: paragraphs split at
 * "\n\n", no pages, no boxes. */
static od_text *make_text(const char *utf8)
{
    od_text *t = g_new0(od_text, 1);
    UErrorCode err = U_ZERO_ERROR;
    int32_t len = 0, start = 0;
    GArray *paras = g_array_new(FALSE, TRUE, sizeof(od_para));

    u_strFromUTF8(NULL, 0, &len, utf8, -1, &err);
    ck_assert(err == U_BUFFER_OVERFLOW_ERROR || U_SUCCESS(err));
    err = U_ZERO_ERROR;
    t->buf = g_new0(UChar, len + 1);
    u_strFromUTF8(t->buf, len + 1, NULL, utf8, -1, &err);
    ck_assert_msg(U_SUCCESS(err), "u_strFromUTF8: %s", u_errorName(err));
    t->len = len;
    for (int32_t i = 0; i <= len; i++) {
        if (i == len || (t->buf[i] == '\n' && i + 1 < len && t->buf[i + 1] == '\n')) {
            od_para p = {0};

            p.start = start;
            p.end = i;
            p.n_lines = 1;
            for (int32_t k = start; k < i; k++)
                p.n_lines += t->buf[k] == '\n';
            g_array_append_val(paras, p);
            start = i + 2;
            i++;
        }
    }
    t->n_paras = paras->len;
    t->paras = (od_para *)(void *)g_array_free(paras, FALSE);
    t->warnings = g_ptr_array_new_with_free_func((GDestroyNotify)od_warning_free);
    return t;
}

static void free_text(od_text *t)
{
    g_free(t->buf);
    g_free(t->paras);
    g_ptr_array_free(t->warnings, TRUE);
    g_free(t);
}

static char *span(const od_text *t, int32_t s, int32_t e)
{
    UErrorCode err = U_ZERO_ERROR;
    int32_t n = 0;
    char *out;

    u_strToUTF8(NULL, 0, &n, t->buf + s, e - s, &err);
    err = U_ZERO_ERROR;
    out = g_malloc((size_t)n + 1);
    u_strToUTF8(out, n + 1, NULL, t->buf + s, e - s, &err);
    ck_assert(U_SUCCESS(err));
    return out;
}

static od_segments *segment(const od_text *t)
{
    char *msg = NULL;
    od_segments *s = od_segment(t, grammars, (const char *const *)abbrevs, &msg);

    ck_assert_msg(s != NULL, "od_segment failed: %s", msg ? msg : "?");
    g_free(msg);
    return s;
}

/* The sentences of utf8 joined by " | ". */
static char *sentences_of(const char *utf8)
{
    od_text *t = make_text(utf8);
    od_segments *s = segment(t);
    GString *out = g_string_new(NULL);

    for (size_t i = 0; i < s->n_sentences; i++) {
        char *x = span(t, s->sentences[i].start, s->sentences[i].end);

        if (i)
            g_string_append(out, " | ");
        g_string_append(out, x);
        g_free(x);
    }
    od_segments_free(s);
    free_text(t);
    return g_string_free(out, FALSE);
}

#define ck_sentences(in, expected)                                        \
    do {                                                                   \
        char *got_ = sentences_of(in);                                     \
        ck_assert_str_eq(got_, expected);                                  \
        g_free(got_);                                                      \
    } while (0)

/* ------------------------------------------------------------------ */

static const char *const no_split[] = {
    "Fed. R. Civ. P. 26(b)(5) requires it.",
    "28 U.S.C. § 1746 applies.",
    "See Smith v. Jones, 123 F.3d 456 (2d Cir. 1999).",
    "No. 25-md-3143 is pending.",
    "OpenAI, Inc. shall produce.",
    "Id. at 5.",
    "Ona T. Wang signed it.",
    "See, e.g., Upjohn Co. v. United States, 449 U.S. 383 (1981).",
    "Dkt. No. 713 at 2.",
    "Mr. Roe and Ms. Doe shall appear.",
    "In re OpenAI, Inc. Copyright Infringement Litig., No. 25-md-3143 "
    "(S.D.N.Y. Nov. 24, 2025).",
    /* From the corpus. */
    "See Fed. R. Evid. 502(b); Fed. R. App. P. 4(a).",
    "Hickman v. Taylor, 329 U.S. 495, 511 (1947); see also F. Supp. 2d 123.",
    "The Court held a hearing on Dec. 3, 2019 (Bankr. Doc. 45).",
    "Ariz. Rev. Stat. Ann. § 12-341 applies, see Pub. L. No. 104-67.",
    "In re Fed. Express Corp., 17-2400 (7th Cir. 2017).",
    "Holley v. Gilead Scis., Inc., No. 18-cv-06972-JST (JSC) (N.D. Cal. Mar. 2, 2023).",
    "MR. SMITH: Thank you, Your Honor.",
    "CASE NO. 2:15-cv-00564 is before the Court.",
    "The hearing is set for 10:00 a.m. Pacific Time on June 7.",
    "See Ex. A at 3 n. 4; Tr. 12:3-5.",
    "Counsel for Jane Doe, Esq. Roe appeared.",
    "The parties shall file by\nDecember 8, 2025 a joint letter.",
    "Doe v. Acme Corp., 2020 WL 12345, at *2 (D.N.J. Aug. 3, 2020).",
    "F.D. Rich Co. v. United States ex rel. Indus. Lumber Co., 417 U.S. 116 (1974).",
    "Assocs. v. 2720 Wisconsin Ave. Coop. Ass'n, 123 A.2d 45 (D.C. 1981).",
    /* Enumerators at the start of a numbered paragraph. */
    "1. OpenAI shall produce its logs by December 8, 2025.",
    "IV. The Court grants the motion.",
    "b. Defendants shall respond.",
};

START_TEST(test_no_split)
{
    ck_sentences(no_split[_i], no_split[_i]);
}
END_TEST

START_TEST(test_must_split)
{
    ck_sentences("The motion is granted. OpenAI shall produce.",
                 "The motion is granted. | OpenAI shall produce.");
    ck_sentences("The parties shall meet and confer by December 8, 2025. "
                 "OpenAI shall then produce the logs.",
                 "The parties shall meet and confer by December 8, 2025. | "
                 "OpenAI shall then produce the logs.");
    ck_sentences("Declarations are governed by 28 U.S.C. § 1746. The "
                 "declaration here complies.",
                 "Declarations are governed by 28 U.S.C. § 1746. | The "
                 "declaration here complies.");
    ck_sentences("Id. The Court agrees.", "Id. | The Court agrees.");
    ck_sentences("The logs are attached as Exhibit A. The Court has "
                 "reviewed them.",
                 "The logs are attached as Exhibit A. | The Court has "
                 "reviewed them.");
    ck_sentences("The call ends at 5:00 p.m. The parties shall then file.",
                 "The call ends at 5:00 p.m. | The parties shall then file.");
    /* a time before the date: the sentence goes on after "p.m." */
    ck_sentences("Defendant shall file on or before 5:00 p.m. on Friday, June 6, "
                 "2025. The Court will rule.",
                 "Defendant shall file on or before 5:00 p.m. on Friday, June 6, "
                 "2025. | The Court will rule.");
    ck_sentences("Submit it by 11:59 p.m. (Eastern) on April 1, 2025. Then wait.",
                 "Submit it by 11:59 p.m. (Eastern) on April 1, 2025. | Then wait.");
    ck_sentences("Is that so? Yes! It is.", "Is that so? | Yes! | It is.");
    ck_sentences("The Court answers no. The request fails.",
                 "The Court answers no. | The request fails.");
    ck_sentences("Smith et al. The Court disagrees.",
                 "Smith et al. | The Court disagrees.");
    /* An enumerator only at the start: "in Part 2. The" still splits. */
    ck_sentences("1. See Part 2. The Court agrees.",
                 "1. See Part 2. | The Court agrees.");
}
END_TEST

START_TEST(test_sentence_offsets)
{
    od_text *t = make_text("  Leading space.  Second one.  \n\nNext block.");
    od_segments *s = segment(t);

    ck_assert_uint_eq(s->n_blocks, 2);
    ck_assert_uint_eq(s->n_sentences, 3);
    ck_assert_int_eq(s->sentences[0].start, 2);
    ck_assert_int_eq(s->sentences[0].end, 16);
    ck_assert_int_eq(s->sentences[1].start, 18);
    ck_assert_int_eq(s->sentences[1].end, 29);
    ck_assert_int_eq(s->sentences[0].block, 0);
    ck_assert_int_eq(s->sentences[2].block, 1);
    ck_assert_int_eq(s->blocks[0].first_sentence, 0);
    ck_assert_int_eq(s->blocks[0].n_sentences, 2);
    ck_assert_int_eq(s->blocks[1].first_sentence, 2);
    ck_assert_int_eq(s->blocks[1].n_sentences, 1);
    ck_assert_int_eq(s->blocks[1].start, 33);
    ck_assert_int_eq(s->blocks[1].end, 44);
    od_segments_free(s);
    free_text(t);
}
END_TEST

/* ------------------------------------------------------------------ */

static const char order_text[] =
    "UNITED STATES DISTRICT COURT\n"
    "SOUTHERN DISTRICT OF NEW YORK\n\n"
    "IN RE OPENAI, INC. COPYRIGHT INFRINGEMENT LITIGATION\n\n"
    "This Document Relates To: All Actions\n\n"
    "No. 25-md-3143 (SHS) (OTW)\n\n"
    "OPINION & ORDER\n\n"
    "ONA T. WANG, United States Magistrate Judge:\n\n"
    "I. BACKGROUND\n\n"
    "Pending before the Court is the News Plaintiffs' motion to compel "
    "production of privilege logs. (Dkt. No. 713 at 2.) OpenAI, Inc. opposes.\n\n"
    "II. Legal Standard\n\n"
    "Fed. R. Civ. P. 26(b)(5) requires a party withholding documents to "
    "describe them. See, e.g., Upjohn Co. v. United States, 449 U.S. 383 (1981).\n\n"
    "CONCLUSION\n\n"
    "For the reasons above, the motion is GRANTED in part. It is ORDERED that:\n\n"
    "1. OpenAI shall produce its privilege logs by December 8, 2025.\n\n"
    "2. The parties shall meet and confer within fourteen (14) days.\n\n"
    "(a) Any dispute shall be raised by joint letter.\n\n"
    "The Clerk of Court is respectfully directed to close the motion at "
    "ECF No. 713.\n\n"
    "SO ORDERED.\n\n"
    "Dated: New York, New York\nNovember 24, 2025\n\n"
    "/s/ Ona T. Wang\n\n"
    "ONA T. WANG\nUnited States Magistrate Judge";

static const char *const order_kinds[] = {
    "caption",   /* court */
    "caption",   /* parties */
    "caption",   /* relates to */
    "caption",   /* case number */
    "heading",   /* title */
    "body",      /* judge's line */
    "heading",   /* I. BACKGROUND */
    "body",
    "heading",   /* II. Legal Standard */
    "body",
    "heading",   /* CONCLUSION */
    "body",
    "numbered",
    "numbered",
    "numbered",
    "body",
    "signature", /* SO ORDERED. */
    "signature", /* Dated: */
    "signature", /* /s/ */
    "signature", /* name and title */
};

static char *kinds_of(const od_text *t, const od_segments *s)
{
    GString *out = g_string_new(NULL);

    (void)t;
    for (size_t i = 0; i < s->n_blocks; i++)
        g_string_append_printf(out, "%s%s", i ? " " : "",
                               od_block_kind_name(s->blocks[i].kind));
    return g_string_free(out, FALSE);
}

static char *join_kinds(const char *const *k, size_t n)
{
    GString *out = g_string_new(NULL);

    for (size_t i = 0; i < n; i++)
        g_string_append_printf(out, "%s%s", i ? " " : "", k[i]);
    return g_string_free(out, FALSE);
}

START_TEST(test_order_kinds)
{
    od_text *t = make_text(order_text);
    od_segments *s = segment(t);
    char *got = kinds_of(t, s);
    char *want = join_kinds(order_kinds, G_N_ELEMENTS(order_kinds));

    ck_assert_uint_eq(s->n_blocks, G_N_ELEMENTS(order_kinds));
    ck_assert_str_eq(got, want);
    for (size_t i = 0; i < s->n_blocks; i++)
        ck_assert_int_eq(s->blocks[i].para, (int)i);
    g_free(got);
    g_free(want);
    od_segments_free(s);
    free_text(t);
}
END_TEST

START_TEST(test_order_sentences)
{
    od_text *t = make_text(order_text);
    od_segments *s = segment(t);
    const od_block *b = &s->blocks[7];
    char *x;

    ck_assert_int_eq(b->n_sentences, 3);
    x = span(t, s->sentences[b->first_sentence + 1].start,
             s->sentences[b->first_sentence + 1].end);
    ck_assert_str_eq(x, "(Dkt. No. 713 at 2.)");
    g_free(x);
    x = span(t, s->sentences[b->first_sentence + 2].start,
             s->sentences[b->first_sentence + 2].end);
    ck_assert_str_eq(x, "OpenAI, Inc. opposes.");
    g_free(x);
    b = &s->blocks[19];
    ck_assert_int_eq(b->n_sentences, 1);
    x = span(t, s->sentences[b->first_sentence].start,
             s->sentences[b->first_sentence].end);
    ck_assert_str_eq(x, "ONA T. WANG\nUnited States Magistrate Judge");
    g_free(x);
    od_segments_free(s);
    free_text(t);
}
END_TEST

/* California pleading paper: counsel's block above the court name, the
 * title in the caption's right column, "Re: Dkt. No." after it. */
START_TEST(test_pleading_caption)
{
    static const char txt[] =
        "JANE ROE (SBN 123456)\njroe@roefirm.com\nROE FIRM LLP\n"
        "1 Market Street, Suite 100\nSan Francisco, CA 94105\n"
        "Telephone: (415) 555-1212\n\n"
        "Attorneys for Plaintiffs\n\n"
        "UNITED STATES DISTRICT COURT\nNORTHERN DISTRICT OF CALIFORNIA\n\n"
        "JANE DOE, Plaintiff,\nv.\nACME CORP., Defendant.\n\n"
        "Case No. 18-cv-06972-JST (JSC)\n\n"
        "ORDER RE: PRIVILEGE DISCOVERY\n\n"
        "Re: Dkt. No. 713\n\n"
        "Now pending is the parties' joint letter brief about privilege "
        "logs. The Court rules as follows.\n\n"
        "IT IS SO ORDERED.\n\n"
        "Dated: March 2, 2023\n\n"
        "JACQUELINE SCOTT CORLEY\nUnited States Magistrate Judge";
    od_text *t = make_text(txt);
    od_segments *s = segment(t);
    char *got = kinds_of(t, s);

    ck_assert_str_eq(got, "caption caption caption caption caption heading "
                          "caption body signature signature signature");
    g_free(got);
    od_segments_free(s);
    free_text(t);
}
END_TEST

/* No caption (a letter) and an attorney signature block at the end. */
START_TEST(test_letter_and_counsel_signature)
{
    static const char txt[] =
        "Dear Judge Wang:\n\n"
        "We write on behalf of Plaintiffs to request a conference about the "
        "privilege logs. Defendants oppose the request.\n\n"
        "Respectfully submitted,\n\n"
        "By: /s/ Jane Roe\n\n"
        "Jane Roe\nROE FIRM LLP\n1 Market Street\nNew York, NY 10001\n"
        "(212) 555-1212\njroe@roefirm.com\n\n"
        "Attorneys for Plaintiffs\n\n"
        "CERTIFICATE OF SERVICE\n\n"
        "I certify that I served this letter on all counsel of record by "
        "ECF on November 24, 2025.";
    od_text *t = make_text(txt);
    od_segments *s = segment(t);
    char *got = kinds_of(t, s);

    ck_assert_str_eq(got, "body body signature signature signature "
                          "signature heading body");
    g_free(got);
    od_segments_free(s);
    free_text(t);
}
END_TEST

/* PDF input: boxes and flags decide quote, footnote, bold heading. */
START_TEST(test_layout_cues)
{
    static const char txt[] =
        "The Court has considered the parties' submissions and the record "
        "as a whole, and now rules on the motion.\n\n"
        "Legal Standard\n\n"
        "A party withholding otherwise discoverable information must expressly "
        "make the claim and describe the nature of the documents not produced "
        "in a manner that will enable other parties to assess the claim.\n\n"
        "The Ninth Circuit has applied this standard many times, and the "
        "Court follows that guidance here without exception today.\n\n"
        "See Burlington, 408 F.3d at 1149.";
    static const od_box boxes[] = {
        {72, 100, 540, 160}, {250, 170, 362, 184}, {108, 190, 504, 260},
        {72, 270, 540, 330}, {72, 700, 400, 712},
    };
    static const uint32_t flags[] = {
        OD_PARA_INDENTED, OD_PARA_BOLD | OD_PARA_CENTERED, 0, 0,
        OD_PARA_FOOTNOTE,
    };
    static const int lines[] = {3, 1, 4, 3, 1};
    od_text *t = make_text(txt);
    od_segments *s;
    char *got;

    ck_assert_uint_eq(t->n_paras, 5);
    t->n_pages = 2;
    for (size_t i = 0; i < t->n_paras; i++) {
        t->paras[i].page = 2;
        t->paras[i].box = boxes[i];
        t->paras[i].flags = flags[i];
        t->paras[i].n_lines = lines[i];
        t->paras[i].size = 12;
    }
    t->paras[4].footnote = 1;
    s = segment(t);
    got = kinds_of(t, s);
    ck_assert_str_eq(got, "body heading quote body footnote");
    g_free(got);
    od_segments_free(s);
    free_text(t);
}
END_TEST

/* Cues that must not fire: "V." is a roman numeral, "Date of" is prose,
 * "Judge Wang:" is an address, not a signature. */
START_TEST(test_false_cues)
{
    static const char txt[] =
        "Dear Judge Wang:\n\n"
        "The parties met and conferred twice and could not agree on the "
        "scope of the privilege review.\n\n"
        "V. The Remaining Issues\n\n"
        "Date of service is disputed.\n\n"
        "Exhibit B. The Court will not consider it further in this order.";
    od_text *t = make_text(txt);
    od_segments *s = segment(t);
    char *got = kinds_of(t, s);

    ck_assert_str_eq(got, "body body heading body body");
    ck_assert_int_eq(s->blocks[4].n_sentences, 2);
    g_free(got);
    od_segments_free(s);
    free_text(t);
}
END_TEST

/* PDF caption: centred court and parties, a bold title in Title Case;
 * a signature region stops at the end of its page. */
START_TEST(test_pdf_caption_and_page_end)
{
    static const char txt[] =
        "United States District Court\nDistrict of New Jersey\n\n"
        "Jane Doe v. Acme Corp.\n\n"
        "Opinion and Order\n\n"
        "This matter comes before the Court on the motion of Defendant to "
        "dismiss the complaint for lack of jurisdiction.\n\n"
        "SO ORDERED.\n\n"
        "Ona T. Wang\n\n"
        "list of custodians";
    static const int pages[] = {1, 1, 1, 1, 3, 3, 4};
    static const uint32_t flags[] = {
        OD_PARA_CENTERED, OD_PARA_CENTERED, OD_PARA_BOLD | OD_PARA_CENTERED,
        OD_PARA_INDENTED, 0, 0, 0,
    };
    od_text *t = make_text(txt);
    od_segments *s;
    char *got;

    ck_assert_uint_eq(t->n_paras, 7);
    t->n_pages = 4;
    for (size_t i = 0; i < t->n_paras; i++) {
        t->paras[i].page = pages[i];
        t->paras[i].flags = flags[i];
        t->paras[i].box = (od_box){72, 72.0f + 20 * (float)i, 540,
                                   90.0f + 20 * (float)i};
    }
    s = segment(t);
    got = kinds_of(t, s);
    ck_assert_str_eq(got,
                     "caption caption heading body signature signature body");
    g_free(got);
    od_segments_free(s);
    free_text(t);
}
END_TEST

START_TEST(test_kind_names)
{
    static const char *const names[] = {"caption", "heading", "body",
                                        "numbered", "footnote", "signature",
                                        "quote"};

    for (int k = 0; k < OD_BLOCK_N_KINDS; k++) {
        ck_assert_str_eq(od_block_kind_name((od_block_kind)k), names[k]);
        ck_assert_int_eq(od_block_kind_from_name(names[k]), k);
    }
    ck_assert_int_eq(od_block_kind_from_name("paragraph"), -1);
    ck_assert_int_eq(od_block_kind_from_name(NULL), -1);
    ck_assert_str_eq(od_block_kind_name(OD_BLOCK_N_KINDS), "unknown");
}
END_TEST

START_TEST(test_empty_and_no_list)
{
    od_text *t = make_text("");
    char *msg = NULL;
    od_segments *s = od_segment(t, NULL, NULL, &msg);

    ck_assert_ptr_nonnull(s);
    ck_assert_ptr_null(msg);
    ck_assert_uint_eq(s->n_blocks, 1);
    ck_assert_uint_eq(s->n_sentences, 0);
    ck_assert_int_eq(s->blocks[0].n_sentences, 0);
    od_segments_free(s);
    free_text(t);

    /* Without a list the built-in rules still hold. */
    t = make_text("Smith v. Jones, No. 5 (S.D.N.Y. 2020). Ona T. Wang. Mr. Roe.");
    s = od_segment(t, NULL, NULL, &msg);
    ck_assert_ptr_nonnull(s);
    /* ... but "Mr." is only in the list. */
    ck_assert_uint_eq(s->n_sentences, 4);
    ck_assert_int_eq(s->sentences[1].start, 39);
    ck_assert_int_eq(s->sentences[2].start, 52);
    ck_assert_int_eq(s->sentences[3].start, 56);
    od_segments_free(s);
    free_text(t);

    ck_assert_ptr_null(od_segment(NULL, NULL, NULL, &msg));
    ck_assert_str_eq(msg, "no text to segment");
    g_free(msg);
    od_segments_free(NULL);
}
END_TEST

/* 2,000 pages' worth of paragraphs, and a 200,000-character run with no
 * space: both must go through in linear time. */
START_TEST(test_long_input)
{
    GString *g = g_string_new(NULL);
    od_text *t;
    od_segments *s;

    for (int i = 0; i < 40000; i++)
        g_string_append_printf(g, "%sParagraph %d cites Smith v. Jones, 123 "
                               "F.3d 456 (2d Cir. 1999). It ends here.",
                               i ? "\n\n" : "", i);
    t = make_text(g->str);
    s = segment(t);
    ck_assert_uint_eq(s->n_blocks, 40000);
    ck_assert_uint_eq(s->n_sentences, 80000);
    ck_assert_int_eq(s->blocks[39999].kind, OD_BLOCK_BODY);
    od_segments_free(s);
    free_text(t);

    g_string_truncate(g, 0);
    for (int i = 0; i < 50000; i++)
        g_string_append(g, "5.Ab");
    g_string_append(g, ". End.");
    t = make_text(g->str);
    s = segment(t);
    ck_assert_uint_ge(s->n_sentences, 1);
    ck_assert_int_eq(s->sentences[s->n_sentences - 1].end, t->len);
    od_segments_free(s);
    free_text(t);
    g_string_free(g, TRUE);
}
END_TEST

static Suite *segment_suite(void)
{
    Suite *su = suite_create("segment");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_no_split, 0, (int)G_N_ELEMENTS(no_split));
    tcase_add_test(tc, test_must_split);
    tcase_add_test(tc, test_sentence_offsets);
    tcase_add_test(tc, test_order_kinds);
    tcase_add_test(tc, test_order_sentences);
    tcase_add_test(tc, test_pleading_caption);
    tcase_add_test(tc, test_letter_and_counsel_signature);
    tcase_add_test(tc, test_layout_cues);
    tcase_add_test(tc, test_false_cues);
    tcase_add_test(tc, test_pdf_caption_and_page_end);
    tcase_add_test(tc, test_kind_names);
    tcase_add_test(tc, test_empty_and_no_list);
    tcase_add_test(tc, test_long_input);
    suite_add_tcase(su, tc);
    return su;
}

int main(void)
{
    SRunner *sr;
    int failed;

    abbrevs = load_abbrevs(SEGMENT_RULES);
    {
        GString *errors = g_string_new(NULL);
        char *dir = g_path_get_dirname(SEGMENT_RULES);
        grammars = od_grammar_set_new();
        if (!od_grammar_set_add_dir(grammars, dir, errors)
            || !od_grammar_set_compile(grammars, errors)) {
            fprintf(stderr, "%s: %s\n", dir, errors->str);
            exit(2);
        }
        g_free(dir);
        g_string_free(errors, TRUE);
    }
    sr = srunner_create(segment_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    g_strfreev(abbrevs);
    od_grammar_set_free(grammars);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

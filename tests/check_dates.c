/*
 * check_dates.c - unit tests of parser/dates.c: the day arithmetic
 * (checked against ICU's Gregorian calendar), every written date form
 * with its exact value, rejected and ambiguous dates, times of day,
 * numbers, the Rule 6(a)(6)(A) legal holidays of 2020-2035 (against a
 * table written out here, not computed by the code under test) and
 * worked Rule 6(a) periods.  Expected dates were checked with `date -d`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <unicode/ucal.h>

#include "ordex_p.h"

static void iso_of(od_date d, char out[11])
{
    od_date_iso(d, out);
}

/* ------------------------------------------------------------------ */
/* Day arithmetic                                                       */

START_TEST(test_valid)
{
    ck_assert(od_date_valid(2024, 2, 29));
    ck_assert(!od_date_valid(2025, 2, 29));
    ck_assert(!od_date_valid(1900, 2, 29));
    ck_assert(od_date_valid(2000, 2, 29));
    ck_assert(!od_date_valid(2025, 2, 30));
    ck_assert(!od_date_valid(2025, 4, 31));
    ck_assert(od_date_valid(2025, 12, 31));
    ck_assert(!od_date_valid(2025, 13, 1));
    ck_assert(!od_date_valid(2025, 0, 1));
    ck_assert(!od_date_valid(2025, 1, 0));
    ck_assert(!od_date_valid(0, 1, 1));
    ck_assert(!od_date_valid(10000, 1, 1));
}
END_TEST

START_TEST(test_arith_basics)
{
    char iso[11];
    od_date d = {2025, 12, 8};

    ck_assert_int_eq(od_date_weekday(d), 1); /* Monday */
    ck_assert_int_eq(od_date_weekday((od_date){1, 1, 1}), 1);
    ck_assert_int_eq(od_date_weekday((od_date){2000, 1, 1}), 6);
    ck_assert_int_eq(od_date_weekday((od_date){1970, 1, 1}), 4);
    iso_of(od_date_add_days(d, 24), iso);
    ck_assert_str_eq(iso, "2026-01-01");
    iso_of(od_date_add_days((od_date){2024, 3, 1}, -1), iso);
    ck_assert_str_eq(iso, "2024-02-29");
    iso_of(od_date_add_days((od_date){2100, 2, 28}, 1), iso);
    ck_assert_str_eq(iso, "2100-03-01");
    iso_of(od_date_add_days((od_date){1, 1, 1}, 3652058), iso);
    ck_assert_str_eq(iso, "9999-12-31");
    ck_assert_int_eq(od_date_diff((od_date){2025, 11, 24}, (od_date){2025, 12, 8}), 14);
    ck_assert_int_eq(od_date_diff((od_date){2025, 12, 8}, (od_date){2025, 11, 24}), -14);
    ck_assert_int_eq(od_date_diff((od_date){2000, 1, 1}, (od_date){2100, 1, 1}), 36525);
    ck_assert_str_eq(od_date_weekday_name(0), "Sunday");
    ck_assert_str_eq(od_date_weekday_name(6), "Saturday");
    ck_assert_str_eq(od_date_weekday_name(7), "");
    ck_assert_str_eq(od_date_weekday_name(-1), "");
    iso_of((od_date){2025, 1, 5}, iso);
    ck_assert_str_eq(iso, "2025-01-05");
    iso_of((od_date){12025, 1, 5}, iso);
    ck_assert_str_eq(iso, "0000-00-00");
}
END_TEST

/* Walks every day of 1600-2400 in ICU's Gregorian calendar (UTC) and in
 * ours, comparing year, month, day, weekday and the day difference. */
START_TEST(test_arith_vs_icu)
{
    UErrorCode err = U_ZERO_ERROR;
    UCalendar *cal = ucal_open(u"UTC", -1, "en_US@calendar=gregorian",
                               UCAL_GREGORIAN, &err);
    od_date start = {1600, 1, 1}, d = start;
    UDate t0;
    int i;

    ck_assert_msg(!U_FAILURE(err), "ucal_open: %s", u_errorName(err));
    ucal_setDate(cal, 1600, UCAL_JANUARY, 1, &err);
    ucal_set(cal, UCAL_HOUR_OF_DAY, 12);
    ck_assert(!U_FAILURE(err));
    t0 = ucal_getMillis(cal, &err);
    for (i = 0; i < 292000; i++) {
        int y = ucal_get(cal, UCAL_EXTENDED_YEAR, &err);
        int m = ucal_get(cal, UCAL_MONTH, &err) + 1;
        int day = ucal_get(cal, UCAL_DATE, &err);
        int wd = ucal_get(cal, UCAL_DAY_OF_WEEK, &err) - UCAL_SUNDAY;
        double ms = ucal_getMillis(cal, &err);

        ck_assert(!U_FAILURE(err));
        if (d.year != y || d.month != m || d.day != day)
            ck_abort_msg("day %d: ICU %04d-%02d-%02d, ordex %04d-%02d-%02d", i,
                         y, m, day, d.year, d.month, d.day);
        ck_assert_int_eq(od_date_weekday(d), wd);
        ck_assert(od_date_valid(d.year, d.month, d.day));
        ck_assert_int_eq(od_date_diff(start, d), (int)((ms - t0) / 86400000.0));
        ck_assert_int_eq(od_date_diff(start, od_date_add_days(start, i)), i);
        d = od_date_add_days(d, 1);
        ucal_add(cal, UCAL_DATE, 1, &err);
    }
    ck_assert_int_eq(d.year, 2399);
    ucal_close(cal);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Dates                                                                */

typedef struct date_case {
    const char *text;
    int y, m, d;
    bool ambiguous;
} date_case;

static const date_case good_dates[] = {
    {"December 8, 2025", 2025, 12, 8, false},
    {"December 8 2025", 2025, 12, 8, false},
    {"Dec. 8, 2025", 2025, 12, 8, false},
    {"Dec 8, 2025", 2025, 12, 8, false},
    {"Sept. 8, 2025", 2025, 9, 8, false},
    {"Sep. 8, 2025", 2025, 9, 8, false},
    {"DECEMBER 8, 2025", 2025, 12, 8, false},
    {"december 08, 2025", 2025, 12, 8, false},
    {"12/8/2025", 2025, 12, 8, true},
    {"12/08/25", 2025, 12, 8, true},
    {"12-08-2025", 2025, 12, 8, true},
    {"12-08-25", 2025, 12, 8, true},
    {"8 December 2025", 2025, 12, 8, false},
    {"8th December 2025", 2025, 12, 8, false},
    {"8th of December, 2025", 2025, 12, 8, false},
    {"December 8th, 2025", 2025, 12, 8, false},
    {"December 1st, 2025", 2025, 12, 1, false},
    {"December 22nd, 2025", 2025, 12, 22, false},
    {"December 23rd, 2025", 2025, 12, 23, false},
    {"December 11th, 2025", 2025, 12, 11, false},
    {"December eighth, 2025", 2025, 12, 8, false},
    {"the 8th day of December, 2025", 2025, 12, 8, false},
    {"this 8th day of December 2025", 2025, 12, 8, false},
    {"The 8th day of December, 2025", 2025, 12, 8, false},
    {"the eighth day of December, 2025", 2025, 12, 8, false},
    {"this twenty-first day of March, 2024", 2024, 3, 21, false},
    {"this twenty first day of March, 2024", 2024, 3, 21, false},
    {"the thirtieth day of April, 2024", 2024, 4, 30, false},
    {"the thirty-first day of May, 2024", 2024, 5, 31, false},
    {"the twentieth day of May, 2024", 2024, 5, 20, false},
    {"Friday, June 7, 2019", 2019, 6, 7, false},
    {"Friday June 7, 2019", 2019, 6, 7, false},
    {"Fri., June 7, 2019", 2019, 6, 7, false},
    {"Monday, 12/8/2025", 2025, 12, 8, false}, /* 8/12/2025 is a Tuesday */
    {"Monday, 3/10/2025", 2025, 3, 10, false}, /* 10/3/2025 is a Friday */
    {"Tuesday, 1/7/2025", 2025, 1, 7, true},   /* so is 7/1/2025 */
    {"2025-12-08", 2025, 12, 8, false},
    {"  December 8, 2025 \n", 2025, 12, 8, false},
    {"December\u00a08,\u00a02025", 2025, 12, 8, false},
    {"February 29, 2024", 2024, 2, 29, false},
    {"1/1/00", 2000, 1, 1, false},
    {"1/2/69", 2069, 1, 2, true},
    {"1/2/70", 1970, 1, 2, true},
    {"12/31/99", 1999, 12, 31, false},
    {"3/4/2025", 2025, 3, 4, true},
    {"03/04/2025", 2025, 3, 4, true},
    {"12/31/2025", 2025, 12, 31, false},
    {"12/12/2025", 2025, 12, 12, false},
    {"1/13/2025", 2025, 1, 13, false},
    {"12/11/2025", 2025, 12, 11, true},
};

static const char *const bad_dates[] = {
    "February 30, 2025",
    "2/30/2025",
    "June 31, 2025",
    "April 31, 2025",
    "February 29, 2025",
    "13/1/2025",
    "13/01/25",
    "0/1/2025",
    "2025-13-01",
    "2025-02-29",
    "Thursday, June 7, 2019",    /* June 7, 2019 was a Friday */
    "Monday, December 9, 2025",  /* a Tuesday */
    "December 8, 2025 at noon",
    "on December 8, 2025",
    "December 8",
    "December 2025",
    "December 8, 25",
    "12/8/202",
    "12/8",
    "12/8-2025",
    "12 / 8 / 2025",
    "December 8rd, 2025",
    "December 32, 2025",
    "the 8th of December, 2025 day",
    "the fortieth day of May, 2024",
    "Decembre 8, 2025",
    "",
    "   ",
    "8",
    "2025",
    "\xff\xfe",
    "December 8, 2025\xc3",
};

START_TEST(test_date_forms)
{
    size_t n = sizeof good_dates / sizeof good_dates[0];

    for (size_t i = 0; i < n; i++) {
        const date_case *c = &good_dates[i];
        od_date d = {0, 0, 0};
        bool amb = !c->ambiguous;

        if (!od_date_parse(c->text, strlen(c->text), &d, &amb))
            ck_abort_msg("rejected \"%s\"", c->text);
        if (d.year != c->y || d.month != c->m || d.day != c->d)
            ck_abort_msg("\"%s\": %d-%d-%d, expected %d-%d-%d", c->text,
                         d.year, d.month, d.day, c->y, c->m, c->d);
        ck_assert_msg(amb == c->ambiguous, "\"%s\": ambiguous=%d", c->text, amb);
    }
}
END_TEST

START_TEST(test_date_rejects)
{
    for (size_t i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++) {
        od_date d = {1, 2, 3};
        bool amb = true;

        ck_assert_msg(!od_date_parse(bad_dates[i], strlen(bad_dates[i]), &d, &amb),
                      "accepted \"%s\" as %d-%d-%d", bad_dates[i], d.year,
                      d.month, d.day);
        ck_assert(!amb);
        ck_assert_int_eq(d.year, 1); /* *out untouched on failure */
    }
}
END_TEST

START_TEST(test_date_edges)
{
    od_date d;
    bool amb;
    char big[400];
    static const char nul[] = "December 8,\0 2025";

    /* The length counts, not a NUL. */
    ck_assert(od_date_parse("12/8/2025 trailing", 9, &d, &amb));
    ck_assert_int_eq(d.day, 8);
    ck_assert(!od_date_parse(nul, sizeof nul - 1, &d, &amb));
    ck_assert(!od_date_parse(NULL, 0, &d, &amb));
    /* NULL out-parameters are allowed. */
    ck_assert(od_date_parse("3/4/2025", 8, NULL, NULL));
    /* Too long to be a date. */
    memset(big, ' ', sizeof big);
    memcpy(big + 300, "December 8, 2025", 16);
    ck_assert(!od_date_parse(big, sizeof big, &d, &amb));
    /* More tokens than a date has. */
    ck_assert(!od_date_parse("1/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1", 33, &d, &amb));
}
END_TEST

/* ------------------------------------------------------------------ */
/* Times                                                                */

START_TEST(test_times)
{
    static const struct {
        const char *text, *hhmm;
    } good[] = {
        {"10:30 a.m.", "10:30"}, {"10:30 AM", "10:30"}, {"10:30am", "10:30"},
        {"10:30 A.M.", "10:30"}, {"10:30 a.m", "10:30"}, {"9:05 a. m.", "09:05"},
        {"2:00 p.m.", "14:00"}, {"2 p.m.", "14:00"}, {"5:00 PM", "17:00"},
        {"5pm", "17:00"}, {"noon", "12:00"}, {"Noon", "12:00"},
        {"12:00 noon", "12:00"}, {"12 noon", "12:00"}, {"midnight", "00:00"},
        {"12:00 midnight", "00:00"}, {"14:30", "14:30"}, {"0:00", "00:00"},
        {"23:59", "23:59"}, {"12:00 p.m.", "12:00"}, {"12:00 a.m.", "00:00"},
        {"12:30 a.m.", "00:30"}, {"11:59 p.m.", "23:59"}, {" 9:00 ", "09:00"},
    };
    static const char *const bad[] = {
        "14", "13:00 p.m.", "0:30 a.m.", "24:00", "10:60", "10:5", "10:300",
        "10:30 x.m.", "1:00 noon", "12:30 noon", "noon today", "10:30 a.m. ET",
        "p.m.", "10 :30", "", "ten thirty",
    };
    char out[6];

    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        memset(out, 'x', sizeof out);
        ck_assert_msg(od_time_parse(good[i].text, strlen(good[i].text), out),
                      "rejected \"%s\"", good[i].text);
        ck_assert_str_eq(out, good[i].hhmm);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(!od_time_parse(bad[i], strlen(bad[i]), out),
                      "accepted \"%s\" as %s", bad[i], out);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Numbers                                                              */

START_TEST(test_numbers)
{
    static const struct {
        const char *text;
        int value;
    } good[] = {
        {"14", 14}, {"fourteen", 14}, {"Fourteen", 14}, {"FOURTEEN", 14},
        {"fourteen (14)", 14}, {"fourteen(14)", 14}, {"thirty-one", 31},
        {"thirty one", 31}, {"thirty\u2013one", 31}, {"sixty", 60},
        {"sixty (60)", 60}, {"one hundred twenty", 120},
        {"one hundred and twenty (120)", 120}, {"one hundred", 100},
        {"two hundred five", 205}, {"one-hundred-twenty", 120},
        {"a", 1}, {"A", 1}, {"one", 1}, {"zero", 0}, {"ten", 10},
        {"ninety-nine", 99}, {"fourteen (15)", 15}, {" 7 ", 7}, {"007", 7},
        {"nine hundred ninety-nine", 999},
    };
    static const char *const bad[] = {
        "", "fourteen days", "fourteen 14", "(14)", "14 (fourteen)",
        "thirty-", "one hundred and", "hundred", "and", "twenty twenty",
        "fourteen (14", "fourteen (fifteen)", "eleventy", "1,000", "-5",
        "1234567890", "ten hundred", "an", "one two",
    };
    int v;

    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        v = -1;
        ck_assert_msg(od_number_parse(good[i].text, strlen(good[i].text), &v),
                      "rejected \"%s\"", good[i].text);
        ck_assert_msg(v == good[i].value, "\"%s\" -> %d, expected %d",
                      good[i].text, v, good[i].value);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = -1;
        ck_assert_msg(!od_number_parse(bad[i], strlen(bad[i]), &v),
                      "accepted \"%s\" as %d", bad[i], v);
    }
}
END_TEST

/* ------------------------------------------------------------------ */
/* Legal holidays                                                       */

/* Observed federal holidays, 2020-2035 (OPM's tables for the published
 * years; the same rules for the rest). */
static const struct {
    int y, m, d;
    const char *name;
} holidays[] = {
    {2020, 1, 1, "New Year's Day"},
    {2020, 1, 20, "Martin Luther King Jr.'s Birthday"},
    {2020, 2, 17, "Washington's Birthday"},
    {2020, 5, 25, "Memorial Day"},
    {2020, 7, 3, "Independence Day"},
    {2020, 9, 7, "Labor Day"},
    {2020, 10, 12, "Columbus Day"},
    {2020, 11, 11, "Veterans Day"},
    {2020, 11, 26, "Thanksgiving Day"},
    {2020, 12, 25, "Christmas Day"},
    {2021, 1, 1, "New Year's Day"},
    {2021, 1, 18, "Martin Luther King Jr.'s Birthday"},
    {2021, 2, 15, "Washington's Birthday"},
    {2021, 5, 31, "Memorial Day"},
    {2021, 6, 18, "Juneteenth National Independence Day"},
    {2021, 7, 5, "Independence Day"},
    {2021, 9, 6, "Labor Day"},
    {2021, 10, 11, "Columbus Day"},
    {2021, 11, 11, "Veterans Day"},
    {2021, 11, 25, "Thanksgiving Day"},
    {2021, 12, 24, "Christmas Day"},
    {2021, 12, 31, "New Year's Day"},
    {2022, 1, 17, "Martin Luther King Jr.'s Birthday"},
    {2022, 2, 21, "Washington's Birthday"},
    {2022, 5, 30, "Memorial Day"},
    {2022, 6, 20, "Juneteenth National Independence Day"},
    {2022, 7, 4, "Independence Day"},
    {2022, 9, 5, "Labor Day"},
    {2022, 10, 10, "Columbus Day"},
    {2022, 11, 11, "Veterans Day"},
    {2022, 11, 24, "Thanksgiving Day"},
    {2022, 12, 26, "Christmas Day"},
    {2023, 1, 2, "New Year's Day"},
    {2023, 1, 16, "Martin Luther King Jr.'s Birthday"},
    {2023, 2, 20, "Washington's Birthday"},
    {2023, 5, 29, "Memorial Day"},
    {2023, 6, 19, "Juneteenth National Independence Day"},
    {2023, 7, 4, "Independence Day"},
    {2023, 9, 4, "Labor Day"},
    {2023, 10, 9, "Columbus Day"},
    {2023, 11, 10, "Veterans Day"},
    {2023, 11, 23, "Thanksgiving Day"},
    {2023, 12, 25, "Christmas Day"},
    {2024, 1, 1, "New Year's Day"},
    {2024, 1, 15, "Martin Luther King Jr.'s Birthday"},
    {2024, 2, 19, "Washington's Birthday"},
    {2024, 5, 27, "Memorial Day"},
    {2024, 6, 19, "Juneteenth National Independence Day"},
    {2024, 7, 4, "Independence Day"},
    {2024, 9, 2, "Labor Day"},
    {2024, 10, 14, "Columbus Day"},
    {2024, 11, 11, "Veterans Day"},
    {2024, 11, 28, "Thanksgiving Day"},
    {2024, 12, 25, "Christmas Day"},
    {2025, 1, 1, "New Year's Day"},
    {2025, 1, 20, "Martin Luther King Jr.'s Birthday"},
    {2025, 2, 17, "Washington's Birthday"},
    {2025, 5, 26, "Memorial Day"},
    {2025, 6, 19, "Juneteenth National Independence Day"},
    {2025, 7, 4, "Independence Day"},
    {2025, 9, 1, "Labor Day"},
    {2025, 10, 13, "Columbus Day"},
    {2025, 11, 11, "Veterans Day"},
    {2025, 11, 27, "Thanksgiving Day"},
    {2025, 12, 25, "Christmas Day"},
    {2026, 1, 1, "New Year's Day"},
    {2026, 1, 19, "Martin Luther King Jr.'s Birthday"},
    {2026, 2, 16, "Washington's Birthday"},
    {2026, 5, 25, "Memorial Day"},
    {2026, 6, 19, "Juneteenth National Independence Day"},
    {2026, 7, 3, "Independence Day"},
    {2026, 9, 7, "Labor Day"},
    {2026, 10, 12, "Columbus Day"},
    {2026, 11, 11, "Veterans Day"},
    {2026, 11, 26, "Thanksgiving Day"},
    {2026, 12, 25, "Christmas Day"},
    {2027, 1, 1, "New Year's Day"},
    {2027, 1, 18, "Martin Luther King Jr.'s Birthday"},
    {2027, 2, 15, "Washington's Birthday"},
    {2027, 5, 31, "Memorial Day"},
    {2027, 6, 18, "Juneteenth National Independence Day"},
    {2027, 7, 5, "Independence Day"},
    {2027, 9, 6, "Labor Day"},
    {2027, 10, 11, "Columbus Day"},
    {2027, 11, 11, "Veterans Day"},
    {2027, 11, 25, "Thanksgiving Day"},
    {2027, 12, 24, "Christmas Day"},
    {2027, 12, 31, "New Year's Day"},
    {2028, 1, 17, "Martin Luther King Jr.'s Birthday"},
    {2028, 2, 21, "Washington's Birthday"},
    {2028, 5, 29, "Memorial Day"},
    {2028, 6, 19, "Juneteenth National Independence Day"},
    {2028, 7, 4, "Independence Day"},
    {2028, 9, 4, "Labor Day"},
    {2028, 10, 9, "Columbus Day"},
    {2028, 11, 10, "Veterans Day"},
    {2028, 11, 23, "Thanksgiving Day"},
    {2028, 12, 25, "Christmas Day"},
    {2029, 1, 1, "New Year's Day"},
    {2029, 1, 15, "Martin Luther King Jr.'s Birthday"},
    {2029, 2, 19, "Washington's Birthday"},
    {2029, 5, 28, "Memorial Day"},
    {2029, 6, 19, "Juneteenth National Independence Day"},
    {2029, 7, 4, "Independence Day"},
    {2029, 9, 3, "Labor Day"},
    {2029, 10, 8, "Columbus Day"},
    {2029, 11, 12, "Veterans Day"},
    {2029, 11, 22, "Thanksgiving Day"},
    {2029, 12, 25, "Christmas Day"},
    {2030, 1, 1, "New Year's Day"},
    {2030, 1, 21, "Martin Luther King Jr.'s Birthday"},
    {2030, 2, 18, "Washington's Birthday"},
    {2030, 5, 27, "Memorial Day"},
    {2030, 6, 19, "Juneteenth National Independence Day"},
    {2030, 7, 4, "Independence Day"},
    {2030, 9, 2, "Labor Day"},
    {2030, 10, 14, "Columbus Day"},
    {2030, 11, 11, "Veterans Day"},
    {2030, 11, 28, "Thanksgiving Day"},
    {2030, 12, 25, "Christmas Day"},
    {2031, 1, 1, "New Year's Day"},
    {2031, 1, 20, "Martin Luther King Jr.'s Birthday"},
    {2031, 2, 17, "Washington's Birthday"},
    {2031, 5, 26, "Memorial Day"},
    {2031, 6, 19, "Juneteenth National Independence Day"},
    {2031, 7, 4, "Independence Day"},
    {2031, 9, 1, "Labor Day"},
    {2031, 10, 13, "Columbus Day"},
    {2031, 11, 11, "Veterans Day"},
    {2031, 11, 27, "Thanksgiving Day"},
    {2031, 12, 25, "Christmas Day"},
    {2032, 1, 1, "New Year's Day"},
    {2032, 1, 19, "Martin Luther King Jr.'s Birthday"},
    {2032, 2, 16, "Washington's Birthday"},
    {2032, 5, 31, "Memorial Day"},
    {2032, 6, 18, "Juneteenth National Independence Day"},
    {2032, 7, 5, "Independence Day"},
    {2032, 9, 6, "Labor Day"},
    {2032, 10, 11, "Columbus Day"},
    {2032, 11, 11, "Veterans Day"},
    {2032, 11, 25, "Thanksgiving Day"},
    {2032, 12, 24, "Christmas Day"},
    {2032, 12, 31, "New Year's Day"},
    {2033, 1, 17, "Martin Luther King Jr.'s Birthday"},
    {2033, 2, 21, "Washington's Birthday"},
    {2033, 5, 30, "Memorial Day"},
    {2033, 6, 20, "Juneteenth National Independence Day"},
    {2033, 7, 4, "Independence Day"},
    {2033, 9, 5, "Labor Day"},
    {2033, 10, 10, "Columbus Day"},
    {2033, 11, 11, "Veterans Day"},
    {2033, 11, 24, "Thanksgiving Day"},
    {2033, 12, 26, "Christmas Day"},
    {2034, 1, 2, "New Year's Day"},
    {2034, 1, 16, "Martin Luther King Jr.'s Birthday"},
    {2034, 2, 20, "Washington's Birthday"},
    {2034, 5, 29, "Memorial Day"},
    {2034, 6, 19, "Juneteenth National Independence Day"},
    {2034, 7, 4, "Independence Day"},
    {2034, 9, 4, "Labor Day"},
    {2034, 10, 9, "Columbus Day"},
    {2034, 11, 10, "Veterans Day"},
    {2034, 11, 23, "Thanksgiving Day"},
    {2034, 12, 25, "Christmas Day"},
    {2035, 1, 1, "New Year's Day"},
    {2035, 1, 15, "Martin Luther King Jr.'s Birthday"},
    {2035, 2, 19, "Washington's Birthday"},
    {2035, 5, 28, "Memorial Day"},
    {2035, 6, 19, "Juneteenth National Independence Day"},
    {2035, 7, 4, "Independence Day"},
    {2035, 9, 3, "Labor Day"},
    {2035, 10, 8, "Columbus Day"},
    {2035, 11, 12, "Veterans Day"},
    {2035, 11, 22, "Thanksgiving Day"},
    {2035, 12, 25, "Christmas Day"},
};

/* Every day of 2020-2035 is a holiday exactly when the table says so,
 * with the table's name. */
START_TEST(test_holiday_table)
{
    size_t n = sizeof holidays / sizeof holidays[0], k = 0, found = 0;
    od_date d = {2020, 1, 1};

    while (d.year <= 2035) {
        const char *name = "unset";
        bool hol = od_is_legal_holiday(d, &name);
        bool expect = k < n && holidays[k].y == d.year &&
                      holidays[k].m == d.month && holidays[k].d == d.day;

        if (hol != expect)
            ck_abort_msg("%04d-%02d-%02d: holiday=%d, expected %d", d.year,
                         d.month, d.day, hol, expect);
        if (expect) {
            ck_assert_str_eq(name, holidays[k].name);
            k++;
            found++;
        } else {
            ck_assert_ptr_null(name);
        }
        d = od_date_add_days(d, 1);
    }
    ck_assert_uint_eq(found, n);
    ck_assert_uint_eq(n, 175);
}
END_TEST

START_TEST(test_holiday_edges)
{
    const char *name;

    /* The actual day of a holiday observed elsewhere is not a holiday. */
    ck_assert(!od_is_legal_holiday((od_date){2026, 7, 4}, &name));
    ck_assert(!od_is_legal_holiday((od_date){2022, 1, 1}, &name));
    ck_assert(!od_is_legal_holiday((od_date){2021, 6, 19}, &name));
    /* No Juneteenth before 2021, no King holiday before 1986. */
    ck_assert(!od_is_legal_holiday((od_date){2020, 6, 19}, &name));
    ck_assert(!od_is_legal_holiday((od_date){1985, 1, 21}, &name));
    ck_assert(od_is_legal_holiday((od_date){1986, 1, 20}, &name));
    ck_assert_str_eq(name, "Martin Luther King Jr.'s Birthday");
    /* New Year's Day 2011 (a Saturday) was observed on 2010-12-31. */
    ck_assert(od_is_legal_holiday((od_date){2010, 12, 31}, &name));
    ck_assert_str_eq(name, "New Year's Day");
    ck_assert(!od_is_legal_holiday((od_date){2025, 2, 30}, &name));
    ck_assert_ptr_null(name);
    ck_assert(od_is_legal_holiday((od_date){2025, 12, 25}, NULL));
}
END_TEST

/* ------------------------------------------------------------------ */
/* Rule 6(a)                                                            */

typedef struct rule6_case {
    od_date anchor;
    int n;
    od_period_unit unit;
    bool backward;
    const char *end;
    const char *explain;
} rule6_case;

static const rule6_case rule6_cases[] = {
    /* plain */
    {{2025, 11, 24}, 14, OD_UNIT_DAYS, false, "2025-12-08",
     "2025-11-24 + 14 days = 2025-12-08"},
    {{2025, 11, 21}, 14, OD_UNIT_DAYS, false, "2025-12-05",
     "2025-11-21 + 14 days = 2025-12-05"},
    {{2025, 11, 24}, 1, OD_UNIT_DAYS, false, "2025-11-25",
     "2025-11-24 + 1 day = 2025-11-25"},
    /* landing on a Saturday, a Sunday */
    {{2025, 11, 22}, 14, OD_UNIT_DAYS, false, "2025-12-08",
     "2025-11-22 + 14 days = 2025-12-06 (Saturday); rolled forward to Monday 2025-12-08"},
    {{2025, 11, 23}, 14, OD_UNIT_DAYS, false, "2025-12-08",
     "2025-11-23 + 14 days = 2025-12-07 (Sunday); rolled forward to Monday 2025-12-08"},
    /* a Monday holiday rolls to Tuesday */
    {{2025, 9, 29}, 14, OD_UNIT_DAYS, false, "2025-10-14",
     "2025-09-29 + 14 days = 2025-10-13 (Columbus Day); rolled forward to Tuesday 2025-10-14"},
    /* Saturday, Sunday, then the King holiday */
    {{2026, 1, 3}, 14, OD_UNIT_DAYS, false, "2026-01-20",
     "2026-01-03 + 14 days = 2026-01-17 (Saturday); rolled forward to Tuesday 2026-01-20"},
    /* an observed holiday on a Friday */
    {{2026, 6, 19}, 14, OD_UNIT_DAYS, false, "2026-07-06",
     "2026-06-19 + 14 days = 2026-07-03 (Independence Day); rolled forward to Monday 2026-07-06"},
    {{2025, 12, 11}, 14, OD_UNIT_DAYS, false, "2025-12-26",
     "2025-12-11 + 14 days = 2025-12-25 (Christmas Day); rolled forward to Friday 2025-12-26"},
    /* across a year end */
    {{2025, 12, 18}, 14, OD_UNIT_DAYS, false, "2026-01-02",
     "2025-12-18 + 14 days = 2026-01-01 (New Year's Day); rolled forward to Friday 2026-01-02"},
    {{2021, 12, 17}, 14, OD_UNIT_DAYS, false, "2022-01-03",
     "2021-12-17 + 14 days = 2021-12-31 (New Year's Day); rolled forward to Monday 2022-01-03"},
    /* backward */
    {{2026, 1, 20}, 14, OD_UNIT_DAYS, true, "2026-01-06",
     "2026-01-20 - 14 days = 2026-01-06"},
    {{2026, 1, 18}, 14, OD_UNIT_DAYS, true, "2026-01-02",
     "2026-01-18 - 14 days = 2026-01-04 (Sunday); rolled back to Friday 2026-01-02"},
    {{2026, 1, 15}, 14, OD_UNIT_DAYS, true, "2025-12-31",
     "2026-01-15 - 14 days = 2026-01-01 (New Year's Day); rolled back to Wednesday 2025-12-31"},
    /* court days over a weekend and Thanksgiving */
    {{2025, 11, 24}, 5, OD_UNIT_COURT_DAYS, false, "2025-12-02",
     "2025-11-24 + 5 court days = 2025-12-02"},
    {{2025, 12, 2}, 5, OD_UNIT_COURT_DAYS, true, "2025-11-24",
     "2025-12-02 - 5 court days = 2025-11-24"},
    {{2025, 12, 24}, 1, OD_UNIT_COURT_DAYS, false, "2025-12-26",
     "2025-12-24 + 1 court day = 2025-12-26"},
    /* weeks */
    {{2025, 11, 24}, 2, OD_UNIT_WEEKS, false, "2025-12-08",
     "2025-11-24 + 2 weeks = 2025-12-08"},
    {{2025, 11, 29}, 1, OD_UNIT_WEEKS, false, "2025-12-08",
     "2025-11-29 + 1 week = 2025-12-06 (Saturday); rolled forward to Monday 2025-12-08"},
    /* months: the same day number, clamped, then the roll */
    {{2025, 1, 31}, 1, OD_UNIT_MONTHS, false, "2025-02-28",
     "2025-01-31 + 1 month = 2025-02-28"},
    {{2024, 1, 31}, 1, OD_UNIT_MONTHS, false, "2024-02-29",
     "2024-01-31 + 1 month = 2024-02-29"},
    {{2026, 1, 31}, 1, OD_UNIT_MONTHS, false, "2026-03-02",
     "2026-01-31 + 1 month = 2026-02-28 (Saturday); rolled forward to Monday 2026-03-02"},
    {{2026, 3, 31}, 1, OD_UNIT_MONTHS, true, "2026-02-27",
     "2026-03-31 - 1 month = 2026-02-28 (Saturday); rolled back to Friday 2026-02-27"},
    {{2025, 3, 4}, 12, OD_UNIT_MONTHS, false, "2026-03-04",
     "2025-03-04 + 12 months = 2026-03-04"},
    {{2025, 11, 30}, 3, OD_UNIT_MONTHS, false, "2026-03-02",
     "2025-11-30 + 3 months = 2026-02-28 (Saturday); rolled forward to Monday 2026-03-02"},
};

START_TEST(test_rule6)
{
    for (size_t i = 0; i < sizeof rule6_cases / sizeof rule6_cases[0]; i++) {
        const rule6_case *c = &rule6_cases[i];
        char *explain = NULL;
        char iso[11];
        od_date end = od_rule6_compute(c->anchor, c->n, c->unit, c->backward,
                                       &explain);

        iso_of(end, iso);
        ck_assert_msg(strcmp(iso, c->end) == 0, "case %zu: %s, expected %s",
                      i, iso, c->end);
        ck_assert_ptr_nonnull(explain);
        ck_assert_str_eq(explain, c->explain);
        g_free(explain);
        /* explain may be NULL. */
        end = od_rule6_compute(c->anchor, c->n, c->unit, c->backward, NULL);
        iso_of(end, iso);
        ck_assert_str_eq(iso, c->end);
    }
}
END_TEST

START_TEST(test_rule6_edges)
{
    char *explain = NULL;
    char iso[11];
    od_date end;

    /* A negative count runs the other way. */
    end = od_rule6_compute((od_date){2026, 1, 20}, -14, OD_UNIT_DAYS, false, &explain);
    iso_of(end, iso);
    ck_assert_str_eq(iso, "2026-01-06");
    ck_assert_str_eq(explain, "2026-01-20 - 14 days = 2026-01-06");
    g_free(explain);
    /* Zero days from a Saturday still rolls. */
    end = od_rule6_compute((od_date){2025, 12, 6}, 0, OD_UNIT_DAYS, false, &explain);
    iso_of(end, iso);
    ck_assert_str_eq(iso, "2025-12-08");
    g_free(explain);
    /* An impossible anchor comes back unchanged. */
    end = od_rule6_compute((od_date){2025, 2, 30}, 14, OD_UNIT_DAYS, false, &explain);
    ck_assert_int_eq(end.day, 30);
    ck_assert_str_eq(explain, "the anchor date is not a valid date");
    g_free(explain);
    /* Huge counts are cut short and stay quick. */
    end = od_rule6_compute((od_date){2025, 1, 6}, 2000000000, OD_UNIT_COURT_DAYS,
                           false, &explain);
    ck_assert_str_eq(explain, "2025-01-06 + 36600 court days = 2171-06-24");
    ck_assert(od_date_valid(end.year, end.month, end.day));
    g_free(explain);
    end = od_rule6_compute((od_date){2025, 1, 6}, -2147483647 - 1, OD_UNIT_MONTHS,
                           false, &explain);
    ck_assert(od_date_valid(end.year, end.month, end.day));
    ck_assert_int_lt(end.year, 2025);
    g_free(explain);
}
END_TEST

static Suite *dates_suite(void)
{
    Suite *s = suite_create("dates");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_valid);
    tcase_add_test(tc, test_arith_basics);
    tcase_add_test(tc, test_arith_vs_icu);
    tcase_add_test(tc, test_date_forms);
    tcase_add_test(tc, test_date_rejects);
    tcase_add_test(tc, test_date_edges);
    tcase_add_test(tc, test_times);
    tcase_add_test(tc, test_numbers);
    tcase_add_test(tc, test_holiday_table);
    tcase_add_test(tc, test_holiday_edges);
    tcase_add_test(tc, test_rule6);
    tcase_add_test(tc, test_rule6_edges);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(dates_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

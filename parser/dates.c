/*
 * dates.c - calendar dates, times of day and counted numbers as written in
 * US court orders, and the time computation of Fed. R. Civ. P. 6(a).  It
 * sits beside the pipeline: stage 5 (records.c) hands it the text that the
 * grammars captured ("December 8, 2025", "2:00 p.m.", "fourteen (14)") and
 * asks it for the day a period ends.
 *
 * Day arithmetic is a plain proleptic-Gregorian day count (days since
 * 0001-01-01) rather than ICU's ucal_*: it is O(1), allocation-free,
 * needs no per-call calendar object or error handling, has no Julian
 * cut-over to switch off, and is trivially thread-safe.  The unit tests
 * check it against ICU's Gregorian calendar over a long range.  Input
 * text is decoded and classified with ICU (u_strFromUTF8, character
 * properties, case folding) and then parsed by hand from a short token
 * list; there is no global mutable state, so every function may be called
 * from many threads at once.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "ordex_p.h"

/* ------------------------------------------------------------------ */
/* Day numbers                                                          */

static const int days_before_month[13] = {
    0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334,
};

static const char *const weekday_names[7] = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
};

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_length(int64_t y, int m)
{
    static const int len[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    return m == 2 && is_leap(y) ? 29 : len[m];
}

/* Days from 0001-01-01 (day 1) to January 1 of year y, exclusive. */
static int64_t days_before_year(int64_t y)
{
    int64_t p = y - 1;

    return 365 * p + floor_div(p, 4) - floor_div(p, 100) + floor_div(p, 400);
}

/* Day number of a date whose month is 1..12 (day may be any value). */
static int64_t day_number(od_date d)
{
    int m = d.month < 1 ? 1 : d.month > 12 ? 12 : d.month;

    return days_before_year(d.year) + days_before_month[m] +
           (m > 2 && is_leap(d.year)) + d.day;
}

static od_date from_day_number(int64_t n)
{
    /* 146097 days in 400 years: the estimate is off by at most one. */
    int64_t y = floor_div((n - 1) * 400, 146097) + 1;
    int m;
    int64_t doy;
    od_date d;

    while (days_before_year(y) >= n)
        y--;
    while (days_before_year(y + 1) < n)
        y++;
    doy = n - days_before_year(y); /* 1-based */
    for (m = 12; m > 1; m--)
        if (doy > days_before_month[m] + (m > 2 && is_leap(y)))
            break;
    d.year = (int)y;
    d.month = m;
    d.day = (int)(doy - days_before_month[m] - (m > 2 && is_leap(y)));
    return d;
}

bool od_date_valid(int year, int month, int day)
{
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12 &&
           day >= 1 && day <= month_length(year, month);
}

int od_date_weekday(od_date d)
{
    /* Day 1, 0001-01-01 of the proleptic Gregorian calendar, is a Monday. */
    int64_t r = day_number(d) % 7;

    return (int)(r < 0 ? r + 7 : r);
}

od_date od_date_add_days(od_date d, int days)
{
    return from_day_number(day_number(d) + days);
}

int od_date_diff(od_date a, od_date b)
{
    return (int)(day_number(b) - day_number(a));
}

void od_date_iso(od_date d, char out[11])
{
    if (d.year < 0 || d.year > 9999 || d.month < 1 || d.month > 12 ||
        d.day < 1 || d.day > 31) {
        memcpy(out, "0000-00-00", 11);
        return;
    }
    snprintf(out, 11, "%04d-%02d-%02d", d.year, d.month, d.day);
}

const char *od_date_weekday_name(int wd)
{
    return wd >= 0 && wd < 7 ? weekday_names[wd] : "";
}

/* ------------------------------------------------------------------ */
/* Tokens                                                               */

/* Dates, times and numbers are short; anything longer is not one. */
#define MAX_TEXT 200
#define MAX_TOKENS 24
#define MAX_WORD 16

typedef enum { TK_WORD, TK_NUM, TK_PUNCT } tk_kind;

typedef struct token {
    tk_kind kind;
    bool space_before; /* whitespace separates it from the previous token */
    int ndigits;       /* TK_NUM */
    int value;         /* TK_NUM: the value (digits beyond 9 are not kept) */
    char text[MAX_WORD]; /* TK_WORD: ASCII case-folded; TK_PUNCT: the char */
} token;

typedef struct tokens {
    token t[MAX_TOKENS];
    int n;
} tokens;

static bool push(tokens *tk, tk_kind kind, bool space)
{
    if (tk->n >= MAX_TOKENS)
        return false;
    memset(&tk->t[tk->n], 0, sizeof tk->t[tk->n]);
    tk->t[tk->n].kind = kind;
    tk->t[tk->n].space_before = space;
    tk->n++;
    return true;
}

/* Splits UTF-8 s into words (letters, case-folded), digit runs and the
 * punctuation . , / : ( ) -.  Any dash punctuation counts as '-'; any
 * Unicode white space separates.  Returns false for invalid UTF-8, for
 * any other character, and for input too long to be a date. */
static bool tokenize(const char *s, size_t len, tokens *tk)
{
    UChar buf[MAX_TEXT + 1];
    int32_t ulen = 0, i = 0;
    UErrorCode err = U_ZERO_ERROR;
    bool space = false;

    tk->n = 0;
    if (!s || len > MAX_TEXT)
        return false;
    u_strFromUTF8(buf, MAX_TEXT + 1, &ulen, s, (int32_t)len, &err);
    if (U_FAILURE(err) || ulen > MAX_TEXT)
        return false;
    while (i < ulen) {
        UChar32 c;
        int32_t at = i;

        U16_NEXT(buf, i, ulen, c);
        if (u_isUWhiteSpace(c)) {
            space = true;
            continue;
        }
        if (c >= '0' && c <= '9') {
            token *t;

            if (!push(tk, TK_NUM, space))
                return false;
            t = &tk->t[tk->n - 1];
            i = at;
            while (i < ulen && buf[i] >= '0' && buf[i] <= '9') {
                if (t->ndigits < 9)
                    t->value = t->value * 10 + (buf[i] - '0');
                t->ndigits++;
                i++;
            }
        } else if (u_isalpha(c)) {
            token *t;
            int n = 0;
            bool ascii = true;

            if (!push(tk, TK_WORD, space))
                return false;
            t = &tk->t[tk->n - 1];
            i = at;
            while (i < ulen) {
                UChar32 w;
                int32_t before = i;

                U16_NEXT(buf, i, ulen, w);
                if (!u_isalpha(w)) {
                    i = before;
                    break;
                }
                w = u_foldCase(w, U_FOLD_CASE_DEFAULT);
                if (w < 'a' || w > 'z' || n >= MAX_WORD - 1)
                    ascii = false;
                else
                    t->text[n++] = (char)w;
            }
            if (!ascii)
                strcpy(t->text, "?"); /* matches no keyword */
        } else {
            char p;

            if (u_charType(c) == U_DASH_PUNCTUATION)
                p = '-';
            else if (c == '.' || c == ',' || c == '/' || c == ':' || c == '(' || c == ')')
                p = (char)c;
            else
                return false;
            if (!push(tk, TK_PUNCT, space))
                return false;
            tk->t[tk->n - 1].text[0] = p;
        }
        space = false;
    }
    return tk->n > 0;
}

typedef struct cursor {
    const tokens *tk;
    int i;
} cursor;

static const token *peek(const cursor *c, int ahead)
{
    int k = c->i + ahead;

    return k < c->tk->n ? &c->tk->t[k] : NULL;
}

static bool at_end(const cursor *c)
{
    return c->i >= c->tk->n;
}

static bool is_punct(const token *t, char p)
{
    return t && t->kind == TK_PUNCT && t->text[0] == p;
}

static bool is_word(const token *t, const char *w)
{
    return t && t->kind == TK_WORD && strcmp(t->text, w) == 0;
}

/* Consumes punctuation p if it is next (adjacent only, if asked). */
static bool take_punct(cursor *c, char p, bool adjacent)
{
    const token *t = peek(c, 0);

    if (!is_punct(t, p) || (adjacent && t->space_before))
        return false;
    c->i++;
    return true;
}

static bool take_word(cursor *c, const char *w)
{
    if (!is_word(peek(c, 0), w))
        return false;
    c->i++;
    return true;
}

/* Index of the current word in a NULL-terminated list, or -1 (no move). */
static int take_word_in(cursor *c, const char *const *list)
{
    const token *t = peek(c, 0);

    if (!t || t->kind != TK_WORD)
        return -1;
    for (int k = 0; list[k]; k++)
        if (strcmp(t->text, list[k]) == 0) {
            c->i++;
            return k;
        }
    return -1;
}

/* A digit run of min_digits..max_digits digits, adjacent to the previous
 * token if asked. */
static bool take_num(cursor *c, int min_digits, int max_digits, bool adjacent,
                     int *value)
{
    const token *t = peek(c, 0);

    if (!t || t->kind != TK_NUM || t->ndigits < min_digits ||
        t->ndigits > max_digits || (adjacent && t->space_before))
        return false;
    *value = t->value;
    c->i++;
    return true;
}

/* ------------------------------------------------------------------ */
/* Words                                                                */

static const char *const month_full[] = {
    "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", NULL,
};
/* Index k is month k+1, except "sept" (k == 12) which is September. */
static const char *const month_abbr[] = {
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
    "nov", "dec", "sept", NULL,
};
static const char *const weekday_full[] = {
    "sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", NULL,
};
/* Index k % 7 is the weekday. */
static const char *const weekday_abbr[] = {
    "sun", "mon", "tue", "wed", "thu", "fri", "sat",
    "sun", "mon", "tues", "wed", "thur", "fri", "sat",
    "sun", "mon", "tues", "wed", "thurs", "fri", "sat", NULL,
};
/* Ordinal words 1..19, index k is k+1. */
static const char *const ordinal_small[] = {
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh",
    "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth",
    "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth",
    "nineteenth", NULL,
};
/* Cardinal words 0..19, index k is k. */
static const char *const cardinal_small[] = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
    "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
    "sixteen", "seventeen", "eighteen", "nineteen", NULL,
};
/* Tens 20..90, index k is (k+2)*10. */
static const char *const cardinal_tens[] = {
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
    "ninety", NULL,
};

/* "December", "Dec", "Dec.", "Sept." */
static bool take_month(cursor *c, int *month)
{
    int k = take_word_in(c, month_full);

    if (k >= 0) {
        *month = k + 1;
        return true;
    }
    k = take_word_in(c, month_abbr);
    if (k < 0)
        return false;
    *month = k == 12 ? 9 : k + 1;
    take_punct(c, '.', true);
    return true;
}

static bool take_weekday(cursor *c, int *wd)
{
    int k = take_word_in(c, weekday_full);

    if (k >= 0) {
        *wd = k;
        return true;
    }
    k = take_word_in(c, weekday_abbr);
    if (k < 0)
        return false;
    *wd = k % 7;
    take_punct(c, '.', true);
    return true;
}

/* The English ordinal suffix of n: 1st 2nd 3rd 4th 11th 12th 13th 21st. */
static const char *ordinal_suffix(int n)
{
    if (n % 100 >= 11 && n % 100 <= 13)
        return "th";
    switch (n % 10) {
    case 1: return "st";
    case 2: return "nd";
    case 3: return "rd";
    default: return "th";
    }
}

/* "eighth", "twentieth", "twenty-first", "thirty first" */
static bool take_ordinal_word(cursor *c, int *value)
{
    cursor save = *c;
    int k = take_word_in(c, ordinal_small);

    if (k >= 0) {
        *value = k + 1;
        return true;
    }
    if (take_word(c, "twentieth")) {
        *value = 20;
        return true;
    }
    if (take_word(c, "thirtieth")) {
        *value = 30;
        return true;
    }
    if (take_word(c, "twenty"))
        *value = 20;
    else if (take_word(c, "thirty"))
        *value = 30;
    else
        return false;
    take_punct(c, '-', false);
    k = take_word_in(c, ordinal_small);
    if (k < 0 || k > 8) {
        *c = save;
        return false;
    }
    *value += k + 1;
    return true;
}

/* A day of the month: "8", "08", "8th", "eighth". */
static bool take_day(cursor *c, int *day)
{
    const token *t = peek(c, 0);

    if (t && t->kind == TK_NUM) {
        const token *suffix;

        if (!take_num(c, 1, 2, false, day))
            return false;
        suffix = peek(c, 0);
        if (suffix && suffix->kind == TK_WORD && !suffix->space_before) {
            if (strcmp(suffix->text, ordinal_suffix(*day)) != 0)
                return false;
            c->i++;
        }
        return true;
    }
    return take_ordinal_word(c, day);
}

/* ------------------------------------------------------------------ */
/* Dates                                                                */

static int expand_year(int y, int ndigits)
{
    if (ndigits == 2)
        return y < 70 ? 2000 + y : 1900 + y;
    return y;
}

/* "2025-12-08" */
static bool parse_iso(cursor *c, od_date *d)
{
    return take_num(c, 4, 4, false, &d->year) && take_punct(c, '-', true) &&
           take_num(c, 1, 2, true, &d->month) && take_punct(c, '-', true) &&
           take_num(c, 1, 2, true, &d->day) && at_end(c);
}

/* "12/8/2025", "12/08/25", "12-08-2025" */
static bool parse_numeric(cursor *c, od_date *d, bool *ambiguous)
{
    int a, b, y;
    const token *sep, *yt;
    char p;

    if (!take_num(c, 1, 2, false, &a))
        return false;
    sep = peek(c, 0);
    if (!is_punct(sep, '/') && !is_punct(sep, '-'))
        return false;
    p = sep->text[0];
    if (!take_punct(c, p, true) || !take_num(c, 1, 2, true, &b) ||
        !take_punct(c, p, true))
        return false;
    yt = peek(c, 0);
    if (!yt || yt->kind != TK_NUM || (yt->ndigits != 2 && yt->ndigits != 4) ||
        !take_num(c, 2, 4, true, &y) || !at_end(c))
        return false;
    y = expand_year(y, yt->ndigits);
    if (!od_date_valid(y, a, b))
        return false;
    d->year = y;
    d->month = a;
    d->day = b;
    *ambiguous = a != b && od_date_valid(y, b, a);
    return true;
}

/* The ", 2025" or " 2025" that ends a written date. */
static bool parse_year_tail(cursor *c, int *year)
{
    take_punct(c, ',', false);
    return take_num(c, 4, 4, false, year) && at_end(c);
}

/* "December 8, 2025", "Dec. 8th 2025", "December eighth, 2025" */
static bool parse_mdy(cursor *c, od_date *d)
{
    return take_month(c, &d->month) && take_day(c, &d->day) &&
           parse_year_tail(c, &d->year);
}

/* "8 December 2025", "8th of December, 2025" */
static bool parse_dmy(cursor *c, od_date *d)
{
    if (!take_day(c, &d->day))
        return false;
    take_word(c, "of");
    return take_month(c, &d->month) && parse_year_tail(c, &d->year);
}

/* "the 8th day of December, 2025", "this eighth day of December 2025" */
static bool parse_day_of(cursor *c, od_date *d)
{
    if (!take_word(c, "the") && !take_word(c, "this"))
        return false;
    return take_day(c, &d->day) && take_word(c, "day") && take_word(c, "of") &&
           take_month(c, &d->month) && parse_year_tail(c, &d->year);
}

bool od_date_parse(const char *s, size_t len, od_date *out, bool *ambiguous)
{
    tokens tk;
    cursor c = {&tk, 0};
    int wd = -1;
    bool amb = false, ok = false;
    od_date d = {0, 0, 0};

    if (ambiguous)
        *ambiguous = false;
    if (!tokenize(s, len, &tk))
        return false;
    if (take_weekday(&c, &wd))
        take_punct(&c, ',', false);
    {
        cursor start = c;

        /* The forms start differently, so at most one can succeed. */
        if (parse_iso(&c, &d))
            ok = true;
        else if ((c = start, parse_numeric(&c, &d, &amb)))
            ok = true;
        else if ((c = start, parse_mdy(&c, &d)))
            ok = true;
        else if ((c = start, parse_dmy(&c, &d)))
            ok = true;
        else if ((c = start, parse_day_of(&c, &d)))
            ok = true;
    }
    if (!ok || !od_date_valid(d.year, d.month, d.day))
        return false;
    if (wd >= 0) {
        /* "Monday, 12/8/2025": the weekday must fit, and settles the
         * reading when the day-first one falls on another weekday. */
        if (od_date_weekday(d) != wd)
            return false;
        if (amb && od_date_weekday((od_date){d.year, d.day, d.month}) != wd)
            amb = false;
    }
    if (out)
        *out = d;
    if (ambiguous)
        *ambiguous = amb;
    return true;
}

/* ------------------------------------------------------------------ */
/* Times                                                                */

/* "am", "a.m.", "A.M", "a. m." -> 'a' or 'p'; 0 when absent. */
static char take_meridiem(cursor *c)
{
    cursor save = *c;
    const token *t = peek(c, 0);
    char m;

    if (!t || t->kind != TK_WORD)
        return 0;
    if (strcmp(t->text, "am") == 0 || strcmp(t->text, "pm") == 0) {
        c->i++;
        take_punct(c, '.', true);
        return t->text[0];
    }
    if (strcmp(t->text, "a") != 0 && strcmp(t->text, "p") != 0)
        return 0;
    m = t->text[0];
    c->i++;
    take_punct(c, '.', true);
    if (!take_word(c, "m")) {
        *c = save;
        return 0;
    }
    take_punct(c, '.', true);
    return m;
}

bool od_time_parse(const char *s, size_t len, char out[6])
{
    tokens tk;
    cursor c = {&tk, 0};
    int h, m = 0;
    bool minutes = false, noon;
    char mer;

    if (!tokenize(s, len, &tk))
        return false;
    if (take_word(&c, "noon") && at_end(&c)) {
        memcpy(out, "12:00", 6);
        return true;
    }
    c.i = 0;
    if (take_word(&c, "midnight") && at_end(&c)) {
        memcpy(out, "00:00", 6);
        return true;
    }
    c.i = 0;
    if (!take_num(&c, 1, 2, false, &h))
        return false;
    if (take_punct(&c, ':', true)) {
        if (!take_num(&c, 2, 2, true, &m) || m > 59)
            return false;
        minutes = true;
    }
    noon = take_word(&c, "noon");
    if (noon || take_word(&c, "midnight")) {
        if (h != 12 || m != 0 || !at_end(&c))
            return false;
        memcpy(out, noon ? "12:00" : "00:00", 6);
        return true;
    }
    mer = take_meridiem(&c);
    if (!at_end(&c))
        return false;
    if (mer) {
        if (h < 1 || h > 12)
            return false;
        h = h % 12 + (mer == 'p' ? 12 : 0);
    } else if (!minutes || h > 23) {
        return false; /* "14" alone is not a time */
    }
    out[0] = (char)('0' + h / 10);
    out[1] = (char)('0' + h % 10);
    out[2] = ':';
    out[3] = (char)('0' + m / 10);
    out[4] = (char)('0' + m % 10);
    out[5] = '\0';
    return true;
}

/* ------------------------------------------------------------------ */
/* Numbers                                                              */

/* 0..99 in words: "fourteen", "sixty", "thirty-one", "thirty one". */
static bool take_under_100(cursor *c, int *value)
{
    int k = take_word_in(c, cardinal_small);

    if (k >= 0) {
        *value = k;
        return true;
    }
    k = take_word_in(c, cardinal_tens);
    if (k < 0)
        return false;
    *value = (k + 2) * 10;
    {
        cursor save = *c;
        int u;

        take_punct(c, '-', false);
        u = take_word_in(c, cardinal_small);
        if (u >= 1 && u <= 9)
            *value += u;
        else
            *c = save;
    }
    return true;
}

/* 0..999 in words: adds "one hundred [and] twenty". */
static bool take_cardinal(cursor *c, int *value)
{
    cursor save;
    int rest;

    if (take_word(c, "a")) {
        *value = 1;
        return true;
    }
    if (!take_under_100(c, value))
        return false;
    save = *c;
    take_punct(c, '-', false);
    if (*value < 1 || *value > 9 || !take_word(c, "hundred")) {
        *c = save;
        return true;
    }
    *value *= 100;
    save = *c;
    if (take_word(c, "and")) {
        if (!take_under_100(c, &rest) || rest == 0)
            return false; /* a dangling "and" */
        *value += rest;
        return true;
    }
    take_punct(c, '-', false);
    if (take_under_100(c, &rest) && rest > 0)
        *value += rest;
    else
        *c = save;
    return true;
}

bool od_number_parse(const char *s, size_t len, int *out)
{
    tokens tk;
    cursor c = {&tk, 0};
    int words, digits;

    if (!tokenize(s, len, &tk))
        return false;
    if (take_num(&c, 1, 9, false, &digits) && at_end(&c)) {
        *out = digits;
        return true;
    }
    c.i = 0;
    if (!take_cardinal(&c, &words))
        return false;
    if (at_end(&c)) {
        *out = words;
        return true;
    }
    /* "fourteen (14)": the digits win when the two disagree. */
    if (take_punct(&c, '(', false) && take_num(&c, 1, 9, true, &digits) &&
        take_punct(&c, ')', true) && at_end(&c)) {
        *out = digits;
        return true;
    }
    return false;
}

/* ------------------------------------------------------------------ */
/* Legal holidays                                                       */

typedef struct holiday {
    od_date date; /* the observed day */
    const char *name;
} holiday;

/* The n-th (1-based) weekday wd of a month, or the last one for n == 0. */
static od_date nth_weekday(int year, int month, int wd, int n)
{
    od_date d;

    if (n > 0) {
        d = (od_date){year, month, 1};
        d.day += (wd - od_date_weekday(d) + 7) % 7 + 7 * (n - 1);
    } else {
        d = (od_date){year, month, month_length(year, month)};
        d.day -= (od_date_weekday(d) - wd + 7) % 7;
    }
    return d;
}

/* A fixed-date holiday on a Saturday is observed the Friday before, on a
 * Sunday the Monday after (5 U.S.C. 6103(b); Executive Order 11582). */
static od_date observed(int year, int month, int day)
{
    od_date d = {year, month, day};
    int wd = od_date_weekday(d);

    if (wd == 6)
        return od_date_add_days(d, -1);
    if (wd == 0)
        return od_date_add_days(d, 1);
    return d;
}

/* The Rule 6(a)(6)(A) holidays of one year, as observed.  New Year's Day
 * may be observed on December 31 of the year before.  The statute's
 * history is followed where it changes the modern list (Martin Luther
 * King Jr.'s Birthday from 1986, Juneteenth from 2021); years before the
 * Uniform Monday Holiday Act (1971) get today's rules. */
static int holidays_of_year(int y, holiday out[11])
{
    int n = 0;

    out[n++] = (holiday){observed(y, 1, 1), "New Year's Day"};
    if (y >= 1986)
        out[n++] = (holiday){nth_weekday(y, 1, 1, 3), "Martin Luther King Jr.'s Birthday"};
    out[n++] = (holiday){nth_weekday(y, 2, 1, 3), "Washington's Birthday"};
    out[n++] = (holiday){nth_weekday(y, 5, 1, 0), "Memorial Day"};
    if (y >= 2021)
        out[n++] = (holiday){observed(y, 6, 19), "Juneteenth National Independence Day"};
    out[n++] = (holiday){observed(y, 7, 4), "Independence Day"};
    out[n++] = (holiday){nth_weekday(y, 9, 1, 1), "Labor Day"};
    out[n++] = (holiday){nth_weekday(y, 10, 1, 2), "Columbus Day"};
    out[n++] = (holiday){observed(y, 11, 11), "Veterans Day"};
    out[n++] = (holiday){nth_weekday(y, 11, 4, 4), "Thanksgiving Day"};
    out[n++] = (holiday){observed(y, 12, 25), "Christmas Day"};
    return n;
}

bool od_is_legal_holiday(od_date d, const char **name)
{
    holiday h[11];

    if (name)
        *name = NULL;
    if (!od_date_valid(d.year, d.month, d.day))
        return false;
    /* December 31 may be the next year's New Year's Day, observed. */
    for (int y = d.year; y <= d.year + (d.month == 12 && d.day == 31); y++) {
        int n = holidays_of_year(y, h);

        for (int k = 0; k < n; k++)
            if (h[k].date.year == d.year && h[k].date.month == d.month &&
                h[k].date.day == d.day) {
                if (name)
                    *name = h[k].name;
                return true;
            }
    }
    return false;
}

/* ------------------------------------------------------------------ */
/* Rule 6(a)                                                            */

/* Longest periods computed, about a century (court days: 36600 of them);
 * longer counts are cut short so the arithmetic stays in range and the
 * court-day walk stays short. */
static int max_count(od_period_unit unit)
{
    switch (unit) {
    case OD_UNIT_WEEKS: return 5200;
    case OD_UNIT_MONTHS: return 1200;
    case OD_UNIT_COURT_DAYS:
    case OD_UNIT_DAYS: break;
    }
    return 36600;
}

static bool is_weekend(od_date d)
{
    int wd = od_date_weekday(d);

    return wd == 0 || wd == 6;
}

static bool is_court_day(od_date d)
{
    return !is_weekend(d) && !od_is_legal_holiday(d, NULL);
}

static od_date add_months(od_date d, int months)
{
    int64_t m0 = (int64_t)d.year * 12 + (d.month - 1) + months;
    int64_t y = floor_div(m0, 12);
    int m = (int)(m0 - y * 12) + 1;
    int last = month_length(y, m);

    return (od_date){(int)y, m, d.day > last ? last : d.day};
}

static const char *unit_word(od_period_unit unit, int n)
{
    bool one = n == 1;

    switch (unit) {
    case OD_UNIT_COURT_DAYS: return one ? "court day" : "court days";
    case OD_UNIT_WEEKS: return one ? "week" : "weeks";
    case OD_UNIT_MONTHS: return one ? "month" : "months";
    case OD_UNIT_DAYS: break;
    }
    return one ? "day" : "days";
}

od_date od_rule6_compute(od_date anchor, int n, od_period_unit unit,
                         bool backward, char **explain)
{
    int step;
    od_date end, landed;
    char a_iso[11], l_iso[11], e_iso[11];
    const char *why = NULL;

    if (explain)
        *explain = NULL;
    if (!od_date_valid(anchor.year, anchor.month, anchor.day)) {
        if (explain)
            *explain = g_strdup("the anchor date is not a valid date");
        return anchor;
    }
    if (n < 0) {
        n = n == INT_MIN ? INT_MAX : -n;
        backward = !backward;
    }
    if (n > max_count(unit))
        n = max_count(unit);
    step = backward ? -1 : 1;

    switch (unit) {
    case OD_UNIT_COURT_DAYS:
        /* Exclude the day of the event; count only court days. */
        landed = anchor;
        for (int counted = 0; counted < n;) {
            landed = od_date_add_days(landed, step);
            if (is_court_day(landed))
                counted++;
        }
        break;
    case OD_UNIT_WEEKS:
        landed = od_date_add_days(anchor, step * 7 * n);
        break;
    case OD_UNIT_MONTHS:
        landed = add_months(anchor, step * n);
        break;
    case OD_UNIT_DAYS:
    default:
        landed = od_date_add_days(anchor, step * n);
        break;
    }

    /* Rule 6(a)(1)(C) and 6(a)(5): a last day that is a Saturday, Sunday
     * or legal holiday moves on (back, for backward periods) to the next
     * day that is none of these. */
    end = landed;
    if (is_weekend(landed))
        why = od_date_weekday_name(od_date_weekday(landed));
    else
        od_is_legal_holiday(landed, &why);
    while (!is_court_day(end))
        end = od_date_add_days(end, step);

    if (explain) {
        od_date_iso(anchor, a_iso);
        od_date_iso(landed, l_iso);
        od_date_iso(end, e_iso);
        if (why)
            *explain = g_strdup_printf("%s %c %d %s = %s (%s); rolled %s to %s %s",
                                       a_iso, backward ? '-' : '+', n,
                                       unit_word(unit, n), l_iso, why,
                                       backward ? "back" : "forward",
                                       od_date_weekday_name(od_date_weekday(end)),
                                       e_iso);
        else
            *explain = g_strdup_printf("%s %c %d %s = %s", a_iso,
                                       backward ? '-' : '+', n,
                                       unit_word(unit, n), l_iso);
    }
    return end;
}

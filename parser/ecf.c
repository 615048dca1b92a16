/*
 * ecf.c - the CM/ECF stamp parser used by stage 2 (text.c).
 *
 * Federal courts' CM/ECF prints a header on every page of a filed
 * document: "Case 1:25-md-03143-SHS-OTW Document 812 Filed 11/24/25 Page 2
 * of 5", with district variants (PageID, "USDC Colorado", "Entered on FLSD
 * Docket", bankruptcy "Doc ... Entered ... Desc Main Document") and
 * appellate ones ("Case: 17-2400 Document: 3 Filed: 07/07/2017 Pages: 1",
 * "Case: 12-2209 Document: 00116475093 Page: 1 Date Filed: 01/03/2013
 * Entry ID: 5700456", "Appeal: 17-2218 Doc: 17 ... Pg: 1 of 1",
 * "USCA11 Case: ...", "Appellate Case: ...").  od_ecf_parse recognises one
 * such line and fills an od_ecf.  Text.c uses it to take stamps out of the
 * body and to report the stamp in the JSON.
 *
 * Two ICU regular expressions do the work: STAMP checks the shape of the
 * whole line (prefix, case number, document number, then only known
 * elements), ITEM walks the elements after the document number to read
 * their values.  Both are compiled once (g_once, od_ecf_init, which
 * ordex_engine_compile calls before threads share the engine) and cloned
 * per call, so the parser is thread-safe.
 */
#include <stdio.h>
#include <string.h>

#include <unicode/uregex.h>
#include <unicode/ustring.h>

#include "ordex_p.h"

/* Longest line worth trying: real stamps are about 100 characters. */
#define MAX_STAMP_UNITS 400

#define DATE_RE "(\\d{1,2}/\\d{1,2}/(?:\\d{4}|\\d{2}))"

/* One element after the document number.  Capture groups:
 *  1 filed date   2 entered date   3 PageID   4 page   5 "of" count
 *  6 "Pages:" count */
#define ITEM_RE                                                            \
    "(?:(?:Date\\s+)?Filed(?:\\s+in\\s+[A-Z]{2,6}\\s+on)?\\s*:?\\s*" DATE_RE \
    "|Entered(?:\\s+on\\s+[A-Z]{2,6}\\s+Docket)?\\s*:?\\s*" DATE_RE          \
    "(?:\\s+\\d{1,2}:\\d{2}(?::\\d{2})?)?"                                   \
    "|Page\\s*ID\\s*(?:#\\s*:?|\\.|:)?\\s*(\\d{1,9})"                         \
    "|Page\\s*ID\\s*#?:?"                                                    \
    "|(?:Page|Pg)\\s*:?\\s*(\\d{1,5})(?:\\s*of\\s*(\\d{1,5}))?"              \
    "|Pages\\s*:?\\s*(\\d{1,5})"                                             \
    "|Entry\\s+ID\\s*:?\\s*\\d{1,12}"                                        \
    "|USDC(?:\\s+(?!Page|Pg)[A-Z][a-z]+){1,2}"                             \
    "|Desc(?:\\s+Main)?(?:\\s+Document)?"                                    \
    "|Main\\s+Document"                                                      \
    "|Page|Pg"                                                               \
    "|\\d{1,4}(?=\\s*$))"

/* The whole line.  Groups: 1 case number, 2 document number, 3 the tail
 * (known elements only). */
static const char STAMP_RE[] =
    "^\\s*(?:USCA\\d{1,2}\\s+|Appellate\\s+)?(?:Case|Appeal)\\s*:?\\s*"
    "(?:No\\.?\\s*)?"
    "((?:\\d{1,2}:)?\\d{2,4}-(?:[A-Za-z]{1,4}-)?\\d{2,7}(?:-[A-Za-z0-9]{1,8})*)"
    "\\s*Doc(?:ument)?\\.?\\s*(?:#|No\\.?)?\\s*:?\\s*"
    "(\\d{1,12}(?:-\\d{1,4})?)"
    "((?:\\s*" ITEM_RE ")*)\\s*$";

static const char ITEM_ONLY_RE[] = "\\G\\s*" ITEM_RE;

typedef struct {
    URegularExpression *stamp;
    URegularExpression *item;
} ecf_res;

static gpointer compile_all(gpointer unused)
{
    static ecf_res res;
    UErrorCode status = U_ZERO_ERROR;
    UParseError pe;

    (void)unused;
    res.stamp = uregex_openC(STAMP_RE, UREGEX_CASE_INSENSITIVE, &pe, &status);
    if (U_FAILURE(status)) {
        res.stamp = NULL;
        g_critical("ecf.c: stamp pattern: %s (offset %d)", u_errorName(status),
                   pe.offset);
        return &res;
    }
    status = U_ZERO_ERROR;
    res.item = uregex_openC(ITEM_ONLY_RE, UREGEX_CASE_INSENSITIVE, &pe,
                            &status);
    if (U_FAILURE(status)) {
        res.item = NULL;
        g_critical("ecf.c: item pattern: %s (offset %d)", u_errorName(status),
                   pe.offset);
    }
    return &res;
}

static const ecf_res *patterns(void)
{
    static GOnce once = G_ONCE_INIT;

    return g_once(&once, compile_all, NULL);
}

void od_ecf_init(void)
{
    (void)patterns();
}

/* Copies group g of re (UTF-16) into out as ASCII/UTF-8; false when the
 * group did not take part or does not fit. */
static bool group_utf8(URegularExpression *re, int g, char *out, size_t size)
{
    UErrorCode st = U_ZERO_ERROR;
    UChar buf[64];
    int32_t n, len = 0;

    out[0] = '\0';
    n = uregex_group(re, g, buf, G_N_ELEMENTS(buf), &st);
    if (U_FAILURE(st) || n <= 0 || n >= (int32_t)G_N_ELEMENTS(buf))
        return false;
    st = U_ZERO_ERROR;
    u_strToUTF8(out, (int32_t)size, &len, buf, n, &st);
    if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING
        || len >= (int32_t)size) {
        out[0] = '\0';
        return false;
    }
    return true;
}

static int group_int(URegularExpression *re, int g)
{
    char buf[16];
    long v;

    if (!group_utf8(re, g, buf, sizeof buf))
        return -1;
    v = strtol(buf, NULL, 10);
    return v > 0 && v < 1000000 ? (int)v : -1;
}

/* "11/24/25" -> "2025-11-24"; false for impossible dates.  A two-digit
 * year YY is 20YY when YY <= 69, else 19YY. */
static bool parse_date(const char *s, char out[11])
{
    unsigned m, d, y;
    const char *slash = strrchr(s, '/');

    if (!slash || sscanf(s, "%u/%u/%u", &m, &d, &y) != 3)
        return false;
    if (strlen(slash + 1) == 2)
        y += y <= 69 ? 2000 : 1900;
    if (m < 1 || m > 12 || d < 1 || y < 1900 || y > 2199
        || !g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
        return false;
    snprintf(out, 11, "%04u-%02u-%02u", y % 10000u, m % 100u, d % 100u);
    return true;
}

/* A quick screen before ICU: a stamp names a case and a document. */
static bool worth_trying(const char *line, size_t len)
{
    bool doc = false, digit = false, cas = false;

    if (len < 12 || len > MAX_STAMP_UNITS * 3)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = line[i];
        if (c >= '0' && c <= '9')
            digit = true;
        else if ((c == 'D' || c == 'd') && i + 3 <= len
                 && g_ascii_strncasecmp(line + i, "doc", 3) == 0)
            doc = true;
        else if ((c == 'C' || c == 'c' || c == 'A' || c == 'a') && i + 4 <= len
                 && (g_ascii_strncasecmp(line + i, "case", 4) == 0
                     || g_ascii_strncasecmp(line + i, "appe", 4) == 0))
            cas = true;
    }
    return doc && digit && cas;
}

/* Reads the elements of the tail [from, to) of the line held by item. */
static bool read_items(URegularExpression *item, int32_t from, int32_t to,
                       od_ecf *e)
{
    UErrorCode st = U_ZERO_ERROR;
    bool seen = false, have_filed = false;
    char entered[11] = "";
    char buf[32];

    uregex_setRegion(item, from, to, &st);
    if (U_FAILURE(st))
        return false;
    while (uregex_findNext(item, &st) && U_SUCCESS(st)) {
        int v;

        if (group_utf8(item, 1, buf, sizeof buf)) {
            if (!parse_date(buf, e->filed))
                return false; /* "Filed 02/30/21" is no stamp */
            have_filed = true;
            seen = true;
        } else if (group_utf8(item, 2, buf, sizeof buf)) {
            if (!parse_date(buf, entered))
                return false;
            seen = true;
        } else if (group_utf8(item, 3, buf, sizeof buf)) {
            g_strlcpy(e->page_id, buf, sizeof e->page_id);
        } else if ((v = group_int(item, 4)) > 0) {
            e->page = v;
            if ((v = group_int(item, 5)) > 0)
                e->page_count = v;
            seen = true;
        } else if ((v = group_int(item, 6)) > 0) {
            e->page_count = v;
            seen = true;
        } else {
            UChar w[8];
            int32_t n = uregex_group(item, 0, w, G_N_ELEMENTS(w), &st);
            st = U_ZERO_ERROR;
            /* a bare "Page" / "Pg" still marks a stamp, a bare number not */
            for (int32_t k = 0; k < n && k < (int32_t)G_N_ELEMENTS(w); k++)
                if (w[k] == 'P' || w[k] == 'p') {
                    seen = true;
                    break;
                }
        }
    }
    if (U_FAILURE(st))
        return false;
    if (!have_filed && entered[0])
        memcpy(e->filed, entered, sizeof e->filed);
    return seen;
}

bool od_ecf_parse(const char *line, size_t len, od_ecf *out)
{
    const ecf_res *res;
    URegularExpression *stamp = NULL, *item = NULL;
    UChar ubuf[MAX_STAMP_UNITS + 1];
    int32_t ulen = 0, tail_from, tail_to;
    UErrorCode st = U_ZERO_ERROR;
    od_ecf e;
    bool ok = false;

    if (!line || !worth_trying(line, len))
        return false;
    res = patterns();
    if (!res->stamp || !res->item)
        return false;
    u_strFromUTF8WithSub(ubuf, MAX_STAMP_UNITS, &ulen, line, (int32_t)len,
                         0xFFFD, NULL, &st);
    if (U_FAILURE(st) || ulen >= MAX_STAMP_UNITS)
        return false;
    ubuf[ulen] = 0;

    stamp = uregex_clone(res->stamp, &st);
    if (U_FAILURE(st))
        goto done;
    uregex_setText(stamp, ubuf, ulen, &st);
    if (U_FAILURE(st) || !uregex_matches(stamp, 0, &st) || U_FAILURE(st))
        goto done;

    memset(&e, 0, sizeof e);
    if (!group_utf8(stamp, 1, e.case_number, sizeof e.case_number)
        || !group_utf8(stamp, 2, e.document, sizeof e.document))
        goto done;
    tail_from = uregex_start(stamp, 3, &st);
    tail_to = uregex_end(stamp, 3, &st);
    if (U_FAILURE(st) || tail_from < 0 || tail_to <= tail_from)
        goto done;

    item = uregex_clone(res->item, &st);
    if (U_FAILURE(st))
        goto done;
    uregex_setText(item, ubuf, ulen, &st);
    if (U_FAILURE(st) || !read_items(item, tail_from, tail_to, &e))
        goto done;
    if (out)
        *out = e;
    ok = true;
done:
    if (item)
        uregex_close(item);
    if (stamp)
        uregex_close(stamp);
    return ok;
}

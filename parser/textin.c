/*
 * textin.c - text input, before stage 2: telling a text file from a PDF
 * by its bytes, and turning text in any encoding into the UTF-8 that
 * stage 2 (od_text_from_utf8) reads.
 *
 * A legacy encoding is found with ICU's charset detector (ucsdet_*) when
 * the bytes are not UTF-8, or named by the caller (ordex_engine_set_encoding);
 * ICU's converters (ucnv_*) then decode it, stopping at the first byte
 * that is not valid in that encoding.
 */
#include <string.h>

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/ustring.h>

#include "ordex_p.h"

/* The PDF header may follow up to 1024 bytes of junk (Poppler accepts it). */
bool od_bytes_look_like_pdf(const char *data, size_t len)
{
    size_t n = len < 1024 + 5 ? len : 1024 + 5;

    for (size_t i = 0; i + 5 <= n; i++)
        if (memcmp(data + i, "%PDF-", 5) == 0)
            return true;
    return false;
}

/* Text has no control bytes other than tab, line feed, vertical tab, form
 * feed, carriage return, DOS's end-of-file mark (0x1a) and escape; UTF-16
 * and UTF-32 (which hold NUL bytes) are taken only with a byte-order mark. */
bool od_bytes_look_like_text(const char *data, size_t len)
{
    const unsigned char *p = (const unsigned char *)data;

    if (len == 0)
        return false;
    if (len >= 2 && ((p[0] == 0xff && p[1] == 0xfe) || (p[0] == 0xfe && p[1] == 0xff)))
        return true;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = p[i];
        if (c < 0x20 && !(c >= 0x09 && c <= 0x0d) && c != 0x1a && c != 0x1b)
            return false;
    }
    return true;
}

bool od_encoding_known(const char *name)
{
    UErrorCode err = U_ZERO_ERROR;
    UConverter *cnv;

    if (!name || !*name)
        return false;
    cnv = ucnv_open(name, &err);
    if (U_FAILURE(err) || !cnv)
        return false;
    ucnv_close(cnv);
    return true;
}

static bool is_utf8_name(const char *name)
{
    return ucnv_compareNames(name, "UTF-8") == 0;
}

/* Decodes len bytes of encoding name into UTF-8 (g_malloc'ed, NUL ended,
 * length in *out_len).  NULL with *msg set at the first invalid byte. */
static char *convert(const char *name, const char *data, size_t len,
                     size_t *out_len, char **msg)
{
    UErrorCode err = U_ZERO_ERROR;
    UConverter *cnv = ucnv_open(name, &err);
    const char *src = data, *limit = data + len;
    UChar *u16, *target;
    size_t cap;
    int32_t n8 = 0;
    char *out;

    if (U_FAILURE(err)) {
        od_set_msg(msg, "unknown encoding '%s'", name);
        return NULL;
    }
    ucnv_setToUCallBack(cnv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &err);
    /* Any ICU charset gives at most two UTF-16 units per byte, plus one
     * for the bytes the converter holds back at the end. */
    cap = 2 * len + 2;
    u16 = g_new(UChar, cap);
    target = u16;
    ucnv_toUnicode(cnv, &target, u16 + cap, &src, limit, NULL, TRUE, &err);
    if (U_FAILURE(err)) {
        char bad[32];
        int8_t n_bad = sizeof bad;
        UErrorCode e2 = U_ZERO_ERROR, e3 = U_ZERO_ERROR;
        size_t at = (size_t)(src - data);
        const char *cname = ucnv_getName(cnv, &e3);

        /* src is past the bytes that failed: step back over them */
        ucnv_getInvalidChars(cnv, bad, &n_bad, &e2);
        if (U_SUCCESS(e2) && (size_t)n_bad <= at)
            at -= (size_t)n_bad;
        od_set_msg(msg, "invalid %s at byte %zu",
                   U_SUCCESS(e3) && cname ? cname : name, at);
        ucnv_close(cnv);
        g_free(u16);
        return NULL;
    }
    ucnv_close(cnv);
    err = U_ZERO_ERROR;
    u_strToUTF8(NULL, 0, &n8, u16, (int32_t)(target - u16), &err);
    if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err)) {
        od_set_msg(msg, "cannot convert from %s", name);
        g_free(u16);
        return NULL;
    }
    err = U_ZERO_ERROR;
    out = g_malloc((size_t)n8 + 1);
    u_strToUTF8(out, n8 + 1, NULL, u16, (int32_t)(target - u16), &err);
    g_free(u16);
    if (U_FAILURE(err)) {
        od_set_msg(msg, "cannot convert from %s", name);
        g_free(out);
        return NULL;
    }
    *out_len = (size_t)n8;
    return out;
}

/* The encoding ICU's detector finds most likely for bytes that are not
 * UTF-8, or NULL when it finds none (or only UTF-8). */
static char *detect(const char *data, size_t len)
{
    UErrorCode err = U_ZERO_ERROR;
    UCharsetDetector *det = ucsdet_open(&err);
    const UCharsetMatch *m;
    char *name = NULL;

    if (U_FAILURE(err))
        return NULL;
    ucsdet_setText(det, data, (int32_t)MIN(len, (size_t)G_MAXINT32), &err);
    m = U_SUCCESS(err) ? ucsdet_detect(det, &err) : NULL;
    if (U_SUCCESS(err) && m) {
        const char *n = ucsdet_getName(m, &err);
        if (U_SUCCESS(err) && n && !is_utf8_name(n))
            name = g_strdup(n);
    }
    ucsdet_close(det);
    return name;
}

char *od_text_to_utf8(const char *data, size_t len, const char *encoding,
                      size_t *out_len, char **msg)
{
    const char *bad_at = NULL;
    char *name, *out;

    if (len > (size_t)G_MAXINT32 / 2) {
        od_set_msg(msg, "text too long");
        return NULL;
    }
    if (encoding && !is_utf8_name(encoding))
        return convert(encoding, data, len, out_len, msg);
    if (len == 0 || g_utf8_validate(data, (gssize)len, &bad_at)) {
        *out_len = len;
        return g_strndup(data, len);
    }
    name = encoding ? NULL : detect(data, len);
    if (!name) {
        od_set_msg(msg, "invalid UTF-8 at byte %zu", (size_t)(bad_at - data));
        return NULL;
    }
    out = convert(name, data, len, out_len, msg);
    g_free(name);
    return out;
}

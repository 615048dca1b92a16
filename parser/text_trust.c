/*
 * text_trust.c - stage 2 (see text.c): whether a page's text layer can be
 * trusted (od_trust), from its counts of glyphs, undecodable characters
 * and letters left once furniture is removed; the warning of a distrusted
 * page.  OCR (ocr.c) reads the pages distrusted here.
 */
#include "text_int.h"

/* ---- Can the text layer be trusted? ---- */

static const char *const TRUST_CODES[OD_TRUST_N] = {
    [OD_TRUST_OK] = NULL,
    [OD_TRUST_NO_TEXT] = "no_text_layer",
    [OD_TRUST_UNDECODABLE] = "undecodable_text",
    [OD_TRUST_ONLY_STAMP] = "only_stamp_text",
    [OD_TRUST_IMAGE] = "little_text_on_image",
    [OD_TRUST_UNREADABLE] = "page_unreadable",
};

const char *od_trust_code(od_trust t)
{
    return (int)t >= 0 && t < OD_TRUST_N ? TRUST_CODES[t] : NULL;
}

/* Under 3 letters is no text (a stray mark, a page number's "of"); under
 * 100 on a page an image mostly covers is a caption or a banner over a
 * scan, not the page's text. */
od_trust od_trust_decide(size_t n_glyphs, size_t total, size_t bad,
                         size_t body_letters, bool stamp, double image_area)
{
    if (n_glyphs == 0)
        return OD_TRUST_NO_TEXT;
    if (total >= 10 && bad * 10 >= total * 3)
        return OD_TRUST_UNDECODABLE;
    if (body_letters < 3 && (stamp || image_area > 0.3))
        return OD_TRUST_ONLY_STAMP;
    if (body_letters < 100 && image_area >= 0.5)
        return OD_TRUST_IMAGE;
    return OD_TRUST_OK;
}

/* Records the page's trust decision and warns about a distrusted page.
 * A page read by OCR is judged only by whether OCR found letters. */
void warn_page(od_text *t, const page_t *p, size_t body_letters,
               size_t bad, size_t total)
{
    int no = p->pg->number;
    od_trust tr;

    if (p->pg->source != OD_SOURCE_PDF) {
        tr = body_letters < 3 ? OD_TRUST_NO_TEXT : OD_TRUST_OK;
        if (tr != OD_TRUST_OK)
            od_warnings_add(t->warnings, "ocr_no_text", no,
                            "page %d: OCR read no text from it", no);
    } else {
        tr = od_trust_decide(p->n_glyphs, total, bad, body_letters,
                             p->stamp, p->pg->image_area);
    }
    if (no >= 1 && no <= t->n_pages)
        t->trust[no - 1] = (uint8_t)tr;
    if (p->pg->source != OD_SOURCE_PDF)
        return;
    switch (tr) {
    case OD_TRUST_NO_TEXT:
        od_warnings_add(t->warnings, od_trust_code(tr), no,
                        "page %d has no text layer", no);
        break;
    case OD_TRUST_UNDECODABLE:
        od_warnings_add(t->warnings, od_trust_code(tr), no,
                        "page %d has undecodable text (no Unicode mapping); "
                        "OCR needed", no);
        break;
    case OD_TRUST_ONLY_STAMP:
        od_warnings_add(t->warnings, od_trust_code(tr), no,
                        "page %d has only an ECF stamp as text; OCR needed", no);
        break;
    case OD_TRUST_IMAGE:
        od_warnings_add(t->warnings, od_trust_code(tr), no,
                        "page %d is an image with little text; OCR needed", no);
        break;
    default:
        break;
    }
}

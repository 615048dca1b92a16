#!/usr/bin/env python3
"""mkhostile.py - build the hostile-input corpus of tests/run_hostile.sh.

Usage: python3 tests/hostile/mkhostile.py OUTDIR [--known-bugs]

Writes broken and adversarial PDFs into OUTDIR, made from samples/*.pdf
or written by hand: truncations, flipped bytes, a destroyed xref, no
pages, a looping page tree, deep nesting, a huge /Count, encryption, a
Flate bomb, odd Unicode in a ToUnicode CMap and a 2,000-page document.
Every file name starts with the expectation class run_hostile.sh reads:
  ok-    must give JSON (exit 0 or 9)
  any-   JSON (0 or 9) or a clean error with exit 4 or 8
  bad-   a clean error with exit 4 (damaged or no pages)
  enc-   a clean error with exit 5 (encrypted, no password)
  bug-   (only with --known-bugs) inputs of open issues: must not hang
Standard library only, plus the qpdf command for encryption and merging.
Output is deterministic: every random choice uses a fixed seed.
"""

import os
import random
import subprocess
import sys
import zlib

SAMPLES = [
    "samples/openai_privilege_order.pdf",
    "samples/nysd_scheduling_order.pdf",
    "samples/cand_stipulated_protective_order.pdf",
    "samples/ca9_appellate_opinion.pdf",
]


def build_pdf(objects, root=1, trailer_extra=b""):
    """A PDF from a list of object bodies (object n is objects[n-1]),
    with a correct xref table, so only the intended fault is present."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for num, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\n" % (
        len(objects) + 1, root, trailer_extra)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def stream(data, extra=b""):
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + \
        b"\nendstream"


TEXT = (b"BT /F1 12 Tf 72 720 Td (IT IS HEREBY ORDERED that the parties "
        b"shall file a joint status report by December 8, 2025.) Tj ET")
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def simple_page_pdf(page_dict_extra=b"", catalog_extra=b"", count=None,
                    content=TEXT):
    """One page of real text; hooks to add a fault to the page, the
    catalog or the page count."""
    n = 1 if count is None else count
    return build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % n,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R "
        + page_dict_extra + b">>",
        stream(content),
        FONT,
    ])


def flate_page_pdf(deflated, mediabox=b"[0 0 612 792]"):
    """One page whose content stream is the given Flate data."""
    return build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox " + mediabox + b" "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        stream(deflated, b"/Filter /FlateDecode "), FONT])


def write(outdir, name, data):
    with open(os.path.join(outdir, name), "wb") as fh:
        fh.write(data)


def truncations(outdir):
    # 20 cuts spread over the file, from the header to just before %%EOF.
    for i, path in enumerate(SAMPLES[:2]):
        data = open(path, "rb").read()
        for k in range(1, 11):
            cut = len(data) * k // 11 if k < 10 else len(data) - 7
            if k == 1:
                cut = 9          # header only
            write(outdir, "any-trunc-%d-%06d.pdf" % (i, cut), data[:cut])


def flips(outdir):
    # Random bytes replaced: 8 seeds, 1 to 64 bytes each, on all samples.
    for seed in range(8):
        rng = random.Random(seed)
        data = bytearray(open(SAMPLES[seed % len(SAMPLES)], "rb").read())
        for _ in range(1 << (seed % 7)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        write(outdir, "any-flip-seed%d.pdf" % seed, bytes(data))


def xref_damage(outdir):
    data = open(SAMPLES[0], "rb").read()
    start = data.rindex(b"\nxref") + 1
    end = data.index(b"trailer", start)
    # The xref table overwritten with garbage of the same length.
    junk = bytes((i * 37 + 11) % 256 for i in range(end - start))
    write(outdir, "any-xref-garbage.pdf", data[:start] + junk + data[end:])
    # The xref table and startxref removed: the reader must rebuild.
    sx = data.rindex(b"startxref")
    write(outdir, "any-xref-gone.pdf",
          data[:start] + data[end:sx] + b"%%EOF\n")
    # startxref pointing far past the end of the file.
    write(outdir, "any-xref-offset.pdf",
          data[:sx] + b"startxref\n999999999\n%%EOF\n")
    # Every xref entry points at offset 0.
    table = data[start:end]
    table = b"\n".join(
        (b"0000000000" + ln[10:]) if len(ln) >= 18 and ln[:10].isdigit()
        else ln for ln in table.split(b"\n"))
    write(outdir, "any-xref-zeroed.pdf", data[:start] + table + data[end:])


def page_trees(outdir):
    # No pages at all.
    write(outdir, "bad-zero-pages.pdf", build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>"]))
    # A /Kids entry pointing back at its parent (2 -> 3 -> 2).
    write(outdir, "any-loop-parent.pdf", build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 6 0 R >> >> /Contents 5 0 R >>",
        stream(TEXT), FONT]))
    # A page tree node that is its own kid.
    write(outdir, "any-loop-self.pdf", build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]))
    # A huge declared /Count over one real page.
    write(outdir, "any-count-huge.pdf", simple_page_pdf(count=2147483647))
    write(outdir, "any-count-negative.pdf", simple_page_pdf(count=-5))
    # /Length of the content stream refers to itself.
    write(outdir, "any-length-self.pdf", build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length 4 0 R >>\nstream\n" + TEXT + b"\nendstream",
        FONT]))
    # A page with no /Contents and a zero-sized MediaBox.
    write(outdir, "ok-empty-page.pdf", build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 0 0] >>"]))


def nesting(outdir):
    deep = b"[" * 100000 + b"]" * 100000
    write(outdir, "any-nest-array-page.pdf",
          simple_page_pdf(page_dict_extra=b"/Junk " + deep + b" "))
    write(outdir, "any-nest-array-catalog.pdf",
          simple_page_pdf(catalog_extra=b"/Junk " + deep + b" "))
    dicts = b"<< /A " * 100000 + b"1" + b" >>" * 100000
    write(outdir, "any-nest-dict.pdf",
          simple_page_pdf(page_dict_extra=b"/Junk " + dicts + b" "))
    # Deep nesting inside the content stream (operands and q/Q).
    content = b"q " * 100000 + b"[" * 100000 + b"]" * 100000 + b" pop " + \
        TEXT + b" Q" * 100000
    write(outdir, "any-nest-content.pdf", simple_page_pdf(content=content))
    # An unclosed array that runs to the end of the file.
    write(outdir, "any-nest-unclosed.pdf",
          simple_page_pdf(page_dict_extra=b"/Junk " + b"[" * 100000))


def encryption(outdir):
    src = SAMPLES[1]
    subprocess.run(["qpdf", "--encrypt", "secret", "owner", "256", "--",
                    src, os.path.join(outdir, "enc-aes256.pdf")], check=True)
    subprocess.run(["qpdf", "--allow-weak-crypto", "--encrypt", "secret",
                    "owner", "40", "--",
                    src, os.path.join(outdir, "enc-rc4-40.pdf")], check=True)
    # Owner password only: anyone may open it, so it must just work.
    subprocess.run(["qpdf", "--encrypt", "", "owner", "256", "--",
                    src, os.path.join(outdir, "ok-enc-owner-only.pdf")],
                   check=True)


def bomb(outdir):
    # 512 MiB of spaces (then real text) in one Flate content stream.
    comp = zlib.compressobj(9)
    parts = []
    chunk = b" " * (1 << 24)
    for _ in range(32):
        parts.append(comp.compress(chunk))
    parts.append(comp.compress(TEXT))
    parts.append(comp.flush())
    data = b"".join(parts)
    write(outdir, "any-bomb-spaces.pdf", flate_page_pdf(data))
    # A text bomb: one 83 x 200 inch page holding about 400,000
    # characters of 10-point text in 4 columns of 1,000 lines (all inside
    # the MediaBox, as text off the page is dropped): far past the
    # default --max-page-text of 200,000.
    words = b"shall file by December 8, 2025 " * 4
    page = b"".join(b"1 0 0 1 %d %d Tm (%s) Tj\n" % (x, y, words)
                    for y in range(10, 14010, 14) for x in range(0, 2800, 700))
    data = zlib.compress(b"BT /F1 10 Tf\n" + page + b"ET", 9)
    write(outdir, "any-bomb-text.pdf",
          flate_page_pdf(data, b"[0 0 6000 14400]"))


def unicode_pdf(outdir):
    # Codes 01.. map through a ToUnicode CMap to odd code units: unpaired
    # surrogates, bidi controls, zero-width characters, a BOM, a
    # noncharacter, a combining mark; the text also has plain words.
    odd = ["D800", "DC00", "DBFF", "200F", "200E", "202E", "200B", "200D",
           "FEFF", "FFFF", "FFFE", "0000", "0301", "D83DDE00", "DFFFD800",
           "00410301", "0009", "2028", "FDD0"]
    cmap = [b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
            b"/Supplement 0 >> def",
            b"/CMapName /Odd def /CMapType 2 def",
            b"1 begincodespacerange <00> <FF> endcodespacerange",
            b"%d beginbfchar" % len(odd)]
    for i, u in enumerate(odd):
        cmap.append(b"<%02X> <%s>" % (i + 1, u.encode()))
    cmap += [b"endbfchar",
             b"1 beginbfrange <41> <5A> <0041> endbfrange",
             b"endcmap CMapName currentdict /CMap defineresource pop end end"]
    cmap_data = b"\n".join(cmap)
    shown = b"".join(b"\\%03o" % (i + 1) for i in range(len(odd)))
    content = (b"BT /F1 12 Tf 72 720 Td (ORDER) Tj ( " + shown + b" ) Tj "
               b"0 -20 Td (THE PARTIES SHALL FILE\\001BY\\004DECEMBER) Tj "
               b"0 -20 Td (\\016\\017\\020) Tj ET")
    write(outdir, "ok-unicode-odd.pdf", build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        stream(content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
        b"/ToUnicode 6 0 R >>",
        stream(cmap_data)]))
    # A TrueType font entry (not embedded) with a ToUnicode mapping every
    # code to U+D800, and a CMap whose ranges overflow.
    bad_cmap = (b"begincmap 1 begincodespacerange <00> <FF> endcodespacerange "
                b"2 beginbfrange <00> <FF> <D800> <20> <FF> <FFFFFFFF> "
                b"endbfrange 1 beginbfchar <41> <" + b"0041" * 300 +
                b"> endbfchar endcmap")
    write(outdir, "ok-unicode-surrogates.pdf", build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        stream(TEXT),
        b"<< /Type /Font /Subtype /TrueType /BaseFont /Arial "
        b"/FirstChar 32 /LastChar 126 /ToUnicode 6 0 R >>",
        stream(bad_cmap)]))


def xobjects(outdir):
    # A form XObject that draws itself: unbounded recursion unless the
    # reader limits form depth.
    write(outdir, "any-form-self.pdf", build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >> "
        b"/Contents 4 0 R >>",
        stream(TEXT + b" /X1 Do"), FONT,
        stream(b"/X1 Do " + TEXT, b"/Type /XObject /Subtype /Form "
               b"/BBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> "
               b"/XObject << /X1 6 0 R >> >> ")]))
    # The same page object listed 100,000 times: a tiny file that claims
    # more pages than the default --max-pages of 10,000.
    write(outdir, "any-kids-repeated.pdf", build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b"3 0 R " * 100000 +
        b"] /Count 100000 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        stream(TEXT), FONT]))
    # 10**3 draws of one line through 4 levels of forms (a 1.5 KB file).
    write(outdir, "any-form-fanout-1e3.pdf", form_fanout(4, 10))


def known_bugs(outdir):
    """Inputs that still fail (time out), written only on request, to
    reproduce the open issues without making the suite fail."""
    # 10**4 draws of the same line at one spot: poppler's TextPage spends
    # time quadratic in the overlapping words (TextPage::endWord); about
    # 30 s in pdftotext itself, and --timeout cannot stop a single page.
    write(outdir, "bug-form-fanout-1e4.pdf", form_fanout(5, 10))


def form_fanout(levels, fan):
    """Form XObjects where each level draws the next FAN times: FAN**LEVELS
    text draws from a file of a few hundred bytes."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 5 0 R >> /XObject << /X 6 0 R >> >> "
            b"/Contents 4 0 R >>",
            stream(b"/X Do"), FONT]
    for k in range(levels):
        num = 6 + k
        if k == levels - 1:
            body, xo = TEXT, b""
        else:
            body = b"/X Do " * fan
            xo = b"/XObject << /X %d 0 R >> " % (num + 1)
        objs.append(stream(body, b"/Type /XObject /Subtype /Form "
                           b"/BBox [0 0 612 792] /Resources << /Font << "
                           b"/F1 5 0 R >> " + xo + b">> "))
    return build_pdf(objs)


def many_pages(outdir):
    # 2,000 pages: the 5-page sample 400 times, in two qpdf steps.
    big100 = os.path.join(outdir, "tmp-500.pdf")
    subprocess.run(["qpdf", "--empty", "--pages"] + [SAMPLES[0]] * 100 +
                   ["--", big100], check=True)
    subprocess.run(["qpdf", "--empty", "--pages"] + [big100] * 4 +
                   ["--", os.path.join(outdir, "ok-pages-2000.pdf")],
                   check=True)
    os.remove(big100)


def main():
    if len(sys.argv) < 2 or sys.argv[2:] not in ([], ["--known-bugs"]):
        sys.stderr.write("usage: mkhostile.py OUTDIR [--known-bugs]\n")
        return 2
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    for step in (truncations, flips, xref_damage, page_trees, nesting,
                 encryption, bomb, unicode_pdf, xobjects, many_pages):
        step(outdir)
    if sys.argv[2:] == ["--known-bugs"]:
        known_bugs(outdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Synthetic corpus for `make bench`: writes mksample markup (tests/gen/README.md)
for court-order-like documents of a given length.  Deterministic: the same
seed and arguments give byte-identical files.

    gencorpus.py OUTDIR            40 documents of 2-30 pages + 200/500/1000/2000
    gencorpus.py --one PAGES FILE  one document of about PAGES pages
"""
import argparse
import os
import random

SEED = 20251129
# Double-spaced 12 pt Letter: roughly this many body paragraphs per page
# (calibrated on mksample output; page counts are measured afterwards).
PARAS_PER_PAGE = 8.2

PARTIES = [("MARIA SANTOS", "NORTHSTAR LOGISTICS CORP."),
           ("ACME WIDGET CO.", "BLUE RIVER HOLDINGS, LLC"),
           ("JANE DOE", "CITY OF SPRINGFIELD"),
           ("UNITED STATES OF AMERICA", "DAVID R. ALVAREZ"),
           ("HELIX BIOSCIENCES, INC.", "ORION PHARMA GMBH"),
           ("THE AUTHORS GUILD", "LEXICON AI, INC.")]
COURTS = [("SOUTHERN DISTRICT OF NEW YORK", "S.D.N.Y."),
          ("NORTHERN DISTRICT OF CALIFORNIA", "N.D. Cal."),
          ("DISTRICT OF MARYLAND", "D. Md."),
          ("EASTERN DISTRICT OF TEXAS", "E.D. Tex."),
          ("CENTRAL DISTRICT OF CALIFORNIA", "C.D. Cal.")]
JUDGES = ["ROBERT K. LINDQVIST", "ANA M. CORTEZ", "SAMUEL P. OKAFOR",
          "HELEN W. BRANDT", "MIGUEL A. REYES"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
ACTORS = ["Plaintiff", "Defendant", "Defendants", "The parties", "Counsel for Plaintiff",
          "The Government", "Each party", "The Receiver"]
ACTIONS = ["produce all documents responsive to the second set of requests",
           "file a joint status letter",
           "serve supplemental responses to the first set of interrogatories",
           "meet and confer regarding custodians and search terms",
           "submit a proposed stipulated protective order",
           "file any opposition to the pending motion",
           "serve its expert reports",
           "complete the deposition of the corporate designee",
           "produce a privilege log identifying each document withheld",
           "file a letter of no more than three pages"]
FILLER = [
    "The Court has reviewed the parties' submissions and the record as a whole.",
    "Discovery in this action has proceeded more slowly than the schedule contemplated.",
    "The parties dispute whether the requested materials are proportional to the needs of the case.",
    "A party asserting privilege bears the burden of establishing each element of it.",
    "The relevant communications were exchanged among non-lawyers on which counsel was merely copied.",
    "Rule 26(b)(1) permits discovery of any nonprivileged matter relevant to a claim or defense.",
    "The Court is mindful that the burden of production must be weighed against its likely benefit.",
    "Defendants contend that the request is overbroad and that they have already produced the time records.",
    "Plaintiff responds that the records produced so far are incomplete and do not cover the full period.",
    "The joint letter reports that initial disclosures and written requests have been exchanged.",
    "Courts in this Circuit have repeatedly declined to permit a party to use privilege as both sword and shield.",
    "Nothing in this Order alters any deadline set by the Federal Rules of Civil Procedure unless stated.",
    "The motion was fully briefed on the date of the last reply, and oral argument was held thereafter.",
    "The datasets at issue, described in the letters as Books1 and Books2, were deleted before suit was filed.",
    "See Upjohn Co. v. United States, 449 U.S. 383, 389--90 (1981).",
    "The record does not show that any party acted in bad faith.",
]


def date(rng, past=False):
    y = rng.choice([2023, 2024]) if past else rng.choice([2025, 2026])
    return "%s %d, %d" % (rng.choice(MONTHS), rng.randint(1, 28), y)


def deadline(rng):
    k = rng.randrange(6)
    if k == 0:
        return "by " + date(rng)
    if k == 1:
        return "no later than " + date(rng)
    if k == 2:
        return "within %d days of the date of this Order" % rng.choice([7, 14, 21, 30, 45])
    if k == 3:
        return "on or before %d/%d/%d" % (rng.randint(1, 12), rng.randint(1, 28), 2026)
    if k == 4:
        return "within fourteen days after service of the opposition"
    return "on or before the %dth day of %s, 2026" % (rng.randint(4, 20), rng.choice(MONTHS))


def directive(rng):
    return "%s shall %s %s." % (rng.choice(ACTORS), rng.choice(ACTIONS), deadline(rng))


def filler(rng, n):
    return " ".join(rng.choice(FILLER) for _ in range(n))


class Doc:
    def __init__(self, rng):
        self.rng = rng
        self.lines = []
        self.fn = 0

    def para(self, text):
        self.lines += [text, ""]

    def footnote_marker(self):
        self.fn += 1
        self.lines.append("@footnote %d %s" % (self.fn, filler(self.rng, 2)))
        return "[^%d]" % self.fn


def compose(pages, seed):
    rng = random.Random(seed)
    d = Doc(rng)
    p, dft = rng.choice(PARTIES)
    court, _ = rng.choice(COURTS)
    judge = rng.choice(JUDGES)
    docno = rng.randint(10, 999)
    caseno = "%d:%02d-cv-%05d" % (rng.randint(1, 4), rng.randint(19, 25), rng.randint(100, 9999))
    d.lines += [
        "@# Synthetic bench document (tests/bench/gencorpus.py), %d pages asked, seed %d." % (pages, seed),
        "@title %s v. %s - Order (ECF No. %d)" % (p.title(), dft.title(), docno),
        "@author %s, United States District Judge" % judge.title(),
        "@date 2025-%02d-%02d" % (rng.randint(1, 12), rng.randint(1, 28)),
        "@stamp Case %s     Document %d     Filed 11/24/25     Page {page} of {pages}" % (caseno, docno),
        "",
        "@court UNITED STATES DISTRICT COURT|%s" % court,
        "@caption-left %s,||            Plaintiff,||      -against-||%s,||            Defendant." % (p, dft),
        "@caption-right ||%s" % caseno,
        "@heading OPINION AND ORDER",
        "",
        "@noindent",
        "%s, United States District Judge:" % judge,
        "",
    ]
    target = max(1, int(pages * PARAS_PER_PAGE) - 20)
    section = 0
    n = 0
    while n < target:
        r = rng.random()
        if n % 40 == 0:
            section += 1
            d.lines += ["@heading %s. DISCUSSION PART %d" % (roman(section), section), ""]
        if r < 0.55:
            text = "On %s, %s" % (date(rng, past=True), filler(rng, rng.randint(3, 6)))
            if rng.random() < 0.15:
                mark = d.footnote_marker()
                d.lines.insert(len(d.lines) - 1, "")  # keep footnote directive apart
                text += mark
            d.para(text)
            n += 1
        elif r < 0.75:
            d.para("%s %s %s" % (filler(rng, 2), directive(rng), filler(rng, 1)))
            n += 1
        else:
            d.para("For these reasons, IT IS HEREBY ORDERED that:")
            for i in range(1, rng.randint(3, 7)):
                d.para("%d. %s" % (i, directive(rng)))
                n += 1
    d.lines += ["@skip 1", "@left SO ORDERED.",
                "@sig-left Dated: %s|            New York, New York" % date(rng),
                "@signature ______________________________|%s|United States District Judge" % judge,
                ""]
    return "\n".join(d.lines)


def roman(n):
    out = ""
    for v, s in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                 (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out += s
            n -= v
    return out


def write(path, text):
    """Writes text unless the file already holds it (keeps mtimes, so the
    bench does not remake PDFs that have not changed)."""
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    except OSError:
        pass
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir", nargs="?")
    ap.add_argument("--one", nargs=2, metavar=("PAGES", "FILE"))
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--seed", type=int, default=SEED)
    a = ap.parse_args()
    if a.one:
        write(a.one[1], compose(int(a.one[0]), a.seed))
        return
    if not a.outdir:
        ap.error("OUTDIR or --one needed")
    rng = random.Random(a.seed)
    os.makedirs(os.path.join(a.outdir, "short"), exist_ok=True)
    os.makedirs(os.path.join(a.outdir, "long"), exist_ok=True)
    for i in range(a.count):
        pages = 2 + (i * 29) // max(1, a.count - 1) if i < a.count else 2
        pages = min(30, max(2, pages + rng.randint(-1, 1)))
        write(os.path.join(a.outdir, "short", "doc%02d_%02dp.txt" % (i, pages)),
              compose(pages, a.seed + i))
    for pages in (10, 200, 500, 1000, 2000):
        write(os.path.join(a.outdir, "long", "long%04d.txt" % pages),
              compose(pages, a.seed + 10000 + pages))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""eval.py - precision and recall of ordex on the gold of real documents.

Gold lives in tests/gold/NAME.json, one file per real document of
../shared/corpus/real/ (read by a person; each file says what was read).
Deadlines match by exact calendar date (as a multiset); directives match
when the directive's text contains the gold quote (case and white space
folded), each gold entry matched at most once.  Documents whose PDF is
absent are skipped, so the project never depends on the corpus.

Scans (files whose name contains SCANNED, IMAGE or no_tounicode: pages
without a usable text layer) are scored apart: the first two summary
lines are over the other documents only, as before the scans had gold;
then come the scans, then all documents.  A scan ordex cannot read
(exit 9, empty lists) counts with its gold: zero recall, never skipped.

usage: eval.py ORDEX CORPUS_DIR
"""
import json
import os
import re
import subprocess
import sys

from evalcommon import gold_documents, ordex_env, ratio


def fold(s):
    s = s.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", s).strip().lower()


def score(pred, gold, match):
    """Greedy one-to-one matching: returns (true positives)."""
    used = [False] * len(gold)
    tp = 0
    for p in pred:
        for i, g in enumerate(gold):
            if not used[i] and match(p, g):
                used[i] = True
                tp += 1
                break
    return tp


def new_tot():
    return {"dl_tp": 0, "dl_pred": 0, "dl_gold": 0,
            "dir_tp": 0, "dir_pred": 0, "dir_gold": 0, "docs": 0}


def counts(tot, kind):
    tp, pred, gold = tot[kind + "_tp"], tot[kind + "_pred"], tot[kind + "_gold"]
    return "precision %.3f (%d/%d)  recall %.3f (%d/%d)" % (
        ratio(tp, pred), tp, pred, ratio(tp, gold), tp, gold)


def main():
    ordex, corpus = sys.argv[1], sys.argv[2]
    gold_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gold")
    env = ordex_env()
    tots = {False: new_tot(), True: new_tot()}     # keyed by is_scan
    ran = 0
    print("%-58s %9s %9s" % ("document", "deadlines", "directives"))
    for name, gold, pdf, scan in gold_documents(gold_dir, corpus):
        tot = tots[scan]
        # as score.py: what a document only recites or proposes is left out
        r = subprocess.run([ordex, "--binding-only", pdf], capture_output=True, env=env)
        if r.returncode not in (0, 9):
            print("%-58s ordex failed (%d): %s" % (name, r.returncode,
                                                   r.stderr.decode().strip()))
            sys.exit(1)
        doc = json.loads(r.stdout)
        ran += 1
        tot["docs"] += 1
        pdl = [d["date"] for d in doc["deadlines"] if d["date"]]
        gdl = [d["date"] for d in gold["deadlines"]]
        dl_tp = score(pdl, gdl, lambda p, g: p == g)
        pdir = [fold(d["text"]) for d in doc["directives"]]
        gdir = [fold(d["quote"]) for d in gold["directives"]]
        dir_tp = score(pdir, gdir, lambda p, g: g in p)
        tot["dl_tp"] += dl_tp
        tot["dl_pred"] += len(pdl)
        tot["dl_gold"] += len(gdl)
        tot["dir_tp"] += dir_tp
        tot["dir_pred"] += len(pdir)
        tot["dir_gold"] += len(gdir)
        print("%-58s %3d/%d/%-3d %3d/%d/%-3d" % (name, dl_tp, len(pdl), len(gdl),
                                                 dir_tp, len(pdir), len(gdir)))
        if "-v" in sys.argv:
            for p in pdl:
                if p not in gdl:
                    print("    extra deadline", p)
            for g in gdl:
                if g not in pdl:
                    print("    missed deadline", g)
            for p in pdir:
                if not any(g in p for g in gdir):
                    print("    extra directive:", p[:120])
            for g in gdir:
                if not any(g in p for p in pdir):
                    print("    missed directive:", g)
    if not ran:
        print("eval: skipped (corpus not found at %s)" % corpus)
        return
    tot = tots[False]
    print("(columns: matched/predicted/gold)")
    print("deadlines:  precision %.3f  recall %.3f" % (
        ratio(tot["dl_tp"], tot["dl_pred"]), ratio(tot["dl_tp"], tot["dl_gold"])))
    print("directives: precision %.3f  recall %.3f" % (
        ratio(tot["dir_tp"], tot["dir_pred"]), ratio(tot["dir_tp"], tot["dir_gold"])))
    scan = tots[True]
    if scan["docs"]:
        both = {k: tot[k] + scan[k] for k in tot}
        print("scans (%d documents) deadlines:  %s" % (scan["docs"], counts(scan, "dl")))
        print("scans (%d documents) directives: %s" % (scan["docs"], counts(scan, "dir")))
        print("all (%d documents) deadlines:  %s" % (both["docs"], counts(both, "dl")))
        print("all (%d documents) directives: %s" % (both["docs"], counts(both, "dir")))


if __name__ == "__main__":
    main()

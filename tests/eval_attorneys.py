#!/usr/bin/env python3
"""eval_attorneys.py - precision and recall of ordex's attorney records.

Gold lives in tests/gold/attorneys/NAME.json: {"file", "attorneys":
[{"name_normalized", "firm"}], "judges": [names], "read"}, read by a person
from the real documents of ../shared/corpus/real/.  Attorneys match by
normalised name (case and white space folded), one to one; the firm of
each found attorney is also compared (reported, not part of the score).  A gold judge
found among the predicted attorneys is an error.  Documents whose PDF is
absent are skipped.

Scans (files whose name contains SCANNED, IMAGE or no_tounicode) are
scored apart: the "documents" and "firm" lines are over the other
documents only, as before the scans had gold; then a line for the scans
and one for all documents.  Exit 9 (JSON written, pages without readable
text) is scored like exit 0, so an unreadable scan counts with its gold.

usage: eval_attorneys.py ORDEX CORPUS_DIR
"""
import json
import os
import re
import subprocess
import sys

from evalcommon import gold_documents, ordex_env, ratio


def fold(s):
    return re.sub(r"\s+", " ", s.replace("\u2019", "'")).strip().lower()


def new_tot():
    return {"tp": 0, "pred": 0, "gold": 0, "judge_errors": 0,
            "firm_ok": 0, "firm_n": 0, "ran": 0}


def summary(t):
    return ("documents %d  attorneys: precision %.3f (%d/%d) recall %.3f (%d/%d)"
            "  judges among attorneys: %d  firm %.3f (%d/%d)"
            % (t["ran"], ratio(t["tp"], t["pred"]), t["tp"], t["pred"],
               ratio(t["tp"], t["gold"]), t["tp"], t["gold"], t["judge_errors"],
               ratio(t["firm_ok"], t["firm_n"]), t["firm_ok"], t["firm_n"]))


def main():
    ordex, corpus = sys.argv[1], sys.argv[2]
    gold_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gold",
                            "attorneys")
    env = ordex_env()
    tots = {False: new_tot(), True: new_tot()}     # keyed by is_scan
    print("%-58s %5s %5s %5s %s" % ("document", "tp", "pred", "gold", "judges-as-attorneys"))
    for name, gold, pdf, scan in gold_documents(gold_dir, corpus):
        t = tots[scan]
        out = subprocess.run([ordex, pdf], capture_output=True, env=env)
        if out.returncode not in (0, 3, 9):
            print("%-58s ordex failed (%d)" % (name, out.returncode))
            t["gold"] += len(gold["attorneys"])
            continue
        doc = json.loads(out.stdout)
        pred = [fold(a["name_normalized"]) for a in doc["attorneys"]]
        pred_firm = {fold(a["name_normalized"]): fold(a["firm"] or "")
                     for a in doc["attorneys"]}
        for g in gold["attorneys"]:
            n = fold(g["name_normalized"])
            if n in pred_firm:
                t["firm_n"] += 1
                t["firm_ok"] += pred_firm[n] == fold(g["firm"] or "")
        want = [fold(a["name_normalized"]) for a in gold["attorneys"]]
        left = list(want)
        hits = 0
        for p in pred:
            if p in left:
                left.remove(p)
                hits += 1
        judges = {fold(j) for j in gold.get("judges", [])}
        bad = sorted(p for p in pred if p in judges)
        t["tp"] += hits
        t["pred"] += len(pred)
        t["gold"] += len(want)
        t["judge_errors"] += len(bad)
        t["ran"] += 1
        print("%-58s %5d %5d %5d %s" % (name, hits, len(pred), len(want),
                                        ", ".join(bad) if bad else "-"))
        for p in pred:
            if p not in want:
                print("    extra:   %s" % p)
        for w in left:
            print("    missing: %s" % w)
    t = tots[False]
    tp, n_pred, n_gold = t["tp"], t["pred"], t["gold"]
    firm_ok, firm_n = t["firm_ok"], t["firm_n"]
    p, r = ratio(tp, n_pred), ratio(tp, n_gold)
    print("documents %d  attorneys: precision %.3f (%d/%d) recall %.3f (%d/%d)"
          "  judges among attorneys: %d" % (t["ran"], p, tp, n_pred, r, tp, n_gold,
                                           t["judge_errors"]))
    print("firm of found attorneys (case-folded exact): %.3f (%d/%d)"
          % (ratio(firm_ok, firm_n), firm_ok, firm_n))
    scan = tots[True]
    if scan["ran"] or scan["gold"]:
        print("scans: " + summary(scan))
        print("all:   " + summary({k: t[k] + scan[k] for k in t}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""eval_attorneys.py - precision and recall of ordex's attorney records.

Gold lives in tests/gold/attorneys/NAME.json: {"file", "attorneys":
[{"name_normalized", "firm"}], "judges": [names], "read"}, read by a person
from the real documents of ../shared/corpus/real/.  Attorneys match by
normalised name (case and white space folded), one to one; the firm of
each found attorney is also compared (reported, not part of the score).  A gold judge
found among the predicted attorneys is an error.  Documents whose PDF is
absent are skipped.

usage: eval_attorneys.py ORDEX CORPUS_DIR
"""
import json
import os
import re
import subprocess
import sys


def fold(s):
    return re.sub(r"\s+", " ", s.replace("\u2019", "'")).strip().lower()


def ratio(a, b):
    return a / b if b else 1.0


def main():
    ordex, corpus = sys.argv[1], sys.argv[2]
    here = os.path.dirname(os.path.abspath(__file__))
    gold_dir = os.path.join(here, "gold", "attorneys")
    env = dict(os.environ, LC_ALL="C")
    env.setdefault("ORDEX_GRAMMAR_DIR", os.path.join(here, "..", "grammars"))
    tp = n_pred = n_gold = judge_errors = 0
    firm_ok = firm_n = 0
    ran = 0
    print("%-58s %5s %5s %5s %s" % ("document", "tp", "pred", "gold", "judges-as-attorneys"))
    for name in sorted(os.listdir(gold_dir)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(gold_dir, name), encoding="utf-8") as f:
            gold = json.load(f)
        pdf = os.path.join(corpus, gold["file"])
        if not os.path.exists(pdf):
            print("%-58s skipped (no %s)" % (name[:-5], pdf))
            continue
        out = subprocess.run([ordex, pdf], capture_output=True, env=env)
        if out.returncode not in (0, 3):
            print("%-58s ordex failed (%d)" % (name[:-5], out.returncode))
            n_gold += len(gold["attorneys"])
            continue
        doc = json.loads(out.stdout)
        pred = [fold(a["name_normalized"]) for a in doc["attorneys"]]
        pred_firm = {fold(a["name_normalized"]): fold(a["firm"] or "")
                     for a in doc["attorneys"]}
        for g in gold["attorneys"]:
            n = fold(g["name_normalized"])
            if n in pred_firm:
                firm_n += 1
                firm_ok += pred_firm[n] == fold(g["firm"] or "")
        want = [fold(a["name_normalized"]) for a in gold["attorneys"]]
        left = list(want)
        hits = 0
        for p in pred:
            if p in left:
                left.remove(p)
                hits += 1
        judges = {fold(j) for j in gold.get("judges", [])}
        bad = sorted(p for p in pred if p in judges)
        tp += hits
        n_pred += len(pred)
        n_gold += len(want)
        judge_errors += len(bad)
        ran += 1
        print("%-58s %5d %5d %5d %s" % (name[:-5], hits, len(pred), len(want),
                                        ", ".join(bad) if bad else "-"))
        for p in pred:
            if p not in want:
                print("    extra:   %s" % p)
        for w in left:
            print("    missing: %s" % w)
    p, r = ratio(tp, n_pred), ratio(tp, n_gold)
    print("documents %d  attorneys: precision %.3f (%d/%d) recall %.3f (%d/%d)"
          "  judges among attorneys: %d" % (ran, p, tp, n_pred, r, tp, n_gold,
                                           judge_errors))
    print("firm of found attorneys (case-folded exact): %.3f (%d/%d)"
          % (ratio(firm_ok, firm_n), firm_ok, firm_n))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""evalcommon.py - what eval.py and eval_attorneys.py share: the scans'
names, the ratio that scores an empty set as 1.0, the environment ordex
runs in, and the walk over a gold folder (the other documents first, in
name order, then the scans under a heading; documents whose PDF is
absent are reported and skipped)."""
import json
import os

SCAN_MARKS = ("SCANNED", "IMAGE", "no_tounicode")
HERE = os.path.dirname(os.path.abspath(__file__))


def is_scan(name):
    return any(m in name for m in SCAN_MARKS)


def ratio(a, b):
    return a / b if b else 1.0


def ordex_env():
    env = dict(os.environ, LC_ALL="C")
    env.setdefault("ORDEX_GRAMMAR_DIR", os.path.join(HERE, "..", "grammars"))
    return env


def gold_documents(gold_dir, corpus):
    """Yields (name without .json, gold, PDF path, is a scan)."""
    names = [n for n in os.listdir(gold_dir) if n.endswith(".json")]
    in_scans = False
    for name in sorted(names, key=lambda n: (is_scan(n), n)):
        if is_scan(name) and not in_scans:
            in_scans = True
            print("-- scans (%s)" % ", ".join(SCAN_MARKS))
        with open(os.path.join(gold_dir, name), encoding="utf-8") as f:
            gold = json.load(f)
        pdf = os.path.join(corpus, gold["file"])
        if not os.path.exists(pdf):
            print("%-58s skipped (no %s)" % (name[:-5], pdf))
            continue
        yield name[:-5], gold, pdf, is_scan(name)

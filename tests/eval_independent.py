#!/usr/bin/env python3
"""eval_independent.py - scores ordex against the corpus's independent gold.

The corpus (../shared/corpus) carries gold/ written by reading 45 of its
documents, independently of ordex's rules, and gold/../score.py, the
scorer that goes with it (conventions in GOLD.md).  This runs ordex over
each gold document (found in bulk/ or real/, PDF or .txt), writes
<base>.json into OUT_DIR, and runs that score.py, which prints one line a
document and precision, recall and F1 per record kind.  Skipped (exit 0,
one line) when the gold or its scorer is absent.

usage: eval_independent.py ORDEX CORPUS_DIR OUT_DIR [--ocr=WHEN]
"""
import glob
import os
import subprocess
import sys

from evalcommon import ordex_env


def main(argv):
    ocr = "auto"
    args = []
    for a in argv:
        if a.startswith("--ocr="):
            ocr = a[len("--ocr="):]
        else:
            args.append(a)
    ordex, corpus, out = args
    gold = os.path.join(corpus, "gold")
    scorer = os.path.join(corpus, "score.py")
    if not os.path.isdir(gold) or not os.path.exists(scorer):
        print("independent gold: skipped (no %s or %s)" % (gold, scorer))
        return 0
    os.makedirs(out, exist_ok=True)
    for old in glob.glob(os.path.join(out, "*.json")):
        os.remove(old)
    env = ordex_env()
    for gf in sorted(glob.glob(os.path.join(gold, "*.gold.json"))):
        base = os.path.basename(gf)[:-len(".gold.json")]
        doc = None
        for sub, ext in (("bulk", ".pdf"), ("real", ".pdf"), ("real", ".txt")):
            p = os.path.join(corpus, sub, base + ext)
            if os.path.exists(p):
                doc = p
                break
        if not doc:
            print("%-48s skipped (no document)" % base[:48])
            continue
        # an unreadable document is scored as an empty output
        subprocess.run([ordex, "--ocr=" + ocr, "--timeout", "120", "-o",
                        os.path.join(out, base + ".json"), doc], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print("independent gold (%s):" % gold)
    return subprocess.run([sys.executable, scorer, out, gold]).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

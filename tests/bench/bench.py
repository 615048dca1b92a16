#!/usr/bin/env python3
"""`make bench` (issues 9 and 18): ordex against pdftotext (same Poppler),
text layers only (--ocr=never), in one run.  First the table of issue 18,
one row each, every figure the median of --runs interleaved runs:

  real filings       every PDF of CORPUS/bulk and CORPUS/real (skipped when absent)
  synthetic orders   60 documents of tests/bench/gencorpus.py (build/mksample)
  1,000-page order   one file: `ordex FILE`, and `ordex -j 2 FILE` when
                     `ordex --help` lists -j (else n/a)

with ordex / pdftotext (pages/s, higher is better), the match stage's share
of the time (`ordex --profile`, one more pass) and peak memory (getrusage of
the ordex process and its workers).  Then scaling by document length, the
per-stage profile and start-up.  A measurement: it exits 0 even when goals
FAIL, non-zero only when something breaks.

    bench.py --ordex build/ordex --mksample build/mksample --out build/bench
             [--corpus ../shared/corpus] [--runs 5]
"""
import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MiB = 1024.0 * 1024.0


def die(msg):
    print("bench: " + msg, file=sys.stderr)
    sys.exit(1)


def run(cmd, env=None, ok=(0,)):
    """Run cmd; return (wall s, cpu s, max RSS KiB, stderr) of it and its
    descendants (os.wait4 on this one child, so earlier children do not count)."""
    with tempfile.TemporaryFile() as errf:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=errf)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.monotonic() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        errf.seek(0)
        err = errf.read().decode(errors="replace")
    if p.returncode not in ok:
        die("%s: exit %d\n%s" % (" ".join(cmd[:4]), p.returncode, err[-2000:]))
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, err


def load_note(when):
    try:
        with open("/proc/loadavg") as f:
            la = float(f.read().split()[0])
    except OSError:
        return
    warn = ""
    if la > 0.5:
        warn = "  WARNING: the machine is busy; wall-clock figures are inflated (see cpu columns)"
    print("load average (%s): %.2f%s" % (when, la, warn))


def pages_of(pdf):
    out = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True)
    m = re.search(r"^Pages:\s+(\d+)", out.stdout, re.M)
    if not m:
        die("pdfinfo %s: no page count" % pdf)
    return int(m.group(1))


def build_corpus(a):
    src = os.path.join(a.out, "src")
    subprocess.run([sys.executable, os.path.join(HERE, "gencorpus.py"), "--count", "60", src],
                   check=True)
    made = 0
    for sub in ("short", "long"):
        os.makedirs(os.path.join(a.out, sub), exist_ok=True)
        for name in sorted(os.listdir(os.path.join(src, sub))):
            txt = os.path.join(src, sub, name)
            pdf = os.path.join(a.out, sub, name[:-4] + ".pdf")
            if (os.path.exists(pdf) and os.path.getmtime(pdf) >= os.path.getmtime(txt)
                    and os.path.getmtime(pdf) >= os.path.getmtime(a.mksample)):
                continue
            subprocess.run([a.mksample, txt, pdf], check=True)
            made += 1
    short = sorted(os.path.join(a.out, "short", f) for f in os.listdir(os.path.join(a.out, "short")))
    long_ = sorted(os.path.join(a.out, "long", f) for f in os.listdir(os.path.join(a.out, "long")))
    print("corpus: %d PDFs made, %d short documents, %d long documents in %s"
          % (made, len(short), len(long_), a.out))
    return short, long_


def med(xs):
    return statistics.median(xs)


def compare(label, files, a, env):
    """Interleaved pdftotext / ordex -j1 / ordex -j2 runs; medians."""
    pages = sum(pages_of(f) for f in files)
    lst = os.path.join(a.out, label + ".list")
    with open(lst, "w") as f:
        f.write("".join(x + "\n" for x in files))
    res = {"pdftotext": [], "j1": [], "j2": []}
    for i in range(a.runs):
        t0 = time.monotonic()
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        for f in files:
            p = subprocess.run(["pdftotext", f, "/dev/null"], stderr=subprocess.DEVNULL)
            if p.returncode != 0:
                die("pdftotext %s: exit %d" % (f, p.returncode))
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        res["pdftotext"].append((time.monotonic() - t0,
                                 r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime, 0))
        for j in ("1", "2"):
            out = os.path.join(a.out, "%s-j%s.jsonl" % (label, j))
            # --ocr=never: against pdftotext, the text layer only (OCR of
            # the bulk corpus's scans would be measured, not ordex)
            w, c, rss, err = run([a.ordex, "batch", "-j", j, "--ocr=never", "-o", out,
                                  "@" + lst], env, ok=(0, 10))
            res["j" + j].append((w, c, rss))
            if "failed" in err and not re.search(r" 0 failed", err):
                print("  note (%s -j%s): %s" % (label, j, err.strip().splitlines()[-1]))
        print("  %s run %d/%d: pdftotext %.2f s, ordex -j1 %.2f s, -j2 %.2f s"
              % (label, i + 1, a.runs, res["pdftotext"][-1][0], res["j1"][-1][0], res["j2"][-1][0]))
    print("%s: %d files, %d pages, median of %d interleaved runs" % (label, len(files), pages, a.runs))
    rate = {}
    cpurate = {}
    for k, name in (("pdftotext", "pdftotext (1 process/file)"), ("j1", "ordex batch -j 1"),
                    ("j2", "ordex batch -j 2")):
        w = med([x[0] for x in res[k]])
        c = med([x[1] for x in res[k]])
        rate[k] = pages / w
        cpurate[k] = pages / c if c > 0 else 0.0
        rss = "  max RSS %.1f MiB" % (max(x[2] for x in res[k]) / 1024.0) if k != "pdftotext" else ""
        print("  %-28s wall %7.2f s  cpu %7.2f s  %7.1f pages/s  %7.1f pages/cpu-s%s"
              % (name, w, c, rate[k], cpurate[k], rss))
    print("  ratio ordex -j1 / pdftotext pages/s: %.3f  (per cpu-s: %.3f)"
          % (rate["j1"] / rate["pdftotext"], cpurate["j1"] / cpurate["pdftotext"]))
    print("  ratio ordex -j2 / -j1 pages/s:       %.3f" % (rate["j2"] / rate["j1"]))
    return rate, pages


def ordex_help_has_j(a, env):
    """Whether `ordex --help` (the single-file command) lists -j."""
    p = subprocess.run([a.ordex, "--help"], env=env, capture_output=True, text=True)
    return re.search(r"^\s+-j\b|^\s+-j N|--jobs", p.stdout, re.M) is not None


def match_share(files, a, env):
    """The match stage's share of the total, from `ordex --profile` summed
    over files (text layers only)."""
    match = total = 0.0
    for f in files:
        _, _, _, err = run([a.ordex, "--profile", "--ocr=never", "-o", "/dev/null", f], env,
                           ok=(0, 9))
        for line in err.splitlines():
            m = re.match(r"\s+(match|total)\s+([\d.]+) s", line)
            if m and m.group(1) == "match":
                match += float(m.group(2))
            elif m:
                total += float(m.group(2))
    return match / total if total > 0 else 0.0


def table_row(label, files, single, a, env, with_j2):
    """One row of the table: interleaved pdftotext / ordex -j1 (/ -j2) runs,
    medians; single: one file run as `ordex FILE` rather than a batch."""
    pages = sum(pages_of(f) for f in files)
    lst = os.path.join(a.out, label.replace(" ", "_") + ".list")
    with open(lst, "w") as f:
        f.write("".join(x + "\n" for x in files))
    res = {"pdftotext": [], "j1": [], "j2": []}
    for i in range(a.runs):
        t0 = time.monotonic()
        for f in files:
            p = subprocess.run(["pdftotext", f, "/dev/null"], stderr=subprocess.DEVNULL)
            if p.returncode != 0:
                die("pdftotext %s: exit %d" % (f, p.returncode))
        res["pdftotext"].append((time.monotonic() - t0, 0))
        for j in ("1", "2") if with_j2 else ("1",):
            if single:
                cmd = [a.ordex, "--ocr=never", "-o", "/dev/null", files[0]]
                if j == "2":
                    cmd[1:1] = ["-j", "2"]
                w, _, rss, _ = run(cmd, env, ok=(0, 9))
            else:
                w, _, rss, _ = run([a.ordex, "batch", "-j", j, "--ocr=never", "-o", "/dev/null",
                                    "@" + lst], env, ok=(0, 10))
            res["j" + j].append((w, rss))
        print("  %s run %d/%d: pdftotext %.2f s, ordex -j1 %.2f s%s"
              % (label, i + 1, a.runs, res["pdftotext"][-1][0], res["j1"][-1][0],
                 ", -j2 %.2f s" % res["j2"][-1][0] if res["j2"] else ""), flush=True)
    row = {"label": label, "files": len(files), "pages": pages}
    row["pdftotext"] = med([x[0] for x in res["pdftotext"]])
    row["j1"] = med([x[0] for x in res["j1"]])
    row["j2"] = med([x[0] for x in res["j2"]]) if res["j2"] else None
    row["rss"] = max(x[1] for x in res["j1"]) / 1024.0
    row["match"] = match_share(files, a, env)
    return row


def print_table(rows, j2_note):
    print()
    print("| work | pdftotext | ordex -j1 | ordex / pdftotext | ordex -j2 | -j2 / -j1 "
          "| match stage | peak RSS -j1 |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        if r.get("skipped"):
            print("| %s | skipped: %s | | | | | | |" % (r["label"], r["skipped"]))
            continue
        ratio = r["pdftotext"] / r["j1"] if r["j1"] > 0 else 0.0
        if r["j2"] is not None:
            j2 = "%.2f s" % r["j2"]
            j2r = "%.2f" % (r["j1"] / r["j2"]) if r["j2"] > 0 else "n/a"
        else:
            j2 = j2r = r.get("j2_note", "")
        print("| %s, %d files, %d pages | %.2f s | %.2f s | %.2f | %s | %s | %.0f%% | %.0f MiB |"
              % (r["label"], r["files"], r["pages"], r["pdftotext"], r["j1"], ratio, j2, j2r,
                 100.0 * r["match"], r["rss"]))
    if j2_note:
        print(j2_note)
    print()


def time_v(cmd, env):
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        die("%s: exit %d\n%s" % (" ".join(cmd), p.returncode, p.stderr[-2000:]))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1))
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", p.stderr)
    wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    ut = float(re.search(r"User time \(seconds\): ([\d.]+)", p.stderr).group(1))
    st = float(re.search(r"System time \(seconds\): ([\d.]+)", p.stderr).group(1))
    return wall, ut + st, rss / 1024.0


def per_length(long_, a, env):
    print("per document length (/usr/bin/time -v build/ordex FILE.pdf; wall/cpu median of %d)" % a.runs)
    out = {}
    for f in long_:
        pages = pages_of(f)
        runs = [time_v([a.ordex, f], env) for _ in range(a.runs)]
        w = med([r[0] for r in runs])
        c = med([r[1] for r in runs])
        rss = max(r[2] for r in runs)
        out[os.path.basename(f)] = (pages, w, rss)
        print("  %-16s %5d pages  wall %6.2f s  cpu %6.2f s  %7.1f pages/s  peak RSS %6.1f MiB"
              % (os.path.basename(f), pages, w, c, pages / w, rss))
    return out


def profile(label, files, env, a):
    stages = {}
    order = []
    pages = 0
    for f in files:
        _, _, _, err = run([a.ordex, "--profile", f], env, ok=(0, 9))
        for line in err.splitlines():
            m = re.match(r"\s+(\w+)\s+([\d.]+) s", line)
            if m:
                if m.group(1) not in stages:
                    order.append(m.group(1))
                stages[m.group(1)] = stages.get(m.group(1), 0.0) + float(m.group(2))
            m = re.match(r"profile: (\d+) pages", line)
            if m:
                pages += int(m.group(1))
    total = stages.get("total", sum(v for k, v in stages.items() if k != "total"))
    print("per-stage time from --profile, %s, summed over %d documents (%d pages):"
          % (label, len(files), pages))
    for k in order:
        print("  %-10s %8.3f s  %5.1f%%" % (k, stages[k], 100.0 * stages[k] / total if total else 0))


def startup(a, env):
    one = os.path.join(a.out, "one_page.txt")
    with open(one, "w") as f:
        f.write("UNITED STATES DISTRICT COURT\nSOUTHERN DISTRICT OF NEW YORK\n\nORDER\n\n"
                "The parties shall file a joint letter by December 8, 2025.\n\nSO ORDERED.\n")
    ws = [run([a.ordex, "--input", "text", one], env)[0] for _ in range(20)]
    print("start-up + grammar load: ordex on a 1-page text file, median of 20: %.1f ms (min %.1f)"
          % (1000 * med(ws), 1000 * min(ws)))
    ws = [run([a.ordex, "--no-default-grammars", "--check-grammars", a.grammars], env)[0]
          for _ in range(20)]
    print("ordex --check-grammars %s, median of 20: %.1f ms" % (a.grammars, 1000 * med(ws)))


def goal(name, ok, detail):
    print("  %-4s %s (%s)" % ("PASS" if ok else "FAIL", name, detail))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ordex", required=True)
    ap.add_argument("--mksample", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--corpus", default="")
    ap.add_argument("--table-only", action="store_true",
                    help="only the table of issue 18 and its goals")
    ap.add_argument("--grammars", default="grammars")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    for tool in ("pdftotext", "pdfinfo", "/usr/bin/time"):
        if subprocess.run(["sh", "-c", "command -v %s" % tool], stdout=subprocess.DEVNULL).returncode:
            die("%s not found (make deps)" % tool)
    a.ordex = os.path.abspath(a.ordex)
    env = dict(os.environ)
    env.setdefault("ORDEX_GRAMMAR_DIR", os.path.abspath(a.grammars))
    os.makedirs(a.out, exist_ok=True)
    t_start = time.monotonic()
    print("ordex bench: %d runs each, %d cores, %s" % (a.runs, os.cpu_count(), time.strftime("%Y-%m-%d %H:%M:%S")))

    load_note("start")
    short, long_ = build_corpus(a)
    one = [f for f in long_ if os.path.basename(f) == "long1000.pdf"]
    has_j = ordex_help_has_j(a, env)
    rows = []
    real = []
    if a.corpus and os.path.isdir(a.corpus):
        for sub in ("bulk", "real"):
            d = os.path.join(a.corpus, sub)
            if os.path.isdir(d):
                real += sorted(os.path.join(d, f) for f in os.listdir(d) if f.lower().endswith(".pdf"))
    if real:
        rows.append(table_row("real filings", real, False, a, env, False))
    else:
        rows.append({"label": "real filings", "skipped": "%s/bulk, %s/real not present"
                     % (a.corpus, a.corpus)})
    rows.append(table_row("synthetic orders", short, False, a, env, False))
    if one:
        r = table_row("one 1,000-page order", one, True, a, env, has_j)
        if not has_j:
            r["j2_note"] = "n/a"
        rows.append(r)
    print_table(rows, "" if has_j else "(ordex -j N FILE: n/a, `ordex --help` has no -j)")

    print("goals (issue 18):")
    by = {r["label"]: r for r in rows if not r.get("skipped")}
    if "real filings" in by:
        r = by["real filings"]
        goal("real filings: ordex batch -j1 >= 0.8 x pdftotext", r["pdftotext"] / r["j1"] >= 0.8,
             "%.2f" % (r["pdftotext"] / r["j1"]))
    r = by["synthetic orders"]
    goal("synthetic orders: ordex batch -j1 >= 0.6 x pdftotext", r["pdftotext"] / r["j1"] >= 0.6,
         "%.2f" % (r["pdftotext"] / r["j1"]))
    if "one 1,000-page order" in by:
        r = by["one 1,000-page order"]
        goal("1,000-page order: ordex -j1 >= 0.6 x pdftotext", r["pdftotext"] / r["j1"] >= 0.6,
             "%.2f" % (r["pdftotext"] / r["j1"]))
        if r["j2"]:
            goal("1,000-page order: -j2 >= 1.7 x -j1", r["j1"] / r["j2"] >= 1.7,
                 "%.2f" % (r["j1"] / r["j2"]))
        else:
            goal("1,000-page order: -j2 >= 1.7 x -j1", False, "n/a: no ordex -j N FILE")
        goal("1,000-page order: match stage <= 15% of the total", r["match"] <= 0.15,
             "%.1f%%" % (100.0 * r["match"]))

    if a.table_only:
        load_note("end")
        print("bench: done in %.0f s" % (time.monotonic() - t_start))
        return
    print()
    print("throughput with -j 2 (batch):")
    compare("synthetic", short, a, env)
    if real:
        compare("real", real, a, env)
    lengths = per_length(long_, a, env)
    profile("synthetic", short[::8] + [f for f in long_ if "long0200" in f], env, a)
    if real:
        profile("real", real[::12], env, a)
    startup(a, env)

    print("goals (issue 9):")
    big = lengths.get("long2000.pdf")
    small = lengths.get("long0010.pdf")
    if big:
        goal("peak memory at 2000 pages < 150 MiB", big[2] < 150, "%.1f MiB" % big[2])
    if small:
        goal("peak memory at 10 pages < 40 MiB", small[2] < 40, "%.1f MiB (%d pages)" % (small[2], small[0]))
    load_note("end")
    print("bench: done in %.0f s" % (time.monotonic() - t_start))


if __name__ == "__main__":
    main()

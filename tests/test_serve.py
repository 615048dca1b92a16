#!/usr/bin/env python3
"""test_serve.py - `ordex serve` against servers it starts on 127.0.0.1.

Standard library only.  Every endpoint; the answers of /v1/extract
against the bytes `ordex FILE` prints; bad requests (wrong method, wrong
type, empty, truncated, corrupt and encrypted PDFs, bad parameters, no
length, a 2 GB Content-Length with and without Expect, a client sending
one byte a second); a worker killed mid-request, a crashing and a hanging
worker; a full queue (503 with Retry-After); the bearer token; SIGTERM
while a document runs; /metrics against the requests made; and a load
run of LOAD requests, PAR at a time, every answer compared with the CLI's
JSON, with p50/p99 latency printed.  Every wait is bounded.

Usage: test_serve.py ORDEX.  Last line: "serve: N passed, M failed".
"""
import concurrent.futures
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ORDEX = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/ordex")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOAD = int(os.environ.get("SERVE_LOAD", "1000"))
PAR = 8
ASAN = b"libasan" in subprocess.run(["readelf", "-d", ORDEX],
                                    capture_output=True).stdout
passed = failed = 0


def check(what, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL %s %s" % (what, detail))
    return cond


class Server:
    """An `ordex serve` on a free loopback port, stopped by stop()."""

    def __init__(self, *args, env=None):
        self.err = tempfile.TemporaryFile()
        e = dict(os.environ, ORDEX_BATCH_TEST_HOOKS="1")
        if ASAN:
            # ASan keeps 256 MB of freed memory in quarantine by default: the
            # 2 GB body passing through would look like stored, and every
            # fork would copy the page tables of all that.
            e["ASAN_OPTIONS"] = e.get("ASAN_OPTIONS", "") \
                + ":quarantine_size_mb=16"
        e.update(env or {})
        self.proc = subprocess.Popen(
            [ORDEX, "serve", "--listen", "127.0.0.1:0"] + list(args),
            stdout=subprocess.DEVNULL, stderr=self.err, env=e)
        self.port = None
        deadline = time.time() + 30
        while time.time() < deadline and self.port is None:
            self.err.seek(0)
            m = re.search(rb"listening on http://127\.0\.0\.1:(\d+)/",
                          self.err.read())
            if m:
                self.port = int(m.group(1))
            elif self.proc.poll() is not None:
                break
            else:
                time.sleep(0.05)
        if self.port is None:
            self.err.seek(0)
            raise SystemExit("serve: server did not start: %r"
                             % self.err.read()[-500:])

    def stderr(self):
        self.err.seek(0)
        return self.err.read().decode("utf-8", "replace")

    def request(self, method, path, body=None, headers=None, timeout=60):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, dict(r.getheaders()), r.read()
        finally:
            c.close()

    def children(self):
        out = []
        for p in os.listdir("/proc"):
            if not p.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % p) as f:
                    st = f.read()
            except OSError:
                continue
            if int(st.rsplit(")", 1)[1].split()[1]) == self.proc.pid:
                out.append(int(p))
        return out

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def cli(args, cwd):
    r = subprocess.run([ORDEX] + args, cwd=cwd, capture_output=True)
    return r.returncode, r.stdout, r.stderr.decode("utf-8", "replace")


def error_of(body):
    try:
        return json.loads(body)["error"]
    except (ValueError, KeyError, TypeError):
        return {}


def raw(port, data, timeout=10):
    """Sends data on a new connection; returns what came back, up to
    EOF or timeout."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(data)
    got = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            got += b
    except socket.timeout:
        pass
    s.close()
    return got


def main():
    os.environ["LC_ALL"] = "C"
    os.environ.setdefault("ORDEX_GRAMMAR_DIR", os.path.join(ROOT, "grammars"))
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    T = tempfile.mkdtemp()
    servers = []
    try:
        run(T, servers)
    finally:
        for s in servers:
            s.stop()
        shutil.rmtree(T, ignore_errors=True)
    print("serve: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def run(T, servers):
    pdf_src = os.path.join(ROOT, "samples", "nysd_scheduling_order.pdf")
    txt_src = os.path.join(ROOT, "samples", "nysd_scheduling_order.txt")
    shutil.copy(pdf_src, os.path.join(T, "order.pdf"))
    shutil.copy(txt_src, os.path.join(T, "order.txt"))
    pdf = open(pdf_src, "rb").read()
    txt = open(txt_src, "rb").read()
    _, want_pdf, _ = cli(["order.pdf"], T)
    _, want_txt, _ = cli(["order.txt"], T)
    _, want_pretty, _ = cli(["-p", "order.pdf"], T)
    _, want_never, _ = cli(["--ocr", "never", "order.pdf"], T)
    check("cli output", want_pdf.startswith(b"{") and want_txt.startswith(b"{"))

    main_srv = Server("-j", "2", "--queue", "16", "--timeout", "5",
                      "--read-timeout", "3")
    servers.append(main_srv)
    S = main_srv
    tally = {}

    def req(method, path, body=None, headers=None, timeout=60):
        st, h, b = S.request(method, path, body, headers, timeout)
        ep = path.split("?")[0]
        tally[(ep, st)] = tally.get((ep, st), 0) + 1
        return st, h, b

    PDF = {"Content-Type": "application/pdf"}
    TXT = {"Content-Type": "text/plain; charset=utf-8"}

    # ---- the endpoints
    st, h, b = req("GET", "/v1/health")
    check("health", st == 200 and json.loads(b) == {"status": "ok"}, b)
    st, h, b = req("GET", "/v1/version")
    v = json.loads(b) if st == 200 else {}
    ver = subprocess.run([ORDEX, "--version"], capture_output=True,
                         text=True).stdout.split()
    check("version", v.get("ordex") == ver[1] and v.get("schema") == json.loads(want_pdf)["schema"]
          and v.get("grammars") == json.loads(want_pdf)["grammars"]
          and re.fullmatch(r"[0-9a-f]{64}", v.get("grammars_sha256", "")),
          b)
    st, h, b = req("POST", "/v1/extract?name=order.pdf", pdf, PDF)
    check("extract pdf = cli", st == 200 and b == want_pdf
          and h.get("Ordex-Exit") == "0"
          and h.get("Content-Type") == "application/json", (st, b[:200]))
    st, h, b = req("POST", "/v1/extract?name=order.txt", txt, TXT)
    check("extract text = cli", st == 200 and b == want_txt, (st, b[:200]))
    st, h, b = req("POST", "/v1/extract?name=order.pdf&pretty=1", pdf, PDF)
    check("extract pretty = cli -p", st == 200 and b == want_pretty)
    st, h, b = req("POST", "/v1/extract?name=order.pdf&ocr=never", pdf, PDF)
    check("extract ocr=never = cli", st == 200 and b == want_never)
    st, h, b = req("POST", "/v1/extract", pdf, PDF)
    check("extract without name", st == 200
          and json.loads(b)["source"]["file"] == "<request>"
          and json.loads(b)["deadlines"] == json.loads(want_pdf)["deadlines"])
    # text in another charset: the same JSON as the CLI's on the same bytes,
    # with the charset declared and with it left to the detector
    latin = "ORDER\n\nThe parties shall file a joint letter by January 5, " \
            "2026, regarding the caf\u00e9 records.\n"
    with open(os.path.join(T, "latin.txt"), "wb") as f:
        f.write(latin.encode("iso-8859-1"))
    _, want_latin, _ = cli(["--encoding", "ISO-8859-1", "latin.txt"], T)
    st, h, b = req("POST", "/v1/extract?name=latin.txt",
                   latin.encode("iso-8859-1"),
                   {"Content-Type": "text/plain; charset=ISO-8859-1"})
    check("extract latin-1 text = cli", st == 200 and b == want_latin
          and b'"2026-01-05"' in b and "caf\u00e9".encode() in b, (st, b[:300]))
    _, want_detect, _ = cli(["latin.txt"], T)
    st, h, b = req("POST", "/v1/extract?name=latin.txt",
                   latin.encode("iso-8859-1"), {"Content-Type": "text/plain"})
    check("extract text without charset = cli", st == 200 and b == want_detect,
          (st, b[:300]))
    # highlight: a PDF with as many highlight annotations as the CLI's copy
    st, h, b = req("POST", "/v1/highlight?name=order.pdf", pdf, PDF)
    cli(["--highlight", "hl.pdf", "order.pdf"], T)
    cli_hl = open(os.path.join(T, "hl.pdf"), "rb").read()
    n_hl = b.count(b"/Highlight")
    check("highlight", st == 200 and h.get("Content-Type") == "application/pdf"
          and b.startswith(b"%PDF-") and n_hl > 0
          and n_hl == cli_hl.count(b"/Highlight"), (st, n_hl, b[:100]))
    check("one thread", open("/proc/%d/status" % S.proc.pid).read()
          .count("Threads:\t1\n") == 1)

    # ---- the load run: two short orders, so that it measures the server
    # (a worker per request) more than the extraction
    docs = []
    for n, body in enumerate((
            "UNITED STATES DISTRICT COURT\nSOUTHERN DISTRICT OF NEW YORK\n\n"
            "ORDER\n\nDefendants shall produce the documents by January 9, "
            "2026.\n\nSO ORDERED.\n\nDated: December 1, 2025\n",
            "ORDER\n\nThe parties shall file a joint status letter within "
            "14 days of the date of this Order.\n\nDated: November 3, 2025\n")):
        name = "load%d.txt" % n
        with open(os.path.join(T, name), "w", encoding="utf-8") as f:
            f.write(body)
        _, want, _ = cli([name], T)
        check("load doc %d has a deadline" % n, b'"deadlines":[{' in want, want)
        docs.append((name, body.encode(), TXT, want))

    def worker(k):
        c = http.client.HTTPConnection("127.0.0.1", S.port, timeout=120)
        lat, bad_n = [], 0
        for i in range(k, LOAD, PAR):
            name, body, hd, want = docs[i % 2]
            t1 = time.time()
            try:
                c.request("POST", "/v1/extract?name=" + name, body, hd)
                r = c.getresponse()
                got = r.read()
                ok = r.status == 200 and got == want
            except (OSError, http.client.HTTPException):
                ok = False
                c.close()
                c = http.client.HTTPConnection("127.0.0.1", S.port,
                                               timeout=120)
            lat.append(time.time() - t1)
            bad_n += not ok
        c.close()
        return lat, bad_n
    t0 = time.time()
    with concurrent.futures.ThreadPoolExecutor(PAR) as ex:
        res = list(ex.map(worker, range(PAR)))
    wall = time.time() - t0
    lat = sorted(x for r in res for x in r[0])
    n_bad = sum(r[1] for r in res)
    tally[("/v1/extract", 200)] = tally.get(("/v1/extract", 200), 0) \
        + LOAD - n_bad
    p50 = lat[len(lat) // 2] if lat else 0
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else 0
    print("serve: load: %d requests, %d at a time, %d failed, %.1f s, "
          "%.0f requests/s, p50 %.1f ms, p99 %.1f ms"
          % (LOAD, PAR, n_bad, wall, LOAD / wall if wall else 0,
             p50 * 1000, p99 * 1000))
    check("load: 0 failures, every answer the CLI's", n_bad == 0 and
          len(lat) == LOAD, n_bad)

    # ---- bad requests
    st, h, b = req("GET", "/v1/extract")
    check("GET extract 405", st == 405 and h.get("Allow") == "POST"
          and error_of(b) == {"code": "method", "exit": 2, "message":
                              "/v1/extract needs POST, not GET"}, (st, b))
    st, h, b = req("POST", "/v1/health", b"x", TXT)
    check("POST health 405", st == 405 and h.get("Allow") == "GET", (st, b))
    st, h, b = req("DELETE", "/metrics")
    check("DELETE metrics 405", st == 405, (st, b))
    for path in ("/", "/v1/extract/", "/v1/Extract", "/etc/passwd",
                 "/v1/../../etc/passwd", "/v1/extract/../../../etc/passwd",
                 "/%2e%2e/%2e%2e/etc/passwd", "/samples/order.pdf"):
        got = raw(S.port, ("GET %s HTTP/1.1\r\nHost: x\r\n"
                           "Connection: close\r\n\r\n" % path).encode())
        head, _, body = got.partition(b"\r\n\r\n")
        check("path %s 404" % path, head.startswith(b"HTTP/1.1 404")
              and error_of(body).get("code") == "not_found", got[:200])
        tally[("other", 404)] = tally.get(("other", 404), 0) + 1
    st, h, b = req("POST", "/v1/extract", b"%PDF-1.4", {"Content-Type":
                                                        "image/png"})
    check("wrong type 415", st == 415 and error_of(b).get("code") == "type",
          (st, b))
    st, h, b = req("POST", "/v1/extract", b"%PDF-1.4", {})
    check("no type 415", st == 415, (st, b))
    st, h, b = req("POST", "/v1/highlight", txt, TXT)
    check("highlight text 415", st == 415 and error_of(b)["message"]
          == "expected Content-Type application/pdf", (st, b))
    for q, msg in (("ocr=sometimes", "unknown ocr mode 'sometimes' "
                    "(expected auto, always or never)"),
                   ("pretty=maybe", "bad pretty value 'maybe' (expected 1 "
                    "or 0)"),
                   ("file=/etc/passwd", "unknown parameter 'file'"),
                   ("name=../etc/passwd", "bad name (a label of 1 to 255 "
                    "printable characters without /)")):
        st, h, b = req("POST", "/v1/extract?" + q, pdf, PDF)
        check("query %s 400" % q, st == 400 and error_of(b) ==
              {"code": "usage", "exit": 2, "message": msg}, (st, b))
    # documents the library refuses: the CLI's exit code and message
    bad = {
        "empty.pdf": b"",
        "trunc.pdf": pdf[:len(pdf) // 3],
        "corrupt.pdf": pdf[:400] + bytes(range(256)) * 40 + pdf[-300:],
        "notpdf.pdf": b"GIF89a this is not a PDF\n" * 10,
    }
    enc = os.path.join(T, "enc.pdf")
    if shutil.which("qpdf") and subprocess.run(
            ["qpdf", "--encrypt", "u", "o", "256", "--", pdf_src, enc],
            capture_output=True).returncode == 0:
        bad["enc.pdf"] = open(enc, "rb").read()
    else:
        print("serve: no qpdf, encrypted PDF case skipped")
    http_of = {4: 422, 5: 423}
    for name, data in bad.items():
        with open(os.path.join(T, name), "wb") as f:
            f.write(data)
        code, _, err = cli([name], T)
        st, h, b = req("POST", "/v1/extract?name=" + name, data, PDF)
        e = error_of(b)
        check("bad pdf %s" % name, code in http_of and st == http_of[code]
              and e.get("exit") == code and h.get("Ordex-Exit") == str(code)
              and "ordex: " + e.get("message", "") == err.strip(),
              (code, err, st, b))
    # declared a PDF but text-like bytes and no name: still "not a PDF"
    # (the CLI: --input pdf), never read as text
    with open(os.path.join(T, "plain"), "wb") as f:
        f.write(b"this is not a PDF\n")
    code, _, err = cli(["--input", "pdf", "plain"], T)
    st, h, b = req("POST", "/v1/extract", b"this is not a PDF\n", PDF)
    check("text-like body as application/pdf 422", code == 4 and st == 422
          and error_of(b).get("code") == "not_pdf"
          and error_of(b).get("message", "").endswith(
              err.strip().split(": ", 2)[-1]), (code, err, st, b))
    with open(os.path.join(T, "bad.txt"), "wb") as f:
        f.write(b"ok \xff\xfe\n")
    code, _, err = cli(["--encoding", "UTF-8", "bad.txt"], T)
    st, h, b = req("POST", "/v1/extract?name=bad.txt", b"ok \xff\xfe\n", TXT)
    check("invalid utf-8 422", st == 422 and error_of(b).get("code") == "utf8"
          and "ordex: " + error_of(b).get("message", "") == err.strip(),
          (st, b, err))
    got = raw(S.port, b"POST /v1/extract HTTP/1.1\r\nHost: x\r\n"
              b"Content-Type: application/pdf\r\nTransfer-Encoding: chunked"
              b"\r\n\r\n5\r\n%PDF-\r\n0\r\n\r\n")
    check("chunked 411", got.startswith(b"HTTP/1.1 411"), got[:100])
    tally[("/v1/extract", 411)] = tally.get(("/v1/extract", 411), 0) + 1

    # a 2 GB body: refused from its headers alone when the client asks
    # first (Expect: 100-continue); otherwise what comes is thrown away and
    # the connection closed once --read-timeout is over.
    t0 = time.time()
    got = raw(S.port, b"POST /v1/extract HTTP/1.1\r\nHost: x\r\n"
              b"Content-Type: application/pdf\r\nContent-Length: 2147483648"
              b"\r\nExpect: 100-continue\r\n\r\n", timeout=10)
    head, _, body = got.partition(b"\r\n\r\n")
    check("2 GB with Expect: 413 at once", head.startswith(b"HTTP/1.1 413")
          and b"100 Continue" not in head and time.time() - t0 < 5
          and error_of(body) == {"code": "too_large", "exit": 2, "message":
                                 "body of 2147483648 bytes; the limit is "
                                 "67108864"}, got[:300])
    tally[("/v1/extract", 413)] = tally.get(("/v1/extract", 413), 0) + 1
    rss0 = int(re.search(r"VmRSS:\s+(\d+)", open(
        "/proc/%d/status" % S.proc.pid).read()).group(1))
    t0 = time.time()
    s = socket.create_connection(("127.0.0.1", S.port), timeout=10)
    s.sendall(b"POST /v1/extract HTTP/1.1\r\nHost: x\r\n"
              b"Content-Type: application/pdf\r\nContent-Length: 2147483648"
              b"\r\n\r\n")
    sent = 0
    closed = False
    try:
        chunk = b"\0" * 65536
        while time.time() - t0 < 8 and sent < (256 << 20):
            s.sendall(chunk)
            sent += len(chunk)
        s.settimeout(8)
        closed = s.recv(100) == b""
    except OSError:
        closed = True  # reset by the server
    s.close()
    rss1 = int(re.search(r"VmRSS:\s+(\d+)", open(
        "/proc/%d/status" % S.proc.pid).read()).group(1))
    check("2 GB without Expect: not stored, cut off", closed
          and time.time() - t0 < 12 and rss1 - rss0 < 64 * 1024,
          (closed, sent, rss0, rss1, time.time() - t0))

    # a client that sends one byte a second: cut off after --read-timeout
    # (3 s), while others are served
    s = socket.create_connection(("127.0.0.1", S.port), timeout=10)
    s.sendall(b"POST /v1/extract HTTP/1.1\r\nHost: x\r\nContent-Type: "
              b"text/plain\r\nContent-Length: 20\r\n\r\n")
    t0 = time.time()
    cut = None
    others = []
    while time.time() - t0 < 8 and cut is None:
        try:
            s.sendall(b"x")
            s.settimeout(1.0)
            if s.recv(100) == b"":
                cut = time.time() - t0
        except socket.timeout:
            t1 = time.time()
            st, _, _ = req("GET", "/v1/health")
            others.append((st, time.time() - t1))
        except OSError:
            cut = time.time() - t0
    s.close()
    check("slow client cut off", cut is not None and 2 <= cut < 6, cut)
    check("others served meanwhile", others and all(
        st == 200 and dt < 2 for st, dt in others), others)

    # ---- workers that fail
    box = {}

    def slow_request():
        box["r"] = req("POST", "/v1/extract?name=hang-a.txt", txt, TXT)
    th = threading.Thread(target=slow_request)
    th.start()
    kids = []
    t0 = time.time()
    while not kids and time.time() - t0 < 5:
        time.sleep(0.1)
        kids = S.children()
    check("a worker runs", len(kids) == 1, kids)
    for k in kids:
        os.kill(k, signal.SIGKILL)
    th.join(20)
    st, h, b = box.get("r", (0, {}, b""))
    check("worker killed: 500 crash", st == 500 and error_of(b).get("code")
          == "crash" and error_of(b).get("message", "").startswith(
              "hang-a.txt: worker killed by SIGKILL"), (st, b))
    st, h, b = req("POST", "/v1/extract?name=order.pdf", pdf, PDF)
    check("served after the kill", st == 200 and b == want_pdf)
    st, h, b = req("POST", "/v1/extract?name=crash-b.txt", txt, TXT)
    check("crashing worker: 500", st == 500 and "SIGABRT" in
          error_of(b).get("message", ""), (st, b))
    t0 = time.time()
    st, h, b = req("POST", "/v1/extract?name=hang-c.txt", txt, TXT)
    check("hanging worker: 504 after --timeout", st == 504
          and 4 < time.time() - t0 < 15 and error_of(b) ==
          {"code": "timeout", "exit": 8,
           "message": "hang-c.txt: timeout after 5 s"}, (st, b))
    st, h, b = req("GET", "/v1/health")
    check("alive after failures", st == 200 and S.proc.poll() is None)

    # ---- metrics: what this test asked
    st, h, b = S.request("GET", "/metrics")
    text = b.decode()
    m = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            k, val = line.rsplit(" ", 1)
            m[k] = float(val)
    for (ep, code), n in sorted(tally.items()):
        key = 'ordex_requests_total{endpoint="%s",status="%d"}' % (ep, code)
        check("metrics " + key, m.get(key) == n, (m.get(key), n))
    check("metrics gauges", m.get("ordex_documents_in_flight") == 0
          and m.get("ordex_documents_queued") == 0
          and m.get("ordex_worker_restarts_total") == 3
          and m.get("ordex_read_timeouts_total", 0) >= 1
          and m.get('ordex_request_seconds_total{endpoint="/v1/extract"}', 0)
          > 0, text[-1500:])
    check("metrics content type", h.get("Content-Type", "").startswith(
        "text/plain; version=0.0.4"), h)

    # ---- a full queue: 503 with Retry-After
    busy = Server("-j", "1", "--queue", "1", "--timeout", "3")
    servers.append(busy)
    outs = []

    def hang(n):
        outs.append(busy.request("POST", "/v1/extract?name=hang-%d.txt" % n,
                                 txt, TXT))
    ths = [threading.Thread(target=hang, args=(n,)) for n in range(2)]
    for t in ths:
        t.start()
        time.sleep(0.5)
    st, h, b = busy.request("POST", "/v1/extract?name=order.txt", txt, TXT)
    check("full queue 503", st == 503 and h.get("Retry-After", "").isdigit()
          and int(h["Retry-After"]) >= 1 and error_of(b).get("code") == "busy",
          (st, h, b))
    for t in ths:
        t.join(20)
    check("the two hung ones: 504", sorted(o[0] for o in outs) == [504, 504],
          [o[0] for o in outs])

    # ---- the token, and SIGTERM while a document runs
    tok = os.path.join(T, "token")
    with open(tok, "w") as f:
        f.write("s3cret-token\n")
    auth = Server("-j", "1", "--token-file", tok)
    servers.append(auth)
    st, h, b = auth.request("POST", "/v1/extract?name=order.txt", txt, TXT)
    check("no token 401", st == 401 and h.get("WWW-Authenticate") == "Bearer"
          and error_of(b).get("code") == "unauthorized", (st, b))
    for bad_tok in ("Bearer s3cret-tokem", "Bearer s3cret-token2",
                    "Basic s3cret-token", "Bearer "):
        st, h, b = auth.request("GET", "/metrics", headers={
            "Authorization": bad_tok})
        check("token %r 401" % bad_tok, st == 401, st)
    st, h, b = auth.request("GET", "/v1/health")
    check("health needs no token", st == 200)
    good = dict(TXT, Authorization="Bearer s3cret-token")
    st, h, b = auth.request("POST", "/v1/extract?name=order.txt", txt, good)
    check("right token 200", st == 200 and b == want_txt, st)

    box = {}

    def slow_ok():
        box["r"] = auth.request("POST", "/v1/extract?name=slow-order.txt",
                                txt, good)
    th = threading.Thread(target=slow_ok)
    th.start()
    time.sleep(0.7)
    auth.proc.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    try:
        st2, h2, b2 = auth.request("POST", "/v1/extract?name=order.txt", txt,
                                   good, timeout=5)
    except OSError as e:
        st2, b2 = 0, str(e).encode()
    th.join(20)
    st, h, b = box.get("r", (0, {}, b""))
    check("SIGTERM: the running document is answered", st == 200 and
          json.loads(b)["deadlines"] == json.loads(want_txt)["deadlines"]
          and json.loads(b)["source"]["file"] == "slow-order.txt", (st, b[:200]))
    check("SIGTERM: new work refused", st2 in (0, 503), (st2, b2))
    try:
        rc = auth.proc.wait(10)
    except subprocess.TimeoutExpired:
        rc = None
    check("SIGTERM: exit 0", rc == 0 and "stopped" in auth.stderr(),
          (rc, auth.stderr()[-300:]))

    # ---- the command line
    for args, code, msg in (
            (["--listen", "localhost:80"], 2, "ordex serve: bad --listen "
             "(expected ADDR:PORT, ADDR an IP address) (see ordex serve "
             "--help)"),
            (["-j", "-1"], 2, "ordex serve: -j must be at least 1 (see ordex "
             "serve --help)"),
            (["--ocr", "often"], 2, "ordex serve: unknown --ocr mode (expected "
             "auto, always or never) (see ordex serve --help)"),
            (["--token-file", os.path.join(T, "none")], 3, "ordex serve: %s: "
             "No such file or directory" % os.path.join(T, "none")),
            (["--listen", "127.0.0.1:%d" % S.port], 1, None)):
        r = subprocess.run([ORDEX, "serve"] + args, capture_output=True,
                           text=True, timeout=60)
        check("serve %s" % " ".join(args), r.returncode == code and
              (msg is None and "127.0.0.1:%d: " % S.port in r.stderr
               or r.stderr.strip() == msg), (r.returncode, r.stderr))

    # ---- the systemd unit, pointed at the binary under test
    unit = os.path.join(ROOT, "contrib", "systemd", "ordex.service")
    if shutil.which("systemd-analyze"):
        text = open(unit).read().replace("/usr/local/bin/ordex", ORDEX)
        with open(os.path.join(T, "ordex.service"), "w") as f:
            f.write(text)
        r = subprocess.run(["systemd-analyze", "verify",
                            os.path.join(T, "ordex.service")],
                           capture_output=True, text=True)
        check("systemd unit verifies", r.returncode == 0 and not
              r.stderr.strip(), r.stderr)
    else:
        print("serve: no systemd-analyze, unit not verified")

    check("main server still up", S.proc.poll() is None)
    check("main server: nothing on stderr but the start line",
          S.stderr().strip().count("\n") == 0, S.stderr()[-500:])


if __name__ == "__main__":
    sys.exit(main())

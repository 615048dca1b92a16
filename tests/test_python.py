"""Tests of the Python package (python/ordex/) against the built library,
with pytest.

Run by tests/run_python.sh, which points ORDEX_LIBRARY at the library under
test and ORDEX_GRAMMAR_DIR at grammars/.  The OpenAI sample is a fictional
S.D.N.Y. opinion and order of November 24, 2025 whose conclusion sets four
deadlines for OpenAI: produce by December 8, log by December 8, identify
its attorneys by December 5, and make them available for depositions no
later than December 19, 2025; the assertions below are what a careful
reader of that order expects.
"""

import datetime
import gc
import hashlib
import os
import pathlib
import shutil
import subprocess
import sys
import threading
import time
import weakref

import pytest

sys.dont_write_bytecode = True
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
os.environ["ORDEX_GRAMMAR_DIR"] = os.path.abspath(
    os.environ.get("ORDEX_GRAMMAR_DIR", os.path.join(ROOT, "grammars")))

import ordex  # noqa: E402

SAMPLE = os.path.join("samples", "openai_privilege_order.pdf")

# A plain-text order (stages 2-6 without a PDF).
TEXT_ORDER = """UNITED STATES DISTRICT COURT
SOUTHERN DISTRICT OF NEW YORK

ORDER

The motion to compel is GRANTED.

By December 8, 2025, Defendant shall produce the documents described in the motion.

SO ORDERED.

Dated: November 24, 2025
New York, New York
"""

# The same order in Latin-1, with an accent (0xe9) and a second page.
LATIN1_ORDER = (TEXT_ORDER.replace("the documents", "the caf\u00e9's documents")
                + "\f\nPlaintiff shall reply by January 9, 2026.\n"
                ).encode("iso-8859-1")


def header_version():
    with open(os.path.join(ROOT, "include", "ordex.h"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#define ORDEX_VERSION "):
                return line.split('"')[1]
    raise AssertionError("no ORDEX_VERSION in ordex.h")


@pytest.fixture(scope="session", autouse=True)
def in_root():
    os.chdir(ROOT)


@pytest.fixture(scope="session")
def tmp(tmp_path_factory):
    return str(tmp_path_factory.mktemp("ordex-py"))


@pytest.fixture(scope="session")
def files(tmp):
    f = {}
    f["encrypted"] = os.path.join(tmp, "encrypted.pdf")
    subprocess.run(["qpdf", "--encrypt", "secret", "owner", "256", "--",
                    SAMPLE, f["encrypted"]], check=True)
    f["bad_utf8"] = os.path.join(tmp, "bad.txt")
    with open(f["bad_utf8"], "wb") as out:
        out.write(b"The parties shall file \xff\xfe by December 8, 2025.\n")
    f["order_txt"] = os.path.join(tmp, "order.txt")
    with open(f["order_txt"], "w", encoding="utf-8") as out:
        out.write(TEXT_ORDER)
    # Latin-1 text with a name that says nothing about its kind.
    f["latin1"] = os.path.join(tmp, "order-latin1")
    with open(f["latin1"], "wb") as out:
        out.write(LATIN1_ORDER)
    f["bad_grammars"] = os.path.join(tmp, "badgrammars")
    os.mkdir(f["bad_grammars"])
    with open(os.path.join(f["bad_grammars"], "broken.rules"), "w") as out:
        out.write("grammar broken 1.0\nkind directive\n\nrule broken.one\n"
                  "  pattern   (?<x>unclosed\nend\n")
    return f


@pytest.fixture(scope="session")
def doc():
    return ordex.extract(SAMPLE)


@pytest.fixture(scope="session")
def pdf():
    with open(SAMPLE, "rb") as f:
        return f.read()


def raises(code, message, fn, *args, **kw):
    with pytest.raises(ordex.OrdexError) as info:
        fn(*args, **kw)
    e = info.value
    assert (e.code, e.name, e.message, str(e)) == (
        code, ordex.STATUS_NAMES[code], message, message)
    return e


# ---- The OpenAI sample --------------------------------------------------------


def test_version(doc):
    assert ordex.__version__ == header_version()
    assert ordex.version() == header_version()
    assert doc.ordex == header_version()


def test_source(doc, pdf):
    src = doc.source
    assert doc.schema == "ordex-3"
    assert (src.file, src.input, src.pages) == (SAMPLE, "pdf", 5)
    assert src.sha256 == hashlib.sha256(pdf).hexdigest()
    assert src.ecf == ordex.Ecf("1:25-md-03143-SHS-OTW", "812",
                                datetime.date(2025, 11, 24), 5, 5)
    assert [p.source for p in src.text_source] == ["pdf"] * 5
    assert not doc.incomplete


def test_case(doc):
    c = doc.case
    assert c.court == ("United States District Court for the Southern "
                       "District of New York")
    assert (c.court_id, c.case_number, c.case_number_normalized) == (
        "nysd", "25-md-3143 (SHS) (OTW)", "1:25-md-03143")
    assert c.judge_initials == ("SHS", "OTW")
    assert c.caption == "IN RE OPENAI, INC. COPYRIGHT INFRINGEMENT LITIGATION"
    assert (c.title, c.judge, c.judge_title) == (
        "OPINION & ORDER", "Ona T. Wang", "United States Magistrate Judge")
    assert c.date == datetime.date(2025, 11, 24)
    assert (c.date_source, c.docket_entry) == ("signature", "812")
    assert (c.time_zone, c.document_kind) == ("America/New_York", "order")


def test_layout_3_fields(doc):
    # ordex-3: binding on every directive and deadline, changes, and
    # ocr_skipped in text_source (the sample's pages all have text).
    assert [d.binding for d in doc.directives] == [True] * len(doc.directives)
    assert [t.binding for t in doc.deadlines] == [True] * 4
    assert doc.changes == ()
    assert [p.ocr_skipped for p in doc.source.text_source] == [None] * 5


def test_changes_typed():
    text = ("ORDER\n\nThe deadline to file the opposition is extended to "
            "January 30, 2026.\n\nSO ORDERED.\n\nDated: January 5, 2026\n")
    d = ordex.extract_text(text)
    assert len(d.changes) == 1, d.json["changes"]
    ch = d.changes[0]
    assert (ch.action, ch.date) == ("extended", datetime.date(2026, 1, 30))
    assert ch.page >= 0 and ch.start < ch.end


def test_deadlines(doc):
    d = datetime.date
    assert [t.date for t in doc.deadlines] == [
        d(2025, 12, 8), d(2025, 12, 8), d(2025, 12, 5), d(2025, 12, 19)]
    assert [t.action for t in doc.deadlines] == [
        "produce", "log", "identify", "make"]
    assert doc.deadlines[0].text == "By December 8, 2025"
    assert doc.deadlines[3].text == "no later than December 19, 2025"
    for t in doc.deadlines:
        assert (t.kind, t.party, t.time, t.ambiguous) == (
            "absolute", "OpenAI", None, False)


def test_deadlines_link_to_directives(doc):
    for t in doc.deadlines:
        d = doc.directive(t.directive)
        assert (d.actor, d.modality, d.action, d.deadline) == (
            "OpenAI", "must", t.action, t.id)
        # The deadline's words lie inside its directive's sentence.
        assert d.start <= t.start and t.end <= d.end and d.page == t.page
    with pytest.raises(KeyError):
        doc.directive("d99")


def test_directives(doc):
    assert [d.actor for d in doc.directives] == ["OpenAI"] * 4 + [
        "The Clerk of Court"]
    assert [d.action for d in doc.directives] == [
        "produce", "log", "identify", "make", "close"]
    assert doc.directives[0].text.startswith(
        "By December 8, 2025, OpenAI shall produce")
    assert {d.modality for d in doc.directives} == {"must"}
    assert doc.directives[4].deadline is None


def test_positions(doc):
    records = list(doc.directives) + list(doc.deadlines) + list(doc.judges) \
        + list(doc.datasets)
    assert records
    for r in records:
        assert 1 <= r.page <= doc.source.pages, r
        assert r.start < r.end, r
        x0, y0, x1, y1 = r.bbox
        assert 0 <= x0 < x1 <= 612 and 0 <= y0 < y1 <= 792, r


def test_offsets_index_the_clean_text(doc):
    text = ordex.dump(SAMPLE, "text")
    for t in doc.deadlines:
        assert text[t.start:t.end] == t.text


def test_judges(doc):
    assert [(j.kind, j.name, j.title, j.role) for j in doc.judges] == [
        ("judge", "Ona T. Wang", "United States Magistrate Judge", "author")]


def test_attorneys():
    doc = ordex.extract(os.path.join("samples", "ca9_appellate_opinion.pdf"))
    jane = doc.attorneys[0]
    assert (jane.kind, jane.name, jane.firm, jane.role, jane.party) == (
        "attorney", "Jane Doe", "Doe & Roe LLP", "argued for",
        "Plaintiffs-Appellants")
    assert jane.mentions[0].text == "Jane Doe"
    assert jane.mentions[0].page == jane.page == 1


def test_datasets(doc):
    names = [d.name for d in doc.datasets]
    assert {"Library Genesis", "Books1", "Books2"} <= set(names)
    libgen = doc.datasets[names.index("Library Genesis")]
    assert "LibGen" in libgen.aliases and libgen.source == "lexicon"
    assert (libgen.page, libgen.start) == (libgen.mentions[0].page,
                                           libgen.mentions[0].start)


def test_time_of_day():
    with open(os.path.join("tests", "golden", "deadlines", "rule6-text", "input.txt"),
              encoding="utf-8") as f:
        doc = ordex.extract_text(f.read(), name="rule6.txt")
    hearing = [t for t in doc.deadlines if t.event == "hearing"][0]
    assert (hearing.date, hearing.time) == (datetime.date(2025, 12, 24),
                                            datetime.time(10, 30))


def test_json_kept(doc):
    assert doc.json["deadlines"][0]["date"] == "2025-12-08"


# ---- Inputs ---------------------------------------------------------------------


def test_bytes_same_as_path(doc, pdf):
    b = ordex.extract_bytes(pdf)
    assert b.source.file is None
    assert b.deadlines == doc.deadlines and b.case == doc.case
    named = ordex.extract_bytes(bytearray(pdf), name="upload.pdf")
    assert named.source.file == "upload.pdf"


def test_pathlike(doc):
    assert ordex.extract(pathlib.Path(SAMPLE)) == doc


def test_text_file_and_str(files):
    doc = ordex.extract(files["order_txt"])
    assert (doc.source.input, doc.source.file, doc.source.pages) == (
        "text", files["order_txt"], 1)
    assert doc.source.sha256 == hashlib.sha256(
        TEXT_ORDER.encode()).hexdigest()
    assert doc.case.date == datetime.date(2025, 11, 24)
    assert [(t.date, t.party, t.action, t.page, t.bbox) for t in doc.deadlines] \
        == [(datetime.date(2025, 12, 8), "Defendant", "produce", 0, None)]
    s = ordex.extract_text(TEXT_ORDER, name="order.txt")
    assert s.deadlines == doc.deadlines and s.source.file == "order.txt"


def test_latin1_without_txt(files):
    # Told apart by content; the encoding found by ICU's detector.
    doc = ordex.extract(files["latin1"])
    assert (doc.source.input, doc.source.pages) == ("text", 2)
    assert doc.source.sha256 == hashlib.sha256(LATIN1_ORDER).hexdigest()
    assert "the caf\u00e9's documents" in doc.directives[0].text
    assert [t.date for t in doc.deadlines] == [datetime.date(2025, 12, 8),
                                               datetime.date(2026, 1, 9)]
    b = ordex.extract_bytes(LATIN1_ORDER, name="x")
    assert b.directives == doc.directives
    # Forced: windows-1251 reads 0xe9 as a Cyrillic letter.
    w = ordex.extract(files["latin1"], encoding="windows-1251")
    assert "the caf\u0439's documents" in w.directives[0].text
    raises(ordex.ORDEX_ERR_UTF8, files["latin1"] + ": invalid UTF-8 at byte %d"
           % LATIN1_ORDER.index(b"\xe9"),
           ordex.extract, files["latin1"], encoding="UTF-8")
    raises(ordex.ORDEX_ERR_ARG, "unknown encoding 'martian'",
           ordex.Engine, encoding="martian")
    raises(ordex.ORDEX_ERR_NOT_PDF, files["latin1"] + ": not a PDF file",
           ordex.extract, files["latin1"], input="pdf")


def test_password(doc, files):
    assert ordex.extract(files["encrypted"], password="secret").deadlines \
        == doc.deadlines
    with open(files["encrypted"], "rb") as f:
        assert ordex.extract_bytes(f.read(), password="secret").deadlines \
            == doc.deadlines


def test_ocr_mode():
    # The rasterised sample without OCR: its pages stay unread.
    doc = ordex.extract(os.path.join("samples", "scans",
                                     "openai_privilege_order.pdf"), ocr="never")
    assert [w.code for w in doc.warnings] == ["only_stamp_text"] * 5
    assert {p.source for p in doc.source.text_source} == {"pdf"}
    with pytest.raises(ValueError):
        ordex.Engine(ocr="sometimes")


def test_no_default_grammars(doc):
    with ordex.Engine(grammars=os.environ["ORDEX_GRAMMAR_DIR"],
                      default_grammars=False) as engine:
        assert engine.extract(SAMPLE).deadlines == doc.deadlines


# ---- Errors ---------------------------------------------------------------------


def test_io_errors(files, tmp):
    missing = os.path.join(tmp, "missing.pdf")
    raises(ordex.ORDEX_ERR_IO, missing + ": No such file or directory",
           ordex.extract, missing)
    raises(ordex.ORDEX_ERR_IO, "missing.txt: No such file or directory",
           ordex.extract, "missing.txt")
    raises(ordex.ORDEX_ERR_IO, tmp + ": is a directory", ordex.extract, tmp)


def test_pdf_errors(files, pdf):
    raises(ordex.ORDEX_ERR_ENCRYPTED,
           files["encrypted"] + ": encrypted PDF and no password given",
           ordex.extract, files["encrypted"])
    # A wrong password in a child process: a crash below must fail this
    # test only.
    raises(ordex.ORDEX_ERR_ENCRYPTED, files["encrypted"] + ": wrong password",
           ordex.extract, files["encrypted"], password="nope", isolate=True)
    raises(ordex.ORDEX_ERR_NOT_PDF, "note.pdf: not a PDF file",
           ordex.extract_bytes, b"Hello, this is not a PDF.\n", name="note.pdf")
    raises(ordex.ORDEX_ERR_NOT_PDF, "<memory>: not a PDF file",
           ordex.extract_bytes, b"\x89PNG\r\n\x1a\n\x00\x00")
    raises(ordex.ORDEX_ERR_EMPTY, "<memory>: empty file",
           ordex.extract_bytes, b"")
    raises(ordex.ORDEX_ERR_CORRUPT, "<memory>: damaged or truncated PDF",
           ordex.extract_bytes, pdf[:3000])
    raises(ordex.ORDEX_ERR_UTF8, files["bad_utf8"] + ": invalid UTF-8 at byte 23",
           ordex.extract, files["bad_utf8"], encoding="UTF-8")


def test_type_errors():
    with pytest.raises(TypeError):
        ordex.extract(42)
    with pytest.raises(TypeError):
        ordex.extract(b"%PDF-1.4")  # bytes go to extract_bytes
    with pytest.raises(TypeError):
        ordex.extract_text(b"ORDER")


def test_grammar_errors(files, tmp):
    with pytest.raises(ordex.OrdexError) as info:
        ordex.Engine(grammars=files["bad_grammars"])
    assert info.value.name == "ORDEX_ERR_GRAMMAR"
    assert info.value.message.startswith(
        os.path.join(files["bad_grammars"], "broken.rules") + ":5:")
    path = os.path.join(tmp, "nogrammars")
    raises(ordex.ORDEX_ERR_IO, path + ": No such file or directory",
           ordex.Engine, grammars=[path])


def test_error_then_success(doc):
    with ordex.Engine() as engine:
        with pytest.raises(ordex.OrdexError):
            engine.extract_bytes(b"\x00junk")
        assert engine.extract(SAMPLE) == doc
        raises(ordex.ORDEX_ERR_EMPTY, "<memory>: empty file",
               engine.extract_bytes, b"")


def test_error_pickles():
    import pickle
    e = pickle.loads(pickle.dumps(ordex.OrdexError(5, "x.pdf: wrong password")))
    assert (e.code, e.name, e.message) == (5, "ORDEX_ERR_ENCRYPTED",
                                           "x.pdf: wrong password")


# ---- Limits and the timeout ------------------------------------------------------


def test_limits():
    raises(ordex.ORDEX_ERR_LIMIT, SAMPLE + ": 5 pages, more than the limit of 2 pages",
           ordex.extract, SAMPLE, max_pages=2)
    assert len(ordex.extract(SAMPLE, max_pages=5).deadlines) == 4
    for bad in (-5, "3", 2.5, True):
        with pytest.raises(ValueError):
            ordex.Engine(max_pages=bad)
    with pytest.raises(ValueError):
        ordex.extract(SAMPLE, timeout=0)


def test_timeout_kills_a_hang_inside_c(tmp, monkeypatch, doc):
    # hang-*.pdf blocks in pause(2) inside C in the child (the test hook
    # of ordex._test_hooks), where no Python signal could stop it.
    hang = os.path.join(tmp, "hang-order.pdf")
    shutil.copy(SAMPLE, hang)
    monkeypatch.setenv("ORDEX_PYTHON_TEST_HOOKS", "1")
    t0 = time.monotonic()
    raises(ordex.ORDEX_ERR_LIMIT, hang + ": more than 2 seconds",
           ordex.extract, hang, timeout=2)
    took = time.monotonic() - t0
    assert 2 <= took < 30, took
    # The same file under its own name, in time, in a child.
    assert ordex.extract(SAMPLE, timeout=60) == doc


# ---- dump and highlight --------------------------------------------------------


def test_dump(files):
    text = ordex.dump(SAMPLE)
    assert "OpenAI shall produce" in text
    assert ordex.dump(files["latin1"], "text").count("caf\u00e9") == 1
    assert "directive.modal" in ordex.dump(SAMPLE, "matches")
    assert ordex.dump(SAMPLE, "segments") != text
    with pytest.raises(ValueError):
        ordex.dump(SAMPLE, "pages")


def test_highlight(tmp, files, doc):
    out = os.path.join(tmp, "highlighted.pdf")
    n = ordex.highlight(SAMPLE, out)
    with open(out, "rb") as f:
        data = f.read()
    assert data.startswith(b"%PDF-")
    assert n >= len(doc.deadlines) and data.count(b"/Highlight") > 0
    raises(ordex.ORDEX_ERR_ARG, files["order_txt"] + ": not a PDF: nothing to highlight",
           ordex.highlight, files["order_txt"], out)
    raises(ordex.ORDEX_ERR_IO, "/nonexistent/x.pdf: cannot write: No such file or directory",
           ordex.highlight, SAMPLE, "/nonexistent/x.pdf")


# ---- Many files -------------------------------------------------------------------


def test_extract_many(doc, files, tmp):
    paths = [SAMPLE, os.path.join(tmp, "missing.pdf"), files["latin1"],
             os.path.join("samples", "nysd_scheduling_order.pdf")]
    got = list(ordex.extract_many(paths, jobs=2))
    assert [p for p, _ in got] == paths
    assert got[0][1] == doc
    assert isinstance(got[1][1], ordex.OrdexError)
    assert got[1][1].message == paths[1] + ": No such file or directory"
    assert got[2][1].source.input == "text"
    assert got[3][1].case.court_id == "nysd"
    assert list(ordex.extract_many([])) == []
    with pytest.raises(ValueError):
        list(ordex.extract_many(paths, jobs=0))


def test_extract_many_timeout(tmp, monkeypatch, doc):
    hang = os.path.join(tmp, "hang-many.pdf")
    shutil.copy(SAMPLE, hang)
    monkeypatch.setenv("ORDEX_PYTHON_TEST_HOOKS", "1")
    got = dict(ordex.extract_many([hang, SAMPLE], jobs=2, timeout=3))
    assert got[SAMPLE] == doc
    assert (got[hang].code, got[hang].message) == (
        ordex.ORDEX_ERR_LIMIT, hang + ": more than 3 seconds")


# ---- Engines and threads ---------------------------------------------------------


def test_engine_reuse(doc, files, pdf):
    with ordex.Engine() as engine:
        a = engine.extract(SAMPLE)
        b = engine.extract(files["order_txt"])
        c = engine.extract_bytes(pdf, name=SAMPLE)
    assert a == c == doc
    assert b.source.input == "text"


def test_engine_closed():
    engine = ordex.Engine()
    engine.close()
    engine.close()  # idempotent
    with pytest.raises(ValueError):
        engine.extract(SAMPLE)


def test_dropped_engine_is_freed():
    gc.disable()  # freed by reference counting alone: no cycle
    try:
        engine = ordex.Engine()
        ref = weakref.ref(engine)
        del engine
        assert ref() is None
    finally:
        gc.enable()


def test_library_lookup():
    # The package imports without the library; a wrong ORDEX_LIBRARY is an
    # OSError naming the path when the library is first needed.
    env = dict(os.environ, ORDEX_LIBRARY="/nonexistent/libordex.so")
    child = subprocess.run(
        [sys.executable, "-c",
         "import sys; sys.path.insert(0, %r); import ordex\n"
         "try:\n    ordex.version()\nexcept OSError as e:\n    print(e)"
         % os.path.join(ROOT, "python")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    assert child.returncode == 0, child.stderr.decode()
    assert child.stdout.decode() == (
        "ordex: cannot load libordex (set ORDEX_LIBRARY): "
        "/nonexistent/libordex.so: not found\n")


def test_two_threads(doc, files):
    expected_txt = ordex.extract(files["order_txt"])
    rounds = 4
    barrier = threading.Barrier(2)
    results = {0: [], 1: []}
    failures = []

    def work(k, engine):
        try:
            barrier.wait()
            for i in range(rounds):
                results[k].append(engine.extract(SAMPLE))
                results[k].append(engine.extract(files["order_txt"]))
                # Each thread sees its own messages, never the other's.
                name = "t%d-%d.pdf" % (k, i)
                try:
                    engine.extract_bytes(b"not a pdf", name=name)
                    failures.append("%s: no error" % name)
                except ordex.OrdexError as e:
                    if e.message != name + ": not a PDF file":
                        failures.append(e.message)
        except Exception as e:  # reported below, in the main thread
            failures.append(repr(e))

    with ordex.Engine() as engine:
        threads = [threading.Thread(target=work, args=(k, engine))
                   for k in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
            assert not t.is_alive()
    assert failures == []
    for k in (0, 1):
        assert len(results[k]) == 2 * rounds
        for i, d in enumerate(results[k]):
            assert d == (doc if i % 2 == 0 else expected_txt)


# ---- The package: types and installation -----------------------------------------


def _env_without_preload():
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)  # mypy and pip do not load libordex
    return env


def test_mypy_strict(tmp):
    if not shutil.which("mypy"):
        pytest.skip("mypy not installed (make deps installs it)")
    p = subprocess.run(["mypy", "--strict", "--cache-dir",
                        os.path.join(tmp, "mypy-cache"),
                        os.path.join("python", "ordex")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       env=_env_without_preload(), timeout=300)
    assert p.returncode == 0, p.stdout.decode()


def test_installed_package(tmp, doc):
    # pip install, offline, with Debian's setuptools, from a copy (the
    # build leaves build/ and *.egg-info behind), into a folder of its own;
    # the installed package runs outside the checkout.
    src = os.path.join(tmp, "src")
    shutil.copytree("python", src)
    target = os.path.join(tmp, "site")
    p = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                        "--no-build-isolation", "--no-deps", "--no-index",
                        "--target", target, src],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       env=_env_without_preload(), timeout=300)
    assert p.returncode == 0, p.stdout.decode()
    env = dict(os.environ, PYTHONPATH=target)
    if "ORDEX_LIBRARY" in env:
        env["ORDEX_LIBRARY"] = os.path.abspath(env["ORDEX_LIBRARY"])
    # The library's own grammars (compiled into it), not the checkout's.
    env.pop("ORDEX_GRAMMAR_DIR", None)
    script = (
        "import importlib.metadata as m, sys, ordex\n"
        "print(ordex.__file__.startswith(%r), ordex.__version__)\n"
        "print(m.metadata('ordex')['License'], m.version('ordex'))\n"
        "d = ordex.extract(%r)\n"
        "print([t.date.isoformat() for t in d.deadlines])\n"
        % (target, os.path.abspath(SAMPLE)))
    run = subprocess.run([sys.executable, "-c", script], cwd=tmp, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         timeout=120)
    assert run.returncode == 0, run.stderr.decode()
    v = header_version()
    assert run.stdout.decode().splitlines() == [
        "True " + v, "GPL-3.0-or-later " + v,
        str([t.date.isoformat() for t in doc.deadlines])]

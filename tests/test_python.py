"""Tests of the Python module (python/ordex.py) against the built library.

Run by tests/run_python.sh, which points ORDEX_LIBRARY at the library under
test and ORDEX_GRAMMAR_DIR at grammars/.  The OpenAI sample is a fictional
S.D.N.Y. opinion and order of November 24, 2025 whose conclusion sets four
deadlines for OpenAI: produce by December 8, log by December 8, identify
its attorneys by December 5, and make them available for depositions no
later than December 19, 2025; the assertions below are what a careful
reader of that order expects.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest

# No python/__pycache__ in the work tree (make clean must leave it clean).
sys.dont_write_bytecode = True
os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
os.environ.setdefault("ORDEX_GRAMMAR_DIR", os.path.join(ROOT, "grammars"))

import ordex  # noqa: E402

SAMPLE = os.path.join("samples", "openai_privilege_order.pdf")


def header_version():
    with open(os.path.join(ROOT, "include", "ordex.h"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#define ORDEX_VERSION "):
                return line.split('"')[1]
    raise AssertionError("no ORDEX_VERSION in ordex.h")


class Fixtures:
    """Files made once for the whole run, in a temporary folder."""

    tmp = None

    @classmethod
    def make(cls):
        if cls.tmp:
            return
        cls.tmp = tempfile.mkdtemp(prefix="ordex-py-")
        cls.encrypted = os.path.join(cls.tmp, "encrypted.pdf")
        subprocess.run(["qpdf", "--encrypt", "secret", "owner", "256", "--",
                        SAMPLE, cls.encrypted], check=True)
        cls.bad_utf8 = os.path.join(cls.tmp, "bad.txt")
        with open(cls.bad_utf8, "wb") as f:
            f.write(b"The parties shall file \xff\xfe by December 8, 2025.\n")
        cls.order_txt = os.path.join(cls.tmp, "order.txt")
        with open(cls.order_txt, "w", encoding="utf-8") as f:
            f.write(TEXT_ORDER)
        cls.bad_grammars = os.path.join(cls.tmp, "badgrammars")
        os.mkdir(cls.bad_grammars)
        with open(os.path.join(cls.bad_grammars, "broken.rules"), "w") as f:
            f.write("grammar broken 1.0\nkind directive\n\nrule broken.one\n"
                    "  pattern   (?<x>unclosed\nend\n")

    @classmethod
    def clean(cls):
        if cls.tmp:
            shutil.rmtree(cls.tmp, ignore_errors=True)
            cls.tmp = None


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


# Extracts argv[1] with password argv[2] and prints the error, in a child.
ISOLATED = """
import sys
sys.path.insert(0, %r)
import ordex
try:
    ordex.extract(sys.argv[1], password=sys.argv[2])
    print("no error")
except ordex.OrdexError as e:
    print(e.code, e.name, e.message)
""" % os.path.join(ROOT, "python")


def setUpModule():
    os.chdir(ROOT)
    Fixtures.make()


def tearDownModule():
    Fixtures.clean()


def by_id(doc, kind):
    return {r["id"]: r for r in doc[kind]}


class SampleTests(unittest.TestCase):
    """The OpenAI sample, from a path and from bytes."""

    @classmethod
    def setUpClass(cls):
        cls.doc = ordex.extract(SAMPLE)
        with open(SAMPLE, "rb") as f:
            cls.pdf = f.read()

    def test_version(self):
        self.assertEqual(ordex.version(), header_version())
        self.assertEqual(self.doc["ordex"], header_version())

    def test_source(self):
        src = self.doc["source"]
        self.assertEqual(self.doc["schema"], "ordex-3")
        self.assertEqual(src["file"], SAMPLE)
        self.assertEqual(src["input"], "pdf")
        self.assertEqual(src["pages"], 5)
        self.assertEqual(src["sha256"], hashlib.sha256(self.pdf).hexdigest())
        self.assertEqual(src["ecf"]["case_number"], "1:25-md-03143-SHS-OTW")
        self.assertEqual(src["ecf"]["document"], "812")
        self.assertEqual(src["ecf"]["filed"], "2025-11-24")

    def test_case(self):
        case = self.doc["case"]
        self.assertEqual(case["court"], "United States District Court for "
                         "the Southern District of New York")
        self.assertEqual(case["court_id"], "nysd")
        self.assertEqual(case["case_number"], "25-md-3143 (SHS) (OTW)")
        self.assertEqual(case["judge_initials"], ["SHS", "OTW"])
        self.assertEqual(case["caption"],
                         "IN RE OPENAI, INC. COPYRIGHT INFRINGEMENT LITIGATION")
        self.assertEqual(case["title"], "OPINION & ORDER")
        self.assertEqual(case["case_number_normalized"], "1:25-md-03143")
        self.assertEqual(case["judge"], "Ona T. Wang")
        self.assertEqual(case["judge_title"], "United States Magistrate Judge")
        self.assertEqual(case["date"], "2025-11-24")
        self.assertEqual(case["date_source"], "signature")
        self.assertEqual(case["docket_entry"], "812")

    def test_deadline_dates(self):
        # In the order of the text: items 1 to 4 of the conclusion.
        got = [t["date"] for t in self.doc["deadlines"]]
        self.assertEqual(got, ["2025-12-08", "2025-12-08", "2025-12-05",
                               "2025-12-19"])
        for t in self.doc["deadlines"]:
            self.assertEqual(t["kind"], "absolute", t)
            self.assertEqual(t["party"], "OpenAI", t)
            self.assertIsNone(t["time"], t)
            self.assertFalse(t["ambiguous"], t)

    def test_deadline_texts_and_actions(self):
        dl = self.doc["deadlines"]
        self.assertEqual(len(dl), 4)
        self.assertEqual(dl[0]["text"], "By December 8, 2025")
        self.assertEqual(dl[0]["action"], "produce")
        self.assertEqual(dl[1]["action"], "log")
        self.assertEqual(dl[2]["text"], "By December 5, 2025")
        self.assertEqual(dl[2]["action"], "identify")
        self.assertEqual(dl[3]["text"], "no later than December 19, 2025")

    def test_deadlines_link_to_directives(self):
        dirs = by_id(self.doc, "directives")
        for t in self.doc["deadlines"]:
            d = dirs[t["directive"]]
            self.assertEqual(d["actor"], "OpenAI")
            self.assertEqual(d["modality"], "must")
            self.assertEqual(d["action"], t["action"])
            self.assertEqual(d["deadline"], t["id"])
            # The deadline's words lie inside its directive's sentence.
            self.assertLessEqual(d["start"], t["start"])
            self.assertLessEqual(t["end"], d["end"])
            self.assertEqual(d["page"], t["page"])

    def test_directives(self):
        openai = [d for d in self.doc["directives"] if d["actor"] == "OpenAI"]
        self.assertGreaterEqual(len(openai), 4)
        self.assertTrue(any(d["text"].startswith(
            "By December 8, 2025, OpenAI shall produce") for d in openai))
        # The order's operative commands: four to OpenAI, one to the Clerk;
        # no prohibition.
        self.assertEqual([d["actor"] for d in self.doc["directives"]],
                         ["OpenAI"] * 4 + ["The Clerk of Court"])
        self.assertEqual([d["action"] for d in self.doc["directives"]],
                         ["produce", "log", "identify", "make", "close"])
        self.assertFalse([d for d in self.doc["directives"]
                          if d["modality"] != "must"])
        self.assertIsNone(self.doc["directives"][4]["deadline"])

    def test_positions(self):
        pages = self.doc["source"]["pages"]
        for kind in ("directives", "deadlines", "judges"):
            for r in self.doc[kind]:
                self.assertTrue(1 <= r["page"] <= pages, r)
                self.assertLess(r["start"], r["end"], r)
                box = r["bbox"]
                self.assertEqual(len(box), 4, r)
                self.assertLess(box[0], box[2], r)
                self.assertLess(box[1], box[3], r)
                self.assertTrue(0 <= box[0] and box[2] <= 612, r)
                self.assertTrue(0 <= box[1] and box[3] <= 792, r)

    def test_judges(self):
        # One judge, who writes ("ONA T. WANG, United States Magistrate
        # Judge:") and signs: one record, the more specific role (author).
        self.assertEqual([(j["name"], j["title"], j["role"])
                          for j in self.doc["judges"]],
                         [("Ona T. Wang", "United States Magistrate Judge",
                           "author")])

    def test_datasets(self):
        names = [d["name"] for d in self.doc["datasets"]]
        self.assertIn("Library Genesis", names)
        libgen = self.doc["datasets"][names.index("Library Genesis")]
        self.assertIn("LibGen", libgen["aliases"])
        self.assertEqual(libgen["source"], "lexicon")
        for name in ("Books1", "Books2"):
            self.assertIn(name, names)

    def test_bytes_same_as_path(self):
        doc = ordex.extract(self.pdf)
        self.assertIsNone(doc["source"]["file"])
        doc["source"]["file"] = SAMPLE
        self.assertEqual(doc, self.doc)

    def test_bytes_with_name(self):
        doc = ordex.extract(bytearray(self.pdf), name="upload.pdf")
        self.assertEqual(doc["source"]["file"], "upload.pdf")
        self.assertEqual(doc["deadlines"], self.doc["deadlines"])

    def test_pathlike(self):
        import pathlib
        doc = ordex.extract(pathlib.Path(SAMPLE))
        self.assertEqual(doc, self.doc)

    def test_text_input(self):
        doc = ordex.extract(Fixtures.order_txt)
        self.assertEqual(doc["source"]["input"], "text")
        self.assertEqual(doc["source"]["file"], Fixtures.order_txt)
        self.assertIsNone(doc["source"]["sha256"])
        self.assertEqual(doc["case"]["date"], "2025-11-24")
        self.assertEqual([(t["date"], t["party"], t["action"])
                          for t in doc["deadlines"]],
                         [("2025-12-08", "Defendant", "produce")])
        self.assertIsNone(doc["deadlines"][0]["bbox"])

    def test_password(self):
        doc = ordex.extract(Fixtures.encrypted, password="secret")
        self.assertEqual(doc["deadlines"], self.doc["deadlines"])
        with open(Fixtures.encrypted, "rb") as f:
            doc = ordex.extract(f.read(), password="secret")
        self.assertEqual(doc["deadlines"], self.doc["deadlines"])


class ErrorTests(unittest.TestCase):
    """Every failure is an OrdexError with the library's code and message."""

    def check(self, code, status_name, message, source, **kw):
        with self.assertRaises(ordex.OrdexError) as cm:
            ordex.extract(source, **kw)
        e = cm.exception
        self.assertEqual((e.code, e.name, e.message),
                         (code, status_name, message))
        self.assertEqual(str(e), message)
        self.assertIsInstance(e, Exception)

    def test_missing_file(self):
        path = os.path.join(Fixtures.tmp, "missing.pdf")
        self.check(ordex.ORDEX_ERR_IO, "ORDEX_ERR_IO",
                   path + ": No such file or directory", path)

    def test_missing_text_file(self):
        self.check(2, "ORDEX_ERR_IO",
                   "missing.txt: No such file or directory", "missing.txt")

    def test_directory(self):
        self.check(2, "ORDEX_ERR_IO", Fixtures.tmp + ": is a directory",
                   Fixtures.tmp)

    def test_encrypted(self):
        self.check(ordex.ORDEX_ERR_ENCRYPTED, "ORDEX_ERR_ENCRYPTED",
                   Fixtures.encrypted + ": encrypted PDF and no password given",
                   Fixtures.encrypted)
        self.assertEqual(ordex.ORDEX_ERR_ENCRYPTED, 5)

    def test_wrong_password(self):
        # In a child process: a crash below (Poppler) must fail this test
        # only, not end the whole run.
        child = subprocess.run(
            [sys.executable, "-c", ISOLATED, Fixtures.encrypted, "nope"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        self.assertEqual(child.returncode, 0,
                         "child exited with %d: %s" % (
                             child.returncode, child.stderr.decode()[-800:]))
        self.assertEqual(child.stdout.decode(),
                         "5 ORDEX_ERR_ENCRYPTED %s: wrong password\n"
                         % Fixtures.encrypted)

    def test_not_pdf_bytes(self):
        self.check(ordex.ORDEX_ERR_NOT_PDF, "ORDEX_ERR_NOT_PDF",
                   "<memory>: not a PDF file", b"Hello, this is not a PDF.\n")
        self.check(3, "ORDEX_ERR_NOT_PDF", "note.pdf: not a PDF file",
                   b"Hello, this is not a PDF.\n", name="note.pdf")

    def test_empty_bytes(self):
        self.check(ordex.ORDEX_ERR_EMPTY, "ORDEX_ERR_EMPTY",
                   "<memory>: empty file", b"")

    def test_truncated_bytes(self):
        with open(SAMPLE, "rb") as f:
            head = f.read(3000)
        self.check(ordex.ORDEX_ERR_CORRUPT, "ORDEX_ERR_CORRUPT",
                   "<memory>: damaged or truncated PDF", head)

    def test_invalid_utf8(self):
        self.check(ordex.ORDEX_ERR_UTF8, "ORDEX_ERR_UTF8",
                   Fixtures.bad_utf8 + ": invalid UTF-8 at byte 23",
                   Fixtures.bad_utf8)

    def test_bad_source_type(self):
        with self.assertRaises(TypeError):
            ordex.extract(42)

    def test_grammar_error(self):
        with self.assertRaises(ordex.OrdexError) as cm:
            ordex.Engine(grammars=Fixtures.bad_grammars)
        e = cm.exception
        self.assertEqual((e.code, e.name), (ordex.ORDEX_ERR_GRAMMAR,
                                            "ORDEX_ERR_GRAMMAR"))
        where = os.path.join(Fixtures.bad_grammars, "broken.rules") + ":5:"
        self.assertTrue(e.message.startswith(where), e.message)

    def test_missing_grammar_folder(self):
        path = os.path.join(Fixtures.tmp, "nogrammars")
        with self.assertRaises(ordex.OrdexError) as cm:
            ordex.Engine(grammars=[path])
        self.assertEqual((cm.exception.code, cm.exception.message),
                         (ordex.ORDEX_ERR_IO,
                          path + ": No such file or directory"))

    def test_error_then_success(self):
        # A failure leaves nothing behind for the next call on the engine.
        with ordex.Engine() as engine:
            with self.assertRaises(ordex.OrdexError):
                engine.extract(b"junk")
            doc = engine.extract(SAMPLE)
            self.assertEqual(doc, ordex.extract(SAMPLE))
            with self.assertRaises(ordex.OrdexError) as cm:
                engine.extract(b"")
            self.assertEqual(cm.exception.message, "<memory>: empty file")


class EngineTests(unittest.TestCase):
    """One engine, many documents, several threads."""

    def test_reuse(self):
        with open(SAMPLE, "rb") as f:
            pdf = f.read()
        with ordex.Engine() as engine:
            a = engine.extract(SAMPLE)
            b = engine.extract(Fixtures.order_txt)
            c = engine.extract(pdf, name=SAMPLE)
            d = engine.extract(SAMPLE)
        self.assertEqual(a, c)
        self.assertEqual(a, d)
        self.assertEqual(b["source"]["input"], "text")
        self.assertEqual(a, ordex.extract(SAMPLE))

    def test_closed(self):
        engine = ordex.Engine()
        engine.close()
        engine.close()  # idempotent
        with self.assertRaises(ValueError):
            engine.extract(SAMPLE)

    def test_dropped_engine_is_freed(self):
        import gc
        import weakref
        gc.disable()  # freed by reference counting alone: no cycle
        try:
            engine = ordex.Engine()
            ref = weakref.ref(engine)
            del engine
            self.assertIsNone(ref())
        finally:
            gc.enable()

    def test_library_lookup(self):
        # The module imports without the library; a wrong ORDEX_LIBRARY is
        # an OSError naming the path when the library is first needed.
        env = dict(os.environ, ORDEX_LIBRARY="/nonexistent/libordex.so")
        child = subprocess.run(
            [sys.executable, "-c",
             "import sys; sys.path.insert(0, %r); import ordex\n"
             "try:\n    ordex.version()\nexcept OSError as e:\n    print(e)"
             % os.path.join(ROOT, "python")],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            timeout=60)
        self.assertEqual(child.returncode, 0, child.stderr.decode())
        self.assertEqual(child.stdout.decode(),
                         "ordex: cannot load libordex (set ORDEX_LIBRARY): "
                         "/nonexistent/libordex.so: not found\n")

    def test_no_default_grammars(self):
        # Only the grammars given: here the shipped ones, added as a folder.
        with ordex.Engine(grammars=os.environ["ORDEX_GRAMMAR_DIR"],
                          default_grammars=False) as engine:
            doc = engine.extract(SAMPLE)
        self.assertEqual([t["date"] for t in doc["deadlines"]],
                         [t["date"] for t in ordex.extract(SAMPLE)["deadlines"]])

    def test_ocr_mode(self):
        # The rasterised sample without OCR: its pages stay unread.
        doc = ordex.extract(os.path.join("samples", "scans",
                                         "openai_privilege_order.pdf"),
                            ocr="never")
        self.assertEqual([w["code"] for w in doc["warnings"]],
                         ["only_stamp_text"] * 5)
        self.assertEqual({p["source"] for p in doc["source"]["text_source"]},
                         {"pdf"})
        with self.assertRaises(ValueError):
            ordex.Engine(ocr="sometimes")

    def test_two_threads(self):
        expected = ordex.extract(SAMPLE)
        expected_txt = ordex.extract(Fixtures.order_txt)
        rounds = 4
        barrier = threading.Barrier(2)
        results = {0: [], 1: []}
        failures = []

        def work(k, engine):
            try:
                barrier.wait()
                for i in range(rounds):
                    results[k].append(engine.extract(SAMPLE))
                    results[k].append(engine.extract(Fixtures.order_txt))
                    # Each thread sees its own messages, never the other's.
                    name = "t%d-%d.pdf" % (k, i)
                    try:
                        engine.extract(b"not a pdf", name=name)
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
                self.assertFalse(t.is_alive())
        self.assertEqual(failures, [])
        for k in (0, 1):
            self.assertEqual(len(results[k]), 2 * rounds)
            for i, doc in enumerate(results[k]):
                self.assertEqual(doc, expected if i % 2 == 0 else expected_txt)


def main():
    suite = unittest.defaultTestLoader.loadTestsFromModule(
        sys.modules[__name__])
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(result.failures) + len(result.errors) \
        + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    passed = result.testsRun - failed - skipped
    line = "python: %d passed, %d failed" % (passed, failed)
    if skipped:
        line += ", %d skipped" % skipped
    print(line)
    return 1 if failed or not result.testsRun else 0


if __name__ == "__main__":
    sys.exit(main())

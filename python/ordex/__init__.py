"""ordex for Python: court orders (PDF or text) in, typed records out.

A ctypes binding of the C library libordex (include/ordex.h); it needs no
compiler.  Results are dataclasses (ordex.records): a Document with its
Case, Directives, Deadlines (datetime.date, datetime.time), Persons
(judges and attorneys) and Datasets, each record with its page, offsets
and box.  Every failure raises OrdexError with the library's status and
its one-line message ("x.pdf: encrypted PDF and no password given").

    import ordex
    doc = ordex.extract("order.pdf")
    for t in doc.deadlines:
        print(t.date, t.party, t.text)

    doc = ordex.extract_text("ORDER\\n\\nDefendant shall answer the "
                             "complaint by May 1, 2026.")
    doc = ordex.extract("untrusted.pdf", timeout=60)   # in a child process

    for path, result in ordex.extract_many(paths, jobs=4):
        ...                              # a Document or an OrdexError

    with ordex.Engine(max_pages=500) as engine:   # grammars compiled once,
        for path in paths:                        # shared by threads
            doc = engine.extract(path)

Grammars are the library's own (the shipped ones; $ORDEX_GRAMMAR_DIR
overrides them) plus any folders given as grammars=.  The library is found
as ordex._lib says ($ORDEX_LIBRARY first).
"""

import ctypes
import multiprocessing
import multiprocessing.connection
import os
import json as _json
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import (Any, Callable, Dict, Iterable, Iterator, List, Optional,
                    Sequence, Tuple, Union)

from . import _lib
from .records import (Box, Case, Change, Dataset, Deadline, Directive, Document, Ecf,
                      Grammar, Mention, PageSource, Person, Source, Warning,
                      document_from_json)

__version__ = "0.1.0"

__all__ = [
    "Box", "Case", "Change", "Dataset", "Deadline", "Directive", "Document", "Ecf",
    "Engine", "Grammar", "Mention", "OrdexError", "PageSource", "Person",
    "Source", "Warning", "STATUS_NAMES", "__version__", "dump", "extract",
    "extract_bytes", "extract_many", "extract_text", "highlight", "version",
]

# ordex_status, as in the enum of ordex.h.
ORDEX_OK = 0
ORDEX_ERR_ARG = 1
ORDEX_ERR_IO = 2
ORDEX_ERR_NOT_PDF = 3
ORDEX_ERR_CORRUPT = 4
ORDEX_ERR_ENCRYPTED = 5
ORDEX_ERR_EMPTY = 6
ORDEX_ERR_UTF8 = 7
ORDEX_ERR_GRAMMAR = 8
ORDEX_ERR_LIMIT = 9
ORDEX_ERR_INTERNAL = 10

STATUS_NAMES = (
    "ORDEX_OK", "ORDEX_ERR_ARG", "ORDEX_ERR_IO", "ORDEX_ERR_NOT_PDF",
    "ORDEX_ERR_CORRUPT", "ORDEX_ERR_ENCRYPTED", "ORDEX_ERR_EMPTY",
    "ORDEX_ERR_UTF8", "ORDEX_ERR_GRAMMAR", "ORDEX_ERR_LIMIT",
    "ORDEX_ERR_INTERNAL",
)
__all__ += list(STATUS_NAMES)

_ENGINE_NO_DEFAULT_GRAMMARS = 1 << 0
_OCR_MODES = {"auto": 0, "always": 1, "never": 2}      # ordex_ocr_mode
_INPUTS = {"auto": 0, "pdf": 1, "text": 2}              # ordex_input
_STAGES = {"text": 0, "segments": 1, "matches": 2}      # ordex_stage
_LIMITS = {"max_pages": 0, "max_page_text": 1, "max_seconds": 2,
           "regex_time_limit": 3}                       # ordex_limit

PathLike = Union[str, "os.PathLike[str]"]


class OrdexError(Exception):
    """A failure reported by libordex.

    code    the ordex_status integer (ORDEX_ERR_IO, ...)
    name    its name, e.g. "ORDEX_ERR_ENCRYPTED"
    message the library's one-line message, e.g.
            "x.pdf: encrypted PDF and no password given"
    """

    def __init__(self, code: int, message: str) -> None:
        self.code = int(code)
        if 0 <= self.code < len(STATUS_NAMES):
            self.name = STATUS_NAMES[self.code]
        else:
            self.name = "ORDEX_ERR_%d" % self.code
        self.message = message
        super().__init__(message)

    def __reduce__(self) -> Tuple[Any, Tuple[int, str]]:
        return (OrdexError, (self.code, self.message))


def version() -> str:
    """The library's version string, e.g. "0.1.0"."""
    raw: bytes = _lib.library().ordex_version()
    return raw.decode("utf-8")


def _strerror(code: int) -> str:
    s: Optional[bytes] = _lib.library().ordex_strerror(code)
    return s.decode("utf-8", "replace") if s else "unknown error"


def _encode(s: Optional[str]) -> Optional[bytes]:
    return None if s is None else s.encode("utf-8")


def _error_collector(tls: threading.local) -> Callable[[bytes, Any], None]:
    """The error handler of an engine.  The library calls it on the thread
    that made the failing call: a thread-local list keeps the messages of
    concurrent extractions apart."""

    def on_error(message: bytes, _user_data: Any) -> None:
        try:
            text = message.decode("utf-8", "replace") if message else ""
            msgs = getattr(tls, "messages", None)
            if msgs is None:
                msgs = tls.messages = []
            msgs.append(text)
        except BaseException:  # never let an exception unwind into C
            pass

    return on_error


class Engine:
    """A compiled set of grammars and settings, for any number of documents.

    grammars          a folder of *.rules files, or a list of folders, added
                      after the shipped grammars (later ones override rules
                      of the same id)
    default_grammars  False: load only the grammars given
    ocr               "auto" (default): OCR the pages whose text layer
                      cannot be trusted; "always": every page; "never"
    input             how files and bytes are told apart: "auto" (by
                      content, the default), "pdf" or "text"
    encoding          of text input, an ICU name ("ISO-8859-1"); None:
                      UTF-8 when valid, else ICU's charset detector decides
    max_pages, max_page_text, regex_time_limit
                      the library's limits (None: its defaults; 0: none)
    max_seconds       the library's own time limit, checked between pages
                      (a page that hangs inside Poppler is not stopped:
                      use extract(..., timeout=N) for that)

    The grammars are compiled here, once; after that the methods may be
    called from several threads at once.  Close the engine with close() or
    a with block; close() waits for the calls still running.
    """

    def __init__(self, grammars: Union[None, PathLike, Sequence[PathLike]] = None,
                 default_grammars: bool = True, ocr: str = "auto",
                 input: str = "auto", encoding: Optional[str] = None,
                 max_pages: Optional[int] = None,
                 max_page_text: Optional[int] = None,
                 regex_time_limit: Optional[int] = None,
                 max_seconds: Optional[int] = None) -> None:
        self._handle: Optional[int] = None
        self._cond = threading.Condition()
        self._busy = 0
        self._closed = False
        self._tls = threading.local()
        if ocr not in _OCR_MODES:
            raise ValueError("ocr must be 'auto', 'always' or 'never', not %r"
                             % (ocr,))
        if input not in _INPUTS:
            raise ValueError("input must be 'auto', 'pdf' or 'text', not %r"
                             % (input,))
        limits = {"max_pages": max_pages, "max_page_text": max_page_text,
                  "regex_time_limit": regex_time_limit,
                  "max_seconds": max_seconds}
        for key, value in limits.items():
            if value is not None and (not isinstance(value, int)
                                      or isinstance(value, bool) or value < 0):
                raise ValueError("%s must be an integer of 0 or more, not %r"
                                 % (key, value))
        self.encoding = encoding
        lib = _lib.library()
        self._lib = lib
        handle = lib.ordex_engine_new(
            0 if default_grammars else _ENGINE_NO_DEFAULT_GRAMMARS)
        if not handle:
            raise OrdexError(ORDEX_ERR_INTERNAL, "cannot create an engine")
        self._handle = handle
        # Kept on the engine: the C side holds a pointer to it.  It refers
        # to the thread-local store only, not to self, so that dropping the
        # last reference to the engine frees it at once.
        self._error_fn = _lib.ERROR_FN(_error_collector(self._tls))
        lib.ordex_engine_set_error_handler(handle, self._error_fn, None)
        try:
            lib.ordex_engine_set_ocr(handle, _OCR_MODES[ocr])
            lib.ordex_engine_set_input(handle, _INPUTS[input])
            if encoding is not None:
                self._check(lib.ordex_engine_set_encoding(
                    handle, encoding.encode("ascii", "replace")))
            for key, value in limits.items():
                if value is not None:
                    lib.ordex_engine_set_limit(handle, _LIMITS[key], value)
            if grammars is not None:
                folders = ([grammars] if isinstance(grammars, (str, os.PathLike))
                           else list(grammars))
                for folder in folders:
                    self._check(lib.ordex_engine_add_grammars(
                        handle, os.fsencode(folder)))
            self._check(lib.ordex_engine_compile(handle))
        except BaseException:
            self.close()
            raise

    # ---- errors and the busy count ----------------------------------------

    def _take_messages(self) -> List[str]:
        msgs: List[str] = getattr(self._tls, "messages", None) or []
        self._tls.messages = []
        return msgs

    def _check(self, status: int) -> None:
        msgs = self._take_messages()
        if status != ORDEX_OK:
            raise OrdexError(status, "\n".join(msgs) if msgs
                             else _strerror(status))

    def _enter(self) -> int:
        with self._cond:
            if self._closed or not self._handle:
                raise ValueError("ordex: the engine is closed")
            self._busy += 1
            return self._handle

    def _leave(self) -> None:
        with self._cond:
            self._busy -= 1
            if self._busy == 0:
                self._cond.notify_all()

    # ---- documents ------------------------------------------------------------

    def _open(self, handle: int, kind: str, source: Any,
              password: Optional[str], name: Optional[str]) -> ctypes.c_void_p:
        lib = self._lib
        doc = ctypes.c_void_p()
        self._take_messages()
        if kind == "path":
            if not isinstance(source, (str, os.PathLike)):
                raise TypeError("ordex: a path must be str or os.PathLike, "
                                "not %s" % type(source).__name__)
            st = lib.ordex_document_open_file(handle, os.fsencode(source),
                                              _encode(password),
                                              ctypes.byref(doc))
        elif kind == "bytes":
            if not isinstance(source, (bytes, bytearray, memoryview)):
                raise TypeError("ordex: data must be bytes, not %s"
                                % type(source).__name__)
            data = bytes(source)
            st = lib.ordex_document_open_memory(handle, data, len(data),
                                                _encode(password),
                                                _encode(name),
                                                ctypes.byref(doc))
        else:
            if not isinstance(source, str):
                raise TypeError("ordex: text must be str, not %s"
                                % type(source).__name__)
            if self.encoding is not None and self.encoding.upper().replace(
                    "_", "-") not in ("UTF-8", "UTF8"):
                raise ValueError("ordex: extract_text takes str; this engine's "
                                 "encoding %r is for bytes and files"
                                 % self.encoding)
            data = source.encode("utf-8")
            st = lib.ordex_document_open_text(handle, data, len(data),
                                              _encode(name), ctypes.byref(doc))
        self._check(st)
        return doc

    def _run(self, kind: str, source: Any, password: Optional[str] = None,
             name: Optional[str] = None) -> Tuple[str, bool]:
        """The JSON text of a document and whether it is incomplete."""
        handle = self._enter()
        try:
            lib = self._lib
            doc = self._open(handle, kind, source, password, name)
            res = ctypes.c_void_p()
            try:
                self._check(lib.ordex_extract(doc, ctypes.byref(res)))
                raw = lib.ordex_result_to_json(res, 0)
                if not raw:
                    raise OrdexError(ORDEX_ERR_INTERNAL,
                                     "cannot serialise the result")
                text = _lib.take_string(raw)
                incomplete = bool(lib.ordex_result_incomplete(res))
            finally:
                lib.ordex_result_free(res)
                lib.ordex_document_free(doc)
            return text, incomplete
        finally:
            self._leave()

    def extract(self, path: PathLike, password: Optional[str] = None) -> Document:
        """Extracts one file: a PDF or text, told apart by content ("-":
        standard input)."""
        return _document(*self._run("path", path, password))

    def extract_bytes(self, data: Union[bytes, bytearray, memoryview],
                      name: Optional[str] = None,
                      password: Optional[str] = None) -> Document:
        """Extracts a PDF or text held in memory; name is used in messages
        and as source.file."""
        return _document(*self._run("bytes", data, password, name))

    def extract_text(self, text: str, name: Optional[str] = None) -> Document:
        """Extracts plain text (paragraphs separated by blank lines, a form
        feed starts a page)."""
        return _document(*self._run("text", text, None, name))

    def dump(self, path: PathLike, stage: str = "text",
             password: Optional[str] = None) -> str:
        """An intermediate stage of a file as text: "text" (the clean text
        the offsets count in), "segments" or "matches"."""
        if stage not in _STAGES:
            raise ValueError("stage must be 'text', 'segments' or 'matches', "
                             "not %r" % (stage,))
        handle = self._enter()
        try:
            lib = self._lib
            doc = self._open(handle, "path", path, password, None)
            out = ctypes.c_void_p()
            try:
                self._check(lib.ordex_document_dump(doc, _STAGES[stage],
                                                    ctypes.byref(out)))
                return _lib.take_string(out.value)
            finally:
                lib.ordex_document_free(doc)
        finally:
            self._leave()

    def highlight(self, path: PathLike, out_path: PathLike,
                  password: Optional[str] = None) -> int:
        """Writes a copy of the PDF at path to out_path with every record
        highlighted; returns the number of highlights.  OrdexError
        ORDEX_ERR_ARG for text input, ORDEX_ERR_IO when out_path cannot be
        written."""
        handle = self._enter()
        try:
            lib = self._lib
            doc = self._open(handle, "path", path, password, None)
            res = ctypes.c_void_p()
            n = ctypes.c_int(0)
            try:
                self._check(lib.ordex_extract(doc, ctypes.byref(res)))
                st = lib.ordex_result_highlight(doc, res, os.fsencode(out_path),
                                                ctypes.byref(n))
                if st == ORDEX_ERR_ARG:
                    self._take_messages()
                    raise OrdexError(st, "%s: not a PDF: nothing to highlight"
                                     % os.fsdecode(path))
                self._check(st)
                return n.value
            finally:
                lib.ordex_result_free(res)
                lib.ordex_document_free(doc)
        finally:
            self._leave()

    def close(self) -> None:
        """Frees the engine, after any call still running.  Idempotent."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            while self._busy:
                self._cond.wait()
            handle, self._handle = self._handle, None
        if handle:
            self._lib.ordex_engine_free(handle)

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_cond", None) is not None:
            self.close()


def _document(text: str, incomplete: bool) -> Document:
    return document_from_json(_json.loads(text), incomplete)


# ---- Child processes: timeouts and isolation ---------------------------------

# A child's work: (kind, source, password, name) with kind "path", "bytes"
# or "text"; its answer ("ok", json, incomplete) or ("error", code, message).
_Job = Tuple[str, Any, Optional[str], Optional[str]]
_Answer = Tuple[Any, ...]


def _test_hooks(job: _Job) -> None:
    # Test-only (tests/test_python.py), like ORDEX_BATCH_TEST_HOOKS: a path
    # whose base name starts with "hang-" blocks inside C (pause(2)), as a
    # page that hangs inside Poppler would, where no Python signal handler
    # can run.
    if os.environ.get("ORDEX_PYTHON_TEST_HOOKS") != "1" or job[0] != "path":
        return
    if os.path.basename(os.fsdecode(job[1])).startswith("hang-"):
        ctypes.CDLL(None).pause()


def _answer(engine: Engine, job: _Job) -> _Answer:
    try:
        _test_hooks(job)
        text, incomplete = engine._run(*job)
        return ("ok", text, incomplete)
    except OrdexError as e:
        return ("error", e.code, e.message)


def _child_main(conn: "multiprocessing.connection.Connection",
                options: Dict[str, Any], job: _Job) -> None:
    try:
        with Engine(**options) as engine:
            conn.send(_answer(engine, job))
    except OrdexError as e:
        conn.send(("error", e.code, e.message))
    finally:
        conn.close()


def _label(job: _Job) -> str:
    if job[0] == "path":
        return "<stdin>" if job[1] == "-" else os.fsdecode(job[1])
    return job[3] or "<memory>"


def _isolated(job: _Job, options: Dict[str, Any],
              timeout: Optional[float]) -> _Answer:
    """Runs a job in a new process, killed after timeout seconds."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child_main, args=(child, options, job),
                       daemon=True)
    proc.start()
    child.close()
    try:
        if parent.poll(timeout):
            try:
                answer: _Answer = parent.recv()
                return answer
            except EOFError:
                pass
            proc.join()
            if proc.exitcode is not None and proc.exitcode < 0:
                why = "worker killed by signal %d" % -proc.exitcode
            else:
                why = "worker exited with status %s" % proc.exitcode
            return ("error", ORDEX_ERR_INTERNAL, "%s: %s" % (_label(job), why))
        return ("error", ORDEX_ERR_LIMIT, "%s: more than %g seconds"
                % (_label(job), timeout or 0))
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        parent.close()


def _finish(answer: _Answer) -> Document:
    if answer[0] == "ok":
        return _document(answer[1], answer[2])
    raise OrdexError(answer[1], answer[2])


def _run_one(job: _Job, options: Dict[str, Any], timeout: Optional[float],
             isolate: bool) -> Document:
    if timeout is not None and timeout <= 0:
        raise ValueError("timeout must be more than 0 seconds, not %r"
                         % (timeout,))
    if timeout is not None or isolate:
        return _finish(_isolated(job, options, timeout))
    with Engine(**options) as engine:
        return _finish(_answer(engine, job))


def extract(path: PathLike, password: Optional[str] = None, *,
            timeout: Optional[float] = None, isolate: bool = False,
            **options: Any) -> Document:
    """Extracts one file (a PDF, or text told apart by content) with a new
    Engine(**options).

    timeout  seconds: the work runs in a child process, killed when it
             takes longer (OrdexError ORDEX_ERR_LIMIT "FILE: more than N
             seconds"), even inside a page that hangs in Poppler
    isolate  True: a child process even without a timeout, so that a crash
             below cannot end the caller (OrdexError ORDEX_ERR_INTERNAL)
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError("ordex: path must be str or os.PathLike, not %s "
                        "(extract_bytes takes bytes, extract_text str)"
                        % type(path).__name__)
    return _run_one(("path", os.fspath(path), password, None), options,
                    timeout, isolate)


def extract_bytes(data: Union[bytes, bytearray, memoryview],
                  name: Optional[str] = None, password: Optional[str] = None,
                  *, timeout: Optional[float] = None, isolate: bool = False,
                  **options: Any) -> Document:
    """Extracts a PDF or text held in memory; see extract()."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("ordex: data must be bytes, not %s"
                        % type(data).__name__)
    return _run_one(("bytes", bytes(data), password, name), options,
                    timeout, isolate)


def extract_text(text: str, name: Optional[str] = None, *,
                 timeout: Optional[float] = None, isolate: bool = False,
                 **options: Any) -> Document:
    """Extracts plain text given as str; see extract()."""
    if not isinstance(text, str):
        raise TypeError("ordex: text must be str, not %s" % type(text).__name__)
    return _run_one(("text", text, None, name), options, timeout, isolate)


def dump(path: PathLike, stage: str = "text", password: Optional[str] = None,
         **options: Any) -> str:
    """An intermediate stage of a file as text; see Engine.dump()."""
    with Engine(**options) as engine:
        return engine.dump(path, stage, password)


def highlight(path: PathLike, out_path: PathLike,
              password: Optional[str] = None, **options: Any) -> int:
    """Writes a highlighted copy of a PDF; see Engine.highlight()."""
    with Engine(**options) as engine:
        return engine.highlight(path, out_path, password)


# ---- Many files ------------------------------------------------------------------

_pool_engine: Optional[Engine] = None


def _pool_init(options: Dict[str, Any]) -> None:
    global _pool_engine
    _pool_engine = Engine(**options)


def _pool_job(job: _Job) -> _Answer:
    assert _pool_engine is not None
    return _answer(_pool_engine, job)


def extract_many(paths: Iterable[PathLike], jobs: Optional[int] = None, *,
                 password: Optional[str] = None,
                 timeout: Optional[float] = None,
                 **options: Any) -> Iterator[Tuple[str, Union[Document, OrdexError]]]:
    """Extracts many files in worker processes; yields (path, Document) or
    (path, OrdexError) in the order of paths, as each one's turn comes.

    jobs     worker processes (default: the number of CPUs)
    timeout  seconds per file: each file then runs in a process of its own,
             killed past the timeout (ORDEX_ERR_LIMIT); without it, each
             worker compiles one Engine(**options) and reads file after file
    """
    items = [os.fspath(p) for p in paths]
    n = jobs if jobs is not None else (os.cpu_count() or 1)
    if n < 1:
        raise ValueError("jobs must be at least 1, not %r" % (jobs,))
    if timeout is not None and timeout <= 0:
        raise ValueError("timeout must be more than 0 seconds, not %r"
                         % (timeout,))
    if not items:
        return
    # Bad options fail here, once, not in every worker.
    Engine(**options).close()
    job_list: List[_Job] = [("path", p, password, None) for p in items]
    n = min(n, len(items))

    def pair(path: str, answer: _Answer) -> Tuple[str, Union[Document, OrdexError]]:
        try:
            return path, _finish(answer)
        except OrdexError as e:
            return path, e

    if timeout is not None:
        with ThreadPoolExecutor(max_workers=n) as threads:
            answers = threads.map(lambda j: _isolated(j, options, timeout),
                                  job_list)
            for path, answer in zip(items, answers):
                yield pair(path, answer)
        return
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=n, mp_context=ctx,
                             initializer=_pool_init,
                             initargs=(options,)) as pool:
        for path, answer in zip(items, pool.map(_pool_job, job_list)):
            yield pair(path, answer)

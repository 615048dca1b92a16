"""ordex for Python: court orders (PDF or text) in, the ordex JSON out.

This module is a thin ctypes binding over the C library libordex (see
include/ordex.h); it needs no compiler.  It opens a document, runs the
whole pipeline (ordex_extract), and returns the document JSON that
``ordex FILE`` prints, parsed into a dict.  Every failure raises
OrdexError carrying the library's status code and the one-line message the
library sent to the engine's error handler.

    import ordex
    doc = ordex.extract("order.pdf")
    for t in doc["deadlines"]:
        print(t["date"], t["party"], t["text"])

    with ordex.Engine() as engine:      # grammars compiled once
        for path in paths:              # (an Engine may be shared by threads)
            doc = engine.extract(path)

The library is found through $ORDEX_LIBRARY (a full path), else the build
folder of the checkout this file sits in (../build/libordex.so), else the
library installed beside this file (../../../lib when installed under
share/ordex/python), else the system's library search.  Grammars come from
the library's own lookup: $ORDEX_GRAMMAR_DIR, else the installed folder.
"""

import ctypes
import ctypes.util
import errno
import json
import os
import threading

__all__ = ["Engine", "OrdexError", "extract", "version", "STATUS_NAMES"]

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
    "ORDEX_OK",
    "ORDEX_ERR_ARG",
    "ORDEX_ERR_IO",
    "ORDEX_ERR_NOT_PDF",
    "ORDEX_ERR_CORRUPT",
    "ORDEX_ERR_ENCRYPTED",
    "ORDEX_ERR_EMPTY",
    "ORDEX_ERR_UTF8",
    "ORDEX_ERR_GRAMMAR",
    "ORDEX_ERR_LIMIT",
    "ORDEX_ERR_INTERNAL",
)
__all__ += list(STATUS_NAMES)

ENGINE_NO_DEFAULT_GRAMMARS = 1 << 0

_ERROR_FN = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_void_p)


class OrdexError(Exception):
    """A failure reported by libordex.

    code    the ordex_status integer (ORDEX_ERR_IO, ...)
    name    its name, e.g. "ORDEX_ERR_ENCRYPTED"
    message the library's one-line message, e.g.
            "x.pdf: encrypted PDF and no password given"
    """

    def __init__(self, code, message):
        self.code = int(code)
        if 0 <= self.code < len(STATUS_NAMES):
            self.name = STATUS_NAMES[self.code]
        else:
            self.name = "ORDEX_ERR_%d" % self.code
        self.message = message
        super().__init__(message)

    def __reduce__(self):
        return (OrdexError, (self.code, self.message))


# ---- Loading the library --------------------------------------------------

_lib = None
_lib_lock = threading.Lock()


def _candidates():
    env = os.environ.get("ORDEX_LIBRARY")
    if env:
        # An explicit choice: no fallback that could hide a typo.
        return [env]
    here = os.path.dirname(os.path.abspath(__file__))
    out = [
        os.path.join(here, os.pardir, "build", "libordex.so"),
        os.path.join(here, os.pardir, os.pardir, os.pardir, "lib",
                     "libordex.so.0"),
    ]
    found = ctypes.util.find_library("ordex")
    if found:
        out.append(found)
    out.append("libordex.so.0")
    return out


def _declare(lib):
    c_int, c_uint, c_long, c_size_t = (ctypes.c_int, ctypes.c_uint,
                                       ctypes.c_long, ctypes.c_size_t)
    c_char_p, c_void_p = ctypes.c_char_p, ctypes.c_void_p
    pp = ctypes.POINTER(c_void_p)
    sigs = {
        "ordex_version": (c_char_p, []),
        "ordex_strerror": (c_char_p, [c_int]),
        "ordex_free": (None, [c_void_p]),
        "ordex_engine_new": (c_void_p, [c_uint]),
        "ordex_engine_free": (None, [c_void_p]),
        "ordex_engine_set_error_handler": (None, [c_void_p, _ERROR_FN,
                                                  c_void_p]),
        "ordex_engine_set_limit": (c_int, [c_void_p, c_int, c_long]),
        "ordex_engine_set_ocr": (c_int, [c_void_p, c_int]),
        "ordex_engine_add_grammars": (c_int, [c_void_p, c_char_p]),
        "ordex_engine_compile": (c_int, [c_void_p]),
        "ordex_document_open_file": (c_int, [c_void_p, c_char_p, c_char_p,
                                             pp]),
        "ordex_document_open_memory": (c_int, [c_void_p, c_char_p, c_size_t,
                                               c_char_p, c_char_p, pp]),
        "ordex_document_open_text": (c_int, [c_void_p, c_char_p, c_size_t,
                                             c_char_p, pp]),
        "ordex_document_free": (None, [c_void_p]),
        "ordex_extract": (c_int, [c_void_p, pp]),
        "ordex_result_free": (None, [c_void_p]),
        # c_void_p, not c_char_p: the string must be handed to ordex_free.
        "ordex_result_to_json": (c_void_p, [c_void_p, c_uint]),
    }
    for name, (restype, argtypes) in sigs.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


def _library():
    global _lib
    with _lib_lock:
        if _lib is not None:
            return _lib
        tried = []
        for cand in _candidates():
            if os.sep in cand and not os.path.exists(cand):
                tried.append("%s: not found" % cand)
                continue
            try:
                lib = ctypes.CDLL(cand)
            except OSError as e:
                tried.append(str(e))
                continue
            _lib = _declare(lib)
            return _lib
        raise OSError("ordex: cannot load libordex (set ORDEX_LIBRARY): "
                      + "; ".join(tried))


def version():
    """The library's version string, e.g. "0.1.0"."""
    return _library().ordex_version().decode("utf-8")


def _strerror(code):
    s = _library().ordex_strerror(code)
    return s.decode("utf-8", "replace") if s else "unknown error"


def _encode(s):
    if s is None:
        return None
    if isinstance(s, bytes):
        return s
    return str(s).encode("utf-8")


# ---- Engine ------------------------------------------------------------------


def _error_collector(tls):
    """The error handler of an engine.  The library calls it on the thread
    that made the failing call, so a thread-local list keeps the messages
    of concurrent extractions apart."""

    def on_error(message, _user_data):
        try:
            text = message.decode("utf-8", "replace") if message else ""
            msgs = getattr(tls, "messages", None)
            if msgs is None:
                msgs = tls.messages = []
            msgs.append(text)
        except BaseException:  # never let an exception unwind into C
            pass

    return on_error


# ordex_ocr_mode in ordex.h.
_OCR_MODES = {"auto": 0, "always": 1, "never": 2}


class Engine:
    """A compiled set of grammars, reusable for any number of documents.

    grammars          a folder of *.rules files, or a list of folders, added
                      after the installed grammars (later ones override rules
                      of the same id)
    default_grammars  False: load only the grammars given
    ocr               "auto" (default): OCR the pages whose text layer
                      cannot be trusted; "always": every page; "never"

    The grammars are compiled here, once; after that extract() may be
    called from several threads at once.  Close the engine with close() or
    a with block; close() waits for extractions still running.
    """

    def __init__(self, grammars=None, default_grammars=True, ocr="auto"):
        if ocr not in _OCR_MODES:
            raise ValueError("ocr must be 'auto', 'always' or 'never', not %r"
                             % (ocr,))
        lib = _library()
        self._lib = lib
        self._tls = threading.local()
        self._cond = threading.Condition()
        self._busy = 0
        self._closed = False
        self._handle = None
        options = 0 if default_grammars else ENGINE_NO_DEFAULT_GRAMMARS
        handle = lib.ordex_engine_new(options)
        if not handle:
            raise OrdexError(ORDEX_ERR_INTERNAL,
                             "cannot create an engine")
        self._handle = handle
        # Kept on the engine: the C side holds a pointer to it.  It refers
        # to the thread-local store only, not to self, so that dropping the
        # last reference to the engine frees it at once.
        self._error_fn = _ERROR_FN(_error_collector(self._tls))
        lib.ordex_engine_set_error_handler(handle, self._error_fn, None)
        lib.ordex_engine_set_ocr(handle, _OCR_MODES[ocr])
        try:
            if grammars is not None:
                if isinstance(grammars, (str, bytes, os.PathLike)):
                    grammars = [grammars]
                for folder in grammars:
                    self._check(lib.ordex_engine_add_grammars(
                        handle, os.fsencode(folder)))
            self._check(lib.ordex_engine_compile(handle))
        except BaseException:
            self.close()
            raise

    def _take_messages(self):
        msgs = getattr(self._tls, "messages", None) or []
        self._tls.messages = []
        return msgs

    def _check(self, status):
        msgs = self._take_messages()
        if status != 0:
            message = "\n".join(msgs) if msgs else _strerror(status)
            raise OrdexError(status, message)

    def _enter(self):
        with self._cond:
            if self._closed or not self._handle:
                raise ValueError("ordex: the engine is closed")
            self._busy += 1
            return self._handle

    def _leave(self):
        with self._cond:
            self._busy -= 1
            if self._busy == 0:
                self._cond.notify_all()

    def extract(self, source, password=None, name=None):
        """Extracts one document and returns its JSON as a dict.

        source    bytes (a PDF in memory), or a path (str or os.PathLike):
                  a PDF, or UTF-8 text when the name ends in .txt
        password  the password of an encrypted PDF
        name      for bytes: the name used in messages and source.file
        """
        handle = self._enter()
        try:
            return self._extract(handle, source, password, name)
        finally:
            self._leave()

    def _open(self, handle, source, password, name):
        lib = self._lib
        doc = ctypes.c_void_p()
        self._take_messages()
        if isinstance(source, (bytes, bytearray, memoryview)):
            data = bytes(source)
            st = lib.ordex_document_open_memory(
                handle, data, len(data), _encode(password), _encode(name),
                ctypes.byref(doc))
        elif isinstance(source, (str, os.PathLike)):
            path = os.fspath(source)
            if isinstance(path, bytes):
                path = os.fsdecode(path)
            if path.lower().endswith(".txt"):
                try:
                    with open(path, "rb") as f:
                        text = f.read()
                except OSError as e:
                    reason = ("is a directory" if isinstance(
                        e, IsADirectoryError) else os.strerror(e.errno or errno.EIO))
                    raise OrdexError(ORDEX_ERR_IO,
                                     "%s: %s" % (path, reason)) from None
                st = lib.ordex_document_open_text(
                    handle, text, len(text), os.fsencode(path),
                    ctypes.byref(doc))
            else:
                st = lib.ordex_document_open_file(
                    handle, os.fsencode(path), _encode(password),
                    ctypes.byref(doc))
        else:
            raise TypeError("ordex: source must be bytes or a path, not %s"
                            % type(source).__name__)
        self._check(st)
        return doc

    def _extract(self, handle, source, password, name):
        lib = self._lib
        doc = self._open(handle, source, password, name)
        res = ctypes.c_void_p()
        try:
            self._check(lib.ordex_extract(doc, ctypes.byref(res)))
            raw = lib.ordex_result_to_json(res, 0)
            if not raw:
                raise OrdexError(ORDEX_ERR_INTERNAL,
                                 "cannot serialise the result")
            try:
                text = ctypes.string_at(raw)
            finally:
                lib.ordex_free(raw)
        finally:
            lib.ordex_result_free(res)
            lib.ordex_document_free(doc)
        return json.loads(text.decode("utf-8"))

    def close(self):
        """Frees the engine, after any extraction still running.  Idempotent."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            while self._busy:
                self._cond.wait()
            handle, self._handle = self._handle, None
        if handle:
            self._lib.ordex_engine_free(handle)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __del__(self):
        if getattr(self, "_cond", None) is not None:
            self.close()


def extract(source, grammars=None, password=None, name=None, ocr="auto"):
    """Extracts one document with a fresh engine; returns its JSON as a dict.

    source is bytes (a PDF in memory) or a path (a PDF, or a .txt file of
    UTF-8 text).  To extract many documents, make one Engine and reuse it.
    """
    with Engine(grammars=grammars, ocr=ocr) as engine:
        return engine.extract(source, password=password, name=name)

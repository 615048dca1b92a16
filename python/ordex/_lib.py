"""Loading libordex with ctypes, and its functions' signatures.

The library is found through $ORDEX_LIBRARY (a full path, no fallback),
else the build folder of the checkout this package sits in
(python/ordex/ -> build/libordex.so), else the library installed beside
the package (PREFIX/share/ordex/python/ordex -> PREFIX/lib), else the
system's library search (ldconfig).  Nothing is loaded until first needed,
so that the package imports without the library.
"""

import ctypes
import ctypes.util
import os
import threading
from typing import Any, List, Optional

ERROR_FN = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_void_p)

_lib: Optional[ctypes.CDLL] = None
_lock = threading.Lock()


def _candidates() -> List[str]:
    env = os.environ.get("ORDEX_LIBRARY")
    if env:
        return [env]
    here = os.path.dirname(os.path.abspath(__file__))
    up = os.pardir
    out = [
        os.path.join(here, up, up, "build", "libordex.so"),
        os.path.join(here, up, up, up, up, "lib", "libordex.so.0"),
    ]
    found = ctypes.util.find_library("ordex")
    if found:
        out.append(found)
    out.append("libordex.so.0")
    return out


def _declare(lib: ctypes.CDLL) -> ctypes.CDLL:
    c_int, c_uint, c_long, c_size_t = (ctypes.c_int, ctypes.c_uint,
                                       ctypes.c_long, ctypes.c_size_t)
    c_char_p, c_void_p = ctypes.c_char_p, ctypes.c_void_p
    pp = ctypes.POINTER(c_void_p)
    sigs: Any = {
        "ordex_version": (c_char_p, []),
        "ordex_strerror": (c_char_p, [c_int]),
        "ordex_free": (None, [c_void_p]),
        "ordex_engine_new": (c_void_p, [c_uint]),
        "ordex_engine_free": (None, [c_void_p]),
        "ordex_engine_set_error_handler": (None, [c_void_p, ERROR_FN,
                                                  c_void_p]),
        "ordex_engine_set_limit": (c_int, [c_void_p, c_int, c_long]),
        "ordex_engine_set_ocr": (c_int, [c_void_p, c_int]),
        "ordex_engine_set_input": (c_int, [c_void_p, c_int]),
        "ordex_engine_set_encoding": (c_int, [c_void_p, c_char_p]),
        "ordex_engine_add_grammars": (c_int, [c_void_p, c_char_p]),
        "ordex_engine_compile": (c_int, [c_void_p]),
        "ordex_document_open_file": (c_int, [c_void_p, c_char_p, c_char_p,
                                             pp]),
        "ordex_document_open_memory": (c_int, [c_void_p, c_char_p, c_size_t,
                                               c_char_p, c_char_p, pp]),
        "ordex_document_open_text": (c_int, [c_void_p, c_char_p, c_size_t,
                                             c_char_p, pp]),
        "ordex_document_free": (None, [c_void_p]),
        "ordex_document_page_count": (c_int, [c_void_p]),
        # c_void_p, not c_char_p, for strings handed back to ordex_free.
        "ordex_document_dump": (c_int, [c_void_p, c_int,
                                        ctypes.POINTER(c_void_p)]),
        "ordex_extract": (c_int, [c_void_p, pp]),
        "ordex_result_free": (None, [c_void_p]),
        "ordex_result_incomplete": (c_int, [c_void_p]),
        "ordex_result_to_json": (c_void_p, [c_void_p, c_uint]),
        "ordex_result_highlight": (c_int, [c_void_p, c_void_p, c_char_p,
                                           ctypes.POINTER(c_int)]),
    }
    for name, (restype, argtypes) in sigs.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


def library() -> ctypes.CDLL:
    """The loaded library; OSError naming every place tried when absent."""
    global _lib
    with _lock:
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


def take_string(ptr: Optional[int]) -> str:
    """A char * the library returned, as str, released with ordex_free."""
    if not ptr:
        return ""
    lib = library()
    try:
        return ctypes.string_at(ptr).decode("utf-8")
    finally:
        lib.ordex_free(ptr)

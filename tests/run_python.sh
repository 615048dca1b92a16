#!/bin/sh
# run_python.sh - the Python package (python/ordex/) against the library
# built beside the command under test: tests/test_python.py with the
# system's python3 and pytest (Debian's python3-pytest), including mypy
# --strict over the package and a pip install of it into a temporary folder.  A library built with AddressSanitizer (make asan)
# is loaded with the ASan runtime preloaded, leak checks off (the
# interpreter itself keeps memory until exit).
set -u
ORDEX=${1:-build/ordex}
cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C PYTHONDONTWRITEBYTECODE=1 ORDEX_GRAMMAR_DIR="${ORDEX_GRAMMAR_DIR:-grammars}"
case "$ORDEX" in /*) ;; *) ORDEX=$(pwd)/$ORDEX ;; esac
LIB=$(dirname "$ORDEX")/libordex.so
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

if [ ! -e "$LIB" ]; then
    echo "run_python.sh: $LIB not found (make builds it)"
    echo "python: 0 passed, 1 failed"
    exit 1
fi
export ORDEX_LIBRARY="$LIB"
if readelf -d "$LIB" 2>/dev/null | grep -q 'NEEDED.*libasan'; then
    asan=$(${CC:-cc} -print-file-name=libasan.so)
    export LD_PRELOAD="$asan${LD_PRELOAD:+ $LD_PRELOAD}"
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
fi

if ! "$PY" -c 'import pytest' 2>/dev/null; then
    echo "run_python.sh: $PY cannot import pytest (make deps installs python3-pytest)"
    echo "python: 0 passed, 1 failed"
    exit 1
fi
# -p no:cacheprovider: no .pytest_cache in the work tree
"$PY" -m pytest -q -p no:cacheprovider tests/test_python.py
rc=$?
if [ "$rc" -ne 0 ]; then
    echo "run_python.sh: pytest exited with status $rc"
    echo "python: failed"
else
    echo "python: passed"
fi
exit "$rc"

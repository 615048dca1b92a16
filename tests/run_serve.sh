#!/bin/sh
# run_serve.sh - `ordex serve` (issue 20): tests/test_serve.py, which
# starts servers on 127.0.0.1 ports of its own, checks every endpoint, bad
# requests, failing workers, the token, SIGTERM and a load run of 1,000
# requests 8 at a time against the CLI's JSON (p50/p99 printed).
# SERVE_LOAD=N changes the size of the load run.  Standard library only.
set -u
ORDEX=${1:-build/ordex}
cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C PYTHONDONTWRITEBYTECODE=1 ORDEX_GRAMMAR_DIR="$(pwd)/grammars"
case "$ORDEX" in /*) ;; *) ORDEX=$(pwd)/$ORDEX ;; esac
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
exec timeout 600 "$PY" tests/test_serve.py "$ORDEX"

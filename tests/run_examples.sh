#!/bin/sh
# run_examples.sh - the installed library, as a user of it sees it.
# `make install DESTDIR=TMP` (prefix unchanged: the grammar folder compiled
# into the library follows prefix, so changing it here would disagree with
# the objects already built), then: the installed files, the soname, that
# only ordex_* symbols are exported (and every function of ordex.h is),
# examples/extract.c compiled with nothing but `pkg-config --cflags --libs
# ordex` and run on the OpenAI sample, the Python module from its installed
# place, and `make uninstall` leaving nothing behind.
set -u
ORDEX=${1:-build/ordex}
cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C
case "$ORDEX" in /*) ;; *) ORDEX=$(pwd)/$ORDEX ;; esac
BUILD_DIR=$(dirname "$ORDEX")
case "$BUILD_DIR" in "$(pwd)"/*) BUILD_DIR=${BUILD_DIR#"$(pwd)"/} ;; esac
CC=${CC:-cc}
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
D=$T/root
SAMPLE=samples/openai_privilege_order.pdf
pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
finish() {
    echo "examples: $pass passed, $fail failed"
    [ "$fail" = 0 ]
    exit $?
}

# ---- make install --------------------------------------------------------
# BUILD= names the build under test (build/asan under make asan); the other
# settings come from the calling make, if any, so nothing is rebuilt.
if make -s install DESTDIR="$D" BUILD="$BUILD_DIR" >"$T/install.log" 2>&1; then
    ok
else
    bad "make install DESTDIR=$D"; cat "$T/install.log"; finish
fi
PC=$(find "$D" -name ordex.pc -path '*/pkgconfig/*' | head -n 1)
if [ -z "$PC" ]; then
    bad "no ordex.pc installed"; finish
fi
LIBDIR=$(dirname "$(dirname "$PC")")        # DESTDIR + libdir
PREFIX=$(dirname "$LIBDIR")                 # DESTDIR + prefix (libdir = prefix/lib)
DATADIR=$PREFIX/share/ordex
for f in "$PREFIX/bin/ordex" "$PREFIX/include/ordex.h" "$LIBDIR/libordex.a" \
         "$LIBDIR/libordex.so.0.1.0" "$LIBDIR/libordex.so.0" "$LIBDIR/libordex.so" \
         "$DATADIR/grammars/deadlines.rules" "$DATADIR/ordex.schema.json" \
         "$DATADIR/python/ordex.py"; do
    if [ -e "$f" ]; then ok; else bad "not installed: ${f#"$D"}"; fi
done
if [ "$(readlink "$LIBDIR/libordex.so.0")" = libordex.so.0.1.0 ] \
   && [ "$(readlink "$LIBDIR/libordex.so")" = libordex.so.0.1.0 ]; then ok
else bad "libordex.so and libordex.so.0 should link to libordex.so.0.1.0"; fi
n_rules=$(find grammars -maxdepth 1 -name '*.rules' | wc -l)
n_inst=$(find "$DATADIR/grammars" -maxdepth 1 -name '*.rules' 2>/dev/null | wc -l)
[ "$n_rules" = "$n_inst" ] && ok || bad "$n_inst of $n_rules grammars installed"
cmp -s include/ordex.h "$PREFIX/include/ordex.h" && ok || bad "installed ordex.h differs"

# ---- the shared library: soname and exported symbols ----------------------
SO=$LIBDIR/libordex.so.0.1.0
soname=$(readelf -d "$SO" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
[ "$soname" = libordex.so.0 ] && ok || bad "soname is '$soname', want libordex.so.0"
nm -D --defined-only "$SO" | awk '{print $NF}' | sort >"$T/exported"
others=$(grep -v '^ordex_' "$T/exported" | tr '\n' ' ')
[ -z "$others" ] && ok || bad "exported beyond ordex_*: $others"
sed -n 's/^ORDEX_API [^(]*[ *]\(ordex_[a-z0-9_]*\)(.*/\1/p' include/ordex.h | sort >"$T/declared"
[ -s "$T/declared" ] && ok || bad "no ORDEX_API function found in ordex.h"
missing=$(comm -23 "$T/declared" "$T/exported" | tr '\n' ' ')
[ -z "$missing" ] && ok || bad "declared in ordex.h but not exported: $missing"
extra=$(comm -13 "$T/declared" "$T/exported" | tr '\n' ' ')
[ -z "$extra" ] && ok || bad "exported but not in ordex.h: $extra"

# ---- pkg-config -------------------------------------------------------------
export PKG_CONFIG_PATH="$LIBDIR/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$D"
if flags=$(pkg-config --cflags --libs ordex 2>"$T/pc.err"); then ok
else bad "pkg-config ordex: $(cat "$T/pc.err")"; finish; fi
case " $flags " in
    *" -I$PREFIX/include "*) ok ;;
    *) bad "pkg-config --cflags lacks -I$PREFIX/include: $flags" ;;
esac
case " $flags " in
    *" -L$LIBDIR "*) ok ;;
    *) bad "pkg-config --libs lacks -L$LIBDIR: $flags" ;;
esac
case " $flags " in
    *" -lordex "*) ok ;;
    *) bad "pkg-config --libs lacks -lordex: $flags" ;;
esac
case " $(pkg-config --static --libs ordex) " in
    *" -lm "*) ok ;;
    *) bad "pkg-config --static --libs lacks -lm (libordex.a uses libm)" ;;
esac
[ "$(pkg-config --modversion ordex)" = 0.1.0 ] && ok || bad "pkg-config --modversion"

# The example is built and run the way the library's own build was: with
# the sanitizers when the library under test has them (make asan).
SAN=
if readelf -d "$SO" | grep -q 'NEEDED.*libasan'; then
    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer"
fi
WFLAGS="-std=c11 -Wall -Wextra -pedantic -Wstrict-prototypes -Wmissing-prototypes -Wshadow -Werror"
# shellcheck disable=SC2086
if $CC $WFLAGS $SAN -o "$T/extract" examples/extract.c $flags 2>"$T/cc.err"; then ok
else bad "cc examples/extract.c \$(pkg-config --cflags --libs ordex):"; cat "$T/cc.err"; finish; fi
# shellcheck disable=SC2086,SC2046
if $CC $WFLAGS $SAN -o "$T/extract_static" examples/extract.c \
      $(pkg-config --cflags ordex) "$LIBDIR/libordex.a" \
      $(pkg-config --static --libs ordex | sed 's/-lordex//') 2>"$T/cc.err"; then ok
else bad "static link with pkg-config --static --libs ordex:"; cat "$T/cc.err"; fi

# ---- run the example ----------------------------------------------------------
export LD_LIBRARY_PATH="$LIBDIR" ORDEX_GRAMMAR_DIR="$DATADIR/grammars"
lib_used=$(ldd "$T/extract" | sed -n 's/^[[:space:]]*libordex\.so\.0 => \([^ ]*\).*/\1/p')
[ "$lib_used" = "$LIBDIR/libordex.so.0" ] && ok \
    || bad "extract loads libordex.so.0 from '$lib_used', want $LIBDIR"

# The directive ids (third column) depend on every directive before these
# four, so they are compared as dN.
cat >"$T/want" <<'EOF'
case 25-md-3143 (SHS) (OTW), dated 2025-11-24: 4 deadlines
t1  2025-12-08  dN  OpenAI  page 5  By December 8, 2025
t2  2025-12-08  dN  OpenAI  page 5  by December 8, 2025
t3  2025-12-05  dN  OpenAI  page 5  By December 5, 2025
t4  2025-12-19  dN  OpenAI  page 5  no later than December 19, 2025
EOF
for prog in extract extract_static; do
    [ -x "$T/$prog" ] || continue
    if "$T/$prog" "$SAMPLE" >"$T/raw" 2>"$T/err"; then ok
    else bad "$prog $SAMPLE: exit $?: $(cat "$T/err")"; continue; fi
    sed 's/^\(t[0-9]*  [0-9-]*  \)d[0-9][0-9]*  /\1dN  /' "$T/raw" >"$T/out"
    if diff -u "$T/want" "$T/out" >"$T/diff"; then ok
    else bad "$prog $SAMPLE: deadlines differ:"; cat "$T/diff"; fi
done

# --json prints exactly what the installed command prints.
"$T/extract" --json "$SAMPLE" >"$T/ex.json" 2>"$T/err" && ok || bad "extract --json: $(cat "$T/err")"
"$PREFIX/bin/ordex" "$SAMPLE" >"$T/cli.json" 2>"$T/err" && ok || bad "installed ordex: $(cat "$T/err")"
cmp -s "$T/ex.json" "$T/cli.json" && ok || bad "extract --json differs from ordex's JSON"
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["schema"]=="ordex-3"' \
    "$T/ex.json" 2>"$T/err" && ok || bad "extract --json is not the document JSON: $(cat "$T/err")"

# Errors: the library's message through the example's handler, exit 1.
"$T/extract" missing.pdf >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" = 1 ] && [ "$(cat "$T/err")" = "extract: missing.pdf: No such file or directory" ] \
    && [ ! -s "$T/out" ] && ok \
    || bad "extract missing.pdf: exit $rc, stderr '$(cat "$T/err")'"
"$T/extract" >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" = 2 ] && [ "$(cat "$T/err")" = "usage: extract [--json] [--password PW] FILE.pdf" ] && ok \
    || bad "extract without a file: exit $rc, stderr '$(cat "$T/err")'"

# ---- the Python module from its installed place --------------------------------
# No ORDEX_LIBRARY: the module finds the library installed beside it.
PYENV="env -u ORDEX_LIBRARY -u LD_LIBRARY_PATH"
if [ -n "$SAN" ]; then
    # An ASan library loads only after the ASan runtime.
    PYENV="$PYENV LD_PRELOAD=$($CC -print-file-name=libasan.so) ASAN_OPTIONS=detect_leaks=0"
fi
$PYENV "$PY" - "$DATADIR/python" "$SAMPLE" >"$T/py.out" 2>"$T/py.err" <<'EOF'
import sys
sys.path.insert(0, sys.argv[1])
import ordex
print(ordex.__file__)
print(" ".join(t["date"] for t in ordex.extract(sys.argv[2])["deadlines"]))
EOF
printf '%s\n%s\n' "$DATADIR/python/ordex.py" "2025-12-08 2025-12-08 2025-12-05 2025-12-19" >"$T/py.want"
diff -u "$T/py.want" "$T/py.out" >"$T/diff" 2>&1 && ok \
    || { bad "installed Python module:"; cat "$T/diff" "$T/py.err"; }

# ---- make uninstall ---------------------------------------------------------------
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
if make -s uninstall DESTDIR="$D" BUILD="$BUILD_DIR" >"$T/uninstall.log" 2>&1; then ok
else bad "make uninstall"; cat "$T/uninstall.log"; fi
left=$(find "$D" ! -type d | sed "s|^$D||" | tr '\n' ' ')
[ -z "$left" ] && ok || bad "left after make uninstall: $left"

finish

#!/bin/sh
# run_output.sh - where -o and --highlight write (README, "Output files"):
# a full disk gives exit 7 and no file (/dev/full; a file size limit; a
# full tmpfs when this runs as root and may mount one), a device or a FIFO
# is written in place and never replaced, a symbolic link is written
# through to its target and stays a link, an output that is the input
# (also through a link) or both outputs the same file is refused with
# exit 2 before any work.  Final line "output: N passed, M failed".
set -u
ORDEX=${1:-build/ordex}
cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C ORDEX_GRAMMAR_DIR="$(pwd)/grammars"
case "$ORDEX" in /*) ;; *) ORDEX=$(pwd)/$ORDEX ;; esac
T=$(mktemp -d)
MNT=
cleanup() {
    [ -n "$MNT" ] && umount "$MNT" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

cp samples/nysd_scheduling_order.pdf "$T/in.pdf"
cd "$T" || exit 2
"$ORDEX" -o want.json in.pdf || bad "plain run"
"$ORDEX" --highlight want.hl.pdf in.pdf >/dev/null || bad "plain highlight"
HL=$(wc -c <want.hl.pdf)

# no temporary file (.ordex-*) left in the folder
clean() { [ -z "$(ls -A "$1" | grep '^\.ordex-')" ]; }

# The devices are reached through links in this folder: an ordex that
# wrongly renamed its output over them would replace the link here, not
# /dev/full or /dev/stdout of the machine (an old ordex did that).
[ -c /dev/full ] || { echo "run_output.sh: /dev/full is not a device" >&2; exit 1; }
ln -s /dev/full full
ln -s /dev/stdout stdout

# 1. /dev/full: exit 7, one line.
"$ORDEX" -o full in.pdf 2>err; rc=$?
[ $rc = 7 ] && [ -L full ] && [ "$(cat err)" = "ordex: full: cannot write: No space left on device" ] \
    && ok || bad "-o /dev/full: exit $rc: $(cat err)"
"$ORDEX" --highlight full in.pdf >/dev/null 2>err; rc=$?
[ $rc = 7 ] && [ -L full ] && [ "$(cat err)" = "ordex: full: cannot write: No space left on device" ] \
    && ok || bad "--highlight /dev/full: exit $rc: $(cat err)"

# 2. A file size limit below the copy's size (SIGXFSZ ignored, so that
# writes come back short): exit 7, no copy, no temporary file.  Before
# issue 21 this wrote a broken PDF and exited 0.
mkdir lim
bash -c 'trap "" XFSZ; ulimit -f 20; exec "$0" --highlight lim/hl.pdf in.pdf' "$ORDEX" \
    >/dev/null 2>err; rc=$?
[ $rc = 7 ] && [ ! -e lim/hl.pdf ] && clean lim \
    && [ "$(cat err)" = "ordex: lim/hl.pdf: cannot write: Poppler's copy is incomplete" ] \
    && ok || bad "--highlight, file size limit: exit $rc: $(cat err); $(ls -A lim)"
bash -c 'trap "" XFSZ; ulimit -f 2; exec "$0" -o lim/out.json in.pdf' "$ORDEX" 2>err; rc=$?
[ $rc = 7 ] && [ ! -e lim/out.json ] && clean lim \
    && [ "$(cat err)" = "ordex: lim/out.json: cannot write: File too large" ] \
    && ok || bad "-o, file size limit: exit $rc: $(cat err); $(ls -A lim)"

# 3. A full file system: a 32 KiB tmpfs (root only; skipped otherwise).
# An existing file there stays as it was.
mkdir mnt
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=32k tmpfs mnt 2>/dev/null; then
    MNT=$T/mnt
    echo old >mnt/hl.pdf
    "$ORDEX" --highlight mnt/hl.pdf in.pdf >/dev/null 2>err; rc=$?
    [ $rc = 7 ] && [ "$(cat mnt/hl.pdf)" = old ] && clean mnt \
        && [ "$(cat err)" = "ordex: mnt/hl.pdf: cannot write: No space left on device" ] \
        && ok || bad "--highlight, full tmpfs: exit $rc: $(cat err); $(ls -A mnt)"
    umount mnt && MNT=
else
    echo "  full tmpfs: skipped (not root or no mount)"
fi

# 4. Devices and FIFOs are written in place.
"$ORDEX" -o stdout in.pdf >stdout.json 2>err; rc=$?
[ $rc = 0 ] && [ -L stdout ] && cmp -s stdout.json want.json && [ ! -s err ] \
    && ok || bad "-o /dev/stdout: exit $rc: $(cat err)"
"$ORDEX" --highlight stdout -o out.json in.pdf >stdout.pdf 2>err; rc=$?
[ $rc = 0 ] && [ -L stdout ] && [ "$(wc -c <stdout.pdf)" = "$HL" ] && cmp -s out.json want.json \
    && ok || bad "--highlight /dev/stdout: exit $rc: $(cat err)"
mkfifo fifo
timeout 20 cat fifo >fifo.json &
"$ORDEX" -o fifo in.pdf 2>err; rc=$?
wait
[ $rc = 0 ] && [ -p fifo ] && cmp -s fifo.json want.json \
    && ok || bad "-o FIFO: exit $rc: $(cat err)"

# 5. A link is written through: the link stays, its target is replaced.
mkdir real && echo old >real/out.json && ln -s real/out.json link.json
ln -s real/hl.pdf link.pdf # dangling: the target is created
"$ORDEX" -o link.json --highlight link.pdf in.pdf 2>err; rc=$?
[ $rc = 0 ] && [ -L link.json ] && [ -L link.pdf ] && cmp -s real/out.json want.json \
    && [ "$(wc -c <real/hl.pdf)" = "$HL" ] && clean . && clean real \
    && ok || bad "links: exit $rc: $(cat err); $(ls -la . real)"

# 6. The input itself, also through a link, and one file for both: exit 2.
ln -s in.pdf in-link.pdf
cp in.pdf keep.pdf
for args in "-o in.pdf" "--highlight in.pdf" "-o in-link.pdf" "--highlight in-link.pdf"; do
    out=${args#* }
    # shellcheck disable=SC2086
    "$ORDEX" $args in.pdf >/dev/null 2>err; rc=$?
    [ $rc = 2 ] && cmp -s in.pdf keep.pdf \
        && [ "$(cat err)" = "ordex: $out: is the input file; choose another output" ] \
        && ok || bad "$args: exit $rc: $(cat err)"
done
"$ORDEX" -o both.out --highlight both.out in.pdf >/dev/null 2>err; rc=$?
[ $rc = 2 ] && [ ! -e both.out ] \
    && [ "$(cat err)" = "ordex: both.out: is both -o and --highlight" ] \
    && ok || bad "-o and --highlight the same: exit $rc: $(cat err)"

[ -c /dev/full ] && [ -L /dev/stdout ] || bad "/dev/full or /dev/stdout replaced"
echo "output: $pass passed, $fail failed"
[ "$fail" = 0 ]

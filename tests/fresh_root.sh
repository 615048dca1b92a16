#!/bin/sh
# fresh_root.sh - the README's two commands on a fresh minimal Debian 12.
#
# Builds a root with `debootstrap --variant=minbase bookworm` (plus make,
# which the README's commands are typed into), clones this checkout's
# committed HEAD into it, and runs `make demo` then `make check` inside it
# as root, on their first run.  Not part of `make check`: it needs root, the
# Debian mirror and several minutes (most of them downloading packages).
#
#   sh tests/fresh_root.sh            # mirror taken from the apt sources
#   MIRROR=http://deb.debian.org/debian KEEP=1 sh tests/fresh_root.sh
#
# KEEP=1 leaves the root in place (its path is printed).  Final line:
# "fresh_root: demo ok, check ok" or "fresh_root: FAIL (...)"; exit 0 only
# when both commands succeeded.
set -eu
cd "$(dirname "$0")/.."
SRC=$(pwd)

die() { echo "fresh_root: FAIL ($1)"; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot)"
command -v debootstrap >/dev/null || die "needs debootstrap"

# The Debian mirror of this machine's apt sources (deb822 "URIs:" or
# one-line "deb URL bookworm ..."), unless $MIRROR is given.
if [ -z "${MIRROR:-}" ]; then
    MIRROR=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
                 /etc/apt/sources.list.d/*.sources 2>/dev/null |
             awk '/^URIs:/ && $2 ~ /\/debian\/?$/ { print $2; exit }
                  /^deb / && $3 == "bookworm" { print $2; exit }')
fi
[ -n "$MIRROR" ] || die "no Debian mirror in /etc/apt/sources.list*; set MIRROR"

ROOT=$(mktemp -d /tmp/ordex-root.XXXXXX)
chmod 755 "$ROOT"   # it is the root's "/": users like munge must get through
cleanup() {
    # Daemons a test left running inside the root keep /proc busy.
    for p in /proc/[0-9]*; do
        [ "$(readlink "$p/root" 2>/dev/null)" = "$ROOT" ] && kill -9 "${p#/proc/}" 2>/dev/null
    done
    umount -R "$ROOT/sys" 2>/dev/null || umount -R -l "$ROOT/sys" 2>/dev/null || :
    umount "$ROOT/proc" 2>/dev/null || umount -l "$ROOT/proc" 2>/dev/null || :
    if [ "${KEEP:-0}" = 1 ]; then echo "fresh_root: root kept in $ROOT"; return; fi
    # Never remove a root that still has something mounted inside it.
    if grep -q " $ROOT/" /proc/mounts; then
        echo "fresh_root: $ROOT still has mounts; left in place" >&2
    else
        rm -rf --one-file-system "$ROOT"
    fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

start=$(date +%s)
echo "fresh_root: debootstrap bookworm from $MIRROR into $ROOT"
debootstrap --variant=minbase --include=make bookworm "$ROOT" "$MIRROR" \
    >"$ROOT.debootstrap.log" 2>&1 || { tail -20 "$ROOT.debootstrap.log"; die "debootstrap"; }
rm -f "$ROOT.debootstrap.log"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
# What a booted machine has: /proc, and /sys with its cgroups (the Slurm
# test's slurmd reads the CPU topology and cgroups there).
mount -t proc proc "$ROOT/proc"
mount --rbind /sys "$ROOT/sys"
mount --make-rslave "$ROOT/sys"

git clone -q "$SRC" "$ROOT/root/ordex"
echo "fresh_root: cloned $(git -C "$ROOT/root/ordex" log -1 --format='%h %s' | cut -c1-60)"

run() {   # run NAME COMMAND: in the root, a clean environment, log kept
    echo "fresh_root: == $2"
    t0=$(date +%s)
    if chroot "$ROOT" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin \
            TERM=dumb sh -c "cd /root/ordex && $2" >"$ROOT/$1.log" 2>&1; then
        rc=0
    else
        rc=$?
    fi
    if [ $rc = 0 ]; then
        tail -n "${TAIL:-12}" "$ROOT/$1.log" | sed 's/^/  | /'
    else  # the whole log stays beside the root
        cp "$ROOT/$1.log" "$ROOT.$1.log"
        tail -n 60 "$ROOT/$1.log" | sed 's/^/  | /'
        echo "fresh_root: whole log in $ROOT.$1.log"
    fi
    echo "fresh_root: $2: exit $rc after $(( $(date +%s) - t0 )) s"
    return $rc
}

run demo "make demo" || die "make demo"
run check "make check" || die "make check"
echo "fresh_root: $(( $(date +%s) - start )) s in all"
echo "fresh_root: demo ok, check ok"

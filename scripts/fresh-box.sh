#!/bin/sh
# fresh-box.sh DIR — the README's first two commands, copied verbatim from
# README.md, as root in a fresh debootstrap minbase Debian 12 (bookworm) root
# in DIR (made when missing; needs root, network and a few minutes). The tree
# is copied in from the working directory (without build output). The first
# command opens the dashboard: it runs in a pseudo-terminal (script(1)) that
# types q every few seconds, so it ends once the dashboard is up. Logs go to
# DIR.log. Exit 0 when both commands succeeded. FRESH_CI=1 then also runs
# `bash .ci/run` there (make test, make asan, a short fuzz run).
set -eu
root=${1:?usage: sh scripts/fresh-box.sh DIR}
SRC=$(cd "$(dirname "$0")/.." && pwd)
log=$root.log
[ "$(id -u)" = 0 ] || { echo "fresh-box: needs root (debootstrap, chroot)" >&2; exit 1; }
if ! command -v debootstrap >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >&2
fi
if [ ! -x "$root/bin/sh" ]; then
    debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >"$log.debootstrap" 2>&1
fi
for tool in make cc gcc python3; do
    [ ! -e "$root/usr/bin/$tool" ] || echo "fresh-box: note: $tool is already in the root" >&2
done
rm -rf "$root/src/certboard"
mkdir -p "$root/src/certboard"
(cd "$SRC" && tar --exclude=./build --exclude=./build-asan --exclude=./.git -cf - .) | tar -xf - -C "$root/src/certboard"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mounted=""
cleanup() { for m in $mounted; do umount -l "$m" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
for m in proc sys dev dev/pts; do
    case $m in
        proc) mount -t proc proc "$root/proc" ;;
        sys) mount -t sysfs sys "$root/sys" ;;
        dev) mount --bind /dev "$root/dev" ;;
        dev/pts) mount -t devpts devpts "$root/dev/pts" -o newinstance,ptmxmode=0666 || mount --bind /dev/pts "$root/dev/pts" ;;
    esac
    mounted="$root/$m $mounted"
done

first=$(sed -n '/^```sh$/,/^```$/p' "$SRC/README.md" | sed -n 2p | sed 's/ *#.*//')
second=$(sed -n '/^```sh$/,/^```$/p' "$SRC/README.md" | sed -n 3p | sed 's/ *#.*//')
echo "== first command: $first" | tee "$log"
# script(1) gives the dashboard a terminal; q is typed every 5 s until it quits.
set +e
(i=0; while [ $i -lt 360 ]; do sleep 5; printf q; i=$((i + 1)); done) |
    timeout 1800 chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root TERM=xterm LANG=C.UTF-8 script -qefc "cd /src/certboard && $first" /dev/null >>"$log" 2>&1
rc1=$?
echo "== first command exit status: $rc1" | tee -a "$log"
echo "== second command: $second" | tee -a "$log"
timeout 3600 chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 sh -c "cd /src/certboard && $second" </dev/null >>"$log" 2>&1
rc2=$?
echo "== second command exit status: $rc2" | tee -a "$log"
rc3=0
if [ -n "${FRESH_CI:-}" ]; then
    echo "== bash .ci/run" | tee -a "$log"
    timeout 7200 chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 sh -c "cd /src/certboard && bash .ci/run" </dev/null >>"$log" 2>&1
    rc3=$?
    echo "== bash .ci/run exit status: $rc3" | tee -a "$log"
fi
grep -a "^certboard: .* passed" "$log"
[ "$rc1" = 0 ] && [ "$rc2" = 0 ] && [ "$rc3" = 0 ]

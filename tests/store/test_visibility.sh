#!/usr/bin/env bash
# test_visibility.sh — how soon an idle reader on a default (caching) sshfs
# mount sees another machine's change (DESIGN.md section 4 setup: sshd on
# loopback, two mounts of one directory). The sshfs client serves stat() and
# directory listings from a 20 s cache, so a poll that only stat()s saw a
# change 10-21 s late; the store now also reads a beacon file each publish
# replaces (contents are read afresh). A writer on mount c1 makes N changes
# (default 50) VIS_GAP_MS apart (default 3500: longer than the 3 s window in
# which a recently changed file is re-read anyway, so each change finds the
# reader idle), then a brand-new client makes 2 (its shard is not yet in the
# cached listing). A reader on mount c2 waits like the dashboard (as
# store_wait_fd/store_wait_ms say: on a share, a look at the beacon every
# second). Checks: every change seen, the slowest within 2 s; prints the
# median and maximum lag.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/store/sshfs_env.sh"
BUILD=${BUILD:-$ROOT/build}
STRESS=$BUILD/tools/cb_stress
N=${N:-50}
GAP_MS=${VIS_GAP_MS:-3500}
why=$(share_why_not)
[ -x "$STRESS" ] || why="cb_stress not built"
[ -f "$BUILD/libcertboard.a" ] || why="libcertboard.a not built"
command -v cc >/dev/null 2>&1 || why="no C compiler for the watcher"
if [ -n "$why" ]; then skip visibility "$why"; exit 0; fi
WATCH="$TMP/watch"
san=""  # a sanitizer build's library needs its runtime
nm "$BUILD/libcertboard.a" 2>/dev/null | grep -q __asan_ && san="-fsanitize=address,undefined"
# shellcheck disable=SC2046,SC2086
if ! cc -std=c11 -D_GNU_SOURCE $san -I"$ROOT/include" -o "$WATCH" "$ROOT/tests/store/watch.c" \
    "$BUILD/libcertboard.a" $(pkg-config --libs sqlite3 yaml-0.1) -lm -lpthread 2>"$TMP/cc.err"; then
    fail build-watcher "$(head -c 300 "$TMP/cc.err")"; exit 1
fi
S="$TMP/share"
mkdir -p "$S"
wp=""
trap '[ -n "$wp" ] && kill "$wp" 2>/dev/null; share_down "$S"; rm -rf "$TMP"' EXIT
if ! share_up "$S"; then
    fail share-setup "could not start sshd or mount: $(tail -3 "$S/sshd.log" 2>/dev/null)"
    exit 1
fi
pass share-setup
w="$TMP/w"
mkdir -p "$w"
# One change first, so the reader starts on an existing store.
"$STRESS" apply --store "$S/c1/vis" --local "$w/la" --client a --n 1 --seed 1 >"$w/a0" 2>"$w/a.err"
"$WATCH" --store "$S/c2/vis" --poll wait --ms $(((N * GAP_MS) + 120000)) --until $((N + 3)) \
    >"$w/seen" 2>"$w/seen.err" &
wp=$!
sleep 4
"$STRESS" apply --store "$S/c1/vis" --local "$w/la" --client a --n "$N" --seed 2 \
    --sleep-us $((GAP_MS * 1000)) >"$w/a1" 2>>"$w/a.err"
sleep $(((GAP_MS + 999) / 1000))
"$STRESS" apply --store "$S/c1/vis" --local "$w/lb" --client b --n 2 --seed 3 \
    --sleep-us $((GAP_MS * 1000)) >"$w/b1" 2>>"$w/a.err"
# The reader stops by itself once it has seen everything; give it 20 s more.
for _ in $(seq 1 200); do kill -0 "$wp" 2>/dev/null || break; sleep 0.1; done
kill "$wp" 2>/dev/null; wait "$wp" 2>/dev/null; wp=""
cat "$w/a0" "$w/a1" "$w/b1" >"$w/acks"
acked=$(grep -c '^ACK' "$w/acks")
[ "$acked" = $((N + 3)) ] && pass all-acknowledged || fail all-acknowledged "$acked of $((N + 3)): $(head -c 300 "$w/a.err")"
lag=$(/usr/bin/python3 "$ROOT/tests/store/lag.py" "$w/acks" "$w/seen")
echo "default sshfs mount, idle reader waiting like the dashboard, $acked changes $GAP_MS ms apart: $lag"
unseen=$(sed -n 's/.*unseen=\([0-9]*\).*/\1/p' <<<"$lag")
max=$(sed -n 's/.*max_ms=\(-*[0-9]*\).*/\1/p' <<<"$lag")
[ "$unseen" = 0 ] && pass every-change-seen || fail every-change-seen "$lag; $(head -c 300 "$w/seen.err")"
[ -n "$max" ] && [ "$max" -ge 0 ] && [ "$max" -lt 2000 ] && pass slowest-within-2s || fail slowest-within-2s "$lag"

# What one idle look costs the share: a reader waiting like the dashboard
# looks at the beacon once a second; the SFTP requests its sshfs client sends
# the server (its writes to the ssh connection, by strace) over IDLE_S
# seconds, after the first full look. One read of the kept beacon per look:
# at most IDLE_S + 2 requests (a look more or less at either end), where an
# open + read + close of the beacon sent 3-5 per look.
IDLE_S=6
if command -v strace >/dev/null 2>&1; then
    "$WATCH" --store "$S/c2/vis" --poll wait --ms 30000 >/dev/null 2>&1 &
    wp=$!
    sleep 3
    spid=$(pgrep -f "sshfs .*$S/c2( |\$)" | head -1)
    if [ -n "$spid" ]; then
        timeout -s INT "$IDLE_S" strace -f -y -e trace=write,writev,sendmsg -p "$spid" -o "$w/sftp.trace" 2>/dev/null
        rq=$(grep -v /dev/fuse "$w/sftp.trace" | grep -c 'socket:\|pipe:')
        echo "idle reader on a default sshfs mount: $rq SFTP requests in $IDLE_S s (looks once a second)"
        [ "$rq" -ge 1 ] && [ "$rq" -le $((IDLE_S + 2)) ] && pass one-request-per-look ||
            fail one-request-per-look "$rq SFTP requests in $IDLE_S s: $(grep -v /dev/fuse "$w/sftp.trace" | head -c 300)"
    else
        skip one-request-per-look "sshfs client of $S/c2 not found"
    fi
    kill "$wp" 2>/dev/null; wait "$wp" 2>/dev/null; wp=""
else
    skip one-request-per-look "strace missing"
fi
t_exit

#!/usr/bin/env bash
# test_failures.sh — failure modes that need real mounts (root): a read-only
# share, and a full disk under the local database and under the share. (The
# other failure modes — unreachable share, bad/foreign/newer shards, deleted
# local database, client id claimed twice, injected publish failure — are in
# tests/unit/test_store.c.) Each checks the message and that nothing saved is
# lost.
. "$(dirname "$0")/../lib.sh"
STRESS=${BUILD:-$ROOT/build}/tools/cb_stress
if [ ! -x "$STRESS" ]; then skip failures "cb_stress not built"; exit 0; fi
if [ "$(id -u)" != 0 ]; then skip failures "not root (needs mount for a read-only share and a tiny tmpfs)"; exit 0; fi
mounts=()
cleanup() { for m in "${mounts[@]}"; do umount "$m" 2>/dev/null || umount -l "$m"; done; rm -rf "$TMP"; }
trap cleanup EXIT
apply() { "$STRESS" apply --store "$1" --local "$2" --client "$3" --n "$4" --seed "$5"; }
verify() { # NAME STORE ACKS...
    local name=$1 store=$2; shift 2
    "$STRESS" dump --store "$store" >"$TMP/dump" 2>/dev/null
    if /usr/bin/python3 "$ROOT/tests/store/verify_history.py" "$TMP/dump" "$@" >"$TMP/verify"; then
        pass "$name"; else fail "$name" "$(head -3 "$TMP/verify")"; fi
}

# --- a read-only share: changes refused with a message saying so; reads work.
mkdir -p "$TMP/rw" "$TMP/ro"
apply "$TMP/rw/store" "$TMP/l1" writer 20 1 >"$TMP/ack.ro" 2>/dev/null
mount --bind "$TMP/rw" "$TMP/ro" && mount -o remount,ro,bind "$TMP/ro" && mounts+=("$TMP/ro")
apply "$TMP/ro/store" "$TMP/l2" visitor 1 2 >"$TMP/out" 2>"$TMP/err"
rc=$?
[ "$rc" = 1 ] && grep -q "refused: store .* is read-only" "$TMP/err" && pass read-only-refused-with-message ||
    fail read-only-refused-with-message "exit $rc: $(head -c 300 "$TMP/err")"
verify read-only-still-reads "$TMP/ro/store" "$TMP/ack.ro"

# --- the local disk full: the change fails clearly, nothing half-written.
mkdir -p "$TMP/small"
mount -t tmpfs -o size=512k tmpfs "$TMP/small" && mounts+=("$TMP/small")
apply "$TMP/share1" "$TMP/small/local" full 20 3 >"$TMP/ack.full" 2>/dev/null
# a session already open when the disk fills up
"$STRESS" apply --store "$TMP/share1" --local "$TMP/small/local" --client full --n 100 \
    --seed 4 --sleep-us 20000 >"$TMP/ack.full2" 2>"$TMP/err" &
pid=$!
sleep 0.5
dd if=/dev/zero of="$TMP/small/filler" bs=4k 2>/dev/null
wait "$pid"
grep -q "cannot save the change.*full" "$TMP/err" && pass local-disk-full-message ||
    fail local-disk-full-message "$(head -c 300 "$TMP/err")"
echo "local disk full: $(grep -c '^ACK' "$TMP/ack.full2") of 100 acknowledged, $(grep -c 'cannot save' "$TMP/err") refused"
# a session started on the full disk (fill what the last one freed on exit)
dd if=/dev/zero of="$TMP/small/filler2" bs=1k 2>/dev/null
apply "$TMP/share1" "$TMP/small/local" full 5 9 >/dev/null 2>"$TMP/err"
grep -q "cannot open the local database.*disk full" "$TMP/err" && pass local-disk-full-at-start-message ||
    fail local-disk-full-at-start-message "$(head -c 300 "$TMP/err")"
cat "$TMP/ack.full2" >>"$TMP/ack.full"
verify local-disk-full-nothing-acked-lost "$TMP/share1" "$TMP/ack.full"
rm -f "$TMP/small/filler" "$TMP/small/filler2"
apply "$TMP/share1" "$TMP/small/local" full 5 5 >>"$TMP/ack.full" 2>"$TMP/err" &&
    pass local-disk-freed-works-again || fail local-disk-freed-works-again "$(head -c 300 "$TMP/err")"
verify local-disk-freed-all-there "$TMP/share1" "$TMP/ack.full"

# --- the share full: the change is kept locally (acknowledged), the previous
# shard stays intact, and it is published once there is room.
mkdir -p "$TMP/tiny"
mount -t tmpfs -o size=256k tmpfs "$TMP/tiny" && mounts+=("$TMP/tiny")
apply "$TMP/tiny/store" "$TMP/l3" sfull 10 6 >"$TMP/ack.sfull" 2>/dev/null
cp "$TMP/tiny/store/shards/sfull.db" "$TMP/before.db"
dd if=/dev/zero of="$TMP/tiny/filler" bs=4k 2>/dev/null
apply "$TMP/tiny/store" "$TMP/l3" sfull 5 7 >"$TMP/ack.sfull2" 2>"$TMP/err"
rc=$?
[ "$rc" = 0 ] && grep -q "state pending: not yet published.*No space left" "$TMP/err" &&
    pass share-full-pending-message || fail share-full-pending-message "exit $rc: $(head -c 300 "$TMP/err")"
cmp -s "$TMP/before.db" "$TMP/tiny/store/shards/sfull.db" && pass share-full-previous-shard-intact ||
    fail share-full-previous-shard-intact "the shard changed"
left=$(find "$TMP/tiny/store/shards" -name '.*tmp*' | wc -l)
[ "$left" = 0 ] && pass share-full-no-temp-left || fail share-full-no-temp-left "$left temp files"
rm -f "$TMP/tiny/filler"
apply "$TMP/tiny/store" "$TMP/l3" sfull 0 8 2>"$TMP/err"
cat "$TMP/ack.sfull2" >>"$TMP/ack.sfull"
verify share-freed-everything-published "$TMP/tiny/store" "$TMP/ack.sfull"
t_exit

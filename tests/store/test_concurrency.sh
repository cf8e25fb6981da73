#!/usr/bin/env bash
# test_concurrency.sh — 8 processes x 250 random changes on one store directory
# at once (each its own client id, watching the others). Every acknowledged
# change must be in the merged history, and the current values must equal a
# sequential replay of that history.
. "$(dirname "$0")/../lib.sh"
STRESS=${BUILD:-$ROOT/build}/tools/cb_stress
PROCS=${PROCS:-8} N=${N:-250}
if [ ! -x "$STRESS" ]; then skip concurrency "cb_stress not built"; exit 0; fi

pids=()
for i in $(seq 1 "$PROCS"); do
    "$STRESS" apply --store "$TMP/store" --local "$TMP/local" --client "c$i" --member "m$i" \
        --n "$N" --seed "$i" --watch >"$TMP/ack.$i" 2>"$TMP/err.$i" &
    pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
acks=$(cat "$TMP"/ack.* | grep -c '^ACK')
echo "concurrency: $PROCS processes x $N changes: $acks acknowledged, $failed processes failed"
[ "$failed" = 0 ] && pass processes-succeeded || fail processes-succeeded "$(cat "$TMP"/err.* | head -5)"
[ "$acks" = $((PROCS * N)) ] && pass all-acknowledged || fail all-acknowledged "$acks of $((PROCS * N))"

"$STRESS" dump --store "$TMP/store" >"$TMP/dump" 2>"$TMP/dump.err"
/usr/bin/python3 "$ROOT/tests/store/verify_history.py" "$TMP/dump" "$TMP"/ack.* >"$TMP/verify"
rc=$?
cat "$TMP/verify"
[ "$rc" = 0 ] && pass acked-in-history-and-replay-equal || fail acked-in-history-and-replay-equal "$(tail -3 "$TMP/verify")"
grep -q "BAD 0" "$TMP/dump" && pass no-bad-shards || fail no-bad-shards "$(grep SHARDS "$TMP/dump")"
# Watching clients saw each other: the SEEN lines of the last client.
seen=$(grep -c '^SEEN' "$TMP/ack.$PROCS")
echo "concurrency: client c$PROCS saw $seen changes of the others while running"
t_exit

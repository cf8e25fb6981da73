#!/usr/bin/env bash
# test_crash.sh — kill -9 at random moments while a client makes 200+ changes;
# every acknowledged change survives (in the merged history, once the client
# has run again), and a reader looping over the shards meanwhile never reads a
# torn or invalid shard.
. "$(dirname "$0")/../lib.sh"
STRESS=${BUILD:-$ROOT/build}/tools/cb_stress
WANT=${WANT:-200}
if [ ! -x "$STRESS" ]; then skip crash "cb_stress not built"; exit 0; fi

"$STRESS" readloop --store "$TMP/store" --ms 120000 >"$TMP/readloop" 2>"$TMP/readloop.err" &
reader=$!
trap 'kill "$reader" 2>/dev/null; rm -rf "$TMP"' EXIT
# A second client keeps changing too, so kills also hit while others publish.
"$STRESS" apply --store "$TMP/store" --local "$TMP/local" --client other --n 300 \
    --sleep-us 2000 >"$TMP/ack.other" 2>"$TMP/err.other" &
other=$!
kills=0 runs=0
for run in $(seq 1 200); do
    acked=$(grep -c '^ACK' "$TMP/ack.victim" 2>/dev/null)
    [ "${acked:-0}" -ge "$WANT" ] && break
    "$STRESS" apply --store "$TMP/store" --local "$TMP/local" --client victim --n 1000 \
        --seed "$run" >>"$TMP/ack.victim" 2>>"$TMP/err.victim" &
    pid=$!
    runs=$((runs + 1))
    sleep "0.0$((RANDOM % 9 + 1))"
    kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
    wait "$pid" 2>/dev/null
done
wait "$other"
# The victim runs once more (no change): opening publishes what it had
# acknowledged but not yet published when it was killed.
"$STRESS" apply --store "$TMP/store" --local "$TMP/local" --client victim --n 0 2>>"$TMP/err.victim"
kill "$reader" 2>/dev/null; wait "$reader" 2>/dev/null

# A line cut by the kill is not an acknowledgement: keep complete lines only.
awk 'NF == 6' "$TMP/ack.victim" >"$TMP/ack.victim.ok"
acked=$(grep -c '^ACK' "$TMP/ack.victim.ok")
echo "crash: $runs runs, $kills killed with SIGKILL, $acked changes acknowledged by the victim"
[ "$acked" -ge "$WANT" ] && pass enough-changes || fail enough-changes "only $acked acknowledged"
"$STRESS" dump --store "$TMP/store" >"$TMP/dump" 2>"$TMP/dump.err"
/usr/bin/python3 "$ROOT/tests/store/verify_history.py" "$TMP/dump" "$TMP/ack.victim.ok" "$TMP/ack.other" >"$TMP/verify"
rc=$?
cat "$TMP/verify"
[ "$rc" = 0 ] && pass acknowledged-changes-survive || fail acknowledged-changes-survive "$(head -3 "$TMP/verify")"
cat "$TMP/readloop"
invalid=$(awk '/^READS/ {print $4}' "$TMP/readloop")
[ "${invalid:-x}" = 0 ] && pass reader-never-sees-a-torn-shard || fail reader-never-sees-a-torn-shard "$(head -3 "$TMP/readloop.err")"
left=$(find "$TMP/store/shards" -name '.victim.db.tmp-*' | wc -l)
echo "crash: temp files left by killed publishes after the next start: $left"
[ "$left" = 0 ] && pass stale-temp-files-cleaned || fail stale-temp-files-cleaned "$left left"
t_exit

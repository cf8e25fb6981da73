#!/usr/bin/env bash
# test_pg_crash.sh — clients on a PostgreSQL server killed with SIGKILL at
# random moments, and the server itself stopped with `pg_ctl stop -m immediate`
# and started again in the middle of the run: every acknowledged change is on
# the server in the end, once each; clients that were "pending" while it was
# away publish when it is back.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/store/pg_env.sh"
STRESS=${BUILD:-$ROOT/build}/tools/cb_stress
WANT=${WANT:-150}
if [ ! -x "$STRESS" ]; then skip pg-crash "cb_stress not built"; exit 0; fi
pg_start || exit 0

# A second client keeps changing too, so kills also hit while others publish.
"$STRESS" apply --store "$PG_URI" --local "$TMP/local" --client other --n 300 \
    --sleep-us 3000 >"$TMP/ack.other" 2>"$TMP/err.other" &
other=$!
kills=0 runs=0 down_at=0 up_at=0
for run in $(seq 1 200); do
    acked=$(grep -c '^ACK' "$TMP/ack.victim" 2>/dev/null)
    [ "${acked:-0}" -ge "$WANT" ] && [ "$run" -gt 12 ] && break
    # The server crashes at the 5th run and is back at the 9th; in between,
    # the victim acknowledges changes locally ("pending").
    if [ "$run" = 5 ]; then
        pg_stop_immediate && down_at=${acked:-0}
    elif [ "$run" = 9 ]; then
        pg_restart && up_at=${acked:-0}
    fi
    "$STRESS" apply --store "$PG_URI" --local "$TMP/local" --client victim --n 1000 \
        --seed "$run" --sleep-us 1000 >>"$TMP/ack.victim" 2>>"$TMP/err.victim" &
    pid=$!
    runs=$((runs + 1))
    sleep "$(printf "0.%03d" $((RANDOM % 200 + 30)))" # 30-229 ms: some runs end mid-open
    kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
    wait "$pid" 2>/dev/null
done
[ "$up_at" = 0 ] && pg_restart
wait "$other"
echo "pg-crash: server stopped (immediate) after $down_at and back after $up_at victim changes"
[ "$down_at" != 0 ] && [ "$up_at" != 0 ] && pass server-restarted-mid-run || fail server-restarted-mid-run "down $down_at up $up_at"
grep -q 'unreachable' "$TMP/err.victim" && pass victim-saw-server-away || fail victim-saw-server-away "$(tail -n 2 "$TMP/err.victim")"
# The runs after the restart published what the victim acknowledged while
# the server was away (each run publishes its pending changes on opening).
on_server=$(pg_sql "SELECT count(*) FROM certboard.events WHERE client = 'victim'")
echo "pg-crash: $on_server victim changes on the server before the last runs"
[ "${on_server:-0}" -ge "$up_at" ] && pass pending-published-when-back || fail pending-published-when-back "$on_server on the server, $up_at acknowledged by the restart"
# Both clients run once more (no change): opening publishes what they had
# acknowledged but not yet published (killed, or pending while it was away).
"$STRESS" apply --store "$PG_URI" --local "$TMP/local" --client victim --n 0 2>>"$TMP/err.victim"
"$STRESS" apply --store "$PG_URI" --local "$TMP/local" --client other --n 0 2>>"$TMP/err.other"

# A line cut by the kill is not an acknowledgement: keep complete lines only.
awk 'NF == 6' "$TMP/ack.victim" >"$TMP/ack.victim.ok"
acked=$(grep -c '^ACK' "$TMP/ack.victim.ok")
echo "pg-crash: $runs runs, $kills killed with SIGKILL, $acked changes acknowledged by the victim"
[ "$acked" -ge "$WANT" ] && pass enough-changes || fail enough-changes "only $acked acknowledged"
"$STRESS" dump --store "$PG_URI" >"$TMP/dump" 2>"$TMP/dump.err"
/usr/bin/python3 "$ROOT/tests/store/verify_history.py" "$TMP/dump" "$TMP/ack.victim.ok" "$TMP/ack.other" >"$TMP/verify"
rc=$?
cat "$TMP/verify"
[ "$rc" = 0 ] && pass acknowledged-changes-survive || fail acknowledged-changes-survive "$(head -3 "$TMP/verify")"
t_exit

#!/usr/bin/env bash
# test_pg_concurrency.sh — the share's concurrency test against a PostgreSQL
# server (tests/store/pg_env.sh): 8 processes x 250 random changes at once,
# each its own client id, watching the others. Every acknowledged change must
# be in the merged history once, and the current values must equal a
# sequential replay of that history.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/store/pg_env.sh"
STRESS=${BUILD:-$ROOT/build}/tools/cb_stress
PROCS=${PROCS:-8} N=${N:-250}
if [ ! -x "$STRESS" ]; then skip pg-concurrency "cb_stress not built"; exit 0; fi
pg_start || exit 0

pids=()
for i in $(seq 1 "$PROCS"); do
    "$STRESS" apply --store "$PG_URI" --local "$TMP/local" --client "c$i" --member "m$i" \
        --n "$N" --seed "$i" --watch >"$TMP/ack.$i" 2>"$TMP/err.$i" &
    pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
acks=$(cat "$TMP"/ack.* | grep -c '^ACK')
echo "pg-concurrency: $PROCS processes x $N changes: $acks acknowledged, $failed processes failed"
[ "$failed" = 0 ] && pass processes-succeeded || fail processes-succeeded "$(cat "$TMP"/err.* | head -5)"
[ "$acks" = $((PROCS * N)) ] && pass all-acknowledged || fail all-acknowledged "$acks of $((PROCS * N))"

"$STRESS" dump --store "$PG_URI" >"$TMP/dump" 2>"$TMP/dump.err"
/usr/bin/python3 "$ROOT/tests/store/verify_history.py" "$TMP/dump" "$TMP"/ack.* >"$TMP/verify"
rc=$?
cat "$TMP/verify"
[ "$rc" = 0 ] && pass acked-in-history-and-replay-equal || fail acked-in-history-and-replay-equal "$(tail -3 "$TMP/verify")"
rows=$(pg_sql "SELECT count(*) FROM certboard.events WHERE plan = 'stress'")
[ "$rows" = $((PROCS * N)) ] && pass server-rows-once || fail server-rows-once "$rows rows for $((PROCS * N)) changes"
seen=$(grep -c '^SEEN' "$TMP/ack.$PROCS")
echo "pg-concurrency: client c$PROCS saw $seen changes of the others while running"
[ "$seen" -gt 0 ] && pass watchers-see-others || fail watchers-see-others "c$PROCS saw nothing"
t_exit

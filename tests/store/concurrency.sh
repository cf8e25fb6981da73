# tests/store/concurrency.sh — the concurrency run shared by the share's and
# the server's tests; source it after tests/lib.sh.
#   concurrency_run STORE   PROCS (8) processes x N (250) random changes on
#                           STORE at once, each its own client id, watching the
#                           others. Every acknowledged change must be in the
#                           merged history, and the current values must equal a
#                           sequential replay of that history. Leaves the
#                           reader's dump in $TMP/dump.
STRESS=${BUILD:-$ROOT/build}/tools/cb_stress
PROCS=${PROCS:-8} N=${N:-250}

concurrency_run() {
    local store=$1 pids=() i p failed=0 acks rc seen
    for i in $(seq 1 "$PROCS"); do
        "$STRESS" apply --store "$store" --local "$TMP/local" --client "c$i" --member "m$i" \
            --n "$N" --seed "$i" --watch >"$TMP/ack.$i" 2>"$TMP/err.$i" &
        pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
    acks=$(cat "$TMP"/ack.* | grep -c '^ACK')
    echo "$t_name: $PROCS processes x $N changes: $acks acknowledged, $failed processes failed"
    [ "$failed" = 0 ] && pass processes-succeeded || fail processes-succeeded "$(cat "$TMP"/err.* | head -5)"
    [ "$acks" = $((PROCS * N)) ] && pass all-acknowledged || fail all-acknowledged "$acks of $((PROCS * N))"

    "$STRESS" dump --store "$store" >"$TMP/dump" 2>"$TMP/dump.err"
    /usr/bin/python3 "$ROOT/tests/store/verify_history.py" "$TMP/dump" "$TMP"/ack.* >"$TMP/verify"
    rc=$?
    cat "$TMP/verify"
    [ "$rc" = 0 ] && pass acked-in-history-and-replay-equal || fail acked-in-history-and-replay-equal "$(tail -3 "$TMP/verify")"
    # Watching clients saw each other: the SEEN lines of the last client.
    seen=$(grep -c '^SEEN' "$TMP/ack.$PROCS")
    echo "$t_name: client c$PROCS saw $seen changes of the others while running"
}

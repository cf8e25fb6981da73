#!/usr/bin/env bash
# test_pg_live.sh — a dashboard on a PostgreSQL store (tests/store/pg_env.sh)
# in a real terminal (tmux): another member's tick, made from the command
# line, shows in under 500 ms with no key pressed (the server's notification
# wakes it), and a dashboard left idle sends no statement to the server while
# nothing changes (counted in the server's statement log).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.sh"
. "$ROOT/tests/store/pg_env.sh"
tm_require
pg_start || exit 0
PLAN=$ROOT/plans/de-professional.yaml
G="--plan $PLAN --today 2026-09-21"
export XDG_DATA_HOME=$TMP/data
ms() { date +%s%3N; }
# Statements the dashboard's connection sent (its application name is
# "certboard"), as the server logged them.
dashboard_statements() { grep -c '^certboard|.*statement: ' "$PG_DIR/log"; }

tm_start 120 40 "$CB $G --store '$PG_URI' --as exp1"
if wait_for "Changes since the last stand-up (2026-09-14): 0" 100 && wait_for "shared" 1; then
    pass dashboard-on-server
else
    fail dashboard-on-server "$(head -5 "$TMP/screen")"
    t_exit; exit
fi
item=$(CERTBOARD_MEMBER=nov1 "$CB" $G ids items | head -n 1)
# A member's tick from another process; the clock starts when it is
# acknowledged (the command returns).
"$CB" --plan "$PLAN" --store "$PG_URI" --as nov1 tick "$item" >"$TMP/tick.out" 2>&1 ||
    fail tick-acknowledged "$(cat "$TMP/tick.out")"
t0=$(ms) seen=""
for _ in $(seq 1 300); do
    screen >"$TMP/screen" 2>/dev/null
    if grep -qF "Changes since the last stand-up (2026-09-14): 1" "$TMP/screen"; then
        seen=$(($(ms) - t0))
        break
    fi
    sleep 0.01
done
echo "pg-live: another member's tick on screen ${seen:-never} ms after its acknowledgement"
[ -n "$seen" ] && [ "$seen" -lt 500 ] && pass live-update-under-500ms || fail live-update-under-500ms "${seen:-not within 3 s} ms"

# Idle: nothing changes for 3 s; the dashboard keeps its connection and
# sends nothing (a notification would arrive by itself).
sleep 0.5
before=$(dashboard_statements)
sleep 3
after=$(dashboard_statements)
echo "pg-live: statements sent by the idle dashboard in 3 s: $((after - before)) (before: $before)"
[ "$before" -gt 0 ] && [ "$after" = "$before" ] && pass idle-sends-nothing || fail idle-sends-nothing "$before -> $after"
# The server crashes and comes back: the dashboard says it works locally,
# reconnects by itself and shows the next tick again without a key.
pg_stop_immediate
wait_for "local only" 50 && pass server-away-shown || fail server-away-shown "$(head -n 1 "$TMP/screen")"
pg_restart
item2=$(CERTBOARD_MEMBER=nov1 "$CB" $G ids items | sed -n 2p)
"$CB" --plan "$PLAN" --store "$PG_URI" --as nov1 tick "$item2" >"$TMP/tick.out" 2>&1 ||
    fail tick-after-restart "$(cat "$TMP/tick.out")"
wait_for "Changes since the last stand-up (2026-09-14): 2" 60 && wait_for "shared" 1 &&
    pass reconnects-after-server-restart || fail reconnects-after-server-restart "$(grep -e "Changes since" -e "│" "$TMP/screen" | head -n 2)"
tm send-keys q
wait_for "CB-EXIT=0" 50 && pass quits || fail quits "$(tail -3 "$TMP/screen")"
t_exit

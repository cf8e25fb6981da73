#!/usr/bin/env bash
# test_pg_concurrency.sh — the share's concurrency test (tests/store/
# concurrency.sh) against a PostgreSQL server (tests/store/pg_env.sh): 8
# processes x 250 random changes at once, each its own client id, watching the
# others. Every acknowledged change is in the merged history once, the current
# values equal a sequential replay, and the server holds each change once.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/store/pg_env.sh"
. "$ROOT/tests/store/concurrency.sh"
if [ ! -x "$STRESS" ]; then skip pg-concurrency "cb_stress not built"; exit 0; fi
pg_start || exit 0

concurrency_run "$PG_URI"
rows=$(pg_sql "SELECT count(*) FROM certboard.events WHERE plan = 'stress'")
[ "$rows" = $((PROCS * N)) ] && pass server-rows-once || fail server-rows-once "$rows rows for $((PROCS * N)) changes"
seen=$(grep -c '^SEEN' "$TMP/ack.$PROCS")
[ "$seen" -gt 0 ] && pass watchers-see-others || fail watchers-see-others "c$PROCS saw nothing"
t_exit

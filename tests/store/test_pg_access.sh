#!/usr/bin/env bash
# test_pg_access.sh — a team on a PostgreSQL server (tests/store/pg_env.sh):
#   - `db init` prints the setup SQL; `--apply` runs it (roles, grants, policies);
#   - row-level security: a member connecting as themself cannot tick another
#     member's item, set a milestone, or update or delete an event, whatever
#     --as says (the server refuses, the message says so, nothing is saved);
#     the lead can;
#   - a URI holding a password is refused, naming ~/.pgpass and PGPASSWORD;
#   - `db import` of a share store gives the same `export --format json`
#     (state and history) as the share, and `db export` writes it back.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/store/pg_env.sh"
pg_start || exit 0
PLAN=$ROOT/plans/de-professional.yaml
export XDG_DATA_HOME=$TMP/data
as() { local role=$1 member=$2; shift 2; "$CB" --plan "$PLAN" --store "$(pg_uri "$role")" --as "$member" "$@"; }
item_of() { CERTBOARD_MEMBER=$1 "$CB" --plan "$PLAN" ids items | head -n 1; }
ms=$("$CB" --plan "$PLAN" ids milestones | head -n 1)

# --- db init --------------------------------------------------------------
"$CB" --plan "$PLAN" db init >"$TMP/init.sql" 2>&1
grep -q 'CREATE POLICY events_insert' "$TMP/init.sql" && grep -q 'CREATE ROLE "nov1" LOGIN' "$TMP/init.sql" &&
    pass db-init-prints-sql || fail db-init-prints-sql "$(head -c 300 "$TMP/init.sql")"
expect_status db-init-apply 0 "$CB" --plan "$PLAN" --store "$PG_URI" db init --apply
lead=$(pg_sql "SELECT member FROM certboard.members WHERE lead")
[ "$lead" = exp1 ] && pass db-init-lead-role || fail db-init-lead-role "lead: '$lead'"

# --- a member as themself ---------------------------------------------------
expect_status member-ticks-own 0 as nov1 nov1 tick "$(item_of nov1)"
# Claiming to be the lead does not fool the server.
as nov1 exp1 tick "$(item_of nov2)" --member nov2 >"$TMP/out" 2>&1; rc=$?
if [ "$rc" = 1 ] && grep -q "refused by the server: role 'nov1'" "$TMP/out" && grep -q 'nothing saved' "$TMP/out"; then
    pass server-refuses-other-members-tick
else
    fail server-refuses-other-members-tick "exit $rc: $(cat "$TMP/out")"
fi
as nov1 exp1 milestone "$ms" done >"$TMP/out" 2>&1; rc=$?
[ "$rc" = 1 ] && grep -q "refused by the server: role 'nov1' may not change ms/" "$TMP/out" &&
    pass server-refuses-member-milestone || fail server-refuses-member-milestone "exit $rc: $(cat "$TMP/out")"
n=$(pg_sql "SELECT count(*) FROM certboard.events")
[ "$n" = 1 ] && pass refused-changes-not-on-server || fail refused-changes-not-on-server "$n events"
# Straight to the server, past certboard: history cannot be rewritten.
pg_sql -U nov1 "DELETE FROM certboard.events" >"$TMP/out" 2>&1
grep -q 'permission denied' "$TMP/out" && pass member-cannot-delete || fail member-cannot-delete "$(cat "$TMP/out")"
pg_sql -U nov1 "UPDATE certboard.events SET value = ''" >"$TMP/out" 2>&1
grep -q 'permission denied' "$TMP/out" && pass member-cannot-update || fail member-cannot-update "$(cat "$TMP/out")"
pg_sql -U nov1 "INSERT INTO certboard.events (plan, client, seq, hlc, wall_ms, member, os_user, host, key, value)
    VALUES ('de-professional', 'forged', 1, 1, 1, 'nov2', 'x', 'x', 'tick/a/nov2', '1')" >"$TMP/out" 2>&1
grep -q 'violates row-level security' "$TMP/out" && pass member-cannot-forge || fail member-cannot-forge "$(cat "$TMP/out")"
pg_sql -U exp1 "DELETE FROM certboard.events" >"$TMP/out" 2>&1
grep -q 'permission denied' "$TMP/out" && pass lead-cannot-delete || fail lead-cannot-delete "$(cat "$TMP/out")"

# --- the lead ---------------------------------------------------------------
expect_status lead-ticks-for-member 0 as exp1 exp1 tick "$(item_of nov2)" --member nov2
expect_status lead-sets-milestone 0 as exp1 exp1 milestone "$ms" at-risk --note "late"
n=$(pg_sql "SELECT count(*) FROM certboard.events")
[ "$n" = 3 ] && pass lead-changes-on-server || fail lead-changes-on-server "$n events"

# --- no password on the command line ----------------------------------------
"$CB" --plan "$PLAN" --store "postgresql://nov1:secret@localhost/x" --as nov1 tick a >"$TMP/out" 2>&1
grep -q 'pgpass' "$TMP/out" && grep -q PGPASSWORD "$TMP/out" && pass password-in-uri-refused ||
    fail password-in-uri-refused "$(cat "$TMP/out")"

# --- moving a team: share -> server -> share ---------------------------------
pg_sql "CREATE DATABASE moved" >/dev/null
MOVED="postgresql:///moved?host=$PG_SOCK&user=cbadmin"
SHARE=$TMP/share
sh_as() { local m=$1; shift; CERTBOARD_CLIENT=$m-laptop "$CB" --plan "$PLAN" --store "$SHARE" --as "$m" "$@"; }
sh_as nov1 tick "$(item_of nov1)" >/dev/null && sh_as nov2 tick "$(item_of nov2)" >/dev/null &&
    sh_as nov2 block "$(CERTBOARD_MEMBER=nov2 "$CB" --plan "$PLAN" ids items | sed -n 2p)" --note "no access" >/dev/null &&
    sh_as exp1 milestone "$ms" on-track --note "fine" >/dev/null && sh_as nov1 undo >/dev/null &&
    sh_as nov1 tick "$(item_of nov1)" >/dev/null || fail share-history "could not make it"
# Exports compared without their "store" part (where it was read from).
state_history() { /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); d.pop("store"); print(json.dumps(d, indent=1, sort_keys=True))'; }
exp() { CERTBOARD_CLIENT=reader "$CB" --plan "$PLAN" --store "$1" --as exp1 export --format json; }
exp "$SHARE" | state_history >"$TMP/share.json"
grep -q '"no access"' "$TMP/share.json" && pass share-export-has-history || fail share-export-has-history "$(head -c 300 "$TMP/share.json")"
"$CB" --plan "$PLAN" --store "$MOVED" db import "$SHARE" >"$TMP/import.out" 2>&1 &&
    grep -q 'imported 6 changes of 3 clients' "$TMP/import.out" && pass db-import || fail db-import "$(cat "$TMP/import.out")"
"$CB" --plan "$PLAN" --store "$MOVED" db import "$SHARE" >/dev/null 2>&1
n=$(pg_sql "SELECT count(*) FROM certboard.events" | head -n 1)
exp "$MOVED" | state_history >"$TMP/server.json"
same import-gives-same-export "$TMP/share.json" "$TMP/server.json"
psql -X -q -A -t -h "$PG_SOCK" -U cbadmin -d moved -c "SELECT count(*) FROM certboard.events" >"$TMP/n"
[ "$(cat "$TMP/n")" = 6 ] && pass import-twice-harmless || fail import-twice-harmless "$(cat "$TMP/n") rows"
"$CB" --plan "$PLAN" --store "$MOVED" db export "$TMP/back" >"$TMP/export.out" 2>&1 ||
    fail db-export "$(cat "$TMP/export.out")"
exp "$TMP/back" | state_history >"$TMP/back.json"
same export-back-gives-same-export "$TMP/share.json" "$TMP/back.json"
t_exit

# tests/store/pg_env.sh — a throwaway PostgreSQL cluster for one test script.
# Source it after tests/lib.sh, then:
#   pg_start || exit 0   initdb + start in a temp dir, listening on a Unix socket
#                        there only (no TCP); prints "SKIP: ..." and returns 1
#                        when the server binaries are missing (scripts/deps.sh
#                        test installs them). Sets:
#     PG_URI             the store setting for the cluster's superuser
#     PG_SOCK            the socket directory
#   pg_uri ROLE          the store setting for ROLE
#   pg_sql [-U ROLE] SQL runs SQL with psql (unaligned, tuples only)
#   pg_stop_immediate    pg_ctl stop -m immediate (a crash, as far as clients see)
#   pg_restart           starts it again after pg_stop_immediate
# The server stops (pg_ctl, then its PID) when the script exits. initdb
# refuses to run as root: as root the cluster belongs to "nobody". initdb runs
# once per build directory: later clusters are copies of its template.
PG_BIN=$(pg_config --bindir 2>/dev/null)
[ -x "${PG_BIN:-}/initdb" ] || PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
PG_DIR="" PG_SOCK="" PG_URI=""

as_pg() {
    if [ "$(id -u)" = 0 ]; then
        setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups -- "$@"
    else
        "$@"
    fi
}

pg_cleanup() {
    [ -n "$PG_DIR" ] || return 0
    if [ -f "$PG_DIR/data/postmaster.pid" ]; then
        local pid
        pid=$(head -n 1 "$PG_DIR/data/postmaster.pid")
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" stop -m immediate -w -t 10 >/dev/null 2>&1 ||
            kill -9 "$pid" 2>/dev/null
    fi
    rm -rf "$PG_DIR"
}

pg_server_up() {
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 30 \
        -o "-c listen_addresses='' -c unix_socket_directories='$PG_SOCK' -c fsync=off -c log_statement=all -c log_line_prefix='%a|'" \
        start >"$PG_DIR/ctl.out" 2>&1
}

pg_start() {
    if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ] || ! command -v psql >/dev/null 2>&1; then
        skip postgresql "no PostgreSQL server binaries (sh scripts/deps.sh test installs postgresql)"
        return 1
    fi
    PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/cbpg.XXXXXX")
    trap 'pg_cleanup; declare -F tm_kill_all >/dev/null && tm_kill_all; rm -rf "$TMP"' EXIT
    PG_SOCK=$PG_DIR/sock
    mkdir -p "$PG_SOCK"
    [ "$(id -u)" = 0 ] && chown -R nobody "$PG_DIR"
    # initdb once per build directory and server version (most of a start's
    # time); each script's cluster is a copy of that template.
    local tmpl
    tmpl=${BUILD:-$ROOT/build}/pg-template-$(basename "$(dirname "$PG_BIN")")-$(id -u)
    if [ -f "$tmpl/PG_VERSION" ]; then
        cp -a "$tmpl" "$PG_DIR/data"
    elif as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U cbadmin --auth=trust -E UTF8 --no-sync --wal-segsize=1 \
        --no-locale >"$PG_DIR/initdb.out" 2>&1; then
        mkdir -p "$(dirname "$tmpl")" && cp -a "$PG_DIR/data" "$tmpl.$$" &&
            { mv -T "$tmpl.$$" "$tmpl" 2>/dev/null || rm -rf "$tmpl.$$"; }
    else
        fail postgresql-initdb "$(tail -n 3 "$PG_DIR/initdb.out")"
        return 1
    fi
    if ! pg_server_up; then
        fail postgresql-start "$(tail -n 5 "$PG_DIR/ctl.out" "$PG_DIR/log" 2>/dev/null)"
        return 1
    fi
    PG_URI=$(pg_uri cbadmin)
    return 0
}

pg_uri() { echo "postgresql:///postgres?host=$PG_SOCK&user=$1"; }

pg_sql() {
    local user=cbadmin
    if [ "$1" = -U ]; then user=$2; shift 2; fi
    psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$PG_SOCK" -U "$user" -d postgres -c "$1"
}

pg_stop_immediate() { as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" stop -m immediate -w -t 30 >/dev/null 2>&1; }
pg_restart() { pg_server_up; }

/* store_pg.c — the store's PostgreSQL transport: publish my events to a
 * server, fetch everyone else's, and be told when they change (see
 * store_pg.h; the setup and the access rules: docs/server.md).
 *
 * The client stays what it is on a share (store.c): its local SQLite database
 * is the acknowledgement, the merge is store_merge.c's. Only the transport
 * differs: one table of events keyed by (plan, client, seq), so replaying a
 * publish is harmless (INSERT ... ON CONFLICT DO NOTHING); a server-side
 * sequence (id) so a fetch brings only what is new; LISTEN/NOTIFY so an
 * open dashboard hears of a change without asking.
 *
 * Writers of one plan take a transaction-scoped advisory lock before they
 * insert, so ids commit in increasing order: a reader that has every id up
 * to N never misses a later commit of a smaller one.
 *
 * Ownership: a store_pg owns its connection, its strings and one reference on
 * each peer's shard_events (which snapshots may retain past it). */
#include "store_pg.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "certboard/keys.h"

/* libpq is loaded when a store is on a server, not at every start: linked
 * in, its dependencies (TLS, Kerberos, LDAP) cost every command of a share
 * user tens of milliseconds. The calls below go through these pointers. */
#define PQ_FUNCS(X)                                                                            \
    X(PQclear)                                                                                 \
    X(PQconnectdbParams)                                                                       \
    X(PQconninfoFree)                                                                          \
    X(PQconninfoParse)                                                                         \
    X(PQconsumeInput)                                                                          \
    X(PQerrorMessage)                                                                          \
    X(PQexec)                                                                                  \
    X(PQexecParams)                                                                            \
    X(PQfinish)                                                                                \
    X(PQfreemem)                                                                               \
    X(PQgetisnull)                                                                             \
    X(PQgetvalue)                                                                              \
    X(PQnotifies)                                                                              \
    X(PQntuples)                                                                               \
    X(PQresultErrorField)                                                                      \
    X(PQresultErrorMessage)                                                                    \
    X(PQresultStatus)                                                                          \
    X(PQsetnonblocking)                                                                        \
    X(PQsetNoticeProcessor)                                                                    \
    X(PQsocket)                                                                                \
    X(PQstatus)                                                                                \
    X(PQuser)
#define PQ_POINTER(f) static __typeof__(&f) p_##f;
PQ_FUNCS(PQ_POINTER)

/* 0 when libpq is loaded, else -1 with why in err. */
static int pq_load(char *err, size_t n)
{
    static int state; /* 0 not tried, 1 loaded, -1 missing */
    if (state == 0) {
        void *h = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
        state = h ? 1 : -1;
#define PQ_LOAD(f)                                                                             \
    if (h && !(p_##f = (__typeof__(p_##f))dlsym(h, #f)))                                       \
        state = -1;
        PQ_FUNCS(PQ_LOAD)
    }
    if (state > 0)
        return 0;
    snprintf(err, n,
             "the PostgreSQL client library (libpq.so.5) cannot be loaded: install "
             "libpq5 to use a store on a server");
    return -1;
}

#define PQclear p_PQclear
#define PQconnectdbParams p_PQconnectdbParams
#define PQconninfoFree p_PQconninfoFree
#define PQconninfoParse p_PQconninfoParse
#define PQconsumeInput p_PQconsumeInput
#define PQerrorMessage p_PQerrorMessage
#define PQexec p_PQexec
#define PQexecParams p_PQexecParams
#define PQfinish p_PQfinish
#define PQfreemem p_PQfreemem
#define PQgetisnull p_PQgetisnull
#define PQgetvalue p_PQgetvalue
#define PQnotifies p_PQnotifies
#define PQntuples p_PQntuples
#define PQresultErrorField p_PQresultErrorField
#define PQresultErrorMessage p_PQresultErrorMessage
#define PQresultStatus p_PQresultStatus
#define PQsetnonblocking p_PQsetnonblocking
#define PQsetNoticeProcessor p_PQsetNoticeProcessor
#define PQsocket p_PQsocket
#define PQstatus p_PQstatus
#define PQuser p_PQuser

#define PG_SCHEMA_VERSION 1
#define PG_CHANNEL "certboard"
/* 42501 insufficient_privilege: a policy's WITH CHECK or a missing grant. */
#define SQLSTATE_REFUSED "42501"

struct store_pg {
    PGconn *conn;
    char *uri, *plan, *client;
    int64_t last_id;       /* greatest server id fetched */
    int64_t published_seq; /* greatest seq of mine known to be on the server */
    shard_events *self;    /* my events as the server has them */
    shard_events **peers;  /* other clients' events, one reference each */
    int n_peers, cap_peers;
    uint64_t queries; /* statements sent (tests: an idle client sends none) */
    bool one_change;  /* opened for one change: pg_peek before any fetch */
};

bool pg_is_uri(const char *dir)
{
    return dir &&
           (strncmp(dir, "postgresql://", 13) == 0 || strncmp(dir, "postgres://", 11) == 0);
}

static void say(char *err, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(char *err, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
    /* libpq's messages end in a newline */
    size_t l = strlen(err);
    while (l && (err[l - 1] == '\n' || err[l - 1] == ' '))
        err[--l] = '\0';
}

int pg_check_uri(const char *uri, char *err, size_t n)
{
    if (pq_load(err, n) != 0)
        return -1;
    char *why = NULL;
    PQconninfoOption *opts = PQconninfoParse(uri, &why);
    if (!opts) {
        say(err, n, "invalid store URI '%s': %s", uri, why ? why : "out of memory");
        PQfreemem(why);
        return -1;
    }
    int rc = 0;
    for (PQconninfoOption *o = opts; o->keyword; o++)
        if (strcmp(o->keyword, "password") == 0 && o->val && *o->val) {
            say(err, n,
                "the store URI holds a password: refused (a command line and a config file "
                "are readable by others); put it in ~/.pgpass or PGPASSWORD");
            rc = -1;
        }
    PQconninfoFree(opts);
    return rc;
}

store_pg *pg_new(const char *uri, const char *plan, const char *client, bool one_change)
{
    store_pg *p = xcalloc(1, sizeof *p);
    p->uri = xstrdup(uri);
    p->plan = xstrdup(plan ? plan : "");
    p->client = xstrdup(client ? client : "");
    p->self = shev_new(p->client, p->plan);
    p->one_change = one_change;
    return p;
}

static void drop_conn(store_pg *p)
{
    if (p->conn) /* (libpq is loaded then) */
        PQfinish(p->conn);
    p->conn = NULL;
}

void pg_free(store_pg *p)
{
    if (!p)
        return;
    drop_conn(p);
    shev_release(p->self);
    for (int i = 0; i < p->n_peers; i++)
        shev_release(p->peers[i]);
    free(p->peers);
    free(p->uri);
    free(p->plan);
    free(p->client);
    free(p);
}

void pg_use_client(store_pg *p, const char *client)
{
    if (strcmp(p->client, client) == 0)
        return;
    free(p->client);
    p->client = xstrdup(client);
    shev_release(p->self);
    p->self = shev_new(p->client, p->plan);
    p->published_seq = 0;
}

bool pg_one_change(const store_pg *p)
{
    return p->one_change;
}

bool pg_connected(const store_pg *p)
{
    return p->conn && PQstatus(p->conn) == CONNECTION_OK;
}

int pg_socket(const store_pg *p)
{
    return pg_connected(p) ? PQsocket(p->conn) : -1;
}

int64_t pg_published_seq(const store_pg *p)
{
    return p->published_seq;
}

uint64_t pg_queries(const store_pg *p)
{
    return p->queries;
}

static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static PGconn *connect_uri(const char *uri)
{
    /* Later values override earlier ones: the URI may set its own timeout
     * and application name. */
    const char *const keys[] = {"connect_timeout", "dbname", "fallback_application_name", NULL};
    const char *const vals[] = {"5", uri, "certboard", NULL};
    return PQconnectdbParams(keys, vals, 1);
}

/* Runs one statement with text parameters. The result, or NULL with err set
 * (and *refused when the server said "not allowed"). A lost connection is
 * dropped, so the next call reconnects. */
static PGresult *run(store_pg *p, const char *sql, int n_params, const char *const *params,
                     bool *refused, char *err, size_t n)
{
    if (refused)
        *refused = false;
    p->queries++;
    PGresult *r = n_params ? PQexecParams(p->conn, sql, n_params, NULL, params, NULL, NULL, 0)
                           : PQexec(p->conn, sql); /* may hold several statements */
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        return r;
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    if (refused && state && strcmp(state, SQLSTATE_REFUSED) == 0)
        *refused = true;
    say(err, n, "%s", r ? PQresultErrorMessage(r) : PQerrorMessage(p->conn));
    PQclear(r);
    if (PQstatus(p->conn) != CONNECTION_OK)
        drop_conn(p);
    return NULL;
}

static int exec(store_pg *p, const char *sql, char *err, size_t n)
{
    PGresult *r = run(p, sql, 0, NULL, NULL, err, n);
    PQclear(r);
    return r ? 0 : -1;
}

/* --- the schema ------------------------------------------------------------ */

static void add(char **buf, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add(char **buf, size_t *len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *more = NULL;
    int l = vasprintf(&more, fmt, ap);
    va_end(ap);
    if (l < 0)
        cb_die("out of memory");
    *buf = xrealloc(*buf, *len + (size_t)l + 1);
    memcpy(*buf + *len, more, (size_t)l + 1);
    *len += (size_t)l;
    free(more);
}

/* The rule a member's change must pass (the insert policy and the check
 * before a change is saved use the same function): the role is the one the
 * member maps to, and a member who is not the lead changes only keys that
 * name them (their items), never a milestone or a stand-up mark. Prefixes
 * come from keys.c. */
static void add_may_write(char **b, size_t *l)
{
    add(b, l,
        "CREATE OR REPLACE FUNCTION certboard.may_write(p text, m text, k text)\n"
        "RETURNS boolean LANGUAGE sql STABLE AS $f$\n"
        "  SELECT EXISTS (SELECT 1 FROM certboard.members x\n"
        "    WHERE x.plan = p AND x.member = m AND x.role = current_user\n"
        "      AND (x.lead OR (");
    const char *sep = "";
    for (int k = KEY_TICK; k <= KEY_RESULT; k++) {
        const char *pre = key_prefix((enum cb_key_kind)k);
        if (k == KEY_MILESTONE || k == KEY_STANDUP)
            add(b, l, "%sNOT starts_with(k, '%s')", sep, pre);
        else if (key_names_member((enum cb_key_kind)k))
            add(b, l, "%s(NOT starts_with(k, '%s') OR right(k, length(m) + 1) = '/' || m)", sep,
                pre);
        else
            continue;
        sep = "\n           AND ";
    }
    add(b, l, ")))\n$f$;\n");
}

char *pg_schema_sql(void)
{
    char *b = NULL;
    size_t l = 0;
    add(&b, &l,
        "SET client_min_messages = warning;\n"
        "CREATE SCHEMA IF NOT EXISTS certboard;\n"
        "CREATE TABLE IF NOT EXISTS certboard.migrations (\n"
        "  version int PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now());\n"
        "CREATE TABLE IF NOT EXISTS certboard.events (\n"
        "  id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,\n"
        "  plan text NOT NULL, client text NOT NULL, seq bigint NOT NULL,\n"
        "  hlc bigint NOT NULL, wall_ms bigint NOT NULL, member text NOT NULL,\n"
        "  os_user text NOT NULL, host text NOT NULL, key text NOT NULL,\n"
        "  value text NOT NULL, note text, undoes_client text, undoes_seq bigint,\n"
        "  role name NOT NULL DEFAULT current_user,\n"
        "  PRIMARY KEY (plan, client, seq));\n"
        "CREATE INDEX IF NOT EXISTS events_plan_id ON certboard.events (plan, id);\n"
        "CREATE INDEX IF NOT EXISTS events_plan_hlc ON certboard.events (plan, hlc);\n"
        "CREATE TABLE IF NOT EXISTS certboard.members (\n"
        "  plan text NOT NULL, member text NOT NULL, role name NOT NULL,\n"
        "  lead boolean NOT NULL DEFAULT false, PRIMARY KEY (plan, member));\n");
    add_may_write(&b, &l);
    add(&b, &l,
        "CREATE OR REPLACE FUNCTION certboard.notify() RETURNS trigger\n"
        "LANGUAGE plpgsql AS $f$ BEGIN PERFORM pg_notify('" PG_CHANNEL "', NEW.plan);\n"
        "  RETURN NULL; END $f$;\n"
        "DROP TRIGGER IF EXISTS events_notify ON certboard.events;\n"
        "CREATE TRIGGER events_notify AFTER INSERT ON certboard.events\n"
        "  FOR EACH ROW EXECUTE FUNCTION certboard.notify();\n"
        "-- History is never updated or deleted: no role but the owner has those\n"
        "-- privileges, and a member inserts only what may_write allows.\n"
        "ALTER TABLE certboard.events ENABLE ROW LEVEL SECURITY;\n"
        "DROP POLICY IF EXISTS events_read ON certboard.events;\n"
        "CREATE POLICY events_read ON certboard.events FOR SELECT USING (true);\n"
        "DROP POLICY IF EXISTS events_insert ON certboard.events;\n"
        "CREATE POLICY events_insert ON certboard.events FOR INSERT\n"
        "  WITH CHECK (role = current_user AND certboard.may_write(plan, member, key));\n"
        "INSERT INTO certboard.migrations (version) VALUES (%d) ON CONFLICT DO NOTHING;\n",
        PG_SCHEMA_VERSION);
    return b;
}

/* The lock every writer of a plan (and a migration) holds to its commit. */
static const char LOCK_SQL[] =
    "SELECT pg_advisory_xact_lock(hashtext('certboard'), hashtext($1))";

/* Creates or upgrades the schema (under the lock, so two first clients do
 * not race), or refuses a newer one. */
static int ensure_schema(store_pg *p, char *err, size_t n)
{
    PGresult *r = run(p, "SELECT coalesce(max(version), 0) FROM certboard.migrations", 0, NULL,
                      NULL, err, n);
    int version = r ? atoi(PQgetvalue(r, 0, 0)) : 0;
    PQclear(r);
    if (!r && !p->conn)
        return -1;
    if (version > PG_SCHEMA_VERSION) {
        say(err, n,
            "the server's certboard schema is version %d, newer than this certboard's %d: "
            "upgrade certboard",
            version, PG_SCHEMA_VERSION);
        return -1;
    }
    if (version == PG_SCHEMA_VERSION)
        return 0;
    char *sql = pg_schema_sql();
    const char *params[] = {"schema"};
    char why[512];
    int rc = exec(p, "BEGIN", why, sizeof why);
    if (rc == 0) {
        PGresult *l = run(p, LOCK_SQL, 1, params, NULL, why, sizeof why);
        PQclear(l);
        rc = l ? exec(p, sql, why, sizeof why) : -1;
    }
    if (rc == 0)
        rc = exec(p, "COMMIT", why, sizeof why);
    free(sql);
    if (rc != 0) {
        if (p->conn)
            exec(p, "ROLLBACK", err, n);
        say(err, n,
            "cannot create certboard's tables as role '%s' (%s): the database owner runs "
            "'certboard db init --apply' once (docs/server.md)",
            p->conn ? PQuser(p->conn) : "?", why);
        return -1;
    }
    return 0;
}

int pg_connect(store_pg *p, char *err, size_t n)
{
    if (pg_connected(p))
        return 0;
    drop_conn(p);
    if (pg_check_uri(p->uri, err, n) != 0)
        return -1;
    p->conn = connect_uri(p->uri);
    /* The server's notices (and its last words when it shuts down) would go
     * to stderr, over the dashboard: errors reach the user through err. */
    PQsetNoticeProcessor(p->conn, ignore_notice, NULL);
    if (PQstatus(p->conn) != CONNECTION_OK) {
        say(err, n, "cannot reach the server: %s", PQerrorMessage(p->conn));
        drop_conn(p);
        return -1;
    }
    if (ensure_schema(p, err, n) != 0 || exec(p, "LISTEN " PG_CHANNEL, err, n) != 0) {
        drop_conn(p);
        return -1;
    }
    PQsetnonblocking(p->conn, 0);
    return 0;
}

/* --- publish ------------------------------------------------------------- */

static const char INSERT_SQL[] =
    "INSERT INTO certboard.events (plan, client, seq, hlc, wall_ms, member, os_user, host, "
    "key, value, note, undoes_client, undoes_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
    "$10, $11, $12, $13) ON CONFLICT DO NOTHING";

/* Inserts one event (client given: mine, or an imported shard's). */
static int insert_event(store_pg *p, const char *client, const cb_event *e, bool *refused,
                        char *err, size_t n)
{
    char seq[24], hlc[24], wall[24], useq[24];
    snprintf(seq, sizeof seq, "%lld", (long long)e->seq);
    snprintf(hlc, sizeof hlc, "%lld", (long long)(int64_t)e->hlc); /* bits as stored */
    snprintf(wall, sizeof wall, "%lld", (long long)e->wall_ms);
    snprintf(useq, sizeof useq, "%lld", (long long)e->undoes_seq);
    const char *v[] = {p->plan,
                       client,
                       seq,
                       hlc,
                       wall,
                       e->member ? e->member : "",
                       e->os_user ? e->os_user : "",
                       e->host ? e->host : "",
                       e->key,
                       e->value ? e->value : "",
                       e->note,
                       e->undoes_client,
                       e->undoes_client ? useq : NULL};
    PGresult *r = run(p, INSERT_SQL, 13, v, refused, err, n);
    PQclear(r);
    return r ? 0 : -1;
}

/* Inserts events[from..to) of client in one transaction under the plan's lock. */
static int insert_events(store_pg *p, const char *client, const cb_event *ev, size_t count,
                         bool *refused, char *err, size_t n)
{
    *refused = false;
    const char *params[] = {p->plan};
    if (exec(p, "BEGIN", err, n) != 0)
        return -1;
    PGresult *l = run(p, LOCK_SQL, 1, params, NULL, err, n);
    PQclear(l);
    int rc = l ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < count; i++)
        rc = insert_event(p, client, &ev[i], refused, err, n);
    if (rc == 0)
        rc = exec(p, "COMMIT", err, n);
    if (rc != 0 && p->conn) {
        char ignore[64];
        exec(p, "ROLLBACK", ignore, sizeof ignore);
    }
    return rc;
}

int pg_publish(store_pg *p, const shard_events *mine, char *err, size_t n)
{
    if (pg_connect(p, err, n) != 0)
        return PG_DOWN;
    size_t from = 0;
    while (from < mine->n && mine->ev[from].seq <= p->published_seq)
        from++;
    if (from == mine->n)
        return 0;
    bool refused;
    char why[512];
    if (insert_events(p, p->client, mine->ev + from, mine->n - from, &refused, why,
                      sizeof why) != 0) {
        if (refused) {
            say(err, n,
                "the server refuses a change made while it was away (%s): role '%s' may "
                "not make it",
                why, p->conn ? PQuser(p->conn) : "?");
            return PG_REFUSED;
        }
        say(err, n, "%s", why);
        return PG_DOWN;
    }
    p->published_seq = mine->ev[mine->n - 1].seq;
    return 0;
}

int pg_may_write(store_pg *p, const char *member, const char *key, char *err, size_t n)
{
    if (!pg_connected(p))
        return 0; /* kept locally; the server judges it when it returns */
    const char *params[] = {p->plan, member, key};
    char why[512];
    PGresult *r = run(p,
                      "SELECT certboard.may_write($1, $2, $3) OR "
                      "NOT row_security_active('certboard.events')",
                      3, params, NULL, why, sizeof why);
    if (!r)
        return 0;
    bool ok = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    PQclear(r);
    if (ok)
        return 0;
    say(err, n,
        "refused by the server: role '%s' may not change %s as member '%s' (a member's role "
        "changes only that member's items; milestones and stand-ups are the lead's; see "
        "certboard.members); nothing saved",
        PQuser(p->conn), key, member);
    return -1;
}

/* --- fetch ----------------------------------------------------------------- */

static shard_events *peer(store_pg *p, const char *client)
{
    for (int i = 0; i < p->n_peers; i++)
        if (strcmp(p->peers[i]->client, client) == 0)
            return p->peers[i];
    if (p->n_peers == p->cap_peers) {
        p->cap_peers = p->cap_peers ? 2 * p->cap_peers : 16;
        p->peers = xrealloc(p->peers, (size_t)p->cap_peers * sizeof *p->peers);
    }
    return p->peers[p->n_peers++] = shev_new(client, p->plan);
}

static const char *col(const PGresult *r, int row, int c)
{
    return PQgetisnull(r, row, c) ? NULL : PQgetvalue(r, row, c);
}

/* The event in row i whose columns from c on are seq, hlc, wall_ms, member,
 * os_user, host, key, value, note, undoes_client, undoes_seq. */
static cb_event row_event(const PGresult *r, int i, int c)
{
    const char *undoes_seq = col(r, i, c + 10);
    return (cb_event){.seq = strtoll(PQgetvalue(r, i, c), NULL, 10),
                      .hlc = (uint64_t)strtoll(PQgetvalue(r, i, c + 1), NULL, 10),
                      .wall_ms = strtoll(PQgetvalue(r, i, c + 2), NULL, 10),
                      .member = col(r, i, c + 3),
                      .os_user = col(r, i, c + 4),
                      .host = col(r, i, c + 5),
                      .key = col(r, i, c + 6),
                      .value = col(r, i, c + 7),
                      .note = col(r, i, c + 8),
                      .undoes_client = col(r, i, c + 9),
                      .undoes_seq = undoes_seq ? strtoll(undoes_seq, NULL, 10) : 0};
}

int pg_fetch(store_pg *p, uint64_t *hlc_seen, char *err, size_t n)
{
    if (pg_connect(p, err, n) != 0)
        return -1;
    char last[24];
    snprintf(last, sizeof last, "%lld", (long long)p->last_id);
    const char *params[] = {p->plan, last};
    PGresult *r =
        run(p,
            "SELECT id, client, seq, hlc, wall_ms, member, os_user, host, key, value, "
            "note, undoes_client, undoes_seq FROM certboard.events "
            "WHERE plan = $1 AND id > $2 ORDER BY id",
            2, params, NULL, err, n);
    if (!r)
        return -1;
    int changed = 0;
    for (int i = 0, rows = PQntuples(r); i < rows; i++) {
        int64_t id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
        if (id > p->last_id)
            p->last_id = id;
        const char *client = PQgetvalue(r, i, 1);
        cb_event e = row_event(r, i, 2);
        if (e.hlc > *hlc_seen)
            *hlc_seen = e.hlc;
        bool mine = strcmp(client, p->client) == 0; /* the local database has it */
        if (mine && e.seq > p->published_seq)
            p->published_seq = e.seq;
        shard_events *se = mine ? p->self : peer(p, client);
        if (e.seq <= se->max_seq)
            continue; /* a replay */
        shev_push(se, &e);
        changed |= !mine;
    }
    PQclear(r);
    return changed;
}

int pg_peek(store_pg *p, uint64_t *hlc_seen, char *err, size_t n)
{
    if (pg_connect(p, err, n) != 0)
        return -1;
    char have[24];
    snprintf(have, sizeof have, "%lld", (long long)p->self->max_seq);
    const char *params[] = {p->plan, p->client, have};
    PGresult *r = run(p, "SELECT coalesce(max(hlc), 0) FROM certboard.events WHERE plan = $1",
                      1, params, NULL, err, n);
    if (!r)
        return -1;
    uint64_t hlc = (uint64_t)strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    if (hlc > *hlc_seen)
        *hlc_seen = hlc;
    r = run(p,
            "SELECT seq, hlc, wall_ms, member, os_user, host, key, value, note, undoes_client, "
            "undoes_seq FROM certboard.events WHERE plan = $1 AND client = $2 AND seq > $3 "
            "ORDER BY seq",
            3, params, NULL, err, n);
    if (!r)
        return -1;
    for (int i = 0, rows = PQntuples(r); i < rows; i++) {
        cb_event e = row_event(r, i, 0);
        shev_push(p->self, &e);
        if (e.seq > p->published_seq)
            p->published_seq = e.seq;
    }
    PQclear(r);
    return 0;
}

int pg_poll(store_pg *p)
{
    if (!pg_connected(p))
        return 0;
    if (!PQconsumeInput(p->conn)) {
        drop_conn(p); /* the server went away: the refresh says so */
        return 1;
    }
    int hit = 0;
    for (PGnotify *no; (no = PQnotifies(p->conn)) != NULL; PQfreemem(no))
        hit |= strcmp(no->extra, p->plan) == 0;
    return hit;
}

int pg_peers(const store_pg *p, shard_events **out)
{
    for (int i = 0; i < p->n_peers; i++)
        out[i] = p->peers[i];
    return p->n_peers;
}

const shard_events *pg_self(const store_pg *p)
{
    return p->self;
}

int pg_n_peers(const store_pg *p)
{
    return p->n_peers;
}

/* --- administration ---------------------------------------------------------- */

/* Role names reach here from the plan, whose loader allows only letters,
 * digits, '.', '_', '-' and '@' in a login (and less in a member id): no
 * quote, no '$' that could end the DO block's dollar quoting. */
static void add_ident(char **b, size_t *l, const char *id)
{
    add(b, l, "\"");
    for (const char *c = id; *c; c++)
        add(b, l, *c == '"' ? "\"\"" : "%c", *c);
    add(b, l, "\"");
}

static void add_literal(char **b, size_t *l, const char *s)
{
    add(b, l, "'");
    for (const char *c = s; *c; c++)
        add(b, l, *c == '\'' ? "''" : "%c", *c);
    add(b, l, "'");
}

char *store_server_setup_sql(const char *plan_id, const cb_store_role *roles, int n)
{
    char *b = NULL;
    size_t l = 0;
    add(&b, &l, "-- certboard: the tables, and plan ");
    add_literal(&b, &l, plan_id);
    add(&b, &l, "'s members as roles (run as the database's owner)\nBEGIN;\n");
    char *schema = pg_schema_sql();
    add(&b, &l, "%s", schema);
    free(schema);
    for (int i = 0; i < n; i++) {
        add(&b, &l, "DO $r$ BEGIN CREATE ROLE ");
        add_ident(&b, &l, roles[i].role);
        add(&b, &l, " LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $r$;\n");
        add(&b, &l, "INSERT INTO certboard.members (plan, member, role, lead) VALUES (");
        add_literal(&b, &l, plan_id);
        add(&b, &l, ", ");
        add_literal(&b, &l, roles[i].member);
        add(&b, &l, ", ");
        add_literal(&b, &l, roles[i].role);
        add(&b, &l,
            ", %s)\n  ON CONFLICT (plan, member) DO UPDATE SET role = EXCLUDED.role, lead = "
            "EXCLUDED.lead;\n",
            roles[i].lead ? "true" : "false");
        const char *grants[] = {"GRANT USAGE ON SCHEMA certboard TO ",
                                "GRANT SELECT, INSERT ON certboard.events TO ",
                                "GRANT SELECT ON certboard.members, certboard.migrations TO "};
        for (size_t g = 0; g < sizeof grants / sizeof grants[0]; g++) {
            add(&b, &l, "%s", grants[g]);
            add_ident(&b, &l, roles[i].role);
            add(&b, &l, ";\n");
        }
    }
    add(&b, &l, "COMMIT;\n");
    return b;
}

int store_server_exec(const char *uri, const char *sql, char *err, size_t n)
{
    store_pg *p = pg_new(uri, "", "", false);
    int rc = pg_check_uri(uri, err, n);
    if (rc == 0) {
        p->conn = connect_uri(uri);
        if (PQstatus(p->conn) != CONNECTION_OK) {
            say(err, n, "cannot reach the server: %s", PQerrorMessage(p->conn));
            rc = -1;
        } else {
            rc = exec(p, sql, err, n);
        }
    }
    pg_free(p);
    return rc;
}

int pg_import_events(store_pg *p, const shard_events *se, char *err, size_t n)
{
    bool refused;
    if (pg_connect(p, err, n) != 0)
        return -1;
    return insert_events(p, se->client, se->ev, se->n, &refused, err, n);
}

int store_server_import(const char *uri, const char *plan_id, const char *dir, size_t *n_events,
                        int *n_shards, cb_diags *d, char *err, size_t n)
{
    *n_events = 0;
    *n_shards = 0;
    char *shards = NULL;
    if (asprintf(&shards, "%s/shards", dir) < 0)
        cb_die("out of memory");
    DIR *dh = opendir(shards);
    if (!dh) {
        say(err, n, "%s: %s (not a certboard store directory?)", shards, strerror(errno));
        free(shards);
        return -1;
    }
    store_pg *p = pg_new(uri, plan_id, "", false);
    int rc = pg_connect(p, err, n);
    for (struct dirent *de; rc == 0 && (de = readdir(dh)) != NULL;) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len < 4 || strcmp(de->d_name + len - 3, ".db") != 0)
            continue;
        char *path = NULL, why[512];
        if (asprintf(&path, "%s/%s", shards, de->d_name) < 0)
            cb_die("out of memory");
        struct stat st;
        shard_events *se = shard_load_file(path, &st, NULL, why, sizeof why);
        if (!se) {
            diags_add(d, CB_WARNING, path, 0, 0, "skipped: %s", why);
        } else if (*se->plan_id && strcmp(se->plan_id, plan_id) != 0) {
            diags_add(d, CB_NOTE, path, 0, 0, "skipped: a shard of plan '%s'", se->plan_id);
        } else {
            rc = pg_import_events(p, se, err, n);
            *n_events += se->n;
            (*n_shards)++;
        }
        shev_release(se);
        free(path);
    }
    closedir(dh);
    free(shards);
    pg_free(p);
    return rc;
}

/* One client's events as a shard file in shards_dir (written like a publish). */
static int write_shard(const shard_events *se, const char *plan_id, const char *shards_dir,
                       char *err, size_t n)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open(":memory:", &db) == SQLITE_OK &&
                     shard_create_schema(db, se->client, plan_id, err, n) == 0 &&
                     sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK
                 ? 0
                 : -1;
    uint64_t chain = 0;
    for (size_t i = 0; rc == 0 && i < se->n; i++) {
        rc = shard_insert_event(db, &se->ev[i], chain) == SQLITE_OK ? 0 : -1;
        chain = event_chain(chain, &se->ev[i]);
    }
    if (rc == 0)
        rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
    if (rc != 0 && db && !*err)
        say(err, n, "%s", sqlite3_errmsg(db));
    struct stat st;
    if (rc == 0)
        rc = shard_publish(db, shards_dir, se->client, &st, err, n);
    sqlite3_close(db);
    return rc;
}

int store_server_export(const char *uri, const char *plan_id, const char *dir, size_t *n_events,
                        int *n_shards, char *err, size_t n)
{
    *n_events = 0;
    *n_shards = 0;
    err[0] = '\0';
    char *shards = NULL;
    if (asprintf(&shards, "%s/shards", dir) < 0)
        cb_die("out of memory");
    if ((mkdir(dir, 0777) != 0 && errno != EEXIST) ||
        (mkdir(shards, 0777) != 0 && errno != EEXIST)) {
        say(err, n, "cannot create %s: %s", shards, strerror(errno));
        free(shards);
        return -1;
    }
    store_pg *p = pg_new(uri, plan_id, "", false); /* no client of mine: every one is a peer */
    uint64_t hlc = 0;
    int rc = pg_fetch(p, &hlc, err, n) < 0 ? -1 : 0;
    for (int i = 0; rc == 0 && i < p->n_peers; i++) {
        rc = write_shard(p->peers[i], plan_id, shards, err, n);
        *n_events += p->peers[i]->n;
        (*n_shards)++;
    }
    pg_free(p);
    free(shards);
    return rc;
}

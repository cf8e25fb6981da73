/* store_shard.c — one shard: its schema, loading and verifying a shard file,
 * and publishing a copy of the local database to the share.
 *
 * A shard is an ordinary SQLite database file (the local database of one
 * client, copied). Readers never open it in place: they read its bytes with
 * read() and load them with sqlite3_deserialize, so no lock and no journal on
 * the share is ever involved, and what they parse is exactly what they read. */
#include "store_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "certboard/hlc.h"

/* Keep in step with CB_STORE_SCHEMA; later versions may only add columns and
 * tables, so a reader of version 1 can still read their events. */
static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS events("
    " seq INTEGER PRIMARY KEY," /* 1, 2, ... in this client */
    " hlc INTEGER NOT NULL,"
    " wall_ms INTEGER NOT NULL,"
    " member TEXT NOT NULL,"
    " os_user TEXT NOT NULL,"
    " host TEXT NOT NULL,"
    " key TEXT NOT NULL,"
    " value TEXT NOT NULL,"
    " note TEXT,"
    " undoes_client TEXT,"
    " undoes_seq INTEGER,"
    " chain INTEGER NOT NULL);";

#define SQLITE_MAGIC "SQLite format 3"

shard_events *shev_new(const char *client, const char *plan_id)
{
    shard_events *se = xcalloc(1, sizeof *se);
    se->refs = 1;
    se->arena = arena_new();
    se->client = arena_strdup(se->arena, client ? client : "");
    se->plan_id = arena_strdup(se->arena, plan_id ? plan_id : "");
    se->schema = CB_STORE_SCHEMA;
    return se;
}

shard_events *shev_retain(shard_events *se)
{
    se->refs++;
    return se;
}

void shev_release(shard_events *se)
{
    if (!se || --se->refs > 0)
        return;
    ckpt_unref(se->pin, se);
    arena_free(se->arena);
    free(se->ev);
    free(se);
}

/* Strings that repeat from one event to the next (member, user, host, the
 * value "1") are stored once: loading 100,000 events is mostly copying. */
static const char *dup_like(cb_arena *a, const char *s, const char *prev)
{
    if (!s)
        return NULL;
    if (prev && strcmp(s, prev) == 0)
        return prev;
    return arena_strdup(a, s);
}

static uint64_t fnv_bytes(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

static uint64_t fnv_int(uint64_t h, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    return fnv_bytes(h, b, 8);
}

/* A string with its terminator; NULL hashes as the single byte 0xff, unlike "".
 * One pass over the bytes (no strlen first): loading hashes every string of
 * every event. */
static uint64_t fnv_str(uint64_t h, const char *s)
{
    if (!s)
        return (h ^ 0xff) * 1099511628211ull;
    for (;; s++) {
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
        if (!*s)
            return h;
    }
}

uint64_t event_chain(uint64_t prev, const cb_event *e)
{
    uint64_t h = fnv_int(prev ^ 1469598103934665603ull, (uint64_t)e->seq);
    h = fnv_int(h, e->hlc);
    h = fnv_int(h, (uint64_t)e->wall_ms);
    h = fnv_str(h, e->member ? e->member : "");
    h = fnv_str(h, e->os_user ? e->os_user : "");
    h = fnv_str(h, e->host ? e->host : "");
    h = fnv_str(h, e->key);
    h = fnv_str(h, e->value ? e->value : "");
    h = fnv_str(h, e->note);
    h = fnv_str(h, e->undoes_client);
    return fnv_int(h, e->undoes_client ? (uint64_t)e->undoes_seq : 0);
}

void shev_push(shard_events *se, const cb_event *e)
{
    se->chain = event_chain(se->chain, e);
    if (se->n == se->cap) {
        se->cap = se->cap ? se->cap * 2 : 64;
        se->ev = xrealloc(se->ev, se->cap * sizeof *se->ev);
    }
    cb_arena *a = se->arena;
    const cb_event *p = se->n ? &se->ev[se->n - 1] : &(cb_event){0};
    cb_event *d = &se->ev[se->n++];
    *d = (cb_event){
        .client = se->client,
        .seq = e->seq,
        .hlc = e->hlc,
        .wall_ms = e->wall_ms,
        .member = dup_like(a, e->member ? e->member : "", p->member),
        .os_user = dup_like(a, e->os_user ? e->os_user : "", p->os_user),
        .host = dup_like(a, e->host ? e->host : "", p->host),
        .key = arena_strdup(a, e->key),
        .value = dup_like(a, e->value ? e->value : "", p->value),
        .note = arena_strdup(a, e->note),
        .undoes_client = dup_like(a, e->undoes_client, p->undoes_client),
        .undoes_seq = e->undoes_seq,
    };
    if (e->seq > se->max_seq)
        se->max_seq = e->seq;
    if (e->hlc > se->max_hlc)
        se->max_hlc = e->hlc;
}

size_t shev_quarantine(shard_events *se, int64_t now_ms)
{
    size_t keep = se->n;
    while (keep > 0 && hlc_implausible(se->ev[keep - 1].hlc, now_ms))
        keep--;
    size_t dropped = se->n - keep;
    if (!dropped)
        return 0;
    se->quarantined = dropped;
    se->quarantined_hlc = se->ev[keep].hlc;
    se->n = keep;
    se->max_seq = keep ? se->ev[keep - 1].seq : 0;
    se->max_hlc = keep ? se->ev[keep - 1].hlc : 0;
    return dropped;
}

int shard_create_schema(sqlite3 *db, const char *client, const char *plan_id, char *err,
                        size_t n)
{
    /* Idempotent, so two processes creating the same database both succeed. */
    char *sql = sqlite3_mprintf("BEGIN IMMEDIATE;%s"
                                "INSERT OR IGNORE INTO meta VALUES('client',%Q),('plan_id',%Q);"
                                "PRAGMA user_version=%d;COMMIT;",
                                schema_sql, client, plan_id ? plan_id : "", CB_STORE_SCHEMA);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    sqlite3_free(sql);
    if (rc != SQLITE_OK) {
        snprintf(err, n, "cannot create tables: %s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

int64_t shard_pragma_int(sqlite3 *db, const char *pragma)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA %s", pragma);
    sqlite3_stmt *st;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

int shard_insert_event(sqlite3 *db, const cb_event *e, uint64_t prev)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db,
                                "INSERT INTO events(seq, hlc, wall_ms, member, os_user, host,"
                                " key, value, note, undoes_client, undoes_seq, chain)"
                                " VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
                                -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_int64(st, 1, e->seq);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)e->hlc);
    sqlite3_bind_int64(st, 3, e->wall_ms);
    sqlite3_bind_text(st, 4, e->member ? e->member : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, e->os_user ? e->os_user : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, e->host ? e->host : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, e->key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, e->value ? e->value : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, e->note, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, e->undoes_client, -1, SQLITE_STATIC);
    if (e->undoes_client)
        sqlite3_bind_int64(st, 11, e->undoes_seq);
    sqlite3_bind_int64(st, 12, (sqlite3_int64)event_chain(prev, e));
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static int read_meta(sqlite3 *db, shard_events *se, char *err, size_t n)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, "SELECT key, value FROM meta", -1, &st, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, n, "not a certboard shard (%s)", sqlite3_errmsg(db));
        return -1;
    }
    const char *client = NULL, *plan = NULL;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = col_text(st, 0), *v = col_text(st, 1);
        if (!k || !v)
            continue;
        if (strcmp(k, "client") == 0)
            client = se->client = arena_strdup(se->arena, v);
        else if (strcmp(k, "plan_id") == 0)
            plan = se->plan_id = arena_strdup(se->arena, v);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        snprintf(err, n, "unreadable meta table (%s)", sqlite3_errstr(rc));
        return -1;
    }
    if (!client || !*client || !plan) {
        snprintf(err, n, "not a certboard shard (no client or plan id)");
        return -1;
    }
    return 0;
}

/* Sizes se->ev for all rows at once: count(*) only walks the b-tree pages, and
 * growing by doubling would copy a 10,000-event shard's array several times.
 * The rows are not verified yet, so a hostile file gets no more than
 * MAX_RESERVE up front; past that the array grows as valid events arrive. */
#define MAX_RESERVE (1 << 20)
static int64_t reserve_events(sqlite3 *db, shard_events *se)
{
    sqlite3_stmt *st;
    int64_t count = 0;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM events", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        int64_t rows = count = sqlite3_column_int64(st, 0);
        if (rows > MAX_RESERVE)
            rows = MAX_RESERVE;
        if (rows > 0 && (size_t)rows > se->cap) {
            se->cap = (size_t)rows;
            se->ev = xrealloc(se->ev, se->cap * sizeof *se->ev);
        }
    }
    sqlite3_finalize(st);
    return count;
}

/* max_events: 0 for no limit (the local database); a shard with more rows is
 * refused before any is parsed, and parsing stops there if count(*) lied. */
static int read_events(sqlite3 *db, shard_events *se, int64_t max_events, char *err, size_t n)
{
    if (max_events > 0) {
        sqlite3_stmt *st;
        int64_t rows = 0;
        if (sqlite3_prepare_v2(db, "SELECT count(*) FROM events", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            rows = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        if (rows > max_events) {
            snprintf(err, n, "over budget: %lld events (at most %lld per shard)",
                     (long long)rows, (long long)max_events);
            return -1;
        }
    }
    reserve_events(db, se);
    sqlite3_stmt *st;
    int rc =
        sqlite3_prepare_v2(db,
                           "SELECT seq, hlc, wall_ms, member, os_user, host, key, value,"
                           " note, undoes_client, undoes_seq, chain FROM events ORDER BY seq",
                           -1, &st, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, n, "not a certboard shard (%s)", sqlite3_errmsg(db));
        return -1;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        cb_event e = {
            .seq = sqlite3_column_int64(st, 0),
            .hlc = (uint64_t)sqlite3_column_int64(st, 1),
            .wall_ms = sqlite3_column_int64(st, 2),
            .member = col_text(st, 3),
            .os_user = col_text(st, 4),
            .host = col_text(st, 5),
            .key = col_text(st, 6),
            .value = col_text(st, 7),
            .note = col_text(st, 8),
            .undoes_client = col_text(st, 9),
            .undoes_seq = sqlite3_column_int64(st, 10),
        };
        /* A valid shard numbers its events 1, 2, ... with rising clocks. */
        if (!e.key || !*e.key || e.seq != (int64_t)se->n + 1 ||
            (se->n > 0 && e.hlc <= se->max_hlc)) {
            snprintf(err, n, "invalid event %lld", (long long)e.seq);
            sqlite3_finalize(st);
            return -1;
        }
        if (max_events > 0 && (int64_t)se->n >= max_events) {
            snprintf(err, n, "over budget: more than %lld events", (long long)max_events);
            sqlite3_finalize(st);
            return -1;
        }
        shev_push(se, &e);
        if (se->chain != (uint64_t)sqlite3_column_int64(st, 11)) {
            snprintf(err, n, "damaged: checksum mismatch at event %lld", (long long)e.seq);
            sqlite3_finalize(st);
            return -1;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        snprintf(err, n, "unreadable events (%s)", sqlite3_errstr(rc));
        return -1;
    }
    return 0;
}

static shard_events *read_db(sqlite3 *db, int64_t max_events, char *err, size_t n)
{
    shard_events *se = shev_new(NULL, NULL);
    int64_t v = shard_pragma_int(db, "user_version");
    se->schema = v > INT32_MAX ? INT32_MAX : (int)v;
    if (se->schema < 1) {
        snprintf(err, n, "not a certboard shard (%s)", sqlite3_errmsg(db));
    } else if (read_meta(db, se, err, n) == 0 && read_events(db, se, max_events, err, n) == 0) {
        return se;
    }
    shev_release(se);
    return NULL;
}

shard_events *shard_read_db(sqlite3 *db, char *err, size_t n)
{
    return read_db(db, 0, err, n);
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The checks SQLite itself cannot do on a deserialized image: a file cut short
 * or padded is caught here, before any page is parsed. */
static int check_header(const unsigned char *b, size_t len, bool *changing, char *err, size_t n)
{
    if (len < 512 || memcmp(b, SQLITE_MAGIC, sizeof SQLITE_MAGIC) != 0) {
        snprintf(err, n, len < 512 ? "truncated (%zu bytes)" : "not an SQLite database", len);
        return -1;
    }
    uint32_t page = (uint32_t)b[16] << 8 | b[17];
    if (page == 1)
        page = 65536;
    if (page < 512 || (page & (page - 1)) || len % page) {
        snprintf(err, n, "truncated or damaged (%zu bytes, page size %u)", len, page);
        return -1;
    }
    uint32_t change = be32(b + 24), valid_for = be32(b + 92), pages = be32(b + 28);
    if (change == valid_for && pages != len / page) {
        /* Whole pages but not as many as the header says: a cut file, or the
         * new file's bytes read with the old file's cached size. */
        *changing = true;
        snprintf(err, n, "truncated (%zu of %llu bytes)", len,
                 (unsigned long long)pages * page);
        return -1;
    }
    return 0;
}

static shard_events *load_bytes(unsigned char *buf, size_t len, int64_t max_events,
                                bool *changing, char *err, size_t n)
{
    bool ignored;
    if (!changing)
        changing = &ignored;
    *changing = false;
    if (check_header(buf, len, changing, err, n) != 0) {
        sqlite3_free(buf);
        return NULL;
    }
    /* A shard published from a WAL database says so in its header; the copy
     * has no WAL, so read it as a rollback-journal database. */
    buf[18] = buf[19] = 1;
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        snprintf(err, n, "cannot open in-memory database");
        sqlite3_close(db);
        sqlite3_free(buf);
        return NULL;
    }
    int rc = sqlite3_deserialize(db, "main", buf, (sqlite3_int64)len, (sqlite3_int64)len,
                                 SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
    shard_events *se = NULL;
    if (rc != SQLITE_OK)
        snprintf(err, n, "cannot load (%s)", sqlite3_errstr(rc));
    else
        se = read_db(db, max_events, err, n);
    sqlite3_close(db);
    return se;
}

shard_events *shard_load_bytes(unsigned char *buf, size_t len, bool *changing, char *err,
                               size_t n)
{
    return load_bytes(buf, len, SHARD_MAX_EVENTS, changing, err, n);
}

/* Reads the whole file behind fd; NULL on error (errno set). */
static unsigned char *read_all(int fd, size_t want, size_t *got)
{
    unsigned char *buf = sqlite3_malloc64(want ? want : 1);
    if (!buf) {
        errno = ENOMEM;
        return NULL;
    }
    size_t len = 0;
    while (len < want) {
        ssize_t r = read(fd, buf + len, want - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            sqlite3_free(buf);
            return NULL;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    *got = len;
    return buf;
}

static const char *file_kind(mode_t m)
{
    return S_ISFIFO(m)   ? "a FIFO"
           : S_ISDIR(m)  ? "a directory"
           : S_ISCHR(m)  ? "a character device"
           : S_ISBLK(m)  ? "a block device"
           : S_ISSOCK(m) ? "a socket"
           : S_ISLNK(m)  ? "a symbolic link"
                         : "not a regular file";
}

shard_events *shard_load_file_within(const char *path, const shard_budget *b, struct stat *st,
                                     bool *changing, char *err, size_t n)
{
    bool ignored;
    if (!changing)
        changing = &ignored;
    *changing = false;
    off_t max_bytes = b && b->max_bytes > 0 ? b->max_bytes : SHARD_MAX_BYTES;
    int64_t max_events = b && b->max_events > 0 ? b->max_events : SHARD_MAX_EVENTS;
    /* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
     * writer forever; O_NOFOLLOW: a link could point anywhere (a device, a
     * file of this user's). Neither is ever a shard. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        int e = errno;
        *changing = e == ENOENT || e == ESTALE;
        if (e == ELOOP) {
            memset(st, 0, sizeof *st);
            lstat(path, st);
            snprintf(err, n, "not a regular file (a symbolic link)");
        } else {
            snprintf(err, n, "cannot open: %s", strerror(e));
        }
        return NULL;
    }
    if (fstat(fd, st) != 0) {
        int e = errno;
        *changing = e == ENOENT || e == ESTALE;
        snprintf(err, n, "cannot stat: %s", strerror(e));
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st->st_mode)) {
        snprintf(err, n, "not a regular file (%s)", file_kind(st->st_mode));
        close(fd);
        return NULL;
    }
    if (st->st_size > max_bytes) {
        snprintf(err, n, "over budget: %lld bytes (at most %lld per shard)",
                 (long long)st->st_size, (long long)max_bytes);
        close(fd);
        return NULL;
    }
    /* A regular file: back to ordinary blocking reads. */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    size_t len = 0;
    unsigned char *buf = read_all(fd, (size_t)st->st_size, &len);
    int saved = errno;
    close(fd);
    if (!buf) {
        snprintf(err, n, "cannot read: %s", strerror(saved));
        return NULL;
    }
    if (len != (size_t)st->st_size) {
        *changing = true;
        sqlite3_free(buf);
        snprintf(err, n, "truncated while reading (%zu of %lld bytes)", len,
                 (long long)st->st_size);
        return NULL;
    }
    return load_bytes(buf, len, max_events, changing, err, n);
}

shard_events *shard_load_file(const char *path, struct stat *st, bool *changing, char *err,
                              size_t n)
{
    return shard_load_file_within(path, NULL, st, changing, err, n);
}

int shard_peek_clock(const char *path, const shard_budget *b, const char *plan_id,
                     int64_t now_ms, struct stat *st, uint64_t *hlc)
{
    off_t max_bytes = b && b->max_bytes > 0 ? b->max_bytes : SHARD_MAX_BYTES;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return -1;
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode) || st->st_size > max_bytes) {
        close(fd);
        return -1;
    }
    /* The file just checked, by its descriptor: SQLite opens it again through
     * /proc (so never a FIFO or a link's target); immutable: no lock, no
     * journal, nothing written. Only the pages on the way to the last rows
     * are read. */
    char uri[96];
    snprintf(uri, sizeof uri, "file:/proc/self/fd/%d?immutable=1", fd);
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    int rc = -1;
    if (sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK)
        goto out;
    if (plan_id && *plan_id) {
        bool same = false;
        if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'plan_id'", -1, &q,
                               NULL) == SQLITE_OK &&
            sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
            same = strcmp((const char *)sqlite3_column_text(q, 0), plan_id) == 0;
        sqlite3_finalize(q);
        q = NULL;
        if (!same)
            goto out;
    }
    /* A shard a load would name (a clock it would quarantine, more events
     * than the budget) is left to a load: the command then names it. */
    if (sqlite3_prepare_v2(db, "SELECT seq, hlc FROM events ORDER BY seq DESC LIMIT 1", -1, &q,
                           NULL) != SQLITE_OK)
        goto out;
    int64_t max_events = b && b->max_events > 0 ? b->max_events : SHARD_MAX_EVENTS;
    int step = sqlite3_step(q);
    *hlc = 0;
    if (step == SQLITE_DONE) {
        rc = 0; /* no events yet */
    } else if (step == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(q, 0);
        uint64_t v = (uint64_t)sqlite3_column_int64(q, 1);
        if (seq >= 1 && seq <= max_events && !hlc_implausible(v, now_ms)) {
            *hlc = v;
            rc = 0;
        }
    }
out:
    sqlite3_finalize(q);
    sqlite3_close(db);
    close(fd);
    return rc;
}

/* Workers take the next job until none is left; each job touches only its own
 * fields and the files and memory its load creates, so they share nothing but
 * the counter. */
typedef struct load_batch {
    shard_load_job *jobs;
    size_t n;
    atomic_size_t next;
} load_batch;

static void *load_worker(void *arg)
{
    load_batch *b = arg;
    for (size_t i; (i = atomic_fetch_add(&b->next, 1)) < b->n;) {
        shard_load_job *j = &b->jobs[i];
        j->ev = shard_load_file_within(j->path, &j->budget, &j->st, &j->changing, j->err,
                                       sizeof j->err);
    }
    return NULL;
}

void shard_load_files(shard_load_job *jobs, size_t n)
{
    /* A cold start reads every shard: parsing and verifying 100,000 events is
     * almost all of the dashboard's start-up, and the shards are independent
     * (one private in-memory database each), so the cores share them. One
     * changed shard, the usual refresh, stays on this thread. */
    enum { MAX_HELPERS = 3 };
    load_batch b = {.jobs = jobs, .n = n};
    atomic_init(&b.next, 0);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    /* A SQLite built without thread support must stay on one thread. */
    size_t want = n < 2 || !sqlite3_threadsafe() ? 0 : n - 1;
    if (cores > 0 && want > (size_t)cores - 1)
        want = (size_t)cores - 1;
    if (want > MAX_HELPERS)
        want = MAX_HELPERS;
    pthread_t helper[MAX_HELPERS];
    size_t started = 0;
    while (started < want && pthread_create(&helper[started], NULL, load_worker, &b) == 0)
        started++; /* no thread: this one does the rest */
    load_worker(&b);
    for (size_t i = 0; i < started; i++)
        pthread_join(helper[i], NULL);
}

static bool same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

bool event_same(const cb_event *a, const cb_event *b)
{
    return a->seq == b->seq && a->hlc == b->hlc && a->wall_ms == b->wall_ms &&
           same_text(a->key, b->key) && same_text(a->value, b->value) &&
           same_text(a->member, b->member) && same_text(a->os_user, b->os_user) &&
           same_text(a->host, b->host) && same_text(a->note, b->note) &&
           same_text(a->undoes_client, b->undoes_client) &&
           (!a->undoes_client || a->undoes_seq == b->undoes_seq);
}

bool shard_is_subset(const shard_events *theirs, const shard_events *mine)
{
    if (theirs->max_seq > mine->max_seq)
        return false;
    for (size_t i = 0; i < theirs->n; i++) {
        const cb_event *t = &theirs->ev[i];
        /* Mine is numbered 1, 2, ... so seq k sits at index k - 1. */
        if (t->seq < 1 || (size_t)t->seq > mine->n || !event_same(&mine->ev[t->seq - 1], t))
            return false;
    }
    return true;
}

/* Test-only fault injection (documented in docs/shared-drive.md): when the
 * environment variable CERTBOARD_TEST_PUBLISH_FAIL names an errno ("ENOSPC",
 * "EIO"), every publish fails with it after writing half of the temp file. */
static int injected_failure(void)
{
    const char *v = getenv("CERTBOARD_TEST_PUBLISH_FAIL");
    if (!v || !*v)
        return 0;
    return strcmp(v, "EIO") == 0 ? EIO : ENOSPC;
}

int fd_write_all(int fd, const void *buf, size_t len)
{
    const unsigned char *p = buf;
    for (size_t done = 0; done < len;) {
        ssize_t w = write(fd, p + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        done += (size_t)w;
    }
    return 0;
}

static int write_all(int fd, const unsigned char *p, size_t len)
{
    int inj = injected_failure();
    if (fd_write_all(fd, p, inj ? len / 2 : len) != 0)
        return -1;
    if (inj) {
        errno = inj;
        return -1;
    }
    return 0;
}

static int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    /* Some network file systems refuse fsync on a directory; the rename has
     * already been sent to the server then, which is what matters. */
    int rc = fsync(fd);
    if (rc != 0 && (errno == EINVAL || errno == ENOTSUP || errno == EBADF))
        rc = 0;
    close(fd);
    return rc;
}

static void share_file_mode(int fd, const char *dir);

/* The beacon's record: one line padded to a fixed size, written over the
 * old one in place (one write request on a network client), so that a
 * reader holding the file open sees the change with one read request. */
#define BEACON_RECORD 256

static int beacon_record(char *rec, const char *client)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    /* Unique per publish, so a reader always sees a change. */
    int len = snprintf(rec, BEACON_RECORD, "%s %ld %lld.%09ld", client, (long)getpid(),
                       (long long)ts.tv_sec, ts.tv_nsec);
    if (len < 0 || len > BEACON_RECORD - 1)
        return -1;
    memset(rec + len, ' ', (size_t)(BEACON_RECORD - 1 - len));
    rec[BEACON_RECORD - 1] = '\n';
    return 0;
}

void shard_write_beacon(const char *dir, const char *client)
{
    char tmp[4096], final[4096], rec[BEACON_RECORD];
    if (beacon_record(rec, client) != 0)
        return;
    snprintf(final, sizeof final, "%s/" SHARD_BEACON, dir);
    /* In place when the beacon is there and writable (readers keep it
     * open); otherwise (the first publish, a beacon another user made
     * without group write) a new file replaces it, which readers take up
     * when they next open it (every full look). */
    int fd = open(final, O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    if (fd >= 0) {
        struct stat st;
        bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
                  pwrite(fd, rec, sizeof rec, 0) == (ssize_t)sizeof rec;
        if (close(fd) == 0 && ok)
            return;
    }
    snprintf(tmp, sizeof tmp, "%s/.%s.beacon.tmp-%ld", dir, client, (long)getpid());
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    /* Every member rewrites it: group-writable in a group's folder. */
    share_file_mode(fd, dir);
    bool ok = fd_write_all(fd, rec, sizeof rec) == 0;
    ok &= close(fd) == 0;
    if (!ok || rename(tmp, final) != 0)
        unlink(tmp); /* advisory: readers fall back to stat() */
}

int shard_read_beacon(const char *dir, char *buf, size_t n)
{
    return shard_read_beacon_at(-1, dir, buf, n);
}

/* Its content into buf (NUL-terminated, at most n - 1 bytes). */
static int beacon_pread(int fd, char *buf, size_t n)
{
    /* O_DIRECT wants an aligned buffer on some file systems. */
    _Alignas(4096) char page[4096];
    ssize_t r;
    while ((r = pread(fd, page, sizeof page, 0)) < 0 && errno == EINTR)
        ;
    if (r < 0)
        return -1;
    size_t k = (size_t)r < n - 1 ? (size_t)r : n - 1;
    memcpy(buf, page, k);
    buf[k] = '\0';
    return 0;
}

int shard_beacon_open_at(int dirfd, const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/" SHARD_BEACON, dir);
    int at = dirfd >= 0 ? dirfd : AT_FDCWD;
    const char *name = dirfd >= 0 ? SHARD_BEACON : path;
    int flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY;
    /* Read past the client's cache: each read asks the server (a file
     * system without direct reads, e.g. tmpfs, reads its own pages, which
     * are current anyway). */
    int fd = openat(at, name, flags | O_DIRECT);
    if (fd < 0 && errno == EINVAL)
        fd = openat(at, name, flags);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return -1;
    }
    return fd;
}

int shard_beacon_read_fd(int fd, char *buf, size_t n)
{
    return beacon_pread(fd, buf, n);
}

int shard_read_beacon_at(int dirfd, const char *dir, char *buf, size_t n)
{
    int fd = shard_beacon_open_at(dirfd, dir);
    if (fd < 0)
        return -1;
    int rc = beacon_pread(fd, buf, n);
    close(fd);
    return rc;
}

/* A consistent image of the database: serialize inside a read transaction. */
static unsigned char *serialize_db(sqlite3 *db, size_t *len)
{
    sqlite3_int64 size = 0;
    if (sqlite3_exec(db, "BEGIN; SELECT count(*) FROM meta;", NULL, NULL, NULL) != SQLITE_OK) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return NULL;
    }
    unsigned char *img = sqlite3_serialize(db, "main", &size, 0);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    if (img) {
        img[18] = img[19] = 1; /* rollback-journal header: the copy has no WAL */
        *len = (size_t)size;
    }
    return img;
}

/* A shard in a group-writable shards directory is 0664 (others: read when the
 * directory lets them) whatever the umask, so the whole group reads it. */
static void share_file_mode(int fd, const char *dir)
{
    struct stat ds;
    if (stat(dir, &ds) == 0 && (ds.st_mode & S_IWGRP) &&
        fchmod(fd, S_IRUSR | S_IWUSR | S_IRGRP | S_IWGRP | (ds.st_mode & S_IROTH)) != 0)
        return; /* a file system without modes keeps its own */
}

int shard_publish(sqlite3 *db, const char *dir, const char *client, struct stat *st, char *err,
                  size_t n)
{
    size_t len = 0;
    unsigned char *img = serialize_db(db, &len);
    if (!img) {
        snprintf(err, n, "cannot copy the local database: %s", sqlite3_errmsg(db));
        return -1;
    }
    char tmp[4096], final[4096];
    snprintf(tmp, sizeof tmp, "%s/.%s.db.tmp-%ld", dir, client, (long)getpid());
    snprintf(final, sizeof final, "%s/%s.db", dir, client);
    const char *step = "create";
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        goto fail;
    share_file_mode(fd, dir);
    step = "write";
    if (write_all(fd, img, len) != 0)
        goto fail_fd;
    step = "fsync";
    if (fsync(fd) != 0)
        goto fail_fd;
    if (close(fd) != 0) {
        fd = -1;
        goto fail_fd;
    }
    fd = -1;
    step = "rename";
    if (rename(tmp, final) != 0)
        goto fail_fd;
    step = "fsync the directory of";
    if (fsync_dir(dir) != 0)
        goto fail;
    sqlite3_free(img);
    if (stat(final, st) != 0)
        memset(st, 0, sizeof *st);
    shard_write_beacon(dir, client);
    return 0;

fail_fd : {
    int saved = errno;
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    errno = saved;
}
fail:
    snprintf(err, n, "cannot %s %s: %s", step, final, strerror(errno));
    sqlite3_free(img);
    return -1;
}

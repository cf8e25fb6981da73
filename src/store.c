/* store.c — a client of the shared store: its local database, publishing its
 * shard, watching the other shards, and the merged snapshot (see store.h).
 *
 * Who writes what: this client alone writes its local database (several of its
 * own processes may, serialized by SQLite and by a lock file for publishing)
 * and <store>/shards/<client>.db. Every other shard is only ever read.
 *
 * When the store is on a PostgreSQL server, store_pg.c is the transport: the
 * share's entry points (check_share, check_own_shard, publish, store_poll,
 * store_refresh) hand over to the pg_* functions near the end; the client's
 * own events are published as this client's rows, and only ever inserted. */
#include "store_impl.h"
#include "store_pg.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "certboard/date.h"
#include "certboard/fswatch.h"
#include "certboard/hlc.h"
#include "certboard/text.h"
#include "certboard/trace.h"

#define RETRY_MS 2000 /* how often an idle poll retries a pending publish */
/* File systems with one-second timestamps (sshfs: SFTP v3 has no more) cannot
 * tell two same-size writes within one second apart by stat. A file whose
 * whole-second mtime is this close to when we looked at it is "racy" and is
 * re-read until it is older (the clocks of client and server may differ by
 * part of this margin). */
#define RACY_MS 3000
/* A shard that keeps reading as "replaced while read" for this long is bad. */
#define SETTLE_MS 5000
/* A one-shot command (store_open) waits this long, in ROUNDS, for a shard
 * caught being replaced before naming it skipped. */
#define OPEN_SETTLE_ROUNDS 3
#define OPEN_SETTLE_STEP_MS 100
/* A client whose newest change is stamped this far ahead of my clock is
 * named ("its clock is N h ahead"). */
#define SKEW_NOTE_MS 60000
/* A poll runs on a thread of its own; store_poll waits this long for it and
 * otherwise returns, so a share that stops answering never holds up the
 * caller (the dashboard's input loop). One that has not answered for
 * HUNG_MS makes the state "share not answering". */
#define POLL_WAIT_MS 40
#define HUNG_MS 1000
/* How an idle client learns of other clients' changes. On a local shards
 * directory inotify says when to look, and nothing runs while nothing
 * changes. On a share (whose other clients' writes inotify never sees) a poll
 * reads only the beacon, every SHARE_POLL_MS (a change shows within that plus
 * one load: well inside the 2 s promise), and stats the directory and every
 * shard every SHARE_SCAN_MS, a safety net for what the beacon cannot say (a
 * publish whose beacon write failed, a client too old to write one, a beacon
 * replaced rather than rewritten, which a full look opens anew; two
 * publishes racing for it are caught sooner: any change of the beacon has
 * every shard checked). With 1,000 shards one full look costs about 30 ms of
 * CPU on sshfs, so every two minutes keeps an idle dashboard under 50 ms a
 * minute. While a poll waits for the share it is looked at every
 * IN_FLIGHT_MS; a shard caught being replaced is re-read every
 * SETTLE_STEP_MS. */
#define SHARE_POLL_MS 1000
#define SHARE_SCAN_MS 120000
#define IN_FLIGHT_MS 250
#define SETTLE_STEP_MS 250
#define CB_STR2(x) #x
#define CB_STR(x) CB_STR2(x)

/* One look at the share, run by the helper process (see below). */
typedef struct poll_job {
    int result; /* POLL_* */
    uint64_t stat_calls, beacon_reads;
    int64_t started_ms;
    const char *shards_dir; /* not owned */
    bool full;              /* stat the directory and every shard; else the beacon only */
    bool dir_listed, share_known;
    struct timespec dir_mtime;
    int64_t dir_checked_ms;
    dev_t share_dev;
    ino_t share_ino;
    char beacon[256];
    int n, cap; /* paths and sts are kept from poll to poll */
    char **paths;
    struct stat *sts;
} poll_job;

typedef struct shard_slot { /* one file in <store>/shards */
    char *name;
    struct stat st;      /* of the last load attempt */
    int64_t checked_ms;  /* when it was loaded (local wall clock) */
    int64_t retry_since; /* first read that caught it being replaced, or 0 */
    bool listed;
    bool bad;                  /* the last load failed */
    bool skew_named;           /* its clock ahead of mine was reported */
    bool force;                /* named by the beacon: read it whatever stat says */
    uint64_t quarantine_named; /* first quarantined clock reported, or 0 */
    shard_events *ev;          /* the last good load, or NULL */
} shard_slot;

struct cb_store {
    char *dir, *shards_dir, *plan_id, *client, *member, *os_user, *host;
    char *local_path, *lock_path, *my_shard, *local_dir;
    dev_t local_dev; /* the local database file opened, checked on each use */
    ino_t local_ino;
    bool reader;     /* opened read_only: no local database */
    bool settle_now; /* name shards caught mid-replace instead of waiting */
    /* Opened for one change (cb_store_opts.one_change): other shards were
     * only peeked at for their clocks, and are loaded by the first refresh
     * or snapshot. */
    bool peek, deferred;
    /* The share's identity: the shards directory this client has seen, by
     * device and inode. Once known, the store is never created again and a
     * different directory at its path (an empty mount point, another file
     * system) is "unreachable", not a new store. */
    bool share_known, may_create;
    dev_t share_dev;
    ino_t share_ino;
    shard_budget budget;
    sqlite3 *local;
    int64_t data_version; /* of the local database, as last read */
    shard_events *mine;

    shard_slot *slots;
    int n_slots, cap_slots;
    char beacon[256]; /* the beacon's content as last read */
    struct timespec dir_mtime;
    int64_t dir_checked_ms;
    bool dir_listed;

    enum cb_store_state state;
    char problem[512];     /* why the state is not SHARED */
    int64_t published_seq; /* greatest seq in my published shard */
    struct stat published_st;
    int64_t last_retry_ms;

    uint64_t hlc_seen;
    int64_t last_seq;
    snapshot_impl *snap;
    bool dirty;
    uint64_t generation;
    int64_t last_refresh_ms;
    uint64_t stat_calls;
    /* The checkpoint (store_ckpt.c): read at the first full refresh, used
     * by the first snapshot, written at close unless it still spares a
     * start nearly all its reading (see save_ckpt). */
    store_ckpt *ckpt;
    bool ckpt_tried, ckpt_used;
    int ckpt_gone;            /* its records with no shard any more (see ckpt_gone) */
    uint64_t ckpt_taken;      /* shards whose events came from it */
    const char *snap_how;     /* see store_snapshot_how */
    struct early_ckpt *early; /* the checkpoint being read meanwhile, or NULL */
    bool lazy;                /* cb_store_opts.lazy_history */
    poll_job *job;            /* a poll in flight (&pj), or NULL */
    poll_job pj;
    char *req; /* the request to the helper, kept from poll to poll */
    size_t req_cap;
    uint64_t beacon_reads;
    /* Waiting without a timer (see SHARE_POLL_MS): an inotify descriptor
     * watching the shards directory (when it is local) and the local
     * database's directory; -1 for a watch that could not be made. */
    bool watch_tried, force_remote, share_remote;
    int watch_fd, wd_shards, wd_local;
    bool hint_share, hint_local; /* what the last drain of watch_fd said */
    int64_t last_look_ms;        /* monotonic: the last poll or refresh */
    int64_t last_scan_ms;        /* monotonic: the last stat of every shard */
    int scan_ms;                 /* SHARE_SCAN_MS, or what a test set */
    pid_t helper_pid;            /* the process polling the share, or 0 */
    int helper_fd;               /* a socket to it */
    bool not_answering;          /* that poll has waited HUNG_MS or more */
    char hung_problem[256];
    int64_t (*clock)(void *);
    void *clock_ctx;
    store_pg *pg; /* the store is on a PostgreSQL server (store_pg.c), or NULL */
};

static void pg_check(cb_store *s, cb_diags *d);
static int pg_check_own(cb_store *s, bool allow_rebuild, cb_diags *d);
static int pg_sync(cb_store *s, cb_diags *d);
static void job_free(poll_job *j);
static void stop_helper(cb_store *s);
static void save_ckpt(cb_store *s);
static void start_early_ckpt(cb_store *s, const char *local_dir);
static store_ckpt *take_early_ckpt(cb_store *s, const char *path);
static void join_early_ckpt(cb_store *s);
static bool share_hanging(cb_store *s);
static void start_watching(cb_store *s);

static int64_t real_clock(void *ctx)
{
    (void)ctx;
    return date_wall_ms();
}

static int64_t now_ms(const cb_store *s)
{
    return s->clock(s->clock_ctx);
}

void store_set_clock(cb_store *s, int64_t (*fn)(void *), void *ctx)
{
    s->clock = fn ? fn : real_clock;
    s->clock_ctx = fn ? ctx : NULL;
}

static int share_stat(cb_store *s, const char *path, struct stat *st)
{
    s->stat_calls++;
    return stat(path, st);
}

/* A shard is never followed through a link (the loader refuses one), so its
 * own attributes are what tell whether it changed. */
static int share_lstat(cb_store *s, const char *path, struct stat *st)
{
    s->stat_calls++;
    return lstat(path, st);
}

static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static bool racy(const struct timespec *mtime, int64_t checked_ms)
{
    return mtime->tv_nsec == 0 && (int64_t)mtime->tv_sec * 1000 + RACY_MS > checked_ms;
}

static bool dir_changed(const cb_store *s, const struct stat *st)
{
    return !s->dir_listed || st->st_mtim.tv_sec != s->dir_mtime.tv_sec ||
           st->st_mtim.tv_nsec != s->dir_mtime.tv_nsec ||
           racy(&s->dir_mtime, s->dir_checked_ms);
}

static void set_problem(cb_store *s, enum cb_store_state st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_problem(cb_store *s, enum cb_store_state st, const char *fmt, ...)
{
    s->state = st;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->problem, sizeof s->problem, fmt, ap);
    va_end(ap);
}

/* --- identity ------------------------------------------------------------ */

static char *os_user_name(void)
{
    struct passwd *pw = getpwuid(geteuid());
    if (pw && pw->pw_name && *pw->pw_name)
        return xstrdup(pw->pw_name);
    const char *u = getenv("USER");
    return xstrdup(u && *u ? u : "unknown");
}

static char *host_name(void)
{
    char h[256] = "";
    if (gethostname(h, sizeof h - 1) != 0 || !*h)
        snprintf(h, sizeof h, "localhost");
    return xstrdup(h);
}

/* host-user-<hash of the store path>, limited to [A-Za-z0-9._-]. The path is
 * made absolute but not resolved: it must hash the same whether or not the
 * share is mounted at the moment. */
static char *derive_client_id(const char *host, const char *user, const char *dir)
{
    char abs[PATH_MAX + 2] = "", cwd[PATH_MAX];
    if (dir[0] != '/' && getcwd(cwd, sizeof cwd))
        snprintf(abs, sizeof abs, "%s/", cwd);
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    snprintf(abs + strlen(abs), sizeof abs - strlen(abs), "%.*s", (int)len, dir);
    uint32_t h = 2166136261u;
    for (const char *p = abs; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    char buf[200];
    snprintf(buf, sizeof buf, "%.60s-%.60s-%08x", host, user, h);
    for (char *c = buf; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
              (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-'))
            *c = '_';
    return xstrdup(buf);
}

/* This machine's id (/etc/machine-id; for tests, CERTBOARD_TEST_MACHINE_ID),
 * hashed to 8 hex digits; "" when there is none. */
static void machine_tag(char out[9])
{
    char id[128] = "";
    const char *t = getenv("CERTBOARD_TEST_MACHINE_ID");
    if (t && *t) {
        snprintf(id, sizeof id, "%s", t);
    } else {
        static const char *const files[] = {"/etc/machine-id", "/var/lib/dbus/machine-id"};
        for (size_t i = 0; i < sizeof files / sizeof *files && !*id; i++) {
            FILE *f = fopen(files[i], "r");
            if (f) {
                if (!fgets(id, sizeof id, f))
                    id[0] = '\0';
                fclose(f);
            }
        }
        id[strcspn(id, "\r\n")] = '\0';
    }
    out[0] = '\0';
    if (!*id)
        return;
    uint32_t h = 2166136261u;
    for (const char *p = id; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    snprintf(out, 9, "%08x", h);
}

static bool valid_client_id(const char *id)
{
    if (!*id || *id == '.' || strlen(id) > 128)
        return false;
    for (const char *c = id; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
              (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-'))
            return false;
    return true;
}

/* --- directories --------------------------------------------------------- */

/* On a team folder (a parent directory writable by its group), what the store
 * creates must be usable by every member of that group whatever the creator's
 * umask: a new directory gets the parent's group, rwx for the group (2775 style,
 * setgid kept when the parent has it) and the parent's read/search bits for
 * others. Best effort: a file system without modes (SMB) keeps its own. */
static void share_dir_created(const char *path)
{
    char parent[PATH_MAX];
    if (snprintf(parent, sizeof parent, "%s", path) >= (int)sizeof parent)
        return;
    char *slash = strrchr(parent, '/');
    while (slash && slash > parent && slash[1] == '\0') { /* "a/b/" */
        *slash = '\0';
        slash = strrchr(parent, '/');
    }
    if (!slash)
        snprintf(parent, sizeof parent, ".");
    else if (slash == parent)
        parent[1] = '\0';
    else
        *slash = '\0';
    struct stat ps, st;
    if (stat(parent, &ps) != 0 || !(ps.st_mode & S_IWGRP) || stat(path, &st) != 0)
        return;
    if (st.st_gid != ps.st_gid && chown(path, (uid_t)-1, ps.st_gid) != 0)
        return; /* not in the parent's group: leave it as the umask made it */
    mode_t want = (st.st_mode & 07777) | S_IRWXU | S_IRWXG |
                  (ps.st_mode & (S_IROTH | S_IXOTH)) | (ps.st_mode & S_ISGID);
    if (want != (st.st_mode & 07777) && chmod(path, want) != 0)
        return;
}

/* mkdir() for a directory on the share: group-writable when its parent is. */
static int share_mkdir(const char *path)
{
    if (mkdir(path, 0777) != 0)
        return -1;
    share_dir_created(path);
    return 0;
}

/* mkdir -p; with share, each directory it creates is made as on the share. */
static int mkdir_p(const char *path, bool share)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if ((share ? share_mkdir(buf) : mkdir(buf, 0777)) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return (share ? share_mkdir(buf) : mkdir(buf, 0777)) != 0 && errno != EEXIST ? -1 : 0;
}

static bool errno_is_read_only(int e)
{
    return e == EROFS || e == EACCES || e == EPERM;
}

/* Does a shards directory of another identity hold this store? Only when my
 * own shard is in it (a remount of the same share), or, for a client that
 * has published nothing, when it holds any shard. An empty directory (a mount
 * point without its share) never does. */
static bool holds_this_store(cb_store *s)
{
    struct stat st;
    if (share_lstat(s, s->my_shard, &st) == 0)
        return true;
    if (!s->reader && s->mine && s->mine->n > 0)
        return false;
    DIR *dir = opendir(s->shards_dir);
    bool any = false;
    for (struct dirent *de; dir && !any && (de = readdir(dir)) != NULL;) {
        size_t len = strlen(de->d_name);
        any = de->d_name[0] != '.' && len > 3 && strcmp(de->d_name + len - 3, ".db") == 0;
    }
    if (dir)
        closedir(dir);
    return any;
}

/* Is st (of the shards directory) not the one this client has been using? */
static bool share_moved(cb_store *s, const struct stat *st)
{
    if (!s->share_known || (st->st_dev == s->share_dev && st->st_ino == s->share_ino))
        return false;
    if (!holds_this_store(s))
        return true;
    s->share_dev = st->st_dev; /* the same store, remounted */
    s->share_ino = st->st_ino;
    return false;
}

static void set_moved(cb_store *s, const struct stat *st)
{
    bool pending = !s->reader && s->mine && s->mine->max_seq > s->published_seq;
    set_problem(s, pending ? CB_STORE_PENDING : CB_STORE_LOCAL_ONLY,
                "store %s is unreachable: the directory there now is not the one this client "
                "used (device %llx, was %llx; an empty mount point?): working locally; "
                "changes are published when the share is back",
                s->dir, (unsigned long long)st->st_dev, (unsigned long long)s->share_dev);
}

/* The local database remembers that this client has used the share, so a
 * later start without it does not create an empty store in its place. */
static void remember_share(cb_store *s)
{
    if (s->reader || !s->local || s->may_create == false)
        return;
    char *sql =
        sqlite3_mprintf("INSERT OR IGNORE INTO meta VALUES('share_seen:' || %Q, '1')", s->dir);
    sqlite3_exec(s->local, sql, NULL, NULL, NULL);
    sqlite3_free(sql);
}

static bool share_seen_before(cb_store *s)
{
    sqlite3_stmt *st;
    bool seen = false;
    if (sqlite3_prepare_v2(s->local, "SELECT 1 FROM meta WHERE key = 'share_seen:' || ?", -1,
                           &st, NULL) == SQLITE_OK &&
        sqlite3_bind_text(st, 1, s->dir, -1, SQLITE_STATIC) == SQLITE_OK)
        seen = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return seen;
}

/* The share refused this client's writes for want of permission (err). */
static void set_closed(cb_store *s, const char *refused, int err)
{
    set_problem(s, CB_STORE_READ_ONLY,
                "store %s is read-only (%s): you can look, changes are refused; to share it "
                "with its group, the owner of %s runs: chmod -R g+rwX,g+s %s",
                s->dir, strerror(err), refused, s->dir);
}

/* Makes sure <store>/shards exists and can be written; sets the state. */
static void check_share(cb_store *s, bool create_parents, cb_diags *d)
{
    if (s->pg) {
        pg_check(s, d);
        return;
    }
    struct stat st;
    s->state = CB_STORE_SHARED;
    bool exists = share_stat(s, s->dir, &st) == 0;
    if (!exists && !s->may_create) {
        set_problem(s, CB_STORE_LOCAL_ONLY,
                    "store %s is unreachable (%s): this client has used it before, so it is "
                    "not created again (is the share mounted?); working locally, changes are "
                    "published when it is back",
                    s->dir, strerror(errno));
    } else if (!exists) {
        int rc = create_parents ? mkdir_p(s->dir, true) : share_mkdir(s->dir);
        if (rc != 0 && errno != EEXIST) {
            if (errno_is_read_only(errno))
                set_problem(s, CB_STORE_READ_ONLY, "store %s is read-only: %s", s->dir,
                            strerror(errno));
            else
                set_problem(s, CB_STORE_LOCAL_ONLY,
                            "store %s is unreachable (%s): working locally; changes are "
                            "published when it is back",
                            s->dir, strerror(errno));
        }
    } else if (!S_ISDIR(st.st_mode)) {
        set_problem(s, CB_STORE_LOCAL_ONLY, "store %s is not a directory: working locally",
                    s->dir);
    }
    if (s->state == CB_STORE_SHARED && share_stat(s, s->shards_dir, &st) != 0 &&
        share_mkdir(s->shards_dir) != 0 && errno != EEXIST) {
        if (errno == EACCES)
            set_closed(s, s->dir, errno);
        else if (errno_is_read_only(errno))
            set_problem(s, CB_STORE_READ_ONLY, "store %s is read-only: %s", s->dir,
                        strerror(errno));
        else
            set_problem(s, CB_STORE_LOCAL_ONLY, "store %s is unreachable (%s): working locally",
                        s->dir, strerror(errno));
    }
    if (s->state == CB_STORE_SHARED && share_stat(s, s->shards_dir, &st) == 0) {
        if (share_moved(s, &st)) {
            set_moved(s, &st);
        } else if (!s->share_known) {
            s->share_known = true;
            s->share_dev = st.st_dev;
            s->share_ino = st.st_ino;
        }
    }
    /* Asked, not tried: a file created and deleted in shards/ would make
     * every other client's dashboard look at the directory again. Where
     * access() cannot tell (some network clients answer yes to all), the
     * first publish's failure says it (see publish). */
    if (s->state == CB_STORE_SHARED && !s->reader &&
        faccessat(AT_FDCWD, s->shards_dir, W_OK | X_OK, AT_EACCESS) != 0) {
        if (errno == EACCES || errno == EPERM) {
            set_closed(s, s->shards_dir, errno);
        } else if (errno_is_read_only(errno)) {
            set_problem(s, CB_STORE_READ_ONLY,
                        "store %s is read-only (%s): you can look, changes are refused", s->dir,
                        strerror(errno));
        } else {
            set_problem(s, CB_STORE_LOCAL_ONLY, "store %s is unreachable (%s): working locally",
                        s->dir, strerror(errno));
        }
    }
    if (s->state == CB_STORE_SHARED) {
        remember_share(s);
        s->may_create = create_parents; /* never again, but for a local default store */
    }
    if (s->state != CB_STORE_SHARED && d)
        diags_add(d, CB_WARNING, NULL, 0, 0, "%s", s->problem);
}

/* --- the local database --------------------------------------------------- */

/* Re-reads my events when another process of mine changed the database. */
static int reload_mine(cb_store *s, bool force, char *err, size_t n)
{
    int64_t v = shard_pragma_int(s->local, "data_version");
    if (!force && v == s->data_version && s->mine)
        return 0;
    shard_events *se = shard_read_db(s->local, err, n);
    if (!se)
        return -1;
    shev_release(s->mine);
    s->mine = se;
    s->data_version = v;
    if (se->max_hlc > s->hlc_seen)
        s->hlc_seen = se->max_hlc;
    s->dirty = true;
    return 0;
}

/* Copies the events of from (my published shard, or my events in memory)
 * past the first `have` into the local database, which holds those. */
static int copy_into_local(cb_store *s, const shard_events *from, size_t have, uint64_t chain,
                           char *err, size_t n)
{
    int rc = sqlite3_exec(s->local, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    for (size_t i = have; rc == SQLITE_OK && i < from->n; i++) {
        rc = shard_insert_event(s->local, &from->ev[i], chain);
        chain = event_chain(chain, &from->ev[i]);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(s->local, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, n, "cannot rebuild %s: %s", s->local_path, sqlite3_errmsg(s->local));
        sqlite3_exec(s->local, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return reload_mine(s, true, err, n);
}

/* Copies the events of my published shard into an empty local database. */
static int rebuild_local(cb_store *s, const shard_events *from, char *err, size_t n)
{
    return copy_into_local(s, from, 0, 0, err, n);
}

static char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *out = NULL;
    if (vasprintf(&out, fmt, ap) < 0)
        cb_die("out of memory");
    va_end(ap);
    return out;
}

/* The plan id a local database records, or "" (into buf). */
static const char *local_plan_id(const char *path, char *buf, size_t n)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    buf[0] = '\0';
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'plan_id'", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(buf, n, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return buf;
}

/* One local database per client and plan (<base>/<plan>/<client>.db), so one
 * client id serves every plan of a machine and user. A database of the older
 * layout (<base>/<client>.db) that belongs to this plan moves in. */
static char *local_dir_of_plan(cb_store *s, const char *base)
{
    if (!*s->plan_id)
        return xstrdup(base);
    char *dir = xasprintf("%s/%s", base, s->plan_id);
    char *now = xasprintf("%s/%s.db", dir, s->client),
         *old = xasprintf("%s/%s.db", base, s->client);
    char id[256];
    if (access(now, F_OK) != 0 && access(old, F_OK) == 0 &&
        strcmp(local_plan_id(old, id, sizeof id), s->plan_id) == 0 &&
        mkdir_p(dir, false) == 0) {
        static const char *const tails[] = {"-wal", "-shm", ""}; /* the database last */
        for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
            char *from = xasprintf("%s%s", old, tails[i]),
                 *to = xasprintf("%s%s", now, tails[i]);
            if (rename(from, to) != 0 && errno != ENOENT)
                trace_mark("local database not moved");
            free(from);
            free(to);
        }
    }
    free(now);
    free(old);
    return dir;
}

static int open_local(cb_store *s, const char *local_dir, cb_diags *d)
{
    char err[512];
    if (mkdir_p(local_dir, false) != 0) {
        diags_add(d, CB_ERROR, local_dir, 0, 0,
                  "cannot create the local database directory: %s", strerror(errno));
        return -1;
    }
    if (!s->local_path) {
        s->local_dir = xstrdup(local_dir);
        s->local_path = xasprintf("%s/%s.db", local_dir, s->client);
        s->lock_path = xasprintf("%s/%s.lock", local_dir, s->client);
    }
    if (sqlite3_open_v2(s->local_path, &s->local, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        NULL) != SQLITE_OK) {
        diags_add(d, CB_ERROR, s->local_path, 0, 0, "cannot open the local database: %s",
                  sqlite3_errmsg(s->local));
        return -1;
    }
    sqlite3_busy_timeout(s->local, 10000);
    int64_t version = shard_pragma_int(s->local, "user_version");
    if (version < 0 ||
        sqlite3_exec(s->local, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL,
                     NULL) != SQLITE_OK ||
        (version == 0 &&
         shard_create_schema(s->local, s->client, s->plan_id, err, sizeof err) != 0)) {
        int code = sqlite3_errcode(s->local);
        if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
            diags_add(d, CB_ERROR, s->local_path, 0, 0,
                      "the local database is unreadable (%s): move it away and certboard "
                      "rebuilds it from your published shard",
                      sqlite3_errmsg(s->local));
        else
            diags_add(d, CB_ERROR, s->local_path, 0, 0,
                      "cannot open the local database: %s (is the disk full or not "
                      "writable?)",
                      sqlite3_errmsg(s->local));
        return -1;
    }
    if (version > CB_STORE_SCHEMA) {
        set_problem(s, CB_STORE_READ_ONLY,
                    "%s has schema %lld, newer than this certboard's %d: upgrade certboard; "
                    "changes are refused",
                    s->local_path, (long long)version, CB_STORE_SCHEMA);
        diags_add(d, CB_WARNING, NULL, 0, 0, "%s", s->problem);
    }
    if (reload_mine(s, true, err, sizeof err) != 0) {
        diags_add(d, CB_ERROR, s->local_path, 0, 0,
                  "the local database is unreadable (%s): move it away and certboard "
                  "rebuilds it from your published shard",
                  err);
        return -1;
    }
    if (strcmp(s->mine->client, s->client) != 0 ||
        (*s->plan_id && *s->mine->plan_id && strcmp(s->mine->plan_id, s->plan_id) != 0)) {
        diags_add(d, CB_ERROR, s->local_path, 0, 0,
                  "the local database belongs to client '%s' of plan '%s', not '%s' of '%s'",
                  s->mine->client, s->mine->plan_id, s->client, s->plan_id);
        return -1;
    }
    int fd = open(s->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        diags_add(d, CB_ERROR, s->lock_path, 0, 0, "cannot create the lock file: %s",
                  strerror(errno));
        return -1;
    }
    close(fd);
    struct stat st;
    if (stat(s->local_path, &st) == 0) {
        s->local_dev = st.st_dev;
        s->local_ino = st.st_ino;
    }
    return 0;
}

static void enter_conflict(cb_store *s, cb_diags *d);

/* The local database is checked by inode on each use: if it was deleted (or
 * replaced) under a running client, nothing is acknowledged into the deleted
 * file. It is opened again, and what it lacks of my events in memory (all I
 * acknowledged) is written back; another process of mine may have recreated
 * it from my published shard already, and then only the rest is added.
 * 1 when it was reopened, 0 when all was well, -1 with err when it cannot be
 * recreated (the change is then refused). */
static int check_local(cb_store *s, cb_diags *d, char *err, size_t n)
{
    struct stat st;
    if (s->reader || !s->local)
        return 0;
    int rc = stat(s->local_path, &st);
    if (rc == 0 && st.st_dev == s->local_dev && st.st_ino == s->local_ino)
        return 0;
    if (rc == 0) {
        /* Someone else's database is at the path now: closing must neither
         * checkpoint into nor delete its write-ahead log. */
        int keep = 1;
        sqlite3_file_control(s->local, "main", SQLITE_FCNTL_PERSIST_WAL, &keep);
        sqlite3_db_config(s->local, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
    }
    /* (Deleted: closing removes its stale -wal and -shm, which a new database
     * at the path must not inherit.) */
    shard_events *old = shev_retain(s->mine);
    sqlite3_close(s->local);
    s->local = NULL;
    cb_diags tmp;
    diags_init(&tmp);
    int ok = open_local(s, s->local_dir, &tmp);
    if (ok != 0) {
        snprintf(err, n,
                 "the local database %s was deleted while certboard ran and cannot be "
                 "recreated (%s); nothing saved",
                 s->local_path, tmp.n ? tmp.v[tmp.n - 1].msg : "?");
        diags_free(&tmp);
        if (!s->mine)
            s->mine = old;
        else
            shev_release(old);
        return -1;
    }
    diags_free(&tmp);
    size_t restored = 0;
    if (shard_is_subset(s->mine, old)) {
        restored = old->n - s->mine->n;
        if (restored && copy_into_local(s, old, s->mine->n, s->mine->chain, err, n) != 0) {
            shev_release(old);
            return -1;
        }
    } else if (!shard_is_subset(old, s->mine)) {
        enter_conflict(s, d);
    }
    if (d)
        diags_add(d, CB_WARNING, s->local_path, 0, 0,
                  "the local database was deleted or replaced while certboard ran: reopened, "
                  "%zu change%s restored from memory",
                  restored, restored == 1 ? "" : "s");
    shev_release(old);
    s->dirty = true;
    return 1;
}

/* A local database records the machine it was made on. One found on another
 * machine was copied there (a cloned home directory, a copied VM image with
 * a new machine id): this machine then takes a client id of its own, the
 * derived one plus its machine tag, so that the two never publish as one
 * client (the other machine keeps the original id and its changes). Only for
 * derived ids: a client id given with CERTBOARD_CLIENT is the user's choice,
 * and a clash is then caught as "client id conflict". */
static int check_machine(cb_store *s, cb_diags *d)
{
    char tag[9];
    machine_tag(tag);
    if (!*tag)
        return 0;
    sqlite3_stmt *st;
    char made_on[16] = "";
    if (sqlite3_prepare_v2(s->local, "SELECT value FROM meta WHERE key = 'machine'", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(made_on, sizeof made_on, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (!*made_on || strcmp(made_on, tag) == 0 || strlen(s->client) > 100) {
        if (!*made_on) {
            char *sql =
                sqlite3_mprintf("INSERT OR IGNORE INTO meta VALUES('machine', %Q)", tag);
            sqlite3_exec(s->local, sql, NULL, NULL, NULL);
            sqlite3_free(sql);
        }
        return 0;
    }
    char *was = s->client;
    s->client = xasprintf("%s-%s", was, tag);
    if (d)
        diags_add(d, CB_NOTE, s->local_path, 0, 0,
                  "this local database was made on another machine (a copied home directory "
                  "or VM image): this machine publishes as client '%s', the other keeps '%s'",
                  s->client, was);
    free(was);
    sqlite3_close(s->local);
    s->local = NULL;
    shev_release(s->mine);
    s->mine = NULL;
    free(s->local_path);
    free(s->lock_path);
    s->local_path = s->lock_path = NULL;
    free(s->my_shard);
    s->my_shard = xasprintf("%s/%s.db", s->shards_dir, s->client);
    char *dir = s->local_dir;
    s->local_dir = NULL;
    int rc = open_local(s, dir, d);
    free(dir);
    if (rc == 0)
        return check_machine(s, d); /* records the tag in the new database */
    return rc;
}

/* --- my shard on the share ------------------------------------------------ */

static void enter_conflict(cb_store *s, cb_diags *d)
{
    set_problem(s, CB_STORE_CONFLICT,
                "another client publishes as '%s': %s holds changes this machine never "
                "made. Not publishing (your changes stay in %s). Give each machine its own "
                "client id; see docs/shared-drive.md",
                s->client, s->my_shard, s->local_path);
    if (d)
        diags_add(d, CB_WARNING, NULL, 0, 0, "%s", s->problem);
}

/* Compares my published shard with my local events. Returns -1 when it holds
 * events I never made (the client id is claimed twice). */
static int check_own_shard(cb_store *s, bool allow_rebuild, cb_diags *d)
{
    if (s->pg)
        return pg_check_own(s, allow_rebuild, d);
    struct stat st;
    char err[512];
    if (share_stat(s, s->my_shard, &st) != 0) {
        s->published_seq = 0;
        memset(&s->published_st, 0, sizeof s->published_st);
        return 0;
    }
    if (same_file(&st, &s->published_st))
        return 0;
    bool changing;
    shard_events *se = shard_load_file(s->my_shard, &st, &changing, err, sizeof err);
    if (!se && changing)
        return 0; /* being replaced (by another process of mine): look next time */
    if (se && strcmp(se->client, s->client) != 0)
        snprintf(err, sizeof err, "it belongs to client '%s'", se->client);
    if (!se || strcmp(se->client, s->client) != 0) {
        if (d)
            diags_add(d, CB_WARNING, s->my_shard, 0, 0,
                      "my published shard is unusable (%s); it will be replaced", err);
        shev_release(se);
        s->published_seq = 0;
        return 0;
    }
    int rc = 0;
    if (allow_rebuild && s->mine->n == 0 && se->n > 0) {
        if (rebuild_local(s, se, err, sizeof err) == 0) {
            if (d)
                diags_add(d, CB_NOTE, s->local_path, 0, 0,
                          "local database rebuilt from the published shard (%zu changes)",
                          se->n);
        } else if (d) {
            diags_add(d, CB_WARNING, NULL, 0, 0, "%s", err);
        }
    }
    char dummy[8];
    reload_mine(s, false, dummy, sizeof dummy);
    if (!shard_is_subset(se, s->mine)) {
        enter_conflict(s, d);
        rc = -1;
    } else if (se->schema > CB_STORE_SCHEMA) {
        set_problem(s, CB_STORE_READ_ONLY,
                    "%s was written by a newer certboard (schema %d): it is never rewritten "
                    "by this one; upgrade certboard",
                    s->my_shard, se->schema);
        if (d)
            diags_add(d, CB_WARNING, NULL, 0, 0, "%s", s->problem);
        rc = -1;
    } else {
        s->published_seq = se->max_seq;
        s->published_st = st;
    }
    shev_release(se);
    return rc;
}

static bool may_publish(const cb_store *s)
{
    return !s->reader && s->state != CB_STORE_READ_ONLY && s->state != CB_STORE_CONFLICT;
}

/* Publishes my local database as my shard, under my lock file so that my own
 * processes rename their copies one at a time and the last one is the newest. */
static int publish(cb_store *s, cb_diags *d)
{
    if (!may_publish(s))
        return -1;
    if (s->pg)
        return pg_sync(s, d);
    struct stat dst;
    if (share_stat(s, s->shards_dir, &dst) == 0 && share_moved(s, &dst)) {
        set_moved(s, &dst);
        s->last_retry_ms = now_ms(s);
        return -1;
    }
    int fd = open(s->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 || flock(fd, LOCK_EX) != 0) {
        set_problem(s, CB_STORE_PENDING, "cannot lock %s: %s", s->lock_path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    char err[512];
    int rc = reload_mine(s, false, err, sizeof err);
    if (rc == 0)
        rc = check_own_shard(s, false, d);
    struct stat st;
    if (rc == 0 &&
        shard_publish(s->local, s->shards_dir, s->client, &st, err, sizeof err) != 0) {
        int e = errno;
        if (e == EACCES || e == EPERM)
            set_closed(s, s->shards_dir, e);
        else if (errno_is_read_only(e))
            set_problem(s, CB_STORE_READ_ONLY, "store %s is read-only: %s", s->dir, err);
        else
            set_problem(s, CB_STORE_PENDING,
                        "not yet published (%s); kept locally, retried on refresh", err);
        s->last_retry_ms = now_ms(s);
        rc = -1;
    } else if (rc == 0) {
        s->published_st = st;
        s->published_seq = s->mine->max_seq;
        s->state = CB_STORE_SHARED;
        s->problem[0] = '\0';
    }
    close(fd);
    return rc;
}

/* --- open / close --------------------------------------------------------- */

/* Is some shard still caught being replaced? recent: only one written in the
 * last few seconds (an honest publish in progress, worth a short wait; a file
 * left cut short long ago is damage, named at once). */
static bool unsettled(const cb_store *s, bool recent)
{
    int64_t now = real_clock(NULL);
    for (int i = 0; i < s->n_slots; i++) {
        const shard_slot *sl = &s->slots[i];
        if (sl->retry_since &&
            (!recent || (int64_t)sl->st.st_mtim.tv_sec * 1000 + SETTLE_MS > now))
            return true;
    }
    return false;
}

cb_store *store_open(const cb_store_opts *o, cb_diags *d)
{
    if (!o || !o->dir || !*o->dir) {
        diags_add(d, CB_ERROR, NULL, 0, 0, "no store directory given");
        return NULL;
    }
    if (o->client_id && !valid_client_id(o->client_id)) {
        diags_add(d, CB_ERROR, NULL, 0, 0,
                  "invalid client id '%s' (letters, digits, '.', '_', '-'; at most 128)",
                  o->client_id);
        return NULL;
    }
    cb_store *s = xcalloc(1, sizeof *s);
    s->clock = real_clock;
    s->watch_fd = s->wd_shards = s->wd_local = -1;
    s->scan_ms = SHARE_SCAN_MS;
    s->reader = o->read_only;
    s->budget = (shard_budget){.max_bytes = (off_t)o->max_shard_bytes,
                               .max_events = o->max_shard_events};
    s->dir = xstrdup(o->dir);
    s->shards_dir = xasprintf("%s/shards", o->dir);
    s->plan_id = xstrdup(o->plan_id ? o->plan_id : "");
    s->member = xstrdup(o->member ? o->member : "");
    s->os_user = os_user_name();
    s->host = host_name();
    s->client =
        o->client_id ? xstrdup(o->client_id) : derive_client_id(s->host, s->os_user, o->dir);
    s->my_shard = xasprintf("%s/%s.db", s->shards_dir, s->client);
    char why[512];
    if (pg_is_uri(o->dir) && pg_check_uri(o->dir, why, sizeof why) != 0) {
        diags_add(d, CB_ERROR, NULL, 0, 0, "%s", why);
        store_close(s);
        return NULL;
    }
    if (pg_is_uri(o->dir))
        s->pg = pg_new(o->dir, s->plan_id, s->client, o->one_change);

    s->may_create = true;
    if (s->reader)
        check_share(s, o->create_parents, d);
    else {
        char *local_dir = o->local_dir ? xstrdup(o->local_dir) : NULL;
        if (!local_dir) {
            const char *x = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
            char *base = x && *x == '/' ? xasprintf("%s/certboard/local", x)
                                        : xasprintf("%s/.local/share/certboard/local",
                                                    home && *home ? home : ".");
            local_dir = local_dir_of_plan(s, base);
            free(base);
        }
        if (!o->one_change)
            start_early_ckpt(s, local_dir);
        int rc = open_local(s, local_dir, d);
        if (rc == 0 && !o->client_id)
            rc = check_machine(s, d);
        trace_mark("local database open");
        free(local_dir);
        if (rc != 0) {
            store_close(s);
            return NULL;
        }
        /* A share this client has used before is never created again: its
         * absence means it is not mounted. */
        s->may_create = o->create_parents || !share_seen_before(s);
        enum cb_store_state local_state = s->state;
        char local_problem[sizeof s->problem];
        memcpy(local_problem, s->problem, sizeof local_problem);
        check_share(s, o->create_parents, d);
        if (local_state == CB_STORE_READ_ONLY) { /* a newer local schema */
            s->state = local_state;
            memcpy(s->problem, local_problem, sizeof s->problem);
        }
        trace_mark("share checked");
        if (s->state == CB_STORE_SHARED && check_own_shard(s, true, d) == 0 &&
            s->mine->max_seq > s->published_seq)
            publish(s, d);
        trace_mark("own shard checked");
    }
    s->peek = o->one_change && !s->reader;
    s->lazy = o->lazy_history;
    store_refresh(s, d);
    join_early_ckpt(s);
    s->peek = false;
    /* A shard caught being replaced is re-read a moment later; a command that
     * runs once must not skip it without a word, so past a short wait it is
     * named like any other bad shard. */
    for (int round = 0; round < OPEN_SETTLE_ROUNDS && unsettled(s, true); round++) {
        struct timespec ts = {0, OPEN_SETTLE_STEP_MS * 1000000L};
        nanosleep(&ts, NULL);
        store_refresh(s, d);
    }
    if (unsettled(s, false)) {
        s->settle_now = true;
        store_refresh(s, d);
        s->settle_now = false;
    }
    return s;
}

static void drop_slot(shard_slot *sl)
{
    shev_release(sl->ev);
    free(sl->name);
}

void store_close(cb_store *s)
{
    if (!s)
        return;
    stop_helper(s);
    job_free(&s->pj);
    free(s->req);
    if (s->watch_fd >= 0)
        close(s->watch_fd);
    save_ckpt(s);
    ckpt_unref(s->ckpt, NULL);
    take_early_ckpt(s, NULL);
    pg_free(s->pg);
    snapshot_unref(s->snap);
    shev_release(s->mine);
    for (int i = 0; i < s->n_slots; i++)
        drop_slot(&s->slots[i]);
    free(s->slots);
    sqlite3_close(s->local);
    free(s->dir);
    free(s->shards_dir);
    free(s->plan_id);
    free(s->client);
    free(s->member);
    free(s->os_user);
    free(s->host);
    free(s->local_path);
    free(s->local_dir);
    free(s->lock_path);
    free(s->my_shard);
    free(s);
}

/* --- changes -------------------------------------------------------------- */

static int append_event(cb_store *s, cb_event *e, char *err, size_t n)
{
    if (s->reader) {
        snprintf(err, n, "refused: this store was opened for reading only");
        return -1;
    }
    if (s->state == CB_STORE_READ_ONLY) {
        snprintf(err, n, "refused: %s", s->problem);
        return -1;
    }
    if (!e->key || !*e->key) {
        snprintf(err, n, "refused: empty key");
        return -1;
    }
    char why[512];
    if (s->pg && pg_may_write(s->pg, e->member, e->key, err, n) != 0)
        return -1;
    if (check_local(s, NULL, err, n) < 0)
        return -1;
    if (reload_mine(s, false, why, sizeof why) != 0) {
        snprintf(err, n, "cannot read %s: %s", s->local_path, why);
        return -1;
    }
    sqlite3 *db = s->local;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(
            db, "SELECT seq, hlc, chain FROM events ORDER BY seq DESC LIMIT 1", -1, &st, NULL);
    uint64_t last = 0, chain = 0;
    int step = rc == SQLITE_OK ? sqlite3_step(st) : rc;
    if (step == SQLITE_ROW || step == SQLITE_DONE) {
        bool row = step == SQLITE_ROW;
        last = row ? (uint64_t)sqlite3_column_int64(st, 1) : 0;
        chain = row ? (uint64_t)sqlite3_column_int64(st, 2) : 0;
        e->seq = (row ? sqlite3_column_int64(st, 0) : 0) + 1;
        e->wall_ms = now_ms(s);
        uint64_t base = last > s->hlc_seen ? last : s->hlc_seen;
        e->hlc = hlc_next(base, e->wall_ms);
        if (e->hlc <= base) {
            sqlite3_finalize(st);
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            snprintf(err, n, "refused: the clock has reached its end (%llu); nothing saved",
                     (unsigned long long)base);
            return -1;
        }
    } else if (rc == SQLITE_OK) {
        rc = step;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_OK)
        rc = shard_insert_event(db, e, chain);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, n, "cannot save the change in %s: %s%s", s->local_path,
                 sqlite3_errmsg(db), rc == SQLITE_FULL ? " (disk full?)" : "");
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    /* Durable locally: this is the acknowledgement. */
    if (reload_mine(s, false, why, sizeof why) != 0 || s->mine->max_seq < e->seq) {
        e->client = s->client;
        shev_push(s->mine, e);
    }
    s->hlc_seen = e->hlc;
    s->last_seq = e->seq;
    s->dirty = true;
    s->generation++;
    share_hanging(s);
    if (s->not_answering) {
        if (s->state == CB_STORE_SHARED)
            set_problem(s, CB_STORE_PENDING,
                        "not yet published (the share is not answering); kept locally");
    } else if (s->state != CB_STORE_LOCAL_ONLY) {
        publish(s, NULL);
    }
    return 0;
}

const char *store_check_text(const char *text, size_t max)
{
    if (!text)
        return NULL;
    size_t len = strlen(text);
    if (len > max)
        return "is too long";
    uint32_t cp;
    for (const unsigned char *p = (const unsigned char *)text; *p;) {
        int l = text_utf8_decode(p, &cp);
        if (l < 0)
            return "is not valid UTF-8";
        p += l;
    }
    if (!text_is_printable(text))
        return "contains a control character (escape, newline, C1...)";
    return NULL;
}

int store_apply(cb_store *s, const char *key, const char *value, const char *note, char *err,
                size_t errlen)
{
    const char *why;
    if ((why = store_check_text(note, CB_NOTE_MAX)) != NULL) {
        snprintf(err, errlen, "refused: the note %s%s; nothing saved", why,
                 strcmp(why, "is too long") == 0 ? " (at most " CB_STR(CB_NOTE_MAX) " bytes)"
                                                 : "");
        return -1;
    }
    if ((why = store_check_text(value, CB_VALUE_MAX)) != NULL ||
        (why = store_check_text(key, CB_KEY_MAX)) != NULL) {
        snprintf(err, errlen, "refused: the change %s; nothing saved", why);
        return -1;
    }
    cb_event e = {.member = s->member,
                  .os_user = s->os_user,
                  .host = s->host,
                  .key = key,
                  .value = value ? value : "",
                  .note = note && *note ? note : NULL};
    return append_event(s, &e, err, errlen);
}

static bool is_undone(const cb_event *e, const cb_event **undos, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (undos[i]->undoes_seq == e->seq && strcmp(undos[i]->undoes_client, e->client) == 0)
            return true;
    return false;
}

/* The change to undo: the acting member's newest change not yet undone. */
static size_t undo_target(const cb_store *s, const cb_snapshot *snap, const cb_event **undos,
                          size_t *n_undos)
{
    size_t at = snap->n_events;
    /* Newest first: an undo always comes after the change it reverts. */
    while (at-- > 0) {
        const cb_event *e = &snap->events[at];
        if (e->undoes_client)
            undos[(*n_undos)++] = e;
        else if (strcmp(e->member, s->member) == 0 && !is_undone(e, undos, *n_undos))
            return at;
    }
    return (size_t)-1;
}

int store_undo(cb_store *s, char *err, size_t errlen)
{
    const cb_snapshot *snap = store_snapshot_retain(s);
    const cb_event **undos = xmalloc((snap->n_events + 1) * sizeof *undos);
    size_t n_undos = 0, at = undo_target(s, snap, undos, &n_undos);
    int rc = -1;
    if (at == (size_t)-1) {
        snprintf(err, errlen, "nothing to undo: no change by %s", s->member);
        goto out;
    }
    const cb_event *target = &snap->events[at];
    /* Only undone changes and undos may follow it on its key: never clobber
     * what someone changed after me. */
    for (size_t i = at + 1; i < snap->n_events; i++) {
        const cb_event *e = &snap->events[i];
        if (strcmp(e->key, target->key) == 0 && !e->undoes_client &&
            !is_undone(e, undos, n_undos)) {
            snprintf(err, errlen, "cannot undo: %s was changed again by %s after your change",
                     target->key, e->member);
            goto out;
        }
    }
    const char *before = "";
    for (size_t i = at; i-- > 0;)
        if (strcmp(snap->events[i].key, target->key) == 0) {
            before = snap->events[i].value;
            break;
        }
    cb_event e = {.member = s->member,
                  .os_user = s->os_user,
                  .host = s->host,
                  .key = target->key,
                  .value = before,
                  .note = NULL,
                  .undoes_client = target->client,
                  .undoes_seq = target->seq};
    rc = append_event(s, &e, err, errlen);
out:
    free(undos);
    store_snapshot_release(snap);
    return rc;
}

/* --- watching the shards ---------------------------------------------------- */

static bool is_shard_name(const char *name)
{
    size_t len = strlen(name);
    return name[0] != '.' && len > 3 && strcmp(name + len - 3, ".db") == 0;
}

/* Removes a temp file a dead process of mine left behind (.<client>.db.tmp-PID). */
static void clean_stale_temp(cb_store *s, const char *name)
{
    size_t cl = strlen(s->client);
    if (s->reader || name[0] != '.' || strncmp(name + 1, s->client, cl) != 0)
        return;
    const char *rest = name + 1 + cl;
    if (strncmp(rest, ".db.tmp-", 8) == 0)
        rest += 8;
    else if (strncmp(rest, ".beacon.tmp-", 12) == 0)
        rest += 12;
    else
        return;
    long pid = strtol(rest, NULL, 10);
    if (pid > 0 && pid != (long)getpid() && kill((pid_t)pid, 0) != 0 && errno == ESRCH) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", s->shards_dir, name);
        unlink(path);
    }
}

static shard_slot *find_slot(cb_store *s, const char *name)
{
    for (int i = 0; i < s->n_slots; i++)
        if (strcmp(s->slots[i].name, name) == 0)
            return &s->slots[i];
    return NULL;
}

/* Reads the directory listing; returns 1 when shards appeared or vanished. */
static int list_shards(cb_store *s)
{
    DIR *dir = opendir(s->shards_dir);
    if (!dir)
        return -1;
    for (int i = 0; i < s->n_slots; i++)
        s->slots[i].listed = false;
    int changed = 0;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        if (!is_shard_name(de->d_name)) {
            clean_stale_temp(s, de->d_name);
            continue;
        }
        shard_slot *sl = find_slot(s, de->d_name);
        if (!sl) {
            if (s->n_slots == s->cap_slots) {
                s->cap_slots = s->cap_slots ? s->cap_slots * 2 : 16;
                s->slots = xrealloc(s->slots, (size_t)s->cap_slots * sizeof *s->slots);
            }
            sl = &s->slots[s->n_slots++];
            *sl = (shard_slot){.name = xstrdup(de->d_name)};
        }
        sl->listed = true;
    }
    closedir(dir);
    char path[PATH_MAX];
    struct stat st;
    for (int i = 0; i < s->n_slots;) {
        /* A network client's listing can be older than what the beacon
         * named: a shard not listed is dropped only when it is gone. */
        snprintf(path, sizeof path, "%s/%s", s->shards_dir, s->slots[i].name);
        if (s->slots[i].listed || share_lstat(s, path, &st) == 0) {
            i++;
            continue;
        }
        changed |= s->slots[i].ev != NULL;
        drop_slot(&s->slots[i]);
        s->slots[i] = s->slots[--s->n_slots];
    }
    return changed;
}

static bool is_my_slot(const cb_store *s, const shard_slot *sl)
{
    size_t cl = strlen(s->client);
    return !s->reader && strncmp(sl->name, s->client, cl) == 0 &&
           strcmp(sl->name + cl, ".db") == 0;
}

/* Has another client's shard changed since it was read? One stat; *st and
 * path receive what the load needs. */
static bool slot_stale(cb_store *s, const shard_slot *sl, char *path, size_t n, struct stat *st)
{
    snprintf(path, n, "%s/%s", s->shards_dir, sl->name);
    if (sl->force) {
        memset(st, 0, sizeof *st);
        return true;
    }
    return share_lstat(s, path, st) == 0 &&
           !(same_file(st, &sl->st) && !racy(&sl->st.st_mtim, sl->checked_ms) &&
             !sl->retry_since);
}

static void format_span(char *buf, size_t n, int64_t ms)
{
    if (ms >= 2 * 3600000LL * 24 * 365)
        snprintf(buf, n, "%lld years", (long long)(ms / (3600000LL * 24 * 365)));
    else if (ms >= 2 * 3600000LL * 24)
        snprintf(buf, n, "%lld days", (long long)(ms / (3600000LL * 24)));
    else if (ms >= 3600000)
        snprintf(buf, n, "%.1f h", (double)ms / 3600000.0);
    else if (ms >= 60000)
        snprintf(buf, n, "%lld min", (long long)(ms / 60000));
    else
        snprintf(buf, n, "%lld s", (long long)(ms / 1000));
}

/* Events stamped implausibly far ahead of my clock (a forged or broken clock)
 * never enter the merge and never raise my clock: one such event would
 * otherwise win every key it touches and push every client's clock to its
 * end. Named once per offending clock. */
static void quarantine_ahead(cb_store *s, shard_slot *sl, shard_events *se, const char *path,
                             cb_diags *d)
{
    int64_t now = now_ms(s);
    /* My own events are honest: a clock of mine ahead of the wall clock (set
     * back since) widens the bound rather than quarantining everyone. */
    if (s->mine && s->mine->max_hlc && hlc_ms(s->mine->max_hlc) > now)
        now = hlc_ms(s->mine->max_hlc);
    if (!shev_quarantine(se, now))
        return;
    if (sl->quarantine_named == se->quarantined_hlc || !d)
        return;
    sl->quarantine_named = se->quarantined_hlc;
    char span[64];
    int64_t ahead = hlc_ms(se->quarantined_hlc) - now;
    format_span(span, sizeof span, ahead);
    diags_add(d, CB_WARNING, path, 0, 0,
              "quarantined %zu change%s of client '%s': clock %llu is %s ahead of this "
              "machine's (more than a day); not merged, clocks not advanced",
              se->quarantined, se->quarantined == 1 ? "" : "s", se->client,
              (unsigned long long)se->quarantined_hlc, span);
}

/* Real skew (a laptop hours ahead) is shown, once until it goes away. */
static void name_skew(cb_store *s, shard_slot *sl, const char *client, const cb_event *last,
                      cb_diags *d)
{
    int64_t ahead = last->wall_ms - now_ms(s);
    if (ahead < SKEW_NOTE_MS) {
        sl->skew_named = false;
        return;
    }
    if (sl->skew_named || !d)
        return;
    sl->skew_named = true;
    char span[64];
    format_span(span, sizeof span, ahead);
    diags_add(d, CB_WARNING, NULL, 0, 0,
              "%s's clock is %s ahead of this machine's (client '%s'); its changes win over "
              "later ones made here until the clocks agree: check NTP on both",
              last->host && *last->host ? last->host : client, span, client);
}

/* Takes the result of reading a changed shard (job, read at time t) into its
 * slot; a bad one is named once per version. Returns 1 when its events changed. */
static int settle_slot(cb_store *s, shard_slot *sl, shard_load_job *job, int64_t t, cb_diags *d)
{
    const char *path = job->path;
    char *err = job->err;
    size_t errlen = sizeof job->err;
    struct stat st = job->st;
    shard_events *se = job->ev;
    job->ev = NULL;
    sl->checked_ms = t;
    sl->force = false;
    if (se)
        quarantine_ahead(s, sl, se, path, d);
    if (!se && job->changing && !s->settle_now &&
        (!sl->retry_since || t - sl->retry_since < SETTLE_MS)) {
        if (!sl->retry_since)
            sl->retry_since = t; /* caught mid-replace: read it again, quietly */
        return 0;
    }
    sl->retry_since = 0;
    size_t stem = strlen(sl->name) - 3;
    if (se && (strlen(se->client) != stem || strncmp(se->client, sl->name, stem) != 0)) {
        snprintf(err, errlen, "it holds the events of client '%s'", se->client);
    } else if (se && *s->plan_id && strcmp(se->plan_id, s->plan_id) != 0) {
        snprintf(err, errlen, "it belongs to plan '%s', not '%s'", se->plan_id, s->plan_id);
    } else if (se && sl->ev && !sl->bad && se->max_seq == sl->ev->max_seq &&
               se->max_hlc == sl->ev->max_hlc) {
        shev_release(se); /* re-read while racy: nothing new */
        sl->st = st;
        return 0;
    } else if (se) {
        if (se->schema > CB_STORE_SCHEMA && (!sl->ev || sl->ev->schema <= CB_STORE_SCHEMA) && d)
            diags_add(d, CB_WARNING, path, 0, 0,
                      "written by a newer certboard (schema %d > %d): read as far as "
                      "understood; upgrade certboard",
                      se->schema, CB_STORE_SCHEMA);
        shev_release(sl->ev);
        sl->ev = se;
        sl->st = st;
        sl->bad = false;
        if (se->n)
            name_skew(s, sl, se->client, &se->ev[se->n - 1], d);
        if (se->max_hlc > s->hlc_seen)
            s->hlc_seen = se->max_hlc;
        return 1;
    }
    shev_release(se);
    if (d)
        diags_add(d, CB_WARNING, path, 0, 0, "skipped: %s%s", err,
                  sl->ev ? " (keeping its last good version)" : "");
    sl->st = st;
    sl->bad = true;
    return 0;
}

/* --- the clocks of other shards, remembered for one-change commands --------

 * <local dir>/<client>.clocks remembers, per shard file seen by a one-change
 * command, its identity (inode, size, mtime), when it was looked at, and the
 * newest plausible clock in it: the next such command reads no shard that
 * has not been replaced since. A file replaced by rename has a new inode; one
 * whose whole-second mtime was too recent to tell is not trusted (racy). A
 * wrong or damaged line costs only its shard's peek (each line is checked
 * field by field); the file is advisory and never merged. */
typedef struct clock_memo {
    char name[160];
    unsigned long long ino, size, checked;
    long long sec, nsec;
    unsigned long long hlc;
} clock_memo;

static clock_memo *read_clock_memos(const cb_store *s, int *n)
{
    *n = 0;
    if (!s->local_dir)
        return NULL;
    char *path = xasprintf("%s/%s.clocks", s->local_dir, s->client);
    FILE *f = fopen(path, "r");
    free(path);
    if (!f)
        return NULL;
    int cap = s->n_slots + 1;
    clock_memo *v = xcalloc((size_t)cap, sizeof *v);
    char line[512];
    while (*n < cap && fgets(line, sizeof line, f)) {
        clock_memo *m = &v[*n];
        if (sscanf(line, "%159s %llu %llu %lld %lld %llu %llu", m->name, &m->ino, &m->size,
                   &m->sec, &m->nsec, &m->checked, &m->hlc) == 7)
            (*n)++;
    }
    fclose(f);
    return v;
}

static const clock_memo *find_memo(const clock_memo *v, int n, const char *name,
                                   const struct stat *st)
{
    for (int i = 0; i < n; i++)
        if (strcmp(v[i].name, name) == 0)
            return v[i].ino == (unsigned long long)st->st_ino &&
                           v[i].size == (unsigned long long)st->st_size &&
                           v[i].sec == (long long)st->st_mtim.tv_sec &&
                           v[i].nsec == (long long)st->st_mtim.tv_nsec &&
                           !racy(&st->st_mtim, (int64_t)v[i].checked)
                       ? &v[i]
                       : NULL;
    return NULL;
}

static void write_clock_memos(const cb_store *s, const clock_memo *v, int n)
{
    char *path = xasprintf("%s/%s.clocks", s->local_dir, s->client);
    char *tmp = xasprintf("%s.tmp-%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    bool ok = f != NULL;
    for (int i = 0; ok && i < n; i++)
        ok = fprintf(f, "%s %llu %llu %lld %lld %llu %llu\n", v[i].name, v[i].ino, v[i].size,
                     v[i].sec, v[i].nsec, v[i].checked, v[i].hlc) > 0;
    if (f && fclose(f) != 0)
        ok = false;
    if (!ok || rename(tmp, path) != 0)
        unlink(tmp);
    free(tmp);
    free(path);
}

/* --- the checkpoint ----------------------------------------------------------- */

/* The checkpoint of client in local dir dir. */
static char *ckpt_path_in(const char *dir, const char *client)
{
    return xasprintf("%s/%s.ckpt", dir, client);
}

static char *ckpt_path(const cb_store *s)
{
    return ckpt_path_in(s->local_dir, s->client);
}

/* The checkpoint's lead read on a thread of its own while the local
 * database opens (they have nothing in common), taken by open_ckpt. */
typedef struct early_ckpt {
    pthread_t thread;
    bool joined;
    char *path, *store, *plan_id, *client; /* copies: the store's may change */
    store_ckpt *ckpt;
} early_ckpt;

static void *read_early(void *arg)
{
    early_ckpt *e = arg;
    char err[128];
    e->ckpt = ckpt_read(e->path, e->store, e->plan_id, e->client, err, sizeof err);
    return NULL;
}

static void free_early(early_ckpt *e)
{
    free(e->path);
    free(e->store);
    free(e->plan_id);
    free(e->client);
    free(e);
}

static void start_early_ckpt(cb_store *s, const char *local_dir)
{
    early_ckpt *e = xcalloc(1, sizeof *e);
    e->path = ckpt_path_in(local_dir, s->client);
    e->store = xstrdup(s->shards_dir);
    e->plan_id = xstrdup(s->plan_id);
    e->client = xstrdup(s->client);
    if (pthread_create(&e->thread, NULL, read_early, e) == 0)
        s->early = e;
    else
        free_early(e);
}

/* Waits for that read to end (no thread is left running past store_open:
 * the poller is a process of its own, forked later). */
static void join_early_ckpt(cb_store *s)
{
    if (s->early && !s->early->joined) {
        pthread_join(s->early->thread, NULL);
        s->early->joined = true;
    }
}

/* The checkpoint read meanwhile when it is the one at path (NULL: none is
 * wanted), else NULL; the read is over either way. */
static store_ckpt *take_early_ckpt(cb_store *s, const char *path)
{
    early_ckpt *e = s->early;
    if (!e)
        return NULL;
    join_early_ckpt(s);
    s->early = NULL;
    store_ckpt *c = e->ckpt;
    if (c && (!path || strcmp(path, e->path) != 0)) { /* (my client id changed) */
        ckpt_unref(c, NULL);
        c = NULL;
    }
    free_early(e);
    return c;
}

/* Reads the checkpoint once, at the first refresh that loads shards in full. */
static void open_ckpt(cb_store *s)
{
    if (s->ckpt_tried || s->peek || s->reader || !s->local_dir)
        return;
    s->ckpt_tried = true;
    char *path = ckpt_path(s), err[128];
    s->ckpt = take_early_ckpt(s, path);
    if (!s->ckpt) /* (none read meanwhile: one failed open, unless it is bad) */
        s->ckpt = ckpt_read(path, s->shards_dir, s->plan_id, s->client, err, sizeof err);
    free(path);
    trace_mark(s->ckpt ? "checkpoint read" : "no checkpoint");
}

/* A shard the checkpoint holds as it is now (the same file by device, inode,
 * size and mtime, not racy when recorded) takes its events from there, with
 * the checks a load makes (client, plan, schema, clocks ahead); anything
 * else is read from the file. true when taken. */
static bool take_from_ckpt(cb_store *s, shard_slot *sl, const struct stat *st, int64_t now,
                           cb_diags *d)
{
    ckpt_identity id;
    int r = ckpt_find(s->ckpt, sl->name, &id);
    if (r < 0 || id.dev != (uint64_t)st->st_dev || id.ino != (uint64_t)st->st_ino ||
        id.size != (uint64_t)st->st_size || id.mtime_sec != (int64_t)st->st_mtim.tv_sec ||
        id.mtime_nsec != (int64_t)st->st_mtim.tv_nsec || racy(&st->st_mtim, id.checked_ms))
        return false;
    shard_events *se = ckpt_shard_events(s->ckpt, r);
    if (!se)
        return false;
    size_t stem = strlen(sl->name) - 3;
    if (strlen(se->client) != stem || strncmp(se->client, sl->name, stem) != 0 ||
        (*s->plan_id && strcmp(se->plan_id, s->plan_id) != 0) || se->schema > CB_STORE_SCHEMA ||
        (se->n && hlc_implausible(se->max_hlc, now))) {
        shev_release(se);
        return false;
    }
    shev_release(sl->ev);
    sl->ev = se;
    sl->st = *st;
    sl->checked_ms = id.checked_ms;
    sl->bad = false;
    sl->retry_since = 0;
    s->ckpt_taken++;
    if (se->n) {
        cb_event last;
        ckpt_last_event(se, &last);
        name_skew(s, sl, se->client, &last, d);
    }
    if (se->max_hlc > s->hlc_seen)
        s->hlc_seen = se->max_hlc;
    return true;
}

/* The record of my own events, when my local database holds just those. */
static int ckpt_mine(cb_store *s)
{
    ckpt_identity id;
    int r = s->mine ? ckpt_find(s->ckpt, "", &id) : -1;
    return r >= 0 && id.n == s->mine->n && id.max_seq == s->mine->max_seq &&
                   id.max_hlc == s->mine->max_hlc && id.chain == s->mine->chain
               ? r
               : -1;
}

/* Shards taken from a checkpoint whose history did not verify (read on
 * first use: see cb_store_opts.lazy_history) are dropped, to be read from
 * their files again (marked to be, whatever stat says). With load, each
 * such checkpoint's history is read now (a merge needs every event). true
 * when any was dropped. */
static bool drop_unverified(cb_store *s, bool load)
{
    bool any = false;
    for (int i = 0; i < s->n_slots; i++) {
        shard_slot *sl = &s->slots[i];
        store_ckpt *c = sl->ev ? sl->ev->pin : NULL;
        if (c && (load ? ckpt_load_history(c) != 0 : ckpt_history_lost(c))) {
            shev_release(sl->ev);
            sl->ev = NULL;
            sl->force = true;
            any = true;
        }
    }
    return any;
}

/* Did the history of the snapshot's checkpoint not verify (the snapshot
 * shows placeholders for it until the next refresh)? */
static bool history_lost(const cb_store *s)
{
    return s->snap && s->snap->image && ckpt_history_lost(s->snap->image);
}

/* Shards a start read afresh, beyond which the checkpoint is rewritten. */
#define CKPT_FRESH_SHARDS 16
#define CKPT_FRESH_SHARE 20 /* or 1/20 of the events */

/* The checkpoint's records no shard is there for any more (deleted, or not
 * listed): while there is one, no start can append onto its history (see
 * merge_appending), so it is rewritten. */
static int ckpt_gone(cb_store *s, int n_records)
{
    bool *seen = xcalloc((size_t)n_records + 1, sizeof *seen);
    ckpt_identity id;
    int r = ckpt_find(s->ckpt, "", &id), gone = 0;
    if (r >= 0)
        seen[r] = true;
    for (int i = 0; i < s->n_slots; i++)
        if (s->slots[i].ev && !is_my_slot(s, &s->slots[i]) &&
            (r = ckpt_find(s->ckpt, s->slots[i].name, &id)) >= 0)
            seen[r] = true;
    for (int k = 0; k < n_records; k++)
        gone += !seen[k];
    free(seen);
    return gone;
}

/* Saves the merged state for the next start. Only a state a fresh start
 * would merge the same way is saved: shards that loaded cleanly, as their
 * files are now. A checkpoint that still spares the next start nearly all
 * its reading, and that it can still append onto, is kept: a start that
 * read one changed shard of a hundred does not rewrite a million events on
 * its way out. */
static void save_ckpt(cb_store *s)
{
    /* (Not without a listing of the shards: a start with the share
     * unreachable would replace a good checkpoint with my events alone.) */
    if (!s->ckpt_tried || !s->snap || s->dirty || s->reader || !s->local_dir || !s->mine)
        return;
    ckpt_input *in = xcalloc((size_t)s->n_slots + 1, sizeof *in);
    int n = 0, fresh = 0;
    size_t fresh_events = 0;
    in[n++] = (ckpt_input){.ev = s->mine};
    for (int i = 0; i < s->n_slots; i++) {
        const shard_slot *sl = &s->slots[i];
        if (sl->ev && !sl->bad && !sl->retry_since && !sl->ev->quarantined &&
            !is_my_slot(s, sl)) {
            in[n++] = (ckpt_input){
                .name = sl->name, .st = sl->st, .checked_ms = sl->checked_ms, .ev = sl->ev};
            fresh += sl->ev->pin == NULL;
            fresh_events += sl->ev->pin ? 0 : sl->ev->n;
        }
    }
    if (s->ckpt_used && s->ckpt_gone == 0 && fresh <= CKPT_FRESH_SHARDS &&
        fresh_events * CKPT_FRESH_SHARE <= s->snap->pub.n_events) {
        free(in);
        return;
    }
    /* (Every event is written: a history not read yet is read now, and one
     * that does not verify is not written from.) */
    snapshot_history(&s->snap->pub);
    if (ckpt_history_lost(s->snap->image) || drop_unverified(s, true)) {
        free(in);
        return;
    }
    char *path = ckpt_path(s);
    trace_mark("writing the checkpoint");
    if (ckpt_write(path, s->shards_dir, s->plan_id, s->client, in, n, &s->snap->pub) != 0)
        trace_mark("checkpoint not written");
    else
        trace_mark("checkpoint written");
    free(path);
    free(in);
}

/* Reads every other client's shard that changed (all of them at start-up,
 * together: see shard_load_files) and takes them in. 1 when events changed. */
static int load_changed_slots(cb_store *s, cb_diags *d)
{
    shard_load_job *jobs = xcalloc((size_t)s->n_slots + 1, sizeof *jobs);
    shard_slot **of = xcalloc((size_t)s->n_slots + 1, sizeof *of);
    char path[PATH_MAX];
    size_t n = 0;
    /* The bound a load's quarantine uses (see quarantine_ahead). */
    int64_t now = now_ms(s);
    if (s->mine && s->mine->max_hlc && hlc_ms(s->mine->max_hlc) > now)
        now = hlc_ms(s->mine->max_hlc);
    open_ckpt(s);
    int from_ckpt = 0;
    int n_memo = 0, n_new = 0;
    clock_memo *memo = s->peek ? read_clock_memos(s, &n_memo) : NULL;
    clock_memo *fresh = s->peek ? xcalloc((size_t)s->n_slots + 1, sizeof *fresh) : NULL;
    bool memo_changed = false;
    for (int i = 0; i < s->n_slots; i++) {
        shard_slot *sl = &s->slots[i];
        if (is_my_slot(s, sl) || !slot_stale(s, sl, path, sizeof path, &jobs[n].st))
            continue;
        const clock_memo *m;
        uint64_t hlc;
        struct stat pst = jobs[n].st;
        bool known = s->peek && !sl->ev && !sl->force && strlen(sl->name) < sizeof m->name &&
                     (m = find_memo(memo, n_memo, sl->name, &pst)) != NULL;
        if (known)
            hlc = m->hlc;
        if (s->peek && !sl->ev &&
            (known || shard_peek_clock(path, &s->budget, s->plan_id, now, &pst, &hlc) == 0)) {
            if (hlc > s->hlc_seen) /* its events are loaded when first needed */
                s->hlc_seen = hlc;
            s->deferred = true;
            if (strlen(sl->name) < sizeof fresh->name) {
                clock_memo *f = &fresh[n_new++];
                *f = (clock_memo){
                    .ino = (unsigned long long)pst.st_ino,
                    .size = (unsigned long long)pst.st_size,
                    .sec = (long long)pst.st_mtim.tv_sec,
                    .nsec = (long long)pst.st_mtim.tv_nsec,
                    .checked =
                        (unsigned long long)(known ? m->checked : (uint64_t)real_clock(NULL)),
                    .hlc = hlc};
                snprintf(f->name, sizeof f->name, "%s", sl->name);
                memo_changed |= !known;
            }
            continue;
        }
        if (s->ckpt && !sl->ev && !sl->force && take_from_ckpt(s, sl, &jobs[n].st, now, d)) {
            from_ckpt = 1;
            continue;
        }
        jobs[n].path = xstrdup(path);
        jobs[n].budget = s->budget;
        of[n++] = sl;
    }
    if (s->peek && (memo_changed || n_new != n_memo))
        write_clock_memos(s, fresh, n_new);
    free(memo);
    free(fresh);
    /* Taken before the reads: a file changed during them is then still "racy"
     * (its mtime within RACY_MS of this) and is read again. */
    int64_t t = real_clock(NULL);
    shard_load_files(jobs, n);
    int changed = from_ckpt;
    for (size_t i = 0; i < n; i++) {
        changed |= settle_slot(s, of[i], &jobs[i], t, d);
        free((char *)jobs[i].path);
    }
    free(of);
    free(jobs);
    return changed;
}

/* Has the beacon changed since it was last read? (It is read afresh: one
 * open and read, current even where stat() is served from a cache.) */
static bool beacon_changed(cb_store *s, char *now, size_t n)
{
    if (shard_read_beacon(s->shards_dir, now, n) != 0)
        return false;
    return strcmp(now, s->beacon) != 0;
}

/* Takes a changed beacon in: the shard it names is read whatever stat() says
 * (added when the listing does not show it yet), and every other shard is
 * checked with open() + fstat(), which a network client answers with fresh
 * attributes (two publishes racing for the beacon leave only one name). */
static void follow_beacon(cb_store *s, const char *now)
{
    /* The first read only takes note: every shard is being read afresh. */
    bool deep = s->beacon[0] != '\0';
    snprintf(s->beacon, sizeof s->beacon, "%s", now);
    char name[200], path[PATH_MAX];
    struct stat st;
    if (sscanf(now, "%128s", name) == 1 && valid_client_id(name)) {
        strcat(name, ".db");
        shard_slot *sl = find_slot(s, name);
        snprintf(path, sizeof path, "%s/%s", s->shards_dir, name);
        if (!sl && share_lstat(s, path, &st) == 0) { /* never a slot for a name alone */
            if (s->n_slots == s->cap_slots) {
                s->cap_slots = s->cap_slots ? s->cap_slots * 2 : 16;
                s->slots = xrealloc(s->slots, (size_t)s->cap_slots * sizeof *s->slots);
            }
            sl = &s->slots[s->n_slots++];
            *sl = (shard_slot){.name = xstrdup(name), .listed = true};
        }
        if (sl && !is_my_slot(s, sl))
            sl->force = true;
    }
    for (int i = 0; deep && i < s->n_slots; i++) {
        shard_slot *sl = &s->slots[i];
        if (sl->force || is_my_slot(s, sl))
            continue;
        snprintf(path, sizeof path, "%s/%s", s->shards_dir, sl->name);
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
        if (fd >= 0) {
            if (fstat(fd, &st) == 0 && !same_file(&st, &sl->st))
                sl->force = true;
            close(fd);
        }
    }
}

/* --- polling off the caller's thread ------------------------------------------ */

/* The share is looked at by a helper process (forked on the first poll), so
 * that a share which stops answering holds up only the helper: the caller
 * never waits more than POLL_WAIT_MS, and can even exit (a thread stuck in a
 * network file system call would keep the process from ending until the
 * share answered). The helper gets what a poll needs through a pipe and
 * answers through another; it touches nothing else. */
enum { POLL_SAME, POLL_CHANGED, POLL_UNREACHABLE, POLL_MOVED };

static void job_free(poll_job *j)
{
    for (int i = 0; i < j->cap; i++)
        free(j->paths[i]);
    free(j->paths);
    free(j->sts);
    memset(j, 0, sizeof *j);
}

/* A descriptor kept open from look to look by whoever polls (the helper)
 * for one shards directory: closed when a look asks for it afresh or looks
 * at another directory. */
typedef struct kept_fd {
    int fd;
    char dir[PATH_MAX];
} kept_fd;

/* k's descriptor for dir, opened with open_it(dirfd, dir) when it has none
 * (or fresh): -1 when it cannot be opened. */
static int keep_open(kept_fd *k, const char *dir, bool fresh, int (*open_it)(int, const char *),
                     int dirfd)
{
    if (k->fd >= 0 && (fresh || strcmp(k->dir, dir) != 0)) {
        close(k->fd);
        k->fd = -1;
    }
    if (k->fd < 0 && strlen(dir) < sizeof k->dir && (k->fd = open_it(dirfd, dir)) >= 0)
        snprintf(k->dir, sizeof k->dir, "%s", dir);
    return k->fd;
}

static int open_dir(int unused, const char *dir)
{
    (void)unused;
    return open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK);
}

/* The shards directory, kept so that a network client looks up one name per
 * file, not every directory of the path; opened afresh by a full look, so a
 * share mounted anew or moved is followed within one SHARE_SCAN_MS. */
static kept_fd kept_dir = {.fd = -1};
/* The beacon, kept likewise: a look at it is then one read request,
 * whatever the number of shards. Opened afresh by a full look (a beacon
 * replaced by rename, not rewritten, is taken up then) and after a failed
 * read (the share went away and came back). */
static kept_fd kept_beacon = {.fd = -1};

/* Reads the kept beacon into buf: -1 when there is none. */
static int read_kept_beacon(int dfd, const char *dir, bool fresh, char *buf, size_t n)
{
    for (int attempt = 0; attempt < 2; attempt++, fresh = true) {
        int fd = keep_open(&kept_beacon, dir, fresh, shard_beacon_open_at, dfd);
        if (fd < 0)
            return -1;
        if (shard_beacon_read_fd(fd, buf, n) == 0)
            return 0;
    }
    return -1;
}

static int poll_share(poll_job *j)
{
    char beacon[sizeof j->beacon];
    int dfd = keep_open(&kept_dir, j->shards_dir, j->full, open_dir, -1);
    /* One read, whatever the number of shards. Without a beacon (no client
     * has published yet) the full look is as cheap. */
    if (!j->full && (j->beacon_reads++,
                     read_kept_beacon(dfd, j->shards_dir, false, beacon, sizeof beacon) == 0))
        return strcmp(beacon, j->beacon) != 0 ? POLL_CHANGED : POLL_SAME;
    struct stat st;
    j->stat_calls++;
    if (stat(j->shards_dir, &st) != 0)
        return POLL_UNREACHABLE;
    if (j->share_known && (st.st_dev != j->share_dev || st.st_ino != j->share_ino))
        return POLL_MOVED;
    if (!j->dir_listed || st.st_mtim.tv_sec != j->dir_mtime.tv_sec ||
        st.st_mtim.tv_nsec != j->dir_mtime.tv_nsec || racy(&j->dir_mtime, j->dir_checked_ms))
        return POLL_CHANGED;
    if (j->full &&
        (j->beacon_reads++,
         read_kept_beacon(dfd, j->shards_dir, true, beacon, sizeof beacon) == 0) &&
        strcmp(beacon, j->beacon) != 0)
        return POLL_CHANGED;
    size_t dl = strlen(j->shards_dir);
    for (int i = 0; i < j->n; i++) {
        const char *p = j->paths[i];
        bool inside = dfd >= 0 && strncmp(p, j->shards_dir, dl) == 0 && p[dl] == '/';
        j->stat_calls++;
        if ((inside ? fstatat(dfd, p + dl + 1, &st, AT_SYMLINK_NOFOLLOW) : lstat(p, &st)) !=
                0 ||
            !same_file(&st, &j->sts[i]))
            return POLL_CHANGED;
    }
    return POLL_SAME;
}

/* The request on the pipe: this header, the directory, then per shard its
 * path's length, the path and the stat last seen (only for a full look). */
typedef struct poll_head {
    uint32_t n, dir_len;
    bool full, dir_listed, share_known;
    struct timespec dir_mtime;
    int64_t dir_checked_ms;
    dev_t share_dev;
    ino_t share_ino;
    char beacon[256];
} poll_head;

typedef struct poll_answer {
    int32_t result;
    uint64_t stat_calls, beacon_reads;
} poll_answer;

static int read_full(int fd, void *buf, size_t n)
{
    for (size_t got = 0; got < n;) {
        ssize_t r = read(fd, (char *)buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    return 0;
}

/* MSG_NOSIGNAL: a helper that died must not take its caller with it. */
static int write_full(int fd, const void *buf, size_t n)
{
    for (size_t done = 0; done < n;) {
        ssize_t w = send(fd, (const char *)buf + done, n - done, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        done += (size_t)w;
    }
    return 0;
}

static void helper_main(int req, int res)
{
    for (;;) {
        poll_head h;
        if (read_full(req, &h, sizeof h) != 0)
            _exit(0);
        poll_job j = {.full = h.full,
                      .dir_listed = h.dir_listed,
                      .share_known = h.share_known,
                      .dir_mtime = h.dir_mtime,
                      .dir_checked_ms = h.dir_checked_ms,
                      .share_dev = h.share_dev,
                      .share_ino = h.share_ino};
        memcpy(j.beacon, h.beacon, sizeof j.beacon);
        j.beacon[sizeof j.beacon - 1] = '\0';
        if (h.n > 1000000 || h.dir_len > PATH_MAX)
            _exit(1);
        char *dir = calloc(1, h.dir_len + 1);
        j.shards_dir = dir;
        j.paths = calloc(h.n + 1, sizeof *j.paths);
        j.sts = calloc(h.n + 1, sizeof *j.sts);
        j.cap = (int)h.n;
        if (!dir || !j.paths || !j.sts || read_full(req, dir, h.dir_len) != 0)
            _exit(1);
        for (uint32_t i = 0; i < h.n; i++, j.n++) {
            uint32_t len;
            if (read_full(req, &len, sizeof len) != 0 || len > PATH_MAX ||
                !(j.paths[i] = calloc(1, len + 1)) || read_full(req, j.paths[i], len) != 0 ||
                read_full(req, &j.sts[i], sizeof j.sts[i]) != 0)
                _exit(1);
        }
        poll_answer a = {.result = poll_share(&j)};
        a.stat_calls = j.stat_calls;
        a.beacon_reads = j.beacon_reads;
        job_free(&j);
        free(dir);
        if (write_full(res, &a, sizeof a) != 0)
            _exit(0);
    }
}

static void stop_helper(cb_store *s)
{
    if (s->helper_pid <= 0)
        return;
    close(s->helper_fd);
    if (s->job) /* perhaps stuck on the share: never waited for */
        kill(s->helper_pid, SIGKILL);
    else /* idle in read(): it ends at once on end of file */
        waitpid(s->helper_pid, NULL, 0);
    s->helper_pid = 0;
}

static bool start_helper(cb_store *s)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return false;
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        sigset_t none; /* the caller may block signals it waits for */
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGPIPE, SIG_DFL);
        signal(SIGINT, SIG_IGN); /* the caller decides when it ends */
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 1);
            dup2(null, 2);
        }
        helper_main(sv[1], sv[1]);
        _exit(0);
    }
    close(sv[1]);
    if (pid < 0) {
        close(sv[0]);
        return false;
    }
    s->helper_pid = pid;
    s->helper_fd = sv[0];
    return true;
}

/* Has the helper answered (waiting up to ms)? */
static bool poll_done(cb_store *s, int ms)
{
    struct pollfd p = {.fd = s->helper_fd, .events = POLLIN};
    int r;
    while ((r = poll(&p, 1, ms)) < 0 && errno == EINTR)
        ;
    return r > 0;
}

/* Fills s->pj for a look at the share (full: the directory and every shard,
 * else the beacon alone). Nothing is allocated for a look at the beacon. */
static poll_job *prepare_job(cb_store *s, bool full)
{
    poll_job *j = &s->pj;
    j->result = POLL_SAME;
    j->stat_calls = j->beacon_reads = 0;
    j->started_ms = real_clock(NULL);
    j->shards_dir = s->shards_dir;
    j->full = full;
    j->dir_listed = s->dir_listed;
    j->dir_mtime = s->dir_mtime;
    j->dir_checked_ms = s->dir_checked_ms;
    j->share_known = s->share_known;
    j->share_dev = s->share_dev;
    j->share_ino = s->share_ino;
    snprintf(j->beacon, sizeof j->beacon, "%s", s->beacon);
    j->n = 0;
    if (!full)
        return j;
    if (j->cap < s->n_slots) {
        j->paths = xrealloc(j->paths, (size_t)s->n_slots * sizeof *j->paths);
        j->sts = xrealloc(j->sts, (size_t)s->n_slots * sizeof *j->sts);
        for (int i = j->cap; i < s->n_slots; i++)
            j->paths[i] = NULL;
        j->cap = s->n_slots;
    }
    for (int i = 0; i < s->n_slots; i++) {
        if (is_my_slot(s, &s->slots[i]))
            continue;
        free(j->paths[j->n]);
        j->paths[j->n] = xasprintf("%s/%s", s->shards_dir, s->slots[i].name);
        j->sts[j->n++] = s->slots[i].st;
    }
    return j;
}

/* Sends a poll to the helper (started if need be); false when there is no
 * helper, and then s->job holds the answer already (polled here). */
static bool start_poll(cb_store *s, bool full)
{
    poll_job *j = prepare_job(s, full);
    s->job = j;
    if (s->helper_pid <= 0 && !start_helper(s)) {
        j->result = poll_share(j);
        return false;
    }
    poll_head h = {.n = (uint32_t)j->n,
                   .dir_len = (uint32_t)strlen(j->shards_dir),
                   .full = j->full,
                   .dir_listed = j->dir_listed,
                   .share_known = j->share_known,
                   .dir_mtime = j->dir_mtime,
                   .dir_checked_ms = j->dir_checked_ms,
                   .share_dev = j->share_dev,
                   .share_ino = j->share_ino};
    memcpy(h.beacon, j->beacon, sizeof h.beacon);
    /* The helper is idle (no poll in flight), so it reads all of this. The
     * request is sent in one piece: one system call per poll, not three
     * per shard. */
    size_t size = sizeof h + h.dir_len;
    for (int i = 0; i < j->n; i++)
        size += sizeof(uint32_t) + strlen(j->paths[i]) + sizeof j->sts[i];
    if (size > s->req_cap) {
        s->req = xrealloc(s->req, size);
        s->req_cap = size;
    }
    char *at = s->req;
    memcpy(at, &h, sizeof h);
    at += sizeof h;
    memcpy(at, j->shards_dir, h.dir_len);
    at += h.dir_len;
    for (int i = 0; i < j->n; i++) {
        uint32_t len = (uint32_t)strlen(j->paths[i]);
        memcpy(at, &len, sizeof len);
        at += sizeof len;
        memcpy(at, j->paths[i], len);
        at += len;
        memcpy(at, &j->sts[i], sizeof j->sts[i]);
        at += sizeof j->sts[i];
    }
    if (write_full(s->helper_fd, s->req, size) != 0) {
        /* the helper is gone: poll here, start a new one next time */
        s->job = NULL;
        stop_helper(s);
        s->job = j;
        j->result = poll_share(j);
        return false;
    }
    return true;
}

/* Takes the helper's answer into s->job (which it has: poll_done said so). */
static void take_answer(cb_store *s)
{
    poll_answer a;
    if (read_full(s->helper_fd, &a, sizeof a) != 0) {
        poll_job *j = s->job;
        s->job = NULL; /* the helper died: answer here */
        stop_helper(s);
        s->job = j;
        j->result = poll_share(j);
        return;
    }
    s->job->result = a.result;
    s->job->stat_calls = a.stat_calls;
    s->job->beacon_reads = a.beacon_reads;
}

/* Is a poll still waiting for the share? Marks the store "share not
 * answering" once it has waited HUNG_MS. */
static bool share_hanging(cb_store *s)
{
    if (!s->job || poll_done(s, 0))
        return false;
    int64_t waited = real_clock(NULL) - s->job->started_ms;
    if (waited >= HUNG_MS && !s->not_answering) {
        s->not_answering = true;
        snprintf(s->hung_problem, sizeof s->hung_problem,
                 "share not answering: store %s has not answered for %lld s; changes are kept "
                 "locally and published when it answers",
                 s->dir, (long long)(waited / 1000));
    }
    return true;
}

/* --- waiting without a timer ------------------------------------------------ */

static void on_watch_event(void *ctx, int wd, const char *name, uint32_t mask)
{
    cb_store *s = ctx;
    if (wd < 0) { /* events were lost: look at everything */
        s->hint_share = s->hint_local = true;
        return;
    }
    if (wd == s->wd_local) {
        size_t cl = strlen(s->client);
        s->hint_local |= strncmp(name, s->client, cl) == 0 && name[cl] == '.';
    } else if (wd == s->wd_shards) {
        if (mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT)) {
            s->hint_share = true; /* the directory itself went: polled until it is back */
            if (mask & IN_IGNORED)
                s->wd_shards = -1;
        } else {
            /* Temp files come and go with every publish; only the renames
             * that commit one (a shard, the beacon) are news. */
            s->hint_share |= is_shard_name(name) || strcmp(name, SHARD_BEACON) == 0;
        }
    }
}

/* Watches what can be watched (the first poll, and a refresh that finds the
 * shards directory back): on success nothing needs a timer. */
static void start_watching(cb_store *s)
{
    if (!s->watch_tried) {
        s->watch_tried = true;
        s->watch_fd = fswatch_open();
        if (!s->reader && s->local_dir && s->watch_fd >= 0)
            s->wd_local = fswatch_add(s->watch_fd, s->local_dir);
        /* Asked once: a share is polled, and never asked again (a share
         * that stops answering would hold the caller here). */
        s->share_remote = s->pg || s->force_remote || fswatch_is_remote(s->shards_dir);
    }
    if (s->watch_fd >= 0 && s->wd_shards < 0 && !s->share_remote)
        s->wd_shards = fswatch_add(s->watch_fd, s->shards_dir);
}

void store_set_poll_mode(cb_store *s, bool remote, int scan_ms)
{
    s->force_remote = remote;
    s->share_remote |= remote;
    if (remote && s->wd_shards >= 0) {
        inotify_rm_watch(s->watch_fd, s->wd_shards);
        s->wd_shards = -1;
    }
    s->scan_ms = scan_ms > 0 ? scan_ms : SHARE_SCAN_MS;
}

uint64_t store_beacon_reads(const cb_store *s)
{
    return s->beacon_reads;
}

int store_wait_fd(const cb_store *s)
{
    return s->pg ? pg_socket(s->pg) : s->watch_fd;
}

/* Is a shard to be read again whatever the share says: caught being
 * replaced, or written within RACY_MS of when it was read (a same-size write
 * in the same second would not show)? For a few seconds after a change. */
static bool slot_due(const cb_store *s)
{
    for (int i = 0; i < s->n_slots; i++) {
        const shard_slot *sl = &s->slots[i];
        if (!is_my_slot(s, sl) && (sl->retry_since || racy(&sl->st.st_mtim, sl->checked_ms)))
            return true;
    }
    return false;
}

int store_wait_ms(const cb_store *s)
{
    if (!s->watch_tried)
        return 0; /* the first poll sets the watches up */
    if (s->pg)    /* the server's notifications come on its socket */
        return (!s->reader &&
                (s->state == CB_STORE_PENDING || s->state == CB_STORE_LOCAL_ONLY)) ||
                       !pg_connected(s->pg)
                   ? RETRY_MS
                   : -1;
    int64_t wait = -1, mono = date_mono_ms();
#define SOONER(ms)                                                                             \
    do {                                                                                       \
        int64_t ms_ = (ms) < 0 ? 0 : (ms);                                                     \
        if (wait < 0 || ms_ < wait)                                                            \
            wait = ms_;                                                                        \
    } while (0)
    if (s->job)
        SOONER(IN_FLIGHT_MS);
    if (s->wd_shards < 0 || (!s->reader && s->wd_local < 0))
        SOONER(s->last_look_ms + SHARE_POLL_MS - mono);
    if (!s->reader && (s->state == CB_STORE_PENDING || s->state == CB_STORE_LOCAL_ONLY))
        SOONER(s->last_retry_ms + RETRY_MS - now_ms(s));
    if (slot_due(s))
        SOONER(SETTLE_STEP_MS);
#undef SOONER
    return wait > INT_MAX ? INT_MAX : (int)wait;
}

int store_poll(cb_store *s)
{
    bool first = !s->watch_tried;
    if (first)
        start_watching(s);
    s->hint_share = s->hint_local = false;
    if (s->watch_fd >= 0)
        fswatch_drain(s->watch_fd, on_watch_event, s);
    if (first || history_lost(s))
        return 1; /* anything between the last refresh and the watch */
    bool look_local = s->wd_local < 0 || s->hint_local;
    if (!s->reader && look_local &&
        shard_pragma_int(s->local, "data_version") != s->data_version)
        return 1;
    struct stat lst;
    if (!s->reader && look_local &&
        (stat(s->local_path, &lst) != 0 || lst.st_ino != s->local_ino ||
         lst.st_dev != s->local_dev))
        return 1;
    if (s->pg)
        return pg_poll(s->pg) || ((s->state == CB_STORE_PENDING ||
                                   s->state == CB_STORE_LOCAL_ONLY || !pg_connected(s->pg)) &&
                                  now_ms(s) - s->last_retry_ms >= RETRY_MS);
    int64_t mono = date_mono_ms();
    if (s->job) {
        bool was = s->not_answering;
        if (share_hanging(s))
            return s->not_answering != was; /* once, to show it */
        take_answer(s);
    } else {
        if ((s->state == CB_STORE_PENDING || s->state == CB_STORE_LOCAL_ONLY) && !s->reader &&
            now_ms(s) - s->last_retry_ms >= RETRY_MS)
            return 1;
        if (slot_due(s))
            return 1;
        if (s->wd_shards >= 0) /* inotify says when the shards change */
            return s->hint_share;
        s->last_look_ms = mono;
        /* The directory changed within RACY_MS of its last listing: while
         * clients are busy, a look at the beacon alone can miss a change
         * (two publishes racing for it, attributes a network client has
         * cached), so the directory and every shard are looked at. */
        bool full = mono - s->last_scan_ms >= s->scan_ms || !s->dir_listed ||
                    racy(&s->dir_mtime, s->dir_checked_ms);
        if (full)
            s->last_scan_ms = mono;
        if (start_poll(s, full)) {
            if (!poll_done(s, POLL_WAIT_MS))
                return 0; /* looked at again on the next poll */
            take_answer(s);
        }
    }
    poll_job *j = s->job;
    s->job = NULL;
    s->stat_calls += j->stat_calls;
    s->beacon_reads += j->beacon_reads;
    int r = j->result;
    if (s->not_answering) { /* it answered again */
        s->not_answering = false;
        return 1;
    }
    if (r == POLL_UNREACHABLE || r == POLL_MOVED)
        return s->state == CB_STORE_SHARED;
    return r == POLL_CHANGED;
}

/* Brings a store that lost (or never had) the share back to it. */
static void retry_share(cb_store *s, cb_diags *d)
{
    s->last_retry_ms = now_ms(s);
    if (s->state == CB_STORE_LOCAL_ONLY) {
        check_share(s, false, NULL);
        /* An empty local database (deleted while the share was away) is
         * rebuilt from my shard now, as it would have been at start. */
        if (s->state != CB_STORE_SHARED || check_own_shard(s, true, d) != 0)
            return;
        if (s->mine->max_seq > s->published_seq)
            s->state = CB_STORE_PENDING;
    }
    if (s->state == CB_STORE_PENDING && publish(s, d) == 0 && d)
        diags_add(d, CB_NOTE, NULL, 0, 0, "store %s reachable again: changes published",
                  s->dir);
}

/* --- the PostgreSQL transport (store_pg.c) ------------------------------------
 * The client above stays as it is; only the share's entry points (check_share,
 * check_own_shard, publish, poll, refresh) hand over to these. */

/* The server was not reached: the store works locally until it returns. */
static void pg_lost(cb_store *s, const char *why, cb_diags *d)
{
    if (s->state != CB_STORE_SHARED && s->state != CB_STORE_PENDING &&
        s->state != CB_STORE_LOCAL_ONLY)
        return; /* read-only or conflict: that says more */
    bool pending = !s->reader && s->mine && s->mine->max_seq > pg_published_seq(s->pg);
    set_problem(s, pending ? CB_STORE_PENDING : CB_STORE_LOCAL_ONLY,
                "server %s is unreachable (%s): working locally, changes are published when "
                "it is back",
                s->dir, why);
    s->last_retry_ms = now_ms(s);
    if (d)
        diags_add(d, CB_WARNING, NULL, 0, 0, "%s", s->problem);
}

/* Fetches what is new; 1 when the merged content changed. */
static int pg_fetch_new(cb_store *s, cb_diags *d)
{
    char err[512];
    int r = pg_fetch(s->pg, &s->hlc_seen, err, sizeof err);
    if (r < 0)
        pg_lost(s, err, d);
    return r > 0;
}

static void pg_check(cb_store *s, cb_diags *d)
{
    char err[512];
    s->state = CB_STORE_SHARED;
    s->problem[0] = '\0';
    pg_use_client(s->pg, s->client);
    if (pg_connect(s->pg, err, sizeof err) != 0) {
        pg_lost(s, err, d);
        return;
    }
    if (pg_one_change(s->pg) && !s->reader && !s->snap) {
        /* the history is fetched by the first refresh or snapshot */
        if (pg_peek(s->pg, &s->hlc_seen, err, sizeof err) == 0)
            s->deferred = true;
        else
            pg_lost(s, err, d);
        return;
    }
    if (pg_fetch_new(s, d)) {
        s->dirty = true;
        s->generation++;
    }
}

/* What the server holds of my client must be what my local database holds
 * (else another machine publishes as me); an empty local database is
 * rebuilt from it. */
static int pg_check_own(cb_store *s, bool allow_rebuild, cb_diags *d)
{
    const shard_events *srv = pg_self(s->pg);
    char err[512];
    if (allow_rebuild && s->mine->n == 0 && srv->n > 0) {
        if (rebuild_local(s, srv, err, sizeof err) == 0) {
            if (d)
                diags_add(d, CB_NOTE, s->local_path, 0, 0,
                          "local database rebuilt from the server (%zu changes)", srv->n);
        } else if (d) {
            diags_add(d, CB_WARNING, NULL, 0, 0, "%s", err);
        }
    }
    reload_mine(s, false, err, sizeof err);
    if (!shard_is_subset(srv, s->mine)) {
        enter_conflict(s, d);
        return -1;
    }
    s->published_seq = pg_published_seq(s->pg);
    return 0;
}

static int pg_sync(cb_store *s, cb_diags *d)
{
    char err[512];
    int rc = pg_publish(s->pg, s->mine, err, sizeof err);
    if (rc == PG_DOWN) {
        pg_lost(s, err, d);
        return -1;
    }
    if (rc == PG_REFUSED) {
        set_problem(s, CB_STORE_CONFLICT, "%s; your changes stay in %s, unpublished", err,
                    s->local_path);
        if (d)
            diags_add(d, CB_WARNING, NULL, 0, 0, "%s", s->problem);
        return -1;
    }
    s->published_seq = pg_published_seq(s->pg);
    s->state = CB_STORE_SHARED;
    s->problem[0] = '\0';
    return 0;
}

static int pg_refresh(cb_store *s, cb_diags *d, int changed)
{
    s->last_refresh_ms = now_ms(s);
    if (!s->reader && (s->state == CB_STORE_PENDING || s->state == CB_STORE_LOCAL_ONLY))
        retry_share(s, d);
    else if (!pg_connected(s->pg) && (s->reader || s->state == CB_STORE_SHARED))
        pg_check(s, d); /* the connection was lost: reconnect, or say so */
    if (pg_connected(s->pg) && !s->peek)
        changed |= pg_fetch_new(s, d);
    if (changed) {
        s->dirty = true;
        s->generation++;
    }
    return changed;
}

int store_refresh(cb_store *s, cb_diags *d)
{
    int changed = s->deferred && !s->peek;
    if (!s->peek)
        s->deferred = false; /* every slot not loaded is stale: loaded now */
    char err[512];
    if (!s->reader) {
        shard_events *before = s->mine;
        if (check_local(s, d, err, sizeof err) < 0 && d)
            diags_add(d, CB_WARNING, NULL, 0, 0, "%s", err);
        if (reload_mine(s, false, err, sizeof err) != 0 && d)
            diags_add(d, CB_WARNING, s->local_path, 0, 0, "%s", err);
        changed |= s->mine != before;
    }
    if (s->pg)
        return pg_refresh(s, d, changed);
    /* While a poll has waited HUNG_MS for the share, nothing here touches it
     * (a poll merely in flight is no reason: its answer is taken later). */
    share_hanging(s);
    if (s->not_answering) {
        if (changed) {
            s->dirty = true;
            s->generation++;
        }
        return changed;
    }
    if (!s->reader) {
        if (s->state == CB_STORE_PENDING || s->state == CB_STORE_LOCAL_ONLY)
            retry_share(s, d);
    }
    s->last_refresh_ms = now_ms(s);
    struct stat st;
    int listed = -1;
    bool moved = false;
    if (share_stat(s, s->shards_dir, &st) == 0 && !(moved = share_moved(s, &st))) {
        int64_t t = real_clock(NULL);
        listed = dir_changed(s, &st) ? list_shards(s) : 0;
        s->dir_checked_ms = t;
        s->last_look_ms = s->last_scan_ms = date_mono_ms(); /* every shard is stat'ed below */
        if (s->watch_tried && s->wd_shards < 0)
            start_watching(s); /* the directory is back */
    }
    if (moved) {
        if (s->state == CB_STORE_SHARED || s->reader) {
            set_moved(s, &st);
            if (d)
                diags_add(d, CB_WARNING, NULL, 0, 0, "%s", s->problem);
        }
    } else if (listed < 0) {
        if (s->state == CB_STORE_SHARED && !s->reader) {
            bool pending = s->mine->max_seq > s->published_seq;
            set_problem(s, pending ? CB_STORE_PENDING : CB_STORE_LOCAL_ONLY,
                        "store %s is unreachable (%s): working locally", s->dir,
                        strerror(errno));
            if (d)
                diags_add(d, CB_WARNING, NULL, 0, 0, "%s", s->problem);
        }
    } else {
        changed |= listed;
        s->dir_mtime = st.st_mtim;
        s->dir_listed = true;
        char beacon[sizeof s->beacon];
        if (beacon_changed(s, beacon, sizeof beacon))
            follow_beacon(s, beacon);
        trace_mark("shards listed");
        /* (A snapshot whose history did not verify is merged again.) */
        changed |= drop_unverified(s, false);
        changed |= history_lost(s);
        changed |= load_changed_slots(s, d);
        trace_mark("shards loaded");
        for (int i = 0; i < s->n_slots; i++)
            if (is_my_slot(s, &s->slots[i]) && may_publish(s) &&
                check_own_shard(s, false, d) != 0)
                changed = 1; /* the state changed */
    }
    if (changed) {
        s->dirty = true;
        s->generation++;
    }
    return changed;
}

/* --- the snapshot ------------------------------------------------------------ */

/* The merge of every shard's events as they are now; from the checkpoint
 * when there is one (its first snapshot), appended onto its history where
 * that holds. */
static snapshot_impl *merge_now(cb_store *s)
{
    int n_pg = s->pg ? pg_n_peers(s->pg) : 0;
    shard_events **v = xmalloc(((size_t)s->n_slots + 1 + (size_t)n_pg) * sizeof *v);
    int n = 0, bad = 0;
    if (s->mine)
        v[n++] = s->mine;
    if (s->pg)
        n += pg_peers(s->pg, v + n);
    for (int i = 0; i < s->n_slots; i++) {
        bad += s->slots[i].bad;
        if (s->slots[i].ev && !is_my_slot(s, &s->slots[i]))
            v[n++] = s->slots[i].ev;
    }
    merge_hint h = {0};
    snapshot_impl *snap = NULL;
    s->snap_how = "full";
    if (ckpt_hint(s->ckpt, v, n, ckpt_mine(s), &h)) {
        bool moved = ckpt_moved(s->ckpt);
        snap = merge_appending(v, n, s->generation, &h);
        s->snap_how = moved ? "appended, moved" : "appended";
        if (!snap && ckpt_load_history(s->ckpt) == 0) {
            snap = merge_shards_hinted(v, n, s->generation, &h);
            s->snap_how = moved ? "hinted, moved" : "hinted";
        }
        s->ckpt_used = true;
        s->ckpt_gone = ckpt_gone(s, h.n_records);
    } else {
        snap = merge_shards(v, n, s->generation);
    }
    free(h.record_of);
    free(v);
    if (snap)
        snap->pub.n_bad_shards = bad;
    return snap;
}

/* A command's snapshot has its whole history (the dashboard's reads it when
 * first needed: cb_store_opts.lazy_history): false when it does not verify. */
static bool history_ready(cb_store *s)
{
    if (s->lazy || !s->snap->pub.events_from)
        return true;
    snapshot_history(&s->snap->pub);
    return !ckpt_history_lost(s->snap->image);
}

const cb_snapshot *store_snapshot(cb_store *s)
{
    if (s->deferred)
        store_refresh(s, NULL);
    if (s->snap && !s->dirty)
        return &s->snap->pub;
    snapshot_unref(s->snap);
    s->snap = NULL;
    /* A merge past the checkpoint's first snapshot reads every event. */
    if (!s->ckpt && drop_unverified(s, true))
        load_changed_slots(s, NULL);
    s->snap = merge_now(s);
    /* A history that does not verify (or a checkpoint that did not hold
     * and whose history did not): every shard taken from it is read again. */
    if (!s->snap || !history_ready(s)) {
        snapshot_unref(s->snap);
        ckpt_unref(s->ckpt, NULL);
        s->ckpt = NULL;
        drop_unverified(s, true);
        load_changed_slots(s, NULL);
        s->snap = merge_now(s);
        s->snap_how = "full, the checkpoint's history did not verify";
    }
    ckpt_unref(s->ckpt, NULL); /* what is taken from it holds it */
    s->ckpt = NULL;
    s->dirty = false;
    char how[96];
    snprintf(how, sizeof how, "snapshot merged (%s)", s->snap_how);
    trace_mark(how);
    return &s->snap->pub;
}

const cb_snapshot *store_snapshot_retain(cb_store *s)
{
    store_snapshot(s);
    s->snap->refs++;
    return &s->snap->pub;
}

void store_snapshot_release(const cb_snapshot *snap)
{
    snapshot_unref((snapshot_impl *)(uintptr_t)snap);
}

/* --- accessors -------------------------------------------------------------- */

enum cb_store_state store_state(const cb_store *s)
{
    return s->not_answering ? CB_STORE_NOT_ANSWERING : s->state;
}

const char *store_state_name(enum cb_store_state st)
{
    switch (st) {
    case CB_STORE_SHARED:
        return "shared";
    case CB_STORE_PENDING:
        return "pending";
    case CB_STORE_LOCAL_ONLY:
        return "local only";
    case CB_STORE_READ_ONLY:
        return "read-only";
    case CB_STORE_CONFLICT:
        return "client id conflict";
    case CB_STORE_NOT_ANSWERING:
        return "share not answering";
    }
    return "?";
}

const char *store_problem(const cb_store *s)
{
    if (s->not_answering)
        return s->hung_problem;
    return s->problem[0] ? s->problem : NULL;
}
const char *store_client_id(const cb_store *s)
{
    return s->client;
}
int64_t store_last_refresh_ms(const cb_store *s)
{
    return s->last_refresh_ms;
}
int64_t store_last_seq(const cb_store *s)
{
    return s->last_seq;
}
const char *store_snapshot_how(const cb_store *s)
{
    return s->snap_how ? s->snap_how : "none";
}

uint64_t store_ckpt_taken(const cb_store *s)
{
    return s->ckpt_taken;
}

uint64_t store_stat_calls(const cb_store *s)
{
    return s->stat_calls;
}

bool store_is_server(const char *dir)
{
    return pg_is_uri(dir);
}

uint64_t store_server_queries(const cb_store *s)
{
    return s->pg ? pg_queries(s->pg) : 0;
}

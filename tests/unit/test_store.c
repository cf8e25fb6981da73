/* test_store.c — the store's merge rules, clock, undo and failure handling,
 * on temporary directories (no share needed). */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../src/store_impl.h"
#include "certboard/hlc.h"
#include "certboard/keys.h"
#include "certboard/store.h"
#include "t.h"

/* gcc says __SANITIZE_ADDRESS__ under -fsanitize=address; clang (before 16)
 * only answers __has_feature. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CB_CLANG_ASAN 1
#endif
#endif
#ifndef CB_CLANG_ASAN
#define CB_CLANG_ASAN 0
#endif

static char tmp_root[256];

static int64_t real_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *tmp_path(char *buf, size_t n, const char *leaf)
{
    snprintf(buf, n, "%s/%s", tmp_root, leaf);
    return buf;
}

static void rm_rf(const char *path)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0)
        printf("  (could not remove %s)\n", path);
}

/* A shard of client c with n events on keys k0..k4, clock starting at base. */
static shard_events *make_shard(const char *c, int n, uint64_t base, unsigned seed)
{
    shard_events *se = shev_new(c, "p");
    for (int i = 0; i < n; i++) {
        char key[16], val[16];
        snprintf(key, sizeof key, "k%u", rand_r(&seed) % 5);
        snprintf(val, sizeof val, "%s%d", c, i);
        cb_event e = {.seq = i + 1,
                      .hlc = base + (uint64_t)i * 7 + rand_r(&seed) % 5,
                      .member = "m",
                      .key = key,
                      .value = val};
        if (se->n && e.hlc <= se->max_hlc)
            e.hlc = se->max_hlc + 1;
        shev_push(se, &e);
    }
    return se;
}

/* Both snapshots hold the same events in the same order and the same values. */
static bool same_snapshot(const snapshot_impl *a, const snapshot_impl *b)
{
    if (a->pub.n_events != b->pub.n_events || a->pub.n_current != b->pub.n_current)
        return false;
    for (size_t i = 0; i < a->pub.n_events; i++)
        if (a->events[i].seq != b->events[i].seq ||
            strcmp(a->events[i].client, b->events[i].client) != 0)
            return false;
    for (size_t i = 0; i < a->pub.n_current; i++)
        if (strcmp(a->current[i]->key, b->current[i]->key) != 0 ||
            strcmp(a->current[i]->value, b->current[i]->value) != 0)
            return false;
    return true;
}

TEST(merge_is_order_independent)
{
    /* Clocks overlap so ties on hlc between clients occur. */
    shard_events *a = make_shard("a", 50, 1000, 1), *b = make_shard("b", 40, 1000, 2),
                 *c = make_shard("c", 30, 1010, 3);
    shard_events *abc[] = {a, b, c}, *cab[] = {c, a, b}, *bca[] = {b, c, a};
    snapshot_impl *s1 = merge_shards(abc, 3, 1), *s2 = merge_shards(cab, 3, 1),
                  *s3 = merge_shards(bca, 3, 1);
    CHECK_INT(s1->pub.n_events, 120);
    CHECK_INT(s1->pub.n_current, 5);
    CHECK(same_snapshot(s1, s2));
    CHECK(same_snapshot(s1, s3));
    for (size_t i = 1; i < s1->pub.n_events; i++)
        CHECK(event_order(&s1->events[i - 1], &s1->events[i]) < 0);
    /* The current value is the greatest (hlc, client) event of the key. */
    for (size_t i = 0; i < s1->pub.n_current; i++) {
        const cb_event *best = NULL;
        for (size_t j = 0; j < s1->pub.n_events; j++)
            if (strcmp(s1->events[j].key, s1->current[i]->key) == 0)
                best = &s1->events[j];
        CHECK(best == s1->current[i]);
    }
    snapshot_unref(s1);
    snapshot_unref(s2);
    snapshot_unref(s3);
    shev_release(a);
    shev_release(b);
    shev_release(c);
}

TEST(replayed_events_change_nothing)
{
    shard_events *a = make_shard("a", 30, 500, 4), *b = make_shard("b", 30, 520, 5);
    shard_events *a_part = shev_new("a", "p");
    for (size_t i = 0; i < 10; i++)
        shev_push(a_part, &a->ev[i]);
    shard_events *once[] = {a, b}, *twice[] = {b, a, a_part, b, a};
    snapshot_impl *s1 = merge_shards(once, 2, 1), *s2 = merge_shards(twice, 5, 1);
    CHECK_INT(s2->pub.n_events, 60);
    CHECK(same_snapshot(s1, s2));
    snapshot_unref(s1);
    snapshot_unref(s2);
    shev_release(a);
    shev_release(b);
    shev_release(a_part);
}

/* A larger merge with replayed events: the current value of each key is its
 * greatest event, in the snapshot's own history. */
TEST(large_merge_picks_the_greatest_event_per_key)
{
    shard_events *a = make_shard("a", 12000, 1000, 6), *b = make_shard("b", 12000, 1003, 7);
    shard_events *a_part = shev_new("a", "p");
    for (size_t i = 0; i < 5000; i++)
        shev_push(a_part, &a->ev[i]);
    shard_events *once[] = {a, b}, *replayed[] = {b, a_part, a, b};
    snapshot_impl *s1 = merge_shards(once, 2, 1), *s2 = merge_shards(replayed, 4, 1);
    CHECK_INT(s1->pub.n_events, 24000);
    CHECK_INT(s1->pub.n_current, 5);
    CHECK(same_snapshot(s1, s2));
    for (size_t i = 1; i < s2->pub.n_events; i++)
        CHECK(event_order(&s2->events[i - 1], &s2->events[i]) < 0);
    for (size_t i = 0; i < s2->pub.n_current; i++) {
        const cb_event *best = NULL;
        for (size_t j = 0; j < s2->pub.n_events; j++)
            if (strcmp(s2->events[j].key, s2->current[i]->key) == 0)
                best = &s2->events[j];
        CHECK(best == s2->current[i]); /* in the snapshot's own history */
        CHECK(i == 0 || strcmp(s2->current[i - 1]->key, s2->current[i]->key) < 0);
    }
    snapshot_unref(s1);
    snapshot_unref(s2);
    shev_release(a);
    shev_release(b);
    shev_release(a_part);
}

TEST(hlc_rules)
{
    CHECK(hlc_next(0, 1000) == (uint64_t)1000 << 16);
    uint64_t seen = (uint64_t)5000 << 16;
    CHECK(hlc_next(seen, 1000) == seen + 1); /* clock behind: after what was seen */
    CHECK(hlc_next(seen, 6000) == (uint64_t)6000 << 16);
    CHECK_INT(hlc_ms(hlc_next(seen, 6000)), 6000);
}

/* A clock at its end saturates instead of wrapping to 0 (which would order a
 * new change before everything and fail the client's own shard check). */
TEST(hlc_never_wraps)
{
    CHECK(hlc_next(UINT64_MAX, 1000) == UINT64_MAX);
    CHECK(hlc_next(UINT64_MAX - 1, 1000) == UINT64_MAX);
    CHECK(hlc_next(0, INT64_MAX) > 0); /* a wall clock beyond 48 bits clamps */
    int64_t now = 1700000000000;
    CHECK(!hlc_implausible((uint64_t)now << 16, now));
    CHECK(!hlc_implausible((uint64_t)(now + 23 * 3600000LL) << 16, now));
    CHECK(hlc_implausible((uint64_t)(now + 25 * 3600000LL) << 16, now));
    CHECK(hlc_implausible(UINT64_MAX, now));
}

static int count_msgs(const cb_diags *d, const char *needle);

static int64_t fixed_clock(void *ctx)
{
    return *(int64_t *)ctx;
}

static cb_store *open_client(const char *store, const char *client, const char *member,
                             cb_diags *d)
{
    char local[300];
    snprintf(local, sizeof local, "%s/local-%s", tmp_root, client);
    cb_store_opts o = {.dir = store,
                       .plan_id = "p",
                       .local_dir = local,
                       .client_id = client,
                       .member = member};
    return store_open(&o, d);
}

/* What a fresh reader of the share sees: the value of key and the number of
 * events (copied: the reader is closed before returning). */
static const char *reader_sees(const char *store, const char *key, size_t *n_events)
{
    static char value[64];
    cb_diags d;
    diags_init(&d);
    cb_store_opts r = {.dir = store, .plan_id = "p", .read_only = true};
    cb_store *rd = store_open(&r, &d);
    const cb_snapshot *snap = store_snapshot(rd);
    snprintf(value, sizeof value, "%s", snapshot_value(snap, key));
    if (n_events)
        *n_events = snap->n_events;
    store_close(rd);
    diags_free(&d);
    return value;
}

TEST(hlc_orders_after_what_the_author_saw)
{
    char store[300];
    tmp_path(store, sizeof store, "hlc");
    cb_diags d;
    diags_init(&d);
    cb_store *ahead = open_client(store, "ahead", "m1", &d),
             *behind = open_client(store, "behind", "m2", &d);
    CHECK(ahead && behind);
    /* behind by 5 hours: ordered after what it saw, and the skew is named */
    int64_t t_behind = 1000000000000, t_ahead = t_behind + 5 * 3600000LL;
    store_set_clock(ahead, fixed_clock, &t_ahead);
    store_set_clock(behind, fixed_clock, &t_behind);
    char err[256];
    CHECK_INT(store_apply(ahead, "ms/w1", "at-risk", NULL, err, sizeof err), 0);
    CHECK_INT(store_refresh(behind, &d), 1);
    CHECK_STR(snapshot_value(store_snapshot(behind), "ms/w1"), "at-risk");
    CHECK_INT(store_apply(behind, "ms/w1", "done", NULL, err, sizeof err), 0);
    store_refresh(ahead, &d);
    const cb_snapshot *sa = store_snapshot(ahead), *sb = store_snapshot(behind);
    CHECK_STR(snapshot_value(sa, "ms/w1"), "done");
    CHECK_STR(snapshot_value(sb, "ms/w1"), "done");
    CHECK(sa->n_events == 2 && sa->events[1].hlc > sa->events[0].hlc);
    CHECK_STR(sa->events[1].client, "behind");
    CHECK_INT(count_msgs(&d, "clock is 5.0 h ahead of this machine's (client 'ahead')"), 1);
    CHECK_INT(d.n_warnings, 1);
    store_close(ahead);
    store_close(behind);
    diags_free(&d);
}

TEST(undo_reverts_my_changes_newest_first)
{
    char store[300], err[256];
    tmp_path(store, sizeof store, "undo");
    cb_diags d;
    diags_init(&d);
    cb_store *s = open_client(store, "u1", "ann", &d), *o = open_client(store, "u2", "bob", &d);
    CHECK_INT(store_apply(s, "tick/i1/ann", "1", NULL, err, sizeof err), 0);
    CHECK_INT(store_apply(s, "tick/i2/ann", "1", NULL, err, sizeof err), 0);
    CHECK_INT(store_apply(s, "tick/i2/ann", "", "oops", err, sizeof err), 0);
    CHECK_INT(store_undo(s, err, sizeof err), 0);
    CHECK_STR(snapshot_value(store_snapshot(s), "tick/i2/ann"), "1");
    CHECK_INT(store_undo(s, err, sizeof err), 0);
    CHECK_STR(snapshot_value(store_snapshot(s), "tick/i2/ann"), "");
    /* Someone else changes i1 after me: my undo must not clobber it. */
    store_refresh(o, &d);
    CHECK_INT(store_apply(o, "tick/i1/ann", "", NULL, err, sizeof err), 0);
    store_refresh(s, &d);
    CHECK_INT(store_undo(s, err, sizeof err), -1);
    CHECK_CONTAINS(err, "changed again by bob");
    CHECK_INT(store_undo(o, err, sizeof err), 0);
    CHECK_INT(store_undo(o, err, sizeof err), -1);
    CHECK_CONTAINS(err, "nothing to undo");
    store_close(s);
    store_close(o);
    diags_free(&d);
}

static int count_msgs(const cb_diags *d, const char *needle)
{
    int n = 0;
    for (int i = 0; i < d->n; i++)
        n += strstr(d->v[i].msg, needle) != NULL ||
             (d->v[i].file && strstr(d->v[i].file, needle));
    return n;
}

TEST(reopen_continues_and_rebuilds_deleted_local_db)
{
    char store[300], local[300], err[256];
    tmp_path(store, sizeof store, "rebuild");
    cb_diags d;
    diags_init(&d);
    cb_store *s = open_client(store, "r1", "ann", &d);
    for (int i = 0; i < 5; i++)
        CHECK_INT(store_apply(s, "ms/w1", i % 2 ? "done" : "at-risk", NULL, err, sizeof err),
                  0);
    store_close(s);
    snprintf(local, sizeof local, "%s/local-r1", tmp_root);
    rm_rf(local);
    s = open_client(store, "r1", "ann", &d);
    CHECK(s != NULL);
    CHECK_INT(store_snapshot(s)->n_events, 5);
    CHECK_INT(store_apply(s, "ms/w2", "done", NULL, err, sizeof err), 0);
    CHECK_INT(store_last_seq(s), 6);
    bool noted = false;
    for (int i = 0; i < d.n; i++)
        noted |= strstr(d.v[i].msg, "rebuilt from the published shard (5 changes)") != NULL;
    CHECK(noted);
    CHECK_INT(store_state(s), CB_STORE_SHARED);
    store_close(s);
    /* A damaged local database: a clear error, then rebuilt once moved away. */
    char db[400], away[420];
    snprintf(db, sizeof db, "%s/r1.db", local);
    snprintf(away, sizeof away, "%s/r1.db.damaged", local);
    FILE *f = fopen(db, "r+b");
    if (f) {
        fputs("this is no longer a database header", f);
        fclose(f);
    }
    snprintf(away, sizeof away, "%s-wal", db); /* closed cleanly: normally absent */
    unlink(away);
    s = open_client(store, "r1", "ann", &d);
    CHECK(s == NULL);
    CHECK_INT(count_msgs(&d, "unreadable"), 1);
    CHECK_INT(count_msgs(&d, "move it away"), 1);
    snprintf(away, sizeof away, "%s/r1.db.damaged", local);
    CHECK_INT(rename(db, away), 0);
    s = open_client(store, "r1", "ann", &d);
    CHECK(s && store_snapshot(s)->n_events == 6);
    store_close(s);
    diags_free(&d);
}

static void write_file(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, data, len) != (ssize_t)len)
        printf("  cannot write %s\n", path);
    if (fd >= 0)
        close(fd);
}

TEST(bad_shards_are_skipped_and_named_once)
{
    char store[300], path[400], err[256];
    tmp_path(store, sizeof store, "bad");
    cb_diags d;
    diags_init(&d);
    cb_store *a = open_client(store, "good", "ann", &d);
    CHECK_INT(store_apply(a, "ms/w1", "done", NULL, err, sizeof err), 0);
    /* garbage, a truncated copy of a good shard, and a good shard under a wrong name */
    snprintf(path, sizeof path, "%s/shards/garbage.db", store);
    write_file(path, "hello, this is not a database", 29);
    char src[400];
    snprintf(src, sizeof src, "%s/shards/good.db", store);
    FILE *f = fopen(src, "rb");
    static char buf[1 << 16];
    size_t len = f ? fread(buf, 1, sizeof buf, f) : 0;
    if (f)
        fclose(f);
    snprintf(path, sizeof path, "%s/shards/cut.db", store);
    write_file(path, buf, len - 1000);
    snprintf(path, sizeof path, "%s/shards/impostor.db", store);
    write_file(path, buf, len);
    cb_store *b = open_client(store, "reader", "bob", &d);
    CHECK(b != NULL);
    CHECK_INT(count_msgs(&d, "garbage.db"), 1);
    CHECK_INT(count_msgs(&d, "cut.db"), 1);
    CHECK_INT(count_msgs(&d, "impostor.db"), 1);
    CHECK_INT(count_msgs(&d, "holds the events of client 'good'"), 1);
    const cb_snapshot *snap = store_snapshot(b);
    CHECK_INT(snap->n_bad_shards, 3);
    CHECK_STR(snapshot_value(snap, "ms/w1"), "done");
    CHECK_INT(snap->n_events, 1);
    /* Named once: another refresh says nothing new. */
    int before = d.n;
    CHECK_INT(store_apply(a, "ms/w1", "at-risk", NULL, err, sizeof err), 0);
    CHECK_INT(store_refresh(b, &d), 1);
    CHECK_INT(d.n, before);
    /* Never spreads: my own shard holds only my events. */
    CHECK_INT(store_apply(b, "ms/w2", "done", NULL, err, sizeof err), 0);
    char mine[400];
    struct stat st;
    snprintf(mine, sizeof mine, "%s/shards/reader.db", store);
    shard_events *se = shard_load_file(mine, &st, NULL, err, sizeof err);
    CHECK(se && se->n == 1 && strcmp(se->client, "reader") == 0);
    shev_release(se);
    store_close(a);
    store_close(b);
    diags_free(&d);
}

/* Several files read together (on several threads where there are cores) give
 * each job exactly what reading it alone gives: good, missing and damaged. */
TEST(loading_files_together_equals_one_by_one)
{
    char store[300], err[256], src[400];
    tmp_path(store, sizeof store, "together");
    cb_diags d;
    diags_init(&d);
    cb_store *a = open_client(store, "one", "ann", &d);
    for (int i = 0; i < 50; i++) {
        char key[32];
        snprintf(key, sizeof key, "ms/w%d", i);
        CHECK_INT(store_apply(a, key, i % 2 ? "done" : "at-risk", "a note", err, sizeof err),
                  0);
    }
    snprintf(src, sizeof src, "%s/shards/one.db", store);
    FILE *f = fopen(src, "rb");
    static char buf[1 << 17];
    size_t len = f ? fread(buf, 1, sizeof buf, f) : 0;
    if (f)
        fclose(f);
    enum { N = 9 };
    char paths[N][400];
    shard_load_job jobs[N];
    memset(jobs, 0, sizeof jobs);
    for (int i = 0; i < N; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/copy-%d.db", tmp_root, i);
        if (i == 4)
            write_file(paths[i], buf, len / 2); /* cut short */
        else if (i != 7)                        /* 7 is missing */
            write_file(paths[i], buf, len);
        jobs[i].path = paths[i];
    }
    shard_load_files(jobs, N);
    for (int i = 0; i < N; i++) {
        struct stat st;
        bool changing;
        char why[512];
        shard_events *alone = shard_load_file(paths[i], &st, &changing, why, sizeof why);
        CHECK(!alone == !jobs[i].ev);
        CHECK(jobs[i].changing == changing);
        if (alone && jobs[i].ev) {
            CHECK(jobs[i].ev->n == 50 && jobs[i].ev->n == alone->n &&
                  jobs[i].ev->chain == alone->chain && strcmp(jobs[i].ev->client, "one") == 0);
        } else {
            CHECK_STR(jobs[i].err, why);
        }
        CHECK(!!jobs[i].ev == (i != 4 && i != 7)); /* cut short, missing */
        shev_release(alone);
        shev_release(jobs[i].ev);
    }
    store_close(a);
    diags_free(&d);
}

TEST(client_id_claimed_twice_is_refused)
{
    char store[300], err[256];
    tmp_path(store, sizeof store, "twice");
    cb_diags d;
    diags_init(&d);
    char l1[300], l2[300];
    snprintf(l1, sizeof l1, "%s/twice-l1", tmp_root);
    snprintf(l2, sizeof l2, "%s/twice-l2", tmp_root);
    cb_store_opts o1 = {
        .dir = store, .plan_id = "p", .local_dir = l1, .client_id = "same", .member = "ann"};
    cb_store_opts o2 = o1;
    o2.local_dir = l2;
    cb_store *a = store_open(&o1, &d);
    CHECK_INT(store_apply(a, "ms/w1", "done", NULL, err, sizeof err), 0);
    CHECK_INT(store_apply(a, "ms/w2", "done", NULL, err, sizeof err), 0);
    cb_store *b = store_open(&o2, &d); /* empty local db: rebuilds from the shard */
    CHECK_INT(store_state(b), CB_STORE_SHARED);
    CHECK_INT(store_apply(a, "ms/w3", "done", NULL, err, sizeof err), 0);
    /* b now applies a change of its own: seq 3 again, a different event. */
    CHECK_INT(store_apply(b, "ms/w4", "at-risk", NULL, err, sizeof err), 0);
    CHECK_INT(store_state(b), CB_STORE_CONFLICT);
    CHECK_CONTAINS(store_problem(b), "another client publishes as 'same'");
    /* a's published shard is intact: w3 is there, w4 is not. */
    CHECK_STR(reader_sees(store, "ms/w3", NULL), "done");
    CHECK_STR(reader_sees(store, "ms/w4", NULL), "");
    store_close(a);
    store_close(b);
    diags_free(&d);
}

TEST(retained_snapshot_outlives_refresh)
{
    char store[300], err[256];
    tmp_path(store, sizeof store, "retain");
    cb_diags d;
    diags_init(&d);
    cb_store *a = open_client(store, "ra", "ann", &d), *b = open_client(store, "rb", "bob", &d);
    CHECK_INT(store_apply(a, "ms/w1", "done", NULL, err, sizeof err), 0);
    store_refresh(b, &d);
    const cb_snapshot *old = store_snapshot_retain(b);
    CHECK_INT(store_apply(a, "ms/w1", "at-risk", NULL, err, sizeof err), 0);
    CHECK_INT(store_refresh(b, &d), 1);
    CHECK_STR(snapshot_value(store_snapshot(b), "ms/w1"), "at-risk");
    CHECK_STR(snapshot_value(old, "ms/w1"), "done");
    CHECK(store_snapshot(b)->generation > old->generation);
    store_snapshot_release(old);
    store_close(a);
    store_close(b);
    diags_free(&d);
}

/* Five clients on a fresh store (d initialised here); c[0] has taken everything in. */
static void open_five(const char *name, cb_store **c, cb_diags *d)
{
    char store[300], err[256];
    tmp_path(store, sizeof store, name);
    diags_init(d);
    for (int i = 0; i < 5; i++) {
        char id[16];
        snprintf(id, sizeof id, "p%d", i);
        c[i] = open_client(store, id, "ann", d);
        CHECK_INT(store_apply(c[i], "ms/w1", id, NULL, err, sizeof err), 0);
    }
    store_refresh(c[0], d);
}

/* c[3] changes ms/w1 to "x"; c[0]'s next poll and refresh take it in. */
static void five_see_a_change(cb_store **c, cb_diags *d, bool woken)
{
    char err[256];
    CHECK_INT(store_apply(c[3], "ms/w1", "x", NULL, err, sizeof err), 0);
    struct pollfd p = {.fd = store_wait_fd(c[0]), .events = POLLIN};
    if (woken)
        CHECK_INT(poll(&p, 1, 0), 1); /* the publish woke the watch */
    CHECK_INT(store_poll(c[0]), 1);
    CHECK_INT(store_refresh(c[0], d), 1);
    CHECK_STR(snapshot_value(store_snapshot(c[0]), "ms/w1"), "x");
    CHECK_INT(store_poll(c[0]), 0);
    for (int i = 0; i < 5; i++)
        store_close(c[i]);
    diags_free(d);
}

TEST(idle_poll_on_a_local_store_touches_no_file)
{
    cb_diags d;
    cb_store *c[5];
    open_five("poll", c, &d);
    CHECK_INT(store_wait_ms(c[0]), 0); /* the first poll sets the watch up */
    CHECK_INT(store_poll(c[0]), 1);    /* and covers what came before it */
    CHECK(store_wait_fd(c[0]) >= 0);
    store_refresh(c[0], &d);
    CHECK_INT(store_wait_ms(c[0]), -1); /* no timer: inotify says when */
    uint64_t stats = store_stat_calls(c[0]), beacons = store_beacon_reads(c[0]);
    CHECK_INT(store_poll(c[0]), 0);
    CHECK_INT(store_poll(c[0]), 0);
    CHECK_INT(store_stat_calls(c[0]) - stats, 0);
    CHECK_INT(store_beacon_reads(c[0]) - beacons, 0);
    five_see_a_change(c, &d, true);
}

TEST(idle_poll_on_a_share_reads_the_beacon_alone)
{
    cb_diags d;
    cb_store *c[5];
    open_five("poll-share", c, &d);
    store_set_poll_mode(c[0], true, 3600000);
    CHECK_INT(store_poll(c[0]), 1);
    store_refresh(c[0], &d);
    int ms = store_wait_ms(c[0]);
    CHECK(ms > 0 && ms <= 1000); /* the next look: within the 2 s promise */
    uint64_t stats = store_stat_calls(c[0]), beacons = store_beacon_reads(c[0]);
    CHECK_INT(store_poll(c[0]), 0);
    /* one read of the beacon, whatever the number of shards */
    CHECK_INT(store_stat_calls(c[0]) - stats, 0);
    CHECK_INT(store_beacon_reads(c[0]) - beacons, 1);
    /* the safety net: the directory plus the 4 other shards */
    store_set_poll_mode(c[0], true, 1);
    usleep(2000);
    stats = store_stat_calls(c[0]);
    CHECK_INT(store_poll(c[0]), 0);
    CHECK_INT(store_stat_calls(c[0]) - stats, 5);
    store_set_poll_mode(c[0], true, 3600000);
    five_see_a_change(c, &d, false);
}

/* Opening to write must not leave a trace in shards/ (a probe file there
 * made every other open dashboard look at the directory again). */
TEST(writable_open_leaves_the_shards_directory_alone)
{
    char store[300], shards[320];
    tmp_path(store, sizeof store, "noprobe");
    snprintf(shards, sizeof shards, "%s/shards", store);
    cb_diags d;
    diags_init(&d);
    cb_store *a = open_client(store, "np-a", "ann", &d);
    CHECK_INT(store_poll(a), 1);
    store_refresh(a, &d);
    CHECK_INT(store_poll(a), 0);
    struct stat before, after;
    CHECK_INT(stat(shards, &before), 0);
    cb_store *b = open_client(store, "np-b", "bob", &d);
    CHECK_INT(stat(shards, &after), 0);
    CHECK(before.st_mtim.tv_sec == after.st_mtim.tv_sec &&
          before.st_mtim.tv_nsec == after.st_mtim.tv_nsec);
    CHECK_INT(store_state(b), CB_STORE_SHARED);
    CHECK_INT(store_poll(a), 0); /* nothing for a to look at */
    store_close(b);
    store_close(a);
    diags_free(&d);
}

TEST(newer_schema_shard_is_read_with_a_warning)
{
    char store[300], path[400], err[256];
    tmp_path(store, sizeof store, "newer");
    cb_diags d;
    diags_init(&d);
    cb_store *a = open_client(store, "me", "ann", &d);
    CHECK_INT(store_apply(a, "ms/w1", "done", NULL, err, sizeof err), 0);
    /* A future client's shard: schema 2, an extra column. */
    snprintf(path, sizeof path, "%s/shards/future.db", store);
    sqlite3 *db;
    sqlite3_open(path, &db);
    CHECK_INT(shard_create_schema(db, "future", "p", err, sizeof err), 0);
    sqlite3_exec(db, "ALTER TABLE events ADD COLUMN mood TEXT;", NULL, NULL, NULL);
    cb_event e = {.seq = 1,
                  .hlc = 1,
                  .wall_ms = 1,
                  .member = "bob",
                  .os_user = "bob",
                  .host = "h",
                  .key = "ms/w2",
                  .value = "done"};
    CHECK_INT(shard_insert_event(db, &e, 0), SQLITE_OK);
    sqlite3_exec(db, "UPDATE events SET mood = 'happy'; PRAGMA user_version=2;", NULL, NULL,
                 NULL);
    sqlite3_close(db);
    CHECK_INT(store_refresh(a, &d), 1);
    CHECK_INT(count_msgs(&d, "newer certboard (schema 2 > 1)"), 1);
    CHECK_STR(snapshot_value(store_snapshot(a), "ms/w2"), "done");
    store_close(a);
    diags_free(&d);
}

TEST(publish_failure_keeps_the_change_and_the_old_shard)
{
    char store[300], err[256], path[400];
    tmp_path(store, sizeof store, "full");
    cb_diags d;
    diags_init(&d);
    cb_store *a = open_client(store, "f1", "ann", &d);
    CHECK_INT(store_apply(a, "ms/w1", "done", NULL, err, sizeof err), 0);
    setenv("CERTBOARD_TEST_PUBLISH_FAIL", "ENOSPC", 1);
    CHECK_INT(store_apply(a, "ms/w2", "done", NULL, err, sizeof err), 0); /* acked locally */
    CHECK_INT(store_state(a), CB_STORE_PENDING);
    CHECK_CONTAINS(store_problem(a), "No space left on device");
    snprintf(path, sizeof path, "%s/shards/f1.db", store);
    struct stat st;
    shard_events *se = shard_load_file(path, &st, NULL, err, sizeof err);
    CHECK(se && se->n == 1); /* the previous shard, intact */
    shev_release(se);
    unsetenv("CERTBOARD_TEST_PUBLISH_FAIL");
    int64_t later = 4102444800000; /* the retry interval has passed */
    store_set_clock(a, fixed_clock, &later);
    CHECK_INT(store_poll(a), 1);
    store_refresh(a, &d);
    CHECK_INT(store_state(a), CB_STORE_SHARED);
    se = shard_load_file(path, &st, NULL, err, sizeof err);
    CHECK(se && se->n == 2);
    shev_release(se);
    store_close(a);
    diags_free(&d);
}

TEST(damaged_shard_bytes_never_crash_the_loader)
{
    char store[300], path[400], err[256];
    tmp_path(store, sizeof store, "flip");
    cb_diags d;
    diags_init(&d);
    cb_store *a = open_client(store, "flip", "ann", &d);
    for (int i = 0; i < 40; i++)
        CHECK_INT(store_apply(a, i % 2 ? "ms/w1" : "tick/i1/ann", i % 3 ? "1" : "x", "note",
                              err, sizeof err),
                  0);
    store_close(a);
    snprintf(path, sizeof path, "%s/shards/flip.db", store);
    FILE *f = fopen(path, "rb");
    static unsigned char good[1 << 16];
    size_t len = f ? fread(good, 1, sizeof good, f) : 0;
    if (f)
        fclose(f);
    CHECK(len >= 4096);
    unsigned char *copy = sqlite3_malloc64(len);
    memcpy(copy, good, len);
    shard_events *orig = shard_load_bytes(copy, len, NULL, err, sizeof err);
    CHECK(orig && orig->n == 40);
    if (!orig)
        return;
    unsigned seed = 7;
    int loaded = 0, rejected = 0;
    for (int round = 0; round < 300; round++) {
        unsigned char *buf = sqlite3_malloc64(len);
        memcpy(buf, good, len);
        int flips = 1 + (int)(rand_r(&seed) % 8);
        for (int k = 0; k < flips; k++)
            buf[rand_r(&seed) % len] ^= (unsigned char)(1u << (rand_r(&seed) % 8));
        size_t cut = round % 5 == 0 ? len - (rand_r(&seed) % len) : len;
        shard_events *se = shard_load_bytes(buf, cut, NULL, err, sizeof err);
        if (se) {
            loaded++;
            /* Whatever loads is exactly what was written: damage that loads
             * can only have hit bytes no event lives in. */
            CHECK(se->n == orig->n && se->chain == orig->chain);
            for (size_t i = 0; i < se->n && i < orig->n; i++)
                CHECK(strcmp(se->ev[i].key, orig->ev[i].key) == 0 &&
                      strcmp(se->ev[i].value, orig->ev[i].value) == 0 &&
                      se->ev[i].hlc == orig->ev[i].hlc);
        } else {
            rejected++;
        }
        shev_release(se);
    }
    printf("  damaged shards: %d loaded intact (damage in unused bytes), %d rejected\n", loaded,
           rejected);
    CHECK(rejected > 0);
    shev_release(orig);
    diags_free(&d);
}

static bool has_note(const cb_diags *d, const char *needle)
{
    return count_msgs(d, needle) > 0;
}

TEST(unreachable_share_at_start_then_back)
{
    char mnt[300], store[400], err[256], cmd[900];
    tmp_path(mnt, sizeof mnt, "unmounted");
    snprintf(store, sizeof store, "%s/team/store", mnt); /* the share is not mounted */
    cb_diags d;
    diags_init(&d);
    cb_store *a = open_client(store, "late", "ann", &d);
    CHECK(a != NULL);
    CHECK_INT(store_state(a), CB_STORE_LOCAL_ONLY);
    CHECK(has_note(&d, "unreachable"));
    CHECK_INT(store_apply(a, "ms/w1", "done", NULL, err, sizeof err), 0); /* acked locally */
    CHECK_STR(snapshot_value(store_snapshot(a), "ms/w1"), "done");
    struct stat st;
    CHECK(stat(mnt, &st) != 0); /* nothing created in place of the share */
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/team'", mnt); /* the share is mounted */
    CHECK_INT(system(cmd), 0);
    int64_t later = 4102444800000;
    store_set_clock(a, fixed_clock, &later);
    CHECK_INT(store_poll(a), 1);
    store_refresh(a, &d);
    CHECK_INT(store_state(a), CB_STORE_SHARED);
    CHECK_STR(reader_sees(store, "ms/w1", NULL), "done");
    store_close(a);
    diags_free(&d);
}

TEST(share_lost_mid_session_then_back)
{
    char mnt[300], away[300], store[400], err[256];
    tmp_path(mnt, sizeof mnt, "lost");
    tmp_path(away, sizeof away, "lost.away");
    snprintf(store, sizeof store, "%s/store", mnt);
    mkdir(mnt, 0777);
    cb_diags d;
    diags_init(&d);
    cb_store *a = open_client(store, "roam", "ann", &d);
    CHECK_INT(store_apply(a, "ms/w1", "done", NULL, err, sizeof err), 0);
    CHECK_INT(rename(mnt, away), 0); /* the share goes away */
    CHECK_INT(store_apply(a, "ms/w2", "at-risk", NULL, err, sizeof err), 0);
    CHECK_INT(store_state(a), CB_STORE_PENDING);
    CHECK_CONTAINS(store_problem(a), "not yet published");
    store_refresh(a, &d);
    CHECK_STR(snapshot_value(store_snapshot(a), "ms/w2"), "at-risk");
    CHECK_INT(rename(away, mnt), 0); /* and comes back */
    int64_t later = 4102444800000;
    store_set_clock(a, fixed_clock, &later);
    store_refresh(a, &d);
    CHECK_INT(store_state(a), CB_STORE_SHARED);
    CHECK(has_note(&d, "reachable again"));
    size_t n = 0;
    CHECK_STR(reader_sees(store, "ms/w2", &n), "at-risk");
    CHECK_INT(n, 2);
    store_close(a);
    diags_free(&d);
}

/* Writes a shard for client c (plan "p") whose events have the given clocks,
 * each on key keys[i] with value vals[i]: a valid file as far as any check
 * can tell (numbering, rising clocks, checksum chain). */
static void write_shard(const char *path, const char *c, int n, const uint64_t *hlc,
                        const char *const *keys, const char *const *vals)
{
    sqlite3 *db;
    char err[256];
    unlink(path);
    sqlite3_open(path, &db);
    CHECK_INT(shard_create_schema(db, c, "p", err, sizeof err), 0);
    uint64_t chain = 0;
    for (int i = 0; i < n; i++) {
        cb_event e = {.seq = i + 1,
                      .hlc = hlc[i],
                      .wall_ms = hlc_ms(hlc[i]) > 0 ? hlc_ms(hlc[i]) : 1,
                      .member = "mallory",
                      .os_user = "mallory",
                      .host = "pc-m",
                      .key = keys[i],
                      .value = vals[i]};
        CHECK_INT(shard_insert_event(db, &e, chain), SQLITE_OK);
        chain = event_chain(chain, &e);
    }
    sqlite3_close(db);
}

/* Finding: one shard holding an event whose clock is 2^64-1 was accepted; the
 * next change of every client that read it wrapped its clock to 0 and broke
 * that client for good. Now such an event is quarantined and named. */
TEST(forged_clock_is_quarantined)
{
    char store[300], path[400], err[256];
    tmp_path(store, sizeof store, "forged");
    cb_diags d;
    diags_init(&d);
    cb_store *a = open_client(store, "honest", "ann", &d);
    CHECK_INT(store_apply(a, "ms/w1", "done", NULL, err, sizeof err), 0);
    int64_t now = real_clock_ms();
    uint64_t hlc[] = {(uint64_t)(now - 1000) << 16, UINT64_MAX};
    const char *keys[] = {"ms/w2", "ms/w1"}, *vals[] = {"on-track", "pwned"};
    snprintf(path, sizeof path, "%s/shards/forger.db", store);
    write_shard(path, "forger", 2, hlc, keys, vals);
    cb_store *b = open_client(store, "victim", "bob", &d);
    CHECK(b != NULL);
    CHECK_INT(count_msgs(&d, "quarantined 1 change of client 'forger'"), 1);
    const cb_snapshot *snap = store_snapshot(b);
    CHECK_STR(snapshot_value(snap, "ms/w1"), "done");
    CHECK_STR(snapshot_value(snap, "ms/w2"), "on-track"); /* the plausible part loads */
    CHECK_INT(snap->n_events, 2);
    /* b's next change is ordered by its own clock, not after 2^64-1. */
    CHECK_INT(store_apply(b, "ms/w1", "at-risk", NULL, err, sizeof err), 0);
    snap = store_snapshot(b);
    const cb_event *e = snapshot_get(snap, "ms/w1");
    CHECK(e && strcmp(e->client, "victim") == 0);
    CHECK(e && hlc_ms(e->hlc) >= now - 1000 && hlc_ms(e->hlc) < now + 600000);
    CHECK_INT(store_state(b), CB_STORE_SHARED);
    store_close(b);
    /* ...and b still works afterwards: reopened, another change, no error. */
    int before = diags_errors(&d);
    b = open_client(store, "victim", "bob", &d);
    CHECK(b != NULL);
    CHECK_INT(diags_errors(&d), before);
    CHECK_INT(store_apply(b, "ms/w3", "done", NULL, err, sizeof err), 0);
    CHECK_INT(store_state(b), CB_STORE_SHARED);
    CHECK_INT(count_msgs(&d, "quarantined"), 2); /* once per process */
    /* Everyone else sees b's changes: its shard is not skipped. */
    CHECK_STR(reader_sees(store, "ms/w1", NULL), "at-risk");
    CHECK_STR(reader_sees(store, "ms/w3", NULL), "done");
    store_close(b);
    store_close(a);
    diags_free(&d);
}

/* The bound is a day: hours of real skew are merged (and named), thirty
 * years are not. */
TEST(clock_far_ahead_is_quarantined_hours_ahead_are_named)
{
    char store[300], err[256];
    tmp_path(store, sizeof store, "skew");
    cb_diags d;
    diags_init(&d);
    cb_store *me = open_client(store, "skew-me", "ann", &d),
             *far = open_client(store, "far", "bob", &d);
    int64_t t_me = 1000000000000, t_far = 2000000000000;
    store_set_clock(me, fixed_clock, &t_me);
    store_set_clock(far, fixed_clock, &t_far);
    CHECK_INT(store_apply(me, "ms/w1", "done", NULL, err, sizeof err), 0);
    CHECK_INT(store_apply(far, "ms/w1", "at-risk", NULL, err, sizeof err), 0);
    store_refresh(me, &d);
    CHECK_STR(snapshot_value(store_snapshot(me), "ms/w1"), "done");
    CHECK_INT(count_msgs(&d, "quarantined 1 change of client 'far'"), 1);
    CHECK_INT(count_msgs(&d, "31 years ahead"), 1);
    CHECK_INT(store_apply(me, "ms/w2", "done", NULL, err, sizeof err), 0);
    CHECK_INT(hlc_ms(snapshot_get(store_snapshot(me), "ms/w2")->hlc), t_me);
    store_close(me);
    store_close(far);
    diags_free(&d);
}

/* Runs fn in a child process with a time limit: 0 when it returned 0 in time,
 * else -1 (a hang is killed, never waited for). The child's peak RSS in KiB
 * goes to *rss_kib. */
static int in_child(int (*fn)(const char *), const char *arg, int seconds, long *rss_kib)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        _exit(fn(arg));
    if (pid < 0)
        return -1;
    int status = 0;
    for (int i = 0; i < seconds * 20; i++) {
        struct rusage ru;
        if (wait4(pid, &status, WNOHANG, &ru) == pid) {
            if (rss_kib)
                *rss_kib = ru.ru_maxrss;
            return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
        }
        struct timespec ts = {0, 50000000};
        nanosleep(&ts, NULL);
    }
    printf("  child still running after %d s: killed\n", seconds);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
}

/* Opens a client on store and prints what it said; 0 when every odd file in
 * shards/ was named and the good shard still loaded. */
static int open_beside_odd_files(const char *store)
{
    cb_diags d;
    diags_init(&d);
    cb_store *s = open_client(store, "looker", "bob", &d);
    if (!s)
        return 1;
    int bad = 0;
    bad += count_msgs(&d, "fifo.db") != 1 || count_msgs(&d, "a FIFO") != 1;
    bad += count_msgs(&d, "link.db") != 1 || count_msgs(&d, "a symbolic link") != 1;
    bad += count_msgs(&d, "dir.db") != 1 || count_msgs(&d, "a directory") != 1;
    bad += count_msgs(&d, "empty.db") != 1;
    bad += strcmp(snapshot_value(store_snapshot(s), "ms/w1"), "done") != 0;
    bad += store_snapshot(s)->n_bad_shards != 4;
    char err[256];
    bad += store_apply(s, "ms/w2", "done", NULL, err, sizeof err) != 0;
    for (int i = 0; i < d.n; i++)
        printf("  said: %s: %s\n", d.v[i].file ? d.v[i].file : "", d.v[i].msg);
    store_close(s);
    diags_free(&d);
    return bad;
}

/* Finding: a FIFO named x.db in shards/ hung every command in open(). Only
 * regular files are read; the rest are named and skipped. */
TEST(fifo_and_other_odd_files_are_named_not_waited_for)
{
    char store[300], path[400], target[400], err[256];
    tmp_path(store, sizeof store, "odd");
    cb_diags d;
    diags_init(&d);
    cb_store *a = open_client(store, "good", "ann", &d);
    CHECK_INT(store_apply(a, "ms/w1", "done", NULL, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/shards/fifo.db", store);
    CHECK_INT(mkfifo(path, 0644), 0);
    snprintf(path, sizeof path, "%s/shards/link.db", store);
    snprintf(target, sizeof target, "%s/shards/good.db", store);
    CHECK_INT(symlink(target, path), 0);
    snprintf(path, sizeof path, "%s/shards/dir.db", store);
    CHECK_INT(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/shards/empty.db", store);
    write_file(path, "", 0);
    CHECK_INT(in_child(open_beside_odd_files, store, 20, NULL), 0);
    store_close(a);
    diags_free(&d);
}

static int open_with_budget(const char *store)
{
    cb_diags d;
    diags_init(&d);
    char local[300];
    snprintf(local, sizeof local, "%s/local-budget", tmp_root);
    cb_store_opts o = {.dir = store,
                       .plan_id = "p",
                       .local_dir = local,
                       .client_id = "budget",
                       .member = "bob",
                       .max_shard_events = 30};
    cb_store *s = store_open(&o, &d);
    if (!s)
        return 1;
    int bad = 0;
    bad +=
        count_msgs(&d, "junk.db") != 1 || count_msgs(&d, "over budget: 1073741824 bytes") != 1;
    bad += count_msgs(&d, "many.db") != 1 || count_msgs(&d, "over budget: 40 events") != 1;
    bad += strcmp(snapshot_value(store_snapshot(s), "ms/w0"), "done") != 0; /* few.db */
    for (int i = 0; i < d.n; i++)
        printf("  said: %s: %s\n", d.v[i].file ? d.v[i].file : "", d.v[i].msg);
    store_close(s);
    diags_free(&d);
    return bad;
}

/* Finding: a 1 GiB junk file cost each reader ~1 GB. A shard is read only
 * within a size and an event budget; the offender is named, the rest loads,
 * and the reader's peak memory stays small. */
TEST(shard_over_budget_is_named_and_costs_nothing)
{
    char store[300], path[400], err[256];
    tmp_path(store, sizeof store, "budget");
    cb_diags d;
    diags_init(&d);
    cb_store *many = open_client(store, "many", "ann", &d),
             *few = open_client(store, "few", "ann", &d);
    for (int i = 0; i < 40; i++) {
        char key[32];
        snprintf(key, sizeof key, "ms/w%d", i);
        CHECK_INT(store_apply(many, key, "at-risk", NULL, err, sizeof err), 0);
        if (i < 20)
            CHECK_INT(store_apply(few, key, "done", NULL, err, sizeof err), 0);
    }
    store_close(many);
    store_close(few);
    snprintf(path, sizeof path, "%s/shards/junk.db", store);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0 && ftruncate(fd, (off_t)1 << 30) == 0); /* sparse: costs no disk */
    if (fd >= 0)
        close(fd);
    long rss = 0;
    CHECK_INT(in_child(open_with_budget, store, 60, &rss), 0);
    printf("  peak RSS of a reader beside a 1 GiB junk file: %ld KiB\n", rss);
#if defined(__SANITIZE_ADDRESS__) || CB_CLANG_ASAN
    printf("  (AddressSanitizer build: its shadow memory and quarantine make RSS meaningless; "
           "not checked)\n");
#else
    CHECK(rss > 0 && rss < 100 * 1024);
#endif
    unlink(path);
    diags_free(&d);
}

/* Finding: notes took ESC, OSC 52, C1 controls, invalid UTF-8 and 100 KB. */
TEST(notes_are_checked_at_input)
{
    char store[300], err[256];
    tmp_path(store, sizeof store, "notes");
    cb_diags d;
    diags_init(&d);
    cb_store *a = open_client(store, "notes", "ann", &d);
    static const char *const bad[] = {
        "\x1b[31mred",                    /* ESC */
        "\x1b]52;c;Y3VybCBldmlsfHNo\x07", /* OSC 52: writes the clipboard */
        ("\xc2\x9b"
         "31m"),   /* C1 CSI (split so that \x9b does not swallow the 3) */
        "caf\xe9", /* Latin-1, not UTF-8 */
        "two\nlines",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CHECK_INT(store_apply(a, "ms/w1", "done", bad[i], err, sizeof err), -1);
        CHECK_CONTAINS(err, "refused: the note");
    }
    static char big[100 * 1024 + 1];
    memset(big, 'x', sizeof big - 1);
    CHECK_INT(store_apply(a, "ms/w1", "done", big, err, sizeof err), -1);
    CHECK_CONTAINS(err, "too long");
    CHECK_INT(store_snapshot(a)->n_events, 0); /* nothing was saved */
    CHECK_INT(store_apply(a, "ms/w1", "done", "caf\xc3\xa9 \xe2\x9c\x93 ok", err, sizeof err),
              0);
    CHECK_INT(store_apply(a, "ms/w1", "x\x1b", NULL, err, sizeof err), -1);
    CHECK_INT(store_snapshot(a)->n_events, 1);
    store_close(a);
    diags_free(&d);
}

/* Finding: with the share unmounted under a running client, a store directly
 * under the mount point was created again on local disk and the title bar
 * said "shared". Now the store is known by its identity: gone or replaced by
 * another directory means unreachable, never a new store. */
TEST(share_vanishing_is_unreachable_never_recreated)
{
    char mnt[300], store[400], away[300], shards[420], mine[460], err[256];
    tmp_path(mnt, sizeof mnt, "mountpoint");
    tmp_path(away, sizeof away, "mountpoint.share");
    snprintf(store, sizeof store, "%s/store", mnt);
    snprintf(shards, sizeof shards, "%s/shards", store);
    snprintf(mine, sizeof mine, "%s/vanish.db", shards);
    mkdir(mnt, 0777);
    cb_diags d;
    diags_init(&d);
    cb_store *a = open_client(store, "vanish", "ann", &d);
    CHECK_INT(store_apply(a, "ms/w1", "done", NULL, err, sizeof err), 0);
    CHECK_INT(store_state(a), CB_STORE_SHARED);
    CHECK_INT(rename(store, away), 0); /* unmounted: the empty mount point stays */
    int64_t t = real_clock_ms() + 10000;
    store_set_clock(a, fixed_clock, &t);
    store_refresh(a, &d);
    t += 10000;
    CHECK_INT(store_poll(a), 1);
    store_refresh(a, &d); /* a retry: it must not create the store */
    struct stat st;
    CHECK(stat(store, &st) != 0);
    CHECK(store_state(a) == CB_STORE_LOCAL_ONLY || store_state(a) == CB_STORE_PENDING);
    CHECK_CONTAINS(store_problem(a), "unreachable");
    CHECK_INT(store_apply(a, "ms/w2", "at-risk", NULL, err, sizeof err), 0); /* acked */
    CHECK(store_state(a) != CB_STORE_SHARED);
    /* Another directory appears at the path (something made one under the
     * empty mount point): still not the share. */
    CHECK_INT(mkdir(store, 0777), 0);
    CHECK_INT(mkdir(shards, 0777), 0);
    t += 10000;
    store_refresh(a, &d);
    CHECK(store_state(a) == CB_STORE_PENDING);
    CHECK_CONTAINS(store_problem(a), "not the one this client used");
    CHECK(stat(mine, &st) != 0); /* nothing published into it */
    /* The share comes back: published. */
    CHECK_INT(rmdir(shards), 0);
    CHECK_INT(rmdir(store), 0);
    CHECK_INT(rename(away, store), 0);
    t += 10000;
    store_refresh(a, &d);
    CHECK_INT(store_state(a), CB_STORE_SHARED);
    size_t n = 0;
    CHECK_STR(reader_sees(store, "ms/w2", &n), "at-risk");
    CHECK_INT(n, 2);
    store_close(a);
    diags_free(&d);
}

/* ...and at start: a client that has used the store does not create it again
 * when it is missing (the share is not mounted); a new client still does. */
TEST(share_used_before_is_not_created_at_start)
{
    char mnt[300], store[400], away[300], err[256];
    tmp_path(mnt, sizeof mnt, "mp2");
    tmp_path(away, sizeof away, "mp2.share");
    snprintf(store, sizeof store, "%s/store", mnt);
    mkdir(mnt, 0777);
    cb_diags d;
    diags_init(&d);
    cb_store *a = open_client(store, "returning", "ann", &d);
    CHECK_INT(store_apply(a, "ms/w1", "done", NULL, err, sizeof err), 0);
    store_close(a);
    CHECK_INT(rename(store, away), 0);
    a = open_client(store, "returning", "ann", &d);
    CHECK(a != NULL);
    struct stat st;
    CHECK(stat(store, &st) != 0);
    CHECK(a && store_state(a) == CB_STORE_LOCAL_ONLY);
    CHECK_CONTAINS(a ? store_problem(a) : "", "has used it before");
    CHECK_INT(store_apply(a, "ms/w2", "done", NULL, err, sizeof err), 0);
    CHECK_INT(rename(away, store), 0);
    int64_t later = real_clock_ms() + 10000;
    store_set_clock(a, fixed_clock, &later);
    store_refresh(a, &d);
    CHECK_INT(store_state(a), CB_STORE_SHARED);
    CHECK_STR(reader_sees(store, "ms/w2", NULL), "done");
    store_close(a);
    /* A client that has never seen it creates it (the parent exists). */
    char fresh[400];
    snprintf(fresh, sizeof fresh, "%s/new-store", mnt);
    cb_store *b = open_client(fresh, "newcomer", "bob", &d);
    CHECK(b && store_state(b) == CB_STORE_SHARED && stat(fresh, &st) == 0);
    store_close(b);
    diags_free(&d);
}

/* Events in the local database file now at path (-1 when unreadable). */
static int local_events_on_disk(const char *path)
{
    sqlite3 *db;
    int n = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, "SELECT count(*) FROM events", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

/* Finding: the local database deleted under a running dashboard lost an
 * acknowledged change (it went into the deleted file); another command by
 * the same client then put the dashboard in "client id conflict". */
TEST(local_db_deleted_under_a_running_client)
{
    char store[300], local[300], db[400], cmd[1400], err[256];
    tmp_path(store, sizeof store, "deleted");
    snprintf(local, sizeof local, "%s/local-del", tmp_root);
    snprintf(db, sizeof db, "%s/del.db", local);
    snprintf(cmd, sizeof cmd, "rm -f '%s' '%s-wal' '%s-shm'", db, db, db);
    cb_diags d;
    diags_init(&d);
    cb_store *a = open_client(store, "del", "ann", &d); /* the running dashboard */
    CHECK_INT(store_apply(a, "ms/w1", "done", NULL, err, sizeof err), 0);
    CHECK_INT(store_apply(a, "ms/w2", "done", NULL, err, sizeof err), 0);
    CHECK_INT(system(cmd), 0);
    CHECK_INT(store_apply(a, "ms/w3", "done", NULL, err, sizeof err), 0);
    CHECK_INT(local_events_on_disk(db), 3); /* acknowledged into a file that exists */
    /* Deleted again; another command of the same client runs meanwhile. */
    CHECK_INT(system(cmd), 0);
    cb_store *b = open_client(store, "del", "ann", &d);
    CHECK(b != NULL);
    CHECK_INT(store_apply(b, "ms/w4", "at-risk", NULL, err, sizeof err), 0);
    store_close(b);
    CHECK_INT(store_poll(a), 1);
    store_refresh(a, &d);
    CHECK_INT(store_state(a), CB_STORE_SHARED);
    CHECK_INT(store_apply(a, "ms/w5", "done", NULL, err, sizeof err), 0);
    CHECK_INT(store_state(a), CB_STORE_SHARED);
    CHECK_INT(store_last_seq(a), 5);
    size_t n = 0;
    CHECK_STR(reader_sees(store, "ms/w4", &n), "at-risk");
    CHECK_INT(n, 5);
    CHECK_INT(local_events_on_disk(db), 5);
    CHECK(count_msgs(&d, "deleted or replaced while certboard ran") >= 1);
    store_close(a);
    diags_free(&d);
}

static void set_mtime(const char *path, time_t t)
{
    struct timespec ts[2] = {{t, 0}, {t, 0}};
    CHECK_INT(utimensat(AT_FDCWD, path, ts, 0), 0);
}

/* Finding: a reader whose network client serves stat() and listings from a
 * cache (sshfs: 20 s) saw changes that late. Simulated here by putting the
 * shards directory's mtime back after a new client publishes (what a stale
 * cached listing shows): the beacon still makes the reader look. */
TEST(beacon_shows_a_change_that_stat_does_not)
{
    char store[300], shards[320], path[400], err[256];
    tmp_path(store, sizeof store, "beacon");
    snprintf(shards, sizeof shards, "%s/shards", store);
    cb_diags d;
    diags_init(&d);
    cb_store *a = open_client(store, "bea", "ann", &d);
    CHECK_INT(store_apply(a, "ms/w1", "done", NULL, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/bea.db", shards);
    time_t old = time(NULL) - 3600; /* nothing racy */
    set_mtime(path, old);
    set_mtime(shards, old);
    cb_store_opts ro = {.dir = store, .plan_id = "p", .read_only = true};
    cb_store *r = store_open(&ro, &d);
    store_set_poll_mode(r, true, 3600000); /* a network client: inotify sees nothing */
    CHECK_STR(snapshot_value(store_snapshot(r), "ms/w1"), "done");
    CHECK_INT(store_poll(r), 1); /* the first poll: anything since the open */
    CHECK_INT(store_refresh(r, &d), 0);
    CHECK_INT(store_poll(r), 0);
    cb_store *b = open_client(store, "bea-new", "bob", &d); /* a client new to r */
    CHECK_INT(store_apply(b, "ms/w2", "at-risk", NULL, err, sizeof err), 0);
    set_mtime(shards, old); /* the listing r's client has cached */
    CHECK_INT(store_poll(r), 1);
    CHECK_INT(store_refresh(r, &d), 1);
    CHECK_STR(snapshot_value(store_snapshot(r), "ms/w2"), "at-risk");
    CHECK_INT(store_poll(r), 0); /* and idle again */
    /* A beacon naming a shard that is not there changes nothing. */
    snprintf(path, sizeof path, "%s/.beacon", shards);
    write_file(path, "ghost 1 2\n", 10);
    int before = d.n;
    CHECK_INT(store_poll(r), 1);
    CHECK_INT(store_refresh(r, &d), 0);
    CHECK_INT(d.n, before);
    CHECK_INT(store_snapshot(r)->n_shards, 2);
    store_close(b);
    store_close(r);
    store_close(a);
    diags_free(&d);
}

/* Finding: cloned machines (same host name and user, a copied home directory)
 * shared a client id; the second silently took over the first's shard and
 * the first's later changes were never published. A local database knows the
 * machine it was made on; found on another, that machine takes its own id. */
TEST(cloned_home_directory_gets_its_own_client_id)
{
    char store[300], la[300], lb[300], cmd[700], err[256];
    tmp_path(store, sizeof store, "cloned");
    tmp_path(la, sizeof la, "cloned-home-a");
    tmp_path(lb, sizeof lb, "cloned-home-b");
    cb_diags d;
    diags_init(&d);
    cb_store_opts oa = {.dir = store, .plan_id = "p", .local_dir = la, .member = "ann"};
    cb_store_opts ob = oa;
    ob.local_dir = lb;
    setenv("CERTBOARD_TEST_MACHINE_ID", "machine-a", 1);
    cb_store *a = store_open(&oa, &d);
    CHECK_INT(store_apply(a, "ms/w1", "done", NULL, err, sizeof err), 0);
    store_close(a);
    snprintf(cmd, sizeof cmd, "cp -a '%s' '%s'", la, lb); /* the home directory is cloned */
    CHECK_INT(system(cmd), 0);
    setenv("CERTBOARD_TEST_MACHINE_ID", "machine-b", 1);
    cb_store *b = store_open(&ob, &d);
    CHECK(b != NULL);
    CHECK_INT(count_msgs(&d, "made on another machine"), 1);
    CHECK_INT(store_apply(b, "ms/w2", "at-risk", NULL, err, sizeof err), 0);
    CHECK_INT(store_state(b), CB_STORE_SHARED);
    setenv("CERTBOARD_TEST_MACHINE_ID", "machine-a", 1);
    a = store_open(&oa, &d);
    CHECK(a != NULL);
    CHECK(strcmp(store_client_id(a), store_client_id(b)) != 0);
    CHECK_INT(store_apply(a, "ms/w3", "done", NULL, err, sizeof err), 0);
    CHECK_INT(store_state(a), CB_STORE_SHARED);
    store_refresh(b, &d);
    CHECK_INT(store_state(b), CB_STORE_SHARED);
    size_t n = 0;
    CHECK_STR(reader_sees(store, "ms/w2", &n), "at-risk");
    CHECK_STR(reader_sees(store, "ms/w3", NULL), "done");
    CHECK_INT(n, 3);
    unsetenv("CERTBOARD_TEST_MACHINE_ID");
    store_close(a);
    store_close(b);
    diags_free(&d);
}

/* A server store with no server answering works locally, like a share that
 * is away: changes are acknowledged and kept; it is polled on a timer. A
 * URI holding a password is refused. A share has no descriptor to wait on. */
TEST(server_store_without_server_works_locally)
{
    char store[300], local[300], err[256];
    tmp_path(store, sizeof store, "waitfd");
    cb_diags d;
    diags_init(&d);
    cb_store *sh = open_client(store, "w1", "m1", &d);
    CHECK(sh && store_wait_ms(sh) == 0); /* the first poll sets up the watches */
    store_poll(sh);
    /* A local share is watched (inotify): nothing to wait for but its fd. */
    CHECK(store_wait_fd(sh) >= 0 && store_wait_ms(sh) == -1);
    CHECK(!store_is_server(store) && store_server_queries(sh) == 0);
    store_close(sh);

    cb_store_opts o = {.dir = "postgresql://u:secret@127.0.0.1:1/x", .plan_id = "p"};
    CHECK(store_is_server(o.dir));
    CHECK(store_open(&o, &d) == NULL);
    CHECK(count_msgs(&d, "~/.pgpass or PGPASSWORD") + count_msgs(&d, "libpq") == 1);

    snprintf(local, sizeof local, "%s/local-server", tmp_root);
    o = (cb_store_opts){.dir = "postgres:///x?host=/nonexistent-certboard-socket-dir",
                        .plan_id = "p",
                        .local_dir = local,
                        .client_id = "srv",
                        .member = "m1"};
    cb_store *s = store_open(&o, &d);
    CHECK(s && store_state(s) == CB_STORE_LOCAL_ONLY);
    CHECK_INT(store_apply(s, "ms/w1", "done", NULL, err, sizeof err), 0);
    CHECK_INT(store_state(s), CB_STORE_LOCAL_ONLY); /* as a share away since the start */
    CHECK(store_problem(s) && strstr(store_problem(s), "unreachable"));
    CHECK_STR(snapshot_value(store_snapshot(s), "ms/w1"), "done");
    store_poll(s);
    /* No connection to wait on: the server is retried on a deadline. */
    CHECK(store_wait_fd(s) == -1 && store_wait_ms(s) > 0);
    store_close(s);
    diags_free(&d);

    char key[64];
    key_tick(key, sizeof key, "i1", "m1");
    CHECK(strncmp(key, key_prefix(KEY_TICK), strlen(key_prefix(KEY_TICK))) == 0);
    CHECK(key_names_member(KEY_TICK) && !key_names_member(KEY_MILESTONE));
    CHECK_STR(key_prefix(KEY_OTHER), "");
}

int main(void)
{
    snprintf(tmp_root, sizeof tmp_root, "%s/cbstore.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmp_root))
        return 1;
    RUN(merge_is_order_independent);
    RUN(replayed_events_change_nothing);
    RUN(large_merge_picks_the_greatest_event_per_key);
    RUN(hlc_rules);
    RUN(hlc_never_wraps);
    RUN(hlc_orders_after_what_the_author_saw);
    RUN(undo_reverts_my_changes_newest_first);
    RUN(reopen_continues_and_rebuilds_deleted_local_db);
    RUN(bad_shards_are_skipped_and_named_once);
    RUN(loading_files_together_equals_one_by_one);
    RUN(client_id_claimed_twice_is_refused);
    RUN(retained_snapshot_outlives_refresh);
    RUN(idle_poll_on_a_local_store_touches_no_file);
    RUN(idle_poll_on_a_share_reads_the_beacon_alone);
    RUN(writable_open_leaves_the_shards_directory_alone);
    RUN(newer_schema_shard_is_read_with_a_warning);
    RUN(publish_failure_keeps_the_change_and_the_old_shard);
    RUN(damaged_shard_bytes_never_crash_the_loader);
    RUN(unreachable_share_at_start_then_back);
    RUN(share_lost_mid_session_then_back);
    RUN(forged_clock_is_quarantined);
    RUN(clock_far_ahead_is_quarantined_hours_ahead_are_named);
    RUN(fifo_and_other_odd_files_are_named_not_waited_for);
    RUN(shard_over_budget_is_named_and_costs_nothing);
    RUN(notes_are_checked_at_input);
    RUN(share_vanishing_is_unreachable_never_recreated);
    RUN(share_used_before_is_not_created_at_start);
    RUN(local_db_deleted_under_a_running_client);
    RUN(beacon_shows_a_change_that_stat_does_not);
    RUN(cloned_home_directory_gets_its_own_client_id);
    RUN(server_store_without_server_works_locally);
    rm_rf(tmp_root);
    return t_done();
}

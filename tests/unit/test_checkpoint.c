/* test_checkpoint.c — the local checkpoint of the merged state never changes
 * what a reader sees. For fixed seeds, a bounded random walk of steps:
 * clients publish changes and undo them, shards are damaged (cut short, a
 * byte flipped, replaced by another plan's or another client's, deleted),
 * the checkpoint is damaged (a byte flipped, cut short, emptied, replaced by
 * another plan's or another client's). After each step a reader opened with
 * the checkpoint and one opened without it must see the same snapshot:
 * every event with every field, every current value, the shard counts.
 * Every other step the reader finds the checkpoint's base address taken (as
 * a second store open in one process would), so both ways of reading it, in
 * place and moved, are compared; and the test counts how each snapshot was
 * made, so that neither the append nor the move passes vacuously. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "certboard/store.h"
#include "../../src/store_impl.h"
#include "t.h"

#define N_WRITERS 3
#define STEPS 36
static const unsigned seeds[] = {1, 2, 3, 5, 8, 13, 21, 34};

static char tmp_root[256];

static void rm_rf(const char *path)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0)
        printf("  (could not remove %s)\n", path);
}

/* A growing string. */
typedef struct text {
    char *p;
    size_t n, cap;
} text;

static void put(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(text *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(t->p ? t->p + t->n : NULL, t->p ? t->cap - t->n : 0, fmt, ap);
        va_end(ap);
        if (k >= 0 && t->p && t->n + (size_t)k < t->cap) {
            t->n += (size_t)k;
            return;
        }
        t->cap = (t->cap + (size_t)(k > 0 ? k : 0) + 1) * 2;
        t->p = realloc(t->p, t->cap);
    }
}

static const char *or_null(const char *s)
{
    return s ? s : "(null)";
}

static void put_event(text *t, const cb_event *e)
{
    put(t, "%s %lld %llu %lld %s %s %s %s=%s note=%s undoes=%s/%lld\n", e->client,
        (long long)e->seq, (unsigned long long)e->hlc, (long long)e->wall_ms, e->member,
        e->os_user, e->host, e->key, e->value, or_null(e->note), or_null(e->undoes_client),
        (long long)e->undoes_seq);
}

/* Lazily read snapshots whose recent history read before the rest was not
 * the same as after. */
static int recent_mismatches;

/* Everything a snapshot says, one line per event and per current value (with
 * its place in the history). The current values and the recent history are
 * read before the rest of the history (a lazily read snapshot's). */
static void describe(const cb_snapshot *snap, text *t)
{
    text cur = {0}, recent = {0}, again = {0};
    for (size_t i = 0; i < snap->n_current; i++)
        put(&cur, "current %s=%s by %s/%lld at %zu\n", snap->current[i]->key,
            snap->current[i]->value, snap->current[i]->client, (long long)snap->current[i]->seq,
            snapshot_index(snap, snap->current[i]));
    size_t from = snap->events_from;
    for (size_t i = from; i < snap->n_events; i++)
        put_event(&recent, &snap->events[i]);
    snapshot_history(snap);
    t->n = 0;
    put(t, "shards %d bad %d events %zu current %zu\n", snap->n_shards, snap->n_bad_shards,
        snap->n_events, snap->n_current);
    for (size_t i = 0; i < snap->n_events; i++) {
        if (i == from)
            again.n = 0;
        put_event(i >= from ? &again : t, &snap->events[i]);
        if (i >= from)
            put_event(t, &snap->events[i]);
    }
    if (recent.n != again.n || (recent.n && memcmp(recent.p, again.p, recent.n) != 0))
        recent_mismatches++;
    if (cur.n)
        put(t, "%.*s", (int)cur.n, cur.p);
    free(cur.p);
    free(recent.p);
    free(again.p);
}

static cb_store *open_lazily(const char *store, const char *plan, const char *client,
                             const char *local, bool lazy)
{
    cb_diags d;
    diags_init(&d);
    cb_store_opts o = {.dir = store,
                       .plan_id = plan,
                       .local_dir = local,
                       .client_id = client,
                       .member = client,
                       .lazy_history = lazy};
    cb_store *s = store_open(&o, &d);
    diags_free(&d);
    return s;
}

static cb_store *open_as(const char *store, const char *plan, const char *client,
                         const char *local)
{
    return open_lazily(store, plan, client, local, false);
}

/* How the snapshots with a checkpoint were made. */
typedef struct made {
    uint64_t taken; /* shards taken from the checkpoint */
    int appended, moved, other;
    int lazy, lost; /* read lazily: with history to come; that did not verify */
} made;

/* What the reader sees with its local dir as it is; m (may be NULL): how.
 * With block, something else holds the checkpoint's base address. Closing
 * it saves the checkpoint it would leave. Lazy: as the dashboard opens it
 * (the history read when first needed); a history that did not verify
 * reads as placeholders ("?") until the refresh after it. */
static void reader_sees(const char *store, const char *local, text *t, made *m, bool block,
                        bool lazy)
{
    void *held = MAP_FAILED;
    uint64_t base = ckpt_preferred_base();
    if (block && base)
        held = mmap((void *)(uintptr_t)base, 4096, PROT_NONE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    cb_store *s = open_lazily(store, "p", "reader", local, lazy);
    if (!s) {
        t->n = 0;
        put(t, "cannot open\n");
    } else {
        const cb_snapshot *snap = store_snapshot(s);
        if (m && snap->events_from)
            m->lazy++;
        describe(snap, t);
        if (lazy && snap->n_events && strcmp(snap->events[0].client, "?") == 0) {
            if (m)
                m->lost++;
            if (store_poll(s) && store_refresh(s, NULL) >= 0)
                describe(store_snapshot(s), t);
        }
        if (m) {
            const char *how = store_snapshot_how(s);
            m->taken += store_ckpt_taken(s);
            m->appended += strncmp(how, "appended", 8) == 0;
            m->moved += strstr(how, "moved") != NULL;
            m->other += strncmp(how, "appended", 8) != 0;
        }
        store_close(s);
    }
    if (held != MAP_FAILED)
        munmap(held, 4096);
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    char buf[8192];
    size_t k;
    while (out && (k = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, k, out);
    if (in)
        fclose(in);
    if (out)
        fclose(out);
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void flip_byte(const char *path, unsigned *seed)
{
    long n = file_size(path);
    int fd = n > 0 ? open(path, O_RDWR) : -1;
    if (fd < 0)
        return;
    off_t at = (off_t)(rand_r(seed) % (unsigned)n);
    unsigned char c;
    if (pread(fd, &c, 1, at) == 1) {
        c ^= (unsigned char)(1u << (rand_r(seed) % 8));
        if (pwrite(fd, &c, 1, at) != 1)
            printf("  cannot flip a byte of %s\n", path);
    }
    close(fd);
}

static void cut_short(const char *path, unsigned *seed)
{
    long n = file_size(path);
    if (n > 0 && truncate(path, (off_t)(rand_r(seed) % (unsigned)n)) != 0)
        printf("  cannot cut %s\n", path);
}

/* A file changed in this step gets an mtime of its own in the past: the
 * store does not trust a file whose mtime is too close to when it was read
 * ("racy"), and a test running in a second would otherwise never reuse one. */
static void age_recent(const char *dir, int step)
{
    static const char *const names[] = {"c0.db", "c1.db", "c2.db", "c9.db", "reader.db"};
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[1200];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (stat(path, &st) != 0 || st.st_mtim.tv_sec < now.tv_sec - 600)
            continue;
        struct timespec ts[2] = {{now.tv_sec - 3600, step * 1000},
                                 {now.tv_sec - 3600, step * 1000}};
        utimensat(AT_FDCWD, path, ts, 0);
    }
}

/* Files of another plan and another client to plant: a shard and a
 * checkpoint of plan "other", and a checkpoint of client "stranger". */
static void make_strangers(const char *root)
{
    char store[1024], local[1024], err[256];
    snprintf(store, sizeof store, "%s/other-store", root);
    snprintf(local, sizeof local, "%s/other-local", root);
    cb_store *o = open_as(store, "other", "reader", local);
    cb_store *w = open_as(store, "other", "c9", local);
    if (o && w) {
        store_apply(w, "ms/w1", "done", NULL, err, sizeof err);
        store_apply(o, "ms/w2", "done", NULL, err, sizeof err);
        store_snapshot(o);
    }
    store_close(w);
    store_close(o);
    snprintf(local, sizeof local, "%s/stranger-local", root);
    cb_store *s = open_as(store, "p", "stranger", local);
    if (s)
        store_snapshot(s);
    store_close(s);
}

static void run_seed(unsigned seed0, made *m, int *mismatches)
{
    unsigned seed = seed0;
    char root[300], store[400], shards[500], local[400], ckpt[500], path[700], err[256];
    snprintf(root, sizeof root, "%s/seed%u", tmp_root, seed0);
    snprintf(store, sizeof store, "%s/store", root);
    snprintf(shards, sizeof shards, "%s/shards", store);
    snprintf(local, sizeof local, "%s/reader-local", root);
    snprintf(ckpt, sizeof ckpt, "%s/reader.ckpt", local);
    mkdir(root, 0755);
    make_strangers(root);
    cb_store *w[N_WRITERS];
    for (int i = 0; i < N_WRITERS; i++) {
        char name[16], wl[600];
        snprintf(name, sizeof name, "c%d", i);
        snprintf(wl, sizeof wl, "%s/local-%s", root, name);
        w[i] = open_as(store, "p", name, wl);
    }
    text with = {0}, without = {0};
    reader_sees(store, local, &with, NULL, false, false);
    for (int step = 0; step < STEPS && *mismatches < 3; step++) {
        unsigned op = (unsigned)rand_r(&seed) % 12;
        int who = rand_r(&seed) % N_WRITERS;
        char key[32], value[32];
        snprintf(key, sizeof key, "tick/i%d/m%d", rand_r(&seed) % 4, rand_r(&seed) % 3);
        snprintf(value, sizeof value, "%d", rand_r(&seed) % 3);
        snprintf(path, sizeof path, "%s/c%d.db", shards, who);
        const char *what = "";
        switch (op) {
        case 0:
        case 1:
        case 2:
            what = "publish";
            if (w[who])
                store_apply(w[who], key, value, rand_r(&seed) % 4 ? NULL : "a note", err,
                            sizeof err);
            break;
        case 3:
            what = "undo";
            if (w[who])
                store_undo(w[who], err, sizeof err);
            break;
        case 4: {
            what = "reader's own change";
            cb_store *r = open_as(store, "p", "reader", local);
            if (r)
                store_apply(r, key, value, NULL, err, sizeof err);
            store_close(r);
            break;
        }
        case 5:
            what = "shard cut short";
            cut_short(path, &seed);
            break;
        case 6:
            what = "shard byte flipped";
            flip_byte(path, &seed);
            break;
        case 7: {
            char tmp[800], from[600];
            snprintf(tmp, sizeof tmp, "%s.tmp", path);
            snprintf(from, sizeof from, "%s/other-store/shards/c9.db", root);
            if (rand_r(&seed) % 2) {
                what = "shard replaced by another plan's";
                copy_file(from, tmp);
                rename(tmp, path);
            } else {
                what = "shard deleted";
                unlink(path);
            }
            break;
        }
        case 8: {
            char from[600];
            what = "another plan's shard added";
            snprintf(from, sizeof from, "%s/other-store/shards/c9.db", root);
            snprintf(path, sizeof path, "%s/c9.db", shards);
            copy_file(from, path);
            break;
        }
        case 9:
            if (rand_r(&seed) % 2) {
                what = "checkpoint byte flipped";
                flip_byte(ckpt, &seed);
            } else {
                what = "checkpoint cut short";
                cut_short(ckpt, &seed);
            }
            break;
        case 10: {
            unsigned k = (unsigned)rand_r(&seed) % 3;
            what = k == 0   ? "checkpoint emptied"
                   : k == 1 ? "checkpoint of another plan"
                            : "checkpoint of another client";
            char from[600];
            if (k == 0) {
                if (truncate(ckpt, 0) != 0)
                    printf("  cannot empty %s\n", ckpt);
            } else {
                if (k == 1)
                    snprintf(from, sizeof from, "%s/other-local/reader.ckpt", root);
                else
                    snprintf(from, sizeof from, "%s/stranger-local/stranger.ckpt", root);
                copy_file(from, ckpt);
            }
            break;
        }
        default:
            what = "nothing";
            break;
        }
        age_recent(shards, step);
        /* With the checkpoint the last reader left; then without one (the
         * checkpoint that reader would leave is put back for the next step). */
        reader_sees(store, local, &with, m, step % 2 == 1, step % 4 >= 2);
        char keep[700];
        snprintf(keep, sizeof keep, "%s.keep", ckpt);
        bool had = rename(ckpt, keep) == 0;
        reader_sees(store, local, &without, NULL, false, false);
        unlink(ckpt);
        if (had)
            rename(keep, ckpt);
        if (with.n != without.n || memcmp(with.p, without.p, with.n) != 0) {
            (*mismatches)++;
            size_t at = 0;
            while (at < with.n && at < without.n && with.p[at] == without.p[at])
                at++;
            printf("  seed %u step %d (%s): with the checkpoint the reader sees\n    %.160s\n"
                   "  without it\n    %.160s\n",
                   seed0, step, what, with.p + at, without.p + at);
        }
    }
    for (int i = 0; i < N_WRITERS; i++)
        store_close(w[i]);
    free(with.p);
    free(without.p);
}

TEST(checkpointed_state_equals_a_full_merge)
{
    made m = {0};
    int mismatches = 0;
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0] && mismatches < 3; i++)
        run_seed(seeds[i], &m, &mismatches);
    CHECK_INT(mismatches, 0);
    CHECK_INT(recent_mismatches, 0);
    /* Not vacuous: unchanged shards were taken from the checkpoint, history
     * was appended to in place, and checkpoints were read moved. */
    CHECK(m.taken > 20);
    CHECK(m.appended > 10);
    if (ckpt_preferred_base())
        CHECK(m.moved > 10);
    /* ... and snapshots were read lazily, some from a history that did not
     * verify (then the refresh after it saw what a full merge does). */
    CHECK(m.lazy > 10);
    printf("  shards taken from the checkpoint: %llu; snapshots appended onto it: %d, "
           "otherwise: %d; read moved: %d; lazily: %d, of which the history did not "
           "verify: %d\n",
           (unsigned long long)m.taken, m.appended, m.other, m.moved, m.lazy, m.lost);
}

/* A lazily read history that does not verify (damaged after its lead was
 * read, or on disk in the history alone): the snapshot's winners and
 * recent history are right, the rest reads as placeholders, the store says
 * to refresh, and the refresh reads every shard again. */
TEST(lazy_history_that_does_not_verify)
{
    char root[300], store[400], local[400], ckpt[500], wl[400], keep[520], err[256];
    snprintf(root, sizeof root, "%s/lost", tmp_root);
    snprintf(store, sizeof store, "%s/store", root);
    snprintf(local, sizeof local, "%s/reader-local", root);
    snprintf(ckpt, sizeof ckpt, "%s/reader.ckpt", local);
    snprintf(wl, sizeof wl, "%s/local-c0", root);
    mkdir(root, 0755);
    cb_store *w = open_as(store, "p", "c0", wl);
    CHECK(w != NULL);
    for (int i = 0; w && i < 12; i++) {
        char key[32];
        snprintf(key, sizeof key, "tick/i%d/m0", i % 5);
        CHECK_INT(store_apply(w, key, i % 2 ? "done" : "", NULL, err, sizeof err), 0);
    }
    store_close(w);
    char shards[420];
    snprintf(shards, sizeof shards, "%s/shards", store);
    age_recent(shards, 0);
    text full = {0}, lazy = {0};
    made m = {0};
    reader_sees(store, local, &full, NULL, false, false); /* leaves the checkpoint */
    snprintf(keep, sizeof keep, "%s.keep", ckpt);
    copy_file(ckpt, keep);
    long size = file_size(ckpt);
    int fd = open(ckpt, O_RDWR);
    unsigned char c = 0;
    CHECK(size > 0 && fd >= 0 && pread(fd, &c, 1, size - 1) == 1);
    c ^= 1; /* the newest event's last byte: in the history */
    CHECK(fd >= 0 && pwrite(fd, &c, 1, size - 1) == 1);
    if (fd >= 0)
        close(fd);
    reader_sees(store, local, &lazy, &m, false, true);
    CHECK_INT(m.lazy, 1);
    CHECK_INT(m.lost, 1);
    CHECK_INT(recent_mismatches, 0);
    CHECK(full.n == lazy.n && memcmp(full.p, lazy.p, full.n) == 0);
    /* The same, the checkpoint intact: read lazily, and no placeholder. */
    rename(keep, ckpt);
    m = (made){0};
    reader_sees(store, local, &lazy, &m, false, true);
    CHECK_INT(m.lazy, 1);
    CHECK_INT(m.lost, 0);
    CHECK(full.n == lazy.n && memcmp(full.p, lazy.p, full.n) == 0);
    free(full.p);
    free(lazy.p);
}

int main(void)
{
    snprintf(tmp_root, sizeof tmp_root, "%s/cbckpt.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmp_root))
        return 1;
    ckpt_set_tail_max(3); /* the tests' changes are all recent */
    RUN(checkpointed_state_equals_a_full_merge);
    RUN(lazy_history_that_does_not_verify);
    rm_rf(tmp_root);
    return t_done();
}

/* bench_store.c — figures for the shared store. Prints, asserts nothing.
 *
 *   bench_store                      all of the below in a temp dir (local disk)
 *   bench_store tick DIR LOCAL [N]   N changes on the store at DIR: latency of
 *                                    store_apply (local commit + publish)
 *   bench_store merge DIR [N]        load + merge the store at DIR, cold, N times
 *   bench_store poll DIR [N]         idle poll on the store at DIR: stat calls
 *                                    and time per poll
 *
 * Targets (docs/architecture-store.md): a local tick <= 5 ms median; 100
 * shards holding 100,000 events loaded and merged <= 100 ms; an idle poll
 * costs at most one stat per shard. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../src/store_impl.h"
#include "certboard/store.h"
#include "bench_util.h"

static cb_store *open_store(const char *dir, const char *local, const char *client, bool reader)
{
    cb_store_opts o = {.dir = dir,
                       .local_dir = local,
                       .client_id = client,
                       .member = "m1",
                       .plan_id = "bench",
                       .read_only = reader,
                       .create_parents = true};
    cb_diags d;
    diags_init(&d);
    cb_store *s = store_open(&o, &d);
    diags_print(&d, stderr);
    diags_free(&d);
    return s;
}

static int bench_tick(const char *dir, const char *local, int n)
{
    cb_store *s = open_store(dir, local, "ticker", false);
    if (!s)
        return 1;
    double *t = xmalloc((size_t)n * sizeof *t);
    char err[512], key[64];
    for (int i = 0; i < n; i++) {
        snprintf(key, sizeof key, "tick/i%d/m1", i % 50);
        double t0 = now_ms();
        if (store_apply(s, key, i % 2 ? "" : "1", NULL, err, sizeof err) != 0) {
            fprintf(stderr, "bench_store: %s\n", err);
            break;
        }
        t[i] = now_ms() - t0;
    }
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    printf("tick ack latency (%d changes, local commit + publish, state %s): median %.2f ms, "
           "p95 %.2f ms, max %.2f ms\n",
           n, store_state_name(store_state(s)), t[n / 2], t[n * 95 / 100], t[n - 1]);
    free(t);
    store_close(s);
    return 0;
}

/* n polls of s, gap_us apart: stat calls per poll, time per poll (median,
 * min-max). */
static void poll_figures(cb_store *s, int n, int gap_us, const char *what)
{
    int shards = store_snapshot(s)->n_shards, changed = 0;
    uint64_t stats = store_stat_calls(s), beacons = store_beacon_reads(s);
    double *t = xmalloc((size_t)n * sizeof *t);
    for (int i = 0; i < n; i++) {
        if (gap_us)
            usleep((useconds_t)gap_us);
        /* A look the share takes longer than a poll waits for is answered
         * by a later poll: timed until its answer is taken. */
        uint64_t seen = store_stat_calls(s) + store_beacon_reads(s);
        double a = now_ms();
        changed += store_poll(s);
        /* (In flight, the store asks to be polled again within 250 ms.) */
        for (int k = 0; k < 5000 && store_stat_calls(s) + store_beacon_reads(s) == seen &&
                        store_wait_ms(s) >= 0 && store_wait_ms(s) <= 250;
             k++) {
            usleep(1000);
            changed += store_poll(s);
        }
        t[i] = now_ms() - a;
    }
    bench_spread sp = bench_spread_of(t, n);
    printf("%s (%d shards): %.2f stat calls and %.2f beacon reads per poll, median %.3f ms per "
           "poll (min-max %.3f-%.3f, %d polls), %d saw a change\n",
           what, shards, (double)(store_stat_calls(s) - stats) / n,
           (double)(store_beacon_reads(s) - beacons) / n, sp.median, sp.min, sp.max, n,
           changed);
    free(t);
}

static int bench_poll(const char *dir, int n)
{
    /* A share has a beacon once anyone published (these shards were
     * written directly). */
    char shards[4200];
    snprintf(shards, sizeof shards, "%s/shards", dir);
    shard_write_beacon(shards, "bench");
    /* A directory listed within 3 s of a change is looked at in full. */
    usleep(3200000);
    cb_store *s = open_store(dir, NULL, NULL, true);
    if (!s)
        return 1;
    /* Wait out the re-read window of recently written files (one-second mtimes). */
    for (int i = 0; i < 100 && store_poll(s); i++) {
        store_refresh(s, NULL);
        usleep(50000);
    }
    poll_figures(s, n, 0,
                 "idle poll as this directory is polled (local: inotify; share: the beacon)");
    store_set_poll_mode(s, true, 0);
    poll_figures(s, n, 0, "idle poll as on a share (the beacon alone)");
    store_set_poll_mode(s, true, 1); /* a full look when 1 ms has passed */
    poll_figures(s, n, 1100, "full look at every shard (a share's safety net, every 120 s)");
    store_close(s);
    return 0;
}

/* Loads and merges the store at dir, cold, as a reader, runs times (at most
 * 20); prints the medians with min-max. */
static void load_and_merge(const char *dir, int runs)
{
    double total[20], load[20], merge[20];
    int shards = 0;
    size_t events = 0, keys = 0;
    runs = runs < 1 ? 1 : runs > 20 ? 20 : runs;
    for (int i = 0; i < runs; i++) {
        double t0 = now_ms();
        cb_store *s = open_store(dir, NULL, NULL, true);
        double t1 = now_ms();
        const cb_snapshot *snap = store_snapshot(s);
        double t2 = now_ms();
        total[i] = t2 - t0;
        load[i] = t1 - t0;
        merge[i] = t2 - t1;
        shards = snap->n_shards;
        events = snap->n_events;
        keys = snap->n_current;
        store_close(s);
    }
    bench_spread a = bench_spread_of(total, runs), b = bench_spread_of(load, runs),
                 c = bench_spread_of(merge, runs);
    printf("load + merge, cold (%d shards, %zu events, %zu keys): median %.1f ms (min-max "
           "%.1f-%.1f, %d runs); read + verify + parse median %.1f ms (%.1f-%.1f), merge "
           "median %.1f ms (%.1f-%.1f)\n",
           shards, events, keys, a.median, a.min, a.max, runs, b.median, b.min, b.max, c.median,
           c.min, c.max);
}

/* 100 shard files written directly (as their clients would have), then one
 * reader loads and merges them all, cold; then again with one shard changed. */
static int bench_merge(const char *root, int n_shards, int per_shard)
{
    char dir[4200], shards[4300];
    snprintf(dir, sizeof dir, "%s/merge", root);
    snprintf(shards, sizeof shards, "%s/shards", dir);
    char cmd[8500];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", shards);
    if (system(cmd) != 0)
        return 1;
    for (int c = 0; c < n_shards; c++) {
        char path[4500], client[32], err[256];
        snprintf(client, sizeof client, "c%03d", c);
        snprintf(path, sizeof path, "%s/%s.db", shards, client);
        sqlite3 *db;
        sqlite3_open(path, &db);
        shard_create_schema(db, client, "bench", err, sizeof err);
        sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
        uint64_t chain = 0;
        for (int i = 1; i <= per_shard; i++) {
            char key[64], member[16];
            snprintf(member, sizeof member, "m%d", c % 60);
            snprintf(key, sizeof key, "tick/item-%d/%s", (i * 7 + c) % 300, member);
            int64_t wall = (int64_t)1700000000000 + i * 1000 + c;
            cb_event e = {.seq = i,
                          .hlc = (uint64_t)wall << 16,
                          .wall_ms = wall,
                          .member = member,
                          .os_user = "user",
                          .host = "host",
                          .key = key,
                          .value = i % 3 ? "1" : ""};
            shard_insert_event(db, &e, chain);
            chain = event_chain(chain, &e);
        }
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        sqlite3_close(db);
    }
    load_and_merge(dir, 5);
    cb_store *s = open_store(dir, NULL, NULL, true);
    const cb_snapshot *snap = store_snapshot(s);
    /* One client publishes again: only its shard is re-read. Five times,
     * one new event each. */
    char path[4500];
    snprintf(path, sizeof path, "%s/c007.db", shards);
    double total[5], reread[5], merge[5];
    int changed = 0;
    for (int k = 0; k < 5; k++) {
        const shard_events *c7 = NULL;
        for (int i = 0; i < snap->n_shards; i++)
            if (strcmp(((snapshot_impl *)(uintptr_t)snap)->held[i]->client, "c007") == 0)
                c7 = ((snapshot_impl *)(uintptr_t)snap)->held[i];
        sqlite3 *db;
        sqlite3_open(path, &db);
        cb_event e = {.seq = c7->max_seq + 1,
                      .hlc = c7->max_hlc + 1,
                      .wall_ms = 1,
                      .member = "m7",
                      .os_user = "u",
                      .host = "h",
                      .key = "ms/x",
                      .value = k % 2 ? "done" : "todo"};
        shard_insert_event(db, &e, c7->chain);
        sqlite3_close(db);
        double t0 = now_ms();
        changed += store_refresh(s, NULL);
        double t1 = now_ms();
        snap = store_snapshot(s);
        double t2 = now_ms();
        total[k] = t2 - t0;
        reread[k] = t1 - t0;
        merge[k] = t2 - t1;
    }
    bench_spread t = bench_spread_of(total, 5), r = bench_spread_of(reread, 5),
                 m = bench_spread_of(merge, 5);
    printf(
        "refresh after one shard changed: median %.1f ms (min-max %.1f-%.1f, 5 runs; re-read "
        "median %.1f ms, merge median %.1f ms (min-max %.1f-%.1f)), changed %d of 5, %zu "
        "events\n",
        t.median, t.min, t.max, r.median, m.median, m.min, m.max, changed, snap->n_events);
    store_close(s);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "tick") == 0)
        return bench_tick(argv[2], argv[3], argc > 4 ? atoi(argv[4]) : 300);
    if (argc >= 3 && strcmp(argv[1], "merge") == 0) {
        load_and_merge(argv[2], argc > 3 ? atoi(argv[3]) : 3);
        return 0;
    }
    if (argc >= 3 && strcmp(argv[1], "poll") == 0)
        return bench_poll(argv[2], argc > 3 ? atoi(argv[3]) : 1000);
    const char *base = getenv("BENCH_TMP") ? getenv("BENCH_TMP") : "/tmp";
    char root[4096], store[4200], local[4200];
    snprintf(root, sizeof root, "%s/bench_store.XXXXXX", base);
    if (!mkdtemp(root))
        return 1;
    snprintf(store, sizeof store, "%s/store", root);
    snprintf(local, sizeof local, "%s/local", root);
    bench_tick(store, local, 300);
    bench_merge(root, 100, 1000);
    char merged[4300];
    snprintf(merged, sizeof merged, "%s/merge", root);
    bench_poll(merged, 1000);
    if (getenv("BENCH_KEEP")) {
        printf("kept %s\n", root);
        return 0;
    }
    char cmd[4400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : 1;
}

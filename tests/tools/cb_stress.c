/* cb_stress.c — drives the store from test scripts and benchmarks.
 *
 *   cb_stress apply --store DIR --local DIR --client ID [--member M] [--n N]
 *                   [--seed S] [--sleep-us U] [--watch] [--linger-peers K]
 *       N random tick/untick/milestone changes. Prints one line per
 *       acknowledged change:  ACK <client> <seq> <ms> <key> <value>
 *       With --watch it refreshes after each change and prints, for each event
 *       of another client seen for the first time:  SEEN <client> <seq> <ms>
 *       With --linger-peers K it keeps watching (at most 20 s) after its own
 *       changes until K other clients have each shown N changes.
 *   cb_stress dump --store DIR
 *       The merged history and current values, as a reader:
 *         EV <client> <seq> <hlc> <key> <value>     (history order)
 *         CUR <key> <value>
 *         SHARDS <n> BAD <n>
 *   cb_stress readloop --store DIR --ms T
 *       Loads every shard file over and over for T ms (or until SIGTERM);
 *       prints  READS <n> INVALID <n> RETRIED <n>: invalid counts torn or
 *       damaged reads; retried counts reads the loader recognised as "file
 *       replaced while reading" (which the store retries, never merges).
 *
 * Values are printed with "" shown as "-" so every line splits on spaces. */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../src/store_impl.h"
#include "certboard/store.h"

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *opt(int argc, char **argv, const char *name, const char *dflt)
{
    for (int i = 2; i + 1 < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return argv[i + 1];
    return dflt;
}

static bool flag(int argc, char **argv, const char *name)
{
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return true;
    return false;
}

static cb_store *open_printing(const cb_store_opts *o)
{
    cb_diags d;
    diags_init(&d);
    cb_store *s = store_open(o, &d);
    diags_print(&d, stderr);
    diags_free(&d);
    return s;
}

static const char *show(const char *v)
{
    return v && *v ? v : "-";
}

/* Per-client greatest seq seen, for SEEN lines. */
typedef struct seen {
    char client[160];
    int64_t seq;
} seen;

static int watch(cb_store *s, seen *tab, int *n_tab, int cap, const char *me)
{
    cb_diags d;
    diags_init(&d);
    if (store_poll(s))
        store_refresh(s, &d);
    diags_print(&d, stderr);
    diags_free(&d);
    const cb_snapshot *snap = store_snapshot(s);
    int64_t t = wall_ms();
    for (size_t i = 0; i < snap->n_events; i++) {
        const cb_event *e = &snap->events[i];
        if (strcmp(e->client, me) == 0)
            continue;
        int k = 0;
        while (k < *n_tab && strcmp(tab[k].client, e->client) != 0)
            k++;
        if (k == *n_tab) {
            if (k == cap)
                continue;
            snprintf(tab[k].client, sizeof tab[k].client, "%s", e->client);
            tab[k].seq = 0;
            (*n_tab)++;
        }
        if (e->seq > tab[k].seq) {
            /* Events of one client arrive in seq order; print each once. */
            for (int64_t q = tab[k].seq + 1; q <= e->seq; q++)
                printf("SEEN %s %lld %lld\n", e->client, (long long)q, (long long)t);
            tab[k].seq = e->seq;
        }
    }
    fflush(stdout);
    return 0;
}

static int cmd_apply(int argc, char **argv)
{
    cb_store_opts o = {
        .dir = opt(argc, argv, "--store", NULL),
        .local_dir = opt(argc, argv, "--local", NULL),
        .client_id = opt(argc, argv, "--client", NULL),
        .member = opt(argc, argv, "--member", "m0"),
        .plan_id = "stress",
    };
    int n = atoi(opt(argc, argv, "--n", "100"));
    unsigned seed = (unsigned)atoi(opt(argc, argv, "--seed", "1"));
    int sleep_us = atoi(opt(argc, argv, "--sleep-us", "0"));
    int linger = atoi(opt(argc, argv, "--linger-peers", "0"));
    bool watching = flag(argc, argv, "--watch") || linger > 0;
    cb_store *s = open_printing(&o);
    if (!s)
        return 1;
    const char *me = store_client_id(s);
    static const char *const statuses[] = {"pending", "on-track", "at-risk", "done"};
    seen tab[64];
    int n_tab = 0, fails = 0;
    for (int i = 0; i < n; i++) {
        char key[64], err[512];
        const char *value;
        int r = (int)(rand_r(&seed) % 10);
        if (r < 8) {
            snprintf(key, sizeof key, "tick/i%u/m%u", rand_r(&seed) % 20, rand_r(&seed) % 6);
            value = r < 5 ? "1" : "";
        } else {
            snprintf(key, sizeof key, "ms/w%u", rand_r(&seed) % 12);
            value = statuses[rand_r(&seed) % 4];
        }
        if (store_apply(s, key, value, NULL, err, sizeof err) == 0) {
            printf("ACK %s %lld %lld %s %s\n", me, (long long)store_last_seq(s),
                   (long long)wall_ms(), key, show(value));
            fflush(stdout);
        } else {
            fprintf(stderr, "cb_stress: %s\n", err);
            fails++;
        }
        if (watching)
            watch(s, tab, &n_tab, 64, me);
        if (sleep_us)
            usleep((useconds_t)sleep_us);
    }
    for (int64_t end = wall_ms() + 20000; linger > 0 && wall_ms() < end;) {
        watch(s, tab, &n_tab, 64, me);
        int done = 0;
        for (int k = 0; k < n_tab; k++)
            done += tab[k].seq >= n;
        if (done >= linger)
            break;
        usleep(5000);
    }
    if (store_state(s) != CB_STORE_SHARED)
        fprintf(stderr, "cb_stress: state %s: %s\n", store_state_name(store_state(s)),
                store_problem(s) ? store_problem(s) : "");
    store_close(s);
    return fails ? 1 : 0;
}

static int cmd_dump(int argc, char **argv)
{
    cb_store_opts o = {.dir = opt(argc, argv, "--store", NULL),
                       .read_only = true,
                       .plan_id = opt(argc, argv, "--plan-id", "stress")};
    cb_store *s = open_printing(&o);
    if (!s)
        return 1;
    const cb_snapshot *snap = store_snapshot(s);
    for (size_t i = 0; i < snap->n_events; i++) {
        const cb_event *e = &snap->events[i];
        printf("EV %s %lld %llu %s %s\n", e->client, (long long)e->seq,
               (unsigned long long)e->hlc, e->key, show(e->value));
    }
    for (size_t i = 0; i < snap->n_current; i++)
        printf("CUR %s %s\n", snap->current[i]->key, show(snap->current[i]->value));
    printf("SHARDS %d BAD %d\n", snap->n_shards, snap->n_bad_shards);
    store_close(s);
    return 0;
}

static volatile sig_atomic_t stop_reading;
static void on_term(int sig)
{
    (void)sig;
    stop_reading = 1;
}

static int cmd_readloop(int argc, char **argv)
{
    signal(SIGTERM, on_term);
    const char *store = opt(argc, argv, "--store", NULL);
    int ms = atoi(opt(argc, argv, "--ms", "1000"));
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/shards", store);
    long reads = 0, invalid = 0, retried = 0;
    for (int64_t end = wall_ms() + ms; wall_ms() < end && !stop_reading;) {
        DIR *dd = opendir(dir);
        if (!dd) {
            usleep(1000);
            continue;
        }
        struct dirent *de;
        while ((de = readdir(dd)) != NULL) {
            size_t len = strlen(de->d_name);
            if (de->d_name[0] == '.' || len < 4 || strcmp(de->d_name + len - 3, ".db") != 0)
                continue;
            char path[8192], err[512];
            struct stat st;
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
            bool changing = false;
            shard_events *se = shard_load_file(path, &st, &changing, err, sizeof err);
            reads++;
            if (!se && changing) {
                retried++; /* replaced while read: the store reads it again */
            } else if (!se) {
                invalid++;
                fprintf(stderr, "cb_stress: invalid read of %s: %s\n", path, err);
            }
            shev_release(se);
        }
        closedir(dd);
    }
    printf("READS %ld INVALID %ld RETRIED %ld\n", reads, invalid, retried);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2 || !opt(argc, argv, "--store", NULL)) {
        fprintf(stderr, "usage: cb_stress apply|dump|readloop --store DIR ...\n");
        return 2;
    }
    if (strcmp(argv[1], "apply") == 0)
        return cmd_apply(argc, argv);
    if (strcmp(argv[1], "dump") == 0)
        return cmd_dump(argc, argv);
    if (strcmp(argv[1], "readloop") == 0)
        return cmd_readloop(argc, argv);
    fprintf(stderr, "cb_stress: unknown mode '%s'\n", argv[1]);
    return 2;
}

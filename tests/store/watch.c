/* watch.c — a reader that watches a store the way the dashboard does: it
 * waits as store_wait_fd() and store_wait_ms() say (with --poll MS: every MS
 * instead), then calls store_poll() and, when that says so, store_refresh();
 * for each event of another client seen for the first time it prints
 *   SEEN <client> <seq> <ms since the epoch>
 * (the format tests/store/lag.py reads). It stops after --ms T milliseconds,
 * or once it has seen --until N events in all.
 *
 *   watch --store DIR [--poll MS|wait] [--ms T] [--until N]
 *
 * Built by the tests that use it (tests/store/test_visibility.sh) against
 * build/libcertboard.a. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "certboard/store.h"

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *opt(int argc, char **argv, const char *name, const char *dflt)
{
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return argv[i + 1];
    return dflt;
}

enum { MAX_CLIENTS = 64 };
static char seen_client[MAX_CLIENTS][130];
static int64_t seen_seq[MAX_CLIENTS];
static int n_clients;

/* Prints SEEN for events not seen before; returns how many. */
static long report(const cb_snapshot *snap)
{
    long fresh = 0;
    int64_t t = wall_ms();
    for (size_t i = 0; i < snap->n_events; i++) {
        const cb_event *e = &snap->events[i];
        int c = 0;
        while (c < n_clients && strcmp(seen_client[c], e->client) != 0)
            c++;
        if (c == n_clients) {
            if (n_clients == MAX_CLIENTS)
                continue;
            snprintf(seen_client[n_clients++], sizeof seen_client[0], "%s", e->client);
        }
        if (e->seq > seen_seq[c]) {
            for (int64_t q = seen_seq[c] + 1; q <= e->seq; q++)
                printf("SEEN %s %lld %lld\n", e->client, (long long)q, (long long)t);
            fresh += (long)(e->seq - seen_seq[c]);
            seen_seq[c] = e->seq;
        }
    }
    fflush(stdout);
    return fresh;
}

int main(int argc, char **argv)
{
    const char *dir = opt(argc, argv, "--store", NULL);
    const char *every = opt(argc, argv, "--poll", "wait");
    long poll_ms = strcmp(every, "wait") == 0 ? -1 : atol(every);
    long ms = atol(opt(argc, argv, "--ms", "60000"));
    long until = atol(opt(argc, argv, "--until", "0"));
    if (!dir || poll_ms == 0 || ms <= 0) {
        fprintf(stderr, "usage: watch --store DIR [--poll MS|wait] [--ms T] [--until N]\n");
        return 2;
    }
    cb_diags d;
    diags_init(&d);
    cb_store_opts o = {.dir = dir, .read_only = true};
    cb_store *s = store_open(&o, &d);
    diags_print(&d, stderr);
    diags_free(&d);
    if (!s)
        return 1;
    long total = report(store_snapshot(s));
    for (int64_t end = wall_ms() + ms; wall_ms() < end && !(until > 0 && total >= until);) {
        if (poll_ms > 0) {
            usleep((useconds_t)poll_ms * 1000);
        } else { /* as the dashboard waits, but never past the end */
            int64_t left = end - wall_ms();
            int wait = store_wait_ms(s);
            struct pollfd p = {.fd = store_wait_fd(s), .events = POLLIN};
            poll(&p, p.fd >= 0 ? 1 : 0, wait < 0 || wait > left ? (int)left : wait);
        }
        if (store_poll(s) == 1) {
            diags_init(&d);
            store_refresh(s, &d);
            diags_print(&d, stderr);
            diags_free(&d);
            total += report(store_snapshot(s));
        }
    }
    store_close(s);
    return 0;
}

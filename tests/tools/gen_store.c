/* gen_store.c — a large plan and a store full of history, for benchmarks.
 *
 *   gen_store PLAN.yaml STORE_DIR [--members N] [--items N] [--events N] [--clients N]
 *             [--days N]
 *
 * Writes a valid 12-week plan with N members (in 5 pods, on 3 tracks), N items
 * on the team checklist (so N x N ticks are possible), 10 domains and weekly
 * milestones; then writes the store's shard files directly (with the store's
 * own schema and event writer from src/store_impl.h), as if --clients
 * clients had each made their share of --events changes: ticks and unticks of
 * random items, milestone statuses. Going through store_apply() would publish
 * the whole shard after every one of 100,000 changes. Deterministic (fixed
 * seed). Defaults: 100 members, 100 items, 100,000 events, 100 clients (one
 * shard per member's machine, as the store keeps them). Each client's events
 * are 50 s apart from the plan's start (2026-09-07), or with --days N spread
 * evenly over the N days up to now (a team's history as it is on the day:
 * the last stand-up's changes among them). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "../../src/store_impl.h"
#include "certboard/date.h"

static int span_days; /* --days: 0 for 50 s apart from the plan's start */

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

static int write_plan(const char *path, int members, int items)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return -1;
    }
    fprintf(f,
            "plan:\n  id: bench-large\n  title: Benchmark plan, %d members x %d items\n"
            "  certification: Benchmark Exam\n  start: 2026-09-07\n  weeks: 12\n  lead: m0\n"
            "  exam: {questions: 60, minutes: 120, passing_score: 70}\n\n",
            members, items);
    fprintf(f, "tracks:\n");
    static const char *const levels[] = {"novice", "intermediate", "experienced"};
    for (int t = 0; t < 3; t++)
        fprintf(f,
                "  - {id: t%d, name: Track %d, level: %s, objective: Objective %d, curriculum: "
                "[Part one, Part two]}\n",
                t, t, levels[t], t);
    fprintf(f, "\nmembers:\n");
    for (int m = 0; m < members; m++)
        fprintf(f, "  - {id: m%d, name: Member %d, level: %s, track: t%d}\n", m, m,
                levels[m == 0 ? 2 : m % 3], m == 0 ? 2 : m % 3);
    fprintf(f, "\ndomains:\n");
    for (int d = 0; d < 10; d++)
        fprintf(f,
                "  - {id: d%d, name: Domain %d, weight: 10, resources: {docs: [Doc %d], "
                "course: [Course %d]}}\n",
                d, d, d, d);
    fprintf(f, "\npods:\n");
    for (int p = 0; p < 5; p++) {
        fprintf(f, "  - {id: p%d, name: Pod %d, lead: m%d, members: [", p, p, p);
        for (int m = p, first = 1; m < members; m += 5, first = 0)
            fprintf(f, "%sm%d", first ? "" : ", ", m);
        fprintf(f, "], domains: [d%d, d%d]}\n", 2 * p, 2 * p + 1);
    }
    fprintf(f, "\nphases:\n  - {id: ph1, name: Foundations, weeks: 1-3}\n"
               "  - {id: ph2, name: Deep Dive, weeks: 4-8}\n  - {id: ph3, name: Capstone, "
               "weeks: 9-11}\n"
               "  - {id: ph4, name: Validation, weeks: 12}\n\nweeks:\n");
    for (int w = 1; w <= 12; w++)
        fprintf(f,
                "  - week: %d\n    activities: [Activity %d a, Activity %d b]\n"
                "    milestones: [{id: ms%d, title: Milestone of week %d}]\n",
                w, w, w, w, w);
    fprintf(f, "\nchecklists:\n  - id: team\n    title: Team checklist\n    owner: team\n    "
               "items:\n");
    for (int i = 0; i < items; i++)
        fprintf(f,
                "      - {id: it%d, title: Item %d of the benchmark plan, due: %d, domain: "
                "d%d, kind: learn}\n",
                i, i, 1 + i * 12 / items, i % 10);
    return fclose(f);
}

/* One client's shard, written with the store's own schema and event writer
 * (src/store_impl.h), so the checksum chain and every column are what the
 * store itself would write; only the publishing step is skipped. */
static int write_shard(const char *dir, int client, int n_events, int members, int items)
{
    char path[4096], name[64], err[256] = "";
    snprintf(name, sizeof name, "bench-client-%02d", client);
    snprintf(path, sizeof path, "%s/shards/%s.db", dir, name);
    remove(path);
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK) {
        fprintf(stderr, "gen_store: %s: %s\n", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return -1;
    }
    int rc =
        sqlite3_exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;", NULL, NULL, NULL);
    if (rc == SQLITE_OK && shard_create_schema(db, name, "bench-large", err, sizeof err) != 0)
        rc = SQLITE_ERROR;
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    int64_t span = (int64_t)span_days * 86400000, ms0 = 1788739200000; /* 2026-09-07 */
    int64_t step = span ? span / (n_events > 0 ? n_events : 1) : 50000;
    if (span)
        ms0 = (int64_t)date_wall_ms() - span;
    uint64_t chain = 0;
    for (int e = 0; rc == SQLITE_OK && e < n_events; e++) {
        int64_t wall = ms0 + (int64_t)e * step + client;
        char key[96], member[32];
        const char *value;
        int m = (int)(next_rand() % (uint32_t)members);
        snprintf(member, sizeof member, "m%d", m);
        if (next_rand() % 50 == 0) {
            static const char *const st4[] = {"pending", "on-track", "at-risk", "done"};
            snprintf(key, sizeof key, "milestone/ms%u", 1 + next_rand() % 12);
            value = st4[next_rand() % 4];
            snprintf(member, sizeof member, "m0");
        } else {
            snprintf(key, sizeof key, "tick/it%u/%s", next_rand() % (uint32_t)items, member);
            value = next_rand() % 4 ? "done" : "";
        }
        cb_event ev = {.seq = e + 1,
                       .hlc = (uint64_t)wall << 16,
                       .wall_ms = wall,
                       .member = member,
                       .os_user = "bench",
                       .host = "bench-host",
                       .key = key,
                       .value = value};
        rc = shard_insert_event(db, &ev, chain);
        chain = event_chain(chain, &ev);
        if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        fprintf(stderr, "gen_store: %s: %s\n", path, err[0] ? err : sqlite3_errmsg(db));
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : -1;
}

int main(int argc, char **argv)
{
    int members = 100, items = 100, events = 100000, clients = 100;
    if (argc < 3) {
        fprintf(stderr, "usage: gen_store PLAN.yaml STORE_DIR [--members N] [--items N] "
                        "[--events N] [--clients N] [--days N]\n");
        return 2;
    }
    for (int i = 3; i + 1 < argc; i += 2) {
        int v = atoi(argv[i + 1]);
        if (strcmp(argv[i], "--members") == 0)
            members = v;
        else if (strcmp(argv[i], "--items") == 0)
            items = v;
        else if (strcmp(argv[i], "--events") == 0)
            events = v;
        else if (strcmp(argv[i], "--clients") == 0)
            clients = v;
        else if (strcmp(argv[i], "--days") == 0)
            span_days = v;
    }
    if (members < 5 || items < 12 || events < 0 || clients < 1 || span_days < 0) {
        fprintf(stderr, "gen_store: need at least 5 members, 12 items, 1 client, 0 days\n");
        return 2;
    }
    char shards[4096];
    snprintf(shards, sizeof shards, "%s/shards", argv[2]);
    mkdir(argv[2], 0777);
    mkdir(shards, 0777);
    if (write_plan(argv[1], members, items) != 0)
        return 1;
    for (int c = 0; c < clients; c++)
        if (write_shard(argv[2], c, events / clients + (c < events % clients), members,
                        items) != 0)
            return 1;
    printf("gen_store: %s (%d members x %d items), %d events in %d shards under %s\n", argv[1],
           members, items, events, clients, shards);
    return 0;
}

/* bench_report.c — time of readiness_build() and of `report` in every format
 * on a large generated plan: 100 members x 100 items (10,000 ticks to track),
 * 10 domains, 3 pods, 12 weeks, and 100,000 history events (ticks toggled,
 * milestone statuses, practice-exam attempts). The plan and the snapshot are
 * generated in memory (no YAML, no store), so the figure is the report's own
 * cost. Target: <= 50 ms per report. Prints figures, asserts nothing.
 *
 * Usage: bench_report [OUT_DIR]  — with OUT_DIR, also writes the reports there. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "certboard/arena.h"
#include "certboard/keys.h"
#include "certboard/readiness.h"
#include "certboard/report.h"
#include "bench_util.h"

#define N_MEMBERS 100
#define N_ITEMS 100
#define N_DOMAINS 10
#define N_PODS 3
#define N_WEEKS 12
#define N_MILESTONES 24
#define N_EVENTS 100000
#define N_ATTEMPTS 300

static uint64_t rng = 88172645463325252ull;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static cb_plan *make_plan(cb_arena *a)
{
    cb_plan *p = arena_alloc(a, sizeof *p);
    p->arena = a;
    p->id = "bench";
    p->title = "Generated plan";
    p->certification = "Exam";
    p->start = date_from_ymd(2026, 1, 5);
    p->n_weeks = N_WEEKS;
    p->exam = (cb_exam_info){59, 120, 70.0, 0};
    p->gate = (cb_gate){0, 50.0, 2};
    p->n_members = N_MEMBERS;
    p->members = arena_alloc(a, N_MEMBERS * sizeof *p->members);
    for (int m = 0; m < N_MEMBERS; m++)
        p->members[m] = (cb_member){.id = arena_printf(a, "m%03d", m),
                                    .name = arena_printf(a, "Member %d", m),
                                    .track = -1,
                                    .joined_week = m % 10 == 9 ? 3 : 1};
    p->n_pods = N_PODS;
    p->pods = arena_alloc(a, N_PODS * sizeof *p->pods);
    for (int k = 0; k < N_PODS; k++) {
        cb_pod *pod = &p->pods[k];
        pod->id = arena_printf(a, "pod%d", k + 1);
        pod->members = arena_alloc(a, N_MEMBERS * sizeof(int));
        pod->domains = arena_alloc(a, N_DOMAINS * sizeof(int));
        for (int m = k; m < N_MEMBERS; m += N_PODS)
            pod->members[pod->n_members++] = m;
        pod->lead = pod->members[0];
    }
    p->n_domains = N_DOMAINS;
    p->domains = arena_alloc(a, N_DOMAINS * sizeof *p->domains);
    static const double w[N_DOMAINS] = {22, 13, 10, 10, 10, 10, 7, 7, 6, 5};
    for (int d = 0; d < N_DOMAINS; d++) {
        cb_pod *pod = &p->pods[d % N_PODS];
        pod->domains[pod->n_domains++] = d;
        const char **docs = arena_alloc(a, sizeof(char *));
        docs[0] = arena_printf(a, "Docs, part %d", d);
        p->domains[d] = (cb_domain){.id = arena_printf(a, "d%d", d),
                                    .name = arena_printf(a, "Domain %d", d),
                                    .weight_lo = w[d],
                                    .weight_hi = w[d],
                                    .pod = d % N_PODS,
                                    .resources = {.docs = {docs, 1}}};
    }
    p->n_phases = 1;
    p->phases = arena_alloc(a, sizeof *p->phases);
    p->phases[0] = (cb_phase){.id = "all", .name = "All", .weeks = {1, N_WEEKS}};
    p->n_milestones = N_MILESTONES;
    p->milestones = arena_alloc(a, N_MILESTONES * sizeof *p->milestones);
    for (int i = 0; i < N_MILESTONES; i++)
        p->milestones[i] = (cb_milestone){.id = arena_printf(a, "ms%02d", i),
                                          .title = arena_printf(a, "Milestone %d", i),
                                          .week = i / 2 + 1,
                                          .owner = {CB_OWNER_TEAM, -1}};
    p->n_checklists = 1;
    p->checklists = arena_alloc(a, sizeof *p->checklists);
    p->checklists[0] =
        (cb_checklist){.id = "team", .owner = {CB_OWNER_TEAM, -1}, .n_items = N_ITEMS};
    p->n_items = N_ITEMS;
    p->items = arena_alloc(a, N_ITEMS * sizeof *p->items);
    for (int i = 0; i < N_ITEMS; i++)
        p->items[i] = (cb_item){.id = arena_printf(a, "item%03d", i),
                                .title = arena_printf(a, "Item %d, with \"quotes\", commas", i),
                                .due_week = i * N_WEEKS / N_ITEMS + 1,
                                .checklist = 0,
                                .domain = i % N_DOMAINS};
    return p;
}

static int cmp_key(const void *a, const void *b)
{
    return strcmp((*(const cb_event *const *)a)->key, (*(const cb_event *const *)b)->key);
}

/* 100,000 events over weeks 1..8; the last event per key wins. */
static cb_snapshot *make_snapshot(const cb_plan *p, cb_arena *a)
{
    cb_snapshot *s = arena_alloc(a, sizeof *s);
    cb_event *ev = arena_alloc(a, N_EVENTS * sizeof *ev);
    int64_t t0 = (int64_t)p->start * 86400000LL, span = 8LL * 7 * 86400000LL;
    for (int i = 0; i < N_EVENTS; i++) {
        cb_event *e = &ev[i];
        int m = (int)rnd(N_MEMBERS);
        *e = (cb_event){.client = arena_printf(a, "c%d", m),
                        .seq = i + 1,
                        .wall_ms = t0 + span * i / N_EVENTS,
                        .member = p->members[m].id};
        e->hlc = (uint64_t)e->wall_ms << 16;
        unsigned kind = rnd(100);
        if (i < N_ATTEMPTS) {
            e->key = key_exam(arena_alloc(a, 16), 16, arena_printf(a, "a%04d", i));
            char *v = arena_printf(a, "v1;member=%s;date=2026-02-0%d;minutes=110",
                                   p->members[m].id, 1 + i % 9);
            for (int d = 0; d < N_DOMAINS; d++) {
                int asked = 3 + (int)rnd(4);
                v = arena_printf(a, "%s;d:d%d=%d/%d", v, d, (int)rnd((unsigned)asked + 1),
                                 asked);
            }
            e->value = v;
        } else if (kind < 2) {
            const char *id = p->milestones[rnd(N_MILESTONES)].id;
            e->key = key_milestone(arena_alloc(a, strlen(id) + 8), strlen(id) + 8, id);
            e->value = rnd(2) ? "on-track" : "at-risk";
            e->note = "generated, with a \"note\"";
        } else {
            const char *it = p->items[rnd(N_ITEMS)].id, *mid = p->members[m].id;
            size_t n = strlen(it) + strlen(mid) + 8;
            e->key = key_tick(arena_alloc(a, n), n, it, mid);
            e->value = rnd(4) ? "1" : "";
        }
    }
    const cb_event **cur = arena_alloc(a, N_EVENTS * sizeof *cur);
    for (int i = 0; i < N_EVENTS; i++)
        cur[i] = &ev[i];
    /* Stable by key, then keep the last of each run (the highest hlc). */
    qsort(cur, N_EVENTS, sizeof *cur, cmp_key);
    size_t n = 0;
    for (size_t i = 0; i < N_EVENTS; i++) {
        if (n > 0 && strcmp(cur[n - 1]->key, cur[i]->key) == 0) {
            if (cur[i]->seq > cur[n - 1]->seq)
                cur[n - 1] = cur[i];
        } else {
            cur[n++] = cur[i];
        }
    }
    *s = (cb_snapshot){.events = ev, .n_events = N_EVENTS, .current = cur, .n_current = n};
    return s;
}

int main(int argc, char **argv)
{
    cb_arena *a = arena_new();
    double t0 = now_ms();
    cb_plan *p = make_plan(a);
    cb_snapshot *s = make_snapshot(p, a);
    double t1 = now_ms();
    cb_day today = p->start + 7 * 8 + 2; /* Wednesday of week 9 */
    printf("generated: %d members x %d items, %zu events (%zu keys) in %.1f ms\n", N_MEMBERS,
           N_ITEMS, s->n_events, s->n_current, t1 - t0);

    const int runs = 20;
    double readies[20], states[20];
    cb_state *st = NULL;
    for (int i = 0; i < runs; i++) {
        cb_arena *ra = arena_new();
        state_free(st);
        double a0 = now_ms();
        st = state_build(p, NULL, s, today);
        double a1 = now_ms();
        readiness_build(st, ra);
        double dt = now_ms() - a1;
        readies[i] = dt;
        states[i] = a1 - a0;
        arena_free(ra);
    }
    bench_spread ss = bench_spread_of(states, runs), rs = bench_spread_of(readies, runs);
    printf("state_build: median %.2f ms (min-max %.2f-%.2f), readiness_build: median %.2f ms "
           "(min-max %.2f-%.2f), %d runs\n",
           ss.median, ss.min, ss.max, rs.median, rs.min, rs.max, runs);

    static const char *const names[] = {"text", "markdown", "csv", "json", "html"};
    for (int f = 0; f < 5; f++) {
        cb_report_opts o = {.format = (enum cb_report_format)f};
        double fv[20];
        size_t bytes = 0;
        for (int i = 0; i < runs / 4; i++) {
            char *buf = NULL;
            size_t len = 0;
            FILE *out = open_memstream(&buf, &len);
            double a0 = now_ms();
            report_write(out, st, &o);
            fflush(out);
            double dt = now_ms() - a0;
            fv[i] = dt;
            bytes = len;
            if (argc > 1 && i == 0) {
                char path[512];
                snprintf(path, sizeof path, "%s/report.%s", argv[1], names[f]);
                FILE *f2 = fopen(path, "w");
                if (f2) {
                    fwrite(buf, 1, len, f2);
                    fclose(f2);
                }
            }
            fclose(out);
            free(buf);
        }
        bench_spread fs = bench_spread_of(fv, runs / 4);
        printf("report --format %-8s median %7.2f ms (min-max %.2f-%.2f, %d runs), %zu bytes "
               "(target <= 50 ms)\n",
               names[f], fs.median, fs.min, fs.max, runs / 4, bytes);
    }
    state_free(st);
    arena_free(a);
    return 0;
}

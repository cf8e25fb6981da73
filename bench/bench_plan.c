/* bench_plan.c — how fast plans load and how fast the lookups are that the
 * dashboard makes per frame. Prints figures; asserts nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "certboard/plan.h"
#include "bench_util.h"

/* A plan with 100 members in 10 pods, 10 domains, 12 weeks and 1,000 items. */
static char *big_plan(size_t *len)
{
    size_t cap = 1 << 20;
    char *s = malloc(cap), *o = s;
#define OUT(...) (o += snprintf(o, cap - (size_t)(o - s), __VA_ARGS__))
    OUT("plan: {id: big, title: Big, certification: X, start: 2026-01-05, weeks: 12, lead: "
        "m0,\n"
        "       exam: {questions: 60, minutes: 120, passing_score: 70}}\n");
    OUT("members:\n");
    for (int i = 0; i < 100; i++)
        OUT("  - {id: m%d, name: Member %d, level: intermediate, login: u%d}\n", i, i, i);
    OUT("domains:\n");
    for (int i = 0; i < 10; i++)
        OUT("  - {id: d%d, name: Domain %d, weight: 10}\n", i, i);
    OUT("pods:\n");
    for (int i = 0; i < 10; i++) {
        OUT("  - {id: p%d, name: Pod %d, lead: m%d, domains: [d%d], members: [", i, i, i * 10,
            i);
        for (int j = 0; j < 10; j++)
            OUT("%sm%d", j ? ", " : "", i * 10 + j);
        OUT("]}\n");
    }
    OUT("phases:\n  - {id: a, name: A, weeks: 1-6}\n  - {id: b, name: B, weeks: 7-12}\n");
    OUT("weeks:\n");
    for (int w = 1; w <= 12; w++)
        OUT("  - {week: %d, activities: [Study], milestones: [{id: ms%d, title: M%d}]}\n", w, w,
            w);
    OUT("checklists:\n");
    for (int c = 0; c < 10; c++) {
        OUT("  - id: c%d\n    title: Pod %d work\n    owner: pod:p%d\n    items:\n", c, c, c);
        for (int i = 0; i < 100; i++)
            OUT("      - {id: i%d-%d, title: Item %d, due: %d, domain: d%d}\n", c, i, i,
                i % 12 + 1, c);
    }
#undef OUT
    *len = (size_t)(o - s);
    return s;
}

/* Each figure: the time per call over a round of at least 60 ms, ROUNDS
 * rounds, median (min-max). */
#define ROUNDS 5

static void bench_load(const char *name, const char *buf, size_t len)
{
    double per[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
        int n = 0;
        double t0 = now_ms(), t;
        do {
            cb_diags d;
            diags_init(&d);
            cb_plan *p = plan_load_buffer(name, buf, len, &d);
            if (!p || diags_errors(&d)) {
                diags_print(&d, stdout);
                plan_free(p);
                diags_free(&d);
                return;
            }
            plan_free(p);
            diags_free(&d);
            n++;
            t = now_ms() - t0;
        } while (t < 60);
        per[r] = t / n;
    }
    bench_spread s = bench_spread_of(per, ROUNDS);
    printf("load %-40s %8zu bytes  median %8.3f ms per load (min-max %.3f-%.3f)\n", name, len,
           s.median, s.min, s.max);
}

static void bench_lookups(const char *buf, size_t len)
{
    cb_diags d;
    diags_init(&d);
    cb_plan *p = plan_load_buffer("big", buf, len, &d);
    if (!p) {
        diags_free(&d);
        return;
    }
    long hits = 0, n = 0;
    double per[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
        double t0 = now_ms(), t;
        long k = 0;
        do {
            for (int m = 0; m < 100; m++)
                for (int i = 0; i < 100; i++)
                    hits += plan_item_assigned(p, i * 10, m);
            k += 100 * 100;
            t = now_ms() - t0;
        } while (t < 60);
        per[r] = t * 1e6 / (double)k;
        n += k;
    }
    bench_spread s = bench_spread_of(per, ROUNDS);
    printf("plan_item_assigned        median %8.1f ns per call (min-max %.1f-%.1f; %ld calls, "
           "%ld hits)\n",
           s.median, s.min, s.max, n, hits);
    char id[32];
    for (int r = 0; r < ROUNDS; r++) {
        double t0 = now_ms(), t;
        long k = 0;
        do {
            for (int i = 0; i < 1000; i++) {
                snprintf(id, sizeof id, "i%d-%d", i % 10, i % 100);
                hits += plan_item(p, id) >= 0;
            }
            k += 1000;
            t = now_ms() - t0;
        } while (t < 60);
        per[r] = t * 1e6 / (double)k;
    }
    s = bench_spread_of(per, ROUNDS);
    printf("plan_item (by id)         median %8.1f ns per call (min-max %.1f-%.1f), snprintf "
           "included\n",
           s.median, s.min, s.max);
    plan_free(p);
    diags_free(&d);
}

int main(void)
{
    const char *root = getenv("ROOT");
    static const char *const plans[] = {"de-professional", "ml-associate",
                                        "certification-roadmap"};
    for (size_t i = 0; i < sizeof plans / sizeof plans[0]; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/plans/%s.yaml", root ? root : ".", plans[i]);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        static char buf[1 << 20];
        size_t len = fread(buf, 1, sizeof buf, f);
        fclose(f);
        bench_load(plans[i], buf, len);
    }
    size_t len;
    char *big = big_plan(&len);
    bench_load("generated: 100 members, 1000 items", big, len);
    bench_lookups(big, len);
    free(big);
    return 0;
}

/* demo_store.c — a plausible team history for screenshots (docs/screens.md).
 *
 *   demo_store PLAN STORE LEAD TODAY
 *
 * Acting as the team lead LEAD through the same calls as the dashboard
 * (app_tick, app_milestone, store_apply), with the store's clock set to the
 * day each change is made: every member ticks most of their items due before
 * TODAY's week, in the item's due week or a week late, and about half of
 * this week's items by TODAY; the first two past
 * milestones are done and the last past one at risk; and each member takes
 * one full practice exam (per-domain results) in the current week.
 * Deterministic (fixed seed). Prints what it wrote. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "certboard/app.h"
#include "certboard/readiness.h"

static uint64_t rng = 0x2545F4914F6CDD1Du;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static int64_t clock_ms;
static int64_t fake_clock(void *ctx)
{
    (void)ctx;
    return clock_ms;
}

/* 10:00 UTC on day d, plus a few minutes so changes are ordered. */
static void set_day(cb_day d, int minutes)
{
    clock_ms = ((int64_t)d * 86400 + 36000 + (int64_t)minutes * 60) * 1000;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: demo_store PLAN STORE LEAD TODAY\n");
        return 2;
    }
    cb_opts o = {.plan_path = argv[1], .store_dir = argv[2], .member = argv[3]};
    cb_day today;
    if (!date_parse(argv[4], &today)) {
        fprintf(stderr, "demo_store: bad date '%s'\n", argv[4]);
        return 2;
    }
    cb_diags d;
    diags_init(&d);
    cb_app app;
    int rc = app_open(&app, &o, APP_NEED_PLAN | APP_NEED_STORE | APP_NEED_IDENTITY, &d);
    diags_print(&d, stderr);
    diags_free(&d);
    if (rc != 0) {
        app_close(&app);
        config_free(&o);
        return 1;
    }
    store_set_clock(app.store, fake_clock, NULL);
    const cb_plan *p = app.plan;
    int week = plan_week_of_day(p, today), ticks = 0, fails = 0;
    char err[512];

    for (int m = 0; m < p->n_members; m++)
        for (int i = 0; i < p->n_items; i++) {
            int due = readiness_due_week(p, i, m);
            if (!plan_item_assigned(p, i, m) || due < 1 || due > week ||
                (int)rnd(100) < 15 + 4 * (m % 3))
                continue;
            cb_day day;
            if (due == week) { /* this week's items: about half, done by today */
                cb_day from = plan_week_start(p, week);
                if (rnd(100) < 50 || today < from)
                    continue;
                day = from + (cb_day)rnd((unsigned)(today - from) + 1);
            } else {
                day = plan_week_start(p, due) + (cb_day)rnd(5) + (rnd(100) < 20 ? 7 : 0);
                if (day > today)
                    day = today;
            }
            set_day(day, m * 10 + (int)rnd(9));
            if (app_tick(&app, i, m, true, err, sizeof err) == 0)
                ticks++;
            else if (fails++ == 0)
                fprintf(stderr, "demo_store: %s\n", err);
        }

    int past[3] = {-1, -1, -1}, n_past = 0, last = -1;
    for (int i = 0; i < p->n_milestones; i++)
        if (p->milestones[i].week < week) {
            if (n_past < 2)
                past[n_past++] = i;
            last = i;
        }
    for (int k = 0; k < n_past; k++) {
        set_day(plan_week_start(p, p->milestones[past[k]].week) + 4, k);
        fails += app_milestone(&app, past[k], "done", NULL, err, sizeof err) != 0;
    }
    if (last >= 0 && last != past[0] && last != past[1]) {
        set_day(today - 3, 0);
        fails += app_milestone(&app, last, "at-risk", "two steps still to automate", err,
                               sizeof err) != 0;
    }

    cb_arena *arena = arena_new();
    int attempts = 0;
    for (int m = 0; m < p->n_members; m++) {
        cb_attempt a = {.member = m,
                        .date = today,
                        .source = "Full practice exam",
                        .minutes = 100 + (int)rnd(20),
                        .per_domain = true};
        a.right = arena_alloc(arena, (size_t)(p->n_domains + 1) * sizeof *a.right);
        a.asked = arena_alloc(arena, (size_t)(p->n_domains + 1) * sizeof *a.asked);
        for (int k = 0; k < p->n_domains; k++) {
            double w = (p->domains[k].weight_lo + p->domains[k].weight_hi) / 2;
            a.asked[k] = (int)(w * p->exam.questions / 100.0); /* at most the exam's length */
            if (a.asked[k] < 1)
                a.asked[k] = 1;
            int floor_pct = 40 + 15 * (m / 2); /* novices lowest, experienced highest */
            a.right[k] = a.asked[k] * (floor_pct + (int)rnd(100 - floor_pct + 1)) / 100;
            a.total_asked += a.asked[k];
            a.total_right += a.right[k];
        }
        char id[80], key[128];
        snprintf(id, sizeof id, "%s-demo-1", p->members[m].id);
        a.id = id;
        set_day(today, 60 + m);
        key_exam(key, sizeof key, id);
        if (attempt_check(p, &a, today, err, sizeof err) == 0 &&
            store_apply(app.store, key, attempt_format(p, &a, arena), NULL, err, sizeof err) ==
                0)
            attempts++;
        else if (fails++ == 0)
            fprintf(stderr, "demo_store: %s\n", err);
    }
    arena_free(arena);
    printf("demo_store: %d ticks, %d milestone statuses, %d practice exams, %d refused\n",
           ticks, n_past + (last >= 0 && last != past[0] && last != past[1]), attempts, fails);
    app_close(&app);
    config_free(&o);
    return fails ? 1 : 0;
}

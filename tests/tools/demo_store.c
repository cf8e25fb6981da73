/* demo_store.c — a plausible team history for screenshots (docs/screens.md).
 *
 *   demo_store PLAN STORE LEAD TODAY
 *
 * Acting as the team lead LEAD through the same calls as the dashboard
 * (app_tick, app_milestone, store_apply), with the store's clock set to the
 * day each change is made: every member ticks most of their items due before
 * TODAY's week, in the item's due week or a week late, and about half of
 * this week's items by TODAY; the first two past milestones are done and the
 * last past one at risk; the lead marked the last stand-up of the schedule
 * held; each member takes one full practice exam (per-domain results) in the
 * current week; two members are blocked on an item of this week.
 * Deterministic (fixed seed). Prints what it wrote. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

typedef struct tick_plan { /* a change to make: a tick, or a milestone status */
    cb_day day;
    int minute, item, member; /* member -1: item is a milestone set done, -2: at risk,
                                 -3: the stand-up marked held */
} tick_plan;

static int cmp_tick_plan(const void *a, const void *b)
{
    const tick_plan *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return x->minute - y->minute;
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
    o.today = today; /* attempts are checked against it */
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
    cb_state *st = state_build(p, NULL, NULL, today); /* due weeks, late joiners counted */

    /* The ticks are planned first, then made in time order, as a team makes
     * them: a change is never older than one its author has seen (hlc.h). */
    size_t cells = (size_t)p->n_items * (size_t)p->n_members, n = 0;
    tick_plan *plan = calloc(cells + 5, sizeof *plan);
    for (int m = 0; m < p->n_members; m++)
        for (int i = 0; i < p->n_items; i++) {
            int due = st->due[(size_t)i * (size_t)p->n_members + (size_t)m];
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
            plan[n++] = (tick_plan){day, m * 10 + (int)rnd(9), i, m};
        }
    /* milestones: the first two past ones done, the last past one at risk */
    int past[3] = {-1, -1, -1}, n_past = 0, last = -1;
    for (int i = 0; i < p->n_milestones; i++)
        if (p->milestones[i].week < week) {
            if (n_past < 2)
                past[n_past++] = i;
            last = i;
        }
    for (int k = 0; k < n_past; k++)
        plan[n++] =
            (tick_plan){plan_week_start(p, p->milestones[past[k]].week) + 4, k, past[k], -1};
    bool at_risk = last >= 0 && last != past[0] && last != past[1];
    if (at_risk)
        plan[n++] = (tick_plan){today - 3, 0, last, -2};
    plan[n++] = (tick_plan){st->last_standup, 30, 0, -3}; /* the last stand-up, 10:30 */
    qsort(plan, n, sizeof *plan, cmp_tick_plan);
    for (size_t k = 0; k < n; k++) {
        tick_plan *t = &plan[k];
        set_day(t->day, t->minute);
        cb_arena *a = arena_new();
        int rc = t->member >= 0    ? app_tick(&app, t->item, t->member, true, err, sizeof err)
                 : t->member == -3 ? (app_standup(&app, a, err, sizeof err) ? 0 : -1)
                 : t->member == -1
                     ? app_milestone(&app, t->item, CB_MS_DONE, NULL, err, sizeof err)
                     : app_milestone(&app, t->item, CB_MS_AT_RISK,
                                     "two steps still to automate", err, sizeof err);
        arena_free(a);
        ticks += rc == 0 && t->member >= 0;
        if (rc != 0 && fails++ == 0)
            fprintf(stderr, "demo_store: %s\n", err);
    }
    free(plan);

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
        char id[80];
        snprintf(id, sizeof id, "%s-demo-1", p->members[m].id);
        set_day(today, 60 + m);
        if (app_exam_record(&app, &a, id, arena, err, sizeof err))
            attempts++;
        else if (fails++ == 0)
            fprintf(stderr, "demo_store: %s\n", err);
    }
    /* two members are blocked on their first open item of this week */
    state_free(st);
    st = state_build(p, app.store, NULL, today); /* what is done by now */
    static const char *const why[2] = {"waiting for access to the practice workspace",
                                       "the sample dataset is missing a partition"};
    int blocked = 0;
    for (int k = 0; k < 2; k++) {
        int m = 1 + 2 * k;
        for (int i = 0; m < p->n_members && i < p->n_items; i++) {
            if (state_cell(st, i, m) != CELL_OPEN ||
                st->due[(size_t)i * (size_t)p->n_members + (size_t)m] != week)
                continue;
            set_day(today, 80 + k);
            if (app_block(&app, i, m, true, why[k], err, sizeof err) == 0)
                blocked++;
            else if (fails++ == 0)
                fprintf(stderr, "demo_store: %s\n", err);
            break;
        }
    }
    arena_free(arena);
    state_free(st);
    printf("demo_store: %d ticks, %d milestone statuses, %d practice exams, %d blockers, "
           "%d refused\n",
           ticks, n_past + at_risk, attempts, blocked, fails);
    app_close(&app);
    config_free(&o);
    return fails ? 1 : 0;
}

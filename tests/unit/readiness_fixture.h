/* readiness_fixture.h — the hand-built plan and snapshot shared by
 * test_readiness.c and test_report.c (include once per test program). */
#ifndef CERTBOARD_READINESS_FIXTURE_H
#define CERTBOARD_READINESS_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "certboard/readiness.h"

/* ---- the fixture ---------------------------------------------------------
 * Plan: starts Monday 2026-01-05, 12 weeks, exam 59 questions / 120 min,
 * passing 70%, exam day = start + 83 = 2026-03-29. Gate: min_projected 0
 * (= passing 70), domain floor 50%, min 2 attempts.
 * Domains: A weight 50, B weight "20-30" (midpoint 25), C weight 25.
 * Members: nov1, int1, exp1, late1 (joined week 4).
 * Pods: p0 = {nov1, exp1} owns A; p1 = {int1, late1} owns B and C.
 * One team checklist: i1 due 1, i2 due 2, i3 due 5, i4 due 12. */

static cb_domain domains[3];
static cb_member members[4];
static int pod0_members[] = {0, 2}, pod1_members[] = {1, 3};
static int pod0_domains[] = {0}, pod1_domains[] = {1, 2};
static cb_pod pods[2];
static cb_checklist checklists[1];
static cb_item items[4];
static cb_phase phases[2];
static cb_milestone milestones[3];
static cb_session sessions[2];
static cb_exam exams[1];
static cb_plan plan;

static cb_day day(const char *s)
{
    cb_day d = 0;
    if (!date_parse(s, &d))
        abort();
    return d;
}

static void build_plan(void)
{
    domains[0] =
        (cb_domain){.id = "A", .name = "Alpha", .weight_lo = 50, .weight_hi = 50, .pod = 0};
    domains[1] =
        (cb_domain){.id = "B", .name = "Beta", .weight_lo = 20, .weight_hi = 30, .pod = 1};
    domains[2] =
        (cb_domain){.id = "C", .name = "Gamma", .weight_lo = 25, .weight_hi = 25, .pod = 1};
    const char *ids[] = {"nov1", "int1", "exp1", "late1"};
    for (int i = 0; i < 4; i++)
        members[i] = (cb_member){.id = ids[i], .name = ids[i], .track = -1, .joined_week = 1};
    members[3].joined_week = 4;
    pods[0] = (cb_pod){.id = "p0",
                       .lead = 2,
                       .members = pod0_members,
                       .n_members = 2,
                       .domains = pod0_domains,
                       .n_domains = 1};
    pods[1] = (cb_pod){.id = "p1",
                       .lead = 1,
                       .members = pod1_members,
                       .n_members = 2,
                       .domains = pod1_domains,
                       .n_domains = 2};
    checklists[0] = (cb_checklist){.id = "team", .owner = {CB_OWNER_TEAM, -1}, .n_items = 4};
    const char *item_ids[] = {"i1", "i2", "i3", "i4"};
    int due[] = {1, 2, 5, 12};
    for (int i = 0; i < 4; i++)
        items[i] = (cb_item){.id = item_ids[i],
                             .title = item_ids[i],
                             .due_week = due[i],
                             .checklist = 0,
                             .domain = -1};
    phases[0] = (cb_phase){.id = "ph1", .name = "Learn, build", .weeks = {1, 6}};
    phases[1] = (cb_phase){.id = "ph2", .name = "Practise | review", .weeks = {7, 12}};
    milestones[0] = (cb_milestone){
        .id = "m1", .title = "Kick-off", .week = 1, .owner = {CB_OWNER_TEAM, -1}};
    milestones[1] = (cb_milestone){
        .id = "m5", .title = "Assets, \"reviewed\"", .week = 5, .owner = {CB_OWNER_POD, 0}};
    milestones[2] = (cb_milestone){
        .id = "m6", .title = "Teach | pod p1", .week = 6, .owner = {CB_OWNER_MEMBER, 1}};
    sessions[0] = (cb_session){.id = "sync",
                               .title = "Mentor sync, exp1; nov1 \\ weekly",
                               .kind = CB_SESSION_MENTOR,
                               .weeks = {1, 3},
                               .weekday = 2,
                               .start_minute = 600,
                               .minutes = 60};
    sessions[1] = (cb_session){.id = "strategy",
                               .title = "Final strategy session: tricky concepts, community "
                                        "wisdom and exam-day tactics \u00e9\u00e9\u00e9",
                               .kind = CB_SESSION_STRATEGY,
                               .weeks = {12, 12},
                               .weekday = 4,
                               .start_minute = 23 * 60,
                               .minutes = 120};
    exams[0] = (cb_exam){.id = "exam",
                         .name = "Test, exam",
                         .info = {59, 120, 70.0, 0},
                         .week = 12,
                         .gate = {0, 50.0, 2},
                         .first_domain = 0,
                         .n_domains = 3,
                         .weight_lo = 95,
                         .weight_hi = 105};
    plan = (cb_plan){.id = "t",
                     .title = "Test plan",
                     .certification = "Test, exam",
                     .start = day("2026-01-05"),
                     .n_weeks = 12,
                     .lead = 2,
                     .exam = {59, 120, 70.0, 0},
                     .gate = {0, 50.0, 2},
                     .members = members,
                     .n_members = 4,
                     .domains = domains,
                     .n_domains = 3,
                     .pods = pods,
                     .n_pods = 2,
                     .checklists = checklists,
                     .n_checklists = 1,
                     .items = items,
                     .n_items = 4,
                     .phases = phases,
                     .n_phases = 2,
                     .milestones = milestones,
                     .n_milestones = 3,
                     .sessions = sessions,
                     .n_sessions = 2,
                     .exams = exams,
                     .n_exams = 1};
}

/* A snapshot of current values only (readiness reads nothing else). */
#define MAX_EV 32
static cb_event events[MAX_EV], history[MAX_EV];
static const cb_event *current[MAX_EV];
static cb_snapshot snap;

static int64_t ms_of(const char *d)
{
    return (int64_t)day(d) * 86400000LL + 3600000LL;
}

static int cmp_current(const void *a, const void *b)
{
    return strcmp((*(const cb_event *const *)a)->key, (*(const cb_event *const *)b)->key);
}

static int cmp_hlc(const void *a, const void *b)
{
    const cb_event *x = a, *y = b;
    return (x->hlc > y->hlc) - (x->hlc < y->hlc);
}

static void put(const char *key, const char *value, const char *when)
{
    size_t n = snap.n_current;
    events[n] = (cb_event){.client = "c1",
                           .seq = (int64_t)n + 1,
                           .hlc = (uint64_t)ms_of(when) << 16 | (uint64_t)n,
                           .wall_ms = ms_of(when),
                           .member = "exp1",
                           .key = key,
                           .value = value};
    current[n] = &events[n];
    snap.n_current = n + 1;
    snap.events = events;
    snap.n_events = n + 1;
    snap.current = current;
    qsort(current, snap.n_current, sizeof *current, cmp_current);
}

static void build_state(void)
{
    memset(&snap, 0, sizeof snap);
    put("exam/a1", "v1;member=nov1;date=2026-02-02;source=set%20A;minutes=100;d:A=6/10;d:B=3/4",
        "2026-02-02");
    put("exam/a2",
        "v1;member=nov1;date=2026-02-09;source=set B;minutes=110;d:A=8/10;d:B=1/4;d:C=3/5",
        "2026-02-09");
    put("exam/a3", "v1;member=exp1;date=2026-02-03;minutes=90;d:A=9/10;d:B=3/5", "2026-02-03");
    put("exam/a4", "v1;member=int1;date=2026-02-01;total=40/59", "2026-02-01");
    put("exam/deleted", "", "2026-02-01");
    put("exam/garbage", "v1;member=nov1;date=2026-02-01;d:A=11/10", "2026-02-01");
    put("exam/future", "v1;member=nov1;date=2026-03-01;total=1/1", "2026-03-01");
    put("tick/i1/nov1", "1", "2026-01-07"); /* week 1 */
    put("tick/i2/nov1", "1", "2026-01-20"); /* start + 15: week 3 */
    put("tick/i3/nov1", "", "2026-01-21");  /* unticked */
    put("tick/i1/int1", "1", "2026-01-06"); /* week 1 */
    put("tick/i4/int1", "1", "2026-03-01"); /* after today: counts as today (week 5) */
    put("tick/i1/exp1", "1", "2026-02-03"); /* start + 29: week 5 */
    put("tick/i2/exp1", "1", "2026-02-03");
    put("tick/i3/exp1", "1", "2026-02-03");
    put("tick/i1/late1", "1", "2026-02-03");
    put("tick/gone/nov1", "1", "2026-01-07"); /* item no longer in the plan: ignored */
    put("ms/m1", "done", "2026-01-07");
    put("ms/m5", "at-risk", "2026-02-03");
    events[snap.n_current - 1].note = "waiting on\nreview\x01, \"soon\"";
    /* the history, as the store gives it: in clock order */
    memcpy(history, events, snap.n_events * sizeof *history);
    qsort(history, snap.n_events, sizeof *history, cmp_hlc);
    snap.events = history;
}

#endif

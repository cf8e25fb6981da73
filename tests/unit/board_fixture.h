/* board_fixture.h — a small plan and snapshot built by hand for the view-model
 * and screen tests (no YAML, no store files): 3 members on 2 tracks, 3 domains,
 * 2 pods, 2 phases over 4 weeks, 3 milestones, 2 checklists with 6 items.
 * Plan start: Monday 2026-10-05, so 2026-10-19 is in week 3. */
#ifndef BOARD_FIXTURE_H
#define BOARD_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "certboard/arena.h"
#include "certboard/plan.h"
#include "certboard/store.h"

#define FX_NEW(a, T, n) ((T *)arena_alloc((a), sizeof(T) * (size_t)(n)))

__attribute__((unused)) static const char *fx_strs(cb_arena *a, cb_strv *v, int n,
                                                   const char *const *s)
{
    v->v = FX_NEW(a, const char *, n + 1);
    v->n = n;
    for (int i = 0; i < n; i++)
        v->v[i] = s[i];
    return NULL;
}

__attribute__((unused)) static cb_plan *fixture_plan(void)
{
    cb_arena *a = arena_new();
    cb_plan *p = FX_NEW(a, cb_plan, 1);
    p->arena = a;
    p->id = "fx";
    p->title = "Fixture Plan";
    p->start = date_from_ymd(2026, 10, 5);
    p->n_weeks = 4;
    p->lead = 0;
    p->exam = (cb_exam_info){.questions = 59, .minutes = 120, .passing_score = 70};
    p->gate = (cb_gate){70, 50, 1};

    p->n_tracks = 2;
    p->tracks = FX_NEW(a, cb_track, 2);
    p->tracks[0] =
        (cb_track){.id = "tA", .name = "Track A", .objective = "Basics", .level = CB_NOVICE};
    p->tracks[1] = (cb_track){
        .id = "tC", .name = "Track C", .objective = "Mastery", .level = CB_EXPERIENCED};
    static const char *const cur[] = {"Lakehouse intro", "SQL basics"};
    fx_strs(a, &p->tracks[0].curriculum, 2, cur);

    p->n_members = 3;
    p->members = FX_NEW(a, cb_member, 3);
    p->members[0] = (cb_member){
        .id = "ann", .name = "Ann Lead", .level = CB_EXPERIENCED, .track = 1, .joined_week = 1};
    p->members[1] = (cb_member){
        .id = "bob", .name = "Bob Novice", .level = CB_NOVICE, .track = 0, .joined_week = 1};
    p->members[2] = (cb_member){
        .id = "cat", .name = "Cat Novice", .level = CB_NOVICE, .track = 0, .joined_week = 1};

    p->n_mentors = 1;
    p->mentors = FX_NEW(a, cb_mentor_pair, 1);
    p->mentors[0] = (cb_mentor_pair){
        .mentor = 0, .mentee = 1, .cadence = "weekly", .minutes = 60, .weeks = {1, 3}};

    p->n_domains = 3;
    p->domains = FX_NEW(a, cb_domain, 3);
    p->domains[0] = (cb_domain){.id = "code",
                                .name = "Developing Code",
                                .short_name = "Code",
                                .weight_lo = 50,
                                .weight_hi = 50,
                                .pod = 0};
    p->domains[1] = (cb_domain){
        .id = "perf", .name = "Performance", .weight_lo = 30, .weight_hi = 30, .pod = 0};
    p->domains[2] = (cb_domain){
        .id = "gov", .name = "Governance", .weight_lo = 20, .weight_hi = 20, .pod = 1};
    static const char *const docs[] = {"PySpark API Reference"};
    fx_strs(a, &p->domains[0].resources.docs, 1, docs);

    p->n_pods = 2;
    p->pods = FX_NEW(a, cb_pod, 2);
    p->pods[0] = (cb_pod){.id = "pod1",
                          .name = "Pod 1",
                          .lead = 0,
                          .n_members = 2,
                          .n_domains = 2,
                          .weight_lo = 80,
                          .weight_hi = 80,
                          .stated_weight = -1};
    p->pods[0].members = FX_NEW(a, int, 2);
    p->pods[0].members[0] = 0, p->pods[0].members[1] = 1;
    p->pods[0].domains = FX_NEW(a, int, 2);
    p->pods[0].domains[0] = 0, p->pods[0].domains[1] = 1;
    p->pods[1] = (cb_pod){.id = "pod2",
                          .name = "Pod 2",
                          .lead = 2,
                          .n_members = 1,
                          .n_domains = 1,
                          .weight_lo = 20,
                          .weight_hi = 20,
                          .stated_weight = -1};
    p->pods[1].members = FX_NEW(a, int, 1);
    p->pods[1].members[0] = 2;
    p->pods[1].domains = FX_NEW(a, int, 1);
    p->pods[1].domains[0] = 2;

    p->n_phases = 2;
    p->phases = FX_NEW(a, cb_phase, 2);
    p->phases[0] = (cb_phase){.id = "p1", .name = "Foundations", .weeks = {1, 2}};
    p->phases[1] = (cb_phase){.id = "p2", .name = "Deep Dive", .weeks = {3, 4}};

    p->n_milestones = 3;
    p->milestones = FX_NEW(a, cb_milestone, 3);
    p->milestones[0] = (cb_milestone){.id = "m1", .title = "Baseline done", .week = 2};
    p->milestones[1] = (cb_milestone){.id = "m2", .title = "Notebooks reviewed", .week = 3};
    p->milestones[2] = (cb_milestone){.id = "m3", .title = "Ready for exam", .week = 4};

    p->n_weeks_defined = 4;
    p->weeks = FX_NEW(a, cb_week, 4);
    static const char *const act[] = {"Study on tracks", "Mentor sync"};
    for (int w = 0; w < 4; w++) {
        p->weeks[w] = (cb_week){.number = w + 1, .phase = w < 2 ? 0 : 1, .first_milestone = 0};
        fx_strs(a, &p->weeks[w].activities, w == 2 ? 2 : 1, act);
    }
    p->weeks[1].first_milestone = 0, p->weeks[1].n_milestones = 1;
    p->weeks[2].first_milestone = 1, p->weeks[2].n_milestones = 1;
    p->weeks[3].first_milestone = 2, p->weeks[3].n_milestones = 1;

    p->n_roles = 2;
    p->roles = FX_NEW(a, cb_role, 2);
    p->roles[0] = (cb_role){.member = 0, .phase = 0, .role = "Mentor"};
    p->roles[1] = (cb_role){.member = 1, .phase = 1, .role = "Pod member"};

    p->n_checklists = 2;
    p->checklists = FX_NEW(a, cb_checklist, 2);
    p->checklists[0] = (cb_checklist){.id = "team",
                                      .title = "Team",
                                      .owner = {CB_OWNER_TEAM, -1},
                                      .first_item = 0,
                                      .n_items = 4};
    p->checklists[1] = (cb_checklist){.id = "pod1",
                                      .title = "Pod 1",
                                      .owner = {CB_OWNER_POD, 0},
                                      .first_item = 4,
                                      .n_items = 2};
    p->n_items = 6;
    p->items = FX_NEW(a, cb_item, 6);
    p->items[0] = (cb_item){.id = "i1",
                            .title = "Read the exam guide",
                            .due_week = 1,
                            .checklist = 0,
                            .domain = -1,
                            .kind = "learn"};
    p->items[1] = (cb_item){.id = "i2",
                            .title = "Baseline quiz",
                            .due_week = 2,
                            .checklist = 0,
                            .domain = 0,
                            .kind = "exam"};
    p->items[2] = (cb_item){.id = "i3",
                            .title = "Watch AQE talk",
                            .due_week = 3,
                            .checklist = 0,
                            .domain = 1,
                            .kind = "learn"};
    p->items[3] = (cb_item){.id = "i4",
                            .title = "Practice exam",
                            .due_week = 4,
                            .checklist = 0,
                            .domain = -1,
                            .kind = "exam"};
    p->items[4] = (cb_item){.id = "i5",
                            .title = "Build AQE notebook",
                            .due_week = 3,
                            .checklist = 1,
                            .domain = 1,
                            .kind = "build"};
    p->items[5] = (cb_item){.id = "i6",
                            .title = "Teach session",
                            .due_week = 3,
                            .checklist = 1,
                            .domain = 0,
                            .kind = "teach"};
    return p;
}

/* A snapshot holding the given (key, value, note) triples as current values;
 * keys are built by the caller with keys.h. */
typedef struct fx_kv {
    const char *key, *value, *note, *member;
    int64_t wall_ms;
} fx_kv;

__attribute__((unused)) static int fx_cmp(const void *x, const void *y)
{
    return strcmp((*(const cb_event *const *)x)->key, (*(const cb_event *const *)y)->key);
}

__attribute__((unused)) static cb_snapshot *fixture_snapshot(cb_arena *a, const fx_kv *kv,
                                                             int n)
{
    cb_snapshot *s = FX_NEW(a, cb_snapshot, 1);
    cb_event *ev = FX_NEW(a, cb_event, n + 1);
    const cb_event **cur = FX_NEW(a, const cb_event *, n + 1);
    uint64_t hlc = 0; /* as a hybrid clock: the wall clock, never going back */
    for (int i = 0; i < n; i++) {
        hlc = (uint64_t)kv[i].wall_ms << 16 > hlc ? (uint64_t)kv[i].wall_ms << 16 : hlc + 1;
        ev[i] = (cb_event){.client = "c1",
                           .seq = i + 1,
                           .hlc = hlc,
                           .wall_ms = kv[i].wall_ms,
                           .member = kv[i].member ? kv[i].member : "ann",
                           .key = arena_strdup(a, kv[i].key),
                           .value = kv[i].value,
                           .note = kv[i].note};
        cur[i] = &ev[i];
    }
    qsort(cur, (size_t)n, sizeof *cur, fx_cmp);
    s->events = ev;
    s->n_events = (size_t)n;
    s->current = cur;
    s->n_current = (size_t)n;
    s->generation = 1;
    return s;
}

#endif

/* readiness.h — exam readiness: weak links, projected scores, the "ready to
 * book" gate, and pacing (pace needed and actual, burn-up).
 *
 * Pure functions of the team's state (state.h: ticks, due weeks, attempts):
 * no I/O, no curses. The dashboard, `certboard report` and the tests all read
 * the same cb_readiness.
 *
 * Ownership: readiness_build() allocates everything it returns from the arena
 * the caller passes; free the arena to free the result. The state must
 * outlive it. */
#ifndef CERTBOARD_READINESS_H
#define CERTBOARD_READINESS_H

#include <stdbool.h>

#include "certboard/arena.h"
#include "certboard/date.h"
#include "certboard/plan.h"
#include "certboard/state.h"

typedef struct cb_weak_link { /* one entry of a hit list */
    int domain;
    double miss_rate; /* 0..1 over the attempts that asked it; -1 never asked */
    double weighted;  /* miss_rate x the domain's exam weight (midpoint, in
                         percent): exam points lost there; -1 never asked */
    int asked, right; /* totals over the attempts */
    double trend;     /* latest attempt's rate minus the first's; 0 with one */
} cb_weak_link;

typedef struct cb_member_readiness {
    int member;
    int n_attempts;
    const cb_attempt **attempts; /* by date */
    double projected;            /* projected exam score, percent; -1 with no attempts */
                                 /* (method: docs/readiness.md) */
    double margin;               /* +/- percentage points (about 1 std. error) */
    const char *confidence;      /* "none", "low", "medium", "high" */
    bool ready;                  /* the plan's ready_gate holds */
    const char *gate_reason;     /* why not ready, or NULL */
    cb_weak_link *hit_list;      /* ranked, worst first; domains never asked come last */
    int n_hit_list;
    double *domain_rate; /* per domain correct rate 0..1, -1 never asked */
    /* Pacing (the counts it starts from: cb_member_state) */
    double pace_needed;      /* items per week needed to finish by the exam */
    double pace_actual;      /* items per week so far */
    cb_day projected_finish; /* at the actual pace; 0 when no progress */
} cb_member_readiness;

typedef struct cb_burnup_point {
    int week;
    int planned; /* cumulative items due by the end of the week */
    int done;    /* cumulative ticks done by the end of the week; -1 future */
} cb_burnup_point;

typedef struct cb_exam_readiness { /* readiness for one exam of the plan */
    int exam;                      /* index into plan->exams */
    cb_member_readiness *members;  /* plan->n_members entries: each over the attempts
                                      practising this exam, its domains, its format and
                                      its gate; hit lists hold only its domains */
    cb_weak_link *team_hit_list;   /* team-wide ranking of its domains */
    int n_team_hit_list;
    int n_attempts; /* attempts to date practising it */
} cb_exam_readiness;

typedef struct cb_readiness {
    const cb_state *st;           /* what it was computed from */
    cb_member_readiness *members; /* plan->n_members entries, in plan order */
    cb_weak_link *team_hit_list;  /* team-wide ranking */
    int n_team_hit_list;
    double *pod_miss_rate;           /* per pod weighted miss rate, -1 with no data */
    cb_burnup_point *burnup;         /* plan->n_weeks points, team-wide */
    cb_burnup_point **member_burnup; /* per member, plan->n_weeks points */
    double team_pace_needed, team_pace_actual;
    cb_day team_projected_finish;
    const cb_attempt *attempts; /* the attempts dated up to today, by date */
    int n_attempts;
    cb_weak_link **pod_hit_list; /* per pod: ranked over its members' attempts */
    int *n_pod_hit_list;
    cb_exam_readiness *exams; /* plan->n_exams entries; with one exam, exams[0] shares
                                 members and team_hit_list above (the same numbers) */
    int n_exams;
} cb_readiness;

/* Midpoint of a domain's weight in percent (ranges "20-25" give 22.5). */
double readiness_weight(const cb_domain *d);
/* Cost: O(items x members + attempts x domains): linear in the plan and the
 * state; meant to run once per state change. */
cb_readiness *readiness_build(const cb_state *st, cb_arena *arena);

#endif

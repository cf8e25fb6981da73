/* readiness.h — exam readiness: practice-exam attempts, weak links, projected
 * scores, the "ready to book" gate, and pacing (planned vs done, burn-up).
 *
 * Pure functions of (plan, snapshot, today): no I/O, no curses. The dashboard,
 * `certboard report` and the tests all read the same cb_readiness.
 *
 * Ownership: readiness_build() allocates everything it returns from the arena
 * the caller passes; free the arena to free the result. Attempts are stored in
 * the shared store under key_exam(attempt id); their value is the text that
 * attempt_format() writes and attempt_parse() reads. */
#ifndef CERTBOARD_READINESS_H
#define CERTBOARD_READINESS_H

#include <stdbool.h>

#include "certboard/arena.h"
#include "certboard/date.h"
#include "certboard/plan.h"
#include "certboard/store.h"

typedef struct cb_attempt {
    const char *id; /* stable attempt id (key suffix) */
    int member;     /* member index */
    cb_day date;
    const char *source; /* e.g. "practice set A" */
    int minutes;        /* minutes used, 0 when unknown */
    int *right, *asked; /* per domain (plan->n_domains); asked 0 = not asked */
    int total_right, total_asked;
    bool per_domain; /* false: only the totals are known */
} cb_attempt;

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
    /* Pacing */
    int items_total; /* items on the member's checklist */
    int items_due;   /* due by today (readiness_due_week <= current week) */
    int items_done;
    int items_done_due;      /* done among those due */
    int overdue;             /* due in a week that has ended and not done */
    bool behind;             /* overdue > 0: an item of an ended week is not done */
    double pace_needed;      /* items per week needed to finish by the exam */
    double pace_actual;      /* items per week so far */
    cb_day projected_finish; /* at the actual pace; 0 when no progress */
} cb_member_readiness;

typedef struct cb_burnup_point {
    int week;
    int planned; /* cumulative items due by the end of the week */
    int done;    /* cumulative ticks done by the end of the week; -1 future */
} cb_burnup_point;

typedef struct cb_readiness {
    cb_day today;
    int week;                     /* current week (0 before, n_weeks + 1 after) */
    int days_to_exam;             /* negative after it */
    cb_member_readiness *members; /* plan->n_members entries, in plan order */
    cb_weak_link *team_hit_list;  /* team-wide ranking */
    int n_team_hit_list;
    double *pod_miss_rate;           /* per pod weighted miss rate, -1 with no data */
    cb_burnup_point *burnup;         /* plan->n_weeks points, team-wide */
    cb_burnup_point **member_burnup; /* per member, plan->n_weeks points */
    int team_items_total, team_items_due, team_items_done;
    double team_pace_needed, team_pace_actual;
    cb_day team_projected_finish;
    const cb_attempt *attempts; /* every live attempt, by date */
    int n_attempts;
    /* Added: */
    cb_weak_link **pod_hit_list; /* per pod: ranked over its members' attempts */
    int *n_pod_hit_list;
    int n_bad_attempts;        /* stored attempts that did not parse (skipped) */
    const unsigned char *done; /* [item * n_members + member]: 1 when ticked */
    const int *due;            /* [item * n_members + member]: readiness_due_week,
                                  0 when the item is not on the member's checklist */
    cb_day exam_day;
} cb_readiness;

/* Key prefixes of the store keys this module reads (mirrors store.h helpers:
 * "tick/<item>/<member>", "ms/<milestone>", "exam/<attempt>"). */
#define CB_KEY_TICK "tick/"
#define CB_KEY_MILESTONE "ms/"
#define CB_KEY_EXAM "exam/"

/* Midpoint of a domain's weight in percent (ranges "20-25" give 22.5). */
double readiness_weight(const cb_domain *d);
/* The week an item counts as due for a member: its due week, or the member's
 * join week when they joined later (docs/readiness.md, "late joiners"). */
int readiness_due_week(const cb_plan *p, int item, int member);
/* Day of an event's wall clock (UTC). */
cb_day readiness_event_day(const cb_event *e);

/* Cost: O(members x checklists + items x members + keys x log) — linear in the
 * plan and the state; meant to run once per state change. snap may be NULL. */
cb_readiness *readiness_build(const cb_plan *p, const cb_snapshot *snap, cb_day today,
                              cb_arena *arena);

/* Attempt text <-> struct. parse returns 0, or -1 with a reason in err. */
int attempt_parse(const cb_plan *p, const char *id, const char *text, cb_attempt *out,
                  cb_arena *arena, char *err, size_t errlen);
char *attempt_format(const cb_plan *p, const cb_attempt *a, cb_arena *arena);
/* The member field of an attempt's text, %XX-decoded (kept as written when
 * the escape is bad), without checking anything else: for telling whose an
 * unreadable or foreign attempt is. NULL when the text has no such field. */
const char *attempt_member(const char *text, cb_arena *arena);
/* Refuses impossible numbers: more right than asked, negatives, unknown domain,
 * a date in the future (after today), minutes over the exam's length x 3... */
/* Attempt ids: [A-Za-z0-9][A-Za-z0-9._-]*, at most 64 characters. */
bool attempt_valid_id(const char *id);
int attempt_check(const cb_plan *p, const cb_attempt *a, cb_day today, char *err,
                  size_t errlen);

#endif

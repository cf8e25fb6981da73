/* plan.h — the plan model: one YAML plan file loaded into immutable C structs.
 *
 * Ownership: plan_load_*() returns a cb_plan whose every pointer (strings,
 * arrays) points into plan->arena; plan_free() releases the whole plan at once.
 * The plan is never modified after loading. References between entities are
 * indices into the plan's arrays (-1 = none), resolved and checked at load time,
 * so no consumer has to look ids up again.
 *
 * This module knows nothing of SQLite or curses. The YAML format is documented
 * in docs/plan-format.md. */
#ifndef CERTBOARD_PLAN_H
#define CERTBOARD_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "certboard/arena.h"
#include "certboard/date.h"
#include "certboard/diag.h"

typedef struct cb_pos {
    int line, col;
} cb_pos; /* 1-based position in the file */
typedef struct cb_range {
    int lo, hi;
} cb_range; /* inclusive; lo == hi for one */
typedef struct cb_strv {
    const char **v;
    int n;
} cb_strv;

enum cb_level { CB_NOVICE, CB_INTERMEDIATE, CB_EXPERIENCED };

typedef struct cb_resources {
    cb_strv docs, course, extra;
} cb_resources;

typedef struct cb_track {
    const char *id, *name, *objective;
    enum cb_level level;
    cb_strv curriculum, resources;
    cb_pos pos;
} cb_track;

typedef struct cb_member {
    const char *id, *name;
    const char *login; /* OS user name for identity, or NULL */
    enum cb_level level;
    int track;       /* index into plan->tracks, or -1 */
    int joined_week; /* 1 unless the member joined late */
    cb_pos pos;
} cb_member;

typedef struct cb_mentor_pair {
    int mentor, mentee;  /* member indices */
    const char *cadence; /* e.g. "weekly" */
    int minutes;         /* length of one sync */
    cb_range weeks;      /* weeks the pair meets */
    cb_pos pos;
} cb_mentor_pair;

typedef struct cb_domain {
    const char *id, *name, *short_name;
    double weight_lo, weight_hi; /* percent; equal unless given as a range */
    int pod;                     /* index of the owning pod, or -1 */
    int exam;                    /* index of the exam it belongs to (plan->exams) */
    cb_resources resources;
    cb_pos pos;
} cb_domain;

typedef struct cb_pod {
    const char *id, *name, *focus;
    int lead; /* member index */
    int *members;
    int n_members; /* member indices */
    int *domains;
    int n_domains;               /* domain indices */
    double weight_lo, weight_hi; /* computed: sum of its domains' weights */
    double stated_weight;        /* as written in the plan, or -1 */
    int teach_week;              /* week of its teach session, or 0 */
    cb_pos pos;
} cb_pod;

typedef struct cb_phase {
    const char *id, *name, *objective;
    cb_range weeks;
    cb_pos pos;
} cb_phase;

enum cb_owner_kind { CB_OWNER_TEAM, CB_OWNER_MEMBER, CB_OWNER_POD, CB_OWNER_TRACK };

typedef struct cb_owner {
    enum cb_owner_kind kind;
    int index; /* member, pod or track index; -1 for the team */
} cb_owner;

typedef struct cb_milestone {
    const char *id, *title;
    int week;       /* 1-based week it is due */
    cb_owner owner; /* who delivers it (informational) */
    cb_pos pos;
} cb_milestone;

typedef struct cb_week {
    int number;        /* 1..plan->n_weeks; weeks[i].number == i + 1 */
    int phase;         /* phase index */
    const char *theme; /* may be NULL */
    cb_strv activities;
    int first_milestone, n_milestones; /* slice of plan->milestones */
} cb_week;

typedef struct cb_role {
    int member, phase;
    const char *role;
    cb_pos pos;
} cb_role;

typedef struct cb_item {
    const char *id, *title;
    int due_week;
    int checklist;    /* index of its checklist */
    int domain;       /* related exam domain, or -1 */
    const char *kind; /* free tag: "learn", "build", "teach", "capstone"... or NULL */
    cb_pos pos;
} cb_item;

typedef struct cb_checklist {
    const char *id, *title;
    cb_owner owner;          /* every member the owner covers ticks each item */
    int first_item, n_items; /* slice of plan->items */
    cb_pos pos;
} cb_checklist;

enum cb_session_kind {
    CB_SESSION_MENTOR,
    CB_SESSION_TEACH,
    CB_SESSION_EXAM_PRACTICE,
    CB_SESSION_STRATEGY,
    CB_SESSION_STANDUP,
    CB_SESSION_OTHER
};

typedef struct cb_session { /* a scheduled meeting, for the calendar export */
    const char *id, *title;
    enum cb_session_kind kind;
    cb_range weeks;   /* occurs once in each of these weeks */
    int weekday;      /* 0 = Monday .. 6 = Sunday */
    int start_minute; /* minutes after midnight, local time */
    int minutes;      /* duration */
    cb_owner owner;   /* who runs it */
    cb_pos pos;
} cb_session;

typedef struct cb_exam_info {
    int questions; /* scored questions */
    int minutes;
    double passing_score; /* percent */
    cb_day date;          /* exam day; 0 = the last day of the plan */
} cb_exam_info;

typedef struct cb_gate {  /* "ready to book" rule */
    double min_projected; /* projected score at least this (percent) */
    double domain_floor;  /* no domain below this (percent correct) */
    int min_attempts;     /* at least this many practice exams */
} cb_gate;

typedef struct cb_exam {                /* one certification exam of the plan */
    const char *id, *name, *short_name; /* short_name may be NULL */
    cb_exam_info info;
    int week;                    /* week it falls in (1..n_weeks) */
    cb_gate gate;                /* its "ready to book" rule */
    int first_domain, n_domains; /* slice of plan->domains */
    double weight_lo, weight_hi; /* computed: sum of its domains' weights */
    cb_pos pos;
} cb_exam;

typedef struct cb_plan {
    cb_arena *arena;
    const char *path; /* as given to the loader */
    const char *id, *title, *certification, *description;
    cb_day start; /* Monday of week 1 (any weekday is accepted) */
    int n_weeks;
    int lead;          /* member index of the team lead */
    cb_exam_info exam; /* the last exam's (the only one in a single-exam plan) */
    cb_gate gate;      /* the last exam's */
    cb_exam *exams;    /* in date order; one in a plan written with plan.exam */
    int n_exams;

    cb_track *tracks;
    int n_tracks;
    cb_member *members;
    int n_members;
    cb_mentor_pair *mentors;
    int n_mentors;
    cb_domain *domains;
    int n_domains;
    cb_pod *pods;
    int n_pods;
    cb_phase *phases;
    int n_phases;
    cb_week *weeks;
    int n_weeks_defined; /* == n_weeks in a valid plan */
    cb_milestone *milestones;
    int n_milestones;
    cb_role *roles;
    int n_roles;
    cb_checklist *checklists;
    int n_checklists;
    cb_item *items;
    int n_items;
    cb_session *sessions;
    int n_sessions;
    struct cb_plan_index *index; /* private: ids to indices (NULL: linear search) */
    cb_day *breaks;
    int n_breaks; /* first days of skipped calendar weeks, sorted */
} cb_plan;

/* Loads and validates. Every problem goes to diags (errors and warnings, all of
 * them). Returns NULL only when no plan could be built (unreadable file, YAML
 * syntax error, hostile input); otherwise returns the plan even when it has
 * errors, so callers decide via diags_errors(). The caller owns the result. */
cb_plan *plan_load_file(const char *path, cb_diags *diags);
cb_plan *plan_load_buffer(const char *name, const char *buf, size_t len, cb_diags *diags);
void plan_free(cb_plan *plan);

/* Lookups by id; -1 when absent. */
int plan_member(const cb_plan *p, const char *id);
int plan_member_by_login(const cb_plan *p, const char *login);
int plan_domain(const cb_plan *p, const char *id);
int plan_pod(const cb_plan *p, const char *id);
int plan_item(const cb_plan *p, const char *id);
int plan_milestone(const cb_plan *p, const char *id);
int plan_phase_of_week(const cb_plan *p, int week);

/* Does the owner cover this member (team: everyone; pod: its members; track:
 * members on it; member: that one)? */
bool plan_owner_covers(const cb_plan *p, cb_owner owner, int member);
/* Is item i on member m's checklist? */
bool plan_item_assigned(const cb_plan *p, int item, int member);
/* The pod a member belongs to, or -1 (the first, when several). */
int plan_pod_of_member(const cb_plan *p, int member);

/* Week of the plan for a day: 0 before the start, n_weeks + 1 after the end.
 * Calendar weeks declared as breaks push later weeks on by 7 days; a day in a
 * break belongs to the week before it. */
int plan_week_of_day(const cb_plan *p, cb_day day);
cb_day plan_week_start(const cb_plan *p, int week);
cb_day plan_exam_day(const cb_plan *p);
/* Day of exam e (its date, or the last day of its week). */
cb_day plan_exam_day_of(const cb_plan *p, int exam);
int plan_exam(const cb_plan *p, const char *id);

const char *plan_level_name(enum cb_level level);

#endif

/* state.h — the team's state: what the store's events mean under the plan.
 *
 * This is the one home of the domain's definitions. Every view (the panes,
 * `report`, `export`, `log`, `validate --store`, the permission checks)
 * reads them from a cb_state and derives none of them again:
 *
 *   effective due week  of an item for a member: the item's due week, or the
 *                       week the member joined when that is later (a late
 *                       joiner is not overdue from day one)
 *   overdue             an item on a member's checklist, not done, whose
 *                       effective due week has ended (is before this week)
 *   behind              a member with at least one overdue item
 *   at risk             a milestone marked at-risk, or past its week and not
 *                       done
 *   when a change       when it reached the team: the physical part of its
 *   happened            hybrid clock (hlc.h), never earlier than the author's
 *                       wall clock nor than any change the author had seen,
 *                       and the order of the merged history; a laptop whose
 *                       clock is behind cannot hide its changes
 *   the last stand-up   the lead's latest mark "stand-up held" (app_standup):
 *                       the changes since the last stand-up are those after
 *                       the mark in the team's history. Without a mark, or
 *                       when the schedule has had a stand-up day since the
 *                       mark (a mark was forgotten): the latest day before
 *                       today with one of the plan's stand-up sessions (two
 *                       weeks back at most), else the Monday before today,
 *                       and the changes are those that happened from 00:00
 *                       UTC of that day on. `report --since` names another
 *                       day and overrides both.
 *   blocked             a member marked an item of theirs blocked (with a note)
 *                       and has not ticked it since: a tick, or any change of
 *                       its tick after the block, ends the block
 *   exam result         a member's standing in one exam of the plan: booked,
 *                       passed or failed, with the day and the score (percent,
 *                       optional), the latest value recorded (app_exam_result)
 *   the next exam       of a member: the first exam (plan order = date order)
 *                       they have not passed; of the team: the first exam not
 *                       every member has passed, or the last exam when all
 *                       are. The countdown (exam_day, days_to_exam, the title
 *                       bar, the stand-up) is the team's next exam
 *
 * state_build() runs once per snapshot (a refresh that changed something, a
 * change of mine); it is linear in the plan and the current values. Pure:
 * no I/O, no curses.
 *
 * Ownership: the state owns an arena with everything it computed and holds a
 * reference on the store's snapshot (store_snapshot_retain) for as long as it
 * lives, so every event pointer it hands out stays valid; state_free()
 * releases both. Without a store it borrows `fixed`, which must outlive it. */
#ifndef CERTBOARD_STATE_H
#define CERTBOARD_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "certboard/arena.h"
#include "certboard/attempt.h"
#include "certboard/date.h"
#include "certboard/keys.h"
#include "certboard/plan.h"
#include "certboard/store.h"

enum cb_ms_status { CB_MS_PENDING, CB_MS_ON_TRACK, CB_MS_AT_RISK, CB_MS_DONE, CB_MS_COUNT };
/* "pending", "on-track", "at-risk", "done" */
extern const char *const cb_ms_status_names[CB_MS_COUNT];
/* The status s names, or -1. */
int state_ms_status_parse(const char *s);

enum cb_exam_status {
    CB_EXAM_NONE,
    CB_EXAM_BOOKED,
    CB_EXAM_PASSED,
    CB_EXAM_FAILED,
    CB_EXAM_COUNT
};
/* "none", "booked", "passed", "failed" */
extern const char *const cb_exam_status_names[CB_EXAM_COUNT];

typedef struct cb_exam_result {
    enum cb_exam_status status;
    cb_day date;         /* the day booked for, or the day taken; 0 when none */
    int score;           /* percent, -1 when not given */
    const cb_event *set; /* the change behind it, or NULL */
} cb_exam_result;

/* An exam result as stored: "passed;date=2026-09-25;score=78" ("booked;
 * date=..." without a score). parse returns 0, or -1 (the value names no
 * status, a bad date or score). format writes into buf and returns it. */
int state_result_parse(const char *value, cb_exam_result *out);
const char *state_result_format(char *buf, size_t n, const cb_exam_result *r);

/* A cell of the item x member matrix. */
enum cb_cell_state { CELL_NONE, CELL_OPEN, CELL_DONE }; /* NONE: not on the checklist */

typedef struct cb_ms_state {
    enum cb_ms_status status; /* a stored value that names no status reads as pending */
    const char *note;         /* the latest status note, or NULL */
    const cb_event *set;      /* the change behind the status, or NULL */
    const char *risk;         /* why it is at risk, or NULL when it is not */
} cb_ms_state;

typedef struct cb_member_state {
    int total, done;           /* items on the member's checklist */
    int due, due_done;         /* effective due week <= this week */
    int week_total, week_done; /* effective due week == this week */
    int overdue;               /* see above */
    bool behind;               /* overdue > 0 */
    int blocked;               /* items with a standing blocker */
} cb_member_state;

typedef struct cb_state {
    const cb_plan *plan;
    const cb_snapshot *snap; /* never NULL (an empty one when there is no state) */
    cb_arena *arena;
    cb_day today;
    int week;                /* current week: 0 before the start, n_weeks + 1 after */
    int phase;               /* phase of the current week, -1 outside the plan */
    cb_day exam_day;         /* the day of the team's next exam (see above) */
    int days_to_exam;        /* negative after the exam */
    int next_exam;           /* the team's next exam: index into plan->exams */
    int *member_next_exam;   /* per member; plan->n_exams when they passed them all */
    cb_exam_result *results; /* [exam * n_members + member] */

    /* [item * n_members + member] */
    unsigned char *cell; /* enum cb_cell_state */
    int *due;            /* effective due week, 0 when not on the checklist */
    cb_day *done_day;    /* day the tick happened (clamped to today), 0 when open */

    cb_member_state *members;    /* plan order */
    int *week_total, *week_done; /* per effective due week, [0..n_weeks + 1] */
    int team_total, team_done;

    cb_ms_state *ms; /* per milestone */

    cb_attempt *attempts; /* every live attempt that parses, by date, then id */
    int n_attempts;
    int n_attempts_to_date; /* the first n dated up to today: what readiness counts */
    int n_bad_attempts;     /* live attempts that did not parse (skipped) */

    /* per cell, as cell: the standing block event (its note says why), the
     * item's link in the team library; NULL when none */
    const cb_event **blocker, **asset;
    int n_blockers, n_assets;

    cb_day last_standup;          /* see above: the mark's day, or the schedule's */
    const cb_event *standup_mark; /* the mark that counts, or NULL */
    size_t changes_from;          /* history [changes_from, n_events): the changes since */

    const cb_keyref *key; /* per current value (snap->current), its key parsed */

    bool held;  /* the snapshot is retained from a store */
    bool *edit; /* lazily: per history event, an exam event whose key had a value */
} cb_state;

cb_state *state_build(const cb_plan *p, cb_store *store, const cb_snapshot *fixed,
                      cb_day today);
void state_free(cb_state *st);

/* "exam in 3 days", "exam tomorrow", "exam today", "exam was yesterday",
 * "exam was 3 days ago": the one wording of the distance to the exam. In a
 * plan with several exams the next exam's short name stands for "exam":
 * "GenAI Associate in 5 days". */
const char *state_exam_when(const cb_state *st, char *buf, size_t n);

/* Member m's result in exam e (status CB_EXAM_NONE when none or out of range). */
cb_exam_result state_result(const cb_state *st, int exam, int member);

/* enum cb_cell_state of (item, member); CELL_NONE when out of range. */
int state_cell(const cb_state *st, int item, int member);
bool state_overdue(const cb_state *st, int item, int member);
/* The standing block of (item, member), its note the reason; NULL when none. */
const cb_event *state_blocker(const cb_state *st, int item, int member);
/* The link (value) attached to (item, member) in the team library, or NULL. */
const cb_event *state_asset(const cb_state *st, int item, int member);

/* When a change happened (see above): ms since the epoch, and its UTC day. */
int64_t state_event_ms(const cb_event *e);
cb_day state_event_day(const cb_event *e);
/* Index of the first history event that happened on or after 00:00 UTC of
 * day `since`: events [index, n_events) are the changes since then, in the
 * order the team saw them. */
size_t state_changes_since(const cb_state *st, cb_day since);

/* One line in words for history event `index`, the same in every output;
 * items by title and id (the id alone when the plan no longer has it):
 * "nov1 ticked Intro, setup (intro)", "lead ticked Intro, setup (intro) for
 * late1", "lead set milestone
 * assets to at-risk", "nov1 recorded practice exam nov1-20260220-1: 37/59 on
 * 2026-02-20", "undo: ...". Raw text from the store: the caller escapes it
 * for its output (text.h). Allocated from arena. */
const char *state_describe(cb_state *st, size_t index, cb_arena *arena);

/* The member an event concerns besides its author: the member of a tick (a
 * block, a link), the
 * member of an attempt; -1 when none. */
int state_event_subject(const cb_state *st, const cb_event *e, cb_arena *arena);

#endif

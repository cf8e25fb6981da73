/* board.h — the dashboard's view models: pure functions of (plan, snapshot,
 * today, me). No I/O, no curses.
 *
 * board_build() computes everything the five panes show once per state change
 * (a refresh that brought new events, a change of mine): current week and
 * phase, tick matrix, per-member and per-week progress, milestone statuses and
 * notes, the stand-up summary, readiness, and the rows of each pane. Drawing a
 * frame then only formats the rows that are visible (board_render.c), so the
 * work per key press does not grow with the plan or the history.
 *
 * Rows refer to the plan by index (kind + a + b), which is also how the
 * dashboard keeps the selection on the same item across refreshes.
 *
 * Ownership: the board owns an arena holding everything it computed; the plan
 * and snapshot must outlive it (the snapshot: until the next board_build()).
 * board_free() releases it all. */
#ifndef CERTBOARD_BOARD_H
#define CERTBOARD_BOARD_H

#include <stdbool.h>
#include <stdint.h>

#include "certboard/arena.h"
#include "certboard/date.h"
#include "certboard/plan.h"
#include "certboard/readiness.h"
#include "certboard/store.h"

enum cb_pane {
    PANE_TIMELINE,
    PANE_TEAM,
    PANE_CHECKLISTS,
    PANE_DOMAINS,
    PANE_STANDUP,
    PANE_COUNT
};
extern const char *const board_pane_names[PANE_COUNT]; /* "Timeline", ... */
/* "timeline".."standup" or "1".."5" -> pane, -1 when unknown. */
int board_pane_parse(const char *s);

enum cb_filter { FILTER_WEEK, FILTER_OVERDUE, FILTER_ALL, FILTER_COUNT };
extern const char *const board_filter_names[FILTER_COUNT]; /* "this week", ... */

enum cb_row_kind {
    ROW_BLANK,
    ROW_HEADING,     /* text: a section heading */
    ROW_TEXT,        /* text, indented; a = style */
    ROW_PHASE,       /* a = phase */
    ROW_WEEK,        /* a = week number: progress of the items due that week */
    ROW_ACTIVITY,    /* a = week number, b = activity index */
    ROW_MILESTONE,   /* a = milestone */
    ROW_ROLES_HEAD,  /* the roles matrix header: phases */
    ROW_ROLES,       /* a = member: role per phase */
    ROW_POD,         /* a = pod */
    ROW_POD_MEMBER,  /* a = pod, b = member */
    ROW_TRACK,       /* a = track */
    ROW_MENTOR,      /* a = mentor pair */
    ROW_MEMBER,      /* a = member: name, level, track, overall progress */
    ROW_CHECK_WEEK,  /* a = week number: a group of checklist items */
    ROW_ITEM,        /* a = item, b = member whose tick it shows */
    ROW_DOMAIN,      /* a = domain */
    ROW_DOMAIN_ITEM, /* a = item related to the domain above */
    ROW_HEAT_HEAD,   /* heatmap header: member columns */
    ROW_HEAT,        /* a = domain: correct rate per member */
    ROW_HIT,         /* a = rank in the team hit list */
    ROW_MEMBER_WEEK, /* a = member: progress this week, pace */
    ROW_OVERDUE,     /* a = item, b = member */
    ROW_EVENT,       /* a = index into board->changes */
    ROW_READY,       /* a = member: projected score, gate */
    ROW_BURN,        /* a = week number: planned vs done */
};

typedef struct cb_row {
    uint8_t kind;   /* enum cb_row_kind */
    uint8_t indent; /* columns */
    int a, b;
    const char *text; /* for headings and text rows, else NULL */
} cb_row;

typedef struct cb_rows {
    cb_row *v;
    int n, cap;
} cb_rows;

typedef struct cb_board {
    const cb_plan *plan;
    const cb_snapshot *snap;
    cb_day today;
    int me; /* member index, -1 for a guest */
    cb_arena *arena;

    int week;               /* current week: 0 before the start, n_weeks + 1 after */
    int phase;              /* phase of the current week, -1 outside the plan */
    int days_to_exam;       /* negative after the exam */
    const char *week_label; /* "Week 5 of 12 · Phase 2: ..." / "Starts in 3 days" / ... */

    /* Ticks: [item * n_members + member]: 0 not assigned, 1 open, 2 done. */
    unsigned char *tick;
    int *member_total, *member_done;           /* per member, whole plan */
    int *member_due, *member_due_done;         /* due by the end of this week */
    int *member_week_total, *member_week_done; /* due this week */
    int *member_overdue;                       /* due before this week, open */
    int *week_total, *week_done;               /* per week number (1..n_weeks) */
    int team_total, team_done;

    int *ms_status;       /* per milestone: index into cb_milestone_statuses */
    const char **ms_note; /* per milestone: the latest status note, or NULL */

    const cb_readiness *ready; /* never NULL after board_build() */

    cb_day standup_since;     /* the previous stand-up day (see board.c) */
    const cb_event **changes; /* events since then, newest first */
    int n_changes;

    cb_rows pane[PANE_COUNT]; /* Checklists: the member list (ROW_MEMBER) */
} cb_board;

/* Builds every view model. me may be -1. The result is caller-owned. */
cb_board *board_build(const cb_plan *p, const cb_snapshot *snap, cb_day today, int me);
void board_free(cb_board *b);

/* The Checklists pane's right side: member's items, grouped by due week, under
 * the filter. Rows are appended to out (reset first), memory from arena. */
void board_checklist_rows(const cb_board *b, int member, enum cb_filter f, cb_rows *out,
                          cb_arena *arena);

/* Item state for a member: 0 not on their checklist, 1 open, 2 done. */
int board_tick(const cb_board *b, int item, int member);
bool board_item_overdue(const cb_board *b, int item, int member);

/* Appends a row (memory from arena). */
void rows_push(cb_rows *r, cb_arena *arena, cb_row row);
/* The row with the same identity (kind, a, b) as key, or -1. */
int rows_find(const cb_rows *r, cb_row key);

/* The plain text of a row as the pane shows it (for search and tests). */
void board_row_text(const cb_board *b, const cb_row *row, char *buf, size_t n);

/* Everything the plan and the state say about a row, as paragraphs separated
 * by '\n' (for the details view): full titles, ids, owners, notes, resources. */
void board_row_detail(const cb_board *b, const cb_row *row, char *buf, size_t n);

#endif

/* board.h — the dashboard's view models: the rows of each pane, a pure
 * function of the team's state (state.h) and who I am. No I/O, no curses.
 *
 * board_build() runs once per state change (a refresh that brought new
 * events, a change of mine): it lays out the rows of the six panes and the
 * readiness figures; every count, status and definition they show comes from
 * the state, which the report and the other views read too. Drawing a frame
 * then only formats the rows that are visible (screen_draw.c), so the work
 * per key press does not grow with the plan or the history.
 *
 * Rows refer to the plan by index (kind + a + b), which is also how the
 * dashboard keeps the selection on the same item across refreshes.
 *
 * Ownership: the board owns the state it is built from (and so the snapshot
 * the state holds) and an arena with everything it computed; the plan must
 * outlive it. board_free() releases it all. */
#ifndef CERTBOARD_BOARD_H
#define CERTBOARD_BOARD_H

#include <stdbool.h>
#include <stdint.h>

#include "certboard/arena.h"
#include "certboard/date.h"
#include "certboard/plan.h"
#include "certboard/readiness.h"
#include "certboard/state.h"

enum cb_pane {
    PANE_TIMELINE,
    PANE_TEAM,
    PANE_CHECKLISTS,
    PANE_DOMAINS,
    PANE_STANDUP,
    PANE_MYWEEK, /* my items due this week and overdue, blockers, sessions, hit list */
    PANE_COUNT
};
extern const char *const board_pane_names[PANE_COUNT]; /* "Timeline", ... */
/* "timeline".."myweek" or "1".."6" -> pane, -1 when unknown. */
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
    ROW_MILESTONE,   /* a = milestone; b = 1 in the at-risk list (shows why) */
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
    ROW_HIT,         /* a = rank in the team hit list (b = 0), or in pod b - 1's */
    ROW_MEMBER_WEEK, /* a = member: progress this week, pace */
    ROW_OVERDUE,     /* a = item, b = member */
    ROW_EVENT,       /* a = index into the history (snapshot events) */
    ROW_READY,       /* a = member, b = exam: projected score, gate */
    ROW_BURN,        /* a = week number: planned vs done */
    ROW_BLOCKER,     /* a = item, b = member: a standing blocker (state.h) */
    ROW_ATTEMPT,     /* a = index into the state's attempts: a practice exam */
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
    cb_state *st; /* owned */
    int me;       /* member index, -1 for a guest */
    cb_arena *arena;

    const char *week_label;    /* "Week 5 of 12 · Phase 2: ..." / "Starts in 3 days" / ... */
    const cb_readiness *ready; /* never NULL after board_build() */
    size_t changes_from;       /* history [changes_from, n_events): since the last stand-up */
    int name_w;                /* the widest member name, in columns */

    cb_rows pane[PANE_COUNT]; /* Checklists: the member list (ROW_MEMBER) */
} cb_board;

/* Builds every view model from st, which the board takes over. me may be
 * -1. The result is caller-owned. */
cb_board *board_build(cb_state *st, int me);
void board_free(cb_board *b);
/* Member m's readiness for exam e (the plan-wide one when the plan has no
 * such exam). */
const cb_member_readiness *board_readiness(const cb_board *b, int exam, int member);

/* The Checklists pane's right side: member's items, grouped by due week, under
 * the filter. Rows are appended to out (reset first), memory from arena. */
void board_checklist_rows(const cb_board *b, int member, enum cb_filter f, cb_rows *out,
                          cb_arena *arena);

/* The weak link a ROW_HIT row shows (the team's or a pod's hit list). */
const cb_weak_link *board_hit(const cb_board *b, const cb_row *row);
/* The Domains pane shows only pod's domains (its results per domain and per
 * member, its items, teach sessions and library), or every domain when pod is
 * -1. Rebuilds that pane's rows. */
void board_pod_view(cb_board *b, int pod);
/* The pod member m belongs to, or -1. */
int board_pod_of(const cb_plan *p, int m);

/* Appends a row (memory from arena). */
void rows_push(cb_rows *r, cb_arena *arena, cb_row row);
/* The row with the same identity (kind, a, b) as key, or -1. */
int rows_find(const cb_rows *r, cb_row key);

/* Who owns a milestone, in words: a member's or pod's name, "team"... */
const char *board_owner_text(const cb_plan *p, cb_owner o, char *buf, size_t n);

/* The plain text of a row as the pane shows it (for search and tests). */
void board_row_text(const cb_board *b, const cb_row *row, char *buf, size_t n);

/* Everything the plan and the state say about a row, as paragraphs separated
 * by '\n' (for the details view): full titles, ids, owners, notes, resources. */
void board_row_detail(const cb_board *b, const cb_row *row, char *buf, size_t n);

#endif

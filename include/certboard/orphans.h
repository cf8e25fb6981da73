/* orphans.h — state whose ids the plan no longer has.
 *
 * The store keeps every key it was ever given (tick/<item>/<member>,
 * ms/<milestone>, exam/<attempt-id>); the plan may since have renamed or
 * removed those ids. Such state is an "orphan": it is kept, never dropped, and
 * reported (`certboard validate --store`, `export --format json`).
 *
 * Pure functions of (plan, snapshot): no I/O, no curses.
 *
 * Ownership: orphans_find() and orphan_describe() allocate their results from
 * the arena the caller passes; the cb_orphan entries point into the snapshot
 * (keys, events), which must outlive them. */
#ifndef CERTBOARD_ORPHANS_H
#define CERTBOARD_ORPHANS_H

#include <stdbool.h>

#include "certboard/arena.h"
#include "certboard/plan.h"
#include "certboard/store.h"

enum cb_orphan_why {
    CB_ORPHAN_ITEM,         /* tick of an item the plan does not have */
    CB_ORPHAN_MEMBER,       /* tick for, or attempt of, a member the plan does not have */
    CB_ORPHAN_NOT_ASSIGNED, /* tick of an item that is not on that member's checklist */
    CB_ORPHAN_MILESTONE,    /* status of a milestone the plan does not have */
    CB_ORPHAN_NO_MEMBER,    /* attempt whose value names no member */
    CB_ORPHAN_SHAPE,        /* a key of no shape certboard knows */
};

typedef struct cb_orphan {
    const char *key;
    enum cb_orphan_why why;
    const char *id;        /* item (ticks), milestone or attempt id; NULL for SHAPE */
    const char *member;    /* member of a tick or attempt; NULL when none */
    const cb_event *event; /* current list: the key's last change; history: the change */
    bool live;             /* ticked, a status other than pending, a recorded attempt */
} cb_orphan;

typedef struct cb_orphans {
    cb_orphan *current;    /* one per current key that does not resolve, by key */
    int n_current, n_live; /* n_live: how many of them are live */
    cb_orphan *history;    /* every change whose key did not resolve, oldest first */
    int n_history;
} cb_orphans;

/* Classifies one key against the plan. value is the key's value (attempts name
 * their member in it; "" for a deleted attempt); for a deleted attempt pass the
 * last value it had as value_before (or NULL). Returns true and fills *out
 * (without event) when the key is an orphan, false when it resolves. */
bool orphan_classify(const cb_plan *p, const char *key, const char *value,
                     const char *value_before, cb_orphan *out, cb_arena *arena);

/* Every orphan of the snapshot, current keys and history. Never NULL. */
cb_orphans *orphans_find(const cb_plan *p, const cb_snapshot *snap, cb_arena *arena);

/* One line for the terminal, e.g. "tick of unknown item 'old' for nov1 (ticked;
 * last changed 2026-11-02 by exp1)"; the part in parentheses only when
 * o->event is set. Dates are UTC; control characters from the store become
 * '?', long ids are cut. */
const char *orphan_describe(const cb_orphan *o, cb_arena *arena);

#endif

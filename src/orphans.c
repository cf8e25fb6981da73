/* orphans.c — finds state whose ids the plan no longer has (see orphans.h).
 *
 * A key resolves when every id in it names something in the plan:
 *   tick/<item>/<member>  the item and the member exist and the item is on the
 *                         member's checklist;
 *   ms/<milestone>        the milestone exists;
 *   exam/<attempt-id>     the member named by the attempt's value exists;
 *   block/, asset/<item>/<member>  as a tick;
 *   standup/<mark-id>     always (a mark names nothing of the plan).
 * Anything else is an orphan. */
#include "certboard/orphans.h"

#include <stdio.h>
#include <string.h>

#include "certboard/attempt.h"
#include "certboard/date.h"
#include "certboard/keys.h"
#include "certboard/state.h"
#include "certboard/text.h"

#define DESCRIBE_MAX 80 /* longest id or value quoted in a description */

static bool classify_tick(const cb_plan *p, cb_keyref k, cb_orphan *o, cb_arena *arena)
{
    o->id = arena_strndup(arena, k.id, k.id_len);
    o->member = arena_strdup(arena, k.member);
    int item = plan_item(p, o->id), member = plan_member(p, o->member);
    if (item < 0)
        o->why = CB_ORPHAN_ITEM;
    else if (member < 0)
        o->why = CB_ORPHAN_MEMBER;
    else if (!plan_item_assigned(p, item, member))
        o->why = CB_ORPHAN_NOT_ASSIGNED;
    else
        return false;
    return true;
}

static bool classify_exam(const cb_plan *p, const char *id, const char *value,
                          const char *value_before, cb_orphan *o, cb_arena *arena)
{
    o->id = id;
    const char *text = *value ? value : value_before;
    if (!text || !*text)
        return false; /* deleted, never recorded with a member: nothing to resolve */
    o->member = attempt_member(text, arena);
    if (!o->member || !*o->member) {
        o->member = NULL;
        o->why = CB_ORPHAN_NO_MEMBER;
        return true;
    }
    o->why = CB_ORPHAN_MEMBER;
    return plan_member(p, o->member) < 0;
}

static bool is_live(const char *key, const char *value)
{
    if (!value || !*value)
        return false;
    return key_kind(key) != KEY_MILESTONE || state_ms_status_parse(value) != CB_MS_PENDING;
}

bool orphan_classify(const cb_plan *p, const char *key, const char *value,
                     const char *value_before, cb_orphan *out, cb_arena *arena)
{
    memset(out, 0, sizeof *out);
    out->key = key;
    out->why = CB_ORPHAN_SHAPE;
    out->live = is_live(key, value);
    value = value ? value : "";
    bool orphan = true;
    cb_keyref k = key_parse(key);
    if (k.kind == KEY_TICK || k.kind == KEY_BLOCK || k.kind == KEY_ASSET) {
        orphan = classify_tick(p, k, out, arena);
    } else if (k.kind == KEY_STANDUP) {
        orphan = false;
    } else if (k.kind == KEY_MILESTONE) {
        out->id = k.id;
        out->why = CB_ORPHAN_MILESTONE;
        orphan = plan_milestone(p, out->id) < 0;
    } else if (k.kind == KEY_EXAM) {
        orphan = classify_exam(p, k.id, value, value_before, out, arena);
    } else if (k.kind == KEY_RESULT) { /* an exam result: of an exam and a member of the plan */
        const char *exam = arena_strndup(arena, k.id, k.id_len);
        orphan = plan_exam(p, exam) < 0 || plan_member(p, k.member) < 0;
    }
    if (orphan && out->why == CB_ORPHAN_SHAPE) {
        out->id = NULL;
        out->member = NULL;
    }
    return orphan;
}

/* The last non-empty value of key at or before history index `before`. */
static const char *value_before(const cb_snapshot *snap, const char *key, size_t before)
{
    for (size_t i = before + 1; i-- > 0;) {
        const cb_event *e = &snap->events[i];
        if (e->value && *e->value && strcmp(e->key, key) == 0)
            return e->value;
    }
    return NULL;
}

/* value_before() for a deleted attempt only: the common case scans nothing. */
static const char *earlier_value(const cb_snapshot *snap, const cb_event *e, size_t index)
{
    if (key_kind(e->key) != KEY_EXAM || (e->value && *e->value) || !snap->n_events)
        return NULL;
    return value_before(snap, e->key, index);
}

cb_orphans *orphans_find(const cb_plan *p, const cb_snapshot *snap, cb_arena *arena)
{
    cb_orphans *r = arena_alloc(arena, sizeof *r);
    if (!snap)
        return r;
    snapshot_history(snap);
    r->current = arena_alloc(arena, (snap->n_current + 1) * sizeof *r->current);
    for (size_t i = 0; i < snap->n_current; i++) {
        const cb_event *e = snap->current[i];
        cb_orphan *o = &r->current[r->n_current];
        if (!orphan_classify(p, e->key, e->value, earlier_value(snap, e, snap->n_events - 1), o,
                             arena))
            continue;
        o->event = e;
        r->n_live += o->live;
        r->n_current++;
    }
    r->history = arena_alloc(arena, (snap->n_events + 1) * sizeof *r->history);
    for (size_t i = 0; i < snap->n_events; i++) {
        const cb_event *e = &snap->events[i];
        cb_orphan *o = &r->history[r->n_history];
        if (!orphan_classify(p, e->key, e->value, earlier_value(snap, e, i), o, arena))
            continue;
        o->event = e;
        r->n_history++;
    }
    return r;
}

/* s for the terminal (text.h), at most DESCRIBE_MAX bytes (then "..."). */
static const char *clean(const char *s, cb_arena *arena)
{
    size_t n = strlen(s ? s : "");
    if (n <= DESCRIBE_MAX)
        return text_escape(arena, TEXT_TERM, s);
    while (n > DESCRIBE_MAX || ((unsigned char)s[n] & 0xC0) == 0x80)
        n--; /* cut on a character boundary */
    return arena_printf(arena, "%s...",
                        text_escape(arena, TEXT_TERM, arena_strndup(arena, s, n)));
}

/* "ticked", "status at-risk", "deleted"...: the value, in the key's terms. */
static const char *value_words(const cb_orphan *o, cb_arena *arena)
{
    const char *v = o->event->value ? o->event->value : "";
    switch (key_kind(o->key)) {
    case KEY_TICK:
        return *v ? "ticked" : "unticked";
    case KEY_EXAM:
        return *v ? "recorded" : "deleted";
    case KEY_MILESTONE:
        return *v ? arena_printf(arena, "status %s", clean(v, arena)) : "no status";
    case KEY_BLOCK:
        return *v ? "blocked" : "unblocked";
    case KEY_ASSET:
        return *v ? arena_printf(arena, "link %s", clean(v, arena)) : "link removed";
    case KEY_RESULT:
        return *v ? arena_printf(arena, "exam result %s", clean(v, arena)) : "result cleared";
    case KEY_STANDUP:
    case KEY_OTHER:
        break;
    }
    return *v ? arena_printf(arena, "value '%s'", clean(v, arena)) : "cleared";
}

static const char *what(const cb_orphan *o, cb_arena *arena)
{
    const char *id = clean(o->id, arena), *m = clean(o->member, arena);
    enum cb_key_kind kind = key_kind(o->key);
    const char *of = kind == KEY_BLOCK ? "blocker" : kind == KEY_ASSET ? "link" : "tick";
    switch (o->why) {
    case CB_ORPHAN_ITEM:
        return arena_printf(arena, "%s of unknown item '%s' for %s", of, id, m);
    case CB_ORPHAN_MEMBER:
        if (kind != KEY_EXAM)
            return arena_printf(arena, "%s of item '%s' for unknown member '%s'", of, id, m);
        return arena_printf(arena, "exam attempt '%s' of unknown member '%s'", id, m);
    case CB_ORPHAN_NOT_ASSIGNED:
        return arena_printf(arena, "%s of item '%s' for %s, whose checklist no longer has it",
                            of, id, m);
    case CB_ORPHAN_MILESTONE:
        return arena_printf(arena, "status of unknown milestone '%s'", id);
    case CB_ORPHAN_NO_MEMBER:
        return arena_printf(arena, "exam attempt '%s' that names no member", id);
    case CB_ORPHAN_SHAPE:
        break;
    }
    return arena_printf(arena, "key '%s' of no known shape", clean(o->key, arena));
}

const char *orphan_describe(const cb_orphan *o, cb_arena *arena)
{
    const char *head = what(o, arena);
    if (!o->event)
        return head;
    const char *value = value_words(o, arena);
    char date[11];
    date_format(state_event_day(o->event), date);
    return arena_printf(arena, "%s (%s; last changed %s by %s)", head, value, date,
                        clean(o->event->member, arena));
}

/* orphans.c — finds state whose ids the plan no longer has (see orphans.h).
 *
 * A key resolves when every id in it names something in the plan:
 *   tick/<item>/<member>  the item and the member exist and the item is on the
 *                         member's checklist;
 *   ms/<milestone>        the milestone exists;
 *   exam/<attempt-id>     the member named by the attempt's value exists.
 * Anything else is an orphan. */
#include "certboard/orphans.h"

#include <stdio.h>
#include <string.h>

#include "certboard/date.h"
#include "certboard/readiness.h"

#define DESCRIBE_MAX 80 /* longest id or value quoted in a description */

static bool classify_tick(const cb_plan *p, const char *rest, cb_orphan *o, cb_arena *arena)
{
    const char *slash = strchr(rest, '/');
    if (!slash || slash == rest || !slash[1] || strchr(slash + 1, '/'))
        return true; /* not <item>/<member>: an unknown shape */
    o->id = arena_strndup(arena, rest, (size_t)(slash - rest));
    o->member = arena_strdup(arena, slash + 1);
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
    return strncmp(key, "ms/", 3) != 0 || strcmp(value, "pending") != 0;
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
    if (strncmp(key, "tick/", 5) == 0) {
        orphan = classify_tick(p, key + 5, out, arena);
    } else if (strncmp(key, "ms/", 3) == 0 && key[3]) {
        out->id = key + 3;
        out->why = CB_ORPHAN_MILESTONE;
        orphan = plan_milestone(p, out->id) < 0;
    } else if (strncmp(key, "exam/", 5) == 0 && key[5]) {
        orphan = classify_exam(p, key + 5, value, value_before, out, arena);
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
    if (strncmp(e->key, "exam/", 5) != 0 || (e->value && *e->value) || !snap->n_events)
        return NULL;
    return value_before(snap, e->key, index);
}

cb_orphans *orphans_find(const cb_plan *p, const cb_snapshot *snap, cb_arena *arena)
{
    cb_orphans *r = arena_alloc(arena, sizeof *r);
    if (!snap)
        return r;
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

/* s for the terminal: control characters become '?', at most DESCRIBE_MAX
 * bytes (then "..."). */
static const char *clean(const char *s, cb_arena *arena)
{
    size_t n = strlen(s ? s : "");
    bool cut = n > DESCRIBE_MAX;
    char *out = arena_alloc(arena, (cut ? DESCRIBE_MAX : n) + 4);
    for (size_t i = 0; i < n && i < DESCRIBE_MAX; i++)
        out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
    if (cut)
        strcat(out, "...");
    return out;
}

/* "ticked", "status at-risk", "deleted"...: the value, in the key's terms. */
static const char *value_words(const cb_orphan *o, cb_arena *arena)
{
    const char *v = o->event->value ? o->event->value : "";
    if (strncmp(o->key, "tick/", 5) == 0)
        return *v ? "ticked" : "unticked";
    if (strncmp(o->key, "exam/", 5) == 0)
        return *v ? "recorded" : "deleted";
    if (strncmp(o->key, "ms/", 3) == 0)
        return *v ? arena_printf(arena, "status %s", clean(v, arena)) : "no status";
    return *v ? arena_printf(arena, "value '%s'", clean(v, arena)) : "cleared";
}

static const char *what(const cb_orphan *o, cb_arena *arena)
{
    const char *id = clean(o->id, arena), *m = clean(o->member, arena);
    switch (o->why) {
    case CB_ORPHAN_ITEM:
        return arena_printf(arena, "tick of unknown item '%s' for %s", id, m);
    case CB_ORPHAN_MEMBER:
        if (strncmp(o->key, "tick/", 5) == 0)
            return arena_printf(arena, "tick of item '%s' for unknown member '%s'", id, m);
        return arena_printf(arena, "exam attempt '%s' of unknown member '%s'", id, m);
    case CB_ORPHAN_NOT_ASSIGNED:
        return arena_printf(arena, "tick of item '%s' for %s, whose checklist no longer has it",
                            id, m);
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
    int64_t ms = o->event->wall_ms;
    cb_day day = (cb_day)((ms >= 0 ? ms : ms - 86399999) / 86400000);
    char date[11];
    date_format(day, date);
    return arena_printf(arena, "%s (%s; last changed %s by %s)", head, value, date,
                        clean(o->event->member, arena));
}

/* state.c — the team's state derived once per snapshot (see state.h for the
 * definitions this file is the only implementation of). */
#include "certboard/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certboard/keys.h"

#define MS_PER_DAY 86400000LL
#define STANDUP_LOOKBACK 14 /* days */

const char *const cb_ms_status_names[CB_MS_COUNT] = {"pending", "on-track", "at-risk", "done"};

int state_ms_status_parse(const char *s)
{
    for (int i = 0; s && i < CB_MS_COUNT; i++)
        if (strcmp(s, cb_ms_status_names[i]) == 0)
            return i;
    return -1;
}

int64_t state_event_ms(const cb_event *e)
{
    return (int64_t)(e->hlc >> 16);
}

cb_day state_event_day(const cb_event *e)
{
    int64_t ms = state_event_ms(e);
    return (cb_day)(ms >= 0 ? ms / MS_PER_DAY : -((-ms + MS_PER_DAY - 1) / MS_PER_DAY));
}

static void *alloc_n(cb_state *st, size_t n, size_t size)
{
    return arena_alloc(st->arena, (n ? n : 1) * size);
}

/* ---- ticks ---------------------------------------------------------------- */

static void build_cells(cb_state *st)
{
    const cb_plan *p = st->plan;
    int nm = p->n_members;
    size_t cells = (size_t)p->n_items * (size_t)nm;
    st->cell = alloc_n(st, cells, 1);
    st->due = alloc_n(st, cells, sizeof *st->due);
    st->done_day = alloc_n(st, cells, sizeof *st->done_day);
    /* Who covers what, per checklist: items share their checklist's owner. */
    unsigned char *cover = alloc_n(st, (size_t)p->n_checklists * (size_t)nm, 1);
    for (int c = 0; c < p->n_checklists; c++)
        for (int m = 0; m < nm; m++)
            cover[(size_t)c * nm + m] = plan_owner_covers(p, p->checklists[c].owner, m);
    for (int i = 0; i < p->n_items; i++) {
        int c = p->items[i].checklist;
        for (int m = 0; m < nm; m++) {
            if (c < 0 || c >= p->n_checklists || !cover[(size_t)c * nm + m])
                continue;
            size_t k = (size_t)i * nm + m;
            int joined = p->members[m].joined_week;
            st->cell[k] = CELL_OPEN;
            st->due[k] = joined > p->items[i].due_week ? joined : p->items[i].due_week;
        }
    }
    /* Done ticks: one pass over the current values, so the cost follows the
     * number of ticks, not items x members lookups. */
    char id[256];
    for (size_t k = 0; k < st->snap->n_current; k++) {
        const cb_event *e = st->snap->current[k];
        cb_keyref key = st->key[k];
        if (key.kind != KEY_TICK || !e->value || !e->value[0] || key.id_len >= sizeof id)
            continue;
        memcpy(id, key.id, key.id_len);
        id[key.id_len] = '\0';
        int i = plan_item(p, id), m = plan_member(p, key.member);
        if (i < 0 || m < 0 || st->cell[(size_t)i * nm + m] != CELL_OPEN)
            continue; /* state for ids the plan no longer has: orphans.h */
        cb_day d = state_event_day(e);
        st->cell[(size_t)i * nm + m] = CELL_DONE;
        st->done_day[(size_t)i * nm + m] = d < st->today ? d : st->today;
    }
}

static void count_cells(cb_state *st)
{
    const cb_plan *p = st->plan;
    int nm = p->n_members, nw = p->n_weeks;
    st->members = alloc_n(st, (size_t)nm, sizeof *st->members);
    st->week_total = alloc_n(st, (size_t)nw + 2, sizeof *st->week_total);
    st->week_done = alloc_n(st, (size_t)nw + 2, sizeof *st->week_done);
    for (int i = 0; i < p->n_items; i++)
        for (int m = 0; m < nm; m++) {
            size_t k = (size_t)i * nm + m;
            if (st->cell[k] == CELL_NONE)
                continue;
            cb_member_state *ms = &st->members[m];
            bool done = st->cell[k] == CELL_DONE;
            int due = st->due[k], w = due < 0 ? 0 : due > nw + 1 ? nw + 1 : due;
            ms->total++;
            ms->done += done;
            st->week_total[w]++;
            st->week_done[w] += done;
            if (due <= st->week) {
                ms->due++;
                ms->due_done += done;
            }
            if (due == st->week) {
                ms->week_total++;
                ms->week_done += done;
            }
            ms->overdue += due < st->week && !done;
        }
    for (int m = 0; m < nm; m++) {
        st->members[m].behind = st->members[m].overdue > 0;
        st->team_total += st->members[m].total;
        st->team_done += st->members[m].done;
    }
}

int state_cell(const cb_state *st, int item, int member)
{
    const cb_plan *p = st->plan;
    if (item < 0 || member < 0 || item >= p->n_items || member >= p->n_members)
        return CELL_NONE;
    return st->cell[(size_t)item * (size_t)p->n_members + (size_t)member];
}

bool state_overdue(const cb_state *st, int item, int member)
{
    return state_cell(st, item, member) == CELL_OPEN &&
           st->due[(size_t)item * (size_t)st->plan->n_members + (size_t)member] < st->week;
}

/* ---- milestones ------------------------------------------------------------ */

static void build_milestones(cb_state *st)
{
    const cb_plan *p = st->plan;
    st->ms = alloc_n(st, (size_t)p->n_milestones, sizeof *st->ms);
    char key[256];
    for (int i = 0; i < p->n_milestones; i++) {
        cb_ms_state *m = &st->ms[i];
        const cb_event *e =
            snapshot_get(st->snap, key_milestone(key, sizeof key, p->milestones[i].id));
        int status = e ? state_ms_status_parse(e->value) : -1;
        m->status = status < 0 ? CB_MS_PENDING : (enum cb_ms_status)status;
        m->set = e;
        m->note = e && e->note && e->note[0] ? e->note : NULL;
        if (m->status == CB_MS_AT_RISK)
            m->risk = "marked at risk";
        else if (p->milestones[i].week < st->week && m->status != CB_MS_DONE)
            m->risk = "past its week, not done";
    }
}

/* ---- attempts --------------------------------------------------------------- */

static int cmp_attempt(const void *a, const void *b)
{
    const cb_attempt *x = a, *y = b;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    return strcmp(x->id, y->id);
}

static void build_attempts(cb_state *st)
{
    const cb_snapshot *snap = st->snap;
    size_t cap = 0;
    for (size_t i = 0; i < snap->n_current; i++)
        cap += st->key[i].kind == KEY_EXAM;
    st->attempts = alloc_n(st, cap, sizeof *st->attempts);
    for (size_t i = 0; i < snap->n_current; i++) {
        const cb_event *e = snap->current[i];
        cb_keyref key = st->key[i];
        if (key.kind != KEY_EXAM || !e->value || !*e->value)
            continue;
        char err[160];
        if (attempt_parse(st->plan, key.id, e->value, &st->attempts[st->n_attempts], st->arena,
                          err, sizeof err) != 0)
            st->n_bad_attempts++;
        else
            st->n_attempts++;
    }
    qsort(st->attempts, (size_t)st->n_attempts, sizeof *st->attempts, cmp_attempt);
    while (st->n_attempts_to_date < st->n_attempts &&
           st->attempts[st->n_attempts_to_date].date <= st->today)
        st->n_attempts_to_date++;
}

/* ---- blockers, assets, stand-up marks ---------------------------------------------- */

/* Is event a later in the team's history than b? */
static bool later(const cb_event *a, const cb_event *b)
{
    if (a->hlc != b->hlc)
        return a->hlc > b->hlc;
    int c = strcmp(a->client, b->client);
    return c ? c > 0 : a->seq > b->seq;
}

/* The cell a key of the shape <prefix><item>/<member> names, or -1. */
static long cell_of(const cb_state *st, cb_keyref k)
{
    char id[256];
    if (k.id_len >= sizeof id)
        return -1;
    memcpy(id, k.id, k.id_len);
    id[k.id_len] = '\0';
    int i = plan_item(st->plan, id), m = plan_member(st->plan, k.member);
    if (i < 0 || m < 0 || st->cell[(size_t)i * st->plan->n_members + m] == CELL_NONE)
        return -1; /* orphans.h */
    return (long)i * st->plan->n_members + m;
}

/* One pass over the current values: blockers (a block stands until the item
 * is ticked, or its tick changed after the block), assets and the latest
 * stand-up mark. */
static void build_marks(cb_state *st)
{
    const cb_plan *p = st->plan;
    const cb_snapshot *snap = st->snap;
    size_t cells = (size_t)p->n_items * (size_t)p->n_members;
    st->blocker = alloc_n(st, cells, sizeof *st->blocker);
    st->asset = alloc_n(st, cells, sizeof *st->asset);
    char key[600];
    for (size_t i = 0; i < snap->n_current; i++) {
        const cb_event *e = snap->current[i];
        cb_keyref k = st->key[i];
        if (!e->value || !*e->value)
            continue;
        if (k.kind == KEY_STANDUP) {
            if (!st->standup_mark || later(e, st->standup_mark))
                st->standup_mark = e;
            continue;
        }
        if (k.kind != KEY_BLOCK && k.kind != KEY_ASSET)
            continue;
        long c = cell_of(st, k);
        if (c < 0)
            continue;
        if (k.kind == KEY_ASSET) {
            st->asset[c] = e;
            st->n_assets++;
            continue;
        }
        if (st->cell[c] == CELL_DONE)
            continue;
        snprintf(key, sizeof key, "%.*s", (int)k.id_len, k.id);
        char tick[600];
        const cb_event *t = snapshot_get(snap, key_tick(tick, sizeof tick, key, k.member));
        if (t && later(t, e))
            continue; /* ticked (and unticked) since: the block is over */
        st->blocker[c] = e;
        st->members[c % p->n_members].blocked++;
        st->n_blockers++;
    }
}

/* ---- changes since the last stand-up ------------------------------------------ */

static bool standup_on(const cb_plan *p, cb_day d)
{
    int week = plan_week_of_day(p, d);
    for (int i = 0; i < p->n_sessions; i++) {
        const cb_session *ss = &p->sessions[i];
        if (ss->kind == CB_SESSION_STANDUP && ss->weekday == date_weekday(d) &&
            week >= ss->weeks.lo && week <= ss->weeks.hi)
            return true;
    }
    return false;
}

static cb_day last_standup(const cb_plan *p, cb_day today)
{
    for (cb_day d = today - 1; d >= today - STANDUP_LOOKBACK; d--)
        if (standup_on(p, d))
            return d;
    cb_day d = today - 1;
    while (date_weekday(d) != 0)
        d--;
    return d;
}

/* The history index of event e of the snapshot (one of its current values:
 * the store knows where they are; a borrowed snapshot's, searched by clock). */
static size_t event_index(const cb_snapshot *s, const cb_event *e)
{
    size_t k = snapshot_index(s, e);
    if (k < s->n_events)
        return k;
    const cb_event *ev = snapshot_history(s);
    for (size_t i = 0; i < s->n_events; i++)
        if (ev[i].hlc == e->hlc && ev[i].seq == e->seq && strcmp(ev[i].client, e->client) == 0)
            return i;
    return s->n_events;
}

/* The last stand-up: the latest mark, or the schedule's last stand-up day when
 * that is later (a mark was forgotten) or there is no mark. */
static void build_since(cb_state *st)
{
    cb_day day = last_standup(st->plan, st->today);
    size_t from = state_changes_since(st, day);
    st->last_standup = day;
    if (st->standup_mark) {
        size_t after = event_index(st->snap, st->standup_mark) + 1;
        if (after >= from) {
            from = after;
            st->last_standup = state_event_day(st->standup_mark);
        } else {
            st->standup_mark = NULL; /* older than the schedule's last stand-up */
        }
    }
    st->changes_from = from;
}

const cb_event *state_blocker(const cb_state *st, int item, int member)
{
    if (state_cell(st, item, member) == CELL_NONE)
        return NULL;
    return st->blocker[(size_t)item * (size_t)st->plan->n_members + (size_t)member];
}

const cb_event *state_asset(const cb_state *st, int item, int member)
{
    if (state_cell(st, item, member) == CELL_NONE)
        return NULL;
    return st->asset[(size_t)item * (size_t)st->plan->n_members + (size_t)member];
}

/* The first event of s at or after moment from (ms), searched from index lo
 * on: the history is sorted by hybrid clock, whose physical part is
 * state_event_ms(). */
static size_t first_since(const cb_snapshot *s, size_t lo, int64_t from)
{
    size_t hi = s->n_events;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (state_event_ms(&s->events[mid]) < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t state_changes_since(const cb_state *st, cb_day since)
{
    /* The changes since a moment are a suffix: found in the recent history
     * when it begins before the moment, else in the whole history. */
    const cb_snapshot *s = st->snap;
    int64_t from = (int64_t)since * MS_PER_DAY;
    size_t ready = s->events_from, at = first_since(s, ready, from);
    if (at > ready || ready == 0)
        return at;
    snapshot_history(s);
    return first_since(s, 0, from);
}

/* ---- events in words ----------------------------------------------------------- */

static int cmp_index_by_key(const void *a, const void *b, void *ctx)
{
    const cb_event *ev = ctx;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(ev[x].key, ev[y].key);
    return c ? c : (x > y) - (x < y);
}

/* Which exam events change an attempt recorded before (computed on first use:
 * only `log` and the changes lists ask). */
static const bool *exam_edits(cb_state *st)
{
    if (st->edit)
        return st->edit;
    const cb_snapshot *s = st->snap;
    snapshot_history(s);
    st->edit = alloc_n(st, s->n_events, sizeof *st->edit);
    size_t *idx = alloc_n(st, s->n_events, sizeof *idx), n = 0;
    for (size_t i = 0; i < s->n_events; i++)
        if (key_kind(s->events[i].key) == KEY_EXAM && s->events[i].value[0])
            idx[n++] = i;
    qsort_r(idx, n, sizeof *idx, cmp_index_by_key, (void *)s->events);
    for (size_t i = 1; i < n; i++)
        st->edit[idx[i]] = strcmp(s->events[idx[i - 1]].key, s->events[idx[i]].key) == 0;
    return st->edit;
}

/* An item as people read it: its title, then its id (titles repeat across
 * pods), or the id alone when the plan no longer has it. */
static const char *item_words(const cb_state *st, cb_keyref k, cb_arena *a)
{
    const char *id = arena_strndup(a, k.id, k.id_len);
    int i = plan_item(st->plan, id);
    if (i < 0 || !st->plan->items[i].title)
        return id;
    return arena_printf(a, "%s (%s)", st->plan->items[i].title, id);
}

const char *state_describe(cb_state *st, size_t index, cb_arena *a)
{
    if (index < st->snap->events_from)
        snapshot_history(st->snap);
    const cb_event *e = &st->snap->events[index];
    const char *who = e->member ? e->member : "?", *v = e->value ? e->value : "";
    const char *undo = e->undoes_client ? "undo: " : "";
    cb_keyref k = key_parse(e->key);
    const char *item = k.member && k.kind != KEY_RESULT ? item_words(st, k, a) : NULL;
    switch (k.kind) {
    case KEY_TICK:
        if (strcmp(k.member, who) == 0)
            return arena_printf(a, "%s%s %s %s", undo, who, *v ? "ticked" : "unticked", item);
        return arena_printf(a, "%s%s %s %s for %s", undo, who, *v ? "ticked" : "unticked", item,
                            k.member);
    case KEY_MILESTONE:
        return arena_printf(a, "%s%s set milestone %s to %s", undo, who, k.id,
                            *v ? v : cb_ms_status_names[CB_MS_PENDING]);
    case KEY_EXAM: {
        if (!*v)
            return arena_printf(a, "%s%s deleted practice exam %s", undo, who, k.id);
        cb_attempt at;
        char err[160], date[11];
        if (attempt_parse(st->plan, k.id, v, &at, a, err, sizeof err) != 0)
            return arena_printf(a, "%s%s stored practice exam %s (unreadable: %s)", undo, who,
                                k.id, err);
        date_format(at.date, date);
        return arena_printf(a, "%s%s %s practice exam %s: %s %d/%d on %s", undo, who,
                            exam_edits(st)[index] ? "updated" : "recorded", k.id,
                            st->plan->members[at.member].id, at.total_right, at.total_asked,
                            date);
    }
    case KEY_STANDUP:
        return arena_printf(a, "%s%s %s the stand-up held", undo, who,
                            *v ? "marked" : "unmarked");
    case KEY_BLOCK:
        if (strcmp(k.member, who) == 0)
            return arena_printf(a, "%s%s %s %s", undo, who, *v ? "is blocked on" : "unblocked",
                                item);
        return arena_printf(a, "%s%s %s %s for %s", undo, who,
                            *v ? "marked blocked" : "unblocked", item, k.member);
    case KEY_RESULT: {
        const char *exam = arena_strndup(a, k.id, k.id_len);
        cb_exam_result r;
        if (!*v)
            return arena_printf(a, "%s%s cleared the %s exam result of %s", undo, who, exam,
                                k.member);
        if (state_result_parse(v, &r) != 0)
            return arena_printf(a, "%s%s stored an unreadable %s exam result for %s", undo, who,
                                exam, k.member);
        char day[11] = "", score[24] = "";
        if (r.date)
            date_format(r.date, day);
        if (r.score >= 0)
            snprintf(score, sizeof score, " with %d%%", r.score);
        return arena_printf(
            a, "%s%s recorded %s %s exam %s%s%s%s", undo, who, k.member,
            r.status == CB_EXAM_BOOKED ? "booked the" : cb_exam_status_names[r.status], exam,
            *day ? (r.status == CB_EXAM_BOOKED ? " for " : " on ") : "", day, score);
    }
    case KEY_ASSET:
        if (!*v)
            return arena_printf(a, "%s%s removed the link on %s for %s", undo, who, item,
                                k.member);
        return arena_printf(a, "%s%s linked %s%s%s: %s", undo, who, item,
                            strcmp(k.member, who) ? " for " : "",
                            strcmp(k.member, who) ? k.member : "", v);
    case KEY_OTHER:
        break;
    }
    return arena_printf(a, "%s%s set %s to %s", undo, who, e->key, *v ? v : "(nothing)");
}

int state_event_subject(const cb_state *st, const cb_event *e, cb_arena *a)
{
    cb_keyref k = key_parse(e->key);
    if (k.kind == KEY_TICK || k.kind == KEY_BLOCK || k.kind == KEY_ASSET ||
        k.kind == KEY_RESULT)
        return plan_member(st->plan, k.member);
    if (k.kind == KEY_EXAM) {
        const char *m = attempt_member(e->value && *e->value ? e->value : "", a);
        return m ? plan_member(st->plan, m) : -1;
    }
    return -1;
}

const char *state_exam_when(const cb_state *st, char *buf, size_t n)
{
    int d = st->days_to_exam;
    const cb_plan *p = st->plan;
    const char *what = "exam";
    if (p->n_exams > 1) {
        const cb_exam *ex = &p->exams[st->next_exam];
        what = ex->short_name ? ex->short_name : ex->name ? ex->name : ex->id;
    }
    if (d > 1 || d < -1)
        snprintf(buf, n, d > 0 ? "%s in %d days" : "%s was %d days ago", what, d > 0 ? d : -d);
    else
        snprintf(buf, n, "%s %s", what,
                 d == 1   ? "tomorrow"
                 : d == 0 ? "today"
                          : "was yesterday");
    return buf;
}

/* ---- exam results and the next exam ----------------------------------------------- */

const char *const cb_exam_status_names[CB_EXAM_COUNT] = {"none", "booked", "passed", "failed"};

int state_result_parse(const char *v, cb_exam_result *out)
{
    *out = (cb_exam_result){CB_EXAM_NONE, 0, -1, NULL};
    if (!v || !*v)
        return -1;
    size_t sn = strcspn(v, ";");
    for (int i = CB_EXAM_BOOKED; i < CB_EXAM_COUNT; i++)
        if (strlen(cb_exam_status_names[i]) == sn &&
            strncmp(v, cb_exam_status_names[i], sn) == 0)
            out->status = (enum cb_exam_status)i;
    if (out->status == CB_EXAM_NONE)
        return -1;
    for (const char *f = v + sn; *f == ';';) {
        f++;
        size_t fn = strcspn(f, ";");
        char val[16];
        if (fn > 5 && fn - 5 < sizeof val && strncmp(f, "date=", 5) == 0) {
            memcpy(val, f + 5, fn - 5);
            val[fn - 5] = '\0';
            if (!date_parse(val, &out->date))
                return -1;
        } else if (fn > 6 && fn - 6 <= 3 && strncmp(f, "score=", 6) == 0) {
            int sc = 0;
            for (size_t i = 6; i < fn; i++) {
                if (f[i] < '0' || f[i] > '9')
                    return -1;
                sc = sc * 10 + (f[i] - '0');
            }
            if (sc > 100)
                return -1;
            out->score = sc;
        } else {
            return -1;
        }
        f += fn;
    }
    return 0;
}

const char *state_result_format(char *buf, size_t n, const cb_exam_result *r)
{
    char day[11] = "";
    if (r->date)
        date_format(r->date, day);
    int k = snprintf(buf, n, "%s", cb_exam_status_names[r->status % CB_EXAM_COUNT]);
    if (r->date && k >= 0 && (size_t)k < n)
        k += snprintf(buf + k, n - (size_t)k, ";date=%s", day);
    if (r->score >= 0 && k >= 0 && (size_t)k < n)
        snprintf(buf + k, n - (size_t)k, ";score=%d", r->score);
    return buf;
}

cb_exam_result state_result(const cb_state *st, int exam, int member)
{
    const cb_plan *p = st->plan;
    if (exam < 0 || exam >= p->n_exams || member < 0 || member >= p->n_members)
        return (cb_exam_result){CB_EXAM_NONE, 0, -1, NULL};
    return st->results[(size_t)exam * p->n_members + member];
}

static void build_results(cb_state *st)
{
    const cb_plan *p = st->plan;
    const cb_snapshot *snap = st->snap;
    int ne = p->n_exams, nm = p->n_members;
    st->results =
        alloc_n(st, (size_t)(ne > 0 ? ne : 1) * (size_t)(nm > 0 ? nm : 1), sizeof *st->results);
    for (size_t i = 0; i < (size_t)ne * (size_t)nm; i++)
        st->results[i] = (cb_exam_result){CB_EXAM_NONE, 0, -1, NULL};
    char id[600];
    for (size_t i = 0; i < snap->n_current; i++) {
        const cb_event *e = snap->current[i];
        cb_keyref k = st->key[i];
        if (k.kind != KEY_RESULT || !e->value || !*e->value)
            continue;
        snprintf(id, sizeof id, "%.*s", (int)k.id_len, k.id);
        int ex = plan_exam(p, id), m = plan_member(p, k.member);
        cb_exam_result r;
        if (ex < 0 || m < 0 || state_result_parse(e->value, &r) != 0)
            continue;
        r.set = e;
        st->results[(size_t)ex * nm + m] = r;
    }
    st->member_next_exam = alloc_n(st, (size_t)(nm > 0 ? nm : 1), sizeof *st->member_next_exam);
    st->next_exam = ne > 0 ? ne - 1 : 0;
    bool found = false;
    for (int m = 0; m < nm; m++) {
        int e = 0;
        while (e < ne && st->results[(size_t)e * nm + m].status == CB_EXAM_PASSED)
            e++;
        st->member_next_exam[m] = e;
    }
    for (int e = 0; e < ne && !found; e++)
        for (int m = 0; m < nm && !found; m++)
            if (st->results[(size_t)e * nm + m].status != CB_EXAM_PASSED) {
                st->next_exam = e;
                found = true;
            }
    /* a single exam keeps the plan's day exactly */
    st->exam_day = ne > 1 ? plan_exam_day_of(p, st->next_exam) : plan_exam_day(p);
    st->days_to_exam = st->exam_day - st->today;
}

/* ---- the whole state ------------------------------------------------------------- */

cb_state *state_build(const cb_plan *p, cb_store *store, const cb_snapshot *fixed, cb_day today)
{
    static const cb_snapshot empty;
    cb_arena *arena = arena_new();
    cb_state *st = arena_alloc(arena, sizeof *st);
    st->arena = arena;
    st->plan = p;
    st->snap = store ? store_snapshot_retain(store) : fixed ? fixed : &empty;
    st->held = store != NULL;
    st->today = today;
    st->week = plan_week_of_day(p, today);
    st->phase = st->week >= 1 && st->week <= p->n_weeks ? plan_phase_of_week(p, st->week) : -1;
    st->exam_day = plan_exam_day(p);
    st->days_to_exam = st->exam_day - today;
    cb_keyref *keys = alloc_n(st, st->snap->n_current, sizeof *keys); /* each parsed once */
    for (size_t k = 0; k < st->snap->n_current; k++)
        keys[k] = key_parse(st->snap->current[k]->key);
    st->key = keys;
    build_cells(st);
    count_cells(st);
    build_milestones(st);
    build_attempts(st);
    build_marks(st);
    build_since(st);
    build_results(st);
    return st;
}

void state_free(cb_state *st)
{
    if (!st)
        return;
    if (st->held)
        store_snapshot_release(st->snap);
    arena_free(st->arena);
}

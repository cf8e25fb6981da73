/* plan_check.c — the rules across entities: unique ids, references, weights,
 * pods, mentors, phases and weeks. Runs after plan_read.c; fills in what is
 * derived (indices, pod weights, domain owners, the per-week table). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "certboard/text.h"
#include "plan_impl.h"

#define EPS 1e-6
#define MAX_ACTIVITIES 100000

static cb_pos entity_pos(const cb_plan *p, enum ref_kind kind, int i)
{
    switch (kind) {
    case REF_TRACK:
        return p->tracks[i].pos;
    case REF_MEMBER:
    case REF_LOGIN:
        return p->members[i].pos;
    case REF_DOMAIN:
        return p->domains[i].pos;
    case REF_POD:
        return p->pods[i].pos;
    case REF_PHASE:
        return p->phases[i].pos;
    case REF_MILESTONE:
        return p->milestones[i].pos;
    case REF_ITEM:
        return p->items[i].pos;
    case REF_CHECKLIST:
        return p->checklists[i].pos;
    case REF_SESSION:
        return p->sessions[i].pos;
    case REF_KINDS:
        break;
    }
    return (cb_pos){0, 0};
}

static void index_id(struct plan_build *b, enum ref_kind kind, const char *id, cb_pos pos,
                     int i)
{
    if (!id)
        return;
    int first = plan_index_add(b->p->index, kind, id, i);
    if (first < 0)
        return;
    if (kind == REF_LOGIN)
        plan_error(b, pos, "login '%s' of member '%s' is already used by member '%s'", id,
                   b->p->members[i].id, b->p->members[first].id);
    else
        plan_error(b, pos, "duplicate %s id '%s' (first at line %d)", plan_ref_kind_name(kind),
                   id, entity_pos(b->p, kind, first).line);
}

static int cmp_pos(const void *x, const void *y, void *ctx)
{
    const cb_milestone *ms = ctx;
    cb_pos a = ms[*(const int *)x].pos, c = ms[*(const int *)y].pos;
    return a.line != c.line ? a.line - c.line : a.col - c.col;
}

/* Milestones are stored by due week; index them in file order so that a
 * duplicate is reported at the later one. */
static void index_milestones(struct plan_build *b)
{
    cb_plan *p = b->p;
    int *order = xmalloc(((size_t)p->n_milestones + 1) * sizeof *order);
    for (int i = 0; i < p->n_milestones; i++)
        order[i] = i;
    qsort_r(order, (size_t)p->n_milestones, sizeof *order, cmp_pos, p->milestones);
    for (int k = 0; k < p->n_milestones; k++) {
        const cb_milestone *m = &p->milestones[order[k]];
        index_id(b, REF_MILESTONE, m->id, m->pos, order[k]);
    }
    free(order);
}

static void build_index(struct plan_build *b)
{
    cb_plan *p = b->p;
    const int n[REF_KINDS] = {p->n_tracks,   p->n_members,    p->n_domains, p->n_pods,
                              p->n_phases,   p->n_milestones, p->n_items,   p->n_checklists,
                              p->n_sessions, p->n_members};
    p->index = plan_index_new(b->a, n);
    for (int i = 0; i < p->n_tracks; i++)
        index_id(b, REF_TRACK, p->tracks[i].id, p->tracks[i].pos, i);
    for (int i = 0; i < p->n_members; i++) {
        index_id(b, REF_MEMBER, p->members[i].id, p->members[i].pos, i);
        index_id(b, REF_LOGIN, p->members[i].login, p->members[i].pos, i);
    }
    for (int i = 0; i < p->n_domains; i++)
        index_id(b, REF_DOMAIN, p->domains[i].id, p->domains[i].pos, i);
    for (int i = 0; i < p->n_pods; i++)
        index_id(b, REF_POD, p->pods[i].id, p->pods[i].pos, i);
    for (int i = 0; i < p->n_phases; i++)
        index_id(b, REF_PHASE, p->phases[i].id, p->phases[i].pos, i);
    index_milestones(b);
    for (int i = 0; i < p->n_items; i++)
        index_id(b, REF_ITEM, p->items[i].id, p->items[i].pos, i);
    for (int i = 0; i < p->n_checklists; i++)
        index_id(b, REF_CHECKLIST, p->checklists[i].id, p->checklists[i].pos, i);
    for (int i = 0; i < p->n_sessions; i++)
        index_id(b, REF_SESSION, p->sessions[i].id, p->sessions[i].pos, i);
}

/* The id of entity i of a kind, and how many there are (*n). */
static const char *entity_id(const cb_plan *p, enum ref_kind kind, int i, int *n)
{
#define ENTITY(arr, count, field)                                                              \
    *n = p->count;                                                                             \
    return i < p->count ? p->arr[i].field : NULL
    switch (kind) {
    case REF_TRACK:
        ENTITY(tracks, n_tracks, id);
    case REF_MEMBER:
        ENTITY(members, n_members, id);
    case REF_LOGIN:
        ENTITY(members, n_members, login);
    case REF_DOMAIN:
        ENTITY(domains, n_domains, id);
    case REF_POD:
        ENTITY(pods, n_pods, id);
    case REF_PHASE:
        ENTITY(phases, n_phases, id);
    case REF_MILESTONE:
        ENTITY(milestones, n_milestones, id);
    case REF_ITEM:
        ENTITY(items, n_items, id);
    case REF_CHECKLIST:
        ENTITY(checklists, n_checklists, id);
    case REF_SESSION:
        ENTITY(sessions, n_sessions, id);
    case REF_KINDS:
        break;
    }
#undef ENTITY
    *n = 0;
    return NULL;
}

static void resolve_refs(struct plan_build *b)
{
    for (int i = 0; i < b->n_refs; i++) {
        const struct plan_ref *r = &b->refs[i];
        *r->slot = plan_index_find(b->p->index, r->kind, r->id);
        if (*r->slot >= 0)
            continue;
        const char *best = NULL, *id;
        int best_d = 3, n = 1; /* a suggestion only when it is close */
        for (int k = 0; k < n; k++)
            if ((id = entity_id(b->p, r->kind, k, &n)) &&
                text_edit_distance(r->id, id) < best_d &&
                text_edit_distance(r->id, id) < (int)strlen(id)) {
                best_d = text_edit_distance(r->id, id);
                best = id;
            }
        plan_error(b, r->pos, "unknown %s '%s' in %s%s%s%s", plan_ref_kind_name(r->kind), r->id,
                   r->where, best ? " (did you mean '" : "", best ? best : "",
                   best ? "'?)" : "");
    }
}

static int cmp_ref_slot(const void *x, const void *y)
{
    const struct plan_ref *a = x, *b = y;
    return a->slot < b->slot ? -1 : a->slot > b->slot;
}

/* Where the reference stored in slot was written (for messages). The first
 * call sorts the references by slot, so many messages stay cheap. */
static cb_pos ref_pos(struct plan_build *b, const int *slot, cb_pos fallback)
{
    if (!b->refs_sorted) {
        qsort(b->refs, (size_t)b->n_refs, sizeof *b->refs, cmp_ref_slot);
        b->refs_sorted = true;
    }
    struct plan_ref key = {.slot = (int *)slot};
    const struct plan_ref *r =
        bsearch(&key, b->refs, (size_t)b->n_refs, sizeof *b->refs, cmp_ref_slot);
    return r ? r->pos : fallback;
}

static const char *weight_str(struct plan_build *b, double lo, double hi)
{
    return fabs(hi - lo) < EPS ? arena_printf(b->a, "%g", lo)
                               : arena_printf(b->a, "%g-%g", lo, hi);
}

static void check_mentors(struct plan_build *b)
{
    const cb_plan *p = b->p;
    for (int i = 0; i < p->n_mentors; i++) {
        const cb_mentor_pair *mp = &p->mentors[i];
        if (mp->mentor < 0 || mp->mentee < 0)
            continue;
        const cb_member *mr = &p->members[mp->mentor], *me = &p->members[mp->mentee];
        if (mp->mentor == mp->mentee)
            plan_error(b, mp->pos, "member '%s' cannot mentor themselves", mr->id);
        else if (mr->level < me->level)
            plan_error(b, mp->pos, "mentor '%s' (%s) is less experienced than mentee '%s' (%s)",
                       mr->id, plan_level_name(mr->level), me->id, plan_level_name(me->level));
    }
}

static void check_exam_weights(struct plan_build *b)
{
    cb_plan *p = b->p;
    for (int e = 0; e < p->n_exams; e++) {
        cb_exam *ex = &p->exams[e];
        for (int j = 0; j < e; j++)
            if (ex->id && p->exams[j].id && strcmp(ex->id, p->exams[j].id) == 0)
                plan_error(b, ex->pos, "duplicate exam id '%s' (first at line %d)", ex->id,
                           p->exams[j].pos.line);
        for (int d = ex->first_domain; d < ex->first_domain + ex->n_domains; d++) {
            ex->weight_lo += p->domains[d].weight_lo;
            ex->weight_hi += p->domains[d].weight_hi;
        }
        double lo = ex->weight_lo, hi = ex->weight_hi;
        if (ex->n_domains > 0 && (lo > 100 + EPS || hi < 100 - EPS))
            plan_error(b, b->exam_domains_pos[e], "domain weights of exam '%s' sum to %s%s",
                       ex->id ? ex->id : "?", weight_str(b, lo, hi),
                       fabs(hi - lo) < EPS ? ", not 100" : "; 100 is not reachable");
    }
}

static void check_weights(struct plan_build *b)
{
    const cb_plan *p = b->p;
    if (b->exam_domains_pos) {
        check_exam_weights(b);
        return;
    }
    if (p->n_exams == 1) {
        p->exams[0].weight_lo = p->exams[0].weight_hi = 0;
        for (int i = 0; i < p->n_domains; i++) {
            p->exams[0].weight_lo += p->domains[i].weight_lo;
            p->exams[0].weight_hi += p->domains[i].weight_hi;
        }
    }
    if (!b->domains_node || p->n_domains == 0)
        return;
    double lo = 0, hi = 0;
    for (int i = 0; i < p->n_domains; i++) {
        lo += p->domains[i].weight_lo;
        hi += p->domains[i].weight_hi;
    }
    if (lo > 100 + EPS || hi < 100 - EPS)
        plan_error(b, b->domains_node->pos, "domain weights sum to %s%s", weight_str(b, lo, hi),
                   fabs(hi - lo) < EPS ? ", not 100" : "; 100 is not reachable");
}

static void check_pods(struct plan_build *b)
{
    cb_plan *p = b->p;
    bool *in_pod = arena_alloc(b->a, (size_t)p->n_members + 1);
    for (int k = 0; k < p->n_pods; k++) {
        cb_pod *pod = &p->pods[k];
        for (int j = 0; j < pod->n_domains; j++) {
            int d = pod->domains[j];
            if (d < 0)
                continue;
            cb_domain *dm = &p->domains[d];
            if (dm->pod >= 0) {
                cb_pos pos = ref_pos(b, &pod->domains[j], pod->pos);
                if (dm->pod == k)
                    plan_error(b, pos, "domain '%s' is listed twice in pod '%s'", dm->id,
                               pod->id);
                else
                    plan_error(b, pos, "domain '%s' is in pod '%s' and pod '%s'", dm->id,
                               p->pods[dm->pod].id, pod->id);
                continue;
            }
            dm->pod = k;
            pod->weight_lo += dm->weight_lo;
            pod->weight_hi += dm->weight_hi;
        }
        bool lead_in = false;
        for (int j = 0; j < pod->n_members; j++) {
            if (pod->members[j] >= 0)
                in_pod[pod->members[j]] = true;
            lead_in |= pod->members[j] == pod->lead;
        }
        if (pod->lead >= 0 && !lead_in)
            plan_error(b, ref_pos(b, &pod->lead, pod->pos),
                       "lead '%s' of pod '%s' is not one of its members",
                       p->members[pod->lead].id, pod->id);
        double sw = pod->stated_weight;
        if (sw >= 0 && (sw < pod->weight_lo - EPS || sw > pod->weight_hi + EPS))
            plan_warning(b, b->stated_pos[k],
                         "pod '%s' states a weight of %g, but its domains sum to %s", pod->id,
                         sw, weight_str(b, pod->weight_lo, pod->weight_hi));
    }
    if (p->n_pods == 0)
        return;
    for (int d = 0; d < p->n_domains; d++)
        if (p->domains[d].pod < 0 && p->domains[d].id)
            plan_error(b, p->domains[d].pos, "domain '%s' is in no pod", p->domains[d].id);
    for (int m = 0; m < p->n_members; m++)
        if (!in_pod[m] && p->members[m].id)
            plan_error(b, p->members[m].pos, "member '%s' is in no pod", p->members[m].id);
}

/* Reports each run of weeks not marked in seen: "weeks 7-8 are WHAT". */
static void report_gaps(struct plan_build *b, const bool *seen, cb_pos pos, const char *what)
{
    for (int w = 1; w <= b->p->n_weeks; w++) {
        if (seen[w])
            continue;
        int end = w;
        while (end < b->p->n_weeks && !seen[end + 1])
            end++;
        if (end == w)
            plan_error(b, pos, "week %d is %s", w, what);
        else
            plan_error(b, pos, "weeks %d-%d are %s", w, end, what);
        w = end;
    }
}

static int cmp_phase_start(const void *x, const void *y, void *ctx)
{
    const cb_phase *ph = ctx;
    const cb_range a = ph[*(const int *)x].weeks, c = ph[*(const int *)y].weeks;
    return a.lo != c.lo ? a.lo - c.lo : *(const int *)x - *(const int *)y;
}

static void check_phases(struct plan_build *b)
{
    const cb_plan *p = b->p;
    int *order = xmalloc(((size_t)p->n_phases + 1) * sizeof *order);
    int n = 0;
    for (int i = 0; i < p->n_phases; i++)
        if (p->phases[i].weeks.lo <= p->phases[i].weeks.hi)
            order[n++] = i;
    qsort_r(order, (size_t)n, sizeof *order, cmp_phase_start, p->phases);
    int last = -1; /* the phase reaching furthest so far */
    for (int i = 0; i < n; i++) {
        const cb_phase *ph = &p->phases[order[i]];
        if (last >= 0 && ph->weeks.lo <= p->phases[last].weeks.hi) {
            const cb_phase *q = &p->phases[last];
            plan_error(b, b->phase_weeks_pos[order[i]],
                       "phase '%s' (weeks %d-%d) overlaps phase '%s' (weeks %d-%d)", ph->id,
                       ph->weeks.lo, ph->weeks.hi, q->id, q->weeks.lo, q->weeks.hi);
        }
        if (last < 0 || ph->weeks.hi > p->phases[last].weeks.hi)
            last = order[i];
    }
    free(order);
}

/* The per-week table: phase, theme, activities of every entry covering the
 * week, and the week's slice of the (week-sorted) milestones. */
static void build_weeks(struct plan_build *b)
{
    cb_plan *p = b->p;
    int nw = p->n_weeks;
    if (nw <= 0)
        return;
    p->weeks = arena_alloc(b->a, (size_t)nw * sizeof *p->weeks);
    p->n_weeks_defined = nw;
    bool *phased = arena_alloc(b->a, (size_t)nw + 1),
         *entered = arena_alloc(b->a, (size_t)nw + 1);
    int *single = arena_alloc(b->a, ((size_t)nw + 1) * sizeof *single);
    for (int w = 1; w <= nw; w++) {
        cb_week *wk = &p->weeks[w - 1];
        wk->number = w;
        wk->phase = -1;
        single[w] = -1;
        for (int i = 0; i < p->n_phases && wk->phase < 0; i++)
            if (w >= p->phases[i].weeks.lo && w <= p->phases[i].weeks.hi)
                wk->phase = i;
        phased[w] = wk->phase >= 0;
    }
    for (int i = 0; i < b->n_entries; i++) {
        const struct week_entry *e = &b->entries[i];
        for (int w = e->weeks.lo < 1 ? 1 : e->weeks.lo; w <= e->weeks.hi && w <= nw; w++) {
            cb_week *wk = &p->weeks[w - 1];
            entered[w] = true;
            wk->activities.n += e->activities.n;
            if (e->range) {
                if (!wk->theme)
                    wk->theme = e->theme;
                continue;
            }
            if (single[w] >= 0) {
                plan_error(b, e->week_pos, "week %d has two entries (first at line %d)", w,
                           b->entries[single[w]].pos.line);
                continue;
            }
            single[w] = i;
            if (e->theme)
                wk->theme = e->theme;
        }
    }
    /* Range entries repeat their activities in every week they cover: bound
     * the copies so a small hostile file cannot claim a lot of memory. */
    long total = 0;
    for (int w = 1; w <= nw; w++)
        total += p->weeks[w - 1].activities.n;
    for (int w = 1; w <= nw; w++) {
        cb_week *wk = &p->weeks[w - 1];
        wk->activities.v = total > MAX_ACTIVITIES
                               ? NULL
                               : arena_alloc(b->a, (size_t)wk->activities.n * sizeof(char *));
        wk->activities.n = 0;
    }
    if (total > MAX_ACTIVITIES)
        plan_error(b, b->weeks_node->pos, "more than %d activities over all weeks",
                   MAX_ACTIVITIES);
    for (int i = 0; i < b->n_entries && total <= MAX_ACTIVITIES; i++) {
        const struct week_entry *e = &b->entries[i];
        for (int w = e->weeks.lo < 1 ? 1 : e->weeks.lo; w <= e->weeks.hi && w <= nw; w++) {
            cb_strv *a = &p->weeks[w - 1].activities;
            for (int j = 0; j < e->activities.n; j++)
                a->v[a->n++] = e->activities.v[j];
        }
    }
    for (int m = 0, w = 1; w <= nw; w++) {
        while (m < p->n_milestones && p->milestones[m].week < w)
            m++;
        p->weeks[w - 1].first_milestone = m;
        while (m < p->n_milestones && p->milestones[m].week == w)
            m++;
        p->weeks[w - 1].n_milestones = m - p->weeks[w - 1].first_milestone;
    }
    if (b->phases_node && p->n_phases > 0)
        report_gaps(b, phased, b->phases_node->pos, "in no phase");
    if (b->weeks_node)
        report_gaps(b, entered, b->weeks_node->pos, "missing from 'weeks'");
}

void plan_check_all(struct plan_build *b)
{
    build_index(b);
    resolve_refs(b);
    check_mentors(b);
    check_weights(b);
    check_pods(b);
    check_phases(b);
    build_weeks(b);
    free(b->refs);
    b->refs = NULL;
    b->n_refs = 0;
}

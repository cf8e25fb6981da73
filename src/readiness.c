/* readiness.c — weak links, projected scores, the "ready to book" gate and
 * pacing, computed from (plan, snapshot, today). Pure: no I/O, no curses.
 *
 * Everything returned lives in the caller's arena. The methods (weights,
 * projection, margin, pacing rules) are documented in docs/readiness.md; the
 * unit tests in tests/unit/test_readiness.c pin them on hand-computed cases. */
#include "certboard/readiness.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MS_PER_DAY 86400000LL

double readiness_weight(const cb_domain *d)
{
    return (d->weight_lo + d->weight_hi) / 2.0;
}

int readiness_due_week(const cb_plan *p, int item, int member)
{
    int due = p->items[item].due_week, joined = p->members[member].joined_week;
    return joined > due ? joined : due;
}

cb_day readiness_event_day(const cb_event *e)
{
    int64_t ms = e->wall_ms;
    int64_t d = ms >= 0 ? ms / MS_PER_DAY : -((-ms + MS_PER_DAY - 1) / MS_PER_DAY);
    return (cb_day)d;
}

/* ---- id lookup (sorted copies of the plan's ids, for tick keys) ---------- */

typedef struct id_ref {
    const char *id;
    int index;
} id_ref;

static int cmp_id_ref(const void *a, const void *b)
{
    return strcmp(((const id_ref *)a)->id, ((const id_ref *)b)->id);
}

static id_ref *sorted_ids(cb_arena *arena, int n, const char *(*id_of)(const cb_plan *, int),
                          const cb_plan *p)
{
    id_ref *v = arena_alloc(arena, (size_t)(n > 0 ? n : 1) * sizeof *v);
    for (int i = 0; i < n; i++)
        v[i] = (id_ref){id_of(p, i), i};
    qsort(v, (size_t)n, sizeof *v, cmp_id_ref);
    return v;
}

static const char *item_id(const cb_plan *p, int i)
{
    return p->items[i].id;
}
static const char *member_id(const cb_plan *p, int i)
{
    return p->members[i].id;
}

static int lookup(const id_ref *v, int n, const char *s, size_t len)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int c = strncmp(v[mid].id, s, len);
        if (c == 0 && v[mid].id[len] != '\0')
            c = 1;
        if (c == 0)
            return v[mid].index;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

/* ---- attempts --------------------------------------------------------- */

static int cmp_attempt(const void *a, const void *b)
{
    const cb_attempt *x = a, *y = b;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* Live attempts of the snapshot dated up to today, by date; bad ones counted. */
static cb_attempt *load_attempts(const cb_plan *p, const cb_snapshot *snap, cb_day today,
                                 cb_arena *arena, int *n_out, int *n_bad)
{
    size_t cap = 0, klen = strlen(CB_KEY_EXAM);
    for (size_t i = 0; snap && i < snap->n_current; i++)
        if (strncmp(snap->current[i]->key, CB_KEY_EXAM, klen) == 0)
            cap++;
    cb_attempt *v = arena_alloc(arena, (cap ? cap : 1) * sizeof *v);
    int n = 0;
    for (size_t i = 0; snap && i < snap->n_current; i++) {
        const cb_event *e = snap->current[i];
        if (strncmp(e->key, CB_KEY_EXAM, klen) != 0 || !e->value || !*e->value)
            continue;
        char err[160];
        if (attempt_parse(p, e->key + klen, e->value, &v[n], arena, err, sizeof err) != 0) {
            (*n_bad)++;
            continue;
        }
        if (v[n].date <= today)
            n++;
    }
    qsort(v, (size_t)n, sizeof *v, cmp_attempt);
    *n_out = n;
    return v;
}

/* ---- weak links -------------------------------------------------------- */

static const cb_plan *sort_plan; /* qsort has no context argument in C11 */

static int cmp_link(const void *a, const void *b)
{
    const cb_weak_link *x = a, *y = b;
    if ((x->asked > 0) != (y->asked > 0))
        return x->asked > 0 ? -1 : 1;
    if (x->asked > 0) {
        if (x->weighted != y->weighted)
            return x->weighted > y->weighted ? -1 : 1;
        if (x->miss_rate != y->miss_rate)
            return x->miss_rate > y->miss_rate ? -1 : 1;
    }
    double wx = readiness_weight(&sort_plan->domains[x->domain]);
    double wy = readiness_weight(&sort_plan->domains[y->domain]);
    if (wx != wy)
        return wx > wy ? -1 : 1;
    return x->domain - y->domain;
}

/* Ranks every domain over the given attempts (by date): plan->n_domains links. */
static cb_weak_link *rank_links(const cb_plan *p, const cb_attempt *const *atts, int n,
                                cb_arena *arena)
{
    int nd = p->n_domains;
    cb_weak_link *v = arena_alloc(arena, (size_t)(nd > 0 ? nd : 1) * sizeof *v);
    for (int d = 0; d < nd; d++) {
        cb_weak_link *l = &v[d];
        l->domain = d;
        double first = -1, last = -1;
        for (int k = 0; k < n; k++) {
            const cb_attempt *a = atts[k];
            if (!a->per_domain || a->asked[d] == 0)
                continue;
            double rate = (double)a->right[d] / a->asked[d];
            if (first < 0)
                first = rate;
            last = rate;
            l->asked += a->asked[d];
            l->right += a->right[d];
        }
        if (l->asked > 0) {
            l->miss_rate = 1.0 - (double)l->right / l->asked;
            l->weighted = l->miss_rate * readiness_weight(&p->domains[d]);
            l->trend = last - first;
        } else {
            l->miss_rate = l->weighted = -1;
        }
    }
    sort_plan = p;
    qsort(v, (size_t)nd, sizeof *v, cmp_link);
    return v;
}

/* ---- projected score and gate --------------------------------------- */

static double adjusted(int right, int asked)
{
    return (right + 1.0) / (asked + 2.0);
}

static void project(const cb_plan *p, cb_member_readiness *m, cb_arena *arena)
{
    int nd = p->n_domains, right = 0, asked = 0;
    int *dr = arena_alloc(arena, (size_t)(nd > 0 ? nd : 1) * sizeof *dr);
    int *da = arena_alloc(arena, (size_t)(nd > 0 ? nd : 1) * sizeof *da);
    bool any_domain = false;
    for (int k = 0; k < m->n_attempts; k++) {
        const cb_attempt *a = m->attempts[k];
        right += a->total_right;
        asked += a->total_asked;
        for (int d = 0; a->per_domain && d < nd; d++) {
            dr[d] += a->right[d];
            da[d] += a->asked[d];
            any_domain |= a->asked[d] > 0;
        }
    }
    m->domain_rate = arena_alloc(arena, (size_t)(nd > 0 ? nd : 1) * sizeof *m->domain_rate);
    for (int d = 0; d < nd; d++)
        m->domain_rate[d] = da[d] > 0 ? (double)dr[d] / da[d] : -1;
    if (asked == 0) {
        m->projected = -1;
        m->margin = 0;
        m->confidence = "none";
        return;
    }
    double overall = (double)right / asked, q = adjusted(right, asked);
    if (!any_domain) {
        m->projected = 100.0 * overall;
        m->margin = 100.0 * sqrt(q * (1 - q) / asked);
    } else {
        double wsum = 0;
        for (int d = 0; d < nd; d++)
            wsum += readiness_weight(&p->domains[d]);
        double score = 0, var = 0;
        for (int d = 0; d < nd; d++) {
            double w = wsum > 0 ? readiness_weight(&p->domains[d]) / wsum : 1.0 / nd;
            if (da[d] > 0) {
                double qd = adjusted(dr[d], da[d]);
                score += w * m->domain_rate[d];
                var += w * w * qd * (1 - qd) / da[d];
            } else { /* never asked: the overall rate, as if from one question */
                score += w * overall;
                var += w * w * q * (1 - q);
            }
        }
        m->projected = 100.0 * score;
        m->margin = 100.0 * sqrt(var);
    }
    int exam_q = p->exam.questions > 0 ? p->exam.questions : 60;
    m->confidence = asked < exam_q ? "low" : asked < 3 * exam_q ? "medium" : "high";
}

static void gate(const cb_plan *p, cb_member_readiness *m, cb_arena *arena)
{
    double min_projected =
        p->gate.min_projected > 0 ? p->gate.min_projected : p->exam.passing_score;
    int min_attempts = p->gate.min_attempts > 0 ? p->gate.min_attempts : 1;
    double floor = p->gate.domain_floor;
    const char *why = "";
    if (m->n_attempts < min_attempts)
        why = m->n_attempts == 0 ? arena_strdup(arena, "no practice exam yet")
                                 : arena_printf(arena, "%d of %d practice exams taken",
                                                m->n_attempts, min_attempts);
    else if (m->projected < min_projected)
        why = arena_printf(arena, "projected %.1f%% is below %.0f%%", m->projected,
                           min_projected);
    if (floor > 0 && m->n_attempts > 0) {
        const char *low = "", *never = "";
        for (int d = 0; d < p->n_domains; d++) {
            double r = m->domain_rate[d];
            if (r < 0)
                never =
                    arena_printf(arena, "%s%s%s", never, *never ? ", " : "", p->domains[d].id);
            else if (100.0 * r < floor)
                low = arena_printf(arena, "%s%s%s %.0f%%", low, *low ? ", " : "",
                                   p->domains[d].id, 100.0 * r);
        }
        if (*low)
            why = arena_printf(arena, "%s%sbelow the %.0f%% floor: %s", why, *why ? "; " : "",
                               floor, low);
        if (*never)
            why = arena_printf(arena, "%s%snever practised: %s", why, *why ? "; " : "", never);
    }
    m->ready = !*why;
    m->gate_reason = *why ? why : NULL;
}

/* ---- pacing ------------------------------------------------------------ */

typedef struct pace_in {
    int total, done;
    cb_day from; /* first day counted for the actual pace */
} pace_in;

static void pace(const cb_plan *p, pace_in in, cb_day today, double *needed, double *actual,
                 cb_day *finish)
{
    int remaining = in.total - in.done;
    int days_left = plan_exam_day(p) - today + 1;
    *needed = remaining <= 0 ? 0 : remaining / ((days_left > 1 ? days_left : 1) / 7.0);
    int elapsed = today - in.from + 1;
    *actual = elapsed > 0 ? in.done / (elapsed / 7.0) : 0;
    /* At the actual pace the rest takes remaining x elapsed / done days
     * (rounded up), computed in integers so the date never wobbles. */
    if (remaining <= 0)
        *finish = in.total > 0 ? today : 0;
    else if (in.done > 0 && elapsed > 0)
        *finish = today + (cb_day)(((long long)remaining * elapsed + in.done - 1) / in.done);
    else
        *finish = 0;
}

/* Cumulative points from per-week counts (index 0..n_weeks). */
static cb_burnup_point *burnup_points(const cb_plan *p, const int *planned, const int *done,
                                      int week, cb_arena *arena)
{
    int nw = p->n_weeks;
    cb_burnup_point *v = arena_alloc(arena, (size_t)(nw > 0 ? nw : 1) * sizeof *v);
    int cp = planned[0], cd = done[0];
    for (int w = 1; w <= nw; w++) {
        cp += planned[w];
        cd += done[w];
        v[w - 1] = (cb_burnup_point){w, cp, w <= week ? cd : -1};
    }
    return v;
}

/* Clamps a week number into 0..n_weeks for the histograms. */
static int clamp_week(const cb_plan *p, int w)
{
    return w < 0 ? 0 : w > p->n_weeks ? p->n_weeks : w;
}

typedef struct tick_tables {
    unsigned char *done; /* [item * n_members + member] */
    cb_day *day;         /* the tick's day (clamped to today) */
} tick_tables;

static tick_tables read_ticks(const cb_plan *p, const cb_snapshot *snap, cb_day today,
                              cb_arena *arena)
{
    size_t cells = (size_t)(p->n_items > 0 ? p->n_items : 1) *
                   (size_t)(p->n_members > 0 ? p->n_members : 1);
    tick_tables t = {arena_alloc(arena, cells), arena_alloc(arena, cells * sizeof(cb_day))};
    id_ref *items = sorted_ids(arena, p->n_items, item_id, p);
    id_ref *members = sorted_ids(arena, p->n_members, member_id, p);
    size_t klen = strlen(CB_KEY_TICK);
    for (size_t i = 0; snap && i < snap->n_current; i++) {
        const cb_event *e = snap->current[i];
        if (strncmp(e->key, CB_KEY_TICK, klen) != 0 || !e->value || !*e->value)
            continue;
        const char *item = e->key + klen, *slash = strchr(item, '/');
        if (!slash)
            continue;
        int it = lookup(items, p->n_items, item, (size_t)(slash - item));
        int m = lookup(members, p->n_members, slash + 1, strlen(slash + 1));
        if (it < 0 || m < 0)
            continue; /* state for ids the plan no longer has: `validate --store` */
        size_t c = (size_t)it * (size_t)p->n_members + (size_t)m;
        cb_day d = readiness_event_day(e);
        t.done[c] = 1;
        t.day[c] = d < today ? d : today;
    }
    return t;
}

static void pacing(const cb_plan *p, const cb_snapshot *snap, cb_readiness *r, cb_arena *arena)
{
    int nm = p->n_members, nw = p->n_weeks, week = r->week;
    int due_limit = week > nw ? nw : week;
    tick_tables t = read_ticks(p, snap, r->today, arena);
    r->done = t.done;
    bool *covers = arena_alloc(arena, (size_t)(p->n_checklists > 0 ? p->n_checklists : 1) *
                                          (size_t)(nm > 0 ? nm : 1));
    for (int c = 0; c < p->n_checklists; c++)
        for (int m = 0; m < nm; m++)
            covers[(size_t)c * nm + m] = plan_owner_covers(p, p->checklists[c].owner, m);
    size_t hist = (size_t)(nw + 1) * (size_t)(nm > 0 ? nm : 1);
    int *planned = arena_alloc(arena, hist * sizeof *planned);
    int *done = arena_alloc(arena, hist * sizeof *done);
    int *due_of = arena_alloc(arena, (size_t)(p->n_items > 0 ? p->n_items : 1) *
                                         (size_t)(nm > 0 ? nm : 1) * sizeof *due_of);
    r->due = due_of;
    for (int i = 0; i < p->n_items; i++) {
        int c = p->items[i].checklist;
        for (int m = 0; m < nm; m++) {
            if (c < 0 || c >= p->n_checklists || !covers[(size_t)c * nm + m])
                continue;
            cb_member_readiness *mr = &r->members[m];
            int due = readiness_due_week(p, i, m);
            size_t cell = (size_t)i * nm + m;
            bool ok = t.done[cell];
            due_of[cell] = due;
            mr->items_total++;
            mr->items_done += ok;
            planned[(size_t)m * (nw + 1) + clamp_week(p, due)]++;
            if (ok)
                done[(size_t)m * (nw + 1) + clamp_week(p, plan_week_of_day(p, t.day[cell]))]++;
            if (due <= due_limit) {
                mr->items_due++;
                mr->items_done_due += ok;
                if (due < week && !ok)
                    mr->overdue++;
            }
        }
    }
    int *team_planned = arena_alloc(arena, (size_t)(nw + 1) * sizeof *team_planned);
    int *team_done = arena_alloc(arena, (size_t)(nw + 1) * sizeof *team_done);
    r->member_burnup = arena_alloc(arena, (size_t)(nm > 0 ? nm : 1) * sizeof *r->member_burnup);
    for (int m = 0; m < nm; m++) {
        cb_member_readiness *mr = &r->members[m];
        const int *mp = planned + (size_t)m * (nw + 1), *md = done + (size_t)m * (nw + 1);
        for (int w = 0; w <= nw; w++) {
            team_planned[w] += mp[w];
            team_done[w] += md[w];
        }
        r->member_burnup[m] = burnup_points(p, mp, md, week, arena);
        mr->behind = mr->overdue > 0;
        int joined = p->members[m].joined_week > 1 ? p->members[m].joined_week : 1;
        pace_in in = {mr->items_total, mr->items_done, plan_week_start(p, joined)};
        pace(p, in, r->today, &mr->pace_needed, &mr->pace_actual, &mr->projected_finish);
        r->team_items_total += mr->items_total;
        r->team_items_due += mr->items_due;
        r->team_items_done += mr->items_done;
    }
    r->burnup = burnup_points(p, team_planned, team_done, week, arena);
    pace_in in = {r->team_items_total, r->team_items_done, p->start};
    pace(p, in, r->today, &r->team_pace_needed, &r->team_pace_actual,
         &r->team_projected_finish);
}

/* ---- the whole picture ------------------------------------------------- */

static double pod_rate(const cb_plan *p, const cb_pod *pod, const cb_weak_link *team, int nd)
{
    double num = 0, den = 0;
    for (int k = 0; k < pod->n_domains; k++)
        for (int j = 0; j < nd; j++)
            if (team[j].domain == pod->domains[k] && team[j].asked > 0) {
                double w = readiness_weight(&p->domains[team[j].domain]);
                num += w * team[j].miss_rate;
                den += w;
            }
    return den > 0 ? num / den : -1;
}

cb_readiness *readiness_build(const cb_plan *p, const cb_snapshot *snap, cb_day today,
                              cb_arena *arena)
{
    cb_readiness *r = arena_alloc(arena, sizeof *r);
    int nm = p->n_members, nd = p->n_domains;
    r->today = today;
    r->week = plan_week_of_day(p, today);
    r->exam_day = plan_exam_day(p);
    r->days_to_exam = r->exam_day - today;
    cb_attempt *atts = load_attempts(p, snap, today, arena, &r->n_attempts, &r->n_bad_attempts);
    r->attempts = atts;

    const cb_attempt **all = arena_alloc(arena, (size_t)(r->n_attempts + 1) * sizeof *all);
    for (int k = 0; k < r->n_attempts; k++)
        all[k] = &atts[k];
    r->team_hit_list = rank_links(p, all, r->n_attempts, arena);
    r->n_team_hit_list = nd;

    r->members = arena_alloc(arena, (size_t)(nm > 0 ? nm : 1) * sizeof *r->members);
    for (int m = 0; m < nm; m++) {
        cb_member_readiness *mr = &r->members[m];
        mr->member = m;
        mr->attempts = arena_alloc(arena, (size_t)(r->n_attempts + 1) * sizeof *mr->attempts);
        for (int k = 0; k < r->n_attempts; k++)
            if (atts[k].member == m)
                mr->attempts[mr->n_attempts++] = &atts[k];
        mr->hit_list = rank_links(p, mr->attempts, mr->n_attempts, arena);
        mr->n_hit_list = nd;
        project(p, mr, arena);
        gate(p, mr, arena);
    }

    r->pod_miss_rate = arena_alloc(arena, (size_t)(p->n_pods + 1) * sizeof *r->pod_miss_rate);
    r->pod_hit_list = arena_alloc(arena, (size_t)(p->n_pods + 1) * sizeof *r->pod_hit_list);
    r->n_pod_hit_list = arena_alloc(arena, (size_t)(p->n_pods + 1) * sizeof *r->n_pod_hit_list);
    const cb_attempt **sub = arena_alloc(arena, (size_t)(r->n_attempts + 1) * sizeof *sub);
    for (int k = 0; k < p->n_pods; k++) {
        const cb_pod *pod = &p->pods[k];
        r->pod_miss_rate[k] = pod_rate(p, pod, r->team_hit_list, nd);
        int n = 0;
        for (int a = 0; a < r->n_attempts; a++)
            for (int j = 0; j < pod->n_members; j++)
                if (pod->members[j] == atts[a].member) {
                    sub[n++] = &atts[a];
                    break;
                }
        r->pod_hit_list[k] = rank_links(p, sub, n, arena);
        r->n_pod_hit_list[k] = nd;
    }
    pacing(p, snap, r, arena);
    return r;
}

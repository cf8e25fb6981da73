/* readiness.c — weak links, projected scores, the "ready to book" gate and
 * pacing, computed from the team's state (state.h). Pure: no I/O, no curses.
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

double readiness_weight(const cb_domain *d)
{
    return (d->weight_lo + d->weight_hi) / 2.0;
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

/* What one computation covers: the whole plan, or one exam of a roadmap (its
 * slice of domains, its format and its gate). */
typedef struct scope {
    int d0, nd; /* domains d0 .. d0 + nd - 1 */
    const cb_exam_info *exam;
    const cb_gate *gate;
} scope;

static scope whole_plan(const cb_plan *p)
{
    return (scope){0, p->n_domains, &p->exam, &p->gate};
}

/* Ranks the scope's domains over the given attempts (by date): sc.nd links.
 * The trend compares like with like: each member's latest rate on the domain
 * minus their own first, averaged over the members with two such attempts. */
static cb_weak_link *rank_links(const cb_plan *p, scope sc, const cb_attempt *const *atts,
                                int n, cb_arena *arena)
{
    int nd = sc.nd, nm = p->n_members > 0 ? p->n_members : 1;
    cb_weak_link *v = arena_alloc(arena, (size_t)(nd > 0 ? nd : 1) * sizeof *v);
    double *first = arena_alloc(arena, (size_t)nm * sizeof *first);
    double *last = arena_alloc(arena, (size_t)nm * sizeof *last);
    int *seen = arena_alloc(arena, (size_t)nm * sizeof *seen);
    for (int k = 0; k < nd; k++) {
        int d = sc.d0 + k;
        cb_weak_link *l = &v[k];
        l->domain = d;
        memset(seen, 0, (size_t)nm * sizeof *seen);
        for (int k = 0; k < n; k++) {
            const cb_attempt *a = atts[k];
            if (!a->per_domain || a->asked[d] == 0)
                continue;
            double rate = (double)a->right[d] / a->asked[d];
            if (!seen[a->member]++)
                first[a->member] = rate;
            last[a->member] = rate;
            l->asked += a->asked[d];
            l->right += a->right[d];
        }
        if (l->asked > 0) {
            l->miss_rate = 1.0 - (double)l->right / l->asked;
            l->weighted = l->miss_rate * readiness_weight(&p->domains[d]);
            int members = 0;
            for (int m = 0; m < nm; m++)
                if (seen[m] >= 2) {
                    l->trend += last[m] - first[m];
                    members++;
                }
            l->trend = members ? l->trend / members : 0;
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

static void project(const cb_plan *p, scope sc, cb_member_readiness *m, cb_arena *arena)
{
    int nd = p->n_domains, right = 0, asked = 0, d1 = sc.d0 + sc.nd;
    int *dr = arena_alloc(arena, (size_t)(nd > 0 ? nd : 1) * sizeof *dr);
    int *da = arena_alloc(arena, (size_t)(nd > 0 ? nd : 1) * sizeof *da);
    bool any_domain = false;
    for (int k = 0; k < m->n_attempts; k++) {
        const cb_attempt *a = m->attempts[k];
        right += a->total_right;
        asked += a->total_asked;
        for (int d = sc.d0; a->per_domain && d < d1; d++) {
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
        for (int d = sc.d0; d < d1; d++)
            wsum += readiness_weight(&p->domains[d]);
        double score = 0, var = 0;
        for (int d = sc.d0; d < d1; d++) {
            double w = wsum > 0 ? readiness_weight(&p->domains[d]) / wsum : 1.0 / sc.nd;
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
    int exam_q = sc.exam->questions > 0 ? sc.exam->questions : 60;
    m->confidence = asked < exam_q ? "low" : asked < 3 * exam_q ? "medium" : "high";
}

static void gate(const cb_plan *p, scope sc, cb_member_readiness *m, cb_arena *arena)
{
    double min_projected =
        sc.gate->min_projected > 0 ? sc.gate->min_projected : sc.exam->passing_score;
    int min_attempts = sc.gate->min_attempts > 0 ? sc.gate->min_attempts : 1;
    double floor = sc.gate->domain_floor;
    const char *why = "";
    if (m->n_attempts < min_attempts)
        why = m->n_attempts == 0 ? arena_strdup(arena, "no practice exam yet")
                                 : arena_printf(arena, "%d of %d practice exams taken",
                                                m->n_attempts, min_attempts);
    /* the rule reads the figure every view shows (one decimal): 74.96 shows
     * and counts as 75.0, never "75.0% is below 75%" */
    else if (round(m->projected * 10) / 10 < min_projected)
        why = arena_printf(arena, "projected %.1f%% is below %.0f%%", m->projected,
                           min_projected);
    if (floor > 0 && m->n_attempts > 0) {
        const char *low = "", *never = "";
        for (int d = sc.d0; d < sc.d0 + sc.nd; d++) {
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

static void pacing(const cb_state *st, cb_readiness *r, cb_arena *arena)
{
    const cb_plan *p = st->plan;
    int nm = p->n_members, nw = p->n_weeks, week = st->week;
    size_t hist = (size_t)(nw + 1) * (size_t)(nm > 0 ? nm : 1);
    int *planned = arena_alloc(arena, hist * sizeof *planned);
    int *done = arena_alloc(arena, hist * sizeof *done);
    for (int i = 0; i < p->n_items; i++)
        for (int m = 0; m < nm; m++) {
            size_t cell = (size_t)i * nm + m;
            if (st->cell[cell] == CELL_NONE)
                continue;
            planned[(size_t)m * (nw + 1) + clamp_week(p, st->due[cell])]++;
            if (st->cell[cell] == CELL_DONE)
                done[(size_t)m * (nw + 1) +
                     clamp_week(p, plan_week_of_day(p, st->done_day[cell]))]++;
        }
    int *team_planned = arena_alloc(arena, (size_t)(nw + 1) * sizeof *team_planned);
    int *team_done = arena_alloc(arena, (size_t)(nw + 1) * sizeof *team_done);
    r->member_burnup = arena_alloc(arena, (size_t)(nm > 0 ? nm : 1) * sizeof *r->member_burnup);
    for (int m = 0; m < nm; m++) {
        cb_member_readiness *mr = &r->members[m];
        const cb_member_state *ms = &st->members[m];
        const int *mp = planned + (size_t)m * (nw + 1), *md = done + (size_t)m * (nw + 1);
        for (int w = 0; w <= nw; w++) {
            team_planned[w] += mp[w];
            team_done[w] += md[w];
        }
        r->member_burnup[m] = burnup_points(p, mp, md, week, arena);
        int joined = p->members[m].joined_week > 1 ? p->members[m].joined_week : 1;
        pace_in in = {ms->total, ms->done, plan_week_start(p, joined)};
        pace(p, in, st->today, &mr->pace_needed, &mr->pace_actual, &mr->projected_finish);
    }
    r->burnup = burnup_points(p, team_planned, team_done, week, arena);
    pace_in in = {st->team_total, st->team_done, p->start};
    pace(p, in, st->today, &r->team_pace_needed, &r->team_pace_actual,
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

/* Readiness per exam: each exam over the attempts practising it, its domains,
 * format and gate. One exam covers the whole plan: it shares the results. */
static void per_exam(const cb_plan *p, cb_readiness *r, const cb_attempt **all, cb_arena *arena)
{
    int nm = p->n_members;
    r->n_exams = p->n_exams;
    r->exams = arena_alloc(arena, (size_t)(p->n_exams + 1) * sizeof *r->exams);
    for (int e = 0; e < p->n_exams; e++) {
        cb_exam_readiness *er = &r->exams[e];
        const cb_exam *ex = &p->exams[e];
        er->exam = e;
        if (p->n_exams == 1) {
            er->members = r->members;
            er->team_hit_list = r->team_hit_list;
            er->n_team_hit_list = r->n_team_hit_list;
            er->n_attempts = r->n_attempts;
            continue;
        }
        scope sc = {ex->first_domain, ex->n_domains, &ex->info, &ex->gate};
        const cb_attempt **mine =
            arena_alloc(arena, (size_t)(r->n_attempts + 1) * sizeof *mine);
        for (int k = 0; k < r->n_attempts; k++)
            if (all[k]->exam == e)
                mine[er->n_attempts++] = all[k];
        er->team_hit_list = rank_links(p, sc, mine, er->n_attempts, arena);
        er->n_team_hit_list = ex->n_domains;
        er->members = arena_alloc(arena, (size_t)(nm > 0 ? nm : 1) * sizeof *er->members);
        for (int m = 0; m < nm; m++) {
            cb_member_readiness *mr = &er->members[m];
            mr->member = m;
            mr->attempts =
                arena_alloc(arena, (size_t)(er->n_attempts + 1) * sizeof *mr->attempts);
            for (int k = 0; k < er->n_attempts; k++)
                if (mine[k]->member == m)
                    mr->attempts[mr->n_attempts++] = mine[k];
            mr->hit_list = rank_links(p, sc, mr->attempts, mr->n_attempts, arena);
            mr->n_hit_list = ex->n_domains;
            project(p, sc, mr, arena);
            gate(p, sc, mr, arena);
            /* pacing is plan-wide: the same for every exam */
            mr->pace_needed = r->members[m].pace_needed;
            mr->pace_actual = r->members[m].pace_actual;
            mr->projected_finish = r->members[m].projected_finish;
        }
    }
}

cb_readiness *readiness_build(const cb_state *st, cb_arena *arena)
{
    const cb_plan *p = st->plan;
    cb_readiness *r = arena_alloc(arena, sizeof *r);
    int nm = p->n_members, nd = p->n_domains;
    r->st = st;
    const cb_attempt *atts = st->attempts;
    r->attempts = atts;
    r->n_attempts = st->n_attempts_to_date;

    const cb_attempt **all = arena_alloc(arena, (size_t)(r->n_attempts + 1) * sizeof *all);
    for (int k = 0; k < r->n_attempts; k++)
        all[k] = &atts[k];
    r->team_hit_list = rank_links(p, whole_plan(p), all, r->n_attempts, arena);
    r->n_team_hit_list = nd;

    r->members = arena_alloc(arena, (size_t)(nm > 0 ? nm : 1) * sizeof *r->members);
    for (int m = 0; m < nm; m++) {
        cb_member_readiness *mr = &r->members[m];
        mr->member = m;
        mr->attempts = arena_alloc(arena, (size_t)(r->n_attempts + 1) * sizeof *mr->attempts);
        for (int k = 0; k < r->n_attempts; k++)
            if (atts[k].member == m)
                mr->attempts[mr->n_attempts++] = &atts[k];
        mr->hit_list = rank_links(p, whole_plan(p), mr->attempts, mr->n_attempts, arena);
        mr->n_hit_list = nd;
        project(p, whole_plan(p), mr, arena);
        gate(p, whole_plan(p), mr, arena);
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
        r->pod_hit_list[k] = rank_links(p, whole_plan(p), sub, n, arena);
        r->n_pod_hit_list[k] = nd;
    }
    pacing(st, r, arena);
    per_exam(p, r, all, arena);
    return r;
}

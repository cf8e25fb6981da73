/* board.c — view models of the dashboard (see board.h): the rows of each pane
 * over the team's state. Pure: no I/O, no curses. */
#include "certboard/board.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "certboard/canvas.h"
#include "certboard/text.h"

const char *const board_pane_names[PANE_COUNT] = {"Timeline", "Team",     "Checklists",
                                                  "Domains",  "Stand-up", "My week"};
const char *const board_filter_names[FILTER_COUNT] = {"this week", "overdue", "all"};

int board_pane_parse(const char *s)
{
    static const char *const ids[PANE_COUNT] = {"timeline", "team",    "checklists",
                                                "domains",  "standup", "myweek"};
    for (int i = 0; i < PANE_COUNT; i++) {
        char digit[2] = {(char)('1' + i), '\0'};
        if (strcasecmp(s, ids[i]) == 0 || strcasecmp(s, board_pane_names[i]) == 0 ||
            strcmp(s, digit) == 0)
            return i;
    }
    return -1;
}

void rows_push(cb_rows *r, cb_arena *arena, cb_row row)
{
    if (r->n == r->cap) {
        int cap = r->cap ? r->cap * 2 : 64;
        cb_row *v = arena_alloc(arena, (size_t)cap * sizeof *v);
        if (r->n)
            memcpy(v, r->v, (size_t)r->n * sizeof *v);
        r->v = v;
        r->cap = cap;
    }
    r->v[r->n++] = row;
}

int rows_find(const cb_rows *r, cb_row key)
{
    for (int i = 0; i < r->n; i++)
        if (r->v[i].kind == key.kind && r->v[i].a == key.a && r->v[i].b == key.b &&
            (key.kind != ROW_HEADING && key.kind != ROW_TEXT
                 ? true
                 : (r->v[i].text && key.text && strcmp(r->v[i].text, key.text) == 0)))
            return i;
    return -1;
}

/* ---- computed state ---------------------------------------------------- */

static const char *week_label(cb_board *b)
{
    const cb_plan *p = b->plan;
    const cb_state *st = b->st;
    if (st->week < 1) {
        int days = p->start - st->today;
        return arena_printf(b->arena, "Starts in %d day%s · Week 1 of %d", days,
                            days == 1 ? "" : "s", p->n_weeks);
    }
    if (st->week > p->n_weeks)
        return arena_printf(b->arena, "Plan finished · %d weeks", p->n_weeks);
    if (st->phase < 0)
        return arena_printf(b->arena, "Week %d of %d", st->week, p->n_weeks);
    return arena_printf(b->arena, "Week %d of %d · Phase %d: %s", st->week, p->n_weeks,
                        st->phase + 1, p->phases[st->phase].name);
}

/* ---- rows of each pane ------------------------------------------------- */

#define STANDUP_OVERDUE_SHOWN 3
#define MYWEEK_OVERDUE_SHOWN 5
#define MYWEEK_ATTEMPTS_SHOWN 5

static void push(cb_board *b, int pane, int kind, int indent, int a, int bb, const char *text)
{
    rows_push(
        &b->pane[pane], b->arena,
        (cb_row){
            .kind = (uint8_t)kind, .indent = (uint8_t)indent, .a = a, .b = bb, .text = text});
}

static void heading(cb_board *b, int pane, const char *text)
{
    if (b->pane[pane].n > 0)
        push(b, pane, ROW_BLANK, 0, 0, 0, NULL);
    push(b, pane, ROW_HEADING, 0, 0, 0, text);
}

static void text_row(cb_board *b, int pane, int indent, int style, const char *text)
{
    push(b, pane, ROW_TEXT, indent, style, 0, text);
}

static void timeline_rows(cb_board *b)
{
    const cb_plan *p = b->plan;
    for (int ph = 0; ph < p->n_phases; ph++) {
        if (ph > 0)
            push(b, PANE_TIMELINE, ROW_BLANK, 0, 0, 0, NULL);
        push(b, PANE_TIMELINE, ROW_PHASE, 0, ph, 0, NULL);
        if (p->phases[ph].objective)
            text_row(b, PANE_TIMELINE, 2, CS_DIM, p->phases[ph].objective);
        for (int w = p->phases[ph].weeks.lo;
             w <= p->phases[ph].weeks.hi && w <= p->n_weeks_defined; w++) {
            const cb_week *wk = &p->weeks[w - 1];
            push(b, PANE_TIMELINE, ROW_WEEK, 1, w, 0, NULL);
            for (int k = 0; k < wk->activities.n; k++)
                push(b, PANE_TIMELINE, ROW_ACTIVITY, 4, w, k, NULL);
            for (int k = 0; k < wk->n_milestones; k++)
                push(b, PANE_TIMELINE, ROW_MILESTONE, 4, wk->first_milestone + k, 0, NULL);
            for (int e = 0; p->n_exams > 1 && e < p->n_exams; e++) /* a roadmap's exams */
                if (p->exams[e].week == w) {
                    char day[11];
                    date_format(plan_exam_day_of(p, e), day);
                    text_row(b, PANE_TIMELINE, 4, CS_CURRENT,
                             arena_printf(b->arena, "exam: %s on %s", p->exams[e].name, day));
                }
        }
    }
}

static const char *const weekday_names[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

/* The plan itself: exam, gate, description, and its schedule of sessions. */
static void plan_rows(cb_board *b)
{
    const cb_plan *p = b->plan;
    char day[11], tmp[64];
    date_format(plan_exam_day(p), day);
    heading(b, PANE_TEAM, "The plan");
    if (p->certification)
        text_row(b, PANE_TEAM, 2, CS_NORMAL, p->certification);
    for (int e = 0; e < (p->n_exams > 1 ? p->n_exams : 1); e++) {
        /* a roadmap: each exam, its week, format and gate */
        const cb_exam_info *x = p->n_exams > 1 ? &p->exams[e].info : &p->exam;
        const cb_gate *g = p->n_exams > 1 ? &p->exams[e].gate : &p->gate;
        if (p->n_exams > 1) {
            date_format(plan_exam_day_of(p, e), day);
            text_row(
                b, PANE_TEAM, 2, CS_NORMAL,
                arena_printf(b->arena, "%s · week %d", p->exams[e].name, p->exams[e].week));
        }
        text_row(b, PANE_TEAM, p->n_exams > 1 ? 4 : 2, CS_NORMAL,
                 arena_printf(
                     b->arena,
                     "exam %s · %d scored questions in %d minutes (%.1f min each) · pass %g%%",
                     day, x->questions, x->minutes,
                     x->questions ? (double)x->minutes / x->questions : 0.0, x->passing_score));
        text_row(b, PANE_TEAM, p->n_exams > 1 ? 4 : 2, CS_NORMAL,
                 arena_printf(b->arena,
                              "ready to book: projected score >= %g%%, no domain below %g%%, "
                              "%d practice exam%s",
                              g->min_projected, g->domain_floor, g->min_attempts,
                              g->min_attempts == 1 ? "" : "s"));
    }
    if (p->description)
        text_row(b, PANE_TEAM, 2, CS_DIM, p->description);
    if (p->n_sessions)
        heading(b, PANE_TEAM, "Schedule");
    for (int i = 0; i < p->n_sessions; i++) {
        const cb_session *ss = &p->sessions[i];
        if (ss->weeks.lo == ss->weeks.hi)
            snprintf(tmp, sizeof tmp, "week %d", ss->weeks.lo);
        else
            snprintf(tmp, sizeof tmp, "weeks %d-%d", ss->weeks.lo, ss->weeks.hi);
        text_row(b, PANE_TEAM, 2, CS_NORMAL,
                 arena_printf(b->arena, "%s %02d:%02d · %3d min · %-11s · %s",
                              weekday_names[ss->weekday % 7], ss->start_minute / 60,
                              ss->start_minute % 60, ss->minutes, tmp, ss->title));
    }
}

static void team_rows(cb_board *b)
{
    const cb_plan *p = b->plan;
    heading(b, PANE_TEAM, "Roles by phase");
    push(b, PANE_TEAM, ROW_ROLES_HEAD, 0, 0, 0, NULL);
    for (int m = 0; m < p->n_members; m++)
        push(b, PANE_TEAM, ROW_ROLES, 0, m, 0, NULL);
    if (p->n_pods) {
        heading(b, PANE_TEAM, "Pods");
        for (int i = 0; i < p->n_pods; i++) {
            push(b, PANE_TEAM, ROW_POD, 0, i, 0, NULL);
            if (p->pods[i].focus)
                text_row(b, PANE_TEAM, 4, CS_DIM, p->pods[i].focus);
            for (int k = 0; k < p->pods[i].n_members; k++)
                push(b, PANE_TEAM, ROW_POD_MEMBER, 4, i, p->pods[i].members[k], NULL);
        }
    }
    if (p->n_mentors) {
        heading(b, PANE_TEAM, "Mentor pairs");
        for (int i = 0; i < p->n_mentors; i++)
            push(b, PANE_TEAM, ROW_MENTOR, 2, i, 0, NULL);
    }
    if (p->n_tracks) {
        heading(b, PANE_TEAM, "Tracks");
        for (int t = 0; t < p->n_tracks; t++) {
            const cb_track *tr = &p->tracks[t];
            push(b, PANE_TEAM, ROW_TRACK, 0, t, 0, NULL);
            if (tr->objective)
                text_row(b, PANE_TEAM, 4, CS_NORMAL,
                         arena_printf(b->arena, "Objective: %s", tr->objective));
            for (int k = 0; k < tr->curriculum.n; k++)
                text_row(b, PANE_TEAM, 4, CS_NORMAL,
                         arena_printf(b->arena, "· %s", tr->curriculum.v[k]));
            for (int k = 0; k < tr->resources.n; k++)
                text_row(b, PANE_TEAM, 4, CS_DIM,
                         arena_printf(b->arena, "resource: %s", tr->resources.v[k]));
        }
    }
    heading(b, PANE_TEAM, "Members");
    for (int m = 0; m < p->n_members; m++)
        push(b, PANE_TEAM, ROW_MEMBER, 2, m, 0, NULL);
    plan_rows(b);
}

/* The team library of a domain: the links attached to its items. */
static void library_rows(cb_board *b, int d, int indent)
{
    const cb_plan *p = b->plan;
    for (int i = 0; b->st->n_assets && i < p->n_items; i++)
        for (int m = 0; p->items[i].domain == d && m < p->n_members; m++) {
            const cb_event *e = state_asset(b->st, i, m);
            if (e)
                text_row(b, PANE_DOMAINS, indent, CS_NORMAL,
                         arena_printf(b->arena, "library %s · %s, %s", e->value,
                                      p->items[i].title, p->members[m].id));
        }
}

static int cmp_weight_desc(const cb_plan *p, int a, int c)
{
    double wa = p->domains[a].weight_lo + p->domains[a].weight_hi;
    double wc = p->domains[c].weight_lo + p->domains[c].weight_hi;
    return wa < wc ? 1 : wa > wc ? -1 : a - c;
}

/* The items in due-week order, then plan order: one pass per week would be
 * O(weeks x items); a counting sort keeps it linear. */
static int *items_by_week(const cb_plan *p, cb_arena *arena)
{
    int nw = p->n_weeks + 2;
    int *start = arena_alloc(arena, (size_t)(nw + 1) * sizeof *start);
    int *order = arena_alloc(arena, (size_t)(p->n_items + 1) * sizeof *order);
    for (int i = 0; i < p->n_items; i++) {
        int w = p->items[i].due_week;
        start[(w < 0 ? 0 : w >= nw ? nw - 1 : w) + 1]++;
    }
    for (int w = 0; w < nw; w++)
        start[w + 1] += start[w];
    for (int i = 0; i < p->n_items; i++) {
        int w = p->items[i].due_week;
        order[start[w < 0 ? 0 : w >= nw ? nw - 1 : w]++] = i;
    }
    return order;
}

static void domain_rows(cb_board *b)
{
    const cb_plan *p = b->plan;
    int n = p->n_domains, *by_week = items_by_week(p, b->arena);
    int *order = arena_alloc(b->arena, (size_t)(n + 1) * sizeof *order);
    for (int i = 0; i < n; i++)
        order[i] = i;
    /* insertion sort: a dozen domains; a roadmap's by exam first */
    for (int i = 1; i < n; i++)
        for (int j = i;
             j > 0 &&
             (p->n_exams > 1 && p->domains[order[j - 1]].exam != p->domains[order[j]].exam
                  ? p->domains[order[j - 1]].exam > p->domains[order[j]].exam
                  : cmp_weight_desc(p, order[j - 1], order[j]) > 0);
             j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    /* The summary a pod needs comes first (visible at 80x24 without
     * scrolling): the heatmap and the team hit list; then each domain's
     * resources and items. */
    heading(b, PANE_DOMAINS, "Practice exams: correct rate, domain x member");
    if (b->ready->n_attempts == 0)
        text_row(b, PANE_DOMAINS, 2, CS_DIM,
                 "no practice-exam attempts recorded yet (certboard exam record)");
    push(b, PANE_DOMAINS, ROW_HEAT_HEAD, 0, 0, 0, NULL);
    for (int k = 0; k < n; k++)
        push(b, PANE_DOMAINS, ROW_HEAT, 0, order[k], 0, NULL);
    heading(b, PANE_DOMAINS, "Team hit list (weighted miss rate, worst first)");
    if (b->ready->n_attempts == 0) /* every entry would say "not asked yet" */
        text_row(b, PANE_DOMAINS, 2, CS_DIM, "no domain asked yet");
    else
        for (int i = 0; i < b->ready->n_team_hit_list; i++)
            push(b, PANE_DOMAINS, ROW_HIT, 2, i, 0, NULL);
    if (p->n_exams < 2)
        heading(b, PANE_DOMAINS, "Exam domains by weight");
    for (int k = 0; k < n; k++) {
        int d = order[k];
        const cb_domain *dm = &p->domains[d];
        if (p->n_exams > 1 && (k == 0 || p->domains[order[k - 1]].exam != dm->exam))
            heading(b, PANE_DOMAINS,
                    arena_printf(b->arena, "%s: domains by weight", p->exams[dm->exam].name));
        push(b, PANE_DOMAINS, ROW_DOMAIN, 0, d, 0, NULL);
        static const char *const labels[] = {"docs", "course", "extra"};
        const cb_strv *lists[] = {&dm->resources.docs, &dm->resources.course,
                                  &dm->resources.extra};
        for (int l = 0; l < 3; l++)
            for (int r = 0; r < lists[l]->n; r++)
                text_row(b, PANE_DOMAINS, 4, CS_NORMAL,
                         arena_printf(b->arena, "%-6s %s", labels[l], lists[l]->v[r]));
        for (int k = 0; k < p->n_items; k++) /* by due week */
            if (p->items[by_week[k]].domain == d)
                push(b, PANE_DOMAINS, ROW_DOMAIN_ITEM, 4, by_week[k], 0, NULL);
        library_rows(b, d, 4);
    }
}

const cb_weak_link *board_hit(const cb_board *b, const cb_row *r)
{
    if (r->b > 0)
        return &b->ready->pod_hit_list[r->b - 1][r->a];
    return &b->ready->team_hit_list[r->a];
}

int board_pod_of(const cb_plan *p, int m)
{
    for (int i = 0; m >= 0 && i < p->n_pods; i++)
        for (int k = 0; k < p->pods[i].n_members; k++)
            if (p->pods[i].members[k] == m)
                return i;
    return -1;
}

/* A pod's page: its results per domain and per member, its items, its teach
 * sessions and what it built (the library). */
static void pod_rows(cb_board *b, int pod)
{
    const cb_plan *p = b->plan;
    const cb_pod *pd = &p->pods[pod];
    char pct[16];
    double miss = b->ready->pod_miss_rate ? b->ready->pod_miss_rate[pod] : -1;
    heading(b, PANE_DOMAINS,
            arena_printf(
                b->arena, "Pod view: %s · weighted miss %s · p shows every domain", pd->name,
                miss < 0 ? "--" : (snprintf(pct, sizeof pct, "%.0f%%", miss * 100), pct)));
    if (pd->focus)
        text_row(b, PANE_DOMAINS, 2, CS_DIM, pd->focus);
    heading(b, PANE_DOMAINS, "The pod's domains: its members' practice exams, worst first");
    int shown = 0;
    for (int k = 0; k < b->ready->n_pod_hit_list[pod]; k++)
        if (p->domains[b->ready->pod_hit_list[pod][k].domain].pod == pod) {
            push(b, PANE_DOMAINS, ROW_HIT, 2, k, pod + 1, NULL);
            shown++;
        }
    if (!shown)
        text_row(b, PANE_DOMAINS, 2, CS_DIM, "the pod has no domains");
    heading(b, PANE_DOMAINS, "Per member: correct rate, domain x member");
    push(b, PANE_DOMAINS, ROW_HEAT_HEAD, 0, 0, 0, NULL);
    for (int d = 0; d < p->n_domains; d++)
        if (p->domains[d].pod == pod)
            push(b, PANE_DOMAINS, ROW_HEAT, 0, d, 0, NULL);
    heading(b, PANE_DOMAINS, "The pod's items");
    for (int i = 0; i < p->n_items; i++) {
        const cb_item *it = &p->items[i];
        const cb_checklist *cl = &p->checklists[it->checklist];
        bool ours = (it->domain >= 0 && p->domains[it->domain].pod == pod) ||
                    (cl->owner.kind == CB_OWNER_POD && cl->owner.index == pod);
        if (ours)
            push(b, PANE_DOMAINS, ROW_DOMAIN_ITEM, 2, i, 0, NULL);
    }
    heading(b, PANE_DOMAINS, "Teach sessions");
    int teach = 0;
    for (int i = 0; i < p->n_sessions; i++) {
        const cb_session *ss = &p->sessions[i];
        if (ss->kind != CB_SESSION_TEACH ||
            !(ss->owner.kind == CB_OWNER_POD && ss->owner.index == pod))
            continue;
        text_row(b, PANE_DOMAINS, 2, CS_NORMAL,
                 arena_printf(b->arena, "%s %02d:%02d · %d min · weeks %d-%d · %s",
                              weekday_names[ss->weekday % 7], ss->start_minute / 60,
                              ss->start_minute % 60, ss->minutes, ss->weeks.lo, ss->weeks.hi,
                              ss->title ? ss->title : ""));
        teach++;
    }
    if (!teach)
        text_row(b, PANE_DOMAINS, 2, CS_DIM, "no teach session of this pod in the schedule");
    heading(b, PANE_DOMAINS, "Library: what the pod's domains have (tick ITEM --link URL)");
    int before = b->pane[PANE_DOMAINS].n;
    for (int d = 0; d < p->n_domains; d++)
        if (p->domains[d].pod == pod)
            library_rows(b, d, 2);
    if (b->pane[PANE_DOMAINS].n == before)
        text_row(b, PANE_DOMAINS, 2, CS_DIM, "nothing linked yet");
}

void board_pod_view(cb_board *b, int pod)
{
    b->pane[PANE_DOMAINS] = (cb_rows){0};
    if (pod >= 0 && pod < b->plan->n_pods)
        pod_rows(b, pod);
    else
        domain_rows(b);
}

/* The changes since the last stand-up, grouped by the member each concerns
 * (the member of a tick or an attempt, else its author), newest first. */
static void changes_rows(cb_board *b)
{
    const cb_plan *p = b->plan;
    cb_state *st = b->st;
    size_t n = st->snap->n_events;
    char since[11];
    date_format(st->last_standup, since);
    b->changes_from = st->changes_from;
    const char *mark = "";
    if (st->standup_mark) {
        int64_t sec = state_event_ms(st->standup_mark) / 1000 % 86400;
        mark = arena_printf(b->arena, ", held at %02d:%02d", (int)(sec / 3600),
                            (int)(sec / 60 % 60));
    }
    heading(b, PANE_STANDUP,
            arena_printf(b->arena, "Changes since the last stand-up (%s%s): %zu", since, mark,
                         n - b->changes_from));
    if (n == b->changes_from)
        return;
    int nm = p->n_members;
    size_t count = n - b->changes_from;
    int *who = arena_alloc(b->arena, count * sizeof *who);
    int *per = arena_alloc(b->arena, (size_t)(nm + 1) * sizeof *per); /* [nm]: others */
    for (size_t i = b->changes_from; i < n; i++) {
        const cb_event *e = &st->snap->events[i];
        int m = state_event_subject(st, e, b->arena);
        if (m < 0)
            m = e->member ? plan_member(p, e->member) : -1;
        who[i - b->changes_from] = m < 0 ? nm : m;
        per[m < 0 ? nm : m]++;
    }
    /* Grouped by a counting sort (linear: the history since may be long),
     * newest first within each member. */
    size_t *start = arena_alloc(b->arena, (size_t)(nm + 2) * sizeof *start);
    for (int m = 0; m <= nm; m++)
        start[m + 1] = start[m] + (size_t)per[m];
    size_t *order = arena_alloc(b->arena, count * sizeof *order);
    size_t *next = arena_alloc(b->arena, (size_t)(nm + 1) * sizeof *next);
    memcpy(next, start, (size_t)(nm + 1) * sizeof *next);
    for (size_t k = count; k-- > 0;) /* newest first */
        order[next[who[k]]++] = b->changes_from + k;
    for (int m = 0; m <= nm; m++) {
        if (!per[m])
            continue;
        text_row(b, PANE_STANDUP, 2, CS_HEADER,
                 arena_printf(b->arena, "%s: %d change%s",
                              m < nm ? p->members[m].name : "others", per[m],
                              per[m] == 1 ? "" : "s"));
        for (size_t k = start[m]; k < start[m + 1]; k++)
            push(b, PANE_STANDUP, ROW_EVENT, 4, (int)order[k], 0, NULL);
    }
}

static void standup_rows(cb_board *b)
{
    const cb_plan *p = b->plan;
    const cb_state *st = b->st;
    int w = st->week;
    /* Blockers lead: what the stand-up is for is unblocking people. */
    heading(b, PANE_STANDUP,
            arena_printf(b->arena, "Blockers: %d (a tick or b on the item ends one)",
                         st->n_blockers));
    for (int m = 0; m < p->n_members; m++)
        for (int i = 0; st->members[m].blocked && i < p->n_items; i++)
            if (state_blocker(st, i, m))
                push(b, PANE_STANDUP, ROW_BLOCKER, 2, i, m, NULL);
    if (!st->n_blockers)
        text_row(b, PANE_STANDUP, 2, CS_DIM, "nobody is blocked");
    if (w >= 1 && w <= p->n_weeks) {
        char from[11], to[11];
        date_format(plan_week_start(p, w), from);
        date_format(plan_week_start(p, w) + 6, to);
        heading(b, PANE_STANDUP,
                arena_printf(b->arena, "This week: week %d, %s to %s", w, from, to));
        const cb_week *wk = &p->weeks[w - 1];
        for (int k = 0; k < wk->activities.n; k++)
            push(b, PANE_STANDUP, ROW_ACTIVITY, 2, w, k, NULL);
        for (int k = 0; k < wk->n_milestones; k++)
            push(b, PANE_STANDUP, ROW_MILESTONE, 2, wk->first_milestone + k, 0, NULL);
        if (wk->n_milestones == 0)
            text_row(b, PANE_STANDUP, 2, CS_DIM, "no milestones due this week");
        /* This week's sessions, one row per session of the schedule: the
         * days it meets ("Mon Tue Wed 09:30 · 15 min · Stand-up"). */
        for (int i = 0; i < p->n_sessions; i++) {
            const cb_session *ss = &p->sessions[i];
            bool seen = false;
            for (int j = 0; j < i && !seen; j++) {
                const cb_session *o = &p->sessions[j];
                seen = w >= o->weeks.lo && w <= o->weeks.hi &&
                       o->start_minute == ss->start_minute && o->minutes == ss->minutes &&
                       strcmp(o->title ? o->title : "", ss->title ? ss->title : "") == 0;
            }
            if (seen || w < ss->weeks.lo || w > ss->weeks.hi)
                continue;
            char days[64] = "";
            for (int j = i; j < p->n_sessions; j++) {
                const cb_session *o = &p->sessions[j];
                if (w >= o->weeks.lo && w <= o->weeks.hi &&
                    o->start_minute == ss->start_minute && o->minutes == ss->minutes &&
                    strcmp(o->title ? o->title : "", ss->title ? ss->title : "") == 0 &&
                    strlen(days) + 5 < sizeof days) {
                    strcat(days, weekday_names[o->weekday % 7]);
                    strcat(days, " ");
                }
            }
            text_row(b, PANE_STANDUP, 2, CS_DIM,
                     arena_printf(b->arena, "session %s%02d:%02d · %d min · %s", days,
                                  ss->start_minute / 60, ss->start_minute % 60, ss->minutes,
                                  ss->title ? ss->title : ""));
        }
    } else {
        heading(b, PANE_STANDUP, w < 1 ? "The plan has not started yet" : "The plan is over");
    }

    heading(b, PANE_STANDUP,
            "Progress this week (behind: an item of a past week is still open)");
    for (int m = 0; m < p->n_members; m++)
        push(b, PANE_STANDUP, ROW_MEMBER_WEEK, 2, m, 0, NULL);

    heading(b, PANE_STANDUP, "At risk (marked at risk, or past its week and not done)");
    int n_risk = 0;
    for (int i = 0; i < p->n_milestones; i++)
        if (st->ms[i].risk) {
            push(b, PANE_STANDUP, ROW_MILESTONE, 2, i, 1, NULL);
            n_risk++;
        }
    if (!n_risk)
        text_row(b, PANE_STANDUP, 2, CS_DIM, "no milestone is at risk");

    changes_rows(b);
    /* The oldest few per member: the full list is the Checklists pane's
     * "overdue" filter; a stand-up needs who is late and with what first. */
    heading(b, PANE_STANDUP,
            "Overdue (oldest first; Checklists, filter overdue, has them all)");
    int n_overdue = 0;
    cb_rows items;
    for (int m = 0; m < p->n_members; m++) {
        int shown = 0;
        board_checklist_rows(b, m, FILTER_OVERDUE, &items, b->arena);
        for (int r = 0; r < items.n && shown < STANDUP_OVERDUE_SHOWN; r++)
            if (items.v[r].kind == ROW_ITEM) {
                push(b, PANE_STANDUP, ROW_OVERDUE, 2, items.v[r].a, m, NULL);
                shown++;
            }
        int more = st->members[m].overdue - shown;
        if (more > 0)
            text_row(b, PANE_STANDUP, 6, CS_DIM,
                     arena_printf(b->arena, "… and %d more for %s", more, p->members[m].name));
        n_overdue += st->members[m].overdue;
    }
    if (!n_overdue)
        text_row(b, PANE_STANDUP, 2, CS_DIM, "nothing overdue");

    /* Then what a stand-up looks up rather than reads: the overdue items,
     * readiness and the burn-up. */
    int ne = p->n_exams > 1 ? st->next_exam : 0;
    if (p->n_exams > 1) { /* a roadmap: the team's next exam, who holds which */
        const cb_exam *ex = &p->exams[ne];
        char day[11], when[96];
        date_format(st->exam_day, day);
        heading(b, PANE_STANDUP,
                arena_printf(b->arena, "Next exam: %s on %s (%s)", ex->name, day,
                             state_exam_when(st, when, sizeof when)));
        for (int e = 0; e < p->n_exams; e++) {
            const char *line = "";
            int passed = 0;
            for (int m = 0; m < p->n_members; m++) {
                cb_exam_result r = state_result(st, e, m);
                passed += r.status == CB_EXAM_PASSED;
                if (r.status != CB_EXAM_NONE)
                    line = arena_printf(b->arena, "%s%s%s %s", line, *line ? ", " : "",
                                        p->members[m].id, cb_exam_status_names[r.status]);
            }
            text_row(b, PANE_STANDUP, 2, e == ne ? CS_NORMAL : CS_DIM,
                     arena_printf(b->arena, "%s · passed %d of %d%s%s", p->exams[e].name,
                                  passed, p->n_members, *line ? " · " : "", line));
        }
        heading(b, PANE_STANDUP,
                arena_printf(b->arena, "Readiness for %s (projected score, ready to book)",
                             ex->short_name ? ex->short_name : ex->name));
    } else {
        heading(b, PANE_STANDUP, "Readiness (projected score, ready to book)");
    }
    for (int m = 0; m < p->n_members; m++)
        push(b, PANE_STANDUP, ROW_READY, 2, m, ne, NULL);

    heading(b, PANE_STANDUP, "Burn-up: items due (planned) vs done, cumulative");
    for (int wk = 1; wk <= p->n_weeks; wk++)
        push(b, PANE_STANDUP, ROW_BURN, 2, wk, 0, NULL);
}

/* My week: what I do now, in one place. */
static void myweek_rows(cb_board *b)
{
    const cb_plan *p = b->plan;
    const cb_state *st = b->st;
    int me = b->me;
    if (me < 0) {
        heading(b, PANE_MYWEEK, "My week");
        text_row(b, PANE_MYWEEK, 2, CS_DIM, "viewing as guest: start with --as MEMBER");
        return;
    }
    const cb_member_state *ms = &st->members[me];
    heading(b, PANE_MYWEEK,
            arena_printf(b->arena, "My week: %s · due this week %d of %d done · %d overdue",
                         p->members[me].name, ms->week_done, ms->week_total, ms->overdue));
    cb_rows items;
    board_checklist_rows(b, me, FILTER_WEEK, &items, b->arena);
    for (int r = 0; r < items.n; r++)
        if (items.v[r].kind == ROW_ITEM)
            push(b, PANE_MYWEEK, ROW_ITEM, 2, items.v[r].a, me, NULL);
    if (!ms->week_total)
        text_row(b, PANE_MYWEEK, 2, CS_DIM, "nothing due this week");
    if (ms->overdue) {
        heading(b, PANE_MYWEEK, arena_printf(b->arena, "Overdue: %d", ms->overdue));
        board_checklist_rows(b, me, FILTER_OVERDUE, &items, b->arena);
        int shown = 0;
        for (int r = 0; r < items.n && shown < MYWEEK_OVERDUE_SHOWN; r++)
            if (items.v[r].kind == ROW_ITEM) {
                push(b, PANE_MYWEEK, ROW_ITEM, 2, items.v[r].a, me, NULL);
                shown++;
            }
        if (ms->overdue > shown)
            text_row(b, PANE_MYWEEK, 6, CS_DIM,
                     arena_printf(b->arena, "… and %d more (Checklists, filter overdue)",
                                  ms->overdue - shown));
    }
    heading(
        b, PANE_MYWEEK,
        arena_printf(b->arena, "My blockers: %d (b blocks or unblocks an item)", ms->blocked));
    for (int i = 0; ms->blocked && i < p->n_items; i++)
        if (state_blocker(st, i, me))
            push(b, PANE_MYWEEK, ROW_BLOCKER, 2, i, me, NULL);
    if (!ms->blocked)
        text_row(b, PANE_MYWEEK, 2, CS_DIM, "nothing blocks me");

    /* The next sessions of the schedule (two weeks ahead at most) and my
     * mentor pairs this week. */
    heading(b, PANE_MYWEEK, "Next sessions");
    int shown = 0;
    for (cb_day d = st->today; d < st->today + 14 && shown < 3; d++) {
        int w = plan_week_of_day(p, d);
        for (int i = 0; i < p->n_sessions && shown < 3; i++) {
            const cb_session *ss = &p->sessions[i];
            if (ss->weekday != date_weekday(d) || w < ss->weeks.lo || w > ss->weeks.hi)
                continue;
            char day[11];
            date_format(d, day);
            text_row(b, PANE_MYWEEK, 2, shown ? CS_DIM : CS_NORMAL,
                     arena_printf(b->arena, "%s %s %02d:%02d · %d min · %s",
                                  weekday_names[ss->weekday % 7], day, ss->start_minute / 60,
                                  ss->start_minute % 60, ss->minutes,
                                  ss->title ? ss->title : ""));
            shown++;
        }
    }
    if (!shown)
        text_row(b, PANE_MYWEEK, 2, CS_DIM, "no session in the next two weeks");
    for (int i = 0; i < p->n_mentors; i++) {
        const cb_mentor_pair *mp = &p->mentors[i];
        if ((mp->mentor == me || mp->mentee == me) && st->week >= mp->weeks.lo &&
            st->week <= mp->weeks.hi)
            push(b, PANE_MYWEEK, ROW_MENTOR, 2, i, 0, NULL);
    }

    /* My practice exams, newest first: Enter shows one, x edits it, D
     * deletes it. */
    heading(b, PANE_MYWEEK,
            "My practice exams (x records; on one: Enter details, x edits, D deletes)");
    int mine = 0;
    for (int k = st->n_attempts; k-- > 0 && mine < MYWEEK_ATTEMPTS_SHOWN;)
        if (st->attempts[k].member == me) {
            push(b, PANE_MYWEEK, ROW_ATTEMPT, 2, k, 0, NULL);
            mine++;
        }
    if (!mine)
        text_row(b, PANE_MYWEEK, 2, CS_DIM, "none yet");

    /* My hit list, with what to revisit: the domain's resources and what the
     * team built for it (the library). */
    /* in a roadmap: for my next exam (the last one when I passed them all) */
    int my_exam = p->n_exams > 1 ? st->member_next_exam[me] : 0;
    if (my_exam >= p->n_exams)
        my_exam = p->n_exams - 1;
    const cb_member_readiness *mr = board_readiness(b, my_exam, me);
    heading(b, PANE_MYWEEK, "My hit list (worst practised domains) and what to revisit");
    int listed = 0;
    for (int k = 0; k < mr->n_hit_list && listed < 3; k++) {
        const cb_weak_link *h = &mr->hit_list[k];
        if (h->asked == 0)
            continue;
        const cb_domain *d = &p->domains[h->domain];
        text_row(b, PANE_MYWEEK, 2, CS_NORMAL,
                 arena_printf(b->arena, "%d. %s: %d of %d right, miss %.0f%%", ++listed,
                              d->name, h->right, h->asked, h->miss_rate * 100));
        const cb_strv *lists[] = {&d->resources.docs, &d->resources.course,
                                  &d->resources.extra};
        const char *res = NULL;
        for (int l = 0; l < 3; l++)
            for (int r = 0; r < lists[l]->n; r++)
                res = res ? arena_printf(b->arena, "%s; %s", res, lists[l]->v[r])
                          : lists[l]->v[r];
        if (res)
            text_row(b, PANE_MYWEEK, 5, CS_DIM, arena_printf(b->arena, "revisit: %s", res));
        for (int i = 0; i < p->n_items; i++)
            for (int m = 0; p->items[i].domain == h->domain && m < p->n_members; m++) {
                const cb_event *e = state_asset(st, i, m);
                if (e)
                    text_row(b, PANE_MYWEEK, 5, CS_DIM,
                             arena_printf(b->arena, "library: %s (%s, %s)", e->value,
                                          p->items[i].title, p->members[m].id));
            }
    }
    if (!listed)
        text_row(b, PANE_MYWEEK, 2, CS_DIM,
                 "no practice exam yet (certboard exam record): your weak domains show here");
}

cb_board *board_build(cb_state *st, int me)
{
    cb_arena *arena = arena_new();
    cb_board *b = arena_alloc(arena, sizeof *b);
    const cb_plan *p = st->plan;
    b->arena = arena;
    b->plan = p;
    b->st = st;
    b->me = me;
    b->week_label = week_label(b);
    for (int m = 0; m < p->n_members; m++) {
        int w = text_width(p->members[m].name);
        b->name_w = w > b->name_w ? w : b->name_w;
    }
    b->ready = readiness_build(st, arena);

    timeline_rows(b);
    team_rows(b);
    for (int m = 0; m < p->n_members; m++)
        push(b, PANE_CHECKLISTS, ROW_MEMBER, 0, m, 0, NULL);
    domain_rows(b);
    standup_rows(b);
    myweek_rows(b);
    return b;
}

const cb_member_readiness *board_readiness(const cb_board *b, int exam, int member)
{
    const cb_readiness *r = b->ready;
    if (exam >= 0 && exam < r->n_exams)
        return &r->exams[exam].members[member];
    return &r->members[member];
}

void board_free(cb_board *b)
{
    if (!b)
        return;
    state_free(b->st);
    arena_free(b->arena);
}

void board_checklist_rows(const cb_board *b, int member, enum cb_filter f, cb_rows *out,
                          cb_arena *arena)
{
    const cb_plan *p = b->plan;
    *out = (cb_rows){0};
    if (member < 0 || member >= p->n_members)
        return;
    int *order = items_by_week(p, arena), shown_week = -1;
    for (int k = 0; k < p->n_items; k++) {
        int i = order[k];
        int due = b->st->due[(size_t)i * (size_t)p->n_members + (size_t)member];
        if (state_cell(b->st, i, member) == CELL_NONE)
            continue;
        if (f == FILTER_WEEK && due != b->st->week)
            continue;
        if (f == FILTER_OVERDUE && !state_overdue(b->st, i, member))
            continue;
        if (due != shown_week) {
            rows_push(out, arena, (cb_row){.kind = ROW_CHECK_WEEK, .a = due});
            shown_week = due;
        }
        rows_push(out, arena, (cb_row){.kind = ROW_ITEM, .indent = 2, .a = i, .b = member});
    }
}

/* ---- row text ---------------------------------------------------------- */

static const char *member_name(const cb_plan *p, int m)
{
    return m >= 0 && m < p->n_members ? p->members[m].name : "-";
}

const char *board_owner_text(const cb_plan *p, cb_owner o, char *buf, size_t n)
{
    switch (o.kind) {
    case CB_OWNER_MEMBER:
        return member_name(p, o.index);
    case CB_OWNER_POD:
        return o.index >= 0 ? p->pods[o.index].name : "pod";
    case CB_OWNER_TRACK:
        return o.index >= 0 ? p->tracks[o.index].name : "track";
    case CB_OWNER_TEAM:
        break;
    }
    snprintf(buf, n, "team");
    return buf;
}

static void weight_text(double lo, double hi, char *buf, size_t n)
{
    if (lo == hi)
        snprintf(buf, n, "%g%%", lo);
    else
        snprintf(buf, n, "%g-%g%%", lo, hi);
}

void board_row_text(const cb_board *b, const cb_row *r, char *buf, size_t n)
{
    const cb_plan *p = b->plan;
    char tmp[64];
    buf[0] = '\0';
    switch ((enum cb_row_kind)r->kind) {
    case ROW_BLANK:
        break;
    case ROW_HEADING:
    case ROW_TEXT:
        snprintf(buf, n, "%s", r->text ? r->text : "");
        break;
    case ROW_PHASE: {
        const cb_phase *ph = &p->phases[r->a];
        if (ph->weeks.lo == ph->weeks.hi)
            snprintf(buf, n, "Phase %d: %s (week %d)", r->a + 1, ph->name, ph->weeks.lo);
        else
            snprintf(buf, n, "Phase %d: %s (weeks %d-%d)", r->a + 1, ph->name, ph->weeks.lo,
                     ph->weeks.hi);
        break;
    }
    case ROW_WEEK: {
        const cb_week *wk = &p->weeks[r->a - 1];
        snprintf(buf, n, "Week %d%s%s", r->a, wk->theme ? " · " : "",
                 wk->theme ? wk->theme : "");
        break;
    }
    case ROW_ACTIVITY:
        snprintf(buf, n, "%s", p->weeks[r->a - 1].activities.v[r->b]);
        break;
    case ROW_MILESTONE: { /* status, title, why at risk (in that list), note */
        const cb_milestone *ms = &p->milestones[r->a];
        const cb_ms_state *m = &b->st->ms[r->a];
        snprintf(buf, n, "%-9s %s (%s, week %d)%s%s%s%s", cb_ms_status_names[m->status],
                 ms->title, board_owner_text(p, ms->owner, tmp, sizeof tmp), ms->week,
                 r->b && m->risk ? ": " : "", r->b && m->risk ? m->risk : "",
                 m->note ? " — " : "", m->note ? m->note : "");
        break;
    }
    case ROW_ROLES_HEAD:
        snprintf(buf, n, "Member");
        break;
    case ROW_ROLES:
        snprintf(buf, n, "%s", member_name(p, r->a));
        break;
    case ROW_POD: {
        const cb_pod *pod = &p->pods[r->a];
        weight_text(pod->weight_lo, pod->weight_hi, tmp, sizeof tmp);
        size_t len = (size_t)snprintf(buf, n, "%s · weight %s · lead %s · domains: ", pod->name,
                                      tmp, member_name(p, pod->lead));
        for (int k = 0; k < pod->n_domains && len < n; k++) {
            const cb_domain *d = &p->domains[pod->domains[k]];
            len += (size_t)snprintf(buf + len, n - len, "%s%s", k ? ", " : "",
                                    d->short_name ? d->short_name : d->name);
        }
        break;
    }
    case ROW_POD_MEMBER:
        snprintf(buf, n, "%s%s", member_name(p, r->b),
                 p->pods[r->a].lead == r->b ? " (lead)" : "");
        break;
    case ROW_TRACK: {
        const cb_track *t = &p->tracks[r->a];
        snprintf(buf, n, "%s (%s)", t->name, plan_level_name(t->level));
        break;
    }
    case ROW_MENTOR: {
        const cb_mentor_pair *mp = &p->mentors[r->a];
        snprintf(buf, n, "%s mentors %s · %s %d min · weeks %d-%d", member_name(p, mp->mentor),
                 member_name(p, mp->mentee), mp->cadence ? mp->cadence : "", mp->minutes,
                 mp->weeks.lo, mp->weeks.hi);
        break;
    }
    case ROW_MEMBER: {
        const cb_member *m = &p->members[r->a];
        snprintf(buf, n, "%s", m->name);
        break;
    }
    case ROW_CHECK_WEEK:
        snprintf(buf, n, "Week %d", r->a);
        break;
    case ROW_ITEM:
    case ROW_DOMAIN_ITEM: {
        const cb_item *it = &p->items[r->a];
        snprintf(buf, n, "%s", it->title);
        break;
    }
    case ROW_OVERDUE: {
        const cb_item *it = &p->items[r->a];
        snprintf(buf, n, "%s: %s (week %d)", member_name(p, r->b), it->title,
                 b->st->due[(size_t)r->a * (size_t)p->n_members + (size_t)r->b]);
        break;
    }
    case ROW_DOMAIN: {
        const cb_domain *d = &p->domains[r->a];
        weight_text(d->weight_lo, d->weight_hi, tmp, sizeof tmp);
        snprintf(buf, n, "%s %s", d->name, tmp);
        break;
    }
    case ROW_HEAT_HEAD:
        snprintf(buf, n, "Domain");
        break;
    case ROW_HEAT: {
        const cb_domain *d = &p->domains[r->a];
        snprintf(buf, n, "%s", d->short_name ? d->short_name : d->name);
        break;
    }
    case ROW_HIT: {
        const cb_weak_link *h = board_hit(b, r);
        const cb_domain *d = &p->domains[h->domain];
        snprintf(buf, n, "%d. %s", r->a + 1, d->name);
        break;
    }
    case ROW_MEMBER_WEEK:
    case ROW_READY:
        snprintf(buf, n, "%s", member_name(p, r->a));
        break;
    case ROW_EVENT: {
        /* as the pane draws it: time, the change in words, the note */
        const cb_event *e = &b->st->snap->events[r->a];
        cb_arena *a = arena_new();
        char day[11];
        int64_t ms = state_event_ms(e), sec = (ms / 1000) % 86400;
        date_format(state_event_day(e), day);
        snprintf(buf, n, "%s %02d:%02d %s%s%s", day, (int)(sec / 3600), (int)(sec / 60 % 60),
                 state_describe(b->st, (size_t)r->a, a), e->note && e->note[0] ? " — " : "",
                 e->note && e->note[0] ? e->note : "");
        arena_free(a);
        break;
    }
    case ROW_BURN:
        snprintf(buf, n, "Week %2d", r->a);
        break;
    case ROW_ATTEMPT: {
        const cb_attempt *at = &b->st->attempts[r->a];
        char day[11], mins[24] = "";
        date_format(at->date, day);
        if (at->minutes)
            snprintf(mins, sizeof mins, " · %d min", at->minutes);
        snprintf(buf, n, "%s · %d/%d (%.0f%%)%s%s · %s", day, at->total_right, at->total_asked,
                 at->total_asked ? 100.0 * at->total_right / at->total_asked : 0.0, mins,
                 at->per_domain ? "" : " · total only",
                 at->source && *at->source ? at->source : at->id);
        break;
    }
    case ROW_BLOCKER: {
        const cb_event *e = state_blocker(b->st, r->a, r->b);
        snprintf(buf, n, "%s: %s — %s", member_name(p, r->b), e && e->note ? e->note : "",
                 p->items[r->a].title);
        break;
    }
    }
}

/* ---- details ----------------------------------------------------------- */

typedef struct out {
    char *buf;
    size_t n, len;
} out;

static void add(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(out *o, const char *fmt, ...)
{
    if (o->len + 1 >= o->n)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(o->buf + o->len, o->n - o->len, fmt, ap);
    va_end(ap);
    if (k > 0)
        o->len = o->len + (size_t)k < o->n ? o->len + (size_t)k : o->n - 1;
}

static void add_list(out *o, const char *label, const cb_strv *v)
{
    for (int i = 0; i < v->n; i++)
        add(o, "\n%s: %s", label, v->v[i]);
}

static void item_detail(const cb_board *b, int i, out *o)
{
    const cb_plan *p = b->plan;
    const cb_item *it = &p->items[i];
    add(o, "%s\nitem %s · due week %d · checklist %s", it->title, it->id, it->due_week,
        p->checklists[it->checklist].title ? p->checklists[it->checklist].title
                                           : p->checklists[it->checklist].id);
    if (it->kind)
        add(o, " · %s", it->kind);
    if (it->domain >= 0)
        add(o, " · domain %s", p->domains[it->domain].name);
    add(o, "\n");
    for (int m = 0; m < p->n_members; m++) {
        int st = state_cell(b->st, i, m);
        if (st != CELL_NONE)
            add(o, "%s%s %s", o->buf[o->len - 1] == '\n' ? "" : ", ",
                st == CELL_DONE ? "[x]" : "[ ]", p->members[m].name);
    }
    for (int m = 0; m < p->n_members; m++) {
        const cb_event *blk = state_blocker(b->st, i, m), *link = state_asset(b->st, i, m);
        if (blk)
            add(o, "\nblocked (%s): %s", p->members[m].name, blk->note ? blk->note : "");
        if (link)
            add(o, "\nlink (%s): %s", p->members[m].name, link->value);
    }
}

/* A domain: weight, pod, the team's and each member's results, the attempts
 * that asked it, resources, items and the library. */
static void domain_detail(const cb_board *b, int dm, out *o)
{
    const cb_plan *p = b->plan;
    const cb_domain *d = &p->domains[dm];
    char tmp[64];
    weight_text(d->weight_lo, d->weight_hi, tmp, sizeof tmp);
    add(o, "%s\ndomain %s · weight %s · %s", d->name, d->id, tmp,
        d->pod >= 0 ? p->pods[d->pod].name : "no pod");
    for (int k = 0; k < b->ready->n_team_hit_list; k++) {
        const cb_weak_link *h = &b->ready->team_hit_list[k];
        if (h->domain == dm)
            add(o, "\nteam: %d of %d right (rank %d in the team hit list)", h->right, h->asked,
                k + 1);
    }
    for (int m = 0; m < p->n_members; m++) {
        double rate =
            b->ready->members[m].domain_rate ? b->ready->members[m].domain_rate[dm] : -1;
        if (rate >= 0)
            add(o, "%s%s %.0f%%",
                m && o->buf[o->len - 1] != '\n' ? ", " : "\nper member: ", p->members[m].id,
                rate * 100);
    }
    int asked = 0;
    for (int a = 0; a < b->ready->n_attempts; a++)
        asked += b->ready->attempts[a].per_domain && b->ready->attempts[a].asked[dm] > 0;
    add(o, "\npractice exams that asked it: %d", asked);
    add_list(o, "docs", &d->resources.docs);
    add_list(o, "course", &d->resources.course);
    add_list(o, "extra", &d->resources.extra);
    for (int i = 0; i < p->n_items; i++)
        if (p->items[i].domain == dm) {
            add(o, "\nitem: %s", p->items[i].title);
            for (int m = 0; m < p->n_members; m++) {
                const cb_event *e = state_asset(b->st, i, m);
                if (e)
                    add(o, "\nlibrary: %s (%s)", e->value, p->members[m].id);
            }
        }
}

void board_row_detail(const cb_board *b, const cb_row *r, char *buf, size_t n)
{
    const cb_plan *p = b->plan;
    out o = {buf, n, 0};
    buf[0] = '\0';
    char tmp[64];
    switch ((enum cb_row_kind)r->kind) {
    case ROW_PHASE:
        board_row_text(b, r, buf, n);
        o.len = strlen(buf);
        if (p->phases[r->a].objective)
            add(&o, "\n%s", p->phases[r->a].objective);
        break;
    case ROW_WEEK: {
        const cb_week *wk = &p->weeks[r->a - 1];
        board_row_text(b, r, buf, n);
        o.len = strlen(buf);
        add(&o, "\nitems due: %d of %d done", b->st->week_done[r->a], b->st->week_total[r->a]);
        add_list(&o, "activity", &wk->activities);
        for (int k = 0; k < wk->n_milestones; k++)
            add(&o, "\nmilestone: %s", p->milestones[wk->first_milestone + k].title);
        break;
    }
    case ROW_MILESTONE: {
        const cb_milestone *ms = &p->milestones[r->a];
        add(&o, "%s\nmilestone %s · week %d · owner %s · status %s", ms->title, ms->id,
            ms->week, board_owner_text(p, ms->owner, tmp, sizeof tmp),
            cb_ms_status_names[b->st->ms[r->a].status]);
        if (b->st->ms[r->a].risk)
            add(&o, "\nat risk: %s", b->st->ms[r->a].risk);
        if (b->st->ms[r->a].note)
            add(&o, "\nnote: %s", b->st->ms[r->a].note);
        break;
    }
    case ROW_ITEM:
    case ROW_DOMAIN_ITEM:
    case ROW_OVERDUE:
    case ROW_BLOCKER:
        item_detail(b, r->a, &o);
        break;
    case ROW_DOMAIN:
    case ROW_HEAT:
        domain_detail(b, r->a, &o);
        break;
    case ROW_ATTEMPT: {
        const cb_attempt *at = &b->st->attempts[r->a];
        char day[11];
        date_format(at->date, day);
        add(&o, "Practice exam %s\n%s · %s · %d of %d right", at->id, day,
            p->members[at->member].name, at->total_right, at->total_asked);
        if (at->minutes)
            add(&o, " · %d min", at->minutes);
        if (at->source && *at->source)
            add(&o, "\nsource: %s", at->source);
        for (int d = 0; at->per_domain && d < p->n_domains; d++)
            if (at->asked[d])
                add(&o, "\n%s: %d of %d", p->domains[d].name, at->right[d], at->asked[d]);
        add(&o, "\nx edits it, D deletes it (u undoes either)");
        break;
    }
    case ROW_HIT:
        domain_detail(b, board_hit(b, r)->domain, &o);
        break;
    case ROW_TRACK: {
        const cb_track *t = &p->tracks[r->a];
        add(&o, "%s (%s)", t->name, plan_level_name(t->level));
        if (t->objective)
            add(&o, "\nObjective: %s", t->objective);
        add_list(&o, "curriculum", &t->curriculum);
        add_list(&o, "resource", &t->resources);
        break;
    }
    case ROW_POD:
        board_row_text(b, r, buf, n);
        o.len = strlen(buf);
        if (p->pods[r->a].focus)
            add(&o, "\n%s", p->pods[r->a].focus);
        if (p->pods[r->a].stated_weight >= 0)
            add(&o, "\nstated weight %g%% (computed from its domains: %g%%)",
                p->pods[r->a].stated_weight, p->pods[r->a].weight_lo);
        break;
    case ROW_ROLES:
    case ROW_MEMBER:
    case ROW_MEMBER_WEEK:
    case ROW_READY: {
        const cb_member *m = &p->members[r->a];
        add(&o, "%s (%s) · %s · %s", m->name, m->id, plan_level_name(m->level),
            m->track >= 0 ? p->tracks[m->track].name : "no track");
        const cb_member_state *ms = &b->st->members[r->a];
        add(&o, "\n%d of %d items done · %d overdue · this week %d of %d", ms->done, ms->total,
            ms->overdue, ms->week_done, ms->week_total);
        for (int i = 0; i < p->n_roles; i++)
            if (p->roles[i].member == r->a)
                add(&o, "\n%s: %s", p->phases[p->roles[i].phase].name, p->roles[i].role);
        const cb_member_readiness *mr =
            board_readiness(b, r->kind == ROW_READY ? r->b : 0, r->a);
        if (mr->n_attempts > 0 && mr->projected >= 0)
            add(&o, "\nprojected score %.0f%% ± %.0f (%s confidence, %d practice exam%s): %s",
                mr->projected, mr->margin, mr->confidence ? mr->confidence : "?",
                mr->n_attempts, mr->n_attempts == 1 ? "" : "s",
                mr->ready         ? "ready to book"
                : mr->gate_reason ? mr->gate_reason
                                  : "not ready");
        for (int k = 0; k < mr->n_hit_list && k < 3; k++)
            if (mr->hit_list[k].asked > 0)
                add(&o, "\nweak link %d: %s, %d of %d right", k + 1,
                    p->domains[mr->hit_list[k].domain].name, mr->hit_list[k].right,
                    mr->hit_list[k].asked);
        break;
    }
    default:
        board_row_text(b, r, buf, n);
        break;
    }
}

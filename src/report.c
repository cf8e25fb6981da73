/* report.c — the stand-up report in four formats from one table model.
 *
 * The report is built once as a list of tables (id, title, columns, typed
 * cells) from the team's state (state.h) and readiness_build(); one renderer
 * per format walks the tables and escapes every string for its format
 * (text.h). Adding a column therefore changes every format at once;
 * docs/report.md and docs/report-schema.json describe the result. */
#include "certboard/report.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "certboard/arena.h"
#include "certboard/readiness.h"
#include "certboard/text.h"

/* ---- the table model ----------------------------------------------------- */

enum cell_kind { C_NULL, C_STR, C_INT, C_NUM, C_BOOL, C_LIST };

typedef struct cell {
    enum cell_kind kind;
    const char *s;
    long long i;
    double n;
    int prec;
    cb_strv list;
} cell;

typedef struct table {
    const char *id, *title;
    const char *const *cols;
    int ncols;
    cell *cells; /* nrows x ncols */
    int nrows, cap;
    bool single; /* one record: an object in JSON, "key: value" in text */
} table;

#define MAX_TABLES 18

typedef struct report {
    cb_arena *arena;
    const char *heading; /* first line of text/markdown */
    const char *subheading;
    table tables[MAX_TABLES];
    int ntables;
} report;

static cell c_str(const char *s)
{
    return s ? (cell){.kind = C_STR, .s = s} : (cell){0};
}
static cell c_int(long long i)
{
    return (cell){.kind = C_INT, .i = i};
}
static cell c_num(double n, int prec)
{
    return isfinite(n) ? (cell){.kind = C_NUM, .n = n, .prec = prec} : (cell){0};
}
static cell c_bool(bool b)
{
    return (cell){.kind = C_BOOL, .i = b};
}
static cell c_list(cb_strv v)
{
    return (cell){.kind = C_LIST, .list = v};
}
static cell c_day(cb_arena *a, cb_day d)
{
    if (!d)
        return (cell){0};
    char buf[11];
    date_format(d, buf);
    return c_str(arena_strdup(a, buf));
}

static table *table_new(report *r, const char *id, const char *title, const char *const *cols,
                        int ncols)
{
    /* cols is a compound literal of the caller's block: keep a copy. */
    const char **copy = arena_alloc(r->arena, (size_t)ncols * sizeof *copy);
    memcpy(copy, cols, (size_t)ncols * sizeof *copy);
    table *t = &r->tables[r->ntables++];
    *t = (table){.id = id, .title = title, .cols = copy, .ncols = ncols};
    return t;
}

#define TABLE(r, id, title, ...)                                                               \
    table_new(r, id, title, (const char *const[]){__VA_ARGS__},                                \
              (int)(sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *)))

/* Appends a row; the caller fills its ncols cells. */
static cell *row_add(report *r, table *t)
{
    if (t->nrows == t->cap) {
        int cap = t->cap ? 2 * t->cap : 16;
        cell *v = arena_alloc(r->arena, (size_t)cap * (size_t)t->ncols * sizeof *v);
        if (t->nrows)
            memcpy(v, t->cells, (size_t)t->nrows * (size_t)t->ncols * sizeof *v);
        t->cells = v;
        t->cap = cap;
    }
    return &t->cells[(size_t)t->nrows++ * (size_t)t->ncols];
}

/* ---- facts in words ------------------------------------------------------ */

static const char *owner_name(cb_arena *a, const cb_plan *p, cb_owner o)
{
    switch (o.kind) {
    case CB_OWNER_MEMBER:
        return o.index >= 0 ? arena_printf(a, "member:%s", p->members[o.index].id) : "member";
    case CB_OWNER_POD:
        return o.index >= 0 ? arena_printf(a, "pod:%s", p->pods[o.index].id) : "pod";
    case CB_OWNER_TRACK:
        return o.index >= 0 ? arena_printf(a, "track:%s", p->tracks[o.index].id) : "track";
    case CB_OWNER_TEAM:
        break;
    }
    return "team";
}

static const char *time_of(cb_arena *a, int64_t ms, bool iso)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    char buf[32];
    strftime(buf, sizeof buf, iso ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M", &tm);
    return arena_strdup(a, buf);
}

/* ---- building the report ------------------------------------------------ */

static const char *time_of(cb_arena *a, int64_t ms, bool iso);

static void add_summary(report *r, const cb_state *st, const cb_readiness *rd, int week,
                        cb_day since, const cb_event *mark, bool iso)
{
    const cb_plan *p = st->plan;
    cb_arena *a = r->arena;
    table *t = TABLE(r, "summary", "Summary", "plan", "title", "certification", "today", "week",
                     "weeks", "phase", "report_week", "since", "exam_day", "days_to_exam",
                     "passing_score", "items_total", "items_due", "items_done", "pace_needed",
                     "pace_actual", "projected_finish", "members_behind", "attempts",
                     "unreadable_attempts", "since_mark", "since_mark_by", "blockers");
    t->single = true;
    int ph = st->phase;
    cb_strv behind = {arena_alloc(a, (size_t)(p->n_members + 1) * sizeof(char *)), 0};
    for (int m = 0; m < p->n_members; m++)
        if (st->members[m].behind)
            behind.v[behind.n++] = p->members[m].id;
    cell *c = row_add(r, t);
    c[0] = c_str(p->id);
    c[1] = c_str(p->title);
    c[2] = c_str(p->certification);
    c[3] = c_day(a, st->today);
    c[4] = c_int(st->week);
    c[5] = c_int(p->n_weeks);
    c[6] = ph >= 0 ? c_str(p->phases[ph].name) : c_str(NULL);
    c[7] = c_int(week);
    c[8] = c_day(a, since);
    c[9] = c_day(a, st->exam_day);
    c[10] = c_int(st->days_to_exam);
    c[11] = c_num(p->exam.passing_score, 1);
    int due = 0;
    for (int m = 0; m < p->n_members; m++)
        due += st->members[m].due;
    c[12] = c_int(st->team_total);
    c[13] = c_int(due);
    c[14] = c_int(st->team_done);
    c[15] = c_num(rd->team_pace_needed, 1);
    c[16] = c_num(rd->team_pace_actual, 1);
    c[17] = c_day(a, rd->team_projected_finish);
    c[18] = c_list(behind);
    c[19] = c_int(rd->n_attempts);
    c[20] = c_int(st->n_bad_attempts);
    c[21] = mark ? c_str(time_of(a, state_event_ms(mark), iso)) : c_str(NULL);
    c[22] = c_str(mark ? mark->member : NULL);
    c[23] = c_int(st->n_blockers);
    r->heading = arena_printf(a, "Stand-up report: %s", p->title ? p->title : p->id);
    char today[11];
    date_format(st->today, today);
    const char *when = st->week == 0 ? "before week 1"
                       : st->week > p->n_weeks
                           ? "after the last week"
                           : arena_printf(a, "week %d of %d", st->week, p->n_weeks);
    char exam[64];
    r->subheading =
        arena_printf(a, "%s, %s%s%s, %s", today, when, ph >= 0 ? ", " : "",
                     ph >= 0 ? p->phases[ph].name : "", state_exam_when(st, exam, sizeof exam));
}

static void add_milestones(report *r, const cb_state *st, int week)
{
    cb_arena *a = r->arena;
    const cb_plan *p = st->plan;
    table *t = TABLE(r, "milestones", arena_printf(a, "Milestones of week %d", week), "id",
                     "title", "week", "owner", "status", "note");
    table *risk = TABLE(r, "at_risk", "At-risk milestones", "id", "title", "week", "owner",
                        "status", "reason", "note");
    for (int i = 0; i < p->n_milestones; i++) {
        const cb_milestone *ms = &p->milestones[i];
        const cb_ms_state *m = &st->ms[i];
        for (int k = 0; k < 2; k++) {
            if (k == 0 ? ms->week != week : !m->risk)
                continue;
            cell *c = row_add(r, k == 0 ? t : risk);
            c[0] = c_str(ms->id), c[1] = c_str(ms->title), c[2] = c_int(ms->week);
            c[3] = c_str(owner_name(a, p, ms->owner));
            c[4] = c_str(cb_ms_status_names[m->status]);
            c[5] = c_str(k == 0 ? m->note : m->risk);
            if (k == 1)
                c[6] = c_str(m->note);
        }
    }
}

static void add_members(report *r, const cb_state *st, const cb_readiness *rd)
{
    cb_arena *a = r->arena;
    const cb_plan *p = st->plan;
    table *t = TABLE(r, "progress", "Progress per member", "member", "name", "done", "total",
                     "due", "done_due", "overdue", "behind", "pace_needed", "pace_actual",
                     "projected_finish");
    table *od = TABLE(r, "overdue", "Overdue items", "member", "item", "title", "due_week");
    for (int m = 0; m < p->n_members; m++) {
        const cb_member_readiness *mr = &rd->members[m];
        const cb_member_state *ms = &st->members[m];
        cell *c = row_add(r, t);
        c[0] = c_str(p->members[m].id), c[1] = c_str(p->members[m].name);
        c[2] = c_int(ms->done), c[3] = c_int(ms->total);
        c[4] = c_int(ms->due), c[5] = c_int(ms->due_done);
        c[6] = c_int(ms->overdue), c[7] = c_bool(ms->behind);
        c[8] = c_num(mr->pace_needed, 1), c[9] = c_num(mr->pace_actual, 1);
        c[10] = c_day(a, mr->projected_finish);
    }
    /* Overdue: grouped by member, in plan order of the items. */
    for (int m = 0; m < p->n_members; m++)
        for (int i = 0; i < p->n_items; i++) {
            if (!state_overdue(st, i, m))
                continue;
            cell *c = row_add(r, od);
            c[0] = c_str(p->members[m].id), c[1] = c_str(p->items[i].id);
            c[2] = c_str(p->items[i].title);
            c[3] = c_int(st->due[(size_t)i * p->n_members + m]);
        }
}

/* Blockers (who, which item, why, since when) and the team library. */
static void add_blockers(report *r, const cb_state *st, bool iso)
{
    const cb_plan *p = st->plan;
    cb_arena *a = r->arena;
    table *t = TABLE(r, "blockers", "Blockers", "member", "item", "title", "note", "since");
    table *lib = TABLE(r, "assets", "Team library (links attached to items)", "member", "item",
                       "title", "domain", "link");
    for (int m = 0; m < p->n_members; m++)
        for (int i = 0; i < p->n_items; i++) {
            const cb_event *e = state_blocker(st, i, m);
            if (e) {
                cell *c = row_add(r, t);
                c[0] = c_str(p->members[m].id), c[1] = c_str(p->items[i].id);
                c[2] = c_str(p->items[i].title);
                c[3] = c_str(e->note && *e->note ? e->note : NULL);
                c[4] = c_str(time_of(a, state_event_ms(e), iso));
            }
        }
    for (int i = 0; i < p->n_items; i++)
        for (int m = 0; m < p->n_members; m++) {
            const cb_event *e = state_asset(st, i, m);
            if (e) {
                int d = p->items[i].domain;
                cell *c = row_add(r, lib);
                c[0] = c_str(p->members[m].id), c[1] = c_str(p->items[i].id);
                c[2] = c_str(p->items[i].title);
                c[3] = d >= 0 ? c_str(p->domains[d].id) : c_str(NULL);
                c[4] = c_str(e->value);
            }
        }
}

static void add_changes(report *r, cb_state *st, size_t from, bool iso)
{
    table *t = TABLE(r, "changes", "Changes since the last stand-up", "time", "member", "key",
                     "change", "note");
    const cb_snapshot *snap = st->snap;
    cb_arena *a = r->arena;
    if (from < snap->events_from)
        snapshot_history(snap);
    for (size_t i = from; i < snap->n_events; i++) {
        const cb_event *e = &snap->events[i];
        cell *c = row_add(r, t);
        c[0] = c_str(time_of(a, state_event_ms(e), iso)), c[1] = c_str(e->member);
        c[2] = c_str(e->key), c[3] = c_str(state_describe(st, i, a));
        c[4] = c_str(e->note && *e->note ? e->note : NULL);
    }
}

/* Every domain ranked by the attempts; with no attempt at all there is no
 * ranking (the dashboard says "no domain asked yet"), so no rows. */
static void add_weak_links(report *r, const cb_plan *p, const cb_readiness *rd)
{
    table *t = TABLE(r, "weak_links", "Weak links of the team (hit list)", "rank", "domain",
                     "name", "weight", "pod", "asked", "right", "miss_pct", "points_lost",
                     "trend_pts", "docs", "course", "extra");
    for (int k = 0; rd->n_attempts > 0 && k < rd->n_team_hit_list; k++) {
        const cb_weak_link *l = &rd->team_hit_list[k];
        const cb_domain *d = &p->domains[l->domain];
        bool asked = l->asked > 0;
        cell *c = row_add(r, t);
        c[0] = c_int(k + 1), c[1] = c_str(d->id), c[2] = c_str(d->name);
        c[3] = c_num(readiness_weight(d), 1);
        c[4] = d->pod >= 0 ? c_str(p->pods[d->pod].id) : c_str(NULL);
        c[5] = c_int(l->asked), c[6] = c_int(l->right);
        c[7] = asked ? c_num(100.0 * l->miss_rate, 1) : c_str(NULL);
        c[8] = asked ? c_num(l->weighted, 2) : c_str(NULL);
        c[9] = asked ? c_num(100.0 * l->trend, 1) : c_str(NULL);
        c[10] = c_list(d->resources.docs), c[11] = c_list(d->resources.course);
        c[12] = c_list(d->resources.extra);
    }
}

/* Each member's personal hit list (Phase 4): their worst domains practised. */
#define HIT_LIST_TOP 3

static void add_member_hit_lists(report *r, const cb_plan *p, const cb_readiness *rd)
{
    table *t =
        TABLE(r, "hit_lists", "Personal hit lists (worst practised domains)", "member", "rank",
              "domain", "name", "asked", "right", "miss_pct", "points_lost", "trend_pts");
    for (int m = 0; m < p->n_members; m++) {
        const cb_member_readiness *mr = &rd->members[m];
        for (int k = 0; k < mr->n_hit_list && k < HIT_LIST_TOP; k++) {
            const cb_weak_link *l = &mr->hit_list[k];
            if (l->asked == 0)
                break; /* never-asked domains come last: the readiness gate names them */
            cell *c = row_add(r, t);
            c[0] = c_str(p->members[m].id), c[1] = c_int(k + 1);
            c[2] = c_str(p->domains[l->domain].id), c[3] = c_str(p->domains[l->domain].name);
            c[4] = c_int(l->asked), c[5] = c_int(l->right);
            c[6] = c_num(100.0 * l->miss_rate, 1), c[7] = c_num(l->weighted, 2);
            c[8] = c_num(100.0 * l->trend, 1);
        }
    }
}

static void add_readiness(report *r, const cb_plan *p, const cb_readiness *rd)
{
    table *t = TABLE(r, "readiness", "Readiness per member", "member", "attempts", "questions",
                     "projected", "margin", "confidence", "ready", "reason", "weakest");
    for (int m = 0; m < p->n_members; m++) {
        const cb_member_readiness *mr = &rd->members[m];
        int questions = 0;
        for (int k = 0; k < mr->n_attempts; k++)
            questions += mr->attempts[k]->total_asked;
        bool has = mr->projected >= 0;
        const cb_weak_link *w = mr->n_hit_list > 0 ? &mr->hit_list[0] : NULL;
        cell *c = row_add(r, t);
        c[0] = c_str(p->members[m].id), c[1] = c_int(mr->n_attempts), c[2] = c_int(questions);
        c[3] = has ? c_num(mr->projected, 1) : c_str(NULL);
        c[4] = has ? c_num(mr->margin, 1) : c_str(NULL);
        c[5] = c_str(mr->confidence), c[6] = c_bool(mr->ready), c[7] = c_str(mr->gate_reason);
        c[8] = w && w->asked > 0 ? c_str(p->domains[w->domain].id) : c_str(NULL);
    }
}

/* A roadmap (several exams): each exam with its day and how many passed it,
 * then per exam and member the result and the readiness for that exam. A
 * single-exam plan has neither table (its report stays as it was). */
static void add_exams(report *r, const cb_state *st, const cb_readiness *rd)
{
    const cb_plan *p = st->plan;
    cb_arena *a = r->arena;
    if (p->n_exams < 2)
        return;
    table *t = TABLE(r, "exams", "Exams of the roadmap", "exam", "name", "week", "day",
                     "days_to", "questions", "minutes", "passing_score", "next", "passed");
    for (int e = 0; e < p->n_exams; e++) {
        const cb_exam *ex = &p->exams[e];
        int passed = 0;
        for (int m = 0; m < p->n_members; m++)
            passed += state_result(st, e, m).status == CB_EXAM_PASSED;
        cell *c = row_add(r, t);
        c[0] = c_str(ex->id), c[1] = c_str(ex->name), c[2] = c_int(ex->week);
        c[3] = c_day(a, plan_exam_day_of(p, e));
        c[4] = c_int(plan_exam_day_of(p, e) - st->today);
        c[5] = c_int(ex->info.questions), c[6] = c_int(ex->info.minutes);
        c[7] = c_num(ex->info.passing_score, 1), c[8] = c_bool(e == st->next_exam);
        c[9] = c_int(passed);
    }
    t = TABLE(r, "exam_readiness", "Results and readiness per exam and member", "exam",
              "member", "result", "result_day", "score", "attempts", "projected", "margin",
              "confidence", "ready", "reason", "weakest");
    for (int e = 0; e < p->n_exams && e < rd->n_exams; e++)
        for (int m = 0; m < p->n_members; m++) {
            const cb_member_readiness *mr = &rd->exams[e].members[m];
            cb_exam_result res = state_result(st, e, m);
            bool has = mr->projected >= 0;
            const cb_weak_link *w = mr->n_hit_list > 0 ? &mr->hit_list[0] : NULL;
            cell *c = row_add(r, t);
            c[0] = c_str(p->exams[e].id), c[1] = c_str(p->members[m].id);
            c[2] = c_str(cb_exam_status_names[res.status]);
            c[3] = res.date ? c_day(a, res.date) : c_str(NULL);
            c[4] = res.score >= 0 ? c_int(res.score) : c_str(NULL);
            c[5] = c_int(mr->n_attempts);
            c[6] = has ? c_num(mr->projected, 1) : c_str(NULL);
            c[7] = has ? c_num(mr->margin, 1) : c_str(NULL);
            c[8] = c_str(mr->confidence), c[9] = c_bool(mr->ready);
            c[10] = c_str(mr->gate_reason);
            c[11] = w && w->asked > 0 ? c_str(p->domains[w->domain].id) : c_str(NULL);
        }
}

/* Practice results per domain x member (the dashboard's heatmap), in plan
 * order: one row per pair, correct_pct null when the member was never asked. */
static void add_heatmap(report *r, const cb_plan *p, const cb_readiness *rd)
{
    table *t = TABLE(r, "heatmap", "Practice results per domain and member", "domain", "name",
                     "member", "asked", "right", "correct_pct");
    for (int d = 0; d < p->n_domains; d++)
        for (int m = 0; m < p->n_members; m++) {
            const cb_member_readiness *mr = &rd->members[m];
            int asked = 0, right = 0;
            for (int k = 0; k < mr->n_hit_list; k++)
                if (mr->hit_list[k].domain == d) {
                    asked = mr->hit_list[k].asked;
                    right = mr->hit_list[k].right;
                }
            cell *c = row_add(r, t);
            c[0] = c_str(p->domains[d].id), c[1] = c_str(p->domains[d].name);
            c[2] = c_str(p->members[m].id), c[3] = c_int(asked), c[4] = c_int(right);
            c[5] = asked ? c_num(100.0 * right / asked, 1) : c_str(NULL);
        }
}

static void add_burnup(report *r, const cb_plan *p, const cb_readiness *rd)
{
    table *t =
        TABLE(r, "burnup", "Burn-up (team, cumulative items)", "week", "planned", "done");
    for (int w = 0; w < p->n_weeks; w++) {
        cell *c = row_add(r, t);
        c[0] = c_int(rd->burnup[w].week), c[1] = c_int(rd->burnup[w].planned);
        c[2] = rd->burnup[w].done >= 0 ? c_int(rd->burnup[w].done) : c_str(NULL);
    }
}

/* ---- rendering ------------------------------------------------------------ */

/* Plain text of a cell; NULL cells give none. Lists join with "; ". */
static const char *cell_text(cb_arena *a, const cell *c, const char *none, bool words)
{
    switch (c->kind) {
    case C_NULL:
        return none;
    case C_STR:
        return c->s;
    case C_INT: {
        char *buf = arena_alloc(a, 24);
        snprintf(buf, 24, "%lld", c->i);
        return buf;
    }
    case C_NUM:
        return arena_printf(a, "%.*f", c->prec, c->n);
    case C_BOOL:
        return words ? (c->i ? "yes" : "no") : (c->i ? "true" : "false");
    case C_LIST: {
        const char *s = "";
        for (int i = 0; i < c->list.n; i++)
            s = arena_printf(a, "%s%s%s", s, i ? "; " : "", c->list.v[i]);
        return s;
    }
    }
    return none;
}

static const char *clean(cb_arena *a, const char *s, bool markdown)
{
    return text_escape(a, markdown ? TEXT_MD : TEXT_TERM, s);
}

static void render_text(FILE *out, report *r)
{
    cb_arena *a = r->arena;
    fprintf(out, "%s\n%s\n", clean(a, r->heading, false), clean(a, r->subheading, false));
    for (int k = 0; k < r->ntables; k++) {
        table *t = &r->tables[k];
        fprintf(out, "\n== %s\n", clean(a, t->title, false));
        if (t->single) {
            for (int j = 0; j < t->ncols; j++)
                fprintf(out, "%-20s %s\n", t->cols[j],
                        clean(a, cell_text(a, &t->cells[j], "-", true), false));
            continue;
        }
        if (t->nrows == 0) {
            fprintf(out, "(none)\n");
            continue;
        }
        int *wd = arena_alloc(a, (size_t)t->ncols * sizeof *wd);
        size_t *bytes = arena_alloc(a, (size_t)t->ncols * sizeof *bytes);
        const char **txt = arena_alloc(a, (size_t)t->nrows * t->ncols * sizeof *txt);
        for (int j = 0; j < t->ncols; j++) {
            wd[j] = text_width(t->cols[j]);
            bytes[j] = strlen(t->cols[j]);
        }
        for (int i = 0; i < t->nrows * t->ncols; i++) {
            txt[i] = clean(a, cell_text(a, &t->cells[i], "-", true), false);
            int w = text_width(txt[i]), j = i % t->ncols;
            size_t n = strlen(txt[i]);
            wd[j] = w > wd[j] ? w : wd[j];
            bytes[j] = n > bytes[j] ? n : bytes[j];
        }
        size_t linecap = 1; /* each column: its longest text and its padding */
        for (int j = 0; j < t->ncols; j++)
            linecap += bytes[j] + (size_t)wd[j] + 2;
        char *line = arena_alloc(a, linecap);
        for (int i = -1; i < t->nrows; i++) {
            char *w = line;
            for (int j = 0; j < t->ncols; j++) {
                const char *s = i < 0 ? t->cols[j] : txt[i * t->ncols + j];
                size_t n = strlen(s);
                memcpy(w, s, n);
                w += n;
                for (int pad = j == t->ncols - 1 ? 0 : wd[j] - text_width(s) + 2; pad > 0;
                     pad--)
                    *w++ = ' ';
            }
            while (w > line && w[-1] == ' ')
                w--; /* no trailing blanks when the last columns are empty */
            *w = '\0';
            fprintf(out, "%s\n", line);
        }
    }
}

static void render_markdown(FILE *out, report *r)
{
    cb_arena *a = r->arena;
    fprintf(out, "# %s\n\n%s\n", clean(a, r->heading, true), clean(a, r->subheading, true));
    for (int k = 0; k < r->ntables; k++) {
        table *t = &r->tables[k];
        fprintf(out, "\n## %s\n\n", clean(a, t->title, true));
        if (t->single) {
            fprintf(out, "| field | value |\n|---|---|\n");
            for (int j = 0; j < t->ncols; j++)
                fprintf(out, "| %s | %s |\n", t->cols[j],
                        clean(a, cell_text(a, &t->cells[j], "-", true), true));
            continue;
        }
        if (t->nrows == 0) {
            fprintf(out, "_none_\n");
            continue;
        }
        for (int j = 0; j < t->ncols; j++)
            fprintf(out, "| %s ", t->cols[j]);
        fprintf(out, "|\n");
        for (int j = 0; j < t->ncols; j++)
            fprintf(out, "|%s",
                    t->cells[j].kind == C_INT || t->cells[j].kind == C_NUM ? "---:" : "---");
        fprintf(out, "|\n");
        for (int i = 0; i < t->nrows; i++) {
            for (int j = 0; j < t->ncols; j++)
                fprintf(out, "| %s ",
                        clean(a, cell_text(a, &t->cells[i * t->ncols + j], "-", true), true));
            fprintf(out, "|\n");
        }
    }
}

/* One table: the columns are "section" then the union of every section's
 * columns in order of first appearance; a row leaves others' columns empty. */
static void render_csv(FILE *out, report *r)
{
    cb_arena *a = r->arena;
    const char *cols[256];
    int ncols = 0;
    int *map[MAX_TABLES] = {0};
    for (int k = 0; k < r->ntables; k++) {
        table *t = &r->tables[k];
        map[k] = arena_alloc(a, (size_t)t->ncols * sizeof(int));
        for (int j = 0; j < t->ncols; j++) {
            int c = 0;
            while (c < ncols && strcmp(cols[c], t->cols[j]) != 0)
                c++;
            if (c == ncols && ncols < 256)
                cols[ncols++] = t->cols[j];
            map[k][j] = c;
        }
    }
    fputs("section", out);
    for (int c = 0; c < ncols; c++) {
        fputc(',', out);
        text_put(out, TEXT_CSV, cols[c]);
    }
    fputs("\r\n", out);
    const char **row = arena_alloc(a, (size_t)ncols * sizeof *row);
    for (int k = 0; k < r->ntables; k++) {
        table *t = &r->tables[k];
        for (int i = 0; i < t->nrows; i++) {
            for (int c = 0; c < ncols; c++)
                row[c] = "";
            for (int j = 0; j < t->ncols; j++) {
                const cell *cl = &t->cells[i * t->ncols + j];
                const char *txt = cell_text(a, cl, "", false);
                /* strings are escaped (formulas neutralised); numbers as they are */
                if (map[k][j] < ncols)
                    row[map[k][j]] = cl->kind == C_STR || cl->kind == C_LIST
                                         ? text_escape(a, TEXT_CSV, txt)
                                         : txt;
            }
            text_put(out, TEXT_CSV, t->id);
            for (int c = 0; c < ncols; c++) {
                fputc(',', out);
                fputs(row[c], out);
            }
            fputs("\r\n", out);
        }
    }
}

static void json_cell(FILE *out, cb_arena *a, const cell *c)
{
    switch (c->kind) {
    case C_NULL:
        fputs("null", out);
        break;
    case C_STR:
        text_put(out, TEXT_JSON, c->s);
        break;
    case C_INT:
        fprintf(out, "%lld", c->i);
        break;
    case C_NUM:
        fprintf(out, "%.*f", c->prec, c->n);
        break;
    case C_BOOL:
        fputs(c->i ? "true" : "false", out);
        break;
    case C_LIST:
        fputc('[', out);
        for (int i = 0; i < c->list.n; i++) {
            if (i)
                fputs(", ", out);
            text_put(out, TEXT_JSON, c->list.v[i]);
        }
        fputc(']', out);
        break;
    }
}

static void json_record(FILE *out, cb_arena *a, const table *t, int row, const char *indent)
{
    fputs("{", out);
    for (int j = 0; j < t->ncols; j++) {
        fprintf(out, "%s\n%s  ", j ? "," : "", indent);
        text_put(out, TEXT_JSON, t->cols[j]);
        fputs(": ", out);
        json_cell(out, a, &t->cells[row * t->ncols + j]);
    }
    fprintf(out, "\n%s}", indent);
}

static void render_json(FILE *out, report *r)
{
    fputs("{\n  \"schema\": \"certboard-report/1\"", out);
    for (int k = 0; k < r->ntables; k++) {
        table *t = &r->tables[k];
        fputs(",\n  ", out);
        text_put(out, TEXT_JSON, t->id);
        fputs(": ", out);
        if (t->single) {
            json_record(out, r->arena, t, 0, "  ");
            continue;
        }
        fputs("[", out);
        for (int i = 0; i < t->nrows; i++) {
            fputs(i ? ",\n    " : "\n    ", out);
            json_record(out, r->arena, t, i, "    ");
        }
        fputs(t->nrows ? "\n  ]" : "]", out);
    }
    fputs("\n}\n", out);
}

/* ---- HTML ------------------------------------------------------------------
 * One page a browser shows with no network and no script: the report's tables,
 * the burn-up as an SVG line chart, the heatmap as a grid. Every string goes
 * through TEXT_HTML; colour is never the only signal (every coloured cell
 * holds its figure or word). The CSP forbids any load. */

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
    "style-src 'unsafe-inline'\">\n<style>\n"
    ":root{--fg:#1a1a1a;--bg:#fff;--dim:#555;--line:#ccc;--plan:#555;--done:#0b5cad;"
    "--ok:#d7f0dc;--okfg:#0d4a1c;--mid:#fff0c2;--midfg:#5c4200;--low:#f9d6d9;--lowfg:#6b0f18;"
    "--none:#eee;--nonefg:#444}\n"
    "@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--bg:#161616;--dim:#b0b0b0;"
    "--line:#444;--plan:#bbb;--done:#6cb4ff;--ok:#163d22;--okfg:#c9f2d3;--mid:#43360a;"
    "--midfg:#ffe8a3;--low:#4a1419;--lowfg:#ffd0d5;--none:#2a2a2a;--nonefg:#ccc}}\n"
    "body{font:15px/1.45 system-ui,sans-serif;color:var(--fg);background:var(--bg);"
    "margin:2rem auto;max-width:1100px;padding:0 1rem}\n"
    "h1{font-size:1.5rem;margin:0}h2{font-size:1.15rem;margin:2rem 0 .5rem}"
    "p.sub{color:var(--dim);margin:.2rem 0 1rem}\n"
    "table{border-collapse:collapse;width:100%;margin:.3rem 0}"
    "th,td{border-bottom:1px solid var(--line);padding:.25rem .5rem;text-align:left;"
    "vertical-align:top;overflow-wrap:anywhere}th{font-weight:600;overflow-wrap:normal}"
    "td.n{text-align:right}p.legend{color:var(--dim);margin:0}\n"
    "table#summary th{width:12rem}details{margin:.3rem 0}summary{cursor:pointer}\n"
    ".ok{background:var(--ok);color:var(--okfg)}.mid{background:var(--mid);color:var(--midfg)}"
    ".low{background:var(--low);color:var(--lowfg)}.none{background:var(--none);"
    "color:var(--nonefg)}\n"
    "svg{max-width:100%;height:auto}svg text{fill:var(--fg);font-size:12px}"
    ".axis{stroke:var(--line)}.planned{stroke:var(--plan);stroke-dasharray:5 4;fill:none;"
    "stroke-width:2}.doneline{stroke:var(--done);fill:none;stroke-width:2.5}"
    "circle.done{fill:var(--done)}\n"
    "@media print{@page{size:A4;margin:14mm}body{margin:0;max-width:none;font-size:11px}"
    "h2{break-after:avoid}table,svg{break-inside:avoid}}\n"
    "</style>\n";

static void html_text(FILE *out, const char *s)
{
    text_put(out, TEXT_HTML, s);
}

static const table *find_table(const report *r, const char *id)
{
    for (int k = 0; k < r->ntables; k++)
        if (strcmp(r->tables[k].id, id) == 0)
            return &r->tables[k];
    return NULL;
}

/* A rate's class: the colour, next to the figure that says the same. */
static const char *rate_class(const cell *c)
{
    return c->kind != C_NUM ? "none" : c->n >= 70 ? "ok" : c->n >= 50 ? "mid" : "low";
}

static void html_table(FILE *out, cb_arena *a, const table *t)
{
    fprintf(out, "<table id=\"%s\">\n", t->id);
    if (t->single) { /* one record: a row per field */
        for (int j = 0; j < t->ncols; j++) {
            fprintf(out, "<tr><th scope=\"row\">%s</th><td>", t->cols[j]);
            html_text(out, cell_text(a, &t->cells[j], "–", true));
            fputs("</td></tr>\n", out);
        }
        fputs("</table>\n", out);
        return;
    }
    fputs("<thead><tr>", out);
    for (int j = 0; j < t->ncols; j++)
        fprintf(out, "<th scope=\"col\">%s</th>", t->cols[j]);
    fputs("</tr></thead>\n<tbody>\n", out);
    for (int i = 0; i < t->nrows; i++) {
        fputs("<tr>", out);
        for (int j = 0; j < t->ncols; j++) {
            const cell *c = &t->cells[i * t->ncols + j];
            bool num = c->kind == C_INT || c->kind == C_NUM;
            const char *cls = num ? " class=\"n\"" : "";
            if (strcmp(t->cols[j], "ready") == 0 && c->kind == C_BOOL)
                cls = c->i ? " class=\"ok\"" : " class=\"low\"";
            fprintf(out, "<td%s>", cls);
            html_text(out, cell_text(a, c, "–", true));
            fputs("</td>", out);
        }
        fputs("</tr>\n", out);
    }
    if (t->nrows == 0)
        fprintf(out, "<tr><td colspan=\"%d\">none</td></tr>\n", t->ncols);
    fputs("</tbody></table>\n", out);
}

/* The burn-up: planned (dashed) and done (solid, a point per elapsed week). */
static void html_burnup(FILE *out, const table *t)
{
    enum { W = 760, H = 280, L = 48, R = 16, T = 16, B = 40 };
    long long top = 1;
    for (int i = 0; i < t->nrows; i++)
        for (int j = 1; j < 3; j++)
            if (t->cells[i * 3 + j].kind == C_INT && t->cells[i * 3 + j].i > top)
                top = t->cells[i * 3 + j].i;
    int n = t->nrows > 1 ? t->nrows : 2;
#define BX(i) (L + (double)(i) * (W - L - R) / (n - 1))
#define BY(v) (H - B - (double)(v) * (H - T - B) / (double)top)
    fprintf(out,
            "<svg id=\"burnup-chart\" role=\"img\" viewBox=\"0 0 %d %d\" width=\"%d\" "
            "height=\"%d\" aria-label=\"Burn-up: items planned (dashed line) and done (solid "
            "line, a point per elapsed week), cumulative by week, up to %lld\">\n"
            "<title>Burn-up: items planned and done, cumulative, by week</title>\n",
            W, H, W, H, top);
    fprintf(out, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", L, H - B,
            W - R, H - B);
    fprintf(out, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", L, T, L,
            H - B);
    fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%lld</text>\n", L - 6, T + 4,
            top);
    fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n", L - 6, H - B);
    for (int i = 0; i < t->nrows; i++)
        fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%lld</text>\n", BX(i),
                H - B + 18, t->cells[i * 3].i);
    fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">week</text>\n", (L + W) / 2,
            H - 4);
    for (int line = 1; line <= 2; line++) {
        fprintf(out, "<polyline class=\"%s\" points=\"", line == 1 ? "planned" : "doneline");
        for (int i = 0; i < t->nrows && t->cells[i * 3 + line].kind == C_INT; i++)
            fprintf(out, "%s%.1f,%.1f", i ? " " : "", BX(i), BY(t->cells[i * 3 + line].i));
        fputs("\"/>\n", out);
    }
    for (int i = 0; i < t->nrows && t->cells[i * 3 + 2].kind == C_INT; i++)
        fprintf(out,
                "<circle class=\"done\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\"><title>week %lld: "
                "%lld done of %lld planned</title></circle>\n",
                BX(i), BY(t->cells[i * 3 + 2].i), t->cells[i * 3].i, t->cells[i * 3 + 2].i,
                t->cells[i * 3 + 1].i);
    fputs("</svg>\n<p class=\"legend\">dashed: items planned (due) by the end of the week; "
          "solid, with a point per elapsed week: items done</p>\n",
          out);
#undef BX
#undef BY
}

/* The heatmap as a grid: domains down, members across, each cell its rate. */
static void html_heatmap(FILE *out, cb_arena *a, const table *t)
{
    int members = 0;
    while (members < t->nrows && strcmp(t->cells[members * t->ncols].s, t->cells[0].s) == 0)
        members++;
    fputs("<table id=\"heatmap-grid\">\n<thead><tr><th scope=\"col\">domain</th>", out);
    for (int m = 0; m < members; m++) {
        fputs("<th scope=\"col\">", out);
        html_text(out, t->cells[m * t->ncols + 2].s);
        fputs("</th>", out);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
    for (int i = 0; members && i < t->nrows; i++) {
        const cell *c = &t->cells[i * t->ncols];
        if (i % members == 0) {
            fputs("<tr><th scope=\"row\">", out);
            html_text(out, c[1].s);
            fputs("</th>", out);
        }
        fprintf(out, "<td class=\"cell %s\">", rate_class(&c[5]));
        html_text(out, c[5].kind == C_NUM
                           ? arena_printf(a, "%.0f%% (%lld/%lld)", c[5].n, c[4].i, c[3].i)
                           : "not asked");
        fputs(i % members == members - 1 ? "</td></tr>\n" : "</td>", out);
    }
    fputs("</tbody></table>\n", out);
}

static void render_html(FILE *out, report *r)
{
    cb_arena *a = r->arena;
    fputs(html_head, out);
    fputs("<title>", out);
    html_text(out, r->heading);
    fputs("</title>\n</head>\n<body>\n<header><h1>", out);
    html_text(out, r->heading);
    fputs("</h1><p class=\"sub\">", out);
    html_text(out, r->subheading);
    fputs("</p></header>\n<main>\n", out);
    /* what a reader outside the team looks at first: the charts, readiness,
     * this week; then the details, in the report's order */
    static const char *const first[] = {"burnup",  "readiness",  "exams",   "exam_readiness",
                                        "heatmap", "milestones", "at_risk", "progress"};
    const table *order[MAX_TABLES];
    int n = 0;
    for (size_t k = 0; k < sizeof first / sizeof first[0]; k++)
        if (find_table(r, first[k]))
            order[n++] = find_table(r, first[k]);
    for (int k = 0; k < r->ntables; k++) {
        bool listed = false;
        for (int j = 0; j < n; j++)
            listed |= order[j] == &r->tables[k];
        if (!listed)
            order[n++] = &r->tables[k];
    }
    for (int k = 0; k < n; k++) {
        const table *t = order[k];
        fprintf(out, "<section id=\"s-%s\">\n<h2>", t->id);
        html_text(out, t->title);
        fputs("</h2>\n", out);
        bool chart = strcmp(t->id, "burnup") == 0, grid = strcmp(t->id, "heatmap") == 0;
        if (chart)
            html_burnup(out, t);
        if (grid)
            html_heatmap(out, a, t);
        if (chart || grid) /* the figures behind a chart stay one click away */
            fputs("<details><summary>the figures</summary>\n", out);
        html_table(out, a, t);
        if (chart || grid)
            fputs("</details>\n", out);
        fputs("</section>\n", out);
    }
    fputs("</main>\n</body>\n</html>\n", out);
}

/* ---- entry points --------------------------------------------------------- */

int report_format_parse(const char *name, enum cb_report_format *out)
{
    static const struct {
        const char *name;
        enum cb_report_format f;
    } names[] = {
        {"text", CB_REPORT_TEXT}, {"markdown", CB_REPORT_MARKDOWN}, {"md", CB_REPORT_MARKDOWN},
        {"csv", CB_REPORT_CSV},   {"json", CB_REPORT_JSON},         {"html", CB_REPORT_HTML},
    };
    for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i].name) == 0) {
            *out = names[i].f;
            return 0;
        }
    return -1;
}

int report_write(FILE *out, cb_state *st, const cb_report_opts *opts)
{
    const cb_plan *p = st->plan;
    report r = {.arena = arena_new()};
    const cb_readiness *rd = readiness_build(st, r.arena);
    int week = opts->week > 0 ? opts->week : st->week;
    if (week < 1)
        week = 1;
    if (week > p->n_weeks)
        week = p->n_weeks;
    /* --since names a day and overrides the last stand-up (state.h) */
    cb_day since = opts->since ? opts->since : st->last_standup;
    size_t from = opts->since ? state_changes_since(st, opts->since) : st->changes_from;
    bool iso = opts->format == CB_REPORT_JSON;
    add_summary(&r, st, rd, week, since, opts->since ? NULL : st->standup_mark, iso);
    add_milestones(&r, st, week);
    add_members(&r, st, rd);
    add_blockers(&r, st, iso);
    add_changes(&r, st, from, iso);
    add_weak_links(&r, p, rd);
    add_readiness(&r, p, rd);
    add_exams(&r, st, rd);
    add_member_hit_lists(&r, p, rd);
    add_heatmap(&r, p, rd);
    add_burnup(&r, p, rd);
    switch (opts->format) {
    case CB_REPORT_TEXT:
        render_text(out, &r);
        break;
    case CB_REPORT_MARKDOWN:
        render_markdown(out, &r);
        break;
    case CB_REPORT_CSV:
        render_csv(out, &r);
        break;
    case CB_REPORT_JSON:
        render_json(out, &r);
        break;
    case CB_REPORT_HTML:
        render_html(out, &r);
        break;
    }
    arena_free(r.arena);
    return ferror(out) ? -1 : 0;
}

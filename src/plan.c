/* plan.c — loading a plan (see plan.h), its id index and the lookups.
 *
 * Loading runs three steps over one arena: YAML to nodes (plan_yaml.c), nodes
 * to structs (plan_read.c), references and rules (plan_check.c). The id index
 * is an open-addressing hash table per kind of id, in the same arena. */
#include "certboard/plan.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_impl.h"

/* ---- id index ------------------------------------------------------------- */

struct idx_slot {
    const char *key;
    int value;
};
struct idx {
    struct idx_slot *v;
    uint32_t mask;
};
struct cb_plan_index {
    struct idx kinds[REF_KINDS];
};

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

struct cb_plan_index *plan_index_new(cb_arena *a, const int n_hint[REF_KINDS])
{
    struct cb_plan_index *ix = arena_alloc(a, sizeof *ix);
    for (int k = 0; k < REF_KINDS; k++) {
        uint32_t cap = 8;
        while (cap < (uint32_t)n_hint[k] * 2 + 1)
            cap *= 2;
        ix->kinds[k].v = arena_alloc(a, cap * sizeof(struct idx_slot));
        ix->kinds[k].mask = cap - 1;
    }
    return ix;
}

/* The slot holding id, or the empty slot where it would go. */
static struct idx_slot *idx_probe(const struct idx *t, const char *id)
{
    for (uint32_t i = hash_str(id) & t->mask;; i = (i + 1) & t->mask)
        if (!t->v[i].key || strcmp(t->v[i].key, id) == 0)
            return &t->v[i];
}

int plan_index_add(struct cb_plan_index *ix, enum ref_kind kind, const char *id, int value)
{
    struct idx_slot *s = idx_probe(&ix->kinds[kind], id);
    if (s->key)
        return s->value;
    *s = (struct idx_slot){id, value};
    return -1;
}

int plan_index_find(const struct cb_plan_index *ix, enum ref_kind kind, const char *id)
{
    if (!id)
        return -1;
    const struct idx_slot *s = idx_probe(&ix->kinds[kind], id);
    return s->key ? s->value : -1;
}

const char *plan_ref_kind_name(enum ref_kind kind)
{
    static const char *const names[REF_KINDS] = {"track",   "member",    "domain", "pod",
                                                 "phase",   "milestone", "item",   "checklist",
                                                 "session", "login"};
    return names[kind];
}

/* ---- loading -------------------------------------------------------------- */

struct ordered {
    cb_diag d;
    int i;
};

static int cmp_ordered(const void *x, const void *y)
{
    const struct ordered *a = x, *b = y;
    if (a->d.line != b->d.line)
        return a->d.line - b->d.line;
    if (a->d.col != b->d.col)
        return a->d.col - b->d.col;
    return a->i - b->i;
}

/* The checks run kind by kind; readers want the file's order. Sorts the
 * diagnostics from index `from` on by position, stably. */
static void sort_diags(cb_diags *d, int from)
{
    int n = d->n - from;
    if (n < 2)
        return;
    struct ordered *v = xmalloc((size_t)n * sizeof *v);
    for (int i = 0; i < n; i++)
        v[i] = (struct ordered){d->v[from + i], i};
    qsort(v, (size_t)n, sizeof *v, cmp_ordered);
    for (int i = 0; i < n; i++)
        d->v[from + i] = v[i].d;
    free(v);
}

cb_plan *plan_load_buffer(const char *name, const char *buf, size_t len, cb_diags *diags)
{
    cb_arena *a = arena_new();
    cb_plan *p = arena_alloc(a, sizeof *p);
    p->arena = a;
    p->path = arena_strdup(a, name);
    p->lead = -1;
    int first_diag = diags->n;
    ynode *root;
    if (yn_parse(a, p->path, buf, len, diags, &root) < 0) {
        arena_free(a);
        return NULL;
    }
    if (!root || root->kind != YN_MAP) {
        cb_pos pos = root ? root->pos : (cb_pos){1, 1};
        diags_add(diags, CB_ERROR, p->path, pos.line, pos.col,
                  "%s; a plan is a map with the keys plan, members, domains, phases and weeks",
                  root ? "not a map" : "empty file");
        arena_free(a);
        return NULL;
    }
    struct plan_build b = {.p = p, .a = a, .d = diags, .file = p->path, .root = root};
    plan_read(&b);
    plan_check_all(&b);
    sort_diags(diags, first_diag);
    return p;
}

cb_plan *plan_load_file(const char *path, cb_diags *diags)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diags_add(diags, CB_ERROR, path, 0, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    /* One byte past the cap is enough to see that a file is too large. */
    size_t cap = YN_MAX_BYTES + 1, len = 0;
    char *buf = xmalloc(64 * 1024);
    size_t size = 64 * 1024;
    for (;;) {
        if (len == size) {
            size = size * 2 < cap ? size * 2 : cap;
            buf = xrealloc(buf, size);
        }
        size_t got = fread(buf + len, 1, size - len, f);
        len += got;
        if (got == 0 || len == cap)
            break;
    }
    int err = ferror(f) ? errno : 0;
    fclose(f);
    cb_plan *p = NULL;
    if (err)
        diags_add(diags, CB_ERROR, path, 0, 0, "cannot read: %s", strerror(err));
    else
        p = plan_load_buffer(path, buf, len, diags);
    free(buf);
    return p;
}

void plan_free(cb_plan *plan)
{
    if (plan)
        arena_free(plan->arena);
}

/* ---- lookups -------------------------------------------------------------- */

/* By id through the index, or by a linear search in a plan built by hand. */
#define FIND(p, kind, arr, n, field, id)                                                       \
    do {                                                                                       \
        if (!(id))                                                                             \
            return -1;                                                                         \
        if ((p)->index)                                                                        \
            return plan_index_find((p)->index, kind, id);                                      \
        for (int i_ = 0; i_ < (n); i_++)                                                       \
            if ((arr)[i_].field && strcmp((arr)[i_].field, id) == 0)                           \
                return i_;                                                                     \
        return -1;                                                                             \
    } while (0)

int plan_member(const cb_plan *p, const char *id)
{
    FIND(p, REF_MEMBER, p->members, p->n_members, id, id);
}

int plan_member_by_login(const cb_plan *p, const char *login)
{
    FIND(p, REF_LOGIN, p->members, p->n_members, login, login);
}

int plan_domain(const cb_plan *p, const char *id)
{
    FIND(p, REF_DOMAIN, p->domains, p->n_domains, id, id);
}

int plan_pod(const cb_plan *p, const char *id)
{
    FIND(p, REF_POD, p->pods, p->n_pods, id, id);
}

int plan_item(const cb_plan *p, const char *id)
{
    FIND(p, REF_ITEM, p->items, p->n_items, id, id);
}

int plan_milestone(const cb_plan *p, const char *id)
{
    FIND(p, REF_MILESTONE, p->milestones, p->n_milestones, id, id);
}

int plan_phase_of_week(const cb_plan *p, int week)
{
    if (week >= 1 && week <= p->n_weeks_defined)
        return p->weeks[week - 1].phase;
    for (int i = 0; i < p->n_phases; i++)
        if (week >= p->phases[i].weeks.lo && week <= p->phases[i].weeks.hi)
            return i;
    return -1;
}

static bool pod_has(const cb_pod *pod, int member)
{
    for (int i = 0; i < pod->n_members; i++)
        if (pod->members[i] == member)
            return true;
    return false;
}

bool plan_owner_covers(const cb_plan *p, cb_owner owner, int member)
{
    if (member < 0 || member >= p->n_members)
        return false;
    switch (owner.kind) {
    case CB_OWNER_TEAM:
        return true;
    case CB_OWNER_MEMBER:
        return owner.index == member;
    case CB_OWNER_POD:
        return owner.index >= 0 && owner.index < p->n_pods &&
               pod_has(&p->pods[owner.index], member);
    case CB_OWNER_TRACK:
        return owner.index >= 0 && p->members[member].track == owner.index;
    }
    return false;
}

bool plan_item_assigned(const cb_plan *p, int item, int member)
{
    if (item < 0 || item >= p->n_items)
        return false;
    int c = p->items[item].checklist;
    return c >= 0 && c < p->n_checklists &&
           plan_owner_covers(p, p->checklists[c].owner, member);
}

int plan_pod_of_member(const cb_plan *p, int member)
{
    for (int i = 0; i < p->n_pods; i++)
        if (pod_has(&p->pods[i], member))
            return i;
    return -1;
}

int plan_week_of_day(const cb_plan *p, cb_day day)
{
    if (day < p->start)
        return 0;
    if (p->n_breaks == 0) {
        int w = (day - p->start) / 7 + 1;
        return w > p->n_weeks ? p->n_weeks + 1 : w;
    }
    if (day >= plan_week_start(p, p->n_weeks) + 7)
        return p->n_weeks + 1;
    int w = 1;
    for (int k = 2; k <= p->n_weeks && plan_week_start(p, k) <= day; k++)
        w = k;
    return w;
}

cb_day plan_week_start(const cb_plan *p, int week)
{
    cb_day d = p->start + (week - 1) * 7;
    for (int i = 0; i < p->n_breaks; i++)
        if (p->breaks[i] <= d)
            d += 7;
    return d;
}

cb_day plan_exam_day(const cb_plan *p)
{
    return p->exam.date ? p->exam.date : plan_week_start(p, p->n_weeks) + 6;
}

cb_day plan_exam_day_of(const cb_plan *p, int exam)
{
    if (exam < 0 || exam >= p->n_exams)
        return plan_exam_day(p);
    const cb_exam *e = &p->exams[exam];
    if (e->info.date)
        return e->info.date;
    return e->week > 0 ? plan_week_start(p, e->week) + 6 : plan_exam_day(p);
}

int plan_exam(const cb_plan *p, const char *id)
{
    for (int i = 0; i < p->n_exams; i++)
        if (p->exams[i].id && id && strcmp(p->exams[i].id, id) == 0)
            return i;
    return -1;
}

const char *plan_level_name(enum cb_level level)
{
    static const char *const names[] = {"novice", "intermediate", "experienced"};
    return (unsigned)level < 3 ? names[level] : "?";
}

/* test_orphans.c — state whose ids the plan no longer has, found in a
 * hand-built snapshot against tests/data/plans/minimal.yaml (members ana, bo,
 * cy; bo and cy on track A; items read-guide and practice for everyone, lab1
 * for track A, ops-demo for pod p2; milestones m-kickoff, m-teach, m-exam). */
#include <stdint.h>
#include <stdlib.h>

#include "certboard/date.h"
#include "certboard/orphans.h"
#include "t.h"

static cb_plan *plan;

static struct {
    const char *member, *key, *value;
} script[] = {
    {"bo", "tick/read-guide/bo", "1"},                    /* resolves */
    {"bo", "tick/old-topic/bo", "1"},                     /* unknown item */
    {"ana", "tick/lab1/ana", "1"},                        /* lab1 is not on ana's checklist */
    {"ana", "tick/read-guide/zed", "1"},                  /* unknown member */
    {"ana", "ms/m-old", "at-risk"},                       /* unknown milestone ... */
    {"ana", "ms/m-old", "pending"},                       /* ... now cleared */
    {"ana", "ms/m-kickoff", "done"},                      /* resolves */
    {"bo", "exam/a1", "v1;member=bo;date=2026-01-20"},    /* resolves */
    {"ana", "exam/a2", "v1;date=2026-01-20;member=gone"}, /* unknown member */
    {"ana", "exam/a3", "v1;member=g%6Fne2;date=2026-01-20"}, /* escaped, unknown ... */
    {"ana", "exam/a3", ""},                                  /* ... then deleted */
    {"ana", "exam/a4", "v1;date=2026-01-20"},                /* names no member */
    {"ana", "weird/key", "x"},                               /* unknown shape */
    {"ana", "tick/lab1", "1"},                               /* unknown shape: no member */
    {"cy", "exam/a5", "v1;member=gone"},                     /* orphan in the history only: */
    {"cy", "exam/a5", "v1;member=cy"},                       /* the attempt now names cy */
};
#define N_SCRIPT (sizeof script / sizeof script[0])

static cb_event events[N_SCRIPT];
static const cb_event *current[N_SCRIPT];
static cb_snapshot snap;

static int64_t day_ms(int y, int m, int d)
{
    return (int64_t)date_from_ymd(y, m, d) * 86400000 + 3600000;
}

static int cmp_current(const void *a, const void *b)
{
    return strcmp((*(const cb_event *const *)a)->key, (*(const cb_event *const *)b)->key);
}

/* The snapshot the store would build from the script: history in order, the
 * last change of each key current, current sorted by key. */
static void build_snapshot(void)
{
    size_t n_current = 0;
    for (size_t i = 0; i < N_SCRIPT; i++) {
        events[i] = (cb_event){.client = "c1",
                               .seq = (int64_t)i + 1,
                               .hlc = (uint64_t)day_ms(2026, 1, 5 + (int)i) << 16,
                               .wall_ms = day_ms(2026, 1, 5 + (int)i),
                               .member = script[i].member,
                               .key = script[i].key,
                               .value = script[i].value};
        size_t k = 0;
        while (k < n_current && strcmp(current[k]->key, script[i].key) != 0)
            k++;
        current[k] = &events[i];
        n_current += k == n_current;
    }
    qsort(current, n_current, sizeof *current, cmp_current);
    snap = (cb_snapshot){.events = events,
                         .n_events = N_SCRIPT,
                         .current = current,
                         .n_current = n_current,
                         .n_shards = 1};
}

static const cb_orphan *find(const cb_orphans *r, const char *key)
{
    for (int i = 0; i < r->n_current; i++)
        if (strcmp(r->current[i].key, key) == 0)
            return &r->current[i];
    return NULL;
}

TEST(every_kind_of_orphan)
{
    cb_arena *a = arena_new();
    cb_orphans *r = orphans_find(plan, &snap, a);
    CHECK_INT(r->n_current, 9);
    CHECK_INT(r->n_live, 7);
    for (int i = 1; i < r->n_current; i++)
        CHECK(strcmp(r->current[i - 1].key, r->current[i].key) < 0);
    static const char *const resolved[] = {"tick/read-guide/bo", "ms/m-kickoff", "exam/a1",
                                           "exam/a5"};
    for (size_t i = 0; i < sizeof resolved / sizeof *resolved; i++)
        CHECK(find(r, resolved[i]) == NULL);

    const cb_orphan *o = find(r, "tick/old-topic/bo");
    CHECK(o && o->why == CB_ORPHAN_ITEM && o->live);
    CHECK_STR(o ? o->id : NULL, "old-topic");
    CHECK_STR(o ? o->member : NULL, "bo");
    o = find(r, "tick/lab1/ana");
    CHECK(o && o->why == CB_ORPHAN_NOT_ASSIGNED && o->live);
    o = find(r, "tick/read-guide/zed");
    CHECK(o && o->why == CB_ORPHAN_MEMBER);
    CHECK_STR(o ? o->member : NULL, "zed");
    o = find(r, "ms/m-old");
    CHECK(o && o->why == CB_ORPHAN_MILESTONE && !o->live);
    CHECK_STR(o && o->event ? o->event->value : NULL, "pending");
    o = find(r, "exam/a2");
    CHECK(o && o->why == CB_ORPHAN_MEMBER && o->live);
    CHECK_STR(o ? o->member : NULL, "gone");
    o = find(r, "exam/a3");
    CHECK(o && o->why == CB_ORPHAN_MEMBER && !o->live);
    CHECK_STR(o ? o->member : NULL, "gone2");
    o = find(r, "exam/a4");
    CHECK(o && o->why == CB_ORPHAN_NO_MEMBER && o->live);
    o = find(r, "weird/key");
    CHECK(o && o->why == CB_ORPHAN_SHAPE && o->live && !o->id);
    o = find(r, "tick/lab1");
    CHECK(o && o->why == CB_ORPHAN_SHAPE);
    arena_free(a);
}

TEST(history_lists_every_orphaned_change)
{
    cb_arena *a = arena_new();
    cb_orphans *r = orphans_find(plan, &snap, a);
    CHECK_INT(r->n_history, 12);
    for (int i = 1; i < r->n_history; i++)
        CHECK(r->history[i - 1].event->seq < r->history[i].event->seq);
    /* exam/a5 once named a member the plan does not have; it is in the history
     * only. The deletion of exam/a3 is charged to the member it had. */
    int a5 = 0, a3_deleted = 0;
    for (int i = 0; i < r->n_history; i++) {
        const cb_orphan *o = &r->history[i];
        a5 += strcmp(o->key, "exam/a5") == 0;
        if (strcmp(o->key, "exam/a3") == 0 && !*o->event->value)
            a3_deleted += o->member && strcmp(o->member, "gone2") == 0;
    }
    CHECK_INT(a5, 1);
    CHECK_INT(a3_deleted, 1);
    arena_free(a);
}

TEST(descriptions)
{
    cb_arena *a = arena_new();
    cb_orphans *r = orphans_find(plan, &snap, a);
    const cb_orphan *o = find(r, "tick/old-topic/bo");
    CHECK_STR(
        o ? orphan_describe(o, a) : NULL,
        "tick of unknown item 'old-topic' for bo (ticked; last changed 2026-01-06 by bo)");
    o = find(r, "ms/m-old");
    CHECK_STR(o ? orphan_describe(o, a) : NULL,
              "status of unknown milestone 'm-old' (status pending; last changed 2026-01-10 by "
              "ana)");
    o = find(r, "exam/a3");
    CHECK_STR(
        o ? orphan_describe(o, a) : NULL,
        "exam attempt 'a3' of unknown member 'gone2' (deleted; last changed 2026-01-15 by "
        "ana)");
    o = find(r, "tick/lab1/ana");
    CHECK_CONTAINS(o ? orphan_describe(o, a) : NULL, "whose checklist no longer has it");
    o = find(r, "weird/key");
    CHECK_CONTAINS(o ? orphan_describe(o, a) : NULL,
                   "key 'weird/key' of no known shape (value 'x'");
    arena_free(a);
}

TEST(hostile_text_is_cleaned)
{
    cb_arena *a = arena_new();
    cb_orphan o;
    CHECK(orphan_classify(plan, "tick/evil\x1b[2J/bo", "1", NULL, &o, a));
    CHECK_STR(orphan_describe(&o, a), "tick of unknown item 'evil\xEF\xBF\xBD[2J' for bo");
    char long_key[300] = "ms/";
    memset(long_key + 3, 'x', 250);
    CHECK(orphan_classify(plan, long_key, "done", NULL, &o, a));
    CHECK(strlen(orphan_describe(&o, a)) < 200);
    /* A truncated escape and an empty member field. */
    CHECK(orphan_classify(plan, "exam/z", "v1;member=bo%4", NULL, &o, a));
    CHECK_STR(o.member, "bo%4");
    CHECK(orphan_classify(plan, "exam/z", "member=;v1", NULL, &o, a));
    CHECK(o.why == CB_ORPHAN_NO_MEMBER);
    CHECK(!orphan_classify(plan, "exam/z", "member=b%6F", NULL, &o, a));
    CHECK(orphan_classify(plan, "ms/", "done", NULL, &o, a) && o.why == CB_ORPHAN_SHAPE);
    CHECK(orphan_classify(plan, "tick//bo", "1", NULL, &o, a) && o.why == CB_ORPHAN_SHAPE);
    CHECK(orphan_classify(plan, "tick/lab1/bo/x", "1", NULL, &o, a) &&
          o.why == CB_ORPHAN_SHAPE);
    arena_free(a);
}

TEST(empty_snapshot)
{
    cb_arena *a = arena_new();
    cb_snapshot empty = {0};
    cb_orphans *r = orphans_find(plan, &empty, a);
    CHECK_INT(r->n_current + r->n_history + r->n_live, 0);
    r = orphans_find(plan, NULL, a);
    CHECK_INT(r->n_current, 0);
    arena_free(a);
}

int main(void)
{
    const char *root = getenv("ROOT");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/plans/minimal.yaml", root ? root : ".");
    cb_diags d;
    diags_init(&d);
    plan = plan_load_file(path, &d);
    if (!plan || diags_errors(&d)) {
        diags_print(&d, stdout);
        printf("FAIL: test_orphans/fixture: cannot load %s\n", path);
        return 1;
    }
    diags_free(&d);
    build_snapshot();
    RUN(every_kind_of_orphan);
    RUN(history_lists_every_orphaned_change);
    RUN(descriptions);
    RUN(hostile_text_is_cleaned);
    RUN(empty_snapshot);
    plan_free(plan);
    return t_done();
}

/* test_readiness.c — pins the readiness arithmetic on a hand-built plan and
 * snapshot: attempt text, weighted miss rates and their ranking, projected
 * scores and margins, the gate, pacing and burn-up. Each expected number has
 * its hand computation beside it. */
#include "certboard/keys.h"
#include "certboard/readiness.h"

#include "readiness_fixture.h"
#include "t.h"

/* Today: Wednesday 2026-02-04 = start + 30, week 5; but the nov1 attempt a2 of
 * 2026-02-09 is after it, so for most tests "today" is 2026-02-10 (start + 36,
 * still week 6). Both are used below and say which. */

/* The state readiness is computed from (rebuilt by build()). */
static cb_state *ST;

static cb_readiness *build(const cb_snapshot *s, const char *today, cb_arena *a)
{
    state_free(ST);
    ST = state_build(&plan, NULL, s, day(today));
    return readiness_build(ST, a);
}

static int due_week(int item, int member)
{
    cb_arena *a = arena_new();
    build(NULL, "2026-01-05", a);
    arena_free(a);
    return ST->due[item * plan.n_members + member];
}

static int team_due(void)
{
    int n = 0;
    for (int m = 0; m < plan.n_members; m++)
        n += ST->members[m].due;
    return n;
}

TEST(attempt_roundtrip_and_escaping)
{
    cb_arena *a = arena_new();
    cb_attempt at;
    char err[160];
    CHECK_INT(attempt_parse(&plan, "x1",
                            "v1;member=nov1;date=2026-02-02;source=a%3Bb%3Dc%25 d;"
                            "minutes=5;d:C=1/2;d:A=2/3",
                            &at, a, err, sizeof err),
              0);
    CHECK_STR(at.source, "a;b=c% d");
    CHECK_INT(at.total_right, 3); /* 1 + 2 */
    CHECK_INT(at.total_asked, 5); /* 2 + 3 */
    CHECK(at.per_domain);
    /* Format writes domains in plan order, escapes ; = % */
    CHECK_STR(attempt_format(&plan, &at, a),
              "v1;member=nov1;date=2026-02-02;source=a%3Bb%3Dc%25 d;minutes=5;d:A=2/3;d:C=1/2");
    cb_attempt t2 = {.id = "x2",
                     .member = 1,
                     .date = day("2026-01-31"),
                     .source = "tab\there",
                     .total_right = 30,
                     .total_asked = 59};
    CHECK_STR(attempt_format(&plan, &t2, a),
              "v1;member=int1;date=2026-01-31;source=tab%09here;minutes=0;total=30/59");
    arena_free(a);
}

TEST(attempt_parse_rejects_garbage)
{
    static const struct {
        const char *text, *reason;
    } bad[] = {
        {"", "empty"},
        {"v2;member=nov1", "unsupported"},
        {"v1;member=nobody;date=2026-01-01;total=1/2", "unknown member 'nobody'"},
        {"v1;member=nov1;date=2026-02-30;total=1/2", "bad date"},
        {"v1;member=nov1;date=2026-01-01;total=3/2", "more right than asked"},
        {"v1;member=nov1;date=2026-01-01;total=-1/2", "bad total"},
        {"v1;member=nov1;date=2026-01-01;d:Z=1/2", "unknown domain 'Z'"},
        {"v1;member=nov1;date=2026-01-01;d:A=1/2;d:A=1/2", "given twice"},
        {"v1;member=nov1;member=nov1;date=2026-01-01;total=1/2", "duplicate field"},
        {"v1;member=nov1;date=2026-01-01", "no results"},
        {"v1;member=nov1;date=2026-01-01;total=1/60", "the exam has 59"},
        {"v1;member=nov1;date=2026-01-01;total=1/2;color=red", "unknown field 'color'"},
        {"v1;member=nov1;date=2026-01-01;source=%1b[2J;total=1/2", "control character"},
        {"v1;member=nov1;date=2026-01-01;source=%4;total=1/2", "bad escape"},
        {"v1;member=nov1;date=2026-01-01;source=%C2%9B2J;total=1/2", "control character"},
        {"v1;member=nov1;date=2026-01-01;source=a%FFb;total=1/2", "invalid UTF-8"},
        {"v1;member=nov1;date=2026-01-01;;total=1/2", "empty field"},
        {"v1;member=nov1;date=2026-01-01;d:A=1/2;total=2/2", "disagrees"},
        {"v1;member=nov1;date=2026-01-01;minutes=999;total=1/2", "3 x the exam"},
        {"v1;member=nov1;date=2026-01-01;d:A=0/0", "no questions"},
    };
    cb_arena *a = arena_new();
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cb_attempt at;
        char err[160] = "";
        CHECK_INT(attempt_parse(&plan, "x", bad[i].text, &at, a, err, sizeof err), -1);
        CHECK_CONTAINS(err, bad[i].reason);
    }
    cb_attempt at;
    char err[160];
    CHECK_INT(attempt_parse(&plan, "bad/id", "v1;member=nov1;date=2026-01-01;total=1/2", &at, a,
                            err, sizeof err),
              -1);
    arena_free(a);
}

TEST(attempt_check_refuses_impossible_numbers)
{
    int right[3] = {5, 0, 0}, asked[3] = {4, 0, 0};
    cb_attempt at = {.id = "x",
                     .member = 0,
                     .date = day("2026-02-01"),
                     .source = "",
                     .right = right,
                     .asked = asked,
                     .total_right = 5,
                     .total_asked = 4,
                     .per_domain = true};
    char err[160] = "";
    CHECK_INT(attempt_check(&plan, &at, day("2026-02-04"), err, sizeof err), -1);
    CHECK_CONTAINS(err, "A: more right than asked (5/4)");
    right[0] = -1;
    at.total_right = -1;
    CHECK_INT(attempt_check(&plan, &at, day("2026-02-04"), err, sizeof err), -1);
    CHECK_CONTAINS(err, "negative");
    right[0] = 3;
    at.total_right = 3;
    CHECK_INT(attempt_check(&plan, &at, day("2026-02-04"), err, sizeof err), 0);
    CHECK_INT(attempt_check(&plan, &at, day("2026-01-31"), err, sizeof err), -1);
    CHECK_CONTAINS(err, "date 2026-02-01 is in the future (today is 2026-01-31)");
}

TEST(weights_and_due_weeks)
{
    CHECK_NEAR(readiness_weight(&domains[1]), 25.0, 1e-12); /* (20 + 30) / 2 */
    CHECK_INT(due_week(0, 0), 1);                           /* i1 due 1, joined 1 */
    CHECK_INT(due_week(0, 3), 4);                           /* i1 due 1, joined 4 -> 4 */
    CHECK_INT(due_week(2, 3), 5);                           /* i3 due 5 > 4 */
}

TEST(member_weak_links_projection_and_gate)
{
    cb_arena *a = arena_new();
    cb_readiness *r = build(&snap, "2026-02-10", a);
    CHECK_INT(ST->week, 6);             /* 2026-02-10 = start + 36 */
    CHECK_INT(r->n_attempts, 4);        /* a1 a2 a3 a4; deleted and future skipped */
    CHECK_INT(ST->n_bad_attempts, 1);   /* garbage: 11/10 */
    CHECK_STR(r->attempts[0].id, "a4"); /* by date: 02-01 a4, 02-02 a1, 02-03 a3, 02-09 a2 */
    CHECK_STR(r->attempts[3].id, "a2");

    /* nov1: A 6/10 + 8/10 = 14/20 (rate .7), B 3/4 + 1/4 = 4/8 (.5), C 3/5 (.6). */
    cb_member_readiness *m = &r->members[0];
    CHECK_INT(m->n_attempts, 2);
    CHECK_INT(m->n_hit_list, 3);
    CHECK_INT(m->hit_list[0].domain, 0); /* A: miss .3 x 50 = 15 */
    CHECK_NEAR(m->hit_list[0].weighted, 15.0, 1e-9);
    CHECK_NEAR(m->hit_list[0].trend, 0.2, 1e-9); /* .8 - .6 */
    CHECK_INT(m->hit_list[1].domain, 1);         /* B: miss .5 x 25 = 12.5 */
    CHECK_NEAR(m->hit_list[1].weighted, 12.5, 1e-9);
    CHECK_NEAR(m->hit_list[1].trend, -0.5, 1e-9); /* 1/4 - 3/4 */
    CHECK_INT(m->hit_list[2].domain, 2);          /* C: miss .4 x 25 = 10 */
    CHECK_NEAR(m->hit_list[2].weighted, 10.0, 1e-9);
    CHECK_NEAR(m->hit_list[2].trend, 0.0, 1e-12); /* asked once */
    /* projected = .5 x .7 + .25 x .5 + .25 x .6 = .625 */
    CHECK_NEAR(m->projected, 62.5, 1e-9);
    /* var = .25 x (15/22)(7/22)/20 + .0625 x (5/10)(5/10)/8 + .0625 x (4/7)(3/7)/5
     *     = .00271178 + .00195313 + .00306122 = .00772613; sqrt = .0878985 */
    CHECK_NEAR(m->margin, 8.78985, 1e-4);
    CHECK_STR(m->confidence, "low"); /* 33 questions < 59 */
    CHECK(!m->ready);
    CHECK_STR(m->gate_reason, "projected 62.5% is below 70%"); /* floors: 70, 50, 60 >= 50 */

    /* exp1: A 9/10, B 3/5, C never asked; overall 12/15 = .8.
     * projected = .5 x .9 + .25 x .6 + .25 x .8 (overall for C) = .8 */
    m = &r->members[2];
    CHECK_NEAR(m->projected, 80.0, 1e-9);
    CHECK_INT(m->hit_list[0].domain, 1); /* B: .4 x 25 = 10 */
    CHECK_INT(m->hit_list[1].domain, 0); /* A: .1 x 50 = 5 */
    CHECK_INT(m->hit_list[2].domain, 2); /* C: never asked, last */
    CHECK_NEAR(m->hit_list[2].miss_rate, -1, 1e-12);
    CHECK_INT(m->hit_list[2].asked, 0);
    CHECK_NEAR(m->domain_rate[2], -1, 1e-12);
    /* var = .25 x (10/12)(2/12)/10 + .0625 x (4/7)(3/7)/5 + .0625 x (13/17)(4/17)/1
     *     = .00347222 + .00306122 + .01124567 = .01777911; sqrt = .1333383 */
    CHECK_NEAR(m->margin, 13.33383, 1e-4);
    CHECK_STR(m->gate_reason, "1 of 2 practice exams taken; never practised: C");

    /* int1: totals only, 40/59 = 67.7966%; margin sqrt((41/61)(20/61)/59) = .0611155 */
    m = &r->members[1];
    CHECK_NEAR(m->projected, 100.0 * 40 / 59, 1e-9);
    CHECK_NEAR(m->margin, 6.11155, 1e-4);
    CHECK_INT(m->hit_list[0].asked, 0); /* no per-domain data */

    /* late1: no attempts. Never-asked domains rank by weight: A 50, then B, C
     * (both 25) by plan order. */
    m = &r->members[3];
    CHECK_NEAR(m->projected, -1, 1e-12);
    CHECK_STR(m->confidence, "none");
    CHECK(!m->ready);
    CHECK_STR(m->gate_reason, "no practice exam yet");
    CHECK_INT(m->hit_list[0].domain, 0);
    CHECK_INT(m->hit_list[1].domain, 1);
    CHECK_INT(m->hit_list[2].domain, 2);
    arena_free(a);
}

TEST(team_and_pod_weak_links)
{
    cb_arena *a = arena_new();
    cb_readiness *r = build(&snap, "2026-02-10", a);
    /* Team: A 14/20 + 9/10 = 23/30, miss 7/30 x 50 = 11.6667;
     *       B 4/8 + 3/5 = 7/13, miss 6/13 x 25 = 11.5385; C 3/5, miss .4 x 25 = 10. */
    CHECK_INT(r->team_hit_list[0].domain, 0);
    CHECK_NEAR(r->team_hit_list[0].weighted, 50.0 * 7 / 30, 1e-9);
    CHECK_INT(r->team_hit_list[1].domain, 1);
    CHECK_NEAR(r->team_hit_list[1].weighted, 25.0 * 6 / 13, 1e-9);
    CHECK_INT(r->team_hit_list[2].domain, 2);
    /* Pod p0 owns A: 7/30 = .233333. Pod p1 owns B, C: (25 x 6/13 + 25 x .4) / 50 = .430769 */
    CHECK_NEAR(r->pod_miss_rate[0], 7.0 / 30, 1e-9);
    CHECK_NEAR(r->pod_miss_rate[1], (6.0 / 13 + 0.4) / 2, 1e-9);
    /* Pod p0's own hit list (nov1 + exp1 hold every per-domain result):
     * A 11.67 > B 11.54 > C 10, as for the team. */
    CHECK_INT(r->pod_hit_list[0][0].domain, 0);
    CHECK_INT(r->pod_hit_list[0][1].domain, 1);
    /* Pod p1 (int1 totals only, late1 nothing): every domain never asked. */
    CHECK_INT(r->pod_hit_list[1][0].asked, 0);
    arena_free(a);
}

TEST(pacing_and_burnup)
{
    cb_arena *a = arena_new();
    /* Today 2026-02-04 = start + 30: week 5; exam day start + 83: 53 days left. */
    cb_readiness *r = build(&snap, "2026-02-04", a);
    CHECK_INT(ST->week, 5);
    CHECK_INT(ST->days_to_exam, 53);
    CHECK_INT(r->n_attempts, 3); /* a2 (02-09) is after today */

    /* nov1: due (<= 5) i1 i2 i3 = 3, done i1 i2 = 2 (i3 unticked), none overdue
     * (i3 is due this week). */
    cb_member_readiness *m = &r->members[0];
    CHECK_INT(ST->members[m->member].total, 4);
    CHECK_INT(ST->members[m->member].due, 3);
    CHECK_INT(ST->members[m->member].done, 2);
    CHECK_INT(ST->members[m->member].due_done, 2);
    CHECK_INT(ST->members[m->member].overdue, 0);
    CHECK(!ST->members[m->member].behind);
    /* needed: 2 left / (54 days incl. today / 7) = 2 / 7.714286 = .259259 */
    CHECK_NEAR(m->pace_needed, 2 / (54 / 7.0), 1e-9);
    /* actual: 2 done / (31 days / 7) = .451613 */
    CHECK_NEAR(m->pace_actual, 2 / (31 / 7.0), 1e-9);
    /* finish: today + ceil(2 x 31 / 2) = today + 31 = 2026-03-07 */
    CHECK_INT(m->projected_finish, day("2026-03-07"));

    /* int1: i1 done, i2 overdue (due 2 < 5), i4 ticked "in the future" counts. */
    m = &r->members[1];
    CHECK_INT(ST->members[m->member].done, 2);
    CHECK_INT(ST->members[m->member].due_done, 1);
    CHECK_INT(ST->members[m->member].overdue, 1);
    CHECK(ST->members[m->member].behind);

    /* late1 joined week 4: i1 i2 count as due week 4, i3 week 5, i4 week 12.
     * due 3, done 1 (i1), overdue i2 (4 < 5). Pace from 2026-01-26 (start + 21):
     * 10 days -> 1 / (10/7) = .7 a week; finish today + ceil(3 x 10 / 1) = +30 = 03-06. */
    m = &r->members[3];
    CHECK_INT(ST->members[m->member].due, 3);
    CHECK_INT(ST->members[m->member].done, 1);
    CHECK_INT(ST->members[m->member].overdue, 1);
    CHECK(ST->members[m->member].behind);
    CHECK_NEAR(m->pace_actual, 0.7, 1e-9);
    CHECK_NEAR(m->pace_needed, 3 / (54 / 7.0), 1e-9);
    CHECK_INT(m->projected_finish, day("2026-03-06"));
    /* late1 burn-up: planned 0,0,0,2,3,3,...,4 (week 12); done 0,0,0,0,1, then -1 */
    cb_burnup_point *lb = r->member_burnup[3];
    CHECK_INT(lb[2].planned, 0);
    CHECK_INT(lb[3].planned, 2);
    CHECK_INT(lb[4].planned, 3);
    CHECK_INT(lb[11].planned, 4);
    CHECK_INT(lb[3].done, 0);
    CHECK_INT(lb[4].done, 1);
    CHECK_INT(lb[5].done, -1);

    /* Team: 16 assigned, due 3+3+3+3 = 12, done 2+2+3+1 = 8. */
    CHECK_INT(ST->team_total, 16);
    CHECK_INT(team_due(), 12);
    CHECK_INT(ST->team_done, 8);
    CHECK_NEAR(r->team_pace_actual, 8 / (31 / 7.0), 1e-9);  /* 1.806452 */
    CHECK_NEAR(r->team_pace_needed, 8 / (54 / 7.0), 1e-9);  /* 1.037037 */
    CHECK_INT(r->team_projected_finish, day("2026-03-07")); /* + ceil(8 x 31 / 8) = 31 */
    /* Team burn-up, planned per week: w1 3, w2 3, w4 2 (late1), w5 4, w12 4 ->
     * cumulative 3, 6, 6, 8, 12, 12 ... 12, 16.
     * Done per week: w1 2 (nov1 i1, int1 i1), w3 1 (nov1 i2), w5 5 (exp1 x3,
     * late1 i1, int1 i4 clamped to today) -> 2, 2, 3, 3, 8, then -1. */
    static const int planned[12] = {3, 6, 6, 8, 12, 12, 12, 12, 12, 12, 12, 16};
    static const int done[12] = {2, 2, 3, 3, 8, -1, -1, -1, -1, -1, -1, -1};
    for (int w = 0; w < 12; w++) {
        CHECK_INT(r->burnup[w].week, w + 1);
        CHECK_INT(r->burnup[w].planned, planned[w]);
        CHECK_INT(r->burnup[w].done, done[w]);
    }
    arena_free(a);
}

TEST(empty_state)
{
    cb_arena *a = arena_new();
    /* No snapshot at all, before the plan starts. */
    cb_readiness *r = build(NULL, "2026-01-01", a);
    CHECK_INT(ST->week, 0);
    CHECK_INT(r->n_attempts, 0);
    CHECK_INT(team_due(), 0);
    CHECK_INT(ST->team_done, 0);
    CHECK_INT(r->burnup[0].done, -1);
    CHECK_INT(r->team_projected_finish, 0);
    CHECK_NEAR(r->pod_miss_rate[0], -1, 1e-12);
    CHECK_INT(r->team_hit_list[0].domain, 0); /* by weight: A 50 */
    arena_free(a);
}

TEST(keys_build_and_parse)
{
    char buf[128];
    cb_keyref k = key_parse(key_tick(buf, sizeof buf, "i1", "nov1"));
    CHECK_INT(k.kind, KEY_TICK);
    CHECK_INT((int)k.id_len, 2);
    CHECK(strncmp(k.id, "i1", 2) == 0);
    CHECK_STR(k.member, "nov1");
    k = key_parse(key_milestone(buf, sizeof buf, "m1"));
    CHECK_INT(k.kind, KEY_MILESTONE);
    CHECK_STR(k.id, "m1");
    k = key_parse(key_exam(buf, sizeof buf, "a1"));
    CHECK_INT(k.kind, KEY_EXAM);
    CHECK_STR(k.id, "a1");
    CHECK_INT(key_kind(buf + 1), KEY_OTHER); /* a prefix cut short */
    /* broken shapes are no known kind */
    CHECK_INT(key_kind(key_tick(buf, sizeof buf, "", "nov1")), KEY_OTHER);
    CHECK_INT(key_kind(key_tick(buf, sizeof buf, "i1", "a/b")), KEY_OTHER);
    CHECK_INT(key_kind(key_exam(buf, sizeof buf, "")), KEY_OTHER);
    k = key_parse(key_block(buf, sizeof buf, "i1", "nov1"));
    CHECK_INT(k.kind, KEY_BLOCK);
    CHECK_STR(k.member, "nov1");
    k = key_parse(key_asset(buf, sizeof buf, "i2", "int1"));
    CHECK_INT(k.kind, KEY_ASSET);
    CHECK(strncmp(k.id, "i2/", 3) == 0 && k.id_len == 2);
    k = key_parse(key_standup(buf, sizeof buf, "20260203-1"));
    CHECK_INT(k.kind, KEY_STANDUP);
    CHECK_STR(k.id, "20260203-1");
    CHECK_INT(key_kind(key_block(buf, sizeof buf, "i1", "")), KEY_OTHER);
    k = key_parse(key_result(buf, sizeof buf, "genai", "nov1"));
    CHECK_STR(buf, "result/genai/nov1");
    CHECK_INT(k.kind, KEY_RESULT);
    CHECK(strncmp(k.id, "genai/", 6) == 0 && k.id_len == 5);
    CHECK_STR(k.member, "nov1");
    CHECK_INT(key_kind(key_result(buf, sizeof buf, "genai", "")), KEY_OTHER);
}

/* Blockers stand until the item is ticked; links are kept per item and
 * member; the stand-up mark starts the changes since the last stand-up unless
 * the schedule's stand-up day is later. */
static int cmp_key_ptr(const void *a, const void *b)
{
    return strcmp((*(const cb_event *const *)a)->key, (*(const cb_event *const *)b)->key);
}

TEST(blockers_assets_and_the_standup_mark)
{
    static cb_event ev[6];
    static const cb_event *cur[6];
    struct {
        const char *key, *value, *note, *member, *when;
        int hour;
    } in[6] = {
        {"block/i3/nov1", "1", "no data", "nov1", "2026-02-01", 9},
        {"block/i2/int1", "1", "x", "int1", "2026-02-02", 10},
        {"tick/i2/int1", "1", NULL, "int1", "2026-02-02", 11}, /* ends int1's blocker */
        {"standup/20260203-1", "1", NULL, "exp1", "2026-02-03", 9},
        {"asset/i2/int1", "https://x.invalid/nb", NULL, "int1", "2026-02-03", 10},
        {"tick/i1/exp1", "1", NULL, "exp1", "2026-02-03", 11},
    };
    for (int i = 0; i < 6; i++) {
        int64_t ms = (int64_t)day(in[i].when) * 86400000LL + in[i].hour * 3600000LL;
        ev[i] = (cb_event){.client = "c1",
                           .seq = i + 1,
                           .hlc = (uint64_t)ms << 16,
                           .wall_ms = ms,
                           .member = in[i].member,
                           .key = in[i].key,
                           .value = in[i].value,
                           .note = in[i].note};
        cur[i] = &ev[i];
    }
    qsort(cur, 6, sizeof *cur, cmp_key_ptr);
    cb_snapshot s = {.events = ev, .n_events = 6, .current = cur, .n_current = 6};
    cb_state *st = state_build(&plan, NULL, &s, day("2026-02-04"));
    const cb_event *b = state_blocker(st, 2, 0);
    CHECK(b != NULL);
    CHECK_STR(b && b->note ? b->note : "", "no data");
    CHECK(state_blocker(st, 1, 1) == NULL); /* ticked after it was blocked */
    CHECK_INT(st->n_blockers, 1);
    CHECK_INT(st->members[0].blocked, 1);
    CHECK_INT(st->members[1].blocked, 0);
    CHECK(state_asset(st, 1, 1) != NULL);
    CHECK_STR(state_asset(st, 1, 1) ? state_asset(st, 1, 1)->value : "",
              "https://x.invalid/nb");
    CHECK(st->standup_mark == &ev[3]);
    CHECK_INT((int)st->changes_from, 4); /* the link and exp1's tick */
    CHECK_INT(st->last_standup, day("2026-02-03"));
    cb_arena *a = arena_new();
    CHECK_STR(state_describe(st, 0, a), "nov1 is blocked on i3 (i3)");
    CHECK_STR(state_describe(st, 3, a), "exp1 marked the stand-up held");
    CHECK_STR(state_describe(st, 4, a), "int1 linked i2 (i2): https://x.invalid/nb");
    state_free(st);

    /* No mark: from 00:00 of the schedule's last stand-up day (no stand-up
     * sessions in this plan: the Monday before today, 2026-02-02). */
    cb_snapshot early = {.events = ev, .n_events = 3, .current = cur, .n_current = 0};
    st = state_build(&plan, NULL, &early, day("2026-02-04"));
    CHECK(st->standup_mark == NULL);
    CHECK_INT((int)st->changes_from, 1);
    CHECK_INT(st->last_standup, day("2026-02-02"));
    state_free(st);
    /* A mark older than the schedule's last stand-up day (a mark forgotten
     * since) does not count. */
    st = state_build(&plan, NULL, &s, day("2026-02-10"));
    CHECK(st->standup_mark == NULL);
    CHECK_INT(st->last_standup, day("2026-02-09"));
    CHECK_INT((int)st->changes_from, 6);
    state_free(st);
    arena_free(a);
}

/* The team's trend compares each member with themself: one member's first
 * attempt at 50% and another's later one at 90% is no trend at all; A going
 * 50% -> 70% and B 90% -> 80% is (+20 - 10) / 2 = +5 points. */
TEST(team_trend_compares_like_with_like)
{
    static cb_event ev[4];
    static const cb_event *cur[4];
    const char *v[4] = {
        "v1;member=nov1;date=2026-02-02;d:A=5/10", "v1;member=exp1;date=2026-02-03;d:A=9/10",
        "v1;member=nov1;date=2026-02-04;d:A=7/10", "v1;member=exp1;date=2026-02-05;d:A=8/10"};
    const char *keys[4] = {"exam/t1", "exam/t2", "exam/t3", "exam/t4"};
    for (int i = 0; i < 4; i++) {
        ev[i] = (cb_event){
            .client = "c1", .seq = i + 1, .member = "exp1", .key = keys[i], .value = v[i]};
        cur[i] = &ev[i];
    }
    cb_snapshot two = {.events = ev, .n_events = 2, .current = cur, .n_current = 2};
    cb_arena *a = arena_new();
    cb_readiness *r = build(&two, "2026-02-10", a);
    CHECK_INT(r->team_hit_list[0].domain, 0);
    CHECK_NEAR(r->team_hit_list[0].trend, 0.0, 1e-12); /* was 90 - 50 = +40 */
    cb_snapshot four = {.events = ev, .n_events = 4, .current = cur, .n_current = 4};
    r = build(&four, "2026-02-10", a);
    CHECK_NEAR(r->team_hit_list[0].trend, (0.2 - 0.1) / 2, 1e-12);
    CHECK_NEAR(r->members[0].hit_list[0].trend, 0.2, 1e-12); /* nov1 alone */
    arena_free(a);
}

/* ---- a roadmap: readiness per exam ----------------------------------------
 * tests/data/plans/roadmap.yaml: start 2026-01-05, 6 weeks, members ana, bo.
 * Exam 'first' (week 2, day 2026-01-18; 40 questions): f-a 60, f-b 40; the
 * plan's gate (min_projected 75, min_attempts 1, no floor).
 * Exam 'second' (2026-02-13; 50 questions): s-a 25, s-b 75; its own gate
 * (min_projected 70, floor 50, min_attempts 2). */

static cb_plan *load_roadmap(void)
{
    char path[4096];
    const char *root = getenv("ROOT");
    snprintf(path, sizeof path, "%s/tests/data/plans/roadmap.yaml", root ? root : ".");
    cb_diags d;
    diags_init(&d);
    cb_plan *p = plan_load_file(path, &d);
    if (!p || diags_errors(&d) > 0) {
        printf("  cannot load %s\n", path);
        plan_free(p);
        p = NULL;
    }
    diags_free(&d);
    return p;
}

static const char *const road_keys[] = {"exam/g1", "exam/g2", "exam/s1", "exam/s2"};
static const char *const road_values[] = {
    "v1;member=ana;date=2026-01-12;d:f-a=8/10;d:f-b=6/10",    /* first: its domains */
    "v1;member=bo;date=2026-01-14;total=30/40",               /* first: due next on its date */
    "v1;member=ana;date=2026-01-20;d:s-a=3/4;d:s-b=12/16",    /* second: its domains */
    "v1;member=ana;date=2026-01-15;exam=second;total=10/20"}; /* second: named */

/* Readiness of the roadmap with the first n attempts, today 2026-01-22. */
static cb_readiness *build_road(const cb_plan *p, int n, cb_state **st, cb_arena *a)
{
    static cb_event ev[4];
    static const cb_event *cur[4];
    for (int i = 0; i < n; i++) {
        ev[i] = (cb_event){.client = "c1",
                           .seq = i + 1,
                           .member = "ana",
                           .key = road_keys[i],
                           .value = road_values[i]};
        cur[i] = &ev[i];
    }
    cb_snapshot s = {
        .events = ev, .n_events = (size_t)n, .current = cur, .n_current = (size_t)n};
    state_free(*st);
    *st = state_build(p, NULL, &s, day("2026-01-22"));
    return readiness_build(*st, a);
}

TEST(readiness_per_exam)
{
    cb_plan *p = load_roadmap();
    CHECK(p != NULL);
    if (!p)
        return;
    cb_arena *a = arena_new();
    cb_state *st = NULL;

    /* Only the first exam's attempts so far. */
    cb_readiness *r = build_road(p, 2, &st, a);
    CHECK_INT(r->n_exams, 2);
    CHECK_INT(r->exams[0].n_attempts, 2);
    CHECK_INT(r->exams[1].n_attempts, 0);
    /* ana, first: f-a 8/10 = .8, f-b 6/10 = .6; projected .6 x .8 + .4 x .6 = .72.
     * var = .36 x (9/12)(3/12)/10 + .16 x (7/12)(5/12)/10 = .0106389; sqrt = .103145 */
    cb_member_readiness *m = &r->exams[0].members[0];
    CHECK_INT(m->n_attempts, 1);
    CHECK_NEAR(m->projected, 72.0, 1e-9);
    CHECK_NEAR(m->margin, 10.3145, 1e-4);
    CHECK_STR(m->confidence, "low"); /* 20 questions < 40 */
    CHECK(!m->ready);
    CHECK_STR(m->gate_reason, "projected 72.0% is below 75%");
    CHECK_INT(m->n_hit_list, 2);
    CHECK_INT(m->hit_list[0].domain, 1); /* f-b: .4 x 40 = 16 */
    CHECK_NEAR(m->hit_list[0].weighted, 16.0, 1e-9);
    CHECK_INT(m->hit_list[1].domain, 0); /* f-a: .2 x 60 = 12 */
    CHECK_NEAR(m->hit_list[1].weighted, 12.0, 1e-9);
    /* bo, first: totals only, 30/40 = 75%, the gate's 75 is met;
     * margin sqrt((31/42)(11/42)/40) = .0695181 */
    m = &r->exams[0].members[1];
    CHECK_NEAR(m->projected, 75.0, 1e-9);
    CHECK_NEAR(m->margin, 6.95181, 1e-4);
    CHECK(m->ready);
    /* the team's hit list for the first exam holds its two domains only */
    CHECK_INT(r->exams[0].n_team_hit_list, 2);
    CHECK_INT(r->exams[0].team_hit_list[0].domain, 1);
    /* nothing practised for the second exam yet */
    CHECK_NEAR(r->exams[1].members[0].projected, -1, 1e-12);
    CHECK_STR(r->exams[1].members[0].gate_reason, "no practice exam yet");

    /* A practice attempt for the second exam changes only the second's readiness. */
    r = build_road(p, 3, &st, a);
    CHECK_NEAR(r->exams[0].members[0].projected, 72.0, 1e-9);
    CHECK_STR(r->exams[0].members[0].gate_reason, "projected 72.0% is below 75%");
    CHECK_INT(r->exams[0].n_attempts, 2);
    CHECK_INT(r->exams[1].n_attempts, 1);
    m = &r->exams[1].members[0];
    /* s-a 3/4 = .75, s-b 12/16 = .75: projected .25 x .75 + .75 x .75 = .75 */
    CHECK_NEAR(m->projected, 75.0, 1e-9);
    CHECK_STR(m->gate_reason, "1 of 2 practice exams taken");
    /* team: s-b .25 x 75 = 18.75 first, s-a .25 x 25 = 6.25 */
    CHECK_INT(r->exams[1].team_hit_list[0].domain, 3);
    CHECK_NEAR(r->exams[1].team_hit_list[0].weighted, 18.75, 1e-9);
    CHECK_NEAR(r->exams[1].team_hit_list[1].weighted, 6.25, 1e-9);

    /* An attempt naming the second exam (dated before the first) counts there. */
    r = build_road(p, 4, &st, a);
    CHECK_INT(r->exams[0].n_attempts, 2);
    CHECK_INT(r->exams[1].n_attempts, 2);
    m = &r->exams[1].members[0];
    /* per domain as before (the totals-only attempt adds to the overall rate
     * only): still .75; var = .0625 x (4/6)(2/6)/4 + .5625 x (13/18)(5/18)/16
     * = .0105252; sqrt = .102592 */
    CHECK_NEAR(m->projected, 75.0, 1e-9);
    CHECK_NEAR(m->margin, 10.2592, 1e-4);
    CHECK(m->ready); /* 2 attempts, 75 >= 70, floors .75 >= 50% */
    CHECK_STR(r->exams[1].members[0].confidence, "low"); /* 40 questions < 50 */
    arena_free(a);
    state_free(st);
    plan_free(p);
}

TEST(attempts_name_their_exam)
{
    cb_plan *p = load_roadmap();
    CHECK(p != NULL);
    if (!p)
        return;
    cb_arena *a = arena_new();
    cb_attempt at;
    char err[200];
    CHECK_INT(attempt_parse(p, "x", road_values[3], &at, a, err, sizeof err), 0);
    CHECK_INT(at.exam, 1);
    CHECK(at.exam_named);
    CHECK_STR(attempt_format(p, &at, a),
              "v1;member=ana;date=2026-01-15;source=;minutes=0;exam=second;total=10/20");
    /* by date: before the first exam's day, the first; after it, the second */
    CHECK_INT(attempt_parse(p, "x", road_values[1], &at, a, err, sizeof err), 0);
    CHECK_INT(at.exam, 0);
    CHECK(!at.exam_named);
    CHECK_INT(attempt_parse(p, "x", "v1;member=bo;date=2026-01-19;total=30/40", &at, a, err,
                            sizeof err),
              0);
    CHECK_INT(at.exam, 1);
    /* the format stays as before when the exam is not named */
    CHECK_STR(attempt_format(p, &at, a),
              "v1;member=bo;date=2026-01-19;source=;minutes=0;total=30/40");
    /* refusals */
    CHECK_INT(attempt_parse(p, "x", "v1;member=ana;date=2026-01-12;exam=second;d:f-a=1/2", &at,
                            a, err, sizeof err),
              -1);
    CHECK_STR(err, "domain 'f-a' is not in exam 'second'");
    CHECK_INT(attempt_parse(p, "x", "v1;member=ana;date=2026-01-12;exam=third;total=1/2", &at,
                            a, err, sizeof err),
              -1);
    CHECK_STR(err, "unknown exam 'third'");
    /* each exam's own length: 'first' has 40 questions, 'second' 50 */
    CHECK_INT(attempt_parse(p, "x", "v1;member=ana;date=2026-01-12;total=41/45", &at, a, err,
                            sizeof err),
              -1);
    CHECK_STR(err, "total: 45 questions asked, the exam has 40");
    CHECK_INT(attempt_parse(p, "x", "v1;member=ana;date=2026-01-12;exam=second;total=41/45",
                            &at, a, err, sizeof err),
              0);
    arena_free(a);
    plan_free(p);
}

TEST(exam_results_and_the_next_exam)
{
    cb_exam_result r;
    CHECK_INT(state_result_parse("passed;date=2026-01-17;score=78", &r), 0);
    CHECK_INT(r.status, CB_EXAM_PASSED);
    CHECK_INT(r.date, day("2026-01-17"));
    CHECK_INT(r.score, 78);
    char buf[96];
    CHECK_STR(state_result_format(buf, sizeof buf, &r), "passed;date=2026-01-17;score=78");
    CHECK_INT(state_result_parse("booked;date=2026-02-13", &r), 0);
    CHECK_INT(r.score, -1);
    CHECK_STR(state_result_format(buf, sizeof buf, &r), "booked;date=2026-02-13");
    CHECK_INT(state_result_parse("passed;score=101", &r), -1);
    CHECK_INT(state_result_parse("won;date=2026-01-17", &r), -1);
    CHECK_INT(state_result_parse("passed;date=2026-13-01", &r), -1);
    CHECK_INT(state_result_parse("passed;colour=red", &r), -1);
    CHECK_INT(state_result_parse("", &r), -1);

    cb_plan *p = load_roadmap();
    CHECK(p != NULL);
    if (!p)
        return;
    static const char *const keys[] = {"result/first/ana", "result/first/bo",
                                       "result/second/bo", "result/third/ana",
                                       "result/first/zed"};
    static const char *const values[] = {
        "passed;date=2026-01-16;score=81", "failed;date=2026-01-16;score=62",
        "booked;date=2026-02-13", "passed;date=2026-01-16", "passed;date=2026-01-16"};
    cb_event ev[5];
    const cb_event *cur[5];
    for (int i = 0; i < 5; i++) {
        ev[i] = (cb_event){
            .client = "c1", .seq = i + 1, .member = "ana", .key = keys[i], .value = values[i]};
        cur[i] = &ev[i];
    }
    /* Nothing recorded: the first exam is next. */
    cb_snapshot none = {0};
    cb_state *st = state_build(p, NULL, &none, day("2026-01-14"));
    CHECK_INT(st->next_exam, 0);
    CHECK_INT(st->exam_day, day("2026-01-18"));
    CHECK_INT(st->days_to_exam, 4);
    CHECK_STR(state_exam_when(st, buf, sizeof buf), "First Associate in 4 days");
    state_free(st);
    /* ana passed the first, bo failed it: the team is still on the first;
     * ana is on the second, bo on the first. The unknown exam and member are
     * ignored. */
    cb_snapshot s = {.events = ev, .n_events = 5, .current = cur, .n_current = 5};
    st = state_build(p, NULL, &s, day("2026-01-20"));
    CHECK_INT(st->next_exam, 0);
    CHECK_INT(st->member_next_exam[0], 1);
    CHECK_INT(st->member_next_exam[1], 0);
    CHECK_INT(state_result(st, 0, 1).status, CB_EXAM_FAILED);
    CHECK_INT(state_result(st, 0, 1).score, 62);
    CHECK_INT(state_result(st, 1, 1).status, CB_EXAM_BOOKED);
    CHECK_INT(state_result(st, 1, 0).status, CB_EXAM_NONE);
    CHECK_STR(state_exam_when(st, buf, sizeof buf), "First Associate was 2 days ago");
    state_free(st);
    /* bo passes it too: the team moves on to the second exam. */
    ev[1].value = "passed;date=2026-01-19;score=71";
    st = state_build(p, NULL, &s, day("2026-01-20"));
    CHECK_INT(st->next_exam, 1);
    CHECK_INT(st->member_next_exam[1], 1);
    CHECK_INT(st->exam_day, day("2026-02-13"));
    CHECK_STR(state_exam_when(st, buf, sizeof buf), "Second Associate in 24 days");
    cb_arena *a = arena_new();
    CHECK_STR(state_describe(st, 1, a),
              "ana recorded bo passed exam first on 2026-01-19 with 71%");
    CHECK_STR(state_describe(st, 2, a),
              "ana recorded bo booked the exam second for 2026-02-13");
    arena_free(a);
    state_free(st);
    plan_free(p);
}

TEST(one_exam_shares_the_plan_results)
{
    cb_arena *a = arena_new();
    cb_readiness *r = build(&snap, "2026-02-10", a);
    CHECK_INT(r->n_exams, 1);
    CHECK(r->exams[0].members == r->members);
    CHECK(r->exams[0].team_hit_list == r->team_hit_list);
    CHECK_INT(r->exams[0].n_attempts, 4);
    CHECK_NEAR(r->exams[0].members[0].projected, 62.5, 1e-9);
    arena_free(a);
}

int main(void)
{
    build_plan();
    build_state();
    RUN(keys_build_and_parse);
    RUN(blockers_assets_and_the_standup_mark);
    RUN(team_trend_compares_like_with_like);
    RUN(attempt_roundtrip_and_escaping);
    RUN(attempt_parse_rejects_garbage);
    RUN(attempt_check_refuses_impossible_numbers);
    RUN(weights_and_due_weeks);
    RUN(member_weak_links_projection_and_gate);
    RUN(team_and_pod_weak_links);
    RUN(pacing_and_burnup);
    RUN(empty_state);
    RUN(readiness_per_exam);
    RUN(attempts_name_their_exam);
    RUN(one_exam_shares_the_plan_results);
    RUN(exam_results_and_the_next_exam);
    state_free(ST);
    return t_done();
}

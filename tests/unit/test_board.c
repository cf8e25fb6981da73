/* test_board.c — view models on a hand-built plan: current week and phase,
 * progress per member and week, overdue, milestones, checklist filters,
 * changes since the last stand-up. */
#include "board_fixture.h"
#include "certboard/board.h"
#include "certboard/keys.h"
#include "t.h"

static cb_plan *P;
static cb_arena *A;
static char k[8][128];

/* Today is Monday of week 3; the fixture's events happened on 2026-10-14
 * (before the last stand-up, Monday 10-12... no: after it) and 2026-10-19. */
#define DAY_MS(y, m, d) ((int64_t)date_from_ymd(y, m, d) * 86400000 + 3600000)

static cb_snapshot *snap_with_ticks(void)
{
    fx_kv kv[] = {
        {key_tick(k[0], sizeof k[0], "i1", "bob"), "1", NULL, "bob", DAY_MS(2026, 10, 8)},
        {key_tick(k[1], sizeof k[1], "i3", "bob"), "1", NULL, "bob", DAY_MS(2026, 10, 14)},
        {key_tick(k[2], sizeof k[2], "i5", "ann"), "1", NULL, "ann", DAY_MS(2026, 10, 19)},
        {key_milestone(k[3], sizeof k[3], "m2"), "at-risk", "waiting for review", "ann",
         DAY_MS(2026, 10, 19)},
    };
    return fixture_snapshot(A, kv, 4);
}

TEST(current_week_and_label)
{
    cb_board *b = board_build(state_build(P, NULL, NULL, date_from_ymd(2026, 10, 19)), 1);
    CHECK_INT(b->st->week, 3);
    CHECK_INT(b->st->phase, 1);
    CHECK_STR(b->week_label, "Week 3 of 4 · Phase 2: Deep Dive");
    CHECK_INT(b->st->days_to_exam, date_from_ymd(2026, 11, 1) - date_from_ymd(2026, 10, 19));
    board_free(b);
    b = board_build(state_build(P, NULL, NULL, date_from_ymd(2026, 10, 2)), 1);
    CHECK_INT(b->st->week, 0);
    CHECK_STR(b->week_label, "Starts in 3 days · Week 1 of 4");
    board_free(b);
    b = board_build(state_build(P, NULL, NULL, date_from_ymd(2026, 12, 1)), 1);
    CHECK_STR(b->week_label, "Plan finished · 4 weeks");
    CHECK(b->st->days_to_exam < 0);
    board_free(b);
}

TEST(progress_counts)
{
    cb_board *b =
        board_build(state_build(P, NULL, snap_with_ticks(), date_from_ymd(2026, 10, 19)), 1);
    /* team items (4) for all 3, pod1 items (2) for ann and bob */
    CHECK_INT(b->st->members[0].total, 6);
    CHECK_INT(b->st->members[1].total, 6);
    CHECK_INT(b->st->members[2].total, 4);
    CHECK_INT(b->st->members[1].done, 2);
    CHECK_INT(b->st->members[0].done, 1);
    CHECK_INT(b->st->team_total, 16);
    CHECK_INT(b->st->team_done, 3);
    CHECK_INT(b->st->week_total[3], 7); /* i3 x3 + i5 x2 + i6 x2 */
    CHECK_INT(b->st->week_done[3], 2);
    CHECK_INT(b->st->members[1].week_total, 3);
    CHECK_INT(b->st->members[1].week_done, 1);
    CHECK_INT(b->st->members[1].overdue, 1);       /* i2 */
    CHECK_INT(b->st->members[2].overdue, 2);       /* i1, i2 */
    CHECK_INT(state_cell(b->st, 4, 2), CELL_NONE); /* pod item, cat is not in pod1 */
    CHECK(state_overdue(b->st, 0, 2));
    CHECK(!state_overdue(b->st, 0, 1));
    board_free(b);
}

TEST(milestones)
{
    cb_board *b =
        board_build(state_build(P, NULL, snap_with_ticks(), date_from_ymd(2026, 10, 19)), 0);
    CHECK_STR(cb_ms_status_names[b->st->ms[1].status], "at-risk");
    CHECK_STR(b->st->ms[1].note, "waiting for review");
    CHECK_STR(b->st->ms[1].risk, "marked at risk");
    CHECK_STR(cb_ms_status_names[b->st->ms[0].status], "pending");
    CHECK(b->st->ms[0].note == NULL);
    /* the stand-up lists it under "At risk" */
    int found = 0;
    for (int i = 0; i < b->pane[PANE_STANDUP].n; i++)
        found += b->pane[PANE_STANDUP].v[i].kind == ROW_MILESTONE &&
                 b->pane[PANE_STANDUP].v[i].a == 1;
    CHECK_INT(found, 2); /* this week's milestones, and at risk */
    board_free(b);
}

TEST(checklist_filters)
{
    cb_board *b =
        board_build(state_build(P, NULL, snap_with_ticks(), date_from_ymd(2026, 10, 19)), 1);
    cb_arena *a = arena_new();
    cb_rows r;
    int items[FILTER_COUNT];
    for (int f = 0; f < FILTER_COUNT; f++) {
        board_checklist_rows(b, 1, f, &r, a);
        items[f] = 0;
        for (int i = 0; i < r.n; i++)
            items[f] += r.v[i].kind == ROW_ITEM;
    }
    CHECK_INT(items[FILTER_WEEK], 3);
    CHECK_INT(items[FILTER_OVERDUE], 1);
    CHECK_INT(items[FILTER_ALL], 6);
    board_checklist_rows(b, 1, FILTER_ALL, &r, a);
    CHECK_INT(r.v[0].kind, ROW_CHECK_WEEK);
    CHECK_INT(r.v[0].a, 1);
    CHECK_INT(r.v[r.n - 1].a, 3); /* the week-4 item (i4) comes last */
    CHECK_INT(r.v[r.n - 2].kind, ROW_CHECK_WEEK);
    arena_free(a);
    board_free(b);
}

TEST(changes_since_standup)
{
    /* no stand-up session in the plan: Monday; today is Monday 10-19, so the
     * last stand-up was Monday 10-12 */
    cb_board *b =
        board_build(state_build(P, NULL, snap_with_ticks(), date_from_ymd(2026, 10, 19)), 1);
    CHECK_INT(b->st->last_standup, date_from_ymd(2026, 10, 12));
    CHECK_INT((int)(b->st->snap->n_events - b->changes_from), 3);
    int first = -1, last = -1;
    for (int i = 0; i < b->pane[PANE_STANDUP].n; i++)
        if (b->pane[PANE_STANDUP].v[i].kind == ROW_EVENT) {
            last = b->pane[PANE_STANDUP].v[i].a;
            first = first < 0 ? last : first;
        }
    CHECK(first > last); /* newest first */
    board_free(b);
}

TEST(standup_sessions_set_the_last_standup)
{
    /* stand-ups on Wednesdays of weeks 3-4 */
    cb_session ss = {.id = "su",
                     .title = "Stand-up",
                     .kind = CB_SESSION_STANDUP,
                     .weeks = {3, 4},
                     .weekday = 2,
                     .minutes = 15};
    P->sessions = &ss;
    P->n_sessions = 1;
    cb_board *b = board_build(state_build(P, NULL, NULL, date_from_ymd(2026, 10, 23)),
                              1); /* Friday, week 3 */
    CHECK_INT(b->st->last_standup, date_from_ymd(2026, 10, 21));
    board_free(b);
    b = board_build(state_build(P, NULL, NULL, date_from_ymd(2026, 10, 21)),
                    1); /* the stand-up day itself */
    CHECK_INT(b->st->last_standup,
              date_from_ymd(2026, 10, 19)); /* none before: the Monday before */
    board_free(b);
    /* the Team pane lists the schedule */
    b = board_build(state_build(P, NULL, NULL, date_from_ymd(2026, 10, 21)), 1);
    int found = 0;
    for (int i = 0; i < b->pane[PANE_TEAM].n; i++)
        found += b->pane[PANE_TEAM].v[i].text &&
                 strstr(b->pane[PANE_TEAM].v[i].text, "Wed 00:00") != NULL;
    CHECK_INT(found, 1);
    board_free(b);
    P->sessions = NULL;
    P->n_sessions = 0;
}

TEST(row_text_and_find)
{
    cb_board *b = board_build(state_build(P, NULL, NULL, date_from_ymd(2026, 10, 19)), 1);
    char buf[256];
    int wk = rows_find(&b->pane[PANE_TIMELINE], (cb_row){.kind = ROW_WEEK, .a = 3});
    CHECK(wk > 0);
    board_row_text(b, &b->pane[PANE_TIMELINE].v[wk], buf, sizeof buf);
    CHECK_STR(buf, "Week 3");
    int pod = rows_find(&b->pane[PANE_TEAM], (cb_row){.kind = ROW_POD, .a = 0});
    board_row_text(b, &b->pane[PANE_TEAM].v[pod], buf, sizeof buf);
    CHECK_STR(buf, "Pod 1 · weight 80% · lead Ann Lead · domains: Code, Performance");
    CHECK_INT(board_pane_parse("standup"), PANE_STANDUP);
    CHECK_INT(board_pane_parse("3"), PANE_CHECKLISTS);
    CHECK_INT(board_pane_parse("nope"), -1);
    board_free(b);
}

int main(void)
{
    P = fixture_plan();
    A = arena_new();
    RUN(current_week_and_label);
    RUN(progress_counts);
    RUN(milestones);
    RUN(checklist_filters);
    RUN(changes_since_standup);
    RUN(standup_sessions_set_the_last_standup);
    RUN(row_text_and_find);
    arena_free(A);
    plan_free(P);
    return t_done();
}

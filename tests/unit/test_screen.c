/* test_screen.c — the dashboard without a terminal: keys, search, filters,
 * selection kept by identity across state changes, resize, hostile notes. */
#include "board_fixture.h"
#include "certboard/screen.h"
#include "certboard/keys.h"
#include "t.h"

static cb_plan *P;
static cb_arena *A;
static char k[4][128];
static char text[200 * 60 * 4 + 64];

/* The frame as text, rows joined by newlines. */
static const char *frame(cb_screen *s, int w, int h)
{
    cb_canvas *c = canvas_new(w, h, false);
    screen_draw(s, c);
    size_t len = 0;
    for (int y = 0; y < h; y++) {
        len += canvas_row_utf8(c, y, text + len, sizeof text - len - 1);
        text[len++] = '\n';
    }
    text[len] = '\0';
    canvas_free(c);
    return text;
}

static cb_app app;

static void open_screen(cb_screen *s, int me)
{
    app = (cb_app){.plan = P, .me = me};
    screen_init(s, &app, date_from_ymd(2026, 10, 19));
}

TEST(panes_and_footer)
{
    cb_screen s;
    open_screen(&s, 1);
    CHECK_INT(s.pane, PANE_MYWEEK); /* a member's home */
    const char *t = frame(&s, 80, 24);
    CHECK_CONTAINS(t, "Week 3 of 4 · Phase 2: Deep Dive");
    CHECK_CONTAINS(t, "My week: Bob Novice");
    CHECK_CONTAINS(t, "? help");
    screen_key(&s, '1');
    CHECK_CONTAINS(frame(&s, 80, 24), "▶ Week 3");
    static const char *const want[PANE_COUNT] = {"Notebooks reviewed", "Roles by phase",
                                                 "Watch AQE talk",     "Exam domains by weight",
                                                 "Progress this week", "My week: Bob Novice"};
    for (int p = 0; p < PANE_COUNT; p++) {
        CHECK(screen_key(&s, '1' + p) & ACT_REDRAW);
        CHECK_INT(s.pane, p);
        CHECK_CONTAINS(frame(&s, 80, 24), want[p]);
    }
    screen_key(&s, CB_KEY_TAB);
    CHECK_INT(s.pane, PANE_TIMELINE);
    screen_key(&s, CB_KEY_BTAB);
    CHECK_INT(s.pane, PANE_MYWEEK);
    CHECK(screen_key(&s, 'q') & ACT_QUIT);
    screen_free(&s);
    /* the lead's home is the Stand-up pane, a guest's the Timeline */
    open_screen(&s, P->lead);
    CHECK_INT(s.pane, P->lead >= 0 ? PANE_STANDUP : PANE_TIMELINE);
    screen_free(&s);
    open_screen(&s, -1);
    CHECK_INT(s.pane, PANE_TIMELINE);
    screen_free(&s);
}

TEST(checklist_filter_and_member)
{
    cb_screen s;
    open_screen(&s, 1);
    screen_key(&s, '3');
    CHECK_INT(s.member, 1);
    CHECK_INT(s.filter, FILTER_WEEK);
    screen_key(&s, 'f');
    CHECK_INT(s.filter, FILTER_OVERDUE);
    CHECK_CONTAINS(frame(&s, 100, 30), "Baseline quiz");
    screen_key(&s, 'f');
    CHECK_CONTAINS(frame(&s, 100, 30), "Practice exam");
    screen_key(&s, 'j'); /* the next member */
    CHECK_INT(s.member, 2);
    CHECK(strstr(frame(&s, 100, 30), "Build AQE notebook") == NULL); /* pod item, not hers */
    screen_key(&s, 'l');
    CHECK(s.in_items);
    CHECK_INT(screen_selected(&s)->kind, ROW_ITEM); /* lands on an item, not a heading */
    /* no store: ticking is refused with a reason, nothing crashes */
    screen_key(&s, ' ');
    CHECK_CONTAINS(s.status, "no store");
    screen_free(&s);
}

TEST(search_across_panes)
{
    cb_screen s;
    open_screen(&s, 1);
    screen_key(&s, '1');
    screen_key(&s, '/');
    for (const char *q = "aqe"; *q; q++)
        screen_key(&s, *q);
    screen_key(&s, CB_KEY_ENTER);
    /* Timeline and Team have no AQE row: the first match is my checklist */
    CHECK_INT(s.pane, PANE_CHECKLISTS);
    char buf[256];
    board_row_text(s.board, screen_selected(&s), buf, sizeof buf);
    CHECK_CONTAINS(buf, "AQE");
    int pane = s.pane, sel = s.in_items ? s.items_view.sel : s.view[s.pane].sel;
    screen_key(&s, 'n');
    CHECK(s.pane != pane || (s.in_items ? s.items_view.sel : s.view[s.pane].sel) != sel);
    board_row_text(s.board, screen_selected(&s), buf, sizeof buf);
    CHECK_CONTAINS(buf, "AQE");
    screen_key(&s, '/');
    screen_key(&s, 'z');
    screen_key(&s, 'q');
    screen_key(&s, CB_KEY_ENTER);
    CHECK_CONTAINS(s.status, "not found: zq");
    screen_free(&s);
}

TEST(selection_follows_identity)
{
    cb_screen s;
    open_screen(&s, 0);
    screen_key(&s, '5');
    /* select cat's overdue "Baseline quiz" in the Overdue list */
    const cb_rows *r = &s.board->pane[PANE_STANDUP];
    int row = rows_find(r, (cb_row){.kind = ROW_OVERDUE, .a = 1, .b = 2});
    CHECK(row > 0);
    s.view[PANE_STANDUP].sel = row;
    /* ann ticks i1 elsewhere: her overdue row above disappears */
    fx_kv kv[] = {{key_tick(k[0], sizeof k[0], "i1", "ann"), "1", NULL, "ann", 0}};
    s.fixed = fixture_snapshot(A, kv, 1);
    screen_rebuild(&s);
    const cb_row *sel = screen_selected(&s);
    CHECK(sel && sel->kind == ROW_OVERDUE && sel->a == 1 && sel->b == 2);
    CHECK_INT(s.view[PANE_STANDUP].sel, row - 1);
    screen_free(&s);
}

TEST(resize_and_too_small)
{
    cb_screen s;
    open_screen(&s, 1);
    screen_key(&s, '2');
    screen_key(&s, 'G');
    for (int i = 0; i < 20; i++) {
        int w = i % 2 ? 20 + i : 200 - i, h = i % 2 ? 6 : 60 - i;
        frame(&s, w, h);
    }
    CHECK_CONTAINS(frame(&s, 40, 10), "terminal too small: 40x10");
    const char *t = frame(&s, 80, 24);
    CHECK_CONTAINS(t, "Team ·");
    CHECK_CONTAINS(t, "Cat Novice"); /* the selection (last row) is visible */
    screen_free(&s);
}

TEST(hostile_note_is_sanitized)
{
    cb_screen s;
    open_screen(&s, 0);
    fx_kv kv[] = {{key_milestone(k[1], sizeof k[1], "m2"), "at-risk",
                   "\x1b]0;owned\x07\x1b[2J\xc2\x9b"
                   "1m\xe2\x80\xae"
                   "evil \x01\x7f漢字漢字",
                   "ann", 0}};
    s.fixed = fixture_snapshot(A, kv, 1);
    screen_rebuild(&s);
    const char *t = frame(&s, 120, 40);
    CHECK_CONTAINS(t, "]0;owned");
    for (const unsigned char *p = (const unsigned char *)t; *p; p++)
        CHECK(*p >= 0x20 || *p == '\n');
    CHECK(strstr(t, "\xc2\x9b") == NULL);
    CHECK(strstr(t, "\xe2\x80\xae") == NULL);
    screen_free(&s);
}

TEST(help_lists_every_action)
{
    cb_screen s;
    open_screen(&s, 1);
    screen_key(&s, '?');
    CHECK(s.help);
    const char *t = frame(&s, 120, 40);
    for (int i = 0; i < screen_n_actions; i++)
        CHECK_CONTAINS(t, screen_actions[i].help);
    screen_key(&s, CB_KEY_ESC);
    CHECK(!s.help);
    screen_free(&s);
}

TEST(input_line_editing)
{
    cb_screen s;
    open_screen(&s, 1);
    screen_key(&s, '/');
    CHECK_INT(s.input, INPUT_SEARCH);
    screen_key(&s, 0xE9);   /* é: two bytes of UTF-8 */
    screen_key(&s, 0x6F22); /* 漢: three */
    screen_key(&s, 'a');
    CHECK_STR(s.input_buf, "é漢a");
    screen_key(&s, CB_KEY_BACKSPACE);
    screen_key(&s, CB_KEY_BACKSPACE);
    CHECK_STR(s.input_buf, "é");
    CHECK_CONTAINS(frame(&s, 80, 24), "/é");
    screen_key(&s, CB_KEY_CTRL_U);
    CHECK_STR(s.input_buf, "");
    screen_key(&s, CB_KEY_ESC);
    CHECK_INT(s.input, INPUT_NONE);
    /* a note needs a milestone and a store: refused with a reason */
    screen_key(&s, '1');
    screen_key(&s, 'e');
    CHECK_INT(s.input, INPUT_NONE);
    CHECK(s.status[0] != '\0');
    screen_free(&s);
}

TEST(mouse)
{
    cb_screen s;
    open_screen(&s, 1);
    frame(&s, 100, 30);
    CHECK(screen_click(&s, 30, 1) & ACT_REDRAW); /* the "3 Checklists" tab */
    CHECK_INT(s.pane, PANE_CHECKLISTS);
    screen_click(&s, 5, 5); /* the third member row (rows start at line 3) */
    CHECK_INT(s.member, 2);
    CHECK(!s.in_items);
    screen_click(&s, 60, 4); /* the right side */
    CHECK(s.in_items);
    screen_click(&s, 2, 1); /* "1 Timeline" */
    CHECK_INT(s.pane, PANE_TIMELINE);
    int before = s.view[PANE_TIMELINE].sel;
    screen_wheel(&s, 10, 10, 1);
    CHECK_INT(s.view[PANE_TIMELINE].sel, before + 3);
    screen_free(&s);
}

int main(void)
{
    text_locale_init();
    P = fixture_plan();
    A = arena_new();
    RUN(panes_and_footer);
    RUN(checklist_filter_and_member);
    RUN(search_across_panes);
    RUN(selection_follows_identity);
    RUN(resize_and_too_small);
    RUN(hostile_note_is_sanitized);
    RUN(help_lists_every_action);
    RUN(input_line_editing);
    RUN(mouse);
    arena_free(A);
    plan_free(P);
    return t_done();
}

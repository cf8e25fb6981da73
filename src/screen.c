/* screen.c — the dashboard's state and its actions (see screen.h). No curses:
 * keys arrive as characters or CB_KEY_* codes; drawing is in screen_draw.c. */
#include "certboard/screen.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "screen_layout.h"

/* ---- the action table -------------------------------------------------- */

enum action_id {
    A_DOWN,
    A_UP,
    A_PGDN,
    A_PGUP,
    A_TOP,
    A_BOTTOM,
    A_LEFT,
    A_RIGHT,
    A_NEXT_PANE,
    A_PREV_PANE,
    A_PANE,
    A_DETAIL,
    A_SEARCH,
    A_NEXT_MATCH,
    A_PREV_MATCH,
    A_FILTER,
    A_POD,
    A_TICK,
    A_STATUS,
    A_NOTE,
    A_HELD,
    A_BLOCK,
    A_EXAM,
    A_DELETE_EXAM,
    A_UNDO,
    A_REFRESH,
    A_REDRAW,
    A_HELP,
    A_BACK,
    A_QUIT,
    A_COUNT
};

#define ALL_PANES ((1u << PANE_COUNT) - 1)
#define IN(p) (1u << (p))
#define MS_PANES (IN(PANE_TIMELINE) | IN(PANE_STANDUP))
#define TICK_PANES (IN(PANE_CHECKLISTS) | IN(PANE_DOMAINS) | IN(PANE_STANDUP) | IN(PANE_MYWEEK))

struct action {
    cb_action_info info;
    int keys[6]; /* 0-terminated */
};

/* One table drives key handling, the footer and the help screen. */
static const struct action actions[A_COUNT] = {
    [A_DOWN] = {{"j Down", "move down", ALL_PANES, false, NULL}, {'j', CB_KEY_DOWN}},
    [A_UP] = {{"k Up", "move up", ALL_PANES, false, NULL}, {'k', CB_KEY_UP}},
    [A_PGDN] = {{"PgDn", "page down", ALL_PANES, false, NULL}, {CB_KEY_PGDN}},
    [A_PGUP] = {{"PgUp", "page up", ALL_PANES, false, NULL}, {CB_KEY_PGUP}},
    [A_TOP] = {{"g Home", "go to the top", ALL_PANES, false, NULL}, {'g', CB_KEY_HOME}},
    [A_BOTTOM] = {{"G End", "go to the bottom", ALL_PANES, false, NULL}, {'G', CB_KEY_END}},
    [A_LEFT] = {{"h Left", "member list", IN(PANE_CHECKLISTS), false, NULL},
                {'h', CB_KEY_LEFT}},
    [A_RIGHT] = {{"l Right", "the member's items", IN(PANE_CHECKLISTS), false, NULL},
                 {'l', CB_KEY_RIGHT}},
    [A_NEXT_PANE] = {{"Tab", "next pane", ALL_PANES, true, "pane"}, {CB_KEY_TAB}},
    [A_PREV_PANE] = {{"S-Tab", "previous pane", ALL_PANES, false, NULL}, {CB_KEY_BTAB}},
    [A_PANE] = {{"1-6", "go to pane 1..6", ALL_PANES, false, NULL},
                {'1', '2', '3', '4', '5', '6'}},
    [A_DETAIL] = {{"Enter", "details: the whole text of the selected row", ALL_PANES, false,
                   NULL},
                  {CB_KEY_ENTER}},
    [A_SEARCH] = {{"/", "search items, activities, domains...", ALL_PANES, true, "search"},
                  {'/'}},
    [A_NEXT_MATCH] = {{"n", "next match", ALL_PANES, false, NULL}, {'n'}},
    [A_PREV_MATCH] = {{"N", "previous match", ALL_PANES, false, NULL}, {'N'}},
    [A_FILTER] = {{"f", "filter: this week / overdue / all", IN(PANE_CHECKLISTS), true,
                   "filter"},
                  {'f'}},
    [A_POD] = {{"p", "pod view: only my pod / every domain", IN(PANE_DOMAINS), true, "pod"},
               {'p'}},
    [A_TICK] = {{"Space", "tick / untick the item", TICK_PANES, true, "tick"}, {' '}},
    [A_STATUS] = {{"s", "milestone status (lead): then p, o, a + note, or d", MS_PANES, true,
                   "status"},
                  {'s'}},
    [A_NOTE] = {{"e", "note on the milestone (lead)", MS_PANES, true, "note"}, {'e'}},
    [A_HELD] = {{"H", "mark the stand-up held: changes start here (lead)", IN(PANE_STANDUP),
                 true, "held"},
                {'H'}},
    [A_EXAM] = {{"x", "practice exam form: record one, or edit the selected",
                 IN(PANE_DOMAINS) | IN(PANE_STANDUP) | IN(PANE_MYWEEK), true, "exam"},
                {'x'}},
    [A_DELETE_EXAM] = {{"D", "delete the selected practice exam (u undoes)", IN(PANE_MYWEEK),
                        false, NULL},
                       {'D'}},
    [A_BLOCK] = {{"b", "block the item (with a note) / unblock it", TICK_PANES, true, "block"},
                 {'b'}},
    [A_UNDO] = {{"u", "undo my last change", ALL_PANES, true, "undo"}, {'u'}},
    [A_REFRESH] = {{"r", "re-read the shared store", ALL_PANES, false, NULL}, {'r'}},
    [A_REDRAW] = {{"^L", "redraw the screen", ALL_PANES, false, NULL}, {CB_KEY_CTRL_L}},
    [A_HELP] = {{"?", "help: every key", ALL_PANES, true, "help"}, {'?'}},
    [A_BACK] = {{"Esc", "back / cancel", ALL_PANES, false, NULL}, {CB_KEY_ESC}},
    [A_QUIT] = {{"q", "quit", ALL_PANES, true, "quit"}, {'q'}},
};

static cb_action_info action_infos[A_COUNT];
const cb_action_info *const screen_actions = action_infos;
const int screen_n_actions = A_COUNT;

static void init_infos(void)
{
    for (int i = 0; i < A_COUNT; i++)
        action_infos[i] = actions[i].info;
}

bool screen_action_offered(const cb_screen *s, int action)
{
    switch (action) {
    case A_TICK:
    case A_BLOCK:
    case A_EXAM:
    case A_DELETE_EXAM:
    case A_UNDO:
        return app_can_change(s->app);
    case A_STATUS:
    case A_NOTE:
        return app_can_set_milestones(s->app);
    case A_HELD:
        return app_can_mark_standup(s->app);
    default:
        return true;
    }
}

static int action_of(int key)
{
    for (int i = 0; i < A_COUNT; i++)
        for (int k = 0; k < 6 && actions[i].keys[k]; k++)
            if (actions[i].keys[k] == key)
                return i;
    return -1;
}

/* ---- lists ------------------------------------------------------------- */

void screen_set_status(cb_screen *s, int style, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->status, sizeof s->status, fmt, ap);
    va_end(ap);
    s->status_style = style;
}

/* The list with the focus: its rows and view. */
static const cb_rows *focused_rows(cb_screen *s, cb_view **view)
{
    if (s->pane == PANE_CHECKLISTS && s->in_items) {
        *view = &s->items_view;
        return &s->items;
    }
    *view = &s->view[s->pane];
    return &s->board->pane[s->pane];
}

const cb_row *screen_selected(const cb_screen *s)
{
    cb_view *v;
    const cb_rows *r = focused_rows((cb_screen *)s, &v);
    return v->sel >= 0 && v->sel < r->n ? &r->v[v->sel] : NULL;
}

/* Clamps the selection into the list and scrolls it into a window of h rows. */
static void view_fix(cb_view *v, int n, int h)
{
    if (h < 1)
        h = 1;
    if (n == 0) {
        v->sel = -1;
        v->top = 0;
        return;
    }
    if (v->sel < 0)
        v->sel = 0;
    if (v->sel >= n)
        v->sel = n - 1;
    if (v->top > v->sel)
        v->top = v->sel;
    if (v->sel >= v->top + h)
        v->top = v->sel - h + 1;
    if (v->top > n - h)
        v->top = n - h > 0 ? n - h : 0;
    if (v->top < 0)
        v->top = 0;
}

static void rebuild_items(cb_screen *s)
{
    arena_free(s->items_arena);
    s->items_arena = arena_new();
    board_checklist_rows(s->board, s->member, s->filter, &s->items, s->items_arena);
}

static void fix_views(cb_screen *s)
{
    layout L = layout_of(s);
    for (int p = 0; p < PANE_COUNT; p++)
        view_fix(&s->view[p], s->board->pane[p].n, p == PANE_CHECKLISTS ? L.list_h : L.body_h);
    view_fix(&s->items_view, s->items.n, L.list_h);
}

/* Selecting a member on the left shows their items on the right. */
static void sync_member(cb_screen *s)
{
    const cb_rows *m = &s->board->pane[PANE_CHECKLISTS];
    int sel = s->view[PANE_CHECKLISTS].sel;
    int member = sel >= 0 && sel < m->n ? m->v[sel].a : -1;
    if (member != s->member) {
        s->member = member;
        s->items_view = (cb_view){0, 0};
        rebuild_items(s);
    }
}

static cb_board *build(const cb_screen *s)
{
    const cb_app *app = s->app;
    cb_board *b = board_build(state_build(app->plan, app->store, s->fixed, s->today), app->me);
    if (s->pod >= 0)
        board_pod_view(b, s->pod);
    return b;
}

/* p: my pod's page in the Domains pane, or every domain again. */
static void toggle_pod(cb_screen *s)
{
    const cb_plan *p = s->app->plan;
    if (s->pod >= 0) {
        s->pod = -1;
    } else {
        s->pod = board_pod_of(p, s->app->me);
        if (s->pod < 0 && p->n_pods > 0)
            s->pod = 0; /* not in a pod: the first one */
        if (s->pod < 0) {
            screen_set_status(s, CS_DIM, "this plan has no pods");
            return;
        }
    }
    board_pod_view(s->board, s->pod);
    s->view[PANE_DOMAINS] = (cb_view){0, 0};
    fix_views(s);
    screen_set_status(s, CS_DIM, "%s",
                      s->pod >= 0 ? "pod view: p shows every domain" : "every domain");
}

/* Moving to the items side lands on an item, not on a week's heading row. */
static void focus_items(cb_screen *s)
{
    s->in_items = true;
    cb_view *v = &s->items_view;
    for (int i = v->sel < 0 ? 0 : v->sel; i < s->items.n; i++) {
        if (s->items.v[i].kind == ROW_ITEM) {
            v->sel = i;
            break;
        }
    }
    fix_views(s);
}

void screen_select_member(cb_screen *s, int m)
{
    int row = rows_find(&s->board->pane[PANE_CHECKLISTS], (cb_row){.kind = ROW_MEMBER, .a = m});
    if (row < 0)
        return;
    s->view[PANE_CHECKLISTS].sel = row;
    sync_member(s);
    fix_views(s);
}

/* Selects the first row of a kind in a pane (a pane's natural first stop). */
static void select_first(cb_screen *s, int pane, int kind)
{
    const cb_rows *r = &s->board->pane[pane];
    for (int i = 0; i < r->n; i++)
        if (r->v[i].kind == kind) {
            s->view[pane].sel = i;
            return;
        }
}

void screen_init(cb_screen *s, cb_app *app, cb_day today)
{
    init_infos();
    memset(s, 0, sizeof *s);
    s->app = app;
    s->today = today;
    s->w = 80;
    s->h = 24;
    s->show_clock = true;
    s->member = -2;
    s->pod = -1;
    s->board = build(s);
    /* Start where a member looks first: their own checklist. */
    /* The timeline opens on the current week. */
    int wk = rows_find(&s->board->pane[PANE_TIMELINE],
                       (cb_row){.kind = ROW_WEEK, .a = s->board->st->week});
    if (wk >= 0) {
        s->view[PANE_TIMELINE].sel = wk;
        s->view[PANE_TIMELINE].top = wk > 2 ? wk - 2 : 0;
    }
    sync_member(s);
    if (app->me >= 0)
        screen_select_member(s, app->me);
    /* Home: the pane that fits who I am (the lead runs the stand-up, a member
     * does their week), unless the config names one. */
    int home = app->opts && app->opts->home ? board_pane_parse(app->opts->home) : -1;
    if (home < 0)
        home = app->me < 0                  ? PANE_TIMELINE
               : app->me == app->plan->lead ? PANE_STANDUP
                                            : PANE_MYWEEK;
    s->pane = home;
    select_first(s, PANE_STANDUP, ROW_MILESTONE);
    select_first(s, PANE_MYWEEK, ROW_ITEM);
    fix_views(s);
}

void screen_free(cb_screen *s)
{
    board_free(s->board);
    arena_free(s->items_arena);
    arena_free(s->form.arena);
    s->form.arena = NULL;
    s->board = NULL;
    s->items_arena = NULL;
}

/* The identity of a row survives a rebuild; its index may not. */
static int reselect(const cb_rows *rows, const cb_rows *old_rows, const cb_view *v)
{
    if (v->sel < 0 || v->sel >= old_rows->n)
        return v->sel;
    int i = rows_find(rows, old_rows->v[v->sel]);
    return i >= 0 ? i : v->sel;
}

void screen_rebuild(cb_screen *s)
{
    cb_board *old = s->board;
    cb_arena *old_items_arena = s->items_arena;
    cb_rows old_items = s->items;
    s->board = build(s);
    for (int p = 0; p < PANE_COUNT; p++) {
        int sel = reselect(&s->board->pane[p], &old->pane[p], &s->view[p]);
        s->view[p].top += sel - s->view[p].sel;
        s->view[p].sel = sel;
    }
    s->items_arena = NULL;
    rebuild_items(s);
    cb_view iv = s->items_view;
    s->items_view.sel = reselect(&s->items, &old_items, &iv);
    s->items_view.top += s->items_view.sel - iv.sel;
    board_free(old);
    arena_free(old_items_arena);
    fix_views(s);
}

void screen_resize(cb_screen *s, int w, int h)
{
    s->w = w;
    s->h = h;
    fix_views(s);
}

static void move_sel(cb_screen *s, int delta)
{
    cb_view *v;
    const cb_rows *r = focused_rows(s, &v);
    v->sel += delta;
    layout L = layout_of(s);
    view_fix(v, r->n, s->pane == PANE_CHECKLISTS ? L.list_h : L.body_h);
    if (s->pane == PANE_CHECKLISTS && !s->in_items)
        sync_member(s);
}

static void focus_pane(cb_screen *s, int pane)
{
    s->pane = (pane + PANE_COUNT) % PANE_COUNT;
    fix_views(s);
}

/* ---- search ------------------------------------------------------------ */

/* The lists search walks, in order: each pane's rows, and in Checklists the
 * member list then the shown member's items. */
enum { N_LISTS = PANE_COUNT + 1 };

static const cb_rows *list_rows(cb_screen *s, int list, cb_view **v, int *pane, bool *items)
{
    *items = list == PANE_CHECKLISTS + 1;
    *pane = list <= PANE_CHECKLISTS ? list : list - 1;
    if (*items) {
        *v = &s->items_view;
        return &s->items;
    }
    *v = &s->view[*pane];
    return &s->board->pane[*pane];
}

static bool row_matches(const cb_screen *s, const cb_row *r, const char *needle)
{
    char text[1024]; /* the text as the pane shows it, notes included */
    board_row_text(s->board, r, text, sizeof text);
    return r->kind != ROW_BLANK && strcasestr(text, needle) != NULL;
}

static void search(cb_screen *s, int dir)
{
    if (!s->search[0]) {
        screen_set_status(s, CS_DIM, "no search yet: / to search");
        return;
    }
    int list = s->pane == PANE_CHECKLISTS && s->in_items ? PANE_CHECKLISTS + 1
               : s->pane > PANE_CHECKLISTS               ? s->pane + 1
                                                         : s->pane;
    cb_view *v;
    int pane;
    bool items;
    const cb_rows *rows = list_rows(s, list, &v, &pane, &items);
    int i = v->sel;
    /* Bounded: every row of every list once, plus the start list again. */
    for (int step = 0; step <= N_LISTS; step++) {
        for (i += dir; i >= 0 && i < rows->n; i += dir)
            if (row_matches(s, &rows->v[i], s->search)) {
                s->pane = pane;
                s->in_items = items;
                v->sel = i;
                v->top = i - 2; /* a match shows near the top, with context above */
                fix_views(s);
                if (pane == PANE_CHECKLISTS && !items)
                    sync_member(s);
                screen_set_status(s, CS_DIM, "/%s", s->search);
                return;
            }
        list = (list + dir + N_LISTS) % N_LISTS;
        rows = list_rows(s, list, &v, &pane, &items);
        i = dir > 0 ? -1 : rows->n;
    }
    screen_set_status(s, CS_OVERDUE, "not found: %s", s->search);
}

/* ---- changes ----------------------------------------------------------- */

static bool can_change(cb_screen *s)
{
    if (app_can_change(s->app))
        return true;
    if (!s->app->store) {
        screen_set_status(s, CS_OVERDUE, "no store open: changes are off");
        return false;
    }
    if (s->app->me < 0) {
        screen_set_status(s, CS_OVERDUE,
                          "viewing as guest: start with --as MEMBER to make changes");
        return false;
    }
    return true;
}

static int tick_selected(cb_screen *s)
{
    const cb_row *r = screen_selected(s);
    if (!r || (r->kind != ROW_ITEM && r->kind != ROW_OVERDUE && r->kind != ROW_DOMAIN_ITEM &&
               r->kind != ROW_BLOCKER)) {
        screen_set_status(s, CS_DIM, "select a checklist item to tick it");
        return ACT_REDRAW;
    }
    if (!can_change(s))
        return ACT_REDRAW;
    int item = r->a, member = r->kind == ROW_DOMAIN_ITEM ? s->app->me : r->b;
    int st = state_cell(s->board->st, item, member);
    if (st == CELL_NONE) {
        screen_set_status(s, CS_OVERDUE, "'%s' is not on %s's checklist",
                          s->app->plan->items[item].id, s->app->plan->members[member].id);
        return ACT_REDRAW;
    }
    char err[256];
    if (app_tick(s->app, item, member, st == CELL_OPEN, err, sizeof err) != 0) {
        screen_set_status(s, CS_OVERDUE, "%s", err);
        return ACT_REDRAW;
    }
    screen_rebuild(s);
    screen_set_status(s, CS_OK, "%s %s for %s", st == CELL_OPEN ? "ticked" : "unticked",
                      s->app->plan->items[item].id, s->app->plan->members[member].id);
    /* What was built or taught goes to the team library: ask for its link. */
    const char *kind = s->app->plan->items[item].kind;
    if (st == CELL_OPEN && kind && (strcmp(kind, "build") == 0 || strcmp(kind, "teach") == 0)) {
        s->input = INPUT_LINK;
        s->input_item = item;
        s->input_member = member;
        s->input_buf[0] = '\0';
    }
    return ACT_REDRAW;
}

static int selected_milestone(cb_screen *s)
{
    const cb_row *r = screen_selected(s);
    if (!r || r->kind != ROW_MILESTONE) {
        screen_set_status(s, CS_DIM, "select a milestone first");
        return -1;
    }
    return r->a;
}

static int set_milestone(cb_screen *s, int ms, enum cb_ms_status status, const char *note)
{
    char err[256];
    if (app_milestone(s->app, ms, status, note, err, sizeof err) != 0) {
        screen_set_status(s, CS_OVERDUE, "%s", err);
        return ACT_REDRAW;
    }
    screen_rebuild(s);
    screen_set_status(s, CS_OK, "%s: %s%s%s", s->app->plan->milestones[ms].id,
                      cb_ms_status_names[status], note && note[0] ? " · " : "",
                      note ? note : "");
    return ACT_REDRAW;
}

/* The note input for milestone ms, to be stored with status. */
static int start_note_for(cb_screen *s, int ms, int status)
{
    s->input = INPUT_NOTE;
    s->input_ms = ms;
    s->input_status = status;
    snprintf(s->input_buf, sizeof s->input_buf, "%s",
             s->board->st->ms[ms].note ? s->board->st->ms[ms].note : "");
    return ACT_REDRAW;
}

/* s opens the picker; one more key sets one status (one change). */
static int open_picker(cb_screen *s)
{
    int ms = selected_milestone(s);
    if (ms < 0 || !can_change(s))
        return ACT_REDRAW;
    if (!app_can_set_milestones(s->app)) {
        char err[256];
        app_milestone(s->app, ms, CB_MS_PENDING, NULL, err, sizeof err); /* the refusal */
        screen_set_status(s, CS_OVERDUE, "%s", err);
        return ACT_REDRAW;
    }
    s->picker = true;
    s->input_ms = ms;
    screen_set_status(s, CS_KEY,
                      "%s: p pending · o on-track · a at-risk, with a note · d done · Esc",
                      s->app->plan->milestones[ms].id);
    return ACT_REDRAW;
}

static int picker_key(cb_screen *s, int key)
{
    s->picker = false;
    int ms = s->input_ms;
    const char *note = s->board->st->ms[ms].note;
    switch (key) {
    case 'p':
        return ACT_HANDLED | set_milestone(s, ms, CB_MS_PENDING, note);
    case 'o':
        return ACT_HANDLED | set_milestone(s, ms, CB_MS_ON_TRACK, note);
    case 'd':
        return ACT_HANDLED | set_milestone(s, ms, CB_MS_DONE, note);
    case 'a':
        return ACT_HANDLED | start_note_for(s, ms, CB_MS_AT_RISK);
    default:
        screen_set_status(s, CS_DIM, "status unchanged");
        return ACT_HANDLED | ACT_REDRAW;
    }
}

static int start_note(cb_screen *s)
{
    int ms = selected_milestone(s);
    if (ms < 0 || !can_change(s))
        return ACT_REDRAW;
    return start_note_for(s, ms, (int)s->board->st->ms[ms].status);
}

static int mark_held(cb_screen *s)
{
    if (!can_change(s))
        return ACT_REDRAW;
    char err[256];
    cb_arena *a = arena_new();
    const char *id = app_standup(s->app, a, err, sizeof err);
    arena_free(a);
    if (!id) {
        screen_set_status(s, CS_OVERDUE, "%s", err);
        return ACT_REDRAW;
    }
    screen_rebuild(s);
    screen_set_status(s, CS_OK,
                      "stand-up marked held: the changes since the last stand-up "
                      "start here (u undoes)");
    return ACT_REDRAW;
}

/* The item and member of the selected row, or false (with a status). */
static bool selected_item(cb_screen *s, int *item, int *member, const char *what)
{
    const cb_row *r = screen_selected(s);
    if (!r || (r->kind != ROW_ITEM && r->kind != ROW_OVERDUE && r->kind != ROW_DOMAIN_ITEM &&
               r->kind != ROW_BLOCKER)) {
        screen_set_status(s, CS_DIM, "select a checklist item to %s it", what);
        return false;
    }
    *item = r->a;
    *member = r->kind == ROW_DOMAIN_ITEM ? s->app->me : r->b;
    if (state_cell(s->board->st, *item, *member) == CELL_NONE) {
        screen_set_status(s, CS_OVERDUE, "'%s' is not on %s's checklist",
                          s->app->plan->items[*item].id,
                          *member >= 0 ? s->app->plan->members[*member].id : "your");
        return false;
    }
    return true;
}

/* b: unblocks a blocked item at once; else asks why, then blocks it. */
static int block_selected(cb_screen *s)
{
    int item, member;
    if (!selected_item(s, &item, &member, "block") || !can_change(s))
        return ACT_REDRAW;
    char err[256];
    if (!state_blocker(s->board->st, item, member)) {
        if (!app_can_change_member(s->app, member)) {
            app_block(s->app, item, member, true, "-", err, sizeof err); /* the refusal */
            screen_set_status(s, CS_OVERDUE, "%s", err);
            return ACT_REDRAW;
        }
        s->input = INPUT_BLOCK;
        s->input_item = item;
        s->input_member = member;
        s->input_buf[0] = '\0';
        return ACT_REDRAW;
    }
    if (app_block(s->app, item, member, false, NULL, err, sizeof err) != 0) {
        screen_set_status(s, CS_OVERDUE, "%s", err);
        return ACT_REDRAW;
    }
    screen_rebuild(s);
    screen_set_status(s, CS_OK, "unblocked %s for %s", s->app->plan->items[item].id,
                      s->app->plan->members[member].id);
    return ACT_REDRAW;
}

/* ---- the practice-exam form -------------------------------------------- */

/* Moves the form to field `step` with its prompt (and a default value). */
static void form_field(cb_screen *s, int step)
{
    const cb_plan *p = s->app->plan;
    s->input = INPUT_EXAM;
    s->form.step = step;
    s->input_buf[0] = '\0';
    char day[11];
    const cb_attempt *a = &s->form.a;
    bool edit = s->form.edit_id != NULL;
    if (step == 0) {
        date_format(edit ? a->date : s->today, day);
        snprintf(s->form.label, sizeof s->form.label,
                 "practice exam (Esc cancels) · date (Enter: %s): ", day);
    } else if (step == 1) {
        snprintf(s->form.label, sizeof s->form.label, "source (e.g. practice set A): ");
        if (edit)
            snprintf(s->input_buf, sizeof s->input_buf, "%s", a->source ? a->source : "");
    } else if (step == 2) {
        snprintf(s->form.label, sizeof s->form.label, "minutes used (Enter: unknown): ");
        if (edit && a->minutes)
            snprintf(s->input_buf, sizeof s->input_buf, "%d", a->minutes);
    } else if (step == 3) {
        if (edit && !a->per_domain)
            snprintf(s->input_buf, sizeof s->input_buf, "%d/%d", a->total_right,
                     a->total_asked);
        snprintf(s->form.label, sizeof s->form.label,
                 "total RIGHT/ASKED, or Enter for each of the %d domains: ", p->n_domains);
    } else {
        const cb_domain *d = &p->domains[step - 4];
        snprintf(s->form.label, sizeof s->form.label,
                 "%d/%d %s RIGHT/ASKED (Enter skips): ", step - 3, p->n_domains,
                 d->short_name ? d->short_name : d->name);
        if (edit && s->form.prefill && s->form.prefill[step - 4][1])
            snprintf(s->input_buf, sizeof s->input_buf, "%d/%d", s->form.prefill[step - 4][0],
                     s->form.prefill[step - 4][1]);
    }
}

static int start_exam(cb_screen *s)
{
    if (!can_change(s))
        return ACT_REDRAW;
    const cb_plan *p = s->app->plan;
    arena_free(s->form.arena);
    s->form.arena = arena_new();
    s->form.edit_id = NULL;
    s->form.prefill = NULL;
    s->form.a = (cb_attempt){.member = s->app->me, .date = s->today, .source = ""};
    s->form.a.right = arena_alloc(s->form.arena, (size_t)(p->n_domains + 1) * sizeof(int));
    s->form.a.asked = arena_alloc(s->form.arena, (size_t)(p->n_domains + 1) * sizeof(int));
    const cb_row *r = screen_selected(s);
    if (r && r->kind == ROW_ATTEMPT) { /* x on an attempt edits it */
        const cb_attempt *at = &s->board->st->attempts[r->a];
        cb_attempt *a = &s->form.a;
        s->form.edit_id = arena_strdup(s->form.arena, at->id);
        a->member = at->member, a->date = at->date, a->minutes = at->minutes;
        a->source = arena_strdup(s->form.arena, at->source ? at->source : "");
        a->per_domain = at->per_domain;
        a->total_right = at->total_right, a->total_asked = at->total_asked;
        memcpy(a->right, at->right, (size_t)p->n_domains * sizeof(int));
        memcpy(a->asked, at->asked, (size_t)p->n_domains * sizeof(int));
        s->form.prefill =
            arena_alloc(s->form.arena, (size_t)(p->n_domains + 1) * sizeof *s->form.prefill);
        for (int d = 0; at->per_domain && d < p->n_domains; d++)
            s->form.prefill[d][0] = at->right[d], s->form.prefill[d][1] = at->asked[d];
    }
    form_field(s, 0);
    s->status[0] = '\0';
    return ACT_REDRAW;
}

/* D on a practice exam: deleted (one change; u undoes). */
static int delete_exam(cb_screen *s)
{
    const cb_row *r = screen_selected(s);
    if (!r || r->kind != ROW_ATTEMPT) {
        screen_set_status(s, CS_DIM, "select a practice exam to delete it");
        return ACT_REDRAW;
    }
    if (!can_change(s))
        return ACT_REDRAW;
    char err[256], id[128];
    snprintf(id, sizeof id, "%s", s->board->st->attempts[r->a].id);
    cb_arena *a = arena_new();
    int rc = app_exam_change(s->app, id, NULL, a, err, sizeof err);
    arena_free(a);
    if (rc != 0) {
        screen_set_status(s, CS_OVERDUE, "%s", err);
        return ACT_REDRAW;
    }
    screen_rebuild(s);
    screen_set_status(s, CS_OK, "deleted practice exam %s (u undoes)", id);
    return ACT_REDRAW;
}

/* "R/A" with 0 <= R <= A (the rest is checked as the command line checks it,
 * by app_exam_record, when the form is complete). */
static bool parse_ra(const char *t, int *r, int *a)
{
    char end;
    return sscanf(t, "%d/%d%c", r, a, &end) == 2 && *r >= 0 && *a > 0 && *r <= *a;
}

static int submit_exam(cb_screen *s)
{
    char err[256];
    cb_attempt *a = &s->form.a;
    const char *id = s->form.edit_id;
    if (id ? app_exam_change(s->app, id, a, s->form.arena, err, sizeof err) != 0
           : !(id = app_exam_record(s->app, a, NULL, s->form.arena, err, sizeof err))) {
        screen_set_status(s, CS_OVERDUE, "%s", err);
        return ACT_HANDLED | ACT_REDRAW;
    }
    char msg[200];
    snprintf(msg, sizeof msg, "%s practice exam %s: %d/%d",
             s->form.edit_id ? "updated" : "recorded", id, a->total_right, a->total_asked);
    screen_rebuild(s);
    screen_set_status(s, CS_OK, "%s (u undoes)", msg);
    return ACT_HANDLED | ACT_REDRAW;
}

/* Enter on a field of the form: checks it, then the next field or submits. A
 * bad value keeps the field open with why. */
static int form_enter(cb_screen *s)
{
    const cb_plan *p = s->app->plan;
    cb_attempt *a = &s->form.a;
    const char *t = s->input_buf;
    int step = s->form.step, r = 0, n = 0;
    s->input = INPUT_EXAM;
    if (step == 0) {
        if (!*t)
            a->date = s->today;
        else if (!date_parse(t, &a->date)) {
            screen_set_status(s, CS_OVERDUE, "bad date '%s' (want YYYY-MM-DD)", t);
            return ACT_HANDLED | ACT_REDRAW;
        }
    } else if (step == 1) {
        a->source = arena_strdup(s->form.arena, t);
    } else if (step == 2) {
        char end;
        if (*t && (sscanf(t, "%d%c", &a->minutes, &end) != 1 || a->minutes < 0)) {
            screen_set_status(s, CS_OVERDUE, "bad minutes '%s'", t);
            return ACT_HANDLED | ACT_REDRAW;
        }
    } else if (step == 3) {
        if (*t) {
            if (!parse_ra(t, &r, &n)) {
                screen_set_status(s, CS_OVERDUE, "bad total '%s' (want RIGHT/ASKED)", t);
                return ACT_HANDLED | ACT_REDRAW;
            }
            a->per_domain = false;
            a->total_right = r, a->total_asked = n;
            s->input = INPUT_NONE;
            return submit_exam(s);
        }
        a->per_domain = true;
        a->total_right = a->total_asked = 0;
        memset(a->right, 0, (size_t)p->n_domains * sizeof *a->right);
        memset(a->asked, 0, (size_t)p->n_domains * sizeof *a->asked);
    } else {
        int d = step - 4;
        if (*t) {
            if (!parse_ra(t, &r, &n)) {
                screen_set_status(s, CS_OVERDUE, "bad result '%s' (want RIGHT/ASKED)", t);
                return ACT_HANDLED | ACT_REDRAW;
            }
            a->right[d] = r, a->asked[d] = n;
            a->total_right += r, a->total_asked += n;
        }
        if (d + 1 >= p->n_domains) {
            if (a->total_asked == 0) {
                screen_set_status(s, CS_OVERDUE, "no results: give a total or a domain's");
                form_field(s, 3);
                return ACT_HANDLED | ACT_REDRAW;
            }
            s->input = INPUT_NONE;
            return submit_exam(s);
        }
    }
    form_field(s, step + 1);
    s->status[0] = '\0';
    return ACT_HANDLED | ACT_REDRAW;
}

static int finish_link(cb_screen *s)
{
    int item = s->input_item, member = s->input_member;
    char err[256];
    if (!s->input_buf[0]) {
        screen_set_status(s, CS_DIM, "ticked %s, no link", s->app->plan->items[item].id);
        return ACT_HANDLED | ACT_REDRAW;
    }
    if (app_link(s->app, item, member, s->input_buf, err, sizeof err) != 0) {
        screen_set_status(s, CS_OVERDUE, "%s", err);
        return ACT_HANDLED | ACT_REDRAW;
    }
    screen_rebuild(s);
    screen_set_status(s, CS_OK, "linked %s: %s (the team library)",
                      s->app->plan->items[item].id, s->input_buf);
    return ACT_HANDLED | ACT_REDRAW;
}

static int finish_block(cb_screen *s)
{
    int item = s->input_item, member = s->input_member;
    char err[256];
    if (app_block(s->app, item, member, true, s->input_buf, err, sizeof err) != 0) {
        screen_set_status(s, CS_OVERDUE, "%s", err);
        return ACT_HANDLED | ACT_REDRAW;
    }
    screen_rebuild(s);
    screen_set_status(s, CS_OK, "blocked %s for %s: %s", s->app->plan->items[item].id,
                      s->app->plan->members[member].id, s->input_buf);
    return ACT_HANDLED | ACT_REDRAW;
}

static int undo(cb_screen *s)
{
    if (!can_change(s))
        return ACT_REDRAW;
    char err[256];
    if (app_undo(s->app, err, sizeof err) != 0) {
        screen_set_status(s, CS_OVERDUE, "%s", err);
        return ACT_REDRAW;
    }
    screen_rebuild(s);
    /* Say what was undone, in the words every view uses: the change my undo
     * reverted (the history ends with my undo; scanned back, bounded). */
    const cb_snapshot *snap = s->board->st->snap;
    const char *me = s->app->store ? store_client_id(s->app->store) : "";
    int64_t seq = s->app->store ? store_last_seq(s->app->store) : 0;
    const cb_event *undo = NULL;
    snapshot_history(snap);
    for (size_t i = snap->n_events; i-- > 0 && !undo;)
        if (snap->events[i].seq == seq && strcmp(snap->events[i].client, me) == 0)
            undo = &snap->events[i];
    for (size_t i = snap->n_events; undo && undo->undoes_client && i-- > 0;) {
        const cb_event *e = &snap->events[i];
        if (e->seq == undo->undoes_seq && strcmp(e->client, undo->undoes_client) == 0) {
            cb_arena *a = arena_new();
            screen_set_status(s, CS_OK, "undid: %s", state_describe(s->board->st, i, a));
            arena_free(a);
            return ACT_REDRAW;
        }
    }
    screen_set_status(s, CS_OK, "undone");
    return ACT_REDRAW;
}

/* ---- keys -------------------------------------------------------------- */

static int input_key(cb_screen *s, int key)
{
    size_t len = strlen(s->input_buf);
    if (key == CB_KEY_ESC) {
        s->input = INPUT_NONE;
        screen_set_status(s, CS_DIM, "cancelled");
    } else if (key == CB_KEY_ENTER) {
        enum cb_input_kind kind = s->input;
        s->input = INPUT_NONE;
        if (kind == INPUT_SEARCH) {
            snprintf(s->search, sizeof s->search, "%s", s->input_buf);
            search(s, 1);
        } else if (kind == INPUT_BLOCK) {
            return finish_block(s);
        } else if (kind == INPUT_LINK) {
            return finish_link(s);
        } else if (kind == INPUT_EXAM) {
            return form_enter(s);
        } else {
            return ACT_HANDLED |
                   set_milestone(s, s->input_ms, (enum cb_ms_status)s->input_status,
                                 s->input_buf);
        }
    } else if (key == CB_KEY_BACKSPACE) {
        while (len > 0 && ((unsigned char)s->input_buf[len - 1] & 0xC0) == 0x80)
            len--; /* a whole UTF-8 character */
        if (len > 0)
            len--;
        s->input_buf[len] = '\0';
    } else if (key == CB_KEY_CTRL_U) {
        s->input_buf[0] = '\0';
    } else if (key >= 0x20 && key < 0x110000 && key != 0x7F) {
        char enc[4];
        size_t k = (size_t)text_utf8_encode((uint32_t)key, enc);
        if (len + k < sizeof s->input_buf) {
            memcpy(s->input_buf + len, enc, k);
            s->input_buf[len + k] = '\0';
        }
    }
    return ACT_HANDLED | ACT_REDRAW;
}

static int help_key(cb_screen *s, int key)
{
    if (s->detail) { /* any key closes the details */
        s->detail = false;
        return ACT_HANDLED | ACT_REDRAW;
    }
    int a = action_of(key);
    if (a == A_DOWN && s->help_top < screen_n_actions - 1)
        s->help_top++;
    else if (a == A_UP && s->help_top > 0)
        s->help_top--;
    else if (a == A_QUIT || a == A_HELP || a == A_BACK)
        s->help = false;
    else
        return ACT_HANDLED;
    return ACT_HANDLED | ACT_REDRAW;
}

int screen_key(cb_screen *s, int key)
{
    if (s->input != INPUT_NONE)
        return input_key(s, key);
    if (s->picker)
        return picker_key(s, key);
    if (s->help || s->detail)
        return help_key(s, key);
    int a = action_of(key);
    if (a < 0)
        return 0;
    if (!(actions[a].info.panes & IN(s->pane))) {
        screen_set_status(s, CS_DIM, "%s: not in this pane", actions[a].info.keys);
        return ACT_HANDLED | ACT_REDRAW;
    }
    s->status[0] = '\0';
    layout L = layout_of(s);
    int page = (s->pane == PANE_CHECKLISTS ? L.list_h : L.body_h) - 1;
    switch ((enum action_id)a) {
    case A_DOWN:
        move_sel(s, 1);
        break;
    case A_UP:
        move_sel(s, -1);
        break;
    case A_PGDN:
        move_sel(s, page > 1 ? page : 1);
        break;
    case A_PGUP:
        move_sel(s, -(page > 1 ? page : 1));
        break;
    case A_TOP:
        move_sel(s, -(1 << 28));
        break;
    case A_BOTTOM:
        move_sel(s, 1 << 28);
        break;
    case A_LEFT:
        s->in_items = false;
        break;
    case A_RIGHT:
        focus_items(s);
        break;
    case A_DETAIL:
        if (s->pane == PANE_CHECKLISTS && !s->in_items) {
            focus_items(s); /* Enter on a member opens their items */
        } else {
            s->detail = screen_selected(s) != NULL;
        }
        break;
    case A_NEXT_PANE:
        focus_pane(s, s->pane + 1);
        break;
    case A_PREV_PANE:
        focus_pane(s, s->pane - 1);
        break;
    case A_PANE:
        focus_pane(s, key - '1');
        break;
    case A_SEARCH:
        s->input = INPUT_SEARCH;
        s->input_buf[0] = '\0';
        break;
    case A_NEXT_MATCH:
        search(s, 1);
        break;
    case A_PREV_MATCH:
        search(s, -1);
        break;
    case A_FILTER:
        s->filter = (s->filter + 1) % FILTER_COUNT;
        rebuild_items(s);
        s->items_view = (cb_view){0, 0};
        fix_views(s);
        screen_set_status(s, CS_DIM, "showing %s", board_filter_names[s->filter]);
        break;
    case A_POD:
        toggle_pod(s);
        break;
    case A_TICK:
        return ACT_HANDLED | tick_selected(s);
    case A_STATUS:
        return ACT_HANDLED | open_picker(s);
    case A_NOTE:
        return ACT_HANDLED | start_note(s);
    case A_HELD:
        return ACT_HANDLED | mark_held(s);
    case A_BLOCK:
        return ACT_HANDLED | block_selected(s);
    case A_EXAM:
        return ACT_HANDLED | start_exam(s);
    case A_DELETE_EXAM:
        return ACT_HANDLED | delete_exam(s);
    case A_UNDO:
        return ACT_HANDLED | undo(s);
    case A_REFRESH:
        return ACT_HANDLED | ACT_REFRESH | ACT_REDRAW;
    case A_REDRAW:
        return ACT_HANDLED | ACT_CLEAR | ACT_REDRAW;
    case A_HELP:
        s->help = true;
        s->help_top = 0;
        break;
    case A_BACK:
        if (s->pane == PANE_CHECKLISTS && s->in_items)
            s->in_items = false;
        else
            s->search[0] = '\0';
        break;
    case A_QUIT:
        return ACT_HANDLED | ACT_QUIT;
    case A_COUNT:
        break;
    }
    return ACT_HANDLED | ACT_REDRAW;
}

/* ---- mouse ------------------------------------------------------------- */

int screen_click(cb_screen *s, int x, int y)
{
    if (s->help || s->detail || s->input != INPUT_NONE || s->picker)
        return 0;
    layout L = layout_of(s);
    if (y == L.tabs_y) {
        int p = tab_at(s, x);
        if (p >= 0)
            focus_pane(s, p);
        return ACT_HANDLED | ACT_REDRAW;
    }
    if (y < L.body_y || y >= L.body_y + L.body_h)
        return 0;
    cb_view *v;
    const cb_rows *r;
    int row;
    if (s->pane == PANE_CHECKLISTS) {
        s->in_items = x >= L.right_x;
        r = focused_rows(s, &v);
        row = y - L.list_y;
        if (row < 0)
            return ACT_HANDLED | ACT_REDRAW;
    } else {
        r = focused_rows(s, &v);
        row = y - L.body_y;
    }
    if (v->top + row < r->n) {
        v->sel = v->top + row;
        if (s->pane == PANE_CHECKLISTS && !s->in_items)
            sync_member(s);
    }
    return ACT_HANDLED | ACT_REDRAW;
}

int screen_wheel(cb_screen *s, int x, int y, int dir)
{
    if (s->help) {
        int top = s->help_top + dir * 3;
        s->help_top = top < 0 ? 0 : top > screen_n_actions - 1 ? screen_n_actions - 1 : top;
        return ACT_HANDLED | ACT_REDRAW;
    }
    if (s->pane == PANE_CHECKLISTS)
        s->in_items = x >= layout_of(s).right_x;
    move_sel(s, dir * 3);
    (void)y;
    return ACT_HANDLED | ACT_REDRAW;
}

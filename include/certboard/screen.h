/* screen.h — the dashboard as a state machine, with no terminal: which pane has
 * the focus, scroll offsets and selections, the Checklists filter, search, the
 * one-line input, the status line, and the table of actions behind every key.
 *
 * The curses layer (ui_*.c) feeds it keys (curses keys mapped to CB_KEY_*),
 * mouse events and the terminal size, and paints what screen_draw() puts in a
 * canvas; `certboard dump` and the tests drive the same code without a
 * terminal. Changes go through app_tick()/app_milestone()/app_undo(), and the
 * view models are rebuilt at once, so a change is shown as soon as it is made.
 *
 * Ownership: screen_init() fills a caller-owned cb_screen that borrows the app
 * (which must outlive it); screen_free() releases the boards it built. */
#ifndef CERTBOARD_SCREEN_H
#define CERTBOARD_SCREEN_H

#include <stdbool.h>
#include <stdint.h>

#include "certboard/app.h"
#include "certboard/board.h"
#include "certboard/canvas.h"

/* Keys beyond Unicode, for what is not a character. */
enum cb_key {
    CB_KEY_UP = 0x110000,
    CB_KEY_DOWN,
    CB_KEY_LEFT,
    CB_KEY_RIGHT,
    CB_KEY_PGUP,
    CB_KEY_PGDN,
    CB_KEY_HOME,
    CB_KEY_END,
    CB_KEY_TAB,
    CB_KEY_BTAB,
    CB_KEY_ENTER,
    CB_KEY_ESC,
    CB_KEY_BACKSPACE,
    CB_KEY_CTRL_L,
    CB_KEY_CTRL_U,
};

/* What a handled key asks the main loop to do (as htop's actions do). */
enum {
    ACT_HANDLED = 1, /* the key meant something */
    ACT_REDRAW = 2,  /* draw a new frame */
    ACT_CLEAR = 4,   /* repaint the whole terminal (Ctrl-L) */
    ACT_REFRESH = 8, /* re-read the store now */
    ACT_QUIT = 16,
};

/* Minimum size for the dashboard; below it a "terminal too small" screen. */
#define SCREEN_MIN_W 60
#define SCREEN_MIN_H 16

typedef struct cb_view {
    int top; /* first visible row */
    int sel; /* selected row, -1 when the list is empty */
} cb_view;

enum cb_input_kind {
    INPUT_NONE,
    INPUT_SEARCH,
    INPUT_NOTE,
    INPUT_BLOCK,
    INPUT_LINK,
    INPUT_EXAM /* the practice-exam form, one field after the other */
};

typedef struct cb_screen {
    cb_app *app;              /* plan, store, me (app->store may be NULL: no state) */
    const cb_snapshot *fixed; /* without a store: the state to show (tests), or NULL */
    cb_day today;
    cb_board *board;
    bool ascii;
    bool show_clock; /* the refresh time in the title bar (off for dump) */
    int w, h;        /* the size of the last frame */

    int pane;                 /* enum cb_pane with the focus */
    cb_view view[PANE_COUNT]; /* Checklists: its member list */
    cb_view items_view;       /* Checklists: the selected member's items */
    bool in_items;            /* Checklists: focus on the items (right) side */
    int member;               /* Checklists: whose items are shown */
    enum cb_filter filter;
    cb_rows items; /* rows of the right side, from items_arena */
    cb_arena *items_arena;

    bool help;
    int help_top;
    bool detail; /* the selected row's details are open */
    enum cb_input_kind input;
    char input_buf[256];
    int input_ms;                 /* the milestone a note (or the status picker) is for */
    int input_status;             /* the status the note goes with: enum cb_ms_status */
    int input_item, input_member; /* the item a blocker's note is for */
    bool picker;                  /* the status picker is open: one key sets a status */
    int pod;                      /* Domains: the pod shown alone (pod view), or -1 */
    struct {                      /* the practice-exam form (INPUT_EXAM) */
        int step;                 /* 0 date, 1 source, 2 minutes, 3 total, 4 + d domain d */
        cb_attempt a;             /* what is filled in so far */
        cb_arena *arena;          /* its strings and per-domain arrays */
        const char *edit_id;      /* the attempt being edited, or NULL: a new one */
        int (*prefill)[2];        /* editing: each domain's right, asked as recorded */
        char label[128];          /* the prompt of the current field */
    } form;
    char search[256];

    char status[256];
    int status_style;       /* enum cb_style */
    char refresh_label[32]; /* e.g. "12:04:05", set by the ui */
} cb_screen;

void screen_init(cb_screen *s, cb_app *app, cb_day today);
void screen_free(cb_screen *s);
/* Rebuilds the view models from the store's current snapshot, keeping every
 * selection on the same item (by identity, not by row number). Call after a
 * refresh that changed something. */
void screen_rebuild(cb_screen *s);
/* Handles one key: a character or a CB_KEY_*. Returns ACT_* flags. */
int screen_key(cb_screen *s, int key);
/* Mouse: a click at (x, y) focuses and selects; wheel scrolls (dir -1 up, 1 down). */
int screen_click(cb_screen *s, int x, int y);
int screen_wheel(cb_screen *s, int x, int y, int dir);
/* A new terminal size: keeps the selections visible. */
void screen_resize(cb_screen *s, int w, int h);
/* Draws the whole frame at the canvas size (resizing first when it differs). */
void screen_draw(cb_screen *s, cb_canvas *c);
void screen_set_status(cb_screen *s, int style, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Checklists: show member m's items (selects m in the member list). */
void screen_select_member(cb_screen *s, int m);
/* The selected row of the focused list, or NULL. */
const cb_row *screen_selected(const cb_screen *s);

/* The action table, for help and documentation. */
typedef struct cb_action_info {
    const char *keys; /* as shown: "j Down" */
    const char *help;
    unsigned panes;    /* bit per pane where it works */
    bool footer;       /* shown in the footer */
    const char *brief; /* its footer label */
} cb_action_info;
extern const cb_action_info *const screen_actions;
extern const int screen_n_actions;
/* Is action i (an index into screen_actions) of use to whoever is looking? A
 * guest or a store-less view cannot change anything, and only the lead sets
 * milestones; the footer leaves out what would only be refused. */
bool screen_action_offered(const cb_screen *s, int action);

#endif

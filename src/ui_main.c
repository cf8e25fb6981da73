/* ui_main.c — curses: terminal setup and restore, colors, painting a canvas,
 * input mapping and the main loop. Everything else (what to draw, what a key
 * does) is in the core (screen.c, screen_draw.c) and has no curses in it. */
#include "certboard/ui.h"

#include <curses.h>
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "certboard/canvas.h"
#include "certboard/date.h"
#include "certboard/trace.h"
#include "certboard/screen.h"

static volatile sig_atomic_t stop_signal;
static bool curses_on;

static void on_signal(int sig)
{
    stop_signal = sig;
}

/* Called by cb_die() before it exits: give the terminal back first. */
static void restore_terminal(void)
{
    if (curses_on) {
        endwin();
        curses_on = false;
    }
}

/* The signals the loop waits for. They are blocked except inside ppoll(), so
 * one that arrives between a look at the keyboard and the wait still ends the
 * wait (no lost resize, no quit that waits for a key). Returns the mask to
 * wait with. */
static sigset_t install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigset_t block, waiting;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGHUP);
    sigaddset(&block, SIGWINCH);
    sigprocmask(SIG_BLOCK, &block, &waiting);
    return waiting;
}

/* ---- styles ------------------------------------------------------------ */

static attr_t style_attr[CS_COUNT];

static void init_styles(void)
{
    bool color = has_colors() && !(getenv("NO_COLOR") && *getenv("NO_COLOR"));
    /* Monochrome first: every style readable without color. */
    attr_t mono[CS_COUNT] = {
        [CS_NORMAL] = A_NORMAL,
        [CS_TITLE] = A_REVERSE | A_BOLD,
        [CS_HEADER] = A_BOLD,
        [CS_SELECTED] = A_REVERSE,
        [CS_DONE] = A_NORMAL,
        [CS_OVERDUE] = A_BOLD | A_UNDERLINE,
        [CS_RISK] = A_BOLD,
        [CS_DIM] = A_DIM,
        [CS_BAR] = A_NORMAL,
        [CS_BAR_EMPTY] = A_DIM,
        [CS_CURRENT] = A_BOLD,
        [CS_FOOTER] = A_REVERSE,
        [CS_KEY] = A_REVERSE | A_BOLD,
        [CS_OK] = A_NORMAL,
    };
    memcpy(style_attr, mono, sizeof mono);
    if (!color || start_color() != OK)
        return;
    use_default_colors();
    struct {
        int style;
        short fg, bg;
        attr_t extra;
    } pairs[] = {
        {CS_TITLE, COLOR_WHITE, COLOR_BLUE, A_BOLD},
        {CS_HEADER, COLOR_CYAN, -1, A_BOLD},
        {CS_DONE, COLOR_GREEN, -1, 0},
        {CS_OVERDUE, COLOR_RED, -1, A_BOLD},
        {CS_RISK, COLOR_BLACK, COLOR_YELLOW, 0}, /* reads on light and dark backgrounds */
        {CS_BAR, COLOR_GREEN, -1, 0},
        {CS_CURRENT, COLOR_MAGENTA, -1, A_BOLD},
        {CS_FOOTER, COLOR_BLACK, COLOR_CYAN, 0},
        {CS_KEY, COLOR_WHITE, COLOR_BLUE, A_BOLD},
        {CS_OK, COLOR_GREEN, -1, A_BOLD},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        short n = (short)(i + 1);
        if (n >= COLOR_PAIRS || init_pair(n, pairs[i].fg, pairs[i].bg) != OK)
            return;
        style_attr[pairs[i].style] = COLOR_PAIR(n) | pairs[i].extra;
    }
}

/* ---- painting ---------------------------------------------------------- */

/* Paints the rows of cur that differ from prev (all rows when full), then
 * copies them to prev. Curses itself sends only what changed on screen. */
static void paint(const cb_canvas *cur, cb_canvas *prev, bool full)
{
    wchar_t run[1024];
    for (int y = 0; y < cur->h; y++) {
        if (!full && canvas_row_equal(cur, prev, y))
            continue;
        const cb_cell *row = cur->cells + (size_t)y * (size_t)cur->w;
        int x = 0;
        while (x < cur->w) {
            int style = row[x].style, start = x, n = 0;
            while (x < cur->w && row[x].style == style &&
                   n < (int)(sizeof run / sizeof run[0]) - 1 - CANVAS_MARKS) {
                if (row[x].cp != 0) {
                    run[n++] = (wchar_t)row[x].cp;
                    for (int k = 0; k < CANVAS_MARKS && row[x].mark[k]; k++)
                        run[n++] = (wchar_t)row[x].mark[k]; /* curses joins it to the cell */
                }
                x++;
            }
            attrset(style_attr[style]);
            /* the bottom-right cell cannot be written without scrolling: ERR is expected */
            mvaddnwstr(y, start, run, y == cur->h - 1 && x == cur->w ? n - 1 : n);
        }
        memcpy(prev->cells + (size_t)y * (size_t)prev->w, row, (size_t)cur->w * sizeof *row);
    }
    attrset(A_NORMAL);
    wnoutrefresh(stdscr);
    doupdate();
}

/* ---- input ------------------------------------------------------------- */

static int map_key(int type, wint_t wch)
{
    if (type == KEY_CODE_YES) {
        switch (wch) {
        case KEY_UP:
            return CB_KEY_UP;
        case KEY_DOWN:
            return CB_KEY_DOWN;
        case KEY_LEFT:
            return CB_KEY_LEFT;
        case KEY_RIGHT:
            return CB_KEY_RIGHT;
        case KEY_PPAGE:
            return CB_KEY_PGUP;
        case KEY_NPAGE:
            return CB_KEY_PGDN;
        case KEY_HOME:
            return CB_KEY_HOME;
        case KEY_END:
            return CB_KEY_END;
        case KEY_BTAB:
            return CB_KEY_BTAB;
        case KEY_ENTER:
            return CB_KEY_ENTER;
        case KEY_BACKSPACE:
            return CB_KEY_BACKSPACE;
        default:
            return -1;
        }
    }
    switch (wch) {
    case '\t':
        return CB_KEY_TAB;
    case '\r':
    case '\n':
        return CB_KEY_ENTER;
    case 27:
        return CB_KEY_ESC;
    case 127:
    case 8:
        return CB_KEY_BACKSPACE;
    case 12:
        return CB_KEY_CTRL_L;
    case 21:
        return CB_KEY_CTRL_U;
    default:
        return wch < 0x20 ? -1 : (int)wch;
    }
}

/* When "today" next changes (a second after local midnight), or 0 when the
 * day was given and never changes. Computed once a day, not per wake-up:
 * the time zone's rules are read by mktime. */
static int64_t next_day_at(bool follow)
{
    if (!follow)
        return 0;
    int64_t now = date_wall_ms();
    return now + date_ms_to_next_day(now) + 1000;
}

static void set_refresh_label(cb_screen *s)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(s->refresh_label, sizeof s->refresh_label, "%H:%M:%S", &tm);
}

/* Re-reads the store; rebuilds the view models when something changed.
 * Returns whether the screen needs drawing. */
static bool refresh_store(cb_screen *s, bool force)
{
    cb_store *st = s->app->store;
    if (!st || (!force && store_poll(st) != 1)) /* the store retries a pending publish */
        return false;
    cb_diags d;
    diags_init(&d);
    int changed = store_refresh(st, &d);
    if (d.n > 0)
        screen_set_status(s, CS_RISK, "store: %s", d.v[d.n - 1].msg);
    diags_free(&d);
    set_refresh_label(s);
    if (changed == 1)
        screen_rebuild(s);
    return true; /* the refresh label at least */
}

/* Re-reads the plan file when it changed on disk: the new titles show at
 * once; a broken version is named in the status line and the old one stays. */
static bool refresh_plan(cb_screen *s)
{
    cb_plan *old;
    char msg[512];
    if (!app_plan_poll(s->app))
        return false;
    int rc = app_plan_reload(s->app, &old, msg, sizeof msg);
    if (rc == 0)
        return false;
    if (rc > 0)
        screen_rebuild(s); /* the new board no longer points into the old plan */
    plan_free(old);
    screen_set_status(s, rc > 0 ? CS_OK : CS_OVERDUE, "%s", msg);
    return true;
}

enum { WOKE_STORE = 1, WOKE_PLAN = 2, WOKE_KEYS = 4, WOKE_HANGUP = 8, WOKE_DAY = 16 };

/* Sleeps until a key, a signal (resize, quit), the store or the plan file
 * may have changed, or one of them asked to be looked at again: no timer
 * while nothing changes (store_wait_fd, app_plan_wait_fd). Returns what to
 * look at (WOKE_*); keys and signals are the caller's next get_wch(). A
 * terminal that hung up ends the wait at once, every time: WOKE_HANGUP. */
static int wait_for_change(cb_app *app, const sigset_t *waiting, int64_t next_day_ms)
{
    struct pollfd p[3] = {{.fd = STDIN_FILENO, .events = POLLIN}};
    int n = 1, store_at = -1, plan_at = -1;
    int store_fd = app->store ? store_wait_fd(app->store) : -1;
    int plan_fd = app_plan_wait_fd(app);
    if (store_fd >= 0) {
        store_at = n;
        p[n++] = (struct pollfd){.fd = store_fd, .events = POLLIN};
    }
    if (plan_fd >= 0) {
        plan_at = n;
        p[n++] = (struct pollfd){.fd = plan_fd, .events = POLLIN};
    }
    int store_ms = app->store ? store_wait_ms(app->store) : -1;
    int plan_ms = app_plan_wait_ms(app);
    int ms = store_ms < 0 || (plan_ms >= 0 && plan_ms < store_ms) ? plan_ms : store_ms;
    /* A dashboard left open overnight wakes once at midnight: "today"
     * decides what is overdue. A second late, so the new day has begun. */
    int day_ms = -1;
    if (next_day_ms > 0) {
        int64_t d = next_day_ms - date_wall_ms();
        day_ms = d < 0 ? 0 : d > INT_MAX ? INT_MAX : (int)d;
        if (ms < 0 || day_ms < ms)
            ms = day_ms;
    }
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    int64_t start = date_mono_ms();
    int r = ppoll(p, (nfds_t)n, ms >= 0 ? &ts : NULL, waiting);
    if (r < 0)
        return 0; /* a signal (or EINTR): the caller sees it */
    int64_t waited = r == 0 ? ms : date_mono_ms() - start;
    int woke = 0;
    if (p[0].revents & (POLLHUP | POLLERR | POLLNVAL))
        woke |= WOKE_HANGUP; /* the terminal is gone: no key will ever come */
    else if (p[0].revents & POLLIN)
        woke |= WOKE_KEYS;
    if ((store_at >= 0 && p[store_at].revents) || (store_ms >= 0 && waited >= store_ms))
        woke |= WOKE_STORE;
    if ((plan_at >= 0 && p[plan_at].revents) || (plan_ms >= 0 && waited >= plan_ms))
        woke |= WOKE_PLAN;
    if (day_ms >= 0 && waited >= day_ms)
        woke |= WOKE_DAY;
    return woke;
}

int ui_run(cb_app *app, cb_day today, const char *notice)
{
    bool utf8 = text_locale_init();
    bool ascii = !utf8 || (getenv("CERTBOARD_ASCII") && *getenv("CERTBOARD_ASCII"));
    SCREEN *term = newterm(NULL, stdout, stdin);
    if (!term) {
        fprintf(stderr, "certboard: cannot use this terminal (TERM=%s)\n",
                getenv("TERM") ? getenv("TERM") : "");
        return 1;
    }
    curses_on = true;
    cb_set_fatal_hook(restore_terminal);
    sigset_t waiting = install_signals();
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    if (!app->opts->mouse_off) /* "mouse: off" leaves selecting text to the terminal */
        mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    mouseinterval(0);
    init_styles();
    timeout(0); /* keys are read once wait_for_change says there are some */

    trace_mark("terminal ready");
    /* "today" follows the clock unless it was given (--today, the
     * environment or the config file). */
    bool follow_day = !app->opts->today_str;
    int64_t next_day = next_day_at(follow_day);
    cb_screen s;
    screen_init(&s, app, today);
    trace_mark("view models built");
    set_refresh_label(&s);
    if (notice)
        screen_set_status(&s, CS_RISK, "%s", notice);
    cb_canvas *cur = canvas_new(COLS, LINES, ascii);
    cb_canvas *prev = canvas_new(COLS, LINES, ascii);
    bool redraw = true, full = true;
    int no_key = 0; /* wake-ups for input that gave no key, in a row */
    while (!stop_signal) {
        if (redraw) {
            screen_draw(&s, cur);
            paint(cur, prev, full);
            if (full)
                trace_mark("frame painted");
            redraw = full = false;
        }
        wint_t wch;
        int type = get_wch(&wch);
        if (stop_signal)
            break;
        if (type == ERR) {
            int woke = wait_for_change(app, &waiting, next_day);
            /* End of input (a closed terminal reads as always ready and
             * never gives a key): stop rather than spin. */
            no_key = woke & WOKE_KEYS ? no_key + 1 : 0;
            if ((woke & WOKE_HANGUP) || no_key > 100)
                break;
            if (woke & WOKE_PLAN)
                redraw |= refresh_plan(&s);
            if (woke & WOKE_STORE)
                redraw |= refresh_store(&s, false);
            if (woke & WOKE_DAY) {
                next_day = next_day_at(follow_day);
                if (date_today() != s.today) {
                    s.today = date_today();
                    screen_rebuild(&s);
                    redraw = true;
                }
            }
            continue;
        }
        no_key = 0;
        if (type == KEY_CODE_YES && wch == KEY_RESIZE) {
            canvas_resize(cur, COLS, LINES);
            canvas_resize(prev, COLS, LINES);
            redraw = full = true;
            continue;
        }
        if (type == KEY_CODE_YES && wch == KEY_MOUSE) {
            MEVENT ev;
            if (getmouse(&ev) == OK) {
                int f = 0;
                if (ev.bstate & BUTTON4_PRESSED)
                    f = screen_wheel(&s, ev.x, ev.y, -1);
                else if (ev.bstate & BUTTON5_PRESSED)
                    f = screen_wheel(&s, ev.x, ev.y, 1);
                else if (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED))
                    f = screen_click(&s, ev.x, ev.y);
                redraw = f & ACT_REDRAW;
            }
            continue;
        }
        int key = map_key(type, wch);
        if (key < 0)
            continue;
        if (cur->w < SCREEN_MIN_W || cur->h < SCREEN_MIN_H) { /* "too small": only q */
            if (key == 'q')
                break;
            continue;
        }
        int f = screen_key(&s, key);
        if (f & ACT_QUIT)
            break;
        if (f & ACT_REFRESH) {
            refresh_store(&s, true);
            screen_set_status(&s, CS_DIM, "refreshed at %s", s.refresh_label);
        }
        if (f & ACT_CLEAR) {
            clearok(curscr, TRUE);
            full = true;
        }
        if (f & ACT_REDRAW)
            redraw = true;
    }
    restore_terminal();
    sigprocmask(SIG_SETMASK, &waiting, NULL);
    delscreen(term);
    cb_set_fatal_hook(NULL);
    canvas_free(cur);
    canvas_free(prev);
    screen_free(&s);
    return 0;
}

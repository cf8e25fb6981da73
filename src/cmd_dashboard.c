/* cmd_dashboard.c — `certboard` (the dashboard) and `certboard dump PANE`.
 *
 * Both open the app the same way: the plan, the store, and who I am. When no
 * member can be resolved (no --as, no plan login matching the OS user) the
 * dashboard still opens, read-only, as a guest: looking at the team's board
 * must not need an identity, and the status line says how to get one. An
 * explicit --as naming no member of the plan is an error: that is a typo. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certboard/app.h"
#include "certboard/canvas.h"
#include "certboard/cli.h"
#include "certboard/screen.h"
#include "certboard/ui.h"

/* Opens plan, store and identity. When the identity alone is missing (no
 * --as given and no plan login matches), opens again without it and sets
 * *guest. Whatever app_open() reports is printed. */
static int open_app(cb_app *app, cb_opts *o, const char *cmd, bool *guest)
{
    cb_diags d;
    diags_init(&d);
    memset(app, 0, sizeof *app);
    *guest = false;
    unsigned lazy = APP_LAZY_HISTORY; /* the first frame shows only recent changes */
    int rc = app_open(app, o, APP_NEED_PLAN | APP_NEED_STORE | APP_NEED_IDENTITY | lazy, &d);
    if (rc != 0 && !o->member) {
        app_close(app);
        memset(app, 0, sizeof *app);
        diags_free(&d);
        diags_init(&d);
        rc = app_open(app, o, APP_NEED_PLAN | APP_NEED_STORE | lazy, &d);
        *guest = rc == 0;
    }
    diags_print(&d, stderr);
    diags_free(&d);
    if (rc != 0) {
        app_close(app);
        return 1;
    }
    if (app->me < 0 && o->member) { /* an app_open() that left --as unresolved */
        app_close(app);
        return cli_fail(1, cmd, "'%s' is not a member of this plan", o->member);
    }
    *guest = app->me < 0;
    return 0;
}

int cmd_dashboard(cb_opts *o, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: certboard [--plan FILE] [--store DIR] [--as MEMBER] [dashboard]\n"
                   "Opens the full-screen dashboard; press ? in it for every key.\n"
                   "CERTBOARD_ASCII=1 draws with ASCII only; NO_COLOR=1 turns colors off.\n");
            return 0;
        }
        return cli_fail(2, argv[0], "unknown argument '%s'", argv[i]);
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return cli_fail(1, argv[0], "needs a terminal (try: certboard dump PANE)");
    cb_app app;
    bool guest;
    int rc = open_app(&app, o, argv[0], &guest);
    if (rc != 0)
        return rc;
    rc = ui_run(&app, o->today,
                guest ? "viewing as guest: start with --as MEMBER to tick" : NULL);
    app_close(&app);
    return rc;
}

static void dump_usage(FILE *out)
{
    fprintf(out, "usage: certboard dump PANE [--size WxH] [--ascii] [--member M] [--filter F] "
                 "[--keys K]\n"
                 "  PANE       timeline, team, checklists, domains, standup, myweek (or 1-6)\n"
                 "  --size     columns x lines (default 100x30)\n"
                 "  --ascii    ASCII box drawing and text\n"
                 "  --member   whose checklist the Checklists pane shows (default: me)\n"
                 "  --filter   Checklists filter: week, overdue or all (default: week)\n"
                 "  --keys     keys to press before printing (newline = Enter, tab = Tab)\n");
}

int cmd_dump(cb_opts *o, int argc, char **argv)
{
    const char *pane_arg = NULL, *member = NULL, *filter = NULL, *keys = NULL;
    int w = 100, h = 30;
    bool ascii = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = strcmp(a, "--member") == 0   ? &member
                            : strcmp(a, "--filter") == 0 ? &filter
                            : strcmp(a, "--keys") == 0   ? &keys
                                                         : NULL;
        if (slot || strcmp(a, "--size") == 0) {
            if (i + 1 >= argc)
                return cli_fail(2, argv[0], "%s needs a value", a);
            const char *v = argv[++i];
            if (slot) {
                *slot = v;
            } else {
                char x, end;
                if (sscanf(v, "%d%c%d%c", &w, &x, &h, &end) != 3 || (x != 'x' && x != 'X') ||
                    w < 1 || h < 1 || w > 1000 || h > 1000)
                    return cli_fail(2, argv[0],
                                    "--size wants COLUMNSxLINES, e.g. 120x40 (got '%s')", v);
            }
        } else if (strcmp(a, "--ascii") == 0) {
            ascii = true;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            dump_usage(stdout);
            return 0;
        } else if (a[0] == '-' || pane_arg) {
            dump_usage(stderr);
            return cli_fail(2, argv[0], "unexpected argument '%s'", a);
        } else {
            pane_arg = a;
        }
    }
    int pane = pane_arg ? board_pane_parse(pane_arg) : -1;
    if (pane < 0) {
        dump_usage(stderr);
        return cli_fail(2, argv[0], pane_arg ? "unknown pane '%s'" : "which pane?%s",
                        pane_arg ? pane_arg : "");
    }
    int f = !filter                          ? FILTER_WEEK
            : strcmp(filter, "week") == 0    ? FILTER_WEEK
            : strcmp(filter, "overdue") == 0 ? FILTER_OVERDUE
            : strcmp(filter, "all") == 0     ? FILTER_ALL
                                             : -1;
    if (f < 0)
        return cli_fail(2, argv[0], "--filter wants week, overdue or all");

    text_locale_init();
    cb_app app;
    bool guest;
    int rc = open_app(&app, o, argv[0], &guest);
    if (rc != 0)
        return rc;
    int m = member ? plan_member(app.plan, member) : app.me;
    if (member && m < 0) {
        app_close(&app);
        return cli_fail(1, argv[0], "'%s' is not a member of this plan", member);
    }
    cb_screen s;
    screen_init(&s, &app, o->today);
    s.show_clock = false;
    cb_canvas *c = canvas_new(w, h, ascii);
    screen_resize(&s, w, h);
    screen_key(&s, '1' + pane);
    if (m >= 0)
        screen_select_member(&s, m);
    while ((int)s.filter != f)
        screen_key(&s, 'f');
    s.status[0] = '\0';
    for (const char *k = keys; k && *k; k++)
        screen_key(&s, *k == '\n' || *k == '\r' ? CB_KEY_ENTER
                       : *k == '\t'             ? CB_KEY_TAB
                       : *k == 27               ? CB_KEY_ESC
                                                : (unsigned char)*k);
    screen_draw(&s, c);
    canvas_print(c, stdout);
    canvas_free(c);
    screen_free(&s);
    app_close(&app);
    return 0;
}

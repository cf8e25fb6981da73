/* bench_board.c — where the dashboard's time goes, without a terminal.
 *
 *   bench_board PLAN STORE MEMBER TODAY
 *
 * Opens the app as the dashboard does and prints the time of each start-up
 * step (plan + store open, merged snapshot, view models: median of 10, and
 * readiness alone), then the time of one key press handled and drawn into an
 * 80x24 canvas (cursor down/up, median of 1,000). bench_ui.sh runs it on the
 * default plan and on the generated large one; alone it prints its usage. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "certboard/app.h"
#include "certboard/board.h"
#include "certboard/readiness.h"
#include "certboard/screen.h"
#include "bench_util.h"

int main(int argc, char **argv)
{
    if (argc != 5) {
        printf("usage: bench_board PLAN STORE MEMBER TODAY (bench_ui.sh runs it)\n");
        return 0;
    }
    text_locale_init();
    cb_opts o = {
        .plan_path = argv[1], .store_dir = argv[2], .member = argv[3], .today_str = argv[4]};
    cb_diags d;
    diags_init(&d);
    if (config_resolve(&o, &d) != 0) {
        diags_print(&d, stderr);
        return 1;
    }
    /* Opened 5 times (the last one is used): plan + store, first snapshot. */
    cb_app app;
    double opens[5], snaps[5];
    const cb_snapshot *snap = NULL;
    for (int k = 0; k < 5; k++) {
        if (k > 0)
            app_close(&app);
        double t0 = now_ms();
        if (app_open(&app, &o, APP_NEED_PLAN | APP_NEED_STORE | APP_NEED_IDENTITY, &d) != 0) {
            diags_print(&d, stderr);
            return 1;
        }
        double t1 = now_ms();
        snap = store_snapshot(app.store);
        opens[k] = t1 - t0;
        snaps[k] = now_ms() - t1;
    }
    double boards[10], readies[10];
    for (int k = 0; k < 10; k++) {
        double a = now_ms();
        cb_board *b = board_build(state_build(app.plan, app.store, NULL, o.today), app.me);
        double c = now_ms();
        board_free(b);
        cb_arena *ar = arena_new();
        cb_state *st = state_build(app.plan, app.store, NULL, o.today);
        double e = now_ms();
        readiness_build(st, ar);
        double f = now_ms();
        state_free(st);
        arena_free(ar);
        boards[k] = c - a;
        readies[k] = f - e;
    }
    printf("events: %zu, members: %d, items: %d\n", snap->n_events, app.plan->n_members,
           app.plan->n_items);
    bench_spread os = bench_spread_of(opens, 5), ss = bench_spread_of(snaps, 5);
    printf("open plan + store: median %.1f ms (min-max %.1f-%.1f, 5 runs); merged snapshot: "
           "median %.1f ms (min-max %.1f-%.1f)\n",
           os.median, os.min, os.max, ss.median, ss.min, ss.max);
    bench_spread bs = bench_spread_of(boards, 10), rs = bench_spread_of(readies, 10);
    printf("view models: median %.2f ms (min-max %.2f-%.2f, 10 runs), of which readiness "
           "median %.2f ms (min-max %.2f-%.2f)\n",
           bs.median, bs.min, bs.max, rs.median, rs.min, rs.max);

    cb_screen s;
    screen_init(&s, &app, o.today);
    cb_canvas *c = canvas_new(80, 24, false);
    screen_draw(&s, c);
    enum { N = 1000 };
    static double lat[N];
    for (int pane = 0; pane < PANE_COUNT; pane++) {
        screen_key(&s, '1' + pane);
        for (int k = 0; k < N; k++) {
            double a = now_ms();
            screen_key(&s, k % 2 ? CB_KEY_UP : CB_KEY_DOWN);
            screen_draw(&s, c);
            lat[k] = now_ms() - a;
        }
        qsort(lat, N, sizeof lat[0], cmp_double);
        printf("key + frame, %-10s: median %.4f ms, max %.4f ms\n", board_pane_names[pane],
               lat[N / 2], lat[N - 1]);
    }
    canvas_free(c);
    screen_free(&s);
    app_close(&app);
    diags_free(&d);
    config_free(&o);
    return 0;
}

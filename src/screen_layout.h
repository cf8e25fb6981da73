/* screen_layout.h — where things sit on the screen; shared by screen.c (mouse,
 * paging) and screen_draw.c (drawing) so both agree. Internal to the core. */
#ifndef CERTBOARD_SCREEN_LAYOUT_H
#define CERTBOARD_SCREEN_LAYOUT_H

#include "certboard/screen.h"

#define LAYOUT_BAR_W 10  /* a progress bar */
#define LAYOUT_COUNT_W 8 /* " 123/456" */

/* The widest member name of the plan (display columns). */
static inline int layout_name_w(const cb_screen *s)
{
    return s->board ? s->board->name_w : 0;
}

typedef struct layout {
    int w, h;
    bool too_small;
    int title_y, tabs_y;
    int body_y, body_h; /* the pane area */
    int status_y, footer_y;
    int left_w, right_x; /* Checklists: member list | items */
    int list_y, list_h;  /* Checklists: below the two column headings */
} layout;

static inline layout layout_of(const cb_screen *s)
{
    layout L = {.w = s->w, .h = s->h};
    L.too_small = s->w < SCREEN_MIN_W || s->h < SCREEN_MIN_H;
    L.title_y = 0;
    L.tabs_y = 1;
    L.body_y = 2;
    L.body_h = s->h - 4 > 1 ? s->h - 4 : 1;
    L.status_y = s->h - 2;
    L.footer_y = s->h - 1;
    /* The member list takes what it needs (mark, widest name, bar, count)
     * and at most a third; the item titles get the rest. */
    int need = 2 + layout_name_w(s) + 1 + LAYOUT_BAR_W + LAYOUT_COUNT_W + 1;
    int most = s->w / 3 < 20 ? 20 : s->w / 3;
    L.left_w = need < 20 ? 20 : need > most ? most : need;
    L.right_x = L.left_w + 1;
    L.list_y = L.body_y + 1;
    L.list_h = L.body_h - 1 > 1 ? L.body_h - 1 : 1;
    return L;
}

/* Tabs: "1 Timeline" ... separated by two spaces, from column 1. */
static inline int tab_x(int pane)
{
    static const int len[PANE_COUNT] = {10, 6, 12, 9, 10, 9}; /* "N Name" */
    int x = 1;
    for (int i = 0; i < pane; i++)
        x += len[i] + 3;
    return x;
}

static inline int tab_at(const cb_screen *s, int x)
{
    (void)s;
    for (int p = PANE_COUNT - 1; p >= 0; p--)
        if (x >= tab_x(p) - 1)
            return p;
    return -1;
}

#endif

/* screen_draw.c — draws a cb_screen into a canvas: title bar, tabs, the focused
 * pane (only its visible rows), status line, footer, help, "too small".
 * Pure: the same frame goes to the terminal (ui_*.c) and to `certboard dump`. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "certboard/screen.h"
#include "screen_layout.h"

#define BAR_W 10

/* A text line: a cursor over one canvas row, clipped at its right edge. */
typedef struct pen {
    cb_canvas *c;
    int x, y, right;
} pen;

static void put(pen *p, int style, const char *s)
{
    p->x += canvas_text(p->c, p->x, p->y, p->right - p->x, style, s);
}

static void putf(pen *p, int style, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void putf(pen *p, int style, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    put(p, style, buf);
}

static void bar(pen *p, int w, int done, int total)
{
    if (w > p->right - p->x)
        w = p->right - p->x;
    canvas_bar(p->c, p->x, p->y, w, done, total);
    p->x += w;
}

/* Right-aligned text: reserves its width at the end of the line, returns the
 * column where it starts. */
static int right_text(pen *p, int style, const char *s)
{
    int w = text_width(s), most = (p->right - p->x) / 3;
    if (w > most)
        w = most;
    int x = p->right - w;
    if (w < 4)
        return p->right;
    canvas_text(p->c, x, p->y, w, style, s);
    return x - 1;
}

static const char *percent(double rate, char *buf, size_t n)
{
    if (rate < 0)
        snprintf(buf, n, " -- ");
    else
        snprintf(buf, n, "%3.0f%%", rate * 100);
    return buf;
}

static int rate_style(double rate)
{
    return rate < 0 ? CS_DIM : rate >= 0.7 ? CS_OK : rate >= 0.5 ? CS_RISK : CS_OVERDUE;
}

static const int status_styles[4] = {CS_DIM, CS_OK, CS_RISK, CS_DONE};

static const char *role_of(const cb_plan *p, int member, int phase)
{
    for (int i = 0; i < p->n_roles; i++)
        if (p->roles[i].member == member && p->roles[i].phase == phase)
            return p->roles[i].role;
    return "-";
}

static const char *short_domain(const cb_domain *d)
{
    return d->short_name ? d->short_name : d->name;
}

/* ---- one row ----------------------------------------------------------- */

static void draw_progress(pen *p, int done, int total)
{
    if (total == 0)
        return; /* nothing due: no "0/0" bar */
    char count[32];
    snprintf(count, sizeof count, " %d/%d", done, total);
    int w = text_width(count);
    int barw = p->right - p->x - w;
    if (barw > BAR_W)
        barw = BAR_W;
    if (barw >= 3)
        bar(p, barw, done, total);
    put(p, done == total && total > 0 ? CS_DONE : CS_NORMAL, count);
}

static void draw_row(const cb_screen *s, int pane, const cb_row *r, pen *p)
{
    const cb_board *b = s->board;
    const cb_state *st = b->st;
    const cb_plan *pl = b->plan;
    char text[1024], tmp[128];
    p->x += r->indent;
    board_row_text(b, r, text, sizeof text);
    switch ((enum cb_row_kind)r->kind) {
    case ROW_BLANK:
        break;
    case ROW_HEADING:
        put(p, CS_HEADER, text);
        break;
    case ROW_TEXT:
        put(p, r->a, text);
        break;
    case ROW_PHASE:
        put(p, r->a == st->phase ? CS_CURRENT : CS_HEADER, text);
        if (r->a == st->phase)
            put(p, CS_CURRENT, "  ◀ now");
        break;
    case ROW_WEEK: {
        bool now = r->a == st->week;
        int x = p->right;
        p->right -= 18;
        put(p, now ? CS_CURRENT : CS_NORMAL, now ? "▶ " : "  ");
        put(p, now ? CS_CURRENT : CS_HEADER, text);
        p->x = p->right + 1;
        p->right = x;
        draw_progress(p, st->week_done[r->a], st->week_total[r->a]);
        break;
    }
    case ROW_ACTIVITY:
        put(p, CS_DIM, "· ");
        put(p, CS_NORMAL, text);
        break;
    case ROW_MILESTONE: { /* the parts of board_row_text(), styled */
        const cb_ms_state *m = &st->ms[r->a];
        const cb_milestone *ms = &pl->milestones[r->a];
        int style = status_styles[m->status];
        put(p, style, "◆ ");
        putf(p, style, "%-9s ", cb_ms_status_names[m->status]);
        put(p, m->status == CB_MS_DONE ? CS_DONE : CS_NORMAL, ms->title);
        putf(p, CS_DIM, " (%s, week %d)", board_owner_text(pl, ms->owner, tmp, sizeof tmp),
             ms->week);
        if (r->b && m->risk) {
            put(p, CS_RISK, ": ");
            put(p, CS_RISK, m->risk);
        }
        if (m->note) {
            put(p, CS_DIM, " — ");
            put(p, CS_DIM, m->note);
        }
        break;
    }
    case ROW_ROLES_HEAD:
    case ROW_ROLES: {
        int name_w = 18, n = pl->n_phases > 0 ? pl->n_phases : 1;
        int col_w = (p->right - p->x - name_w) / n;
        bool head = r->kind == ROW_ROLES_HEAD;
        canvas_text(p->c, p->x, p->y, name_w - 1, head ? CS_HEADER : CS_NORMAL, text);
        for (int ph = 0; ph < pl->n_phases; ph++) {
            int x = p->x + name_w + ph * col_w;
            int style = ph == st->phase ? CS_CURRENT : head ? CS_HEADER : CS_NORMAL;
            if (head)
                snprintf(tmp, sizeof tmp, "%d %s", ph + 1, pl->phases[ph].name);
            const char *cell = head ? tmp : role_of(pl, r->a, ph);
            canvas_text(p->c, x, p->y, col_w - 1, style, cell);
        }
        break;
    }
    case ROW_POD:
    case ROW_TRACK:
        put(p, CS_HEADER, text);
        break;
    case ROW_POD_MEMBER:
        put(p, CS_DIM, "· ");
        put(p, CS_NORMAL, text);
        break;
    case ROW_MENTOR:
        put(p, CS_NORMAL, text);
        break;
    case ROW_MEMBER: {
        const cb_member *m = &pl->members[r->a];
        if (pane == PANE_CHECKLISTS) {
            /* name, then bar and count; when the list is narrow the bar goes
             * first, then a name that does not fit gives way to the id (ids
             * are distinct, cut names may not be: "Intermediat…" twice) */
            put(p, CS_NORMAL, r->a == b->me ? "*" : " ");
            int x = p->right, avail = x - p->x, widest = layout_name_w(s);
            bool with_bar = avail >= widest + 1 + BAR_W + LAYOUT_COUNT_W;
            int reserve = LAYOUT_COUNT_W + (with_bar ? BAR_W : 0);
            const char *name = text_width(m->name) <= avail - reserve - 1 ? m->name : m->id;
            p->right = x - reserve;
            put(p, st->members[r->a].overdue ? CS_OVERDUE : CS_NORMAL, name);
            p->x = p->right;
            p->right = x;
            if (with_bar)
                bar(p, BAR_W, st->members[r->a].done, st->members[r->a].total);
            char count[32];
            snprintf(count, sizeof count, " %d/%d", st->members[r->a].done,
                     st->members[r->a].total);
            int cw = text_width(count);
            p->x = x - cw > p->x ? x - cw : p->x;
            put(p,
                st->members[r->a].done == st->members[r->a].total && st->members[r->a].total
                    ? CS_DONE
                    : CS_NORMAL,
                count);
        } else {
            int x = p->x;
            put(p, CS_NORMAL, m->name);
            p->x = p->x > x + 16 ? p->x + 2 : x + 18;
            putf(p, CS_DIM, "%s · %s · %s%s", m->id, plan_level_name(m->level),
                 m->track >= 0 ? pl->tracks[m->track].name : "no track",
                 r->a == pl->lead ? " · team lead" : "");
            if (m->joined_week > 1)
                putf(p, CS_DIM, " · joined week %d", m->joined_week);
        }
        break;
    }
    case ROW_CHECK_WEEK:
        put(p, r->a == st->week ? CS_CURRENT : CS_HEADER, text);
        if (r->a == st->week)
            put(p, CS_CURRENT, " (this week)");
        else if (r->a < st->week)
            put(p, CS_DIM, " (past)");
        break;
    case ROW_ITEM: {
        const cb_item *it = &pl->items[r->a];
        bool done = state_cell(st, r->a, r->b) == CELL_DONE;
        bool late = state_overdue(st, r->a, r->b);
        bool blocked = state_blocker(st, r->a, r->b) != NULL;
        int style = done ? CS_DONE : late ? CS_OVERDUE : CS_NORMAL;
        put(p, style, done ? "[x] " : "[ ] ");
        snprintf(tmp, sizeof tmp, "%s%s%s%s%s", blocked ? "blocked · " : "",
                 late ? "overdue · " : "", it->kind ? it->kind : "",
                 it->kind && it->domain >= 0 ? " · " : "",
                 it->domain >= 0 ? short_domain(&pl->domains[it->domain]) : "");
        p->right = right_text(p, late || blocked ? CS_OVERDUE : CS_DIM, tmp);
        put(p, style, text);
        break;
    }
    case ROW_DOMAIN: {
        const cb_domain *d = &pl->domains[r->a];
        char w[32];
        if (d->weight_lo == d->weight_hi)
            snprintf(w, sizeof w, "%4g%%", d->weight_lo);
        else
            snprintf(w, sizeof w, "%g-%g%%", d->weight_lo, d->weight_hi);
        double rate = -1;
        int right = 0, asked = 0;
        for (int i = 0; i < b->ready->n_team_hit_list; i++)
            if (b->ready->team_hit_list[i].domain == r->a) {
                right = b->ready->team_hit_list[i].right;
                asked = b->ready->team_hit_list[i].asked;
            }
        if (asked > 0)
            rate = (double)right / asked;
        char pct[16];
        snprintf(tmp, sizeof tmp, "team %s · %s", percent(rate, pct, sizeof pct),
                 d->pod >= 0 ? pl->pods[d->pod].name : "no pod");
        p->right = right_text(p, CS_DIM, tmp);
        put(p, CS_HEADER, w);
        put(p, CS_HEADER, "  ");
        put(p, CS_HEADER, d->name);
        break;
    }
    case ROW_DOMAIN_ITEM: {
        const cb_item *it = &pl->items[r->a];
        int done = 0, total = 0;
        for (int m = 0; m < pl->n_members; m++) {
            int c = state_cell(st, r->a, m);
            total += c != CELL_NONE;
            done += c == CELL_DONE;
        }
        snprintf(tmp, sizeof tmp, "week %d · done %d/%d", it->due_week, done, total);
        p->right = right_text(p, CS_DIM, tmp);
        put(p, CS_DIM, "item ");
        put(p, done == total && total ? CS_DONE : CS_NORMAL, text);
        break;
    }
    case ROW_HEAT_HEAD:
    case ROW_HEAT: {
        bool head = r->kind == ROW_HEAT_HEAD;
        canvas_text(p->c, p->x, p->y, 15, head ? CS_HEADER : CS_NORMAL, text);
        int x = p->x + 16;
        for (int m = 0; m < pl->n_members && x + 5 <= p->right; m++, x += 6) {
            if (head) {
                canvas_text_clip(p->c, x, p->y, 5, CS_HEADER, pl->members[m].id);
                continue;
            }
            double rate =
                b->ready->members[m].domain_rate ? b->ready->members[m].domain_rate[r->a] : -1;
            canvas_text(p->c, x, p->y, 5, rate_style(rate), percent(rate, tmp, sizeof tmp));
        }
        break;
    }
    case ROW_HIT: {
        /* rank, short name in a fixed column, then the numbers: at 80
         * columns the numbers must not be pushed off by a long name */
        const cb_weak_link *h = board_hit(b, r);
        putf(p, CS_NORMAL, "%2d. ", r->a + 1);
        int name_w = p->right - p->x < 23 ? p->right - p->x : 23;
        canvas_text(p->c, p->x, p->y, name_w, CS_NORMAL, short_domain(&pl->domains[h->domain]));
        p->x += name_w + 1;
        if (h->asked == 0) { /* miss_rate and weighted are -1 here */
            put(p, CS_DIM, "not asked yet");
            break;
        }
        putf(p, rate_style(1 - h->miss_rate), "miss %.0f%%", h->miss_rate * 100);
        putf(p, CS_DIM, " · weighted %.1f · %d/%d right", h->weighted, h->right, h->asked);
        if (h->trend != 0)
            putf(p, CS_DIM, " · trend %+.0f", h->trend * 100);
        break;
    }
    case ROW_MEMBER_WEEK: {
        const cb_member_state *ms = &st->members[r->a];
        int x = p->right;
        p->right = x - 16 > p->x + 6 ? x - 16 : x;
        put(p, ms->behind ? CS_RISK : CS_NORMAL, text);
        if (ms->behind)
            putf(p, CS_OVERDUE, " · behind · %d overdue", ms->overdue);
        p->x = p->right + 1;
        p->right = x;
        draw_progress(p, ms->week_done, ms->week_total);
        break;
    }
    case ROW_OVERDUE: {
        const cb_item *it = &pl->items[r->a];
        put(p, CS_OVERDUE, "[ ] ");
        int x = p->x;
        put(p, CS_OVERDUE, pl->members[r->b].name);
        p->x = p->x > x + 15 ? p->x + 1 : x + 16;
        put(p, CS_NORMAL, it->title);
        putf(p, CS_DIM, " (week %d)",
             st->due[(size_t)r->a * (size_t)pl->n_members + (size_t)r->b]);
        if (state_blocker(st, r->a, r->b))
            put(p, CS_OVERDUE, " · blocked");
        break;
    }
    case ROW_ATTEMPT:
        put(p, CS_NORMAL, text);
        break;
    case ROW_BLOCKER: { /* board_row_text(): "Name: note — title", styled */
        const cb_event *e = state_blocker(st, r->a, r->b);
        put(p, CS_OVERDUE, "⊘ ");
        int x = p->x;
        put(p, CS_OVERDUE, pl->members[r->b].name);
        p->x = p->x > x + 15 ? p->x + 1 : x + 16;
        put(p, CS_RISK, e && e->note ? e->note : "");
        put(p, CS_DIM, " — ");
        put(p, CS_NORMAL, pl->items[r->a].title);
        break;
    }
    case ROW_EVENT: { /* board_row_text(): "DAY HH:MM what — note", styled */
        const char *what = strchr(strchr(text, ' ') + 1, ' ') + 1;
        const char *note = strstr(what, " — ");
        putf(p, CS_DIM, "%.*s", (int)(what - text), text);
        putf(p, CS_NORMAL, "%.*s", note ? (int)(note - what) : (int)strlen(what), what);
        if (note)
            put(p, CS_DIM, note);
        break;
    }
    case ROW_READY: {
        const cb_member_readiness *mr = board_readiness(b, r->b, r->a);
        canvas_text_clip(p->c, p->x, p->y, 14, CS_NORMAL, pl->members[r->a].name);
        p->x += 15;
        if (mr->n_attempts == 0 || mr->projected < 0) { /* projected is -1 here */
            put(p, CS_DIM, "  -- no practice exam yet");
        } else {
            /* one decimal: the figure the gate compares (74.8 is not 75) */
            putf(p, CS_NORMAL, "%4.1f%% ±%-2.0f ", mr->projected, mr->margin);
            if (mr->ready)
                put(p, CS_OK, "ready to book");
            else
                putf(p, CS_RISK, "not ready: %s",
                     mr->gate_reason ? mr->gate_reason : "gate not met");
            putf(p, CS_DIM, " (%s confidence, %d practice exam%s)",
                 mr->confidence ? mr->confidence : "?", mr->n_attempts,
                 mr->n_attempts == 1 ? "" : "s");
        }
        break;
    }
    case ROW_BURN: {
        const cb_burnup_point *bp = &b->ready->burnup[r->a - 1];
        int total = st->team_total;
        put(p, r->a == st->week ? CS_CURRENT : CS_NORMAL, text);
        p->x = p->x < 10 ? 10 : p->x + 1;
        int w = p->right - p->x - 22;
        if (w > 40)
            w = 40;
        if (w >= 4) {
            canvas_bar(p->c, p->x, p->y, w, bp->done > 0 ? bp->done : 0, total);
            int mark = total > 0 ? (int)((long long)bp->planned * w / total) : 0;
            if (mark >= w)
                mark = w - 1;
            canvas_fill(p->c, p->x + mark, p->y, 1, CS_CURRENT, '|');
            p->x += w + 1;
        }
        if (bp->done >= 0)
            putf(p, bp->done < bp->planned ? CS_RISK : CS_NORMAL, "done %d", bp->done);
        else
            put(p, CS_DIM, "done  -");
        putf(p, CS_DIM, " / planned %d", bp->planned);
        break;
    }
    }
}

/* Draws rows [top, top + h) of a list into the rectangle; the selected row is
 * highlighted (when the list has the focus) or underlined with DIM. */
static void draw_list(const cb_screen *s, cb_canvas *c, int pane, const cb_rows *rows,
                      const cb_view *v, int x, int y, int w, int h, bool focused)
{
    for (int i = 0; i < h && v->top + i < rows->n; i++) {
        int ri = v->top + i;
        pen p = {c, x + 1, y + i, x + w - 1};
        draw_row(s, pane, &rows->v[ri], &p);
        if (ri == v->sel)
            canvas_style(c, x, y + i, w, focused ? CS_SELECTED : CS_CURRENT);
    }
    if (rows->n > h && h > 2) { /* scroll position on the right edge */
        int knob = (int)((long long)v->top * (h - 1) / (rows->n - h));
        canvas_fill(c, x + w - 1, y + knob, 1, CS_DIM, 0x2502);
    }
}

/* ---- frame parts ------------------------------------------------------- */

static void draw_title(const cb_screen *s, cb_canvas *c, const layout *L)
{
    const cb_board *b = s->board;
    const cb_plan *pl = b->plan;
    canvas_fill(c, 0, L->title_y, L->w, CS_TITLE, ' ');
    char right[256], exam[64];
    state_exam_when(b->st, exam, sizeof exam);
    const char *who = s->app->me >= 0 ? pl->members[s->app->me].id : "guest";
    enum cb_store_state st = s->app->store ? store_state(s->app->store) : CB_STORE_LOCAL_ONLY;
    const char *store = !s->app->store                                 ? "no store"
                        : s->app->local_store && st == CB_STORE_SHARED ? "local"
                                                                       : store_state_name(st);
    /* the clock goes first when the line is short (a roadmap's exam names are long) */
    int rw = 0;
    for (int clock = s->show_clock; clock >= 0; clock--) {
        snprintf(right, sizeof right, " %s │ %s%s │ %s%s%s ", exam, who,
                 s->app->me >= 0 && s->app->me == pl->lead ? " (lead)" : "", store,
                 clock && s->refresh_label[0] ? " " : "", clock ? s->refresh_label : "");
        rw = text_width(right);
        if (L->w - rw >= 20)
            break;
    }
    pen p = {c, 1, L->title_y, L->w - rw};
    if (p.right < 20)
        p.right = L->w;
    /* the week matters more than the plan's name when space is short */
    put(&p, CS_TITLE, b->week_label);
    if (p.right - p.x > 12) {
        put(&p, CS_TITLE, " · ");
        put(&p, CS_TITLE, pl->title ? pl->title : pl->id);
    }
    if (p.right < L->w)
        canvas_text(c, L->w - rw, L->title_y, rw, CS_TITLE, right);
}

static void draw_tabs(const cb_screen *s, cb_canvas *c, const layout *L)
{
    for (int i = 0; i < PANE_COUNT; i++) {
        char label[32];
        snprintf(label, sizeof label, " %d %s ", i + 1, board_pane_names[i]);
        canvas_text(c, tab_x(i) - 1, L->tabs_y, L->w - tab_x(i) + 1,
                    i == s->pane ? CS_SELECTED : CS_DIM, label);
    }
    if (s->pane == PANE_CHECKLISTS) {
        char f[64];
        snprintf(f, sizeof f, "filter: %s ", board_filter_names[s->filter]);
        int fw = text_width(f);
        if (tab_x(PANE_COUNT) + fw < L->w)
            canvas_text(c, L->w - fw, L->tabs_y, fw, CS_DIM, f);
    }
}

static void draw_checklists(const cb_screen *s, cb_canvas *c, const layout *L)
{
    const cb_board *b = s->board;
    canvas_text(c, 1, L->body_y, L->left_w - 1, CS_HEADER, "Members");
    draw_list(s, c, PANE_CHECKLISTS, &b->pane[PANE_CHECKLISTS], &s->view[PANE_CHECKLISTS], 0,
              L->list_y, L->left_w, L->list_h, !s->in_items);
    canvas_vline(c, L->left_w, L->body_y, L->body_h, CS_DIM);
    char head[256];
    if (s->member >= 0)
        snprintf(head, sizeof head, "%s · %d/%d done · showing %s",
                 b->plan->members[s->member].name, b->st->members[s->member].done,
                 b->st->members[s->member].total, board_filter_names[s->filter]);
    else
        snprintf(head, sizeof head, "no member selected");
    int rw = L->w - L->right_x;
    canvas_text(c, L->right_x + 1, L->body_y, rw - 1, CS_HEADER, head);
    if (s->items.n == 0)
        canvas_text(c, L->right_x + 2, L->list_y, rw - 2, CS_DIM,
                    s->filter == FILTER_ALL ? "no items on this checklist"
                    : s->filter == FILTER_OVERDUE
                        ? "nothing overdue: f shows all items"
                        : "nothing due this week: f shows overdue, then all items");
    draw_list(s, c, PANE_CHECKLISTS, &s->items, &s->items_view, L->right_x, L->list_y, rw,
              L->list_h, s->in_items);
}

static void draw_status(const cb_screen *s, cb_canvas *c, const layout *L)
{
    canvas_fill(c, 0, L->status_y, L->w, CS_NORMAL, ' ');
    if (s->input != INPUT_NONE) {
        pen p = {c, 0, L->status_y, L->w - 1};
        const char *label = s->input == INPUT_SEARCH  ? "/"
                            : s->input == INPUT_BLOCK ? "blocked, why: "
                            : s->input == INPUT_LINK  ? "link to what you built (Enter skips): "
                            : s->input == INPUT_EXAM  ? s->form.label
                            : s->input_status == CB_MS_AT_RISK ? "at risk, note: "
                                                               : "note: ";
        if (s->input == INPUT_EXAM && s->status[0]) { /* why a field was refused */
            put(&p, s->status_style, s->status);
            put(&p, CS_DIM, " · ");
        }
        put(&p, CS_KEY, label);
        /* the end of what is typed stays visible */
        const char *t = s->input_buf;
        while (text_width(t) > p.right - p.x - 1 && *t)
            t++;
        put(&p, CS_NORMAL, t);
        canvas_fill(c, p.x, p.y, 1, CS_SELECTED, ' ');
        return;
    }
    if (s->status[0]) {
        canvas_text(c, 1, L->status_y, L->w - 2, s->status_style, s->status);
        return;
    }
    cb_view *v;
    const cb_rows *rows;
    if (s->pane == PANE_CHECKLISTS && s->in_items) {
        v = (cb_view *)&s->items_view;
        rows = &s->items;
    } else {
        v = (cb_view *)&s->view[s->pane];
        rows = &s->board->pane[s->pane];
    }
    char pos[64];
    snprintf(pos, sizeof pos, "%s · %d/%d", board_pane_names[s->pane], v->sel + 1, rows->n);
    canvas_text(c, 1, L->status_y, L->w - 2, CS_DIM, pos);
}

static void draw_footer(const cb_screen *s, cb_canvas *c, const layout *L)
{
    canvas_fill(c, 0, L->footer_y, L->w, CS_FOOTER, ' ');
    pen p = {c, 0, L->footer_y, L->w};
    for (int i = 0; i < screen_n_actions; i++) {
        const cb_action_info *a = &screen_actions[i];
        if (!a->footer || !(a->panes & (1u << s->pane)) || !screen_action_offered(s, i))
            continue;
        char label[64];
        snprintf(label, sizeof label, "%s %s", a->keys, a->brief);
        if (p.x + text_width(label) + 1 > p.right)
            break;
        put(&p, CS_FOOTER, " ");
        put(&p, CS_KEY, a->keys);
        putf(&p, CS_FOOTER, " %s ", a->brief);
    }
}

static void draw_help(const cb_screen *s, cb_canvas *c, const layout *L)
{
    int w = L->w - 4 < 76 ? L->w - 4 : 76, h = L->h - 4;
    int x = (L->w - w) / 2, y = 2;
    for (int i = 0; i < h; i++)
        canvas_fill(c, x, y + i, w, CS_NORMAL, ' ');
    canvas_box(c, x, y, w, h, CS_HEADER, "Keys (j/k scroll, Esc or ? closes)");
    canvas_text(c, x + 2, y + h - 1, w - 4, CS_DIM,
                " mouse: a click focuses and selects, the wheel scrolls ");
    int last_top = screen_n_actions - (h - 2) > 0 ? screen_n_actions - (h - 2) : 0;
    int top = s->help_top > last_top ? last_top : s->help_top; /* no empty rows at the end */
    for (int i = top, row = 0; i < screen_n_actions && row < h - 2; i++, row++) {
        const cb_action_info *a = &screen_actions[i];
        pen p = {c, x + 2, y + 1 + row, x + w - 2};
        canvas_text(c, p.x, p.y, 14, CS_KEY, a->keys);
        p.x += 15;
        put(&p, CS_NORMAL, a->help);
        if (a->panes != (1u << PANE_COUNT) - 1) {
            put(&p, CS_DIM, "  [");
            for (int pn = 0, first = 1; pn < PANE_COUNT; pn++)
                if (a->panes & (1u << pn)) {
                    putf(&p, CS_DIM, "%s%s", first ? "" : ", ", board_pane_names[pn]);
                    first = 0;
                }
            put(&p, CS_DIM, "]");
        }
    }
}

/* Word-wraps text into the box; '\n' starts a new paragraph. */
static void draw_wrapped(cb_canvas *c, int x, int y, int w, int h, const char *text)
{
    char word[1024];
    int cx = 0, cy = 0;
    for (const char *p = text; *p && cy < h;) {
        if (*p == '\n') {
            cx = 0, cy++, p++;
            continue;
        }
        if (*p == ' ') {
            p++;
            if (cx > 0 && cx < w)
                cx++;
            continue;
        }
        size_t n = strcspn(p, " \n");
        snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word ? n : sizeof word - 1), p);
        int ww = text_width(word);
        if (cx > 0 && cx + ww > w)
            cx = 0, cy++;
        if (cy >= h)
            break;
        canvas_text(c, x + cx, y + cy, w - cx, cy == 0 ? CS_HEADER : CS_NORMAL, word);
        cx += ww < w ? ww : w;
        p += n;
    }
}

static void draw_detail(const cb_screen *s, cb_canvas *c, const layout *L)
{
    const cb_row *r = screen_selected(s);
    if (!r)
        return;
    static char text[8192];
    board_row_detail(s->board, r, text, sizeof text);
    int w = L->w - 8 < 90 ? L->w - 8 : 90, h = L->h - 4;
    int x = (L->w - w) / 2, y = 2;
    for (int i = 0; i < h; i++)
        canvas_fill(c, x, y + i, w, CS_NORMAL, ' ');
    canvas_box(c, x, y, w, h, CS_HEADER, "Details (any key closes)");
    draw_wrapped(c, x + 2, y + 1, w - 4, h - 2, text);
}

void screen_draw(cb_screen *s, cb_canvas *c)
{
    if (s->w != c->w || s->h != c->h)
        screen_resize(s, c->w, c->h);
    s->ascii = c->ascii;
    canvas_clear(c);
    layout L = layout_of(s);
    if (L.too_small) {
        char msg[96];
        snprintf(msg, sizeof msg, "terminal too small: %dx%d, need %dx%d", c->w, c->h,
                 SCREEN_MIN_W, SCREEN_MIN_H);
        int y = c->h / 2;
        int w = text_width(msg);
        canvas_text(c, w < c->w ? (c->w - w) / 2 : 0, y, c->w, CS_OVERDUE, msg);
        if (y + 1 < c->h)
            canvas_text(c, 0, y + 1, c->w, CS_DIM, "q quits");
        return;
    }
    draw_title(s, c, &L);
    draw_tabs(s, c, &L);
    if (s->pane == PANE_CHECKLISTS)
        draw_checklists(s, c, &L);
    else
        draw_list(s, c, s->pane, &s->board->pane[s->pane], &s->view[s->pane], 0, L.body_y, L.w,
                  L.body_h, true);
    draw_status(s, c, &L);
    draw_footer(s, c, &L);
    if (s->help)
        draw_help(s, c, &L);
    else if (s->detail)
        draw_detail(s, c, &L);
}

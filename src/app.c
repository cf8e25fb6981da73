/* app.c — one open session: plan, store and identity, and the permission
 * checks every change goes through (see app.h). */
#include "certboard/app.h"
#include "certboard/date.h"
#include "certboard/fswatch.h"
#include "certboard/keys.h"
#include "certboard/trace.h"

#include <pwd.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *os_user(cb_opts *o)
{
    struct passwd *pw = getpwuid(geteuid());
    if (pw && pw->pw_name && *pw->pw_name)
        return arena_strdup(o->arena, pw->pw_name);
    const char *u = getenv("USER");
    return u && *u ? u : NULL;
}

/* "a, b, c": the member ids, for messages. */
static const char *member_list(cb_opts *o, const cb_plan *p)
{
    size_t len = 1;
    for (int i = 0; i < p->n_members; i++)
        len += strlen(p->members[i].id) + 2;
    char *s = arena_alloc(o->arena, len);
    for (int i = 0; i < p->n_members; i++) {
        if (i)
            strcat(s, ", ");
        strcat(s, p->members[i].id);
    }
    return s;
}

static int resolve_identity(cb_app *app, cb_diags *d)
{
    const cb_plan *p = app->plan;
    if (app->opts->member) {
        app->me = plan_member(p, app->opts->member);
        const char *login = app->me >= 0 ? p->members[app->me].login : NULL;
        if (app->me < 0) {
            diags_add(d, CB_ERROR, NULL, 0, 0,
                      "unknown member '%s' (from --as, CERTBOARD_MEMBER or the config file); "
                      "members of plan '%s': %s",
                      app->opts->member, p->id, member_list(app->opts, p));
        } else if (login && *login && (!app->os_user || strcmp(login, app->os_user) != 0)) {
            /* A member the plan maps to an OS login is that user alone; the
             * lead acts for others explicitly (--member), as themselves. */
            diags_add(d, CB_ERROR, NULL, 0, 0,
                      "refused: member '%s' is OS user '%s' (login: in %s), and you are '%s'; "
                      "only that user may act as '%s' (the lead changes others' items with "
                      "--member)",
                      p->members[app->me].id, login, p->path, app->os_user ? app->os_user : "?",
                      p->members[app->me].id);
            app->me = -1;
        }
    } else {
        app->me = app->os_user ? plan_member_by_login(p, app->os_user) : -1;
        if (app->me < 0)
            diags_add(d, CB_ERROR, NULL, 0, 0,
                      "cannot tell who you are: OS user '%s' is not the login: of any member "
                      "in %s; use --as MEMBER or CERTBOARD_MEMBER (members: %s)",
                      app->os_user ? app->os_user : "?", p->path, member_list(app->opts, p));
    }
    return app->me < 0 ? -1 : 0;
}

/* Test hook, like CERTBOARD_CLIENT: CERTBOARD_TEST_CLOCK_SKEW_MS=N runs this
 * client with a wall clock N ms off (a laptop hours behind or ahead). */
static int64_t skewed_clock(void *ctx)
{
    return date_wall_ms() + *(const int64_t *)ctx;
}

static void test_clock_skew(cb_store *s)
{
    static int64_t skew;
    const char *v = getenv("CERTBOARD_TEST_CLOCK_SKEW_MS");
    if (!s || !v || !*v)
        return;
    skew = strtoll(v, NULL, 10);
    store_set_clock(s, skewed_clock, &skew);
}

static int open_store(cb_app *app, bool one_change, bool lazy, cb_diags *d)
{
    cb_opts *o = app->opts;
    bool is_default = !o->store_dir || o->store_from_default;
    app->local_store = is_default;
    const char *dir = o->store_dir ? o->store_dir : config_default_store(o, app->plan->id);
    const char *client = getenv("CERTBOARD_CLIENT");
    cb_store_opts so = {
        .dir = dir,
        .plan_id = app->plan->id,
        .client_id = client && *client ? client : NULL,
        .member = app->me >= 0 ? app->plan->members[app->me].id
                               : (o->member ? o->member : (app->os_user ? app->os_user : "?")),
        .create_parents = is_default,
        .one_change = one_change,
        .lazy_history = lazy,
    };
    app->store = store_open(&so, d);
    test_clock_skew(app->store);
    return app->store ? 0 : -1;
}

/* Records the plan file's identity; false when it cannot be stat'ed. */
static bool plan_stat(cb_app *app, bool *changed)
{
    struct stat st;
    if (!app->opts->plan_path || stat(app->opts->plan_path, &st) != 0)
        return false;
    long long mtime = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
    *changed = mtime != app->plan_seen.mtime_ns ||
               (long long)st.st_size != app->plan_seen.size ||
               (unsigned long long)st.st_ino != app->plan_seen.ino;
    app->plan_seen.mtime_ns = mtime;
    app->plan_seen.size = (long long)st.st_size;
    app->plan_seen.ino = (unsigned long long)st.st_ino;
    return true;
}

int app_plan_reload(cb_app *app, cb_plan **old, char *msg, size_t n)
{
    bool changed = false;
    *old = NULL;
    if (!app->plan || !plan_stat(app, &changed) || !changed)
        return 0;
    cb_diags d;
    diags_init(&d);
    cb_plan *p = plan_load_file(app->opts->plan_path, &d);
    if (!p || diags_errors(&d) > 0) {
        const cb_diag *e = d.n ? &d.v[0] : NULL;
        for (int i = 0; i < d.n; i++)
            if (d.v[i].sev == CB_ERROR) {
                e = &d.v[i];
                break;
            }
        if (e && e->line)
            snprintf(msg, n, "plan not reloaded, the previous version stays: %s:%d:%d: %s%s",
                     e->file ? e->file : app->opts->plan_path, e->line, e->col, e->msg,
                     diags_errors(&d) > 1 ? " (and more: certboard validate)" : "");
        else
            snprintf(msg, n, "plan not reloaded, the previous version stays: %s: %s",
                     app->opts->plan_path, e ? e->msg : "cannot be read");
        plan_free(p);
        diags_free(&d);
        return -1;
    }
    diags_free(&d);
    const char *me = app->me >= 0 ? app->plan->members[app->me].id : NULL;
    *old = app->plan;
    app->plan = p;
    app->me = me ? plan_member(p, me) : -1;
    snprintf(msg, n, "plan reloaded from %s%s", app->opts->plan_path,
             me && app->me < 0 ? "; you are no longer a member: viewing as guest" : "");
    return 1;
}

int app_open(cb_app *app, cb_opts *opts, unsigned need, cb_diags *diags)
{
    memset(app, 0, sizeof *app);
    app->opts = opts;
    app->me = -1;
    if (!opts->arena)
        opts->arena = arena_new();
    app->os_user = os_user(opts);
    if (!need)
        return 0;
    bool changed;
    plan_stat(app, &changed); /* before reading: a change while loading is seen later */
    app->plan = plan_load_file(opts->plan_path, diags);
    trace_mark("plan loaded");
    if (!app->plan || diags_errors(diags) > 0)
        return -1;
    if ((need & APP_NEED_IDENTITY) && resolve_identity(app, diags) != 0)
        return -1;
    if ((need & APP_NEED_STORE) && open_store(app, (need & APP_ONE_CHANGE) != 0,
                                              (need & APP_LAZY_HISTORY) != 0, diags) != 0)
        return -1;
    trace_mark("store opened");
    return 0;
}

/* How often a plan file that cannot be watched is looked at. */
#define PLAN_POLL_MS 2000

static void on_plan_event(void *ctx, int wd, const char *name, uint32_t mask)
{
    cb_app *app = ctx;
    (void)mask;
    app->plan_watch.hint |= wd < 0 || strcmp(name, app->plan_watch.name) == 0;
}

int app_plan_wait_fd(cb_app *app)
{
    if (app->plan_watch.tried)
        return app->plan_watch.fd;
    app->plan_watch.tried = true;
    app->plan_watch.hint = true; /* a change before the watch */
    app->plan_watch.fd = app->plan_watch.wd = -1;
    const char *path = app->opts->plan_path;
    struct stat st;
    if (!path || lstat(path, &st) != 0 || S_ISLNK(st.st_mode))
        return -1; /* a link's target may be anywhere: looked at on a timer */
    const char *slash = strrchr(path, '/');
    char dir[4096];
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    app->plan_watch.name = slash ? slash + 1 : path;
    int fd = fswatch_open();
    if (fd >= 0 && (app->plan_watch.wd = fswatch_add(fd, dir)) < 0) {
        close(fd);
        fd = -1;
    }
    app->plan_watch.fd = fd;
    return fd;
}

int app_plan_wait_ms(const cb_app *app)
{
    if (!app->plan || !app->opts->plan_path)
        return -1;
    return !app->plan_watch.tried ? 0 : app->plan_watch.fd < 0 ? PLAN_POLL_MS : -1;
}

bool app_plan_poll(cb_app *app)
{
    if (app->plan_watch.fd < 0)
        return true; /* on a timer: one stat in app_plan_reload */
    fswatch_drain(app->plan_watch.fd, on_plan_event, app);
    bool hint = app->plan_watch.hint;
    app->plan_watch.hint = false;
    return hint;
}

void app_close(cb_app *app)
{
    if (app->plan_watch.tried && app->plan_watch.fd >= 0)
        close(app->plan_watch.fd);
    app->plan_watch.tried = false;
    store_close(app->store);
    plan_free(app->plan);
    app->store = NULL;
    app->plan = NULL;
}

bool app_can_change(const cb_app *app)
{
    return app->plan && app->store && app->me >= 0;
}

bool app_can_change_member(const cb_app *app, int member)
{
    return app_can_change(app) && member >= 0 && member < app->plan->n_members &&
           (app->me == member || app->me == app->plan->lead);
}

bool app_can_set_milestones(const cb_app *app)
{
    return app_can_change(app) && app->me == app->plan->lead;
}

static const char *me_id(const cb_app *app)
{
    return app->plan->members[app->me].id;
}

static const char *lead_id(const cb_app *app)
{
    return app->plan->lead >= 0 ? app->plan->members[app->plan->lead].id : "(none)";
}

static int refuse(char *err, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int refuse(char *err, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
    return -1;
}

static int need_store(cb_app *app, char *err, size_t n)
{
    if (app_can_change(app))
        return 0;
    return refuse(err, n, "refused: %s", app->store ? "unknown identity" : "no store open");
}

/* The refusal when member's items or attempts are not mine to change. */
static int need_member(cb_app *app, int member, const char *what, char *err, size_t n)
{
    if (need_store(app, err, n) != 0)
        return -1;
    if (member < 0 || member >= app->plan->n_members)
        return refuse(err, n, "refused: no such member");
    if (app_can_change_member(app, member))
        return 0;
    return refuse(err, n,
                  "refused: %s may change only their own %s; the lead (%s) may change "
                  "anyone's",
                  me_id(app), what, lead_id(app));
}

int app_tick(cb_app *app, int item, int member, bool on, char *err, size_t n)
{
    const cb_plan *p = app->plan;
    if (need_member(app, member, "items", err, n) != 0)
        return -1;
    if (item < 0 || item >= p->n_items)
        return refuse(err, n, "refused: no such item");
    const char *item_id = p->items[item].id, *member_id = p->members[member].id;
    if (!plan_item_assigned(p, item, member))
        return refuse(err, n, "refused: item %s is not on %s's checklist", item_id, member_id);
    char key[256];
    key_tick(key, sizeof key, item_id, member_id);
    return store_apply(app->store, key, on ? "1" : "", NULL, err, n);
}

int app_milestone(cb_app *app, int milestone, enum cb_ms_status status, const char *note,
                  char *err, size_t n)
{
    const cb_plan *p = app->plan;
    if (need_store(app, err, n) != 0)
        return -1;
    if (milestone < 0 || milestone >= p->n_milestones || (int)status < 0 ||
        status >= CB_MS_COUNT)
        return refuse(err, n, "refused: no such milestone or status");
    if (!app_can_set_milestones(app))
        return refuse(err, n, "refused: only the lead (%s) sets milestone statuses",
                      lead_id(app));
    char key[256];
    key_milestone(key, sizeof key, p->milestones[milestone].id);
    return store_apply(app->store, key, cb_ms_status_names[status], note, err, n);
}

static const cb_event *exam_event(cb_app *app, const char *id)
{
    char key[256];
    return snapshot_get(store_snapshot(app->store), key_exam(key, sizeof key, id));
}

/* Checks a complete attempt (numbers, date, whose) before it is stored. */
static int check_attempt(cb_app *app, const cb_attempt *a, char *err, size_t n)
{
    if (need_member(app, a->member, "practice exams", err, n) != 0)
        return -1;
    char why[200];
    if (attempt_check(app->plan, a, app->opts->today, why, sizeof why) != 0)
        return refuse(err, n, "refused: %s; nothing was stored", why);
    return 0;
}

const char *app_exam_record(cb_app *app, const cb_attempt *a, const char *id, cb_arena *arena,
                            char *err, size_t n)
{
    if (check_attempt(app, a, err, n) != 0)
        return NULL;
    if (id && !attempt_valid_id(id)) {
        refuse(err, n, "bad attempt id '%s' (letters, digits, . _ -)", id);
        return NULL;
    }
    if (id && exam_event(app, id)) {
        refuse(err, n, "exam attempt id '%s' is taken (use exam edit)", id);
        return NULL;
    }
    char date[11];
    date_format(a->date, date);
    for (int k = 1; !id; k++) {
        const char *fresh =
            arena_printf(arena, "%s-%.4s%.2s%.2s-%d", app->plan->members[a->member].id, date,
                         date + 5, date + 8, k);
        if (!exam_event(app, fresh)) /* never reuse an id, even a deleted one */
            id = fresh;
    }
    char key[256];
    cb_attempt stored = *a;
    stored.id = id;
    if (store_apply(app->store, key_exam(key, sizeof key, id),
                    attempt_format(app->plan, &stored, arena), NULL, err, n) != 0)
        return NULL;
    return id;
}

int app_exam_load(cb_app *app, const char *id, cb_attempt *a, cb_arena *arena, char *err,
                  size_t n)
{
    const cb_event *e = app->store ? exam_event(app, id) : NULL;
    if (!e || !e->value || !*e->value)
        return refuse(err, n, "no exam attempt '%s' (see certboard exam list)", id);
    char why[200];
    if (attempt_parse(app->plan, id, e->value, a, arena, why, sizeof why) != 0)
        return refuse(err, n, "exam attempt '%s' is unreadable: %s", id, why);
    return 0;
}

int app_exam_change(cb_app *app, const char *id, const cb_attempt *a, cb_arena *arena,
                    char *err, size_t n)
{
    cb_attempt old;
    char key[256];
    if (app_exam_load(app, id, &old, arena, err, n) != 0 ||
        need_member(app, old.member, "practice exams", err, n) != 0 ||
        (a && check_attempt(app, a, err, n) != 0))
        return -1;
    return store_apply(app->store, key_exam(key, sizeof key, id),
                       a ? attempt_format(app->plan, a, arena) : "", NULL, err, n);
}

int app_undo(cb_app *app, char *err, size_t n)
{
    if (need_store(app, err, n) != 0)
        return -1;
    return store_undo(app->store, err, n);
}

bool app_can_mark_standup(const cb_app *app)
{
    return app_can_change(app) && app->me == app->plan->lead;
}

const char *app_standup(cb_app *app, cb_arena *arena, char *err, size_t n)
{
    if (need_store(app, err, n) != 0)
        return NULL;
    if (!app_can_mark_standup(app)) {
        refuse(err, n, "refused: only the lead (%s) marks the stand-up held", lead_id(app));
        return NULL;
    }
    char date[11], key[256];
    date_format(app->opts->today, date);
    const cb_snapshot *snap = store_snapshot(app->store);
    const char *id = NULL;
    for (int k = 1; !id && k < 100000; k++) { /* a fresh id: marks are never reused */
        const char *fresh = arena_printf(arena, "%.4s%.2s%.2s-%d", date, date + 5, date + 8, k);
        if (!snapshot_get(snap, key_standup(key, sizeof key, fresh)))
            id = fresh;
    }
    if (!id) {
        refuse(err, n, "refused: too many stand-up marks today");
        return NULL;
    }
    if (store_apply(app->store, key_standup(key, sizeof key, id), "1", NULL, err, n) != 0)
        return NULL;
    return id;
}

/* The item on member's checklist, or a refusal. */
static int need_item(cb_app *app, int item, int member, const char *what, char *err, size_t n)
{
    const cb_plan *p = app->plan;
    if (need_member(app, member, what, err, n) != 0)
        return -1;
    if (item < 0 || item >= p->n_items)
        return refuse(err, n, "refused: no such item");
    if (!plan_item_assigned(p, item, member))
        return refuse(err, n, "refused: item %s is not on %s's checklist", p->items[item].id,
                      p->members[member].id);
    return 0;
}

int app_block(cb_app *app, int item, int member, bool on, const char *note, char *err, size_t n)
{
    if (need_item(app, item, member, "items", err, n) != 0)
        return -1;
    const cb_plan *p = app->plan;
    const char *item_id = p->items[item].id, *member_id = p->members[member].id;
    const cb_snapshot *snap = store_snapshot(app->store);
    char key[256];
    if (on) {
        if (!note || !*note)
            return refuse(err, n, "refused: say what blocks %s (a short note)", item_id);
        if (strlen(note) > APP_NOTE_MAX)
            return refuse(err, n, "refused: the note is longer than %d bytes", APP_NOTE_MAX);
        if (*snapshot_value(snap, key_tick(key, sizeof key, item_id, member_id)))
            return refuse(err, n, "refused: %s is already done for %s", item_id, member_id);
    } else if (!*snapshot_value(snap, key_block(key, sizeof key, item_id, member_id))) {
        return refuse(err, n, "refused: %s is not blocked for %s", item_id, member_id);
    }
    return store_apply(app->store, key_block(key, sizeof key, item_id, member_id),
                       on ? "1" : "", on ? note : NULL, err, n);
}

int app_link(cb_app *app, int item, int member, const char *link, char *err, size_t n)
{
    if (need_item(app, item, member, "items", err, n) != 0)
        return -1;
    if (!link || !*link)
        return refuse(err, n, "refused: an empty link");
    if (strlen(link) > APP_NOTE_MAX)
        return refuse(err, n, "refused: the link is longer than %d bytes", APP_NOTE_MAX);
    for (const char *c = link; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7F)
            return refuse(err, n, "refused: a link holds no control characters");
    char key[256];
    return store_apply(
        app->store,
        key_asset(key, sizeof key, app->plan->items[item].id, app->plan->members[member].id),
        link, NULL, err, n);
}

int app_exam_result(cb_app *app, int exam, int member, const cb_exam_result *r, char *err,
                    size_t n)
{
    const cb_plan *p = app->plan;
    if (need_member(app, member, "exam results", err, n) != 0)
        return -1;
    if (exam < 0 || exam >= p->n_exams)
        return refuse(err, n, "refused: no such exam");
    char key[256], value[96] = "";
    key_result(key, sizeof key, p->exams[exam].id, p->members[member].id);
    if (r && r->status != CB_EXAM_NONE) {
        if ((int)r->status < 0 || r->status >= CB_EXAM_COUNT)
            return refuse(err, n, "refused: no such result");
        if (r->score < -1 || r->score > 100)
            return refuse(err, n, "refused: a score is a percentage, 0 to 100");
        if (r->status == CB_EXAM_BOOKED && r->score >= 0)
            return refuse(err, n, "refused: a booked exam has no score yet");
        if (r->status != CB_EXAM_BOOKED && (!r->date || r->date > app->opts->today)) {
            char d[11] = "none", t[11];
            if (r->date)
                date_format(r->date, d);
            date_format(app->opts->today, t);
            return refuse(err, n, "refused: %s on %s: the day must not be after today (%s)",
                          cb_exam_status_names[r->status], d, t);
        }
        state_result_format(value, sizeof value, r);
    }
    return store_apply(app->store, key, value, NULL, err, n);
}

/* app.c — one open session: plan, store and identity, and the permission
 * checks every change goes through (see app.h). */
#include "certboard/app.h"
#include "certboard/trace.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const cb_milestone_statuses[4] = {CB_MS_STATUSES};

bool app_valid_milestone_status(const char *status)
{
    for (int i = 0; i < 4; i++)
        if (status && strcmp(status, cb_milestone_statuses[i]) == 0)
            return true;
    return false;
}

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

static int open_store(cb_app *app, cb_diags *d)
{
    cb_opts *o = app->opts;
    bool is_default = !o->store_dir || o->store_from_default;
    const char *dir = o->store_dir ? o->store_dir : config_default_store(o, app->plan->id);
    const char *client = getenv("CERTBOARD_CLIENT");
    cb_store_opts so = {
        .dir = dir,
        .plan_id = app->plan->id,
        .client_id = client && *client ? client : NULL,
        .member = app->me >= 0 ? app->plan->members[app->me].id
                               : (o->member ? o->member : (app->os_user ? app->os_user : "?")),
        .create_parents = is_default,
    };
    app->store = store_open(&so, d);
    return app->store ? 0 : -1;
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
    app->plan = plan_load_file(opts->plan_path, diags);
    trace_mark("plan loaded");
    if (!app->plan || diags_errors(diags) > 0)
        return -1;
    if ((need & APP_NEED_IDENTITY) && resolve_identity(app, diags) != 0)
        return -1;
    if ((need & APP_NEED_STORE) && open_store(app, diags) != 0)
        return -1;
    trace_mark("store opened");
    return 0;
}

void app_close(cb_app *app)
{
    store_close(app->store);
    plan_free(app->plan);
    app->store = NULL;
    app->plan = NULL;
}

bool app_may_change_member(const cb_app *app, int member)
{
    return app->plan && app->me >= 0 && member >= 0 && member < app->plan->n_members &&
           (app->me == member || app->me == app->plan->lead);
}

static const char *me_id(const cb_app *app)
{
    return app->plan->members[app->me].id;
}

static const char *lead_id(const cb_app *app)
{
    return app->plan->lead >= 0 ? app->plan->members[app->plan->lead].id : "(none)";
}

static int need_store(cb_app *app, char *err, size_t n)
{
    if (app->store && app->me >= 0)
        return 0;
    snprintf(err, n, "refused: %s", app->store ? "unknown identity" : "no store open");
    return -1;
}

int app_tick(cb_app *app, int item, int member, bool on, char *err, size_t n)
{
    if (need_store(app, err, n) != 0)
        return -1;
    const cb_plan *p = app->plan;
    if (item < 0 || item >= p->n_items || member < 0 || member >= p->n_members) {
        snprintf(err, n, "refused: no such item or member");
        return -1;
    }
    const char *item_id = p->items[item].id, *member_id = p->members[member].id;
    if (!plan_item_assigned(p, item, member)) {
        snprintf(err, n, "refused: item %s is not on %s's checklist", item_id, member_id);
        return -1;
    }
    if (!app_may_change_member(app, member)) {
        snprintf(err, n,
                 "refused: %s may change only their own items; the lead (%s) may change "
                 "anyone's",
                 me_id(app), lead_id(app));
        return -1;
    }
    char key[256];
    key_tick(key, sizeof key, item_id, member_id);
    return store_apply(app->store, key, on ? "1" : "", NULL, err, n);
}

int app_milestone(cb_app *app, int milestone, const char *status, const char *note, char *err,
                  size_t n)
{
    if (need_store(app, err, n) != 0)
        return -1;
    const cb_plan *p = app->plan;
    if (milestone < 0 || milestone >= p->n_milestones) {
        snprintf(err, n, "refused: no such milestone");
        return -1;
    }
    if (!app_valid_milestone_status(status)) {
        snprintf(err, n, "unknown status '%s' (pending, on-track, at-risk, done)",
                 status ? status : "");
        return -1;
    }
    if (app->me != p->lead) {
        snprintf(err, n, "refused: only the lead (%s) sets milestone statuses", lead_id(app));
        return -1;
    }
    char key[256];
    key_milestone(key, sizeof key, p->milestones[milestone].id);
    return store_apply(app->store, key, status, note, err, n);
}

int app_undo(cb_app *app, char *err, size_t n)
{
    if (need_store(app, err, n) != 0)
        return -1;
    return store_undo(app->store, err, n);
}

bool app_is_ticked(const cb_plan *p, const cb_snapshot *snap, int item, int member)
{
    char key[256];
    key_tick(key, sizeof key, p->items[item].id, p->members[member].id);
    return *snapshot_value(snap, key) != '\0';
}

const char *app_milestone_status(const cb_plan *p, const cb_snapshot *snap, int milestone)
{
    char key[256];
    key_milestone(key, sizeof key, p->milestones[milestone].id);
    const char *v = snapshot_value(snap, key);
    return *v ? v : "pending";
}

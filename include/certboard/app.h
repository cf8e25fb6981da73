/* app.h — one open certboard session: options, plan, store and identity, plus
 * the permission-checked changes that the command line and the dashboard share.
 *
 * Permissions: a member changes their own items and exam attempts; the plan's
 * lead may change anyone's and is the only one who sets milestone statuses.
 * (A shared drive cannot enforce this against a hostile user; the history
 * records who did what.)
 *
 * Ownership: app_open() fills a caller-owned cb_app; app_close() releases the
 * plan and the store it opened. */
#ifndef CERTBOARD_APP_H
#define CERTBOARD_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "certboard/config.h"
#include "certboard/diag.h"
#include "certboard/plan.h"
#include "certboard/store.h"

enum {
    APP_NEED_PLAN = 1,         /* load and validate the plan (errors stop) */
    APP_NEED_STORE = 2,        /* open the store */
    APP_NEED_IDENTITY = 4,     /* resolve who I am; unknown identity is an error */
};

typedef struct cb_app {
    cb_opts *opts;
    cb_plan *plan;
    cb_store *store;
    int me;                    /* member index, -1 when not resolved */
    const char *os_user;
} cb_app;

/* Identity: --as / CERTBOARD_MEMBER, else the member whose login: is the OS
 * user. Returns 0, or -1 with errors in diags. */
int app_open(cb_app *app, cb_opts *opts, unsigned need, cb_diags *diags);
void app_close(cb_app *app);

#define CB_MS_STATUSES "pending", "on-track", "at-risk", "done"
extern const char *const cb_milestone_statuses[4];
bool app_valid_milestone_status(const char *status);

bool app_may_change_member(const cb_app *app, int member);
/* Each returns 0 when stored (acknowledged), -1 with a reason in err. */
int app_tick(cb_app *app, int item, int member, bool on, char *err, size_t n);
int app_milestone(cb_app *app, int milestone, const char *status, const char *note,
                  char *err, size_t n);
int app_undo(cb_app *app, char *err, size_t n);

/* Current state read through the plan. */
bool app_is_ticked(const cb_plan *p, const cb_snapshot *snap, int item, int member);
const char *app_milestone_status(const cb_plan *p, const cb_snapshot *snap, int milestone);

#endif

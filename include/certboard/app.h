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
#include "certboard/attempt.h"
#include "certboard/plan.h"
#include "certboard/state.h"
#include "certboard/store.h"

enum {
    APP_NEED_PLAN = 1,     /* load and validate the plan (errors stop) */
    APP_NEED_STORE = 2,    /* open the store */
    APP_NEED_IDENTITY = 4, /* resolve who I am; unknown identity is an error */
    APP_ONE_CHANGE = 8,    /* the store is opened for one change (store.h:
                              one_change): other shards are not loaded */
    APP_LAZY_HISTORY = 16, /* the history is read when first needed (store.h:
                              lazy_history): the dashboard */
};

typedef struct cb_app {
    cb_opts *opts;
    cb_plan *plan;
    cb_store *store;
    int me;           /* member index, -1 when not resolved */
    bool local_store; /* the default store on this disk, not a team share */
    const char *os_user;
    struct { /* the plan file as loaded: what app_plan_changed() compares */
        long long mtime_ns, size;
        unsigned long long ino;
    } plan_seen;
    struct { /* waiting for the plan file to change: see app_plan_wait_fd() */
        bool tried, hint;
        int fd, wd;
        const char *name; /* the file's name in the watched directory */
    } plan_watch;
} cb_app;

/* Identity: --as / CERTBOARD_MEMBER, else the member whose login: is the OS
 * user. Returns 0, or -1 with errors in diags. */
int app_open(cb_app *app, cb_opts *opts, unsigned need, cb_diags *diags);
void app_close(cb_app *app);

/* Re-reads the plan file when it changed on disk (one stat, as cheap as the
 * store's poll). Returns 1 when the new version loaded cleanly: app->plan is
 * replaced, I am the same member again (or a guest when my id is gone), and
 * *old is the previous plan, which the caller frees once nothing points into
 * it. Returns 0 when the file did not change, -1 when the new version cannot
 * be used: msg says where and what, and the previous plan stays. A version
 * that failed is not read again until the file changes again. */
int app_plan_reload(cb_app *app, cb_plan **old, char *msg, size_t n);
/* Waiting for the plan file to change (the dashboard), with no timer where
 * the system can say it: an inotify descriptor watching the file's directory
 * (owned by app, set up on the first call, closed by app_close), or -1 when
 * the file must be looked at every app_plan_wait_ms() (-1: never; a network
 * file system or a link: a few seconds). When the descriptor is readable or
 * the time has passed, app_plan_poll() reads what was queued and says whether
 * app_plan_reload() is worth calling. */
int app_plan_wait_fd(cb_app *app);
int app_plan_wait_ms(const cb_app *app);
bool app_plan_poll(cb_app *app);

/* Who may change what: the one definition, asked by the command line, the
 * dashboard's keys and its footer alike. */
bool app_can_change(const cb_app *app); /* a store is open and I am a member */
/* My own items and attempts; anyone's when I am the plan's lead. */
bool app_can_change_member(const cb_app *app, int member);
bool app_can_set_milestones(const cb_app *app); /* the lead */
bool app_can_mark_standup(const cb_app *app);   /* the lead */

#define APP_NOTE_MAX 500 /* bytes of a blocker's note or a link */

/* The changes. Each checks the above and the change itself, then stores it:
 * 0 when stored (acknowledged), -1 with the reason in err (nothing stored). */
int app_tick(cb_app *app, int item, int member, bool on, char *err, size_t n);
int app_milestone(cb_app *app, int milestone, enum cb_ms_status status, const char *note,
                  char *err, size_t n);
/* Records a new attempt (checked with attempt_check against today) under id,
 * or under a fresh id "<member>-<yyyymmdd>-<n>" when id is NULL; ids are never
 * reused, not even a deleted one's. Returns the id (from arena) or NULL. */
const char *app_exam_record(cb_app *app, const cb_attempt *a, const char *id, cb_arena *arena,
                            char *err, size_t n);
/* The live attempt stored under id, parsed into *a: 0, or -1 with why. */
int app_exam_load(cb_app *app, const char *id, cb_attempt *a, cb_arena *arena, char *err,
                  size_t n);
/* Replaces attempt id with a, or deletes it when a is NULL (the old and the
 * new member must both be mine to change). */
int app_exam_change(cb_app *app, const char *id, const cb_attempt *a, cb_arena *arena,
                    char *err, size_t n);
/* The lead marks the stand-up held (state.h: the changes since the last
 * stand-up start after it). Returns the mark's id (from arena) or NULL. */
const char *app_standup(cb_app *app, cb_arena *arena, char *err, size_t n);
/* Blocks (on, with a note saying why: required) or unblocks an item on
 * member's checklist; a done item cannot be blocked. */
int app_block(cb_app *app, int item, int member, bool on, const char *note, char *err,
              size_t n);
/* Attaches a link or path (shown as text, never opened) to an item on member's
 * checklist: the team library (state_asset). */
int app_link(cb_app *app, int item, int member, const char *link, char *err, size_t n);
/* Records member's result in exam e of the plan (state.h: exam result), or
 * clears it when r is NULL or its status is CB_EXAM_NONE. Mine, or anyone's
 * for the lead; passed and failed need a day not after today; a score is
 * 0..100 or -1 (none). */
int app_exam_result(cb_app *app, int exam, int member, const cb_exam_result *r, char *err,
                    size_t n);
/* Reverts my latest change not yet undone (store_undo). */
int app_undo(cb_app *app, char *err, size_t n);

#endif

/* config.h — where certboard finds its plan, store, identity and date.
 *
 * Precedence for each setting: command-line flag, then environment
 * (CERTBOARD_PLAN, CERTBOARD_STORE, CERTBOARD_MEMBER, CERTBOARD_TODAY), then the
 * config file ($XDG_CONFIG_HOME/certboard/config.yaml, keys plan/store/member),
 * then the default (the bundled default plan; a local store under
 * $XDG_DATA_HOME/certboard/<plan-id>). The dashboard's first pane comes from
 * CERTBOARD_HOME or the config key home (a pane name); by default it fits who
 * I am (screen.h).
 *
 * Ownership: strings in cb_opts are owned by the caller (argv, environment) or
 * by the cb_opts arena after config_resolve(); config_free() releases them. */
#ifndef CERTBOARD_CONFIG_H
#define CERTBOARD_CONFIG_H

#include <stdbool.h>

#include "certboard/arena.h"
#include "certboard/date.h"
#include "certboard/diag.h"

typedef struct cb_opts {
    const char *plan_path;
    const char *store_dir; /* NULL until resolved (needs the plan id) */
    const char *member;    /* --as */
    const char *today_str; /* --today as given */
    bool today_flag;       /* set by the --today flag itself (not env or config) */
    bool mouse_off;        /* config "mouse: off" / CERTBOARD_MOUSE=off: no mouse capture,
                              so the terminal's own text selection works */
    const char *home;      /* the dashboard's first pane, or NULL: by role */
    cb_day today;
    bool store_from_default; /* store_dir is the local default */
    cb_arena *arena;
} cb_opts;

/* Fills unset fields from environment, config file and defaults. Returns 0, or
 * -1 with an error in diags (bad --today, unreadable config file...). */
int config_resolve(cb_opts *o, cb_diags *diags);
/* Default store directory for a plan id (local, under XDG_DATA_HOME). */
const char *config_default_store(cb_opts *o, const char *plan_id);
/* The bundled default plan: next to the binary (../plans) or the data dir. */
const char *config_default_plan(cb_opts *o);
void config_free(cb_opts *o);

#endif

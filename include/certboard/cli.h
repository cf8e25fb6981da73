/* cli.h — the subcommands of the certboard binary.
 *
 * Each takes the resolved global options and the arguments after the command
 * name (argv[0] is the command name), prints to stdout/stderr and returns the
 * process exit status: 0 success, 1 failure (invalid plan, refused change...),
 * 2 usage error. None of them needs a terminal except cmd_dashboard. */
#ifndef CERTBOARD_CLI_H
#define CERTBOARD_CLI_H

#include <stdbool.h>

#include "certboard/config.h"

typedef int (*cb_cmd_fn)(cb_opts *o, int argc, char **argv);

int cmd_dashboard(cb_opts *o, int argc, char **argv); /* default command */
int cmd_init(cb_opts *o, int argc, char **argv);
int cmd_validate(cb_opts *o, int argc, char **argv);
int cmd_show(cb_opts *o, int argc, char **argv);
int cmd_tick(cb_opts *o, int argc, char **argv);
int cmd_untick(cb_opts *o, int argc, char **argv);
int cmd_block(cb_opts *o, int argc, char **argv);
int cmd_unblock(cb_opts *o, int argc, char **argv);
int cmd_standup(cb_opts *o, int argc, char **argv);
int cmd_milestone(cb_opts *o, int argc, char **argv);
int cmd_undo(cb_opts *o, int argc, char **argv);
int cmd_log(cb_opts *o, int argc, char **argv);
int cmd_export(cb_opts *o, int argc, char **argv);
int cmd_exam(cb_opts *o, int argc, char **argv);
int cmd_report(cb_opts *o, int argc, char **argv);
int cmd_ical(cb_opts *o, int argc, char **argv);
int cmd_dump(cb_opts *o, int argc, char **argv);
int cmd_ids(cb_opts *o, int argc, char **argv);
int cmd_db(cb_opts *o, int argc, char **argv);

/* Shared helper: prints "certboard CMD: MESSAGE" to stderr; returns status. */
int cli_fail(int status, const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Shared helper (cmd_common.c): app_open() with its diagnostics printed to
 * stderr; on failure the app is closed again. Returns 0, or 1 (exit status). */
struct cb_app;
bool cli_wants_help(int argc, char **argv); /* -h or --help among argv[1..] */
/* "--name VALUE" or "--name=VALUE" at argv[*i] (advancing *i past a value):
 * 1 taken into *val, 0 not this option, -1 the value is missing. */
int cli_opt_value(const char *name, int argc, char **argv, int *i, const char **val);
int cli_open_app(struct cb_app *app, cb_opts *o, unsigned need);

#endif

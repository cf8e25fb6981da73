/* cmd_state.c — placeholder until its module lands; owned by that module's work. */
#include "certboard/cli.h"
int cmd_tick(cb_opts *o, int argc, char **argv) { return cli_fail(1, argv[0], "not available yet"); }
int cmd_untick(cb_opts *o, int argc, char **argv) { return cli_fail(1, argv[0], "not available yet"); }
int cmd_milestone(cb_opts *o, int argc, char **argv) { return cli_fail(1, argv[0], "not available yet"); }
int cmd_undo(cb_opts *o, int argc, char **argv) { return cli_fail(1, argv[0], "not available yet"); }
int cmd_log(cb_opts *o, int argc, char **argv) { return cli_fail(1, argv[0], "not available yet"); }
int cmd_export(cb_opts *o, int argc, char **argv) { return cli_fail(1, argv[0], "not available yet"); }

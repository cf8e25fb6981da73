/* cmd_plan.c — placeholder until its module lands; owned by that module's work. */
#include "certboard/cli.h"
int cmd_validate(cb_opts *o, int argc, char **argv) { return cli_fail(1, argv[0], "not available yet"); }
int cmd_show(cb_opts *o, int argc, char **argv) { return cli_fail(1, argv[0], "not available yet"); }

/* cmd_dashboard.c — placeholder until its module lands; owned by that module's work. */
#include "certboard/cli.h"
int cmd_dashboard(cb_opts *o, int argc, char **argv) { return cli_fail(1, argv[0], "not available yet"); }
int cmd_dump(cb_opts *o, int argc, char **argv) { return cli_fail(1, argv[0], "not available yet"); }

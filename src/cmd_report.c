/* cmd_report.c — placeholder until its module lands; owned by that module's work. */
#include "certboard/cli.h"
int cmd_exam(cb_opts *o, int argc, char **argv) { return cli_fail(1, argv[0], "not available yet"); }
int cmd_report(cb_opts *o, int argc, char **argv) { return cli_fail(1, argv[0], "not available yet"); }
int cmd_ical(cb_opts *o, int argc, char **argv) { return cli_fail(1, argv[0], "not available yet"); }

/* cmd_common.c — helpers the subcommands share (declared in cli.h): asking
 * for help, opening a session with its diagnostics printed. cli_fail() lives
 * in main.c. */
#include <stdio.h>
#include <string.h>

#include "certboard/app.h"
#include "certboard/cli.h"
#include "certboard/diag.h"

int cli_open_app(cb_app *app, cb_opts *o, unsigned need)
{
    cb_diags d;
    diags_init(&d);
    int rc = app_open(app, o, need, &d);
    diags_print(&d, stderr);
    diags_free(&d);
    if (rc != 0) {
        app_close(app); /* the diagnostics above say why */
        return 1;
    }
    return 0;
}

bool cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return true;
    return false;
}

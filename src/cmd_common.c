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

/* "--name VALUE" or "--name=VALUE" at argv[*i]: 1 taken, 0 not this option,
 * -1 value missing. */
int cli_opt_value(const char *name, int argc, char **argv, int *i, const char **val)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return 0;
    if (argv[*i][n] == '=') {
        *val = argv[*i] + n + 1;
        return 1;
    }
    if (argv[*i][n] != '\0')
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *val = argv[++*i];
    return 1;
}

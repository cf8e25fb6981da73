/* cmd_db.c — `certboard db`: a team's store on a PostgreSQL server
 * (docs/server.md). `db init` prints (or with --apply runs) the SQL that sets
 * a server up for the plan: certboard's tables and access rules, a role per
 * member; `db import STOREDIR` copies a share store's history to the server
 * and `db export STOREDIR` writes the server's history as a share store.
 *
 * Exit status: 0 done, 1 failed (the message says why), 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certboard/app.h"
#include "certboard/cli.h"
#include "certboard/store.h"

static const char USAGE[] =
    "usage: certboard db init [--apply] | db import STOREDIR | db export STOREDIR\n"
    "With --store set to a postgresql:// URI (the password comes from ~/.pgpass or\n"
    "PGPASSWORD, never from the URI):\n"
    "  init      print the SQL that sets the server up for the plan: certboard's\n"
    "            tables and access rules, one role per member (the member's login:,\n"
    "            else the member id), the lead's role marked; --apply runs it as the\n"
    "            role of the URI (the database's owner)\n"
    "  import    copy the history of the share store STOREDIR to the server\n"
    "            (replaying is harmless: changes already there are skipped)\n"
    "  export    write the server's history as the share store STOREDIR\n";

static int need_server(cb_opts *o, const char *cmd)
{
    if (o->store_dir && store_is_server(o->store_dir))
        return 0;
    return cli_fail(2, cmd, "--store must name a server (postgresql://...), not '%s'",
                    o->store_dir ? o->store_dir : "(none)");
}

static int db_init(cb_opts *o, const cb_app *app, bool apply)
{
    const cb_plan *p = app->plan;
    cb_store_role *roles = xcalloc((size_t)p->n_members + 1, sizeof *roles);
    for (int i = 0; i < p->n_members; i++)
        roles[i] = (cb_store_role){.member = p->members[i].id,
                                   .role = p->members[i].login ? p->members[i].login
                                                               : p->members[i].id,
                                   .lead = i == p->lead};
    char *sql = store_server_setup_sql(p->id, roles, p->n_members);
    free(roles);
    int rc = 0;
    if (!apply) {
        fputs(sql, stdout);
    } else if (need_server(o, "db init") != 0) {
        rc = 2;
    } else {
        char err[1024];
        if (store_server_exec(o->store_dir, sql, err, sizeof err) != 0)
            rc = cli_fail(1, "db init", "%s", err);
        else
            printf("plan %s set up on the server: %d member role%s\n", p->id, p->n_members,
                   p->n_members == 1 ? "" : "s");
    }
    free(sql);
    return rc;
}

static int db_copy(cb_opts *o, const cb_app *app, bool import, const char *dir)
{
    const char *cmd = import ? "db import" : "db export";
    if (need_server(o, cmd) != 0)
        return 2;
    char err[1024];
    size_t events;
    int shards;
    cb_diags d;
    diags_init(&d);
    int rc = import ? store_server_import(o->store_dir, app->plan->id, dir, &events, &shards,
                                          &d, err, sizeof err)
                    : store_server_export(o->store_dir, app->plan->id, dir, &events, &shards,
                                          err, sizeof err);
    diags_print(&d, stderr);
    diags_free(&d);
    if (rc != 0)
        return cli_fail(1, cmd, "%s", err);
    printf("%s %zu change%s of %d client%s %s %s\n", import ? "imported" : "exported", events,
           events == 1 ? "" : "s", shards, shards == 1 ? "" : "s", import ? "from" : "to", dir);
    return 0;
}

int cmd_db(cb_opts *o, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(USAGE, stdout);
        return 0;
    }
    const char *sub = argc > 1 ? argv[1] : "";
    bool init = strcmp(sub, "init") == 0, apply = argc == 3 && strcmp(argv[2], "--apply") == 0;
    bool copy = (strcmp(sub, "import") == 0 || strcmp(sub, "export") == 0) && argc == 3 &&
                argv[2][0] != '-';
    if (!(init && (argc == 2 || apply)) && !copy) {
        fputs(USAGE, stderr);
        return 2;
    }
    cb_app app;
    int rc = cli_open_app(&app, o, APP_NEED_PLAN);
    if (rc)
        return rc;
    rc = init ? db_init(o, &app, apply) : db_copy(o, &app, sub[0] == 'i', argv[2]);
    app_close(&app);
    return rc;
}

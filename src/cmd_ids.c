/* cmd_ids.c — `certboard ids KIND`: the ids of the plan, one a line, for shell
 * completion (scripts/certboard.bash-completion). KIND: items, members,
 * milestones, domains, commands... Quiet: an invalid or missing plan prints
 * nothing and exits 1, so completion never shows an error. */
#include <stdio.h>
#include <string.h>

#include "certboard/cli.h"
#include "certboard/plan.h"

int cmd_ids(cb_opts *o, int argc, char **argv)
{
    static const char *const kinds =
        "items, members, milestones, domains, pods, panes, statuses";
    if (cli_wants_help(argc, argv) || argc != 2) {
        fprintf(argc == 2 ? stdout : stderr, "usage: certboard ids KIND\n  KIND: %s\n", kinds);
        return argc == 2 ? 0 : 2;
    }
    const char *k = argv[1];
    if (strcmp(k, "panes") == 0) {
        puts("timeline\nteam\nchecklists\ndomains\nstandup");
        return 0;
    }
    if (strcmp(k, "statuses") == 0) {
        puts("pending\non-track\nat-risk\ndone");
        return 0;
    }
    if (!strstr(kinds, k) || strlen(k) < 4)
        return cli_fail(2, "ids", "unknown kind '%s' (%s)", k, kinds);
    cb_diags d;
    diags_init(&d);
    cb_plan *p = plan_load_file(o->plan_path, &d);
    int rc = 0;
    if (!p || diags_errors(&d) > 0) {
        rc = 1;
    } else if (strcmp(k, "items") == 0) {
        for (int i = 0; i < p->n_items; i++)
            puts(p->items[i].id);
    } else if (strcmp(k, "members") == 0) {
        for (int i = 0; i < p->n_members; i++)
            puts(p->members[i].id);
    } else if (strcmp(k, "milestones") == 0) {
        for (int i = 0; i < p->n_milestones; i++)
            puts(p->milestones[i].id);
    } else if (strcmp(k, "domains") == 0) {
        for (int i = 0; i < p->n_domains; i++)
            puts(p->domains[i].id);
    } else if (strcmp(k, "pods") == 0) {
        for (int i = 0; i < p->n_pods; i++)
            puts(p->pods[i].id);
    }
    plan_free(p);
    diags_free(&d);
    return rc;
}

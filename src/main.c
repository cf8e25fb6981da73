/* main.c — the certboard binary: global options, then one subcommand.
 *
 * Global options may stand anywhere before "--"; the rest of argv goes to the
 * subcommand untouched. With no subcommand the dashboard opens. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certboard/cli.h"
#include "certboard/text.h"
#include "certboard/config.h"
#include "certboard/version.h"

struct command {
    const char *name;
    cb_cmd_fn fn;
    const char *args;
    const char *summary;
};

static const struct command commands[] = {
    {"dashboard", cmd_dashboard, "", "open the full-screen dashboard (the default)"},
    {"init", cmd_init, "--member NAME[:LEVEL]... [--template T] [--start DATE] [-o FILE]",
     "create a team's plan from a bundled template"},
    {"validate", cmd_validate, "[--store] [FILE...]",
     "check plan files (--store: and the state's ids)"},
    {"show", cmd_show, "[FILE]", "print a summary of a plan"},
    {"tick", cmd_tick, "ITEM [--member M] [--link URL]",
     "tick a checklist item (--link: attach what was built)"},
    {"untick", cmd_untick, "ITEM [--member M]", "untick a checklist item"},
    {"block", cmd_block, "ITEM --note TEXT [--member M]", "mark an item blocked, saying why"},
    {"unblock", cmd_unblock, "ITEM [--member M]", "end an item's blocker"},
    {"standup", cmd_standup, "held", "the lead marks the stand-up held"},
    {"milestone", cmd_milestone, "ID STATUS [--note TEXT]",
     "set a milestone status (pending, on-track, at-risk, done)"},
    {"undo", cmd_undo, "", "revert my last change"},
    {"log", cmd_log, "[--since DATE] [--member M]", "print the history of changes"},
    {"export", cmd_export, "--format json", "print plan ids with current state and history"},
    {"exam", cmd_exam, "record|edit|delete|list ...", "practice-exam attempts"},
    {"report", cmd_report, "[--week N] [--since DATE] [--format F]",
     "stand-up report: text, markdown, csv or json"},
    {"ical", cmd_ical, "[-o FILE]", "iCalendar export of the schedule"},
    {"ids", cmd_ids, "KIND",
     "list the plan's ids of a kind (items, members...), for completion"},
    {"dump", cmd_dump, "PANE [--size WxH]", "print a dashboard pane as text"},
    {"db", cmd_db, "init [--apply] | import DIR | export DIR",
     "the store on a PostgreSQL server: set up, import or export"},
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: certboard [OPTIONS] [COMMAND [ARGS]]\n"
            "\n"
            "A terminal dashboard for a team's certification study plan.\n"
            "\n"
            "Options (each also set by environment or config file):\n"
            "  --plan FILE      plan file              (CERTBOARD_PLAN)\n"
            "  --store DIR      shared store directory or postgresql:// URI (CERTBOARD_STORE)\n"
            "  --as MEMBER      act as this member     (CERTBOARD_MEMBER)\n"
            "  --today DATE     pretend today is DATE, YYYY-MM-DD (CERTBOARD_TODAY)\n"
            "  -h, --help       show this help\n"
            "  -V, --version    show the version\n"
            "\n"
            "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        char left[64];
        snprintf(left, sizeof left, "%s %s", commands[i].name, commands[i].args);
        fprintf(out, "  %-44s %s\n", left, commands[i].summary);
    }
    fprintf(out,
            "\n"
            "Config file: $XDG_CONFIG_HOME/certboard/config.yaml (keys: plan, store, member).\n"
            "Docs: README.md, docs/plan-format.md, docs/shared-drive.md, docs/server.md.\n");
}

/* Takes the value of a global option written as "--opt VALUE" or "--opt=VALUE".
 * Returns 1 when argv[*i] was this option (advancing *i), 0 when not, -1 when
 * its value is missing. */
static int take_opt(const char *name, int argc, char **argv, int *i, const char **val)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *val = argv[++*i];
    return 1;
}

int main(int argc, char **argv)
{
    cb_opts opts = {0};
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    int nrest = 0;
    if (!rest)
        return 3;
    text_locale_init(); /* display widths; numbers stay in the C locale's format */

    static const char *const names[] = {"--plan", "--store", "--as", "--today"};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            while (++i < argc)
                rest[nrest++] = argv[i];
            break;
        }
        if (nrest == 0 && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
            usage(stdout);
            free(rest);
            return 0;
        }
        if (nrest == 0 && (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0)) {
            printf("certboard %s\n", CERTBOARD_VERSION);
            free(rest);
            return 0;
        }
        /* `validate --store` is that command's flag, not the global option
         * (which may still come before the command: --store DIR validate --store). */
        if (nrest > 0 && strcmp(rest[0], "validate") == 0 && strcmp(a, "--store") == 0) {
            rest[nrest++] = argv[i];
            continue;
        }
        /* `init --store DIR` names the store to set up for the new plan. */
        if (nrest > 0 && strcmp(rest[0], "init") == 0 && strncmp(a, "--store", 7) == 0) {
            rest[nrest++] = argv[i];
            if (a[7] == '\0' && i + 1 < argc)
                rest[nrest++] = argv[++i];
            continue;
        }
        const char **slots[] = {&opts.plan_path, &opts.store_dir, &opts.member,
                                &opts.today_str};
        int taken = 0;
        for (size_t k = 0; k < sizeof names / sizeof names[0] && !taken; k++) {
            taken = take_opt(names[k], argc, argv, &i, slots[k]);
            if (taken < 0) {
                fprintf(stderr, "certboard: option %s needs a value\n", names[k]);
                free(rest);
                return 2;
            }
        }
        if (!taken)
            rest[nrest++] = argv[i];
    }

    const struct command *cmd = &commands[0];
    if (nrest > 0) {
        cmd = NULL;
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
            if (strcmp(rest[0], commands[i].name) == 0)
                cmd = &commands[i];
        if (!cmd) {
            fprintf(stderr, "certboard: unknown command '%s' (see certboard --help)\n",
                    rest[0]);
            free(rest);
            return 2;
        }
    }

    cb_diags diags;
    diags_init(&diags);
    if (config_resolve(&opts, &diags) != 0) {
        diags_print(&diags, stderr);
        diags_free(&diags);
        config_free(&opts);
        free(rest);
        return 2;
    }
    diags_print(&diags, stderr); /* warnings, e.g. an unknown config key */
    diags_free(&diags);

    char *self[] = {(char *)cmd->name, NULL};
    int status = nrest > 0 ? cmd->fn(&opts, nrest, rest) : cmd->fn(&opts, 1, self);
    config_free(&opts);
    free(rest);
    return status;
}

int cli_fail(int status, const char *cmd, const char *fmt, ...)
{
    /* The message may carry text from the share or a server (a shard's
     * name, the server's words): escaped like every diagnostic. */
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "certboard %s: ", cmd);
    text_put(stderr, TEXT_TERM, msg);
    fputc('\n', stderr);
    return status;
}

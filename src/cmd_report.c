/* cmd_report.c — `exam`, `report` and `ical`: practice-exam attempts, the
 * stand-up report and the calendar export on the command line.
 *
 * Attempts are checked completely (app_exam_*: attempt_check and who may
 * change whose attempts) before anything is stored: a refused attempt leaves
 * the store untouched. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "certboard/app.h"
#include "certboard/cli.h"
#include "certboard/readiness.h"
#include "certboard/report.h"

/* ---- small argument helpers --------------------------------------------- */

static bool parse_int(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < -1000000 || v > 1000000)
        return false;
    *out = (int)v;
    return true;
}

/* "R/A" with possibly negative numbers, so that attempt_check can name them. */
static bool parse_result(const char *s, int *right, int *asked)
{
    const char *slash = strchr(s, '/');
    if (!slash)
        return false;
    char num[32];
    size_t n = (size_t)(slash - s);
    if (n == 0 || n >= sizeof num)
        return false;
    memcpy(num, s, n);
    num[n] = '\0';
    return parse_int(num, right) && parse_int(slash + 1, asked);
}

/* ---- exam ---------------------------------------------------------------- */

typedef struct exam_args {
    const char *member, *date, *source, *minutes, *total, *id, *exam;
    const char *domains[64];
    int n_domains;
} exam_args;

static int exam_parse_args(const char *cmd, int argc, char **argv, int first, exam_args *ea)
{
    static const char *const names[] = {"--member", "--date", "--source", "--minutes",
                                        "--total",  "--id",   "--exam"};
    for (int i = first; i < argc; i++) {
        const char *v = NULL;
        int r = cli_opt_value("--domain", argc, argv, &i, &v);
        if (r == 1) {
            if (ea->n_domains == 64)
                return cli_fail(2, cmd, "too many --domain options");
            ea->domains[ea->n_domains++] = v;
            continue;
        }
        const char **slots[] = {&ea->member, &ea->date, &ea->source, &ea->minutes,
                                &ea->total,  &ea->id,   &ea->exam};
        for (size_t k = 0; r == 0 && k < sizeof names / sizeof names[0]; k++) {
            r = cli_opt_value(names[k], argc, argv, &i, slots[k]);
            if (r < 0)
                return cli_fail(2, cmd, "option %s needs a value", names[k]);
        }
        if (r < 0)
            return cli_fail(2, cmd, "option --domain needs a value (ID=RIGHT/ASKED)");
        if (r == 0)
            return cli_fail(2, cmd, "unexpected argument '%s'", argv[i]);
    }
    if (ea->total && ea->n_domains)
        return cli_fail(2, cmd,
                        "give --domain ID=RIGHT/ASKED or --total RIGHT/ASKED, not both");
    return 0;
}

/* Applies the given options onto a (a fresh attempt or the one being edited).
 * Returns 0, or an exit status after printing why. */
static int exam_fill(cb_app *app, const char *cmd, const exam_args *ea, cb_attempt *a,
                     cb_arena *arena)
{
    const cb_plan *p = app->plan;
    if (ea->member) {
        a->member = plan_member(p, ea->member);
        if (a->member < 0)
            return cli_fail(1, cmd, "unknown member '%s'", ea->member);
    }
    if (ea->date && !date_parse(ea->date, &a->date))
        return cli_fail(1, cmd, "bad date '%s' (want YYYY-MM-DD)", ea->date);
    if (ea->source)
        a->source = arena_strdup(arena, ea->source);
    if (ea->exam) {
        a->exam = plan_exam(p, ea->exam);
        if (a->exam < 0)
            return cli_fail(1, cmd, "unknown exam '%s'", ea->exam);
        a->exam_named = true;
    }
    if (ea->minutes && !parse_int(ea->minutes, &a->minutes))
        return cli_fail(1, cmd, "bad minutes '%s'", ea->minutes);
    if (ea->total) {
        a->per_domain = false;
        if (!parse_result(ea->total, &a->total_right, &a->total_asked))
            return cli_fail(1, cmd, "bad --total '%s' (want RIGHT/ASKED)", ea->total);
    }
    if (ea->n_domains) {
        memset(a->right, 0, (size_t)p->n_domains * sizeof *a->right);
        memset(a->asked, 0, (size_t)p->n_domains * sizeof *a->asked);
        a->per_domain = true;
        a->total_right = a->total_asked = 0;
        for (int k = 0; k < ea->n_domains; k++) {
            const char *s = ea->domains[k], *eq = strchr(s, '=');
            char id[128];
            size_t n = eq ? (size_t)(eq - s) : 0;
            if (!eq || n == 0 || n >= sizeof id)
                return cli_fail(2, cmd, "bad --domain '%s' (want ID=RIGHT/ASKED)", s);
            memcpy(id, s, n);
            id[n] = '\0';
            int d = plan_domain(p, id);
            if (d < 0)
                return cli_fail(1, cmd, "unknown domain '%s'", id);
            if (a->asked[d] || a->right[d])
                return cli_fail(1, cmd, "domain '%s' given twice", id);
            if (!parse_result(eq + 1, &a->right[d], &a->asked[d]))
                return cli_fail(1, cmd, "bad result '%s' for domain '%s' (want RIGHT/ASKED)",
                                eq + 1, id);
            if (a->asked[d] == 0)
                return cli_fail(1, cmd, "domain '%s': no questions asked", id);
            a->total_right += a->right[d];
            a->total_asked += a->asked[d];
        }
    }
    if (!a->per_domain && !ea->total && !a->total_asked)
        return cli_fail(2, cmd, "give the results: --domain ID=RIGHT/ASKED ... or --total R/A");
    return 0;
}

static void exam_print(const cb_plan *p, const cb_attempt *a)
{
    char date[11];
    date_format(a->date, date);
    printf("%-24s %-10s %s %3d/%-3d %5.1f%% %4d min  ", a->id, p->members[a->member].id, date,
           a->total_right, a->total_asked, 100.0 * a->total_right / a->total_asked, a->minutes);
    if (p->n_exams > 1)
        printf("[%s] ", p->exams[a->exam].id);
    for (int d = 0; a->per_domain && d < p->n_domains; d++)
        if (a->asked[d])
            printf("%s=%d/%d ", p->domains[d].id, a->right[d], a->asked[d]);
    printf("%s%s\n", a->per_domain ? "" : "(total only) ", a->source ? a->source : "");
}

static int exam_list(cb_app *app, const char *cmd, const exam_args *ea, cb_arena *arena)
{
    int member = -1;
    if (ea->member && (member = plan_member(app->plan, ea->member)) < 0)
        return cli_fail(1, cmd, "unknown member '%s'", ea->member);
    /* Every live attempt, including ones dated after --today. */
    cb_state *st = state_build(app->plan, app->store, NULL, app->opts->today);
    for (int k = 0; k < st->n_attempts; k++)
        if (member < 0 || st->attempts[k].member == member)
            exam_print(app->plan, &st->attempts[k]);
    if (st->n_bad_attempts)
        fprintf(stderr, "certboard %s: %d stored attempt(s) could not be read\n", cmd,
                st->n_bad_attempts);
    state_free(st);
    return 0;
}

static const char exam_usage[] =
    "usage: certboard exam record [--member M] [--date D] [--source S] "
    "[--minutes N] [--id ID] [--exam EXAM]\n"
    "                             (--domain ID=RIGHT/ASKED ... | --total "
    "RIGHT/ASKED)\n"
    "       certboard exam edit ID [the same options: given ones replace "
    "stored ones]\n"
    "       certboard exam delete ID\n"
    "       certboard exam list [--member M]\n"
    "       certboard exam result EXAM booked|passed|failed|none [--member M] "
    "[--date D] [--score N]\n"
    "       certboard exam results\n";

/* `exam results`: who holds which certification, exam by exam. */
static int exam_results(cb_app *app)
{
    const cb_plan *p = app->plan;
    cb_state *st = state_build(p, app->store, NULL, app->opts->today);
    for (int e = 0; e < p->n_exams; e++) {
        char day[11];
        date_format(plan_exam_day_of(p, e), day);
        printf("%s (%s, %s)%s\n", p->exams[e].id, p->exams[e].name, day,
               e == st->next_exam ? ": the team's next exam" : "");
        for (int m = 0; m < p->n_members; m++) {
            cb_exam_result r = state_result(st, e, m);
            char d[11] = "", score[16] = "";
            if (r.date)
                date_format(r.date, d);
            if (r.score >= 0)
                snprintf(score, sizeof score, " %d%%", r.score);
            printf("  %-14s %-7s %s%s\n", p->members[m].id, cb_exam_status_names[r.status], d,
                   score);
        }
    }
    state_free(st);
    return 0;
}

/* `exam result EXAM STATUS [--member M] [--date D] [--score N]`. */
static int exam_result(cb_opts *o, const char *cmd, int argc, char **argv)
{
    if (argc < 4 || argv[2][0] == '-' || argv[3][0] == '-')
        return cli_fail(2, cmd,
                        "result needs an exam and a status (booked, passed, failed, none)");
    const char *member = NULL, *date = NULL, *score = NULL;
    for (int i = 4; i < argc; i++) {
        int r = cli_opt_value("--member", argc, argv, &i, &member);
        if (!r)
            r = cli_opt_value("--date", argc, argv, &i, &date);
        if (!r)
            r = cli_opt_value("--score", argc, argv, &i, &score);
        if (r < 0)
            return cli_fail(2, cmd, "option %s needs a value", argv[i]);
        if (!r)
            return cli_fail(2, cmd, "unexpected argument '%s'", argv[i]);
    }
    cb_exam_result r = {CB_EXAM_NONE, o->today, -1, NULL};
    int status = -1;
    for (int k = 0; k < CB_EXAM_COUNT; k++)
        if (strcmp(argv[3], cb_exam_status_names[k]) == 0)
            status = k;
    if (status < 0)
        return cli_fail(2, cmd, "unknown status '%s' (booked, passed, failed, none)", argv[3]);
    r.status = (enum cb_exam_status)status;
    if (date && !date_parse(date, &r.date))
        return cli_fail(2, cmd, "bad date '%s' (want YYYY-MM-DD)", date);
    if (score && (!parse_int(score, &r.score) || r.score < 0 || r.score > 100))
        return cli_fail(2, cmd, "bad score '%s' (a percentage, 0 to 100)", score);
    cb_app app;
    if (cli_open_app(&app, o, APP_NEED_PLAN | APP_NEED_STORE | APP_NEED_IDENTITY))
        return 1;
    const cb_plan *p = app.plan;
    int rc = 0, e = plan_exam(p, argv[2]), m = member ? plan_member(p, member) : app.me;
    char err[512];
    if (e < 0)
        rc = cli_fail(1, cmd, "unknown exam '%s' (exams: %s%s)", argv[2], p->exams[0].id,
                      p->n_exams > 1 ? ", ..." : "");
    else if (m < 0)
        rc = cli_fail(1, cmd, "unknown member '%s'", member);
    else if (app_exam_result(&app, e, m, &r, err, sizeof err) != 0)
        rc = cli_fail(1, cmd, "%s", err);
    else if (r.status == CB_EXAM_NONE)
        printf("cleared the %s result of %s\n", p->exams[e].id, p->members[m].id);
    else
        printf("recorded %s %s for %s\n", p->exams[e].id, cb_exam_status_names[r.status],
               p->members[m].id);
    app_close(&app);
    return rc;
}

int cmd_exam(cb_opts *o, int argc, char **argv)
{
    const char *cmd = argv[0];
    if (cli_wants_help(argc, argv)) {
        fputs(exam_usage, stdout);
        return 0;
    }
    if (argc < 2) {
        fputs(exam_usage, stderr);
        return 2;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "result") == 0)
        return exam_result(o, cmd, argc, argv);
    if (strcmp(sub, "results") == 0) {
        if (argc > 2)
            return cli_fail(2, cmd, "unexpected argument '%s'", argv[2]);
        cb_app app;
        if (cli_open_app(&app, o, APP_NEED_PLAN | APP_NEED_STORE))
            return 1;
        int rc = exam_results(&app);
        app_close(&app);
        return rc;
    }
    bool takes_id = strcmp(sub, "edit") == 0 || strcmp(sub, "delete") == 0;
    if (strcmp(sub, "record") != 0 && strcmp(sub, "list") != 0 && !takes_id)
        return cli_fail(2, cmd,
                        "unknown subcommand '%s' (record, edit, delete, list, result, results)",
                        sub);
    if (takes_id && (argc < 3 || argv[2][0] == '-'))
        return cli_fail(2, cmd, "%s needs an attempt id", sub);
    exam_args ea = {0};
    int rc = exam_parse_args(cmd, argc, argv, takes_id ? 3 : 2, &ea);
    if (rc)
        return rc;
    bool listing = strcmp(sub, "list") == 0;
    cb_app app;
    if (cli_open_app(&app, o,
                     APP_NEED_PLAN | APP_NEED_STORE | (listing ? 0 : APP_NEED_IDENTITY)))
        return 1;
    cb_arena *arena = arena_new();
    const cb_plan *p = app.plan;
    cb_attempt a = {.member = app.me, .date = o->today, .source = ""};
    a.right = arena_alloc(arena, (size_t)(p->n_domains + 1) * sizeof *a.right);
    a.asked = arena_alloc(arena, (size_t)(p->n_domains + 1) * sizeof *a.asked);
    char err[1024];
    if (listing) {
        rc = exam_list(&app, cmd, &ea, arena);
    } else if (strcmp(sub, "record") == 0) {
        if (ea.id && !attempt_valid_id(ea.id))
            rc = cli_fail(2, cmd, "bad attempt id '%s' (letters, digits, . _ -)", ea.id);
        else if (!(rc = exam_fill(&app, cmd, &ea, &a, arena))) {
            const char *id = app_exam_record(&app, &a, ea.id, arena, err, sizeof err);
            if (id)
                printf("recorded exam attempt %s\n", id);
            else
                rc = cli_fail(1, cmd, "%s", err);
        }
    } else {
        const char *id = argv[2];
        bool del = strcmp(sub, "delete") == 0;
        if (app_exam_load(&app, id, &a, arena, err, sizeof err) != 0)
            rc = cli_fail(1, cmd, "%s", err);
        else if (!del && (rc = exam_fill(&app, cmd, &ea, &a, arena)) != 0)
            ;
        else if (app_exam_change(&app, id, del ? NULL : &a, arena, err, sizeof err) != 0)
            rc = cli_fail(1, cmd, "%s", err);
        else
            printf("%s exam attempt %s\n", del ? "deleted" : "updated", id);
    }
    arena_free(arena);
    app_close(&app);
    return rc;
}

/* ---- report and ical ----------------------------------------------------- */

int cmd_report(cb_opts *o, int argc, char **argv)
{
    const char *cmd = argv[0];
    const char *week = NULL, *since = NULL, *format = "text", *path = NULL;
    cb_report_opts ro = {0};
    if (cli_wants_help(argc, argv)) {
        puts("usage: certboard report [--week N] [--since YYYY-MM-DD] "
             "[--format text|markdown|csv|json|html] [-o FILE]");
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        int r = cli_opt_value("--week", argc, argv, &i, &week);
        if (!r)
            r = cli_opt_value("--since", argc, argv, &i, &since);
        if (!r)
            r = cli_opt_value("--format", argc, argv, &i, &format);
        if (!r)
            r = cli_opt_value("-o", argc, argv, &i, &path);
        if (!r)
            r = cli_opt_value("--output", argc, argv, &i, &path);
        if (r < 0)
            return cli_fail(2, cmd, "option %s needs a value", argv[i]);
        if (!r)
            return cli_fail(2, cmd, "unexpected argument '%s'", argv[i]);
    }
    if (report_format_parse(format, &ro.format) != 0)
        return cli_fail(2, cmd, "unknown format '%s' (text, markdown, csv, json, html)",
                        format);
    if (since && !date_parse(since, &ro.since))
        return cli_fail(2, cmd, "bad --since '%s' (want YYYY-MM-DD)", since);
    cb_app app;
    if (cli_open_app(&app, o, APP_NEED_PLAN | APP_NEED_STORE))
        return 1;
    int rc = 0;
    if (week && (!parse_int(week, &ro.week) || ro.week < 1 || ro.week > app.plan->n_weeks))
        rc = cli_fail(2, cmd, "bad --week '%s' (1..%d)", week, app.plan->n_weeks);
    else {
        /* -o: written beside the file and renamed over it, so a page served
         * from it is never half-written */
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path ? path : "", (long)getpid());
        FILE *out = path ? fopen(tmp, "wb") : stdout;
        cb_state *st = state_build(app.plan, app.store, NULL, o->today);
        bool ok = out && report_write(out, st, &ro) == 0 && fflush(out) == 0;
        if (path && out) {
            ok = ok && fsync(fileno(out)) == 0;
            ok = fclose(out) == 0 && ok;
            ok = ok && rename(tmp, path) == 0;
            if (!ok)
                unlink(tmp);
        }
        if (!ok)
            rc = cli_fail(1, cmd, "could not write the report%s%s: %s", path ? " to " : "",
                          path ? path : "", strerror(errno));
        state_free(st);
    }
    app_close(&app);
    return rc;
}

int cmd_ical(cb_opts *o, int argc, char **argv)
{
    const char *cmd = argv[0], *path = NULL;
    if (cli_wants_help(argc, argv)) {
        puts("usage: certboard ical [-o FILE]   (RFC 5545; stdout without -o)");
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        int r = cli_opt_value("-o", argc, argv, &i, &path);
        if (!r)
            r = cli_opt_value("--output", argc, argv, &i, &path);
        if (r < 0)
            return cli_fail(2, cmd, "option %s needs a file name", argv[i]);
        if (!r)
            return cli_fail(2, cmd, "unexpected argument '%s'", argv[i]);
    }
    cb_app app;
    if (cli_open_app(&app, o, APP_NEED_PLAN))
        return 1;
    FILE *out = path ? fopen(path, "wb") : stdout;
    int rc = 0;
    if (!out) {
        rc = cli_fail(1, cmd, "cannot write %s: %s", path, strerror(errno));
    } else {
        int n = ical_write(out, app.plan, (int64_t)time(NULL) * 1000);
        bool bad = n < 0 || fflush(out) != 0;
        if (path && fclose(out) != 0)
            bad = true;
        if (bad)
            rc = cli_fail(1, cmd, "could not write the calendar%s%s", path ? " to " : "",
                          path ? path : "");
        else if (path)
            fprintf(stderr, "certboard %s: %d events written to %s\n", cmd, n, path);
    }
    app_close(&app);
    return rc;
}

/* cmd_plan.c — `certboard validate [--store] [FILE...]` and `certboard show [FILE]`.
 *
 * validate prints every diagnostic of every file (compiler style, on stderr)
 * and a one-line summary per file; exit 0 when all files are valid (warnings
 * allowed), 1 when one is not, 2 on a usage error. With --store it then reads
 * the plan's store (never creating or changing anything) and warns about each
 * piece of state whose ids the plan no longer has. show prints a plain-text
 * summary of one valid plan on stdout. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "certboard/cli.h"
#include "certboard/text.h"
#include "certboard/orphans.h"
#include "certboard/plan.h"
#include "certboard/store.h"

static int usage(const char *cmd, const char *args)
{
    fprintf(stderr, "usage: certboard %s %s\n", cmd, args);
    return 2;
}

/* Prints diagnostics with one write: stderr is unbuffered, and a hostile file
 * can produce a thousand of them. */
static void print_diags(const cb_diags *d)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) {
        diags_print(d, stderr);
        return;
    }
    diags_print(d, f);
    fclose(f);
    fwrite(text, 1, len, stderr);
    free(text);
}

/* A file name for the terminal: control bytes become '?'. */
static const char *safe_name(const char *path, char *buf, size_t size)
{
    cb_arena *a = arena_new();
    snprintf(buf, size, "%s", text_escape(a, TEXT_TERM, path));
    arena_free(a);
    return buf;
}

/* Loads one file, prints its diagnostics and a summary line; 0 when valid.
 * When keep is given and the plan is valid, the plan is handed over in *keep
 * (the caller frees it) instead of being freed. */
static int validate_one(const char *path, cb_plan **keep)
{
    cb_diags d;
    diags_init(&d);
    cb_plan *p = plan_load_file(path, &d);
    print_diags(&d);
    int errors = diags_errors(&d), warnings = d.n_warnings;
    char name[1024], warn[40] = "";
    safe_name(path, name, sizeof name);
    if (warnings)
        snprintf(warn, sizeof warn, "%d warning%s", warnings, warnings == 1 ? "" : "s");
    bool valid = p && errors == 0;
    if (valid && warnings)
        fprintf(stderr, "%s: ok (%s)\n", name, warn);
    else if (valid)
        fprintf(stderr, "%s: ok\n", name);
    else
        fprintf(stderr, "%s: invalid (%d error%s%s%s)\n", name, errors, errors == 1 ? "" : "s",
                warnings ? ", " : "", warn);
    if (keep && valid)
        *keep = p;
    else
        plan_free(p);
    diags_free(&d);
    return valid ? 0 : 1;
}

/* ---- validate --store --------------------------------------------------- */

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Prints one warning per orphan of the snapshot and a summary line. */
static void report_orphans(const cb_plan *p, const cb_snapshot *snap, const char *dir)
{
    cb_arena *arena = arena_new();
    cb_orphans *r = orphans_find(p, snap, arena);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        cb_die("out of memory");
    for (int i = 0; i < r->n_current; i++)
        fprintf(f, "STORE: warning: %s; the state is kept\n",
                orphan_describe(&r->current[i], arena));
    if (r->n_current)
        fprintf(f,
                "%s: %d key%s whose ids plan '%s' does not have (%d live, %d cleared; %d "
                "change%s in the history); nothing was dropped\n",
                dir, r->n_current, r->n_current == 1 ? "" : "s", p->id, r->n_live,
                r->n_current - r->n_live, r->n_history, r->n_history == 1 ? "" : "s");
    else
        fprintf(f, "%s: ok (%zu key%s, %zu change%s; every id is in plan '%s')\n", dir,
                snap->n_current, snap->n_current == 1 ? "" : "s", snap->n_events,
                snap->n_events == 1 ? "" : "s", p->id);
    fclose(f);
    fwrite(text, 1, len, stderr);
    free(text);
    arena_free(arena);
}

/* Reads the plan's store for reading only and reports its orphans: 0, or 1
 * when the store exists but cannot be read. A missing store is no error. */
static int validate_store(cb_opts *o, const cb_plan *p)
{
    const char *dir = o->store_dir ? o->store_dir : config_default_store(o, p->id);
    char name[1024], shards[4096];
    safe_name(dir, name, sizeof name);
    snprintf(shards, sizeof shards, "%s/shards", dir);
    if (!store_is_server(dir) && (!is_dir(dir) || !is_dir(shards))) {
        fprintf(stderr, "STORE: no store at %s\n", name);
        return 0;
    }
    const char *client = getenv("CERTBOARD_CLIENT");
    cb_store_opts so = {.dir = dir,
                        .plan_id = p->id,
                        .client_id = client && *client ? client : NULL,
                        .member = o->member,
                        .read_only = true};
    cb_diags d;
    diags_init(&d);
    cb_store *s = store_open(&so, &d);
    print_diags(&d);
    diags_free(&d);
    if (!s) {
        fprintf(stderr, "STORE: cannot read the store at %s\n", name);
        return 1;
    }
    report_orphans(p, store_snapshot(s), name);
    store_close(s);
    return 0;
}

int cmd_validate(cb_opts *o, int argc, char **argv)
{
    static const char *const args = "[FILE...] | --store [FILE]";
    int dashdash = argc; /* arguments after "--" are files, whatever they look like */
    bool store = false;
    for (int i = 1; i < dashdash; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            dashdash = i;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            printf("usage: certboard validate %s\n"
                   "Checks plan files (default: the configured plan); prints every problem as\n"
                   "FILE:LINE:COL: error|warning: MESSAGE. Exit 0 when valid, 1 when not.\n"
                   "--store: then read the plan's store (--store DIR before the command, or\n"
                   "the default) and warn about state whose ids the plan no longer has;\n"
                   "that state is kept, so these warnings do not change the exit status.\n",
                   args);
            return 0;
        } else if (strcmp(a, "--store") == 0) {
            store = true;
            argv[i] = NULL;
        } else if (a[0] == '-' && a[1]) {
            cli_fail(2, argv[0], "unknown option '%s'", a);
            return usage(argv[0], args);
        }
    }
    /* The files, compacted in place: the options and "--" are dropped. */
    int n = 0;
    for (int i = 1; i < argc; i++)
        if (i != dashdash && argv[i])
            argv[++n] = argv[i];
    if (n == 0 && !o->plan_path)
        return cli_fail(2, argv[0], "no plan file given or configured");
    if (store && n > 1) {
        cli_fail(2, argv[0], "--store checks one plan at a time");
        return usage(argv[0], args);
    }
    if (store) {
        cb_plan *p = NULL;
        int status = validate_one(n ? argv[1] : o->plan_path, &p);
        status |= p ? validate_store(o, p) : 0;
        plan_free(p);
        return status;
    }
    if (n == 0)
        return validate_one(o->plan_path, NULL);
    int status = 0;
    for (int i = 1; i <= n; i++)
        status |= validate_one(argv[i], NULL);
    return status;
}

/* ---- show ----------------------------------------------------------------- */

static const char *str_or(const char *s, const char *def)
{
    return s ? s : def;
}

static const char *weight_str(char buf[48], double lo, double hi)
{
    if (hi - lo < 1e-9)
        snprintf(buf, 48, "%g%%", lo);
    else
        snprintf(buf, 48, "%g-%g%%", lo, hi);
    return buf;
}

static void put_ids(const cb_plan *p, const int *v, int n, bool domains)
{
    for (int i = 0; i < n; i++) {
        if (v[i] < 0)
            continue;
        printf("%s%s", i ? ", " : "", domains ? p->domains[v[i]].id : p->members[v[i]].id);
    }
}

static void show_people(const cb_plan *p)
{
    printf("\nMembers (%d):\n", p->n_members);
    for (int i = 0; i < p->n_members; i++) {
        const cb_member *m = &p->members[i];
        printf("  %-14s %-13s", m->id, plan_level_name(m->level));
        printf(" %-10s ", m->track >= 0 ? p->tracks[m->track].id : "-");
        text_put(stdout, TEXT_TERM, m->name);
        putchar('\n');
    }
    if (p->n_mentors)
        printf("\nMentor pairs (%d):\n", p->n_mentors);
    for (int i = 0; i < p->n_mentors; i++) {
        const cb_mentor_pair *mp = &p->mentors[i];
        printf("  %s -> %s, %s, %d min, weeks %d-%d\n", p->members[mp->mentor].id,
               p->members[mp->mentee].id, str_or(mp->cadence, "-"), mp->minutes, mp->weeks.lo,
               mp->weeks.hi);
    }
    if (p->n_pods)
        printf("\nPods (%d):\n", p->n_pods);
    for (int i = 0; i < p->n_pods; i++) {
        const cb_pod *pod = &p->pods[i];
        char w[48];
        printf("  %-10s weight %s", pod->id, weight_str(w, pod->weight_lo, pod->weight_hi));
        if (pod->stated_weight >= 0 && (pod->stated_weight < pod->weight_lo - 1e-9 ||
                                        pod->stated_weight > pod->weight_hi + 1e-9))
            printf(" (stated %g%%)", pod->stated_weight);
        printf(", lead %s, members ", p->members[pod->lead].id);
        put_ids(p, pod->members, pod->n_members, false);
        printf("; domains ");
        put_ids(p, pod->domains, pod->n_domains, true);
        printf("\n             ");
        text_put(stdout, TEXT_TERM, pod->name);
        putchar('\n');
    }
}

static void show_domains_phases(const cb_plan *p)
{
    double lo = 0, hi = 0;
    for (int i = 0; i < p->n_domains; i++) {
        lo += p->domains[i].weight_lo;
        hi += p->domains[i].weight_hi;
    }
    char w[48];
    if (p->n_exams > 1)
        printf("\nDomains (%d, in %d exams):\n", p->n_domains, p->n_exams);
    else
        printf("\nDomains (%d, total %s):\n", p->n_domains, weight_str(w, lo, hi));
    for (int i = 0; i < p->n_domains; i++) {
        const cb_domain *d = &p->domains[i];
        printf("  %-14s %-8s %-10s ", d->id, weight_str(w, d->weight_lo, d->weight_hi),
               d->pod >= 0 ? p->pods[d->pod].id : "-");
        if (p->n_exams > 1)
            printf("%-14s ", p->exams[d->exam].id);
        text_put(stdout, TEXT_TERM, d->name);
        putchar('\n');
    }
    printf("\nPhases (%d):\n", p->n_phases);
    for (int i = 0; i < p->n_phases; i++) {
        const cb_phase *ph = &p->phases[i];
        char weeks[32];
        if (ph->weeks.lo == ph->weeks.hi)
            snprintf(weeks, sizeof weeks, "week %d", ph->weeks.lo);
        else
            snprintf(weeks, sizeof weeks, "weeks %d-%d", ph->weeks.lo, ph->weeks.hi);
        printf("  %-14s %-12s ", ph->id, weeks);
        text_put(stdout, TEXT_TERM, ph->name);
        putchar('\n');
    }
}

static void show_weeks_items(const cb_plan *p)
{
    printf("\nWeeks (%d):\n", p->n_weeks_defined);
    for (int i = 0; i < p->n_weeks_defined; i++) {
        const cb_week *w = &p->weeks[i];
        printf("  %2d  %-14s %2d activit%-3s %2d milestone%-2s ", w->number,
               w->phase >= 0 ? p->phases[w->phase].id : "-", w->activities.n,
               w->activities.n == 1 ? "y" : "ies", w->n_milestones,
               w->n_milestones == 1 ? "" : "s");
        text_put(stdout, TEXT_TERM, w->theme);
        putchar('\n');
    }
    printf("\nChecklists (%d, %d items); items per member:\n", p->n_checklists, p->n_items);
    for (int m = 0; m < p->n_members; m++) {
        int n = 0;
        for (int i = 0; i < p->n_items; i++)
            n += plan_item_assigned(p, i, m);
        printf("  %-14s %d\n", p->members[m].id, n);
    }
}

/* A roadmap: each exam with its week, day, format and domains. */
static void show_exams(const cb_plan *p)
{
    printf("Exams (%d):\n", p->n_exams);
    for (int e = 0; e < p->n_exams; e++) {
        const cb_exam *ex = &p->exams[e];
        char day[11];
        date_format(plan_exam_day_of(p, e), day);
        printf("  %-14s week %-3d %s, %d questions, %d minutes, pass %g%%: ", ex->id, ex->week,
               day, ex->info.questions, ex->info.minutes, ex->info.passing_score);
        text_put(stdout, TEXT_TERM, ex->name);
        printf("\n  %-14s domains ", "");
        for (int d = ex->first_domain; d < ex->first_domain + ex->n_domains; d++)
            printf("%s%s", d > ex->first_domain ? ", " : "", p->domains[d].id);
        putchar('\n');
    }
}

static void show_plan(const cb_plan *p)
{
    char start[11], exam[11];
    date_format(p->start, start);
    date_format(plan_exam_day(p), exam);
    printf("Plan:          ");
    text_put(stdout, TEXT_TERM, p->title);
    printf(" (%s)\nCertification: ", p->id);
    text_put(stdout, TEXT_TERM, p->certification);
    printf("\nStart:         %s, %d weeks\n", start, p->n_weeks);
    if (p->n_breaks > 0) {
        printf("Breaks:        ");
        for (int i = 0; i < p->n_breaks; i++) {
            char b[11];
            date_format(p->breaks[i], b);
            printf("%s%s", i ? ", " : "", b);
        }
        printf(" (weeks without plan work)\n");
    }
    if (p->n_exams > 1)
        show_exams(p);
    else
        printf("Exam:          %s, %d questions, %d minutes, pass %g%%\n", exam,
               p->exam.questions, p->exam.minutes, p->exam.passing_score);
    printf("Lead:          %s\n", p->members[p->lead].id);
    show_people(p);
    show_domains_phases(p);
    show_weeks_items(p);
}

int cmd_show(cb_opts *o, int argc, char **argv)
{
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            printf("usage: certboard show [FILE]\nPrints a summary of a plan.\n");
            return 0;
        }
        if ((argv[i][0] == '-' && argv[i][1]) || path) {
            cli_fail(2, argv[0], "unexpected argument '%s'", argv[i]);
            return usage(argv[0], "[FILE]");
        }
        path = argv[i];
    }
    if (!path)
        path = o->plan_path;
    if (!path)
        return cli_fail(2, argv[0], "no plan file given or configured");
    cb_diags d;
    diags_init(&d);
    cb_plan *p = plan_load_file(path, &d);
    print_diags(&d);
    int status = 1;
    if (p && diags_errors(&d) == 0) {
        show_plan(p);
        status = 0;
    } else {
        char name[1024];
        fprintf(stderr, "certboard show: %s is not a valid plan\n",
                safe_name(path, name, sizeof name));
    }
    plan_free(p);
    diags_free(&d);
    return status;
}

/* cmd_state.c — the commands that change or print the shared state: tick,
 * untick, milestone, undo, log and export (docs/export-json.md).
 *
 * Exit status: 0 done, 1 refused or failed (the message says why), 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "certboard/app.h"
#include "certboard/cli.h"
#include "certboard/date.h"
#include "certboard/keys.h"
#include "certboard/orphans.h"
#include "certboard/text.h"

/* --- arguments ------------------------------------------------------------ */

typedef struct args {
    const char *pos[4];
    int n_pos;
    const char *member, *note, *since, *format, *link;
} args;

/* Splits argv into positionals and the options named in `allowed` (e.g.
 * "member note"). Returns 0, or prints the problem and returns 2. */
static int parse_args(int argc, char **argv, const char *allowed, int min_pos, int max_pos,
                      args *a)
{
    memset(a, 0, sizeof *a);
    struct {
        const char *name;
        const char **slot;
    } opts[] = {{"member", &a->member},
                {"note", &a->note},
                {"since", &a->since},
                {"format", &a->format},
                {"link", &a->link}};
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (strncmp(s, "--", 2) != 0 || !s[2]) {
            if (a->n_pos == max_pos)
                return cli_fail(2, argv[0], "unexpected argument '%s'", s);
            a->pos[a->n_pos++] = s;
            continue;
        }
        const char *eq = strchr(s, '=');
        size_t len = eq ? (size_t)(eq - s - 2) : strlen(s + 2);
        const char **slot = NULL;
        for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++)
            if (strlen(opts[k].name) == len && strncmp(s + 2, opts[k].name, len) == 0 &&
                strstr(allowed, opts[k].name))
                slot = opts[k].slot;
        if (!slot)
            return cli_fail(2, argv[0], "unknown option '%s'", s);
        if (eq)
            *slot = eq + 1;
        else if (i + 1 < argc)
            *slot = argv[++i];
        else
            return cli_fail(2, argv[0], "option %s needs a value", s);
    }
    if (a->n_pos < min_pos)
        return cli_fail(2, argv[0], "missing argument (see certboard --help)");
    return 0;
}

/* `certboard CMD --help`: the usage line of each command here (exit 0). */
static int usage(const char *cmd)
{
    static const struct {
        const char *cmd, *text;
    } usages[] = {
        {"tick", "tick ITEM [--member M] [--link URL]\n"
                 "Ticks a checklist item (mine, or M's when I am the team lead); --link\n"
                 "attaches a link or path to what was built (the team library; shown as\n"
                 "text, never opened). A tick ends the item's blocker."},
        {"block", "block ITEM --note TEXT [--member M]\n"
                  "Marks an item blocked, saying why; it leads the stand-up until the\n"
                  "item is ticked or unblocked."},
        {"unblock", "unblock ITEM [--member M]\nEnds an item's blocker."},
        {"standup", "standup held\n"
                    "The lead marks the stand-up held: the changes since the last\n"
                    "stand-up (Stand-up pane, report) start after this mark."},
        {"untick", "untick ITEM [--member M]\n"
                   "Unticks a checklist item (mine, or M's when I am the team lead)."},
        {"milestone",
         "milestone ID STATUS [--note TEXT]\n"
         "Sets a milestone's status: pending, on-track, at-risk or done (the lead)."},
        {"undo", "undo\nReverts my last change, unless someone changed that key since."},
        {"log", "log [--since YYYY-MM-DD] [--member M]\n"
                "Prints the history of changes, oldest first."},
        {"export", "export --format json\n"
                   "Prints the plan's ids with their current state and the history "
                   "(docs/export-json.md)."},
    };
    for (size_t i = 0; i < sizeof usages / sizeof usages[0]; i++)
        if (strcmp(usages[i].cmd, cmd) == 0)
            printf("usage: certboard %s\n", usages[i].text);
    return 0;
}

/* --- opening a session ------------------------------------------------------ */

/* The store's problem as reported when it was opened (already printed). */
static char problem_at_open[512];

static int open_app(cb_app *app, cb_opts *o, unsigned need)
{
    if (cli_open_app(app, o, need) != 0)
        return 1;
    const char *why = app->store ? store_problem(app->store) : NULL;
    snprintf(problem_at_open, sizeof problem_at_open, "%s", why ? why : "");
    return 0;
}

/* A change is stamped with the clock: `--today` on a change would silently
 * not back-date it, so it is refused (the views' day is all it sets). */
static int refuse_backdating(const cb_opts *o, const char *cmd)
{
    if (!o->today_flag || o->today == date_today())
        return 0;
    return cli_fail(2, cmd,
                    "--today %s does not back-date a change: changes are stamped with the "
                    "clock; --today only sets the day the views count from",
                    o->today_str);
}

/* Parses the arguments and opens the session: 0, or the exit status. */
static int start(cb_app *app, cb_opts *o, int argc, char **argv, const char *allowed,
                 int min_pos, int max_pos, unsigned need, args *a)
{
    int rc = parse_args(argc, argv, allowed, min_pos, max_pos, a);
    return rc ? rc : open_app(app, o, need);
}

#define NEED_ALL (APP_NEED_PLAN | APP_NEED_STORE | APP_NEED_IDENTITY)

/* After a change: say so when it is not (yet) on the share, unless that was
 * already said when the store was opened. */
static void report_store_state(const cb_app *app, const char *cmd)
{
    const char *why = store_problem(app->store);
    if (store_state(app->store) != CB_STORE_SHARED && why && strcmp(why, problem_at_open) != 0)
        cli_fail(0, cmd, "warning: %s", why);
}

/* --- ids: lookups with a suggestion ------------------------------------------ */

typedef const char *(*id_at_fn)(const cb_plan *p, int i);
static const char *item_id_at(const cb_plan *p, int i)
{
    return p->items[i].id;
}
static const char *milestone_id_at(const cb_plan *p, int i)
{
    return p->milestones[i].id;
}
static const char *member_id_at(const cb_plan *p, int i)
{
    return p->members[i].id;
}

/* Prints "unknown KIND 'x' (did you mean 'y'?)" and returns 1. */
static int unknown_id(const char *cmd, const cb_plan *p, const char *kind, const char *id,
                      id_at_fn at, int n)
{
    const char *best = NULL;
    int best_d = 1 << 30;
    for (int i = 0; i < n; i++) {
        int dist = text_edit_distance(id, at(p, i));
        if (dist < best_d) {
            best_d = dist;
            best = at(p, i);
        }
    }
    if (best && best_d <= 3)
        return cli_fail(1, cmd, "unknown %s '%s' in plan '%s' (did you mean '%s'?)", kind, id,
                        p->id, best);
    return cli_fail(1, cmd, "unknown %s '%s' in plan '%s'", kind, id, p->id);
}

/* --- tick / untick / milestone / undo ----------------------------------------- */

enum item_change { CHANGE_TICK, CHANGE_UNTICK, CHANGE_BLOCK, CHANGE_UNBLOCK };

static int item_common(cb_opts *o, int argc, char **argv, enum item_change what)
{
    if (cli_wants_help(argc, argv))
        return usage(argv[0]);
    args a;
    cb_app app;
    static const char *const allowed[] = {"member link", "member", "member note", "member"};
    int rc = refuse_backdating(o, argv[0]);
    /* A tick needs no other shard's events, only their clocks. */
    unsigned need = NEED_ALL | (what <= CHANGE_UNTICK ? APP_ONE_CHANGE : 0);
    if (rc || (rc = start(&app, o, argc, argv, allowed[what], 1, 1, need, &a)))
        return rc;
    const cb_plan *p = app.plan;
    int item = plan_item(p, a.pos[0]);
    int member = a.member ? plan_member(p, a.member) : app.me;
    char err[1024];
    if (item < 0)
        rc = unknown_id(argv[0], p, "item", a.pos[0], item_id_at, p->n_items);
    else if (member < 0)
        rc = unknown_id(argv[0], p, "member", a.member, member_id_at, p->n_members);
    else if (what == CHANGE_TICK && a.link && !*a.link)
        rc = cli_fail(2, argv[0], "--link wants a link or path");
    else if ((what <= CHANGE_UNTICK
                  ? app_tick(&app, item, member, what == CHANGE_TICK, err, sizeof err)
                  : app_block(&app, item, member, what == CHANGE_BLOCK, a.note, err,
                              sizeof err)) != 0)
        rc = cli_fail(1, argv[0], "%s", err);
    else if (a.link && app_link(&app, item, member, a.link, err, sizeof err) != 0)
        rc = cli_fail(1, argv[0], "ticked, but the link was not stored: %s", err);
    else {
        static const char *const done[] = {"ticked", "unticked", "blocked", "unblocked"};
        cb_arena *arena = arena_new();
        printf("%s %s for %s%s%s\n", done[what], p->items[item].id, p->members[member].id,
               a.link ? "; link: " : "", a.link ? text_escape(arena, TEXT_TERM, a.link) : "");
        arena_free(arena);
        report_store_state(&app, argv[0]);
    }
    app_close(&app);
    return rc;
}

int cmd_tick(cb_opts *o, int argc, char **argv)
{
    return item_common(o, argc, argv, CHANGE_TICK);
}
int cmd_untick(cb_opts *o, int argc, char **argv)
{
    return item_common(o, argc, argv, CHANGE_UNTICK);
}
int cmd_block(cb_opts *o, int argc, char **argv)
{
    return item_common(o, argc, argv, CHANGE_BLOCK);
}
int cmd_unblock(cb_opts *o, int argc, char **argv)
{
    return item_common(o, argc, argv, CHANGE_UNBLOCK);
}

int cmd_standup(cb_opts *o, int argc, char **argv)
{
    if (cli_wants_help(argc, argv))
        return usage(argv[0]);
    args a;
    int rc = parse_args(argc, argv, "", 1, 1, &a);
    if (rc)
        return rc;
    if (strcmp(a.pos[0], "held") != 0)
        return cli_fail(2, argv[0], "unknown argument '%s' (want: standup held)", a.pos[0]);
    cb_app app;
    if ((rc = open_app(&app, o, NEED_ALL)))
        return rc;
    char err[1024];
    cb_arena *arena = arena_new();
    const char *id = app_standup(&app, arena, err, sizeof err);
    if (!id) {
        rc = cli_fail(1, argv[0], "%s", err);
    } else {
        printf("stand-up marked held (%s): the changes since the last stand-up start here\n",
               id);
        report_store_state(&app, argv[0]);
    }
    arena_free(arena);
    app_close(&app);
    return rc;
}

int cmd_milestone(cb_opts *o, int argc, char **argv)
{
    if (cli_wants_help(argc, argv))
        return usage(argv[0]);
    args a;
    int rc = refuse_backdating(o, argv[0]);
    if (rc || (rc = parse_args(argc, argv, "note", 2, 2, &a)))
        return rc;
    int status = state_ms_status_parse(a.pos[1]);
    if (status < 0)
        return cli_fail(2, argv[0], "unknown status '%s' (pending, on-track, at-risk, done)",
                        a.pos[1]);
    cb_app app;
    if ((rc = open_app(&app, o, NEED_ALL)))
        return rc;
    int ms = plan_milestone(app.plan, a.pos[0]);
    char err[1024];
    if (ms < 0)
        rc = unknown_id(argv[0], app.plan, "milestone", a.pos[0], milestone_id_at,
                        app.plan->n_milestones);
    else if (app_milestone(&app, ms, (enum cb_ms_status)status, a.note, err, sizeof err) != 0)
        rc = cli_fail(1, argv[0], "%s", err);
    else {
        printf("milestone %s: %s\n", app.plan->milestones[ms].id, a.pos[1]);
        report_store_state(&app, argv[0]);
    }
    app_close(&app);
    return rc;
}

/* --- describing events --------------------------------------------------------- */

static void local_stamp(int64_t ms, char *buf, size_t n, const char *fmt)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(buf, n, fmt, &tm);
}

/* "2026-11-30 09:12  nov1 ticked intro  -- note": the change in words, as
 * every other view says it, in local time, cleaned for the terminal. */
static void print_event(cb_state *st, size_t i)
{
    const cb_event *e = &st->snap->events[i];
    cb_arena *a = arena_new();
    char when[32];
    local_stamp(state_event_ms(e), when, sizeof when, "%Y-%m-%d %H:%M");
    printf("%s  %s", when, text_escape(a, TEXT_TERM, state_describe(st, i, a)));
    if (e->note && e->note[0])
        printf("  -- %s", text_escape(a, TEXT_TERM, e->note));
    putchar('\n');
    arena_free(a);
}

static cb_state *state_of(cb_app *app)
{
    return state_build(app->plan, app->store, NULL, app->opts->today);
}

int cmd_undo(cb_opts *o, int argc, char **argv)
{
    if (cli_wants_help(argc, argv))
        return usage(argv[0]);
    args a;
    cb_app app;
    int rc = start(&app, o, argc, argv, "", 0, 0, NEED_ALL, &a);
    if (rc)
        return rc;
    char err[1024];
    if (app_undo(&app, err, sizeof err) != 0) {
        rc = cli_fail(1, argv[0], "%s", err);
    } else {
        cb_state *st = state_of(&app);
        snapshot_history(st->snap);
        for (size_t i = st->snap->n_events; i-- > 0;) {
            const cb_event *e = &st->snap->events[i];
            if (e->seq == store_last_seq(app.store) &&
                strcmp(e->client, store_client_id(app.store)) == 0) {
                print_event(st, i);
                break;
            }
        }
        state_free(st);
        report_store_state(&app, argv[0]);
    }
    app_close(&app);
    return rc;
}

int cmd_log(cb_opts *o, int argc, char **argv)
{
    if (cli_wants_help(argc, argv))
        return usage(argv[0]);
    args a;
    int rc = parse_args(argc, argv, "since member", 0, 0, &a);
    if (rc)
        return rc;
    cb_day since = 0;
    if (a.since && !date_parse(a.since, &since))
        return cli_fail(2, argv[0], "invalid date '%s' for --since (want YYYY-MM-DD)", a.since);
    cb_app app;
    if ((rc = open_app(&app, o, APP_NEED_PLAN | APP_NEED_STORE)))
        return rc;
    int member = a.member ? plan_member(app.plan, a.member) : -1;
    if (a.member && member < 0) {
        rc = unknown_id(argv[0], app.plan, "member", a.member, member_id_at,
                        app.plan->n_members);
        app_close(&app);
        return rc;
    }
    cb_state *st = state_of(&app);
    cb_arena *arena = arena_new();
    if (!a.since)
        snapshot_history(st->snap);
    for (size_t i = a.since ? state_changes_since(st, since) : 0; i < st->snap->n_events; i++) {
        const cb_event *e = &st->snap->events[i];
        if (member >= 0 && plan_member(app.plan, e->member) != member &&
            state_event_subject(st, e, arena) != member)
            continue; /* neither by nor about the member */
        print_event(st, i);
    }
    arena_free(arena);
    state_free(st);
    app_close(&app);
    return 0;
}

/* --- export --format json ---------------------------------------------------------- */

static void json_time(FILE *out, int64_t ms)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    char buf[32];
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    text_put(out, TEXT_JSON, buf);
}

/* `, "name": "value"` (or null); the first field of an object passes lead "{". */
static void json_field(FILE *out, const char *lead, const char *name, const char *value)
{
    fprintf(out, "%s\"%s\": ", lead, name);
    text_put(out, TEXT_JSON, value);
}

static void json_event(FILE *out, const cb_event *e)
{
    json_field(out, "{", "client", e->client);
    /* the clock as a string: above 2^53 a JSON number loses its last bits in
     * JavaScript and jq */
    fprintf(out, ", \"seq\": %lld, \"hlc\": \"%llu\", \"at\": ", (long long)e->seq,
            (unsigned long long)e->hlc);
    json_time(out, e->wall_ms);
    fprintf(out, ", \"wall_ms\": %lld", (long long)e->wall_ms);
    json_field(out, ", ", "member", e->member);
    json_field(out, ", ", "os_user", e->os_user);
    json_field(out, ", ", "host", e->host);
    json_field(out, ", ", "key", e->key);
    json_field(out, ", ", "value", e->value);
    json_field(out, ", ", "note", e->note);
    fputs(", \"undoes\": ", out);
    if (e->undoes_client) {
        json_field(out, "{", "client", e->undoes_client);
        fprintf(out, ", \"seq\": %lld}", (long long)e->undoes_seq);
    } else {
        fputs("null", out);
    }
    fputc('}', out);
}

/* "set_by"/"set_at" of the event behind a current value, or nulls. */
static void json_provenance(FILE *out, const cb_event *e)
{
    fputs("\"set_by\": ", out);
    text_put(out, TEXT_JSON, e ? e->member : NULL);
    fputs(", \"set_at\": ", out);
    if (e)
        json_time(out, e->wall_ms);
    else
        fputs("null", out);
}

static void export_items(FILE *out, const cb_state *st)
{
    const cb_plan *p = st->plan;
    fputs("  \"items\": [", out);
    for (int i = 0; i < p->n_items; i++) {
        const cb_item *it = &p->items[i];
        fputs(i ? ",\n    {\"id\": " : "\n    {\"id\": ", out);
        text_put(out, TEXT_JSON, it->id);
        fputs(", \"title\": ", out);
        text_put(out, TEXT_JSON, it->title);
        fprintf(out, ", \"due_week\": %d, \"checklist\": ", it->due_week);
        text_put(out, TEXT_JSON, p->checklists[it->checklist].id);
        fputs(", \"ticks\": {", out);
        int n = 0;
        for (int m = 0; m < p->n_members; m++) {
            int c = state_cell(st, i, m);
            if (c == CELL_NONE)
                continue;
            fputs(n++ ? ", " : "", out);
            text_put(out, TEXT_JSON, p->members[m].id);
            fputs(c == CELL_DONE ? ": true" : ": false", out);
        }
        /* blockers: member -> why; links: member -> the link (the team library) */
        for (int k = 0; k < 2; k++) {
            fputs(k ? "}, \"links\": {" : "}, \"blockers\": {", out);
            for (int m = 0, shown = 0; m < p->n_members; m++) {
                const cb_event *e = k ? state_asset(st, i, m) : state_blocker(st, i, m);
                if (!e)
                    continue;
                fputs(shown++ ? ", " : "", out);
                text_put(out, TEXT_JSON, p->members[m].id);
                fputs(": ", out);
                text_put(out, TEXT_JSON, k ? e->value : e->note ? e->note : "");
            }
        }
        fputs("}}", out);
    }
    fputs(p->n_items ? "\n  ],\n" : "],\n", out);
}

static void export_milestones(FILE *out, const cb_state *st)
{
    const cb_plan *p = st->plan;
    fputs("  \"milestones\": [", out);
    for (int i = 0; i < p->n_milestones; i++) {
        const cb_milestone *m = &p->milestones[i];
        const cb_ms_state *ms = &st->ms[i];
        fputs(i ? ",\n    {\"id\": " : "\n    {\"id\": ", out);
        text_put(out, TEXT_JSON, m->id);
        fputs(", \"title\": ", out);
        text_put(out, TEXT_JSON, m->title);
        fprintf(out, ", \"week\": %d, \"status\": ", m->week);
        text_put(out, TEXT_JSON, cb_ms_status_names[ms->status]);
        fputs(", \"note\": ", out);
        text_put(out, TEXT_JSON, ms->note);
        fputs(", ", out);
        json_provenance(out, ms->set);
        fputc('}', out);
    }
    fputs(p->n_milestones ? "\n  ],\n" : "],\n", out);
}

/* Current exam attempts (raw values, as recorded) and state whose ids the
 * plan no longer has. */
static void export_exams_and_orphans(FILE *out, const cb_plan *p, const cb_snapshot *snap)
{
    fputs("  \"exams\": [", out);
    int n = 0;
    for (size_t i = 0; i < snap->n_current; i++) {
        const cb_event *e = snap->current[i];
        cb_keyref k = key_parse(e->key);
        if (k.kind != KEY_EXAM || !*e->value)
            continue;
        fputs(n++ ? ",\n    {\"attempt\": " : "\n    {\"attempt\": ", out);
        text_put(out, TEXT_JSON, k.id);
        fputs(", \"value\": ", out);
        text_put(out, TEXT_JSON, e->value);
        fputs(", ", out);
        json_provenance(out, e);
        fputc('}', out);
    }
    fputs(n ? "\n  ],\n  \"orphans\": [" : "],\n  \"orphans\": [", out);
    cb_arena *arena = arena_new();
    const cb_orphans *orphans = orphans_find(p, snap, arena);
    for (int i = 0; i < orphans->n_current; i++) {
        fputs(i ? ", " : "", out);
        text_put(out, TEXT_JSON, orphans->current[i].key);
    }
    arena_free(arena);
    fputs("],\n", out);
}

int cmd_export(cb_opts *o, int argc, char **argv)
{
    if (cli_wants_help(argc, argv))
        return usage(argv[0]);
    args a;
    int rc = parse_args(argc, argv, "format", 0, 0, &a);
    if (rc)
        return rc;
    if (!a.format || strcmp(a.format, "json") != 0)
        return cli_fail(2, argv[0], "want --format json");
    cb_app app;
    if ((rc = open_app(&app, o, APP_NEED_PLAN | APP_NEED_STORE)))
        return rc;
    const cb_plan *p = app.plan;
    const cb_snapshot *snap = store_snapshot(app.store);
    FILE *out = stdout;
    fputs("{\n  \"format\": \"certboard-export\",\n  \"version\": 2,\n  \"plan\": {\"id\": ",
          out);
    text_put(out, TEXT_JSON, p->id);
    fputs(", \"title\": ", out);
    text_put(out, TEXT_JSON, p->title);
    fputs(", \"lead\": ", out);
    text_put(out, TEXT_JSON, p->lead >= 0 ? p->members[p->lead].id : NULL);
    fputs("},\n  \"store\": {\"dir\": ", out);
    text_put(out, TEXT_JSON, o->store_dir ? o->store_dir : config_default_store(o, p->id));
    fputs(", \"client\": ", out);
    text_put(out, TEXT_JSON, store_client_id(app.store));
    fputs(", \"state\": ", out);
    text_put(out, TEXT_JSON, store_state_name(store_state(app.store)));
    fputs(", \"problem\": ", out);
    text_put(out, TEXT_JSON, store_problem(app.store));
    fprintf(out, ", \"shards\": %d, \"bad_shards\": %d},\n  \"members\": [", snap->n_shards,
            snap->n_bad_shards);
    for (int i = 0; i < p->n_members; i++) {
        fputs(i ? ", {\"id\": " : "{\"id\": ", out);
        text_put(out, TEXT_JSON, p->members[i].id);
        fputs(", \"name\": ", out);
        text_put(out, TEXT_JSON, p->members[i].name);
        fputc('}', out);
    }
    fputs("],\n", out);
    cb_state *st = state_of(&app);
    fputs("  \"standup\": {\"last\": ", out);
    char day[11];
    date_format(st->last_standup, day);
    text_put(out, TEXT_JSON, day);
    fputs(", \"mark\": ", out);
    if (st->standup_mark) {
        json_field(out, "{", "by", st->standup_mark->member);
        fputs(", \"at\": ", out);
        json_time(out, state_event_ms(st->standup_mark));
        fputc('}', out);
    } else {
        fputs("null", out);
    }
    fprintf(out, ", \"changes_since\": %zu},\n", snap->n_events - st->changes_from);
    export_items(out, st);
    export_milestones(out, st);
    export_exams_and_orphans(out, p, snap);
    state_free(st);
    fputs("  \"history\": [", out);
    snapshot_history(snap);
    for (size_t i = 0; i < snap->n_events; i++) {
        fputs(i ? ",\n    " : "\n    ", out);
        json_event(out, &snap->events[i]);
    }
    fputs(snap->n_events ? "\n  ]\n}\n" : "]\n}\n", out);
    app_close(&app);
    return 0;
}

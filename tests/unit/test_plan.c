/* test_plan.c — the plan loader: structure of a valid plan, every validation
 * rule (exact file:line:col and message), hostile input, lookups.
 *
 * Most rule tests take the valid fixture tests/data/plans/minimal.yaml and
 * change one or two lines in memory (line numbers stay put), so each test
 * shows exactly what it breaks. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "certboard/date.h"
#include "certboard/plan.h"
#include "t.h"

static char *minimal; /* the text of minimal.yaml */
static char *roadmap; /* the text of roadmap.yaml */

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = '\0';
    fclose(f);
    return s;
}

static const char *data_path(const char *name)
{
    static char buf[4096];
    const char *root = getenv("ROOT");
    snprintf(buf, sizeof buf, "%s/tests/data/plans/%s", root ? root : ".", name);
    return buf;
}

/* A loaded plan with its diagnostics printed to text. */
struct loaded {
    cb_plan *p;
    cb_diags d;
    char *out;
    size_t out_len;
};

static void finish(struct loaded *l)
{
    FILE *f = open_memstream(&l->out, &l->out_len);
    diags_print(&l->d, f);
    fclose(f);
}

static struct loaded load_text(const char *name, const char *text, size_t len)
{
    struct loaded l = {0};
    diags_init(&l.d);
    l.p = plan_load_buffer(name, text, len, &l.d);
    finish(&l);
    return l;
}

static void unload(struct loaded *l)
{
    plan_free(l->p);
    diags_free(&l->d);
    free(l->out);
}

/* minimal.yaml with each FROM replaced by TO (pairs, NULL-terminated). Returns
 * NULL (and fails the check) when a FROM is not in the text. */
static char *mutate(const char *from, ...)
{
    char *s = strdup(minimal);
    va_list ap;
    va_start(ap, from);
    for (const char *f = from; f; f = va_arg(ap, const char *)) {
        const char *to = va_arg(ap, const char *);
        char *at = strstr(s, f);
        if (!at) {
            printf("  mutation source not found: %s\n", f);
            free(s);
            s = NULL;
            break;
        }
        size_t pre = (size_t)(at - s), fl = strlen(f), tl = strlen(to);
        char *n = malloc(strlen(s) - fl + tl + 1);
        memcpy(n, s, pre);
        memcpy(n + pre, to, tl);
        strcpy(n + pre + tl, at + fl);
        free(s);
        s = n;
    }
    va_end(ap);
    return s;
}

/* Loads a mutated minimal plan and checks that its diagnostics contain want
 * ("LINE:COL: error: MESSAGE", file name added here) and count errors. */
#define EXPECT(want, n_errors, ...)                                                            \
    do {                                                                                       \
        char *t_text = mutate(__VA_ARGS__, NULL);                                              \
        CHECK(t_text != NULL);                                                                 \
        if (!t_text)                                                                           \
            break;                                                                             \
        struct loaded t_l = load_text("minimal.yaml", t_text, strlen(t_text));                 \
        CHECK_CONTAINS(t_l.out, "minimal.yaml:" want "\n");                                    \
        if ((n_errors) >= 0)                                                                   \
            CHECK_INT(diags_errors(&t_l.d), n_errors);                                         \
        CHECK(t_l.p != NULL);                                                                  \
        unload(&t_l);                                                                          \
        free(t_text);                                                                          \
    } while (0)

/* Loads a mutated minimal plan and checks that it is valid without a word. */
#define EXPECT_OK(...)                                                                         \
    do {                                                                                       \
        char *t_text = mutate(__VA_ARGS__, NULL);                                              \
        CHECK(t_text != NULL);                                                                 \
        if (!t_text)                                                                           \
            break;                                                                             \
        struct loaded t_l = load_text("minimal.yaml", t_text, strlen(t_text));                 \
        CHECK_STR(t_l.out, "");                                                                \
        CHECK(t_l.p != NULL);                                                                  \
        unload(&t_l);                                                                          \
        free(t_text);                                                                          \
    } while (0)

/* ---- a valid plan ---------------------------------------------------------- */

TEST(minimal_loads)
{
    struct loaded l = load_text("minimal.yaml", minimal, strlen(minimal));
    CHECK(l.p != NULL);
    CHECK_STR(l.out, "");
    if (!l.p) {
        unload(&l);
        return;
    }
    const cb_plan *p = l.p;
    CHECK_STR(p->id, "mini");
    CHECK_STR(p->title, "Mini plan");
    CHECK_INT(p->n_weeks, 4);
    CHECK_INT(p->start, date_from_ymd(2026, 1, 5));
    CHECK_INT(p->lead, 0);
    CHECK_INT(p->exam.questions, 40);
    CHECK_NEAR(p->gate.min_projected, 75, 1e-9);
    CHECK_INT(p->gate.min_attempts, 2);
    CHECK_INT(p->n_tracks, 2);
    CHECK_INT(p->tracks[0].curriculum.n, 2);
    CHECK_INT(p->n_members, 3);
    CHECK_INT(p->members[1].level, CB_NOVICE);
    CHECK_INT(p->members[1].track, 0);
    CHECK_INT(p->members[2].joined_week, 2);
    CHECK_INT(p->members[0].joined_week, 1);
    CHECK_INT(p->n_mentors, 1);
    CHECK_INT(p->mentors[0].mentor, 0);
    CHECK_INT(p->mentors[0].mentee, 1);
    CHECK_INT(p->n_domains, 3);
    CHECK_NEAR(p->domains[1].weight_lo, 20, 1e-9);
    CHECK_NEAR(p->domains[1].weight_hi, 25, 1e-9);
    CHECK_INT(p->domains[1].pod, 0);
    CHECK_INT(p->domains[0].resources.docs.n, 1);
    CHECK_INT(p->n_pods, 2);
    CHECK_NEAR(p->pods[0].weight_lo, 50, 1e-9);
    CHECK_NEAR(p->pods[0].weight_hi, 55, 1e-9);
    CHECK_NEAR(p->pods[1].stated_weight, -1, 1e-9);
    CHECK_INT(p->pods[1].teach_week, 3);
    CHECK_INT(p->n_phases, 2);
    CHECK_INT(p->phases[1].weeks.lo, 3);
    CHECK_INT(p->phases[1].weeks.hi, 4);
    CHECK_INT(p->n_weeks_defined, 4);
    CHECK_INT(p->weeks[0].activities.n, 2);
    CHECK_STR(p->weeks[0].theme, "Kick-off");
    CHECK_INT(p->weeks[2].phase, 1);
    CHECK_INT(p->n_milestones, 3);
    CHECK_STR(p->milestones[p->weeks[2].first_milestone].id, "m-teach");
    CHECK_INT(p->weeks[1].n_milestones, 0);
    CHECK_INT(p->milestones[1].owner.kind, CB_OWNER_POD);
    CHECK_INT(p->n_roles, 3);
    CHECK_INT(p->n_checklists, 3);
    CHECK_INT(p->n_items, 4);
    CHECK_INT(p->checklists[1].first_item, 2);
    CHECK_INT(p->items[2].domain, 0);
    CHECK_INT(p->n_sessions, 1);
    CHECK_INT(p->sessions[0].weekday, 1);
    CHECK_INT(p->sessions[0].start_minute, 16 * 60);
    unload(&l);
}

TEST(lookups)
{
    struct loaded l = load_text("minimal.yaml", minimal, strlen(minimal));
    const cb_plan *p = l.p;
    CHECK(p != NULL);
    if (!p) {
        unload(&l);
        return;
    }
    CHECK_INT(plan_member(p, "bo"), 1);
    CHECK_INT(plan_member(p, "nobody"), -1);
    CHECK_INT(plan_member(p, NULL), -1);
    CHECK_INT(plan_member_by_login(p, "ana"), 0);
    CHECK_INT(plan_member_by_login(p, "bo"), -1);
    CHECK_INT(plan_domain(p, "ops"), 2);
    CHECK_INT(plan_pod(p, "p2"), 1);
    CHECK_INT(plan_item(p, "lab1"), 2);
    CHECK_INT(plan_milestone(p, "m-exam"), 2);
    CHECK_INT(plan_phase_of_week(p, 2), 0);
    CHECK_INT(plan_phase_of_week(p, 4), 1);
    CHECK_INT(plan_phase_of_week(p, 9), -1);
    int lab1 = plan_item(p, "lab1"), demo = plan_item(p, "ops-demo");
    CHECK(!plan_item_assigned(p, lab1, 0)); /* ana is on track C */
    CHECK(plan_item_assigned(p, lab1, 1));  /* bo is on track A */
    CHECK(plan_item_assigned(p, demo, 2));  /* cy is in pod p2 */
    CHECK(!plan_item_assigned(p, demo, 1));
    CHECK(plan_item_assigned(p, plan_item(p, "practice"), 1)); /* team */
    CHECK(plan_owner_covers(p, (cb_owner){CB_OWNER_MEMBER, 0}, 0));
    CHECK(!plan_owner_covers(p, (cb_owner){CB_OWNER_MEMBER, 0}, 1));
    CHECK(!plan_owner_covers(p, (cb_owner){CB_OWNER_TEAM, -1}, 7));
    CHECK_INT(plan_pod_of_member(p, 2), 1);
    CHECK_INT(plan_pod_of_member(p, 0), 0);
    cb_day start = date_from_ymd(2026, 1, 5);
    CHECK_INT(plan_week_of_day(p, start - 1), 0);
    CHECK_INT(plan_week_of_day(p, start), 1);
    CHECK_INT(plan_week_of_day(p, start + 13), 2);
    CHECK_INT(plan_week_of_day(p, start + 27), 4);
    CHECK_INT(plan_week_of_day(p, start + 28), 5);
    CHECK_INT(plan_week_start(p, 3), start + 14);
    CHECK_INT(plan_exam_day(p), date_from_ymd(2026, 2, 1));
    CHECK_STR(plan_level_name(CB_INTERMEDIATE), "intermediate");
    unload(&l);
}

/* A plan built by hand has no index: lookups fall back to searching. */
TEST(lookups_without_index)
{
    cb_member members[2] = {{.id = "x", .login = "lx"}, {.id = "y"}};
    cb_plan p = {.members = members, .n_members = 2};
    CHECK_INT(plan_member(&p, "y"), 1);
    CHECK_INT(plan_member_by_login(&p, "lx"), 0);
    CHECK_INT(plan_item(&p, "y"), -1);
}

TEST(exam_date_given)
{
    EXPECT_OK("    passing_score: 70\n", "    passing_score: 70\n    date: 2026-01-30\n");
    char *t = mutate("    passing_score: 70\n", "    passing_score: 70\n    date: 2026-01-30\n",
                     NULL);
    struct loaded l = load_text("minimal.yaml", t, strlen(t));
    CHECK(l.p && plan_exam_day(l.p) == date_from_ymd(2026, 1, 30));
    unload(&l);
    free(t);
}

/* ---- ids and references ------------------------------------------------------ */

TEST(duplicate_ids)
{
    EXPECT("129:9: error: duplicate item id 'read-guide' (first at line 123)", 1, "{id: lab1,",
           "{id: read-guide,");
    /* milestones are stored by week, but the later one in the file is the duplicate */
    EXPECT("108:9: error: duplicate milestone id 'm-kickoff' (first at line 97)", 1,
           "id: m-exam", "id: m-kickoff");
    EXPECT("103:9: error: duplicate milestone id 'm-exam' (first at line 97)", 2,
           "id: m-kickoff", "id: m-exam", "id: m-teach", "id: m-exam");
    EXPECT("85:5: error: duplicate phase id 'learn' (first at line 82)", -1, "  - id: prove",
           "  - id: learn");
    EXPECT("39:5: error: login 'ana' of member 'cy' is already used by member 'ana'", 1,
           "    joined_week: 2", "    login: ana");
}

TEST(malformed_ids)
{
    EXPECT("3:7: error: malformed id 'mini plan' (ids are letters, digits, '.', '_' and '-', "
           "starting with a letter or digit, at most 64 characters)",
           1, "id: mini", "id: mini plan");
    EXPECT("97:13: error: malformed id '-kick' (ids are letters, digits, '.', '_' and '-', "
           "starting with a letter or digit, at most 64 characters)",
           1, "id: m-kickoff", "id: \"-kick\"");
    /* A login becomes a server role in generated SQL: nothing but a user name. */
    EXPECT(
        "30:5: error: malformed login 'ana$r$; DROP TABLE x; $r$' of member 'ana' (a user "
        "name: letters, digits, '.', '_', '-' and '@', starting with a letter, digit or '_', "
        "at most 64 characters)",
        1, "login: ana", "login: \"ana$r$; DROP TABLE x; $r$\"");
}

TEST(unknown_references)
{
    EXPECT("71:20: error: unknown member 'nov3' in pod 'p1'", 2, "[ana, bo]", "[ana, nov3]");
    EXPECT("38:12: error: unknown track 'Z' in member 'bo'", 1, "    track: A\n  - id: cy",
           "    track: Z\n  - id: cy");
    EXPECT("78:15: error: unknown domain 'opz' in pod 'p2' (did you mean 'ops'?)", 2, "[ops]",
           "[opz]");
    EXPECT("116:12: error: unknown phase 'lern' in role entry #2 (did you mean 'learn'?)", 1,
           "phase: learn", "phase: lern");
    EXPECT(
        "105:16: error: unknown pod 'p9' in owner of milestone 'm-teach' (did you mean 'p1'?)",
        1, "pod:p1", "pod:p9");
    EXPECT("8:9: error: unknown member 'zed' in 'plan'", 1, "  lead: ana", "  lead: zed");
    EXPECT("129:50: error: unknown domain 'ingst' in item 'lab1' (did you mean 'ingest'?)", 1,
           "domain: ingest}", "domain: ingst}");
    EXPECT("114:29: error: unknown phase 'prov' in role entry #1 (did you mean 'prove'?)", 1,
           "prove: Coach", "prov: Coach");
    /* far from every id: no suggestion */
    EXPECT("129:50: error: unknown domain 'networking' in item 'lab1'", 1, "domain: ingest}",
           "domain: networking}");
    /* one mistake, one message: a role's unknown member is not repeated per phase */
    EXPECT("113:13: error: unknown member 'anna' in role entry #1 (did you mean 'ana'?)", 1,
           "  - member: ana\n    by_phase", "  - member: anna\n    by_phase");
}

/* ---- weeks and phases --------------------------------------------------------- */

TEST(weeks_outside_plan)
{
    EXPECT("88:12: error: weeks 3-5 in phase 'prove' are outside the plan (weeks 1-4)", 1,
           "weeks: \"3-4\"", "weeks: \"3-5\"");
    EXPECT("134:46: error: week 9 in item 'ops-demo' is outside the plan (weeks 1-4)", 1,
           "due: 3,", "due: 9,");
    EXPECT("101:11: error: week 7 in week entry #4 is outside the plan (weeks 1-4)", 2,
           "  - week: 3", "  - week: 7");
    EXPECT("79:17: error: week 5 in pod 'p2' is outside the plan (weeks 1-4)", 1,
           "teach_week: 3", "teach_week: 5");
    EXPECT("84:12: error: bad week range '2-1' for 'weeks' in phase 'learn' (expected a week "
           "number or \"FIRST-LAST\")",
           2, "weeks: 1-2", "weeks: 2-1");
}

TEST(phases_overlap_and_cover)
{
    EXPECT("88:12: error: phase 'prove' (weeks 3-4) overlaps phase 'learn' (weeks 1-3)", 1,
           "weeks: 1-2", "weeks: 1-3");
    EXPECT("82:3: error: week 3 is in no phase", 1, "weeks: \"3-4\"", "weeks: \"4\"");
    EXPECT("82:3: error: weeks 3-4 are in no phase", 2, "    weeks: \"3-4\"", "    weeks: 1");
}

TEST(week_entries)
{
    EXPECT("99:11: error: week 1 has two entries (first at line 93)", 1, "  - week: 2",
           "  - week: 1");
    /* a longer plan: week 5 has neither a phase nor an entry */
    EXPECT("91:3: error: week 5 is missing from 'weeks'", 2, "  weeks: 4", "  weeks: 5");
    EXPECT("82:3: error: week 5 is in no phase", 2, "  weeks: 4", "  weeks: 5");
}

/* ---- weights, pods, mentors ---------------------------------------------------- */

TEST(domain_weights)
{
    EXPECT("53:3: error: domain weights sum to 85-95; 100 is not reachable", 1, "weight: 30",
           "weight: 20");
    EXPECT("53:3: error: domain weights sum to 95, not 100", 1, "weight: 30", "weight: 30",
           "\"20-25\"", "20", "45-50", "45");
    EXPECT("62:13: error: bad weight 'lots' in domain 'model' (expected a percentage like 20 "
           "or \"20-25\")",
           2, "\"20-25\"", "lots");
}

TEST(pods)
{
    EXPECT("60:5: error: domain 'model' is in no pod", 1, "[ingest, model]", "[ingest]");
    EXPECT("78:20: error: domain 'model' is in pod 'p1' and pod 'p2'", 1, "[ops]",
           "[ops, model]");
    EXPECT("35:5: error: member 'bo' is in no pod", 1, "[ana, bo]", "[ana]");
    EXPECT("76:11: error: lead 'bo' of pod 'p2' is not one of its members", 1, "lead: cy",
           "lead: bo");
    EXPECT("73:20: warning: pod 'p1' states a weight of 45, but its domains sum to 50-55", 0,
           "stated_weight: 50", "stated_weight: 45");
}

TEST(mentors)
{
    EXPECT("46:5: error: mentor 'bo' (novice) is less experienced than mentee 'ana' "
           "(experienced)",
           1, "mentor: ana", "mentor: bo", "mentee: bo", "mentee: ana");
    EXPECT("46:5: error: member 'ana' cannot mentor themselves", 1, "mentee: bo",
           "mentee: ana");
}

/* ---- keys, types, formats ------------------------------------------------------ */

TEST(unknown_keys)
{
    EXPECT("71:5: warning: unknown key 'membrs' in pod (did you mean 'members'?)", 4,
           "    members: [ana, bo]", "    membrs: [ana, bo]");
    EXPECT("68:5: error: missing required key 'members' in pod 'p1'", 4,
           "    members: [ana, bo]", "    membrs: [ana, bo]");
    EXPECT("112:1: warning: unknown key 'rolez' in the top-level map (did you mean 'roles'?)",
           0, "roles:", "rolez:");
    EXPECT("22:5: warning: unknown key 'objetcive' in track (did you mean 'objective'?)", 0,
           "objective: Learn", "objetcive: Learn");
    EXPECT("22:5: warning: unknown key 'colour' in track", 0, "objective: Learn",
           "colour: Learn");
}

TEST(missing_keys)
{
    EXPECT("30:5: error: missing required key 'name' in member 'ana'", 1,
           "    name: Ana Lead\n", "");
    EXPECT("2:1: error: missing required key 'plan' in the top-level map", -1, "plan:\n",
           "plan_:\n");
    EXPECT("124:9: error: missing required key 'due' in item 'practice'", 1, " due: 4,", "");
}

TEST(wrong_types)
{
    EXPECT("72:14: error: 'domains' in pod 'p1' must be a list, not a string", 3,
           "domains: [ingest, model]", "domains: ingest");
    EXPECT("31:11: error: 'name' in member 'ana' must be a string, not a list", 1,
           "name: Ana Lead", "name: [Ana]");
    EXPECT("7:10: error: 'weeks' in 'plan' must be a whole number, not 'twelve'", -1,
           "  weeks: 4", "  weeks: twelve");
    EXPECT("30:5: error: each entry of 'members' must be a map, not a string", -1,
           "  - id: ana\n    name: Ana Lead\n    level: experienced\n    track: C\n    login: "
           "ana\n",
           "  - ana\n\n\n\n\n");
    EXPECT("71:20: error: each entry of 'members' in pod 'p1' must be an id, not a list", 2,
           "[ana, bo]", "[ana, [bo]]");
}

TEST(bad_values)
{
    EXPECT("6:10: error: bad date '2026-02-30' for 'start' in 'plan' (expected YYYY-MM-DD)", 1,
           "2026-01-05", "2026-02-30");
    EXPECT("37:12: error: unknown level 'expert' in member 'bo' (expected novice, intermediate "
           "or experienced)",
           1, "level: novice\n    track: A\n  - id: cy",
           "level: expert\n    track: A\n  - id: cy");
    EXPECT("127:12: error: bad owner 'crew' in checklist 'track-a' (expected team, member:ID, "
           "pod:ID or track:ID)",
           1, "owner: track:A", "owner: crew");
    EXPECT("141:14: error: bad weekday 'tues' in session 'sync' (expected mon, tue, wed, thu, "
           "fri, sat or sun)",
           1, "weekday: tue", "weekday: tues");
    EXPECT("142:11: error: bad time '25:00' in session 'sync' (expected HH:MM)", 1, "\"16:00\"",
           "\"25:00\"");
    EXPECT("139:11: error: unknown session kind 'coffee' in session 'sync' (expected mentor, "
           "teach, practice-exam, strategy, standup or other)",
           1, "kind: mentor", "kind: coffee");
    EXPECT("12:20: error: 'passing_score' in 'exam' must be between 0 and 100, not 170", 1,
           "passing_score: 70", "passing_score: 170");
}

/* One file with several problems: all of them are reported, in order. */
TEST(several_errors)
{
    cb_diags d;
    diags_init(&d);
    const char *path = data_path("several-errors.yaml");
    cb_plan *p = plan_load_file(path, &d);
    CHECK(p != NULL);
    struct loaded l = {.p = p, .d = d};
    finish(&l);
    static const char *const want[] = {
        "several-errors.yaml:4:10: error: bad date '2026-13-01' for 'start' in 'plan' "
        "(expected YYYY-MM-DD)",
        "several-errors.yaml:17:5: warning: unknown key 'levle' in member (did you mean "
        "'level'?)",
        "several-errors.yaml:15:5: error: missing required key 'level' in member 'bo'",
        "several-errors.yaml:20:3: error: domain weights sum to 90, not 100",
        "several-errors.yaml:30:20: error: unknown member 'nov3' in pod 'p1'",
        "several-errors.yaml:15:5: error: member 'bo' is in no pod",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        CHECK_CONTAINS(l.out, want[i]);
    CHECK_INT(diags_errors(&l.d), 5);
    CHECK_INT(l.d.n_warnings, 1);
    unload(&l);
}

/* ---- hostile input -------------------------------------------------------------- */

static struct loaded load_str(const char *text)
{
    return load_text("t.yaml", text, strlen(text));
}

TEST(alias_bomb)
{
    const char *bomb =
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
        "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
        "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
        "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
        "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
    struct loaded l = load_str(bomb);
    CHECK_CONTAINS(l.out, "t.yaml:2:8: error: alias '*a' not allowed in plans (write the value "
                          "out)\n");
    CHECK_CONTAINS(l.out, "t.yaml:9:32: error: alias '*h' not allowed in plans");
    CHECK(diags_errors(&l.d) > 0);
    unload(&l);
}

TEST(deep_nesting)
{
    size_t n = 10000;
    char *s = malloc(2 * n + 2);
    memset(s, '[', n);
    memset(s + n, ']', n);
    strcpy(s + 2 * n, "\n");
    struct loaded l = load_str(s);
    CHECK(l.p == NULL);
    CHECK_STR(l.out, "t.yaml:1:65: error: nesting deeper than 64 levels; not a plan\n");
    unload(&l);
    /* the same in block style: "- - - ... x" */
    char *b = malloc(2 * 100 + 3);
    for (int i = 0; i < 100; i++)
        memcpy(b + 2 * i, "- ", 2);
    strcpy(b + 200, "x\n");
    l = load_str(b);
    CHECK(l.p == NULL);
    CHECK_STR(l.out, "t.yaml:1:129: error: nesting deeper than 64 levels; not a plan\n");
    unload(&l);
    free(b);
    free(s);
}

TEST(huge_file)
{
    size_t n = 8u << 20;
    char *s = malloc(n);
    memcpy(s, "title: ", 7);
    memset(s + 7, 'a', n - 8);
    s[n - 1] = '\n';
    struct loaded l = load_text("t.yaml", s, n);
    CHECK(l.p == NULL);
    CHECK_STR(l.out, "t.yaml:1:4194305: error: file larger than 4 MiB; not a plan\n");
    unload(&l);
    /* and from a file on disk */
    char path[] = "/tmp/cbplanXXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "wb");
    fwrite(s, 1, n, f);
    fclose(f);
    cb_diags d;
    diags_init(&d);
    cb_plan *p = plan_load_file(path, &d);
    CHECK(p == NULL);
    CHECK_INT(d.n, 1);
    CHECK_INT(d.v[0].line, 1);
    CHECK_INT(d.v[0].col, 4194305);
    diags_free(&d);
    remove(path);
    free(s);
}

TEST(nul_byte)
{
    const char text[] = "plan:\n  id: x\0y\n";
    struct loaded l = load_text("t.yaml", text, sizeof text - 1);
    CHECK(l.p == NULL);
    CHECK_STR(l.out, "t.yaml:2:8: error: NUL byte in the file (a plan is UTF-8 text)\n");
    unload(&l);
    /* escaped NUL inside a double-quoted string */
    EXPECT("4:10: error: control character U+0000 in string (not allowed in plans)", 1,
           "title: Mini plan", "title: \"Mini\\0plan\"");
}

TEST(invalid_utf8)
{
    struct loaded l = load_str("plan:\n  title: \"a\xff\xfe"
                               "b\"\n");
    CHECK(l.p == NULL);
    CHECK_STR(l.out, "t.yaml:2:12: error: invalid leading UTF-8 octet (#xFF)\n");
    unload(&l);
    l = load_str("plan: \xe2\x82\n");
    CHECK(l.p == NULL);
    CHECK_STR(l.out, "t.yaml:1:8: error: invalid trailing UTF-8 octet (#xA)\n");
    unload(&l);
}

TEST(tabs)
{
    struct loaded l = load_str("plan:\n\tid: x\n");
    CHECK(l.p == NULL);
    CHECK_STR(l.out, "t.yaml:2:1: error: tab character here; YAML indents with spaces only\n");
    unload(&l);
    /* a tab inside a string is text, not indentation */
    EXPECT_OK("title: Mini plan", "title: \"Mini\\tplan\"");
}

TEST(duplicate_keys)
{
    EXPECT("5:3: error: duplicate key 'title' (first at line 4)", 1, "  title: Mini plan\n",
           "  title: Mini plan\n  title: Again\n");
    EXPECT("123:57: error: duplicate key 'due' (first at line 123)", 1, "due: 1, kind: learn}",
           "due: 1, due: 2}");
}

TEST(control_characters)
{
    char *t = mutate("title: Mini plan", "title: \"Mini \\e[31mred\\e[0m\"", NULL);
    struct loaded l = load_text("minimal.yaml", t, strlen(t));
    CHECK_STR(l.out, "minimal.yaml:4:10: error: control character U+001B in string (not "
                     "allowed in plans)\n");
    CHECK(l.p && strchr(l.p->title, 0x1b) == NULL);
    CHECK(l.p && strcmp(l.p->title, "Mini ?[31mred?[0m") == 0);
    unload(&l);
    free(t);
    /* C1 controls (U+009B is a one-byte CSI on some terminals) */
    EXPECT("4:10: error: control character U+009B in string (not allowed in plans)", 1,
           "title: Mini plan", "title: \"Mini \\x9b2J\"");
    /* in a key too */
    EXPECT("5:3: error: control character U+0007 in string (not allowed in plans)", 1,
           "  title: Mini plan\n", "  title: Mini plan\n  \"bell\\a\": 1\n");
}

TEST(long_strings)
{
    char *title = malloc(5100);
    strcpy(title, "title: ");
    memset(title + 7, 'x', 5000);
    title[5007] = '\0';
    char *t = mutate("title: Mini plan", title, NULL);
    struct loaded l = load_text("minimal.yaml", t, strlen(t));
    CHECK_CONTAINS(l.out,
                   "minimal.yaml:4:10: error: string too long (5000 bytes; at most 4096)\n");
    CHECK(l.p && strlen(l.p->title) == 4096);
    unload(&l);
    free(t);
    free(title);
}

TEST(not_a_plan)
{
    struct loaded l = load_str("");
    CHECK(l.p == NULL);
    CHECK_STR(l.out, "t.yaml:1:1: error: empty file; a plan is a map with the keys plan, "
                     "members, domains, phases and weeks\n");
    unload(&l);
    l = load_str("- a\n- b\n");
    CHECK(l.p == NULL);
    CHECK_CONTAINS(l.out, "t.yaml:1:1: error: not a map;");
    unload(&l);
    l = load_str("a: [1, 2\n");
    CHECK(l.p == NULL);
    CHECK_CONTAINS(l.out, "t.yaml:2:1: error: did not find expected ',' or ']' (while parsing "
                          "a flow sequence at line 1)\n");
    unload(&l);
    EXPECT("145:1: error: a second YAML document; a plan file holds exactly one", 1,
           "    minutes: 60\n    owner: member:ana\n",
           "    minutes: 60\n    owner: member:ana\n---\nx: 1\n");
    EXPECT("5:5: error: a map key must be a string, not a list", 1, "  title: Mini plan\n",
           "  title: Mini plan\n  ? [a]\n  : b\n");
}

/* A range entry repeats its activities in each week: the copies are bounded. */
TEST(activities_bounded)
{
    size_t n = 30000;
    char *list = malloc(n * 2 + 64), *o = list;
    o += sprintf(o, "  - week: 1-4\n    activities: [a");
    for (size_t i = 1; i < n; i++)
        o += sprintf(o, ",a");
    strcpy(o, "]");
    EXPECT("91:3: error: more than 100000 activities over all weeks", 1,
           "  - week: 1-2\n    activities: [Daily reading]", list);
    free(list);
}

/* Thousands of problems: all counted, the list capped, suggestions bounded. */
TEST(many_problems)
{
    size_t n = 5000;
    char *text = malloc(n * 24 + 1), *o = text;
    for (size_t i = 0; i < n; i++)
        o += sprintf(o, "membrs%zu: x\n", i);
    struct loaded l = load_str(text);
    CHECK(l.p != NULL);
    CHECK_INT(l.d.n_warnings, (long long)n);
    CHECK_INT(l.d.n, 1000);
    CHECK_CONTAINS(l.out,
                   "t.yaml:1:1: warning: unknown key 'membrs0' in the top-level map (did you "
                   "mean 'members'?)\n");
    CHECK_CONTAINS(l.out, "more diagnostics not shown");
    unload(&l);
    free(text);
}

TEST(missing_file)
{
    cb_diags d;
    diags_init(&d);
    cb_plan *p = plan_load_file("/nonexistent/plan.yaml", &d);
    CHECK(p == NULL);
    CHECK_INT(diags_errors(&d), 1);
    CHECK(d.n == 1 && strstr(d.v[0].msg, "cannot open: No such file") != NULL);
    diags_free(&d);
}

/* ---- roadmaps: several exams ------------------------------------------------ */

TEST(single_exam_is_one_exam)
{
    struct loaded l = load_text("minimal.yaml", minimal, strlen(minimal));
    CHECK(l.p != NULL);
    if (l.p) {
        const cb_plan *p = l.p;
        CHECK_INT(p->n_exams, 1);
        CHECK_STR(p->exams[0].name, "Example Certified Engineer");
        CHECK_INT(p->exams[0].first_domain, 0);
        CHECK_INT(p->exams[0].n_domains, 3);
        CHECK_INT(p->exams[0].week, 4);
        CHECK_INT(p->exams[0].info.questions, 40);
        CHECK_NEAR(p->exams[0].gate.min_projected, 75, 1e-9);
        CHECK_NEAR(p->exams[0].weight_lo, 95, 1e-9);
        CHECK_NEAR(p->exams[0].weight_hi, 105, 1e-9);
        CHECK_INT(p->domains[2].exam, 0);
        CHECK_INT(plan_exam_day_of(p, 0), plan_exam_day(p));
    }
    unload(&l);
}

TEST(roadmap_loads)
{
    struct loaded l = load_text("roadmap.yaml", roadmap, strlen(roadmap));
    CHECK(l.p != NULL);
    CHECK_STR(l.out, "");
    if (!l.p) {
        unload(&l);
        return;
    }
    const cb_plan *p = l.p;
    CHECK_INT(p->n_exams, 2);
    CHECK_INT(p->n_domains, 4);
    CHECK_STR(p->exams[0].id, "first");
    CHECK_STR(p->exams[1].name, "Second Associate");
    CHECK_INT(p->exams[0].week, 2);
    CHECK_INT(p->exams[0].info.date, date_from_ymd(2026, 1, 18)); /* Sunday of week 2 */
    CHECK_INT(p->exams[1].week, 6);
    CHECK_INT(p->exams[1].info.date, date_from_ymd(2026, 2, 13));
    CHECK_INT(p->exams[0].first_domain, 0);
    CHECK_INT(p->exams[0].n_domains, 2);
    CHECK_INT(p->exams[1].first_domain, 2);
    CHECK_INT(p->exams[1].n_domains, 2);
    CHECK_INT(p->domains[1].exam, 0);
    CHECK_INT(p->domains[2].exam, 1);
    CHECK_INT(plan_domain(p, "s-b"), 3);
    /* the plan's gate for the first, the second's own */
    CHECK_NEAR(p->exams[0].gate.min_projected, 75, 1e-9);
    CHECK_INT(p->exams[0].gate.min_attempts, 1);
    CHECK_NEAR(p->exams[1].gate.min_projected, 70, 1e-9);
    CHECK_NEAR(p->exams[1].gate.domain_floor, 50, 1e-9);
    CHECK_INT(p->exams[1].gate.min_attempts, 2);
    /* the plan-wide exam is the last one */
    CHECK_INT(p->exam.questions, 50);
    CHECK_INT(plan_exam_day(p), date_from_ymd(2026, 2, 13));
    CHECK_INT(plan_exam_day_of(p, 0), date_from_ymd(2026, 1, 18));
    CHECK_INT(plan_exam(p, "second"), 1);
    CHECK_INT(plan_exam(p, "third"), -1);
    unload(&l);
}

/* roadmap.yaml with one FROM replaced by TO; checks a diagnostic and the errors. */
static void expect_road(const char *want, int n_errors, const char *from, const char *to)
{
    char *at = strstr(roadmap, from);
    CHECK(at != NULL);
    if (!at)
        return;
    size_t pre = (size_t)(at - roadmap), fl = strlen(from), tl = strlen(to);
    char *t = malloc(strlen(roadmap) - fl + tl + 1);
    memcpy(t, roadmap, pre);
    memcpy(t + pre, to, tl);
    strcpy(t + pre + tl, at + fl);
    struct loaded l = load_text("roadmap.yaml", t, strlen(t));
    char line[512];
    snprintf(line, sizeof line, "roadmap.yaml:%s\n", want);
    CHECK_CONTAINS(l.out, line);
    CHECK_INT(diags_errors(&l.d), n_errors);
    unload(&l);
    free(t);
}

TEST(roadmap_rules)
{
    expect_road("26:7: error: domain weights of exam 'first' sum to 90, not 100", 1,
                "weight: 40", "weight: 30");
    expect_road("28:5: error: duplicate exam id 'first' (first at line 19)", 1, "id: second",
                "id: first");
    expect_road("36:9: error: duplicate domain id 'f-a' (first at line 26)", 1, "id: s-a",
                "id: f-a");
    expect_road("21:11: error: week 9 in exam 'first' is outside the plan (weeks 1-6)", 1,
                "week: 2", "week: 9");
    expect_road("30:11: error: exam date 2026-03-13 is outside the plan's weeks 1-6", 1,
                "date: 2026-02-13", "date: 2026-03-13");
    expect_road("28:5: error: exam 'second' is before the exam listed above it; list exams in "
                "date order",
                1, "date: 2026-02-13", "date: 2026-01-13");
    expect_road("28:5: error: missing 'week' or 'date' in exam 'second'", 1,
                "    date: 2026-02-13\n", "");
    expect_road("10:9: error: 'plan.exam' and a top-level 'exams' list: give one or the other",
                1, "  ready_gate:\n    min_projected: 75",
                "  exam: {questions: 1, minutes: 1, passing_score: 1}\n"
                "  ready_gate:\n    min_projected: 75");
    expect_road("47:10: error: with a top-level 'exams' list, domains go under each exam", 1,
                "checklists:", "domains: []\nchecklists:");
    expect_road("51:59: error: unknown domain 'x-a' in item 'fa1' (did you mean 'f-a'?)", 1,
                "domain: f-a}", "domain: x-a}");
}

/* The dashboard wakes at the next local midnight to move "today" on. */
TEST(ms_to_next_local_midnight)
{
    const char *old = getenv("TZ");
    char *saved = old ? strdup(old) : NULL;
    setenv("TZ", "UTC", 1);
    tzset();
    long long noon = (long long)(date_from_ymd(2026, 11, 30)) * 86400000LL + 12 * 3600000LL;
    CHECK(date_ms_to_next_day(noon) == 12 * 3600000LL);
    CHECK(date_ms_to_next_day(noon + 12 * 3600000LL - 500) == 500);
    CHECK(date_ms_to_next_day(noon + 12 * 3600000LL) == 24 * 3600000LL); /* at midnight */
    /* A day of 23 hours: spring forward in central Europe (2026-03-29, UTC+1 -> UTC+2).
     * Local 00:30 is 23:30 UTC the day before; the next midnight is 22:00 UTC. */
    if (access("/usr/share/zoneinfo/Europe/Berlin", R_OK) == 0) {
        setenv("TZ", "Europe/Berlin", 1);
        tzset();
        long long t = (long long)(date_from_ymd(2026, 3, 28)) * 86400000LL + 23 * 3600000LL +
                      30 * 60000LL;
        CHECK(date_ms_to_next_day(t) == 22 * 3600000LL + 30 * 60000LL);
    }
    if (saved)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    tzset();
    free(saved);
}

int main(void)
{
    minimal = read_all(data_path("minimal.yaml"));
    if (!minimal) {
        printf("FAIL: test_plan/fixtures: cannot read %s\n", data_path("minimal.yaml"));
        return 1;
    }
    roadmap = read_all(data_path("roadmap.yaml"));
    if (!roadmap) {
        printf("FAIL: test_plan/fixtures: cannot read %s\n", data_path("roadmap.yaml"));
        return 1;
    }
    RUN(minimal_loads);
    RUN(ms_to_next_local_midnight);
    RUN(single_exam_is_one_exam);
    RUN(roadmap_loads);
    RUN(roadmap_rules);
    RUN(lookups);
    RUN(lookups_without_index);
    RUN(exam_date_given);
    RUN(duplicate_ids);
    RUN(malformed_ids);
    RUN(unknown_references);
    RUN(weeks_outside_plan);
    RUN(phases_overlap_and_cover);
    RUN(week_entries);
    RUN(domain_weights);
    RUN(pods);
    RUN(mentors);
    RUN(unknown_keys);
    RUN(missing_keys);
    RUN(wrong_types);
    RUN(bad_values);
    RUN(several_errors);
    RUN(alias_bomb);
    RUN(deep_nesting);
    RUN(huge_file);
    RUN(nul_byte);
    RUN(invalid_utf8);
    RUN(tabs);
    RUN(duplicate_keys);
    RUN(control_characters);
    RUN(long_strings);
    RUN(not_a_plan);
    RUN(activities_bounded);
    RUN(many_problems);
    RUN(missing_file);
    free(minimal);
    free(roadmap);
    return t_done();
}

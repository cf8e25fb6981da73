/* cmd_init.c — `certboard init`: a team's own plan from a bundled template.
 *
 *   certboard init [--template NAME|FILE] --member "Name[:level]"... |
 *                  --members "A:level,B:level" | --members-file FILE
 *                  [--start DATE] [--lead NAME] [--exam-date DATE]
 *                  [--skip-weeks DATE,DATE] [--id ID] [--title TEXT]
 *                  [-o FILE [--store DIR]] [--force]
 *   certboard init          (in a terminal: asks for each answer)
 *
 * The template is loaded into a cb_plan; the new plan is written from that
 * model with libyaml's emitter (so quoting is always right), loaded back and
 * validated before anything is written. The template's archetype members
 * (e.g. "Novice 1") are mapped onto the real people by level; pods, roles,
 * member-owned checklists, milestones and sessions follow the archetypes;
 * mentor pairs are made anew (each mentee gets a more experienced mentor) and
 * the sync checklists follow the pairs, one per mentor and per mentee. The
 * calendar starts on the given Monday and skips the given weeks (plan.breaks);
 * the exam lands on a weekday. What could not be mapped is listed in the
 * file's header and on stderr, never dropped silently. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "certboard/cli.h"
#include "certboard/plan.h"
#include "certboard/store.h"

#define MAX_TEAM 200
#define MAX_NAME 100
#define MAX_NOTES 64

struct person {
    const char *name, *id;
    int level;     /* enum cb_level */
    int arche;     /* template member it stands for */
    int n_mentees; /* while pairing */
    int n_pods;
};

struct pair {
    int mentor, mentee; /* person indices */
    int tpl;            /* template pair it copies (cadence, minutes, weeks) */
};

struct init {
    const cb_plan *t; /* the template */
    cb_arena *a;
    struct person *pp;
    int n;
    struct pair *pairs;
    int n_pairs;
    int lead;
    cb_day start, exam;
    cb_day *breaks;
    int n_breaks;
    const char *id, *title;
    const char *notes[MAX_NOTES]; /* what was mapped in a way worth saying, or not mapped */
    int n_notes;
    /* output */
    yaml_emitter_t em;
    char *buf;
    size_t len, cap;
    bool failed;
};

static void note(struct init *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct init *in, const char *fmt, ...)
{
    if (in->n_notes >= MAX_NOTES)
        return;
    va_list ap;
    va_start(ap, fmt);
    char tmp[512];
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    in->notes[in->n_notes++] = arena_strndup(in->a, tmp, strlen(tmp));
}

/* --- the team -------------------------------------------------------------- */

static int parse_level(const char *s)
{
    static const char *const names[] = {"novice", "intermediate", "experienced"};
    size_t n = strlen(s);
    if (n == 0)
        return -1;
    for (int i = 0; i < 3; i++)
        if (strncasecmp(s, names[i], n) == 0)
            return i;
    return -2;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* Adds "Name[:level]"; returns 0, or -1 with a message. */
static int add_person(struct init *in, const char *spec)
{
    char buf[MAX_NAME + 32];
    if (snprintf(buf, sizeof buf, "%s", spec) >= (int)sizeof buf)
        return cli_fail(-1, "init", "member '%.40s...' is too long", spec);
    char *colon = strrchr(buf, ':');
    int level = -1;
    if (colon) {
        *colon = '\0';
        level = parse_level(trim(colon + 1));
        if (level == -2)
            return cli_fail(-1, "init",
                            "unknown level '%s' for '%s' (novice, intermediate or experienced)",
                            trim(colon + 1), trim(buf));
    }
    char *name = trim(buf);
    if (!*name)
        return cli_fail(-1, "init", "a member needs a name ('%s')", spec);
    for (const unsigned char *c = (const unsigned char *)name; *c; c++)
        if (*c < 0x20 || *c == 0x7f)
            return cli_fail(-1, "init", "member names may not contain control characters");
    if (in->n >= MAX_TEAM)
        return cli_fail(-1, "init", "at most %d members", MAX_TEAM);
    in->pp[in->n++] =
        (struct person){arena_strndup(in->a, name, strlen(name)), NULL, level, -1, 0, 0};
    return 0;
}

static int add_list(struct init *in, const char *list)
{
    char *copy = arena_strndup(in->a, list, strlen(list));
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
        if (*trim(tok) && add_person(in, tok) != 0)
            return -1;
    return 0;
}

static int add_file(struct init *in, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return cli_fail(-1, "init", "cannot read %s: %s", path, strerror(errno));
    char line[512];
    int rc = 0;
    for (int guard = 0; rc == 0 && guard < 100000 && fgets(line, sizeof line, f); guard++) {
        char *s = trim(line);
        if (*s && *s != '#')
            rc = add_person(in, s);
    }
    fclose(f);
    return rc;
}

/* A member id from a name: the first word, lower case, ASCII letters and
 * digits; the whole name or a number when that is taken. */
static const char *make_id(struct init *in, int who)
{
    char base[65];
    const char *name = in->pp[who].name;
    for (int pass = 0; pass < 2; pass++) {
        size_t n = 0;
        bool dash = false;
        for (const char *c = name; *c && n < 40; c++) {
            if (isalnum((unsigned char)*c) && (unsigned char)*c < 0x80) {
                if (dash && n > 0)
                    base[n++] = '-';
                base[n++] = (char)tolower((unsigned char)*c);
                dash = false;
            } else if (pass == 0 && n > 0 && *c == ' ') {
                break;
            } else {
                dash = true;
            }
        }
        base[n] = '\0';
        if (n == 0)
            snprintf(base, sizeof base, "m%d", who + 1);
        char cand[80];
        for (int k = 1; k < MAX_TEAM + 2; k++) {
            if (k == 1)
                snprintf(cand, sizeof cand, "%s", base);
            else if (pass == 0)
                break;
            else
                snprintf(cand, sizeof cand, "%s-%d", base, k);
            bool taken = false;
            for (int j = 0; j < who && !taken; j++)
                taken = strcmp(in->pp[j].id, cand) == 0;
            if (!taken)
                return arena_strndup(in->a, cand, strlen(cand));
        }
    }
    return arena_printf(in->a, "m%d", who + 1);
}

/* Maps each person onto a template archetype of their level (the nearest
 * level when the template has none), spreading people evenly. */
static void map_people(struct init *in)
{
    const cb_plan *t = in->t;
    int *order = arena_alloc(in->a, sizeof *order * (size_t)t->n_members);
    int *used = arena_alloc(in->a, sizeof *used * (size_t)t->n_members);
    int k = 0;
    for (int lv = CB_EXPERIENCED; lv >= CB_NOVICE; lv--)
        for (int m = 0; m < t->n_members; m++)
            if ((int)t->members[m].level == lv)
                order[k++] = m;
    int unleveled = 0;
    for (int i = 0; i < in->n; i++) {
        struct person *p = &in->pp[i];
        if (p->level < 0)
            p->level = (int)t->members[order[unleveled++ % t->n_members]].level;
        int best = -1;
        for (int dist = 0; dist < 3 && best < 0; dist++)
            for (int m = 0; m < t->n_members; m++)
                if (abs((int)t->members[m].level - p->level) == dist &&
                    (best < 0 || used[m] < used[best]))
                    best = m;
        p->arche = best;
        used[best]++;
        p->id = make_id(in, i);
    }
    for (int m = 0; m < t->n_members; m++)
        if (!used[m])
            note(in,
                 "archetype %s (%s) has no one: its member-owned work goes to the nearest "
                 "member",
                 t->members[m].id, t->members[m].name);
}

/* The people who stand for template member m; the nearest one when none. */
static int targets(struct init *in, int m, int *out)
{
    int n = 0;
    for (int i = 0; i < in->n; i++)
        if (in->pp[i].arche == m)
            out[n++] = i;
    if (n > 0)
        return n;
    if (m == in->t->lead) {
        out[0] = in->lead;
        return 1;
    }
    int best = 0;
    for (int i = 1; i < in->n; i++)
        if (abs(in->pp[i].level - (int)in->t->members[m].level) <
            abs(in->pp[best].level - (int)in->t->members[m].level))
            best = i;
    out[0] = best;
    return 1;
}

static int first_target(struct init *in, int m)
{
    int *tmp = arena_alloc(in->a, sizeof *tmp * (size_t)in->n);
    targets(in, m, tmp);
    return tmp[0];
}

static bool tpl_is_mentee(const cb_plan *t, int m)
{
    for (int i = 0; i < t->n_mentors; i++)
        if (t->mentors[i].mentee == m)
            return true;
    return false;
}

static bool tpl_is_mentor(const cb_plan *t, int m)
{
    for (int i = 0; i < t->n_mentors; i++)
        if (t->mentors[i].mentor == m)
            return true;
    return false;
}

/* Each person standing for a template mentee gets a more experienced mentor:
 * the least loaded first, then mentor archetypes, then the most experienced. */
static void make_pairs(struct init *in)
{
    const cb_plan *t = in->t;
    in->pairs = arena_alloc(in->a, sizeof *in->pairs * (size_t)in->n);
    for (int i = 0; i < in->n; i++) {
        if (!tpl_is_mentee(t, in->pp[i].arche))
            continue;
        int best = -1;
        for (int j = 0; j < in->n; j++) {
            if (j == i || in->pp[j].level <= in->pp[i].level)
                continue;
            if (best < 0) {
                best = j;
                continue;
            }
            bool mj = tpl_is_mentor(t, in->pp[j].arche),
                 mb = tpl_is_mentor(t, in->pp[best].arche);
            if (in->pp[j].n_mentees != in->pp[best].n_mentees) {
                if (in->pp[j].n_mentees < in->pp[best].n_mentees)
                    best = j;
            } else if (mj != mb) {
                if (mj)
                    best = j;
            } else if (in->pp[j].level > in->pp[best].level) {
                best = j;
            }
        }
        if (best < 0) {
            note(in, "no mentor for %s: nobody in the team is more experienced",
                 in->pp[i].name);
            continue;
        }
        int tpl = 0;
        for (int k = 0; k < t->n_mentors; k++)
            if (t->mentors[k].mentee == in->pp[i].arche)
                tpl = k;
        in->pairs[in->n_pairs++] = (struct pair){best, i, tpl};
        in->pp[best].n_mentees++;
    }
}

/* --- calendar ---------------------------------------------------------------- */

static cb_day week_start(const struct init *in, int week)
{
    cb_plan tmp = {0};
    tmp.start = in->start;
    tmp.n_weeks = in->t->n_weeks;
    tmp.breaks = in->breaks;
    tmp.n_breaks = in->n_breaks;
    return plan_week_start(&tmp, week);
}

static cb_day monday_of(cb_day d)
{
    return d - date_weekday(d);
}

/* A weekend exam moves to the Friday before. */
static cb_day weekday_exam(struct init *in, cb_day d)
{
    int wd = date_weekday(d);
    if (wd < 5)
        return d;
    cb_day f = d - (wd - 4);
    char a[11], b[11];
    date_format(d, a);
    date_format(f, b);
    note(in, "exam moved from %s (%s) to Friday %s", a, wd == 5 ? "a Saturday" : "a Sunday", b);
    return f;
}

/* --- prose ------------------------------------------------------------------- */

static const char *const number_words[] = {
    "zero",     "one",     "two",     "three",     "four",     "five",     "six",
    "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",   "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"};

/* "a six-person team" -> "a four-person team" (and "6-person"). */
static const char *fix_prose(struct init *in, const char *s)
{
    if (!s)
        return NULL;
    const char *mark = "-person";
    char out[4096];
    size_t o = 0;
    const char *p = s;
    for (int guard = 0; *p && guard < 4096 && o + 64 < sizeof out; guard++) {
        const char *hit = strstr(p, mark);
        if (!hit)
            break;
        const char *w = hit;
        while (w > p && isalnum((unsigned char)w[-1]))
            w--;
        size_t wl = (size_t)(hit - w);
        bool number = wl > 0 && isdigit((unsigned char)*w);
        for (size_t k = 0; k < sizeof number_words / sizeof *number_words && !number; k++)
            number = strlen(number_words[k]) == wl && strncasecmp(w, number_words[k], wl) == 0;
        size_t keep = (size_t)((number ? w : hit + strlen(mark)) - p);
        if (o + keep + 64 >= sizeof out)
            break;
        memcpy(out + o, p, keep);
        o += keep;
        if (number) {
            const char *word = in->n < 21 ? number_words[in->n] : NULL;
            int len = word ? snprintf(out + o, sizeof out - o, "%s%s", word, mark)
                           : snprintf(out + o, sizeof out - o, "%d%s", in->n, mark);
            if (word && isupper((unsigned char)*w))
                out[o] = (char)toupper((unsigned char)out[o]);
            o += (size_t)len;
            p = hit + strlen(mark);
        } else {
            p += keep;
        }
    }
    size_t rest = strlen(p);
    if (o + rest >= sizeof out)
        return s;
    memcpy(out + o, p, rest + 1);
    return arena_strndup(in->a, out, o + rest);
}

/* --- emitting ------------------------------------------------------------------ */

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
    struct init *in = data;
    if (in->len + size + 1 > in->cap) {
        size_t cap = (in->cap + size + 1) * 2;
        char *nb = realloc(in->buf, cap);
        if (!nb)
            return 0;
        in->buf = nb;
        in->cap = cap;
    }
    memcpy(in->buf + in->len, buffer, size);
    in->len += size;
    in->buf[in->len] = '\0';
    return 1;
}

static void emit(struct init *in, yaml_event_t *ev)
{
    if (!in->failed && !yaml_emitter_emit(&in->em, ev))
        in->failed = true;
}

static void map_start(struct init *in, bool flow)
{
    yaml_event_t ev;
    yaml_mapping_start_event_initialize(
        &ev, NULL, NULL, 1, flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE);
    emit(in, &ev);
}

static void map_end(struct init *in)
{
    yaml_event_t ev;
    yaml_mapping_end_event_initialize(&ev);
    emit(in, &ev);
}

static void seq_start(struct init *in, bool flow)
{
    yaml_event_t ev;
    yaml_sequence_start_event_initialize(
        &ev, NULL, NULL, 1, flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
    emit(in, &ev);
}

static void seq_end(struct init *in)
{
    yaml_event_t ev;
    yaml_sequence_end_event_initialize(&ev);
    emit(in, &ev);
}

/* A string; quoted whenever the reader would take it as null. */
static void str(struct init *in, const char *s)
{
    yaml_event_t ev;
    bool nullish = !*s || strcmp(s, "~") == 0 || strcasecmp(s, "null") == 0;
    yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
                                 nullish ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
                                         : YAML_ANY_SCALAR_STYLE);
    emit(in, &ev);
}

static void kv(struct init *in, const char *k, const char *v)
{
    if (!v)
        return;
    str(in, k);
    str(in, v);
}

static void kvi(struct init *in, const char *k, int v)
{
    char b[24];
    snprintf(b, sizeof b, "%d", v);
    kv(in, k, b);
}

/* A number written the same in every locale: digits, '.', digits. */
static const char *num(struct init *in, double v)
{
    long long scaled = (long long)(v * 1000 + (v < 0 ? -0.5 : 0.5));
    long long ip = scaled / 1000, fp = llabs(scaled % 1000);
    if (fp == 0)
        return arena_printf(in->a, "%lld", ip);
    char frac[8];
    snprintf(frac, sizeof frac, "%03lld", fp);
    for (int k = 2; k > 0 && frac[k] == '0'; k--)
        frac[k] = '\0';
    return arena_printf(in->a, "%s%lld.%s", v < 0 && ip == 0 ? "-" : "", ip, frac);
}

static void kvd(struct init *in, const char *k, cb_day d)
{
    char b[11];
    date_format(d, b);
    kv(in, k, b);
}

static void kvr(struct init *in, const char *k, cb_range r)
{
    if (r.lo == r.hi)
        kvi(in, k, r.lo);
    else
        kv(in, k, arena_printf(in->a, "%d-%d", r.lo, r.hi));
}

static void strv(struct init *in, const char *k, cb_strv v, bool always)
{
    if (v.n == 0 && !always)
        return;
    str(in, k);
    seq_start(in, false);
    for (int i = 0; i < v.n; i++)
        str(in, v.v[i]);
    seq_end(in);
}

static const char *owner_str(struct init *in, cb_owner o)
{
    const cb_plan *t = in->t;
    switch (o.kind) {
    case CB_OWNER_MEMBER:
        return arena_printf(in->a, "member:%s", in->pp[first_target(in, o.index)].id);
    case CB_OWNER_POD:
        return arena_printf(in->a, "pod:%s", t->pods[o.index].id);
    case CB_OWNER_TRACK:
        return arena_printf(in->a, "track:%s", t->tracks[o.index].id);
    default:
        return "team";
    }
}

static void emit_meta(struct init *in)
{
    const cb_plan *t = in->t;
    str(in, "plan");
    map_start(in, false);
    kv(in, "id", in->id);
    kv(in, "title", in->title ? in->title : fix_prose(in, t->title));
    kv(in, "certification", t->certification);
    kv(in, "description", fix_prose(in, t->description));
    kvd(in, "start", in->start);
    kvi(in, "weeks", t->n_weeks);
    if (in->n_breaks > 0) {
        str(in, "breaks");
        seq_start(in, true);
        for (int i = 0; i < in->n_breaks; i++) {
            char b[11];
            date_format(in->breaks[i], b);
            str(in, b);
        }
        seq_end(in);
    }
    kv(in, "lead", in->pp[in->lead].id);
    if (t->n_exams <= 1) { /* a roadmap's exams come with their domains */
        str(in, "exam");
        map_start(in, false);
        kvi(in, "questions", t->exam.questions);
        kvi(in, "minutes", t->exam.minutes);
        kv(in, "passing_score", num(in, t->exam.passing_score));
        kvd(in, "date", in->exam);
        map_end(in);
    }
    str(in, "ready_gate");
    map_start(in, false);
    kv(in, "min_projected", num(in, t->gate.min_projected));
    kv(in, "domain_floor", num(in, t->gate.domain_floor));
    kvi(in, "min_attempts", t->gate.min_attempts);
    map_end(in);
    map_end(in);
}

static void emit_team(struct init *in)
{
    const cb_plan *t = in->t;
    if (t->n_tracks > 0) {
        str(in, "tracks");
        seq_start(in, false);
        for (int i = 0; i < t->n_tracks; i++) {
            const cb_track *tr = &t->tracks[i];
            map_start(in, false);
            kv(in, "id", tr->id);
            kv(in, "name", tr->name);
            kv(in, "level", plan_level_name(tr->level));
            kv(in, "objective", tr->objective);
            strv(in, "curriculum", tr->curriculum, false);
            strv(in, "resources", tr->resources, false);
            map_end(in);
        }
        seq_end(in);
    }
    str(in, "members");
    seq_start(in, false);
    for (int i = 0; i < in->n; i++) {
        const struct person *p = &in->pp[i];
        const cb_member *am = &t->members[p->arche];
        map_start(in, true);
        kv(in, "id", p->id);
        kv(in, "name", p->name);
        kv(in, "level", plan_level_name((enum cb_level)p->level));
        if (am->track >= 0)
            kv(in, "track", t->tracks[am->track].id);
        map_end(in);
    }
    seq_end(in);
    if (in->n_pairs > 0) {
        str(in, "mentors");
        seq_start(in, false);
        for (int i = 0; i < in->n_pairs; i++) {
            const struct pair *pr = &in->pairs[i];
            const cb_mentor_pair *tp = &t->mentors[pr->tpl];
            map_start(in, true);
            kv(in, "mentor", in->pp[pr->mentor].id);
            kv(in, "mentee", in->pp[pr->mentee].id);
            kv(in, "cadence", tp->cadence);
            kvi(in, "minutes", tp->minutes);
            kvr(in, "weeks", tp->weeks);
            map_end(in);
        }
        seq_end(in);
    }
}

static void emit_domain(struct init *in, const cb_domain *d);

/* A roadmap template: its exams, each with its domains. The exams keep their
 * weeks; the last one is on the exam day worked out for the new calendar. */
static void emit_exams(struct init *in)
{
    const cb_plan *t = in->t;
    str(in, "exams");
    seq_start(in, false);
    for (int e = 0; e < t->n_exams; e++) {
        const cb_exam *ex = &t->exams[e];
        map_start(in, false);
        kv(in, "id", ex->id);
        kv(in, "name", ex->name);
        if (e == t->n_exams - 1)
            kvd(in, "date", in->exam);
        else
            kvi(in, "week", ex->week);
        kvi(in, "questions", ex->info.questions);
        kvi(in, "minutes", ex->info.minutes);
        kv(in, "passing_score", num(in, ex->info.passing_score));
        str(in, "ready_gate");
        map_start(in, false);
        kv(in, "min_projected", num(in, ex->gate.min_projected));
        kv(in, "domain_floor", num(in, ex->gate.domain_floor));
        kvi(in, "min_attempts", ex->gate.min_attempts);
        map_end(in);
        str(in, "domains");
        seq_start(in, false);
        for (int d = ex->first_domain; d < ex->first_domain + ex->n_domains; d++)
            emit_domain(in, &t->domains[d]);
        seq_end(in);
        map_end(in);
    }
    seq_end(in);
}

static void emit_domain(struct init *in, const cb_domain *d)
{
    map_start(in, false);
    kv(in, "id", d->id);
    kv(in, "name", d->name);
    kv(in, "short", d->short_name);
    if (d->weight_lo == d->weight_hi)
        kv(in, "weight", num(in, d->weight_lo));
    else
        kv(in, "weight",
           arena_printf(in->a, "%s-%s", num(in, d->weight_lo), num(in, d->weight_hi)));
    const cb_resources *r = &d->resources;
    if (r->docs.n || r->course.n || r->extra.n) {
        str(in, "resources");
        map_start(in, false);
        strv(in, "docs", r->docs, false);
        strv(in, "course", r->course, false);
        strv(in, "extra", r->extra, false);
        map_end(in);
    }
    map_end(in);
}

static void emit_domains_pods(struct init *in)
{
    const cb_plan *t = in->t;
    if (t->n_exams > 1) {
        emit_exams(in);
    } else {
        str(in, "domains");
        seq_start(in, false);
        for (int i = 0; i < t->n_domains; i++)
            emit_domain(in, &t->domains[i]);
        seq_end(in);
    }
    if (t->n_pods == 0)
        return;
    /* Members per pod: the people standing for its archetypes; an empty pod
     * goes to whoever is in the fewest pods so far. */
    int *in_pod = arena_alloc(in->a, sizeof *in_pod * (size_t)(t->n_pods * in->n));
    for (int k = 0; k < t->n_pods; k++)
        for (int i = 0; i < in->n; i++)
            for (int j = 0; j < t->pods[k].n_members; j++)
                if (t->pods[k].members[j] == in->pp[i].arche && !in_pod[k * in->n + i]) {
                    in_pod[k * in->n + i] = 1;
                    in->pp[i].n_pods++;
                }
    for (int i = 0; i < in->n; i++)
        if (in->pp[i].n_pods == 0 && t->n_pods > 0) {
            /* an archetype in no pod: join the smallest pod */
            int best = 0, size_best = in->n + 1;
            for (int k = 0; k < t->n_pods; k++) {
                int size = 0;
                for (int j = 0; j < in->n; j++)
                    size += in_pod[k * in->n + j];
                if (size < size_best)
                    best = k, size_best = size;
            }
            in_pod[best * in->n + i] = 1;
            in->pp[i].n_pods++;
        }
    str(in, "pods");
    seq_start(in, false);
    for (int k = 0; k < t->n_pods; k++) {
        const cb_pod *pod = &t->pods[k];
        int count = 0, lead = -1;
        for (int i = 0; i < in->n; i++)
            if (in_pod[k * in->n + i]) {
                count++;
                if (lead < 0 ||
                    (in->pp[i].arche == pod->lead && in->pp[lead].arche != pod->lead))
                    lead = i;
            }
        if (count == 0) {
            int best = 0;
            for (int i = 1; i < in->n; i++)
                if (in->pp[i].n_pods < in->pp[best].n_pods ||
                    (in->pp[i].n_pods == in->pp[best].n_pods &&
                     in->pp[i].level > in->pp[best].level))
                    best = i;
            in_pod[k * in->n + best] = 1;
            in->pp[best].n_pods++;
            lead = best;
            note(in, "pod %s has no archetype member in this team: %s joins and leads it",
                 pod->id, in->pp[best].name);
        }
        map_start(in, false);
        kv(in, "id", pod->id);
        kv(in, "name", pod->name);
        kv(in, "focus", pod->focus);
        kv(in, "lead", in->pp[lead].id);
        str(in, "members");
        seq_start(in, true);
        for (int i = 0; i < in->n; i++)
            if (in_pod[k * in->n + i])
                str(in, in->pp[i].id);
        seq_end(in);
        str(in, "domains");
        seq_start(in, true);
        for (int j = 0; j < pod->n_domains; j++)
            str(in, t->domains[pod->domains[j]].id);
        seq_end(in);
        if (pod->stated_weight >= 0)
            kv(in, "stated_weight", num(in, pod->stated_weight));
        if (pod->teach_week > 0)
            kvi(in, "teach_week", pod->teach_week);
        map_end(in);
    }
    seq_end(in);
}

static void emit_schedule(struct init *in)
{
    const cb_plan *t = in->t;
    str(in, "phases");
    seq_start(in, false);
    for (int i = 0; i < t->n_phases; i++) {
        const cb_phase *ph = &t->phases[i];
        map_start(in, false);
        kv(in, "id", ph->id);
        kv(in, "name", ph->name);
        kv(in, "objective", ph->objective);
        kvr(in, "weeks", ph->weeks);
        map_end(in);
    }
    seq_end(in);
    str(in, "weeks");
    seq_start(in, false);
    for (int w = 0; w < t->n_weeks_defined; w++) {
        const cb_week *wk = &t->weeks[w];
        map_start(in, false);
        kvi(in, "week", wk->number);
        kv(in, "theme", wk->theme);
        strv(in, "activities", wk->activities, true);
        if (wk->n_milestones > 0) {
            str(in, "milestones");
            seq_start(in, false);
            for (int k = 0; k < wk->n_milestones; k++) {
                const cb_milestone *ms = &t->milestones[wk->first_milestone + k];
                map_start(in, false);
                kv(in, "id", ms->id);
                kv(in, "title", ms->title);
                kv(in, "owner", owner_str(in, ms->owner));
                map_end(in);
            }
            seq_end(in);
        }
        map_end(in);
    }
    seq_end(in);
    if (t->n_roles > 0) {
        str(in, "roles");
        seq_start(in, false);
        for (int i = 0; i < in->n; i++)
            for (int r = 0; r < t->n_roles; r++) {
                if (t->roles[r].member != in->pp[i].arche)
                    continue;
                map_start(in, true);
                kv(in, "member", in->pp[i].id);
                kv(in, "phase", t->phases[t->roles[r].phase].id);
                kv(in, "role", t->roles[r].role);
                map_end(in);
            }
        seq_end(in);
    }
}

/* Which side of the mentor pairs a checklist of sync items owned by a track
 * serves: 1 mentors, 2 mentees, 0 neither (an ordinary checklist). */
static int sync_side(const cb_plan *t, const cb_checklist *c)
{
    if (c->owner.kind != CB_OWNER_TRACK || c->n_items == 0 || t->n_mentors == 0)
        return 0;
    for (int i = 0; i < c->n_items; i++) {
        const char *k = t->items[c->first_item + i].kind;
        if (!k || strcmp(k, "sync") != 0)
            return 0;
    }
    bool all_mentors = true, all_mentees = true, any = false;
    for (int m = 0; m < t->n_members; m++) {
        if (t->members[m].track != c->owner.index)
            continue;
        any = true;
        all_mentors = all_mentors && tpl_is_mentor(t, m);
        all_mentees = all_mentees && tpl_is_mentee(t, m);
    }
    return !any ? 0 : all_mentors ? 1 : all_mentees ? 2 : 0;
}

static void emit_items(struct init *in, const cb_checklist *c, const char *suffix)
{
    const cb_plan *t = in->t;
    str(in, "items");
    seq_start(in, false);
    for (int i = 0; i < c->n_items; i++) {
        const cb_item *it = &t->items[c->first_item + i];
        map_start(in, true);
        kv(in, "id", suffix ? arena_printf(in->a, "%s-%s", it->id, suffix) : it->id);
        kv(in, "title", it->title);
        kvi(in, "due", it->due_week);
        if (it->domain >= 0)
            kv(in, "domain", t->domains[it->domain].id);
        kv(in, "kind", it->kind);
        map_end(in);
    }
    seq_end(in);
}

static void emit_checklist(struct init *in, const cb_checklist *c, int who, bool suffix)
{
    map_start(in, false);
    const char *sfx = suffix ? in->pp[who].id : NULL;
    kv(in, "id", sfx ? arena_printf(in->a, "%s-%s", c->id, sfx) : c->id);
    kv(in, "title", sfx ? arena_printf(in->a, "%s: %s", c->title, in->pp[who].name) : c->title);
    kv(in, "owner",
       who >= 0 ? arena_printf(in->a, "member:%s", in->pp[who].id) : owner_str(in, c->owner));
    emit_items(in, c, sfx);
    map_end(in);
}

static void emit_checklists(struct init *in)
{
    const cb_plan *t = in->t;
    if (t->n_checklists == 0)
        return;
    str(in, "checklists");
    seq_start(in, false);
    int *tg = arena_alloc(in->a, sizeof *tg * (size_t)in->n);
    for (int c = 0; c < t->n_checklists; c++) {
        const cb_checklist *cl = &t->checklists[c];
        int side = sync_side(t, cl);
        if (side) {
            /* one copy per mentor (or mentee) of the new pairs */
            int copies = 0;
            for (int i = 0; i < in->n; i++) {
                bool on = false;
                for (int k = 0; k < in->n_pairs && !on; k++)
                    on = (side == 1 ? in->pairs[k].mentor : in->pairs[k].mentee) == i;
                if (on) {
                    emit_checklist(in, cl, i, true);
                    copies++;
                }
            }
            if (copies == 0)
                note(in, "checklist %s (mentor syncs) left out: this team has no mentor pairs",
                     cl->id);
        } else if (cl->owner.kind == CB_OWNER_MEMBER) {
            int n = targets(in, cl->owner.index, tg);
            for (int k = 0; k < n; k++)
                emit_checklist(in, cl, tg[k], n > 1);
        } else {
            emit_checklist(in, cl, -1, false);
        }
    }
    seq_end(in);
}

static const char *const weekdays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

static void emit_session(struct init *in, const cb_session *s, const char *id,
                         const char *title, int weekday, const char *owner)
{
    static const char *const kinds[] = {"mentor",   "teach",   "practice-exam",
                                        "strategy", "standup", "other"};
    map_start(in, true);
    kv(in, "id", id);
    kv(in, "title", title);
    kv(in, "kind", kinds[s->kind]);
    kvr(in, "weeks", s->weeks);
    kv(in, "weekday", weekdays[weekday]);
    kv(in, "time",
       arena_printf(in->a, "%02d:%02d", s->start_minute / 60, s->start_minute % 60));
    kvi(in, "minutes", s->minutes);
    kv(in, "owner", owner);
    map_end(in);
}

static void emit_sessions(struct init *in)
{
    const cb_plan *t = in->t;
    if (t->n_sessions == 0)
        return;
    str(in, "sessions");
    seq_start(in, false);
    const cb_session *model = NULL;
    for (int i = 0; i < t->n_sessions; i++) {
        const cb_session *s = &t->sessions[i];
        if (s->kind == CB_SESSION_MENTOR && t->n_mentors > 0) {
            if (!model)
                model = s;
            continue; /* made anew from the pairs below */
        }
        emit_session(in, s, s->id, s->title, s->weekday, owner_str(in, s->owner));
    }
    for (int k = 0; model && k < in->n_pairs; k++) {
        const struct person *m = &in->pp[in->pairs[k].mentor],
                            *e = &in->pp[in->pairs[k].mentee];
        int wd = (model->weekday + k) % 5;
        emit_session(in, model, arena_printf(in->a, "sync-%s-%s", m->id, e->id),
                     arena_printf(in->a, "Mentor sync: %s and %s", m->name, e->name), wd,
                     arena_printf(in->a, "member:%s", m->id));
    }
    seq_end(in);
}

static int emit_plan(struct init *in)
{
    yaml_event_t ev;
    yaml_emitter_initialize(&in->em);
    yaml_emitter_set_output(&in->em, write_handler, in);
    yaml_emitter_set_unicode(&in->em, 1);
    yaml_emitter_set_width(&in->em, 100);
    yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
    emit(in, &ev);
    yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
    emit(in, &ev);
    map_start(in, false);
    emit_meta(in);
    emit_team(in);
    emit_domains_pods(in);
    emit_schedule(in);
    emit_checklists(in);
    emit_sessions(in);
    map_end(in);
    yaml_document_end_event_initialize(&ev, 1);
    emit(in, &ev);
    yaml_stream_end_event_initialize(&ev);
    emit(in, &ev);
    yaml_emitter_flush(&in->em);
    bool failed = in->failed;
    if (failed)
        fprintf(stderr, "certboard init: cannot write YAML: %s\n",
                in->em.problem ? in->em.problem : "out of memory");
    yaml_emitter_delete(&in->em);
    return failed ? -1 : 0;
}

/* --- the command ---------------------------------------------------------------- */

static int usage_to(FILE *out)
{
    fprintf(out,
            "usage: certboard init [--template NAME|FILE] (--member \"NAME[:LEVEL]\"... | "
            "--members "
            "\"A:LEVEL,B:LEVEL\" | --members-file FILE)\n"
            "                      [--start MONDAY] [--lead NAME] [--exam-date DATE] "
            "[--skip-weeks DATE,...]\n"
            "                      [--id ID] [--title TEXT] [-o FILE [--store DIR]] [--force]\n"
            "  without options in a terminal, it asks for each answer\n"
            "  --store DIR: create the team's store there and write the config file\n"
            "  templates: de-professional (default), ml-associate, certification-roadmap\n"
            "  LEVEL: novice, intermediate or experienced (default: the template's mix)\n");
    return 2;
}

static int usage(void)
{
    return usage_to(stderr);
}

static const char *template_path(cb_opts *o, const char *name)
{
    if (strchr(name, '/') || strstr(name, ".yaml"))
        return name;
    const char *def = config_default_plan(o);
    const char *slash = strrchr(def, '/');
    int dir = slash ? (int)(slash - def) : 0;
    return slash ? arena_printf(o->arena, "%.*s/%s.yaml", dir, def, name)
                 : arena_printf(o->arena, "%s.yaml", name);
}

static int find_person(struct init *in, const char *s)
{
    for (int i = 0; i < in->n; i++)
        if (strcasecmp(in->pp[i].id, s) == 0 || strcasecmp(in->pp[i].name, s) == 0)
            return i;
    for (int i = 0; i < in->n; i++) {
        size_t n = strlen(s);
        if (strncasecmp(in->pp[i].name, s, n) == 0 && in->pp[i].name[n] == ' ')
            return i;
    }
    return -1;
}

static int parse_breaks(struct init *in, const char *list)
{
    char *copy = arena_strndup(in->a, list, strlen(list)), *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        cb_day d;
        if (!date_parse(trim(tok), &d))
            return cli_fail(-1, "init", "bad date '%s' in --skip-weeks (want YYYY-MM-DD)",
                            trim(tok));
        if (in->n_breaks >= 104)
            return cli_fail(-1, "init", "too many breaks");
        in->breaks[in->n_breaks++] = monday_of(d);
    }
    return 0;
}

static int cmp_day(const void *a, const void *b)
{
    cb_day x = *(const cb_day *)a, y = *(const cb_day *)b;
    return (x > y) - (x < y);
}

/* --- interactive ------------------------------------------------------------ */

/* One answer from the terminal, trimmed; def when empty; NULL at end of input. */
static const char *prompt(struct init *in, const char *question, const char *def)
{
    char line[512];
    bool show = def && *def;
    fprintf(stderr, "%s%s%s%s: ", question, show ? " [" : "", show ? def : "", show ? "]" : "");
    fflush(stderr);
    if (!fgets(line, sizeof line, stdin))
        return NULL;
    char *t = trim(line);
    return *t ? arena_strndup(in->a, t, strlen(t)) : def;
}

/* `certboard init` in a terminal without options asks for what it needs. */
static int ask(struct init *in, cb_opts *o, const char **tpl, const char **start,
               const char **skip, const char **out)
{
    char monday[11];
    date_format(monday_of(o->today) + 7, monday);
    fprintf(stderr, "certboard init: a plan for your team from a bundled template "
                    "(Ctrl-D to stop).\n");
    const char *v =
        prompt(in, "Template (de-professional, ml-associate, certification-roadmap)", *tpl);
    if (!v)
        return -1;
    *tpl = v;
    if (!(v = prompt(in, "First Monday (YYYY-MM-DD)", monday)))
        return -1;
    *start = v;
    fprintf(stderr, "Members, one a line as NAME or NAME:LEVEL (novice, intermediate, "
                    "experienced); an empty line ends the list.\n");
    for (int tries = 0; tries < 1000 && in->n < MAX_TEAM; tries++) {
        v = prompt(in, in->n == 0 ? "Member" : "Member (empty: done)", "");
        if (!v || (!*v && in->n > 0))
            break;
        if (*v)
            add_person(in, v); /* on a bad line the message says why; ask again */
    }
    if (in->n == 0)
        return -1;
    v = prompt(in, "Weeks to skip, any day of each, comma-separated (none)", "");
    *skip = v && *v ? v : NULL;
    if (!(v = prompt(in, "Write the plan to", "team.yaml")))
        return -1;
    *out = v;
    return 0;
}

/* --- store and config file ------------------------------------------------------ */

/* Writes a YAML double-quoted string. */
static void put_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* Opens the store once (creating it and its shards directory as the team's
 * share wants them) and writes the config file naming the plan and the store. */
static int setup_store(struct init *in, cb_opts *o, const char *plan_file, const char *dir,
                       bool force)
{
    char *plan_abs = realpath(plan_file, NULL);
    const char *store_abs = dir;
    char cwd[4096];
    if (dir[0] != '/' && !store_is_server(dir) && getcwd(cwd, sizeof cwd))
        store_abs = arena_printf(in->a, "%s/%s", cwd, dir);
    for (const char *c = store_abs; *c; c++)
        if ((unsigned char)*c < 0x20) {
            free(plan_abs);
            return cli_fail(2, "init", "the store path contains control characters");
        }
    cb_store_opts so = {.dir = store_abs, .plan_id = in->id};
    cb_diags d;
    diags_init(&d);
    cb_store *s = store_open(&so, &d);
    diags_print(&d, stderr);
    diags_free(&d);
    int rc = 0;
    if (!s) {
        rc = cli_fail(1, "init", "cannot open the store %s", store_abs);
    } else {
        enum cb_store_state st = store_state(s);
        fprintf(stderr, "certboard init: store %s: %s\n", store_abs, store_state_name(st));
        if (st != CB_STORE_SHARED)
            rc = 1;
        store_close(s);
    }
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    const char *cfg_dir = xdg && xdg[0] == '/'
                              ? arena_printf(in->a, "%s/certboard", xdg)
                              : arena_printf(in->a, "%s/.config/certboard", home ? home : ".");
    const char *cfg = arena_printf(in->a, "%s/config.yaml", cfg_dir);
    if (rc == 0 && plan_abs) {
        if (!force && access(cfg, F_OK) == 0) {
            fprintf(stderr,
                    "certboard init: %s exists, left alone (--force replaces it); put in it:\n"
                    "  plan: %s\n  store: %s\n",
                    cfg, plan_abs, store_abs);
        } else {
            char *mk = (char *)arena_printf(in->a, "%s", cfg_dir);
            for (char *p = mk + 1; *p; p++)
                if (*p == '/') {
                    *p = '\0';
                    mkdir(mk, 0777);
                    *p = '/';
                }
            mkdir(mk, 0777);
            FILE *f = fopen(cfg, "w");
            if (!f) {
                rc = cli_fail(1, "init", "cannot write %s: %s", cfg, strerror(errno));
            } else {
                fputs("# written by certboard init\nplan: ", f);
                put_quoted(f, plan_abs);
                fputs("\nstore: ", f);
                put_quoted(f, store_abs);
                fputc('\n', f);
                if (fclose(f) != 0)
                    rc = cli_fail(1, "init", "cannot write %s: %s", cfg, strerror(errno));
                else
                    fprintf(stderr, "certboard init: wrote %s (plan and store)\n", cfg);
            }
        }
    }
    free(plan_abs);
    return rc;
}

int cmd_init(cb_opts *o, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        usage_to(stdout);
        return 0;
    }
    struct init in = {0};
    in.a = o->arena;
    in.pp = arena_alloc(in.a, sizeof *in.pp * MAX_TEAM);
    in.breaks = arena_alloc(in.a, sizeof *in.breaks * 105);
    const char *tpl = "de-professional", *start = NULL, *lead = NULL, *exam = NULL, *out = NULL;
    const char *store = NULL;
    const char *skips[16];
    int n_skips = 0;
    bool force = false;
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        int r;
        if ((r = cli_opt_value("--template", argc, argv, &i, &v)) != 0) {
            tpl = v;
        } else if ((r = cli_opt_value("--members-file", argc, argv, &i, &v)) != 0) {
            if (r > 0 && add_file(&in, v) != 0)
                return 2;
        } else if ((r = cli_opt_value("--members", argc, argv, &i, &v)) != 0) {
            if (r > 0 && add_list(&in, v) != 0)
                return 2;
        } else if ((r = cli_opt_value("--member", argc, argv, &i, &v)) != 0) {
            if (r > 0 && add_person(&in, v) != 0)
                return 2;
        } else if ((r = cli_opt_value("--start", argc, argv, &i, &v)) != 0) {
            start = v;
        } else if ((r = cli_opt_value("--lead", argc, argv, &i, &v)) != 0) {
            lead = v;
        } else if ((r = cli_opt_value("--exam-date", argc, argv, &i, &v)) != 0) {
            exam = v;
        } else if ((r = cli_opt_value("--skip-weeks", argc, argv, &i, &v)) != 0 ||
                   (r = cli_opt_value("--break", argc, argv, &i, &v)) != 0) {
            if (r > 0 && n_skips < 16)
                skips[n_skips++] = v;
        } else if ((r = cli_opt_value("--store", argc, argv, &i, &v)) != 0) {
            store = v;
        } else if ((r = cli_opt_value("--id", argc, argv, &i, &v)) != 0) {
            in.id = v;
        } else if ((r = cli_opt_value("--title", argc, argv, &i, &v)) != 0) {
            in.title = v;
        } else if ((r = cli_opt_value("-o", argc, argv, &i, &v)) != 0 ||
                   (r = cli_opt_value("--output", argc, argv, &i, &v)) != 0) {
            out = v;
        } else if (strcmp(argv[i], "--force") == 0) {
            r = 1;
            force = true;
        } else {
            cli_fail(2, "init", "unknown argument '%s'", argv[i]);
            return usage();
        }
        if (r < 0) {
            cli_fail(2, "init", "option %s needs a value", argv[i]);
            return usage();
        }
    }
    if (in.n == 0 && argc == 1 && isatty(STDIN_FILENO)) {
        if (ask(&in, o, &tpl, &start, &skips[0], &out) != 0)
            return 2;
        n_skips = skips[0] ? 1 : 0;
    }
    if (store && (!out || strcmp(out, "-") == 0)) {
        cli_fail(2, "init", "--store needs -o FILE (the config file names the plan file)");
        return usage();
    }
    if (in.n == 0) {
        cli_fail(2, "init",
                 "name the team: --member \"NAME[:LEVEL]\" (repeat), --members "
                 "\"A,B,C\" or --members-file FILE");
        return usage();
    }
    for (int k = 0; k < n_skips; k++)
        if (parse_breaks(&in, skips[k]) != 0)
            return 2;

    /* The start: a Monday (a later day moves to the next Monday). */
    cb_day d0 = o->today;
    if (start && !date_parse(start, &d0))
        return cli_fail(2, "init", "bad --start '%s' (want YYYY-MM-DD)", start);
    in.start = date_weekday(d0) == 0 ? d0 : monday_of(d0) + 7;
    if (in.start != d0 && start) {
        char b[11];
        date_format(in.start, b);
        note(&in, "start moved from %s to Monday %s", start, b);
    }
    qsort(in.breaks, (size_t)in.n_breaks, sizeof *in.breaks, cmp_day);
    int nb = 0;
    for (int k = 0; k < in.n_breaks; k++) {
        char b[11];
        date_format(in.breaks[k], b);
        if (in.breaks[k] <= in.start)
            return cli_fail(2, "init", "--skip-weeks %s is not after the start", b);
        if (nb > 0 && in.breaks[nb - 1] == in.breaks[k])
            continue;
        in.breaks[nb++] = in.breaks[k];
    }
    in.n_breaks = nb;

    const char *path = template_path(o, tpl);
    cb_diags d;
    diags_init(&d);
    cb_plan *t = plan_load_file(path, &d);
    if (!t || diags_errors(&d) > 0) {
        diags_print(&d, stderr);
        diags_free(&d);
        plan_free(t);
        return cli_fail(1, "init", "template '%s' (%s) is not a valid plan", tpl, path);
    }
    diags_free(&d);
    in.t = t;
    if (!in.id)
        in.id = t->id;

    map_people(&in);
    in.lead = -1;
    if (lead) {
        in.lead = find_person(&in, lead);
        if (in.lead < 0) {
            plan_free(t);
            return cli_fail(2, "init", "--lead '%s' is not one of the members", lead);
        }
    } else {
        for (int i = 0; i < in.n && in.lead < 0; i++)
            if (in.pp[i].arche == t->lead)
                in.lead = i;
        for (int i = 0; i < in.n && in.lead < 0; i++)
            if (in.pp[i].level == CB_EXPERIENCED)
                in.lead = i;
        if (in.lead < 0)
            in.lead = 0;
    }
    make_pairs(&in);

    /* The exam: the template's week and weekday in the new calendar, on a weekday. */
    if (exam) {
        if (!date_parse(exam, &in.exam)) {
            plan_free(t);
            return cli_fail(2, "init", "bad --exam-date '%s' (want YYYY-MM-DD)", exam);
        }
        if (in.exam < in.start) {
            plan_free(t);
            return cli_fail(2, "init", "--exam-date %s is before the start", exam);
        }
        in.exam = weekday_exam(&in, in.exam);
        int before = t->n_exams > 1 ? t->exams[t->n_exams - 2].week : 0;
        if (before > 0 && in.exam < week_start(&in, before) + 7) {
            int rc = cli_fail(2, "init",
                              "--exam-date %s is not after week %d, the week of exam '%s' "
                              "(it moves the last exam of the roadmap)",
                              exam, before, t->exams[t->n_exams - 2].id);
            plan_free(t);
            return rc;
        }
    } else {
        cb_day te = plan_exam_day(t);
        int wk = plan_week_of_day(t, te);
        if (wk < 1)
            wk = 1;
        if (wk > t->n_weeks)
            wk = t->n_weeks;
        in.exam = week_start(&in, wk) + (te - plan_week_start(t, wk));
        if (date_weekday(in.exam) >= 5) {
            cb_day f = in.exam - (date_weekday(in.exam) - 4);
            char b[11];
            date_format(f, b);
            note(&in, "exam on Friday %s of week %d (the template's fell on a weekend)", b, wk);
            in.exam = f;
        }
    }

    int rc = emit_plan(&in);
    if (rc == 0) {
        /* Load what was written: it must be a valid plan without warnings. */
        diags_init(&d);
        cb_plan *np = plan_load_buffer(out ? out : "<init>", in.buf, in.len, &d);
        if (!np || diags_errors(&d) > 0 || d.n > 0) {
            diags_print(&d, stderr);
            rc = cli_fail(1, "init", "the generated plan does not validate cleanly (a bug)");
        }
        plan_free(np);
        diags_free(&d);
    }
    if (rc == 0) {
        FILE *f = stdout;
        if (out && strcmp(out, "-") != 0) {
            if (!force && access(out, F_OK) == 0) {
                rc = cli_fail(1, "init", "%s exists (--force to overwrite)", out);
                f = NULL;
            } else if (!(f = fopen(out, "w"))) {
                rc = cli_fail(1, "init", "cannot write %s: %s", out, strerror(errno));
            }
        }
        if (f) {
            char b[11];
            date_format(in.start, b);
            fprintf(f, "# %s for a team of %d, from the template '%s' (certboard init).\n",
                    t->certification, in.n, t->id);
            fprintf(f, "# Starts Monday %s. Members and the archetype each stands for:\n", b);
            for (int i = 0; i < in.n; i++)
                fprintf(f, "#   %s (%s, %s): %s\n", in.pp[i].name, in.pp[i].id,
                        plan_level_name((enum cb_level)in.pp[i].level),
                        t->members[in.pp[i].arche].name);
            for (int k = 0; k < in.n_notes; k++)
                fprintf(f, "# Note: %s\n", in.notes[k]);
            fwrite(in.buf, 1, in.len, f);
            if (f != stdout && fclose(f) != 0)
                rc = cli_fail(1, "init", "cannot write %s: %s", out, strerror(errno));
        }
        for (int k = 0; k < in.n_notes; k++)
            fprintf(stderr, "certboard init: note: %s\n", in.notes[k]);
        if (rc == 0 && out && strcmp(out, "-") != 0)
            fprintf(stderr,
                    "certboard init: wrote %s (%d members, lead %s); check it with: certboard "
                    "validate %s\n",
                    out, in.n, in.pp[in.lead].id, out);
        if (rc == 0 && store)
            rc = setup_store(&in, o, out, store, force);
    }
    free(in.buf);
    plan_free(t);
    return rc;
}

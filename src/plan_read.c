/* plan_read.c — the plan's node tree to cb_plan: known keys, required keys,
 * value types and formats (ids, numbers, dates, week ranges, owners).
 *
 * Every problem is reported at the position of the node that causes it and
 * reading goes on, so one run shows them all. References by id are recorded
 * (plan_build.refs) and resolved by plan_check.c once every id is known. Week
 * numbers are checked against the plan's length here, where their positions
 * are at hand; that is why the `plan` map is read first. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "certboard/text.h"
#include "plan_impl.h"

/* ---- diagnostics ---------------------------------------------------------- */

static void vreport(struct plan_build *b, enum cb_severity sev, cb_pos pos, const char *fmt,
                    va_list ap)
{
    char msg[900];
    vsnprintf(msg, sizeof msg, fmt, ap);
    diags_add(b->d, sev, b->file, pos.line, pos.col, "%s", msg);
}

void plan_error(struct plan_build *b, cb_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(b, CB_ERROR, pos, fmt, ap);
    va_end(ap);
}

void plan_warning(struct plan_build *b, cb_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(b, CB_WARNING, pos, fmt, ap);
    va_end(ap);
}

/* ---- keys ----------------------------------------------------------------- */

static const char *type_name(const ynode *n)
{
    return n->kind == YN_MAP ? "map" : n->kind == YN_SEQ ? "list" : "string";
}

/* Warns about every key of map that is not in keys (NULL-terminated), with
 * the nearest known key suggested when one is close. */
static void check_keys(struct plan_build *b, const ynode *map, const char *what,
                       const char *const *keys)
{
    for (int i = 0; i < map->n; i++) {
        const ynode *k = map->key[i];
        if (k->kind != YN_SCALAR)
            continue;
        bool known = false;
        for (const char *const *kk = keys; *kk && !known; kk++)
            known = strcmp(k->s, *kk) == 0;
        if (known)
            continue;
        /* a file full of unknown keys gets plain warnings after the first 100 */
        const char *best = NULL;
        int best_d = 3;
        for (const char *const *kk = keys; *kk && b->n_unknown_keys < 100; kk++) {
            int dist = text_edit_distance(k->s, *kk);
            if (dist < best_d && dist < (int)strlen(*kk)) {
                best_d = dist;
                best = *kk;
            }
        }
        b->n_unknown_keys++;
        if (best)
            plan_warning(b, k->pos, "unknown key '%s' in %s (did you mean '%s'?)", k->s, what,
                         best);
        else
            plan_warning(b, k->pos, "unknown key '%s' in %s", k->s, what);
    }
}

static const ynode *field(const ynode *map, const char *key)
{
    for (int i = 0; i < map->n; i++)
        if (map->key[i]->kind == YN_SCALAR && strcmp(map->key[i]->s, key) == 0)
            return map->val[i];
    return NULL;
}

/* The value of key, if present, not null and of the wanted kind. */
static const ynode *get(struct plan_build *b, const ynode *map, const char *key,
                        const char *where, bool required, enum yn_kind want)
{
    const ynode *n = field(map, key);
    if (!n || n->null) {
        if (required)
            plan_error(b, map->pos, "missing required key '%s' in %s", key, where);
        return NULL;
    }
    if (n->kind != want) {
        static const char *const wanted[] = {"a string", "a list", "a map"};
        plan_error(b, n->pos, "'%s' in %s must be %s, not a %s", key, where, wanted[want],
                   type_name(n));
        return NULL;
    }
    return n;
}

enum { OPT = 0, REQ = 1 };

static const char *get_str(struct plan_build *b, const ynode *map, const char *key,
                           const char *where, bool required)
{
    const ynode *n = get(b, map, key, where, required, YN_SCALAR);
    return n ? n->s : NULL;
}

static bool valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || !isalnum((unsigned char)s[0]))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
            return false;
    return true;
}

/* A login is an OS user name and, on a server, a PostgreSQL role: letters,
 * digits, '.', '_', '-' and '@' (domain users), nothing a shell, SQL or a
 * path could read another way. */
static bool valid_login(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || !(isalnum((unsigned char)s[0]) || s[0] == '_'))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("._-@", s[i]))
            return false;
    return true;
}

static void check_id(struct plan_build *b, const char *id, cb_pos pos)
{
    if (!valid_id(id))
        plan_error(b, pos,
                   "malformed id '%s' (ids are letters, digits, '.', '_' and '-', starting "
                   "with a letter or digit, at most 64 characters)",
                   id);
}

static const char *get_id(struct plan_build *b, const ynode *map, const char *where)
{
    const ynode *n = get(b, map, "id", where, REQ, YN_SCALAR);
    if (!n)
        return NULL;
    check_id(b, n->s, n->pos);
    return n->s;
}

/* Strict decimal numbers: [-]digits[.digits][%]. The value is computed here,
 * not by strtod(), whose decimal point is the locale's (a German locale reads
 * "60.5" as 60): plans read the same everywhere. */
static bool parse_number(const char *s, double *out)
{
    const char *p = s;
    bool neg = *p == '-';
    if (neg)
        p++;
    if (!isdigit((unsigned char)*p))
        return false;
    double v = 0, scale = 1;
    while (isdigit((unsigned char)*p))
        v = v * 10 + (*p++ - '0');
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return false;
        /* digits after the point as one integer, divided once: 60.5 is exactly 605 / 10 */
        while (isdigit((unsigned char)*p)) {
            v = v * 10 + (*p++ - '0');
            scale *= 10;
        }
    }
    if (*p == '%')
        p++;
    if (*p || p - s > 20)
        return false;
    *out = (neg ? -v : v) / scale;
    return true;
}

static bool parse_int(const char *s, int *out)
{
    double v;
    if (!parse_number(s, &v) || strchr(s, '.') || strchr(s, '%') || v > 1e9 || v < -1e9)
        return false;
    *out = (int)v;
    return true;
}

static int get_int(struct plan_build *b, const ynode *map, const char *key, const char *where,
                   bool required, int lo, int hi, int def)
{
    const ynode *n = get(b, map, key, where, required, YN_SCALAR);
    int v;
    if (!n)
        return def;
    if (!parse_int(n->s, &v)) {
        plan_error(b, n->pos, "'%s' in %s must be a whole number, not '%s'", key, where, n->s);
        return def;
    }
    if (v < lo || v > hi) {
        plan_error(b, n->pos, "'%s' in %s must be between %d and %d, not %d", key, where, lo,
                   hi, v);
        return def;
    }
    return v;
}

static double get_num(struct plan_build *b, const ynode *map, const char *key,
                      const char *where, bool required, double lo, double hi, double def)
{
    const ynode *n = get(b, map, key, where, required, YN_SCALAR);
    double v;
    if (!n)
        return def;
    if (!parse_number(n->s, &v)) {
        plan_error(b, n->pos, "'%s' in %s must be a number, not '%s'", key, where, n->s);
        return def;
    }
    if (v < lo || v > hi) {
        plan_error(b, n->pos, "'%s' in %s must be between %g and %g, not %g", key, where, lo,
                   hi, v);
        return def;
    }
    return v;
}

static cb_strv strv_of(struct plan_build *b, const ynode *list, const char *key,
                       const char *where)
{
    cb_strv v = {arena_alloc(b->a, (size_t)list->n * sizeof(char *)), 0};
    for (int i = 0; i < list->n; i++) {
        const ynode *e = list->val[i];
        if (e->kind != YN_SCALAR)
            plan_error(b, e->pos, "each entry of '%s' in %s must be a string, not a %s", key,
                       where, type_name(e));
        else if (!e->null)
            v.v[v.n++] = e->s;
    }
    return v;
}

static cb_strv get_strv(struct plan_build *b, const ynode *map, const char *key,
                        const char *where)
{
    const ynode *n = get(b, map, key, where, OPT, YN_SEQ);
    return n ? strv_of(b, n, key, where) : (cb_strv){NULL, 0};
}

static const ynode *get_list(struct plan_build *b, const ynode *map, const char *key,
                             const char *where, bool required)
{
    return get(b, map, key, where, required, YN_SEQ);
}

static const char *get_date(struct plan_build *b, const ynode *map, const char *key,
                            const char *where, bool required, cb_day *out)
{
    const ynode *n = get(b, map, key, where, required, YN_SCALAR);
    if (n && !date_parse(n->s, out)) {
        plan_error(b, n->pos, "bad date '%s' for '%s' in %s (expected YYYY-MM-DD)", n->s, key,
                   where);
        return NULL;
    }
    return n ? n->s : NULL;
}

static enum cb_level get_level(struct plan_build *b, const ynode *map, const char *where,
                               bool required)
{
    static const char *const names[] = {"novice", "intermediate", "experienced"};
    const ynode *n = get(b, map, "level", where, required, YN_SCALAR);
    if (!n)
        return CB_NOVICE;
    for (int i = 0; i < 3; i++)
        if (strcmp(n->s, names[i]) == 0)
            return (enum cb_level)i;
    plan_error(b, n->pos,
               "unknown level '%s' in %s (expected novice, intermediate or experienced)", n->s,
               where);
    return CB_NOVICE;
}

/* ---- references and weeks ------------------------------------------------ */

static void add_ref(struct plan_build *b, enum ref_kind kind, const char *id, cb_pos pos,
                    int *slot, const char *where)
{
    *slot = -1;
    if (b->n_refs == b->cap_refs) {
        b->cap_refs = b->cap_refs ? b->cap_refs * 2 : 64;
        b->refs = xrealloc(b->refs, (size_t)b->cap_refs * sizeof *b->refs);
    }
    b->refs[b->n_refs++] = (struct plan_ref){kind, id, pos, slot, where};
}

static void get_ref(struct plan_build *b, const ynode *map, const char *key, const char *where,
                    bool required, enum ref_kind kind, int *slot)
{
    *slot = -1;
    const ynode *n = get(b, map, key, where, required, YN_SCALAR);
    if (n)
        add_ref(b, kind, n->s, n->pos, slot, where);
}

/* A list of ids into a new int array of references. */
static int *get_refs(struct plan_build *b, const ynode *map, const char *key, const char *where,
                     bool required, enum ref_kind kind, int *count)
{
    const ynode *n = get_list(b, map, key, where, required);
    *count = 0;
    if (!n)
        return NULL;
    int *v = arena_alloc(b->a, (size_t)n->n * sizeof *v);
    for (int i = 0; i < n->n; i++) {
        const ynode *e = n->val[i];
        if (e->kind != YN_SCALAR || e->null) {
            plan_error(b, e->pos, "each entry of '%s' in %s must be an id, not a %s", key,
                       where, e->null ? "null" : type_name(e));
            continue;
        }
        add_ref(b, kind, e->s, e->pos, &v[*count], where);
        ++*count;
    }
    return v;
}

static void check_weeks(struct plan_build *b, cb_range r, cb_pos pos, const char *where)
{
    int n = b->p->n_weeks;
    if (n <= 0 || (r.lo >= 1 && r.hi <= n))
        return;
    if (r.lo == r.hi)
        plan_error(b, pos, "week %d in %s is outside the plan (weeks 1-%d)", r.lo, where, n);
    else
        plan_error(b, pos, "weeks %d-%d in %s are outside the plan (weeks 1-%d)", r.lo, r.hi,
                   where, n);
}

static bool parse_range(const char *s, cb_range *r)
{
    char *end;
    const char *p = s;
    while (*p == ' ')
        p++;
    if (!isdigit((unsigned char)*p))
        return false;
    long lo = strtol(p, &end, 10), hi = lo;
    p = end;
    while (*p == ' ')
        p++;
    if (*p == '-') {
        p++;
        while (*p == ' ')
            p++;
        if (!isdigit((unsigned char)*p))
            return false;
        hi = strtol(p, &end, 10);
        p = end;
        while (*p == ' ')
            p++;
    }
    if (*p || lo > 1000 || hi > 1000 || lo > hi)
        return false;
    *r = (cb_range){(int)lo, (int)hi};
    return true;
}

/* A week number or range "a-b", checked against the plan's length. */
static bool get_range(struct plan_build *b, const ynode *map, const char *key,
                      const char *where, bool required, cb_range *out, cb_pos *pos)
{
    const ynode *n = get(b, map, key, where, required, YN_SCALAR);
    if (!n)
        return false;
    if (pos)
        *pos = n->pos;
    if (!parse_range(n->s, out)) {
        plan_error(
            b, n->pos,
            "bad week range '%s' for '%s' in %s (expected a week number or \"FIRST-LAST\")",
            n->s, key, where);
        return false;
    }
    check_weeks(b, *out, n->pos, where);
    return true;
}

static int get_week(struct plan_build *b, const ynode *map, const char *key, const char *where,
                    bool required, int def)
{
    const ynode *n = get(b, map, key, where, required, YN_SCALAR);
    int w;
    if (!n)
        return def;
    if (!parse_int(n->s, &w)) {
        plan_error(b, n->pos, "'%s' in %s must be a week number, not '%s'", key, where, n->s);
        return def;
    }
    check_weeks(b, (cb_range){w, w}, n->pos, where);
    return w;
}

/* Owners: team (the default), member:ID, pod:ID, track:ID. */
static void read_owner(struct plan_build *b, const ynode *map, const char *where, cb_owner *o)
{
    static const struct {
        const char *prefix;
        enum cb_owner_kind kind;
        enum ref_kind ref;
    } kinds[] = {{"member:", CB_OWNER_MEMBER, REF_MEMBER},
                 {"pod:", CB_OWNER_POD, REF_POD},
                 {"track:", CB_OWNER_TRACK, REF_TRACK}};
    *o = (cb_owner){CB_OWNER_TEAM, -1};
    const ynode *n = get(b, map, "owner", where, OPT, YN_SCALAR);
    if (!n || strcmp(n->s, "team") == 0)
        return;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        size_t len = strlen(kinds[i].prefix);
        if (strncmp(n->s, kinds[i].prefix, len) == 0) {
            o->kind = kinds[i].kind;
            add_ref(b, kinds[i].ref, n->s + len, n->pos, &o->index,
                    arena_printf(b->a, "owner of %s", where));
            return;
        }
    }
    plan_error(b, n->pos, "bad owner '%s' in %s (expected team, member:ID, pod:ID or track:ID)",
               n->s, where);
}

/* "pod 'pod2'", or "pod #2" while its id is unknown. */
static const char *name_of(struct plan_build *b, const char *kind, const char *id, int i)
{
    return id ? arena_printf(b->a, "%s '%s'", kind, id)
              : arena_printf(b->a, "%s #%d", kind, i + 1);
}

/* The entries of a list that are maps; others are reported. */
static bool entry_ok(struct plan_build *b, const ynode *e, const char *list)
{
    if (e->kind == YN_MAP)
        return true;
    plan_error(b, e->pos, "each entry of '%s' must be a map, not a %s", list, type_name(e));
    return false;
}

static size_t n_of(const ynode *list)
{
    return list ? (size_t)list->n : 0;
}

/* ---- entities ------------------------------------------------------------- */

/* breaks: the first days of calendar weeks without plan work (holidays). Each
 * falls on a week boundary after the start; the plan weeks after it move on
 * by a week. Kept sorted. */
static void read_breaks(struct plan_build *b, const ynode *m)
{
    cb_plan *p = b->p;
    const ynode *list = get_list(b, m, "breaks", "'plan'", OPT);
    if (!list || list->n == 0)
        return;
    p->breaks = arena_alloc(b->a, sizeof *p->breaks * (size_t)list->n);
    for (int i = 0; i < list->n; i++) {
        const ynode *n = list->val[i];
        cb_day d;
        if (n->kind != YN_SCALAR || !date_parse(n->s, &d)) {
            plan_error(b, n->pos, "bad break '%s' in 'plan' (expected a date YYYY-MM-DD)",
                       n->kind == YN_SCALAR ? n->s : type_name(n));
            continue;
        }
        if (p->start && (d <= p->start || (d - p->start) % 7 != 0)) {
            plan_error(b, n->pos,
                       "break %s must start a week of the plan (a multiple of 7 days after "
                       "the start)",
                       n->s);
            continue;
        }
        int j = 0;
        while (j < p->n_breaks && p->breaks[j] < d)
            j++;
        if (j < p->n_breaks && p->breaks[j] == d) {
            plan_error(b, n->pos, "break %s is listed twice", n->s);
            continue;
        }
        memmove(p->breaks + j + 1, p->breaks + j,
                sizeof *p->breaks * (size_t)(p->n_breaks - j));
        p->breaks[j] = d;
        p->n_breaks++;
    }
}

static void read_gate(struct plan_build *b, const ynode *g, cb_gate *gate)
{
    static const char *const gate_keys[] = {"min_projected", "domain_floor", "min_attempts",
                                            NULL};
    check_keys(b, g, "ready_gate", gate_keys);
    gate->min_projected =
        get_num(b, g, "min_projected", "'ready_gate'", OPT, 0, 100, gate->min_projected);
    gate->domain_floor = get_num(b, g, "domain_floor", "'ready_gate'", OPT, 0, 100, 0);
    gate->min_attempts = get_int(b, g, "min_attempts", "'ready_gate'", OPT, 0, 1000, 1);
}

static void read_plan_meta(struct plan_build *b, const ynode *m)
{
    static const char *const keys[] = {
        "id",   "title", "certification", "description", "start", "weeks",
        "lead", "exam",  "ready_gate",    "breaks",      NULL};
    static const char *const exam_keys[] = {"questions", "minutes", "passing_score", "date",
                                            NULL};
    cb_plan *p = b->p;
    check_keys(b, m, "plan", keys);
    p->id = get_id(b, m, "'plan'");
    p->title = get_str(b, m, "title", "'plan'", REQ);
    p->certification = get_str(b, m, "certification", "'plan'", REQ);
    p->description = get_str(b, m, "description", "'plan'", OPT);
    get_date(b, m, "start", "'plan'", REQ, &p->start);
    p->n_weeks = get_int(b, m, "weeks", "'plan'", REQ, 1, 104, 0);
    get_ref(b, m, "lead", "'plan'", REQ, REF_MEMBER, &p->lead);
    read_breaks(b, m);

    /* a plan written with a top-level 'exams' list has no plan.exam */
    const ynode *e = get(b, m, "exam", "'plan'", !field(b->root, "exams"), YN_MAP);
    if (e) {
        check_keys(b, e, "exam", exam_keys);
        p->exam.questions = get_int(b, e, "questions", "'exam'", REQ, 1, 10000, 0);
        p->exam.minutes = get_int(b, e, "minutes", "'exam'", REQ, 1, 10000, 0);
        p->exam.passing_score = get_num(b, e, "passing_score", "'exam'", REQ, 0, 100, 0);
        if (get_date(b, e, "date", "'exam'", OPT, &p->exam.date) && p->n_weeks > 0 &&
            p->exam.date < p->start)
            plan_error(b, field(e, "date")->pos, "exam date %s is before the plan's start",
                       field(e, "date")->s);
    }
    p->gate = (cb_gate){p->exam.passing_score, 0, 1};
    const ynode *g = get(b, m, "ready_gate", "'plan'", OPT, YN_MAP);
    if (g)
        read_gate(b, g, &p->gate);
}

static void read_tracks(struct plan_build *b, const ynode *top)
{
    static const char *const keys[] = {"id",         "name",      "level", "objective",
                                       "curriculum", "resources", NULL};
    cb_plan *p = b->p;
    const ynode *list = get_list(b, top, "tracks", "the top-level map", OPT);
    p->tracks = arena_alloc(b->a, n_of(list) * sizeof *p->tracks);
    for (int i = 0; list && i < list->n; i++) {
        const ynode *m = list->val[i];
        if (!entry_ok(b, m, "tracks"))
            continue;
        cb_track *t = &p->tracks[p->n_tracks++];
        check_keys(b, m, "track", keys);
        t->pos = m->pos;
        t->id = get_id(b, m, "track");
        const char *w = name_of(b, "track", t->id, i);
        t->name = get_str(b, m, "name", w, REQ);
        t->level = get_level(b, m, w, OPT);
        t->objective = get_str(b, m, "objective", w, OPT);
        t->curriculum = get_strv(b, m, "curriculum", w);
        t->resources = get_strv(b, m, "resources", w);
    }
}

static void read_members(struct plan_build *b, const ynode *top)
{
    static const char *const keys[] = {"id",    "name",        "level", "track",
                                       "login", "joined_week", NULL};
    cb_plan *p = b->p;
    const ynode *list = get_list(b, top, "members", "the top-level map", REQ);
    p->members = arena_alloc(b->a, n_of(list) * sizeof *p->members);
    for (int i = 0; list && i < list->n; i++) {
        const ynode *m = list->val[i];
        if (!entry_ok(b, m, "members"))
            continue;
        cb_member *mb = &p->members[p->n_members++];
        check_keys(b, m, "member", keys);
        mb->pos = m->pos;
        mb->id = get_id(b, m, "member");
        const char *w = name_of(b, "member", mb->id, i);
        mb->name = get_str(b, m, "name", w, REQ);
        mb->level = get_level(b, m, w, REQ);
        get_ref(b, m, "track", w, OPT, REF_TRACK, &mb->track);
        mb->login = get_str(b, m, "login", w, OPT);
        if (mb->login && !valid_login(mb->login))
            plan_error(b, m->pos,
                       "malformed login '%s' of %s (a user name: letters, digits, '.', '_', "
                       "'-' and '@', starting with a letter, digit or '_', at most 64 "
                       "characters)",
                       mb->login, w);
        mb->joined_week = get_week(b, m, "joined_week", w, OPT, 1);
    }
    if (list && p->n_members == 0)
        plan_error(b, list->pos, "the plan has no members");
}

static void read_mentors(struct plan_build *b, const ynode *top)
{
    static const char *const keys[] = {"mentor", "mentee", "cadence", "minutes", "weeks", NULL};
    cb_plan *p = b->p;
    const ynode *list = get_list(b, top, "mentors", "the top-level map", OPT);
    p->mentors = arena_alloc(b->a, n_of(list) * sizeof *p->mentors);
    for (int i = 0; list && i < list->n; i++) {
        const ynode *m = list->val[i];
        if (!entry_ok(b, m, "mentors"))
            continue;
        cb_mentor_pair *mp = &p->mentors[p->n_mentors++];
        check_keys(b, m, "mentor pair", keys);
        mp->pos = m->pos;
        const char *w = arena_printf(b->a, "mentor pair #%d", i + 1);
        get_ref(b, m, "mentor", w, REQ, REF_MEMBER, &mp->mentor);
        get_ref(b, m, "mentee", w, REQ, REF_MEMBER, &mp->mentee);
        mp->cadence = get_str(b, m, "cadence", w, OPT);
        mp->minutes = get_int(b, m, "minutes", w, OPT, 1, 24 * 60, 60);
        mp->weeks = (cb_range){1, p->n_weeks};
        get_range(b, m, "weeks", w, OPT, &mp->weeks, NULL);
    }
}

static void read_resources(struct plan_build *b, const ynode *m, const char *where,
                           cb_resources *r)
{
    static const char *const keys[] = {"docs", "course", "extra", NULL};
    const ynode *n = get(b, m, "resources", where, OPT, YN_MAP);
    if (!n)
        return;
    check_keys(b, n, "resources", keys);
    r->docs = get_strv(b, n, "docs", where);
    r->course = get_strv(b, n, "course", where);
    r->extra = get_strv(b, n, "extra", where);
}

static char *trim(char *s)
{
    while (*s == ' ')
        s++;
    for (char *e = s + strlen(s); e > s && e[-1] == ' ';)
        *--e = '\0';
    return s;
}

/* "20", "20%", "20-25", "20 - 25%": a percentage or a range of them. */
static bool parse_weight(const char *s, double *lo, double *hi)
{
    char buf[64];
    if (snprintf(buf, sizeof buf, "%s", s) >= (int)sizeof buf)
        return false;
    char *dash = strchr(buf + 1, '-'); /* buf[0] may be a sign */
    if (dash)
        *dash = '\0';
    if (!parse_number(trim(buf), lo))
        return false;
    *hi = *lo;
    return !dash || parse_number(trim(dash + 1), hi);
}

static void read_weight(struct plan_build *b, const ynode *m, const char *where, cb_domain *dm)
{
    const ynode *n = get(b, m, "weight", where, REQ, YN_SCALAR);
    if (n && (!parse_weight(n->s, &dm->weight_lo, &dm->weight_hi) || dm->weight_lo < 0 ||
              dm->weight_hi > 100 || dm->weight_lo > dm->weight_hi)) {
        plan_error(b, n->pos,
                   "bad weight '%s' in %s (expected a percentage like 20 or \"20-25\")", n->s,
                   where);
        dm->weight_lo = dm->weight_hi = 0;
    }
}

/* The entries of one domains list, appended to p->domains for exam e. */
static void read_domain_list(struct plan_build *b, const ynode *list, int e)
{
    static const char *const keys[] = {"id", "name", "short", "weight", "resources", NULL};
    cb_plan *p = b->p;
    for (int i = 0; list && i < list->n; i++) {
        const ynode *m = list->val[i];
        if (!entry_ok(b, m, "domains"))
            continue;
        cb_domain *dm = &p->domains[p->n_domains++];
        check_keys(b, m, "domain", keys);
        dm->pos = m->pos;
        dm->pod = -1;
        dm->exam = e;
        dm->id = get_id(b, m, "domain");
        const char *w = name_of(b, "domain", dm->id, i);
        dm->name = get_str(b, m, "name", w, REQ);
        dm->short_name = get_str(b, m, "short", w, OPT);
        read_weight(b, m, w, dm);
        read_resources(b, m, w, &dm->resources);
    }
}

/* One entry of the 'exams' list; its domains go to p->domains. */
static void read_exam(struct plan_build *b, const ynode *m, int e, const cb_gate *plan_gate,
                      bool plan_has_gate)
{
    static const char *const keys[] = {"id",         "name",      "short",   "week",
                                       "date",       "questions", "minutes", "passing_score",
                                       "ready_gate", "domains",   NULL};
    cb_plan *p = b->p;
    cb_exam *ex = &p->exams[e];
    check_keys(b, m, "exam", keys);
    ex->pos = m->pos;
    ex->id = get_id(b, m, "exam");
    const char *w = name_of(b, "exam", ex->id, e);
    ex->name = get_str(b, m, "name", w, REQ);
    ex->short_name = get_str(b, m, "short", w, OPT);
    ex->info.questions = get_int(b, m, "questions", w, REQ, 1, 10000, 0);
    ex->info.minutes = get_int(b, m, "minutes", w, REQ, 1, 10000, 0);
    ex->info.passing_score = get_num(b, m, "passing_score", w, REQ, 0, 100, 0);
    bool has_week = field(m, "week") != NULL;
    if (has_week && field(m, "date"))
        plan_error(b, field(m, "date")->pos, "%s gives both a week and a date; give one", w);
    else if (has_week && p->n_weeks > 0)
        ex->week = get_week(b, m, "week", w, REQ, 0);
    if (ex->week < 0 || ex->week > p->n_weeks)
        ex->week = 0; /* reported by get_week() */
    else if (!has_week && get_date(b, m, "date", w, OPT, &ex->info.date) && p->n_weeks > 0) {
        ex->week = plan_week_of_day(p, ex->info.date);
        if (ex->week < 1 || ex->week > p->n_weeks)
            plan_error(b, field(m, "date")->pos,
                       "exam date %s is outside the plan's weeks 1-%d", field(m, "date")->s,
                       p->n_weeks);
    } else if (!has_week && !field(m, "date"))
        plan_error(b, m->pos, "missing 'week' or 'date' in %s", w);
    if (ex->week > 0 && !ex->info.date)
        ex->info.date = plan_week_start(p, ex->week) + 6;
    ex->gate = plan_has_gate ? *plan_gate : (cb_gate){ex->info.passing_score, 0, 1};
    const ynode *g = get(b, m, "ready_gate", w, OPT, YN_MAP);
    if (g)
        read_gate(b, g, &ex->gate);
    const ynode *list = get_list(b, m, "domains", w, REQ);
    b->exam_domains_pos[e] = list ? list->pos : m->pos;
    ex->first_domain = p->n_domains;
    read_domain_list(b, list, e);
    ex->n_domains = p->n_domains - ex->first_domain;
    if (e > 0 && ex->info.date && p->exams[e - 1].info.date > ex->info.date)
        plan_error(b, m->pos, "%s is before the exam listed above it; list exams in date order",
                   w);
}

static void read_domains(struct plan_build *b, const ynode *top)
{
    cb_plan *p = b->p;
    const ynode *exams = get_list(b, top, "exams", "the top-level map", OPT);
    if (exams) {
        const ynode *meta = field(top, "plan");
        if (meta && meta->kind == YN_MAP && field(meta, "exam"))
            plan_error(b, field(meta, "exam")->pos,
                       "'plan.exam' and a top-level 'exams' list: give one or the other");
        if (field(top, "domains"))
            plan_error(b, field(top, "domains")->pos,
                       "with a top-level 'exams' list, domains go under each exam");
        size_t nd = 0;
        for (int i = 0; i < exams->n; i++) {
            const ynode *d =
                exams->val[i]->kind == YN_MAP ? field(exams->val[i], "domains") : NULL;
            nd += d && d->kind == YN_SEQ ? (size_t)d->n : 0;
        }
        p->domains = arena_alloc(b->a, (nd + 1) * sizeof *p->domains);
        p->exams = arena_alloc(b->a, n_of(exams) * sizeof *p->exams);
        b->exam_domains_pos = arena_alloc(b->a, n_of(exams) * sizeof *b->exam_domains_pos);
        bool has_gate = meta && meta->kind == YN_MAP && field(meta, "ready_gate");
        cb_gate plan_gate = p->gate;
        for (int i = 0; i < exams->n; i++)
            if (entry_ok(b, exams->val[i], "exams"))
                read_exam(b, exams->val[i], p->n_exams++, &plan_gate, has_gate);
        if (exams->n == 0)
            plan_error(b, exams->pos, "the 'exams' list is empty");
        if (p->n_exams > 0) { /* the plan-wide exam is the last one */
            p->exam = p->exams[p->n_exams - 1].info;
            p->gate = p->exams[p->n_exams - 1].gate;
        }
        return;
    }
    const ynode *list = get_list(b, top, "domains", "the top-level map", REQ);
    p->domains = arena_alloc(b->a, n_of(list) * sizeof *p->domains);
    b->domains_node = list;
    read_domain_list(b, list, 0);
    /* the single-exam form: one exam, the plan's, owning every domain */
    p->exams = arena_alloc(b->a, sizeof *p->exams);
    p->n_exams = 1;
    cb_exam *ex = &p->exams[0];
    ex->id = "exam";
    ex->name = p->certification ? p->certification : "exam";
    ex->info = p->exam;
    ex->gate = p->gate;
    ex->n_domains = p->n_domains;
    ex->pos = list ? list->pos : top->pos;
    ex->week = p->n_weeks > 0 ? plan_week_of_day(p, plan_exam_day(p)) : 0;
    if (ex->week > p->n_weeks)
        ex->week = p->n_weeks;
}

static void read_pods(struct plan_build *b, const ynode *top)
{
    static const char *const keys[] = {"id",      "name",    "focus",         "lead",
                                       "members", "domains", "stated_weight", "teach_week",
                                       NULL};
    cb_plan *p = b->p;
    const ynode *list = get_list(b, top, "pods", "the top-level map", OPT);
    p->pods = arena_alloc(b->a, n_of(list) * sizeof *p->pods);
    b->pods_node = list;
    b->stated_pos = arena_alloc(b->a, n_of(list) * sizeof *b->stated_pos);
    for (int i = 0; list && i < list->n; i++) {
        const ynode *m = list->val[i];
        if (!entry_ok(b, m, "pods"))
            continue;
        int k = p->n_pods++;
        cb_pod *pd = &p->pods[k];
        check_keys(b, m, "pod", keys);
        pd->pos = m->pos;
        pd->id = get_id(b, m, "pod");
        const char *w = name_of(b, "pod", pd->id, i);
        pd->name = get_str(b, m, "name", w, REQ);
        pd->focus = get_str(b, m, "focus", w, OPT);
        get_ref(b, m, "lead", w, REQ, REF_MEMBER, &pd->lead);
        pd->members = get_refs(b, m, "members", w, REQ, REF_MEMBER, &pd->n_members);
        pd->domains = get_refs(b, m, "domains", w, REQ, REF_DOMAIN, &pd->n_domains);
        pd->stated_weight = get_num(b, m, "stated_weight", w, OPT, 0, 100, -1);
        const ynode *sw = field(m, "stated_weight");
        b->stated_pos[k] = sw ? sw->pos : m->pos;
        pd->teach_week = get_week(b, m, "teach_week", w, OPT, 0);
    }
}

static void read_phases(struct plan_build *b, const ynode *top)
{
    static const char *const keys[] = {"id", "name", "objective", "weeks", NULL};
    cb_plan *p = b->p;
    const ynode *list = get_list(b, top, "phases", "the top-level map", REQ);
    p->phases = arena_alloc(b->a, n_of(list) * sizeof *p->phases);
    b->phases_node = list;
    b->phase_weeks_pos = arena_alloc(b->a, n_of(list) * sizeof *b->phase_weeks_pos);
    for (int i = 0; list && i < list->n; i++) {
        const ynode *m = list->val[i];
        if (!entry_ok(b, m, "phases"))
            continue;
        int k = p->n_phases++;
        cb_phase *ph = &p->phases[k];
        check_keys(b, m, "phase", keys);
        ph->pos = m->pos;
        ph->id = get_id(b, m, "phase");
        const char *w = name_of(b, "phase", ph->id, i);
        ph->name = get_str(b, m, "name", w, REQ);
        ph->objective = get_str(b, m, "objective", w, OPT);
        b->phase_weeks_pos[k] = m->pos;
        if (!get_range(b, m, "weeks", w, REQ, &ph->weeks, &b->phase_weeks_pos[k]))
            ph->weeks = (cb_range){0, -1}; /* empty: takes no part in overlap checks */
    }
    if (list && p->n_phases == 0)
        plan_error(b, list->pos, "the plan has no phases");
}

struct pending_ms {
    const ynode *node;
    int week, order;
};

static int cmp_pending(const void *x, const void *y)
{
    const struct pending_ms *a = x, *b = y;
    return a->week != b->week ? a->week - b->week : a->order - b->order;
}

static void read_milestone(struct plan_build *b, const ynode *m, int week, cb_milestone *ms,
                           int i)
{
    static const char *const keys[] = {"id", "title", "owner", NULL};
    check_keys(b, m, "milestone", keys);
    ms->pos = m->pos;
    ms->week = week;
    ms->id = get_id(b, m, "milestone");
    const char *w = name_of(b, "milestone", ms->id, i);
    ms->title = get_str(b, m, "title", w, REQ);
    read_owner(b, m, w, &ms->owner);
}

/* Week entries, then their milestones in the order of their due weeks. */
static void read_weeks(struct plan_build *b, const ynode *top)
{
    static const char *const keys[] = {"week", "theme", "activities", "milestones", NULL};
    cb_plan *p = b->p;
    const ynode *list = get_list(b, top, "weeks", "the top-level map", REQ);
    b->weeks_node = list;
    if (!list)
        return;
    b->entries = arena_alloc(b->a, (size_t)list->n * sizeof *b->entries);
    int n_ms = 0;
    for (int i = 0; i < list->n; i++) {
        const ynode *ms =
            list->val[i]->kind == YN_MAP ? field(list->val[i], "milestones") : NULL;
        n_ms += ms && ms->kind == YN_SEQ ? ms->n : 0;
    }
    struct pending_ms *pend = xmalloc((size_t)(n_ms ? n_ms : 1) * sizeof *pend);
    int n_pend = 0;
    for (int i = 0; i < list->n; i++) {
        const ynode *m = list->val[i];
        if (!entry_ok(b, m, "weeks"))
            continue;
        struct week_entry *e = &b->entries[b->n_entries++];
        check_keys(b, m, "week", keys);
        e->pos = e->week_pos = m->pos;
        const char *w = arena_printf(b->a, "week entry #%d", i + 1);
        if (!get_range(b, m, "week", w, REQ, &e->weeks, &e->week_pos))
            e->weeks = (cb_range){0, -1};
        const ynode *wn = field(m, "week");
        e->range = wn && wn->kind == YN_SCALAR && strchr(wn->s, '-');
        e->theme = get_str(b, m, "theme", w, OPT);
        e->activities = get_strv(b, m, "activities", w);
        const ynode *ms = get_list(b, m, "milestones", w, OPT);
        for (int j = 0; ms && j < ms->n; j++)
            if (entry_ok(b, ms->val[j], "milestones")) {
                pend[n_pend] = (struct pending_ms){ms->val[j], e->weeks.hi, n_pend};
                n_pend++;
            }
    }
    qsort(pend, (size_t)n_pend, sizeof *pend, cmp_pending);
    p->milestones = arena_alloc(b->a, (size_t)n_pend * sizeof *p->milestones);
    for (int i = 0; i < n_pend; i++)
        read_milestone(b, pend[i].node, pend[i].week, &p->milestones[p->n_milestones++],
                       pend[i].order);
    free(pend);
}

static void add_role(struct plan_build *b, const ynode *member, const ynode *phase,
                     const ynode *role, const char *where)
{
    cb_role *r = &b->p->roles[b->p->n_roles++];
    r->pos = phase->pos;
    r->role = role->s;
    add_ref(b, REF_MEMBER, member->s, member->pos, &r->member, where);
    add_ref(b, REF_PHASE, phase->s, phase->pos, &r->phase, where);
}

static void read_roles(struct plan_build *b, const ynode *top)
{
    static const char *const keys[] = {"member", "phase", "role", "by_phase", NULL};
    cb_plan *p = b->p;
    const ynode *list = get_list(b, top, "roles", "the top-level map", OPT);
    if (!list)
        return;
    int n = 0;
    for (int i = 0; i < list->n; i++) {
        const ynode *bp = list->val[i]->kind == YN_MAP ? field(list->val[i], "by_phase") : NULL;
        n += bp && bp->kind == YN_MAP ? bp->n : 1;
    }
    p->roles = arena_alloc(b->a, (size_t)n * sizeof *p->roles);
    for (int i = 0; i < list->n; i++) {
        const ynode *m = list->val[i];
        if (!entry_ok(b, m, "roles"))
            continue;
        check_keys(b, m, "role", keys);
        const char *w = arena_printf(b->a, "role entry #%d", i + 1);
        const ynode *member = get(b, m, "member", w, REQ, YN_SCALAR);
        const ynode *by = get(b, m, "by_phase", w, OPT, YN_MAP);
        if (by) {
            for (int j = 0; member && j < by->n; j++) {
                if (by->val[j]->kind != YN_SCALAR || by->key[j]->kind != YN_SCALAR)
                    plan_error(b, by->val[j]->pos, "a role in %s must be a string, not a %s", w,
                               type_name(by->val[j]));
                else
                    add_role(b, member, by->key[j], by->val[j], w);
            }
            continue;
        }
        const ynode *phase = get(b, m, "phase", w, REQ, YN_SCALAR);
        const ynode *role = get(b, m, "role", w, REQ, YN_SCALAR);
        if (member && phase && role)
            add_role(b, member, phase, role, w);
    }
}

static void read_item(struct plan_build *b, const ynode *m, int checklist, cb_item *it, int i)
{
    static const char *const keys[] = {"id", "title", "due", "domain", "kind", NULL};
    check_keys(b, m, "item", keys);
    it->pos = m->pos;
    it->checklist = checklist;
    it->id = get_id(b, m, "item");
    const char *w = name_of(b, "item", it->id, i);
    it->title = get_str(b, m, "title", w, REQ);
    it->due_week = get_week(b, m, "due", w, REQ, 0);
    get_ref(b, m, "domain", w, OPT, REF_DOMAIN, &it->domain);
    it->kind = get_str(b, m, "kind", w, OPT);
}

static void read_checklists(struct plan_build *b, const ynode *top)
{
    static const char *const keys[] = {"id", "title", "owner", "items", NULL};
    cb_plan *p = b->p;
    const ynode *list = get_list(b, top, "checklists", "the top-level map", OPT);
    p->checklists = arena_alloc(b->a, n_of(list) * sizeof *p->checklists);
    int n_items = 0;
    for (int i = 0; list && i < list->n; i++) {
        const ynode *m = list->val[i];
        const ynode *items = m->kind == YN_MAP ? field(m, "items") : NULL;
        n_items += items && items->kind == YN_SEQ ? items->n : 0;
    }
    p->items = arena_alloc(b->a, (size_t)n_items * sizeof *p->items);
    for (int i = 0; list && i < list->n; i++) {
        const ynode *m = list->val[i];
        if (!entry_ok(b, m, "checklists"))
            continue;
        int k = p->n_checklists++;
        cb_checklist *c = &p->checklists[k];
        check_keys(b, m, "checklist", keys);
        c->pos = m->pos;
        c->id = get_id(b, m, "checklist");
        const char *w = name_of(b, "checklist", c->id, i);
        c->title = get_str(b, m, "title", w, REQ);
        read_owner(b, m, w, &c->owner);
        c->first_item = p->n_items;
        const ynode *items = get_list(b, m, "items", w, REQ);
        for (int j = 0; items && j < items->n; j++)
            if (entry_ok(b, items->val[j], "items"))
                read_item(b, items->val[j], k, &p->items[p->n_items++], j);
        c->n_items = p->n_items - c->first_item;
    }
}

static int lookup(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

static void read_session(struct plan_build *b, const ynode *m, cb_session *s, int i)
{
    static const char *const keys[] = {"id",   "title",   "kind",  "weeks", "weekday",
                                       "time", "minutes", "owner", NULL};
    static const char *const kinds[] = {"mentor",   "teach",   "practice-exam",
                                        "strategy", "standup", "other"};
    static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    check_keys(b, m, "session", keys);
    s->pos = m->pos;
    s->id = get_id(b, m, "session");
    const char *w = name_of(b, "session", s->id, i);
    s->title = get_str(b, m, "title", w, REQ);
    const ynode *n = get(b, m, "kind", w, REQ, YN_SCALAR);
    int k = n ? lookup(n->s, kinds, 6) : CB_SESSION_OTHER;
    if (k < 0)
        plan_error(b, n->pos,
                   "unknown session kind '%s' in %s (expected mentor, teach, "
                   "practice-exam, strategy, standup or other)",
                   n->s, w);
    s->kind = k < 0 ? CB_SESSION_OTHER : (enum cb_session_kind)k;
    get_range(b, m, "weeks", w, REQ, &s->weeks, NULL);
    n = get(b, m, "weekday", w, REQ, YN_SCALAR);
    s->weekday = n ? lookup(n->s, days, 7) : 0;
    if (s->weekday < 0) {
        plan_error(b, n->pos,
                   "bad weekday '%s' in %s (expected mon, tue, wed, thu, fri, sat or "
                   "sun)",
                   n->s, w);
        s->weekday = 0;
    }
    n = get(b, m, "time", w, REQ, YN_SCALAR);
    int hh, mm;
    char end;
    if (n && (sscanf(n->s, "%2d:%2d%c", &hh, &mm, &end) != 2 || hh < 0 || hh > 23 || mm < 0 ||
              mm > 59 || strlen(n->s) != 5))
        plan_error(b, n->pos, "bad time '%s' in %s (expected HH:MM)", n->s, w);
    else if (n)
        s->start_minute = hh * 60 + mm;
    s->minutes = get_int(b, m, "minutes", w, REQ, 1, 24 * 60, 60);
    read_owner(b, m, w, &s->owner);
}

static void read_sessions(struct plan_build *b, const ynode *top)
{
    cb_plan *p = b->p;
    const ynode *list = get_list(b, top, "sessions", "the top-level map", OPT);
    p->sessions = arena_alloc(b->a, n_of(list) * sizeof *p->sessions);
    for (int i = 0; list && i < list->n; i++)
        if (entry_ok(b, list->val[i], "sessions"))
            read_session(b, list->val[i], &p->sessions[p->n_sessions++], i);
}

void plan_read(struct plan_build *b)
{
    /* "plan" comes first: week numbers elsewhere are checked against its length */
    static const char *const keys[] = {"plan",       "tracks",   "members", "mentors", "exams",
                                       "domains",    "pods",     "phases",  "weeks",   "roles",
                                       "checklists", "sessions", NULL};
    const ynode *top = b->root; /* a map: plan_load_buffer() checked */
    check_keys(b, top, "the top-level map", keys);
    b->p->lead = -1;
    const ynode *meta = get(b, top, "plan", "the top-level map", REQ, YN_MAP);
    if (meta)
        read_plan_meta(b, meta);
    read_tracks(b, top);
    read_members(b, top);
    read_mentors(b, top);
    read_domains(b, top);
    read_pods(b, top);
    read_phases(b, top);
    read_weeks(b, top);
    read_roles(b, top);
    read_checklists(b, top);
    read_sessions(b, top);
}

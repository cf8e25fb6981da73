/* attempt.c — practice-exam attempts as stored text, and their sanity checks.
 *
 * The value stored under key_exam(id) is one line of ';'-separated fields:
 *
 *   v1;member=nov1;date=2026-11-30;source=practice%20set%20A;minutes=110;
 *   d:dev-code=10/13;d:perf=7/8            (per domain: right/asked)
 *   v1;member=nov1;date=2026-11-30;source=set%20B;minutes=95;total=40/59
 *
 * In a plan with several exams an optional field exam=ID names the exam the
 * attempt practises (default: attempt_exam()).
 *
 * Field values escape '%', ';', '=' and every byte outside printable ASCII
 * except UTF-8 bytes as %XX. Values written by other clients are untrusted:
 * attempt_parse() rejects anything it does not fully understand, with a reason.
 * Format and rules: docs/readiness.md. */
#include "certboard/attempt.h"

#include "certboard/text.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#define ATTEMPT_MAX_TEXT 8192

static int fail(char *err, size_t errlen, const char *fmt, const char *arg)
{
    if (err && errlen)
        snprintf(err, errlen, fmt, arg ? arg : "");
    return -1;
}

static bool valid_id(const char *s, size_t n);

static bool is_id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
}

bool attempt_valid_id(const char *id)
{
    return id && valid_id(id, strlen(id));
}

static bool valid_id(const char *s, size_t n)
{
    if (n == 0 || n > 64 || !is_id_char(s[0]) || s[0] == '.' || s[0] == '_' || s[0] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_id_char(s[i]))
            return false;
    return true;
}

/* Strict non-negative decimal of at most 6 digits; false otherwise. */
static bool parse_count(const char *s, size_t n, int *out)
{
    if (n == 0 || n > 6)
        return false;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* "R/A" into right and asked. */
static bool parse_ratio(const char *s, size_t n, int *right, int *asked)
{
    const char *slash = memchr(s, '/', n);
    if (!slash)
        return false;
    return parse_count(s, (size_t)(slash - s), right) &&
           parse_count(slash + 1, n - (size_t)(slash - s) - 1, asked);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes %XX; rejects bad escapes and control characters. NULL on error. */
static char *unescape(const char *s, size_t n, cb_arena *arena)
{
    char *out = arena_alloc(arena, n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            if (i + 2 >= n)
                return NULL;
            int a = hexval(s[i + 1]), b = hexval(s[i + 2]);
            if (a < 0 || b < 0)
                return NULL;
            c = (unsigned char)(a * 16 + b);
            i += 2;
        }
        if (c < 0x20 || c == 0x7f)
            return NULL;
        out[k++] = (char)c;
    }
    out[k] = '\0';
    return out;
}

const char *attempt_member(const char *text, cb_arena *arena)
{
    const char *f = text;
    while (f && strncmp(f, "member=", 7) != 0) {
        f = strchr(f, ';');
        f = f ? f + 1 : NULL;
    }
    if (!f)
        return NULL;
    const char *v = f + 7;
    size_t n = strcspn(v, ";");
    const char *member = unescape(v, n, arena);
    return member ? member : arena_strndup(arena, v, n);
}

static bool needs_escape(unsigned char c)
{
    return c < 0x20 || c == 0x7f || c == '%' || c == ';' || c == '=';
}

static void put_escaped(char **w, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (needs_escape(c)) {
            *(*w)++ = '%';
            *(*w)++ = hex[c >> 4];
            *(*w)++ = hex[c & 15];
        } else {
            *(*w)++ = (char)c;
        }
    }
}

static void alloc_domains(const cb_plan *p, cb_attempt *a, cb_arena *arena)
{
    size_t n = p->n_domains > 0 ? (size_t)p->n_domains : 1;
    a->right = arena_alloc(arena, n * sizeof *a->right);
    a->asked = arena_alloc(arena, n * sizeof *a->asked);
}

/* plan_member()/plan_domain() on a slice of the text (ids are at most 64 bytes). */
static int find_id(const cb_plan *p, int (*lookup)(const cb_plan *, const char *),
                   const char *s, size_t n)
{
    char id[65];
    if (n == 0 || n >= sizeof id || memchr(s, '\0', n))
        return -1;
    memcpy(id, s, n);
    id[n] = '\0';
    return lookup(p, id);
}

/* One "key=value" field into a; -1 with a reason. seen collects the fixed
 * fields (bit per field) to refuse duplicates. */
static int parse_field(const cb_plan *p, const char *f, size_t n, cb_attempt *a, unsigned *seen,
                       cb_arena *arena, char *err, size_t errlen)
{
    const char *eq = memchr(f, '=', n);
    if (!eq)
        return fail(err, errlen, "field without '=': %s", arena_strndup(arena, f, n));
    size_t kn = (size_t)(eq - f), vn = n - kn - 1;
    const char *v = eq + 1;
    char *key = arena_strndup(arena, f, kn);
    static const char *const fixed[] = {"member", "date", "source", "minutes", "total", "exam"};
    for (unsigned k = 0; k < sizeof fixed / sizeof fixed[0]; k++) {
        if (strcmp(key, fixed[k]) != 0)
            continue;
        if (*seen & (1u << k))
            return fail(err, errlen, "duplicate field '%s'", key);
        *seen |= 1u << k;
    }
    if (strcmp(key, "member") == 0) {
        a->member = find_id(p, plan_member, v, vn);
        if (a->member < 0)
            return fail(err, errlen, "unknown member '%s'", unescape(v, vn, arena));
    } else if (strcmp(key, "date") == 0) {
        char *d = arena_strndup(arena, v, vn);
        if (!date_parse(d, &a->date))
            return fail(err, errlen, "bad date '%s' (want YYYY-MM-DD)", unescape(v, vn, arena));
    } else if (strcmp(key, "source") == 0) {
        a->source = unescape(v, vn, arena);
        if (!a->source)
            return fail(err, errlen, "bad escape or control character in source", NULL);
    } else if (strcmp(key, "minutes") == 0) {
        if (!parse_count(v, vn, &a->minutes))
            return fail(err, errlen, "bad minutes '%s'", unescape(v, vn, arena));
    } else if (strcmp(key, "exam") == 0) {
        char *e = unescape(v, vn, arena);
        a->exam = e ? plan_exam(p, e) : -1;
        if (a->exam < 0)
            return fail(err, errlen, "unknown exam '%s'", e ? e : "?");
        a->exam_named = true;
    } else if (strcmp(key, "total") == 0) {
        if (!parse_ratio(v, vn, &a->total_right, &a->total_asked))
            return fail(err, errlen, "bad total '%s' (want RIGHT/ASKED)",
                        unescape(v, vn, arena));
    } else if (strncmp(key, "d:", 2) == 0) {
        int d = find_id(p, plan_domain, key + 2, kn - 2);
        if (d < 0)
            return fail(err, errlen, "unknown domain '%s'", unescape(key + 2, kn - 2, arena));
        if (a->asked[d] > 0 || a->right[d] > 0)
            return fail(err, errlen, "domain '%s' given twice", p->domains[d].id);
        int r, q;
        if (!parse_ratio(v, vn, &r, &q))
            return fail(err, errlen, "bad result for domain '%s' (want RIGHT/ASKED)",
                        p->domains[d].id);
        if (q == 0)
            return fail(err, errlen, "domain '%s' with no questions asked", p->domains[d].id);
        a->right[d] = r;
        a->asked[d] = q;
        a->per_domain = true;
    } else {
        return fail(err, errlen, "unknown field '%s'", unescape(key, kn, arena));
    }
    return 0;
}

int attempt_parse(const cb_plan *p, const char *id, const char *text, cb_attempt *out,
                  cb_arena *arena, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->member = -1;
    if (!id || !valid_id(id, strlen(id)))
        return fail(err, errlen, "bad attempt id '%s'", id ? id : "");
    if (!text || !*text)
        return fail(err, errlen, "empty attempt (deleted)", NULL);
    size_t len = strlen(text);
    if (len > ATTEMPT_MAX_TEXT)
        return fail(err, errlen, "attempt text too long", NULL);
    if (strncmp(text, "v1;", 3) != 0 && strcmp(text, "v1") != 0)
        return fail(err, errlen, "unsupported attempt format (want 'v1;...')", NULL);
    out->id = arena_strdup(arena, id);
    out->source = "";
    alloc_domains(p, out, arena);
    unsigned seen = 0;
    for (const char *f = text + 2; *f;) {
        f++; /* the ';' */
        const char *end = strchr(f, ';');
        size_t n = end ? (size_t)(end - f) : strlen(f);
        if (n == 0)
            return fail(err, errlen, "empty field", NULL);
        if (parse_field(p, f, n, out, &seen, arena, err, errlen) != 0)
            return -1;
        f += n;
    }
    if (out->member < 0)
        return fail(err, errlen, "missing field 'member'", NULL);
    if (!(seen & 2u))
        return fail(err, errlen, "missing field 'date'", NULL);
    if (out->per_domain) {
        int r = 0, q = 0;
        for (int d = 0; d < p->n_domains; d++) {
            r += out->right[d];
            q += out->asked[d];
        }
        if ((seen & 16u) && (r != out->total_right || q != out->total_asked))
            return fail(err, errlen, "total disagrees with the per-domain results", NULL);
        out->total_right = r;
        out->total_asked = q;
    } else if (!(seen & 16u)) {
        return fail(err, errlen, "no results: give 'total=R/A' or 'd:DOMAIN=R/A'", NULL);
    }
    out->exam = attempt_exam(p, out);
    return attempt_check(p, out, INT_MAX, err, errlen);
}

int attempt_exam(const cb_plan *p, const cb_attempt *a)
{
    if (a->exam_named && a->exam >= 0 && a->exam < p->n_exams)
        return a->exam;
    for (int d = 0; a->per_domain && d < p->n_domains; d++)
        if (a->asked[d] > 0)
            return p->domains[d].exam;
    for (int e = 0; e < p->n_exams; e++)
        if (plan_exam_day_of(p, e) >= a->date)
            return e;
    return p->n_exams > 0 ? p->n_exams - 1 : 0;
}

char *attempt_format(const cb_plan *p, const cb_attempt *a, cb_arena *arena)
{
    size_t cap = 64 + 3 * strlen(a->source ? a->source : "");
    for (int e = 0; e < p->n_exams; e++)
        cap += 3 * strlen(p->exams[e].id) + 8;
    for (int d = 0; d < p->n_domains; d++)
        cap += 3 * strlen(p->domains[d].id) + 32;
    char *buf = arena_alloc(arena, cap), *w = buf;
    char date[11];
    date_format(a->date, date);
    w += sprintf(w, "v1;member=");
    put_escaped(&w, p->members[a->member].id);
    w += sprintf(w, ";date=%s;source=", date);
    put_escaped(&w, a->source ? a->source : "");
    w += sprintf(w, ";minutes=%d", a->minutes);
    if (a->exam_named && a->exam >= 0 && a->exam < p->n_exams) {
        w += sprintf(w, ";exam=");
        put_escaped(&w, p->exams[a->exam].id);
    }
    if (a->per_domain) {
        for (int d = 0; d < p->n_domains; d++) {
            if (a->asked[d] == 0)
                continue;
            w += sprintf(w, ";d:");
            put_escaped(&w, p->domains[d].id);
            w += sprintf(w, "=%d/%d", a->right[d], a->asked[d]);
        }
    } else {
        w += sprintf(w, ";total=%d/%d", a->total_right, a->total_asked);
    }
    *w = '\0';
    return buf;
}

/* Refuses right > asked or negatives for one result; name labels it. */
static int check_ratio(int right, int asked, int limit, const char *name, char *err,
                       size_t errlen)
{
    char what[160];
    if (right < 0 || asked < 0) {
        snprintf(what, sizeof what, "%s: negative numbers (%d/%d)", name, right, asked);
        return fail(err, errlen, "%s", what);
    }
    if (right > asked) {
        snprintf(what, sizeof what, "%s: more right than asked (%d/%d)", name, right, asked);
        return fail(err, errlen, "%s", what);
    }
    if (limit > 0 && asked > limit) {
        snprintf(what, sizeof what, "%s: %d questions asked, the exam has %d", name, asked,
                 limit);
        return fail(err, errlen, "%s", what);
    }
    return 0;
}

int attempt_check(const cb_plan *p, const cb_attempt *a, cb_day today, char *err, size_t errlen)
{
    if (a->member < 0 || a->member >= p->n_members)
        return fail(err, errlen, "unknown member%s", NULL);
    if (a->date > today) {
        char d[11], t[11];
        date_format(a->date, d);
        date_format(today, t);
        char what[96];
        snprintf(what, sizeof what, "date %s is in the future (today is %s)", d, t);
        return fail(err, errlen, "%s", what);
    }
    if (a->minutes < 0)
        return fail(err, errlen, "negative minutes", NULL);
    int e = attempt_exam(p, a);
    const cb_exam_info *ex = e < p->n_exams ? &p->exams[e].info : &p->exam;
    if (ex->minutes > 0 && a->minutes > 3 * ex->minutes) {
        char what[96];
        snprintf(what, sizeof what, "%d minutes is more than 3 x the exam's %d", a->minutes,
                 ex->minutes);
        return fail(err, errlen, "%s", what);
    }
    for (int d = 0; a->per_domain && d < p->n_domains; d++)
        if (a->asked[d] > 0 && p->domains[d].exam != e) {
            char what[200];
            snprintf(what, sizeof what, "domain '%s' is not in exam '%s'", p->domains[d].id,
                     p->exams[e].id);
            return fail(err, errlen, "%s", what);
        }
    if (a->source && !text_is_printable(a->source))
        return fail(err, errlen, "control character or invalid UTF-8 in source", NULL);
    int limit = ex->questions > 0 ? ex->questions : 0;
    if (a->per_domain)
        for (int d = 0; d < p->n_domains; d++)
            if (check_ratio(a->right[d], a->asked[d], limit, p->domains[d].id, err, errlen))
                return -1;
    if (check_ratio(a->total_right, a->total_asked, limit, "total", err, errlen))
        return -1;
    if (a->total_asked == 0)
        return fail(err, errlen, "no questions asked", NULL);
    return 0;
}

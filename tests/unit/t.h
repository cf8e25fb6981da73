/* t.h — the unit-test helper: a few macros, one line of output per test.
 *
 *   TEST(name) { CHECK(x == 1); CHECK_STR(s, "a"); CHECK_INT(n, 3); }
 *   int main(void) { RUN(name); return t_done(); }
 *
 * Each test prints "PASS: file/name" or "FAIL: file/name" with the failed
 * checks below it; SKIP(why) prints "SKIP: file/name: why" and leaves the test.
 * tests/run.sh counts these lines. */
#ifndef CERTBOARD_T_H
#define CERTBOARD_T_H

#include <stdio.h>
#include <string.h>

static int t_failed_checks, t_skipped, t_pass, t_fail, t_skip;
static const char *t_current;

#define TEST(name) static void name(void)

#define CHECK(cond)                                                                            \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            t_failed_checks++;                                                                 \
            printf("  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                  \
        }                                                                                      \
    } while (0)

#define CHECK_INT(got, want)                                                                   \
    do {                                                                                       \
        long long t_g = (long long)(got), t_w = (long long)(want);                             \
        if (t_g != t_w) {                                                                      \
            t_failed_checks++;                                                                 \
            printf("  %s:%d: %s is %lld, want %lld\n", __FILE__, __LINE__, #got, t_g, t_w);    \
        }                                                                                      \
    } while (0)

#define CHECK_NEAR(got, want, eps)                                                             \
    do {                                                                                       \
        double t_g = (double)(got), t_w = (double)(want);                                      \
        if (!(t_g - t_w <= (eps) && t_w - t_g <= (eps))) {                                     \
            t_failed_checks++;                                                                 \
            printf("  %s:%d: %s is %.6f, want %.6f\n", __FILE__, __LINE__, #got, t_g, t_w);    \
        }                                                                                      \
    } while (0)

#define CHECK_STR(got, want)                                                                   \
    do {                                                                                       \
        const char *t_g = (got), *t_w = (want);                                                \
        if (!t_g || !t_w || strcmp(t_g, t_w) != 0) {                                           \
            t_failed_checks++;                                                                 \
            printf("  %s:%d: %s is \"%s\", want \"%s\"\n", __FILE__, __LINE__, #got,           \
                   t_g ? t_g : "(null)", t_w ? t_w : "(null)");                                \
        }                                                                                      \
    } while (0)

#define CHECK_CONTAINS(hay, needle)                                                            \
    do {                                                                                       \
        const char *t_h = (hay), *t_n = (needle);                                              \
        if (!t_h || !strstr(t_h, t_n)) {                                                       \
            t_failed_checks++;                                                                 \
            printf("  %s:%d: %s does not contain \"%s\"\n", __FILE__, __LINE__, #hay, t_n);    \
            if (t_h)                                                                           \
                printf("  --- it is:\n%s\n  ---\n", t_h);                                      \
        }                                                                                      \
    } while (0)

#define SKIP(why)                                                                              \
    do {                                                                                       \
        t_skipped = 1;                                                                         \
        printf("SKIP: %s: %s\n", t_current, why);                                              \
        return;                                                                                \
    } while (0)

static const char *t_base(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static inline void t_run(const char *name, void (*fn)(void), const char *file)
{
    static char label[256];
    char base[128];
    snprintf(base, sizeof base, "%s", t_base(file));
    char *dot = strrchr(base, '.');
    if (dot)
        *dot = '\0';
    snprintf(label, sizeof label, "%s/%s", base, name);
    t_current = label;
    t_failed_checks = 0;
    t_skipped = 0;
    fflush(stdout);
    fn();
    if (t_skipped) {
        t_skip++;
    } else if (t_failed_checks) {
        printf("FAIL: %s\n", label);
        t_fail++;
    } else {
        printf("PASS: %s\n", label);
        t_pass++;
    }
    fflush(stdout);
}

#define RUN(name) t_run(#name, name, __FILE__)

static inline int t_done(void)
{
    return t_fail ? 1 : 0;
}

#endif

/* bench_util.h — timing helpers shared by the benchmarks (bench/bench_*.c)
 * and the measuring tools (tests/tools/pty_bench.c). Header-only: each
 * program is one file linked with the core library. */
#ifndef CERTBOARD_BENCH_UTIL_H
#define CERTBOARD_BENCH_UTIL_H

#include <stdlib.h>
#include <time.h>

/* Monotonic clock in milliseconds. */
static inline double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* qsort comparator for doubles, ascending (for medians). */
static inline int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median, min and max of v[0..n) (sorted in place); n >= 1. Every figure a
 * benchmark prints is a median with its range: on a noisy machine a best-of
 * hides how far runs spread. */
typedef struct bench_spread {
    double median, min, max;
} bench_spread;

static inline bench_spread bench_spread_of(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    bench_spread r = {n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, v[0], v[n - 1]};
    return r;
}

#endif

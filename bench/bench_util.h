/* bench_util.h — timing helpers shared by the benchmarks (bench/bench_*.c)
 * and the measuring tools (tests/tools/pty_bench.c). Header-only: each
 * program is one file linked with the core library. */
#ifndef CERTBOARD_BENCH_UTIL_H
#define CERTBOARD_BENCH_UTIL_H

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

#endif

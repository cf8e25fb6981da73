/* trace.c — start-up phase timing (see trace.h). Owns the trace file, opened
 * on first use and closed at exit; the clock starts before main() runs. */
#include "certboard/trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double t0_ms;
static FILE *out;
static int state; /* 0 unknown, 1 on, -1 off */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

__attribute__((constructor)) static void trace_start(void)
{
    t0_ms = now_ms();
}

static void trace_close(void)
{
    if (out)
        fclose(out);
    out = NULL;
}

void trace_mark(const char *what)
{
    if (state == 0) {
        const char *path = getenv("CERTBOARD_TRACE");
        out = path && *path ? fopen(path, "a") : NULL;
        state = out ? 1 : -1;
        if (out)
            atexit(trace_close);
    }
    if (state > 0)
        fprintf(out, "%8.2f %s\n", now_ms() - t0_ms, what);
}

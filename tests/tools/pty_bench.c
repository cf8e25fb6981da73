/* pty_bench.c — measures a full-screen program in a pseudo-terminal: time to
 * the first complete frame, time and bytes from a key press to the updated
 * screen, and peak RSS.
 *
 *   pty_bench [--size WxH] [--keys N] [--ready TEXT] [--key-a C] [--key-b C] [--raw FILE]
 *             -- CMD ARGS...
 *
 * The first frame is complete when TEXT (default "quit", the footer's end, drawn
 * last) has appeared in the output. Then N keys alternate between key-a and
 * key-b (default j and k: cursor down, cursor up); for each, the time from the
 * write to the last byte of the answer (the answer ends after 50 ms of quiet)
 * and its bytes are recorded. Then q, and the child's peak RSS from wait4().
 * Prints one "name: value" line per figure. Asserts nothing. --raw saves every
 * byte the program wrote to the terminal (for tests that inspect them). */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../bench/bench_util.h"

#define QUIET_MS 50
#define KEY_CAP_MS 2000
#define START_CAP_MS 20000

/* Reads what is there within timeout_ms; returns bytes read, 0 on timeout,
 * -1 at end of output. */
static ssize_t read_some(int fd, char *buf, size_t n, int timeout_ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    int r = poll(&p, 1, timeout_ms);
    if (r <= 0)
        return 0;
    ssize_t got = read(fd, buf, n);
    if (got < 0 && (errno == EAGAIN || errno == EINTR))
        return 0;
    return got <= 0 ? -1 : got;
}

static FILE *raw;

/* read_some, keeping a copy of the bytes when --raw asked for them. */
static ssize_t read_tee(int fd, char *buf, size_t n, int timeout_ms)
{
    ssize_t got = read_some(fd, buf, n, timeout_ms);
    if (got > 0 && raw)
        fwrite(buf, 1, (size_t)got, raw);
    return got;
}

int main(int argc, char **argv)
{
    int w = 80, h = 24, nkeys = 50;
    const char *ready = "quit";
    char key_a = 'j', key_b = 'k';
    const char *raw_path = NULL;
    int i = 1;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "--size") == 0 && i + 1 < argc)
            sscanf(argv[++i], "%dx%d", &w, &h);
        else if (strcmp(argv[i], "--keys") == 0 && i + 1 < argc)
            nkeys = atoi(argv[++i]);
        else if (strcmp(argv[i], "--ready") == 0 && i + 1 < argc)
            ready = argv[++i];
        else if (strcmp(argv[i], "--key-a") == 0 && i + 1 < argc)
            key_a = argv[++i][0];
        else if (strcmp(argv[i], "--key-b") == 0 && i + 1 < argc)
            key_b = argv[++i][0];
        else if (strcmp(argv[i], "--raw") == 0 && i + 1 < argc)
            raw_path = argv[++i];
        else {
            fprintf(stderr, "pty_bench: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (i + 1 >= argc) {
        fprintf(stderr,
                "usage: pty_bench [--size WxH] [--keys N] [--ready TEXT] -- CMD ARGS...\n");
        return 2;
    }
    char **cmd = argv + i + 1;
    if (raw_path && !(raw = fopen(raw_path, "wb"))) {
        perror(raw_path);
        return 1;
    }
    struct winsize ws = {.ws_row = (unsigned short)h, .ws_col = (unsigned short)w};
    int fd;
    double t_start = now_ms();
    pid_t pid = forkpty(&fd, NULL, NULL, &ws);
    if (pid < 0) {
        perror("pty_bench: forkpty");
        return 1;
    }
    if (pid == 0) {
        setenv("TERM", "xterm-256color", 1);
        execvp(cmd[0], cmd);
        perror("pty_bench: exec");
        _exit(127);
    }

    /* First frame: until the ready text shows (it may straddle two reads). */
    size_t rlen = strlen(ready);
    char buf[65536], *window = malloc(sizeof buf + rlen + 1);
    size_t keep = 0, first_bytes = 0;
    double t_first = -1;
    while (t_first < 0 && now_ms() - t_start < START_CAP_MS) {
        ssize_t n = read_tee(fd, buf, sizeof buf, 100);
        if (n < 0)
            break;
        first_bytes += (size_t)(n > 0 ? n : 0);
        memcpy(window + keep, buf, (size_t)n);
        size_t len = keep + (size_t)n;
        window[len] = '\0';
        if (memmem(window, len, ready, rlen))
            t_first = now_ms() - t_start;
        keep = len < rlen ? len : rlen - 1;
        memmove(window, window + len - keep, keep);
    }
    if (t_first < 0) {
        fprintf(stderr, "pty_bench: no '%s' in the output within %d ms\n", ready, START_CAP_MS);
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
        return 1;
    }
    while (read_tee(fd, buf, sizeof buf, 200) > 0) /* let start-up settle */
        ;

    double *lat = calloc((size_t)nkeys + 1, sizeof *lat),
           *bytes = calloc((size_t)nkeys + 1, sizeof *bytes);
    int done = 0;
    for (int k = 0; k < nkeys; k++) {
        char key = k % 2 ? key_b : key_a;
        double t0 = now_ms(), last = -1;
        size_t got = 0;
        if (write(fd, &key, 1) != 1)
            break;
        for (;;) {
            int wait = last < 0 ? KEY_CAP_MS : QUIET_MS;
            ssize_t n = read_tee(fd, buf, sizeof buf, wait);
            if (n <= 0)
                break;
            got += (size_t)n;
            last = now_ms();
        }
        if (last < 0)
            continue; /* no answer: the key changed nothing */
        lat[done] = last - t0;
        bytes[done] = (double)got;
        done++;
    }
    if (write(fd, "q", 1) != 1)
        kill(pid, SIGTERM);
    while (read_tee(fd, buf, sizeof buf, 500) > 0)
        ;
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("pty_bench: wait4");
        return 1;
    }
    qsort(lat, (size_t)done, sizeof *lat, cmp_double);
    qsort(bytes, (size_t)done, sizeof *bytes, cmp_double);
    printf("size: %dx%d\n", w, h);
    printf("first frame: %.1f ms (%zu bytes)\n", t_first, first_bytes);
    if (done > 0) {
        printf("key to screen: median %.2f ms, max %.2f ms (%d keys)\n", lat[done / 2],
               lat[done - 1], done);
        printf("bytes per key: median %.0f, max %.0f\n", bytes[done / 2], bytes[done - 1]);
    } else {
        printf("key to screen: no answer to any key\n");
    }
    printf("peak RSS: %.1f MiB\n", ru.ru_maxrss / 1024.0);
    printf("exit status: %d\n",
           WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    free(lat);
    free(bytes);
    free(window);
    if (raw)
        fclose(raw);
    return 0;
}

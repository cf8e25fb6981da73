/* trace.h — start-up phase timing for measuring, off unless asked for.
 *
 * With CERTBOARD_TRACE=FILE in the environment, trace_mark("what") appends
 * "<ms since the program started> <what>" to FILE (a terminal program cannot
 * write to its own screen). Without it trace_mark costs one branch. */
#ifndef CERTBOARD_TRACE_H
#define CERTBOARD_TRACE_H

void trace_mark(const char *what);

#endif

/* hlc.h — hybrid logical clock: 48 bits of physical milliseconds, 16 bits of
 * counter. A clock value is ordered after every value its holder has seen, and
 * stays close to wall time when the wall clocks agree.
 *
 * Pure functions on plain integers; the caller keeps the clock's state. */
#ifndef CERTBOARD_HLC_H
#define CERTBOARD_HLC_H

#include <stdint.h>

#define HLC_COUNTER_BITS 16

/* The next clock value for a local event: greater than last (the greatest value
 * seen so far) and not behind the wall clock now_ms. */
uint64_t hlc_next(uint64_t last, int64_t now_ms);
/* The physical part of a clock value, in ms since the epoch. */
int64_t hlc_ms(uint64_t hlc);

#endif

/* hlc.h — hybrid logical clock: 48 bits of physical milliseconds, 16 bits of
 * counter. A clock value is ordered after every value its holder has seen, and
 * stays close to wall time when the wall clocks agree.
 *
 * Pure functions on plain integers; the caller keeps the clock's state. */
#ifndef CERTBOARD_HLC_H
#define CERTBOARD_HLC_H

#include <stdbool.h>
#include <stdint.h>

#define HLC_COUNTER_BITS 16
/* How far ahead of a reader's clock an event's clock may be and still be
 * believed: one day. Anything further is a forged or broken clock and is
 * quarantined (never merged, never raises anyone's clock). */
#define HLC_MAX_AHEAD_MS (24LL * 3600 * 1000)

/* The next clock value for a local event: greater than last (the greatest value
 * seen so far) and not behind the wall clock now_ms. Never wraps: when no
 * greater value exists it returns last itself, and the caller must refuse. */
uint64_t hlc_next(uint64_t last, int64_t now_ms);
/* The physical part of a clock value, in ms since the epoch. */
int64_t hlc_ms(uint64_t hlc);
/* Is hlc more than HLC_MAX_AHEAD_MS beyond the wall clock now_ms? */
bool hlc_implausible(uint64_t hlc, int64_t now_ms);

#endif

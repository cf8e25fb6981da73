/* hlc.c — hybrid logical clock arithmetic (see hlc.h). */
#include "certboard/hlc.h"

#define HLC_MAX_PHYS (UINT64_MAX >> HLC_COUNTER_BITS)

uint64_t hlc_next(uint64_t last, int64_t now_ms)
{
    uint64_t wall = 0;
    if (now_ms > 0)
        wall = (uint64_t)now_ms >= HLC_MAX_PHYS ? HLC_MAX_PHYS << HLC_COUNTER_BITS
                                                : (uint64_t)now_ms << HLC_COUNTER_BITS;
    if (wall > last)
        return wall;
    return last == UINT64_MAX ? last : last + 1; /* saturates: never wraps to 0 */
}

int64_t hlc_ms(uint64_t hlc)
{
    return (int64_t)(hlc >> HLC_COUNTER_BITS);
}

bool hlc_implausible(uint64_t hlc, int64_t now_ms)
{
    int64_t bound =
        now_ms > INT64_MAX - HLC_MAX_AHEAD_MS ? INT64_MAX : now_ms + HLC_MAX_AHEAD_MS;
    return hlc_ms(hlc) > bound;
}

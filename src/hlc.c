/* hlc.c — hybrid logical clock arithmetic (see hlc.h). */
#include "certboard/hlc.h"

uint64_t hlc_next(uint64_t last, int64_t now_ms)
{
    uint64_t wall = now_ms > 0 ? (uint64_t)now_ms << HLC_COUNTER_BITS : 0;
    return wall > last ? wall : last + 1;
}

int64_t hlc_ms(uint64_t hlc)
{
    return (int64_t)(hlc >> HLC_COUNTER_BITS);
}

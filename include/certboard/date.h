/* date.h — civil dates as day numbers (days since 1970-01-01), no time zones,
 * and the two clocks the program reads. Nothing is allocated. */
#ifndef CERTBOARD_DATE_H
#define CERTBOARD_DATE_H

#include <stdbool.h>

typedef int cb_day; /* days since 1970-01-01 (proleptic Gregorian) */

bool date_parse(const char *s, cb_day *out); /* strict YYYY-MM-DD */
void date_format(cb_day d, char buf[11]);    /* YYYY-MM-DD */
cb_day date_from_ymd(int y, int m, int d);
void date_to_ymd(cb_day day, int *y, int *m, int *d);
int date_weekday(cb_day d); /* 0 = Monday .. 6 = Sunday */
cb_day date_today(void);    /* local time */
/* Milliseconds from the instant (ms since the epoch) until the next local
 * midnight (DST changes included: the wall clock, not 24 h, decides). */
long long date_ms_to_next_day(long long now_ms);
/* The wall clock, ms since the epoch (what events record; midnight). */
long long date_wall_ms(void);
/* A clock that never goes back, ms (for intervals and deadlines). */
long long date_mono_ms(void);

#endif

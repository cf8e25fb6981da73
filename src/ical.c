/* ical.c — the plan's schedule as an RFC 5545 calendar.
 *
 * One VEVENT per session occurrence (plan start + week + weekday + start
 * minute) and an all-day VEVENT for the exam day. Times are floating local
 * times (no TZID): a session at 10:00 is at 10:00 wherever the reader is,
 * which is what a team in one office means. Lines end in CRLF, are folded at
 * 75 octets (never inside a UTF-8 sequence), and text escapes \ ; , and
 * newlines. UIDs are stable: plan id, session id and week. */
#include "certboard/report.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "certboard/arena.h"
#include "certboard/text.h"

/* Writes one content line, folded: at most 75 octets per physical line. */
static void put_line(FILE *out, const char *s)
{
    size_t n = strlen(s), used = 0;
    while (n > 0) {
        size_t room = used == 0 ? 75 : 74; /* continuation lines start with a space */
        size_t take = n;
        if (take > room) {
            take = room;
            while (take > 0 && ((unsigned char)s[take] & 0xC0) == 0x80)
                take--; /* do not split a UTF-8 sequence */
        }
        if (used)
            fputc(' ', out);
        fwrite(s, 1, take, out);
        fputs("\r\n", out);
        s += take;
        n -= take;
        used += take;
    }
    if (used == 0)
        fputs("\r\n", out);
}

/* "NAME:" followed by escaped text (text.h), as one folded line. */
static void put_text(FILE *out, const char *name, const char *text)
{
    cb_arena *a = arena_new();
    put_line(out, arena_printf(a, "%s:%s", name, text_escape(a, TEXT_ICAL, text)));
    arena_free(a);
}

static void put_fmt(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put_fmt(FILE *out, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    put_line(out, buf);
}

static void ymd(cb_day d, char buf[9])
{
    char iso[11];
    date_format(d, iso); /* YYYY-MM-DD */
    memcpy(buf, iso, 4);
    memcpy(buf + 4, iso + 5, 2);
    memcpy(buf + 6, iso + 8, 2);
    buf[8] = '\0';
}

/* Floating local date-time: YYYYMMDDTHHMMSS, minutes may run past midnight. */
static void local_time(cb_day d, int minute, char buf[32])
{
    if (minute < 0)
        minute = 0;
    d += minute / 1440;
    unsigned m = (unsigned)(minute % 1440);
    char date[9];
    ymd(d, date);
    snprintf(buf, 32, "%sT%02u%02u00", date, m / 60, m % 60);
}

static const char *kind_name(enum cb_session_kind k)
{
    static const char *const names[] = {"mentor sync",      "teach session", "practice exam",
                                        "strategy session", "stand-up",      "meeting"};
    return k <= CB_SESSION_OTHER ? names[k] : "meeting";
}

static void begin_event(FILE *out, const char *uid, const char *stamp)
{
    put_line(out, "BEGIN:VEVENT");
    put_fmt(out, "UID:%s", uid);
    put_fmt(out, "DTSTAMP:%s", stamp);
}

int ical_write(FILE *out, const cb_plan *p, int64_t dtstamp_ms)
{
    char stamp[32];
    time_t t = (time_t)(dtstamp_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);

    put_line(out, "BEGIN:VCALENDAR");
    put_line(out, "VERSION:2.0");
    put_line(out, "PRODID:-//certboard//certboard//EN");
    put_line(out, "CALSCALE:GREGORIAN");
    put_text(out, "X-WR-CALNAME", p->title ? p->title : p->id);
    int n = 0;
    for (int s = 0; s < p->n_sessions; s++) {
        const cb_session *ss = &p->sessions[s];
        for (int w = ss->weeks.lo; w <= ss->weeks.hi && w <= p->n_weeks; w++) {
            if (w < 1)
                continue;
            cb_day week_start = plan_week_start(p, w);
            cb_day d = week_start + (ss->weekday - date_weekday(week_start) + 7) % 7;
            char uid[300], start[32], end[32], desc[600];
            snprintf(uid, sizeof uid, "%s-%s-w%d@certboard", p->id, ss->id, w);
            snprintf(desc, sizeof desc, "%s, week %d of %s", kind_name(ss->kind), w,
                     p->title ? p->title : p->id);
            local_time(d, ss->start_minute, start);
            local_time(d, ss->start_minute + (ss->minutes > 0 ? ss->minutes : 60), end);
            begin_event(out, uid, stamp);
            put_fmt(out, "DTSTART:%s", start);
            put_fmt(out, "DTEND:%s", end);
            put_text(out, "SUMMARY", ss->title ? ss->title : ss->id);
            put_text(out, "DESCRIPTION", desc);
            put_text(out, "CATEGORIES", kind_name(ss->kind));
            put_line(out, "END:VEVENT");
            n++;
        }
    }
    /* one all-day event per exam; a single-exam plan keeps its one event */
    for (int e = 0; e < (p->n_exams > 1 ? p->n_exams : 1); e++) {
        bool roadmap = p->n_exams > 1;
        cb_day exam = roadmap ? plan_exam_day_of(p, e) : plan_exam_day(p);
        char uid[300], d0[9], d1[9];
        if (roadmap)
            snprintf(uid, sizeof uid, "%s-exam-%s@certboard", p->id, p->exams[e].id);
        else
            snprintf(uid, sizeof uid, "%s-exam@certboard", p->id);
        ymd(exam, d0);
        ymd(exam + 1, d1);
        begin_event(out, uid, stamp);
        put_fmt(out, "DTSTART;VALUE=DATE:%s", d0);
        put_fmt(out, "DTEND;VALUE=DATE:%s", d1);
        put_text(out, "SUMMARY",
                 roadmap                                 ? p->exams[e].name
                 : p->certification && *p->certification ? p->certification
                                                         : "Certification exam");
        put_text(out, "DESCRIPTION", "Exam day");
        put_line(out, "TRANSP:TRANSPARENT");
        put_line(out, "END:VEVENT");
        n++;
    }
    put_line(out, "END:VCALENDAR");
    return ferror(out) ? -1 : n;
}

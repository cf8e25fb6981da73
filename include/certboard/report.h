/* report.h — the stand-up report and the iCalendar export.
 *
 * report_write() renders the team's state (state.h) as text, markdown, CSV or
 * JSON: this week's milestones, progress per member, overdue items, at-risk
 * milestones, changes since the last stand-up, the team's weak links,
 * readiness per member and the burn-up. Formats: docs/report.md; the JSON
 * schema: docs/report-schema.json.
 *
 * ical_write() renders the plan's sessions and the exam day as an RFC 5545
 * calendar (floating local times).
 *
 * Both are pure functions of their arguments apart from writing to out; they
 * allocate from a private arena they free before returning. */
#ifndef CERTBOARD_REPORT_H
#define CERTBOARD_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "certboard/date.h"
#include "certboard/plan.h"
#include "certboard/state.h"

enum cb_report_format {
    CB_REPORT_TEXT,
    CB_REPORT_MARKDOWN,
    CB_REPORT_CSV,
    CB_REPORT_JSON,
    CB_REPORT_HTML /* one self-contained page: inline CSS and SVG, no script, no network */
};

typedef struct cb_report_opts {
    enum cb_report_format format;
    int week;     /* milestones of this week; 0 = the current week */
    cb_day since; /* changes from this day on; 0 = the last stand-up (state.h) */
} cb_report_opts;

/* Parses "text", "markdown" (or "md"), "csv", "json", "html"; -1 when unknown. */
int report_format_parse(const char *name, enum cb_report_format *out);

/* Returns 0, or -1 when writing failed (errno set by stdio). */
int report_write(FILE *out, cb_state *st, const cb_report_opts *opts);

/* dtstamp_ms: the DTSTAMP of every event (ms since the epoch, UTC).
 * Returns the number of events written, or -1 when writing failed. */
int ical_write(FILE *out, const cb_plan *p, int64_t dtstamp_ms);

#endif

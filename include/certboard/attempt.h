/* attempt.h — a practice-exam attempt: the struct, its stored text and its
 * sanity checks (format and rules: docs/readiness.md).
 *
 * Attempts are stored under the exam key of keys.h; their value is the text
 * attempt_format() writes and attempt_parse() reads. Values written by other
 * clients are untrusted: attempt_parse() rejects what it does not understand.
 * Ownership: everything returned is allocated from the caller's arena. */
#ifndef CERTBOARD_ATTEMPT_H
#define CERTBOARD_ATTEMPT_H

#include <stdbool.h>
#include <stddef.h>

#include "certboard/arena.h"
#include "certboard/date.h"
#include "certboard/plan.h"

typedef struct cb_attempt {
    const char *id; /* stable attempt id (key suffix) */
    int member;     /* member index */
    cb_day date;
    const char *source; /* e.g. "practice set A" */
    int minutes;        /* minutes used, 0 when unknown */
    int *right, *asked; /* per domain (plan->n_domains); asked 0 = not asked */
    int total_right, total_asked;
    bool per_domain; /* false: only the totals are known */
    int exam;        /* the exam it practises (plan->exams); see attempt_exam() */
    bool exam_named; /* its text names the exam (field exam=ID) */
} cb_attempt;

/* The exam an attempt practises: the one it names; else the exam owning the
 * domains it asked about; else (totals only) the first exam on or after its
 * date, or the last one. attempt_parse() stores it in a->exam. */
int attempt_exam(const cb_plan *p, const cb_attempt *a);

/* Attempt text <-> struct. parse returns 0, or -1 with a reason in err. */
int attempt_parse(const cb_plan *p, const char *id, const char *text, cb_attempt *out,
                  cb_arena *arena, char *err, size_t errlen);
char *attempt_format(const cb_plan *p, const cb_attempt *a, cb_arena *arena);
/* The member field of an attempt's text, %XX-decoded (kept as written when
 * the escape is bad), without checking anything else: for telling whose an
 * unreadable or foreign attempt is. NULL when the text has no such field. */
const char *attempt_member(const char *text, cb_arena *arena);
/* Refuses impossible numbers: more right than asked, negatives, unknown domain,
 * a date in the future (after today), minutes over the exam's length x 3... */
/* Attempt ids: [A-Za-z0-9][A-Za-z0-9._-]*, at most 64 characters. */
bool attempt_valid_id(const char *id);
int attempt_check(const cb_plan *p, const cb_attempt *a, cb_day today, char *err,
                  size_t errlen);
#endif

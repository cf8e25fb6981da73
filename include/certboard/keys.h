/* keys.h — the store's key schema: the one place that knows how the team's
 * state is spelled as store keys.
 *
 *   tick/<item>/<member>   "1" ticked, "" unticked
 *   ms/<milestone>         a milestone status (state.h), with the note
 *   exam/<attempt-id>      a practice-exam attempt (attempt_format), "" deleted
 *
 * Ids never hold '/'. The store itself is a key/value event log and knows
 * nothing of this; every other module builds and reads keys through here.
 * Pure: nothing is allocated, parsed ids point into the key. */
#ifndef CERTBOARD_KEYS_H
#define CERTBOARD_KEYS_H

#include <stdbool.h>
#include <stddef.h>

enum cb_key_kind { KEY_OTHER, KEY_TICK, KEY_MILESTONE, KEY_EXAM };

typedef struct cb_keyref {
    enum cb_key_kind kind;
    const char *id; /* item, milestone or attempt id (not NUL-terminated for ticks) */
    size_t id_len;
    const char *member; /* ticks: the member, to the end of the key; else NULL */
} cb_keyref;

/* Parses a key. A key of a known prefix but a broken shape (tick/ without
 * "<item>/<member>", an empty id) is KEY_OTHER. */
cb_keyref key_parse(const char *key);
enum cb_key_kind key_kind(const char *key);

/* Build a key into buf (size n) and return buf. */
const char *key_tick(char *buf, size_t n, const char *item, const char *member);
const char *key_milestone(char *buf, size_t n, const char *milestone);
const char *key_exam(char *buf, size_t n, const char *attempt_id);

#endif

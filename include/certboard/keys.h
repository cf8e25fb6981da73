/* keys.h — the store's key schema: the one place that knows how the team's
 * state is spelled as store keys.
 *
 *   tick/<item>/<member>   "1" ticked, "" unticked
 *   ms/<milestone>         a milestone status (state.h), with the note
 *   exam/<attempt-id>      a practice-exam attempt (attempt_format), "" deleted
 *   standup/<mark-id>      the lead marked the stand-up held ("1"; "" when undone)
 *   block/<item>/<member>  the member is blocked on the item ("1", the note says
 *                          why), "" unblocked; a later tick clears it (state.h)
 *   asset/<item>/<member>  a link or path to what the member built for the
 *                          item (the team library), "" removed
 *   result/<exam>/<member> the member's result in one exam of the plan:
 *                          booked, passed or failed, with day and score
 *                          (state_result_parse), "" cleared
 *
 * Ids never hold '/'. The store itself is a key/value event log and knows
 * nothing of this; every other module builds and reads keys through here.
 * Pure: nothing is allocated, parsed ids point into the key. */
#ifndef CERTBOARD_KEYS_H
#define CERTBOARD_KEYS_H

#include <stdbool.h>
#include <stddef.h>

enum cb_key_kind {
    KEY_OTHER,
    KEY_TICK,
    KEY_MILESTONE,
    KEY_EXAM,
    KEY_STANDUP,
    KEY_BLOCK,
    KEY_ASSET,
    KEY_RESULT
};

typedef struct cb_keyref {
    enum cb_key_kind kind;
    const char *id; /* item, milestone, attempt or mark id (not NUL-terminated for
                       the keys that name a member) */
    size_t id_len;
    const char *member; /* tick, block, asset, result: the member, to the end of the key */
} cb_keyref;

/* Parses a key. A key of a known prefix but a broken shape (tick/ without
 * "<item>/<member>", an empty id) is KEY_OTHER. */
cb_keyref key_parse(const char *key);
enum cb_key_kind key_kind(const char *key);

/* Build a key into buf (size n) and return buf. */
const char *key_tick(char *buf, size_t n, const char *item, const char *member);
const char *key_milestone(char *buf, size_t n, const char *milestone);
const char *key_exam(char *buf, size_t n, const char *attempt_id);
const char *key_standup(char *buf, size_t n, const char *mark_id);
const char *key_block(char *buf, size_t n, const char *item, const char *member);
const char *key_asset(char *buf, size_t n, const char *item, const char *member);
const char *key_result(char *buf, size_t n, const char *exam, const char *member);

/* The prefix of a kind (tick/, ms/...; "" for KEY_OTHER), and whether its keys
 * end in "/<member>": what a server's access rules need to tell whose a key
 * is without spelling the schema again. */
const char *key_prefix(enum cb_key_kind kind);
bool key_names_member(enum cb_key_kind kind);

#endif

/* keys.c — building and parsing store keys (see keys.h). */
#include "certboard/keys.h"

#include <stdio.h>
#include <string.h>

static const struct {
    enum cb_key_kind kind;
    const char *prefix;
    size_t len;
} prefixes[] = {
    {KEY_TICK, "tick/", 5},
    {KEY_MILESTONE, "ms/", 3},
    {KEY_EXAM, "exam/", 5},
};

cb_keyref key_parse(const char *key)
{
    cb_keyref k = {KEY_OTHER, NULL, 0, NULL};
    for (size_t i = 0; key && i < sizeof prefixes / sizeof prefixes[0]; i++) {
        if (strncmp(key, prefixes[i].prefix, prefixes[i].len) != 0)
            continue;
        const char *id = key + prefixes[i].len;
        if (prefixes[i].kind == KEY_TICK) {
            const char *slash = strchr(id, '/');
            if (!slash || slash == id || !slash[1] || strchr(slash + 1, '/'))
                return k;
            return (cb_keyref){KEY_TICK, id, (size_t)(slash - id), slash + 1};
        }
        if (!*id)
            return k;
        return (cb_keyref){prefixes[i].kind, id, strlen(id), NULL};
    }
    return k;
}

enum cb_key_kind key_kind(const char *key)
{
    return key_parse(key).kind;
}

const char *key_tick(char *buf, size_t n, const char *item, const char *member)
{
    snprintf(buf, n, "%s%s/%s", prefixes[0].prefix, item, member);
    return buf;
}

const char *key_milestone(char *buf, size_t n, const char *milestone)
{
    snprintf(buf, n, "%s%s", prefixes[1].prefix, milestone);
    return buf;
}

const char *key_exam(char *buf, size_t n, const char *attempt_id)
{
    snprintf(buf, n, "%s%s", prefixes[2].prefix, attempt_id);
    return buf;
}

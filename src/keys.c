/* keys.c — building and parsing store keys (see keys.h). */
#include "certboard/keys.h"

#include <stdio.h>
#include <string.h>

static const struct {
    enum cb_key_kind kind;
    const char *prefix;
    size_t len;
} prefixes[] = {
    {KEY_TICK, "tick/", 5},       {KEY_MILESTONE, "ms/", 3}, {KEY_EXAM, "exam/", 5},
    {KEY_STANDUP, "standup/", 8}, {KEY_BLOCK, "block/", 6},  {KEY_ASSET, "asset/", 6},
    {KEY_RESULT, "result/", 7},
};

/* Keys shaped <prefix><item>/<member>. */
static bool per_member(enum cb_key_kind k)
{
    return k == KEY_TICK || k == KEY_BLOCK || k == KEY_ASSET || k == KEY_RESULT;
}

cb_keyref key_parse(const char *key)
{
    cb_keyref k = {KEY_OTHER, NULL, 0, NULL};
    for (size_t i = 0; key && i < sizeof prefixes / sizeof prefixes[0]; i++) {
        if (strncmp(key, prefixes[i].prefix, prefixes[i].len) != 0)
            continue;
        const char *id = key + prefixes[i].len;
        if (per_member(prefixes[i].kind)) {
            const char *slash = strchr(id, '/');
            if (!slash || slash == id || !slash[1] || strchr(slash + 1, '/'))
                return k;
            return (cb_keyref){prefixes[i].kind, id, (size_t)(slash - id), slash + 1};
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

static const char *item_member_key(char *buf, size_t n, int kind, const char *item,
                                   const char *member)
{
    snprintf(buf, n, "%s%s/%s", prefixes[kind].prefix, item, member);
    return buf;
}

const char *key_standup(char *buf, size_t n, const char *mark_id)
{
    snprintf(buf, n, "%s%s", prefixes[3].prefix, mark_id);
    return buf;
}

const char *key_block(char *buf, size_t n, const char *item, const char *member)
{
    return item_member_key(buf, n, 4, item, member);
}

const char *key_asset(char *buf, size_t n, const char *item, const char *member)
{
    return item_member_key(buf, n, 5, item, member);
}

const char *key_result(char *buf, size_t n, const char *exam, const char *member)
{
    return item_member_key(buf, n, 6, exam, member);
}

const char *key_prefix(enum cb_key_kind kind)
{
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (prefixes[i].kind == kind)
            return prefixes[i].prefix;
    return "";
}

bool key_names_member(enum cb_key_kind kind)
{
    return per_member(kind);
}

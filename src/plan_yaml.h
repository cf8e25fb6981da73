/* plan_yaml.h — private to the plan module: YAML text to a small node tree.
 *
 * The tree is built from libyaml's event API, so aliases are never expanded
 * (each one is reported and read as null). Every node carries its position.
 * Input is bounded: size, nesting depth, node count and scalar length have
 * caps, and scalars are cleaned of terminal control characters before they
 * are stored. Ownership: every node and string lives in the caller's arena. */
#ifndef CERTBOARD_PLAN_YAML_H
#define CERTBOARD_PLAN_YAML_H

#include <stdbool.h>
#include <stddef.h>

#include "certboard/plan.h"

#define YN_MAX_BYTES (4u << 20) /* largest plan file */
#define YN_MAX_DEPTH 64         /* deepest nesting of lists and maps */
#define YN_MAX_NODES 200000     /* nodes in one file */
#define YN_MAX_SCALAR 4096      /* bytes in one string */

enum yn_kind { YN_SCALAR, YN_SEQ, YN_MAP };

typedef struct ynode ynode;
struct ynode {
    enum yn_kind kind;
    bool null; /* plain empty, "~" or "null" */
    cb_pos pos;
    const char *s;      /* scalar text, NUL-terminated and safe to print */
    ynode **key, **val; /* map: key[i] -> val[i]; sequence: val[i] */
    int n;
};

/* Parses one YAML document into *root (NULL for an empty stream). Reports
 * every problem into diags with name:line:col. Returns 0 when a tree was built
 * (possibly with non-fatal errors such as aliases or duplicate keys), -1 when
 * the input is not YAML or exceeds a limit. */
int yn_parse(cb_arena *a, const char *name, const char *buf, size_t len, cb_diags *diags,
             ynode **root);

/* Line and column (1-based) of a byte offset into buf. */
cb_pos yn_offset_pos(const char *buf, size_t len, size_t offset);

#endif

/* plan_impl.h — private to the plan module: what its three steps share.
 *
 *   plan_yaml.c   YAML text -> node tree
 *   plan_read.c   node tree -> cb_plan (keys, types, value formats)
 *   plan_check.c  ids, references and the rules across entities
 *   plan.c        loading entry points, id index, lookups
 *
 * Ownership: everything here lives in the plan's arena, except the reference
 * list (malloc'd, freed by plan_check_all()). */
#ifndef CERTBOARD_PLAN_IMPL_H
#define CERTBOARD_PLAN_IMPL_H

#include "certboard/plan.h"
#include "plan_yaml.h"

/* Kinds of things with ids; also the namespaces of the id index. */
enum ref_kind {
    REF_TRACK,
    REF_MEMBER,
    REF_DOMAIN,
    REF_POD,
    REF_PHASE,
    REF_MILESTONE,
    REF_ITEM,
    REF_CHECKLIST,
    REF_SESSION,
    REF_LOGIN,
    REF_KINDS
};

/* A reference by id, written somewhere in the file, resolved after reading. */
struct plan_ref {
    enum ref_kind kind;
    const char *id; /* as written */
    cb_pos pos;
    int *slot;         /* receives the index, -1 when unknown */
    const char *where; /* "pod 'pod2'" */
};

/* One entry of the weeks list, before it is spread over the plan's weeks. */
struct week_entry {
    cb_range weeks;
    const char *theme;
    cb_strv activities;
    bool range; /* written as "a-b" */
    cb_pos pos, week_pos;
};

/* Everything the reader collects beside the public plan. */
struct plan_build {
    cb_plan *p;
    cb_arena *a;
    cb_diags *d;
    const char *file;
    struct plan_ref *refs;
    int n_refs, cap_refs;
    bool refs_sorted; /* by slot, once messages need their positions */
    struct week_entry *entries;
    int n_entries;
    int n_unknown_keys; /* suggestions stop after many */
    const ynode *root, *phases_node, *domains_node, *pods_node, *weeks_node;
    cb_pos *stated_pos;       /* of each pod's stated_weight */
    cb_pos *phase_weeks_pos;  /* of each phase's weeks */
    cb_pos *exam_domains_pos; /* of each exam's domains list (NULL: single-exam form) */
};

void plan_error(struct plan_build *b, cb_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void plan_warning(struct plan_build *b, cb_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reads the node tree into b->p, recording references for later. */
void plan_read(struct plan_build *b);
/* Builds the id index, resolves references and checks every rule. */
void plan_check_all(struct plan_build *b);

/* Index by id (plan.c). */
struct cb_plan_index *plan_index_new(cb_arena *a, const int n_hint[REF_KINDS]);
/* Adds an id; returns the index already stored for it, or -1 when new. */
int plan_index_add(struct cb_plan_index *ix, enum ref_kind kind, const char *id, int value);
int plan_index_find(const struct cb_plan_index *ix, enum ref_kind kind, const char *id);

const char *plan_ref_kind_name(enum ref_kind kind);

#endif

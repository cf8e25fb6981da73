/* plan_yaml.c — YAML text to a bounded node tree (see plan_yaml.h).
 *
 * Built on libyaml's event (parser) API: the tree is assembled here with a
 * stack of open containers, so nothing is expanded behind our back and every
 * limit is checked as the events arrive. */
#include "plan_yaml.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct frame { /* an open sequence or map */
    ynode *node;
    ynode **key, **val; /* growing, malloc'd until the container closes */
    int n, cap;
    bool want_key; /* map: the next node is a key */
};

struct builder {
    cb_arena *a;
    cb_diags *d;
    const char *name;
    const char *buf;
    size_t len;
    struct frame stack[YN_MAX_DEPTH];
    int depth;
    long nodes;
    ynode *root;
};

cb_pos yn_offset_pos(const char *buf, size_t len, size_t offset)
{
    cb_pos pos = {1, 1};
    if (offset > len)
        offset = len;
    for (size_t i = 0; i < offset; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c == '\n' || (c == '\r' && (i + 1 >= len || buf[i + 1] != '\n'))) {
            pos.line++;
            pos.col = 1;
        } else if ((c & 0xC0) != 0x80) {
            pos.col++; /* columns count characters, as libyaml's marks do */
        }
    }
    return pos;
}

/* The byte at a line and column, or -1 past the end. */
static int byte_at(const char *buf, size_t len, int line, int col)
{
    size_t i = 0;
    for (int l = 1; l < line && i < len; i++)
        if (buf[i] == '\n')
            l++;
    for (int c = 1; i < len && buf[i] != '\n'; i++) {
        if (((unsigned char)buf[i] & 0xC0) == 0x80)
            continue;
        if (c++ == col)
            return (unsigned char)buf[i];
    }
    return -1;
}

static cb_pos mark_pos(yaml_mark_t m)
{
    return (cb_pos){(int)m.line + 1, (int)m.column + 1};
}

static void report_syntax(struct builder *b, const yaml_parser_t *p)
{
    if (p->error == YAML_MEMORY_ERROR) {
        diags_add(b->d, CB_ERROR, b->name, 0, 0, "out of memory while reading YAML");
        return;
    }
    const char *problem = p->problem ? p->problem : "unknown YAML error";
    if (p->error == YAML_READER_ERROR) {
        cb_pos pos = yn_offset_pos(b->buf, b->len, p->problem_offset);
        if (p->problem_value == 0)
            diags_add(b->d, CB_ERROR, b->name, pos.line, pos.col,
                      "NUL byte in the file (a plan is UTF-8 text)");
        else if (p->problem_value >= 0)
            diags_add(b->d, CB_ERROR, b->name, pos.line, pos.col, "%s (#x%X)", problem,
                      (unsigned)p->problem_value);
        else
            diags_add(b->d, CB_ERROR, b->name, pos.line, pos.col, "%s", problem);
        return;
    }
    cb_pos pos = mark_pos(p->problem_mark);
    if (byte_at(b->buf, b->len, pos.line, pos.col) == '\t') {
        diags_add(b->d, CB_ERROR, b->name, pos.line, pos.col,
                  "tab character here; YAML indents with spaces only");
    } else if (p->context) {
        diags_add(b->d, CB_ERROR, b->name, pos.line, pos.col, "%s (%s at line %d)", problem,
                  p->context, (int)p->context_mark.line + 1);
    } else {
        diags_add(b->d, CB_ERROR, b->name, pos.line, pos.col, "%s", problem);
    }
}

/* Length of the valid UTF-8 sequence at s (n bytes available) and its code
 * point, or 0 when the bytes are not valid UTF-8. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t k;
    uint32_t c, min;
    if ((s[0] & 0xE0) == 0xC0) {
        k = 2;
        c = s[0] & 0x1F;
        min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        k = 3;
        c = s[0] & 0x0F;
        min = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        k = 4;
        c = s[0] & 0x07;
        min = 0x10000;
    } else
        return 0;
    if (k > n)
        return 0;
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return k;
}

static bool is_control(uint32_t cp)
{
    return (cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7F && cp <= 0x9F);
}

/* Copies a scalar into the arena, capped in length, with control characters
 * and invalid UTF-8 replaced by '?' (each kind reported once per scalar). */
static const char *clean_scalar(struct builder *b, const unsigned char *s, size_t n, cb_pos pos)
{
    if (n > YN_MAX_SCALAR) {
        diags_add(b->d, CB_ERROR, b->name, pos.line, pos.col,
                  "string too long (%zu bytes; at most %d)", n, YN_MAX_SCALAR);
        n = YN_MAX_SCALAR;
        while (n > 0 && (s[n] & 0xC0) == 0x80) /* do not cut a character in two */
            n--;
    }
    char *out = arena_alloc(b->a, n + 1);
    size_t o = 0;
    bool bad_utf8 = false, bad_ctl = false;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (k == 0 || is_control(cp)) {
            if (k == 0 && !bad_utf8) {
                diags_add(b->d, CB_ERROR, b->name, pos.line, pos.col,
                          "invalid UTF-8 in string");
                bad_utf8 = true;
            } else if (k && !bad_ctl) {
                diags_add(b->d, CB_ERROR, b->name, pos.line, pos.col,
                          "control character U+%04X in string (not allowed in plans)",
                          (unsigned)cp);
                bad_ctl = true;
            }
            out[o++] = '?';
            i += k ? k : 1;
            continue;
        }
        memcpy(out + o, s + i, k);
        o += k;
        i += k;
    }
    out[o] = '\0';
    return out;
}

static int cmp_keys(const void *x, const void *y)
{
    const ynode *a = *(ynode *const *)x, *b = *(ynode *const *)y;
    int c = strcmp(a->s, b->s);
    if (c == 0)
        c = a->pos.line != b->pos.line ? a->pos.line - b->pos.line : a->pos.col - b->pos.col;
    return c;
}

/* Duplicate keys: an error at each repeated key, naming the first one's line. */
static void check_duplicates(struct builder *b, const ynode *map)
{
    if (map->n < 2)
        return;
    ynode **keys = xmalloc((size_t)map->n * sizeof *keys);
    int n = 0;
    for (int i = 0; i < map->n; i++)
        if (map->key[i]->kind == YN_SCALAR)
            keys[n++] = map->key[i];
    qsort(keys, (size_t)n, sizeof *keys, cmp_keys);
    for (int i = 1, first = 0; i < n; i++) {
        if (strcmp(keys[i]->s, keys[first]->s) != 0) {
            first = i;
            continue;
        }
        diags_add(b->d, CB_ERROR, b->name, keys[i]->pos.line, keys[i]->pos.col,
                  "duplicate key '%s' (first at line %d)", keys[i]->s, keys[first]->pos.line);
    }
    free(keys);
}

static ynode *new_node(struct builder *b, enum yn_kind kind, cb_pos pos)
{
    if (++b->nodes > YN_MAX_NODES) {
        diags_add(b->d, CB_ERROR, b->name, pos.line, pos.col,
                  "too many YAML nodes (more than %d); not a plan", YN_MAX_NODES);
        return NULL;
    }
    ynode *node = arena_alloc(b->a, sizeof *node);
    node->kind = kind;
    node->pos = pos;
    return node;
}

/* Hangs a finished node under the innermost open container (or makes it the root). */
static void attach(struct builder *b, ynode *node)
{
    if (b->depth == 0) {
        if (!b->root)
            b->root = node;
        return;
    }
    struct frame *f = &b->stack[b->depth - 1];
    if (f->node->kind == YN_MAP && f->want_key) {
        if (f->n == f->cap) {
            f->cap = f->cap ? f->cap * 2 : 8;
            f->key = xrealloc(f->key, (size_t)f->cap * sizeof *f->key);
            f->val = xrealloc(f->val, (size_t)f->cap * sizeof *f->val);
        }
        if (node->kind != YN_SCALAR)
            diags_add(b->d, CB_ERROR, b->name, node->pos.line, node->pos.col,
                      "a map key must be a string, not a %s",
                      node->kind == YN_SEQ ? "list" : "map");
        f->key[f->n] = node;
        f->want_key = false;
        return;
    }
    if (f->node->kind == YN_SEQ && f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 8;
        f->val = xrealloc(f->val, (size_t)f->cap * sizeof *f->val);
    }
    f->val[f->n++] = node;
    f->want_key = true;
}

static int open_container(struct builder *b, enum yn_kind kind, cb_pos pos)
{
    if (b->depth == YN_MAX_DEPTH) {
        diags_add(b->d, CB_ERROR, b->name, pos.line, pos.col,
                  "nesting deeper than %d levels; not a plan", YN_MAX_DEPTH);
        return -1;
    }
    ynode *node = new_node(b, kind, pos);
    if (!node)
        return -1;
    b->stack[b->depth++] = (struct frame){.node = node, .want_key = true};
    return 0;
}

static void close_container(struct builder *b)
{
    struct frame *f = &b->stack[--b->depth];
    ynode *node = f->node;
    node->n = f->n;
    size_t bytes = (size_t)f->n * sizeof(ynode *);
    node->val = arena_alloc(b->a, bytes);
    if (f->n)
        memcpy(node->val, f->val, bytes);
    if (node->kind == YN_MAP) {
        node->key = arena_alloc(b->a, bytes);
        if (f->n)
            memcpy(node->key, f->key, bytes);
        check_duplicates(b, node);
    }
    free(f->key);
    free(f->val);
    attach(b, node);
}

static bool is_null(const yaml_event_t *ev)
{
    if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *s = (const char *)ev->data.scalar.value;
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
           !strcmp(s, "NULL");
}

/* Handles one event; returns 1 to go on, 0 at the end, -1 on a fatal problem. */
static int on_event(struct builder *b, const yaml_event_t *ev, int *docs)
{
    cb_pos pos = mark_pos(ev->start_mark);
    ynode *node;
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++*docs > 1) {
            diags_add(b->d, CB_ERROR, b->name, pos.line, pos.col,
                      "a second YAML document; a plan file holds exactly one");
            return 0;
        }
        return 1;
    case YAML_STREAM_END_EVENT:
        return 0;
    case YAML_ALIAS_EVENT:
        diags_add(b->d, CB_ERROR, b->name, pos.line, pos.col,
                  "alias '*%s' not allowed in plans (write the value out)",
                  (const char *)ev->data.alias.anchor);
        if (!(node = new_node(b, YN_SCALAR, pos)))
            return -1;
        node->null = true;
        node->s = "";
        attach(b, node);
        return 1;
    case YAML_SCALAR_EVENT:
        if (!(node = new_node(b, YN_SCALAR, pos)))
            return -1;
        node->null = is_null(ev);
        node->s = clean_scalar(b, ev->data.scalar.value, ev->data.scalar.length, pos);
        attach(b, node);
        return 1;
    case YAML_SEQUENCE_START_EVENT:
        return open_container(b, YN_SEQ, pos) == 0 ? 1 : -1;
    case YAML_MAPPING_START_EVENT:
        return open_container(b, YN_MAP, pos) == 0 ? 1 : -1;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        if (b->depth > 0)
            close_container(b);
        return 1;
    default:
        return 1;
    }
}

int yn_parse(cb_arena *a, const char *name, const char *buf, size_t len, cb_diags *diags,
             ynode **root)
{
    struct builder b = {.a = a, .d = diags, .name = name, .buf = buf, .len = len};
    *root = NULL;
    if (len > YN_MAX_BYTES) {
        cb_pos pos = yn_offset_pos(buf, len, YN_MAX_BYTES);
        diags_add(diags, CB_ERROR, name, pos.line, pos.col,
                  "file larger than %u MiB; not a plan", YN_MAX_BYTES >> 20);
        return -1;
    }
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        cb_die("out of memory (YAML parser)");
    yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
    int rc = 1, docs = 0;
    while (rc > 0) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            report_syntax(&b, &p);
            rc = -1;
            break;
        }
        rc = on_event(&b, &ev, &docs);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    while (b.depth > 0) { /* stopped inside containers: release their buffers */
        struct frame *f = &b.stack[--b.depth];
        free(f->key);
        free(f->val);
    }
    if (rc < 0)
        return -1;
    *root = b.root;
    return 0;
}

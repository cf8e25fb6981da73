/* store_ckpt.c — the checkpoint: the merged state as a reader last saw it,
 * kept beside the local database so that a start-up reads only the shards
 * that changed since.
 *
 * One file, <local dir>/<client>.ckpt, written whole (temp + fsync + rename)
 * and read with one read(). Layout, native byte order, every section at a
 * multiple of 8 bytes:
 *   head      magic, format version, counts, plan id, client id and the
 *             store (its shards directory as given: two stores of one plan
 *             do not share a checkpoint)
 *   shards    per shard: file name, identity (dev, ino, size, mtime, when it
 *             was read), client, plan, schema, event count, last seq, newest
 *             clock, chain value, and where its newest event is
 *   events    the merged history, in order: fixed 64-byte records naming
 *             their shard, strings as offsets into the blob (a warm start
 *             reads them front to back: no per-shard streams to interleave)
 *   current   the winning event of each key, as an index into the history
 *   blob      every string once, NUL-terminated
 *   hash      a 64-bit hash of all of the above
 * A file that does not verify (size, magic, version, plan, client, hash,
 * any offset or index out of range) is ignored: the caller loads every shard
 * as without one. Nothing read from it is trusted before the hash matches,
 * and the merge re-checks the order it is given (see merge_shards_hinted).
 *
 * Ownership: a store_ckpt is reference-counted; every shard_events made from
 * it holds a reference, since its strings point into the blob. */
#include "store_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CKPT_MAGIC "CBCKPT\r\n"
#define CKPT_VERSION 1
/* A checkpoint larger than this is not read (a million events take ~90 MB). */
#define CKPT_MAX_BYTES ((off_t)1 << 30)

typedef struct ckpt_head {
    char magic[8];
    uint32_t version, n_shards;
    uint64_t n_events, n_current, blob_len;
    uint32_t plan, client, store; /* blob offsets */
    uint32_t pad;
} ckpt_head;

typedef struct ckpt_shard {
    uint32_t name, client, plan; /* blob offsets; name "" for my own events */
    int32_t schema;
    uint64_t dev, ino, size;
    int64_t mtime_sec, mtime_nsec, checked_ms;
    uint64_t last; /* its newest event in the events section (if n) */
    uint64_t n;    /* its event count */
    int64_t max_seq;
    uint64_t max_hlc, chain;
} ckpt_shard;

struct store_ckpt {
    int refs;
    unsigned char *buf; /* the file's bytes (anonymous memory, mapped) */
    size_t len;
    const ckpt_head *head;
    const ckpt_shard *shards;
    const ckpt_event *events;
    const uint32_t *current;
    const char *blob;
    shard_events **made;  /* per shard: the events made from it, not held */
    uint32_t cursor;      /* the record ckpt_find tries first */
    const char **clients; /* per record: its client id, in the blob */
};

static size_t pad8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

static uint64_t rotl(uint64_t v, int r)
{
    return v << r | v >> (64 - r);
}

/* Four independent lanes of multiply-rotate over 8-byte words (several
 * bytes per cycle), then murmur3's finalizer. Every step is a bijection of
 * its lane, so one damaged word always changes the result. */
static uint64_t ckpt_hash(const unsigned char *p, size_t n)
{
    const uint64_t k1 = 0x9e3779b97f4a7c15ull, k2 = 0xc2b2ae3d27d4eb4full;
    uint64_t h[4] = {k1, k2, k1 ^ n, k2 ^ n}, w;
    size_t i = 0;
    for (; i + 32 <= n; i += 32)
        for (int l = 0; l < 4; l++) {
            memcpy(&w, p + i + 8 * l, 8);
            h[l] = rotl((h[l] ^ w) * k1, 31) * k2;
        }
    for (; i < n; i++)
        h[0] = rotl((h[0] ^ p[i]) * k1, 31) * k2;
    uint64_t r = h[0] ^ rotl(h[1], 17) ^ rotl(h[2], 31) ^ rotl(h[3], 47);
    r ^= r >> 33;
    r *= 0xff51afd7ed558ccdull;
    r ^= r >> 33;
    r *= 0xc4ceb9fe1a85ec53ull;
    return r ^ r >> 33;
}

void ckpt_unref(store_ckpt *c, const shard_events *made)
{
    if (c && made && c->made[made->pin_rec] == made)
        c->made[made->pin_rec] = NULL; /* its address may be reused */
    if (!c || --c->refs > 0)
        return;
    munmap(c->buf, c->len);
    free(c->made);
    free(c->clients);
    free(c);
}

/* Reads the whole file into memory of its own (a mapping of the file itself
 * would crash the reader should the file be cut short while mapped); the
 * memory is mapped populated, one call instead of a page fault per page.
 * NULL (errno set) when it cannot. */
static unsigned char *read_all(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return NULL;
    struct stat st;
    unsigned char *buf = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        st.st_size <= CKPT_MAX_BYTES) {
        size_t n = (size_t)st.st_size, got = 0;
        void *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
        buf = p == MAP_FAILED ? NULL : p;
        while (buf && got < n) {
            ssize_t r = read(fd, buf + got, n - got);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            got += (size_t)r;
        }
        if (buf && got != n) {
            munmap(buf, n);
            buf = NULL;
            errno = EIO;
        }
        *len = n;
    } else {
        errno = EINVAL;
    }
    close(fd);
    return buf;
}

static bool str_ok(const ckpt_head *h, uint32_t off, bool may_be_null)
{
    return off < h->blob_len || (may_be_null && off == CKPT_NONE);
}

/* Checks what the hash cannot: that every count, offset and index is in range
 * (a file of a future layout that hashes right must still never be read
 * past its end). */
static bool sections_fit(store_ckpt *c, size_t len)
{
    const ckpt_head *h = c->head;
    uint64_t cap = len / 8; /* no section can have more entries */
    if (h->n_shards > cap || h->n_events > cap || h->n_current > cap || h->blob_len > len)
        return false;
    size_t at = pad8(sizeof *h);
    c->shards = (const ckpt_shard *)(c->buf + at);
    at += (size_t)h->n_shards * sizeof(ckpt_shard);
    c->events = (const ckpt_event *)(c->buf + at);
    at += (size_t)h->n_events * sizeof(ckpt_event);
    c->current = (const uint32_t *)(c->buf + at);
    at += pad8((size_t)h->n_current * 4);
    c->blob = (const char *)(c->buf + at);
    at += pad8((size_t)h->blob_len);
    if (at + 8 != len || h->blob_len == 0 || c->blob[h->blob_len - 1] != '\0')
        return false;
    if (!str_ok(h, h->plan, false) || !str_ok(h, h->client, false) ||
        !str_ok(h, h->store, false))
        return false;
    for (uint32_t i = 0; i < h->n_shards; i++) {
        const ckpt_shard *s = &c->shards[i];
        if (!str_ok(h, s->name, false) || !str_ok(h, s->client, false) ||
            !str_ok(h, s->plan, false) || s->n > h->n_events ||
            (s->n && (s->last >= h->n_events || c->events[s->last].shard != i)))
            return false;
    }
    uint64_t *count = xcalloc(h->n_shards + 1, sizeof *count);
    bool ok = true;
    for (uint64_t i = 0; ok && i < h->n_events; i++) {
        const ckpt_event *e = &c->events[i];
        ok = e->shard < h->n_shards && str_ok(h, e->member, false) &&
             str_ok(h, e->os_user, false) && str_ok(h, e->host, false) &&
             str_ok(h, e->key, false) && str_ok(h, e->value, false) &&
             str_ok(h, e->note, true) && str_ok(h, e->undoes_client, true);
        if (ok)
            count[e->shard]++;
    }
    for (uint32_t i = 0; ok && i < h->n_shards; i++)
        ok = count[i] == c->shards[i].n;
    free(count);
    return ok;
}

store_ckpt *ckpt_read(const char *path, const char *store, const char *plan_id,
                      const char *client, char *err, size_t errlen)
{
    size_t len = 0;
    unsigned char *buf = read_all(path, &len);
    if (!buf) {
        snprintf(err, errlen, "%s", errno == ENOENT ? "none" : strerror(errno));
        return NULL;
    }
    store_ckpt *c = xcalloc(1, sizeof *c);
    c->refs = 1;
    c->buf = buf;
    c->len = len;
    c->head = (const ckpt_head *)buf;
    uint64_t want;
    const char *why = NULL;
    if (len < pad8(sizeof *c->head) + 8 || memcmp(c->head->magic, CKPT_MAGIC, 8) != 0)
        why = "not a checkpoint";
    else if (c->head->version != CKPT_VERSION)
        why = "another format version";
    else if (memcpy(&want, buf + len - 8, 8), ckpt_hash(buf, len - 8) != want)
        why = "checksum mismatch";
    else if (!sections_fit(c, len))
        why = "inconsistent sections";
    else if (strcmp(c->blob + c->head->plan, plan_id) != 0)
        why = "another plan";
    else if (strcmp(c->blob + c->head->client, client) != 0)
        why = "another client";
    else if (strcmp(c->blob + c->head->store, store) != 0)
        why = "another store";
    if (why) {
        snprintf(err, errlen, "%s", why);
        ckpt_unref(c, NULL);
        return NULL;
    }
    c->made = xcalloc(c->head->n_shards + 1, sizeof *c->made);
    c->clients = xcalloc(c->head->n_shards + 1, sizeof *c->clients);
    for (uint32_t i = 0; i < c->head->n_shards; i++)
        c->clients[i] = c->blob + c->shards[i].client;
    return c;
}

int ckpt_find(store_ckpt *c, const char *name, ckpt_identity *id)
{
    /* Shards are looked up in the order they were recorded (the listing's),
     * so the record after the last one found is tried first. */
    uint32_t n = c ? c->head->n_shards : 0;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = (c->cursor + k) % n;
        const ckpt_shard *s = &c->shards[i];
        if (strcmp(c->blob + s->name, name) != 0)
            continue;
        c->cursor = i + 1;
        *id = (ckpt_identity){.dev = s->dev,
                              .ino = s->ino,
                              .size = s->size,
                              .mtime_sec = s->mtime_sec,
                              .mtime_nsec = s->mtime_nsec,
                              .checked_ms = s->checked_ms,
                              .n = s->n,
                              .max_seq = s->max_seq,
                              .max_hlc = s->max_hlc,
                              .chain = s->chain};
        return (int)i;
    }
    return -1;
}

void ckpt_last_event(const shard_events *se, cb_event *out)
{
    const store_ckpt *c = se->pin;
    ckpt_decode(&c->events[c->shards[se->pin_rec].last], c->blob, se->client, out);
}

/* Decodes every shard of c not yet decoded, in one pass over the history. */
void shev_ready(shard_events *se)
{
    if (se->ev || !se->n || !se->pin)
        return;
    store_ckpt *c = se->pin;
    uint32_t n = c->head->n_shards;
    for (uint32_t r = 0; r < n; r++) {
        shard_events *m = c->made[r];
        if (m && !m->ev && m->n) {
            m->ev = xmalloc(m->n * sizeof *m->ev);
            m->cap = 0; /* counts what is decoded */
        }
    }
    for (uint64_t k = 0; k < c->head->n_events; k++) {
        const ckpt_event *r = &c->events[k];
        shard_events *m = c->made[r->shard];
        if (m && m->cap < m->n)
            ckpt_decode(r, c->blob, m->client, &m->ev[m->cap++]);
    }
}

shard_events *ckpt_shard_events(store_ckpt *c, int rec)
{
    const ckpt_shard *s = &c->shards[rec];
    if (!*(c->blob + s->name))
        return NULL; /* my own events come from the local database */
    shard_events *se = shev_new(NULL, NULL);
    se->client = c->blob + s->client;
    se->plan_id = c->blob + s->plan;
    se->schema = s->schema;
    se->max_seq = s->max_seq;
    se->max_hlc = s->max_hlc;
    se->chain = s->chain;
    se->n = se->cap = (size_t)s->n;
    se->pin = c;
    se->pin_rec = rec;
    c->refs++;
    c->made[rec] = se;
    return se;
}

bool ckpt_hint(const store_ckpt *c, shard_events *const *shards, int n, int mine_rec,
               merge_hint *h)
{
    if (!c)
        return false;
    h->n_records = (int)c->head->n_shards;
    h->events = c->events;
    h->n_events = c->head->n_events;
    h->blob = c->blob;
    h->record_client = (const char *const *)c->clients;
    h->current = c->current;
    h->n_current = c->head->n_current;
    h->record_of = xmalloc((size_t)(n > 0 ? n : 1) * sizeof *h->record_of);
    for (int i = 0; i < n; i++) {
        h->record_of[i] = -1;
        if (i == 0 && mine_rec >= 0) {
            h->record_of[i] = mine_rec;
            continue;
        }
        if (shards[i]->pin == c && c->made[shards[i]->pin_rec] == shards[i])
            h->record_of[i] = shards[i]->pin_rec;
    }
    return true;
}

/* --- writing ------------------------------------------------------------- */

typedef struct out_buf {
    unsigned char *p;
    size_t n, cap;
} out_buf;

static void out_put(out_buf *o, const void *p, size_t n)
{
    if (o->n + n > o->cap) {
        while (o->n + n > o->cap)
            o->cap = o->cap ? 2 * o->cap : 1 << 16;
        o->p = xrealloc(o->p, o->cap);
    }
    memcpy(o->p + o->n, p, n);
    o->n += n;
}

/* Strings interned into the blob: most repeat (members, hosts, values). */
#define INTERN_RECENT 4096
typedef struct intern {
    out_buf blob;
    struct recent {
        const char *s;
        uint32_t off;
    } recent[INTERN_RECENT];
    struct islot {
        uint64_t hash;
        const char *s;
        uint32_t off;
    } * t;
    size_t cap, n;
} intern;

static uint32_t intern_new(intern *in, const char *s);

static uint32_t intern_str(intern *in, const char *s)
{
    if (!s)
        return CKPT_NONE;
    /* The same pointer again (a shard's events share their member, host
     * and value strings) costs one comparison. */
    struct recent *r = &in->recent[((uintptr_t)s >> 3) & (INTERN_RECENT - 1)];
    if (r->s == s)
        return r->off;
    r->s = s;
    return r->off = intern_new(in, s);
}

static uint32_t intern_new(intern *in, const char *s)
{
    if (2 * (in->n + 1) > in->cap) {
        struct islot *old = in->t;
        size_t oc = in->cap;
        in->cap = oc ? 2 * oc : 4096;
        in->t = xcalloc(in->cap, sizeof *in->t);
        for (size_t i = 0; i < oc; i++)
            if (old[i].s) {
                size_t h = (size_t)old[i].hash & (in->cap - 1);
                while (in->t[h].s)
                    h = (h + 1) & (in->cap - 1);
                in->t[h] = old[i];
            }
        free(old);
    }
    size_t len = strlen(s);
    uint64_t hash = store_str_hash(s, len);
    size_t h = (size_t)hash & (in->cap - 1);
    for (; in->t[h].s; h = (h + 1) & (in->cap - 1))
        if (in->t[h].hash == hash &&
            (in->t[h].s == s || strcmp((const char *)in->blob.p + in->t[h].off, s) == 0))
            return in->t[h].off;
    uint32_t off = (uint32_t)in->blob.n;
    out_put(&in->blob, s, len + 1);
    in->t[h] = (struct islot){hash, s, off};
    in->n++;
    return off;
}

/* Which input a snapshot event came from: its client string is the very
 * pointer of its shard's (every event of a shard_events points at it). */
typedef struct ptr_map {
    const void **key;
    int *val;
    size_t cap;
} ptr_map;

static size_t ptr_slot(const ptr_map *m, const void *p)
{
    size_t h = (size_t)(((uintptr_t)p >> 3) * 0x9e3779b97f4a7c15ull) & (m->cap - 1);
    while (m->key[h] && m->key[h] != p)
        h = (h + 1) & (m->cap - 1);
    return h;
}

int ckpt_write(const char *path, const char *store, const char *plan_id, const char *client,
               const ckpt_input *in, int n, const cb_snapshot *snap)
{
    intern *strs = xcalloc(1, sizeof *strs); /* large: not on the stack */
    out_put(&strs->blob, "", 1);             /* offset 0: "" */
    ckpt_head head = {.version = CKPT_VERSION, .n_shards = (uint32_t)n};
    memcpy(head.magic, CKPT_MAGIC, 8);
    head.plan = intern_str(strs, plan_id);
    head.client = intern_str(strs, client);
    head.store = intern_str(strs, store);
    ckpt_shard *sh = xcalloc((size_t)(n > 0 ? n : 1), sizeof *sh);
    /* The file is built in one buffer sized for all but the blob: the
     * events go straight to their place, head and shards last. */
    size_t ev_at = pad8(sizeof head) + (size_t)n * sizeof *sh,
           n_snap = snap ? snap->n_events : 0, n_cur = snap ? snap->n_current : 0;
    out_buf f = {.n = ev_at, .cap = ev_at + n_snap * sizeof(ckpt_event) + pad8(n_cur * 4) + 8};
    f.p = xmalloc(f.cap);
    ptr_map map = {.cap = 16};
    while (map.cap < 4 * (size_t)n)
        map.cap *= 2;
    map.key = xcalloc(map.cap, sizeof *map.key);
    map.val = xcalloc(map.cap, sizeof *map.val);
    for (int i = 0; i < n; i++) {
        shard_events *se = (shard_events *)(uintptr_t)in[i].ev;
        shev_ready(se);
        ckpt_shard *s = &sh[i];
        *s = (ckpt_shard){.name = intern_str(strs, in[i].name ? in[i].name : ""),
                          .client = intern_str(strs, se->client),
                          .plan = intern_str(strs, se->plan_id),
                          .schema = se->schema,
                          .dev = (uint64_t)in[i].st.st_dev,
                          .ino = (uint64_t)in[i].st.st_ino,
                          .size = (uint64_t)in[i].st.st_size,
                          .mtime_sec = (int64_t)in[i].st.st_mtim.tv_sec,
                          .mtime_nsec = (int64_t)in[i].st.st_mtim.tv_nsec,
                          .checked_ms = in[i].checked_ms,
                          .n = se->n,
                          .max_seq = se->max_seq,
                          .max_hlc = se->max_hlc,
                          .chain = se->chain};
        size_t k = ptr_slot(&map, se->client);
        map.key[k] = se->client;
        map.val[k] = i;
    }
    /* The history in merged order, each event naming its shard: every event
     * of every shard given, each shard's in its own order. Events of shards
     * not given (a bad shard's last good version) are left out, and so are
     * the winners then. */
    size_t *next = xcalloc((size_t)(n > 0 ? n : 1), sizeof *next);
    int64_t *last_seq = xcalloc((size_t)(n > 0 ? n : 1), sizeof *last_seq);
    bool whole = true, ok = snap != NULL;
    for (size_t i = 0; ok && i < snap->n_events; i++) {
        const cb_event *e = &snap->events[i];
        size_t k = ptr_slot(&map, e->client);
        if (!map.key[k]) {
            whole = false;
            continue;
        }
        int r = map.val[k];
        /* (Checked against the shard's count and its seq rising, not its
         * events: reading those would be a cache miss per event.) */
        if (next[r] >= in[r].ev->n || e->seq <= last_seq[r]) {
            ok = false;
            break;
        }
        last_seq[r] = e->seq;
        next[r]++;
        sh[r].last = head.n_events++;
        ckpt_event rec = {.seq = e->seq,
                          .hlc = e->hlc,
                          .wall_ms = e->wall_ms,
                          .undoes_seq = e->undoes_seq,
                          .member = intern_str(strs, e->member ? e->member : ""),
                          .os_user = intern_str(strs, e->os_user ? e->os_user : ""),
                          .host = intern_str(strs, e->host ? e->host : ""),
                          .key = intern_str(strs, e->key ? e->key : ""),
                          .value = intern_str(strs, e->value ? e->value : ""),
                          .note = intern_str(strs, e->note),
                          .undoes_client = intern_str(strs, e->undoes_client),
                          .shard = (uint32_t)r};
        out_put(&f, &rec, sizeof rec);
    }
    for (int r = 0; ok && r < n; r++)
        ok = next[r] == in[r].ev->n && last_seq[r] == in[r].ev->max_seq;
    free(last_seq);
    static const unsigned char zero[8];
    if (ok && whole) {
        for (size_t i = 0; i < n_cur; i++) {
            uint32_t at = (uint32_t)(snap->current[i] - snap->events);
            out_put(&f, &at, sizeof at);
        }
        head.n_current = n_cur;
        out_put(&f, zero, pad8(n_cur * 4) - n_cur * 4);
    }
    head.blob_len = strs->blob.n;
    f.p = xrealloc(f.p, f.cap = f.n + pad8(strs->blob.n) + 8);
    out_put(&f, strs->blob.p, strs->blob.n);
    out_put(&f, zero, pad8(strs->blob.n) - strs->blob.n);
    memset(f.p, 0, pad8(sizeof head));
    memcpy(f.p, &head, sizeof head);
    if (n)
        memcpy(f.p + pad8(sizeof head), sh, (size_t)n * sizeof *sh);
    uint64_t hash = ckpt_hash(f.p, f.n);
    out_put(&f, &hash, sizeof hash);

    size_t tl = strlen(path) + 32;
    char *tmp = xmalloc(tl);
    snprintf(tmp, tl, "%s.tmp-%ld", path, (long)getpid());
    int rc = -1;
    int fd = ok ? open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600) : -1;
    if (fd >= 0) {
        size_t done = 0;
        while (done < f.n) {
            ssize_t w = write(fd, f.p + done, f.n - done);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                break;
            done += (size_t)w;
        }
        /* No fsync: a checkpoint cut short or lost by a crash fails its
         * hash and is rebuilt, so waiting for the disk buys nothing. */
        rc = done == f.n ? 0 : -1;
        if (close(fd) != 0)
            rc = -1;
        if (rc == 0 && rename(tmp, path) != 0)
            rc = -1;
        if (rc != 0)
            unlink(tmp);
    }
    free(tmp);
    free(f.p);
    free(next);
    free(map.key);
    free(map.val);
    free(sh);
    free(strs->blob.p);
    free(strs->t);
    free(strs);
    return rc;
}

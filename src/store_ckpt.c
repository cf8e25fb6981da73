/* store_ckpt.c — the checkpoint: the merged state as a reader last saw it,
 * kept beside the local database so that a start-up reads only the shards
 * that changed since.
 *
 * One file, <local dir>/<client>.ckpt, written whole (temp + rename). It is
 * an image in memory: events are cb_event records whose strings point into
 * the file's own blobs as if the file were loaded at a fixed address (the
 * head's base). Read there, nothing is decoded, copied or moved; read
 * anywhere else, every pointer is moved by the difference once. After the
 * history the reader keeps address space free, so that the events that came
 * since (a shard that grew) are appended to it in place.
 *
 * It comes in two parts, each with its own hash. The lead is small (a
 * dashboard's first frame needs nothing else) and read at once; the history
 * (nearly all of the file) is read, hashed and checked when first needed
 * (ckpt_load_history), from the same open file.
 * Layout, native byte order, every section at a multiple of 8 bytes:
 *   lead:
 *   head      magic, format version, counts, plan id, client id and the
 *             store (its shards directory as given: two stores of one plan
 *             do not share a checkpoint), the base, both hashes
 *   shards    per shard: file name, identity (dev, ino, size, mtime, when it
 *             was read), client, plan, schema, event count, last seq, newest
 *             clock, chain value, and where its newest event is
 *   current   the winning event of each key, as an index into the history
 *   events    the winners themselves, the newest events of the history (its
 *             tail: the changes of the last days), each shard's newest
 *   blob      their strings and the head's and shards', NUL-terminated
 *   history:
 *   shard_of  per event, the shard it is from
 *   blob      every string of the history once (clients: in the lead's)
 *   events    the merged history, in order (at a multiple of CKPT_ALIGN;
 *             the file ends with it)
 * A part that does not verify (size, magic, version, plan, client, hash,
 * any count, offset, index or pointer out of range, a lead event not the
 * history's) is not used: a lead, and the caller loads every shard as
 * without a checkpoint; a history, and its events read as placeholders
 * until the caller has read the shards again. Nothing read from a part is
 * used before its hash matches and every pointer is checked to lie in its
 * blob.
 *
 * Ownership: a store_ckpt is reference-counted; every shard_events made from
 * it and every snapshot whose history is its own holds a reference, since
 * their strings point into the blobs. */
#include "store_impl.h"
#include "certboard/date.h"
#include "certboard/trace.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000 /* an older kernel takes it as a hint */
#endif

/* A string offset that stands for NULL. */
#define CKPT_NONE UINT32_MAX
#define CKPT_MAGIC "CBCKPT\r\n"
#define CKPT_VERSION 4
/* A checkpoint larger than this is not read (a million events take ~100 MB). */
#define CKPT_MAX_BYTES ((off_t)1 << 30)
/* The events start at a multiple of this (of any page size). */
#define CKPT_ALIGN 65536
/* Address space kept after the history for events appended to it (only
 * reserved: no memory until used; 2.8 million events). */
#define CKPT_ROOM ((size_t)256 << 20)

typedef struct ckpt_head {
    char magic[8];
    uint32_t version, n_shards;
    uint64_t n_events, n_current, n_tail, blob_len, lead_blob_len;
    uint32_t plan, client, store;                        /* lead blob offsets */
    uint32_t event_size;                                 /* sizeof (cb_event) of the writer */
    uint64_t base;                                       /* the address its pointers assume */
    uint64_t events_at, blob_at, lead_blob_at, lead_len; /* file offsets */
    uint64_t hash;      /* of the lead [0, lead_len), both hashes read as 0 */
    uint64_t hist_hash; /* of the history [lead_len, end): see hist_hash */
} ckpt_head;

typedef struct ckpt_shard {
    uint32_t name, client, plan; /* lead blob offsets; name "" for my own events */
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
    unsigned char *map; /* the file's bytes, then CKPT_ROOM reserved */
    size_t map_len, len, writable;
    void *res; /* the whole reservation (map within it) */
    size_t res_len;
    bool appended; /* the room after the history is taken */
    bool moved;    /* not read at its base: every pointer was moved */
    int fd;        /* the file, until its history is read */
    int history;   /* 0: not read yet, 1: read and verified, -1: did not verify */
    const ckpt_head *head;
    const ckpt_shard *shards;
    const uint32_t *current, *shard_of;
    const char *blob, *lead_blob;
    cb_event *events;
    cb_event *lead_ev;    /* the lead's events: current, tail, each shard's last */
    shard_events **made;  /* per shard: the events made from it, not held */
    uint32_t cursor;      /* the record ckpt_find tries first */
    const char **clients; /* per record: its client id, in the lead blob */
    uint64_t *rec_n, *rec_chain;
};

static size_t pad8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

static size_t round_up(size_t n, size_t to)
{
    return (n + to - 1) / to * to;
}

/* Where a checkpoint's pointers assume it is: a part of the address space
 * nothing else maps by itself (above the heap and any sanitizer's shadow,
 * below the shared libraries and the stack); elsewhere (32-bit) none. */
uint64_t ckpt_preferred_base(void)
{
    return sizeof(void *) == 8 ? 0x3f0000000000ull : 0;
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
    if (c->fd >= 0)
        close(c->fd);
    if (c->res)
        munmap(c->res, c->res_len);
    free(c->made);
    free(c->clients);
    free(c->rec_n);
    free(c->rec_chain);
    free(c);
}

bool ckpt_moved(const store_ckpt *c)
{
    return c && c->moved;
}

store_ckpt *ckpt_ref(store_ckpt *c)
{
    c->refs++;
    return c;
}

/* Memory of its own for the file (len bytes, already checked to be a
 * regular file of a sane size) at base when that part of the address space
 * is free, else anywhere, with CKPT_ROOM of address space reserved after
 * it. Nothing is populated: the lead is read at once, the history (most of
 * the file) only when first needed, then into huge pages where it is large
 * (a million events are 100 MB, and 4 KiB pages would cost a fault each).
 * (A mapping of the file itself would be faster still, but would crash the
 * reader should the file be cut short while mapped.) */
#define HUGE_PAGE ((size_t)2 << 20)
/* Smaller histories take 4 KiB pages: a huge page would cost more to clear. */
#define HUGE_FROM ((size_t)8 << 20)
static bool map_image(store_ckpt *c, size_t len, uint64_t base)
{
    size_t file_part = round_up(len, HUGE_PAGE);
    c->map_len = file_part + CKPT_ROOM;
    int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
    void *at = MAP_FAILED;
    if (base && base % HUGE_PAGE == 0) {
        at = mmap((void *)(uintptr_t)base, c->map_len, PROT_NONE, flags | MAP_FIXED_NOREPLACE,
                  -1, 0);
        if (at != MAP_FAILED && (uintptr_t)at != base) { /* a kernel that took it as a hint */
            munmap(at, c->map_len);
            at = MAP_FAILED;
        }
    }
    if (at != MAP_FAILED) {
        c->res = at;
        c->res_len = c->map_len;
    } else { /* anywhere, aligned */
        c->res_len = c->map_len + HUGE_PAGE;
        c->res = mmap(NULL, c->res_len, PROT_NONE, flags, -1, 0);
        if (c->res == MAP_FAILED) {
            c->res = NULL;
            return false;
        }
        at = (void *)round_up((uintptr_t)c->res, HUGE_PAGE);
    }
    c->map = at;
    if (mmap(at, file_part, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
             0) == MAP_FAILED)
        return false;
    c->writable = file_part;
    c->len = len;
    return true;
}

/* Reads [from, to) of fd to the same offsets of the image: false when it
 * could not be read whole. */
static bool read_into(store_ckpt *c, int fd, size_t from, size_t to)
{
    for (size_t got = from; got < to;) {
        ssize_t r = pread(fd, c->map + got, to - got, (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        got += (size_t)r;
    }
    return true;
}

/* The lead's hash: ckpt_hash of [0, lead_len), both hash fields read as 0. */
static uint64_t lead_hash(unsigned char *p, size_t lead_len)
{
    ckpt_head *h = (ckpt_head *)p;
    uint64_t a = h->hash, b = h->hist_hash;
    h->hash = h->hist_hash = 0;
    uint64_t r = ckpt_hash(p, lead_len);
    h->hash = a;
    h->hist_hash = b;
    return r;
}

/* The history [lead_len, len) is hashed in two halves (split at a multiple
 * of 64 bytes), each with ckpt_hash: a reader copies in and checks both at
 * once, on two cores. */
static size_t half_at(size_t from, size_t len)
{
    return from + ((len - from) / 2 & ~(size_t)63);
}

static uint64_t halves_hash(uint64_t first, uint64_t second)
{
    return first ^ rotl(second, 29);
}

static uint64_t hist_hash(const unsigned char *p, size_t from, size_t len)
{
    size_t mid = half_at(from, len);
    return halves_hash(ckpt_hash(p + from, mid - from), ckpt_hash(p + mid, len - mid));
}

/* One half of reading a history: its bytes into place and their hash. */
typedef struct half {
    store_ckpt *c;
    size_t from, to;
    uint64_t hash;
    bool ok;
} half;

static void *read_half(void *arg)
{
    half *h = arg;
    h->ok = read_into(h->c, h->c->fd, h->from, h->to);
    if (h->ok)
        h->hash = ckpt_hash(h->c->map + h->from, h->to - h->from);
    return NULL;
}

/* Below this, a second thread costs more than it saves. */
#define CKPT_PARALLEL_MIN ((size_t)1 << 20)

/* Runs fn on a and b, b on a second thread when worth it. */
static void both(void *(*fn)(void *), void *a, void *b, size_t len)
{
    pthread_t t;
    bool threaded = len >= CKPT_PARALLEL_MIN && pthread_create(&t, NULL, fn, b) == 0;
    fn(a);
    if (threaded)
        pthread_join(t, NULL);
    else
        fn(b);
}

static bool str_ok(uint64_t blob_len, uint32_t off, bool may_be_null)
{
    return off < blob_len || (may_be_null && off == CKPT_NONE);
}

/* Events [from, to) of the history checked: every pointer in the blob (as
 * written: base + blob offset), the client its shard's (in the lead blob);
 * count[r] counts shard r's. */
typedef struct events_fit {
    const store_ckpt *c;
    size_t from, to;
    uint64_t *count;
    bool ok;
} events_fit;

static void *check_events(void *arg)
{
    events_fit *f = arg;
    const store_ckpt *c = f->c;
    const ckpt_head *h = c->head;
    uintptr_t lo = (uintptr_t)(h->base + h->blob_at), hi = lo + (uintptr_t)h->blob_len,
              lead = (uintptr_t)(h->base + h->lead_blob_at);
#define IN_BLOB(p) ((uintptr_t)(p) >= lo && (uintptr_t)(p) < hi)
    f->ok = true;
    for (size_t k = f->from; f->ok && k < f->to; k++) {
        const cb_event *e = &c->events[k];
        uint32_t r = c->shard_of[k];
        f->ok = r < h->n_shards && (uintptr_t)e->client == lead + c->shards[r].client &&
                IN_BLOB(e->member) && IN_BLOB(e->os_user) && IN_BLOB(e->host) &&
                IN_BLOB(e->key) && IN_BLOB(e->value) && (!e->note || IN_BLOB(e->note)) &&
                (!e->undoes_client || IN_BLOB(e->undoes_client));
        if (f->ok)
            f->count[r]++;
    }
#undef IN_BLOB
    return NULL;
}

/* Every pointer of a lead event in the lead blob (as written). */
static bool lead_event_fits(const ckpt_head *h, const cb_event *e)
{
    uintptr_t lo = (uintptr_t)(h->base + h->lead_blob_at),
              hi = lo + (uintptr_t)h->lead_blob_len;
#define IN_LEAD(p) ((uintptr_t)(p) >= lo && (uintptr_t)(p) < hi)
    return IN_LEAD(e->client) && IN_LEAD(e->member) && IN_LEAD(e->os_user) &&
           IN_LEAD(e->host) && IN_LEAD(e->key) && IN_LEAD(e->value) &&
           (!e->note || IN_LEAD(e->note)) && (!e->undoes_client || IN_LEAD(e->undoes_client));
#undef IN_LEAD
}

/* Checks what the lead's hash cannot: that every count, offset and index is
 * in range, every section where the head says (the history's too, not read
 * yet) and every pointer of every lead event in the lead blob (a file of a
 * future layout that hashes right must still never be read past its end). */
static bool lead_fits(store_ckpt *c)
{
    const ckpt_head *h = c->head;
    uint64_t cap = c->len / 8; /* no section can have more entries */
    if (h->n_shards > cap || h->n_events > cap || h->n_current > cap ||
        h->n_tail > h->n_events || h->blob_len > c->len || h->lead_blob_len > h->lead_len ||
        h->event_size != sizeof(cb_event) || h->base > UINTPTR_MAX - c->len)
        return false;
    if (h->n_current + h->n_tail + h->n_shards > h->lead_len / sizeof(cb_event))
        return false; /* (nor could they overflow a size) */
    size_t at = pad8(sizeof *h);
    c->shards = (const ckpt_shard *)(c->map + at);
    at += (size_t)h->n_shards * sizeof(ckpt_shard);
    c->current = (const uint32_t *)(c->map + at);
    at += pad8((size_t)h->n_current * 4);
    c->lead_ev = (cb_event *)(c->map + at);
    at += (size_t)(h->n_current + h->n_tail + h->n_shards) * sizeof(cb_event);
    if (h->lead_blob_at != at || h->lead_blob_len == 0)
        return false;
    c->lead_blob = (const char *)(c->map + at);
    at += (size_t)h->lead_blob_len;
    if (h->lead_len != pad8(at) || c->lead_blob[h->lead_blob_len - 1] != '\0')
        return false;
    at = (size_t)h->lead_len;
    c->shard_of = (const uint32_t *)(c->map + at);
    at += pad8((size_t)h->n_events * 4);
    if (h->blob_at != at)
        return false;
    c->blob = (const char *)(c->map + at);
    at += (size_t)h->blob_len;
    if (h->events_at != round_up(at, CKPT_ALIGN) ||
        h->events_at + h->n_events * sizeof(cb_event) != c->len || h->blob_len == 0)
        return false;
    c->events = (cb_event *)(c->map + h->events_at);
    if (!str_ok(h->lead_blob_len, h->plan, false) ||
        !str_ok(h->lead_blob_len, h->client, false) ||
        !str_ok(h->lead_blob_len, h->store, false))
        return false;
    uint64_t total = 0;
    uintptr_t lead = (uintptr_t)(h->base + h->lead_blob_at);
    const cb_event *last = c->lead_ev + h->n_current + h->n_tail;
    for (uint32_t i = 0; i < h->n_shards; i++) {
        const ckpt_shard *s = &c->shards[i];
        if (!str_ok(h->lead_blob_len, s->name, false) ||
            !str_ok(h->lead_blob_len, s->client, false) ||
            !str_ok(h->lead_blob_len, s->plan, false) || s->n > h->n_events ||
            (s->n && s->last >= h->n_events) || !lead_event_fits(h, &last[i]) ||
            (uintptr_t)last[i].client != lead + s->client)
            return false;
        total += s->n;
    }
    if (total != h->n_events || (h->n_events && !h->n_tail))
        return false;
    for (uint64_t j = 0; j < h->n_current; j++)
        if (c->current[j] >= h->n_events || !lead_event_fits(h, &c->lead_ev[j]))
            return false;
    for (uint64_t j = h->n_current; j < h->n_current + h->n_tail; j++)
        if (!lead_event_fits(h, &c->lead_ev[j]))
            return false;
    return true;
}

#define MOVE(p) ((p) = (p) ? (const char *)((uintptr_t)(p) + delta) : NULL)
/* Moves every pointer of events ev[0..n) by delta (the image is not where
 * its pointers assume). */
static void relocate(cb_event *ev, size_t n, uintptr_t delta)
{
    for (size_t k = 0; k < n; k++) {
        cb_event *e = &ev[k];
        MOVE(e->client);
        MOVE(e->member);
        MOVE(e->os_user);
        MOVE(e->host);
        MOVE(e->key);
        MOVE(e->value);
        MOVE(e->note);
        MOVE(e->undoes_client);
    }
}
#undef MOVE

/* The lead's recent history (its last n_tail events) in their places in
 * the history, so that they are ready before the rest is read. */
static void place_tail(store_ckpt *c)
{
    const ckpt_head *h = c->head;
    memcpy(c->events + (h->n_events - h->n_tail), c->lead_ev + h->n_current,
           (size_t)h->n_tail * sizeof(cb_event));
}

store_ckpt *ckpt_read(const char *path, const char *store, const char *plan_id,
                      const char *client, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) {
        snprintf(err, errlen, "%s", errno == ENOENT ? "none" : strerror(errno));
        return NULL;
    }
    struct stat st;
    ckpt_head head;
    const char *why = NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > CKPT_MAX_BYTES ||
        (size_t)st.st_size < pad8(sizeof head) ||
        pread(fd, &head, sizeof head, 0) != (ssize_t)sizeof head ||
        memcmp(head.magic, CKPT_MAGIC, 8) != 0)
        why = "not a checkpoint";
    else if (head.version != CKPT_VERSION)
        why = "another format version";
    else if (head.lead_len < pad8(sizeof head) || head.lead_len > (uint64_t)st.st_size)
        why = "inconsistent sections";
    store_ckpt *c = xcalloc(1, sizeof *c);
    c->refs = 1;
    c->fd = fd;
    if (!why && !map_image(c, (size_t)st.st_size, head.base))
        why = strerror(errno);
    else if (!why && !read_into(c, fd, 0, (size_t)head.lead_len))
        why = "cannot be read";
    trace_mark("checkpoint lead read");
    if (!why) {
        c->head = (const ckpt_head *)c->map;
        if (lead_hash(c->map, (size_t)head.lead_len) != head.hash)
            why = "checksum mismatch";
        else if (!lead_fits(c))
            why = "inconsistent sections";
        else if (strcmp(c->lead_blob + c->head->plan, plan_id) != 0)
            why = "another plan";
        else if (strcmp(c->lead_blob + c->head->client, client) != 0)
            why = "another client";
        else if (strcmp(c->lead_blob + c->head->store, store) != 0)
            why = "another store";
    }
    if (why) {
        snprintf(err, errlen, "%s", why);
        ckpt_unref(c, NULL);
        return NULL;
    }
    const ckpt_head *h = c->head;
    if ((uintptr_t)c->map != h->base) {
        c->moved = true;
        relocate(c->lead_ev, (size_t)(h->n_current + h->n_tail + h->n_shards),
                 (uintptr_t)c->map - (uintptr_t)h->base);
    }
    place_tail(c);
    uint32_t n = h->n_shards;
    c->made = xcalloc(n + 1, sizeof *c->made);
    c->clients = xcalloc(n + 1, sizeof *c->clients);
    c->rec_n = xcalloc(n + 1, sizeof *c->rec_n);
    c->rec_chain = xcalloc(n + 1, sizeof *c->rec_chain);
    for (uint32_t i = 0; i < n; i++) {
        c->clients[i] = c->lead_blob + c->shards[i].client;
        c->rec_n[i] = c->shards[i].n;
        c->rec_chain[i] = c->shards[i].chain;
    }
    return c;
}

/* The same event, client included (see event_same). */
static bool same_event(const cb_event *a, const cb_event *b)
{
    return event_same(a, b) && strcmp(a->client, b->client) == 0;
}

/* The history read, hashed and checked: the blob, every event's pointers
 * and shard, each shard's count, and the lead's events the same as the
 * history's (its tail, the winners, each shard's newest). */
static bool history_fits(store_ckpt *c)
{
    const ckpt_head *h = c->head;
    size_t len = c->len, from = (size_t)h->lead_len, mid = half_at(from, len);
    if (len - from >= HUGE_FROM) /* a hint: fine without */
        madvise(c->map + round_up(from, HUGE_PAGE), len - round_up(from, HUGE_PAGE),
                MADV_HUGEPAGE);
    half a = {.c = c, .from = from, .to = mid}, b = {.c = c, .from = mid, .to = len};
    both(read_half, &a, &b, len - from);
    trace_mark("checkpoint history read and hashed");
    if (!a.ok || !b.ok || halves_hash(a.hash, b.hash) != h->hist_hash ||
        c->blob[h->blob_len - 1] != '\0')
        return false;
    size_t n = (size_t)h->n_events;
    events_fit x = {.c = c, .from = 0, .to = n / 2}, y = {.c = c, .from = n / 2, .to = n};
    x.count = xcalloc(h->n_shards + 1, sizeof *x.count);
    y.count = xcalloc(h->n_shards + 1, sizeof *y.count);
    both(check_events, &x, &y, len - from);
    bool ok = x.ok && y.ok;
    for (uint32_t i = 0; ok && i < h->n_shards; i++)
        ok = x.count[i] + y.count[i] == c->shards[i].n &&
             (!c->shards[i].n || c->shard_of[c->shards[i].last] == i);
    free(x.count);
    free(y.count);
    if (!ok)
        return false;
    if (c->moved)
        relocate(c->events, n, (uintptr_t)c->map - (uintptr_t)h->base);
    const cb_event *tail = c->lead_ev + h->n_current, *last = tail + h->n_tail;
    for (size_t k = 0; ok && k < h->n_tail; k++)
        ok = same_event(&tail[k], &c->events[n - h->n_tail + k]);
    for (size_t j = 0; ok && j < h->n_current; j++)
        ok = same_event(&c->lead_ev[j], &c->events[c->current[j]]);
    for (uint32_t i = 0; ok && i < h->n_shards; i++)
        ok = !c->shards[i].n || same_event(&last[i], &c->events[c->shards[i].last]);
    return ok;
}

/* What stands for each event of a history that did not verify. */
static const cb_event lost_event = {
    .client = "?", .member = "?", .os_user = "", .host = "", .key = "", .value = ""};

int ckpt_load_history(store_ckpt *c)
{
    if (!c || c->history)
        return !c || c->history > 0 ? 0 : -1;
    const ckpt_head *h = c->head;
    c->history = history_fits(c) ? 1 : -1;
    close(c->fd);
    c->fd = -1;
    if (c->history < 0) { /* the lead's tail stays; before it, placeholders */
        size_t n = (size_t)h->n_events;
        for (size_t k = 0; k < n - h->n_tail; k++)
            c->events[k] = lost_event;
        place_tail(c);
        trace_mark("checkpoint history did not verify");
    }
    return c->history > 0 ? 0 : -1;
}

size_t ckpt_history_from(const store_ckpt *c)
{
    return c->history ? 0 : (size_t)(c->head->n_events - c->head->n_tail);
}

bool ckpt_history_lost(const store_ckpt *c)
{
    return c && c->history < 0;
}

size_t ckpt_index_of(const store_ckpt *c, const cb_event *e)
{
    const cb_event *cur = c->lead_ev;
    if (e >= cur && e < cur + c->head->n_current)
        return c->current[e - cur];
    return SIZE_MAX;
}

int ckpt_find(store_ckpt *c, const char *name, ckpt_identity *id)
{
    /* Shards are looked up in the order they were recorded (the listing's),
     * so the record after the last one found is tried first. */
    uint32_t n = c ? c->head->n_shards : 0;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = (c->cursor + k) % n;
        const ckpt_shard *s = &c->shards[i];
        if (strcmp(c->lead_blob + s->name, name) != 0)
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
    *out = c->lead_ev[c->head->n_current + c->head->n_tail + (uint64_t)se->pin_rec];
}

cb_event *ckpt_append(store_ckpt *c, size_t n)
{
    size_t end = (size_t)c->head->events_at + (size_t)c->head->n_events * sizeof(cb_event),
           need = end + n * sizeof(cb_event);
    if (c->appended || n > CKPT_ROOM / sizeof(cb_event) || need > c->map_len)
        return NULL;
    if (need > c->writable) {
        size_t page = (size_t)sysconf(_SC_PAGESIZE), to = round_up(need, page);
        if (mprotect(c->map + c->writable, to - c->writable, PROT_READ | PROT_WRITE) != 0)
            return NULL;
        c->writable = to;
    }
    c->appended = true;
    return (cb_event *)(c->map + end);
}

/* Copies out the events of every shard of c not yet copied, in one pass
 * over the history. */
void shev_ready(shard_events *se)
{
    if (se->ev || !se->n || !se->pin)
        return;
    store_ckpt *c = se->pin;
    ckpt_load_history(c); /* (the store checks it first: see drop_unverified) */
    uint32_t n = c->head->n_shards;
    for (uint32_t r = 0; r < n; r++) {
        shard_events *m = c->made[r];
        if (m && !m->ev && m->n) {
            m->ev = xmalloc(m->n * sizeof *m->ev);
            m->cap = 0; /* counts what is copied */
        }
    }
    for (uint64_t k = 0; k < c->head->n_events; k++) {
        shard_events *m = c->made[c->shard_of[k]];
        if (m && m->cap < m->n)
            m->ev[m->cap++] = c->events[k];
    }
}

shard_events *ckpt_shard_events(store_ckpt *c, int rec)
{
    const ckpt_shard *s = &c->shards[rec];
    if (!*(c->lead_blob + s->name))
        return NULL; /* my own events come from the local database */
    shard_events *se = shev_new(NULL, NULL);
    se->client = c->lead_blob + s->client;
    se->plan_id = c->lead_blob + s->plan;
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

bool ckpt_hint(store_ckpt *c, shard_events *const *shards, int n, int mine_rec, merge_hint *h)
{
    if (!c)
        return false;
    h->ckpt = c;
    h->n_records = (int)c->head->n_shards;
    h->events = c->events;
    h->events_from = ckpt_history_from(c);
    h->shard_of = c->shard_of;
    h->n_events = c->head->n_events;
    h->current_ev = c->lead_ev;
    h->last_event =
        c->head->n_tail ? &c->lead_ev[c->head->n_current + c->head->n_tail - 1] : NULL;
    h->record_client = (const char *const *)c->clients;
    h->record_n = c->rec_n;
    h->record_chain = c->rec_chain;
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

/* Which input a snapshot event came from: its client string is, nearly
 * always, the very pointer of its shard's (every event of a shard_events
 * points at it). A history appended onto a checkpoint's keeps the
 * checkpoint's copy of the string for the events recorded before: a pointer
 * not seen yet is looked up by the string once, and remembered. */
typedef struct ptr_map {
    const void **key;
    int *val;
    size_t cap, n;
} ptr_map;

static size_t ptr_slot(const ptr_map *m, const void *p)
{
    size_t h = (size_t)(((uintptr_t)p >> 3) * 0x9e3779b97f4a7c15ull) & (m->cap - 1);
    while (m->key[h] && m->key[h] != p)
        h = (h + 1) & (m->cap - 1);
    return h;
}

static void ptr_put(ptr_map *m, const void *p, int v)
{
    if (2 * (m->n + 1) > m->cap) {
        ptr_map old = *m;
        m->cap *= 2;
        m->n = 0;
        m->key = xcalloc(m->cap, sizeof *m->key);
        m->val = xcalloc(m->cap, sizeof *m->val);
        for (size_t i = 0; i < old.cap; i++)
            if (old.key[i])
                ptr_put(m, old.key[i], old.val[i]);
        free(old.key);
        free(old.val);
    }
    size_t k = ptr_slot(m, p);
    if (!m->key[k])
        m->n++;
    m->key[k] = p;
    m->val[k] = v;
}

/* The input whose shard's client is client (-1: none given). by_name holds
 * each input's client string, hashed, for the pointers not seen yet. */
static int input_of(ptr_map *m, const ptr_map *by_name, const ckpt_input *in,
                    const char *client)
{
    size_t k = ptr_slot(m, client);
    if (m->key[k])
        return m->val[k];
    uint64_t h = store_str_hash(client, strlen(client));
    int found = -1;
    for (size_t i = (size_t)h & (by_name->cap - 1); by_name->key[i];
         i = (i + 1) & (by_name->cap - 1)) {
        int r = by_name->val[i];
        if (strcmp(in[r].ev->client, client) == 0) {
            found = r;
            break;
        }
    }
    ptr_put(m, client, found);
    return found;
}

/* One event as interned: its strings' blob offsets, before the blob's place
 * in the file is known. */
typedef struct ev_offsets {
    uint32_t member, os_user, host, key, value, note, undoes_client, shard;
} ev_offsets;

static ev_offsets intern_event(intern *strs, const cb_event *e, uint32_t shard)
{
    return (ev_offsets){.member = intern_str(strs, e->member ? e->member : ""),
                        .os_user = intern_str(strs, e->os_user ? e->os_user : ""),
                        .host = intern_str(strs, e->host ? e->host : ""),
                        .key = intern_str(strs, e->key ? e->key : ""),
                        .value = intern_str(strs, e->value ? e->value : ""),
                        .note = intern_str(strs, e->note),
                        .undoes_client = intern_str(strs, e->undoes_client),
                        .shard = shard};
}

static const char *at_blob(uint64_t blob, uint32_t off)
{
    return off == CKPT_NONE ? NULL : (const char *)(uintptr_t)(blob + off);
}

/* e as the file holds it: client at client, the rest in the blob at blob. */
static cb_event event_at(const cb_event *e, const ev_offsets *o, const char *client,
                         uint64_t blob)
{
    return (cb_event){.client = client,
                      .seq = e->seq,
                      .hlc = e->hlc,
                      .wall_ms = e->wall_ms,
                      .member = at_blob(blob, o->member),
                      .os_user = at_blob(blob, o->os_user),
                      .host = at_blob(blob, o->host),
                      .key = at_blob(blob, o->key),
                      .value = at_blob(blob, o->value),
                      .note = at_blob(blob, o->note),
                      .undoes_client = at_blob(blob, o->undoes_client),
                      .undoes_seq = e->undoes_seq};
}

static int write_file(const char *path, const unsigned char *p, size_t len)
{
    size_t tl = strlen(path) + 32;
    char *tmp = xmalloc(tl);
    snprintf(tmp, tl, "%s.tmp-%ld", path, (long)getpid());
    int rc = -1;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd >= 0) {
        /* No fsync: a checkpoint cut short or lost by a crash fails its
         * hash and is rebuilt, so waiting for the disk buys nothing. */
        rc = fd_write_all(fd, p, len);
        if (close(fd) != 0)
            rc = -1;
        if (rc == 0 && rename(tmp, path) != 0)
            rc = -1;
        if (rc != 0)
            unlink(tmp);
    }
    free(tmp);
    return rc;
}

/* How many of the newest events of a history of n (kept) the lead holds:
 * those of the last CKPT_TAIL_DAYS before now (a stand-up's changes are
 * never older), and one more (the moment before them), at most
 * CKPT_TAIL_MAX; at least the newest. */
#define CKPT_TAIL_DAYS 16
#define CKPT_TAIL_MAX 16384
static size_t tail_max = CKPT_TAIL_MAX;

void ckpt_set_tail_max(size_t n)
{
    tail_max = n ? n : CKPT_TAIL_MAX;
}

static size_t tail_of(const cb_event *const *kept, size_t n, int64_t now_ms)
{
    int64_t from = now_ms - (int64_t)CKPT_TAIL_DAYS * 86400000;
    size_t t = 0;
    while (t < n && t < tail_max && (int64_t)(kept[n - 1 - t]->hlc >> 16) >= from)
        t++;
    return t < n ? t + 1 : t;
}

static void free_intern(intern *in)
{
    free(in->blob.p);
    free(in->t);
    free(in);
}

int ckpt_write(const char *path, const char *store, const char *plan_id, const char *client,
               const ckpt_input *in, int n, const cb_snapshot *snap)
{
    if (snap)
        snapshot_history(snap);
    intern *lead = xcalloc(1, sizeof *lead), *strs = xcalloc(1, sizeof *strs); /* large */
    out_put(&lead->blob, "", 1); /* offset 0: "" */
    out_put(&strs->blob, "", 1);
    ckpt_head head = {.version = CKPT_VERSION,
                      .n_shards = (uint32_t)n,
                      .event_size = sizeof(cb_event),
                      .base = ckpt_preferred_base()};
    memcpy(head.magic, CKPT_MAGIC, 8);
    head.plan = intern_str(lead, plan_id);
    head.client = intern_str(lead, client);
    head.store = intern_str(lead, store);
    ckpt_shard *sh = xcalloc((size_t)(n > 0 ? n : 1), sizeof *sh);
    size_t n_snap = snap ? snap->n_events : 0, n_cur = snap ? snap->n_current : 0;
    ptr_map map = {.cap = 16}, by_name = {.cap = 16};
    while (map.cap < 4 * (size_t)n)
        map.cap *= 2;
    by_name.cap = map.cap;
    map.key = xcalloc(map.cap, sizeof *map.key);
    map.val = xcalloc(map.cap, sizeof *map.val);
    by_name.key = xcalloc(by_name.cap, sizeof *by_name.key);
    by_name.val = xcalloc(by_name.cap, sizeof *by_name.val);
    for (int i = 0; i < n; i++) {
        shard_events *se = (shard_events *)(uintptr_t)in[i].ev;
        shev_ready(se);
        ckpt_shard *s = &sh[i];
        *s = (ckpt_shard){.name = intern_str(lead, in[i].name ? in[i].name : ""),
                          .client = intern_str(lead, se->client),
                          .plan = intern_str(lead, se->plan_id),
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
        ptr_put(&map, se->client, i);
        /* by the string's hash (the key only marks the slot used) */
        size_t h = (size_t)store_str_hash(se->client, strlen(se->client)) & (by_name.cap - 1);
        while (by_name.key[h])
            h = (h + 1) & (by_name.cap - 1);
        by_name.key[h] = se->client;
        by_name.val[h] = i;
    }
    /* The history in merged order, each event naming its shard: every event
     * of every shard given, each shard's in its own order. Events of shards
     * not given (a bad shard's last good version) are left out, and so are
     * the winners then. */
    ev_offsets *offs = xmalloc((n_snap ? n_snap : 1) * sizeof *offs);
    size_t *next = xcalloc((size_t)(n > 0 ? n : 1), sizeof *next);
    int64_t *last_seq = xcalloc((size_t)(n > 0 ? n : 1), sizeof *last_seq);
    const cb_event **kept = xmalloc((n_snap ? n_snap : 1) * sizeof *kept);
    bool whole = true, ok = snap != NULL;
    for (size_t i = 0; ok && i < n_snap; i++) {
        const cb_event *e = &snap->events[i];
        int r = input_of(&map, &by_name, in, e->client);
        if (r < 0) {
            whole = false;
            continue;
        }
        /* (Checked against the shard's count and its seq rising, not its
         * events: reading those would be a cache miss per event.) */
        if (next[r] >= in[r].ev->n || e->seq <= last_seq[r] ||
            (head.n_events && event_order(kept[head.n_events - 1], e) >= 0)) {
            ok = false;
            break;
        }
        last_seq[r] = e->seq;
        next[r]++;
        sh[r].last = head.n_events;
        kept[head.n_events] = e;
        offs[head.n_events++] = intern_event(strs, e, (uint32_t)r);
    }
    for (int r = 0; ok && r < n; r++)
        ok = next[r] == in[r].ev->n && last_seq[r] == in[r].ev->max_seq;
    free(last_seq);
    free(next);
    if (ok && whole)
        head.n_current = n_cur;
    head.n_tail = ok ? tail_of(kept, (size_t)head.n_events, date_wall_ms()) : 0;
    head.blob_len = strs->blob.n;

    /* The lead's events: the winners, the tail, each shard's newest (one
     * with none: an empty record of its client). */
    size_t tail_at = (size_t)head.n_current, last_at = tail_at + (size_t)head.n_tail,
           n_lead = last_at + (size_t)n;
    ev_offsets *loffs = xmalloc((n_lead ? n_lead : 1) * sizeof *loffs);
    const cb_event **lead_of = xmalloc((n_lead ? n_lead : 1) * sizeof *lead_of);
    uint32_t *cur_index = xmalloc((tail_at ? tail_at : 1) * sizeof *cur_index);
    static const cb_event none = {.key = "", .value = ""};
    for (size_t j = 0; ok && j < n_lead; j++) {
        const cb_event *e;
        int r;
        if (j < tail_at) { /* (whole: the history as written is the snapshot's) */
            size_t k = snapshot_index(snap, snap->current[j]);
            ok = k < (size_t)head.n_events;
            cur_index[j] = (uint32_t)k;
            e = snap->current[j];
            r = ok ? (int)offs[k].shard : 0;
        } else if (j < last_at) {
            size_t k = (size_t)head.n_events - (size_t)head.n_tail + (j - tail_at);
            e = kept[k];
            r = (int)offs[k].shard;
        } else {
            r = (int)(j - last_at);
            e = sh[r].n ? kept[sh[r].last] : &none;
        }
        lead_of[j] = e;
        loffs[j] = intern_event(lead, e, (uint32_t)r);
    }
    head.lead_blob_len = lead->blob.n;

    /* The file: the lead (head, shards, current, its events, its blob), then
     * the history (shard_of, blob, events). */
    size_t at = pad8(sizeof head) + (size_t)n * sizeof *sh, cur_at = at;
    at += pad8(tail_at * 4);
    size_t lead_ev_at = at;
    at += n_lead * sizeof(cb_event);
    head.lead_blob_at = at;
    head.lead_len = pad8(at + (size_t)head.lead_blob_len);
    at = (size_t)head.lead_len;
    size_t shard_of_at = at;
    at += pad8((size_t)head.n_events * 4);
    head.blob_at = at;
    head.events_at = round_up(at + head.blob_len, CKPT_ALIGN);
    size_t len = (size_t)head.events_at + (size_t)head.n_events * sizeof(cb_event);
    int rc = -1;
    unsigned char *f = ok ? calloc(1, len) : NULL;
    if (f) {
        if (n)
            memcpy(f + pad8(sizeof head), sh, (size_t)n * sizeof *sh);
        memcpy(f + cur_at, cur_index, tail_at * 4);
        uint64_t lblob = head.base + head.lead_blob_at, blob = head.base + head.blob_at;
        cb_event *lev = (cb_event *)(f + lead_ev_at);
        for (size_t j = 0; j < n_lead; j++)
            lev[j] = event_at(lead_of[j], &loffs[j], at_blob(lblob, sh[loffs[j].shard].client),
                              lblob);
        memcpy(f + head.lead_blob_at, lead->blob.p, head.lead_blob_len);
        uint32_t *shard_of = (uint32_t *)(f + shard_of_at);
        memcpy(f + head.blob_at, strs->blob.p, head.blob_len);
        cb_event *ev = (cb_event *)(f + head.events_at);
        for (size_t k = 0; k < head.n_events; k++) {
            shard_of[k] = offs[k].shard;
            ev[k] = event_at(kept[k], &offs[k], at_blob(lblob, sh[offs[k].shard].client), blob);
        }
        memcpy(f, &head, sizeof head);
        ckpt_head *fh = (ckpt_head *)f;
        fh->hist_hash = hist_hash(f, (size_t)head.lead_len, len);
        fh->hash = lead_hash(f, (size_t)head.lead_len);
        rc = write_file(path, f, len);
        free(f);
    }
    free(loffs);
    free(lead_of);
    free(cur_index);
    free(kept);
    free(offs);
    free(map.key);
    free(map.val);
    free(by_name.key);
    free(by_name.val);
    free(sh);
    free_intern(lead);
    free_intern(strs);
    return rc;
}

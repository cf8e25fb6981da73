/* store_merge.c — the merge rules: the events of every shard become one
 * snapshot. History is the union of all events, deduplicated by (client, seq)
 * and sorted by (hlc, client, seq); the current value of a key is its greatest
 * event in that order. The result depends only on the set of events, never on
 * the order shards or events arrive in, so replaying anything is harmless. */
#include "store_impl.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int event_order(const cb_event *a, const cb_event *b)
{
    if (a->hlc != b->hlc)
        return a->hlc < b->hlc ? -1 : 1;
    int c = strcmp(a->client, b->client);
    if (c)
        return c;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

static int cmp_event_ptr(const void *x, const void *y)
{
    return event_order(*(const cb_event *const *)x, *(const cb_event *const *)y);
}

/* A table's hash of a string (never stored): eight bytes per step, then
 * murmur3's finalizer so the low bits a table uses depend on every byte. */
uint64_t store_str_hash(const char *s, size_t n)
{
    uint64_t h = n * 0x9e3779b97f4a7c15ull, w;
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
    }
    w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ h >> 33;
}

/* One entry of the winner table. The key's hash is kept beside it, so a probe
 * compares strings only on a hash match; and the key string compared is the
 * first one seen, not the latest event's copy, so the same few bytes are
 * compared every time and stay in the cache (each shard has its own copy). */
typedef struct key_slot {
    uint64_t hash;
    const char *key;
    const cb_event *ev;
} key_slot;

typedef struct key_table {
    key_slot *t;
    size_t cap, n_keys; /* cap: a power of two, at most half full */
} key_table;

static void key_table_put(key_table *kt, uint64_t hash, const char *key, const cb_event *e);

/* Grows the table so that n more keys keep it at most half full. */
static void key_table_reserve(key_table *kt, size_t n)
{
    if (2 * (kt->n_keys + n) <= kt->cap)
        return;
    key_table old = *kt;
    kt->cap = old.cap ? old.cap : 1024;
    while (2 * (old.n_keys + n) > kt->cap)
        kt->cap *= 2;
    kt->t = xcalloc(kt->cap, sizeof *kt->t);
    kt->n_keys = 0;
    for (size_t j = 0; j < old.cap; j++)
        if (old.t[j].ev)
            key_table_put(kt, old.t[j].hash, old.t[j].key, old.t[j].ev);
    free(old.t);
}

/* Enters key's event; a later call for the same key replaces it (later wins). */
static void key_table_put(key_table *kt, uint64_t hash, const char *key, const cb_event *e)
{
    key_table_reserve(kt, 1);
    size_t h = (size_t)hash & (kt->cap - 1);
    while (kt->t[h].ev && (kt->t[h].hash != hash || strcmp(kt->t[h].key, key) != 0))
        h = (h + 1) & (kt->cap - 1);
    if (!kt->t[h].ev) {
        kt->n_keys++;
        kt->t[h] = (key_slot){hash, key, e};
    }
    kt->t[h].ev = e;
}

/* How many events' table slots are requested ahead of their use. */
#define PICK_BLOCK 32

/* The slot an event lands in is random, so each lookup would wait for memory
 * (the table outgrows the nearest caches at 10,000 keys): hash a block of
 * events first and ask for their slots, then enter them. */
static void find_winners(const cb_event *ev, size_t n, key_table *kt)
{
    uint64_t hash[PICK_BLOCK];
    for (size_t i = 0; i < n; i += PICK_BLOCK) {
        size_t b = n - i < PICK_BLOCK ? n - i : PICK_BLOCK;
        key_table_reserve(kt, b);
        for (size_t j = 0; j < b; j++) {
            hash[j] = store_str_hash(ev[i + j].key, strlen(ev[i + j].key));
            __builtin_prefetch(&kt->t[(size_t)hash[j] & (kt->cap - 1)]);
        }
        for (size_t j = 0; j < b; j++)
            key_table_put(kt, hash[j], ev[i + j].key, &ev[i + j]);
    }
}

/* A current value's sort key: the key's first 16 bytes, big-endian, so that
 * comparing the integers compares the strings' bytes in strcmp's order; most
 * keys (a tick key is item and member ids) fit, and sorting then never leaves the array. */
typedef struct sort_entry {
    uint64_t p0, p1;
    const cb_event *e;
} sort_entry;

static uint64_t be_prefix(const char *s, size_t *at)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) {
        unsigned char c = s[*at] ? (unsigned char)s[(*at)++] : 0;
        v = v << 8 | c;
    }
    return v;
}

static int cmp_sort_entry(const void *x, const void *y)
{
    const sort_entry *a = x, *b = y;
    if (a->p0 != b->p0)
        return a->p0 < b->p0 ? -1 : 1;
    if (a->p1 != b->p1)
        return a->p1 < b->p1 ? -1 : 1;
    return strcmp(a->e->key, b->e->key); /* equal up to 16 bytes: look further */
}

/* Sorts the winners by key into out. */
static void sort_by_key(const key_table *kt, const cb_event **out)
{
    sort_entry *v = xmalloc((kt->n_keys ? kt->n_keys : 1) * sizeof *v);
    size_t k = 0;
    for (size_t h = 0; h < kt->cap; h++) {
        if (!kt->t[h].ev)
            continue;
        size_t at = 0;
        v[k].p0 = be_prefix(kt->t[h].key, &at);
        v[k].p1 = be_prefix(kt->t[h].key, &at);
        v[k++].e = kt->t[h].ev;
    }
    qsort(v, k, sizeof *v, cmp_sort_entry);
    for (size_t i = 0; i < k; i++)
        out[i] = v[i].e;
    free(v);
}

/* Winner per key: open addressing over the sorted history, later wins. The
 * table grows with the number of keys (far fewer than events: 10,000 keys for
 * 100,000 events). */
static size_t pick_current(const cb_event *ev, size_t n, const cb_event **out)
{
    key_table kt = {0};
    find_winners(ev, n, &kt);
    sort_by_key(&kt, out);
    free(kt.t);
    return kt.n_keys;
}

/* A min-heap of shard cursors ordered by their next event. The next event's
 * clock is kept in the cursor: clocks nearly always differ, so most
 * comparisons never leave the heap array. client numbers the shard's client
 * id (equal ids, equal numbers), so spotting an event seen twice compares
 * integers, not strings. */
typedef struct cursor {
    uint64_t hlc;
    const cb_event *at, *end;
    int client;
} cursor;

static bool cursor_less(const cursor *a, const cursor *b)
{
    if (a->hlc != b->hlc)
        return a->hlc < b->hlc;
    return event_order(a->at, b->at) < 0;
}

static void sift_down(cursor *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && cursor_less(&h[l], &h[m]))
            m = l;
        if (r < n && cursor_less(&h[r], &h[m]))
            m = r;
        if (m == i)
            return;
        cursor t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static bool sorted(const shard_events *se)
{
    for (size_t i = 1; i < se->n; i++)
        if (event_order(&se->ev[i - 1], &se->ev[i]) >= 0)
            return false;
    return true;
}

/* Restores the heap after its top cursor moved on (or was replaced by the last
 * one). Shards interleave, so the new top usually belongs near the bottom:
 * walk the hole down along the smaller children to a leaf (one comparison per
 * level), then move the cursor up from there (Floyd's bottom-up heap), about
 * half the comparisons of sift_down. */
static void replace_top(cursor *h, size_t n)
{
    cursor c = h[0];
    size_t i = 0;
    for (size_t l; (l = 2 * i + 1) < n; i = l) {
        if (l + 1 < n && cursor_less(&h[l + 1], &h[l]))
            l++;
        h[i] = h[l];
    }
    while (i > 0 && cursor_less(&c, &h[(i - 1) / 2])) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = c;
}

/* How many events ahead a cursor's memory is requested (a cb_event is 88
 * bytes: this is about two cache lines past the one in use). */
#define PREFETCH_AHEAD 2

/* Every shard is already in (hlc, client, seq) order (its clock rises with its
 * seq), so the union is a k-way merge: n log k instead of n log n. */
static size_t merge_sorted(shard_events *const *shards, int n, cb_event *out)
{
    cursor *heap = xmalloc((size_t)(n > 0 ? n : 1) * sizeof *heap);
    size_t h = 0, m = 0;
    for (int i = 0; i < n; i++) {
        if (!shards[i]->n)
            continue;
        int client = i;
        for (int j = 0; j < i && client == i; j++)
            if (strcmp(shards[j]->client, shards[i]->client) == 0)
                client = j;
        heap[h++] =
            (cursor){shards[i]->ev[0].hlc, shards[i]->ev, shards[i]->ev + shards[i]->n, client};
    }
    for (size_t i = h / 2; i-- > 0;)
        sift_down(heap, h, i);
    int last_client = -1;
    while (h > 0) {
        const cb_event *e = heap[0].at;
        if (!(m > 0 && out[m - 1].seq == e->seq && last_client == heap[0].client)) {
            out[m++] = *e; /* else: the same event seen twice */
            last_client = heap[0].client;
        }
        if (++heap[0].at == heap[0].end) {
            heap[0] = heap[--h];
        } else {
            heap[0].hlc = heap[0].at->hlc;
            /* With many shards, each is read again only after most others,
             * by which time its next events have left the cache: a read from
             * one of 100 streams misses every time. Ask for them early. */
            if (heap[0].end - heap[0].at > PREFETCH_AHEAD)
                __builtin_prefetch(heap[0].at + PREFETCH_AHEAD);
        }
        replace_top(heap, h);
    }
    free(heap);
    return m;
}

/* The general case (a shard out of order): sort pointers. */
static size_t merge_unsorted(shard_events *const *shards, int n, size_t total, cb_event *out)
{
    const cb_event **order = xmalloc((total ? total : 1) * sizeof *order);
    size_t k = 0, m = 0;
    for (int i = 0; i < n; i++)
        for (size_t j = 0; j < shards[i]->n; j++)
            order[k++] = &shards[i]->ev[j];
    qsort(order, total, sizeof *order, cmp_event_ptr);
    for (size_t i = 0; i < total; i++) {
        const cb_event *e = order[i];
        if (m > 0 && out[m - 1].seq == e->seq && strcmp(out[m - 1].client, e->client) == 0)
            continue;
        out[m++] = *e;
    }
    free(order);
    return m;
}

snapshot_impl *merge_shards(shard_events *const *shards, int n, uint64_t generation)
{
    snapshot_impl *s = xcalloc(1, sizeof *s);
    s->refs = 1;
    s->held = xcalloc((size_t)(n > 0 ? n : 1), sizeof *s->held);
    size_t total = 0;
    bool all_sorted = true;
    for (int i = 0; i < n; i++) {
        shev_ready(shards[i]);
        s->held[s->n_held++] = shev_retain(shards[i]);
        total += shards[i]->n;
        all_sorted = all_sorted && sorted(shards[i]);
    }
    s->events = xmalloc((total ? total : 1) * sizeof *s->events);
    size_t m = all_sorted ? merge_sorted(shards, n, s->events)
                          : merge_unsorted(shards, n, total, s->events);
    s->current = xmalloc((m ? m : 1) * sizeof *s->current);
    s->pub.events = s->events;
    s->pub.self = s;
    s->pub.n_events = m;
    s->pub.current = s->current;
    s->pub.n_current = pick_current(s->events, m, s->current);
    s->pub.generation = generation;
    s->pub.n_shards = n;
    return s;
}

/* The recorded history walked in order, with the events of shards read
 * afresh (fresh, already merged) slotted in: a two-way merge. 0 when the
 * record does not hold (see merge_shards_hinted). */
static size_t merge_into_order(shard_events *const *shards, int n, const merge_hint *h,
                               const cb_event *fresh, size_t n_fresh, cb_event *out,
                               size_t *at_k, size_t *at_f)
{
    int *shard_of = xmalloc((size_t)(h->n_records > 0 ? h->n_records : 1) * sizeof *shard_of);
    size_t *next = xcalloc((size_t)(n > 0 ? n : 1), sizeof *next);
    for (int r = 0; r < h->n_records; r++)
        shard_of[r] = -1;
    for (int i = 0; i < n; i++)
        if (h->record_of[i] >= 0 && h->record_of[i] < h->n_records)
            shard_of[h->record_of[i]] = i;
    size_t m = 0, f = 0;
    const cb_event *prev = NULL;
    bool ok = true;
    for (size_t k = 0; ok && k < h->n_events; k++) {
        const cb_event *r = &h->events[k];
        int i = h->shard_of[k] < (uint32_t)h->n_records ? shard_of[h->shard_of[k]] : -1;
        at_k[k] = SIZE_MAX;
        if (i < 0)
            continue; /* a shard changed or gone since */
        if (next[i] >= shards[i]->n) {
            ok = false;
            break;
        }
        cb_event e = shards[i]->ev ? shards[i]->ev[next[i]] : *r;
        if (e.seq != r->seq || e.hlc != r->hlc || (prev && event_order(prev, &e) >= 0)) {
            ok = false;
            break;
        }
        next[i]++;
        while (f < n_fresh && event_order(&fresh[f], &e) < 0) {
            at_f[f] = m;
            out[m++] = fresh[f++];
        }
        if (f < n_fresh && event_order(&fresh[f], &e) == 0)
            at_f[f++] = m; /* the same event seen twice */
        at_k[k] = m;
        out[m] = e;
        prev = &out[m++];
    }
    for (int i = 0; ok && i < n; i++)
        ok = h->record_of[i] < 0 || next[i] == shards[i]->n;
    while (ok && f < n_fresh) {
        at_f[f] = m;
        out[m++] = fresh[f++];
    }
    free(shard_of);
    free(next);
    return ok ? m : 0;
}

static int cmp_key_of_event(const void *key, const void *elem);

/* Where recorded event k is now: its place in the history, or (its shard
 * read afresh) the same event among the fresh ones; SIZE_MAX when gone. */
static size_t now_at(const merge_hint *h, size_t k, const size_t *at_k, const cb_event *fresh,
                     size_t n_fresh, const size_t *at_f)
{
    if (at_k[k] != SIZE_MAX)
        return at_k[k];
    const cb_event *r = &h->events[k];
    cb_event want = {.hlc = r->hlc, .client = r->client, .seq = r->seq};
    size_t lo = 0, hi = n_fresh;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = event_order(&fresh[mid], &want);
        if (c == 0)
            return strcmp(fresh[mid].key, r->key) == 0 ? at_f[mid] : SIZE_MAX;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return SIZE_MAX;
}

static int cmp_event_by_key_then_place(const void *x, const void *y)
{
    const cb_event *a = *(const cb_event *const *)x, *b = *(const cb_event *const *)y;
    int c = strcmp(a->key, b->key);
    return c ? c : (a > b) - (a < b);
}

static size_t take_later(const cb_event **out, size_t nc, const cb_event *const *news,
                         size_t m);

/* The winner of each key from the recorded winners and the events read
 * afresh, without a pass over the whole history: a recorded winner still
 * there (in place, or the same event in its shard read afresh) stays unless
 * a fresh event of its key comes later; keys only fresh events have are
 * added. SIZE_MAX when a recorded winner is gone (a shard replaced by a
 * shorter history, or deleted): then only a full pass can tell. */
static size_t update_current(const merge_hint *h, const cb_event *ev, const size_t *at_k,
                             const cb_event *fresh, size_t n_fresh, const size_t *at_f,
                             const cb_event **out)
{
    if (!h->n_current && h->n_events)
        return SIZE_MAX; /* none recorded */
    size_t nc = h->n_current;
    for (size_t j = 0; j < nc; j++) {
        size_t at = h->current[j] < h->n_events
                        ? now_at(h, h->current[j], at_k, fresh, n_fresh, at_f)
                        : SIZE_MAX;
        if (at == SIZE_MAX)
            return SIZE_MAX;
        out[j] = &ev[at];
        if (j > 0 && strcmp(out[j - 1]->key, out[j]->key) >= 0)
            return SIZE_MAX;
    }
    const cb_event **news = xmalloc((n_fresh ? n_fresh : 1) * sizeof *news);
    for (size_t f = 0; f < n_fresh; f++)
        news[f] = &ev[at_f[f]];
    size_t total = take_later(out, nc, news, n_fresh);
    free(news);
    return total;
}

/* Winners out[0..nc) (sorted by key, pointers into one history) updated
 * with the events news[0..m) of that history: one that comes later than its
 * key's winner replaces it; keys no winner has are added, in key order.
 * out has room for nc + m. Returns the number of winners. */
static size_t take_later(const cb_event **out, size_t nc, const cb_event *const *news, size_t m)
{
    const cb_event **added = xmalloc((m ? m : 1) * sizeof *added);
    size_t n_added = 0;
    for (size_t f = 0; f < m; f++) {
        const cb_event *e = news[f];
        const cb_event **hit = bsearch(e->key, out, nc, sizeof *out, cmp_key_of_event);
        if (!hit)
            added[n_added++] = e;
        else if (*hit < e)
            *hit = e;
    }
    /* Keys new to the history: the latest event of each, merged in by key. */
    qsort(added, n_added, sizeof *added, cmp_event_by_key_then_place);
    size_t k = 0;
    for (size_t i = 0; i < n_added; i++)
        if (i + 1 == n_added || strcmp(added[i]->key, added[i + 1]->key) != 0)
            added[k++] = added[i];
    size_t total = nc + k, a = nc, b = k;
    while (b > 0) {
        if (a > 0 && strcmp(out[a - 1]->key, added[b - 1]->key) > 0)
            out[a + b - 1] = out[a - 1], a--;
        else
            out[a + b - 1] = added[b - 1], b--;
    }
    free(added);
    return total;
}

snapshot_impl *merge_shards_hinted(shard_events *const *shards, int n, uint64_t generation,
                                   const merge_hint *h)
{
    shard_events **rest = xmalloc((size_t)(n > 0 ? n : 1) * sizeof *rest);
    int n_rest = 0;
    size_t total = 0, n_fresh_total = 0;
    bool all_sorted = true;
    for (int i = 0; i < n; i++) {
        total += shards[i]->n;
        if (h->record_of[i] < 0) {
            shev_ready(shards[i]);
            rest[n_rest++] = shards[i];
            n_fresh_total += shards[i]->n;
            all_sorted = all_sorted && sorted(shards[i]);
        }
    }
    if (!all_sorted) {
        free(rest);
        return merge_shards(shards, n, generation);
    }
    cb_event *fresh = xmalloc((n_fresh_total ? n_fresh_total : 1) * sizeof *fresh);
    size_t n_fresh = merge_sorted(rest, n_rest, fresh);
    free(rest);
    snapshot_impl *s = xcalloc(1, sizeof *s);
    s->refs = 1;
    s->events = xmalloc((total ? total : 1) * sizeof *s->events);
    size_t *at_k = xmalloc((h->n_events ? h->n_events : 1) * sizeof *at_k);
    size_t *at_f = xmalloc((n_fresh ? n_fresh : 1) * sizeof *at_f);
    size_t m = merge_into_order(shards, n, h, fresh, n_fresh, s->events, at_k, at_f);
    if (!m && total) {
        free(at_k);
        free(at_f);
        free(fresh);
        free(s->events);
        free(s);
        return merge_shards(shards, n, generation);
    }
    s->held = xcalloc((size_t)(n > 0 ? n : 1), sizeof *s->held);
    for (int i = 0; i < n; i++)
        s->held[s->n_held++] = shev_retain(shards[i]);
    s->current = xmalloc((m ? m : 1) * sizeof *s->current);
    s->pub.events = s->events;
    s->pub.self = s;
    s->pub.n_events = m;
    s->pub.current = s->current;
    size_t nc = update_current(h, s->events, at_k, fresh, n_fresh, at_f, s->current);
    s->pub.n_current = nc != SIZE_MAX ? nc : pick_current(s->events, m, s->current);
    free(at_k);
    free(at_f);
    free(fresh);
    s->pub.generation = generation;
    s->pub.n_shards = n;
    return s;
}

/* The chain value over a shard's first n events, as its rows record it. */
static uint64_t chain_upto(const shard_events *se, size_t n)
{
    uint64_t c = 0;
    for (size_t i = 0; i < n; i++)
        c = event_chain(c, &se->ev[i]);
    return c;
}

/* What is new since the record, for merge_appending: per shard, the index
 * of its first event the recorded history lacks (its count when none).
 * false when a record is neither taken nor the start of a shard that grew. */
static bool new_since_record(shard_events *const *shards, int n, const merge_hint *h,
                             size_t *from)
{
    int nr = h->n_records;
    bool *covered = xcalloc((size_t)nr + 1, sizeof *covered), ok = true;
    for (int i = 0; ok && i < n; i++) {
        shard_events *se = shards[i];
        int r = h->record_of[i];
        if (r < 0) { /* read afresh: the record of its client, if any */
            shev_ready(se);
            for (int k = 0; k < nr && r < 0; k++)
                if (strcmp(h->record_client[k], se->client) == 0)
                    r = k;
            from[i] = 0;
            if (r >= 0) {
                ok = !covered[r] && se->n >= h->record_n[r] && sorted(se) &&
                     chain_upto(se, (size_t)h->record_n[r]) == h->record_chain[r];
                from[i] = (size_t)h->record_n[r];
            } else {
                ok = sorted(se);
            }
        } else {
            ok = r < nr && !covered[r];
            from[i] = se->n;
        }
        if (ok && r >= 0)
            covered[r] = true;
    }
    for (int k = 0; ok && k < nr; k++)
        ok = covered[k];
    free(covered);
    return ok;
}

snapshot_impl *merge_appending(shard_events *const *shards, int n, uint64_t generation,
                               const merge_hint *h)
{
    if (!h->ckpt || !h->n_events || !h->n_current)
        return NULL;
    size_t *from = xmalloc((size_t)(n > 0 ? n : 1) * sizeof *from), total = 0, m = 0;
    if (!new_since_record(shards, n, h, from)) {
        free(from);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        total += shards[i]->n;
        m += shards[i]->n - from[i];
    }
    const cb_event **news = xmalloc((m ? m : 1) * sizeof *news);
    m = 0;
    for (int i = 0; i < n; i++)
        for (size_t j = from[i]; j < shards[i]->n; j++)
            news[m++] = &shards[i]->ev[j];
    free(from);
    qsort(news, m, sizeof *news, cmp_event_ptr);
    /* All of it after the recorded history, none twice. */
    bool ok = h->n_events + m == total && h->last_event &&
              (!m || event_order(h->last_event, news[0]) < 0);
    for (size_t f = 1; ok && f < m; f++)
        ok = event_order(news[f - 1], news[f]) < 0;
    cb_event *tail = ok && m ? ckpt_append(h->ckpt, m) : NULL;
    if (!ok || (m && !tail)) {
        free(news);
        return NULL;
    }
    for (size_t f = 0; f < m; f++) {
        tail[f] = *news[f];
        news[f] = &tail[f];
    }
    cb_event *ev = (cb_event *)(uintptr_t)h->events;
    const cb_event **cur = xmalloc((h->n_current + m) * sizeof *cur);
    for (size_t j = 0; ok && j < h->n_current; j++) {
        cur[j] = &h->current_ev[j]; /* (the history may not be read yet) */
        ok = j == 0 || strcmp(cur[j - 1]->key, cur[j]->key) < 0;
    }
    if (!ok) { /* cannot happen with a file that hashed right: the full merge */
        free(cur);
        free(news);
        return NULL;
    }
    snapshot_impl *s = xcalloc(1, sizeof *s);
    s->refs = 1;
    s->image = ckpt_ref(h->ckpt);
    s->events = ev;
    s->current = cur;
    s->held = xcalloc((size_t)(n > 0 ? n : 1), sizeof *s->held);
    for (int i = 0; i < n; i++)
        s->held[s->n_held++] = shev_retain(shards[i]);
    s->pub.events = ev;
    s->pub.self = s;
    s->pub.n_events = h->n_events + m;
    s->pub.events_from = h->events_from;
    s->pub.current = cur;
    s->pub.n_current = take_later(cur, h->n_current, news, m);
    s->pub.generation = generation;
    s->pub.n_shards = n;
    free(news);
    return s;
}

void snapshot_unref(snapshot_impl *s)
{
    if (!s || --s->refs > 0)
        return;
    for (int i = 0; i < s->n_held; i++)
        shev_release(s->held[i]);
    free(s->held);
    if (s->image)
        ckpt_unref(s->image, NULL);
    else
        free(s->events);
    free(s->current);
    free(s);
}

static int cmp_key_of_event(const void *key, const void *elem)
{
    return strcmp((const char *)key, (*(const cb_event *const *)elem)->key);
}

const cb_event *snapshot_get(const cb_snapshot *snap, const char *key)
{
    if (!snap || !snap->n_current)
        return NULL;
    const cb_event *const *hit =
        bsearch(key, snap->current, snap->n_current, sizeof *snap->current, cmp_key_of_event);
    return hit ? *hit : NULL;
}

const char *snapshot_value(const cb_snapshot *snap, const char *key)
{
    const cb_event *e = snapshot_get(snap, key);
    return e && e->value ? e->value : "";
}

const cb_event *snapshot_history(const cb_snapshot *snap)
{
    if (snap->events_from && snap->self) {
        ckpt_load_history(snap->self->image); /* (placeholders should it fail) */
        snap->self->pub.events_from = 0;
    }
    return snap->events;
}

size_t snapshot_index(const cb_snapshot *snap, const cb_event *e)
{
    if (e >= snap->events && e < snap->events + snap->n_events)
        return (size_t)(e - snap->events);
    size_t k = snap->self && snap->self->image ? ckpt_index_of(snap->self->image, e) : SIZE_MAX;
    return k < snap->n_events ? k : snap->n_events;
}

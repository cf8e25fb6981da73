/* store_impl.h — internals of the store shared by store.c (lifecycle, apply,
 * poll/refresh), store_shard.c (one shard: schema, load, verify, publish) and
 * store_merge.c (events of all shards -> one snapshot). Not a public API; unit
 * tests include it to test the merge rules directly.
 *
 * Ownership: a shard_events is reference-counted; the store holds one reference
 * per loaded shard and every snapshot holds one for each shard it points into,
 * so a retained snapshot outlives reloads of the shards it was built from. */
#ifndef CERTBOARD_STORE_IMPL_H
#define CERTBOARD_STORE_IMPL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "certboard/arena.h"
#include "certboard/store.h"

/* The events of one client (one shard), sorted by seq, which for a valid shard
 * is also hlc order. Entries are only ever appended. */
typedef struct shard_events {
    int refs;
    cb_arena *arena; /* owns every string of every event */
    cb_event *ev;
    size_t n, cap;
    const char *client; /* from the shard's meta table */
    const char *plan_id;
    int schema; /* PRAGMA user_version */
    int64_t max_seq;
    uint64_t max_hlc;
    uint64_t chain;           /* checksum chain over every event so far */
    size_t quarantined;       /* events dropped by shev_quarantine */
    uint64_t quarantined_hlc; /* the first of them's clock */
    /* Events taken from a checkpoint: pin holds their strings, and ev stays
     * NULL (n > 0) until shev_ready decodes record pin_rec (a warm start's
     * merge reads them from the checkpoint directly). */
    struct store_ckpt *pin;
    int pin_rec;
} shard_events;

shard_events *shev_new(const char *client, const char *plan_id);
shard_events *shev_retain(shard_events *se);
void shev_release(shard_events *se); /* NULL is fine */
/* Appends a copy of e (strings copied into se's arena; e->client ignored) and
 * extends se->chain over it. */
void shev_push(shard_events *se, const cb_event *e);
/* The checksum chain: a 64-bit FNV-1a over the previous link and every field
 * of e but its client (which the shard's meta table names). Each event row
 * stores the link up to itself, so a reader detects any damaged byte. */
uint64_t event_chain(uint64_t prev, const cb_event *e);

/* Equal in every field but the client, which the shard's meta table names
 * (the clock alone is not enough: two machines sharing a client id make
 * their next changes with equal clocks when both happen within the same
 * millisecond after the same last event). */
bool event_same(const cb_event *a, const cb_event *b);

/* Drops the events whose clock is implausibly far ahead of now_ms (see
 * hlc_implausible): in a valid shard clocks rise with seq, so they are a
 * suffix. Returns how many were dropped (also kept in se->quarantined). */
size_t shev_quarantine(shard_events *se, int64_t now_ms);

/* --- store_shard.c ------------------------------------------------------ */

/* What one shard may cost a reader: a file larger than max_bytes is not read,
 * one with more than max_events events is not parsed. Generous for any honest
 * team (a member makes a few thousand changes a year), small enough that a
 * hostile or broken file cannot exhaust a reader's memory. */
#define SHARD_MAX_BYTES ((off_t)32 << 20)
#define SHARD_MAX_EVENTS 250000
typedef struct shard_budget {
    off_t max_bytes;    /* 0: SHARD_MAX_BYTES */
    int64_t max_events; /* 0: SHARD_MAX_EVENTS */
} shard_budget;

/* Writes all len bytes (a write cut short is continued): 0, or -1 (errno). */
int fd_write_all(int fd, const void *buf, size_t len);
/* The integer value of a PRAGMA (e.g. "user_version"), or -1. */
int64_t shard_pragma_int(sqlite3 *db, const char *pragma);
/* Creates the tables of an empty database and records client and plan. */
int shard_create_schema(sqlite3 *db, const char *client, const char *plan_id, char *err,
                        size_t n);
/* Inserts e as the event after the one whose chain link is prev. */
int shard_insert_event(sqlite3 *db, const cb_event *e, uint64_t prev);
/* Reads meta and events of an open database. NULL with the reason in err. */
shard_events *shard_read_db(sqlite3 *db, char *err, size_t n);
/* Reads a shard file with one open() and read()s, verifies it and parses it
 * (sqlite3_deserialize into a private in-memory database). *st receives the
 * fstat of the file read. NULL with the reason in err (*st is still set when
 * the file could be opened); *changing (may be NULL) then tells whether the
 * failure looks like the file being replaced while read (a network client's
 * stale cached size, a rename between stat and open): worth a retry. */
shard_events *shard_load_file(const char *path, struct stat *st, bool *changing, char *err,
                              size_t n);
/* Same within budget b (NULL: the defaults). Only a regular file is read: the
 * file is opened with O_NOFOLLOW | O_NONBLOCK (a FIFO or device never blocks
 * the reader) and checked with fstat before any read. */
shard_events *shard_load_file_within(const char *path, const shard_budget *b, struct stat *st,
                                     bool *changing, char *err, size_t n);
/* Same for bytes already in memory (buf from sqlite3_malloc64; always taken). */
shard_events *shard_load_bytes(unsigned char *buf, size_t len, bool *changing, char *err,
                               size_t n);
/* One file for shard_load_files: path and st (the stat that found it changed)
 * in; ev, st, changing and err out, as from shard_load_file. */
typedef struct shard_load_job {
    const char *path;
    shard_budget budget;
    struct stat st;
    shard_events *ev; /* owned by the caller afterwards; NULL on failure */
    bool changing;
    char err[512];
} shard_load_job;
/* shard_load_file for each job; several files are read on as many threads as
 * there are cores (at most four), since a cold start reads them all. */
void shard_load_files(shard_load_job *jobs, size_t n);
/* The clock of the newest event of a shard file, read without loading it
 * (a one-change command needs only that to order its event after all it
 * could have seen); 0 for a shard without events. Not verified (its chain is
 * not read): -1 for anything a load would name or refuse that shows without
 * reading every event (another plan (plan_id given), a newest clock
 * implausibly ahead of now_ms, more events than the budget, not a regular
 * file, unreadable pages on the way), and the caller then loads it in full.
 * *st receives the fstat of the file looked at. */
int shard_peek_clock(const char *path, const shard_budget *b, const char *plan_id,
                     int64_t now_ms, struct stat *st, uint64_t *hlc);
/* Does a shard claiming to be mine hold only events that mine has? */
bool shard_is_subset(const shard_events *theirs, const shard_events *mine);
/* Publishes a consistent copy of db as dir/<client>.db: write a temp file,
 * fsync, rename, fsync dir. *st receives the stat of the published file.
 * 0, or -1 with errno-style reason in err (the previous shard is intact). */
int shard_publish(sqlite3 *db, const char *dir, const char *client, struct stat *st, char *err,
                  size_t n);

/* The beacon: <shards>/.beacon, rewritten in place after every publish with a
 * fixed-size line naming the publisher (created, or replaced where it cannot
 * be written, by temp + rename). Network clients cache attributes and
 * directory listings (sshfs: 20 s), so a stat() poll does not see another
 * machine's publish for that long; a file's contents, read afresh after
 * open(), are current. The beacon is advisory: it only says "look now, at
 * this shard" and is never merged; any client may replace it. */
#define SHARD_BEACON ".beacon"
void shard_write_beacon(const char *dir, const char *client);
/* Reads the beacon into buf (NUL-terminated); 0, or -1 when there is none. */
int shard_read_beacon(const char *dir, char *buf, size_t n);
/* Same, opened relative to dirfd (the shards directory dir, kept open), so a
 * network client looks up one name, not every directory of the path; -1:
 * by path. */
int shard_read_beacon_at(int dirfd, const char *dir, char *buf, size_t n);
/* The beacon opened to be kept (dirfd as above): reads bypass the client's
 * cache where the file system can (O_DIRECT), so that each
 * shard_beacon_read_fd costs one read request on a network client and sees
 * a publish's in-place rewrite. -1 when there is none (or not a file). */
int shard_beacon_open_at(int dirfd, const char *dir);
int shard_beacon_read_fd(int fd, char *buf, size_t n);

/* --- store.c, for tests --------------------------------------------------- */

/* Polls the store as if its shards directory were on a network share
 * (remote: no inotify, a look at the beacon per poll) and stats every shard
 * every scan_ms (0: the default), whatever the file system. */
void store_set_poll_mode(cb_store *s, bool remote, int scan_ms);
/* How many times a poll has read the beacon so far. */
uint64_t store_beacon_reads(const cb_store *s);
/* How the latest snapshot was made: "appended" (onto the checkpoint's
 * history), "hinted" (merged into it), "full" (no checkpoint, or it did not
 * hold), each with ", moved" when the checkpoint was not read at its base. */
const char *store_snapshot_how(const cb_store *s);

/* --- store_merge.c ------------------------------------------------------ */

typedef struct snapshot_impl {
    cb_snapshot pub; /* first member: a cb_snapshot* is a snapshot_impl* */
    int refs;
    shard_events **held; /* one reference each */
    int n_held;
    cb_event *events; /* its own, or in image */
    const cb_event **current;
    struct store_ckpt *image; /* holds events when they are a checkpoint's */
} snapshot_impl;

/* Merges the events of n shards: union, deduplicated by (client, seq), sorted
 * by (hlc, client, seq); the current value of a key is its greatest event. */
snapshot_impl *merge_shards(shard_events *const *shards, int n, uint64_t generation);
void snapshot_unref(snapshot_impl *snap); /* NULL is fine */
int event_order(const cb_event *a, const cb_event *b);
/* A hash-table hash of n bytes of s (never stored on disk). */
uint64_t store_str_hash(const char *s, size_t n);

/* A previous merge's result, for a warm start (store_ckpt.c): its history
 * in order (ready events: a checkpoint is an image of them), each event's
 * record (shard) in shard_of, and the winner of each key as an index into
 * it. record_of[i] names the record shards[i] was taken from unchanged, or
 * -1 (a shard read afresh: its events are merged into the recorded history,
 * whose events of records no shard maps to are left out). A shard with its
 * events in memory (my own) is read from there. */
typedef struct merge_hint {
    struct store_ckpt *ckpt;
    const cb_event *events; /* ready from events_from (see ckpt_load_history) */
    size_t events_from;
    const cb_event *current_ev; /* the winners themselves (n_current) */
    const cb_event *last_event; /* the history's newest (NULL: none) */
    const uint32_t *shard_of;
    size_t n_events;
    const char *const *record_client; /* per record: its client */
    const uint64_t *record_n;         /* per record: its event count */
    const uint64_t *record_chain;     /* per record: its chain value */
    const uint32_t *current;
    size_t n_current;
    int n_records;
    int *record_of; /* one per shard; owned by the hint's maker */
} merge_hint;
/* The same result as merge_shards, in time linear in the events: the
 * recorded history is walked front to back (and checked: each shard's
 * events in seq order, all of them, history strictly increasing) and the
 * shards read afresh are merged into it. Falls back to merge_shards when the hint does
 * not hold. */
snapshot_impl *merge_shards_hinted(shard_events *const *shards, int n, uint64_t generation,
                                   const merge_hint *h);
/* The warm start's usual case, in time linear in what is new: every record
 * is a shard taken unchanged or one that only grew since (the same first
 * events: its chain over them is the recorded one), and every new event
 * comes after the recorded history. The history is then the checkpoint's
 * own, in place, with the new events appended after it. NULL when that does
 * not hold (or the checkpoint has no room): merge_shards_hinted then. */
snapshot_impl *merge_appending(shard_events *const *shards, int n, uint64_t generation,
                               const merge_hint *h);

/* --- store_ckpt.c ------------------------------------------------------- */

typedef struct store_ckpt store_ckpt;
/* A shard as a checkpoint records it. */
typedef struct ckpt_identity {
    uint64_t dev, ino, size;
    int64_t mtime_sec, mtime_nsec, checked_ms;
    uint64_t n;
    int64_t max_seq;
    uint64_t max_hlc, chain;
} ckpt_identity;
/* Reads and verifies the checkpoint at path (of this store, plan and
 * client): NULL with the reason in err when it is absent or does not verify. */
store_ckpt *ckpt_read(const char *path, const char *store, const char *plan_id,
                      const char *client, char *err, size_t n);
/* Drops a reference (made: the shard_events made from it being released). */
void ckpt_unref(store_ckpt *c, const shard_events *made);
/* The record of shard file name ("" for my own events), its identity in *id;
 * -1 when none. */
int ckpt_find(store_ckpt *c, const char *name, ckpt_identity *id);
/* Reads, hashes and checks the history of c (once; the lead was at
 * ckpt_read): 0, or -1 when it does not verify, and its events before the
 * lead's tail then read as placeholders ("?"). NULL is fine (0). */
int ckpt_load_history(store_ckpt *c);
/* The first event of c's history that is ready (0 once it is read). */
size_t ckpt_history_from(const store_ckpt *c);
/* Was c's history read and found not to verify? */
bool ckpt_history_lost(const store_ckpt *c);
/* The history index of e when it is one of c's winners as the lead holds
 * them, else SIZE_MAX. */
size_t ckpt_index_of(const store_ckpt *c, const cb_event *e);
/* The events of record rec as a shard_events (one reference, which holds
 * one on c), not yet decoded; NULL for my own record, whose events are not
 * stored. */
shard_events *ckpt_shard_events(store_ckpt *c, int rec);
/* Decodes the events of se taken from a checkpoint (anything else: no-op),
 * and those of every other shard taken from it, in one pass; every reader
 * of se->ev but the warm start's merge calls it first. */
void shev_ready(shard_events *se);
/* The newest event of se taken from a checkpoint, decoded into *out. */
void ckpt_last_event(const shard_events *se, cb_event *out);
/* Room for n events right after c's history (once per checkpoint: the
 * first snapshot made from it), or NULL. */
cb_event *ckpt_append(struct store_ckpt *c, size_t n);
/* Another reference to c (a snapshot whose history is c's). */
struct store_ckpt *ckpt_ref(struct store_ckpt *c);
/* Was c read somewhere else than its base (its pointers moved)? */
bool ckpt_moved(const struct store_ckpt *c);
/* Where a checkpoint's pointers assume it is read (0: none). */
uint64_t ckpt_preferred_base(void);
/* Fills h for merging shards (shards[0] my own events when mine_rec >= 0,
 * which then is its record): false without a checkpoint. h->record_of is
 * then to be freed by the caller. */
bool ckpt_hint(store_ckpt *c, shard_events *const *shards, int n, int mine_rec, merge_hint *h);
/* For tests: the lead's tail holds at most n events (0: the default), so
 * that a history of a few events is still read lazily. */
void ckpt_set_tail_max(size_t n);
/* What ckpt_write records of one shard: name NULL for my own events. */
typedef struct ckpt_input {
    const char *name;
    struct stat st;
    int64_t checked_ms;
    const shard_events *ev;
} ckpt_input;
/* Writes the checkpoint of these shards and snap (their merge; events of
 * shards not given may be in it) to path: temp + rename (no fsync: one cut
 * short fails its hash). 0 or -1. */
int ckpt_write(const char *path, const char *store, const char *plan_id, const char *client,
               const ckpt_input *in, int n, const cb_snapshot *snap);

#endif

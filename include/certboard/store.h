/* store.h — the team's shared state: events in per-client SQLite shards, on a
 * share or on a PostgreSQL server (docs/server.md).
 *
 * Design (docs/architecture.md, docs/shared-drive.md): no file on the share has
 * two writers. Each client keeps its own events in a local SQLite database and
 * publishes a copy to <store>/shards/<client-id>.db by write-temp + fsync +
 * rename. Readers stat every shard, load changed ones with sqlite3_deserialize,
 * verify them, and merge: an event is identified by (client, seq), the value of
 * a key is the event with the greatest (hlc, client), history is the union.
 *
 * The store is a key/value event log and knows nothing of the plan's meaning;
 * keys are built and read by keys.h. It knows nothing of curses.
 *
 * Ownership: cb_store is opened and closed by its caller. A snapshot returned by
 * store_snapshot() is owned by the store and stays valid until the next
 * store_refresh() or store_apply() on the same store that reports a change;
 * call store_snapshot_retain()/release to keep one longer. */
#ifndef CERTBOARD_STORE_H
#define CERTBOARD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "certboard/diag.h"

#define CB_STORE_SCHEMA 1

typedef struct cb_store cb_store;

typedef struct cb_event {
    const char *client; /* client id that made it */
    int64_t seq;        /* 1, 2, ... per client */
    uint64_t hlc;       /* hybrid logical clock: (ms << 16) | counter */
    int64_t wall_ms;    /* wall clock of the author, ms since epoch */
    const char *member; /* plan member id acting */
    const char *os_user, *host;
    const char *key;           /* see keys.h for the schema */
    const char *value;         /* new value; "" clears (untick, delete) */
    const char *note;          /* optional text, or NULL */
    const char *undoes_client; /* for an undo: the event it reverts, else NULL */
    int64_t undoes_seq;
} cb_event;

typedef struct cb_snapshot {
    const cb_event *events; /* all events, sorted by (hlc, client, seq) */
    size_t n_events;
    /* events[events_from, n_events) are ready; the history before them is
     * read on first use (a dashboard's first frame needs only the recent
     * changes: cb_store_opts.lazy_history): call snapshot_history() before
     * reading any earlier event. 0 unless the store was opened lazily. */
    size_t events_from;
    const cb_event **current; /* winning event per key, sorted by key (not
                                 necessarily in events: see snapshot_index) */
    size_t n_current;
    uint64_t generation; /* increases whenever the merged content changes */
    int n_shards, n_bad_shards;
    struct snapshot_impl *self; /* the store's; NULL for one made by hand */
} cb_snapshot;

enum cb_store_state {
    CB_STORE_SHARED,        /* share reachable, everything published */
    CB_STORE_PENDING,       /* local changes not yet published (share gone) */
    CB_STORE_LOCAL_ONLY,    /* no share configured or reachable at start */
    CB_STORE_READ_ONLY,     /* share mounted read-only: changes refused */
    CB_STORE_CONFLICT,      /* another client publishes under my client id:
                               changes are kept locally, never published */
    CB_STORE_NOT_ANSWERING, /* a poll has waited a second or more for the
                               share: nothing touches it until it answers */
};

typedef struct cb_store_opts {
    const char *dir;          /* store directory (on the share), required */
    const char *plan_id;      /* recorded in each shard; foreign plans are skipped */
    const char *local_dir;    /* local database dir; NULL = $XDG_DATA_HOME/certboard/local */
    const char *client_id;    /* NULL = derived from host + OS user + store path */
    const char *member;       /* acting member id (events record it) */
    bool create_parents;      /* create missing parents of dir (a local default
                                 store); else only dir itself is created, so an
                                 unmounted share is noticed, not shadowed */
    bool read_only;           /* reader only: no local database, no publishing */
    bool one_change;          /* a command that makes one change: other shards
                                 are only looked at for their clocks (what
                                 orders the change) and loaded in full only
                                 if a snapshot or refresh is asked for; their
                                 warnings then come with that refresh */
    int64_t max_shard_bytes;  /* what one shard may cost a reader; 0 = the */
    int64_t max_shard_events; /* defaults (32 MiB, 250,000 events) */
    bool lazy_history;        /* the first snapshot taken from the checkpoint
                                 holds only the recent history, the rest read
                                 on first use (cb_snapshot.events_from): the
                                 dashboard's first frame does not wait for a
                                 history it does not show */
} cb_store_opts;

/* Limits on what a change may carry (checked by store_apply: valid UTF-8, no
 * control character, at most this many bytes). */
#define CB_NOTE_MAX 1000
#define CB_VALUE_MAX 4096
#define CB_KEY_MAX 512

/* Opens (creating what is missing). Problems that do not stop it (a bad shard,
 * an unreachable share) become warnings in diags; returns NULL with an error in
 * diags when it cannot work at all. */
cb_store *store_open(const cb_store_opts *opts, cb_diags *diags);
void store_close(cb_store *s);

/* Checks text a change would carry: NULL when acceptable (NULL text is), else
 * why not (a static string). */
const char *store_check_text(const char *text, size_t max);
/* Appends one change as the acting member and publishes. Returns 0 when the
 * change is durable locally (acknowledged), -1 with a message in err otherwise.
 * Key, value and note are refused unless store_check_text accepts them.
 * Publishing failures do not fail the change: the state becomes PENDING. */
int store_apply(cb_store *s, const char *key, const char *value, const char *note, char *err,
                size_t errlen);
/* Reverts the acting member's latest change not yet undone: -1 when none. */
int store_undo(cb_store *s, char *err, size_t errlen);

/* Cheap check, never blocking: 1 when something may have changed since the
 * last refresh (call store_refresh), 0 when not. On a local shards directory
 * it reads what inotify queued and touches no file; on a share it reads the
 * beacon (one read of the file it keeps open, whatever the number of shards)
 * and, every 120 s, stats the directory and every shard. The share is looked
 * at by a helper process, waited for at most 40 ms: a share that does not
 * answer never blocks the caller (the state becomes CB_STORE_NOT_ANSWERING
 * after a second, and refresh and apply leave the share alone until it
 * answers). */
int store_poll(cb_store *s);
/* How a caller (the dashboard) waits between polls, with no timer while
 * nothing changes: until store_wait_fd() is readable or store_wait_ms() has
 * passed, whichever comes first, then store_poll(). Ask both again before
 * each wait (the first poll sets the watch up; a share that goes away is
 * polled on a timer until it is back).
 *
 * A file descriptor that becomes readable when the store may have changed
 * (inotify on a local shards directory; the server connection's socket for
 * PostgreSQL), or -1 when there is none and the caller must poll on a timer.
 * Owned by the store. */
int store_wait_fd(const cb_store *s);
/* How long the caller may wait (ms) before it must call store_poll() again
 * even if store_wait_fd() stays quiet: a share's next cheap check, a pending
 * publish's retry, a hung share's next look; -1 for no deadline. */
int store_wait_ms(const cb_store *s);
/* Re-reads changed shards and merges; retries pending publishes. Warnings for
 * bad shards go to diags (each named once). Returns 1 when content changed. */
int store_refresh(cb_store *s, cb_diags *diags);
const cb_snapshot *store_snapshot(cb_store *s);

enum cb_store_state store_state(const cb_store *s);
const char *store_state_name(enum cb_store_state st);
const char *store_client_id(const cb_store *s);
/* Why the state is not SHARED (for the status bar and the command line), or
 * NULL when all is well. Owned by the store. */
const char *store_problem(const cb_store *s);
int64_t store_last_refresh_ms(const cb_store *s);
/* seq of my last acknowledged change (0 when none). */
int64_t store_last_seq(const cb_store *s);

/* Keeps a snapshot valid past later refreshes; each retain needs one release. */
const cb_snapshot *store_snapshot_retain(cb_store *s);
void store_snapshot_release(const cb_snapshot *snap);

/* Instrumentation for tests and benchmarks: number of stat() calls made on the
 * share so far, and an injectable wall clock (ms since epoch; NULL restores the
 * real one) so tests can run a client whose clock is behind. */
uint64_t store_stat_calls(const cb_store *s);
/* How many shards this store took from its checkpoint rather than reading
 * them (the local checkpoint of the merged state; docs/architecture.md). */
uint64_t store_ckpt_taken(const cb_store *s);
void store_set_clock(cb_store *s, int64_t (*now_ms)(void *ctx), void *ctx);

/* The store on a PostgreSQL server (docs/server.md): the store setting is
 * then a postgresql:// URI. Is dir one? */
bool store_is_server(const char *dir);
/* Statements sent to the server so far (0 for a share): an idle client sends
 * none. */
uint64_t store_server_queries(const cb_store *s);
/* A plan member and the server role that acts for them. */
typedef struct cb_store_role {
    const char *member, *role;
    bool lead;
} cb_store_role;
/* The SQL that sets a server up for a plan: certboard's tables and access
 * rules, one role per member, their grants (malloc'd; the caller frees). */
char *store_server_setup_sql(const char *plan_id, const cb_store_role *roles, int n);
/* Runs sql on the server at uri: 0, or -1 with the server's message in err. */
int store_server_exec(const char *uri, const char *sql, char *err, size_t n);
/* Copies every event of plan_id's shards in the share store dir to the server
 * (replaying is harmless): 0 with the counts, or -1 with why in err. Bad
 * shards are named in diags and skipped. */
int store_server_import(const char *uri, const char *plan_id, const char *dir, size_t *n_events,
                        int *n_shards, cb_diags *diags, char *err, size_t n);
/* The other way: every client's events of plan_id on the server, written as
 * shards of a share store at dir (created when missing). */
int store_server_export(const char *uri, const char *plan_id, const char *dir, size_t *n_events,
                        int *n_shards, char *err, size_t n);

/* The whole history of snap, read now if it was not (events_from becomes 0).
 * Should the checkpoint it is read from not verify, the events before
 * events_from read as "?" placeholders and the store reads every shard again
 * at its next refresh (store_poll says so). */
const cb_event *snapshot_history(const cb_snapshot *snap);
/* The history index of e, an event of snap (one of its current ones or one
 * of its history), without reading the history; n_events when e is neither. */
size_t snapshot_index(const cb_snapshot *snap, const cb_event *e);

/* Lookups in a snapshot. */
const cb_event *snapshot_get(const cb_snapshot *snap, const char *key);
/* Value of key or "" when unset. */
const char *snapshot_value(const cb_snapshot *snap, const char *key);

#endif

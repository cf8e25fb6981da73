/* store_pg.h — the store's PostgreSQL transport (store_pg.c), used by store.c
 * when the store setting is a postgresql:// URI. Not a public API.
 *
 * The client (local database, apply/undo, merge, snapshot) stays in store.c;
 * this is only publish, fetch and "did anything change?". Every call that
 * needs the server connects first when it is not connected, and a lost
 * connection is dropped so the next call tries again: a server that is
 * down costs one failed connect per retry, never a hang of the caller.
 *
 * Ownership: a store_pg is made by pg_new and freed by pg_free; pg_peers
 * lends the peers' shard_events (retain one to keep it). */
#ifndef CERTBOARD_STORE_PG_H
#define CERTBOARD_STORE_PG_H

#include "store_impl.h"

typedef struct store_pg store_pg;

enum { PG_DOWN = -1, PG_REFUSED = -2 };

/* Is the store setting a server (postgresql:// or postgres://)? */
bool pg_is_uri(const char *dir);
/* 0 when the URI parses and holds no password; -1 with why in err. */
int pg_check_uri(const char *uri, char *err, size_t n);
/* one_change: the store is opened for one change (pg_peek, not pg_fetch,
 * comes first). */
store_pg *pg_new(const char *uri, const char *plan, const char *client, bool one_change);
bool pg_one_change(const store_pg *p);
/* The client id I publish as (it may change while the store opens). */
void pg_use_client(store_pg *p, const char *client);
void pg_free(store_pg *p); /* NULL is fine */
/* Connects (creating or checking the schema, then LISTEN): 0, or -1 with err. */
int pg_connect(store_pg *p, char *err, size_t n);
bool pg_connected(const store_pg *p);
/* The connection's socket, or -1 when not connected. */
int pg_socket(const store_pg *p);
/* Sends my events the server does not have yet (in one transaction): 0 when
 * all are there, PG_DOWN (err: why) when the server cannot be reached, or
 * PG_REFUSED when it refuses one (a change made while it was away that this
 * role may not make). */
int pg_publish(store_pg *p, const shard_events *mine, char *err, size_t n);
/* The greatest seq of mine known to be on the server. */
int64_t pg_published_seq(const store_pg *p);
/* Asks the server whether member may change key as this role: -1 with the
 * refusal in err when it says no; 0 when it says yes or cannot be asked (the
 * change is then judged when it is published). */
int pg_may_write(store_pg *p, const char *member, const char *key, char *err, size_t n);
/* Fetches events newer than the last fetch: 1 when a peer got new events, 0
 * when none, -1 (err) when the server cannot be reached. Raises *hlc_seen. */
int pg_fetch(store_pg *p, uint64_t *hlc_seen, char *err, size_t n);
/* What a one-change command needs, without fetching the history: the
 * plan's newest clock (raises *hlc_seen) and my own events on the server
 * (pg_self, pg_published_seq). 0, or -1 with err. */
int pg_peek(store_pg *p, uint64_t *hlc_seen, char *err, size_t n);
/* Reads what arrived on the connection without sending anything: 1 when a
 * notification for this plan came (or the connection was lost), else 0. */
int pg_poll(store_pg *p);
/* Statements sent so far. */
uint64_t pg_queries(const store_pg *p);
/* My client's events as the server has them. */
const shard_events *pg_self(const store_pg *p);
/* The peers' events (the server's view of every client but me). */
int pg_n_peers(const store_pg *p);
int pg_peers(const store_pg *p, shard_events **out);
/* The schema (idempotent SQL: tables, the access function, policies). */
char *pg_schema_sql(void);
/* Inserts every event of one client's shard (an import): 0 or -1 with err. */
int pg_import_events(store_pg *p, const shard_events *se, char *err, size_t n);

#endif

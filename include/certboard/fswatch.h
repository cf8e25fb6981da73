/* fswatch.h — waiting for changes to a directory without a timer: whether a
 * directory is on this machine (a network file system's other clients' writes
 * are never announced, so it must be polled) and an inotify watch of local
 * directories whose events are read without allocating.
 *
 * Ownership: the caller owns the descriptor fswatch_open returns and closes
 * it; fswatch_drain hands each event's name to fn only for the duration of
 * the call. */
#ifndef CERTBOARD_FSWATCH_H
#define CERTBOARD_FSWATCH_H

#include <stdbool.h>
#include <stdint.h>

/* True when path is on a network or user-space file system (NFS, SMB/CIFS,
 * FUSE such as sshfs, 9p, AFS, Ceph, ...) or cannot be asked: changes made
 * there by other machines are seen only by looking. */
bool fswatch_is_remote(const char *path);

/* A non-blocking inotify descriptor, or -1 (errno set). */
int fswatch_open(void);
/* Watches dir (not followed through a link) for files created, written,
 * renamed in or out, deleted or changed in attributes, and for dir itself
 * going away. The watch descriptor, or -1 (errno set); a remote dir is
 * refused (EREMOTE): inotify would stay silent there. */
int fswatch_add(int fd, const char *dir);

/* What fn is told for each event: the watch it came from (-1 when the queue
 * overflowed and events were lost: look at everything), the name of the file
 * inside the watched directory ("" for the directory itself) and the inotify
 * mask. */
typedef void (*fswatch_fn)(void *ctx, int wd, const char *name, uint32_t mask);
/* Reads every queued event and calls fn for each; never blocks. Returns the
 * number of events read. */
int fswatch_drain(int fd, fswatch_fn fn, void *ctx);

#endif

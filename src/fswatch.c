/* fswatch.c — local or remote directory, and draining an inotify descriptor
 * (see fswatch.h). */
#include "certboard/fswatch.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <sys/inotify.h>
#include <sys/vfs.h>
#include <unistd.h>

/* f_type values (linux/magic.h and the file systems' own headers) of file
 * systems whose files other machines write. */
static const unsigned long remote_magic[] = {
    0x6969UL,     /* NFS */
    0x517BUL,     /* SMB */
    0xFF534D42UL, /* CIFS */
    0xFE534D42UL, /* SMB2 */
    0x65735546UL, /* FUSE: sshfs, rclone, ... */
    0x01021997UL, /* 9p */
    0x5346414FUL, /* AFS */
    0x6B414653UL, /* kAFS */
    0x00C36400UL, /* Ceph */
    0x73757245UL, /* Coda */
    0x564CUL,     /* NCP */
    0x7461636FUL, /* OCFS2 */
    0x01161970UL, /* GFS2 */
    0x0BD00BD0UL, /* Lustre */
    0x47504653UL, /* GPFS */
    0x013111A8UL, /* IBRIX */
    0xAAD7AAEAUL, /* Panasas */
};

bool fswatch_is_remote(const char *path)
{
    struct statfs sf;
    if (statfs(path, &sf) != 0)
        return true;
    unsigned long t = (unsigned long)(unsigned int)sf.f_type;
    for (size_t i = 0; i < sizeof remote_magic / sizeof remote_magic[0]; i++)
        if (t == remote_magic[i])
            return true;
    return false;
}

int fswatch_open(void)
{
    return inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
}

int fswatch_add(int fd, const char *dir)
{
    if (fd < 0) {
        errno = EBADF;
        return -1;
    }
    if (fswatch_is_remote(dir)) {
        errno = EREMOTE;
        return -1;
    }
    return inotify_add_watch(fd, dir,
                             IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM |
                                 IN_DELETE | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF |
                                 IN_ONLYDIR | IN_DONT_FOLLOW);
}

int fswatch_drain(int fd, fswatch_fn fn, void *ctx)
{
    _Alignas(struct inotify_event) char buf[4096];
    int n = 0;
    for (;;) {
        ssize_t len = read(fd, buf, sizeof buf);
        if (len < 0 && errno == EINTR)
            continue;
        if (len <= 0)
            return n;
        for (char *p = buf; p < buf + len;) {
            const struct inotify_event *ev = (const struct inotify_event *)(void *)p;
            bool lost = (ev->mask & IN_Q_OVERFLOW) != 0;
            fn(ctx, lost ? -1 : ev->wd, ev->len ? ev->name : "", ev->mask);
            n++;
            p += sizeof *ev + ev->len;
        }
        /* Room left for another event: the queue was empty (one read, not two). */
        if ((size_t)len + sizeof(struct inotify_event) + NAME_MAX + 1 <= sizeof buf)
            return n;
    }
}

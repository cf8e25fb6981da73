/* arena.h — a bump allocator that owns everything allocated from it.
 *
 * Ownership: the arena owns every block it hands out; arena_free() releases all
 * of them at once. Used for the immutable plan, snapshots and view models, so a
 * structure's lifetime is one line. Out of memory is the only fatal error here:
 * arena_alloc() never returns NULL (it prints a message and exits with status 3
 * after running the registered fatal hook, which restores the terminal). */
#ifndef CERTBOARD_ARENA_H
#define CERTBOARD_ARENA_H

#include <stddef.h>

typedef struct cb_arena cb_arena;

cb_arena *arena_new(void);
void arena_free(cb_arena *a);                   /* NULL is fine */
void *arena_alloc(cb_arena *a, size_t size);    /* zeroed, aligned to 16 */
char *arena_strdup(cb_arena *a, const char *s); /* NULL gives NULL */
char *arena_strndup(cb_arena *a, const char *s, size_t n);
char *arena_printf(cb_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
size_t arena_used(const cb_arena *a); /* bytes handed out */

/* Process-wide out-of-memory handling shared by every module. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
void cb_set_fatal_hook(void (*hook)(void)); /* called before exit on OOM */
_Noreturn void cb_die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

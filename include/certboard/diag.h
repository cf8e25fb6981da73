/* diag.h — compiler-style diagnostics: "file:line:col: error: message".
 *
 * Ownership: a cb_diags list owns copies of every string given to it;
 * diags_free() releases them. Modules report all problems they find into one
 * list; callers print it and decide the exit status from diags_errors(). */
#ifndef CERTBOARD_DIAG_H
#define CERTBOARD_DIAG_H

#include <stdio.h>

enum cb_severity { CB_ERROR, CB_WARNING, CB_NOTE };

typedef struct cb_diag {
    enum cb_severity sev;
    char *file;    /* may be NULL for diagnostics without a file */
    int line, col; /* 1-based; 0 when unknown */
    char *msg;
} cb_diag;

typedef struct cb_diags {
    cb_diag *v;
    int n, cap;
    int max; /* stop recording after this many (0 = 1000); counts still grow */
    int n_errors, n_warnings, n_dropped;
} cb_diags;

void diags_init(cb_diags *d);
void diags_free(cb_diags *d);
void diags_add(cb_diags *d, enum cb_severity sev, const char *file, int line, int col,
               const char *fmt, ...) __attribute__((format(printf, 6, 7)));
int diags_errors(const cb_diags *d);
/* Prints one diagnostic per line, in the order reported; control characters in
 * messages are escaped so hostile input cannot reach the terminal raw. */
void diags_print(const cb_diags *d, FILE *out);

#endif

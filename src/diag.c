/* diag.c — collecting and printing compiler-style diagnostics. */
#include "certboard/diag.h"
#include "certboard/text.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "certboard/arena.h"

void diags_init(cb_diags *d)
{
    memset(d, 0, sizeof *d);
}

void diags_free(cb_diags *d)
{
    for (int i = 0; i < d->n; i++) {
        free(d->v[i].file);
        free(d->v[i].msg);
    }
    free(d->v);
    memset(d, 0, sizeof *d);
}

void diags_add(cb_diags *d, enum cb_severity sev, const char *file, int line, int col,
               const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    /* The same problem at the same place once (a role naming an unknown member
     * for four phases is one mistake). */
    for (int i = 0; line > 0 && i < d->n; i++)
        if (d->v[i].sev == sev && d->v[i].line == line && d->v[i].col == col &&
            strcmp(d->v[i].msg, buf) == 0 && !d->v[i].file == !file &&
            (!file || strcmp(d->v[i].file, file) == 0))
            return;
    if (sev == CB_ERROR)
        d->n_errors++;
    else if (sev == CB_WARNING)
        d->n_warnings++;
    int max = d->max > 0 ? d->max : 1000;
    if (d->n >= max) {
        d->n_dropped++;
        return;
    }
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->v = xrealloc(d->v, (size_t)d->cap * sizeof *d->v);
    }
    cb_diag *g = &d->v[d->n++];
    g->sev = sev;
    g->file = file ? xstrdup(file) : NULL;
    g->line = line;
    g->col = col;
    g->msg = xstrdup(buf);
}

int diags_errors(const cb_diags *d)
{
    return d->n_errors;
}

void diags_print(const cb_diags *d, FILE *out)
{
    static const char *const names[] = {"error", "warning", "note"};
    for (int i = 0; i < d->n; i++) {
        const cb_diag *g = &d->v[i];
        if (g->file) {
            text_put(out, TEXT_TERM, g->file); /* hostile text cannot drive the terminal */
            if (g->line > 0)
                fprintf(out, ":%d:%d", g->line, g->col > 0 ? g->col : 1);
            fputs(": ", out);
        } else {
            fputs("certboard: ", out);
        }
        fprintf(out, "%s: ", names[g->sev]);
        text_put(out, TEXT_TERM, g->msg);
        fputc('\n', out);
    }
    if (d->n_dropped)
        fprintf(out, "certboard: note: %d more diagnostics not shown\n", d->n_dropped);
}

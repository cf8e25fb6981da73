/* canvas.h — a grid of terminal cells that panes draw into, with no terminal.
 *
 * The dashboard's drawing code writes into a canvas; the curses layer (ui_*.c)
 * paints a canvas on the screen and `certboard dump` prints one as text, so both
 * show exactly the same thing. Every string entering a canvas is cleaned by the
 * rule of text.h (TEXT_TERM: invalid UTF-8, C0/C1 controls, DEL and bidirectional
 * controls become U+FFFD, or '?' in ASCII mode), so text from a plan or from
 * another member's note can never reach the terminal as an escape sequence. Text is
 * clipped by display width (wcwidth) and never spills out of its box.
 *
 * A zero-width mark (a combining accent, a joiner) stays on the character
 * before it, so "José" written with a combining acute shows as written.
 *
 * Ownership: canvas_new() returns a canvas the caller frees with canvas_free().
 * No function keeps a pointer to the strings it is given. */
#ifndef CERTBOARD_CANVAS_H
#define CERTBOARD_CANVAS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "certboard/text.h"

/* Styles are meanings, not colors: the curses layer maps them to attributes
 * (with color, monochrome, or NO_COLOR). */
enum cb_style {
    CS_NORMAL,
    CS_TITLE,     /* the title bar */
    CS_HEADER,    /* section headings, pane titles */
    CS_SELECTED,  /* the cursor row */
    CS_DONE,      /* ticked items, done milestones */
    CS_OVERDUE,   /* overdue items, refusals */
    CS_RISK,      /* at-risk milestones, members behind pace */
    CS_DIM,       /* secondary text */
    CS_BAR,       /* the filled part of a progress bar */
    CS_BAR_EMPTY, /* its empty part */
    CS_CURRENT,   /* the current week / phase */
    CS_FOOTER,    /* the footer and status line */
    CS_KEY,       /* a key name in the footer or help */
    CS_OK,        /* on track, ready */
    CS_COUNT
};

#define CANVAS_MARKS 2 /* zero-width marks kept on a cell (combining accents, joiners) */

typedef struct cb_cell {
    uint32_t cp;                 /* code point; 0 = right half of a wide character */
    uint32_t mark[CANVAS_MARKS]; /* zero-width marks that follow it, 0 = none */
    uint8_t style;               /* enum cb_style */
} cb_cell;

typedef struct cb_canvas {
    int w, h;
    bool ascii;     /* ASCII only: box drawing and text fall back to 7-bit */
    cb_cell *cells; /* h rows of w cells */
} cb_canvas;

cb_canvas *canvas_new(int w, int h, bool ascii);
void canvas_free(cb_canvas *c);
void canvas_resize(cb_canvas *c, int w, int h); /* contents cleared */
void canvas_clear(cb_canvas *c);

/* Writes sanitized UTF-8 text at (x, y), at most maxw columns (clipped at the
 * canvas edge too); text that does not fit ends in an ellipsis. Returns the
 * columns written. NULL writes nothing. */
int canvas_text(cb_canvas *c, int x, int y, int maxw, int style, const char *s);
/* The same without the ellipsis (hard clip). */
int canvas_text_clip(cb_canvas *c, int x, int y, int maxw, int style, const char *s);
/* Fills w columns with one code point (must be width 1). */
void canvas_fill(cb_canvas *c, int x, int y, int w, int style, uint32_t cp);
/* Sets the style of w cells without changing their text. */
void canvas_style(cb_canvas *c, int x, int y, int w, int style);
/* A progress bar of w columns: done/total filled. */
void canvas_bar(cb_canvas *c, int x, int y, int w, int done, int total);
/* A frame with an optional title in its top edge. */
void canvas_box(cb_canvas *c, int x, int y, int w, int h, int style, const char *title);
void canvas_vline(cb_canvas *c, int x, int y, int h, int style);
void canvas_hline(cb_canvas *c, int x, int y, int w, int style);

/* Sanitizes s into buf (size n, NUL-terminated, cut on a character boundary):
 * the exact text canvas_text would show. Returns buf. */
char *canvas_sanitize(const char *s, char *buf, size_t n);

/* Row y as UTF-8 text (trailing spaces kept), into buf of size n; returns the
 * length. Wide characters appear once. */
size_t canvas_row_utf8(const cb_canvas *c, int y, char *buf, size_t n);
/* Writes the whole canvas as text lines, trailing spaces trimmed. */
void canvas_print(const cb_canvas *c, FILE *out);
bool canvas_row_equal(const cb_canvas *a, const cb_canvas *b, int y);

#endif

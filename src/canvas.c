/* canvas.c — the cell grid: sanitizing, width-aware text, boxes and bars. */
#include "certboard/canvas.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "certboard/arena.h"
#include "certboard/text.h"

#define ELLIPSIS 0x2026u

/* ASCII stand-ins for the few non-ASCII characters the dashboard draws. */
static uint32_t ascii_fallback(uint32_t cp)
{
    static const struct {
        uint32_t from;
        char to;
    } map[] = {
        {0x00B7, '-'}, {0x2014, '-'}, {0x2013, '-'}, {0x2026, '~'}, {0x25C6, '*'},
        {0x25B6, '>'}, {0x25C0, '<'}, {0x2502, '|'}, {0x2500, '-'}, {0x2588, '#'},
        {0x2591, '.'}, {0x00B1, '~'}, {0x00D7, 'x'}, {0x250C, '+'}, {0x2510, '+'},
        {0x2514, '+'}, {0x2518, '+'}, {0x2298, '!'},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (map[i].from == cp)
            return (uint32_t)map[i].to;
    return '?';
}

/* The character a code point is shown as, and its width: 0 means "drop it"
 * (zero-width marks; the cell model keeps one code point per cell). */
static uint32_t displayable(uint32_t cp, bool ascii, int *width)
{
    if (cp == '\t' || cp == '\n' || cp == '\r')
        cp = ' ';
    if (text_cp_unsafe(cp))
        cp = TEXT_REPLACEMENT;
    int w = cp < 0x80 ? 1 : wcwidth((wchar_t)cp);
    if (w < 0) {
        cp = TEXT_REPLACEMENT;
        w = 1;
    }
    if (ascii && cp >= 0x80 && w > 0) {
        cp = ascii_fallback(cp);
        w = 1;
    }
    *width = w;
    return cp;
}

cb_canvas *canvas_new(int w, int h, bool ascii)
{
    cb_canvas *c = xcalloc(1, sizeof *c);
    c->ascii = ascii;
    canvas_resize(c, w, h);
    return c;
}

void canvas_free(cb_canvas *c)
{
    if (!c)
        return;
    free(c->cells);
    free(c);
}

void canvas_resize(cb_canvas *c, int w, int h)
{
    c->w = w > 0 ? w : 0;
    c->h = h > 0 ? h : 0;
    free(c->cells);
    c->cells = xcalloc((size_t)c->w * (size_t)c->h + 1, sizeof *c->cells);
    canvas_clear(c);
}

void canvas_clear(cb_canvas *c)
{
    size_t n = (size_t)c->w * (size_t)c->h;
    for (size_t i = 0; i < n; i++)
        c->cells[i] = (cb_cell){.cp = ' ', .style = CS_NORMAL};
}

static cb_cell *cell_at(cb_canvas *c, int x, int y)
{
    return &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
}

/* Puts one displayable character; a wide one that would not fit is a space.
 * Overwriting half of a wide character blanks its other half. */
static void put_cp(cb_canvas *c, int x, int y, int style, uint32_t cp, int w)
{
    if (x < 0 || y < 0 || y >= c->h || x >= c->w)
        return;
    cb_cell *cell = cell_at(c, x, y);
    if (cell->cp == 0 && x > 0)
        *cell_at(c, x - 1, y) = (cb_cell){.cp = ' ', .style = cell->style};
    if (x + 1 < c->w && cell_at(c, x + 1, y)->cp == 0)
        *cell_at(c, x + 1, y) = (cb_cell){.cp = ' ', .style = cell->style};
    if (w == 2 && x + 1 >= c->w) {
        cp = ' ';
        w = 1;
    }
    *cell = (cb_cell){.cp = cp, .style = (uint8_t)style};
    if (w == 2) {
        cb_cell *right = cell_at(c, x + 1, y);
        if (x + 2 < c->w && cell_at(c, x + 2, y)->cp == 0)
            *cell_at(c, x + 2, y) = (cb_cell){.cp = ' ', .style = right->style};
        *right = (cb_cell){.cp = 0, .style = (uint8_t)style};
    }
}

/* The next character of s as the canvas shows it (decoded, made displayable;
 * *w is its width, 0 when it is dropped); returns the rest of s. */
static const unsigned char *next_shown(const unsigned char *s, bool ascii, uint32_t *cp, int *w)
{
    int n = text_utf8_decode(s, cp);
    s += n < 0 ? 1 : n;
    *cp = displayable(*cp, ascii, w);
    return s;
}

static int write_text(cb_canvas *c, int x, int y, int maxw, int style, const char *s,
                      bool ellipsis)
{
    if (!s || y < 0 || y >= c->h || x >= c->w)
        return 0;
    if (x + maxw > c->w)
        maxw = c->w - x;
    if (maxw <= 0)
        return 0;
    const unsigned char *p = (const unsigned char *)s;
    int col = 0;
    while (*p) {
        uint32_t cp;
        int w;
        p = next_shown(p, c->ascii, &cp, &w);
        if (w == 0) { /* a mark: onto the character before it (a wide one's left half) */
            int bx = x + col - 1;
            bx -= bx > x && cell_at(c, bx, y)->cp == 0;
            for (int k = 0; !c->ascii && col > 0 && k < CANVAS_MARKS; k++)
                if (!cell_at(c, bx, y)->mark[k]) {
                    cell_at(c, bx, y)->mark[k] = cp;
                    break;
                }
            continue;
        }
        if (col + w > maxw ||
            (ellipsis && col + w == maxw && *p && text_width((const char *)p) > 0)) {
            if (ellipsis) {
                put_cp(c, x + col, y, style, c->ascii ? '~' : ELLIPSIS, 1);
                col++;
            }
            break;
        }
        put_cp(c, x + col, y, style, cp, w);
        col += w;
    }
    return col;
}

int canvas_text(cb_canvas *c, int x, int y, int maxw, int style, const char *s)
{
    return write_text(c, x, y, maxw, style, s, true);
}

int canvas_text_clip(cb_canvas *c, int x, int y, int maxw, int style, const char *s)
{
    return write_text(c, x, y, maxw, style, s, false);
}

void canvas_fill(cb_canvas *c, int x, int y, int w, int style, uint32_t cp)
{
    if (c->ascii && cp >= 0x80)
        cp = ascii_fallback(cp);
    for (int i = 0; i < w; i++)
        put_cp(c, x + i, y, style, cp, 1);
}

void canvas_style(cb_canvas *c, int x, int y, int w, int style)
{
    if (y < 0 || y >= c->h)
        return;
    for (int i = x < 0 ? 0 : x; i < x + w && i < c->w; i++)
        cell_at(c, i, y)->style = (uint8_t)style;
}

void canvas_bar(cb_canvas *c, int x, int y, int w, int done, int total)
{
    if (w <= 0)
        return;
    int fill = total > 0 ? (int)((long long)done * w / total) : 0;
    if (fill == 0 && done > 0)
        fill = 1;
    if (fill > w)
        fill = w;
    canvas_fill(c, x, y, fill, CS_BAR, 0x2588);
    canvas_fill(c, x + fill, y, w - fill, CS_BAR_EMPTY, 0x2591);
}

void canvas_hline(cb_canvas *c, int x, int y, int w, int style)
{
    canvas_fill(c, x, y, w, style, 0x2500);
}

void canvas_vline(cb_canvas *c, int x, int y, int h, int style)
{
    for (int i = 0; i < h; i++)
        canvas_fill(c, x, y + i, 1, style, 0x2502);
}

void canvas_box(cb_canvas *c, int x, int y, int w, int h, int style, const char *title)
{
    if (w < 2 || h < 2)
        return;
    canvas_hline(c, x + 1, y, w - 2, style);
    canvas_hline(c, x + 1, y + h - 1, w - 2, style);
    canvas_vline(c, x, y + 1, h - 2, style);
    canvas_vline(c, x + w - 1, y + 1, h - 2, style);
    canvas_fill(c, x, y, 1, style, 0x250C);
    canvas_fill(c, x + w - 1, y, 1, style, 0x2510);
    canvas_fill(c, x, y + h - 1, 1, style, 0x2514);
    canvas_fill(c, x + w - 1, y + h - 1, 1, style, 0x2518);
    if (title && w > 6) {
        int n = canvas_text(c, x + 2, y, w - 4, CS_HEADER, " ");
        n += canvas_text(c, x + 2 + n, y, w - 4 - n, CS_HEADER, title);
        canvas_text(c, x + 2 + n, y, w - 4 - n, CS_HEADER, " ");
    }
}

/* Appends cp to buf (size n, kept NUL-terminable); false when it does not fit. */
static bool append_utf8(char *buf, size_t n, size_t *len, uint32_t cp)
{
    char enc[4];
    int k = text_utf8_encode(cp, enc);
    if (*len + (size_t)k + 1 > n)
        return false;
    memcpy(buf + *len, enc, (size_t)k);
    *len += (size_t)k;
    return true;
}

char *canvas_sanitize(const char *s, char *buf, size_t n)
{
    size_t len = 0;
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    for (uint32_t cp; *p;) {
        int w;
        p = next_shown(p, false, &cp, &w);
        if ((w != 0 || len > 0) && !append_utf8(buf, n, &len, cp))
            break; /* a zero-width mark stays after its character, as on screen */
    }
    if (n)
        buf[len] = '\0';
    return buf;
}

size_t canvas_row_utf8(const cb_canvas *c, int y, char *buf, size_t n)
{
    size_t len = 0;
    if (n == 0)
        return 0;
    for (int x = 0; y >= 0 && y < c->h && x < c->w; x++) {
        const cb_cell *cell = &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
        bool ok = !cell->cp || append_utf8(buf, n, &len, cell->cp);
        for (int k = 0; ok && cell->cp && k < CANVAS_MARKS && cell->mark[k]; k++)
            ok = append_utf8(buf, n, &len, cell->mark[k]);
        if (!ok)
            break;
    }
    buf[len] = '\0';
    return len;
}

void canvas_print(const cb_canvas *c, FILE *out)
{
    size_t cap = (size_t)c->w * 4 + 1;
    char *line = xmalloc(cap);
    for (int y = 0; y < c->h; y++) {
        size_t len = canvas_row_utf8(c, y, line, cap);
        while (len > 0 && line[len - 1] == ' ')
            len--;
        fwrite(line, 1, len, out);
        fputc('\n', out);
    }
    free(line);
}

bool canvas_row_equal(const cb_canvas *a, const cb_canvas *b, int y)
{
    if (a->w != b->w || y >= a->h || y >= b->h)
        return false;
    const cb_cell *ra = a->cells + (size_t)y * (size_t)a->w;
    const cb_cell *rb = b->cells + (size_t)y * (size_t)b->w;
    for (int x = 0; x < a->w; x++)
        if (ra[x].cp != rb[x].cp || ra[x].style != rb[x].style ||
            memcmp(ra[x].mark, rb[x].mark, sizeof ra[x].mark) != 0)
            return false;
    return true;
}

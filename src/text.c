/* text.c — decoding, display width and escaping of untrusted text (text.h). */
#include "certboard/text.h"

#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

bool text_locale_init(void)
{
    setlocale(LC_CTYPE, "");
    bool utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
    if (!utf8 && !setlocale(LC_CTYPE, "C.UTF-8"))
        setlocale(LC_CTYPE, "en_US.UTF-8");
    return utf8;
}

int text_utf8_decode(const unsigned char *s, uint32_t *cp)
{
    unsigned c = s[0];
    int n;
    uint32_t v, min;
    *cp = TEXT_REPLACEMENT;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        n = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, v = c & 0x07, min = 0x10000;
    } else {
        return -1;
    }
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return -1;
    *cp = v;
    return n;
}

int text_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    } else if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    } else if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

bool text_cp_unsafe(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x200E ||
           cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

bool text_is_printable(const char *s)
{
    uint32_t cp;
    for (const unsigned char *u = (const unsigned char *)s; *u;) {
        int n = text_utf8_decode(u, &cp);
        if (n < 0 || text_cp_unsafe(cp))
            return false;
        u += n;
    }
    return true;
}

int text_width(const char *s)
{
    int col = 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;) {
        uint32_t cp;
        int n = text_utf8_decode(p, &cp);
        p += n < 0 ? 1 : n;
        if (text_cp_unsafe(cp))
            cp = cp == '\t' || cp == '\n' || cp == '\r' ? ' ' : TEXT_REPLACEMENT;
        int w = cp < 0x80 ? 1 : wcwidth((wchar_t)cp);
        col += w < 0 ? 1 : w;
    }
    return col;
}

/* ---- suggestions ---------------------------------------------------------- */

int text_edit_distance(const char *s, const char *t)
{
    enum { MAX = 64 };
    int n = (int)strlen(s), m = (int)strlen(t);
    if (n > MAX || m > MAX)
        return MAX;
    int d[MAX + 1][MAX + 1];
    for (int i = 0; i <= n; i++)
        d[i][0] = i;
    for (int j = 0; j <= m; j++)
        d[0][j] = j;
    for (int i = 1; i <= n; i++) {
        for (int j = 1; j <= m; j++) {
            int cost = s[i - 1] != t[j - 1];
            int v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && s[i - 1] == t[j - 2] && s[i - 2] == t[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[n][m];
}

/* ---- escaping ------------------------------------------------------------ */

typedef struct sink {
    char *buf;
    size_t len;
} sink;

static void add(sink *o, const char *s, size_t n)
{
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static void add_cp(sink *o, uint32_t cp)
{
    char enc[4] = {0};
    add(o, enc, (size_t)text_utf8_encode(cp, enc));
}

static bool is_break(uint32_t cp)
{
    return cp == '\n' || cp == '\r';
}

/* One decoded character, escaped for `to` (the JSON quotes and the CSV
 * quoting are added around the whole by the caller). */
static void escape_cp(sink *o, enum cb_text_to to, uint32_t cp, bool invalid)
{
    if (invalid) {
        add_cp(o, TEXT_REPLACEMENT);
        return;
    }
    switch (to) {
    case TEXT_JSON: {
        static const char *const named[] = {
            ['\n'] = "\\n", ['\t'] = "\\t", ['\r'] = "\\r", ['"'] = "\\\"", ['\\'] = "\\\\"};
        if (cp < sizeof named / sizeof named[0] && named[cp]) {
            add(o, named[cp], 2);
        } else if (text_cp_unsafe(cp) || cp == 0x2028 || cp == 0x2029) {
            char u[8];
            snprintf(u, sizeof u, "\\u%04x", (unsigned)cp);
            add(o, u, 6);
        } else {
            add_cp(o, cp);
        }
        return;
    }
    case TEXT_ICAL:
        if (cp == '\n') {
            add(o, "\\n", 2);
            return;
        }
        if (cp == '\r')
            return;
        if (cp == '\\' || cp == ';' || cp == ',')
            add(o, "\\", 1);
        break;
    case TEXT_MD:
    case TEXT_HTML: {
        static const char *const ent[] = {['<'] = "&lt;",
                                          ['>'] = "&gt;",
                                          ['&'] = "&amp;",
                                          ['"'] = "&quot;",
                                          ['\''] = "&#39;"};
        bool quote = cp == '"' || cp == '\''; /* markdown keeps its quotes */
        if (cp < sizeof ent / sizeof ent[0] && ent[cp] && (to == TEXT_HTML || !quote)) {
            add(o, ent[cp], strlen(ent[cp]));
            return;
        }
        if (to == TEXT_HTML && is_break(cp)) {
            add_cp(o, cp);
            return;
        }
        if (to == TEXT_MD && (cp == '|' || cp == '\\'))
            add(o, "\\", 1);
        break;
    }
    case TEXT_CSV:
        if (is_break(cp) || cp == '\t') {
            add_cp(o, cp);
            return;
        }
        if (cp == '"')
            add(o, "\"", 1);
        break;
    case TEXT_TERM:
        break;
    }
    if (text_cp_unsafe(cp))
        cp = cp == '\t' || is_break(cp) ? ' ' : TEXT_REPLACEMENT;
    add_cp(o, cp);
}

/* Writes s escaped into o, whose buffer holds at least 6 x strlen(s) + 8. */
static void escape_into(sink *o, enum cb_text_to to, const char *s)
{
    if (to == TEXT_JSON)
        add(o, "\"", 1);
    bool quote = to == TEXT_CSV && strpbrk(s, ",\"\r\n");
    if (quote)
        add(o, "\"", 1);
    if (to == TEXT_CSV && s[0] && strchr("=+-@", s[0]))
        add(o, "'", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        uint32_t cp;
        int k = text_utf8_decode(p, &cp);
        escape_cp(o, to, cp, k < 0);
        p += k < 0 ? 1 : k;
    }
    if (quote || to == TEXT_JSON)
        add(o, "\"", 1);
    o->buf[o->len] = '\0';
}

const char *text_escape(cb_arena *a, enum cb_text_to to, const char *s)
{
    if (!s)
        return to == TEXT_JSON ? "null" : "";
    sink o = {arena_alloc(a, 6 * strlen(s) + 8), 0};
    escape_into(&o, to, s);
    return o.buf;
}

void text_put(FILE *out, enum cb_text_to to, const char *s)
{
    if (!s) {
        fputs(to == TEXT_JSON ? "null" : "", out);
        return;
    }
    char local[1024];
    size_t need = 6 * strlen(s) + 8;
    sink o = {need <= sizeof local ? local : xmalloc(need), 0};
    escape_into(&o, to, s);
    fwrite(o.buf, 1, o.len, out);
    if (o.buf != local)
        free(o.buf);
}

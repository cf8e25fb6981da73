/* text.c — UTF-8 validity and control-character checks (see text.h). */
#include "certboard/text.h"

int text_utf8_len(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    int n = s[0] >= 0xF0 && s[0] <= 0xF4  ? 4
            : s[0] >= 0xE0 && s[0] < 0xF0 ? 3
            : s[0] >= 0xC2 && s[0] < 0xE0 ? 2
                                          : 0;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((n == 3 && s[0] == 0xE0 && s[1] < 0xA0) || (n == 3 && s[0] == 0xED && s[1] >= 0xA0) ||
        (n == 4 && s[0] == 0xF0 && s[1] < 0x90) || (n == 4 && s[0] == 0xF4 && s[1] >= 0x90))
        return 0;
    return n;
}

bool text_is_printable(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        int n = text_utf8_len(u);
        if (n == 0 || *u < 0x20 || *u == 0x7f || (u[0] == 0xC2 && u[1] >= 0x80 && u[1] <= 0x9F))
            return false;
        u += n;
    }
    return true;
}

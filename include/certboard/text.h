/* text.h — small checks on untrusted UTF-8 text (notes, attempt sources and
 * other strings from other people's shards). Pure; nothing is allocated. */
#ifndef CERTBOARD_TEXT_H
#define CERTBOARD_TEXT_H

#include <stdbool.h>

/* Length (1..4) of the valid UTF-8 sequence at s, 0 when it is invalid
 * (stray continuation byte, overlong form, surrogate, beyond U+10FFFF). */
int text_utf8_len(const unsigned char *s);
/* Valid UTF-8 with no C0 or C1 control character and no DEL: safe to print
 * on a terminal as it is. */
bool text_is_printable(const char *s);

#endif

/* text.h — untrusted text on its way out: the one place that decides how a
 * string from a plan or from another member's shard is written to each kind
 * of output, and how wide it is on a terminal.
 *
 * Every output path goes through here: the canvas (every pane and `dump`),
 * `log`, the report in all four formats, `export`, the iCalendar file.
 * The rules, per output:
 *   TEXT_TERM  invalid UTF-8, C0 and C1 controls, DEL and bidirectional
 *              controls become U+FFFD; tab, CR and LF a space
 *   TEXT_JSON  a quoted JSON string ("null" for NULL), always valid UTF-8:
 *              invalid bytes become U+FFFD; controls, C1 and bidirectional
 *              controls are written as \u escapes (\u001b), never raw
 *   TEXT_CSV   an RFC 4180 field, cleaned as TERM but keeping line breaks;
 *              a field starting with = + - @ (a spreadsheet formula) gets a
 *              leading apostrophe
 *   TEXT_MD    a markdown table cell: cleaned as TERM; | and \ escaped with a
 *              backslash, < > & as HTML entities (no raw tag reaches HTML)
 *   TEXT_HTML  HTML text or attribute value: cleaned as TERM but keeping line
 *              breaks; & < > " ' as character references (no tag, no
 *              attribute break)
 *   TEXT_ICAL  RFC 5545 TEXT: cleaned as TERM but keeping line breaks, which
 *              are written as \n; \ ; , escaped (folding is the writer's job)
 *
 * Pure apart from text_put() writing to its stream; text_escape() allocates
 * from the caller's arena. */
#ifndef CERTBOARD_TEXT_H
#define CERTBOARD_TEXT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "certboard/arena.h"

#define TEXT_REPLACEMENT 0xFFFDu

enum cb_text_to { TEXT_TERM, TEXT_JSON, TEXT_CSV, TEXT_MD, TEXT_HTML, TEXT_ICAL };

/* Sets the C library's character type (LC_CTYPE only: numbers keep the C
 * locale's format) from the environment, falling back to a UTF-8 locale so
 * that display widths are known. Returns true when the environment's own
 * locale is UTF-8. Call once at start. */
bool text_locale_init(void);

/* Decodes one UTF-8 sequence strictly (no overlongs, surrogates or values past
 * U+10FFFF): returns the bytes used, or -1 for an invalid sequence (*cp is
 * then TEXT_REPLACEMENT, standing for its first byte). */
int text_utf8_decode(const unsigned char *s, uint32_t *cp);
/* Encodes cp as UTF-8 into out; returns its length (1..4). */
int text_utf8_encode(uint32_t cp, char out[4]);
/* A code point never shown as it is: C0 and C1 controls, DEL, bidirectional
 * controls (U+061C, U+200E/F, U+202A-E, U+2066-9). */
bool text_cp_unsafe(uint32_t cp);
/* Valid UTF-8 with no unsafe code point: printable on a terminal as it is. */
bool text_is_printable(const char *s);
/* Display columns of s as a terminal shows it after TEXT_TERM cleaning. */
int text_width(const char *s);

/* Edit distance with transpositions (optimal string alignment), for "did you
 * mean" suggestions; 64 or more when a string is longer than that. */
int text_edit_distance(const char *s, const char *t);

/* s escaped for the output (NULL gives "null" in JSON, "" elsewhere). */
const char *text_escape(cb_arena *a, enum cb_text_to to, const char *s);
void text_put(FILE *out, enum cb_text_to to, const char *s);

#endif

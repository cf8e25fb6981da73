/* test_canvas.c — the cell grid: sanitizing hostile text, display widths,
 * clipping, ASCII mode. */
#include <stdlib.h>

#include "certboard/canvas.h"
#include "t.h"

static char row[4096];

static const char *line(cb_canvas *c, int y)
{
    canvas_row_utf8(c, y, row, sizeof row);
    size_t n = strlen(row);
    while (n > 0 && row[n - 1] == ' ')
        row[--n] = '\0';
    return row;
}

/* No byte below 0x20 and no C1 control (U+0080..U+009F) in any cell. */
static int control_cells(const cb_canvas *c)
{
    int bad = 0;
    for (int i = 0; i < c->w * c->h; i++) {
        uint32_t cp = c->cells[i].cp;
        bad += cp != 0 && (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) ||
                           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069));
    }
    return bad;
}

TEST(plain_text)
{
    cb_canvas *c = canvas_new(20, 2, false);
    CHECK_INT(canvas_text(c, 1, 0, 19, CS_NORMAL, "hello"), 5);
    CHECK_STR(line(c, 0), " hello");
    CHECK_INT(c->cells[1].style, CS_NORMAL);
    canvas_free(c);
}

TEST(hostile_text_is_replaced)
{
    cb_canvas *c = canvas_new(80, 1, false);
    const char *evil = "a\x1b]0;title\x07"
                       "b\x1bP1;2q\x1b\\"
                       "c\xc2\x9b"
                       "31m\xe2\x80\xae"
                       "rev\xe2\x81\xa6"
                       "d\x7f\xff\xfe\xc0\xaf"
                       "e";
    canvas_text(c, 0, 0, 80, CS_NORMAL, evil);
    CHECK_INT(control_cells(c), 0);
    CHECK_CONTAINS(line(c, 0), "a\xef\xbf\xbd]0;title\xef\xbf\xbd"
                               "b");
    char buf[256];
    canvas_sanitize(evil, buf, sizeof buf);
    for (const unsigned char *p = (const unsigned char *)buf; *p; p++)
        CHECK(*p >= 0x20 && *p != 0x7F);
    CHECK(strstr(buf, "\xc2\x9b") == NULL);     /* CSI as C1 */
    CHECK(strstr(buf, "\xe2\x80\xae") == NULL); /* RLO */
    canvas_free(c);
}

TEST(wide_text_clips_by_width)
{
    cb_canvas *c = canvas_new(10, 1, false);
    /* 6 CJK characters = 12 columns into 7: 3 characters and an ellipsis */
    int n = canvas_text(c, 0, 0, 7, CS_NORMAL, "漢字漢字漢字");
    CHECK_INT(n, 7);
    CHECK_STR(line(c, 0), "漢字漢…");
    CHECK_INT(text_width("漢字a"), 5);
    /* a wide character never straddles the edge */
    canvas_clear(c);
    canvas_text_clip(c, 9, 0, 1, CS_NORMAL, "漢");
    CHECK_INT(c->cells[9].cp, ' ');
    canvas_free(c);
}

TEST(overwriting_half_a_wide_char)
{
    cb_canvas *c = canvas_new(6, 1, false);
    canvas_text(c, 0, 0, 6, CS_NORMAL, "漢字");
    canvas_text(c, 1, 0, 1, CS_NORMAL, "x"); /* right half of the first */
    CHECK_STR(line(c, 0), " x字");
    canvas_free(c);
}

TEST(long_text_ellipsis)
{
    cb_canvas *c = canvas_new(8, 1, false);
    canvas_text(c, 0, 0, 8, CS_NORMAL, "abcdefghijkl");
    CHECK_STR(line(c, 0), "abcdefg…");
    canvas_clear(c);
    canvas_text(c, 0, 0, 8, CS_NORMAL, "abcdefgh"); /* fits exactly */
    CHECK_STR(line(c, 0), "abcdefgh");
    canvas_free(c);
}

TEST(ascii_mode)
{
    cb_canvas *c = canvas_new(12, 3, true);
    canvas_box(c, 0, 0, 12, 3, CS_NORMAL, NULL);
    canvas_text(c, 1, 1, 10, CS_NORMAL, "é漢\x1b");
    CHECK_STR(line(c, 0), "+----------+");
    CHECK_STR(line(c, 1), "|???       |");
    canvas_bar(c, 1, 2, 4, 1, 2);
    CHECK_STR(line(c, 2), "+##..------+");
    canvas_free(c);
}

/* Names render as written: a combining accent and a joiner stay on the
 * character before them (they used to be dropped: "José" showed "Jose"). */
TEST(combining_marks_stay)
{
    text_locale_init();
    cb_canvas *c = canvas_new(20, 3, false);
    CHECK_INT(canvas_text(c, 0, 0, 20, CS_NORMAL, "Jose\xcc\x81 N"), 6);
    CHECK_STR(line(c, 0), "Jose\xcc\x81 N");
    CHECK_INT(text_width("Jose\xcc\x81"), 4);
    /* on a wide character: the mark goes on its left half */
    canvas_text(c, 0, 1, 20, CS_NORMAL, "\xe6\xbc\xa2\xcc\x81x");
    CHECK_STR(line(c, 1), "\xe6\xbc\xa2\xcc\x81x");
    /* a cell overwritten loses the old mark */
    canvas_text(c, 3, 0, 5, CS_NORMAL, "e");
    CHECK_STR(line(c, 0), "Jose N");
    char buf[32];
    CHECK_STR(canvas_sanitize("Jose\xcc\x81", buf, sizeof buf), "Jose\xcc\x81");
    canvas_free(c);
    /* ASCII mode has no place for them */
    c = canvas_new(20, 1, true);
    canvas_text(c, 0, 0, 20, CS_NORMAL, "Jose\xcc\x81");
    CHECK_STR(line(c, 0), "Jose");
    canvas_free(c);
}

TEST(bar_and_rows)
{
    cb_canvas *a = canvas_new(10, 2, false), *b = canvas_new(10, 2, false);
    canvas_bar(a, 0, 0, 10, 3, 10);
    CHECK_STR(line(a, 0), "███░░░░░░░");
    CHECK(canvas_row_equal(a, b, 1));
    CHECK(!canvas_row_equal(a, b, 0));
    canvas_bar(a, 0, 1, 10, 1, 1000); /* a little progress always shows */
    CHECK_INT(a->cells[10].cp, 0x2588);
    canvas_free(a);
    canvas_free(b);
}

int main(void)
{
    text_locale_init();
    RUN(plain_text);
    RUN(hostile_text_is_replaced);
    RUN(wide_text_clips_by_width);
    RUN(overwriting_half_a_wide_char);
    RUN(long_text_ellipsis);
    RUN(ascii_mode);
    RUN(combining_marks_stay);
    RUN(bar_and_rows);
    return t_done();
}

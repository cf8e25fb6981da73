/* test_report.c — the report renderers and the calendar on the hand-built
 * fixture: quoting and escaping per format, sections and their rows, RFC 5545
 * line rules. (Golden output of the command: tests/cli/test_report.sh.) */
#include "certboard/report.h"

#include <stdlib.h>

#include "readiness_fixture.h"
#include "t.h"

static char *render(enum cb_report_format f, cb_day today)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    cb_report_opts o = {.format = f, .since = day("2026-02-01")};
    cb_state *st = state_build(&plan, NULL, &snap, today);
    if (report_write(out, st, &o) != 0)
        printf("  report_write failed\n");
    state_free(st);
    fclose(out);
    return buf;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *s = hay; (s = strstr(s, needle)); s += strlen(needle))
        n++;
    return n;
}

TEST(text_sections_and_sanitizing)
{
    char *s = render(CB_REPORT_TEXT, day("2026-02-04")); /* week 5 */
    CHECK_CONTAINS(s, "Stand-up report: Test plan\n2026-02-04, week 5 of 12, Learn, build, "
                      "exam in 53 days\n");
    CHECK_CONTAINS(s, "== Milestones of week 5\n");
    CHECK_CONTAINS(s, "m5  Assets, \"reviewed\"  5     pod:p0  at-risk  waiting on "
                      "review\xEF\xBF\xBD, \"soon\"");
    CHECK_CONTAINS(s, "== At-risk milestones\n");
    CHECK_CONTAINS(s, "marked at risk");
    /* Overdue: int1 i2 (due 2), late1 i2 (due 4 after joining in week 4). */
    CHECK_CONTAINS(s, "int1    i2    i2     2\n");
    CHECK_CONTAINS(s, "late1   i2    i2     4\n");
    CHECK(!strstr(s, "\x01"));
    CHECK(!strstr(s, " \n")); /* no trailing blanks */
    free(s);
}

TEST(markdown_tables)
{
    char *s = render(CB_REPORT_MARKDOWN, day("2026-02-10")); /* week 6 */
    CHECK_CONTAINS(s, "# Stand-up report: Test plan\n");
    CHECK_CONTAINS(s,
                   "## Milestones of week 6\n\n| id | title | week | owner | status | note |\n"
                   "|---|---|---:|---|---|---|\n| m6 | Teach \\| pod p1 | 6 | member:int1 | "
                   "pending | - |\n");
    /* m5 of week 5 is past its week and at risk; m1 is done. */
    CHECK_CONTAINS(s, "| m5 | Assets, \"reviewed\" | 5 | pod:p0 | at-risk | marked at risk |");
    CHECK(!strstr(s, "| m1 | Kick-off | 1 | team | done |"));
    free(s);
}

TEST(csv_quoting)
{
    char *s = render(CB_REPORT_CSV, day("2026-02-10"));
    CHECK(strncmp(s, "section,plan,title,certification,", 33) == 0);
    CHECK_CONTAINS(s, ",\"Test, exam\",");               /* comma: quoted */
    CHECK_CONTAINS(s, ",\"Assets, \"\"reviewed\"\"\","); /* quotes doubled */
    CHECK_CONTAINS(
        s, "\"waiting on\nreview\xEF\xBF\xBD, \"\"soon\"\"\""); /* newline kept, quoted */
    CHECK_INT(count(s, "\r\n") > 30, 1);
    CHECK_INT(count(s, "\r\nburnup,"), 12); /* one row per week */
    free(s);
}

TEST(json_escaping)
{
    char *s = render(CB_REPORT_JSON, day("2026-02-10"));
    CHECK(strncmp(s, "{\n  \"schema\": \"certboard-report/1\",", 34) == 0);
    CHECK_CONTAINS(s, "\"note\": \"waiting on\\nreview\\u0001, \\\"soon\\\"\"");
    CHECK_CONTAINS(s, "\"projected\": 62.5,"); /* nov1, see test_readiness */
    CHECK_CONTAINS(s, "\"projected\": null,"); /* late1: no attempts */
    CHECK_CONTAINS(s, "\"done\": null");       /* future burn-up weeks */
    /* Week 6: nov1's i3 (due 5) is now overdue too. */
    CHECK_CONTAINS(s, "\"members_behind\": [\"nov1\", \"int1\", \"late1\"]");
    CHECK_CONTAINS(s, "\"time\": \"2026-02-03T01:00:00Z\"");
    free(s);
}

TEST(ical_lines)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    /* 2026-11-22T12:00:00Z */
    int n = ical_write(out, &plan, (int64_t)day("2026-11-22") * 86400000LL + 43200000LL);
    fclose(out);
    CHECK_INT(n, 5); /* sync in weeks 1, 2, 3 + strategy in week 12 + the exam day */
    CHECK_INT(count(buf, "BEGIN:VEVENT\r\n"), 5);
    /* Every line ends with CRLF and is at most 75 octets. */
    int longest = 0, bare_lf = 0;
    for (char *line = buf; *line;) {
        char *end = strstr(line, "\r\n");
        if (!end)
            break;
        if ((int)(end - line) > longest)
            longest = (int)(end - line);
        for (char *c = line; c < end; c++)
            bare_lf += *c == '\n';
        line = end + 2;
    }
    CHECK(longest <= 75);
    CHECK_INT(bare_lf, 0);
    /* Wednesday of week 2 (weekday 2): 2026-01-14 at 10:00 for 60 minutes. */
    CHECK_CONTAINS(buf, "UID:t-sync-w2@certboard\r\nDTSTAMP:20261122T120000Z\r\n"
                        "DTSTART:20260114T100000\r\nDTEND:20260114T110000\r\n");
    CHECK_CONTAINS(buf, "SUMMARY:Mentor sync\\, exp1\\; nov1 \\\\ weekly\r\n");
    /* Strategy: Friday of week 12 = 2026-03-27, 23:00 + 120 min runs past midnight. */
    CHECK_CONTAINS(buf, "DTSTART:20260327T230000\r\nDTEND:20260328T010000\r\n");
    /* The long title is folded: the continuation line starts with a space. */
    CHECK_CONTAINS(buf,
                   "SUMMARY:Final strategy session: tricky concepts\\, community wisdom and "
                   "exam\r\n -day tactics \u00e9\u00e9\u00e9\r\n");
    CHECK_CONTAINS(buf, "DTSTART;VALUE=DATE:20260329\r\nDTEND;VALUE=DATE:20260330\r\n");
    CHECK_CONTAINS(buf, "SUMMARY:Test\\, exam\r\n");
    free(buf);
}

TEST(ical_folds_between_utf8_characters)
{
    /* "SUMMARY:" (8) + 66 x 'x' = 74 octets, then a 2-octet character: it must
     * move whole to the continuation line instead of splitting at octet 75. */
    char title[128];
    memset(title, 'x', 66);
    strcpy(title + 66, "\u00e9tude");
    cb_session one = sessions[0];
    one.title = title;
    one.weeks = (cb_range){1, 1};
    cb_plan p2 = plan;
    p2.sessions = &one;
    p2.n_sessions = 1;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    CHECK_INT(ical_write(out, &p2, 0), 2);
    fclose(out);
    char want[160];
    snprintf(want, sizeof want, "SUMMARY:%.66s\r\n \u00e9tude\r\n", title);
    CHECK_CONTAINS(buf, want);
    free(buf);
}

TEST(untrusted_text_stays_valid_utf8)
{
    /* A note with an invalid byte and a C1 control (CSI) from someone's shard. */
    cb_event *h = &history[0]; /* the change, in the history */
    for (size_t i = 0; i < snap.n_events; i++)
        if (strcmp(history[i].key, "ms/m5") == 0)
            h = &history[i];
    const char *saved = h->note;
    h->note = "bad \xff byte, csi \xc2\x9b"
              "2J";
    char *json = render(CB_REPORT_JSON, day("2026-02-10"));
    char *text = render(CB_REPORT_TEXT, day("2026-02-10"));
    h->note = saved;
    CHECK_CONTAINS(json, "\"note\": \"bad \xef\xbf\xbd byte, csi \\u009b2J\""); /* escaped */
    CHECK_CONTAINS(text, "bad \xef\xbf\xbd byte, csi \xef\xbf\xbd"
                         "2J"); /* U+FFFD both */
    CHECK(!strstr(json, "\xc2\x9b"));
    CHECK(!strstr(text, "\xc2\x9b"));
    free(json);
    free(text);
}

int main(void)
{
    build_plan();
    build_state();
    RUN(text_sections_and_sanitizing);
    RUN(markdown_tables);
    RUN(csv_quoting);
    RUN(json_escaping);
    RUN(untrusted_text_stays_valid_utf8);
    RUN(ical_lines);
    RUN(ical_folds_between_utf8_characters);
    return t_done();
}

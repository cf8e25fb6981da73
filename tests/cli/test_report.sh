#!/usr/bin/env bash
# test_report.sh — `exam`, `report` and `ical` end to end on a fixture store
# built with the command line (tests/data/report-plan.yaml, --today 2026-03-04).
#
# Event times come from the real clock. The report is made deterministic by
# choosing a --today in the past: every tick is then dated after today and is
# counted as made today (docs/readiness.md), and every event falls after the
# --since day. The one thing left that moves, the time of each change, is
# replaced by YYYY-MM-DD hh:mm before comparing with tests/data/expected/report.*.
# To refresh the expected files: CERTBOARD_UPDATE_EXPECTED=1 make test.
. "$(dirname "$0")/../lib.sh"

PY=/usr/bin/python3
EXP="$ROOT/tests/data/expected"
export CERTBOARD_PLAN="$ROOT/tests/data/report-plan.yaml"
export CERTBOARD_STORE="$TMP/store" CERTBOARD_TODAY=2026-03-04
unset CERTBOARD_MEMBER

if [ ! -x "$CB" ]; then
    skip all "no binary at $CB"
    exit 0
fi
for c in "exam list" "tick" "milestone" "report"; do   # side-effect free probes
    if $CB --as lead $c 2>&1 | grep -q 'not available yet'; then
        skip all "'certboard ${c%% *}' is not available yet"
        exit 0
    fi
done

# run NAME CMD...: the command must succeed (builds the fixture).
run() { n=$1; shift; if "$CB" "$@" >"$TMP/run.out" 2>&1; then :; else fail "$n" "$(head -c 300 "$TMP/run.out")"; fi; }

run tick1 --as nov1 tick tour
run tick2 --as int1 tick intro
run tick3 --as lead tick intro --member late1
run tick4 --as lead tick code-notebook
run tick5 --as lead tick intro
run tick6 --as lead tick tour
run tick7 --as nov1 tick assets-read
run untick --as nov1 untick assets-read
run ms1 --as lead milestone basics-done done --note 'all through, "finally"'
run ms2 --as lead milestone assets at-risk --note 'waiting on review | ops'
run ms3 --as lead milestone capstone-ingest on-track
run exam1 --as nov1 exam record --date 2026-02-20 --source 'Set A, timed' --minutes 110 \
    --domain code=20/29 --domain perf=8/15 --domain gov=9/15
run exam2 --as nov1 exam record --date 2026-03-02 --source 'Set B' --minutes 100 \
    --domain code=24/29 --domain perf=10/15
run exam3 --as int1 exam record --date 2026-03-01 --total 44/59 --minutes 118 --source 'Vendor "free" set'
run exam4 --as lead exam record --member late1 --date 2026-03-03 --domain code=10/20 --domain gov=5/10
run exam5 --as int1 exam record --date 2026-02-27 --total 30/59
run edit --as nov1 exam edit nov1-20260302-1 --minutes 105
run delete --as int1 exam delete int1-20260227-1
# Blockers and the team library: a standing blocker (its note has a comma and a
# pipe), one that a tick ended, a link attached with a tick.
run block1 --as int1 block perf-notebook --note 'no cluster, yet | ops'
run block2 --as nov1 block code-notebook --note 'waiting on data'
run tick8 --as nov1 tick code-notebook --link 'https://example.invalid/nb?a=1&b="2"'

# Refused attempts: a message, exit status 1, and nothing stored changes.
snapshot_state() {
    { "$CB" export --format json 2>/dev/null
      find "$TMP/store" "$XDG_DATA_HOME" -type f 2>/dev/null | LC_ALL=C sort | xargs -r sha256sum
    } >"$1"
}
snapshot_state "$TMP/before"
refuse() {
    n=$1 want=$2; shift 2
    "$CB" "$@" >"$TMP/refuse.out" 2>&1; rc=$?
    if [ "$rc" != 1 ]; then fail "$n" "exit $rc, want 1: $(head -c 300 "$TMP/refuse.out")"
    elif ! grep -qF -- "$want" "$TMP/refuse.out"; then fail "$n" "no '$want' in: $(head -c 300 "$TMP/refuse.out")"
    else pass "$n"; fi
}
refuse refuse_more_right "more right than asked (30/29)" --as nov1 exam record --domain code=30/29
refuse refuse_negative "negative numbers" --as nov1 exam record --total -1/59
refuse refuse_unknown_domain "unknown domain 'nope'" --as nov1 exam record --domain nope=1/2
refuse refuse_future "is in the future (today is 2026-03-04)" --as nov1 exam record --date 2026-03-05 --total 1/2
refuse refuse_too_many "60 questions asked, the exam has 59" --as nov1 exam record --total 50/60
refuse refuse_other_member "nov1 may change only their own practice exams" --as nov1 exam record --member int1 --total 1/2
refuse refuse_edit_other "nov1 may change only their own practice exams" --as nov1 exam edit int1-20260301-1 --minutes 1
refuse refuse_missing "no exam attempt 'nope-1'" --as nov1 exam delete nope-1
snapshot_state "$TMP/after"
if cmp -s "$TMP/before" "$TMP/after"; then pass refused_changes_nothing
else fail refused_changes_nothing "the store changed: $(diff "$TMP/before" "$TMP/after" | head -5)"; fi

# exam list
"$CB" exam list >"$TMP/list" 2>&1
if [ "$(wc -l <"$TMP/list")" = 4 ] && grep -q '^nov1-20260302-1 .* 105 min' "$TMP/list" &&
   ! grep -q int1-20260227-1 "$TMP/list"; then pass exam_list
else fail exam_list "$(cat "$TMP/list")"; fi

# Golden reports.
normalize() {   # same width, so text columns stay aligned
    sed -E -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}/YYYY-MM-DD hh:mm/g' \
        -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/YYYY-MM-DDThh:mm:ssZ/g'
}
golden() {   # golden NAME ARGS...
    n=$1; shift
    if ! "$CB" report "$@" >"$TMP/$n.raw" 2>"$TMP/$n.err"; then
        fail "$n" "exit status $?: $(head -c 300 "$TMP/$n.err")"; return
    fi
    normalize <"$TMP/$n.raw" >"$TMP/$n"
    if [ "${CERTBOARD_UPDATE_EXPECTED:-}" = 1 ]; then mkdir -p "$EXP"; cp "$TMP/$n" "$EXP/$n"; fi
    if [ -f "$EXP/$n" ]; then same "$n" "$EXP/$n" "$TMP/$n"; else fail "$n" "no $EXP/$n"; fi
}
golden report.txt --format text
golden report.md --format markdown
golden report.csv --format csv
golden report.json --format json
golden report-week6.md --week 6 --since 2026-03-04 --format markdown

# Usage errors: exit status 2 with a message, nothing printed on stdout.
expect_status bad_format 2 "$CB" report --format xml
expect_status bad_week 2 "$CB" report --week 13
expect_status bad_since 2 "$CB" report --since 2026-02-30
expect_status exam_both_results 2 "$CB" --as nov1 exam record --total 1/2 --domain code=1/2
expect_status exam_unknown_sub 2 "$CB" exam frobnicate
expect_status ical_unwritable 1 "$CB" ical -o "$TMP/no/such/dir/plan.ics"

# The CSV parses (RFC 4180) with one record per row and the same width.
if "$PY" - "$TMP/report.csv.raw" >"$TMP/csv.out" 2>&1 <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
assert rows[0][0] == 'section', rows[0]
assert all(len(r) == len(rows[0]) for r in rows), 'ragged rows'
sections = {r[0] for r in rows[1:]}
want = {'summary', 'milestones', 'at_risk', 'progress', 'overdue', 'changes', 'weak_links', 'readiness', 'hit_lists', 'burnup'}
assert want <= sections, sections
notes = [r for r in rows if r[0] == 'changes' and 'finally' in ','.join(r)]
assert notes, 'the quoted note is missing'
EOF
then pass csv_parses; else fail csv_parses "$(cat "$TMP/csv.out")"; fi

# The JSON validates against the documented schema.
if "$PY" -c 'import jsonschema' 2>/dev/null; then
    if "$PY" - "$ROOT/docs/report-schema.json" "$TMP/report.json.raw" >"$TMP/js.out" 2>&1 <<'EOF'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
jsonschema.Draft202012Validator(schema).validate(json.load(open(sys.argv[2])))
EOF
    then pass json_schema; else fail json_schema "$(head -c 600 "$TMP/js.out")"; fi
else
    skip json_schema "no python3-jsonschema at $PY"
fi

# The calendar parses and holds 3 syncs + teach + practice exam + strategy + exam day.
if "$CB" ical -o "$TMP/plan.ics" >"$TMP/ical.out" 2>&1; then
    if "$PY" -c 'import icalendar' 2>/dev/null; then
        if "$PY" - "$TMP/plan.ics" >"$TMP/ics.out" 2>&1 <<'EOF'
import sys, icalendar
raw = open(sys.argv[1], 'rb').read()
assert all(len(l) <= 75 for l in raw.split(b'\r\n')), 'line over 75 octets'
assert b'\n' not in raw.replace(b'\r\n', b''), 'bare LF'
cal = icalendar.Calendar.from_ical(raw)
ev = [c for c in cal.walk('VEVENT')]
assert len(ev) == 7, len(ev)
uids = {str(e['UID']) for e in ev}
assert 'report-fixture-sync-w2@certboard' in uids and 'report-fixture-exam@certboard' in uids, uids
sync2 = [e for e in ev if str(e['UID']) == 'report-fixture-sync-w2@certboard'][0]
assert str(sync2.decoded('DTSTART')) == '2026-01-14 10:00:00', sync2.decoded('DTSTART')
pe = [e for e in ev if 'practice-exam' in str(e['UID'])][0]
assert str(pe['SUMMARY']) == 'Full-length timed practice exam (120 minutes, 59 questions)', pe['SUMMARY']
exam = [e for e in ev if str(e['UID']) == 'report-fixture-exam@certboard'][0]
assert str(exam.decoded('DTSTART')) == '2026-03-29', exam.decoded('DTSTART')
EOF
        then pass ical_parses; else fail ical_parses "$(head -c 600 "$TMP/ics.out")"; fi
    else
        skip ical_parses "no python3-icalendar at $PY"
    fi
else
    fail ical_parses "$(head -c 300 "$TMP/ical.out")"
fi

t_exit

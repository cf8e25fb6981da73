#!/usr/bin/env bash
# test_demo.sh — `make demo` (scripts/demo.sh) in a real terminal on several
# dates (today, a Sunday, a leap day, New Year's Eve): the dashboard opens on a
# current week between 2 and 11 with non-zero progress this week, at least one
# at-risk milestone and readiness figures; q leaves it and the temporary
# store is removed.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.sh"
tm_require
DEMO_STORE=${BUILD:-$ROOT/build}/tools/demo_store
if [ ! -x "$DEMO_STORE" ]; then skip demo "demo_store not built"; exit 0; fi
BUILD=${BUILD:-$ROOT/build}
grep -q '^demo:.*demo_store' "$ROOT/Makefile" && grep -q 'scripts/demo.sh' "$ROOT/Makefile" &&
    pass make-demo-target || fail make-demo-target "no demo target running scripts/demo.sh in the Makefile"

for day in "$(date +%F)" 2027-01-03 2028-02-29 2026-12-31; do
    export TMPDIR="$TMP/tmp-$day"
    mkdir -p "$TMPDIR"
    tm_start 120 40 "sh $ROOT/scripts/demo.sh $BUILD $day"
    if ! wait_for "? help" 150; then
        fail "$day/opens" "no dashboard: $(screen | head -5)"
        tm send-keys q
        continue
    fi
    pass "$day/opens"
    week=$(screen | sed -n 's/.*Week \([0-9]*\) of 12.*/\1/p' | head -1)
    [ -n "$week" ] && [ "$week" -ge 2 ] && [ "$week" -le 11 ] && pass "$day/current-week-in-2-11" ||
        fail "$day/current-week-in-2-11" "week '$week': $(screen | head -2)"
    tm send-keys 5
    wait_for "Progress this week" 30
    screen >"$TMP/standup"
    done_now=$(sed -n '/Progress this week/,/^ *$/p' "$TMP/standup" | grep -o '[0-9]*/[0-9]*$' | awk -F/ '{s += $1} END {print s + 0}')
    [ "$done_now" -gt 0 ] && pass "$day/progress-this-week" ||
        fail "$day/progress-this-week" "$(sed -n '/Progress this week/,/^ *$/p' "$TMP/standup")"
    # readiness and the burn-up are further down the stand-up: search to them
    tm send-keys / R e a d i n e s s Space '(' p r o j e c t e d Enter
    wait_for "/Readiness (projected" 30
    screen >"$TMP/standup"
    burn=$(grep -o 'done *[0-9]* / planned' "$TMP/standup" | awk '{s += $2} END {print s + 0}')
    [ "$burn" -gt 0 ] && pass "$day/burn-up-progress" || fail "$day/burn-up-progress" "$(grep 'done' "$TMP/standup" | head -3)"
    n_ready=$(sed -n '/Readiness (projected/,/^ *$/p' "$TMP/standup" | grep -c '[0-9]% ±[0-9]')
    [ "$n_ready" -ge 6 ] && pass "$day/readiness-figures" ||
        fail "$day/readiness-figures" "$(sed -n '/Readiness/,/^ *$/p' "$TMP/standup")"
    tm send-keys 1
    if wait_for "◆ at-risk" 30; then pass "$day/at-risk-milestone"; else fail "$day/at-risk-milestone" "$(screen | head -20)"; fi
    tm send-keys q
    if wait_for "CB-EXIT=0" 50; then pass "$day/quits"; else fail "$day/quits" "$(screen | tail -5)"; fi
    left=$(find "$TMPDIR" -mindepth 1 -maxdepth 1 | head -3)
    [ -z "$left" ] && pass "$day/temp-removed" || fail "$day/temp-removed" "$left"
done
t_exit

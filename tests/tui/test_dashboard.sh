#!/usr/bin/env bash
# test_dashboard.sh — the dashboard in a real terminal (tmux) at 80x24, 120x40
# and 200x60: every pane, ticking, a second process's change appearing live,
# a resize storm, and q restoring the terminal.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.sh"
tm_require
PLAN=$ROOT/plans/de-professional.yaml
G="--plan $PLAN --today 2026-11-02"

for size in 80x24 120x40 200x60; do
    W=${size%x*} H=${size#*x}
    STORE=$TMP/store-$size
    mkdir -p "$STORE"
    tm_start "$W" "$H" "$CB $G --store $STORE --as nov1"
    if ! wait_for "? help"; then
        fail "$size/first-frame" "no footer: $(screen | head -5)"
        continue
    fi
    pass "$size/first-frame"
    ok=1
    for p in "1:Week 9" "2:Roles by phase" "3:Members" "4:Practice exams: correct rate" "5:Progress this week"; do
        tm send-keys "${p%%:*}"
        wait_for "${p#*:}" 30 || { ok=0; fail "$size/pane-${p%%:*}" "missing '${p#*:}'"; }
    done
    [ $ok = 1 ] && pass "$size/every-pane"
    check_title() { line_with "Week 9 of 12" >/dev/null; }
    check "$size/title" check_title

    # Tick the first item of this week on my checklist.
    tm send-keys 1
    wait_for "▶ Week 9" 30
    week_before=$(line_with "▶ Week 9" | grep -o '[0-9]*/[0-9]*' | tail -1)
    tm send-keys 3 l j
    wait_for "[ ] " 30
    me_before=$(line_with "*Novice 1" | grep -o '[0-9]*/[0-9]*' | tail -1)
    tm send-keys Space
    if wait_for "[x] " 30; then pass "$size/tick-checkbox"; else fail "$size/tick-checkbox" "$(screen)"; fi
    me_after=$(line_with "*Novice 1" | grep -o '[0-9]*/[0-9]*' | tail -1)
    if [ "${me_before%/*}" != "" ] && [ "${me_after%/*}" = $((${me_before%/*} + 1)) ]; then
        pass "$size/tick-member-progress"
    else
        fail "$size/tick-member-progress" "before $me_before after $me_after"
    fi
    tm send-keys 1
    wait_for "▶ Week 9" 30
    week_after=$(line_with "▶ Week 9" | grep -o '[0-9]*/[0-9]*' | tail -1)
    if [ "${week_after%/*}" = $((${week_before%/*} + 1)) ]; then
        pass "$size/tick-week-progress"
    else
        fail "$size/tick-week-progress" "before $week_before after $week_after"
    fi

    # Another member ticks from the command line: no key is pressed here.
    want="$((${week_after%/*} + 1))/${week_after#*/}"
    start=$(date +%s%N)
    if "$CB" --plan "$PLAN" --store "$STORE" --as nov2 tick cap-ingestion >"$TMP/tick.out" 2>&1 &&
        wait_for "$want" 50; then
        echo "# $size: another process's tick visible after $((($(date +%s%N) - start) / 1000000)) ms"
        pass "$size/live-update"
    else
        fail "$size/live-update" "want $want: $(cat "$TMP/tick.out"; line_with '▶ Week 9')"
    fi

    # Undo my tick (the other member's stays).
    tm send-keys 3 l
    tm send-keys u
    if wait_for "undone" 30 && wait_for "$((${want%/*} - 1))/${want#*/}" 1; then
        :
    fi
    tm send-keys 1
    if wait_for "$((${want%/*} - 1))/${want#*/}" 30; then pass "$size/undo"; else fail "$size/undo" "$(line_with '▶ Week 9')"; fi

    # Resize storm: 20 resizes down to 20x6 and back.
    for i in $(seq 1 10); do
        tm resize-window -x 20 -y 6
        tm resize-window -x $((W - i)) -y $((H - i % 3))
    done
    tm resize-window -x 20 -y 6
    wait_for "too small" 30 && pass "$size/too-small" || fail "$size/too-small" "$(screen)"
    tm resize-window -x "$W" -y "$H"
    if wait_for "? help" 50 && line_with "Week 9 of 12" >/dev/null && ! screen | grep -q CB-EXIT; then
        pass "$size/resize-storm"
    else
        fail "$size/resize-storm" "$(screen | head -5)"
    fi

    # q gives the terminal back.
    tm send-keys q
    if wait_for "CB-EXIT=0" 50 && [ "$(tm display -p '#{alternate_on}')" = 0 ]; then
        pass "$size/quit-restores"
    else
        fail "$size/quit-restores" "$(screen | tail -3)"
    fi
    tm kill-server >/dev/null 2>&1
done
# The lead sets a milestone's status through the picker (s, then one key) and
# writes a note; a member may not.
STORE=$TMP/store-lead
mkdir -p "$STORE"
tm_start 100 30 "$CB $G --store $STORE --as exp1"
if wait_for "exp1 (lead)" 50; then
    tm send-keys / K n o w l e d g e Space t r a n s f e r Enter
    wait_for "/Knowledge transfer" 30
    tm send-keys s
    wait_for "p pending · o on-track" 30 && pass lead/picker || fail lead/picker "$(screen | tail -2)"
    tm send-keys o
    if wait_for "on-track  Knowledge transfer complete" 30; then pass lead/status; else fail lead/status "$(screen | grep -a Knowledge)"; fi
    tm send-keys e C-u o n Space t r a c k Enter
    # the search lands in the stand-up's at-risk list: week 7 is over and it is not done
    if wait_for "Knowledge transfer complete (team, week 7): past its week, not done — on track" 30; then pass lead/note; else fail lead/note "$(screen | grep -a Knowledge)"; fi
    tm send-keys q
    wait_for "CB-EXIT=0" 50
    tm_start 100 30 "$CB $G --store $STORE --as nov1"
    wait_for "nov1" 50
    tm send-keys / K n o w l e d g e Space t r a n s f e r Enter
    wait_for "/Knowledge transfer" 30
    tm send-keys s
    if wait_for "on-track  Knowledge transfer complete" 30 && ! wait_for "at-risk   Knowledge transfer" 10 &&
        screen | tail -2 | grep -qi "lead"; then
        pass member/status-refused
    else
        fail member/status-refused "$(screen | tail -2)"
    fi
    tm send-keys q
    wait_for "CB-EXIT=0" 50
else
    fail lead/start "$(screen | tail -3)"
fi

# Colors by default; NO_COLOR leaves only bold, reverse, underline and dim.
STORE=$TMP/store-color
mkdir -p "$STORE"
colors() { tm capture-pane -p -e | grep -c $'\e\[[0-9;]*\(3[0-7]\|4[0-7]\|38;\|48;\)[0-9;]*m'; }
tm_start 80 24 "$CB $G --store $STORE --as nov1"
wait_for "? help" 50
with=$(colors)
tm send-keys q
wait_for "CB-EXIT=0" 50
tm_start 80 24 "NO_COLOR=1 $CB $G --store $STORE --as nov1"
wait_for "? help" 50
without=$(colors)
tm send-keys q
wait_for "CB-EXIT=0" 50
if [ "$with" -gt 0 ] && [ "$without" = 0 ]; then
    pass no-color
else
    fail no-color "lines with color codes: $with by default, $without with NO_COLOR"
fi

# SIGTERM (and SIGINT, SIGHUP) end the loop and restore the terminal.
STORE=$TMP/store-signal
mkdir -p "$STORE"
tm_start 80 24 "$CB $G --store $STORE --as nov1"
if wait_for "? help" 50; then
    dash=$(pgrep -P "$(tm display -p '#{pane_pid}')" | head -1)
    [ -n "$dash" ] && kill -TERM "$dash"
    if wait_for "CB-EXIT=0" 50 && [ "$(tm display -p '#{alternate_on}')" = 0 ]; then
        pass sigterm-restores
    else
        fail sigterm-restores "$(screen | tail -3)"
    fi
else
    fail sigterm-restores "no first frame"
fi

# A guest (no --as, no plan login for this OS user) can look but not tick.
STORE=$TMP/store-guest
mkdir -p "$STORE"
tm_start 80 24 "env -u CERTBOARD_MEMBER $CB $G --store $STORE"
if wait_for "viewing as guest" 50; then
    pass guest/notice
    tm send-keys 3 l j Space
    wait_for "start with --as MEMBER" 30 && pass guest/tick-refused || fail guest/tick-refused "$(screen | tail -2)"
    tm send-keys '?'
    wait_for "Keys (j/k scroll" 30 && pass guest/help || fail guest/help "$(screen | head -4)"
    tm send-keys Escape / L o a d e r Enter
    wait_for "/Loader" 30 && pass guest/search || fail guest/search "$(screen | tail -2)"
    tm send-keys Enter
    wait_for "Details (any key closes)" 30 && pass guest/details || fail guest/details "$(screen | head -4)"
    tm send-keys Escape q
    wait_for "CB-EXIT=0" 50 && pass guest/quit || fail guest/quit "$(screen | tail -3)"
else
    fail guest/notice "$(screen | tail -3)"
fi
t_exit

#!/usr/bin/env bash
# test_roles.sh — each role's job in the fewest keys, in a real terminal
# (tmux) at 120x40 and 80x24, the lead and a member side by side (two tmux
# sessions of one server, on one store):
#   - the lead opens on the Stand-up pane, sets this week's first milestone at
#     risk with a note in two keys plus the note (s, a, note, Enter), and marks
#     the stand-up held (H);
#   - a member opens on My week, ticks this week's first two items, blocks the
#     next one with a note (b, note, Enter);
#   - the lead's pane shows the blocker, leading the pane, within the refresh
#     interval, and its changes since the last stand-up start at the mark: the
#     same count as `report --format json`;
#   - u says what it undid.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.sh"
tm_require
PY=${PYTHON:-python3}
PLAN=$ROOT/plans/de-professional.yaml
G="--plan $PLAN --today 2026-09-21" # week 3: two milestones this week
export XDG_DATA_HOME=$TMP/data

# Two named sessions in one private server.
at() { tm capture-pane -p -t "$1"; }
# wait_at SESSION TEXT [TENTHS]: polls the session's screen for TEXT.
wait_at() {
    local i
    for i in $(seq 1 "${3:-50}"); do
        at "$1" >"$TMP/screen-$1" 2>/dev/null
        grep -qF -- "$2" "$TMP/screen-$1" && return 0
        sleep 0.1
    done
    return 1
}
keys() { local s=$1; shift; tm send-keys -t "$s" "$@"; }
open_as() { # SESSION W H MEMBER
    tm new-session -d -s "$1" -x "$2" -y "$3" "env PS1='$ ' bash --norc --noprofile"
    tm set-option -g status off >/dev/null
    tm send-keys -t "$1" "$CB $G --store $STORE --as $4; echo CB-EXIT=\$?" Enter
}

for size in 120x40 80x24; do
    W=${size%x*} H=${size#*x}
    STORE=$TMP/store-$size
    mkdir -p "$STORE"
    tm kill-server >/dev/null 2>&1
    TM_N=$((TM_N + 1))
    TM_SOCK=cbtest-$$-$TM_N
    open_as lead "$W" "$H" exp1
    open_as member "$W" "$H" nov1

    # --- the lead: home is the Stand-up pane, the first milestone selected.
    if wait_at lead "Blockers: 0" 50 && wait_at lead "◆ pending   All members complete" 1; then
        pass "$size/lead-home-standup"
    else
        fail "$size/lead-home-standup" "$(head -5 "$TMP/screen-lead")"
        continue
    fi
    keys lead s
    wait_at lead "o on-track · a at-risk" 30 || fail "$size/lead-picker" "$(tail -2 "$TMP/screen-lead")"
    keys lead a
    keys lead C-u
    keys lead -l "two members behind"
    keys lead Enter # s, a, the note, Enter: one change
    wait_at lead "at-risk   All members complete foundational learning paths" 30
    note=$("$CB" $G --store "$STORE" report --format json |
        "$PY" -c 'import json,sys; d=json.load(sys.stdin); print([m["status"] + " " + (m["note"] or "") for m in d["milestones"]][0])')
    if grep -q "at-risk   All members complete foundational learning paths" "$TMP/screen-lead" &&
        [ "$note" = "at-risk two members behind" ] &&
        { [ "$W" -lt 120 ] || grep -q "(team, week 3) — two members behind" "$TMP/screen-lead"; }; then
        pass "$size/lead-at-risk-with-note"
    else
        fail "$size/lead-at-risk-with-note" "report: $note; pane: $(grep -a 'All members' "$TMP/screen-lead")"
    fi
    n=$("$CB" $G --store "$STORE" log | grep -c "set milestone")
    [ "$n" = 1 ] && pass "$size/lead-one-event" || fail "$size/lead-one-event" "$n milestone changes"
    keys lead H
    wait_at lead "stand-up marked held" 30
    keys lead / C h a n g e s Space s i n c e Enter # at 80x24 the list is further down
    if wait_at lead ", held at " 30 && wait_at lead "): 0" 10; then
        pass "$size/lead-marks-held"
    else
        fail "$size/lead-marks-held" "$(grep -a 'Changes since\|stand-up' "$TMP/screen-lead")"
    fi
    keys lead g # back to the top, where blockers lead

    # --- the member: home is My week, this week's items first.
    if wait_at member "My week: Novice 1 · due this week 0 of 6 done" 50; then
        pass "$size/member-home-myweek"
    else
        fail "$size/member-home-myweek" "$(head -4 "$TMP/screen-member")"
        continue
    fi
    keys member Space
    wait_at member "due this week 1 of 6 done" 30 && keys member j Space
    if wait_at member "due this week 2 of 6 done" 30; then
        pass "$size/member-ticks"
    else
        fail "$size/member-ticks" "$(head -6 "$TMP/screen-member")"
    fi
    keys member j b
    wait_at member "blocked, why:" 30 || fail "$size/member-block-prompt" "$(tail -2 "$TMP/screen-member")"
    keys member -l "no sandbox access"
    keys member Enter
    if wait_at member "My blockers: 1" 30 && wait_at member "no sandbox access" 1; then
        pass "$size/member-blocks"
    else
        fail "$size/member-blocks" "$(grep -a 'blocker\|sandbox' "$TMP/screen-member")"
    fi

    # --- the lead's pane shows the blocker (no key pressed there), first.
    start=$(date +%s%N)
    if wait_at lead "Blockers: 1" 50 && wait_at lead "no sandbox access" 1; then
        echo "# $size: the member's blocker on the lead's pane after $((($(date +%s%N) - start) / 1000000)) ms"
        pass "$size/lead-sees-blocker"
    else
        fail "$size/lead-sees-blocker" "$(head -6 "$TMP/screen-lead")"
    fi
    # the changes since the mark: the member's three, in the pane and the report
    keys lead n
    want=$("$CB" $G --store "$STORE" report --format json |
        "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(len(d["changes"]), d["summary"]["since_mark_by"])')
    if [ "$want" = "3 exp1" ] && wait_at lead "): 3" 30 && wait_at lead "Novice 1: 3 changes" 10; then
        pass "$size/changes-start-at-mark"
    else
        fail "$size/changes-start-at-mark" "report: $want; pane: $(grep -a 'Changes since\|changes$' "$TMP/screen-lead")"
    fi

    # --- ticking a build item asks for its link (the team library)
    keys member j Space
    if wait_at member "link to what you built" 30; then
        keys member -l "https://example.invalid/nb/1"
        keys member Enter
        wait_at member "linked a-hands-on: https://example.invalid/nb/1" 30 &&
            pass "$size/member-link-prompt" || fail "$size/member-link-prompt" "$(tail -2 "$TMP/screen-member")"
    else
        fail "$size/member-link-prompt" "$(tail -2 "$TMP/screen-member")"
    fi

    # --- u says what it undid (the link, then the tick stays)
    keys member u
    if wait_at member "undid: nov1 linked Free Edition hands-on" 30 && wait_at member "due this week 3 of 6 done" 10; then
        pass "$size/undo-says-what"
    else
        fail "$size/undo-says-what" "$(tail -2 "$TMP/screen-member")"
    fi

    # --- a practice exam through the form (x): the readiness row changes
    keys member 5 / R e a d i n e s s Space "(" p r o j e c t e d Enter
    wait_at member "Readiness (projected score" 30
    before=$(grep -a "Novice 1 " "$TMP/screen-member" | grep -a "practice exam\|±" | head -1)
    keys member x
    wait_at member "date (Enter: 2026-09-21)" 30 || fail "$size/exam-form-opens" "$(tail -2 "$TMP/screen-member")"
    keys member Enter
    keys member -l "Set A"
    keys member Enter
    keys member -l "95"
    keys member Enter Enter # minutes, then results domain by domain
    wait_at member "1/10 Developing Code" 30
    keys member -l "10/13"
    keys member Enter
    keys member -l "9/9" # domain 2: right must not exceed asked, this is fine
    keys member Enter
    for i in 3 4 5 6 7 8 9 10; do keys member Enter; done
    if wait_at member "recorded practice exam nov1-20260921-1: 19/22" 30; then
        pass "$size/exam-form-records"
    else
        fail "$size/exam-form-records" "$(tail -2 "$TMP/screen-member")"
    fi
    keys member / R e a d i n e s s Space "(" p r o j e c t e d Enter
    wait_at member "Readiness (projected score" 30
    after=$(grep -a "Novice 1 " "$TMP/screen-member" | grep -a "practice exam\|±" | head -1)
    case "$before|$after" in
    *"no practice exam yet"*"|"*"±"*) pass "$size/exam-readiness-changes" ;;
    *) fail "$size/exam-readiness-changes" "before: $before; after: $after" ;;
    esac

    # --- the attempt in My week: Enter shows it, x edits it (the form comes
    # prefilled), D deletes it, u brings it back
    keys member 6 / M y Space p r a c t i c e Enter j Enter
    if wait_at member "Practice exam nov1-20260921-1" 30 && wait_at member "Developing Code for Data Processing using Python and SQL: 10 of 13" 1; then
        pass "$size/attempt-detail"
    else
        fail "$size/attempt-detail" "$(head -12 "$TMP/screen-member")"
    fi
    keys member Escape x Enter Enter Enter Enter # date, source, minutes kept; per domain
    wait_at member "1/10 Developing Code" 30
    keys member C-u
    keys member -l "12/13"
    keys member Enter
    for i in 2 3 4 5 6 7 8 9 10; do keys member Enter; done
    wait_at member "updated practice exam nov1-20260921-1: 21/22" 30 && pass "$size/attempt-edit" ||
        fail "$size/attempt-edit" "$(tail -2 "$TMP/screen-member")"
    keys member D
    wait_at member "deleted practice exam nov1-20260921-1" 30 && keys member u &&
        wait_at member "undid: nov1 deleted practice exam nov1-20260921-1" 30 &&
        pass "$size/attempt-delete-undo" || fail "$size/attempt-delete-undo" "$(tail -2 "$TMP/screen-member")"
    n=$("$CB" $G --store "$STORE" --as nov1 exam list | grep -c "nov1-20260921-1.*21/22")
    [ "$n" = 1 ] && pass "$size/attempt-back" || fail "$size/attempt-back" "$("$CB" $G --store "$STORE" --as nov1 exam list)"

    # --- Checklists: the member list takes what it needs; names stay whole
    # and distinct (at 80x24 the bar gives way first)
    keys member 3
    wait_at member " Members" 30
    names=$(grep -a "^  Intermediate [12] \|^ \*Novice 1 " "$TMP/screen-member" | wc -l)
    if [ "$names" = 3 ] && ! sed -n '/^ Members/,$p' "$TMP/screen-member" | grep -a "│" | sed 's/│.*//' | grep -q "…"; then
        pass "$size/member-names-distinct"
    else
        fail "$size/member-names-distinct" "$(sed -n 3,10p "$TMP/screen-member")"
    fi

    # --- a pod member: p shows only the pod; Enter on a row opens its detail
    open_as pod "$W" "$H" int1
    if wait_at pod "My week: Intermediate 1" 50; then
        keys pod 4 p
        wait_at pod "Pod view: The Production Backbone" 30 && pass "$size/pod-view" ||
            fail "$size/pod-view" "$(head -4 "$TMP/screen-pod")"
        keys pod / w o r s t Space f i r s t Enter j Enter
        if wait_at pod "Details (any key closes)" 30 && wait_at pod "domain " 1 &&
            wait_at pod "practice exams that asked it" 1; then
            pass "$size/pod-domain-detail"
        else
            fail "$size/pod-domain-detail" "$(head -8 "$TMP/screen-pod")"
        fi
        keys pod Escape p
        wait_at pod "Exam domains by weight" 30 || wait_at pod "Practice exams: correct rate" 1 &&
            pass "$size/pod-view-off" || fail "$size/pod-view-off" "$(head -4 "$TMP/screen-pod")"
        keys pod q
    else
        fail "$size/pod-home" "$(head -4 "$TMP/screen-pod")"
    fi

    keys lead q
    keys member q
    wait_at lead "CB-EXIT=0" 50 && wait_at member "CB-EXIT=0" 50 && pass "$size/quit" ||
        fail "$size/quit" "$(tail -2 "$TMP/screen-lead")"
    tm kill-server >/dev/null 2>&1
done
t_exit

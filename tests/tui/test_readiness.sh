#!/usr/bin/env bash
# test_readiness.sh — the exam-readiness views in a real terminal (tmux) at
# 80x24 and 120x40: practice-exam attempts recorded from the command line for
# two members appear in the Domains pane's heatmap and team hit list, and the
# Stand-up pane shows who is behind, the projected scores and the burn-up.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.sh"
tm_require
PLAN=$ROOT/plans/de-professional.yaml
G="--plan $PLAN --today 2026-11-02"

# The numbers, by hand (docs/readiness.md):
#   nov1: dev-code 10/13 = 77%, cost-perf 4/8 = 50%, security 3/6 = 50%
#   int1: dev-code 12/13 = 92%, cost-perf 2/8 = 25%, monitoring 5/6 = 83%
#   team: cost-perf 6/16 right, miss 62.5% x weight 13 = 8.1 points: first;
#         security 3/6, miss 50% x 10 = 5.0; dev-code 22/26, miss 15.4% x 22 = 3.4
#   projected nov1 63.1%, int1 70.6% (the unit tests pin the formula)
record() {
    "$CB" $G --store "$1" --as exp1 exam record --member nov1 --date 2026-10-20 \
        --domain dev-code=10/13 --domain cost-perf=4/8 --domain security=3/6 &&
        "$CB" $G --store "$1" --as exp1 exam record --member int1 --date 2026-10-25 \
            --domain dev-code=12/13 --domain cost-perf=2/8 --domain monitoring=5/6 &&
        "$CB" --plan "$PLAN" --store "$1" --as nov1 tick a-free-edition
}

# contains NAME LINE WORD...: LINE (one screen line) holds every WORD.
contains() {
    local n=$1 line=$2 w
    shift 2
    for w in "$@"; do
        case $line in
        *"$w"*) ;;
        *) fail "$n" "no '$w' in: ${line:-(no such line)}"; return ;;
        esac
    done
    pass "$n"
}

for size in 80x24 120x40; do
    W=${size%x*} H=${size#*x}
    STORE=$TMP/store-$size
    mkdir -p "$STORE"
    if ! record "$STORE" >"$TMP/record.out" 2>&1; then
        fail "$size/record" "$(cat "$TMP/record.out")"
        continue
    fi
    pass "$size/record"
    tm_start "$W" "$H" "$CB $G --store $STORE --as nov1"
    if ! wait_for "? help"; then
        fail "$size/first-frame" "no footer: $(screen | head -5)"
        continue
    fi

    # Domains: the heatmap (domain x member) and the team hit list lead the
    # pane, so both are on the first screen even at 80x24.
    tm send-keys 4
    wait_for "Team hit list" 30
    contains "$size/heatmap-head" "$(line_with 'Domain ')" nov1 nov2 int1 int2 exp1
    heat=$(line_with "Developing Code ")
    contains "$size/heatmap-dev-code" "$heat" "77%" "92%"
    [ "$(echo "$heat" | grep -o -- '--' | wc -l)" = 4 ] && pass "$size/heatmap-not-asked" ||
        fail "$size/heatmap-not-asked" "want 4 empty cells: $heat"
    contains "$size/heatmap-cost-perf" "$(line_with 'Cost & Perf')" "50%" "25%"
    contains "$size/hit-list-top" "$(line_with ' 1. ')" "Cost & Perf" "miss 62%" "weighted 8.1"
    contains "$size/hit-list-second" "$(line_with ' 2. ')" "Security" "miss 50%" "weighted 5.0"
    if screen | grep -q -- "weighted -"; then
        fail "$size/hit-list-no-sentinel" "$(screen | grep -- 'weighted -')"
    else
        pass "$size/hit-list-no-sentinel"
    fi
    if [ "$H" -ge 40 ]; then
        contains "$size/hit-list-not-asked" "$(line_with ' 5. ')" "not asked yet"
    fi

    # Stand-up: who is behind; readiness and the burn-up further down (a
    # search takes one there).
    tm send-keys 5
    wait_for "Progress this week" 30
    contains "$size/behind" "$(line_with 'Novice 1 ·')" "behind · "
    tm send-keys / "Readiness (projected" Enter
    wait_for "Readiness (projected score" 10
    contains "$size/readiness-nov1" "$(line_with '63.1% ±')" "Novice 1" "not ready"
    contains "$size/readiness-int1" "$(line_with '70.6% ±')" "Intermediate 1" "not ready"
    contains "$size/readiness-none" "$(line_with 'Novice 2  ')" "no practice exam yet"
    for i in 1 2 3; do # 80x24: page down until the whole burn-up shows
        wait_for "Week 12 " 5 && break
        tm send-keys NPage
    done
    contains "$size/burnup-week1" "$(line_with 'Week  1 ')" "done 0" "planned 20"
    contains "$size/burnup-this-week" "$(line_with 'Week  9 ')" "done 1" "planned 174"
    contains "$size/burnup-future" "$(line_with 'Week 10 ')" "done  -" "planned 198"

    tm send-keys q
    if wait_for "CB-EXIT=0" 50; then pass "$size/quit"; else fail "$size/quit" "$(screen | tail -3)"; fi
    tm kill-server >/dev/null 2>&1
done
t_exit

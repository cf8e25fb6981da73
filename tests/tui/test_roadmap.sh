#!/usr/bin/env bash
# test_roadmap.sh — the roadmap plan (three exams) in a real terminal (tmux)
# at 80x24 and 120x40: the title bar counts down to the team's next exam, the
# stand-up shows the readiness for that exam only, and both move on to the
# next exam, live, once every member's pass of the first is recorded.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.sh"
tm_require
PLAN=$ROOT/plans/certification-roadmap.yaml
G="--plan $PLAN --today 2026-09-28"

# The numbers, by hand (docs/readiness.md, several exams), for lrn1:
#   GenAI (4 domains, 25 each): 9/10, 8/10, 9/10, 8/10 -> .25 x 3.4 = 85.0%
#   DE Associate (5 domains, 20 each): 5/9 6/9 5/9 6/9 4/9 -> .2 x 26/9 = 57.8%
# Each attempt counts only for its own exam.
record() {
    "$CB" $G --store "$1" --as lrn1 exam record --date 2026-09-22 --domain genai-llm=9/10 \
        --domain genai-prompt=8/10 --domain genai-vector=9/10 --domain genai-mlflow=8/10 &&
        "$CB" $G --store "$1" --as lrn1 exam record --date 2026-09-27 \
            --domain de-spark-sql=5/9 --domain de-delta=6/9 --domain de-etl=5/9 \
            --domain de-ingestion=6/9 --domain de-transform=4/9
}

contains() { # NAME LINE WORD...: LINE (one screen line) holds every WORD.
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
    tm_start "$W" "$H" "$CB $G --store $STORE --as lrn1"
    if ! wait_for "Tab pane"; then
        fail "$size/first-frame" "no footer: $(screen | head -5)"
        continue
    fi
    contains "$size/title-first-exam" "$(screen | head -1)" "GenAI Associate was yesterday │"

    # Stand-up: the readiness for the team's next exam (GenAI still: nobody
    # recorded a pass), from the GenAI attempt alone.
    tm send-keys 5
    wait_for "Progress this week" 30
    tm send-keys / "Readiness for" Enter
    wait_for "Readiness for GenAI Associate" 20 && pass "$size/standup-genai" ||
        fail "$size/standup-genai" "$(screen | head -12)"
    contains "$size/readiness-genai" "$(line_with '% ±')" "Learner 1" "85.0% ±" "ready to book"

    # Every member passed GenAI (recorded on the command line, by the lead):
    # the running dashboard moves on to the DE Associate exam.
    for m in lrn1 lrn2 lrn3; do
        "$CB" $G --store "$STORE" --as lrn1 exam result genai passed --member "$m" \
            --date 2026-09-26 --score 80 >>"$TMP/result.out" 2>&1 ||
            fail "$size/result-$m" "$(cat "$TMP/result.out")"
    done
    if wait_for "DE Associate in 27 days │" 100; then pass "$size/title-moves-on"; else
        fail "$size/title-moves-on" "$(screen | head -1)"
    fi
    tm send-keys / "Readiness for" Enter
    wait_for "Readiness for DE Associate" 20 && pass "$size/standup-de" ||
        fail "$size/standup-de" "$(screen | head -12)"
    contains "$size/readiness-de" "$(line_with '% ±')" "Learner 1" "57.8% ±" "not ready"
    tm send-keys g / "Next exam:" Enter
    wait_for "Next exam: Databricks Data Engineer Associate" 20 && pass "$size/standup-next-exam" ||
        fail "$size/standup-next-exam" "$(screen | head -12)"
    if [ "$H" -ge 40 ]; then
        contains "$size/standup-who-passed" "$(line_with 'Databricks GenAI Associate ·')" "passed 3 of 3"
    fi

    tm send-keys q
    if wait_for "CB-EXIT=0" 50; then pass "$size/quit"; else fail "$size/quit" "$(screen | tail -3)"; fi
    tm kill-server >/dev/null 2>&1
done
t_exit

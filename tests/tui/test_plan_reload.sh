#!/usr/bin/env bash
# test_plan_reload.sh — the plan file edited while the dashboard runs: the new
# titles show within the refresh interval without a restart; a broken version
# is named (file:line:col) in the status line and the previous one stays on
# screen; fixing the file brings the new version back.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.sh"
tm_require
PLAN=$TMP/plan.yaml
cp "$ROOT/plans/de-professional.yaml" "$PLAN"
STORE=$TMP/store
mkdir -p "$STORE"

for size in 80x24 120x40; do
    cp "$ROOT/plans/de-professional.yaml" "$PLAN"
    tm_start "${size%x*}" "${size#*x}" "$CB --plan $PLAN --store $STORE --today 2026-11-02 --as nov1"
    if ! wait_for "? help"; then
        fail "$size/start" "$(screen | head -5)"
        continue
    fi
    tm send-keys 1
    wait_for "▶ Week 9" 30 || { fail "$size/timeline" "$(screen | head -8)"; continue; }
    # an edit: week 9's theme gets a new title
    grep -q 'theme: "Capstone: scope and ingest"' "$PLAN" || { fail "$size/fixture" "week 9's theme changed"; continue; }
    sed -i 's/theme: "Capstone: scope and ingest"/theme: "Reloaded live: capstone week"/' "$PLAN"
    if wait_for "Reloaded live" 30; then pass "$size/new-title-shown"; else fail "$size/new-title-shown" "$(screen | grep -a 'Week 9')"; fi
    # a broken version: named, and the screen keeps the last good plan
    printf 'plan:\n  id: [broken\n' >>"$PLAN"
    if wait_for "plan not reloaded, the previous version stays: $PLAN:" 30 && screen | grep -q "Reloaded live"; then
        pass "$size/broken-version-named"
    else
        fail "$size/broken-version-named" "$(screen | tail -3)"
    fi
    # fixed again: the new version comes back
    sed -i '$d' "$PLAN"; sed -i '$d' "$PLAN"
    sed -i 's/Reloaded live: capstone week/Reloaded twice/' "$PLAN"
    if wait_for "Reloaded twice" 30; then pass "$size/fixed-version-shown"; else fail "$size/fixed-version-shown" "$(screen | tail -3)"; fi
    tm send-keys q
    wait_for "CB-EXIT=0" 50 && pass "$size/quit" || fail "$size/quit" "$(screen | tail -3)"
done
t_exit

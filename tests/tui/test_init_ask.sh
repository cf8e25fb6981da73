#!/usr/bin/env bash
# test_init_ask.sh — `certboard init` without options in a terminal asks for
# the template, the first Monday, the members (a bad level is explained and
# asked again), the weeks to skip and the output file, then writes a plan
# that validates without a warning.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.sh"
tm_require
cd "$TMP" || exit 1
tm_start 120 30 "cd $TMP && $CB init"
answer() { # PROMPT TEXT: waits for PROMPT, types TEXT and Enter
    if ! wait_for "$1" 50; then fail "prompt-$2" "no '$1': $(screen | grep . | tail -5)"; return 1; fi
    tm send-keys -l "$2"
    tm send-keys Enter
}
answer "Template (" "ml-associate"
answer "First Monday" "2027-01-04"
answer "Member:" "Alice Smith:experienced"
answer "Member (empty: done):" "Bob:guru"
wait_for "unknown level 'guru'" 30 && pass bad-level-explained || fail bad-level-explained "$(screen | tail -4)"
answer "Member (empty: done):" "Bob:novice"
# wait for the fresh prompt after Bob before ending the list
sleep 0.3
answer "Member (empty: done):" ""
answer "Weeks to skip" "2027-02-10"
answer "Write the plan to" "asked.yaml"
if wait_for "CB-EXIT=0" 50; then pass asks-and-writes; else fail asks-and-writes "$(screen | tail -6)"; fi
"$CB" validate "$TMP/asked.yaml" >"$TMP/v" 2>&1
[ "$(cat "$TMP/v")" = "$TMP/asked.yaml: ok" ] && pass validates || fail validates "$(cat "$TMP/v")"
"$CB" show "$TMP/asked.yaml" >"$TMP/show" 2>&1
grep -q "^Start: *2027-01-04" "$TMP/show" && grep -q "^Breaks: *2027-02-08" "$TMP/show" &&
    [ "$(sed -n 's/^Members (\([0-9]*\)):$/\1/p' "$TMP/show")" = 2 ] && grep -q "ml-associate\|Machine Learning" "$TMP/show" &&
    pass answers-used || fail answers-used "$(head -12 "$TMP/show")"
t_exit

#!/usr/bin/env bash
# test_grammar.sh — numbers read as English on every output: no "1 days",
# "exam was 1 days ago", "-1 days to the exam" or "1 milestones", around the
# exam day and in `show`.
. "$(dirname "$0")/../lib.sh"
unset CERTBOARD_MEMBER CERTBOARD_TODAY CERTBOARD_STORE CERTBOARD_PLAN
export XDG_DATA_HOME=$TMP/data
PLAN=$ROOT/plans/de-professional.yaml
G="--plan $PLAN --store $TMP/store"
mkdir -p "$TMP/store"
exam=$("$CB" $G report --format json | sed -n 's/.*"exam_day": "\(.*\)".*/\1/p')
[ -n "$exam" ] || { fail exam-day "no exam_day in the report"; exit 1; }
bad='(^|[^0-9])(1 days|-[0-9]+ days|1 milestones|1 activities|1 weeks|1 items)'
for off in -3 -2 -1 0 1 2; do
    day=$(date -u -d "$exam $off days" +%F)
    { "$CB" $G --today "$day" dump standup --size 120x5 | head -1
      "$CB" $G --today "$day" report | sed -n 2p; } >"$TMP/out.$off"
    if grep -Eq "$bad" "$TMP/out.$off"; then fail "exam$off" "$(cat "$TMP/out.$off")"; else pass "exam$off"; fi
done
grep -q "exam tomorrow" "$TMP/out.-1" && grep -q "exam was yesterday" "$TMP/out.1" &&
    grep -q "exam today" "$TMP/out.0" && pass exam-words || fail exam-words "$(cat "$TMP"/out.*)"
"$CB" show "$ROOT/tests/data/plans/minimal.yaml" >"$TMP/show"
if grep -Eq "$bad" "$TMP/show"; then fail show "$(grep -E "$bad" "$TMP/show" | head -3)"; else pass show; fi
grep -q " 1 milestone " "$TMP/show" && pass show-counts || fail show-counts "$(sed -n '/Weeks/,+4p' "$TMP/show")"
t_exit

#!/usr/bin/env bash
# test_blockers.sh — `block`, `unblock`, `tick --link` and `standup held` from
# the command line: what they store, what they refuse (nothing stored then),
# and where they show: `report --format json`, `export`, `log`, the Stand-up,
# My week and Domains panes. Hostile notes and links reach no output raw.
. "$(dirname "$0")/../lib.sh"

PY=${PYTHON:-python3}
unset CERTBOARD_MEMBER CERTBOARD_TODAY CERTBOARD_STORE CERTBOARD_PLAN
export XDG_DATA_HOME=$TMP/data
PLAN=$ROOT/plans/de-professional.yaml
G="--plan $PLAN --store $TMP/store"
export CERTBOARD_TODAY=2026-10-05 # week 5 (a change is stamped now whatever the day the views count from)
mkdir -p "$TMP/store"
cb() { "$CB" $G "$@"; }
json() { "$PY" -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# a note with an escape sequence or a bidi override is refused at input (it can
# still come in another client's shard: tests/tui/test_hostile.sh); one that
# starts like a CSV formula is kept, and neutralised in the CSV
expect_status block-control-refused 1 cb --as exp1 block p1-build-dev-code --note $'\e[31mred\u202eevil'
EVIL='=cmd|red evil'
expect_status block 0 cb --as exp1 block p1-build-dev-code --note "$EVIL"
expect_status block-needs-note 1 cb --as exp2 block p1-build-dev-code
expect_status block-others-refused 1 cb --as exp2 block p1-build-dev-code --member exp1 --note x
expect_status block-unknown-item 1 cb --as exp2 block p1-build-dev-cod --note x
grep -q "did you mean 'p1-build-dev-code'" "$TMP/out" && pass unknown-item-suggests ||
    fail unknown-item-suggests "$(cat "$TMP/out")"
expect_status unblock-not-blocked 1 cb --as exp2 unblock p1-build-dev-code
expect_status lead-blocks-for-member 0 cb --as exp1 block p1-build-aqe --member exp2 --note 'waiting on a cluster'
n=$(cb log | wc -l)
[ "$n" = 2 ] && pass refusals-store-nothing || fail refusals-store-nothing "$n changes: $(cb log)"

# report and export: the blockers, item by item
cb report --format json >"$TMP/r.json"
"$PY" - "$TMP/r.json" "$EVIL" <<'PY' >"$TMP/py" 2>&1 && pass report-blockers || fail report-blockers "$(tail -3 "$TMP/py")"
import json, sys
d = json.load(open(sys.argv[1]))
b = [(x["member"], x["item"], x["note"]) for x in d["blockers"]]
assert b == [("exp1", "p1-build-dev-code", sys.argv[2]), ("exp2", "p1-build-aqe", "waiting on a cluster")], b
assert d["summary"]["blockers"] == 2
PY
cb export --format json | json 'd["items"][[i["id"] for i in d["items"]].index("p1-build-aqe")]["blockers"]' >"$TMP/e"
[ "$(cat "$TMP/e")" = "{'exp2': 'waiting on a cluster'}" ] && pass export-blockers || fail export-blockers "$(cat "$TMP/e")"

# the panes: blockers lead the Stand-up; the item says blocked; nothing raw
cb --as exp1 dump standup --size 120x40 >"$TMP/standup.txt"
sed -n 3p "$TMP/standup.txt" | grep -q "Blockers: 2" && pass standup-blockers-first ||
    fail standup-blockers-first "$(sed -n 3,6p "$TMP/standup.txt")"
grep -q "⊘ Experienced 2   waiting on a cluster — Build: notebook showcasing Spark Adaptive" "$TMP/standup.txt" &&
    pass standup-blocker-row || fail standup-blocker-row "$(sed -n 3,6p "$TMP/standup.txt")"
cb --as exp2 dump checklists --filter all --size 160x60 | grep "Adaptive Query" | grep -q "blocked ·" &&
    pass item-shows-blocked || fail item-shows-blocked "$(cb --as exp2 dump checklists --filter all --size 160x60 | grep 'Adaptive')"
for out in "dump standup --size 120x40" "dump myweek --size 120x40" log "report" "report --format csv" "report --format md"; do
    if cb --as exp1 $out 2>&1 | grep -q $'\e\|\u202e'; then fail "no-raw-escape/${out%% *}" "raw control in $out"; else pass "no-raw-escape/${out%% *}"; fi
done
cb report --format csv | grep -q "'=cmd" && pass csv-formula-neutralised || fail csv-formula-neutralised "$(cb report --format csv | grep cmd)"

# a tick ends the blocker; unblock ends the other
expect_status tick-ends-block 0 cb --as exp1 tick p1-build-dev-code
expect_status unblock 0 cb --as exp1 unblock p1-build-aqe --member exp2
[ "$(cb report --format json | json 'len(d["blockers"])')" = 0 ] && pass blockers-cleared ||
    fail blockers-cleared "$(cb report --format json | json 'd["blockers"]')"
expect_status block-done-refused 1 cb --as exp1 block p1-build-dev-code --note late

# tick --link: the team library, in the report, export and the Domains pane
LINK='https://example.invalid/notebooks/aqe?x=1&y="2"'
expect_status tick-link 0 cb --as exp2 tick p1-build-aqe --link "$LINK"
grep -qF "; link: $LINK" "$TMP/out" && pass tick-link-says || fail tick-link-says "$(cat "$TMP/out")"
expect_status link-control-refused 1 cb --as exp2 tick p1-build-zorder --link $'a\nb'
[ "$(cb report --format json | json '[(a["member"], a["item"], a["domain"], a["link"]) for a in d["assets"]]')" = \
    "[('exp2', 'p1-build-aqe', 'cost-perf', '$LINK')]" ] && pass report-assets ||
    fail report-assets "$(cb report --format json | json 'd["assets"]')"
cb export --format json | json 'd["items"][[i["id"] for i in d["items"]].index("p1-build-aqe")]["links"]["exp2"]' >"$TMP/e"
[ "$(cat "$TMP/e")" = "$LINK" ] && pass export-links || fail export-links "$(cat "$TMP/e")"
cb --as exp2 dump domains --size 160x200 | grep -qF "library $LINK · Build: notebook showcasing" &&
    pass domains-library || fail domains-library "$(cb --as exp2 dump domains --size 160x200 | grep -i library)"
cb --as exp2 dump domains --size 160x60 --keys p | grep -qF "library $LINK" &&
    pass pod-view-library || fail pod-view-library "$(cb --as exp2 dump domains --size 160x60 --keys p | head -8)"

# the stand-up mark: lead only; export names it
expect_status standup-member-refused 1 cb --as exp2 standup held
expect_status standup-held 0 cb --as exp1 standup held
expect_status standup-bad-arg 2 cb --as exp1 standup done
cb export --format json | json 'd["standup"]["mark"]["by"], d["standup"]["changes_since"]' >"$TMP/e"
[ "$(cat "$TMP/e")" = "exp1 0" ] && pass export-standup || fail export-standup "$(cat "$TMP/e")"
# Space on a blocker row ticks the item, which ends the blocker (the lead,
# from the Stand-up pane)
expect_status block-again 0 cb --as exp2 block p1-build-dev-code --note 'no cluster'
done_before=$(cb report --format json | json 'd["progress"][5]["done"]')
cb --as exp1 dump standup --size 120x30 --keys "gj " | sed -n 3p | grep -q "Blockers: 0" &&
    [ "$(cb report --format json | json 'len(d["blockers"]), d["progress"][5]["done"]')" = "0 $((done_before + 1))" ] &&
    pass space-on-blocker-ticks || fail space-on-blocker-ticks "$(cb report --format json | json 'd["blockers"], d["progress"][5]')"

# the practice-exam form (x) checks each field and, when complete, what the
# command line checks (app_exam_record): nothing is stored when refused
NL=$'\n'
cb --as nov1 dump myweek --size 120x30 --keys "x${NL}Set${NL}${NL}bad${NL}" | grep -q "bad total 'bad'" &&
    pass form-bad-total || fail form-bad-total "$(cb --as nov1 dump myweek --size 120x30 --keys "x${NL}Set${NL}${NL}bad${NL}" | tail -2)"
cb --as nov1 dump myweek --size 120x30 --keys "x${NL}Set${NL}${NL}${NL}5/2${NL}" | grep -q "bad result '5/2'" &&
    pass form-right-over-asked || fail form-right-over-asked "$(cb --as nov1 dump myweek --size 120x30 --keys "x${NL}Set${NL}${NL}${NL}5/2${NL}" | tail -2)"
cb --as nov1 dump myweek --size 120x30 --keys "x2030-01-01${NL}${NL}${NL}3/4${NL}" >"$TMP/f"
grep -q "refused:.*future\|refused:.*after" "$TMP/f" && pass form-future-refused || fail form-future-refused "$(tail -2 "$TMP/f")"
[ "$(cb --as nov1 exam list | grep -c nov1-)" = 0 ] && pass form-refusals-store-nothing ||
    fail form-refusals-store-nothing "$(cb --as nov1 exam list)"
cb --as nov1 dump myweek --size 120x30 --keys "x${NL}Set C${NL}90${NL}41/59${NL}" | grep -q "recorded practice exam nov1-20261005-1: 41/59" &&
    pass form-records || fail form-records "$(cb --as nov1 exam list)"
t_exit

#!/usr/bin/env bash
# test_state.sh — the state commands on the bundled default plan: identity,
# permissions, tick/untick/milestone/undo, log and export --format json.
. "$(dirname "$0")/../lib.sh"
PLAN="$ROOT/plans/de-professional.yaml"
if [ ! -f "$PLAN" ]; then skip state "the default plan is not in this tree"; exit 0; fi
export CERTBOARD_PLAN="$PLAN" CERTBOARD_STORE="$TMP/store" XDG_DATA_HOME="$TMP/data"
cb() { "$CB" "$@"; }
out() { "$CB" "$@" >"$TMP/o" 2>&1; echo $? >"$TMP/rc"; }
has() { # NAME STATUS TEXT: the last command exited STATUS and printed TEXT
    if [ "$(cat "$TMP/rc")" = "$2" ] && grep -qF -- "$3" "$TMP/o"; then pass "$1"
    else fail "$1" "exit $(cat "$TMP/rc"), want $2 and '$3': $(head -c 400 "$TMP/o")"; fi
}

# Identity: never a silent guess.
out tick p1-teach
has identity-unknown-os-user 1 "cannot tell who you are: OS user '$(id -un)'"
grep -q "members: nov1, nov2, int1, int2, exp1, exp2" "$TMP/o" && pass identity-lists-members || fail identity-lists-members "$(cat "$TMP/o")"
out --as nobody tick p1-teach
has identity-unknown-member 1 "unknown member 'nobody'"
sed "s/- {id: int1, name: Intermediate 1,/- {id: int1, login: $(id -un), name: Intermediate 1,/" "$PLAN" >"$TMP/login.yaml"
out --plan "$TMP/login.yaml" tick p1-teach --member exp1
has identity-from-login 1 "refused: int1 may change only their own items; the lead (exp1) may change anyone's"
CERTBOARD_MEMBER=exp1 out tick p1-teach
has identity-from-env 0 "ticked p1-teach for exp1"

# Permissions.
out --as exp2 tick p1-teach --member exp1
has member-cannot-tick-others 1 "refused: exp2 may change only their own items"
out --as exp1 tick p2-teach --member int1
has lead-ticks-for-others 0 "ticked p2-teach for int1"
out --as nov1 tick p1-teach
has item-not-on-checklist 1 "refused: item p1-teach is not on nov1's checklist"
out --as int1 milestone foundations-complete done
has only-lead-sets-milestones 1 "refused: only the lead (exp1) sets milestone statuses"
out --as exp1 milestone foundations-complete at-risk --note "two members behind"
has lead-sets-milestone 0 "milestone foundations-complete: at-risk"
out --as exp1 milestone foundations-complete finished
has bad-status-is-usage 2 "unknown status 'finished'"
out --as exp1 tick p1-teahc
has unknown-item-suggests 1 "unknown item 'p1-teahc' in plan 'de-professional' (did you mean 'p1-teach'?)"
out --as exp1 milestone foundations-compleet done
has unknown-milestone-suggests 1 "(did you mean 'foundations-complete'?)"
out --as exp1 tick
has missing-argument-is-usage 2 "missing argument"

# Undo: my last change, then the one before.
out --as exp1 untick p1-teach
has untick 0 "unticked p1-teach for exp1"
out --as exp1 undo
has undo-reverts-untick 0 "undo: exp1 ticked Teach: lead the 2-3 hour deep-dive session with a live code walkthrough of the notebooks (p1-teach)"
out --as nov2 undo
has undo-nothing 1 "nothing to undo: no change by nov2"

# Log: oldest first, one line per event, filters.
cb log >"$TMP/log" 2>&1
n=$(wc -l <"$TMP/log")
[ "$n" = 5 ] && pass log-one-line-per-event || fail log-one-line-per-event "$n lines: $(cat "$TMP/log")"
head -1 "$TMP/log" | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}  exp1 ticked Teach: lead the 2-3 hour deep-dive session with a live code walkthrough of the notebooks \(p1-teach\)$' &&
    pass log-format || fail log-format "$(head -1 "$TMP/log")"
grep -q "exp1 set milestone foundations-complete to at-risk  -- two members behind" "$TMP/log" && pass log-note || fail log-note "$(cat "$TMP/log")"
cb log --member int1 >"$TMP/log2"
[ "$(wc -l <"$TMP/log2")" = 1 ] && grep -q "ticked Teach: .* (p2-teach) for int1" "$TMP/log2" && pass log-member-filter || fail log-member-filter "$(cat "$TMP/log2")"
cb log --since 2999-01-01 >"$TMP/log3"
[ ! -s "$TMP/log3" ] && pass log-since-filter || fail log-since-filter "$(cat "$TMP/log3")"
out log --since yesterday
has log-bad-date 2 "invalid date 'yesterday'"

# Export: the JSON contract of docs/export-json.md.
cb export --format json >"$TMP/export.json" 2>"$TMP/export.err"
/usr/bin/python3 - "$TMP/export.json" >"$TMP/py" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "certboard-export" and d["version"] == 2
assert d["plan"]["id"] == "de-professional" and d["plan"]["lead"] == "exp1"
items = {i["id"]: i for i in d["items"]}
assert items["p1-teach"]["ticks"]["exp1"] is True, items["p1-teach"]
assert items["p2-teach"]["ticks"]["int1"] is True
assert "nov1" not in items["p1-teach"]["ticks"]
ms = {m["id"]: m for m in d["milestones"]}
assert ms["foundations-complete"]["status"] == "at-risk"
assert ms["foundations-complete"]["note"] == "two members behind"
assert ms["foundations-complete"]["set_by"] == "exp1"
assert ms["gap-report-shared"]["status"] == "pending" and ms["gap-report-shared"]["set_by"] is None
h = d["history"]
assert len(h) == 5 and h[-1]["undoes"] == {"client": h[-2]["client"], "seq": h[-2]["seq"]}
assert all(e["os_user"] and e["host"] and e["at"].endswith("Z") for e in h)
# clocks are strings of digits: exact above 2^53, and in history order
assert all(isinstance(e["hlc"], str) and e["hlc"].isdigit() for e in h)
assert [int(e["hlc"]) for e in h] == sorted(int(e["hlc"]) for e in h) and int(h[0]["hlc"]) > 2**53
assert d["exams"] == [] and d["orphans"] == []
assert d["store"]["state"] == "shared"
print("ok")
PY
grep -q '^ok$' "$TMP/py" && pass export-json-contract || fail export-json-contract "$(tail -5 "$TMP/py")"
out export
has export-needs-format 2 "want --format json"

# A note with control characters is refused at input...
out --as exp1 milestone gap-report-shared on-track --note "$(printf 'evil\033[2Jnote')"
has note-control-chars-refused 1 "refused: the note contains a control character"
# ...and one from another client's shard never reaches the terminal raw: the
# ESC becomes U+FFFD, as on every other output (text.h).
python3 "$ROOT/tests/store/make_shard.py" "$TMP/store/shards/evil.db" evil de-professional \
    "now:ms/gap-report-shared=on-track|$(printf 'evil\033[2Jnote')"
if cb log | grep -q "evil$(printf '\357\277\275')\[2Jnote" && ! cb log | grep -q "$(printf '\033')"; then
    pass log-escapes-control-chars
else
    fail log-escapes-control-chars "$(cb log | tail -1 | od -c | head -3)"
fi
t_exit

#!/usr/bin/env bash
# test_polish.sh — small things a newcomer stumbled on, each checked on what
# the user sees (dumps and command output): no "0/0" progress for nothing
# due, an empty-list hint that fits the filter, the readiness figure the
# gate compares, one message per plan mistake.
. "$(dirname "$0")/../lib.sh"
unset CERTBOARD_MEMBER CERTBOARD_TODAY CERTBOARD_STORE CERTBOARD_PLAN
export XDG_DATA_HOME=$TMP/data
PLAN=$ROOT/plans/de-professional.yaml
G="--plan $PLAN --store $TMP/store"
mkdir -p "$TMP/store"

# Before the start nothing is due: no "0/0" bars on the Stand-up or Timeline.
for pane in standup timeline; do
    "$CB" $G --today 2026-08-01 dump $pane --size 100x40 >"$TMP/$pane" 2>&1
    if grep -q " 0/0" "$TMP/$pane"; then fail "no-0/0-$pane" "$(grep ' 0/0' "$TMP/$pane" | head -2)"; else pass "no-0/0-$pane"; fi
done

# The hint of an empty checklist offers what the filter key does next.
"$CB" $G --today 2026-08-01 --as nov1 dump checklists --filter overdue --size 100x20 >"$TMP/od" 2>&1
grep -q "nothing overdue: f shows all items" "$TMP/od" && pass empty-overdue-hint ||
    fail empty-overdue-hint "$(sed -n 3,6p "$TMP/od")"

# The readiness row shows the figure the gate compares, not a rounding of it
# that can contradict the verdict ("75% ... projected 74.8% is below 75%").
RP=$ROOT/tests/data/report-plan.yaml
"$CB" --plan "$RP" --store "$TMP/s2" --today 2026-03-04 --as nov1 exam record --date 2026-03-02 --total 40/59 >/dev/null 2>&1
"$CB" --plan "$RP" --store "$TMP/s2" --today 2026-03-04 dump standup --size 160x200 >"$TMP/ready" 2>&1
row=$(grep -a "Novice One" "$TMP/ready" | grep -a "projected")
shown=$(printf '%s' "$row" | sed -n 's/^ *Novice One *\([0-9.]*\)% ±.*/\1/p')
rule=$(printf '%s' "$row" | sed -n 's/.*projected \([0-9.]*\)% is below.*/\1/p')
[ -n "$shown" ] && [ "$shown" = "$rule" ] && pass readiness-figure-is-the-rules ||
    fail readiness-figure-is-the-rules "shown '$shown', rule '$rule': $row"
# `--today` on a change is refused rather than silently ignored (the change
# would be stamped now, not on that day); nothing is stored.
"$CB" $G --today 2026-10-05 --as nov1 tick a-lakehouse-training >"$TMP/bd" 2>&1
rc=$?
n=$("$CB" $G export --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["history"]))')
[ $rc = 2 ] && grep -q "does not back-date a change" "$TMP/bd" && [ "$n" = 0 ] &&
    pass today-does-not-backdate || fail today-does-not-backdate "exit $rc, $n stored: $(cat "$TMP/bd")"
"$CB" $G --today "$(date +%F)" --as nov1 tick a-lakehouse-training >/dev/null 2>&1 &&
    pass today-is-today-ok || fail today-is-today-ok "a tick with --today of today was refused"
# The title bar says "local" for the default store on this disk, "shared"
# only for a store the team shares (--store).
"$CB" --plan "$PLAN" --today 2026-10-05 dump standup --size 120x16 | head -1 >"$TMP/t1"
"$CB" $G --today 2026-10-05 dump standup --size 120x16 | head -1 >"$TMP/t2"
grep -q "│ local *$" "$TMP/t1" && grep -q "│ shared *$" "$TMP/t2" && pass title-local-or-shared ||
    fail title-local-or-shared "$(cat "$TMP/t1" "$TMP/t2")"
# Under each domain, its items come in due-week order.
"$CB" $G --today 2026-10-05 dump domains --size 300x300 >"$TMP/domains"
if python3 - "$TMP/domains" >"$TMP/wk" 2>&1 <<'PY'; then pass domain-items-by-week; else fail domain-items-by-week "$(cat "$TMP/wk")"; fi
import re, sys
blocks, cur = [], None
for line in open(sys.argv[1], encoding="utf-8"):
    if re.match(r"^\s+[0-9.]+(-[0-9.]+)?%\s{2}", line):
        cur = []; blocks.append(cur)
    m = re.search(r"week (\d+) · done", line)
    if m and cur is not None and "item " in line:
        cur.append(int(m.group(1)))
bad = [b for b in blocks if b != sorted(b)]
print(len(blocks), "domains,", sum(len(b) for b in blocks), "items,", len(bad), "unsorted")
sys.exit(1 if bad or not blocks else 0)
PY
# One CERTBOARD_CLIENT for two plans (the docs ask for one id per machine and
# user): each plan gets its own local database; a database of the older layout
# moves into its plan's folder and keeps its history.
L=$TMP/cl
mkdir -p "$L/s1" "$L/s2"
CERTBOARD_CLIENT=pc1 XDG_DATA_HOME=$L/d "$CB" --plan "$PLAN" --store "$L/s1" --as nov1 tick a-lakehouse-training >/dev/null 2>&1
if CERTBOARD_CLIENT=pc1 XDG_DATA_HOME=$L/d "$CB" --plan "$RP" --store "$L/s2" --as nov1 tick intro >"$L/out" 2>&1; then
    pass one-client-two-plans
else
    fail one-client-two-plans "$(cat "$L/out")"
fi
mv "$L/d/certboard/local/de-professional/pc1.db" "$L/d/certboard/local/pc1.db"
rm -rf "$L/s1/shards" # so the history can only come from the moved database
CERTBOARD_CLIENT=pc1 XDG_DATA_HOME=$L/d "$CB" --plan "$PLAN" --store "$L/s1" --as nov1 tick a-free-edition >/dev/null 2>&1
n=$(CERTBOARD_CLIENT=pc1 XDG_DATA_HOME=$L/d "$CB" --plan "$PLAN" --store "$L/s1" log 2>/dev/null | wc -l)
[ -f "$L/d/certboard/local/de-professional/pc1.db" ] && [ ! -f "$L/d/certboard/local/pc1.db" ] && [ "$n" = 2 ] &&
    pass old-local-database-moves || fail old-local-database-moves "$n changes; $(find "$L/d" -name '*.db')"
# Undoing an exam edit says what it restored, in words, not the stored encoding.
E="--plan $RP --store $TMP/s4"
"$CB" $E --as nov1 exam record --date 2026-03-02 --total 40/59 >/dev/null 2>&1
"$CB" $E --as nov1 exam edit nov1-20260302-1 --minutes 99 >/dev/null 2>&1
"$CB" $E --as nov1 undo >"$TMP/undo" 2>&1
grep -q "undo: nov1 .* practice exam nov1-20260302-1: nov1 40/59 on 2026-03-02" "$TMP/undo" &&
    ! grep -q "v1;" "$TMP/undo" && pass exam-undo-in-words || fail exam-undo-in-words "$(cat "$TMP/undo")"
# A command's error names what it was given, escaped: an id carrying a
# terminal escape (OSC: set the window title) cannot drive the terminal.
"$CB" $G --as exp1 tick "$(printf 'x\033]0;owned\007y')" >"$TMP/esc" 2>&1
rc=$?
if [ $rc = 1 ] && grep -q "unknown item" "$TMP/esc" && ! LC_ALL=C grep -q "$(printf '[\033\007]')" "$TMP/esc"; then
    pass error-text-escaped
else
    fail error-text-escaped "exit $rc: $(od -c "$TMP/esc" | head -3)"
fi
t_exit

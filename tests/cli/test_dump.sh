#!/usr/bin/env bash
# test_dump.sh — `certboard dump`: each pane of the default plan on a fixed day
# compared with the expected screens in tests/data/expected/ (regenerate them
# with UPDATE_EXPECTED=1, then read them before committing), usage errors, and
# the bytes a dump may contain.
. "$(dirname "$0")/../lib.sh"
PLAN=$ROOT/plans/de-professional.yaml
EXP=$ROOT/tests/data/expected
G="--plan $PLAN --store $TMP/store --today 2026-11-02 --as nov1"

dump_case() {   # NAME ARGS...
    local name=$1; shift
    if ! "$CB" $G dump "$@" >"$TMP/$name.txt" 2>"$TMP/$name.err"; then
        fail "$name" "exit status $?: $(head -c 300 "$TMP/$name.err")"
        return
    fi
    if [ -n "${UPDATE_EXPECTED:-}" ]; then
        cp "$TMP/$name.txt" "$EXP/$name.txt"
    fi
    same "$name" "$EXP/$name.txt" "$TMP/$name.txt"
}

for pane in timeline team checklists domains standup; do
    dump_case "dump-$pane-120x40" "$pane" --size 120x40
done
dump_case dump-timeline-80x24 1 --size 80x24
dump_case dump-checklists-80x24-ascii 3 --size 80x24 --ascii --filter all

# With practice-exam attempts of two members: the readiness summaries lead the
# Domains pane and follow "who is behind" on the Stand-up pane, at 80x24.
"$CB" $G exam record --member nov1 --date 2026-10-20 --domain dev-code=10/13 \
    --domain cost-perf=4/8 --domain security=3/6 >/dev/null &&
    "$CB" $G --as int1 exam record --date 2026-10-25 --domain dev-code=12/13 \
        --domain cost-perf=2/8 --domain monitoring=5/6 >/dev/null ||
    fail exam-record "could not record the attempts"
dump_case dump-domains-80x24-attempts domains --size 80x24
dump_case dump-standup-80x24-attempts standup --size 80x24

# Exactly the requested size, and nothing but text and newlines.
lines=$(wc -l <"$TMP/dump-team-120x40.txt")
[ "$lines" = 40 ] && pass size-lines || fail size-lines "$lines lines, want 40"
if LC_ALL=C grep -q '[[:cntrl:]]' "$TMP"/dump-*.txt; then
    fail no-control-bytes "a dump holds control characters"
else
    pass no-control-bytes
fi
if LC_ALL=C grep -q '[^ -~]' "$TMP/dump-checklists-80x24-ascii.txt"; then
    fail ascii-only "non-ASCII bytes with --ascii"
else
    pass ascii-only
fi

# The footer offers only what the viewer may do: the lead sets milestones, a
# member does not, and a guest (no identity) changes nothing.
footer() { "$CB" --plan "$PLAN" --store "$TMP/store" --today 2026-11-02 "$@" dump standup --size 100x30 | tail -n 1; }
lead=$(footer --as exp1); member=$(footer --as nov1); guest=$(footer)
case "$lead" in *"s status"*"e note"*"u undo"*) pass footer-lead ;; *) fail footer-lead "lead footer: $lead" ;; esac
case "$member" in *"Space tick"*"u undo"*) case "$member" in *"s status"*) fail footer-member "member offered status: $member" ;; *) pass footer-member ;; esac ;;
    *) fail footer-member "member footer: $member" ;; esac
case "$guest" in *tick*|*undo*|*status*|*note*) fail footer-guest "guest offered changes: $guest" ;; *"q quit"*) pass footer-guest ;;
    *) fail footer-guest "guest footer: $guest" ;; esac

expect_status unknown-pane 2 "$CB" $G dump nope
expect_status bad-size 2 "$CB" $G dump 1 --size 0x10
expect_status bad-filter 2 "$CB" $G dump 3 --filter later
expect_status unknown-member 1 "$CB" $G dump 3 --member nobody
t_exit

#!/usr/bin/env bash
# test_one_change.sh — `tick` and `untick` open the store for one change: the
# other shards are looked at only for their clocks (the newest one, or the one
# remembered in <local>/<client>.clocks for a shard not replaced since), never
# loaded. Checks: a change made on a client whose clock is hours behind still
# wins over the change it could see (first with the clocks peeked, then with
# them remembered and the other shard replaced since, then with the memo file
# damaged); a warm tick opens no other shard at all (strace); a damaged shard
# does not stop a tick and is still named by the next full command.
. "$(dirname "$0")/../lib.sh"
PLAN="$ROOT/plans/de-professional.yaml"
if [ ! -f "$PLAN" ]; then skip one_change "the default plan is not in this tree"; exit 0; fi
export CERTBOARD_PLAN="$PLAN" CERTBOARD_STORE="$TMP/store" XDG_DATA_HOME="$TMP/data"
PY=$(command -v python3) || { skip one_change "python3 missing"; exit 0; }
H=$((3 * 3600 * 1000))

ahead() { CERTBOARD_TEST_CLOCK_SKEW_MS=$H CERTBOARD_CLIENT=ahead "$CB" --as exp1 "$@" >>"$TMP/log" 2>&1; }
behind() { CERTBOARD_TEST_CLOCK_SKEW_MS=-$H CERTBOARD_CLIENT=behind "$CB" --as exp1 "$@" >>"$TMP/log" 2>&1; }
ticked() { # prints True/False: is a-free-edition ticked for nov1?
    "$CB" export --format json 2>"$TMP/export.err" |
        "$PY" -c 'import json,sys; d=json.load(sys.stdin); print([i for i in d["items"] if i["id"]=="a-free-edition"][0]["ticks"]["nov1"])'
}
expect_ticked() { # NAME WANT
    local got
    got=$(ticked)
    if [ "$got" = "$2" ]; then pass "$1"; else fail "$1" "ticked=$got, want $2: $(tail -c 300 "$TMP/log")"; fi
}

# Several clients, so that there are shards to peek at.
for c in c1 c2 c3; do
    CERTBOARD_CLIENT=$c "$CB" --as exp1 tick a-workspace --member nov2 >>"$TMP/log" 2>&1
done
behind tick a-lakehouse-training --member nov1 # creates the behind client
ahead tick a-free-edition --member nov1
behind untick a-free-edition --member nov1
expect_ticked behind-clock-wins-peeked False
MEMO=$(ls "$TMP"/data/certboard/local/*/behind.clocks 2>/dev/null | head -1)
if [ -n "$MEMO" ] && grep -q '^ahead\.db ' "$MEMO"; then pass clocks-remembered; else fail clocks-remembered "no behind.clocks naming ahead.db: $(ls -R "$TMP/data")"; fi

# The ahead client publishes again (a new file): the memo must not be used.
# (The beacon, which makes a reader look at the shard it names whatever it
# remembers, is made to name another client, as when two publishes race.)
other_beacon() { printf 'c3 1 1.000000000\n' >"$TMP/store/shards/.beacon"; }
ahead tick a-free-edition --member nov1
other_beacon
[ "$(ticked)" = True ] && pass ahead-ticked || fail ahead-ticked "the ahead client's tick did not win"
behind untick a-free-edition --member nov1
expect_ticked behind-clock-wins-remembered False

# A damaged memo (garbage lines, a wrong identity) costs only a peek.
ahead tick a-free-edition --member nov1
other_beacon
[ -n "$MEMO" ] && printf 'garbage\nahead.db 1 2 3 4 5 6\nahead.db x\n' >"$MEMO"
behind untick a-free-edition --member nov1
expect_ticked behind-clock-wins-damaged-memo False

# Warm: nothing changed since the last tick, so no other shard is opened.
behind tick a-workspace --member nov1
if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null; then
    CERTBOARD_CLIENT=behind CERTBOARD_TEST_CLOCK_SKEW_MS=-$H strace -f -e trace=open,openat \
        -o "$TMP/strace" "$CB" --as exp1 untick a-workspace --member nov1 >/dev/null 2>&1
    n=$(grep -c 'shards/\(c[123]\|ahead\)\.db' "$TMP/strace")
    if [ "$n" = 0 ]; then pass warm-tick-opens-no-shard; else fail warm-tick-opens-no-shard "$n opens: $(grep shards/ "$TMP/strace" | head -5)"; fi
else
    skip warm-tick-opens-no-shard "strace missing or not permitted"
fi

# A damaged shard does not stop a tick; the next full command names it.
printf 'not a database at all, just junk bytes to fill a page' >"$TMP/store/shards/junk.db"
if behind tick a-free-edition --member nov1; then pass tick-past-damaged-shard; else fail tick-past-damaged-shard "$(tail -c 300 "$TMP/log")"; fi
expect_ticked tick-past-damaged-shard-took True
if grep -q "junk.db" "$TMP/export.err"; then pass damaged-shard-named; else fail damaged-shard-named "export said: $(cat "$TMP/export.err")"; fi
t_exit

#!/usr/bin/env bash
# bench_startup.sh — start-up as history grows: the dashboard's first frame
# (tests/tools/pty_bench, 80x24) and `report --format json` as a whole
# command, on generated 100 x 100 plans (tests/tools/gen_store) with 1,000 /
# 10,000 / 100,000 / 1,000,000 events in 100 shards, and 100,000 events in
# 6 and 1,000 shards. Those stores' events are 50 s apart in the plan's first
# days and the day is fixed (--today 2026-11-02): the last stand-up's changes
# are few and the checkpoint's recent history (its lead's tail) nearly
# empty. One more store is as a team has it on the day: 100,000 events
# spread over the 12 weeks up to now, the real date (about 1,200 changes
# since the last stand-up, a tail of 16,384 events). Cold: no checkpoint (the first run after a new shard
# set: every shard read, verified and merged). Warm: the checkpoint present
# and one shard changed since (another client ticked). Every figure a median
# with min-max. Shards are aged an hour first: a file written within seconds
# of a read is never trusted by its identity (docs/architecture.md).
# Targets (warm): first frame <= 15 ms at 100,000 events, <= 30 ms at
# 1,000,000; report <= 150 ms at 1,000,000. Prints figures, asserts nothing.
# Generated stores are kept in BUILD/bench-stores (the 1,000,000-event one
# takes a while to write); BENCH_STARTUP_QUICK=1 skips the 1,000,000 store.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
CB=${CB:-$BUILD/certboard}
GEN=$BUILD/tools/gen_store
PTY=$BUILD/tools/pty_bench
. "$ROOT/bench/median.sh"
bench_need bench_startup "$GEN" "$PTY" "$CB"
T=$(mktemp -d "${BENCH_TMP:-/tmp}/bench_startup.XXXXXX")
trap 'rm -rf "$T"' EXIT
CACHE=$BUILD/bench-stores
mkdir -p "$CACHE"
us() { echo $(( $(date +%s%N) / 1000 )); }

store() { # EVENTS CLIENTS [DAYS]: a fresh copy of the generated store in $T/s (plan $T/s/plan.yaml)
    local c="$CACHE/$1-$2${3:+-days$3}"
    if [ -n "${3:-}" ] || [ ! -f "$c/done" ]; then # (spread up to now: written anew)
        rm -rf "$c" && mkdir -p "$c"
        "$GEN" "$c/plan.yaml" "$c/store" --members 100 --items 100 --events "$1" --clients "$2" \
            ${3:+--days "$3"} >/dev/null && touch "$c/done"
    fi
    rm -rf "$T/s" && cp -a "$c" "$T/s"
    touch -d '1 hour ago' "$T"/s/store/shards/*.db
}
TODAY="--today 2026-11-02" # (empty: the real date)
G() { echo --plan "$T/s/plan.yaml" --store "$T/s/store" $TODAY --as m1; }
frame() { # one first frame, ms
    "$PTY" --size 80x24 --keys 1 -- "$CB" $(G) 2>&1 | sed -n 's/^first frame: \([0-9.]*\) ms.*/\1/p'
}
report() { # one report --format json as a whole command, ms
    local t0; t0=$(us)
    "$CB" $(G) report --format json >/dev/null 2>"$T/err" || { echo "report failed: $(head -c 200 "$T/err")" >&2; }
    awk -v d=$(( $(us) - t0 )) 'BEGIN {printf "%.1f", d / 1000}'
}
n_tick=0
one_shard_changed() { # another client ticks or unticks: its shard is republished
    local verb=tick; [ $((n_tick++ % 2)) = 1 ] && verb=untick
    XDG_DATA_HOME=$T/other CERTBOARD_CLIENT=bench-client-01 "$CB" --plan "$T/s/plan.yaml" --store "$T/s/store" \
        --as m1 $verb it3 --member m1 >/dev/null 2>&1
}
series() { # KIND(cold|warm) WHAT(frame|report) RUNS
    local v=() i
    for ((i = 0; i < $3; i++)); do
        if [ "$1" = cold ]; then rm -rf "$XDG_DATA_HOME"; else one_shard_changed; fi
        v+=("$($2)")
    done
    summary "${v[@]}"
}
measure() { # EVENTS CLIENTS LABEL RUNS [DAYS]
    store "$1" "$2" "${5:-}"
    export XDG_DATA_HOME=$T/data
    rm -rf "$T/data" "$T/other"
    echo "-- $3"
    echo "first frame, cold: $(series cold frame "$4")"
    "$CB" $(G) report --format json >/dev/null 2>&1 # leaves the checkpoint
    echo "first frame, warm: $(series warm frame "$4")"
    echo "report --format json, cold: $(series cold report "$4")"
    "$CB" $(G) report --format json >/dev/null 2>&1
    echo "report --format json, warm: $(series warm report "$4")"
    local ck; ck=$(ls "$T"/data/certboard/local/*/*.ckpt 2>/dev/null | head -1)
    [ -n "$ck" ] && echo "checkpoint: $(( $(stat -c %s "$ck") / 1024 )) KiB"
}
measure 1000 100 "100 shards, 1,000 events" 7
measure 10000 100 "100 shards, 10,000 events" 7
measure 100000 6 "6 shards, 100,000 events" 7
measure 100000 100 "100 shards, 100,000 events" 7
measure 100000 1000 "1,000 shards, 100,000 events" 5
TODAY=
measure 100000 100 "100 shards, 100,000 events over the 12 weeks up to today" 7 84
TODAY="--today 2026-11-02"
if [ "${BENCH_STARTUP_QUICK:-}" = 1 ]; then
    echo "-- 100 shards, 1,000,000 events: skipped (BENCH_STARTUP_QUICK=1)"
else
    measure 1000000 100 "100 shards, 1,000,000 events" 3
fi

#!/usr/bin/env bash
# bench_tick.sh — `certboard tick` / `untick` as a whole command (what a
# script sees: process start, plan, store open, change, publish), local
# store: on the demo store (default plan, its one-client demo history) and on
# the large store (100 x 100 plan, 100 shards, 100,000 events), with the
# other shards' clocks remembered (the usual case) and with every shard
# replaced since the last tick (each one peeked). Target: large <= 3x demo.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
CB=${CB:-$BUILD/certboard}
GEN=$BUILD/tools/gen_store
DEMO=$BUILD/tools/demo_store
. "$ROOT/bench/median.sh"
bench_need bench_tick "$GEN" "$DEMO" "$CB"
T=$(mktemp -d "${BENCH_TMP:-/tmp}/bench_tick.XXXXXX")
trap 'rm -rf "$T"' EXIT
export XDG_DATA_HOME=$T/data
PLAN=$ROOT/plans/de-professional.yaml
"$DEMO" "$PLAN" "$T/demo" exp1 2026-11-02 >/dev/null 2>&1
"$GEN" "$T/large.yaml" "$T/large" --members 100 --items 100 --events 100000 --clients 100 >/dev/null
us() { echo $(( $(date +%s%N) / 1000 )); }
# times N [touch] ARGS...: N runs alternating tick and untick of the last arg
times() {
    local n=$1 touch=$2 i t0 v=() verb; shift 2
    for ((i = 0; i < n; i++)); do
        verb=tick; [ $((i % 2)) = 1 ] && verb=untick
        # every other shard replaced (a new inode): nothing remembered helps
        [ "$touch" = touch ] && for f in "$T"/large/shards/bench-client-*.db; do cp -p "$f" "$f.x" && mv "$f.x" "$f"; done
        t0=$(us)
        "$CB" "${@:1:$#-1}" "$verb" "${@: -1}" >/dev/null 2>"$T/err" || { echo "failed: $(head -c 300 "$T/err")"; return; }
        v+=("$(awk -v d=$(( $(us) - t0 )) 'BEGIN {printf "%.1f", d / 1000}')")
    done
    summary "${v[@]}"
}
echo "tick, demo store (1 shard, ~150 events):            $(times 15 no --plan "$PLAN" --store "$T/demo" --as nov1 a-free-edition)"
echo "tick, large store (100 shards, 100,000 events):     $(times 15 no --plan "$T/large.yaml" --store "$T/large" --as m1 it0)"
echo "tick, large store, every shard replaced since:      $(times 7 touch --plan "$T/large.yaml" --store "$T/large" --as m1 it0)"

#!/usr/bin/env bash
# bench_pg.sh — the store on a PostgreSQL server next to the share: the
# dashboard's first frame (tests/tools/pty_bench) and a tick's acknowledgement
# (`certboard tick` as a whole command), on the default store (default plan,
# its demo history) and the large store (100 x 100 plan, 100 clients, 100,000
# events), each share store imported into a throwaway cluster
# (tests/store/pg_env.sh) with `db import`. Prints medians with min-max.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
CB=${CB:-$BUILD/certboard}
GEN=$BUILD/tools/gen_store
DEMO=$BUILD/tools/demo_store
PTY=$BUILD/tools/pty_bench
. "$ROOT/bench/median.sh"
bench_need bench_pg "$GEN" "$DEMO" "$PTY" "$CB"
TMP=$(mktemp -d "${BENCH_TMP:-/tmp}/bench_pg.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
skip() { echo "bench_pg: skipped: $2"; }
fail() { echo "bench_pg: $1: $2"; }
. "$ROOT/tests/store/pg_env.sh"
pg_start || exit 0
export XDG_DATA_HOME=$TMP/data
T=$TMP
db_uri() { echo "postgresql:///$1?host=$PG_SOCK&user=cbadmin"; }

PLAN=$ROOT/plans/de-professional.yaml
"$DEMO" "$PLAN" "$T/demo" exp1 2026-11-02 >/dev/null 2>&1
"$GEN" "$T/large.yaml" "$T/large" --members 100 --items 100 --events 100000 --clients 100 >/dev/null
for db in demo large; do
    pg_sql "CREATE DATABASE $db" >/dev/null
done
t0=$(date +%s%N)
"$CB" --plan "$PLAN" --store "$(db_uri demo)" db import "$T/demo" | sed 's/^/bench_pg: /'
"$CB" --plan "$T/large.yaml" --store "$(db_uri large)" db import "$T/large" | sed 's/^/bench_pg: /'
echo "db import of both stores: $(( ($(date +%s%N) - t0) / 1000000 )) ms"

first_frame() { # N ARGS...
    local n=$1 v=() i f; shift
    for ((i = 0; i < n; i++)); do
        "$PTY" --size 80x24 --keys 0 -- "$CB" "$@" >"$T/out" 2>&1 || { echo "failed: $(head -c 200 "$T/out")"; return; }
        f=$(sed -n 's/^first frame: \([0-9.]*\) ms.*/\1/p' "$T/out")
        v+=("$f")
    done
    summary "${v[@]}"
}
us() { echo $(( $(date +%s%N) / 1000 )); }
ticks() { # N ARGS... ITEM: alternating tick and untick of ITEM
    local n=$1 i t0 v=() verb; shift
    for ((i = 0; i < n; i++)); do
        verb=tick; [ $((i % 2)) = 1 ] && verb=untick
        t0=$(us)
        "$CB" "${@:1:$#-1}" "$verb" "${@: -1}" >/dev/null 2>"$T/err" || { echo "failed: $(head -c 300 "$T/err")"; return; }
        v+=("$(awk -v d=$(( $(us) - t0 )) 'BEGIN {printf "%.1f", d / 1000}')")
    done
    summary "${v[@]}"
}
D="--plan $PLAN --today 2026-11-02 --as nov1"
L="--plan $T/large.yaml --today 2026-11-02 --as m1"
# A first run of each makes the local database (not timed).
for s in "$T/demo" "$(db_uri demo)"; do "$CB" $D --store "$s" dump 1 >/dev/null; done
for s in "$T/large" "$(db_uri large)"; do "$CB" $L --store "$s" dump 1 >/dev/null; done
echo "first frame, default store, share:   $(first_frame 7 $D --store "$T/demo")"
echo "first frame, default store, server:  $(first_frame 7 $D --store "$(db_uri demo)")"
echo "first frame, large store, share:     $(first_frame 5 $L --store "$T/large")"
echo "first frame, large store, server:    $(first_frame 5 $L --store "$(db_uri large)")"
echo "tick acknowledged, default, share:   $(ticks 11 --plan "$PLAN" --store "$T/demo" --as nov1 a-free-edition)"
echo "tick acknowledged, default, server:  $(ticks 11 --plan "$PLAN" --store "$(db_uri demo)" --as nov1 a-free-edition)"
echo "tick acknowledged, large, share:     $(ticks 7 --plan "$T/large.yaml" --store "$T/large" --as m1 it0)"
echo "tick acknowledged, large, server:    $(ticks 7 --plan "$T/large.yaml" --store "$(db_uri large)" --as m1 it0)"

#!/usr/bin/env bash
# bench_ui.sh — the dashboard in a pseudo-terminal (tests/tools/pty_bench):
# time to the first complete frame, time and bytes from a cursor key to the
# updated screen, peak RSS. On the default plan, then on a generated plan of
# 100 members x 100 items with 100,000 history events (tests/tools/gen_store).
# Targets: first frame <= 10 ms (default) / <= 60 ms (large); key <= 1 ms and
# <= 400 bytes at either size; RSS <= 8 MiB on the default plan.
set -u
BUILD=${BUILD:-build}
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
CB=${CB:-$BUILD/certboard}
if [ -n "${BENCH_TMP:-}" ]; then
    T=$BENCH_TMP/ui
else
    T=$(mktemp -d "${TMPDIR:-/tmp}/bench_ui.XXXXXX")
    trap 'rm -rf "$T"' EXIT
fi
mkdir -p "$T"
PTY=$BUILD/tools/pty_bench
GEN=$BUILD/tools/gen_store
for tool in "$PTY" "$GEN" "$CB"; do
    [ -x "$tool" ] || { echo "bench_ui: $tool is missing (make bench builds it)"; exit 1; }
done

. "$ROOT/bench/median.sh"
run() {   # LABEL ARGS... : first frame of 7 runs (median, min-max), then one run's other figures
    local label=$1; shift
    echo "-- $label"
    local v=() f i
    for i in 1 2 3 4 5 6 7; do
        "$PTY" --size 80x24 --keys 60 -- "$CB" "$@" >"$T/out.$i" 2>&1 || { cat "$T/out.$i"; return; }
        f=$(sed -n 's/^first frame: \([0-9.]*\) ms.*/\1/p' "$T/out.$i")
        v+=("$f")
    done
    echo "first frame: $(summary "${v[@]}")"
    grep -v '^first frame' "$T/out.7"
}

BOARD=$BUILD/bench/bench_board
G="--today 2026-11-02 --as nov1"
mkdir -p "$T/store-default"
"$CB" --plan "$ROOT/plans/de-professional.yaml" --store "$T/store-default" $G dump 1 >/dev/null
run "default plan (6 members, empty history)" --plan "$ROOT/plans/de-professional.yaml" --store "$T/store-default" $G
[ -x "$BOARD" ] && "$BOARD" "$ROOT/plans/de-professional.yaml" "$T/store-default" nov1 2026-11-02

"$GEN" "$T/large.yaml" "$T/store-large" --members 100 --items 100 --events 100000 --clients 100
"$CB" --plan "$T/large.yaml" --store "$T/store-large" --today 2026-11-02 --as m1 dump 1 >/dev/null
run "large plan (100 members x 100 items, 100,000 events)" --plan "$T/large.yaml" --store "$T/store-large" --today 2026-11-02 --as m1
[ -x "$BOARD" ] && "$BOARD" "$T/large.yaml" "$T/store-large" m1 2026-11-02
